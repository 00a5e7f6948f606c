"""PDF (.pdf) with pdfplumber: text in reading order, tables as rows, page furniture dropped.

Per page: tables are found (``find_tables``) and each row becomes a ``| cell | cell |`` line
at its place; the text outside tables is taken line by line, top to bottom, and a line with
a gap far wider than a space is a row of a table drawn without rules (the issuer | national
motto header) and becomes a row line too. Then:

* page furniture: a line in the top or bottom band of a page that repeats (digits ignored)
  on several pages is a running header or footer, and a line there that is only a page
  number ("3", "- 3 -", "Trang 3", "3/12") is a page number: both dropped;
* wrapped lines are joined back into their paragraph: a line that reaches the right margin
  (or after which the next line's first word would not have fitted: ragged-right text),
  followed by one that starts at the left margin (not indented, not a list item or heading
  marker) and no further below than the page's line pitch (paragraph spacing), continues it. A paragraph's first line is indented or the previous line ends
  short, so paragraph breaks survive;
* a PDF without a text layer (a scan) is an error asking for ``--ocr``, or is read by
  Tesseract (``pipeline.readers.ocr``) when ``--ocr`` is given.
"""
from __future__ import annotations

import io
import logging
from collections import Counter
from dataclasses import dataclass

import regex

from chitieu.pipeline.readers import Reading, ReaderError, ReadOptions, table_line

SCANNED_MESSAGE = ("scanned PDF without a text layer: rerun with --ocr "
                   "(needs the tesseract-ocr-vie system package)")
# top and bottom bands of a page where running headers, footers and page numbers live
FURNITURE_BAND = 0.08
# a line within this share of the text width from the right margin "reaches" it
RIGHT_MARGIN_SLACK = 0.06
# lines further apart than this many line pitches are in different paragraphs
PARAGRAPH_GAP = 1.3
# a line starting more than this many points right of the left margin is indented
INDENT_POINTS = 6.0
# a gap between characters this wide (points, and median character widths) separates columns
COLUMN_GAP_POINTS = 24.0
COLUMN_GAP_CHARS = 4.0
WORD_GAP_POINTS = 3.0  # pdfplumber's x_tolerance: a wider gap is a space between words
# fewer characters than this per page on average: no text layer
MIN_CHARS_PER_PAGE = 20

_PAGE_NUMBER = regex.compile(r"(?i)^\s*(?:trang|page)?\s*[-–—]?\s*\d{1,4}\s*(?:/\s*\d{1,4})?\s*[-–—]?\s*$")
_MARKER = regex.compile(r"^(?:[-–—+•*]|\d{1,3}(?:\.\d{1,3})*[.)]?|[IVXLC]{1,6}\.|[a-zđ]\))$")
_STARTS_ITEM = regex.compile(r"^\s*(?:[-–—+•*]|\d{1,3}[.)]|[IVXLC]{1,6}\.|[a-zđ]\)|\|)")


@dataclass
class _Line:
    text: str
    page: int
    top: float
    x0: float
    x1: float
    band: bool  # in the top/bottom furniture band
    table: bool = False
    first_word: float = 0.0  # width of the line's first word (points)


def read(data: bytes, path: str, options: ReadOptions) -> Reading:
    if not data:
        raise ReaderError("empty PDF file (0 bytes)")
    if not data.lstrip()[:5].startswith(b"%PDF"):
        raise ReaderError("not a PDF file (no %PDF header)")
    with _Warnings("pdfminer") as warned:
        lines, pages, chars = _read_lines(data)
    if chars < MIN_CHARS_PER_PAGE * max(pages, 1):
        if options.ocr:
            from chitieu.pipeline.readers import ocr

            return ocr.read_pdf(data, path, pages)
        raise ReaderError(SCANNED_MESSAGE)
    lines = _drop_furniture(lines, pages)
    text = "\n".join(_join_wrapped(lines))
    notes = [f"PDF damaged in places ({len(warned.messages)} reader warnings, the first: {warned.messages[0]})"
             ] if warned.messages else []
    return Reading(text, "pdf", pages=pages, notes=notes)


