"""National programmes, part of the model: their definitions (one YAML file each in
``corpora/programmes/``, or in the folder named by ``CHITIEU_PROGRAMMES``, or passed as ``folder=``)
and the engine that scores a phrase against their indicators.

- ``load_programmes`` / ``get_programme``: the programme files, checked and with their term weights
  derived from the example phrases at load time (no hand weights; see "Term weights" below);
- ``score_indicator(programme, phrase, head, unit, comparator)``: which indicator the short phrase
  naming what a target measures states, scored over its syllable unigrams and bigrams (no word
  segmenter);
- ``vocabulary_scores(text, programmes)``: how much of each programme's vocabulary a text uses;
- ``national_rows``: the national targets of every programme.

The decisions stay in ``extractors/programmes.py`` (which programme a document implements) and in
the extractors that score phrases (``extractors/targets.py``): they import this module like any
other part of the model, never another extractor.
"""
from __future__ import annotations

import math
import os
import re
from collections import Counter
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import regex

from chitieu.pipeline.corpus import corpus_data, load_data
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
    terms: dict[str, float]  # derived from the examples (see derive_weights)
    national: list[NationalTarget] = field(default_factory=list)
    examples: list[Example] = field(default_factory=list)
    unseen: float = 0.0  # derived: the weight of a phrase feature none of the examples has
    threshold: float = 0.0  # derived: the score a phrase needs (see MIN_EVIDENCE)


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
    source: str = ""
    terms: dict[str, float] = field(default_factory=dict)  # derived (see derive_weights)
    # per process: the indicators of each (unit, kind) indexed by feature, and the matches of the
    # phrases scored so far (see ``score_indicator``)
    scorers: dict = field(default_factory=dict, repr=False, compare=False)
    scored: dict = field(default_factory=dict, repr=False, compare=False)
    # per process: its keywords as counted and the sum of its term weights (see ``vocabulary_scores``)
    vocabulary: tuple | None = field(default=None, repr=False, compare=False)

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


# regex's \s (Unicode White_Space) in the stdlib's faster engine: its \s less the four separators
# \x1c-\x1f, which only the stdlib counts as spaces
_SPACES = re.compile(r"[^\S\x1c-\x1f]+")
_WORDLIKE = regex.compile(r"\p{L}|\d")


@lru_cache(maxsize=20000)
def _norm(s: str) -> str:
    """Lower-case text in the pipeline's normal form (tone marks, dashes, spaces)."""
    from chitieu.pipeline.normalize import normalize

    return _SPACES.sub(" ", normalize(str(s))).strip().lower()


def normalized(s: str) -> str:
    """``s`` lower case in the pipeline's normal form, as programme keywords are compared (cached)."""
    return _norm(s)


_YEAR_PART = regex.compile(r"/(?:19|20)\d\d/")


@lru_cache(maxsize=4096)
def decision_key(number: str) -> str:
    """Comparable form of a document number: no spaces, upper case, no year part (cached: every
    document compares the numbers it cites with every programme's).

    ``112/2021/QĐ-TTg``, ``112/QĐ-TTg`` and ``112 /QĐ-TTg`` all give ``112/QĐ-TTG``.
    """
    s = _norm(number).replace(" ", "").upper()
    return _YEAR_PART.sub("/", s)


def _period(v: Any, where: str) -> tuple[int, int]:
    if not (isinstance(v, (list, tuple)) and len(v) == 2 and all(isinstance(x, int) for x in v)):
        raise ProgrammeFileError(f"{where}: a period is a list of two years, got {v!r}")
    return int(v[0]), int(v[1])


# the keys a programme file may use, per level: anything else is a mistake (a misspelt key
# would otherwise be ignored silently)
PROGRAMME_KEYS = {"code", "title", "decisions", "issued_date", "issuer", "period", "phases", "keywords",
                  "min_mentions", "indicators"}
INDICATOR_KEYS = {"code", "label", "unit", "kind", "examples", "national"}
NATIONAL_KEYS = {"phase", "value", "comparator", "baseline_year", "quote", "source"}
EXAMPLE_KEYS = {"text", "source"}
COMPARATORS = {"at_least", "more_than", "at_most", "less_than", "equal", "increase_by", "decrease_by"}


