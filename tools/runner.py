"""The operator's runner: yoyo's apply / rollback run in-process, with lock-wait retries and safe interrupts.

yoyo's semantics are kept: one migration at a time under yoyo's lock row, each on its own connection,
in one transaction (or statement by statement for `-- transactional: false` and on MySQL, where a
failure runs the paired rollback statements of the statements that completed, exactly as
yoyo.migrations.Migration.process_steps does), recorded in _yoyo_migration and _yoyo_log if and only if
it completed, the post-apply hooks (the checksum record) run after migrations were applied. On top:

* a migration that failed only because a lock wait timed out (PostgreSQL 55P03, MySQL/MariaDB 1205) is
  undone and tried again, with exponential backoff and jitter, at most LOCK_RETRIES more times and not
  after LOCK_RETRY_MAX_S seconds; one line per failed attempt names who blocked it;
* an interrupt (SIGINT, SIGTERM; `Interrupt` below) cancels the statement in flight, so the migration
  fails as a database error and is undone like any failure; yoyo's lock is released;
* any other error stops at once with one clear line (tools/errors.py).

The signal handling lives in tools/run.py (main thread); this module runs in a worker thread and only
looks at the shared `Control`.
"""

from __future__ import annotations

import contextlib
import io
import random
import sys
import threading
import time
from dataclasses import dataclass, field

from tools.blockers import Watcher
from tools.errors import (FAILED, HALF_APPLIED, INTERRUPTED, REFUSED, RETRIES_EXHAUSTED, UNUSABLE, Failure,
                          first_line, is_lock_timeout, mask, server_message)
from tools.migrations import ROOT, read, unfinished_message, unfinished_migrations, yoyo_url

BASELINE = "20240731000000-baseline"
BASELINE_GUARD = (f"rolling back {BASELINE} drops the tables the old system created (users, projects, "
                  "feed_posts, ...) with their rows")
RECOVERY_DOC = "docs/operations.md, \"After a hard stop or a killed run\""

DEFAULT_RETRIES = 20
DEFAULT_MAX_S = 60.0
BACKOFF_FIRST_S = 0.25   # the first pause; doubles each time ...
BACKOFF_CAP_S = 2.0      # ... up to this, so a run resumes within ~2 s of the blocker's end
UNDO_BOUND_FACTOR = 2    # an undo statement that times out on a lock is retried for 2 x LOCK_RETRY_MAX_S
UNDO_LOCK_TIMEOUT = {"postgres": "SET lock_timeout = '2s'", "mysql": "SET SESSION lock_wait_timeout = 5"}


@dataclass
class Settings:
    retries: int = DEFAULT_RETRIES
    max_s: float = DEFAULT_MAX_S
    verbose: bool = False
    drop_baseline: bool = False


def say(text: str) -> None:
    print(text, file=sys.stderr, flush=True)


class Interrupt(Exception):
    """Raised in the worker at a safe point after SIGINT/SIGTERM (no statement of ours in flight)."""


