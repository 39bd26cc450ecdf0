"""Who is blocking a migration's statement: sampled on a second connection while the statement waits.

PostgreSQL: `pg_blocking_pids(<our pid>)` joined to pg_stat_activity (pid, state, transaction age, query).
MySQL 8: performance_schema.metadata_locks (the granted locks on the object our statement waits for).
MariaDB: information_schema.METADATA_LOCK_INFO when the metadata_lock_info plugin is loaded (sessions
holding a metadata lock on a table we hold one on too); else the sessions with an open InnoDB
transaction (INNODB_TRX), which is where a metadata lock comes from.

A statement whose lock wait times out has stopped waiting by the time we learn of it, so a `Watcher`
thread samples while the statement runs and keeps the last sample; after the failure, `fallback()` names
the oldest open transactions instead, saying that it is a guess.
"""

from __future__ import annotations

import threading
import time

# PostgreSQL's lock_timeout is short (100 ms): sample often. MySQL waits at least 1 s, and InnoDB refreshes
# its INNODB_TRX / INNODB_LOCK_WAITS cache only after 0.1 s without a reader: sample less often.
SAMPLE_EVERY_S = {"postgres": 0.01, "mysql": 0.25, "sqlite": 1.0}


def _age(seconds) -> str:
    if seconds is None:
        return "no transaction"
    return f"transaction open {float(seconds):.1f}s"


def _query(text) -> str:
    text = " ".join(str(text or "").split())
    return text if len(text) <= 80 else text[:79] + "…"


def describe(sessions: list[tuple], word: str = "pid") -> str:
    """(id, state, age_s, query) rows -> 'pid 12 (idle in transaction, transaction open 5.1s): SELECT …'
    (MySQL: 'connection 12 (Sleep, ...)')."""
    return ", ".join(f"{word} {sid} ({state or '?'}, {_age(age)}): {_query(query) or '(no query)'}"
                     for sid, state, age, query in sessions)


_PG_BLOCKERS = """
SELECT a.pid, a.state, EXTRACT(EPOCH FROM now() - a.xact_start), a.query
FROM unnest(pg_blocking_pids(%s)) AS b(pid)
JOIN pg_stat_activity AS a ON a.pid = b.pid
ORDER BY a.xact_start
"""

_PG_OPEN = """
SELECT pid, state, EXTRACT(EPOCH FROM now() - xact_start), query
FROM pg_stat_activity
WHERE datname = current_database() AND pid <> pg_backend_pid() AND NOT (pid = ANY(%s))
  AND xact_start IS NOT NULL AND backend_type = 'client backend'
ORDER BY xact_start
LIMIT 3
"""

_MYSQL8_BLOCKERS = """
SELECT DISTINCT t.PROCESSLIST_ID, t.PROCESSLIST_COMMAND, t.PROCESSLIST_TIME, t.PROCESSLIST_INFO
FROM performance_schema.metadata_locks AS w
JOIN performance_schema.threads AS me ON me.THREAD_ID = w.OWNER_THREAD_ID
JOIN performance_schema.metadata_locks AS g
  ON g.OBJECT_TYPE = w.OBJECT_TYPE AND g.OBJECT_SCHEMA <=> w.OBJECT_SCHEMA AND g.OBJECT_NAME <=> w.OBJECT_NAME
 AND g.LOCK_STATUS = 'GRANTED' AND g.OWNER_THREAD_ID <> w.OWNER_THREAD_ID
JOIN performance_schema.threads AS t ON t.THREAD_ID = g.OWNER_THREAD_ID
WHERE w.LOCK_STATUS = 'PENDING' AND me.PROCESSLIST_ID = %s AND t.PROCESSLIST_ID IS NOT NULL
"""

