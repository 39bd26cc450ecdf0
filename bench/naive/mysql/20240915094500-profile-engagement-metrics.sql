-- NAIVE form of 20240915094500-profile-engagement-metrics, for `make bench` only: never apply it to a
-- real database. It is migrations/mysql/20240915094500-profile-engagement-metrics.sql without
-- ALGORITHM=INSTANT, so the benchmark can measure what stating the algorithm is worth.
-- What makes it naive: no algorithm clause, so the server picks one and never refuses. MySQL 8.0.12+
--      and MariaDB 10.3+ pick INSTANT for this appended nullable column anyway, so here both forms
--      should stall writers alike; the clause is insurance against a server that cannot add
--      instantly, where the naive form silently falls back to copying the table.
--
-- depends: 20240901120000-add-project-owner

ALTER TABLE `profiles`
    ADD COLUMN `engagementRefreshedAt` DATETIME NULL;

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
    -- serves: the workers' poll, WHERE `status` = 'pending' AND `scheduledAt` <= NOW() ORDER BY `scheduledAt`
    INDEX `profile_engagement_jobs_status_scheduled_at` (`status`, `scheduledAt`),
    CONSTRAINT `profile_engagement_jobs_profileId_fkey` FOREIGN KEY (`profileId`)
        REFERENCES `profiles` (`id`) ON DELETE CASCADE ON UPDATE NO ACTION
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
