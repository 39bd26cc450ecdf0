-- Rollback of 20240901120000-add-project-owner: drops the index and rebuilds projects without
-- ownerId, restoring it exactly as the baseline created it (same stored CREATE TABLE text, same
-- rows and ids, same AUTOINCREMENT counter). Every project's owner is lost; only a backup restores
-- it. SQLite cannot DROP COLUMN a column that has a foreign key, hence the rebuild, inside the
-- migration's one transaction: a failure leaves projects untouched.
-- DROP TABLE "projects" would set escrow_transactions.projectId to NULL (ON DELETE SET NULL) on a
-- connection with PRAGMA foreign_keys = ON; yoyo's connection never enables it (and the pragma is
-- a no-op inside a transaction), so the links survive. escrow_transactions declares its key by the
-- name "projects", which after the rename is the rebuilt table with the same ids.

DROP INDEX "projects_owner_id_idx";

CREATE TABLE "projects_rebuild" (
    "id" INTEGER PRIMARY KEY AUTOINCREMENT,
    "title" VARCHAR(255),
    "description" TEXT,
    "status" VARCHAR(255),
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
);

INSERT INTO "projects_rebuild" ("id", "title", "description", "status", "createdAt", "updatedAt")
SELECT "id", "title", "description", "status", "createdAt", "updatedAt" FROM "projects";

-- The INSERT above always creates a counter row for projects_rebuild (seq 0 when projects is empty)
-- and projects has one only if it ever held a row: copy the projects row, or none, as it is.
DELETE FROM "sqlite_sequence" WHERE "name" = 'projects_rebuild';

INSERT INTO "sqlite_sequence" ("name", "seq")
SELECT 'projects_rebuild', "seq" FROM "sqlite_sequence" WHERE "name" = 'projects';

DROP TABLE "projects";

ALTER TABLE "projects_rebuild" RENAME TO "projects";
