"""pipeline.load: typed pandas frames of a chitieu database."""
from __future__ import annotations

import sqlite3

import pandas as pd
import pytest

from chitieu.pipeline.load import load


def test_types(seed_db):
    f = load(seed_db)
    assert {"documents", "targets", "budgets", "agencies", "comparison"} <= set(f)
    docs, targets = f["documents"], f["targets"]
    assert "text" not in docs
    assert str(docs["period_start"].dtype) == "Int64" and str(targets["period_end"].dtype) == "Int64"
    assert pd.api.types.is_datetime64_any_dtype(docs["issued_date"])
    assert all(isinstance(v, list) for v in docs["implements"])
    assert "112/QĐ-TTg" in docs["implements"].iloc[0]
    assert targets["value"].dtype == "Float64"
    assert load(seed_db, ["documents"], with_text=True)["documents"]["text"].str.len().min() > 0


def test_missing_table_absent_and_broken_view_said(seed_db, tmp_path):
    db = tmp_path / "x.db"
    with sqlite3.connect(seed_db) as a, sqlite3.connect(db) as b:
        a.backup(b)
    con = sqlite3.connect(db)
    con.execute("drop table targets")
    con.commit()
    con.close()
    with pytest.warns(UserWarning, match="cannot be read"):
        f = load(db)
    assert "targets" not in f and "comparison" not in f and "documents" in f
    with pytest.raises(FileNotFoundError):
        load(tmp_path / "none.db")
