-- 20240801090000-feed-engagement
--
-- Why: the engagement feed: posts, one reaction per user per post, threaded comments, shares,
--      and an append-only moderation and activity log that outlives the users it names.
--      feed_posts already exists (the baseline, or the old system, created it in its old shape):
--      this file evolves it, keeping every row and id, and creates the other four tables.
-- Impact: feed_posts is rebuilt (SQLite cannot add NOT NULL or change a foreign key in place):
--      first a count of the rows whose userId, content or visibility is NULL; if any, the
--      migration stops with "cannot set feed_posts.<column> NOT NULL: <n> rows are NULL" and,
--      being one transaction, changes nothing. Then feed_posts_rebuild is created in the final
--      shape, every row copied with its id, the AUTOINCREMENT counter copied, the old table
--      dropped and the new one renamed; then the three indexes and the four new tables. users
--      is not changed (SQLite keeps foreign keys in the child table only). The whole file is one
--      transaction holding SQLite's single write lock: no lock_timeout, SQLite is embedded and
--      has no concurrent writers to protect.
-- Rollback: drops the four tables (every reaction, comment, share and log row is lost) and
--      rebuilds feed_posts exactly as the baseline created it; every post's metadata is lost.
-- Dialect: enums are TEXT with a CHECK of the allowed values, JSON columns carry
--      CHECK ("col" IS NULL OR json_valid("col")): older SQLite (3.40.1, tested) returns 0, not
--      NULL, for json_valid(NULL), so a bare json_valid() check rejects NULL in these nullable
--      columns. Timestamps DATETIME, decimals DECIMAL, serial ids INTEGER PRIMARY KEY
--      AUTOINCREMENT. Foreign keys are enforced only on connections that run
--      PRAGMA foreign_keys = ON; yoyo's connection never does (and the pragma is a no-op inside
--      a transaction), so DROP TABLE "feed_posts" during the rebuild cascades nowhere. SQLite has
--      no way to raise an error of one's own outside a trigger: the NULL count fails through
--      json_extract() with the message as its (invalid) JSON path, "JSON path error near '...'".
--      metadata is the last column, as in the other dialects (where ADD COLUMN appends).
--
-- depends: 20240731000000-baseline

SELECT json_extract('{}', CASE
    WHEN (SELECT count(*) FROM "feed_posts" WHERE "userId" IS NULL) > 0
        THEN 'cannot set feed_posts.userId NOT NULL: '
             || (SELECT count(*) FROM "feed_posts" WHERE "userId" IS NULL) || ' rows are NULL'
    WHEN (SELECT count(*) FROM "feed_posts" WHERE "content" IS NULL) > 0
        THEN 'cannot set feed_posts.content NOT NULL: '
             || (SELECT count(*) FROM "feed_posts" WHERE "content" IS NULL) || ' rows are NULL'
    WHEN (SELECT count(*) FROM "feed_posts" WHERE "visibility" IS NULL) > 0
        THEN 'cannot set feed_posts.visibility NOT NULL: '
             || (SELECT count(*) FROM "feed_posts" WHERE "visibility" IS NULL) || ' rows are NULL'
    ELSE '$'
END) AS "no NULL in feed_posts.userId, content, visibility";

