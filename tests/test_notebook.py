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
