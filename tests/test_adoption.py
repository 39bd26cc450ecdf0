"""Adopting a database the old system built, and detecting drift, through `make` as an operator would.

The old system's database is built here, not by running this repository's files: feed_posts in its old
shape is written out from the spec (section 1); the other tables the old system had (the base tables,
trust-payments, launchpad-workflows, profile-engagement-metrics; add-project-owner not deployed) are
rendered by `old_system_sql` from the committed model of the schema, the way the old system declared
them: on MySQL every foreign key and single-column unique inline and unnamed, so that the server
generates the names (`profiles_ibfk_1`, index `userId`, unique `email`) and ON UPDATE left out (which
InnoDB reports as RESTRICT). Next to them: `SequelizeMeta` with the old migrations that ran, and a table
of the old system the suite does not own (`jobs`), both with rows.
"""

import os
import subprocess

import pytest

from tools import adopt, checksums, model, schema
from tools.migrations import ROOT, migration_ids

IDS = migration_ids("postgres")
BASELINE, FEED, TRUST, LAUNCHPAD, OWNER, PROFILE = IDS
OLD_SYSTEM_HAS = [BASELINE, TRUST, LAUNCHPAD, PROFILE]
NOT_DEPLOYED = ("feed_reactions", "feed_comments", "feed_shares", "feed_activity_logs")
SEQUELIZE_META = ["20240501001000-create-marketplace-tables.cjs", "20240801090000-trust-payments.cjs",
                  "20240826094500-launchpad-workflows.cjs", "20240915094500-profile-engagement-metrics.cjs"]

OLD_FEED_POSTS = {  # spec, section 1: feed_posts as the old system's base migration created it
    "postgres": ['''CREATE TYPE "enum_feed_posts_visibility" AS ENUM ('public', 'connections')''',
                 '''CREATE TABLE "feed_posts" (
                        "id" SERIAL PRIMARY KEY,
                        "userId" INTEGER REFERENCES "users" ("id") ON DELETE CASCADE,
                        "content" TEXT,
                        "visibility" "enum_feed_posts_visibility" DEFAULT 'public',
                        "createdAt" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT CURRENT_TIMESTAMP,
                        "updatedAt" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT CURRENT_TIMESTAMP)'''],
    "mysql": ['''CREATE TABLE `feed_posts` (
                     `id` INT NOT NULL AUTO_INCREMENT PRIMARY KEY,
                     `userId` INT NULL,
                     `content` TEXT NULL,
                     `visibility` ENUM('public', 'connections') NULL DEFAULT 'public',
                     `createdAt` DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
                     `updatedAt` DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
                     FOREIGN KEY (`userId`) REFERENCES `users` (`id`) ON DELETE CASCADE
                 ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci'''],
    "sqlite": ['''CREATE TABLE "feed_posts" (
                      "id" INTEGER PRIMARY KEY AUTOINCREMENT,
                      "userId" INTEGER REFERENCES "users" ("id") ON DELETE CASCADE,
                      "content" TEXT,
                      "visibility" TEXT DEFAULT 'public' CHECK ("visibility" IN ('public', 'connections')),
                      "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
                      "updatedAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP)'''],
}


# --- the old system's database ---------------------------------------------------------------------

def _type(dialect: str, c: dict) -> str:
    family, name = c["type"], c["name"]
    if family.startswith("enum("):
        values = family[len("enum"):]
        return {"postgres": f'"{c["enum_type"]}"', "mysql": f"ENUM{values}",
                "sqlite": f'TEXT CHECK ("{name}" IN {values})'}[dialect]
    if family.startswith("decimal"):
        return ("NUMERIC" if dialect == "postgres" else "DECIMAL") + family[len("decimal"):]
    if family.startswith("varchar"):
        return family.upper()
    return {
        "postgres": {"integer": "INTEGER", "text": "TEXT", "timestamp": "TIMESTAMP WITH TIME ZONE", "date": "DATE",
                     "boolean": "BOOLEAN", "json": "JSON", "jsonb": "JSONB"},
        "mysql": {"integer": "INT", "text": "TEXT", "timestamp": "DATETIME", "date": "DATE", "boolean": "TINYINT(1)",
                  "json": "JSON"},
        "sqlite": {"integer": "INTEGER", "text": "TEXT", "timestamp": "DATETIME", "date": "DATE",
                   "boolean": f'BOOLEAN CHECK ("{name}" IN (0, 1))',
                   "json": f'JSON CHECK ("{name}" IS NULL OR json_valid("{name}"))'},
    }[dialect][family]


