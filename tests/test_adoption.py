"""Adopting a database whose schema was built outside yoyo (by the old system, or by running these files
by hand): `yoyo mark` records what is there, after which rollback and re-apply work as on a fresh one.

The schema is built here by executing the forward files with the database driver, statement by statement
(split as yoyo splits them), each file on its own autocommit connection: what a DBA running the files
by hand would do. "Works" is checked on the catalog against databases that yoyo built.
"""

import os
import shutil
import subprocess
import sys

import pytest

from tools import checksums
from tools.catalog import differences
from yoyo import get_backend

from tools.migrations import MIGRATIONS, ROOT, folder, migration_ids, read, statements, yoyo_url

IDS = migration_ids("postgres")


@pytest.fixture
def tree(tmp_path):
    """A copy of migrations/ with its manifest and hooks up to date (`make sum`): the checksums recorded
    here are those of these files even while the committed manifest is stale (its own test says so)."""
    root = tmp_path / "migrations"
    shutil.copytree(MIGRATIONS, root)
    checksums.write(root)
    return root


def build_by_hand(database, ids) -> None:
    for migration_id in ids:
        conn = database.connect()
        try:
            cur = conn.cursor()
            for statement in statements(folder(database.dialect) / f"{migration_id}.sql"):
                cur.execute(statement)
        finally:
            conn.close()


def yoyo_mark(database, revision: str) -> None:
    """`make mark REVISION=...`: the yoyo command line, through tools.run."""
    done = subprocess.run([sys.executable, "-m", "tools.run", "mark", "--revision", revision], cwd=ROOT,
                          env={**os.environ, "DATABASE_URL": database.url}, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr


def mark_with_the_api(database, ids) -> None:
    """What `yoyo mark` does, through yoyo's API (no subprocess)."""
    with get_backend(yoyo_url(database.url)) as backend, backend.lock():
        backend.mark_migrations(backend.to_apply(read(database.dialect).filter(lambda m: m.id in ids)))


def statuses(database, tree) -> dict[str, str]:
    return {f.migration_id: f.status for f in checksums.verify(database.url, tree)}


def test_a_database_built_by_hand_is_marked_then_rolls_back_and_reapplies(database, make_database, tree):
    reference = make_database()
    reference.apply(through=IDS[0])
    baseline_only = reference.snapshot()
    reference.apply()
    fresh = reference.snapshot()

    build_by_hand(database, IDS)
    built = differences(fresh, database.snapshot())
    assert not built, "the files run by hand build another schema than yoyo does:\n" + "\n".join(built)

    yoyo_mark(database, IDS[-1])
    assert sorted(database.applied()) == IDS
    assert not differences(fresh, database.snapshot()), "marking changed the schema"
    assert statuses(database, tree) == dict.fromkeys(IDS, "not recorded"), "yoyo mark runs no post-apply hook"
    checksums.record(database.url, tree)  # make record-checksums
    assert statuses(database, tree) == dict.fromkeys(IDS, "ok")

    database.rollback(to=IDS[1], path=tree / database.dialect)
    assert database.applied() == IDS[:1]
    left = differences(baseline_only, database.snapshot())
    assert not left, "rolling back the adopted database did not return it to the baseline:\n" + "\n".join(left)

    database.apply(path=tree / database.dialect)
    assert sorted(database.applied()) == IDS
    again = differences(fresh, database.snapshot())
    assert not again, "re-applying on the adopted database built something else:\n" + "\n".join(again)
    assert statuses(database, tree) == dict.fromkeys(IDS, "ok")


def test_a_database_from_before_the_suite_is_marked_at_the_baseline_and_migrated(database, make_database, tree):
    """The old system's database has the baseline tables: mark the baseline, migrate the rest."""
    reference = make_database()
    reference.apply()

    build_by_hand(database, IDS[:1])
    mark_with_the_api(database, IDS[:1])
    assert database.applied() == IDS[:1]

    database.apply(path=tree / database.dialect)
    assert sorted(database.applied()) == IDS
    assert not differences(reference.snapshot(), database.snapshot())
    assert statuses(database, tree) == dict.fromkeys(IDS, "ok"), "the apply after mark records the marked one too"
