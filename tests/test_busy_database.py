"""`make migrate` on a busy database: lock waits that time out are retried, other errors are not, and an
interrupt (Ctrl-C, SIGTERM) undoes the migration it stopped. All through the runner as an operator runs it
(`python -m tools.run apply`, what `make migrate` calls), in a subprocess, against real servers.

The blocker is the test's own session: an open transaction that read the table the migration alters
(what a long report or an idle-in-transaction session does in production). The migrations bound their own
lock waits (PostgreSQL lock_timeout, MySQL lock_wait_timeout); so that these tests do not depend on the
exact bound, they run a scratch copy of the dialect folder whose bounds are short
(`short_lock_waits`): PostgreSQL lock_timeout 100 ms, MySQL lock_wait_timeout 1 s (the values the
migrations use). For the interrupt at a chosen statement, a scratch copy holds a gate statement there
that waits for a lock the test holds, paired with a no-op in the rollback file so that yoyo's
forward/rollback pairing is unchanged.
"""

import os
import re
import shutil
import signal
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import pytest

from tools.catalog import differences
from tools.migrations import ROOT, folder, header, is_transactional, migration_ids, statements
from tools.run import SAME_INTERRUPT_S
from tools.servers import connect

IDS = migration_ids("postgres")
ID = {m.split("-", 1)[1]: m for m in IDS}


# --- running the runner ----------------------------------------------------------------------------

def runner(db, *args, source=None, env=None, log=None):
    """`python -m tools.run <args>` on the test database; with `log`, started in the background."""
    cmd = [sys.executable, "-m", "tools.run", *args] + (["--source", str(source)] if source else [])
    environment = {**os.environ, "DATABASE_URL": db.url, "PYTHONUNBUFFERED": "1", **(env or {})}
    for name in ("LOCK_RETRIES", "LOCK_RETRY_MAX_S", "VERBOSE", "DROP_BASELINE"):
        if name not in (env or {}):
            environment.pop(name, None)
    if log is not None:
        return subprocess.Popen(cmd, cwd=ROOT, env=environment, stdout=log, stderr=subprocess.STDOUT)
    return subprocess.run(cmd, cwd=ROOT, env=environment, capture_output=True, text=True, timeout=180)


def until(condition, what: str, timeout: float = 60):
    deadline = time.monotonic() + timeout
    while not (found := condition()):
        assert time.monotonic() < deadline, f"gave up waiting for {what}"
        time.sleep(0.02)
    return found


def stop(run) -> None:
    """A run the test gave up on must not outlive it."""
    if run is not None and run.poll() is None:
        run.kill()
        run.wait()


def recorded(db) -> list[str]:
    return sorted(row[0] for row in db.execute('SELECT "migration_id" FROM "_yoyo_migration"'))


def applies(db) -> Counter:
    rows = db.execute('SELECT "migration_id" FROM "_yoyo_log" WHERE "operation" = %s', ("apply",))
    return Counter(row[0] for row in rows if row[0] in IDS)


def lock_rows(db) -> list:
    return db.execute('SELECT "pid" FROM "yoyo_lock"')


_heads: dict[str, dict] = {}


def fresh_head(dialect, make_database) -> dict:
    if dialect not in _heads:
        db = make_database()
        db.apply()
        _heads[dialect] = db.snapshot()
    return _heads[dialect]


# --- scratch copies --------------------------------------------------------------------------------

