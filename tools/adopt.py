"""`make adopt` and `make drift`: compare a live database with what this repository's migrations build.

    python -m tools.adopt plan       DATABASE_URL: which migrations the database has, exactly, not at all,
                                     or partly / differently; changes nothing
    python -m tools.adopt confirm    the same, then records exactly the migrations that are present
                                     (not their missing ancestors) with their checksums
    python -m tools.adopt drift      DATABASE_URL: the suite's tables against what the recorded migrations
                                     build; exit 1 on any difference, 0 when equal

The expected schemas are the committed models in schema/steps/<dialect>/<id>.json (`make schema` writes
them, tests/test_schema_snapshot.py checks them), so nothing here creates a database: the migrator's own
grants are enough. Only the tables and PostgreSQL enum types that some migration of this repository
creates are compared; every other table (the old system's `jobs`, `SequelizeMeta`, ...) is ignored.

How a migration is judged: the facts (tools/model.py) that it changes are those on which the model after
it and the model before it differ. The database has it when every such fact has the value after it, does
not have it when every one has the value before it, and has it partly or differently otherwise. On MySQL
a key with a server-generated name (`<table>_ibfk_<n>`, an index or unique named after its column) counts
as the key of this repository with the same table, columns, target and actions (spec, section 0,
"Names"), and ON ... RESTRICT counts as NO ACTION (InnoDB enforces them identically).
"""

from __future__ import annotations

import copy
import os
import re
import sys
import traceback

from tools import model, schema
from tools.errors import refuse_read_only
from tools.migrations import dialect_of, mask, migration_ids, target_url, yoyo_url
from tools.model import ABSENT, Difference

SEQUELIZE = "SequelizeMeta"
PRESENT, ABSENT_STATUS, PARTLY, DIFFERS = "present", "absent", "partly", "differs"


# --- the expected models ----------------------------------------------------------------------------

def steps(dialect: str) -> dict[str, dict]:
    """{id: the committed model after that migration}, in chain order."""
    return {i: schema.expected(dialect, i) for i in migration_ids(dialect)}


def _known(models) -> tuple[set[str], set[str]]:
    """Every table and every PostgreSQL enum type that some migration creates."""
    tables = {t for m in models for t in m["tables"]}
    enums = {e for m in models for e in m["enum_types"]}
    return tables, enums


def _same_actions(m: dict) -> dict:
    """InnoDB enforces RESTRICT and NO ACTION identically and reports an ON UPDATE left out as RESTRICT."""
    for t in m["tables"].values():
        for fk in t["foreign_keys"]:
            for side in ("on_delete", "on_update"):
                fk[side] = fk[side].replace("RESTRICT", "NO ACTION")
    return m


def _server_generated_fk(table: str, name: str) -> bool:
    return re.fullmatch(rf"{re.escape(table)}_ibfk_\d+", name or "") is not None


def _server_generated_index(index: dict) -> bool:
    first = index["columns"][0].removesuffix(" DESC")
    return re.fullmatch(rf"{re.escape(first)}(_\d+)?", index["name"]) is not None


def normalize(live: dict, dialect: str, references: list[dict]) -> dict:
    """The live model with MySQL's server-generated names replaced by this repository's name for the same
    key, where one of the reference models has a key of that table with the same shape."""
    live = copy.deepcopy(live)
    if dialect != "mysql":
        return live
    _same_actions(live)
    for name, t in live["tables"].items():
        ref_fks = [fk for m in references for fk in m["tables"].get(name, {}).get("foreign_keys", [])]
        ref_indexes = [i for m in references for i in m["tables"].get(name, {}).get("indexes", [])]
        fk_names, index_names = {fk["name"] for fk in ref_fks}, {i["name"] for i in ref_indexes}

        def shape(fk):
            return fk["columns"], fk["references"], fk["ref_columns"], fk["on_delete"], fk["on_update"]

        for fk in t["foreign_keys"]:
            if fk["name"] not in fk_names and _server_generated_fk(name, fk["name"]):
                match = next((r for r in ref_fks if shape(r) == shape(fk)), None)
                if match:
                    fk["name"] = match["name"]
        for index in t["indexes"]:
            if index["name"] not in index_names and _server_generated_index(index):
                match = next((r for r in ref_indexes if (r["columns"], r["unique"]) == (index["columns"], index["unique"])
                              and r["name"] not in {i["name"] for i in t["indexes"]}), None)
                if match:
                    index["name"] = match["name"]
        t["indexes"].sort(key=lambda i: i["name"])
    return live