@dataclass
class Control:
    """What the main thread (signals) and the worker share."""

    dialect: str
    url: str
    signum: int | None = None
    phase: str = "idle"            # idle | forward (a statement that may be cancelled) | undo | record
    connection: object = None      # the migration's driver connection
    session: object = None         # its server session id (PostgreSQL pid, MySQL connection id)
    migration: str | None = None
    direction: str = "apply"
    transactional: bool = True     # the migration runs in one transaction the server can roll back
    done: list = field(default_factory=list)       # statement numbers of the current migration that ran
    undone: list = field(default_factory=list)     # ... and those the undo already reverted
    wake: threading.Event = field(default_factory=threading.Event)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def interrupt(self, signum: int) -> None:
        """First SIGINT/SIGTERM: remember it, and cancel the statement in flight (never an undo)."""
        with self.lock:
            self.signum = signum
            cancel = self.phase == "forward"
            conn, session = self.connection, self.session
        self.wake.set()
        if cancel and conn is not None:
            cancel_statement(self.dialect, self.url, conn, session)

    def check(self) -> None:
        if self.signum is not None:
            raise Interrupt()

    def sleep(self, seconds: float) -> None:
        """Wait between attempts; an interrupt ends the wait at once."""
        self.wake.wait(seconds)
        self.check()

    def left_behind(self) -> str:
        """What a hard stop (second interrupt) may leave, for the message."""
        if self.migration is None or self.phase == "idle":
            return "no migration statement was running"
        if self.phase == "record":
            return (f"{self.migration} had completed; it may be unrecorded in _yoyo_migration: "
                    f"check with make status")
        if self.transactional:
            return (f"{self.migration} ran in one transaction: the server rolls it back when the connection "
                    f"closes, so nothing of it remains and it is not recorded")
        ran = [n for n in self.done if n not in self.undone]
        what = ", ".join(map(str, ran)) if ran else "none yet"
        return (f"{self.migration} ({self.direction}) is not transactional: statements {what} of its file "
                f"may have run and are not undone (the statement in flight may still complete on the server)")


def cancel_statement(dialect: str, url: str, conn, session) -> None:
    """Cancel the statement running on `conn` (called from the main thread)."""
    try:
        if dialect == "postgres":
            getattr(conn, "cancel_safe", conn.cancel)()
        elif dialect == "mysql":
            from tools.errors import driver_connect

            killer = driver_connect(url, dialect)
            try:
                killer.cursor().execute(f"KILL QUERY {int(session)}")
            finally:
                killer.close()
        else:
            conn.interrupt()
    except Exception as exc:  # the statement may just have ended; the worker checks the flag anyway
        say(f"(could not cancel the running statement: {' '.join(str(exc).split())[:160]})")


# --- the steps of one migration ----------------------------------------------------------------------

class UndoFailed(Exception):
    def __init__(self, message: str, cause: BaseException):
        super().__init__(message)
        self.cause = cause


def _statement_of(step, direction: str) -> str:
    inner = getattr(step, "step", step)
    sql = inner._apply if direction == "apply" else inner._rollback
    return sql if isinstance(sql, str) else ""


