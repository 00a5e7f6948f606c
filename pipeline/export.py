"""Export: one UTF-8 CSV per table and view of the database.

``documents.text`` is left out of ``documents.csv`` unless asked for (``with_text=True``):
spreadsheets choke on whole plans in a cell, and every row keeps its quote anyway.
"""
from __future__ import annotations

import csv
import sqlite3
from pathlib import Path


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
        keep = [i for i, c in enumerate(cols) if with_text or not (name == "documents" and c == "text")]
        path = out / f"{name}.csv"
        with path.open("w", encoding="utf-8-sig" if bom else "utf-8", newline="") as fh:
            w = csv.writer(fh)
            w.writerow([cols[i] for i in keep])
            for row in cur:
                w.writerow([row[i] for i in keep])
        written.append(path)
    con.close()
    return written
