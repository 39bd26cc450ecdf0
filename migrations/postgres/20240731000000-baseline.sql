-- 20240731000000-baseline
--
-- Why: the tables the Communication & Engagement Suite builds on, exactly as they stood before it.
--      A fresh database gets them from this file; a database the old system built is adopted
--      with `make adopt` (docs/adoption.md) and never runs it.
-- Impact: creates seven tables and five enum types; touches nothing that exists.
-- Rollback: drops the seven tables and the five enum types; every row in them is lost.
--      feed_posts is created in the old system's shape (nullable userId, content and visibility,
--      ON UPDATE NO ACTION, no indexes besides the primary key): every database the old system
--      built has it so, and 20240801090000-feed-engagement evolves it on both.
-- Dialect: the reference file; mysql/ and sqlite/ say how they differ from it.

CREATE TYPE "enum_users_userType" AS ENUM ('user', 'company', 'freelancer', 'agency', 'admin');

CREATE TYPE "enum_applications_targetType" AS ENUM ('job', 'gig', 'project', 'launchpad', 'volunteer');

CREATE TYPE "enum_applications_status" AS ENUM ('draft', 'submitted', 'under_review', 'shortlisted', 'interview', 'offered', 'hired', 'rejected', 'withdrawn');

CREATE TYPE "enum_applications_sourceChannel" AS ENUM ('web', 'mobile', 'referral', 'agency', 'import');

CREATE TYPE "enum_feed_posts_visibility" AS ENUM ('public', 'connections');

CREATE TABLE "users" (
    "id" SERIAL PRIMARY KEY,
    "firstName" VARCHAR(255),
    "lastName" VARCHAR(255),
    "email" VARCHAR(255) NOT NULL,
    "password" VARCHAR(255) NOT NULL,
    "address" VARCHAR(255),
    "age" INTEGER,
    "userType" "enum_users_userType" DEFAULT 'user',
    "createdAt" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "users_email_key" UNIQUE ("email")
);

CREATE TABLE "profiles" (
    "id" SERIAL PRIMARY KEY,
    "userId" INTEGER,
    "headline" VARCHAR(255),
    "bio" TEXT,
    "skills" TEXT,
    "experience" TEXT,
    "education" TEXT,
    "createdAt" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "profiles_userId_fkey" FOREIGN KEY ("userId")
        REFERENCES "users" ("id") ON DELETE CASCADE ON UPDATE NO ACTION
);

CREATE TABLE "projects" (
    "id" SERIAL PRIMARY KEY,
    "title" VARCHAR(255),
    "description" TEXT,
    "status" VARCHAR(255),
    "createdAt" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT CURRENT_TIMESTAMP
);

CREATE TABLE "gigs" (
    "id" SERIAL PRIMARY KEY,
    "title" VARCHAR(255),
    "description" TEXT,
    "budget" VARCHAR(255),
    "duration" VARCHAR(255),
    "createdAt" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT CURRENT_TIMESTAMP
);

CREATE TABLE "experience_launchpads" (
    "id" SERIAL PRIMARY KEY,
    "title" VARCHAR(255),
    "description" TEXT,
    "track" VARCHAR(255),
    "createdAt" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT CURRENT_TIMESTAMP
);

CREATE TABLE "applications" (
    "id" SERIAL PRIMARY KEY,
    "applicantId" INTEGER NOT NULL,
    "targetType" "enum_applications_targetType" NOT NULL,
    "targetId" INTEGER NOT NULL,
    "status" "enum_applications_status" NOT NULL DEFAULT 'submitted',
    "sourceChannel" "enum_applications_sourceChannel" NOT NULL DEFAULT 'web',
    "coverLetter" TEXT,
    "attachments" JSONB,
    "rateExpectation" NUMERIC(12,2),
    "currencyCode" VARCHAR(3),
    "availabilityDate" DATE,
    "isArchived" BOOLEAN NOT NULL DEFAULT false,
    "submittedAt" TIMESTAMP WITH TIME ZONE,
    "decisionAt" TIMESTAMP WITH TIME ZONE,
    "metadata" JSONB,
    "createdAt" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "applications_applicantId_fkey" FOREIGN KEY ("applicantId")
        REFERENCES "users" ("id") ON DELETE CASCADE ON UPDATE NO ACTION
);

CREATE INDEX "applications_applicant_id" ON "applications" ("applicantId");

CREATE INDEX "applications_status" ON "applications" ("status");

CREATE INDEX "applications_target_type_target_id" ON "applications" ("targetType", "targetId");

CREATE TABLE "feed_posts" (
    "id" SERIAL PRIMARY KEY,
    "userId" INTEGER,
    "content" TEXT,
    "visibility" "enum_feed_posts_visibility" DEFAULT 'public',
    "createdAt" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "feed_posts_userId_fkey" FOREIGN KEY ("userId")
        REFERENCES "users" ("id") ON DELETE CASCADE ON UPDATE NO ACTION
);
