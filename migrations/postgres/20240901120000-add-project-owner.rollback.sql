-- Rollback of 20240901120000-add-project-owner: drops the index, the foreign key and projects.ownerId,
-- restoring projects as launchpad-workflows left it. Every project's owner is lost; only a backup
-- restores it. Not transactional (the forward file says so): an exact mirror of the forward file,
-- statement for statement, because yoyo pairs forward i with rollback n-1-i to undo a failed apply.
-- DROP INDEX CONCURRENTLY runs before any lock_timeout is set: it waits for every open transaction
-- that uses projects, as long as they last, without blocking their reads and writes.

DROP INDEX CONCURRENTLY "projects_owner_id_idx";

-- Paired with VALIDATE CONSTRAINT, which has nothing to undo; it bounds the wait of the DROP below
-- (ACCESS EXCLUSIVE on projects and users) to 5 s, both here and when yoyo undoes a failed apply.
SET lock_timeout = '5s';

ALTER TABLE "projects"
    DROP CONSTRAINT "projects_ownerId_fkey",
    DROP COLUMN "ownerId";

RESET lock_timeout;
