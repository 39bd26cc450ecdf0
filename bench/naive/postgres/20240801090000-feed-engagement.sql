-- NAIVE form of 20240801090000-feed-engagement, for `make bench` only: never apply it to a real
-- database. It builds what migrations/postgres/20240801090000-feed-engagement.sql builds (feed_posts
-- evolved in place, the same four tables), written the way an ORM or a first draft writes it.
-- What makes it naive: one transaction (yoyo's default), no lock_timeout, SET NOT NULL directly
--      (not a CHECK ... NOT VALID validated first), a plain foreign key (validated at once, not
--      NOT VALID + VALIDATE) and plain CREATE INDEX (not CONCURRENTLY), and no NULL count first.
--      The first ALTER takes ACCESS EXCLUSIVE on feed_posts and the transaction keeps it until
--      commit, so every read and write of feed_posts waits while SET NOT NULL scans every row, the
--      foreign key is checked against every row and three indexes are built over every row. With
--      no lock_timeout, that ALTER's request waits behind any open transaction that touched the
--      table, however long, and every read and write of the table queues behind it meanwhile.
--
-- depends: 20240731000000-baseline

ALTER TABLE "feed_posts" ADD COLUMN "metadata" JSONB;

ALTER TABLE "feed_posts"
    ALTER COLUMN "userId" SET NOT NULL,
    ALTER COLUMN "content" SET NOT NULL,
    ALTER COLUMN "visibility" SET NOT NULL;

ALTER TABLE "feed_posts" DROP CONSTRAINT "feed_posts_userId_fkey";

ALTER TABLE "feed_posts"
    ADD CONSTRAINT "feed_posts_userId_fkey" FOREIGN KEY ("userId")
        REFERENCES "users" ("id") ON DELETE CASCADE ON UPDATE CASCADE;

CREATE INDEX "feed_posts_user_id" ON "feed_posts" ("userId");

CREATE INDEX "feed_posts_created_at" ON "feed_posts" ("createdAt");

CREATE INDEX "feed_posts_visibility" ON "feed_posts" ("visibility");

CREATE TYPE "enum_feed_reactions_reactionType" AS ENUM ('like', 'celebrate', 'support', 'love', 'insightful');

CREATE TYPE "enum_feed_shares_channel" AS ENUM ('copy', 'email', 'secure');

CREATE TYPE "enum_feed_activity_logs_action" AS ENUM ('post_created', 'post_hidden', 'post_restored', 'post_escalated', 'post_deleted', 'comment_created', 'comment_hidden', 'comment_restored', 'comment_deleted', 'reaction_added', 'reaction_removed', 'post_shared');

CREATE TABLE "feed_reactions" (
    "id" SERIAL PRIMARY KEY,
    "postId" INTEGER NOT NULL,
    "userId" INTEGER NOT NULL,
    "reactionType" "enum_feed_reactions_reactionType" NOT NULL DEFAULT 'like',
    "createdAt" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "feed_reactions_postId_fkey" FOREIGN KEY ("postId")
        REFERENCES "feed_posts" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "feed_reactions_userId_fkey" FOREIGN KEY ("userId")
        REFERENCES "users" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- one reaction per user per post; serves: the reactions of a post (postId leads)
CREATE UNIQUE INDEX "feed_reactions_post_id_user_id" ON "feed_reactions" ("postId", "userId");

CREATE INDEX "feed_reactions_user_id" ON "feed_reactions" ("userId");

CREATE TABLE "feed_comments" (
    "id" SERIAL PRIMARY KEY,
    "postId" INTEGER NOT NULL,
    "userId" INTEGER NOT NULL,
    "parentId" INTEGER,
    "body" TEXT NOT NULL,
    "metadata" JSONB,
    "deletedAt" TIMESTAMP WITH TIME ZONE,
    "createdAt" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT CURRENT_TIMESTAMP,
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
    "id" SERIAL PRIMARY KEY,
    "postId" INTEGER NOT NULL,
    "userId" INTEGER NOT NULL,
    "channel" "enum_feed_shares_channel" NOT NULL DEFAULT 'copy',
    "message" TEXT,
    "metadata" JSONB,
    "createdAt" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT CURRENT_TIMESTAMP,
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
    "id" SERIAL PRIMARY KEY,
    "actorId" INTEGER,
    "postId" INTEGER,
    "commentId" INTEGER,
    "action" "enum_feed_activity_logs_action" NOT NULL,
    "reasonCode" VARCHAR(80),
    "metadata" JSONB,
    "createdAt" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT CURRENT_TIMESTAMP,
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
