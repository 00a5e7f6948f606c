"""Publish: make a chitieu database ready to browse with Datasette.

``publish(db_path, out_dir)`` (run at the end of ``chitieu extract`` and ``chitieu export``)

- builds a full-text index ``<table>_fts`` for targets, budgets, agencies, reporting and
  documents. Each indexed column is stored twice: as written, and folded (lower case, no
  diacritics, ``đ`` -> ``d``, see ``pipeline.normalize.fold``). SQLite's ``unicode61``
  tokenizer with ``remove_diacritics 2`` strips tone marks but keeps ``đ``, so the folded
  twin is what lets "dak nong" find "Đắk Nông", while the raw column keeps "Đắk Nông" (and
  "đắk nông") matching too;
- creates views ``plan_targets``, ``plan_budgets``, ``plan_agencies``, ``plan_reporting``:
  each row with its plan's locality, province, level and number, so that Datasette can facet
  them by province and level (facets only see a table's own columns);
- writes ``<out_dir>/metadata.json``: title, source, licence, a description of every table
  and column with units, facets and the search configuration, from
  ``corpora/publish/metadata.yaml``.

Indexes are rebuilt from scratch every time (rowids change when a file is re-extracted), rows
streamed into them (never all in memory). The whole rebuild is one transaction: a kill leaves
the previous indexes and views, and two publishers never see each other's half-built tables.
A database locked by another writer is waited for (``BUSY_TIMEOUT`` seconds), then refused
with :class:`DatabaseLocked`, a clear message. ``metadata.json`` is written to a temporary
name and renamed when complete. Tables that do not exist are skipped; columns without a
description are reported with a logging warning.

    datasette outputs/chitieu.db -m outputs/metadata.json
"""
from __future__ import annotations

import json
import logging
import os
import re
import sqlite3
from pathlib import Path
from typing import Any

import yaml

from pipeline.normalize import fold

ROOT = Path(__file__).resolve().parent.parent
METADATA_FILE = ROOT / "corpora" / "publish" / "metadata.yaml"
FOLDED = "_folded"
BUSY_TIMEOUT = 30.0  # seconds to wait for another writer before giving up


class DatabaseLocked(RuntimeError):
    """Another process holds the database's write lock for longer than BUSY_TIMEOUT."""


def connect_for_writing(db_path: str | Path, timeout: float | None = None) -> sqlite3.Connection:
    """A connection in autocommit mode (transactions are explicit) that waits on locks."""
    return sqlite3.connect(str(db_path), timeout=BUSY_TIMEOUT if timeout is None else timeout,
                           isolation_level=None)


def begin(con: sqlite3.Connection, db_path: str | Path, timeout: float | None = None) -> None:
    """BEGIN IMMEDIATE: take the write lock now (waiting up to ``timeout``) or raise DatabaseLocked."""
    timeout = BUSY_TIMEOUT if timeout is None else timeout
    try:
        con.execute("BEGIN IMMEDIATE")
    except sqlite3.OperationalError as e:
        if "locked" in str(e) or "busy" in str(e):
            raise DatabaseLocked(f"{db_path}: the database is locked by another process (waited {timeout:g} s); "
                                 f"run again when the other chitieu command has finished") from None
        raise


def write_atomically(path: Path, data: str) -> None:
    """Write ``path`` through a temporary file renamed when complete (a kill leaves the old file)."""
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        tmp.write_text(data, encoding="utf-8")
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)

log = logging.getLogger("chitieu.publish")


def load_spec(path: str | Path = METADATA_FILE) -> dict:
    return yaml.safe_load(Path(path).read_text(encoding="utf-8"))


def _objects(con: sqlite3.Connection) -> dict[str, str]:
    """name -> type ('table' or 'view') of the database's own tables and views."""
    return {n: t for n, t in con.execute(
        "select name, type from sqlite_master where type in ('table', 'view') and name not like 'sqlite_%'")}


