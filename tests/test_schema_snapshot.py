"""The committed schema files are what the migrations build: schema/<dialect>.txt and docs/schema.md.

A change to a migration that changes the schema must come with the regenerated files (`make schema`), so a
reviewer sees its effect on the final schema in the diff. The files are rendered from the neutral model
(tools/model.py), never from a dump tool, so a server's minor version does not change them.
"""

import difflib

import pytest

from tools import model, schema


def _stale(path, expected: str) -> str | None:
    """None when the committed file says `expected`, else a unified diff from the file to it."""
    committed = path.read_text() if path.exists() else ""
    if committed == expected:
        return None
    name = str(path.relative_to(schema.ROOT))
    diff = difflib.unified_diff(committed.splitlines(keepends=True), expected.splitlines(keepends=True),
                                f"{name} (committed)", f"{name} (what the migrations build)")
    return "".join(diff)


def test_committed_schema_files_match_the_migrations(database):
    """schema/<dialect>.txt, and the diagrams in docs/schema.md, equal what this dialect builds at head.

    The diagrams are drawn from the PostgreSQL model; they show only key columns and foreign keys, which the
    parity test proves equal in every dialect, so every dialect must draw the same docs/schema.md."""
    database.apply()
    built = model.build(database.url)

    stale = [d for d in (_stale(schema.SNAPSHOTS / f"{database.dialect}.txt", schema.render(built, database.dialect)),
                         _stale(schema.DIAGRAMS, schema.diagrams(built))) if d]

    if stale:
        pytest.fail(f"the committed schema files are out of date; run `{schema.REGENERATE}` and commit "
                    f"schema/ and docs/schema.md:\n" + "\n".join(stale), pytrace=False)


def test_committed_step_models_match_the_migrations(database):
    """schema/steps/<dialect>/<id>.json, the model after each migration, is what this dialect builds one
    migration at a time: `make adopt` and `make drift` compare live databases with these files."""
    from tools import migrations

    stale = []
    for migration_id in migrations.migration_ids(database.dialect):
        database.apply(through=migration_id)
        built = schema.render_step(model.build(database.url), database.dialect, migration_id)
        diff = _stale(schema.step_path(database.dialect, migration_id), built)
        if diff:
            stale.append(diff)
    committed = sorted(p.name for p in (schema.STEPS / database.dialect).glob("*.json"))
    assert committed == [f"{i}.json" for i in migrations.migration_ids(database.dialect)], \
        f"schema/steps/{database.dialect}/ holds other files than one per migration; run `{schema.REGENERATE}`"
    if stale:
        pytest.fail(f"the committed step models are out of date; run `{schema.REGENERATE}` and commit "
                    f"schema/:\n" + "\n".join(stale), pytrace=False)
