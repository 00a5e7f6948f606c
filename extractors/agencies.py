"""Agencies: who is made responsible, and how (lead, coordinate, focal).

One row per agency given an explicit role in a block of text (an activity, a responsibility
heading). Roles come from three kinds of wording (phrases in ``corpora/agencies/roles.yaml``):

- field labels: ``Cơ quan chủ trì: Sở Y tế`` / ``Cơ quan phối hợp thực hiện: Các Sở, ngành liên
  quan, Ủy ban nhân dân các xã, phường`` (one row per named member of the list); under
  ``Cơ quan thực hiện: Sở A chủ trì, phối hợp với B, C`` the agencies after "phối hợp với"
  coordinate;
- an agency (or list) followed by a role verb: ``Sở Tư pháp: Chủ trì, ...``, ``giao Công an
  huyện chủ trì``, ``giao phòng Lao động - Thương binh và Xã hội làm cơ quan đầu mối``,
  ``Sở A, Báo B, Đài C phối hợp ...``;
- a responsibility heading that names the agency (``8. Sở Y tế``, ``11. Đề nghị Ủy ban Mặt trận
  Tổ quốc Việt Nam tỉnh và các tổ chức thành viên``) with a role verb opening a clause in the
  text under it (``Chủ trì, phối hợp ...``, ``Phối hợp ...``, ``Là cơ quan thường trực ...``).

The object of "phối hợp với" in a duty statement gets no role (``Sở Nội vụ: Phối hợp với Sở Lao
động ...`` is a role of Sở Nội vụ only), nor do "Chỉ đạo ...", "tham gia ..." or a name in a
parenthesis. An assignment without a role verb ("giao Phòng … theo dõi", the clauses of a "yêu cầu"
sentence, the items under "Điều 2. Giao:") and a responsibility ("… chịu trách nhiệm đôn đốc") are
lead; a role in a sentence that reports a dated event or a result ("Ngày 30-11, Bộ … phối hợp …") is
none. Within one block an agency keeps its strongest role (lead > focal > coordinate).
Unnamed groups ("các Sở, ngành liên quan", "báo, đài") split lists but are not stored.

Names are canonicalised with ``corpora/agencies/aliases.yaml`` (areas x heads, fixed bodies with
their level word, abbreviations, typos); unseen names of a known shape ("Báo Đắk Nông") are kept
as written. The names of a document are found once, as its ``agency_mentions`` layer
(``doc.layer("agency_mentions")``), which ``extractors.reporting`` reads for recipients.
"""
from __future__ import annotations

import re
import unicodedata
from bisect import bisect_left, bisect_right
from dataclasses import dataclass
from functools import cached_property, lru_cache
from itertools import chain
from typing import Any, Iterator

import ahocorasick
import regex

from chitieu.pipeline.corpus import corpus_data
from chitieu.extractors import layer, table, view
from chitieu.pipeline.evidence import span
from chitieu.pipeline.patterns import FirstWords, finditer_at, lazy_compile, on_demand
from chitieu.extractors._table_agencies import table_hits
from chitieu.pipeline.cache import cached
from chitieu.pipeline.data import corpus_dir
from chitieu.pipeline.structure import MATCH_TIMEOUT, DocumentMeta, scan_timeout

DATA = corpus_dir("agencies")
TIMEOUT = MATCH_TIMEOUT

OLD_TONES = {"oá": "óa", "oà": "òa", "oả": "ỏa", "oã": "õa", "oạ": "ọa",
             "oé": "óe", "oè": "òe", "oẻ": "ỏe", "oẽ": "õe", "oẹ": "ọe",
             "uý": "úy", "uỳ": "ùy", "uỷ": "ủy", "uỹ": "ũy", "uỵ": "ụy"}
# the old-style pairs as one class per first letter ("o[áàảãạ…]|u[ýỳ…]"): ``regex`` scans a
# character class much faster than an alternation behind a look-behind; "q" is checked after
# the pair ("quý" keeps its marks)
_OLD = regex.compile("(?:" + "|".join(
    f"{first}[{''.join(sorted(k[1] for k in OLD_TONES if k[0] == first))}]" for first in sorted({k[0] for k in OLD_TONES}))
    + r")(?!\w)(?<!q..)")
_DASHES = "‐‑‒–—―−"


# ---- records ----------------------------------------------------------------------------
@dataclass
class Agency:
    name: str  # canonical name ("Sở Lao động - Thương binh và Xã hội", "UBND các xã, phường")
    name_raw: str  # as written ("Sở LĐ-TB&XH", "Ủy ban nhân dân các xã, phường")
    role: str  # lead | coordinate | focal
    level: str | None  # national | province | district | commune | all (from the name or the issuer)
    section: str | None  # label of the section holding the role statement ("II.1.3")
    task: str | None  # the activity or duty the role is about
    successor: str | None  # for bodies dissolved in 2025: the agencies that took over ("Sở Nội vụ; Sở Y tế")
    quote: str
    char_start: int
    char_end: int


@dataclass(frozen=True)
class Mention:
    start: int
    end: int
    raw: str
    name: str | None  # canonical; None for an unnamed group ("các sở, ngành liên quan")
    level: str | None = None
    successor: str | None = None
    # shorter names of the same body that a document may also write: ("UBND tỉnh", "UBND") for
    # "UBND tỉnh Gia Lai"; ("Ngân hàng Chính sách xã hội",) for "... xã hội tỉnh"
    aka: tuple[str, ...] = ()

    @property
    def generic(self) -> bool:
        return self.name is None


# ---- text folding -------------------------------------------------------------------------
def shadow(text: str) -> str:
    """Same-length folded copy of ``text``: lower case, new-style tone marks, one dash."""
    s = unicodedata.normalize("NFC", text) if not unicodedata.is_normalized("NFC", text) else text
    low = s.lower()
    if len(low) != len(s):
        low = "".join(c.lower() if len(c.lower()) == 1 else c for c in s)
    low = _OLD.sub(lambda m: OLD_TONES[m.group(0)], low)
    for dash in _DASHES:  # most texts hold one or two kinds of dash: a test and a replace each
        if dash in low:
            low = low.replace(dash, "-")
    return low


_SEP_SPACES = regex.compile(r"\s*([-,&/])\s*")
_SPACES = regex.compile(r"\s+")
_LOOSE = regex.compile(r"[\s,\-]+")


@lru_cache(maxsize=8192)
def norm_key(s: str) -> str:
    """Folded key of a name: shadow, one space, no spaces around - , & /. Cached: the same
    heads, level words and cues come back all the time."""
    s = _SEP_SPACES.sub(r"\1", shadow(s))
    return _SPACES.sub(" ", s).strip(" .;:")


@lru_cache(maxsize=4096)
def loose_key(s: str) -> str:
    """Key that ignores the separators the patterns allow: "văn hóa, thể thao" = "văn hóa thể thao"."""
    return _LOOSE.sub("", norm_key(s))


def _alias_pattern(alias: str) -> str:
    parts = []
    for tok in regex.split(r"([-,&/ ])", norm_key(alias)):
        if tok in (" ", "-", ","):
            parts.append(r"(?:\s*[-,]\s*|\s+)")
        elif tok in ("&", "/"):
            parts.append(rf"\s*{regex.escape(tok)}\s*")
        elif tok:
            parts.append(regex.escape(tok))
    return "".join(parts)


def _alternation(aliases) -> str:
    keys = sorted({norm_key(a) for a in aliases}, key=lambda k: (-len(k), k))
    return "|".join(_alias_pattern(k) for k in keys)


# ---- data ---------------------------------------------------------------------------------
@lru_cache(maxsize=1)
def alias_data() -> dict:
    return corpus_data("agencies/aliases.yaml")


@lru_cache(maxsize=1)
def role_data() -> dict:
    return corpus_data("agencies/roles.yaml")


@dataclass
class _Gazetteer:
    firsts: frozenset  # folded first words of every name (heads and fixed names): where a name can start
    first_words: ahocorasick.Automaton  # ``firsts``, found in one linear pass over the folded text
    fixed_by_first: dict[str, regex.Pattern]  # the fixed names, one small alternation per first word
    area_by_first: dict[str, regex.Pattern]  # the area names, one small alternation per first word
    area_of: dict[str, dict]  # folded alias -> area entry
    fixed_of: dict[str, dict]  # folded alias -> agency entry
    heads: dict[str, str]  # folded head -> head as written in canonical names
    head_level: dict[str, str]
    level_re: regex.Pattern
    level_of: dict[str, str]
    shape: regex.Pattern
    shape_hint: re.Pattern  # the shape heads as plain text: where ``shape`` can match
    generic: regex.Pattern
    generic_hint: re.Pattern  # every place ``generic`` can match at (and more), as one scan (tests)
    separators: regex.Pattern
    head_plural: regex.Pattern  # "các Sở:", "các sở, ngành:" before a list of bare areas
    area_re: regex.Pattern  # one area name, on the shadow text (compiled on first use)
    area_sep: regex.Pattern  # between the areas of a headless list
    shape_heads: tuple[str, ...]  # the shape heads as written ("Báo", "Trung tâm")
    group_nouns: ahocorasick.Automaton  # the group nouns: every ``generic`` match holds one
    group_openers: tuple[str, ...]  # the words that open a group ("các", "thủ trưởng các")
    list_gap: regex.Pattern  # what can stand between the members of a list (``separators``), loosely
    gap_words: tuple[str, ...]  # the words of ``separators`` ("và", "cùng", the person titles' words)
    group_starts_after: frozenset  # the last letters of the openers and joining words


