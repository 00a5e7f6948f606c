"""Document metadata: number, type, date, issuer, level, place, signer, title, period, cited documents.

Registered as the first document-field function (order 10): every later extractor can read
``doc.meta``. Vocabulary lives in ``corpora/lexicons/documents.yaml``; places are resolved by
``pipeline.places`` (the model's offline gazetteer).

    >>> from chitieu.pipeline.run import load_document
    >>> doc = load_document("corpora/seeds/004_7957dd705c424d21.txt")[0]
    >>> doc.meta.issuer, doc.meta.province, doc.meta.period_start
    ('UBND phường Kim Trà', 'Huế', 2026)
"""
from __future__ import annotations

import datetime as dt
from bisect import bisect_right
from itertools import accumulate
import unicodedata
from functools import lru_cache
from typing import Any

import regex

from chitieu.pipeline.corpus import corpus_data
from chitieu.extractors import document_field
from chitieu.pipeline import places
from chitieu.pipeline.patterns import FirstWordPattern, WordStarts, line_start_compile, scan_compile

HEAD_CHARS = 3000  # the header, title and preamble live in the first characters

# "157/KH-UBND", "1791 /QĐ-TTg", "112/2021/QĐ-TTg", "3068/SYT-NV", "02-TT/TU", "8935/BNV-CTTN&BĐG"
DOC_NUMBER = regex.compile(
    r"(?<![\w/])(\d{1,5}[a-z]?)\s*/\s*(?:(\d{4})\s*/\s*)?([\p{Lu}Đ][\p{L}\d&.]*(?:-[\p{L}\d&.]+|[ ]?-[ ]?[\p{Lu}Đ]{2,}(?![\p{Ll}]))*)"
    r"|(?<![\w/])(\d{1,5}-[\p{Lu}Đ]{1,6}/[\p{Lu}Đ]{1,6})"
)
_DATE_SLASH = regex.compile(r"(?<![\d/])(\d{1,2})\s*/\s*(\d{1,2})\s*/\s*(\d{4})(?![\d/])")
_PERSON = regex.compile(r"^(?:\p{Lu}[\p{Ll}]+)(?:\s+\p{Lu}[\p{Ll}]+){1,4}$")
_NAME = r"\p{Lu}\p{Ll}+(?:\s+\p{Lu}\p{Ll}+){1,4}"  # a person's name: 2-5 capitalised words


@lru_cache(maxsize=1)
def lexicon() -> dict:
    return corpus_data("lexicons/documents.yaml")


def _alt(words) -> str:
    """One alternation of data phrases, longest first, spaces matching any run of spaces."""
    return "|".join(regex.escape(w).replace("\\ ", r"\s+") for w in sorted(words, key=len, reverse=True))


class _Patterns:
    """Every pattern metadata.py reads text with, compiled once from ``phrases`` of documents.yaml."""

    def __init__(self, ph: dict):
        d = ph["date"]
        day, month, year = (regex.escape(d[k]) for k in ("day", "month", "year"))
        num, label = regex.escape(ph["number_word"]), regex.escape(ph["number_label"])
        verbs, issued = _alt(ph["issuing_verbs"]), _alt(ph["issued_types"])
        committee = _alt(ph["committee"])
        self.date_words = regex.compile(rf"{day}\s+(\d{{1,2}})\s+{month}\s+(\d{{1,2}})\s+{year}\s+(\d{{4}})", regex.I)
        self.year_range = regex.compile(
            rf"(?:{_alt(ph['period_leads'])})?\s*((?:19|20)\d{{2}})\s*(?:-|{_alt(ph['period_to'])})\s*((?:19|20)\d{{2}})",
            regex.I)
        self.one_year = regex.compile(rf"(?<![/\d-]\s?){year}\s+((?:19|20)\d{{2}})(?!\s*-\s*\d)", regex.I)
        # a title or first line that opens with the year it is about ("Năm 2024 là năm … Kế hoạch 5 năm (2021- 2025)")
        self.year_frame = regex.compile(rf"^\W*{year}\s+((?:19|20)\d{{2}})\s+(?:{_alt(ph['year_frame'])})(?!\p{{L}})",
                                        regex.I)
        self.year_word = year
        self.up_to = regex.compile(rf"(?<!\p{{L}})(?:{_alt(ph['up_to'])})\s+(?:(?:{_alt(ph['up_to_modifiers'])})\s+)?$",
                                   regex.I)
        self.number_line = regex.compile(rf"^[\s|]*{label}\s*:\s*(.+)$", regex.M)
        self.number_word = num
        self.verbs = verbs
        # at a line start or in a header cell ("| Số: 49/2012/QĐ-UBND | Thành phố Hồ Chí Minh, ngày …")
        self.place_date_line = regex.compile(rf"^(?:[^\n|]*\|)*?[^\n,|]{{2,40}},\s*({day}[^\n]{{0,40}})", regex.M)
        self.place_before_date = regex.compile(rf"^([^\n,]{{2,40}}),\s*{day}", regex.M)
        self.place_before_date_cells = regex.compile(rf"^(?:[^\n|]*\|)*\s*([^\n,|]{{2,40}}),\s*{day}", regex.M)
        self.date_line = regex.compile(rf",\s*{day}\s+\d")
        # a date that opens its sentence ("Ngày 18/5/2021, UBND huyện ban hành …", "(Dân trí) - Ngày …"),
        # not the date of a cited text ("Thông tư … ngày 22/10/2012, Sở … ban hành")
        self.news_date = regex.compile(
            rf"(?:^|(?<=[.)\-–]\s))[ \t]*{day}\s+(\d{{1,2}})\s*/\s*(\d{{1,2}})\s*/\s*(\d{{4}})\s*,[^.\n]{{0,80}}(?:{verbs})", regex.I | regex.M)
        self.news_number_date = regex.compile(
            rf"(?:{verbs})[^.\n]{{0,200}}?\([^()\n]{{0,40}}?{num}\s+\d{{1,5}}\s*/[^\s,;)]+\s*,?\s*{day}\s+"
            rf"(\d{{1,2}})\s*/\s*(\d{{1,2}})\s*/\s*(\d{{4}})\)")
        upper_committee = _alt([c.upper() for c in ph["committee"]])
        # "ỦY BAN NHÂN\nDÂN", "ỦY\nBAN NHÂN DÂN": a header line wrapped anywhere inside the committee's name
        words = max(ph["committee"], key=len).upper().split()
        self.wrapped_committee = regex.compile(
            r"(?:[ \t]*\n[ \t]*|[ \t]+)".join(map(regex.escape, words)) + r"(?!\p{L})")
        self.committee_full = " ".join(words)
        self.upper_committee = upper_committee
        self.committee = committee
        self.chairman = regex.escape(ph["chairman"])
        self.place_links = _alt(ph["place_links"])
        self.motto = regex.compile(_alt(ph["header_lines"][:1]))
        # the right column of a two-column header flattened line by line ("ỦY BAN NHÂN DÂN CỘNG HÒA XÃ
        # HỘI …" / "TỈNH HẬU GIANG Độc lập - Tự do - Hạnh phúc"): taken out, the issuer's column is left
        self.motto_column = regex.compile(rf"\s*(?:{_alt(ph['motto_columns'])})\s*".replace(r"\-", "[-–—]"), regex.I)
        # the same within one line (no space of it crosses a line break): the lines that hold it, in one scan
        # (tried only where a first word of its phrases is written: ``scan_compile``)
        self.motto_column_lines = scan_compile(
            rf"(?:{_alt(ph['motto_columns'])})".replace(r"\-", "[-–—]").replace(r"\s", r"[^\S\n]"), regex.I)
        self.header_line = regex.compile(rf"(?:{_alt(ph['header_lines'])})")
        self.not_title = regex.compile(rf"[|\s]*(?:{upper_committee}|{_alt(ph['header_lines'][:1])}|{committee}\b)")
        self.body_start = regex.compile(rf"(?:{_alt(ph['body_starts'])}|I\.|1\.)")
        self.subject = regex.escape(ph["subject_marker"])
        self.subject_line = regex.compile(rf"^{self.subject}[^\n]+", regex.M)
        self.title_types = list(ph["title_types"])
        self.issuing = regex.compile(rf"[^.\n]*(?:{verbs})\s+(?:{issued})[^.\n]*")
        self.issuing_core = regex.compile(rf"(?:{verbs})\s+(?:{issued})")
        # an objectives heading line naming a year: "**2. Mục tiêu cụ thể đến năm 2030**"
        self.objectives_line = line_start_compile(
            rf"^[\s*#]*(?:(?:[IVX]+|\d{{1,2}}(?:\.\d{{1,2}})*)[.)]|\p{{Ll}}\))?[\s*]*(?:{_alt(ph['objective_words'])})"
            rf"(?![\p{{L}}])[^\n:;.]{{0,60}}(?:19|20)\d\d[^\n]{{0,12}}$", regex.M | regex.I)
        labels = _alt(ph["field_labels"])
        self.signed_line = regex.compile(rf"(?:{_alt(ph['signed_line_titles'])})\s+({_NAME})\s*$")
        # the same within each line of a text (no space of it crosses a line break): one scan of the
        # lines joined instead of a search per line, tried only where a title's first word is written
        self.signed_lines = scan_compile(self.signed_line.pattern.replace(r"\s", r"[^\S\n]"), regex.M)
        self.signer_field = regex.compile(
            rf"{regex.escape(ph['signer_label'])}\s*:\s*(\p{{Lu}}\p{{Ll}}+(?:[ \t]+(?!(?:{labels})(?!\p{{L}}))\p{{Lu}}\p{{Ll}}+){{1,4}})")
        self.cited_type = regex.compile(rf"(?:{_alt(ph['cited_types'])})\s+(?:{num}\s+)?\d")
        self.reported = _ReportedPatterns(ph, self)
        units = ph["context_units"]
        cased = units + [u.capitalize() for u in units] + [u.upper() for u in units]
        context_place = rf"\b(?:{_alt(cased)})\s+((?:[\p{{Lu}}Đ][\p{{L}}]*\s?){{1,3}})"
        # tried only where a unit word is (FirstWordPattern), when each opens with a plain word
        self.context_place = FirstWordPattern(context_place, 0, cased) if WordStarts(cased, 0).usable \
            else regex.compile(context_place)


