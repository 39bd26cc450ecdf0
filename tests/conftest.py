"""How the tests get their databases.

* `dialect` — every database test runs once per dialect: sqlite, mysql, postgres (marked with the same
  name, so `pytest -m mysql` runs one dialect).
* servers — one server per dialect for the whole run, started on first use by `tools.servers.provide`:
  TEST_POSTGRES_URL / TEST_MYSQL_URL if set (admin URLs that may create databases), else testcontainers
  when a Docker engine answers, else throwaway servers from local binaries (PostgreSQL as the `postgres`
  user when we are root; MariaDB's mariadbd). If none can be had, every test of that dialect errors with
  one line (the first with the reason). Nothing is ever skipped.
* `database` — a fresh, empty database per test (a new SQLite file, or CREATE DATABASE on the server),
  dropped afterwards; no test sees another's state.

The summary at the end shows, per dialect, who provided the server (the variable, masked URL,
testcontainers or local binaries), its version and the counts. No URL's password reaches the output:
failure reports, captured output and parametrize ids are masked.
With --all-dialects (what `make test-all-dialects` passes) the run fails if a dialect ran no test or
any test was skipped.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
from collections import Counter, defaultdict
from pathlib import Path

import pytest

from tools import catalog, migrations
from tools.migrations import DIALECTS, BadDatabaseURL, check_url, mask, mask_in
from tools.servers import SERVER_ENV, connect, docker_engine_answers, provide

SERVERS = pytest.StashKey["Servers"]()


class Servers:
    """One server per dialect for the session, started the first time a test asks for it."""

    def __init__(self):
        self.running, self.failed, self.source = {}, {}, {}

    def get(self, dialect: str):
        """The dialect's server. When none can be had, the test errors with one line (the first one with
        the whole reason; VERBOSE=1 adds the traceback), never a traceback per test."""
        if dialect in self.failed:
            pytest.fail(f"{dialect}: no server from {self.source[dialect]} (see the first error or the summary)",
                        pytrace=False)
        if dialect not in self.running:
            self.source[dialect] = server_source(dialect)
            try:
                if os.environ.get(SERVER_ENV[dialect]):
                    check_url(os.environ[SERVER_ENV[dialect]])  # refused before anything connects
                self.running[dialect] = provide(dialect)
            except Exception as exc:
                reason = f"{type(exc).__name__}: {exc}" if not isinstance(exc, BadDatabaseURL) else str(exc)
                self.failed[dialect] = mask_in(reason, os.environ.get(SERVER_ENV[dialect], ""))
                if os.environ.get("VERBOSE"):
                    raise
            if dialect in self.failed:  # outside the except block: no chained tracebacks
                pytest.fail(f"{dialect}: no server from {self.source[dialect]}: {self.failed[dialect]}",
                            pytrace=False)
        return self.running[dialect]

    def stop(self):
        for server in self.running.values():
            server.stop()


def server_source(dialect: str) -> str:
    """Where `provide` takes the dialect's server from: the variable (URL masked), testcontainers, or local
    binaries."""
    variable = SERVER_ENV[dialect]
    if os.environ.get(variable):
        return f"{variable}={mask(os.environ[variable])}"
    return "testcontainers (a Docker engine answers)" if docker_engine_answers() else "local binaries"


class Database:
    """A fresh database of one dialect, with the few operations the tests need."""

    def __init__(self, dialect: str, url: str):
        self.dialect, self.url = dialect, url
        self._conn = None

    @property
    def conn(self):
        """The test's own autocommit connection, opened on first use (SQLite: foreign keys on)."""
        if self._conn is None:
            self._conn = connect(self.url, autocommit=True)
        return self._conn

    def close(self):
        if self._conn is not None:
            self._conn.close()
            self._conn = None

    # migrations (yoyo's own API, the same calls `yoyo apply` / `yoyo rollback` make)
    def apply(self, through: str | None = None, path=None):
        migrations.apply(self.url, self.dialect, through=through, path=path)

    def rollback(self, to: str | None = None, path=None):
        migrations.rollback(self.url, self.dialect, to=to, path=path)

    def applied(self) -> list[str]:
        return migrations.applied(self.url)

    def snapshot(self) -> dict:
        return catalog.snapshot(self.url)

    def waiting_for_a_lock(self) -> bool:
        """Whether a session on this database waits for a lock (PostgreSQL: any heavyweight lock;
        MySQL family: a table metadata lock, what an ALTER TABLE waits for)."""
        if self.dialect == "postgres":
            rows = self.execute("SELECT 1 FROM pg_stat_activity WHERE datname = current_database() "
                                "AND wait_event_type = 'Lock'")
        else:
            rows = self.execute("SELECT 1 FROM information_schema.PROCESSLIST WHERE DB = DATABASE() "
                                "AND STATE = 'Waiting for table metadata lock'")
        return bool(rows)

    def empty(self, tables: list[str]):
        """Delete every row (the schema stays), foreign-key checks off while doing it."""
        cur = self.conn.cursor()
        if self.dialect == "postgres":
            cur.execute("TRUNCATE " + ", ".join(f'"{t}"' for t in tables) + " RESTART IDENTITY CASCADE")
            return
        cur.execute("SET FOREIGN_KEY_CHECKS = 0" if self.dialect == "mysql" else "PRAGMA foreign_keys = OFF")
        for table in tables:
            cur.execute(self.sql(f'DELETE FROM "{table}"'))
        cur.execute("SET FOREIGN_KEY_CHECKS = 1" if self.dialect == "mysql" else "PRAGMA foreign_keys = ON")

    # data
    def connect(self):
        """A new driver connection in autocommit mode; SQLite connections enforce foreign keys."""
        return connect(self.url, autocommit=True)

    def sql(self, text: str) -> str:
        """Write test SQL once: "identifiers" and %s placeholders, adapted to this dialect."""
        if self.dialect == "mysql":
            return text.replace('"', "`")
        if self.dialect == "sqlite":
            return text.replace("%s", "?")
        return text

    def execute(self, text: str, params=()):
        """Run one statement on the test's connection: its rows as a list of tuples, or the row count."""
        cur = self.conn.cursor()
        cur.execute(self.sql(text), params)
        return [tuple(row) for row in cur.fetchall()] if cur.description else cur.rowcount

    def insert(self, table: str, **values) -> int:
        """Insert one row and return its id."""
        columns = ", ".join(f'"{c}"' for c in values)
        marks = ", ".join(["%s"] * len(values))
        sql = f'INSERT INTO "{table}" ({columns}) VALUES ({marks})'
        if not values:
            sql = f'INSERT INTO "{table}" () VALUES ()' if self.dialect == "mysql" else \
                f'INSERT INTO "{table}" DEFAULT VALUES'
        cur = self.conn.cursor()
        if self.dialect == "postgres":
            cur.execute(sql + ' RETURNING "id"', tuple(values.values()))
            return cur.fetchone()[0]
        cur.execute(self.sql(sql), tuple(values.values()))
        return cur.lastrowid

    @property
    def error(self) -> type[Exception]:
        """The driver's base class for errors the database reports."""
        if self.dialect == "postgres":
            import psycopg

            return psycopg.DatabaseError
        if self.dialect == "mysql":
            import pymysql

            return pymysql.err.DatabaseError
        return sqlite3.DatabaseError

    def rejects(self, text: str, params=()) -> Exception:
        """Run a statement that must fail; return the database's error."""
        with pytest.raises(self.error) as info:
            self.execute(text, params)
        return info.value


