"""What the operator's commands say when something goes wrong, and the exit code they return.

Every failure the runner (tools/run.py) expects is turned into a `Failure`: one line saying what failed,
where, and what to do. The driver's traceback is printed only with VERBOSE=1. Exit codes of
`python -m tools.run` (make itself always returns 2 when a recipe fails; it names the runner's code in its
"Error N" line):

    0    done (also "nothing to do")
    1    a migration failed on a statement; that migration was undone and is not recorded
    2    refused before touching the database: bad arguments, an unknown REVISION, the baseline guard
    3    the database cannot be used: connection refused, authentication, unknown database, a read-only
         server or standby, yoyo's lock held by another run
    4    lock waits kept timing out and the retries ran out; the database is as before that migration
    5    an undo failed: the database may hold part of a migration; the message says what and how to recover
    130  interrupted by SIGINT (Ctrl-C), 143 by SIGTERM; what was running was undone (or, after a second
         interrupt, the message says what may remain)

Preflight: before yoyo touches a database (yoyo creates its lock table and takes a lock row even to list),
`preflight()` connects with the driver, so that a refused connection, a failed login or a missing database
gets its own message, and refuses a read-only server or standby at once.
"""

from __future__ import annotations

import os
import sqlite3
import sys
from dataclasses import dataclass

from tools.migrations import dialect_of, mask, yoyo_url

OK, FAILED, REFUSED, UNUSABLE, RETRIES_EXHAUSTED, HALF_APPLIED = 0, 1, 2, 3, 4, 5
INTERRUPTED = {2: 130, 15: 143}  # SIGINT, SIGTERM

USE_THE_PRIMARY = "point DATABASE_URL at the primary (the read-write server)"


@dataclass
class Failure(Exception):
    """An expected failure: one line for the operator, and the runner's exit code."""

    message: str
    code: int = FAILED
    cause: BaseException | None = None

    def __str__(self) -> str:
        return self.message


# --- the driver's errors ---------------------------------------------------------------------------

def chain(exc: BaseException | None):
    """The exception and the ones it was raised from or during, outermost first."""
    seen = set()
    while exc is not None and id(exc) not in seen:
        seen.add(id(exc))
        yield exc
        exc = exc.__cause__ or exc.__context__


def _mysql_code(exc: BaseException) -> int | None:
    try:
        import pymysql
    except ImportError:  # pragma: no cover - installed with the project
        return None
    if isinstance(exc, pymysql.err.Error) and exc.args and isinstance(exc.args[0], int):
        return exc.args[0]
    return None


def root_error(exc: BaseException) -> BaseException:
    """The error the server really raised.

    On MySQL a failing DDL statement has already committed and destroyed yoyo's savepoint, so what reaches
    us is `(1305, 'SAVEPOINT sp_N does not exist')` with the real error chained behind it: dig it out.
    """
    for e in chain(exc):
        if _mysql_code(e) == 1305 and "SAVEPOINT" in str(e):
            continue
        if hasattr(e, "sqlstate") or _mysql_code(e) is not None or isinstance(e, sqlite3.Error):
            return e
    return exc


def is_lock_timeout(exc: BaseException) -> bool:
    """A lock wait that timed out: PostgreSQL SQLSTATE 55P03 (lock_timeout), MySQL/MariaDB 1205
    (lock_wait_timeout / innodb_lock_wait_timeout)."""
    for e in chain(exc):
        if getattr(e, "sqlstate", None) == "55P03" or _mysql_code(e) == 1205:
            return True
    return False


def is_cancelled(exc: BaseException) -> bool:
    """The statement was cancelled by us (PostgreSQL 57014, MySQL/MariaDB 1317, SQLite 'interrupted')."""
    for e in chain(exc):
        if getattr(e, "sqlstate", None) == "57014" or _mysql_code(e) == 1317:
            return True
        if isinstance(e, sqlite3.OperationalError) and str(e) == "interrupted":
            return True
    return False


