"""Read a database's schema from its own catalog into plain, sorted, comparable data.

`snapshot(url)` answers "what exactly is in this database?" per dialect, from the catalogs
(pg_catalog, information_schema, SQLite's sqlite_master and pragmas), never from dump tools.
Two snapshots of the same database are equal exactly when tables, columns (order, type, nullability,
default), indexes (columns, order, uniqueness, validity), constraints (primary, unique, foreign keys
with their actions, checks), PostgreSQL enum types (values in order) and sequences are the same.
yoyo's own tables and this repository's bookkeeping tables are left out.
"""

from __future__ import annotations

import re

from tools.migrations import TOOL_TABLES, dialect_of
from tools.servers import connect


def snapshot(url: str) -> dict:
    dialect = dialect_of(url)
    conn = connect(url, autocommit=True)
    try:
        return {"sqlite": _sqlite, "mysql": _mysql, "postgres": _postgres}[dialect](conn)
    finally:
        conn.close()


def _ours(table: str) -> bool:
    return table not in TOOL_TABLES and not table.startswith("yoyo_tmp_")


def _rows(conn, sql: str, params=()) -> list[tuple]:
    cur = conn.cursor()
    cur.execute(sql, params)
    return [tuple(r) for r in cur.fetchall()]


# --- PostgreSQL -----------------------------------------------------------------------------------

def _postgres(conn) -> dict:
    schema = "current_schema()"
    tables = {}
    for (table,) in _rows(conn, f"""
            SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
            WHERE n.nspname = {schema} AND c.relkind IN ('r', 'p') ORDER BY 1"""):
        if _ours(table):
            tables[table] = {"columns": [], "constraints": {}, "indexes": {}}
    for table, column, type_, notnull, default in _rows(conn, f"""
            SELECT c.relname, a.attname, format_type(a.atttypid, a.atttypmod), a.attnotnull,
                   pg_get_expr(d.adbin, d.adrelid)
            FROM pg_attribute a
            JOIN pg_class c ON c.oid = a.attrelid
            JOIN pg_namespace n ON n.oid = c.relnamespace
            LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
            WHERE n.nspname = {schema} AND c.relkind IN ('r', 'p') AND a.attnum > 0 AND NOT a.attisdropped
            ORDER BY c.relname, a.attnum"""):
        if table in tables:
            tables[table]["columns"].append(
                {"name": column, "type": type_, "nullable": not notnull, "default": default})
    for table, name, kind, definition, validated in _rows(conn, f"""
            SELECT c.relname, con.conname, con.contype, pg_get_constraintdef(con.oid), con.convalidated
            FROM pg_constraint con
            JOIN pg_class c ON c.oid = con.conrelid
            JOIN pg_namespace n ON n.oid = c.relnamespace
            WHERE n.nspname = {schema} ORDER BY 1, 2"""):
        if table in tables:
            tables[table]["constraints"][name] = {"type": kind, "definition": definition,
                                                  "validated": validated}
    for table, name, definition, valid in _rows(conn, f"""
            SELECT t.relname, i.relname, pg_get_indexdef(ix.indexrelid), ix.indisvalid
            FROM pg_index ix
            JOIN pg_class i ON i.oid = ix.indexrelid
            JOIN pg_class t ON t.oid = ix.indrelid
            JOIN pg_namespace n ON n.oid = t.relnamespace
            WHERE n.nspname = {schema} ORDER BY 1, 2"""):
        if table in tables:
            tables[table]["indexes"][name] = {"definition": definition, "valid": valid}
    enums = {name: list(labels) for name, labels in _rows(conn, f"""
            SELECT t.typname, array_agg(e.enumlabel ORDER BY e.enumsortorder)
            FROM pg_type t
            JOIN pg_enum e ON e.enumtypid = t.oid
            JOIN pg_namespace n ON n.oid = t.typnamespace
            WHERE n.nspname = {schema} GROUP BY t.typname ORDER BY 1""")}
    sequences = {name: {"type": type_, "start": start, "increment": inc, "last_value": last}
                 for name, type_, start, inc, last in _rows(conn, f"""
            SELECT sequencename, data_type::text, start_value, increment_by, last_value
            FROM pg_sequences WHERE schemaname = {schema} ORDER BY 1""")}
    other_types = [name for (name,) in _rows(conn, f"""
            SELECT t.typname FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace
            WHERE n.nspname = {schema} AND t.typtype IN ('d', 'c') AND t.typrelid = 0 ORDER BY 1""")]
    return {"tables": tables, "enum_types": enums, "sequences": sequences, "other_types": other_types}


