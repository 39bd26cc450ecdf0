"""Database servers for tests and benchmarks: given by URL, in a container, or started from local binaries.

`provide(dialect)` tries, in order:
  1. a server URL from the environment (TEST_POSTGRES_URL / TEST_MYSQL_URL): an admin URL whose user may
     CREATE and DROP databases, e.g. postgresql+psycopg://postgres:secret@db:5432/postgres;
  2. testcontainers (PostgreSQL 16, MySQL 8.4) when the Docker engine testcontainers would use answers
     (~/.testcontainers.properties, DOCKER_HOST, the current docker context; TESTCONTAINERS_DISABLED=1 off);
  3. a throwaway server started from local binaries (PostgreSQL's pg_ctl, MariaDB's mariadbd) on a free
     loopback port with its data in a temporary directory;
and raises ServerUnavailable naming what is missing and how to install it.
Every server hands out fresh databases (`create_database`) so that no test sees another's state.
"""

from __future__ import annotations

import glob
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import time
import uuid
from dataclasses import dataclass, field
from urllib.parse import parse_qsl, quote, urlsplit, urlunsplit

SERVER_ENV = {"postgres": "TEST_POSTGRES_URL", "mysql": "TEST_MYSQL_URL"}
INSTALL_HINT = {
    "postgres": "apt-get install postgresql   (or set TEST_POSTGRES_URL, or start a Docker engine)",
    "mysql": "apt-get install mariadb-server   (or set TEST_MYSQL_URL, or start a Docker engine)",
}


class ServerUnavailable(RuntimeError):
    pass


@dataclass
class Server:
    """A running server and the admin URL that can create databases on it."""

    dialect: str
    provider: str
    admin_url: str
    version: str = ""
    _stop: list = field(default_factory=list, repr=False)

    def url_for(self, database: str, user: str | None = None, password: str | None = None) -> str:
        parts = urlsplit(self.admin_url)
        netloc = parts.netloc
        if user is not None:
            host = netloc.rsplit("@", 1)[-1]
            netloc = f"{quote(user, safe='')}:{quote(password or '', safe='')}@{host}"
        return urlunsplit(parts._replace(netloc=netloc, path=f"/{database}"))

    def admin(self):
        """A driver connection as the admin user, in autocommit mode."""
        return connect(self.admin_url, autocommit=True)

    def create_database(self, name: str | None = None) -> str:
        name = name or f"t_{uuid.uuid4().hex[:12]}"
        with self.admin() as conn:
            cur = conn.cursor()
            if self.dialect == "postgres":
                cur.execute(f'CREATE DATABASE "{name}"')
            else:
                cur.execute(f"CREATE DATABASE `{name}` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci")
        return self.url_for(name)

    def drop_database(self, url: str) -> None:
        name = urlsplit(url).path.lstrip("/")
        with self.admin() as conn:
            cur = conn.cursor()
            if self.dialect == "postgres":
                cur.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            else:
                cur.execute(f"DROP DATABASE IF EXISTS `{name}`")

    def stop(self) -> None:
        while self._stop:
            self._stop.pop()()


def connect(url: str, autocommit: bool = False):
    """A plain driver connection (psycopg 3, PyMySQL or sqlite3) for any URL this repository accepts."""
    from tools.migrations import check_url, sqlite_path

    dialect = check_url(url)  # an unparseable URL is refused here, masked, before anything connects
    if dialect == "sqlite":
        import sqlite3

        path = sqlite_path(url)  # the file yoyo opens (relative paths: to the repository root)
        conn = sqlite3.connect(path, isolation_level=None if autocommit else "DEFERRED")
        conn.execute("PRAGMA foreign_keys = ON")
        return conn
    parts = urlsplit(url)
    from urllib.parse import unquote

    user = unquote(parts.username or "")
    password = unquote(parts.password or "")
    database = parts.path.lstrip("/") or None
    options = dict(parse_qsl(parts.query))
    if dialect == "postgres":
        import psycopg

        return psycopg.connect(host=parts.hostname, port=parts.port or 5432, user=user,
                               password=password, dbname=database or "postgres", autocommit=autocommit)
    import pymysql

    return pymysql.connect(host=parts.hostname, port=parts.port or 3306, user=user, password=password,
                           database=database, autocommit=autocommit, charset="utf8mb4",
                           ssl_disabled=bool(options.get("ssl_disabled")))


