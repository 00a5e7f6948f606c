"""Store: the SQLite database (sqlite-utils), written file by file, in batches.

Tables
------
``documents``  one row per document (see README for every column);
``runs``       one row per run of ``chitieu extract``;
``errors``     one row per problem (file, stage, message, exception type), cleared when the file
               later succeeds;
``sources``    one row per file seen: its identity (resolved path), the path as given, its bytes'
               SHA-1, the rules it was extracted with and its status (``stored``, ``duplicate``,
               ``error``): what lets a re-run skip unchanged files and copies cheaply;
``duplicates`` one row per document found again in another file (or twice in one file): the copy's
               path and part, and the path of the file whose rows hold it;
one table per registered extractor (``targets``, ``budgets``, ``agencies``, …), each row
keyed by a stable ``id`` and pointing to its document by ``doc_id``;
static tables and views registered by extractors (``national_targets``, ``comparison``).

Re-running on the same corpus adds no rows and changes nothing: a file whose bytes and
rules fingerprint are unchanged is skipped, and row ids are hashes of their content. A
changed file replaces all its old rows in one transaction.

Every value passes ``check_row`` before it is written (one place for all tables): a value
SQLite cannot hold exactly (an integer outside 64 bits, an infinite or NaN float, a float
beyond 2**53, whose digits would be rounded) is refused with a message naming the column and
the number; the caller turns that into an ``errors`` row.

File names are kept losslessly: ``source_key`` (the resolved path, the identity), ``source_path``
(as given, shown with U+FFFD where the name is not valid UTF-8) and ``source_path_bytes`` (the
name's bytes, ``os.fsencode``) — see ``path_columns``.
"""
from __future__ import annotations

import dataclasses
import hashlib
import json
import math
import os
from functools import lru_cache
from pathlib import Path
from typing import Any, Iterable

import sqlite3

from chitieu import extractors

DOCUMENT_COLUMNS: dict[str, type] = {
    "doc_id": str,
    "source_path": str,
    "source_key": str,
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
    "programme_evidence": str,
    "kind": str,
    "kind_cue": str,
    "notes": str,
    "extracted_with": str,
    "source_format": str,  # txt, md, html, pdf, pdf_ocr, docx, doc, rtf, odt, xlsx (pipeline.readers)
    "pages": int,  # pages of the source file, where its reader knows them
}

SOURCE_COLUMNS: dict[str, type] = {
    "source_key": str, "source_path": str, "source_path_bytes": bytes, "source_sha1": str,
    "extracted_with": str, "status": str, "documents": int,
}
DUPLICATE_COLUMNS: dict[str, type] = {
    "id": str, "source_key": str, "source_path": str, "part": int, "doc_id": str, "stored_in": str,
}
ERROR_COLUMNS: dict[str, type] = {
    "id": str, "run_id": int, "file": str, "file_key": str, "stage": str, "message": str, "exception": str,
}
RUN_COLUMNS: dict[str, type] = {
    "run_id": int, "started": str, "finished": str, "status": str, "pid": int, "version": str, "rules": str,
    "paths": str, "files": int, "skipped": int, "documents": int, "errors": int, "pruned": int, "seconds": float,
    "formats": str,  # files read per format (JSON)
}

# SQLite integers are signed 64-bit; a double holds every integer exactly only up to 2**53
INT_MIN, INT_MAX = -(2 ** 63), 2 ** 63 - 1
FLOAT_EXACT = 2.0 ** 53


# ---- paths ------------------------------------------------------------------------------
def display_path(path: str) -> str:
    """A path as text SQLite can store: bytes that are not UTF-8 (kept by Python as lone
    surrogates, PEP 383) are shown as U+FFFD."""
    return os.fsencode(path).decode("utf-8", "replace")


def path_key(path: str | Path) -> str:
    """A file's identity: its resolved absolute path, as storable text. A name that is not valid
    UTF-8 keeps its odd bytes as ``\\xNN`` escapes, so two such names never collide."""
    resolved = os.path.realpath(os.fsdecode(path) if isinstance(path, bytes) else str(path))
    return os.fsencode(resolved).decode("utf-8", "backslashreplace")


def path_columns(path: str) -> dict:
    """``source_key``, ``source_path`` (display form) and ``source_path_bytes`` of a path."""
    return {"source_key": path_key(path), "source_path": display_path(path),
            "source_path_bytes": os.fsencode(path)}


