-- Rollback of 20240901120000-add-project-owner: drops the foreign key, the index and projects.ownerId,
-- restoring projects as launchpad-workflows left it. Every project's owner is lost; only a backup
-- restores it. One statement per forward statement in reverse order, so yoyo can undo a forward run
-- that failed at any statement. No statement rebuilds projects, each waits at most 1 s for its
-- metadata lock (lock_wait_timeout) and then fails with nothing half-done:
-- DROP FOREIGN KEY is metadata only (ALGORITHM=INPLACE, no LOCK clause: MySQL refuses LOCK=NONE while
-- projects has the ON DELETE SET NULL key) and, on MySQL 8, takes an exclusive metadata lock on users
-- too, for an instant; DROP INDEX is metadata only (INPLACE, LOCK=NONE); DROP COLUMN is ALGORITHM=INSTANT
-- (MySQL 8.0.29+, MariaDB 10.4+): metadata only, the column's bytes stay in the rows until the next
-- rebuild. foreign_key_checks is off around the key drop, as in the forward file.

SET SESSION lock_wait_timeout = 1;

SET SESSION foreign_key_checks = 0;

ALTER TABLE `projects`
    DROP FOREIGN KEY `projects_ownerId_foreign_idx`,
    ALGORITHM=INPLACE;

SET SESSION foreign_key_checks = 1;

ALTER TABLE `projects`
    DROP INDEX `projects_owner_id_idx`,
    ALGORITHM=INPLACE, LOCK=NONE;

ALTER TABLE `projects`
    DROP COLUMN `ownerId`,
    ALGORITHM=INSTANT;

SET SESSION lock_wait_timeout = DEFAULT;
