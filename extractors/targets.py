"""Targets: every quantified commitment of a plan, with its period and programme indicator.

A target is a number with a unit (``%``, a count noun such as ``người``/``cơ sở``, or a ratio
``4/100.000 …``) that a plan commits to. Numbers are found with ``pipeline.numbers``
(Vietnamese digits and number words); the words around them decide the rest, all from
``corpora/lexicons/targets.yaml``:

- **is it a target?** Inside a section (or paragraph lead) headed "Mục tiêu"/"Chỉ tiêu" every
  percentage or counted quantity is, unless it is a reference ("Mục tiêu 1", "khoản 2"), an
  existing scope ("tại 04 mô hình"), a baseline ("giảm từ 23 … xuống 18"), a condition
  ("thấp dưới 30% có thể điều chỉnh") or a past fact. Elsewhere (tasks) it must follow a
  strong cue ("tối thiểu 400 cán bộ", "bình quân 40 người/năm") or a task verb
  ("đào tạo 10 cán bộ"). Money is never a target (budgets are extracted separately).
- **comparator**: the cue word nearest before the number (``at_least`` for đạt, có, bảo đảm,
  ít nhất, …; ``more_than`` trên/hơn; ``at_most`` tối đa/không quá/xuống/còn; ``less_than``
  dưới; ``equal`` bình quân/khoảng, and 100% or a bare count); "tăng/giảm … so với năm Y" is
  ``increase_by``/``decrease_by`` with ``baseline_year`` Y.
- **period**: a year or range in the target's own clause ("vào năm 2025"), else the lead of its
  line ("Mục tiêu cụ thể đến năm 2025 là: …"), else the nearest phase heading above it
  ("a) Từ 2021 đến năm 2025", "b) Giai đoạn 2026 - 2030"), else the plan's own period
  (``doc.meta`` period_start/period_end).
- **indicator**: the programme the document implements (``doc.meta.programme``) scores the
  phrase naming what is measured (``extractors.programmes.score_indicator``); no programme or
  a weak score gives ``other`` (the best candidate goes to ``notes``).
"""
from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import islice
from typing import Any, Iterator

import regex

from chitieu.pipeline.corpus import corpus_data
from chitieu.extractors import table
from chitieu.pipeline.evidence import span
from chitieu.extractors._table_targets import merge as merge_tables
from chitieu.pipeline.structure import MATCH_TIMEOUT, DocumentMeta
from chitieu.pipeline.numbers import LowerCheck, find_numbers, lowered, parse_number
from chitieu.pipeline import programmes

TIMEOUT = MATCH_TIMEOUT


@dataclass
class Target:
    indicator: str  # programme indicator code, or "other"
    indicator_text: str  # the phrase naming what is measured
    value: float
    value_max: float | None  # upper end of a range "từ 01 đến 02"
    unit: str  # "%", "người", "người/năm", "cơ sở", ...
    comparator: str  # at_least, more_than, at_most, less_than, equal, increase_by, decrease_by
    baseline_year: int | None  # "tăng 20% so với năm 2020" -> 2020
    period_start: int | None
    period_end: int | None
    section: str | None  # label of the innermost section ("II.2.a")
    quote: str
    char_start: int
    char_end: int
    confidence: float
    notes: str | None
    reason: str | None = None  # the rule that accepted it ("lead 'phấn đấu'", "target section 'Mục tiêu cụ thể'", a table cell)
    table_row: int | None = None  # a target read from a table: its data row (1-based) …
    table_col: int | None = None  # … and column (1-based)


# ---- lexicon -----------------------------------------------------------------------------------
def _alt(words) -> str:
    """Whole-word alternation of phrases (longest first); spaces match any whitespace."""
    parts = sorted({w.strip().lower() for w in words if w.strip()}, key=len, reverse=True)
    return "|".join(r"\s+".join(regex.escape(x) for x in p.split()) for p in parts)


def _word_re(words, flags=regex.I) -> regex.Pattern:
    return regex.compile(rf"(?<![\p{{L}}\d])(?:{_alt(words)})(?![\p{{L}}\d])", flags)


@dataclass
class Lexicon:
    raw: dict
    cues: regex.Pattern  # comparator cue words; group name = comparator
    cue_of: dict[str, str]
    after_cues: list[tuple[regex.Pattern, str]]
    change: regex.Pattern
    change_of: dict[str, str]
    change_marker: regex.Pattern
    change_fillers: set[str]
    percent: regex.Pattern
    unit: regex.Pattern
    after_number: regex.Pattern  # permille, percent, money, unit and open_unit in one pattern (``_unit_after``)
    unit_of: dict[str, str]
    per: regex.Pattern
    each: regex.Pattern
    money: regex.Pattern
    unit_not_before: regex.Pattern
    percent_not_before: regex.Pattern
    target_heading: regex.Pattern
    non_target_heading: regex.Pattern
    strong: regex.Pattern
    task: regex.Pattern
    skip_words: set[str]
    scope_before: set[str]
    label_before: regex.Pattern
    condition: regex.Pattern
    past: regex.Pattern
    relative_past: regex.Pattern
    forecast: regex.Pattern
    baseline_from: regex.Pattern
    baseline_to: regex.Pattern
    phase_range: regex.Pattern
    year: regex.Pattern
    baseline_year: regex.Pattern
    list_lead: regex.Pattern
    part_heading: regex.Pattern
    part_past: regex.Pattern
    ratio: regex.Pattern
    range_after: regex.Pattern
    permille: regex.Pattern
    scale: regex.Pattern
    scale_of: dict[str, float]
    leads: regex.Pattern
    lead_not_after: regex.Pattern
    deadline: regex.Pattern
    fact_year: regex.Pattern
    this_year: regex.Pattern
    rule: regex.Pattern
    eligibility: regex.Pattern
    rank_before: regex.Pattern
    reference_after: regex.Pattern
    imperative_open: regex.Pattern
    phase_no: regex.Pattern
    phase_def: regex.Pattern
    open_unit: regex.Pattern
    open_not: set[str]
    place_scope: set[str]
    label_only: regex.Pattern
    phrase_cut: regex.Pattern
    attached_year: regex.Pattern
    own_deadline_after: regex.Pattern
    qualifies: regex.Pattern
    list_gap: regex.Pattern
    subset_gap: regex.Pattern
    change_joined: regex.Pattern
    elided_unit: regex.Pattern
    quantity_open: regex.Pattern
    list_item: regex.Pattern
    date: regex.Pattern
    describes_gap: regex.Pattern
    bracket_open: regex.Pattern
    year_range_tail: regex.Pattern
    year_leads_next: regex.Pattern
    structure: regex.Pattern
    continues_sentence: regex.Pattern
    wrap_after: regex.Pattern
    reference_year: regex.Pattern
    restates_pct: regex.Pattern
    per_one_before: regex.Pattern
    date_before: regex.Pattern
    slogan_open: regex.Pattern  # an opening quote right before a number ...
    slogan_close: regex.Pattern  # ... closed after a few words: a slogan's name ("“3 cứng”", "“4 tại chỗ”")
    # per process: the period of each heading, line lead or phase line read (``_period_in``), and
    # what may follow each lead seen after a number (``_lead_allows``)
    line_periods: dict = field(default_factory=dict, repr=False)
    lead_allows: dict = field(default_factory=dict, repr=False)
    rank_tails: dict = field(default_factory=dict, repr=False)  # see ``_rank_before``
    no_unit: dict = field(default_factory=dict, repr=False)  # see ``_no_unit``
    closed_units: regex.Pattern | None = None  # ``after_number`` less its open-class noun
    rank_before_rev: regex.Pattern | None = None  # ``rank_before`` compiled to match backwards
    # cheap pre-checks: for a pattern of ``_HINTED``, the words one of which each of its matches holds,
    # as one case-sensitive stdlib pattern over the lower-cased text (``_may``), and when that text answers
    hints: dict = field(default_factory=dict, repr=False)
    lower_check: Any = None


# targets.yaml keys compiled as written (case-insensitive), each into the lexicon field without "_re"
_RE_KEYS = ("target_heading_re", "non_target_heading_re", "label_before_re", "condition_re", "past_re", "relative_past_re",
             "baseline_from_re", "baseline_to_re", "phase_range_re", "year_re", "baseline_year_re",
             "list_lead_re", "part_past_re", "lead_not_after_re", "deadline_re", "fact_year_re",
             "this_year_re", "rule_re", "eligibility_re", "rank_before_re", "reference_after_re",
             "imperative_open_re", "phase_no_re", "phase_def_re", "range_after_re", "label_only_re",
             "phrase_cut_re", "attached_year_re", "own_deadline_after_re", "qualifies_re", "list_gap_re", "subset_gap_re", "change_joined_re", "elided_unit_re", "quantity_open_re",
             "list_item_re", "date_re", "describes_gap_re", "bracket_open_re", "year_range_tail_re",
             "year_leads_next_re", "continues_sentence_re", "forecast_re",
             "wrap_after_re", "reference_year_re", "restates_pct_re", "per_one_before_re", "date_before_re",
             "slogan_open_re", "slogan_close_re")


def _phrase_map(groups: dict) -> dict[str, str]:
    """{phrase, lower case and spaces collapsed: its key} of a {key: [phrases]} mapping."""
    return {" ".join(w.lower().split()): key for key, words in groups.items() for w in words}


def _anchored(body: str, tail: str = r"(?![\p{L}\d])") -> regex.Pattern:
    """A phrase pattern that must open the text it is matched on (after spaces)."""
    return regex.compile(rf"^\s*(?:{body}){tail}", regex.I)


def _word_maps(raw: dict) -> dict:
    """Comparator cues, change words and count nouns, each phrase mapped to what it means."""
    unit_of = _phrase_map(raw["units"])
    for n in raw.get("count_nouns", []):
        unit_of.setdefault(" ".join(n.lower().split()), " ".join(n.lower().split()))
    return dict(cue_of=_phrase_map(raw["comparators"]),
                change_of=_phrase_map({k: raw["change"][k] for k in ("increase_by", "decrease_by")}),
                unit_of=unit_of)


