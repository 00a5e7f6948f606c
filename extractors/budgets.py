"""Budgets: every amount of money a plan allocates, with what it is per and where it comes from.

One row per amount (``corpora/lexicons/money.yaml`` holds every word used here):

- **amount**: digits or number words, a multiplier and a currency word: "100 triệu đồng",
  "1.250 triệu đồng" (1 250 000 000), "1,5 tỷ đồng", "2 tỷ 500 triệu đồng", "500.000.000 đồng",
  "50 nghìn đồng/người", "năm trăm triệu đồng" (``extractors.numbers`` parses the numbers).
- **is it a budget?** Small rules in order, each keeping its reason (``Budget.reason``): never a request
  ("kiến nghị", "đề nghị"), a fine, a rate ("mức hỗ trợ", "định mức"), a unit price ("đồng/suất", "/ha",
  "/người/tháng"), past spending ("đã giải ngân", a year before the document's) or a results section; a
  breakdown ("trong đó", "gồm", an aside in parentheses) keeps the decision of the amount it breaks down;
  else the nearest budget word ("kinh phí", "ngân sách", "bố trí", ...) or other-money word (income,
  revenue, damage, prices) before it in its sentence; else money for carrying out a plan after it; else
  the budget list of its section going on; else a budget word in a heading above it.
- **per**: ``year`` ("/năm", "mỗi năm", one named year "năm 2023"), ``period`` only when tied to the whole
  plan period ("cả giai đoạn", "tổng kinh phí", "giai đoạn 2021-2025", "/5 năm", a breakdown of such a
  total, the budget before it in its paragraph, or a funding section of a multi-year plan), ``month``,
  ``quarter``, ``person`` ("/người"), ``unit`` ("/xã", "/mô hình"); NULL when not said.
  "bình quân 100 triệu đồng/năm, cả giai đoạn 500 triệu đồng" is two rows (year, period).
- **range and comparator**: "từ 50 đến 100 triệu đồng" is one row (``amount_vnd`` the lower end,
  ``amount_max_vnd`` the upper); "không quá", "tối đa" give ``at_most``, "dưới" ``less_than``, ...
- **cost**: every look-back stops ``LOOK`` characters before the amount: linear in line length.
- **funding_source**: the nearest source phrase before the amount in its clause, else in the
  headings above ("ngân sách tỉnh", "ngân sách trung ương", "xã hội hóa", "lồng ghép", ...).
- **activity**: "cho <purpose>" before the amount, else the nearest heading above that names an
  activity (the parent of "1.2. Kinh phí thực hiện").
- **tables**: bare numbers of a table whose unit is declared once ("ĐVT: triệu đồng"), only in its
  money columns (or year/total columns of a "Kinh phí ..." row); the row label is the activity.
"""
from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, Iterator

import regex

from chitieu.extractors._data import corpus_data
from chitieu.extractors import table
from chitieu.extractors._evidence import span
from chitieu.extractors._table_budgets import table_budgets
from chitieu.pipeline.structure import MATCH_TIMEOUT, scan_timeout
from chitieu.extractors.numbers import lexicon as number_lexicon
from chitieu.extractors.numbers import parse_digits, parse_words

TIMEOUT = MATCH_TIMEOUT


LOOK = 300  # chars: how far back a cue, a clause or a sentence start is looked for (keeps cost linear in line length)
MAX_VND = 2 ** 63 - 1  # the largest amount SQLite stores exactly
MAX_DIGITS = 24  # longer digit runs are no amount of money (and would be slow or impossible to parse)


