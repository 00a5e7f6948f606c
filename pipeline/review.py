"""Review pages: each document's text with its extracted rows highlighted where they were read.

    chitieu review --db outputs/chitieu.db --out outputs/review

writes one HTML page per document and an ``index.html``; a researcher reads a plan with every
target, budget, agency and reporting duty marked at its words. Each highlight shows what was
read (a target's indicator, comparator, value, unit and period; a budget's amount and per; an
agency's role; a duty's frequency) and, on hover, why (section, confidence, notes). The index
is a table of documents (province, level, number, date, title, counts) that sorts on a click
and filters as you type.

Safety: every text that reaches the page (document text, titles, file names, quotes, labels,
notes) goes through ``html.escape``; the pages load nothing from the network (styles and the
small sorting script are inline), so they work offline and a hostile title cannot run code.
Overlapping spans are shown once (the earlier, then the longer one); the page says how many
rows are not shown because they overlap.
"""
from __future__ import annotations

import hashlib
import html
import sqlite3
from pathlib import Path
from typing import Any, Callable
from urllib.parse import quote as urlquote

import regex

from chitieu.pipeline.export import open_database

COMPARATOR_SIGN = {
    "at_least": "≥", "more_than": ">", "at_most": "≤", "less_than": "<", "equal": "=",
    "increase_by": "+", "decrease_by": "−",
}


def _num(v: Any) -> str:
    if v is None:
        return ""
    if isinstance(v, float) and v.is_integer():
        v = int(v)
    if isinstance(v, int):
        return f"{v:,}".replace(",", " ")
    return str(v)


def _period(r: dict) -> str:
    start, end = r.get("period_start"), r.get("period_end")
    if start and end and start != end:
        return f"{start}–{end}"
    return str(end or start or "")


def _target_label(r: dict) -> str:
    value = _num(r.get("value")) + (f"–{_num(r['value_max'])}" if r.get("value_max") is not None else "")
    sign = COMPARATOR_SIGN.get(r.get("comparator") or "", r.get("comparator") or "")
    base = f" vs {r['baseline_year']}" if r.get("baseline_year") else ""
    return " ".join(p for p in (r.get("indicator"), f"{sign}{value}", r.get("unit"), _period(r) + base) if p)


def _budget_label(r: dict) -> str:
    per = f"/{r['per']}" if r.get("per") else " (per: not said)"
    return f"{_num(r.get('amount_vnd'))} VND{per}"


def _agency_label(r: dict) -> str:
    return f"{r.get('role') or '?'}: {r.get('name') or r.get('name_raw') or ''}"


def _reporting_label(r: dict) -> str:
    return " ".join(p for p in (r.get("frequency"), r.get("due"), f"→ {r['recipient']}" if r.get("recipient") else "")
                    if p) or "report"


# table -> (kind shown in the badge, colour, what was read); a table of evidence rows not named here
# (a new extractor's) is shown too, with a plain style (see layers())
LAYERS: dict[str, tuple[str, str, Callable[[dict], str]]] = {
    "targets": ("TARGET", "#ffd166", _target_label),
    "budgets": ("BUDGET", "#06d6a0", _budget_label),
    "agencies": ("AGENCY", "#8ecae6", _agency_label),
    "reporting": ("REPORT", "#e5b3fe", _reporting_label),
}
# columns shown on hover: why the row was read and how sure the reader is
REASON_COLUMNS = ["section", "comparator", "confidence", "funding_source", "activity", "task", "level",
                  "successor", "notes", "id"]


def _generic_label(r: dict) -> str:
    """What was read, for a table without its own label: its first few fields' values."""
    skip = {"id", "doc_id", "section", "quote", "char_start", "char_end"}
    return " ".join(str(v) for k, v in r.items() if k not in skip and v not in (None, ""))[:80]


def layers() -> dict[str, tuple[str, str, Callable[[dict], str]]]:
    """The highlight layers: every extractor table whose records carry their evidence (quote,
    char_start, char_end; from the record dataclasses, ``schema.evidence_tables``), styled by
    LAYERS or plainly."""
    from chitieu.pipeline.schema import evidence_tables

    tables = evidence_tables()
    ordered = [t for t in LAYERS if t in tables] + [t for t in tables if t not in LAYERS]
    return {t: LAYERS.get(t) or (t.upper(), "#dddddd", _generic_label) for t in ordered}


def _tables(con: sqlite3.Connection) -> list[str]:
    have = {r[0] for r in con.execute("select name from sqlite_master where type='table'")}
    return [t for t in layers() if t in have]


