"""Plain text (.txt) and Markdown (.md, .markdown): decoded as text.

Markdown is kept as written: the clean stage already removes the markers scraped plan
text carries (``**bold**``, ``#`` headings, ``|`` tables), and keeping the file's own text
means evidence quotes can be found in the file as the user sees it.
"""
from __future__ import annotations

from pathlib import Path

from pipeline.readers import Reading, ReaderError, ReadOptions
from pipeline.readers.encoding import DecodeError, decode, drop_nuls


def read(data: bytes, path: str, options: ReadOptions) -> Reading:
    try:
        text, note = decode(data, path)
        text, nul_note = drop_nuls(text)
    except DecodeError as e:
        raise ReaderError(str(e)) from None
    fmt = "md" if Path(path).suffix.lower() in (".md", ".markdown") else "txt"
    return Reading(text, fmt, notes=[n for n in (note, nul_note) if n])