_DATE_NUM = r"(\d{1,2})\s*[/-]\s*(\d{1,2})\s*[/-]\s*((?:19|20)\d{2})(?!\d)"  # "18/5/2021", "19-7-2021"
_NAME_WORDS = r"(?:[\p{Lu}Đ][\p{L}’'‘]*[ \t]?){1,4}"  # "Duy Xuyên", "Đắk Lắk H’Yim K’đor"


class _ReportedPatterns:
    """Patterns of a page without a header that reports a plan (``phrases.reported``)."""

    def __init__(self, ph: dict, P: "_Patterns"):
        r = ph["reported"]
        self.data = r
        num, day = regex.escape(ph["number_word"]), regex.escape(ph["date"]["day"])
        units = "|".join(sorted(lexicon()["unit_types"], key=len, reverse=True))
        abbr = _alt(r["unit_abbreviations"])
        plural = _alt(r["plural_words"])
        self.mention = regex.compile(
            rf"(?<!\p{{L}})(?P<type>{_alt(r['types'] + r['letter_types'] + r['rule_types'])})\s+(?:{num}\s+)?(?P<no>\d{{1,5}}\s*/[^\s,;:()]+)",
            regex.I)
        self.plan_word = regex.compile(
            rf"(?<!\p{{L}})(?!(?:{_alt(r['not_plan_words'])})(?!\p{{L}}))(?:{_alt(r['types'] + r['plan_cues'])})(?!\p{{L}})", regex.I)
        self.rule_type = regex.compile(rf"(?:{_alt(r['rule_types'])})$", regex.I)
        self.verbs = regex.compile(rf"(?<!\p{{L}})(?:{_alt(r['verbs'])})(?!\p{{L}})", regex.I)
        self.citing = regex.compile(rf"\s*(?:{_alt(r['citing'])})(?!\p{{L}})", regex.I)
        # "tổ chức thực hiện Công văn số …", "BÁO CÁO TÌNH HÌNH THỰC HIỆN NGHỊ QUYẾT SỐ …": implemented, not reported
        self.implementing = regex.compile(rf"(?<!\p{{L}})(?:{_alt(r['implementing'])})\s+$", regex.I)
        # "… đảm bảo mục tiêu Chương trình … theo Quyết định số 570/QĐ-UBND …": after a word of its clause, "theo" cites
        # (at the opening of its sentence it is the page's source: ``source_lead``; "ban hành theo …" issues)
        self.cited_after_word = regex.compile(
            rf"(?<=\p{{L}}[ \t]+)(?<!(?:{_alt(r['verbs'])})[ \t]+)(?:{_alt(r['cited_after_word'])})\s+$", regex.I)
        # "Theo Kế hoạch 314/KH-UBND …", "(hocmon.gov.vn) Theo Công văn số …": the page's source, opening its sentence
        self.source_lead = regex.compile(
            rf"^[^\p{{L}}(]*(?:\([^()\n]{{0,40}}\p{{L}}[^()\n]{{0,40}}\)[^\p{{L}}]*)?(?:{_alt(r['source_leads'])})\s+$")
        # "Chính phủ Mỹ": another country's body, not the issuer ("Chính phủ Việt Nam" is)
        self.foreign = regex.compile(rf"[ \t]+(?!(?:{_alt(r['own_country'])})(?!\p{{L}}))\p{{Lu}}")
        self.date_after = regex.compile(rf"\s*,?\s*(?:{day}\s+)?{_DATE_NUM}", regex.I)
        self.date_words_after = regex.compile(rf"\s*,?\s*{P.date_words.pattern}", regex.I)
        self.date_in_sentence = regex.compile(
            rf"(?<!(?:{_alt(r['not_issue_date'])})\s)(?<!\p{{L}}){day}\s+{_DATE_NUM}", regex.I)
        self.date_first = regex.compile(rf"^\W*{day}\s+{_DATE_NUM}\s*,", regex.I)
        self.any_date = regex.compile(rf"(?<![\d/-]){_DATE_NUM}|{P.date_words.pattern}", regex.I)
        # not the author of a cited text ("của Thủ tướng Chính phủ"), nor "Chính phủ" inside "Thủ tướng Chính phủ"
        owner = rf"(?<!(?:{_alt(r['possessive'])})\s)(?<!(?:{_alt(r['national_actors'])})\s)"
        self.national = regex.compile(rf"{owner}(?<!\p{{L}})(?:{_alt(r['national_actors'])})(?!\p{{L}})")
        # the actors that are persons' titles: a name may follow them ("Thủ tướng Nguyễn Xuân Phúc")
        self.title_person = regex.compile(rf"(?:{_alt(r['national_titles'])})$")
        self.committee = regex.compile(
            rf"{owner}(?<!\p{{L}})(?:{_committee_alt(ph)})\s+(?!(?:{plural})\s)(?P<unit>{units}|{abbr})(?!\p{{L}})"
            rf"(?:[ \t]+(?P<name>{_NAME_WORDS}))?")
        self.area = regex.compile(
            rf"(?<!\p{{L}})(?:{_alt(r['area_links'])})\s+(?P<unit>{units})(?!\p{{L}})(?:[ \t]+(?P<name>{_NAME_WORDS}))?")
        self.unit_name = regex.compile(rf"(?<!\p{{L}})(?P<unit>(?i:{units}))[ \t]+(?P<name>{_NAME_WORDS})")
        self.subject_place = regex.compile(
            rf"(?:^|(?<=[.!?]\s)|(?<=,\s))(?P<name>(?:[\p{{Lu}}Đ][\p{{Ll}}’']*[ \t]){{0,3}}[\p{{Lu}}Đ][\p{{Ll}}’']*)"
            rf"(?=[ \t]*:|[ \t]+\p{{Ll}})", regex.M)
        place = r"(?:[\p{Lu}Đ][\p{Ll}’']*[ \t]){0,3}[\p{Lu}Đ][\p{Ll}’']*"
        self.subject_plan = regex.compile(
            rf"(?P<name>{place})[ \t]+(?:{_alt(r['subject_plan_verbs'])})(?!\p{{L}})"
            rf"|(?<!\p{{L}})(?:{_alt(r['subject_plan_of'])})[ \t]+(?P<of>{place})")
        # a bare unit that sets the plan's aims: "toàn tỉnh phấn đấu …", "tỉnh đặt mục tiêu …"
        self.unit_plan = regex.compile(
            rf"(?<!\p{{L}})(?P<unit>{units})[ \t]+(?:{_alt(r['subject_plan_verbs'])})(?!\p{{L}})")
        self.abbreviations = {k: v for k, v in r["unit_abbreviations"].items()}
        self.source_line = line_start_compile(rf"^[ \t(]*(?:{_alt(r['source_labels'])})\s*:[^\n]*", regex.M | regex.I)


