"""Review pages draw tables as tables: every row chitieu read from a table is marked in the cell it
was read from, with what was read on it and why on hover; nothing of the text is lost (lines the
table reader did not take as rows are shown as such), and hostile cells are text.

The documents are the layout fixtures of tests/data/tables/ (pipe rows, one cell per line, one cell
per block) and a real table text (tests/realworld/docs/tbl_mpi_2021.txt), run through chitieu itself.
"""
from __future__ import annotations

import shutil
import sqlite3
from html.parser import HTMLParser
from pathlib import Path

import pytest

from chitieu.pipeline.review import render_body, render_reviews
from chitieu.pipeline.structure import Document

HERE = Path(__file__).parent
FIXTURES = [HERE / "data" / "tables" / f"{layout}.{form}.txt"
            for layout in ("targets_phases", "budgets_years", "agencies_tasks") for form in ("pipe", "lines", "blocks")]
REAL = HERE / "realworld" / "docs" / "tbl_mpi_2021.txt"


class Page(HTMLParser):
    """The marks of a page: for each row id, the element holding it (td, th or the text), that
    element's text, the mark's own text, its label and its title; and the tables' rows."""

    def __init__(self, page: str):
        super().__init__(convert_charrefs=True)
        self.marks: dict[str, dict] = {}
        self.cells: list[dict] = []  # every td/th: {tag, cls, text}
        self.rows: list[str] = []  # the class of every tr
        self._cell: dict | None = None
        self._mark: dict | None = None
        self._in_label = 0
        self.feed(page)

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag in ("td", "th"):
            self._cell = {"tag": tag, "cls": a.get("class") or "", "text": "", "marks": []}
            self.cells.append(self._cell)
        elif tag == "tr":
            self.rows.append(a.get("class") or "")
        elif tag == "mark" and a.get("id"):
            self._mark = {"id": a["id"], "in": self._cell, "text": "", "label": "", "title": a.get("title", "")}
            self.marks[a["id"]] = self._mark
            if self._cell is not None:
                self._cell["marks"].append(self._mark)
        elif tag == "span" and a.get("class") == "lbl":
            self._in_label += 1

    def handle_endtag(self, tag):
        if tag in ("td", "th"):
            self._cell = None
        elif tag == "mark":
            self._mark = None
        elif tag == "span" and self._in_label:
            self._in_label -= 1

    def handle_data(self, data):
        if self._in_label:
            if self._mark is not None:
                self._mark["label"] += data
            return
        if self._mark is not None:
            self._mark["text"] += data
        if self._cell is not None:
            self._cell["text"] += data


@pytest.fixture(scope="module")
def pages(tmp_path_factory):
    from chitieu.pipeline.run import extract_paths

    root = tmp_path_factory.mktemp("review_tables")
    docs = root / "docs"
    docs.mkdir()
    for p in FIXTURES + [REAL]:
        shutil.copy(p, docs / p.name)
    db = root / "t.db"
    summary = extract_paths([str(docs)], db)
    assert summary.documents == len(FIXTURES) + 1, summary.error_messages
    render_reviews(db, root / "review")
    return db, root / "review"


def _rows(con, doc_id):
    out = []
    for table in ("targets", "budgets", "agencies"):
        cols = "table_row, table_col" if table == "targets" else "null, null"
        out += [(table, *r) for r in con.execute(
            f"select id, char_start, char_end, {cols} from {table} where doc_id = ?", [doc_id])]
    return out


def _cell_of(tables, start, end, table_row, table_col):
    """The cell a row was read from: its table_row/table_col, else the cell holding its last character."""
    for t in tables:
        if not t.start <= end - 1 < t.end:
            continue
        if table_row:
            return t.rows[table_row - 1].cells[table_col - 1]
        return next(c for r in t.header_rows + [r.cells for r in t.rows] for c in r if c.start <= end - 1 < c.end)
    return None


def test_every_row_read_from_a_table_is_marked_in_its_cell(pages):
    db, out = pages
    con = sqlite3.connect(db)
    in_cells = 0
    for doc_id, source, text in con.execute("select doc_id, source_path, text from documents"):
        page = (out / f"{doc_id}.html").read_text(encoding="utf-8")
        seen = Page(page)
        rows = _rows(con, doc_id)
        assert rows, f"{source}: chitieu reads rows from this table"
        assert f"— {len(rows)} rows shown;" in page, source  # every row shown, none hidden by overlaps
        tables = Document("x", 0, 0, len(text), text).tables
        assert seen.rows.count("data") == sum(len(t.rows) for t in tables), source  # one tr per row read
        for table, row_id, start, end, trow, tcol in rows:
            mark = seen.marks[row_id]
            cell = _cell_of(tables, start, end, trow, tcol)
            assert cell is not None, (source, row_id)
            assert mark["in"] is not None and mark["in"]["tag"] == "td" and "hit" in mark["in"]["cls"], (source, row_id)
            assert mark["in"]["text"] == cell.text, (source, row_id)  # the cell shown is the exact text of the cell
            # the mark holds the row's words in the cell (all of them for a "label … cell" quote), or,
            # when another row of the same cell holds them already, only its label
            assert mark["text"] in (text[max(start, cell.start):min(end, cell.end)], ""), (source, row_id)
            assert mark["label"].startswith({"targets": "TARGET: ", "budgets": "BUDGET: ",
                                             "agencies": "AGENCY: "}[table]), (source, row_id)
            in_cells += 1
    assert in_cells >= 60