@dataclass
class Budget:
    amount_vnd: int  # the amount in đồng (the lower end of a range)
    amount_text: str  # as written ("1.250 triệu đồng", "từ 50 đến 100 triệu đồng")
    per: str | None  # year | period | month | quarter | person | unit | NULL
    funding_source: str | None  # ngân sách tỉnh | ngân sách trung ương | ngân sách xã | xã hội hóa | lồng ghép | ...
    activity: str | None  # what the money funds (purpose phrase or the activity heading)
    section: str | None  # label of the section holding the amount
    quote: str
    char_start: int
    char_end: int
    amount_max_vnd: int | None = None  # the upper end of a range ("từ 50 đến 100 triệu đồng"), else NULL
    comparator: str | None = None  # equal | at_most ("không quá", "tối đa") | less_than ("dưới") | at_least | more_than | range
    reason: str | None = None  # the rule that accepted the row and the words that decided (for `chitieu explain`)
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


def _words(words) -> regex.Pattern:
    return regex.compile(rf"(?<![\w])(?:{_phrases(words)})(?![\w])", regex.I)


@dataclass
class _Patterns:
    amount: regex.Pattern
    currency: regex.Pattern  # currency words: where amounts can end
    bare: regex.Pattern  # "350 triệu" with no currency word, ending its clause
    bare_anchor: regex.Pattern
    group: regex.Pattern
    mult: dict[str, int]
    cur_mult: dict[str, int]  # "tr.đ" = 1 000 000
    per_after: list[tuple[str, regex.Pattern]]
    per_before: regex.Pattern
    per_before_role: list[str]
    budget_or_not: regex.Pattern
    source: regex.Pattern
    source_names: list[str]
    non_activity: regex.Pattern
    named_year: regex.Pattern
    period_after: regex.Pattern
    funding_section: regex.Pattern
    rate: regex.Pattern
    price_after: regex.Pattern
    veto: regex.Pattern
    veto_names: list[str]
    past: regex.Pattern
    results_sentence: regex.Pattern
    results_opener: regex.Pattern
    results: regex.Pattern
    breakdown: regex.Pattern
    budget_after: regex.Pattern
    comparator_tail: regex.Pattern  # comparator words ending just before the amount
    comparator_of: dict[str, str]
    range_before: regex.Pattern  # "từ 50 đến " / "50 - " before an amount
    words_in_paren: regex.Pattern  # "(Hai tỷ, năm trăm triệu đồng)" after an amount
    long_number: regex.Pattern
    no_kinds: set


def _cur_key(s: str) -> str:
    return " ".join(s.lower().split())