# ---- values -----------------------------------------------------------------------------
def value_problem(v: Any) -> str | None:
    """Why SQLite cannot store ``v`` exactly, or None when it can."""
    if isinstance(v, bool) or v is None:
        return None
    if isinstance(v, int):
        if not INT_MIN <= v <= INT_MAX:
            return "outside SQLite's 64-bit integer range"
        return None
    if isinstance(v, float):
        if not math.isfinite(v):
            return "not a finite number"
        if abs(v) > FLOAT_EXACT:  # the number written had more digits than a double keeps
            return "beyond 2**53: a floating-point number cannot hold its digits exactly"
        return None
    if isinstance(v, str):
        try:
            v.encode("utf-8")
        except UnicodeEncodeError:
            return "text that is not valid Unicode (lone surrogate)"
    return None


def _shown(v: Any) -> str:
    text = repr(v)
    return text if len(text) <= 60 else f"{text[:28]}…{text[-28:]} ({len(text)} characters)"


def _all_storable(values) -> bool:
    """True when every value can be stored exactly (the common case, decided without a call per
    value: the texts are encoded together, one lone surrogate fails them all); False when one
    may not (``check_row`` then names each)."""
    texts = []
    for v in values:
        t = type(v)
        if t is str:
            texts.append(v)
        elif t is int:
            if not INT_MIN <= v <= INT_MAX:
                return False
        elif t is float:
            if not (math.isfinite(v) and abs(v) <= FLOAT_EXACT):
                return False
        elif v is not None and t is not bool:
            return False  # another type: value_problem decides
    try:
        "".join(texts).encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def check_row(table: str, row: dict) -> list[str]:
    """Messages for the values of ``row`` that cannot be stored exactly (empty when all can)."""
    if _all_storable(row.values()):
        return []
    out = []
    for k, v in row.items():
        why = value_problem(v)
        if why:
            out.append(f"{table}.{k} = {_shown(v)}: {why}")
    return out


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


# ``json.dumps(obj, sort_keys=True, ensure_ascii=False, default=str)``, its encoder made once (dumps
# builds one per call when given options: a tenth of the cost of an id)
_ID_ENCODER = json.JSONEncoder(sort_keys=True, ensure_ascii=False, default=str)


def row_id(doc_id: str, table: str, row: dict) -> str:
    payload = _ID_ENCODER.encode([doc_id, table, row])
    return hashlib.sha1(payload.encode("utf-8")).hexdigest()[:16]


def _jsonable(v: Any) -> Any:
    """Lists, dicts and tuples as JSON text (what sqlite-utils stored them as)."""
    if isinstance(v, (list, dict, tuple)):
        return json.dumps(v, ensure_ascii=False, default=repr)
    return v


_SCALAR_TYPES = frozenset({str, int, float, bool, bytes, type(None)})  # stored as they are


def _values(row: dict, keys: list[str]) -> list[Any]:
    """The row's values in ``keys`` order, as ``_jsonable`` gives them (a type test per value
    instead of a call: a run stores a few hundred thousand values)."""
    return [v if type(v) in _SCALAR_TYPES else _jsonable(v) for v in map(row.get, keys)]


_SQL_TYPES = {int: "INTEGER", float: "FLOAT", bytes: "BLOB", str: "TEXT"}


class Database:
    """The few table operations the store needs, on a plain ``sqlite3`` connection.

    sqlite-utils imports pandas and numpy when it is imported (its optional support for their
    types): 0.25 s and 40 MB before the first file of every process and every worker, for
    nothing a run writes. The tables it created and these are the same SQLite tables."""

    def __init__(self, path: Path):
        self.conn = sqlite3.connect(str(path))

    def execute(self, sql: str, params: Iterable[Any] = ()) -> sqlite3.Cursor:
        return self.conn.execute(sql, list(params))

    def table_names(self) -> list[str]:
        return [r[0] for r in self.conn.execute("select name from sqlite_master where type = 'table'")]

    def columns(self, table: str) -> dict[str, str]:
        """column name -> declared type"""
        return {r[1]: r[2] for r in self.conn.execute(f"pragma table_info([{table}])")}

    def create_table(self, table: str, columns: dict[str, type], pk: str,
                     foreign_keys: Iterable[tuple[str, str, str]] = ()) -> None:
        refs = {col: (other, other_col) for col, other, other_col in foreign_keys}
        defs = []
        for name, tp in columns.items():
            d = f"[{name}] {_SQL_TYPES.get(tp, 'TEXT')}"
            if name == pk:
                d += " PRIMARY KEY"
            if name in refs:
                d += f" REFERENCES [{refs[name][0]}]([{refs[name][1]}])"
            defs.append(d)
        with self.conn:
            self.conn.execute(f"CREATE TABLE [{table}] (\n   " + ",\n   ".join(defs) + "\n)")

    def create_index(self, table: str, columns: list[str]) -> None:
        name = f"idx_{table}_{'_'.join(columns)}"
        with self.conn:
            self.conn.execute(f"CREATE INDEX IF NOT EXISTS [{name}] ON [{table}] ({', '.join(f'[{c}]' for c in columns)})")

    def add_column(self, table: str, name: str, tp: type) -> None:
        with self.conn:
            self.conn.execute(f"ALTER TABLE [{table}] ADD COLUMN [{name}] {_SQL_TYPES.get(tp, 'TEXT')}")