def _columns(con: sqlite3.Connection, name: str) -> list[str]:
    return [r[1] for r in con.execute(f"pragma table_info([{name}])")]


def _q(name: str) -> str:
    return "[" + name.replace("]", "]]") + "]"


def _dq(name: str) -> str:
    """An identifier quoted as sqlite-utils 4 quotes it (double quotes)."""
    return '"' + name.replace('"', '""') + '"'


def _place(locality: Any, province: Any) -> str:
    parts = [p for p in (locality, province) if p]
    if len(parts) == 2 and parts[0] == parts[1]:
        parts = parts[:1]
    return ", ".join(parts)


SEARCH_TERMS = "search_terms"  # the shadow column each searched table gets
TOKENIZE = "unicode61 remove_diacritics 2"
PENDING_BATCH = 2000  # rows folded per step: memory stays flat whatever the table's size
_D_WORD = re.compile(r"\w*[đĐ]\w*")


def search_terms(values: list[Any], place: str = "") -> str:
    """What search must match besides a row's own text columns: the plan's ``place`` as written,
    then each distinct word holding ``đ`` spelled with ``d`` (folded).

    SQLite's ``unicode61 remove_diacritics 2`` tokenizer already lower-cases and strips tone
    marks (``Nông`` -> ``nong``) but keeps ``đ``; these words are what ``fold`` changes beyond
    that, so "dak nong" finds "Đắk Nông" while the raw columns keep "Đắk Nông" matching.
    Distinct words only: a document's text adds a few hundred, never a second copy of itself."""
    seen: dict[str, None] = {}
    for v in [*values, place]:
        if v:
            for w in _D_WORD.findall(str(v)):
                seen.setdefault(fold(w), None)
    return " ".join(filter(None, [place, *seen]))


def fts_sql(table: str, columns: list[str]) -> tuple[str, dict[str, str]]:
    """The FTS5 table and triggers of ``Table.enable_fts(columns, create_triggers=True,
    tokenize=TOKENIZE)`` of sqlite-utils, statement for statement, so ``sqlite-utils search``,
    ``enable_fts(replace=True)`` and Datasette see the index as theirs. Written here rather than
    called: sqlite-utils runs them with ``executescript``, which commits the caller's
    transaction, and importing it costs every run pandas."""
    fts, cols = _dq(table + "_fts"), ", ".join(_dq(c) for c in columns)
    new = ", ".join(f"new.{_dq(c)}" for c in columns)
    old = ", ".join(f"old.{_dq(c)}" for c in columns)
    t = _dq(table)
    create = f"CREATE VIRTUAL TABLE {fts} USING FTS5 (\n    {cols},\n    tokenize='{TOKENIZE}',\n    content={t}\n)"
    triggers = {
        f"{table}_ai": f"CREATE TRIGGER {_dq(table + '_ai')} AFTER INSERT ON {t} BEGIN\n"
                       f"  INSERT INTO {fts} (rowid, {cols}) VALUES (new.rowid, {new});\nEND",
        f"{table}_ad": f"CREATE TRIGGER {_dq(table + '_ad')} AFTER DELETE ON {t} BEGIN\n"
                       f"  INSERT INTO {fts} ({fts}, rowid, {cols}) VALUES('delete', old.rowid, {old});\nEND",
        f"{table}_au": f"CREATE TRIGGER {_dq(table + '_au')} AFTER UPDATE ON {t} BEGIN\n"
                       f"  INSERT INTO {fts} ({fts}, rowid, {cols}) VALUES('delete', old.rowid, {old});\n"
                       f"  INSERT INTO {fts} (rowid, {cols}) VALUES (new.rowid, {new});\nEND",
    }
    return create, triggers


