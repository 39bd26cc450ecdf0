"""Database URLs as the operator gives them: never a password in any output, one reading of every URL,
`.env`, and what the test run says about its servers.

Passwords here hold every character that breaks a URL (# / : @ ? %). The make targets run as a user
runs them (`make -s <target>` in a subprocess); targets that must not touch this checkout run in a copy
of it (`checkout`) that shares the virtualenv.
"""

import os
import shutil
import socket
import sqlite3
import subprocess
import sys
import uuid
from pathlib import Path
from urllib.parse import quote

import pytest

from tools import migrations
from tools.migrations import (ROOT, BadDatabaseURL, check_url, database_url_and_source, mask, mask_in,
                              migration_ids, read_env_file, sqlite_path, target_url, yoyo_url)

IDS = migration_ids("postgres")
# Every chunk between the special characters is distinctive: none of them may ever be printed.
PASSWORD = "Zq9#Wk7/Lm4:Rt2@Xv8?Yp5%Hn3"
CHUNKS = ("Zq9", "Wk7", "Lm4", "Rt2", "Xv8", "Yp5", "Hn3")
ENCODED = quote(PASSWORD, safe="")
DB_TARGETS = [["migrate"], ["rollback"], ["status"], ["mark", "REVISION=x"], ["break-lock"], ["plan"],
              ["plan-rollback"], ["verify"], ["record-checksums"]]


def leaks(text: str) -> list[str]:
    return [chunk for chunk in CHUNKS if chunk in text]


def clean_env(**extra) -> dict:
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "VERBOSE", "MAKEFLAGS", "MAKELEVEL")}
    env.update(extra)
    return env


def make(*args: str, cwd: Path = ROOT, **env) -> subprocess.CompletedProcess:
    """`make -s <args>` as a user runs it; never rebuilds the (shared) virtualenv."""
    return subprocess.run(["make", "-s", "-o", ".venv/.installed", *args], cwd=cwd, env=clean_env(**env),
                          capture_output=True, text=True, timeout=300)


# --- masking: by position, never by parsing ---------------------------------------------------------

SHAPES = [
    f"postgresql://app:{PASSWORD}@db.internal:5432/app",        # raw: does not parse at all
    f"postgresql+psycopg://app:{ENCODED}@db.internal:5432/app",  # encoded: parses
    f"mysql://app:{PASSWORD}@10.0.0.5/app?ssl_ca=/etc/ca.pem",
    f"mysql://{PASSWORD}@db/app",                                # no user, password only
    f"app:{PASSWORD}@db/app",                                    # no scheme
    f"postgres://app:{PASSWORD.replace('@', '')}@[::1]:5432/app",
]


@pytest.mark.parametrize("url", SHAPES, ids=mask)  # pytest ids are printed too
def test_mask_hides_everything_between_the_scheme_and_the_last_at(url):
    shown = mask(url)
    assert leaks(shown) == []
    assert shown.endswith(url.rsplit("@", 1)[1]), "the host and database stay readable"
    assert leaks(mask_in(f"failed: could not use {url} (retry)", url)) == []
    if "://" in url:
        assert leaks(mask_in(f"failed: could not use {url} (retry)")) == [], "masked even when not named"


def test_generated_test_ids_are_masked(pytestconfig):
    url = f"mysql://app:{ENCODED}@db/app"
    made = pytestconfig.hook.pytest_make_parametrize_id(config=pytestconfig, val=url, argname="url")
    assert made == "mysql://***@db/app"


# --- refused before anything connects ----------------------------------------------------------------

# Each password between "app:" and "@db": written apart so that test_no_secrets sees no literal URL.
AMBIGUOUS = {what: f"{scheme}://app:{password}@{rest}" for what, scheme, password, rest in [
    ("# in the password", "postgresql", "Zq9#Wk7", "db/app"),
    ("/ in the password", "postgresql", "Zq9/Wk7", "db/app"),
    ("? in the password", "mysql", "Zq9?Wk7", "db/app"),
    ("@ in the password", "mysql", "Zq9@Wk7", "db/app"),
    ("% not an escape", "mysql", "Zq9%Wk7", "db/app"),
    ("port not a number", "postgresql", "Zq9Wk7", "db:5432x/app"),
    ("space in the password", "postgresql", "Zq9 Wk7", "db/app"),
    ("every special character", "postgresql", PASSWORD, "db/app"),
]}


