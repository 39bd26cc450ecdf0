"""The migrations on a 3-node MariaDB Galera cluster, through `make` and the yoyo CLI as an operator runs them.

Every check reads every node's own catalog (after the node has applied all that was committed) and
compares it with the committed snapshot schema/mysql.txt or with the catalog before the step, and every
test ends by reading the nodes' error logs: a replicated statement that failed to apply on a node is a
failure, apart from the known yoyo_lock probe (docs/clusters.md).
"""

import difflib
import os
import subprocess
from collections import Counter

from conftest import IDS, committed_schema, make_ok, yoyo
from failure import MISSING, before_folder, halfway, target
from tools.catalog import differences
from tools.migrations import ROOT, folder


def assert_every_node_has_the_committed_schema(db):
    expected = committed_schema("mysql")
    for node, text in enumerate(db.rendered(), 1):
        assert text == expected, f"node {node} differs from schema/mysql.txt:\n" + "".join(
            difflib.unified_diff(expected.splitlines(True), text.splitlines(True), "schema/mysql.txt", f"node {node}"))


def assert_every_node_equals(db, expected: dict, what: str):
    for node, snapshot in enumerate(db.catalogs(), 1):
        found = differences(expected, snapshot)
        assert not found, f"node {node} is not {what}:\n" + "\n".join(found[:10])


def test_apply_through_node_1_builds_the_committed_schema_on_every_node(galera_db, galera_logs):
    make_ok("migrate", galera_db.url(1))
    assert_every_node_has_the_committed_schema(galera_db)
    for node in (1, 2, 3):
        assert galera_db.recorded(node) == sorted(IDS), f"node {node} records other migrations"
    galera_logs.assert_no_apply_errors()


def test_rollback_through_node_2_takes_every_node_back(galera_db, galera_logs):
    """One step back, then all the way back, through node 2; then forward again through node 3."""
    empty = galera_db.catalogs()[0]
    done = yoyo("apply", galera_db.url(1), folder("mysql"),
                "--revision", IDS[-2])
    assert done.returncode == 0, done.stderr
    before_last = galera_db.catalogs()[0]
    make_ok("migrate", galera_db.url(1))

    make_ok("rollback", galera_db.url(2))
    assert_every_node_equals(galera_db, before_last, f"back at {IDS[-2]}")
    for node in (1, 2, 3):
        assert galera_db.recorded(node) == sorted(IDS[:-1])

    # DROP_BASELINE=1: rolling back the baseline is meant here (the runner refuses it otherwise).
    make_ok("rollback", galera_db.url(2), "ALL=1", "DROP_BASELINE=1")
    assert_every_node_equals(galera_db, empty, "empty again")
    for node in (1, 2, 3):
        assert galera_db.recorded(node) == []

    make_ok("migrate", galera_db.url(3))
    assert_every_node_has_the_committed_schema(galera_db)
    galera_logs.assert_no_apply_errors()


def test_a_failure_halfway_through_a_migration_leaves_every_node_at_the_previous_catalog(
        galera_db, galera_logs, tmp_path):
    migration_id, k = target("mysql")
    source = before_folder("mysql", migration_id, tmp_path / "mysql")
    done = yoyo("apply", galera_db.url(1), source)
    assert done.returncode == 0, done.stderr
    before = galera_db.catalogs()[0]

    failed = yoyo("apply", galera_db.url(1), halfway("mysql", migration_id, k, source))
    assert failed.returncode == 1 and MISSING in failed.stderr, \
        f"the planted failure at statement {k} of {migration_id} did not fail the run:\n{failed.stderr[-2000:]}"
    assert_every_node_equals(galera_db, before, f"at the catalog before {migration_id} (failure at statement {k})")
    for node in (1, 2, 3):
        assert migration_id not in galera_db.recorded(node), f"node {node} records the failed {migration_id}"

    make_ok("migrate", galera_db.url(1))
    assert_every_node_has_the_committed_schema(galera_db)
    # The planted statement itself is replicated (DDL runs in total order) and fails on every node.
    galera_logs.assert_no_apply_errors(allowed=MISSING)


def test_two_runs_started_together_through_two_nodes_apply_each_migration_once(galera_db, galera_logs):
    runs = [subprocess.Popen(["make", "-s", "migrate"], cwd=ROOT,
                             stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                             env={**os.environ, "DATABASE_URL": galera_db.url(node)})
            for node in (1, 3)]
    outputs = [run.communicate(timeout=300)[0] for run in runs]
    for node, run, out in zip((1, 3), runs, outputs):
        assert run.returncode == 0, f"make migrate through node {node} exited {run.returncode}:\n{out}"
    for node in (1, 2, 3):
        galera_db.cluster.sync()
        log = galera_db.rows(node, """SELECT "migration_id" FROM "_yoyo_log" WHERE "operation" = 'apply'""")
        applies = Counter(row[0] for row in log if row[0] in IDS)  # not the post-apply hook
        assert applies == Counter(IDS), f"node {node}: applies per migration {dict(applies)}"
    assert_every_node_has_the_committed_schema(galera_db)
    galera_logs.assert_no_apply_errors()
