"""Patterns compiled on first use.

Compiling a `regex` pattern is pure Python (parsing, optimising) and costs about 1 ms per KB of
pattern; the extractors' loaders build a few hundred, and a one-file run used under half of them
(budget patterns in a plan without money, the table vocabulary in a text without tables). A
``lazy_compile`` pattern is compiled when a method is first called (``match``, ``search``,
``finditer``, ``pattern`` …) and then behaves as the compiled pattern: same matches."""
from __future__ import annotations

from typing import Iterable

import regex

# every lazy pattern (and group of them) made so far: ``compile_all`` compiles them before the
# workers of --jobs are forked, so they share the compiled patterns instead of each compiling them
_MADE: list = []


def on_demand(group) -> None:
    """Register an object with a ``compile_all()`` method (a table of lazy patterns)."""
    _MADE.append(group)


def compile_all() -> None:
    """Compile every lazy pattern made so far (the loaders make them once per process)."""
    for item in list(_MADE):
        item.compile_all()


class LazyPattern:
    """``regex.compile(source, flags)``, done on the first attribute access."""

    __slots__ = ("_source", "_flags", "_pattern", "__dict__")

    def __init__(self, source: str, flags: int = 0) -> None:
        self._source, self._flags, self._pattern = source, flags, None
        _MADE.append(self)

    def compiled(self) -> regex.Pattern:
        if self._pattern is None:
            self._pattern = regex.compile(self._source, self._flags)
        return self._pattern

    compile_all = compiled

    def __getattr__(self, name: str):
        if name.startswith("__"):
            raise AttributeError(name)
        value = getattr(self.compiled(), name)
        self.__dict__[name] = value  # the next call finds the compiled pattern's method directly
        return value

    def __repr__(self) -> str:
        return f"lazy_compile({self._source[:40]!r}…)"


def lazy_compile(source: str, flags: int = 0) -> regex.Pattern:
    """A pattern compiled on its first use (typed as the pattern it stands for)."""
    return LazyPattern(source, flags)  # type: ignore[return-value]


# ---- one pass for many word patterns ----------------------------------------------------------
class FirstWords:
    """Where patterns that open with a word of a known list can match, found in one pass.

    Many whole-text scans of the extractors are alternations of phrases over folded text
    (``(?<![\\w])(?:phối hợp|phối hợp với|…)(?![\\w])``): ``regex`` cannot skip ahead to a literal
    there (the pattern opens with a look-behind), so each scan tries every position. A match of
    such a pattern starts where one of its phrases' first words is written, so one Aho-Corasick
    pass (``pyahocorasick``, in C) over the text finds every place where any of the patterns can
    start, and each pattern is tried only there (:func:`finditer_at`): the same matches as its
    ``finditer``. ``groups``: name -> the first words of that group's phrases."""

    def __init__(self, groups: dict[str, list[str]]) -> None:
        import ahocorasick

        self.groups = {name: frozenset(words) for name, words in groups.items()}
        of: dict[str, set[str]] = {}
        for name, words in self.groups.items():
            if not all(words):
                raise ValueError(f"first words of {name!r}: an empty word")
            for w in words:
                of.setdefault(w, set()).add(name)
        self._auto = ahocorasick.Automaton()
        for w, names in of.items():
            self._auto.add_word(w, (len(w), tuple(sorted(names))))
        self._auto.make_automaton()

    def starts(self, text: str, end: int | None = None) -> dict[str, list[int]]:
        """group -> sorted offsets in text[:end] where one of its first words is written (as a
        substring: the pattern decides the word boundaries)."""
        out: dict[str, list[int]] = {name: [] for name in self.groups}
        if end is not None and end < len(text):
            text = text[:end]
        for last, (n, names) in self._auto.iter(text):
            for name in names:
                out[name].append(last - n + 1)
        for v in out.values():
            v.sort()
        return out


def finditer_at(pattern: regex.Pattern, text: str, starts: list[int], pos: int = 0, endpos: int | None = None,
                timeout: float | None = None):
    """The matches of ``pattern.finditer(text, pos, endpos)`` for a pattern whose matches can only
    start at the sorted offsets ``starts`` (:class:`FirstWords`): ``pattern.match`` at each of
    them in ``[pos, endpos]``, the next tried after the end of the last match (look-behinds see
    the text before the offset, as in ``finditer``)."""
    from bisect import bisect_left

    endpos = len(text) if endpos is None else endpos
    i = bisect_left(starts, pos)
    last = pos
    while i < len(starts) and starts[i] <= endpos:
        s = starts[i]
        i += 1
        if s < last:
            continue
        m = pattern.match(text, s, endpos, timeout=timeout)
        if m is not None:
            yield m
            last = m.end() if m.end() > s else s + 1


