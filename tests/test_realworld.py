"""The real-world development set (tests/realworld): real public Vietnamese texts, hand-coded.

Each gold file carries a ``class`` ("plan", "news" or "none": a text that commits to nothing) so
that the figures can be split by kind of text from data, never from file names. The test extracts
the whole folder into a temporary database, checks that every stored row carries its evidence,
scores each class with ``pipeline.evaluate`` and fails when a figure falls below its floor (the
figures measured when the set was built, rounded down by about 0.05; raise them when the extractors
improve). Run with ``-s`` to see the figures.
"""
from __future__ import annotations

import json
import shutil
import sqlite3
from collections import Counter
from pathlib import Path

import pytest
import regex

from chitieu.pipeline.evaluate import evaluate
from chitieu.pipeline.run import extract_paths

ROOT = Path(__file__).parent / "realworld"
DOCS, GOLD = ROOT / "docs", ROOT / "gold"
CLASSES = ("plan", "news", "none")

# F1 floors per class and category (measured values rounded down by ~0.05)
FLOORS = {
    # measured 2026-11-29 on 174 texts after the news-metadata and results-passage work (h/news):
    # plan 0.899/0.652/1.000/0.884/0.987, news 0.907/0.667/0.841/0.811/0.802,
    # all 0.905/0.663/0.819/0.810/0.892; a floor is the figure less about 0.03
    # agencies measured 2026-11-29 on 184 texts after assignments, responsibilities and reported
    # events (h/agencies): plan 0.960, news 0.963, all 0.954 (floors about 0.03 below)
    # meta measured 2026-11-29 on 215 texts after headers, own numbers and cited mentions (h/meta):
    # plan 0.997, news 0.830, none 0.828, all 0.919 (floors about 0.03 below)
    # targets measured 2026-11-29 on 210 texts after the precision work (h/precision): plan 0.970/0.712,
    # news 0.941/0.706, all 0.947/0.707 (targets/targets_exact; floors about 0.03 below)
    # tables2 (2026-11-29): three real plans with table annexes added, gold first (tbl3_*: 57 table
    # targets and 20 agencies the table reader does not read yet); measured with them: plan 0.681/0.503/
    # 1.000/0.902/0.997, all 0.871/0.651/0.998/0.917/0.919; plan and all targets, targets_exact and
    # agencies floors lowered to about 0.01 below (was 0.94/0.68/0.93 and 0.91/0.67/0.93): raise them
    # again as the table reader learns these layouts
    # then a target table without year columns read under its section rows ("I | Đến năm 2030"):
    # plan 0.849/0.685/1.000/0.902/0.997, news 0.939/0.705/0.995/0.963/0.833, all 0.913/0.699/0.998/0.917/0.919
    # then national bodies named in full in the gazetteer ("Thanh tra Chính phủ", "… tối cao"): agencies
    # plan 0.984, all 0.972
    # then the table reader's measured units, compound cells and task-cell targets (h/tables): plan targets
    # 0.984/0.821, news 0.943/0.709, all 0.956/0.745 (tbl3 table targets 29 -> 55 of 57); floors about 0.03 below
    # 2026-11-29, tbl5: 4 held-out texts with tables added, gold first (2 plans, 1 news page, 1 decree
    # as "none"); plan budgets 1.000 (91/91/91) -> 0.948 (91/91/101): the 10 package prices of the
    # Bạc Liêu contractor-selection plan ("Đơn vị: đồng", a header wrapped over lines) are not read;
    # floor lowered from 0.97 to 0.94; raise it again when the table reader reads that layout.
    # Other figures after: plan 0.849/0.685/-/0.956/0.992, news 0.919/0.689/0.995/0.963/0.829,
    # all 0.899/0.688/0.973/0.954/0.917 (all above their floors)
    # plans6 (2026-11-29): 6 complete plans added, gold first (pl6_*: whole texts from header to
    # "Nơi nhận", commitments in the body: 45 targets, 45 agencies, no amount); measured with them:
    # plan 0.804/0.680/1.000/0.948/0.998 (before 0.849/0.685/1.000/0.984/0.997), all 0.890/0.695/
    # 0.998/0.948/0.924 (before 0.913/0.699/0.998/0.972/0.919); plan targets floor 0.83 -> 0.80 and plan
    # agencies 0.95 -> 0.94 (the measured figures): raise them again as these misses are fixed
    # both together, merged (2026-11-29): plan 0.804/0.725/0.948/0.933/0.993, all 0.885/0.714/0.973/
    # 0.937/0.922: plan targets 0.78, plan agencies 0.93, all targets 0.88, all agencies 0.93 (measured,
    # rounded down): raise them as the held-out misses are fixed
    # 2026-11-29, tbl4: 4 table plans added, gold first (tbl4_dongthap_cds, tbl4_dongthap_doimoicn,
    # tbl4_sonla_xuatkhau, tbl4_daklak_quantrac; plus the 'none' fiscal plan tbl4_camau_ngansach), held
    # out for issue 10: flattened one-cell-per-line tables whose empty cells cleaning drops, a cost table
    # in full đồng, body assignments under headings. Measured before/after (targets/targets_exact/budgets/
    # agencies/meta): plan 0.849/0.685/1.000/0.984/0.997 -> 0.839/0.685/0.847/0.883/0.998, all
    # 0.913/0.699/0.998/0.972/0.919 -> 0.894/0.690/0.914/0.901/0.923; budgets and agencies floors of plan
    # and all lowered to what is measured (were 0.97/0.95 and 0.96/0.94): raise them as the reader learns
    # all merged (tbl4, tbl5, plans6, the table reader of h/tables, the pl6 period and zone rules),
    # 2026-11-29 13:00: plan 0.903/0.809/0.812/0.880/0.994, news 0.940/0.723/0.995/0.963/0.829, all
    # 0.915/0.753/0.894/0.892/0.926 (the held-out tables' budgets and task-table agencies are the gap)
    # tables2 (issue 10), 2026-11-29: the held-out tables read (thuvienphapluat '|'-line flattening, pipe
    # rows wrapped over lines, spanning headers, narrow group rows, money in full đồng, unit prices, an
    # estimate column of a report dated before its year): tbl4/tbl5 targets tp 27 -> 43 of 43 (extras
    # 17 -> 9, the 'none' fiscal plan's prose forecasts), budgets tp 6 -> 41 of 46, agencies 17 -> 20 of
    # 30; measured plan
    # 0.935/0.840/0.964/0.899/0.994, news 0.961/0.749/0.995/0.963/0.829, all 0.941/0.780/0.972/0.908/0.926;
    # floors the figure less about 0.02
    # everything merged (tables2, noneprec, the held-out gold aligned with the seeds' agency convention,
    # the pl6 period, zone and budget-per rules), 2026-11-29 14:00: plan 0.940/0.845/1.000/0.943/0.994,
    # news 0.961/0.749/0.995/0.963/0.829, all 0.952/0.789/0.998/0.944/0.922; floors about 0.02 below
    # then the agency objects, Huế's former name and the plan openings (op8_), 253 texts: plan 0.942/0.851/
    # 1.000/0.950/0.995, all 0.953/0.793/0.998/0.950/0.928
    # dc7 (2026-11-29): 11 held-out texts below the province and inside decisions added, gold first (district
    # and ward plans and their news, a decision issuing a plan, three texts that commit to nothing); after the
    # rules they led to, 264 texts: plan 0.946/0.828/1.000/0.950/0.993, news 0.967/0.770/0.995/0.963/0.829, all
    # 0.957/0.796/0.998/0.950/0.928. Plan targets_exact floor 0.83 -> 0.82: the new ward plan states no start
    # for its "đến năm 2025" targets (gold start null, chitieu gives 2025) and the other texts' exact rows are
    # unchanged; plan, news and all targets, news and all targets_exact raised to about 0.01 below what is measured
    # plans7 (pl7_: 12 provincial plan openings, 9 news items, 2 none texts in health, new rural areas/
    # OCOP, vocational training, digital transformation, environment, tourism and ethnic affairs; gold
    # first), then the subset, "thêm", relative-"đã", ISO-dateline, visitor and news/bare-header metadata
    # rules, 276 texts: plan 0.947/0.855/1.000/0.950/0.992, news 0.963/0.765/0.996/0.964/0.843, all
    # 0.956/0.803/0.998/0.951/0.934: news and all targets_exact and all meta floors raised (about 0.02 below)
    # merged (dc7 + pl7, 287 texts): plan 0.947/0.834/1.000/0.950/0.991, news 0.964/0.780/0.996/0.964/0.842,
    # all 0.957/0.804/0.998/0.951/0.933; the higher of the two branches' floors kept
    # plans8 (pl8a_: 3 held-out texts, gold first: a Sở TT&TT telecom plan converted from PDF to markdown, a
    # Prime Minister's housing-support decision, a city quy chế as "none"), then the bandwidth-unit, day-of-month,
    # cell place-date, list-of-rates, cited-"theo", "các"-partner, slogan, markdown-heading and telecom-fund rules,
    # 290 texts: plan 0.942/0.831/1.000/0.916/0.991, news 0.964/0.780/0.996/0.964/0.842, all 0.954/0.803/0.998/0.922/0.935
    # (the 287 texts before them unchanged: 0.957/0.804/0.998/0.951/0.933); plan and all agencies floors lowered
    # 0.93 -> 0.91: the Đắk Nông plan's leads stand under a split markdown heading and a page number ("3       -
    # Chủ trì"), its annex is an HTML table no reader knows; raise them again when these are read
    "plan": {"targets": 0.93, "targets_exact": 0.82, "budgets": 0.98, "agencies": 0.91, "meta": 0.97},
    "news": {"targets": 0.95, "targets_exact": 0.76, "budgets": 0.97, "agencies": 0.94, "meta": 0.81},
    "all": {"targets": 0.94, "targets_exact": 0.78, "budgets": 0.97, "agencies": 0.91, "meta": 0.91},
}
# budgets measured 0.941 (news and all, 190 texts) after the document gate, news titles and totals
# tied to a plan (h/budgets); 6 of the 7 rows missed are one news item's one-off plan total (open question)
# ceilings: rows taken from texts that commit to nothing (gold class "none"): 0 targets and 0 budgets
# (a text that is no plan gives budgets only when it reports a plan or an allocation: money.yaml
# `commitment_cues`; the undated "Từ năm 2013 đến 2020, kinh phí … trên 300 tỷ đồng" reports none)
# 2026-11-29, tbl4: the held-out 'none' text tbl4_camau_ngansach (a 3-year fiscal plan: 2025 results,
# forecasts of 2026 indicators, revenue/expenditure frame tables) gives 9 targets (its forecast list
# 'Dự báo các chỉ tiêu …', 'khoảng 10%', and a 'Phấn đấu hoàn thành 100%' of the 2025 results) and 3
# budgets (a forecast 'khoảng 270.000 tỷ đồng' and two footnotes); ceilings raised from 0/0 to what is
# measured: lower them again when forecasts and footnotes stop giving rows
# 2026-11-29, noneprec: 4 more real texts that forecast or report without committing (np_*: a socio-economic
# estimate, two forecasts, a budget-estimate report; gold first: 2 more false targets, '3/10 chỉ tiêu kinh tế dự
# kiến đạt' and the headline 'có khả năng đạt 6,8%') and general rules (a heading of forecasts is no target
# section, a likelihood is no target, a tally of indicators is none, a lead inside the results of a year before the
# plan is a past fact; a footnote states no allocation, the investment of a whole economy is no budget): none rows
# 11/3 -> 0/0; plan and news figures unchanged, all targets 0.915 -> 0.924, all budgets 0.894 -> 0.900
NONE_CEILING = {"targets": 0, "budgets": 0}


