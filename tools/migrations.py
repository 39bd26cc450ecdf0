"""Where the migrations live, which dialect a database URL speaks, and yoyo's view of them.

Everything that has to know "which folder for this URL" or "the migrations in order" asks here,
so the Makefile, the tests and the benchmark agree.
"""

from __future__ import annotations

import os
import re
import sys
from functools import lru_cache
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
MIGRATIONS = ROOT / "migrations"
DIALECTS = ("sqlite", "mysql", "postgres")
DEFAULT_URL = f"sqlite:///{ROOT / 'var' / 'local.db'}"

# Tables that belong to yoyo or to this repository's tooling, never to the schema.
TOOL_TABLES = ("_yoyo_migration", "_yoyo_log", "_yoyo_version", "yoyo_lock", "_migration_checksums")

# URL scheme -> (dialect, the scheme yoyo needs). yoyo reads plain postgresql:// as psycopg2 and has
# no mysql+pymysql://, so the usual spellings are mapped to the drivers this repository installs.
_SCHEMES = {
    "sqlite": ("sqlite", "sqlite"),
    "mysql": ("mysql", "mysql"),
    "mysql+pymysql": ("mysql", "mysql"),
    "mariadb": ("mysql", "mysql"),
    "postgresql+psycopg": ("postgres", "postgresql+psycopg"),
    "postgresql": ("postgres", "postgresql+psycopg"),
    "postgres": ("postgres", "postgresql+psycopg"),
}


class UnknownDatabaseURL(ValueError):
    pass


def database_url() -> str:
    """DATABASE_URL from the environment, or the local SQLite file."""
    return os.environ.get("DATABASE_URL") or DEFAULT_URL


def target_url() -> str:
    """DATABASE_URL (or the local SQLite file) for a command-line tool: exits 2 naming the problem when
    its dialect is unknown, and creates the SQLite file's folder (sqlite3 will not)."""
    url = database_url()
    try:
        dialect_of(url)
    except UnknownDatabaseURL as exc:
        print(f"DATABASE_URL: {exc}", file=sys.stderr)
        raise SystemExit(2)
    if url.startswith("sqlite:///"):
        os.makedirs(os.path.dirname(url[len("sqlite://"):]) or ".", exist_ok=True)
    return url


def dialect_of(url: str) -> str:
    scheme = url.split("://", 1)[0].lower()
    if scheme not in _SCHEMES:
        known = ", ".join(f"{s}://" for s in _SCHEMES)
        raise UnknownDatabaseURL(f"cannot tell the dialect of {mask(url)!r}; use one of {known}")
    return _SCHEMES[scheme][0]


def yoyo_url(url: str) -> str:
    """The same URL with the scheme yoyo needs for the installed driver."""
    scheme, rest = url.split("://", 1)
    return f"{_SCHEMES[scheme.lower()][1]}://{rest}"


def mask(url: str) -> str:
    """The URL with its password replaced, for anything that is printed or logged."""
    parts = urlsplit(url)
    if parts.password is None:
        return url
    netloc = parts.netloc.replace(f":{parts.password}@", ":***@", 1)
    return urlunsplit(parts._replace(netloc=netloc))


def folder(dialect: str) -> Path:
    return MIGRATIONS / dialect


def migration_ids(dialect: str) -> list[str]:
    """Forward migration ids of one dialect folder, in file-name (= id) order."""
    return sorted(p.name[: -len(".sql")] for p in folder(dialect).glob("*.sql")
                  if not p.name.endswith(".rollback.sql") and not p.name.startswith("post-apply"))


def read(dialect: str, path: Path | None = None):
    """yoyo's MigrationList for one dialect folder, loaded now (and reused while no file changes).

    yoyo keeps a class-level registry of migrations keyed by id, and the same ids exist in every
    dialect folder: `depends` must be resolved right after reading, one folder at a time. Once loaded,
    a migration keeps what it resolved, so a loaded list stays right however many folders are read after.
    """
    where = Path(path or folder(dialect))
    files = tuple((p.name, p.stat().st_mtime_ns, p.stat().st_size) for p in sorted(where.glob("*.sql")))
    return _read(str(where), files)


