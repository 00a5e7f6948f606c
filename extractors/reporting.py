"""Reporting duties: how often, by when and to whom implementing agencies must report.

One row per obligation in a sentence that has a reporting verb ("báo cáo") and a frequency, a due
date or a recipient (words in ``corpora/lexicons/reporting.yaml``):

    "định kỳ 6 tháng (trước ngày 10/6), hàng năm (trước ngày 10/12); giữa kỳ, giai đoạn và đột xuất
    (khi có yêu cầu) báo cáo kết quả thực hiện về Phòng Lao động - Thương binh và Xã hội huyện"
    -> 6_months "trước ngày 10/6", annual "trước ngày 10/12", mid_term, end_of_period, ad_hoc; recipient
       "Phòng Lao động - Thương binh và Xã hội"

A due date belongs to the frequency it is attached to ("6 tháng (trước ngày 10/6)", "trước ngày
01/12 hàng năm") and is stored as written (``due_date()`` reads it as "10/06" or "2025-12-16"); a
dated deadline with no frequency is ``once``. The recipient is the agency
after "về/cho/với/lên" (or right after the verb), canonicalised like ``agencies.name``; onward
reporting by the recipient ("để tổng hợp báo cáo UBND tỉnh") is not a second duty.
"""
from __future__ import annotations

from bisect import bisect_left, bisect_right
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, Iterator

import regex

from chitieu.pipeline.corpus import corpus_data
from chitieu.extractors import table
from chitieu.pipeline.evidence import span
from chitieu.pipeline.patterns import scan_compile
from chitieu.pipeline.structure import MATCH_TIMEOUT, scan_timeout

TIMEOUT = MATCH_TIMEOUT


@dataclass
class Reporting:
    frequency: str | None  # 6_months | annual | quarterly | monthly | mid_term | end_of_period | ad_hoc | periodic | once
    due: str | None  # as written: "trước ngày 10/6", "ngày 15/12", "trước ngày 01/12 hàng năm"
    recipient: str | None  # canonical agency names, "; " between several
    section: str | None
    quote: str
    char_start: int
    char_end: int


@lru_cache(maxsize=1)
def lexicon() -> dict:
    return corpus_data("lexicons/reporting.yaml")


def _phr(p: str) -> str:
    return r"\s+".join(p.split())


@dataclass
class _P:
    trigger: regex.Pattern
    freq: regex.Pattern
    freq_names: list[str]
    due: regex.Pattern
    marker: regex.Pattern
    onward: regex.Pattern
    followup: regex.Pattern


@lru_cache(maxsize=1)
def patterns() -> _P:
    lx = lexicon()
    trig = "|".join(_phr(t) for t in sorted(lx["triggers"], key=len, reverse=True))
    parts, names = [], []
    items = [(name, c) for name, cues in lx["frequencies"].items() for c in cues]
    items.sort(key=lambda x: -len(x[1]))
    for name, c in items:
        parts.append(rf"(?P<f{len(names)}>{_phr(c)})")
        names.append(name)
    nf = lx["not_frequency_after"]
    freq = regex.compile(rf"(?<![\w])(?:{'|'.join(parts)})(?![\w])(?!{nf})", regex.I)
    markers = "|".join(_phr(m) for m in sorted(lx["recipient_markers"], key=len, reverse=True))
    onward = "|".join(_phr(o) for o in sorted(lx["onward"], key=len, reverse=True))
    follow = "|".join(_phr(o) for o in lx["due_followups"])
    return _P(
        # tried only where a first word of a reporting verb is (scanned alone: FirstWordPattern)
        trigger=scan_compile(rf"(?<![\w])(?:{trig})(?![\w])", regex.I),
        freq=freq, freq_names=names,
        due=regex.compile(rf"(?<![\w]){lx['due']}(?![\d])", regex.I),
        marker=regex.compile(rf"(?<![\w])(?:{markers})\s+$", regex.I),
        onward=regex.compile(rf"(?<![\w])(?:{onward})(?![\w])", regex.I),
        followup=regex.compile(rf"\s*(?:{follow})(?![\w])", regex.I),
    )


# a date right after a document number is the date of a cited document, not a due date
# ("Nghị quyết 30a/2008/NQ-CP ngày 27 tháng 12 năm 2008", "Công văn số 15/SYT ngày 3/4/2024")
_CITED = regex.compile(r"(?<![\w/])\d{1,5}[a-z]?\s*/\s*(?:\d{4}\s*/\s*)?[\p{Lu}Đ][\p{L}\d&.-]*\s*$")
_ONWARD_VERB = regex.compile(r"(?<![\w])để\s+(?:tổng\s+hợp\s*,?\s*)?$", regex.I)
def due_date(due: str) -> str | None:
    """A due date as "DD/MM" (every period) or "YYYY-MM-DD" (one deadline): "trước ngày 10/6" -> "10/06"."""
    m = patterns().due.search(due)
    if not m:
        return None
    d, mth, y = int(m.group("d")), int(m.group("m")), m.group("y")
    return f"{y}-{mth:02d}-{d:02d}" if y else f"{d:02d}/{mth:02d}"


