"""Publish: make a chitieu database ready to browse with Datasette and ``sqlite-utils search``.

``publish(db_path, out_dir)`` (run at the end of ``chitieu extract`` and ``chitieu export``)

- keeps a full-text index ``<table>_fts`` for targets, budgets, agencies, reporting and
  documents (title, issuer, place, number and the whole text). Each index is an FTS5 table in
  sqlite-utils' own layout (``content=[<table>]``, triggers ``<table>_ai``/``_ad``/``_au``), so
  ``sqlite-utils search DB targets "dak nong"``, ``Table.search()`` and Datasette find it. The
  triggers keep it up to date as rows are written: a run re-indexes only the rows it changed,
  SQLite streams the work (no row is held in Python) and a no-op re-run touches no index.
  Accents: the ``unicode61 remove_diacritics 2`` tokenizer drops tone marks and case but keeps
  ``đ``; each indexed value that holds ``đ``/``Đ`` is indexed a second time with ``đ`` -> ``d``
  (computed in SQL, so the delete trigger indexes exactly what the insert trigger did). Hence
  "dak nong", "Dak Nong" and "Đắk Nông" all find Đắk Nông. Rows of the extracted tables are
  also indexed with their plan's place (locality, province), taken from ``documents`` once per
  document into ``_fts_place``; when a document's place changes, ``publish`` re-indexes that
  document's rows;
- creates views ``plan_targets``, ``plan_budgets``, ``plan_agencies``, ``plan_reporting``:
  each row with its plan's locality, province, level and number, so that Datasette can facet
  them by province and level (facets only see a table's own columns);
- creates the view ``document_list``: ``documents`` without ``text`` (whole plans make its
  rows unreadable in a listing); Datasette shows it and hides ``documents`` from its index, which
  keeps ``text`` (every quote's evidence) and stays reachable by its URL;
- with an ``out_dir``, writes ``<out_dir>/metadata.json`` (to a temporary name, then renamed):
  title, source, licence, a description of every table and column with units (shown as the
  column headers' tooltips), facets and the search configuration, from
  ``corpora/publish/metadata.yaml``. ``chitieu export`` writes it into its output folder;
  ``chitieu extract`` only into the project's ``outputs/`` (never beside a database elsewhere).

All changes to the database are one transaction: a kill leaves the previous state, and two
concurrent runs wait for each other (up to ``busy_timeout`` seconds, then
``DatabaseBusy`` with a clear message). Tables that do not exist are skipped; columns without a
description are reported with a logging warning.

    datasette outputs/chitieu.db -m outputs/metadata.json
"""
from __future__ import annotations

import json
import logging
import sqlite3
from pathlib import Path
from typing import Any

from chitieu.pipeline.corpus import load_data

from chitieu.pipeline.export import UnusableDatabase, atomic_write, open_database

from chitieu.pipeline.data import corpus_path

METADATA_FILE = corpus_path("publish/metadata.yaml")
TOKENIZE = "unicode61 remove_diacritics 2"
SEARCH_VERSION = "2"  # bump when the indexed expressions change: every index is rebuilt once
PLACE = "_fts_place"  # doc_id -> the place string its rows were indexed with
SPEC = "_fts_spec"  # table -> signature of its index (columns, tokenizer, version)
BUSY_TIMEOUT = 60.0  # seconds to wait for another writer before giving up

log = logging.getLogger("chitieu.publish")


class DatabaseBusy(UnusableDatabase):
    """Another process held the database longer than the busy timeout."""


def load_spec(path: str | Path = METADATA_FILE) -> dict:
    return load_data(path, "publish/metadata.yaml")


def _objects(con: sqlite3.Connection) -> dict[str, str]:
    """name -> type ('table' or 'view') of the database's own tables and views."""
    return {n: t for n, t in con.execute(
        "select name, type from sqlite_master where type in ('table', 'view') and name not like 'sqlite_%'")}


def _columns(con: sqlite3.Connection, name: str) -> list[str]:
    return [r[1] for r in con.execute(f"pragma table_info([{name}])")]


def _q(name: str) -> str:
    return "[" + name.replace("]", "]]") + "]"


# ---- search: SQL expressions, so that triggers and rebuilds index the very same strings ----------

def twin(expr: str) -> str:
    """``expr``, followed by its ``đ`` -> ``d`` twin when it holds a đ/Đ (the tokenizer does the rest)."""
    return (f"(CASE WHEN {expr} GLOB '*[đĐ]*' THEN {expr} || ' ' || replace(replace({expr}, 'đ', 'd'), 'Đ', 'D') "
            f"ELSE coalesce({expr}, '') END)")


