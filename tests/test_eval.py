"""`chitieu eval`: the reference scorer's figures, on the seeds and on databases built by hand."""
from __future__ import annotations

import json
import re
import sqlite3
import subprocess
import sys
import unicodedata
from collections import Counter
from pathlib import Path

import pytest

from chitieu.pipeline.cli import main as cli_main
from chitieu.pipeline.evaluate import CATEGORIES, GoldError, evaluate, norm_meta, norm_name

ROOT = Path(__file__).resolve().parent.parent
GOLD = ROOT / "tests" / "gold"
SCORE_PY = Path("/work/shared/tools/score.py")
CATS = list(CATEGORIES)


# ---- an independent, literal implementation of the reference scorer's rules ----------------

_MAIN = {"staffing_units_pct", "staff_trained_pct", "facilities_services_pct",
         "counselled_increase_pct", "counselled_pct", "children_supported_pct"}
_TONES = {"oá": "óa", "oà": "òa", "oả": "ỏa", "oã": "õa", "oạ": "ọa", "oé": "óe", "oè": "òe", "oẻ": "ỏe",
          "oẽ": "õe", "oẹ": "ọe", "uý": "úy", "uỳ": "ùy", "uỷ": "ủy", "uỹ": "ũy", "uỵ": "ụy"}
_TONE_RE = re.compile(r"(?<!q)(" + "|".join(_TONES) + r")(?!\w)")


def _ref_name(s):
    if not s:
        return ""
    s = unicodedata.normalize("NFC", s).lower()
    s = _TONE_RE.sub(lambda m: _TONES[m.group(1)], s)
    s = s.replace("ủy ban nhân dân", "ubnd").replace("uỷ ban nhân dân", "ubnd")
    s = re.sub(r"[–—‐-]", "-", s)
    s = re.sub(r"\s*-\s*", " - ", s)
    return re.sub(r"\s+", " ", s).strip(" .,;:")


def _ref_meta(f, v):
    v = _ref_name(str(v))
    if f == "province":
        v = re.sub(r"^(tỉnh|thành phố|tp\.?)\s+", "", v)
    if f == "doc_number":
        v = v.replace(" ", "")
    return v


def _ref_prf(g, p):
    tp = sum((g & p).values())
    P = tp / sum(p.values()) if p else (1.0 if not g else 0.0)
    R = tp / sum(g.values()) if g else 1.0
    F = 2 * P * R / (P + R) if P + R else 0.0
    return dict(tp=tp, pred=sum(p.values()), gold=sum(g.values()), P=round(P, 3), R=round(R, 3), F1=round(F, 3))


def _ref_cmp(c):
    return "level" if c in ("equal", "at_least") else c


def _ref_strongest(pairs):
    rank = {"lead": 3, "focal": 2, "coordinate": 1}
    best = {}
    for k, role in pairs:
        if rank.get(role, 0) > rank.get(best.get(k), 0):
            best[k] = role
    return Counter({(k[0], k[1], r): 1 for k, r in best.items()})


