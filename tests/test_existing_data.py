"""Migrations that alter tables already holding production data keep every row and value.

launchpad-workflows alters experience_launchpads, add-project-owner alters projects and
profile-engagement-metrics alters profiles. Rows that exist before each of them must come through the
forward migration with the new columns at their defaults (or NULL), and through the rollback unchanged.
"""

import pytest

from tools.catalog import differences

LAUNCHPAD = "20240826094500-launchpad-workflows"
OWNER = "20240901120000-add-project-owner"
PROFILE = "20240915094500-profile-engagement-metrics"
BEFORE_LAUNCHPAD = "20240801090000-trust-payments"

EXISTING = {
    "experience_launchpads": [("title", "Data track"), ("description", "cohort 1"), ("track", "data")],
    "projects": [("title", "Marketplace"), ("description", "rebuild"), ("status", "open")],
    "profiles": [("headline", "Engineer"), ("bio", "b"), ("skills", "sql"), ("experience", "x"), ("education", "y")],
}
NEW_COLUMNS = {
    LAUNCHPAD: ("experience_launchpads", {"programType": "cohort", "status": "recruiting", "applicationUrl": None,
                                          "mentorLead": None, "startDate": None, "endDate": None, "capacity": None,
                                          "eligibilityCriteria": None, "employerSponsorship": None,
                                          "publishedAt": None}),
    OWNER: ("projects", {"ownerId": None}),
    PROFILE: ("profiles", {"engagementRefreshedAt": None}),
}


def seed(db) -> dict:
    """Two rows in each altered table; returns {table: [(id, values...), ...]} as stored."""
    stored = {}
    for table, values in EXISTING.items():
        for n in range(2):
            db.insert(table, **{c: f"{v} {n}" for c, v in values})
        stored[table] = read(db, table)
    return stored


def read(db, table, columns=None):
    names = ["id", "createdAt", "updatedAt"] + [c for c, _ in EXISTING[table]] + list(columns or [])
    quoted = ", ".join(f'"{c}"' for c in names)
    return db.execute(f'SELECT {quoted} FROM "{table}" ORDER BY "id"')


@pytest.mark.parametrize("migration_id", [LAUNCHPAD, OWNER, PROFILE])
def test_existing_rows_survive_the_migration_and_its_rollback(database, migration_id):
    previous = {LAUNCHPAD: BEFORE_LAUNCHPAD, OWNER: LAUNCHPAD, PROFILE: OWNER}[migration_id]
    database.apply(through=previous)
    stored = seed(database)
    table, new_columns = NEW_COLUMNS[migration_id]

    database.apply(through=migration_id)
    for name, rows in stored.items():
        assert read(database, name) == rows, f"{migration_id} changed existing rows of {name}"
    added = database.execute(f'SELECT {", ".join(chr(34) + c + chr(34) for c in new_columns)} FROM "{table}"')
    assert added == [tuple(new_columns.values())] * 2, f"new columns of {table} did not get their defaults"

    database.rollback(to=migration_id)
    for name, rows in stored.items():
        assert read(database, name) == rows, f"rolling back {migration_id} changed existing rows of {name}"


@pytest.mark.parametrize("dialect", ["sqlite"])
def test_sqlite_rebuild_of_projects_restores_the_baseline_table_and_its_references(make_database):
    """SQLite cannot drop a column with a foreign key, so the rollback rebuilds `projects`."""
    reference = make_database()
    reference.apply(through=LAUNCHPAD)

    db = make_database()
    db.apply(through=LAUNCHPAD)
    projects = [db.insert("projects", title=f"p{n}") for n in range(3)]
    db.execute('DELETE FROM "projects" WHERE "id" = %s', (projects[-1],))  # the counter is now ahead of max(id)
    user = db.insert("users", email="owner@example.com", password="x")
    account = db.insert("escrow_accounts", userId=user, provider="stripe")
    db.insert("escrow_transactions", accountId=account, reference="r1", amount=10, initiatedById=user,
              projectId=projects[0])
    db.apply(through=OWNER)
    db.execute('UPDATE "projects" SET "ownerId" = %s', (user,))
    db.close()

    db.rollback(to=OWNER)

    left = differences(reference.snapshot()["tables"]["projects"], db.snapshot()["tables"]["projects"])
    assert not left, "projects differs from the baseline's:\n" + "\n".join(left)
    assert db.execute('SELECT "id", "title" FROM "projects" ORDER BY "id"') == [(projects[0], "p0"), (projects[1], "p1")]
    assert db.insert("projects", title="next") == projects[-1] + 1, "AUTOINCREMENT reused an id"
    assert db.execute("PRAGMA foreign_key_check") == []
    assert db.execute('SELECT "projectId" FROM "escrow_transactions"') == [(projects[0],)], \
        "the rebuild fired ON DELETE SET NULL on escrow_transactions"
    db.rejects('INSERT INTO "escrow_transactions" ("accountId", "reference", "amount", "initiatedById", '
               '"projectId") VALUES (%s, %s, %s, %s, %s)', (account, "r2", 1, user, 999999))
