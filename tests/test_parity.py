"""The three dialects build the same logical schema, after every migration, not only at head.

One database per dialect is migrated one step at a time; after each step the catalogs are read into the
neutral model (tools/model.py) and compared fact by fact: columns in order with type family, nullability
and default; primary key; foreign keys with their actions; indexes and unique constraints. The only
differences allowed are the ones declared in ACCEPTED below, each with its reason; anything else fails
with the table, the column or key, and what each dialect has.
"""

import copy

import pytest

from tools import migrations, model
from tools.model import ABSENT, Accepted

IDS = migrations.migration_ids("postgres")
ORDER = ("postgres", "mysql", "sqlite")  # the reference dialect first in every report


def _is_innodb_foreign_key_index(key, value, m) -> bool:
    """The index InnoDB adds by itself: named like a foreign key, on exactly its columns, and no other index
    of the table starts with those columns (if one did, InnoDB would have used it and this one was declared)."""
    table, subject, _ = key
    if not subject.startswith("index ") or value == ABSENT:
        return False
    indexes = m["tables"][table]["indexes"]
    index = next(i for i in indexes if i["name"] == subject.removeprefix("index "))
    fk = next((f for f in m["tables"][table]["foreign_keys"] if f["name"] == index["name"]), None)
    return fk is not None and fk["columns"] == index["columns"] and not any(
        i is not index and i["columns"][: len(fk["columns"])] == fk["columns"] for i in indexes)


ACCEPTED = [
    Accepted("postgres", "PostgreSQL stores JSON as jsonb, as the old system did (plain json where it used json); "
                         "MySQL and SQLite have one JSON type",
             when=lambda key, value, m: key[2] == "type" and value == "jsonb", counts_as="json"),
    Accepted("postgres", "only PostgreSQL has named enum types; MySQL and SQLite declare the values on the column, "
                         "where all three are compared",
             when=lambda key, value, m: key[1].startswith("enum type ")),
    Accepted("mysql", "InnoDB creates an index named after each foreign key that no declared index serves",
             when=_is_innodb_foreign_key_index),
    Accepted("mysql", "the old system named this key projects_ownerId_foreign_idx on MySQL and the rollback drops "
                      "it by that name (spec, add-project-owner)",
             when=lambda key, value, m: key == ("projects", "foreign key (ownerId)", "name")
             and value == "projects_ownerId_foreign_idx"),
    Accepted("mysql", "MySQL has no unique constraint apart from its unique index, so it cannot tell which one "
                      "a unique key was declared as",
             when=lambda key, value, m: key[2] == "declared as" and value == ABSENT),
    Accepted("mysql", "at the baseline, feed_posts keeps the names MySQL generated for the old system's inline key, "
                      "feed_posts_ibfk_1 and its index userId; feed-engagement replaces them (spec, section 1)",
             when=lambda key, value, m: key[0] == "feed_posts" and (
                 key == ("feed_posts", "foreign key (userId)", "name") and value == "feed_posts_ibfk_1"
                 or key[1] == "index userId" and value == "(userId)")),
    Accepted("sqlite", "SQLite keeps no foreign-key names (PRAGMA foreign_key_list numbers them); its keys are "
                       "compared by columns, target and actions",
             when=lambda key, value, m: key[1].startswith("foreign key") and key[2] == "name" and value == ABSENT),
]


def report(differences, after: str) -> str:
    return (f"the dialects build different schemas after {after}; not on the ACCEPTED list in "
            f"tests/test_parity.py:\n" + "\n".join(str(d) for d in differences))


@pytest.fixture(scope="module")
def databases(servers, tmp_path_factory):
    """One fresh database per dialect, migrated forward step by step by the tests of this module."""
    urls = {"sqlite": f"sqlite:///{tmp_path_factory.mktemp('parity') / 'parity.db'}"}
    made = []
    try:
        for dialect in ("postgres", "mysql"):
            urls[dialect] = servers.get(dialect).create_database()
            made.append(dialect)
        yield {d: urls[d] for d in ORDER}
    finally:
        for dialect in made:
            servers.get(dialect).drop_database(urls[dialect])


def models_after(databases, migration_id: str) -> dict:
    models = {}
    for dialect, url in databases.items():
        migrations.apply(url, dialect, through=migration_id)
        # sorted: yoyo lists them by apply time, which can tie within a second on MySQL
        applied = sorted(migrations.applied(url))
        assert applied == IDS[: IDS.index(migration_id) + 1], f"{dialect}: not at {migration_id}"
        models[dialect] = model.build(url)
    return models


@pytest.fixture(scope="module")
def head_models(databases):
    return models_after(databases, IDS[-1])


@pytest.mark.parametrize("migration_id", IDS)
def test_dialects_build_the_same_schema(databases, migration_id):
    """After each migration, the three models are equal apart from the ACCEPTED differences."""
    differences = model.compare(models_after(databases, migration_id), ACCEPTED)
    if differences:
        pytest.fail(report(differences, migration_id), pytrace=False)


@pytest.fixture(scope="module")
def baseline_models(servers, tmp_path_factory):
    """The three models at the baseline alone, from databases of their own (the module's are at head)."""
    urls = {"sqlite": f"sqlite:///{tmp_path_factory.mktemp('parity') / 'baseline.db'}"}
    urls.update({d: servers.get(d).create_database() for d in ("postgres", "mysql")})
    try:
        for dialect, url in urls.items():
            migrations.apply(url, dialect, through=IDS[0])
        return {d: model.build(urls[d]) for d in ORDER}
    finally:
        for dialect in ("postgres", "mysql"):
            servers.get(dialect).drop_database(urls[dialect])


def test_every_accepted_difference_is_still_needed(head_models, baseline_models):
    """An ACCEPTED entry that matches nothing at head or at the baseline must go, not stay 'just in case'."""
    used = set()
    model.compare(head_models, ACCEPTED, used)
    model.compare(baseline_models, ACCEPTED, used)
    unused = [a.reason for i, a in enumerate(ACCEPTED) if i not in used]
    assert not unused, "accepted differences that match nothing at head or baseline:\n" + "\n".join(unused)


def test_a_planted_difference_is_reported_with_table_key_and_each_dialect(head_models):
    """The comparison is not blind: one changed ON DELETE in one dialect's real model fails, readably."""
    models = copy.deepcopy(head_models)
    fk = next(f for f in models["mysql"]["tables"]["feed_posts"]["foreign_keys"] if f["columns"] == ["userId"])
    fk["on_delete"] = "SET NULL"

    differences = model.compare(models, ACCEPTED)

    assert [d.key for d in differences] == [("feed_posts", "foreign key (userId)", "references")]
    text = report(differences, IDS[-1])
    assert "table feed_posts, foreign key (userId), references:" in text
    assert "postgres: users(id) ON DELETE CASCADE ON UPDATE CASCADE" in text
    assert "mysql:    users(id) ON DELETE SET NULL ON UPDATE CASCADE" in text
    assert "sqlite:   users(id) ON DELETE CASCADE ON UPDATE CASCADE" in text