def _unit_patterns(raw: dict, unit_of: dict) -> dict:
    """What may follow a number: %, ‰, a count noun, a "/năm", a scale word; and what may not."""
    percent_alt = "|".join(regex.escape(p) if p == "%" else _alt([p]) for p in raw["percent_words"])
    permille_alt = "|".join(regex.escape(p) if len(p) == 1 else _alt([p]) for p in raw["permille_words"])
    # what may follow a number, tried in the order of ``_unit_after`` as the branches of one pattern
    # (one match per number instead of one per kind of unit); each branch is its pattern below
    after_number = regex.compile(
        rf"^\s*(?:(?P<pm>{permille_alt})(?!\p{{L}})|(?P<pc>{percent_alt})(?!\p{{L}})"
        rf"|(?P<money>{_alt(raw['money_words'])})(?![\p{{L}}\d])|(?P<u>{_alt(unit_of)})(?![\p{{L}}\d])"
        rf"|(?-i:{_OPEN_UNIT.format(u='ou', p='op')}))", regex.I)
    closed_units = regex.compile(after_number.pattern.replace(f"|(?-i:{_OPEN_UNIT.format(u='ou', p='op')}))", ")"),
                                 regex.I)
    assert closed_units.pattern != after_number.pattern
    return dict(
        closed_units=closed_units,
        percent=_anchored(percent_alt, r"(?!\p{L})"), permille=_anchored(permille_alt, r"(?!\p{L})"),
        unit=_anchored(rf"(?P<u>{_alt(unit_of)})"), after_number=after_number,
        per=_anchored(rf"/\s*(?P<p>{_alt(raw['per_words'])})"),
        each=regex.compile(rf"(?<!\p{{L}})mỗi\s+(?P<p>{_alt(raw['per_words'])})(?![\p{{L}}\d])", regex.I),
        unit_not_before=_anchored(_alt(raw["unit_not_before"])),
        percent_not_before=_anchored(_alt(raw["percent_not_before"])),
        money=_anchored(_alt(raw["money_words"])),
        scale=_anchored(rf"(?P<s>{_alt(raw['scale_words'])})", r"(?!\p{L})\s*"),
        scale_of={k.lower(): float(v) for k, v in raw["scale_words"].items()},
        open_not={w.lower() for w in raw["open_unit_not"]},
        place_scope={w.lower() for w in raw["place_scope"]},
    )


# an open-class count noun after a number ("60 quốc gia", "2,15 con/phụ nữ"), its group names filled in
_OPEN_UNIT = r"(?P<{u}>\p{{Ll}}+)(?:\s*/\s*(?P<{p}>\p{{L}}+(?:\s+\p{{L}}+)?))?(?!\p{{L}})"

# shapes written in code (no words): a ratio "4/100.000 trẻ", an open-class noun
_SHAPES = dict(
    # "4/100.000 trẻ sinh ra còn sống", "109 bé trai/100 bé gái": a value per a power of ten
    ratio=regex.compile(r"(?<![\d.,/\p{L}])(\d+(?:,\d+)?)(?:\s+(?P<of>\p{L}+(?:\s+\p{L}+){0,2}))?\s*/\s*"
                        r"(1(?:00\.000|\.000(?:\.000)?|0{1,2}))(?![\d/]|[.,]\d)"
                        r"\s*(?P<noun>\p{L}+(?:\s+\p{L}+){0,3})?", regex.I),
    open_unit=regex.compile(r"^\s*" + _OPEN_UNIT.format(u="u", p="p")),
)


# what every ratio holds ("/100.000", "/ 1.000", "/10"): the stdlib's \s takes every space regex's does
_RATIO_BASE = re.compile(r"/\s*1[0.]")


@lru_cache(maxsize=1)
def lexicon() -> Lexicon:
    raw = corpus_data("lexicons/targets.yaml")
    words = _word_maps(raw)
    return Lexicon(
        raw=raw, **words, **_unit_patterns(raw, words["unit_of"]), **_SHAPES,
        **{k[:-3]: regex.compile(raw[k], regex.I) for k in _RE_KEYS},
        cues=_word_re(words["cue_of"]), change=_word_re(words["change_of"]),
        after_cues=[(_anchored(_alt(ws), r"(?!\p{L})"), comp) for comp, ws in raw.get("comparators_after", {}).items()],
        change_marker=_word_re([raw["change"]["marker"]]),
        change_fillers={w.lower() for f in raw["change"].get("fillers", []) for w in f.split()},
        strong=_word_re(raw["strong_cues"]), task=_word_re(raw["task_verbs"]),
        skip_words={w.lower() for w in raw["skip_words"]}, scope_before={w.lower() for w in raw["scope_before"]},
        part_heading=regex.compile(raw["part_heading_re"], regex.I | regex.M),
        leads=_word_re(raw["commit_leads"]),
        structure=_anchored(_alt(raw["structure_nouns"])),
        **_hints(raw, {"change": _word_re(words["change_of"]).pattern,
                       "change_marker": _word_re([raw["change"]["marker"]]).pattern}),
    )


# ---- cheap pre-checks -----------------------------------------------------------------------------
# the keyword patterns searched in each candidate's window (or once per document): most windows hold
# none of their words, and a case-sensitive stdlib scan of the lower-cased text for those words is
# much cheaper than the case-insensitive ``regex`` search that opens with a look-behind
_HINTED = ("condition", "past", "forecast", "rule", "eligibility", "phrase_cut", "target_heading",
           "non_target_heading", "part_heading", "phase_no", "label_before", "baseline_from")
_OPENERS = (r"(?<!\p{L})", r"(?<![\p{L}\d])", r"^[ \t]*", r"^\s*")  # what may open such a pattern before its words
_CHAIN = re.compile(r"(?:[^\W\d_]+\\s\+)*[^\W\d_]+")  # words joined by \s+, as written in a pattern


def _hints(raw: dict, sources: dict[str, str]) -> dict:
    """The pre-check of each pattern of ``_HINTED`` (targets.yaml) and of ``sources`` (patterns built
    from word lists), and the letters the lower-cased text must keep for them."""
    hints = {}
    for key, source in [*((k, raw[k + "_re"]) for k in _HINTED), *sources.items()]:
        chains = _required_words(source)
        if chains:
            alts = sorted({r"\s+".join(map(re.escape, ch)) for ch in chains}, key=len, reverse=True)
            hints[key] = re.compile("|".join(alts))
    for key in _YEAR_KEYS:  # ``_has_year`` reads each match's year "19dd"/"20dd" as required
        if r"((?:19|20)\d\d)" not in raw[key]:
            raise ValueError(f"targets.yaml {key}: a year pattern must capture ((?:19|20)\\d\\d) (see _has_year)")
    letters = "".join(sorted({ch for h in hints.values() for ch in h.pattern if ch.isalpha()}
                             | set("".join(_LEAD_LINE_WORDS))))
    return dict(hints=hints, lower_check=LowerCheck(letters))


def _required_words(source: str) -> list[list[str]] | None:
    """Words of a pattern, one run of which (in lower case, spaces between them) each of its matches
    holds: for a pattern that opens with a group of alternatives (or with words), the words that open
    each alternative; None when the pattern has another shape (no pre-check then)."""
    rest = next((source[len(o):] for o in _OPENERS if source.startswith(o)), None)
    if rest is None:
        return None
    alts = [rest]
    if rest.startswith("(?:"):
        alts, end = _alternatives(rest, 3)
        if alts is None or rest[end + 1:end + 2] in ("?", "*", "{"):
            return None  # the group is optional
    words = []
    for alt in alts:
        m = _CHAIN.match(alt)
        if m is None:
            return None
        chain = m[0].split("\\s+")
        if alt[m.end():m.end() + 1] in ("?", "*", "{"):
            chain[-1] = chain[-1][:-1]  # its last letter is optional
        if not chain[-1]:
            chain.pop()
        if not chain:
            return None
        words.append([w.lower() for w in chain])
    return words


def _alternatives(s: str, i: int) -> tuple[list[str] | None, int]:
    """The top-level alternatives of the group whose body starts at ``s[i]``, and where it closes."""
    depth, start, out = 0, i, []
    while i < len(s):
        ch = s[i]
        if ch == "\\":
            i += 2
            continue
        if ch == "[":  # a class, to its closing bracket
            i += 1
            i += s[i:i + 1] == "^"
            i += s[i:i + 1] == "]"
            while i < len(s) and s[i] != "]":
                i += 2 if s[i] == "\\" else 1
        elif ch == "(":
            depth += 1
        elif ch == ")":
            if depth == 0:
                out.append(s[start:i])
                return out, i
            depth -= 1
        elif ch == "|" and depth == 0:
            out.append(s[start:i])
            start = i + 1
        i += 1
    return None, i


def _may(ctx: "_Ctx", key: str, start: int, end: int) -> bool:
    """May ``lx.<key>`` match within ``text[start:end]``? False only when none of its words is there."""
    h = ctx.lx.hints.get(key)
    return h is None or ctx.low is None or h.search(ctx.low, start, end) is not None


def _may_open_line(ctx: "_Ctx", key: str) -> bool:
    """``_may`` over the whole text for a pattern whose words open a line (``^[ \\t]*`` and multi-line):
    one of its words after nothing but spaces or tabs on its line."""
    h, low = ctx.lx.hints.get(key), ctx.low
    if h is None or low is None or not ctx.lx.raw[key + "_re"].startswith(r"^[ \t]*"):
        return True
    starts = ctx.doc.line_starts
    opens: dict[int, int] = {}  # line start -> where its words start
    for m in h.finditer(low):
        ls = starts[bisect_right(starts, m.start()) - 1]  # its line's start, by bisection: no scan of a long line
        if ls not in opens:
            opens[ls] = _INDENT.match(low, ls).end()
        if opens[ls] == m.start():
            return True
    return False


def _may_in(ctx: "_Ctx", key: str, s: str) -> bool:
    """``_may`` for a piece ``s`` of the text (its lower case is that piece of ``ctx.low``)."""
    h = ctx.lx.hints.get(key)
    return h is None or ctx.low is None or h.search(s.lower()) is not None


def _has_year(text: str, start: int = 0, end: int | None = None) -> bool:
    """May a year pattern match within ``text[start:end]``? Each of them (``_YEAR_KEYS``) captures a
    year "19dd"/"20dd" that every match holds (the code reads ``int(m[1])``)."""
    end = len(text) if end is None else end
    return text.find("20", start, end) != -1 or text.find("19", start, end) != -1


_YEAR_KEYS = ("year_re", "phase_range_re", "deadline_re")


# ---- document context --------------------------------------------------------------------------
@dataclass
class _Ctx:
    """What the reading of one document's numbers needs, computed once per document."""
    doc: Any
    lx: Lexicon
    text: str
    plan_mode: bool  # a plan (or an unknown kind), not news or a report
    doc_year: int | None  # the document's own year (``_reference_year``)
    plan: tuple[int | None, int | None]  # the plan's period
    past_ref: int | None  # a target's end year before this is a past fact
    prog: Any  # the national programme the document implements, if any
    colons: list[int]  # offsets of every ":" (the lead of a line ends there)
    low: str | None  # the lower-cased text, when it answers for the pre-checks (``_may``)
    cands: list = field(default_factory=list)  # the candidate numbers, in text order
    # read on first use (most documents need neither): the document's numbered phases ("giai đoạn 1
    # (2021-2025)"), its phase lines without a heading marker ("Giai đoạn 2021 - 2025:") and their ends
    _phases: dict[int, tuple[int, int]] | None = None
    _lead_lines: list | None = None
    _lead_line_ends: list[int] | None = None
    heading_cache: dict = field(default_factory=dict)
    head_zone: dict = field(default_factory=dict)  # innermost heading start -> the zone its headings give
    head_period: dict = field(default_factory=dict)  # innermost heading start -> (period, source) they give
    parts: list | None = None  # (start, heading text) of "Phần thứ nhất …" lines
    part_starts: list | None = None
    # the state of a left-to-right reading: the last target (clause start, end, comparator of a cue) …
    prev: tuple[int, int, str | None] = (-1, -1, None)
    # … and the inline period of the last target of a line (line start, period, target end)
    line_period: tuple[int, Any, int] = (-1, None, 0)
    end_only: set = field(default_factory=set)  # ids of the rows whose own words gave an end year alone

    @property
    def phases(self) -> dict[int, tuple[int, int]]:
        if self._phases is None:
            self._phases = {_phase_index(m[1]): (int(m[2]), int(m[3]))
                            for m in self.lx.phase_def.finditer(self.text, timeout=TIMEOUT)
                            if int(m[2]) <= int(m[3]) <= int(m[2]) + 30}
        return self._phases

    @property
    def lead_lines(self) -> list:
        if self._lead_lines is None:
            self._lead_lines = _lead_line_matches(self.text, self.low, self.doc.line_starts)
            self._lead_line_ends = [m.end() for m in self._lead_lines]
        return self._lead_lines

    @property
    def lead_line_ends(self) -> list[int]:
        self.lead_lines
        return self._lead_line_ends


