-- Rollback of 20240826094500-launchpad-workflows: drops the four launchpad workflow tables and the
-- ten programme columns of experience_launchpads (DROP COLUMN, SQLite 3.35+), statement for
-- statement in reverse, restoring the schema of trust-payments. Every launchpad application,
-- employer request, placement and opportunity link, and the programme data of every launchpad, is
-- lost; only a backup restores them. The launchpads themselves keep their rows.

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

ALTER TABLE "experience_launchpads" DROP COLUMN "publishedAt";

ALTER TABLE "experience_launchpads" DROP COLUMN "employerSponsorship";

ALTER TABLE "experience_launchpads" DROP COLUMN "eligibilityCriteria";

ALTER TABLE "experience_launchpads" DROP COLUMN "capacity";

ALTER TABLE "experience_launchpads" DROP COLUMN "endDate";

ALTER TABLE "experience_launchpads" DROP COLUMN "startDate";

ALTER TABLE "experience_launchpads" DROP COLUMN "mentorLead";

ALTER TABLE "experience_launchpads" DROP COLUMN "applicationUrl";

ALTER TABLE "experience_launchpads" DROP COLUMN "status";

ALTER TABLE "experience_launchpads" DROP COLUMN "programType";