# --- fixtures -------------------------------------------------------------------------------------

@pytest.fixture(scope="session")
def servers(request) -> Servers:
    return request.config.stash[SERVERS]


@pytest.fixture(params=DIALECTS)
def dialect(request) -> str:
    return request.param


@pytest.fixture
def database(dialect, servers, tmp_path) -> Database:
    if dialect == "sqlite":
        db = Database("sqlite", f"sqlite:///{tmp_path / 'test.db'}")
        yield db
        db.close()
        return
    server = servers.get(dialect)
    db = Database(dialect, server.create_database())
    try:
        yield db
    finally:
        db.close()
        server.drop_database(db.url)


@pytest.fixture(scope="session")
def _heads(servers) -> dict:
    """One database per dialect migrated to head, built on first use and kept for the session."""
    heads = {}
    yield heads
    for dialect, (db, _tables) in heads.items():
        db.close()
        if dialect != "sqlite":
            servers.get(dialect).drop_database(db.url)


@pytest.fixture
def migrated(dialect, servers, tmp_path_factory, _heads) -> Database:
    """A database at head with no rows in it: built once per dialect, emptied before every test.

    For tests that write and read data but never change the schema (they would change it for the
    tests after them); anything that migrates or rolls back uses `database`.
    """
    if dialect not in _heads:
        if dialect == "sqlite":
            db = Database("sqlite", f"sqlite:///{tmp_path_factory.mktemp('head') / 'head.db'}")
        else:
            db = Database(dialect, servers.get(dialect).create_database())
        db.apply()
        _heads[dialect] = (db, sorted(db.snapshot()["tables"]))
    db, tables = _heads[dialect]
    db.empty(tables)
    return db