def test_a_target_cell_says_what_was_read_and_why(pages):
    db, out = pages
    con = sqlite3.connect(db)
    doc_id = con.execute("select doc_id from documents where source_path like '%targets_phases.pipe%'").fetchone()[0]
    seen = Page((out / f"{doc_id}.html").read_text(encoding="utf-8"))
    cells = {c["text"]: c for c in seen.cells}
    # row 1: TT | Tỷ lệ xã, phường … | % | Thực hiện 2020: 40 | Giai đoạn 2021 - 2025: 60 | Giai đoạn 2026 - 2030: 80
    (m60,) = cells["60"]["marks"]
    assert m60["label"] == "TARGET: ≥60 % 2021–2025"  # comparator, value, unit, period
    assert m60["title"].startswith("TARGET: other ≥60 % 2021–2025\nsection: I.2\n")  # the indicator on hover …
    assert "table_row: 1\ntable_col: 5" in m60["title"]  # … and where it was read
    assert cells["40"]["marks"] == [] and "hit" not in cells["40"]["cls"]  # a baseline column is no target
    assert "from" in cells["Tỷ lệ xã, phường có cán bộ công tác xã hội"]["cls"]  # the row label is outlined
    roles = [c["text"] for c in seen.cells if c["tag"] == "th"][6:12]
    assert roles == ["number", "label", "unit", "baseline", "phase 2021–2025", "phase 2026–2030"]


def test_two_agencies_of_one_cell_each_get_their_label(pages):
    db, out = pages
    con = sqlite3.connect(db)
    for form in ("pipe", "lines", "blocks"):
        doc_id = con.execute("select doc_id from documents where source_path like ?",
                             [f"%agencies_tasks.{form}%"]).fetchone()[0]
        seen = Page((out / f"{doc_id}.html").read_text(encoding="utf-8"))
        cell = next(c for c in seen.cells if c["text"] == "Sở Văn hóa, Thể thao và Du lịch; Báo Bắc Ninh")
        assert sorted(m["label"] for m in cell["marks"]) == [
            "AGENCY: coordinate: Báo Bắc Ninh", "AGENCY: coordinate: Sở Văn hóa, Thể thao và Du lịch"], form
        lead = next(c for c in seen.cells if c["text"] == "Sở Y tế")
        assert [m["label"] for m in lead["marks"]] == ["AGENCY: lead: Sở Y tế"], form


def test_a_budget_total_row_is_marked(pages):
    db, out = pages
    con = sqlite3.connect(db)
    doc_id = con.execute("select doc_id from documents where source_path like '%budgets_years.pipe%'").fetchone()[0]
    seen = Page((out / f"{doc_id}.html").read_text(encoding="utf-8"))
    totals = {m["label"] for m in seen.marks.values() if "is_total: 1" in m["title"]}  # marked on hover
    # the "Tổng cộng" row's year cells (per year) and the "Tổng" column (the whole period)
    assert {t.rsplit("/", 1)[1] for t in totals} == {"year", "period"}, totals


def test_lines_that_are_no_row_are_shown_not_lost():
    # the second data row has a cell too many: the reader skips it, the page still shows its words
    text = ("| STT | Chỉ tiêu | ĐVT | Năm 2030 |\n| 1 | Tỷ lệ hộ nghèo | % | 2 |\n"
            "| 2 | Tỷ lệ trẻ em | đi học | % | 99 |\n| 3 | Tỷ lệ xã | % | 80 |\nHết.")
    body, shown = render_body(text, [])
    seen = Page(body)
    assert seen.rows == ["head", "roles", "data", "skip", "data"] and shown == 0
    skipped = next(c for c in seen.cells if "not read as a row" in c["text"])
    assert "| 2 | Tỷ lệ trẻ em | đi học | % | 99 |" in skipped["text"]
    assert body.endswith("</table>Hết.")  # the text after the table follows it


def test_hostile_cells_are_text():
    text = ("| STT | Chỉ tiêu | ĐVT | Năm 2030 |\n| 1 | <img src=x onerror=alert(6)> | % | 90 |\n"
            "| 2 | <script>alert(7)</script> | '><b>x</b> | 80 |\n")
    start = text.index("<img")
    end = text.index("90 |") + 2
    span = {"start": start, "end": end, "kind": "TARGET", "label": "TARGET: <svg onload=alert(8)>",
            "cell_label": "TARGET: <svg onload=alert(8)>", "reason": "notes: '><script>alert(9)</script>",
            "id": "x' onmouseover='alert(10)", "table_row": 1, "table_col": 4}
    body, shown = render_body(text, [span])
    assert shown == 1
    for raw in ("<img", "<script", "<b>x", "<svg", "id='x' onmouseover"):
        assert raw not in body, raw
    seen = Page(body)
    (mark,) = seen.marks.values()
    assert mark["text"] == "90" and mark["in"]["tag"] == "td" and mark["label"] == "TARGET: <svg onload=alert(8)>"
    assert any(c["text"] == "<script>alert(7)</script>" for c in seen.cells)  # shown, as text
