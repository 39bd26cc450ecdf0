"""make bench: how long writers stall while the four online migrations run, against their naive forms.

    python -m bench [--rows 1000000] [--dialects postgres mysql] [--only add-project-owner] [--out bench-results]

Per dialect (PostgreSQL, then the MySQL family), on a server from tools.servers.provide:
  1. migrate a fresh database to the state before feed-engagement and fill feed_posts,
     experience_launchpads, projects and profiles with --rows rows each (bench/populate.py);
  2. for each of feed-engagement, launchpad-workflows, add-project-owner, profile-engagement-metrics, in
     order, after applying the migrations before it (trust-payments, before launchpad-workflows):
     a. start a writer process on the table the migration alters (bench/writer.py), let it run 0.5 s,
        apply the real migration file with yoyo (tools.migrations.apply), let it run 0.5 s more, stop it;
     b. roll the migration back with its real rollback file;
     c. the same as (a) with the naive form from bench/naive/<dialect>/<id>.sql, applied by yoyo from
        a scratch copy of the dialect folder in which that one file is replaced;
     d. check that both forms built the same schema (tools.catalog);
     e. the blocked case (bench/blocked.py), unless --hold-s 0: roll back, then, while a session holds
        `BEGIN; SELECT * FROM <table> LIMIT 1;` open for --hold-s seconds (default 6), apply the real file
        with `python -m tools.run apply --revision <id>` (what `make migrate` runs) as the writer works;
        check the final state, and apply the migration if the command did not, which leaves the
        database at the state before the next migration.
Output: a table on the terminal, <out>/results.json and <out>/writer-latency.png (bench/report.py).
"""

from __future__ import annotations

import argparse
import contextlib
import os
import shutil
import sys
import tempfile
import time
import warnings
from datetime import datetime, timezone
from pathlib import Path

from bench import report
from bench.blocked import HOLD_S, measure_blocked
from bench.populate import populate, table_sizes
from bench.watch import LockWatch
from bench.writer import Writer, summarize
from tools import catalog, migrations
from tools.errors import root_error
from tools.servers import provide

NAIVE = Path(__file__).resolve().parent / "naive"
STEPS = (  # migration id, the existing table it alters
    ("20240801090000-feed-engagement", "feed_posts"),
    ("20240826094500-launchpad-workflows", "experience_launchpads"),
    ("20240901120000-add-project-owner", "projects"),
    ("20240915094500-profile-engagement-metrics", "profiles"),
)
TARGET_MS = 25  # issue 10: the writer's longest stall during every online migration, no blocker
# Issue 10, blocked case: the writer's longest stall per server, and the migration applied this soon
# after the blocker's transaction ends.
BLOCKED_TARGET_MS = {"postgres": 200, "mysql": 1100}
BLOCKED_AFTER_TARGET_S = 3
LEAD, TAIL = 0.5, 0.5  # seconds the writer runs before the migration starts and after it ends

# Server settings for a few GB of data on a small machine; durability is already off (tools/servers.py).
SETTINGS = {
    "postgres": {"shared_buffers": "1GB", "maintenance_work_mem": "256MB", "max_wal_size": "8GB",
                 "checkpoint_timeout": "30min"},
    "mysql": {"innodb-buffer-pool-size": "2G", "innodb-log-file-size": "1G"},
}


@contextlib.contextmanager
def statement_log():
    """Record when yoyo starts and finishes each statement (to name the one a stall falls in)."""
    from yoyo.migrations import MigrationStep

    original, log = MigrationStep._execute, []

    def timed(self, cursor, stmt, out=None):
        started = time.monotonic()
        try:
            return original(self, cursor, stmt, out)
        finally:
            log.append((started, time.monotonic(), stmt))

    MigrationStep._execute = timed
    try:
        yield log
    finally:
        MigrationStep._execute = original


def label(stmt: str) -> str:
    """The statement without its comments, whitespace squeezed and cut at 90 characters."""
    code = " ".join(line for line in stmt.splitlines() if not line.lstrip().startswith("--"))
    code = " ".join(code.split())
    return code if len(code) <= 90 else code[:87] + "..."


def apply_before(url: str, dialect: str, migration_id: str) -> None:
    """Apply every migration before `migration_id`, so that its measurement times it alone."""
    ids = migrations.migration_ids(dialect)
    migrations.apply(url, dialect, through=ids[ids.index(migration_id) - 1])


def naive_folder(dialect: str, migration_id: str, into: Path) -> Path:
    """A copy of migrations/<dialect> in which <migration_id>.sql is the naive form."""
    target = into / dialect
    shutil.copytree(migrations.folder(dialect), target)
    shutil.copyfile(NAIVE / dialect / f"{migration_id}.sql", target / f"{migration_id}.sql")
    return target


