"""The document model (pipeline/structure.py): typed metadata, clauses and sentences."""
from __future__ import annotations

import pytest

from chitieu.pipeline.run import load_document
from chitieu.pipeline.store import DOCUMENT_COLUMNS
from chitieu.pipeline.structure import Document, DocumentMeta
from pathlib import Path

SEEDS = Path(__file__).resolve().parent.parent / "corpora" / "seeds"


# ---- DocumentMeta -----------------------------------------------------------------------------
def test_meta_fields_are_typed_attributes_and_unknown_names_are_refused():
    m = DocumentMeta()
    assert m.doc_number is None and m.repeats == []
    m.update({"doc_number": "12/KH-UBND"}, period_start=2023)
    assert (m.doc_number, m.period_start) == ("12/KH-UBND", 2023)
    with pytest.raises(KeyError, match="provine"):
        m.update(provine="Hà Nam")


def test_every_stored_meta_field_is_a_documents_column():
    assert set(DocumentMeta.STORED) <= set(DOCUMENT_COLUMNS)
    assert set(DocumentMeta.STORED) == set(DocumentMeta.__dataclass_fields__) - {"repeats"}
    assert "repeats" not in DocumentMeta().row()


def test_the_document_fields_fill_meta_by_attribute():
    doc = load_document(SEEDS / "004_7957dd705c424d21.txt")[0]
    assert (doc.meta.issuer, doc.meta.province, doc.meta.period_start) == ("UBND phường Kim Trà", "Huế", 2026)
    assert doc.meta.kind == "plan" and doc.meta.programme == "social_work_112"
    assert isinstance(doc.meta.implements, list)


# ---- sentences and clauses (rules and abbreviations: corpora/lexicons/text.yaml) ----------------
def _doc(text: str) -> Document:
    return Document("t.txt", 0, 0, len(text), text)


def _sentences(text: str) -> list[str]:
    d = _doc(text)
    return [d.text[a:b] for a, b in d.sentences]


def test_a_full_stop_before_a_capital_ends_a_sentence_and_a_decimal_dot_does_not():
    # tests/realworld/docs/bud_gialai_dtts.txt (a money figure "4.371,636" in a real budget report)
    text = ("Theo đó, kế hoạch này điều chỉnh nguồn vốn để thực hiện chương trình giai đoạn 2021-2025. Cụ thể, "
            "dự kiến khả năng huy động vốn giai đoạn 2021-2025 là 4.371,636 tỷ đồng (kế hoạch trước đây là "
            "5.912,965 tỷ đồng).")
    assert _sentences(text) == [
        "Theo đó, kế hoạch này điều chỉnh nguồn vốn để thực hiện chương trình giai đoạn 2021-2025.",
        "Cụ thể, dự kiến khả năng huy động vốn giai đoạn 2021-2025 là 4.371,636 tỷ đồng (kế hoạch trước đây "
        "là 5.912,965 tỷ đồng)."]


def test_an_abbreviation_in_the_list_ends_nothing_a_word_ending_like_one_does():
    # "NKT." (người khuyết tật) closes a sentence of tests/realworld/docs/rw_news_binhthuan_nkt.txt;
    # "KT." (ký thay) is an abbreviation of text.yaml: the whole word is compared, not its end
    text = ("Tư vấn, đào tạo nghề, giới thiệu việc làm theo khả năng của NKT. Tổ chức đào tạo nghề, tạo việc "
            "làm đối với NKT; thống kê số NKT.\nKT. CHỦ TỊCH\nPHÓ CHỦ TỊCH")
    assert _sentences(text) == ["Tư vấn, đào tạo nghề, giới thiệu việc làm theo khả năng của NKT.",
                                "Tổ chức đào tạo nghề, tạo việc làm đối với NKT; thống kê số NKT.",
                                "KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH"]


def test_city_abbreviations_and_etcetera_do_not_cut_a_sentence():
    text = ("Sở Y tế phối hợp với UBND TP. Hồ Chí Minh, Tp. Cần Thơ và các tổ chức (Hội LHPN, Đoàn Thanh niên "
            "v.v.) thực hiện. Báo cáo kết quả về UBND tỉnh.")
    assert _sentences(text) == [
        "Sở Y tế phối hợp với UBND TP. Hồ Chí Minh, Tp. Cần Thơ và các tổ chức (Hội LHPN, Đoàn Thanh niên v.v.) thực hiện.",
        "Báo cáo kết quả về UBND tỉnh."]
    assert _sentences("Các hoạt động văn hóa, thể thao v.v. và các hoạt động khác.") == \
        ["Các hoạt động văn hóa, thể thao v.v. và các hoạt động khác."]


