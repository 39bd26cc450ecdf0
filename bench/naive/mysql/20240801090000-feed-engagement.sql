-- NAIVE form of 20240801090000-feed-engagement, for `make bench` only: never apply it to a real
-- database. It builds what migrations/mysql/20240801090000-feed-engagement.sql builds (feed_posts
-- evolved in place, the same four tables), written the way an ORM or a first draft writes it.
-- What makes it naive: no lock_wait_timeout (the session default, a year), no algorithm clauses,
--      foreign_key_checks left on, and no NULL count first. With the checks on, adding the foreign
--      key is not supported in place, so the server silently picks ALGORITHM=COPY for that ALTER:
--      it copies every row of feed_posts into a new table while writes to feed_posts wait (the
--      copy allows reads only), then swaps the tables. The other ALTERs are left to the server's
--      choice (INSTANT for the appended column, INPLACE for NOT NULL and the indexes). Without a
--      lock wait limit, each ALTER's metadata-lock request waits behind any open transaction that
--      touched feed_posts, however long, and every query of the table queues behind it meanwhile.
--
-- depends: 20240731000000-baseline

ALTER TABLE `feed_posts` ADD COLUMN `metadata` JSON NULL;

ALTER TABLE `feed_posts`
    ADD CONSTRAINT `feed_posts_userId_fkey` FOREIGN KEY (`userId`)
        REFERENCES `users` (`id`) ON DELETE CASCADE ON UPDATE CASCADE,
    DROP FOREIGN KEY `feed_posts_ibfk_1`,
    RENAME INDEX `userId` TO `feed_posts_user_id`;

ALTER TABLE `feed_posts`
    MODIFY `userId` INT NOT NULL,
    MODIFY `content` TEXT NOT NULL,
    MODIFY `visibility` ENUM('public', 'connections') NOT NULL DEFAULT 'public';

CREATE INDEX `feed_posts_created_at` ON `feed_posts` (`createdAt`);

CREATE INDEX `feed_posts_visibility` ON `feed_posts` (`visibility`);

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
