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
import sqlite3
from pathlib import Path
from typing import Any

import yaml

from chitieu.pipeline.normalize import fold

from chitieu.pipeline.data import corpus_path

METADATA_FILE = corpus_path("publish/metadata.yaml")
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


def _place(locality: Any, province: Any) -> str:
    parts = [p for p in (locality, province) if p]
    if len(parts) == 2 and parts[0] == parts[1]:
        parts = parts[:1]
    return ", ".join(parts)


def build_search(con: sqlite3.Connection, table: str, text_columns: list[str], with_place: bool) -> int:
    """(Re)build ``<table>_fts``: each text column raw and folded (plus the plan's place)."""
    fts = f"{table}_fts"
    con.execute(f"drop table if exists {_q(fts)}")
    have = set(_columns(con, table))
    cols = [c for c in text_columns if c in have]
    if with_place and "doc_id" not in have:
        with_place = False
    fts_cols = []
    for c in cols + (["place"] if with_place else []):
        fts_cols += [c, c + FOLDED]
    if not fts_cols:
        log.warning("%s: none of the columns %s to index for search", table, text_columns)
        return 0
    con.execute(f"create virtual table {_q(fts)} using fts5("
                + ", ".join(_q(c) for c in fts_cols) + ", tokenize = 'unicode61 remove_diacritics 2')")
    select = ", ".join(f"t.{_q(c)}" for c in cols)
    if with_place:
        sql = (f"select t.rowid, {select + ', ' if select else ''}d.locality, d.province "
               f"from {_q(table)} t left join documents d on d.doc_id = t.doc_id")
    else:
        sql = f"select t.rowid{', ' + select if select else ''} from {_q(table)} t"
    count = 0

    def rows():  # streamed: the source rows are never all in memory
        nonlocal count
        for r in con.cursor().execute(sql):
            values = list(r[1:1 + len(cols)])
            if with_place:
                values.append(_place(r[-2], r[-1]))
            out = [r[0]]
            for v in values:
                v = "" if v is None else str(v)
                out += [v, fold(v)]
            count += 1
            yield out

    con.executemany(f"insert into {_q(fts)} (rowid, {', '.join(_q(c) for c in fts_cols)}) "
                    f"values ({', '.join('?' * (len(fts_cols) + 1))})", rows())
    return count


def build_place_view(con: sqlite3.Connection, table: str, view: str) -> None:
    """A view of ``table`` with the plan's place, level and number in front of each row."""
    con.execute(f"drop view if exists {_q(view)}")
    con.execute(
        f"create view {_q(view)} as select d.locality as locality, d.province as province, "
        f"d.admin_level as admin_level, d.doc_number as doc_number, d.period_end as plan_period_end, "
        f"t.*, t.rowid as search_rowid from {_q(table)} t join documents d on d.doc_id = t.doc_id")


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
                meta = _table_meta({"description": vspec.get("description", ""), "columns": described,
                                    "facets": vspec.get("facets", [])}, name, columns, undocumented)
                if table in searchable:
                    meta.update({"fts_table": searchable[table], "fts_pk": "search_rowid"})
            else:
                tspec = spec.get("tables", {}).get(name)
                if tspec is None:
                    log.warning("%s: %s without a description in %s", name, kind, METADATA_FILE.name)
                    tspec = {}
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