def _ensure_index(con: sqlite3.Connection, table: str, columns: list[str]) -> bool:
    """Create ``<table>_fts`` and its triggers unless they exist exactly as wanted (an index of
    another layout, e.g. the one older versions rebuilt by hand, is replaced). Returns True when
    (re)created: the caller then fills it from the table in one ``rebuild``."""
    create, triggers = fts_sql(table, columns)
    have = dict(con.execute("select name, sql from sqlite_master where name = ? or "
                            "(type = 'trigger' and tbl_name = ?)", [table + "_fts", table]))
    if have.get(table + "_fts") == create and all(have.get(n) == sql for n, sql in triggers.items()):
        return False
    for name in triggers:
        con.execute(f"drop trigger if exists {_q(name)}")
    con.execute(f"drop table if exists {_q(table + '_fts')}")
    con.execute(create)
    for sql in triggers.values():
        con.execute(sql)
    return True


def _fill_pending(con: sqlite3.Connection, table: str, cols: list[str], with_place: bool) -> int:
    """Set ``search_terms`` of the rows that have none (new since the last publish), a batch at a
    time; the update trigger re-indexes exactly those rows. Returns how many."""
    select = ", ".join(f"t.{_q(c)}" for c in cols) or "null"
    if with_place:
        sql = (f"select t.rowid, {select}, d.locality, d.province from {_q(table)} t "
               f"left join documents d on d.doc_id = t.doc_id where t.{SEARCH_TERMS} is null limit {PENDING_BATCH}")
    else:
        sql = f"select t.rowid, {select} from {_q(table)} t where t.{SEARCH_TERMS} is null limit {PENDING_BATCH}"
    done = 0
    while True:
        batch = con.execute(sql).fetchall()
        if not batch:
            return done
        updates = []
        for r in batch:
            values = list(r[1:1 + len(cols)])
            place = _place(r[-2], r[-1]) if with_place else ""
            updates.append((search_terms(values, place), r[0]))
        con.executemany(f"update {_q(table)} set {SEARCH_TERMS} = ? where rowid = ?", updates)
        done += len(batch)


def build_search(con: sqlite3.Connection, table: str, text_columns: list[str], with_place: bool) -> int:
    """Keep ``<table>_fts`` up to date incrementally; return the rows (re)indexed by this call.

    The index is sqlite-utils' external-content FTS5 over the text columns and ``search_terms``
    (see :func:`search_terms`), kept in step by triggers as the store inserts and deletes rows.
    Rows inserted since the last publish have no ``search_terms`` yet (a partial index finds
    them): they get it here, and only they are re-indexed. A no-op re-run writes nothing."""
    have = set(_columns(con, table))
    cols = [c for c in text_columns if c in have]
    if with_place and "doc_id" not in have:
        with_place = False
    if not cols and not with_place:
        log.warning("%s: none of the columns %s to index for search", table, text_columns)
        con.execute(f"drop table if exists {_q(table + '_fts')}")
        return 0
    if SEARCH_TERMS not in have:
        con.execute(f"alter table {_q(table)} add column {SEARCH_TERMS} text")
    con.execute(f"create index if not exists {_q(f'idx_{table}_{SEARCH_TERMS}_pending')} on {_q(table)} "
                f"({SEARCH_TERMS}) where {SEARCH_TERMS} is null")
    fts_columns = cols + [SEARCH_TERMS]
    create, triggers = fts_sql(table, fts_columns)
    fresh = _ensure_index(con, table, fts_columns)
    if fresh:  # fill the shadow column without the triggers, then index the whole table once
        for name in triggers:
            con.execute(f"drop trigger {_q(name)}")
        count = _fill_pending(con, table, cols, with_place)
        for sql in triggers.values():
            con.execute(sql)
        con.execute(f"insert into {_q(table + '_fts')} ({_q(table + '_fts')}) values ('rebuild')")
        return count or con.execute(f"select count(*) from {_q(table)}").fetchone()[0]
    return _fill_pending(con, table, cols, with_place)


