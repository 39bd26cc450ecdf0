"""A migration folder with a failure planted halfway through one migration, shared by both clusters' tests."""

from __future__ import annotations

import shutil
from pathlib import Path

from tests.test_failure_halfway import FAILING, MISSING, scratch_migration
from tools.migrations import folder, migration_ids, statements

__all__ = ["MISSING", "halfway", "before_folder"]


def target(dialect: str) -> tuple[str, int]:
    """The migration with the most forward statements after the baseline (the latest on a tie), and the
    statement halfway through it: the failure comes after some of its statements have run."""
    ids = migration_ids(dialect)[1:]
    counts = {i: len(statements(folder(dialect) / f"{i}.sql")) for i in ids}
    chosen = max(ids, key=lambda i: (counts[i], i))
    return chosen, counts[chosen] // 2


def before_folder(dialect: str, migration_id: str, into: Path) -> Path:
    """The repository's own files of every migration before `migration_id` (no post-apply hook)."""
    into.mkdir(parents=True)
    for earlier in migration_ids(dialect):
        if earlier >= migration_id:
            break
        for name in (f"{earlier}.sql", f"{earlier}.rollback.sql"):
            shutil.copyfile(folder(dialect) / name, into / name)
    return into


def halfway(dialect: str, migration_id: str, k: int, into: Path) -> Path:
    """`into` (a before_folder) plus `migration_id` with its statement k replaced by a failing DDL statement."""
    return scratch_migration(dialect, migration_id, k, FAILING["ddl"], into)