def test_document_numbers_initials_and_list_markers():
    text = ("Căn cứ Quyết định số 112/2021/QĐ-TTg ngày 22/01/2021 của Thủ tướng Chính phủ. Căn cứ Nghị định số "
            "110/2024/NĐ-CP.\n1. Mục tiêu chung: đến năm 2025 đạt 90%.\nII. TỔ CHỨC THỰC HIỆN\n"
            "Người ký: Nguyễn V. An.\n- Đạt 70% số xã; 100% số huyện.")
    assert _sentences(text) == [
        "Căn cứ Quyết định số 112/2021/QĐ-TTg ngày 22/01/2021 của Thủ tướng Chính phủ.",
        "Căn cứ Nghị định số 110/2024/NĐ-CP.",
        "1. Mục tiêu chung: đến năm 2025 đạt 90%.",
        "II. TỔ CHỨC THỰC HIỆN",
        "Người ký: Nguyễn V. An.",
        "- Đạt 70% số xã; 100% số huyện."]


def test_a_mark_before_lower_case_continues_and_a_line_break_always_ends():
    assert _sentences("Đạt 90%. tỷ lệ còn lại đạt 95%\nsố xã đạt chuẩn") == \
        ["Đạt 90%. tỷ lệ còn lại đạt 95%", "số xã đạt chuẩn"]
    assert _sentences("Vì sao? Vì chưa đạt! Cần cố gắng… Được.") == ["Vì sao?", "Vì chưa đạt!", "Cần cố gắng…", "Được."]


def test_clauses_cut_sentences_after_semicolons_and_colons():
    text = "Cơ quan chủ trì: Sở Y tế; phối hợp: Sở Tư pháp. Thời gian: 10:30 ngày 5/6.\nNăm 2025"
    d = _doc(text)
    assert [text[a:b] for a, b in d.clauses()] == [
        "Cơ quan chủ trì:", "Sở Y tế;", "phối hợp:", "Sở Tư pháp.", "Thời gian:", "10:30 ngày 5/6.", "Năm 2025"]
    at = text.index("Tư pháp")
    assert text[slice(*d.clause_at(at))] == "Sở Tư pháp."
    assert text[slice(*d.sentence_at(at))] == "Cơ quan chủ trì: Sở Y tế; phối hợp: Sở Tư pháp."
    # a range cuts the spans it overlaps
    assert [text[a:b] for a, b in d.clauses(text.index("Y tế"), text.index("Sở Tư"))] == ["Y tế;", "phối hợp:"]
    assert [text[a:b] for a, b in d.sentences_in(text.index("Tư pháp"), len(text))] == \
        ["Tư pháp.", "Thời gian: 10:30 ngày 5/6.", "Năm 2025"]


def test_between_sentences_an_offset_falls_back_to_its_line():
    text = "Câu một.  Câu hai.\n\nDòng mới."
    d = _doc(text)
    assert d.sentence_at(text.index("  ") + 1) == (0, text.index("\n"))
    blank = text.index("\n") + 1
    assert d.sentence_at(blank) == (blank, blank)


def test_spans_are_trimmed_offsets_into_the_text():
    text = "  Câu một có 90%.   Câu hai; vẫn câu hai.  \n\n  Dòng mới.  "
    d = _doc(text)
    for spans in (d.sentences, d.clauses()):
        assert spans and all(text[a:b].strip() == text[a:b] != "" for a, b in spans)
        assert spans == sorted(spans) and all(b1 <= a2 for (_, b1), (a2, _) in zip(spans, spans[1:]))


@pytest.mark.parametrize("line", [
    "phấn đấu đạt 1.000,5 người TP. Huế v.v. và " * 20000,  # 860 KB, one line, no sentence end
    "đạt 1. giảm 2. " * 20000,  # number words that are not markers: each look back is bounded
    "x. " * 100000,
])
def test_cost_is_linear_on_a_long_line_without_ends(line):
    import time

    t = time.perf_counter()
    d = _doc(line)
    assert len(d.sentences) == 1
    assert time.perf_counter() - t < 3.0  # (a look back to the sentence start took 84 s for 600 KB)


