-- Rollback of 20240915094500-profile-engagement-metrics: drops the three engagement tables (their
-- indexes go with them; dropping an FK-backing index alone would fail with error 1553) and
-- profiles.engagementRefreshedAt, one statement per forward statement in reverse order, restoring
-- the schema of add-project-owner. Every appreciation, follower, queued job and refresh timestamp
-- is lost; only a backup restores them. The profiles themselves keep their rows. The column drop is
-- ALGORITHM=INPLACE, LOCK=NONE (ALGORITHM=INSTANT would need MySQL 8.0.29+): MySQL rebuilds the
-- table in place while reads and writes continue (MariaDB 10.4+ drops the column instantly), or
-- the server refuses; it never falls back to a blocking copy.

SET SESSION lock_wait_timeout = 1;

DROP TABLE `profile_engagement_jobs`;

DROP TABLE `profile_followers`;

DROP TABLE `profile_appreciations`;

ALTER TABLE `profiles`
    DROP COLUMN `engagementRefreshedAt`,
    ALGORITHM=INSTANT;

SET SESSION lock_wait_timeout = DEFAULT;
