"""Clean: remove what is not the plan, keep what is, once.

Works on normalized text (``pipeline.normalize``) and returns cleaned text, which is what
documents are split from and what every offset indexes:

- web-page furniture lines (log-in links, job ads, menus: ``corpora/lexicons/web_furniture.txt``);
- the pipe debris of scraped header tables: lone ``|`` lines and dangling pipes at line ends
  (real table rows such as ``| Số hiệu | 157/KH-UBND |`` are kept: metadata lives there);
- tables flattened one cell per line with a line holding only ``|`` before each cell (thuvienphapluat
  pages as trafilatura stores them) are rebuilt into pipe rows ``| a | | b |``, empty cells kept
  (``_rebuild_bar_tables``), before anything else can glue their cells; pipe rows wrapped over several
  lines are joined (``_join_wrapped_rows``);
- markdown bold/italic markers (``**``);
- lines broken in the middle of a sentence (page breaks, hard wrapping) are re-joined;
- a block of lines repeated later in the file (a scraped page holding the body twice) is kept once.
"""
from __future__ import annotations

from functools import lru_cache

import regex

from chitieu.pipeline.corpus import corpus_data

# A repeated run of lines is dropped only when it is this long: short repeats such as
# "Cơ quan chủ trì: Sở Y tế" under several activities are legitimate.
MIN_REPEAT_LINES = 4
MIN_REPEAT_CHARS = 400
# escaped line breaks of a scraped page stored as text ("\r\n" written as four characters):
# lines when there are at least this many
MIN_ESCAPED_BREAKS = 5

_MD_BOLD = regex.compile(r"\*{2,}|(?<!\w)\*(?=\w)|(?<=\w)\*(?!\w)")
_LIST_MARK = regex.compile(r"^(?:[a-zđ]\)|[-+•]\s|\d+[.)]|[IVXLC]+\.)")
_SENTENCE_END = regex.compile(r"[.;:!?…]\s*$|\|\s*$")
_ESCAPED_BREAK = regex.compile(r"(?:\\r)?\\n|\\r")
# a line ending with one of these words is cut before its number: "ngày\n05 tháng 02 năm 2021",
# "Quyết định số\n1579/QĐ-TTg", "đạt\n90%"
_CUT_BEFORE_NUMBER = regex.compile(r"(?<!\p{L})(?:số|ngày|tháng|năm|và|của|đến|từ|tại|với|đạt|khoảng|là|có)\s*$",
                                   regex.I)
_STARTS_NUMBER = regex.compile(r"\d+(?!\d*[.)]\s)")
_ROW_NUMBER_LINE = regex.compile(r"\d{1,3}")  # a line that is only "2": a table's row number, no cut sentence
_RANGE_DASH = regex.compile(r"-\s*\d{4}\b")
_ENDS_WITH_YEAR = regex.compile(r"\d{4}$")
# a short cell of a flattened table: a line of at most this many words and characters, without sentence
# punctuation, next to a line that is a bare figure
_MAX_CELL_WORDS = 3
_MAX_CELL_CHARS = 30
_CELL_PUNCT = regex.compile(r"[.;:!?,]")
_BARE_FIGURE = regex.compile(r"[<>≤≥]?=?\s*\d[\d.,]*\s*%?(?:\s*[-–]\s*\d[\d.,]*\s*%?)?")
_BLANK_LINES = regex.compile(r"\n{3,}")
# a table flattened one cell per line, a "|" line before each cell: a row closes with "|" and the next
# opens with "|", an empty cell is a bare "|" line. A row starts at a cell that is a row number after a
# row boundary: "1", "1.2", "II", "a", "-" (a sub-row), or a total row ("Tổng cộng")
_BAR_ROW_START = regex.compile(r"(?:\d{1,3}(?:\.\d{1,2}){1,3}\.?|[IVXLC]{1,6}\.?|[A-ZĐ]\.?|[a-zđ][.)]?|[-+•])")
_BAR_ROW_NUMBER = regex.compile(r"([1-9]\d{0,2})\.?")  # "7": a row number only next in its sequence
_BAR_EMPHASIS = regex.compile(r"\*{2,}|(?<!\S)\*+|\*+(?!\S)")  # "**I**", "*(đồng)*"; not "N-NH*4+"
_SPACES = regex.compile(r" {2,}")


