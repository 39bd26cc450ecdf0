-- 20240801090000-feed-engagement
--
-- Why: the engagement feed: posts, one reaction per user per post, threaded comments, shares,
--      and an append-only moderation and activity log that outlives the users it names.
--      feed_posts already exists (the baseline, or the old system, created it in its old shape):
--      this file evolves it in place, keeping every row, and creates the other four tables.
-- Impact: feed_posts, in steps that never hold a lock blocking its writers for longer than a
--      catalog change:
--      * first a read-only count of the rows whose userId, content or visibility is NULL; if any,
--        the migration stops here with "cannot set feed_posts.<column> NOT NULL: <n> rows are
--        NULL" and nothing has changed (no post is rewritten or deleted by a migration).
--      * one ALTER TABLE adds metadata (nullable, no rewrite), a CHECK (... IS NOT NULL) NOT VALID
--        on the three columns, and replaces feed_posts_userId_fkey (NO ACTION on update) with one
--        that cascades, NOT VALID: ACCESS EXCLUSIVE on feed_posts and SHARE ROW EXCLUSIVE on users
--        for a catalog change; waits at most 100 ms (lock_timeout), during which writers queue
--        behind it. New rows are checked from here on.
--      * VALIDATE CONSTRAINT of both (lock_timeout 0): scans feed_posts under SHARE UPDATE
--        EXCLUSIVE, which lets reads and writes through.
--      * the three indexes, CREATE INDEX CONCURRENTLY (lock_timeout 0): reads and writes continue;
--        each waits for the transactions older than it to finish.
--      * SET NOT NULL on the three columns, then DROP of the CHECK: ACCESS EXCLUSIVE for a catalog
--        change only, because the validated CHECK proves there is no NULL (PostgreSQL 12+ skips
--        the scan; its DEBUG1 log says "existing constraints ... are sufficient", tested on 15);
--        100 ms lock_timeout.
--      * the three enum types and four tables; each CREATE TABLE takes SHARE ROW EXCLUSIVE on users
--        and feed_posts (blocks their writers, not readers) for that statement, 100 ms lock_timeout.
--      Behind a long transaction a 100 ms wait times out: the statement fails, yoyo runs the
--      rollback partners of the statements already done, nothing is left half-done, and
--      `make migrate` tries again. Exception: a CREATE INDEX CONCURRENTLY that fails leaves its
--      index behind, INVALID (`make drift` lists it so); DROP INDEX CONCURRENTLY it before retrying.
-- Rollback: drops the four tables and their three enum types (every reaction, comment, share and
--      log row is lost) and returns feed_posts to the baseline shape: indexes dropped
--      concurrently, columns nullable again, foreign key back to ON UPDATE NO ACTION (added NOT
--      VALID, then validated), metadata dropped (its values are lost). Every post is kept.
-- Dialect: the reference file; mysql/ and sqlite/ say how they differ from it. metadata is the
--      last column of feed_posts in every dialect: ADD COLUMN appends, and only a table rewrite
--      could put it anywhere else.
--      CREATE INDEX CONCURRENTLY cannot run in a transaction block, so this file is not run in one:
--      every statement commits on its own, the rollback file mirrors it statement for statement
--      (yoyo undoes a failure at statement k with the rollback partners of statements 1..k-1), and
--      lock_timeout is set per session and reset at the end.
--
-- Not in one transaction: CREATE INDEX CONCURRENTLY cannot run inside a transaction block.
-- transactional: false
-- depends: 20240731000000-baseline

-- Reads only: fail first, and change nothing, when existing posts violate a new NOT NULL.
SET lock_timeout = 0;

DO $$
DECLARE
    nulls_user_id bigint;
    nulls_content bigint;
    nulls_visibility bigint;
BEGIN
    SELECT count(*) FILTER (WHERE "userId" IS NULL),
           count(*) FILTER (WHERE "content" IS NULL),
           count(*) FILTER (WHERE "visibility" IS NULL)
    INTO nulls_user_id, nulls_content, nulls_visibility
    FROM "feed_posts";
    IF nulls_user_id > 0 THEN
        RAISE EXCEPTION 'cannot set feed_posts.userId NOT NULL: % rows are NULL', nulls_user_id
            USING HINT = 'nothing was changed; fix or delete those posts, then run make migrate again';
    END IF;
    IF nulls_content > 0 THEN
        RAISE EXCEPTION 'cannot set feed_posts.content NOT NULL: % rows are NULL', nulls_content
            USING HINT = 'nothing was changed; fix or delete those posts, then run make migrate again';
    END IF;
    IF nulls_visibility > 0 THEN
        RAISE EXCEPTION 'cannot set feed_posts.visibility NOT NULL: % rows are NULL', nulls_visibility
            USING HINT = 'nothing was changed; fix or delete those posts, then run make migrate again';
    END IF;
END
$$;

SET lock_timeout = '100ms';

ALTER TABLE "feed_posts"
    ADD COLUMN "metadata" JSONB,
    ADD CONSTRAINT "feed_posts_not_null" CHECK ("userId" IS NOT NULL AND "content" IS NOT NULL AND "visibility" IS NOT NULL) NOT VALID,
    DROP CONSTRAINT "feed_posts_userId_fkey",
    ADD CONSTRAINT "feed_posts_userId_fkey" FOREIGN KEY ("userId")
        REFERENCES "users" ("id") ON DELETE CASCADE ON UPDATE CASCADE NOT VALID;

SET lock_timeout = 0;

ALTER TABLE "feed_posts" VALIDATE CONSTRAINT "feed_posts_not_null";

ALTER TABLE "feed_posts" VALIDATE CONSTRAINT "feed_posts_userId_fkey";

CREATE INDEX CONCURRENTLY "feed_posts_user_id" ON "feed_posts" ("userId");

CREATE INDEX CONCURRENTLY "feed_posts_created_at" ON "feed_posts" ("createdAt");

CREATE INDEX CONCURRENTLY "feed_posts_visibility" ON "feed_posts" ("visibility");

SET lock_timeout = '100ms';

-- A statement of its own: dropped in the same ALTER TABLE, the CHECK could no longer spare the scan.
ALTER TABLE "feed_posts"
    ALTER COLUMN "userId" SET NOT NULL,
    ALTER COLUMN "content" SET NOT NULL,
    ALTER COLUMN "visibility" SET NOT NULL;

ALTER TABLE "feed_posts" DROP CONSTRAINT "feed_posts_not_null";

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

RESET lock_timeout;
