"""An unfinished migration (the empty scaffold of `make new`, or a TODO left in a header) is never
planned, applied or rolled back: `make plan`, `make migrate` and `make rollback` refuse, naming the file.

The make targets run in a copy of the checkout (its own migrations/, the shared virtualenv), on a
SQLite file inside that copy.
"""

import os
import re
import sqlite3
import subprocess
from pathlib import Path

import pytest

from tools.migrations import DIALECTS, migration_ids, unfinished_migrations

IDS = migration_ids("postgres")
NAME = "add-feed-post-pins"


def make(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "VERBOSE", "MAKEFLAGS", "MAKELEVEL")}
    env["DATABASE_URL"] = "sqlite:///var/local.db"
    return subprocess.run(["make", "-s", "-o", ".venv/.installed", *args], cwd=cwd, env=env,
                          capture_output=True, text=True, timeout=300)




def recorded(db: Path) -> list[str]:
    with sqlite3.connect(db) as conn:
        return sorted(r[0] for r in conn.execute("SELECT migration_id FROM _yoyo_migration"))


@pytest.mark.parametrize("dialect", DIALECTS)
def test_the_committed_migrations_are_all_finished(dialect):
    assert unfinished_migrations(dialect) == []


def test_a_scaffold_is_refused_by_plan_migrate_and_rollback_until_it_is_written(checkout):
    assert make("migrate", cwd=checkout).returncode == 0
    db = checkout / "var" / "local.db"
    assert recorded(db) == IDS

    done = make("new", f"NAME={NAME}", cwd=checkout)
    assert done.returncode == 0, done.stderr
    new_id = re.search(rf"created migrations/postgres/(\d{{14}}-{NAME})\.sql", done.stdout).group(1)
    for dialect in DIALECTS:
        assert unfinished_migrations(dialect, checkout / "migrations" / dialect) == [
            (checkout / "migrations" / dialect / f"{new_id}.sql", "no statements; TODO left in the header"),
            (checkout / "migrations" / dialect / f"{new_id}.rollback.sql", "no statements; TODO left in the header"),
        ]

    for target in (["plan"], ["migrate"], ["plan-rollback"], ["rollback"]):
        done = make(*target, cwd=checkout)
        assert done.returncode == 2, (target, done.stdout, done.stderr)
        assert f"migrations/sqlite/{new_id}.sql: no statements; TODO left in the header" in done.stderr, target
        assert recorded(db) == IDS, f"make {target[0]} changed the database"

    # Written, but one TODO left in the header: still refused, for that reason alone.
    for dialect in DIALECTS:
        forward = checkout / "migrations" / dialect / f"{new_id}.sql"
        rollback = checkout / "migrations" / dialect / f"{new_id}.rollback.sql"
        forward.write_text(forward.read_text().replace("TODO ", "")
                           .replace("Why: the", "Why: TODO the") + '\nCREATE TABLE "pins" ("id" INTEGER);\n')
        rollback.write_text(rollback.read_text().replace("TODO ", "") + '\nDROP TABLE "pins";\n')
    assert unfinished_migrations("sqlite", checkout / "migrations" / "sqlite") == [
        (checkout / "migrations" / "sqlite" / f"{new_id}.sql", "TODO left in the header")]
    done = make("plan", cwd=checkout)
    assert done.returncode == 2 and f"{new_id}.sql: TODO left in the header" in done.stderr

    for dialect in DIALECTS:
        forward = checkout / "migrations" / dialect / f"{new_id}.sql"
        forward.write_text(forward.read_text().replace("Why: TODO the", "Why: the"))
    done = make("plan", cwd=checkout)
    assert done.returncode == 0, done.stderr
    assert f"--     {new_id}" in done.stdout and 'CREATE TABLE "pins"' in done.stdout
    assert make("migrate", cwd=checkout).returncode == 0
    assert recorded(db) == sorted([*IDS, new_id])


def test_a_file_of_comments_only_has_no_statements(tmp_path):
    folder = tmp_path / "sqlite"
    folder.mkdir()
    (folder / "20990101000000-add-nothing.sql").write_text("-- 20990101000000-add-nothing\n--\n-- Why: x\n")
    (folder / "20990101000000-add-nothing.rollback.sql").write_text(
        "-- Rollback of 20990101000000-add-nothing: x\n\n/* nothing */\n-- still nothing\n")
    assert [(p.name, why) for p, why in unfinished_migrations("sqlite", folder)] == [
        ("20990101000000-add-nothing.sql", "no statements"),
        ("20990101000000-add-nothing.rollback.sql", "no statements")]
