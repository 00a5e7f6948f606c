"""Store: the SQLite database (sqlite-utils), written file by file, in batches.

Tables
------
``documents``  one row per document (see README for every column);
``runs``       one row per run of ``chitieu extract``;
``errors``     one row per problem (file, stage, message), cleared when the file later succeeds;
one table per registered extractor (``targets``, ``budgets``, ``agencies``, …), each row
keyed by a stable ``id`` and pointing to its document by ``doc_id``;
static tables and views registered by extractors (``national_targets``, ``comparison``).

Re-running on the same corpus adds no rows and changes nothing: a file whose bytes and
rules fingerprint are unchanged is skipped, and row ids are hashes of their content. A
changed file replaces all its old rows in one transaction.
"""
from __future__ import annotations

import dataclasses
import hashlib
import json
from pathlib import Path
from typing import Any, Iterable

import sqlite_utils
from sqlite_utils.db import jsonify_if_needed

import extractors

DOCUMENT_COLUMNS: dict[str, type] = {
    "doc_id": str,
    "source_path": str,
    "source_sha1": str,
    "part": int,
    "char_start": int,
    "char_end": int,
    "text": str,
    "doc_number": str,
    "doc_type": str,
    "issued_date": str,
    "issuer": str,
    "admin_level": str,
    "locality": str,
    "province": str,
    "province_2025": str,
    "signer": str,
    "title": str,
    "period_start": int,
    "period_end": int,
    "implements": str,
    "programme": str,
    "notes": str,
    "extracted_with": str,
    "source_format": str,  # txt, md, html, pdf, pdf_ocr, docx, doc, rtf, odt, xlsx (pipeline.readers)
    "pages": int,  # pages of the source file, where its reader knows them
}

_PY_TO_SQL = {int: int, float: float, str: str, bool: int}


def _column_type(tp: Any) -> type:
    """Map a dataclass field annotation ("int | None", "float", …) to a sqlite-utils column type."""
    name = tp if isinstance(tp, str) else getattr(tp, "__name__", str(tp))
    for key, t in (("int", int), ("float", float), ("bool", int)):
        if name.replace(" ", "").split("|")[0] == key:
            return t
    return str


def record_columns(record_type: type) -> dict[str, type]:
    cols = {"id": str, "doc_id": str}
    for f in dataclasses.fields(record_type):
        cols[f.name] = _column_type(f.type)
    return cols