_MARIADB_BLOCKERS = """
SELECT DISTINCT o.THREAD_ID, p.COMMAND, TIMESTAMPDIFF(SECOND, x.trx_started, NOW()), p.INFO
FROM information_schema.METADATA_LOCK_INFO AS me
JOIN information_schema.METADATA_LOCK_INFO AS o
  ON o.TABLE_SCHEMA = me.TABLE_SCHEMA AND o.TABLE_NAME = me.TABLE_NAME AND o.THREAD_ID <> me.THREAD_ID
LEFT JOIN information_schema.PROCESSLIST AS p ON p.ID = o.THREAD_ID
LEFT JOIN information_schema.INNODB_TRX AS x ON x.trx_mysql_thread_id = o.THREAD_ID
WHERE me.THREAD_ID = %s AND me.TABLE_NAME <> ''
"""

# Row locks (what DML waits for, innodb_lock_wait_timeout). MySQL 8: sys.innodb_lock_waits;
# MariaDB / MySQL 5.7: information_schema.INNODB_LOCK_WAITS.
_MYSQL8_ROW_WAITS = """
SELECT w.blocking_pid, p.COMMAND, TIMESTAMPDIFF(SECOND, x.trx_started, NOW()), p.INFO
FROM sys.innodb_lock_waits AS w
LEFT JOIN information_schema.PROCESSLIST AS p ON p.ID = w.blocking_pid
LEFT JOIN information_schema.INNODB_TRX AS x ON x.trx_mysql_thread_id = w.blocking_pid
WHERE w.waiting_pid = %s
"""

_INNODB_ROW_WAITS = """
SELECT b.trx_mysql_thread_id, p.COMMAND, TIMESTAMPDIFF(SECOND, b.trx_started, NOW()), p.INFO
FROM information_schema.INNODB_LOCK_WAITS AS w
JOIN information_schema.INNODB_TRX AS r ON r.trx_id = w.requesting_trx_id
JOIN information_schema.INNODB_TRX AS b ON b.trx_id = w.blocking_trx_id
LEFT JOIN information_schema.PROCESSLIST AS p ON p.ID = b.trx_mysql_thread_id
WHERE r.trx_mysql_thread_id = %s
"""

_MYSQL_OPEN = """
SELECT p.ID, p.COMMAND, TIMESTAMPDIFF(SECOND, x.trx_started, NOW()), p.INFO
FROM information_schema.INNODB_TRX AS x
JOIN information_schema.PROCESSLIST AS p ON p.ID = x.trx_mysql_thread_id
WHERE p.ID <> CONNECTION_ID() AND p.ID NOT IN ({ours}) AND (p.DB = DATABASE() OR p.DB IS NULL)
ORDER BY x.trx_started
LIMIT 3
"""


