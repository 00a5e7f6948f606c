"""Review pages: each document's text with its extracted spans highlighted (spaCy displaCy).

    chitieu review --db outputs/chitieu.db --out outputs/review

writes one HTML page per document and an ``index.html``; a researcher reads a plan with every
target, budget, agency and reporting duty marked where it was found, each mark saying what was
read (a target's indicator, value, unit, comparator and year; a budget's amount and per; an
agency's role). displaCy's manual mode needs no language model. Overlapping spans are shown once
(the earlier, then longer one).

Everything that comes from a document or the database — titles, file names, quotes, labels — is
HTML-escaped before it reaches a page (a plan titled ``<script>…`` shows as text). The index is
a table (province, level, number, date, title, counts) sortable by a click on a column head and
filtered by a search box, with its script inline: nothing is loaded from the network.
"""
from __future__ import annotations

import html
import sqlite3
from pathlib import Path

# table -> (label, colour, columns that say what was read)
LAYERS = {
    "targets": ("TARGET", "#ffd166", ("indicator", "value", "unit", "comparator", "period_end")),
    "budgets": ("BUDGET", "#06d6a0", ("amount_vnd", "per")),
    "agencies": ("AGENCY", "#8ecae6", ("role",)),
    "reporting": ("REPORT", "#e5b3fe", ()),
}
_COLOR_OF_LABEL = {label: colour for label, colour, _ in LAYERS.values()}
_SYMBOL = {"at_least": "≥", "more_than": ">", "at_most": "≤", "less_than": "<", "equal": "=",
           "increase_by": "+", "decrease_by": "−"}


def _queries(con: sqlite3.Connection) -> list[tuple[str, str, tuple[str, ...]]]:
    """(label, SQL, detail columns present) for each layer table present in the database."""
    tables = {r[0] for r in con.execute("select name from sqlite_master where type='table'")}
    out = []
    for table, (label, _, detail) in LAYERS.items():
        if table in tables:
            cols = {r[1] for r in con.execute(f"pragma table_info([{table}])")}
            have = tuple(c for c in detail if c in cols)
            select = "".join(f", [{c}]" for c in have)
            out.append((label, f"select char_start, char_end{select} from [{table}] where doc_id = ?", have))
    return out


def _num(v) -> str:
    try:
        return f"{float(v):g}"
    except (TypeError, ValueError):
        return str(v)


def describe(label: str, row: dict) -> str:
    """What a highlight says: "TARGET staffing_units_pct ≥70% 2026", "BUDGET 1 250 000 000 đ/period"."""
    if label == "TARGET":
        unit = row.get("unit") or ""
        sym = _SYMBOL.get(row.get("comparator"), "")
        parts = [row.get("indicator"), f"{sym}{_num(row.get('value'))}{unit if unit == '%' else ' ' + unit}".strip(),
                 row.get("period_end")]
    elif label == "BUDGET":
        amount = row.get("amount_vnd")
        parts = [f"{int(amount):,} đ".replace(",", " ") if amount is not None else None,
                 f"/{row['per']}" if row.get("per") else None]
    else:
        parts = [row.get("role")]
    return " ".join([label] + [str(p) for p in parts if p not in (None, "")])


def _spans(con: sqlite3.Connection, doc_id: str, queries=None) -> list[dict]:
    spans = []
    for label, sql, cols in queries if queries is not None else _queries(con):
        for row in con.execute(sql, [doc_id]):
            text = describe(label, dict(zip(cols, row[2:])))
            spans.append({"start": row[0], "end": row[1], "label": html.escape(text, quote=True)})
    spans.sort(key=lambda s: (s["start"], -(s["end"] - s["start"])))
    kept, last_end = [], -1
    for s in spans:
        if s["start"] >= last_end:
            kept.append(s)
            last_end = s["end"]
    return kept


