-- 20240801090000-trust-payments
--
-- Why: escrow for project and gig payments (accounts, transactions with fees and scheduled
--      releases) and the dispute process that can freeze them (cases and their event trail).
-- Impact: creates four tables, their sixteen indexes, one unique constraint and eight enum types.
--      It alters no existing table, but a foreign key locks the table it references: the types,
--      the four tables (with only their foreign keys to each other) and their indexes come first
--      and lock nothing that exists; the last four statements, one ALTER TABLE per new table,
--      add the foreign keys to users, projects and gigs, each taking SHARE ROW EXCLUSIVE on
--      them (writes wait, reads continue; the new tables are empty, nothing to check) until the
--      commit right after, a few milliseconds.
--      lock_timeout = 100 ms bounds each of these lock waits: while a statement waits for its
--      lock, every later write to that table queues behind it, so 100 ms is the longest a writer
--      of users, projects or gigs stalls per attempt; it is far above the milliseconds the locks
--      are normally granted in. Behind a long transaction that has written to one of them (or
--      holds a stronger lock), the statement times out after 100 ms (SQLSTATE 55P03), the whole
--      migration rolls back (nothing is left half-done), the queued writers go on, and `make
--      migrate` retries it; plain `yoyo apply` fails and must be run again. A long read does not
--      block it (SHARE ROW EXCLUSIVE does not conflict with reads).
-- Rollback: drops the four tables and eight enum types; every escrow account, transaction,
--      dispute and dispute event is lost. Dropping them removes their foreign-key triggers from
--      users, projects and gigs, which takes ACCESS EXCLUSIVE on those tables (reads wait too)
--      until commit; the rollback file sets the same 100 ms lock_timeout.
-- Dialect: the reference file; mysql/ and sqlite/ say how they differ from it. SET LOCAL ends with
--      the migration's transaction (yoyo runs the whole file in one). The foreign keys to existing
--      tables are added by ALTER TABLE rather than inside CREATE TABLE only to take their locks
--      late: the catalog is the same either way.
--
-- depends: 20240801090000-feed-engagement

SET LOCAL lock_timeout = '100ms';

CREATE TYPE "enum_escrow_accounts_status" AS ENUM ('pending', 'active', 'suspended', 'closed');

CREATE TYPE "enum_escrow_transactions_type" AS ENUM ('project', 'gig', 'milestone', 'retainer');

CREATE TYPE "enum_escrow_transactions_status" AS ENUM ('initiated', 'funded', 'in_escrow', 'released', 'refunded', 'cancelled', 'disputed');

CREATE TYPE "enum_dispute_cases_stage" AS ENUM ('intake', 'mediation', 'arbitration', 'resolved');

CREATE TYPE "enum_dispute_cases_status" AS ENUM ('open', 'awaiting_customer', 'under_review', 'settled', 'closed');

CREATE TYPE "enum_dispute_cases_priority" AS ENUM ('low', 'medium', 'high', 'urgent');

CREATE TYPE "enum_dispute_events_actorType" AS ENUM ('customer', 'provider', 'mediator', 'admin', 'system');

CREATE TYPE "enum_dispute_events_actionType" AS ENUM ('comment', 'evidence_upload', 'deadline_adjusted', 'stage_advanced', 'status_change', 'system_notice');

CREATE TABLE "escrow_accounts" (
    "id" SERIAL PRIMARY KEY,
    "userId" INTEGER NOT NULL,
    "provider" VARCHAR(80) NOT NULL,
    "externalId" VARCHAR(120),
    "status" "enum_escrow_accounts_status" NOT NULL DEFAULT 'pending',
    "currencyCode" VARCHAR(3) NOT NULL DEFAULT 'USD',
    "currentBalance" NUMERIC(18,4) NOT NULL DEFAULT 0,
    "pendingReleaseTotal" NUMERIC(18,4) NOT NULL DEFAULT 0,
    "metadata" JSONB,
    "lastReconciledAt" TIMESTAMP WITH TIME ZONE,
    "createdAt" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT CURRENT_TIMESTAMP
);

CREATE INDEX "escrow_accounts_provider" ON "escrow_accounts" ("provider");

CREATE INDEX "escrow_accounts_status" ON "escrow_accounts" ("status");

CREATE INDEX "escrow_accounts_user_id" ON "escrow_accounts" ("userId");

CREATE TABLE "escrow_transactions" (
    "id" SERIAL PRIMARY KEY,
    "accountId" INTEGER NOT NULL,
    "reference" VARCHAR(120) NOT NULL,
    "externalId" VARCHAR(120),
    "type" "enum_escrow_transactions_type" NOT NULL DEFAULT 'project',
    "status" "enum_escrow_transactions_status" NOT NULL DEFAULT 'initiated',
    "amount" NUMERIC(18,4) NOT NULL,
    "currencyCode" VARCHAR(3) NOT NULL DEFAULT 'USD',
    "feeAmount" NUMERIC(18,4) NOT NULL DEFAULT 0,
    "netAmount" NUMERIC(18,4) NOT NULL DEFAULT 0,
    "initiatedById" INTEGER NOT NULL,
    "counterpartyId" INTEGER,
    "projectId" INTEGER,
    "gigId" INTEGER,
    "milestoneLabel" VARCHAR(180),
    "scheduledReleaseAt" TIMESTAMP WITH TIME ZONE,
    "releasedAt" TIMESTAMP WITH TIME ZONE,
    "refundedAt" TIMESTAMP WITH TIME ZONE,
    "cancelledAt" TIMESTAMP WITH TIME ZONE,
    "metadata" JSONB,
    "auditTrail" JSONB,
    "createdAt" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "escrow_transactions_reference_key" UNIQUE ("reference"),
    CONSTRAINT "escrow_transactions_accountId_fkey" FOREIGN KEY ("accountId")
        REFERENCES "escrow_accounts" ("id") ON DELETE CASCADE ON UPDATE NO ACTION
);

