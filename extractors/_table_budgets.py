"""Budgets read from tables: decision steps over ``doc.tables`` (``pipeline.tables``).

A table holds budgets when a unit of money is declared for it ("ĐVT: triệu đồng" above it or in its
caption, "Kinh phí (tr.đ)" in a column header). Then:

- **money cells**: the bare numbers of its money columns (a header with a budget word or a funding
  source: "Kinh phí", "Dự toán", "Ngân sách tỉnh") and of its year, phase and total columns
  ("Năm 2026", "Giai đoạn 2026-2030", "Tổng") in a row whose label names money ("Kinh phí tập
  huấn") or in any row of a table whose caption names money ("DỰ TOÁN KINH PHÍ …"), except a row
  counting something ("Số lớp tập huấn"); baseline/actual columns ("Thực hiện 2025", "Quyết toán")
  are never read;
- **per**: ``year`` for a year column, ``period`` for a phase or total column and for a money column
  (unless its header says "/năm", "hằng năm");
- **activity**: the row label; **funding_source**: the column header, else the row's source cell,
  else the headings above;
- **totals**: a total row ("Tổng cộng", "Cộng"), a total column ("Tổng"), a group row ("I", "II")
  and an activity row split into source rows ("1 | Tập huấn | 300" over "- Ngân sách tỉnh | 200",
  "- Xã hội hóa | 100", whose amounts get that source and the activity above) are rows of their own
  with ``is_total`` set: a total is an amount the plan states (and often the only one a researcher
  compares), but summing ``budgets`` must leave out ``is_total`` rows or it counts twice;
- **not budgets**: a table with a revenue row ("Tổng thu ngân sách", "Thu nội địa": a budget
  balance) or a caption about past spending ("Kết quả …", "Quyết toán …", "Cơ cấu chi …").
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import Any, Iterator

import regex

from chitieu.pipeline.evidence import span
from chitieu.pipeline.numbers import parse_digits
from chitieu.pipeline.tables import LETTERS, fold

_NUM_CELL = regex.compile(r"(?:\d{1,3}(?:\.\d{3})+|\d+)(?:,\d{1,2})?")  # "1.200", "2,5"; never "1,700"
_ROW_NO = regex.compile(r"\d{1,3}|[IVX]{1,5}", regex.I)
_GROUP = regex.compile(r"[IVX]{1,5}|[A-Z]")  # "I", "II", "A": a group of rows
_NOT_MONEY_ROLES = {"number", "label", "unit", "notes", "deadline", "lead", "coordinate", "focal", "source", "baseline"}


def _is_money_word(P, B, text: str) -> bool | None:
    """True: a budget word or a funding source; False: another kind of money; None: neither."""
    bn = B._last(P.budget_or_not, text, 0, len(text))
    if bn is not None and bn.group("no"):
        return False
    return True if (bn is not None or P.source.search(text)) else None


def _source_name(P, m) -> str | None:
    return next(P.source_names[i] for i in range(len(P.source_names)) if m.group(f"s{i}")) if m is not None else None


def _column_kinds(P, B, V, table) -> list[tuple[str | None, Any, str]]:
    """(kind, unit, header) per column: kind "money", "period" (year/phase/total) or None."""
    period_col = _period_col(B.lexicon()["table_period_columns"])
    out = []
    for c in table.columns:
        hl = " ".join(V.paren.sub(" ", c.header).split()).strip(" :")
        kind = None
        if c.money_unit is not None and c.role not in _NOT_MONEY_ROLES:
            money_word = _is_money_word(P, B, hl)
            if period_col.match(hl):
                kind = "period"
            elif money_word or (money_word is None and V.amount_column.match(fold(hl))):
                kind = "money"  # "Kinh phí", "Ngân sách tỉnh"; "Thành tiền", "Giá gói thầu" (the amount of a row)
        out.append((kind, c.money_unit, hl))
    return out


@lru_cache(maxsize=4)
def _period_col(pattern: str) -> regex.Pattern:
    return regex.compile(pattern, regex.I)


def _per(P, kind: str, hl: str, yearly: bool = False, amount: bool = False) -> str | None:
    """``year`` for a year column; ``period`` for a phase or total column; for a money column, what its
    header says ("/năm", "Tổng kinh phí"), else ``year`` in a cost table that counts per year (another
    column "Số đợt quan trắc/năm": ``yearly``), else ``period`` (a column naming the amount of its row,
    "Thành tiền", "Giá gói thầu": ``amount``, says nothing of a period: NULL)."""
    if kind == "period":
        return "year" if P.table_year.fullmatch(hl) else "period"
    b = P.per_before.search(hl)
    if b is None and not any(pat.search(hl) for _, pat in P.per_after):
        if yearly:
            return "year"
        if amount:
            return None
    per = next(P.per_before_role[i] for i in range(len(P.per_before_role)) if b.group(f"p{i}")) if b else "period"
    per = "period" if per == "total" else per  # "Tổng kinh phí" heads a money column of a plan's table
    for role, pat in P.per_after:
        if pat.search(hl):
            return role
    return per


def _not_a_budget(doc, P, B, V, table) -> bool:
    """A budget balance (a revenue row) or a table of past spending (its caption or a heading above
    it says so: "Kết quả thực hiện …", "Quyết toán …")."""
    heads = " | ".join(s.title for s in doc.ancestors(doc.section_at(table.start)))
    if V.past_caption.search(f"{table.caption} | {heads}"):
        return True
    for row in table.rows:
        lab = next((c for c in row.cells if LETTERS.search(c.text) and not _ROW_NO.fullmatch(c.text)), None)
        if lab is not None and _is_money_word(P, B, lab.text) is False:
            return True
    return False


def _row_label(cells) -> Any:
    return next((c for c in cells if LETTERS.search(c.text) and not _ROW_NO.fullmatch(c.text)), None)


def _source_rows(P, table) -> list[str | None]:
    """Per row, the funding source its label names when the row is a source line under an activity
    ("- Ngân sách tỉnh", "- Xã hội hóa"), else None."""
    out = []
    for row in table.rows:
        lab = _row_label(row.cells)
        m = P.source.match(lab.flat.lstrip("-+•* ")) if lab is not None else None
        rest = lab.flat.lstrip("-+•* ")[m.end():].strip(" :.") if m else ""
        out.append(_source_name(P, m) if m and not rest else None)
    return out


def _depth(number: str | None) -> int:
    """How deep a row number sits in an outline: "I"/"A" 0, "1" 1, "1.1" 2, "1.1.1" 3, "a" 5, "-" 6."""
    if not number:
        return 7
    if _GROUP.fullmatch(number):
        return 0
    if number[0].isdigit():
        return 1 + number.rstrip(".").count(".")
    if number[0].isalpha():
        return 5
    return 6


def _subtotals(table, sources: list[str | None]) -> set[int]:
    """Rows whose amounts sum others: group rows ("I", "II"), an activity row split into source rows, and
    a row whose next row is numbered deeper in the outline ("1" over "1.1", "a" over "-")."""
    out = {i for i, r in enumerate(table.rows) if r.number and _GROUP.fullmatch(r.number)}
    for i in range(len(table.rows) - 1):
        if sources[i] is None and sources[i + 1] is not None:
            out.add(i)
        a, b = table.rows[i].number, table.rows[i + 1].number
        if a and b and _depth(b) > _depth(a):
            out.add(i)
    return out


def _amount_of(cell) -> float | None:
    return float(parse_digits(cell.text)) if _NUM_CELL.fullmatch(cell.text) else None


def _summed_rows(table, cols) -> set[int]:
    """Numbered rows whose amount is the sum of the unnumbered rows right under them ("3 | Xây lắp bổ sung |
    2.726.353.000" over "Chi phí xây dựng | 2.596.526.852" and "Chi phí dự phòng | 129.826.343"), within
    rounding (``SUM_TOLERANCE`` of the amount): subtotals."""
    out = set()
    rows = table.rows
    money = [j for j, (kind, _, _) in enumerate(cols) if kind == "money"]
    for i, row in enumerate(rows):
        if not row.number:
            continue
        k = i + 1
        while k < len(rows) and not rows[k].number:
            k += 1
        if k - i < 3:
            continue  # fewer than two rows under it
        for j in money:
            total = _amount_of(row.cells[j])
            parts = [_amount_of(rows[q].cells[j]) for q in range(i + 1, k)]
            if total and all(p is not None for p in parts) and abs(sum(parts) - total) <= SUM_TOLERANCE * total:
                out.add(i)
    return out


SUM_TOLERANCE = 0.001  # a subtotal's parts may be rounded apart: 195 đồng in 2.726.353.000


def table_budgets(doc: Any, P: Any) -> Iterator[Any]:
    """Budget rows of every table of ``doc`` that declares a unit of money and is no budget balance or
    table of past spending."""
    from chitieu.extractors import budgets as B
    from chitieu.pipeline.tables import vocab

    V = vocab()
    for table in doc.tables:
        if not any(c.money_unit for c in table.columns):
            continue
        cols = _column_kinds(P, B, V, table)
        if any(k for k, _, _ in cols) and not _not_a_budget(doc, P, B, V, table):
            yield from _table_rows(doc, P, B, V, table, cols)


@dataclass
class _RowCtx:
    """One row of a money table and what its cells share."""
    index: int
    label: Any  # the label cell
    money: bool  # the label (or the table's caption) names money: its year and total columns hold money
    total: bool  # a total row ("Tổng cộng")
    sources: set  # the funding sources its source cells name
    source_row: str | None  # the source this row stands for under an activity ("- Ngân sách tỉnh")
    activity: str | None


def _table_rows(doc: Any, P: Any, B: Any, V: Any, table: Any, cols: list) -> Iterator[Any]:
    src_cols = [c.index for c in table.columns if c.role == "source"]
    caption_money = _is_money_word(P, B, table.caption) is True
    yearly = any(k is None and V.per_year_column.search(hl) for k, _, hl in cols)
    # what depends on the column or the table alone, read once: each money column's "per" and source
    pers = [_per(P, kind, hl, yearly, bool(V.amount_column.match(fold(hl)))) if kind else None for kind, _, hl in cols]
    header_sources = [_source_name(P, P.source.search(hl)) if kind else None for kind, _, hl in cols]
    above: list = []  # the source the headings above the table name, read when a cell first needs it
    sources = _source_rows(P, table)
    subtotals = _subtotals(table, sources) | _summed_rows(table, cols)
    activity_of_parent = None
    past = False  # under a group row of work already done ("I | Phần công việc đã thực hiện")
    for i, row in enumerate(table.rows):
        label = _row_label(row.cells)
        if label is None:
            continue
        if row.number and _GROUP.fullmatch(row.number):
            past = bool(V.past_caption.search(label.text))
        if past:
            continue
        if sources[i] is None:
            activity_of_parent = label.flat[:300]
        total = bool(V.total_row.match(" ".join(label.text.lower().split())))
        r = _RowCtx(i, label, bool(_is_money_word(P, B, label.text) or (caption_money and not V.count_row.match(label.flat))),
                    total, {sources[i]} if sources[i] is not None else
                    {_source_name(P, m) for j in src_cols for m in P.source.finditer(row.cells[j].text)},
                    sources[i], activity_of_parent if sources[i] is not None else label.flat[:300])
        for (kind, cu, hl), col, cell, per, header_source in zip(cols, table.columns, row.cells, pers, header_sources):
            value = _cell_value(doc, B, r, kind, cu, cell)
            if value is None:
                continue
            if r.total:
                activity = B._activity(doc, cell.start, "", "")
            else:
                activity = r.activity
            qs = label.start if cell.end - label.start <= 200 and label.start < cell.start else cell.start
            quote, qs, qe = span(doc, qs, cell.end)
            yield B.Budget(amount_vnd=value, amount_text=f"{cell.text} {cu[1]}", per=per,
                           funding_source=_cell_source(doc, P, B, r, header_source, table.start, above),
                           activity=activity,
                           section=table.section or None, quote=quote, char_start=qs, char_end=qe,
                           is_total=r.total or col.role == "total" or i in subtotals)


def _cell_value(doc: Any, B: Any, r: _RowCtx, kind: str | None, cu: Any, cell: Any) -> int | None:
    """The amount of a cell in đồng, or None: not a money column, not a number, a year or total column of
    a row that counts something, a number too long or too large to store (reported), zero."""
    if kind is None or not _NUM_CELL.fullmatch(cell.text):
        return None
    if kind == "period" and not r.money and r.source_row is None:
        return None  # "Năm 2026" holds money in a row "Kinh phí tập huấn", not in "Số lớp tập huấn"
    if sum(ch.isdigit() for ch in cell.text) >= B.MAX_DIGITS:
        return None  # no amount: the long-number scan of budgets.extract reports it
    value = float(parse_digits(cell.text)) * cu[0]
    if value > B.MAX_VND:
        doc.report("extract:budgets", f"amount too large to store exactly (SQLite integers are 64-bit), not a "
                                      f"row: table cell {cell.text[:24]} × {cu[1]} at {cell.start}")
        return None
    value = int(round(value))
    return value if value > 0 else None


def _cell_source(doc: Any, P: Any, B: Any, r: _RowCtx, header_source: str | None, table_start: int,
                 above: list) -> str | None:
    """The funding source of a cell: its column header's (``header_source``), else the one source its row
    names, else (a row naming none) the headings above the table (never a cell of the table taken for a
    heading: a flattened source row "- Xã hội hóa" is a list item), read once per table into ``above``."""
    if header_source is None and len(r.sources) == 1:
        return next(iter(r.sources))
    if header_source is None and not r.sources:
        if not above:
            heads = " | ".join(B._headings(doc, table_start))
            above.append(_source_name(P, B._last(P.source, heads, 0, len(heads))))
        return above[0]
    return header_source