def _gold_files() -> dict[str, dict]:
    return {f.stem: json.loads(f.read_text(encoding="utf-8")) for f in sorted(GOLD.glob("*.json"))}


@pytest.fixture(scope="module")
def rw_db(tmp_path_factory) -> Path:
    db = tmp_path_factory.mktemp("realworld") / "rw.db"
    summary = extract_paths([str(DOCS)], db)
    assert summary.errors == 0, summary.error_messages
    return db


@pytest.fixture(scope="module")
def class_gold(tmp_path_factory) -> dict[str, Path]:
    """One gold folder per class (and 'all'), built from the ``class`` field of each gold file."""
    base = tmp_path_factory.mktemp("rw_gold")
    dirs = {c: base / c for c in (*CLASSES, "all")}
    for d in dirs.values():
        d.mkdir()
    for stem, g in _gold_files().items():
        src = GOLD / f"{stem}.json"
        shutil.copy(src, dirs[g["class"]] / src.name)
        shutil.copy(src, dirs["all"] / src.name)
    return dirs


def test_every_text_has_gold_with_a_class_and_exact_quotes():
    golds = _gold_files()
    texts = {f.stem: f.read_text(encoding="utf-8") for f in DOCS.glob("*.txt")}
    assert set(golds) == set(texts), set(golds) ^ set(texts)
    counts = Counter(g["class"] for g in golds.values())
    assert set(counts) <= set(CLASSES), counts
    assert counts["plan"] >= 20 and counts["news"] >= 10 and counts["none"] >= 10, counts
    for stem, g in golds.items():
        assert g["id"] == stem and g.get("source"), stem
        for d in g["documents"]:
            for cat in ("targets", "budgets", "agencies"):
                for row in d[cat]:
                    # a quote may elide words with "..." (the pieces stay in order in the text)
                    # (and a cell quote may join lines with spaces: white space is compared collapsed)
                    flat = " ".join(texts[stem].split())
                    pieces = [" ".join(q.split()) for q in regex.split(r"\.\.\.|…", row["quote"]) if q.strip(" ;,")]
                    at = 0
                    for q in pieces:
                        at = flat.find(q, at)
                        assert at >= 0, (stem, cat, row["quote"], q)
            if g["class"] == "none":
                assert not d["targets"] and not d["budgets"], stem


