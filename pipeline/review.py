"""Review pages: each document's text with its extracted rows highlighted where they were read.

    chitieu review --db outputs/chitieu.db --out outputs/review

writes one HTML page per document and an ``index.html``; a researcher reads a plan with every
target, budget, agency and reporting duty marked at its words. Each highlight shows what was
read (a target's indicator, comparator, value, unit and period; a budget's amount and per; an
agency's role; a duty's frequency) and, on hover, why (section, confidence, notes). The index
is a table of documents (province, level, number, date, title, counts) that sorts on a click
and filters as you type.

Tables are drawn as tables: the text of every table that ``Document.tables`` reads
(``pipeline/tables.py``: pipe rows, one cell per line or per block) is shown as an HTML table of
its header rows, a row of column roles and its data rows, each cell the exact text of its span. A
row read from a table is marked in its cell (a target's ``table_row``/``table_col``, else the
last cell its quote reaches), with what was read on the cell and the reason on hover; the row
label its quote starts from is outlined. Lines inside a table that the reader did not take as a
row are shown as they are, marked "not read as a row".

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
from bisect import bisect_left, bisect_right
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


def _target_label(r: dict, indicator: bool = True) -> str:
    value = _num(r.get("value")) + (f"–{_num(r['value_max'])}" if r.get("value_max") is not None else "")
    sign = COMPARATOR_SIGN.get(r.get("comparator") or "", r.get("comparator") or "")
    base = f" vs {r['baseline_year']}" if r.get("baseline_year") else ""
    return " ".join(p for p in (r.get("indicator") if indicator else None, f"{sign}{value}", r.get("unit"),
                                _period(r) + base) if p)


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
# what a table cell shows of a row, where it differs from LAYERS (the row label is in the table already)
CELL_LABELS: dict[str, Callable[[dict], str]] = {"targets": lambda r: _target_label(r, indicator=False)}
# columns shown on hover: why the row was read and how sure the reader is
REASON_COLUMNS = ["section", "comparator", "confidence", "funding_source", "activity", "task", "level",
                  "successor", "is_total", "table_row", "table_col", "notes", "id"]


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
    return "\n".join(f"{c}: {r[c]}" for c in REASON_COLUMNS if r.get(c) not in (None, "")
                     and not (c == "is_total" and not r[c]))


def _spans(con: sqlite3.Connection, doc_id: str, tables: list[str] | None = None) -> list[dict]:
    """Every row of one document as a span {start, end, kind, label, cell_label, reason, id, table_row,
    table_col}, in text order (overlaps included: ``_without_overlaps`` and the tables resolve them)."""
    spans = []
    cur = con.cursor()
    cur.row_factory = sqlite3.Row
    for table in tables if tables is not None else _tables(con):
        kind, _, describe = layers()[table]
        in_cell = CELL_LABELS.get(table, describe)
        for row in cur.execute(f"select * from [{table}] where doc_id = ?", [doc_id]):
            r = dict(row)
            if r.get("char_start") is None or r.get("char_end") is None:
                continue
            detail = describe(r)
            spans.append({"start": r["char_start"], "end": r["char_end"], "kind": kind, "detail": detail,
                          "label": f"{kind}: {detail}", "cell_label": f"{kind}: {in_cell(r)}",
                          "reason": _reason(r), "id": r.get("id"),
                          "table_row": r.get("table_row"), "table_col": r.get("table_col")})
    spans.sort(key=lambda s: (s["start"], -(s["end"] - s["start"]), s["kind"]))
    return spans


def _without_overlaps(spans: list[dict]) -> list[dict]:
    """The spans drawn in running text: the earlier, then the longer one of overlapping spans."""
    kept, last_end = [], -1
    for s in sorted(spans, key=lambda s: (s["start"], -(s["end"] - s["start"]), s["kind"])):
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
table.doc{white-space:normal;margin:.2em 0 .6em;font-size:.95em}
table.doc th,table.doc td{border:1px solid #ccc;white-space:pre-wrap;cursor:auto}
table.doc tr.roles th{font-size:.7em;font-weight:normal;color:#555;background:#fafafa}
table.doc td.hit{outline:2px solid #d08c00;outline-offset:-2px}
table.doc td.from{background:#f3f3f3;font-weight:600}
table.doc tr.skip td{color:#777}table.doc .note{font-size:.7em;font-style:italic;margin-right:.5em}
table.doc caption{caption-side:bottom;font-size:.75em;color:#666;text-align:left}
"""


def _colours() -> dict[str, str]:
    return {kind: c for kind, c, _ in layers().values()}


def _mark(s: dict, inner: str, label: str, title: str, colour: dict[str, str]) -> str:
    """One highlight: an anchor named by the row id (page.html#<row id> shows that row), what was read
    on it and the reason on hover; ``inner`` is escaped HTML already."""
    anchor = f" id='{_e(s['id'])}'" if s.get("id") else ""
    return (f"<mark{anchor} class='{_e(s['kind'].lower())}' style='background:{colour.get(s['kind'], '#dddddd')}' "
            f"title='{_e(title)}'>{inner}<span class='lbl'>{_e(label)}</span></mark>")


