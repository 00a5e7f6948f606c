"""Numbers, part of the document model: a language-neutral reader fed by data.

The engine reads digit groups and number words; the words, their values and the way they combine
come from ``corpora/lexicons/numbers.json`` (for Vietnamese, as LexNLP reads amounts from a
per-language word table). ``Document.numbers`` holds every number of a text, found once.

- ``1.250`` is one thousand two hundred fifty (``.`` groups thousands), ``1,5`` is one and a half
  (``,`` is the decimal mark), ``01`` is one;
- number words: ``hai mươi`` (20), ``một trăm`` (100), ``mười lăm`` (15), ``hai mươi mốt`` (21),
  ``một trăm linh năm`` (105), ``ba nghìn`` (3000); word data in ``corpora/lexicons/numbers.json``.

``parse_number("1.250") == 1250`` ; ``find_numbers(text)`` yields ``Number(value, start, end)``.
"""
from __future__ import annotations

import re
from functools import lru_cache
from typing import Iterator, NamedTuple

import regex

from chitieu.pipeline.corpus import corpus_data


# digits: 1.250.000 | 1,5 | 1.250,5 | 01 | 2500 ; not part of a longer token like 112/QĐ-TTg or 10/6
DIGITS = regex.compile(r"(?<![\d.,/\p{L}])(\d{1,3}(?:\.\d{3})+(?:,\d+)?|\d+(?:,\d+)?|\d+\.\d{1,2}(?!\d))(?![\d\p{L}/]|[.,]\d)")


class Number(NamedTuple):
    """A number of a text: its value, offsets and words (a tuple: a text holds thousands)."""
    value: float
    start: int
    end: int
    text: str

    @property
    def as_int(self) -> int | None:
        return int(self.value) if float(self.value).is_integer() else None


_GROUPED = regex.compile(r"\d{1,3}(?:\.\d{3})+(?:,\d+)?")
_DECIMAL_COMMA = regex.compile(r"\d+,\d+")
_DIGITS_ONLY = regex.compile(r"[\d.,]+")
_MAX_INT_DIGITS = 300


def parse_digits(s: str) -> float:
    """Parse a digit string the Vietnamese way."""
    s = s.strip()
    if s.isdigit():
        # Python refuses int() of more than ~4,300 digits: a longer run is a float (inf when huge),
        # never an exception; callers drop values that cannot be stored exactly
        return int(s) if len(s) <= _MAX_INT_DIGITS else float(s)
    if _GROUPED.fullmatch(s):
        s = s.replace(".", "").replace(",", ".")
    elif _DECIMAL_COMMA.fullmatch(s):
        s = s.replace(",", ".")
    value = float(s)
    if value.is_integer() and abs(value) < 1e300:
        return int(value)
    return value


@lru_cache(maxsize=1)
def lexicon() -> dict:
    return corpus_data("lexicons/numbers.json")


@lru_cache(maxsize=1)
def _word_pattern() -> regex.Pattern:
    alt = "|".join(sorted(map(regex.escape, number_words()), key=len, reverse=True))
    return regex.compile(rf"(?<!\p{{L}})(?:{alt})(?:\s+(?:{alt}))*(?!\p{{L}})", regex.I)


@lru_cache(maxsize=1)
def number_words() -> list[str]:
    """Every number word of the lexicon, longest first."""
    lx = lexicon()
    words = set(lx["units"]) | set(lx["after_tens"]) | set(lx["ten"]) | set(lx["tens_suffix"]) | set(lx["hundred"]) \
        | set(lx["join"]) | set(lx["multipliers"]) | set(lx["half"])
    return sorted(words, key=len, reverse=True)


@lru_cache(maxsize=1)
def _word_hint() -> re.Pattern:
    """Where a number word can start, on the lower-cased text: a case-sensitive stdlib ``re``
    scan, much faster than the case-insensitive ``regex`` one. Exact only for texts whose
    characters pass ``_lower_is_safe``."""
    # no word boundary before: a hit cannot straddle the start of a real match (safe texts turn only
    # letters into these letters), and the extra hits are cheaper than a look-behind at each place; the
    # words as a trie ("m(?:ư(?:ơi|ời)|ốt|ột)"), the longest word at each place, as the list does
    words = {w.lower() for w in number_words()}
    body = _word_trie()
    if any(a != b and b.startswith(a) for a in words for b in words):
        return re.compile(body)
    # no word begins another: at most one word starts at a place, so a hint followed by a letter
    # (dropped by ``_word_spans`` anyway) can be left out by the scan itself, with no other change
    return re.compile(f"(?:{body})(?![{_LETTERS}])")