@pytest.fixture
def make_database(dialect, servers, tmp_path):
    """For tests that need more than one fresh database of the same dialect."""
    made = []

    def make() -> Database:
        if dialect == "sqlite":
            db = Database("sqlite", f"sqlite:///{tmp_path / f'test{len(made)}.db'}")
        else:
            db = Database(dialect, servers.get(dialect).create_database())
        made.append(db)
        return db

    yield make
    for db in made:
        db.close()
        if dialect != "sqlite":
            servers.get(dialect).drop_database(db.url)


@pytest.fixture
def checkout(tmp_path) -> Path:
    """A copy of the files the make targets use, with this checkout's virtualenv, so that a test can
    write `.env` or new migrations and run `make` there without touching the real checkout."""
    copy = tmp_path / "checkout"
    copy.mkdir()
    for name in ("tools", "migrations"):
        shutil.copytree(migrations.ROOT / name, copy / name, ignore=shutil.ignore_patterns("__pycache__"))
    for name in ("Makefile", "pyproject.toml", "yoyo.ini"):
        shutil.copy2(migrations.ROOT / name, copy / name)
    (copy / "var").mkdir()
    (copy / ".venv").symlink_to(migrations.ROOT / ".venv")
    return copy


# --- hooks: markers, per-dialect report, never-skip guard ----------------------------------------

def pytest_addoption(parser):
    parser.addoption("--all-dialects", action="store_true",
                     help="fail the run if any dialect ran no test or any test was skipped")


def pytest_configure(config):
    config.stash[SERVERS] = Servers()


def pytest_unconfigure(config):
    config.stash[SERVERS].stop()


def _dialect_of(item) -> str:
    params = getattr(item, "callspec", None)
    return params.params.get("dialect", "none") if params else "none"


def pytest_collection_modifyitems(items):
    for item in items:
        dialect = _dialect_of(item)
        if dialect in DIALECTS:
            item.add_marker(getattr(pytest.mark, dialect))


def pytest_make_parametrize_id(config, val, argname):
    """A URL used as a test parameter shows in the test's id masked (ids are printed)."""
    if isinstance(val, str) and "://" in val and "@" in val:
        return mask(val)
    return None


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    report = yield
    report.dialect = _dialect_of(item)
    # No password in any output: mask every scheme://...@ in a failure's text and in captured output
    # (pytest's assertion messages show the arguments of calls, URLs included).
    urls = [os.environ.get(v, "") for v in (*SERVER_ENV.values(), "DATABASE_URL")]
    if isinstance(report.longrepr, str):
        report.longrepr = mask_in(report.longrepr, *urls)
    elif report.longrepr is not None:
        try:
            _mask_repr(report.longrepr, urls, set())
        except Exception:  # a shape not seen before: give up the layout, keep the masking
            report.longrepr = mask_in(str(report.longrepr), *urls)
        if mask_in(text := str(report.longrepr), *urls) != text:  # whatever the walk missed
            report.longrepr = mask_in(text, *urls)
    report.sections = [(name, mask_in(content, *urls)) for name, content in report.sections]
    return report


