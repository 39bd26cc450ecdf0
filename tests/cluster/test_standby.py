"""The migrations on a PostgreSQL primary with a streaming hot standby, through `make` and the yoyo CLI.

The standby's catalog is read once it has replayed everything the primary had written, and compared with
the primary's and with the committed snapshot schema/postgres.txt. A command pointed at the standby (a
read-only server) must fail at once, saying so and naming the primary.
"""

import difflib
import re

import pytest

from conftest import IDS, committed_schema, make, make_ok, yoyo
from failure import MISSING, before_folder, halfway, target
from tools.catalog import differences


def assert_standby_equals_primary(db, what: str) -> dict:
    primary, standby = db.catalogs()
    found = differences(primary, standby)
    assert not found, f"{what}: the standby's catalog differs from the primary's:\n" + "\n".join(found[:10])
    return primary


def assert_both_have_the_committed_schema(db):
    expected = committed_schema("postgres")
    for role, text in zip(("primary", "standby"), db.rendered()):
        assert text == expected, f"the {role} differs from schema/postgres.txt:\n" + "".join(
            difflib.unified_diff(expected.splitlines(True), text.splitlines(True), "schema/postgres.txt", role))


def test_the_standby_equals_the_primary_after_apply_and_rollback(standby_db):
    empty = assert_standby_equals_primary(standby_db, "before")
    make_ok("migrate", standby_db.url(1))
    assert_standby_equals_primary(standby_db, "after make migrate")
    assert_both_have_the_committed_schema(standby_db)
    assert standby_db.recorded(2) == sorted(IDS)

    # DROP_BASELINE=1: rolling back the baseline is meant here (the runner refuses it otherwise).
    make_ok("rollback", standby_db.url(1), "ALL=1", "DROP_BASELINE=1")
    back = assert_standby_equals_primary(standby_db, "after make rollback ALL=1")
    assert not differences(empty, back), "make rollback ALL=1 left something behind"
    assert standby_db.recorded(2) == []


def test_a_failure_halfway_through_a_migration_leaves_the_standby_at_the_previous_catalog(standby_db, tmp_path):
    migration_id, k = target("postgres")
    source = before_folder("postgres", migration_id, tmp_path / "postgres")
    done = yoyo("apply", standby_db.url(1), source)
    assert done.returncode == 0, done.stderr
    before = assert_standby_equals_primary(standby_db, f"at {migration_id}'s predecessor")

    failed = yoyo("apply", standby_db.url(1), halfway("postgres", migration_id, k, source))
    assert failed.returncode == 1 and MISSING in failed.stderr, \
        f"the planted failure at statement {k} of {migration_id} did not fail the run:\n{failed.stderr[-2000:]}"
    after = assert_standby_equals_primary(standby_db, f"after the failure at statement {k} of {migration_id}")
    assert not differences(before, after), f"the failed {migration_id} left something behind"
    assert migration_id not in standby_db.recorded(2)

    make_ok("migrate", standby_db.url(1))
    assert_both_have_the_committed_schema(standby_db)


# Every target that writes to the database, and `make status` (yoyo takes its lock row even to list).
COMMANDS = [("status",), ("migrate",), ("rollback",), ("mark", f"REVISION={IDS[0]}"), ("break-lock",)]
AT_ONCE_S = 8  # yoyo's own lock wait is 10 s: a command that waits for it has not failed "at once"


@pytest.mark.parametrize("command", COMMANDS, ids=[c[0] for c in COMMANDS])
def test_a_command_pointed_at_the_standby_fails_at_once_saying_to_use_the_primary(standby_db, command):
    make_ok("migrate", standby_db.url(1))
    standby_db.cluster.sync()
    try:
        done = make(command[0], standby_db.url(2), *command[1:], timeout=AT_ONCE_S)
    except TimeoutError as exc:
        done = exc
    if isinstance(done, TimeoutError):
        pytest.fail(f"against the standby, {done}", pytrace=False)
    said = done.stdout + done.stderr
    assert done.returncode != 0, f"make {' '.join(command)} against the standby succeeded:\n{said}"
    assert re.search(r"read[- ]only|standby", said, re.I), f"the message does not say read-only/standby:\n{said}"
    assert re.search(r"primary", said, re.I), f"the message does not point to the primary:\n{said}"
    assert "Traceback" not in said, f"a traceback without VERBOSE=1:\n{said}"
    assert standby_db.recorded(1) == sorted(IDS), "the primary's record changed"
