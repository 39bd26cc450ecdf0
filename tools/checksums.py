"""Checksums of the migration files: the committed manifest, the record made when yoyo applies, and
the comparison of the two.

    python -m tools.checksums sum      rewrite migrations/checksums.sum and the post-apply hooks from the files
    python -m tools.checksums check    exit 1 if a file and migrations/checksums.sum disagree
    python -m tools.checksums verify   DATABASE_URL: applied migrations whose files changed since they were applied
    python -m tools.checksums record [--accept ID]
                                       DATABASE_URL: record checksums for applied migrations that have none
                                       (`yoyo mark` runs no hook); --accept ID first forgets ID's record

yoyo stores only a migration's id, so an applied file edited later goes unnoticed. Here:

* `migrations/checksums.sum` holds the sha256 of every migration file, in `sha256sum` format
  (`cd migrations && sha256sum -c checksums.sum` checks it without Python); a test fails when a file and
  the manifest disagree, so changing a migration is a deliberate act (`make sum`).
* `migrations/<dialect>/post-apply-checksums.sql` is generated from the manifest. yoyo runs every
  `post-apply*` file after each `yoyo apply` that applied something (plain `yoyo apply` too), and this
  one records, in the table `_migration_checksums`, the checksums of each applied migration's forward
  and rollback files that are not recorded yet.
* A record belongs to one application of a migration: it keeps how many times yoyo had logged applying
  (or marking) that id in `_yoyo_log`. A rollback and re-apply adds a log row, so the hook replaces a
  stale record without relying on clock precision (MySQL's TIMESTAMP has whole seconds).
"""

from __future__ import annotations

import hashlib
import os
import sys
import textwrap
from dataclasses import dataclass
from pathlib import Path

from tools.errors import refuse_read_only
from tools.migrations import (DIALECTS, MIGRATIONS, database_errors, dialect_of, mask, one_line, target_url,
                              yoyo_url)

MANIFEST = "checksums.sum"
HOOK = "post-apply-checksums.sql"
TABLE = "_migration_checksums"
CHANGE_MUST_BE_DELIBERATE = "changing an applied migration must be deliberate: run make sum"


# --- the files and the manifest -----------------------------------------------------------------

def file_sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def migration_files(root: Path = MIGRATIONS) -> list[Path]:
    """Every migration file (forward and rollback) of every dialect; not the generated hooks."""
    return sorted(p for d in DIALECTS for p in (root / d).glob("*.sql") if not p.name.startswith("post-apply"))


def current(root: Path = MIGRATIONS) -> dict[str, str]:
    """{"postgres/<id>.sql": sha256, ...} computed from the files now."""
    return {p.relative_to(root).as_posix(): file_sha256(p) for p in migration_files(root)}


def read_manifest(root: Path = MIGRATIONS) -> dict[str, str]:
    path = root / MANIFEST
    if not path.exists():
        return {}
    sums = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip():
            sha, name = line.split(maxsplit=1)
            sums[name.lstrip("*")] = sha
    return sums


def render_manifest(sums: dict[str, str]) -> str:
    return "".join(f"{sha}  {name}\n" for name, sha in sorted(sums.items()))


def disagreements(root: Path = MIGRATIONS) -> list[str]:
    """How the files and the manifest differ, one line per file; empty when they agree."""
    files, manifest = current(root), read_manifest(root)
    found = []
    for name in sorted(set(files) | set(manifest)):
        if name not in manifest:
            found.append(f"migrations/{name}: not in migrations/{MANIFEST}")
        elif name not in files:
            found.append(f"migrations/{name}: in migrations/{MANIFEST} but the file is gone")
        elif files[name] != manifest[name]:
            found.append(f"migrations/{name}: sha256 {files[name]}, manifest says {manifest[name]}")
    return found


# --- the post-apply hook ---------------------------------------------------------------------------

_QUOTE = {"postgres": '"{}"', "sqlite": '"{}"', "mysql": "`{}`"}

