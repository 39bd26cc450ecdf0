"""Replicated clusters from local binaries, for `make test-cluster` and `make bench CLUSTER=1`.

    galera()     a 3-node MariaDB Galera cluster (Debian's galera-4 provider, rsync state transfer)
    standby()    a PostgreSQL primary with one streaming hot standby (pg_basebackup -R)

Both run on free loopback ports with their data in a temporary directory (tools.servers' helpers), and
raise ClusterUnavailable with the reason and the server's log tail when they cannot start. Each node is a
tools.servers.Server, so `create_database()` on node 1 or the primary creates it everywhere.

    python -m tools.cluster galera|standby     start one, print its node URLs, stop on Enter
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

from tools.servers import (Server, _as_user, _free_port, _scratch_dir, connect, mysql_binaries,
                           postgres_bindir, server_version)

GALERA_PROVIDER = os.environ.get("GALERA_PROVIDER", "/usr/lib/galera/libgalera_smm.so")
INSTALL_HINT = "apt-get install galera-4 rsync mariadb-server   (or run `make test-cluster` as root)"
START_TIMEOUT = 180  # seconds for the whole cluster; a joiner's rsync state transfer takes ~15 s here


class ClusterUnavailable(RuntimeError):
    pass


@dataclass
class Cluster:
    """Running nodes: nodes[0] is where writes go first (Galera node 1, or the PostgreSQL primary)."""

    kind: str  # "galera" or "standby"
    nodes: list[Server]
    logs: list[Path]  # each node's server log, in node order
    base: Path
    version: str = ""
    _stop: list = field(default_factory=list, repr=False)

    def urls(self, database: str) -> list[str]:
        return [node.url_for(database) for node in self.nodes]

    def create_database(self) -> str:
        """A fresh database on every node (created through node 1 / the primary); its name."""
        url = self.nodes[0].create_database()
        self.sync()
        return url.rsplit("/", 1)[-1].split("?")[0]

    def drop_database(self, database: str) -> None:
        self.nodes[0].drop_database(self.nodes[0].url_for(database))

    def sync(self, timeout: float = 60) -> None:
        """Return once every node has applied everything committed before the call.

        Galera: a read with wsrep_sync_wait=1 on each node waits until that node has applied every write
        set the cluster had ordered when the read began. Standby: wait until its replay position reaches
        the primary's current WAL insert position."""
        if self.kind == "galera":
            for node in self.nodes:
                with node.admin() as conn:
                    cur = conn.cursor()
                    cur.execute("SET SESSION wsrep_sync_wait = 1")
                    cur.execute("SELECT COUNT(*) FROM mysql.user")
            return
        with self.nodes[0].admin() as conn:
            cur = conn.cursor()
            # The insert position, not pg_current_wal_lsn(): with synchronous_commit off (as here) a
            # commit that has returned may not be written out yet, and waiting for less would miss it.
            cur.execute("SELECT pg_current_wal_insert_lsn()::text")
            target = cur.fetchone()[0]
        deadline = time.monotonic() + timeout
        with self.nodes[1].admin() as conn:
            cur = conn.cursor()
            while True:
                cur.execute("SELECT pg_last_wal_replay_lsn() >= %s::pg_lsn", (target,))
                if cur.fetchone()[0]:
                    return
                if time.monotonic() > deadline:
                    raise TimeoutError(f"the standby did not replay up to {target} within {timeout} s")
                time.sleep(0.05)

    def log_text(self, node: int) -> str:
        return self.logs[node].read_text(errors="replace") if self.logs[node].exists() else ""

    def stop(self) -> None:
        while self._stop:
            self._stop.pop()()


def _fail(what: str, logs: list[Path]) -> ClusterUnavailable:
    tails = "".join(f"\n--- {p.name} (last lines) ---\n" + "".join(p.read_text(errors="replace")
                                                                    .splitlines(True)[-25:])
                    for p in logs if p.exists())
    return ClusterUnavailable(what + tails)


