"""Evidence, part of the model: the span a row quotes, always equal to the document text there.

Every stored row carries ``quote``, ``char_start``, ``char_end`` with
``documents.text[char_start:char_end] == quote``; extractors build them with :func:`span`."""
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

