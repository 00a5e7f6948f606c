"""Explain: for every number of a document, what it became and why, or why not.

A researcher checks a surprising row or a missing one here, and a developer finds the next rule
to write. For each number in the document text (``Document.numbers``: ``pipeline.numbers``):

- the rows of the tables named in ``corpora/lexicons/explain.yaml`` (targets, budgets) whose
  evidence span holds it, each with the reason the extractor kept (its ``reason`` field, else its
  ``notes``, else its confidence);
- otherwise why it was not taken: the extractor module's own answer when it defines
  ``rejected(doc) -> [(start, end, why)]``, else what the number is when the words before it
  say so (a year, a date, a document reference, a list marker), else "no rule took it".

Library use::

    from chitieu.pipeline.explain import explain_file
    for doc, decisions in explain_file("corpora/seeds/004_7957dd705c424d21.txt", at="70%"):
        for d in decisions: print(d.line())
"""
from __future__ import annotations

import dataclasses
import importlib
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any, Iterable

import regex

from chitieu.pipeline.data import corpus_path

LEXICON = corpus_path("lexicons/explain.yaml")


@dataclass
class Taken:
    table: str
    summary: str  # "target staffing_units_pct 70 % at_least 2026-2026"
    reason: str
    quote: str


@dataclass
class Decision:
    start: int
    end: int
    number: str
    context: str  # the line around the number, shortened
    taken: list[Taken] = field(default_factory=list)
    why_not: str = ""

    @property
    def outcome(self) -> str:
        return "+".join(sorted({t.table for t in self.taken})) if self.taken else "not taken"

    def as_dict(self) -> dict:
        return {"start": self.start, "end": self.end, "number": self.number, "context": self.context,
                "outcome": self.outcome, "taken": [dataclasses.asdict(t) for t in self.taken],
                "why_not": self.why_not or None}

    def line(self) -> str:
        head = f"@{self.start:<6} {self.number!s:>12}  {self.context}"
        if not self.taken:
            return f"{head}\n{'':8}→ not taken: {self.why_not}"
        return head + "".join(f"\n{'':8}→ {t.summary} ({t.reason})" for t in self.taken)


@lru_cache(maxsize=1)
def lexicon() -> dict:
    from chitieu.pipeline.corpus import corpus_data

    data = corpus_data("lexicons/explain.yaml")
    allowed = {"tables", "window", "year_words", "date_words", "reference_words"}
    unknown = set(data) - allowed
    if unknown:
        raise ValueError(f"{LEXICON}: unknown key(s) {sorted(unknown)}")
    return data


def _words_re(words: Iterable[str]) -> regex.Pattern:
    alt = "|".join(regex.escape(w) for w in sorted(words, key=len, reverse=True))
    return regex.compile(rf"(?<![\p{{L}}\d])(?:{alt})\s*:?\s*$", regex.I)


@lru_cache(maxsize=1)
def _cues() -> tuple[tuple[str, regex.Pattern], ...]:
    lx = lexicon()
    return (("a year", _words_re(lx["year_words"])), ("part of a date", _words_re(lx["date_words"])),
            ("a document or article reference", _words_re(lx["reference_words"])))


_LIST_MARKER = regex.compile(r"^\s*(?:\d{1,2}(?:\.\d{1,2})*[.)]|[IVX]+\.)\s")


def _generic_why_not(text: str, start: int, end: int, value: float) -> str:
    window = text[max(0, start - int(lexicon()["window"])):start]
    line_start = text.rfind("\n", 0, start) + 1
    if _LIST_MARKER.match(text[line_start:end + 2]) and not text[line_start:start].strip(" \t"):
        return "a heading or list number"
    for what, cue in _cues():
        if cue.search(window):
            return what
    if float(value).is_integer() and 1900 <= value <= 2100:
        return "a year (by its value)"
    return "no rule took it (no extractor said why)"


def _summary(table: str, row: dict) -> str:
    if table == "targets":
        period = f"{row.get('period_start') or '?'}-{row.get('period_end') or '?'}"
        return (f"target {row.get('indicator')} {row.get('value'):g} {row.get('unit')} {row.get('comparator')} "
                f"{period}").replace("None", "-")
    if table == "budgets":
        return f"budget {row.get('amount_vnd'):,} VND per {row.get('per') or '(not said)'}".replace(",", " ")
    return f"{table} row"


def _reason(row: dict) -> str:
    for key in ("reason", "notes"):
        if row.get(key):
            return str(row[key])
    if row.get("confidence") is not None:
        return f"confidence {row['confidence']:g}"
    return "no reason recorded"


def _line_context(text: str, start: int, end: int, width: int = 90) -> str:
    a = text.rfind("\n", 0, start) + 1
    b = text.find("\n", end)
    b = len(text) if b < 0 else b
    a = max(a, start - width // 2)
    b = min(b, end + width // 2)
    return ("…" if a > 0 and text[a - 1] != "\n" else "") + text[a:b].strip() + ("…" if b < len(text) and text[b] != "\n" else "")


def explain_document(doc: Any, at: str | None = None) -> list[Decision]:
    """One Decision per number of ``doc`` (only those whose line contains ``at`` when given)."""
    from chitieu import extractors

    tables = [t for t in lexicon()["tables"] if t in extractors.TABLES]
    rows: dict[str, list[dict]] = {}
    left: dict[str, list[tuple[int, int, str]]] = {}
    for t in tables:
        spec = extractors.TABLES[t]
        rows[t] = [dataclasses.asdict(r) if dataclasses.is_dataclass(r) else dict(r) for r in spec.extract(doc)]
        module = importlib.import_module(spec.extract.__module__)
        # what the module left, and why: asked once per document, not once per number
        left[t] = module.rejected(doc) if hasattr(module, "rejected") else []
    text = doc.text
    out = []
    for n in doc.numbers:
        context = _line_context(text, n.start, n.end)
        if at and at not in context and at != n.text:
            continue
        d = Decision(n.start, n.end, n.text, context)
        for t in tables:
            for r in rows[t]:
                if r["char_start"] <= n.start < r["char_end"]:
                    d.taken.append(Taken(t, _summary(t, r), _reason(r), r["quote"]))
        if not d.taken:
            answers = [f"{t}: {a}" for t in tables
                       if (a := next((why for s, _e, why in left[t] if s <= n.start < _e), None))]
            d.why_not = "; ".join(answers) or _generic_why_not(text, n.start, n.end, n.value)
        out.append(d)
    return out


def explain_file(path: str | Path, at: str | None = None) -> list[tuple[Any, list[Decision]]]:
    """Read one plan file as ``chitieu extract`` does and explain each of its documents."""
    from chitieu.pipeline.run import load_document

    return [(doc, explain_document(doc, at)) for doc in load_document(path)]
