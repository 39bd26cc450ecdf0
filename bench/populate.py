"""Fill the four tables the online migrations alter with N rows each, server-side, with a progress bar.

PostgreSQL: INSERT ... SELECT FROM generate_series, one batch per statement. MySQL family: a
temporary table of 0..batch-1 (one multi-row INSERT), then INSERT ... SELECT from it per batch; this
works on MySQL 8 and MariaDB alike (no sequence engine, no recursion limit). Rows are ~200 bytes,
with distinct text, so the tables have a realistic size on disk. profiles.userId and feed_posts.userId
point at a small set of users, as the foreign key demands, by their real ids: ids need not be
contiguous (a Galera cluster hands out 1, 4, 7, ... through auto_increment_increment). Every feed post
is valid for feed-engagement's NOT NULLs: userId, content and visibility are set.
"""

from __future__ import annotations

import sys
import time

from tools.servers import connect

USERS = 1000
TABLES = ("feed_posts", "experience_launchpads", "projects", "profiles")
# PostgreSQL: each user with its rank by id from 0, to join row g to user g % USERS (ids may have gaps).
_USERS_BY_ROW = """(SELECT "id", row_number() OVER (ORDER BY "id") - 1 AS n FROM "users")"""

# One INSERT ... SELECT per table and dialect; {lo} is the first id of the batch, rows come from `g`.
_POSTGRES = {
    "users": """INSERT INTO "users" ("firstName", "lastName", "email", "password")
        SELECT 'First' || g, 'Last' || g, 'user' || g || '@bench.example', md5(g::text)
        FROM generate_series(%(lo)s::integer, %(hi)s::integer) AS g""",
    "experience_launchpads": """INSERT INTO "experience_launchpads" ("title", "description", "track", "createdAt", "updatedAt")
        SELECT 'Launchpad ' || g, repeat(md5(g::text), 4), (ARRAY['design', 'data', 'ops'])[1 + g %% 3],
               now() - g * interval '1 minute', now()
        FROM generate_series(%(lo)s::integer, %(hi)s::integer) AS g""",
    "projects": """INSERT INTO "projects" ("title", "description", "status", "createdAt", "updatedAt")
        SELECT 'Project ' || g, repeat(md5(g::text), 4), (ARRAY['open', 'in_progress', 'closed'])[1 + g %% 3],
               now() - g * interval '1 minute', now()
        FROM generate_series(%(lo)s::integer, %(hi)s::integer) AS g""",
    "profiles": """INSERT INTO "profiles" ("userId", "headline", "bio", "skills", "createdAt", "updatedAt")
        SELECT u."id", 'Headline ' || g, repeat(md5(g::text), 3), 'sql, python',
               now() - g * interval '1 minute', now()
        FROM generate_series(%(lo)s::integer, %(hi)s::integer) AS g
        JOIN {users_by_row} AS u ON u.n = g %% {users}""".format(users_by_row=_USERS_BY_ROW, users=USERS),
    "feed_posts": """INSERT INTO "feed_posts" ("userId", "content", "visibility", "createdAt", "updatedAt")
        SELECT u."id", repeat(md5(g::text), 5),
               (ARRAY['public', 'connections'])[1 + g %% 2]::"enum_feed_posts_visibility",
               now() - g * interval '1 minute', now()
        FROM generate_series(%(lo)s::integer, %(hi)s::integer) AS g
        JOIN {users_by_row} AS u ON u.n = g %% {users}""".format(users_by_row=_USERS_BY_ROW, users=USERS),
}