# keys of older programme files whose values are now derived from the examples
DERIVED_KEYS = {"terms", "head", "min_score"}


def _check_keys(obj: Any, allowed: set[str], where: str) -> None:
    if not isinstance(obj, dict):
        raise ProgrammeFileError(f"{where}: expected a mapping, got {obj!r}")
    derived = sorted(set(obj) & DERIVED_KEYS - allowed)
    if derived:
        raise ProgrammeFileError(f"{where}: {', '.join(map(repr, derived))} no longer set by hand: term weights "
                                 f"and thresholds are derived from the indicator's examples (remove the key)")
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
            terms={},
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
    derive_weights(tuple(out))
    return tuple(out)


def load_programmes(folder: str | Path | None = None) -> tuple[Programme, ...]:
    """Every programme file in ``folder`` (default: $CHITIEU_PROGRAMMES or corpora/programmes)."""
    return _load(_resolved(None if folder is None else str(folder), os.environ.get(ENV_VAR), os.getcwd()))


@lru_cache(maxsize=64)
def _resolved(folder: str | None, env: str | None, cwd: str) -> str:
    """The programme folder's absolute path, resolved once per folder, $CHITIEU_PROGRAMMES and
    working directory (not once per document: resolving reads the file system)."""
    return str(programmes_dir(folder).resolve())


def get_programme(code: str | None, folder: str | Path | None = None) -> Programme | None:
    if not code:
        return None
    return next((p for p in load_programmes(folder) if p.code == code), None)


# Vocabulary of a programme in a text that neither cites it nor names it in its title (news,
# summaries): KEYWORD_POINTS for each mention of a programme keyword (at most
# MAX_KEYWORD_MENTIONS counted) plus VOCABULARY_POINTS times the programme's vocabulary coverage:
# the share of the programme's derived term weight (its examples against the other programmes'
# examples, the same log-odds as the indicators' terms; see ``derive_weights``) whose features
# occur in the text. A programme is taken when its score reaches the file's `min_mentions` ×
# KEYWORD_POINTS and VOCABULARY_MARGIN times the runner-up's: a keyword named twice, or once
# with a good share of the programme's vocabulary.
KEYWORD_POINTS = 3.0
MAX_KEYWORD_MENTIONS = 5
VOCABULARY_POINTS = 10.0
VOCABULARY_MARGIN = 1.5


@dataclass
class VocabularyScore:
    programme: Programme
    score: float
    keyword_mentions: int
    terms: list[str]
    coverage: float = 0.0

    def evidence(self) -> str:
        terms = ", ".join(self.terms[:5]) + (" …" if len(self.terms) > 5 else "")
        return (f"vocabulary score {self.score:.1f}: {self.keyword_mentions} programme keyword mention(s)"
                + (f"; {self.coverage:.0%} of its vocabulary: {terms}" if terms else ""))


def _document_syllables(text: str) -> list[str]:
    """The lower-case syllables (``_SYLLABLE`` runs) of ``normalize(text)``. A document's text is
    already normalized (cleaned normalized text), so it is read as it is, unless
    ``letters_already_normal`` says normalize could change a letter of it (clean can join the
    parts of a word around a ``**``): then normalized first, as before."""
    from chitieu.pipeline.normalize import letters_already_normal, normalize

    tokens = _SYLLABLE.findall(text.lower())
    if letters_already_normal(text, set(tokens)):
        return tokens
    return _SYLLABLE.findall(normalize(text).lower())


def vocabulary_scores(text: str, programmes: tuple[Programme, ...]) -> list[VocabularyScore]:
    """Each programme's vocabulary score on ``text``, best first."""
    # a whole document: normalized here, never through the phrase caches (_norm, features),
    # which would keep every document of a run in memory
    tokens = _document_syllables(text)
    flat = f" {' '.join(tokens)} "
    found = _document_features(tokens)
    out = []
    for p in programmes:
        keys, total = _vocabulary(p)
        mentions = sum(flat.count(k) for k in keys)
        present = {w: t for w, t in p.terms.items() if w in found}
        coverage = sum(present.values()) / total if total else 0.0
        score = KEYWORD_POINTS * min(mentions, MAX_KEYWORD_MENTIONS) + VOCABULARY_POINTS * coverage
        shown = sorted((w for w in present if " " in w), key=lambda w: (-present[w], w))
        out.append(VocabularyScore(p, score, mentions, shown, coverage))
    out.sort(key=lambda v: (-v.score, v.programme.code))
    return out