# Columns of _migration_checksums per dialect. No CHARSET/COLLATE on MySQL on purpose: the table takes
# the database default, like yoyo's own tables, so comparing their migration_id columns never mixes
# collations.
_CREATE = {
    "postgres": """CREATE TABLE IF NOT EXISTS "_migration_checksums" (
    "migration_id" VARCHAR(255) NOT NULL,
    "sha256" VARCHAR(64) NOT NULL,
    "rollback_sha256" VARCHAR(64) NOT NULL,
    "applied_count" INTEGER NOT NULL,
    "recorded_at" TIMESTAMPTZ NOT NULL DEFAULT now(),
    CONSTRAINT "_migration_checksums_pkey" PRIMARY KEY ("migration_id")
);""",
    "mysql": """CREATE TABLE IF NOT EXISTS `_migration_checksums` (
    `migration_id` VARCHAR(255) NOT NULL,
    `sha256` VARCHAR(64) NOT NULL,
    `rollback_sha256` VARCHAR(64) NOT NULL,
    `applied_count` INT NOT NULL,
    `recorded_at` TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP,
    PRIMARY KEY (`migration_id`)
) ENGINE=InnoDB;""",
    "sqlite": """CREATE TABLE IF NOT EXISTS "_migration_checksums" (
    "migration_id" VARCHAR(255) NOT NULL,
    "sha256" VARCHAR(64) NOT NULL,
    "rollback_sha256" VARCHAR(64) NOT NULL,
    "applied_count" INTEGER NOT NULL,
    "recorded_at" TEXT NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "_migration_checksums_pkey" PRIMARY KEY ("migration_id")
);""",
}


def render_hook(dialect: str, sums: dict[str, str]) -> str:
    """The post-apply hook of one dialect folder, from the manifest's checksums."""
    q = _QUOTE[dialect].format
    t, mid, log, mig = q(TABLE), q("migration_id"), q("_yoyo_log"), q("_yoyo_migration")

    def applied_count(of: str) -> str:
        return (f"(SELECT COUNT(*) FROM {log} l\n"
                f"     WHERE l.{mid} = {of} AND l.{q('operation')} IN ('apply', 'mark'))")

    parts = [f"""-- post-apply-checksums: generated by `make sum` from migrations/{MANIFEST}; do not edit.
--
-- Why: yoyo records only a migration's id. It runs every post-apply* file after each apply that
--      applied something (plain `yoyo apply` too); this one records the sha256 of the forward and
--      rollback files of each applied migration, so that `make verify` can name an applied file
--      that was edited later.
-- Impact: creates {TABLE} if missing; reads _yoyo_migration and _yoyo_log; writes one row
--      per applied migration not recorded yet. Idempotent: running it again changes nothing.
-- Rollback: none; yoyo never rolls back a post-apply hook. {TABLE} is bookkeeping,
--      left out of catalog snapshots like yoyo's own tables.
-- Dialect: the same statements in every dialect folder, quoted for {dialect}.

{_CREATE[dialect]}

-- A record belongs to one application: forget it once the migration is rolled back or unmarked,
-- or applied or marked again since (yoyo logs every apply and mark in _yoyo_log).
DELETE FROM {t}
WHERE {mid} NOT IN (SELECT {mid} FROM {mig})
    OR {q('applied_count')} <> {applied_count(f"{t}.{mid}")};
"""]
    for migration_id in migration_ids_in(sums, dialect):
        forward = sums[f"{dialect}/{migration_id}.sql"]
        rollback = sums.get(f"{dialect}/{migration_id}.rollback.sql", "")
        parts.append(f"""
INSERT INTO {t} ({mid}, {q('sha256')}, {q('rollback_sha256')}, {q('applied_count')})
SELECT
    m.{mid},
    '{forward}',
    '{rollback}',
    {applied_count(f"m.{mid}")}
FROM {mig} m
WHERE m.{mid} = '{migration_id}'
    AND m.{mid} NOT IN (SELECT {mid} FROM {t});
""")
    return "".join(parts)


def migration_ids_in(sums: dict[str, str], dialect: str) -> list[str]:
    prefix = f"{dialect}/"
    return sorted(name[len(prefix):-len(".sql")] for name in sums
                  if name.startswith(prefix) and not name.endswith(".rollback.sql"))


def write(root: Path = MIGRATIONS) -> list[Path]:
    """`make sum`: the manifest from the files, then each dialect's hook from the manifest."""
    sums = current(root)
    written = [root / MANIFEST]
    written[0].write_text(render_manifest(sums), encoding="utf-8")
    for dialect in DIALECTS:
        hook = root / dialect / HOOK
        hook.write_text(render_hook(dialect, sums), encoding="utf-8")
        written.append(hook)
    return written


def stale_hooks(root: Path = MIGRATIONS) -> list[str]:
    """Hook files that are not what `make sum` would write from the manifest."""
    sums = read_manifest(root)
    return [f"migrations/{d}/{HOOK}" for d in DIALECTS
            if not (root / d / HOOK).exists()
            or (root / d / HOOK).read_text(encoding="utf-8") != render_hook(d, sums)]


# --- the database -----------------------------------------------------------------------------------

@dataclass
class Finding:
    migration_id: str
    status: str          # ok | changed | not recorded | no file
    details: list[str]


