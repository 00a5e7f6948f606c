"""Budgets: every amount of money a plan allocates, with what it is per and where it comes from.

One row per amount (``corpora/lexicons/money.yaml`` holds every word used here):

- **amount**: digits or number words, a multiplier and a currency word: "100 triệu đồng",
  "1.250 triệu đồng" (1 250 000 000), "1,5 tỷ đồng", "2 tỷ 500 triệu đồng", "500.000.000 đồng",
  "50 nghìn đồng/người", "năm trăm triệu đồng" (``pipeline.numbers`` parses the numbers).
- **does the text commit money?** A legal, encyclopedic or Q&A text does not; a text that is no plan must
  report a plan or an allocation (``commitment_cues``) or its amounts are facts, not budgets.
- **is it a budget?** Small rules in order, each keeping its reason (``Budget.reason``): never a request
  ("kiến nghị", "đề nghị"), a fine, a rate ("mức hỗ trợ", "định mức"), a unit price ("đồng/suất", "/ha",
  "/người/tháng"), past spending ("đã giải ngân", a year before the document's) or a results section; a
  breakdown ("trong đó", "gồm", an aside in parentheses) keeps the decision of the amount it breaks down;
  else the nearest budget word ("kinh phí", "ngân sách", "bố trí", ...) or other-money word (income,
  revenue, damage, prices) before it in its sentence; else money for carrying out a plan after it; else
  the budget list of its section going on; else a budget word in a heading above it. A news title's
  amount takes the decision of the body's statement of the same amount ("Hơn 77 tỷ đồng …" / "77,1 tỷ").
- **per**: ``year`` ("/năm", "mỗi năm", one named year "năm 2023"), ``period`` only when tied to the whole
  plan period ("cả giai đoạn", "tổng kinh phí" when a plan ties it, "giai đoạn 2021-2025", "/5 năm", a breakdown of such a
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

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, Iterator

import regex

from chitieu.pipeline.corpus import corpus_data
from chitieu.pipeline.patterns import lazy_compile
from chitieu.extractors import table
from chitieu.pipeline.evidence import span
from chitieu.extractors._table_budgets import table_budgets
from chitieu.pipeline.structure import MATCH_TIMEOUT, scan_timeout
from chitieu.pipeline.numbers import LOWER_LETTERS, LowerCheck, lowered, number_words, trie, parse_digits, parse_words

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
    return lazy_compile(rf"(?<![\w])(?:{_phrases(words)})(?![\w])", regex.I)


@dataclass
class _Patterns:
    amount: regex.Pattern
    anchors: regex.Pattern  # one pass over the text: currency words and bare big multipliers
    anchor_hint: re.Pattern  # where ``anchors`` can match, on the lower-cased text (``_anchor_matches``)
    anchor_check: LowerCheck  # … when the lower-cased text keeps the offsets and letters of its words
    amount_endings: tuple[str, ...]  # what an amount may end with before a currency word (``_may_end_amount``)
    long_hint: re.Pattern  # where ``long_number`` may match on such a text (its digits are 0-9)
    long_number: regex.Pattern  # a digit run too long to be an amount (reported, never stored)
    currency: regex.Pattern  # currency words (in a written-out aside)
    bare: regex.Pattern  # "350 triệu" with no currency word, ending its clause
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
    table_year: regex.Pattern  # a table's single-year column header ("Năm 2026"): per = year
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
    in_words: regex.Pattern  # "(" or "(Bằng chữ: " right after an amount
    spelled_out: regex.Pattern  # "(Bằng chữ: Hai tỷ, ba trăm …" ending where a word amount starts
    purpose_before: regex.Pattern
    purpose_after: regex.Pattern
    purpose_stop: regex.Pattern  # a breakdown ends a purpose: "cho 11 xã điểm, trong đó …"
    no_kinds: set
    plan_kinds: set
    commitment: regex.Pattern  # a document that reports a plan or an allocation
    plan_words: regex.Pattern
    title_purpose: regex.Pattern
    economy_total: regex.Pattern  # the investment of a whole economy: a macro indicator
    footnote: regex.Pattern  # a paragraph opening with a bracketed note number
    footnote_allocation: regex.Pattern  # words by which a note states a plan's allocation
    title_chars: int
    title_max: int


def _cur_key(s: str) -> str:
    return " ".join(s.lower().split())


_NUM_D = r"\d{1,3}(?:\.\d{3})+(?:,\d+)?|\d+(?:,\d+)?"  # "1.250", "2,5", "500"


def _named(groups: dict[str, list[str]], prefix: str, phrases: bool = True) -> tuple[regex.Pattern, list[str]]:
    """One pattern for named groups of cues: (?P<prefix0>…)|(?P<prefix1>…); the names in group order."""
    parts, names = [], []
    for name, cues in groups.items():
        body = _phrases(cues) if phrases else "|".join(cues)
        parts.append(rf"(?P<{prefix}{len(names)}>{body})")
        names.append(name)
    return lazy_compile(rf"(?<![\w])(?:{'|'.join(parts)})(?![\w])", regex.I), names


def _amount_patterns(lx: dict) -> dict[str, Any]:
    """Amounts in digits or words, their currency words and multipliers, and the one-pass anchor scan."""
    mult = {k.lower(): v for k, v in lx["multipliers"].items()}
    mult_alt = _alt(regex.escape(m) for m in mult)
    cur_mult = {_cur_key(k): v for k, v in (lx.get("currency_multiplied") or {}).items()}
    cur_alt = "|".join(([_phrases(cur_mult)] if cur_mult else []) + [_alt(regex.escape(c) for c in lx["currency"])])
    w_alt = _alt(regex.escape(w) for w in number_words())
    mults = rf"(?:\s*(?:{mult_alt})(?![\w]))*"  # "10 nghìn tỷ": multipliers compound
    d_groups = rf"(?:{_NUM_D}){mults}(?:\s+(?:{_NUM_D})\s*(?:{mult_alt})(?![\w]))*"
    w_run = rf"(?:{w_alt})(?:\s+(?:{w_alt}))*"
    # "nguồn thu sự nghiệp: 350 triệu; NSNN: 130 triệu", "500 triệu/năm": a big multiplier with no currency
    # word, at the end of its clause (never "1,2 triệu người", "500 triệu USD")
    big_alt = _alt(regex.escape(m) for m, v in mult.items() if v >= 1_000_000)
    bare_per = _phrases(lx["bare_per"])
    # where an amount can end: a currency word not inside a word ("QĐ-TTg" is none), or a big multiplier
    # after a number at the end of its clause; one pass (the two in one pattern cost less than two scans,
    # and less than the old lookbehind "a letter or digit before it", which anchored on every "QĐ", "NĐ")
    anchors = lazy_compile(
        rf"(?<![^\W\d_])(?:(?P<cur>{cur_alt})|(?P<bare>(?<=\d\s*)(?:{big_alt})"
        rf"(?=[ \t]*(?:[.;,:)\]]|/[ \t]*(?:{bare_per})(?![\w])|$))))(?![\w])", regex.I | regex.M)
    cur_any = rf"(?:\s*(?:{cur_alt})(?![\w]))?"
    return dict(
        **_anchor_hint([*cur_mult, *lx["currency"], *(m for m, v in mult.items() if v >= 1_000_000)],
                       [*cur_mult, *lx["currency"]], list(mult)),
        amount=lazy_compile(rf"(?<![\w.,/])(?P<amt>{d_groups}|{w_run})\s*(?P<cur>{cur_alt})(?![\w])", regex.I),
        anchors=anchors, long_number=lazy_compile(rf"\d(?:[.,]?\d){{{MAX_DIGITS},}}"),
        currency=lazy_compile(rf"(?<=[\d\p{{L}}]\s*)(?:{cur_alt})(?![\w])", regex.I),
        bare=lazy_compile(rf"(?<![\w.,/])(?P<amt>(?:{_NUM_D}){mults}(?:\s+(?:{_NUM_D})\s*(?:{mult_alt}))*)(?P<cur>)"
                           rf"(?<=(?:{big_alt}))(?![\w])", regex.I),
        group=lazy_compile(rf"(?P<n>{_NUM_D})(?P<m>(?:\s*(?:{mult_alt})(?![\w]))*)", regex.I),
        mult=mult, cur_mult=cur_mult,
        range_before=lazy_compile(
            rf"(?<![\w.,/])(?P<from>(?:{_phrases(lx['range_from'])})\s+)?(?P<lo>{_NUM_D}){mults}{cur_any}\s*"
            rf"(?:{_phrases(lx['range_to'])}|[-–])\s*$", regex.I),
    )


# letters that are word characters for ``regex`` (``\w``) whatever case they were written in
_WORDISH = "0-9" + LOWER_LETTERS
_WORDISH_CHAR = re.compile(f"[{_WORDISH}]")
_WORD_CHAR = regex.compile(r"\w")
_DIGIT = regex.compile(r"\d")


def _anchor_hint(words: list[str], currency: list[str], mult: list[str]) -> dict[str, Any]:
    """Cheap scans of the lower-cased text (``_anchor_matches``, ``_amount_matches``): a stdlib pattern
    that matches (case-sensitively, so fast) wherever ``anchors`` can (each anchor word, not followed by
    a letter or digit); what an amount can end with before a currency word (a number word, a multiplier,
    the first part of a currency word; else a digit); a digit run long enough for ``long_number``; and
    the check that the lower-cased text answers for the case-insensitive patterns (``LowerCheck``)."""
    alts = {" ".join(w.lower().split()) for w in words}
    body = trie(alts, space=r"\s+")  # one branch per first letter: faster than the word list
    heads = {c[:i].rstrip() for c in (" ".join(w.lower().split()) for w in currency) for i in range(1, len(c))}
    endings = {w.lower() for w in [*number_words(), *mult]} | {h for h in heads if h}

    def chars_ok(c: str, low: str) -> bool:
        # what the hint takes for a word character is one for ``regex``, and a digit for it is 0-9
        return (not _WORDISH_CHAR.fullmatch(low) or _WORD_CHAR.fullmatch(c) is not None) \
            and (_DIGIT.fullmatch(c) is None or c in "0123456789")

    letters = "".join(alts | endings).replace(" ", "")
    return dict(anchor_hint=re.compile(f"(?:{body})(?![{_WORDISH}])"), amount_endings=tuple(sorted(endings)),
                long_hint=re.compile(rf"[0-9][0-9.,]{{{MAX_DIGITS}}}"),  # as long as such a run can be
                anchor_check=LowerCheck(letters, chars_ok))


def _per_patterns(lx: dict) -> dict[str, Any]:
    """What an amount is counted per: cues after it (nearest role first) and before it (one named pattern)."""
    per_after = [(role, lazy_compile(rf"[ \t]*(?:{'|'.join(cues['after'])})(?![\w])", regex.I))
                 for role, cues in lx["per"].items() if cues.get("after")]
    per_before, roles = _named({role: cues.get("before") or [] for role, cues in lx["per"].items()
                                if cues.get("before")}, "p", phrases=False)
    return dict(per_after=per_after, per_before=per_before, per_before_role=roles,
                named_year=lazy_compile(lx["named_year"], regex.I),
                period_after=lazy_compile(rf"(?<![\w])(?:{lx['period_after']})(?![\w])", regex.I),
                funding_section=_words(lx["funding_section"]),
                table_year=lazy_compile(lx["table_year_column"], regex.I))


def _decision_patterns(lx: dict) -> dict[str, Any]:
    """Budget or not: budget words, vetoes, rates, prices, past and results cues, breakdowns, comparators."""
    veto, veto_names = _named(lx["veto_sentence"], "v")
    source, src_names = _named(lx["funding_sources"], "s")
    comp_of = {" ".join(w.lower().split()): comp for comp, ws in lx["comparators"].items() for w in ws}
    return dict(
        budget_or_not=lazy_compile(rf"(?<![\w])(?:(?P<no>{_phrases(lx['not_budget'])})|"
                                    rf"(?P<yes>{_phrases(lx['budget_cues'])}))(?![\w])", regex.I),
        source=source, source_names=src_names, veto=veto, veto_names=veto_names,
        non_activity=lazy_compile(lx["non_activity_headings"], regex.I),
        rate=_words(lx["rate_cues"]), price_after=lazy_compile(lx["price_after"], regex.I),
        past=_words(lx["past_cues"]), results_sentence=_words(lx["results_sentence_cues"]),
        results_opener=lazy_compile(rf"[\s\-+•*]*(?:{_phrases(lx['results_openers'])})(?![\w])", regex.I),
        results=lazy_compile(lx["results_headings"], regex.I),
        breakdown=lazy_compile(rf"(?:^|(?<=[,;:(.]))[\s,;:(\-–+*]*(?:{_phrases(lx['breakdown'])})(?![\w])",
                                regex.I | regex.M),
        budget_after=lazy_compile(lx["budget_after"], regex.I),
        comparator_tail=lazy_compile(rf"(?<![\w])(?:{_phrases(comp_of)})[\s:]*$", regex.I), comparator_of=comp_of,
        commitment=_words(lx["commitment_cues"]), plan_words=_words(lx["plan_words"]),
        title_purpose=lazy_compile(rf"[ \t]*(?:{_phrases(lx['title_purpose'])})(?![\w])", regex.I),
        economy_total=lazy_compile(lx["economy_total"], regex.I), footnote=lazy_compile(lx["footnote_start"]),
        footnote_allocation=_words(lx["footnote_allocation_cues"]),
    )


def _aside_patterns(lx: dict) -> dict[str, Any]:
    """An amount written again in words after it, and the purpose phrase around an amount."""
    opener = _phrases(lx["in_words_open"])
    stop = _phrases(lx["breakdown"])
    return dict(
        words_in_paren=lazy_compile(rf"\s*\((?:\s*(?:{opener})\s*:?)?(?P<w>[^()\d\n]{{3,160}})\)", regex.I),
        in_words=lazy_compile(rf"\s*\(\s*(?:(?:{opener})\s*:?\s*)?", regex.I),
        spelled_out=lazy_compile(rf"(?:{opener})\s*:?[^\d()\n]{{0,80}}$", regex.I),
        purpose_before=lazy_compile(rf"(?<![\w])(?:{_phrases(lx['purpose_before'])})\s+"
                                     rf"(?P<p>[^:;.\n]{{4,160}}?)\s*:?\s*$", regex.I),
        purpose_after=lazy_compile(rf"(?:\s*/\s*\w+)*(?:[^.;:,\n]{{0,40}}?)\s(?:{_phrases(lx['purpose_after'])})\s+"
                                    rf"(?P<p>[^:;.\n]{{4,160}})", regex.I),
        purpose_stop=lazy_compile(rf"[\s,]*(?<![\w])(?:{stop})(?![\w])", regex.I),
    )


@lru_cache(maxsize=1)
def patterns() -> _Patterns:
    """Every pattern of this module, compiled once from ``corpora/lexicons/money.yaml``."""
    lx = lexicon()
    return _Patterns(
        **_amount_patterns(lx), **_per_patterns(lx), **_decision_patterns(lx),
        **_aside_patterns(lx),
        no_kinds=set(lx.get("no_budget_kinds") or []), plan_kinds=set(lx.get("plan_kinds") or []),
        title_chars=int(lx["title_chars"]), title_max=int(lx["title_max"]),
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


_SOURCE_AFTER_END = regex.compile(r"[.;:,\n]")
_CLOSE_PAREN = regex.compile(r"[^()\n\d]{0,3}\)")
_TITLE_END = regex.compile(r"[.;:,!?…]\s*$")


def _headings(doc: Any, offset: int) -> list[str]:
    """Titles of the sections above ``offset`` (not the heading line that holds it)."""
    return [" ".join(s.title.split()) for s in doc.ancestors(doc.section_at(offset))
            if s.title and not s.start <= offset < s.title_end]


def _activity(doc: Any, offset: int, before: str, after: str) -> str | None:
    """What the money funds: "cho <purpose>" before it, "để|cho <purpose>" after it, else the nearest
    heading above that names an activity."""
    P = patterns()
    m = P.purpose_before.search(before) or P.purpose_after.match(after)
    if m:  # "cho 11 xã điểm, trong đó 1,7 tỷ đồng …": the purpose ends before the breakdown
        return P.purpose_stop.split(" ".join(m.group("p").split()), maxsplit=1)[0] or None
    for s in doc.ancestors(doc.section_at(offset)):
        title = " ".join(s.title.split()).strip(" :.")
        if not title or s.is_bullet or s.start <= offset < s.title_end or P.non_activity.search(title):
            continue
        return title[:300]
    return None


def _amount_matches(P: _Patterns, text: str, too_large: list[str]) -> list[regex.Match]:
    """Amounts, searched only just before currency words or big multipliers (most of a plan has no money);
    the digit runs too long to be an amount are named in ``too_large``."""
    low = lowered(text) if P.anchor_check(text) else None
    if low is None or P.long_hint.search(text):
        for m in P.long_number.finditer(text, timeout=scan_timeout(len(text))):
            too_large.append(f"{m.group(0)[:20]}… at {m.start()}")
    found = []
    last = {"cur": 0, "bare": 0}
    for c in _anchor_matches(P, text, low):
        kind = "cur" if c.group("cur") is not None else "bare"
        ws = max(last[kind], c.start() - 120)
        if kind == "cur" and low is not None and not _may_end_amount(P, low, ws, c.start()):
            continue  # "Hội đồng", "cộng đồng": no number before the currency word
        best = None
        for m in (P.amount if kind == "cur" else P.bare).finditer(text, ws, c.end(), timeout=TIMEOUT):
            if m.end() == c.end() and (best is None or m.start() < best.start()):
                best = m
        if best is not None:
            found.append(best)
            last[kind] = best.end()
    found.sort(key=lambda m: m.start())
    return found


def _may_end_amount(P: _Patterns, low: str, ws: int, start: int) -> bool:
    """May an amount starting at or after ``ws`` end right before the currency word at ``start``: does
    the lower-cased text before it (spaces left out) end with a digit, a number word, a multiplier or
    the first part of a currency word ("tr. " of "tr. đồng")?"""
    before = low[ws:start].rstrip()
    return bool(before) and (before[-1].isdigit() or before.endswith(P.amount_endings))


def _anchor_matches(P: _Patterns, text: str, low: str | None) -> Iterator[regex.Match]:
    """The matches of ``P.anchors.finditer(text)``, tried only where ``P.anchor_hint`` finds an anchor
    word in the lower-cased text ``low`` (``anchors`` is case-insensitive and opens with a look-behind:
    it tries every place; most of a text has no money). ``low`` None: the text is not safe to lower."""
    if low is None:
        yield from P.anchors.finditer(text, timeout=scan_timeout(len(text)))
        return
    h = P.anchor_hint.search(low)
    while h is not None:
        m = P.anchors.match(text, h.start(), timeout=TIMEOUT)
        if m is not None:
            yield m
        h = P.anchor_hint.search(low, m.end() if m is not None else h.start() + 1)


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
    for m in _amount_matches(P, text, too_large):
        a = _amount_of(P, text, m, too_large)
        if a is None:
            continue
        rb = P.range_before.search(text, max(0, a.start - 60), a.start)
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


def _amount_of(P: _Patterns, text: str, m: regex.Match, too_large: list[str]) -> _Amount | None:
    """The value of one matched amount; None (named in ``too_large`` when too large to store) if none."""
    raw = m.group("amt")
    start = m.start("amt")
    if sum(ch.isdigit() for ch in raw) > MAX_DIGITS:
        too_large.append(f"{raw[:20]}… at {start}")
        return None
    parsed = _parse(raw)
    if parsed is None:
        return None
    value, skip = parsed
    for _ in range(skip):  # words dropped from the front of a word run
        start = regex.search(r"\S+\s+", text[start:m.end()]).end() + start
    value *= P.cur_mult.get(_cur_key(m.group("cur")), 1)
    if value <= 0:
        return None
    if value > MAX_VND:
        too_large.append(f"{text[start:m.end()][:40]} = {value} VND at {start}")
        return None
    return _Amount(value, start, m.end(), text[start:m.end()], digits=raw[:1].isdigit())


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


@dataclass
class _Ctx:
    """One amount and what the decision steps look at."""
    doc: Any
    P: _Patterns
    text: str
    a: _Amount
    sent_start: int
    clause: int
    prev: _Prev | None  # the amount before it
    head: _Prev | None  # the last amount outside an aside
    title: bool = False  # on the title line of a news text
    last_ok: _Prev | None = None  # the last budget before it


_YEAR = regex.compile(r"(?<!\d)(?:19|20)\d\d(?!\d)")


def _doc_year(doc: Any) -> int | None:
    d = doc.meta.issued_date
    m = regex.match(r"(\d{4})", d or "")
    return int(m.group(1)) if m else None


def _plan_like(doc: Any, P: _Patterns) -> bool:
    """The text is a plan (or its kind is unknown): every rule applies, its funding section ties amounts
    to its period."""
    kind = doc.meta.kind
    return kind is None or kind in P.plan_kinds


def _document_gate(doc: Any, P: _Patterns) -> str | None:
    """Why no amount of this text is a budget, or None: an encyclopedic, Q&A or legal text commits no
    money; a text of another kind that is not a plan must report one or an allocation."""
    kind = doc.meta.kind
    if kind in P.no_kinds:
        return f"a text of kind '{kind}' commits no money ({doc.meta.kind_cue or 'its kind'})"
    if _plan_like(doc, P) or P.commitment.search(doc.text, timeout=scan_timeout(len(doc.text))):
        return None
    return f"a text of kind '{kind}' that reports no plan or allocation (no word such as 'dự kiến', 'ban hành', 'trích')"


def _vetoed(c: _Ctx) -> _Decision | None:
    """Requests and fines in its sentence, a rate word before it, a unit price after it."""
    P, text, a = c.P, c.text, c.a
    veto = _last(P.veto, text, c.sent_start, a.start)
    if veto is not None:
        name = next(P.veto_names[i] for i in range(len(P.veto_names)) if veto.group(f"v{i}"))
        return _Decision(False, f"{name}: '{veto.group(0)}' before it in its sentence")
    rate = _last(P.rate, text, c.sent_start, a.start)
    if rate is not None:
        return _Decision(False, f"rate: '{rate.group(0)}' before it in its sentence")
    rate = _list_lead_rate(c)
    if rate is not None:
        return _Decision(False, f"rate: '{rate.group(0)}' in the lead of its list")
    price = P.price_after.match(text, a.end, min(len(text), a.end + 40))
    if price is not None:
        return _Decision(False, f"unit price: '{price.group(0).strip()}' after it")
    return None


_LIST_ITEM = regex.compile(r"[ \t]*(?:\d{1,2}[.)]|[a-zđ]\)|[-+•*])\s")
_LEAD_CLOSED = regex.compile(r":\s*$")
_LIST_BACK = 24  # lines looked back for the lead of a list (blank lines and items between)


def _list_lead_rate(c: _Ctx) -> regex.Match | None:
    """A list item under a lead that names rates ("Hỗ trợ từ ngân sách nhà nước … với mức sau:" / "1. Hỗ trợ 40
    triệu đồng/hộ …"): the rate word of the lead, the nearest line before the item that is neither blank nor
    another item of the list, ending with ":"."""
    doc, text = c.doc, c.text
    start = doc.line_at(c.a.start)[0]
    if not _LIST_ITEM.match(text, start, c.a.start) or start == 0:
        return None
    ps, pe = doc.line_at(start - 1)
    for _ in range(_LIST_BACK):  # back over blank lines and the list's other items
        if ps == 0 or (text[ps:pe].strip() and not _LIST_ITEM.match(text, ps, pe)):
            break
        ps, pe = doc.line_at(ps - 1)
    if not _LEAD_CLOSED.search(text, ps, pe):
        return None
    return _last(c.P.rate, text, max(ps, pe - LOOK), pe)


def _footnote(c: _Ctx) -> _Decision | None:
    """An amount in a footnote ("[1] Trong đó: Công ty … nộp 30 tỷ đồng") explains a figure of the text: no budget
    unless the note states a plan's allocation before it ("[2] Kế hoạch … bố trí 500 triệu đồng")."""
    P, text, a = c.P, c.text, c.a
    start = _wrapped_line_start(c.doc, a.start)
    note = P.footnote.match(text, start, a.start)
    if note is None or P.footnote_allocation.search(text, note.end(), a.start, timeout=TIMEOUT):
        return None
    return _Decision(False, f"footnote '{note.group(0).strip(' *_')}': it explains a figure, states no allocation")


_LINE_CLOSED = regex.compile(r"[.;:!?…]\s*$")


def _wrapped_line_start(doc: Any, pos: int) -> int:
    """Where the line holding ``pos`` starts, over the line breaks that only wrap it ("[4]⏎Trong năm được bổ sung
    …", "[3] Bao⏎gồm chi …"): back over non-blank lines that end with no closing mark, at most LOOK characters."""
    text = doc.text
    start = doc.line_at(pos)[0]
    while start > 0 and pos - start < LOOK:
        ps, pe = doc.line_at(start - 1)
        line = text[ps:pe]
        if not line.strip() or _LINE_CLOSED.search(line) or pos - ps > LOOK:
            break
        start = ps
    return start


def _past(c: _Ctx) -> _Decision | None:
    """Past spending: a past word in its clause (or earlier in its sentence when its clause names no year),
    a results passage, a year before the document's, a results section."""
    P, text, a = c.P, c.text, c.a
    past = _last(P.past, text, c.clause, a.start)
    if past is not None:
        return _Decision(False, f"past: '{past.group(0)}' before it in its clause")
    past = _last(P.past, text, c.sent_start, c.clause)
    if past is not None and not _YEAR.search(text, c.clause, a.start):
        return _Decision(False, f"past: '{past.group(0)}' earlier in its sentence, no year of its own")
    past = _last(P.results_sentence, text, c.sent_start, a.start) or P.results_opener.match(text, c.sent_start, a.start)
    if past is not None:
        return _Decision(False, f"past: results passage, '{past.group(0).strip(' -+•*')}' in its sentence")
    year = _doc_year(c.doc)
    if year is not None:
        for y in P.named_year.finditer(text, c.clause, a.start):
            if int(y.group("y")) < year:
                return _Decision(False, f"past: '{y.group(0)}' is before the document's year {year}")
    sec = c.doc.section_at(a.start)
    for s in [sec] + c.doc.ancestors(sec):
        if s is not None and s.title and P.results.search(" ".join(s.title.split())):
            return _Decision(False, f"results section: '{' '.join(s.title.split())[:60]}'")
    return None


def _continued(c: _Ctx) -> _Decision | None:
    """A breakdown of the amount before it, an aside to it, or the same list: the decision of that amount."""
    P, text, a, prev = c.P, c.text, c.a, c.prev
    if prev is None or a.start - prev.end > LOOK or (prev.decision.weak and not prev.in_paren):
        return None
    d = prev.decision
    between = text[prev.end:a.start]
    if prev.in_paren and c.head is not None and P.breakdown.match(text, c.clause, a.start):
        prev, d = c.head, c.head.decision  # "… 4.371 tỷ đồng (kế hoạch trước đây là …). Trong đó, …": the head
    if P.breakdown.search(text, prev.end, a.start) or P.breakdown.match(text, c.clause, a.start):
        # "…, trong đó: ngân sách cấp tỉnh: 197.200 triệu đồng"
        return _Decision(d.ok, f"breakdown of the amount before it ({d.reason.split(' (')[0]})", prev.per, True)
    if "\n\n" in between:
        return None  # another paragraph: only a breakdown ("Trong đó, …") reaches back over it
    if "(" in between and ")" not in between[between.rindex("("):]:
        # an aside right after an amount qualifies it: "… 14.400.000 đồng (đối với xã điểm được hỗ trợ thêm …)"
        return _Decision(d.ok, f"aside to the amount before it ({d.reason.split(' (')[0]})", prev.per, d.listed)
    if prev.end > c.sent_start and (d.listed or _last(P.budget_or_not, text, prev.end, a.start) is None):
        # the same sentence, no word of its own or a list already opened by "trong đó":
        # "(vốn đầu tư 1.540 tỷ đồng, … 1.413 tỷ đồng)", "trong đó: … 800 triệu đồng; huy động … 400 triệu đồng"
        return _Decision(d.ok, f"same list as the amount before it ({d.reason.split(' (')[0]})", prev.per, d.listed)
    return None


def _own_words(c: _Ctx) -> _Decision | None:
    """The nearest budget or other-money word before it in its sentence; money for a plan after it; in a
    news title, money for the purpose after it."""
    P, text, a = c.P, c.text, c.a
    cue = _last(P.budget_or_not, text, c.sent_start, a.start)
    macro = _last(P.economy_total, text, c.sent_start, a.start) if cue is not None else None
    if macro is not None and cue.group("yes") and macro.end() >= cue.end():
        return _Decision(False, f"an economy's total: '{' '.join(macro.group(0).split())}' before it")
    if cue is not None:
        if cue.group("no"):
            return _Decision(False, f"not a budget: '{cue.group(0)}' before it")
        return _Decision(True, f"budget word '{cue.group(0)}' in its sentence")
    after = P.budget_after.match(text, a.end, min(len(text), a.end + 200))
    if after is not None:
        return _Decision(True, f"funds a plan: '{' '.join(after.group(0).split())}' after it")
    purpose = P.title_purpose.match(text, a.end, min(len(text), a.end + 40)) if c.title else None
    if purpose is not None:
        return _Decision(True, f"title: money for '{purpose.group(0).strip()}' after it")
    return None


def _context(c: _Ctx) -> _Decision | None:
    """No word of its own: the budget list of its section going on, the rate before it in its paragraph
    going on, or a budget word in a heading above it."""
    P, a, prev = c.P, c.a, c.prev
    if prev is not None and prev.decision.ok and prev.section is c.doc.section_at(a.start) \
            and a.start - prev.end <= 3 * LOOK:
        return _Decision(True, f"continues the budget list of its section ({prev.decision.reason.split(' (')[0]})",
                         prev.per)
    if prev is not None and not prev.decision.ok and not prev.decision.weak \
            and prev.line == c.doc.line_at(a.start)[0] and a.start - prev.end <= LOOK:
        # "mức kinh phí … ở cấp huyện 48.200.000 đồng. Cấp xã là …"
        return _Decision(False, f"continues the amount before it ({prev.decision.reason.split(' (')[0]})")
    heads = " | ".join(_headings(c.doc, a.start))
    hc = _last(P.budget_or_not, heads, 0, len(heads))
    if hc is not None and not hc.group("no"):
        return _Decision(True, f"budget word '{hc.group(0)}' in a heading above it")
    return None


_STEPS = (_vetoed, _footnote, _past, _continued, _own_words, _context)


def _decide(c: _Ctx) -> _Decision:
    """Is the amount a budget? The first step that decides gives its reason (the words that decided)."""
    for step in _STEPS:
        d = step(c)
        if d is not None:
            return d
    return _Decision(False, "no budget word in its sentence or headings", weak=True)


def _plan_tie(c: _Ctx) -> str | None:
    """What ties a total ("tổng kinh phí") to a plan's whole period: the document is a plan, reports a
    multi-year plan, or its sentence names one."""
    if _plan_like(c.doc, c.P):
        return "the document is a plan"
    ps, pe = c.doc.meta.period_start, c.doc.meta.period_end
    if isinstance(ps, int) and isinstance(pe, int) and pe > ps:
        return f"the text reports a {ps}-{pe} plan"
    w = _last(c.P.plan_words, c.text, c.sent_start, c.a.start)
    return f"'{w.group(0)}' in its sentence" if w is not None else None


def _per(c: _Ctx, window_start: int, inherited: str | None) -> tuple[str | None, str]:
    """What the amount is counted per, and why."""
    P, text, a = c.P, c.text, c.a
    for role, pat in P.per_after:
        m = pat.match(text, a.end, min(len(text), a.end + 40))
        if m:
            return role, f"'{m.group(0).strip()}' after it"
    b = _last(P.per_before, text, window_start, a.start)
    y = _last(P.named_year, text, window_start, a.start)
    untied = ""
    if b is not None and (y is None or b.start() > y.start()):
        role = next(P.per_before_role[i] for i in range(len(P.per_before_role)) if b.group(f"p{i}"))
        if role != "total":
            return role, f"'{b.group(0)}' before it"
        tie = _plan_tie(c)
        if tie is not None:
            return "period", f"'{b.group(0)}' before it (a total; {tie})"
        untied = f" (a total '{b.group(0)}' with no plan to tie it to a period)"
    if y is not None:
        return "year", f"one named year '{y.group(0)}' before it"
    nxt = _SOURCE_AFTER_END.search(text, a.end, min(len(text), a.end + 200))
    pa = P.period_after.search(text, a.end, nxt.start() if nxt else min(len(text), a.end + 200))
    if pa is not None:
        return "period", f"'{pa.group(0)}' after it in its clause"
    if inherited is not None:
        return inherited, "as the budget it breaks down or continues in its paragraph"
    section = _funding_section(c)
    if section is not None:
        return "period", section
    return None, "no per said" + untied


def _funding_section(c: _Ctx) -> str | None:
    """A multi-year plan's funding section: a budget heading above the amount, or its own line's lead
    ("Kinh phí thực hiện: …") in a plan, or in a text that already stated a budget for the whole period."""
    ps, pe = c.doc.meta.period_start, c.doc.meta.period_end
    if not (isinstance(ps, int) and isinstance(pe, int) and pe > ps):
        return None
    heads = " | ".join(_headings(c.doc, c.a.start))
    f = c.P.funding_section.search(heads)
    if f is None and (_plan_like(c.doc, c.P) or (c.last_ok is not None and c.last_ok.per == "period")):
        line_s = c.doc.line_at(c.a.start)[0]
        lead = c.text[line_s:c.a.start] if c.a.start - line_s <= LOOK else ""
        f = c.P.funding_section.search(lead)
    return f"funding section ('{f.group(0)}') of a {ps}-{pe} plan" if f is not None else None


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
    too_large: list[str] = []
    for read in _prose_reads(doc, P, too_large):
        if read.decision.ok:
            yield _row(doc, P, read)
    for what in too_large:  # an errors row each (pipeline/run.py), the other budgets are kept
        doc.report("extract:budgets", f"amount too large to store exactly (SQLite integers are 64-bit), "
                                      f"not a row: {what}")
    yield from table_budgets(doc, P)


def explain(doc: Any) -> list[tuple[int, int, str, bool, str]]:
    """(start, end, amount as written, is a budget, reason) for every amount of money written out in the
    prose of ``doc``, budget or not: what ``chitieu explain`` prints for budgets."""
    return [(r.a.start, r.a.end, r.a.text, r.decision.ok,
             r.decision.reason + (f"; per: {r.per_why}" if r.decision.ok else ""))
            for r in sorted(_prose_reads(doc, patterns(), []), key=lambda r: r.a.start)]


def rejected(doc: Any) -> list[tuple[int, int, str]]:
    """(start, end, why) of every amount of money this module read and left (for ``chitieu explain``)."""
    return [(s, e, why) for s, e, _, ok, why in explain(doc) if not ok]


@dataclass
class _Read:
    """One amount of the prose with its decision, its per and where its evidence starts."""
    a: _Amount
    decision: _Decision
    per: str | None
    per_why: str
    sent_start: int
    window_start: int  # the clause start, or the end of the amount before it in its clause
    prev_end: int


def _prose_reads(doc: Any, P: _Patterns, too_large: list[str]) -> Iterator[_Read]:
    """Every amount of the prose, decided in order: each decision may lean on the amount before it. The
    amounts of a news title are decided last: the body's statement of the same amount decides for them."""
    text = doc.text
    amounts = _written_once(P, text, _amounts(P, text, too_large))
    gate = _document_gate(doc, P)
    titles = _title_lines(doc, P)
    prev_end = 0
    prev = head = last_ok = None  # the amount before, the last outside an aside, the last budget
    held: list[_Read] = []  # title amounts
    body: list[_Read] = []
    for a, restated_end in amounts:
        if restated_end is not None:
            prev_end = restated_end
            continue
        # the sentence and the clause (";" ends one, ":" does not; its list marker left out) from the
        # model, at most LOOK back
        sent_start = doc.sentence_bounds(a.start, back=LOOK)[0]
        clause = doc.clause_bounds(a.start, ends=";", back=LOOK, marker=False)[0]
        c = _Ctx(doc, P, text, a, sent_start, clause, prev, head,
                 title=any(s <= a.start < e for s, e in titles), last_ok=last_ok)
        decision = _Decision(False, gate) if gate else _decide(c)
        read = _per_of(c, decision, prev_end, last_ok)
        line_start = doc.line_at(a.start)[0]
        before = text[max(c.sent_start, line_start):a.start]
        prev = _Prev(a.end, doc.section_at(a.start), read.decision, read.per, before.count("(") > before.count(")"),
                     line_start)
        head = prev if not prev.in_paren else head
        last_ok = prev if read.decision.ok else last_ok
        prev_end = _quote_end(P, text, a) if read.decision.ok else a.end
        (held if c.title else body).append(read)
        if not c.title:
            yield read
    yield from _titles_restated(held, body)


def _written_once(P: _Patterns, text: str, amounts: Iterator[_Amount]) -> list[tuple[_Amount, int | None]]:
    """(amount, None) for each amount, (amount, end of its aside) for the same amount written again in words
    after it: "2.500.000.000 đồng (Hai tỷ năm trăm triệu đồng)", "(Bằng chữ: Hai tỷ, ba trăm … đồng)"."""
    out: list[tuple[_Amount, int | None]] = []
    last: _Amount | None = None
    skip_until = -1
    for a in amounts:
        line_floor = max(text.rfind("\n", max(0, a.start - LOOK), a.start) + 1, a.start - LOOK, 0)
        if a.start < skip_until or (last is not None and last.value == a.value
                                    and P.in_words.fullmatch(text, last.end, a.start)) \
                or (not a.digits and P.spelled_out.search(text, line_floor, a.start)):
            close = _CLOSE_PAREN.match(text, a.end)
            out.append((a, close.end() if close else a.end))
            continue
        out.append((a, None))
        last = a
        if a.digits:
            wp = P.words_in_paren.match(text, a.end, min(len(text), a.end + 200))
            if wp is not None and P.currency.search(wp.group("w")):
                skip_until = wp.end()
    return out


def _per_of(c: _Ctx, decision: _Decision, prev_end: int, last_ok: _Prev | None) -> _Read:
    """The per of an amount (inherited from the budget it breaks down or continues in its paragraph);
    a budget per person, or per unit inside the breakdown of a total, is a rate after all."""
    a = c.a
    window_start = max(c.clause, prev_end if prev_end <= a.start else c.clause)
    inherited = decision.per
    if inherited is None and last_ok is not None and last_ok.line == c.doc.line_at(a.start)[0] \
            and a.start - last_ok.end <= 3 * LOOK:
        inherited = last_ok.per  # the paragraph goes on about the same money: "Trong đó, … Vốn ngân sách …"
    per, per_why = _per(c, window_start, inherited)
    if decision.ok and per == "person":
        # "tặng 1,3 triệu đồng/người", "mỗi đối tượng 500.000 đồng": a rate per head, like a unit price
        decision = _Decision(False, f"rate per person ({per_why})", decision.per)
    elif decision.ok and decision.listed and per == "unit":
        # "117.200.000 đồng (trong đó, bao gồm 2.000.000 đồng/ xã …)": a rate explains a total, is no part of it
        decision = _Decision(False, f"rate per unit inside the breakdown of a total ({per_why})", decision.per)
    return _Read(a, decision, per, per_why, c.sent_start, window_start, prev_end)


def _title_lines(doc: Any, P: _Patterns) -> list[tuple[int, int]]:
    """The title lines of a news text (not of a plan): short lines near the top with no closing punctuation."""
    if _plan_like(doc, P):
        return []
    out = []
    for s in doc.line_starts:
        if s >= P.title_chars:
            break
        s, e = doc.line_at(s)
        line = doc.text[s:e]
        if line.strip() and len(line) <= P.title_max and not _TITLE_END.search(line):
            out.append((s, e))
    return out


def _restates(title: int, value: int) -> bool:
    """``value`` is ``title`` at the title's precision: "Hơn 77 tỷ đồng" for 77,1 tỷ, "hơn 560 triệu" for 563,7."""
    digits = str(title).rstrip("0")
    scale = 10 ** (len(str(title)) - len(digits))
    return abs(value - title) <= title / 20 and title in (value // scale * scale, round(value / scale) * scale)


def _titles_restated(held: list[_Read], body: list[_Read]) -> Iterator[_Read]:
    """A title amount takes the decision of the body's statement of the same amount (its per stays its own)."""
    for r in held:
        same = next((b for b in body if _restates(r.a.value, b.a.value)), None)
        if same is not None and same.decision.ok != r.decision.ok:
            r.decision = _Decision(same.decision.ok, f"title: the body states it again at {same.a.start} "
                                                     f"({same.decision.reason.split(' (')[0]})")
        yield r


def _quote_end(P: _Patterns, text: str, a: _Amount) -> int:
    """The end of an amount's evidence: the amount and its per cue ("100 triệu đồng/năm")."""
    for _, pat in P.per_after:
        pm = pat.match(text, a.end, min(len(text), a.end + 40))
        if pm:
            return pm.end()
    return a.end


def _row(doc: Any, P: _Patterns, r: _Read) -> Budget:
    """The stored row of a budget: its source, activity and evidence (from its clause start, or the amount
    before it, to the end of its per cue)."""
    text, a = doc.text, r.a
    src = _last(P.source, text, r.sent_start, a.start)
    if src is None:  # "1,5 tỷ đồng từ ngân sách tỉnh"
        nxt = _SOURCE_AFTER_END.search(text, a.end, min(len(text), a.end + 200))
        src = P.source.search(text, a.end, nxt.start() if nxt else min(len(text), a.end + 200))
    if src is None:
        heads = " | ".join(_headings(doc, a.start))
        src = _last(P.source, heads, 0, len(heads))
    source = next(P.source_names[i] for i in range(len(P.source_names)) if src.group(f"s{i}")) if src else None
    activity = _activity(doc, a.start, text[max(r.sent_start, min(r.prev_end, a.start)):a.start], text[a.end:a.end + 200])
    qs = r.window_start if a.start - r.window_start <= 160 else a.start
    while qs < a.start and (text[qs] in ",;:/-+*(" or text[qs].isspace()):
        qs += 1
    quote, qs, qe = span(doc, qs, _quote_end(P, text, a))
    return Budget(
        amount_vnd=a.value, amount_text=" ".join(a.text.split()), per=r.per, funding_source=source,
        activity=activity, section=doc.section_label(a.start) or None, quote=quote, char_start=qs, char_end=qe,
        amount_max_vnd=a.value_max, comparator=_comparator(P, text, a.start, r.window_start, a),
        reason=f"{r.decision.reason}; per: {r.per_why}",
    )
