"""Whether the tests use testcontainers, and the URLs they then connect to (tools/servers.py).

No Docker engine runs on the machine that wrote this, so these tests (the one place the house rules allow a
fake) talk to a fake Docker engine: a small HTTP server on a loopback port that answers the two requests
docker-py makes to decide, `GET /version` and `GET /v<api>/_ping`, and refuses API versions below 1.44 with
the message Docker Engine 29 gives. The decision is made by testcontainers' own client, found the way
testcontainers finds it (tc.host in ~/.testcontainers.properties, DOCKER_HOST, the current docker context),
so each of those is shown leading to the engine. The container URLs are built from real (never started)
testcontainers container objects, whose credentials come from the MYSQL_* / POSTGRES_* environment.
"""

from __future__ import annotations

import hashlib
import json
import socket
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import unquote, urlsplit

import pytest

from tools import servers

MIN_API = (1, 44)


class FakeEngine(BaseHTTPRequestHandler):
    """Answers like Docker Engine 29: /version unversioned, /v<x>/_ping only for x >= 1.44."""

    requests: list[str] = []

    def log_message(self, *args):
        pass

    def _send(self, status: int, body: str, kind: str = "application/json"):
        data = body.encode()
        self.send_response(status)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(data)))
        self.send_header("Api-Version", "1.52")
        self.end_headers()
        self.wfile.write(data)

    def do_GET(self):
        FakeEngine.requests.append(self.path)
        path = self.path.split("?", 1)[0]
        if path in ("/version", "/v1.52/version"):
            return self._send(200, json.dumps({"ApiVersion": "1.52", "MinAPIVersion": "1.44", "Version": "29.0.0",
                                               "Os": "linux", "Arch": "amd64"}))
        if path.endswith("/_ping"):
            version = path.split("/")[1]
            if version.startswith("v") and tuple(int(x) for x in version[1:].split(".")) < MIN_API:
                return self._send(400, json.dumps({"message": f"client version {version[1:]} is too old. Minimum "
                                                   f"supported API version is 1.44, please upgrade your client "
                                                   f"to a newer version"}))
            return self._send(200, "OK", "text/plain")
        self._send(404, json.dumps({"message": "page not found"}))


@pytest.fixture
def engine():
    """The fake engine's tcp:// address, for the duration of one test."""
    FakeEngine.requests = []
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), FakeEngine)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"tcp://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


