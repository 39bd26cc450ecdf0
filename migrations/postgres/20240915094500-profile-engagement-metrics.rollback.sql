-- Rollback of 20240915094500-profile-engagement-metrics: drops the three engagement tables,
-- profiles.engagementRefreshedAt and the three enum types, restoring the schema of
-- add-project-owner. Every appreciation, follower, queued job and refresh timestamp is lost; only a
-- backup restores them. The profiles themselves keep their rows. The forward file adds the foreign
-- keys to profiles and users by ALTER TABLE at its end; DROP TABLE removes them with their tables,
-- so there is no separate DROP CONSTRAINT. Dropping them takes ACCESS EXCLUSIVE on profiles and
-- users until the commit; lock_timeout = 100 ms bounds each wait; behind a long transaction it
-- fails with SQLSTATE 55P03, the whole rollback is undone, and `make rollback` retries.

SET LOCAL lock_timeout = '100ms';

DROP INDEX "profile_engagement_jobs_status_scheduled_at";

DROP INDEX "profile_engagement_jobs_profile_id";

DROP TABLE "profile_engagement_jobs";

DROP TABLE "profile_followers";

DROP TABLE "profile_appreciations";

ALTER TABLE "profiles" DROP COLUMN "engagementRefreshedAt";

DROP TYPE "enum_profile_engagement_jobs_status";

DROP TYPE "enum_profile_followers_status";

DROP TYPE "enum_profile_appreciations_appreciationType";
