"""The logical schema as facts the behaviour tests can generate cases from, and a valid-row factory.

The facts are read from an SQLite database built by the migrations (SQLite is embedded, so they are
available at collection time); the parity test proves the three dialects build the same schema, so
the same facts describe every dialect. For each table: its columns with a kind (enum with its values,
json, boolean, integer, text, ...), nullability and whether a default exists; its foreign keys with
their actions; its unique constraints.
"""

from __future__ import annotations

import re
import tempfile
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import count
from pathlib import Path

from tools import catalog, migrations


@dataclass(frozen=True)
class Column:
    name: str
    kind: str  # pk, integer, decimal, text, timestamp, date, boolean, json, enum
    nullable: bool
    default: str | None
    values: tuple[str, ...] = ()  # enum values, in order


@dataclass(frozen=True)
class ForeignKey:
    table: str
    column: str
    references: str
    on_delete: str
    on_update: str


@dataclass
class Table:
    name: str
    columns: dict[str, Column] = field(default_factory=dict)
    foreign_keys: list[ForeignKey] = field(default_factory=list)
    uniques: list[tuple[str, ...]] = field(default_factory=list)

    def fk(self, column: str) -> ForeignKey | None:
        return next((f for f in self.foreign_keys if f.column == column), None)


_ENUM = re.compile(r'CHECK\("(\w+)" IN\(([^)]*)\)\)')  # on catalog.py's normalised CREATE TABLE text


def _kind(type_: str, column: str, checks: dict[str, tuple[str, ...]], pk: int) -> str:
    if pk:
        return "pk"
    if column in checks:
        return "boolean" if checks[column] == ("0", "1") else "enum"
    t = type_.upper()
    for prefix, kind in (("INTEGER", "integer"), ("DECIMAL", "decimal"), ("DATETIME", "timestamp"),
                         ("DATE", "date"), ("JSON", "json"), ("BOOLEAN", "boolean")):
        if t.startswith(prefix):
            return kind
    return "text"


def from_snapshot(snap: dict) -> dict[str, Table]:
    tables = {}
    for name, t in snap["tables"].items():
        checks = {col: tuple(v.strip().strip("'") for v in values.split(","))
                  for col, values in _ENUM.findall(t["sql"])}
        table = Table(name)
        for c in t["columns"]:
            kind = _kind(c["type"], c["name"], checks, c["pk"])
            table.columns[c["name"]] = Column(c["name"], kind, c["nullable"], c["default"],
                                              checks.get(c["name"], ()) if kind == "enum" else ())
        for fk in t["foreign_keys"]:
            (column,), (ref_column,) = fk["columns"], fk["ref_columns"]
            assert ref_column == "id", f"{name}.{column} references a column other than id"
            table.foreign_keys.append(ForeignKey(name, column, fk["references"], fk["on_delete"], fk["on_update"]))
        table.uniques = [tuple(i["columns"]) for i in t["indexes"].values() if i["unique"] and i["origin"] != "pk"]
        tables[name] = table
    return tables


@lru_cache(maxsize=None)
def head(through: str | None = None) -> dict[str, Table]:
    """Facts of the schema after `through` (head when None), from a throwaway SQLite build."""
    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite:///{Path(tmp) / 'facts.db'}"
        migrations.apply(url, "sqlite", through=through)
        return from_snapshot(catalog.snapshot(url))


# --- valid rows ------------------------------------------------------------------------------------

_unique = count(1)


def sample(column: Column):
    """A valid value for a column of this kind; text values are unique so unique columns never clash."""
    return {"integer": 1, "decimal": 1, "timestamp": "2024-05-01 10:00:00", "date": "2024-05-01",
            "boolean": True, "json": '{"k": 1}', "enum": column.values[0] if column.values else None,
            }.get(column.kind, f"v{next(_unique)}")


def insert_row(db, tables: dict[str, Table], table: str, **given) -> int:
    """Insert a valid row with only the required columns (plus `given`); create the parents it needs."""
    values = dict(given)
    for column in tables[table].columns.values():
        if column.name in values or column.kind == "pk" or column.nullable or column.default is not None:
            continue
        fk = tables[table].fk(column.name)
        values[column.name] = insert_row(db, tables, fk.references) if fk else sample(column)
    return db.insert(table, **values)