def old_system_sql(dialect: str) -> list[str]:
    """The old system's DDL for its tables other than feed_posts, rendered from the committed model at
    head without the tables and columns it never had."""
    m = schema.expected(dialect, IDS[-1])
    tables = {n: t for n, t in m["tables"].items() if n != "feed_posts" and n not in NOT_DEPLOYED}
    q = (lambda s: f"`{s}`") if dialect == "mysql" else (lambda s: f'"{s}"')
    statements, later = [], []
    enum_types = {c["enum_type"] for t in tables.values() for c in t["columns"] if c["enum_type"]}
    for name in sorted(enum_types):
        statements.append(f'CREATE TYPE "{name}" AS ENUM ' + model.enum(m["enum_types"][name]).removeprefix("enum"))
    for name, t in sorted(tables.items()):
        fks = [fk for fk in t["foreign_keys"] if not (name == "projects" and fk["columns"] == ["ownerId"])]
        lines = []
        for c in t["columns"]:
            if name == "projects" and c["name"] == "ownerId":
                continue
            if c["default"] == model.AUTO:
                lines.append(q(c["name"]) + {"postgres": " SERIAL PRIMARY KEY",
                                             "mysql": " INT NOT NULL AUTO_INCREMENT PRIMARY KEY",
                                             "sqlite": " INTEGER PRIMARY KEY AUTOINCREMENT"}[dialect])
                continue
            default = c["default"]
            if default and dialect != "postgres" and c["type"] == "boolean":
                default = {"false": "0", "true": "1"}[default]
            lines.append(f"{q(c['name'])} {_type(dialect, c)}" + ("" if c["nullable"] else " NOT NULL")
                         + (f" DEFAULT {default}" if default else ""))
        fk_names = {fk["name"] for fk in fks}
        for index in t["indexes"]:
            cols = ", ".join(q(c) for c in index["columns"])
            if index["name"] in fk_names or index["name"] == "projects_owner_id_idx":
                continue  # InnoDB makes its own index for a foreign key; owner index not deployed
            inline_unique = index["unique"] and len(index["columns"]) == 1 and index["name"].endswith("_key")
            if dialect == "mysql" and inline_unique:
                lines.append(f"UNIQUE ({cols})")  # the old system's inline unique: MySQL names it after the column
            elif index["unique"] and index["constraint"] is not False:
                lines.append(f"CONSTRAINT {q(index['name'])} UNIQUE ({cols})")
            else:
                unique = "UNIQUE " if index["unique"] else ""
                later.append(f"ALTER TABLE {q(name)} ADD {unique}INDEX {q(index['name'])} ({cols})" if dialect == "mysql"
                             else f"CREATE {unique}INDEX {q(index['name'])} ON {q(name)} ({cols})")
        for fk in fks:
            clause = (f"FOREIGN KEY ({', '.join(q(c) for c in fk['columns'])}) REFERENCES {q(fk['references'])} "
                      f"({', '.join(q(c) for c in fk['ref_columns'])}) ON DELETE {fk['on_delete']}")
            on_update = "" if dialect == "mysql" and fk["on_update"] == "NO ACTION" else f" ON UPDATE {fk['on_update']}"
            if dialect == "sqlite":
                lines.append(clause + on_update)
            elif dialect == "mysql":  # unnamed: the server names it <table>_ibfk_<n>
                later.append(f"ALTER TABLE {q(name)} ADD {clause}{on_update}")
            else:
                later.append(f"ALTER TABLE {q(name)} ADD CONSTRAINT {q(fk['name'])} {clause}{on_update}")
        suffix = " ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci" if dialect == "mysql" else ""
        statements.append(f"CREATE TABLE {q(name)} (\n    " + ",\n    ".join(lines) + f"\n){suffix}")
    return statements + later


