"""Create the six files of a new migration: `make new NAME=add-feed-post-pins`.

    python -m tools.scaffold NAME

The id is `<UTC timestamp YYYYMMDDHHMMSS>-<NAME>`; each dialect folder gets `<id>.sql` with the header
template (id, Why:, Impact:, Rollback:, Dialect:, `-- depends:` on the current head) and
`<id>.rollback.sql` opening with `-- Rollback of <id>:`. The files have no statements: the layout tests
fail until the migration is written, on purpose.
"""

from __future__ import annotations

import re
import sys
from datetime import datetime, timezone
from pathlib import Path

from tools.migrations import DIALECTS, MIGRATIONS

# The first word of a name says what the migration does. A verb that is missing here can be added.
VERBS = ("add", "allow", "alter", "archive", "backfill", "change", "convert", "copy", "create", "deduplicate",
         "drop", "enforce", "expand", "extend", "index", "link", "make", "merge", "move", "normalize",
         "partition", "populate", "relax", "remove", "rename", "replace", "require", "restrict", "seed",
         "set", "split", "track", "unlink", "update", "validate", "widen")

KEBAB = re.compile(r"^[a-z][a-z0-9]*(-[a-z0-9]+)+$")
EXAMPLE = "add-feed-post-pins"

DIALECT_LINE = {
    "postgres": "-- Dialect: the reference file; mysql/ and sqlite/ say how they differ from it.",
    "mysql": "-- Dialect: TODO how this differs from postgres/ and why.",
    "sqlite": "-- Dialect: TODO how this differs from postgres/ and why.",
}


class BadName(ValueError):
    pass


def check_name(name: str, root: Path = MIGRATIONS) -> None:
    """Raise BadName, saying what to do instead, unless `name` follows the naming convention."""
    if not name:
        raise BadName(f"give a name: make new NAME={EXAMPLE}")
    if name.endswith(".sql"):
        raise BadName(f"give the name without .sql: {name[:-4]}")
    if re.match(r"^\d", name):
        raise BadName("leave out the timestamp; it is added for you (UTC, YYYYMMDDHHMMSS)")
    if name.startswith("post-apply"):
        raise BadName("a name starting with post-apply would make yoyo run the file after every apply (a hook)")
    if not KEBAB.match(name):
        suggestion = re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")
        rule = "lowercase only" if name != name.lower() else "kebab-case"
        raise BadName(f"{rule}: lowercase words and digits joined by single hyphens, at least two words (a verb "
                      f"and what it acts on), e.g. {EXAMPLE}" + (f"; perhaps {suggestion}"
                                                                 if KEBAB.match(suggestion) else ""))
    verb = name.split("-", 1)[0]
    if verb not in VERBS:
        raise BadName(f"start with a verb saying what the migration does ({', '.join(VERBS)}); "
                      f"{verb!r} is not one (add it to VERBS in tools/scaffold.py if it is a verb)")
    used = [p.name[:-4] for p in (root / "postgres").glob(f"*-{name}.sql")]
    if used:
        raise BadName(f"{used[0]} already has that name; name this change for what it adds to it")


def head(root: Path = MIGRATIONS) -> str | None:
    """The last migration id, the same in every dialect folder."""
    heads = {}
    for dialect in DIALECTS:
        ids = sorted(p.name[:-4] for p in (root / dialect).glob("*.sql")
                     if not p.name.endswith(".rollback.sql") and not p.name.startswith("post-apply"))
        heads[dialect] = ids[-1] if ids else None
    if len(set(heads.values())) != 1:
        raise BadName("the dialect folders end with different migrations "
                      f"({', '.join(f'{d}: {h}' for d, h in heads.items())}); fix that first")
    return heads["postgres"]


def forward_text(migration_id: str, dialect: str, depends: str | None) -> str:
    lines = [
        f"-- {migration_id}",
        "--",
        "-- Why: TODO the problem this solves, for whom.",
        "-- Impact: TODO per statement: the lock it takes on an existing table and for how long, rows",
        "--      rewritten or scanned, what keeps working meanwhile.",
        "-- Rollback: TODO what the rollback restores, and what it cannot restore (data).",
        DIALECT_LINE[dialect],
    ]
    if depends:
        lines += ["--", f"-- depends: {depends}"]
    return "\n".join(lines) + "\n"


def rollback_text(migration_id: str) -> str:
    return (f"-- Rollback of {migration_id}: TODO what it restores, and what cannot be restored (data).\n"
            "-- The exact inverse of the forward file: one statement per forward statement, in reverse order.\n")


def new(name: str, root: Path = MIGRATIONS, now: datetime | None = None) -> list[Path]:
    """Create the six files; return their paths. Raises BadName when the name or the id is refused."""
    check_name(name, root)
    depends = head(root)
    stamp = (now or datetime.now(timezone.utc)).strftime("%Y%m%d%H%M%S")
    migration_id = f"{stamp}-{name}"
    if depends and migration_id <= depends:
        raise BadName(f"{migration_id} would not sort after the current head {depends}; "
                      "is the clock right, or was a migration created in this same second?")
    created = []
    for dialect in ("postgres", "mysql", "sqlite"):  # the order they are written in
        forward = root / dialect / f"{migration_id}.sql"
        rollback = root / dialect / f"{migration_id}.rollback.sql"
        forward.write_text(forward_text(migration_id, dialect, depends), encoding="utf-8")
        rollback.write_text(rollback_text(migration_id), encoding="utf-8")
        created += [forward, rollback]
    return created


def main(argv: list[str], root: Path = MIGRATIONS) -> int:
    if len(argv) != 1:
        print(f"usage: make new NAME=<kebab-case verb phrase>, e.g. make new NAME={EXAMPLE}", file=sys.stderr)
        return 2
    try:
        created = new(argv[0], root)
    except BadName as exc:
        print(f"NAME={argv[0]}: {exc}", file=sys.stderr)
        return 2
    for path in created:
        print(f"created {path.relative_to(root.parent)}")
    postgres = created[0].relative_to(root.parent)
    print(f"""
Next:
  1. Write {postgres} first: fill in every TODO of the header, then the statements.
  2. Then mysql/ and sqlite/ (their Dialect: line says how they differ), and each rollback file as the
     exact inverse, statement for statement in reverse order (migrations/README.md says why).
  3. make sum                 record the new files in migrations/checksums.sum
  4. make test-all-dialects   until then the layout tests fail on these files, on purpose: a migration
                              without statements, or with a TODO left, is not finished.
Until it is written, make plan, make migrate and make rollback refuse to run (yoyo would record the
empty migration as applied).""")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
