-- 20240826094500-launchpad-workflows
--
-- Why: launchpads become managed programmes (type, status, schedule, capacity, eligibility,
--      sponsorship) with their own application, employer-request, placement and opportunity-link
--      workflows.
-- Impact: adds ten columns to experience_launchpads and creates four tables, eight indexes and
--      seven enum types. Everything that locks a table existing before this migration comes last,
--      right before the commit, so those locks are held for the fewest milliseconds:
--      first the types, the four tables (with only their foreign keys to each other) and their
--      indexes, which lock nothing that exists; then ALTER TABLEs on the new tables add their
--      foreign keys, first those to users and applications, then those to experience_launchpads,
--      each taking SHARE ROW EXCLUSIVE on the table it references (writes wait, reads continue;
--      the new tables are empty, nothing to check); last, ALTER TABLE experience_launchpads takes
--      ACCESS EXCLUSIVE (reads and writes wait) for a catalog-only change: the defaults are
--      constants, so PostgreSQL 11+ rewrites no row and scans nothing. All these locks are held
--      until the commit that follows; experience_launchpads, the table this migration alters,
--      is locked by its last five statements only.
--      lock_timeout = 100 ms bounds each of these lock waits: while a statement waits for its
--      lock, every later write (and, for the last ALTER, read) of that table queues behind it,
--      so 100 ms is the longest a writer stalls per attempt; it is far above the milliseconds
--      the locks are normally granted in. Behind a long transaction (a report, a session idle in
--      transaction) that holds any lock on one of those tables, the statement times out after
--      100 ms (SQLSTATE 55P03), the whole migration rolls back (nothing is left half-done), the
--      queued writers go on, and `make migrate` retries it; plain `yoyo apply` fails and must be
--      run again.
-- Rollback: drops the four tables, the ten columns and the seven enum types; every launchpad
--      application, employer request, placement and opportunity link, and the programme data of
--      every launchpad, is lost. It takes ACCESS EXCLUSIVE on experience_launchpads, users and
--      applications (dropping the tables removes their foreign-key triggers there) until commit,
--      with the same 100 ms lock_timeout.
-- Dialect: the reference file; mysql/ and sqlite/ say how they differ from it. SET LOCAL ends with
--      the migration's transaction (yoyo runs the whole file in one). skills and engagementTypes
--      are plain JSON, as the old system made them; every other JSON column is JSONB. The foreign
--      keys to existing tables are added by ALTER TABLE rather than inside CREATE TABLE only to
--      take their locks late: the catalog is the same either way.
--
-- depends: 20240801090000-trust-payments

SET LOCAL lock_timeout = '100ms';

CREATE TYPE "enum_experience_launchpads_status" AS ENUM ('draft', 'recruiting', 'active', 'archived');

CREATE TYPE "enum_experience_launchpad_applications_status" AS ENUM ('screening', 'interview', 'accepted', 'waitlisted', 'rejected', 'withdrawn', 'completed');

CREATE TYPE "enum_experience_launchpad_employer_requests_status" AS ENUM ('new', 'needs_review', 'approved', 'declined', 'paused');

CREATE TYPE "enum_experience_launchpad_placements_targetType" AS ENUM ('job', 'gig', 'project');

CREATE TYPE "enum_experience_launchpad_placements_status" AS ENUM ('scheduled', 'in_progress', 'completed', 'cancelled');

CREATE TYPE "enum_experience_launchpad_opportunity_links_targetType" AS ENUM ('job', 'gig', 'project');

CREATE TYPE "enum_experience_launchpad_opportunity_links_source" AS ENUM ('employer_request', 'placement', 'manual');

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
    "updatedAt" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT CURRENT_TIMESTAMP
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
    "updatedAt" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT CURRENT_TIMESTAMP
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
    "updatedAt" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT CURRENT_TIMESTAMP
);

-- serves: a launchpad's linked jobs, gigs or projects of one kind (launchpadId leads: also the FK)
CREATE INDEX "experience_launchpad_opportunity_links_launchpad_id_target_type" ON "experience_launchpad_opportunity_links" ("launchpadId", "targetType");

-- serves: the launchpads linked to one job, gig or project (targetType/targetId is polymorphic: no FK)
CREATE INDEX "experience_launchpad_opportunity_links_target_type_target_id" ON "experience_launchpad_opportunity_links" ("targetType", "targetId");

ALTER TABLE "experience_launchpad_applications"
    ADD CONSTRAINT "experience_launchpad_applications_applicantId_fkey" FOREIGN KEY ("applicantId")
        REFERENCES "users" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    ADD CONSTRAINT "experience_launchpad_applications_applicationId_fkey" FOREIGN KEY ("applicationId")
        REFERENCES "applications" ("id") ON DELETE SET NULL ON UPDATE CASCADE;

ALTER TABLE "experience_launchpad_employer_requests"
    ADD CONSTRAINT "experience_launchpad_employer_requests_createdById_fkey" FOREIGN KEY ("createdById")
        REFERENCES "users" ("id") ON DELETE SET NULL ON UPDATE CASCADE;

ALTER TABLE "experience_launchpad_opportunity_links"
    ADD CONSTRAINT "experience_launchpad_opportunity_links_createdById_fkey" FOREIGN KEY ("createdById")
        REFERENCES "users" ("id") ON DELETE SET NULL ON UPDATE CASCADE;

ALTER TABLE "experience_launchpad_applications"
    ADD CONSTRAINT "experience_launchpad_applications_launchpadId_fkey" FOREIGN KEY ("launchpadId")
        REFERENCES "experience_launchpads" ("id") ON DELETE CASCADE ON UPDATE CASCADE;

ALTER TABLE "experience_launchpad_employer_requests"
    ADD CONSTRAINT "experience_launchpad_employer_requests_launchpadId_fkey" FOREIGN KEY ("launchpadId")
        REFERENCES "experience_launchpads" ("id") ON DELETE CASCADE ON UPDATE CASCADE;

ALTER TABLE "experience_launchpad_placements"
    ADD CONSTRAINT "experience_launchpad_placements_launchpadId_fkey" FOREIGN KEY ("launchpadId")
        REFERENCES "experience_launchpads" ("id") ON DELETE CASCADE ON UPDATE CASCADE;

ALTER TABLE "experience_launchpad_opportunity_links"
    ADD CONSTRAINT "experience_launchpad_opportunity_links_launchpadId_fkey" FOREIGN KEY ("launchpadId")
        REFERENCES "experience_launchpads" ("id") ON DELETE CASCADE ON UPDATE CASCADE;

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
