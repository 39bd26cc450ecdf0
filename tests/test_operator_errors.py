"""What an operator sees when a command cannot do its job: one clear line and an exit code, before anything
is changed. Through the runner as `make` calls it (`python -m tools.run ...`), in a subprocess.

Read-only servers: a PostgreSQL database with `default_transaction_read_only = on` stands in for a
standby (a real one is proven in the cluster suite), a MariaDB server with `read_only = ON` for a
replica, a write-protected file for SQLite. Every command refuses them at once, before yoyo creates its
tables or takes its lock.
"""

import os
import shutil
import socket
import stat
import subprocess
import sys
from urllib.parse import urlsplit

import pytest

from tools.catalog import differences
from tools.migrations import ROOT, TOOL_TABLES, migration_ids
from tools.runner import BASELINE

IDS = migration_ids("postgres")
COMMANDS = [("apply",), ("rollback",), ("list",), ("mark", "--revision", IDS[0]), ("break-lock",)]


def runner(url, *args, env=None):
    environment = {**os.environ, "DATABASE_URL": url, **(env or {})}
    for name in ("LOCK_RETRIES", "LOCK_RETRY_MAX_S", "VERBOSE", "DROP_BASELINE"):
        if name not in (env or {}):
            environment.pop(name, None)
    return subprocess.run([sys.executable, "-m", "tools.run", *args], cwd=ROOT, env=environment,
                          capture_output=True, text=True, timeout=120)


def errors(run) -> list[str]:
    return [line for line in run.stderr.splitlines() if line.startswith("error:")]


def tables(db) -> set[str]:
    return set(db.snapshot()["tables"]) | {t for t in TOOL_TABLES if exists(db, t)}


def exists(db, table) -> bool:
    if db.dialect == "sqlite":
        return bool(db.execute("SELECT 1 FROM sqlite_master WHERE name = %s", (table,)))
    if db.dialect == "postgres":
        return bool(db.execute("SELECT 1 FROM pg_tables WHERE tablename = %s", (table,)))
    return bool(db.execute("SELECT 1 FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE() "
                           "AND TABLE_NAME = %s", (table,)))


# --- read-only servers -------------------------------------------------------------------------------

def make_read_only(db, server):
    """Returns the function that undoes it."""
    if db.dialect == "postgres":
        name = urlsplit(db.url).path.lstrip("/")
        with server.admin() as conn:
            conn.execute(f'ALTER DATABASE "{name}" SET default_transaction_read_only = on')

        def undo():
            with server.admin() as conn:
                conn.execute(f'ALTER DATABASE "{name}" RESET default_transaction_read_only')
        return undo
    with server.admin() as conn:
        conn.cursor().execute("SET GLOBAL read_only = ON")

    def undo():
        with server.admin() as conn:
            conn.cursor().execute("SET GLOBAL read_only = OFF")
    return undo


@pytest.mark.parametrize("dialect", ["postgres", "mysql"])
def test_every_command_refuses_a_read_only_server_at_once(dialect, database, servers):
    """Exit 3, one line saying the server is read-only and to use the primary, from the runner's commands
    and from the other commands that write (record-checksums, adopt CONFIRM=1); yoyo's tables are not
    created and nothing changes (yoyo alone would wait 10 s for its lock, then blame a stale lock)."""
    database.apply(through=IDS[0])
    before, applied = database.snapshot(), database.applied()
    database.execute('DROP TABLE "yoyo_lock"')  # so we can see whether yoyo gets as far as creating it
    undo = make_read_only(database, servers.get(dialect))
    try:
        runs = {command[0]: runner(database.url, *command) for command in COMMANDS}
        # The writing commands outside the runner: make record-checksums, make adopt CONFIRM=1.
        for module, command in (("tools.checksums", "record"), ("tools.adopt", "confirm")):
            runs[f"{module} {command}"] = subprocess.run(
                [sys.executable, "-m", module, command], cwd=ROOT, capture_output=True, text=True, timeout=120,
                env={**os.environ, "DATABASE_URL": database.url})
    finally:
        undo()
    for command, run in runs.items():
        assert run.returncode == 3, f"{command}: {run.stderr}"
        [line] = errors(run)
        assert "is read-only" in line and "point DATABASE_URL at the primary" in line, f"{command}: {line}"
        assert "Traceback" not in run.stderr and "break-lock" not in line
    assert not exists(database, "yoyo_lock"), "yoyo got to its lock table on a read-only server"
    assert not differences(before, database.snapshot())
    assert database.applied() == applied


