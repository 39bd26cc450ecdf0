-- NAIVE form of 20240915094500-profile-engagement-metrics, for `make bench` only: never apply it to a
-- real database. It builds what migrations/postgres/20240915094500-profile-engagement-metrics.sql
-- builds, in the order that file used before issue 10, so the benchmark can measure what the lock
-- handling of the real file is worth.
-- What makes it naive: no lock_timeout, and the locks on existing tables taken early. The ALTER
--      TABLE on profiles comes right after the types and the CREATE TABLEs declare their foreign
--      keys to profiles and users inline, so profiles is locked (ACCESS EXCLUSIVE: reads and writes
--      wait) from the ALTER through every CREATE TABLE and CREATE INDEX to the commit; the real file
--      takes those locks in its last statements. With no lock_timeout, the ALTER's request waits
--      behind any open transaction that touched the table, however long, and every read and write
--      of profiles queues behind it meanwhile. The column (nullable, no default) is catalog-only in
--      both forms.
--
-- depends: 20240901120000-add-project-owner

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

-- serves: the workers' poll, WHERE "status" = 'pending' AND "scheduledAt" <= now() ORDER BY "scheduledAt"
CREATE INDEX "profile_engagement_jobs_status_scheduled_at" ON "profile_engagement_jobs" ("status", "scheduledAt");