def measure(url: str, dialect: str, migration_id: str, table: str, rows: int, pause: float,
            path: Path | None, writer_url: str | None = None) -> dict:
    """Apply one migration while the writer works on `table`; what the writer saw, and when.
    `writer_url`: where the writer (and the lock watch) connect, when not `url` (another cluster node).
    A migration the server fails is reported as "apply_error" (its real error), then applied without the
    writer, so the run goes on from the state after it."""
    error = None
    with Writer(writer_url or url, dialect, table, rows, pause=pause) as writer, statement_log() as log:
        time.sleep(LEAD)
        try:
            with LockWatch(writer_url or url, dialect, writer.session) as watch:
                start = time.monotonic()
                try:
                    migrations.apply(url, dialect, through=migration_id, path=path)
                except migrations.database_errors() as exc:
                    real = root_error(exc)
                    error = migrations.mask_in(f"{type(real).__name__}: {real}", url)[:300]
                finally:
                    end = time.monotonic()
        finally:
            time.sleep(TAIL)
            seen = writer.stop()
    if error:
        print(f"   !! {migration_id} failed while the writer worked: {error}; applying it again, without the writer",
              file=sys.stderr)
        migrations.apply(url, dialect, through=migration_id, path=path)
    result = {"wall_s": round(end - start, 3), **summarize(seen, start, end),
              "writer_lock_waits": watch.summary(start), "apply_error": error}
    result["statements"] = [{"from_s": round(s - start, 4), "ms": round(1000 * (e - s), 1), "sql": label(q)}
                            for s, e, q in log]
    if result["longest_gap_from_s"] is not None:
        g0 = start + result["longest_gap_from_s"]
        g1 = g0 + result["longest_gap_ms"] / 1000
        inside = [(s, e, label(q)) for s, e, q in log if s < g1 and e > g0]
        if not inside:
            during = "no migration statement running (yoyo's own work, or the machine)"
        elif len(inside) == 1:
            during = inside[0][2]
        else:
            during = f"{len(inside)} statements, from {inside[0][2]} to {inside[-1][2]}"
        result["longest_gap_during"] = during
        result["longest_gap_lock_polls"] = watch.between(g0, g1)
    if result["slowest_write_from_s"] is not None:
        w0 = start + result["slowest_write_from_s"]
        result["slowest_write_lock_polls"] = watch.between(w0, w0 + result["max_ms"] / 1000)
    result["samples"] = [[round(s - start, 4), round(1000 * (e - s), 2)] for s, e in seen.writes]
    result["failed_samples"] = [[round(s - start, 4), round(1000 * (e - s), 2)] for s, e, _ in seen.errors]
    return result


def run_dialect(dialect: str, rows: int, pause: float, only: list[str], hold: float = HOLD_S) -> dict:
    out = {"dialect": dialect, "rows": rows, "settings": SETTINGS[dialect], "migrations": []}
    print(f"\n== {dialect}: starting a server", file=sys.stderr)
    server = provide(dialect, settings=SETTINGS[dialect])
    url = None
    try:
        out.update(server=server.version, provider=server.provider, load_average=os.getloadavg())
        if os.environ.get(f"TEST_{'POSTGRES' if dialect == 'postgres' else 'MYSQL'}_URL"):
            print(f"   {server.provider}: server settings were not applied", file=sys.stderr)
        print(f"   {server.version}, {server.provider}", file=sys.stderr)
        url = server.create_database(f"bench_{int(time.time())}")
        apply_before(url, dialect, STEPS[0][0])
        print(f"   populating {rows:,} rows per table", file=sys.stderr)
        out["populate_s"] = populate(url, dialect, rows)
        out["table_bytes"] = table_sizes(url, dialect)
        for migration_id, table in STEPS:
            if only and not any(o in migration_id for o in only):
                migrations.apply(url, dialect, through=migration_id)
                continue
            apply_before(url, dialect, migration_id)
            step = {"id": migration_id, "table": table}
            out["migrations"].append(step)
            print(f"   {migration_id}: online", file=sys.stderr)
            step["online"] = measure(url, dialect, migration_id, table, rows, pause, None)
            online_schema = catalog.snapshot(url)
            started = time.monotonic()
            migrations.rollback(url, dialect, to=migration_id)
            step["rollback_s"] = round(time.monotonic() - started, 3)
            print(f"   {migration_id}: naive", file=sys.stderr)
            with tempfile.TemporaryDirectory(prefix="bench-naive-") as scratch:
                path = naive_folder(dialect, migration_id, Path(scratch))
                step["naive"] = measure(url, dialect, migration_id, table, rows, pause, path)
            # Sequence positions differ by the writer's INSERTs: not schema.
            step["schema_differences"] = [d for d in catalog.differences(online_schema, catalog.snapshot(url))
                                          if not d.split(":")[0].endswith(".last_value")]
            if step["schema_differences"]:
                print(f"   !! the naive form built a different schema: {step['schema_differences'][:3]}",
                      file=sys.stderr)
            if hold > 0:
                print(f"   {migration_id}: blocked ({hold:g} s read on {table}, then make migrate's command)",
                      file=sys.stderr)
                migrations.rollback(url, dialect, to=migration_id)
                before = catalog.snapshot(url)
                try:
                    step["blocked"] = measure_blocked(url, dialect, migration_id, table, rows, pause, hold,
                                                      before, online_schema)
                except Exception as exc:  # reported in the table; the other migrations are still measured
                    step["blocked"] = {"error": f"{type(exc).__name__}: {exc}"[:300]}
                    print(f"   !! blocked case: {step['blocked']['error']}", file=sys.stderr)
                if migration_id not in migrations.applied(url):
                    migrations.apply(url, dialect, through=migration_id)
    finally:
        if url:
            server.drop_database(url)
        server.stop()
    return out


