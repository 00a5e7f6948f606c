"""Export: one UTF-8 CSV per table and view of the database.

``search_terms`` and ``search_rowid`` (what the search index needs, see ``pipeline.publish``) are
never exported. ``documents.text`` is left out of ``documents.csv`` unless asked for (``with_text=True``):
spreadsheets choke on whole plans in a cell, and every row keeps its quote anyway.

Each CSV is written to a temporary name and renamed when complete, so a killed export leaves
the previous file (or none), never a truncated one that parses cleanly.

``bom=True`` is the Excel-oriented form: besides the byte-order mark, a text cell that a
spreadsheet would run as a formula (starting with ``=``, ``+``, ``-``, ``@``, a tab or a carriage
return: in a plan, every list item "- Đạt 90% …" does) is prefixed with an apostrophe ``'``,
which Excel and LibreOffice show as text. Plain CSV (the default, for pandas, R, DuckDB) keeps
every value exactly as stored.
"""
from __future__ import annotations

import csv
import os
import sqlite3
from pathlib import Path

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
# columns that serve the database itself, not the reader (publish's search aid, the views' index row)
INTERNAL_COLUMNS = {"search_terms", "search_rowid"}


def neutralise(value):
    """A text cell a spreadsheet would read as a formula, prefixed with ``'``; other values as they are."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def export_csv(db_path: str | Path, out_dir: str | Path, *, bom: bool = False, with_text: bool = False,
               problems: list[str] | None = None) -> list[Path]:
    """Write ``<table>.csv`` for every table and view; return the paths written.

    A view that cannot be read (e.g. it refers to a table an older run did not create) is
    skipped and described in ``problems``; the other tables are still written.
    """
    db_path = Path(db_path)
    if not db_path.exists():
        raise FileNotFoundError(f"{db_path}: no such database (run `chitieu extract` first)")
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    con = sqlite3.connect(str(db_path))
    names = [r[0] for r in con.execute(
        "select name from sqlite_master where type in ('table','view') and name not like 'sqlite_%' "
        "and name not like '%_fts%' order by type, name")]
    written = []
    for name in names:
        try:
            cur = con.execute(f"select * from [{name}]")
        except sqlite3.OperationalError as e:
            if problems is None:
                raise
            problems.append(f"{name}: not exported ({e})")
            continue
        cols = [c[0] for c in cur.description]
        keep = [i for i, c in enumerate(cols) if c not in INTERNAL_COLUMNS
                and (with_text or not (name == "documents" and c == "text"))]
        path = out / f"{name}.csv"
        tmp = out / f".{name}.csv.{os.getpid()}.tmp"
        try:
            with tmp.open("w", encoding="utf-8-sig" if bom else "utf-8", newline="") as fh:
                w = csv.writer(fh)
                w.writerow([cols[i] for i in keep])
                for row in cur:
                    w.writerow([neutralise(row[i]) if bom else row[i] for i in keep])
            os.replace(tmp, path)
        finally:
            tmp.unlink(missing_ok=True)
        written.append(path)
    con.close()
    return written


# ---- Parquet ----------------------------------------------------------------------------------
PARQUET_BATCH = 10_000  # rows per record batch: memory stays flat whatever the table's size


class MissingExtra(RuntimeError):
    """An optional dependency a format needs is not installed."""


def _arrow_type(pa, column: str, declared: str):
    """The Arrow type of a column: pipeline.load's typing (the same columns as pandas gets), else
    the column's SQLite declared type."""
    from pipeline.load import DATE_COLUMNS, FLOAT_COLUMNS, INT_COLUMNS, JSON_LIST_COLUMNS

    declared = (declared or "").upper()
    if column in INT_COLUMNS:
        return pa.int64()
    if column in FLOAT_COLUMNS:
        return pa.float64()
    if column in DATE_COLUMNS:
        return pa.date32()
    if column in JSON_LIST_COLUMNS:
        return pa.list_(pa.string())
    if "INT" in declared:
        return pa.int64()
    if any(k in declared for k in ("REAL", "FLOA", "DOUB")):
        return pa.float64()
    if "BLOB" in declared:
        return pa.binary()
    return pa.string()