def _context(doc: Any, lx: Lexicon) -> _Ctx:
    text, meta = doc.text, doc.meta
    kind = meta.kind
    plan_mode = kind is None or kind in lx.raw["plan_kinds"]
    doc_year = _reference_year(lx, text, meta, plan_mode)
    plan = _plan_period(lx, text, meta, plan_mode, doc_year)
    cands = _candidates(lx, text)
    return _Ctx(
        doc, lx, text, plan_mode, doc_year, plan,
        past_ref=plan[0] if plan_mode and plan[0] is not None else doc_year,
        prog=programmes.get_programme(meta.programme),
        colons=[m.start() for m in _COLON.finditer(text)] if cands else [],
        low=lowered(text) if cands and lx.lower_check(text) else None, cands=cands,
    )


_COLON = re.compile(":")


def _plan_period(lx: Lexicon, text: str, meta: dict, plan_mode: bool, doc_year: int | None) -> tuple:
    """The plan's period from the metadata; news of a plan takes the first phase range near its top
    ("Chương trình … giai đoạn 2016 - 2020"), and a plan "đến năm 2030" reported in 2021 is 2021-2030."""
    plan = (meta.period_start, meta.period_end)
    if plan_mode:
        return plan
    if plan == (None, None):
        top = lx.phase_range.search(text, 0, lx.raw.get("dateline_chars", 600) * 2, timeout=TIMEOUT)
        if top and int(top[1]) <= int(top[2]) <= int(top[1]) + 30:
            plan = (int(top[1]), int(top[2]))
        else:  # "Lộ trình thực hiện các mục tiêu phát triển bền vững đến năm 2030" in the headline
            end = _deadline_in(lx, text[:lx.raw.get("dateline_chars", 600)], doc_year)
            plan = (None, int(end[1])) if end else plan
    if plan[0] is None and plan[1] is not None and doc_year is not None and doc_year <= plan[1]:
        plan = (doc_year, plan[1])
    return plan


_CLOSING_MARKS = ";:.!?…"


def _clause(ctx: _Ctx, start: int, end: int) -> tuple[int, int]:
    """The clause of the document model (``doc.clause_at``) holding ``[start, end)``, without the mark
    that closes it ("; . :"), joined over a line break that only wraps it (no mark before the break, a
    lower-case word or a number after it: "… vào năm⏎2025"; at most ``_WRAPS`` lines each way)."""
    doc, text = ctx.doc, ctx.text
    cs = doc.clause_at(start)[0]
    ce = doc.clause_at(max(start, end - 1))[1]
    for _ in range(_WRAPS):
        if ce >= len(text) or text[ce - 1] in _CLOSING_MARKS or not ctx.lx.wrap_after.match(text[ce:ce + 40]):
            break
        ce = doc.clause_at(ce + len(text[ce:ce + 40]) - len(text[ce:ce + 40].lstrip()))[1]
    for _ in range(_WRAPS):
        b = len(text[max(0, cs - 40):cs].rstrip())
        prev = max(0, cs - 40) + b
        if prev <= 0 or text[prev - 1] in _CLOSING_MARKS or "\n" not in text[prev:cs] \
                or not ctx.lx.wrap_after.match(text[prev:cs + 40]):
            break
        cs = doc.clause_at(prev - 1)[0]
    while ce > max(cs, end) and text[ce - 1] in _CLOSING_MARKS:
        ce -= 1
    return cs, ce


_WRAPS = 3


# a phase line without a heading marker: a short line ending with ":" ("- Giai đoạn 2021 - 2025:"), or a
# short target lead naming a year and no quantity ("*. Mục tiêu đến năm 2020")
_LEAD_LINE = regex.compile(r"^[^\n]{0,120}:[ \t]*$|^[ \t]*[-+*•]?\.?[ \t]*(?:mục\s+tiêu|chỉ\s+tiêu)[^\n\d%]{0,30}"
                           r"năm\s+(?:19|20)\d\d[ \t:]*$", regex.M | regex.I)
_LEAD_LINE_WORDS = ("mục", "chỉ")  # what the second kind of lead line opens with (in lower case)
_COLON_EOL = re.compile(r":[ \t]*(?:\n|\Z)")  # a ":" that ends its line
_BULLETS = re.compile(r"[ \t\-+*•.]*")  # what may come before the words of a lead line
_INDENT = re.compile(r"[ \t]*")


def _lead_line_matches(text: str, low: str | None, line_starts: list[int]) -> list:
    """The matches of ``_LEAD_LINE.finditer(text)``, tried only at the starts of the lines that may hold
    one: a line ending with ":", a line opening with "mục"/"chỉ" after spaces, a bullet or a dot (found in
    the lower-cased text ``low``; None: the text is not safe to lower, every line start is tried). Line
    starts by bisection (``line_starts``, the document model's): no scan back over a long line."""
    if low is None:
        return list(_LEAD_LINE.finditer(text))
    starts = {line_starts[bisect_right(line_starts, m.start()) - 1] for m in _COLON_EOL.finditer(text)}
    opens: dict[int, int] = {}  # line start -> where its words start (after spaces, a bullet, a dot)
    for w in _LEAD_LINE_WORDS:
        i = low.find(w)
        while i != -1:
            ls = line_starts[bisect_right(line_starts, i) - 1]
            if ls not in opens:
                opens[ls] = _BULLETS.match(low, ls).end()
            if opens[ls] == i:
                starts.add(ls)
            i = low.find(w, i + 1)
    out: list = []
    last = 0
    for ls in sorted(starts):
        m = _LEAD_LINE.match(text, ls) if ls >= last else None
        if m is not None:
            out.append(m)
            last = max(m.end(), ls + 1)
    return out


_ENDS_SENTENCE = regex.compile(r"[.:;]\s*$")
_MARKER = regex.compile(r"\s*(?:[-+•*]\s|\d{1,2}[.)]\s|[a-zđ]\)\s)")


def _heading_text(ctx: _Ctx, sec) -> str:
    """A section's heading line (with the next line when the heading looks cut)."""
    key = sec.start
    if key not in ctx.heading_cache:
        t = ctx.text[sec.start:sec.title_end]
        if len(sec.title) < 25 and not _ENDS_SENTENCE.search(t):
            nxt = ctx.text.find("\n", sec.title_end + 1)
            extra = ctx.text[sec.title_end:nxt if nxt != -1 else len(ctx.text)]
            if extra.strip() and not _MARKER.match(extra):
                t = t + " " + extra.strip()
        ctx.heading_cache[key] = t
    return ctx.heading_cache[key]


def _headings(ctx: _Ctx, offset: int) -> list:
    """Non-bullet sections holding ``offset``, innermost first, whose heading line is before it."""
    sec = ctx.doc.section_at(offset)
    return [s for s in ctx.doc.ancestors(sec) if not s.is_bullet and s.title_end <= offset]


def _period_in(lx: Lexicon, text: str, near: int | None = None) -> tuple[int | None, int | None] | None:
    """A phase range or an end year in ``text`` (the one nearest ``near`` when given); the period of
    a heading, line lead or phase line (``near`` None) is read once per process."""
    if near is not None:
        return _read_period(lx, text, near)
    got = lx.line_periods.get(text, False)
    if got is False:
        if len(lx.line_periods) > 4096:
            lx.line_periods.clear()
        got = lx.line_periods[text] = _read_period(lx, text, None)
    return got


def _read_period(lx: Lexicon, text: str, near: int | None) -> tuple[int | None, int | None] | None:
    if not _has_year(text):
        return None
    m = next((r for r in lx.phase_range.finditer(text, timeout=TIMEOUT) if not _names_a_standard(lx, text, r.start())),
             None)
    if m:
        a, b = int(m[1]), int(m[2])
        if a <= b <= a + 30:
            return a, b
    years = [y for y in lx.year.finditer(text, timeout=TIMEOUT) if not _names_a_standard(lx, text, y.start())]
    if not years:
        return None
    if near is None:
        m = years[0]
    else:
        m = min(years, key=lambda y: min(abs(y.start() - near), abs(y.end() - near)))
    return None, int(m[1])


def _names_a_standard(lx: Lexicon, s: str, at: int) -> bool:
    """Does the year or range at ``at`` of ``s`` name a standard or a price base ("chuẩn nghèo giai đoạn
    2016 – 2020", "giá so sánh năm 2010"), not a period?"""
    return bool(lx.reference_year.search(s[max(0, at - 60):at], timeout=TIMEOUT))


def _inline_period(lx: Lexicon, text: str, cs: int, ce: int, seg_s: int, seg_e: int, c: _Cand):
    """The period a target's own words give: a year attached after it ("đạt 30% vào năm 2025"),
    else the nearest one before it in its segment ("Năm 2025 đạt 60%"), else any in its
    segment, else any in its clause; a range ("giai đoạn 2021-2025") in the segment wins."""
    if not _has_year(text, min(cs, seg_s), max(ce, seg_e)):
        return None  # no year in the words it reads
    seg = text[seg_s:seg_e]
    after = text[c.end:seg_e]
    m = next((r for r in lx.phase_range.finditer(seg, timeout=TIMEOUT) if not _names_a_standard(lx, seg, r.start())),
             None)
    if m and int(m[1]) <= int(m[2]) <= int(m[1]) + 30:
        own = lx.own_deadline_after.match(text[c.end:ce]) if seg_s + m.end() <= c.start else None
        if own and int(m[1]) <= int(own[1]) < int(m[2]):
            # "Kế hoạch … giai đoạn 2025 - 2030, phấn đấu … 20% xã … ngay trong năm 2025": the
            # target's own deadline, inside the range named before it
            return int(m[1]), int(own[1])
        return int(m[1]), int(m[2])
    for y in lx.year.finditer(after[:60], timeout=TIMEOUT):
        # "đạt 30% vào năm 2025", "30% năm 2025"; not "năm 2018 đạt 99%, năm 2019 đạt …"
        if seg_e < ce and lx.list_gap.match(after, 0, y.start()) and lx.year_leads_next.match(after[y.end():]):
            break  # "đạt 60% và đến năm 2030 đạt 75%": the year opens the next target
        if lx.attached_year.match(after[:y.start()] + y[0]) or (y.start() < 3 and "," not in after[:y.start()]):
            return None, int(y[1])
        break
    before = [y for y in lx.year.finditer(text[seg_s:c.start], timeout=TIMEOUT)
              if not _names_a_standard(lx, text[seg_s:c.start], y.start())]
    if before:
        return None, int(before[-1][1])
    later = lx.year.search(after, timeout=TIMEOUT)
    if later:
        return None, int(later[1])
    found = _period_in(lx, text[cs:ce], near=c.start - cs)
    own = lx.own_deadline_after.match(text[c.end:ce])
    if own and found and found[0] is not None and found[0] <= int(own[1]) < found[1]:
        return found[0], int(own[1])  # the clause names a range, the target its own year after it
    return found