class Store:
    def __init__(self, path: str | Path):
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self.db = Database(self.path)
        self.db.conn.execute("PRAGMA journal_mode=WAL")
        self.db.conn.execute("PRAGMA synchronous=NORMAL")
        self.ensure_schema()
        self._columns: dict[str, set[str]] = {}  # table -> column names, for _insert

    # ---- schema ------------------------------------------------------------------------
    def ensure_schema(self) -> None:
        db = self.db
        if "documents" not in db.table_names():
            db.create_table("documents", DOCUMENT_COLUMNS, pk="doc_id")
            db.create_index("documents", ["source_path"])
            db.create_index("documents", ["source_key"])
        else:
            missing_key = "source_key" not in db.columns("documents")
            self._add_missing_columns("documents", DOCUMENT_COLUMNS)
            if missing_key:
                self._fill_source_keys()
                db["documents"].create_index(["source_key"], if_not_exists=True)
        for name, cols, pk, index in (("runs", RUN_COLUMNS, "run_id", None),
                                      ("errors", ERROR_COLUMNS, "id", "file_key"),
                                      ("sources", SOURCE_COLUMNS, "source_key", None),
                                      ("duplicates", DUPLICATE_COLUMNS, "id", "doc_id")):
            if name not in db.table_names():
                db.create_table(name, cols, pk=pk)
                if index:
                    db.create_index(name, [index])
            else:
                self._add_missing_columns(name, cols)
        for spec in extractors.TABLES.values():
            cols = record_columns(spec.record_type)
            if spec.name not in db.table_names():
                db.create_table(spec.name, cols, pk="id", foreign_keys=[("doc_id", "documents", "doc_id")])
                db.create_index(spec.name, ["doc_id"])
            else:
                self._add_missing_columns(spec.name, cols)

    def _add_missing_columns(self, name: str, cols: dict[str, type]) -> None:
        """Columns a newer version added to a table of an older database."""
        existing = set(self.db.columns(name))
        for k, t in cols.items():
            if k not in existing:
                self.db.add_column(name, k, t)

    def _fill_source_keys(self) -> None:
        """A database from before ``source_key``: key its documents by their resolved path."""
        with self.db.conn:
            for (p,) in self.db.execute("select distinct source_path from documents").fetchall():
                self.db.execute("update documents set source_key = ? where source_path = ?", [path_key(p), p])

    def write_static_tables(self) -> None:
        with self.db.conn:
            for name, loader in extractors.STATIC_TABLES.items():
                rows = loader()
                self.db.execute(f"DROP TABLE IF EXISTS [{name}]")
                if rows:
                    self._create_static(name, rows)
            for name, sql in extractors.VIEWS.items():
                self.db.conn.execute(f"DROP VIEW IF EXISTS [{name}]")
                self.db.conn.execute(f"CREATE VIEW [{name}] AS {sql()}")

    def _create_static(self, name: str, rows: list[dict]) -> None:
        """A table typed from its rows' values (as sqlite-utils' insert_all would), then filled."""
        keys = list(dict.fromkeys(k for r in rows for k in r))
        types = {}
        for k in keys:
            sample = next((r[k] for r in rows if r.get(k) is not None), None)
            types[k] = {bool: "INTEGER", int: "INTEGER", float: "FLOAT", bytes: "BLOB"}.get(type(sample), "TEXT")
        self.db.execute(f"CREATE TABLE [{name}] ({', '.join(f'[{k}] {types[k]}' for k in keys)})")
        self._columns.pop(name, None)
        self.db.conn.executemany(f"INSERT INTO [{name}] ({', '.join(f'[{k}]' for k in keys)}) "
                                 f"VALUES ({', '.join('?' * len(keys))})",
                                 [[_jsonable(r.get(k)) for k in keys] for r in rows])

    # ---- files -------------------------------------------------------------------------
    def source_state(self, key: str) -> dict | None:
        """The ``sources`` row of a file (by ``path_key``), or None when it was never seen."""
        r = self.db.execute("select source_sha1, extracted_with, status from sources where source_key = ?",
                            [key]).fetchone()
        return None if r is None else {"source_sha1": r[0], "extracted_with": r[1], "status": r[2]}

    def doc_ids_of(self, key: str) -> list[str]:
        return [r[0] for r in self.db.execute("select doc_id from documents where source_key = ?", [key])]

    def owner_of(self, doc_id: str) -> tuple[str, str] | None:
        """(source_key, source_path) of the file whose rows hold ``doc_id``."""
        r = self.db.execute("select source_key, source_path from documents where doc_id = ?", [doc_id]).fetchone()
        return (r[0], r[1]) if r else None

    def replace_file(self, source: dict, documents: list[dict], tables: dict[str, list[dict]],
                     duplicates: list[dict], status: str) -> None:
        """Delete a file's old rows and insert its new ones (call inside ``file_savepoint``).

        ``source`` is the file's ``sources`` row. Copies elsewhere of a document this file no
        longer holds are re-extracted next run (their ``sources`` row is invalidated).
        """
        key = source["source_key"]
        self.delete_file_rows(key, keep_source=True)
        if documents:
            self._insert("documents", documents, pk="doc_id", replace=False)
        for name, rows in tables.items():
            if rows:
                self._insert(name, rows, pk="id", replace=True)
        if duplicates:
            self._insert("duplicates", duplicates, pk="id", replace=True)
        self._insert("sources", [{**source, "status": status, "documents": len(documents)}],
                     pk="source_key", replace=True)
        self.db.execute("delete from errors where file_key = ?", [key])

    def delete_file_rows(self, key: str, keep_source: bool = False) -> None:
        """Remove every row of a file (documents, extracted rows, duplicates, errors)."""
        old = self.doc_ids_of(key)
        if old:
            marks = ",".join("?" * len(old))
            for name in extractors.TABLES:
                self.db.execute(f"delete from [{name}] where doc_id in ({marks})", old)
            self.db.execute(f"delete from documents where doc_id in ({marks})", old)
            # copies of these documents in other files must be extracted again to take over
            self.db.execute(f"update sources set extracted_with = '' where source_key in "
                            f"(select source_key from duplicates where doc_id in ({marks}) and source_key != ?)",
                            [*old, key])
            self.db.execute(f"delete from duplicates where doc_id in ({marks}) and source_key != ?", [*old, key])
        self.db.execute("delete from duplicates where source_key = ?", [key])
        if not keep_source:
            self.db.execute("delete from sources where source_key = ?", [key])
            self.db.execute("delete from errors where file_key = ?", [key])

    def stored_keys(self) -> set[str]:
        keys = {r[0] for r in self.db.execute("select source_key from sources")}
        return keys | {r[0] for r in self.db.execute("select distinct source_key from documents")}

    def mark_failed(self, source: dict) -> None:
        """Record a file that produced nothing storable (its old rows, if any, stay)."""
        state = self.source_state(source["source_key"])
        if state is None:
            self._insert("sources", [{**source, "extracted_with": "", "status": "error", "documents": 0}],
                         pk="source_key", replace=True)
        else:
            self.db.execute("update sources set extracted_with = '' where source_key = ?", [source["source_key"]])

    def file_savepoint(self):
        """A SAVEPOINT for one file inside the batch transaction: rolled back alone on failure."""
        return _Savepoint(self.db.conn)

    def _insert(self, table: str, rows: list[dict], pk: str, replace: bool) -> None:
        """``insert_all(rows, alter=True, replace=replace)`` as one executemany with the same values
        (sqlite-utils' per-call schema checks cost more than the insert); rows with a column the
        table lacks go through sqlite-utils, which adds it."""
        keys = list(dict.fromkeys(k for r in rows for k in r))
        cols = self._columns.get(table)
        if cols is None:
            cols = self._columns[table] = set(self.db.columns(table))
        if not cols.issuperset(keys):
            self._add_columns_for(table, [k for k in keys if k not in cols], rows)
            cols.update(keys)
        sql = (f"INSERT{' OR REPLACE' if replace else ''} INTO [{table}] ({', '.join(f'[{k}]' for k in keys)}) "
               f"VALUES ({', '.join('?' * len(keys))})")
        self.db.conn.executemany(sql, [_values(r, keys) for r in rows])

    def _add_columns_for(self, table: str, names: list[str], rows: list[dict]) -> None:
        """ALTER TABLE for columns a row brings (plain SQL: sqlite-utils would commit the batch)."""
        for k in names:
            sample = next((r[k] for r in rows if r.get(k) is not None), None)
            sql_type = {bool: "INTEGER", int: "INTEGER", float: "FLOAT", bytes: "BLOB"}.get(type(sample), "TEXT")
            self.db.execute(f"ALTER TABLE [{table}] ADD COLUMN [{k}] {sql_type}")

    def add_error(self, run_id: int, file: str, stage: str, message: str, exception: str = "") -> None:
        """One ``errors`` row (plain SQL, so it joins the caller's transaction)."""
        key = path_key(file) if file else ""
        shown = display_path(file)
        message = display_path(message)
        eid = hashlib.sha1(f"{key}\x00{stage}\x00{message}".encode()).hexdigest()[:16]
        self.db.execute("INSERT OR REPLACE INTO errors (id, run_id, file, file_key, stage, message, exception) "
                        "VALUES (?, ?, ?, ?, ?, ?, ?)", [eid, run_id, shown, key, stage, message, exception])

    # ---- runs --------------------------------------------------------------------------
    def start_run(self, row: dict) -> int:
        """Insert the run's row; earlier runs that never finished and whose process is gone are
        marked ``interrupted`` (killed, power cut)."""
        with self.db.conn:
            for run_id, pid in self.db.execute(
                    "select run_id, pid from runs where finished is null and status is null").fetchall():
                if not _alive(pid):
                    self.db.execute("update runs set status = 'interrupted' where run_id = ?", [run_id])
            cur = self.db.execute("INSERT INTO runs ({}) VALUES ({})".format(
                ", ".join(f"[{k}]" for k in row), ", ".join("?" * len(row))), list(row.values()))
            return cur.lastrowid

    def finish_run(self, run_id: int, row: dict) -> None:
        with self.db.conn:
            self.db.execute(f"UPDATE runs SET {', '.join(f'[{k}] = ?' for k in row)} WHERE run_id = ?",
                            [*row.values(), run_id])

    def transaction(self):
        """The batch transaction: ``with store.transaction():`` commits on success."""
        return _Transaction(self.db.conn)

    def close(self) -> None:
        self.db.conn.close()


