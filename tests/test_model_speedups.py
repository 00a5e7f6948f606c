"""The faster paths of the document model and the agencies layer find exactly what the plain
scans they replace found (issue 12: rows must not change)."""
import random
import unicodedata
import re
from pathlib import Path

import regex

from chitieu.extractors import agencies as A
from chitieu.pipeline import structure as S
from chitieu.pipeline.patterns import FirstWords, finditer_at

ROOT = Path(__file__).resolve().parent.parent
SEEDS = [p.read_text(encoding="utf-8") for p in sorted((ROOT / "corpora" / "seeds").glob("*.txt"))]


def _random_texts(alphabet, n=3000, longest=24, seed=7):
    rnd = random.Random(seed)
    return ["".join(rnd.choice(alphabet) for _ in range(rnd.randint(0, longest))) for _ in range(n)]


def test_the_space_class_is_what_str_isspace_accepts():
    ws = {chr(c) for c in range(0x110000) if chr(c).isspace()}
    assert {chr(c) for c in range(0x110000) if regex.fullmatch(f"[{S._ISSPACE}]", chr(c))} == ws


def test_sentence_marks_are_found_as_by_the_stdlib_scan():
    """``text_rules().marks`` (``regex``) gives the matches of the stdlib ``re`` pattern it replaced."""
    marks = S.text_rules().marks
    old = re.compile(marks.pattern.replace(f"(?=[{S._ISSPACE}]|$)", r"(?=\s|$)"))
    alphabet = ["a", " ", "\n", ".", "..", ";", ":", "!", "…", "?", "\x1c", "\x85", "\u2028", "\u200b", "\xa0", "\r"]
    for t in SEEDS + _random_texts(alphabet):
        assert [(m.span(), m.lastgroup) for m in marks.finditer(t)] == [(m.span(), m.lastgroup) for m in old.finditer(t)]


def _reference_text_units(text):
    """The one-pass reading of sentences and clauses as it was written before (a span trimmed
    by ``_trimmed`` for each clause and each sentence)."""
    R = S.text_rules()
    sentences, clauses = [], []
    sent_from = clause_from = line_start = 0
    for m in R.marks.finditer(text):
        a, b = m.span()
        if m.group("s") is not None:
            if not S._ends_sentence(text, a, b, line_start, sent_from, R):
                continue
            is_sentence = True
        else:
            is_sentence = m.group("c") is None
        cut = b if text[a] != "\n" else a
        span = S._trimmed(text, clause_from, cut)
        if span:
            clauses.append(span)
        clause_from = cut
        if is_sentence:
            span = S._trimmed(text, sent_from, cut)
            if span:
                sentences.append(span)
            sent_from = cut
        if text[a] == "\n":
            line_start = b
    for spans, start in ((sentences, sent_from), (clauses, clause_from)):
        span = S._trimmed(text, start, len(text))
        if span:
            spans.append(span)
    return sentences, clauses


def test_sentences_and_clauses_are_those_of_the_plain_reading():
    alphabet = ["a", "B", " ", "\n", ".", "..", ";", ":", "!", "TP.", "1.", "Điều 2.", "\t", "v.v.", "A.", "x", "  "]
    for t in SEEDS + _random_texts(alphabet, 5000, 30):
        assert S.text_units(t) == _reference_text_units(t), t


def test_sections_are_the_headings_of_each_line():
    text = "I. MỤC TIÊU\n1. Chung\nvăn bản\n1.2. Cụ thể\na) Đạt\n- gạch\nII.\nĐiều 3. Giao"
    doc = S.Document("x", 0, 0, len(text), text)
    expected = [(s, S._HEADING.match(line)) for s, _, line in doc.lines()]
    assert [sec.start for sec in doc.sections] == [s for s, m in expected if m]
    assert [sec.label for sec in doc.sections] == ["I", "I.1", "I.1.2", "I.1.2.a", "I.1.2.a", "I.3"]  # "II." with nothing after is no heading


