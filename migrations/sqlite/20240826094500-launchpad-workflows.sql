-- 20240826094500-launchpad-workflows
--
-- Why: launchpads become managed programmes (type, status, schedule, capacity, eligibility,
--      sponsorship) with their own application, employer-request, placement and opportunity-link
--      workflows.
-- Impact: adds ten columns to experience_launchpads and creates four tables with their eight
--      indexes. SQLite is embedded: no concurrent writers to protect. ADD COLUMN only edits the
--      stored CREATE TABLE text (no row is rewritten); the migration's transaction holds the
--      database write lock until it commits.
--      Lock waits: nothing to bound (no lock_timeout): SQLite is embedded, with no concurrent
--      writers to queue behind the migration. Should another connection hold the write lock,
--      yoyo's driver (Python sqlite3) waits up to its default 5 s, then fails with "database is
--      locked" and the migration's transaction leaves nothing behind.
-- Rollback: drops the four tables and the ten columns; every launchpad application, employer
--      request, placement and opportunity link, and the programme data of every launchpad, is lost.
-- Dialect: enums are TEXT with a CHECK of the allowed values, JSON columns carry
--      CHECK ("col" IS NULL OR json_valid("col")): before SQLite 3.45 json_valid(NULL) is 0, not
--      NULL, so a bare json_valid CHECK would reject NULL in these nullable columns, and ADD COLUMN
--      (which checks existing rows since 3.37) would fail on a table that has rows. Every CHECK is
--      on its column, so DROP COLUMN (SQLite 3.35+) can remove it again. ALTER TABLE adds one
--      column per statement in SQLite: ten statements instead of one. No lock_timeout and no enum
--      types.
--
-- depends: 20240801090000-trust-payments

ALTER TABLE "experience_launchpads" ADD COLUMN "programType" VARCHAR(60) NOT NULL DEFAULT 'cohort';

ALTER TABLE "experience_launchpads" ADD COLUMN "status" TEXT NOT NULL DEFAULT 'recruiting' CHECK ("status" IN ('draft', 'recruiting', 'active', 'archived'));

ALTER TABLE "experience_launchpads" ADD COLUMN "applicationUrl" VARCHAR(500);

ALTER TABLE "experience_launchpads" ADD COLUMN "mentorLead" VARCHAR(255);

ALTER TABLE "experience_launchpads" ADD COLUMN "startDate" DATETIME;

ALTER TABLE "experience_launchpads" ADD COLUMN "endDate" DATETIME;

ALTER TABLE "experience_launchpads" ADD COLUMN "capacity" INTEGER;

ALTER TABLE "experience_launchpads" ADD COLUMN "eligibilityCriteria" JSON CHECK ("eligibilityCriteria" IS NULL OR json_valid("eligibilityCriteria"));

ALTER TABLE "experience_launchpads" ADD COLUMN "employerSponsorship" JSON CHECK ("employerSponsorship" IS NULL OR json_valid("employerSponsorship"));

ALTER TABLE "experience_launchpads" ADD COLUMN "publishedAt" DATETIME;

CREATE TABLE "experience_launchpad_applications" (
    "id" INTEGER PRIMARY KEY AUTOINCREMENT,
    "launchpadId" INTEGER NOT NULL,
    "applicantId" INTEGER NOT NULL,
    "applicationId" INTEGER,
    "status" TEXT NOT NULL DEFAULT 'screening' CHECK ("status" IN ('screening', 'interview', 'accepted', 'waitlisted', 'rejected', 'withdrawn', 'completed')),
    "qualificationScore" DECIMAL(5,2),
    "yearsExperience" DECIMAL(4,1),
    "skills" JSON CHECK ("skills" IS NULL OR json_valid("skills")),
    "motivations" TEXT,
    "portfolioUrl" VARCHAR(500),
    "availabilityDate" DATETIME,
    "eligibilitySnapshot" JSON CHECK ("eligibilitySnapshot" IS NULL OR json_valid("eligibilitySnapshot")),
    "assignedMentor" VARCHAR(255),
    "interviewScheduledAt" DATETIME,
    "decisionNotes" TEXT,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "experience_launchpad_applications_launchpadId_fkey" FOREIGN KEY ("launchpadId")
        REFERENCES "experience_launchpads" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "experience_launchpad_applications_applicantId_fkey" FOREIGN KEY ("applicantId")
        REFERENCES "users" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "experience_launchpad_applications_applicationId_fkey" FOREIGN KEY ("applicationId")
        REFERENCES "applications" ("id") ON DELETE SET NULL ON UPDATE CASCADE
);

CREATE INDEX "experience_launchpad_applications_applicant_id" ON "experience_launchpad_applications" ("applicantId");

-- serves: a launchpad's applicant pipeline by status (launchpadId leads, so it also serves the FK)
CREATE INDEX "experience_launchpad_applications_launchpad_id_status" ON "experience_launchpad_applications" ("launchpadId", "status");

