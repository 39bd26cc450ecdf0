"""The migration files themselves: names, pairs, headers and directives. No database needed.

yoyo forgives a lot silently: a missing .rollback.sql means a rollback that runs nothing, a directive
with a capital letter or below the first statement is ignored, a comment after the last statement
becomes an extra statement. These tests make each of those a failure.
"""

import re

import pytest

from tools.migrations import DIALECTS, directives, folder, header, migration_ids, statements

IDS = migration_ids("postgres")
FILE_NAME = re.compile(r"^\d{14}-[a-z0-9]+(-[a-z0-9]+)*(\.rollback)?\.sql$")
FILES = [(d, i) for d in DIALECTS for i in IDS]


def test_every_migration_exists_in_every_dialect_with_a_rollback():
    for dialect in DIALECTS:
        names = sorted(p.name for p in folder(dialect).iterdir())
        expected = sorted([f"{i}.sql" for i in IDS] + [f"{i}.rollback.sql" for i in IDS])
        assert names == expected, f"migrations/{dialect} differs from migrations/postgres"


@pytest.mark.parametrize("dialect", DIALECTS)
def test_file_names_follow_the_convention(dialect):
    bad = [p.name for p in folder(dialect).iterdir() if not FILE_NAME.match(p.name)]
    assert not bad, f"names must be <14-digit timestamp>-<kebab-slug>[.rollback].sql: {bad}"


@pytest.mark.parametrize("dialect", DIALECTS)
def test_depends_forms_one_chain_in_id_order(dialect):
    for previous, current in zip([None, *IDS], IDS):
        depends = directives(folder(dialect) / f"{current}.sql").get("depends")
        assert depends == previous, f"{dialect}/{current}.sql: -- depends: {depends!r}, expected {previous!r}"


@pytest.mark.parametrize("dialect,migration_id", FILES)
def test_header_is_the_first_comment_block(dialect, migration_id):
    path = folder(dialect) / f"{migration_id}.sql"
    raw = path.read_bytes()
    assert not raw.startswith(b"\xef\xbb\xbf"), "a BOM hides the directives from yoyo"
    lines = header(path)
    assert lines and lines[0] == f"-- {migration_id}", "the first line names the migration id"
    text = "\n".join(lines)
    for field in ("Why:", "Impact:", "Rollback:", "Dialect:"):
        assert f"-- {field}" in text, f"header lacks '{field}'"
    rollback = (folder(dialect) / f"{migration_id}.rollback.sql").read_text()
    assert rollback.startswith(f"-- Rollback of {migration_id}:"), "rollback files open with 'Rollback of <id>:'"


@pytest.mark.parametrize("dialect,migration_id", FILES)
def test_directives_are_spelled_right_and_in_the_header(dialect, migration_id):
    """yoyo ignores a misspelled, capitalised or misplaced directive without a word."""
    for name in (f"{migration_id}.sql", f"{migration_id}.rollback.sql"):
        path = folder(dialect) / name
        in_header = set(header(path)) if not name.endswith(".rollback.sql") else set()
        for line in path.read_text().splitlines():
            m = re.match(r"^\s*--\s*([A-Za-z_-]+)\s*:(.*)$", line)
            if not m or not re.match(r"(?i)^(depend|transact)", m.group(1)):
                continue
            assert m.group(1) in ("depends", "transactional"), f"{name}: misspelled directive {line!r}"
            assert line in in_header, f"{name}: directive outside the forward file's header: {line!r}"
            if m.group(1) == "transactional":
                assert m.group(2).strip() == "false", f"{name}: only '-- transactional: false' is meaningful"
                above = header(path)[header(path).index(line) - 1]
                assert len(above.strip("- ")) > 10, f"{name}: say why, in the line above transactional: false"


@pytest.mark.parametrize("dialect,migration_id", FILES)
def test_no_transaction_control_and_nothing_after_the_last_statement(dialect, migration_id):
    for name in (f"{migration_id}.sql", f"{migration_id}.rollback.sql"):
        stmts = statements(folder(dialect) / name)
        assert stmts, f"{name} has no statements"
        for stmt in stmts:
            code = "\n".join(l for l in stmt.splitlines() if not l.strip().startswith("--")).strip()
            assert code, f"{name}: a comment after the last statement runs as an empty statement"
            first = code.split()[0].upper().rstrip(";")
            assert first not in ("BEGIN", "COMMIT", "ROLLBACK", "START", "DELIMITER", "SAVEPOINT"), \
                f"{name}: yoyo owns transactions; no {first}"
