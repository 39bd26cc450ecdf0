"""How the cluster suite (`make test-cluster`) gets its clusters, and what its tests share.

* `galera` — a 3-node MariaDB Galera cluster, `standby` — a PostgreSQL primary with a streaming hot
  standby: each started once per run from local binaries on free loopback ports (tools/cluster.py),
  on first use, and stopped at the end. A cluster that cannot start fails every test that needs it with
  the reason and the nodes' log tails; nothing is ever skipped.
* `galera_db` / `standby_db` — a fresh database created through node 1 / the primary (so on every node),
  dropped afterwards.
* Everything runs through what an operator runs: `DATABASE_URL=... make migrate | rollback | status`,
  or the `yoyo` CLI where a scratch copy of a migration folder is needed.

This directory is not collected by the main suite (`norecursedirs` in pyproject.toml); `make test-cluster`
names it explicitly.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

from tools import cluster as clusters
from tools import model, schema
from tools.migrations import ROOT, mask, migration_ids, yoyo_url

YOYO = str(Path(sys.executable).with_name("yoyo"))
IDS = migration_ids("postgres")


class Clusters:
    def __init__(self):
        self.running, self.failed = {}, {}

    def get(self, kind: str) -> clusters.Cluster:
        if kind in self.failed:
            pytest.fail(f"the {kind} cluster could not start (see the first test that asked for it):\n"
                        f"{self.failed[kind][:500]}", pytrace=False)
        if kind not in self.running:
            try:
                self.running[kind] = clusters.galera() if kind == "galera" else clusters.standby()
            except Exception as exc:
                self.failed[kind] = f"{type(exc).__name__}: {exc}"
                pytest.fail(f"the {kind} cluster could not start: {self.failed[kind]}", pytrace=False)
        return self.running[kind]

    def stop(self):
        for c in self.running.values():
            c.stop()


_CLUSTERS = Clusters()


def pytest_unconfigure(config):
    _CLUSTERS.stop()


def pytest_terminal_summary(terminalreporter):
    terminalreporter.section("clusters")
    for kind in ("galera", "standby"):
        if kind in _CLUSTERS.running:
            c = _CLUSTERS.running[kind]
            terminalreporter.write_line(f"{kind:<8} {c.version}, {len(c.nodes)} nodes from local binaries")
        elif kind in _CLUSTERS.failed:
            terminalreporter.write_line(f"{kind:<8} COULD NOT START: {_CLUSTERS.failed[kind][:300]}")


@dataclass
class ClusterDatabase:
    """One database, present on every node of a cluster."""

    cluster: clusters.Cluster
    name: str
    dialect: str

    @property
    def urls(self) -> list[str]:
        return self.cluster.urls(self.name)

    def url(self, node: int) -> str:
        """The database's URL on node `node` (1-based, as an operator counts them)."""
        return self.urls[node - 1]

    def catalogs(self) -> list[dict]:
        """Every node's catalog (tools.catalog), read once each node has applied all that was committed."""
        from tools import catalog

        self.cluster.sync()
        return [catalog.snapshot(u) for u in self.urls]

    def rendered(self) -> list[str]:
        """Every node's schema, rendered the way schema/<dialect>.txt is (tools.schema)."""
        self.cluster.sync()
        return [schema.render(model.build(u), self.dialect) for u in self.urls]

    def rows(self, node: int, sql: str) -> list[tuple]:
        from tools.servers import connect

        with connect(self.url(node), autocommit=True) as conn:
            cur = conn.cursor()
            cur.execute(sql.replace('"', "`") if self.dialect == "mysql" else sql)
            return [tuple(r) for r in cur.fetchall()]

    def recorded(self, node: int) -> list[str]:
        self.cluster.sync()
        return sorted(r[0] for r in self.rows(node, 'SELECT "migration_id" FROM "_yoyo_migration"'))


def committed_schema(dialect: str) -> str:
    return (schema.SNAPSHOTS / f"{dialect}.txt").read_text()


def make(target: str, url: str, *args: str, timeout: float = 300) -> subprocess.CompletedProcess:
    """`DATABASE_URL=<url> make -s <target> [VAR=value ...]` from the repository root, without VERBOSE (the
    operator's default output). On timeout the whole
    process group (make, and the yoyo it started) is killed and TimeoutError raised with the output so far."""
    run = subprocess.Popen(["make", "-s", target, *args], cwd=ROOT, stdout=subprocess.PIPE,
                           stderr=subprocess.PIPE, text=True, start_new_session=True,
                           env={**{k: v for k, v in os.environ.items() if k != "VERBOSE"}, "DATABASE_URL": url})
    try:
        out, err = run.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        os.killpg(run.pid, signal.SIGKILL)
        out, err = run.communicate()
        raise TimeoutError(f"make {target} still running after {timeout} s; output so far:\n{out}{err}") from None
    return subprocess.CompletedProcess(run.args, run.returncode, out, err)


def make_ok(target: str, url: str, *args: str) -> subprocess.CompletedProcess:
    done = make(target, url, *args)
    assert done.returncode == 0, f"make {target} on {mask(url)} exited {done.returncode}:\n{done.stdout}{done.stderr}"
    return done


def yoyo(command: str, url: str, source: Path, *options: str) -> subprocess.CompletedProcess:
    return subprocess.run([YOYO, command, "--batch", "--no-config-file", *options, "-d", yoyo_url(url),
                           str(source)], cwd=ROOT, capture_output=True, text=True, timeout=300)


class LogWatch:
    """The part of every Galera node's error log written since the watch started."""

    def __init__(self, cluster: clusters.Cluster):
        self.cluster = cluster
        self.offsets = [len(cluster.log_text(i)) for i in range(len(cluster.nodes))]

    def new_lines(self, node: int) -> str:
        return self.cluster.log_text(node)[self.offsets[node]:]

    def assert_no_apply_errors(self, allowed: str | None = None) -> None:
        """No node logged a replicated statement failing to apply, apart from the known yoyo_lock probe
        (and lines naming `allowed`, the test's own injected failure)."""
        self.cluster.sync()
        found = [f"node {i + 1}: {line}" for i in range(len(self.cluster.nodes))
                 for line in clusters.apply_errors(self.new_lines(i)) if not (allowed and allowed in line)]
        assert not found, "replication apply errors in the nodes' error logs:\n" + "\n".join(found[:20])


# --- fixtures -------------------------------------------------------------------------------------

@pytest.fixture(scope="session")
def galera() -> clusters.Cluster:
    return _CLUSTERS.get("galera")


@pytest.fixture(scope="session")
def standby() -> clusters.Cluster:
    return _CLUSTERS.get("standby")


def _database(c: clusters.Cluster, dialect: str):
    db = ClusterDatabase(c, c.create_database(), dialect)
    try:
        yield db
    finally:
        c.drop_database(db.name)


@pytest.fixture
def galera_db(galera):
    yield from _database(galera, "mysql")


@pytest.fixture
def standby_db(standby):
    yield from _database(standby, "postgres")


@pytest.fixture
def galera_logs(galera) -> LogWatch:
    return LogWatch(galera)
