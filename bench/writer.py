"""The application stand-in: a separate process doing small write transactions on one table.

Each write is one autocommit statement (a transaction of its own): three UPDATEs of a random existing
row's updatedAt, then one INSERT, and so on, with a short pause between writes. For every write the
process records when it started and when it returned, on CLOCK_MONOTONIC (`time.monotonic`), which is
the same clock in every process of the machine, so the parent can line the writes up with the
migration it timed. The loop is bounded: it stops when told, or after `max_seconds` at the latest.
"""

from __future__ import annotations

import math
import multiprocessing as mp
import random
import time
from dataclasses import dataclass

from bench.watch import session_id
from tools.servers import connect

# The column an INSERT fills, per table (every other column is nullable or has a default).
_INSERT_COLUMN = {"projects": "title", "profiles": "headline", "experience_launchpads": "title",
                  "feed_posts": "content"}
# Filled as well, with an existing user's id: NOT NULL once feed-engagement ran.
_USER_COLUMN = {"feed_posts": "userId"}


def _statements(dialect: str, table: str) -> tuple[str, str]:
    q = '"' if dialect == "postgres" else "`"
    now = "now()" if dialect == "postgres" else "NOW()"
    update = f"UPDATE {q}{table}{q} SET {q}updatedAt{q} = {now} WHERE {q}id{q} = %s"
    insert = f"INSERT INTO {q}{table}{q} ({q}{_INSERT_COLUMN[table]}{q}) VALUES (%s)"
    if table in _USER_COLUMN:
        insert = (f"INSERT INTO {q}{table}{q} ({q}{_INSERT_COLUMN[table]}{q}, {q}{_USER_COLUMN[table]}{q}) "
                  f"VALUES (%s, (SELECT MIN({q}id{q}) FROM {q}users{q}))")
    return update, insert


def _row_picker(cur, dialect: str, table: str, rows: int, rng: random.Random):
    """A function returning a random existing id: from 1..rows when every one of those exists (one
    server), else from the ids read from the table (a Galera cluster interleaves them: 1, 4, 7, ...)."""
    q = '"' if dialect == "postgres" else "`"
    cur.execute(f"SELECT COUNT(*) FROM {q}{table}{q} WHERE {q}id{q} BETWEEN 1 AND %s", (rows,))
    if cur.fetchone()[0] == rows:
        return lambda: rng.randint(1, rows)
    cur.execute(f"SELECT {q}id{q} FROM {q}{table}{q}")
    ids = [row[0] for row in cur.fetchall()]
    return lambda: rng.choice(ids)


def _run(url, dialect, table, rows, pause, max_seconds, stop, results):
    update, insert = _statements(dialect, table)
    rng = random.Random(20240901)
    writes, errors = [], []
    with connect(url, autocommit=True) as conn:
        cur = conn.cursor()
        pick = _row_picker(cur, dialect, table, rows, rng)
        results.send(session_id(cur, dialect))  # ready; the server's id of this session, for LockWatch
        deadline = time.monotonic() + max_seconds
        i = 0
        while not stop.is_set() and time.monotonic() < deadline:
            i += 1
            kind = "insert" if i % 4 == 0 else "update"
            sql, args = (insert, (f"bench write {i}",)) if kind == "insert" else (update, (pick(),))
            started = time.monotonic()
            try:
                cur.execute(sql, args)
                writes.append((started, time.monotonic()))
            except Exception as exc:  # a failed write is reported, never counted as completed
                errors.append((started, time.monotonic(), f"{type(exc).__name__}: {exc}"[:200]))
            time.sleep(pause)
    results.send((writes, errors))
    results.close()


@dataclass
class Writes:
    writes: list[tuple[float, float]]  # (start, end) of every completed write, monotonic seconds
    errors: list[tuple[float, float, str]]


class Writer:
    """Start the writer process, let it run while something else happens, collect what it recorded."""

    def __init__(self, url: str, dialect: str, table: str, rows: int, pause: float = 0.002,
                 max_seconds: float = 900):
        ctx = mp.get_context("spawn")  # a clean interpreter: no driver state inherited from the parent
        self._stop = ctx.Event()
        self._recv, send = ctx.Pipe(duplex=False)
        self._proc = ctx.Process(target=_run, name=f"writer-{table}", daemon=True,
                                 args=(url, dialect, table, rows, pause, max_seconds,
                                       self._stop, send))
        self.session: int | None = None

    def __enter__(self) -> "Writer":
        self._proc.start()
        if not self._recv.poll(60):
            self._proc.kill()
            raise RuntimeError("the writer process did not connect within 60 s")
        self.session = self._recv.recv()
        return self

    def stop(self) -> Writes:
        self._stop.set()
        writes, errors = self._recv.recv()
        self._proc.join(30)
        return Writes(writes, errors)

    def __exit__(self, *exc) -> None:
        if self._proc.is_alive():
            self._stop.set()
            self._proc.join(30)
            if self._proc.is_alive():
                self._proc.kill()


def summarize(w: Writes, start: float, end: float) -> dict:
    """What the writer saw during the migration window [start, end].

    A write counts when its [start, end] overlaps the window. The longest gap is the longest time
    between two consecutive completed writes where that interval overlaps the window: a write blocked
    from inside the migration until after it ends counts in full.
    """
    during = [(s, e) for s, e in w.writes if s < end and e > start]
    latencies = sorted(e - s for s, e in during)
    slowest = max(during, key=lambda se: se[1] - se[0], default=None)
    done = sorted(e for _, e in w.writes)
    gap, gap_at = 0.0, None
    for a, b in zip(done, done[1:]):
        if a < end and b > start and b - a > gap:
            gap, gap_at = b - a, a
    errors = [msg for s, e, msg in w.errors if s < end and e > start]
    # The same measure over the lead-in, before the migration started: the machine's own noise.
    before = [e for e in done if e < start]
    idle_gap = max((b - a for a, b in zip(before, before[1:])), default=0.0)

    def ms(x):
        return round(1000 * x, 1)

    return {
        "writes": len(during),
        "failed_writes": len(errors),
        "errors": sorted(set(errors))[:5],
        "max_ms": ms(latencies[-1]) if latencies else None,
        "p99_ms": ms(latencies[math.ceil(0.99 * len(latencies)) - 1]) if latencies else None,  # nearest rank
        "median_ms": ms(latencies[len(latencies) // 2]) if latencies else None,
        "longest_gap_ms": ms(gap),
        "longest_gap_from_s": round(gap_at - start, 3) if gap_at is not None else None,
        "longest_gap_before_ms": ms(idle_gap),
        "slowest_write_from_s": round(slowest[0] - start, 3) if slowest else None,
    }
