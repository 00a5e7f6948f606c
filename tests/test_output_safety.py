"""What chitieu writes is safe to open: no stored text runs as code in a browser or a
spreadsheet, and a killed or concurrent export never leaves half-written results."""
from __future__ import annotations

import csv
import importlib.util
import multiprocessing
import sqlite3
import threading
import time
from pathlib import Path

import pytest

from chitieu.pipeline.cli import main
from chitieu.pipeline.export import export_csv, neutralise
from chitieu.pipeline.publish import BUSY_TIMEOUT, DatabaseLocked, publish
from chitieu.pipeline.review import render_reviews
from chitieu.pipeline.run import extract_paths

needs_spacy = pytest.mark.skipif(importlib.util.find_spec("spacy") is None,
                                 reason="review pages need the review extra (spaCy)")

HOSTILE = "<script>alert(1)</script>"


@pytest.fixture()
def hostile_db(tmp_path) -> Path:
    """A plan whose title, quotes and file name carry HTML and formulas."""
    folder = tmp_path / f"plans{HOSTILE.replace('/', '_')}"
    folder.mkdir()
    plan = folder / "x<img src=x onerror=alert(2)>.txt"
    plan.write_text(f"KẾ HOẠCH\n{HOSTILE} năm 2026\nI. MỤC TIÊU\n- Đạt 90% số xã có cán bộ <b>công tác xã hội</b>.\n"
                    "- =HYPERLINK(\"http://x\") đạt 80% số cơ sở.\n", encoding="utf-8")
    db = tmp_path / "h.db"
    assert extract_paths([folder], db).errors == 0
    return db


@needs_spacy
def test_review_pages_escape_every_stored_text(hostile_db, tmp_path):
    out = tmp_path / "review"
    pages = render_reviews(hostile_db, out)
    for page in pages + [out / "index.html"]:
        html = page.read_text(encoding="utf-8")
        assert "<script>alert(1)</script>" not in html
        assert "<img src=x" not in html and "<b>công tác" not in html
    index = (out / "index.html").read_text(encoding="utf-8")
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in index
    assert "<script>" in index  # the index's own (inline) sort-and-filter script, and nothing loaded from outside
    assert "src=\"http" not in index and "href=\"http" not in index


@needs_spacy
def test_review_labels_say_what_was_read(seed_db, tmp_path):
    pages = render_reviews(seed_db, tmp_path)
    text = "".join(p.read_text(encoding="utf-8") for p in pages)
    assert "TARGET staffing_units_pct ≥70% 2026" in text
    assert "BUDGET 1 250 000 000 đ /period" in text
    assert "AGENCY lead" in text


def test_formulas_neutralised_in_the_excel_form_only(hostile_db, tmp_path):
    assert neutralise("- Đạt 90%") == "'- Đạt 90%" and neutralise("=1+1") == "'=1+1"
    assert neutralise("Đạt 90%") == "Đạt 90%" and neutralise(90) == 90
    excel, plain = tmp_path / "excel", tmp_path / "plain"
    export_csv(hostile_db, excel, bom=True)
    export_csv(hostile_db, plain)

    def cells(folder):
        with (folder / "targets.csv").open(encoding="utf-8-sig") as fh:
            return [c for row in csv.reader(fh) for c in row]

    assert not [c for c in cells(excel) if c[:1] in ("=", "+", "-", "@")]
    assert any(c.startswith("'- ") or c.startswith("'=") for c in cells(excel))
    assert any(c[:1] in ("=", "-") for c in cells(plain))  # plain CSV keeps the values as stored


def test_export_leaves_no_partial_file(seed_db, tmp_path, monkeypatch):
    out = tmp_path / "out"
    export_csv(seed_db, out)
    before = (out / "targets.csv").read_bytes()

    import chitieu.pipeline.export as ex

    real = ex.neutralise
    calls = {"n": 0}

    def boom(v):
        calls["n"] += 1
        if calls["n"] > 40:
            raise KeyboardInterrupt  # a kill in the middle of writing
        return real(v)

    monkeypatch.setattr(ex, "neutralise", boom)
    with pytest.raises(KeyboardInterrupt):
        export_csv(seed_db, out, bom=True)
    assert (out / "targets.csv").read_bytes() == before  # the old complete file, not a truncated one
    assert not list(out.glob(".*.tmp"))


def _publish(db, out, q):
    try:
        publish(db, out)
        q.put("ok")
    except Exception as e:  # noqa: BLE001 - report it to the parent
        q.put(f"{type(e).__name__}: {e}")


def test_two_concurrent_publishes_both_succeed(seed_db, tmp_path):
    ctx = multiprocessing.get_context("spawn")
    q = ctx.Queue()
    procs = [ctx.Process(target=_publish, args=(seed_db, tmp_path / f"o{i}", q)) for i in range(2)]
    for p in procs:
        p.start()
    for p in procs:
        p.join(120)
    assert sorted(q.get(timeout=5) for _ in procs) == ["ok", "ok"]
    con = sqlite3.connect(seed_db)
    assert con.execute("select count(*) from targets_fts").fetchone()[0] == \
        con.execute("select count(*) from targets").fetchone()[0]


def test_a_held_lock_is_waited_for_then_a_clear_message(seed_db, tmp_path, monkeypatch, capsys):
    import chitieu.pipeline.publish as pub

    holder = sqlite3.connect(seed_db, isolation_level=None, check_same_thread=False)
    holder.execute("BEGIN IMMEDIATE")
    released = threading.Timer(1.0, lambda: holder.execute("COMMIT"))
    released.start()
    t0 = time.time()
    publish(seed_db, tmp_path)  # waits for the lock (released after 1 s), then works
    assert time.time() - t0 >= 0.9
    released.join()
    holder.execute("BEGIN IMMEDIATE")
    monkeypatch.setattr(pub, "BUSY_TIMEOUT", 0.5)
    try:
        with pytest.raises(DatabaseLocked, match="locked by another process"):
            pub.publish(seed_db, tmp_path)
        assert main(["export", "--db", str(seed_db), "--out", str(tmp_path / "x")]) == 2
        assert "locked by another process" in capsys.readouterr().err
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert BUSY_TIMEOUT >= 5


def test_cli_not_a_database_and_closed_pipe(tmp_path, seed_db, capsys):
    import subprocess
    import sys

    bad = tmp_path / "notes.db"
    bad.write_text("not a database", encoding="utf-8")
    for cmd in (["compare", "--db", str(bad)], ["export", "--db", str(bad), "--out", str(tmp_path / "o")]):
        assert main(cmd) == 2
        err = capsys.readouterr().err
        assert "notes.db" in err and "not a usable chitieu database" in err and "Traceback" not in err
    chitieu = Path(sys.executable).parent / "chitieu"
    p = subprocess.run(f"{chitieu} compare --db {seed_db} | head -1", shell=True, capture_output=True, text=True)
    assert p.stdout.strip() and "Traceback" not in p.stderr and "BrokenPipe" not in p.stderr