@pytest.fixture
def nowhere():
    """A tcp:// address nobody listens on."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    return f"tcp://127.0.0.1:{port}"


@pytest.fixture
def clean_env(monkeypatch, tmp_path):
    """No server URL, no DOCKER_HOST, an empty docker config and no testcontainers properties."""
    from testcontainers.core.config import testcontainers_config

    for name in ("TEST_POSTGRES_URL", "TEST_MYSQL_URL", "DOCKER_HOST", "DOCKER_CONTEXT", "TESTCONTAINERS_DISABLED",
                 "MYSQL_USER", "MYSQL_PASSWORD", "MYSQL_ROOT_PASSWORD", "POSTGRES_USER", "POSTGRES_PASSWORD"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("DOCKER_CONFIG", str(tmp_path / "docker-config"))
    monkeypatch.setattr(testcontainers_config, "tc_properties", {})
    return monkeypatch


# --- the decision ---------------------------------------------------------------------------------

def test_an_engine_found_through_docker_host_means_testcontainers(clean_env, engine):
    clean_env.setenv("DOCKER_HOST", engine)
    assert servers.docker_engine_answers() is True
    assert {d: servers.plan(d) for d in ("postgres", "mysql")} == {"postgres": "testcontainers",
                                                                   "mysql": "testcontainers"}


def test_no_engine_means_local_binaries(clean_env, nowhere):
    clean_env.setenv("DOCKER_HOST", nowhere)
    assert servers.docker_engine_answers() is False
    assert servers.plan("mysql") == "local"


def test_the_api_version_is_negotiated_not_pinned_to_one_engine_29_refuses(clean_env, engine):
    """The old check asked for API 1.41; this engine (like Docker Engine 29) refuses it, and the check
    must still see the engine."""
    import docker

    old = docker.DockerClient(base_url=engine, version="1.41", timeout=3)
    with pytest.raises(docker.errors.APIError, match="too old"):
        old.ping()
    old.close()
    clean_env.setenv("DOCKER_HOST", engine)
    FakeEngine.requests = []
    assert servers.docker_engine_answers() is True
    assert "/version" in FakeEngine.requests and "/v1.52/_ping" in FakeEngine.requests, FakeEngine.requests


def test_the_testcontainers_properties_file_is_honoured(clean_env, engine):
    from testcontainers.core.config import testcontainers_config

    clean_env.setattr(testcontainers_config, "tc_properties", {"tc.host": engine})
    assert servers.plan("postgres") == "testcontainers"


def test_the_current_docker_context_is_honoured(clean_env, engine, tmp_path):
    """`docker context use colima` (or Docker Desktop, rootless) writes the current context into the
    docker config; testcontainers, and so the check, follow it."""
    config = tmp_path / "docker-config"
    meta = config / "contexts" / "meta" / hashlib.sha256(b"fake").hexdigest()
    meta.mkdir(parents=True)
    (config / "config.json").write_text(json.dumps({"currentContext": "fake"}))
    (meta / "meta.json").write_text(json.dumps({"Name": "fake", "Metadata": {},
                                                "Endpoints": {"docker": {"Host": engine, "SkipTLSVerify": False}}}))
    assert servers.plan("mysql") == "testcontainers"


def test_testcontainers_disabled_or_a_server_url_needs_no_engine(clean_env, engine):
    clean_env.setenv("DOCKER_HOST", engine)
    clean_env.setenv("TEST_MYSQL_URL", "mysql://root:secret@db.example:3306/")
    assert servers.plan("mysql") == "environment"
    assert servers.plan("postgres") == "testcontainers"
    clean_env.setenv("TESTCONTAINERS_DISABLED", "1")
    FakeEngine.requests = []
    assert servers.plan("postgres") == "local"
    assert FakeEngine.requests == []


def test_install_servers_asks_the_same_question(clean_env, engine, nowhere):
    """`python -m tools.servers plan` (what tools/install-servers.sh reads) says what provide() does."""
    import subprocess
    import sys

    def planned(host: str) -> str:
        env = {**__import__("os").environ, "DOCKER_HOST": host}
        return subprocess.run([sys.executable, "-m", "tools.servers", "plan"], env=env, capture_output=True,
                              text=True, check=True, cwd=servers.__file__.rsplit("/tools/", 1)[0]).stdout

    assert planned(engine) == "postgres testcontainers\nmysql testcontainers\n"
    assert planned(nowhere) == "postgres local\nmysql local\n"


# --- the URLs -------------------------------------------------------------------------------------

def _started(container_class, *args, **kwargs):
    """A real testcontainers container object that pretends to have started on 127.0.0.1:40000."""

    class Started(container_class):
        def start(self):
            return self

        def get_container_host_ip(self):
            return "127.0.0.1"

        def get_exposed_port(self, port):
            return 40000

    return Started(*args, **kwargs)


@pytest.mark.parametrize("env,user,password", [
    ({}, "root", "test"),
    ({"MYSQL_ROOT_PASSWORD": "r00t:p@ss/word"}, "root", "r00t:p@ss/word"),
    # MYSQL_USER=root: testcontainers then sets the root password to MYSQL_PASSWORD (the old code kept "test")
    ({"MYSQL_USER": "root", "MYSQL_PASSWORD": "s3cr%t@x"}, "root", "s3cr%t@x"),
])
def test_the_mysql_container_url_takes_its_credentials_from_the_container(clean_env, engine, env, user, password):
    from testcontainers.community.mysql import MySqlContainer

    clean_env.setenv("DOCKER_HOST", engine)
    for name, value in env.items():
        clean_env.setenv(name, value)
    server = servers._container("mysql", make=lambda d: _started(MySqlContainer, servers.IMAGES[d]))
    url = urlsplit(server.admin_url)
    assert (url.scheme, unquote(url.username), unquote(url.password), url.hostname, url.port, url.path) == \
        ("mysql", user, password, "127.0.0.1", 40000, "/")
    assert server.provider == "testcontainers (mysql:8.4)"


def test_the_postgres_container_url_takes_its_credentials_from_the_container(clean_env, engine):
    from testcontainers.community.postgres import PostgresContainer

    clean_env.setenv("DOCKER_HOST", engine)
    clean_env.setenv("POSTGRES_USER", "admin")
    clean_env.setenv("POSTGRES_PASSWORD", "p@ss:word")
    server = servers._container("postgres", make=lambda d: _started(PostgresContainer, servers.IMAGES[d],
                                                                    driver="psycopg"))
    url = urlsplit(server.admin_url)
    assert (url.scheme, unquote(url.username), unquote(url.password), url.hostname, url.port, url.path) == \
        ("postgresql+psycopg", "admin", "p@ss:word", "127.0.0.1", 40000, "/postgres")
