"""Two `yoyo apply` at once apply every migration once; a `yoyo apply` killed halfway is repaired by the
the recovery procedure of docs/failure-and-recovery.md. Both through the real CLI, in subprocesses, as a DBA would run it.

A killed run is made reliably mid-migration: on a server, the test holds a lock (an open transaction
that read the table) that the migration's ALTER TABLE must wait for, and sends SIGKILL once the server
shows yoyo's session waiting for it. On SQLite, which locks the whole file, a scratch copy of the
migration folder has a statement that never ends inserted in the middle of a migration.

What happens then (and what docs/failure-and-recovery.md says): yoyo's lock row stays behind, the migration is not
recorded, and the statement the killed client had sent may still complete on the server (it notices
the dead client only when it next talks to it). In a transaction (PostgreSQL, SQLite) the server then
rolls everything back. On MySQL, where DDL commits statement by statement, and in a
`-- transactional: false` migration, the statements that completed stay: a plain `yoyo apply` then fails
on the first of them ("already exists"), without making anything worse, and the extra recovery step is
to undo them by hand with the paired statements of the rollback file.
"""

import os
import shutil
import signal
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import pytest

from tools.catalog import differences
from tools.migrations import folder, is_transactional, migration_ids, statements, yoyo_url
from tools.servers import connect

IDS = migration_ids("postgres")
YOYO = str(Path(sys.executable).with_name("yoyo"))
FOREVER = ("WITH RECURSIVE forever(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM forever) "
           "SELECT n FROM forever WHERE n = 0;")


def yoyo(command: str, db, *options: str, source: Path | None = None, log=None):
    """`yoyo <command> --batch` against the test database, as the docs tell a DBA to run it.

    With `log` (an open file) it is started in the background with its output going there, unbuffered.
    """
    cmd = [YOYO, command, "--batch", "--no-config-file", *options, "-d", yoyo_url(db.url)]
    if command != "break-lock":
        cmd.append(str(source or folder(db.dialect)))
    if log is not None:
        return subprocess.Popen(cmd, stdout=log, stderr=subprocess.STDOUT,
                                env={**os.environ, "PYTHONUNBUFFERED": "1"})
    return subprocess.run(cmd, capture_output=True, text=True, timeout=120)


def applies_per_migration(db) -> Counter:
    """How many times yoyo's log says each migration was applied (a failed attempt logs nothing)."""
    rows = db.execute('SELECT "migration_id" FROM "_yoyo_log" WHERE "operation" = %s', ("apply",))
    return Counter(row[0] for row in rows if row[0] in IDS)


def recorded(db) -> list[str]:
    return sorted(row[0] for row in db.execute('SELECT "migration_id" FROM "_yoyo_migration"'))


_head_catalogs: dict[str, dict] = {}


def fresh_head(dialect: str, make_database) -> dict:
    """The catalog of a database migrated from empty in one uninterrupted run (once per dialect)."""
    if dialect not in _head_catalogs:
        db = make_database()
        db.apply()
        _head_catalogs[dialect] = db.snapshot()
    return _head_catalogs[dialect]


def until(condition, what: str, timeout: float = 30):
    deadline = time.monotonic() + timeout
    while not (found := condition()):
        assert time.monotonic() < deadline, f"gave up waiting for {what}"
        time.sleep(0.05)
    return found


# --- concurrent runs ------------------------------------------------------------------------------

def test_two_runs_started_together_both_succeed_and_apply_each_migration_once(database, make_database, tmp_path):
    """Both exit 0: one applies everything under yoyo's lock, the other waits for it and finds nothing to do."""
    logs = [tmp_path / "first.log", tmp_path / "second.log"]
    with open(logs[0], "w") as first, open(logs[1], "w") as second:
        runs = [yoyo("apply", database, "-vv", log=first), yoyo("apply", database, "-vv", log=second)]
        for run in runs:
            run.wait(timeout=120)
    outputs = [log.read_text() for log in logs]
    assert [run.returncode for run in runs] == [0, 0], "\n\n".join(o[-3000:] for o in outputs)

    applied_by = [[line.rsplit("Applying ", 1)[1] for line in out.splitlines() if "Applying " in line
                   and line.rsplit("Applying ", 1)[1] in IDS] for out in outputs]
    assert sorted(len(ids) for ids in applied_by) == [0, len(IDS)], f"the two runs split the work: {applied_by}"
    assert recorded(database) == IDS
    assert applies_per_migration(database) == Counter(IDS)
    assert not differences(fresh_head(database.dialect, make_database), database.snapshot())


# --- killed runs ----------------------------------------------------------------------------------

# (dialect, migration, table whose lock its ALTER TABLE waits for; None: the never-ending statement)
KILLS = [
    ("sqlite", "20240826094500-launchpad-workflows", None),
    ("postgres", "20240826094500-launchpad-workflows", "experience_launchpads"),  # transactional
    ("postgres", "20240901120000-add-project-owner", "projects"),  # -- transactional: false
    ("mysql", "20240901120000-add-project-owner", "projects"),
]


