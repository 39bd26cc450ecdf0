-- 20240801090000-trust-payments
--
-- Why: escrow for project and gig payments (accounts, transactions with fees and scheduled
--      releases) and the dispute process that can freeze them (cases and their event trail).
-- Impact: creates four tables with their sixteen indexes and one unique constraint. Each CREATE
--      TABLE references users (escrow_transactions also projects and gigs) and takes a metadata
--      lock on them for that statement only, a few milliseconds. MySQL 8 takes it exclusive: it
--      waits behind open transactions on those tables, at most 1 s (lock_wait_timeout, set first in
--      this file), and queries on them queue behind it meanwhile; MariaDB 10.11 does not wait there
--      (tested). Behind a long transaction the CREATE TABLE fails after 1 s with error 1205, nothing
--      of it is left, yoyo drops the tables created before it, and `make migrate` can run again.
-- Rollback: drops the four tables; every escrow account, transaction, dispute case and dispute
--      event is lost. Each DROP TABLE takes the same kind of metadata lock on users, projects and
--      gigs (on MariaDB 10.11 it waits behind open write transactions on them, tested).
-- Dialect: enums are inline ENUM(...) columns, decimals DECIMAL, timestamps DATETIME, JSON columns
--      JSON, serial ids INT AUTO_INCREMENT. Indexes and the unique constraint are declared inside
--      CREATE TABLE, so each table is one atomic statement and its rollback one DROP TABLE (MySQL
--      commits DDL statement by statement). InnoDB adds an index named after each foreign key that
--      no declared index serves (escrow_transactions_initiatedById_fkey,
--      escrow_transactions_counterpartyId_fkey, dispute_cases_assignedToId_fkey,
--      dispute_events_actorId_fkey). lock_wait_timeout is set for this session first and reset
--      last (1 s is the lowest MySQL 8 accepts), so the rollback mirrors it statement for statement.
--
-- depends: 20240801090000-feed-engagement

SET SESSION lock_wait_timeout = 1;