def test_one_pass_word_starts_give_the_matches_of_finditer():
    """The role patterns tried where the Aho-Corasick pass finds a first word of their phrases
    match what their whole-text ``finditer`` matched, on the seeds and on shuffled word soup."""
    R = A.roles()
    words = ["phối hợp", "với", "giao", "cho", "được", "bàn giao", "đề nghị", "yêu cầu", "chủ trì", "Sở", "các",
             "thường trực", ",", ";", " ", "\n", "phốihợp", "xgiao"]
    texts = [A.shadow(t) for t in SEEDS] + [A.shadow(t) for t in _random_texts(words, 2000, 30)]
    groups = {"partner": R.partner_word, "assign": R.assign_word, "duty": R.assign.word, "cue": R.cue}
    for folded in texts:
        starts = R.first_words.starts(folded)
        for name, pattern in groups.items():
            for lo, hi in ((0, len(folded)), (len(folded) // 3, 2 * len(folded) // 3)):
                assert [m.span() for m in finditer_at(pattern, folded, starts[name], lo, hi)] == \
                       [m.span() for m in pattern.finditer(folded, lo, hi)], name


def test_label_lines_are_found_at_line_starts_as_by_the_multiline_scan():
    R = A.roles()
    for t in SEEDS + ["Cơ quan chủ trì:\n- Sở Y tế;\n  Đơn vị phối hợp\nphối hợp thực hiện:"]:
        folded = A.shadow(t)
        doc = S.Document("x", 0, 0, len(t), t)
        assert [m.span() for m in finditer_at(R.label_line, folded, doc.line_starts)] == \
               [m.span() for m in R.label_line.finditer(folded)]


def test_first_words_reject_an_empty_word():
    try:
        FirstWords({"x": ["giao", ""]})
    except ValueError as e:
        assert "empty" in str(e)
    else:
        raise AssertionError("an empty first word would make every offset a start")


def test_shadow_folds_old_tones_and_dashes_as_the_alternation_did():
    old = regex.compile(r"(?<!q)(" + "|".join(A.OLD_TONES) + r")(?!\w)")
    dash = regex.compile("[‐‑‒–—―−]")
    alphabet = ["o", "u", "q", "h", "á", "à", "ỷ", "ý", "ẹ", " ", "–", "—", "−", "-", "A", "\u0301"]
    for t in SEEDS + _random_texts(alphabet):
        low = unicodedata.normalize("NFC", t).lower()  # shadow's first steps (same length here)
        assert A.shadow(t) == dash.sub("-", old.sub(lambda m: A.OLD_TONES[m.group(1)], low)), t


def test_shape_names_are_found_as_by_matching_at_every_head():
    g = A.gazetteer()

    def every_head(text):
        pos, out = 0, []
        h = g.shape_hint.search(text)
        while h is not None:
            if h.start() >= pos and (m := g.shape.match(text, h.start())):
                out.append(m.span())
                pos = m.end()
            h = g.shape_hint.search(text, h.start() + 1)
        return out

    extra = ["Báo Đắk Nông phối hợp; Hội nghị tỉnh; Ban  Chỉ đạo huyện, Báo cáo; Trung tâm\tY tế huyện và Đài Phát thanh"]
    for t in SEEDS + extra:
        assert [m.span() for m in A._shape_matches(g, t)] == every_head(t)


def test_group_starts_are_those_of_the_look_ahead_scan():
    """``_generic_starts`` (a pass over the group nouns) gives the offsets of ``generic_hint``."""
    g = A.gazetteer()
    words = ["các", "những", "tất cả các", "thủ trưởng", "sở", "ngành", "cơ sở", "cấp", "hội", "và", "cùng", ",", "/",
             ":", " ", "  ", "\n", "\x1c", "xã", "báo cáo", "cácsở", "ban ngành"]
    for folded in [A.shadow(t) for t in SEEDS] + _random_texts(words, 4000, 20):
        hint = sorted({h.start() if h.start("n") < 0 else h.start("n") for h in g.generic_hint.finditer(folded)})
        assert A._generic_starts(g, folded) == hint, folded
