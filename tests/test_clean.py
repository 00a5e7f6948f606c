"""Normalize and clean: one spelling, no furniture, each repeated block once."""
from pathlib import Path

from chitieu.pipeline.clean import clean
from chitieu.pipeline.normalize import fold, normalize

SEEDS = Path(__file__).resolve().parent.parent / "corpora" / "seeds"


def test_tone_marks_follow_underthesea():
    assert normalize("Văn hoá, thuỷ lợi, hoà bình, khoẻ") == "Văn hóa, thủy lợi, hòa bình, khỏe"


def test_nfc_spaces_dashes():
    decomposed = "Vie\u0302\u0323t Nam"  # NFD
    assert normalize(decomposed) == "Việt Nam"
    assert normalize("Lao động\u00a0–\u00a0Thương binh — Xã hội") == "Lao động - Thương binh - Xã hội"
    assert normalize("a  \t b   \r\n\r\n\r\n\r\nc  ") == "a b\n\nc"


def test_normalize_keeps_punctuation_spacing():
    # underthesea's text_normalize would write "Sở Y tế , phường" — we must not
    assert normalize("Sở Y tế, phường (Huế).") == "Sở Y tế, phường (Huế)."


def test_fold():
    assert fold("Đắk Nông") == "dak nong"


def test_web_furniture_and_pipes_removed_table_rows_kept():
    text = normalize("| Số hiệu | 157/KH-UBND |\n|\nỦY BAN NHÂN DÂN |\nNội dung kế hoạch.\nĐăng xuất\nViệc làm Hồ Chí Minh")
    out = clean(text)
    assert "| Số hiệu | 157/KH-UBND |" in out
    assert "ỦY BAN NHÂN DÂN" in out and "ỦY BAN NHÂN DÂN |" not in out
    assert "Đăng xuất" not in out and "Việc làm" not in out


def test_repeated_block_kept_once_short_repeats_kept():
    block = "\n".join(f"{i}. Nhiệm vụ số {i} về phát triển công tác xã hội trên địa bàn tỉnh, bảo đảm chất lượng." for i in range(1, 8))
    short = "- Cơ quan chủ trì: Sở Y tế"
    text = f"Mở đầu\n{short}\n{block}\nGiữa\n{block}\nKhác\n{short}\nKết thúc"
    out = clean(normalize(text))
    assert out.count("Nhiệm vụ số 3") == 1
    assert out.count(short) == 2  # a short legitimate repeat stays
    assert out.endswith("Kết thúc")


def test_seed_000_body_once():
    out = clean(normalize((SEEDS / "000_801adf126bd69574.txt").read_text(encoding="utf-8")))
    assert out.count("bình quân 100 triệu đồng/năm") == 1
    assert out.count("Mục tiêu cụ thể") == 1
    assert "Đăng xuất" not in out
    assert "1.7. Sở Văn hóa Thể thao và Du lịch" in out


def test_broken_lines_rejoined():
    text = "- Mục tiêu 4: Bảo đảm 100% trẻ em là nạn nhâ\n\nđược trợ giúp xã hội.\n\na) Mục khác"
    out = clean(normalize(text))
    assert "nạn nhâ được trợ giúp xã hội." in out
    assert "\na) Mục khác" in out


def test_hard_wrapped_paragraphs_rejoined():
    text = ("**I. MỤC\nĐÍCH, YÊU CẦU**\n\n- Cơ quan thực hiện: Sở Nội\nvụ chủ trì\n\n"
            "Căn cứ Quyết định số\n112/QĐ-TTg ngày 22/01/2021 giai đoạn 2021\n- 2030;\n\n"
            "- Một\n- Hai\n\nĐoạn ba dòng\nthứ hai\nthứ ba.\n\n") * 2 + "Hết."
    out = clean(normalize(text))
    assert "I. MỤC ĐÍCH, YÊU CẦU" in out
    assert "Sở Nội vụ chủ trì" in out
    assert "Quyết định số 112/QĐ-TTg" in out
    assert "giai đoạn 2021 - 2030;" in out
    assert "- Một\n- Hai" in out


def test_related_documents_list_of_a_legal_site_removed():
    text = ("Hệ thống pháp luật\nĐang tải nội dung, vui lòng chờ giây lát...\n"
            "- 1 Nghị quyết 12/NQ-CP năm 2020 về một chiến lược giai đoạn 2021-2030\n"
            "- 2Luật Ngân sách nhà nước 2015\n- 3 Quyết định 5/QĐ-UBND năm 2019 kế hoạch của tỉnh Hà Nam\n"
            "ỦY BAN NHÂN DÂN\nSố: 1/KH-UBND\n- 1 cán bộ phụ trách mỗi xã;\n")
    out = clean(normalize(text))
    assert out.startswith("ỦY BAN NHÂN DÂN")
    assert "- 1 cán bộ phụ trách mỗi xã;" in out



def test_number_cut_from_its_line_is_rejoined():
    text = ("ỦY BAN NHÂN DÂN\nTỈNH HÀ NAM\nSố: 1/KH-UBND\nHà Nam, ngày\n05 tháng 02 năm 2021\nKẾ HOẠCH\n"
            "Thực hiện Quyết định số\n1579/QĐ-TTg ngày 13/10/2020;\n1. Nội dung\n2. Nội dung khác")
    out = clean(normalize(text))
    assert "Hà Nam, ngày 05 tháng 02 năm 2021" in out
    assert "Quyết định số 1579/QĐ-TTg" in out
    assert "\n1. Nội dung\n2. Nội dung khác" in out


def test_escaped_line_breaks_become_lines():
    text = r"Số: 5/KH-UBND \r\n Hà Nam, ngày 2 tháng 3 năm 2022 \r\n\r\n1. Mục tiêu cụ thể\r\n- Đến năm 2025: dưới 20%\r\n- Đến năm 2030: dưới 15%\r\n"
    out = clean(normalize(text))
    assert "\\r" not in out and "\\n" not in out
    assert "\n- Đến năm 2025: dưới 20%\n- Đến năm 2030: dưới 15%" in out
    # a single "\n" written in a text is left alone
    assert clean(normalize(r"Dùng ký tự \n trong mã.")) == r"Dùng ký tự \n trong mã."


def test_a_one_word_cell_is_not_joined_to_the_row_number_after_it():
    # a flattened table: "Đạt" (an assessment cell) then the next row's number; a sentence cut before
    # its number ("… tỷ lệ bao phủ đạt\n95%") is still re-joined
    from chitieu.pipeline.clean import clean

    assert "Đạt\n\n3\n" in clean("Ước TH\n\n7,18\n\nĐạt\n\n3\n\nGiá trị xuất khẩu\n")
    assert "bao phủ đạt 95%" in clean("Năm 2025 tỷ lệ bao phủ đạt\n95% dân số.\n")
