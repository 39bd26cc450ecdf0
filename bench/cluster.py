"""make bench CLUSTER=1: the single-server benchmark's measurement on a 3-node Galera cluster.

    python -m bench.cluster [--rows 100000] [--only add-project-owner] [--out bench-results/cluster]

The same steps as `python -m bench` (bench/__main__.py, whose `measure` and report it uses), with one
difference that is the point: the migration runs through node 1 while the writer works on node 2, so
what the writer sees is what Total Order Isolation costs the rest of the cluster. For comparison, the
same run on a single MariaDB server (bench/__main__.run_dialect) comes first, at the same --rows, on
the same machine; --no-single leaves it out.
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
from pathlib import Path

from bench.__main__ import (STEPS, apply_before, measure, naive_folder, new_results, parse, run_and_report,
                            run_dialect)
from bench.populate import populate, table_sizes
from tools import catalog, cluster, migrations

# Per node; three nodes share the machine, so a quarter of the single server's buffer pool each.
SETTINGS = {"innodb_buffer_pool_size": "512M", "innodb_log_file_size": "512M"}
LABEL = "Galera 3 nodes"  # the report's server column; the versions are in "provider"


def run_galera(rows: int, pause: float, only: list[str]) -> dict:
    out = {"dialect": "mysql", "rows": rows, "settings": SETTINGS, "migrations": [],
           "topology": "migration through node 1, writer on node 2"}
    print("\n== Galera: starting a 3-node cluster", file=sys.stderr)
    galera = cluster.galera(settings=SETTINGS)
    try:
        out.update(server=LABEL, provider=galera.version + ", 3 local nodes", load_average=os.getloadavg())
        print(f"   {galera.version}", file=sys.stderr)
        name = galera.create_database()
        node1, node2 = galera.urls(name)[:2]
        apply_before(node1, "mysql", STEPS[0][0])
        print(f"   populating {rows:,} rows per table through node 1", file=sys.stderr)
        out["populate_s"] = populate(node1, "mysql", rows)
        galera.sync()
        out["table_bytes"] = table_sizes(node2, "mysql")
        for migration_id, table in STEPS:
            if only and not any(o in migration_id for o in only):
                migrations.apply(node1, "mysql", through=migration_id)
                continue
            apply_before(node1, "mysql", migration_id)
            step = {"id": migration_id, "table": table}
            out["migrations"].append(step)
            print(f"   {migration_id}: online", file=sys.stderr)
            galera.sync()
            step["online"] = measure(node1, "mysql", migration_id, table, rows, pause, None, writer_url=node2)
            online_schema = catalog.snapshot(node1)
            started = time.monotonic()
            migrations.rollback(node1, "mysql", to=migration_id)
            step["rollback_s"] = round(time.monotonic() - started, 3)
            print(f"   {migration_id}: naive", file=sys.stderr)
            galera.sync()
            with tempfile.TemporaryDirectory(prefix="bench-naive-") as scratch:
                path = naive_folder("mysql", migration_id, Path(scratch))
                step["naive"] = measure(node1, "mysql", migration_id, table, rows, pause, path, writer_url=node2)
            galera.sync()
            step["schema_differences"] = catalog.differences(online_schema, catalog.snapshot(node2))
            if step["schema_differences"]:
                print(f"   !! the naive form built a different schema: {step['schema_differences'][:3]}",
                      file=sys.stderr)
        out["apply_errors"] = [f"node {i + 1}: {line}" for i in range(3)
                               for line in cluster.apply_errors(galera.log_text(i))]
    finally:
        galera.stop()
    return out


def main(argv: list[str]) -> int:
    def no_single(parser):
        parser.add_argument("--no-single", action="store_true", help="skip the single-server run for comparison")

    args = parse("python -m bench.cluster", __doc__, argv, 100_000, "bench-results/cluster", no_single)
    results = new_results(args)
    runs = [("galera", lambda: run_galera(args.rows, args.pause_ms / 1000, args.only))]
    if not args.no_single:
        runs.insert(0, ("mysql", lambda: run_dialect("mysql", args.rows, args.pause_ms / 1000, args.only,
                                                     args.hold_s)))
    failed = run_and_report(results, runs, args.out)
    for d in results["dialects"]:
        for line in d.get("apply_errors", []):
            print(f"  replication apply error (not the known yoyo_lock probe): {line}")
            failed = True
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
