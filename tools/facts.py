"""The logical schema as facts the behaviour tests can generate cases from, and a valid-row factory.

The facts are read from an SQLite database built by the migrations (SQLite is embedded, so they are
available at collection time); the parity test proves the three dialects build the same schema, so
the same facts describe every dialect. For each table: its columns with a kind (enum with its values,
json, boolean, integer, text, ...), nullability and whether a default exists; its foreign keys with
their actions; its unique constraints.
"""

from __future__ import annotations

import contextlib
import io
import tempfile
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import count
from pathlib import Path

from tools import catalog, migrations, model


@dataclass(frozen=True)
class Column:
    name: str
    kind: str  # pk, integer, decimal, text, timestamp, date, boolean, json, enum
    nullable: bool
    default: str | None  # as tools/model.py normalizes it: 'text', 0, false, CURRENT_TIMESTAMP
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


_KINDS = {"integer": "integer", "text": "text", "varchar": "text", "decimal": "decimal", "timestamp": "timestamp",
          "date": "date", "boolean": "boolean", "json": "json", "jsonb": "json", "enum": "enum"}


def from_snapshot(snap: dict) -> dict[str, Table]:
    """Facts from an SQLite catalog snapshot, through the neutral model (tools/model.py)."""
    tables = {}
    for name, t in model.from_snapshot("sqlite", snap)["tables"].items():
        table = Table(name)
        for c in t["columns"]:
            family = c["type"].split("(")[0]
            kind = "pk" if c["default"] == model.AUTO else _KINDS[family]
            values = tuple(model.enum_values(c["type"])) if kind == "enum" else ()
            table.columns[c["name"]] = Column(c["name"], kind, c["nullable"], c["default"], values)
        for fk in t["foreign_keys"]:
            (column,), (ref_column,) = fk["columns"], fk["ref_columns"]
            assert ref_column == "id", f"{name}.{column} references a column other than id"
            table.foreign_keys.append(ForeignKey(name, column, fk["references"], fk["on_delete"], fk["on_update"]))
        table.uniques = [tuple(i["columns"]) for i in t["indexes"] if i["unique"]]
        tables[name] = table
    return tables


@lru_cache(maxsize=None)
def head(through: str | None = None) -> dict[str, Table]:
    """Facts of the schema after `through` (head when None), from a throwaway SQLite build."""
    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite:///{Path(tmp) / 'facts.db'}"
        with contextlib.redirect_stdout(io.StringIO()):  # yoyo echoes SQLite's internal CHECK queries
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