def parse(prog: str, doc: str, argv: list[str], rows: int, out: str, extra=None) -> argparse.Namespace:
    """The options every benchmark takes (rows, only, pause, blocked-case hold, out); `extra` adds its own."""
    parser = argparse.ArgumentParser(prog=prog, description=doc.split("\n")[0])
    parser.add_argument("--rows", type=int, default=rows, help=f"rows per table (default {rows:,})")
    parser.add_argument("--only", nargs="*", default=[], help="measure only migrations whose id contains this")
    parser.add_argument("--pause-ms", type=float, default=2.0, help="the writer's pause between writes")
    parser.add_argument("--hold-s", type=float, default=HOLD_S,
                        help=f"blocked case: how long the blocking read stays open (default {HOLD_S:g}; 0 skips it)")
    parser.add_argument("--out", type=Path, default=Path(out))
    if extra:
        extra(parser)
    args = parser.parse_args(argv)
    if args.rows < 1000:
        parser.error("--rows must be at least 1000")
    # yoyo 9.0.0 passes db=/passwd= to PyMySQL, which warns about them.
    warnings.filterwarnings("ignore", "'(db|passwd)' is deprecated", DeprecationWarning)
    return args


def new_results(args: argparse.Namespace) -> dict:
    """The head of results.json: when, how many rows, the targets, the machine; runs fill "dialects"."""
    return {"date": datetime.now(timezone.utc).isoformat(timespec="seconds"), "rows": args.rows,
            "target_ms": TARGET_MS, "blocked_target_ms": BLOCKED_TARGET_MS,
            "blocked_after_target_s": BLOCKED_AFTER_TARGET_S, "hold_s": args.hold_s,
            "writer_pause_ms": args.pause_ms, "machine": report.machine(), "dialects": []}


def main(argv: list[str]) -> int:
    def dialects(parser):
        parser.add_argument("--dialects", nargs="+", default=["postgres", "mysql"], choices=["postgres", "mysql"])

    args = parse("python -m bench", __doc__, argv, 1_000_000, "bench-results", dialects)
    runs = [(dialect, lambda d=dialect: run_dialect(d, args.rows, args.pause_ms / 1000, args.only, args.hold_s))
            for dialect in args.dialects]
    return 1 if run_and_report(new_results(args), runs, args.out) else 0


def run_and_report(results: dict, runs: list, out: Path) -> bool:
    """Run each (name, run) in turn into results["dialects"], then write results.json, the plot and the
    table under out. A run that raises is reported and recorded, not fatal. Returns whether one failed."""
    started = time.monotonic()
    failed = False
    for name, run in runs:
        try:
            results["dialects"].append(run())
        except Exception as exc:
            failed = True
            print(f"!! {name}: {type(exc).__name__}: {exc}", file=sys.stderr)
            results["dialects"].append({"dialect": name, "error": f"{type(exc).__name__}: {exc}"})
    results["total_s"] = round(time.monotonic() - started, 1)
    out.mkdir(parents=True, exist_ok=True)
    report.write_json(results, out / "results.json")
    report.plot(results, out / "writer-latency.png")
    report.print_table(results)
    print(f"\nwrote {out / 'results.json'} and {out / 'writer-latency.png'} "
          f"({results['total_s']:.0f} s in all)")
    return failed


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