def server_message(exc: BaseException) -> str:
    """The server's own message, one line: `(1050) Table 'x' already exists`, `column "x" ... exists`."""
    e = root_error(exc)
    code = _mysql_code(e)
    if code is not None:
        text = f"({code}) {e.args[1] if len(e.args) > 1 else ''}"
    else:
        diag = getattr(e, "diag", None)
        primary = getattr(diag, "message_primary", None) if diag is not None else None
        text = primary or str(e)
        sqlstate = getattr(e, "sqlstate", None)
        if sqlstate:
            text = f"{text} (SQLSTATE {sqlstate})"
    return " ".join(str(text).split())


def first_line(sql: str, width: int = 100) -> str:
    """The first line of a statement that is not a comment, shortened for a message."""
    lines = [line.strip() for line in sql.strip().splitlines()]
    line = next((line for line in lines if line and not line.startswith("--")), lines[0] if lines else "")
    return line if len(line) <= width else line[: width - 1] + "…"


# --- connecting ----------------------------------------------------------------------------------

def _parts(url: str):
    from yoyo.connections import parse_uri

    return parse_uri(yoyo_url(url))


def driver_connect(url: str, dialect: str):
    """A plain autocommit driver connection with the same parameters yoyo's backend uses."""
    parts = _parts(url)
    args = dict(parts.args)
    if dialect == "postgres":
        import psycopg

        args.pop("schema", None)
        args.setdefault("connect_timeout", "10")
        return psycopg.connect(dbname=parts.database, user=parts.username, password=parts.password,
                               host=parts.hostname, port=parts.port, autocommit=True, **args)
    if dialect == "mysql":
        import pymysql

        kwargs = {"database": parts.database, "user": parts.username, "password": parts.password or "",
                  "autocommit": True, **args}
        if parts.hostname is not None:
            kwargs["host"] = parts.hostname
        if parts.port is not None:
            kwargs["port"] = parts.port
        return pymysql.connect(**kwargs)
    return sqlite3.connect(f"file:{parts.database}?mode=rw", uri=True, isolation_level=None)


def connect_failure(exc: BaseException, url: str) -> Failure:
    """A clear message for a connection that did not open."""
    where = mask(url)
    text = " ".join(str(exc).split())
    low = text.lower()
    code = _mysql_code(exc)
    parts = _parts(url)
    if code == 2003 or "connection refused" in low:
        what = (f"connection refused by {parts.hostname or 'localhost'}:{parts.port or 'default port'}: "
                "is the server running, and are the host and port in DATABASE_URL right?")
    elif code == 2005 or "could not translate host name" in low or "name or service not known" in low:
        what = f"unknown host {parts.hostname!r}: check the host in DATABASE_URL"
    elif code in (1045, 1698) or "authentication failed" in low or "no password supplied" in low \
            or "access denied" in low:
        what = (f"authentication failed for user {parts.username!r}: check the user and password in "
                "DATABASE_URL (percent-encode special characters, e.g. p@ss -> p%40ss)")
    elif code == 1049 or ("database" in low and "does not exist" in low):
        what = (f"database {parts.database!r} does not exist on the server: create it first "
                "(or fix its name in DATABASE_URL)")
    elif "timeout" in low or "timed out" in low:
        what = "the connection timed out: is the host reachable from here (firewall, VPN)?"
    else:
        what = text
    return Failure(f"cannot connect to {where}: {what}", UNUSABLE, exc)


def _read_only_reason(conn, dialect: str) -> str | None:
    cur = conn.cursor()
    if dialect == "postgres":
        cur.execute("SELECT pg_is_in_recovery(), current_setting('transaction_read_only')")
        recovery, read_only = cur.fetchone()
        if recovery:
            return "it is a standby (pg_is_in_recovery() is true): a standby accepts no writes"
        if read_only == "on":
            return ("its sessions are read-only (transaction_read_only = on, e.g. default_transaction_read_only "
                    "set for this database or user, or a read-only endpoint)")
        return None
    reasons = []
    for variable in ("@@GLOBAL.read_only", "@@GLOBAL.super_read_only", "@@GLOBAL.innodb_read_only",
                     "@@SESSION.tx_read_only"):
        try:
            cur.execute(f"SELECT {variable}")
        except Exception:  # the variable does not exist in this server family/version
            continue
        value = cur.fetchone()[0]
        if str(value) not in ("0", "OFF", "None"):
            reasons.append(f"{variable.split('.', 1)[1]} = ON")
    if reasons:
        return (f"the server is read-only ({', '.join(reasons)}): a replica, or a server set read-only "
                "for maintenance")
    return None