@lru_cache(maxsize=1)
def patterns() -> _Patterns:
    lx = lexicon()
    nl = number_lexicon()
    mult = {k.lower(): v for k, v in lx["multipliers"].items()}
    mult_alt = _alt(regex.escape(m) for m in mult)
    cur_mult = {_cur_key(k): v for k, v in (lx.get("currency_multiplied") or {}).items()}
    cur_alt = "|".join([_phrases(cur_mult)] if cur_mult else []) + ("|" if cur_mult else "") \
        + _alt(regex.escape(c) for c in lx["currency"])
    num_d = r"\d{1,3}(?:\.\d{3})+(?:,\d+)?|\d+(?:,\d+)?"
    words = set(nl["units"]) | set(nl["after_tens"]) | set(nl["ten"]) | set(nl["tens_suffix"]) \
        | set(nl["hundred"]) | set(nl["join"]) | set(nl["multipliers"]) | set(nl["half"])
    w_alt = _alt(regex.escape(w) for w in words)
    mults = rf"(?:\s*(?:{mult_alt})(?![\w]))*"  # "10 nghìn tỷ": multipliers compound
    d_groups = rf"(?:{num_d}){mults}(?:\s+(?:{num_d})\s*(?:{mult_alt})(?![\w]))*"
    w_run = rf"(?:{w_alt})(?:\s+(?:{w_alt}))*"
    amount = regex.compile(
        rf"(?<![\w.,/])(?P<amt>{d_groups}|{w_run})\s*(?P<cur>{cur_alt})(?![\w])", regex.I)
    currency = regex.compile(rf"(?<=[\d\p{{L}}]\s*)(?:{cur_alt})(?![\w])", regex.I)
    # "nguồn thu sự nghiệp: 350 triệu; NSNN: 130 triệu", "500 triệu/năm": a big multiplier with no currency
    # word, at the end of its clause (never "1,2 triệu người", "500 triệu USD")
    big_alt = _alt(regex.escape(m) for m, v in mult.items() if v >= 1_000_000)
    bare = regex.compile(
        rf"(?<![\w.,/])(?P<amt>(?:{num_d}){mults}(?:\s+(?:{num_d})\s*(?:{mult_alt}))*)(?P<cur>)(?<=(?:{big_alt}))"
        rf"(?![\w])", regex.I)
    bare_anchor = regex.compile(rf"(?<=\d\s*)(?:{big_alt})(?![\w])(?=[ \t]*(?:[.;,:)\]]|/[ \t]*(?:năm|tháng|quý|người)(?![\w])|$))",
                                regex.I | regex.M)
    group = regex.compile(rf"(?P<n>{num_d})(?P<m>(?:\s*(?:{mult_alt})(?![\w]))*)", regex.I)
    per_after = []
    before_parts, before_role = [], []
    for role, cues in lx["per"].items():
        per_after.append((role, regex.compile(rf"[ \t]*(?:{'|'.join(cues.get('after') or [])})(?![\w])", regex.I)))
        for c in cues.get("before") or []:
            before_parts.append(rf"(?P<p{len(before_role)}>{c})")
            before_role.append(role)
    per_before = regex.compile(rf"(?<![\w])(?:{'|'.join(before_parts)})(?![\w])", regex.I)
    budget_or_not = regex.compile(
        rf"(?<![\w])(?:(?P<no>{_phrases(lx['not_budget'])})|(?P<yes>{_phrases(lx['budget_cues'])}))(?![\w])", regex.I)
    src_parts, src_names = [], []
    for name, cues in lx["funding_sources"].items():
        src_parts.append(rf"(?P<s{len(src_names)}>{_phrases(cues)})")
        src_names.append(name)
    source = regex.compile(rf"(?<![\w])(?:{'|'.join(src_parts)})(?![\w])", regex.I)
    non_activity = regex.compile(lx["non_activity_headings"], regex.I)
    veto_parts, veto_names = [], []
    for name, cues in lx["veto_sentence"].items():
        veto_parts.append(rf"(?P<v{len(veto_names)}>{_phrases(cues)})")
        veto_names.append(name)
    comp_of = {}
    for comp, ws in lx["comparators"].items():
        for w in ws:
            comp_of[" ".join(w.lower().split())] = comp
    cur_any = rf"(?:\s*(?:{cur_alt})(?![\w]))?"
    return _Patterns(
        amount, currency, bare, bare_anchor, group, mult, cur_mult, per_after, per_before, before_role, budget_or_not,
        source, src_names, non_activity,
        named_year=regex.compile(lx["named_year"], regex.I),
        period_after=regex.compile(rf"(?<![\w])(?:{lx['period_after']})(?![\w])", regex.I),
        funding_section=_words(lx["funding_section"]),
        rate=_words(lx["rate_cues"]),
        price_after=regex.compile(lx["price_after"], regex.I),
        veto=regex.compile(rf"(?<![\w])(?:{'|'.join(veto_parts)})(?![\w])", regex.I),
        veto_names=veto_names,
        past=_words(lx["past_cues"]),
        results_sentence=_words(lx["results_sentence_cues"]),
        results_opener=regex.compile(rf"[\s\-+•*]*(?:{_phrases(lx['results_openers'])})(?![\w])", regex.I),
        results=regex.compile(lx["results_headings"], regex.I),
        breakdown=regex.compile(rf"(?:^|(?<=[,;:(.]))[\s,;:(\-–+*]*(?:{_phrases(lx['breakdown'])})(?![\w])", regex.I | regex.M),
        budget_after=regex.compile(lx["budget_after"], regex.I),
        comparator_tail=regex.compile(rf"(?<![\w])(?:{_phrases(comp_of)})[\s:]*$", regex.I),
        comparator_of=comp_of,
        range_before=regex.compile(
            rf"(?<![\w.,/])(?P<from>từ\s+)?(?P<lo>{num_d}){mults}{cur_any}\s*(?:đến|tới|[-–])\s*$", regex.I),
        words_in_paren=regex.compile(r"\s*\((?:\s*(?:viết\s+)?bằng\s+chữ\s*:?)?(?P<w>[^()\d\n]{3,160})\)", regex.I),
        long_number=regex.compile(rf"\d(?:[.,]?\d){{{MAX_DIGITS},}}"),
        no_kinds=set(lx.get("no_budget_kinds") or []),
    )