class Runner:
    def __init__(self, url: str, dialect: str, source, settings: Settings, control: Control):
        self.url, self.dialect, self.source = url, dialect, source
        self.settings, self.control = settings, control
        self.watcher = Watcher(url, dialect)
        self.backend = None

    # numbering: step i of a migration is forward statement i+1; in rollback, steps run reversed and
    # step i (forward numbering) holds rollback statement n_rollback - i.
    def _number(self, migration, index: int, direction: str) -> int:
        if direction == "apply":
            return index + 1
        rollback = sum(1 for s in migration.steps if _statement_of(s, "rollback"))
        return rollback - index

    def _file(self, migration, direction: str) -> str:
        path = migration.path if direction == "apply" else migration.path[: -len(".sql")] + ".rollback.sql"
        try:
            from pathlib import Path

            return str(Path(path).resolve().relative_to(ROOT))
        except ValueError:
            return path

    @contextlib.contextmanager
    def _quiet(self):
        """yoyo prints the rows of any SELECT a migration runs (SQLite's quick_check guard): keep them for
        VERBOSE=1 only."""
        buffer = io.StringIO()
        with contextlib.redirect_stdout(buffer):
            yield
        if self.settings.verbose and buffer.getvalue():
            sys.stderr.write(buffer.getvalue())

    def _run_steps(self, migration, mb, direction: str) -> None:
        """yoyo's Migration.process_steps, statement by statement, interruptible and retrying the undo."""
        control = self.control
        reverse = {"apply": "rollback", "rollback": "apply"}[direction]
        steps = list(enumerate(migration.steps))
        if direction == "rollback":
            steps.reverse()
        executed = []
        undo = not mb.has_transactional_ddl or not migration.use_transactions
        transaction = mb.transaction if migration.use_transactions else mb.disable_transactions
        with transaction():
            try:
                for index, step in steps:
                    control.check()
                    self.current = (index, step)
                    with control.lock:
                        control.phase = "forward"
                    self.watcher.statement(True)
                    try:
                        with self._quiet():
                            getattr(step, direction)(mb)
                    finally:
                        self.watcher.statement(False)
                        with control.lock:
                            control.phase = "undo" if undo else "idle"
                    executed.append((index, step))
                    control.done.append(self._number(migration, index, direction))
                control.check()  # an interrupt after the last statement: undo rather than commit
            except (mb.DatabaseError, Interrupt):
                with control.lock:
                    control.phase = "undo"
                if undo:
                    self._undo(migration, mb, reverse, executed)
                raise
            finally:
                with control.lock:
                    control.phase = "idle"

    def _undo(self, migration, mb, reverse: str, executed) -> None:
        """Run the paired statements of the statements that completed, newest first (what yoyo does),
        retrying one that times out on a lock with a longer wait."""
        direction = "rollback" if reverse == "apply" else "apply"
        for position, (index, step) in enumerate(reversed(executed)):
            deadline = time.monotonic() + UNDO_BOUND_FACTOR * self.settings.max_s
            attempt = 0
            while True:
                attempt += 1
                self.watcher.statement(True)
                try:
                    with self._quiet():
                        getattr(step, reverse)(mb)
                    break
                except mb.DatabaseError as exc:
                    delay = min(BACKOFF_CAP_S, BACKOFF_FIRST_S * 2 ** (attempt - 1))
                    if is_lock_timeout(exc) and time.monotonic() + delay < deadline:
                        say(f"{migration.id}: an undo statement timed out on a lock (attempt {attempt}); blocked by: "
                            f"{self.watcher.report()}; retrying it with a longer lock wait in {delay:.1f}s")
                        time.sleep(delay)
                        try:
                            mb.execute(UNDO_LOCK_TIMEOUT[self.dialect])
                        except mb.DatabaseError:
                            pass
                        continue
                    remaining = [i for i, _ in reversed(executed)][position:]
                    raise UndoFailed(self._half_applied(migration, reverse, remaining, exc), exc) from exc
                finally:
                    self.watcher.statement(False)
            self.control.undone.append(self._number(migration, index, direction))

    def _half_applied(self, migration, reverse: str, remaining: list[int], exc) -> str:
        direction = "rollback" if reverse == "apply" else "apply"
        ran = sorted(self._number(migration, i, direction) for i in remaining)
        todo = [self._number(migration, i, reverse) for i in remaining]
        return (f"{migration.id}: the undo failed, so statements {', '.join(map(str, ran))} of "
                f"{self._file(migration, direction)} ran and are NOT undone (the database holds part of "
                f"{migration.id}, which is not recorded): {server_message(exc)}. Recovery: remove the cause, "
                f"run statements {', '.join(map(str, todo))} of {self._file(migration, reverse)} in that order "
                f"(see {RECOVERY_DOC}), then run make status")

    # --- one migration, with retries --------------------------------------------------------------

    def _attempts(self) -> int:
        return 1 + max(0, self.settings.retries)

    def _one(self, migration, direction: str) -> None:
        """Apply (or roll back) one migration; on a lock timeout undo it and try again."""
        control = self.control
        total = self._attempts()
        started = time.monotonic()
        self.watcher.seen = {}
        for attempt in range(1, total + 1):
            control.check()
            control.migration, control.direction = migration.id, direction
            control.transactional = migration.use_transactions and self.backend.has_transactional_ddl
            control.done, control.undone = [], []
            self.current = None
            try:
                with self.backend.copy() as mb:
                    session = self._session(mb)
                    with control.lock:
                        control.connection, control.session = mb.connection, session
                    self.watcher.attempt(session)
                    try:
                        self._run_steps(migration, mb, direction)
                    finally:
                        with control.lock:
                            control.connection = None
                break
            except UndoFailed as exc:
                raise Failure(str(exc), HALF_APPLIED, exc.cause) from exc
            except Interrupt:
                raise
            except self.backend.DatabaseError as exc:
                if control.signum is not None:
                    raise Interrupt() from exc
                if not is_lock_timeout(exc):
                    raise Failure(self._failed(migration, direction, exc), FAILED, exc) from exc
                who = self.watcher.report()
                elapsed = time.monotonic() - started
                delay = min(BACKOFF_CAP_S, BACKOFF_FIRST_S * 2 ** (attempt - 1)) * random.uniform(0.5, 1.0)
                head = f"{migration.id}: lock wait timed out (attempt {attempt} of {total}); blocked by: {who}"
                if attempt == total or elapsed + delay > self.settings.max_s:
                    say(f"{head}; giving up")
                    raise Failure(self._exhausted(migration, direction, attempt, elapsed),
                                  RETRIES_EXHAUSTED, exc) from exc
                say(f"{head}; retrying in {delay:.1f}s")
                control.sleep(delay)
        with control.lock:
            control.phase = "record"
        try:
            if direction == "apply":
                self.backend.log_migration(migration, "apply")
                with self.backend.transaction():
                    self.backend.mark_one(migration, log=False)
            else:
                self.backend.log_migration(migration, "rollback")
                with self.backend.transaction():
                    self.backend.unmark_one(migration, log=False)
        finally:
            with control.lock:
                control.phase = "idle"
                control.migration = None

    def _session(self, mb):
        conn = mb.connection
        if self.dialect == "postgres":
            return conn.info.backend_pid
        if self.dialect == "mysql":
            return conn.thread_id()
        return None

    def _undone_how(self, migration) -> str:
        if migration.use_transactions and self.backend.has_transactional_ddl:
            return "its transaction was rolled back"
        return "the statements that had completed were undone by their paired rollback statements"

    def _failed(self, migration, direction: str, exc) -> str:
        verb = "apply" if direction == "apply" else "rollback"
        where = ""
        if self.current is not None:
            index, step = self.current
            number = self._number(migration, index, direction)
            where = (f" at statement {number} of {self._file(migration, direction)} "
                     f"({first_line(_statement_of(step, direction))})")
        state = "not recorded" if direction == "apply" else "still recorded as applied"
        return (f"{migration.id} ({verb}) failed{where}: {server_message(exc)}. Nothing of the {verb} was kept "
                f"({self._undone_how(migration)}); it is {state}. Fix the cause, then run the command again")

    def _exhausted(self, migration, direction, attempts, elapsed) -> str:
        verb = "applied" if direction == "apply" else "rolled back"
        blockers = self.watcher.summary(attempts)
        return (f"{migration.id} was not {verb}: its lock waits timed out {attempts} time(s) in {elapsed:.1f}s "
                f"and each attempt was undone, so the database is as before it. What blocked it: {blockers}. "
                f"End or wait out those sessions, then run the command again (or allow more with LOCK_RETRIES= "
                f"and LOCK_RETRY_MAX_S=)")

    # --- commands ----------------------------------------------------------------------------------

    def _open(self):
        from yoyo import get_backend
        from yoyo.exceptions import LockTimeout

        try:
            self.backend = get_backend(yoyo_url(self.url))
        except Exception as exc:
            from tools.errors import connect_failure

            raise connect_failure(exc, self.url) from exc
        self._lock_timeout = LockTimeout
        return self.backend

    @contextlib.contextmanager
    def _locked(self, timeout: float = 10.0):
        """yoyo's lock row (what backend.lock() does, with yoyo's 10 s wait), always released; the wait
        ends early on an interrupt, and a clear message when another run holds the lock."""
        import os

        backend, pid = self.backend, os.getpid()
        deadline = time.monotonic() + timeout
        while True:
            try:
                backend._insert_lock_row(pid, 0.5)  # yoyo's own insert, polling for half a second
                break
            except self._lock_timeout as exc:
                if self.control.signum is not None:
                    name = {2: "SIGINT", 15: "SIGTERM"}.get(self.control.signum, "a signal")
                    raise Failure(f"interrupted ({name}) while waiting for yoyo's lock; nothing was done",
                                  INTERRUPTED[self.control.signum]) from exc
                if time.monotonic() > deadline:
                    raise Failure(f"another run holds yoyo's lock on {mask(self.url)} ({exc}). Wait for it to "
                                  "finish; if no run is active (a killed run left it), run make break-lock",
                                  UNUSABLE, exc) from exc
        backend._is_locked = True
        try:
            backend.ensure_internal_schema_updated()
            yield
        finally:
            backend._is_locked = False
            backend._delete_lock_row(pid)

    def migrations(self):
        return read(self.dialect, self.source)

    def refuse_unfinished(self) -> None:
        """A scaffold from `make new` with no statements or a TODO left in its header never runs."""
        if found := unfinished_migrations(self.dialect, self.source):
            raise Failure(unfinished_message(found), REFUSED)

    def apply(self, revision: str | None = None) -> int:
        """Apply every pending migration, or (revision) only those up to and including that one."""
        from yoyo.scripts.main import InvalidArgument
        from yoyo.scripts.migrate import migrations_to_revision

        self.refuse_unfinished()
        self.watcher.start()
        applied = []
        try:
            with self._open(), self._locked():
                self.watcher.ours.add(self._session(self.backend))
                migrations = self.migrations()
                try:
                    migrations = migrations_to_revision(migrations, revision, "apply")
                except InvalidArgument as exc:
                    raise Failure(f"REVISION: {exc}", REFUSED) from exc
                todo = self.backend.to_apply(migrations)
                if not todo:
                    say("nothing to apply: every migration is applied")
                    return 0
                try:
                    for migration in todo:
                        self.control.check()
                        say(f"applying {migration.id}")
                        self._one(migration, "apply")
                        applied.append(migration.id)
                    failed = False
                except Interrupt:
                    raise Failure(self._interrupted("apply", applied, todo), INTERRUPTED[self.control.signum])
                except BaseException:
                    failed = True
                    raise
                finally:
                    if applied and self.control.signum is None:
                        self._post_apply(todo, failed)
                say(f"applied {len(applied)} migration(s)")
                return 0
        finally:
            self.watcher.stop()

    def _post_apply(self, todo, failed: bool) -> None:
        """The post-apply hooks (checksum record) for what did apply, also when a later migration failed
        (then a failing hook is only reported, so that the migration's error stays the one shown)."""
        try:
            with self._quiet():
                self.backend.run_post_apply(todo)
        except self.backend.DatabaseError as exc:
            message = (f"the post-apply hook (checksum record) failed: {server_message(exc)}; the migrations "
                       f"applied stay applied; run make record-checksums once the cause is fixed")
            if failed:
                say(message)
            else:
                raise Failure(message, FAILED, exc) from exc

    def _interrupted(self, direction: str, finished: list[str], todo) -> str:
        name = {2: "SIGINT", 15: "SIGTERM"}.get(self.control.signum, f"signal {self.control.signum}")
        current = self.control.migration
        verb = "applied" if direction == "apply" else "rolled back"
        parts = [f"interrupted ({name})"]
        if current:
            parts.append(f"{current} was stopped and undone ({self.control_how(current, todo)}); it is "
                         f"{'not recorded' if direction == 'apply' else 'still recorded as applied'}")
        if finished:
            parts.append(f"{verb} completely before the interrupt: {', '.join(finished)}")
        parts.append("yoyo's lock is released; run the command again when ready")
        if direction == "apply" and finished:
            parts.append("then make record-checksums records the checksums of what was applied")
        return "; ".join(parts)

    def control_how(self, current, todo) -> str:
        migration = next((m for m in todo if m.id == current), None)
        if migration is None or not self.control.done:
            return "no statement of it had completed"
        if migration.use_transactions and self.backend.has_transactional_ddl:
            return "its transaction was rolled back"
        return (f"statement(s) {', '.join(map(str, self.control.done))} had completed and were undone by "
                f"their paired rollback statements")

    def rollback(self, revision: str | None, everything: bool) -> int:
        from yoyo.scripts.main import InvalidArgument
        from yoyo.scripts.migrate import migrations_to_revision

        self.refuse_unfinished()
        self.watcher.start()
        done = []
        try:
            migrations = self.migrations()
            try:
                selected = migrations_to_revision(migrations, revision, "rollback")
            except InvalidArgument as exc:
                raise Failure(f"REVISION: {exc}", REFUSED) from exc
            with self._open(), self._locked():
                self.watcher.ours.add(self._session(self.backend))
                todo = list(self.backend.to_rollback(selected))
                if not revision and not everything:
                    todo = todo[:1]
                if not todo:
                    say("nothing to roll back" + (f": {revision} is not applied" if revision else
                                                  ": no migration is applied"))
                    return 0
                if BASELINE in [m.id for m in todo] and not self.settings.drop_baseline:
                    raise Failure(f"refused: this would roll back {BASELINE}, and {BASELINE_GUARD}. "
                                  f"Nothing was done. If that is really meant, add DROP_BASELINE=1", REFUSED)
                try:
                    for migration in todo:
                        self.control.check()
                        say(f"rolling back {migration.id}")
                        self._one(migration, "rollback")
                        done.append(migration.id)
                except Interrupt:
                    raise Failure(self._interrupted("rollback", done, todo), INTERRUPTED[self.control.signum])
                say(f"rolled back {len(done)} migration(s)")
                return 0
        finally:
            self.watcher.stop()

    def status(self) -> int:
        from tabulate import tabulate

        with self._open():
            applied = set(self.backend.get_applied_migration_hashes())
            source = self._source_name()
            rows = [("A" if m.hash in applied else "U", m.id, source) for m in self.migrations()]
        try:
            print(tabulate(rows, headers=("STATUS", "ID", "SOURCE")), flush=True)
        except BrokenPipeError:  # `make status | head`: the reader has seen enough
            import os

            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0

    def _source_name(self) -> str:
        from pathlib import Path

        from tools.migrations import folder

        path = Path(self.source or folder(self.dialect)).resolve()
        try:
            return str(path.relative_to(ROOT))
        except ValueError:
            return str(path)

    def mark(self, revision: str | None, unmark: bool = False) -> int:
        from yoyo.scripts.main import InvalidArgument
        from yoyo.scripts.migrate import migrations_to_revision

        direction = "rollback" if unmark else "apply"
        try:
            selected = migrations_to_revision(self.migrations(), revision, direction)
        except InvalidArgument as exc:
            raise Failure(f"REVISION: {exc}", REFUSED) from exc
        with self._open(), self._locked():
            if unmark:
                todo = self.backend.to_rollback(selected)
                self.backend.unmark_migrations(todo)
            else:
                todo = self.backend.to_apply(selected)
                self.backend.mark_migrations(todo)
        verb = "unmarked" if unmark else "marked as applied (nothing was run)"
        say(f"{verb}: {', '.join(m.id for m in todo)}" if todo else f"nothing to {'un' if unmark else ''}mark")
        return 0

    def break_lock(self) -> int:
        with self._open():
            cur = self.backend.execute(f"SELECT {self.backend.quote_identifier('pid')}, "
                                       f"{self.backend.quote_identifier('ctime')} FROM {self.backend.lock_table_quoted}")
            rows = cur.fetchall()
            self.backend.break_lock()
        if rows:
            say("removed yoyo's lock: " + ", ".join(f"held by process {pid} since {ctime} (UTC)" for pid, ctime in rows))
        else:
            say("no yoyo lock was held")
        return 0