def _committee_alt(ph: dict) -> str:
    return _alt(ph["committee"])


@lru_cache(maxsize=1)
def patterns() -> _Patterns:
    return _Patterns(lexicon()["phrases"])


# ---- small helpers ---------------------------------------------------------------------
_SPACE_RUN = regex.compile(r"\s+")
_NUMBER_WITH_YEAR = regex.compile(r"(\d+[a-z]?)/(\d{4})/(.+)")
_CAPITALS = regex.compile(r"[\p{Lu}Đ]{2}")
_TABLE_ROW = regex.compile(r"^\|\s*([^|\n]+?)\s*\|\s*([^|\n]*?)\s*\|\s*$", regex.M)
# the same table flattened one cell per line ("**Nơi ban hành:**" / "|" / "Tỉnh Lâm Đồng"; after clean "Nơi ban
# hành:" / "" / "Tỉnh Lâm Đồng"), as legal-library copies store their field block: a label line ending with ":"
# (bold marks or a heading mark around it), then its value after "|" or empty lines. It opens with "^" and
# "[ \t*#]*": searched through the line breaks (``line_start_compile``), half the cost of trying every position
_FLAT_ROW = line_start_compile(r"^[ \t*#]*([^\n|*#:]{2,40}?)[ \t]*:[ \t*]*\n(?:[ \t]*\|?[ \t]*\n){1,3}[ \t]*"
                                r"([^|\n*\s][^|\n]*?)[ \t]*$", regex.M)


def normalize_number(raw: str, keep_year: bool = False) -> str:
    """'1791 /QĐ-TTg' -> '1791/QĐ-TTg'; a cited '112/2021/QĐ-TTg' -> '112/QĐ-TTg' (decrees keep the
    year); ``keep_year``: the document's own number, as its header prints it ("Số: 47/2011/QĐ-UBND")."""
    s = _SPACE_RUN.sub("", raw)
    m = _NUMBER_WITH_YEAR.fullmatch(s)
    if m and not keep_year:
        code = m.group(3)
        drop = lexicon()["drop_year_for_codes"]
        head = code.split("-")[0]
        if code in drop or head in drop or any(code.startswith(d + "-") and "-" in d for d in drop):
            s = f"{m.group(1)}/{code}"
    return s


def _numbers(text: str, keep_year: bool = False) -> list[tuple[int, int, str]]:
    out = []
    for m in DOC_NUMBER.finditer(text):
        code = m.group(3) or ""
        if m.group(4) or _CAPITALS.search(code):  # a code, not "10/6" or "25/3"
            out.append((m.start(), m.end(), normalize_number(m.group(0), keep_year)))
    return out


def _date(d: str, mth: str, y: str) -> str | None:
    try:
        return dt.date(int(y), int(mth), int(d)).isoformat()
    except ValueError:
        return None


def _table(text: str) -> dict[str, str]:
    """Label -> value from scraped header tables ("| Số hiệu | 157/KH-UBND |")."""
    out = {}
    if "|" in text:  # a row needs its pipes: most texts have none (the scan tries every line start)
        for m in _TABLE_ROW.finditer(text):
            out.setdefault(m.group(1), m.group(2))
    if "|" in text or ":\n" in text:  # a flattened row needs a label line ending with ":"
        for m in _FLAT_ROW.finditer(text):
            out.setdefault(m.group(1), m.group(2))
    return out


def _table_value(table: dict[str, str], field: str) -> str | None:
    for label in lexicon()["table_labels"].get(field, []):
        if table.get(label):
            return table[label]
    return None


def _syllable_key(word: str) -> tuple[str, str]:
    """A syllable's letters and its marks, wherever the tone mark sits ("hoà" = "hòa")."""
    d = unicodedata.normalize("NFD", word.lower())
    return "".join(ch for ch in d if not unicodedata.combining(ch)), "".join(sorted(ch for ch in d if unicodedata.combining(ch)))


def _same_spelling(a: str, b: str) -> bool:
    """Do two names differ at most in case and in where a tone mark sits? The gazetteer is looked up
    without marks, and "THỪA" must not become the commune "Thứa"."""
    wa, wb = a.split(), b.split()
    return len(wa) == len(wb) and all(_syllable_key(x) == _syllable_key(y) for x, y in zip(wa, wb))


def _proper(name: str) -> str:
    """'ĐỒNG NAI' -> 'Đồng Nai' (gazetteer spelling when known, else title case)."""
    name = _SPACE_RUN.sub(" ", name).strip(" ,.;:")
    for structure in ("2025", "legacy"):
        hit = places.find_province(name, structure)
        if hit and _same_spelling(name, hit[0]):
            return hit[0]
        units = [u for u in places.find_unit(name, structure) if _same_spelling(name, u[1])]
        if units:
            return units[0][1]
    if name.isupper():
        return " ".join(w.capitalize() for w in name.split())
    return name


# ---- fields ----------------------------------------------------------------------------
def find_doc_number(head: str, table: dict) -> tuple[str | None, int]:
    """The document's own number, as printed (a normative decision keeps its year: "47/2011/QĐ-UBND")."""
    P = patterns()
    m = P.number_line.search(head)
    if m:
        nums = _numbers(m.group(1), keep_year=True)
        if nums:
            return nums[0][2], m.start()
    v = _table_value(table, "doc_number")
    if v and _numbers(v, keep_year=True):
        return _numbers(v, keep_year=True)[0][2], -1
    # a scraped page's first line ("Kế hoạch 157/KH-UBND năm 2025 …"); a news lead's mention
    # ("ban hành Kế hoạch số 57/KH-UBND") is read by find_reported when the page has no header
    types = "|".join(w for t in lexicon()["doc_types"].values() for w in t["words"] if not w.isupper() and "/" not in w)
    first_line = head.lstrip().split("\n", 1)[0]
    num = P.number_word
    m = regex.match(rf"(?:{types})\s+(?:{num}\s+)?(\d{{1,5}}\s*/[^\s,;]+)", first_line)
    if m and _numbers(m.group(1), keep_year=True):
        return _numbers(m.group(1), keep_year=True)[0][2], m.start()
    return None, -1


