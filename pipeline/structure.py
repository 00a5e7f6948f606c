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
1, 2, 3     ``#``, ``##``, ``###``…     the hashes (markdown headings of a converted PDF)
==========  ==========================  =====

``doc.section_at(offset)`` gives the innermost section holding a character, ``doc.tables`` the
tables (``pipeline.tables``: rows × cells with offsets, column roles), ``doc.sentences`` /
``doc.sentence_at(i)`` / ``doc.sentences_in(a, b)`` the sentences and ``doc.clauses(a, b)`` /
``doc.clause_at(i)`` the clauses (rules and abbreviations in ``corpora/lexicons/text.yaml``;
``text_units``), and ``doc.meta`` the document's fields (:class:`DocumentMeta`).
"""
from __future__ import annotations

import hashlib
import re
import string
from bisect import bisect_right
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from typing import Any, Iterator, Mapping

import regex

MATCH_TIMEOUT = 2  # seconds allowed for one regex match (every extractor passes ``timeout=``)


def scan_timeout(n: int) -> float:
    """Time allowed for a scan of a whole text of ``n`` characters (regex timeouts add up over finditer)."""
    return MATCH_TIMEOUT + n / 100_000


_ROMAN = r"(?:I|II|III|IV|V|VI|VII|VIII|IX|X|XI|XII|XIII|XIV|XV)"
_HEADING = regex.compile(
    rf"""^(?:
        (?P<md>\#{{1,6}})[ \t]+(?=\S)
      | (?P<roman>{_ROMAN})\.\s+
      | (?P<dieu>Điều\s+\d+)\.?\s+
      | (?P<multi>\d{{1,2}}(?:\.\d{{1,2}})+)\.?\s+
      | (?P<num>\d{{1,2}})[.)]\s+(?=\p{{Lu}}|\p{{Ll}})
      | (?P<alpha>[a-zđ])\)\s+
      | (?P<bullet>[-+•*])\s+
    )""",
    regex.X,
)
# the characters a line matching _HEADING can open with (a markdown "#", a Roman numeral, "Điều", a
# digit: any decimal digit ``\d`` takes, a lower-case letter of ``[a-zđ]``, a bullet): a line opening
# with any other character is no heading, told without a regex call (tests/test_pipeline_speedups.py)
_HEADING_FIRST = frozenset("#IVXĐ" + string.ascii_lowercase + "đ" + "-+•*")


def _may_open_heading(line: str) -> bool:
    c = line[:1]
    return c in _HEADING_FIRST or c.isdecimal()


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


@dataclass(frozen=True)
class Block:
    """One unit of the text in reading order: a heading, a paragraph, a list item or a table.

    ``start``/``end`` are offsets into the document text; a list item keeps its ``marker`` as
    written ("-", "+", "a)", "đ)") and the ``level`` of the section it opens (4: "a)", 5: bullets);
    a heading its level (1 Roman, 2 numbered or "Điều", 3 "1.2"); a table its index in
    ``Document.tables``."""

    kind: str  # "heading" | "paragraph" | "list_item" | "table"
    start: int
    end: int
    level: int | None = None
    marker: str | None = None
    table: int | None = None


@dataclass
class DocumentMeta:
    """What a document is: the fields of its ``documents`` row read from its text.

    Filled in order by the document-field extractors (``extractors.document_field``): the header
    fields by ``extractors.metadata`` (with ``pipeline.places``), ``kind``/``kind_cue`` by
    ``extractors.kind``, ``programme``/``programme_evidence`` by ``extractors.programmes``; the run
    adds reading ``notes``. Every field is ``None`` until its extractor has run (or when the
    text does not say). Read by attribute (``doc.meta.period_start``); write through
    :meth:`update`, which refuses a field that does not exist.
    """

    # the header (extractors.metadata)
    doc_number: str | None = None  # "112/KH-UBND"
    doc_type: str | None = None  # a key of documents.yaml doc_types: "ke_hoach", "quyet_dinh" …
    issued_date: str | None = None  # ISO "2025-03-14"
    title: str | None = None
    period_start: int | None = None  # the plan period's first and last year
    period_end: int | None = None
    signer: str | None = None
    implements: list[str] | None = None  # the documents cited in the preamble, in order
    # the issuer and its place (extractors.metadata with pipeline.places)
    issuer: str | None = None  # "UBND huyện An Lão"
    admin_level: str | None = None  # national, province, district, commune
    locality: str | None = None
    province: str | None = None  # before the 2025 merger
    province_2025: str | None = None  # after it
    # what kind of text it is (extractors.kind)
    kind: str | None = None  # plan, decision, report, legal, news, qa, encyclopedic, other
    kind_cue: str | None = None  # the words that told it
    # the national programme it implements (extractors.programmes)
    programme: str | None = None
    programme_evidence: str | None = None
    notes: str | None = None  # what the reader and the extractors noticed, "; "-joined
    # not stored: the parts of the file that repeat this document (the run turns them into notes)
    repeats: list[str] = field(default_factory=list)

    STORED = ("doc_number", "doc_type", "issued_date", "title", "period_start", "period_end", "signer",
              "implements", "issuer", "admin_level", "locality", "province", "province_2025", "kind",
              "kind_cue", "programme", "programme_evidence", "notes")

    def update(self, fields: Mapping[str, Any] | None = None, /, **more: Any) -> None:
        """Set fields from a mapping and/or keywords; a name that is no field is a ``KeyError``."""
        for name, value in {**(fields or {}), **more}.items():
            if name not in self.__dataclass_fields__:
                raise KeyError(f"DocumentMeta has no field {name!r}")
            setattr(self, name, value)

    def row(self) -> dict[str, Any]:
        """The stored fields, as columns of the ``documents`` row."""
        return {name: getattr(self, name) for name in self.STORED}


@dataclass
class Document:
    """One document of a source file, in normalized cleaned text, with its structure.

    ``meta`` holds the document-level fields (:class:`DocumentMeta`) filled by the document-field
    extractors; ``text`` is what ``documents.text`` stores.
    """

    source_path: str
    part: int
    char_start: int
    char_end: int
    text: str
    meta: DocumentMeta = field(default_factory=DocumentMeta)
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
        """(start, end) of the line holding ``offset``: a binary search in the line index, never a
        scan of the line (lines can be megabytes long)."""
        starts = self.line_starts
        i = bisect_right(starts, offset) - 1
        return starts[i], (starts[i + 1] - 1 if i + 1 < len(starts) else len(self.text))

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

    # ---- blocks ----------------------------------------------------------------------
    @cached_property
    def blocks(self) -> list[Block]:
        """The text in reading order as blocks (``Block``): every table of ``tables`` is one block
        over its lines; a line opening a section of level 1-3 is a heading, of level 4-5 (``a)``,
        bullets) a list item; any other non-blank line a paragraph (ingest gives one line per
        paragraph). Blank lines are no block."""
        tables = sorted(enumerate(self.tables), key=lambda it: it[1].start)
        opening = {sec.start: sec for sec in self.sections}
        out: list[Block] = []
        k, n = 0, len(tables)
        e = -1
        for line in self.text.split("\n"):  # the lines of ``lines()``, without its generator and index
            s = e + 1
            e = s + len(line)
            while k < n and tables[k][1].end <= s:
                k += 1
            if k < n and tables[k][1].start < max(e, s + 1):  # the line holds table cells
                i, t = tables[k]
                if not out or out[-1].table != i:
                    out.append(Block("table", t.start, t.end, table=i))
                continue
            if not line or line.isspace():  # blank (what ``not line.strip()`` tells, without a copy)
                continue
            sec = opening.get(s)
            if sec is None:
                out.append(Block("paragraph", s, e))
            elif sec.level <= 3:
                out.append(Block("heading", s, e, level=sec.level, marker=sec.marker))
            else:
                marker = _HEADING.match(line).group(0).strip()
                out.append(Block("list_item", s, e, level=sec.level, marker=marker))
        return out

    # ---- sentences and clauses ---------------------------------------------------------
    # Defined once, from corpora/lexicons/text.yaml (see ``text_units``); every span is a
    # (start, end) pair of offsets into ``text``, trimmed of spaces, never empty, the closing
    # mark included: text[start:end] == "Đạt 90% số xã." Computed once per document, in one
    # linear pass; each lookup is a binary search.
    @cached_property
    def _units(self) -> tuple[list[tuple[int, int]], list[tuple[int, int]]]:
        return text_units(self.text)

    @property
    def sentences(self) -> list[tuple[int, int]]:
        """Every sentence of the text, in order. A sentence ends at a line break, or after a mark
        of ``sentence_ends`` (". ! ? …") followed by a space or the line end, except: a full stop
        closing an abbreviation ("TP.", "v.v.") or an initial ("V."), a list or heading marker
        opening its line or sentence ("1.", "1.2.", "II.", "Điều 1."), and a mark followed by a
        word in lower case."""
        return self._units[0]

    @cached_property
    def _sentence_starts(self) -> list[int]:
        return [s for s, _ in self._units[0]]

    @property
    def sentence_starts(self) -> list[int]:
        """Where each sentence of ``sentences`` starts (sorted: bisect it to find a sentence's index)."""
        return self._sentence_starts

    @cached_property
    def _clause_starts(self) -> list[int]:
        return [s for s, _ in self._units[1]]

    def sentence_at(self, offset: int) -> tuple[int, int]:
        """The sentence holding ``offset``; between sentences (the space after a full stop, a
        blank line) the line holding it, as (line start, line end)."""
        return _span_at(self._units[0], self._sentence_starts, offset) or self.line_at(offset)

    def sentences_in(self, start: int, end: int) -> list[tuple[int, int]]:
        """The sentences that overlap ``[start, end)``, cut to it (the first may begin at
        ``start``, the last may end at ``end``), in order."""
        return _spans_in(self._units[0], self._sentence_starts, start, end)

    def clauses(self, start: int = 0, end: int | None = None) -> list[tuple[int, int]]:
        """The clauses that overlap ``[start, end)`` (the whole text by default), cut to it. A
        clause is a sentence cut after each mark of ``clause_ends`` ("; :") followed by a space or
        the line end: "Cơ quan chủ trì: Sở Y tế; phối hợp: Sở Tư pháp." has three."""
        return _spans_in(self._units[1], self._clause_starts, start, len(self.text) if end is None else end)

    def clause_at(self, offset: int) -> tuple[int, int]:
        """The clause holding ``offset``; between clauses, the line holding it."""
        return _span_at(self._units[1], self._clause_starts, offset) or self.line_at(offset)


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

    # ---- numbers and bounded windows ---------------------------------------------------
    @cached_property
    def numbers(self) -> list:
        """Every number of the text, digits and words, in order, with its offsets
        (``pipeline.numbers.Number``: value, start, end, text): found once per document."""
        from chitieu.pipeline.numbers import find_numbers

        return list(find_numbers(self.text))

    def sentence_bounds(self, offset: int, *, back: int | None = None, ahead: int | None = None,
                        mark: bool = True) -> tuple[int, int]:
        """The sentence holding ``offset`` (``sentence_at``), its start at most ``back`` characters
        before ``offset`` and its end at most ``ahead`` after (the look of a caller that must stay
        linear in line length); ``mark=False`` leaves its closing mark out."""
        s, e = self.sentence_at(offset)
        return _capped(self.text, offset, s, e, back, ahead, mark)

    def clause_bounds(self, offset: int, *, ends: str | None = None, back: int | None = None,
                      ahead: int | None = None, mark: bool = True, marker: bool = True) -> tuple[int, int]:
        """The clause holding ``offset`` (``clause_at``). ``ends``: the clause marks that end it (a
        subset of ``clause_ends``; default all): a clause closed by another mark runs on into the
        next clause of its sentence ("phối hợp: Sở Tư pháp" is one clause with ``ends=";"``).
        ``back``/``ahead``: at most that many characters before/after ``offset``; a cap ahead falls
        on the last space before it, so no word is cut; ``mark=False`` leaves the closing mark out,
        ``marker=False`` the list or heading marker opening its line ("1.2.", "a)", "-": ``_HEADING``)."""
        s, e = self.clause_at(offset)
        if ends is not None:
            stop = set(ends) | text_rules().sentence_marks
            starts, spans, text = self._clause_starts, self._units[1], self.text
            sent_start, sent_end = self.sentence_at(offset)
            limit = len(text) if ahead is None else offset + ahead
            floor = 0 if back is None else offset - back
            i = j = bisect_right(starts, offset) - 1
            while e < min(limit, sent_end) and text[e - 1] not in stop and 0 <= i + 1 < len(spans) \
                    and spans[i + 1][0] < sent_end:  # on over the marks not in ``ends``
                i += 1
                e = spans[i][1]
            while s > max(floor, sent_start) and j > 0 and spans[j - 1][0] >= sent_start \
                    and text[spans[j - 1][1] - 1] not in stop:  # back over them
                j -= 1
                s = spans[j][0]
        if not marker and s == self.line_at(s)[0] and (m := _HEADING.match(self.text[s:offset])):
            s += m.end()
        return _capped(self.text, offset, s, e, back, ahead, mark, ends)

# ---- bounded windows: the cap of sentence_bounds and clause_bounds --------------------------
def _capped(text: str, offset: int, s: int, e: int, back: int | None, ahead: int | None,
            mark: bool = True, ends: str | None = None) -> tuple[int, int]:
    """(s, e) cut to at most ``back`` characters before ``offset`` and ``ahead`` after it (a cap
    ahead on the last space before it, when there is one after ``offset``); without the marks that
    closed it (sentence marks, and the clause marks of ``ends``, all by default) unless ``mark``."""
    if not mark:
        R = text_rules()
        closing = R.sentence_marks | (R.clause_marks if ends is None else frozenset(ends))
        while e > s and text[e - 1] in closing:
            e -= 1
    if back is not None:
        s = max(s, offset - back, 0)
    if ahead is not None and e > offset + ahead:
        cap = offset + ahead
        sp = text.rfind(" ", offset, cap)
        e = sp if sp > offset else cap
    return s, e


def _span_at(spans: list[tuple[int, int]], starts: list[int], offset: int) -> tuple[int, int] | None:
    i = bisect_right(starts, offset) - 1
    if i >= 0 and spans[i][0] <= offset < spans[i][1]:
        return spans[i]
    return None


def _spans_in(spans: list[tuple[int, int]], starts: list[int], start: int, end: int) -> list[tuple[int, int]]:
    out = []
    i = max(0, bisect_right(starts, start) - 1)
    while i < len(spans) and spans[i][0] < end:
        a, b = spans[i]
        if b > start:
            out.append((max(a, start), min(b, end)))
        i += 1
    return out

# ---- body and distribution lists: their patterns ----------------------------------------
@lru_cache(maxsize=1)
def _body_patterns() -> tuple[regex.Pattern, regex.Pattern]:
    """(distribution list start, annexed document title) from ``corpora/lexicons/body.yaml``."""
    from chitieu.pipeline.corpus import corpus_data

    d = corpus_data("lexicons/body.yaml")
    from chitieu.pipeline.patterns import line_start_compile

    # both open with "^": searched through the line breaks (the same matches, 10x faster)
    return (line_start_compile(d["body_end"], regex.M | regex.I),
            line_start_compile(d.get("annex_start") or r"(?!)", regex.M))


_MARKER_LEVELS = {"roman": 1, "dieu": 2, "multi": 3, "num": 2, "alpha": 4}  # any other (a bullet): 5


def _marker_level(m: regex.Match) -> tuple[int, str]:
    """(level, marker) of a ``_HEADING`` match. Each branch of the pattern is one named group, so
    the group that matched is ``lastgroup`` (one lookup instead of a test of each group)."""
    name = m.lastgroup
    if name == "md":  # a markdown heading of a converted PDF ("## Mục tiêu cụ thể"): "#" 1, "##" 2, deeper 3
        return min(len(m.group("md")), 3), m.group("md")
    level = _MARKER_LEVELS.get(name)
    if level is None:
        return 5, "-"
    marker = m.group(name)
    return level, marker.split()[-1] if name == "dieu" else marker


def build_sections(doc: Document) -> list[Section]:
    sections: list[Section] = []
    stack: list[int] = []  # indices of open sections
    match = _HEADING.match
    may_open = _may_open_heading
    e = -1
    for line in doc.text.split("\n"):  # the lines of ``doc.lines()``, without its generator and index
        s = e + 1
        e = s + len(line)
        if not may_open(line):  # told by its first character, without a regex call
            continue
        m = match(line)
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


@dataclass(frozen=True)
class _TextRules:
    """The sentence and clause rules of ``corpora/lexicons/text.yaml``, compiled."""

    marks: regex.Pattern  # a candidate end: a run of sentence marks, a clause mark, a line break
    sentence_marks: frozenset[str]
    clause_marks: frozenset[str]
    abbreviations: frozenset[str]
    longest: int  # characters of the longest abbreviation, brackets before it included
    initials: bool
    lowercase_continues: bool


# every character ``str.isspace`` accepts (the stdlib ``re``'s \s on text; ``regex``'s \s leaves
# out \x1c-\x1f), as a character class (tests/test_model_speedups.py checks it)
_ISSPACE = r"\t\n\x0b\x0c\r\x1c-\x1f \x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000"


@lru_cache(maxsize=1)
def text_rules() -> _TextRules:
    from chitieu.pipeline.corpus import corpus_data

    d = corpus_data("lexicons/text.yaml")
    ends = "".join(re.escape(c) for c in d["sentence_ends"])
    clause = "".join(re.escape(c) for c in d["clause_ends"])
    # plain character classes: one linear scan. ``regex`` scans this alternation about three times
    # faster than the stdlib ``re`` (which tries every position of a pattern that opens with a
    # group); "a space follows" is written as the class of ``str.isspace``, what ``re``'s \s was
    marks = regex.compile(rf"(?P<s>[{ends}]+)(?=[{_ISSPACE}]|$)|(?P<c>[{clause}])(?=[{_ISSPACE}]|$)|\n")
    longest = max((len(w) for w in d["abbreviations"]), default=2) + 2
    return _TextRules(marks, frozenset(d["sentence_ends"]), frozenset(d["clause_ends"]), frozenset(d["abbreviations"]),
                      longest, d["initials"],
                      d["lowercase_continues"])


_OPENERS = "(\"'“‘[«"  # may stand before an abbreviation: "(TP. Huế)"
_MARKER_WORD = re.compile(r"(?:\d{1,2}(?:\.\d{1,2})*|[IVXLC]+)\.")


def _ends_sentence(text: str, a: int, b: int, line_start: int, sent_from: int, R: _TextRules) -> bool:
    """Whether the marks text[a:b] (followed by a space or the line end) close the sentence that
    began at ``sent_from``. Every look is bounded, so the cost stays linear in the line length."""
    if R.lowercase_continues:
        j = b
        while j < len(text) and text[j] in " \t":
            j += 1
        if j < len(text) and text[j].islower():
            return False
    if text[a:b] != ".":
        return True
    k = a - 1  # the word the full stop closes (no longer than the longest abbreviation)
    lo = max(line_start, a - R.longest)
    while k >= lo and not text[k].isspace():
        k -= 1
    word = text[k + 1:b].lstrip(_OPENERS)
    if word in R.abbreviations or R.initials and len(word) == 2 and word[0].isupper():
        return False
    if _MARKER_WORD.fullmatch(word):
        if k + 1 - sent_from <= 16 and not text[sent_from:k + 1].strip():
            return False  # "1.", "1.2.", "II." opening its line or sentence: a list or heading marker
        if b - line_start <= 16:  # "Điều 1." opening its line (the heading markers of Section)
            m = _HEADING.match(text[line_start:b + 1])
            if m and m.group("dieu") and line_start + m.end() >= b:
                return False
    return True


def _trimmed(text: str, a: int, b: int) -> tuple[int, int] | None:
    while a < b and text[a].isspace():
        a += 1
    while b > a and text[b - 1].isspace():
        b -= 1
    return (a, b) if b > a else None


def text_units(text: str) -> tuple[list[tuple[int, int]], list[tuple[int, int]]]:
    """(sentences, clauses) of ``text`` as trimmed (start, end) spans, by the rules of
    ``corpora/lexicons/text.yaml`` (see ``Document.sentences`` and ``Document.clauses``). One pass
    over the candidate marks; the look-back for an abbreviation is bounded (12 characters). Most
    marks are line breaks and most sentences hold one clause: a sentence that starts where its
    last clause starts is that clause's span, trimmed once."""
    R = text_rules()
    sentences: list[tuple[int, int]] = []
    clauses: list[tuple[int, int]] = []
    sent_from = clause_from = line_start = 0
    for m in R.marks.finditer(text):
        kind = m.lastgroup  # "s": sentence marks, "c": a clause mark, None: a line break
        a, b = m.span()
        if kind is None and sent_from == clause_from:  # the common case: a line break ends one clause
            clause = _trimmed(text, clause_from, a)
            if clause:
                clauses.append(clause)
                sentences.append(clause)
            sent_from = clause_from = a
            line_start = b
            continue
        if kind == "s" and not _ends_sentence(text, a, b, line_start, sent_from, R):
            continue
        cut = a if kind is None else b
        clause = _trimmed(text, clause_from, cut)
        if clause:
            clauses.append(clause)
        if kind != "c":  # a sentence ends too: the clause itself when it opened the sentence
            sentence = clause if sent_from == clause_from else _trimmed(text, sent_from, cut)
            if sentence:
                sentences.append(sentence)
            sent_from = cut
            if kind is None:
                line_start = b
        clause_from = cut
    for spans, start in ((sentences, sent_from), (clauses, clause_from)):
        span = _trimmed(text, start, len(text))
        if span:
            spans.append(span)
    return sentences, clauses
