-- NAIVE form of 20240901120000-add-project-owner, for `make bench` only: never apply it to a real
-- database. The same column, foreign key and index as
-- migrations/postgres/20240901120000-add-project-owner.sql, written the way an ORM or a first draft
-- writes them.
-- What makes it naive: one transaction (yoyo's default), no lock_timeout, a plain ADD CONSTRAINT
--      (validated at once, not NOT VALID + VALIDATE) and a plain CREATE INDEX (not CONCURRENTLY).
--      ADD COLUMN takes ACCESS EXCLUSIVE on projects and the transaction keeps it until commit, so
--      every read and write of projects waits while the foreign key is checked against every row
--      and the index is built over every row. (Outside a transaction the plain CREATE INDEX would
--      still hold SHARE, which blocks writes, for the whole build.)
--
-- depends: 20240826094500-launchpad-workflows

ALTER TABLE "projects" ADD COLUMN "ownerId" INTEGER;

ALTER TABLE "projects"
    ADD CONSTRAINT "projects_ownerId_fkey" FOREIGN KEY ("ownerId")
        REFERENCES "users" ("id") ON DELETE SET NULL ON UPDATE CASCADE;

CREATE INDEX "projects_owner_id_idx" ON "projects" ("ownerId");