def parse_amount(text: str) -> int | None:
    """VND value of an amount without its currency word: "2 tỷ 500 triệu" -> 2_500_000_000."""
    parsed = _parse(text)
    return parsed[0] if parsed else None


def _parse(text: str) -> tuple[int, int] | None:
    """(value, number of leading words that are no part of the number)."""
    P = patterns()
    text = " ".join(text.split())
    if regex.match(r"\d", text):
        if sum(ch.isdigit() for ch in text) > MAX_DIGITS:
            return None
        total = 0.0
        pos = 0
        for g in P.group.finditer(text):
            if text[pos:g.start()].strip():
                return None
            factor = 1
            for m in g.group("m").split():
                factor *= P.mult[m.lower()]
            total += float(parse_digits(g.group("n"))) * factor
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
    floor = max(floor, pos - LOOK)
    i = max(text.rfind(".", floor, pos), text.rfind(";", floor, pos), text.rfind("\n", floor, pos))
    while 0 <= i < pos and text[i] == "." and i + 1 < len(text) and text[i + 1].isdigit():
        # "1.250": a thousands dot, not a sentence end
        i = max(text.rfind(".", floor, i), text.rfind(";", floor, i), text.rfind("\n", floor, i))
    while i > floor and text[i] == "." and text[i - 1].isalpha() and text[i - 1].isupper() \
            and (i < 2 or not text[i - 2].isalpha()):
        # "T.Ư", "TP.": an abbreviation dot, not a clause end
        i = max(text.rfind(".", floor, i), text.rfind(";", floor, i), text.rfind("\n", floor, i))
    return i + 1 if i >= 0 else floor


def _sentence_start(text: str, pos: int) -> int:
    """Start of the sentence holding ``pos``: after ". X" (X a capital) or the line start, at most LOOK back."""
    floor = max(text.rfind("\n", max(0, pos - LOOK), pos) + 1, pos - LOOK, 0)
    i = pos
    while True:
        i = text.rfind(". ", floor, i)
        if i < 0:
            return floor
        j = i + 2
        while j < pos and text[j] == " ":
            j += 1
        if j < pos and text[j].isupper() and not (i >= 1 and text[i - 1].isupper() and (i < 2 or not text[i - 2].isalpha())):
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


@dataclass
class _Amount:
    value: int
    start: int  # where the amount (or its range) starts
    end: int
    text: str
    value_max: int | None = None
    digits: bool = True  # written in digits (not in words)


def _amounts(P: _Patterns, text: str, too_large: list[str]) -> Iterator[_Amount]:
    """Every amount of money in ``text``; a range "từ 50 đến 100 triệu đồng" is one amount; an amount
    that cannot be stored exactly is left out and named in ``too_large``."""
    pending: _Amount | None = None
    for m in _amount_matches(P, text):
        raw = m.group("amt")
        start = m.start("amt")
        if sum(ch.isdigit() for ch in raw) > MAX_DIGITS:
            too_large.append(f"{raw[:20]}… at {start}")
            continue
        parsed = _parse(raw)
        if parsed is None:
            continue
        value, skip = parsed
        if skip:  # words dropped from the front of a word run
            for _ in range(skip):
                start = regex.search(r"\S+\s+", text[start:m.end()]).end() + start
        value *= P.cur_mult.get(_cur_key(m.group("cur")), 1)
        if value <= 0:
            continue
        if value > MAX_VND:
            too_large.append(f"{text[start:m.end()][:40]} = {value} VND at {start}")
            continue
        a = _Amount(value, start, m.end(), text[start:m.end()], digits=raw[:1].isdigit())
        rb = P.range_before.search(text, max(0, start - 60), start)
        if rb is not None and a.digits:
            lo = _range_low(P, rb, a, text)
            if pending is not None and pending.end > rb.start():
                pending = None  # "từ 1.000.000 đồng đến 3.000.000 đồng": the low end was read alone
            if lo is not None and lo < a.value:
                a = _Amount(lo, rb.start(), a.end, text[rb.start():a.end], value_max=a.value)
        if pending is not None:
            yield pending
        pending = a
    if pending is not None:
        yield pending


