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
from urllib.parse import quote, unquote, urlsplit

ROOT = Path(__file__).resolve().parent.parent
MIGRATIONS = ROOT / "migrations"
DIALECTS = ("sqlite", "mysql", "postgres")
DEFAULT_URL = "sqlite:///" + quote(str(ROOT / "var" / "local.db"), safe="/")
# KEY=VALUE lines, untracked (.gitignore): DATABASE_URL read from here when the environment has none.
ENV_FILE = ROOT / ".env"

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


class BadDatabaseURL(ValueError):
    """A URL (or .env) that cannot be read one way only. The message never holds the password."""


class UnknownDatabaseURL(BadDatabaseURL):
    pass


ENCODE_HINT = ("percent-encode these characters in the user and password: @ as %40 (p@ss -> p%40ss), "
               "/ as %2F, ? as %3F, # as %23, % as %25, a space as %20")
SQLITE_FORMS = ("sqlite:///relative/path.db (relative to the repository root, where make runs yoyo) "
                "or sqlite:////absolute/path.db")


def read_env_file(path: Path | None = None) -> dict[str, str]:
    """The KEY=VALUE pairs of `.env` (empty when there is none).

    One pair a line; blank lines and lines starting with # are skipped; `export KEY=VALUE` is accepted;
    the value is everything after the first `=`, surrounding spaces removed, one pair of matching
    quotes ('...' or "...") removed, nothing else interpreted (no $VAR, no escapes, no inline comments).
    A malformed line is refused naming its number, never its text (it may hold a password).
    """
    path = ENV_FILE if path is None else path
    if not path.is_file():
        return {}
    found = {}
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        text = line.strip()
        if not text or text.startswith("#"):
            continue
        if text.startswith("export "):
            text = text[len("export "):].lstrip()
        key, sep, value = text.partition("=")
        key, value = key.strip(), value.strip()
        if not sep or not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", key):
            raise BadDatabaseURL(f"{_shown(path)} line {n}: not KEY=VALUE")
        if len(value) >= 2 and value[0] == value[-1] and value[0] in "'\"":
            value = value[1:-1]
        found[key] = value
    return found


def _shown(path: Path) -> str:
    try:
        return str(path.relative_to(ROOT))
    except ValueError:
        return str(path)


def database_url_and_source(env_file: Path | None = None) -> tuple[str, str]:
    """DATABASE_URL and where it came from: the environment wins, then `.env`, then the local SQLite file.

    An empty DATABASE_URL counts as unset.
    """
    if os.environ.get("DATABASE_URL"):
        return os.environ["DATABASE_URL"], "DATABASE_URL"
    path = ENV_FILE if env_file is None else env_file
    from_file = read_env_file(path).get("DATABASE_URL")
    if from_file:
        return from_file, f"DATABASE_URL (from {_shown(path)})"
    return DEFAULT_URL, "the default (DATABASE_URL unset)"


def database_url() -> str:
    """DATABASE_URL from the environment, else from `.env`, else the local SQLite file."""
    return database_url_and_source()[0]


def target_url() -> str:
    """DATABASE_URL (environment, `.env`, or the local SQLite file) for a command-line tool.

    Exits 2 with one masked line when the URL cannot be read one way only (check_url), before anything
    connects. For SQLite, creates the file's own folder when only that one is missing (sqlite3 will not).
    """
    try:
        url, source = database_url_and_source()
    except BadDatabaseURL as exc:
        print(f"DATABASE_URL: {exc}", file=sys.stderr)
        raise SystemExit(2)
    try:
        if check_url(url) == "sqlite":
            _sqlite_folder(url)
    except BadDatabaseURL as exc:
        print(f"{source}: {exc}", file=sys.stderr)
        raise SystemExit(2)
    return url


def dialect_of(url: str) -> str:
    scheme = url.split("://", 1)[0].lower() if "://" in url else ""
    if scheme not in _SCHEMES:
        known = ", ".join(f"{s}://" for s in _SCHEMES)
        raise UnknownDatabaseURL(f"cannot tell the dialect of {mask(url)!r}; use one of {known}")
    return _SCHEMES[scheme][0]


def check_url(url: str) -> str:
    """The dialect of `url`, or BadDatabaseURL (message masked) when it can be read more than one way.

    Refused: no scheme or an unknown one; a space or control character; a % not followed by two hex
    digits; for a server, a /, ?, # or a second @ in the user:password part (before the last @), or a
    port that is not a number; for SQLite, a host, a ? or # in the path, an empty path, :memory:.
    """
    shown = mask(url)
    if "://" not in url:
        raise BadDatabaseURL(f"{shown!r} is not a URL: expected <scheme>://..., e.g. "
                             f"postgresql://user:password@host:5432/db or {SQLITE_FORMS}")
    dialect = dialect_of(url)
    if re.search(r"[\x00-\x20\x7f]", url):
        raise BadDatabaseURL(f"{shown!r} contains a space or a control character; {ENCODE_HINT}")
    if re.search(r"%(?![0-9A-Fa-f]{2})", url):
        raise BadDatabaseURL(f"{shown!r} has a % that is not followed by two hex digits; {ENCODE_HINT}")
    rest = url.split("://", 1)[1]
    if dialect == "sqlite":
        if not rest.startswith("/") or "@" in rest:
            raise BadDatabaseURL(f"{shown!r}: a SQLite URL has no host or user; write {SQLITE_FORMS}")
        if "?" in rest or "#" in rest:
            raise BadDatabaseURL(f"{shown!r}: yoyo would cut the path at ? or #; percent-encode them "
                                 f"(%3F, %23) if they are part of the file name")
        path = unquote(rest[1:])
        if not path or path.endswith("/") or path.startswith("//"):
            raise BadDatabaseURL(f"{shown!r} names no file; write {SQLITE_FORMS}")
        if path == ":memory:" or path.startswith("file:"):
            raise BadDatabaseURL(f"{shown!r}: migrations need a database file; write {SQLITE_FORMS}")
        return dialect
    if "@" in rest:
        userinfo = rest.rsplit("@", 1)[0]
        if any(c in userinfo for c in "/?#@"):
            raise BadDatabaseURL(f"{shown!r} cannot be read one way only: the part before the last @ "
                                 f"(user:password) holds a /, ?, # or @; {ENCODE_HINT}")
    try:
        parts = urlsplit(url)
        parts.port  # ValueError for a port that is not a number 0-65535 (its text is not shown)
    except ValueError:
        raise BadDatabaseURL(f"{shown!r} cannot be parsed: the host part must be host or host:port with a "
                             f"numeric port; if the password holds : / ? # @ %, {ENCODE_HINT}") from None
    return dialect


