-- 20240801090000-feed-engagement
--
-- Why: the engagement feed: posts, one reaction per user per post, threaded comments, shares,
--      and an append-only moderation and activity log that outlives the users it names.
-- Impact: creates five tables with their fifteen indexes; touches nothing that exists (SQLite
--      keeps foreign keys in the child table only, users is not changed).
-- Rollback: drops the five tables; every post, reaction, comment, share and log row is lost.
-- Dialect: enums are TEXT with a CHECK of the allowed values, JSON columns carry
--      CHECK ("col" IS NULL OR json_valid("col")): older SQLite (3.40.1, tested) returns 0, not
--      NULL, for json_valid(NULL), so a bare json_valid() check rejects NULL in these nullable
--      columns. Timestamps DATETIME, decimals DECIMAL, serial ids INTEGER PRIMARY KEY
--      AUTOINCREMENT. Foreign keys are enforced only on connections that run
--      PRAGMA foreign_keys = ON. No lock_timeout: SQLite is embedded, there are no concurrent
--      writers to protect (the migration's transaction holds the database's single write lock).
--
-- depends: 20240731000000-baseline

CREATE TABLE "feed_posts" (
    "id" INTEGER PRIMARY KEY AUTOINCREMENT,
    "userId" INTEGER NOT NULL,
    "content" TEXT NOT NULL,
    "visibility" TEXT NOT NULL DEFAULT 'public' CHECK ("visibility" IN ('public', 'connections')),
    "metadata" JSON CHECK ("metadata" IS NULL OR json_valid("metadata")),
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "feed_posts_userId_fkey" FOREIGN KEY ("userId")
        REFERENCES "users" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

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