def _converter(pa, tp):
    """A function turning a stored SQLite value into a value of Arrow type ``tp`` (None when it
    cannot be one: a year written as text that is not a number, a malformed date)."""
    import datetime

    from pipeline.load import _as_list

    def to_int(v):
        if v is None or isinstance(v, int):
            return v
        try:
            f = float(v)
        except (TypeError, ValueError):
            return None
        return int(round(f)) if f == f and abs(f) < 2 ** 63 else None

    def to_float(v):
        if v is None or isinstance(v, float):
            return v
        try:
            return float(v)
        except (TypeError, ValueError):
            return None

    def to_date(v):
        if v is None:
            return None
        try:
            return datetime.date.fromisoformat(str(v)[:10])
        except ValueError:
            return None

    def to_list(v):
        return None if v is None else [None if x is None else str(x) for x in _as_list(v)]

    def to_str(v):
        return v if v is None or isinstance(v, str) else (v.decode("utf-8", "replace") if isinstance(v, bytes) else str(v))

    def to_bytes(v):
        return v if v is None or isinstance(v, bytes) else str(v).encode("utf-8")

    if pa.types.is_int64(tp):
        return to_int
    if pa.types.is_float64(tp):
        return to_float
    if pa.types.is_date32(tp):
        return to_date
    if pa.types.is_list(tp):
        return to_list
    if pa.types.is_binary(tp):
        return to_bytes
    return to_str


def _import_pyarrow():
    try:
        import pyarrow as pa
        import pyarrow.parquet as pq
    except ImportError:
        raise MissingExtra("--format parquet needs pyarrow, which is not installed: "
                           "pip install 'chitieu[parquet]' (or: pip install -e '.[parquet]')") from None
    return pa, pq


def export_parquet(db_path: str | Path, out_dir: str | Path, *, with_text: bool = False,
                   problems: list[str] | None = None) -> list[Path]:
    """Write ``<table>.parquet`` for every table and view, typed; return the paths written.

    Types follow ``pipeline.load`` (years and counts int64, values float64, dates date32,
    ``implements`` a list of strings), other columns their SQLite declared type; every column is
    nullable. Rows are streamed in batches of PARQUET_BATCH; each file is written to a temporary
    name and renamed when complete. Like the CSVs: ``documents.text`` only with ``with_text``,
    no index aids (``search_terms``), a view that cannot be read is described in ``problems``.
    Raises :class:`MissingExtra` when pyarrow is absent."""
    pa, pq = _import_pyarrow()
    db_path = Path(db_path)
    if not db_path.exists():
        raise FileNotFoundError(f"{db_path}: no such database (run `chitieu extract` first)")
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    con = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True)
    written: list[Path] = []
    try:
        names = [r[0] for r in con.execute(
            "select name from sqlite_master where type in ('table','view') and name not like 'sqlite_%' "
            "and name not like '%_fts%' order by type, name")]
        for name in names:
            try:
                declared = {r[1]: r[2] for r in con.execute(f"pragma table_info([{name}])")}
                cur = con.execute(f"select * from [{name}]")
            except sqlite3.OperationalError as e:
                if problems is None:
                    raise
                problems.append(f"{name}: not exported ({e})")
                continue
            cols = [c[0] for c in cur.description]
            keep = [i for i, c in enumerate(cols) if c not in INTERNAL_COLUMNS
                    and (with_text or not (name == "documents" and c == "text"))]
            schema = pa.schema([pa.field(cols[i], _arrow_type(pa, cols[i], declared.get(cols[i], ""))) for i in keep])
            convert = [_converter(pa, f.type) for f in schema]
            path = out / f"{name}.parquet"
            tmp = out / f".{name}.parquet.{os.getpid()}.tmp"
            try:
                with pq.ParquetWriter(tmp, schema) as writer:  # an empty table: the schema alone
                    while rows := cur.fetchmany(PARQUET_BATCH):
                        arrays = [pa.array([f(r[i]) for r in rows], type=field.type)
                                  for i, f, field in zip(keep, convert, schema)]
                        writer.write_table(pa.Table.from_arrays(arrays, schema=schema))
                os.replace(tmp, path)
            finally:
                tmp.unlink(missing_ok=True)
            written.append(path)
    finally:
        con.close()
    return written
