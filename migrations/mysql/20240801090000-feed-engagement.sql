-- 20240801090000-feed-engagement
--
-- Why: the engagement feed: posts, one reaction per user per post, threaded comments, shares,
--      and an append-only moderation and activity log that outlives the users it names.
--      feed_posts already exists (the baseline, or the old system, created it in its old shape):
--      this file evolves it in place, keeping every row, and creates the other four tables.
-- Impact: every statement waits at most 1 s (lock_wait_timeout) for its metadata lock on
--      feed_posts or users; behind a long transaction it times out, fails, yoyo runs the rollback
--      partners of the statements already done, nothing is left half-done, and `make migrate`
--      tries again. Queries on the table queue behind a waiting ALTER for that second.
--      * one read first, a consistent read that locks no row, counting the rows whose userId,
--        content or visibility is NULL; if any, the migration stops with "Unknown or incorrect time
--        zone: 'cannot set feed_posts.<column> NOT NULL: <n> rows are NULL'" and nothing has changed.
--      * ADD COLUMN metadata, ALGORITHM=INSTANT: a metadata change, no rebuild.
--      * the foreign key: feed_posts_userId_fkey (CASCADE / CASCADE) is added next to
--        feed_posts_ibfk_1 and replaces it, and the index userId is renamed feed_posts_user_id, in
--        one ALTER TABLE, ALGORITHM=INPLACE: metadata only, no rebuild, no scan. foreign_key_checks
--        is off for that one statement (InnoDB adds a key in place only so); nothing goes
--        unchecked, because feed_posts_ibfk_1 on the same column and target enforced it until then.
--      * NOT NULL on userId, content and visibility, one ALTER TABLE, ALGORITHM=INPLACE: InnoDB
--        rebuilds feed_posts in place, a time that grows with the table; then the indexes
--        feed_posts_created_at and feed_posts_visibility, one ALTER TABLE, ALGORITHM=INPLACE, no
--        rebuild. Two statements rather than one so the rebuild is shorter: writers wait for its
--        final metadata lock, while it applies the writes made during it (make bench, 1,000,000
--        rows, MariaDB 10.11.19: 40-45 ms split, 50-58 ms combined). MariaDB 10.11 (tested) lets
--        reads and writes through meanwhile. MySQL 8 documents LOCK=NONE as not permitted on a table with an
--        ON ... CASCADE key, which feed_posts has throughout: there the server takes the lock it
--        needs, SHARED (reads continue, writes wait) for the whole rebuild. Not measured on MySQL 8
--        here; on a large, busy feed_posts run it at a quiet hour there. No LOCK clause is written
--        on purpose, so each server picks the least lock it can.
--      * each CREATE TABLE takes a short metadata lock on the tables it references (users,
--        feed_posts, feed_comments).
-- Rollback: drops the four tables (every reaction, comment, share and log row is lost) and returns
--      feed_posts to the baseline shape: indexes dropped and columns nullable again (one in-place
--      rebuild), feed_posts_ibfk_1 and the index userId back, metadata dropped (its values are
--      lost). Every post is kept.
-- Dialect: enums are inline ENUM(...) columns, timestamps DATETIME, JSON columns JSON, serial ids
--      INT AUTO_INCREMENT. Indexes of the new tables are declared inside CREATE TABLE, so each is
--      one atomic statement and its rollback one DROP TABLE. The rollback file mirrors this one
--      statement for statement (MySQL commits DDL statement by statement; yoyo undoes a failure at
--      statement k with the rollback partners of statements 1..k-1). MySQL has no way to raise an
--      error of one's own outside a stored program: the counts are read into session variables,
--      then the next statement fails by setting the session time_zone to the message (error 1298
--      quotes it); with no NULL it sets the time_zone to what it was. metadata is appended as the last column (INSTANT needs
--      that before MySQL 8.0.29), as in the other dialects.
--      feed_comments.parentId: InnoDB stops cascading after 15 levels ("Foreign key cascade
--      delete/update exceeds max depth of 15"), so a hard delete of a thread deeper than that,
--      or of its post or of its author, fails here (moderation uses deletedAt). And ON UPDATE
--      CASCADE on a self-reference acts as RESTRICT in InnoDB: changing the id of a comment that
--      has replies fails (ids are never updated).
--
-- depends: 20240731000000-baseline

SET SESSION lock_wait_timeout = 1;

-- A plain SELECT is a consistent read: it takes no row lock (a subquery inside SET would take a
-- shared lock on every row until the next statement commits, and stall every writer meanwhile).
SELECT COUNT(CASE WHEN `userId` IS NULL THEN 1 END),
       COUNT(CASE WHEN `content` IS NULL THEN 1 END),
       COUNT(CASE WHEN `visibility` IS NULL THEN 1 END)
FROM `feed_posts`
INTO @feed_posts_null_user_id, @feed_posts_null_content, @feed_posts_null_visibility;

SET SESSION time_zone = CASE
    WHEN @feed_posts_null_user_id > 0
        THEN CONCAT('cannot set feed_posts.userId NOT NULL: ', @feed_posts_null_user_id, ' rows are NULL')
    WHEN @feed_posts_null_content > 0
        THEN CONCAT('cannot set feed_posts.content NOT NULL: ', @feed_posts_null_content, ' rows are NULL')
    WHEN @feed_posts_null_visibility > 0
        THEN CONCAT('cannot set feed_posts.visibility NOT NULL: ', @feed_posts_null_visibility, ' rows are NULL')
    ELSE @@session.time_zone
END;

ALTER TABLE `feed_posts`
    ADD COLUMN `metadata` JSON NULL,
    ALGORITHM=INSTANT;

SET SESSION foreign_key_checks = 0;

ALTER TABLE `feed_posts`
    ADD CONSTRAINT `feed_posts_userId_fkey` FOREIGN KEY (`userId`)
        REFERENCES `users` (`id`) ON DELETE CASCADE ON UPDATE CASCADE,
    DROP FOREIGN KEY `feed_posts_ibfk_1`,
    RENAME INDEX `userId` TO `feed_posts_user_id`,
    ALGORITHM=INPLACE;

SET SESSION foreign_key_checks = 1;

ALTER TABLE `feed_posts`
    MODIFY `userId` INT NOT NULL,
    MODIFY `content` TEXT NOT NULL,
    MODIFY `visibility` ENUM('public', 'connections') NOT NULL DEFAULT 'public',
    ALGORITHM=INPLACE;

ALTER TABLE `feed_posts`
    ADD INDEX `feed_posts_created_at` (`createdAt`),
    ADD INDEX `feed_posts_visibility` (`visibility`),
    ALGORITHM=INPLACE;

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

SET SESSION lock_wait_timeout = DEFAULT;