def place_of(doc: str) -> str:
    """The place string of a documents row aliased ``doc``: 'locality, province' (once if equal)."""
    return (f"(CASE WHEN {doc}.locality IS NOT NULL AND {doc}.province IS NOT NULL AND {doc}.locality <> {doc}.province "
            f"THEN {doc}.locality || ', ' || {doc}.province ELSE coalesce({doc}.locality, {doc}.province, '') END)")


def _current_place(doc_id: str) -> str:
    """The indexed place string of the document ``doc_id`` (an SQL expression) as it is now."""
    return f"coalesce((SELECT {twin(place_of('d'))} FROM documents d WHERE d.doc_id = {doc_id}), '')"


def _snapshot_place(doc_id: str) -> str:
    return f"coalesce((SELECT place FROM {PLACE} WHERE doc_id = {doc_id}), '')"


def _values(row: str, cols: list[str], with_place: bool) -> str:
    vals = [twin(f"{row}.{_q(c)}") for c in cols]
    if with_place:
        vals.append(_snapshot_place(f"{row}.doc_id"))
    return ", ".join(vals)


def _triggers(table: str, cols: list[str], with_place: bool) -> list[str]:
    fts, t = _q(table + "_fts"), _q(table)
    names = ", ".join(_q(c) for c in cols + (["place"] if with_place else []))
    snap = (f"INSERT OR IGNORE INTO {PLACE} (doc_id, place) VALUES (new.doc_id, {_current_place('new.doc_id')});"
            if with_place else "")
    ins = f"INSERT INTO {fts} (rowid, {names}) VALUES (new.rowid, {_values('new', cols, with_place)});"
    dele = f"INSERT INTO {fts} ({fts}, rowid, {names}) VALUES ('delete', old.rowid, {_values('old', cols, with_place)});"
    return [f"CREATE TRIGGER {_q(table + '_ai')} AFTER INSERT ON {t} BEGIN {snap} {ins} END",
            f"CREATE TRIGGER {_q(table + '_ad')} AFTER DELETE ON {t} BEGIN {dele} END",
            f"CREATE TRIGGER {_q(table + '_au')} AFTER UPDATE ON {t} BEGIN {dele} {snap} {ins} END"]


def _drop_search(con: sqlite3.Connection, table: str) -> None:
    for suffix in ("_ai", "_ad", "_au"):
        con.execute(f"DROP TRIGGER IF EXISTS {_q(table + suffix)}")
    con.execute(f"DROP TABLE IF EXISTS {_q(table + '_fts')}")
    con.execute(f"DELETE FROM {SPEC} WHERE tbl = ?", [table])


def _fill(con: sqlite3.Connection, table: str, cols: list[str], with_place: bool, where: str = "") -> None:
    """Index the rows of ``table`` (those matching ``where``), streamed by SQLite."""
    names = ", ".join(_q(c) for c in cols + (["place"] if with_place else []))
    if with_place:
        con.execute(f"INSERT OR IGNORE INTO {PLACE} (doc_id, place) SELECT DISTINCT t.doc_id, "
                    f"{_current_place('t.doc_id')} FROM {_q(table)} t {where}")
    con.execute(f"INSERT INTO {_q(table + '_fts')} (rowid, {names}) "
                f"SELECT t.rowid, {_values('t', cols, with_place)} FROM {_q(table)} t {where}")


def ensure_search(con: sqlite3.Connection, table: str, text_columns: list[str], with_place: bool) -> str:
    """Make ``<table>_fts`` and its triggers match the spec; return what was done
    ('kept', 'built' or 'repaired'). A no-op when the index is already right."""
    have = set(_columns(con, table))
    cols = [c for c in text_columns if c in have]
    with_place = with_place and "doc_id" in have
    if not cols and not with_place:
        log.warning("%s: none of the columns %s to index for search", table, text_columns)
        _drop_search(con, table)
        return "none"
    signature = json.dumps([SEARCH_VERSION, TOKENIZE, cols, with_place])
    row = con.execute(f"SELECT spec FROM {SPEC} WHERE tbl = ?", [table]).fetchone()
    triggers = {r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = ?",
                                          [table])}
    fts_exists = con.execute("SELECT 1 FROM sqlite_master WHERE name = ?", [table + "_fts"]).fetchone()
    if row and row[0] == signature and fts_exists and {table + s for s in ("_ai", "_ad", "_au")} <= triggers:
        # rows written with INSERT OR REPLACE lose their old entry without a trigger: repair if counts differ
        indexed = con.execute(f"SELECT count(*) FROM {_q(table + '_fts_docsize')}").fetchone()[0]
        if indexed == con.execute(f"SELECT count(*) FROM {_q(table)}").fetchone()[0]:
            return "kept"
        log.warning("%s: search index out of step (%d entries), rebuilt", table, indexed)
        con.execute(f"INSERT INTO {_q(table + '_fts')} ({_q(table + '_fts')}) VALUES ('delete-all')")
        _fill(con, table, cols, with_place)
        return "repaired"
    _drop_search(con, table)
    names = ", ".join(_q(c) for c in cols + (["place"] if with_place else []))
    # the layout of sqlite-utils' enable_fts (its own call commits at once: it cannot be part of our transaction)
    con.execute(f"CREATE VIRTUAL TABLE {_q(table + '_fts')} USING FTS5 ({names}, tokenize='{TOKENIZE}', "
                f"content={_q(table)})")
    for sql in _triggers(table, cols, with_place):
        con.execute(sql)
    _fill(con, table, cols, with_place)
    con.execute(f"INSERT OR REPLACE INTO {SPEC} (tbl, spec) VALUES (?, ?)", [table, signature])
    return "built"


