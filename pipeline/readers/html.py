"""HTML pages (.html, .htm) with lxml's HTML parser (never patterns over tags).

What is kept, in document order: headings, paragraphs, list items (an ``<ol>`` item gets
the number the browser would show: its ``type``, ``start`` and ``value``; a ``<ul>`` item a
"- " as plans print bullets, unless it starts with a dash already), and each table row as a ``| cell | cell |`` line; a
table holding other tables is page layout and is read as blocks. What is dropped is the
page's furniture: scripts, styles, forms, ``<nav>``/``<header>``/``<footer>``/``<aside>``,
elements whose class or id names a menu, breadcrumb, sidebar, footer, share bar or
related-links box, and any list whose text is mostly links (a menu by another name).
A legal-library page's metadata table (Số hiệu, Ngày ban hành …) is an ordinary table and
is kept, so its fields reach the metadata extractor as they do from scraped text.
"""
from __future__ import annotations

import codecs

import regex

from chitieu.pipeline.readers import Reading, ReaderError, ReadOptions, table_line

_DROP_TAGS = {"script", "style", "noscript", "template", "nav", "header", "footer", "aside", "form",
              "iframe", "svg", "button", "select", "input", "textarea", "head", "title", "meta", "link"}
_FURNITURE = regex.compile(
    r"(?i)(?:^|[\s_-])(?:menu|nav(?:bar|igation)?|breadcrumbs?|sidebar|side-?bar|footer|header|topbar|"
    r"share|social|banner|advert|ads|comments?|related|lien-?quan|tin-?khac|cookie|login|search)"
    r"(?:$|[\s_-])")
_BLOCK_TAGS = {"p", "div", "section", "article", "main", "blockquote", "pre", "h1", "h2", "h3", "h4", "h5",
               "h6", "li", "ul", "ol", "dl", "dt", "dd", "address", "figure", "figcaption", "center",
               "table", "tr", "body", "html", "hr", "caption", "tbody", "thead", "tfoot"}
# libxml2 drops what is nested deeper than this even with huge_tree: such a page is an error
PARSER_MAX_DEPTH = 2000
# elements nested deeper than this are unwrapped (real pages stay far below it)
MAX_DEPTH = 200
# a list whose text is at least this share link text is navigation
LINK_SHARE_MENU = 0.6


def read(data: bytes, path: str, options: ReadOptions) -> Reading:
    import lxml.html
    from lxml import etree

    # UTF-8, or UTF-16 with a BOM (Word's "Save as Web Page" writes charset=unicode); other
    # bytes are left to lxml, which follows the page's <meta charset>
    try:
        text = _decode_unicode(data)
        if text is not None:
            parser = lxml.html.HTMLParser(encoding="utf-8", remove_comments=True, huge_tree=True)
            root = lxml.html.document_fromstring(text.encode("utf-8"), parser=parser)
        else:
            root = lxml.html.document_fromstring(data, parser=lxml.html.HTMLParser(remove_comments=True, huge_tree=True))
    except (etree.ParserError, ValueError) as e:
        raise ReaderError(f"not an HTML page: {e}") from None
    body = root.find("body")
    if body is None:
        body = root
    _drop_furniture(body)
    _flatten_deep(body)
    lines: list[str] = []
    _Walker(lines).block(body)
    lines = [ln for ln in lines if ln.strip()]
    if not lines:
        raise ReaderError("HTML page has no body text (only page furniture or nothing at all)")
    return Reading("\n".join(lines), "html")


def _decode_unicode(data: bytes) -> str | None:
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return data.decode("utf-16", errors="strict")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return None


def _drop_furniture(body) -> None:
    doomed = []
    for el in body.iter():
        if not isinstance(el.tag, str):
            doomed.append(el)
            continue
        tag = el.tag.lower()
        # (LibreOffice's HTML export marks running headers and footers with title="header")
        ident = f"{el.get('class', '')} {el.get('id', '')} {el.get('role', '')} {el.get('title', '')}"
        if tag in _DROP_TAGS or (ident.strip() and _FURNITURE.search(ident)) or el.get("hidden") is not None:
            doomed.append(el)
        elif tag in ("ul", "ol") and _link_share(el) >= LINK_SHARE_MENU:
            doomed.append(el)
    for el in doomed:
        parent = el.getparent()
        if parent is not None:
            el.drop_tree()  # keeps the tail text