# ---- patterns anchored at a line start ------------------------------------------------------
def _top_level_bar(source: str) -> bool:
    """Does ``source`` hold a ``|`` outside every group and character class (``^a|b``)?"""
    return len(_branches(source)) > 1


class LineStartPattern:
    """A MULTILINE pattern that opens with ``^``, searched through the line breaks.

    ``regex`` tries such a pattern at every position of the text (the anchor is tested there);
    the same pattern with ``\\n`` for ``^`` lets it skip ahead to each line break in C, 10x faster
    on a whole document. A match can only start at offset 0 or right after a line break, so
    ``search`` tries the pattern itself at 0, then finds the first line break after which the rest
    matches and matches the pattern itself there: the same match as ``pattern.search`` (and
    ``finditer`` the same matches as ``pattern.finditer``). Every other attribute is the pattern's."""

    def __init__(self, source: str, flags: int) -> None:
        self._source, self._flags, self._pair = source, flags, None
        _MADE.append(self)

    def compile_all(self) -> tuple[regex.Pattern, regex.Pattern]:
        """(the pattern, the pattern with ``\n`` for ``^``), compiled on first use."""
        if self._pair is None:
            self._pair = (regex.compile(self._source, self._flags),
                          regex.compile("\n(?:" + self._source[1:] + ")", self._flags))
        return self._pair

    def search(self, text: str, pos: int = 0, endpos: int | None = None, *, timeout: float | None = None):
        endpos = len(text) if endpos is None else min(endpos, len(text))
        pos = min(max(pos, 0), len(text))  # as ``regex`` clamps them
        pattern, after_break = self._pair or self.compile_all()
        if pos == 0:
            m = pattern.match(text, 0, endpos, timeout=timeout)
            if m is not None:
                return m
        n = after_break.search(text, max(pos - 1, 0), endpos, timeout=timeout)
        return None if n is None else pattern.match(text, n.start() + 1, endpos, timeout=timeout)

    def finditer(self, text: str, pos: int = 0, endpos: int | None = None, *, timeout: float | None = None):
        end = len(text) if endpos is None else min(endpos, len(text))
        pos = min(max(pos, 0), len(text))
        while pos <= end and (m := self.search(text, pos, endpos, timeout=timeout)) is not None:
            yield m
            pos = m.end() if m.end() > m.start() else m.end() + 1

    def __getattr__(self, name: str):
        if name.startswith("__"):
            raise AttributeError(name)
        return getattr(self.compile_all()[0], name)


def _line_anchored(source: str, flags: int) -> bool:
    """Does every match of ``source`` (MULTILINE) start at a line start: a ``^`` that binds the whole pattern?"""
    return source.startswith("^") and bool(flags & regex.M) and not _top_level_bar(source)


def line_start_compile(source: str, flags: int = 0) -> regex.Pattern:
    """``lazy_compile(source, flags)``, searched faster when it opens with ``^`` in MULTILINE mode
    (:class:`LineStartPattern`, also compiled on first use); any other pattern as it is."""
    if _line_anchored(source, flags):
        return LineStartPattern(source, flags)  # type: ignore[return-value]
    return lazy_compile(source, flags)


# ---- case-insensitive phrase scans ---------------------------------------------------------------
class WordStarts:
    """Where a case-insensitive pattern whose every match opens with one of a few words can start.

    ``regex`` scans an alternation of phrases under ``IGNORECASE`` position by position; a single
    word it skips to, 7x faster. A match of ``(?<!\\w)(?:gửi\\s+báo\\s+cáo|báo\\s+cáo)`` starts where
    one of its first words ("gửi", "báo") matches, so each word is scanned alone (every place it
    matches, with the same flags: the same case folding) and the pattern is tried only there
    (:func:`finditer_at`: the same matches as its ``finditer``). ``usable`` is False when a first
    word is not a plain word (data written as a pattern): callers scan with the pattern itself."""

    def __init__(self, phrases: Iterable[str], flags: int) -> None:
        firsts = [(p.split() or [""])[0] for p in phrases]
        self.usable = bool(firsts) and all(w.isalpha() for w in firsts)
        self._words = [lazy_compile(w, flags) for w in sorted(set(firsts))] if self.usable else []

    def starts(self, text: str, pos: int = 0, endpos: int | None = None) -> list[int]:
        end = len(text) if endpos is None else endpos
        return sorted({m.start() for w in self._words for m in w.finditer(text, pos, end, overlapped=True)})