def other_sessions(db) -> int:
    if db.dialect == "postgres":
        return db.execute("SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
                          "AND pid <> pg_backend_pid()")[0][0]
    return db.execute("SELECT count(*) FROM information_schema.PROCESSLIST WHERE DB = DATABASE() "
                      "AND ID <> CONNECTION_ID()")[0][0]


def step_in_flight(log: Path, migration_id: str) -> int | None:
    """The statement yoyo is running, from its -vv log (' - applying step N' after 'Applying <id>')."""
    text = log.read_text()
    if f"Applying {migration_id}" not in text:
        return None
    after = text.split(f"Applying {migration_id}", 1)[1]
    steps = [line for line in after.splitlines() if "applying step" in line]
    return int(steps[-1].rsplit(" ", 1)[1]) if steps else None


@pytest.mark.parametrize("dialect,migration_id,table", KILLS, ids=[f"{d}-{m[15:]}" for d, m, _ in KILLS])
def test_a_run_killed_mid_migration_is_repaired_by_the_recovery_procedure(
        dialect, migration_id, table, database, make_database, tmp_path):
    """SIGKILL mid-migration; then break-lock and apply (plus, where statements stayed committed, undoing
    them with their rollback statements) leave every migration applied once and the catalog of a fresh
    head. Observed on PostgreSQL 15 and MariaDB 10.11: the ALTER TABLE the dead client had sent still
    completes on the server once the lock it waited for is released."""
    index = IDS.index(migration_id)
    database.apply(through=IDS[index - 1])
    before = database.snapshot()
    log = tmp_path / "yoyo.log"

    with open(log, "w") as output:
        if table is None:  # SQLite: a copy of the folder with a never-ending statement halfway through
            source = tmp_path / "migrations"
            shutil.copytree(folder(dialect), source)
            path = source / f"{migration_id}.sql"
            stmts = statements(path)
            middle = len(stmts) // 2
            path.write_text("\n\n".join([*stmts[:middle], FOREVER, *stmts[middle:]]) + "\n")
            run = yoyo("apply", database, "-vv", source=source, log=output)
            try:
                until(lambda: step_in_flight(log, migration_id) == middle, "yoyo to reach the endless statement")
            finally:
                run.send_signal(signal.SIGKILL)
                run.wait()
            assert Path(database.url.split("///", 1)[1] + "-journal").exists(), "no transaction was open"
        else:  # a server: an open transaction that read the table holds the lock its ALTER TABLE waits for
            holder = connect(database.url)
            quote = "`" if dialect == "mysql" else '"'
            holder.cursor().execute(f"SELECT * FROM {quote}{table}{quote}")
            run = yoyo("apply", database, "-vv", log=output)
            try:
                until(lambda: database.waiting_for_a_lock(), "yoyo's ALTER TABLE to wait for the lock")
            finally:
                run.send_signal(signal.SIGKILL)
                run.wait()
                holder.rollback()
                holder.close()
            middle = step_in_flight(log, migration_id)
            until(lambda: other_sessions(database) == 0, "the killed client's server session to end")
    assert run.returncode == -signal.SIGKILL

    # What the kill left: the lock row of the dead process, the migration not recorded.
    assert database.execute('SELECT "pid" FROM "yoyo_lock"') == [(run.pid,)]
    assert recorded(database) == IDS[:index]

    assert yoyo("break-lock", database).returncode == 0
    assert database.execute('SELECT "pid" FROM "yoyo_lock"') == []

    left = database.snapshot()
    if dialect == "mysql" or not is_transactional(dialect, migration_id):
        # Statements 0 .. middle-1 had committed, and the server finished the ALTER TABLE in flight once
        # the lock was released (the statements before it here are SETs, invisible in the catalog).
        assert differences(before, left), "the ALTER TABLE in flight did not complete after the kill"
        ran = middle + 1
        again = yoyo("apply", database)
        assert again.returncode == 1, "a plain re-apply should trip over the statements that stayed"
        assert not differences(left, database.snapshot()), "the failed re-apply changed the schema"
        assert recorded(database) == IDS[:index]
        # The extra step: the last `ran` statements of the rollback file undo the first `ran` forward ones.
        for statement in statements(folder(dialect) / f"{migration_id}.rollback.sql")[-ran:]:
            database.conn.cursor().execute(statement)
        assert not differences(before, database.snapshot()), "the paired rollback statements left a trace"
    else:
        assert not differences(before, left), "the killed transaction left a trace"

    final = yoyo("apply", database)
    assert final.returncode == 0, final.stderr
    assert recorded(database) == IDS
    assert applies_per_migration(database) == Counter(IDS)
    assert not differences(fresh_head(dialect, make_database), database.snapshot())
