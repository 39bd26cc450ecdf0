-- 20240801090000-trust-payments
--
-- Why: escrow for project and gig payments (accounts, transactions with fees and scheduled
--      releases) and the dispute process that can freeze them (cases and their event trail).
-- Impact: creates four tables with their sixteen indexes and one unique constraint; touches
--      nothing that exists (SQLite keeps foreign keys in the child table only, users, projects
--      and gigs are not changed).
--      Lock waits: nothing to bound (no lock_timeout): SQLite is embedded, with no concurrent
--      writers to queue behind the migration. Should another connection hold the write lock,
--      yoyo's driver (Python sqlite3) waits up to its default 5 s, then fails with "database is
--      locked" and the migration's transaction leaves nothing behind.
-- Rollback: drops the four tables; every escrow account, transaction, dispute case and dispute
--      event is lost.
-- Dialect: enums are TEXT with a CHECK of the allowed values, JSON columns carry
--      CHECK ("col" IS NULL OR json_valid("col")): older SQLite (3.40.1, tested) returns 0, not
--      NULL, for json_valid(NULL), so a bare json_valid() check rejects NULL in these nullable
--      columns. Timestamps DATETIME, decimals DECIMAL, serial ids INTEGER PRIMARY KEY
--      AUTOINCREMENT. Foreign keys are enforced only on connections that run
--      PRAGMA foreign_keys = ON. DECIMAL has NUMERIC affinity: amounts are stored as INTEGER
--      or REAL (binary floating point), not as exact decimals. The unique constraint keeps its
--      name in the table's SQL; its index is sqlite_autoindex_escrow_transactions_1.
--      No lock_timeout: SQLite is embedded, there are no concurrent writers to protect (the
--      migration's transaction holds the database's single write lock).
--
-- depends: 20240801090000-feed-engagement

CREATE TABLE "escrow_accounts" (
    "id" INTEGER PRIMARY KEY AUTOINCREMENT,
    "userId" INTEGER NOT NULL,
    "provider" VARCHAR(80) NOT NULL,
    "externalId" VARCHAR(120),
    "status" TEXT NOT NULL DEFAULT 'pending' CHECK ("status" IN ('pending', 'active', 'suspended', 'closed')),
    "currencyCode" VARCHAR(3) NOT NULL DEFAULT 'USD',
    "currentBalance" DECIMAL(18,4) NOT NULL DEFAULT 0,
    "pendingReleaseTotal" DECIMAL(18,4) NOT NULL DEFAULT 0,
    "metadata" JSON CHECK ("metadata" IS NULL OR json_valid("metadata")),
    "lastReconciledAt" DATETIME,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "escrow_accounts_userId_fkey" FOREIGN KEY ("userId")
        REFERENCES "users" ("id") ON DELETE CASCADE ON UPDATE NO ACTION
);

CREATE INDEX "escrow_accounts_provider" ON "escrow_accounts" ("provider");

CREATE INDEX "escrow_accounts_status" ON "escrow_accounts" ("status");

CREATE INDEX "escrow_accounts_user_id" ON "escrow_accounts" ("userId");

CREATE TABLE "escrow_transactions" (
    "id" INTEGER PRIMARY KEY AUTOINCREMENT,
    "accountId" INTEGER NOT NULL,
    "reference" VARCHAR(120) NOT NULL,
    "externalId" VARCHAR(120),
    "type" TEXT NOT NULL DEFAULT 'project' CHECK ("type" IN ('project', 'gig', 'milestone', 'retainer')),
    "status" TEXT NOT NULL DEFAULT 'initiated' CHECK ("status" IN ('initiated', 'funded', 'in_escrow', 'released', 'refunded', 'cancelled', 'disputed')),
    "amount" DECIMAL(18,4) NOT NULL,
    "currencyCode" VARCHAR(3) NOT NULL DEFAULT 'USD',
    "feeAmount" DECIMAL(18,4) NOT NULL DEFAULT 0,
    "netAmount" DECIMAL(18,4) NOT NULL DEFAULT 0,
    "initiatedById" INTEGER NOT NULL,
    "counterpartyId" INTEGER,
    "projectId" INTEGER,
    "gigId" INTEGER,
    "milestoneLabel" VARCHAR(180),
    "scheduledReleaseAt" DATETIME,
    "releasedAt" DATETIME,
    "refundedAt" DATETIME,
    "cancelledAt" DATETIME,
    "metadata" JSON CHECK ("metadata" IS NULL OR json_valid("metadata")),
    "auditTrail" JSON CHECK ("auditTrail" IS NULL OR json_valid("auditTrail")),
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "escrow_transactions_reference_key" UNIQUE ("reference"),
    CONSTRAINT "escrow_transactions_accountId_fkey" FOREIGN KEY ("accountId")
        REFERENCES "escrow_accounts" ("id") ON DELETE CASCADE ON UPDATE NO ACTION,
    CONSTRAINT "escrow_transactions_initiatedById_fkey" FOREIGN KEY ("initiatedById")
        REFERENCES "users" ("id") ON DELETE CASCADE ON UPDATE NO ACTION,
    CONSTRAINT "escrow_transactions_counterpartyId_fkey" FOREIGN KEY ("counterpartyId")
        REFERENCES "users" ("id") ON DELETE SET NULL ON UPDATE NO ACTION,
    CONSTRAINT "escrow_transactions_projectId_fkey" FOREIGN KEY ("projectId")
        REFERENCES "projects" ("id") ON DELETE SET NULL ON UPDATE NO ACTION,
    CONSTRAINT "escrow_transactions_gigId_fkey" FOREIGN KEY ("gigId")
        REFERENCES "gigs" ("id") ON DELETE SET NULL ON UPDATE NO ACTION
);

