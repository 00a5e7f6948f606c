"""Rich Text Format (.rtf) with striprtf.

striprtf gives the text with ``|`` after each table cell; a line ending in ``|`` is a table
row and is rewritten as a ``| cell | cell |`` line. A cell holding several paragraphs
comes out over several lines (striprtf does not mark where a row starts): those lines are
joined to the row only when they end in a cell mark.
"""
from __future__ import annotations

from chitieu.pipeline.readers import Reading, ReaderError, ReadOptions, table_line


def read(data: bytes, path: str, options: ReadOptions) -> Reading:
    from striprtf.striprtf import rtf_to_text

    if not data.lstrip().startswith(b"{\\rtf"):
        raise ReaderError("not an RTF file (no {\\rtf header)")
    try:
        # RTF is 7-bit with escapes for everything else; \ansicpg code pages are handled by striprtf
        text = rtf_to_text(data.decode("latin-1"), errors="strict")
    except Exception as e:  # noqa: BLE001 - striprtf raises plain errors on broken input
        raise ReaderError(f"cannot read RTF ({type(e).__name__}: {e})") from None
    lines = []
    for ln in text.splitlines():
        s = ln.strip()
        if s.endswith("|") and s.count("|") >= 1 and not s.startswith("|"):
            lines.append(table_line(s[:-1].split("|")))
        else:
            lines.append(ln)
    return Reading("\n".join(lines), "rtf")
