"""Reporting duties: one row per frequency, due dates attached to their frequency, canonical recipients."""
from __future__ import annotations

from pathlib import Path

from chitieu.extractors import reporting
from chitieu.pipeline.run import load_document
from chitieu.pipeline.structure import Document

SEEDS = Path(__file__).resolve().parent.parent / "corpora" / "seeds"


def rows(text: str, **meta) -> list[tuple]:
    d = Document("test.txt", 0, 0, len(text), text)
    d.meta.update(meta or {"issuer": "UBND huyện An Lão", "admin_level": "district"})
    out = list(reporting.extract(d))
    for r in out:
        assert text[r.char_start:r.char_end] == r.quote
    return [(r.frequency, reporting.due_date(r.due) if r.due else None, r.recipient) for r in out]


def seed(prefix: str) -> list[tuple]:
    path = next(SEEDS.glob(f"{prefix}_*.txt"))
    return [(r.frequency, reporting.due_date(r.due) if r.due else None, r.recipient)
            for d in load_document(path) for r in reporting.extract(d)]


def test_seed_001_one_row_per_obligation():
    phong = "Phòng Lao động - Thương binh và Xã hội"
    assert seed("001") == [("6_months", "10/06", phong), ("annual", "10/12", phong), ("mid_term", None, phong),
                           ("end_of_period", None, phong), ("ad_hoc", None, phong)]


def test_seed_002_due_dates_and_problem_reports():
    so = "Sở Lao động - Thương binh và Xã hội"
    assert seed("002") == [("6_months", "15/06", so), ("annual", "15/12", so), ("ad_hoc", None, so)]


def test_seed_003_annual_due_before_its_frequency_and_dated_deadline_in_next_sentence():
    got = seed("003")
    assert ("annual", "01/12", "Sở Lao động - Thương binh và Xã hội") in got
    assert ("once", "2022-04-06", "Sở Y tế") in got  # "... về Sở Y tế ... Thời gian gửi trước ngày 06/4/2022"


def test_due_as_written():
    path = next(SEEDS.glob("003_*.txt"))
    dues = [r.due for d in load_document(path) for r in reporting.extract(d)]
    assert "trước ngày 01/12 hàng năm" in dues
    path = next(SEEDS.glob("001_*.txt"))
    assert [r.due for d in load_document(path) for r in reporting.extract(d)][:2] == [
        "trước ngày 10/6", "trước ngày 10/12"]
    assert reporting.due_date("trước ngày 16 tháng 12 năm 2025") == "2025-12-16"


def test_onward_report_is_not_a_second_duty():
    got = rows("Định kỳ 6 tháng, hằng năm các xã báo cáo kết quả về Phòng Y tế huyện để tổng hợp báo cáo "
               "Ủy ban nhân dân huyện.")
    assert got == [("6_months", None, "Phòng Y tế"), ("annual", None, "Phòng Y tế")]


def test_recipient_right_after_the_verb_and_several_recipients():
    got = rows("Tổng hợp kết quả thực hiện báo cáo UBND tỉnh và Bộ Lao động - Thương binh và Xã hội hàng năm.")
    assert got == [("annual", None, "UBND tỉnh; Bộ Lao động - Thương binh và Xã hội")]


def test_periodic_only_when_nothing_more_precise():
    assert rows("Định kỳ báo cáo kết quả thực hiện với UBND tỉnh theo quy định.") == [("periodic", None, "UBND tỉnh")]


def test_reports_received_and_report_nouns_are_no_duty():
    assert rows("Theo dõi, tổng hợp báo cáo từ các sở, ban, ngành và Ủy ban nhân dân các xã.") == []
    assert rows("Xây dựng báo cáo điều tra xã hội học cho người chưa thành niên.") == []


def test_plan_period_is_not_a_frequency():
    got = rows("Các xã báo cáo kết quả thực hiện Kế hoạch giai đoạn 2021-2025 về Phòng Nội vụ.")
    assert got == [(None, None, "Phòng Nội vụ")]


def test_dated_deadline_in_words():
    got = rows("Các sở gửi báo cáo về Sở Nội vụ trước ngày 16 tháng 12 năm 2025 để tổng hợp.",
               issuer="UBND Thành phố Hồ Chí Minh", admin_level="province")
    assert got == [("once", "2025-12-16", "Sở Nội vụ")]


def test_bare_nam_before_a_due_date_is_annual():
    got = rows("- Định kỳ 6 tháng (trước ngày 15/6) và năm (trước ngày 15/12) báo cáo kết quả về Phòng Lao động - "
               "Thương binh và Xã hội huyện để tổng hợp.")
    phong = "Phòng Lao động - Thương binh và Xã hội"
    assert got == [("6_months", "15/06", phong), ("annual", "15/12", phong)]


def test_quarterly_and_recipient_after_gui():
    assert rows("Định kỳ hằng quý, các xã báo cáo tiến độ về UBND huyện (qua Phòng Văn hóa - Xã hội).") == [
        ("quarterly", None, "UBND huyện")]
    assert rows("Các cơ quan báo cáo sơ kết giữa kỳ và tổng kết gửi Sở Nội vụ.") == [
        ("mid_term", None, "Sở Nội vụ"), ("end_of_period", None, "Sở Nội vụ")]


def test_reports_of_given_months_are_not_a_monthly_duty():
    got = rows("Tiếp theo các báo cáo tháng 3, 4/2024 và báo cáo tháng 6/2024, Sở tổng hợp báo cáo kết quả.")
    assert all(f != "monthly" for f, _, _ in got)
    assert rows("Hằng tháng báo cáo kết quả về Phòng Lao động - Thương binh và Xã hội.")[0][0] == "monthly"



def test_date_of_a_cited_document_and_past_monthly_reports_are_no_duty():
    got = rows("Tiếp theo các báo cáo tháng 3, 4/2024 và báo cáo tình hình thực hiện Nghị quyết số 12/2023/NQ-CP "
               "ngày 15 tháng 3 năm 2023 của Chính phủ.")
    assert all(f not in ("monthly", "once") for f, _, _ in got)
    got = rows("Định kỳ hằng năm (trước ngày 05/12) báo cáo kết quả về Phòng Lao động - Thương binh và Xã hội.")
    assert got[0][:2] == ("annual", "05/12")


def test_annexed_plan_is_read_but_not_the_decisions_distribution_list():
    text = ("Điều 3. Các Sở chịu trách nhiệm thi hành./.\nNơi nhận:\n- Bộ Y tế (để báo cáo hằng năm);\n"
            "- Lưu: VT.\nKẾ HOẠCH\nCHĂM SÓC NGƯỜI CAO TUỔI\n"
            "Định kỳ hằng năm, các phòng báo cáo kết quả về UBND huyện.\n")
    assert rows(text) == [("annual", None, "UBND huyện")]