def find_doc_type(number: str | None, head: str) -> str | None:
    types = lexicon()["doc_types"]
    if number:
        code = number.split("/")[-1].split("-")[0] if not regex.match(r"\d+-", number) else number.split("-")[1].split("/")[0]
        for name, t in types.items():
            if code in t["codes"]:
                return name
        issuer_codes = {c for i in lexicon()["issuers"] for c in i["codes"]}
        if code in issuer_codes:
            return lexicon()["default_type_for_issuer_only_numbers"]
    line_types, marker, marker_types = _type_lines()
    for line in head.split("\n")[:40]:
        line = line.strip()
        # the first type (in the lexicon's order) with an upper-case word that is the line, or with
        # the subject marker opening it: one lookup instead of a test per type and word
        hits = [i for i in (line_types.get(line), marker_types[0] if marker_types and line.startswith(marker) else None)
                if i is not None]
        if hits:
            return list(types)[min(hits)]
    first = head.lstrip()[:200]
    for name, word_re in _type_word_patterns():
        if word_re.search(first):
            return name
    return None


@lru_cache(maxsize=1)
def _type_lines() -> tuple[dict[str, int], str, list[int]]:
    """(upper-case type word -> index of its first type, the subject marker, indexes of the types
    that list the marker), in the order of ``documents.yaml`` ``doc_types``."""
    marker = lexicon()["phrases"]["subject_marker"]
    words: dict[str, int] = {}
    marker_types = []
    for i, t in enumerate(lexicon()["doc_types"].values()):
        for w in t["words"]:
            if w.isupper():
                words.setdefault(w, i)
            if w == marker:
                marker_types.append(i)
    return words, marker, marker_types


@lru_cache(maxsize=1)
def _type_word_patterns() -> tuple[tuple[str, regex.Pattern], ...]:
    """(type, "<word> [số] <digit>" pattern) for the lower-case type words, in the lexicon's order."""
    marker = lexicon()["phrases"]["subject_marker"]
    return tuple((name, regex.compile(rf"\b{regex.escape(w)}\s+(?:{patterns().number_word}\s+)?\d"))
                 for name, t in lexicon()["doc_types"].items() for w in t["words"]
                 if not w.isupper() and w != marker)


def find_issued_date(head: str, table: dict) -> str | None:
    # "Bắc Ninh, ngày 07 tháng 12 năm 2025" / "Hà Nội, ngày 15/9/2016" at a line start
    P = patterns()
    for m in P.place_date_line.finditer(head):
        w = P.date_words.search(m.group(1)) or _DATE_SLASH.search(m.group(1))
        if w:
            d = _date(*w.groups())
            if d:
                return d
    v = _table_value(table, "issued_date")
    if v:
        w = _DATE_SLASH.search(v) or P.date_words.search(v)
        if w and _date(*w.groups()):
            return _date(*w.groups())
    return news_lead_date(head)


def news_lead_date(head: str) -> str | None:
    """News lead: "Ngày 18/5/2021, UBND huyện ban hành Kế hoạch số 57/KH-UBND"."""
    P = patterns()
    m = P.news_date.search(head[:1500]) or P.news_number_date.search(head[:1500])
    return _date(*m.groups()) if m else None


def _unit_pattern() -> str:
    return "|".join(sorted(lexicon()["unit_types"], key=len, reverse=True))


@lru_cache(maxsize=1)
def _header_patterns() -> tuple[regex.Pattern, regex.Pattern]:
    """The upper-case issuer header lines: "ỦY BAN NHÂN DÂN [TỈNH X]" and "TỈNH X" (compiled once)."""
    units = _unit_pattern()
    committee = patterns().upper_committee
    council = _alt(lexicon()["phrases"]["council"])
    return (regex.compile(rf"[|\s]*(?:{committee}|(?P<council>{council}))\s*(?:(?P<utype>{units.upper()})\s+(?P<uname>[^|]+?))?\s*(?:\|.*)?$"),
            regex.compile(rf"({units.upper()})\s+([\p{{Lu}}Đ\s]+)$"))


def _dashless(s: str) -> str:
    """For "is this name in the text": dashes and spaces dropped ("Bà Rịa – Vũng Tàu" = "Bà Rịa - Vũng Tàu")."""
    return regex.sub(r"[\s\-–—]+", "", s)


def _known_place(name: str) -> bool:
    name = " ".join(name.split()).title()
    return any(places.find_province(name, s) or places.find_unit(name, s) for s in ("legacy", "2025"))


def _known_prefix(name: str) -> str:
    """A header cell that runs on into other text ("HẢI PHÒNG Mẫu số 10/CKNS-NSĐP …"): the longest
    run of its first words the gazetteer knows; the name as written when none is known."""
    words = name.split()
    if _known_place(name):
        return name
    return next((" ".join(words[:k]) for k in range(len(words) - 1, 0, -1) if _known_place(" ".join(words[:k]))), name)


def find_issuer(head: str, number: str | None, table: dict, title: str | None) -> dict[str, Any]:
    """Issuer name, its unit type and place name (before gazetteer resolution): the first of the
    decision steps below that knows, in order of the evidence's strength."""
    P = patterns()
    head = P.wrapped_committee.sub(P.committee_full, head)  # "ỦY BAN NHÂN\nDÂN" wrapped inside its name
    lines = [ln.strip() for ln in head.split("\n")[:30] if ln.strip()]
    issuer, bare_header = _issuer_from_header(lines)
    steps = (lambda: _issuer_from_national_header(lines), lambda: _issuer_from_sentence(head, title),
             lambda: _issuer_from_number(head, number), lambda: _issuer_from_table(table),
             lambda: _issuer_from_place_date(head, lines) if bare_header else {})
    for step in steps:
        if issuer:
            return issuer
        issuer = step()
    return issuer or {}


def _issuer_from_header(lines: list[str]) -> tuple[dict[str, Any], bool]:
    """1. The upper-case header: "ỦY BAN NHÂN DÂN" then "TỈNH ĐỒNG NAI" (same or next line).
    Returns (issuer or {}, whether a committee header without its place was seen)."""
    P = patterns()
    header, unit_line = _header_patterns()
    # the lines that hold it, found in one scan of the head (no substitution on the others: they
    # are stripped already, so it would give them back as they are)
    holding = _first_match_by_line(P.motto_column_lines, lines)
    if holding:
        lines = [P.motto_column.sub(" ", ln).strip() or ln if i in holding else ln for i, ln in enumerate(lines)]
    for i, line in enumerate(lines):
        m = header.match(line)
        if not m:
            continue
        utype, name = m.group("utype"), m.group("uname")
        if not utype and i + 1 < len(lines):
            m2 = unit_line.match(lines[i + 1])
            if m2:
                utype, name = m2.group(1), m2.group(2)
                # the place line wrapped too: "TỈNH BÌNH" / "PHƯỚC" (the joined name is the known one)
                if i + 2 < len(lines) and unit_line.match(f"{utype} {name} {lines[i + 2]}") \
                        and not _known_place(name) and _known_place(f"{name} {lines[i + 2]}"):
                    name = f"{name} {lines[i + 2]}"
        if utype and name and not P.motto.search(name):
            body = lexicon()["phrases"]["council"].get(m.group("council")) if m.group("council") else None
            return {"kind": "UBND", "unit_type": utype.lower(), "name": _proper(_known_prefix(name)),
                    **({"body": body} if body else {})}, False
        return {}, True
    return {}, False


def _issuer_from_national_header(lines: list[str]) -> dict[str, Any]:
    """2. A national issuer by its header line ("THỦ TƯỚNG CHÍNH PHỦ") among the first lines."""
    for iss in lexicon()["issuers"]:
        if iss["level"] == "national" and any(h in lines[:3] for h in iss["header"]):
            return {"kind": "national", "name": iss["name"]}
    return {}