CREATE TABLE `escrow_accounts` (
    `id` INT NOT NULL AUTO_INCREMENT PRIMARY KEY,
    `userId` INT NOT NULL,
    `provider` VARCHAR(80) NOT NULL,
    `externalId` VARCHAR(120) NULL,
    `status` ENUM('pending', 'active', 'suspended', 'closed') NOT NULL DEFAULT 'pending',
    `currencyCode` VARCHAR(3) NOT NULL DEFAULT 'USD',
    `currentBalance` DECIMAL(18,4) NOT NULL DEFAULT 0,
    `pendingReleaseTotal` DECIMAL(18,4) NOT NULL DEFAULT 0,
    `metadata` JSON NULL,
    `lastReconciledAt` DATETIME NULL,
    `createdAt` DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    `updatedAt` DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    INDEX `escrow_accounts_provider` (`provider`),
    INDEX `escrow_accounts_status` (`status`),
    INDEX `escrow_accounts_user_id` (`userId`),
    CONSTRAINT `escrow_accounts_userId_fkey` FOREIGN KEY (`userId`)
        REFERENCES `users` (`id`) ON DELETE CASCADE ON UPDATE NO ACTION
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE `escrow_transactions` (
    `id` INT NOT NULL AUTO_INCREMENT PRIMARY KEY,
    `accountId` INT NOT NULL,
    `reference` VARCHAR(120) NOT NULL,
    `externalId` VARCHAR(120) NULL,
    `type` ENUM('project', 'gig', 'milestone', 'retainer') NOT NULL DEFAULT 'project',
    `status` ENUM('initiated', 'funded', 'in_escrow', 'released', 'refunded', 'cancelled', 'disputed') NOT NULL DEFAULT 'initiated',
    `amount` DECIMAL(18,4) NOT NULL,
    `currencyCode` VARCHAR(3) NOT NULL DEFAULT 'USD',
    `feeAmount` DECIMAL(18,4) NOT NULL DEFAULT 0,
    `netAmount` DECIMAL(18,4) NOT NULL DEFAULT 0,
    `initiatedById` INT NOT NULL,
    `counterpartyId` INT NULL,
    `projectId` INT NULL,
    `gigId` INT NULL,
    `milestoneLabel` VARCHAR(180) NULL,
    `scheduledReleaseAt` DATETIME NULL,
    `releasedAt` DATETIME NULL,
    `refundedAt` DATETIME NULL,
    `cancelledAt` DATETIME NULL,
    `metadata` JSON NULL,
    `auditTrail` JSON NULL,
    `createdAt` DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    `updatedAt` DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    INDEX `escrow_transactions_account_id` (`accountId`),
    INDEX `escrow_transactions_gig_id` (`gigId`),
    INDEX `escrow_transactions_project_id` (`projectId`),
    INDEX `escrow_transactions_scheduled_release_at` (`scheduledReleaseAt`),
    INDEX `escrow_transactions_status` (`status`),
    CONSTRAINT `escrow_transactions_reference_key` UNIQUE (`reference`),
    CONSTRAINT `escrow_transactions_accountId_fkey` FOREIGN KEY (`accountId`)
        REFERENCES `escrow_accounts` (`id`) ON DELETE CASCADE ON UPDATE NO ACTION,
    CONSTRAINT `escrow_transactions_initiatedById_fkey` FOREIGN KEY (`initiatedById`)
        REFERENCES `users` (`id`) ON DELETE CASCADE ON UPDATE NO ACTION,
    CONSTRAINT `escrow_transactions_counterpartyId_fkey` FOREIGN KEY (`counterpartyId`)
        REFERENCES `users` (`id`) ON DELETE SET NULL ON UPDATE NO ACTION,
    CONSTRAINT `escrow_transactions_projectId_fkey` FOREIGN KEY (`projectId`)
        REFERENCES `projects` (`id`) ON DELETE SET NULL ON UPDATE NO ACTION,
    CONSTRAINT `escrow_transactions_gigId_fkey` FOREIGN KEY (`gigId`)
        REFERENCES `gigs` (`id`) ON DELETE SET NULL ON UPDATE NO ACTION
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE `dispute_cases` (
    `id` INT NOT NULL AUTO_INCREMENT PRIMARY KEY,
    `escrowTransactionId` INT NOT NULL,
    `openedById` INT NOT NULL,
    `assignedToId` INT NULL,
    `stage` ENUM('intake', 'mediation', 'arbitration', 'resolved') NOT NULL DEFAULT 'intake',
    `status` ENUM('open', 'awaiting_customer', 'under_review', 'settled', 'closed') NOT NULL DEFAULT 'open',
    `priority` ENUM('low', 'medium', 'high', 'urgent') NOT NULL DEFAULT 'medium',
    `reasonCode` VARCHAR(80) NOT NULL,
    `summary` TEXT NOT NULL,
    `customerDeadlineAt` DATETIME NULL,
    `providerDeadlineAt` DATETIME NULL,
    `resolutionNotes` TEXT NULL,
    `openedAt` DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    `resolvedAt` DATETIME NULL,
    `metadata` JSON NULL,
    `createdAt` DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    `updatedAt` DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    INDEX `dispute_cases_escrow_transaction_id` (`escrowTransactionId`),
    INDEX `dispute_cases_opened_by_id` (`openedById`),
    INDEX `dispute_cases_priority` (`priority`),
    INDEX `dispute_cases_stage` (`stage`),
    INDEX `dispute_cases_status` (`status`),
    CONSTRAINT `dispute_cases_escrowTransactionId_fkey` FOREIGN KEY (`escrowTransactionId`)
        REFERENCES `escrow_transactions` (`id`) ON DELETE CASCADE ON UPDATE NO ACTION,
    CONSTRAINT `dispute_cases_openedById_fkey` FOREIGN KEY (`openedById`)
        REFERENCES `users` (`id`) ON DELETE CASCADE ON UPDATE NO ACTION,
    CONSTRAINT `dispute_cases_assignedToId_fkey` FOREIGN KEY (`assignedToId`)
        REFERENCES `users` (`id`) ON DELETE SET NULL ON UPDATE NO ACTION
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE `dispute_events` (
    `id` INT NOT NULL AUTO_INCREMENT PRIMARY KEY,
    `disputeCaseId` INT NOT NULL,
    `actorId` INT NULL,
    `actorType` ENUM('customer', 'provider', 'mediator', 'admin', 'system') NOT NULL DEFAULT 'system',
    `actionType` ENUM('comment', 'evidence_upload', 'deadline_adjusted', 'stage_advanced', 'status_change', 'system_notice') NOT NULL DEFAULT 'comment',
    `notes` TEXT NULL,
    `evidenceKey` VARCHAR(255) NULL,
    `evidenceUrl` TEXT NULL,
    `evidenceFileName` VARCHAR(180) NULL,
    `evidenceContentType` VARCHAR(80) NULL,
    `eventAt` DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    `metadata` JSON NULL,
    `createdAt` DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    `updatedAt` DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    INDEX `dispute_events_action_type` (`actionType`),
    INDEX `dispute_events_actor_type` (`actorType`),
    INDEX `dispute_events_dispute_case_id` (`disputeCaseId`),
    CONSTRAINT `dispute_events_disputeCaseId_fkey` FOREIGN KEY (`disputeCaseId`)
        REFERENCES `dispute_cases` (`id`) ON DELETE CASCADE ON UPDATE NO ACTION,
    CONSTRAINT `dispute_events_actorId_fkey` FOREIGN KEY (`actorId`)
        REFERENCES `users` (`id`) ON DELETE SET NULL ON UPDATE NO ACTION
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

SET SESSION lock_wait_timeout = DEFAULT;