_MYSQL = {
    "users": """INSERT INTO `users` (`firstName`, `lastName`, `email`, `password`)
        SELECT CONCAT('First', %(lo)s + n), CONCAT('Last', %(lo)s + n),
               CONCAT('user', %(lo)s + n, '@bench.example'), MD5(%(lo)s + n)
        FROM bench_seq WHERE n <= %(hi)s - %(lo)s""",
    "experience_launchpads": """INSERT INTO `experience_launchpads` (`title`, `description`, `track`, `createdAt`, `updatedAt`)
        SELECT CONCAT('Launchpad ', %(lo)s + n), REPEAT(MD5(%(lo)s + n), 4),
               ELT(1 + MOD(%(lo)s + n, 3), 'design', 'data', 'ops'),
               NOW() - INTERVAL (%(lo)s + n) MINUTE, NOW()
        FROM bench_seq WHERE n <= %(hi)s - %(lo)s""",
    "projects": """INSERT INTO `projects` (`title`, `description`, `status`, `createdAt`, `updatedAt`)
        SELECT CONCAT('Project ', %(lo)s + n), REPEAT(MD5(%(lo)s + n), 4),
               ELT(1 + MOD(%(lo)s + n, 3), 'open', 'in_progress', 'closed'),
               NOW() - INTERVAL (%(lo)s + n) MINUTE, NOW()
        FROM bench_seq WHERE n <= %(hi)s - %(lo)s""",
    "profiles": """INSERT INTO `profiles` (`userId`, `headline`, `bio`, `skills`, `createdAt`, `updatedAt`)
        SELECT u.id, CONCAT('Headline ', %(lo)s + n), REPEAT(MD5(%(lo)s + n), 3),
               'sql, python', NOW() - INTERVAL (%(lo)s + n) MINUTE, NOW()
        FROM bench_seq JOIN bench_users u ON u.k = MOD(%(lo)s + n, {users})
        WHERE n <= %(hi)s - %(lo)s""".format(users=USERS),
    "feed_posts": """INSERT INTO `feed_posts` (`userId`, `content`, `visibility`, `createdAt`, `updatedAt`)
        SELECT u.id, REPEAT(MD5(%(lo)s + n), 5), ELT(1 + MOD(%(lo)s + n, 2), 'public', 'connections'),
               NOW() - INTERVAL (%(lo)s + n) MINUTE, NOW()
        FROM bench_seq JOIN bench_users u ON u.k = MOD(%(lo)s + n, {users})
        WHERE n <= %(hi)s - %(lo)s""".format(users=USERS),
}


class Progress:
    """A one-line progress bar: redrawn in place on a terminal, every 25 % otherwise."""

    def __init__(self, label: str, total: int, out=sys.stderr):
        self.label, self.total, self.out = label, total, out
        self.tty, self.shown, self.started = out.isatty(), -1, time.monotonic()

    def update(self, done: int) -> None:
        pct = 100 * done // self.total
        if not self.tty and pct // 25 == self.shown // 25 and done < self.total:
            return
        self.shown = pct
        bar = "#" * (pct * 30 // 100)
        line = (f"  {self.label:<22} [{bar:<30}] {pct:3d}%  {done:>9,}/{self.total:,} rows"
                f"  {time.monotonic() - self.started:5.1f}s")
        self.out.write(("\r" + line) if self.tty else (line + "\n"))
        if self.tty and done >= self.total:
            self.out.write("\n")
        self.out.flush()


def batch_size(rows: int) -> int:
    return max(1000, min(50_000, rows // 20))


def populate(url: str, dialect: str, rows: int) -> dict[str, float]:
    """Insert USERS users and `rows` rows into each table of TABLES; returns seconds per table."""
    sql = _POSTGRES if dialect == "postgres" else _MYSQL
    size = batch_size(rows)
    seconds = {}
    with connect(url, autocommit=True) as conn:
        cur = conn.cursor()
        if dialect == "mysql":
            cur.execute("CREATE TEMPORARY TABLE bench_seq (n INT NOT NULL PRIMARY KEY)")
            cur.execute("INSERT INTO bench_seq (n) VALUES " + ",".join(f"({i})" for i in range(size)))
        cur.execute(sql["users"], {"lo": 1, "hi": USERS})
        if dialect == "mysql":  # user ids need not be 1..USERS (Galera: auto_increment_increment)
            cur.execute("CREATE TEMPORARY TABLE bench_users (k INT NOT NULL PRIMARY KEY, id INT NOT NULL) "
                        "SELECT ROW_NUMBER() OVER (ORDER BY id) - 1 AS k, id FROM users")
        for table in TABLES:
            started = time.monotonic()
            bar = Progress(table, rows)
            for lo in range(1, rows + 1, size):
                hi = min(rows, lo + size - 1)
                cur.execute(sql[table], {"lo": lo, "hi": hi})
                bar.update(hi)
            seconds[table] = round(time.monotonic() - started, 2)
        # Fresh statistics and visibility maps, so autovacuum / the purge thread have nothing to catch up
        # on when the measurements start.
        for table in TABLES:
            if dialect == "postgres":
                cur.execute(f'VACUUM ANALYZE "{table}"')
            else:
                cur.execute(f"ANALYZE TABLE `{table}`")
                cur.fetchall()
        if dialect == "mysql":
            cur.execute("DROP TEMPORARY TABLE bench_seq, bench_users")
    return seconds


def table_sizes(url: str, dialect: str) -> dict[str, int]:
    """Bytes on disk per table (heap/clustered index plus secondary indexes)."""
    with connect(url, autocommit=True) as conn:
        cur = conn.cursor()
        sizes = {}
        for table in TABLES:
            if dialect == "postgres":
                cur.execute("SELECT pg_total_relation_size(%s::regclass)", (f'"{table}"',))
            else:
                cur.execute("SELECT data_length + index_length FROM information_schema.tables "
                            "WHERE table_schema = DATABASE() AND table_name = %s", (table,))
            sizes[table] = int(cur.fetchone()[0])
    return sizes