def _issuer_from_sentence(head: str, title: str | None) -> dict[str, Any]:
    """3. The issuing sentence: "Ủy ban nhân dân phường Kim Trà ban hành", "UBND huyện ban hành"
    (a committee without its place takes the place its sentence, the title or the head links to
    the plan: "… trên địa bàn tỉnh Bạc Liêu")."""
    P = patterns()
    m = _issuing_committee(head)
    if not m:
        return {}
    utype = m.group(1).lower()
    name = (m.group(2) or "").strip()
    linked = rf"(?:{P.place_links})\s+{utype}[ \t]+((?:\p{{Lu}}[\p{{Ll}}]*[ \t]?){{1,4}})"
    for where in (regex.match(r"[^.\n]*", head, pos=m.end()).group(0), title or "", head):
        if name:
            break
        t = regex.search(linked, where)
        name = t.group(1).strip() if t else ""
    return {"kind": "UBND", "unit_type": utype, "name": _proper(name)} if name else {}


def _issuing_committee(head: str):
    """The committee of the issuing sentence, its unit type (group 1) and place (group 2, may be empty):
    "Ủy ban nhân dân phường Kim Trà ban hành", "Ủy ban nhân dân tỉnh ban hành"."""
    return _issuing_committee_pattern().search(head)


@lru_cache(maxsize=1)
def _issuing_committee_pattern() -> regex.Pattern:
    P = patterns()
    return regex.compile(
        rf"(?:{P.chairman}\s+)?(?:{P.committee})\s+({_unit_pattern()})(?:\s+((?:\p{{Lu}}[\p{{Ll}}]*\s?){{1,4}}))?\s*(?:{P.verbs})")


def _issuer_from_number(head: str, number: str | None) -> dict[str, Any]:
    """4. The code of the number: "QĐ-TTg" -> Thủ tướng; "SYT-NV" -> Sở Y tế (with the province of
    the place-date line)."""
    if not number:
        return {}
    parts = regex.split(r"[/-]", number)[1:]
    for iss in lexicon()["issuers"]:
        if any(p in iss["codes"] for p in parts):
            if iss["level"] == "national":
                return {"kind": "national", "name": iss["name"]}
            if iss["name"] != "UBND":
                place = patterns().place_before_date.search(head)
                return {"kind": "department", "name": iss["name"], "place": _proper(place.group(1)) if place else None}
    return {}


def _issuer_from_table(table: dict) -> dict[str, Any]:
    """5. A scraped header table: "Cơ quan ban hành | Tỉnh Bắc Ninh"."""
    v = _table_value(table, "issuer")
    m = regex.match(rf"({_unit_pattern()})\s+(.+)", v, regex.I) if v else None
    return {"kind": "UBND", "unit_type": m.group(1).lower(), "name": _proper(m.group(2))} if m else {}


def _issuer_from_place_date(head: str, lines: list[str]) -> dict[str, Any]:
    """6. A header that says only "ỦY BAN NHÂN DÂN" (its place line was lost): the place-date line
    names the issuer's own unit ("Hà Nội, ngày …"; Decree 30/2020: the name of the province,
    district or commune). Its level: a header line that gives only the unit type ("ỦY BAN NHÂN DÂN
    TỈNH") or the issuing sentence ("Ủy ban nhân dân tỉnh ban hành …"), else a province the text names ("thành phố Hà Nội") or that no district or commune
    shares its name with (only a province can be meant)."""
    place = patterns().place_before_date_cells.search(head)
    if not place:
        return {}
    name = _without_unit_type(place.group(1).strip())
    typed = next((m.group(1).lower() for m in map(_type_only_line().match, lines) if m), None)
    if typed is None:  # "Ủy ban nhân dân tỉnh ban hành kế hoạch …": the issuing sentence gives the level
        said = _issuing_committee(head)
        typed = said.group(1).lower() if said and not (said.group(2) or "").strip() else None
    if places.LEVEL_OF_TYPE.get(typed) in ("district", "commune"):
        return {"kind": "UBND", "unit_type": typed, "name": _proper(name)}
    hit = places.find_province(name, "legacy") or places.find_province(name, "2025")
    if hit and (typed or hit[0] in _context_provinces(head)
                or not any(places.find_unit(name, s) for s in ("legacy", "2025"))):
        return {"kind": "UBND", "unit_type": "thành phố" if places.is_city(hit[0]) else "tỉnh", "name": hit[0]}
    return {}


def _without_unit_type(name: str) -> str:
    """A place-date name written with its unit type ("Thành phố Hồ Chí Minh", "TP. Hồ Chí Minh"): the name."""
    R = patterns().reported
    m = regex.match(rf"(?i:{_unit_pattern()})\s+|(?:{_alt(R.abbreviations)})\.?\s*(?=\p{{Lu}})", name)
    return name[m.end():] if m and m.end() < len(name) else name


@lru_cache(maxsize=1)
def _type_only_line() -> regex.Pattern:
    """A header line that names the committee and its unit type but not its place ("ỦY BAN NHÂN DÂN TỈNH")."""
    return regex.compile(rf"[|\s]*(?:{patterns().upper_committee})\s+({_unit_pattern().upper()})[\s|]*$")


def find_title(doc_text: str, head: str, doc_type: str | None = None) -> str | None:
    P = patterns()
    type_words = [w for t in lexicon()["doc_types"].values() for w in t["words"] if w.isupper()]
    lines = head.split("\n")
    for i, line in enumerate(lines[:40]):
        s = line.strip()
        if s in type_words:
            body = []
            for nxt in lines[i + 1:i + 6]:
                n = nxt.strip()
                if not n:
                    if body:
                        break
                    continue
                if body and P.body_start.match(n) or len(n) > 400:
                    break
                body.append(n)
            if body:
                subject = " ".join(body)
                if subject.isupper():
                    subject = _recase(subject)
                return f"{s.capitalize()} {subject[0].lower() + subject[1:] if subject[:1].isupper() and not subject[:2].isupper() else subject}"
    # a page that dropped the type word: the upper-case line after the place-date line
    # ("THỰC HIỆN CHƯƠNG TRÌNH … GIAI ĐOẠN 2021-2030"), named by the type of the number
    if doc_type:
        word = next((w for w in lexicon()["doc_types"].get(doc_type, {}).get("words", []) if not w.isupper()), None)
        date_line = next((i for i, ln in enumerate(lines[:20]) if P.date_line.search(ln)), None)
        if word and date_line is not None:
            for nxt in lines[date_line + 1:date_line + 4]:
                n = nxt.strip(" |")
                if not n:
                    continue
                if len(n) >= 20 and n.isupper() and not P.header_line.match(n):
                    subject = _recase(n)
                    return f"{word} {subject[0].lower()}{subject[1:]}"
                break
    first = doc_text.lstrip().split("\n", 1)[0].strip()
    if regex.match(rf"{P.subject}\b", first) or any(first.startswith(w.capitalize()) for w in type_words):
        return first
    m = P.subject_line.search(head)
    if m:
        return m.group(0).strip()
    for word in P.title_types:
        m = regex.search(rf"(?:{P.verbs})\s+({regex.escape(word)}[^.;\n]{{10,300}})", head[:1500])
        if m:
            return m.group(1).strip()
    if P.not_title.match(first):
        return None  # a header line is no title
    return first[:300] if first else None


def _recase(s: str) -> str:
    """Sentence case for an upper-case title, restoring place names from the gazetteer."""
    low = s.lower()
    out = low[:1].upper() + low[1:]
    for m in regex.finditer(rf"\b({_unit_pattern()})\s+((?:\p{{Ll}}+\s?){{1,4}})", out):
        name = m.group(2).strip()
        proper = None
        words = name.split()
        for k in range(len(words), 0, -1):  # longest known name
            cand = " ".join(words[:k])
            p = _proper(cand)
            if p != cand and (p != " ".join(w.capitalize() for w in cand.split()) or places.find_province(cand, "2025")):
                proper = (cand, p)
                break
        if proper:
            out = out[:m.start(2)] + out[m.start(2):].replace(proper[0], proper[1], 1)
    return out