def refresh_places(con: sqlite3.Connection, tables: dict[str, list[str]]) -> int:
    """Re-index the rows of documents whose place changed since their rows were indexed; forget
    places no indexed row uses. ``tables``: table -> indexed columns (tables indexed with a place)."""
    con.execute("DROP TABLE IF EXISTS temp._fts_moved")
    con.execute(f"CREATE TEMP TABLE _fts_moved AS SELECT s.doc_id AS doc_id, {_current_place('s.doc_id')} AS place "
                f"FROM {PLACE} s WHERE s.place IS NOT {_current_place('s.doc_id')}")
    moved = con.execute("SELECT count(*) FROM temp._fts_moved").fetchone()[0]
    if moved:
        where = "WHERE t.doc_id IN (SELECT doc_id FROM temp._fts_moved)"
        for table, cols in tables.items():
            fts = _q(table + "_fts")
            names = ", ".join(_q(c) for c in cols + ["place"])
            con.execute(f"INSERT INTO {fts} ({fts}, rowid, {names}) "
                        f"SELECT 'delete', t.rowid, {_values('t', cols, True)} FROM {_q(table)} t {where}")
        con.execute(f"UPDATE {PLACE} SET place = (SELECT m.place FROM temp._fts_moved m "
                    f"WHERE m.doc_id = {PLACE}.doc_id) WHERE doc_id IN (SELECT doc_id FROM temp._fts_moved)")
        for table, cols in tables.items():
            names = ", ".join(_q(c) for c in cols + ["place"])
            con.execute(f"INSERT INTO {_q(table + '_fts')} (rowid, {names}) "
                        f"SELECT t.rowid, {_values('t', cols, True)} FROM {_q(table)} t {where}")
    con.execute("DROP TABLE temp._fts_moved")
    unused = " AND ".join(f"NOT EXISTS (SELECT 1 FROM {_q(t)} WHERE doc_id = {PLACE}.doc_id)" for t in tables)
    if unused:
        con.execute(f"DELETE FROM {PLACE} WHERE {unused}")
    return moved


def build_place_view(con: sqlite3.Connection, table: str, view: str) -> None:
    """A view of ``table`` with the plan's place, level and number in front of each row (left as it
    is when it already says exactly this)."""
    sql = (f"CREATE VIEW {_q(view)} AS SELECT d.locality AS locality, d.province AS province, "
           f"d.admin_level AS admin_level, d.doc_number AS doc_number, d.period_end AS plan_period_end, "
           f"t.*, t.rowid AS search_rowid FROM {_q(table)} t JOIN documents d ON d.doc_id = t.doc_id")
    row = con.execute("SELECT sql FROM sqlite_master WHERE type = 'view' AND name = ?", [view]).fetchone()
    if row and row[0] == sql:
        return
    con.execute(f"DROP VIEW IF EXISTS {_q(view)}")
    con.execute(sql)


def _table_meta(spec: dict, name: str, columns: list[str] | None, undocumented: list[str]) -> dict:
    described = spec.get("columns", {})
    meta: dict[str, Any] = {"description": spec.get("description", "")}
    if columns is not None:
        meta["columns"] = {c: described[c] for c in columns if c in described}
        undocumented += [f"{name}.{c}" for c in columns if c not in described]
        facets = [f for f in spec.get("facets", []) if f in columns]
    else:
        meta["columns"] = dict(described)
        facets = list(spec.get("facets", []))
    if facets:
        meta["facets"] = facets
    if spec.get("label_column") and (columns is None or spec["label_column"] in columns):
        meta["label_column"] = spec["label_column"]
    return meta