def server_version(server: Server) -> str:
    with server.admin() as conn:
        cur = conn.cursor()
        if server.dialect == "postgres":
            cur.execute("SHOW server_version")
            return "PostgreSQL " + cur.fetchone()[0].split()[0]
        cur.execute("SELECT VERSION()")
        version = cur.fetchone()[0]
        family = "MariaDB" if "mariadb" in version.lower() else "MySQL"
        return f"{family} {version.split('-')[0]}"


def plan(dialect: str, engine_answers=None) -> str:
    """Where `provide` gets the server for `dialect`: "environment", "testcontainers" or "local".

    tools/install-servers.sh asks the same question (`python -m tools.servers plan`), so it installs local
    binaries exactly when the test run will need them."""
    if os.environ.get(SERVER_ENV[dialect]):
        return "environment"
    answers = docker_engine_answers if engine_answers is None else engine_answers
    return "testcontainers" if answers() else "local"


def provide(dialect: str, **options) -> Server:
    """The first server that can be had for `dialect`; see the module docstring for the order."""
    where = plan(dialect)
    if where == "environment":
        server = Server(dialect, f"environment ({SERVER_ENV[dialect]})", os.environ[SERVER_ENV[dialect]])
    elif where == "testcontainers":
        server = _container(dialect)
    else:
        server = _local(dialect, **options)
    server.version = server_version(server)
    return server


# --- testcontainers -------------------------------------------------------------------------------

IMAGES = {"postgres": "postgres:16", "mysql": "mysql:8.4"}


def _docker_client(**kwargs):
    """testcontainers' own Docker client: it finds the engine the way testcontainers will use it
    (tc.host in ~/.testcontainers.properties, then DOCKER_HOST, then the current docker context, then
    the default socket) and lets docker-py negotiate the API version with the engine."""
    from testcontainers.core.docker_client import DockerClient

    return DockerClient(**kwargs)


def docker_engine_answers(client_factory=None) -> bool:
    """True only when the Docker engine testcontainers would use answers a ping (not just a `docker`
    client on PATH). No API version is pinned: Docker Engine 29 refuses API versions below 1.44.
    TESTCONTAINERS_DISABLED=1 says no without asking."""
    if os.environ.get("TESTCONTAINERS_DISABLED"):
        return False
    import gc
    import warnings

    with warnings.catch_warnings():
        # The docker client leaves its socket to the garbage collector when nobody answers.
        warnings.simplefilter("ignore", ResourceWarning)
        client = None
        try:
            client = (client_factory or _docker_client)(timeout=3)
            return bool(client.client.ping())
        except Exception:
            return False
        finally:
            if client is not None:
                try:
                    client.client.close()
                except Exception:
                    pass
            gc.collect()


def container_admin_url(dialect: str, container) -> str:
    """The admin URL of a started testcontainers container, credentials taken from the container object
    (which reads MYSQL_* / POSTGRES_* from the environment when they are set), never assumed."""
    host = container.get_container_host_ip()
    if dialect == "postgres":
        user, password, port = container.username, container.password, container.get_exposed_port(5432)
        return f"postgresql+psycopg://{quote(user, safe='')}:{quote(password, safe='')}@{host}:{port}/postgres"
    # root may create and drop databases; the container sets its password to root_password (which
    # testcontainers makes equal to `password` when MYSQL_USER=root).
    port = container.get_exposed_port(3306)
    return f"mysql://root:{quote(container.root_password, safe='')}@{host}:{port}/"


def _new_container(dialect: str):
    if dialect == "postgres":
        from testcontainers.community.postgres import PostgresContainer

        return PostgresContainer(IMAGES["postgres"], driver="psycopg")
    from testcontainers.community.mysql import MySqlContainer

    return MySqlContainer(IMAGES["mysql"])


