-- 20240826094500-launchpad-workflows
--
-- Why: launchpads become managed programmes (type, status, schedule, capacity, eligibility,
--      sponsorship) with their own application, employer-request, placement and opportunity-link
--      workflows.
-- Impact: adds ten columns to experience_launchpads and creates four tables with their eight
--      indexes. ALTER TABLE experience_launchpads ... ALGORITHM=INSTANT: a metadata-only change
--      (the columns are appended, no row is touched), under an exclusive metadata lock held for an
--      instant; the statement first waits for open transactions that used the table, and queries
--      arriving meanwhile queue behind it, for at most 1 s (lock_wait_timeout, set first in this
--      file). If the server cannot add the columns instantly it refuses with an error instead of
--      copying the table. Each CREATE TABLE also locks the tables its foreign keys reference
--      (experience_launchpads, users, applications): MySQL 8 takes an exclusive metadata lock on
--      each for an instant, waiting (at most 1 s) behind open transactions on them while their
--      queries queue behind it; MariaDB 10.11 does not wait there. No row is touched. Behind a long
--      transaction a statement fails after 1 s with error 1205, nothing of it is left half-done,
--      yoyo undoes the statements before it, and `make migrate` can simply run again.
-- Rollback: drops the four tables and the ten columns; every launchpad application, employer
--      request, placement and opportunity link, and the programme data of every launchpad, is lost.
--      Each DROP TABLE takes the same parent locks; the column drop is ALGORITHM=INSTANT: metadata
--      only, no rebuild.
-- Dialect: enums are inline ENUM(...) columns, JSON is JSON everywhere (MySQL has one JSON type),
--      DECIMAL for NUMERIC, DATETIME for timestamps. lock_wait_timeout (per session: MySQL has no
--      per-transaction form) is set first and reset last, mirrored by the rollback. The ten columns
--      are one ALTER TABLE (atomic; ALGORITHM=INSTANT needs MySQL 8.0.12+ or MariaDB 10.3+, and
--      appends at the end).
--      Secondary indexes are declared inside CREATE TABLE, so each table is one atomic statement
--      and its rollback one DROP TABLE (MySQL commits DDL statement by statement). InnoDB adds an
--      index named after each foreign key that no declared index serves:
--      experience_launchpad_applications_applicationId_fkey,
--      experience_launchpad_employer_requests_createdById_fkey,
--      experience_launchpad_placements_employerRequestId_fkey,
--      experience_launchpad_opportunity_links_createdById_fkey.
--
-- depends: 20240801090000-trust-payments

SET SESSION lock_wait_timeout = 1;

ALTER TABLE `experience_launchpads`
    ADD COLUMN `programType` VARCHAR(60) NOT NULL DEFAULT 'cohort',
    ADD COLUMN `status` ENUM('draft', 'recruiting', 'active', 'archived') NOT NULL DEFAULT 'recruiting',
    ADD COLUMN `applicationUrl` VARCHAR(500) NULL,
    ADD COLUMN `mentorLead` VARCHAR(255) NULL,
    ADD COLUMN `startDate` DATETIME NULL,
    ADD COLUMN `endDate` DATETIME NULL,
    ADD COLUMN `capacity` INT NULL,
    ADD COLUMN `eligibilityCriteria` JSON NULL,
    ADD COLUMN `employerSponsorship` JSON NULL,
    ADD COLUMN `publishedAt` DATETIME NULL,
    ALGORITHM=INSTANT;

