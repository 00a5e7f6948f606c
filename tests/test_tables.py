"""The table model (pipeline/tables.py) and the rows the extractors read from tables.

Each layout in tests/data/tables/ comes in several forms of the same table: pipe rows (``.pipe.txt``),
one cell per line (``.lines.txt``), one cell per block with blank lines between (``.blocks.txt``) and
the thuvienphapluat flattening, a line holding only ``|`` before each cell (``.bars.txt``, read after
``clean``, which rebuilds it into pipe rows with its empty cells); ``<layout>.json`` holds the plan
period, the extractor and the expected rows (``expected_flat`` when flattening loses empty cells).
The layouts added for the held-out real plans (issue 10) come in their pipe and flattened forms.
"""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from chitieu.extractors import agencies, budgets, targets
from chitieu.pipeline.clean import clean
from chitieu.pipeline.structure import Document
from chitieu.pipeline.tables import classify

DATA = Path(__file__).parent / "data" / "tables"
LAYOUTS = sorted(p.stem for p in DATA.glob("*.json"))
FORMS = ["pipe", "lines", "blocks"]
# (layout, form) for every form a layout is written in; "bars" is read only after clean
# ("after_clean": true in its json: a layout only clean makes readable, pipe rows wrapped over lines)
RAW_FORMS = [(lay, f) for lay in LAYOUTS for f in FORMS if (DATA / f"{lay}.{f}.txt").exists()
             and not json.loads((DATA / f"{lay}.json").read_text(encoding="utf-8")).get("after_clean")]
CLEAN_FORMS = [(lay, f) for lay in LAYOUTS for f in FORMS + ["bars"] if (DATA / f"{lay}.{f}.txt").exists()]


def make_doc(text: str, period) -> Document:
    d = Document("test.txt", 0, 0, len(text), text)
    d.meta.update(period_start=period[0], period_end=period[1], programme=None)
    return d


def rows_of(extractor: str, doc: Document) -> list:
    if extractor == "targets":
        got = list(targets.extract(doc))
        key = [[r.indicator_text, r.value, r.unit, r.comparator, r.period_start, r.period_end, r.table_row, r.table_col]
               for r in got]
    elif extractor == "budgets":
        got = list(budgets.extract(doc))
        key = [[r.amount_vnd, r.per, r.funding_source, r.activity, r.is_total] for r in got]
    else:
        got = list(agencies.extract(doc))
        key = [[r.name, r.role, r.task] for r in got]
    for r in got:
        assert doc.text[r.char_start:r.char_end] == r.quote
    return key


@pytest.mark.parametrize("layout,form", RAW_FORMS)
def test_layout(layout: str, form: str):
    spec = json.loads((DATA / f"{layout}.json").read_text(encoding="utf-8"))
    text = (DATA / f"{layout}.{form}.txt").read_text(encoding="utf-8")
    doc = make_doc(text, spec["period"])
    assert len(doc.tables) == 1, [(t.kind, t.start) for t in doc.tables]
    expected = spec.get("expected_flat", spec["expected"]) if form != "pipe" else spec["expected"]
    got = rows_of(spec["extractor"], doc)
    key = (lambda r: str(r)) if spec["extractor"] == "agencies" else None
    assert sorted(got, key=key or str) == sorted(expected, key=key or str)


@pytest.mark.parametrize("layout,form", CLEAN_FORMS)
def test_layout_after_clean(layout: str, form: str):
    """The same rows when the text goes the way of every file (``pipeline.clean``): a lower-case unit
    cell ("người", "xã", "triệu đồng") stays a cell of its own, never joined to the label above it."""
    spec = json.loads((DATA / f"{layout}.json").read_text(encoding="utf-8"))
    doc = make_doc(clean((DATA / f"{layout}.{form}.txt").read_text(encoding="utf-8")), spec["period"])
    expected = spec.get("expected_flat", spec["expected"]) if form not in ("pipe", "bars") else spec["expected"]
    key = (lambda r: str(r)) if spec["extractor"] == "agencies" else None
    assert sorted(rows_of(spec["extractor"], doc), key=key or str) == sorted(expected, key=key or str)


def test_every_cell_is_a_span_of_the_text():
    for path in DATA.glob("*.txt"):
        doc = make_doc(path.read_text(encoding="utf-8"), (2026, 2030))
        for t in doc.tables:
            for row in t.header_rows + [r.cells for r in t.rows]:
                for c in row:
                    assert doc.text[c.start:c.end] == c.text