# ---- indicator vocabulary: term weights derived from the examples ------------------------------
# A phrase is represented by its syllable unigrams and bigrams (lower case, pipeline normal form):
# Vietnamese words are one to three syllables, so a word of two syllables is one bigram and one of
# three is two overlapping bigrams; no word segmenter is needed, for the examples or the targets.
# A number breaks the sequence (no bigram spans it) and is not a feature.
_SYLLABLE = regex.compile(r"[\p{L}\d]+")


def _features_of(norm_text: str) -> frozenset[str]:
    toks = _SYLLABLE.findall(norm_text)
    words = [t.isalpha() for t in toks]  # False for a token with a digit: a number
    uni = {t for t, w in zip(toks, words) if w}
    bi = {f"{a} {b}" for a, b, wa, wb in zip(toks, toks[1:], words, words[1:]) if wa and wb}
    return frozenset(uni | bi)


def _vocabulary(p: Programme) -> tuple[list[str], float]:
    """A programme's keywords as they are counted in a document's " syllable syllable " string, and
    the sum of its term weights (once per process, not once per document)."""
    if p.vocabulary is None:
        p.vocabulary = ([f" {' '.join(_SYLLABLE.findall(k))} " for k in p.keywords], sum(p.terms.values()))
    return p.vocabulary


def _document_features(tokens: list[str]) -> set[str]:
    """Every syllable and syllable pair of a whole document, numbers included (cheaper than
    :func:`_features_of` and the same for membership tests: no term contains a digit)."""
    return set(tokens) | set(map(" ".join, zip(tokens, tokens[1:])))


@lru_cache(maxsize=20000)
def features(phrase: str) -> frozenset[str]:
    """Syllable unigrams and bigrams of a short phrase (normalized, lower case); cached."""
    return _features_of(_norm(phrase))


# Term weights, derived from the example phrases (no hand weights): the log-odds of each feature
# of an indicator's examples against a reference, with an informative Dirichlet prior (Monroe,
# Colaresi & Quinn 2008, "Fightin' Words", in its probability form; the smoothing of Zhai &
# Lafferty's language models). For indicator i and feature w:
#   y_i(w)  the number of i's examples that contain w; n_i the sum of y_i over all features;
#   b_i(w)  the reference: GENERAL_SHARE × the frequency of w in general Vietnamese
#           (``background.tsv``, from wordfreq; BACKGROUND_FLOOR when not listed) plus
#           (1 − GENERAL_SHARE) × the share of w among the features of every OTHER indicator's
#           examples in the folder (all programmes), so the wording all plans share ("giảm tỷ lệ",
#           "trẻ em", "vào năm") counts as common;
#   p_i(w) = (y_i(w) + μ·b_i(w)) / (n_i + μ), μ = PRIOR_STRENGTH;
#   weight_i(w) = log(p_i(w) / b_i(w)).
# A feature of i's examples that neither general Vietnamese nor the other indicators use weighs
# most ("bồi dưỡng" +5.8, "khai sinh" +4.5), a common or shared one little or below zero ("trẻ
# em" +0.9, "cho" −0.2); a feature of the phrase that none of i's examples has costs
# log(μ / (n_i + μ)) (−0.2 to −1.3).
# A phrase's score for i is the sum over its features: the log-likelihood ratio of "the phrase
# states indicator i" against "the phrase is ordinary plan wording" (natural logs). Indicators
# with the target's unit and kind compete; the best one is taken when its score reaches its
# threshold, min(MIN_EVIDENCE, SELF_FRACTION × the score of its weakest example), and no other
# indicator ties. MIN_EVIDENCE was calibrated on labelled real phrases that are no example
# (``tests/data/indicator_phrases.yaml`` and the targets of the seeds and the real-world set):
# phrases that state no indicator of their programme score at most 17.3 ("giảm 5-10% số trẻ em
# bị tử vong và bị thương do tai nạn giao thông" against the drowning indicator), those that
# state one at least 23.8 (the injury rate "giảm tỷ lệ trẻ em bị tai nạn, thương tích").
# Programmes get weights one level up (``log_odds``: each programme's examples against the
# other programmes'), for detecting a programme by vocabulary.
PRIOR_STRENGTH = 100.0
GENERAL_SHARE = 0.5
MIN_EVIDENCE = 20.0  # between 17.3 and 23.8, see above
SELF_FRACTION = 0.8
BACKGROUND_FILE = "background.tsv"
BACKGROUND_HEADER = "# feature\tfrequency in general Vietnamese (wordfreq); written by scripts/programme_background.py"
BACKGROUND_FLOOR = 1e-7