@lru_cache(maxsize=64)
def _read(where: str, files: tuple):
    from yoyo import read_migrations

    migrations = read_migrations(where)
    for m in migrations:
        m.load()
    return migrations


def statements(path: Path) -> list[str]:
    """The statements yoyo will execute from one file, split the way yoyo splits them."""
    import sqlparse

    return [s for s in (s.strip() for s in sqlparse.split(path.read_text(encoding="utf-8"))) if s]


_DIRECTIVE = re.compile(r"^\s*--\s*(transactional|depends)\s*:\s*(.*)$")


def header(path: Path) -> list[str]:
    """The leading comment block of a file (the only place yoyo reads directives)."""
    lines = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip() == "" or line.lstrip().startswith("--"):
            lines.append(line)
        else:
            break
    return lines


def directives(path: Path) -> dict[str, str]:
    found = {}
    for line in header(path):
        m = _DIRECTIVE.match(line)
        if m:
            found[m.group(1)] = m.group(2).strip()
    return found


def is_transactional(dialect: str, migration_id: str) -> bool:
    return directives(folder(dialect) / f"{migration_id}.sql").get("transactional", "true") != "false"


def _chain(migrations, through: str | None):
    """The migrations up to and including `through` (all of them when None)."""
    if through is None:
        return migrations
    ids = [m.id for m in migrations]
    if through not in ids:
        raise KeyError(f"no migration {through!r}; known: {', '.join(ids)}")
    keep = set(ids[: ids.index(through) + 1])
    return migrations.filter(lambda m: m.id in keep)


def apply(url: str, dialect: str | None = None, through: str | None = None, path: Path | None = None) -> None:
    """Apply pending migrations (up to and including `through`) with yoyo's own API."""
    from yoyo import get_backend

    dialect = dialect or dialect_of(url)
    migrations = _chain(read(dialect, path), through)
    with get_backend(yoyo_url(url)) as backend, backend.lock():
        backend.apply_migrations(backend.to_apply(migrations))


def rollback(url: str, dialect: str | None = None, to: str | None = None, path: Path | None = None) -> None:
    """Roll back `to` and every migration after it (everything when None)."""
    from yoyo import get_backend

    dialect = dialect or dialect_of(url)
    migrations = read(dialect, path)
    if to is not None:
        ids = [m.id for m in migrations]
        later = set(ids[ids.index(to):])
        migrations = migrations.filter(lambda m: m.id in later)
    with get_backend(yoyo_url(url)) as backend, backend.lock():
        backend.rollback_migrations(backend.to_rollback(migrations))


def applied(url: str) -> list[str]:
    """Ids yoyo has recorded as applied, in id (= chain) order.

    Not in yoyo's recorded order: it stores whole seconds on MySQL, so migrations applied within one
    second tie.
    """
    from yoyo import get_backend

    with get_backend(yoyo_url(url)) as backend:
        cur = backend.execute(backend.format_sql("SELECT migration_id FROM _yoyo_migration"))
        return sorted(row[0] for row in cur.fetchall())


def pairs(dialect: str, migration_id: str) -> list[tuple[str | None, str | None]]:
    """(forward statement i, rollback statement n-1-i), the way yoyo pairs them for recovery."""
    from itertools import zip_longest

    forward = statements(folder(dialect) / f"{migration_id}.sql")
    rollback = statements(folder(dialect) / f"{migration_id}.rollback.sql")
    return list(zip_longest(forward, reversed(rollback)))


def pairing_matters(dialect: str, migration_id: str) -> bool:
    """yoyo runs the paired rollback statements after a failure only where DDL is not transactional."""
    return dialect == "mysql" or not is_transactional(dialect, migration_id)