def _range_low(P: _Patterns, rb: regex.Match, hi: _Amount, text: str) -> int | None:
    """The low end of "từ 50 đến 100 triệu đồng" (50 takes the high end's multiplier), "từ 1,5 đến 2 tỷ đồng"
    or "từ 1.000.000 đồng đến 3.000.000 đồng"; None for a year ("2021-2025") or no number."""
    lo_raw = text[rb.start("lo"):rb.end("lo")]
    tail = text[rb.end("lo"):rb.end()]
    own = [w for w in regex.findall(r"\p{L}+", tail) if w.lower() in P.mult]
    if regex.fullmatch(r"(?:19|20)\d{2}", lo_raw) and not own and not rb.group("from"):
        return None
    if sum(ch.isdigit() for ch in lo_raw) > MAX_DIGITS:
        return None
    lo = float(parse_digits(lo_raw))
    if own:
        for w in own:
            lo *= P.mult[w.lower()]
        return int(round(lo))
    first = P.group.match(hi.text)  # the high end's multiplier: "50 đến 100 triệu"
    if first is None or first.end() < len(hi.text.rstrip()) - 12 and P.group.search(hi.text, first.end()):
        return None
    hi_num = float(parse_digits(first.group("n")))
    return int(round(lo * hi.value / hi_num)) if hi_num else None


def find_amounts(text: str) -> Iterator[tuple[int, int, int, str]]:
    """(value, start, end, text) of every amount of money in ``text`` (a range gives its low end)."""
    for a in _amounts(patterns(), text, []):
        yield a.value, a.start, a.end, a.text


def _comparator(P: _Patterns, text: str, start: int, floor: int, a: _Amount) -> str:
    if a.value_max is not None:
        return "range"
    window = text[max(floor, start - 40):start]
    found = []
    while True:
        m = P.comparator_tail.search(window)
        if m is None:
            break
        found.append(P.comparator_of[" ".join(m.group(0).lower().strip(" :").split())])
        window = window[:m.start()]
    return next((c for c in found if c != "equal"), "equal")


@dataclass
class _Decision:
    ok: bool
    reason: str
    per: str | None = None  # a per inherited from the amount this one breaks down or continues
    listed: bool = False  # a member of a breakdown list ("trong đó: …; …")
    weak: bool = False  # rejected only for want of a budget word: its breakdown may still say it is a budget


@dataclass
class _Prev:
    end: int
    section: Any
    decision: _Decision
    per: str | None
    in_paren: bool  # inside an aside "( … )"
    line: int  # start of its line (paragraph)


def _line_start(doc: Any, offset: int) -> int:
    """Start of the line holding ``offset`` (a bisection: never a scan of a long line)."""
    starts = getattr(doc, "line_starts", None)
    if starts is None:
        return doc.text.rfind("\n", 0, offset) + 1
    return starts[bisect_right(starts, offset) - 1]


_YEAR = regex.compile(r"(?<!\d)(?:19|20)\d\d(?!\d)")


def _doc_year(doc: Any) -> int | None:
    d = doc.meta.issued_date
    m = regex.match(r"(\d{4})", d or "")
    return int(m.group(1)) if m else None


