"""Review pages: every document gets a page with its spans marked at the right words."""
import sqlite3

import pytest

spacy = pytest.importorskip("spacy", reason="review pages need the review extra (spaCy)")
from chitieu.pipeline.review import _spans, render_reviews


def test_review_pages(seed_db, tmp_path):
    pages = render_reviews(seed_db, tmp_path)
    con = sqlite3.connect(seed_db)
    assert len(pages) == con.execute("select count(*) from documents").fetchone()[0]
    assert (tmp_path / "index.html").exists()
    doc_id, text = con.execute(
        "select doc_id, text from documents where source_path like '%001_4e92dafdfbb2aef4%'").fetchone()
    spans = _spans(con, doc_id)
    assert spans, "the An Lão plan has targets and agencies to show"
    assert all(a["end"] <= b["start"] for a, b in zip(spans, spans[1:]))  # no overlaps
    page = (tmp_path / f"{doc_id}.html").read_text(encoding="utf-8")
    first = spans[0]
    assert text[first["start"]:first["end"]].split()[0] in page
    assert first["label"] in page