# --- MariaDB Galera -------------------------------------------------------------------------------

def galera(size: int = 3, settings: dict | None = None) -> Cluster:
    """Start `size` MariaDB nodes as one Galera cluster; returns once all are Synced in a cluster of `size`.

    Node 1 is bootstrapped (--wsrep-new-cluster) from a fresh data directory; the others start empty
    and join by rsync state transfer (SST). The servers run as the `mysql` user when we are root: the
    rsync SST script refuses to work as root."""
    found = mysql_binaries()
    if not found or not found[1]:
        raise ClusterUnavailable(f"Galera needs MariaDB's mariadbd and mariadb-install-db. Install: {INSTALL_HINT}")
    binary, installer = found
    missing = [what for what, ok in (("the Galera provider " + GALERA_PROVIDER, os.path.exists(GALERA_PROVIDER)),
                                     ("rsync", shutil.which("rsync")),
                                     ("wsrep_sst_rsync", shutil.which("wsrep_sst_rsync")))
               if not ok]
    if missing:
        raise ClusterUnavailable(f"Galera: missing {', '.join(missing)}. Install: {INSTALL_HINT}")
    user = "mysql" if os.geteuid() == 0 else None
    base = Path(_scratch_dir("migtest-galera-"))
    os.chmod(base, 0o755)
    ports = [{"client": _free_port(), "gcomm": _free_port(), "ist": _free_port(), "sst": _free_port()}
             for _ in range(size)]
    address = "gcomm://" + ",".join(f"127.0.0.1:{p['gcomm']}" for p in ports)
    logs = [base / f"node{i + 1}" / "error.log" for i in range(size)]
    procs: list[subprocess.Popen] = []

    def stop():
        for proc in procs:
            if proc.poll() is None:
                proc.terminate()
        for proc in procs:
            try:
                proc.wait(30)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
        shutil.rmtree(base, ignore_errors=True)

    nodes = []
    for i, p in enumerate(ports):
        home = base / f"node{i + 1}"
        (home / "data").mkdir(parents=True)
        (home / "tmp").mkdir()
        conf = {
            "port": p["client"], "bind-address": "127.0.0.1", "socket": home / "mysqld.sock",
            "pid-file": home / "mysqld.pid", "datadir": home / "data", "tmpdir": home / "tmp",
            "log-error": home / "error.log",
            "binlog_format": "ROW", "default_storage_engine": "InnoDB", "innodb_autoinc_lock_mode": 2,
            "innodb_buffer_pool_size": "256M", "innodb_flush_log_at_trx_commit": 0, "max_connections": 200,
            "wsrep_on": "ON", "wsrep_provider": GALERA_PROVIDER, "wsrep_cluster_name": "migtest",
            "wsrep_cluster_address": address, "wsrep_node_name": f"node{i + 1}",
            "wsrep_node_address": f"127.0.0.1:{p['gcomm']}",
            "wsrep_provider_options": f'"gmcast.listen_addr=tcp://127.0.0.1:{p["gcomm"]};'
                                      f'ist.recv_addr=127.0.0.1:{p["ist"]};gcache.size=64M"',
            "wsrep_sst_receive_address": f"127.0.0.1:{p['sst']}", "wsrep_sst_method": "rsync",
            # What a careful operator enables: refuse a table without a primary key (Galera replicates
            # rows by key) and DDL/DML on engines Galera does not replicate (error 4165), instead of
            # diverging later. (BINLOG_ROW_FORMAT_ONLY refuses even CREATE DATABASE without a binlog.)
            "wsrep_mode": "STRICT_REPLICATION,REQUIRED_PRIMARY_KEY",
            **({"user": user} if user else {}), **(settings or {}),
        }
        (home / "my.cnf").write_text("[mysqld]\n" + "".join(f"{k}={v}\n" for k, v in conf.items()))
        nodes.append(Server("mysql", f"local Galera node {i + 1} ({binary}, {os.path.basename(GALERA_PROVIDER)})",
                            f"mysql://root@127.0.0.1:{p['client']}/?ssl_disabled=1"))
    if user:
        subprocess.run(["chown", "-R", f"{user}:", str(base)], check=True)
    init = subprocess.run([installer, f"--defaults-file={base / 'node1' / 'my.cnf'}",
                           "--auth-root-authentication-method=normal", "--skip-test-db"],
                          capture_output=True, text=True)
    if init.returncode != 0:
        stop()
        raise ClusterUnavailable(f"{installer} failed: {init.stderr[-2000:]}")

    def start(i: int, *extra: str):
        procs.append(subprocess.Popen([binary, f"--defaults-file={base / f'node{i + 1}' / 'my.cnf'}", *extra],
                                      stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL))

    cluster = Cluster("galera", nodes, logs, base, _stop=[stop])
    try:
        start(0, "--wsrep-new-cluster")
        _wait_synced(cluster, [0], 1, procs)
        for i in range(1, size):  # one joiner at a time: a donor serves one state transfer at once
            start(i)
            _wait_synced(cluster, list(range(i + 1)), i + 1, procs)
        cluster.version = server_version(nodes[0]) + " with Galera " + _status(nodes[0], "wsrep_provider_version")
    except BaseException:
        stop()
        raise
    return cluster