def reference_score(db: Path, gold_dir: Path) -> dict:
    con = sqlite3.connect(db)
    con.row_factory = sqlite3.Row
    docs = con.execute("select * from documents").fetchall()
    stem_of = {d["doc_id"]: Path(d["source_path"]).stem for d in docs}

    def rows(t):
        try:
            return con.execute(f"select * from {t}").fetchall()
        except sqlite3.Error:
            return []

    gold = {k: Counter() for k in CATS}
    pred = {k: Counter() for k in CATS}
    stems = set()
    meta_fields = ("doc_number", "issued_date", "admin_level", "province")
    for f in sorted(gold_dir.glob("*.json")):
        g = json.loads(f.read_text(encoding="utf-8"))
        stems.add(g["id"])
        for d in g["documents"]:
            for t in d["targets"]:
                ind = t["indicator"] if t["indicator"] in _MAIN else "other"
                key = (g["id"], ind, None if t["value"] is None else round(float(t["value"]), 3), t["period_end"])
                gold["targets"][key] += 1
                if ind in _MAIN:
                    gold["targets_main"][key] += 1
                gold["targets_exact"][key + (t.get("period_start"), t.get("baseline_year"),
                                             _ref_cmp(t.get("comparator")))] += 1
            for b in d["budgets"]:
                gold["budgets"][(g["id"], int(b["amount_vnd"]), b["per"])] += 1
            gold["agencies"] |= _ref_strongest([((g["id"], _ref_name(a["name"])), a["role"])
                                                for a in d["agencies"] if "liên quan" not in _ref_name(a["name"])])
            for fld in meta_fields:
                if d.get(fld) is not None:
                    gold["meta"][(g["id"], fld, _ref_meta(fld, d[fld]))] += 1
    for t in rows("targets"):
        stem = stem_of.get(t["doc_id"])
        if stem in stems:
            ind = t["indicator"] if t["indicator"] in _MAIN else "other"
            key = (stem, ind, None if t["value"] is None else round(float(t["value"]), 3), t["period_end"])
            pred["targets"][key] += 1
            if ind in _MAIN:
                pred["targets_main"][key] += 1
            pred["targets_exact"][key + (t["period_start"], t["baseline_year"], _ref_cmp(t["comparator"]))] += 1
    for b in rows("budgets"):
        stem = stem_of.get(b["doc_id"])
        if stem in stems:
            pred["budgets"][(stem, int(b["amount_vnd"]), b["per"])] += 1
    pred["agencies"] = _ref_strongest([((stem_of.get(a["doc_id"]), _ref_name(a["name"])), a["role"])
                                       for a in rows("agencies") if stem_of.get(a["doc_id"]) in stems
                                       and "liên quan" not in _ref_name(a["name"])])
    for d in docs:
        stem = stem_of[d["doc_id"]]
        if stem in stems:
            for fld in meta_fields:
                if d[fld] is not None:
                    pred["meta"][(stem, fld, _ref_meta(fld, d[fld]))] += 1
    con.close()
    return {k: _ref_prf(gold[k], pred[k]) for k in CATS}


# ---- hand-made databases ---------------------------------------------------------------------

DOC_COLS = ["doc_id", "source_path", "doc_number", "issued_date", "admin_level", "province", "locality"]
TABLE_COLS = {
    "targets": ["id", "doc_id", "indicator", "value", "period_end", "period_start", "baseline_year",
                "comparator", "quote"],
    "budgets": ["id", "doc_id", "amount_vnd", "per", "quote"],
    "agencies": ["id", "doc_id", "name", "role", "quote"],
}


def make_db(path: Path, documents: list[dict], tables: dict[str, list[dict]], absent=()) -> Path:
    con = sqlite3.connect(path)
    con.execute(f"create table documents ({', '.join(DOC_COLS)})")
    for d in documents:
        con.execute(f"insert into documents values ({','.join('?' * len(DOC_COLS))})", [d.get(c) for c in DOC_COLS])
    for name, cols in TABLE_COLS.items():
        if name in absent:
            continue
        con.execute(f"create table {name} ({', '.join(cols)})")
        for i, r in enumerate(tables.get(name, [])):
            r = {"id": f"{name}{i}", **r}
            con.execute(f"insert into {name} values ({','.join('?' * len(cols))})", [r.get(c) for c in cols])
    con.commit()
    con.close()
    return path


def write_gold(folder: Path, stem: str, documents: list[dict]) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    full = [{"targets": [], "budgets": [], "agencies": [], **d} for d in documents]
    (folder / f"{stem}.json").write_text(json.dumps({"id": stem, "documents": full}, ensure_ascii=False),
                                         encoding="utf-8")
    return folder


