-- Rollback of 20240801090000-feed-engagement: drops the four tables feed-engagement created and
-- their three enum types, and returns feed_posts to the baseline shape exactly (nullable userId,
-- content and visibility, feed_posts_userId_fkey with ON UPDATE NO ACTION, no metadata, no
-- indexes). Every reaction, comment, share and activity log row is lost, and every post's
-- metadata; the posts themselves are kept. Not run in a transaction (the forward file says why):
-- statement for statement the mirror of the forward file, in reverse, so each statement here
-- undoes its partner there. Locks: each DROP TABLE takes ACCESS EXCLUSIVE on users and feed_posts
-- (to remove their foreign-key triggers) and each ALTER TABLE feed_posts ACCESS EXCLUSIVE, for a
-- catalog change, waiting at most 100 ms; the indexes go with DROP INDEX CONCURRENTLY and the
-- foreign key is added NOT VALID and then validated, both letting reads and writes through.

SET lock_timeout = '100ms';

DROP INDEX "feed_activity_logs_action_created_at";

DROP INDEX "feed_activity_logs_actor_id";

DROP INDEX "feed_activity_logs_comment_id";

DROP INDEX "feed_activity_logs_post_id";

DROP TABLE "feed_activity_logs";

DROP INDEX "feed_shares_channel_created_at";

DROP INDEX "feed_shares_user_id";

DROP INDEX "feed_shares_post_id";

DROP TABLE "feed_shares";

DROP INDEX "feed_comments_user_id";

DROP INDEX "feed_comments_parent_id";

DROP INDEX "feed_comments_post_id";

DROP TABLE "feed_comments";

DROP INDEX "feed_reactions_user_id";

DROP INDEX "feed_reactions_post_id_user_id";

DROP TABLE "feed_reactions";

DROP TYPE "enum_feed_activity_logs_action";

DROP TYPE "enum_feed_shares_channel";

DROP TYPE "enum_feed_reactions_reactionType";

ALTER TABLE "feed_posts"
    ADD CONSTRAINT "feed_posts_not_null" CHECK ("userId" IS NOT NULL AND "content" IS NOT NULL AND "visibility" IS NOT NULL) NOT VALID;

ALTER TABLE "feed_posts"
    ALTER COLUMN "userId" DROP NOT NULL,
    ALTER COLUMN "content" DROP NOT NULL,
    ALTER COLUMN "visibility" DROP NOT NULL;

SET lock_timeout = 0;

DROP INDEX CONCURRENTLY "feed_posts_visibility";

DROP INDEX CONCURRENTLY "feed_posts_created_at";

DROP INDEX CONCURRENTLY "feed_posts_user_id";

-- Partner of the forward's VALIDATE CONSTRAINT "feed_posts_userId_fkey": validating changed no
-- schema, there is nothing to undo.
SET lock_timeout = 0;

-- Partner of the forward's VALIDATE CONSTRAINT "feed_posts_not_null": nothing to undo either.
SET lock_timeout = 0;

SET lock_timeout = '100ms';

ALTER TABLE "feed_posts"
    DROP CONSTRAINT "feed_posts_userId_fkey",
    ADD CONSTRAINT "feed_posts_userId_fkey" FOREIGN KEY ("userId")
        REFERENCES "users" ("id") ON DELETE CASCADE ON UPDATE NO ACTION NOT VALID,
    DROP CONSTRAINT "feed_posts_not_null",
    DROP COLUMN "metadata";

SET lock_timeout = 0;

-- Partner of the forward's NULL count (which changed nothing): the baseline's key is validated.
ALTER TABLE "feed_posts" VALIDATE CONSTRAINT "feed_posts_userId_fkey";

RESET lock_timeout;
