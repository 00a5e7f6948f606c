"""The review index in a real headless browser (Chromium from the system packages, optional):
the table sorts on a header click and filters as one types, with no network at all."""
from __future__ import annotations

import shutil
import subprocess

import pytest

from chitieu.pipeline.review import render_reviews
from tests.test_review import hostile_db

CHROMIUM = next((shutil.which(n) for n in ("chromium", "chromium-browser", "google-chrome") if shutil.which(n)), None)

# run after the page's own script: click headers, type in the filter, write what the page shows
PROBE = """<script>
const cells=i=>[...document.querySelectorAll('#docs tbody tr')].filter(r=>!r.hidden).map(r=>r.children[i].textContent);
const out={};
document.querySelectorAll('#docs th')[2].click(); out.numberAsc=cells(2);
document.querySelectorAll('#docs th')[2].click(); out.numberDesc=cells(2);
document.querySelectorAll('#docs th')[6].click(); out.targetsAsc=cells(6);
const f=document.querySelector('#filter'); f.value='dak nong'; f.dispatchEvent(new Event('input'));
out.filtered=cells(0); out.count=document.querySelector('#count').textContent;
document.body.insertAdjacentHTML('beforeend','<pre id=probe>'+JSON.stringify(out)+'</pre>');
</script>"""


@pytest.fixture(scope="module")
def chromium():
    if CHROMIUM is None:
        msg = "Chromium not installed (apt-get install chromium): browser test of the review pages skipped"
        print(msg)
        pytest.skip(msg)
    return CHROMIUM


def dump_dom(browser: str, page, tmp_path) -> str:
    # no network: every request goes to a closed local port and fails
    cmd = [browser, "--headless", "--no-sandbox", "--disable-gpu", "--proxy-server=127.0.0.1:9",
           "--proxy-bypass-list=<-loopback>", f"--user-data-dir={tmp_path / 'profile'}", "--dump-dom",
           page.as_uri()]
    return subprocess.run(cmd, capture_output=True, text=True, timeout=120, check=True).stdout


def test_index_sorts_and_filters_in_a_browser(chromium, tmp_path):
    import json

    db = hostile_db(tmp_path / "h.db")
    out = tmp_path / "review"
    render_reviews(db, out)
    probe = out / "probe.html"
    probe.write_text((out / "index.html").read_text(encoding="utf-8").replace("</body>", PROBE + "</body>"),
                     encoding="utf-8")
    dom = dump_dom(chromium, probe, tmp_path)
    assert "<script>alert" not in dom and "alert(1)" in dom  # the hostile title is text in the DOM
    got = json.loads(dom.split("<pre id=\"probe\">")[1].split("</pre>")[0].replace("&lt;", "<").replace("&gt;", ">")
                     .replace("&amp;", "&").replace("&quot;", '"'))
    assert sorted(got["numberAsc"]) == ["2/KH", "<b>1</b>/KH"] and got["numberDesc"] == got["numberAsc"][::-1]
    assert got["targetsAsc"] == ["0", "1"]
    assert got["filtered"] == ["Đắk Nông"] and got["count"] == "1"  # "dak nong" finds Đắk Nông


def test_document_page_shows_highlights_in_a_browser(chromium, tmp_path):
    db = hostile_db(tmp_path / "h.db")
    out = tmp_path / "review"
    render_reviews(db, out)
    dom = dump_dom(chromium, out / "d1.html", tmp_path)
    import re

    marks = re.findall(r'<mark (?:id="[^"]*" )?class="(\w+)"', dom)  # each highlight is an anchor (its row id)
    assert (marks.count("target"), marks.count("budget")) == (1, 1)
    assert "BUDGET: 500 000 000 VND/year" in dom
    assert "<img" not in dom and "<script" not in dom


# a row read from a table: its cell is drawn in an HTML table, highlighted, visible on the page
TABLE_PROBE = """<script>
const marks=[...document.querySelectorAll('table.doc td.hit mark')];
const seen=marks.filter(m=>{const r=m.getBoundingClientRect();const bg=getComputedStyle(m).backgroundColor;
  return r.width>0&&r.height>0&&bg!=='rgba(0, 0, 0, 0)'&&getComputedStyle(m).visibility==='visible'});
const out={tables:document.querySelectorAll('table.doc').length,marks:marks.length,visible:seen.length,
  first:seen.length?seen[0].firstChild.textContent:'',label:seen.length?seen[0].querySelector('.lbl').textContent:'',
  cell:seen.length?seen[0].closest('td').getBoundingClientRect().width>0:false};
document.body.insertAdjacentHTML('beforeend','<pre id=probe>'+JSON.stringify(out)+'</pre>');
</script>"""


def test_table_cells_are_highlighted_in_a_browser(chromium, tmp_path):
    import json
    import shutil
    import sqlite3
    from pathlib import Path

    from chitieu.pipeline.run import extract_paths

    here = Path(__file__).parent
    docs = tmp_path / "docs"
    docs.mkdir()
    for p in (here / "data" / "tables" / "targets_phases.lines.txt", here / "realworld" / "docs" / "tbl_mpi_2021.txt"):
        shutil.copy(p, docs / p.name)
    extract_paths([str(docs)], tmp_path / "t.db")
    render_reviews(tmp_path / "t.db", tmp_path / "review")
    con = sqlite3.connect(tmp_path / "t.db")
    for name, first, label in (("targets_phases.lines.txt", "60", "TARGET: ≥60 % 2021–2025"),
                               ("tbl_mpi_2021.txt", "Khoảng 6", "TARGET: =6 % 2021")):
        doc_id = con.execute("select doc_id from documents where source_path like ?", [f"%{name}"]).fetchone()[0]
        n = con.execute("select count(*) from targets where doc_id = ? and table_row is not null", [doc_id]).fetchone()[0]
        page = tmp_path / "review" / f"{doc_id}.html"
        probe = page.with_name("probe.html")
        probe.write_text(page.read_text(encoding="utf-8").replace("</body>", TABLE_PROBE + "</body>"), encoding="utf-8")
        dom = dump_dom(chromium, probe, tmp_path)
        got = json.loads(dom.split("<pre id=\"probe\">")[1].split("</pre>")[0].replace("&lt;", "<")
                         .replace("&gt;", ">").replace("&amp;", "&").replace("&quot;", '"'))
        assert got["tables"] == 1 and got["visible"] == got["marks"] >= n > 0, (name, got)
        assert (got["first"], got["label"], got["cell"]) == (first, label, True), (name, got)