def _group_end(source: str, i: int) -> int:
    """The index after the ``)`` closing the group that opens at ``source[i]`` (-1: none)."""
    depth = 0
    while i < len(source):
        c = source[i]
        if c == "\\":
            i += 2
            continue
        if c == "[":  # a class: skipped whole ("[]…]", "[^]…]": the "]" is a member)
            i = _class_end(source, i)
            if i < 0:
                return -1
            continue
        if c == "(":
            depth += 1
        elif c == ")":
            depth -= 1
            if depth == 0:
                return i + 1
        i += 1
    return -1


def _branches(source: str) -> list[str]:
    """``source`` cut at its ``|`` outside every group and character class."""
    out, start, i = [], 0, 0
    while i < len(source):
        c = source[i]
        if c == "\\":
            i += 2
            continue
        if c in "([":
            end = _group_end(source, i) if c == "(" else _class_end(source, i)
            if end < 0:
                return [source]
            i = end
            continue
        if c == "|":
            out.append(source[start:i])
            start = i + 1
        i += 1
    return out + [source[start:]]


def _class_end(source: str, i: int) -> int:
    j = i + (2 if source[i + 1:i + 2] in ("^", "]") else 1)
    if source[i + 1:i + 3] == "^]":
        j = i + 3
    while j < len(source):
        if source[j] == "\\":
            j += 2
            continue
        if source[j] == "]":
            return j + 1
        j += 1
    return -1


def first_words(source: str) -> list[str] | None:
    """The words every match of the pattern ``source`` opens with, when it is written as look-arounds
    then an alternation of phrases, each opening with a word: ``(?<!\\p{L})(?:mức\\s+phạt|phạt\\s+tiền)``
    gives ["mức", "phạt"]. None for any other shape (a branch opening with a class, a digit, an
    optional word …)."""
    i = 0
    while source.startswith(("(?<!", "(?<=", "(?!", "(?="), i):  # zero-width: the match starts after them
        i = _group_end(source, i)
        if i < 0:
            return None
    rest = source[i:]
    if rest.startswith("(?:"):
        end = _group_end(rest, 0)
        if end < 0 or rest[end:end + 1] in ("?", "*", "{", "+"):  # an optional group: no first word
            return None
        rest = rest[3:end - 1]
    words = []
    for branch in _branches(rest):
        k = 0
        while k < len(branch) and branch[k].isalpha():
            k += 1
        if k == 0 or branch[k:k + 1] in ("?", "*", "{", "+"):
            return None
        words.append(branch[:k])
    return words


class FirstWordPattern:
    """A pattern whose matches open with one of a few words (:func:`first_words`), searched by
    :class:`WordStarts`: the same matches as its ``finditer``, found where its words are."""

    def __init__(self, source: str, flags: int, words: list[str]) -> None:
        self.compiled = lazy_compile(source, flags)
        self._starts = WordStarts(words, flags)

    def finditer(self, text: str, pos: int = 0, endpos: int | None = None, *, timeout: float | None = None):
        end = len(text) if endpos is None else min(endpos, len(text))
        pos = min(max(pos, 0), len(text))
        return finditer_at(self.compiled, text, self._starts.starts(text, pos, end), pos, end, timeout=timeout)

    def __getattr__(self, name: str):
        if name.startswith("__"):
            raise AttributeError(name)
        return getattr(self.compiled, name)


def scan_compile(source: str, flags: int = 0) -> regex.Pattern:
    """A data pattern for whole-text scans, compiled on first use: searched through the line breaks
    when it opens with ``^`` (:class:`LineStartPattern`), tried only where its first words are
    when it opens with a phrase (:class:`FirstWordPattern`, ``finditer``), else as it is."""
    if _line_anchored(source, flags):
        return LineStartPattern(source, flags)  # type: ignore[return-value]
    words = first_words(source)
    if words:
        return FirstWordPattern(source, flags, words)  # type: ignore[return-value]
    return lazy_compile(source, flags)