def find_period(doc, title: str | None, head: str, issued: str | None = None) -> tuple[int | None, int | None]:
    """The plan's own period from its title or issuing sentence: "giai đoạn 2021 - 2025" gives
    2021, 2025; "năm 2026" gives 2026, 2026; an end year alone ("đến năm 2030") runs from the
    year of issue (start unknown without a date). Where neither states one, the first objectives
    heading that names a year does ("2. Mục tiêu cụ thể đến năm 2030")."""
    P = patterns()
    def objectives() -> str:  # searched only when the title and issuing sentence give none
        m = P.objectives_line.search(doc.text)  # anchored per line, linear
        return m[0] if m else ""

    for source in (lambda: title or "", lambda: _issuing_sentence(doc, head), objectives):
        text = source()
        if not text:
            continue
        m = P.year_frame.match(text)
        if m:
            return int(m.group(1)), int(m.group(1))
        m = P.year_range.search(text)
        if m:
            a, b = int(m.group(1)), int(m.group(2))
            if a <= b:
                return a, b
        m = P.one_year.search(text)
        if m and not regex.search(rf"/[\p{{Lu}}Đ-]+\s+{P.year_word}\s+" + m.group(1), text):
            y = int(m.group(1))
            if P.up_to.search(text[:m.start()]):
                start = int(issued[:4]) if issued and int(issued[:4]) <= y else None
                return start, y
            return y, y
    return None, None


@lru_cache(maxsize=1)
def _recital_leads() -> tuple[str, ...]:
    """The openings of a recital line (documents.yaml ``recital_leads``), lower-cased, single-spaced."""
    return tuple(" ".join(w.lower().split()) for w in lexicon()["recital_leads"])


def _issuing_sentence(doc, head: str) -> str:
    # No match can start before the sentence holding the first "ban hành Kế hoạch/Chương trình":
    # searching from there gives the same match without trying every earlier position.
    # A core on a recital line ("Căn cứ Quyết định … ban hành Chương trình …;") issues a cited
    # document, not this one: the first core on another line is the plan's own.
    P = patterns()
    leads = _recital_leads()
    for core in P.issuing_core.finditer(head):
        line_start = head.rfind("\n", 0, core.start()) + 1
        if " ".join(head[line_start:line_start + 40].lower().split()).lstrip("-+*• ").startswith(leads):
            continue
        m = P.issuing.search(head, doc.sentence_at(core.start())[0])
        return m.group(0) if m else ""
    return ""


def find_signer(text: str, table: dict) -> str | None:
    """The signer: a header-table field, else a name under a signature title ("PHÓ CHỦ TỊCH" /
    "Nguyễn Văn A", or on one line when the block was joined), at the end of the text or, for a
    decision with its plan attached, the first such block."""
    v = _table_value(table, "signer")
    if v and _PERSON.match(v.strip()):
        return v.strip()
    P = patterns()
    m = P.signer_field.search(text[:HEAD_CHARS])
    if m:
        return m.group(1)
    titles = lexicon()["signature_titles"]
    lines = [ln.strip() for ln in text.split("\n") if ln.strip()]
    tail_start = max(0, len(lines) - len([ln for ln in text[-600:].split("\n") if ln.strip()]))
    signed = _signed_lines(lines)
    found = None
    i = 0
    while i < len(lines):
        ln = lines[i]
        if _PERSON.match(ln) and any(any(t in prev for t in titles) for prev in lines[max(0, i - 4):i]):
            name = ln
        else:
            m = signed.get(i)
            name = m.group(1) if m else None
        if name:
            if i >= tail_start:
                return name
            found = found or name
            i = max(i + 1, tail_start)  # the first block is kept: only the tail's can replace it
            continue
        i += 1
    return found


def _signed_lines(lines: list[str]) -> dict[int, regex.Match]:
    """line index -> the first match of ``signed_line`` in that line (as its ``search`` gives it)."""
    return _first_match_by_line(patterns().signed_lines, lines)


def _first_match_by_line(pattern: regex.Pattern, lines: list[str]) -> dict[int, regex.Match]:
    """line index -> the first match of ``pattern`` (which never crosses a line break) in that line,
    from one scan of the lines joined."""
    joined = "\n".join(lines)
    starts = list(accumulate((len(ln) + 1 for ln in lines[:-1]), initial=0))
    out: dict[int, regex.Match] = {}
    for m in pattern.finditer(joined):
        out.setdefault(bisect_right(starts, m.start()) - 1, m)
    return out


# ---- a page without a header: the plan it reports ---------------------------------------
def has_header(head: str, table: dict) -> bool:
    """An official header: a number line "Số: …", a header table, the motto, an upper-case
    issuer line or a type line. A news page has none; a place-date line alone is no header (a
    portal's dateline reads the same: "Hải Phòng, ngày 18 tháng 11 năm 2019")."""
    P = patterns()
    if P.number_line.search(head) or any(_table_value(table, f) for f in ("doc_number", "issuer", "issued_date")):
        return True
    top = head[:1500]
    if P.motto.search(top):
        return True
    header, _ = _header_patterns()
    lines = [ln.strip(" |\t") for ln in P.wrapped_committee.sub(P.committee_full, top).split("\n")[:30] if ln.strip()]
    national = {h for i in lexicon()["issuers"] for h in i["header"]}
    type_lines = {w for t in lexicon()["doc_types"].values() for w in t["words"] if w.isupper()}
    # a type line ("KẾ HOẠCH") or an upper-case title opening with one ("BÁO CÁO TÌNH HÌNH THỰC HIỆN …")
    # opens an official text whose header was lost, not a news page
    return any(header.match(ln) or ln in national for ln in lines) or any(
        ln in type_lines or ln.isupper() and any(ln.startswith(w + " ") for w in type_lines) for ln in lines[:3])


def page_date(text: str) -> str | None:
    """The page's own date: a full date on a short line near the top (a dateline: "08:08,
    04/08/2021", "Cập nhật ngày: 23/05/2022 - 23:03", "Thứ Ba, 9-3-2021")."""
    R = patterns().reported
    limit = R.data["page_date_line_chars"]
    lines = [ln for ln in text[:3000].split("\n") if ln.strip()][:15]
    for ln in lines:
        if len(ln.strip()) > limit or R.verbs.search(ln):
            continue
        m = R.any_date.search(ln)
        if m:
            g = m.groups()
            d = _date(*g[:3]) if g[0] else _date(*g[3:])
            if d:
                return d
    return None


def _mention_date(text: str, m, sent: tuple[int, int]) -> str | None:
    """The date of a mentioned document: right after it ("số 57/KH-UBND ngày 18/5/2021"), later in
    its sentence ("… phê duyệt Quy hoạch … ngày 17/8/2023"), or opening it or its part after a
    semicolon ("Ngày 27/5/2021, …", "Nhằm …; ngày 05/5/2022, Uỷ ban nhân dân tỉnh ban hành Kế hoạch số …")."""
    R = patterns().reported
    for pat in (R.date_after, R.date_words_after):
        d = pat.match(text, m.end())
        if d and _date(*d.groups()):
            return _date(*d.groups())
    nxt = R.mention.search(text, m.end(), sent[1])
    d = R.date_in_sentence.search(text, m.end(), nxt.start() if nxt else sent[1])
    if d and _date(*d.groups()):
        return _date(*d.groups())
    for start in dict.fromkeys((sent[0], text.rfind(";", sent[0], m.start()) + 1 or sent[0])):
        d = R.date_first.match(text[start:m.start()])
        if d and _date(*d.groups()):
            return _date(*d.groups())
    return None


def _place_name(unit: str | None, words: str | None) -> str | None:
    """The longest run of the first words that the gazetteer knows ("Đắk Lắk H’Yim" -> "Đắk Lắk")."""
    if not words:
        return None
    ws = words.split()
    for k in range(len(ws), 0, -1):
        cand = " ".join(ws[:k])
        if any(places.find_province(cand, s) or [u for u in places.find_unit(cand, s) if not unit or u[0] == unit]
               for s in ("legacy", "2025")):
            return cand
    return None


