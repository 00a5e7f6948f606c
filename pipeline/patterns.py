"""Patterns compiled on first use.

Compiling a `regex` pattern is pure Python (parsing, optimising) and costs about 1 ms per KB of
pattern; the extractors' loaders build a few hundred, and a one-file run used under half of them
(budget patterns in a plan without money, the table vocabulary in a text without tables). A
``lazy_compile`` pattern is compiled when a method is first called (``match``, ``search``,
``finditer``, ``pattern`` …) and then behaves as the compiled pattern: same matches."""
from __future__ import annotations

import regex


class LazyPattern:
    """``regex.compile(source, flags)``, done on the first attribute access."""

    __slots__ = ("_source", "_flags", "_pattern", "__dict__")

    def __init__(self, source: str, flags: int = 0) -> None:
        self._source, self._flags, self._pattern = source, flags, None

    def compiled(self) -> regex.Pattern:
        if self._pattern is None:
            self._pattern = regex.compile(self._source, self._flags)
        return self._pattern

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