class _Warnings(logging.Handler):
    """Collect a library's warnings for one file (they become a note naming the file's
    problem) instead of letting them print to stderr without the file's name."""

    def __init__(self, logger: str):
        super().__init__(logging.WARNING)
        self.logger = logging.getLogger(logger)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        if len(self.messages) < 100:
            self.messages.append(record.getMessage()[:200])

    def __enter__(self):
        self._propagate = self.logger.propagate
        self.logger.addHandler(self)
        self.logger.propagate = False
        return self

    def __exit__(self, *exc):
        self.logger.removeHandler(self)
        self.logger.propagate = self._propagate
        return False


def _read_lines(data: bytes) -> tuple[list[_Line], int, int]:
    import pdfplumber

    lines: list[_Line] = []
    chars = 0
    try:
        with pdfplumber.open(io.BytesIO(data)) as pdf:
            pages = len(pdf.pages)
            for number, page in enumerate(pdf.pages, 1):
                chars += len(page.chars)
                lines.extend(_page_lines(page, number))
                page.flush_cache()
    except ReaderError:
        raise
    except Exception as e:  # pdfminer's errors have no common base worth naming
        raise ReaderError(_pdf_error(e)) from None
    return lines, pages, chars


def _pdf_error(e: Exception) -> str:
    name = type(e).__name__
    # pdfplumber wraps pdfminer's errors (PdfminerException(PDFPasswordIncorrect()))
    causes = [e, *(a for a in e.args if isinstance(a, Exception)), e.__cause__, e.__context__]
    if any(c is not None and ("Password" in type(c).__name__ or "encrypt" in str(c).lower()) for c in causes):
        return "password-protected PDF: cannot read its text without the password"
    if name in ("PDFSyntaxError", "PSEOF", "PdfminerException") or "EOF" in str(e) or "trailer" in str(e):
        return f"damaged or truncated PDF ({name}: {e})"
    return f"cannot read PDF ({name}: {e})"


def _page_lines(page, number: int) -> list[_Line]:
    height = float(page.height) or 1.0
    band = FURNITURE_BAND * height
    tables = page.find_tables()
    boxes = [t.bbox for t in tables]

    def outside(obj) -> bool:
        cx, cy = (obj["x0"] + obj["x1"]) / 2, (obj["top"] + obj["bottom"]) / 2
        return not any(x0 <= cx <= x1 and top <= cy <= bottom for x0, top, x1, bottom in boxes)

    body = page.filter(outside) if boxes else page
    out = []
    for ln in body.extract_text_lines(return_chars=True):
        if not ln["text"].strip():
            continue
        in_band = ln["top"] < band or ln["bottom"] > height - band
        columns = _columns(ln["chars"])
        if len(columns) >= 2:  # a row of a table drawn without rules (issuer | national motto)
            out.append(_Line(table_line(columns), number, ln["top"], ln["x0"], ln["x1"], in_band, table=True))
        else:
            out.append(_Line(ln["text"], number, ln["top"], ln["x0"], ln["x1"], in_band,
                             first_word=_first_word_width(ln["chars"])))
    for t in tables:
        top = t.bbox[1]
        for row in t.extract():
            cells = ["" if c is None else c for c in row]
            if any(c.strip() for c in cells):
                out.append(_Line(table_line(cells), number, top, t.bbox[0], t.bbox[2], False, table=True))
                top += 0.001  # keep the rows' order under the stable sort
    out.sort(key=lambda ln: ln.top)
    return out


def _first_word_width(chars: list[dict]) -> float:
    chars = sorted((c for c in chars if c.get("text")), key=lambda c: c["x0"])
    end = None
    for prev, c in zip(chars, chars[1:]):
        if c["text"] == " " or c["x0"] - prev["x1"] > WORD_GAP_POINTS:
            end = prev
            break
    end = end or (chars[-1] if chars else None)
    return end["x1"] - chars[0]["x0"] if end else 0.0


