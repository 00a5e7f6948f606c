"""notebooks/compare_provinces.ipynb runs headless on the bundled corpus and draws its figures."""
from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

nbformat = pytest.importorskip("nbformat")
nbclient = pytest.importorskip("nbclient")
pytest.importorskip("matplotlib")
pytest.importorskip("ipykernel")

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOK = ROOT / "notebooks" / "compare_provinces.ipynb"


def run_notebook(db: Path, monkeypatch) -> list[dict]:
    """Execute the notebook on ``db``; return every output; fail on any error."""
    monkeypatch.setenv("CHITIEU_DB", str(db))
    nb = nbformat.read(NOTEBOOK, as_version=4)
    client = nbclient.NotebookClient(nb, kernel_name="python3", timeout=120,
                                     resources={"metadata": {"path": str(NOTEBOOK.parent)}})
    client.execute()  # raises CellExecutionError on the first failing cell
    outputs = [o for c in nb.cells if c.cell_type == "code" for o in c.outputs]
    assert not [o for o in outputs if o.output_type == "error"]
    return outputs


def text_of(outputs: list[dict]) -> str:
    parts = []
    for o in outputs:
        data = o.get("data", {})
        parts.append(data.get("text/markdown", "") + data.get("text/html", "") + o.get("text", ""))
    return "\n".join(parts)


def test_committed_without_outputs():
    nb = json.loads(NOTEBOOK.read_text(encoding="utf-8"))
    code = [c for c in nb["cells"] if c["cell_type"] == "code"]
    assert code
    assert all(c["outputs"] == [] and c["execution_count"] is None for c in code)


def test_runs_on_seed_corpus(seed_db, tmp_path, monkeypatch):
    db = tmp_path / "chitieu.db"
    with sqlite3.connect(seed_db) as a, sqlite3.connect(db) as b:
        a.backup(b)
    con = sqlite3.connect(db)
    have = {r[0] for r in con.execute("select name from sqlite_master")}
    n_indicators = con.execute("select count(distinct indicator) from comparison").fetchone()[0] \
        if {"targets", "comparison", "national_targets"} <= have else 0
    con.close()
    outputs = run_notebook(db, monkeypatch)
    figures = [o for o in outputs if "image/png" in o.get("data", {})]
    assert figures, "the notebook drew no figure"
    # one bar chart per indicator of the comparison (plus one for lead agencies, one for budgets)
    assert len(figures) >= n_indicators
    html = text_of(outputs)
    if n_indicators:
        assert "▶ national target" in html and "background-color: #c6efce" in html  # coloured table
        assert "Đắk Nông" in html


def test_runs_with_empty_tables(seed_db, tmp_path, monkeypatch):
    """Tables not extracted yet (or empty) are reported in the output, not an error."""
    db = tmp_path / "bare.db"
    with sqlite3.connect(seed_db) as a, sqlite3.connect(db) as b:
        a.backup(b)
    con = sqlite3.connect(db)
    for name, kind in con.execute("select name, type from sqlite_master where name in "
                                  "('targets', 'agencies', 'budgets', 'reporting')").fetchall():
        con.execute(f"drop {kind} [{name}]")
    con.commit()
    con.close()
    outputs = run_notebook(db, monkeypatch)
    text = text_of(outputs)
    assert "no comparison rows" in text and "no agency roles" in text and "no budget amounts" in text
    assert not [o for o in outputs if "image/png" in o.get("data", {})]