def perturbed_db(path: Path) -> Path:
    """A database built from the bundled gold with known differences of every kind."""
    documents, tables = [], {"targets": [], "budgets": [], "agencies": []}
    for gi, f in enumerate(sorted(GOLD.glob("*.json"))):
        g = json.loads(f.read_text(encoding="utf-8"))
        for di, d in enumerate(g["documents"]):
            doc_id = f"{gi}-{di}"
            province = d.get("province")
            doc = {"doc_id": doc_id, "source_path": f"some/folder/{g['id']}.txt",
                   "doc_number": d.get("doc_number"), "issued_date": d.get("issued_date"),
                   "admin_level": d.get("admin_level"),
                   "province": f"Tỉnh {province}" if province and gi % 2 == 0 else province}
            if doc["doc_number"] and gi == 1:
                doc["doc_number"] = doc["doc_number"].replace("/", " / ")  # spaces: still a match
            if gi == 2:
                doc["issued_date"] = "2099-01-01"  # wrong (or extra where gold has none)
            documents.append(doc)
            for ti, t in enumerate(d["targets"]):
                if ti % 3 == 2:
                    continue  # missed
                value = t["value"] + 1 if ti % 5 == 4 else t["value"]  # wrong value: miss + extra
                ind = "some_other_pct" if t["indicator"] == "other" else t["indicator"]
                exact = {k: t.get(k) for k in ("period_start", "baseline_year", "comparator")}
                if ti % 7 == 1:
                    exact["comparator"] = "at_most"  # wrong comparator: found, but not exact
                tables["targets"].append({"doc_id": doc_id, "indicator": ind, "value": float(value),
                                          "period_end": t["period_end"], "quote": t["quote"], **exact})
                if ti == 0:  # a duplicate: one extra
                    tables["targets"].append({"doc_id": doc_id, "indicator": ind, "value": value,
                                              "period_end": t["period_end"], "quote": t["quote"], **exact})
            for bi, b in enumerate(d["budgets"]):
                if bi != 1:
                    tables["budgets"].append({"doc_id": doc_id, "amount_vnd": float(b["amount_vnd"]),
                                              "per": b["per"], "quote": b["quote"]})
            tables["budgets"].append({"doc_id": doc_id, "amount_vnd": 123_000_000, "per": "year",
                                      "quote": "123 triệu đồng/năm"})
            for ai, a in enumerate(d["agencies"]):
                if ai % 4 == 3:
                    continue
                name = a["name"].upper() if ai % 2 else a["name"].replace("UBND", "Uỷ ban nhân dân")
                tables["agencies"].append({"doc_id": doc_id, "name": name, "role": a["role"], "quote": a["quote"]})
                tables["agencies"].append({"doc_id": doc_id, "name": name, "role": a["role"], "quote": a["quote"]})
            tables["agencies"].append({"doc_id": doc_id, "name": "Các sở, ngành liên quan", "role": "coordinate",
                                       "quote": "các sở, ngành liên quan"})
            tables["agencies"].append({"doc_id": doc_id, "name": "Sở Văn hoá", "role": "coordinate",
                                       "quote": "Sở Văn hoá"})
    # a document of a file without gold is not scored
    documents.append({"doc_id": "x", "source_path": "elsewhere/999_unknown.txt", "doc_number": "1/KH-UBND",
                      "admin_level": "province", "province": "Huế"})
    tables["targets"].append({"doc_id": "x", "indicator": "staff_trained_pct", "value": 50, "period_end": 2030,
                              "quote": "50%"})
    return make_db(path, documents, tables)


def _figures(ev) -> dict:
    return {k: v for k, v in ev.figures().items() if k in CATS}


# ---- same figures as the reference scorer ---------------------------------------------------

def test_bundled_gold_is_the_seed_gold():
    stems = sorted(p.stem for p in (ROOT / "corpora" / "seeds").glob("*.txt"))
    assert sorted(json.loads(p.read_text(encoding="utf-8"))["id"] for p in GOLD.glob("*.json")) == stems
    total = Counter()
    for p in GOLD.glob("*.json"):
        for d in json.loads(p.read_text(encoding="utf-8"))["documents"]:
            total.update({k: len(d[k]) for k in ("targets", "budgets", "agencies")})
    assert total == {"targets": 50, "budgets": 5, "agencies": 32}