# --- MySQL / MariaDB ------------------------------------------------------------------------------

def _mysql(conn) -> dict:
    tables = {}
    for table, engine, collation in _rows(conn, """
            SELECT TABLE_NAME, ENGINE, TABLE_COLLATION FROM information_schema.TABLES
            WHERE TABLE_SCHEMA = DATABASE() AND TABLE_TYPE = 'BASE TABLE' ORDER BY 1"""):
        if _ours(table):
            tables[table] = {"engine": engine, "collation": collation, "columns": [], "indexes": {},
                             "foreign_keys": {}, "checks": {}}
    for table, column, type_, nullable, default, extra, collation in _rows(conn, """
            SELECT TABLE_NAME, COLUMN_NAME, COLUMN_TYPE, IS_NULLABLE, COLUMN_DEFAULT, EXTRA, COLLATION_NAME
            FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE()
            ORDER BY TABLE_NAME, ORDINAL_POSITION"""):
        if table in tables:
            tables[table]["columns"].append({"name": column, "type": type_, "nullable": nullable == "YES",
                                             "default": default, "extra": extra, "collation": collation})
    for table, index, non_unique, column, seq, order in _rows(conn, """
            SELECT TABLE_NAME, INDEX_NAME, NON_UNIQUE, COLUMN_NAME, SEQ_IN_INDEX, COLLATION
            FROM information_schema.STATISTICS WHERE TABLE_SCHEMA = DATABASE()
            ORDER BY TABLE_NAME, INDEX_NAME, SEQ_IN_INDEX"""):
        if table in tables:
            entry = tables[table]["indexes"].setdefault(index, {"unique": not int(non_unique), "columns": [],
                                                                "descending": []})
            entry["columns"].append(column)
            entry["descending"].append(order == "D")
    for table, name, ref_table, on_update, on_delete in _rows(conn, """
            SELECT TABLE_NAME, CONSTRAINT_NAME, REFERENCED_TABLE_NAME, UPDATE_RULE, DELETE_RULE
            FROM information_schema.REFERENTIAL_CONSTRAINTS WHERE CONSTRAINT_SCHEMA = DATABASE()
            ORDER BY 1, 2"""):
        if table in tables:
            tables[table]["foreign_keys"][name] = {"references": ref_table, "columns": [], "ref_columns": [],
                                                   "on_delete": on_delete, "on_update": on_update}
    for table, name, column, ref_column in _rows(conn, """
            SELECT TABLE_NAME, CONSTRAINT_NAME, COLUMN_NAME, REFERENCED_COLUMN_NAME
            FROM information_schema.KEY_COLUMN_USAGE
            WHERE TABLE_SCHEMA = DATABASE() AND REFERENCED_TABLE_NAME IS NOT NULL
            ORDER BY TABLE_NAME, CONSTRAINT_NAME, ORDINAL_POSITION"""):
        if table in tables and name in tables[table]["foreign_keys"]:
            tables[table]["foreign_keys"][name]["columns"].append(column)
            tables[table]["foreign_keys"][name]["ref_columns"].append(ref_column)
    for table, name, clause in _rows(conn, """
            SELECT tc.TABLE_NAME, cc.CONSTRAINT_NAME, cc.CHECK_CLAUSE
            FROM information_schema.CHECK_CONSTRAINTS cc
            JOIN information_schema.TABLE_CONSTRAINTS tc
              ON tc.CONSTRAINT_SCHEMA = cc.CONSTRAINT_SCHEMA AND tc.CONSTRAINT_NAME = cc.CONSTRAINT_NAME
             AND tc.CONSTRAINT_TYPE = 'CHECK'
            WHERE cc.CONSTRAINT_SCHEMA = DATABASE() ORDER BY 1, 2"""):
        if table in tables:
            tables[table]["checks"][name] = clause
    return {"tables": tables}