def short_lock_waits(dialect: str, into: Path) -> Path:
    """A copy of the dialect folder whose migrations bound their lock waits to the convention's values.

    PostgreSQL: every `lock_timeout = '<n>'` becomes '100ms'. MySQL: a file that does not set
    lock_wait_timeout itself gets `SET SESSION lock_wait_timeout = 1` as its first and as its last statement,
    forward and rollback alike, so yoyo's pairs (forward i, rollback n-1-i) stay mirrors. Once the
    migrations carry these bounds themselves the copy equals the original (PostgreSQL) or only repeats them.
    """
    shutil.copytree(folder(dialect), into)
    for path in sorted(into.glob("*.sql")):
        if path.name.startswith("post-apply"):
            continue
        text = path.read_text(encoding="utf-8")
        if dialect == "postgres":
            text = re.sub(r"lock_timeout = '[^']+'", "lock_timeout = '100ms'", text)
        elif dialect == "mysql" and not any(s.startswith("SET SESSION lock_wait_timeout")
                                            for s in statements(path)[1:]):
            set_short = "SET SESSION lock_wait_timeout = 1;"
            lines = header(path)
            rest = "\n".join(text.splitlines()[len(lines):]).strip()
            text = "\n".join(lines).rstrip() + "\n\n" + set_short + "\n\n" + rest + "\n\n" + set_short + "\n"
        path.write_text(text, encoding="utf-8")
    return into


def insert_pair(source: Path, migration_id: str, k: int, forward_statement: str, rollback_statement: str,
                paired: bool = True):
    """Insert `forward_statement` before forward statement k of `migration_id` in `source`, and
    `rollback_statement` where yoyo pairs it in the rollback file (forward i <-> rollback n-1-i), so every
    other pair stays as it was. A transactional migration (paired=False) is undone by its transaction,
    not by pairs, and its rollback file need not mirror the forward one: only the forward file changes."""
    def rewrite(path: Path, position: int, statement: str) -> list[str]:
        stmts, lines = statements(path), header(path)
        body = list(stmts)
        body[0] = "\n".join(body[0].splitlines()[len(lines):]).strip()
        body.insert(position, statement)
        path.write_text("\n".join(lines).rstrip() + "\n\n" + "\n\n".join(body) + "\n", encoding="utf-8")
        return stmts

    forward, backward = source / f"{migration_id}.sql", source / f"{migration_id}.rollback.sql"
    fwd = rewrite(forward, k, forward_statement)
    if not paired:
        split = statements(forward)
        assert len(split) == len(fwd) + 1 and split[k] == forward_statement, "the copy splits differently"
        return
    rb = statements(backward)
    rewrite(backward, len(rb) - k, rollback_statement)
    split = statements(forward)
    assert len(split) == len(fwd) + 1 and split[k] == forward_statement, "the copy splits differently"
    pairs = list(zip(split, reversed(statements(backward))))
    assert (forward_statement, rollback_statement) in pairs, "the inserted statements are not paired"


def gated(dialect: str, migration_id: str, k: int, gate: str, noop: str, into: Path) -> Path:
    """A copy of the dialect folder where forward statement k of `migration_id` is preceded by `gate`,
    paired with `noop` in the rollback file."""
    shutil.copytree(folder(dialect), into)
    paired = dialect == "mysql" or not is_transactional(dialect, migration_id)
    insert_pair(into, migration_id, k, gate, noop, paired=paired)
    return into


# --- the blocker ------------------------------------------------------------------------------------

class Holder:
    """The test's session: an open transaction that read `table` (its lock blocks ALTER TABLE)."""

    def __init__(self, db, table: str):
        self.conn = connect(db.url)
        cur = self.conn.cursor()
        if db.dialect == "postgres":
            cur.execute("SELECT pg_backend_pid()")
        else:
            cur.execute("SELECT CONNECTION_ID()")
        self.id = cur.fetchone()[0]
        cur.execute(db.sql(f'SELECT * FROM "{table}" LIMIT 1'))
        cur.fetchall()

    def release(self):
        if self.conn is not None:
            self.conn.rollback()
            self.conn.close()
            self.conn = None


# (dialect, migration, the pre-existing table its statements lock)
BLOCKED = [
    ("postgres", ID["launchpad-workflows"], "experience_launchpads"),   # transactional
    ("postgres", ID["add-project-owner"], "projects"),                  # -- transactional: false
    ("postgres", ID["profile-engagement-metrics"], "profiles"),
    ("mysql", ID["launchpad-workflows"], "experience_launchpads"),
    ("mysql", ID["add-project-owner"], "projects"),
    ("mysql", ID["profile-engagement-metrics"], "profiles"),
]


