"""What a document is: ``documents.kind`` and the evidence that decided it (``kind_cue``).

Kinds: ``plan`` (kế hoạch, chương trình, đề án, or a decision that issues or approves one),
``decision`` (any other decision, resolution, directive, letter), ``report`` (báo cáo, sơ kết,
tổng kết), ``legal`` (luật, nghị định, thông tư, quy chế, quy định, thủ tục hành chính),
``news``, ``qa`` (questions and answers, explainers), ``encyclopedic`` (history, encyclopedia),
``other``. Decided from the text alone, never from the file name, with the data in
``corpora/lexicons/kinds.yaml``:

1. a type line among the first lines ("KẾ HOẠCH", "QUYẾT ĐỊNH", "NGHỊ ĐỊNH" …), else the type the
   metadata read from an official header ("Số: 157/KH-UBND"); a decision whose
   title issues or approves a plan ("V/v ban hành Kế hoạch …") is a plan;
2. else the kind whose body cues (a dateline, "Ảnh:", "Điều 5.", "mức phạt", "Hỏi:" …) score
   highest, if the score reaches ``min_score``;
3. else ``other``.

``kind_cue`` is ``"<rule>: '<words>' @<offset>"`` (the offset indexes ``documents.text``), so a
reader can check the decision at its source. The targets extractor consults ``kind``.
"""
from __future__ import annotations

from functools import lru_cache
from typing import Any

import regex

from chitieu.pipeline.patterns import lazy_compile, scan_compile
from chitieu.extractors import document_field
from chitieu.pipeline.corpus import corpus_data
from chitieu.pipeline.structure import DocumentMeta

KINDS = ("plan", "decision", "report", "legal", "news", "qa", "encyclopedic", "other")
_FLAGS = regex.I | regex.M
_TYPE_WORD = regex.compile(r"\p{Lu}+(?:\s+\p{Lu}+)*(?!\p{Ll})")


@lru_cache(maxsize=1)
def _data() -> dict:
    raw = corpus_data("lexicons/kinds.yaml")
    return {
        "raw": raw,
        "type_lines": [(k, lazy_compile(p, _FLAGS)) for k, p in raw["type_lines"].items()],
        "plan_title": lazy_compile(raw["plan_title_re"], _FLAGS),
        "header": lazy_compile(raw["header_re"], _FLAGS),
        "body": {k: [(scan_compile(p, _FLAGS), w) for p, w in cues] for k, cues in raw["body_cues"].items()},
    }


def _cue(rule: str, text: str, start: int, end: int) -> str:
    words = " ".join(text[start:end].split())[:80]
    return f"{rule}: '{words}' @{start}"


def _head_lines(text: str, n: int) -> list[tuple[int, str]]:
    """The first ``n`` non-empty lines as (offset, line)."""
    out, pos = [], 0
    while pos < len(text) and len(out) < n:
        end = text.find("\n", pos)
        end = len(text) if end == -1 else end
        if text[pos:end].strip():
            out.append((pos, text[pos:end]))
        pos = end + 1
    return out


def _by_type_line(text: str) -> tuple[str, str] | None:
    d = _data()
    lines = _head_lines(text, d["raw"]["head_lines"] + d["raw"]["plan_title_lines"])
    for i, (off, line) in enumerate(lines[:d["raw"]["head_lines"]]):
        for kind, pat in d["type_lines"]:
            m = pat.match(line)
            if not m or not _TYPE_WORD.match(m[0].strip(" |\t")):
                continue  # a type line is written in capitals ("KẾ HOẠCH"); "Chương trình … vừa được …" is prose
            if kind == "decision":
                for off2, line2 in lines[i + 1:i + 1 + d["raw"]["plan_title_lines"]]:
                    p = d["plan_title"].search(line2)
                    if p:
                        return "plan", _cue("decision issuing a plan", text, off2 + p.start(), off2 + p.end())
            return kind, _cue("type line", text, off + m.start(), off + m.end())
    return None


def _by_body(text: str) -> tuple[str, str] | None:
    d = _data()
    cap, best = d["raw"]["max_hits"], None
    for kind, cues in d["body"].items():
        score, first = 0, None
        for pat, weight in cues:
            hits = 0
            for m in pat.finditer(text):
                hits += 1
                if first is None or m.start() < first.start():
                    first = m
                if hits >= cap:
                    break
            score += weight * hits
        if first is not None and score >= d["raw"]["min_score"] and (best is None or score > best[0]):
            best = (score, kind, first)
    if best is None:
        return None
    score, kind, m = best
    return kind, _cue(f"{kind} cues (score {score})", text, m.start(), m.end())


def _by_doc_type(text: str, meta: DocumentMeta) -> tuple[str, str] | None:
    """The kind of the type the metadata read from the header (number code, type word)."""
    d = _data()
    kind = d["raw"]["by_doc_type"].get(meta.doc_type or "")
    if kind is None or not d["header"].search(text[:d["raw"]["header_chars"]]):
        return None
    title = meta.title or ""
    if kind == "decision":
        p = d["plan_title"].search(title)
        if p:
            at = text.find(p[0])
            return "plan", f"decision issuing a plan: '{p[0]}'" + (f" @{at}" if at >= 0 else " (title)")
    number = meta.doc_number or ""
    at = text.find(number.split("/")[0] + "/") if number else -1
    return kind, f"doc_type {meta.doc_type}: '{number or title[:60]}'" + (f" @{at}" if at >= 0 else "")


def classify(text: str, meta: DocumentMeta | None = None) -> tuple[str, str | None]:
    """(kind, evidence) of a document text (``meta``: its metadata, when read already)."""
    return _by_type_line(text) or (_by_doc_type(text, meta) if meta else None) or _by_body(text) \
        or ("other", None)


@document_field(order=20)
def extract(doc: Any) -> dict:
    kind, cue = classify(doc.text, doc.meta)
    return {"kind": kind, "kind_cue": cue}
