"""Split: one file may hold several documents (a letter, the decision it forwards, the plan).

A document begins at a header cluster: the national motto ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM")
and/or a number line ("Số: 157/KH-UBND"), with the issuing body's upper-case name just above.
A new document starts only at a header cluster that follows a substantial body, so the header
table of a scraped page and the header of the plan under it stay one document.
"""
from __future__ import annotations

from dataclasses import dataclass

import regex

_MOTTO = regex.compile(r"^\s*CỘNG HÒA XÃ HỘI(?: CHỦ NGHĨA VIỆT NAM)?\b", regex.M)
_NUMBER_LINE = regex.compile(r"^\s*Số\s*:\s*\d+\s*/\s*[\p{Lu}Đ]", regex.M)
_SIGNATURE_END = regex.compile(r"^(?:Nơi nhận|TM\.|KT\.|Lưu:)", regex.M)

# a header cluster must follow at least this much text of the previous document
MIN_BODY_CHARS = 600
# how far (characters) the parts of one header cluster may lie apart
CLUSTER_SPAN = 400


@dataclass(frozen=True)
class Part:
    index: int
    start: int
    end: int


def _header_positions(text: str) -> list[int]:
    pos = sorted({m.start() for m in _MOTTO.finditer(text)} | {m.start() for m in _NUMBER_LINE.finditer(text)})
    clusters: list[int] = []
    for p in pos:
        if clusters and p - clusters[-1] < CLUSTER_SPAN:
            continue
        clusters.append(p)
    return clusters


def _back_to_issuer(text: str, pos: int, floor: int) -> int:
    """Move a header start up over the issuer's upper-case lines ("THỦ TƯỚNG CHÍNH PHỦ")."""
    start = pos
    lines_up = 0
    while start > floor and lines_up < 4:
        prev_end = text.rfind("\n", floor, start - 1)
        line_start = prev_end + 1 if prev_end >= floor else floor
        line = text[line_start:start].strip()
        if not line:
            start = line_start
            continue
        letters = [c for c in line if c.isalpha()]
        if letters and sum(c.isupper() for c in letters) / len(letters) > 0.8 and len(line) < 80:
            start = line_start
            lines_up += 1
            continue
        break
    # do not swallow a blank line above
    while start < pos and text[start] == "\n":
        start += 1
    return start


def split_documents(text: str) -> list[Part]:
    """Return the documents of a cleaned file text as character ranges (``part`` is 0-based)."""
    starts = [0]
    for h in _header_positions(text):
        if h - starts[-1] < MIN_BODY_CHARS:
            continue
        body = text[starts[-1]:h]
        # the previous document must have ended (signature block) or be long
        if not _SIGNATURE_END.search(body) and len(body) < 4 * MIN_BODY_CHARS:
            continue
        starts.append(_back_to_issuer(text, h, starts[-1]))
    parts = []
    for i, s in enumerate(starts):
        e = starts[i + 1] if i + 1 < len(starts) else len(text)
        # trim whitespace at the edges so each part begins and ends with text
        while s < e and text[s].isspace():
            s += 1
        while e > s and text[e - 1].isspace():
            e -= 1
        parts.append(Part(i, s, e))
    return parts