def build_old_system(database, feed_posts_content=("first post", "second post", "third post")) -> None:
    conn = database.connect()
    try:
        cur = conn.cursor()
        for statement in old_system_sql(database.dialect) + OLD_FEED_POSTS[database.dialect]:
            cur.execute(statement)
        cur.execute(database.sql('CREATE TABLE "SequelizeMeta" ("name" VARCHAR(255) NOT NULL PRIMARY KEY)'))
        cur.execute(database.sql('CREATE TABLE "jobs" ("id" INTEGER NOT NULL PRIMARY KEY, "title" VARCHAR(80))'))
        for name in SEQUELIZE_META:
            cur.execute(database.sql('INSERT INTO "SequelizeMeta" ("name") VALUES (%s)'), (name,))
        for i in (1, 2):
            cur.execute(database.sql('INSERT INTO "jobs" ("id", "title") VALUES (%s, %s)'), (i, f"job {i}"))
            cur.execute(database.sql('INSERT INTO "users" ("email", "password") VALUES (%s, %s)'),
                        (f"user{i}@example.com", "x"))
        for i, content in enumerate(feed_posts_content):
            cur.execute(database.sql('INSERT INTO "feed_posts" ("userId", "content") VALUES (%s, %s)'),
                        (1 + i % 2, content))
    finally:
        conn.close()


# --- the operator's commands -------------------------------------------------------------------------

def make(target: str, database, **variables) -> subprocess.CompletedProcess:
    args = ["make", "-s", "--no-print-directory", target, f"DATABASE_URL={database.url}"]
    args += [f"{k}={v}" for k, v in variables.items()]
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "CONFIRM", "VERBOSE", "REVISION")}
    return subprocess.run(args, cwd=ROOT, env=env, capture_output=True, text=True)


def output(done: subprocess.CompletedProcess) -> str:
    return done.stdout + done.stderr


def rows(database, table: str) -> list[tuple]:
    return database.execute(f'SELECT * FROM "{table}" ORDER BY "id"')


def feed_posts_shape(database) -> dict:
    """feed_posts in the neutral model, with MySQL's server-generated names read as this repository's."""
    live, _ = adopt.live_model(database.url, database.dialect, list(adopt.steps(database.dialect).values()))
    return adopt.facts({"tables": {"feed_posts": live["tables"]["feed_posts"]}, "enum_types": {}}, database.dialect)


def expected_feed_posts(dialect: str, migration_id: str) -> dict:
    m = schema.expected(dialect, migration_id)
    return adopt.facts({"tables": {"feed_posts": m["tables"]["feed_posts"]}, "enum_types": {}}, dialect)


# --- tests ---------------------------------------------------------------------------------------------

