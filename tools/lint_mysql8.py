"""MySQL 8 compatibility checks over migrations/mysql, run by `make lint` (tools/lint.py).

The MySQL files run on MariaDB in this repository's tests, so a file that only MariaDB accepts passes
every test here and fails on MySQL 8.0/8.4. These checks catch what the tests cannot:

1. MariaDB-only syntax: `CREATE OR REPLACE`, `IF [NOT] EXISTS` on columns, indexes and keys inside
   ALTER TABLE, `CREATE INDEX IF NOT EXISTS`, `ALGORITHM=NOCOPY`, `ALTER ONLINE TABLE`, `WAIT n` /
   `NOWAIT` on DDL, `SET STATEMENT ... FOR`, `RETURNING`, sequences, system versioning, the INET4/INET6/
   UUID types, MariaDB-only engines (Aria, ColumnStore, S3, CONNECT, Spider) and column compression.
2. Words reserved in MySQL 8.0 or 8.4 but not in MySQL 5.7 (the ones a file written against MariaDB or
   5.7 trips over) used unquoted as a table, column, index or constraint name.
3. `LOCK=NONE` on a table that has, or gets in that statement, a foreign key with ON DELETE/UPDATE
   CASCADE or SET NULL. The MySQL 8.0/8.4 manual ("Online DDL Limitations"): "The ALTER TABLE clause
   LOCK=NONE is not permitted if there are ON...CASCADE or ON...SET NULL constraints on the table."
   MariaDB accepts it, so only this check sees it. The keys are followed through every migration in
   order (CREATE TABLE, ADD/DROP FOREIGN KEY, DROP TABLE), forward files and rollback files alike.
4. Identifiers over 64 characters, MySQL's limit for table, column, index and constraint names.

Each function takes the folder to check (default migrations/mysql) so that tests can plant a defect in
a copy. Findings are `path:line: message`.
"""

from __future__ import annotations

import re
from pathlib import Path

from tools.migrations import ROOT, folder, statements

MAX_IDENTIFIER = 64

# MySQL 8.0 "Keywords and Reserved Words", the words marked (R) that were new in 8.0, and those new in
# 8.4; none of them is reserved in MySQL 5.7.
RESERVED_SINCE_8 = {
    "CUBE", "CUME_DIST", "DENSE_RANK", "EMPTY", "EXCEPT", "FIRST_VALUE", "FUNCTION", "GROUPING", "GROUPS",
    "INTERSECT", "JSON_TABLE", "LAG", "LAST_VALUE", "LATERAL", "LEAD", "NTH_VALUE", "NTILE", "OF", "OVER",
    "PERCENT_RANK", "RANK", "RECURSIVE", "ROW", "ROWS", "ROW_NUMBER", "SYSTEM", "WINDOW",
    # new in 8.4
    "MANUAL", "PARALLEL", "QUALIFY", "TABLESAMPLE",
}

MARIADB_ONLY = [
    (r"\bCREATE\s+OR\s+REPLACE\s+(?:TABLE|INDEX|DATABASE|USER|SEQUENCE)\b", "CREATE OR REPLACE"),
    (r"\b(?:ADD|DROP|MODIFY|CHANGE|RENAME)\s+(?:COLUMN\s+|INDEX\s+|KEY\s+|CONSTRAINT\s+|FOREIGN\s+KEY\s+|"
     r"PARTITION\s+)?IF\s+(?:NOT\s+)?EXISTS\b", "IF [NOT] EXISTS inside ALTER TABLE"),
    (r"\bCREATE\s+(?:UNIQUE\s+)?INDEX\s+IF\s+NOT\s+EXISTS\b", "CREATE INDEX IF NOT EXISTS"),
    (r"\bDROP\s+INDEX\s+IF\s+EXISTS\b", "DROP INDEX IF EXISTS"),
    (r"\bALGORITHM\s*=\s*NOCOPY\b", "ALGORITHM=NOCOPY"),
    (r"\bALTER\s+ONLINE\s+(?:IGNORE\s+)?TABLE\b", "ALTER ONLINE TABLE"),
    (r"\b(?:ALTER|DROP|TRUNCATE|RENAME)\s+TABLE\s+[^;]*?\b(?:WAIT\s+\d+|NOWAIT)\b", "WAIT n / NOWAIT on DDL"),
    (r"\bSET\s+STATEMENT\b[\s\S]*?\bFOR\b", "SET STATEMENT ... FOR"),
    (r"\bRETURNING\b", "RETURNING"),
    (r"\b(?:CREATE|ALTER|DROP)\s+SEQUENCE\b|\bNEXT\s+VALUE\s+FOR\b|\bNEXTVAL\s*\(", "sequences"),
    (r"\bWITH\s+SYSTEM\s+VERSIONING\b|\bPERIOD\s+FOR\b", "system versioning / application periods"),
    (r"`\w+`\s+(?:INET4|INET6|UUID)\b", "INET4/INET6/UUID column type"),
    (r"\bENGINE\s*=\s*(?:Aria|ColumnStore|S3|CONNECT|Spider|Mroonga|SEQUENCE)\b", "a MariaDB-only engine"),
    (r"\bCOMPRESSED\b(?!\s*=)", "column compression (COMPRESSED column attribute)"),
    (r"\bPAGE_COMPRESSED\s*=", "PAGE_COMPRESSED"),
]