def _reason(r: dict) -> str:
    return "\n".join(f"{c}: {r[c]}" for c in REASON_COLUMNS if r.get(c) not in (None, ""))


def _spans(con: sqlite3.Connection, doc_id: str, tables: list[str] | None = None) -> list[dict]:
    """The rows of one document as spans {start, end, label, kind, detail, reason}, without overlaps."""
    spans = []
    cur = con.cursor()
    cur.row_factory = sqlite3.Row
    for table in tables if tables is not None else _tables(con):
        kind, _, describe = layers()[table]
        for row in cur.execute(f"select * from [{table}] where doc_id = ?", [doc_id]):
            r = dict(row)
            detail = describe(r)
            spans.append({"start": r["char_start"], "end": r["char_end"], "kind": kind, "detail": detail,
                          "label": f"{kind}: {detail}", "reason": _reason(r), "id": r.get("id")})
    spans.sort(key=lambda s: (s["start"], -(s["end"] - s["start"]), s["kind"]))
    kept, last_end = [], -1
    for s in spans:
        if s["start"] >= last_end:
            kept.append(s)
            last_end = s["end"]
    return kept


def _e(v: Any) -> str:
    """Escape any value for HTML text and attributes."""
    return html.escape("" if v is None else str(v), quote=True)


STYLE = """
body{font-family:system-ui,sans-serif;margin:2em;max-width:70em;line-height:1.6}
.text{white-space:pre-wrap}
mark{padding:.1em .3em;border-radius:.3em}
mark .lbl{font-size:.7em;font-weight:bold;margin-left:.4em;vertical-align:middle;white-space:normal}
table{border-collapse:collapse}th,td{border-bottom:1px solid #ddd;padding:.2em .5em;text-align:left;vertical-align:top}
th{cursor:pointer;user-select:none;background:#f4f4f4}th[aria-sort=ascending]::after{content:" ▲"}
th[aria-sort=descending]::after{content:" ▼"}td.n{text-align:right}
#filter{font-size:1em;padding:.3em;width:30em;margin:.5em 0}
"""


def render_page(doc: dict, spans: list[dict], total_rows: int) -> str:
    """One document's page: header, legend, its text with every span marked (all text escaped)."""
    colour = {kind: c for kind, c, _ in layers().values()}
    text = doc["text"] or ""
    out, pos = [], 0
    for s in spans:
        out.append(_e(text[pos:s["start"]]))
        anchor = f" id='{_e(s['id'])}'" if s.get("id") else ""  # page.html#<row id> shows that row
        out.append(f"<mark{anchor} class='{s['kind'].lower()}' style='background:{colour[s['kind']]}' "
                   f"title='{_e(s['reason'])}'>{_e(text[s['start']:s['end']])}"
                   f"<span class='lbl'>{_e(s['label'])}</span></mark>")
        pos = s["end"]
    out.append(_e(text[pos:]))
    heading = " ".join(p for p in (doc.get("doc_number"), doc.get("title")) if p) or Path(doc["source_path"]).name
    hidden = total_rows - len(spans)
    legend = " ".join(f"<mark style='background:{c}'>{k}</mark>" for k, c, _ in layers().values())
    facts = " · ".join(_e(p) for p in (doc.get("issuer"), doc.get("locality"), doc.get("province"),
                                        doc.get("issued_date")) if p)
    return (
        "<!DOCTYPE html><html lang='vi'><head><meta charset='utf-8'>"
        f"<title>{_e(heading)}</title><style>{STYLE}</style></head><body>"
        f"<p><a href='index.html'>← all documents</a></p><h1>{_e(heading)}</h1>"
        f"<p>{_e(Path(doc['source_path']).name)} part {_e(doc['part'])}{' · ' + facts if facts else ''}</p>"
        f"<p>{legend} — {len(spans)} rows shown"
        + (f", {hidden} not shown (they overlap a row shown)" if hidden else "")
        + "; hover a highlight for the reason.</p>"
        f"<div class='text'>{''.join(out)}</div></body></html>\n")


INDEX_COLUMNS = [("province", "Province", False), ("admin_level", "Level", False), ("doc_number", "Number", False),
                 ("issued_date", "Date", False), ("title", "Title", False), ("file", "File", False),
                 ("targets", "Targets", True), ("budgets", "Budgets", True), ("agencies", "Agencies", True)]

