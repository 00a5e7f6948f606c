"""pipeline/numbers.py: the cheap scans find what the case-insensitive patterns find."""
import random

from chitieu.pipeline import numbers as N


def test_word_spans_are_the_pattern_matches():
    """A number word with no other after it is taken as its own match without the pattern: the spans
    are those of the pattern over the text, whatever the case, spacing and neighbours."""
    random.seed(11)
    pieces = N.number_words() + ["Hai", "MƯỜI", "Ba", "ban", "thai", "mươix", "xba", "bảyA", "1.250", "12,5", "/",
                                 " ", "  ", "\n", "\t", "-", ",", "ſ", "İ", "K", "²", "\x1c", "\u00a0", "năm"]
    for _ in range(3000):
        t = "".join(random.choice(pieces) + random.choice(["", " ", " ", ",", "\n"]) for _ in range(random.randint(1, 25)))
        assert list(N._word_spans(t)) == [m.span() for m in N._word_pattern().finditer(t)], t


def test_find_numbers_reads_words_and_digits():
    got = [(n.value, n.text) for n in N.find_numbers("Đạt 1.250 người, hai mươi lăm xã; năm 2025 và Ba trăm hộ")]
    assert got == [(1250, "1.250"), (25, "hai mươi lăm"), (2025, "2025"), (300, "Ba trăm")]


def test_lower_check_refuses_what_lower_case_would_move():
    check = N.LowerCheck("is")
    assert check("Một hai ba")
    assert not check("İstanbul")  # "İ".lower() is two characters: the offsets would move
    assert not N.LowerCheck("s")("ſố")  # "ſ" is an "s" for a case-insensitive pattern, not in lower case