_IDENT = r"(?:`[^`]+`|\w+)"
_TYPES = (r"(?:INT|INTEGER|TINYINT|SMALLINT|MEDIUMINT|BIGINT|VARCHAR|CHAR|TEXT|TINYTEXT|MEDIUMTEXT|LONGTEXT|"
          r"DECIMAL|NUMERIC|FLOAT|DOUBLE|DATETIME|DATE|TIMESTAMP|TIME|YEAR|BOOLEAN|BOOL|JSON|ENUM|SET|BLOB|"
          r"BINARY|VARBINARY|BIT)\b")


def _rel(path: Path) -> str:
    try:
        return str(path.relative_to(ROOT))
    except ValueError:
        return str(path)


def _strip(statement: str) -> str:
    """The statement without comments and with string literals blanked (keeps line structure)."""
    out = []
    for line in statement.splitlines():
        line = re.sub(r"'(?:[^'\\]|\\.|'')*'", "''", line)
        out.append(re.split(r"--|#", line, maxsplit=1)[0])
    return "\n".join(out)


def _located(path: Path):
    """(statement, code without comments/literals, line where the statement starts) for one file."""
    text = path.read_text(encoding="utf-8")
    position = 0
    for statement in statements(path):
        start = text.find(statement, position)
        position = start + len(statement) if start >= 0 else position
        yield statement, _strip(statement), text.count("\n", 0, max(start, 0)) + 1


def _line(code: str, offset: int, first: int) -> int:
    return first + code.count("\n", 0, offset)


def _files(where: Path) -> list[Path]:
    return sorted(p for p in where.glob("*.sql") if not p.name.startswith("post-apply"))


def _ordered(where: Path) -> list[tuple[Path, Path]]:
    """(forward, rollback) per migration, in id (file name) order, as yoyo applies them."""
    forwards = sorted(p for p in where.glob("*.sql")
                      if not p.name.endswith(".rollback.sql") and not p.name.startswith("post-apply"))
    return [(f, f.with_name(f.name[:-4] + ".rollback.sql")) for f in forwards]


# --- 1. MariaDB-only syntax -----------------------------------------------------------------------

def mariadb_only_syntax(where: Path | None = None) -> list[str]:
    findings = []
    for path in _files(where or folder("mysql")):
        for _statement, code, first in _located(path):
            for pattern, what in MARIADB_ONLY:
                for m in re.finditer(pattern, code, re.I):
                    findings.append(f"{_rel(path)}:{_line(code, m.start(), first)}: {what} is MariaDB-only; "
                                    f"MySQL 8.0/8.4 rejects it")
    return findings


# --- 2. words reserved since MySQL 8 used unquoted -----------------------------------------------

def _unquoted_names(code: str):
    """(offset, name) of every unquoted identifier in a name position of a DDL statement."""
    positions = [
        r"\b(?:TABLE|INDEX|KEY|CONSTRAINT|COLUMN|REFERENCES|ON)\s+(?:IF\s+(?:NOT\s+)?EXISTS\s+)?(\w+)",
        rf"^\s*(?:ADD\s+(?:COLUMN\s+)?)?(\w+)\s+{_TYPES}",  # column definitions, one per line
    ]
    for pattern in positions:
        for m in re.finditer(pattern, code, re.I | re.M):
            yield m.start(1), m.group(1)
    # column lists: INDEX name (a, b), UNIQUE (a), FOREIGN KEY (a), REFERENCES t (a)
    for m in re.finditer(rf"\b(?:INDEX|KEY|UNIQUE|REFERENCES\s+{_IDENT})\s*(?:{_IDENT}\s*)?\(([^)]*)\)", code, re.I):
        for c in re.finditer(r"(?<![`\w])(\w+)(?![`\w(])", m.group(1)):
            if not re.fullmatch(r"\d+|ASC|DESC", c.group(1), re.I):
                yield m.start(1) + c.start(1), c.group(1)


def reserved_words(where: Path | None = None) -> list[str]:
    findings = []
    for path in _files(where or folder("mysql")):
        for _statement, code, first in _located(path):
            for offset, name in _unquoted_names(code):
                if name.upper() in RESERVED_SINCE_8:
                    findings.append(f"{_rel(path)}:{_line(code, offset, first)}: {name} is a reserved word in "
                                    f"MySQL 8.0/8.4; quote it as `{name}`")
    return sorted(set(findings))


