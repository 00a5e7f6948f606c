"""Tables: the rows, cells and column roles of every table of a document, with offsets.

``find_tables(doc)`` (``Document.tables``, computed once and lazily) reads two layouts:

- **pipe rows** ``| a | b |``: a block of consecutive lines with at least two pipes; separator
  lines ``|---|`` are dropped. The leading rows that hold no data are header rows (merged
  header cells are spread: an empty upper cell takes its left neighbour's text).
- **flattened tables**, one cell per line, or one cell per block of lines when blank lines
  separate the cells: a line that is a header cell (``STT``, ``Chỉ tiêu``, ``Nội dung`` …) starts
  a run of header cells, which gives the number of columns; then rows are read that many cells at
  a time, each starting with its row number (``1``, ``2`` …, ``I``, a total row) or, without a
  number column, with a numbered label (``1. Tỷ lệ …``). A row that does not end where the next
  row starts is skipped, never read shifted.

Each column gets a role from ``corpora/lexicons/tables.yaml`` (number, label, unit, year, phase,
baseline, total, money, lead, coordinate, focal, deadline, source, notes, other), a year or a phase
range when its header names one, and the unit of money declared for it (in its header
"Kinh phí (tr.đ)", in the caption or a line above "ĐVT: triệu đồng"). Every cell is a span of
``doc.text``: ``doc.text[cell.start:cell.end] == cell.text``.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import Any, Iterator

import regex
from chitieu.pipeline.corpus import corpus_data
from chitieu.pipeline.patterns import lazy_compile, line_start_compile

from chitieu.pipeline.data import corpus_path

LEXICON = corpus_path("lexicons/tables.yaml")
_DASHES = regex.compile("[‐‑‒–—―−]")
_SEPARATOR_ROW = regex.compile(r"[\s|:+=-]*")
LETTERS = regex.compile(r"\p{L}{2}")  # a cell with words in it
_NUMBER = regex.compile(r"[<>≤≥]?\s*(?:\d{1,3}(?:[.,]\d{3})+|\d+)(?:[.,]\d+)?\s*%?")


@dataclass
class Cell:
    start: int
    end: int
    text: str  # doc.text[start:end]

    @property
    def flat(self) -> str:
        """The text on one line, spaces collapsed."""
        return " ".join(self.text.split())


@dataclass
class Column:
    index: int
    header: str  # the header text of the column (header rows joined), spaces collapsed
    role: str  # number | label | unit | year | phase | baseline | total | money | lead | coordinate | ...
    year: int | None = None  # "Năm 2027" -> 2027 (also the end year of "Đến năm 2030")
    phase: tuple[int, int] | None = None  # "Giai đoạn 2021 - 2025" -> (2021, 2025)
    until: bool = False  # "Đến năm 2030": an end year
    money_unit: tuple[int, str] | None = None  # (multiplier, name) of its amounts


@dataclass
class Row:
    index: int  # 1-based position among the data rows
    cells: list[Cell]
    number: str | None = None  # the row number as written ("1", "II"), if any

    @property
    def start(self) -> int:
        return min(c.start for c in self.cells if c.end > c.start) if any(c.end > c.start for c in self.cells) \
            else self.cells[0].start

    @property
    def end(self) -> int:
        return max(c.end for c in self.cells)


@dataclass
class Table:
    kind: str  # "pipe" | "lines" | "blocks"
    start: int
    end: int
    header_rows: list[list[Cell]]
    columns: list[Column]
    rows: list[Row]
    caption: str  # the lines just above the table (title, "ĐVT: triệu đồng")
    section: str | None  # label of the section holding it
    money_unit: tuple[int, str] | None = None  # declared in the caption or a line above
    transposed: bool = False  # years as rows, indicators as columns
    label_col: int | None = None

    def role_columns(self, *roles: str) -> list[Column]:
        return [c for c in self.columns if c.role in roles]

    def label(self, row: Row) -> Cell | None:
        """The row's label cell (its indicator, activity or task)."""
        if self.label_col is not None and self.label_col < len(row.cells):
            return row.cells[self.label_col]
        return None