@pytest.mark.parametrize("url", AMBIGUOUS.values(), ids=AMBIGUOUS.keys())
def test_an_ambiguous_url_is_refused_with_the_encoding_hint_and_masked(url, monkeypatch, capsys):
    monkeypatch.setenv("DATABASE_URL", url)
    with pytest.raises(SystemExit) as exited:
        target_url()
    assert exited.value.code == 2
    err = capsys.readouterr().err
    assert "percent-encode" in err and "p@ss -> p%40ss" in err
    assert f"'{mask(url)}'" in err
    assert leaks(err) == []


def test_every_make_target_refuses_an_ambiguous_url_before_connecting():
    """`u:pw@x@host`: urlsplit would take the last @ and connect to the listener; nothing may."""
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen(16)
        listener.setblocking(False)
        port = listener.getsockname()[1]
        password = "Zq9@Wk7"
        url = f"postgresql://app:{password}@127.0.0.1:{port}/app"
        for target in DB_TARGETS:
            done = make(*target, DATABASE_URL=url)
            out = done.stdout + done.stderr
            assert done.returncode == 2, (target, out)
            assert "percent-encode" in out and leaks(out) == [], (target, out)
        with pytest.raises(BlockingIOError):
            listener.accept()


@pytest.mark.parametrize("dialect", ["mysql", "postgres"])
def test_an_ambiguous_test_server_url_is_refused_by_provide_masked(dialect, monkeypatch):
    """What `make bench` and `make schema` print when provide() fails: its message, so it must be masked."""
    from tools.servers import SERVER_ENV, provide

    monkeypatch.setenv(SERVER_ENV[dialect], f"{'mysql' if dialect == 'mysql' else 'postgresql'}://app:{PASSWORD}@db/")
    with pytest.raises(BadDatabaseURL) as refused:
        provide(dialect)
    assert "percent-encode" in str(refused.value) and leaks(str(refused.value)) == []


@pytest.mark.parametrize("dialect", ["mysql", "postgres"])
def test_an_encoded_password_works_and_no_target_prints_it(dialect, servers):
    """A user whose password holds # / : @ ? %: every target works with the percent-encoded URL and
    prints neither the password nor its encoded form."""
    server = servers.get(dialect)
    name = f"url_{uuid.uuid4().hex[:10]}"
    conn = server.admin()
    cur = conn.cursor()
    try:
        if dialect == "postgres":
            cur.execute(f"CREATE ROLE {name} LOGIN PASSWORD '{PASSWORD}'")  # no quote in it
            cur.execute(f"CREATE DATABASE {name} OWNER {name}")
        else:
            cur.execute(f"CREATE DATABASE {name}")
            cur.execute(f"CREATE USER '{name}'@'%%' IDENTIFIED BY %s", (PASSWORD,))
            cur.execute(f"GRANT ALL ON {name}.* TO '{name}'@'%'")
        url = server.url_for(name, user=name, password=PASSWORD)
        assert ENCODED in url
        out = ""
        for target in (["migrate"], ["status"], ["plan-rollback"], ["verify"], ["record-checksums"],
                       ["plan"], ["rollback", "ALL=1", "DROP_BASELINE=1"]):
            done = make(*target, DATABASE_URL=url)
            out += done.stdout + done.stderr
            assert done.returncode == 0, (target, done.stdout + done.stderr)
            if target == ["migrate"]:
                assert migrations.applied(url) == IDS
        assert migrations.applied(url) == []
        assert "***@" in out
        assert leaks(out) == [] and ENCODED not in out
    finally:
        if dialect == "postgres":
            cur.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            cur.execute(f"DROP ROLE IF EXISTS {name}")
        else:
            cur.execute(f"DROP DATABASE IF EXISTS `{name}`")
            cur.execute(f"DROP USER IF EXISTS '{name}'@'%'")
        conn.close()


# --- SQLite: yoyo's reading -------------------------------------------------------------------------

def yoyo_applied(path: Path) -> list[str]:
    with sqlite3.connect(path) as conn:
        return sorted(r[0] for r in conn.execute("SELECT migration_id FROM _yoyo_migration"))