def _group_openers() -> tuple[str, ...]:
    """The words that open an unnamed group ("các sở, ngành"), in the order ``generic`` tries them
    (``roles.yaml`` ``group_openers``)."""
    return tuple(role_data()["group_openers"])


@lru_cache(maxsize=1)
def gazetteer() -> _Gazetteer:
    d = alias_data()
    r = role_data()
    area_of, fixed_of = {}, {}
    area_aliases, fixed_aliases = [], []
    for a in d["areas"]:
        for alias in [a["name"], *(a.get("aliases") or [])]:
            area_aliases.append(alias)
            area_of[loose_key(alias)] = a
    for a in d["agencies"]:
        for alias in [a["name"], *(a.get("aliases") or [])]:
            fixed_aliases.append(alias)
            fixed_of[loose_key(alias)] = a
    heads = {norm_key(h): h for h in d["heads"]}
    head_alt = "|".join(regex.escape(h) for h in sorted(heads, key=len, reverse=True))
    firsts = set(heads)
    for alias in fixed_aliases:
        firsts.add(regex.split(r"[-,&/ ]", norm_key(alias))[0])
    level_of = {norm_key(k): v for k, v in d["level_words"].items()}
    lv_alt = "|".join(_alias_pattern(k) + (r"(?!\s+hội)" if k == "xã" else "")
                      for k in sorted(level_of, key=len, reverse=True))
    pre_alt = "|".join(regex.escape(norm_key(p)) for p in d.get("level_prefixes") or [])
    inf_alt = "|".join(_alias_pattern(norm_key(p)) for p in d.get("level_infixes") or []) or "(?!)"
    tail_alt = "|".join(_alias_pattern(norm_key(t)) for t in d.get("level_tails") or []) or "(?!)"
    level_re = regex.compile(
        rf"\s+(?:(?:{inf_alt})\s+)?(?:(?P<pre>{pre_alt})\s+)?(?P<lv>{lv_alt})(?![\w])"
        rf"(?:\s*(?:,|/|và)\s*(?P<lv>{lv_alt})(?![\w]))*"
        rf"(?:\s+(?P<tail>{tail_alt})(?![\w]))?"
    )
    shape_heads = "|".join(regex.escape(h) for h in sorted(d["shape_heads"], key=len, reverse=True))
    stop = "|".join(regex.escape(w) for w in r.get("name_stop_words") or []) or "(?!)"
    word = rf"(?:\p{{Lu}}[\p{{L}}]*(?:[ \t]+(?!(?:{stop})(?![\w]))\p{{Ll}}+){{0,4}})"
    sep = rf"(?:[ \t]*-[ \t]*|[ \t]+và[ \t]+(?!(?:{shape_heads})\b)|[ \t]+)"
    cue_alt = "|".join(_alias_pattern(c) for role in r["cues"].values() for c in role)
    shape = regex.compile(
        rf"(?<![\w])(?P<head>{shape_heads})[ \t]+(?P<body>{word}(?:{sep}{word}){{0,8}})"
        rf"(?=[ \t]*(?:[:,;.()/\n]|$|và\s|(?i:{cue_alt})(?![\w])))"
    )
    shape_hint = re.compile("|".join(re.escape(h) for h in sorted(d["shape_heads"], key=len, reverse=True)))
    nouns = "|".join(regex.escape(norm_key(n)) for n in sorted(r["generic_nouns"], key=len, reverse=True))
    not_generic = "|".join(_alias_pattern(p) for p in r.get("generic_not") or []) or "(?!)"
    # a group starts with "các ..." or stands in a list (after , / : và cùng)
    openers = "|".join(regex.escape(o) for o in _group_openers())
    generic = regex.compile(
        rf"(?:(?<![\w])(?:{openers})\s+|(?<=(?:[,/:]|(?<![\w])(?:{_JOINS}))\s*))"
        rf"(?!(?:{not_generic})(?![\w]))(?:{nouns})(?![\w])"
        rf"(?:[ \t]+(?!(?:và|cùng|chủ|phối|làm|là)(?![\w]))[^\s,;:/.()]+){{0,8}}"
    )
    # ``generic`` without its word-boundary checks, as a zero-width test at every position (stdlib
    # ``re`` scans this about three times faster): a group opener with its noun, or a list
    # separator whose noun (group ``n``) is where a match starts. ``re``'s \s covers ``regex``'s.
    generic_hint = re.compile(
        rf"(?=(?:{openers})\s+(?:{nouns})|(?:[,/:]|{_JOINS})\s*(?P<n>)(?:{nouns}))"
    )
    # a person title may stand before the next member: "..., Chủ tịch UBND các huyện"
    titles = _titles_alternation()
    separators = regex.compile(rf"\s*(?:,|;|/|&|{_JOINS})(?:\s*và)?\s*(?:(?i:{titles})\s+)?")
    head_plural = regex.compile(
        rf"(?<![\w])các\s+(?P<head>{head_alt})(?:\s*,\s*(?:ban|ngành|đoàn thể))*(?:\s*:\s*|\s+)")
    area_re = lazy_compile(rf"(?:{_alternation(area_aliases)})(?![\w&])")  # only after "các Sở:"
    area_sep = regex.compile(r"\s*(?:,|;|và)\s*(?:và\s+)?")
    return _Gazetteer(frozenset(firsts), _automaton(firsts), _by_first_word(fixed_aliases), _by_first_word(area_aliases), area_of, fixed_of, heads, d["heads"], level_re, level_of, shape,
                      shape_hint, generic, generic_hint, separators, head_plural, area_re, area_sep,
                      tuple(d["shape_heads"]), _automaton(norm_key(n) for n in r["generic_nouns"]),
                      _group_openers(), *_list_gap(),
                      frozenset(w[-1] for w in (*_group_openers(), *_JOIN_WORDS)))


# the words that join the members of a list ("Sở A và Sở B", "Sở A cùng Sở B"), as in ``separators``
_JOINS = "và|cùng"
_JOIN_WORDS = tuple(_JOINS.split("|"))


def _list_gap() -> tuple[regex.Pattern, tuple[str, ...]]:
    """``list_gap``: any run of what ``separators`` is made of (spaces, ``,;/&``, "và", "cùng",
    the words of a person title, a dash before one), on the folded text. Every separator is such a
    run, and the run from a given offset is read one way only (no word of a title starts another),
    so where ``list_gap`` stops from the end of a name no separator can reach further. With the
    words themselves (``gap_words``) it tells where a list may run on past a line."""
    titles = role_data().get("person_titles") or []
    words = sorted({w for t in titles for w in regex.split(r"[-,&/ ]", norm_key(t)) if w}, key=len, reverse=True)
    word = "|".join(regex.escape(w) for w in words) or "(?!)"
    gap = regex.compile(rf"(?:\s|[,;/&]|(?:{word})(?![\w])|{_JOINS}|-(?=\s*(?:{word})(?![\w])))*", regex.I)
    return gap, (*_JOIN_WORDS, *words)


@lru_cache(maxsize=1)
def _titles_alternation() -> str:
    """Person titles ("Giám đốc", "Chủ tịch") as an alternation over folded text."""
    return "|".join(_alias_pattern(t) for t in sorted(role_data().get("person_titles") or [], key=len, reverse=True)) or "(?!)"



# ---- canonical names ------------------------------------------------------------------------
def issuer_level_word(meta: DocumentMeta | None) -> str | None:
    """The level word of the issuing authority: "UBND huyện An Lão" -> "huyện"."""
    if not meta:
        return None
    return _issuer_level_word(meta.issuer or "", meta.admin_level or "")


@lru_cache(maxsize=256)
def _issuer_level_word(issuer: str, admin_level: str) -> str | None:
    g = gazetteer()
    if issuer:
        folded = shadow(issuer)
        best = None
        for key in g.level_of:
            if g.level_of[key] == "all" or key.startswith("cấp"):
                continue
            m = regex.search(rf"(?<![\w]){regex.escape(key)}(?![\w])", folded)
            if m and (best is None or m.start() < best[0]):
                best = (m.start(), key)
        if best:
            return best[1]
    return {"province": "tỉnh", "district": "huyện", "commune": "xã"}.get(admin_level)


def _successor(area: dict, head: str) -> str | None:
    succ = area.get("successor")
    if not succ:
        return None
    heads = area.get("heads") or []
    return "; ".join(f"{head} {s}" if head in heads else s for s in succ)


_PLACE = regex.compile(r"[ \t]+(\p{Lu}[\p{Ll}]*(?:[ \t]+\p{Lu}[\p{Ll}]*){0,3})(?![\w])")


@lru_cache(maxsize=1)
def _place_names() -> frozenset:
    """Folded names of every province and unit of ``corpora/gazetteer`` ("gia lai", "an lão"),
    kept on disk between runs (``pipeline.cache``)."""
    return cached("agencies-place-names", _build_place_names)


def _build_place_names() -> frozenset:
    names = {row["short"] for row in corpus_data("gazetteer/provinces.csv")}
    names.update(row["name"] for row in corpus_data("gazetteer/units.csv"))
    return frozenset(_norm_keys(names))


