"""Targets read from tables: decision steps over ``doc.tables`` (``pipeline.tables``).

A table is a target table when its label column is headed "Chỉ tiêu"/"Mục tiêu" (or its caption
says so, or a year/phase column opens with "Mục tiêu", "Kế hoạch", "Chỉ tiêu") and it has year or
phase columns. Then every number in a year or phase column of a row whose unit (unit column, else
the row label "Tỷ lệ … (%)", else the label column's header "Chỉ tiêu (%)") is measurable ("%", a
share "% GDP", a count noun, a rank "Thứ bậc", another short unit "Tbps"; never money) is a target,
one per ";"-separated part of a compound cell ("≤ 3 Đông Nam Á; ≤ 50 Thế giới"):

- period: a phase column gives its range; a year column gives plan start … that year (a one-year
  plan: that year; no plan period: the year alone); a year before the plan's start is a past fact;
- comparator: a sign or a cue word in the cell ("≥ 90", "Trên 90", "Khoảng 91"), else a lowering
  word in the label ("giảm", "dưới") gives at_most, else at_least for a percentage (equal for 100%)
  and equal for a count;
- baseline/actual columns ("Thực hiện 2025", "ƯTH 2025", "Ước …") are never read;
- a row restating a target of the running text (same value, unit and end year, and mostly the same
  words) is that target, not a second row;
- transposed tables (a first column "Năm" holding the years, one indicator per column) are read
  column by column;
- a task table (a lead column) gives the quantities its text cells commit to after a strong cue
  ("Ít nhất 10 cơ sở được thành lập"), ending with the row's deadline (``_task_targets``);
- target and task tables are read here only: prose targets quoted inside them are left out (``merge``).
"""
from __future__ import annotations

from functools import lru_cache
from typing import Any, Iterator

import regex

from chitieu.pipeline.numbers import parse_digits
from chitieu.pipeline.evidence import span
from chitieu.pipeline.tables import LETTERS

_NUM = r"(?:\d{1,3}(?:\.\d{3})+|\d+)(?:,\d+)?"
# one value of a cell: a cue ("Trên", "Khoảng"), a sign, a number or a range ("20% - 50%"), then words
# without a figure that qualify it ("≤ 3 Đông Nam Á", "≥ 3% và tăng dần …")
_CELL = regex.compile(
    rf"^\s*(?P<cue>(?:\p{{L}}+\s+){{0,2}}?)(?P<cmp>≥|>=|>|≤|<=|<)?\s*(?P<n>{_NUM})\s*%?"
    rf"(?:\s*(?:[-–—]|đến)\s*(?P<m>{_NUM})\s*%?)?(?P<tail>[^\d;\n]*?)\s*$",
    regex.I)
_PARTS = regex.compile(r"[^;]+")  # "≤ 3 Đông Nam Á; ≤ 50 Thế giới": one value per part
_SIGN = {"≥": "at_least", ">=": "at_least", ">": "more_than", "≤": "at_most", "<=": "at_most", "<": "less_than"}
_ACRONYM = regex.compile(r"\p{Lu}{2}")  # "GDP", "HDI": a unit kept as written
_WORDS = regex.compile(r"[\p{L}\d]+")
_PCT_AFTER = regex.compile(r"\d\s*%")


def _change_from(lx, text: str) -> str:
    """"tăng từ 8-10%": the change word without the "từ" of its range, so the cue is "tăng"."""
    m = regex.match(r"\s*(\p{L}+(?:\s+\p{L}+)?)\s+từ\s+(?=\d)", text)
    if m and " ".join(m[1].lower().split()) in lx.change_of:
        return text[:m.end(1)] + " " + text[m.end():]
    return text


def _is_target_table(V, table) -> bool:
    lab = table.columns[table.label_col].header if table.label_col is not None else ""
    if V.target_table.search(lab) or V.target_caption.search(table.caption):
        return True
    return any(V.target_column.match(c.header) for c in table.columns if c.role in ("year", "phase"))


