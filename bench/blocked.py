"""The blocked case: a long transaction holds a read on the table while `make migrate` applies the migration.

A second session runs `BEGIN; SELECT * FROM <table> LIMIT 1;` and keeps that transaction open for
`hold` seconds (default 6), the way a report or a session idle in transaction does. Its read lock
(PostgreSQL ACCESS SHARE, MySQL shared metadata lock) conflicts with the migration's ALTER TABLE, so the
ALTER waits, and every write that arrives after it queues behind it. Meanwhile the writer of
bench/writer.py keeps writing to the table, and `python -m tools.run apply --revision <id>` (what
`make migrate` runs, limited to this one migration) applies the migration in a subprocess.

Reported per migration: the writer's longest stall while the command ran; the number of attempts,
counted from the runner's stderr lines `<id>: lock wait timed out (attempt N of M)` (one per failed
attempt; attempts = lines + 1 when the command succeeds, the number of lines and at least 1 when it
fails); the time from the blocker's COMMIT to the command's successful end; the exit code; and the
final state: the migration is recorded in yoyo's table if and only if the catalog equals the one a clean
apply built, and when unrecorded the catalog equals the one before (anything else is "HALF-APPLIED").
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import threading
import time

from bench.watch import LockWatch, session_id
from bench.writer import Writer, summarize
from tools import catalog, migrations
from tools.migrations import ROOT, mask
from tools.servers import connect

HOLD_S = 6.0
LEAD, TAIL = 0.5, 0.5


class Blocker:
    """A session holding `BEGIN; SELECT * FROM <table> LIMIT 1;` open for `hold` seconds, then COMMIT."""

    def __init__(self, url: str, dialect: str, table: str, hold: float):
        self.url, self.dialect, self.table, self.hold = url, dialect, table, hold
        self.began: float | None = None  # monotonic, when its SELECT returned (the lock is held from then)
        self.ended: float | None = None  # monotonic, when its COMMIT returned (the lock is released)
        self.session: int | None = None
        self.error: str | None = None
        self._ready = threading.Event()
        self._thread = threading.Thread(target=self._run, name="blocker", daemon=True)

    def _run(self):
        try:
            q = '"' if self.dialect == "postgres" else "`"
            with connect(self.url, autocommit=True) as conn:
                cur = conn.cursor()
                self.session = session_id(cur, self.dialect)
                cur.execute("BEGIN")
                cur.execute(f"SELECT * FROM {q}{self.table}{q} LIMIT 1")
                cur.fetchall()
                self.began = time.monotonic()
                self._ready.set()
                time.sleep(self.hold)
                cur.execute("COMMIT")
                self.ended = time.monotonic()
        except Exception as exc:  # reported with the result; the benchmark goes on
            self.error = f"{type(exc).__name__}: {exc}"[:200]
            self._ready.set()

    def __enter__(self) -> "Blocker":
        self._thread.start()
        if not self._ready.wait(60) or self.error:
            raise RuntimeError(f"the blocking session did not start: {self.error or 'no answer in 60 s'}")
        return self

    def __exit__(self, *exc) -> None:
        self._thread.join(self.hold + 60)


def attempt_lines(migration_id: str, stderr: str) -> list[tuple[int, int]]:
    """(N, M) of every `<id>: lock wait timed out (attempt N of M)` line the runner printed."""
    pattern = re.compile(rf"^{re.escape(migration_id)}: lock wait timed out \(attempt (\d+) of (\d+)\)")
    return [(int(m.group(1)), int(m.group(2))) for m in map(pattern.match, stderr.splitlines()) if m]


def _masked(text: str) -> str:
    return re.sub(r"\S+://\S+", lambda m: mask(m.group(0)), text)


def final_state(url: str, migration_id: str, before: dict, after: dict) -> dict:
    """Whether the migration is recorded, and whether the catalog is the complete one or the one before."""
    recorded = migration_id in migrations.applied(url)
    now = catalog.snapshot(url)

    def diff(expected):  # sequence positions move with the writer's INSERTs: not schema
        return [d for d in catalog.differences(expected, now) if not d.split(":")[0].endswith(".last_value")]

    to_after, to_before = diff(after), diff(before)
    if recorded and not to_after:
        state = "applied, catalog complete"
    elif not recorded and not to_before:
        state = "not applied, catalog as before"
    elif recorded:
        state = "HALF-APPLIED: recorded, but the catalog is not the complete one"
    elif not to_after:
        state = "HALF-APPLIED: the catalog is complete, but the migration is not recorded"
    else:
        state = "HALF-APPLIED: not recorded, and the catalog equals neither the complete one nor the one before"
    return {"recorded": recorded, "final_state": state, "ok": not state.startswith("HALF"),
            "differences": (to_after if recorded else to_before)[:5]}


def measure_blocked(url: str, dialect: str, migration_id: str, table: str, rows: int, pause: float,
                    hold: float, before: dict, after: dict) -> dict:
    """Run `tools.run apply` for one migration while a session holds a read on `table` for `hold` s."""
    env = {**os.environ, "DATABASE_URL": url}
    env.pop("VERBOSE", None)
    cmd = [sys.executable, "-m", "tools.run", "apply", "--revision", migration_id]
    with Writer(url, dialect, table, rows, pause=pause) as writer:
        try:
            time.sleep(LEAD)
            with Blocker(url, dialect, table, hold) as blocker:
                with LockWatch(url, dialect, writer.session) as watch:
                    start = time.monotonic()
                    done = subprocess.run(cmd, cwd=ROOT, env=env, capture_output=True, text=True,
                                          timeout=hold + 600)
                    end = time.monotonic()
        finally:
            time.sleep(TAIL)
            seen = writer.stop()
    lines = attempt_lines(migration_id, done.stderr)
    succeeded = done.returncode == 0
    result = {
        "command": "python -m tools.run apply --revision " + migration_id,
        "hold_s": hold, "exit_code": done.returncode, "succeeded": succeeded,
        "attempts": len(lines) + 1 if succeeded else max(1, len(lines)),
        "attempts_allowed": lines[-1][1] if lines else None,
        "timed_out_lines": len(lines),
        "wall_s": round(end - start, 3),
        "blocker_began_s": round(blocker.began - start, 3),
        "blocker_ended_s": round(blocker.ended - start, 3) if blocker.ended else None,
        # From the blocker's COMMIT to the command's successful end (None when it failed).
        "after_blocker_s": round(end - blocker.ended, 3) if succeeded and blocker.ended else None,
        "blocker_error": blocker.error,
        "stderr_tail": [_masked(line)[:300] for line in done.stderr.strip().splitlines()[-8:]],
        **summarize(seen, start, end),
        "writer_lock_waits": watch.summary(start),
    }
    result.update(final_state(url, migration_id, before, after))
    result["samples"] = [[round(s - start, 4), round(1000 * (e - s), 2)] for s, e in seen.writes]
    result["failed_samples"] = [[round(s - start, 4), round(1000 * (e - s), 2)] for s, e, _ in seen.errors]
    return result