# ---- vocabulary ---------------------------------------------------------------------------
@dataclass
class _Vocab:
    raw: dict
    roles: list[tuple[str, regex.Pattern]]
    baseline: regex.Pattern
    target_head: regex.Pattern
    year: regex.Pattern
    phase: regex.Pattern
    until: regex.Pattern
    value_column: regex.Pattern
    header_start: regex.Pattern
    total_row: regex.Pattern
    group_number: regex.Pattern
    row_number: regex.Pattern
    numbered_label: regex.Pattern
    transposed_label: regex.Pattern
    measure: regex.Pattern
    table_end: regex.Pattern
    target_table: regex.Pattern
    target_caption: regex.Pattern
    target_column: regex.Pattern
    label_percent: regex.Pattern
    label_permille: regex.Pattern
    label_count: regex.Pattern
    sub_row: regex.Pattern
    sub_row_only: regex.Pattern
    past_caption: regex.Pattern
    count_row: regex.Pattern
    line_decl: regex.Pattern
    column_code: regex.Pattern
    paren: regex.Pattern
    units: dict[str, int]
    share_unit: regex.Pattern
    money_unit_cell: regex.Pattern
    measure_unit: regex.Pattern
    rank_unit: regex.Pattern
    physical_unit: regex.Pattern
    estimate_head: regex.Pattern
    caption_date: regex.Pattern
    label_rate_unit: regex.Pattern
    label_lead_count: regex.Pattern
    cell_comment: regex.Pattern
    amount_column: regex.Pattern
    per_year_column: regex.Pattern


def _phrases(words) -> str:
    return "|".join(r"\s+".join(regex.escape(p) for p in w.split()) for w in sorted(words, key=len, reverse=True))


# tables.yaml patterns compiled as written, each into the vocabulary field of its name (``_RENAMED``:
# the fields named otherwise); case-insensitive unless in ``_CASED``
_PATTERN_KEYS = (
    "baseline_anywhere", "target_head", "year_re", "phase_re", "until_re", "value_column", "total_row",
    "group_row_number", "row_number", "numbered_label", "transposed_label", "table_end", "target_table",
    "target_caption", "target_column", "label_percent", "label_permille", "sub_row", "sub_row_only", "label_count",
    "past_caption", "count_row", "column_code", "share_unit", "money_unit_cell", "measure_unit", "rank_unit",
    "physical_unit", "estimate_head", "caption_date", "label_rate_unit", "label_lead_count", "cell_comment",
    "amount_column", "per_year_column",
)
_RENAMED = {"baseline_anywhere": "baseline", "year_re": "year", "phase_re": "phase", "until_re": "until",
            "group_row_number": "group_number"}
_CASED = {"year_re", "phase_re", "group_row_number", "row_number", "numbered_label", "column_code", "caption_date",
          "cell_comment"}


@lru_cache(maxsize=1)
def vocab() -> _Vocab:
    raw = corpus_data("lexicons/tables.yaml")
    roles = [(k, lazy_compile(v, regex.I)) for k, v in raw["roles"].items()]
    starts = "|".join(f"(?:{raw['roles'][r]})" for r in raw["header_start"])
    units = {" ".join(k.lower().split()): v for k, v in raw["money_units"].items()}
    u_alt, lab = _phrases(units), _phrases(raw["unit_labels"])
    return _Vocab(
        raw, roles,
        **{_RENAMED.get(key, key): lazy_compile(raw[key], 0 if key in _CASED else regex.I) for key in _PATTERN_KEYS},
        header_start=line_start_compile(rf"^[ \t]*(?:{starts})[^\n|]{{0,{raw['max_header_cell']}}}$", regex.I | regex.M),
        measure=lazy_compile(f"(?:{raw['label_percent']})|(?:{raw['label_count']})", regex.I),
        line_decl=lazy_compile(rf"^\s*[(\[]?\s*(?:{lab})\s*[:-]\s*(?P<u>{u_alt})\s*[)\]]?\s*[.:]?\s*$", regex.I),
        paren=lazy_compile(rf"\(\s*(?:(?:{lab})\s*:\s*)?(?P<u>{u_alt})\s*\)", regex.I),
        units=units,
    )


def fold(s: str) -> str:
    return " ".join(_DASHES.sub("-", s).lower().split())


def money_unit_in(text: str) -> tuple[int, str] | None:
    """The unit of money a caption line or a header declares ("ĐVT: triệu đồng", "(tr.đ)")."""
    V = vocab()
    m = V.line_decl.match(text) or V.paren.search(text)
    if m is None:
        return None
    name = " ".join(m.group("u").lower().split())
    return V.units[name], name


def classify(header: str) -> Column:
    """A column's role, year and phase from its header text."""
    role, year, phase, until = _classify(header)
    return Column(0, " ".join(header.split()), role, year, phase, until)


@lru_cache(maxsize=4096)
def _classify(header: str) -> tuple[str, int | None, tuple[int, int] | None, bool]:
    col = _classify_uncached(header)
    return col.role, col.year, col.phase, col.until


