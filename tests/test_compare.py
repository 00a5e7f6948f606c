"""The comparison of local targets with the national programme (view, command, export)."""
from __future__ import annotations

import csv
import json
import sqlite3

from chitieu.pipeline.cli import main
from chitieu.pipeline.compare import COLUMNS_SHORT, comparison_rows, format_table, summary

REQUIRED = ["doc_id", "locality", "province", "admin_level", "indicator", "period_end", "local_value",
            "local_comparator", "national_value", "national_period_end", "gap", "ambition"]


def test_view_columns_and_consistency(seed_db):
    rows = comparison_rows(seed_db)
    assert rows
    for c in REQUIRED:
        assert c in rows[0]
    for r in rows:
        assert r["gap"] == round(r["local_value"] - r["national_value"], 3)
        assert r["ambition"] == ("equal" if r["gap"] == 0 else "above" if r["gap"] > 0 else "below")
        # the national phase holds the local year
        assert r["national_period_end"] - 4 <= r["period_end"] <= r["national_period_end"]
        assert r["admin_level"] != "national"


def test_seed_comparison_rows(seed_db):
    rows = comparison_rows(seed_db)
    got = {(r["locality"], r["indicator"], r["period_end"]): (r["local_value"], r["national_value"], r["ambition"])
           for r in rows}
    # An Lão (2021-2025) is below the national 2025 targets except for children
    assert got[("An Lão", "staffing_units_pct", 2025)] == (50, 60, "below")
    assert got[("An Lão", "counselled_increase_pct", 2025)] == (15, 20, "below")
    assert got[("An Lão", "children_supported_pct", 2025)] == (85, 85, "equal")
    # a one-year 2026 plan is compared with the 2026-2030 phase
    assert got[("Kim Trà", "staffing_units_pct", 2026)] == (70, 90, "below")
    assert got[("Kim Trà", "facilities_services_pct", 2026)] == (80, 60, "above")
    # Bắc Ninh trains more staff than the national 2030 target
    assert got[("Bắc Ninh", "staff_trained_pct", 2030)] == (70, 40, "above")
    # a local target with no national counterpart (counselled_pct) is not compared
    assert not any(r["indicator"] == "counselled_pct" for r in rows)
    assert len(rows) == 33


def test_compare_command_prints_a_table(seed_db, capsys):
    assert main(["compare", "--db", str(seed_db)]) == 0
    out = capsys.readouterr().out
    lines = out.splitlines()
    assert lines[0].split() == COLUMNS_SHORT
    assert "staffing_units_pct" in out and "Kim Trà" in out
    assert "33 local targets in 5 documents compared" in out


def test_compare_command_filters(seed_db, capsys):
    assert main(["compare", "--db", str(seed_db), "--indicator", "staff_trained_pct"]) == 0
    out = capsys.readouterr().out
    body = [ln for ln in out.splitlines()[2:] if ln.strip() and "compared" not in ln]
    assert body and all("staff_trained_pct" in ln for ln in body)


def test_compare_command_without_database(tmp_path, capsys):
    assert main(["compare", "--db", str(tmp_path / "none.db")]) == 2
    assert "no such database" in capsys.readouterr().err


