"""Ask the server, every few milliseconds, whether the writer's session is waiting for a lock, and on what.

This names the lock behind a stall instead of guessing it from the SQL: on PostgreSQL the writer's
ungranted entry in pg_locks (lock type, mode, relation) and what the sessions blocking it are running
(pg_blocking_pids); on the MySQL family the writer's thread state in the processlist ("Waiting for
table metadata lock", ...) and InnoDB's row-lock wait flag. It runs as a thread of the benchmark
process with its own connection, only while a migration runs.
"""

from __future__ import annotations

import threading
import time
from collections import defaultdict

from tools.servers import connect

_POSTGRES = """
    SELECT l.locktype || ' ' || l.mode || coalesce(' on ' || l.relation::regclass::text, ''),
           (SELECT string_agg(left(regexp_replace(b.query, '\\s+', ' ', 'g'), 70), ' | ')
            FROM pg_stat_activity b WHERE b.pid = ANY (pg_blocking_pids(l.pid)))
    FROM pg_locks l WHERE l.pid = %s AND NOT l.granted"""
_MYSQL = """
    SELECT p.STATE, (SELECT t.trx_state FROM information_schema.INNODB_TRX t
                     WHERE t.trx_mysql_thread_id = p.ID AND t.trx_state = 'LOCK WAIT')
    FROM information_schema.PROCESSLIST p WHERE p.ID = %s"""


def session_id(cursor, dialect: str) -> int:
    cursor.execute("SELECT pg_backend_pid()" if dialect == "postgres" else "SELECT CONNECTION_ID()")
    return int(cursor.fetchone()[0])


class LockWatch:
    def __init__(self, url: str, dialect: str, session: int, every: float = 0.005):
        self.url, self.dialect, self.session, self.every = url, dialect, session, every
        self.samples: list[tuple[float, str, str | None]] = []  # (monotonic time, lock, what its blocker runs)
        self.poll_times: list[float] = []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="lock-watch", daemon=True)

    def _run(self):
        try:
            self._poll()
        except Exception as exc:  # reported in the summary; the measurement itself goes on
            self.samples.append((time.monotonic(), f"(lock watch failed: {type(exc).__name__}: {exc})", None))

    def _poll(self):
        with connect(self.url, autocommit=True) as conn:
            cur = conn.cursor()
            while not self._stop.is_set():
                now = time.monotonic()
                if self.dialect == "postgres":
                    cur.execute(_POSTGRES, (self.session,))
                    for lock, blockers in cur.fetchall():
                        self.samples.append((now, lock, blockers))
                else:
                    cur.execute(_MYSQL, (self.session,))
                    for state, row_wait in cur.fetchall():
                        if row_wait:
                            self.samples.append((now, "an InnoDB row lock", None))
                        elif state and state.startswith("Waiting for"):
                            self.samples.append((now, state, None))
                self.poll_times.append(now)
                self._stop.wait(self.every)

    def __enter__(self) -> "LockWatch":
        self._started = time.monotonic()
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        self._thread.join(10)
        self._ended = time.monotonic()

    def summary(self, start: float) -> list[dict]:
        """Each distinct lock waited for: when it was first and last seen (seconds from `start`), in how
        many polls, and what the blocking sessions were running meanwhile (PostgreSQL)."""
        seen, blockers = defaultdict(list), defaultdict(list)
        for t, lock, blocker in self.samples:
            seen[lock].append(t)
            if blocker and blocker not in blockers[lock]:
                blockers[lock].append(blocker)
        interval = (self._ended - self._started) / max(1, len(self.poll_times))
        return [{"waiting_for": lock, "first_s": round(ts[0] - start, 3), "last_s": round(ts[-1] - start, 3),
                 "polls": len(ts), "poll_interval_ms": round(1000 * interval, 1), "blockers_running": blockers[lock]}
                for lock, ts in sorted(seen.items(), key=lambda kv: kv[1][0])]

    def between(self, t0: float, t1: float) -> dict:
        """How many polls fell in [t0, t1], and in how many of them the writer was waiting for a lock:
        tells a stall behind a lock from one where the writer simply did not get a CPU."""
        waits = [lock for t, lock, _ in self.samples if t0 <= t <= t1]
        return {"polls": sum(t0 <= t <= t1 for t in self.poll_times), "polls_waiting_for_a_lock": len(waits),
                "locks": sorted(set(waits))}