def test_every_row_carries_its_evidence(rw_db):
    con = sqlite3.connect(rw_db)
    try:
        text = dict(con.execute("select doc_id, text from documents"))
        n = 0
        for table in ("targets", "budgets", "agencies", "reporting"):
            for doc_id, quote, start, end in con.execute(
                    f"select doc_id, quote, char_start, char_end from {table}"):
                assert text[doc_id][start:end] == quote, (table, doc_id, quote)
                n += 1
        assert n > 0
    finally:
        con.close()


def _none_rows(db: Path) -> dict[str, int]:
    stems = {s for s, g in _gold_files().items() if g["class"] == "none"}
    con = sqlite3.connect(db)
    try:
        docs = {d: Path(p).stem for d, p in con.execute("select doc_id, source_path from documents")}
        out = {}
        for table in ("targets", "budgets"):
            out[table] = sum(1 for (d,) in con.execute(f"select doc_id from {table}") if docs[d] in stems)
        return out
    finally:
        con.close()


def test_scores_per_class_stay_above_their_floors(rw_db, class_gold):
    failures = []
    for cls in ("plan", "news", "none", "all"):
        floors = FLOORS.get(cls, {})
        figs = evaluate(rw_db, class_gold[cls]).figures()
        line = "  ".join(f"{k} F1={figs[k]['F1']:.3f} (tp {figs[k]['tp']}, pred {figs[k]['pred']}, "
                         f"gold {figs[k]['gold']})" for k in ("targets", "targets_exact", "budgets",
                                                              "agencies", "meta"))
        print(f"\n[realworld {cls}] {line}")
        failures += [f"{cls} {k}: F1 {figs[k]['F1']:.3f} < floor {f}" for k, f in floors.items()
                     if figs[k]["F1"] < f]
    extras = _none_rows(rw_db)
    print(f"[realworld none] rows from texts that commit to nothing: {extras}")
    failures += [f"none {k}: {n} rows > ceiling {NONE_CEILING[k]}" for k, n in extras.items()
                 if n > NONE_CEILING[k]]
    assert not failures, failures
