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