def _container(dialect: str, make=None) -> Server:
    c = (make or _new_container)(dialect)
    c.start()
    return Server(dialect, f"testcontainers ({IMAGES[dialect]})", container_admin_url(dialect, c), _stop=[c.stop])


# --- local binaries -------------------------------------------------------------------------------

def _scratch_dir(prefix: str) -> str:
    """A temporary directory for a throwaway server's data: in memory (/dev/shm) where there is one,
    since durability buys nothing here and every DDL statement would otherwise wait for fsync."""
    shm = "/dev/shm" if os.path.isdir("/dev/shm") and os.access("/dev/shm", os.W_OK) else None
    return tempfile.mkdtemp(prefix=prefix, dir=shm)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _as_user(cmd: list[str], user: str | None) -> list[str]:
    return cmd if user is None else ["runuser", "-u", user, "--", *cmd]


def _local(dialect: str, **options) -> Server:
    return _local_postgres(**options) if dialect == "postgres" else _local_mysql(**options)


def postgres_bindir() -> str | None:
    if os.environ.get("PG_BINDIR"):
        return os.environ["PG_BINDIR"]
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/pg_ctl"), key=lambda p: int(p.split("/")[4]))
    if found:
        return os.path.dirname(found[-1])
    pg_ctl = shutil.which("pg_ctl")
    return os.path.dirname(pg_ctl) if pg_ctl else None


def _local_postgres(settings: dict | None = None) -> Server:
    bindir = postgres_bindir()
    if not bindir:
        raise ServerUnavailable(f"PostgreSQL: no Docker engine, no {SERVER_ENV['postgres']}, and no pg_ctl "
                                f"under /usr/lib/postgresql/*/bin or on PATH. Install: {INSTALL_HINT['postgres']}")
    # PostgreSQL refuses to run as root: run it as the `postgres` system user the package creates.
    user = None
    if os.geteuid() == 0:
        try:
            pwd.getpwnam("postgres")
        except KeyError:
            raise ServerUnavailable("PostgreSQL refuses to run as root and there is no `postgres` user "
                                    "to run it as (it comes with the postgresql package)")
        user = "postgres"
    base = _scratch_dir("migtest-pg-")
    os.chmod(base, 0o755)
    if user:
        shutil.chown(base, user)
    data, port = os.path.join(base, "data"), _free_port()
    subprocess.run(_as_user([f"{bindir}/initdb", "-D", data, "-U", "postgres", "-A", "trust",
                             "-E", "UTF8", "--locale=C", "--no-sync"], user),
                   check=True, capture_output=True)
    conf = {"listen_addresses": "127.0.0.1", "port": str(port), "unix_socket_directories": base,
            # A throwaway server: durability buys nothing here and costs seconds.
            "fsync": "off", "synchronous_commit": "off", "full_page_writes": "off",
            "max_connections": "200", **(settings or {})}
    opts = " ".join(f"-c {k}={v}" for k, v in conf.items())
    started = subprocess.run(_as_user([f"{bindir}/pg_ctl", "-D", data, "-l", f"{base}/server.log",
                                       "-o", opts, "-w", "-t", "60", "start"], user), capture_output=True)
    if started.returncode != 0:
        log = open(f"{base}/server.log").read()[-2000:] if os.path.exists(f"{base}/server.log") else ""
        raise ServerUnavailable(f"PostgreSQL from {bindir} did not start: {started.stderr.decode()}{log}")

    def stop():
        subprocess.run(_as_user([f"{bindir}/pg_ctl", "-D", data, "-m", "immediate", "stop"], user),
                       capture_output=True)
        shutil.rmtree(base, ignore_errors=True)

    version = os.path.basename(os.path.dirname(bindir))
    return Server("postgres", f"local binaries (PostgreSQL {version}, {bindir})",
                  f"postgresql+psycopg://postgres@127.0.0.1:{port}/postgres", _stop=[stop])


MYSQL_BINDIR_ENV = "MARIADB_BINDIR"


