"""National programmes as data: which programme a document implements, which programme
indicator a target measures, the national targets, and the ``comparison`` view.

Every programme is one YAML file in ``corpora/programmes/`` (or in the folder named by the
environment variable ``CHITIEU_PROGRAMMES``, or passed as ``folder=``): its decision
numbers, title keywords, phases, and indicators with a vocabulary and the national target per
phase. Adding a programme is adding a file; see the README ("National programmes as data") for the format.

- ``programme`` document field (order 50): the code of the programme a document implements,
  matched by the decision numbers it cites (``doc.meta.implements``), else by its own
  number, else by a programme keyword in its title, else by the programme's vocabulary in its
  text (keyword mentions and indicator terms); ``programme_evidence`` says which rule decided
  and on what words. No match gives ``None`` (a wrong match is worse than none).
- ``score_indicator(programme, phrase, head, unit, comparator)``: vocabulary scoring of the
  short phrase that names what a target measures, on words segmented by underthesea's
  ``word_tokenize`` (short phrases only, results cached).
- static table ``national_targets`` and view ``comparison``.
"""
from __future__ import annotations

import os
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import regex
from chitieu.extractors._data import load_data

from chitieu.extractors import document_field, static_table, view
from chitieu.pipeline.data import corpus_dir

DEFAULT_DIR = corpus_dir("programmes")
ENV_VAR = "CHITIEU_PROGRAMMES"


# ---- loading ---------------------------------------------------------------------------------
@dataclass
class NationalTarget:
    period_start: int
    period_end: int
    value: float
    comparator: str
    baseline_year: int | None = None
    quote: str = ""   # the words of the public text that state it
    source: str = ""  # where that text is (a key of the file's source list, or an address)


@dataclass
class Example:
    """A real phrase that states the indicator, with where it was read."""
    text: str
    source: str = ""


@dataclass
class Indicator:
    code: str
    label: str
    unit: str
    kind: str  # "level" or "change" (increase_by / decrease_by)
    head: list[str]
    terms: dict[str, float]
    national: list[NationalTarget] = field(default_factory=list)
    examples: list[Example] = field(default_factory=list)


@dataclass
class Programme:
    code: str
    title: str
    decisions: list[str]
    period: tuple[int, int] | None
    phases: list[tuple[int, int]]
    keywords: list[str]
    indicators: list[Indicator]
    min_mentions: int = 2
    min_score: float = 4.0
    source: str = ""

    @property
    def decision_keys(self) -> set[str]:
        return {decision_key(d) for d in self.decisions}


class ProgrammeFileError(ValueError):
    pass


def programmes_dir(folder: str | Path | None = None) -> Path:
    if folder is not None:
        return Path(folder)
    env = os.environ.get(ENV_VAR)
    return Path(env) if env else DEFAULT_DIR


_SPACES = regex.compile(r"\s+")
_WORDLIKE = regex.compile(r"\p{L}|\d")


@lru_cache(maxsize=20000)
def _norm(s: str) -> str:
    """Lower-case text in the pipeline's normal form (tone marks, dashes, spaces)."""
    from chitieu.pipeline.normalize import normalize

    return _SPACES.sub(" ", normalize(str(s))).strip().lower()


def decision_key(number: str) -> str:
    """Comparable form of a document number: no spaces, upper case, no year part.

    ``112/2021/QĐ-TTg``, ``112/QĐ-TTg`` and ``112 /QĐ-TTg`` all give ``112/QĐ-TTG``.
    """
    s = _norm(number).replace(" ", "").upper()
    return regex.sub(r"/(?:19|20)\d\d/", "/", s)


def _period(v: Any, where: str) -> tuple[int, int]:
    if not (isinstance(v, (list, tuple)) and len(v) == 2 and all(isinstance(x, int) for x in v)):
        raise ProgrammeFileError(f"{where}: a period is a list of two years, got {v!r}")
    return int(v[0]), int(v[1])