@lru_cache(maxsize=1)
def background() -> dict[str, float]:
    """Feature -> frequency in general Vietnamese (``corpora/programmes/background.tsv``)."""
    return {w: float(f) for w, f in corpus_data("programmes/background.tsv")}


def log_odds(groups: list[Counter], prior_strength: float = PRIOR_STRENGTH) -> list[dict[str, float]]:
    """For each group of feature counts, the positive log-odds of each of its features against
    all the other groups pooled: log((y_i + μ·b) / (n_i + μ)) − log((y_r + μ·b) / (n_r + μ)),
    with y_r, n_r the counts of the other groups (the prior of the weights above)."""
    bg = background()
    pooled: Counter = Counter()
    for y in groups:
        pooled.update(y)
    total = sum(pooled.values())
    mu = prior_strength
    out = []
    for y in groups:
        n_i = sum(y.values())
        n_r = total - n_i
        terms = {}
        for w, y_i in y.items():
            a = mu * max(bg.get(w, 0.0), BACKGROUND_FLOOR)
            y_r = pooled[w] - y_i
            d = math.log((y_i + a) / (n_i + mu)) - math.log((y_r + a) / (n_r + mu))
            if d > 0:
                terms[w] = round(d, 3)
        out.append(terms)
    return out


def _counts(examples: list[Example]) -> Counter:
    y: Counter = Counter()
    for e in examples:
        y.update(features(e.text))
    return y


def indicator_weights(y: Counter, rest: Counter, prior_strength: float = PRIOR_STRENGTH,
                      general_share: float = GENERAL_SHARE) -> tuple[dict[str, float], float]:
    """The weight of each feature counted in ``y`` (one indicator's examples) against the
    reference b = general_share × general Vietnamese + (1 − general_share) × ``rest`` (the
    programme's other indicators' examples), and the (negative) weight of any other feature."""
    bg = background()
    n = sum(y.values())
    n_rest = sum(rest.values())
    mu = prior_strength
    terms = {}
    for w, c in y.items():
        b = general_share * max(bg.get(w, 0.0), BACKGROUND_FLOOR)
        if n_rest:
            b += (1 - general_share) * rest[w] / n_rest
        else:
            b /= general_share
        terms[w] = round(math.log((c + mu * b) / ((n + mu) * b)), 3)
    return terms, round(math.log(mu / (n + mu)), 3)


def derive_weights(programmes: tuple[Programme, ...]) -> None:
    """Set every indicator's ``terms``, ``unseen`` weight and ``threshold`` from its examples
    against its programme's other indicators and general Vietnamese (:func:`indicator_weights`),
    and every programme's ``terms`` (its examples against the other programmes', :func:`log_odds`)."""
    counts = {id(ind): _counts(ind.examples) for p in programmes for ind in p.indicators}
    everything = sum(counts.values(), Counter())
    by_programme = []
    for p in programmes:
        for ind in p.indicators:
            y = counts[id(ind)]
            ind.terms, ind.unseen = indicator_weights(y, everything - y)
            weakest = min((sum(ind.terms[w] for w in features(e.text)) for e in ind.examples), default=0.0)
            ind.threshold = round(min(MIN_EVIDENCE, SELF_FRACTION * weakest), 3)
        by_programme.append(sum((counts[id(ind)] for ind in p.indicators), Counter()))
    for p, terms in zip(programmes, log_odds(by_programme)):
        p.terms = terms


