"""Helpers shared by extractors: evidence spans that always match the document text."""
from __future__ import annotations

from typing import Any


def span(doc: Any, start: int, end: int) -> tuple[str, int, int]:
    """(quote, char_start, char_end) for ``doc.text[start:end]``, trimmed of edge whitespace."""
    text = doc.text
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return text[start:end], start, end


def pipe_cells(line: str, offset: int) -> list[tuple[int, int, str]]:
    """Cells of a pipe-table row as (start, end, text), offsets in the document (``offset`` is
    where ``line`` starts); the empty cells outside the first and last pipe are dropped."""
    cells, pos = [], 0
    for seg in line.split("|"):
        st = seg.strip()
        lead = len(seg) - len(seg.lstrip())
        cells.append((offset + pos + lead, offset + pos + lead + len(st), st))
        pos += len(seg) + 1
    if line.lstrip().startswith("|"):
        cells = cells[1:]
    if line.rstrip().endswith("|"):
        cells = cells[:-1]
    return cells