def _sqlite_failure(url: str, exc: BaseException) -> Failure:
    path = _parts(url).database
    text = str(exc)
    if "readonly" in text.replace(" ", "").lower() or "read-only" in text.lower():
        return Failure(f"the SQLite file {path} is read-only ({text}): make it and its folder writable "
                       "by this user, or point DATABASE_URL at a writable copy", UNUSABLE, exc)
    if "locked" in text:
        return Failure(f"the SQLite file {path} is locked by another program ({text}): close it, "
                       "then run the command again", UNUSABLE, exc)
    return Failure(f"cannot open the SQLite file {path}: {text}", UNUSABLE, exc)


def preflight(url: str, dialect: str, writes: bool = True) -> None:
    """Connect once with the driver before yoyo does; raise a Failure naming what is wrong.

    Refuses a read-only server (a PostgreSQL standby, a session forced read-only, a MySQL replica with
    read_only) for every command, `status` included: yoyo writes even to list (its lock table).
    """
    if dialect == "sqlite":
        path = _parts(url).database
        if not os.path.exists(path):
            folder = os.path.dirname(path) or "."
            if not os.access(folder, os.W_OK):
                raise Failure(f"cannot create the SQLite file {path}: its folder is not writable", UNUSABLE)
            return
        try:
            conn = driver_connect(url, dialect)
            try:
                # A write that is rolled back: SQLite opens a write-protected file read-only without a
                # word, and refuses the first page it must change ("attempt to write a readonly database").
                conn.execute("BEGIN IMMEDIATE")
                try:
                    conn.execute("CREATE TABLE _runner_write_probe (x INTEGER)")
                finally:
                    conn.execute("ROLLBACK")
            finally:
                conn.close()
        except sqlite3.Error as exc:
            raise _sqlite_failure(url, exc) from exc
        return
    try:
        conn = driver_connect(url, dialect)
    except Exception as exc:
        raise connect_failure(exc, url) from exc
    try:
        reason = _read_only_reason(conn, dialect)
    finally:
        conn.close()
    if reason and writes:
        raise Failure(f"{mask(url)} is read-only: {reason}. Nothing was done; {USE_THE_PRIMARY}.", UNUSABLE)


def refuse_read_only(url: str) -> int:
    """For a command outside the runner that writes (record-checksums, adopt CONFIRM=1): 0 when the
    database takes writes, else the exit code after printing the one-line reason (a standby, say)."""
    try:
        preflight(url, dialect_of(url))
    except Failure as failure:
        print(f"error: {failure}", file=sys.stderr)
        return failure.code
    return 0


def is_driver_error(exc: BaseException) -> bool:
    return hasattr(exc, "sqlstate") or _mysql_code(exc) is not None or isinstance(exc, sqlite3.Error)


def database_failure(exc: BaseException, url: str) -> Failure:
    """A database error outside any migration statement (yoyo's own bookkeeping, a grant missing)."""
    message = server_message(exc)
    low = message.lower()
    hint = ""
    if "permission denied" in low or "command denied" in low or "access denied" in low or "42501" in message:
        hint = (": the user lacks a privilege yoyo needs (it creates and writes its own tables _yoyo_migration, "
                "_yoyo_log, _yoyo_version and yoyo_lock, even to list); grant them, see docs/operations.md")
    return Failure(f"{mask(url)}: {message}{hint}", UNUSABLE, exc)


def scrub(text: str, url: str) -> str:
    """Remove the URL's password from any text, however it is spelled (a last line of defence)."""
    try:
        password = _parts(url).password
    except Exception:
        password = None
    userinfo = url.split("://", 1)[-1].rsplit("@", 1)[0] if "@" in url else ""
    raw = userinfo.split(":", 1)[1] if ":" in userinfo else None
    for secret in (password, raw):
        if secret and len(secret) >= 3:
            text = text.replace(secret, "***")
    return text
