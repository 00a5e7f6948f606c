"""Ingest: find plan files and decode them, refusing bytes that are not text.

Accepted encodings: UTF-8 with or without BOM, UTF-16 with BOM. Invalid UTF-8 is an
``IngestError`` naming the file and the byte offset; nothing is silently replaced.

Text typed in a legacy Vietnamese font encoding (TCVN3/ABC, VNI, VISCII) and saved as
Unicode looks like "Céng hoµ x· héi"; it is detected on a sample and converted with
``viparse`` (the conversion is recorded in ``SourceFile.legacy_encoding`` and in
``documents.notes``).
"""
from __future__ import annotations

import codecs
import hashlib
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Iterator

import regex

SUFFIXES = (".txt",)


class IngestError(Exception):
    """A file that cannot be read as a plan text."""

    def __init__(self, path: Path | str, message: str):
        super().__init__(f"{path}: {message}")
        self.path = str(path)
        self.message = message


# legacy-font detection looks at this many characters (it costs ~1 s per MB)
LEGACY_SAMPLE = 6000


@dataclass(frozen=True)
class SourceFile:
    path: str
    raw_sha1: str
    text: str  # decoded (and converted from a legacy font if needed), not yet normalized
    legacy_encoding: str | None = None


_UNICODE_VI = regex.compile(r"[\u1ea0-\u1ef9ăâđêôơưĂÂĐÊÔƠƯ]")


def convert_legacy(text: str) -> tuple[str, str | None]:
    """Convert TCVN3/VNI/VISCII text to Unicode; return (text, encoding or None).

    Text already written with Unicode Vietnamese letters (ạ, ế, ư, đ …) is returned as is
    without asking the (slower) detector.
    """
    sample = text[:LEGACY_SAMPLE]
    if len(_UNICODE_VI.findall(sample)) >= 0.02 * len(sample) or sample.isascii():
        return text, None
    import viparse

    enc = viparse.detect_text_encoding(sample)
    if not enc:
        return text, None
    return viparse.fix(text, encoding=enc), enc


def discover(paths: Iterable[str | Path]) -> Iterator[Path]:
    """Yield plan files from files and folders (recursive), sorted, each once."""
    seen: set[Path] = set()
    for p in paths:
        p = Path(p)
        if p.is_dir():
            candidates = sorted(x for x in p.rglob("*") if x.is_file() and x.suffix.lower() in SUFFIXES)
        elif p.exists():
            candidates = [p]
        else:
            raise IngestError(p, "no such file or folder")
        for c in candidates:
            r = c.resolve()
            if r not in seen:
                seen.add(r)
                yield c


def decode(data: bytes, path: Path | str = "<bytes>") -> str:
    """Decode plan bytes: UTF-16 (BOM) or UTF-8 (optional BOM); raise IngestError otherwise."""
    if data.startswith(codecs.BOM_UTF16_LE) or data.startswith(codecs.BOM_UTF16_BE):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError as e:
            raise IngestError(path, f"invalid UTF-16 at byte offset {e.start}: {e.reason}") from None
    if data.startswith(codecs.BOM_UTF8):
        data = data[len(codecs.BOM_UTF8):]
        offset = len(codecs.BOM_UTF8)
    else:
        offset = 0
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as e:
        raise IngestError(
            path, f"not valid UTF-8 at byte offset {e.start + offset} ({data[e.start:e.start + 4]!r}): {e.reason}"
        ) from None


def read_file(path: Path | str) -> SourceFile:
    path = Path(path)
    try:
        data = path.read_bytes()
    except OSError as e:
        raise IngestError(path, f"cannot read: {e.strerror or e}") from None
    text = decode(data, path)
    if not text.strip():
        raise IngestError(path, "empty file (no text)")
    if "\x00" in text:
        raise IngestError(path, f"binary content (NUL character at offset {text.index(chr(0))})")
    text, legacy = convert_legacy(text)
    return SourceFile(str(path), hashlib.sha1(data).hexdigest(), text, legacy)
