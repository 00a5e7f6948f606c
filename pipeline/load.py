"""Load a chitieu database into typed pandas frames.

``pd.read_sql`` gives years with gaps as floats (2026.0), dates as text and JSON lists as
strings. ``load`` gives each table and view with its types: years and counts as nullable
integers (``Int64``), ISO dates as ``datetime64``, JSON arrays (``implements``) as Python lists,
text as ``string``; ``documents.text`` is left out unless asked for::

    from chitieu.pipeline.load import load
    frames = load("outputs/chitieu.db")                 # every table and view
    targets = load("outputs/chitieu.db", ["targets"])["targets"]
    docs = load("outputs/chitieu.db", ["documents"], with_text=True)["documents"]

A table that is not in the database is absent from the result (never an empty stand-in), so
``"budgets" in frames`` tells whether budgets were extracted; a view that cannot be read (its
table is gone) is left out with a warning.
"""
from __future__ import annotations

import json
import warnings
import sqlite3
from pathlib import Path
from typing import Iterable

INT_COLUMNS = {"part", "char_start", "char_end", "period_start", "period_end", "baseline_year", "run_id",
               "files", "skipped", "documents", "errors", "national_period_end", "pages", "table_row",
               "table_col", "amount_vnd", "amount_max_vnd"}
DATE_COLUMNS = {"issued_date", "due_date"}
JSON_LIST_COLUMNS = {"implements"}
FLOAT_COLUMNS = {"value", "value_max", "local_value", "national_value", "gap", "confidence", "seconds"}


def _objects(con: sqlite3.Connection) -> list[str]:
    return [n for (n,) in con.execute(
        "select name from sqlite_master where type in ('table', 'view') and name not like 'sqlite_%' "
        "and name not like '%_fts%' order by name")]


def _as_list(v):
    if v is None or (isinstance(v, float) and v != v):
        return []
    if isinstance(v, list):
        return v
    try:
        out = json.loads(v)
    except (TypeError, ValueError):
        return [v]
    return out if isinstance(out, list) else [out]


def type_frame(df):
    """Give a frame read from chitieu's SQLite the types of its columns (see the module doc)."""
    import pandas as pd

    for col in df.columns:
        if col in INT_COLUMNS:
            df[col] = pd.to_numeric(df[col], errors="coerce").round().astype("Int64")
        elif col in FLOAT_COLUMNS:
            df[col] = pd.to_numeric(df[col], errors="coerce").astype("Float64")
        elif col in DATE_COLUMNS:
            df[col] = pd.to_datetime(df[col], errors="coerce", format="%Y-%m-%d")
        elif col in JSON_LIST_COLUMNS:
            df[col] = df[col].map(_as_list)
        elif df[col].dtype == object:
            df[col] = df[col].astype("string")
    return df


def load(db_path: str | Path, tables: Iterable[str] | None = None, *, with_text: bool = False) -> dict:
    """Typed frames of ``tables`` (default: every table and view) of a chitieu database."""
    import pandas as pd

    db_path = Path(db_path)
    if not db_path.is_file():
        raise FileNotFoundError(f"{db_path}: no such database (run `chitieu extract` first)")
    con = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True)
    try:
        have = _objects(con)
        wanted = have if tables is None else [t for t in tables if t in have]
        out = {}
        for t in wanted:
            try:
                cols = [r[1] for r in con.execute(f"pragma table_info([{t}])")]
                if t == "documents" and not with_text:
                    cols = [c for c in cols if c != "text"]
                sql = f"select {', '.join(f'[{c}]' for c in cols)} from [{t}]"
                out[t] = type_frame(pd.read_sql_query(sql, con))
            except (sqlite3.Error, pd.errors.DatabaseError) as e:
                # a view over a table that is gone: left out, and said
                warnings.warn(f"{db_path}: {t} cannot be read ({e}); left out", stacklevel=2)
        return out
    finally:
        con.close()