def _row_unit(lx, V, table, row, unit_col, T) -> tuple[str, str, float] | None:
    """(unit, kind, factor) of a row: its unit cell, else its label, else the label column's header."""
    cell = row.cells[unit_col].flat if unit_col is not None else ""
    if cell:
        return _unit_cell(lx, V, cell, T)
    lab = table.label(row)
    head = table.columns[table.label_col].header if table.label_col is not None else ""
    return _label_unit(lx, V, lab.flat if lab else "", T) or _label_unit(lx, V, head, T)


def _unit_cell(lx, V, cell: str, T) -> tuple[str, str, float] | None:
    """(unit, kind, factor) of a unit cell. A share ("%", "% GDP", "%/năm") is a percentage; a count noun
    ("người", "nghìn người") a count; money ("triệu đồng", "USD") and a physical quantity ("Ha", "Tấn",
    "km", "m3": ``physical_unit``) are no target; a rank ("Thứ bậc") is
    kind ``rank`` (a bare rank is at most); any other short unit of words ("Tbps", "Người/vạn dân",
    "Tuyến cáp quang biển", "Chỉ số phát triển con người (HDI)") is a measured quantity (``measure``),
    stored as written (lower case unless it holds an acronym)."""
    if cell in ("%", "‰"):
        return cell, "pct", 1.0
    if V.share_unit.match(cell):
        return " ".join(cell.split()), "pct", 1.0
    got = _count_unit(lx, cell, T)
    if got is not None:
        return got  # "người", "nghìn người"
    if lx.money.match(cell) or V.money_unit_cell.search(cell):
        return None  # "triệu đồng", "USD/người": an amount of money, not a target
    if V.physical_unit.fullmatch(fold_unit(cell)):
        return None  # "Ha", "Tấn", "km": a planned physical quantity (an area, an output), no target
    if not V.measure_unit.fullmatch(cell):
        return None
    unit = cell if _ACRONYM.search(cell) else cell.lower()
    if V.rank_unit.fullmatch(fold_unit(cell)):
        return unit, "rank", 1.0
    return unit, "measure", 1.0


def fold_unit(cell: str) -> str:
    return " ".join(cell.lower().split())


def _comparator(lx, cell, label: str, kind: str, value: float) -> str:
    if cell["cmp"]:
        return _SIGN[cell["cmp"]]
    cue = " ".join(cell["cue"].lower().split())
    if cue in lx.cue_of:
        return lx.cue_of[cue]
    if cue in lx.change_of:
        return lx.change_of[cue]  # "Tăng 10", "Giảm 2": a change (its base year is not in the cell)
    tail = " ".join(cell["tail"].lower().split())
    for comp, words in lx.raw["comparators_after"].items():
        if any(tail.startswith(w) for w in words):
            return comp  # "90% trở lên"
    if regex.search(lx.raw["table_lowering"], label, regex.I):
        return "at_most"
    if regex.search(lx.raw["table_decrease"], label, regex.I):
        return "decrease_by"  # "Giảm tỷ lệ hộ nghèo … 4", "Mức giảm tỷ suất sinh (‰) … 2": a fall by that much
    if cell["m"] and kind != "rank":
        return "at_least"  # a bare range "13-14", "07 - 09": at least its low end, value_max its high end
    if kind == "pct" and not (value == 100 and lx.raw.get("full_value_is_equal")):
        return "at_least"
    if kind == "rank":
        return "at_most"  # "Thứ bậc | 10": within the first ten
    return "equal"


def _period(col, plan, cue) -> tuple[int | None, int | None] | None:
    """The period a year or phase column stands for; None for a year before the plan, and for a bare
    year ("2019") when the plan's period is unknown (a statistics table of past years)."""
    if col.phase:
        return col.phase
    if col.year is None:
        return None
    start = plan[0]
    if start is None and plan[1] is None and not (col.until or cue.match(col.header)):
        return None
    if start is not None and col.year < start:
        return None
    return (start if start is not None else col.year), col.year


def _restates(prose: list, value: float, unit: str, end: int | None, label: str) -> bool:
    words = {w.lower() for w in _WORDS.findall(label)}
    for t in prose:
        if t.value == value and t.unit == unit and t.period_end == end:
            tw = {w.lower() for w in _WORDS.findall(t.indicator_text)}
            if words and len(words & tw) >= 0.5 * len(words):
                return True
    return False


