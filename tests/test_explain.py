"""`chitieu explain`: every number of a document, what it became and why, or why not."""
from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from chitieu.pipeline.cli import main
from chitieu.pipeline.explain import explain_file

ROOT = Path(__file__).resolve().parent.parent
SEEDS = sorted((ROOT / "corpora" / "seeds").glob("*.txt"))


@pytest.mark.parametrize("seed", SEEDS, ids=lambda p: p.stem[:3])
def test_every_stored_target_and_budget_is_explained_as_taken(seed, seed_db):
    con = sqlite3.connect(str(seed_db))
    stored = {}
    for table in ("targets", "budgets"):
        for doc_id, start, end in con.execute(
                f"select t.doc_id, t.char_start, t.char_end from {table} t join documents d using (doc_id) "
                f"where d.source_path like ?", [f"%{seed.name}"]):
            stored.setdefault(doc_id, []).append((table, start, end))
    con.close()
    for doc, decisions in explain_file(seed):
        taken = {(t.table, d.start) for d in decisions for t in d.taken}
        for table, start, end in stored.get(doc.doc_id, []):
            # the row's number is one of the decisions inside its span, explained as taken by that table
            assert any(tb == table and start <= s < end for tb, s in taken), (seed.name, table, start)
        for d in decisions:
            assert d.taken or d.why_not, d
            assert doc.text[d.start:d.end] == d.number


def test_at_filters_and_gives_reasons():
    seed = ROOT / "corpora" / "seeds" / "004_7957dd705c424d21.txt"
    (doc, decisions), = explain_file(seed, at="Đạt 70%")
    assert [d.number for d in decisions] == ["70"]
    (t,) = decisions[0].taken
    assert t.table == "targets" and "staffing_units_pct 70 %" in t.summary and t.reason


def test_numbers_not_taken_say_what_they_are(tmp_path):
    f = tmp_path / "p.txt"
    f.write_text("KẾ HOẠCH\nCăn cứ Quyết định số 112/QĐ-TTg ngày 22 tháng 01 năm 2021;\n"
                 "I. MỤC TIÊU\n- Đến năm 2026, đạt 70% số xã có cán bộ công tác xã hội.\n", encoding="utf-8")
    (doc, decisions), = explain_file(f)
    why = {d.number: (d.outcome, d.why_not) for d in decisions}
    assert why["22"] == ("not taken", "part of a date")
    assert why["2021"] == ("not taken", "a year")
    assert why["70"][0] == "targets"


def test_an_extractor_may_say_why_not(tmp_path, monkeypatch):
    from chitieu.extractors import targets

    monkeypatch.setattr(targets, "rejected", lambda doc: [(0, len(doc.text), "rule: a test reason")])
    f = tmp_path / "p.txt"
    f.write_text("KẾ HOẠCH\nNăm 2019, tỉnh có 42 xã.\n", encoding="utf-8")
    (doc, decisions), = explain_file(f)
    assert {d.why_not for d in decisions} == {"targets: rule: a test reason"}


def test_cli_text_json_and_errors(tmp_path, capsys):
    seed = ROOT / "corpora" / "seeds" / "004_7957dd705c424d21.txt"
    assert main(["explain", str(seed), "--at", "Đạt 70%"]) == 0
    out = capsys.readouterr().out
    assert "→ target staffing_units_pct 70 %" in out
    assert main(["explain", str(seed), "--at", "Đạt 70%", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["decisions"][0]["outcome"] == "targets"
    assert main(["explain", str(tmp_path / "none.txt")]) == 2
    assert "none.txt" in capsys.readouterr().err
    assert main(["explain", str(seed), "--at", "no such words"]) == 1


def test_cli_into_a_closed_pipe_is_quiet():
    seed = ROOT / "corpora" / "seeds" / "000_801adf126bd69574.txt"
    chitieu = Path(sys.executable).parent / "chitieu"
    p = subprocess.run(f"{chitieu} explain {seed} | head -1", shell=True,
                       capture_output=True, text=True, cwd=ROOT)
    assert "Traceback" not in p.stderr and p.stdout.strip()


def test_targets_and_budgets_say_why_they_left_a_number(tmp_path):
    f = tmp_path / "p.txt"
    f.write_text("KẾ HOẠCH\nNăm 2019 đã chi 300 triệu đồng cho tập huấn.\nI. MỤC TIÊU\n"
                 "- Phấn đấu đến năm 2026 đạt 95% số hộ.\n- Xử phạt vi phạm gấp 02 lần mức phạt.\n",
                 encoding="utf-8")
    (doc, decisions), = explain_file(f)
    why = {d.number: d.why_not for d in decisions}
    assert why["300"].startswith("budgets: past")
    assert "rule" in why["02"] and why["02"].startswith("targets:")