@pytest.mark.parametrize("header, role, year, phase", [
    ("STT", "number", None, None),
    ("Nội dung chỉ tiêu", "label", None, None),
    ("Đơn vị tính", "unit", None, None),
    ("ĐVT", "unit", None, None),
    ("Năm 2026", "year", 2026, None),
    ("2030", "year", 2030, None),
    ("Đến năm 2030", "year", 2030, None),
    ("Mục tiêu đến năm 2025 Target to 2025", "year", 2025, None),
    ("Giai đoạn 2021 - 2025", "phase", None, (2021, 2025)),
    ("Thực hiện 2025", "baseline", None, None),
    ("ƯTH 2025", "baseline", None, None),
    ("Ước thực hiện năm 2025", "baseline", None, None),
    ("Kế hoạch năm 2026", "year", 2026, None),
    ("Kinh phí (triệu đồng)", "money", None, None),
    ("Tổng", "total", None, None),
    ("Cơ quan chủ trì", "lead", None, None),
    ("Đơn vị chủ trì", "lead", None, None),
    ("Cơ quan phối hợp", "coordinate", None, None),
    ("Cơ quan, đơn vị chủ trì", "lead", None, None),
    ("Cơ quan, đơn vị phối hợp", "coordinate", None, None),
    ("Thời gian hoàn thành", "deadline", None, None),
    ("Nguồn kinh phí", "source", None, None),
    ("Ghi chú", "notes", None, None),
    ("Đơn giá (đồng)", "rate", None, None),
    ("Thành tiền (đồng)", "money", None, None),
    ("Giá gói thầu (đồng)", "money", None, None),
])
def test_column_roles(header, role, year, phase):
    c = classify(header)
    assert (c.role, c.year, c.phase) == (role, year, phase)


def test_merged_header_cells_are_spread_and_the_unit_comes_from_the_header():
    text = ("KINH PHÍ\n| STT | Nội dung | Kinh phí (triệu đồng) | | |\n| | | Năm 2026 | Năm 2027 | Tổng |\n"
            "| 1 | Tập huấn | 10 | 20 | 30 |\n")
    doc = make_doc(text, (2026, 2027))
    (t,) = doc.tables
    assert [c.header for c in t.columns] == ["STT", "Nội dung", "Kinh phí (triệu đồng) Năm 2026",
                                           "Kinh phí (triệu đồng) Năm 2027", "Kinh phí (triệu đồng) Tổng"]
    assert [c.role for c in t.columns] == ["number", "label", "year", "year", "total"]
    assert t.columns[2].money_unit == (1_000_000, "triệu đồng")
    assert len(t.header_rows) == 2 and len(t.rows) == 1


def test_a_flattened_unnumbered_sub_row_is_read_without_its_number_cell():
    # (it was skipped before: "- Trong đó: có bằng cấp 30%" is a target of its own)
    text = ("STT\nChỉ tiêu\nĐơn vị tính\nNăm 2026\n1\nTỷ lệ lao động qua đào tạo\n%\n70\n"
            "- Trong đó: có bằng cấp\n%\n30\n2\nTỷ lệ hộ nghèo\n%\n2\n")
    doc = make_doc(text, (2026, 2026))
    (t,) = doc.tables
    assert [[c.text for c in r.cells] for r in t.rows] == [["1", "Tỷ lệ lao động qua đào tạo", "%", "70"],
                                                          ["", "- Trong đó: có bằng cấp", "%", "30"],
                                                          ["2", "Tỷ lệ hộ nghèo", "%", "2"]]


def test_a_flattened_sub_row_one_cell_short_is_skipped_never_read_shifted():
    # a sub-row that lost a cell in the middle (its unit) cannot be placed: a number where the unit
    # belongs is no row; a group row whose empty cells were lost is not read across the next row
    text = ("STT\nChỉ tiêu\nĐơn vị tính\nNăm 2026\nGhi chú\nI\nXã hội\n1\nTỷ lệ lao động qua đào tạo\n%\n70\nĐạt\n"
            "- Trong đó: có bằng cấp\n30\n2\nTỷ lệ hộ nghèo\n%\n2\nĐạt\n")
    doc = make_doc(text, (2026, 2026))
    (t,) = doc.tables
    assert [[c.text for c in r.cells] for r in t.rows] == [["1", "Tỷ lệ lao động qua đào tạo", "%", "70", "Đạt"],
                                                          ["2", "Tỷ lệ hộ nghèo", "%", "2", "Đạt"]]


