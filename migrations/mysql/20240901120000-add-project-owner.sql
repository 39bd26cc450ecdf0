-- 20240901120000-add-project-owner
--
-- Why: dashboards and queue analytics scope projects by their owner.
-- Impact: adds the nullable projects.ownerId, its index and its foreign key to users in one
--      ALTER TABLE ... ALGORITHM=INPLACE, LOCK=NONE: reads and writes to projects continue while
--      the column is added and the index built; an exclusive metadata lock is taken only for an
--      instant at the start and at the end (the statement first waits for open transactions that
--      used projects, for at most the session's lock_wait_timeout), and users gets a brief
--      metadata lock for the new foreign key. If the server cannot do it in place without
--      blocking, it refuses with an error instead of silently copying the table.
--      Combined with the index, the column cannot be INSTANT: InnoDB rebuilds projects in place
--      (1M rows: about 1.4 s, longest writer stall 49 ms, `make bench`), needing temporary disk
--      the size of the table, and writes made meanwhile queue in a log capped by
--      innodb_online_alter_log_max_size (the ALTER fails cleanly if it fills). Chosen over an
--      INSTANT column plus a second ALTER so that forward and rollback stay one atomic statement.
-- Rollback: drops the foreign key, the index and the column in one ALTER TABLE (atomic), also
--      INPLACE with LOCK=NONE; every project's owner is lost.
-- Dialect: the foreign key is named projects_ownerId_foreign_idx, the name the old system gave it
--      here. Adding a foreign key while foreign_key_checks = 1 forces ALGORITHM=COPY, a full copy
--      of projects that blocks writes; with the checks off for this one statement InnoDB adds the
--      key in place, as metadata. That is safe because the new column is NULL in every row, so no
--      row can violate the key; the statements around it switch the checks off and back on for
--      this session only. Index, key and column are one ALTER TABLE, so the change is atomic (MySQL
--      commits DDL statement by statement), and the declared index serves the foreign key, so InnoDB
--      adds none of its own. No lock_timeout: MySQL has lock_wait_timeout, per session.
--
-- depends: 20240826094500-launchpad-workflows

SET SESSION foreign_key_checks = 0;

ALTER TABLE `projects`
    ADD COLUMN `ownerId` INT NULL,
    ADD INDEX `projects_owner_id_idx` (`ownerId`),
    ADD CONSTRAINT `projects_ownerId_foreign_idx` FOREIGN KEY (`ownerId`)
        REFERENCES `users` (`id`) ON DELETE SET NULL ON UPDATE CASCADE,
    ALGORITHM=INPLACE, LOCK=NONE;

SET SESSION foreign_key_checks = 1;
