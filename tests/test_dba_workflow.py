"""The DBA workflow: scaffold a migration (`make new`), preview its SQL (`make plan`, `make plan-rollback`),
and catch an applied migration whose file was edited later (`make sum`, `make verify`).

Tests that change files work on a copy of migrations/ in a temporary directory.
"""

import re
import shutil
import subprocess
from datetime import datetime, timezone

import pytest
import yoyo.migrations

from tools import checksums, plan, scaffold
from tools.migrations import DIALECTS, MIGRATIONS, ROOT, directives, header, is_transactional, migration_ids, read

IDS = migration_ids("postgres")


@pytest.fixture
def tree(tmp_path):
    """A copy of migrations/ that a test may edit, its manifest and hooks up to date (`make sum`), so that
    a stale committed manifest fails test_every_migration_file_matches_the_manifest and nothing else."""
    root = tmp_path / "migrations"
    shutil.copytree(MIGRATIONS, root)
    checksums.write(root)
    return root


def edit(path, old: str, new: str) -> None:
    """Change a comment of a file: what the database runs stays the same, the file's bytes do not."""
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def rows(database, table: str) -> list[tuple]:
    return sorted(tuple(map(str, r)) for r in database.execute(f'SELECT * FROM "{table}"'))


# --- make new ------------------------------------------------------------------------------------

def test_new_creates_six_files_that_yoyo_reads_as_the_next_migration(tree):
    """Three dialects x forward/rollback, a UTC timestamp id, the header template, depends on the head,
    and no statements yet (so the layout tests fail until the migration is written)."""
    created = scaffold.new("add-feed-post-pins", tree, now=datetime(2030, 1, 2, 3, 4, 5, tzinfo=timezone.utc))
    new_id = "20300102030405-add-feed-post-pins"
    assert sorted(p.relative_to(tree).as_posix() for p in created) == sorted(
        f"{d}/{new_id}{suffix}" for d in DIALECTS for suffix in (".sql", ".rollback.sql"))
    for dialect in DIALECTS:
        forward = tree / dialect / f"{new_id}.sql"
        lines = header(forward)
        assert lines[0] == f"-- {new_id}"
        for field in ("Why:", "Impact:", "Rollback:", "Dialect:"):
            assert any(line.startswith(f"-- {field}") for line in lines), field
        assert directives(forward) == {"depends": IDS[-1]}
        assert (tree / dialect / f"{new_id}.rollback.sql").read_text().startswith(f"-- Rollback of {new_id}:")
        migrations = read(dialect, tree / dialect)
        assert [m.id for m in migrations] == [*IDS, new_id]
        assert [d.id for d in migrations[-1].depends] == [IDS[-1]]
        assert migrations[-1].steps == [], "a scaffolded migration runs nothing until it is written"
        assert "TODO" in forward.read_text(), "the placeholders are marked for test_no_scaffold_todo_is_left"


BAD_NAMES = {
    "": "give a name",
    "Add-Feed-Pins": "lowercase only",
    "add_feed_pins": "kebab-case",
    "add feed pins": "kebab-case",
    "add--feed-pins": "kebab-case",
    "-add-feed-pins": "kebab-case",
    "pins": "kebab-case",
    "add-feed-pins.sql": "without .sql",
    "20300102030405-add-feed-pins": "leave out the timestamp",
    "post-apply-grants": "post-apply",
    "feed-pins": "start with a verb",
    "add-project-owner": "already has that name",
}


@pytest.mark.parametrize("name", BAD_NAMES)
def test_new_refuses_a_name_that_breaks_the_conventions(tree, name, capsys):
    before = sorted(p.relative_to(tree) for p in tree.rglob("*"))
    assert scaffold.main([name], tree) == 2
    assert BAD_NAMES[name] in capsys.readouterr().err
    assert sorted(p.relative_to(tree) for p in tree.rglob("*")) == before, "a refused name creates nothing"


def test_new_refuses_an_id_that_would_not_sort_after_the_head(tree):
    with pytest.raises(scaffold.BadName, match="would not sort after the current head"):
        scaffold.new("add-feed-post-pins", tree, now=datetime(2020, 1, 1, tzinfo=timezone.utc))


def test_no_scaffold_todo_is_left_in_a_migration():
    """A header still carrying the scaffold's TODO placeholders is not ready for review."""
    left = [f"{p.parent.name}/{p.name}" for p in checksums.migration_files()
            if any("TODO" in line for line in header(p))]
    assert not left, f"fill in the header (Why, Impact, Rollback, Dialect) of: {left}"


def test_make_help_lists_the_dba_commands():
    listed = subprocess.run(["make", "-s", "help"], cwd=ROOT, capture_output=True, text=True, check=True).stdout
    for target in ("new", "plan", "plan-rollback", "sum", "verify", "record-checksums"):
        assert re.search(rf"^  {target} +\S", listed, re.M), f"make help does not list {target}"