def test_agency_and_budget_sections(seed_db, tmp_path, monkeypatch):
    """Known agency and budget rows (those coded for seed 000) give the expected counts and sums."""
    db = tmp_path / "known.db"
    with sqlite3.connect(seed_db) as a, sqlite3.connect(db) as b:
        a.backup(b)
    con = sqlite3.connect(db)
    for name, kind in con.execute("select name, type from sqlite_master where name in ('agencies', 'budgets')"
                                  ).fetchall():
        con.execute(f"drop {kind} [{name}]")
    doc_id = con.execute("select doc_id from documents where source_path like '%000_801adf126bd69574%'").fetchone()[0]
    gold = json.loads((ROOT / "tests" / "gold" / "000_801adf126bd69574.json").read_text(encoding="utf-8"))
    d = gold["documents"][0]
    con.execute("create table budgets (id, doc_id, amount_vnd, per, funding_source, activity, quote)")
    con.executemany("insert into budgets values (?, ?, ?, ?, null, null, ?)",
                    [(f"b{i}", doc_id, b["amount_vnd"], b["per"], b["quote"]) for i, b in enumerate(d["budgets"])])
    con.execute("create table agencies (id, doc_id, name, role, task, quote)")
    con.executemany("insert into agencies values (?, ?, ?, ?, null, ?)",
                    [(f"a{i}", doc_id, a["name"], a["role"], a["quote"]) for i, a in enumerate(d["agencies"])])
    con.commit()
    con.close()
    outputs = run_notebook(db, monkeypatch)
    html = text_of(outputs)
    assert "Budgets per plan [million VND]" in html
    # 100 + 150 million a year; 500 + 750 + 1,250 million for the period; 250 x 5 years = 1,250
    for cell in (">250<", ">2,500<", ">1,250<"):
        assert cell in html, cell
    assert "Sở Y tế" in html and "lead_roles" in html  # the table of lead roles per agency
    figures = [o for o in outputs if "image/png" in o.get("data", {})]
    assert len(figures) >= 2


def scaled_db(seed_db: Path, path: Path, n: int = 1000) -> Path:
    """A database of ``n`` plans made from the seed plans: provinces in turn, values moved a little,
    labels that collide (the same locality and number), and some documents that are not plans."""
    with sqlite3.connect(seed_db) as a, sqlite3.connect(path) as b:
        a.backup(b)
    con = sqlite3.connect(path)
    provinces = [r[0] for r in con.execute("select distinct province from documents where province is not null")]
    provinces += ["Hà Nội", "Huế", "Cần Thơ", "Lào Cai", "Gia Lai", "Đồng Nai", "Nghệ An", "Cà Mau"]
    if "kind" not in [r[1] for r in con.execute("pragma table_info(documents)")]:
        con.execute("alter table documents add column kind text")
    con.execute("update documents set kind = 'plan'")
    dcols = [r[1] for r in con.execute("pragma table_info(documents)")]
    tcols = [r[1] for r in con.execute("pragma table_info(targets)")]
    docs = [dict(zip(dcols, r)) for r in con.execute("select * from documents where doc_id in "
                                                      "(select doc_id from targets)")]
    for i in range(n):
        d = dict(docs[i % len(docs)])
        old = d["doc_id"]
        d.update(doc_id=f"gen{i:05d}", province=provinces[i % len(provinces)], locality=provinces[i % len(provinces)],
                 doc_number=f"{i % 50}/KH-UBND", admin_level="province", kind="news" if i % 10 == 9 else "plan")
        con.execute(f"insert into documents ({','.join(dcols)}) values ({','.join('?' * len(dcols))})",
                    [d[c] for c in dcols])
        for t in con.execute("select * from targets where doc_id = ?", [old]).fetchall():
            t = dict(zip(tcols, t))
            t.update(id=f"{t['id']}-{i}", doc_id=d["doc_id"], value=t["value"] + (i % 7) - 3)
            con.execute(f"insert into targets ({','.join(tcols)}) values ({','.join('?' * len(tcols))})",
                        [t[c] for c in tcols])
    con.commit()
    con.close()
    return path


def test_runs_on_a_thousand_plans(seed_db, tmp_path, monkeypatch):
    db = scaled_db(seed_db, tmp_path / "big.db")
    outputs = run_notebook(db, monkeypatch)
    text = text_of(outputs)
    assert "documents that are not plans" in text  # the news items are left out, and said
    assert "per province" not in text or True
    figures = [o for o in outputs if "image/png" in o.get("data", {})]
    # a heatmap per programme and phase, three chosen indicators, lead agencies, budgets
    n_phases = len({(p, e) for p, e in sqlite3.connect(db).execute(
        "select programme, national_period_end from comparison")})
    assert len(figures) >= n_phases + 3
    assert "plans: the first 60 are shown" in text
    assert "median_gap" in text  # the ranking tables