class Watcher:
    """A second connection that samples who blocks the migration's session while a statement runs."""

    def __init__(self, url: str, dialect: str):
        self.url, self.dialect = url, dialect
        self._conn = None
        self._use = threading.Lock()
        self._state = threading.Condition()
        self._target = None          # our session: PostgreSQL pid / MySQL connection id
        self._since = None           # when the statement in flight started
        self.last: list[tuple] = []  # last non-empty sample for the current attempt
        self._stop = False
        self._broken: set = set()
        self._thread = None
        self.ours: set = set()       # every session this run uses (never reported as blockers)
        self.seen: dict = {}         # blocker id -> (last row, attempts it blocked), per migration

    def start(self) -> None:
        if self.dialect == "sqlite":
            return
        self._thread = threading.Thread(target=self._loop, name="blockers", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        with self._state:
            self._stop = True
            self._state.notify_all()
        if self._thread is not None:
            self._thread.join(timeout=2)
        with self._use:
            if self._conn is not None:
                try:
                    self._conn.close()
                except Exception:
                    pass
                self._conn = None

    def attempt(self, target) -> None:
        """A new attempt on session `target` begins: forget the earlier samples."""
        with self._state:
            self._target, self.last = target, []
            if target is not None:
                self.ours.add(target)

    def statement(self, running: bool) -> None:
        with self._state:
            self._since = time.monotonic() if running else None
            self._state.notify_all()

    # --- sampling ---

    def _connection(self):
        if self._conn is None:
            from tools.errors import driver_connect

            self._conn = driver_connect(self.url, self.dialect)
            cur = self._conn.cursor()
            if self.dialect == "postgres":
                cur.execute("SELECT pg_backend_pid()")
            else:
                cur.execute("SELECT CONNECTION_ID()")
            self.ours.add(cur.fetchone()[0])
        return self._conn

    def _loop(self) -> None:
        while True:
            with self._state:
                while not self._stop and (self._since is None or self._target is None):
                    self._state.wait(0.5)
                if self._stop:
                    return
                target, since = self._target, self._since
            every = SAMPLE_EVERY_S[self.dialect]
            if time.monotonic() - since >= min(every, 0.05):
                try:
                    found = self.blockers(target)
                except Exception:  # sampling is best effort; the migration must not depend on it
                    found = []
                if found:
                    with self._state:
                        if self._target == target:
                            self.last = found
            time.sleep(every)

    def _rows(self, sql: str, params=()) -> list[tuple]:
        with self._use:
            cur = self._connection().cursor()
            cur.execute(sql, params)
            return [tuple(r) for r in cur.fetchall()]

    def blockers(self, target) -> list[tuple]:
        """Sessions blocking `target` right now (empty when it waits for nobody)."""
        if self.dialect == "postgres":
            return self._rows(_PG_BLOCKERS, (target,))
        # Metadata locks (what DDL waits for): MySQL 8's performance_schema, MariaDB's plugin table.
        for query in (_MYSQL8_BLOCKERS, _MARIADB_BLOCKERS, _MYSQL8_ROW_WAITS, _INNODB_ROW_WAITS):
            if query in self._broken:
                continue
            try:
                found = self._rows(query, (target,))
            except Exception:  # not this server family / version, or the plugin is not loaded
                self._broken.add(query)
                continue
            if found:
                return found
        # Neither table says it: while our statement waits for a metadata lock, its holders are among the
        # sessions with an open transaction.
        waiting = self._rows("SELECT STATE FROM information_schema.PROCESSLIST WHERE ID = %s", (target,))
        if waiting and "metadata lock" in str(waiting[0][0] or "").lower():
            return self.open_transactions()
        return []

    def open_transactions(self) -> list[tuple]:
        if self.dialect == "postgres":
            return self._rows(_PG_OPEN, (sorted(self.ours),))
        ours = ", ".join(str(int(s)) for s in self.ours) or "0"
        return self._rows(_MYSQL_OPEN.format(ours=ours))

    def fallback(self) -> str:
        """After a timeout with no sample: the oldest open transactions, labelled as a guess."""
        try:
            found = self.open_transactions()
        except Exception as exc:
            return f"(could not list sessions: {' '.join(str(exc).split())[:120]})"
        if not found:
            return "(no session seen: the blocker ended before it could be sampled)"
        self._remember(found)
        return "(not sampled in time; oldest open transactions now) " + describe(found, self.word)

    def report(self) -> str:
        """Who blocked the attempt that just failed, one line; remembered for the summary."""
        with self._state:
            last = list(self.last)
        if not last:
            return self.fallback()
        self._remember(last)
        return describe(last, self.word)

    def _remember(self, rows) -> None:
        for row in rows:
            _, count = self.seen.get(row[0], (None, 0))
            self.seen[row[0]] = (row, count + 1)

    def summary(self, attempts: int) -> str:
        """Every session that blocked an attempt of this migration, as last seen, with how often."""
        if not self.seen:
            return "no blocking session could be identified"
        parts = [f"{describe([row], self.word)} (in {count} of {attempts} attempts)"
                 for row, count in sorted(self.seen.values(), key=lambda rc: -rc[1])]
        return "; ".join(parts)

    @property
    def word(self) -> str:
        return "pid" if self.dialect == "postgres" else "connection"
