-- Rollback of 20240731000000-baseline: drops the seven pre-existing tables, statement for statement
-- in reverse. Every row in them is lost. Never run this on an adopted production database.

DROP TABLE "feed_posts";

DROP INDEX "applications_target_type_target_id";

DROP INDEX "applications_status";

DROP INDEX "applications_applicant_id";

DROP TABLE "applications";

DROP TABLE "experience_launchpads";

DROP TABLE "gigs";

DROP TABLE "projects";

DROP TABLE "profiles";

DROP TABLE "users";