CREATE INDEX "escrow_transactions_account_id" ON "escrow_transactions" ("accountId");

CREATE INDEX "escrow_transactions_gig_id" ON "escrow_transactions" ("gigId");

CREATE INDEX "escrow_transactions_project_id" ON "escrow_transactions" ("projectId");

CREATE INDEX "escrow_transactions_scheduled_release_at" ON "escrow_transactions" ("scheduledReleaseAt");

CREATE INDEX "escrow_transactions_status" ON "escrow_transactions" ("status");

CREATE TABLE "dispute_cases" (
    "id" INTEGER PRIMARY KEY AUTOINCREMENT,
    "escrowTransactionId" INTEGER NOT NULL,
    "openedById" INTEGER NOT NULL,
    "assignedToId" INTEGER,
    "stage" TEXT NOT NULL DEFAULT 'intake' CHECK ("stage" IN ('intake', 'mediation', 'arbitration', 'resolved')),
    "status" TEXT NOT NULL DEFAULT 'open' CHECK ("status" IN ('open', 'awaiting_customer', 'under_review', 'settled', 'closed')),
    "priority" TEXT NOT NULL DEFAULT 'medium' CHECK ("priority" IN ('low', 'medium', 'high', 'urgent')),
    "reasonCode" VARCHAR(80) NOT NULL,
    "summary" TEXT NOT NULL,
    "customerDeadlineAt" DATETIME,
    "providerDeadlineAt" DATETIME,
    "resolutionNotes" TEXT,
    "openedAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "resolvedAt" DATETIME,
    "metadata" JSON CHECK ("metadata" IS NULL OR json_valid("metadata")),
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "dispute_cases_escrowTransactionId_fkey" FOREIGN KEY ("escrowTransactionId")
        REFERENCES "escrow_transactions" ("id") ON DELETE CASCADE ON UPDATE NO ACTION,
    CONSTRAINT "dispute_cases_openedById_fkey" FOREIGN KEY ("openedById")
        REFERENCES "users" ("id") ON DELETE CASCADE ON UPDATE NO ACTION,
    CONSTRAINT "dispute_cases_assignedToId_fkey" FOREIGN KEY ("assignedToId")
        REFERENCES "users" ("id") ON DELETE SET NULL ON UPDATE NO ACTION
);

CREATE INDEX "dispute_cases_escrow_transaction_id" ON "dispute_cases" ("escrowTransactionId");

CREATE INDEX "dispute_cases_opened_by_id" ON "dispute_cases" ("openedById");

CREATE INDEX "dispute_cases_priority" ON "dispute_cases" ("priority");

CREATE INDEX "dispute_cases_stage" ON "dispute_cases" ("stage");

CREATE INDEX "dispute_cases_status" ON "dispute_cases" ("status");

CREATE TABLE "dispute_events" (
    "id" INTEGER PRIMARY KEY AUTOINCREMENT,
    "disputeCaseId" INTEGER NOT NULL,
    "actorId" INTEGER,
    "actorType" TEXT NOT NULL DEFAULT 'system' CHECK ("actorType" IN ('customer', 'provider', 'mediator', 'admin', 'system')),
    "actionType" TEXT NOT NULL DEFAULT 'comment' CHECK ("actionType" IN ('comment', 'evidence_upload', 'deadline_adjusted', 'stage_advanced', 'status_change', 'system_notice')),
    "notes" TEXT,
    "evidenceKey" VARCHAR(255),
    "evidenceUrl" TEXT,
    "evidenceFileName" VARCHAR(180),
    "evidenceContentType" VARCHAR(80),
    "eventAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "metadata" JSON CHECK ("metadata" IS NULL OR json_valid("metadata")),
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "dispute_events_disputeCaseId_fkey" FOREIGN KEY ("disputeCaseId")
        REFERENCES "dispute_cases" ("id") ON DELETE CASCADE ON UPDATE NO ACTION,
    CONSTRAINT "dispute_events_actorId_fkey" FOREIGN KEY ("actorId")
        REFERENCES "users" ("id") ON DELETE SET NULL ON UPDATE NO ACTION
);

CREATE INDEX "dispute_events_action_type" ON "dispute_events" ("actionType");

CREATE INDEX "dispute_events_actor_type" ON "dispute_events" ("actorType");

CREATE INDEX "dispute_events_dispute_case_id" ON "dispute_events" ("disputeCaseId");
