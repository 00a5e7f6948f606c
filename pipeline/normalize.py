"""Text normalization: one spelling for one text, so offsets and matching are stable.

- Unicode NFC;
- one tone-mark convention, the one underthesea's ``text_normalize`` produces
  (``hoà`` -> ``hòa``, ``thuỷ`` -> ``thủy``), applied word by word with the same
  token map, but without its extra spaces around punctuation;
- non-breaking and other exotic spaces to a plain space, zero-width characters dropped;
- dash variants (en dash, em dash, minus, hyphen) to ``-``;
- CRLF/CR to LF, trailing spaces removed, runs of spaces collapsed, at most one blank line.

Every offset stored anywhere in chitieu indexes text produced by this function
(after cleaning, see ``pipeline.clean``).
"""
from __future__ import annotations

import re
import string
import unicodedata
from functools import lru_cache

import regex

# plain character classes and spaces: the stdlib ``re`` substitutes these 2-5x faster than ``regex``
_SPACES = re.compile(r"[\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000\t\f\v]")
_ZERO_WIDTH = re.compile(r"[\u200b-\u200d\u2060\ufeff\u00ad]")
_DASHES = re.compile(r"[\u2010-\u2015\u2212\u2e3a\u2e3b\ufe58\ufe63\uff0d]")
# any character one of the three classes above replaces (their union: one character class)
_ODD_CHARACTER = re.compile("[" + "".join(p.pattern[1:-1] for p in (_SPACES, _ZERO_WIDTH, _DASHES)) + "]")
_MULTI_SPACE = re.compile(r" {2,}")
_TRAILING = re.compile(r" +$", re.M)
_LEADING = re.compile(r"^ +", re.M)
_BLANK_LINES = regex.compile(r"\n{3,}")
_WORD = regex.compile(r"\p{L}+")


def _underthesea_rules() -> tuple[dict, dict]:
    """underthesea's text-normalisation maps, read from its rules file without importing the
    ``underthesea`` package (its ``__init__`` loads pandas, joblib and its CRF models: 0.2 s and
    60 MB at start-up). The file is a plain pickle of ``{"character": …, "token": …}``; where a
    future release changes that, the package's own module is used."""
    import importlib.util
    import os
    import pickle

    spec = importlib.util.find_spec("underthesea")  # finds the package without running it
    folder = os.path.join(os.path.dirname(spec.origin), "pipeline", "text_normalize") if spec and spec.origin else ""
    for name in sorted(os.listdir(folder), reverse=True) if os.path.isdir(folder) else []:
        if name.startswith("tn_rules_") and name.endswith(".bin"):
            try:
                with open(os.path.join(folder, name), "rb") as fh:
                    data = pickle.load(fh)  # a file of the installed package, not user input
                return data["character"], data["token"]
            except (pickle.UnpicklingError, KeyError, TypeError, EOFError):
                break
    from underthesea.pipeline.text_normalize.text_normalizer import character_map, token_map

    return character_map, token_map


@lru_cache(maxsize=1)
def _token_map() -> dict[str, str]:
    """underthesea's word-level spelling map (old-style tone marks and common misspellings)."""
    character_map, token_map = _underthesea_rules()
    table = dict(token_map)
    # underthesea also maps a few look-alike characters (Icelandic eth to đ)
    table.update({k: v for k, v in character_map.items()})
    return table


# what may stick to a word between spaces ("(hoà,", "2021-2025"): ASCII punctuation and digits,
# typographic quotes and dashes; none of them is a letter
_WORD_EDGES = string.punctuation + string.digits + "“”‘’«»…–—"


def _words(text: str) -> set[str]:
    """The distinct letter runs (``\\p{L}+``) of ``text``: the same set as ``_WORD.findall``, at
    half its cost. A letter run never spans white space, so the distinct space-separated tokens
    are read (``str.split`` in C), and a regex runs only on the few tokens that, once stripped of
    punctuation and digits at their edges, still hold a non-letter ("a-b", "m²")."""
    words = set()
    for tok in set(text.split()):
        if not tok.isalpha():
            tok = tok.strip(_WORD_EDGES)
            if not tok.isalpha():
                words.update(_WORD.findall(tok))
                continue
        words.add(tok)
    return words