def build_place_view(con: sqlite3.Connection, table: str, view: str) -> None:
    """A view of ``table`` with the plan's place, level and number in front of each row
    (left as it is when it already reads so: a no-op publish writes nothing)."""
    sql = (f"CREATE VIEW {_q(view)} as select d.locality as locality, d.province as province, "
           f"d.admin_level as admin_level, d.doc_number as doc_number, d.period_end as plan_period_end, "
           f"t.*, t.rowid as search_rowid from {_q(table)} t join documents d on d.doc_id = t.doc_id")
    old = con.execute("select sql from sqlite_master where type = 'view' and name = ?", [view]).fetchone()
    if old and old[0] == sql:
        return
    con.execute(f"drop view if exists {_q(view)}")
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


def publish(db_path: str | Path, out_dir: str | Path) -> Path:
    """Build the search indexes and place views in ``db_path``; write ``out_dir/metadata.json``.

    Returns the path of metadata.json."""
    db_path = Path(db_path)
    if not db_path.is_file():
        raise FileNotFoundError(f"{db_path}: no such database (run `chitieu extract` first)")
    spec = load_spec()
    con = connect_for_writing(db_path)
    undocumented: list[str] = []
    tables_meta: dict[str, dict] = {}
    try:
        begin(con, db_path)
        try:
            objects = _objects(con)
            has_docs = "documents" in objects
            # place views
            for table, vspec in spec.get("place_views", {}).items():
                view = vspec["name"]
                if has_docs and objects.get(table) == "table" and "doc_id" in _columns(con, table):
                    build_place_view(con, table, view)
                else:
                    con.execute(f"drop view if exists {_q(view)}")
            # search indexes
            searchable: dict[str, str] = {}
            for table, cols in spec.get("search", {}).items():
                if objects.get(table) == "table":
                    build_search(con, table, cols, with_place=has_docs and table != "documents")
                    searchable[table] = f"{table}_fts"
                else:
                    con.execute(f"drop table if exists {_q(table + '_fts')}")
            objects = _objects(con)
            con.execute("COMMIT")
        except BaseException:
            con.execute("ROLLBACK")
            raise
        # metadata
        views_by_name = {v["name"]: (t, v) for t, v in spec.get("place_views", {}).items()}
        for name, kind in sorted(objects.items()):
            if name.endswith("_fts") or "_fts_" in name:
                continue
            try:
                columns = _columns(con, name)
            except sqlite3.OperationalError as e:  # a view over a table not (yet) created
                log.warning("%s: columns unknown (%s)", name, e)
                columns = None
            if name in views_by_name:
                table, vspec = views_by_name[name]
                described = {**spec.get("place_columns", {}),
                             **spec.get("tables", {}).get(table, {}).get("columns", {})}
                if table in searchable:
                    described[SEARCH_TERMS] = spec.get("search_terms", "")
                meta = _table_meta({"description": vspec.get("description", ""), "columns": described,
                                    "facets": vspec.get("facets", [])}, name, columns, undocumented)
                if table in searchable:
                    meta.update({"fts_table": searchable[table], "fts_pk": "search_rowid"})
            else:
                tspec = spec.get("tables", {}).get(name)
                if tspec is None:
                    log.warning("%s: %s without a description in %s", name, kind, METADATA_FILE.name)
                    tspec = {}
                if name in searchable:
                    tspec = {**tspec, "columns": {**tspec.get("columns", {}), SEARCH_TERMS: spec.get("search_terms", "")}}
                meta = _table_meta(tspec, name, columns, undocumented)
                if name in searchable:
                    meta.update({"fts_table": searchable[name], "fts_pk": "rowid"})
            tables_meta[name] = meta
        for name in objects:
            if name.endswith("_fts"):
                tables_meta[name] = {"hidden": True}
    finally:
        con.close()
    if undocumented:
        log.warning("columns without a description in %s: %s", METADATA_FILE.name, ", ".join(undocumented))
    metadata = {k: spec[k] for k in ("title", "description", "source", "license") if k in spec}
    metadata["databases"] = {db_path.stem: {"tables": tables_meta}}
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    path = out / "metadata.json"
    write_atomically(path, json.dumps(metadata, ensure_ascii=False, indent=2) + "\n")
    return path