def _decide(doc: Any, P: _Patterns, a: _Amount, sent_start: int, clause: int, prev: _Prev | None,
            head: _Prev | None) -> _Decision:
    """Is the amount a budget? Each rule returns its reason (the words that decided)."""
    text = doc.text
    start, end = a.start, a.end
    veto = _last(P.veto, text, sent_start, start)
    if veto is not None:
        name = next(P.veto_names[i] for i in range(len(P.veto_names)) if veto.group(f"v{i}"))
        return _Decision(False, f"{name}: '{veto.group(0)}' before it in its sentence")
    rate = _last(P.rate, text, sent_start, start)
    if rate is not None:
        return _Decision(False, f"rate: '{rate.group(0)}' before it in its sentence")
    price = P.price_after.match(text, end, min(len(text), end + 40))
    if price is not None:
        return _Decision(False, f"unit price: '{price.group(0).strip()}' after it")
    past = _last(P.past, text, clause, start)
    if past is not None:
        return _Decision(False, f"past: '{past.group(0)}' before it in its clause")
    past = _last(P.past, text, sent_start, clause)
    if past is not None and not _YEAR.search(text, clause, start):
        return _Decision(False, f"past: '{past.group(0)}' earlier in its sentence, no year of its own")
    past = _last(P.results_sentence, text, sent_start, start) or P.results_opener.match(text, sent_start, start)
    if past is not None:
        return _Decision(False, f"past: results passage, '{past.group(0).strip(' -+•*')}' in its sentence")
    year = _doc_year(doc)
    if year is not None:
        for y in P.named_year.finditer(text, clause, start):
            if int(y.group("y")) < year:
                return _Decision(False, f"past: '{y.group(0)}' is before the document's year {year}")
    sec = doc.section_at(start)
    for s in [sec] + doc.ancestors(sec):
        if s is not None and s.title and P.results.search(" ".join(s.title.split())):
            return _Decision(False, f"results section: '{' '.join(s.title.split())[:60]}'")
    # a breakdown of the previous amount keeps its decision: "…, trong đó: ngân sách cấp tỉnh: 197.200 triệu đồng"
    if prev is not None and start - prev.end <= LOOK and not (prev.decision.weak and not prev.in_paren):
        d = prev.decision
        between = text[prev.end:start]
        if prev.in_paren and head is not None and P.breakdown.match(text, clause, start):
            prev, d = head, head.decision  # "… 4.371 tỷ đồng (kế hoạch trước đây là …). Trong đó, …": the head, not the aside
        if P.breakdown.search(text, prev.end, start) or P.breakdown.match(text, clause, start):
            return _Decision(d.ok, f"breakdown of the amount before it ({d.reason.split(' (')[0]})", prev.per, True)
        if "\n\n" in between:
            pass  # another paragraph: only a breakdown ("Trong đó, …") reaches back over it
        elif "(" in between and ")" not in between[between.rindex("("):]:
            # an aside right after an amount qualifies it: "… 14.400.000 đồng (đối với xã điểm được hỗ trợ thêm …)"
            return _Decision(d.ok, f"aside to the amount before it ({d.reason.split(' (')[0]})", prev.per, d.listed)
        elif prev.end > sent_start and (d.listed or _last(P.budget_or_not, text, prev.end, start) is None):
            # the same sentence, no word of its own or a list already opened by "trong đó":
            # "(vốn đầu tư 1.540 tỷ đồng, … 1.413 tỷ đồng)", "trong đó: … 800 triệu đồng; huy động … 400 triệu đồng"
            return _Decision(d.ok, f"same list as the amount before it ({d.reason.split(' (')[0]})", prev.per, d.listed)
    cue = _last(P.budget_or_not, text, sent_start, start)
    if cue is not None:
        if cue.group("no"):
            return _Decision(False, f"not a budget: '{cue.group(0)}' before it")
        return _Decision(True, f"budget word '{cue.group(0)}' in its sentence")
    after = P.budget_after.match(text, end, min(len(text), end + 200))
    if after is not None:
        return _Decision(True, f"funds a plan: '{' '.join(after.group(0).split())}' after it")
    if prev is not None and prev.decision.ok and prev.section is sec and start - prev.end <= 3 * LOOK:
        return _Decision(True, f"continues the budget list of its section ({prev.decision.reason.split(' (')[0]})", prev.per)
    if prev is not None and not prev.decision.ok and not prev.decision.weak and prev.line == _line_start(doc, start) \
            and start - prev.end <= LOOK:
        # no word of its own after a rate in its paragraph: "mức kinh phí … ở cấp huyện 48.200.000 đồng. Cấp xã là …"
        return _Decision(False, f"continues the amount before it ({prev.decision.reason.split(' (')[0]})")
    heads = " | ".join(_headings(doc, start))
    hc = _last(P.budget_or_not, heads, 0, len(heads))
    if hc is not None and not hc.group("no"):
        return _Decision(True, f"budget word '{hc.group(0)}' in a heading above it")
    return _Decision(False, "no budget word in its sentence or headings", weak=True)


