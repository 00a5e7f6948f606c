"""The faster searches of the shared stages find exactly what the plain scans they replace found
(issue 12: rows must not change): patterns anchored at a line start, the signature line."""
import random
from pathlib import Path

import regex

from chitieu.extractors import metadata as M
from chitieu.pipeline.patterns import LineStartPattern, line_start_compile
from chitieu.pipeline.readers.encoding import UNICODE_VI_SHARE, looks_unicode_vietnamese, unicode_vi_share
from chitieu.pipeline.structure import _body_patterns

ROOT = Path(__file__).resolve().parent.parent
SEEDS = [p.read_text(encoding="utf-8") for p in sorted((ROOT / "corpora" / "seeds").glob("*.txt"))]


def _random_texts(alphabet, n=2000, longest=30, seed=11):
    rnd = random.Random(seed)
    return ["".join(rnd.choice(alphabet) for _ in range(rnd.randint(0, longest))) for _ in range(n)]


LINE_START = [
    (r"^\s*(?:\*+\s*)?Nơi\s+nhận\s*:?", regex.M | regex.I),
    (r"^[ \t]*(?:\*+[ \t]*)?(?:KẾ HOẠCH|QUY ĐỊNH)(?![\w])", regex.M),
    (r"^\s*", regex.M),  # empty matches: finditer must step over them as regex does
    (r"^", regex.M),
    (r"^(?:a|\s)*$", regex.M),
    (r"^[ \t]*điều\s+\d+\s*\.", regex.M | regex.I),
]


