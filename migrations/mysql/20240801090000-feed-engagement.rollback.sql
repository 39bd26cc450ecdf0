-- Rollback of 20240801090000-feed-engagement: drops the four tables feed-engagement created and
-- returns feed_posts to the baseline shape exactly (nullable userId, content and visibility,
-- feed_posts_ibfk_1 with its index userId, no metadata, no other index). Every reaction, comment,
-- share and activity log row is lost, and every post's metadata; the posts are kept.
-- Statement for statement the mirror of the forward file, in reverse; each waits at most 1 s
-- (lock_wait_timeout) for its metadata lock. Both ALTER TABLE ... ALGORITHM=INPLACE statements
-- that change columns rebuild feed_posts in place (DROP COLUMN is INSTANT only from MySQL 8.0.29):
-- MariaDB lets writes through, MySQL 8 takes SHARED for the rebuild (ON ... CASCADE key, see the
-- forward file's header).

SET SESSION lock_wait_timeout = 1;

DROP TABLE `feed_activity_logs`;

DROP TABLE `feed_shares`;

DROP TABLE `feed_comments`;

DROP TABLE `feed_reactions`;

ALTER TABLE `feed_posts`
    DROP INDEX `feed_posts_visibility`,
    DROP INDEX `feed_posts_created_at`,
    ALGORITHM=INPLACE;

ALTER TABLE `feed_posts`
    MODIFY `userId` INT NULL,
    MODIFY `content` TEXT NULL,
    MODIFY `visibility` ENUM('public', 'connections') NULL DEFAULT 'public',
    ALGORITHM=INPLACE;

SET SESSION foreign_key_checks = 0;

ALTER TABLE `feed_posts`
    ADD CONSTRAINT `feed_posts_ibfk_1` FOREIGN KEY (`userId`)
        REFERENCES `users` (`id`) ON DELETE CASCADE ON UPDATE NO ACTION,
    DROP FOREIGN KEY `feed_posts_userId_fkey`,
    RENAME INDEX `feed_posts_user_id` TO `userId`,
    ALGORITHM=INPLACE;

SET SESSION foreign_key_checks = 1;

ALTER TABLE `feed_posts`
    DROP COLUMN `metadata`,
    ALGORITHM=INPLACE;

-- Partner of the forward's check of the NULL counts, which changed nothing: sets the session
-- time_zone to itself.
SET SESSION time_zone = @@session.time_zone;

-- Partner of the forward's NULL count (a read into session variables): reads nothing.
DO 0;

SET SESSION lock_wait_timeout = DEFAULT;
