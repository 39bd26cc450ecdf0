-- Rollback of 20240826094500-launchpad-workflows: drops the four launchpad workflow tables, the ten
-- programme columns of experience_launchpads and the seven enum types, statement for statement in
-- reverse, restoring the schema of trust-payments. Every launchpad application, employer request,
-- placement and opportunity link, and the programme data of every launchpad, is lost; only a backup
-- restores them. The launchpads themselves keep their rows.

SET LOCAL lock_timeout = '5s';

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
