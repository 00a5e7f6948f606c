"""Word documents (.docx) with python-docx.

The body is walked in order: each paragraph is a line, each table row a
``| cell | cell |`` line (merged cells once, a cell's paragraphs joined by spaces, a table
inside a cell read into its cell), content controls (``w:sdt``) entered. Page headers and
footers are not part of the body and are not read (they are page furniture).

Word-generated numbering ("I.", "1.", "a)", "-") is not in the paragraph's text: it is
computed here from the numbering definitions (``numbering.xml``) the way Word shows it, for
numbering set on the paragraph or inherited from its style, so "I. MỤC TIÊU" reads the same
as in the printed plan.
"""
from __future__ import annotations

import io
import zipfile

from chitieu.pipeline.readers import Reading, ReaderError, ReadOptions, check_zip_size, table_line


def read(data: bytes, path: str, options: ReadOptions) -> Reading:
    import docx
    from docx.opc.exceptions import PackageNotFoundError

    check_zip_size(data)
    try:
        document = docx.Document(io.BytesIO(data))
    except (PackageNotFoundError, zipfile.BadZipFile, KeyError, ValueError) as e:
        raise ReaderError(_why_not_docx(data, e)) from None
    numbering = Numbering(document)
    lines: list[str] = []
    for kind, el in _body_items(document.element.body):
        if kind == "p":
            line = _paragraph_text(el)
            label = numbering.label(el, document)
            if label and line.strip():
                line = f"{label} {line.lstrip()}"
            lines.append(line)
        else:
            lines.extend(_table_lines(el))
    text = "\n".join(lines)
    if not text.strip():
        raise ReaderError("Word document has no text in its body")
    return Reading(text, "docx", pages=_page_count(document))


def _why_not_docx(data: bytes, e: Exception) -> str:
    if not zipfile.is_zipfile(io.BytesIO(data)):
        return "not a Word .docx file (not a ZIP package; a .doc saved with the wrong suffix?)"
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        names = z.namelist()
    if "word/document.xml" not in names:
        shown = ", ".join(names[:3]) + (" …" if len(names) > 3 else "")
        return f"not a Word .docx file: a ZIP archive without word/document.xml (holds {shown})"
    return f"damaged Word .docx file: {type(e).__name__}: {e}"


def _qn(tag: str) -> str:
    from docx.oxml.ns import qn

    return qn(tag)


def _body_items(parent):
    p, tbl, sdt, content = _qn("w:p"), _qn("w:tbl"), _qn("w:sdt"), _qn("w:sdtContent")
    for child in parent.iterchildren():
        if child.tag == p:
            yield "p", child
        elif child.tag == tbl:
            yield "tbl", child
        elif child.tag == sdt:
            inner = child.find(content)
            if inner is not None:
                yield from _body_items(inner)


def _paragraph_text(p) -> str:
    """Text of a ``w:p``: its runs (and hyperlinks, fields) with tabs and breaks."""
    t, tab, br, cr = _qn("w:t"), _qn("w:tab"), _qn("w:br"), _qn("w:cr")
    # a soft hyphen is its own element; in a TCVN3 (.VnTime) text it is the letter "ư"
    soft, hard = _qn("w:softHyphen"), _qn("w:noBreakHyphen")
    txbx = _qn("w:txbxContent")
    out: list[str] = []
    boxes: list[str] = []
    for el in p.iter(t, tab, br, cr, soft, hard, txbx):
        if el.tag == txbx:
            if not _in_fallback(el, p) and _inside(el, p, txbx) is None:
                boxes.extend(_paragraph_text(bp) for bp in el.iterchildren(_qn("w:p")))
            continue
        if _inside(el, p, txbx) is not None or _in_fallback(el, p):
            continue  # a text box's text: its own lines, after its anchor paragraph's
        if el.tag == t:
            out.append(el.text or "")
        elif el.tag == tab:
            out.append("\t")
        elif el.tag == soft:
            out.append("\u00ad")
        elif el.tag == hard:
            out.append("-")
        else:
            out.append("\n")
    return "\n".join(x for x in ("".join(out), *boxes) if x.strip())


_MC_FALLBACK = "{http://schemas.openxmlformats.org/markup-compatibility/2006}Fallback"


def _inside(el, stop, tag):
    """The nearest ancestor of ``el`` with ``tag`` below ``stop``, or None."""
    el = el.getparent()
    while el is not None and el is not stop:
        if el.tag == tag:
            return el
        el = el.getparent()
    return None


def _in_fallback(el, stop) -> bool:
    """Inside an ``mc:Fallback`` (below ``stop``)? Word stores a text box twice: as a drawing
    (mc:Choice) and as VML for old readers (mc:Fallback); reading both doubles its text."""
    el = el.getparent()
    while el is not None and el is not stop:
        if el.tag == _MC_FALLBACK:
            return True
        el = el.getparent()
    return False


def _table_lines(tbl) -> list[str]:
    tr, tc = _qn("w:tr"), _qn("w:tc")
    lines = []
    for row in tbl.iterchildren(tr):
        cells = []
        for cell in row.iter(tc):
            if _owner(cell, tr) is not row:
                continue  # a cell of a table nested in this row: read into its own cell's text
            cells.append(" ".join(_paragraph_text(p) for p in cell.iter(_qn("w:p"))))
        if any(c.strip() for c in cells):
            lines.append(table_line(cells))
    return lines


def _owner(el, tag):
    p = el.getparent()
    while p is not None and p.tag != tag:
        p = p.getparent()
    return p