def live_model(url: str, dialect: str, references: list[dict]) -> tuple[dict, list[str]]:
    """The live database's model restricted to the suite's tables and enum types, normalized; and the names
    of the tables left out."""
    built = model.build(url)
    tables, enums = _known(references)
    ignored = sorted(t for t in built["tables"] if t not in tables)
    built["tables"] = {n: t for n, t in built["tables"].items() if n in tables}
    built["enum_types"] = {n: v for n, v in built["enum_types"].items() if n in enums}
    return normalize(built, dialect, references), ignored


def facts(m: dict, dialect: str) -> dict:
    m = copy.deepcopy(m)
    return model.facts(_same_actions(m) if dialect == "mysql" else m)


# --- comparing facts --------------------------------------------------------------------------------

def differences(expected: dict, live: dict, labels=("expected", "database")) -> list[Difference]:
    """Every fact on which two fact sets disagree, in the parity test's format. A table missing on one
    side is reported once, by its list of columns."""
    tables = {"e": {k[0] for k in expected if k[0]}, "l": {k[0] for k in live if k[0]}}
    out = []
    for key in sorted(set(expected) | set(live)):
        table = key[0]
        if table and key[1:] != ("", "columns in order") and not (table in tables["e"] and table in tables["l"]):
            continue
        e, v = expected.get(key, ABSENT), live.get(key, ABSENT)
        if e != v:
            out.append(Difference(key, {labels[0]: e, labels[1]: v}))
    return out


def changed_by(before: dict, after: dict) -> dict:
    """{fact: (value before, value after)} for the facts a migration changes."""
    return {k: (before.get(k, ABSENT), after.get(k, ABSENT))
            for k in set(before) | set(after) if before.get(k, ABSENT) != after.get(k, ABSENT)}


def compose(deltas: dict[str, dict], ids) -> dict:
    """The facts that applying exactly `ids` (in chain order) builds, from each migration's changes."""
    out = {}
    for migration_id, delta in deltas.items():
        if migration_id in ids:
            for key, (_before, after) in delta.items():
                if after == ABSENT:
                    out.pop(key, None)
                else:
                    out[key] = after
    return out


def deltas_of(dialect: str) -> dict[str, dict]:
    by_id = steps(dialect)
    previous, out = {}, {}
    for migration_id, m in by_id.items():
        now = facts(m, dialect)
        out[migration_id] = changed_by(previous, now)
        previous = now
    return out


def best_set(deltas: dict[str, dict], live: dict) -> tuple[list[str], list[Difference]]:
    """The set of migrations whose changes, applied in chain order, build the database's facts: every subset
    is tried (a chain of n migrations has 2**n), and the one with the fewest differences wins (the larger
    set on a tie). The database has exactly those migrations when there is no difference."""
    from itertools import combinations

    ids = list(deltas)
    best = None
    for size in range(len(ids), -1, -1):
        for chosen in combinations(ids, size):
            found = differences(compose(deltas, set(chosen)), live)
            if best is None or len(found) < len(best[1]):
                best = (list(chosen), found)
            if not found:
                return best
    return best


def judge(deltas: dict[str, dict], chosen: list[str], found: list[Difference]) -> dict[str, tuple[str, list]]:
    """{id: (status, its differences)}: present / absent, or, where a difference concerns a fact the migration
    changes, partly (the database has the value from before it) or differs (a value no migration gives)."""
    out = {}
    for i in deltas:
        own = [d for d in found if d.key in deltas[i]]
        if not own:
            out[i] = (PRESENT if i in chosen else ABSENT_STATUS, [])
            continue
        before_or_after = all(d.values["database"] in (deltas[i][d.key][0], deltas[i][d.key][1]) for d in own)
        out[i] = (PARTLY if before_or_after else DIFFERS, own)
    return out