def _per(doc: Any, P: _Patterns, a: _Amount, window_start: int, sent_start: int, inherited: str | None) -> tuple[str | None, str]:
    """What the amount is counted per, and why."""
    text = doc.text
    for role, pat in P.per_after:
        m = pat.match(text, a.end, min(len(text), a.end + 40))
        if m:
            return role, f"'{m.group(0).strip()}' after it"
    b = _last(P.per_before, text, window_start, a.start)
    y = _last(P.named_year, text, window_start, a.start)
    if b is not None and (y is None or b.start() > y.start()):
        role = next(P.per_before_role[i] for i in range(len(P.per_before_role)) if b.group(f"p{i}"))
        return role, f"'{b.group(0)}' before it"
    if y is not None:
        return "year", f"one named year '{y.group(0)}' before it"
    nxt = _SOURCE_AFTER_END.search(text, a.end, min(len(text), a.end + 200))
    pa = P.period_after.search(text, a.end, nxt.start() if nxt else min(len(text), a.end + 200))
    if pa is not None:
        return "period", f"'{pa.group(0)}' after it in its clause"
    if inherited is not None:
        return inherited, "as the budget it breaks down or continues in its paragraph"
    ps, pe = doc.meta.period_start, doc.meta.period_end
    if isinstance(ps, int) and isinstance(pe, int) and pe > ps:
        line_s = _line_start(doc, a.start)
        lead = text[line_s:a.start] if a.start - line_s <= LOOK else ""
        heads = " | ".join(_headings(doc, a.start))
        f = P.funding_section.search(heads) or P.funding_section.search(lead)
        if f is not None:
            return "period", f"funding section ('{f.group(0)}') of a {ps}-{pe} plan"
    return None, "no per said"


@table("budgets", Budget)
def extract(doc: Any) -> Iterator[Budget]:
    """Budget rows of ``doc``; every row carries the reason it was accepted."""
    for r in _extract_rows(doc):
        if r.reason is None:
            r.reason = "table: a money cell under a declared unit"
            r.comparator = r.comparator or "equal"
        yield r


def _extract_rows(doc: Any) -> Iterator[Budget]:
    P = patterns()
    text = doc.text
    kind = doc.meta.kind
    too_large: list[str] = []
    if kind not in P.no_kinds:
        yield from _prose_budgets(doc, P, too_large)
    for m in P.long_number.finditer(text, timeout=scan_timeout(len(text))):
        too_large.append(f"{m.group(0)[:20]}… at {m.start()}")
    for what in too_large:  # an errors row each (pipeline/run.py), the other budgets are kept
        doc.report("extract:budgets", f"amount too large to store exactly (SQLite integers are 64-bit), "
                                      f"not a row: {what}")
    yield from table_budgets(doc, P)


