"""documents.kind: what a document is, from its text (never its file name), with its evidence."""
from __future__ import annotations

from pathlib import Path

import pytest

from chitieu.extractors import kind
from chitieu.pipeline.run import load_document

REALWORLD = Path(__file__).parent / "realworld" / "docs"


@pytest.mark.parametrize("text,expected", [
    ("KẾ HOẠCH\nThực hiện chương trình phát triển công tác xã hội năm 2026\n", "plan"),
    ("QUYẾT ĐỊNH\nVề việc ban hành Kế hoạch thực hiện Chiến lược quốc gia\n", "plan"),
    ("QUYẾT ĐỊNH\nVề việc thành lập Ban Chỉ đạo\n", "decision"),
    ("BÁO CÁO\nKết quả thực hiện năm 2024\n", "report"),
    ("NGHỊ ĐỊNH\nQuy định xử phạt vi phạm hành chính\n", "legal"),
    ("Hỏi: Thời hạn giải quyết là bao lâu?\nTrả lời: Không quá 30 ngày làm việc.\nHỏi: Ai giải quyết?\n", "qa"),
    ("Một đoạn văn không có dấu hiệu nào.", "other"),
])
def test_kind_of_a_text(text, expected):
    assert kind.classify(text)[0] == expected


def test_the_evidence_names_the_cue_and_its_offset():
    text = "Trang tin\nKẾ HOẠCH\nPhát triển nghề công tác xã hội\n"
    k, cue = kind.classify(text)
    assert k == "plan" and cue.endswith(f"@{text.index('KẾ HOẠCH')}") and "KẾ HOẠCH" in cue


@pytest.mark.parametrize("stem,expected", [
    ("tgt_phap_mucphat", "legal"), ("tgt_laocai_thuctrang", "plan"), ("tgt_nhandan_tuvongme", "news"),
    ("tgt_cand_tuvong", "news"), ("tgt_yenbai_danso", "news"),
])
def test_kind_of_real_texts(stem, expected):
    assert load_document(REALWORLD / f"{stem}.txt")[0].meta.kind == expected


def test_the_file_name_does_not_decide(tmp_path):
    p = tmp_path / "ke_hoach_nghi_dinh.txt"
    p.write_text("Hỏi: Thời hạn giải quyết?\nTrả lời: 10 ngày.\n", encoding="utf-8")
    assert load_document(p)[0].meta.kind == "qa"


def test_prose_that_starts_with_a_type_word_is_no_type_line():
    text = "Tin tức\nChương trình phòng, chống tai nạn, thương tích trẻ em giai đoạn 2016 - 2020 vừa được phê duyệt.\n"
    assert kind.classify(text)[0] != "plan"
