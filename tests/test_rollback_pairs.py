"""Where yoyo recovers from a failure halfway by running rollback statements, they are the right ones.

On MySQL every DDL statement commits on its own, and a `-- transactional: false` migration commits each
statement on any dialect. When statement k fails, yoyo runs the rollback statement paired with each
statement before k (forward i with rollback n-1-i), in reverse. So in those files the rollback must have
one statement per forward statement, in reverse order, each undoing its partner. (The failure-halfway
tests run that recovery for real; this test points at the broken pair directly.)
"""

import re

import pytest

from tools.migrations import DIALECTS, migration_ids, pairing_matters, pairs

PAIRED = [(d, i) for d in DIALECTS for i in migration_ids(d) if pairing_matters(d, i)]

NAME = r'[`"]?(\w+)[`"]?'


def _code(statement: str) -> str:
    return "\n".join(line for line in statement.splitlines() if not line.strip().startswith("--"))


def _target(statement: str) -> tuple[str, str] | None:
    """('table', name) for CREATE/DROP/ALTER TABLE, ('setting', name) for SET; None otherwise."""
    code = _code(statement)
    m = re.search(rf"\b(?:CREATE|DROP|ALTER)\s+TABLE\s+{NAME}", code, re.I)
    if m:
        return ("table", m.group(1))
    m = re.search(r"\b(?:SET|RESET)\s+(?:SESSION\s+|LOCAL\s+)?(\w+)", code, re.I)
    return ("setting", m.group(1).lower()) if m else None


def test_the_paired_files_are_the_ones_expected():
    assert len([p for p in PAIRED if p[0] == "mysql"]) == len(migration_ids("mysql"))
    assert ("postgres", "20240901120000-add-project-owner") in PAIRED


@pytest.mark.parametrize("dialect,migration_id", PAIRED)
def test_rollback_mirrors_forward_statement_for_statement(dialect, migration_id):
    for i, (forward, rollback) in enumerate(pairs(dialect, migration_id)):
        assert forward and rollback, f"{dialect}/{migration_id}: forward and rollback counts differ (pair {i})"
        if re.search(r"\bCREATE\s+TABLE\b", _code(forward), re.I):
            assert re.search(r"\bDROP\s+TABLE\b", _code(rollback), re.I), \
                f"pair {i}: CREATE TABLE not undone by DROP TABLE"
        target = _target(forward)
        if re.search(r"\bVALIDATE\s+CONSTRAINT\b", _code(forward), re.I):
            # Validating changes no schema, so there is nothing to undo: its partner must not be DDL.
            assert _target(rollback)[0] == "setting", f"pair {i}: VALIDATE paired with DDL"
        elif target and target[0] == "table":
            assert _target(rollback) == target, f"pair {i}: forward acts on {target}, rollback on {_target(rollback)}"