def _resolve(base: tuple[int | None, int | None], found) -> tuple[int | None, int | None]:
    if found is None:
        return base
    s, e = found
    if s is not None:
        return s, e
    bs = base[0]
    return (bs if bs is not None and bs <= e else e), e


# ---- candidates --------------------------------------------------------------------------------
@dataclass
class _Cand:
    start: int  # number start
    num_end: int  # number end
    end: int  # end of the unit
    value: float
    value_max: float | None
    unit: str
    kind: str  # "pct", "count", "ratio"
    in_words: bool = False  # written in words ("một", "hai mươi")
    elided: bool = False  # its unit is the count's before it ("… 70.000 ngôi nhà … và 80.000 vào năm 2030")


def _unit_after(lx: Lexicon, text: str, pos: int) -> tuple[str, int, str] | None:
    """(unit, end, kind) of the unit right after a number ending at ``pos``: the first of ‰, %, money
    (no unit), a count noun, an open-class noun that matches (one pattern, ``lx.after_number``)."""
    after = text[pos:pos + 80]
    key = after[:_KEY.match(after).end()]
    none = lx.no_unit.get(key)
    if none is None:
        none = _no_unit(lx, key)
    if none:
        return None  # "năm 2025 trên địa bàn", "Điều 3 của": a word that is no unit
    m = lx.after_number.match(after)
    if m is None:
        return None
    if m["pm"] is not None:
        return "‰", pos + m.end(), "pct"
    if m["pc"] is not None:
        if lx.percent_not_before.match(after[m.end():]):
            return None
        end = pos + m.end()
        p = lx.per.match(text[end:end + 30])
        if p and p['p'].lower() in ("năm", "quý", "tháng"):
            return f"%/{p['p'].lower()}", end + p.end(), "pct"
        return "%", end, "pct"
    if m["money"] is not None:
        return None
    if m["u"] is not None:
        if lx.unit_not_before.match(after[m.end():]):
            return None  # "cơ sở dữ liệu" is a database, and no open-class noun either
        noun = " ".join(m["u"].lower().split())
        unit = lx.unit_of.get(noun, noun)
        end = pos + m.end()
        p = lx.per.match(text[end:end + 30])
        if p:
            unit = f"{unit}/{' '.join(p['p'].lower().split())}"
            end += p.end()
        return unit, end, "count"
    if m["ou"].lower() not in lx.open_not:
        # an open-class count noun: a target only inside a clause that commits (see extract)
        unit = m["ou"].lower() + (f"/{' '.join(m['op'].lower().split())}" if m["op"] else "")
        return unit, pos + m.end(), "open"
    return None


_KEY = re.compile(r"\s*[^\W\d_]*.?", re.S)  # the spaces after a number, its first word and the character after it
_OPEN_WORD = regex.compile(r"\s*(\p{Ll}+)(?!\p{L})")  # the open-class noun of ``after_number`` (its "ou")


def _no_unit(lx: Lexicon, key: str) -> bool:
    """Is there no unit after a number whose next characters are ``key`` (``_KEY``), whatever follows:
    no unit word can begin there (partial matching, as ``_lead_allows``), and the first word, which
    ends inside ``key``, is no open-class noun or one that is none (``open_unit_not``)? Once per process
    for each key."""
    none = False
    ws = regex.match(r"\s*", key).end()
    if ws < len(key) and lx.closed_units.match(key, partial=True) is None:
        o = _OPEN_WORD.match(key)
        none = o is None or (o.end() < len(key) and o[1].lower() in lx.open_not)
    if len(lx.no_unit) > 100_000:
        lx.no_unit.clear()
    lx.no_unit[key] = none
    return none


def _open_unit(phrase: str) -> str | None:
    """The first word (underthesea, short phrase, cached) of the words after a number."""
    words = programmes.segment(phrase.strip())
    return words[0].replace("_", " ") if words and words[0][:1].isalpha() else None


def _scaled(lx: Lexicon, text: str, pos: int) -> tuple[float, int] | None:
    """"1,2 triệu lao động", "5 nghìn hộ": (factor, end of the scale word) when a count noun follows."""
    m = lx.scale.match(text[pos:pos + 20])
    if not m:
        return None
    u = _unit_after(lx, text, pos + m.end())
    if u is None or u[2] != "count":
        return None
    return lx.scale_of[" ".join(m["s"].lower().split())], pos + m.end()


def _candidates(lx: Lexicon, text: str) -> list[_Cand]:
    """Every number of ``text`` with a unit that could make it a target, in text order: ratios first
    (their numbers are not read again), then the numbers of ``pipeline.numbers``."""
    ratios = _ratio_candidates(lx, text)
    ratios = sorted(ratios + _part_candidates(lx, text, ratios), key=lambda c: c.start)
    out = ratios + _number_candidates(lx, text, [c.start for c in ratios], [c.num_end for c in ratios])
    out += _elided_unit_candidates(lx, text, out)
    out.sort(key=lambda c: c.start)
    return out


def _elided_unit_candidates(lx: Lexicon, text: str, cands: list[_Cand]) -> list[_Cand]:
    """A bare number joined by "và" to a count, its own deadline after it, counts what that count counts:
    "70.000 ngôi nhà … vào năm 2025 và 80.000 vào năm 2030" (``elided_unit_re``)."""
    starts = {c.start for c in cands}
    out = []
    for c in cands:
        if c.kind not in ("count", "open"):
            continue
        m = lx.elided_unit.match(text, c.end, min(len(text), c.end + 200))
        if m is None or m.start(1) in starts:
            continue
        value = parse_number(m[1])
        if value is not None:
            out.append(_Cand(m.start(1), m.end(1), m.end(1), value, None, c.unit, c.kind, elided=True))
    return out


_PART = regex.compile(r"(?<![\d.,/])(\d{1,4})\s*/\s*(\d{1,4})(?![\d.,/])")


def _part_candidates(lx: Lexicon, text: str, ratios: list[_Cand]) -> list[_Cand]:
    """"12/14 xã", "66/112 thôn": x of the y units there are, x counting the count noun after it; read like a
    ratio (a cue or a target section commits it; "16/19 chỉ tiêu" is a tally). Not a date ("ngày 5/8")."""
    out: list[_Cand] = []
    if "/" not in text:
        return out
    taken = {c.start for c in ratios}
    for m in _PART.finditer(text):
        x, y = int(m[1]), int(m[2])
        if m.start(1) in taken or not 0 < x <= y or lx.date_before.search(text[max(0, m.start() - 12):m.start()]):
            continue
        u = _unit_after(lx, text, m.end())
        if u is None or u[2] != "count":
            continue
        out.append(_Cand(m.start(1), m.end(), u[1], float(x), None, u[0], "ratio"))
    return out


def _ratio_candidates(lx: Lexicon, text: str) -> list[_Cand]:
    """"4/100.000 trẻ sinh ra còn sống": a value per a power of ten, its noun cut at a stop word."""
    out = []
    if not _RATIO_BASE.search(text):
        return out  # no "/ 1…0" anywhere (most texts): no ratio, one literal scan instead of the pattern
    for m in lx.ratio.finditer(text, timeout=TIMEOUT):
        value = parse_number(m[1])
        if value is None:
            continue
        of = " ".join((m["of"] or "").split())
        if of and (of.lower().split()[0] in lx.open_not or lx.unit.match(" " + of)):
            continue  # "10 năm/100 …" is no ratio; "110 bé trai/100 bé gái" is read as a count of people
        words = []
        for w in (m["noun"] or "").strip().split()[:3]:
            if w.lower() in lx.raw["ratio_noun_stop"]:
                break  # "500/100.000 trẻ và 400/100.000 trẻ vào năm 2030": the noun ends before "và", "vào"
            words.append(w)
        noun = " ".join(words)
        unit = (of.lower() if of else "") + f"/{m[3]}" + (f" {noun}" if noun else "")
        end = m.start("noun") + len(noun) if noun else m.end(3)
        out.append(_Cand(m.start(1), m.end(3), end, value, None, unit, "ratio"))
    return out


def _number_candidates(lx: Lexicon, text: str, taken_s: list[int], taken_e: list[int]) -> list[_Cand]:
    """Numbers outside the ratios (``taken_s``/``taken_e``) followed by a unit, a range "từ 1 đến 2 %"
    read as one candidate; years and labels ("năm 2025 tăng", "Điều 4 thuộc") are not quantities.
    Cheapest test first: what follows most numbers ("năm 2025.", "Điều 3,", "khoản 2;", "(3)") can
    begin neither a range nor a unit (``_lead_allows``), and they are dropped without reading further."""
    out: list[_Cand] = []
    consumed_until = -1
    allows = lx.lead_allows
    for n in find_numbers(text):
        i = bisect_right(taken_s, n.start) - 1
        if n.start < consumed_until or (i >= 0 and n.start < taken_e[i]):
            continue
        lead = _KEY.match(text, n.end, n.end + 80)[0]  # the spaces after the number, its next word and a character
        may = allows.get(lead) or _lead_allows(lx, lead)
        if may == _NOTHING and not _rank_may_end(lx, text[max(0, n.start - 12):n.start]):
            continue  # neither a range, a scale word, a unit nor a rank word before it: no quantity
        ranged = _range_candidate(lx, text, n) if may[0] else None
        if ranged is not None:
            c, consumed_until = ranged
        else:
            c = _single_candidate(lx, text, n, may)
        if c is None:
            continue
        if c.kind == "open" and (_YEAR.fullmatch(n.text) or lx.label_before.search(text[max(0, n.start - 25):n.start])):
            continue  # a year or a label counts nothing
        if c.kind != "pct" and lx.year_range_tail.search(text[max(0, n.start - 8):n.start]):
            continue  # "giai đoạn 2021-30": the end of a year range
        out.append(c)
    return out


def _lead_allows(lx: Lexicon, lead: str) -> tuple[bool, bool, bool]:
    """May a range (``range_after``, read over 40 characters), a scale word (``scale``, 20) and a unit
    (``after_number``, 80, and not a word that is none: ``_no_unit``) begin with ``lead``, the spaces
    after a number, its next word and the character after it (``_KEY``)? The regex engine's own
    partial matching answers (a pattern that cannot match the lead as the start of a longer text
    cannot match the text), once per process for each lead: a few thousand distinct ones. Only a
    lead within a pattern's reach: a longer one is read as before."""
    got = tuple(len(lead) > size or pattern.match(lead, partial=True) is not None
                for pattern, size in ((lx.range_after, 40), (lx.scale, 20), (lx.after_number, 80)))
    if got[2] and (lx.no_unit.get(lead) if lead in lx.no_unit else _no_unit(lx, lead)):
        got = (got[0], got[1], False)
    if len(lx.lead_allows) > 100_000:
        lx.lead_allows.clear()
    lx.lead_allows[lead] = got
    return got