# the keys a programme file may use, per level: anything else is a mistake (a misspelt key
# would otherwise be ignored silently)
PROGRAMME_KEYS = {"code", "title", "decisions", "issued_date", "issuer", "period", "phases", "keywords",
                  "min_mentions", "min_score", "indicators"}
INDICATOR_KEYS = {"code", "label", "unit", "kind", "head", "terms", "examples", "national"}
NATIONAL_KEYS = {"phase", "value", "comparator", "baseline_year", "quote", "source"}
EXAMPLE_KEYS = {"text", "source"}
COMPARATORS = {"at_least", "more_than", "at_most", "less_than", "equal", "increase_by", "decrease_by"}


def _check_keys(obj: Any, allowed: set[str], where: str) -> None:
    if not isinstance(obj, dict):
        raise ProgrammeFileError(f"{where}: expected a mapping, got {obj!r}")
    unknown = sorted(set(obj) - allowed)
    if unknown:
        raise ProgrammeFileError(f"{where}: unknown key(s) {', '.join(map(repr, unknown))} "
                                 f"(allowed: {', '.join(sorted(allowed))})")


def _national(n: dict, where: str) -> NationalTarget:
    _check_keys(n, NATIONAL_KEYS, f"{where}: national target")
    ps, pe = _period(n.get("phase"), where)
    comparator = n.get("comparator", "at_least")
    if comparator not in COMPARATORS:
        raise ProgrammeFileError(f"{where}: unknown comparator {comparator!r}")
    return NationalTarget(ps, pe, float(n["value"]), comparator, n.get("baseline_year"),
                          str(n.get("quote") or ""), str(n.get("source") or ""))


def _example(e: Any, where: str) -> Example:
    if isinstance(e, str):
        return Example(e)
    _check_keys(e, EXAMPLE_KEYS, f"{where}: example")
    return Example(str(e["text"]), str(e.get("source") or ""))


def parse_programme(data: dict, source: str = "") -> Programme:
    """Build a Programme from the parsed YAML of one programme file (keys checked, see
    ``PROGRAMME_KEYS``)."""
    _check_keys(data, PROGRAMME_KEYS, source)
    for key in ("code", "decisions", "indicators"):
        if key not in data:
            raise ProgrammeFileError(f"{source}: missing key {key!r}")
    indicators = []
    for i, ind in enumerate(data["indicators"] or []):
        where = f"{source}: indicator {ind.get('code', i)!r}" if isinstance(ind, dict) else f"{source}: indicator {i}"
        _check_keys(ind, INDICATOR_KEYS, where)
        if "code" not in ind or "unit" not in ind:
            raise ProgrammeFileError(f"{where}: needs code and unit")
        kind = ind.get("kind", "level")
        if kind not in ("level", "change"):
            raise ProgrammeFileError(f"{where}: kind must be level or change")
        indicators.append(Indicator(
            code=str(ind["code"]), label=str(ind.get("label", "")), unit=str(ind["unit"]), kind=kind,
            head=[_norm(h) for h in ind.get("head") or []],
            terms={_norm(k): float(v) for k, v in (ind.get("terms") or {}).items()},
            national=[_national(n, where) for n in ind.get("national") or []],
            examples=[_example(e, where) for e in ind.get("examples") or []]))
    codes = [i.code for i in indicators]
    if len(set(codes)) != len(codes):
        raise ProgrammeFileError(f"{source}: duplicate indicator codes {codes}")
    return Programme(
        code=str(data["code"]), title=str(data.get("title", "")),
        decisions=[str(d) for d in data["decisions"]],
        period=_period(data["period"], source) if data.get("period") else None,
        phases=[_period(p, source) for p in data.get("phases") or []],
        keywords=[_norm(k) for k in data.get("keywords") or []],
        indicators=indicators,
        min_mentions=int(data.get("min_mentions", 2)),
        min_score=float(data.get("min_score", 4)),
        source=source,
    )


