"""Export: one UTF-8 CSV per table and view of the database.

``documents.text`` is left out of ``documents.csv`` unless asked for (``with_text=True``):
spreadsheets choke on whole plans in a cell, and every row keeps its quote anyway.

Two forms:

- plain (default): every value exactly as stored, for pandas, R, DuckDB, scripts. Nothing is
  changed, so a quote still equals ``documents.text[char_start:char_end]``.
- ``bom=True`` (``chitieu export --bom``), the form meant to be opened in Excel or LibreOffice:
  a UTF-8 byte-order mark, and every *text* cell that begins with ``=``, ``+``, ``-``, ``@``, a
  tab or a carriage return is prefixed with an apostrophe ``'`` so that the spreadsheet shows
  it as text instead of running it as a formula (CSV formula injection; a plan's list items
  "- Đạt 90% …", "+ 100% …" would otherwise be formulas). Numbers (a negative ``gap``) are left
  as numbers.

Each file is written to a hidden temporary name in the same folder and renamed when complete,
so a killed export leaves the previous complete file (or none), never a truncated one.
"""
from __future__ import annotations

import contextlib
import csv
import os
import sqlite3
import tempfile
from pathlib import Path
from typing import IO, Any, Iterator

SQLITE_HEADER = b"SQLite format 3\x00"
# first characters a spreadsheet reads as the start of a formula
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


class UnusableDatabase(Exception):
    """The path exists but is not a SQLite database chitieu can read (the message names it)."""


def open_database(db_path: str | Path, busy_timeout: float = 5.0, *, readonly: bool = False) -> sqlite3.Connection:
    """Open an existing chitieu database (``readonly``: for reading only); never create one.

    FileNotFoundError when the path does not exist; UnusableDatabase, with a message naming the
    file and the problem, when it is not a regular file or not an SQLite database."""
    db_path = Path(db_path)
    if not db_path.exists():
        raise FileNotFoundError(f"{db_path}: no such database (run `chitieu extract` first)")
    if not db_path.is_file():
        raise UnusableDatabase(f"{db_path}: not a database file (a folder or a device)")
    with db_path.open("rb") as fh:
        header = fh.read(len(SQLITE_HEADER))
    if header != SQLITE_HEADER:
        what = "an empty file" if not header else "not an SQLite database"
        raise UnusableDatabase(f"{db_path}: {what} (give the .db file written by `chitieu extract`)")
    if readonly:
        con = sqlite3.connect(f"{db_path.resolve().as_uri()}?mode=ro", uri=True, timeout=busy_timeout)
    else:
        con = sqlite3.connect(str(db_path), timeout=busy_timeout)
    try:
        con.execute("select count(*) from sqlite_master").fetchone()
    except sqlite3.DatabaseError as e:
        con.close()
        raise UnusableDatabase(f"{db_path}: unreadable SQLite database ({e})") from e
    return con


def _default_mode() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return 0o666 & ~mask


_FILE_MODE = _default_mode()


@contextlib.contextmanager
def atomic_write(path: str | Path, encoding: str = "utf-8") -> Iterator[IO[str]]:
    """Open a temporary file next to ``path`` for writing; rename it to ``path`` when the block
    ends without error (the old file stays untouched until then), remove it otherwise."""
    path = Path(path)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding=encoding, newline="") as fh:
            yield fh
            fh.flush()
            os.fsync(fh.fileno())
            os.fchmod(fh.fileno(), _FILE_MODE)  # mkstemp makes 0600; give the usual mode
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise


def excel_safe(value: Any) -> Any:
    """A text cell a spreadsheet would run as a formula, prefixed with ``'``; anything else as is."""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


# columns that serve the database itself, not the reader (the place views' index row)
INTERNAL_COLUMNS = {"search_rowid"}


def _exported(con: sqlite3.Connection, with_text: bool, problems: list[str] | None):
    """(name, cursor, column names, indexes of the columns to write) of every table and view to
    export, the same for every format: index aids, views made for browsing (``document_list``)
    and, unless asked for, ``documents.text`` left out; a view that cannot be read (it refers to a table an older run did not create) described
    in ``problems`` (raised when there is no list)."""
    from chitieu.pipeline.publish import datasette_only  # publish imports this module

    browsing = datasette_only()  # a table's view without its long columns: the table is exported
    names = [r[0] for r in con.execute(
        "select name from sqlite_master where type in ('table','view') and name not like 'sqlite_%' "
        "and name not like '%_fts%' order by type, name")]
    for name in names:
        if name in browsing:
            continue
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
        yield name, cur, cols, keep


def export_csv(db_path: str | Path, out_dir: str | Path, *, bom: bool = False, with_text: bool = False,
               problems: list[str] | None = None) -> list[Path]:
    """Write ``<table>.csv`` for every table and view; return the paths written.

    A view that cannot be read (e.g. it refers to a table an older run did not create) is
    skipped and described in ``problems``; the other tables are still written.
    """
    con = open_database(db_path)
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    written = []
    try:
        for name, cur, cols, keep in _exported(con, with_text, problems):
            path = out / f"{name}.csv"
            with atomic_write(path, encoding="utf-8-sig" if bom else "utf-8") as fh:
                w = csv.writer(fh)
                w.writerow([cols[i] for i in keep])
                for row in cur:
                    w.writerow([excel_safe(row[i]) for i in keep] if bom else [row[i] for i in keep])
            written.append(path)
    finally:
        con.close()
    return written




# ---- Parquet ----------------------------------------------------------------------------------
PARQUET_BATCH = 10_000  # rows per record batch: memory stays flat whatever the table's size


class MissingExtra(RuntimeError):
    """An optional dependency a format needs is not installed."""


def _arrow_type(pa, column: str, declared: str):
    """The Arrow type of a column: pipeline.load's typing (the same columns as pandas gets), else
    the column's SQLite declared type."""
    from chitieu.pipeline.load import DATE_COLUMNS, FLOAT_COLUMNS, INT_COLUMNS, JSON_LIST_COLUMNS

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

    from chitieu.pipeline.load import _as_list

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
    no index aids (``search_rowid``), a view that cannot be read is described in ``problems``.
    Raises :class:`MissingExtra` when pyarrow is absent."""
    con = open_database(db_path, readonly=True)  # a path that is no database: a one-line error, pyarrow or not
    written: list[Path] = []
    try:
        pa, pq = _import_pyarrow()
        out = Path(out_dir)
        out.mkdir(parents=True, exist_ok=True)
        for name, cur, cols, keep in _exported(con, with_text, problems):
            declared = {r[1]: r[2] for r in con.execute(f"pragma table_info([{name}])")}
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
