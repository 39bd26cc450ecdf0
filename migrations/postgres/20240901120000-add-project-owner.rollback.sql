-- Rollback of 20240901120000-add-project-owner: drops the index, the foreign key and projects.ownerId,
-- restoring projects as launchpad-workflows left it. Every project's owner is lost; only a backup
-- restores it. Not transactional (the forward file says so): an exact mirror of the forward file,
-- statement for statement, because yoyo pairs forward i with rollback n-1-i to undo a failed apply.
-- Each SET restores the lock_timeout under which its forward partner ran, so the undo of a failed
-- apply and this whole file run every statement with the same limit: none (0) for DROP INDEX
-- CONCURRENTLY, which waits for every open transaction that uses projects without blocking their
-- reads and writes; 100 ms for the ALTER TABLE, whose ACCESS EXCLUSIVE on projects and users queues
-- their reads and writes while it waits. Behind a long transaction it times out (55P03); yoyo then
-- runs the forward partners of the statements already done, which rebuilds the index
-- (CONCURRENTLY, reads and writes continue), and the migration stays applied: nothing half-done.
-- `make rollback` retries; after plain `yoyo rollback`, run it again.

-- Paired with RESET lock_timeout: before it, the forward file ran with lock_timeout = 0.
SET lock_timeout = 0;

DROP INDEX CONCURRENTLY "projects_owner_id_idx";

-- Paired with VALIDATE CONSTRAINT, which has nothing to undo; it ran with lock_timeout = 0.
SET lock_timeout = 0;

-- Paired with SET lock_timeout = 0: before it, the forward file ran with 100 ms.
SET lock_timeout = '100ms';

ALTER TABLE "projects"
    DROP CONSTRAINT "projects_ownerId_fkey",
    DROP COLUMN "ownerId";

RESET lock_timeout;