def _status(node: Server, name: str) -> str:
    with node.admin() as conn:
        cur = conn.cursor()
        cur.execute("SHOW GLOBAL STATUS LIKE %s", (name,))
        row = cur.fetchone()
        return row[1] if row else ""


def _wait_synced(cluster: Cluster, which: list[int], size: int, procs) -> None:
    deadline = time.monotonic() + START_TIMEOUT
    while True:
        dead = [i for i in which if procs[i].poll() is not None]
        if dead:
            raise _fail(f"Galera node {dead[0] + 1} exited with status {procs[dead[0]].returncode} while "
                        f"starting", [cluster.logs[i] for i in which])
        try:
            if all(_status(cluster.nodes[i], "wsrep_local_state_comment") == "Synced"
                   and _status(cluster.nodes[i], "wsrep_cluster_size") == str(size) for i in which):
                return
        except Exception as exc:
            last = exc
        else:
            last = "not every node Synced yet"
        if time.monotonic() > deadline:
            raise _fail(f"the Galera cluster did not reach {size} Synced nodes within {START_TIMEOUT} s "
                        f"({last})", [cluster.logs[i] for i in which])
        time.sleep(0.3)


# Error-log lines that are the known, harmless effect of how yoyo connects (docs/clusters.md): every
# connection probes with CREATE TABLE yoyo_lock, which fails on its own node but is replicated (TOI)
# and fails again, ignored, on the others.
_PROBE = r" on query\. Default database: '[^']*'\. Query: 'CREATE TABLE `yoyo_lock` "
KNOWN_APPLY_ERRORS = (
    re.compile(r"\[ERROR\] (Slave|Replica) SQL: Error 'Table 'yoyo_lock' already exists'" + _PROBE),
    re.compile(r"\[Warning\] WSREP: Ignoring error 'Table 'yoyo_lock' already exists'" + _PROBE),
)
# Any error the server logged (a statement that failed to apply on a replica is one), a replicated error
# it chose to ignore, or an inconsistency vote.
APPLY_ERROR = re.compile(r"\[ERROR\]|\[Warning\] WSREP: Ignoring error|inconsisten", re.I)


def apply_errors(log: str) -> list[str]:
    """Lines of a Galera node's error log that report an error, a replicated statement whose failure was
    ignored, or an inconsistency, apart from the known yoyo_lock probe."""
    found = []
    for line in log.splitlines():
        if not APPLY_ERROR.search(line) or any(k.search(line) for k in KNOWN_APPLY_ERRORS):
            continue
        found.append(line.strip())
    return found