# lower-case letters (each ``str.isalpha``): Latin, Vietnamese
LOWER_LETTERS = _LETTERS = "a-zđ\u00e0-\u00f6\u00f8-\u00ff\u0101\u0103\u0129\u0169\u01a1\u01b0\u1ea1-\u1ef9"


def trie(words: set[str], space: str | None = None) -> str:
    """A regular expression matching the longest of ``words`` that starts at a place (the same
    match as their alternation longest first), with one branch per first letter, not per word;
    ``space``: what a space of a word stands for (a pattern such as ``\\s+``), else itself."""
    root: dict = {}
    for w in words:
        node = root
        for ch in w:
            node = node.setdefault(ch, {})
        node[""] = {}

    def build(node: dict) -> str:
        alts = [(space if ch == " " and space else re.escape(ch)) + build(child)
                for ch, child in sorted(node.items()) if ch]
        if not alts:
            return ""
        body = alts[0] if len(alts) == 1 else "(?:" + "|".join(alts) + ")"
        return f"(?:{body})?" if "" in node else body  # greedy: a longer word first

    return build(root)


class LowerCheck:
    """Is ``text.lower()`` a copy of ``text`` that keeps every offset and turns each character that
    a case-insensitive ``regex`` pattern takes for one of ``letters`` into exactly that letter (and
    passes ``also``)? Then a case-sensitive scan of the lower-cased text (``lowered``) for words of
    those letters finds every place the case-insensitive pattern can match. (Not so for "ſ", "İ".)
    Characters are sorted once per process for every check (all checks share one scan of a text for
    characters not seen before); a scan for the few unsafe ones is all a text costs after that, and
    the answer for the last text is kept (the extractors ask about the same document in turn)."""

    _all: list["LowerCheck"] = []
    _seen: set[str] = set()
    _unseen = re.compile(r"[\s\S]")  # a character no check has sorted yet (all, at first)
    _last_seen: str | None = None

    def __init__(self, letters: str, also=None) -> None:
        self.letters = set(letters)
        self.also = also
        # each letter compiled once (``regex.fullmatch`` would look its pattern up for every character),
        # and all of them as one class: most characters are none of them, in any case
        self._any = regex.compile("[" + "".join(regex.escape(x) for x in sorted(self.letters)) + "]", regex.I) \
            if self.letters else None
        self._each = [(x, regex.compile(regex.escape(x), regex.I)) for x in sorted(self.letters)]
        self.not_safe: set[str] = {c for c in LowerCheck._seen if not self.char_is_safe(c)}
        self._last: tuple[str | None, bool] = (None, False)
        LowerCheck._all.append(self)

    def char_is_safe(self, c: str) -> bool:
        low = c.lower()
        ok = len(low) == 1
        if ok and self._any is not None and self._any.fullmatch(c):
            ok = all(low == x for x, p in self._each if p.fullmatch(c))
        return ok and (self.also is None or self.also(c, low))

    @classmethod
    def _see(cls, text: str) -> None:
        """Sort the characters of ``text`` no check has seen yet, for every check."""
        if text is cls._last_seen:
            return
        if cls._unseen.search(text):
            new = set(cls._unseen.findall(text))
            for check in cls._all:
                check.not_safe |= {c for c in new if not check.char_is_safe(c)}
            cls._seen |= new
            cls._unseen = re.compile("[^" + "".join(re.escape(c) for c in sorted(cls._seen)) + "]")
        cls._last_seen = text

    def __call__(self, text: str) -> bool:
        last = self._last  # one read of the pair: a thread that checks another text replaces it whole
        if last[0] is not text:
            LowerCheck._see(text)
            last = self._last = (text, not any(c in text for c in self.not_safe))
        return last[1]


_LOWERED: tuple = (None, "")  # the last text lower-cased and its lower case


def lowered(text: str) -> str:
    """``text.lower()``, kept for the last text (the extractors read the same document in turn)."""
    global _LOWERED
    last = _LOWERED  # one read of the pair, as in ``LowerCheck``
    if last[0] is not text:
        last = _LOWERED = (text, text.lower())
    return last[1]


def _number_char_ok(c: str, low: str) -> bool:
    """Only letters turn into a-z or a letter of a number word, and ``str.isalpha`` says what
    ``\\p{L}`` says (the two Unicode versions agree on it)."""
    is_letter = _LETTER.fullmatch(c) is not None
    if (low in _number_letters() or "a" <= low <= "z") and not is_letter:
        return False
    return c.isalpha() == is_letter


_LETTER = regex.compile(r"\p{L}")


@lru_cache(maxsize=1)
def _number_letters() -> str:
    return "".join(sorted(set("".join(number_words()).lower())))


@lru_cache(maxsize=1)
def _number_check() -> LowerCheck:
    return LowerCheck(_number_letters(), _number_char_ok)