CREATE TABLE "feed_posts_rebuild" (
    "id" INTEGER PRIMARY KEY AUTOINCREMENT,
    "userId" INTEGER NOT NULL,
    "content" TEXT NOT NULL,
    "visibility" TEXT NOT NULL DEFAULT 'public' CHECK ("visibility" IN ('public', 'connections')),
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "metadata" JSON CHECK ("metadata" IS NULL OR json_valid("metadata")),
    CONSTRAINT "feed_posts_userId_fkey" FOREIGN KEY ("userId")
        REFERENCES "users" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

INSERT INTO "feed_posts_rebuild" ("id", "userId", "content", "visibility", "createdAt", "updatedAt")
SELECT "id", "userId", "content", "visibility", "createdAt", "updatedAt" FROM "feed_posts";

-- The INSERT above always creates a counter row for feed_posts_rebuild (seq 0 when feed_posts is
-- empty) and feed_posts has one only if it ever held a row: copy the feed_posts row, or none.
DELETE FROM "sqlite_sequence" WHERE "name" = 'feed_posts_rebuild';

INSERT INTO "sqlite_sequence" ("name", "seq")
SELECT 'feed_posts_rebuild', "seq" FROM "sqlite_sequence" WHERE "name" = 'feed_posts';

DROP TABLE "feed_posts";

ALTER TABLE "feed_posts_rebuild" RENAME TO "feed_posts";

CREATE INDEX "feed_posts_user_id" ON "feed_posts" ("userId");

CREATE INDEX "feed_posts_created_at" ON "feed_posts" ("createdAt");

CREATE INDEX "feed_posts_visibility" ON "feed_posts" ("visibility");

CREATE TABLE "feed_reactions" (
    "id" INTEGER PRIMARY KEY AUTOINCREMENT,
    "postId" INTEGER NOT NULL,
    "userId" INTEGER NOT NULL,
    "reactionType" TEXT NOT NULL DEFAULT 'like' CHECK ("reactionType" IN ('like', 'celebrate', 'support', 'love', 'insightful')),
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "feed_reactions_postId_fkey" FOREIGN KEY ("postId")
        REFERENCES "feed_posts" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "feed_reactions_userId_fkey" FOREIGN KEY ("userId")
        REFERENCES "users" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- one reaction per user per post; serves: the reactions of a post (postId leads)
CREATE UNIQUE INDEX "feed_reactions_post_id_user_id" ON "feed_reactions" ("postId", "userId");

CREATE INDEX "feed_reactions_user_id" ON "feed_reactions" ("userId");

CREATE TABLE "feed_comments" (
    "id" INTEGER PRIMARY KEY AUTOINCREMENT,
    "postId" INTEGER NOT NULL,
    "userId" INTEGER NOT NULL,
    "parentId" INTEGER,
    "body" TEXT NOT NULL,
    "metadata" JSON CHECK ("metadata" IS NULL OR json_valid("metadata")),
    "deletedAt" DATETIME,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "feed_comments_postId_fkey" FOREIGN KEY ("postId")
        REFERENCES "feed_posts" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "feed_comments_userId_fkey" FOREIGN KEY ("userId")
        REFERENCES "users" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "feed_comments_parentId_fkey" FOREIGN KEY ("parentId")
        REFERENCES "feed_comments" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

CREATE INDEX "feed_comments_post_id" ON "feed_comments" ("postId");

CREATE INDEX "feed_comments_parent_id" ON "feed_comments" ("parentId");

CREATE INDEX "feed_comments_user_id" ON "feed_comments" ("userId");

CREATE TABLE "feed_shares" (
    "id" INTEGER PRIMARY KEY AUTOINCREMENT,
    "postId" INTEGER NOT NULL,
    "userId" INTEGER NOT NULL,
    "channel" TEXT NOT NULL DEFAULT 'copy' CHECK ("channel" IN ('copy', 'email', 'secure')),
    "message" TEXT,
    "metadata" JSON CHECK ("metadata" IS NULL OR json_valid("metadata")),
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "feed_shares_postId_fkey" FOREIGN KEY ("postId")
        REFERENCES "feed_posts" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "feed_shares_userId_fkey" FOREIGN KEY ("userId")
        REFERENCES "users" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

CREATE INDEX "feed_shares_post_id" ON "feed_shares" ("postId");

CREATE INDEX "feed_shares_user_id" ON "feed_shares" ("userId");

-- serves: share analytics, shares per channel over a time range
CREATE INDEX "feed_shares_channel_created_at" ON "feed_shares" ("channel", "createdAt");

CREATE TABLE "feed_activity_logs" (
    "id" INTEGER PRIMARY KEY AUTOINCREMENT,
    "actorId" INTEGER,
    "postId" INTEGER,
    "commentId" INTEGER,
    "action" TEXT NOT NULL CHECK ("action" IN ('post_created', 'post_hidden', 'post_restored', 'post_escalated', 'post_deleted', 'comment_created', 'comment_hidden', 'comment_restored', 'comment_deleted', 'reaction_added', 'reaction_removed', 'post_shared')),
    "reasonCode" VARCHAR(80),
    "metadata" JSON CHECK ("metadata" IS NULL OR json_valid("metadata")),
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "feed_activity_logs_actorId_fkey" FOREIGN KEY ("actorId")
        REFERENCES "users" ("id") ON DELETE SET NULL ON UPDATE CASCADE,
    CONSTRAINT "feed_activity_logs_postId_fkey" FOREIGN KEY ("postId")
        REFERENCES "feed_posts" ("id") ON DELETE SET NULL ON UPDATE CASCADE,
    CONSTRAINT "feed_activity_logs_commentId_fkey" FOREIGN KEY ("commentId")
        REFERENCES "feed_comments" ("id") ON DELETE SET NULL ON UPDATE CASCADE
);

CREATE INDEX "feed_activity_logs_post_id" ON "feed_activity_logs" ("postId");

CREATE INDEX "feed_activity_logs_comment_id" ON "feed_activity_logs" ("commentId");

CREATE INDEX "feed_activity_logs_actor_id" ON "feed_activity_logs" ("actorId");

-- serves: the moderation audit, one action over a time range
CREATE INDEX "feed_activity_logs_action_created_at" ON "feed_activity_logs" ("action", "createdAt");