def _norm_keys(names) -> list[str]:
    """``norm_key`` of many names in one pass over them joined by NUL (which no folding step or
    ``\\s`` touches), not one cached call each."""
    joined = _SPACES.sub(" ", _SEP_SPACES.sub(r"\1", shadow("\0".join(names))))
    return [s.strip(" .;:") for s in joined.split("\0")]


def _written_place(text: str, pos: int, end: int) -> str | None:
    """The place in text[pos:end] (as given by ``_place_after``) when it starts with a known
    unit name: "Gia Lai" in "UBND tỉnh Gia Lai"; the longest known prefix of the words."""
    words = text[pos:end].split()
    for k in range(len(words), 0, -1):
        cand = " ".join(words[:k])
        if norm_key(cand) in _place_names():
            return cand
    return None


def _place_after(text: str, pos: int) -> int:
    """End of a capitalised place name written right after ``pos`` on the same line, else pos."""
    m = _PLACE.match(text[pos:pos + 60])
    if not m:
        return pos
    first = m.group(1).split()[0]
    if first in alias_data()["shape_heads"] or norm_key(first) in gazetteer().heads \
            or norm_key(first) in _stop_words():
        return pos
    return pos + m.end()


def _by_first_word(aliases: list[str]) -> "_PatternsByWord":
    """One alternation per first word of the names (longest first, as in ``pattern``): at a
    candidate only the few names that start with its word are tried, not every name."""
    groups: dict[str, list[str]] = {}
    for alias in aliases:
        groups.setdefault(regex.split(r"[-,&/ ]", norm_key(alias))[0], []).append(alias)
    return _PatternsByWord(groups)


class _PatternsByWord:
    """First word -> the alternation of its names, compiled when a text first holds that word:
    compiling all ~100 took a fifth of a one-file run's start-up, and a plan names a few."""

    def __init__(self, groups: dict[str, list[str]]) -> None:
        self._groups = groups
        self._compiled: dict[str, regex.Pattern] = {}
        on_demand(self)  # compiled before --jobs forks its workers (pipeline.patterns.compile_all)

    def get(self, word: str) -> regex.Pattern | None:
        pat = self._compiled.get(word)
        if pat is None and word in self._groups:
            pat = self._compiled[word] = regex.compile(rf"(?:{_alternation(self._groups[word])})(?![\w&])")
        return pat

    def __contains__(self, word: str) -> bool:
        return word in self._groups

    def compile_all(self) -> None:
        for word in self._groups:
            self.get(word)


_NEXT_WORD = regex.compile(r"\s+(\p{L}+)")


def _match_at(g: _Gazetteer, folded: str, start: int, end: int, word: str) -> tuple[int, int] | None:
    """(end, area start) of the name starting with the word folded[start:end]: a head and an area
    ("sở" + "y tế"; area start > 0), else a fixed name (the longest name of that first word that
    matches, as one alternation of every name would give; area start -1)."""
    if word in g.heads:
        nxt = _NEXT_WORD.match(folded, end)
        area_re = g.area_by_first.get(nxt.group(1)) if nxt else None
        am = area_re.match(folded, nxt.start(1), timeout=TIMEOUT) if area_re else None
        if am:
            return am.end(), am.start()
    fixed_re = g.fixed_by_first.get(word)
    fm = fixed_re.match(folded, start, timeout=TIMEOUT) if fixed_re else None
    return (fm.end(), -1) if fm else None


def _automaton(words) -> ahocorasick.Automaton:
    """An Aho-Corasick automaton of ``words`` (each word is its own value)."""
    auto = ahocorasick.Automaton()
    for w in words:
        auto.add_word(w, w)
    auto.make_automaton()
    return auto


def _gazetteer_candidates(g: _Gazetteer, text: str, folded: str) -> Iterator[tuple[int, int, str]]:
    """(start, end, word) of every whole word that is the first word of a name and is capitalised
    (or a head: "giao phòng Lao động …"): one Aho-Corasick pass over the folded text, linear in its
    length with no backtracking (so no regex time limit is needed). Most first words found are
    written in lower case ("xã hội", "công tác"): that test comes first."""
    n = len(folded)
    heads = g.heads
    for last, word in g.first_words.iter(folded):
        start = last - len(word) + 1
        if not (text[start].isupper() or word in heads):
            continue
        if start and (folded[start - 1].isalnum() or folded[start - 1] in "_&"):
            continue  # inside a word
        if last + 1 < n and folded[last + 1].isalpha():
            continue  # the start of a longer word
        yield start, last + 1, word


def _gazetteer_matches(g: _Gazetteer, text: str, folded: str) -> Iterator[tuple[int, int, int]]:
    """(start, end, area start) of the non-overlapping gazetteer matches (``_match_at``), tried
    only where a name can start, and there only the names of that first word."""
    pos = 0
    for start, end, word in _gazetteer_candidates(g, text, folded):
        if start < pos:
            continue
        m = _match_at(g, folded, start, end, word)
        if m:
            pos, area = m
            yield start, pos, area


def _shape_matches(g: _Gazetteer, text: str) -> Iterator[regex.Match]:
    """The matches of ``g.shape.finditer(text)``, tried only where a shape head is written
    (every occurrence, overlapping ones included: one plain-text search per occurrence)."""
    pos = 0
    h = g.shape_hint.search(text)
    while h is not None:
        at = h.start()
        if at >= pos and _shape_may_start(g, text, at, h.group()):
            m = g.shape.match(text, at, timeout=TIMEOUT)
            if m:
                yield m
                pos = m.end()
        h = g.shape_hint.search(text, at + 1)


def _shape_may_start(g: _Gazetteer, text: str, at: int, longest: str) -> bool:
    """Is a shape head written at ``at`` (``longest``: the longest one written there) followed by
    spaces and a capital, as ``shape`` needs (``[ \\t]+`` then a word opening with ``\\p{Lu}``,
    which ``str.isupper`` accepts)? Most head words are not ("Hội nghị", "Ban hành", "Báo cáo"):
    a few string tests instead of a match."""
    n = len(text)
    for head in _heads_within(longest):
        j = at + len(head)
        if j < n and text[j] in " \t":
            while j < n and text[j] in " \t":
                j += 1
            if j < n and text[j].isupper():
                return True
    return False


@lru_cache(maxsize=None)
def _heads_within(longest: str) -> tuple[str, ...]:
    """The shape heads that ``longest`` starts with (itself included), in data order: the heads
    written at a place where ``longest`` is."""
    return tuple(h for h in gazetteer().shape_heads if longest.startswith(h))


def _generic_starts(g: _Gazetteer, folded: str, start: int = 0, end: int | None = None) -> list[int]:
    """Where a group can start in folded[start:end]: the offsets ``g.generic_hint`` gives
    (tested), found from the group nouns (one Aho-Corasick pass) instead of a look-ahead tried at
    every offset. A noun after a list separator (", / :", "và", "cùng", spaces between) starts a
    group; a noun after an opener ("các", "thủ trưởng các") and spaces makes the opener's offset a
    start. Most nouns follow a word that is neither ("xã hội", "cơ sở"): its last letter, which no
    joining word or opener ends with, settles them with one set test."""
    starts = set()
    ends_before = g.group_starts_after
    # a slice, not ``iter(folded, start, end)``: pyahocorasick reads the whole string on each call
    part = folded[start:end] if start or end is not None else folded
    for last, noun in g.group_nouns.iter(part):
        q = start + last - len(noun) + 1
        j = q
        while j and folded[j - 1].isspace():  # (``re``'s \s is str.isspace)
            j -= 1
        if not j:
            continue
        c = folded[j - 1]
        if c in ",/:":
            starts.add(q)
        elif c in ends_before:
            if folded.endswith(_JOIN_WORDS, 0, j):
                starts.add(q)
            if j < q:
                for opener in g.group_openers:
                    if folded.endswith(opener, 0, j):
                        starts.add(j - len(opener))
    return sorted(starts)


def _generic_matches(g: _Gazetteer, folded: str) -> Iterator[regex.Match]:
    """The matches of ``g.generic.finditer(folded)``, tried only where a group can start
    (``_generic_starts``)."""
    return _groups_from(g, folded, _generic_starts(g, folded), 0)


def _groups_from(g: _Gazetteer, folded: str, starts: list[int], pos: int) -> Iterator[regex.Match]:
    """The matches of ``g.generic`` at the sorted ``starts``, each tried after the end ``pos`` of
    the last one (as ``finditer`` does)."""
    for at in starts:
        if at < pos:
            continue
        m = g.generic.match(folded, at, timeout=TIMEOUT)
        if m:
            yield m
            pos = m.end()


class _Taken:
    """Non-overlapping spans kept sorted, for overlap tests in O(log n)."""

    def __init__(self) -> None:
        self.starts: list[int] = []
        self.ends: list[int] = []

    def overlaps(self, start: int, end: int) -> bool:
        i = bisect_right(self.starts, start)
        if i > 0 and self.ends[i - 1] > start:
            return True
        return i < len(self.starts) and self.starts[i] < end

    def add(self, start: int, end: int) -> None:
        i = bisect_right(self.starts, start)
        self.starts.insert(i, start)
        self.ends.insert(i, end)