def _classify_uncached(header: str) -> Column:
    V = vocab()
    h = fold(header).strip(" :")
    col = Column(0, " ".join(header.split()), "other")
    if not h:
        return col
    for role, pat in V.roles:
        if role in ("label", "money", "total"):
            continue
        if pat.match(h):
            col.role = role
            return col
    ph = V.phase.search(h)
    if V.baseline.search(h) and not V.target_head.match(h):
        col.role = "baseline"
    elif dict(V.roles)["total"].match(h):
        col.role = "total"
    elif ph and int(ph[1]) <= int(ph[2]) <= int(ph[1]) + 30:
        col.role, col.phase = "phase", (int(ph[1]), int(ph[2]))
    elif len({y for y in V.year.findall(h)}) == 1:
        col.role, col.year = "year", int(V.year.search(h)[1])
        col.until = bool(V.until.search(h))
    elif dict(V.roles)["money"].match(h):
        col.role = "money"
    elif dict(V.roles)["label"].match(h):
        col.role = "label"
    elif money_unit_in(header):
        col.role = "money"  # "Xã hội hóa (triệu đồng)"
    elif V.measure.search(h):
        col.role = "measure"  # "Tỷ lệ xã có điểm tư vấn (%)": an indicator heading a column
    if col.role in ("total",) and ph:
        col.phase = (int(ph[1]), int(ph[2]))
    return col


def _is_header_cell(text: str) -> bool:
    """A cell that can head a column: short, no number, no sentence ("Năm 2025, tỷ lệ … 2%."), a role."""
    V = vocab()
    t = text.strip()
    if not t or len(t) > V.raw["max_header_cell"] or _NUMBER.fullmatch(t):
        return False
    role = _classify(text)[0]
    return role != "other" and (role == "number" or t[-1] not in ".;")


# ---- pipe tables ---------------------------------------------------------------------------
def pipe_cells(line: str, offset: int) -> list[Cell]:
    """Cells of a pipe-table row, offsets in the document (``offset`` is where ``line`` starts);
    the empty cells outside the first and last pipe are dropped."""
    cells, pos = [], 0
    for seg in line.split("|"):
        st = seg.strip()
        lead = len(seg) - len(seg.lstrip())
        cells.append(Cell(offset + pos + lead, offset + pos + lead + len(st), st))
        pos += len(seg) + 1
    if line.lstrip().startswith("|"):
        cells = cells[1:]
    if line.rstrip().endswith("|"):
        cells = cells[:-1]
    return cells


def _is_data_row(cells: list[Cell]) -> bool:
    """A row holding data: a row number first, or a number that is no year in a cell."""
    V = vocab()
    if not cells:
        return False
    first = cells[0].text.strip()
    if first and (V.row_number.fullmatch(first) or V.group_number.fullmatch(first)):
        return True
    for c in cells:
        t = c.text.strip()
        if t and _NUMBER.fullmatch(t) and not (V.year.fullmatch(t)):
            return True
    return False


def _pipe_tables(doc: Any) -> Iterator[Table]:
    lines = list(doc.lines())
    i = 0
    while i < len(lines):
        if lines[i][2].count("|") < 2:
            i += 1
            continue
        j = i
        while j < len(lines) and lines[j][2].count("|") >= 2:
            j += 1
        rows = [pipe_cells(ln, ls) for ls, _, ln in lines[i:j] if not _SEPARATOR_ROW.fullmatch(ln)]
        table = _build(doc, "pipe", rows, lines, i) if rows else None
        if table is not None:
            yield table
        i = j


def _build(doc: Any, kind: str, rows: list[list[Cell]], lines, first_line: int) -> Table | None:
    rows = [r for r in rows if not _is_code_row(r)]
    if not rows:
        return None
    header = [rows[0]]
    k = 1
    while k < min(len(rows), 3) and not _is_data_row(rows[k]) \
            and all(not c.text or _is_header_cell(c.text) for c in rows[k]) and any(c.text for c in rows[k]):
        header.append(rows[k])
        k += 1
    n = _data_width(rows[k:], len(rows[0]))
    written = header
    header = [_trim(r, n) for r in header]
    if any(len(r) != n for r in header):
        merged = _span_header(header, n)
        if merged is None:  # the header cannot be laid over the data rows: read with the first row's width
            n = len(rows[0])
            header = [r for r in written if len(r) == n]
            texts, lowest = _spread(header, n)
        else:
            texts, lowest = merged
    else:
        texts, lowest = _spread(header, n)
    if n < 2:
        return None
    roles = [_classify(lo if lo and lo != t and _classify(lo)[0] != "other" else t)[0]
             for t, lo in zip(texts, lowest)]
    data = []
    for r in rows[k:]:
        if len(r) == n - 1 and vocab().total_row.match(fold(r[0].text)):
            r = [Cell(r[0].start, r[0].start, "")] + r  # "Tổng cộng" spans the number column
        elif len(r) != n:
            r = _fit_narrow(r, n, roles)
        if r is not None and len(r) == n:
            data.append(r)
    return _table(doc, kind, header, texts, data, _caption_lines(doc, lines, first_line), lowest)