def _table_exists(conn, dialect: str, table: str) -> bool:
    cur = conn.cursor()
    if dialect == "sqlite":
        cur.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?", (table,))
    elif dialect == "postgres":
        cur.execute("SELECT 1 WHERE to_regclass(%s) IS NOT NULL", (table,))
    else:
        cur.execute("SELECT 1 FROM information_schema.tables WHERE table_schema = DATABASE() "
                    "AND table_name = %s", (table,))
    return cur.fetchone() is not None


def _records(url: str) -> tuple[list[str], dict[str, tuple], dict[str, str], bool]:
    """Applied ids; the current record of each: (sha256, rollback sha256, recorded at); how each was last
    applied ('apply' or 'mark', from _yoyo_log); and whether the hook has ever run here (its table exists).

    Reads with a plain driver connection, so verifying writes nothing, not even yoyo's tables.
    A record left from an earlier application (see the module docstring) does not count.
    """
    from tools.servers import connect

    dialect = dialect_of(url)
    conn = connect(url, autocommit=True)
    try:
        if not _table_exists(conn, dialect, "_yoyo_migration"):
            return [], {}, {}, False
        cur = conn.cursor()
        cur.execute("SELECT migration_id FROM _yoyo_migration")
        applied = sorted(row[0] for row in cur.fetchall())
        how = {}
        if _table_exists(conn, dialect, "_yoyo_log"):
            # Log ids are random; the row with the latest created_at_utc wins, 'mark' on a tie (whole
            # seconds on MySQL), so an id marked in the same second as applied is reported as marked.
            cur.execute("SELECT migration_id, operation, created_at_utc FROM _yoyo_log "
                        "WHERE operation IN ('apply', 'mark')")
            for migration_id, operation, at in sorted(cur.fetchall(), key=lambda r: (str(r[2]), r[1] == "mark")):
                how[migration_id] = operation
        if not _table_exists(conn, dialect, TABLE):
            return applied, {}, how, False
        cur.execute(f"""
            SELECT c.migration_id, c.sha256, c.rollback_sha256, c.recorded_at
            FROM {TABLE} c
            WHERE c.applied_count = (
                SELECT COUNT(*) FROM _yoyo_log l
                WHERE l.migration_id = c.migration_id AND l.operation IN ('apply', 'mark'))""")
        return applied, {row[0]: tuple(row[1:]) for row in cur.fetchall()}, how, True
    finally:
        conn.close()


NOT_RECORDED = {
    "mark": "no checksum recorded: marked as applied (make mark / yoyo mark), which runs no post-apply hook",
    "apply": "no checksum recorded: the `yoyo apply` that applied it did not finish (a later migration failed, "
             "or the run was stopped), and yoyo runs the post-apply hook only after a run that applied "
             "everything; the next successful make migrate records it",
    "never": "no checksum recorded, and the post-apply hook has never run on this database: the run that "
             "applied it did not finish (a later migration failed, or the run was stopped), or it was "
             "applied before checksums were recorded",
}


def verify(url: str, root: Path = MIGRATIONS) -> list[Finding]:
    """One finding per applied migration, in id order: its files now against the checksums recorded
    when it was applied."""
    dialect = dialect_of(url)
    applied, records, how, hook_ran = _records(url)
    findings = []
    for migration_id in applied:
        files = [root / dialect / f"{migration_id}.sql", root / dialect / f"{migration_id}.rollback.sql"]
        shown = [f"migrations/{dialect}/{f.name}" for f in files]
        if not files[0].exists():
            findings.append(Finding(migration_id, "no file", [f"{shown[0]} does not exist (renamed or deleted?)"]))
        elif migration_id not in records:
            reason = "mark" if how.get(migration_id) == "mark" else "apply" if hook_ran else "never"
            findings.append(Finding(migration_id, "not recorded", [NOT_RECORDED[reason]]))
        else:
            *recorded, recorded_at = records[migration_id]
            details = []
            for path, name, then in zip(files, shown, recorded):
                now = file_sha256(path) if path.exists() else "(no file)"
                if now != then:
                    details.append(f"{name}: sha256 {then[:16]} when applied ({recorded_at}), now {now[:16]}")
                    details.append(f"    what changed: git log -p -- {name}")
            findings.append(Finding(migration_id, "changed" if details else "ok", details))
    return findings


