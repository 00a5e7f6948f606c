"""Ingest: find plan files, read each with the reader of its format, and check the result.

    discover_report(paths) -> Discovery   what will be read, and what was not (and why)
    read_file(path)        -> SourceFile  the file's text, its format, pages and notes

Formats are read by ``pipeline.readers`` (one module per format, a registry by suffix).
Every format's text then goes through the same checks here: stray NUL characters dropped
(noted), text typed in a legacy Vietnamese font (TCVN3/ABC, VNI, VISCII) converted with
``viparse`` (recorded in ``SourceFile.legacy_encoding`` and in ``documents.notes``).

Only regular files are read: FIFOs, sockets and devices are refused before they are opened
(a FIFO would block, ``/dev/zero`` never ends), and a file over ``max_bytes`` (default
50 MB) is refused without being read. Every refusal is an ``IngestError`` naming the file.
"""
from __future__ import annotations

import hashlib
import os
import stat
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable, Iterator

from chitieu.pipeline.readers import SUFFIXES, ReaderError, ReadOptions, reader_for
from chitieu.pipeline.readers.encoding import LEGACY_SAMPLE, DecodeError, drop_nuls  # noqa: F401 (re-exported)
from chitieu.pipeline.readers.encoding import convert_legacy as convert_legacy
from chitieu.pipeline.readers.encoding import decode as _decode

MAX_BYTES = 50 * 2**20  # --max-size is in MB of 2**20 bytes


class IngestError(Exception):
    """A file that cannot be read as a plan text."""

    def __init__(self, path: Path | str, message: str):
        super().__init__(f"{path}: {message}")
        self.path = str(path)
        self.message = message


@dataclass(frozen=True)
class SourceFile:
    path: str
    raw_sha1: str
    text: str  # extracted (and converted from a legacy font if needed), not yet normalized
    legacy_encoding: str | None = None
    source_format: str = "txt"
    pages: int | None = None
    notes: tuple[str, ...] = ()  # what reading did to the text (decoding, NULs dropped, …)


def decode(data: bytes, path: Path | str = "<bytes>") -> str:
    """Decode plan bytes (UTF-8/UTF-16 with BOM, or a recognised 8-bit Vietnamese encoding)."""
    try:
        return _decode(data, str(path))[0]
    except DecodeError as e:
        raise IngestError(path, str(e)) from None


# ---- discovery --------------------------------------------------------------------------

def _kind(mode: int) -> str:
    for test, name in ((stat.S_ISFIFO, "FIFO"), (stat.S_ISSOCK, "socket"), (stat.S_ISCHR, "character device"),
                       (stat.S_ISBLK, "block device")):
        if test(mode):
            return name
    return "special file"


@dataclass
class Discovery:
    """What discovery found: files to read, problems with named paths, what folders held besides."""

    files: list[Path] = field(default_factory=list)
    errors: list[tuple[str, str]] = field(default_factory=list)  # (path, message): errors rows
    other_types: Counter = field(default_factory=Counter)  # suffix -> files skipped in folders
    special: list[tuple[str, str]] = field(default_factory=list)  # (path, kind) found in folders, not read

    def summary(self) -> str:
        """What was not read, for the run's summary line ('' when nothing)."""
        parts = []
        if self.other_types:
            n = sum(self.other_types.values())
            kinds = ", ".join(f"{s} {c}" for s, c in sorted(self.other_types.items(), key=lambda x: (-x[1], x[0])))
            parts.append(f"skipped {n} file{'s' if n > 1 else ''} of other types: {kinds}")
        if self.special:
            kinds = Counter(k for _, k in self.special)
            parts.append(f"not read {len(self.special)} non-regular entries: "
                         + ", ".join(f"{k} {c}" for k, c in sorted(kinds.items())))
        return "; ".join(parts)

    def warnings(self) -> list[str]:
        """One line per entry found in folders and not read (special files, dangling links)."""
        return [f"{p}: {k}, not read" for p, k in self.special]


