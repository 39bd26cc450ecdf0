-- Rollback of 20240901120000-add-project-owner: drops the foreign key, the index and projects.ownerId
-- in one ALTER TABLE (atomic, ALGORITHM=INPLACE, LOCK=NONE: reads and writes continue), restoring
-- projects as launchpad-workflows left it. Every project's owner is lost; only a backup restores it.
-- One statement per forward statement in reverse order; foreign_key_checks is off only for the
-- ALTER, as in the forward file.

SET SESSION foreign_key_checks = 0;

ALTER TABLE `projects`
    DROP FOREIGN KEY `projects_ownerId_foreign_idx`,
    DROP INDEX `projects_owner_id_idx`,
    DROP COLUMN `ownerId`,
    ALGORITHM=INPLACE, LOCK=NONE;

SET SESSION foreign_key_checks = 1;
