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
parenthesis. Within one block an agency keeps its strongest role (focal > lead > coordinate).
Unnamed groups ("các Sở, ngành liên quan", "báo, đài") split lists but are not stored.

Names are canonicalised with ``corpora/agencies/aliases.yaml`` (areas x heads, fixed bodies with
their level word, abbreviations, typos); unseen names of a known shape ("Báo Đắk Nông") are kept
as written. ``canonical_name()`` and ``find_mentions()`` are reused by ``extractors.reporting``.
"""
from __future__ import annotations

import re
import unicodedata
from bisect import bisect_right
from dataclasses import dataclass
from functools import lru_cache
from itertools import chain
from pathlib import Path
from typing import Any, Iterator

import regex

from extractors._data import corpus_data
from extractors import table
from extractors._evidence import span
from extractors._table_agencies import table_hits

DATA = Path(__file__).resolve().parent.parent / "corpora" / "agencies"
TIMEOUT = 2  # seconds, for one match


def scan_timeout(n: int) -> float:
    """Time allowed for a scan of a whole text of ``n`` characters (regex timeouts add up over finditer)."""
    return TIMEOUT + n / 100_000

OLD_TONES = {"oá": "óa", "oà": "òa", "oả": "ỏa", "oã": "õa", "oạ": "ọa",
             "oé": "óe", "oè": "òe", "oẻ": "ỏe", "oẽ": "õe", "oẹ": "ọe",
             "uý": "úy", "uỳ": "ùy", "uỷ": "ủy", "uỹ": "ũy", "uỵ": "ụy"}
_OLD = regex.compile(r"(?<!q)(" + "|".join(OLD_TONES) + r")(?!\w)")
_DASH = regex.compile("[‐‑‒–—―−]")


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
    low = _OLD.sub(lambda m: OLD_TONES[m.group(1)], low)
    return _DASH.sub("-", low)


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
    pattern: regex.Pattern  # head+area | fixed, on the shadow text
    anchor: regex.Pattern  # capitalised words and lower-case heads, on the original text
    firsts: frozenset  # folded first words of every name: candidates for ``pattern``
    area_of: dict[str, dict]  # folded alias -> area entry
    fixed_of: dict[str, dict]  # folded alias -> agency entry
    heads: dict[str, str]  # folded head -> head as written in canonical names
    head_level: dict[str, str]
    level_re: regex.Pattern
    level_of: dict[str, str]
    shape: regex.Pattern
    shape_hint: re.Pattern  # the shape heads as plain text: where ``shape`` can match
    generic: regex.Pattern
    generic_hint: re.Pattern  # every place ``generic`` can match at (and more), found fast
    separators: regex.Pattern


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
    pattern = regex.compile(
        rf"(?<![\w&])(?:(?P<head>{head_alt})\s+(?P<area>{_alternation(area_aliases)})"
        rf"|(?P<fixed>{_alternation(fixed_aliases)}))(?![\w&])"
    )
    firsts = set(heads)
    for alias in fixed_aliases:
        firsts.add(regex.split(r"[-,&/ ]", norm_key(alias))[0])
    low_heads = "|".join(regex.escape(h) for h in heads)
    anchor = regex.compile(rf"(?<![\w&])(?:\p{{Lu}}\p{{L}}*|(?:{low_heads})(?![\w]))")
    level_of = {norm_key(k): v for k, v in d["level_words"].items()}
    lv_alt = "|".join(_alias_pattern(k) + (r"(?!\s+hội)" if k == "xã" else "")
                      for k in sorted(level_of, key=len, reverse=True))
    pre_alt = "|".join(regex.escape(norm_key(p)) for p in d.get("level_prefixes") or [])
    tail_alt = "|".join(_alias_pattern(norm_key(t)) for t in d.get("level_tails") or []) or "(?!)"
    level_re = regex.compile(
        rf"\s+(?:(?P<pre>{pre_alt})\s+)?(?P<lv>{lv_alt})(?![\w])"
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
    generic = regex.compile(
        rf"(?:(?<![\w])(?:các|những|tất cả các|thủ trưởng các|thủ trưởng)\s+|(?<=(?:[,/:]|(?<![\w])(?:và|cùng))\s*))"
        rf"(?!(?:{not_generic})(?![\w]))(?:{nouns})(?![\w])"
        rf"(?:[ \t]+(?!(?:và|cùng|chủ|phối|làm|là)(?![\w]))[^\s,;:/.()]+){{0,8}}"
    )
    # ``generic`` without its word-boundary checks, as a zero-width test at every position (stdlib
    # ``re`` scans this about three times faster): a group opener with its noun, or a list
    # separator whose noun (group ``n``) is where a match starts. ``re``'s \s covers ``regex``'s.
    generic_hint = re.compile(
        rf"(?=(?:các|những|tất cả các|thủ trưởng các|thủ trưởng)\s+(?:{nouns})|(?:[,/:]|và|cùng)\s*(?P<n>)(?:{nouns}))"
    )
    separators = regex.compile(r"\s*(?:,|;|/|&|và|cùng)(?:\s*và)?\s*")
    return _Gazetteer(pattern, anchor, frozenset(firsts), area_of, fixed_of, heads, d["heads"], level_re, level_of, shape,
                      shape_hint, generic, generic_hint, separators)


# ---- canonical names ------------------------------------------------------------------------
def issuer_level_word(meta: dict | None) -> str | None:
    """The level word of the issuing authority: "UBND huyện An Lão" -> "huyện"."""
    if not meta:
        return None
    return _issuer_level_word(meta.get("issuer") or "", meta.get("admin_level") or "")


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


def _gazetteer_matches(g: _Gazetteer, text: str, folded: str) -> Iterator[regex.Match]:
    """Non-overlapping gazetteer matches, tried only where a name can start (much faster)."""
    pos = 0
    for a in g.anchor.finditer(text, timeout=scan_timeout(len(text))):  # names start with a capital, or "phòng ..."
        if a.start() < pos or folded[a.start():a.end()] not in g.firsts:
            continue
        m = g.pattern.match(folded, a.start(), timeout=TIMEOUT)
        if m:
            yield m
            pos = m.end()


def _shape_matches(g: _Gazetteer, text: str) -> Iterator[regex.Match]:
    """The matches of ``g.shape.finditer(text)``, tried only where a shape head is written
    (every occurrence, overlapping ones included: one plain-text search per occurrence)."""
    pos = 0
    h = g.shape_hint.search(text)
    while h is not None:
        at = h.start()
        if at >= pos:
            m = g.shape.match(text, at, timeout=TIMEOUT)
            if m:
                yield m
                pos = m.end()
        h = g.shape_hint.search(text, at + 1)


def _generic_matches(g: _Gazetteer, folded: str) -> Iterator[regex.Match]:
    """The matches of ``g.generic.finditer(folded)``, tried only where ``g.generic_hint`` says a group can start."""
    starts = sorted({h.start() if h.start("n") < 0 else h.start("n") for h in g.generic_hint.finditer(folded)})
    pos = 0
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


def find_mentions(text: str, meta: dict | None = None, folded: str | None = None) -> list[Mention]:
    """Agencies named in ``text`` (gazetteer, then shapes), and unnamed groups, in order."""
    g = gazetteer()
    folded = shadow(text) if folded is None else folded
    default_level = issuer_level_word(meta)
    out: list[Mention] = []
    taken = _Taken()
    for m in _gazetteer_matches(g, text, folded):
        start, end = m.start(), m.end()
        if m.group("area") is not None:
            if not text[m.start("area")].isupper():  # "cơ sở y tế" is no agency
                continue
            if text[start].islower() and _word_before(folded, start) in _head_blockers():
                continue  # "cơ sở Y tế", "cán bộ Tư pháp"
            area = g.area_of.get(loose_key(m.group("area")))
            head = g.heads[norm_key(m.group("head"))]
            if area is None or head not in (area.get("heads") or []):
                continue
            name = f"{head} {area['name']}"
            level = g.head_level.get(head)
            if head == "Phòng" and meta and meta.get("admin_level") == "commune":
                level = "commune"
            succ = _successor(area, head)
            lm = g.level_re.match(folded, end, timeout=TIMEOUT)
            if lm and not lm.group("pre") and len(lm.captures("lv")) == 1:
                end = _place_after(text, lm.end())  # "Sở Y tế tỉnh Đồng Nai": part of the raw name
            elif not lm:
                end = _place_after(text, end)  # "Sở Tư pháp Quảng Nam"
            out.append(Mention(start, end, " ".join(text[start:end].split()), name, level, succ))
        else:
            if not text[start].isupper():
                continue
            entry = g.fixed_of.get(loose_key(m.group("fixed")))
            if entry is None:
                continue
            name = entry["name"]
            level = entry.get("level") if entry.get("level") in _LEVELS else None  # "level: national"
            if entry.get("level") == "suffix":
                lm = g.level_re.match(folded, end, timeout=TIMEOUT)
                if lm:
                    # a list of levels is written in lower case: "các xã, phường"; ", Tỉnh đoàn" is the next name
                    spans = list(zip(lm.starts("lv"), lm.ends("lv")))
                    keep = 1 + next((k for k, (a, _) in enumerate(spans[1:]) if not text[a].islower()), len(spans) - 1)
                    spans = spans[:keep]
                    words = [norm_key(folded[a:b]) for a, b in spans]
                    pre = f"{lm.group('pre')} " if lm.group("pre") else ""
                    name = f"{name} {pre}{', '.join(words)}"
                    levels = {g.level_of.get(w) for w in words}
                    if "district" in levels and "thành phố" in words:
                        levels.discard("province")  # "các huyện, thị xã, thành phố": a province's cities
                    level = levels.pop() if len(levels) == 1 else None
                    end = spans[-1][1]
                    if lm.group("tail") and keep == len(lm.captures("lv")):
                        end = lm.end("tail")  # "các tỉnh, thành phố trực thuộc Trung ương"
                    elif len(words) == 1 and not pre:
                        end = _place_after(text, end)
                elif default_level:
                    name = f"{name} {default_level}"
                    level = g.level_of.get(default_level)
            out.append(Mention(start, end, " ".join(text[start:end].split()), name, level))
        taken.add(start, end)
    # unseen names of a known shape
    for m in _shape_matches(g, text):
        if taken.overlaps(m.start(), m.end()):
            continue
        raw = " ".join(m.group(0).split())
        level = g.head_level.get(m.group("head"))
        if level is None:  # "Trung tâm Kiểm soát bệnh tật tỉnh": the level word it ends with
            last = norm_key(raw.rsplit(" ", 1)[-1])
            level = g.level_of.get(last)
        out.append(Mention(m.start(), m.end(), raw, raw, level))
        taken.add(m.start(), m.end())
    # unnamed groups
    for m in _generic_matches(g, folded):
        if taken.overlaps(m.start(), m.end()):
            continue
        out.append(Mention(m.start(), m.end(), text[m.start():m.end()], None))
    out.sort(key=lambda x: (x.start, -x.end))
    return out


_LEVELS = frozenset({"national", "province", "district", "commune"})


def canonical_name(raw: str, meta: dict | None = None) -> str | None:
    """Canonical name of one written agency name (None when it is not a known agency)."""
    ms = [m for m in find_mentions(raw, meta) if not m.generic]
    return ms[0].name if ms and ms[0].start == 0 else None


# ---- lists --------------------------------------------------------------------------------
@dataclass
class _List:
    items: list[Mention]

    @property
    def start(self) -> int:
        return self.items[0].start

    @property
    def end(self) -> int:
        return self.items[-1].end

    @property
    def named(self) -> list[Mention]:
        return [m for m in self.items if not m.generic]


def group_lists(text: str, mentions: list[Mention]) -> list[_List]:
    """Consecutive mentions joined by list separators (", ", " và ", "/")."""
    g = gazetteer()
    lists: list[_List] = []
    cur: list[Mention] = []
    last_end = -1
    for m in mentions:
        if m.start < last_end:
            continue
        if cur and g.separators.fullmatch(text, cur[-1].end, m.start):
            cur.append(m)
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
    label: regex.Pattern
    label_cell: regex.Pattern  # a table header cell naming a role ("Cơ quan chủ trì")
    partner: regex.Pattern
    field_line: regex.Pattern
    clause_start: regex.Pattern
    heading_prefix: regex.Pattern
    heading_tail: regex.Pattern
    body_end: regex.Pattern
    annex_start: regex.Pattern
    object_before: regex.Pattern
    strength: dict[str, int]
    non_task: regex.Pattern


@lru_cache(maxsize=1)
def roles() -> _Roles:
    r = role_data()
    cue_role = {}
    for role, phrases in r["cues"].items():
        for p in phrases:
            cue_role[norm_key(p)] = role
    cue_alt = "|".join(_alias_pattern(k) for k in sorted(cue_role, key=len, reverse=True))
    cue = regex.compile(rf"(?<![\w])(?:{cue_alt})(?![\w])")
    vp = "|".join(_alias_pattern(p) for p in r.get("verb_prefixes") or []) or "(?!)"
    # a parenthesis may stand between the agency and its verb: "Trung tâm Y tế huyện (cơ quan
    # thường trực Ban Chỉ đạo) chủ trì"; the words inside it give no role of their own
    after_list = regex.compile(rf"[ \t]*(?:\([^()\n]{{1,200}}\)[ \t]*)?:?[ \t]*(?:(?:{vp})[ \t]+)?(?P<cue>{cue_alt})(?![\w])")
    label_parts = []
    for role, pats in r["labels"].items():
        label_parts.append(rf"(?P<{role}>{'|'.join(pats)})")
    label = regex.compile(rf"(?:{'|'.join(label_parts)})\s*:\s*$")
    label_cell = regex.compile(rf"\s*(?:{'|'.join(label_parts)})\s*:?\s*")
    partner = regex.compile(r"phối\s+hợp(?:\s+với)?\s*$")
    impl = "|".join(p for pats in r["labels"].values() for p in pats)
    field_line = regex.compile(rf"^\s*(?:[-+•*]\s*)?(?:{impl})[^:\n]{{0,40}}:")
    intro = "|".join(_alias_pattern(p) for p in r["intro_phrases"])
    clause_start = regex.compile(
        rf"(?:^|[.;:!?])\s*(?:[-+•*]\s*|[a-zđ]\)\s*|\d+(?:\.\d+)*[.)]?\s+)?"
        rf"(?:(?:{intro})(?:[^.;:\n]{{0,120}}?,)?\s*)?$", regex.M
    )
    prefixes = "|".join(_alias_pattern(p) for p in r["heading_prefixes"])
    heading_prefix = regex.compile(
        rf"^[ \t]*(?:\*+)?(?:[-+•*][ \t]+|(?:[IVX]+|\d{{1,2}}(?:\.\d{{1,2}})*|[a-zđ])[.)][ \t]*|Điều[ \t]+\d+\.?[ \t]+)?"
        rf"(?:(?:{prefixes})[ \t]+)?", regex.I | regex.M)
    heading_tail = regex.compile(r"[ \t]*(?:\([^)\n]*\))?[ \t]*:?[ \t*]*$")
    body_end = regex.compile(r["body_end"], regex.M | regex.I)
    annex_start = regex.compile(r.get("annex_start") or r"(?!)", regex.M)
    object_before = regex.compile(r"(?:với|của|cho|về|tại|tới|đến|lên)\s*$")
    strength = {role: i for i, role in enumerate(r["strength"])}
    non_task = regex.compile(r.get("non_task_headings") or r"^$", regex.I)
    return _Roles(cue, cue_role, after_list, label, label_cell, partner, field_line, clause_start, heading_prefix,
                  heading_tail, body_end, annex_start, object_before, strength, non_task)


def body_end(text: str) -> int:
    """Where the plan body ends (the distribution list "Nơi nhận:" starts)."""
    return _of_text(text, "body_end", _body_end)


def _body_end(text: str) -> int:
    ranges = distribution_lists(text)
    return ranges[-1][0] if ranges and ranges[-1][1] == len(text) else len(text)


def distribution_lists(text: str) -> list[tuple[int, int]]:
    """(start, end) of each distribution list ("Nơi nhận:" ...). A list followed by an annexed
    document (a decision's "KẾ HOẠCH ..." in capitals) ends at its title; the last runs to the end."""
    return _of_text(text, "distribution_lists", _distribution_lists)


def _distribution_lists(text: str) -> list[tuple[int, int]]:
    R = roles()
    out: list[tuple[int, int]] = []
    pos = 0
    while (m := R.body_end.search(text, pos)) is not None:
        a = R.annex_start.search(text, m.end())
        if a is None:
            out.append((m.start(), len(text)))
            break
        out.append((m.start(), a.start()))
        pos = a.end()
    return out


def in_distribution_list(text: str, i: int) -> bool:
    return any(s <= i < e for s, e in distribution_lists(text))


_TEXT_CACHE: dict = {"text": None}


def _of_text(text: str, key: str, fn) -> Any:
    """``fn(text)``, kept for the last text seen: agencies and reporting ask for the same
    document's shadow and body end several times."""
    cache = _TEXT_CACHE
    if cache["text"] is not text:
        cache.clear()
        cache["text"] = text
    if key not in cache:
        cache[key] = fn(text)
    return cache[key]


def doc_shadow(text: str) -> str:
    """``shadow(text)`` of a whole document text, computed once per document."""
    return _of_text(text, "shadow", shadow)


_CLAUSE_END = regex.compile(r"[.;](?=\s|$)|\n")


def clause_end(text: str, pos: int, cap: int = 300) -> int:
    m = _CLAUSE_END.search(text, pos, min(len(text), pos + cap))
    if m:
        return m.start()
    e = min(len(text), pos + cap)
    sp = text.rfind(" ", pos, e)
    return sp if sp > pos and e < len(text) else e


def _task_heading(doc: Any, offset: int) -> str | None:
    """Title of the nearest enclosing section that names an activity (not "Cơ quan thực hiện")."""
    skip = roles().non_task
    for s in doc.ancestors(doc.section_at(offset)):
        title = " ".join(s.title.split()).strip(" :.")
        if not title or s.is_bullet or skip.search(title):
            continue
        return title[:300]
    return None


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


def _block_of(doc: Any, offset: int) -> Any:
    s = doc.section_at(offset)
    while s is not None and s.is_bullet:
        s = doc.sections[s.parent] if s.parent is not None else None
    return ("s", s.start) if s is not None else ("doc", 0)


def _line_bounds(text: str, pos: int) -> tuple[int, int]:
    s = text.rfind("\n", 0, pos) + 1
    e = text.find("\n", pos)
    return s, (len(text) if e == -1 else e)


def _in_field(text: str, pos: int) -> bool:
    """Is ``pos`` on a "Cơ quan thực hiện: ..." line, or a bullet right under such a label?"""
    R = roles()
    ls, _ = _line_bounds(text, pos)
    line = shadow(text[ls:pos])
    if R.field_line.search(line):
        return True
    if _BULLET.match(line):
        j = ls - 1
        while j > 0 and text[j - 1].isspace():  # skip blank lines
            j -= 1
        prev_line = shadow(text[text.rfind("\n", 0, j) + 1:j])
        return bool(R.field_line.search(prev_line)) and prev_line.rstrip().endswith(":")
    return False


_BULLET = regex.compile(r"\s*[-+•*]")


def _hits(doc: Any) -> Iterator[_Hit]:
    text = doc.text
    R = roles()
    limit = body_end(text)
    folded = doc_shadow(text)
    mentions = [m for m in find_mentions(text, doc.meta, folded)
                if m.start < limit and not in_distribution_list(text, m.start)]
    lists = group_lists(text, mentions)
    subjects: list[tuple[_List, int, int]] = []  # heading subject list, body start, body end
    for lst in lists:
        named = lst.named
        ls, _ = _line_bounds(text, lst.start)
        base = max(0, lst.start - 200)
        # (a) "Cơ quan chủ trì: A, B"
        lab = R.label.search(folded, base, lst.start)
        if lab:
            role = next((k for k in ("lead", "coordinate", "focal") if lab.group(k)), None)
            if role:
                qs = lab.start()
                for m in named:
                    yield _Hit(m, role, _block_of(doc, lst.start), lst.start, qs, lst.end,
                               _task_heading(doc, lst.start))
        # (b) "A, B chủ trì" / "A: Phối hợp" / "giao A làm cơ quan đầu mối"
        after = R.after_list.match(folded, lst.end, min(len(text), lst.end + 300))
        if after and not R.object_before.search(folded, max(0, lst.start - 12), lst.start):
            role = R.cue_role[norm_key(after.group("cue"))]
            ce = clause_end(text, after.start("cue"))
            task = " ".join(text[after.start("cue"):ce].split()) or None
            for m in named:
                yield _Hit(m, role, _block_of(doc, after.start("cue")), after.start("cue"), lst.start, ce, task)
        # (c) "Cơ quan thực hiện: A chủ trì, phối hợp với B, C"
        p = R.partner.search(folded, max(0, lst.start - 25), lst.start)
        if p and _in_field(text, lst.start):
            for m in named:
                yield _Hit(m, "coordinate", _block_of(doc, lst.start), lst.start, p.start(), lst.end,
                           _task_heading(doc, lst.start))
        # (d) a heading (or a line of its own) naming the agencies
        pre = R.heading_prefix.match(text, ls, lst.start)
        if named and pre and pre.end() == lst.start:
            _, lend = _line_bounds(text, lst.end)
            if R.heading_tail.fullmatch(text, lst.end, lend) or (after and ":" in text[lst.end:after.start("cue")]):
                sec = doc.section_at(ls)
                if sec is not None and sec.start == ls and not sec.is_bullet:
                    end = sec.end
                else:
                    end = next((s.start for s in doc.sections if s.start > lend and not s.is_bullet), len(text))
                subjects.append((lst, lend, min(end, limit)))
    # bodies end where the next subject heading starts
    subjects.sort(key=lambda x: x[0].start)
    for i, (lst, bs, be) in enumerate(subjects):
        if i + 1 < len(subjects):
            be = min(be, subjects[i + 1][0].start)
        sec = doc.section_at(lst.start)
        block = ("s", sec.start) if sec is not None and sec.start <= lst.start else ("h", lst.start)
        for c in R.cue.finditer(folded, bs, be):
            ls, _ = _line_bounds(text, c.start())
            if not R.clause_start.search(folded, max(ls, c.start() - 300), c.start()):
                continue
            role = R.cue_role[norm_key(c.group(0))]
            ce = clause_end(text, c.start())
            qs = lst.start if ce - lst.start <= 400 else c.start()
            task = " ".join(text[c.start():ce].split()) or None
            for m in lst.named:
                yield _Hit(m, role, block, c.start(), qs, ce, task)


def _table_hits(doc: Any, folded: str) -> Iterator[_Hit]:
    """Tables with role columns: | Nội dung | Cơ quan chủ trì | Cơ quan phối hợp | ... (extractors/_table_agencies.py)."""
    def hit(m: Mention, offset: int, role: str, block: Any, qs: int, qe: int, task: str | None) -> _Hit:
        m = Mention(m.start + offset, m.end + offset, m.raw, m.name, m.level, m.successor)
        return _Hit(m, role, block, m.start, qs, qe, task)

    return table_hits(doc, folded, find_mentions, hit)


@table("agencies", Agency)
def extract(doc: Any) -> Iterator[Agency]:
    R = roles()
    best: dict[tuple, _Hit] = {}
    order: list[tuple] = []
    text = doc.text
    hits = _hits(doc)
    if doc.tables:
        hits = chain(hits, _table_hits(doc, doc_shadow(text)))
    for h in hits:
        key = (h.block, h.mention.name)
        old = best.get(key)
        if old is None:
            best[key] = h
            order.append(key)
        elif R.strength[h.role] < R.strength[old.role]:
            best[key] = h
    seen = set()
    for key in sorted(order, key=lambda k: (best[k].offset, best[k].mention.start)):
        h = best[key]
        m = h.mention
        quote, qs, qe = span(doc, min(h.qs, h.qe), h.qe)
        dedup = (m.name, h.role, h.block, qs, qe)
        if dedup in seen:
            continue
        seen.add(dedup)
        yield Agency(
            name=m.name, name_raw=m.raw, role=h.role, level=m.level,
            section=doc.section_label(h.offset) or None, task=h.task, successor=m.successor,
            quote=quote, char_start=qs, char_end=qe,
        )