@lru_cache(maxsize=8)
def _load(folder: str) -> tuple[Programme, ...]:
    out = []
    path = Path(folder)
    if not path.is_dir():
        raise ProgrammeFileError(f"{folder}: no such programme folder")
    for f in sorted(list(path.glob("*.yaml")) + list(path.glob("*.yml"))):
        data = load_data(f, "programmes/*.yaml", error=ProgrammeFileError)
        if not isinstance(data, dict):
            raise ProgrammeFileError(f"{f}: not a mapping")
        out.append(parse_programme(data, f.name))
    codes = [p.code for p in out]
    if len(set(codes)) != len(codes):
        raise ProgrammeFileError(f"{folder}: duplicate programme codes {codes}")
    return tuple(out)


def load_programmes(folder: str | Path | None = None) -> tuple[Programme, ...]:
    """Every programme file in ``folder`` (default: $CHITIEU_PROGRAMMES or corpora/programmes)."""
    return _load(str(programmes_dir(folder).resolve()))


def get_programme(code: str | None, folder: str | Path | None = None) -> Programme | None:
    if not code:
        return None
    return next((p for p in load_programmes(folder) if p.code == code), None)


# ---- which programme a document implements ---------------------------------------------------
# decision numbers cited in the text, for use until/unless the metadata extractor sets "implements"
_DOC_NUMBER = regex.compile(r"(?<![\w/])(\d{1,5})\s*(?:/\s*((?:19|20)\d\d))?\s*/\s*([\p{Lu}Đ]{1,6}(?:-[\p{Lu}Đ]{1,8})+)")


def cited_numbers(text: str) -> set[str]:
    return {decision_key(f"{m[1]}/{m[3]}") for m in _DOC_NUMBER.finditer(text)}


@dataclass
class ProgrammeMatch:
    programme: Programme | None
    evidence: str  # the rule and the words that decided (documents.programme_evidence)


def match_programme(doc: Any, folder: str | Path | None = None) -> Programme | None:
    """The programme ``doc`` implements, or None (see :func:`find_programme`)."""
    return find_programme(doc, folder).programme


def find_programme(doc: Any, folder: str | Path | None = None) -> ProgrammeMatch:
    """The programme ``doc`` implements and why. Order: cited decision numbers, own number,
    keyword in the title, then the vocabulary of the text (:func:`vocabulary_scores`)."""
    programmes = load_programmes(folder)
    if not programmes:
        return ProgrammeMatch(None, "no programme file")
    meta = doc.meta
    implements = meta.implements
    if implements is None:
        implements = sorted(cited_numbers(doc.text))
    elif isinstance(implements, str):
        implements = [x for x in regex.split(r"[\s,;]+", implements.strip("[]")) if x]
    keys = {decision_key(str(x).strip("\"' ")): str(x).strip("\"' ") for x in implements}
    hits = [p for p in programmes if p.decision_keys & set(keys)]
    if len(hits) == 1:
        cited = next(v for k, v in keys.items() if k in hits[0].decision_keys)
        return ProgrammeMatch(hits[0], f"cites {cited}")
    if meta.doc_number:
        own = [p for p in programmes if decision_key(meta.doc_number) in p.decision_keys]
        if len(own) == 1:
            return ProgrammeMatch(own[0], f"is {meta.doc_number}")
    title = _norm(meta.title or doc.text[:400])
    by_title = [(p, next(k for k in p.keywords if k in title)) for p in programmes
                if any(k in title for k in p.keywords)]
    if len(hits) > 1:
        # cites several programmes: the one its title names, else no guess
        named = [(p, k) for p, k in by_title if p in hits]
        if len(named) == 1:
            return ProgrammeMatch(named[0][0], f"cites several programmes; title names '{named[0][1]}'")
        return ProgrammeMatch(None, f"cites several programmes ({', '.join(p.code for p in hits)}), title names none")
    if len(by_title) == 1:
        return ProgrammeMatch(by_title[0][0], f"title names '{by_title[0][1]}'")
    if by_title:
        return ProgrammeMatch(None, f"title names several programmes ({', '.join(p.code for p, _ in by_title)})")
    return _by_vocabulary(vocabulary_scores(doc.text, programmes))


