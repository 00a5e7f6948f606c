"""CSV export: formula injection neutralised in the Excel form, files complete or absent, clear
errors on paths that are not databases."""
from __future__ import annotations

import csv
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from chitieu.pipeline import export
from chitieu.pipeline.export import UnusableDatabase, excel_safe, export_csv, open_database

HOSTILE = ["=1+2", "+ 100% số xã", "- Đạt 90% trẻ em", "@SUM(A1:A2)", "\t=cmd", "\r=cmd", "=HYPERLINK(\"http://x\")"]
HARMLESS = ["Đạt 90%", "số 1", "", " =1 (space first)", "100%"]


def small_db(path: Path) -> Path:
    con = sqlite3.connect(path)
    con.execute("create table targets (id text, indicator_text text, value real, gap integer)")
    rows = [(f"h{i}", s, -5.0, -5) for i, s in enumerate(HOSTILE)] + [(f"k{i}", s, 1.0, 0) for i, s in enumerate(HARMLESS)]
    con.executemany("insert into targets values (?,?,?,?)", rows)
    con.commit()
    con.close()
    return path


def read(path: Path, encoding="utf-8") -> list[dict]:
    with path.open(encoding=encoding, newline="") as fh:
        return list(csv.DictReader(fh))


def test_excel_form_neutralises_formulas(tmp_path):
    db = small_db(tmp_path / "x.db")
    export_csv(db, tmp_path / "xl", bom=True)
    raw = (tmp_path / "xl" / "targets.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = {r["id"]: r for r in read(tmp_path / "xl" / "targets.csv", "utf-8-sig")}
    for i, s in enumerate(HOSTILE):
        assert rows[f"h{i}"]["indicator_text"] == "'" + s  # shown as text, never run
        assert rows[f"h{i}"]["value"] == "-5.0" and rows[f"h{i}"]["gap"] == "-5"  # numbers stay numbers
    for i, s in enumerate(HARMLESS):
        assert rows[f"k{i}"]["indicator_text"] == s
    # no cell of the Excel form starts a formula unless it is a number
    for r in rows.values():
        for v in r.values():
            if v.startswith(export.FORMULA_START):
                float(v)


def test_plain_csv_keeps_values_exactly(tmp_path):
    db = small_db(tmp_path / "x.db")
    export_csv(db, tmp_path / "plain")
    rows = {r["id"]: r for r in read(tmp_path / "plain" / "targets.csv")}
    for i, s in enumerate(HOSTILE):
        assert rows[f"h{i}"]["indicator_text"] == s


def test_excel_safe_values():
    assert excel_safe("=1") == "'=1" and excel_safe(-3) == -3 and excel_safe(None) is None and excel_safe("a=1") == "a=1"


def test_seed_export_excel_form_keeps_quotes_recoverable(seed_db, tmp_path):
    export_csv(seed_db, tmp_path, bom=True)
    con = sqlite3.connect(seed_db)
    stored = dict(con.execute("select id, indicator_text from targets"))
    rows = read(tmp_path / "targets.csv", "utf-8-sig")
    assert len(rows) == len(stored)
    marked = [r for r in rows if r["indicator_text"] != stored[r["id"]]]
    for r in marked:  # only the apostrophe was added, and only where a formula could start
        assert r["indicator_text"] == "'" + stored[r["id"]] and stored[r["id"]].startswith(export.FORMULA_START)


def test_failed_export_leaves_the_previous_file(tmp_path, monkeypatch):
    db = small_db(tmp_path / "x.db")
    out = tmp_path / "out"
    export_csv(db, out)
    before = (out / "targets.csv").read_bytes()
    con = sqlite3.connect(db)
    con.executemany("insert into targets values (?,?,?,?)", [(f"n{i}", "x", 1.0, 0) for i in range(100)])
    con.commit()
    con.close()

    calls = {"n": 0}
    real = export.excel_safe

    def crash(v):
        calls["n"] += 1
        if calls["n"] > 50:
            raise KeyboardInterrupt("killed in the middle of a table")
        return real(v)

    monkeypatch.setattr(export, "excel_safe", crash)
    with pytest.raises(KeyboardInterrupt):
        export_csv(db, out, bom=True)
    assert (out / "targets.csv").read_bytes() == before  # untouched, not truncated
    assert not list(out.glob(".*.tmp"))  # the temporary file is removed


def test_killed_export_never_leaves_a_truncated_csv(tmp_path):
    """kill -9 an export in the middle of a big table: the CSV is complete or absent."""
    db = tmp_path / "big.db"
    con = sqlite3.connect(db)
    con.execute("create table targets (id text, quote text)")
    n = 300_000
    con.executemany("insert into targets values (?, ?)", ((f"t{i}", "Đạt 90% số xã " * 3) for i in range(n)))
    con.commit()
    con.close()
    out = tmp_path / "out"
    code = f"from chitieu.pipeline.export import export_csv; export_csv({str(db)!r}, {str(out)!r})"
    proc = subprocess.Popen([sys.executable, "-c", code])
    deadline = time.monotonic() + 60
    while not list(out.glob(".targets.csv.*.tmp")) and time.monotonic() < deadline and proc.poll() is None:
        time.sleep(0.005)
    assert proc.poll() is None, "the export ended before it could be killed: make the table bigger"
    time.sleep(0.05)
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    assert not (out / "targets.csv").exists()  # no truncated file under the real name
    assert list(out.glob(".targets.csv.*.tmp"))  # (the partial data was only ever in the hidden temp file)
    export_csv(db, out)  # a re-run writes the complete file
    assert len(read(out / "targets.csv")) == n


def test_clear_errors_for_paths_that_are_not_databases(tmp_path):
    with pytest.raises(FileNotFoundError, match="no such database"):
        export_csv(tmp_path / "none.db", tmp_path / "out")
    assert not (tmp_path / "none.db").exists()
    text = tmp_path / "plan.txt"
    text.write_text("KẾ HOẠCH\n", encoding="utf-8")
    empty = tmp_path / "empty.db"
    empty.write_bytes(b"")
    broken = tmp_path / "broken.db"
    broken.write_bytes(b"SQLite format 3\x00" + b"\xff" * 200)
    for path, message in ((text, "not an SQLite database"), (empty, "an empty file"), (tmp_path, "not a database file"),
                          (broken, "unreadable SQLite database")):
        with pytest.raises(UnusableDatabase, match=message) as e:
            export_csv(path, tmp_path / "out")
        assert str(path) in str(e.value)
    assert not (tmp_path / "out").exists() or not list((tmp_path / "out").iterdir())
    open_database(small_db(tmp_path / "ok.db")).close()
