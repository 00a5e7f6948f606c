"""Patterns compiled on first use.

Compiling a `regex` pattern is pure Python (parsing, optimising) and costs about 1 ms per KB of
pattern; the extractors' loaders build a few hundred, and a one-file run used under half of them
(budget patterns in a plan without money, the table vocabulary in a text without tables). A
``lazy_compile`` pattern is compiled when a method is first called (``match``, ``search``,
``finditer``, ``pattern`` …) and then behaves as the compiled pattern: same matches."""
from __future__ import annotations

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
