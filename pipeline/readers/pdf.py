"""PDF (.pdf) with pdfplumber: text in reading order, tables as rows, page furniture dropped.

Per page: tables are found (``find_tables``) and each row becomes a ``| cell | cell |`` line
at its place; the text outside tables is taken line by line, top to bottom. Then:

* page furniture: a line in the top or bottom band of a page that repeats (digits ignored)
  on several pages is a running header or footer, and a line there that is only a page
  number ("3", "- 3 -", "Trang 3", "3/12") is a page number: both dropped;
* wrapped lines are joined back into their paragraph: a line that reaches the right margin,
  followed by one that starts at the left margin (not indented, not a list item or heading
  marker), continues it. A paragraph's first line is indented or the previous line ends
  short, so paragraph breaks survive;
* a PDF without a text layer (a scan) is an error asking for ``--ocr``, or is read by
  Tesseract (``pipeline.readers.ocr``) when ``--ocr`` is given.
"""
from __future__ import annotations

import io
from collections import Counter
from dataclasses import dataclass

import regex

from pipeline.readers import Reading, ReaderError, ReadOptions, table_line

SCANNED_MESSAGE = ("scanned PDF without a text layer: rerun with --ocr "
                   "(needs the tesseract-ocr-vie system package)")
# top and bottom bands of a page where running headers, footers and page numbers live
FURNITURE_BAND = 0.08
# a line within this share of the text width from the right margin "reaches" it
RIGHT_MARGIN_SLACK = 0.06
# a line starting more than this many points right of the left margin is indented
INDENT_POINTS = 6.0
# fewer characters than this per page on average: no text layer
MIN_CHARS_PER_PAGE = 20

_PAGE_NUMBER = regex.compile(r"(?i)^\s*(?:trang|page)?\s*[-–—]?\s*\d{1,4}\s*(?:/\s*\d{1,4})?\s*[-–—]?\s*$")
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


def read(data: bytes, path: str, options: ReadOptions) -> Reading:
    if not data:
        raise ReaderError("empty PDF file (0 bytes)")
    if not data.lstrip()[:5].startswith(b"%PDF"):
        raise ReaderError("not a PDF file (no %PDF header)")
    lines, pages, chars = _read_lines(data)
    if chars < MIN_CHARS_PER_PAGE * max(pages, 1):
        if options.ocr:
            from pipeline.readers import ocr

            return ocr.read_pdf(data, path, pages)
        raise ReaderError(SCANNED_MESSAGE)
    lines = _drop_furniture(lines, pages)
    text = "\n".join(_join_wrapped(lines))
    return Reading(text, "pdf", pages=pages)


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
    out = [
        _Line(ln["text"], number, ln["top"], ln["x0"], ln["x1"], ln["top"] < band or ln["bottom"] > height - band)
        for ln in body.extract_text_lines(return_chars=False) if ln["text"].strip()
    ]
    for t in tables:
        top = t.bbox[1]
        for row in t.extract():
            cells = ["" if c is None else c for c in row]
            if any(c.strip() for c in cells):
                out.append(_Line(table_line(cells), number, top, t.bbox[0], t.bbox[2], False, table=True))
                top += 0.001  # keep the rows' order under the stable sort
    out.sort(key=lambda ln: ln.top)
    return out


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
    for page in {ln.page for ln in lines}:
        body = [ln for ln in lines if ln.page == page and not ln.table]
        if body:
            lefts = sorted(ln.x0 for ln in body)
            margins[page] = (lefts[len(lefts) // 10], max(ln.x1 for ln in body))
    out: list[str] = []
    prev: _Line | None = None
    for ln in lines:
        if prev is not None and not ln.table and not prev.table and _continues(prev, ln, margins):
            out[-1] = out[-1].rstrip() + " " + ln.text.strip()
        else:
            out.append(ln.text)
        prev = ln
    return out


def _continues(prev: _Line, ln: _Line, margins) -> bool:
    left, right = margins.get(prev.page, (prev.x0, prev.x1))
    reaches_right = prev.x1 >= right - RIGHT_MARGIN_SLACK * max(right - left, 1.0)
    nleft, _ = margins.get(ln.page, (ln.x0, ln.x1))
    at_left = ln.x0 <= nleft + INDENT_POINTS
    return reaches_right and at_left and not _STARTS_ITEM.match(ln.text)