def sqlite_path(url: str) -> Path:
    """The file yoyo opens for a SQLite URL, absolute.

    yoyo (9.0.0, backends/core/sqlite3.py) opens `file:<the URL's path minus its first />` as an SQLite
    URI: `sqlite:///var/x.db` is var/x.db relative to the directory yoyo runs in (the repository root for
    every make target), `sqlite:////srv/x.db` is /srv/x.db, and %XX escapes are decoded.
    """
    path = Path(unquote(url.split("://", 1)[1][1:]))
    return path if path.is_absolute() else ROOT / path


def _sqlite_folder(url: str) -> None:
    """Create the SQLite file's own folder when it is missing and its parent exists; nothing else."""
    parent = sqlite_path(url).parent
    if parent.is_dir():
        return
    if not parent.parent.is_dir():
        raise BadDatabaseURL(f"{mask(url)!r}: the folder {parent.parent} does not exist (only the database "
                             f"file's own folder is created); {SQLITE_FORMS}")
    parent.mkdir()
    print(f"created the folder {_shown(parent)} for {mask(url)}", file=sys.stderr)


def yoyo_url(url: str) -> str:
    """The same URL with the scheme yoyo needs for the installed driver. A relative SQLite path is made
    absolute against the repository root, so yoyo opens the same file from whatever directory it runs in.
    """
    scheme, rest = url.split("://", 1)
    target = _SCHEMES[scheme.lower()][1]
    if target == "sqlite" and rest.startswith("/") and not rest.startswith("//"):
        return f"sqlite:///{quote(str(ROOT), safe='/')}/{rest[1:]}"
    return f"{target}://{rest}"


def mask(url: str) -> str:
    """The URL with everything between :// and the last @ replaced by ***, for anything printed or logged.

    By position only, never by parsing, so a URL that does not parse is masked all the same. Without
    ://, everything before the last @ is masked.
    """
    if "@" not in url:
        return url
    scheme, sep, rest = url.partition("://")
    host = url.rsplit("@", 1)[1]
    return f"{scheme}://***@{host}" if sep and "@" in rest else f"***@{host}"


def mask_in(text: str, *urls: str) -> str:
    """`text` with each of `urls`, and anything else shaped like scheme://...@, masked."""
    for url in urls:
        if url:
            text = text.replace(url, mask(url))
    return re.sub(r"\b([A-Za-z][A-Za-z0-9+.-]*://)\S*@", r"\1***@", text)


def database_errors() -> tuple[type[Exception], ...]:
    """The exception classes of the drivers and of yoyo that mean "the database said no"."""
    import sqlite3

    import psycopg
    import pymysql
    from yoyo.exceptions import LockTimeout

    return (psycopg.Error, pymysql.err.Error, sqlite3.Error, LockTimeout)


def one_line(exc: BaseException, url: str) -> str:
    """An error as one masked line: its class and the first line of its message (VERBOSE=1 for more)."""
    first = (str(exc).strip().splitlines() or [""])[0]
    return mask_in(f"{type(exc).__name__}: {first}", url) + "  (VERBOSE=1 shows the traceback)"


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


_TODO = re.compile(r"\bTODO\b")


def unfinished_migrations(dialect: str, path: Path | None = None) -> list[tuple[Path, str]]:
    """Migration files of one dialect folder that are not finished, with the reason: (file, reason).

    A file is unfinished when it has no statements (what `make new` creates; yoyo would record the
    empty migration as applied, or unmark it without undoing anything) or when its header still holds
    a TODO. Forward and rollback files are both checked, in id order.
    """
    import sqlparse

    where = Path(path or folder(dialect))
    found = []
    for migration_id in sorted(p.name[:-len(".sql")] for p in where.glob("*.sql")
                               if not p.name.endswith(".rollback.sql") and not p.name.startswith("post-apply")):
        for name in (f"{migration_id}.sql", f"{migration_id}.rollback.sql"):
            file = where / name
            if not file.exists():
                continue
            reasons = []
            if not any(sqlparse.format(s, strip_comments=True).strip() for s in statements(file)):
                reasons.append("no statements")
            if any(_TODO.search(line) for line in header(file)):
                reasons.append("TODO left in the header")
            if reasons:
                found.append((file, "; ".join(reasons)))
    return found


def unfinished_message(found: list[tuple[Path, str]]) -> str:
    """What `make plan` / `make migrate` / `make rollback` print when they refuse unfinished migrations."""
    lines = ["refusing to run: unfinished migration file(s) (yoyo would record an empty migration as "
             "applied, or unmark one without undoing it):"]
    lines += [f"  {_shown(file)}: {reason}" for file, reason in found]
    lines.append("Write the statements and fill in every TODO of the header, or delete the migration's six "
                 "files if it was created by mistake.")
    return "\n".join(lines)


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
