-- Rollback of 20240915094500-profile-engagement-metrics: drops the three engagement tables and
-- profiles.engagementRefreshedAt (DROP COLUMN, SQLite 3.35+), statement for statement in reverse,
-- restoring the schema of add-project-owner. Every appreciation, follower, queued job and refresh
-- timestamp is lost; only a backup restores them. The profiles themselves keep their rows.

DROP INDEX "profile_engagement_jobs_status_scheduled_at";

DROP INDEX "profile_engagement_jobs_profile_id";

DROP TABLE "profile_engagement_jobs";

DROP TABLE "profile_followers";

DROP TABLE "profile_appreciations";

ALTER TABLE "profiles" DROP COLUMN "engagementRefreshedAt";