def without_file_permission_override() -> list[str]:
    """root writes to any file; drop that capability so a write-protected file is read-only to us too."""
    if os.geteuid() != 0:
        return []
    assert shutil.which("setpriv"), "setpriv (util-linux) is needed to run this test as root"
    return ["setpriv", "--bounding-set", "-dac_override,-dac_read_search,-fowner", "--"]


@pytest.mark.parametrize("dialect", ["sqlite"])
def test_a_read_only_sqlite_file_is_refused_at_once(dialect, database):
    """Exit 3 and "read-only", not yoyo's "Database locked (run yoyo break-lock)" after 10 s."""
    database.apply(through=IDS[0])
    path = database.url.split("///", 1)[1]
    mode = os.stat(path).st_mode
    os.chmod(path, stat.S_IRUSR | stat.S_IRGRP | stat.S_IROTH)
    try:
        env = {**os.environ, "DATABASE_URL": database.url}
        env.pop("VERBOSE", None)
        run = subprocess.run([*without_file_permission_override(), sys.executable, "-m", "tools.run", "apply"],
                             cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
    finally:
        os.chmod(path, mode)
    assert run.returncode == 3, run.stderr
    [line] = errors(run)
    assert "is read-only" in line and "break-lock" not in line, line
    assert database.applied() == IDS[:1]


# --- connecting -------------------------------------------------------------------------------------

def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.mark.parametrize("dialect", ["postgres", "mysql"])
def test_a_refused_connection_is_one_line_naming_host_and_port(dialect, database):
    port = free_port()
    parts = urlsplit(database.url)
    url = parts._replace(netloc=parts.netloc.rsplit("@", 1)[0] + f"@127.0.0.1:{port}").geturl() \
        if "@" in parts.netloc else parts._replace(netloc=f"127.0.0.1:{port}").geturl()
    run = runner(url, "apply")
    assert run.returncode == 3, run.stderr
    [line] = errors(run)
    assert f"connection refused by 127.0.0.1:{port}" in line, line
    assert "Traceback" not in run.stderr


@pytest.mark.parametrize("dialect", ["postgres", "mysql"])
def test_an_unknown_database_is_named(dialect, database):
    url = urlsplit(database.url)._replace(path="/no_such_database_here").geturl()
    run = runner(url, "list")
    assert run.returncode == 3, run.stderr
    [line] = errors(run)
    assert "database 'no_such_database_here' does not exist" in line, line


@pytest.mark.parametrize("dialect", ["mysql"])  # the local PostgreSQL trusts loopback logins
def test_a_failed_login_says_so_and_never_prints_a_password(dialect, database, servers):
    """Wrong password: exit 3, "authentication failed", neither password anywhere in the output; the
    right one (with characters that need percent-encoding) works and is never printed either."""
    server = servers.get(dialect)
    name = urlsplit(database.url).path.lstrip("/")
    secret = "s3cr@t:pw/x"
    with server.admin() as conn:
        cur = conn.cursor()
        cur.execute("CREATE USER 'runner_op'@'%%' IDENTIFIED BY %s", (secret,))
        cur.execute(f"GRANT ALL ON `{name}`.* TO 'runner_op'@'%'")
    try:
        wrong = server.url_for(name, "runner_op", "wr0ng-pass:word")
        run = runner(wrong, "list")
        assert run.returncode == 3, run.stderr
        [line] = errors(run)
        assert "authentication failed for user 'runner_op'" in line, line
        right = server.url_for(name, "runner_op", secret)
        ok = runner(right, "apply")
        assert ok.returncode == 0, ok.stderr
        for output in (run.stdout, run.stderr, ok.stdout, ok.stderr):
            for text in ("wr0ng", "s3cr", "s3cr%40t"):
                assert text not in output, output
    finally:
        with server.admin() as conn:
            conn.cursor().execute("DROP USER 'runner_op'@'%'")


# --- rollback: the baseline guard and the small things --------------------------------------------

def test_rollback_refuses_to_roll_back_the_baseline_without_drop_baseline(database):
    """ALL=1, REVISION=<baseline> and a plain rollback that would reach the baseline are refused (exit 2,
    nothing changed); make plan-rollback says so; DROP_BASELINE=1 allows it."""
    database.apply()
    head = database.snapshot()
    for args in (("--all",), ("--revision", BASELINE)):
        run = runner(database.url, "rollback", *args)
        assert run.returncode == 2, run.stderr
        [line] = errors(run)
        assert f"refused: this would roll back {BASELINE}" in line and "DROP_BASELINE=1" in line, line
        assert database.applied() == IDS and not differences(head, database.snapshot())
    plan = subprocess.run([sys.executable, "-m", "tools.plan", "rollback", "--all"], cwd=ROOT, text=True,
                          capture_output=True, env={**os.environ, "DATABASE_URL": database.url})
    assert plan.returncode == 0, plan.stderr
    assert "make rollback REFUSES this unless DROP_BASELINE=1" in plan.stdout

    assert runner(database.url, "rollback", "--revision", IDS[1]).returncode == 0
    assert database.applied() == IDS[:1]
    plain = runner(database.url, "rollback")
    assert plain.returncode == 2 and "DROP_BASELINE=1" in plain.stderr, plain.stderr
    assert database.applied() == IDS[:1]

    dropped = runner(database.url, "rollback", env={"DROP_BASELINE": "1"})
    assert dropped.returncode == 0, dropped.stderr
    assert database.applied() == []
    assert not set(database.snapshot()["tables"]) - set(TOOL_TABLES)


def test_revision_and_all_together_are_refused_by_make():
    """`make rollback REVISION=X ALL=1` used to ignore ALL=1; now both refuse, like plan-rollback."""
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    run = subprocess.run(["make", "-s", "rollback", f"REVISION={IDS[2]}", "ALL=1"], cwd=ROOT, env=env,
                         capture_output=True, text=True, timeout=120)
    assert run.returncode == 2, run.stderr
    assert "error: REVISION and ALL=1 together: give one of them" in run.stderr


def test_a_rollback_with_nothing_applied_says_so(database):
    run = runner(database.url, "rollback")
    assert run.returncode == 0, run.stderr
    assert "nothing to roll back: no migration is applied" in run.stderr


def test_migrate_and_rollback_print_no_yoyo_noise(database):
    """No rows of SQLite's quick_check guard statement, no "Only rolling back a single migration"
    warning: the command line, one line per migration, a summary."""
    applied = runner(database.url, "apply")
    assert applied.returncode == 0, applied.stderr
    rolled = runner(database.url, "rollback")
    assert rolled.returncode == 0, rolled.stderr
    for output in (applied.stdout + applied.stderr, rolled.stdout + rolled.stderr):
        assert "quick_check" not in output and "Only rolling back" not in output and "Warning" not in output
    assert applied.stderr.splitlines()[1:] == [f"applying {m}" for m in IDS] + [f"applied {len(IDS)} migration(s)"]
    assert rolled.stderr.splitlines()[1:] == [f"rolling back {IDS[-1]}", "rolled back 1 migration(s)"]
    assert applied.stderr.startswith("+ yoyo apply --batch -d ")


@pytest.mark.parametrize("dialect", ["sqlite"])  # yoyo waits 10 s for its lock: one dialect is enough
def test_another_runs_lock_is_named_with_what_to_do(dialect, database):
    """yoyo's lock row held (by a run elsewhere, or left by a killed one): exit 3 after yoyo's 10 s wait,
    one line saying to wait, or make break-lock when no run is active."""
    runner(database.url, "list")  # yoyo creates its tables
    database.execute('INSERT INTO "yoyo_lock" ("locked", "ctime", "pid") VALUES (1, %s, 4242)',
                     ("2030-01-01 00:00:00",))
    run = runner(database.url, "apply")
    assert run.returncode == 3, run.stderr
    [line] = errors(run)
    assert "another run holds yoyo's lock" in line and "Process 4242" in line and "make break-lock" in line
    assert runner(database.url, "break-lock").returncode == 0
    assert database.execute('SELECT "pid" FROM "yoyo_lock"') == []


def test_migrate_with_a_revision_applies_exactly_up_to_it_and_plan_shows_the_same(database):
    """`make migrate REVISION=<id>` (tools.run apply --revision) applies <id> and what comes before it,
    nothing after; `make plan REVISION=<id>` lists the same migrations; a later plain migrate does the rest."""
    target = IDS[2]
    shown = subprocess.run([sys.executable, "-m", "tools.plan", "apply", "--revision", target], cwd=ROOT,
                           env={**os.environ, "DATABASE_URL": database.url}, capture_output=True, text=True,
                           timeout=120)
    assert shown.returncode == 0, shown.stderr
    planned = [line.split()[2] for line in shown.stdout.splitlines() if line.startswith("-- ==== ")]
    assert planned[:3] == IDS[:3] and all(p.startswith("post-apply") for p in planned[3:]), planned

    done = runner(database.url, "apply", "--revision", target)
    assert done.returncode == 0, done.stderr
    applied = sorted(r[0] for r in database.execute('SELECT "migration_id" FROM "_yoyo_migration"'))
    assert applied == IDS[:3]

    rest = runner(database.url, "apply")
    assert rest.returncode == 0, rest.stderr
    applied = sorted(r[0] for r in database.execute('SELECT "migration_id" FROM "_yoyo_migration"'))
    assert applied == IDS