def _cells(table) -> Iterator[tuple[Any, Any, Any, Any]]:
    """(row, label cell, column, value cell) of every value a target table may hold; transposed
    tables are read the other way round (the column header is the label, the row holds the year)."""
    if not table.transposed:
        cols = [c for c in table.columns if c.role in ("year", "phase")]
        if not cols:
            yield from _sectioned_cells(table)
            return
        for row in table.rows:
            lab = table.label(row)
            for c in cols:
                yield row, lab, c, row.cells[c.index]
        return
    from chitieu.pipeline.tables import classify

    for row in table.rows:
        when = classify(row.cells[table.label_col].text)
        for c in table.columns:
            if c.index == table.label_col or c.role not in ("other", "label", "money", "measure"):
                continue
            col = type(c)(c.index, c.header, when.role, when.year, when.phase, when.until, None)
            yield row, None, col, row.cells[c.index]


def _sectioned_cells(table) -> Iterator[tuple[Any, Any, Any, Any]]:
    """A target table with no year or phase column ("TT | Chỉ tiêu | Đơn vị | Kết quả | Cơ quan chủ
    trì"): its one value column (``value_column`` in tables.yaml, a header without a year) is read
    under the end year its section rows state ("I | Đến năm 2030" with empty value cells), as a
    column "Đến năm 2030" would be; rows before any such section row are not read."""
    from chitieu.pipeline.tables import fold, vocab

    V = vocab()
    vals = [c for c in table.columns if c.year is None and c.phase is None and c.index != table.label_col
            and V.value_column.match(fold(c.header))]
    if len(vals) != 1:
        return
    col, year = vals[0], None
    for row in table.rows:
        lab = table.label(row)
        cell = row.cells[col.index]
        if not cell.flat.strip():
            m = V.until.search(fold(lab.flat)) if lab is not None else None
            if m is not None:
                year = int(V.year.search(m[0])[1])  # a section row: the end year of the rows under it
            continue
        if year is not None:
            yield row, lab, type(col)(col.index, col.header, "year", year, None, True, None), cell


def merge(doc: Any, lx: Any, plan: tuple, prog: Any, prose: list) -> Iterator[Any]:
    """The targets of the running text and of the tables, each once. The tables the reader reads (target
    tables and task tables) are read there only: a prose target quoted wholly inside one (a cell read by
    the sentence rules: "… | % | 20% - 50% |" as two levels, "3⏎Tổ chức …" as a count) is left out, and
    the table's reading kept; a table row restating a target of the running text is that target."""
    spans: list[tuple[int, int]] = []
    read = list(_read_tables(doc, lx, plan, prog, spans))
    kept = [p for p in prose if not any(s <= p.char_start and p.char_end <= e for s, e in spans)]
    yield from kept
    for t in read:
        if not _restates(kept, t.value, t.unit, t.period_end, t.indicator_text):
            yield t


def _read_tables(doc: Any, lx: Any, plan: tuple, prog: Any, spans: list) -> Iterator[Any]:
    """The targets of every value of every target table, and of every quantity a task table's cell
    commits to (``_task_targets``); the spans of the tables read are added to ``spans``."""
    from chitieu.pipeline.tables import vocab

    V = vocab()
    for table in doc.tables:
        if table.label_col is None:
            continue
        if not _is_target_table(V, table):
            if any(c.role == "lead" for c in table.columns):
                spans.append((table.start, table.end))
                yield from _task_targets(doc, lx, V, plan, prog, table)
            continue
        spans.append((table.start, table.end))
        unit_col = next((c.index for c in table.columns if c.role == "unit"), None)
        for row, lab, col, cell in _cells(table):
            yield from _cell_targets(doc, lx, V, plan, prog, table, unit_col, row, lab, col, cell)


def _cell_targets(doc, lx, V, plan, prog, table, unit_col, row, lab, col, cell) -> Iterator[Any]:
    """The targets one cell states: one per part of a compound cell ("≤ 3 Đông Nam Á; ≤ 50 Thế giới"),
    each with its own comparator and quote; nothing when a part is no figure (a text cell)."""
    label = lab.flat if lab is not None else col.header
    if not LETTERS.search(label) or col.role not in ("year", "phase"):
        return
    for part in _PARTS.finditer(cell.text):
        t = _part_target(doc, lx, V, plan, prog, table, unit_col, row, lab, col, cell, part)
        if t is not None:
            yield t