def blocked_ids(cases):
    return [f"{d}-{m[15:]}" for d, m, _ in cases]


ATTEMPT = re.compile(r"^(?P<id>\S+): lock wait timed out \(attempt (?P<n>\d+) of (?P<m>\d+)\); blocked by: "
                     r"(?P<who>.*); (?P<then>retrying in \d+\.\ds|giving up)$", re.M)


def run_behind(holder, database, command: str, tmp_path, while_blocked=None):
    """The runner's `command` on a scratch copy with the convention's short lock waits, behind the
    holder's open transaction: once its first attempt has timed out, `while_blocked()` runs (its asserts
    see the database while the run is blocked), then the holder ends. Returns (the run, its output)."""
    source = short_lock_waits(database.dialect, tmp_path / "migrations")
    log, run = tmp_path / "run.log", None
    try:
        with open(log, "w") as output:
            run = runner(database, command, source=source, log=output)
            until(lambda: ATTEMPT.search(log.read_text()), "the first attempt to time out")
            if while_blocked is not None:
                while_blocked()
            holder.release()
            run.wait(timeout=120)
    finally:
        stop(run)
        holder.release()
    return run, log.read_text()


@pytest.mark.parametrize("dialect,migration_id,table", BLOCKED, ids=blocked_ids(BLOCKED))
def test_a_lock_timeout_is_retried_and_the_migration_applies_once_the_blocker_ends(
        dialect, migration_id, table, database, make_database, tmp_path):
    """The first attempt times out behind the test's open transaction and is undone; the runner names the
    blocker and tries again; once the transaction ends the migration applies, once, and the run finishes
    at the catalog of a fresh head."""
    index = IDS.index(migration_id)
    database.apply(through=IDS[index - 1])
    holder = Holder(database, table)

    def nothing_recorded_yet():
        assert recorded(database) == IDS[:index], "a timed-out attempt was recorded"

    run, out = run_behind(holder, database, "apply", tmp_path, nothing_recorded_yet)
    assert run.returncode == 0, out
    first = ATTEMPT.search(out)
    assert first["id"] == migration_id and first["n"] == "1" and first["then"].startswith("retrying"), out
    word = "pid" if dialect == "postgres" else "connection"
    assert f"{word} {holder.id} " in first["who"], f"the blocker is not named: {first['who']}"
    assert recorded(database) == IDS
    assert applies(database) == Counter(IDS), "a migration was applied more than once"
    assert lock_rows(database) == []
    assert not differences(fresh_head(dialect, make_database), database.snapshot())


ROLLBACKS = [BLOCKED[2], BLOCKED[5]]


@pytest.mark.parametrize("dialect,migration_id,table", ROLLBACKS, ids=blocked_ids(ROLLBACKS))
def test_a_rollback_that_times_out_on_a_lock_is_retried_too(dialect, migration_id, table, database,
                                                            make_database, tmp_path):
    """`make rollback` of the last migration behind an open transaction on its table: retried, then rolled
    back once the transaction ends; the catalog of a database migrated up to the one before it."""
    index = IDS.index(migration_id)
    reference = make_database()
    reference.apply(through=IDS[index - 1])
    database.apply()
    holder = Holder(database, table)
    run, out = run_behind(holder, database, "rollback", tmp_path)
    assert run.returncode == 0, out
    assert ATTEMPT.search(out)["id"] == migration_id
    assert recorded(database) == IDS[:index]
    assert not differences(reference.snapshot(), database.snapshot())


EXHAUSTED = [BLOCKED[0], BLOCKED[1], BLOCKED[4]]


