"""Structure: a document's text with its section tree and sentences.

``Document`` is the carrier every extractor receives. Sections come from heading markers
at line starts:

==========  ==========================  =====
level       marker                      label
==========  ==========================  =====
1           ``I.`` ``II.`` (Roman)      ``II``
2           ``1.`` / ``Điều 1.``        ``II.2``
3           ``1.1.`` / ``2.3``          ``II.2.3`` (the numbers as written)
4           ``a)`` ``đ)``               ``II.2.a``
5           ``-`` ``+`` ``•`` bullets   the parent's label (bullets are not numbered)
==========  ==========================  =====

``doc.section_at(offset)`` gives the innermost section holding a character, ``doc.tables`` the
tables (``pipeline.tables``: rows × cells with offsets, column roles), and ``doc.sentences`` the
sentence spans (underthesea's ``sent_tokenize`` per line, mapped back
to offsets).
"""
from __future__ import annotations

import hashlib
from bisect import bisect_right
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from typing import Any, Iterator

import regex

MATCH_TIMEOUT = 2  # seconds allowed for one regex match (every extractor passes ``timeout=``)


def scan_timeout(n: int) -> float:
    """Time allowed for a scan of a whole text of ``n`` characters (regex timeouts add up over finditer)."""
    return MATCH_TIMEOUT + n / 100_000


_ROMAN = r"(?:I|II|III|IV|V|VI|VII|VIII|IX|X|XI|XII|XIII|XIV|XV)"
_HEADING = regex.compile(
    rf"""^(?:
        (?P<roman>{_ROMAN})\.\s+
      | (?P<dieu>Điều\s+\d+)\.?\s+
      | (?P<multi>\d{{1,2}}(?:\.\d{{1,2}})+)\.?\s+
      | (?P<num>\d{{1,2}})[.)]\s+(?=\p{{Lu}}|\p{{Ll}})
      | (?P<alpha>[a-zđ])\)\s+
      | (?P<bullet>[-+•*])\s+
    )""",
    regex.X,
)


@dataclass
class Section:
    """A heading and the text under it, up to the next heading of the same or a higher level."""

    level: int
    marker: str  # as written: "II", "2", "2.1", "a", "-"
    label: str  # path: "II.2.a"
    title: str  # the heading line without its marker
    start: int  # offset of the heading line in the document text
    title_end: int  # end of the heading line
    end: int  # end of the section (exclusive)
    parent: int | None = None  # index in Document.sections

    @property
    def is_bullet(self) -> bool:
        return self.level == 5


@dataclass
class Document:
    """One document of a source file, in normalized cleaned text, with its structure.

    ``meta`` collects document-level fields (doc_number, issued_date, ...) filled by the
    metadata extractors; ``text`` is what ``documents.text`` stores.
    """

    source_path: str
    part: int
    char_start: int
    char_end: int
    text: str
    meta: dict[str, Any] = field(default_factory=dict)
    # what an extractor could not read and wants the researcher to know (a number too large to
    # store, …): (stage, message) pairs that the run stores as ``errors`` rows
    problems: list[tuple[str, str]] = field(default_factory=list)

    def report(self, stage: str, message: str) -> None:
        """Record a problem with this document's text; the run turns it into an ``errors`` row."""
        self.problems.append((stage, message))

    @cached_property
    def doc_id(self) -> str:
        return hashlib.sha1(self.text.encode("utf-8")).hexdigest()[:16]

    # ---- lines -----------------------------------------------------------------------
    @cached_property
    def line_starts(self) -> list[int]:
        starts = [0]
        find = self.text.find
        i = find("\n")
        while i != -1:
            starts.append(i + 1)
            i = find("\n", i + 1)
        return starts

    def lines(self) -> Iterator[tuple[int, int, str]]:
        """Yield (start, end, line) for every line, blank ones included."""
        t = self.text
        for i, s in enumerate(self.line_starts):
            e = self.line_starts[i + 1] - 1 if i + 1 < len(self.line_starts) else len(t)
            yield s, e, t[s:e]

    def line_at(self, offset: int) -> tuple[int, int]:
        i = bisect_right(self.line_starts, offset) - 1
        s = self.line_starts[i]
        e = self.text.find("\n", s)
        return s, (len(self.text) if e == -1 else e)

    # ---- sections --------------------------------------------------------------------
    @cached_property
    def sections(self) -> list[Section]:
        return build_sections(self)

    @cached_property
    def _section_starts(self) -> list[int]:
        return [s.start for s in self.sections]

    def section_at(self, offset: int) -> Section | None:
        """The innermost section that holds ``offset``."""
        i = bisect_right(self._section_starts, offset) - 1
        while i >= 0:
            s = self.sections[i]
            if s.start <= offset < s.end:
                return s
            i = s.parent if s.parent is not None else -1
        return None

    def ancestors(self, section: Section | None) -> list[Section]:
        """``section`` and its parents, innermost first."""
        out = []
        while section is not None:
            out.append(section)
            section = self.sections[section.parent] if section.parent is not None else None
        return out

    def section_label(self, offset: int) -> str | None:
        s = self.section_at(offset)
        return s.label if s else None

    # ---- tables ----------------------------------------------------------------------
    @cached_property
    def tables(self) -> list:
        """Every table of the text (``pipeline.tables.Table``: rows, cells with offsets, column roles)."""
        from chitieu.pipeline.tables import find_tables

        return find_tables(self)

    # ---- sentences -------------------------------------------------------------------
    @cached_property
    def sentences(self) -> list[tuple[int, int]]:
        return split_sentences(self.text)

    @cached_property
    def _sentence_starts(self) -> list[int]:
        return [s for s, _ in self.sentences]

    def sentence_at(self, offset: int) -> tuple[int, int]:
        i = bisect_right(self._sentence_starts, offset) - 1
        if i >= 0 and self.sentences[i][0] <= offset < self.sentences[i][1]:
            return self.sentences[i]
        return self.line_at(offset)

    # ---- body and distribution lists (patterns: corpora/lexicons/body.yaml) ------------
    @cached_property
    def distribution_lists(self) -> list[tuple[int, int]]:
        """(start, end) of each distribution list ("Nơi nhận:" ...), sorted and disjoint. A list
        followed by an annexed document (a decision's "KẾ HOẠCH ..." in capitals) ends at its
        title; the last runs to the end of the text."""
        end_re, annex_re = _body_patterns()
        text, out, pos = self.text, [], 0
        while (m := end_re.search(text, pos)) is not None:
            a = annex_re.search(text, m.end())
            if a is None:
                out.append((m.start(), len(text)))
                break
            out.append((m.start(), a.start()))
            pos = a.end()
        return out

    @cached_property
    def _distribution_starts(self) -> list[int]:
        return [s for s, _ in self.distribution_lists]

    @cached_property
    def body_end(self) -> int:
        """Where the body ends: the start of a distribution list that runs to the end of the text."""
        ranges = self.distribution_lists
        return ranges[-1][0] if ranges and ranges[-1][1] == len(self.text) else len(self.text)

    def in_distribution_list(self, offset: int) -> bool:
        """Is ``offset`` inside a distribution list? One binary search, so testing every mention
        of a document stays linear."""
        k = bisect_right(self._distribution_starts, offset) - 1
        return k >= 0 and offset < self.distribution_lists[k][1]

    # ---- annotation layers ----------------------------------------------------------
    @cached_property
    def _layers(self) -> dict[str, Any]:
        return {}

    def layer(self, name: str) -> Any:
        """The annotation layer ``name`` of this document (e.g. "agency_mentions": every agency
        named, its lists and fuller names), computed once per document by the function an
        extractor registered with ``chitieu.extractors.layer(name)``, then shared by every
        extractor that declares it in ``uses`` (like spaCy's ``doc.spans``)."""
        layers = self._layers
        if name not in layers:
            from chitieu.extractors import LAYERS

            layers[name] = LAYERS[name](self)
        return layers[name]