def discover_report(paths: Iterable[str | Path]) -> Discovery:
    """Files of every supported suffix (case-insensitive) under ``paths``, sorted, each once."""
    rep = Discovery()
    seen: set[Path] = set()

    def add(c: Path) -> None:
        r = c.resolve()
        if r not in seen:
            seen.add(r)
            rep.files.append(c)

    for p in paths:
        p = Path(p)
        if p.is_dir():
            for c in sorted(p.rglob("*")):
                _classify(c, rep, add)
        elif not os.path.lexists(p):
            rep.errors.append((str(p), "no such file or folder"))
        elif not p.exists():
            rep.errors.append((str(p), "dangling symbolic link"))
        elif reader_for(p.suffix) is None:
            rep.errors.append((str(p), f"unsupported file type {p.suffix or '(no suffix)'!r}; readable: "
                                       + " ".join(SUFFIXES)))
        else:
            add(p)  # a non-regular file named explicitly is refused by read_file, with its kind
    return rep


def _classify(c: Path, rep: Discovery, add) -> None:
    try:
        st = c.stat()
    except OSError:
        if c.is_symlink():
            rep.special.append((str(c), "dangling symbolic link"))
        return
    if stat.S_ISDIR(st.st_mode):
        return
    if not stat.S_ISREG(st.st_mode):
        rep.special.append((str(c), _kind(st.st_mode)))
    elif reader_for(c.suffix) is not None:
        add(c)
    elif not c.name.startswith("."):  # hidden files (.DS_Store, .gitkeep) are not documents
        rep.other_types[c.suffix.lower() or "(no suffix)"] += 1


def discover(paths: Iterable[str | Path]) -> Iterator[Path]:
    """Yield plan files from files and folders (recursive); a bad named path raises IngestError."""
    rep = discover_report(paths)
    if rep.errors:
        raise IngestError(*rep.errors[0])
    yield from rep.files


# ---- reading ----------------------------------------------------------------------------

def read_bytes(path: Path | str, max_bytes: int = MAX_BYTES) -> bytes:
    """The bytes of a regular file of at most ``max_bytes``; IngestError otherwise."""
    path = Path(path)
    try:
        st = os.stat(path)
    except OSError as e:
        raise IngestError(path, f"cannot read: {e.strerror or e}") from None
    if not stat.S_ISREG(st.st_mode):
        raise IngestError(path, f"not a regular file ({_kind(st.st_mode)}): not read")
    if st.st_size > max_bytes:
        raise IngestError(path, f"file too large ({st.st_size / 2**20:.1f} MB > limit {max_bytes / 2**20:.1f} MB; "
                                f"raise it with --max-size)")
    try:
        with open(path, "rb") as f:
            data = f.read(max_bytes + 1)
    except OSError as e:
        raise IngestError(path, f"cannot read: {e.strerror or e}") from None
    if len(data) > max_bytes:  # grew while being read
        raise IngestError(path, f"file too large (over the limit of {max_bytes / 2**20:.1f} MB)")
    return data


def read_file(path: Path | str, *, ocr: bool = False, max_bytes: int = MAX_BYTES) -> SourceFile:
    path = Path(path)
    reader = reader_for(path.suffix) or reader_for(".txt")
    data = read_bytes(path, max_bytes)
    try:
        reading = reader.read(data, str(path), ReadOptions(ocr=ocr))
        text, nul_note = drop_nuls(reading.text)
    except (ReaderError, DecodeError) as e:
        raise IngestError(path, str(e)) from None
    if not text.strip():
        raise IngestError(path, "empty file (no text)")
    text, legacy = convert_legacy(text)
    notes = [*reading.notes, *([nul_note] if nul_note else [])]
    return SourceFile(str(path), hashlib.sha1(data).hexdigest(), text, legacy, reading.format, reading.pages,
                      tuple(notes))