CREATE INDEX "escrow_transactions_account_id" ON "escrow_transactions" ("accountId");

CREATE INDEX "escrow_transactions_gig_id" ON "escrow_transactions" ("gigId");

CREATE INDEX "escrow_transactions_project_id" ON "escrow_transactions" ("projectId");

CREATE INDEX "escrow_transactions_scheduled_release_at" ON "escrow_transactions" ("scheduledReleaseAt");

CREATE INDEX "escrow_transactions_status" ON "escrow_transactions" ("status");

CREATE TABLE "dispute_cases" (
    "id" SERIAL PRIMARY KEY,
    "escrowTransactionId" INTEGER NOT NULL,
    "openedById" INTEGER NOT NULL,
    "assignedToId" INTEGER,
    "stage" "enum_dispute_cases_stage" NOT NULL DEFAULT 'intake',
    "status" "enum_dispute_cases_status" NOT NULL DEFAULT 'open',
    "priority" "enum_dispute_cases_priority" NOT NULL DEFAULT 'medium',
    "reasonCode" VARCHAR(80) NOT NULL,
    "summary" TEXT NOT NULL,
    "customerDeadlineAt" TIMESTAMP WITH TIME ZONE,
    "providerDeadlineAt" TIMESTAMP WITH TIME ZONE,
    "resolutionNotes" TEXT,
    "openedAt" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "resolvedAt" TIMESTAMP WITH TIME ZONE,
    "metadata" JSONB,
    "createdAt" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "dispute_cases_escrowTransactionId_fkey" FOREIGN KEY ("escrowTransactionId")
        REFERENCES "escrow_transactions" ("id") ON DELETE CASCADE ON UPDATE NO ACTION
);

CREATE INDEX "dispute_cases_escrow_transaction_id" ON "dispute_cases" ("escrowTransactionId");

CREATE INDEX "dispute_cases_opened_by_id" ON "dispute_cases" ("openedById");

CREATE INDEX "dispute_cases_priority" ON "dispute_cases" ("priority");

CREATE INDEX "dispute_cases_stage" ON "dispute_cases" ("stage");

CREATE INDEX "dispute_cases_status" ON "dispute_cases" ("status");

CREATE TABLE "dispute_events" (
    "id" SERIAL PRIMARY KEY,
    "disputeCaseId" INTEGER NOT NULL,
    "actorId" INTEGER,
    "actorType" "enum_dispute_events_actorType" NOT NULL DEFAULT 'system',
    "actionType" "enum_dispute_events_actionType" NOT NULL DEFAULT 'comment',
    "notes" TEXT,
    "evidenceKey" VARCHAR(255),
    "evidenceUrl" TEXT,
    "evidenceFileName" VARCHAR(180),
    "evidenceContentType" VARCHAR(80),
    "eventAt" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "metadata" JSONB,
    "createdAt" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "dispute_events_disputeCaseId_fkey" FOREIGN KEY ("disputeCaseId")
        REFERENCES "dispute_cases" ("id") ON DELETE CASCADE ON UPDATE NO ACTION
);

CREATE INDEX "dispute_events_action_type" ON "dispute_events" ("actionType");

CREATE INDEX "dispute_events_actor_type" ON "dispute_events" ("actorType");

CREATE INDEX "dispute_events_dispute_case_id" ON "dispute_events" ("disputeCaseId");

ALTER TABLE "escrow_accounts"
    ADD CONSTRAINT "escrow_accounts_userId_fkey" FOREIGN KEY ("userId")
        REFERENCES "users" ("id") ON DELETE CASCADE ON UPDATE NO ACTION;

ALTER TABLE "escrow_transactions"
    ADD CONSTRAINT "escrow_transactions_initiatedById_fkey" FOREIGN KEY ("initiatedById")
        REFERENCES "users" ("id") ON DELETE CASCADE ON UPDATE NO ACTION,
    ADD CONSTRAINT "escrow_transactions_counterpartyId_fkey" FOREIGN KEY ("counterpartyId")
        REFERENCES "users" ("id") ON DELETE SET NULL ON UPDATE NO ACTION,
    ADD CONSTRAINT "escrow_transactions_projectId_fkey" FOREIGN KEY ("projectId")
        REFERENCES "projects" ("id") ON DELETE SET NULL ON UPDATE NO ACTION,
    ADD CONSTRAINT "escrow_transactions_gigId_fkey" FOREIGN KEY ("gigId")
        REFERENCES "gigs" ("id") ON DELETE SET NULL ON UPDATE NO ACTION;

ALTER TABLE "dispute_cases"
    ADD CONSTRAINT "dispute_cases_openedById_fkey" FOREIGN KEY ("openedById")
        REFERENCES "users" ("id") ON DELETE CASCADE ON UPDATE NO ACTION,
    ADD CONSTRAINT "dispute_cases_assignedToId_fkey" FOREIGN KEY ("assignedToId")
        REFERENCES "users" ("id") ON DELETE SET NULL ON UPDATE NO ACTION;

ALTER TABLE "dispute_events"
    ADD CONSTRAINT "dispute_events_actorId_fkey" FOREIGN KEY ("actorId")
        REFERENCES "users" ("id") ON DELETE SET NULL ON UPDATE NO ACTION;
