"""Print the SQL a yoyo run would execute on DATABASE_URL, without executing it.

    python -m tools.plan apply                             what `make migrate` (yoyo apply) would run
    python -m tools.plan rollback [--revision ID | --all]  what `make rollback` (yoyo rollback --batch) would run

yoyo decides what is pending or applied (`to_apply`, `to_rollback`, and for --revision the same
`migrations_to_revision` the yoyo command uses); the statements are the migrations' own steps, split
exactly as yoyo split them, in the order yoyo executes them. The output is SQL with comments marking
each migration, so `make plan > review.sql` is something a DBA can read, diff and keep.

Connecting is what `yoyo list` does: on a database yoyo has never seen, yoyo creates its bookkeeping
tables (_yoyo_migration, _yoyo_log, _yoyo_version, yoyo_lock). No migration statement runs.
"""

from __future__ import annotations

import argparse
import os
import sys
from dataclasses import dataclass

from tools.migrations import database_errors, dialect_of, mask, one_line, read, target_url, unfinished_message, unfinished_migrations, yoyo_url


@dataclass
class Planned:
    migration_id: str
    transactional: bool
    statements: list[str]
    hook: bool = False


def _sql(step, direction: str) -> list[str]:
    """The SQL one yoyo step executes in `direction`, as MigrationStep.apply/rollback would send it."""
    inner = getattr(step, "step", step)           # TransactionWrapper / Transactionless wrap the step
    if hasattr(inner, "steps"):                   # StepGroup (only from Python migrations)
        items = inner.steps if direction == "apply" else list(reversed(inner.steps))
        return [s for item in items for s in _sql(item, direction)]
    sql = inner._apply if direction == "apply" else inner._rollback
    if not sql:                                   # yoyo skips an empty apply and a None rollback
        return []
    if not isinstance(sql, str):
        raise TypeError(f"step {inner!r} is Python code, not SQL")
    return [sql]


def _planned(migration, direction: str, hook: bool = False) -> Planned:
    migration.load()
    steps = migration.steps if direction == "apply" else list(reversed(migration.steps))
    return Planned(migration.id, migration.use_transactions,
                   [s for step in steps for s in _sql(step, direction)], hook)


def plan(url: str, direction: str = "apply", revision: str | None = None, everything: bool = False,
         path=None) -> tuple[list[Planned], bool]:
    """What yoyo would run on `url`, in order, and whether the database has transactional DDL.

    rollback: `revision` selects it and everything that depends on it (yoyo's substring match);
    without it, only the most recent migration (yoyo rollback --batch), or all with `everything`.
    """
    from yoyo import get_backend
    from yoyo.scripts.migrate import migrations_to_revision

    dialect = dialect_of(url)
    migrations = read(dialect, path)
    with get_backend(yoyo_url(url)) as backend:
        if direction == "apply":
            todo = backend.to_apply(migrations_to_revision(migrations, revision, "apply"))
            planned = [_planned(m, "apply") for m in todo]
            if todo:  # yoyo runs the post-apply hooks only after applying something
                planned += [_planned(h, "apply", hook=True) for h in todo.post_apply]
        else:
            todo = backend.to_rollback(migrations_to_revision(migrations, revision, "rollback"))
            if not revision and not everything:
                todo = list(todo)[:1]
            planned = [_planned(m, "rollback") for m in todo]
        # The dialect decides, not yoyo's probe: on a read-only server (a standby) the probe cannot create
        # its table and would call PostgreSQL non-transactional.
        return planned, dialect != "mysql"


def render(url: str, direction: str, planned: list[Planned], transactional_ddl: bool) -> str:
    dialect = dialect_of(url)
    verb = "apply" if direction == "apply" else "roll back"
    migrations = [p for p in planned if not p.hook]
    out = [f"-- plan: what yoyo would {verb} on {mask(url)}",
           f"-- from migrations/{dialect}; nothing below has been executed.",
           f"-- {len(migrations)} migration(s)" + ("," if migrations else ": nothing to do")]
    out += [f"--     {p.migration_id}" for p in migrations]
    from tools.runner import BASELINE, BASELINE_GUARD  # the guard `make rollback` applies

    if direction == "rollback" and any(p.migration_id == BASELINE for p in migrations):
        out += [f"-- make rollback REFUSES this unless DROP_BASELINE=1 is given: {BASELINE_GUARD}."]
    if not transactional_ddl:
        out += ["-- This server commits every DDL statement on its own (no transactional DDL): when a",
                "-- statement fails, those before it stay done and yoyo runs their paired statements from",
                "-- the other file to undo them."]
    out.append("")
    for n, p in enumerate(planned, 1):
        if p.hook:
            what = "post-apply hook: yoyo runs it after the migrations above"
        else:
            what = f"{n}/{len(migrations)}"
        how = ("in one transaction, each statement in a savepoint" if p.transactional
               else "not transactional: each statement commits on its own")
        out.append(f"-- ==== {p.migration_id}  ({what}; {how}; {len(p.statements)} statement(s))")
        out.append("")
        if not p.statements:
            out += ["-- (no statements: yoyo only records it)", ""]
        for statement in p.statements:
            out += [statement.strip(), ""]
        if not p.hook:
            then = "records it in" if direction == "apply" else "removes it from"
            out += [f"-- yoyo then {then} _yoyo_migration and logs it in _yoyo_log.", ""]
    return "\n".join(out)


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m tools.plan", description=__doc__.split("\n\n")[0])
    parser.add_argument("direction", choices=("apply", "rollback"))
    target = parser.add_mutually_exclusive_group()
    target.add_argument("--revision", help="apply: up to and including this migration; rollback: this "
                        "migration and every migration after it")
    target.add_argument("--all", action="store_true", help="roll back every applied migration")
    args = parser.parse_args(argv)
    if args.direction == "apply" and args.all:
        parser.error("--all is for rollback")
    url = target_url()
    unfinished = unfinished_migrations(dialect_of(url))
    if unfinished:  # before connecting: a plan that includes an empty migration is no plan
        print(unfinished_message(unfinished), file=sys.stderr)
        return 2
    try:
        planned, transactional_ddl = plan(url, args.direction, args.revision, args.all)
    except Exception as exc:  # yoyo's InvalidArgument for an unknown or ambiguous --revision
        if isinstance(exc, database_errors()) and not os.environ.get("VERBOSE"):
            print(f"plan: {mask(url)}: {one_line(exc, url)}", file=sys.stderr)
            return 1
        if type(exc).__name__ != "InvalidArgument":
            raise
        print(f"REVISION: {exc}", file=sys.stderr)
        return 2
    try:
        print(render(url, args.direction, planned, transactional_ddl), flush=True)
    except BrokenPipeError:  # `make plan | head`: the reader has seen enough
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
