-- 20240915094500-profile-engagement-metrics
--
-- Why: profiles gain appreciations and followers (one per actor and kind, one per follower) and a
--      work queue that background workers lock, retry and order to recompute engagement metrics.
-- Impact: adds profiles.engagementRefreshedAt and creates three tables with their unique
--      constraints and indexes. SQLite is embedded: no concurrent writers to protect. ADD COLUMN
--      only edits the stored CREATE TABLE text (existing rows read NULL); the migration's
--      transaction holds the database write lock until it commits.
--      Lock waits: nothing to bound (no lock_timeout): SQLite is embedded, with no concurrent
--      writers to queue behind the migration. Should another connection hold the write lock,
--      yoyo's driver (Python sqlite3) waits up to its default 5 s, then fails with "database is
--      locked" and the migration's transaction leaves nothing behind.
-- Rollback: drops the three tables and the column (DROP COLUMN, SQLite 3.35+); every appreciation,
--      follower, queued job and refresh timestamp is lost.
-- Dialect: enums are TEXT with a CHECK of the allowed values, booleans BOOLEAN with CHECK (0, 1),
--      JSON columns carry CHECK ("col" IS NULL OR json_valid("col")) (before SQLite 3.45
--      json_valid(NULL) is 0, which would reject NULL in these nullable columns), so SQLite rejects
--      what the servers reject, and only that. No lock_timeout and no enum types.
--
-- depends: 20240901120000-add-project-owner

ALTER TABLE "profiles" ADD COLUMN "engagementRefreshedAt" DATETIME;

CREATE TABLE "profile_appreciations" (
    "id" INTEGER PRIMARY KEY AUTOINCREMENT,
    "profileId" INTEGER NOT NULL,
    "actorId" INTEGER NOT NULL,
    "appreciationType" TEXT NOT NULL DEFAULT 'like' CHECK ("appreciationType" IN ('like', 'celebrate', 'support', 'endorse', 'applause')),
    "source" VARCHAR(120),
    "metadata" JSON CHECK ("metadata" IS NULL OR json_valid("metadata")),
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    -- one appreciation of each kind per actor per profile; profileId leads, so it serves the FK
    CONSTRAINT "profile_appreciations_unique_actor_type" UNIQUE ("profileId", "actorId", "appreciationType"),
    CONSTRAINT "profile_appreciations_profileId_fkey" FOREIGN KEY ("profileId")
        REFERENCES "profiles" ("id") ON DELETE CASCADE ON UPDATE NO ACTION,
    CONSTRAINT "profile_appreciations_actorId_fkey" FOREIGN KEY ("actorId")
        REFERENCES "users" ("id") ON DELETE CASCADE ON UPDATE NO ACTION
);

CREATE TABLE "profile_followers" (
    "id" INTEGER PRIMARY KEY AUTOINCREMENT,
    "profileId" INTEGER NOT NULL,
    "followerId" INTEGER NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'active' CHECK ("status" IN ('active', 'muted', 'blocked')),
    "notificationsEnabled" BOOLEAN NOT NULL DEFAULT 1 CHECK ("notificationsEnabled" IN (0, 1)),
    "metadata" JSON CHECK ("metadata" IS NULL OR json_valid("metadata")),
    "followedAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    -- one follow per follower per profile; profileId leads, so it serves the FK
    CONSTRAINT "profile_followers_unique_pair" UNIQUE ("profileId", "followerId"),
    CONSTRAINT "profile_followers_profileId_fkey" FOREIGN KEY ("profileId")
        REFERENCES "profiles" ("id") ON DELETE CASCADE ON UPDATE NO ACTION,
    CONSTRAINT "profile_followers_followerId_fkey" FOREIGN KEY ("followerId")
        REFERENCES "users" ("id") ON DELETE CASCADE ON UPDATE NO ACTION
);

CREATE TABLE "profile_engagement_jobs" (
    "id" INTEGER PRIMARY KEY AUTOINCREMENT,
    "profileId" INTEGER NOT NULL,
    "scheduledAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "priority" INTEGER NOT NULL DEFAULT 0,
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "status" TEXT NOT NULL DEFAULT 'pending' CHECK ("status" IN ('pending', 'completed', 'failed')),
    "lockedAt" DATETIME,
    "lockedBy" VARCHAR(120),
    "lastError" TEXT,
    "reason" VARCHAR(255),
    "metadata" JSON CHECK ("metadata" IS NULL OR json_valid("metadata")),
    "completedAt" DATETIME,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "profile_engagement_jobs_profileId_fkey" FOREIGN KEY ("profileId")
        REFERENCES "profiles" ("id") ON DELETE CASCADE ON UPDATE NO ACTION
);

CREATE INDEX "profile_engagement_jobs_profile_id" ON "profile_engagement_jobs" ("profileId");

-- serves: the workers' poll, WHERE status = 'pending' AND scheduledAt <= now ORDER BY scheduledAt
CREATE INDEX "profile_engagement_jobs_status_scheduled_at" ON "profile_engagement_jobs" ("status", "scheduledAt");
