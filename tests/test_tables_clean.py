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


# ---- tables flattened with a "|" line before each cell (thuvienphapluat pages, issue 10) ----------
def _bars(rows: list[list[str]]) -> str:
    out = []
    for r in rows:
        for c in r:
            out.append("|")
            if c:
                out.append(c)
        out.append("|")
    return "\n".join(out)


def test_a_bar_flattened_table_becomes_pipe_rows_with_its_empty_cells():
    text = "Đơn vị: Nghìn USD\n\n" + _bars([
        ["**TT**", "**Sản phẩm**", "Năm 2026", "Năm 2027"],
        ["**Tổng I + II**", "", "**240.000**", "", "**270.000**"],
        ["1", "Xoài", "13.500", "7.000"],
    ]) + "\n\nĐiều 2. Tổ chức thực hiện."
    lines = clean(text).split("\n")
    assert "| TT | Sản phẩm | Năm 2026 | Năm 2027 |" in lines
    assert "| Tổng I + II | | 240.000 | | 270.000 |" in lines
    assert "| 1 | Xoài | 13.500 | 7.000 |" in lines


def test_a_lower_case_row_number_and_italic_cells_are_never_glued_or_starred():
    text = _bars([
        ["TT", "Chỉ tiêu", "Thành tiền *(đồng)*"],
        ["1.1.1", "**Mẫu nước nguồn cấp**", "**356.104.944**"],
        ["a", "Các chỉ tiêu thủy lý,\nthủy hóa", "257.625.360"],
        ["*-*", "*pH (Quan trắc ngoài hiện trường)*", "*10.498.788*"],
    ])
    lines = clean(text).split("\n")
    assert lines == ["| TT | Chỉ tiêu | Thành tiền (đồng) |", "| 1.1.1 | Mẫu nước nguồn cấp | 356.104.944 |",
                     "| a | Các chỉ tiêu thủy lý, thủy hóa | 257.625.360 |",
                     "| - | pH (Quan trắc ngoài hiện trường) | 10.498.788 |"]


def test_group_rows_of_one_cell_and_sub_rows_start_rows_of_their_own():
    text = _bars([
        ["STT", "Tên nhiệm vụ", "Cơ quan chủ trì"],
        ["I. NÂNG CAO NHẬN THỨC"],
        ["1", "Tuyên truyền", "Sở Nội vụ"],
        ["II. HẠ TẦNG SỐ"],
        ["Trong đó: hạ tầng 5G", "", "Sở Khoa học và Công nghệ"],
    ])
    assert clean(text).split("\n") == ["| STT | Tên nhiệm vụ | Cơ quan chủ trì |", "| I. NÂNG CAO NHẬN THỨC | |",
                                       "| 1 | Tuyên truyền | Sở Nội vụ |", "| II. HẠ TẦNG SỐ | |",
                                       "| Trong đó: hạ tầng 5G | | Sở Khoa học và Công nghệ |"]


def test_the_header_and_signature_blocks_of_a_page_are_left_as_they_are():
    text = _bars([["**ỦY BAN NHÂN DÂN\nTỈNH SƠN LA**", "**CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM**"],
                  ["Số: 2954/QĐ-UBND", "Sơn La, ngày 20 tháng 11 năm 2025"]])
    out = clean(text)
    assert "ỦY BAN NHÂN DÂN" in out and "Số: 2954/QĐ-UBND" in out and "| Số: 2954" not in out


def test_pipe_rows_wrapped_over_lines_are_joined_and_sub_rows_are_not():
    text = ("STT | Tên gói thầu | Giá gói thầu (đồng) | Thời gian bắt đầu tổ\nchức lựa chọn | Loại hợp đồng\n"
            "1 | Xây lắp bổ sung | 2.000.000.000 | Quý\nIV/2024 | Trọn gói\n"
            "Chi phí xây dựng | 1.900.000.000 | Không\nChi phí dự phòng | 100.000.000 | Không\n"
            "2 | Thiết bị | 5.000.000 | Quý IV/2024 | Trọn gói\n")
    lines = clean(text).split("\n")
    assert lines[1] == "1 | Xây lắp bổ sung | 2.000.000.000 | Quý IV/2024 | Trọn gói"
    assert "Chi phí xây dựng | 1.900.000.000 | Không" in lines and "Chi phí dự phòng | 100.000.000 | Không" in lines


def test_cells_of_a_block_flattened_table_are_not_glued_across_their_blank_line():
    text = "Stt\n\nChỉ tiêu chủ yếu\n\nƯớc TH năm 2021\n\n1\n\nTốc độ tăng trưởng (GRDP)\n\ntăng 7,4 - 8,4%\n\n4\n\nnhập khẩu (triệu USD)\n\n575\n"
    assert clean(text).split("\n\n")[4:9] == ["Tốc độ tăng trưởng (GRDP)", "tăng 7,4 - 8,4%", "4", "nhập khẩu (triệu USD)", "575"]
