"""A migration that fails at any statement leaves the database exactly as it was before that migration.

For every migration, every forward statement position k and every dialect, a scratch copy of the
migration in which statement k is replaced by a statement that fails is applied to a database at the
state before that migration. It must raise, leave the catalog equal to the snapshot taken before, and
leave the migration unrecorded; then the unmodified migration applies cleanly.

PostgreSQL and SQLite get this from the transaction yoyo wraps around a migration. MySQL (every DDL
statement commits) and a `-- transactional: false` migration get it only from yoyo running the rollback
statements paired with the statements that already ran, so this is the test of the rollback files'
statement-for-statement mirroring.

The injected statement is `DROP TABLE injected_failure_no_such_table`: it fails on every dialect, whatever
state the migration has reached, without doing anything itself, and it is DDL. On MySQL a DDL statement
commits the open transaction before it runs, so yoyo's savepoint is gone when it fails (yoyo then
reports `SAVEPOINT sp_N does not exist` with the real error chained): the path a real failing ALTER or
CREATE takes. On MySQL the non-DDL `INSERT INTO injected_failure_no_such_table` runs too: it fails with
the savepoint intact, the path of a failing DML or SET statement. On PostgreSQL and SQLite both kinds go
through the same mechanism (a transaction, or autocommit under `transactional: false`), so one is enough.
"""

import functools
import subprocess
import sys
from pathlib import Path

import pytest

from tools.catalog import differences
from tools.migrations import folder, header, migration_ids, statements, yoyo_url

IDS = migration_ids("postgres")
MISSING = "injected_failure_no_such_table"
FAILING = {"ddl": f"DROP TABLE {MISSING};", "dml": f"INSERT INTO {MISSING} VALUES (1);"}
KINDS = {"sqlite": ("ddl",), "postgres": ("ddl",), "mysql": ("ddl", "dml")}
YOYO = str(Path(sys.executable).with_name("yoyo"))


@functools.cache
def body(dialect: str, migration_id: str) -> tuple[str, ...]:
    """The statements of a forward file without its header comment block."""
    stmts = statements(folder(dialect) / f"{migration_id}.sql")
    lines = stmts[0].splitlines()
    while lines and (not lines[0].strip() or lines[0].lstrip().startswith("--")):
        lines.pop(0)
    return ("\n".join(lines), *stmts[1:])


def scratch_migration(dialect: str, migration_id: str, k: int, failing: str, into: Path) -> Path:
    """A folder holding only `migration_id`, its statement k replaced by `failing`, and its rollback file.

    The `-- depends:` line is dropped (the migrations before it are applied and not in the folder);
    `-- transactional:` is kept. The statement count, and so yoyo's forward/rollback pairing, is unchanged.
    """
    source = folder(dialect) / f"{migration_id}.sql"
    stmts = list(body(dialect, migration_id))
    stmts[k] = failing
    head = [line for line in header(source) if "depends:" not in line]
    into.mkdir(parents=True, exist_ok=True)
    target = into / source.name
    target.write_text("\n".join(head).rstrip() + "\n\n" + "\n\n".join(stmts) + "\n", encoding="utf-8")
    rollback = f"{migration_id}.rollback.sql"
    (into / rollback).write_bytes((folder(dialect) / rollback).read_bytes())
    if k == 0:  # only the rebuilt header can change how the file splits; sqlparse is slow, check it once
        split = statements(target)
        assert len(split) == len(stmts) and failing in split[0], f"{migration_id}: the copy splits differently"
    return into


def recorded(db) -> list[str]:
    return sorted(row[0] for row in db.execute('SELECT "migration_id" FROM "_yoyo_migration"'))


def test_a_failure_at_any_statement_of_any_migration_leaves_the_schema_as_before_it(
        dialect, make_database, tmp_path, count_case):
    """For each migration and statement k: the run raises, the catalog equals the snapshot taken before
    that migration, the migration is not recorded; then the unmodified migration applies cleanly.

    One database walks the chain: the cases of a migration run against it in sequence, each starting
    from the state the previous case must have restored (the invariant under test); a case that breaks
    it is reported and the database rebuilt, so the remaining cases still count.
    """
    db = make_database()
    broken = []
    for index, migration_id in enumerate(IDS):
        before, applied_before = db.snapshot(), sorted(IDS[:index])
        count = len(statements(folder(dialect) / f"{migration_id}.sql"))
        for kind in KINDS[dialect]:
            for k in range(count):
                scratch = scratch_migration(dialect, migration_id, k, FAILING[kind],
                                            tmp_path / migration_id / f"{kind}-{k}")
                with pytest.raises(db.error) as raised:
                    db.apply(path=scratch)
                # On MySQL a failing DDL statement surfaces as yoyo's lost savepoint, with ours chained.
                assert MISSING in f"{raised.value} {raised.value.__context__}", \
                    f"{migration_id} statement {k} failed for another reason: {raised.value!r}"
                count_case("failure halfway")
                left = differences(before, db.snapshot())
                if left or recorded(db) != applied_before:
                    found = "; ".join(d[:200] for d in left[:5]) or f"recorded as applied: {recorded(db)}"
                    broken.append(f"{dialect}/{migration_id}.sql, statement {k} made a failing {kind}: {found}")
                    db = make_database()
                    if index:
                        db.apply(through=IDS[index - 1])
        db.apply(through=migration_id)
        assert recorded(db) == sorted(IDS[: index + 1])
        assert differences(before, db.snapshot()), f"{migration_id} changed nothing"
    assert not broken, "a failure halfway is not undone:\n" + "\n".join(broken)


def test_a_failed_migration_makes_the_yoyo_command_exit_non_zero(dialect, database, tmp_path):
    """The CLI a DBA runs reports the failure by its exit status and leaves nothing behind."""
    scratch = scratch_migration(dialect, IDS[0], 1, FAILING["ddl"], tmp_path / "scratch")
    before = database.snapshot()
    command = [YOYO, "apply", "--batch", "--no-config-file", "-d", yoyo_url(database.url), str(scratch)]
    run = subprocess.run(command, capture_output=True, text=True, timeout=120, cwd=tmp_path)
    assert run.returncode == 1, run.stdout + run.stderr
    assert MISSING in run.stderr
    assert not differences(before, database.snapshot())
    assert recorded(database) == []
