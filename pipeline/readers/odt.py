"""OpenDocument text (.odt) with odfpy.

The body is walked in order: headings and paragraphs are lines, list items are lines
(with the list's number or bullet as its style defines it), table rows are
``| cell | cell |`` lines (a cell's paragraphs joined by spaces).
"""
from __future__ import annotations

import io
import zipfile

from chitieu.pipeline.readers import Reading, ReaderError, ReadOptions, check_zip_size, table_line


def read(data: bytes, path: str, options: ReadOptions) -> Reading:
    from odf import teletype
    from odf.opendocument import load

    check_zip_size(data)
    try:
        doc = load(io.BytesIO(data))
    except (zipfile.BadZipFile, KeyError, ValueError, Exception) as e:  # odfpy raises plain errors
        raise ReaderError(f"not a readable .odt document ({type(e).__name__}: {e})") from None
    lines: list[str] = []
    numbers = _ListNumbers(doc)

    def walk(el, list_style=None, level=0):
        for child in el.childNodes:
            q = getattr(child, "qname", None)
            if not q:
                continue
            name = q[1]
            if name in ("h", "p"):
                lines.append(teletype.extractText(child))
            elif name == "list":
                style = child.getAttribute("stylename") if _has(child, "stylename") else list_style
                if level == 0 and not (_has(child, "continuenumbering") or _has(child, "continuelist")):
                    numbers.restart(style)  # a new list starts counting again unless it says it continues
                walk_list(child, style, level + 1)
            elif name == "table":
                for row in _rows(child):
                    cells = [" ".join(teletype.extractText(p) for p in _paragraphs(c)) for c in _cells(row)]
                    if any(c.strip() for c in cells):
                        lines.append(table_line(cells))
            elif name in ("section", "text", "body"):
                walk(child, list_style, level)

    def walk_list(lst, style, level):
        for item in lst.childNodes:
            if getattr(item, "qname", (None, None))[1] != "list-item":
                continue
            # an item that only wraps a deeper list carries no number of its own
            own = any(getattr(c, "qname", (None, None))[1] in ("p", "h") for c in item.childNodes)
            label = numbers.next(style, level) if own else None
            start = len(lines)
            walk(item, style, level)
            if label and len(lines) > start and lines[start].strip():
                lines[start] = f"{label} {lines[start]}"

    walk(doc.text)
    text = "\n".join(lines)
    if not text.strip():
        raise ReaderError("OpenDocument file has no text in its body")
    return Reading(text, "odt")


def _has(el, attr):
    try:
        return bool(el.getAttribute(attr))
    except ValueError:
        return False


def _rows(table):
    for ch in table.childNodes:
        name = getattr(ch, "qname", (None, None))[1]
        if name == "table-row":
            yield ch
        elif name in ("table-header-rows", "table-rows", "table-row-group"):
            yield from _rows(ch)


def _cells(row):
    return [c for c in row.childNodes if getattr(c, "qname", (None, None))[1] == "table-cell"]


def _paragraphs(cell):
    for ch in cell.childNodes:
        name = getattr(ch, "qname", (None, None))[1]
        if name in ("p", "h"):
            yield ch
        elif name == "list":
            for item in ch.childNodes:
                yield from _paragraphs(item)


def _roman(n):
    out = ""
    for v, s in ((1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"), (50, "L"), (40, "XL"),
                 (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I")):
        while n >= v:
            out, n = out + s, n - v
    return out


_FORMATS = {"1": str, "I": _roman, "i": lambda n: _roman(n).lower(),
            "a": lambda n: chr(96 + n) if n <= 26 else str(n), "A": lambda n: chr(64 + n) if n <= 26 else str(n)}


class _ListNumbers:
    """Numbers of list items from the document's list styles (text:list-level-style-*)."""

    def __init__(self, doc):
        self.levels = {}
        for root in (doc.automaticstyles, doc.styles):
            for st in root.childNodes:
                if getattr(st, "qname", (None, None))[1] != "list-style":
                    continue
                name = st.getAttribute("name")
                for lvl in st.childNodes:
                    kind = getattr(lvl, "qname", (None, None))[1]
                    try:
                        level = int(lvl.getAttribute("level"))
                    except (ValueError, TypeError):
                        continue
                    if kind == "list-level-style-bullet":
                        self.levels[(name, level)] = ("bullet", "", "", 1)
                    elif kind == "list-level-style-number":
                        fmt = lvl.getAttribute("numformat") or ""
                        start = lvl.getAttribute("startvalue") or "1"
                        self.levels[(name, level)] = (fmt, lvl.getAttribute("numprefix") or "",
                                                      lvl.getAttribute("numsuffix") or "", int(start))
        self.counters = {}

    def restart(self, style):
        for k in [k for k in self.counters if k[0] == style]:
            del self.counters[k]

    def next(self, style, level):
        spec = self.levels.get((style, level))
        if not spec:
            return None
        fmt, prefix, suffix, start = spec
        if fmt == "bullet":
            return "-"
        if fmt not in _FORMATS:
            return None
        key = (style, level)
        self.counters[key] = self.counters.get(key, start - 1) + 1
        for k in [k for k in self.counters if k[0] == style and k[1] > level]:
            del self.counters[k]
        return f"{prefix}{_FORMATS[fmt](self.counters[key])}{suffix}"