@lru_cache(maxsize=1)
def _head_blockers() -> frozenset:
    return frozenset(norm_key(w) for w in alias_data().get("lowercase_head_blockers") or [])


_LAST_WORD = regex.compile(r"(\w+)\s+$")


def _word_before(folded: str, pos: int) -> str:
    m = _LAST_WORD.search(folded, max(0, pos - 20), pos)
    return m.group(1) if m else ""


@lru_cache(maxsize=1)
def _stop_words() -> frozenset:
    return frozenset(norm_key(w) for w in role_data().get("name_stop_words") or [])


def find_mentions(text: str, meta: DocumentMeta | None = None, folded: str | None = None,
                  groups: bool = True) -> list[Mention]:
    """Agencies named in ``text`` (gazetteer, then shapes), and unless ``groups`` is false every
    unnamed group, in order."""
    g = gazetteer()
    folded = shadow(text) if folded is None else folded
    named, taken = _named_mentions(g, text, folded, meta)
    if not groups:
        return named
    return _in_order(named + _kept_groups(text, _generic_matches(g, folded), taken))


def _in_order(mentions: list[Mention]) -> list[Mention]:
    mentions.sort(key=lambda x: (x.start, -x.end))
    return mentions


def _named_mentions(g: _Gazetteer, text: str, folded: str, meta: DocumentMeta | None) -> tuple[list[Mention], "_Taken"]:
    """The agencies named in ``text``, in order, and their spans: the first found of overlapping
    names is kept (gazetteer, the bare areas of a headless list, then shapes)."""
    default_level = issuer_level_word(meta)
    out: list[Mention] = []
    taken = _Taken()

    def keep(m: Mention | None) -> None:
        if m is not None and not taken.overlaps(m.start, m.end):
            out.append(m)
            taken.add(m.start, m.end)

    for start, end, area in _gazetteer_matches(g, text, folded):
        keep(_area_mention(g, start, end, area, text, folded, meta) if area >= 0
             else _fixed_mention(g, start, end, text, folded, default_level))
    # the bare areas of a headless list: "các Sở: Tư pháp, Nội vụ", "các Sở Y tế, Giáo dục và Đào tạo"
    for start, end, name, level, succ in _headless_members(g, text, folded):
        keep(Mention(start, end, " ".join(text[start:end].split()), name, level, succ))
    for m in _shape_matches(g, text):  # unseen names of a known shape
        keep(_shape_mention(g, m))
    return _in_order(out), taken


def _kept_groups(text: str, matches: Iterator[regex.Match], taken: "_Taken") -> list[Mention]:
    """The unnamed groups of ``matches`` that overlap no named agency."""
    return [Mention(m.start(), m.end(), text[m.start():m.end()], None)
            for m in matches if not taken.overlaps(m.start(), m.end())]


# ---- unnamed groups near a name ---------------------------------------------------------------
# An unnamed group ("các sở, ngành liên quan") matters only as a member of a list that also names
# an agency: there it joins the list or bounds it (the quote starts at the list). Most groups of a
# plan stand alone ("các cấp, các ngành"), so a document's layer reads groups only on the lines
# that can hold such a list: the lines of its named agencies, widened while a list may run on past
# a line end. A line is read from its start exactly as the whole text would be (``_groups_from``):
# no group runs into a line unless the line before ends with an opener ("các" + line break).

def _groups_near(g: _Gazetteer, text: str, folded: str, named: list[Mention], seeds: list[Mention],
                 taken: "_Taken") -> list[Mention]:
    """The unnamed groups of ``find_mentions`` that can stand in one list with a ``seeds`` agency
    (sorted by start; ``named``: every agency of the text, in order): the same groups
    (``tests/test_agencies.py`` compares both on every document of the tests). Each line is read
    once and every test looks a bounded way back or ahead, so the cost stays linear."""
    n = len(text)
    named_starts = [m.start for m in named]
    found: list[Mention] = []
    done = pos = 0  # text[:done] is read; ``pos``: end of the last group match (as finditer)
    seed_starts = [m.start for m in seeds]
    for seed in seeds:
        if seed.start < done:
            continue
        s = _line_start(text, seed.start)
        while s > done and _list_from_before(g, folded, s):
            s = _line_start(text, s - 1)
        s, e = max(s, done), _next_line(text, seed.end)
        k = bisect_left(seed_starts, e)
        while k < len(seeds) and seeds[k].start < e + _NEAR:  # agencies a few lines on: one read
            e = _next_line(text, max(e, seeds[k].end))
            k = bisect_left(seed_starts, e, k)
        gap = _Gap()
        while True:
            while e < n and _opens_across(g, folded, e):
                e = _next_line(text, e)
            for m in _groups_from(g, folded, _generic_starts(g, folded, s, e), pos):
                pos = m.end()
                if not taken.overlaps(m.start(), pos):
                    found.append(Mention(m.start(), pos, text[m.start():pos], None))
            i = bisect_left(named_starts, e)
            last = max(named[i - 1].end if i else -1, found[-1].end if found else -1)
            if e >= n or not (last > e or gap.goes_on(g, folded, last, e, _next_line(text, e))):
                break
            s, e = e, _next_line(text, max(e, last))
        done = e
    return found


# agencies this close (characters) are read in one range with the lines between them: a few
# more lines read, far fewer ranges
_NEAR = 300


def _line_start(text: str, at: int) -> int:
    return text.rfind("\n", 0, at) + 1


def _next_line(text: str, at: int) -> int:
    """Start of the line after the one holding ``at`` (len(text) on the last line)."""
    i = text.find("\n", at)
    return len(text) if i < 0 else i + 1


_LOOK_BACK = 80  # spaces looked back over before a line; more (blank lines) counts as "may be"


def _space_before(folded: str, at: int) -> int:
    """Where the spaces right before ``at`` start, or -1 past ``_LOOK_BACK`` of them."""
    j, stop = at, max(0, at - _LOOK_BACK)
    while j > stop and folded[j - 1].isspace():
        j -= 1
    return -1 if j == stop and j and folded[j - 1].isspace() else j


def _opens_across(g: _Gazetteer, folded: str, at: int) -> bool:
    """May an opener stand before ``at`` with only spaces between ("các\n"), so that a group
    started there runs on past ``at`` (the test ``_generic_starts`` makes for an opener)?"""
    j = _space_before(folded, at)
    return j < 0 or (j < at and folded.endswith(g.group_openers, 0, j))


class _Gap:
    """``list_gap`` read on from the end of a list's last member, line by line (each character
    once while that member stays the last one)."""

    def __init__(self) -> None:
        self.start = self.end = -1
        self.joined = False

    def goes_on(self, g: _Gazetteer, folded: str, last: int, at: int, bound: int) -> bool:
        """May a list whose last member ends at ``last`` go on past ``at``: does the gap run over
        ``at`` with a joining mark in it (every separator holds one), or run on to ``bound``
        (the next line's end) not yet settled?"""
        if last != self.start:
            self.start = self.end = last
            self.joined = False
        t = g.list_gap.match(folded, self.end, max(self.end, bound)).end()
        self.joined = self.joined or _has_join(folded, self.end, t)
        self.end = t
        return t >= at and (self.joined or t == bound)


_JOIN_MARK = re.compile("[,;/&]|" + _JOINS)  # (stdlib ``re``: a plain scan of a few characters)
_ALNUM = re.compile(r"[^\W_]")  # what str.isalnum accepts


def _has_join(folded: str, start: int, end: int) -> bool:
    return _JOIN_MARK.search(folded, start, end) is not None


def _list_from_before(g: _Gazetteer, folded: str, at: int) -> bool:
    """May a list run into the line starting at ``at`` from the lines before: an opener before it,
    or a name that can start where ``list_gap`` from ``at`` stops (or within it) with a joining mark
    in that gap or at the end of the text before (a title's word or a joining word included)? A line
    of separators only (a blank line) may."""
    if _opens_across(g, folded, at):
        return True
    bound = _next_line(folded, at)
    t = g.list_gap.match(folded, at, bound).end()
    if t == bound:
        return True
    if _ALNUM.search(folded, at, t + 1) is None:
        return False  # "- Sở Y tế", "1. UBND các xã": a mark no separator holds comes first
    if _has_join(folded, at, t):
        return True
    j = _space_before(folded, at)
    return j < 0 or j > 0 and (folded[j - 1] in ",;/&" or folded.endswith(g.gap_words, 0, j))


def _area_mention(g: _Gazetteer, start: int, end: int, area_start: int, text: str, folded: str,
                  meta: dict | None) -> Mention | None:
    """A head + area name ("Sở Y tế", "phòng Lao động - …") at text[start:end], its area from
    ``area_start``; a place written after it is part of the raw name only ("Sở Y tế tỉnh Đồng
    Nai" -> "Sở Y tế")."""
    if not text[area_start].isupper():  # "cơ sở y tế" is no agency
        return None
    if text[start].islower() and _word_before(folded, start) in _head_blockers():
        return None  # "cơ sở Y tế", "cán bộ Tư pháp"
    area = g.area_of.get(loose_key(folded[area_start:end]))
    head = g.heads[norm_key(folded[start:area_start])]  # the head word and the spaces after it
    if area is None or head not in (area.get("heads") or []):
        return None
    level = g.head_level.get(head)
    if head == "Phòng" and meta and meta.admin_level == "commune":
        level = "commune"
    lm = g.level_re.match(folded, end, timeout=TIMEOUT)
    if lm and not lm.group("pre") and len(lm.captures("lv")) == 1:
        end = _place_after(text, lm.end())  # "Sở Y tế tỉnh Đồng Nai": part of the raw name
    elif not lm:
        end = _place_after(text, end)  # "Sở Tư pháp Quảng Nam"
    return Mention(start, end, " ".join(text[start:end].split()), f"{head} {area['name']}", level,
                   _successor(area, head))