def _recipients(doc: Any, s: int, e: int, trig: regex.Match) -> tuple[list[str], int]:
    """Canonical recipients of the duty in text[s:e] and the end of their list (the agencies come
    from the document's ``agency_mentions`` layer: its lists cut to the sentence)."""
    P = patterns()
    text = doc.text
    for lst in doc.layer("agency_mentions").lists_within(s, e):
        a = lst.start
        if a < trig.start() or not lst.named:
            continue
        before = text[max(trig.end(), a - 12):a]
        if regex.search(r"(?<![\w])từ\s*$", before):
            continue  # "tổng hợp báo cáo từ các sở": the reporting agencies, not the recipient
        if P.marker.search(before) or a - trig.end() <= 2 \
                or regex.fullmatch(r"\s*(?:kết quả(?: thực hiện)?)\s*", text[trig.end():a]):
            return list(dict.fromkeys(m.name for m in lst.named)), lst.end
    return [], -1


@table("reporting", Reporting, uses=("agency_mentions",))
def extract(doc: Any) -> Iterator[Reporting]:
    P = patterns()
    text = doc.text
    limit = doc.body_end
    # the model's sentences (corpora/lexicons/text.yaml), the body's only: looked up by bisection
    # for the few reporting verbs, not copied for the whole text
    sents, starts = doc.sentences, doc.sentence_starts
    n_body = bisect_left(starts, limit)  # the sentences that start in the body
    triggers: dict[int, regex.Match] = {}  # sentence index -> its first own reporting verb
    timeout = scan_timeout(len(text))
    for t in P.trigger.finditer(text, 0, limit, timeout=timeout):
        i = bisect_right(starts, t.start()) - 1
        if i < 0 or i in triggers or doc.in_distribution_list(t.start()):
            continue
        if _ONWARD_VERB.search(text, max(sents[i][0], t.start() - 20), t.start()):
            continue  # "để tổng hợp báo cáo UBND tỉnh": the recipient's own onward report
        triggers[i] = t
    for i in sorted(triggers):
        s, e = sents[i][0], min(sents[i][1], limit)
        trig = triggers[i]
        cut = P.onward.search(text, trig.end(), e)
        we = cut.start() if cut else e
        freqs: list[tuple[str, int, int]] = []
        for f in P.freq.finditer(text, s, we):
            name = next(P.freq_names[k] for k in range(len(P.freq_names)) if f.group(f"f{k}") is not None)
            freqs.append((name, f.start(), f.end()))
        dues = [d for d in P.due.finditer(text, s, we) if not _CITED.search(text, max(0, d.start() - 40), d.start())]
        if not dues and i + 1 < n_body:
            ns, ne = sents[i + 1][0], min(sents[i + 1][1], limit)
            if P.followup.match(text, ns, ne):
                dues = list(P.due.finditer(text, ns, ne))
        recipients, rend = _recipients(doc, s, we, trig)
        if not (freqs or dues or recipients):
            continue
        all_freqs = list(freqs)
        specific = [f for f in freqs if f[0] != "periodic"]
        if specific:
            freqs = specific
        # attach each due date to the frequency written right before or after it
        due_of: dict[int, regex.Match] = {}
        loose = []
        for d in dues:
            k = next((j for j in range(len(freqs) - 1, -1, -1) if freqs[j][2] <= d.start()
                      and d.start() - freqs[j][2] <= 25 and not regex.search(r"[,;]", text[freqs[j][2]:d.start()])),
                     None)
            if k is None:
                k = next((j for j in range(len(freqs)) if freqs[j][1] >= d.end()
                          and freqs[j][1] - d.end() <= 25 and not regex.search(r"[,;]", text[d.end():freqs[j][1]])),
                         None)
            if k is None or k in due_of:
                loose.append(d)
            else:
                due_of[k] = d
        rows: list[tuple[str | None, str | None]] = []
        seen = set()
        for j, (name, fs, fe) in enumerate(freqs):
            if name in seen and j not in due_of:
                continue
            seen.add(name)
            d = due_of.get(j)
            due = None
            if d is not None:  # "trước ngày 01/12 hàng năm": the frequency written after the date is part of it
                due = text[d.start():fe] if fs >= d.end() else d.group(0)
            rows.append((name, due))
        for d in loose:
            rows.append(("once" if d.group("y") else None, d.group(0)))
        if not rows:
            rows.append((None, None))
        starts = [trig.start()] + [f[1] for f in all_freqs] + [d.start() for d in dues if d.start() < e]
        ends = [trig.end(), rend] + [f[2] for f in all_freqs] + [d.end() for d in dues if d.end() <= e]
        quote, qs, qe = span(doc, min(starts), max(ends))
        recipient = "; ".join(recipients) or None
        for name, d in rows:
            yield Reporting(
                frequency=name, due=" ".join(d.split()) if d else None,
                recipient=recipient, section=doc.section_label(trig.start()) or None, quote=quote, char_start=qs, char_end=qe,
            )