# --- the database's own records --------------------------------------------------------------------

def sequelize_meta(url: str, dialect: str, all_tables: list[str]) -> list[str] | None:
    """The names in the old system's SequelizeMeta, or None when the table does not exist."""
    if SEQUELIZE not in all_tables:
        return None
    from tools.servers import connect

    conn = connect(url, autocommit=True)
    try:
        cur = conn.cursor()
        cur.execute("SELECT `name` FROM `SequelizeMeta`" if dialect == "mysql" else 'SELECT "name" FROM "SequelizeMeta"')
        return sorted(row[0] for row in cur.fetchall())
    finally:
        conn.close()


def _timestamp(name: str) -> str | None:
    m = re.match(r"(\d{14})", name)
    return m.group(1) if m else None


def recorded(url: str) -> list[str]:
    from tools import migrations

    try:
        return migrations.applied(url)
    except Exception:  # no _yoyo_migration yet: yoyo creates it on first use
        return []


# --- the plan ---------------------------------------------------------------------------------------

class Plan:
    def __init__(self, url: str):
        self.url, self.dialect = url, dialect_of(url)
        self.ids = migration_ids(self.dialect)
        models = list(steps(self.dialect).values())
        self.live, self.ignored = live_model(url, self.dialect, models)
        self.live_facts = facts(self.live, self.dialect)
        self.deltas = deltas_of(self.dialect)
        self.recorded = recorded(url)
        self.meta = sequelize_meta(url, self.dialect, self.ignored)
        self.present, self.found = best_set(self.deltas, self.live_facts)
        self.verdicts = judge(self.deltas, self.present, self.found)
        self.to_record = [i for i in self.present if i not in self.recorded]
        self.pending = [i for i in self.ids if i not in self.present]

    def refusals(self) -> list[str]:
        out = []
        if self.meta:
            last = _timestamp(self.ids[-1])
            newer = [n for n in self.meta if (_timestamp(n) or "") > last]
            if newer:
                out.append(f"this database is newer than this repository: {SEQUELIZE} lists "
                           f"{', '.join(newer)}, dated after its last migration {self.ids[-1]}. Adopt it with a "
                           "checkout that has those migrations.")
        for i in self.ids:
            status, found = self.verdicts[i]
            if status in (PARTLY, DIFFERS):
                what = "partly present" if status == PARTLY else "present but different"
                out.append(f"{i} is {what}:\n" + "\n".join(_indent(str(d)) for d in found))
        unowned = [d for d in self.found if not any(d.key in delta for delta in self.deltas.values())]
        if unowned:
            out.append("in the suite's tables, but built by no migration of this repository:\n"
                       + "\n".join(_indent(str(d)) for d in unowned))
        stale = [i for i in self.recorded if i in self.ids and i not in self.present]
        if stale:
            out.append(f"yoyo records {', '.join(stale)} as applied, but the database does not have "
                       f"{'it' if len(stale) == 1 else 'them'} (make drift shows how it differs)")
        return out

    def report(self) -> str:
        lines = [f"adopt {mask(self.url)}  (migrations/{self.dialect}, expected: schema/steps/{self.dialect}/)"]
        if self.meta is None:
            lines.append(f"  {SEQUELIZE}: none (not a database of the old system, or it kept no record)")
        else:
            lines.append(f"  {SEQUELIZE}: {len(self.meta)} old migrations ran"
                         + (f", the last {self.meta[-1]}" if self.meta else ""))
        stems = {re.sub(r"\.[cm]?js$", "", n) for n in self.meta or []}
        for i in self.ids:
            status = self.verdicts[i][0]
            shown = {PRESENT: "present", ABSENT_STATUS: "absent", PARTLY: "PARTLY", DIFFERS: "DIFFERS"}[status]
            notes = []
            if i in self.recorded:
                notes.append("already recorded")
            if self.meta is not None and i in stems:
                notes.append(f"{SEQUELIZE} lists it")
            lines.append(f"  {shown:8} {i}" + (f"  ({'; '.join(notes)})" if notes else ""))
        if self.ignored:
            lines.append(f"  ignored, not the suite's: {len(self.ignored)} tables ({', '.join(self.ignored)})")
        return "\n".join(lines)