def _prose(text: str, a: int, b: int, spans: list[dict], colour: dict[str, str]) -> tuple[str, int]:
    """``text[a:b]`` escaped, with its spans (clipped to it, overlaps left out) marked; and how many."""
    out, pos, kept = [], a, _without_overlaps([{**s, "start": max(s["start"], a), "end": min(s["end"], b)}
                                              for s in spans])
    for s in kept:
        out.append(_e(text[pos:s["start"]]))
        out.append(_mark(s, _e(text[s["start"]:s["end"]]), s["label"], s["reason"], colour))
        pos = s["end"]
    out.append(_e(text[pos:b]))
    return "".join(out), len(kept)


def _role(c: Any) -> str:
    """A column's role as the table reader gave it: "phase 2021–2025", "year 2026", "money (triệu đồng)"."""
    extra = f"{c.phase[0]}–{c.phase[1]}" if c.phase else ("≤" if c.until else "") + str(c.year or "")
    unit = f"({c.money_unit[1]})" if c.money_unit and c.role in ("money", "year", "phase", "total") else ""
    return " ".join(p for p in (c.role, extra, unit) if p)


class _TableView:
    """One table of the text drawn as an HTML table: its rows as ``Document.tables`` read them, the
    text between them that is no row, and every span placed in the cell it was read from."""

    def __init__(self, text: str, table: Any, colour: dict[str, str]):
        self.text, self.t, self.colour = text, table, colour
        self.n = len(table.columns)
        # display rows: ("head" | "data" | "skip", cells | (a, b)); cells keyed (row, col)
        self.rows: list[tuple[str, Any]] = []
        pos = table.start
        for kind, cells in [("head", r) for r in table.header_rows] + [("data", r.cells) for r in table.rows]:
            filled = [c for c in cells if c.end > c.start]
            start = min((c.start for c in filled), default=pos)
            if regex.sub(r"[\s|:+=\-]", "", text[pos:start]):
                self.rows.append(("skip", (pos, start)))
            self.rows.append((kind, cells))
            pos = max([pos] + [c.end for c in cells])
        self.cells = sorted(((c.start, c.end, i, j) for i, (k, cells) in enumerate(self.rows) if k != "skip"
                             for j, c in enumerate(cells) if c.end > c.start))
        self.starts = [c[0] for c in self.cells]
        data = [i for i, (k, _) in enumerate(self.rows) if k == "data"]
        self.data_row = {n: i for n, i in enumerate(data, 1)}  # Row.index (table_row) -> display row
        self.placed: dict[tuple[int, int], list[dict]] = {}
        self.skipped: dict[int, list[dict]] = {}
        self.source: set[tuple[int, int]] = set()
        self.unplaced = 0

    def _cell_at(self, a: int, b: int) -> tuple[int, int] | None:
        """The last cell overlapping [a, b)."""
        k = bisect_left(self.starts, b) - 1
        if k >= 0 and self.cells[k][1] > a:
            return self.cells[k][2], self.cells[k][3]
        return None

    def place(self, s: dict) -> None:
        """Put a span in its cell: a target's table_row/table_col when they name a cell its quote
        reaches, else the last cell the quote reaches; a span in no cell goes to the text between rows."""
        key = None
        if s.get("table_row") and s.get("table_col") and s["table_row"] in self.data_row:
            i = self.data_row[s["table_row"]]
            cells = self.rows[i][1]
            j = s["table_col"] - 1
            if j < len(cells) and cells[j].start < s["end"] and cells[j].end > s["start"]:
                key = (i, j)
        key = key or self._cell_at(s["start"], s["end"])
        if key is None:
            gap = next((i for i, (k, v) in enumerate(self.rows) if k == "skip" and v[0] <= s["end"] - 1 < v[1]), None)
            if gap is None:
                self.unplaced += 1
            else:
                self.skipped.setdefault(gap, []).append(s)
            return
        self.placed.setdefault(key, []).append(s)
        cell = self.rows[key[0]][1][key[1]]
        if s["start"] < cell.start:  # "label … cell": outline the row label the quote starts from
            src = self._cell_at(s["start"], s["start"] + 1)
            if src is not None and src != key:
                self.source.add(src)

    def _cell(self, i: int, j: int, tag: str) -> tuple[str, int]:
        cells = self.rows[i][1]
        if j >= len(cells):
            return f"<{tag}></{tag}>", 0
        c = cells[j]
        spans = [{**s, "start": max(s["start"], c.start), "end": min(s["end"], c.end)}
                 for s in self.placed.get((i, j), [])]
        wrapped = _without_overlaps(spans)
        ids = {id(s) for s in wrapped}
        out, pos = [], c.start
        for s in wrapped:
            out.append(_e(self.text[pos:s["start"]]))
            out.append(_mark(s, _e(self.text[s["start"]:s["end"]]), s["cell_label"],
                             s["label"] + "\n" + s["reason"], self.colour))
            pos = s["end"]
        out.append(_e(self.text[pos:c.end]))
        # rows whose words another row's mark holds already (two agencies of one cell): one label each
        out += [_mark(s, "", s["cell_label"], s["label"] + "\n" + s["reason"], self.colour)
                for s in spans if id(s) not in ids]
        cls = " ".join(k for k, on in (("hit", spans), ("from", (i, j) in self.source)) if on)
        attr = f" class='{cls}'" if cls else ""
        return f"<{tag}{attr}>{''.join(out)}</{tag}>", len(spans)

    def html(self) -> tuple[str, int]:
        out, shown = [], 0
        for i, (kind, v) in enumerate(self.rows):
            if kind == "skip":
                body, k = _prose(self.text, v[0], v[1], self.skipped.get(i, []), self.colour)
                shown += k
                out.append(f"<tr class='skip'><td colspan='{self.n}'><span class='note'>not read as a row</span>"
                           f"{body.strip()}</td></tr>")
                continue
            tag = "th" if kind == "head" else "td"
            cells = []
            for j in range(self.n):
                cell, k = self._cell(i, j, tag)
                cells.append(cell)
                shown += k
            out.append(f"<tr class='{kind}'>{''.join(cells)}</tr>")
            if kind == "head" and (i + 1 == len(self.rows) or self.rows[i + 1][0] != "head"):
                out.append("<tr class='roles'>" + "".join(f"<th>{_e(_role(c))}</th>" for c in self.t.columns)
                           + "</tr>")
        caption = (f"<caption>table read from {_e(self.t.kind)}: {len(self.t.rows)} rows × {self.n} columns"
                   f"{', years as rows' if self.t.transposed else ''}</caption>")
        return f"<table class='doc'>{caption}{''.join(out)}</table>", shown


