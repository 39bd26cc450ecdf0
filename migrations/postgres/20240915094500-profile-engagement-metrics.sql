-- 20240915094500-profile-engagement-metrics
--
-- Why: profiles gain appreciations and followers (one per actor and kind, one per follower) and a
--      work queue that background workers lock, retry and order to recompute engagement metrics.
-- Impact: adds profiles.engagementRefreshedAt and creates three tables, two unique constraints, two
--      indexes and three enum types. Every statement first waits at most 5 s for its lock
--      (lock_timeout), then fails and the whole migration rolls back: run it again.
--      ALTER TABLE profiles ADD COLUMN (nullable, no default): ACCESS EXCLUSIVE on profiles (reads
--      and writes wait) for a catalog-only change, no rewrite and no scan, held until this
--      transaction commits, a few milliseconds later.
--      The CREATE TABLEs' foreign keys take SHARE ROW EXCLUSIVE (writes wait, reads continue) on
--      users (profiles is already locked) until commit.
-- Rollback: drops the three tables, the column and the three enum types; every appreciation,
--      follower, queued job and refresh timestamp is lost. It takes ACCESS EXCLUSIVE on profiles
--      and users (dropping the tables removes their foreign-key triggers there) until commit, with
--      the same 5 s lock_timeout.
-- Dialect: the reference file; mysql/ and sqlite/ say how they differ from it. SET LOCAL ends with
--      the migration's transaction (yoyo runs the whole file in one).
--
-- depends: 20240901120000-add-project-owner

SET LOCAL lock_timeout = '5s';

CREATE TYPE "enum_profile_appreciations_appreciationType" AS ENUM ('like', 'celebrate', 'support', 'endorse', 'applause');

CREATE TYPE "enum_profile_followers_status" AS ENUM ('active', 'muted', 'blocked');

CREATE TYPE "enum_profile_engagement_jobs_status" AS ENUM ('pending', 'completed', 'failed');

ALTER TABLE "profiles" ADD COLUMN "engagementRefreshedAt" TIMESTAMP WITH TIME ZONE;

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
    CONSTRAINT "profile_appreciations_unique_actor_type" UNIQUE ("profileId", "actorId", "appreciationType"),
    CONSTRAINT "profile_appreciations_profileId_fkey" FOREIGN KEY ("profileId")
        REFERENCES "profiles" ("id") ON DELETE CASCADE ON UPDATE NO ACTION,
    CONSTRAINT "profile_appreciations_actorId_fkey" FOREIGN KEY ("actorId")
        REFERENCES "users" ("id") ON DELETE CASCADE ON UPDATE NO ACTION
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
    CONSTRAINT "profile_followers_unique_pair" UNIQUE ("profileId", "followerId"),
    CONSTRAINT "profile_followers_profileId_fkey" FOREIGN KEY ("profileId")
        REFERENCES "profiles" ("id") ON DELETE CASCADE ON UPDATE NO ACTION,
    CONSTRAINT "profile_followers_followerId_fkey" FOREIGN KEY ("followerId")
        REFERENCES "users" ("id") ON DELETE CASCADE ON UPDATE NO ACTION
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
    "updatedAt" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "profile_engagement_jobs_profileId_fkey" FOREIGN KEY ("profileId")
        REFERENCES "profiles" ("id") ON DELETE CASCADE ON UPDATE NO ACTION
);

CREATE INDEX "profile_engagement_jobs_profile_id" ON "profile_engagement_jobs" ("profileId");

-- serves: the workers' poll, WHERE status = 'pending' AND scheduledAt <= now ORDER BY scheduledAt
CREATE INDEX "profile_engagement_jobs_status_scheduled_at" ON "profile_engagement_jobs" ("status", "scheduledAt");