@lru_cache(maxsize=1)
def furniture_pattern() -> regex.Pattern:
    alts = corpus_data("lexicons/web_furniture.txt")
    return regex.compile(r"^\s*(?:" + "|".join(f"(?:{a})" for a in alts) + r")\s*[.:]?\s*$", regex.I)


def _is_table_row(line: str) -> bool:
    r"""``| a | b |``: begins and ends (before spaces) with a pipe and holds a third one. Plain
    string tests: the regex ``^\|.*\|.*\|\s*$`` backtracked quadratically on a long line of
    pipe debris that does not end with a pipe."""
    end = line.rstrip()
    return line.startswith("|") and end.endswith("|") and end.count("|") >= 3


def _bar_cell(parts: list[str]) -> str:
    """The text of a cell of a bar-flattened table: its lines joined, emphasis markers and pipes out."""
    t = " ".join(" ".join(_BAR_EMPHASIS.sub(" ", p).replace("|", "/").split()) for p in parts).strip()
    return t.strip("* ").strip()


def _bar_header_cell(text: str) -> bool:
    """Does a bar-flattened run open with a table's header cell ("STT", "TT", "Chỉ tiêu", "Nội dung")?
    The header and signature blocks of a page ("ỦY BAN NHÂN DÂN | CỘNG HÒA …") are left as they are."""
    from chitieu.pipeline.tables import vocab
    return bool(vocab().header_start.fullmatch(text))


@lru_cache(maxsize=1)
def _bar_row_label() -> regex.Pattern:
    """A cell that opens a row by itself (tables.yaml ``bar_row_label``; case-insensitive)."""
    from chitieu.pipeline.tables import vocab
    return regex.compile(vocab().raw["bar_row_label"], regex.I)


def _bar_rows(run: list[str]) -> list[list[str]] | None:
    """The rows of cells of a bar-flattened run of lines (its first line a bare "|"), empty cells kept.
    Between two cells, k bare "|" lines mean k - 1 empty cells, or a row boundary and k - 2 empty
    cells: the header rows (before the first row number) end at every run of two or more; after
    them, a row ends there only when a row number or a total follows, or when empty cells would make it
    wider than the widest data row before it (an unnumbered row follows: "| | Chi phí xây dựng | …")."""
    tokens: list[tuple[int, list[str]]] = []  # (bars before, lines of the cell)
    row_label = _bar_row_label()
    bars = 0
    for ln in run:
        if ln.strip() == "|":
            bars += 1
        elif bars or not tokens:
            tokens.append((bars, [ln]))
            bars = 0
        else:
            tokens[-1][1].append(ln)
    if not tokens:
        return None
    rows: list[list[str]] = []
    row: list[str] = []
    in_header = True
    last = 0  # the last plain row number
    widest = 0  # the widest data row so far
    for k, (before, parts) in enumerate(tokens):
        text = _bar_cell(parts)
        if row and before >= 2:
            num = _BAR_ROW_NUMBER.fullmatch(text)
            start = bool(_BAR_ROW_START.fullmatch(text) or row_label.match(text)
                         or num and (int(num[1]) == 1 or last < int(num[1]) <= last + 3))
            lead = 0
            if not start and not in_header and widest and len(row) + before - 1 > widest:
                # empty cells would make the row wider than the widest data row so far: the row ends (filled
                # to that width) and an unnumbered row follows, its empty cells first ("| | Chi phí …")
                start, lead = True, max(0, before - 2 - max(0, widest - len(row)))
            if num and start:
                last = int(num[1])
            if start:
                in_header = False
            if start or in_header:
                if not in_header:
                    widest = max(widest, len(row) + before - 2 - lead)
                rows.append(row + [""] * (before - 2 - lead))
                row = [""] * lead
            else:
                row.extend([""] * (before - 1))
        elif row:
            row.extend([""] * (before - 1))
        row.append(text)
    if row:
        rows.append(row + [""] * max(0, bars - 1))  # no next row opens after the last
    return rows