# --- SQLite ---------------------------------------------------------------------------------------

def _normalize_sql(sql: str | None) -> str | None:
    if sql is None:
        return None
    sql = re.sub(r"\s+", " ", sql).strip()
    return re.sub(r"\s*([(),])\s*", r"\1", sql)


def _sqlite(conn) -> dict:
    tables = {}
    for (table,) in _rows(conn, "SELECT name FROM sqlite_master WHERE type = 'table' "
                                "AND name NOT LIKE 'sqlite_%' ORDER BY name"):
        if not _ours(table):
            continue
        sql = _rows(conn, "SELECT sql FROM sqlite_master WHERE type = 'table' AND name = ?", (table,))[0][0]
        columns = [{"name": name, "type": type_, "nullable": not notnull, "default": default, "pk": pk}
                   for _cid, name, type_, notnull, default, pk, _hidden
                   in _rows(conn, f"PRAGMA table_xinfo(\"{table}\")")]
        indexes = {}
        for _seq, name, unique, origin, partial in _rows(conn, f"PRAGMA index_list(\"{table}\")"):
            cols = [(col, desc) for _seqno, _cid, col, desc, _coll, key
                    in _rows(conn, f"PRAGMA index_xinfo(\"{name}\")") if key]
            isql = _rows(conn, "SELECT sql FROM sqlite_master WHERE type = 'index' AND name = ?", (name,))
            indexes[name] = {"unique": bool(unique), "origin": origin, "partial": bool(partial),
                             "columns": [c for c, _ in cols], "descending": [bool(d) for _, d in cols],
                             "sql": _normalize_sql(isql[0][0]) if isql else None}
        foreign_keys = {}
        for fk_id, _seq, ref_table, column, ref_column, on_update, on_delete, match in \
                _rows(conn, f"PRAGMA foreign_key_list(\"{table}\")"):
            fk = foreign_keys.setdefault(fk_id, {"references": ref_table, "columns": [], "ref_columns": [],
                                                 "on_delete": on_delete, "on_update": on_update})
            fk["columns"].append(column)
            fk["ref_columns"].append(ref_column)
        tables[table] = {"sql": _normalize_sql(sql), "columns": columns, "indexes": indexes,
                         # SQLite numbers foreign keys, it does not name them: key them by content.
                         "foreign_keys": sorted(foreign_keys.values(), key=lambda f: (f["columns"], f["references"]))}
    has_sequence = _rows(conn, "SELECT 1 FROM sqlite_master WHERE name = 'sqlite_sequence'")
    sequences = dict(_rows(conn, "SELECT name, seq FROM sqlite_sequence ORDER BY name")) if has_sequence else {}
    triggers_views = [(t, n) for t, n in _rows(conn, "SELECT type, name FROM sqlite_master "
                                                     "WHERE type IN ('trigger', 'view') ORDER BY 1, 2")]
    return {"tables": tables, "sequences": {k: v for k, v in sequences.items() if _ours(k)},
            "triggers_and_views": triggers_views}


def differences(before, after, path: str = "") -> list[str]:
    """Human-readable list of what differs between two snapshots ("tables.users.columns[3].default: ...")."""
    if isinstance(before, dict) and isinstance(after, dict):
        found = []
        for key in sorted(set(before) | set(after), key=str):
            where = f"{path}.{key}" if path else str(key)
            if key not in after:
                found.append(f"{where}: only before: {before[key]!r}")
            elif key not in before:
                found.append(f"{where}: only after: {after[key]!r}")
            else:
                found += differences(before[key], after[key], where)
        return found
    if isinstance(before, list) and isinstance(after, list) and len(before) == len(after):
        return [d for i, (b, a) in enumerate(zip(before, after)) for d in differences(b, a, f"{path}[{i}]")]
    return [] if before == after else [f"{path}: {before!r} -> {after!r}"]