def _is_code_row(cells: list[Cell]) -> bool:
    """A row numbering the columns ("1 | 2 | 3 | … | 11", "A | B | 1 | 2 | 4=3/2"): no data, no header."""
    V = vocab()
    texts = [c.text.strip() for c in cells if c.text.strip()]
    if len(texts) < 3 or not all(V.column_code.fullmatch(t) for t in texts):
        return False
    nums = [int(regex.match(r"\d+", t)[0]) for t in texts if t[0].isdigit()]
    return len(nums) >= 2 and all(b == a + 1 for a, b in zip(nums, nums[1:]))


def _data_width(rows: list[list[Cell]], default: int) -> int:
    """The number of columns: the commonest width of the data rows (rows of a merged header, group rows
    whose label spans columns are narrower), else the first row's."""
    from collections import Counter
    widths = Counter(len(r) for r in rows if _is_data_row(r))
    if not widths:
        return default
    best = max(widths.values())
    return max(w for w, c in widths.items() if c == best)


def _trim(row: list[Cell], n: int) -> list[Cell]:
    """A header row that is not ``n`` cells wide, without its empty cells at the end (the close of a
    flattened row, a cell of no column)."""
    if len(row) == n:
        return row
    while row and not row[-1].text.strip():
        row = row[:-1]
    return row


_TRAILING_TEXT = ("notes", "deadline", "lead", "coordinate", "focal", "source")  # text columns after the data


