"""Which national programme a document implements, the national targets, the ``comparison`` view.

The programmes themselves (their files, indicators and the scoring engine) are part of the model:
``pipeline/programmes.py``. Adding a programme is adding a file; see the README ("National
programmes as data") for the format.

- ``programme`` document field (order 50): the code of the programme a document implements,
  matched by the decision numbers it cites (``doc.meta.implements``), else by its own
  number, else by a programme keyword in its title, else by the programme's vocabulary in its
  text (keyword mentions and the share of its derived vocabulary present); ``programme_evidence`` says which rule decided
  and on what words. No match gives ``None`` (a wrong match is worse than none).
- static table ``national_targets`` and view ``comparison``.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import regex

from chitieu.extractors import document_field, static_table, view
from chitieu.pipeline.programmes import (KEYWORD_POINTS, VOCABULARY_MARGIN, Programme, VocabularyScore,
                                         decision_key, load_programmes, national_rows, normalized,
                                         vocabulary_scores)


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
    title = normalized(meta.title or doc.text[:400])
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


@static_table("national_targets")
def national_targets() -> list[dict]:
    return national_rows()


@view("comparison")
def comparison_view() -> str:
    """The comparison SELECT; without any national target (no programme file) the same columns
    and no rows, since the national_targets table is then not created."""
    from chitieu.pipeline.compare import COMPARISON_SQL, EMPTY_COMPARISON_SQL

    return COMPARISON_SQL if national_rows() else EMPTY_COMPARISON_SQL