def _part_target(doc, lx, V, plan, prog, table, unit_col, row, lab, col, cell, part):
    """The target one value of a cell states, or None: a figure (with a comparator word or sign) in a year
    or phase column of a row whose unit is measurable (a percentage, a count, a rank, a measured unit), for
    a period not before the plan."""
    from chitieu.pipeline import programmes
    from chitieu.extractors import targets as T

    label = lab.flat if lab is not None else col.header
    text = part[0]
    comment = V.cell_comment.search(text)
    if comment is not None and comment.start() > 0 and regex.search(r"\d", text[:comment.start()]):
        text = text[:comment.start()]  # "575 (tăng 15%)": the value, without its comment
    m = _CELL.match(_change_from(lx, text))
    if m is None:
        return None
    got = _label_unit(lx, V, label, T) if table.transposed else _row_unit(lx, V, table, row, unit_col, T)
    if _PCT_AFTER.search(m[0]) and (got is None or got[1] != "pct"):
        got = "%", "pct", 1.0  # "tăng 7,4 - 8,4%" in a row without a unit, or of money ("Tổng vốn … (Tỷ đồng)")
    cue = " ".join(m["cue"].lower().split())
    if got is None or cue and cue not in lx.cue_of and cue not in lx.change_of:
        return None  # no unit that measures, or "Năm 2025: 60" / words that are no comparator
    unit, kind, factor = got
    period = _period(col, plan, V.target_column)
    value = float(parse_digits(m["n"])) * factor
    vmax = float(parse_digits(m["m"])) * factor if m["m"] else None
    if period is None or vmax is not None and vmax < value:
        return None
    comp = _comparator(lx, m, label, kind, value)
    ind_text = label[:300]
    match = programmes.score_indicator(prog, f"{ind_text} {cell.flat}{'' if kind == 'pct' else ' ' + unit}",
                                       head=ind_text, unit=unit, comparator=comp)
    ps = cell.start + part.start() + len(part[0]) - len(part[0].lstrip())
    pe = cell.start + part.start() + len(text.rstrip())
    qs0 = lab.start if lab is not None and lab.start < ps and pe - lab.start <= 300 else ps
    quote, qs, qe = span(doc, qs0, pe)
    return _cell_target(T, match, ind_text, (value, vmax, unit, comp), period, table, row, col, (quote, qs, qe), 0.9)


def _label_unit(lx, V, label: str, T) -> tuple[str, str, float] | None:
    """The unit a label states: "(‰)" (before "Tỷ lệ …", which says %), "(%)", "Tỷ lệ …", "(người)",
    "(nghìn người)" (a count of thousands)."""
    n = V.numbered_label.match(label)
    label = label[n.end() - 1:] if n else label  # "9. Tỷ lệ dân số …": the row's own number first
    if V.label_permille.search(label):
        return "‰", "pct", 1.0
    if V.label_percent.search(label):
        return "%", "pct", 1.0
    m = V.label_count.search(label)
    if m:
        return _count_unit(lx, m["u"], T)
    if V.label_rate_unit.fullmatch(label.strip()):
        return " ".join(label.lower().split()), "measure", 1.0  # "Bác sỹ/vạn dân": the label is its unit
    lead = V.label_lead_count.match(label)
    if lead:
        got = T._unit_after(lx, " " + label[lead.end():], 0)
        if got is not None and got[2] == "count":
            return got[0], got[2], 1.0  # "Phấn đấu xã đạt chuẩn …": xã
    return None


def _count_unit(lx, words: str, T) -> tuple[str, str, float] | None:
    """(unit, kind, factor) of a unit written out: a count noun, after a scale word ("nghìn người")."""
    factor, pos = 1.0, 0
    sc = lx.scale.match(words)
    if sc:
        factor, pos = lx.scale_of[" ".join(sc["s"].lower().split())], sc.end()
    rest = words[pos:]
    got = T._unit_after(lx, " " + rest, 0)
    if got is None or got[1] != len(rest) + 1 or factor != 1.0 and got[2] != "count":
        return None
    return got[0], got[2], factor


