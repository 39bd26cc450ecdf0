-- Rollback of 20240826094500-launchpad-workflows: drops the four launchpad workflow tables (their
-- indexes go with them) and the ten programme columns of experience_launchpads, one statement per
-- forward statement in reverse order, restoring the schema of trust-payments. Every launchpad
-- application, employer request, placement and opportunity link, and the programme data of every
-- launchpad, is lost; only a backup restores them. The launchpads themselves keep their rows.
-- The column drop is ALGORITHM=INPLACE, LOCK=NONE (ALGORITHM=INSTANT would need MySQL 8.0.29+):
-- MySQL rebuilds the table in place while reads and writes continue (MariaDB 10.4+ drops the
-- columns instantly), or the server refuses; it never falls back to a blocking copy.

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
