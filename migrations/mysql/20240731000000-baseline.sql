-- 20240731000000-baseline
--
-- Why: the tables the Communication & Engagement Suite builds on, exactly as they stood before it.
--      A fresh database gets them from this file; a database the old system built is adopted
--      with `make adopt` (docs/adoption.md) and never runs it.
-- Impact: creates seven tables; touches nothing that exists.
-- Rollback: drops the seven tables; every row in them is lost.
--      feed_posts is created in the old system's shape: nullable userId, content and visibility,
--      and the names MySQL generated for the old system's inline key, declared here explicitly:
--      foreign key feed_posts_ibfk_1 and its index userId (spec, section 1).
--      20240801090000-feed-engagement evolves it the same way on a fresh and an adopted database.
-- Dialect: enums are inline ENUM(...) columns, booleans TINYINT(1), timestamps DATETIME, serial ids
--      INT AUTO_INCREMENT. Secondary indexes are declared inside CREATE TABLE, so each table is one
--      atomic statement and its rollback one DROP TABLE (MySQL commits DDL statement by statement).
--      InnoDB adds an index named after a foreign key that no declared index serves
--      (profiles_userId_fkey). feed_posts_ibfk_1 says ON UPDATE NO ACTION; the old system gave no
--      ON UPDATE, which InnoDB reports as RESTRICT and enforces identically (adopt and drift
--      compare them as equal).

CREATE TABLE `users` (
    `id` INT NOT NULL AUTO_INCREMENT PRIMARY KEY,
    `firstName` VARCHAR(255) NULL,
    `lastName` VARCHAR(255) NULL,
    `email` VARCHAR(255) NOT NULL,
    `password` VARCHAR(255) NOT NULL,
    `address` VARCHAR(255) NULL,
    `age` INT NULL,
    `userType` ENUM('user', 'company', 'freelancer', 'agency', 'admin') NULL DEFAULT 'user',
    `createdAt` DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    `updatedAt` DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT `users_email_key` UNIQUE (`email`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE `profiles` (
    `id` INT NOT NULL AUTO_INCREMENT PRIMARY KEY,
    `userId` INT NULL,
    `headline` VARCHAR(255) NULL,
    `bio` TEXT NULL,
    `skills` TEXT NULL,
    `experience` TEXT NULL,
    `education` TEXT NULL,
    `createdAt` DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    `updatedAt` DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT `profiles_userId_fkey` FOREIGN KEY (`userId`)
        REFERENCES `users` (`id`) ON DELETE CASCADE ON UPDATE NO ACTION
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE `projects` (
    `id` INT NOT NULL AUTO_INCREMENT PRIMARY KEY,
    `title` VARCHAR(255) NULL,
    `description` TEXT NULL,
    `status` VARCHAR(255) NULL,
    `createdAt` DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    `updatedAt` DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE `gigs` (
    `id` INT NOT NULL AUTO_INCREMENT PRIMARY KEY,
    `title` VARCHAR(255) NULL,
    `description` TEXT NULL,
    `budget` VARCHAR(255) NULL,
    `duration` VARCHAR(255) NULL,
    `createdAt` DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    `updatedAt` DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE `experience_launchpads` (
    `id` INT NOT NULL AUTO_INCREMENT PRIMARY KEY,
    `title` VARCHAR(255) NULL,
    `description` TEXT NULL,
    `track` VARCHAR(255) NULL,
    `createdAt` DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    `updatedAt` DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE `applications` (
    `id` INT NOT NULL AUTO_INCREMENT PRIMARY KEY,
    `applicantId` INT NOT NULL,
    `targetType` ENUM('job', 'gig', 'project', 'launchpad', 'volunteer') NOT NULL,
    `targetId` INT NOT NULL,
    `status` ENUM('draft', 'submitted', 'under_review', 'shortlisted', 'interview', 'offered', 'hired', 'rejected', 'withdrawn') NOT NULL DEFAULT 'submitted',
    `sourceChannel` ENUM('web', 'mobile', 'referral', 'agency', 'import') NOT NULL DEFAULT 'web',
    `coverLetter` TEXT NULL,
    `attachments` JSON NULL,
    `rateExpectation` DECIMAL(12,2) NULL,
    `currencyCode` VARCHAR(3) NULL,
    `availabilityDate` DATE NULL,
    `isArchived` TINYINT(1) NOT NULL DEFAULT 0,
    `submittedAt` DATETIME NULL,
    `decisionAt` DATETIME NULL,
    `metadata` JSON NULL,
    `createdAt` DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    `updatedAt` DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    INDEX `applications_applicant_id` (`applicantId`),
    INDEX `applications_status` (`status`),
    INDEX `applications_target_type_target_id` (`targetType`, `targetId`),
    CONSTRAINT `applications_applicantId_fkey` FOREIGN KEY (`applicantId`)
        REFERENCES `users` (`id`) ON DELETE CASCADE ON UPDATE NO ACTION
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE `feed_posts` (
    `id` INT NOT NULL AUTO_INCREMENT PRIMARY KEY,
    `userId` INT NULL,
    `content` TEXT NULL,
    `visibility` ENUM('public', 'connections') NULL DEFAULT 'public',
    `createdAt` DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    `updatedAt` DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    INDEX `userId` (`userId`),
    CONSTRAINT `feed_posts_ibfk_1` FOREIGN KEY (`userId`)
        REFERENCES `users` (`id`) ON DELETE CASCADE ON UPDATE NO ACTION
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