def _is_lock(e: sqlite3.OperationalError) -> bool:
    return "locked" in str(e) or "busy" in str(e)


def prepare(con: sqlite3.Connection, spec: dict) -> dict[str, str]:
    """Place views and search indexes, in the caller's transaction; return table -> its FTS table."""
    con.execute(f"CREATE TABLE IF NOT EXISTS {PLACE} (doc_id TEXT PRIMARY KEY, place TEXT)")
    con.execute(f"CREATE TABLE IF NOT EXISTS {SPEC} (tbl TEXT PRIMARY KEY, spec TEXT)")
    objects = _objects(con)
    has_docs = "documents" in objects
    for table, vspec in spec.get("place_views", {}).items():
        view = vspec["name"]
        if has_docs and objects.get(table) == "table" and "doc_id" in _columns(con, table):
            build_place_view(con, table, view)
        elif view in objects:
            con.execute(f"DROP VIEW {_q(view)}")
    searchable: dict[str, str] = {}
    with_place: dict[str, list[str]] = {}
    for table, cols in spec.get("search", {}).items():
        if objects.get(table) != "table":
            if table + "_fts" in objects:
                _drop_search(con, table)
            continue
        place = has_docs and table != "documents"
        if ensure_search(con, table, cols, with_place=place) != "none":
            searchable[table] = f"{table}_fts"
            have = set(_columns(con, table))
            if place and "doc_id" in have:
                with_place[table] = [c for c in cols if c in have]
    if has_docs:
        refresh_places(con, with_place)
    return searchable


def list_view_sql(con: sqlite3.Connection, table: str, leave_out: list[str]) -> str | None:
    """The SELECT of a view of ``table`` without the columns ``leave_out`` (and with the rowid the
    search index is keyed by), or None when the table has none of them."""
    cols = _columns(con, table)
    keep = [c for c in cols if c not in leave_out]
    if len(keep) == len(cols):
        return None
    return f"SELECT {', '.join(_q(c) for c in keep)}, rowid AS search_rowid FROM {_q(table)}"


def build_list_view(con: sqlite3.Connection, table: str, view: str, leave_out: list[str]) -> None:
    """``view``: ``table`` without its ``leave_out`` columns (left as it is when already so)."""
    select = list_view_sql(con, table, leave_out)
    row = con.execute("SELECT sql FROM sqlite_master WHERE type = 'view' AND name = ?", [view]).fetchone()
    sql = f"CREATE VIEW {_q(view)} AS {select}" if select else None
    if row and row[0] == sql:
        return
    con.execute(f"DROP VIEW IF EXISTS {_q(view)}")
    if sql:
        con.execute(sql)


def _prepare_list_views(con: sqlite3.Connection, spec: dict) -> None:
    objects = _objects(con)
    for table, vspec in spec.get("list_views", {}).items():
        if objects.get(table) == "table":
            build_list_view(con, table, vspec["name"], vspec.get("leave_out", []))
        elif vspec["name"] in objects:
            con.execute(f"DROP VIEW {_q(vspec['name'])}")


def datasette_only(spec: dict | None = None) -> set[str]:
    """Views made for browsing alone (a table without its long columns): not exported."""
    spec = load_spec() if spec is None else spec
    return {v["name"] for v in spec.get("list_views", {}).values()}


# Datasette 0.65 prints every column description in a block above the rows, and shows each in its
# column's menu too: hide the block and make the descriptions the column headers' tooltips. Given
# as data: URLs so that metadata.json alone carries them (no --static or --template-dir to pass).
DATASETTE_CSS = "dl.column-descriptions { display: none; }"
DATASETTE_JS = ("document.addEventListener('DOMContentLoaded', function () {"
                " document.querySelectorAll('th[data-column-description]').forEach(function (th) {"
                " th.title = th.dataset.columnDescription; }); });")


def _data_url(mime: str, text: str) -> str:
    from urllib.parse import quote

    return f"data:{mime},{quote(text)}"