_NOTHING = (False, False, False)


def _rank_before(lx: Lexicon, before: str) -> regex.Match | None:
    """``rank_before`` in the words before a number ("top 55"), read only where it may end."""
    return lx.rank_before.search(before, timeout=TIMEOUT) if _rank_may_end(lx, before) else None


def _rank_may_end(lx: Lexicon, before: str) -> bool:
    """May ``rank_before`` match ``before``, the characters before a number? Only when the last one
    (and the spaces after it) may end a match: the reversed pattern's partial match answers once per
    process for each such tail (most numbers follow "năm", "số", "(", ",")."""
    k = len(before.rstrip())
    tail = before[k - 1:] if k else before
    may = lx.rank_tails.get(tail)
    if may is None:
        if len(lx.rank_tails) > 100_000:
            lx.rank_tails.clear()
        if lx.rank_before_rev is None:
            lx.rank_before_rev = regex.compile(lx.raw["rank_before_re"], regex.I | regex.REVERSE)
        may = lx.rank_tails[tail] = lx.rank_before_rev.match(tail, partial=True) is not None
    return may


def _range_candidate(lx: Lexicon, text: str, n) -> tuple[_Cand, int] | None:
    """"từ 01 đến 02 người", "5 - 10%": (the range, where it ends) when a unit follows it."""
    r = lx.range_after.match(text[n.end:n.end + 40])
    if not r or not (lx.baseline_from.search(text[max(0, n.start - 8):n.start].lower())
                     or r[0].strip().lstrip("%").lstrip().startswith("-")):  # "5 - 10%", "1%-1,5%"
        return None
    v2 = parse_number(r["n"])
    if v2 is None or v2 <= n.value:
        return None
    u = _unit_after(lx, text, n.end + r.end())
    if u is None and "%" in r[0]:
        u = ("%", n.end + r.end(), "pct")
    if u is None:
        return None
    unit, unit_end, kind = u
    return _Cand(n.start, n.end, unit_end, n.value, v2, unit, kind, in_words=not n.text[:1].isdigit()), n.end + r.end()


def _single_candidate(lx: Lexicon, text: str, n, may: tuple[bool, bool, bool] = (True, True, True)) -> _Cand | None:
    """A number (scaled by "nghìn", "triệu" before a count noun) and its unit; a rank ("top 55") needs
    no noun; a count that refers back ("hai chỉ tiêu trên") is none. ``may``: see ``_lead_allows``."""
    value, num_end = n.value, n.end
    sc = _scaled(lx, text, n.end) if may[1] else None
    if sc is not None:
        value, num_end = value * sc[0], sc[1]
        u = _unit_after(lx, text, num_end)
    else:
        u = _unit_after(lx, text, num_end) if may[2] else None
    if u is None or u[2] == "open":
        rank = _rank_before(lx, text[max(0, n.start - 12):n.start])
        if rank:  # "vươn lên top 55 vào năm 2030": a rank needs no noun
            u = (u[0] if u else rank[0].strip().lower(), u[1] if u else num_end, "open")
    if u is None:
        return None
    unit, unit_end, kind = u
    if kind != "pct" and lx.reference_after.match(text, unit_end, unit_end + 30):
        return None  # "hai chỉ tiêu trên", "03 nhiệm vụ này": a reference to what was said
    return _Cand(n.start, num_end, unit_end, value, None, unit, kind, in_words=not n.text[:1].isdigit())


# ---- decisions ---------------------------------------------------------------------------------
_WORD = regex.compile(r"[\p{L}\d]+")


_WORD_BACK = regex.compile(r"[\p{L}\d]+", regex.REVERSE)  # the words from the end: the same runs
# does a text hold at least k words (``_WORD``)? Without listing them all
_WORDS_AT_LEAST = {k: regex.compile(r"[^\p{L}\d]*(?:[\p{L}\d]+[^\p{L}\d]+){%d}[\p{L}\d]" % (k - 1)) for k in (2, 3, 4)}


def _last_words(s: str, k: int) -> list[str]:
    """The last ``k`` words of ``s``, lower-cased, read from its end."""
    return [m[0].lower() for m in islice(_WORD_BACK.finditer(s), k)][::-1] if k else []


def _zone(lx: Lexicon, ctx: _Ctx, c: _Cand, line_lead: str, heads: list) -> str:
    """'target' (a section or paragraph about targets), 'excluded' (results, budget, …) or ''.
    ``heads``: the headings above the number (``_headings``); their verdict is kept per heading."""
    key = heads[0].start if heads else -1
    if key not in ctx.head_zone:
        ctx.head_zone[key] = _heading_zone(lx, ctx, heads)
    if line_lead and _may_in(ctx, "target_heading", line_lead[:60]) \
            and lx.target_heading.search(line_lead[:60], timeout=TIMEOUT):
        return "excluded" if _past_results(ctx, heads) else "target"
    if ctx.head_zone[key]:
        return ctx.head_zone[key]
    # "Phần thứ nhất / ĐÁNH GIÁ TÌNH HÌNH …": a part heading above the numbered sections
    if ctx.parts is None:
        ctx.parts = [(m.start(), m[0]) for m in lx.part_heading.finditer(ctx.text, timeout=TIMEOUT)] \
            if _may_open_line(ctx, "part_heading") else []
        ctx.part_starts = [p[0] for p in ctx.parts]
    i = bisect_right(ctx.part_starts, c.start) - 1
    if i >= 0 and lx.part_past.search(ctx.parts[i][1], timeout=TIMEOUT):
        return "excluded"
    return ""


_HEADING_MARK = regex.compile(r"[\s*#]*(?:[IVXLC]+|\d{1,2}(?:\.\d{1,2})*|\p{L})[.)]+[\s*]*")
_FIRST_SENTENCE_END = regex.compile(r"(?<=\p{L}[)”\"*]*)[.;!?](?=\s|$)")


def _heading_zone(lx: Lexicon, ctx: _Ctx, heads: list) -> str:
    """The zone the nearest heading about targets or about results/budget gives, innermost first; a
    heading that names results before targets ("Tình hình thực hiện các mục tiêu, chỉ tiêu năm 2024")
    is about results."""
    for s in heads:
        h = _heading_text(ctx, s)
        # a numbered paragraph is no heading past its first sentence ("1.1. Tiếp tục tăng cường …. …
        # kiểm tra, đánh giá công tác …" is about tasks, not results)
        mark = _HEADING_MARK.match(h)
        end = _FIRST_SENTENCE_END.search(h, mark.end() if mark else 0, timeout=TIMEOUT)
        h = h[:end.start()] if end else h
        t = lx.target_heading.search(h, timeout=TIMEOUT)
        n = lx.non_target_heading.search(h, timeout=TIMEOUT)
        if n and (t is None or n.start() < t.start()):
            return "excluded"  # "Tình hình thực hiện các mục tiêu, chỉ tiêu năm 2024": results of targets
        if t:
            return "target"
    return ""


def _past_results(ctx: _Ctx, heads: list) -> bool:
    """Do the headings above make a results passage of a year before the plan's ("I. TÌNH HÌNH THỰC HIỆN …
    NĂM 2025" in a 2026-2028 plan)? There a line lead or a "Phấn đấu" ("d) Chi thực hiện các chương trình mục
    tiêu, nhiệm vụ: Phấn đấu hoàn thành 100% …") reports how that year ends: a past fact, no target."""
    key = heads[0].start if heads else -1
    if ctx.past_ref is None or ctx.head_zone.get(key) != "excluded":
        return False
    years = [int(m[1]) for s in heads for m in ctx.lx.year.finditer(_heading_text(ctx, s), timeout=TIMEOUT)]
    return bool(years) and max(years) < ctx.past_ref


def _lead_cued(lx: Lexicon, text: str, pos: int, ref_year: int | None = None) -> bool:
    """Does the sentence holding ``pos`` open with a target cue ("Phấn đấu …", "… đặt mục tiêu: …")
    within its first words, before ``pos``?"""
    window = text[max(0, pos - 1000):pos]
    cut = max(window.rfind(":"), window.rfind("\n"), window.rfind("!"), window.rfind("?"), window.rfind("…"),
              window.rfind(". "), window.rfind(".\t"))
    if cut < 0 and pos > 1000:
        return False  # no sentence start within reach
    lead = window[cut + 1:cut + 160]  # the first words are enough
    words = _WORD.findall(lead)
    head = " ".join(words[:lx.raw.get("list_lead_words", 12)])
    m = lx.list_lead.search(head, timeout=TIMEOUT)
    # "Đến cuối năm 2022, cả nước có …" in a text of 2023 opens a past fact, not a list of targets
    return bool(m) and not (ref_year is not None and any(int(y) < ref_year for y in _YEAR.findall(m[0])))


_QUANTITY = regex.compile(r"(?<![\d/.,])(?!(?:19|20)\d\d(?!\d))\d+(?:[.,]\d+)*(?![\d/])")  # a number, not a year
def _sentence_start(doc: Any, pos: int, back: int = 600) -> int:
    """Start of the sentence holding ``pos`` (the document model's sentences), at most ``back``
    characters before it."""
    return doc.sentence_bounds(pos, back=back)[0]


def _lead_in(lx: Lexicon, s: str) -> regex.Match | None:
    """The last commitment lead word in ``s`` that does not report an achievement ("vượt chỉ tiêu")."""
    found = None
    for m in lx.leads.finditer(s, timeout=TIMEOUT):
        if not lx.lead_not_after.search(s[max(0, m.start() - 30):m.start()]):
            found = m
    return found


def _deadline_in(lx: Lexicon, s: str, ref_year: int | None) -> regex.Match | None:
    for m in lx.deadline.finditer(s, timeout=TIMEOUT):
        if ref_year is None or int(m[1]) >= ref_year:
            return m
    return None


def _commitment(lx: Lexicon, doc: Any, pos: int, ref_year: int | None) -> str | None:
    """Why the clause holding ``pos`` commits, or None: a lead word (phấn đấu, mục tiêu, chỉ tiêu,
    quyết tâm, bảo đảm …) or a deadline not before the document's year, in the sentence before
    the number, in the one or two sentences before it on its line or paragraph, or on the lead
    line of its list ("… mục tiêu cụ thể đến năm 2025, đơn cử như:" then "- Đạt 60% …").
    Bounded windows: cost does not grow with the line or the document; ``line_starts`` are the
    document model's (``doc.line_starts``)."""
    ss = _sentence_start(doc, pos)
    return _own_sentence_commits(lx, doc, ss, pos, ref_year) or _sentence_before_commits(lx, doc, ss) \
        or _list_lead_commits(lx, doc.text, pos, ref_year, doc.line_starts)