# Vocabulary of a programme in a text that neither cites it nor names it in its title (news,
# summaries): KEYWORD_POINTS for each mention of a programme keyword (at most
# MAX_KEYWORD_MENTIONS counted) plus, for each distinct indicator term present, its weight over
# the largest term weight of that programme (so every programme's vocabulary counts on one
# scale, whatever the hand weights). A programme is taken when its score reaches the file's
# `min_mentions` × KEYWORD_POINTS and VOCABULARY_MARGIN times the runner-up's: a keyword named
# twice, or once with several indicator terms.
KEYWORD_POINTS = 3.0
MAX_KEYWORD_MENTIONS = 5
VOCABULARY_MARGIN = 1.5


@dataclass
class VocabularyScore:
    programme: Programme
    score: float
    keyword_mentions: int
    terms: list[str]

    def evidence(self) -> str:
        terms = ", ".join(self.terms[:5]) + (" …" if len(self.terms) > 5 else "")
        return (f"vocabulary score {self.score:.1f}: {self.keyword_mentions} programme keyword mention(s)"
                + (f"; indicator terms: {terms}" if terms else ""))


def vocabulary_scores(text: str, programmes: tuple[Programme, ...]) -> list[VocabularyScore]:
    """Each programme's vocabulary score on ``text``, best first."""
    # a whole document: normalized here, never through the phrase caches (_norm, _syllable_split),
    # which would keep every document of a run in memory
    from chitieu.pipeline.normalize import normalize

    flat = " ".join(w.lower() for w in _SYLLABLE.findall(normalize(text)))
    out = []
    for p in programmes:
        mentions = sum(flat.count(" ".join(_syllable_split(k).syllables)) for k in p.keywords)
        terms: dict[str, float] = {}
        for ind in p.indicators:
            top = max(ind.terms.values(), default=0.0) or 1.0
            for t, w in ind.terms.items():
                if w > 0 and f" {t} " in f" {flat} ":
                    terms[t] = max(terms.get(t, 0.0), w / top)
        score = KEYWORD_POINTS * min(mentions, MAX_KEYWORD_MENTIONS) + sum(terms.values())
        out.append(VocabularyScore(p, score, mentions, sorted(terms, key=lambda t: -terms[t])))
    out.sort(key=lambda v: (-v.score, v.programme.code))
    return out


def _by_vocabulary(scores: list[VocabularyScore]) -> ProgrammeMatch:
    if not scores or scores[0].score <= 0:
        return ProgrammeMatch(None, "no citation, title or vocabulary of any programme")
    best = scores[0]
    runner_up = scores[1].score if len(scores) > 1 else 0.0
    if best.score < best.programme.min_mentions * KEYWORD_POINTS:
        return ProgrammeMatch(None, f"too little vocabulary: best {best.programme.code}, {best.evidence()}")
    if best.score < VOCABULARY_MARGIN * runner_up:
        return ProgrammeMatch(None, f"vocabulary of {best.programme.code} and {scores[1].programme.code} "
                                    f"too close ({best.score:.1f} vs {runner_up:.1f})")
    return ProgrammeMatch(best.programme, best.evidence())


@document_field(order=50)
def programme_field(doc: Any) -> dict:
    m = find_programme(doc)
    return {"programme": m.programme.code if m.programme else None, "programme_evidence": m.evidence}


# ---- indicator scoring -----------------------------------------------------------------------
@lru_cache(maxsize=20000)
def segment(phrase: str) -> tuple[str, ...]:
    """Lower-case words of a short phrase, multi-syllable words joined by one space
    (underthesea ``word_tokenize``); punctuation dropped. Cached."""
    from underthesea import word_tokenize

    return tuple(w.lower() for w in word_tokenize(phrase) if _WORDLIKE.search(w))