def _flatten_deep(body) -> None:
    """Unwrap elements nested deeper than ``MAX_DEPTH`` (their text joins their ancestor's), so
    a hostile page of thousands of nested tags is read, and read without deep recursion."""
    deep = []
    stack = [(body, 0)]
    while stack:
        el, depth = stack.pop()
        if depth >= PARSER_MAX_DEPTH:
            raise ReaderError(f"HTML nested deeper than {PARSER_MAX_DEPTH} levels: the parser cannot read "
                              f"the page in full")
        if depth > MAX_DEPTH:
            deep.append(el)
        stack.extend((c, depth + 1) for c in el if isinstance(c.tag, str))
    for el in sorted(deep, key=lambda e: -_depth(e)):
        el.drop_tag()


def _depth(el) -> int:
    n = 0
    while el is not None:
        el, n = el.getparent(), n + 1
    return n


def _link_share(el) -> float:
    total = len("".join(el.itertext()).strip())
    if not total:
        return 0.0
    links = sum(len("".join(a.itertext()).strip()) for a in el.iter("a"))
    return links / total


class _Walker:
    """Depth-first walk that emits one line per block and one line per table row."""

    def __init__(self, lines: list[str]):
        self.lines = lines
        self.buf: list[str] = []
        self.marker = ""  # a list item's marker, put before the item's first line

    def flush(self) -> None:
        line = " ".join("".join(self.buf).split())
        if line:
            self.lines.append(self.marker + line)
            self.marker = ""
        self.buf = []

    def block(self, el, prefix: str = "") -> None:
        self.flush()
        if prefix:
            self.marker = prefix
        if el.text:
            self.buf.append(el.text)
        own_tag = el.tag.lower() if isinstance(el.tag, str) else ""
        number = _int(el.get("start"), 1) - 1
        for child in el:
            tag = child.tag.lower() if isinstance(child.tag, str) else ""
            if tag == "table" and not _is_layout(child):
                self.flush()
                self.marker = ""
                self.table(child)
            elif tag == "br":
                self.flush()
            elif tag == "li" and own_tag in ("ol", "ul"):
                if _wraps_list_only(child):  # an item holding only a deeper list has no marker
                    self.block(child)
                    continue
                number = _int(child.get("value"), number + 1)
                self.block(child, prefix=_marker(own_tag, el.get("type"), number, child))
            elif tag in _BLOCK_TAGS or tag in ("td", "th"):
                self.block(child)
            else:
                self.inline(child)
            if child.tail:
                self.buf.append(child.tail)
        self.flush()

    def inline(self, el) -> None:
        for child in el.iter():
            if child is not el and isinstance(child.tag, str) and child.tag.lower() == "br":
                self.buf.append(" ")
        # text_content keeps inline children's text in order
        self.buf.append(el.text_content())

    def table(self, table) -> None:
        for tr in table.iter("tr"):
            if tr.getparent() is not None and _owning_table(tr) is not table:
                continue
            cells = [" ".join(td.text_content().split()) for td in tr if isinstance(td.tag, str)
                     and td.tag.lower() in ("td", "th")]
            if any(cells):
                self.lines.append(table_line(cells))


def _int(v, default: int) -> int:
    try:
        return int(v)
    except (TypeError, ValueError):
        return default


def _wraps_list_only(li) -> bool:
    return not (li.text or "").strip() and len(li) > 0 and all(
        isinstance(c.tag, str) and c.tag.lower() in ("ol", "ul") and not (c.tail or "").strip() for c in li)


_ROMAN = ((1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"), (50, "L"), (40, "XL"),
          (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I"))


def _roman(n: int) -> str:
    out = ""
    for v, s in _ROMAN:
        while n >= v:
            out, n = out + s, n - v
    return out


def _marker(list_tag: str, kind: str | None, n: int, li) -> str:
    """What a browser shows before a list item, as plans print it: "I. ", "1. ", "a. ", "- "."""
    if list_tag == "ul":
        first = (li.text_content() or "").lstrip()[:1]
        return "" if first in "-–—+•*" and first else "- "
    if kind == "I":
        label = _roman(n)
    elif kind == "i":
        label = _roman(n).lower()
    elif kind in ("a", "A") and 1 <= n <= 26:
        label = chr(ord(kind) + n - 1)
    else:
        label = str(n)
    return f"{label}. "


def _owning_table(tr):
    p = tr.getparent()
    while p is not None and p.tag != "table":
        p = p.getparent()
    return p


def _is_layout(table) -> bool:
    """A table that holds other tables or whole paragraphs of blocks is page layout."""
    return any(True for _ in table.iter("table") if _ is not table) or \
        any(True for _ in table.iter("h1", "h2", "h3", "ul", "ol"))
