-- Rollback of 20240801090000-feed-engagement: drops the four tables feed-engagement created and
-- rebuilds feed_posts exactly as the baseline created it (same stored CREATE TABLE text, same rows
-- and ids, same AUTOINCREMENT counter), inside the migration's one transaction: a failure leaves
-- everything as it was. Every reaction, comment, share and activity log row is lost, and every
-- post's metadata; the posts themselves are kept. DROP TABLE "feed_posts" cascades nowhere:
-- yoyo's connection never enables PRAGMA foreign_keys.

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

DROP INDEX "feed_posts_visibility";

DROP INDEX "feed_posts_created_at";

DROP INDEX "feed_posts_user_id";

CREATE TABLE "feed_posts_rebuild" (
    "id" INTEGER PRIMARY KEY AUTOINCREMENT,
    "userId" INTEGER,
    "content" TEXT,
    "visibility" TEXT DEFAULT 'public' CHECK ("visibility" IN ('public', 'connections')),
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "feed_posts_userId_fkey" FOREIGN KEY ("userId")
        REFERENCES "users" ("id") ON DELETE CASCADE ON UPDATE NO ACTION
);

INSERT INTO "feed_posts_rebuild" ("id", "userId", "content", "visibility", "createdAt", "updatedAt")
SELECT "id", "userId", "content", "visibility", "createdAt", "updatedAt" FROM "feed_posts";

DELETE FROM "sqlite_sequence" WHERE "name" = 'feed_posts_rebuild';

INSERT INTO "sqlite_sequence" ("name", "seq")
SELECT 'feed_posts_rebuild', "seq" FROM "sqlite_sequence" WHERE "name" = 'feed_posts';

DROP TABLE "feed_posts";

ALTER TABLE "feed_posts_rebuild" RENAME TO "feed_posts";