def test_export_writes_comparison_csv(seed_db, tmp_path):
    assert main(["export", "--db", str(seed_db), "--out", str(tmp_path)]) == 0
    with (tmp_path / "comparison.csv").open(encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    assert len(rows) == 33 and set(REQUIRED) <= set(rows[0])
    with (tmp_path / "national_targets.csv").open(encoding="utf-8") as fh:
        national = list(csv.DictReader(fh))
    assert sum(r["programme"] == "social_work_112" for r in national) == 10
    assert len({r["programme"] for r in national}) == 6  # one per programme file


def test_format_table_pads_columns():
    rows = [{"a": "x", "b": 1.5}, {"a": "longer", "b": None}]
    out = format_table(rows, ["a", "b"]).splitlines()
    assert out[0].startswith("a       b") and out[2].startswith("x       1.5") and out[3].endswith("-")
    assert summary([{"doc_id": "d", "ambition": "above"}, {"doc_id": "d", "ambition": "below"}]) == (
        "2 local targets in 1 documents compared: 1 above, 0 equal, 1 below the national target")


def test_view_survives_ceiling_targets(tmp_path):
    # for a national ceiling (at_most), a lower local value is more ambitious
    from chitieu.pipeline.compare import COMPARISON_SQL

    con = sqlite3.connect(str(tmp_path / "x.db"))
    con.executescript("""
      create table documents (doc_id text, doc_number text, locality text, province text, admin_level text,
                              programme text);
      create table targets (id text, doc_id text, indicator text, period_end int, value real, comparator text,
                            quote text, char_start int);
      create table national_targets (programme text, indicator text, value real, comparator text,
                                     period_start int, period_end int);
      insert into documents values ('d', '1/KH', 'X', 'Y', 'province', 'p');
      insert into targets values ('t1', 'd', 'poverty_pct', 2025, 2.0, 'less_than', 'q', 0);
      insert into targets values ('t2', 'd', 'poverty_pct', 2030, 5.0, 'less_than', 'q', 9);
      insert into national_targets values ('p', 'poverty_pct', 3.0, 'at_most', 2021, 2025);
      insert into national_targets values ('p', 'poverty_pct', 3.0, 'at_most', 2026, 2030);
    """)
    got = [(r[7], r[13]) for r in con.execute(COMPARISON_SQL)]
    con.close()
    assert got == [(2025, "above"), (2030, "below")]


def test_view_without_programme_files(tmp_path, monkeypatch):
    from chitieu.pipeline import programmes
    from chitieu.pipeline.run import extract_paths

    empty = tmp_path / "no_programmes"
    empty.mkdir()
    monkeypatch.setenv(programmes.ENV_VAR, str(empty))
    plans = tmp_path / "plans"
    plans.mkdir()
    (plans / "p.txt").write_text("KẾ HOẠCH\nII. MỤC TIÊU\n2. Mục tiêu cụ thể\n- Đạt 90% số cơ quan vào năm 2025.\n",
                                 encoding="utf-8")
    db = tmp_path / "x.db"
    assert extract_paths([str(plans)], db).errors == 0
    assert comparison_rows(db) == []
    con = sqlite3.connect(str(db))
    assert con.execute("select indicator, value from targets").fetchall() == [("other", 90)]
    con.close()


# ---- the command: pipes, paths that are not databases, folded province names, JSON ---------------

def test_compare_into_a_closed_pipe_ends_quietly(tmp_path):
    import subprocess
    import sys

    db = tmp_path / "big.db"  # far more output than a pipe holds, so the writer meets the closed pipe
    con = sqlite3.connect(str(db))
    con.executescript("""
      create table documents (doc_id text, doc_number text, locality text, province text, admin_level text,
                              programme text);
      create table targets (id text, doc_id text, indicator text, period_end int, value real, comparator text,
                            quote text, char_start int);
      create table national_targets (programme text, indicator text, value real, comparator text,
                                     period_start int, period_end int);
      insert into national_targets values ('p', 'staff_pct', 40, 'at_least', 2026, 2030);
    """)
    con.executemany("insert into documents values (?, ?, 'Xã A', 'Tỉnh B', 'commune', 'p')",
                    [(f"d{i}", f"{i}/KH-UBND") for i in range(5000)])
    con.executemany("insert into targets values (?, ?, 'staff_pct', 2030, 50, 'at_least', 'q', 0)",
                    [(f"t{i}", f"d{i}") for i in range(5000)])
    con.commit()
    con.close()
    code = f"import sys; from chitieu.pipeline.cli import main; sys.exit(main(['compare', '--db', {str(db)!r}]))"
    p = subprocess.run(f"{sys.executable!r} -c {code!r} | head -n 2", shell=True, capture_output=True, text=True)
    assert len(p.stdout.splitlines()) == 2
    assert "Traceback" not in p.stderr and "BrokenPipeError" not in p.stderr, p.stderr


def test_compare_on_a_file_that_is_not_a_database(tmp_path, capsys):
    text = tmp_path / "plan.txt"
    text.write_text("KẾ HOẠCH\n", encoding="utf-8")
    assert main(["compare", "--db", str(text)]) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: ") and str(text) in err and "not an SQLite database" in err
    assert main(["compare", "--db", str(tmp_path)]) == 2
    assert "not a database file" in capsys.readouterr().err


def test_compare_province_folds_accents(seed_db, capsys):
    outs = []
    for name in ("Đắk Nông", "dak nong", "DAK  NONG", "Dak Nong"):
        assert main(["compare", "--db", str(seed_db), "--province", name, "--json"]) == 0
        outs.append(json.loads(capsys.readouterr().out))
    assert outs[0]["targets"] == 10 and all(o == outs[0] for o in outs)
    assert {r["province"] for r in outs[0]["rows"]} == {"Đắk Nông"}
    assert main(["compare", "--db", str(seed_db), "--province", "dak"]) == 0  # a whole name, not a prefix
    assert "no local target" in capsys.readouterr().out


def test_compare_json(seed_db, capsys):
    assert main(["compare", "--db", str(seed_db), "--json"]) == 0
    body = json.loads(capsys.readouterr().out)
    assert body["targets"] == len(body["rows"]) == 33 and body["documents"] == 5
    assert (body["above"], body["equal"], body["below"]) == (8, 20, 5)
    assert body["rows"] == comparison_rows(seed_db)
