"""Split files into documents; build the section tree and sentences."""
from pathlib import Path

from chitieu.pipeline.run import documents_from_text, load_document
from chitieu.pipeline.structure import Document

SEEDS = Path(__file__).resolve().parent.parent / "corpora" / "seeds"


def _plan(n: int, body_lines: int = 12) -> str:
    body = "\n".join(f"{i}. Nhiệm vụ {i} của kế hoạch {n} về công tác xã hội trên địa bàn." for i in range(1, body_lines))
    return (f"ỦY BAN NHÂN DÂN\nTỈNH BẮC NINH\nCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nSố: {n}/KH-UBND\n"
            f"Bắc Ninh, ngày 07 tháng 12 năm 2025\nKẾ HOẠCH\nThực hiện chương trình {n}\n{body}\n"
            "Nơi nhận:\n- Như trên;\nKT. CHỦ TỊCH\nPHÓ CHỦ TỊCH\nLê Xuân Lợi\n")


def test_seed_003_holds_three_documents():
    docs = load_document(SEEDS / "003_8a09083248992581.txt")
    assert [d.part for d in docs] == [0, 1, 2]
    assert [d.meta.doc_number for d in docs] == ["3068/SYT-NV", "1791/QĐ-TTg", "8994/KH-UBND"]
    assert docs[1].text.startswith("THỦ TƯỚNG CHÍNH PHỦ")
    assert docs[2].text.startswith("ỦY BAN NHÂN DÂN")
    # ranges are consecutive and do not overlap
    assert docs[0].char_end <= docs[1].char_start < docs[1].char_end <= docs[2].char_start


def test_other_seeds_hold_one_document_each():
    for name in ("000_801adf126bd69574", "001_4e92dafdfbb2aef4", "002_a56078c2bb1392fe", "004_7957dd705c424d21"):
        assert len(load_document(SEEDS / f"{name}.txt")) == 1, name


def test_file_with_two_documents():
    docs = documents_from_text("two.txt", _plan(11) + "\n" + _plan(22))
    assert len(docs) == 2
    assert "Số: 11/KH-UBND" in docs[0].text and "Số: 22/KH-UBND" not in docs[0].text
    assert docs[1].text.startswith("ỦY BAN NHÂN DÂN\nTỈNH BẮC NINH")
    assert docs[0].doc_id != docs[1].doc_id


def test_header_table_and_header_are_one_document():
    text = "| Số hiệu | 5/KH-UBND |\n| Ngày ban hành | 01/02/2024 |\n" + _plan(5)
    assert len(documents_from_text("x.txt", text)) == 1


def test_section_tree_labels():
    doc = load_document(SEEDS / "002_a56078c2bb1392fe.txt")[0]
    labels = {s.label: s.title for s in doc.sections if s.level < 5}
    assert labels["I"] == "MỤC TIÊU"
    assert labels["I.2"] == "Mục tiêu cụ thể"
    assert labels["I.2.a"] == "Từ 2021 đến năm 2025"
    assert labels["I.2.b"] == "Từ năm 2026 đến năm 2030"
    pos = doc.text.index("Đạt 90% số cơ quan")
    sec = doc.section_at(pos)
    assert sec.is_bullet and sec.label == "I.2.b"
    assert [s.label for s in doc.ancestors(sec)][1:] == ["I.2.b", "I.2", "I"]


def test_numbered_subsections_keep_their_numbers():
    doc = load_document(SEEDS / "000_801adf126bd69574.txt")[0]
    pos = doc.text.index("1.7. Sở Văn hóa")
    assert doc.section_at(pos).label == "1.7"
    pos = doc.text.index("bình quân 100 triệu đồng/năm")
    assert doc.section_at(pos).label == "1.2"


def test_sentences_are_offsets_into_text():
    doc = Document("x", 0, 0, 0, "Câu một có 90%. Câu hai; vẫn câu hai.\nDòng mới.")
    spans = doc.sentences
    assert [doc.text[a:b] for a, b in spans][0] == "Câu một có 90%."
    assert all(doc.text[a:b].strip() == doc.text[a:b] for a, b in spans)
    assert doc.text[spans[-1][0]:spans[-1][1]] == "Dòng mới."