def _alive(pid: int | None) -> bool:
    if not pid:
        return False
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


class _Transaction:
    """BEGIN … COMMIT (ROLLBACK on an exception) on a connection in Python's legacy mode."""

    def __init__(self, conn):
        self.conn = conn

    def __enter__(self):
        if not self.conn.in_transaction:
            self.conn.execute("BEGIN")
        return self.conn

    def __exit__(self, exc_type, exc, tb):
        if exc_type is None:
            self.conn.commit()
        else:
            self.conn.rollback()
        return False


class _Savepoint:
    """SAVEPOINT f … RELEASE f; on an exception ROLLBACK TO f (only this file's writes are undone)
    and the exception goes on to the caller."""

    def __init__(self, conn):
        self.conn = conn

    def __enter__(self):
        self.conn.execute("SAVEPOINT file")
        return self.conn

    def __exit__(self, exc_type, exc, tb):
        if exc_type is not None:
            self.conn.execute("ROLLBACK TO file")
        self.conn.execute("RELEASE file")
        return False


@lru_cache(maxsize=256)
def _field_names(record_type: type) -> tuple[str, ...]:
    return tuple(f.name for f in dataclasses.fields(record_type))


def records_to_rows(doc_id: str, table: str, records: Iterable[Any]) -> list[dict]:
    rows = []
    for r in records:
        # a shallow copy: records hold only scalars (asdict's deep copy cost 5% of a run)
        d = {k: getattr(r, k) for k in _field_names(type(r))} if dataclasses.is_dataclass(r) else dict(r)
        d = {k: (sorted(v) if isinstance(v, set) else v) for k, v in d.items()}
        rows.append({"id": row_id(doc_id, table, d), "doc_id": doc_id, **d})
    return rows