def test_a_relative_sqlite_url_is_relative_to_the_repository_root_everywhere():
    """sqlite:///var/<dir>/x.db: yoyo (run by make migrate) and make verify use <root>/var/<dir>/x.db;
    the folder is created there and nowhere else (not /var/<dir>); %20 is a space, as yoyo decodes it."""
    folder = f"var/urltest-{uuid.uuid4().hex[:8]}"
    try:
        for file, url_file in (("x.db", "x.db"), ("my db.db", "my%20db.db")):
            url = f"sqlite:///{folder}/{url_file}"
            assert sqlite_path(url) == ROOT / folder / file
            done = make("migrate", DATABASE_URL=url)
            assert done.returncode == 0, done.stderr
            assert yoyo_applied(ROOT / folder / file) == IDS
            done = make("verify", DATABASE_URL=url)
            assert f"{len(IDS)} applied: {len(IDS)} ok" in done.stdout, done.stdout + done.stderr
        assert sorted(p.name for p in (ROOT / folder).iterdir()) == ["my db.db", "x.db"]
        assert not Path("/" + folder).exists()
    finally:
        shutil.rmtree(ROOT / folder, ignore_errors=True)


def test_an_absolute_sqlite_url_has_four_slashes(tmp_path):
    url = f"sqlite:///{tmp_path}/abs.db"
    assert url.startswith("sqlite:////") and sqlite_path(url) == tmp_path / "abs.db"
    assert yoyo_url(url) == url
    assert make("migrate", DATABASE_URL=url).returncode == 0
    assert yoyo_applied(tmp_path / "abs.db") == IDS


def test_only_the_sqlite_files_own_folder_is_created(tmp_path):
    url = f"sqlite:///{tmp_path}/missing/deeper/x.db"
    done = make("status", DATABASE_URL=url)
    assert done.returncode == 2 and "does not exist" in done.stderr
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("url", ["sqlite://host/x.db", "sqlite:///x.db?mode=ro", "sqlite://", "sqlite:///:memory:",
                                 "sqlite:///var/"])
def test_a_sqlite_url_yoyo_would_read_otherwise_is_refused(url):
    with pytest.raises(BadDatabaseURL):
        check_url(url)


def test_the_yoyo_url_of_a_relative_sqlite_path_is_absolute_at_the_repository_root():
    assert yoyo_url("sqlite:///var/a%20b.db") == f"sqlite:///{quote(str(ROOT))}/var/a%20b.db"


# --- .env ---------------------------------------------------------------------------------------------

def test_env_file_is_read_and_the_environment_wins(tmp_path, monkeypatch):
    env_file = tmp_path / ".env"
    env_file.write_text("# credentials for this machine\n\nexport OTHER = 'x'\n"
                        'DATABASE_URL = "postgresql://app:secret@db/app"\n', encoding="utf-8")
    assert read_env_file(env_file) == {"OTHER": "x", "DATABASE_URL": "postgresql://app:secret@db/app"}
    monkeypatch.delenv("DATABASE_URL", raising=False)
    assert database_url_and_source(env_file) == ("postgresql://app:secret@db/app", f"DATABASE_URL (from {env_file})")
    monkeypatch.setenv("DATABASE_URL", "")
    assert database_url_and_source(env_file)[0] == "postgresql://app:secret@db/app", "empty counts as unset"
    monkeypatch.setenv("DATABASE_URL", "mysql://app:secret@other/app")
    assert database_url_and_source(env_file) == ("mysql://app:secret@other/app", "DATABASE_URL")
    monkeypatch.delenv("DATABASE_URL")
    assert database_url_and_source(tmp_path / "none") == (migrations.DEFAULT_URL, "the default (DATABASE_URL unset)")


def test_a_malformed_env_line_is_refused_by_number_without_its_text(tmp_path):
    env_file = tmp_path / ".env"
    env_file.write_text(f"DATABASE_URL=sqlite:///var/x.db\npostgresql://app:{PASSWORD}@db/app\n")
    with pytest.raises(BadDatabaseURL) as refused:
        read_env_file(env_file)
    assert "line 2" in str(refused.value) and leaks(str(refused.value)) == []


