-- Rollback of 20240915094500-profile-engagement-metrics: drops the three engagement tables,
-- profiles.engagementRefreshedAt and the three enum types, statement for statement in reverse,
-- restoring the schema of add-project-owner. Every appreciation, follower, queued job and refresh
-- timestamp is lost; only a backup restores them. The profiles themselves keep their rows.

SET LOCAL lock_timeout = '5s';

DROP INDEX "profile_engagement_jobs_status_scheduled_at";

DROP INDEX "profile_engagement_jobs_profile_id";

DROP TABLE "profile_engagement_jobs";

DROP TABLE "profile_followers";

DROP TABLE "profile_appreciations";

ALTER TABLE "profiles" DROP COLUMN "engagementRefreshedAt";

DROP TYPE "enum_profile_engagement_jobs_status";

DROP TYPE "enum_profile_followers_status";

DROP TYPE "enum_profile_appreciations_appreciationType";