# sorting and filtering, inline (no CDN): a click on a header sorts by it, the box filters rows
INDEX_SCRIPT = """
const tbody=document.querySelector('#docs tbody'),heads=[...document.querySelectorAll('#docs th')];
const key=(tr,i,num)=>{const v=tr.children[i].dataset.v??tr.children[i].textContent;return num?Number(v):v};
heads.forEach((th,i)=>th.addEventListener('click',()=>{
  const asc=th.getAttribute('aria-sort')!=='ascending',num=th.dataset.num==='1';
  heads.forEach(h=>h.removeAttribute('aria-sort'));th.setAttribute('aria-sort',asc?'ascending':'descending');
  const rows=[...tbody.rows].sort((a,b)=>{const x=key(a,i,num),y=key(b,i,num);
    const c=num?x-y:String(x).localeCompare(String(y),'vi',{numeric:true});return asc?c:-c});
  rows.forEach(r=>tbody.appendChild(r))}));
const fold=s=>s.normalize('NFD').replace(/[\\u0300-\\u036f]/g,'').replace(/đ/g,'d').replace(/Đ/g,'D').toLowerCase();
document.querySelector('#filter').addEventListener('input',e=>{const q=fold(e.target.value).split(/\\s+/).filter(Boolean);
  let n=0;for(const tr of tbody.rows){const t=fold(tr.textContent);const ok=q.every(w=>t.includes(w));
    tr.hidden=!ok;n+=ok}document.querySelector('#count').textContent=n});
"""


def render_index(docs: list[dict]) -> str:
    """The index: one sortable, filterable row per document (all text escaped)."""
    head = "".join(f"<th data-num='{int(num)}'>{_e(label)}</th>" for _, label, num in INDEX_COLUMNS)
    rows = []
    for d in docs:
        cells = []
        for col, _, num in INDEX_COLUMNS:
            v = d.get(col)
            if col == "title":
                shown = (v or "")[:160] or "(no title)"
                cells.append(f"<td><a href='{_e(urlquote(d['page']))}'>{_e(shown)}</a></td>")
            elif num:
                cells.append(f"<td class='n' data-v='{int(v or 0)}'>{int(v or 0)}</td>")
            else:
                cells.append(f"<td>{_e(v or '')}</td>")
        rows.append("<tr>" + "".join(cells) + "</tr>")
    return (
        "<!DOCTYPE html><html lang='vi'><head><meta charset='utf-8'><title>chitieu review</title>"
        f"<style>{STYLE}</style></head><body><h1>Documents</h1>"
        "<input id='filter' type='search' placeholder='filter: province, number, title… (accents optional)'> "
        f"<span id='count'>{len(docs)}</span> of {len(docs)} documents; click a header to sort."
        f"<table id='docs'><thead><tr>{head}</tr></thead><tbody>\n" + "\n".join(rows)
        + f"\n</tbody></table><script>{INDEX_SCRIPT}</script></body></html>\n")


def page_name(doc_id: str) -> str:
    """The page's file name: the doc_id when it is a plain id (chitieu's are hex hashes), else a hash
    of it, so that no id can name a path outside the folder."""
    if regex.fullmatch(r"[0-9A-Za-z_-]{1,64}", doc_id or ""):
        return f"{doc_id}.html"
    return hashlib.sha1(str(doc_id).encode("utf-8")).hexdigest()[:16] + ".html"


def render_reviews(db_path: str | Path, out_dir: str | Path) -> list[Path]:
    """Write ``<doc_id>.html`` per document and ``index.html`` into ``out_dir``; return the pages."""
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    con = open_database(db_path)
    try:
        tables = _tables(con)
        counts = {t: dict(con.execute(f"select doc_id, count(*) from [{t}] group by doc_id")) for t in tables}
        written, index = [], []
        cur = con.execute("select doc_id, source_path, part, doc_number, title, issuer, admin_level, locality, "
                          "province, issued_date, text from documents order by source_path, part")
        cols = [c[0] for c in cur.description]
        for values in cur:
            doc = dict(zip(cols, values))
            spans = _spans(con, doc["doc_id"], tables)
            total = sum(counts[t].get(doc["doc_id"], 0) for t in tables)
            page = page_name(doc["doc_id"])
            path = out / page
            path.write_text(render_page(doc, spans, total), encoding="utf-8")
            written.append(path)
            doc.pop("text")
            index.append({**doc, "page": page, "file": Path(doc["source_path"]).name,
                          **{t: counts.get(t, {}).get(doc["doc_id"], 0) for t in ("targets", "budgets", "agencies")}})
        (out / "index.html").write_text(render_index(index), encoding="utf-8")
    finally:
        con.close()
    return written
