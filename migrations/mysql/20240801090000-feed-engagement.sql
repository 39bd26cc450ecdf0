-- 20240801090000-feed-engagement
--
-- Why: the engagement feed: posts, one reaction per user per post, threaded comments, shares,
--      and an append-only moderation and activity log that outlives the users it names.
-- Impact: creates five tables with their fifteen indexes. Each CREATE TABLE references users and
--      takes a metadata lock on it for that statement only, a few milliseconds. MySQL 8 takes it
--      exclusive: it waits behind open transactions on users (up to lock_wait_timeout) and queries
--      on users queue behind it meanwhile; MariaDB 10.11 does not wait there (tested).
-- Rollback: drops the five tables; every post, reaction, comment, share and log row is lost.
--      Each DROP TABLE takes the same kind of metadata lock on users (on MariaDB 10.11 it waits
--      behind open write transactions on users, tested).
-- Dialect: enums are inline ENUM(...) columns, timestamps DATETIME, JSON columns JSON, serial ids
--      INT AUTO_INCREMENT. Indexes (the unique one too) are declared inside CREATE TABLE, so each
--      table is one atomic statement and its rollback one DROP TABLE (MySQL commits DDL statement
--      by statement). Every foreign key has a declared index, so InnoDB adds none.
--      No lock_timeout statement: InnoDB takes a short metadata lock on the referenced tables
--      (users, feed_posts, feed_comments) while each CREATE TABLE runs, bounded by lock_wait_timeout.
--      feed_comments.parentId: InnoDB stops cascading after 15 levels ("Foreign key cascade
--      delete/update exceeds max depth of 15"), so a hard delete of a thread deeper than that,
--      or of its post or of its author, fails here (moderation uses deletedAt). And ON UPDATE
--      CASCADE on a self-reference acts as RESTRICT in InnoDB: changing the id of a comment that
--      has replies fails (ids are never updated).
--
-- depends: 20240731000000-baseline

CREATE TABLE `feed_posts` (
    `id` INT NOT NULL AUTO_INCREMENT PRIMARY KEY,
    `userId` INT NOT NULL,
    `content` TEXT NOT NULL,
    `visibility` ENUM('public', 'connections') NOT NULL DEFAULT 'public',
    `metadata` JSON NULL,
    `createdAt` DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    `updatedAt` DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    INDEX `feed_posts_user_id` (`userId`),
    INDEX `feed_posts_created_at` (`createdAt`),
    INDEX `feed_posts_visibility` (`visibility`),
    CONSTRAINT `feed_posts_userId_fkey` FOREIGN KEY (`userId`)
        REFERENCES `users` (`id`) ON DELETE CASCADE ON UPDATE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE `feed_reactions` (
    `id` INT NOT NULL AUTO_INCREMENT PRIMARY KEY,
    `postId` INT NOT NULL,
    `userId` INT NOT NULL,
    `reactionType` ENUM('like', 'celebrate', 'support', 'love', 'insightful') NOT NULL DEFAULT 'like',
    `createdAt` DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    `updatedAt` DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    -- one reaction per user per post; serves: the reactions of a post (postId leads)
    UNIQUE INDEX `feed_reactions_post_id_user_id` (`postId`, `userId`),
    INDEX `feed_reactions_user_id` (`userId`),
    CONSTRAINT `feed_reactions_postId_fkey` FOREIGN KEY (`postId`)
        REFERENCES `feed_posts` (`id`) ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT `feed_reactions_userId_fkey` FOREIGN KEY (`userId`)
        REFERENCES `users` (`id`) ON DELETE CASCADE ON UPDATE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE `feed_comments` (
    `id` INT NOT NULL AUTO_INCREMENT PRIMARY KEY,
    `postId` INT NOT NULL,
    `userId` INT NOT NULL,
    `parentId` INT NULL,
    `body` TEXT NOT NULL,
    `metadata` JSON NULL,
    `deletedAt` DATETIME NULL,
    `createdAt` DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    `updatedAt` DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    INDEX `feed_comments_post_id` (`postId`),
    INDEX `feed_comments_parent_id` (`parentId`),
    INDEX `feed_comments_user_id` (`userId`),
    CONSTRAINT `feed_comments_postId_fkey` FOREIGN KEY (`postId`)
        REFERENCES `feed_posts` (`id`) ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT `feed_comments_userId_fkey` FOREIGN KEY (`userId`)
        REFERENCES `users` (`id`) ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT `feed_comments_parentId_fkey` FOREIGN KEY (`parentId`)
        REFERENCES `feed_comments` (`id`) ON DELETE CASCADE ON UPDATE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE `feed_shares` (
    `id` INT NOT NULL AUTO_INCREMENT PRIMARY KEY,
    `postId` INT NOT NULL,
    `userId` INT NOT NULL,
    `channel` ENUM('copy', 'email', 'secure') NOT NULL DEFAULT 'copy',
    `message` TEXT NULL,
    `metadata` JSON NULL,
    `createdAt` DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    `updatedAt` DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    INDEX `feed_shares_post_id` (`postId`),
    INDEX `feed_shares_user_id` (`userId`),
    -- serves: share analytics, shares per channel over a time range
    INDEX `feed_shares_channel_created_at` (`channel`, `createdAt`),
    CONSTRAINT `feed_shares_postId_fkey` FOREIGN KEY (`postId`)
        REFERENCES `feed_posts` (`id`) ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT `feed_shares_userId_fkey` FOREIGN KEY (`userId`)
        REFERENCES `users` (`id`) ON DELETE CASCADE ON UPDATE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE `feed_activity_logs` (
    `id` INT NOT NULL AUTO_INCREMENT PRIMARY KEY,
    `actorId` INT NULL,
    `postId` INT NULL,
    `commentId` INT NULL,
    `action` ENUM('post_created', 'post_hidden', 'post_restored', 'post_escalated', 'post_deleted', 'comment_created', 'comment_hidden', 'comment_restored', 'comment_deleted', 'reaction_added', 'reaction_removed', 'post_shared') NOT NULL,
    `reasonCode` VARCHAR(80) NULL,
    `metadata` JSON NULL,
    `createdAt` DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    INDEX `feed_activity_logs_post_id` (`postId`),
    INDEX `feed_activity_logs_comment_id` (`commentId`),
    INDEX `feed_activity_logs_actor_id` (`actorId`),
    -- serves: the moderation audit, one action over a time range
    INDEX `feed_activity_logs_action_created_at` (`action`, `createdAt`),
    CONSTRAINT `feed_activity_logs_actorId_fkey` FOREIGN KEY (`actorId`)
        REFERENCES `users` (`id`) ON DELETE SET NULL ON UPDATE CASCADE,
    CONSTRAINT `feed_activity_logs_postId_fkey` FOREIGN KEY (`postId`)
        REFERENCES `feed_posts` (`id`) ON DELETE SET NULL ON UPDATE CASCADE,
    CONSTRAINT `feed_activity_logs_commentId_fkey` FOREIGN KEY (`commentId`)
        REFERENCES `feed_comments` (`id`) ON DELETE SET NULL ON UPDATE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
