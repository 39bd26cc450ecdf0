-- Rollback of 20240826094500-launchpad-workflows: drops the four launchpad workflow tables, the ten
-- programme columns of experience_launchpads and the seven enum types, restoring the schema of
-- trust-payments. Every launchpad application, employer request, placement and opportunity link,
-- and the programme data of every launchpad, is lost; only a backup restores them. The launchpads
-- themselves keep their rows. The forward file adds the foreign keys to experience_launchpads,
-- users and applications by ALTER TABLE at its end; DROP TABLE removes them with their tables, so
-- there is no separate DROP CONSTRAINT. Dropping them takes ACCESS EXCLUSIVE on
-- experience_launchpads, users and applications until the commit; lock_timeout = 100 ms bounds each
-- wait; behind a long transaction it fails with SQLSTATE 55P03, the whole rollback is undone, and
-- `make rollback` retries.

SET LOCAL lock_timeout = '100ms';

DROP INDEX "experience_launchpad_opportunity_links_target_type_target_id";

DROP INDEX "experience_launchpad_opportunity_links_launchpad_id_target_type";

DROP TABLE "experience_launchpad_opportunity_links";

DROP INDEX "experience_launchpad_placements_launchpad_id_status";

DROP INDEX "experience_launchpad_placements_candidate_id";

DROP TABLE "experience_launchpad_placements";

DROP INDEX "experience_launchpad_employer_requests_launchpad_id_status";

DROP INDEX "experience_launchpad_employer_requests_contact_email";

DROP TABLE "experience_launchpad_employer_requests";

DROP INDEX "experience_launchpad_applications_launchpad_id_status";

DROP INDEX "experience_launchpad_applications_applicant_id";

DROP TABLE "experience_launchpad_applications";

ALTER TABLE "experience_launchpads"
    DROP COLUMN "publishedAt",
    DROP COLUMN "employerSponsorship",
    DROP COLUMN "eligibilityCriteria",
    DROP COLUMN "capacity",
    DROP COLUMN "endDate",
    DROP COLUMN "startDate",
    DROP COLUMN "mentorLead",
    DROP COLUMN "applicationUrl",
    DROP COLUMN "status",
    DROP COLUMN "programType";

DROP TYPE "enum_experience_launchpad_opportunity_links_source";

DROP TYPE "enum_experience_launchpad_opportunity_links_targetType";

DROP TYPE "enum_experience_launchpad_placements_status";

DROP TYPE "enum_experience_launchpad_placements_targetType";

DROP TYPE "enum_experience_launchpad_employer_requests_status";

DROP TYPE "enum_experience_launchpad_applications_status";

DROP TYPE "enum_experience_launchpads_status";