def _page_count(document) -> int | None:
    """Pages as Word last counted them (docProps/app.xml), when it did."""
    try:
        for rel in document.part.package.iter_parts():
            if str(rel.partname) == "/docProps/app.xml":
                from lxml import etree

                root = etree.fromstring(rel.blob)
                for el in root.iter():
                    if isinstance(el.tag, str) and el.tag.endswith("}Pages") and (el.text or "").isdigit():
                        return int(el.text) or None
    except Exception:  # noqa: BLE001 - the page count is a nicety; its absence is not an error
        return None
    return None


# ---- numbering ----------------------------------------------------------------------------

def _roman(n: int) -> str:
    out = ""
    for v, s in ((1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"), (50, "L"),
                 (40, "XL"), (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I")):
        while n >= v:
            out, n = out + s, n - v
    return out


def _letter(n: int) -> str:
    # Vietnamese plans letter items a), b), c) … with the Latin alphabet as Word does
    s = ""
    while n > 0:
        n, r = divmod(n - 1, 26)
        s = chr(ord("a") + r) + s
    return s


_FORMATS = {
    "decimal": str,
    "decimalZero": lambda n: f"{n:02d}",
    "upperRoman": _roman,
    "lowerRoman": lambda n: _roman(n).lower(),
    "upperLetter": lambda n: _letter(n).upper(),
    "lowerLetter": _letter,
}


class Numbering:
    """Word's list numbering: counters per list (numId) and level, labels as Word shows them."""

    def __init__(self, document):
        self.levels: dict[str, dict[int, tuple[int, str, str]]] = {}  # numId -> ilvl -> (start, fmt, text)
        self.counters: dict[str, dict[int, int]] = {}
        try:
            root = document.part.numbering_part.element
        except (NotImplementedError, KeyError, AttributeError):
            return
        w = _qn
        abstract = {}
        for an in root.iterchildren(w("w:abstractNum")):
            abstract[an.get(w("w:abstractNumId"))] = self._levels(an)
        for num in root.iterchildren(w("w:num")):
            ref = num.find(w("w:abstractNumId"))
            if ref is None:
                continue
            levels = dict(abstract.get(ref.get(w("w:val")), {}))
            for ov in num.iterchildren(w("w:lvlOverride")):
                ilvl = int(ov.get(w("w:ilvl"), "0"))
                lvl = ov.find(w("w:lvl"))
                if lvl is not None:
                    levels.update(self._levels_of([lvl]))
                so = ov.find(w("w:startOverride"))
                if so is not None and ilvl in levels:
                    _, fmt, text = levels[ilvl]
                    levels[ilvl] = (int(so.get(w("w:val"), "1")), fmt, text)
            self.levels[num.get(w("w:numId"))] = levels

    def _levels(self, abstract_num):
        return self._levels_of(abstract_num.iterchildren(_qn("w:lvl")))

    @staticmethod
    def _levels_of(lvls):
        w = _qn
        out = {}
        for lvl in lvls:
            def val(tag, default):
                el = lvl.find(w(tag))
                return el.get(w("w:val"), default) if el is not None else default
            out[int(lvl.get(w("w:ilvl"), "0"))] = (int(val("w:start", "1")), val("w:numFmt", "decimal"),
                                                   val("w:lvlText", ""))
        return out

    def _num_pr(self, p, document):
        w = _qn
        ppr = p.find(w("w:pPr"))
        num_pr = ppr.find(w("w:numPr")) if ppr is not None else None
        if num_pr is None and ppr is not None:
            style = ppr.find(w("w:pStyle"))
            if style is not None:
                num_pr = self._style_num_pr(document, style.get(w("w:val")))
        if num_pr is None:
            return None
        num_id = num_pr.find(w("w:numId"))
        ilvl = num_pr.find(w("w:ilvl"))
        if num_id is None:
            return None
        return num_id.get(w("w:val")), int(ilvl.get(w("w:val"), "0")) if ilvl is not None else 0

    @staticmethod
    def _style_num_pr(document, style_id):
        w = _qn
        seen = set()
        styles = document.styles.element
        while style_id and style_id not in seen:
            seen.add(style_id)
            st = next((s for s in styles.iterchildren(w("w:style")) if s.get(w("w:styleId")) == style_id), None)
            if st is None:
                return None
            ppr = st.find(w("w:pPr"))
            if ppr is not None and ppr.find(w("w:numPr")) is not None:
                return ppr.find(w("w:numPr"))
            based = st.find(w("w:basedOn"))
            style_id = based.get(w("w:val")) if based is not None else None
        return None

    def label(self, p, document) -> str | None:
        found = self._num_pr(p, document)
        if not found or found[0] not in self.levels or found[0] == "0":
            return None
        num_id, ilvl = found
        levels = self.levels[num_id]
        if ilvl not in levels:
            return None
        counters = self.counters.setdefault(num_id, {})
        start = levels[ilvl][0]
        counters[ilvl] = counters.get(ilvl, start - 1) + 1
        for deeper in [k for k in counters if k > ilvl]:
            del counters[deeper]
        _, fmt, text = levels[ilvl]
        if fmt == "bullet":
            return "-"
        if fmt == "none":
            return text or None

        def value(m):
            lv = int(m.group(1)) - 1
            if lv not in levels:
                return ""
            n = counters.get(lv, levels[lv][0])
            return _FORMATS.get(levels[lv][1], str)(n)

        import re

        return re.sub(r"%(\d)", value, text) or None