def _fixed_mention(g: _Gazetteer, start: int, end: int, text: str, folded: str, default_level: str | None) -> Mention | None:
    """A body named by a fixed phrase (text[start:end]); a ``level: suffix`` body takes the level
    words written after it ("UBND các xã, phường", "UBND tỉnh Gia Lai"), else the issuer's level."""
    if not text[start].isupper():
        return None
    entry = g.fixed_of.get(loose_key(folded[start:end]))
    if entry is None:
        return None
    name, aka = entry["name"], ()
    level = entry.get("level") if entry.get("level") in _LEVELS else None  # "level: national"
    if entry.get("level") == "suffix":
        lm = g.level_re.match(folded, end, timeout=TIMEOUT)
        if lm:
            name, level, end, aka = _level_suffix(g, entry, lm, text, folded)
        elif default_level:
            name, level = f"{name} {default_level}", g.level_of.get(default_level)
    return Mention(start, end, " ".join(text[start:end].split()), name, level, aka=aka)


def _level_suffix(g: _Gazetteer, entry: dict, lm: regex.Match, text: str, folded: str) -> tuple[str, str | None, int, tuple]:
    """(name, level, end, shorter names) of a level-suffix body from the level words after it."""
    # a list of levels is written in lower case: "các xã, phường"; ", Tỉnh đoàn" is the next name
    spans = list(zip(lm.starts("lv"), lm.ends("lv")))
    keep = 1 + next((k for k, (a, _) in enumerate(spans[1:]) if not text[a].islower()), len(spans) - 1)
    spans = spans[:keep]
    words = [norm_key(folded[a:b]) for a, b in spans]
    pre = f"{lm.group('pre')} " if lm.group("pre") else ""
    name = f"{entry['name']} {pre}{', '.join(words)}"
    levels = {g.level_of.get(w) for w in words}
    if "district" in levels and "thành phố" in words:
        levels.discard("province")  # "các huyện, thị xã, thành phố": a province's cities
    level = levels.pop() if len(levels) == 1 else None
    end, aka = spans[-1][1], ()
    if lm.group("tail") and keep == len(lm.captures("lv")):
        end = lm.end("tail")  # "các tỉnh, thành phố trực thuộc Trung ương"
    elif len(words) == 1 and not pre:
        aka = (entry["name"],)
        after = _place_after(text, end)
        place = _written_place(text, end, after) if after > end else None
        if place:  # "UBND tỉnh Gia Lai": the place as written is part of the name
            aka, name = (name, entry["name"]), f"{name} {place}"
        end = after
    return name, level, end, aka


def _shape_mention(g: _Gazetteer, m: regex.Match) -> Mention:
    """An unseen name of a known shape ("Báo Đắk Nông"), kept as written."""
    raw = " ".join(m.group(0).split())
    level = g.head_level.get(m.group("head"))
    if level is None:  # "Trung tâm Kiểm soát bệnh tật tỉnh": the level word it ends with
        level = g.level_of.get(norm_key(raw.rsplit(" ", 1)[-1]))
    return Mention(m.start(), m.end(), raw, raw, level)


_LEVELS = frozenset({"national", "province", "district", "commune"})


def _headless_members(g: _Gazetteer, text: str, folded: str) -> Iterator[tuple[int, int, str, str | None, str | None]]:
    """(start, end, name, level, successor) of each area named without its head after a plural
    head: "các Sở: Tư pháp, Nội vụ" -> Sở Tư pháp, Sở Nội vụ. The list ends at the first word
    that is not an area of that head (written with a capital)."""
    for h in g.head_plural.finditer(folded, timeout=scan_timeout(len(folded))):
        head = g.heads.get(norm_key(h.group("head")))
        pos = h.end()
        while head is not None and pos < len(text) and text[pos].isupper():
            a = g.area_re.match(folded, pos, timeout=TIMEOUT)
            if a is None:
                break
            area = g.area_of.get(loose_key(a.group(0)))
            if area is None or head not in (area.get("heads") or []):
                break
            yield a.start(), a.end(), f"{head} {area['name']}", g.head_level.get(head), _successor(area, head)
            sep = g.area_sep.match(folded, a.end())
            if sep is None:
                break
            pos = sep.end()


def canonical_name(raw: str, meta: DocumentMeta | None = None) -> str | None:
    """Canonical name of one written agency name (None when it is not a known agency)."""
    ms = find_mentions(raw, meta, groups=False)
    return ms[0].name if ms and ms[0].start == 0 else None


# ---- lists --------------------------------------------------------------------------------
@dataclass
class _List:
    items: list[Mention]  # never changed once the list is made: its bounds and members are set once

    def __post_init__(self) -> None:
        self.start: int = self.items[0].start
        self.end: int = self.items[-1].end
        self.named: list[Mention] = [m for m in self.items if m.name is not None]  # (not ``generic``: a call each)


_COLON = regex.compile(r"[ \t]*:[ \t]*")


def group_lists(text: str, mentions: list[Mention]) -> list[_List]:
    """Consecutive mentions joined by list separators (", ", " và ", "/")."""
    g = gazetteer()
    lists: list[_List] = []
    cur: list[Mention] = []
    last_end = -1
    for m in mentions:
        if m.start < last_end:
            continue
        if cur and (g.separators.fullmatch(text, cur[-1].end, m.start)
                    or (cur[-1].generic and _COLON.fullmatch(text, cur[-1].end, m.start))):
            cur.append(m)  # "Sở A, B", "các Sở: Tư pháp, Nội vụ"

        else:
            if cur:
                lists.append(_List(cur))
            cur = [m]
        last_end = m.end
    if cur:
        lists.append(_List(cur))
    return lists


# ---- role phrases -------------------------------------------------------------------------
@dataclass
class _Roles:
    cue: regex.Pattern  # any role verb, on the shadow text
    cue_role: dict[str, str]
    after_list: regex.Pattern
    cue_next: regex.Pattern  # a further role verb after a comma
    label: regex.Pattern
    label_cell: regex.Pattern  # a table header cell naming a role ("Cơ quan chủ trì")
    label_line: regex.Pattern  # a line of its own naming a role, above a list ("Cơ quan phối hợp:")
    partner: regex.Pattern
    assign_before: regex.Pattern  # "giao", "giao cho", "đề nghị" right before a list
    partner_word: regex.Pattern  # a partner phrase anywhere (its first words are where ``partner`` can start)
    assign_word: regex.Pattern  # an assignment word anywhere (its first words are where ``assign_before`` can start)
    clause_cue: regex.Pattern  # "; Phối hợp …": a later clause opened by a role verb
    clause_start: regex.Pattern
    heading_prefix: regex.Pattern
    heading_tail: regex.Pattern
    object_before: regex.Pattern
    member_of: regex.Pattern
    strength: dict[str, int]
    non_task: regex.Pattern
    assign: "_Assign"
    # where ``cue``, ``partner_word``, ``assign_word`` and ``assign.word`` can start: the first
    # words of their phrases, found in one pass over a text (``pipeline.patterns.FirstWords``)
    first_words: FirstWords


@dataclass
class _Assign:
    """Patterns of assignments without a role verb and of reported events (roles.yaml)."""
    word: regex.Pattern  # an assignment word used as one ("giao", not "giao ban", "được giao")
    before: regex.Pattern  # an assignment word (and a person title) right before a list
    heading: regex.Pattern  # a section title that is an assignment word ("Giao:")
    clause_open: regex.Pattern  # a clause starts right before a list (line start, ";", ":", item marker)
    duty_next: regex.Pattern  # the duty right after the list ("theo dõi", ": Phê duyệt")
    first_cue: regex.Pattern  # a role verb of the clause after the list
    opener: regex.Pattern  # a sentence opening that dates an event ("Ngày 30-11,")
    marker: regex.Pattern  # an event or result marker before the role ("Sáng 15.4", "đến nay")


