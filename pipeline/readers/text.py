"""Plain text (.txt) and Markdown (.md, .markdown): decoded as text.

Markdown keeps its words and lines; the block markers that are not words are taken off the
start of lines: ATX heading marks (``## I. MỤC TIÊU`` -> ``I. MỤC TIÊU``), block quotes
(``> ``), ``*``/``+`` bullets (written ``- `` as plans write them) and table separator rows
(``|---|---|``). Inline emphasis (``**bold**``) is left to the clean stage, which removes it
from scraped text already.
"""
from __future__ import annotations

from pathlib import Path

import regex

from chitieu.pipeline.readers import Reading, ReaderError, ReadOptions
from chitieu.pipeline.readers.encoding import DecodeError, decode, drop_nuls


def read(data: bytes, path: str, options: ReadOptions) -> Reading:
    try:
        text, note = decode(data, path)
        text, nul_note = drop_nuls(text)
    except DecodeError as e:
        raise ReaderError(str(e)) from None
    notes = [n for n in (note, nul_note) if n]
    if Path(path).suffix.lower() in (".md", ".markdown"):
        return Reading(markdown_lines(text), "md", notes=notes)
    return Reading(text, "txt", notes=notes)


_MD_HEADING = regex.compile(r"(?m)^[ \t]{0,3}#{1,6}[ \t]+(.*?)(?:[ \t]+#+)?[ \t]*$")
_MD_QUOTE = regex.compile(r"(?m)^[ \t]{0,3}(?:>[ \t]?)+")
_MD_BULLET = regex.compile(r"(?m)^([ \t]*)[*+][ \t]+")
_MD_TABLE_RULE = regex.compile(r"(?m)^[ \t]*\|?[ \t]*:?-{3,}:?[ \t]*(?:\|[ \t]*:?-{3,}:?[ \t]*)*\|?[ \t]*$\n?")


def markdown_lines(text: str) -> str:
    """Markdown block markers off (see the module doc); every line stays a line."""
    text = _MD_TABLE_RULE.sub("", text)
    text = _MD_HEADING.sub(r"\1", text)
    text = _MD_QUOTE.sub("", text)
    return _MD_BULLET.sub(r"\1- ", text)
