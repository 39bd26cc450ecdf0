-- NAIVE form of 20240901120000-add-project-owner, for `make bench` only: never apply it to a real
-- database. The same ALTER TABLE as migrations/mysql/20240901120000-add-project-owner.sql, without
-- its two protections.
-- What makes it naive: no algorithm clause and foreign_key_checks left on. With the checks on,
--      adding a foreign key is not supported in place, so the server silently picks ALGORITHM=COPY:
--      it copies every row of projects into a new table while writes to projects wait (the copy
--      allows reads only), then swaps the tables.
--
-- depends: 20240826094500-launchpad-workflows

ALTER TABLE `projects`
    ADD COLUMN `ownerId` INT NULL,
    ADD INDEX `projects_owner_id_idx` (`ownerId`),
    ADD CONSTRAINT `projects_ownerId_foreign_idx` FOREIGN KEY (`ownerId`)
        REFERENCES `users` (`id`) ON DELETE SET NULL ON UPDATE CASCADE;
