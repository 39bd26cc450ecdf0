-- 20240901120000-add-project-owner
--
-- Why: dashboards and queue analytics scope projects by their owner.
-- Impact: adds the nullable projects.ownerId, its foreign key to users and its index, without
--      blocking writes to projects for longer than a catalog change:
--      ADD COLUMN ... NOT VALID: ACCESS EXCLUSIVE on projects (reads and writes wait) and SHARE
--      ROW EXCLUSIVE on users (writes wait) for milliseconds (catalog only: no rewrite, no scan;
--      existing rows get NULL). It runs under lock_timeout = 100 ms: while it waits for its
--      locks, every later read and write of projects (and write of users) queues behind it, so
--      100 ms is the longest they stall per attempt. Behind a long transaction that holds any
--      lock on projects (or has written to users), it times out after 100 ms (SQLSTATE 55P03),
--      nothing has changed, and `make migrate` retries it; plain `yoyo apply` fails and must be
--      run again.
--      VALIDATE CONSTRAINT: scans projects under SHARE UPDATE EXCLUSIVE (reads and writes
--      continue) and takes ROW SHARE on users; CREATE INDEX CONCURRENTLY: SHARE UPDATE EXCLUSIVE
--      on projects (reads and writes continue) while it builds the index in two passes and waits
--      for every transaction older than each pass, however long. Both run with lock_timeout = 0
--      (no limit): their locks queue no reader or writer, so waiting costs the application
--      nothing, while a short timeout would make them fail on any database that always has some
--      transaction open for longer (CREATE INDEX CONCURRENTLY) or an autovacuum on projects,
--      which PostgreSQL cancels only after deadlock_timeout, 1 s (VALIDATE). Then RESET
--      lock_timeout leaves the session as it found it.
--      A statement that fails makes yoyo undo the statements already done (see below); a failed
--      CREATE INDEX CONCURRENTLY can leave an INVALID index behind, which dropping the column
--      drops too.
-- Rollback: drops the index (CONCURRENTLY, no lock_timeout), then the foreign key and the column in
--      one ALTER TABLE, which takes ACCESS EXCLUSIVE on projects and users for milliseconds
--      (catalog only) under lock_timeout = 100 ms; every project's owner is lost.
-- Dialect: the reference file; mysql/ and sqlite/ say how they differ from it. Not transactional,
--      so every statement commits on its own. When statement k fails, yoyo runs the rollback
--      statements paired with statements 0..k-1 in reverse (forward i is paired with rollback
--      n-1-i), so the rollback file is an exact mirror of this one, statement for statement:
--      each SET in it restores the lock_timeout its partner ran under.
--      SET lock_timeout is session-level: yoyo runs each migration on its own connection, and the
--      file ends with RESET lock_timeout.
--
-- CREATE INDEX CONCURRENTLY cannot run inside a transaction block.
-- transactional: false
-- depends: 20240826094500-launchpad-workflows

SET lock_timeout = '100ms';

ALTER TABLE "projects"
    ADD COLUMN "ownerId" INTEGER,
    ADD CONSTRAINT "projects_ownerId_fkey" FOREIGN KEY ("ownerId")
        REFERENCES "users" ("id") ON DELETE SET NULL ON UPDATE CASCADE NOT VALID;

SET lock_timeout = 0;

ALTER TABLE "projects" VALIDATE CONSTRAINT "projects_ownerId_fkey";

CREATE INDEX CONCURRENTLY "projects_owner_id_idx" ON "projects" ("ownerId");

RESET lock_timeout;