def test_seed_db_same_figures_as_reference(seed_db):
    assert _figures(evaluate(seed_db, GOLD)) == reference_score(seed_db, GOLD)


def test_perturbed_db_same_figures_as_reference(tmp_path):
    db = perturbed_db(tmp_path / "p.db")
    ref = reference_score(db, GOLD)
    got = _figures(evaluate(db, GOLD))
    assert got == ref
    # the perturbations leave something to find on every side
    for k in CATS:
        assert 0 < got[k]["tp"] < got[k]["gold"] or k == "meta", (k, got[k])
        assert got[k]["P"] < 1.0, k


def test_gold_against_itself_is_perfect(tmp_path):
    documents, tables = [], {"targets": [], "budgets": [], "agencies": []}
    for gi, f in enumerate(sorted(GOLD.glob("*.json"))):
        g = json.loads(f.read_text(encoding="utf-8"))
        for di, d in enumerate(g["documents"]):
            doc_id = f"{gi}-{di}"
            documents.append({"doc_id": doc_id, "source_path": f"{g['id']}.txt",
                              **{k: d.get(k) for k in DOC_COLS[2:]}})
            for k in tables:
                tables[k].extend({"doc_id": doc_id, **r} for r in d[k])
    db = make_db(tmp_path / "gold.db", documents, tables)
    ev = evaluate(db, GOLD)
    for k, v in ev.figures().items():
        assert (v["P"], v["R"], v["F1"]) == (1.0, 1.0, 1.0), k
    assert ev.misses == [] and ev.extras == []
    assert ev.figures()["agencies"]["gold"] == 29  # 32 rows, once per file with its strongest role, "liên quan" groups left out


@pytest.mark.skipif(not SCORE_PY.exists(), reason="the shared reference scorer is not available")
@pytest.mark.parametrize("which", ["seed", "perturbed"])
def test_same_json_as_score_py(which, seed_db, tmp_path):
    db = seed_db if which == "seed" else perturbed_db(tmp_path / "p.db")
    out = subprocess.run([sys.executable, str(SCORE_PY), str(db), str(GOLD), "--json"],
                         capture_output=True, text=True, check=True).stdout
    assert _figures(evaluate(db, GOLD)) == json.loads(out)


# ---- small cases with known answers ----------------------------------------------------------

def test_targets_precision_recall(tmp_path):
    gold = write_gold(tmp_path / "gold", "plan", [{"targets": [
        {"indicator": "staff_trained_pct", "value": 70, "period_end": 2030, "quote": "70% cán bộ"},
        {"indicator": "staffing_units_pct", "value": 90, "period_end": 2030, "quote": "90% cơ quan"},
        {"indicator": "other", "value": 2500, "period_end": 2030, "quote": "2.500 cán bộ"},
    ]}])
    db = make_db(tmp_path / "a.db", [{"doc_id": "d", "source_path": "x/plan.txt"}], {"targets": [
        {"doc_id": "d", "indicator": "staff_trained_pct", "value": 70.0004, "period_end": 2030, "quote": "70%"},
        {"doc_id": "d", "indicator": "staffing_units_pct", "value": 90, "period_end": 2025, "quote": "90% năm 2025"},
        {"doc_id": "d", "indicator": "local_thing", "value": 2500, "period_end": 2030, "quote": "2.500"},
        {"doc_id": "d", "indicator": "staffing_units_pct", "value": 50, "period_end": 2030, "quote": "50%"},
    ]})
    ev = evaluate(db, gold)
    f = ev.figures()
    # 70.0004 rounds to 70.0; an unknown indicator pools with "other"; wrong year and wrong value miss
    assert f["targets"] == {"tp": 2, "pred": 4, "gold": 3, "P": 0.5, "R": 0.667, "F1": 0.571}
    assert f["targets_main"] == {"tp": 1, "pred": 3, "gold": 2, "P": 0.333, "R": 0.5, "F1": 0.4}
    assert f["targets.staffing_units_pct"] == {"tp": 0, "pred": 2, "gold": 1, "P": 0.0, "R": 0.0, "F1": 0.0}
    assert f["targets.other"]["F1"] == 1.0
    assert [(m.key, m.quote) for m in ev.misses] == [(("staffing_units_pct", 90.0, 2030), "90% cơ quan")]
    assert sorted(e.quote for e in ev.extras) == ["50%", "90% năm 2025"]
    assert f["budgets"]["P"] == 1.0 and f["budgets"]["gold"] == 0  # nothing to find, nothing found


