"""pipeline/clean.py around tables: the cells of a flattened table and the rows of a pipe table are
never joined to the line above them as if a sentence went on."""
from __future__ import annotations

from chitieu.pipeline.clean import clean


def test_a_lower_case_unit_cell_stays_a_cell_with_or_without_blank_lines():
    lines = "Chỉ tiêu\nĐơn vị tính\nNăm 2026\nSố cộng tác viên được tập huấn\nngười\n120\n"
    blocks = lines.replace("\n", "\n\n")
    assert clean(lines).split("\n")[3:6] == ["Số cộng tác viên được tập huấn", "người", "120"]
    assert clean(blocks).split("\n\n")[3:6] == ["Số cộng tác viên được tập huấn", "người", "120"]


def test_a_unit_cell_after_its_figure_when_the_unit_column_comes_last():
    text = "STT\n\nChỉ tiêu\n\nNăm 2030\n\nĐơn vị tính\n\n1\n\nSố xã đạt chuẩn\n\n70\n\nxã\n"
    assert clean(text).split("\n\n")[-2:] == ["70", "xã"]


def test_a_caption_line_is_not_joined_to_the_header_row_of_a_pipe_table():
    text = "IV. KINH PHÍ\n| STT | Hoạt động | Kinh phí |\n| 1 | Tập huấn | 300 |\n\nV. TỔ CHỨC THỰC HIỆN\n"
    assert clean(text).split("\n")[:2] == ["IV. KINH PHÍ", "| STT | Hoạt động | Kinh phí |"]


def test_a_sentence_cut_by_a_page_break_is_still_joined():
    text = "Phấn đấu đến năm 2030 tỷ lệ hộ nghèo\ngiảm xuống dưới 2% theo chuẩn mới.\n"
    assert clean(text) == "Phấn đấu đến năm 2030 tỷ lệ hộ nghèo giảm xuống dưới 2% theo chuẩn mới."
