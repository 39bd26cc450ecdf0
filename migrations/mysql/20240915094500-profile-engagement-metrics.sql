-- 20240915094500-profile-engagement-metrics
--
-- Why: profiles gain appreciations and followers (one per actor and kind, one per follower) and a
--      work queue that background workers lock, retry and order to recompute engagement metrics.
-- Impact: adds profiles.engagementRefreshedAt and creates three tables with their unique
--      constraints and indexes. ALTER TABLE profiles ... ALGORITHM=INSTANT: a metadata-only change
--      (the column is appended, no row is touched), under an exclusive metadata lock held for an
--      instant; the statement first waits for open transactions that used the table, and queries
--      arriving meanwhile queue behind it, for at most 1 s (lock_wait_timeout, set first in this
--      file). If the server cannot add the column instantly it refuses with an error instead of
--      copying the table. Each CREATE TABLE also locks the tables its foreign keys reference
--      (profiles, users): MySQL 8 takes an exclusive metadata lock on each for an instant, waiting
--      (at most 1 s) behind open transactions on them while their queries queue behind it; MariaDB
--      10.11 does not wait there. No row is touched. Behind a long transaction a statement fails
--      after 1 s with error 1205, nothing of it is left half-done, yoyo undoes the statements before
--      it, and `make migrate` can simply run again.
-- Rollback: drops the three tables and the column; every appreciation, follower, queued job and
--      refresh timestamp is lost. Each DROP TABLE takes the same parent locks; the column drop is
--      ALGORITHM=INSTANT: metadata only, no rebuild (profiles has an ON DELETE CASCADE key, so
--      MySQL would refuse LOCK=NONE on it).
-- Dialect: enums are inline ENUM(...) columns, booleans TINYINT(1), JSON for JSONB, DATETIME for
--      timestamps. lock_wait_timeout (per session: MySQL has no per-transaction form) is set first
--      and reset last, mirrored by the rollback. ALGORITHM=INSTANT needs MySQL 8.0.12+ or MariaDB
--      10.3+. Unique constraints and indexes are declared inside CREATE TABLE, so each table is one atomic statement and its
--      rollback one DROP TABLE (MySQL commits DDL statement by statement). The rollback drops the
--      tables, never their indexes: the old system's rollback failed with error 1553 dropping an
--      index that a foreign key needs. InnoDB adds an index named after each foreign key that no
--      declared index serves: profile_appreciations_actorId_fkey, profile_followers_followerId_fkey.
--
-- depends: 20240901120000-add-project-owner

SET SESSION lock_wait_timeout = 1;

ALTER TABLE `profiles`
    ADD COLUMN `engagementRefreshedAt` DATETIME NULL,
    ALGORITHM=INSTANT;

CREATE TABLE `profile_appreciations` (
    `id` INT NOT NULL AUTO_INCREMENT PRIMARY KEY,
    `profileId` INT NOT NULL,
    `actorId` INT NOT NULL,
    `appreciationType` ENUM('like', 'celebrate', 'support', 'endorse', 'applause') NOT NULL DEFAULT 'like',
    `source` VARCHAR(120) NULL,
    `metadata` JSON NULL,
    `createdAt` DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    `updatedAt` DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    -- one appreciation of each kind per actor per profile; profileId leads, so it serves the FK
    CONSTRAINT `profile_appreciations_unique_actor_type` UNIQUE (`profileId`, `actorId`, `appreciationType`),
    CONSTRAINT `profile_appreciations_profileId_fkey` FOREIGN KEY (`profileId`)
        REFERENCES `profiles` (`id`) ON DELETE CASCADE ON UPDATE NO ACTION,
    CONSTRAINT `profile_appreciations_actorId_fkey` FOREIGN KEY (`actorId`)
        REFERENCES `users` (`id`) ON DELETE CASCADE ON UPDATE NO ACTION
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE `profile_followers` (
    `id` INT NOT NULL AUTO_INCREMENT PRIMARY KEY,
    `profileId` INT NOT NULL,
    `followerId` INT NOT NULL,
    `status` ENUM('active', 'muted', 'blocked') NOT NULL DEFAULT 'active',
    `notificationsEnabled` TINYINT(1) NOT NULL DEFAULT 1,
    `metadata` JSON NULL,
    `followedAt` DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    `updatedAt` DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    -- one follow per follower per profile; profileId leads, so it serves the FK
    CONSTRAINT `profile_followers_unique_pair` UNIQUE (`profileId`, `followerId`),
    CONSTRAINT `profile_followers_profileId_fkey` FOREIGN KEY (`profileId`)
        REFERENCES `profiles` (`id`) ON DELETE CASCADE ON UPDATE NO ACTION,
    CONSTRAINT `profile_followers_followerId_fkey` FOREIGN KEY (`followerId`)
        REFERENCES `users` (`id`) ON DELETE CASCADE ON UPDATE NO ACTION
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE `profile_engagement_jobs` (
    `id` INT NOT NULL AUTO_INCREMENT PRIMARY KEY,
    `profileId` INT NOT NULL,
    `scheduledAt` DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    `priority` INT NOT NULL DEFAULT 0,
    `attempts` INT NOT NULL DEFAULT 0,
    `status` ENUM('pending', 'completed', 'failed') NOT NULL DEFAULT 'pending',
    `lockedAt` DATETIME NULL,
    `lockedBy` VARCHAR(120) NULL,
    `lastError` TEXT NULL,
    `reason` VARCHAR(255) NULL,
    `metadata` JSON NULL,
    `completedAt` DATETIME NULL,
    `createdAt` DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    `updatedAt` DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    INDEX `profile_engagement_jobs_profile_id` (`profileId`),
    -- serves: the workers' poll, WHERE status = 'pending' AND scheduledAt <= now ORDER BY scheduledAt
    INDEX `profile_engagement_jobs_status_scheduled_at` (`status`, `scheduledAt`),
    CONSTRAINT `profile_engagement_jobs_profileId_fkey` FOREIGN KEY (`profileId`)
        REFERENCES `profiles` (`id`) ON DELETE CASCADE ON UPDATE NO ACTION
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

SET SESSION lock_wait_timeout = DEFAULT;