def test_a_flattened_row_without_its_notes_cell_when_notes_come_last():
    text = ("TT\n\nChỉ tiêu\n\nĐơn vị\n\nKế hoạch năm 2019\n\nƯớc thực hiện năm 2019\n\nĐánh giá\n\n1.\n\n"
            "Tỷ lệ lao động qua đào tạo\n\n%\n\n60-62\n\n61\n\nĐạt\n\n- Trong đó: có văn bằng\n\n%\n\n24\n\n25\n\n"
            "1.\n\nTỷ lệ che phủ rừng\n\n%\n\n41,85\n\n41,85\n\nĐạt\n")
    doc = make_doc(text, (None, None))
    got = [(r.value, r.value_max, r.comparator, r.period_end, r.table_row) for r in targets.extract(doc)]
    assert got == [(60, 62, "at_least", 2019, 1), (24, None, "at_least", 2019, 2), (41.85, None, "at_least", 2019, 3)]


def test_a_row_restating_a_body_target_is_not_a_second_target():
    text = ("I. MỤC TIÊU\n- Đến năm 2030, tỷ lệ trạm y tế xã có bác sĩ đạt 90%.\n"
            "| STT | Chỉ tiêu | Đơn vị tính | Năm 2030 |\n| 1 | Tỷ lệ trạm y tế xã có bác sĩ | % | 90 |\n")
    got = list(targets.extract(make_doc(text, (2026, 2030))))
    assert [(r.value, r.table_row) for r in got] == [(90, None)]


def test_past_spending_and_budget_balance_tables_give_no_budget():
    past = ("Kết quả thực hiện kinh phí giai đoạn 2021-2025\nĐVT: triệu đồng\n| STT | Nội dung | Kinh phí |\n"
            "| 1 | Tập huấn | 150 |\n")
    balance = ("ĐVT: triệu đồng\n| STT | Chỉ tiêu | Dự toán |\n| 1 | Tổng thu ngân sách nhà nước | 12.725 |\n"
               "| 2 | Chi đầu tư phát triển | 1.504 |\n")
    results = ("I. KẾT QUẢ THỰC HIỆN NĂM 2025\n1. Đề tài nghiên cứu các cấp\n\nDanh sách đề tài\n"
               "| Cấp quản lý | Số đề tài | Kinh phí (triệu đồng) |\n| Cấp tỉnh | 3 | 900 |\n")
    for text in (past, balance, results):
        assert list(budgets.extract(make_doc(text, (2026, 2030)))) == []


def test_prose_without_tables_finds_none():
    doc = make_doc("Năm 2025, tỷ lệ hộ nghèo giảm còn 2%.\nNội dung\nTuyên truyền trên báo.\n", (2026, 2030))
    assert doc.tables == []


