"""Review pages: each document's text with its extracted spans highlighted (spaCy displaCy).

    chitieu review --db outputs/chitieu.db --out outputs/review

writes one HTML page per document and an ``index.html``; a researcher reads a plan with every
target, budget, agency and reporting duty marked where it was found. displaCy's manual mode
needs no language model. Overlapping spans are shown once (the earlier, then longer one).
"""
from __future__ import annotations

import html
import sqlite3
from pathlib import Path

# table -> (label, colour, column whose value refines the label)
LAYERS = {
    "targets": ("TARGET", "#ffd166", "indicator"),
    "budgets": ("BUDGET", "#06d6a0", "per"),
    "agencies": ("AGENCY", "#8ecae6", "role"),
    "reporting": ("REPORT", "#e5b3fe", None),
}


_COLOR_OF_LABEL = {label: colour for label, colour, _ in LAYERS.values()}


def _queries(con: sqlite3.Connection) -> list[tuple[str, str, bool]]:
    """(label, SQL, has detail column) for each layer table present in the database."""
    tables = {r[0] for r in con.execute("select name from sqlite_master where type='table'")}
    out = []
    for table, (label, _, detail) in LAYERS.items():
        if table in tables:
            cols = {r[1] for r in con.execute(f"pragma table_info([{table}])")}
            detail = detail if detail in cols else None
            out.append((label, f"select char_start, char_end{', ' + detail if detail else ''} "
                                f"from [{table}] where doc_id = ?", detail is not None))
    return out


def _spans(con: sqlite3.Connection, doc_id: str, queries: list[tuple[str, str, bool]] | None = None) -> list[dict]:
    spans = []
    for label, sql, has_detail in queries if queries is not None else _queries(con):
        for row in con.execute(sql, [doc_id]):
            tag = f"{label}:{row[2]}" if has_detail and row[2] else label
            spans.append({"start": row[0], "end": row[1], "label": tag})
    spans.sort(key=lambda s: (s["start"], -(s["end"] - s["start"])))
    kept, last_end = [], -1
    for s in spans:
        if s["start"] >= last_end:
            kept.append(s)
            last_end = s["end"]
    return kept


def render_reviews(db_path: str | Path, out_dir: str | Path) -> list[Path]:
    from spacy import displacy

    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    con = sqlite3.connect(str(db_path))
    colors = {}
    written = []
    queries = _queries(con)
    index = ["<html><head><meta charset='utf-8'><title>chitieu review</title></head><body><h1>Documents</h1><ul>"]
    for doc_id, source, part, number, title, text in con.execute(
            "select doc_id, source_path, part, doc_number, title, text from documents order by source_path, part"):
        spans = _spans(con, doc_id, queries)
        for s in spans:
            colors[s["label"]] = _COLOR_OF_LABEL.get(s["label"].split(":")[0], "#ddd")
        page = displacy.render({"text": text, "ents": spans, "title": f"{number or ''} {title or ''}"},
                               style="ent", manual=True, page=True, minify=True,
                               options={"colors": colors})
        path = out / f"{doc_id}.html"
        path.write_text(page, encoding="utf-8")
        written.append(path)
        index.append(f"<li><a href='{doc_id}.html'>{html.escape(Path(source).name)} part {part}: "
                     f"{html.escape(number or '')} {html.escape((title or '')[:120])}</a> ({len(spans)} spans)</li>")
    index.append("</ul></body></html>")
    (out / "index.html").write_text("\n".join(index), encoding="utf-8")
    con.close()
    return written