def _mask_repr(obj, urls: list[str], seen: set) -> None:
    """Mask, in place, every string inside pytest's failure representation (traceback lines, the
    arguments of the test function, the crash message), keeping its layout and its one-line summary."""
    if id(obj) in seen or isinstance(obj, (str, bytes, int, float, bool, type(None))):
        return
    seen.add(id(obj))
    items = vars(obj).items() if hasattr(obj, "__dict__") else []
    for name, value in list(items):
        if isinstance(value, str):
            if (masked := mask_in(value, *urls)) != value:
                setattr(obj, name, masked)
        elif isinstance(value, list):
            for i, item in enumerate(value):
                if isinstance(item, str):
                    value[i] = mask_in(item, *urls)
                elif isinstance(item, tuple):
                    value[i] = tuple(mask_in(x, *urls) if isinstance(x, str) else x for x in item)
                else:
                    _mask_repr(item, urls, seen)
        elif isinstance(value, tuple):
            for item in value:
                if isinstance(item, tuple):
                    for x in item:
                        _mask_repr(x, urls, seen)
                else:
                    _mask_repr(item, urls, seen)
        else:
            _mask_repr(value, urls, seen)


# Per-dialect outcome counts for the summary and the --all-dialects guard.
_outcomes: dict[str, Counter] = defaultdict(Counter)
# Generated cases that one test function checks in a loop (e.g. one per bad write), per dialect.
_cases: dict[str, Counter] = defaultdict(Counter)


@pytest.fixture
def count_case(dialect):
    """count_case("bad input") records one checked case of that kind for the summary."""
    return lambda kind: _cases[kind].update([dialect])


def pytest_runtest_logreport(report):
    dialect = getattr(report, "dialect", "none")
    if report.when == "call":
        _outcomes[dialect][report.outcome] += 1
    elif report.skipped:
        _outcomes[dialect]["skipped"] += 1
    elif report.failed:
        _outcomes[dialect]["error"] += 1


def pytest_terminal_summary(terminalreporter, config):
    servers = config.stash[SERVERS]
    write = terminalreporter.write_line
    terminalreporter.section("dialects")
    write(f"{'dialect':<9} {'passed':>6} {'failed':>6} {'errors':>6} {'skipped':>7}  server")
    for dialect in (*DIALECTS, "none"):
        counts = _outcomes.get(dialect, Counter())
        if dialect == "none" and not counts:
            continue
        if dialect == "sqlite":
            where = f"embedded (SQLite {sqlite3.sqlite_version})"
        elif dialect in servers.running:
            s = servers.running[dialect]
            where = f"{s.version} via {s.provider}"
            if s.provider.startswith("environment"):
                where += f" = {mask(s.admin_url)}"
        elif dialect in servers.failed:
            reason = servers.failed[dialect].splitlines()[0] if servers.failed[dialect] else ""
            where = f"UNAVAILABLE from {servers.source[dialect]}: {reason[:300]}"
        else:
            where = "not used" if dialect != "none" else "not tied to one dialect (file checks, parity)"
        write(f"{dialect:<9} {counts['passed']:>6} {counts['failed']:>6} {counts['error']:>6} "
              f"{counts['skipped']:>7}  {where}")
    for kind, per_dialect in sorted(_cases.items()):
        write(f"{kind} cases checked: " + ", ".join(f"{d} {per_dialect[d]}" for d in DIALECTS))


def pytest_sessionfinish(session, exitstatus):
    if not session.config.getoption("--all-dialects"):
        return
    problems = [f"{d}: no test passed" for d in DIALECTS if not _outcomes[d]["passed"]]
    skipped = sum(c["skipped"] for c in _outcomes.values())
    if skipped:
        problems.append(f"{skipped} test(s) skipped; a skipped dialect is not a pass")
    if problems:
        print("\n--all-dialects: " + "; ".join(problems))
        session.exitstatus = pytest.ExitCode.TESTS_FAILED