# --- make sum: the manifest --------------------------------------------------------------------------

def test_every_migration_file_matches_the_manifest():
    """migrations/checksums.sum holds the sha256 of every migration file, and the hooks are generated from it."""
    problems = checksums.disagreements() + [f"{h} is stale" for h in checksums.stale_hooks()]
    assert not problems, checksums.CHANGE_MUST_BE_DELIBERATE + ":\n" + "\n".join(problems)
    assert len(checksums.read_manifest()) == 2 * len(DIALECTS) * len(IDS)


def test_an_edited_file_disagrees_with_the_manifest_until_make_sum(tree, capsys):
    path = tree / "mysql" / f"{IDS[1]}.sql"
    edit(path, "-- Why:", "-- Why (edited):")
    assert checksums.main(["check"], tree) == 1
    assert f"migrations/mysql/{IDS[1]}.sql" in capsys.readouterr().out
    hook_before = (tree / "mysql" / checksums.HOOK).read_text()

    assert checksums.main(["sum"], tree) == 0
    assert checksums.main(["check"], tree) == 0
    assert checksums.read_manifest(tree)[f"mysql/{IDS[1]}.sql"] == checksums.file_sha256(path)
    assert checksums.file_sha256(path) in (tree / "mysql" / checksums.HOOK).read_text()
    assert checksums.file_sha256(path) not in hook_before


# --- make plan / make plan-rollback ----------------------------------------------------------------

@pytest.fixture
def executed(monkeypatch) -> list[str]:
    """Every statement yoyo sends to the database from now on, in order (its MigrationStep._execute)."""
    sent = []
    original = yoyo.migrations.MigrationStep._execute

    def spy(self, cursor, stmt, out=None):
        sent.append(stmt)
        return original(self, cursor, stmt, out)

    monkeypatch.setattr(yoyo.migrations.MigrationStep, "_execute", spy)
    return sent


def flat(planned) -> list[str]:
    return [s for p in planned for s in p.statements]


def test_plan_lists_exactly_the_statements_yoyo_then_runs(database, executed):
    """make plan: the pending migrations' statements and the post-apply hook's, as yoyo apply sends them;
    make plan-rollback: those of the rollback, as yoyo rollback sends them."""
    database.apply(through=IDS[0])
    planned, _ = plan.plan(database.url)
    assert [p.migration_id for p in planned] == [*IDS[1:], "post-apply-checksums"]
    assert [p.hook for p in planned] == [False] * (len(IDS) - 1) + [True]
    executed.clear()
    database.apply()
    assert flat(planned) == executed

    assert [p.migration_id for p in plan.plan(database.url, "rollback")[0]] == [IDS[-1]], \
        "without a revision, yoyo rollback --batch rolls back only the last migration"
    assert [p.migration_id for p in plan.plan(database.url, "rollback", everything=True)[0]] == IDS[::-1]
    planned, _ = plan.plan(database.url, "rollback", revision=IDS[2])
    assert [p.migration_id for p in planned] == IDS[2:][::-1]
    executed.clear()
    database.rollback(to=IDS[2])
    assert flat(planned) == executed


def test_plan_executes_nothing(database, monkeypatch, capsys):
    """Catalog, yoyo's tables and ours are the same after make plan and make plan-rollback."""
    database.apply(through=IDS[0])
    tables = ("_yoyo_migration", "_yoyo_log", "_yoyo_version", "yoyo_lock", checksums.TABLE)
    before = database.snapshot(), [rows(database, t) for t in tables]
    monkeypatch.setenv("DATABASE_URL", database.url)

    assert plan.main(["apply"]) == 0
    shown = capsys.readouterr().out
    for p in plan.plan(database.url)[0]:
        mode = "in one transaction" if p.transactional else "not transactional"
        assert re.search(rf"^-- ==== {p.migration_id}  \(.*; {mode}", shown, re.M)
        assert p.hook or p.transactional == is_transactional(database.dialect, p.migration_id)
        assert all(s.strip() in shown for s in p.statements)
    assert plan.main(["rollback", "--all"]) == 0
    assert f"-- ==== {IDS[0]}" in capsys.readouterr().out

    assert (database.snapshot(), [rows(database, t) for t in tables]) == before


def test_plan_rollback_refuses_an_unknown_revision(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'empty.db'}")
    assert plan.main(["rollback", "--revision", "no-such-migration"]) == 2
    assert "doesn't match any revisions" in capsys.readouterr().err


# --- make verify -----------------------------------------------------------------------------------

def statuses(database, root) -> dict[str, str]:
    return {f.migration_id: f.status for f in checksums.verify(database.url, root)}