def _subject_provinces(lead: str) -> list[str]:
    """Provinces named as a subject of the lead ("Đà Nẵng triển khai …", "Tây Ninh: Huy động …",
    "Theo kế hoạch, Quảng Nam phấn đấu …"), in order."""
    out = []
    for m in patterns().reported.subject_place.finditer(lead):
        ws = m.group("name").split()
        for k in range(len(ws), 0, -1):
            hit = places.find_province(" ".join(ws[:k]), "legacy") or places.find_province(" ".join(ws[:k]), "2025")
            if hit and k == len(ws):
                out.append(hit[0])
                break
    return list(dict.fromkeys(out))


def _national_actor(lead: str):
    """The first national actor of the lead that is this country's ("Chính phủ Mỹ buộc phải …" is
    another country's body; a person's title may be followed by a name: "Thủ tướng Nguyễn Xuân Phúc")."""
    R = patterns().reported
    return next((n for n in R.national.finditer(lead)
                 if R.title_person.match(n.group(0)) or not R.foreign.match(lead, n.end())), None)


def _lead_actor(lead: str) -> dict[str, Any]:
    """Who issues what the page reports: the first national actor or people's committee of the
    lead ("Thủ tướng Chính phủ phê duyệt", "UBND huyện Duy Xuyên vừa ban hành"), else a bare unit
    setting the aims ("toàn tỉnh phấn đấu"), else the first unit named with its place ("huyện Hà
    Quảng đảm bảo") or the plan's area ("trên địa bàn tỉnh")."""
    R = patterns().reported
    found = []
    n = _national_actor(lead)
    if n:
        found.append((n.start(), {"kind": "national", "name": " ".join(n.group(0).split()), "words": n.group(0)}))
    c = R.committee.search(lead)
    if c:
        unit = R.abbreviations.get(c.group("unit"), c.group("unit"))
        name = _place_name(unit, c.group("name"))
        if name is None and unit.lower() != "tỉnh":
            # "Ủy ban nhân dân huyện Xây dựng Kế hoạch …": the one unit of that type below the province the lead
            # names ("trên địa bàn huyện U Minh Thượng"); none when it names several or the committee is a province's
            named = {n for u in R.unit_name.finditer(lead) if u.group("unit").lower() == unit.lower()
                     for n in [_place_name(unit, u.group("name"))] if n}
            name = named.pop() if len(named) == 1 else None
        found.append((c.start(), {"kind": "UBND", "unit_type": unit, "name": name, "words": c.group(0)}))
    if found:
        return min(found, key=lambda x: x[0])[1]
    u = R.unit_plan.search(lead)
    if u:  # the unit that sets the aims outranks a unit merely named ("xã Bản Nguyên" in a caption)
        return {"kind": "UBND", "unit_type": u.group("unit").lower(), "name": None, "words": u.group(0)}
    for pat in (R.unit_name, R.area):
        for u in pat.finditer(lead):
            unit = u.group("unit").lower()
            name = _place_name(unit, u.group("name"))
            if name or pat is R.area:
                found.append((u.start(), {"kind": "UBND", "unit_type": unit, "name": name, "words": u.group(0)}))
                break
    return min(found, key=lambda x: x[0])[1] if found else {}


def find_reported(doc) -> dict[str, Any]:
    """The plan a page without a header reports: its number, date and issuer from the prose.

    The first document mention of the lead that the page reports (:func:`_reported_mention`), else
    the portal's closing source line; a legal rule (decree, circular, law) reported instead gives
    nothing. The issuer is the number's national issuer ("QĐ-TTg") or the lead's first actor.
    Returns {} or a dict with number, date, issuer, rule, stale, evidence."""
    R = patterns().reported
    lead = doc.text[:R.data["lead_chars"]]
    out = _reported_mention(doc, lead)
    if out.get("rule"):
        return out
    if not out.get("number"):
        out.update(_source_line_mention(doc.text))
    number = out.get("number")
    if number:
        parts = regex.split(r"[/-]", number)[1:]
        for iss in lexicon()["issuers"]:
            if iss["level"] == "national" and any(p in iss["codes"] for p in parts):
                out["issuer"] = {"kind": "national", "name": iss["name"]}
    if "issuer" not in out and (number or not out.get("stale") and R.plan_word.search(lead)):
        # the lead's actor only for a page that reports a plan (names one): not for any news, nor for
        # a page that recalls older documents (a report of past actions)
        actor = _lead_actor(lead)
        if actor:
            out["issuer"] = actor
    return out


def _reported_mention(doc, lead: str) -> dict[str, Any]:
    """The first mention of the lead that the page reports: its sentence issues it (an issuing verb
    before or after it) or opens with it as the page's source ("Theo Công văn số …, UBND huyện …"),
    and the page does not cite or implement it (:func:`_cited`; a number once cited stays cited);
    a mention much older than the page's dateline is recalled, not reported."""
    R = patterns().reported
    text = doc.text
    out: dict[str, Any] = {}
    cited: set[str] = set()
    cited_in: tuple[int, int] | None = None  # the sentence of the last cited mention
    for m in R.mention.finditer(lead):
        nums = _numbers(m.group("no"))
        if not nums or nums[0][2] in cited:
            continue
        sent = doc.sentence_at(m.start())
        if _cited(text, m, sent, list_goes_on=sent == cited_in):
            cited.add(nums[0][2])
            cited_in = sent
            continue
        if not (R.verbs.search(text, sent[0], m.start()) or R.verbs.search(text, m.end(), sent[1])
                or R.source_lead.match(text[sent[0]:m.start()])):
            continue
        if R.rule_type.match(m.group("type")):
            return {"rule": nums[0][2], "evidence": f"reports a legal rule: '{m.group(0)}' @{m.start()}"}
        date = _mention_date(text, m, sent)
        page = page_date(text)
        if date and page and (dt.date.fromisoformat(page) - dt.date.fromisoformat(date)).days > R.data["stale_days"]:
            out["stale"] = f"'{m.group(0)}' of {date} is older than the page ({page}): recalled, not reported"
            continue
        out.update(number=nums[0][2], date=date, evidence=f"'{' '.join(m.group(0).split())}' @{m.start()}")
        break
    return out


def _cited(text: str, m, sent: tuple[int, int], list_goes_on: bool = False) -> bool:
    """A mention the page cites or implements: a citing clause governs it ("Thực hiện Công văn …",
    "Căn cứ …"), an implementing verb stands right before it ("tổ chức thực hiện Công văn số …",
    "BÁO CÁO TÌNH HÌNH THỰC HIỆN NGHỊ QUYẾT SỐ …"), or it is the next item of a list whose previous
    item in the sentence was cited (``list_goes_on``: "… thực hiện Công văn số A …, Công văn số B …")."""
    R = patterns().reported
    clause_start = max(text.rfind(c, sent[0], m.start()) for c in (",", ";", ":", "(")) + 1 or sent[0]
    clause = text[max(clause_start, sent[0]):m.start()]
    before = text[max(sent[0], m.start() - 60):m.start()]
    return bool(R.citing.match(clause) or list_goes_on and not clause.strip()
                or R.implementing.search(before) or R.cited_after_word.search(before))


def _source_line_mention(text: str) -> dict[str, Any]:
    """No mention in the lead: the source line a portal closes with ("(Nguồn: Từ Công văn số …)")."""
    R = patterns().reported
    tail = max(0, len(text) - R.data["tail_chars"])
    for line in R.source_line.finditer(text, tail):
        m = R.mention.search(text, line.start(), line.end())
        if m and _numbers(m.group("no")) and not R.rule_type.match(m.group("type")):
            return {"number": _numbers(m.group("no"))[0][2], "date": _mention_date(text, m, (line.start(), line.end())),
                    "evidence": f"source line '{' '.join(m.group(0).split())}' @{m.start()}"}
    return {}