def test_an_old_system_database_is_adopted_migrated_and_rolled_back_to_the_baseline(database):
    build_old_system(database)
    posts, jobs = rows(database, "feed_posts"), rows(database, "jobs")
    before = database.snapshot()

    plan = make("adopt", database)
    assert plan.returncode == 0, output(plan)
    for present in OLD_SYSTEM_HAS:
        assert f"present  {present}" in plan.stdout
    for pending in (FEED, OWNER):
        assert f"absent   {pending}" in plan.stdout
    assert "SequelizeMeta: 4 old migrations ran" in plan.stdout
    assert "ignored, not the suite's: 2 tables (SequelizeMeta, jobs)" in plan.stdout
    assert "CONFIRM=1" in plan.stdout and "nothing was changed" in plan.stdout
    assert database.snapshot() == before and adopt.recorded(database.url) == [], "the plan changed the database"

    confirmed = make("adopt", database, CONFIRM=1)
    assert confirmed.returncode == 0, output(confirmed)
    assert database.applied() == OLD_SYSTEM_HAS, "adopt must record exactly what is present, not ancestors"
    assert "make migrate" in confirmed.stdout
    assert {f.migration_id: f.status for f in checksums.verify(database.url)} == dict.fromkeys(OLD_SYSTEM_HAS, "ok")

    migrated = make("migrate", database)
    assert migrated.returncode == 0, output(migrated)
    assert database.applied() == IDS
    drift = make("drift", database)
    assert drift.returncode == 0, output(drift)
    assert "no drift" in drift.stdout
    assert rows(database, "jobs") == jobs
    assert [r[:3] for r in rows(database, "feed_posts")] == [r[:3] for r in posts], "posts were rewritten"
    assert feed_posts_shape(database) == expected_feed_posts(database.dialect, IDS[-1])

    back = make("rollback", database, REVISION=FEED)
    assert back.returncode == 0, output(back)
    assert database.applied() == [BASELINE]
    assert feed_posts_shape(database) == expected_feed_posts(database.dialect, BASELINE), \
        "the rollback did not return feed_posts to the old shape"
    assert rows(database, "feed_posts") == posts and rows(database, "jobs") == jobs
    assert make("drift", database).returncode == 0


def test_adopt_refuses_a_database_with_a_migration_partly_present(database):
    build_old_system(database)
    database.execute('DROP TABLE "dispute_events"')

    refused = make("adopt", database, CONFIRM=1)

    assert refused.returncode != 0, output(refused)
    assert f"{TRUST} is partly present" in refused.stderr
    assert "table dispute_events, columns in order:" in refused.stderr
    assert "database: (absent)" in refused.stderr
    assert "nothing was recorded" in refused.stderr
    assert adopt.recorded(database.url) == []


def test_adopt_refuses_a_database_newer_than_this_repository(database):
    build_old_system(database)
    database.execute('INSERT INTO "SequelizeMeta" ("name") VALUES (%s)', ("20241001000000-add-feed-pins.cjs",))

    refused = make("adopt", database, CONFIRM=1)

    assert refused.returncode != 0, output(refused)
    assert "this database is newer than this repository" in refused.stderr
    assert "20241001000000-add-feed-pins.cjs" in refused.stderr
    assert adopt.recorded(database.url) == []


def test_drift_passes_on_a_clean_database_and_names_a_dropped_index_and_a_changed_default(database):
    database.apply()
    clean = make("drift", database)
    assert clean.returncode == 0, output(clean)

    if database.dialect == "mysql":
        database.execute("ALTER TABLE `feed_comments` DROP INDEX `feed_comments_user_id`, "
                         "ADD INDEX `feed_comments_user_id_fk` (`userId`)")  # an FK needs some index on userId
        database.execute("ALTER TABLE `feed_shares` ALTER `channel` SET DEFAULT 'email'")
    elif database.dialect == "postgres":
        database.execute('DROP INDEX "feed_comments_user_id"')
        database.execute('ALTER TABLE "feed_shares" ALTER COLUMN "channel" SET DEFAULT \'email\'')
    else:
        database.execute('DROP INDEX "feed_comments_user_id"')
        database.execute("PRAGMA writable_schema = ON")
        database.execute("UPDATE sqlite_master SET sql = replace(sql, '\"channel\" TEXT NOT NULL DEFAULT ''copy''', "
                         "'\"channel\" TEXT NOT NULL DEFAULT ''email''') WHERE name = 'feed_shares'")
        database.execute("PRAGMA writable_schema = OFF")
        database.close()

    drifted = make("drift", database)

    assert drifted.returncode != 0, output(drifted)  # make turns the module's exit 1 into 2
    assert "table feed_comments, index feed_comments_user_id, definition:" in drifted.stdout
    assert "table feed_shares, column channel, default:" in drifted.stdout
    assert "expected: 'copy'" in drifted.stdout and "database: 'email'" in drifted.stdout