def _rebuild_bar_tables(lines: list[str]) -> list[str]:
    """Rebuild each table flattened one cell per line with "|" lines between (``_bar_rows``) into pipe
    rows, one line per row; other lines as they are. A run is the non-blank lines from a bare "|"
    line; it is a table when its first cell is a header cell."""
    if sum(1 for ln in lines if ln.strip() == "|") < 4:
        return lines
    out: list[str] = []
    i, n = 0, len(lines)
    while i < n:
        if lines[i].strip() != "|":
            out.append(lines[i])
            i += 1
            continue
        j = i
        while j < n and lines[j].strip():
            j += 1
        first = next((ln for ln in lines[i:j] if ln.strip() != "|"), None)
        rows = _bar_rows(lines[i:j]) if first is not None and _bar_header_cell(_bar_cell([first])) else None
        if rows is None:
            out.extend(lines[i:j])
        else:
            out.extend("| " + " | ".join(r + ([""] if len(r) == 1 else [])) + " |" for r in rows)
        i = j
    return out


_MAX_WRAPPED_LINES = 8  # a row wrapped over more lines is left as it is (the cost stays linear)
_AMOUNT_CELL = regex.compile(r"\|\s*\d{1,3}(?:\.\d{3})+(?:,\d+)?\s*(?:\||$)")


def _row_start_line(line: str) -> bool:
    """Does a line open a row of a pipe table without outer pipes ("2 | Thẩm định …", "II | …"), or hold
    a row of its own (a cell that is an amount: "Chi phí xây dựng | 1.900.000.000 | Không")?"""
    first = line.split("|", 1)[0].strip()
    return bool(_BAR_ROW_START.fullmatch(first) or _BAR_ROW_NUMBER.fullmatch(first) or _AMOUNT_CELL.search(line))


def _join_wrapped_rows(lines: list[str]) -> list[str]:
    """Join the rows of a pipe table wrapped over several lines ("… | 10 ngày | Quý" ⏎ "IV/2024 | Quý" ⏎
    "IV/2024 | Trọn gói | …"): in a block of lines with pipes and no outer pipes (a row "| a | b |" is whole
    as written), a line holding fewer pipes than the block's
    widest row takes the next lines (none opening a row: "2 | …") when together they make a whole row (the
    widest row's pipes, or one fewer: a merged cell). Other lines stay as they are."""
    out: list[str] = []
    i, n = 0, len(lines)
    while i < n:
        if lines[i].count("|") < 2 or lines[i].lstrip().startswith("|"):
            out.append(lines[i])
            i += 1
            continue
        j = i
        while j < n and "|" in lines[j] and lines[j].strip() and not lines[j].lstrip().startswith("|"):
            j += 1
        block = lines[i:j]
        width = max(ln.count("|") for ln in block)
        k = 0
        while k < len(block):
            got, m = block[k].count("|"), k + 1
            if width >= 3 and got < width:
                while m < len(block) and m - k < _MAX_WRAPPED_LINES and got + block[m].count("|") <= width \
                        and not _row_start_line(block[m]):
                    got += block[m].count("|")
                    m += 1
                if m > k + 1 and got in (width - 1, width):
                    out.append(" ".join(ln.strip() for ln in block[k:m]))
                    k = m
                    continue
            out.append(block[k])
            k += 1
        i = j
    return out


def _strip_pipes(line: str) -> str:
    if "|" not in line:
        return line.strip()
    if _is_table_row(line):
        return line
    return line.strip().strip("|").strip()


# a repeated run is found from its first lines: runs of this many lines are indexed
_WINDOW = MIN_REPEAT_LINES
# earlier places a window is compared with: the first and the latest few (a table whose cells
# repeat holds the same window thousands of times; comparing with all of them was quadratic)
_CANDIDATES = 4