CREATE TABLE "experience_launchpad_employer_requests" (
    "id" INTEGER PRIMARY KEY AUTOINCREMENT,
    "launchpadId" INTEGER NOT NULL,
    "organizationName" VARCHAR(255) NOT NULL,
    "contactName" VARCHAR(255) NOT NULL,
    "contactEmail" VARCHAR(255) NOT NULL,
    "headcount" INTEGER,
    "engagementTypes" JSON CHECK ("engagementTypes" IS NULL OR json_valid("engagementTypes")),
    "targetStartDate" DATETIME,
    "idealCandidateProfile" TEXT,
    "hiringNotes" TEXT,
    "status" TEXT NOT NULL DEFAULT 'new' CHECK ("status" IN ('new', 'needs_review', 'approved', 'declined', 'paused')),
    "slaCommitmentDays" INTEGER,
    "createdById" INTEGER,
    "metadata" JSON CHECK ("metadata" IS NULL OR json_valid("metadata")),
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "experience_launchpad_employer_requests_launchpadId_fkey" FOREIGN KEY ("launchpadId")
        REFERENCES "experience_launchpads" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "experience_launchpad_employer_requests_createdById_fkey" FOREIGN KEY ("createdById")
        REFERENCES "users" ("id") ON DELETE SET NULL ON UPDATE CASCADE
);

CREATE INDEX "experience_launchpad_employer_requests_contact_email" ON "experience_launchpad_employer_requests" ("contactEmail");

-- serves: a launchpad's employer requests by status (launchpadId leads, so it also serves the FK)
CREATE INDEX "experience_launchpad_employer_requests_launchpad_id_status" ON "experience_launchpad_employer_requests" ("launchpadId", "status");

CREATE TABLE "experience_launchpad_placements" (
    "id" INTEGER PRIMARY KEY AUTOINCREMENT,
    "launchpadId" INTEGER NOT NULL,
    "candidateId" INTEGER NOT NULL,
    "employerRequestId" INTEGER,
    "targetType" TEXT CHECK ("targetType" IN ('job', 'gig', 'project')),
    "targetId" INTEGER,
    "status" TEXT NOT NULL DEFAULT 'scheduled' CHECK ("status" IN ('scheduled', 'in_progress', 'completed', 'cancelled')),
    "placementDate" DATETIME,
    "endDate" DATETIME,
    "compensation" JSON CHECK ("compensation" IS NULL OR json_valid("compensation")),
    "feedbackScore" DECIMAL(4,2),
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "experience_launchpad_placements_launchpadId_fkey" FOREIGN KEY ("launchpadId")
        REFERENCES "experience_launchpads" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "experience_launchpad_placements_candidateId_fkey" FOREIGN KEY ("candidateId")
        REFERENCES "experience_launchpad_applications" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "experience_launchpad_placements_employerRequestId_fkey" FOREIGN KEY ("employerRequestId")
        REFERENCES "experience_launchpad_employer_requests" ("id") ON DELETE SET NULL ON UPDATE CASCADE
);

CREATE INDEX "experience_launchpad_placements_candidate_id" ON "experience_launchpad_placements" ("candidateId");

-- serves: a launchpad's placements by status (launchpadId leads, so it also serves the FK)
CREATE INDEX "experience_launchpad_placements_launchpad_id_status" ON "experience_launchpad_placements" ("launchpadId", "status");

CREATE TABLE "experience_launchpad_opportunity_links" (
    "id" INTEGER PRIMARY KEY AUTOINCREMENT,
    "launchpadId" INTEGER NOT NULL,
    "targetType" TEXT NOT NULL CHECK ("targetType" IN ('job', 'gig', 'project')),
    "targetId" INTEGER NOT NULL,
    "source" TEXT NOT NULL DEFAULT 'manual' CHECK ("source" IN ('employer_request', 'placement', 'manual')),
    "createdById" INTEGER,
    "notes" TEXT,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "experience_launchpad_opportunity_links_launchpadId_fkey" FOREIGN KEY ("launchpadId")
        REFERENCES "experience_launchpads" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "experience_launchpad_opportunity_links_createdById_fkey" FOREIGN KEY ("createdById")
        REFERENCES "users" ("id") ON DELETE SET NULL ON UPDATE CASCADE
);

-- serves: a launchpad's linked jobs, gigs or projects of one kind (launchpadId leads: also the FK)
CREATE INDEX "experience_launchpad_opportunity_links_launchpad_id_target_type" ON "experience_launchpad_opportunity_links" ("launchpadId", "targetType");

-- serves: the launchpads linked to one job, gig or project (targetType/targetId is polymorphic: no FK)
CREATE INDEX "experience_launchpad_opportunity_links_target_type_target_id" ON "experience_launchpad_opportunity_links" ("targetType", "targetId");
