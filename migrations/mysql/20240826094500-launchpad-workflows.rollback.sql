-- Rollback of 20240826094500-launchpad-workflows: drops the four launchpad workflow tables (their
-- indexes go with them) and the ten programme columns of experience_launchpads, one statement per
-- forward statement in reverse order, restoring the schema of trust-payments. Every launchpad
-- application, employer request, placement and opportunity link, and the programme data of every
-- launchpad, is lost; only a backup restores them. The launchpads themselves keep their rows.
-- The column drop is ALGORITHM=INSTANT (MySQL 8.0.29+, MariaDB 10.4+): metadata only, no rebuild,
-- an exclusive metadata lock on experience_launchpads for an instant; the server refuses rather than
-- copy the table. Each DROP TABLE locks the tables its foreign keys reference (MySQL 8: exclusive
-- metadata locks on experience_launchpads, users, applications). Every statement waits at most 1 s
-- (lock_wait_timeout, set first) and then fails with nothing half-done.

SET SESSION lock_wait_timeout = 1;

DROP TABLE `experience_launchpad_opportunity_links`;

DROP TABLE `experience_launchpad_placements`;

DROP TABLE `experience_launchpad_employer_requests`;

DROP TABLE `experience_launchpad_applications`;

ALTER TABLE `experience_launchpads`
    DROP COLUMN `publishedAt`,
    DROP COLUMN `employerSponsorship`,
    DROP COLUMN `eligibilityCriteria`,
    DROP COLUMN `capacity`,
    DROP COLUMN `endDate`,
    DROP COLUMN `startDate`,
    DROP COLUMN `mentorLead`,
    DROP COLUMN `applicationUrl`,
    DROP COLUMN `status`,
    DROP COLUMN `programType`,
    ALGORITHM=INSTANT;

SET SESSION lock_wait_timeout = DEFAULT;