def test_verify_names_an_applied_file_edited_after_it_was_applied(database, tree, monkeypatch, capsys):
    """make verify: ok until a file changes; then CHANGED with the file, exit 1, even after make sum."""
    database.apply(path=tree / database.dialect)
    monkeypatch.setenv("DATABASE_URL", database.url)
    assert checksums.main(["verify"], tree) == 0
    assert f"{len(IDS)} applied: {len(IDS)} ok; 0 pending" in capsys.readouterr().out

    edit(tree / database.dialect / f"{IDS[2]}.sql", "-- Why:", "-- Why (edited):")
    edit(tree / database.dialect / f"{IDS[4]}.rollback.sql", "-- Rollback of", "-- Rollback (edited) of")
    checksums.write(tree)  # the edit is committed with make sum: the manifest agrees, the database does not
    assert checksums.main(["verify"], tree) == 1
    out = capsys.readouterr().out
    for changed in (f"{IDS[2]}.sql", f"{IDS[4]}.rollback.sql"):
        migration_id = changed.split(".")[0]
        path = re.escape(f"migrations/{database.dialect}/{changed}")
        assert re.search(rf"CHANGED +{migration_id}\n +{path}: sha256 ", out)
    assert f"{len(IDS) - 2} ok, 2 changed" in out

    assert checksums.main(["record", "--accept", IDS[2]], tree) == 1, "accepts one, the other is still changed"
    assert statuses(database, tree) == {**dict.fromkeys(IDS, "ok"), IDS[4]: "changed"}

    (tree / database.dialect / f"{IDS[3]}.sql").rename(tree / database.dialect / f"{IDS[3]}-renamed.sql")
    assert statuses(database, tree)[IDS[3]] == "no file"


def test_rolling_back_and_reapplying_an_edited_migration_records_its_new_checksums(database, tree):
    """A record belongs to one application: after rollback, edit, make sum, apply, the new file is the
    reference (also within one second, where MySQL's timestamps could not tell the applications apart)."""
    folder = tree / database.dialect
    database.apply(path=folder)
    edit(folder / f"{IDS[-1]}.sql", "-- Why:", "-- Why (edited):")
    checksums.write(tree)
    assert statuses(database, tree)[IDS[-1]] == "changed"

    database.rollback(to=IDS[-1], path=folder)
    database.apply(path=folder)
    assert statuses(database, tree) == dict.fromkeys(IDS, "ok")

    recorded = rows(database, checksums.TABLE)
    checksums.record(database.url, tree)
    assert rows(database, checksums.TABLE) == recorded, "the hook is idempotent"


def add_failing_migration(folder, after: str) -> str:
    """A migration after `after` whose only statement fails on every dialect, having done nothing."""
    new_id = "20990101000000-drop-injected-failure"
    (folder / f"{new_id}.sql").write_text(
        f"-- {new_id}\n--\n-- depends: {after}\n\nDROP TABLE injected_failure_no_such_table;\n", encoding="utf-8")
    (folder / f"{new_id}.rollback.sql").write_text(
        f"-- Rollback of {new_id}: x\n\nCREATE TABLE injected_failure_no_such_table (id INT);\n", encoding="utf-8")
    return new_id


def test_verify_says_why_migrations_applied_by_a_failed_run_have_no_checksums(database, make_database, tree,
                                                                              monkeypatch, capsys):
    """yoyo runs the post-apply hook only after a run that applied everything: migrations applied by a run
    that then failed are not recorded, and verify says so (not that they were marked)."""
    from yoyo import get_backend

    from tools.migrations import yoyo_url

    folder = tree / database.dialect
    database.apply(through=IDS[2], path=folder)            # finished: the hook recorded IDS[:3]
    broken = add_failing_migration(folder, IDS[-1])
    checksums.write(tree)
    with pytest.raises(Exception):
        database.apply(path=folder)                          # applies IDS[3:], then fails: no hook
    assert database.applied() == IDS
    found = {f.migration_id: f for f in checksums.verify(database.url, tree)}
    assert {i: f.status for i, f in found.items()} == {**dict.fromkeys(IDS[:3], "ok"),
                                                       **dict.fromkeys(IDS[3:], "not recorded")}
    assert all(found[i].details == [checksums.NOT_RECORDED["apply"]] for i in IDS[3:])
    monkeypatch.setenv("DATABASE_URL", database.url)
    assert checksums.main(["verify"], tree) == 0
    out = capsys.readouterr().out
    assert "did not finish" in out and "marked" not in out

    with get_backend(yoyo_url(database.url)) as backend:   # yoyo mark: no hook either
        backend.mark_migrations(backend.to_apply(read(database.dialect, folder)))
    assert [f.details for f in checksums.verify(database.url, tree) if f.migration_id == broken] == [
        [checksums.NOT_RECORDED["mark"]]]

    fresh = make_database()                                   # the hook has never run on it
    with pytest.raises(Exception):
        fresh.apply(path=folder)
    assert {f.migration_id: f.details for f in checksums.verify(fresh.url, tree)} == dict.fromkeys(
        IDS, [checksums.NOT_RECORDED["never"]])