def test_duplicates_count_for_targets_and_budgets_not_agencies(tmp_path):
    gold = write_gold(tmp_path / "gold", "p", [{
        "budgets": [{"amount_vnd": 100_000_000, "per": "year", "quote": "100 triệu đồng/năm"}],
        "agencies": [{"name": "Sở Y tế", "role": "lead", "quote": "Sở Y tế chủ trì"},
                     {"name": "Sở Y tế", "role": "lead", "quote": "Sở Y tế chủ trì (2)"},
                     {"name": "Ủy ban nhân dân các xã", "role": "lead", "quote": "UBND các xã"},
                     {"name": "Các sở, ban, ngành liên quan", "role": "coordinate", "quote": "các sở liên quan"}]}])
    db = make_db(tmp_path / "a.db", [{"doc_id": "d", "source_path": "p.txt"}], {
        "budgets": [{"doc_id": "d", "amount_vnd": 100_000_000.0, "per": "year", "quote": "a"},
                    {"doc_id": "d", "amount_vnd": "100000000", "per": "year", "quote": "b"}],  # stored as text
        "agencies": [{"doc_id": "d", "name": "SỞ Y TẾ", "role": "lead", "quote": "a"},
                     {"doc_id": "d", "name": "Sở Y tế", "role": "lead", "quote": "b"},
                     {"doc_id": "d", "name": "UBND các xã", "role": "lead", "quote": "c"},
                     {"doc_id": "d", "name": "Sở Y tế", "role": "coordinate", "quote": "d"}]})
    f = evaluate(db, gold).figures()
    assert f["budgets"] == {"tp": 1, "pred": 2, "gold": 1, "P": 0.5, "R": 1.0, "F1": 0.667}
    # Sở Y tế as coordinate as well collapses into its strongest role, lead: no extra
    assert f["agencies"] == {"tp": 2, "pred": 2, "gold": 2, "P": 1.0, "R": 1.0, "F1": 1.0}


def test_metadata_fields_normalized_and_separate(tmp_path):
    gold = write_gold(tmp_path / "gold", "p", [
        {"doc_number": "57/KH-UBND", "issued_date": "2021-05-18", "admin_level": "province", "province": "Đắk Nông"},
        {"doc_number": None, "issued_date": "2020-01-02", "admin_level": "national", "province": None}])
    db = make_db(tmp_path / "a.db", [
        {"doc_id": "a", "source_path": "p.txt", "doc_number": "57 / KH–UBND", "issued_date": "2021-05-18",
         "admin_level": "province", "province": "Tỉnh Đắk Nông"},
        {"doc_id": "b", "source_path": "p.txt", "doc_number": "9/QĐ-TTg", "issued_date": "2020-01-03",
         "admin_level": "national"}], {}, absent=("targets", "budgets", "agencies"))
    ev = evaluate(db, gold)
    f = ev.figures()
    assert f["meta.doc_number"] == {"tp": 1, "pred": 2, "gold": 1, "P": 0.5, "R": 1.0, "F1": 0.667}
    assert f["meta.issued_date"] == {"tp": 1, "pred": 2, "gold": 2, "P": 0.5, "R": 0.5, "F1": 0.5}
    assert f["meta.province"]["F1"] == 1.0 and f["meta.admin_level"]["F1"] == 1.0
    assert f["meta"] == {"tp": 5, "pred": 7, "gold": 6, "P": 0.714, "R": 0.833, "F1": 0.769}
    assert [(m.key, m.quote) for m in ev.misses] == [(("issued_date", "2020 - 01 - 02"), "2020-01-02")]
    # absent tables are empty, not an error
    assert f["targets"] == {"tp": 0, "pred": 0, "gold": 0, "P": 1.0, "R": 1.0, "F1": 1.0}


