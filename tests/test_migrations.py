"""Every migration, on every dialect: it applies from empty, and rolling it back leaves no trace.

"No trace" is checked against the catalog (tools/catalog.py), not against the SQL text: tables, columns
with type, default and nullability, indexes, unique, check and foreign-key constraints, PostgreSQL enum
types and sequences must be exactly what they were before the migration.
"""

import pytest

from tools.catalog import differences
from tools.migrations import migration_ids

IDS = migration_ids("postgres")


def test_upgrade_from_empty_applies_every_migration(database):
    database.apply()
    assert database.applied() == IDS
    assert database.snapshot()["tables"], "head has no tables"


@pytest.mark.parametrize("migration_id", IDS)
def test_rollback_leaves_no_trace(database, migration_id):
    """apply up to the one before, snapshot; apply it; roll it back: snapshot equal; apply again: equal."""
    previous = IDS[IDS.index(migration_id) - 1] if IDS.index(migration_id) else None
    if previous:
        database.apply(through=previous)
    before = database.snapshot()

    database.apply(through=migration_id)
    applied = database.snapshot()
    assert differences(before, applied), f"{migration_id} changed nothing in the catalog"

    database.rollback(to=migration_id)
    assert database.applied() == IDS[: IDS.index(migration_id)]
    left = differences(before, database.snapshot())
    assert not left, f"rolling back {migration_id} left a trace:\n" + "\n".join(left)

    database.apply(through=migration_id)
    again = differences(applied, database.snapshot())
    assert not again, f"re-applying {migration_id} built something else:\n" + "\n".join(again)


def test_full_rollback_from_head_leaves_an_empty_schema(database):
    empty = database.snapshot()
    database.apply()
    database.rollback()
    assert database.applied() == []
    after = database.snapshot()
    assert not after["tables"], f"tables left: {sorted(after['tables'])}"
    assert not after.get("enum_types"), f"enum types left: {after.get('enum_types')}"
    assert not after.get("sequences"), f"sequences left: {after.get('sequences')}"
    assert not differences(empty, after)