@pytest.mark.parametrize("dialect,migration_id,table", EXHAUSTED, ids=blocked_ids(EXHAUSTED))
def test_when_the_retries_run_out_the_run_fails_and_the_database_is_as_before(
        dialect, migration_id, table, database, tmp_path):
    """LOCK_RETRIES=2: three attempts, each undone; exit 4, the catalog before the migration, nothing
    recorded, yoyo's lock released, and a summary naming what blocked."""
    index = IDS.index(migration_id)
    database.apply(through=IDS[index - 1])
    before = database.snapshot()
    source = short_lock_waits(dialect, tmp_path / "migrations")
    holder = Holder(database, table)
    try:
        run = runner(database, "apply", source=source, env={"LOCK_RETRIES": "2", "LOCK_RETRY_MAX_S": "60"})
    finally:
        holder.release()
    out = run.stderr
    assert run.returncode == 4, out
    attempts = ATTEMPT.findall(out)
    assert [(a[0], a[1], a[2]) for a in attempts] == [(migration_id, str(n), "3") for n in (1, 2, 3)], out
    assert attempts[-1][4] == "giving up"
    summary = out.strip().splitlines()[-1]
    assert summary.startswith(f"error: {migration_id} was not applied") and str(holder.id) in summary, summary
    assert "Traceback" not in out
    assert not differences(before, database.snapshot())
    assert recorded(database) == IDS[:index]
    assert lock_rows(database) == []


FAILING = "DROP TABLE injected_failure_no_such_table;"


def test_any_other_error_stops_at_once_without_a_retry(dialect, database, tmp_path):
    """A statement that fails for another reason: one attempt, exit 1, one line naming the migration,
    the statement and the server's message (on MySQL the real error, not yoyo's lost savepoint), the
    catalog as before; the traceback only with VERBOSE=1."""
    migration_id = ID["add-project-owner"]
    index = IDS.index(migration_id)
    database.apply(through=IDS[index - 1])
    before = database.snapshot()
    count = len(statements(folder(dialect) / f"{migration_id}.sql"))
    k = count // 2
    source = tmp_path / "migrations"
    shutil.copytree(folder(dialect), source)
    path = source / f"{migration_id}.sql"
    stmts = statements(path)
    text = path.read_text(encoding="utf-8")
    assert text.count(stmts[k]) == 1
    path.write_text(text.replace(stmts[k], FAILING), encoding="utf-8")

    run = runner(database, "apply", source=source)
    assert run.returncode == 1, run.stderr
    assert "lock wait timed out" not in run.stderr
    lines = [line for line in run.stderr.splitlines() if line.startswith("error:")]
    assert len(lines) == 1, run.stderr
    assert f"{migration_id} (apply) failed at statement {k + 1} of " in lines[0], lines[0]
    assert "(DROP TABLE injected_failure_no_such_table;)" in lines[0]
    assert "injected_failure_no_such_table" in lines[0].split("):", 1)[1], "the server's message is missing"
    assert "SAVEPOINT" not in lines[0]
    assert "Traceback" not in run.stderr
    assert not differences(before, database.snapshot())
    assert recorded(database) == IDS[:index]

    verbose = runner(database, "apply", source=source, env={"VERBOSE": "1"})
    assert verbose.returncode == 1
    assert "Traceback" in verbose.stderr


# --- interrupts ------------------------------------------------------------------------------------

# Gate statements: wait for a lock the test holds; a no-op partner in the rollback file.
GATES = {
    "postgres": ("SELECT pg_advisory_xact_lock(72001);", "SELECT 1;"),
    "mysql": ("SELECT * FROM runner_gate FOR UPDATE;", "DO 0;"),
    "sqlite": ("WITH RECURSIVE forever(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM forever) "
               "SELECT n FROM forever WHERE n = 0;", "SELECT 1;"),
}