def explain(doc: Any) -> list[tuple[int, int, str, bool, str]]:
    """(start, end, amount as written, is a budget, reason) for every amount of money written out in the
    prose of ``doc``, budget or not: what ``chitieu explain`` prints for budgets."""
    trace: list[tuple[int, int, str, bool, str]] = []
    for _ in _prose_budgets(doc, patterns(), [], trace):
        pass
    return trace


def rejected(doc: Any) -> list[tuple[int, int, str]]:
    """(start, end, why) of every amount of money this module read and left (for ``chitieu explain``)."""
    return [(s, e, why) for s, e, _, ok, why in explain(doc) if not ok]


def _prose_budgets(doc: Any, P: _Patterns, too_large: list[str],
                   trace: list[tuple[int, int, str, bool, str]] | None = None) -> Iterator[Budget]:
    text = doc.text
    prev_end = 0
    prev: _Prev | None = None
    head: _Prev | None = None  # the last amount outside an aside
    last_ok: _Prev | None = None  # the last budget
    prev_amount: tuple[int, int] | None = None  # (value, end) of the previous amount
    skip_until = -1  # the amount written again in words, in parentheses after it
    for a in _amounts(P, text, too_large):
        value, start, end, raw = a.value, a.start, a.end, a.text
        if start < skip_until or (prev_amount and prev_amount[0] == value and _IN_WORDS.fullmatch(text, prev_amount[1], start)) \
                or (not a.digits and _SPELLED_OUT.search(text, max(text.rfind("\n", max(0, start - LOOK), start) + 1, start - LOOK, 0), start)):
            # "2.500.000.000 đồng (Hai tỷ năm trăm triệu đồng)", "(Bằng chữ: Hai tỷ, ba trăm năm mươi triệu
            # đồng)": the same amount in words, or part of it
            close = _CLOSE_PAREN.match(text, end)
            prev_end = close.end() if close else end
            continue
        prev_amount = (value, end)
        if a.digits:
            wp = P.words_in_paren.match(text, end, min(len(text), end + 200))
            if wp is not None and P.currency.search(wp.group("w")):
                skip_until = wp.end()
        cs = _clause_start(text, start)
        sent_start = _sentence_start(text, start)
        decision = _decide(doc, P, a, sent_start, cs, prev, head)
        window_start = max(cs, prev_end if prev_end <= start else cs)
        line_start = _line_start(doc, start)
        inherited = decision.per
        if inherited is None and last_ok is not None and last_ok.line == line_start and start - last_ok.end <= 3 * LOOK:
            inherited = last_ok.per  # the paragraph goes on about the same money: "Trong đó, … Vốn ngân sách địa phương …"
        per, per_why = _per(doc, P, a, window_start, sent_start, inherited)
        if decision.ok and per == "person":
            # "tặng 1,3 triệu đồng/người", "mỗi đối tượng 500.000 đồng": a rate per head, like a unit
            # price, is no budget (the plan's money is the total, when it states one)
            decision = _Decision(False, f"rate per person ({per_why})", decision.per)
        before = text[max(sent_start, line_start):start]
        prev = _Prev(end, doc.section_at(start), decision, per, before.count("(") > before.count(")"), line_start)
        if trace is not None:
            trace.append((start, end, raw, decision.ok, decision.reason + (f"; per: {per_why}" if decision.ok else "")))
        if not prev.in_paren:
            head = prev
        if decision.ok:
            last_ok = prev
        if not decision.ok:
            prev_end = end
            continue
        # funding source
        src = _last(P.source, text, sent_start, start)
        source = None
        if src is None:  # "1,5 tỷ đồng từ ngân sách tỉnh"
            nxt = _SOURCE_AFTER_END.search(text, end, min(len(text), end + 200))
            src = P.source.search(text, end, nxt.start() if nxt else min(len(text), end + 200))
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
            amount_max_vnd=a.value_max, comparator=_comparator(P, text, start, window_start, a),
            reason=f"{decision.reason}; per: {per_why}",
        )