CREATE TABLE `experience_launchpad_applications` (
    `id` INT NOT NULL AUTO_INCREMENT PRIMARY KEY,
    `launchpadId` INT NOT NULL,
    `applicantId` INT NOT NULL,
    `applicationId` INT NULL,
    `status` ENUM('screening', 'interview', 'accepted', 'waitlisted', 'rejected', 'withdrawn', 'completed') NOT NULL DEFAULT 'screening',
    `qualificationScore` DECIMAL(5,2) NULL,
    `yearsExperience` DECIMAL(4,1) NULL,
    `skills` JSON NULL,
    `motivations` TEXT NULL,
    `portfolioUrl` VARCHAR(500) NULL,
    `availabilityDate` DATETIME NULL,
    `eligibilitySnapshot` JSON NULL,
    `assignedMentor` VARCHAR(255) NULL,
    `interviewScheduledAt` DATETIME NULL,
    `decisionNotes` TEXT NULL,
    `createdAt` DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    `updatedAt` DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    INDEX `experience_launchpad_applications_applicant_id` (`applicantId`),
    -- serves: a launchpad's applicant pipeline by status (launchpadId leads, so it also serves the FK)
    INDEX `experience_launchpad_applications_launchpad_id_status` (`launchpadId`, `status`),
    CONSTRAINT `experience_launchpad_applications_launchpadId_fkey` FOREIGN KEY (`launchpadId`)
        REFERENCES `experience_launchpads` (`id`) ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT `experience_launchpad_applications_applicantId_fkey` FOREIGN KEY (`applicantId`)
        REFERENCES `users` (`id`) ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT `experience_launchpad_applications_applicationId_fkey` FOREIGN KEY (`applicationId`)
        REFERENCES `applications` (`id`) ON DELETE SET NULL ON UPDATE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE `experience_launchpad_employer_requests` (
    `id` INT NOT NULL AUTO_INCREMENT PRIMARY KEY,
    `launchpadId` INT NOT NULL,
    `organizationName` VARCHAR(255) NOT NULL,
    `contactName` VARCHAR(255) NOT NULL,
    `contactEmail` VARCHAR(255) NOT NULL,
    `headcount` INT NULL,
    `engagementTypes` JSON NULL,
    `targetStartDate` DATETIME NULL,
    `idealCandidateProfile` TEXT NULL,
    `hiringNotes` TEXT NULL,
    `status` ENUM('new', 'needs_review', 'approved', 'declined', 'paused') NOT NULL DEFAULT 'new',
    `slaCommitmentDays` INT NULL,
    `createdById` INT NULL,
    `metadata` JSON NULL,
    `createdAt` DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    `updatedAt` DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    INDEX `experience_launchpad_employer_requests_contact_email` (`contactEmail`),
    -- serves: a launchpad's employer requests by status (launchpadId leads, so it also serves the FK)
    INDEX `experience_launchpad_employer_requests_launchpad_id_status` (`launchpadId`, `status`),
    CONSTRAINT `experience_launchpad_employer_requests_launchpadId_fkey` FOREIGN KEY (`launchpadId`)
        REFERENCES `experience_launchpads` (`id`) ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT `experience_launchpad_employer_requests_createdById_fkey` FOREIGN KEY (`createdById`)
        REFERENCES `users` (`id`) ON DELETE SET NULL ON UPDATE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE `experience_launchpad_placements` (
    `id` INT NOT NULL AUTO_INCREMENT PRIMARY KEY,
    `launchpadId` INT NOT NULL,
    `candidateId` INT NOT NULL,
    `employerRequestId` INT NULL,
    `targetType` ENUM('job', 'gig', 'project') NULL,
    `targetId` INT NULL,
    `status` ENUM('scheduled', 'in_progress', 'completed', 'cancelled') NOT NULL DEFAULT 'scheduled',
    `placementDate` DATETIME NULL,
    `endDate` DATETIME NULL,
    `compensation` JSON NULL,
    `feedbackScore` DECIMAL(4,2) NULL,
    `createdAt` DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    `updatedAt` DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    INDEX `experience_launchpad_placements_candidate_id` (`candidateId`),
    -- serves: a launchpad's placements by status (launchpadId leads, so it also serves the FK)
    INDEX `experience_launchpad_placements_launchpad_id_status` (`launchpadId`, `status`),
    CONSTRAINT `experience_launchpad_placements_launchpadId_fkey` FOREIGN KEY (`launchpadId`)
        REFERENCES `experience_launchpads` (`id`) ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT `experience_launchpad_placements_candidateId_fkey` FOREIGN KEY (`candidateId`)
        REFERENCES `experience_launchpad_applications` (`id`) ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT `experience_launchpad_placements_employerRequestId_fkey` FOREIGN KEY (`employerRequestId`)
        REFERENCES `experience_launchpad_employer_requests` (`id`) ON DELETE SET NULL ON UPDATE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE `experience_launchpad_opportunity_links` (
    `id` INT NOT NULL AUTO_INCREMENT PRIMARY KEY,
    `launchpadId` INT NOT NULL,
    `targetType` ENUM('job', 'gig', 'project') NOT NULL,
    `targetId` INT NOT NULL,
    `source` ENUM('employer_request', 'placement', 'manual') NOT NULL DEFAULT 'manual',
    `createdById` INT NULL,
    `notes` TEXT NULL,
    `createdAt` DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    `updatedAt` DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    -- serves: a launchpad's linked jobs, gigs or projects of one kind (launchpadId leads: also the FK)
    INDEX `experience_launchpad_opportunity_links_launchpad_id_target_type` (`launchpadId`, `targetType`),
    -- serves: the launchpads linked to one job, gig or project (targetType/targetId is polymorphic: no FK)
    INDEX `experience_launchpad_opportunity_links_target_type_target_id` (`targetType`, `targetId`),
    CONSTRAINT `experience_launchpad_opportunity_links_launchpadId_fkey` FOREIGN KEY (`launchpadId`)
        REFERENCES `experience_launchpads` (`id`) ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT `experience_launchpad_opportunity_links_createdById_fkey` FOREIGN KEY (`createdById`)
        REFERENCES `users` (`id`) ON DELETE SET NULL ON UPDATE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

SET SESSION lock_wait_timeout = DEFAULT;
