-- 20240901120000-add-project-owner
--
-- Why: dashboards and queue analytics scope projects by their owner.
-- Impact: three ALTER TABLE projects statements, none of which rebuilds projects or reads its rows
--      except the index build, each waiting at most 1 s (lock_wait_timeout) for its metadata lock:
--      1. ADD COLUMN ownerId ... ALGORITHM=INSTANT: metadata only, no rebuild (the column is
--         appended, NULL in every row); an exclusive metadata lock on projects for an instant.
--      2. ADD INDEX ... ALGORITHM=INPLACE, LOCK=NONE: no rebuild; the index is built by one scan of
--         projects while reads and writes continue (its duration grows with the table, the writer
--         stall does not), with an exclusive metadata lock on projects for an instant at the start
--         and at the end; writes made meanwhile go to a log capped by innodb_online_alter_log_max_size.
--      3. ADD CONSTRAINT ... FOREIGN KEY ... ALGORITHM=INPLACE, with foreign_key_checks off for this
--         one statement: metadata only, no rebuild, no row read. No LOCK clause: MySQL refuses
--         LOCK=NONE on a table that has or gets an ON DELETE SET NULL key. It takes an exclusive
--         metadata lock on projects and, on MySQL 8, also on the parent table users, for an instant.
--      Each of the three first waits for the transactions that already used projects (and, for 3,
--      users); reads and writes of those tables arriving meanwhile queue behind it. Behind a long
--      transaction it fails after 1 s with error 1205 (lock wait timeout), nothing of it is left
--      half-done, yoyo undoes the statements before it, and `make migrate` can simply run again.
--      `make bench`, 1,000,000 rows, MariaDB 10.11.19, quiet 2-core machine: 0.51 s in all, nearly
--      all of it the index build; longest writer stall 5.7 ms (docs/performance.md).
-- Rollback: drops the foreign key, the index and the column, one statement each; every project's
--      owner is lost.
-- Dialect: the foreign key is named projects_ownerId_foreign_idx, the name the old system gave it
--      here. Adding a foreign key while foreign_key_checks = 1 forces ALGORITHM=COPY (a full copy of
--      projects that blocks writes); with the checks off InnoDB adds it as metadata. That is safe
--      because the column is NULL in every row when the key is added (statement 1 made it so and
--      nothing writes ownerId before this migration is recorded), so no row can violate it. The
--      declared index serves the key, so InnoDB adds none of its own. Column, index and key are
--      separate statements because together they make InnoDB rebuild projects; the rollback mirrors
--      them one for one, so a failure at any statement is undone by the statements before it.
--      ALGORITHM=INSTANT ADD COLUMN needs MySQL 8.0.12+ or MariaDB 10.3+. lock_wait_timeout is set
--      for this session first and reset last (1 s is the lowest MySQL 8 accepts).
--
-- depends: 20240826094500-launchpad-workflows

SET SESSION lock_wait_timeout = 1;

ALTER TABLE `projects`
    ADD COLUMN `ownerId` INT NULL,
    ALGORITHM=INSTANT;

ALTER TABLE `projects`
    ADD INDEX `projects_owner_id_idx` (`ownerId`),
    ALGORITHM=INPLACE, LOCK=NONE;

SET SESSION foreign_key_checks = 0;

ALTER TABLE `projects`
    ADD CONSTRAINT `projects_ownerId_foreign_idx` FOREIGN KEY (`ownerId`)
        REFERENCES `users` (`id`) ON DELETE SET NULL ON UPDATE CASCADE,
    ALGORITHM=INPLACE;

SET SESSION foreign_key_checks = 1;

SET SESSION lock_wait_timeout = DEFAULT;