class Gate:
    """Holds the lock the gate statement waits for (SQLite: the gate never ends by itself)."""

    def __init__(self, db):
        self.db, self.conn = db, None
        if db.dialect == "postgres":
            self.conn = connect(db.url, autocommit=True)
            self.conn.execute("SELECT pg_advisory_lock(72001)")
        elif db.dialect == "mysql":
            db.execute("CREATE TABLE runner_gate (id INT PRIMARY KEY)")
            db.execute("INSERT INTO runner_gate VALUES (1)")
            self.conn = connect(db.url)
            self.conn.cursor().execute("SELECT * FROM runner_gate FOR UPDATE")

    def reached(self, log: Path) -> bool:
        if self.db.dialect == "sqlite":
            return "WITH RECURSIVE forever" in log.read_text()
        if self.db.dialect == "mysql":  # a row lock wait: not in the STATE column; the statement is running
            return bool(self.db.execute("SELECT 1 FROM information_schema.PROCESSLIST WHERE DB = DATABASE() "
                                        "AND INFO LIKE 'SELECT * FROM runner_gate FOR UPDATE%%'"))
        return self.db.waiting_for_a_lock()

    def release(self):
        if self.conn is not None:
            if self.db.dialect == "mysql":
                self.conn.rollback()
            self.conn.close()
            self.conn = None


def before_last(dialect: str, migration_id: str) -> int:
    """Where the gate goes: before the last statement, so that every other statement has completed and
    must be undone (a gate earlier could follow only statements the catalog cannot show, like a SET)."""
    return max(1, len(statements(folder(dialect) / f"{migration_id}.sql")) - 1)


INTERRUPTS = ([("mysql", m, signal.SIGINT) for m in IDS]
              + [("postgres", ID["add-project-owner"], signal.SIGINT),
                 ("postgres", ID["add-project-owner"], signal.SIGTERM),
                 ("postgres", ID["launchpad-workflows"], signal.SIGINT),
                 ("mysql", ID["add-project-owner"], signal.SIGTERM),
                 ("sqlite", ID["launchpad-workflows"], signal.SIGINT)])


@pytest.mark.parametrize("dialect,migration_id,signum", INTERRUPTS,
                         ids=[f"{d}-{m[15:]}-{s.name}" for d, m, s in INTERRUPTS])
def test_an_interrupt_at_a_statement_undoes_the_migration(dialect, migration_id, signum, database,
                                                          make_database, tmp_path):
    """The run waits at a statement late in the migration (the statements before it completed);
    SIGINT/SIGTERM cancels it; the completed statements are undone (transaction rolled back, or their
    paired rollback statements run); exit 130/143; the catalog before that migration, the migration
    unrecorded, yoyo's lock released; the next run applies everything."""
    index = IDS.index(migration_id)
    if index:
        database.apply(through=IDS[index - 1])
    gate = Gate(database)
    before = database.snapshot()
    k = before_last(dialect, migration_id)
    source = gated(dialect, migration_id, k, *GATES[dialect], tmp_path / "migrations")
    log, run = tmp_path / "run.log", None
    try:
        with open(log, "w") as output:
            run = runner(database, "apply", source=source, log=output, env={"VERBOSE": "1"})
            until(lambda: gate.reached(log), "the run to wait at the gate statement")
            run.send_signal(signum)
            run.wait(timeout=120)
    finally:
        stop(run)
        gate.release()
    out = log.read_text()
    assert run.returncode == 128 + signum, out
    assert f"interrupted ({signum.name}); {migration_id} was stopped and undone" in out, out
    assert not differences(before, database.snapshot()), f"the interrupt left a trace:\n{out[-3000:]}"
    assert recorded(database) == IDS[:index]
    assert lock_rows(database) == []

    again = runner(database, "apply")
    assert again.returncode == 0, again.stderr
    assert recorded(database) == IDS
    assert applies(database)[migration_id] == 1
    if dialect == "mysql":
        database.execute("DROP TABLE runner_gate")
    assert not differences(fresh_head(dialect, make_database), database.snapshot())


REAL_LOCKS = [BLOCKED[0], BLOCKED[1], BLOCKED[4]]