# ---- body and distribution lists: their patterns ----------------------------------------
@lru_cache(maxsize=1)
def _body_patterns() -> tuple[regex.Pattern, regex.Pattern]:
    """(distribution list start, annexed document title) from ``corpora/lexicons/body.yaml``."""
    from chitieu.extractors._data import corpus_data

    d = corpus_data("lexicons/body.yaml")
    return regex.compile(d["body_end"], regex.M | regex.I), regex.compile(d.get("annex_start") or r"(?!)", regex.M)


def _marker_level(m: regex.Match) -> tuple[int, str]:
    if m.group("roman"):
        return 1, m.group("roman")
    if m.group("dieu"):
        return 2, m.group("dieu").split()[-1]
    if m.group("multi"):
        return 3, m.group("multi")
    if m.group("num"):
        return 2, m.group("num")
    if m.group("alpha"):
        return 4, m.group("alpha")
    return 5, "-"


def build_sections(doc: Document) -> list[Section]:
    sections: list[Section] = []
    stack: list[int] = []  # indices of open sections
    for s, e, line in doc.lines():
        m = _HEADING.match(line)
        if not m:
            continue
        level, marker = _marker_level(m)
        while stack and sections[stack[-1]].level >= level:
            sections[stack.pop()].end = s
        parent = stack[-1] if stack else None
        if level == 5:
            label = sections[parent].label if parent is not None else ""
        elif level == 3:
            # "1.2" carries its own numbering; keep the Roman part above it
            roman = next((sections[i].marker for i in stack if sections[i].level == 1), None)
            label = f"{roman}.{marker}" if roman else marker
        else:
            prefix = sections[parent].label if parent is not None else ""
            label = f"{prefix}.{marker}" if prefix else marker
        sections.append(Section(level, marker, label, line[m.end():].strip(), s, e, len(doc.text), parent))
        stack.append(len(sections) - 1)
    for i in stack:
        sections[i].end = len(doc.text)
    return sections


_SENT_FALLBACK = regex.compile(r"[^.;!?]+(?:[.;!?]+|$)")


def split_sentences(text: str) -> list[tuple[int, int]]:
    """Sentence spans: underthesea's sent_tokenize on each line, mapped back to offsets."""
    from underthesea import sent_tokenize

    spans: list[tuple[int, int]] = []
    pos = 0
    for line in text.split("\n"):
        if line.strip():
            cursor = 0
            for sent in sent_tokenize(line):
                sent = sent.strip()
                if not sent:
                    continue
                k = line.find(sent, cursor)
                if k == -1:  # tokenizer altered the text: fall back to the rest of the line
                    k = cursor
                    sent = line[cursor:]
                spans.append((pos + k, pos + k + len(sent)))
                cursor = k + len(sent)
        pos += len(line) + 1
    return spans
