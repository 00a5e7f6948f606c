"""The model's bounded sentences and clauses (``Document.sentence_bounds`` / ``clause_bounds``) and
its numbers (``pipeline/numbers.py``, ``Document.numbers``): what budgets, agencies and reporting
read instead of splitting text their own way."""
from __future__ import annotations

from chitieu.pipeline.numbers import find_numbers, parse_number
from chitieu.pipeline.structure import Document


def _doc(text: str) -> Document:
    return Document("t.txt", 0, 0, len(text), text)


def test_a_clause_that_only_semicolons_end_runs_over_a_colon():
    t = "Cơ quan chủ trì: Sở Y tế; phối hợp: Sở Tư pháp, Sở Nội vụ. Hết."
    d = _doc(t)
    at = t.index("Sở Tư pháp")
    assert t[slice(*d.clause_at(at))] == "Sở Tư pháp, Sở Nội vụ."
    assert t[slice(*d.clause_bounds(at, ends=";"))] == "phối hợp: Sở Tư pháp, Sở Nội vụ."
    assert t[slice(*d.clause_bounds(at, ends=";", mark=False))] == "phối hợp: Sở Tư pháp, Sở Nội vụ"
    # the clause opened at "Cơ quan": ";" ends it, ":" does not
    assert t[slice(*d.clause_bounds(0, ends=";", mark=False))] == "Cơ quan chủ trì: Sở Y tế"


def test_a_colon_at_the_line_end_is_kept_when_only_semicolons_end_clauses():
    t = "Sở Y tế chủ trì, phối hợp với các sở thực hiện mục đích sau:\n- Một là"
    d = _doc(t)
    assert t[slice(*d.clause_bounds(0, ends=";", mark=False))].endswith("mục đích sau:")


def test_caps_back_and_ahead_bound_the_look_and_cut_at_a_space():
    t = "Mở đầu. " + "chữ " * 200 + "ở đây; tiếp"
    d = _doc(t)
    at = t.index("ở đây")
    s, e = d.sentence_bounds(at, back=40)
    assert at - s == 40 and e == len(t)
    s, e = d.clause_bounds(t.index("chữ"), ends=";", ahead=30)
    assert e - t.index("chữ") <= 30 and t[e] == " "  # the cap falls on a space: no word is cut


def test_a_list_marker_opening_the_line_is_left_out_on_request():
    t = "1.2. Kinh phí thực hiện giai đoạn: Ngân sách bố trí 100 triệu đồng/năm."
    d = _doc(t)
    at = t.index("100")
    assert t[d.clause_bounds(at, ends=";")[0]:].startswith("1.2. Kinh phí")
    assert t[d.clause_bounds(at, ends=";", marker=False)[0]:].startswith("Kinh phí")


def test_numbers_are_found_once_with_offsets_and_words_come_from_data():
    t = "Năm 2025 đạt 1.250,5 triệu; hai mươi lăm xã, mười năm người; năm sau."
    d = _doc(t)
    got = [(n.value, t[n.start:n.end]) for n in d.numbers]
    assert got == [(2025, "2025"), (1250.5, "1.250,5"), (25, "hai mươi lăm"), (15, "mười năm")]
    assert d.numbers is d.numbers  # cached: one pass per document
    assert [n.text for n in find_numbers(t)] == [n.text for n in d.numbers]
    assert parse_number("một trăm linh năm") == 105 and parse_number("năm") == 5


def test_the_fast_word_scan_finds_what_the_pattern_finds():
    """The number-word scan of safe texts (a trie on the lower-cased text, hits inside words dropped
    without the pattern) finds the very matches of the case-insensitive pattern over the text."""
    import random

    from chitieu.pipeline import numbers as N

    random.seed(7)
    pieces = N.number_words() + ["Hai", "MƯỜI", "Ba", "ban", "thai", "mươix", "xba", "bảyA", "1.250", "12,5", "/",
                                 " ", " ", "\n", "-", ",", "ſ", "İ", "K", "Ⅻ", "²", "ǅ", "\x1c"]
    for _ in range(2000):
        t = "".join(random.choice(pieces) + random.choice(["", " ", " ", ","]) for _ in range(random.randint(1, 25)))
        assert list(N._word_spans(t)) == \
            [(m.start(), m.end()) for m in N._word_pattern().finditer(t)], t