_INDEX_HEAD = """<!doctype html><html><head><meta charset="utf-8"><title>chitieu review</title>
<style>body{font-family:sans-serif;margin:1.5em}table{border-collapse:collapse;width:100%}
th,td{border-bottom:1px solid #ddd;padding:4px 6px;text-align:left;font-size:14px}
th{cursor:pointer;background:#f4f4f4;position:sticky;top:0}th:after{content:" ⇅";color:#aaa}
input{padding:6px;width:30em;margin-bottom:1em}td.n{text-align:right}</style></head><body>
<h1>Documents</h1><input id="filter" type="search" placeholder="Filter: province, number, title…">
<table id="docs"><thead><tr><th>province</th><th>level</th><th>number</th><th>date</th><th>title</th>
<th>file</th><th>targets</th><th>budgets</th><th>agencies</th></tr></thead><tbody>"""

_INDEX_TAIL = """</tbody></table><script>
(function(){var t=document.getElementById('docs'),b=t.tBodies[0];
document.getElementById('filter').addEventListener('input',function(e){var q=e.target.value.toLowerCase();
for(var r of b.rows){r.style.display=r.textContent.toLowerCase().indexOf(q)<0?'none':'';}});
var dir={};Array.prototype.forEach.call(t.tHead.rows[0].cells,function(th,i){th.addEventListener('click',function(){
dir[i]=!dir[i];var rows=Array.prototype.slice.call(b.rows);rows.sort(function(x,y){
var a=x.cells[i].dataset.v||x.cells[i].textContent,c=y.cells[i].dataset.v||y.cells[i].textContent;
var na=parseFloat(a),nc=parseFloat(c);var r=(!isNaN(na)&&!isNaN(nc))?na-nc:a.localeCompare(c,'vi');
return dir[i]?r:-r;});rows.forEach(function(r){b.appendChild(r);});});});})();
</script></body></html>"""


def _count(con: sqlite3.Connection, table: str, tables: set[str]) -> dict[str, int]:
    if table not in tables:
        return {}
    return dict(con.execute(f"select doc_id, count(*) from [{table}] group by doc_id"))


def render_reviews(db_path: str | Path, out_dir: str | Path) -> list[Path]:
    from spacy import displacy

    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    con = sqlite3.connect(str(db_path))
    colors: dict[str, str] = {}
    written = []
    queries = _queries(con)
    tables = {r[0] for r in con.execute("select name from sqlite_master where type='table'")}
    counts = {t: _count(con, t, tables) for t in ("targets", "budgets", "agencies")}
    doc_cols = {r[1] for r in con.execute("pragma table_info(documents)")}
    extra = ", ".join(c if c in doc_cols else f"null as {c}" for c in ("province", "admin_level", "issued_date"))
    esc = html.escape
    rows = []
    for doc_id, source, part, number, title, text, province, level, issued in con.execute(
            f"select doc_id, source_path, part, doc_number, title, text, {extra} from documents "
            f"order by source_path, part"):
        spans = _spans(con, doc_id, queries)
        for s in spans:
            colors[s["label"]] = _COLOR_OF_LABEL.get(s["label"].split(" ")[0], "#ddd")
        heading = esc(f"{number or ''} {title or ''}".strip())
        page = displacy.render({"text": text, "ents": spans, "title": heading},
                               style="ent", manual=True, page=True, minify=True, options={"colors": colors})
        path = out / f"{doc_id}.html"
        path.write_text(page, encoding="utf-8")
        written.append(path)
        n = [counts[t].get(doc_id, 0) for t in ("targets", "budgets", "agencies")]
        rows.append(
            f"<tr><td>{esc(province or '')}</td><td>{esc(level or '')}</td><td>{esc(number or '')}</td>"
            f"<td>{esc(issued or '')}</td><td><a href=\"{esc(doc_id)}.html\">{esc((title or '')[:160])}</a></td>"
            f"<td>{esc(Path(source).name)} · {part}</td>"
            + "".join(f"<td class=\"n\">{k}</td>" for k in n) + "</tr>")
    (out / "index.html").write_text(_INDEX_HEAD + "\n".join(rows) + _INDEX_TAIL, encoding="utf-8")
    con.close()
    return written