def mysql_binaries() -> tuple[str, str | None] | None:
    """(server binary, install-db binary or None for `mysqld --initialize-insecure`).

    The server binary (mariadbd, else mysqld) is looked up, like PostgreSQL's pg_ctl: in $MARIADB_BINDIR
    when it is set (and only there), else on PATH, else in /usr/sbin and /usr/local/sbin (Debian puts
    mariadbd in /usr/sbin, which is not on a non-root user's PATH). mariadb-install-db is taken from
    the same folder, its ../scripts (a MariaDB tarball), or PATH.
    """
    override = os.environ.get(MYSQL_BINDIR_ENV)
    for server, installer in (("mariadbd", "mariadb-install-db"), ("mysqld", "mysql_install_db")):
        if override:
            path = shutil.which(server, path=override)
        else:
            path = shutil.which(server) or shutil.which(server, path="/usr/sbin:/usr/local/sbin")
        if path:
            is_mariadb = "mariadb" in subprocess.run([path, "--version"], capture_output=True,
                                                     text=True).stdout.lower()
            here = os.path.dirname(path)
            found = (shutil.which(installer, path=f"{here}:{os.path.join(here, '..', 'scripts')}")
                     or shutil.which(installer)) if is_mariadb else None
            return path, found
    return None


def _local_mysql(settings: dict | None = None) -> Server:
    found = mysql_binaries()
    if not found:
        where = (f"in {MYSQL_BINDIR_ENV}={os.environ[MYSQL_BINDIR_ENV]}" if os.environ.get(MYSQL_BINDIR_ENV)
                 else f"on PATH or in /usr/sbin, /usr/local/sbin (or set {MYSQL_BINDIR_ENV})")
        raise ServerUnavailable(f"MySQL family: no Docker engine, no {SERVER_ENV['mysql']}, and no mariadbd "
                                f"or mysqld {where}. Install: {INSTALL_HINT['mysql']}")
    binary, installer = found
    base = _scratch_dir("migtest-mysql-")
    data, port, sock = os.path.join(base, "data"), _free_port(), os.path.join(base, "mysqld.sock")
    run_as = ["--user=root"] if os.geteuid() == 0 else []
    if installer:
        init = [installer, "--no-defaults", f"--datadir={data}", "--auth-root-authentication-method=normal",
                "--skip-test-db", *run_as]
    else:
        init = [binary, "--no-defaults", "--initialize-insecure", f"--datadir={data}", *run_as]
    done = subprocess.run(init, capture_output=True, text=True)
    if done.returncode != 0:
        raise ServerUnavailable(f"{init[0]} failed: {done.stderr[-2000:]}")
    conf = {"port": port, "bind-address": "127.0.0.1", "socket": sock, "pid-file": f"{base}/mysqld.pid",
            # A throwaway server: durability buys nothing here and costs seconds.
            "innodb-flush-log-at-trx-commit": 0, "skip-log-bin": None, "max-connections": 200,
            **(settings or {})}
    args = [f"--{k}" if v is None else f"--{k}={v}" for k, v in conf.items()]
    log = open(f"{base}/server.log", "w")
    proc = subprocess.Popen([binary, "--no-defaults", f"--datadir={data}", *run_as, *args],
                            stdout=log, stderr=subprocess.STDOUT)

    def stop():
        proc.terminate()
        try:
            proc.wait(30)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        log.close()
        shutil.rmtree(base, ignore_errors=True)

    # This server has no TLS; without ssl_disabled PyMySQL builds a TLS context for every connection
    # just in case (about 20 ms each), which the suite would pay thousands of times.
    server = Server("mysql", f"local binaries ({binary})", f"mysql://root@127.0.0.1:{port}/?ssl_disabled=1",
                    _stop=[stop])
    deadline = time.monotonic() + 60
    while True:
        try:
            server.admin().close()
            return server
        except Exception as exc:
            if proc.poll() is not None or time.monotonic() > deadline:
                tail = open(log.name).read()[-2000:]
                stop()
                raise ServerUnavailable(f"{binary} did not start: {exc}\n{tail}")
            time.sleep(0.2)


if __name__ == "__main__":
    import sys

    if sys.argv[1:] != ["plan"]:
        sys.exit("usage: python -m tools.servers plan   (prints, per dialect, where the tests get the server)")
    engine = docker_engine_answers()
    for name in SERVER_ENV:
        print(name, plan(name, lambda: engine))