@pytest.mark.parametrize("dialect,migration_id,table", REAL_LOCKS, ids=blocked_ids(REAL_LOCKS))
def test_ctrl_c_while_the_real_migration_waits_for_a_table_lock_leaves_nothing_behind(
        dialect, migration_id, table, database, make_database, tmp_path):
    """The unmodified migration, blocked by an open transaction on its table (or retrying behind it):
    Ctrl-C leaves the catalog before it, unrecorded, the lock released; the next run succeeds."""
    index = IDS.index(migration_id)
    database.apply(through=IDS[index - 1])
    before = database.snapshot()
    holder = Holder(database, table)
    log, run = tmp_path / "run.log", None
    try:
        with open(log, "w") as output:
            run = runner(database, "apply", log=output)
            until(lambda: database.waiting_for_a_lock() or ATTEMPT.search(log.read_text()),
                  "the migration to wait for the table lock")
            run.send_signal(signal.SIGINT)
            run.wait(timeout=120)
    finally:
        stop(run)
        holder.release()
    out = log.read_text()
    assert run.returncode == 130, out
    assert "interrupted (SIGINT)" in out
    assert not differences(before, database.snapshot()), out
    assert recorded(database) == IDS[:index]
    assert lock_rows(database) == []
    again = runner(database, "apply")
    assert again.returncode == 0, again.stderr
    assert not differences(fresh_head(dialect, make_database), database.snapshot())


def undo_waits_at_lock_72002(dialect, database, tmp_path):
    """PostgreSQL's non-transactional add-project-owner, the database at the migration before it, and a
    scratch copy where the run waits at a gate (lock 72001) late in the migration and the undo's first
    statement waits for lock 72002: forward ..., statement k-1, "SELECT 2" (undone by a wait for 72002),
    the gate, ... Returns (migration id, its index, the copy's folder, the gate, and the connection that
    holds lock 72002)."""
    migration_id = ID["add-project-owner"]
    index = IDS.index(migration_id)
    database.apply(through=IDS[index - 1])
    k = before_last(dialect, migration_id)
    source = tmp_path / "migrations"
    shutil.copytree(folder(dialect), source)
    insert_pair(source, migration_id, k, "SELECT 2;", "SELECT pg_advisory_xact_lock(72002);")
    insert_pair(source, migration_id, k + 1, *GATES[dialect])
    gate = Gate(database)
    undo_gate = connect(database.url, autocommit=True)
    undo_gate.execute("SELECT pg_advisory_lock(72002)")
    return migration_id, index, source, gate, undo_gate


@pytest.mark.parametrize("dialect", ["postgres"])
def test_a_second_interrupt_stops_at_once_and_says_what_may_remain(dialect, database, tmp_path):
    """PostgreSQL's non-transactional add-project-owner (the mechanism is the runner's, one dialect is
    enough): the first SIGINT cancels the gate statement and the undo starts; the undo's first statement
    waits for another lock the test holds; a second SIGINT stops the run at once, exit 130, saying which
    statements may remain and that yoyo's lock row stays; make break-lock then removes it."""
    migration_id, index, source, gate, undo_gate = undo_waits_at_lock_72002(dialect, database, tmp_path)
    log, run = tmp_path / "run.log", None
    try:
        with open(log, "w") as output:
            run = runner(database, "apply", source=source, log=output, env={"VERBOSE": "1"})
            until(lambda: gate.reached(log), "the run to wait at the gate statement")
            run.send_signal(signal.SIGINT)
            until(lambda: "pg_advisory_xact_lock(72002)" in log.read_text() and database.waiting_for_a_lock(),
                  "the undo to wait for the second lock")
            time.sleep(SAME_INTERRUPT_S)  # a second signal sooner than this would count as the same one
            run.send_signal(signal.SIGINT)
            run.wait(timeout=60)
    finally:
        stop(run)
        gate.release()
        undo_gate.close()
    out = log.read_text()
    assert run.returncode == 130, out
    stopped = [line for line in out.splitlines() if line.startswith("stopped at once:")]
    assert len(stopped) == 1, out
    k = before_last(dialect, migration_id)  # where the helper put "SELECT 2": statements 1..k+1 ran
    ran = ", ".join(str(n) for n in range(1, k + 2))
    assert f"{migration_id} (apply) is not transactional: statements {ran} of its file may have run" in stopped[0]
    assert "make break-lock" in stopped[0]
    assert lock_rows(database) == [(run.pid,)], "the hard stop should leave yoyo's lock row"
    assert runner(database, "break-lock").returncode == 0
    assert lock_rows(database) == []