def test_source_rows_under_an_activity_make_it_a_subtotal():
    text = ("DỰ TOÁN KINH PHÍ\nĐVT: triệu đồng\n| STT | Nội dung | Kinh phí |\n| I | Truyền thông | 400 |\n"
            "| 1 | Tập huấn cán bộ | 300 |\n| | - Ngân sách tỉnh | 200 |\n| | - Xã hội hóa | 100 |\n"
            "| 2 | Hội nghị | 100 |\n")
    got = [(r.amount_vnd // 1_000_000, r.funding_source, r.activity, r.is_total)
           for r in budgets.extract(make_doc(text, (2026, 2026)))]
    assert got == [(400, None, "Truyền thông", True), (300, None, "Tập huấn cán bộ", True),
                   (200, "ngân sách tỉnh", "Tập huấn cán bộ", False), (100, "xã hội hóa", "Tập huấn cán bộ", False),
                   (100, None, "Hội nghị", False)]


def test_cue_words_and_changes_in_target_cells():
    text = ("| STT | Chỉ tiêu | Đơn vị tính | Năm 2026 | Năm 2027 |\n"
            "| 1 | Tỷ lệ hộ nghèo | % | Giảm 1,5 | Dưới 3 |\n| 2 | Tỷ lệ bao phủ bảo hiểm y tế | % | Tối thiểu 92 | 45-47 |\n")
    got = [(r.value, r.value_max, r.comparator, r.period_end) for r in targets.extract(make_doc(text, (2026, 2027)))]
    assert got == [(1.5, None, "decrease_by", 2026), (3, None, "less_than", 2027), (92, None, "at_least", 2026),
                   (45, 47, "at_least", 2027)]


def test_units_in_labels_permille_and_scaled_counts_and_decreases():
    text = ("| Stt | Chỉ tiêu chủ yếu | TH năm 2018 | KH năm 2019 | Ghi chú |\n"
            "| 1 | Tỷ lệ tăng dân số tự nhiên (‰) | 10,9 | 10,8 | Đạt |\n"
            "| 2 | Tạo việc làm mới (nghìn người) | 16,6 | 16 | Đạt |\n"
            "| 3 | Mức giảm tỷ suất sinh (‰) | 2 | 2 | Đạt |\n"
            "| 4 | Tỷ lệ hộ nghèo giảm xuống (%) | 5 | 4,3 | Đạt |\n")
    doc = make_doc(text, (2019, 2019))
    assert [c.role for c in doc.tables[0].columns] == ["number", "label", "baseline", "year", "notes"]
    got = [(r.value, r.unit, r.comparator, r.period_end) for r in targets.extract(doc)]
    assert got == [(10.8, "‰", "at_least", 2019), (16000, "người", "equal", 2019), (2, "‰", "decrease_by", 2019),
                   (4.3, "%", "at_most", 2019)]


def test_a_target_table_without_year_columns_takes_the_end_year_of_its_section_rows():
    head = "DANH MỤC CÁC CHỈ TIÊU\n| TT | Chỉ tiêu | Đơn vị | Kết quả | Cơ quan chủ trì |\n| --- | --- | --- | --- | --- |\n"
    text = head + ("| I | Đến năm 2030 | | | |\n| 1 | Tỉ lệ dịch vụ công trực tuyến | % | ≥ 80 | Văn phòng Chính phủ |\n"
                   "| 2 | Tỉ lệ hồ sơ điện tử | % | 90 | Văn phòng Chính phủ |\n"
                   "| II | Đến năm 2045 | | | |\n| 3 | Tỉ lệ dịch vụ công trực tuyến | % | 100 | Văn phòng Chính phủ |\n")
    got = rows_of("targets", make_doc(text, (2025, 2045)))
    assert sorted((r[1], r[3], r[5]) for r in got) == [(80.0, "at_least", 2030), (90.0, "at_least", 2030),
                                                       (100.0, "equal", 2045)]
    # the same column in a statistics table, with no section row stating an end year: no target
    stats = head + "| 1 | Tỉ lệ dịch vụ công trực tuyến | % | 80 | Văn phòng Chính phủ |\n" \
                   "| 2 | Tỉ lệ hồ sơ điện tử | % | 90 | Văn phòng Chính phủ |\n"
    assert rows_of("targets", make_doc(stats, (2025, 2045))) == []


def test_a_flattened_row_with_more_cells_than_columns_is_skipped_never_read_shifted():
    # "0,7%⏎⏎(còn 4,33%)" is one cell of two lines split by a blank line: row 2 holds two cells too many,
    # too few to be a sub-row before row 3, so it is skipped (it was read with "(còn 4,33%)" as the
    # estimate and "0,86%" as the note)
    text = ("Stt\n\nChỉ tiêu\n\nTH năm 2018\n\nKH năm 2019\n\nƯớc TH năm 2019\n\nGhi chú\n\n"
            "1\n\nTỷ lệ tăng dân số tự nhiên (‰)\n\n10,8\n\n10,8\n\n10,8\n\nĐạt\n\n"
            "2\n\nTỷ lệ hộ nghèo giảm (%)\n\n1,06\n\n0,7%\n\n(còn 4,33%)\n\n0,86%\n\n(còn 4,17%)\n\nĐạt\n\n"
            "3\n\nTỷ lệ người dân tham gia bảo hiểm y tế (%)\n\n95\n\n98,07\n\n98,5%\n\nĐạt\n")
    (t,) = make_doc(text, (2019, 2019)).tables
    assert [r.number for r in t.rows] == ["1", "3"]


def test_a_numbered_label_states_its_percentage():
    # "1. Tỷ lệ …" (a table without a number column: the number is part of the label) is a percentage
    text = ("Tên chỉ tiêu\n\nThực hiện 2020\n\nMục tiêu đến năm 2025\n\n"
            "1. Tỷ lệ dân số tham gia bảo hiểm y tế\n\n90,85\n\n95\n\n"
            "2. Tỉ lệ xã đạt chuẩn quốc gia về y tế\n\n91\n\n>95\n")
    got = [(r.value, r.unit, r.comparator, r.period_end) for r in targets.extract(make_doc(text, (None, None)))]
    assert got == [(95, "%", "at_least", 2025), (95, "%", "more_than", 2025)]


def test_a_table_target_carries_the_section_of_its_table_and_its_cell_reference():
    for form in FORMS:
        text = (DATA / f"targets_phases.{form}.txt").read_text(encoding="utf-8")
        got = {(r.section, r.table_row, r.table_col) for r in targets.extract(make_doc(text, (2021, 2030)))}
        assert {s for s, _, _ in got} == {make_doc(text, (2021, 2030)).tables[0].section} != {None}
        assert {(r, c) for _, r, c in got} == {(1, 5), (1, 6), (2, 5), (2, 6), (3, 5), (3, 6)}


# ---- the held-out real plans' layouts (issue 10) ----------------------------------------------------
def test_a_column_code_row_is_dropped_and_an_upper_cell_spans_the_pairs_below_it():
    text = ("DANH MỤC HÀNG HÓA THAM GIA XUẤT KHẨU\n"
            "| TT | Sản phẩm | Kế hoạch 2026 | Kế hoạch 2027 |\n"
            "| Lượng (Tấn) | Giá trị (Nghìn USD) | Lượng (Tấn) | Giá trị (Nghìn USD) | |\n"
            "| 1 | 2 | 3 | 4 | 5 | 6 | |\n"
            "| Tổng I + II | | 240.000 | | 270.000 |\n"
            "| 1 | Xoài | 13.500 | 7.000 | 14.800 | 7.800 |\n| 2 | Nhãn | 6.400 | 24.700 | 7.100 | 26.100 |\n")
    (t,) = make_doc(text, (2026, 2030)).tables
    assert [c.header for c in t.columns][2:4] == ["Kế hoạch 2026 Lượng (Tấn)", "Kế hoạch 2026 Giá trị (Nghìn USD)"]
    assert [c.year for c in t.columns] == [None, None, 2026, 2026, 2027, 2027]
    # the total row's label spans the number column; its figures stay under the value columns
    assert [c.text for c in t.rows[0].cells] == ["", "Tổng I + II", "", "240.000", "", "270.000"]
    assert [r.number for r in t.rows] == [None, "1", "2"]


def test_a_group_row_narrower_than_the_data_rows_keeps_its_amount_under_the_amount_column():
    text = ("| TT | Chỉ tiêu | Số mẫu | Đơn giá (đồng) | Thành tiền (đồng) | Ghi chú |\n"
            "| I | Quan trắc môi trường | 1.000.000 | |\n| - | pH | 10 | 100.000 | 1.000.000 | STT 11 |\n")
    (t,) = make_doc(text, (2026, 2030)).tables
    assert [c.text for c in t.rows[0].cells] == ["I", "Quan trắc môi trường", "", "", "1.000.000", ""]
    assert [c.role for c in t.columns][3:5] == ["rate", "money"]


def test_an_allowance_table_in_dong_gives_no_budget():
    # a decree's monthly allowance levels (tbl5_nd55_trocap): rates per person, never a plan's budget
    text = ("Đơn vị tính: đồng\n| STT | Tỷ lệ tổn thương cơ thể | Mức hưởng trợ cấp |\n"
            "| 1 | 21% | 1.455.000 |\n| 2 | 22% | 1.524.000 |\n")
    doc = make_doc(text, (2023, 2023))
    assert rows_of("budgets", doc) == [] and rows_of("targets", doc) == []


def test_an_estimate_column_stays_a_baseline_in_a_report_dated_within_its_year():
    text = ("CÁC CHỈ TIÊU ĐẠT ĐƯỢC TRONG NĂM 2019\n(Theo báo cáo số 330/BC-UBND ngày 06/12/2019)\n"
            "| Stt | Chỉ tiêu chủ yếu | Ước TH năm 2019 |\n| 1 | Tỷ lệ lao động qua đào tạo (%) | 67 |\n")
    doc = make_doc(text, (2019, 2019))
    (t,) = doc.tables
    assert t.columns[2].role == "baseline" and rows_of("targets", doc) == []


def test_two_headings_in_a_row_are_no_table():
    text = ("III.\n\nNHIỆM VỤ VÀ GIẢI PHÁP CHỦ YẾU\n\nIV. KINH PHÍ VÀ NGUỒN LỰC THỰC HIỆN\n\n"
            "1. Kinh phí thực hiện từ ngân sách nhà nước\n\n2. Kinh phí đóng góp của doanh nghiệp\n")
    assert make_doc(text, (2026, 2030)).tables == []