def _indent(text: str, by: str = "    ") -> str:
    return "\n".join(by + line for line in text.splitlines())


def record(url: str, ids: list[str]) -> None:
    """Record exactly `ids` as applied (yoyo's own mark, one by one: never their ancestors), then their
    checksums, as `make record-checksums` does."""
    from yoyo import get_backend

    from tools import checksums
    from tools.migrations import read

    dialect = dialect_of(url)
    with get_backend(yoyo_url(url)) as backend, backend.lock():
        backend.mark_migrations(read(dialect).filter(lambda m: m.id in ids))
    checksums.record(url)


# --- command line ------------------------------------------------------------------------------------

def _make_url(url: str) -> str:
    return mask(url) if os.environ.get("DATABASE_URL") else "<DATABASE_URL>"


def adopt(confirm: bool) -> int:
    url = target_url()
    if confirm and (refused := refuse_read_only(url)):
        return refused
    plan = Plan(url)
    print(plan.report())
    refusals = plan.refusals()
    if refusals:
        print("\nadopt refuses; nothing was recorded:", file=sys.stderr)
        for r in refusals:
            print(_indent(r, "  "), file=sys.stderr)
        return 1
    command = f"make adopt DATABASE_URL='{_make_url(url)}' CONFIRM=1"
    if not plan.to_record:
        print("\nnothing to record: " + ("no migration of this repository is present." if not plan.present
                                           else "every present migration is already recorded."))
    elif not confirm:
        print(f"\nplan: record {len(plan.to_record)} as applied, with their checksums: {', '.join(plan.to_record)}")
        print("nothing was changed; to record them:\n  " + command)
    else:
        record(url, plan.to_record)
        print(f"\nrecorded as applied, with their checksums: {', '.join(plan.to_record)}")
    if plan.pending:
        print(f"then `make migrate` applies the {len(plan.pending)} pending: {', '.join(plan.pending)}"
              + ("" if confirm or not plan.to_record else " (make plan shows their SQL once they are recorded)"))
    return 0


def drift() -> int:
    url = target_url()
    dialect = dialect_of(url)
    ids = migration_ids(dialect)
    applied = [i for i in recorded(url) if i in ids]
    unknown = [i for i in recorded(url) if i not in ids]
    models = list(steps(dialect).values())
    live, ignored = live_model(url, dialect, models)
    print(f"drift {mask(url)}  (migrations/{dialect}): {len(applied)} of {len(ids)} migrations recorded"
          + (f"; {len(ignored)} tables not the suite's ignored" if ignored else ""))
    if unknown:
        print(f"  recorded but not in this checkout: {', '.join(unknown)}")
    found = differences(compose(deltas_of(dialect), applied), facts(live, dialect))
    if not applied and not found:
        print("no migration recorded and none of the suite's tables: nothing to compare "
              "(make adopt for a database the old system built)")
        return 0
    if found:
        print(f"DRIFT: {len(found)} difference(s) between what the recorded migrations build and the database:")
        print("\n".join(_indent(str(d), "  ") for d in found))
        return 1
    print("no drift: the suite's tables are what the recorded migrations build")
    return 1 if unknown else 0


def main(argv: list[str]) -> int:
    command = argv[0] if argv else ""
    if command not in ("plan", "confirm", "drift") or len(argv) > 1:
        print(__doc__, file=sys.stderr)
        return 2
    try:
        return drift() if command == "drift" else adopt(confirm=command == "confirm")
    except FileNotFoundError as exc:
        print(exc, file=sys.stderr)
        return 2
    except Exception as exc:  # one clear line; the traceback only when asked for
        if os.environ.get("VERBOSE"):
            traceback.print_exc()
        url = os.environ.get("DATABASE_URL", "")
        text = str(exc).replace(url, mask(url)) if url else str(exc)
        print(f"{'drift' if command == 'drift' else 'adopt'} {mask(url) if url else ''}: {type(exc).__name__}: "
              f"{text.splitlines()[0] if text else ''}"
              + ("" if os.environ.get("VERBOSE") else "  (VERBOSE=1 shows the traceback)"), file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