def test_normalization_rules():
    assert norm_name("Uỷ ban nhân dân  tỉnh Thanh Hoá.") == "ubnd tỉnh thanh hóa"
    assert norm_name("Bộ Lao động–Thương binh và Xã hội") == "bộ lao động - thương binh và xã hội"
    assert norm_name("quý") == "quý"  # "uý" after q is not an old-style tone mark
    assert norm_meta("province", "Thành phố Huế") == "huế"
    assert norm_meta("doc_number", "1791 / QĐ-TTg") == "1791/qđ-ttg"


# ---- the command ----------------------------------------------------------------------------

def test_cli_json_and_text(seed_db, capsys):
    assert cli_main(["eval", "--db", str(seed_db), "--gold", str(GOLD), "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert {k: data[k] for k in CATS} == reference_score(seed_db, GOLD)
    assert {"meta.province", "targets.staffing_units_pct", "targets.other"} <= set(data)
    assert "misses" not in data

    assert cli_main(["eval", "--db", str(seed_db), "--gold", str(GOLD), "--json", "--verbose"]) == 0
    data = json.loads(capsys.readouterr().out)
    gold_total = data["targets"]["gold"]
    assert len([m for m in data["misses"] if m["category"] == "targets"]) == gold_total - data["targets"]["tp"]
    assert all("quote" in m for m in data["misses"] + data["extras"])

    assert cli_main(["eval", "--db", str(seed_db), "--gold", str(GOLD), "--verbose"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert [ln.split()[0] for ln in out[:len(CATS)]] == CATS
    t = data["targets"]
    assert out[0] == f"targets       P={t['P']:.3f} R={t['R']:.3f} F1={t['F1']:.3f}  " \
                     f"(tp {t['tp']}, pred {t['pred']}, gold {t['gold']})"
    n_miss = sum(1 for ln in out if ln.lstrip().startswith("MISS"))
    assert n_miss == len(data["misses"])


def test_cli_errors(tmp_path, capsys):
    assert cli_main(["eval", "--db", str(tmp_path / "none.db"), "--gold", str(GOLD)]) == 2
    assert "no such database" in capsys.readouterr().err
    assert not (tmp_path / "none.db").exists()
    bad = tmp_path / "bad"
    bad.mkdir()
    (bad / "x.json").write_text(json.dumps({"id": "x", "documents": [{"targets": [{"value": 1}]}]}))
    with pytest.raises(GoldError, match=r"x.json: documents\[0\]"):
        evaluate(tmp_path / "none.db", bad)
    db = make_db(tmp_path / "a.db", [], {})
    assert cli_main(["eval", "--db", str(db), "--gold", str(bad)]) == 2
    assert "missing" in capsys.readouterr().err


def test_misses_name_the_unmatched_quote(tmp_path):
    """Two gold targets with the same key, one found: the miss shown is the one whose quote was not found."""
    gold = write_gold(tmp_path / "gold", "p", [{"targets": [
        {"indicator": "other", "value": 1, "period_end": 2030, "quote": "ít nhất từ 01 đến 02 người chuyên trách"},
        {"indicator": "other", "value": 1, "period_end": 2030, "quote": "mỗi đơn vị có từ 01 đến 02 người"},
    ]}])
    db = make_db(tmp_path / "a.db", [{"doc_id": "d", "source_path": "p.txt"}], {"targets": [
        {"doc_id": "d", "indicator": "other", "value": 1, "period_end": 2030,
         "quote": "ít nhất từ 01 đến 02 người chuyên trách làm công tác xã hội"}]})
    ev = evaluate(db, gold)
    assert [m.quote for m in ev.misses] == ["mỗi đơn vị có từ 01 đến 02 người"]
    assert ev.extras == []
    assert "MISS " in ev.misses[0].line() and "other | 1 | 2030" in ev.misses[0].line()