def segment(phrase: str) -> tuple[str, ...]:
    """Lower-case words of a short phrase, multi-syllable words joined by one space (underthesea
    ``word_tokenize``, imported on first use); punctuation dropped. Cached. Not used by the
    indicator scoring (syllable n-grams need no segmenter); kept for callers that need words."""
    return _segment(phrase)


@lru_cache(maxsize=20000)
def _segment(phrase: str) -> tuple[str, ...]:
    from underthesea import word_tokenize

    return tuple(w.lower() for w in word_tokenize(phrase) if _WORDLIKE.search(w))


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


MAX_PHRASE_CHARS = 400


def _clip(phrase: str) -> str:
    """At most MAX_PHRASE_CHARS: the start and the end of a long phrase (cut at spaces)."""
    phrase = _SPACES.sub(" ", phrase).strip()
    if len(phrase) > MAX_PHRASE_CHARS:
        half = MAX_PHRASE_CHARS // 2
        a = phrase.rfind(" ", 0, half)
        b = phrase.find(" ", len(phrase) - half)
        phrase = phrase[: a if a > 0 else half] + " … " + phrase[b + 1 if b > 0 else len(phrase) - half:]
    return phrase


@dataclass
class _Scorer:
    """The indicators of a programme that compete for one unit and kind, with their weights
    inverted by feature: a phrase's scores cost one look-up per feature of the phrase, not one per
    feature and indicator. Weights are whole thousandths (``indicator_weights`` rounds them to 3
    places), so the scores are summed exactly in integer thousandths: the same numbers as summing
    the floats and rounding to 3 places."""
    cands: list  # the competing indicators
    unseen: list[int]  # each one's weight of a feature none of its examples has, in thousandths
    delta: dict[str, list[tuple[int, int]]]  # feature -> (indicator, its weight − unseen, thousandths)
    positive: dict[str, list[tuple[int, float]]]  # feature -> (indicator, its weight) where > 0


def _milli(w: float) -> int | None:
    m = round(w * 1000)
    return m if abs(w * 1000 - m) < 1e-6 else None


def _scorer(programme: Programme, unit: str, kind: str) -> _Scorer | None:
    """The competing indicators of ``programme`` for ``unit`` and ``kind``, indexed once per process;
    None when a weight is not a whole thousandth (weights set by hand), scored the plain way."""
    key = (unit, kind)
    if key not in programme.scorers:
        cands = [i for i in programme.indicators if same_unit(i.unit, unit) and i.kind == kind]
        unseen = [_milli(i.unseen) for i in cands]
        delta: dict[str, list[tuple[int, int]]] = {}
        positive: dict[str, list[tuple[int, float]]] = {}
        exact = None not in unseen
        for k, ind in enumerate(cands):
            for w, t in ind.terms.items():
                m = _milli(t)
                exact = exact and m is not None
                if exact:
                    delta.setdefault(w, []).append((k, m - unseen[k]))
                if t > 0:
                    positive.setdefault(w, []).append((k, t))
        programme.scorers[key] = _Scorer(cands, unseen, delta, positive) if exact else None
    return programme.scorers[key]


MAX_SCORED = 4096  # phrases whose match a programme keeps (then it starts again)


@lru_cache(maxsize=4096)
def _phrase_features(phrase: str) -> frozenset[str]:
    """The features of a phrase as scored (clipped); cached by the phrase as given."""
    return features(_clip(phrase))