# --- an undo that waits for a lock ----------------------------------------------------------------

def undo_waits(dialect: str, migration_id: str, into: Path) -> tuple[Path, int]:
    """A copy where, late in the migration, `SET lock_timeout = '100ms'` is paired with an undo statement
    that waits for advisory lock 72002, and the next statement fails: the undo must wait for the test."""
    source = short_lock_waits(dialect, into)
    k = before_last(dialect, migration_id)
    insert_pair(source, migration_id, k, "SET lock_timeout = '100ms';", "SELECT pg_advisory_xact_lock(72002);")
    insert_pair(source, migration_id, k + 1, FAILING, "SELECT 1;")
    return source, k


UNDO_LINE = re.compile(r"^(\S+): an undo statement timed out on a lock \(attempt 1\); blocked by: .*pid (\d+) ", re.M)


@pytest.mark.parametrize("dialect", ["postgres"])
def test_an_undo_that_times_out_on_a_lock_is_retried_and_completes(dialect, database, tmp_path):
    """PostgreSQL's non-transactional add-project-owner fails late; the undo's first statement times out
    behind the test's lock; the runner retries it with a longer wait, the test lets go, the undo finishes:
    exit 1 for the original failure, the catalog as before, nothing recorded."""
    migration_id = ID["add-project-owner"]
    index = IDS.index(migration_id)
    database.apply(through=IDS[index - 1])
    before = database.snapshot()
    source, _ = undo_waits(dialect, migration_id, tmp_path / "migrations")
    lock = connect(database.url, autocommit=True)
    lock.execute("SELECT pg_advisory_lock(72002)")
    holder_pid = lock.execute("SELECT pg_backend_pid()").fetchone()[0]
    log, run = tmp_path / "run.log", None
    try:
        with open(log, "w") as output:
            run = runner(database, "apply", source=source, log=output)
            found = until(lambda: UNDO_LINE.search(log.read_text()), "the undo to time out on the lock")
            lock.close()
            run.wait(timeout=120)
    finally:
        stop(run)
        lock.close()
    out = log.read_text()
    assert found[1] == migration_id and int(found[2]) == holder_pid, out
    assert run.returncode == 1, out
    assert "injected_failure_no_such_table" in errors_of(out)[0]
    assert not differences(before, database.snapshot()), out
    assert recorded(database) == IDS[:index]
    assert lock_rows(database) == []


@pytest.mark.parametrize("dialect", ["postgres"])
def test_an_undo_that_cannot_finish_says_what_remains_and_its_recovery_works(dialect, database, tmp_path):
    """The test holds the lock for good (LOCK_RETRY_MAX_S=1: the undo is retried for 2 s): exit 5, one line
    naming the forward statements that stayed and the rollback statements to run; running exactly those
    leaves the catalog before the migration."""
    migration_id = ID["add-project-owner"]
    index = IDS.index(migration_id)
    database.apply(through=IDS[index - 1])
    before = database.snapshot()
    source, k = undo_waits(dialect, migration_id, tmp_path / "migrations")
    lock = connect(database.url, autocommit=True)
    lock.execute("SELECT pg_advisory_lock(72002)")
    try:
        run = runner(database, "apply", source=source, env={"LOCK_RETRY_MAX_S": "1"})
    finally:
        lock.close()
    assert run.returncode == 5, run.stderr
    [line] = errors_of(run.stderr)
    ran = ", ".join(str(n) for n in range(1, k + 2))
    assert f"the undo failed, so statements {ran} of " in line and "NOT undone" in line, line
    assert recorded(database) == IDS[:index]
    assert differences(before, database.snapshot()), "the statements that stayed should show"
    todo = re.search(r"run statements ([\d, ]+) of (\S+\.rollback\.sql) in that order", line)
    assert todo, line
    assert Path(todo[2]).name == f"{migration_id}.rollback.sql"
    rollback = statements(source / f"{migration_id}.rollback.sql")
    for number in (int(n) for n in todo[1].split(", ")):
        database.conn.execute(rollback[number - 1])
    assert not differences(before, database.snapshot()), "the recovery step left a trace"
    assert lock_rows(database) == []


