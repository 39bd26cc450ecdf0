-- Rollback of 20240915094500-profile-engagement-metrics: drops the three engagement tables (their
-- indexes go with them; dropping an FK-backing index alone would fail with error 1553) and
-- profiles.engagementRefreshedAt, one statement per forward statement in reverse order, restoring
-- the schema of add-project-owner. Every appreciation, follower, queued job and refresh timestamp
-- is lost; only a backup restores them. The profiles themselves keep their rows. The column drop is
-- ALGORITHM=INSTANT (MySQL 8.0.29+, MariaDB 10.4+): metadata only, no rebuild, an exclusive metadata
-- lock on profiles for an instant. Not INPLACE with LOCK=NONE: profiles has an ON DELETE CASCADE key
-- to users, and MySQL refuses LOCK=NONE on such a table (MariaDB accepts it), which would fail this
-- rollback after its three DROP TABLEs had committed. Each DROP TABLE locks the tables its foreign
-- keys reference (MySQL 8: exclusive metadata locks on profiles and users). Every statement waits at
-- most 1 s (lock_wait_timeout, set first) and then fails with nothing half-done.

SET SESSION lock_wait_timeout = 1;

DROP TABLE `profile_engagement_jobs`;

DROP TABLE `profile_followers`;

DROP TABLE `profile_appreciations`;

ALTER TABLE `profiles`
    DROP COLUMN `engagementRefreshedAt`,
    ALGORITHM=INSTANT;

SET SESSION lock_wait_timeout = DEFAULT;
