"""Budgets: every amount of money a plan allocates, with what it is per and where it comes from.

One row per amount (``corpora/lexicons/money.yaml`` holds every word used here):

- **amount**: digits or number words, a multiplier and a currency word: "100 triệu đồng",
  "1.250 triệu đồng" (1 250 000 000), "1,5 tỷ đồng", "2 tỷ 500 triệu đồng", "500.000.000 đồng",
  "50 nghìn đồng/người", "năm trăm triệu đồng" (``extractors.numbers`` parses the numbers).
- **is it a budget?** A budget word ("kinh phí", "ngân sách", "bố trí", "hỗ trợ", ...) stands
  before the amount in its sentence, or in a heading above it ("Kinh phí thực hiện"), with no
  word of another kind of money in between (income, revenue, fines, salary levels, poverty lines).
  A rule without an amount ("mức phụ cấp ... bằng mức lương cơ bản") gives no row.
- **per**: the nearest cue: ``year`` ("/năm", "mỗi năm", "hằng năm"), ``period`` ("cả giai đoạn",
  "tổng kinh phí", or a bare allocation "Dự kiến kinh phí ...: 1.250 triệu đồng"), ``month``,
  ``quarter``, ``person`` ("/người"), ``unit`` ("/xã", "/mô hình"); NULL for a rate
  ("mức hỗ trợ 500.000 đồng") or when nothing is said.
  "bình quân 100 triệu đồng/năm, cả giai đoạn 500 triệu đồng" is two rows (year, period).
- **funding_source**: the nearest source phrase before the amount in its clause, else in the
  headings above ("ngân sách tỉnh", "ngân sách trung ương", "xã hội hóa", "lồng ghép", ...).
- **activity**: "cho <purpose>" before the amount, else the nearest heading above that names an
  activity (the parent of "1.2. Kinh phí thực hiện").
- **tables**: bare numbers of a table whose unit is declared once ("ĐVT: triệu đồng"), only in its
  money columns (or year/total columns of a "Kinh phí ..." row); the row label is the activity.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import Any, Iterator

import regex

from extractors._data import corpus_data
from extractors import table
from extractors._evidence import span
from extractors._table_budgets import table_budgets
from extractors.agencies import scan_timeout
from extractors.numbers import lexicon as number_lexicon
from extractors.numbers import parse_digits, parse_words

TIMEOUT = 2  # seconds, for one match


@dataclass
class Budget:
    amount_vnd: int  # the amount in đồng
    amount_text: str  # as written ("1.250 triệu đồng")
    per: str | None  # year | period | month | quarter | person | unit | NULL
    funding_source: str | None  # ngân sách tỉnh | ngân sách trung ương | ngân sách xã | xã hội hóa | lồng ghép | ...
    activity: str | None  # what the money funds (purpose phrase or the activity heading)
    section: str | None  # label of the section holding the amount
    quote: str
    char_start: int
    char_end: int
    is_total: bool | None = None  # a table's total row or column (True), another table cell (False); NULL in running text


@lru_cache(maxsize=1)
def lexicon() -> dict:
    return corpus_data("lexicons/money.yaml")


def _alt(words) -> str:
    return "|".join(sorted(words, key=len, reverse=True))


def _phrases(words) -> str:
    """Alternation of literal phrases, any whitespace between words."""
    out = []
    for w in sorted(words, key=len, reverse=True):
        out.append(r"\s+".join(regex.escape(p) for p in w.split()))
    return "|".join(out)


@dataclass
class _Patterns:
    amount: regex.Pattern
    currency: regex.Pattern  # currency words: where amounts can end
    bare: regex.Pattern  # "350 triệu" with no currency word, ending its clause
    bare_anchor: regex.Pattern
    group: regex.Pattern
    mult: dict[str, int]
    per_after: list[tuple[str, regex.Pattern]]
    per_before: regex.Pattern
    per_before_role: list[str]
    total_or_rate: regex.Pattern
    budget_or_not: regex.Pattern
    source: regex.Pattern
    source_names: list[str]
    non_activity: regex.Pattern


@lru_cache(maxsize=1)
def patterns() -> _Patterns:
    lx = lexicon()
    nl = number_lexicon()
    mult = {k.lower(): v for k, v in lx["multipliers"].items()}
    mult_alt = _alt(regex.escape(m) for m in mult)
    cur_alt = _alt(regex.escape(c) for c in lx["currency"])
    num_d = r"\d{1,3}(?:\.\d{3})+(?:,\d+)?|\d+(?:,\d+)?"
    words = set(nl["units"]) | set(nl["after_tens"]) | set(nl["ten"]) | set(nl["tens_suffix"]) \
        | set(nl["hundred"]) | set(nl["join"]) | set(nl["multipliers"]) | set(nl["half"])
    w_alt = _alt(regex.escape(w) for w in words)
    d_groups = rf"(?:{num_d})(?:\s*(?:{mult_alt})(?![\w]))?(?:\s+(?:{num_d})\s*(?:{mult_alt})(?![\w]))*"
    w_run = rf"(?:{w_alt})(?:\s+(?:{w_alt}))*"
    amount = regex.compile(
        rf"(?<![\w.,/])(?P<amt>{d_groups}|{w_run})\s*(?P<cur>{cur_alt})(?![\w])", regex.I)
    currency = regex.compile(rf"(?<=[\d\p{{L}}]\s*)(?:{cur_alt})(?![\w])", regex.I)
    # "nguồn thu sự nghiệp: 350 triệu; NSNN: 130 triệu", "500 triệu/năm": a big multiplier with no currency
    # word, at the end of its clause (never "1,2 triệu người", "500 triệu USD")
    big_alt = _alt(regex.escape(m) for m, v in mult.items() if v >= 1_000_000)
    bare = regex.compile(
        rf"(?<![\w.,/])(?P<amt>(?:{num_d})\s*(?:{mult_alt})(?:\s+(?:{num_d})\s*(?:{mult_alt}))*)(?P<cur>)(?<=(?:{big_alt}))"
        rf"(?![\w])", regex.I)
    bare_anchor = regex.compile(rf"(?<=\d\s*)(?:{big_alt})(?![\w])(?=[ \t]*(?:[.;,:)\]]|/[ \t]*(?:năm|tháng|quý|người)(?![\w])|$))",
                                regex.I | regex.M)
    group = regex.compile(rf"(?P<n>{num_d})\s*(?P<m>{mult_alt})?", regex.I)
    per_after = []
    before_parts, before_role = [], []
    for role, cues in lx["per"].items():
        per_after.append((role, regex.compile(rf"[ \t]*(?:{'|'.join(cues.get('after') or [])})(?![\w])", regex.I)))
        for c in cues.get("before") or []:
            before_parts.append(rf"(?P<p{len(before_role)}>{c})")
            before_role.append(role)
    per_before = regex.compile(rf"(?<![\w])(?:{'|'.join(before_parts)})(?![\w])", regex.I)
    total_or_rate = regex.compile(
        rf"(?<![\w])(?:(?P<rate>{_phrases(lx['rate_cues'])})|(?P<total>{_phrases(lx['total_cues'])}))(?![\w])", regex.I)
    budget_or_not = regex.compile(
        rf"(?<![\w])(?:(?P<no>{_phrases(lx['not_budget'])})|(?P<yes>{_phrases(lx['budget_cues'])}))(?![\w])", regex.I)
    src_parts, src_names = [], []
    for name, cues in lx["funding_sources"].items():
        src_parts.append(rf"(?P<s{len(src_names)}>{_phrases(cues)})")
        src_names.append(name)
    source = regex.compile(rf"(?<![\w])(?:{'|'.join(src_parts)})(?![\w])", regex.I)
    non_activity = regex.compile(lx["non_activity_headings"], regex.I)
    return _Patterns(amount, currency, bare, bare_anchor, group, mult, per_after, per_before, before_role, total_or_rate, budget_or_not,
                     source, src_names, non_activity)


def parse_amount(text: str) -> int | None:
    """VND value of an amount without its currency word: "2 tỷ 500 triệu" -> 2_500_000_000."""
    parsed = _parse(text)
    return parsed[0] if parsed else None


def _parse(text: str) -> tuple[int, int] | None:
    """(value, number of leading words that are no part of the number)."""
    P = patterns()
    text = " ".join(text.split())
    if regex.match(r"\d", text):
        total = 0.0
        pos = 0
        for g in P.group.finditer(text):
            if text[pos:g.start()].strip():
                return None
            total += float(parse_digits(g.group("n"))) * (P.mult[g.group("m").lower()] if g.group("m") else 1)
            pos = g.end()
        if text[pos:].strip():
            return None
        return int(round(total)), 0
    tokens = text.lower().split()
    for i in range(len(tokens)):  # "mỗi năm một trăm triệu": drop leading words that are no number
        v = parse_words(" ".join(tokens[i:]))
        if v is not None:
            return int(round(v)), i
    return None


def _last(pattern: regex.Pattern, text: str, start: int, end: int):
    last = None
    for m in pattern.finditer(text, start, end, timeout=TIMEOUT):
        last = m
    return last


def _clause_start(text: str, pos: int, floor: int = 0) -> int:
    i = max(text.rfind(".", floor, pos), text.rfind(";", floor, pos), text.rfind("\n", floor, pos))
    while 0 <= i < pos and text[i] == "." and i + 1 < len(text) and text[i + 1].isdigit():
        # "1.250": a thousands dot, not a sentence end
        i = max(text.rfind(".", floor, i), text.rfind(";", floor, i), text.rfind("\n", floor, i))
    return i + 1 if i >= 0 else floor


def _sentence_start(text: str, pos: int) -> int:
    """Start of the sentence holding ``pos``: after ". X" (X a capital) or the line start."""
    line = text.rfind("\n", 0, pos) + 1
    i = pos
    while True:
        i = text.rfind(". ", line, i)
        if i < 0:
            return line
        j = i + 2
        while j < pos and text[j] == " ":
            j += 1
        if j < pos and text[j].isupper():
            return j


_IN_WORDS = regex.compile(r"\s*\(\s*(?:bằng\s+chữ\s*:?\s*|viết\s+bằng\s+chữ\s*:?\s*)?", regex.I)
_SOURCE_AFTER_END = regex.compile(r"[.;:,\n]")
_SPELLED_OUT = regex.compile(r"bằng\s+chữ\s*:?[^\d()\n]{0,80}$", regex.I)  # "(Bằng chữ: Hai tỷ, ba trăm …"
_CLOSE_PAREN = regex.compile(r"[^()\n\d]{0,3}\)")


def _headings(doc: Any, offset: int) -> list[str]:
    """Titles of the sections above ``offset`` (not the heading line that holds it)."""
    return [" ".join(s.title.split()) for s in doc.ancestors(doc.section_at(offset))
            if s.title and not s.start <= offset < s.title_end]


def _activity(doc: Any, offset: int, before: str, after: str) -> str | None:
    m = regex.search(r"(?<![\w])cho\s+(?P<p>[^:;.\n]{4,160}?)\s*:?\s*$", before) \
        or regex.match(r"(?:\s*/\s*\w+)*(?:[^.;:,\n]{0,40}?)\s(?:để|cho)\s+(?P<p>[^:;.\n]{4,160})", after)
    if m:  # "cho 11 xã điểm, trong đó 1,7 tỷ đồng …": the purpose ends before "trong đó"
        return regex.split(r"[\s,]*\btrong\s+đó\b", " ".join(m.group("p").split()), maxsplit=1, flags=regex.I)[0] or None
    P = patterns()
    for s in doc.ancestors(doc.section_at(offset)):
        title = " ".join(s.title.split()).strip(" :.")
        if not title or s.is_bullet or s.start <= offset < s.title_end or P.non_activity.search(title):
            continue
        return title[:300]
    return None


def _amount_matches(P: _Patterns, text: str) -> Iterator[regex.Match]:
    """Amounts, searched only just before currency words or big multipliers (most of a plan has no money)."""
    found = []
    for anchors, pattern in ((P.currency, P.amount), (P.bare_anchor, P.bare)):
        last = 0
        for c in anchors.finditer(text, timeout=scan_timeout(len(text))):
            ws = max(last, c.start() - 120)
            best = None
            for m in pattern.finditer(text, ws, c.end(), timeout=TIMEOUT):
                if m.end() == c.end() and (best is None or m.start() < best.start()):
                    best = m
            if best is not None:
                found.append(best)
                last = best.end()
    found.sort(key=lambda m: m.start())
    yield from found


def find_amounts(text: str) -> Iterator[tuple[int, int, int, str]]:
    """(value, start, end, text) of every amount of money in ``text``."""
    P = patterns()
    for m in _amount_matches(P, text):
        raw = m.group("amt")
        parsed = _parse(raw)
        if parsed is None:
            continue
        parsed, skip = parsed
        start = m.start("amt")
        if skip:  # words dropped from the front of a word run
            for _ in range(skip):
                start = regex.search(r"\S+\s+", text[start:m.end()]).end() + start
        if parsed <= 0:
            continue
        yield parsed, start, m.end(), text[start:m.end()]


@table("budgets", Budget)
def extract(doc: Any) -> Iterator[Budget]:
    P = patterns()
    text = doc.text
    prev_end = 0
    prev_amount: tuple[int, int] | None = None  # (value, end) of the previous amount
    for value, start, end, raw in find_amounts(text):
        if (prev_amount and prev_amount[0] == value and _IN_WORDS.fullmatch(text, prev_amount[1], start)) \
                or (not raw[:1].isdigit() and _SPELLED_OUT.search(text, text.rfind("\n", 0, start) + 1, start)):
            # "2.500.000.000 đồng (Hai tỷ năm trăm triệu đồng)", "(Bằng chữ: Hai tỷ, ba trăm năm mươi triệu
            # đồng)": the same amount in words, or part of it
            close = _CLOSE_PAREN.match(text, end)
            prev_end = close.end() if close else end
            continue
        prev_amount = (value, end)
        cs = _clause_start(text, start)
        sent_start = _sentence_start(text, start)
        # is it a budget?
        cue = _last(P.budget_or_not, text, sent_start, start)
        if cue is not None and cue.group("no"):
            prev_end = end
            continue
        if cue is None:
            heads = " | ".join(_headings(doc, start))
            hc = _last(P.budget_or_not, heads, 0, len(heads))
            if hc is None or hc.group("no"):
                prev_end = end
                continue
        # per
        per = None
        after = text[end:end + 40]
        for role, pat in P.per_after:
            if pat.match(after):
                per = role
                break
        window_start = max(cs, prev_end if prev_end <= start else cs)
        if per is None:
            b = _last(P.per_before, text, window_start, start)
            if b is not None:
                per = next(P.per_before_role[i] for i in range(len(P.per_before_role)) if b.group(f"p{i}"))
        if per is None:
            tr = _last(P.total_or_rate, text, sent_start, start)
            if tr is not None and tr.group("total"):
                per = "period"
        # funding source
        src = _last(P.source, text, sent_start, start)
        source = None
        if src is None:  # "1,5 tỷ đồng từ ngân sách tỉnh"
            nxt = _SOURCE_AFTER_END.search(text, end)
            src = P.source.search(text, end, nxt.start() if nxt else len(text))
        if src is None:
            heads = " | ".join(_headings(doc, start))
            src = _last(P.source, heads, 0, len(heads))
        if src is not None:
            source = next(P.source_names[i] for i in range(len(P.source_names)) if src.group(f"s{i}"))
        activity = _activity(doc, start, text[max(sent_start, min(prev_end, start)):start], text[end:end + 200])
        # evidence: from the clause start (or the previous amount) to the end of the per cue
        qe = end
        for _, pat in P.per_after:
            pm = pat.match(text, end, min(len(text), end + 40))
            if pm:
                qe = pm.end()
                break
        qs = window_start
        if start - qs > 160:
            qs = start
        while qs < start and (text[qs] in ",;:/-+*(" or text[qs].isspace()):
            qs += 1
        quote, qs, qe = span(doc, qs, qe)
        prev_end = qe
        yield Budget(
            amount_vnd=value, amount_text=" ".join(raw.split()), per=per, funding_source=source,
            activity=activity, section=doc.section_label(start) or None, quote=quote, char_start=qs, char_end=qe,
        )
    yield from table_budgets(doc, P)