def _dedupe_blocks(lines: list[str]) -> list[str]:
    """Drop runs of lines that repeat an earlier run (see MIN_REPEAT_*).

    A run can only qualify when its first ``_WINDOW`` lines repeat, so earlier positions are
    indexed by that window (a hash of the lines) and a line is compared with at most
    2 × ``_CANDIDATES`` earlier places: the cost stays linear in the number of lines.
    """
    seen: dict[tuple[str, ...], list[int]] = {}
    keep = [True] * len(lines)
    i = 0
    n = len(lines)
    while i < n:
        window = tuple(lines[i:i + _WINDOW])
        best = 0
        if lines[i].strip() and len(window) == _WINDOW:
            places = seen.get(window, ())
            for j in (places if len(places) <= 2 * _CANDIDATES else
                      [*places[:_CANDIDATES], *places[-_CANDIDATES:]]):
                k = 0
                while i + k < n and j + k < i and lines[j + k] == lines[i + k]:
                    k += 1
                best = max(best, k)
        if best:
            block = [ln for ln in lines[i:i + best] if ln.strip()]
            if len(block) >= MIN_REPEAT_LINES and sum(map(len, block)) >= MIN_REPEAT_CHARS:
                for x in range(i, i + best):
                    keep[x] = False
                i += best
                continue
        if lines[i].strip() and len(window) == _WINDOW:
            seen.setdefault(window, []).append(i)
        i += 1
    return [ln for ln, k in zip(lines, keep) if k]


def _is_paragraphed(lines: list[str]) -> bool:
    """True for hard-wrapped text: paragraphs separated by blank lines, broken inside."""
    blank = sum(1 for ln in lines if not ln.strip())
    runs = sum(1 for a, b in zip(lines, lines[1:]) if a.strip() and b.strip())
    return blank >= 0.2 * len(lines) and runs >= 0.15 * len(lines)


def _continues(prev: str, line: str, wrapped: bool) -> bool:
    """Does ``line`` continue the sentence broken at the end of ``prev``? Never a pipe row ("| STT | …"
    under a caption line)."""
    if not prev or not line or _SENTENCE_END.search(prev) or line.startswith("|"):
        return False
    if _LIST_MARK.match(line):
        # "giai đoạn 2021\n- 2025" is a broken range, not a bullet
        return bool(_RANGE_DASH.match(line) and _ENDS_WITH_YEAR.search(prev))
    if line[0].islower():
        return True
    if _STARTS_NUMBER.match(line) and _CUT_BEFORE_NUMBER.search(prev) and " " in prev.strip() \
            and not _ROW_NUMBER_LINE.fullmatch(line.strip()):  # "Hằng năm⏎2": a cell, then the next row
        return True  # ("Đạt" alone on its line is a table cell, not a sentence cut before its number)
    return wrapped and not prev.endswith(":")


def _tail(pieces: list[str], chars: int = 64) -> str:
    """The end of a line being re-joined from ``pieces`` (joined by spaces): the last piece whole,
    then the ends of the earlier ones up to ``chars``. Every test of ``_continues`` looks only at
    the end of the previous line, and re-reading (or re-building) the whole growing line for each
    joined piece was quadratic."""
    tail = pieces[-1]
    i = len(pieces) - 1
    while len(tail) < chars and i > 0:
        i -= 1
        tail = pieces[i][-chars:] + " " + tail
    return tail


def _next_lines(lines: list[str]) -> list[str]:
    """Per line, the next non-blank line after it ("" at the end): one pass from the end."""
    out, following = [""] * len(lines), ""
    for i in range(len(lines) - 1, -1, -1):
        out[i] = following
        if lines[i].strip():
            following = lines[i]
    return out