def test_article_and_inline_list_markers_open_their_sentence():
    # tests/realworld/docs/agn_binhdinh_4881.txt ("Điều 1. Ban hành kèm theo Quyết định này …") and
    # tests/realworld/docs/rw_none_hoidap_tthc.txt (an answer numbering its steps inside one line)
    text = ("Điều 1. Ban hành kèm theo Quyết định này Chương trình hành động.\n"
            "Hồ sơ gửi đến Cục Hàng hải và Đường thủy Việt Nam. 2. Trong 05 ngày làm việc, Cục trả lời. "
            "Tỷ lệ giảm xuống còn 1. Năm sau.")
    assert _sentences(text) == ["Điều 1. Ban hành kèm theo Quyết định này Chương trình hành động.",
                                "Hồ sơ gửi đến Cục Hàng hải và Đường thủy Việt Nam.",
                                "2. Trong 05 ngày làm việc, Cục trả lời.",
                                "Tỷ lệ giảm xuống còn 1.", "Năm sau."]


def test_real_news_sentences_about_the_city():
    # http://dntm.vn/vn/dia-phuong/xay-dung-ke-hoach-phat-trien-mang-xanh-khong-gian-xanh-tren-dia-ban-tphcm-18314.phtml
    # and https://thongtinduan.com (a headline lead: "Tp.HCM" written without a space)
    text = ("Trong đó từng sở, ban, ngành phải xây dựng chỉ tiêu, tiêu chí thực hiện của ngành; đối với "
            "quận-huyện thì triển khai theo chỉ đạo của TP, xác định địa điểm thực hiện có trọng tâm.\n"
            "UBND Tp.HCM vừa ban hành kế hoạch triển khai các biện pháp xử lý các dự án, công trình tồn đọng, "
            "chậm tiến độ.")
    d = _doc(text)
    assert [text[a:b] for a, b in d.sentences] == text.split("\n")
    first = text.split("\n")[0]
    assert [text[a:b] for a, b in d.clauses(0, len(first))] == [
        "Trong đó từng sở, ban, ngành phải xây dựng chỉ tiêu, tiêu chí thực hiện của ngành;",
        "đối với quận-huyện thì triển khai theo chỉ đạo của TP, xác định địa điểm thực hiện có trọng tâm."]


def test_blocks_give_the_text_in_reading_order():
    text = ("KẾ HOẠCH\nI. MỤC TIÊU\n1. Mục tiêu cụ thể\n- Đạt 70% số cơ quan;\na) Giảm 5% hộ nghèo\n\n"
            "| Chỉ tiêu | Đơn vị tính | Năm 2025 |\n|---|---|---|\n| Tỷ lệ hộ nghèo | % | 3 |\n"
            "| Tỷ lệ trẻ em | % | 90 |\nHết.")
    doc = _doc(text)
    kinds = [(b.kind, b.level, b.marker) for b in doc.blocks]
    assert kinds == [("paragraph", None, None), ("heading", 1, "I"), ("heading", 2, "1"),
                     ("list_item", 5, "-"), ("list_item", 4, "a)"), ("table", None, None),
                     ("paragraph", None, None)]
    table = doc.blocks[5]
    assert table.table == 0 and text[table.start:table.end].startswith("Chỉ tiêu")
    assert all(text[b.start:b.end].strip() for b in doc.blocks)


def test_markdown_headings_of_a_converted_pdf_open_sections():
    # pl8a_daknong_vienthong: a PDF converted to markdown ("# MỤC TIÊU", "## Mục tiêu cụ thể đến 2025", "### …")
    text = ("# MỤC TIÊU\n\n## Mục tiêu cụ thể đến 2025\n\n### Nâng cao chất lượng mạng:\n\n* Phủ sóng 100% các tuyến "
            "đường quốc lộ.\n\n# TỔ CHỨC THỰC HIỆN\n\nSở chủ trì.\n")
    d = _doc(text)
    sec = d.section_at(text.index("Phủ sóng"))
    assert [(s.level, s.title) for s in d.ancestors(sec) if not s.is_bullet] == [
        (3, "Nâng cao chất lượng mạng:"), (2, "Mục tiêu cụ thể đến 2025"), (1, "MỤC TIÊU")]
    assert d.section_at(text.index("Sở chủ trì")).title == "TỔ CHỨC THỰC HIỆN"
    # "#5" or a hashtag inside a line is no heading
    assert _doc("#5 sự kiện nổi bật\nCác #hashtag của tỉnh.\n").sections == []