def score_indicator(programme: Programme | None, phrase: str, *, head: str = "", unit: str = "%",
                    comparator: str = "at_least") -> IndicatorMatch:
    """Score every indicator of ``programme`` on ``phrase`` (what the target measures): the sum
    of the derived weights of the phrase's syllable unigrams and bigrams (see ``PRIOR_STRENGTH``;
    ``head``, the words right after the number, is part of the phrase and needs no extra weight;
    the keyword stays for callers). Only indicators with the same unit and kind (a level, or a
    change "tăng 20% so với năm 2020") compete. Below the indicator's threshold, or when two
    indicators tie, the result is ``other`` with the best candidate kept.

    A phrase is scored once per process and programme: the match is kept by the phrase's features
    (numbers are no feature, so "đạt 90%" and "đạt 95%" of the same words share it)."""
    if programme is None:
        return IndicatorMatch("other", 0.0, None, 0.0, "no programme")
    kind = "change" if comparator in ("increase_by", "decrease_by") else "level"
    scorer = _scorer(programme, unit, kind)
    if scorer is not None and not scorer.cands:
        return IndicatorMatch("other", 0.0, None, 0.0, f"no {kind} indicator in {unit}")
    fs = _phrase_features(phrase)
    key = (fs, unit, kind)
    got = programme.scored.get(key)
    if got is None:
        if len(programme.scored) >= MAX_SCORED:
            programme.scored.clear()
        got = programme.scored[key] = _score(programme, fs, unit, kind)
    return got


def _score(programme: Programme, fs: frozenset[str], unit: str, kind: str) -> IndicatorMatch:
    scorer = _scorer(programme, unit, kind)
    if scorer is None:
        return _score_plain(programme, fs, unit, kind)
    cands = scorer.cands
    if not cands:
        return IndicatorMatch("other", 0.0, None, 0.0, f"no {kind} indicator in {unit}")
    n = len(fs)
    milli = [u * n for u in scorer.unseen]
    vocabulary = False
    for w in fs:
        for k, d in scorer.delta.get(w, ()):
            milli[k] += d
        vocabulary = vocabulary or w in scorer.positive
    if not vocabulary:
        return IndicatorMatch("other", 0.0, None, 0.0, "no indicator vocabulary in the phrase")
    # a zero sum keeps the sign the float sum rounds to ("-0" in a note)
    scored = sorted(((m / 1000 if m else round(sum(ind.terms.get(w, ind.unseen) for w in fs), 3), ind.code)
                     for m, ind in zip(milli, cands)), key=lambda x: (-x[0], x[1]))

    def shared() -> dict[str, float]:
        # the positive weights of the phrase's features, added in the order of the plain sum
        total = [0] * len(cands)
        for w in fs:
            for k, t in scorer.positive.get(w, ()):
                total[k] += t
        return {ind.code: t for ind, t in zip(cands, total)}

    return _decide(cands, scored, shared)


def _score_plain(programme: Programme, fs: frozenset[str], unit: str, kind: str) -> IndicatorMatch:
    """The scores summed feature by feature, for weights that are not whole thousandths."""
    cands = [i for i in programme.indicators if same_unit(i.unit, unit) and i.kind == kind]
    if not cands:
        return IndicatorMatch("other", 0.0, None, 0.0, f"no {kind} indicator in {unit}")
    scored = sorted(((round(sum(ind.terms.get(w, ind.unseen) for w in fs), 3), ind.code) for ind in cands),
                    key=lambda x: (-x[0], x[1]))
    if not any(ind.terms.get(w, 0.0) > 0 for ind in cands for w in fs):
        return IndicatorMatch("other", 0.0, None, 0.0, "no indicator vocabulary in the phrase")
    return _decide(cands, scored, lambda: {i.code: sum(max(i.terms.get(w, 0.0), 0.0) for w in fs) for i in cands})


def _decide(cands: list, scored: list[tuple[float, str]], shared) -> IndicatorMatch:
    """The best indicator when it reaches its threshold and no other ties, else ``other``."""
    best_score, best = scored[0]
    second = scored[1][0] if len(scored) > 1 else 0.0
    need = next(i.threshold for i in cands if i.code == best)
    if best_score < need:
        # the candidate a reader should check: the indicator sharing the most vocabulary with the
        # phrase (the score also counts what the phrase says beyond it)
        share = shared()
        cand_score, cand = max(scored, key=lambda x: (share[x[1]], x[0]))
        return IndicatorMatch("other", best_score, cand, cand_score,
                              f"best candidate {cand} (score {cand_score:g}, needs {need:g})")
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