def normalize_tones(text: str) -> str:
    """Rewrite words to underthesea's tone-mark convention, keeping all other characters."""
    table = _token_map()
    text = text.replace("ð", "đ").replace("Ð", "Đ")
    # Most texts hold none or a handful of the words the map changes: find those once (one set
    # intersection), then substitute only them (a callback per word cost more than half of
    # normalize). Longest first; words of one length cannot both match at one place, so their
    # order is only the cache key's
    changed = sorted(_words(text) & _changing_words(), key=lambda w: (-len(w), w))
    if not changed:
        return text
    return _changed_words(tuple(changed)).sub(lambda m: table[m[0]], text)


@lru_cache(maxsize=1)
def _changing_words() -> frozenset[str]:
    """The words the token map rewrites (those it maps to themselves left out)."""
    return frozenset(w for w, v in _token_map().items() if v != w)


@lru_cache(maxsize=512)
def _changed_words(changed: tuple[str, ...]) -> regex.Pattern:
    """The alternation of the words to rewrite (compiled once per set: the files of a corpus
    repeat the same few old spellings, "UỶ BAN", "hoà")."""
    # the boundaries make each alternative match only a whole letter run, as _WORD does
    return regex.compile(r"(?<!\p{L})(?:" + "|".join(map(regex.escape, changed)) + r")(?!\p{L})")


@lru_cache(maxsize=1)
def _changing_lower() -> frozenset[str]:
    """The words the token map rewrites, lower-cased (a superset test for any letter case)."""
    return frozenset(w.lower() for w in _changing_words())


def letters_already_normal(text: str, lowered_words: set[str]) -> bool:
    """True when ``normalize`` cannot change a letter or digit of ``text`` (only its spaces, line
    breaks and dashes, which no letter run holds), so that the ``[\\p{L}\\d]+`` runs of
    ``text.lower()`` are those of ``normalize(text).lower()``. ``lowered_words``: the distinct
    ``[\\p{L}\\d]+`` runs of ``text.lower()``, which the caller has read anyway.

    The letters change only through NFC, the characters ``_ODD_CHARACTER`` drops or replaces
    (a zero-width character inside a word), ``ð`` and the tone map's words. A text ``lower`` maps
    one character to one keeps its letter runs where they were, lower-cased, so a tone-map word
    in ``text`` shows as its lower-case form among ``lowered_words`` (alone, or between digits).
    False (normalize to be sure) when any of these may apply."""
    if not unicodedata.is_normalized("NFC", text) or "ð" in text or "Ð" in text or _ODD_CHARACTER.search(text):
        return False
    if len(text.lower()) != len(text):  # a character lower-cased to two ("İ"): runs may move
        return False
    changing = _changing_lower()
    for w in lowered_words:
        if w in changing:
            return False
        if not w.isalpha() and not w.isdigit() and not changing.isdisjoint(_WORD.findall(w)):
            return False
    return True


def normalize(text: str) -> str:
    """Return the canonical form of a plan text (see module docstring)."""
    text = unicodedata.normalize("NFC", text)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if _ODD_CHARACTER.search(text):  # most texts hold none: one scan instead of three
        text = _ZERO_WIDTH.sub("", text)
        text = _SPACES.sub(" ", text)
        text = _DASHES.sub("-", text)
    text = normalize_tones(text)
    # the space passes only where they can change something (a plain substring test is far cheaper)
    if "  " in text:
        text = _MULTI_SPACE.sub(" ", text)
    # per line with str methods (``_TRAILING``/``_LEADING`` give the same text; a multi-line
    # ``regex`` anchor is tried at every position, str.split finds the lines in C)
    if " \n" in text or text.endswith(" "):
        text = "\n".join(line.rstrip(" ") for line in text.split("\n"))
    if text.startswith(" ") or "\n " in text:
        text = "\n".join(line.lstrip(" ") for line in text.split("\n"))
    text = _BLANK_LINES.sub("\n\n", text)
    return text.strip("\n ")


def fold(text: str) -> str:
    """Lower-case and strip diacritics (``Đắk Nông`` -> ``dak nong``), for lookup keys and search.
    Short texts (names, table cells: the same few come back for every document) are cached."""
    return _fold_short(text) if len(text) <= 200 else _fold(text)


def _fold(text: str) -> str:
    text = unicodedata.normalize("NFD", text.lower().replace("đ", "d"))
    return "".join(ch for ch in text if unicodedata.category(ch) != "Mn")


_fold_short = lru_cache(maxsize=16384)(_fold)