# --- PostgreSQL primary with a hot standby --------------------------------------------------------

def standby(settings: dict | None = None) -> Cluster:
    """Start a PostgreSQL primary and one streaming hot standby cloned from it with pg_basebackup -R."""
    bindir = postgres_bindir()
    if not bindir:
        raise ClusterUnavailable("PostgreSQL: no pg_ctl under /usr/lib/postgresql/*/bin or on PATH. "
                                 "Install: apt-get install postgresql")
    user = "postgres" if os.geteuid() == 0 else None
    base = Path(_scratch_dir("migtest-pgstandby-"))
    os.chmod(base, 0o755)
    if user:
        shutil.chown(base, user)
    ports = [_free_port(), _free_port()]
    datas = [base / "primary", base / "standby"]
    logs = [base / "primary.log", base / "standby.log"]
    started: list[Path] = []

    def pg(*args: str, check: bool = True) -> subprocess.CompletedProcess:
        done = subprocess.run(_as_user([*args], user), capture_output=True, text=True)
        if check and done.returncode != 0:
            raise _fail(f"{os.path.basename(args[0])} failed: {done.stderr.strip()[-1500:]}", logs)
        return done

    def stop():
        for data in reversed(started):
            pg(f"{bindir}/pg_ctl", "-D", str(data), "-m", "immediate", "stop", check=False)
        shutil.rmtree(base, ignore_errors=True)

    common = {"listen_addresses": "127.0.0.1", "unix_socket_directories": str(base), "fsync": "off",
              "synchronous_commit": "off", "wal_writer_delay": "10ms", "full_page_writes": "on",
              "max_connections": "200",
              "wal_level": "replica", "max_wal_senders": "5", "hot_standby": "on", **(settings or {})}

    def start(i: int):
        opts = " ".join(f"-c {k}={v}" for k, v in {**common, "port": ports[i]}.items())
        pg(f"{bindir}/pg_ctl", "-D", str(datas[i]), "-l", str(logs[i]), "-o", opts, "-w", "-t", "60", "start")
        started.append(datas[i])

    try:
        pg(f"{bindir}/initdb", "-D", str(datas[0]), "-U", "postgres", "-A", "trust", "-E", "UTF8",
           "--locale=C", "--no-sync")
        start(0)
        pg(f"{bindir}/pg_basebackup", "-h", "127.0.0.1", "-p", str(ports[0]), "-U", "postgres",
           "-D", str(datas[1]), "-R", "-X", "stream", "-c", "fast")
        start(1)
    except BaseException:
        stop()
        raise
    nodes = [Server("postgres", f"local PostgreSQL {role} ({bindir})",
                    f"postgresql+psycopg://postgres@127.0.0.1:{port}/postgres")
             for role, port in zip(("primary", "hot standby"), ports)]
    cluster = Cluster("standby", nodes, logs, base, _stop=[stop])
    try:
        with connect(nodes[1].admin_url, autocommit=True) as conn:
            cur = conn.cursor()
            cur.execute("SELECT pg_is_in_recovery()")
            if not cur.fetchone()[0]:
                raise _fail("the standby is not in recovery: it is not a standby", logs)
        cluster.sync()
        cluster.version = server_version(nodes[0])
    except BaseException:
        stop()
        raise
    return cluster


def main(argv: list[str]) -> int:
    if argv not in (["galera"], ["standby"]):
        print(__doc__, file=sys.stderr)
        return 2
    started = time.monotonic()
    cluster = galera() if argv[0] == "galera" else standby()
    try:
        print(f"{cluster.version}: started in {time.monotonic() - started:.1f} s, data in {cluster.base}")
        for node in cluster.nodes:
            print(f"  {node.provider}: {node.admin_url}")
        input("Enter stops it. ")
    finally:
        cluster.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