def errors_of(text: str) -> list[str]:
    return [line for line in text.splitlines() if line.startswith("error:")]


@pytest.mark.parametrize("dialect", ["postgres"])
def test_one_interrupt_delivered_twice_is_not_a_second_interrupt(dialect, database, tmp_path):
    """A terminal's Ctrl-C reaches make and the runner, and make passes on a SIGTERM it receives: two
    signals a few milliseconds apart are one interrupt, not the hard stop of a second one. The setup of
    the test above (the undo waits for a lock the test holds); here the test lets the undo finish."""
    migration_id, index, source, gate, undo_gate = undo_waits_at_lock_72002(dialect, database, tmp_path)
    before = database.snapshot()
    log, run = tmp_path / "run.log", None
    try:
        with open(log, "w") as output:
            run = runner(database, "apply", source=source, log=output, env={"VERBOSE": "1"})
            until(lambda: gate.reached(log), "the run to wait at the gate statement")
            run.send_signal(signal.SIGTERM)
            # the copy once the first is handled (two pending signals would merge into one)
            until(lambda: "SIGTERM received" in log.read_text(), "the runner to take the first signal", 10)
            run.send_signal(signal.SIGTERM)
            until(lambda: "pg_advisory_xact_lock(72002)" in log.read_text(), "the undo to start")
            undo_gate.close()
            run.wait(timeout=60)
    finally:
        stop(run)
        gate.release()
        undo_gate.close()
    out = log.read_text()
    assert run.returncode == 143, out
    assert "stopped at once" not in out
    assert f"interrupted (SIGTERM); {migration_id} was stopped and undone" in out
    assert not differences(before, database.snapshot())
    assert recorded(database) == IDS[:index]
    assert lock_rows(database) == []


@pytest.mark.parametrize("dialect", ["mysql"])
def test_feed_engagement_counts_nulls_without_locking_the_rows_writers_need(dialect, database, tmp_path):
    """On the MySQL family, yoyo runs a migration's statements in one transaction until a DDL statement
    commits it. feed-engagement first counts feed_posts' NULLs; a locking read there (a subquery inside
    SET takes a shared lock on every row it reads) would stall every writer of feed_posts until the next
    ALTER. While the run waits right after the count, another session updates a post within 1 s."""
    migration_id = ID["feed-engagement"]
    database.apply(through=IDS[0])
    user = database.insert("users", email="a@example.com", password="x")
    post = database.insert("feed_posts", userId=user, content="hello", visibility="public")
    gate = Gate(database)
    count = next(i for i, s in enumerate(statements(folder(dialect) / f"{migration_id}.sql"))
                 if "`content` IS NULL" in s)
    source = gated(dialect, migration_id, count + 1, *GATES[dialect], tmp_path / "migrations")
    log, run, writer = tmp_path / "run.log", None, connect(database.url)
    try:
        with open(log, "w") as output:
            run = runner(database, "apply", source=source, log=output)
            until(lambda: gate.reached(log), "the run to wait right after the count")
            cur = writer.cursor()
            cur.execute("SET SESSION innodb_lock_wait_timeout = 1")
            cur.execute("UPDATE `feed_posts` SET `content` = 'edited' WHERE `id` = %s", (post,))
            writer.commit()
        gate.release()
        run.wait(timeout=120)
    finally:
        writer.close()
        stop(run)
        gate.release()
    assert run.returncode == 0, log.read_text()
    assert database.execute('SELECT "content" FROM "feed_posts" WHERE "id" = %s', (post,)) == [("edited",)]
