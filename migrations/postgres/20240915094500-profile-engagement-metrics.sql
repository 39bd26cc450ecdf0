-- 20240915094500-profile-engagement-metrics
--
-- Why: profiles gain appreciations and followers (one per actor and kind, one per follower) and a
--      work queue that background workers lock, retry and order to recompute engagement metrics.
-- Impact: adds profiles.engagementRefreshedAt and creates three tables, two unique constraints, two
--      indexes and three enum types. Everything that locks a table existing before this migration
--      comes last, right before the commit, so those locks are held for the fewest milliseconds:
--      first the types, the three tables and their indexes, which lock nothing that exists; then
--      ALTER TABLEs on the new tables add their foreign keys, first those to users, then those to
--      profiles, each taking SHARE ROW EXCLUSIVE on the table it references (writes wait, reads
--      continue; the new tables are empty, nothing to check); last, ALTER TABLE profiles ADD
--      COLUMN (nullable, no default) takes ACCESS EXCLUSIVE on profiles (reads and writes wait)
--      for a catalog-only change, no rewrite and no scan. All these locks are held until the
--      commit that follows; profiles, the table this migration alters, is locked by its last four
--      statements only.
--      lock_timeout = 100 ms bounds each of these lock waits: while a statement waits for its
--      lock, every later write (and, for the last ALTER, read) of that table queues behind it,
--      so 100 ms is the longest a writer stalls per attempt; it is far above the milliseconds
--      the locks are normally granted in. Behind a long transaction (a report, a session idle in
--      transaction) that holds any lock on profiles or users, the statement times out after
--      100 ms (SQLSTATE 55P03), the whole migration rolls back (nothing is left half-done), the
--      queued writers go on, and `make migrate` retries it; plain `yoyo apply` fails and must be
--      run again.
-- Rollback: drops the three tables, the column and the three enum types; every appreciation,
--      follower, queued job and refresh timestamp is lost. It takes ACCESS EXCLUSIVE on profiles
--      and users (dropping the tables removes their foreign-key triggers there) until commit, with
--      the same 100 ms lock_timeout.
-- Dialect: the reference file; mysql/ and sqlite/ say how they differ from it. SET LOCAL ends with
--      the migration's transaction (yoyo runs the whole file in one). The foreign keys to existing
--      tables are added by ALTER TABLE rather than inside CREATE TABLE only to take their locks
--      late: the catalog is the same either way.
--
-- depends: 20240901120000-add-project-owner

SET LOCAL lock_timeout = '100ms';

CREATE TYPE "enum_profile_appreciations_appreciationType" AS ENUM ('like', 'celebrate', 'support', 'endorse', 'applause');

CREATE TYPE "enum_profile_followers_status" AS ENUM ('active', 'muted', 'blocked');

CREATE TYPE "enum_profile_engagement_jobs_status" AS ENUM ('pending', 'completed', 'failed');

CREATE TABLE "profile_appreciations" (
    "id" SERIAL PRIMARY KEY,
    "profileId" INTEGER NOT NULL,
    "actorId" INTEGER NOT NULL,
    "appreciationType" "enum_profile_appreciations_appreciationType" NOT NULL DEFAULT 'like',
    "source" VARCHAR(120),
    "metadata" JSONB,
    "createdAt" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT CURRENT_TIMESTAMP,
    -- one appreciation of each kind per actor per profile; profileId leads, so it serves the FK
    CONSTRAINT "profile_appreciations_unique_actor_type" UNIQUE ("profileId", "actorId", "appreciationType")
);

CREATE TABLE "profile_followers" (
    "id" SERIAL PRIMARY KEY,
    "profileId" INTEGER NOT NULL,
    "followerId" INTEGER NOT NULL,
    "status" "enum_profile_followers_status" NOT NULL DEFAULT 'active',
    "notificationsEnabled" BOOLEAN NOT NULL DEFAULT true,
    "metadata" JSONB,
    "followedAt" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT CURRENT_TIMESTAMP,
    -- one follow per follower per profile; profileId leads, so it serves the FK
    CONSTRAINT "profile_followers_unique_pair" UNIQUE ("profileId", "followerId")
);

CREATE TABLE "profile_engagement_jobs" (
    "id" SERIAL PRIMARY KEY,
    "profileId" INTEGER NOT NULL,
    "scheduledAt" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "priority" INTEGER NOT NULL DEFAULT 0,
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "status" "enum_profile_engagement_jobs_status" NOT NULL DEFAULT 'pending',
    "lockedAt" TIMESTAMP WITH TIME ZONE,
    "lockedBy" VARCHAR(120),
    "lastError" TEXT,
    "reason" VARCHAR(255),
    "metadata" JSONB,
    "completedAt" TIMESTAMP WITH TIME ZONE,
    "createdAt" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT CURRENT_TIMESTAMP
);

CREATE INDEX "profile_engagement_jobs_profile_id" ON "profile_engagement_jobs" ("profileId");

-- serves: the workers' poll, WHERE status = 'pending' AND scheduledAt <= now ORDER BY scheduledAt
CREATE INDEX "profile_engagement_jobs_status_scheduled_at" ON "profile_engagement_jobs" ("status", "scheduledAt");

ALTER TABLE "profile_appreciations"
    ADD CONSTRAINT "profile_appreciations_actorId_fkey" FOREIGN KEY ("actorId")
        REFERENCES "users" ("id") ON DELETE CASCADE ON UPDATE NO ACTION;

ALTER TABLE "profile_followers"
    ADD CONSTRAINT "profile_followers_followerId_fkey" FOREIGN KEY ("followerId")
        REFERENCES "users" ("id") ON DELETE CASCADE ON UPDATE NO ACTION;

ALTER TABLE "profile_appreciations"
    ADD CONSTRAINT "profile_appreciations_profileId_fkey" FOREIGN KEY ("profileId")
        REFERENCES "profiles" ("id") ON DELETE CASCADE ON UPDATE NO ACTION;

ALTER TABLE "profile_followers"
    ADD CONSTRAINT "profile_followers_profileId_fkey" FOREIGN KEY ("profileId")
        REFERENCES "profiles" ("id") ON DELETE CASCADE ON UPDATE NO ACTION;

ALTER TABLE "profile_engagement_jobs"
    ADD CONSTRAINT "profile_engagement_jobs_profileId_fkey" FOREIGN KEY ("profileId")
        REFERENCES "profiles" ("id") ON DELETE CASCADE ON UPDATE NO ACTION;

ALTER TABLE "profiles" ADD COLUMN "engagementRefreshedAt" TIMESTAMP WITH TIME ZONE;