@lru_cache(maxsize=1)
def roles() -> _Roles:
    r = role_data()
    cue_role = {}
    for role, phrases in r["cues"].items():
        for p in phrases:
            cue_role[norm_key(p)] = role
    not_before = "|".join(_alias_pattern(p) for p in r.get("cue_not_before") or []) or "(?!)"
    # every role verb, not before the words that make it none ("chịu trách nhiệm thi hành")
    cue_alt = "(?:" + "|".join(_alias_pattern(k) for k in sorted(cue_role, key=len, reverse=True)) \
        + rf")(?![\w])(?!\s+(?:{not_before})(?![\w]))"
    cue = lazy_compile(rf"(?<![\w])(?:{cue_alt})")
    vp = "|".join(_alias_pattern(p) for p in r.get("verb_prefixes") or []) or "(?!)"
    # a parenthesis may stand between the agency and its verb: "Trung tâm Y tế huyện (cơ quan
    # thường trực Ban Chỉ đạo) chủ trì"; the words inside it give no role of their own
    # "Sở Y tế (cơ quan thường trực)" / "Sở Y tế - cơ quan thường trực ...": the standing body
    after_list = lazy_compile(rf"[ \t]*(?:\([^()\n]{{1,200}}\)[ \t]*)?:?[ \t]*(?:[(-][ \t]*)?(?:(?:{vp})[ \t]+)?(?P<cue>{cue_alt})(?![\w])")
    cue_next = lazy_compile(rf"[ \t]*,[ \t]*(?:(?:{vp})[ \t]+)?(?P<cue>{cue_alt})(?![\w])")
    label_parts = []
    for role, pats in r["labels"].items():
        label_parts.append(rf"(?P<{role}>{'|'.join(pats)})")
    label = lazy_compile(rf"(?:{'|'.join(label_parts)})\s*:\s*$")
    label_cell = lazy_compile(rf"\s*(?:{'|'.join(label_parts)})\s*:?\s*")
    line_parts = [rf"(?P<{role}>{'|'.join([*pats, *((r.get('line_labels') or {}).get(role) or [])])})"
                  for role, pats in r["labels"].items()]
    line_label = (rf"[ \t]*(?:[-+•*][ \t]*|(?:[ivx]+|\d{{1,2}}(?:\.\d{{1,2}})*|[a-zđ])[.)][ \t]*)?"
                  rf"(?:{'|'.join(line_parts)})[ \t]*:?[ \t]*$")
    label_line = lazy_compile("^" + line_label, regex.M)
    partners = "|".join(_alias_pattern(p) for p in sorted(r.get("partner_phrases") or ["phối hợp"], key=len, reverse=True))
    past = "|".join(_alias_pattern(p) for p in sorted(r.get("past_markers") or [], key=len, reverse=True)) or "(?!)"
    articles = "|".join(_alias_pattern(p) for p in r.get("partner_articles") or []) or "(?!)"
    partner = lazy_compile(  # "phối hợp với các Phòng …": a plural article may stand before the named partner
        rf"(?<![\w])(?<!(?<![\w])(?:{past})\s+)(?:{partners})\s+(?:(?:{articles})\s+)?(?:(?:{_titles_alternation()})\s+)?$")
    assign = "|".join(_alias_pattern(p) for p in sorted(r.get("assign_words") or [], key=len, reverse=True)) or "(?!)"
    assign_before = lazy_compile(rf"(?<![\w])(?:{assign})\s+(?:(?:{_titles_alternation()})\s+)?$")
    partner_word = lazy_compile(rf"(?<![\w])(?:{partners})(?![\w])")
    assign_word = lazy_compile(rf"(?<![\w])(?:{assign})(?![\w])")
    intro = "|".join(_alias_pattern(p) for p in r["intro_phrases"])
    # "; Phối hợp …", "; đồng thời phối hợp với …" (an introductory phrase may open the clause)
    clause_cue = lazy_compile(rf";[ \t]*(?:[-+•*][ \t]*)?(?:(?:{intro})(?:[^.;:\n]{{0,120}}?,)?[ \t]*)?"
                               rf"(?:(?:{vp})[ \t]+)?(?P<cue>{cue_alt})(?![\w])")
    clause_start = lazy_compile(
        rf"(?:^|[.;:!?])\s*(?:[-+•*]\s*|[a-zđ]\)\s*|\d+(?:\.\d+)*[.)]?\s+)?"
        rf"(?:(?:{intro})(?:[^.;:\n]{{0,120}}?,)?\s*)?$", regex.M
    )
    prefixes = "|".join(_alias_pattern(p) for p in r["heading_prefixes"])
    heading_prefix = lazy_compile(
        rf"^[ \t]*(?:\*+)?(?:[-+•*][ \t]+|(?:[IVX]+|\d{{1,2}}(?:\.\d{{1,2}})*|[a-zđ])[.)][ \t]*|Điều[ \t]+\d+\.?[ \t]+|\#{{1,6}}[ \t]+)?"
        rf"(?:(?:{prefixes})[ \t]+)?", regex.I | regex.M)
    heading_tail = lazy_compile(r"[ \t]*(?:\([^)\n]*\))?[ \t]*:?[ \t*]*$")
    # "giao cho Sở Tư pháp là đơn vị đầu mối" assigns: "cho" after "giao" is no object
    objects = "|".join([*(r"(?<!\w)" + _alias_pattern(w) for w in sorted(r["object_words"], key=len, reverse=True)),
                        *r["object_patterns"]])
    object_before = lazy_compile(rf"(?:{objects})\s*$")
    member_of = lazy_compile(rf"(?<!\w)(?:{'|'.join(_alias_pattern(w) for w in r['member_of_words'])})\s*$")
    strength = {role: i for i, role in enumerate(r["strength"])}
    non_task = lazy_compile(r.get("non_task_headings") or r"^$", regex.I)
    first_words = FirstWords({"cue": _first_words(cue_role), "partner": _first_words(r.get("partner_phrases") or ["phối hợp"]),
                              "assign": _first_words(r.get("assign_words") or []),
                              "duty": _first_words(r.get("duty_assign_words") or [])})
    return _Roles(cue, cue_role, after_list, cue_next, label, label_cell, label_line, partner, assign_before, partner_word,
                  assign_word, clause_cue, clause_start, heading_prefix, heading_tail, object_before, member_of, strength, non_task,
                  _assign_patterns(r, cue_alt), first_words)


def _first_words(phrases) -> list[str]:
    """The first word of each phrase as ``_alias_pattern`` writes it: where a match of their
    alternation starts."""
    return [regex.split(r"[-,&/ ]", norm_key(p))[0] for p in phrases]


def _assign_patterns(r: dict, cue_alt: str) -> _Assign:
    def alt(key: str) -> str:
        return "|".join(_alias_pattern(p) for p in sorted(r.get(key) or [], key=len, reverse=True)) or "(?!)"

    assign = alt("duty_assign_words")
    before = lazy_compile(rf"(?<![\w])(?:{assign})\s+(?:(?:{_titles_alternation()})\s+)?$")
    word = lazy_compile(rf"(?<![\w])(?<!(?<![\w])(?:{alt('assign_not_before')})\s+)(?:{assign})(?![\w])"
                         rf"(?!\s+(?:{alt('assign_not_after')})(?![\w]))")
    heading = lazy_compile(rf"(?:{assign})(?:\s+\w+){{0,4}}\s*:")
    clause_open = lazy_compile(r"(?:^|[;:])[ \t]*(?:[-+•*][ \t]*|[a-zđ]\)[ \t]*|\d{1,2}(?:\.\d{1,2})*[.)][ \t]*)?$", regex.M)
    duty_next = lazy_compile(rf"[ \t]*(?::[ \t]*(?=\p{{Lu}})|(?=\p{{Ll}}))(?!(?i:{alt('subject_not_before')})(?![\w]))")
    first_cue = lazy_compile(rf"(?<![\w])(?P<cue>{cue_alt})")
    opener = lazy_compile("|".join(r.get("event_openers") or []) or "(?!)")
    marker = lazy_compile("|".join(r.get("event_markers") or []) or "(?!)")
    return _Assign(word, before, heading, clause_open, duty_next, first_cue, opener, marker)


def _task_heading(doc: Any, offset: int) -> str | None:
    """Title of the nearest enclosing section that names an activity (not "Cơ quan thực hiện")."""
    skip = roles().non_task
    for s in doc.ancestors(doc.section_at(offset)):
        title = " ".join(s.title.split()).strip(" :.")
        if not title or s.is_bullet or skip.search(title):
            continue
        return title[:300]
    return None


# ---- the document layer: every agency named, once per document ------------------------------
@dataclass
class AgencyMentions:
    """The ``agency_mentions`` layer of a document (``doc.layer("agency_mentions")``), computed
    once and read by ``agencies`` and ``reporting``."""
    folded: str  # ``shadow(doc.text)``
    body: list[Mention]  # the agencies of the body (outside every distribution list) and the unnamed groups that may share a list with one (``_groups_near``), in order
    lists: list[_List]  # the body's mentions grouped into lists
    fuller: dict[str, str]  # shorter names -> the one fuller name the document writes ("UBND tỉnh" -> "UBND tỉnh Gia Lai")

    @cached_property
    def _list_ends(self) -> list[int]:
        return [lst.end for lst in self.lists]

    def lists_within(self, start: int, end: int) -> Iterator[_List]:
        """The body's lists cut to text[start:end] (the members that lie inside it): a bisection
        in the lists' ends (made once per document), so each call costs the lists it returns."""
        i = bisect_left(self._list_ends, start) if self.lists else 0
        for lst in self.lists[i:]:
            if lst.start >= end:
                return
            items = [m for m in lst.items if m.start >= start and m.end <= end]
            if items:
                yield _List(items)


@layer("agency_mentions")
def agency_mentions(doc: Any) -> AgencyMentions:
    g, text, limit = gazetteer(), doc.text, doc.body_end
    folded = shadow(text)
    named, taken = _named_mentions(g, text, folded, doc.meta)

    def in_body(m: Mention) -> bool:
        return m.start < limit and not doc.in_distribution_list(m.start)

    seeds = [m for m in named if in_body(m)]
    body = _in_order(seeds + [m for m in _groups_near(g, text, folded, named, seeds, taken) if in_body(m)])
    return AgencyMentions(folded, body, group_lists(text, body), _fuller_names(body))