def test_line_start_patterns_find_what_the_pattern_finds():
    alphabet = ["a", "A", " ", "\n", "\n\n", "*", "Nơi", " nhận", ":", "KẾ HOẠCH", "điều 1.", "\t", "\r", "\u2028"]
    texts = SEEDS + _random_texts(alphabet)
    for source, flags in LINE_START:
        fast, plain = line_start_compile(source, flags), regex.compile(source, flags)
        assert isinstance(fast, LineStartPattern)
        for t in texts:
            for pos in sorted({0, 1, 3, len(t) // 2, len(t), len(t) + 2}):
                for endpos in (None, len(t) - 1) if t and pos < len(t) else (None,):  # (pos <= endpos)
                    got = [m.span() for m in fast.finditer(t, pos, endpos)]
                    assert got == [m.span() for m in plain.finditer(t, pos, endpos)], (source, t, pos, endpos)
                    a, b = fast.search(t, pos, endpos), plain.search(t, pos, endpos)
                    assert (a and (a.span(), a.groups())) == (b and (b.span(), b.groups())), (source, t, pos)
        assert fast.pattern == source and fast.fullmatch("x") == plain.fullmatch("x")  # the rest is the pattern's


def test_only_patterns_that_open_with_a_line_anchor_take_the_fast_path():
    assert not isinstance(line_start_compile(r"^a|b", regex.M), LineStartPattern)  # "^" binds one branch
    assert not isinstance(line_start_compile(r"^a", 0), LineStartPattern)  # "^" is the text start
    assert not isinstance(line_start_compile(r"a^", regex.M), LineStartPattern)
    assert isinstance(line_start_compile(r"^(?:a|b)[|^]\|", regex.M), LineStartPattern)
    assert all(isinstance(p, LineStartPattern) for p in _body_patterns())


def test_signature_lines_found_by_one_scan_are_those_a_search_per_line_finds():
    P = M.patterns()
    words = ["CHỦ TỊCH", "KT. CHỦ TỊCH", "GIÁM ĐỐC", "Nguyễn", "Văn", "An", "A", " ", "  ", "\n", "PHÓ", "Bình"]
    for t in SEEDS + _random_texts(words, longest=12):
        lines = [ln.strip() for ln in t.split("\n") if ln.strip()]
        found = M._signed_lines(lines)
        for i, ln in enumerate(lines):
            m = P.signed_line.search(ln)
            assert (m and m.group(1)) == (found[i].group(1) if i in found else None), ln


def test_motto_column_lines_found_by_one_scan_are_those_a_search_per_line_finds():
    P = M.patterns()
    found = regex.compile(P.motto_column.pattern, regex.I)
    words = ["CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc", "độc lập – tự do — hạnh phúc",
             "CỘNG HÒA XÃ", "HỘI CHỦ NGHĨA VIỆT NAM", "UBND TỈNH X", " ", "\n"]
    for t in SEEDS + _random_texts(words, n=500, longest=8):
        lines = [ln.strip() for ln in t.split("\n") if ln.strip()]
        holding = M._first_match_by_line(P.motto_column_lines, lines)
        assert set(holding) == {i for i, ln in enumerate(lines) if found.search(ln)}, lines


def test_vietnamese_prose_is_recognised_as_before():
    alphabet = ["a", "ạ", "ư", "đ", " ", "1", ".", "â", "Ư", "\n"]
    for t in SEEDS + _random_texts(alphabet, longest=60):
        assert looks_unicode_vietnamese(t) == (unicode_vi_share(t) >= UNICODE_VI_SHARE)


def test_patterns_tried_where_their_first_words_match_find_what_their_scans_find():
    from chitieu.pipeline.patterns import WordStarts, finditer_at

    phrases = ["báo cáo", "gửi báo cáo", "báo báo cáo"]
    pattern = regex.compile(r"(?<![\w])(?:" + "|".join(r"\s+".join(p.split()) for p in sorted(phrases, key=len, reverse=True))
                            + r")(?![\w])", regex.I)
    starts = WordStarts(phrases, regex.I)
    assert starts.usable and not WordStarts(["(?:báo) cáo"], regex.I).usable and not WordStarts([" "], regex.I).usable
    alphabet = ["báo", "BÁO", "Báo", " cáo", " CÁO", "gửi", "GỬI", " ", "\n", "x", "ſ", "báocáo"]
    for t in SEEDS + _random_texts(alphabet, longest=14):
        for pos, end in ((0, len(t)), (2, max(2, len(t) - 3))):
            assert [m.span() for m in finditer_at(pattern, t, starts.starts(t, pos, end), pos, end)] == \
                   [m.span() for m in pattern.finditer(t, pos, end)], (t, pos, end)



def test_first_words_are_read_only_from_patterns_of_that_shape():
    from chitieu.pipeline.patterns import first_words

    assert first_words(r"(?<!\p{L})(?:mức\s+phạt|phạt\s+tiền)(?!\p{L})") == ["mức", "phạt"]
    assert first_words(r"(?<!\p{L})ảnh\s*:") == ["ảnh"]
    assert first_words(r"(?:thứ\s+(?:hai|ba)|chủ\s+nhật),?\s+\d") == ["thứ", "chủ"]
    assert first_words(r"nhà\s+(?:lý|trần)|[|]x") is None  # a branch opening with a class
    for source in (r"ab?c", r"(?:a|b)?c", r"(?:a|b)*c", r"a{0,1}b", r"\d+ năm", r"(?:^[ \t]*|,\s*)đáp", r"(?i)a", r"|a"):
        assert first_words(source) is None, source


def test_kind_cues_tried_at_their_first_words_find_what_their_scans_find():
    from chitieu.extractors import kind as K
    from chitieu.pipeline.patterns import FirstWordPattern

    alphabet = ["Mức phạt", "PHẠT  TIỀN", "xử phạt vi phạm", "Theo Bộ", "theo đó", "ảnh :", "Ảnh:", "thứ Hai, 1/2/2020",
                "là một huyện", " ", "\n", "x", ",", "1"]
    cues = [p for pats in K._data()["body"].values() for p, _ in pats]
    assert sum(isinstance(p, FirstWordPattern) for p in cues) >= 10
    for p in cues:
        plain = regex.compile(p.pattern, K._FLAGS)
        for t in SEEDS + _random_texts(alphabet, n=300, longest=12):
            assert [m.span() for m in p.finditer(t)] == [m.span() for m in plain.finditer(t)], (p.pattern, t)


def test_document_syllables_are_those_of_the_normalized_text():
    """programmes reads a document's syllables without normalizing it again where normalize
    cannot change a letter; where it could (old-style tones, ð, a zero-width character, text
    that is not NFC, a word joined by clean), it normalizes first, as before."""
    from chitieu.pipeline.clean import clean
    from chitieu.pipeline.normalize import letters_already_normal, normalize
    from chitieu.pipeline.programmes import _SYLLABLE, _document_syllables

    alphabet = ["a", "o", "ho", "à", "hoà", "Hoà", "HOÀ", "uỷ", "Uỷ ban", " ", "\n", "ð", "Ð", "\u200b", "\u00ad",
                "a\u0300", "\u0301", "2025", "x2", "İ", "Σ", "-", "\u2013", "**", "kế hoạch", "\u00a0", "đ"]
    texts = SEEDS + _random_texts(alphabet, n=3000, longest=12, seed=5)
    texts += [clean(normalize(t)) for t in texts]  # documents are cleaned normalized text
    fast = 0
    for t in texts:
        expected = _SYLLABLE.findall(normalize(t).lower())
        assert _document_syllables(t) == expected, t
        fast += letters_already_normal(t, set(_SYLLABLE.findall(t.lower())))
    assert fast > len(texts) // 4  # the shortcut is taken, not only the fallback
    seed_docs = [clean(normalize(t)) for t in SEEDS]
    assert all(letters_already_normal(d, set(_SYLLABLE.findall(d.lower()))) for d in seed_docs)


def test_flattened_header_rows_found_through_line_breaks_are_those_of_the_plain_scan():
    plain = regex.compile(M._FLAT_ROW.pattern, regex.M)
    words = ["Nơi ban hành", "Số hiệu", ":", "**", "#", "|", " ", "\t", "\n", "\n\n", "Tỉnh Lâm Đồng", "157/KH"]
    for t in SEEDS + _random_texts(words, n=3000, longest=14, seed=3):
        assert [(m.span(), m.groups()) for m in M._FLAT_ROW.finditer(t)] == \
            [(m.span(), m.groups()) for m in plain.finditer(t)], t


def test_lines_that_can_open_a_heading_are_told_by_their_first_character():
    from chitieu.pipeline.structure import _HEADING, _may_open_heading

    rests = ["", ". A", ".  a", ") a", " a", "ều 1. A", "ều 12 b", "1 A", "1. A", ".2 x", "I. A", "V. b", "\tA", ")\tx"]
    for code in range(0x20, 0x3000):
        c = chr(code)
        if any(_HEADING.match(c + rest) for rest in rests):
            assert _may_open_heading(c + "x"), repr(c)
    for t in SEEDS:
        for line in t.split("\n"):
            if _HEADING.match(line):
                assert _may_open_heading(line), line


def test_marker_levels_read_from_the_matching_group_are_those_of_testing_each_group():
    from chitieu.pipeline.structure import _HEADING, _marker_level

    def plain(m):
        for name, level in (("roman", 1), ("dieu", 2), ("multi", 3), ("num", 2), ("alpha", 4)):
            if m.group(name):
                return level, m.group(name).split()[-1] if name == "dieu" else m.group(name)
        return 5, "-"

    alphabet = ["I", "V", "X", "II", ".", ")", " ", "Điều", "1", "12", ".2", "a", "đ", "-", "+", "•", "*", "A", "b"]
    lines = [ln for t in SEEDS for ln in t.split("\n")] + _random_texts(alphabet, n=5000, longest=6, seed=7)
    seen = set()
    for line in lines:
        m = _HEADING.match(line)
        if m:
            assert _marker_level(m) == plain(m), line
            seen.add(_marker_level(m)[0])
    assert seen == {1, 2, 3, 4, 5}


def test_blocks_read_from_the_split_lines_are_those_of_the_line_index():
    from chitieu.pipeline.structure import _HEADING, Block, Document

    def plain(doc):  # Document.blocks as it was, over doc.lines()
        tables = sorted(enumerate(doc.tables), key=lambda it: it[1].start)
        opening = {sec.start: sec for sec in doc.sections}
        out, k = [], 0
        for s, e, line in doc.lines():
            while k < len(tables) and tables[k][1].end <= s:
                k += 1
            if k < len(tables) and tables[k][1].start < max(e, s + 1):
                i, t = tables[k]
                if not out or out[-1].table != i:
                    out.append(Block("table", t.start, t.end, table=i))
                continue
            if not line.strip():
                continue
            sec = opening.get(s)
            if sec is None:
                out.append(Block("paragraph", s, e))
            elif sec.level <= 3:
                out.append(Block("heading", s, e, level=sec.level, marker=sec.marker))
            else:
                out.append(Block("list_item", s, e, level=sec.level, marker=_HEADING.match(line).group(0).strip()))
        return out

    alphabet = ["| a | b |", "|---|---|", "I. A", "1. B", "a) c", "- d", " ", "\t", "\n", "\n\n", "x", "\u2003", "\x0c"]
    for t in SEEDS + _random_texts(alphabet, n=1500, longest=20, seed=9):
        doc = Document("t", 0, 0, len(t), t)
        assert doc.blocks == plain(Document("t", 0, 0, len(t), t)), t