# --- 3. LOCK=NONE on a table with a cascading foreign key ----------------------------------------

_FK = re.compile(rf"(?:CONSTRAINT\s+({_IDENT})\s+)?FOREIGN\s+KEY\s*(?:{_IDENT}\s*)?\([^)]*\)\s*REFERENCES\s+"
                 rf"{_IDENT}\s*\([^)]*\)((?:\s+ON\s+(?:DELETE|UPDATE)\s+(?:CASCADE|SET\s+NULL|SET\s+DEFAULT|"
                 rf"RESTRICT|NO\s+ACTION))*)", re.I)


def _name(token: str) -> str:
    return token[1:-1] if token.startswith("`") else token


def _keys_declared(code: str) -> dict[str, bool]:
    """{foreign key name: cascades?} declared in a statement (CREATE TABLE or ALTER TABLE ... ADD)."""
    keys = {}
    for i, m in enumerate(_FK.finditer(code)):
        name = _name(m.group(1)) if m.group(1) else f"<unnamed {i}>"
        keys[name] = bool(re.search(r"\b(?:CASCADE|SET\s+NULL)\b", m.group(2) or "", re.I))
    return keys


def _step(code: str, tables: dict[str, dict[str, bool]]) -> tuple[str | None, bool]:
    """Apply one statement to the foreign-key model; return (table it alters with LOCK=NONE, cascades?)."""
    create = re.match(rf"\s*CREATE\s+TABLE\s+(?:IF\s+NOT\s+EXISTS\s+)?({_IDENT})", code, re.I)
    if create:
        tables[_name(create.group(1))] = _keys_declared(code)
        return None, False
    for m in re.finditer(rf"\bDROP\s+TABLE\s+(?:IF\s+EXISTS\s+)?({_IDENT}(?:\s*,\s*{_IDENT})*)", code, re.I):
        for t in re.split(r"\s*,\s*", m.group(1)):
            tables.pop(_name(t.strip()), None)
    alter = re.match(rf"\s*ALTER\s+TABLE\s+({_IDENT})", code, re.I)
    index = re.match(rf"\s*CREATE\s+(?:UNIQUE\s+)?INDEX\s+{_IDENT}\s+ON\s+({_IDENT})", code, re.I)
    target = alter or index
    if not target:
        return None, False
    table = _name(target.group(1))
    keys = tables.setdefault(table, {})
    before = any(keys.values())
    keys.update(_keys_declared(code) if alter else {})
    cascades = before or any(keys.values())
    for m in re.finditer(rf"\bDROP\s+FOREIGN\s+KEY\s+({_IDENT})", code, re.I):
        keys.pop(_name(m.group(1)), None)
    if re.search(r"\bLOCK\s*=\s*NONE\b", code, re.I):
        return table, cascades
    return None, False


def lock_none_on_cascading_tables(where: Path | None = None) -> list[str]:
    findings = []
    tables: dict[str, dict[str, bool]] = {}

    def check(path: Path, model: dict) -> None:
        for _statement, code, first in _located(path):
            table, cascades = _step(code, model)
            if table and cascades:
                offset = re.search(r"\bLOCK\s*=\s*NONE\b", code, re.I).start()
                findings.append(f"{_rel(path)}:{_line(code, offset, first)}: LOCK=NONE on {table}, which has or "
                                f"gets an ON ... CASCADE / SET NULL foreign key: MySQL 8 refuses it (MariaDB "
                                f"accepts it); leave the LOCK clause out or use ALGORITHM=INSTANT")

    for forward, rollback in _ordered(where or folder("mysql")):
        check(forward, tables)
        if rollback.exists():
            check(rollback, {t: dict(k) for t, k in tables.items()})  # the rollback starts from after forward
    return findings


# --- 4. identifiers over 64 characters ------------------------------------------------------------

def long_identifiers(where: Path | None = None) -> list[str]:
    findings = []
    for path in _files(where or folder("mysql")):
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            for token in re.findall(r"`([^`]+)`", line.split("--", 1)[0]):
                if len(token) > MAX_IDENTIFIER:
                    findings.append(f"{_rel(path)}:{number}: identifier {token!r} is {len(token)} characters; "
                                    f"MySQL allows {MAX_IDENTIFIER}")
    return findings


CHECKS = [("MySQL 8: no MariaDB-only syntax", mariadb_only_syntax),
          ("MySQL 8: no reserved word unquoted", reserved_words),
          ("MySQL 8: no LOCK=NONE on a table with cascading keys", lock_none_on_cascading_tables),
          ("MySQL 8: identifiers <= 64 characters", long_identifiers)]
