"""On the MySQL family, the migrations that alter a table holding production rows never rebuild it, in
either direction: InnoDB gives a rebuilt table a new internal table id, so the id of projects,
experience_launchpads and profiles must be the same before and after each forward file and each rollback.

The headers promise "no rebuild" for these statements (instant columns, an index added in place, a
foreign key added as metadata, instant column drops); a combined ALTER like the old add-project-owner
(column, index and key in one statement) rebuilds projects and fails this test.
"""

import pytest

from tools.migrations import migration_ids

# migration -> (the pre-existing table it alters, a column to put a row into it with)
ALTERED = {
    "20240826094500-launchpad-workflows": ("experience_launchpads", "title"),
    "20240901120000-add-project-owner": ("projects", "title"),
    "20240915094500-profile-engagement-metrics": ("profiles", "headline"),
}


def table_id(db, table: str) -> int:
    """InnoDB's internal id of a table (MariaDB: INNODB_SYS_TABLES, MySQL 8: INNODB_TABLES)."""
    version = db.execute("SELECT VERSION()")[0][0]
    view = "INNODB_SYS_TABLES" if "mariadb" in version.lower() else "INNODB_TABLES"
    rows = db.execute(f"SELECT TABLE_ID FROM information_schema.{view} WHERE NAME = CONCAT(DATABASE(), '/', %s)",
                      (table,))
    assert len(rows) == 1, rows
    return rows[0][0]


@pytest.mark.parametrize("dialect", ["mysql"], indirect=True)
@pytest.mark.parametrize("migration_id", ALTERED)
def test_altering_migrations_do_not_rebuild_the_table_either_way(database, migration_id):
    db, (table, column) = database, ALTERED[migration_id]
    ids = migration_ids("mysql")
    db.apply(through=ids[ids.index(migration_id) - 1])
    db.insert(table, **{column: "a row"})
    original = table_id(db, table)
    db.apply(through=migration_id)
    assert table_id(db, table) == original, f"{migration_id} rebuilt {table}"
    db.rollback(to=migration_id)
    assert table_id(db, table) == original, f"the rollback of {migration_id} rebuilt {table}"