def row_id(doc_id: str, table: str, row: dict) -> str:
    payload = json.dumps([doc_id, table, row], sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha1(payload.encode("utf-8")).hexdigest()[:16]


def _jsonable(v: Any) -> Any:
    if isinstance(v, (list, dict, tuple)):
        return json.dumps(v, ensure_ascii=False)
    return v


class Store:
    def __init__(self, path: str | Path):
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self.db = sqlite_utils.Database(self.path)
        self.db.conn.execute("PRAGMA journal_mode=WAL")
        self.db.conn.execute("PRAGMA synchronous=NORMAL")
        self.ensure_schema()
        self._columns: dict[str, set[str]] = {}  # table -> column names, for _insert

    # ---- schema ------------------------------------------------------------------------
    def ensure_schema(self) -> None:
        db = self.db
        if "documents" not in db.table_names():
            db["documents"].create(DOCUMENT_COLUMNS, pk="doc_id")
            db["documents"].create_index(["source_path"])
        else:
            self._add_missing_columns("documents", DOCUMENT_COLUMNS)
        if "runs" not in db.table_names():
            db["runs"].create(
                {"run_id": int, "started": str, "finished": str, "version": str, "rules": str, "paths": str,
                 "files": int, "skipped": int, "documents": int, "errors": int, "seconds": float,
                 "formats": str},
                pk="run_id",
            )
        else:
            self._add_missing_columns("runs", {"formats": str})  # files read per format
        if "errors" not in db.table_names():
            db["errors"].create(
                {"id": str, "run_id": int, "file": str, "stage": str, "message": str}, pk="id"
            )
            db["errors"].create_index(["file"])
        for spec in extractors.TABLES.values():
            cols = record_columns(spec.record_type)
            if spec.name not in db.table_names():
                db[spec.name].create(cols, pk="id", foreign_keys=[("doc_id", "documents", "doc_id")])
                db[spec.name].create_index(["doc_id"])
            else:
                self._add_missing_columns(spec.name, cols)

    def _add_missing_columns(self, name: str, cols: dict[str, type]) -> None:
        """Columns a newer version added to a table of an older database."""
        existing = set(self.db[name].columns_dict)
        for k, t in cols.items():
            if k not in existing:
                self.db[name].add_column(k, t)

    def write_static_tables(self) -> None:
        with self.db.conn:
            for name, loader in extractors.STATIC_TABLES.items():
                rows = loader()
                self.db[name].drop(ignore=True)
                if rows:
                    self.db[name].insert_all(rows)
            for name, sql in extractors.VIEWS.items():
                self.db.conn.execute(f"DROP VIEW IF EXISTS [{name}]")
                self.db.conn.execute(f"CREATE VIEW [{name}] AS {sql()}")

    # ---- files -------------------------------------------------------------------------
    def file_state(self, source_path: str) -> tuple[set[str], set[str]]:
        """(sha1 values, extracted_with values) of the rows stored for a file."""
        rows = self.db.execute(
            "select distinct source_sha1, extracted_with from documents where source_path = ?", [source_path]
        ).fetchall()
        return {r[0] for r in rows}, {r[1] for r in rows}

    def doc_ids_of(self, source_path: str) -> list[str]:
        return [r[0] for r in self.db.execute("select doc_id from documents where source_path = ?", [source_path])]

    def owner_of(self, doc_id: str) -> str | None:
        r = self.db.execute("select source_path from documents where doc_id = ?", [doc_id]).fetchone()
        return r[0] if r else None

    def replace_file(self, source_path: str, documents: list[dict], tables: dict[str, list[dict]]) -> None:
        """Delete a file's old rows and insert its new ones (call inside a transaction)."""
        old = self.doc_ids_of(source_path)
        if old:
            marks = ",".join("?" * len(old))
            for name in extractors.TABLES:
                self.db.execute(f"delete from [{name}] where doc_id in ({marks})", old)
            self.db.execute(f"delete from documents where doc_id in ({marks})", old)
        if documents:
            self._insert("documents", documents, pk="doc_id", replace=False)
        for name, rows in tables.items():
            if rows:
                self._insert(name, rows, pk="id", replace=True)
        self.db.execute("delete from errors where file = ?", [source_path])

    def _insert(self, table: str, rows: list[dict], pk: str, replace: bool) -> None:
        """``insert_all(rows, alter=True, replace=replace)`` as one executemany with the same values
        (sqlite-utils' per-call schema checks cost more than the insert); rows with a column the
        table lacks go through sqlite-utils, which adds it."""
        keys = list(dict.fromkeys(k for r in rows for k in r))
        cols = self._columns.get(table)
        if cols is None:
            cols = self._columns[table] = set(self.db[table].columns_dict)
        if not cols.issuperset(keys):
            self._columns.pop(table, None)
            self.db[table].insert_all(({k: _jsonable(v) for k, v in r.items()} for r in rows), pk=pk, alter=True,
                                      replace=replace)
            return
        sql = (f"INSERT{' OR REPLACE' if replace else ''} INTO [{table}] ({', '.join(f'[{k}]' for k in keys)}) "
               f"VALUES ({', '.join('?' * len(keys))})")
        self.db.conn.executemany(sql, [[jsonify_if_needed(_jsonable(r.get(k))) for k in keys] for r in rows])

    def add_error(self, run_id: int, file: str, stage: str, message: str) -> None:
        eid = hashlib.sha1(f"{file}\x00{stage}\x00{message}".encode()).hexdigest()[:16]
        self.db["errors"].upsert({"id": eid, "run_id": run_id, "file": file, "stage": stage, "message": message},
                                 pk="id")

    # ---- runs --------------------------------------------------------------------------
    def start_run(self, row: dict) -> int:
        with self.db.conn:
            return self.db["runs"].insert(row).last_pk

    def finish_run(self, run_id: int, row: dict) -> None:
        with self.db.conn:
            self.db["runs"].update(run_id, row)

    def transaction(self):
        return self.db.conn

    def close(self) -> None:
        self.db.conn.close()


def records_to_rows(doc_id: str, table: str, records: Iterable[Any]) -> list[dict]:
    rows = []
    for r in records:
        # a shallow copy: records hold only scalars (asdict's deep copy cost 5% of a run)
        d = {f.name: getattr(r, f.name) for f in dataclasses.fields(r)} if dataclasses.is_dataclass(r) else dict(r)
        d = {k: (sorted(v) if isinstance(v, set) else v) for k, v in d.items()}
        rows.append({"id": row_id(doc_id, table, d), "doc_id": doc_id, **d})
    return rows