# ---- extraction ---------------------------------------------------------------------------
@dataclass
class _Hit:
    mention: Mention
    role: str
    block: Any
    offset: int  # where the role is stated
    qs: int
    qe: int
    task: str | None


@dataclass
class _Ctx:
    """What the role rules read of one document."""
    doc: Any
    text: str
    folded: str
    R: _Roles
    limit: int  # end of the body
    lists: list[_List]
    # where a phrase of each kind can start (the offsets of its first words, ``R.first_words``): a
    # pattern searched in a window is tried only when one of them lies in it (a match starts at one)
    partner_starts: list[int]  # partner phrases ("phối hợp với": rule c)
    assign_starts: list[int]  # assignment words ("giao", "đề nghị": rule e)
    duty_starts: list[int]  # words that assign a duty ("giao", not "đề nghị": rule f)
    cue_starts: list[int]  # where a role verb can start (``R.cue`` is tried there only)

    def hits(self, lst: _List, role: str, at: int, qs: int, qe: int, task: str | None) -> Iterator[_Hit]:
        block = _block_of(self.doc, at)
        for m in lst.named:
            yield _Hit(m, role, block, at, qs, qe, task)

    def clause_task(self, start: int) -> tuple[int, str | None]:
        """(end, words) of the clause opened at ``start``."""
        _, ce = self.doc.clause_bounds(start, ends=";", ahead=300, mark=False)
        return ce, " ".join(self.text[start:ce].split()) or None


def _block_of(doc: Any, offset: int) -> Any:
    s = doc.section_at(offset)
    while s is not None and s.is_bullet:
        s = doc.sections[s.parent] if s.parent is not None else None
    return ("s", s.start) if s is not None else ("doc", 0)


_BULLET = regex.compile(r"[ \t]*(?:[-+•*][ \t]*)?")


def _label_lists(ctx: _Ctx) -> Iterator[_Hit]:
    """(a') the lists written one per line (bulleted or not) under a line of its own that names a
    role ("Cơ quan phối hợp:" / "- Sở Tư pháp;" / "- Sở Nội vụ."): the lines that open with a
    named list, read upward (over blank lines) to the line above the first of them; a role label
    there gives each its role. Lists come in order, and a list line takes the label of the list
    line above it, so each line is read once and only the lines above lists are tested."""
    doc, text = ctx.doc, ctx.text
    label_of: dict[int, tuple[int, str] | None] = {}  # line start of a list line -> its label
    for lst in ctx.lists:
        if not lst.named:
            continue
        ls, le = doc.line_at(lst.start)
        if ls in label_of or _BULLET.match(text, ls, le).end() != lst.start:
            continue  # the list does not open its line
        label_of[ls] = found = _label_above(ctx, ls, label_of)
        if found is not None:
            at, role = found
            yield from ctx.hits(lst, role, lst.start, at, lst.end, _task_heading(doc, lst.start))


def _label_above(ctx: _Ctx, ls: int, label_of: dict[int, tuple[int, str] | None]) -> tuple[int, str] | None:
    """(start, role) of the label line over the list line starting at ``ls``: the first line above
    it that is not blank, when it names a role (``R.label_line``), or the label of that line
    when it is a list line already read (``label_of``)."""
    doc, text = ctx.doc, ctx.text
    while ls > 0:
        ls, le = doc.line_at(ls - 1)
        if text[ls:le].strip():
            break
    else:
        return None
    if ls in label_of:
        return label_of[ls]
    lab = ctx.R.label_line.match(ctx.folded, ls, ctx.limit)
    role = next((k for k in ("lead", "coordinate", "focal") if lab.group(k)), None) if lab else None
    return (ls, role) if role is not None else None


def _near(ends: list[int], lo: int, hi: int) -> bool:
    """Does any of the sorted offsets ``ends`` fall in [lo, hi]?"""
    i = bisect_left(ends, lo)
    return i < len(ends) and ends[i] <= hi


def _cue_chain(R: _Roles, folded: str, first: regex.Match, most: int = 4) -> Iterator[regex.Match]:
    """``first`` and the role verbs that follow it, one comma apart ("là đơn vị đầu mối, chủ trì")."""
    m = first
    yield m
    for _ in range(most):
        m = R.cue_next.match(folded, m.end())
        if m is None:
            return
        yield m


def _field_label(ctx: _Ctx, lst: _List) -> Iterator[_Hit]:
    """(a) "Cơ quan chủ trì: A, B"."""
    base, folded = max(0, lst.start - 200), ctx.folded
    j = lst.start
    while j > base and folded[j - 1].isspace():
        j -= 1
    if j == base or folded[j - 1] != ":":  # the last mark before the list is no colon
        return
    lab = ctx.R.label.search(ctx.folded, base, lst.start)
    role = next((k for k in ("lead", "coordinate", "focal") if lab.group(k)), None) if lab else None
    if role:
        yield from ctx.hits(lst, role, lst.start, lab.start(), lst.end, _task_heading(ctx.doc, lst.start))


def _verb_after(ctx: _Ctx, lst: _List) -> regex.Match | None:
    """The role verb right after a list ("A, B chủ trì", "A: Phối hợp", "A (…) - cơ quan thường
    trực"), unless the list is the object of a preposition."""
    after = ctx.R.after_list.match(ctx.folded, lst.end, min(len(ctx.text), lst.end + 300))
    if after and not ctx.R.object_before.search(ctx.folded, max(0, lst.start - 12), lst.start):
        return after
    return None


def _subject_verbs(ctx: _Ctx, lst: _List, after: regex.Match) -> Iterator[_Hit]:
    """(b) each role verb of the chain after the list ("là đơn vị đầu mối, chủ trì phối hợp …")."""
    at = after.start("cue")
    ce, task = ctx.clause_task(at)
    for cue in _cue_chain(ctx.R, ctx.folded, after):
        yield from ctx.hits(lst, ctx.R.cue_role[norm_key(cue.group("cue"))], at, lst.start, ce, task)


def _partners(ctx: _Ctx, lst: _List) -> Iterator[_Hit]:
    """(c) the partners: "A chủ trì, phối hợp với B, C", "Phối hợp Sở Nội vụ …", anywhere."""
    if not _near(ctx.partner_starts, lst.start - 60, lst.start):
        return
    p = ctx.R.partner.search(ctx.folded, max(0, lst.start - 60), lst.start)
    if p:
        yield from ctx.hits(lst, "coordinate", lst.start, p.start(), lst.end, _task_heading(ctx.doc, lst.start))


def _assigned_right_before(ctx: _Ctx, lst: _List) -> bool:
    """Is the list right after an assignment word ("giao", "đề nghị", "giao cho Giám đốc")?"""
    return _near(ctx.assign_starts, lst.start - 40, lst.start) and \
        ctx.R.assign_before.search(ctx.folded, max(0, lst.start - 40), lst.start) is not None


def _later_clauses(ctx: _Ctx, lst: _List) -> Iterator[_Hit]:
    """(e) "giao X hướng dẫn …; Phối hợp …": later clauses of the sentence opened by a role verb."""
    _, se = ctx.doc.sentence_bounds(lst.end, ahead=600, mark=False)
    for c in ctx.R.clause_cue.finditer(ctx.folded, lst.end, se):
        at = c.start("cue")
        ce, task = ctx.clause_task(at)
        yield from ctx.hits(lst, ctx.R.cue_role[norm_key(c.group("cue"))], at, lst.start, ce, task)


def _assignment(ctx: _Ctx, lst: _List) -> Iterator[_Hit]:
    """(f) an assignment without a role verb for the list (roles.yaml, "An assignment is a lead
    role"): the first role verb of its clause, else lead."""
    A = ctx.R.assign
    duty = A.duty_next.match(ctx.text, lst.end, min(len(ctx.text), lst.end + 4))
    if duty is None:
        return
    direct = A.before.search(ctx.folded, max(0, lst.start - 40), lst.start) \
        if _near(ctx.duty_starts, lst.start - 40, lst.start) else None
    if direct:
        qs = direct.start()
    elif _opens_assigned_clause(ctx, lst):
        qs = lst.start
    else:
        return
    ce, task = ctx.clause_task(duty.end())
    cue = A.first_cue.search(ctx.folded, duty.end(), ce)
    role = ctx.R.cue_role[norm_key(cue.group("cue"))] if cue else "lead"
    yield from ctx.hits(lst, role, cue.start() if cue else lst.start, qs, ce, task)


def _opens_assigned_clause(ctx: _Ctx, lst: _List) -> bool:
    """Does the list open a clause of an assignment: a sentence with an assignment word before it
    ("UBND TP yêu cầu …; UBND các quận, huyện tổ chức …") or an item under an assignment heading
    ("Điều 2. Giao:" / "b) Sở Kế hoạch và Đầu tư căn cứ …")?"""
    A = ctx.R.assign
    ls, _ = ctx.doc.line_at(lst.start)
    if not A.clause_open.search(ctx.folded, max(ls, lst.start - 40), lst.start):
        return False
    ss, _ = ctx.doc.sentence_bounds(lst.start, back=400)
    if _near(ctx.duty_starts, ss, lst.start) and A.word.search(ctx.folded, ss, lst.start):
        return True
    for s in ctx.doc.ancestors(ctx.doc.section_at(lst.start)):
        if s.is_bullet or s.title_end >= lst.start:
            continue  # the item whose line holds the list
        title = s.title.strip()
        return title.endswith(":") and A.heading.fullmatch(shadow(title)) is not None
    return False