def _own_sentence_commits(lx: Lexicon, doc: Any, ss: int, pos: int, ref_year: int | None) -> str | None:
    """A lead word or an opening verb before the number in its sentence, or a deadline in it (before
    the number, or after it: "… xuống còn 22/1.000 ca … vào năm 2010") unless the sentence tells the past."""
    text = doc.text
    own = text[ss:pos]
    m = _lead_in(lx, own)
    if m:
        return f"lead '{m[0]}'"
    m = lx.imperative_open.match(own)
    if m:
        return f"sentence opens with '{m[0].strip()}'"  # "Giảm tỷ suất … xuống còn 600/100.000", "Hằng năm giảm 5-10%"
    if lx.past.search(own[-300:], timeout=TIMEOUT):
        return None
    rest = text[pos:doc.sentence_bounds(pos, ahead=300, mark=False)[1]]
    d = _deadline_in(lx, own, ref_year) or _deadline_in(lx, rest, ref_year)
    return f"deadline '{d[0]}'" if d else None


def _sentence_before_commits(lx: Lexicon, doc: Any, ss: int) -> str | None:
    """A lead word one sentence back, on the same line; a sentence that opens with a quantity
    ("5.000.000 ngôi nhà …; 300 xã …") continues the targets of the sentence before, also across a
    paragraph break; a lead sentence that states its own quantities does not reach a sentence of facts."""
    text = doc.text
    opens_with_quantity = bool(lx.quantity_open.match(text, ss))
    back = ss
    for _ in range(lx.raw.get("lead_sentences_back", 1)):
        b = back
        while b > 0 and back - b < 8 and text[b - 1].isspace():
            b -= 1
        gap = text[b:back]
        if b <= 0 or ("\n" in gap and not opens_with_quantity) or gap.count("\n") > 2:
            return None
        prev = _sentence_start(doc, b - 1)
        if _QUANTITY.search(text, prev, b) and not opens_with_quantity:
            return None
        m = _lead_in(lx, text[prev:b])
        if m:
            return f"lead '{m[0]}' in a sentence before"
        back = prev
    return None


def _list_lead_commits(lx: Lexicon, text: str, pos: int, ref_year: int | None, line_starts: list[int]) -> str | None:
    """The lead line of the number's list: walk up over list items to a line ending with ":" that holds
    a lead word or a deadline (line starts by bisection, line ends read over at most 300 characters: no
    scan of a long line)."""
    li = bisect_right(line_starts, pos) - 1
    steps = 0
    while li > 0 and steps < 40:
        ls, ps = line_starts[li], line_starts[li - 1]
        seg = text[max(ps, ls - 301):ls - 1]
        if seg.rstrip().endswith(":"):
            m = _lead_in(lx, seg) or _deadline_in(lx, seg, ref_year)
            return f"lead line of the list '{' '.join(seg.split())[-80:]}'" if m else None
        if not lx.list_item.match(text, ps) and not lx.list_item.match(text, ls):
            return None
        li, steps = li - 1, steps + 1
    return None


def _comparator(lx: Lexicon, before: str, after: str, c: _Cand, may_change: bool = True,
                may_marker: bool = True) -> tuple[str, int | None, int | None]:
    """(comparator, cue offset in ``before`` or None, baseline year). ``may_change``, ``may_marker``:
    False when the pre-checks (``_may``) rule out a change word in the window and "so với" after it."""
    window = before[-60:]
    off = len(before) - len(window)
    chg = None
    marker = may_marker and lx.change_marker.search(after[:80])
    for m in lx.change.finditer(window) if may_change else ():
        gap = len(_WORD.findall(window[m.end():]))
        if gap <= 4 or marker and gap <= lx.raw["change"].get("gap_with_marker", 8):
            chg = m  # "tăng 20% …", "Giảm tỷ lệ hộ nghèo từ 5% trở lên so với năm 2014"
    if chg is not None:
        comp = lx.change_of[" ".join(chg[0].lower().split())]
        by = lx.baseline_year.search(after, timeout=TIMEOUT)
        between = [w.lower() for w in _WORD.findall(window[chg.end():])]
        direct = all(w in lx.change_fillers for w in between)  # "tăng 20%", "giảm bình quân 1,5%"
        if marker or direct or len(chg[0].split()) > 1 and "thêm" in chg[0].lower():  # "tăng thêm … 20%"; a bare "thêm" only directly
            return comp, off + chg.start(), (int(by[1]) if by and marker else None)
    best = None
    for m in lx.cues.finditer(window):
        if _OTHER_NUMBER.search(window, m.end()):
            continue  # "trên 90%, trong đó 50%": a cue before another number is that number's (not a year's)
        if not _WORDS_AT_LEAST[4].match(window, m.end()) and (best is None or m.end() > best.end() or
                         (m.end() == best.end() and m.start() < best.start())):
            best = m
    comp, cue_at = None, None
    if best is not None:
        comp = lx.cue_of[" ".join(best[0].lower().split())]
        cue_at = off + best.start()
    for pat, acomp in lx.after_cues:
        if pat.match(after):
            comp = acomp
    if comp is None:
        comp = "at_least" if c.kind == "pct" else "equal"
    if comp == "at_least" and lx.raw.get("full_value_is_equal") and c.kind == "pct" and c.value == 100:
        comp = "equal"
    return comp, cue_at, None


_YEAR = regex.compile(r"(?:19|20)\d\d")
_OTHER_NUMBER = regex.compile(r"(?<![\d.,])(?!(?:19|20)\d\d(?!\d))\d")  # a number that is not a year
_WINDOW = 400  # characters around a number that decide about it
_TAIL = 200  # the end of a number's clause that its word-level decisions read (a label, the last words)
_NO_CUE = ("percentage outside target sections without a strong cue", "no target cue outside target sections")


def _is_target(ctx: _Ctx, r: _Read) -> str | None:
    """None when the candidate is a target, else the reason it is not. ``r.listed``: the previous
    number of the clause was a target ("đạt 90% vào năm 2025 và 95% vào năm 2030")."""
    lx, c, zone, cue_at, listed = ctx.lx, r.c, r.zone, r.cue, r.listed
    clause_before = ctx.text[max(r.ws, c.start - _TAIL):c.start]  # the decisions below read its end only
    if zone == "excluded":
        return "results/budget section"
    if _may(ctx, "label_before", c.start - len(clause_before[-25:]), c.start) \
            and lx.label_before.search(clause_before[-25:], timeout=TIMEOUT):
        return "label"
    if lx.slogan_open.search(clause_before[-4:]) and lx.slogan_close.match(ctx.text, c.num_end, c.num_end + 40):
        return "a slogan's name"  # "đảm bảo “3 cứng”", "phương châm “4 tại chỗ”"
    last = _last_words(clause_before, 1)
    if last and last[0] in lx.scope_before and not (listed and last[0] == "và") \
            and not (zone == "target" and c.kind == "pct" and last[0] in lx.place_scope):
        return "scope"  # "tại 04 mô hình"; in a target section "cho người học tại 100% nhà trường" commits
    if _may(ctx, "baseline_from", c.start - len(clause_before[-10:]), c.start) \
            and lx.baseline_from.search(clause_before[-10:]) and lx.baseline_to.search(ctx.text[c.start:r.we],
                                                                             timeout=TIMEOUT):
        return "baseline"
    if _may(ctx, "condition", r.ws, r.we) and lx.condition.search(ctx.text[r.ws:r.we], timeout=TIMEOUT):
        return "condition"
    if _past_marker(ctx, r):
        return "past"
    forecast = _may(ctx, "forecast", r.ws, c.start) and lx.forecast.search(ctx.text[r.ws:c.start], timeout=TIMEOUT)
    if forecast:
        return f"forecast: '{forecast.group(0)}' before it (a likelihood, not a commitment)"
    if c.in_words and c.value == 1 and cue_at is None:
        return "'một' without a cue is an article"
    if zone == "target" or listed:
        return None
    # outside target sections: a strong cue or a task verb right before the number
    words = _last_words(clause_before, lx.raw["strong_cue_window"])
    tail = " ".join(words)
    if lx.strong.search(tail):
        return None
    if c.kind != "count":
        return "percentage outside target sections without a strong cue"
    kept = [w for w in words if w not in lx.skip_words]
    tail2 = " ".join(kept[-(lx.raw["task_verb_window"] + 1):])
    m = None
    for m in lx.task.finditer(tail2):
        pass
    if m is not None and len(_WORD.findall(tail2[m.end():])) <= lx.raw["task_verb_window"] - 1:
        return None
    return "no target cue outside target sections"


def _past_marker(ctx: _Ctx, r: _Read) -> bool:
    """A past or present fact marker before the number in its clause window ("năm 2020 đã đạt 45%"), other
    than a relative "đã" ("các xã đã đạt chuẩn") with a comma between it and the number."""
    lx, text, c = ctx.lx, ctx.text, r.c
    if not _may(ctx, "past", r.ws, c.start):
        return False  # none of its words in the window
    for m in lx.past.finditer(text, r.ws, c.start, timeout=TIMEOUT):
        if m[0].lower() in lx.raw["relative_past_words"] and "," in text[m.end():c.start] \
                and lx.relative_past.search(text[max(r.ws, m.start() - 60):m.start()], timeout=TIMEOUT):
            continue
        return True
    return False


_PHASE_WORDS = {"1": 1, "i": 1, "một": 1, "2": 2, "ii": 2, "hai": 2, "3": 3, "iii": 3, "ba": 3}


def _phase_index(word: str) -> int:
    return _PHASE_WORDS.get(word.lower(), 0)


def _programme_phase(prog, index: int) -> tuple[int, int] | None:
    phases = list(getattr(prog, "phases", None) or []) if prog is not None else []
    if 1 <= index <= len(phases):
        a, b = phases[index - 1]
        return int(a), int(b)
    return None


def _reference_year(lx: Lexicon, text: str, meta: DocumentMeta, plan_mode: bool) -> int | None:
    """The document's year: its issue date, else (outside plans) the first full date near the top
    (a news dateline "12:29 26/12/2021", or the date of the plan it reports), else the latest year
    the text states a past fact about ("năm 2013 đã tăng": a text is not older than its facts)."""
    issued = meta.issued_date or ""
    if issued[:4].isdigit():
        return int(issued[:4])
    if plan_mode:
        return None
    m = lx.date.search(text, 0, lx.raw.get("dateline_chars", 600))
    if m:
        return int(m[1])  # date_re: one year group (a branch reset)
    facts = [int(f[1]) for f in lx.fact_year.finditer(text, timeout=TIMEOUT)]
    return max(facts) if facts else None


def rejected(doc: Any) -> list[tuple[int, int, str]]:
    """(start, end, why) of every number this module looked at and left (for ``chitieu explain``)."""
    out: list[tuple[int, int, str]] = []
    for _ in extract(doc, out):
        pass
    return out


