-- Rollback of 20240731000000-baseline: drops the seven pre-existing tables and their five enum types,
-- statement for statement in reverse. Every row in them is lost; nothing can restore it but a backup.
-- Never run this on an adopted production database.

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

DROP TYPE "enum_feed_posts_visibility";

DROP TYPE "enum_applications_sourceChannel";

DROP TYPE "enum_applications_status";

DROP TYPE "enum_applications_targetType";

DROP TYPE "enum_users_userType";