def _reported_event(ctx: _Ctx, at: int) -> bool:
    """Is the role stated at ``at`` in a sentence that reports a dated event or a result ("Ngày
    30-11, Bộ … phối hợp …", "Từ đầu năm đến nay, …"), with no assignment word after the marker?"""
    A = ctx.R.assign
    ss, _ = ctx.doc.sentence_bounds(at, back=400)
    while ss < at and ctx.text[ss].isspace():
        ss += 1
    m = A.opener.match(ctx.folded, ss, at) or A.marker.search(ctx.folded, ss, at)
    return m is not None and A.word.search(ctx.folded, m.end(), at) is None


def _heading_subject(ctx: _Ctx, lst: _List, after: regex.Match | None) -> tuple[_List, int, int] | None:
    """(d) a heading (or a line of its own) naming the agencies: (list, body start, body end)."""
    doc, text, R = ctx.doc, ctx.text, ctx.R
    ls, _ = doc.line_at(lst.start)
    pre = R.heading_prefix.match(text, ls, lst.start)
    if not (lst.named and pre and pre.end() == lst.start):
        return None
    _, lend = doc.line_at(lst.end)
    if not (R.heading_tail.fullmatch(text, lst.end, lend) or (after and ":" in text[lst.end:after.start("cue")])):
        return None
    sec = doc.section_at(ls)
    if sec is not None and sec.start == ls and not sec.is_bullet:
        end = sec.end
    else:
        end = next((s.start for s in doc.sections if s.start > lend and not s.is_bullet), len(text))
    return lst, lend, min(end, ctx.limit)


def _heading_bodies(ctx: _Ctx, subjects: list[tuple[_List, int, int]]) -> Iterator[_Hit]:
    """Role verbs opening a clause under a subject heading; a body ends where the next subject starts."""
    doc, R = ctx.doc, ctx.R
    subjects.sort(key=lambda x: x[0].start)
    for i, (lst, bs, be) in enumerate(subjects):
        if i + 1 < len(subjects):
            be = min(be, subjects[i + 1][0].start)
        sec = doc.section_at(lst.start)
        block = ("s", sec.start) if sec is not None and sec.start <= lst.start else ("h", lst.start)
        for c in finditer_at(R.cue, ctx.folded, ctx.cue_starts, bs, be):
            ls, _ = doc.line_at(c.start())
            if not R.clause_start.search(ctx.folded, max(ls, c.start() - 300), c.start()):
                continue
            ce, task = ctx.clause_task(c.start())
            qs = lst.start if ce - lst.start <= 400 else c.start()
            for m in lst.named:
                yield _Hit(m, R.cue_role[norm_key(c.group(0))], block, c.start(), qs, ce, task)


def _list_hits(ctx: _Ctx, lst: _List) -> tuple[list[_Hit], regex.Match | None]:
    """The hits of rules (a)-(c), (e) and, when none gives the list a role, (f)."""
    after = _verb_after(ctx, lst)
    own = [*_field_label(ctx, lst), *(_subject_verbs(ctx, lst, after) if after else ())]
    partner = list(_partners(ctx, lst))
    if lst.named and not after and _assigned_right_before(ctx, lst):
        own += _later_clauses(ctx, lst)
    if lst.named and not own and not partner:
        own += _assignment(ctx, lst)
    return own + partner, after


def _hits(doc: Any) -> Iterator[_Hit]:
    R = roles()
    layer = doc.layer("agency_mentions")
    folded, limit = layer.folded, doc.body_end
    starts = R.first_words.starts(folded, limit)  # one pass for the four kinds of phrase
    ctx = _Ctx(doc, doc.text, folded, R, limit, _objects_split(R, doc.text, folded, layer.lists),
               starts["partner"], starts["assign"], starts["duty"], starts["cue"])
    yield from _label_lists(ctx)
    subjects: list[tuple[_List, int, int]] = []
    reported: dict[int, bool] = {}  # offset of a role statement -> does it report an event
    for lst in ctx.lists:
        if not lst.named:
            continue  # unnamed groups only ("các sở, ngành"): every rule gives roles to named members
        hits, after = _list_hits(ctx, lst)
        for h in hits:
            if h.offset not in reported:  # one test per role statement, not per member of its list
                reported[h.offset] = _reported_event(ctx, h.offset)
            if not reported[h.offset]:
                yield h
        subject = _heading_subject(ctx, lst, after)
        if subject:
            subjects.append(subject)
    yield from _heading_bodies(ctx, subjects)


def _objects_split(R: _Roles, text: str, folded: str, lists: list[_List]) -> list[_List]:
    """A list whose first member is the object of a word before it, cut at its first ";": "Các sở,
    ban, ngành trực thuộc UBND tỉnh; UBND các huyện, thành phố tiếp tục tổ chức …" holds the object
    "UBND tỉnh" and, after the ";", a subject of its own."""
    out: list[_List] = []
    for lst in lists:
        cut = next((i for i in range(1, len(lst.items)) if ";" in text[lst.items[i - 1].end:lst.items[i].start]), None)
        if cut is not None and R.member_of.search(folded, max(0, lst.start - 14), lst.start):
            out += [_List(lst.items[:cut]), _List(lst.items[cut:])]
        else:
            out.append(lst)
    return out


def _table_hits(doc: Any, folded: str) -> Iterator[_Hit]:
    """Tables with role columns: | Nội dung | Cơ quan chủ trì | Cơ quan phối hợp | ... (extractors/_table_agencies.py)."""
    def hit(m: Mention, offset: int, role: str, block: Any, qs: int, qe: int, task: str | None) -> _Hit:
        m = Mention(m.start + offset, m.end + offset, m.raw, m.name, m.level, m.successor)
        return _Hit(m, role, block, m.start, qs, qe, task)

    def names(text: str, meta: DocumentMeta | None, folded: str) -> list[Mention]:
        return find_mentions(text, meta, folded, groups=False)  # a cell's groups give no row

    return table_hits(doc, folded, names, hit)


def _fuller_names(mentions: list[Mention]) -> dict[str, str]:
    """{"UBND tỉnh": "UBND tỉnh Gia Lai", "Ngân hàng Chính sách xã hội": "Ngân hàng Chính sách
    xã hội tỉnh"} when a document writes a body with exactly one level and place: its shorter
    mentions there name the same body. Ambiguous short names (two places) stay as they are."""
    longer: dict[str, set] = {}
    for m in mentions:
        for short in m.aka:
            longer.setdefault(short, set()).add(m.name)

    def full(name: str) -> str:  # every name in ``longer[name]`` is longer: no cycle
        names = {full(n) for n in longer.get(name, ())}
        return names.pop() if len(names) == 1 else name

    return {k: f for k in longer if (f := full(k)) != k}


def _strongest(hits: Iterator[_Hit]) -> list[_Hit]:
    """One hit per (block, agency): its strongest role there, in reading order."""
    strength = roles().strength
    best: dict[tuple, _Hit] = {}
    for h in hits:
        key = (h.block, h.mention.name)
        old = best.get(key)
        if old is None or strength[h.role] < strength[old.role]:
            best[key] = h
    return sorted(best.values(), key=lambda h: (h.offset, h.mention.start))


@table("agencies", Agency, uses=("agency_mentions",))
def extract(doc: Any) -> Iterator[Agency]:
    layer = doc.layer("agency_mentions")
    hits = _hits(doc)
    if doc.tables:
        hits = chain(hits, _table_hits(doc, layer.folded))
    seen = set()
    for h in _strongest(hits):
        m = h.mention
        name = layer.fuller.get(m.name, m.name)  # "UBND tỉnh" in a plan that also writes "UBND tỉnh Gia Lai"
        quote, qs, qe = span(doc, min(h.qs, h.qe), h.qe)
        dedup = (name, h.role, h.block, qs, qe)
        if dedup in seen:
            continue
        seen.add(dedup)
        yield Agency(
            name=name, name_raw=m.raw, role=h.role, level=m.level,
            section=doc.section_label(h.offset) or None, task=h.task, successor=m.successor,
            quote=quote, char_start=qs, char_end=qe,
        )


@view("document_agencies")
def document_agencies_view() -> str:
    """One row per document and agency with its strongest role (``strength`` in
    ``corpora/agencies/roles.yaml``: lead > focal > coordinate), the evidence of that role (the
    first such row in reading order) and how many rows the agency has in the document: the unit
    the reference scorer and the gold count."""
    order = " ".join(f"WHEN '{r}' THEN {i}" for i, r in enumerate(role_data()["strength"]))
    return f"""
SELECT doc_id, name, role, level, successor, section, task, quote, char_start, char_end, n_rows
FROM (
  SELECT a.*,
         ROW_NUMBER() OVER (PARTITION BY a.doc_id, a.name
                            ORDER BY CASE a.role {order} ELSE 99 END, a.char_start, a.id) AS rank_in_doc,
         COUNT(*) OVER (PARTITION BY a.doc_id, a.name) AS n_rows
  FROM agencies a
)
WHERE rank_in_doc = 1"""