@dataclass(frozen=True)
class Segmented:
    """A phrase as syllables, with the syllable offsets where segmented words start."""

    syllables: tuple[str, ...]
    word_starts: frozenset[int]  # includes len(syllables)

    def find(self, term: tuple[str, ...], limit: int | None = None) -> float:
        """1.0 when ``term`` (syllables) occurs as whole words, 0.5 when it occurs cutting through
        a segmented word (the segmenter is not always right), 0.0 when absent. With ``limit``
        the occurrence must start before that syllable."""
        n = len(term)
        best = 0.0
        syl = self.syllables
        last = len(syl) - n if limit is None else min(len(syl) - n, limit - 1)
        if not n:  # an empty term is found everywhere
            return max((1.0 if i in self.word_starts else 0.5 for i in range(last + 1)), default=0.0)
        if last < 0:
            return best
        # jump from one occurrence of the first syllable to the next (tuple.index runs in C)
        first, i = term[0], -1
        while True:
            try:
                i = syl.index(first, i + 1, last + 1)
            except ValueError:
                return best
            if syl[i:i + n] == term:
                if i in self.word_starts and i + n in self.word_starts:
                    return 1.0
                best = 0.5


_LEADS = {"số", "số lượng", "tỷ lệ", "các", "những", "toàn bộ"}


@lru_cache(maxsize=20000)
def segmented(phrase: str, drop_leads: bool = False) -> Segmented:
    words = list(segment(phrase))
    if drop_leads:
        while words and words[0] in _LEADS:
            words.pop(0)
    syl: list[str] = []
    starts = set()
    for w in words:
        starts.add(len(syl))
        syl.extend(w.split())
    starts.add(len(syl))
    return Segmented(tuple(syl), frozenset(starts))


_SYLLABLE = regex.compile(r"[\p{L}\d]+")


@lru_cache(maxsize=20000)
def _syllable_split(phrase: str) -> Segmented:
    """A phrase as syllables, each its own word (no segmentation)."""
    syl = tuple(w.lower() for w in _SYLLABLE.findall(phrase))
    return Segmented(syl, frozenset(range(len(syl) + 1)))


def _syllables(term: str) -> tuple[str, ...]:
    return tuple(term.split())


def same_unit(indicator_unit: str, unit: str | None) -> bool:
    """A target's unit fits an indicator's: equal, or for a ratio the same denominator
    (``/100.000`` fits ``/100.000 trẻ em`` and ``/100.000 trẻ``, whatever noun follows)."""
    if not unit:
        return False
    if indicator_unit.startswith("/"):
        return unit.split(" ")[0] == indicator_unit.split(" ")[0]
    return unit == indicator_unit


@dataclass
class IndicatorMatch:
    indicator: str  # code or "other"
    score: float
    best: str | None  # best candidate (also when below the threshold)
    best_score: float
    note: str = ""


HEAD_WINDOW = 2  # words right after the number that name what is counted
HEAD_WEIGHT = 5.0
MAX_PHRASE_CHARS = 400
MAX_HEAD_CHARS = 60


def _clip(phrase: str) -> str:
    """At most MAX_PHRASE_CHARS: the start and the end of a long phrase (cut at spaces)."""
    phrase = _SPACES.sub(" ", phrase).strip()
    if len(phrase) > MAX_PHRASE_CHARS:
        half = MAX_PHRASE_CHARS // 2
        a = phrase.rfind(" ", 0, half)
        b = phrase.find(" ", len(phrase) - half)
        phrase = phrase[: a if a > 0 else half] + " … " + phrase[b + 1 if b > 0 else len(phrase) - half:]
    return phrase


