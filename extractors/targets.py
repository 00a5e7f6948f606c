"""Targets: every quantified commitment of a plan, with its period and programme indicator.

A target is a number with a unit (``%``, a count noun such as ``người``/``cơ sở``, or a ratio
``4/100.000 …``) that a plan commits to. Numbers are found with ``extractors.numbers``
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

from bisect import bisect_left, bisect_right
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, Iterator

import regex

from chitieu.extractors._data import corpus_data
from chitieu.extractors import table
from chitieu.extractors._evidence import span
from chitieu.extractors._table_targets import table_targets
from chitieu.pipeline.structure import MATCH_TIMEOUT, DocumentMeta
from chitieu.extractors.numbers import find_numbers, parse_digits, parse_number
from chitieu.extractors import programmes

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
    baseline_from: regex.Pattern
    baseline_to: regex.Pattern
    phase_range: regex.Pattern
    year: regex.Pattern
    baseline_year: regex.Pattern
    clause_end: regex.Pattern
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


@lru_cache(maxsize=1)
def lexicon() -> Lexicon:
    raw = corpus_data("lexicons/targets.yaml")
    cue_of = {}
    for comp, words in raw["comparators"].items():
        for w in words:
            cue_of[" ".join(w.lower().split())] = comp
    change_of = {}
    for comp in ("increase_by", "decrease_by"):
        for w in raw["change"][comp]:
            change_of[" ".join(w.lower().split())] = comp
    unit_of = {}
    for unit, nouns in raw["units"].items():
        for n in nouns:
            unit_of[" ".join(n.lower().split())] = unit
    for n in raw.get("count_nouns", []):
        unit_of.setdefault(" ".join(n.lower().split()), " ".join(n.lower().split()))
    after_cues = [(regex.compile(rf"^\s*(?:{_alt(ws)})(?!\p{{L}})", regex.I), comp)
                  for comp, ws in raw.get("comparators_after", {}).items()]
    percent_alt = "|".join(regex.escape(p) if p == "%" else _alt([p]) for p in raw["percent_words"])
    c = lambda k: regex.compile(raw[k], regex.I)  # noqa: E731
    return Lexicon(
        raw=raw,
        cues=_word_re(cue_of), cue_of=cue_of, after_cues=after_cues,
        change=_word_re(change_of), change_of=change_of,
        change_marker=_word_re([raw["change"]["marker"]]),
        change_fillers={w.lower() for f in raw["change"].get("fillers", []) for w in f.split()},
        percent=regex.compile(rf"^\s*(?:{percent_alt})(?!\p{{L}})", regex.I),
        unit=regex.compile(rf"^\s*(?P<u>{_alt(unit_of)})(?![\p{{L}}\d])", regex.I), unit_of=unit_of,
        per=regex.compile(rf"^\s*/\s*(?P<p>{_alt(raw['per_words'])})(?![\p{{L}}\d])", regex.I),
        each=regex.compile(rf"(?<!\p{{L}})mỗi\s+(?P<p>{_alt(raw['per_words'])})(?![\p{{L}}\d])", regex.I),
        unit_not_before=regex.compile(rf"^\s*(?:{_alt(raw['unit_not_before'])})(?![\p{{L}}\d])", regex.I),
        percent_not_before=regex.compile(rf"^\s*(?:{_alt(raw['percent_not_before'])})(?![\p{{L}}\d])", regex.I),
        money=regex.compile(rf"^\s*(?:{_alt(raw['money_words'])})(?![\p{{L}}\d])", regex.I),
        target_heading=c("target_heading_re"), non_target_heading=c("non_target_heading_re"),
        strong=_word_re(raw["strong_cues"]), task=_word_re(raw["task_verbs"]),
        skip_words={w.lower() for w in raw["skip_words"]},
        scope_before={w.lower() for w in raw["scope_before"]},
        label_before=c("label_before_re"), condition=c("condition_re"), past=c("past_re"),
        baseline_from=c("baseline_from_re"), baseline_to=c("baseline_to_re"),
        phase_range=c("phase_range_re"), year=c("year_re"), baseline_year=c("baseline_year_re"),
        clause_end=regex.compile(raw["clause_end_re"]),
        list_lead=c("list_lead_re"),
        part_heading=regex.compile(raw["part_heading_re"], regex.I | regex.M),
        part_past=c("part_past_re"),
        # "4/100.000 trẻ sinh ra còn sống", "109 bé trai/100 bé gái": a value per a power of ten
        ratio=regex.compile(r"(?<![\d.,/\p{L}])(\d+(?:,\d+)?)(?:\s+(?P<of>\p{L}+(?:\s+\p{L}+){0,2}))?\s*/\s*"
                            r"(1(?:00\.000|\.000(?:\.000)?|0{1,2}))(?![\d/]|[.,]\d)"
                            r"\s*(?P<noun>\p{L}+(?:\s+\p{L}+){0,3})?", regex.I),
        range_after=regex.compile(r"^\s*(?:%\s*)?(?:đến|tới|-)\s*(?P<n>\d[\d.,]*|(?:một|hai|ba|bốn|năm|sáu|bảy|tám|chín|mười)(?!\p{L}))",
                                  regex.I),
        permille=regex.compile(rf"^\s*(?:{'|'.join(regex.escape(p) if len(p) == 1 else _alt([p]) for p in raw['permille_words'])})"
                               rf"(?!\p{{L}})", regex.I),
        scale=regex.compile(rf"^\s*(?P<s>{_alt(raw['scale_words'])})(?!\p{{L}})\s*", regex.I),
        scale_of={k.lower(): float(v) for k, v in raw["scale_words"].items()},
        leads=_word_re(raw["commit_leads"]), lead_not_after=c("lead_not_after_re"),
        deadline=c("deadline_re"), fact_year=c("fact_year_re"), this_year=c("this_year_re"), rule=c("rule_re"), eligibility=c("eligibility_re"),
        rank_before=c("rank_before_re"), reference_after=c("reference_after_re"),
        imperative_open=c("imperative_open_re"), phase_no=c("phase_no_re"), phase_def=c("phase_def_re"),
        open_unit=regex.compile(r"^\s*(?P<u>\p{Ll}+)(?:\s*/\s*(?P<p>\p{L}+(?:\s+\p{L}+)?))?(?!\p{L})"),
        open_not={w.lower() for w in raw["open_unit_not"]},
    )


# ---- document context --------------------------------------------------------------------------
@dataclass
class _Ctx:
    doc: Any
    text: str
    bounds_start: list[int]  # clause boundary starts
    bounds_end: list[int]  # clause boundary ends
    plan: tuple[int | None, int | None]
    heading_cache: dict
    parts: list | None = None  # (start, heading text) of "Phần thứ nhất …" lines
    part_starts: list | None = None


def _clause(ctx: _Ctx, start: int, end: int) -> tuple[int, int]:
    i = bisect_right(ctx.bounds_end, start) - 1
    cs = ctx.bounds_end[i] if i >= 0 else 0
    j = bisect_left(ctx.bounds_start, end)
    ce = ctx.bounds_start[j] if j < len(ctx.bounds_start) else len(ctx.text)
    return cs, ce


_LABEL_ONLY = regex.compile(r"\W*(?:(?:mục\s+tiêu|chỉ\s+tiêu)\s*\d*|\w{1,3}\s*\d*)\W*", regex.I)
# a phase line without a heading marker: a short line ending with ":" ("- Giai đoạn 2021 - 2025:"), or a
# short target lead naming a year and no quantity ("*. Mục tiêu đến năm 2020")
_LEAD_LINE = regex.compile(r"^[^\n]{0,120}:[ \t]*$|^[ \t]*[-+*•]?\.?[ \t]*(?:mục\s+tiêu|chỉ\s+tiêu)[^\n\d%]{0,30}"
                           r"năm\s+(?:19|20)\d\d[ \t:]*$", regex.M | regex.I)
_ENDS_SENTENCE = regex.compile(r"[.:;]\s*$")
_MARKER = regex.compile(r"\s*(?:[-+•*]\s|\d{1,2}[.)]\s|[a-zđ]\)\s)")
_FROM_END = regex.compile(r"(?<!\p{L})từ\s*$", regex.I)
_PHRASE_CUT = regex.compile(r"(?<!\p{L})(?:trong\s+đó|so\s+với)(?!\p{L})", regex.I)


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
    """A phase range or an end year in ``text`` (the one nearest ``near`` when given)."""
    m = lx.phase_range.search(text, timeout=TIMEOUT)
    if m:
        a, b = int(m[1]), int(m[2])
        if a <= b <= a + 30:
            return a, b
    years = list(lx.year.finditer(text, timeout=TIMEOUT))
    if not years:
        return None
    if near is None:
        m = years[0]
    else:
        m = min(years, key=lambda y: min(abs(y.start() - near), abs(y.end() - near)))
    return None, int(m[1])


_ATTACHED_YEAR = regex.compile(r"^\W{0,3}(?:\p{L}+\s+){0,2}?(?:vào|đến|tới|trong|từ|hết|cuối)\s", regex.I)


def _inline_period(lx: Lexicon, text: str, cs: int, ce: int, seg_s: int, seg_e: int, c: _Cand):
    """The period a target's own words give: a year attached after it ("đạt 30% vào năm 2025"),
    else the nearest one before it in its segment ("Năm 2025 đạt 60%"), else any in its
    segment, else any in its clause; a range ("giai đoạn 2021-2025") in the segment wins."""
    seg = text[seg_s:seg_e]
    m = lx.phase_range.search(seg, timeout=TIMEOUT)
    if m and int(m[1]) <= int(m[2]) <= int(m[1]) + 30:
        return int(m[1]), int(m[2])
    after = text[c.end:seg_e]
    for y in lx.year.finditer(after[:60], timeout=TIMEOUT):
        # "đạt 30% vào năm 2025", "30% năm 2025"; not "năm 2018 đạt 99%, năm 2019 đạt …"
        if _ATTACHED_YEAR.match(after[:y.start()] + y[0]) or (y.start() < 3 and "," not in after[:y.start()]):
            return None, int(y[1])
        break
    before = list(lx.year.finditer(text[seg_s:c.start], timeout=TIMEOUT))
    if before:
        return None, int(before[-1][1])
    later = lx.year.search(after, timeout=TIMEOUT)
    if later:
        return None, int(later[1])
    return _period_in(lx, text[cs:ce], near=c.start - cs)


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


def _unit_after(lx: Lexicon, text: str, pos: int) -> tuple[str, int, str] | None:
    """(unit, end, kind) of the unit right after a number ending at ``pos``."""
    after = text[pos:pos + 80]
    m = lx.permille.match(after)
    if m:
        return "‰", pos + m.end(), "pct"
    m = lx.percent.match(after)
    if m:
        if lx.percent_not_before.match(after[m.end():]):
            return None
        end = pos + m.end()
        p = lx.per.match(text[end:end + 30])
        if p and p['p'].lower() in ("năm", "quý", "tháng"):
            return f"%/{p['p'].lower()}", end + p.end(), "pct"
        return "%", end, "pct"
    if lx.money.match(after):
        return None
    m = lx.unit.match(after)
    if m and lx.unit_not_before.match(after[m.end():]):
        return None  # "cơ sở dữ liệu" is a database, and no open-class noun either
    if m:
        noun = " ".join(m["u"].lower().split())
        unit = lx.unit_of.get(noun, noun)
        end = pos + m.end()
        p = lx.per.match(text[end:end + 30])
        if p:
            unit = f"{unit}/{' '.join(p['p'].lower().split())}"
            end += p.end()
        return unit, end, "count"
    m = lx.open_unit.match(after)
    if m and m["u"].lower() not in lx.open_not:
        # an open-class count noun: a target only inside a clause that commits (see extract)
        unit = m["u"].lower() + (f"/{' '.join(m['p'].lower().split())}" if m["p"] else "")
        return unit, pos + m.end(), "open"
    return None


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
    out: list[_Cand] = []
    taken_s: list[int] = []  # ratio spans, in order
    taken_e: list[int] = []
    for m in lx.ratio.finditer(text, timeout=TIMEOUT):
        noun = (m["noun"] or "").strip()
        value = parse_number(m[1])
        if value is None:
            continue
        of = " ".join((m["of"] or "").split())
        if of and (of.lower().split()[0] in lx.open_not or lx.unit.match(" " + of)):
            continue  # "10 năm/100 …" is no ratio; "110 bé trai/100 bé gái" is read as a count of people
        words = []
        for w in noun.split()[:3]:
            if w.lower() in lx.raw["ratio_noun_stop"]:
                break  # "500/100.000 trẻ và 400/100.000 trẻ vào năm 2030": the noun ends before "và", "vào"
            words.append(w)
        noun = " ".join(words)
        unit = (of.lower() if of else "") + f"/{m[3]}" + (f" {noun}" if noun else "")
        end = m.start("noun") + len(noun) if noun else m.end(3)
        out.append(_Cand(m.start(1), m.end(3), end, value, None, unit, "ratio"))
        taken_s.append(m.start(1))
        taken_e.append(m.end(3))
    consumed_until = -1
    for n in find_numbers(text):
        i = bisect_right(taken_s, n.start) - 1
        if n.start < consumed_until or (i >= 0 and n.start < taken_e[i]):
            continue
        value, value_max, num_end = n.value, None, n.end
        r = lx.range_after.match(text[n.end:n.end + 40])
        before = text[max(0, n.start - 8):n.start].lower()
        unit_end = None
        if r and (_FROM_END.search(before) or r[0].strip().startswith("-")):
            v2 = parse_number(r["n"])
            if v2 is not None and v2 > value:
                u = _unit_after(lx, text, n.end + r.end())
                if u is None and "%" in r[0]:
                    u = ("%", n.end + r.end(), "pct")
                if u:
                    value_max = v2
                    unit, unit_end, kind = u
                    consumed_until = n.end + r.end()
        if unit_end is None:
            sc = _scaled(lx, text, n.end)
            if sc is not None:
                value, num_end = value * sc[0], sc[1]
            u = _unit_after(lx, text, num_end)
            if u is None or u[2] == "open":
                rank = lx.rank_before.search(text[max(0, n.start - 12):n.start])
                if rank:  # "vươn lên top 55 vào năm 2030": a rank needs no noun
                    u = (u[0] if u else rank[0].strip().lower(), u[1] if u else num_end, "open")
            if u is None:
                continue
            unit, unit_end, kind = u
            if kind != "pct" and lx.reference_after.match(text, unit_end, unit_end + 30):
                continue  # "hai chỉ tiêu trên", "03 nhiệm vụ này": a reference to what was said
        if kind == "open" and (_YEAR.fullmatch(n.text) or lx.label_before.search(text[max(0, n.start - 25):n.start])):
            continue  # a year or a label ("năm 2025 tăng", "2026 - 2030 duy trì", "Điều 4 thuộc") counts nothing
        out.append(_Cand(n.start, num_end, unit_end, value, value_max, unit, kind,
                         in_words=not n.text[:1].isdigit()))
    out.sort(key=lambda c: c.start)
    return out


# ---- decisions ---------------------------------------------------------------------------------
_WORD = regex.compile(r"[\p{L}\d]+")


def _last_words(s: str, k: int) -> list[str]:
    return [w.lower() for w in _WORD.findall(s)[-k:]] if k else []


def _zone(lx: Lexicon, ctx: _Ctx, c: _Cand, line_lead: str) -> str:
    """'target' (a section or paragraph about targets), 'excluded' (results, budget, …) or ''."""
    if lx.target_heading.search(line_lead[:60], timeout=TIMEOUT):
        return "target"
    for s in _headings(ctx, c.start):
        h = _heading_text(ctx, s)
        if lx.target_heading.search(h, timeout=TIMEOUT):
            return "target"
        if lx.non_target_heading.search(h, timeout=TIMEOUT):
            return "excluded"
    # "Phần thứ nhất / ĐÁNH GIÁ TÌNH HÌNH …": a part heading above the numbered sections
    if ctx.parts is None:
        ctx.parts = [(m.start(), m[0]) for m in lx.part_heading.finditer(ctx.text, timeout=TIMEOUT)]
        ctx.part_starts = [p[0] for p in ctx.parts]
    i = bisect_right(ctx.part_starts, c.start) - 1
    if i >= 0 and lx.part_past.search(ctx.parts[i][1], timeout=TIMEOUT):
        return "excluded"
    return ""


# a count followed by the level of a percentage: "ít nhất 01 lần/năm đạt 70%"
_QUALIFIES = regex.compile(r"\s*(?:\p{L}+\s+){0,2}?(?:đạt|là|chiếm)\s*(?:tỷ\s+lệ\s+)?$", regex.I)
# what may stand between two targets of one list: "… vào năm 2025 và 95% …", "10% (nội thành), 5% …"
_LIST_GAP = regex.compile(r"[^;:.\n]{0,250}?(?:,|(?<!\p{L})và)\s*$", regex.I)


def _lead_cued(lx: Lexicon, text: str, pos: int) -> bool:
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
    return bool(lx.list_lead.search(head, timeout=TIMEOUT))


_QUANTITY = regex.compile(r"(?<![\d/.,])(?!(?:19|20)\d\d(?!\d))\d+(?:[.,]\d+)*(?![\d/])")  # a number, not a year
_QTY_OPEN = regex.compile(r"\s*(?:[-+•*]\s*)?(?:(?:đạt|có|phấn\s+đấu)\s+)?\d", regex.I)
_SENT_END = regex.compile(r"[.!?…](?=\s)|\n")
_LIST_ITEM = regex.compile(r"[ \t]*(?:[-+•*]\s|\d{1,2}[.)]\s|[a-zđ]\)\s|thứ\s+(?:nhất|hai|ba|tư|năm|sáu|bảy|tám|chín|mười)\s*[,:])",
                           regex.I)


def _sentence_start(text: str, pos: int, floor: int) -> int:
    """Start of the sentence holding ``pos`` (after ". ", "!", "?", "…" or a line break), not before ``floor``."""
    last = floor
    for m in _SENT_END.finditer(text, floor, pos):
        last = m.end()
    return last


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


def _commitment(lx: Lexicon, text: str, pos: int, ref_year: int | None, line_starts: list[int] | None = None) -> str | None:
    """Why the clause holding ``pos`` commits, or None: a lead word (phấn đấu, mục tiêu, chỉ tiêu,
    quyết tâm, bảo đảm …) or a deadline not before the document's year, in the sentence before
    the number, in the one or two sentences before it on its line or paragraph, or on the lead
    line of its list ("… mục tiêu cụ thể đến năm 2025, đơn cử như:" then "- Đạt 60% …").
    Bounded windows: cost does not grow with the line or the document."""
    floor = max(0, pos - 600)
    ss = _sentence_start(text, pos, floor)
    own = text[ss:pos]
    m = _lead_in(lx, own)
    if m:
        return f"lead '{m[0]}'"
    m = lx.imperative_open.match(own)
    if m:
        return f"sentence opens with '{m[0].strip()}'"  # "Giảm tỷ suất … xuống còn 600/100.000", "Hằng năm giảm 5-10%"
    if not lx.past.search(own[-300:], timeout=TIMEOUT):
        # a deadline before the number, or after it in the same sentence ("… xuống còn 22/1.000 ca … vào năm 2010")
        end = _SENT_END.search(text, pos, min(len(text), pos + 300))
        rest = text[pos:end.start() if end else min(len(text), pos + 300)]
        d = _deadline_in(lx, own, ref_year) or _deadline_in(lx, rest, ref_year)
        if d:
            return f"deadline '{d[0]}'"
    # one sentence back, on the same line; a sentence that opens with a quantity ("5.000.000 ngôi nhà …;
    # 300 xã …") continues the targets of the sentence before, also across a paragraph break
    opens_with_quantity = bool(_QTY_OPEN.match(text, ss))
    back = ss
    for _ in range(lx.raw.get("lead_sentences_back", 1)):
        b = back
        while b > 0 and back - b < 8 and text[b - 1].isspace():
            b -= 1
        gap = text[b:back]
        if b <= 0 or ("\n" in gap and not opens_with_quantity) or gap.count("\n") > 2:
            break
        prev = _sentence_start(text, b - 1 if text[b - 1] in ".!?…" else b, max(0, b - 600))
        if _QUANTITY.search(text, prev, b) and not opens_with_quantity:
            break  # a lead sentence that states its own quantities does not reach a sentence of facts
        m = _lead_in(lx, text[prev:b])
        if m:
            return f"lead '{m[0]}' in a sentence before"
        back = prev
    # the lead line of a list: walk up over list items to a line ending with ":" (line starts by bisection,
    # line ends read over at most 300 characters: no scan of a long line)
    if line_starts is None:
        line_starts = [0] + [m.end() for m in regex.finditer("\n", text)]
    li = bisect_right(line_starts, pos) - 1
    steps = 0
    while li > 0 and steps < 40:
        ls, ps = line_starts[li], line_starts[li - 1]
        seg = text[max(ps, ls - 301):ls - 1]
        if seg.rstrip().endswith(":"):
            m = _lead_in(lx, seg) or _deadline_in(lx, seg, ref_year)
            if m:
                return f"lead line of the list '{' '.join(seg.split())[-80:]}'"
            return None
        if not _LIST_ITEM.match(text, ps) and not _LIST_ITEM.match(text, ls):
            return None
        li, steps = li - 1, steps + 1
    return None


def _comparator(lx: Lexicon, before: str, after: str, c: _Cand) -> tuple[str, int | None, int | None]:
    """(comparator, cue offset in ``before`` or None, baseline year)."""
    window = before[-60:]
    off = len(before) - len(window)
    chg = None
    marker = lx.change_marker.search(after[:80])
    for m in lx.change.finditer(window):
        gap = len(_WORD.findall(window[m.end():]))
        if gap <= 4 or marker and gap <= lx.raw["change"].get("gap_with_marker", 8):
            chg = m  # "tăng 20% …", "Giảm tỷ lệ hộ nghèo từ 5% trở lên so với năm 2014"
    if chg is not None:
        comp = lx.change_of[" ".join(chg[0].lower().split())]
        by = lx.baseline_year.search(after, timeout=TIMEOUT)
        between = [w.lower() for w in _WORD.findall(window[chg.end():])]
        direct = all(w in lx.change_fillers for w in between)  # "tăng 20%", "giảm bình quân 1,5%"
        if marker or direct or "thêm" in chg[0].lower():
            return comp, off + chg.start(), (int(by[1]) if by and marker else None)
    best = None
    for m in lx.cues.finditer(window):
        gap = len(_WORD.findall(window[m.end():]))
        if gap <= 3 and (best is None or m.end() > best.end() or
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
_WINDOW = 400  # characters around a number that decide about it
_NO_CUE = ("percentage outside target sections without a strong cue", "no target cue outside target sections")


def _is_target(lx: Lexicon, zone: str, c: _Cand, clause_before: str, clause: str, cue_at,
               listed: bool = False) -> str | None:
    """None when the candidate is a target, else the reason it is not. ``listed``: the previous
    number of the clause was a target ("đạt 90% vào năm 2025 và 95% vào năm 2030")."""
    if zone == "excluded":
        return "results/budget section"
    if lx.label_before.search(clause_before[-25:], timeout=TIMEOUT):
        return "label"
    last = _last_words(clause_before, 1)
    if last and last[0] in lx.scope_before and not (listed and last[0] == "và"):
        return "scope"
    if lx.baseline_from.search(clause_before[-10:]) and lx.baseline_to.search(clause[len(clause_before):],
                                                                             timeout=TIMEOUT):
        return "baseline"
    if lx.condition.search(clause, timeout=TIMEOUT):
        return "condition"
    if lx.past.search(clause_before, timeout=TIMEOUT):
        return "past"
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


_DATE = regex.compile(r"(?<![\d/])\d{1,2}\s*[/-]\s*\d{1,2}\s*[/-]\s*((?:19|20)\d\d)(?!\d)"
                      r"|(?<!\p{L})ngày\s+\d{1,2}\s+tháng\s+\d{1,2}\s+năm\s+((?:19|20)\d\d)(?!\d)", regex.I)


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
    m = _DATE.search(text, 0, lx.raw.get("dateline_chars", 600))
    if m:
        return int(m[1] or m[2])
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
    """Target rows of ``doc``; with ``rejected``, each number left out is added to it with why."""
    lx = lexicon()
    text = doc.text
    meta = doc.meta
    kind = meta.kind

    def drop(c: _Cand, why: str) -> None:
        if rejected is not None:
            rejected.append((c.start, c.end, why))

    if kind in lx.raw["no_target_kinds"]:
        if rejected is not None:
            rejected.append((0, len(text), f"a {kind} text commits to nothing ({meta.kind_cue or 'kind'})"))
        return  # a legal rule or an encyclopedic text commits to nothing
    plan_mode = kind is None or kind in lx.raw["plan_kinds"]
    doc_year = _reference_year(lx, text, meta, plan_mode)
    bounds = list(lx.clause_end.finditer(text, timeout=TIMEOUT))
    colons = [m.start() for m in regex.finditer(":", text)]
    lead_lines = list(_LEAD_LINE.finditer(text))
    lead_line_ends = [m.end() for m in lead_lines]
    plan_period = (meta.period_start, meta.period_end)
    if not plan_mode and plan_period == (None, None):
        # news of a plan: the first phase range near the top ("Chương trình … giai đoạn 2016 - 2020")
        top = lx.phase_range.search(text, 0, lx.raw.get("dateline_chars", 600) * 2, timeout=TIMEOUT)
        if top and int(top[1]) <= int(top[2]) <= int(top[1]) + 30:
            plan_period = (int(top[1]), int(top[2]))
    if not plan_mode and plan_period[0] is None and plan_period[1] is not None and doc_year is not None \
            and doc_year <= plan_period[1]:
        plan_period = (doc_year, plan_period[1])  # news of a plan "đến năm 2030" dated 2021: 2021-2030
    ctx = _Ctx(doc, text, [m.start() for m in bounds], [m.end() for m in bounds], plan_period, {})
    prog = programmes.get_programme(meta.programme)
    # a target's year before the plan's start (in a plan) or before the document's year is a past fact
    past_ref = ctx.plan[0] if plan_mode and ctx.plan[0] is not None else doc_year
    phases = {_phase_index(m[1]): (int(m[2]), int(m[3])) for m in lx.phase_def.finditer(text, timeout=TIMEOUT)
              if int(m[2]) <= int(m[3]) <= int(m[2]) + 30}
    cands = _candidates(lx, text)
    line_period: tuple[int, Any, int] = (-1, None, 0)  # (line start, inline period of a target on it, its end)
    prev: tuple[int, int, str | None] = (-1, -1, None)  # (clause start, end, comparator of a cue) of the last target
    prose: list[Target] = []  # the targets read from running text
    for k, c in enumerate(cands):
        cs, ce = _clause(ctx, c.start, c.end)
        if c.start < cs:  # the number itself starts a clause boundary (rare)
            cs = c.start
        if c.value != c.value:
            drop(c, "not a number")
            continue
        # a value too large to store exactly (a runaway digit string) is still read: the store
        # refuses it with an errors row naming the file and the number (pipeline/store.check_row)
        # bounded windows: the cost of one candidate does not grow with its clause or line
        ws, we = max(cs, c.start - _WINDOW), min(ce, c.end + _WINDOW)
        clause = text[ws:we]
        before = text[ws:c.start]
        after = text[c.end:we]
        ls, _le = doc.line_at(c.start)
        line_lead = ""
        ci = bisect_left(colons, ls)
        colon = colons[ci] if ci < len(colons) and colons[ci] < c.start else -1
        if colon != -1 and colon - ls <= _WINDOW:
            line_lead = text[ls:colon + 1]
        zone = _zone(lx, ctx, c, line_lead)
        comp, cue_at, baseline = _comparator(lx, before, after, c)
        if cue_at is not None:
            cue_at += ws - cs  # offsets below are from the clause start
        if lx.rank_before.search(before[-12:], timeout=TIMEOUT):
            comp = "at_most"  # "nằm trong top 03", "thuộc nhóm 60 nước đứng đầu": at most that rank
        unit = c.unit
        if c.kind == "count" and "/" not in unit:
            each = lx.each.search(before[-40:], timeout=TIMEOUT)
            if each:
                unit = f"{unit}/{' '.join(each['p'].lower().split())}"
        listed = prev[0] == cs and prev[1] <= c.start and bool(_LIST_GAP.match(text, prev[1], c.start))
        if listed and cue_at is None and prev[2] is not None and comp in ("at_least", "equal"):
            # "xuống dưới 10% (nội thành), 5% (ngoại thành)": the list keeps its comparator
            comp = prev[2]
            if comp == "at_least" and lx.raw.get("full_value_is_equal") and c.kind == "pct" and c.value == 100:
                comp = "equal"
        nxt = cands[k + 1] if k + 1 < len(cands) else None
        if c.kind != "pct" and nxt is not None and nxt.kind == "pct" and nxt.start < ce \
                and _QUALIFIES.match(text, c.end, nxt.start):
            drop(c, "a count that describes the measure of the target after it")
            continue  # "được khám định kỳ ít nhất 01 lần/năm đạt 70%": the count describes the measure
        if cue_at is None and before.rstrip().endswith("(") and after.lstrip().startswith(")"):
            drop(c, "a count in brackets of what a heading holds")
            continue  # "Mục tiêu 1: … (07 chỉ tiêu)": a count of what a heading holds
        why_not = _is_target(lx, zone, c, before, clause, cue_at - (ws - cs) if cue_at is not None else None, listed)
        commit = None
        if why_not in _NO_CUE and zone == "" and _lead_cued(lx, text, c.start):
            why_not = None  # "Phấn đấu …; tỷ lệ … đạt 90%; 70% …": the sentence's lead cue
            commit = "lead at the start of the sentence"
        if why_not in _NO_CUE and zone == "":
            commit = _commitment(lx, text, c.start, doc_year, doc.line_starts)
            if commit:
                why_not = None  # "Mục tiêu … là …; tỷ lệ … đạt 30% vào năm 2025", a lead one sentence back
        if why_not:
            drop(c, str(why_not))
            continue
        rule = lx.rule.search(text, max(ws, c.start - 80), min(we, c.end + 40), timeout=TIMEOUT)
        if rule:
            drop(c, f"rule: '{rule.group(0)}' near it (a fine, a multiplier, a processing time, a threshold)")
            continue
        rule = zone != "target" and lx.eligibility.search(text, max(ws, c.start - 80), min(we, c.end + 40),
                                                          timeout=TIMEOUT)
        if rule:
            drop(c, f"rule: eligibility '{rule.group(0)}' outside a target section")
            continue
        if zone != "target" and not listed and commit is None and (not plan_mode or c.kind == "open"):
            # outside plans (and for an open-class count noun everywhere) the clause must commit
            commit = _commitment(lx, text, c.start, doc_year, doc.line_starts)
            if commit is None:
                drop(c, "no commitment: no lead word (phấn đấu, mục tiêu …), target section or deadline ahead")
                continue
        if c.kind == "open" and "/" not in unit:
            unit = _open_unit(text[c.num_end:c.num_end + 40]) or unit  # "60 quốc gia", "10 tiêu chí"
        if zone == "target":
            reason = "target section" + (f" (lead '{' '.join(line_lead.split())[:60]}')" if line_lead else "")
        elif listed:
            reason = "list continuation after a target"
        elif commit:
            reason = commit
        elif cue_at is not None:
            reason = f"cue '{' '.join(text[cs + cue_at:c.start].split())[:40]}'"
        else:
            reason = "task verb before a count"
        # period: own clause, else line lead, else phase heading, else the plan
        base, source = ctx.plan, "plan"
        heads = _headings(ctx, c.start)
        for s in heads:
            found = _period_in(lx, _heading_text(ctx, s))
            if found:
                base, source = _resolve(ctx.plan, found), "heading"
                break
        # a phase line without a heading marker ("Giai đoạn 2021 - 2025:", "- Đến năm 2025:")
        region = heads[0].title_end if heads else 0
        phase_line = None
        li = bisect_right(lead_line_ends, ls) - 1
        if li >= 0 and lead_lines[li].start() >= region:
            phase_line = lead_lines[li]
        if phase_line is not None and "%" not in phase_line[0]:
            found = _period_in(lx, phase_line[0])
            if found:
                base, source = _resolve(base, found), "phase line"
        notes = []
        if line_lead:
            found = _period_in(lx, line_lead)
            if found:
                base, source = _resolve(base, found), "line lead"
        seg_s = max(cs, cands[k - 1].end) if k > 0 and cands[k - 1].end <= c.start else cs
        seg_e = min(ce, cands[k + 1].start) if k + 1 < len(cands) and cands[k + 1].start >= c.end else ce
        seg_s, seg_e = max(seg_s, ws), min(seg_e, we)
        inline = _inline_period(lx, text, ws, we, seg_s, seg_e, c)
        if inline is None and doc_year is not None and lx.this_year.search(text, seg_s, seg_e, timeout=TIMEOUT):
            inline = (doc_year, doc_year)  # "trong năm nay": the year of the document
        if inline is None:
            ph = lx.phase_no.search(text, max(ws, c.start - 120), seg_e, timeout=TIMEOUT)
            if ph:  # "ở giai đoạn 2": the document's own phase 2, else the programme's
                inline = phases.get(_phase_index(ph[1])) or _programme_phase(prog, _phase_index(ph[1]))
        if inline is None and line_period[0] == ls and not _SENT_END.search(text, line_period[2], c.start):
            inline = line_period[1]  # "Đến năm 2025 có 95% …; 100% …": the sentence's year goes on
        elif inline is not None:
            line_period = (ls, inline, c.end)
        if inline and inline[0] is None and past_ref is not None and inline[1] < past_ref \
                and comp not in ("increase_by", "decrease_by"):
            drop(c, f"past fact: its year {inline[1]} is before {past_ref}")
            continue  # "Năm 2020, tỷ lệ … đạt 45%" in a 2021-2025 plan (or a 2021 news item): a past fact
        period = _resolve(base, inline)
        if period == (None, None):
            notes.append("no period found")
        elif source == "plan" and inline is None:
            notes.append("period of the plan")
        # what is measured: this clause between the neighbouring targets
        phrase_after = text[c.end:seg_e]
        cut = _PHRASE_CUT.search(phrase_after)
        if cut:
            phrase_after = phrase_after[:cut.start()]
        phrase_before = text[seg_s:cue_at + cs if cue_at is not None else c.start]
        if seg_s == cs and cs > 0 and text[cs - 1] == ":" and len(_WORD.findall(phrase_before)) < 2:
            # "Tỷ lệ trẻ em được tiêm chủng: 95%": the measure is named before the colon
            ps, _ = _clause(ctx, cs - 1, cs - 1)
            if ps < cs - 1 and not _LABEL_ONLY.fullmatch(text[ps:cs - 1]):
                seg_s = ps
                phrase_before = text[ps:cue_at + cs if cue_at is not None else c.start]
        if len(_WORD.findall(phrase_after)) >= 3:
            head = phrase_after
        else:
            head = phrase_before
        ind_text, _, _ = span(doc, seg_s, seg_e)
        ind_text = " ".join(ind_text.split())[:300]
        unit_for_ind = "%" if c.kind == "pct" and c.unit != "‰" else c.unit
        match = programmes.score_indicator(prog, f"{phrase_before} {text[c.start:c.end]} {phrase_after}",
                                           head=head, unit=unit_for_ind, comparator=comp)
        if match.indicator == "other" and match.best:
            notes.append(match.note)
        # evidence: from the cue to a few words after the unit (to the base year for changes)
        q_start = cs + cue_at if cue_at is not None else c.start
        q_end = c.end
        if baseline is not None:
            by = lx.baseline_year.search(after, timeout=TIMEOUT)
            if by:
                q_end = c.end + by.end()
        else:
            n_after = lx.raw.get("quote_words_after", 4)
            for i, w in enumerate(_WORD.finditer(text, c.end, seg_e)):
                if i >= n_after or not text[q_end:w.start()].isspace():
                    break
                q_end = w.end()
        quote, qs, qe = span(doc, q_start, q_end)
        conf = 0.9 if zone == "target" else 0.7
        if cue_at is None and zone != "target":
            conf -= 0.1
        if "period of the plan" in notes or "no period found" in notes:
            conf -= 0.1
        prose.append(Target(
            indicator=match.indicator, indicator_text=ind_text,
            value=c.value, value_max=c.value_max, unit=unit, comparator=comp, baseline_year=baseline,
            period_start=period[0], period_end=period[1], section=doc.section_label(c.start),
            quote=quote, char_start=qs, char_end=qe, confidence=round(conf, 2),
            notes="; ".join(notes) or None, reason=reason,
        ))
        yield prose[-1]
        level = comp not in ("increase_by", "decrease_by")
        prev = (cs, c.end, comp if level and (cue_at is not None or listed and prev[2] == comp) else None)
    yield from table_targets(doc, lx, ctx.plan, prog, prose)