@lru_cache(maxsize=1)
def _implements_cue() -> regex.Pattern:
    cues = "|".join(regex.escape(c) for c in lexicon()["implements_cues"])
    return regex.compile(rf"(?:{cues})\b")


def find_implements(doc, own_number: str | None) -> list[str]:
    """Documents cited in the preamble ("Căn cứ …", "Thực hiện …"), in order, without the plan's own."""
    first_section = next((s.start for s in doc.sections if s.level <= 2), min(len(doc.text), HEAD_CHARS * 2))
    preamble = doc.text[:first_section]
    cue = _implements_cue()
    out: list[str] = []
    listing = False  # the previous line was a cited document ending with ";": the list goes on
    for para in preamble.split("\n"):
        para = para.strip()
        # a line of a preamble list may name a document without repeating the cue ("Công văn số …")
        if not (cue.match(para) or listing and patterns().cited_type.match(para)):
            listing = False
            continue
        listing = para.endswith(";")
        for _, _, num in _numbers(para):
            if num != normalize_number(own_number or "") and num not in out:
                out.append(num)
    return out


def _context_provinces(text: str) -> tuple[str, ...]:
    found = []
    P = patterns()
    for m in P.context_place.finditer(text):
        words = m.group(1).split()
        for k in range(len(words), 0, -1):
            hit = places.find_province(" ".join(words[:k]), "legacy") or places.find_province(" ".join(words[:k]), "2025")
            if hit:
                found.append(hit[0])
                break
    return tuple(dict.fromkeys(found))


def _from_report(doc, head: str, number, doc_type, issued, issuer, notes: list[str]):
    """Number, type, date and issuer of a page without a header: those of the plan it reports
    (:func:`find_reported`), marked in ``notes``; the provinces the text names (no gazetteer guess)."""
    text = doc.text
    rep = find_reported(doc)
    lead = text[:patterns().reported.data["lead_chars"]]
    note = patterns().reported.data["note"]
    if rep.get("stale"):
        notes.append(rep["stale"])
    if rep.get("rule"):
        notes.append(f"{rep['evidence']}: no plan metadata")
        return None, find_doc_type(None, head), None, {}, ()
    if rep.get("number"):
        number = rep["number"]
        doc_type = find_doc_type(number, head)
    issued = rep.get("date") or news_lead_date(head)  # (a "place, date" line is a header's, not a page's)
    named = tuple(dict.fromkeys(_context_provinces(text) + tuple(_subject_provinces(lead))))
    actor = rep.get("issuer")
    if actor and not (actor.get("kind") == "UBND" and not actor.get("name") and issuer.get("name")
                      and issuer.get("unit_type") == actor["unit_type"]):
        # (the header path already named this committee's place from its sentence: keep it)
        issuer = dict(actor)
        if issuer.get("kind") == "UBND" and not issuer.get("name") and issuer["unit_type"] in ("tỉnh", "thành phố"):
            # "UBND tỉnh" / "UBND TP": the province the lead names as its subject, or the only one named
            subject = _subject_provinces(lead)
            pick = subject[0] if subject else (named[0] if len(named) == 1 else None)
            if pick and (issuer["unit_type"] == "tỉnh" or places.is_city(pick)):
                issuer["name"] = pick
    if not actor and not issuer.get("kind"):
        actor = _subject_issuer(lead)
        issuer = dict(actor) or issuer
    if rep.get("evidence") or actor:
        said = rep.get("evidence") or f"issuer '{' '.join(actor['words'].split())}'"
        notes.append(f"{note}: {said}")
    return number, doc_type, issued, issuer, named


def _subject_issuer(lead: str) -> dict[str, Any]:
    """No actor in the lead: the province it names as the subject of a plan issues it ("Nghệ An phấn
    đấu đến năm 2030 có 70% …", "Theo kế hoạch, mục tiêu của Nghệ An …", ``subject_plan_verbs``,
    ``subject_plan_of``); a province that only "kêu gọi" or suffers an event issues nothing."""
    for m in patterns().reported.subject_plan.finditer(lead):
        ws = (m.group("name") or m.group("of")).split()
        # the province right before the verb ("Tỉnh Nghệ An phấn đấu"), right after "của"
        cands = [ws[k:] for k in range(len(ws))] if m.group("name") else [ws[:k] for k in range(len(ws), 0, -1)]
        for c in cands:
            hit = places.find_province(" ".join(c), "legacy") or places.find_province(" ".join(c), "2025")
            if hit:
                return {"kind": "UBND", "unit_type": "thành phố" if places.is_city(hit[0]) else "tỉnh",
                        "name": hit[0], "words": m.group(0)}
    return {}


@document_field(order=10)
def extract(doc) -> dict[str, Any]:
    """All metadata fields of one document (see module docstring)."""
    text = doc.text
    head = text[:HEAD_CHARS]
    table = _table(head)
    notes: list[str] = []
    number, _ = find_doc_number(head, table)
    doc_type = find_doc_type(number, head)
    issued = find_issued_date(head, table)
    title = find_title(text, head, doc_type)
    period_start, period_end = find_period(doc, title, head, issued)
    issuer = find_issuer(head, number, table, title)
    named: tuple[str, ...] | None = None  # news: the provinces the text names (none is inferred)
    if not has_header(head, table):
        number, doc_type, issued, issuer, named = _from_report(doc, head, number, doc_type, issued, issuer, notes)
    meta: dict[str, Any] = {
        "doc_number": number, "doc_type": doc_type, "issued_date": issued, "title": title,
        "period_start": period_start, "period_end": period_end, "signer": find_signer(text, table),
        "implements": find_implements(doc, number),
        "issuer": None, "admin_level": None, "locality": None, "province": None, "province_2025": None,
    }
    meta.update(_placed_issuer(text, issuer, places.structure_for(issued, period_start), named, notes))
    if period_start is None and doc_type in ("ke_hoach", "chuong_trinh"):
        notes.append("plan period not found in the title")
    meta["notes"] = "; ".join(notes) or None
    return meta


def _placed_issuer(text: str, issuer: dict[str, Any], structure: str, named: tuple[str, ...] | None,
                   notes: list[str]) -> dict[str, Any]:
    """The issuer's stored fields (issuer, admin_level, locality, province, province_2025), its place
    resolved in the gazetteer of the document's structure. ``named``: on a page without a header,
    the provinces its text names; a gazetteer province it does not name is left empty."""
    kind = issuer.get("kind")
    if kind == "national":
        return {"issuer": issuer["name"], "admin_level": "national"}
    if kind == "department":
        hit = places.find_province(issuer["place"], structure) if issuer.get("place") else None
        if not hit:
            return {"issuer": issuer["name"], "admin_level": "province"}
        full = "thành phố" if places.is_city(hit[0]) else "tỉnh"
        return {"issuer": f"{issuer['name']} {full} {hit[0]}", "admin_level": "province", "locality": hit[0],
                "province": hit[0], "province_2025": hit[1]}
    if kind == "UBND" and not issuer.get("name"):
        # a committee without its place ("UBND tỉnh vừa ban hành"): the level of its unit
        return {"issuer": f"UBND {issuer['unit_type']}", "admin_level": places.LEVEL_OF_TYPE.get(issuer["unit_type"])}
    if kind != "UBND":
        notes.append("issuer not found")
        return {}
    place = places.resolve(issuer["unit_type"], issuer["name"], structure=structure,
                           context_provinces=_context_provinces(text))
    out = {"issuer": f"{issuer.get('body', 'UBND')} {issuer['unit_type']} {issuer['name']}", "admin_level": place.level,
           "locality": place.name, "province": place.province, "province_2025": place.province_2025}
    if place.note:
        notes.append(place.note)
    if named is not None and place.province and place.province not in named \
            and _dashless(place.province) not in _dashless(text):
        out.update(province=None, province_2025=None)
        notes.append(f"province {place.province} (gazetteer) not named in the text: left empty")
    return out
