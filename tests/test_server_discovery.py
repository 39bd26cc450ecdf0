"""Where the tests find a MariaDB server binary when they start one themselves: $MARIADB_BINDIR when it is
set (and only there), else PATH, else /usr/sbin and /usr/local/sbin, as PostgreSQL's pg_ctl is found
through $PG_BINDIR or PATH. The binary found is the one that starts.
"""

import os
import shutil

import pytest

from tools import servers
from tools.servers import ServerUnavailable, mysql_binaries

INSTALLED = mysql_binaries()


def linked(folder, binary: str) -> str:
    """`folder/<name>` as a link to the installed binary: the same server, found at a new place."""
    folder.mkdir(exist_ok=True)
    link = folder / os.path.basename(binary)
    link.symlink_to(os.path.realpath(binary))
    return str(link)


def test_a_mariadb_server_binary_is_installed():
    assert INSTALLED, "no mariadbd or mysqld found; make servers installs mariadb-server"


def test_the_override_folder_is_used_and_the_server_starts_from_it(tmp_path, monkeypatch):
    link = linked(tmp_path / "bin", INSTALLED[0])
    monkeypatch.setenv("MARIADB_BINDIR", str(tmp_path / "bin"))
    assert mysql_binaries()[0] == link
    server = servers._local_mysql()
    try:
        assert server.provider == f"local binaries ({link})"
        assert servers.server_version(server).startswith(("MariaDB", "MySQL"))
    finally:
        server.stop()


def test_path_is_searched_before_the_fixed_folders(tmp_path, monkeypatch):
    monkeypatch.delenv("MARIADB_BINDIR", raising=False)
    link = linked(tmp_path / "bin", INSTALLED[0])
    monkeypatch.setenv("PATH", f"{tmp_path / 'bin'}:{os.environ['PATH']}")
    assert mysql_binaries()[0] == link


def test_an_override_folder_without_a_server_is_not_silently_ignored(tmp_path, monkeypatch):
    monkeypatch.setenv("MARIADB_BINDIR", str(tmp_path))
    assert mysql_binaries() is None
    with pytest.raises(ServerUnavailable, match=f"MARIADB_BINDIR={tmp_path}"):
        servers._local_mysql()


def test_the_fixed_folders_are_the_last_resort(tmp_path, monkeypatch):
    monkeypatch.delenv("MARIADB_BINDIR", raising=False)
    monkeypatch.setenv("PATH", str(tmp_path))  # nothing on PATH
    found = mysql_binaries()
    in_sbin = [p for p in ("/usr/sbin/mariadbd", "/usr/local/sbin/mariadbd", "/usr/sbin/mysqld") if os.path.exists(p)]
    assert (found[0] if found else None) == (in_sbin[0] if in_sbin else None)
    assert shutil.which("mariadbd", path=str(tmp_path)) is None
