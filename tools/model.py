"""One neutral model of a database's schema, whatever the dialect, so that three dialects can be compared.

`build(url)` reads the catalog (tools/catalog.py) and translates what each dialect says into the same terms:

    {"tables": {name: {"columns": [{"name", "type", "nullable", "default", "enum_type"}],
                       "primary_key": [columns],
                       "foreign_keys": [{"name", "columns", "references", "ref_columns", "on_delete", "on_update"}],
                       "indexes": [{"name", "columns", "unique", "constraint", "where"}]}},
     "enum_types": {name: [values]}}            # PostgreSQL's named enum types; empty elsewhere

Types are families: integer, varchar(n), text, decimal(p,s), timestamp, date, boolean, json (jsonb kept as
PostgreSQL's own detail), enum('a', 'b') with the values in order. A type the model does not know keeps its
native name, so it shows up as a difference instead of disappearing.
Defaults are normalized: CURRENT_TIMESTAMP / current_timestamp() / now() -> CURRENT_TIMESTAMP, 'x'::type -> 'x',
0/false -> false for booleans, 0.0000 -> 0, serial/AUTO_INCREMENT/AUTOINCREMENT -> auto-increment.
Index columns carry " DESC" when descending. Where a dialect cannot tell something, the model says None:
SQLite keeps no foreign-key names, MySQL cannot tell a unique constraint from a unique index.

`facts(model)` flattens a model into {(table, subject, attribute): value}; `compare(models, accepted)` reports
every fact on which the dialects disagree, apart from the accepted differences.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Callable

from tools import catalog
from tools.migrations import dialect_of

AUTO = "auto-increment"
NOW = "CURRENT_TIMESTAMP"


def build(url: str) -> dict:
    return from_snapshot(dialect_of(url), catalog.snapshot(url))


def from_snapshot(dialect: str, snapshot: dict) -> dict:
    return {"sqlite": _sqlite, "mysql": _mysql, "postgres": _postgres}[dialect](snapshot)


# --- shared helpers -------------------------------------------------------------------------------

_STRING = r"'(?:[^']|'')*'"


def enum(values: list[str]) -> str:
    return "enum(" + ", ".join("'" + v.replace("'", "''") + "'" for v in values) + ")"


def enum_values(family: str) -> list[str]:
    """The values of an enum('a', 'b') type family, in order."""
    return _enum_values(family[len("enum("):-1])


def _enum_values(inner: str) -> list[str] | None:
    """The values of "'a', 'b'" — None unless the list is nothing but string literals."""
    if not re.fullmatch(rf"\s*{_STRING}(\s*,\s*{_STRING})*\s*", inner):
        return None
    return [v.replace("''", "'") for v in re.findall(r"'((?:[^']|'')*)'", inner)]


def _default(value: str | None, family: str) -> str | None:
    """One spelling per default: literals keep their quotes, numbers lose trailing zeros."""
    if value is None:
        return None
    value = value.strip()
    if value.lower() in ("current_timestamp", "current_timestamp()", "now()"):
        return NOW
    if family == "boolean" and value.lower() in ("0", "false", "'0'", "'f'"):
        return "false"
    if family == "boolean" and value.lower() in ("1", "true", "'1'", "'t'"):
        return "true"
    number = re.fullmatch(r"\(?(-?\d+(?:\.\d+)?)\)?", value)
    if number:
        try:
            return format(Decimal(number.group(1)).normalize(), "f")
        except InvalidOperation:
            pass
    return value


def _unquote(name: str) -> str:
    name = name.strip()
    if len(name) > 1 and name[0] == name[-1] and name[0] in "\"`":
        return name[1:-1].replace(name[0] * 2, name[0])
    return name


def _names(text: str) -> list[str]:
    """'"postId", "userId" DESC' -> ['postId', 'userId DESC']."""
    out = []
    for part in text.split(","):
        part = part.strip()
        desc = re.search(r"\s+DESC$", part, re.I)
        name = _unquote(part[: desc.start()] if desc else re.sub(r"\s+ASC$", "", part, flags=re.I))
        out.append(name + (" DESC" if desc else ""))
    return out


def _table(columns, primary_key, foreign_keys, indexes) -> dict:
    return {"columns": columns, "primary_key": primary_key,
            "foreign_keys": sorted(foreign_keys, key=lambda f: (f["columns"], f["references"])),
            "indexes": sorted(indexes, key=lambda i: i["name"])}


# --- PostgreSQL -----------------------------------------------------------------------------------

_PG_TYPES = [(r"integer", "integer"), (r"character varying\((\d+)\)", r"varchar(\1)"), (r"text", "text"),
             (r"numeric\((\d+),(\d+)\)", r"decimal(\1,\2)"), (r"timestamp with time zone", "timestamp"),
             (r"date", "date"), (r"boolean", "boolean"), (r"json", "json"), (r"jsonb", "jsonb")]
_ACTIONS = r"(CASCADE|SET NULL|SET DEFAULT|RESTRICT|NO ACTION)"


def _pg_type(native: str, enums: dict) -> tuple[str, str | None]:
    if _unquote(native) in enums:
        return enum(enums[_unquote(native)]), _unquote(native)
    for pattern, family in _PG_TYPES:
        if re.fullmatch(pattern, native):
            return re.sub(pattern, family, native), None
    return native, None


def _pg_default(expr: str | None, family: str) -> str | None:
    if expr is None:
        return None
    if expr.startswith("nextval("):
        return AUTO
    expr = re.sub(r"^(.*?)(::[\w \"]+(\(\d+(,\d+)?\))?)+$", r"\1", expr)  # 'x'::type -> 'x'
    return _default(expr, family)


def _postgres(snap: dict) -> dict:
    enums = snap["enum_types"]
    tables = {}
    for name, t in snap["tables"].items():
        columns = []
        for c in t["columns"]:
            family, enum_type = _pg_type(c["type"], enums)
            columns.append({"name": c["name"], "type": family, "nullable": c["nullable"],
                            "default": _pg_default(c["default"], family), "enum_type": enum_type})
        primary_key, foreign_keys, indexes = [], [], []
        for cname, con in t["constraints"].items():
            d = con["definition"]
            if con["type"] == "p":
                primary_key = _names(re.search(r"\((.*)\)", d).group(1))
            elif con["type"] == "u":
                indexes.append({"name": cname, "columns": _names(re.search(r"\((.*)\)", d).group(1)),
                                "unique": True, "constraint": True, "where": None})
            elif con["type"] == "f":
                m = re.match(r"FOREIGN KEY \((.*?)\) REFERENCES (.+?)\((.*?)\)(.*)$", d)
                on_delete = re.search(rf"ON DELETE {_ACTIONS}", m.group(4))
                on_update = re.search(rf"ON UPDATE {_ACTIONS}", m.group(4))
                foreign_keys.append({
                    "name": cname, "columns": _names(m.group(1)),
                    "references": _unquote(m.group(2).split(".")[-1]), "ref_columns": _names(m.group(3)),
                    "on_delete": on_delete.group(1) if on_delete else "NO ACTION",
                    "on_update": (on_update.group(1) if on_update else "NO ACTION")
                                 + ("" if con["validated"] else " NOT VALID")})
        for iname, index in t["indexes"].items():
            if iname in t["constraints"]:
                continue  # the index behind the primary key or a unique constraint
            m = re.match(r"CREATE (UNIQUE )?INDEX \S+ ON (?:ONLY )?\S+ USING (\w+) \((.*?)\)(?: WHERE (.*))?$",
                         index["definition"])
            method = "" if m.group(2) == "btree" else f"USING {m.group(2)}"
            indexes.append({"name": iname, "columns": _names(m.group(3)), "unique": bool(m.group(1)),
                            "constraint": False, "where": m.group(4),
                            **({"method": method} if method else {}),
                            **({} if index["valid"] else {"invalid": True})})  # a failed CONCURRENTLY build
        tables[name] = _table(columns, primary_key, foreign_keys, indexes)
    return {"tables": tables, "enum_types": dict(enums)}


# --- MySQL / MariaDB ------------------------------------------------------------------------------

_MYSQL_TYPES = [(r"int(\(\d+\))?", "integer"), (r"tinyint\(1\)", "boolean"), (r"varchar\((\d+)\)", r"varchar(\1)"),
                (r"text", "text"), (r"decimal\((\d+),(\d+)\)", r"decimal(\1,\2)"), (r"datetime", "timestamp"),
                (r"date", "date"), (r"json", "json")]


def _mysql_type(native: str, json_checked: bool) -> str:
    if native.startswith("enum("):
        return enum(_enum_values(native[5:-1]) or [native])
    if native == "longtext" and json_checked:
        return "json"  # MariaDB: JSON is an alias of LONGTEXT with a json_valid() CHECK
    for pattern, family in _MYSQL_TYPES:
        if re.fullmatch(pattern, native):
            return re.sub(pattern, family, native)
    return native


def _mysql_default(value: str | None, extra: str, family: str) -> str | None:
    if "auto_increment" in extra:
        return AUTO
    if value is None or value == "NULL":  # MariaDB spells "no default" as the expression NULL
        return None
    is_literal = value.startswith("'") or re.fullmatch(r"-?\d+(\.\d+)?", value)
    if not is_literal and "DEFAULT_GENERATED" not in extra and value.lower() not in ("current_timestamp()",):
        value = "'" + value.replace("'", "''") + "'"  # MySQL 8 gives string literals without quotes
    return _default(value, family)


def _mysql(snap: dict) -> dict:
    tables = {}
    for name, t in snap["tables"].items():
        checks = set(t["checks"].values())
        columns = []
        for c in t["columns"]:
            family = _mysql_type(c["type"], f"json_valid(`{c['name']}`)" in checks)
            columns.append({"name": c["name"], "type": family, "nullable": c["nullable"],
                            "default": _mysql_default(c["default"], c["extra"], family), "enum_type": None})
        foreign_keys = [{"name": fname, "columns": fk["columns"], "references": fk["references"],
                         "ref_columns": fk["ref_columns"], "on_delete": fk["on_delete"], "on_update": fk["on_update"]}
                        for fname, fk in t["foreign_keys"].items()]
        indexes = [{"name": iname, "unique": i["unique"], "constraint": None, "where": None,
                    "columns": [c + (" DESC" if d else "") for c, d in zip(i["columns"], i["descending"])]}
                   for iname, i in t["indexes"].items() if iname != "PRIMARY"]
        primary_key = t["indexes"].get("PRIMARY", {}).get("columns", [])
        tables[name] = _table(columns, primary_key, foreign_keys, indexes)
    return {"tables": tables, "enum_types": {}}


# --- SQLite ---------------------------------------------------------------------------------------

_SQLITE_TYPES = [(r"INTEGER", "integer"), (r"VARCHAR\((\d+)\)", r"varchar(\1)"), (r"TEXT", "text"),
                 (r"DECIMAL\((\d+),(\d+)\)", r"decimal(\1,\2)"), (r"DATETIME", "timestamp"), (r"DATE", "date")]


def _sqlite_type(native: str, column: str, sql: str) -> str:
    col = re.escape(f'"{column}"')
    checked_in = re.search(rf"CHECK\s*\(\s*{col}\s+IN\s*\(([^)]*)\)\s*\)", sql, re.I)
    if native.upper() == "TEXT" and checked_in and _enum_values(checked_in.group(1)) is not None:
        return enum(_enum_values(checked_in.group(1)))
    if native.upper() == "BOOLEAN":  # SQLite enforces what the servers enforce only by CHECK
        return "boolean" if checked_in and re.fullmatch(r"\s*0\s*,\s*1\s*", checked_in.group(1)) \
            else "boolean without CHECK (col IN (0, 1))"
    if native.upper() == "JSON":
        return "json" if re.search(rf"json_valid\(\s*{col}\s*\)", sql) else "json without CHECK (json_valid(col))"
    for pattern, family in _SQLITE_TYPES:
        if re.fullmatch(pattern, native, re.I):
            return re.sub(pattern, family, native.upper())
    return native


def _sqlite(snap: dict) -> dict:
    tables = {}
    for name, t in snap["tables"].items():
        sql = t["sql"] or ""
        pk = [c for c in sorted(t["columns"], key=lambda c: c["pk"]) if c["pk"]]
        rowid = len(pk) == 1 and pk[0]["type"].upper() == "INTEGER"  # INTEGER PRIMARY KEY: never NULL
        columns = []
        for c in t["columns"]:
            family = _sqlite_type(c["type"], c["name"], sql)
            auto = rowid and c["pk"] and re.search(rf'"{re.escape(c["name"])}" INTEGER PRIMARY KEY AUTOINCREMENT',
                                                   sql, re.I)
            columns.append({"name": c["name"], "type": family, "nullable": c["nullable"] and not (rowid and c["pk"]),
                            "default": AUTO if auto else _default(c["default"], family), "enum_type": None})
        foreign_keys = []
        for fk in t["foreign_keys"]:
            ref_pk = [c["name"] for c in sorted(snap["tables"].get(fk["references"], {"columns": []})["columns"],
                                                key=lambda c: c["pk"]) if c["pk"]]
            foreign_keys.append({"name": None, "columns": fk["columns"], "references": fk["references"],
                                 # REFERENCES "t" without columns means t's primary key
                                 "ref_columns": [r or p for r, p in zip(fk["ref_columns"], ref_pk or fk["columns"])],
                                 "on_delete": fk["on_delete"], "on_update": fk["on_update"]})
        named_uniques = {tuple(_names(cols)): cname for cname, cols in
                         re.findall(r'CONSTRAINT\s+"([^"]+)"\s+UNIQUE\s*\(([^)]*)\)', sql, re.I)}
        indexes = []
        for iname, i in t["indexes"].items():
            if i["origin"] == "pk":
                continue
            cols = [c + (" DESC" if d else "") for c, d in zip(i["columns"], i["descending"])]
            if i["origin"] == "u":  # an automatic index behind a UNIQUE constraint: the name is in the table's SQL
                iname = named_uniques.get(tuple(cols), f"(unnamed UNIQUE constraint on {', '.join(cols)})")
            where = re.search(r"\bWHERE\b(.*)$", i["sql"] or "", re.I) if i["partial"] else None
            indexes.append({"name": iname, "columns": cols, "unique": i["unique"], "constraint": i["origin"] == "u",
                            "where": where.group(1).strip() if where else None})
        tables[name] = _table(columns, [c["name"] for c in pk], foreign_keys, indexes)
    return {"tables": tables, "enum_types": {}}


# --- comparison -----------------------------------------------------------------------------------

ABSENT = "(absent)"


def _fk_target(fk: dict) -> str:
    return (f"{fk['references']}({', '.join(fk['ref_columns'])}) "
            f"ON DELETE {fk['on_delete']} ON UPDATE {fk['on_update']}")


def index_definition(index: dict) -> str:
    text = ("UNIQUE " if index["unique"] else "") + (index["method"] + " " if index.get("method") else "")
    text += f"({', '.join(index['columns'])})"
    text += f" WHERE {index['where']}" if index["where"] else ""
    return text + (" INVALID" if index.get("invalid") else "")


def facts(model: dict) -> dict[tuple[str, str, str], str]:
    """The model as flat facts: (table, subject, attribute) -> value. A dialect that cannot tell emits nothing."""
    out = {}
    for name, t in model["tables"].items():
        out[(name, "", "columns in order")] = ", ".join(c["name"] for c in t["columns"])
        for c in t["columns"]:
            subject = f"column {c['name']}"
            out[(name, subject, "type")] = c["type"]
            out[(name, subject, "null")] = "NULL" if c["nullable"] else "NOT NULL"
            out[(name, subject, "default")] = c["default"] or "none"
        out[(name, "", "primary key")] = f"({', '.join(t['primary_key'])})"
        for fk in t["foreign_keys"]:
            subject = f"foreign key ({', '.join(fk['columns'])})"
            out[(name, subject, "references")] = _fk_target(fk)
            if fk["name"] is not None:
                out[(name, subject, "name")] = fk["name"]
        for index in t["indexes"]:
            subject = f"index {index['name']}"
            out[(name, subject, "definition")] = index_definition(index)
            if index["unique"] and index["constraint"] is not None:
                out[(name, subject, "declared as")] = "UNIQUE constraint" if index["constraint"] else "unique index"
    for name, values in model["enum_types"].items():
        out[("", f"enum type {name}", "values")] = enum(values)
    return out


@dataclass
class Accepted:
    """A difference the parity test accepts: in `dialect`, a fact for which `when(key, value, model)` holds is
    compared as `counts_as` (or not compared at all when counts_as is None). `reason` says why, in one line."""

    dialect: str
    reason: str
    when: Callable[[tuple, str, dict], bool]
    counts_as: str | None = None


@dataclass
class Difference:
    key: tuple[str, str, str]
    values: dict[str, str]

    def __str__(self) -> str:
        table, subject, attribute = self.key
        where = ", ".join(p for p in (f"table {table}" if table else "", subject, attribute) if p)
        width = max(len(d) for d in self.values) + 1
        return where + ":\n" + "\n".join(f"    {d + ':':<{width}} {v}" for d, v in self.values.items())


def compare(models: dict[str, dict], accepted: list[Accepted], used: set[int] | None = None) -> list[Difference]:
    """Every fact on which the dialects' models disagree, once the accepted differences are applied.

    A table missing from a dialect is reported once (its columns are not listed again). `used` collects the
    positions of the accepted differences that applied."""
    per_dialect = {d: facts(m) for d, m in models.items()}
    differences = []
    for key in sorted(set().union(*per_dialect.values())):
        table = key[0]
        values = {}
        for dialect, f in per_dialect.items():
            if table and key[1:] != ("", "columns in order") and table not in models[dialect]["tables"]:
                continue  # the missing table is reported by its "columns in order" fact
            value = f.get(key, ABSENT)
            for i, a in enumerate(accepted):
                if a.dialect == dialect and a.when(key, value, models[dialect]):
                    value = a.counts_as
                    if used is not None:
                        used.add(i)
                    break
            if value is not None:
                values[dialect] = value
        if len(set(values.values())) > 1:
            differences.append(Difference(key, values))
    return differences
