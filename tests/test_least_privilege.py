"""The whole chain applies and rolls back as a least-privileged database user, set up with exactly the
statements docs/failure-and-recovery.md gives a DBA ("Least privilege", the `-- least privilege, ...` blocks).

PostgreSQL: a role that is not a superuser and owns only its database, or one with rights on schema
public only; MySQL family: a user with privileges on one schema only. The test runs each documented block
as the admin (with the names and password replaced), checks the user holds nothing beyond it, then
applies every migration and rolls every one back as that user. SQLite has no users: a file it can
write is all it needs.
"""

import re
import secrets
import uuid

import pytest

from tools import migrations
from tools.migrations import ROOT, migration_ids
from tools.servers import connect

IDS = migration_ids("postgres")
BLOCK = re.compile(r"```sql\n-- least privilege, (postgres|mysql): (.*?)\n(.*?)```", re.S)


def documented_grant_blocks() -> list[tuple[str, str, str]]:
    return BLOCK.findall((ROOT / "docs" / "failure-and-recovery.md").read_text(encoding="utf-8"))


def run_block(server, sql: str, role: str, database: str, password: str) -> None:
    """Run a documented grant block as the admin; `\\c <db>` (psql) switches to that database."""
    sql = re.sub(r"\bapp_migrator\b", role, sql)
    sql = re.sub(r"\bapp\b", database, sql).replace("'change-me'", f"'{password}'")
    conn = server.admin()
    try:
        for part in re.split(r";\s*$|^(\\c \S+)$", sql, flags=re.M):
            lines = (part or "").splitlines()
            code = "\n".join(line for line in lines if not line.lstrip().startswith("--")).strip()
            if code.startswith("\\c "):
                conn.close()
                conn = connect(server.url_for(code.split()[1]), autocommit=True)
            elif code:
                conn.cursor().execute(code)
    finally:
        conn.close()


def test_the_readme_gives_the_grants_for_each_server_dialect():
    assert {dialect for dialect, _, _ in documented_grant_blocks()} == {"postgres", "mysql"}


def privileges_beyond_the_block(server, role: str, database: str) -> list:
    """What the user could do outside its database, from the server's own catalog."""
    conn = server.admin()
    try:
        cur = conn.cursor()
        if server.dialect == "postgres":
            cur.execute("SELECT rolname FROM pg_roles WHERE rolname = %s AND (rolsuper OR rolcreatedb OR "
                        "rolcreaterole OR rolreplication OR rolbypassrls)", (role,))
            found = [f"role attribute on {r[0]}" for r in cur.fetchall()]
            cur.execute("SELECT m.roleid::regrole::text FROM pg_auth_members m "
                        "JOIN pg_roles r ON r.oid = m.member WHERE r.rolname = %s", (role,))
            found += [f"member of {r[0]}" for r in cur.fetchall()]
            cur.execute("SELECT datname FROM pg_database d JOIN pg_roles r ON r.oid = d.datdba "
                        "WHERE r.rolname = %s AND datname <> %s", (role, database))
            return found + [f"owns database {r[0]}" for r in cur.fetchall()]
        grantee = f"'{role}'@'%'"
        cur.execute("SELECT PRIVILEGE_TYPE FROM information_schema.USER_PRIVILEGES WHERE GRANTEE = %s "
                    "AND PRIVILEGE_TYPE <> 'USAGE'", (grantee,))
        found = [f"global {r[0]}" for r in cur.fetchall()]
        cur.execute("SELECT TABLE_SCHEMA, PRIVILEGE_TYPE FROM information_schema.SCHEMA_PRIVILEGES "
                    "WHERE GRANTEE = %s AND TABLE_SCHEMA <> %s", (grantee, database))
        return found + [f"{r[1]} on {r[0]}" for r in cur.fetchall()]
    finally:
        conn.close()


def drop(server, role: str, database: str) -> None:
    conn = server.admin()
    try:
        cur = conn.cursor()
        if server.dialect == "postgres":
            cur.execute(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')
            cur.execute(f'DROP ROLE IF EXISTS "{role}"')
        else:
            cur.execute(f"DROP DATABASE IF EXISTS `{database}`")
            cur.execute(f"DROP USER IF EXISTS '{role}'@'%'")
    finally:
        conn.close()


@pytest.mark.parametrize("dialect,setup,sql", documented_grant_blocks(), ids=[f"{d}: {t}" for d, t, _ in documented_grant_blocks()])
def test_the_whole_chain_applies_and_rolls_back_as_a_least_privileged_user(dialect, setup, sql, servers):
    """Every migration applies, then every one rolls back, as a user holding only the documented grants."""
    server = servers.get(dialect)
    name = f"lp_{uuid.uuid4().hex[:12]}"
    password = secrets.token_hex(16)
    try:
        run_block(server, sql, role=name, database=name, password=password)
        assert privileges_beyond_the_block(server, name, name) == []
        url = server.url_for(name, user=name, password=password)

        migrations.apply(url, dialect)
        assert migrations.applied(url) == IDS
        migrations.rollback(url, dialect)
        assert migrations.applied(url) == []
        with connect(url, autocommit=True) as conn:
            cur = conn.cursor()
            if dialect == "postgres":
                cur.execute("SELECT tablename FROM pg_tables WHERE schemaname = 'public'")
            else:
                cur.execute("SHOW TABLES")
            left = sorted(row[0] for row in cur.fetchall() if row[0] not in migrations.TOOL_TABLES)
        assert left == [], f"tables left after rolling everything back: {left}"
    finally:
        drop(server, name, name)