def test_every_make_target_reads_env_and_the_environment_wins(checkout):
    (checkout / ".env").write_text(f"DATABASE_URL=postgresql://app:{PASSWORD}@db/app\n")
    for target in DB_TARGETS:
        done = make(*target, cwd=checkout)
        out = done.stdout + done.stderr
        assert done.returncode == 2 and "DATABASE_URL (from .env)" in out, (target, out)
        assert leaks(out) == [], out
    (checkout / ".env").write_text("DATABASE_URL=sqlite:///var/from-env.db\n")
    done = make("migrate", cwd=checkout)
    assert done.returncode == 0, done.stderr
    assert yoyo_applied(checkout / "var" / "from-env.db") == IDS
    done = make("status", cwd=checkout, DATABASE_URL="sqlite:///var/from-environment.db")
    assert "var/from-environment.db" in done.stderr and "from-env.db" not in done.stdout + done.stderr


# --- the test run's own output ----------------------------------------------------------------------

def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def pytest_run(*args: str, **env) -> str:
    done = subprocess.run([sys.executable, "-m", "pytest", "-p", "no:cacheprovider", *args], cwd=ROOT,
                          env=clean_env(**env), capture_output=True, text=True, timeout=300)
    return done.stdout + done.stderr


def test_an_unreachable_test_server_gives_one_line_per_test_and_the_summary_names_the_variable():
    url = f"mysql://app:{ENCODED}@127.0.0.1:{free_port()}/"
    out = pytest_run("tests/test_migrations.py", "-m", "mysql", TEST_MYSQL_URL=url)
    errors = out.split("= ERRORS =", 1)[1].split("= dialects =", 1)[0].strip("= \n").splitlines()
    headers = [line for line in errors if "ERROR at setup of" in line]
    assert len(headers) >= 2 and len(errors) == 2 * len(headers), "\n".join(errors)
    assert "Traceback" not in out and "During handling" not in out
    assert f"no server from TEST_MYSQL_URL={mask(url)}: OperationalError: (2003" in errors[1]
    summary = [line for line in out.splitlines() if line.startswith("mysql ")]
    assert summary and f"UNAVAILABLE from TEST_MYSQL_URL={mask(url)}" in summary[0]
    assert leaks(out) == [] and ENCODED not in out


def test_an_ambiguous_test_server_url_is_refused_with_the_encoding_hint():
    out = pytest_run("tests/test_migrations.py", "-m", "postgres",
                     TEST_POSTGRES_URL=f"postgresql://app:{PASSWORD}@127.0.0.1:{free_port()}/postgres")
    assert "percent-encode" in out and "UNAVAILABLE from TEST_POSTGRES_URL=postgresql://***@127.0.0.1" in out
    assert leaks(out) == []


def test_the_summary_names_the_variable_that_gave_the_server(servers):
    admin = servers.get("postgres").admin_url
    out = pytest_run("tests/test_migrations.py", "-m", "postgres", "-k", "upgrade_from_empty",
                     TEST_POSTGRES_URL=admin)
    summary = [line for line in out.splitlines() if line.startswith("postgres ")]
    assert summary and f"via environment (TEST_POSTGRES_URL) = {mask(admin)}" in summary[0], out


def test_a_failing_tests_output_masks_the_urls_it_shows(tmp_path):
    """pytest explains a failed assert with the arguments of the calls in it, and shows captured output."""
    (tmp_path / "test_probe.py").write_text(f'''
def applied(url):
    return []

def test_probe():
    url = "mysql://app:{ENCODED}@db/app"
    print("connecting to", url)
    assert applied(url)
''')
    out = subprocess.run([sys.executable, "-m", "pytest", "-p", "conftest", "-p", "no:cacheprovider",
                          f"--rootdir={tmp_path}", str(tmp_path / "test_probe.py")], cwd=tmp_path,
                         env=clean_env(PYTHONPATH=f"{ROOT / 'tests'}:{ROOT}"), capture_output=True, text=True,
                         timeout=120).stdout
    assert "1 failed" in out and "where [] = applied('mysql://***@db/app')" in out
    assert "connecting to mysql://***@db/app" in out and "FAILED test_probe.py::test_probe - AssertionError" in out
    assert leaks(out) == [] and ENCODED not in out