def score_indicator(programme: Programme | None, phrase: str, *, head: str = "", unit: str = "%",
                    comparator: str = "at_least") -> IndicatorMatch:
    """Score every indicator of ``programme`` on ``phrase`` (what the target measures).

    ``head`` is the text right after the number ("số cơ quan, tổ chức …"): an indicator whose
    head noun appears in its first words gets ``HEAD_WEIGHT``; each vocabulary term found in
    the phrase adds its weight (half when underthesea's segmentation cuts through it; the
    phrase is segmented only when this can change the outcome). Only indicators with the same unit and kind (a level, or a
    change "tăng 20% so với năm 2020") compete. Below the programme's ``min_score``, or when
    two indicators tie, the result is ``other`` with the best candidate kept.
    """
    if programme is None:
        return IndicatorMatch("other", 0.0, None, 0.0, "no programme")
    kind = "change" if comparator in ("increase_by", "decrease_by") else "level"
    cands = [i for i in programme.indicators if same_unit(i.unit, unit) and i.kind == kind]
    if not cands:
        return IndicatorMatch("other", 0.0, None, 0.0, f"no {kind} indicator in {unit}")
    norm_phrase = _norm(_clip(phrase))
    plain = _syllable_split(norm_phrase)
    flat = " ".join(plain.syllables)  # punctuation dropped: "tai nạn, thương tích" has the term "tai nạn thương tích"
    norm_head = _norm(head)[:MAX_HEAD_CHARS] if head else ""
    if not any(t in flat for i in cands for t in i.terms) and \
            not any(h in norm_head for i in cands for h in i.head):
        return IndicatorMatch("other", 0.0, None, 0.0, "no indicator vocabulary in the phrase")
    head_seg = segmented(norm_head, drop_leads=True)
    # the head: what the first HEAD_WINDOW words after the number name
    starts = sorted(head_seg.word_starts)
    head_limit = starts[min(HEAD_WINDOW, len(starts) - 1)] if starts else 0
    heads = {ind.code: max((head_seg.find(_syllables(h), head_limit) for h in ind.head), default=0.0) * HEAD_WEIGHT
             for ind in cands}

    def scores(words: Segmented, factor: float = 1.0) -> list[tuple[float, str]]:
        out = []
        for ind in cands:
            s = heads[ind.code]
            for term, w in ind.terms.items():
                if term in flat:
                    s += w * factor * words.find(_syllables(term))
            out.append((s, ind.code))
        return out

    # Terms found as whole syllables score between half (the segmenter cuts them) and full
    # weight (they are whole words). Segment the (longer) phrase only when that matters.
    upper, lower = scores(plain), scores(plain, 0.5)
    i_best = max(range(len(cands)), key=lambda i: (lower[i][0], -i))
    rest_upper = max((u for j, (u, _) in enumerate(upper) if j != i_best), default=0.0)
    if lower[i_best][0] >= programme.min_score and lower[i_best][0] > rest_upper:
        scored = [upper[i_best]] + [u for j, u in enumerate(upper) if j != i_best]
    else:
        scored = scores(segmented(norm_phrase))
    scored.sort(key=lambda x: (-x[0], x[1]))
    best_score, best = scored[0]
    second = scored[1][0] if len(scored) > 1 else 0.0
    if best_score <= 0:
        return IndicatorMatch("other", 0.0, None, 0.0, "no indicator vocabulary in the phrase")
    if best_score < programme.min_score:
        return IndicatorMatch("other", best_score, best, best_score,
                              f"best candidate {best} ({best_score:g}) below {programme.min_score:g}")
    if best_score == second:
        return IndicatorMatch("other", best_score, best, best_score,
                              f"tie between {best} and {scored[1][1]} ({best_score:g})")
    return IndicatorMatch(best, best_score, best, best_score)


# ---- national targets and comparison ---------------------------------------------------------
def national_rows(folder: str | Path | None = None) -> list[dict]:
    rows = []
    for p in load_programmes(folder):
        for ind in p.indicators:
            for n in ind.national:
                rows.append({
                    "programme": p.code, "indicator": ind.code, "value": n.value, "unit": ind.unit,
                    "comparator": n.comparator, "baseline_year": n.baseline_year,
                    "period_start": n.period_start, "period_end": n.period_end,
                    "source": f"{', '.join(p.decisions)} ({p.source}" + (f"; {n.source})" if n.source else ")"),
                    "quote": n.quote or None,
                })
    return rows


@static_table("national_targets")
def national_targets() -> list[dict]:
    return national_rows()


@view("comparison")
def comparison_view() -> str:
    """The comparison SELECT; without any national target (no programme file) the same columns
    and no rows, since the national_targets table is then not created."""
    from chitieu.pipeline.compare import COMPARISON_SQL, EMPTY_COMPARISON_SQL

    return COMPARISON_SQL if national_rows() else EMPTY_COMPARISON_SQL