# ---- targets written in the cells of a task table --------------------------------------------
_TASK_SKIP = ("number", "lead", "coordinate", "focal", "deadline", "notes", "source", "unit")


def _task_targets(doc, lx, V, plan, prog, table) -> Iterator[Any]:
    """A task table ("Nhiệm vụ | Cơ quan chủ trì | Cơ quan phối hợp | Kết quả | Thời gian") states targets
    inside its text cells: a quantity right after a strong cue ("Bố trí ít nhất 15% ngân sách …", "Ít
    nhất 10 cơ sở được thành lập"), a percentage or a count noun, is a target of the row's task. Its period
    ends with the row's deadline cell when that names a year ("2030", "12/2025"), else ("Hằng năm",
    "Thường xuyên", empty) with the plan; a deadline before the plan's start is a past fact."""
    from chitieu.extractors import targets as T

    cue_re = _strong_cue(T._alt(lx.raw["strong_cues"]))
    dead = next((c.index for c in table.columns if c.role == "deadline"), None)
    for row in table.rows:
        lab = table.label(row)
        end = _deadline_year(V, row.cells[dead].text if dead is not None else "") or plan[1]
        if lab is None or end is None or plan[0] is not None and end < plan[0]:
            continue
        for col in table.columns:
            cell = row.cells[col.index]
            if col.role in _TASK_SKIP or cell.end <= cell.start:
                continue
            for m in cue_re.finditer(cell.text):
                t = _task_target(doc, lx, T, prog, table, row, lab, col, cell, m, (plan[0], end))
                if t is not None:
                    yield t


@lru_cache(maxsize=4)
def _strong_cue(alt: str) -> regex.Pattern:
    """A quantity right after a strong cue (``alt``: the cues' alternation, ``targets._alt``)."""
    return regex.compile(rf"(?<!\p{{L}})(?P<cue>{alt})\s+(?P<n>{_NUM})(?![\d.,]*\d)", regex.I)


def _deadline_year(V, text: str) -> int | None:
    years = [int(y) for y in V.year.findall(text)]
    return max(years) if years else None


def _task_target(doc, lx, T, prog, table, row, lab, col, cell, m, period):
    from chitieu.pipeline import programmes

    after = cell.text[m.end():]
    if after.lstrip().startswith("%"):
        unit, kind = "%", "pct"
    else:
        got = T._unit_after(lx, after, 0)
        if got is None or got[2] != "count":
            return None  # "ít nhất 2 lần/năm" is read by the sentence rules; a bare number is no target
        unit, kind = got[0], "count"
    cue = " ".join(m["cue"].lower().split())
    comp = lx.cue_of.get(cue, "at_least" if kind == "pct" else "equal")
    value = float(parse_digits(m["n"]))
    label = lab.flat[:300]
    match = programmes.score_indicator(prog, f"{label} {m[0]}", head=label, unit=unit, comparator=comp)
    a = cell.start + max(0, m.start() - 150) if cell.end - cell.start > 300 else cell.start
    b = min(cell.end, cell.start + m.end() + 150)
    quote, qs, qe = span(doc, a, b)
    return _cell_target(T, match, label, (value, None, unit, comp), period, table, row, col, (quote, qs, qe), 0.8)


def _cell_target(T, match, ind_text: str, level: tuple, period: tuple, table, row, col, evidence: tuple,
                 confidence: float):
    """The target row of one table cell: ``level`` (value, value_max, unit, comparator), ``evidence``
    (quote, start, end); a table cell states no baseline year."""
    value, vmax, unit, comp = level
    quote, qs, qe = evidence
    return T.Target(
        indicator=match.indicator, indicator_text=ind_text, value=value, value_max=vmax, unit=unit,
        comparator=comp, baseline_year=None, period_start=period[0], period_end=period[1],
        section=table.section, quote=quote, char_start=qs, char_end=qe, confidence=confidence,
        notes=(match.note or None) if match.indicator == "other" and match.best else None,
        table_row=row.index, table_col=col.index + 1,
    )