def record(url: str, root: Path = MIGRATIONS, accept: str | None = None) -> None:
    """Run the post-apply hook now, through yoyo, as `yoyo apply` does after applying something.

    With `accept`, first forget that migration's record, so that its files as they are now become the
    reference (after reviewing a change that does not alter what the database ran, e.g. a comment).
    """
    from yoyo import get_backend
    from yoyo.migrations import get_migration_hash

    from tools.migrations import read

    dialect = dialect_of(url)
    migrations = read(dialect, root / dialect)
    with get_backend(yoyo_url(url)) as backend, backend.lock():
        if accept is not None:
            if get_migration_hash(accept) not in backend.get_applied_migration_hashes():
                raise KeyError(f"{accept} is not applied on this database")
            if TABLE in backend.list_tables():
                with backend.transaction():
                    backend.execute(f"DELETE FROM {TABLE} WHERE migration_id = :id", {"id": accept})
        backend.run_post_apply(migrations)


# --- command line ------------------------------------------------------------------------------------

def main(argv: list[str], root: Path = MIGRATIONS) -> int:
    command, args = (argv[0], argv[1:]) if argv else ("", [])
    if command == "sum":
        before = read_manifest(root)
        for path in write(root):
            print(f"wrote {path.relative_to(root.parent)}")
        after = read_manifest(root)
        for name in sorted(set(before) | set(after)):
            if before.get(name) != after.get(name):
                what = "new" if name not in before else "removed" if name not in after else "changed"
                print(f"  {what:8} migrations/{name}")
        return 0
    if command == "check":
        problems = disagreements(root) + [f"{h}: not what `make sum` writes" for h in stale_hooks(root)]
        print("\n".join(problems + [CHANGE_MUST_BE_DELIBERATE]) if problems else
              f"migrations/{MANIFEST}: every file agrees")
        return 1 if problems else 0
    accept = args[1] if command == "record" and len(args) == 2 and args[0] == "--accept" and args[1] else None
    if command not in ("verify", "record") or (args and not accept):
        print(__doc__, file=sys.stderr)
        return 2
    url = target_url()
    if command == "record" and (refused := refuse_read_only(url)):
        return refused
    try:
        return _on_database(command, url, accept, root)
    except database_errors() as exc:  # one line; the traceback with VERBOSE=1
        if os.environ.get("VERBOSE"):
            raise
        print(f"{command}: {mask(url)}: {one_line(exc, url)}", file=sys.stderr)
        return 1


def _on_database(command: str, url: str, accept: str | None, root: Path) -> int:
    dialect = dialect_of(url)
    print(f"{command} {mask(url)}  (migrations/{dialect})")
    if command == "record":
        try:
            record(url, root, accept)
        except KeyError as exc:
            print(f"  {exc.args[0]}", file=sys.stderr)
            return 2
        print(f"  recorded the checksums of migrations/{MANIFEST} for applied migrations that had none"
              + (f"; {accept}'s files as they are now are its reference" if accept else ""))
    problems = disagreements(root) + [f"{h}: not what `make sum` writes" for h in stale_hooks(root)]
    if problems:
        print(f"  the files disagree with migrations/{MANIFEST}; an apply from this checkout would record "
              "other checksums than the files':")
        print("\n".join(f"    {line}" for line in problems))
    findings = verify(url, root)
    for f in findings:
        status = f.status if f.status == "ok" else f.status.upper()
        print(f"  {status:13} {f.migration_id}" + "".join(f"\n                {d}" for d in f.details))
    counts = ", ".join(f"{n} {s}" for s in ("ok", "changed", "not recorded", "no file")
                       if (n := sum(f.status == s for f in findings)))
    applied = {f.migration_id for f in findings}
    waiting = [p for p in (root / dialect).glob("*.sql") if p.name[:-len(".sql")] not in applied
               and not p.name.endswith(".rollback.sql") and not p.name.startswith("post-apply")]
    print(f"{len(findings)} applied" + (f": {counts}" if counts else "")
          + f"; {len(waiting)} pending" + (" (make plan shows their SQL)" if waiting else ""))
    advice = {
        "not recorded": "NOT RECORDED cannot be checked. `make record-checksums` records the files as they are "
                        "now: compare them with what the database has first.",
        "changed": "CHANGED: the file no longer says what the database ran. Restore it from version control, "
                   "or make the change a new migration; if it does not alter what runs (a comment), accept it "
                   "with `make sum` and `make record-checksums ACCEPT=<id>`.",
        "no file": "NO FILE: yoyo knows a migration by its file name; a renamed file is a new, unapplied "
                   "migration.",
    }
    for status, text in advice.items():
        if any(f.status == status for f in findings):
            print(textwrap.fill(text, width=100, subsequent_indent="  "))
    return 1 if problems or any(f.status in ("changed", "no file") for f in findings) else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
