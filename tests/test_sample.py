"""`chitieu sample`: a seeded random sample of rows, a judging sheet, precision with its interval."""
from __future__ import annotations

import csv
import json
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from chitieu.pipeline import evaluate as ev
from chitieu.pipeline import sample as S

ROOT = Path(__file__).resolve().parent.parent
GOLD = ROOT / "tests" / "gold"


def test_the_same_seed_draws_the_same_rows_and_another_seed_others(seed_db):
    everything = S.all_rows(seed_db)
    assert len(everything) > 20
    a, b = S.draw(seed_db, n=10, seed=7), S.draw(seed_db, n=10, seed=7)
    assert [r.key for r in a] == [r.key for r in b]
    assert [r.key for r in S.draw(seed_db, n=10, seed=8)] != [r.key for r in a]
    assert len({r.key for r in a}) == 10
    assert len(S.draw(seed_db, n=10_000, seed=1)) == len(everything)  # fewer rows than n: all of them


def test_each_row_shows_its_quote_in_context_exactly(seed_db):
    con = sqlite3.connect(seed_db)
    text = {p: t for p, t in con.execute("select source_path, text from documents")}
    for r in S.draw(seed_db, n=30, seed=3):
        assert text[r.file][r.char_start:r.char_end] == r.quote
        assert "[[" + r.quote.replace("\n", " ⏎ ") + "]]" in r.context


def test_judging_by_gold_gives_the_precision_of_eval(seed_db):
    rows = S.all_rows(seed_db)
    assert S.judge_by_gold(rows, GOLD) == len(rows)
    figures = S.score(rows)
    evaluation = ev.evaluate(seed_db, GOLD).figures()
    for table in ("targets", "budgets"):
        assert figures[table]["precision"] == round(evaluation[table]["P"], 3)
        assert figures[table]["judged"] == evaluation[table]["pred"]


def test_a_wrong_row_lowers_precision_and_its_interval(tmp_path, seed_db):
    db = tmp_path / "c.db"
    db.write_bytes(Path(seed_db).read_bytes())
    con = sqlite3.connect(db)
    con.execute("update targets set value = value + 1 where id in (select id from targets limit 3)")
    con.commit()
    con.close()
    rows = S.all_rows(db, ["targets"])
    S.judge_by_gold(rows, GOLD)
    fig = S.score(rows)["targets"]
    assert fig["judged"] - fig["ok"] == 3
    assert fig["low"] < fig["precision"] < fig["high"] <= 1.0


def test_sheet_round_trip_and_verdicts_carried_over_to_a_new_draw(tmp_path, seed_db):
    rows = S.draw(seed_db, n=12, seed=2)
    for i, r in enumerate(rows):
        r.verdict = "ok" if i % 3 else "wrong"
        r.why = "" if i % 3 else "past fact"
    sheet = S.write_sheet(rows, tmp_path / "s.csv")
    back = S.read_sheet(sheet)
    assert [(r.key, r.verdict, r.why) for r in back] == [(r.key, r.verdict, r.why) for r in rows]
    again, gone = S.carry_over(back, S.draw(seed_db, n=12, seed=2))
    assert gone == 0 and [r.verdict for r in again] == [r.verdict for r in rows]
    fig = S.score(back)
    judged = sum(f["judged"] for f in fig.values())
    assert judged == 12 and sum(f["ok"] for f in fig.values()) == 8


def test_a_bad_verdict_is_an_error_naming_the_line(tmp_path, seed_db):
    sheet = S.write_sheet(S.draw(seed_db, n=3, seed=1), tmp_path / "s.csv")
    lines = sheet.read_text(encoding="utf-8-sig").splitlines()
    cells = next(csv.reader([lines[2]]))
    cells[S.FIELDS.index("verdict")] = "maybe"
    with open(sheet, "w", encoding="utf-8-sig", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(next(csv.reader([lines[0]])))
        w.writerow(next(csv.reader([lines[1]])))
        w.writerow(cells)
    with pytest.raises(ValueError, match=r"line 3: verdict 'maybe'"):
        S.read_sheet(sheet)


def test_wilson_interval():
    low, high = S.wilson(95, 100)
    assert (round(low, 3), round(high, 3)) == (0.888, 0.978)
    assert S.wilson(0, 0) == (0.0, 1.0)


def test_cli_draws_a_sheet_then_scores_it(tmp_path, seed_db):
    sheet = tmp_path / "sample.csv"
    run = lambda *a: subprocess.run([sys.executable, "-m", "chitieu.pipeline.cli", "sample", "--db", str(seed_db), *a],
                                    capture_output=True, text=True)  # noqa: E731
    out = run("--n", "15", "--seed", "4", "--gold", str(GOLD), "--out", str(sheet))
    assert out.returncode == 0, out.stderr
    assert "targets" in out.stdout and "sheet:" in out.stdout
    scored = run("--score", str(sheet), "--json")
    assert scored.returncode == 0, scored.stderr
    fig = json.loads(scored.stdout)
    assert fig["gone"] == 0
    assert sum(t["judged"] for t in fig["tables"].values()) == 15
    missing = run("--score", str(tmp_path / "nope.csv"))
    assert missing.returncode == 2 and "nope.csv" in missing.stderr