def column_descriptions(spec: dict, name: str) -> tuple[dict, dict[str, str]] | None:
    """(the Datasette options of table or view ``name``: description, facets, label column; the
    description of each of its columns) from ``spec``, or None when the spec does not describe it.
    Views made by ``publish`` take their table's descriptions (place views also those of the
    columns they add, list views lose the columns they leave out)."""
    tables = spec.get("tables", {})
    search_rowid = {"search_rowid": spec.get("place_columns", {}).get("search_rowid", "")}
    for table, vspec in spec.get("place_views", {}).items():
        if vspec["name"] == name:
            return ({"description": vspec.get("description", ""), "facets": vspec.get("facets", [])},
                    {**spec.get("place_columns", {}), **tables.get(table, {}).get("columns", {})})
    for table, vspec in spec.get("list_views", {}).items():
        if vspec["name"] == name:
            tspec = tables.get(table, {})
            cols = {c: d for c, d in tspec.get("columns", {}).items() if c not in vspec.get("leave_out", [])}
            return ({k: v for k, v in tspec.items() if k != "columns"} | {"description": vspec.get("description", "")},
                    {**cols, **search_rowid})
    if name in tables:
        return {k: v for k, v in tables[name].items() if k != "columns"}, dict(tables[name].get("columns", {}))
    return None


def datasette_metadata(con: sqlite3.Connection, spec: dict, searchable: dict[str, str], database: str) -> dict:
    """The Datasette metadata of the database behind ``con``: every table and view present, its
    description, its columns' descriptions (those it really has), facets, search; index aids hidden;
    a table with a list view hidden behind it."""
    undocumented: list[str] = []
    tables_meta: dict[str, dict] = {}
    objects = _objects(con)
    made_from = {v["name"]: t for key in ("place_views", "list_views") for t, v in spec.get(key, {}).items()}
    for name, kind in sorted(objects.items()):
        if "_fts" in name:
            continue
        try:
            columns = _columns(con, name)
        except sqlite3.OperationalError as e:  # a view over a table not (yet) created
            log.warning("%s: columns unknown (%s)", name, e)
            columns = None
        described = column_descriptions(spec, name)
        if described is None:
            log.warning("%s: %s without a description in %s", name, kind, METADATA_FILE.name)
            described = ({}, {})
        meta = _table_meta({**described[0], "columns": described[1]}, name, columns, undocumented)
        if name in made_from:
            if made_from[name] in searchable:
                meta.update({"fts_table": searchable[made_from[name]], "fts_pk": "search_rowid"})
        elif name in searchable:
            meta.update({"fts_table": searchable[name], "fts_pk": "rowid"})
        tables_meta[name] = meta
    for table, vspec in spec.get("list_views", {}).items():
        if table in tables_meta and vspec["name"] in tables_meta:
            tables_meta[table]["hidden"] = True  # still there, by URL: its long columns are evidence
    for name in objects:
        if "_fts" in name and (name.endswith("_fts") or name in (PLACE, SPEC)):
            tables_meta[name] = {"hidden": True}
    if undocumented:
        log.warning("columns without a description in %s: %s", METADATA_FILE.name, ", ".join(undocumented))
    metadata = {k: spec[k] for k in ("title", "description", "source", "license") if k in spec}
    metadata["extra_css_urls"] = [_data_url("text/css", DATASETTE_CSS)]
    metadata["extra_js_urls"] = [_data_url("text/javascript", DATASETTE_JS)]
    metadata["databases"] = {database: {"tables": tables_meta}}
    return metadata


def publish(db_path: str | Path, out_dir: str | Path | None = None, *,
            busy_timeout: float = BUSY_TIMEOUT) -> Path | None:
    """Bring the search indexes, place views and list views of ``db_path`` up to date (one
    transaction); with ``out_dir``, write ``out_dir/metadata.json`` and return its path (else
    None: ``chitieu extract`` writes it only into the project's ``outputs/``).

    FileNotFoundError without a database; UnusableDatabase for a file that is not one;
    DatabaseBusy when another process keeps it locked for more than ``busy_timeout`` seconds."""
    db_path = Path(db_path)
    spec = load_spec()
    con = open_database(db_path, busy_timeout=busy_timeout)
    con.isolation_level = None  # our own BEGIN/COMMIT: DDL must not commit statement by statement
    try:
        try:
            con.execute("BEGIN IMMEDIATE")
            try:
                searchable = prepare(con, spec)
                _prepare_list_views(con, spec)
                con.execute("COMMIT")
            except BaseException:
                con.execute("ROLLBACK")
                raise
        except sqlite3.OperationalError as e:
            if _is_lock(e):
                raise DatabaseBusy(f"{db_path}: the database is locked by another process (waited {busy_timeout:g} s "
                                   f"for it: is another chitieu extract or export running?); try again when it "
                                   f"ends") from e
            raise
        if out_dir is None:
            return None
        metadata = datasette_metadata(con, spec, searchable, db_path.stem)
    finally:
        con.close()
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    path = out / "metadata.json"
    with atomic_write(path) as fh:
        fh.write(json.dumps(metadata, ensure_ascii=False, indent=2) + "\n")
    return path