def _columns(chars: list[dict]) -> list[str]:
    """The line's text cut where a gap is far wider than a space: the cells of an unruled row.

    A gap counts when it is over ``COLUMN_GAP_POINTS`` and over ``COLUMN_GAP_CHARS`` median
    character widths; justified prose stretches its spaces far less. Within a cell, words are
    separated as pdfplumber does (a gap over ``WORD_GAP_POINTS``)."""
    chars = sorted((c for c in chars if c.get("text")), key=lambda c: c["x0"])
    if len(chars) < 2:
        return ["".join(c["text"] for c in chars)]
    widths = sorted(c["x1"] - c["x0"] for c in chars)
    gap_min = max(COLUMN_GAP_POINTS, COLUMN_GAP_CHARS * widths[len(widths) // 2])
    cells, cur, prev = [], [], None
    for c in chars:
        if prev is not None:
            gap = c["x0"] - prev["x1"]
            if gap > gap_min:
                cells.append("".join(cur).strip())
                cur = []
            elif gap > WORD_GAP_POINTS and c["text"] != " " and prev["text"] != " ":
                cur.append(" ")
        cur.append(c["text"])
        prev = c
    cells.append("".join(cur).strip())
    cells = [c for c in cells if c]
    # a list number or bullet set off by a tab ("1.<tab>Mục tiêu chung") is not a column
    if len(cells) >= 2 and _MARKER.match(cells[0]):
        cells[:2] = [f"{cells[0]} {cells[1]}"]
    return cells


def _drop_furniture(lines: list[_Line], pages: int) -> list[_Line]:
    def shape(text: str) -> str:
        return regex.sub(r"\d+", "#", " ".join(text.split()).lower())

    repeats = Counter(shape(ln.text) for ln in lines if ln.band)
    min_repeats = 2 if pages >= 2 else 10 ** 9
    return [ln for ln in lines
            if not (ln.band and (_PAGE_NUMBER.match(ln.text) or repeats[shape(ln.text)] >= min_repeats))]


def _join_wrapped(lines: list[_Line]) -> list[str]:
    """Join lines that wrap inside a paragraph (see the module doc)."""
    margins: dict[int, tuple[float, float]] = {}
    pitch: dict[int, float] = {}
    for page in {ln.page for ln in lines}:
        body = [ln for ln in lines if ln.page == page and not ln.table]
        if body:
            lefts = sorted(ln.x0 for ln in body)
            margins[page] = (lefts[len(lefts) // 10], max(ln.x1 for ln in body))
            gaps = sorted(b.top - a.top for a, b in zip(body, body[1:]) if b.top - a.top > 1)
            if gaps:
                pitch[page] = gaps[len(gaps) // 4]  # the line pitch inside paragraphs
    out: list[str] = []
    prev: _Line | None = None
    for ln in lines:
        if prev is not None and not ln.table and not prev.table and _continues(prev, ln, margins, pitch):
            out[-1] = out[-1].rstrip() + " " + ln.text.strip()
        else:
            out.append(ln.text)
        prev = ln
    return out


def _continues(prev: _Line, ln: _Line, margins, pitch) -> bool:
    if ln.page == prev.page and prev.page in pitch and ln.top - prev.top > PARAGRAPH_GAP * pitch[prev.page]:
        return False  # more space than between a paragraph's lines: a new paragraph
    left, right = margins.get(prev.page, (prev.x0, prev.x1))
    # wrapped: the line reaches the margin (justified text), or the next line's first word
    # would not have fitted after it (ragged-right text)
    space = max(ln.first_word / 4, 2.5) if ln.first_word else 2.5
    reaches_right = (prev.x1 >= right - RIGHT_MARGIN_SLACK * max(right - left, 1.0)
                     or (ln.first_word > 0 and prev.x1 + space + ln.first_word > right))
    nleft, _ = margins.get(ln.page, (ln.x0, ln.x1))
    at_left = ln.x0 <= nleft + INDENT_POINTS
    return reaches_right and at_left and not _STARTS_ITEM.match(ln.text)