@table("targets", Target)
def extract(doc: Any, rejected: list[tuple[int, int, str]] | None = None) -> Iterator[Target]:
    """Target rows of ``doc``; with ``rejected``, each number left out is added to it with why.

    Each candidate number goes through the steps below, in text order: read it in its clause
    (``_read``), decide whether it commits (``_why_not``), settle its period (``_period``), name what
    it measures (``_indicator``) and quote it (``_quote``). Then the targets of the tables, less those
    restating a target of the running text (``_table_targets``)."""
    lx = lexicon()
    kind = doc.meta.kind
    if kind in lx.raw["no_target_kinds"]:
        if rejected is not None:
            rejected.append((0, len(doc.text), f"a {kind} text commits to nothing ({doc.meta.kind_cue or 'kind'})"))
        return  # a legal rule or an encyclopedic text commits to nothing
    ctx = _context(doc, lx)
    prose: list[Target] = []  # the targets read from running text
    for k, c in enumerate(ctx.cands):
        got = _target(ctx, k, c)
        if isinstance(got, str):
            if rejected is not None:
                rejected.append((c.start, c.end, got))
            continue
        prose.append(got)
    _successive_deadlines(ctx, prose)
    yield from merge_tables(doc, lx, ctx.plan, ctx.prog, prose)


def _target(ctx: _Ctx, k: int, c: _Cand) -> Target | str:
    """The target candidate ``k`` is, or why it is none."""
    if c.value != c.value:
        return "not a number"
    # a value too large to store exactly (a runaway digit string) is still read: the store
    # refuses it with an errors row naming the file and the number (pipeline/store.check_row)
    r = _read(ctx, k, c)
    why = _why_not(ctx, r)
    if why:
        return why
    if c.kind == "open" and "/" not in r.unit and not c.elided:
        r.unit = _open_unit(ctx.text[c.num_end:c.num_end + 40]) or r.unit  # "60 quốc gia", "10 tiêu chí"
    seg = _segment(ctx, r)
    got = _period(ctx, r, seg)
    if isinstance(got, str):
        return got
    period, notes, end_only = got
    t = _row(ctx, r, seg, period, notes)
    if end_only:
        ctx.end_only.add(id(t))
    carried = r.cue is not None or r.listed and ctx.prev[2] == r.comp
    ctx.prev = (r.cs, c.end, r.comp if carried else None)
    return t


# ---- one candidate in its clause ---------------------------------------------------------------
_CHANGES = ("increase_by", "decrease_by")


@dataclass
class _Read:
    """One candidate number read in its clause: where it stands and what the words around it say."""
    k: int  # its index among the candidates
    c: _Cand
    cs: int  # its clause …
    ce: int
    ws: int  # … and the bounded window of it that decides (the cost of a candidate does not grow
    we: int  # with its clause or line)
    ls: int  # start of its line
    line_lead: str  # the words of its line before a ":" ("Mục tiêu cụ thể đến năm 2025:")
    zone: str = ""  # "target", "excluded" or "" (``_zone``)
    comp: str = "equal"
    cue: int | None = None  # offset of the comparator cue before it ("đạt", "trên")
    baseline: int | None = None  # "so với năm 2020"
    unit: str = ""
    listed: bool = False  # it continues a list after a target of its clause
    commit: str | None = None  # why its clause commits (a lead word, a deadline)
    heads: list = field(default_factory=list)  # the headings above it, innermost first (``_headings``)


def _read(ctx: _Ctx, k: int, c: _Cand) -> _Read:
    text = ctx.text
    cs, ce = _clause(ctx, c.start, c.end)
    cs = min(cs, c.start)  # the number itself starts a clause boundary (rare)
    ls, _le = ctx.doc.line_at(c.start)
    ci = bisect_left(ctx.colons, ls)
    colon = ctx.colons[ci] if ci < len(ctx.colons) and ctx.colons[ci] < c.start else -1
    lead = text[ls:colon + 1] if colon != -1 and colon - ls <= _WINDOW else ""
    r = _Read(k, c, cs, ce, max(cs, c.start - _WINDOW), min(ce, c.end + _WINDOW), ls, lead, unit=c.unit,
              heads=_headings(ctx, c.start))
    r.zone = _zone(ctx.lx, ctx, c, lead, r.heads)
    _read_comparator(ctx, r)
    return r


def _read_comparator(ctx: _Ctx, r: _Read) -> None:
    """The comparator and the unit's "mỗi năm"; a list after a target keeps its comparator
    ("xuống dưới 10% (nội thành), 5% (ngoại thành)"), a change only over "và" ("giảm 2% tổng số hộ
    nghèo và 3% số hộ nghèo dân tộc thiểu số"; after a comma a bare level is a new target)."""
    lx, text, c = ctx.lx, ctx.text, r.c
    before = text[r.ws:c.start]
    r.comp, cue_at, r.baseline = _comparator(lx, before, text[c.end:r.we], c,
                                             _may(ctx, "change", max(r.ws, c.start - 60), c.start),
                                             _may(ctx, "change_marker", c.end, min(r.we, c.end + 80)))
    r.cue = r.ws + cue_at if cue_at is not None else None
    if _rank_before(lx, before[-12:]):
        r.comp = "at_most"  # "nằm trong top 03", "thuộc nhóm 60 nước đứng đầu": at most that rank
    if c.kind == "count" and "/" not in r.unit:
        each = lx.each.search(before[-40:], timeout=TIMEOUT)
        if each:
            r.unit = f"{r.unit}/{' '.join(each['p'].lower().split())}"
    p_cs, p_end, p_comp = ctx.prev
    r.listed = p_cs == r.cs and p_end <= c.start and bool(lx.list_gap.match(text, p_end, c.start))
    if r.listed and r.cue is None and p_comp in _CHANGES and r.comp in ("at_least", "equal") \
            and lx.change_joined.match(text, p_end, c.start):
        r.comp = p_comp  # "giảm 10% số trẻ em tử vong năm 2025 và 20% vào năm 2030": the same change
    elif r.listed and r.cue is None and p_comp is not None and p_comp not in _CHANGES and r.comp in ("at_least", "equal") \
            and not lx.subset_gap.match(text, p_end, c.start):  # "trên 90%, trong đó 50% …": a subset, its own level
        r.comp = p_comp
        if r.comp == "more_than" and c.kind == "pct" and c.value >= 100:
            r.comp = "at_least"  # "Trên 80% số trạm y tế … và 100% cơ sở": nothing is more than all
        if r.comp == "at_least" and lx.raw.get("full_value_is_equal") and c.kind == "pct" and c.value == 100:
            r.comp = "equal"


def _why_not(ctx: _Ctx, r: _Read) -> str | None:
    """None when the candidate commits (``r.commit`` says why, when a lead or deadline does), else why not."""
    lx, text, c = ctx.lx, ctx.text, r.c
    nxt = ctx.cands[r.k + 1] if r.k + 1 < len(ctx.cands) else None
    if c.kind != "pct" and nxt is not None and nxt.kind == "pct" and nxt.start < r.ce \
            and lx.qualifies.match(text, c.end, nxt.start):
        return "a count that describes the measure of the target after it"  # "ít nhất 01 lần/năm đạt 70%"
    before = text[r.ws:c.start]
    if r.cue is None and before.rstrip().endswith("(") and text[c.end:r.we].lstrip().startswith(")"):
        return "a count in brackets of what a heading holds"  # "Mục tiêu 1: … (07 chỉ tiêu)"
    if c.kind != "pct" and lx.restates_pct.search(text, max(0, c.start - 100), c.start, timeout=TIMEOUT):
        return "a count in brackets restating the percentage before it"  # "đạt 50% (8 xã)"
    if c.kind != "pct" and c.value == 1 and c.value_max is None \
            and lx.per_one_before.search(text, max(0, c.start - 12), c.start, timeout=TIMEOUT):
        return "one unit after 'trên': the denominator of a value"  # "trên một ha đất trồng trọt"
    why = _describes(ctx, r, nxt)
    if why:
        return why
    why = _is_target(ctx, r)
    if why in _NO_CUE and r.zone == "":
        # "Phấn đấu …; tỷ lệ … đạt 90%; 70% …": the sentence's lead cue; "Mục tiêu … là …; tỷ lệ … đạt 30%
        # vào năm 2025": a lead one sentence back
        r.commit = "lead at the start of the sentence" if _lead_cued(lx, text, c.start, ctx.doc_year) \
            else _commitment(lx, ctx.doc, c.start, ctx.doc_year)
        if r.commit:
            why = None
    if why:
        return why
    near = (max(r.ws, c.start - 80), min(r.we, c.end + 40))
    rule = _may(ctx, "rule", *near) and lx.rule.search(text, *near, timeout=TIMEOUT)
    if rule:
        return f"rule: '{rule.group(0)}' near it (a fine, a multiplier, a processing time, a threshold)"
    rule = r.zone != "target" and _may(ctx, "eligibility", *near) and lx.eligibility.search(text, *near, timeout=TIMEOUT)
    if rule:
        return f"rule: eligibility '{rule.group(0)}' outside a target section"
    if r.zone != "target" and not r.listed and r.commit is None and (not ctx.plan_mode or c.kind == "open"):
        # outside plans (and for an open-class count noun everywhere) the clause must commit
        r.commit = _commitment(lx, ctx.doc, c.start, ctx.doc_year)
        if r.commit is None:
            return "no commitment: no lead word (phấn đấu, mục tiêu …), target section or deadline ahead"
    return None


def _describes(ctx: _Ctx, r: _Read, nxt: _Cand | None) -> str | None:
    """Why a count is part of the words of a target or of the text rather than a target itself, or None:
    it names the population of the percentage before it ("80% người cao tuổi được khám ít nhất 1
    lần/năm"), it defines in brackets the measure of the percentage after it ("(dưới 2.500 gram) dưới
    5%"), or it counts the text's own parts ("xác định 06 nội dung trọng tâm")."""
    lx, text, c = ctx.lx, ctx.text, r.c
    if c.kind == "ratio" and _tally(ctx, r):
        return "a tally of the text's own parts ('3/10 chỉ tiêu kinh tế'), not a target"
    if c.kind == "pct" or c.kind == "ratio":
        return None
    p_cs, p_end, _ = ctx.prev
    prev = ctx.cands[r.k - 1] if r.k > 0 else None
    if prev is not None and prev.kind == "pct" and p_cs == r.cs and p_end == prev.end \
            and lx.describes_gap.match(text[prev.end:c.start]):
        return "a count in the words naming the population of the percentage before it"
    if nxt is not None and nxt.kind == "pct" and nxt.start < r.ce and lx.bracket_open.search(text, r.ws, c.start) \
            and text[c.end:nxt.start].lstrip().startswith(")"):
        return "a count in brackets that defines the measure of the percentage after it"
    if "/" not in r.unit and _tally(ctx, r):
        return "a count of the text's own parts (chỉ tiêu, nội dung, nhiệm vụ …), not a target"
    return None


def _tally(ctx: _Ctx, r: _Read) -> bool:
    """A ratio of structure nouns ("7/10 chỉ tiêu kinh tế tăng trưởng cao hơn kế hoạch; 3/10 chỉ tiêu … dự kiến
    đạt thấp hơn") counts how many of a text's indicators or tasks fare so, unless a strong cue makes it one
    ("tối thiểu 8/10 chỉ tiêu")."""
    lx, text, c = ctx.lx, ctx.text, r.c
    return bool(lx.structure.match(text[c.num_end:c.num_end + 40])) \
        and not lx.strong.search(" ".join(_last_words(text[r.ws:c.start], lx.raw["strong_cue_window"])))


