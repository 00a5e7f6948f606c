"""`chitieu export --format parquet`: one typed Parquet file per table and view."""
from __future__ import annotations

import csv
import json
import sqlite3
import sys
from pathlib import Path

import pytest

from chitieu.pipeline.cli import main
from chitieu.pipeline.publish import publish


def published_copy(seed_db: Path, tmp_path: Path) -> Path:
    db = tmp_path / "chitieu.db"
    with sqlite3.connect(seed_db) as a, sqlite3.connect(db) as b:
        a.backup(b)
    a.close()
    b.close()
    publish(db, tmp_path / "meta")  # adds the search indexes and views (never exported as tables)
    return db


def test_missing_pyarrow_is_a_clear_error(seed_db, tmp_path, monkeypatch, capsys):
    monkeypatch.setitem(sys.modules, "pyarrow", None)  # `import pyarrow` now raises ImportError
    monkeypatch.setitem(sys.modules, "pyarrow.parquet", None)
    assert main(["export", "--db", str(seed_db), "--out", str(tmp_path / "pq"), "--format", "parquet"]) == 2
    err = capsys.readouterr().err
    assert "pyarrow" in err and "chitieu[parquet]" in err and "Traceback" not in err
    assert not (tmp_path / "pq").exists() or not list((tmp_path / "pq").iterdir())


def test_csv_leaves_out_the_search_aid(seed_db, tmp_path):
    db = published_copy(seed_db, tmp_path)
    assert main(["export", "--db", str(db), "--out", str(tmp_path / "csv")]) == 0
    with (tmp_path / "csv" / "targets.csv").open(encoding="utf-8") as fh:
        header = next(csv.reader(fh))
    assert "quote" in header and "search_terms" not in header


def test_parquet_tables_and_views_typed(seed_db, tmp_path):
    pq = pytest.importorskip("pyarrow.parquet", reason="pyarrow not installed (pip install -e '.[parquet]')")
    import pyarrow as pa

    db = published_copy(seed_db, tmp_path)
    out = tmp_path / "pq"
    assert main(["export", "--db", str(db), "--out", str(out), "--format", "parquet"]) == 0
    con = sqlite3.connect(db)
    from chitieu.pipeline.publish import datasette_only

    browsing = datasette_only()  # document_list: documents without text, for Datasette only
    names = [r[0] for r in con.execute("select name from sqlite_master where type in ('table', 'view') "
                                       "and name not like 'sqlite_%' and name not like '%_fts%'")
             if r[0] not in browsing]
    assert {"documents", "targets", "budgets", "agencies", "plan_targets", "runs"} <= set(names)
    assert browsing == {"document_list"}
    # no temporary file left (metadata.json is written for Datasette, as with CSV)
    assert sorted(p.name for p in out.iterdir()) == sorted([f"{n}.parquet" for n in names] + ["metadata.json"])
    for n in names:
        t = pq.read_table(out / f"{n}.parquet")
        assert t.num_rows == con.execute(f"select count(*) from [{n}]").fetchone()[0], n
        assert "search_terms" not in t.column_names, n
    docs = pq.read_table(out / "documents.parquet")
    assert "text" not in docs.column_names
    s = docs.schema
    assert s.field("period_end").type == pa.int64() and s.field("issued_date").type == pa.date32()
    assert s.field("implements").type == pa.list_(pa.string()) and s.field("title").type == pa.string()
    targets = pq.read_table(out / "targets.parquet")
    assert targets.schema.field("value").type == pa.float64()
    assert targets.schema.field("char_start").type == pa.int64()
    # values as stored: every target's quote and value, and each document's lists and dates
    stored = {r[0]: (r[1], r[2], r[3]) for r in con.execute("select id, quote, value, char_start from targets")}
    got = {r["id"]: (r["quote"], r["value"], r["char_start"]) for r in targets.to_pylist()}
    assert got == stored
    for d in docs.to_pylist():
        implements, issued = con.execute("select implements, issued_date from documents where doc_id = ?",
                                         [d["doc_id"]]).fetchone()
        assert d["implements"] == (json.loads(implements) if implements else ([] if implements == "" else None))
        assert (d["issued_date"].isoformat() if d["issued_date"] else None) == issued
    # the plan's text only when asked for, whole
    assert main(["export", "--db", str(db), "--out", str(out), "--format", "parquet", "--with-text"]) == 0
    texts = dict(zip(*pq.read_table(out / "documents.parquet", columns=["doc_id", "text"]).to_pydict().values()))
    assert texts == dict(con.execute("select doc_id, text from documents"))