def _lower_is_safe(text: str) -> bool:
    """Does ``text.lower()`` keep every offset, and turn each character that ``_word_pattern``
    takes for a letter of a number word (case-insensitively) into exactly that letter, and
    only letters into a-z or such a letter? (``LowerCheck``)"""
    return _number_check()(text)


def _word_spans(text: str) -> Iterator[tuple[int, int]]:
    """The spans of ``_word_pattern().finditer(text)``: the pattern is tried only where ``_word_hint``
    finds a word, and only when another number word follows it (``_word_follow``); a word alone is
    its own match."""
    pattern = _word_pattern()
    if not _lower_is_safe(text):
        for m in pattern.finditer(text):
            yield m.span()
        return
    pos = 0
    n = len(text)
    low = lowered(text)
    follow = _word_follow()
    for h in _word_hint().finditer(low):
        s, e = h.span()
        # inside a word ("ba" of "ban", "hai" of "thai"): no number there (the hint is the longest
        # word at ``s``, and a shorter one is followed by a letter too); tested without the pattern
        if s < pos or (s and text[s - 1].isalpha()) or (e < n and text[e].isalpha()):
            continue
        if follow.match(low, e) is None:
            yield s, e  # no number word after it: the pattern would match the word and stop
            pos = e
            continue
        m = pattern.match(text, s)
        if m:
            yield m.span()
            pos = m.end()


@lru_cache(maxsize=1)
def _word_follow() -> re.Pattern:
    """Where another number word may follow one (spaces, then the start of a word: ``_word_hint``'s
    words, on the lower-cased text; the stdlib's \\s takes every space ``regex``'s does)."""
    return re.compile(r"\s+" + _word_trie())


@lru_cache(maxsize=1)
def _word_trie() -> str:
    """The lower-cased number words as one trie (``_word_hint``, ``_word_follow``)."""
    return trie({w.lower() for w in number_words()})


def parse_words(s: str) -> float | None:
    """Value of a run of number words, or None when the words do not form a number."""
    lx = lexicon()
    tokens = s.lower().split()
    if not tokens:
        return None
    total = 0  # completed groups (thousands, millions, …)
    group = 0  # current group below 1000
    cur = None  # pending digit
    seen_tens = False
    any_digit = False
    last_mult = 1
    for tok in tokens:
        if seen_tens and cur is None and tok in lx["after_tens"]:
            # "hai mươi lăm" 25, "hai mươi mốt" 21, "bốn mươi tư" 44, "mười năm" 15 (after_tens data)
            group += lx["after_tens"][tok]
            seen_tens = False
        elif tok in lx["units"]:
            if cur is not None:
                return None
            cur = lx["units"][tok]
            any_digit = True
        elif tok in lx["ten"]:
            if cur is not None:
                return None
            group += 10
            seen_tens = True
            any_digit = True
        elif tok in lx["tens_suffix"]:
            if cur is None:
                return None
            group += cur * 10
            cur = None
            seen_tens = True
        elif tok in lx["hundred"]:
            group += (1 if cur is None else cur) * 100
            last_mult = 100
            cur = None
            seen_tens = False
        elif tok in lx["join"]:
            continue
        elif tok in lx["multipliers"]:
            if cur is not None:
                group += cur
                cur = None
            if not group and not any_digit:
                return None
            last_mult = lx["multipliers"][tok]
            total += (group or 1) * last_mult
            group = 0
            seen_tens = False
        elif tok in lx["half"]:
            # "một triệu rưỡi" = 1 500 000; "hai trăm rưỡi" = 250
            if cur is not None or group:
                return None
            return total + last_mult / 2
        else:
            return None
    if cur is not None:
        group += cur
    if not any_digit and not total:
        return None
    return total + group


def parse_number(s: str) -> float | None:
    """Parse digits or number words; None when ``s`` is neither."""
    s = s.strip()
    if not s:
        return None
    if _DIGITS_ONLY.fullmatch(s):
        try:
            return parse_digits(s)
        except ValueError:
            return None
    return parse_words(s)


def find_numbers(text: str, *, words: bool = True) -> Iterator[Number]:
    """Numbers in ``text`` with their offsets, digits and (optionally) word numbers, in order."""
    found = [Number(parse_digits(m.group(1)), m.start(1), m.end(1), m.group(1)) for m in DIGITS.finditer(text)]
    if words:
        alone_no_number = set(lexicon()["alone_no_number"])
        for s, e in _word_spans(text):
            words = text[s:e]
            if words.lower() in alone_no_number:
                continue  # "năm" is also "year", "tư" also "private", a bare "triệu" is no number
            v = parse_words(words)
            if v is not None:
                found.append(Number(v, s, e, words))
    found.sort(key=lambda n: n.start)
    yield from found