def _span_header(header: list[list[Cell]], n: int) -> tuple[list[str], list[str]] | None:
    """Header texts for ``n`` columns when an upper header cell spans several lower ones ("GIAI ĐOẠN
    2026 - 2030" over "Năm 2026 … Năm 2030", "Kế hoạch 2026" over "Lượng (Tấn) | Giá trị (Nghìn USD)"):
    the upper row has r cells standing for one column each and s cells spanning the w cells of the row
    below, w / s each. The spanning cell is a phase cell holding the years below it, else the last s
    cells before the trailing text columns (notes, deadline, agencies). None when it does not fit."""
    if not header or len(header[0]) > n:
        return None
    grid = [[c.text for c in header[0]]]
    for lower in header[1:]:
        upper = grid[-1]
        w = len(lower)
        r = n - w
        s = len(upper) - r
        if len(upper) == n and w == n:
            grid.append([c.text for c in lower])
            continue
        if s < 1 or w % s or r < 0:
            return None
        V = vocab()
        years = {int(y) for c in lower for y in V.year.findall(c.text)}
        spanning = [j for j, t in enumerate(upper) if (ph := V.phase.search(t)) and years
                    and all(int(ph[1]) <= y <= int(ph[2]) for y in years)]
        if len(spanning) != s:
            end = len(upper)
            while end > 0 and _classify(upper[end - 1])[0] in _TRAILING_TEXT:
                end -= 1
            spanning = list(range(end - s, end))
            if spanning[0] < 0:
                return None
        top, below, q = [], [], 0
        for j, t in enumerate(upper):
            if j in spanning:
                for _ in range(w // s):
                    top.append(t)
                    below.append(lower[q].text)
                    q += 1
            else:
                top.append(t)
                below.append("")
        grid[-1] = top
        grid.append(below)
    if any(len(row) != n for row in grid):
        return None
    joined = [" ".join(" ".join(grid[x][j] for x in range(len(grid))).split()) for j in range(n)]
    lowest = [next((grid[x][j] for x in reversed(range(len(grid))) if grid[x][j].strip()), "") for j in range(n)]
    return joined, lowest


_FIGURE_ROLES = ("year", "phase", "baseline", "total", "money", "measure", "rate")
_TEXT_ROLES = ("label", "notes", "deadline", "lead", "coordinate", "focal", "source", "unit")


def _fit_score(cells: list[Cell], roles: list[str]) -> int:
    """How well cells sit in their columns: a figure in a column of figures, words in a column of text."""
    score = 0
    for c, role in zip(cells, roles):
        t = c.text.strip()
        if not t:
            continue
        figure = bool(_NUMBER.fullmatch(t))
        if role in _FIGURE_ROLES:
            score += 1 if figure else -1
        elif role in _TEXT_ROLES or role == "number":
            score += -1 if figure != (role == "number") else 1
    return score


def _fit_narrow(row: list[Cell], n: int, roles: list[str]) -> list[Cell] | None:
    """A row narrower than the table, read without shifting a figure into another column: its label
    cell is put under the label column (a label spanning the number column "Tổng I + II"), then the
    cells after it either follow it (merged cells at the end of the row: "I | Phần công việc … | 172.005.118
    | Ngân sách trung ương") or sit on the last columns before the trailing text columns (a label spanning
    the columns of quantities: "I | Quan trắc … | 1.364.329.243", "Tổng I + II | | 240.000 | | 270.000"),
    whichever puts figures in columns of figures and words in columns of text (``_fit_score``); its empty
    cells at the end are dropped. None when the cells do not fit."""
    cells = list(row)
    while cells and not cells[-1].text.strip():
        cells.pop()
    if not cells:
        return None
    V = vocab()
    lab = next((j for j, c in enumerate(cells) if LETTERS.search(c.text) and not _NUMBER.fullmatch(c.text.strip())
                and not V.group_number.fullmatch(c.text.strip())), None)
    label_col = next((j for j, r in enumerate(roles) if r == "label"), None)
    if lab is None:
        return None
    if label_col is None:
        label_col = lab
    if lab > label_col:
        return None
    head = [Cell(cells[0].start, cells[0].start, "")] * (label_col - lab) + cells[:lab + 1]
    rest = cells[lab + 1:]
    end = n
    while end > label_col + 1 and roles[end - 1] in _TRAILING_TEXT:
        end -= 1
    pos = head[-1].end
    tail_pos = rest[-1].end if rest else pos
    options = []
    if label_col + 1 + len(rest) <= end:  # right: before the trailing text columns
        pad = [Cell(pos, pos, "")] * (end - label_col - 1 - len(rest))
        options.append(head + pad + rest + [Cell(tail_pos, tail_pos, "")] * (n - end))
    if label_col + 1 + len(rest) <= n:  # left: right after the label
        options.insert(0, head + rest + [Cell(tail_pos, tail_pos, "")] * (n - label_col - 1 - len(rest)))
    options = [o for o in options if len(o) == n]
    if not options:
        return None
    return max(reversed(options), key=lambda o: _fit_score(o, roles))


def _spread(header: list[list[Cell]], n: int) -> tuple[list[str], list[str]]:
    """One header text per column, and its lowest non-empty header cell; an empty cell of an upper
    header row takes its left neighbour's text when a lower row names the column (a merged cell)."""
    grid = [[c.text for c in r] for r in header]
    for r in range(len(grid) - 1):
        for j in range(1, n):
            if not grid[r][j].strip() and any(grid[q][j].strip() for q in range(r + 1, len(grid))):
                grid[r][j] = grid[r][j - 1]
    joined = [" ".join(" ".join(grid[r][j] for r in range(len(grid))).split()) for j in range(n)]
    lowest = [next((grid[r][j] for r in reversed(range(len(grid))) if grid[r][j].strip()), "") for j in range(n)]
    return joined, lowest


def _caption_lines(doc: Any, lines, first_line: int) -> list[str]:
    above = [ln for _, _, ln in lines[max(0, first_line - 4):first_line] if ln.strip()]
    return above[-2:]


def _table(doc: Any, kind: str, header: list[list[Cell]], texts: list[str], data: list[list[Cell]],
           caption: list[str], lowest: list[str] | None = None) -> Table:
    V = vocab()
    unit = None
    for ln in reversed(caption):
        unit = money_unit_in(ln)
        if unit is not None:
            break
    cols = []
    for j, t in enumerate(texts):
        c = classify(lowest[j]) if lowest and lowest[j] != t else classify(t)
        if c.role == "other" or c.role == "measure" and classify(t).role in ("year", "phase"):
            c = classify(t)  # "Kế hoạch 2026" over "Lượng (Tấn)": a year column
        c.header = t
        c.index = j
        c.money_unit = money_unit_in(t) or unit
        cols.append(c)
    _forecasts(doc, cols, "\n".join(caption))
    label_col = next((c.index for c in cols if c.role == "label"), None)
    if label_col is None:
        label_col = next((c.index for c in cols if c.role == "other" and any(
            LETTERS.search(r[c.index].text) for r in data)), None)
    rows = []
    for r in data:
        first = r[0].text.strip()
        num = first if cols[0].role == "number" and first else None
        rows.append(Row(len(rows) + 1, r, num))
    start = min(c.start for c in header[0])
    end = max((rw.end for rw in rows), default=max(c.end for c in header[-1]))
    transposed = label_col is not None and bool(V.transposed_label.match(fold(texts[label_col]))) and any(
        V.year.search(r.cells[label_col].text) for r in rows)
    return Table(kind, start, end, header, cols, rows, "\n".join(caption), doc.section_label(start), unit,
                 transposed, label_col)


def _forecasts(doc: Any, cols: list[Column], caption: str) -> None:
    """An estimate column for a year the table is dated before ("Ước TH năm 2021" in a report of
    04/12/2020) holds the figures to reach that year, not results: it becomes a year column. The date is
    the caption's (``caption_date``), else the document's issue date."""
    V = vocab()
    est = [c for c in cols if c.role == "baseline" and V.estimate_head.search(fold(c.header))]
    if not est:
        return
    years = [int(y) for y in V.caption_date.findall(caption)]
    issued = getattr(getattr(doc, "meta", None), "issued_date", None)
    dated = max(years) if years else (int(str(issued)[:4]) if issued and str(issued)[:4].isdigit() else None)
    if dated is None:
        return
    for c in est:
        ys = {int(y) for y in V.year.findall(c.header)}
        if len(ys) == 1 and dated < min(ys):
            c.role, c.year = "year", min(ys)


# ---- flattened tables ----------------------------------------------------------------------
class _Cells:
    """The cells after a header line, read lazily: one per line, or one per block of lines when
    blank lines separate them. Reading stops at a blank line (line mode), a pipe row, or a cell
    too long to be one."""

    def __init__(self, doc: Any, line_no: int, blocks: bool):
        self.doc, self.i, self.blocks, self.cells, self.done = doc, line_no, blocks, [], False
        self.starts = doc.line_starts
        self.max = vocab().raw["max_cell"]

    def _line(self, i: int) -> tuple[int, int, str]:
        s = self.starts[i]
        e = self.starts[i + 1] - 1 if i + 1 < len(self.starts) else len(self.doc.text)
        return s, e, self.doc.text[s:e]

    def _next(self) -> Cell | None:
        n = len(self.starts)
        if self.blocks:
            while self.i < n and not self._line(self.i)[2].strip():
                self.i += 1
            if self.i >= n:
                return None
            s, e, ln = self._line(self.i)
            first = s + len(ln) - len(ln.lstrip())
            last = e
            while self.i < n:
                s, e, ln = self._line(self.i)
                if not ln.strip():
                    break
                last = s + len(ln.rstrip())
                self.i += 1
        else:
            if self.i >= n:
                return None
            s, e, ln = self._line(self.i)
            if not ln.strip():
                return None
            first, last = s + len(ln) - len(ln.lstrip()), s + len(ln.rstrip())
            self.i += 1
        text = self.doc.text[first:last]
        if "|" in text or last - first > self.max:
            return None
        return Cell(first, last, text)

    def get(self, k: int) -> Cell | None:
        while len(self.cells) <= k and not self.done:
            c = self._next()
            if c is None:
                self.done = True
                break
            self.cells.append(c)
        return self.cells[k] if k < len(self.cells) else None


def _flat_tables(doc: Any, taken: list[tuple[int, int]]) -> Iterator[Table]:
    """Flattened tables starting at header-cell lines outside the pipe tables ``taken`` (sorted)."""
    V = vocab()
    text = doc.text
    lines = None
    skip_to = 0  # candidates before this offset lie inside a table (or a run of header-like lines) already read
    k = 0
    for m in V.header_start.finditer(text):
        if m.start() < skip_to:
            continue
        while k < len(taken) and taken[k][1] <= m.start():
            k += 1
        if k < len(taken) and taken[k][0] <= m.start():
            skip_to = taken[k][1]
            continue
        if lines is None:
            lines = list(doc.lines())
        line_no = _line_no(doc, m.start())
        nxt = line_no + 1
        blocks = nxt < len(lines) and not lines[nxt][2].strip()
        cells = _Cells(doc, line_no, blocks)
        table = _read_flat(doc, cells, "blocks" if blocks else "lines", lines, line_no)
        if table is not None:
            skip_to = table.end
            yield table
        elif len(cells.cells) > V.raw["max_columns"] and all(
                _is_header_cell(c.text) for c in cells.cells[:V.raw["max_columns"] + 1]):
            skip_to = cells.cells[V.raw["max_columns"]].end  # a run of header-like lines: no table in it


def _line_no(doc: Any, offset: int) -> int:
    from bisect import bisect_right
    return bisect_right(doc.line_starts, offset) - 1


def _row_start(V: _Vocab, cell: Cell | None, numbered: bool | str) -> str | None:
    """The row number a cell starts a row with ("3", "II", "total"; "year" in a table whose rows are
    years), else None."""
    if cell is None:
        return None
    t = cell.text.strip()
    if numbered == "years":
        return "year" if V.year.fullmatch(t) or V.phase.fullmatch(t) else None
    if numbered:
        if V.row_number.fullmatch(t):
            return t.rstrip(".")
        if V.group_number.fullmatch(t):
            return "group"
        if V.total_row.match(fold(t)):
            return "total"
        return None
    m = V.numbered_label.match(t)
    if m:
        return m[1]
    if V.total_row.match(fold(t)):
        return "total"
    return None


def _flat_header(cells: _Cells) -> tuple[list[Cell], bool | str] | None:
    """The header cells of a flattened table and how its rows start: True (a number column),
    False (numbered labels "1. …"), "years" (a transposed table); None when it is no table."""
    V = vocab()
    n = 0
    while n <= V.raw["max_columns"] and (c := cells.get(n)) is not None and _is_header_cell(c.text) \
            and not (n and V.table_end.match(c.text)):  # "IV. KINH PHÍ …" after "NHIỆM VỤ …": two headings
        n += 1
    if n < 2 or n > V.raw["max_columns"]:
        return None
    header = [cells.get(j) for j in range(n)]
    first = classify(header[0].text).role
    if first not in ("number", "label"):
        return None
    numbered: bool | str = "years" if V.transposed_label.match(fold(header[0].text)) else first == "number"
    roles = {classify(h.text).role for h in header}
    if roles <= {"number", "label", "other"} or numbered == "years" and "measure" not in roles:
        return None
    return header, numbered


_FIGURES = ("year", "phase", "baseline", "total", "money")  # the columns that hold figures
_TEXTS = ("notes", "lead", "coordinate", "focal", "deadline", "source")  # columns often left empty in a sub-row


class _FlatRows:
    """Reads the rows of a flattened table n cells at a time (see the module docstring)."""

    def __init__(self, cells: _Cells, n: int, numbered: bool | str, roles: list[str] | None = None):
        self.cells, self.n, self.numbered, self.V = cells, n, numbered, vocab()
        self.roles = roles or []

    def tag(self, k: int) -> str | None:
        return _row_start(self.V, self.cells.get(k), self.numbered)

    def sub(self, k: int) -> bool:
        """Does cell ``k`` open a sub-row ("- Nông nghiệp (%)", "Trong đó: …")?"""
        c = self.cells.get(k)
        return c is not None and bool(self.V.sub_row.match(fold(c.text)))

    def width(self, tag: str) -> int:
        return self.n - 1 if tag == "total" and self.numbered is True else self.n

    def ends(self, k: int) -> bool:
        """Does a row end before cell ``k``: the cells end, a row or a sub-row starts, a heading or a
        paragraph follows, or the header of the next table?"""
        nxt, V = self.cells.get(k), self.V
        return nxt is None or self.tag(k) is not None or self.sub(k) and self.numbered is True \
            or bool(V.table_end.match(nxt.text)) or bool(V.header_start.fullmatch(nxt.text) and _is_header_cell(nxt.text))

    def fits(self, start: int, width: int) -> bool:
        """The row ends where the next row starts (``ends``); an unnumbered sub-row in between is allowed
        when the next numbered row comes after it."""
        if self.cells.get(start + width - 1) is None:
            return False
        if self.ends(start + width):
            return True
        this = self.tag(start)
        if self.numbered is not True or this is None or not this.isdigit():
            return False
        following = str(int(this) + 1)
        if any(self.tag(q) == following for q in range(start + 1, start + width)):
            return False  # the next row starts inside this one: a cell was lost
        shortest = self.n - (2 if self.roles and self.roles[-1] in _TEXTS and self.n >= 4 else 1)
        # the next row starts after room for a sub-row (``sub_row``); fewer cells left over mean this row
        # had more cells than columns ("0,7%⏎⏎(còn 4,33%)": a cell of two lines split by a blank line)
        return any(self.tag(q) == following for q in range(start + width + shortest, start + 2 * width))

    def sub_row(self, at: int, expect: int) -> tuple[list[Cell], int] | None:
        """A row without its number cell at ``at`` (a sub-row, or a second indicator under one number),
        when it holds exactly the cells left, none of them the start of a row, its label has words and
        the next row starts right after it; when the last column holds text (notes, agencies, a deadline),
        that cell may be missing too. Never read shifted: any other count of cells is no row."""
        if self.numbered is not True or not LETTERS.search(self.cells.get(at).text):
            return None
        starts = (str(expect), "1", "group", "total")
        for width, pad in ((self.n - 1, 0), (self.n - 2, 1)):
            if pad and (not self.roles or self.roles[-1] not in _TEXTS or self.n < 4):
                continue
            if self.cells.get(at + width - 1) is None or any(
                    self.tag(q) in starts or self.sub(q) for q in range(at + 1, at + width)):
                continue
            if not self.ends(at + width):
                continue
            row = [self.cells.get(at + q) for q in range(width)]
            row = [Cell(row[0].start, row[0].start, "")] + row + [Cell(row[-1].end, row[-1].end, "")] * pad
            if self.plausible(row):
                return row, width
        return None

    def labelled(self, k: int) -> bool:
        """Is cell ``k`` a row label of several words (what follows a row number that is no value)?"""
        c = self.cells.get(k)
        return c is not None and len(LETTERS.findall(c.text)) >= 2 and not self.V.group_number.fullmatch(c.text.strip())

    def plausible(self, row: list[Cell]) -> bool:
        """Do the cells fit their columns: no bare number where the unit belongs, no row label (words,
        no digit) in a column of figures? A row that fails was read across a lost cell."""
        for role, c in zip(self.roles, row):
            t = c.text.strip()
            if role == "label" and self.numbered is True and not LETTERS.search(t):
                return False
            if role == "unit" and _NUMBER.fullmatch(t):
                return False
            if role in _FIGURES and not any(ch.isdigit() for ch in t) and (
                    len(t.split()) >= 3 or self.V.group_number.fullmatch(t)):
                return False
        return True

    def row_at(self, at: int, tag: str) -> list[Cell] | None:
        """The row starting at cell ``at`` (tagged ``tag``) when it fits and its cells fit their columns."""
        width = self.width(tag)
        if not self.fits(at, width):
            return None
        row = [self.cells.get(at + q) for q in range(width)]
        if width < self.n:
            row = [Cell(row[0].start, row[0].start, "")] + row  # "Tổng cộng" spans the number column
        return row if self.plausible(row) else None

    def resync(self, at: int, expect: int) -> int | None:
        """The next row start after a row that does not fit (skipped, never read shifted). In a number
        column a value may look like a row number, so only the next two numbers count there, or a higher
        one whose row fits its columns (rows were lost before it); a numbered label ("7. Tỷ lệ …") is never
        a value; a sub-row start counts too."""
        k = at + 1
        while self.cells.get(k) is not None and k < at + 6 * self.n:
            t = self.tag(k)
            if t is not None and (t in ("group", "total", "year", "1") or t in (str(expect), str(expect + 1))
                                  or self.numbered is False and t.isdigit() and int(t) >= expect
                                  or t.isdigit() and int(t) > expect and self.labelled(k + 1)) \
                    and self.row_at(k, t) is not None:
                return k
            if t is None and self.sub(k) and self.numbered is True:
                return k
            k += 1
        return None

    def rows(self) -> list[list[Cell]]:
        out: list[list[Cell]] = []
        at, expect = self.n, 1
        while self.cells.get(at) is not None:
            tag = self.tag(at)
            row = self.row_at(at, tag) if tag in ("group", "total", "year", str(expect), "1") else None
            if row is not None:
                out.append(row)
                at += self.width(tag)
                expect = 1 if tag == "group" else (int(tag) + 1 if tag.isdigit() else expect)
                continue
            if tag is None and self.V.sub_row_only.match(fold(self.cells.get(at).text)):
                at += 1  # "Tr.đó:" alone: the sub-rows follow
                continue
            sub = self.sub_row(at, expect) if tag is None else None
            if sub is not None:
                out.append(sub[0])
                at += sub[1]
                continue
            k = self.resync(at, expect)
            if k is None:
                break
            tag = self.tag(k)
            if tag and tag.isdigit():
                expect = int(tag)
            at = k
        return out


def _fit_role(header: str) -> str:
    """The role a flattened row's cell is checked against (``_FlatRows.plausible``): a baseline column
    without a year ("Kết quả" of a task table: "Quyết định phân bổ") may hold text."""
    role = classify(header).role
    V = vocab()
    if role == "baseline" and not V.year.search(header):
        return "other"
    return role


def _read_flat(doc: Any, cells: _Cells, kind: str, lines, line_no: int) -> Table | None:
    got = _flat_header(cells)
    if got is None:
        return None
    header, numbered = got
    rows = _FlatRows(cells, len(header), numbered, [_fit_role(h.text) for h in header]).rows()
    if not rows:
        return None
    return _table(doc, kind, [header], [h.text for h in header], rows, _caption_lines(doc, lines, line_no))


def find_tables(doc: Any) -> list[Table]:
    """Every table of the document, in reading order."""
    text = doc.text
    out: list[Table] = []
    if "|" in text:
        out.extend(_pipe_tables(doc))
    if vocab().header_start.search(text):
        out.extend(_flat_tables(doc, sorted((t.start, t.end) for t in out)))
    out.sort(key=lambda t: t.start)
    return out
