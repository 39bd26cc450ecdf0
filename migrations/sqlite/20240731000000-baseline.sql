-- 20240731000000-baseline
--
-- Why: the tables the Communication & Engagement Suite builds on, exactly as they stood before it.
--      A fresh database gets them from this file; a database the old system built is adopted
--      with `make adopt` (docs/adoption.md) and never runs it.
-- Impact: creates seven tables; touches nothing that exists.
-- Rollback: drops the seven tables; every row in them is lost.
--      feed_posts is created in the old system's shape (nullable userId, content and visibility);
--      20240801090000-feed-engagement evolves it.
-- Dialect: enums are TEXT with a CHECK of the allowed values, booleans BOOLEAN with CHECK (0, 1),
--      JSON columns carry CHECK ("col" IS NULL OR json_valid("col")) (json_valid(NULL) is 0 on SQLite
--      3.40, which would refuse NULL), so SQLite rejects what the servers reject.
--      Serial ids are INTEGER PRIMARY KEY AUTOINCREMENT (ids are never reused, as on the servers).
--      Foreign keys are enforced only on connections that run PRAGMA foreign_keys = ON.

CREATE TABLE "users" (
    "id" INTEGER PRIMARY KEY AUTOINCREMENT,
    "firstName" VARCHAR(255),
    "lastName" VARCHAR(255),
    "email" VARCHAR(255) NOT NULL,
    "password" VARCHAR(255) NOT NULL,
    "address" VARCHAR(255),
    "age" INTEGER,
    "userType" TEXT DEFAULT 'user' CHECK ("userType" IN ('user', 'company', 'freelancer', 'agency', 'admin')),
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "users_email_key" UNIQUE ("email")
);

CREATE TABLE "profiles" (
    "id" INTEGER PRIMARY KEY AUTOINCREMENT,
    "userId" INTEGER,
    "headline" VARCHAR(255),
    "bio" TEXT,
    "skills" TEXT,
    "experience" TEXT,
    "education" TEXT,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "profiles_userId_fkey" FOREIGN KEY ("userId")
        REFERENCES "users" ("id") ON DELETE CASCADE ON UPDATE NO ACTION
);

CREATE TABLE "projects" (
    "id" INTEGER PRIMARY KEY AUTOINCREMENT,
    "title" VARCHAR(255),
    "description" TEXT,
    "status" VARCHAR(255),
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
);

CREATE TABLE "gigs" (
    "id" INTEGER PRIMARY KEY AUTOINCREMENT,
    "title" VARCHAR(255),
    "description" TEXT,
    "budget" VARCHAR(255),
    "duration" VARCHAR(255),
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
);

CREATE TABLE "experience_launchpads" (
    "id" INTEGER PRIMARY KEY AUTOINCREMENT,
    "title" VARCHAR(255),
    "description" TEXT,
    "track" VARCHAR(255),
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
);

CREATE TABLE "applications" (
    "id" INTEGER PRIMARY KEY AUTOINCREMENT,
    "applicantId" INTEGER NOT NULL,
    "targetType" TEXT NOT NULL CHECK ("targetType" IN ('job', 'gig', 'project', 'launchpad', 'volunteer')),
    "targetId" INTEGER NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'submitted' CHECK ("status" IN ('draft', 'submitted', 'under_review', 'shortlisted', 'interview', 'offered', 'hired', 'rejected', 'withdrawn')),
    "sourceChannel" TEXT NOT NULL DEFAULT 'web' CHECK ("sourceChannel" IN ('web', 'mobile', 'referral', 'agency', 'import')),
    "coverLetter" TEXT,
    "attachments" JSON CHECK ("attachments" IS NULL OR json_valid("attachments")),
    "rateExpectation" DECIMAL(12,2),
    "currencyCode" VARCHAR(3),
    "availabilityDate" DATE,
    "isArchived" BOOLEAN NOT NULL DEFAULT 0 CHECK ("isArchived" IN (0, 1)),
    "submittedAt" DATETIME,
    "decisionAt" DATETIME,
    "metadata" JSON CHECK ("metadata" IS NULL OR json_valid("metadata")),
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "applications_applicantId_fkey" FOREIGN KEY ("applicantId")
        REFERENCES "users" ("id") ON DELETE CASCADE ON UPDATE NO ACTION
);

CREATE INDEX "applications_applicant_id" ON "applications" ("applicantId");

CREATE INDEX "applications_status" ON "applications" ("status");

CREATE INDEX "applications_target_type_target_id" ON "applications" ("targetType", "targetId");

CREATE TABLE "feed_posts" (
    "id" INTEGER PRIMARY KEY AUTOINCREMENT,
    "userId" INTEGER,
    "content" TEXT,
    "visibility" TEXT DEFAULT 'public' CHECK ("visibility" IN ('public', 'connections')),
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "feed_posts_userId_fkey" FOREIGN KEY ("userId")
        REFERENCES "users" ("id") ON DELETE CASCADE ON UPDATE NO ACTION
);