def _document_tables(text: str) -> list[tuple[int, int, Any]]:
    """The tables of the stored text, as the extractors saw them (the same reader on the same text),
    each with the stretch of text it takes (a pipe table's outer pipes included)."""
    from chitieu.pipeline.structure import Document

    out: list[tuple[int, int, Any]] = []
    for t in Document("review", 0, 0, len(text), text).tables:
        a, b = t.start, t.end
        while a > 0 and text[a - 1] in " \t|":  # a pipe table's row opens with "| " …
            a -= 1
        while b < len(text) and text[b] in " \t|":  # … and closes with " |"
            b += 1
        if not out or a >= out[-1][1]:
            out.append((a, b, t))
    return out


def render_body(text: str, spans: list[dict]) -> tuple[str, int]:
    """The document's text as HTML: running text with its spans marked, tables as tables with their
    rows marked in their cells; and how many spans are shown. A span belongs to the table or the
    stretch of running text that holds its last character."""
    colour = _colours()
    tables = _document_tables(text)
    bounds = [a for a, _, _ in tables]
    views = [_TableView(text, t, colour) for _, _, t in tables]
    prose: list[list[dict]] = [[] for _ in range(len(tables) + 1)]
    for s in spans:
        last = max(s["end"] - 1, s["start"])
        k = bisect_right(bounds, last) - 1
        if k >= 0 and last < tables[k][1]:
            views[k].place(s)
        else:
            prose[k + 1].append(s)
    out, shown, pos = [], 0, 0
    for k in range(len(tables) + 1):
        end = tables[k][0] if k < len(tables) else len(text)
        skip = 1 if k and text[pos:pos + 1] == "\n" else 0  # the line break after a table: the table ends its line
        body, n = _prose(text, pos + skip, end, prose[k], colour)
        out.append(body)
        shown += n
        if k < len(tables):
            body, n = views[k].html()
            out.append(body)
            shown += n
            pos = tables[k][1]
    return "".join(out), shown


def render_page(doc: dict, spans: list[dict], total_rows: int) -> str:
    """One document's page: header, legend, its text with every span marked (all text escaped)."""
    body, shown = render_body(doc["text"] or "", spans)
    heading = " ".join(p for p in (doc.get("doc_number"), doc.get("title")) if p) or Path(doc["source_path"]).name
    hidden = total_rows - shown
    legend = " ".join(f"<mark style='background:{c}'>{k}</mark>" for k, c, _ in layers().values())
    facts = " · ".join(_e(p) for p in (doc.get("issuer"), doc.get("locality"), doc.get("province"),
                                        doc.get("issued_date")) if p)
    return (
        "<!DOCTYPE html><html lang='vi'><head><meta charset='utf-8'>"
        f"<title>{_e(heading)}</title><style>{STYLE}</style></head><body>"
        f"<p><a href='index.html'>← all documents</a></p><h1>{_e(heading)}</h1>"
        f"<p>{_e(Path(doc['source_path']).name)} part {_e(doc['part'])}{' · ' + facts if facts else ''}</p>"
        f"<p>{legend} — {shown} rows shown"
        + (f", {hidden} not shown (they overlap a row shown)" if hidden else "")
        + "; hover a highlight for the reason; a row read from a table is marked in its cell.</p>"
        f"<div class='text'>{body}</div></body></html>\n")


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
