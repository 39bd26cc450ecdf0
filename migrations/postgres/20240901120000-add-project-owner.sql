-- 20240901120000-add-project-owner
--
-- Why: dashboards and queue analytics scope projects by their owner.
-- Impact: adds the nullable projects.ownerId, its foreign key to users and its index, without
--      blocking writes to projects for longer than a catalog change:
--      ADD COLUMN ... NOT VALID: ACCESS EXCLUSIVE on projects and SHARE ROW EXCLUSIVE on users for
--      milliseconds (catalog only: no rewrite, no scan; existing rows get NULL);
--      VALIDATE CONSTRAINT: scans projects under SHARE UPDATE EXCLUSIVE (reads and writes
--      continue) and takes ROW SHARE on users;
--      CREATE INDEX CONCURRENTLY: SHARE UPDATE EXCLUSIVE on projects (reads and writes continue)
--      while it waits for older transactions and builds the index in two passes.
--      lock_timeout = 5 s bounds each wait for a lock, including the index build's waits for older
--      transactions (so a transaction open for longer than that makes it fail); a statement that
--      times out fails and yoyo undoes the statements already done (see below): run it again.
--      If CREATE INDEX CONCURRENTLY fails it can leave an INVALID index behind; the compensation
--      drops the column, which drops that index too.
-- Rollback: drops the index (CONCURRENTLY), then the foreign key and the column in one ALTER
--      TABLE, which takes ACCESS EXCLUSIVE on projects and users for milliseconds (catalog only;
--      lock_timeout 5 s); every project's owner is lost.
-- Dialect: the reference file; mysql/ and sqlite/ say how they differ from it. Not transactional,
--      so every statement commits on its own. When statement k fails, yoyo runs the rollback
--      statements paired with statements 0..k-1 in reverse (forward i is paired with rollback
--      n-1-i), so the rollback file is an exact mirror of this one, statement for statement.
--      SET lock_timeout is session-level: yoyo runs each migration on its own connection, so it
--      ends with the migration.
--
-- CREATE INDEX CONCURRENTLY cannot run inside a transaction block.
-- transactional: false
-- depends: 20240826094500-launchpad-workflows

SET lock_timeout = '5s';

ALTER TABLE "projects"
    ADD COLUMN "ownerId" INTEGER,
    ADD CONSTRAINT "projects_ownerId_fkey" FOREIGN KEY ("ownerId")
        REFERENCES "users" ("id") ON DELETE SET NULL ON UPDATE CASCADE NOT VALID;

ALTER TABLE "projects" VALIDATE CONSTRAINT "projects_ownerId_fkey";

CREATE INDEX CONCURRENTLY "projects_owner_id_idx" ON "projects" ("ownerId");
