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
