-- 20240901120000-add-project-owner
--
-- Why: dashboards and queue analytics scope projects by their owner.
-- Impact: adds the nullable projects.ownerId with its foreign key to users, and its index.
--      SQLite is embedded: no concurrent writers to protect. ADD COLUMN only edits the stored
--      CREATE TABLE text (existing rows read NULL); CREATE INDEX reads projects once. The
--      migration's transaction holds the database write lock until it commits.
--      Lock waits: nothing to bound (no lock_timeout): SQLite is embedded, with no concurrent
--      writers to queue behind the migration. Should another connection hold the write lock,
--      yoyo's driver (Python sqlite3) waits up to its default 5 s, then fails with "database is
--      locked" and the migration's transaction leaves nothing behind.
-- Rollback: drops the index and rebuilds projects without the column; every project's owner is lost.
-- Dialect: one transaction (SQLite has no CONCURRENTLY, and needs none), two statements. The
--      foreign key is declared on the column (ALTER TABLE ... ADD COLUMN cannot add a table
--      constraint). SQLite cannot DROP COLUMN a column with a foreign key, so the rollback
--      rebuilds projects exactly as the baseline created it (see the rollback file).
--
-- depends: 20240826094500-launchpad-workflows

ALTER TABLE "projects" ADD COLUMN "ownerId" INTEGER CONSTRAINT "projects_ownerId_fkey" REFERENCES "users" ("id") ON DELETE SET NULL ON UPDATE CASCADE;

CREATE INDEX "projects_owner_id_idx" ON "projects" ("ownerId");
