-- NAIVE form of 20240826094500-launchpad-workflows, for `make bench` only: never apply it to a real
-- database. It builds what migrations/postgres/20240826094500-launchpad-workflows.sql builds, in
-- the order that file used before issue 10, so the benchmark can measure what the lock handling
-- of the real file is worth.
-- What makes it naive: no lock_timeout, and the locks on existing tables taken early. The ALTER
--      TABLE comes right after the types and the CREATE TABLEs declare their foreign keys to
--      experience_launchpads, users and applications inline, so experience_launchpads is locked
--      (ACCESS EXCLUSIVE: reads and writes wait) from the ALTER through every CREATE TABLE and
--      CREATE INDEX to the commit; the real file takes those locks in its last statements. With no
--      lock_timeout, the ALTER's request waits behind any open transaction that touched the table,
--      however long, and every read and write of the table queues behind it meanwhile. Adding the
--      columns is catalog-only in both forms (constant defaults, PostgreSQL 11+).
--
-- depends: 20240801090000-trust-payments

CREATE TYPE "enum_experience_launchpads_status" AS ENUM ('draft', 'recruiting', 'active', 'archived');

CREATE TYPE "enum_experience_launchpad_applications_status" AS ENUM ('screening', 'interview', 'accepted', 'waitlisted', 'rejected', 'withdrawn', 'completed');

CREATE TYPE "enum_experience_launchpad_employer_requests_status" AS ENUM ('new', 'needs_review', 'approved', 'declined', 'paused');

CREATE TYPE "enum_experience_launchpad_placements_targetType" AS ENUM ('job', 'gig', 'project');

CREATE TYPE "enum_experience_launchpad_placements_status" AS ENUM ('scheduled', 'in_progress', 'completed', 'cancelled');

CREATE TYPE "enum_experience_launchpad_opportunity_links_targetType" AS ENUM ('job', 'gig', 'project');

CREATE TYPE "enum_experience_launchpad_opportunity_links_source" AS ENUM ('employer_request', 'placement', 'manual');

ALTER TABLE "experience_launchpads"
    ADD COLUMN "programType" VARCHAR(60) NOT NULL DEFAULT 'cohort',
    ADD COLUMN "status" "enum_experience_launchpads_status" NOT NULL DEFAULT 'recruiting',
    ADD COLUMN "applicationUrl" VARCHAR(500),
    ADD COLUMN "mentorLead" VARCHAR(255),
    ADD COLUMN "startDate" TIMESTAMP WITH TIME ZONE,
    ADD COLUMN "endDate" TIMESTAMP WITH TIME ZONE,
    ADD COLUMN "capacity" INTEGER,
    ADD COLUMN "eligibilityCriteria" JSONB,
    ADD COLUMN "employerSponsorship" JSONB,
    ADD COLUMN "publishedAt" TIMESTAMP WITH TIME ZONE;

CREATE TABLE "experience_launchpad_applications" (
    "id" SERIAL PRIMARY KEY,
    "launchpadId" INTEGER NOT NULL,
    "applicantId" INTEGER NOT NULL,
    "applicationId" INTEGER,
    "status" "enum_experience_launchpad_applications_status" NOT NULL DEFAULT 'screening',
    "qualificationScore" NUMERIC(5,2),
    "yearsExperience" NUMERIC(4,1),
    "skills" JSON,
    "motivations" TEXT,
    "portfolioUrl" VARCHAR(500),
    "availabilityDate" TIMESTAMP WITH TIME ZONE,
    "eligibilitySnapshot" JSONB,
    "assignedMentor" VARCHAR(255),
    "interviewScheduledAt" TIMESTAMP WITH TIME ZONE,
    "decisionNotes" TEXT,
    "createdAt" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT CURRENT_TIMESTAMP,
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
    "id" SERIAL PRIMARY KEY,
    "launchpadId" INTEGER NOT NULL,
    "organizationName" VARCHAR(255) NOT NULL,
    "contactName" VARCHAR(255) NOT NULL,
    "contactEmail" VARCHAR(255) NOT NULL,
    "headcount" INTEGER,
    "engagementTypes" JSON,
    "targetStartDate" TIMESTAMP WITH TIME ZONE,
    "idealCandidateProfile" TEXT,
    "hiringNotes" TEXT,
    "status" "enum_experience_launchpad_employer_requests_status" NOT NULL DEFAULT 'new',
    "slaCommitmentDays" INTEGER,
    "createdById" INTEGER,
    "metadata" JSONB,
    "createdAt" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "experience_launchpad_employer_requests_launchpadId_fkey" FOREIGN KEY ("launchpadId")
        REFERENCES "experience_launchpads" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "experience_launchpad_employer_requests_createdById_fkey" FOREIGN KEY ("createdById")
        REFERENCES "users" ("id") ON DELETE SET NULL ON UPDATE CASCADE
);

CREATE INDEX "experience_launchpad_employer_requests_contact_email" ON "experience_launchpad_employer_requests" ("contactEmail");

-- serves: a launchpad's employer requests by status (launchpadId leads, so it also serves the FK)
CREATE INDEX "experience_launchpad_employer_requests_launchpad_id_status" ON "experience_launchpad_employer_requests" ("launchpadId", "status");

CREATE TABLE "experience_launchpad_placements" (
    "id" SERIAL PRIMARY KEY,
    "launchpadId" INTEGER NOT NULL,
    "candidateId" INTEGER NOT NULL,
    "employerRequestId" INTEGER,
    "targetType" "enum_experience_launchpad_placements_targetType",
    "targetId" INTEGER,
    "status" "enum_experience_launchpad_placements_status" NOT NULL DEFAULT 'scheduled',
    "placementDate" TIMESTAMP WITH TIME ZONE,
    "endDate" TIMESTAMP WITH TIME ZONE,
    "compensation" JSONB,
    "feedbackScore" NUMERIC(4,2),
    "createdAt" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT CURRENT_TIMESTAMP,
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
    "id" SERIAL PRIMARY KEY,
    "launchpadId" INTEGER NOT NULL,
    "targetType" "enum_experience_launchpad_opportunity_links_targetType" NOT NULL,
    "targetId" INTEGER NOT NULL,
    "source" "enum_experience_launchpad_opportunity_links_source" NOT NULL DEFAULT 'manual',
    "createdById" INTEGER,
    "notes" TEXT,
    "createdAt" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "experience_launchpad_opportunity_links_launchpadId_fkey" FOREIGN KEY ("launchpadId")
        REFERENCES "experience_launchpads" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "experience_launchpad_opportunity_links_createdById_fkey" FOREIGN KEY ("createdById")
        REFERENCES "users" ("id") ON DELETE SET NULL ON UPDATE CASCADE
);

-- serves: a launchpad's linked jobs, gigs or projects of one kind (launchpadId leads: also the FK)
CREATE INDEX "experience_launchpad_opportunity_links_launchpad_id_target_type" ON "experience_launchpad_opportunity_links" ("launchpadId", "targetType");

-- serves: the launchpads linked to one job, gig or project (targetType/targetId is polymorphic: no FK)
CREATE INDEX "experience_launchpad_opportunity_links_target_type_target_id" ON "experience_launchpad_opportunity_links" ("targetType", "targetId");