def _is_cell(line: str, prev: str, nxt: str) -> bool:
    """Is ``line`` a short cell of a table flattened one cell per line, not the rest of a cut sentence:
    a few words without sentence punctuation ("người", "triệu đồng", "xã") next to a line that is a bare
    figure ("120", "≥ 90", "40 - 50")? Blank lines between the cells do not matter."""
    t = line.strip()
    if len(t) > _MAX_CELL_CHARS or len(t.split()) > _MAX_CELL_WORDS or _CELL_PUNCT.search(t):
        return False
    return bool(_BARE_FIGURE.fullmatch(nxt.strip()) or _BARE_FIGURE.fullmatch(prev.strip()))


def _flat_table_lines(lines: list[str]) -> list[bool]:
    """Per line, is it inside a table flattened one cell per block (blank lines between the cells)? From a
    line that is a number column's header ("STT", "Stt", "TT") followed, a blank line between, by another
    header cell, to the first line longer than a cell can be (a paragraph) or a heading."""
    from chitieu.pipeline.tables import vocab
    V = vocab()
    number = dict(V.roles)["number"]
    out = [False] * len(lines)
    inside = False
    for i, ln in enumerate(lines):
        t = ln.strip()
        if not inside and t and i + 2 < len(lines) and not lines[i + 1].strip() and number.fullmatch(t.lower()) \
                and V.header_start.fullmatch(lines[i + 2].strip()):
            inside = True
        elif inside and t and (len(t) > V.raw["max_cell"] or "|" in t):
            inside = False
        out[i] = inside
    return out


def _rejoin(lines: list[str]) -> list[str]:
    """Join lines broken in the middle of a sentence.

    Everywhere: a line that starts with a lower-case letter (not a list marker such as "a)")
    continues the previous non-blank line when that line does not end a sentence (page breaks).
    In hard-wrapped text (paragraphs separated by blank lines) every line of a paragraph
    continues the previous one unless it starts a list item or heading.
    """
    wrapped = _is_paragraphed(lines)
    nxt = _next_lines(lines)
    in_table = _flat_table_lines(lines)
    out: list[list[str]] = []  # each output line as the pieces it is joined from ([] = blank)
    last = ""  # the previous non-blank line as it stands
    for i, line in enumerate(lines):
        if line.strip():
            prev, last = last, line
        if line and out:
            if _is_cell(line, prev, nxt[i]):
                out.append([line])  # a unit cell of a flattened table ("Số cộng tác viên⏎người⏎120")
                continue
            if out[-1] and wrapped and _continues(_tail(out[-1]), line, True):
                out[-1].append(line)
                continue
            if line[0].islower() or line[0].isdigit():
                j = len(out) - 1
                while j >= 0 and not out[j]:
                    j -= 1
                if j < len(out) - 1 and in_table[i]:
                    pass  # a blank line between two cells of a flattened table: never one cell
                elif j >= 0 and _continues(_tail(out[j]), line, False):
                    out[j].append(line)
                    del out[j + 1:]
                    continue
        out.append([line] if line else [])
    return [" ".join(p) for p in out]


def clean(text: str) -> str:
    """Return the cleaned form of normalized text."""
    furniture = furniture_pattern()
    if len(_ESCAPED_BREAK.findall(text)) >= MIN_ESCAPED_BREAKS:
        text = _ESCAPED_BREAK.sub("\n", text)
    lines = []
    raw_lines = text.split("\n")
    if "|" in text:  # both give back lines without a "|" as they are
        raw_lines = _join_wrapped_rows(_rebuild_bar_tables(raw_lines))
    for line in raw_lines:
        if "*" in line:  # every marker _MD_BOLD removes is a "*"
            line = _MD_BOLD.sub("", line)
        line = _strip_pipes(line)
        if line and furniture.match(line):
            continue
        lines.append(line)
    lines = _dedupe_blocks(lines)
    lines = _rejoin(lines)
    out = "\n".join(lines)
    if "\n\n\n" in out:  # a substring test is far cheaper than a regex scan that finds nothing
        out = _BLANK_LINES.sub("\n\n", out)
    if "  " in out:
        out = _SPACES.sub(" ", out)
    return out.strip()