def test_feed_engagement_on_an_old_feed_posts_with_a_null_content_fails_clearly_and_changes_nothing(database):
    build_old_system(database, feed_posts_content=("first post", None, "third post"))
    assert make("adopt", database, CONFIRM=1).returncode == 0
    posts, before = rows(database, "feed_posts"), database.snapshot()

    failed = make("migrate", database)

    assert failed.returncode != 0
    assert "cannot set feed_posts.content NOT NULL: 1 rows are NULL" in output(failed)
    assert database.snapshot() == before, "the failed migration changed the schema"
    assert rows(database, "feed_posts") == posts
    assert database.applied() == OLD_SYSTEM_HAS


class _AsUser:
    """The few Database operations build_old_system needs, on a URL of our own."""

    def __init__(self, dialect: str, url: str):
        self.dialect, self.url = dialect, url

    def connect(self):
        from tools.servers import connect

        return connect(self.url, autocommit=True)

    def sql(self, text: str) -> str:
        return text.replace('"', "`") if self.dialect == "mysql" else text


@pytest.mark.parametrize("dialect", ["postgres", "mysql"])
def test_adopt_and_drift_need_only_the_migrators_grants_and_never_print_its_password(dialect, servers):
    """As a user holding only the documented least-privilege grants (no CREATE DATABASE): adopt, migrate,
    drift all work, and no output carries the password."""
    import secrets
    import uuid

    from test_least_privilege import drop, documented_grant_blocks, run_block

    server = servers.get(dialect)
    name, password = f"lp_{uuid.uuid4().hex[:12]}", secrets.token_hex(16)
    sql = next(block for d, _, block in documented_grant_blocks() if d == dialect)
    try:
        run_block(server, sql, role=name, database=name, password=password)
        user = _AsUser(dialect, server.url_for(name, user=name, password=password))
        build_old_system(user)
        for target, variables in (("adopt", {}), ("adopt", {"CONFIRM": 1}), ("migrate", {}), ("drift", {})):
            done = make(target, user, **variables)
            assert done.returncode == 0, f"make {target}: " + output(done).replace(password, "***")
            assert password not in output(done), f"make {target} printed the password"
    finally:
        drop(server, name, name)


@pytest.mark.parametrize("dialect", ["postgres"])
def test_postgres_feed_engagement_sets_not_null_without_scanning_feed_posts(dialect, make_database):
    """The validated CHECK lets PostgreSQL prove the three columns hold no NULL, so SET NOT NULL (under
    ACCESS EXCLUSIVE) reads no row: PostgreSQL says so at DEBUG1. The forward file's statements are run
    here one by one, as yoyo runs this non-transactional file, on a connection that listens."""
    from tools.migrations import folder, statements
    from tools.servers import connect

    database = make_database()
    database.apply(through=BASELINE)
    user = database.insert("users", email="a@example.com", password="x")
    database.insert("feed_posts", userId=user, content="kept")
    notices = {}
    conn = connect(database.url, autocommit=True)
    try:
        conn.add_notice_handler(lambda d: notices[statement].append(d.message_primary))
        cur = conn.cursor()
        cur.execute("SET client_min_messages = debug1")
        for statement in statements(folder("postgres") / f"{FEED}.sql"):
            notices[statement] = []
            cur.execute(statement)
    finally:
        conn.close()

    set_not_null = [s for s in notices if 'ALTER COLUMN "visibility" SET NOT NULL' in s]
    assert len(set_not_null) == 1
    notices = notices[set_not_null[0]]
    for column in ("userId", "content", "visibility"):
        assert (f'existing constraints on column "feed_posts.{column}" are sufficient to prove that it does not '
                "contain nulls") in notices
    assert 'verifying table "feed_posts"' not in notices
    assert database.execute('SELECT "content" FROM "feed_posts"') == [("kept",)]