def _reason(ctx: _Ctx, r: _Read) -> str:
    """The rule that accepted the target, for ``targets.reason``."""
    if r.zone == "target":
        return "target section" + (f" (lead '{' '.join(r.line_lead.split())[:60]}')" if r.line_lead else "")
    if r.listed:
        return "list continuation after a target"
    if r.commit:
        return r.commit
    if r.cue is not None:
        return f"cue '{' '.join(ctx.text[r.cue:r.c.start].split())[:40]}'"
    return "task verb before a count"


def _segment(ctx: _Ctx, r: _Read) -> tuple[int, int]:
    """The part of the clause window that belongs to this number: up to its neighbours."""
    k, c, cands = r.k, r.c, ctx.cands
    seg_s = max(r.cs, cands[k - 1].end) if k > 0 and cands[k - 1].end <= c.start else r.cs
    seg_e = min(r.ce, cands[k + 1].start) if k + 1 < len(cands) and cands[k + 1].start >= c.end else r.ce
    return max(seg_s, r.ws), min(seg_e, r.we)


# ---- period ------------------------------------------------------------------------------------
def _period(ctx: _Ctx, r: _Read, seg: tuple[int, int]) -> tuple[tuple, list[str], bool] | str:
    """(period, notes, whether an end year alone gave it): its own words, else the lead of its line,
    else a phase line or heading above, else the plan; or why it is a past fact ("Năm 2020, tỷ lệ …
    đạt 45%" in a 2021-2025 plan)."""
    base, source, phase_end_only = _base_period(ctx, r)
    inline = _own_period(ctx, r, seg)
    if inline and inline[0] is None and ctx.past_ref is not None and inline[1] < ctx.past_ref \
            and r.comp not in _CHANGES:
        return f"past fact: its year {inline[1]} is before {ctx.past_ref}"
    if base[0] is None and ctx.doc_year is not None and inline:
        base = (ctx.doc_year, base[1])  # a plan without a stated start starts in the year it is issued
    end_only = inline is None and phase_end_only
    period = _resolve(base, inline)
    if period == (None, None):
        return period, ["no period found"], False
    if source == "plan" and inline is None:
        return period, ["period of the plan"], False
    return period, [], end_only


def _successive_deadlines(ctx: _Ctx, rows: list[Target]) -> None:
    """Phases named by an end year alone partition the plan: under "- Đến năm 2030:" (a phase line or
    heading) in a text that also sets targets due in 2025, a target is the 2026-2030 step
    ("- Đến năm 2025: …; - Đến năm 2030: …"), as under "Từ năm 2026 đến năm 2030". A year in the
    target's own words ("95% vào năm 2030") is a deadline, not a phase, and keeps the start of its
    phase or plan. The earlier deadline must end a phase of more than one year, lie in the target's
    period and a phase away (``phase_min_years``), so yearly steps ("Năm 2022: …", "Mục tiêu năm
    2016" before "Mục tiêu đến năm 2020") stay in their phase."""
    gap = ctx.lx.raw["phase_min_years"]
    ends = sorted({t.period_end for t in rows if t.period_end is not None and t.period_start is not None
                   and t.period_start < t.period_end})  # the ends of phases, not of one-year steps
    for t in rows:
        if id(t) not in ctx.end_only or t.period_end is None:
            continue
        start = t.period_start if t.period_start is not None else t.period_end
        earlier = [e for e in ends if start <= e <= t.period_end - gap]
        if earlier:
            t.period_start = earlier[-1] + 1


def _base_period(ctx: _Ctx, r: _Read) -> tuple[tuple, str, bool]:
    """The period above the number: the nearest heading naming one, then a phase line without a
    heading marker ("Giai đoạn 2021 - 2025:", "- Đến năm 2025:") under it, then its line's lead; and
    whether the nearest of them named an end year alone. A plan without a stated start starts in the
    year it is issued."""
    lx = ctx.lx
    heads = r.heads
    plan = ctx.plan if ctx.plan[0] is not None or ctx.doc_year is None else (ctx.doc_year, ctx.plan[1])
    key = heads[0].start if heads else -1
    if key not in ctx.head_period:
        found = next((f for f in (_period_in(lx, _heading_text(ctx, s)) for s in heads) if f), None)
        ctx.head_period[key] = (_resolve(plan, found), "heading", found[0] is None) if found \
            else (ctx.plan, "plan", False)
    base, source, end_only = ctx.head_period[key]
    region = heads[0].title_end if heads else 0
    li = bisect_right(ctx.lead_line_ends, r.ls) - 1
    phase_line = ctx.lead_lines[li] if li >= 0 and ctx.lead_lines[li].start() >= region else None
    if phase_line is not None and "%" not in phase_line[0]:
        found = _period_in(lx, phase_line[0])
        if found:
            base, source, end_only = _resolve(base if base[0] is not None else plan, found), "phase line", found[0] is None
    if r.line_lead:
        found = _period_in(lx, r.line_lead)
        if found:
            base, source, end_only = _resolve(base if base[0] is not None else plan, found), "line lead", found[0] is None
    return base, source, end_only


def _own_period(ctx: _Ctx, r: _Read, seg: tuple[int, int]):
    """The period the number's own words give (``_inline_period``), "trong năm nay", "giai đoạn 2";
    else the year stated earlier in its sentence on the same line ("Đến năm 2025 có 95% …; 100% …")."""
    lx, text, c = ctx.lx, ctx.text, r.c
    seg_s, seg_e = seg
    inline = _inline_period(lx, text, r.ws, r.we, seg_s, seg_e, c)
    if inline is None and ctx.doc_year is not None and lx.this_year.search(text, seg_s, seg_e, timeout=TIMEOUT):
        inline = (ctx.doc_year, ctx.doc_year)  # "trong năm nay": the year of the document
    if inline is None:
        ph = _may(ctx, "phase_no", max(r.ws, c.start - 120), seg_e) \
            and lx.phase_no.search(text, max(r.ws, c.start - 120), seg_e, timeout=TIMEOUT)
        if ph:  # "ở giai đoạn 2": the document's own phase 2, else the programme's
            inline = ctx.phases.get(_phase_index(ph[1])) or _programme_phase(ctx.prog, _phase_index(ph[1]))
    lp = ctx.line_period
    if inline is None and lp[0] == r.ls and ctx.doc.sentence_at(c.start)[0] < lp[2]:  # same sentence
        inline = lp[1]
    elif inline is not None:
        ctx.line_period = (r.ls, inline, c.end)
    if inline is None:
        inline = _sentence_deadline(ctx, c.start)
    return inline


def _sentence_deadline(ctx: _Ctx, pos: int) -> tuple[None, int] | None:
    """The deadline that opens the number's sentence before its clause ("Theo đó, đến năm 2025, tất cả
    …; 70% được nghe, xem …"): the document model's sentence, read over at most 400 characters."""
    s0, _ = ctx.doc.sentence_at(pos)
    if s0 > 1 and ctx.lx.continues_sentence.match(ctx.text[s0:s0 + 30]):
        s0 = ctx.doc.sentence_at(s0 - 2)[0]  # "Trong đó, …": the sentence before states its deadline
    found = None
    if not _has_year(ctx.text, max(s0, pos - 400), pos):
        return None
    for m in ctx.lx.deadline.finditer(ctx.text, max(s0, pos - 400), pos, timeout=TIMEOUT):
        found = m
    if found is None or (ctx.doc_year is not None and int(found[1]) < ctx.doc_year):
        return None
    return None, int(found[1])


# ---- what is measured, evidence, the row -------------------------------------------------------
def _indicator(ctx: _Ctx, r: _Read, seg: tuple[int, int]) -> tuple[Any, str]:
    """(programme indicator match, indicator text): the clause between the neighbouring targets;
    "Tỷ lệ trẻ em được tiêm chủng: 95%" names the measure before the colon."""
    lx, text, c, cs = ctx.lx, ctx.text, r.c, r.cs
    seg_s, seg_e = seg
    upto = r.cue if r.cue is not None else c.start
    phrase_after = text[c.end:seg_e]
    cut = _may(ctx, "phrase_cut", c.end, seg_e) and lx.phrase_cut.search(phrase_after)
    if cut:
        phrase_after = phrase_after[:cut.start()]
    phrase_before = text[seg_s:upto]
    colon = cs
    while colon > 0 and text[colon - 1] in " \t":
        colon -= 1
    if seg_s == cs and colon > 0 and text[colon - 1] == ":" and not _WORDS_AT_LEAST[2].match(phrase_before):
        ps, _ = _clause(ctx, colon - 1, colon - 1)
        if ps < colon - 1 and not lx.label_only.fullmatch(text[ps:colon - 1]):
            seg_s = ps
            phrase_before = text[ps:upto]
    head = phrase_after if _WORDS_AT_LEAST[3].match(phrase_after) else phrase_before
    ind_text, _, _ = span(ctx.doc, seg_s, seg_e)
    short = " ".join(ind_text[:600].split())  # a prefix of the whole text's words, spaces collapsed
    unit = "%" if c.kind == "pct" and c.unit != "‰" else c.unit
    match = programmes.score_indicator(ctx.prog, f"{phrase_before} {text[c.start:c.end]} {phrase_after}",
                                       head=head, unit=unit, comparator=r.comp)
    return match, (short if len(short) >= 300 or len(ind_text) <= 600 else " ".join(ind_text.split()))[:300]


def _quote(ctx: _Ctx, r: _Read, seg_e: int) -> tuple[str, int, int]:
    """The evidence: from the cue to a few words after the unit (to the base year for changes)."""
    text, c = ctx.text, r.c
    q_start = r.cue if r.cue is not None else c.start
    q_end = c.end
    if r.baseline is not None:
        by = ctx.lx.baseline_year.search(text[c.end:r.we], timeout=TIMEOUT)
        if by:
            q_end = c.end + by.end()
    else:
        n_after = ctx.lx.raw.get("quote_words_after", 4)
        for i, w in enumerate(_WORD.finditer(text, c.end, seg_e)):
            if i >= n_after or not text[q_end:w.start()].isspace():
                break
            q_end = w.end()
    return span(ctx.doc, q_start, q_end)


def _row(ctx: _Ctx, r: _Read, seg: tuple[int, int], period: tuple, notes: list[str]) -> Target:
    c = r.c
    match, ind_text = _indicator(ctx, r, seg)
    if match.indicator == "other" and match.best:
        notes.append(match.note)
    quote, qs, qe = _quote(ctx, r, seg[1])
    conf = 0.9 if r.zone == "target" else 0.7
    if r.cue is None and r.zone != "target":
        conf -= 0.1
    if "period of the plan" in notes or "no period found" in notes:
        conf -= 0.1
    return Target(
        indicator=match.indicator, indicator_text=ind_text,
        value=c.value, value_max=c.value_max, unit=r.unit, comparator=r.comp, baseline_year=r.baseline,
        period_start=period[0], period_end=period[1], section=ctx.doc.section_label(c.start),
        quote=quote, char_start=qs, char_end=qe, confidence=round(conf, 2),
        notes="; ".join(notes) or None, reason=_reason(ctx, r),
    )
