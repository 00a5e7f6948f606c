"""National programmes as data: loading, document matching, indicator scoring, national targets,
and a second programme added as one file (no code)."""
from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import pytest

from chitieu.extractors import targets
from chitieu.extractors.programmes import programme_field
from chitieu.pipeline import programmes
from chitieu.pipeline.structure import Document

ROOT = Path(__file__).resolve().parent.parent
TEST_PROGRAMMES = ROOT / "tests" / "data" / "programmes"


def make_doc(text: str, **meta) -> Document:
    d = Document("test.txt", 0, 0, len(text), text)
    d.meta.update(meta)
    return d


# ---- the bundled programme --------------------------------------------------------------------
def test_social_work_programme_facts():
    p = programmes.get_programme("social_work_112")
    assert p is not None
    assert p.decisions == ["112/QĐ-TTg"] and p.period == (2021, 2030)
    codes = [i.code for i in p.indicators]
    assert codes == ["staffing_units_pct", "staff_trained_pct", "facilities_services_pct",
                     "counselled_increase_pct", "counselled_pct", "children_supported_pct"]


def test_national_targets_rows_are_the_decision_values():
    rows = [r for r in programmes.national_rows() if r["programme"] == "social_work_112"]
    got = {(r["indicator"], r["period_start"], r["period_end"]): (r["value"], r["comparator"], r["baseline_year"])
           for r in rows}
    assert got == {
        ("staffing_units_pct", 2021, 2025): (60, "at_least", None),
        ("staffing_units_pct", 2026, 2030): (90, "at_least", None),
        ("staff_trained_pct", 2021, 2025): (30, "at_least", None),
        ("staff_trained_pct", 2026, 2030): (40, "at_least", None),
        ("facilities_services_pct", 2021, 2025): (50, "at_least", None),
        ("facilities_services_pct", 2026, 2030): (60, "at_least", None),
        ("counselled_increase_pct", 2021, 2025): (20, "increase_by", 2020),
        ("counselled_increase_pct", 2026, 2030): (30, "increase_by", 2025),
        ("children_supported_pct", 2021, 2025): (85, "at_least", None),
        ("children_supported_pct", 2026, 2030): (90, "at_least", None),
    }
    assert all("112/QĐ-TTg" in r["source"] for r in rows)


@pytest.mark.parametrize("a,b", [("112/2021/QĐ-TTg", "112/QĐ-TTg"), ("112 /QĐ-TTg", "112/qđ-ttg"),
                                 ("1791 /QĐ-TTg", "1791/QĐ-TTg")])
def test_decision_key_normalizes_numbers(a, b):
    assert programmes.decision_key(a) == programmes.decision_key(b)


def test_decision_key_keeps_different_numbers_apart():
    assert programmes.decision_key("112/QĐ-TTg") != programmes.decision_key("1121/QĐ-TTg")


# ---- document matching ------------------------------------------------------------------------
def test_match_by_implements():
    d = make_doc("Kế hoạch năm 2026", implements=["112/QĐ-TTg", "110/2024/NĐ-CP"], title="Kế hoạch năm 2026")
    assert programme_field(d)["programme"] == "social_work_112"


def test_match_by_title_without_citation():
    d = make_doc("...", implements=[], title="Kế hoạch thực hiện chương trình phát triển công tác xã hội giai đoạn "
                                             "2021-2025 trên địa bàn huyện")
    assert programme_field(d)["programme"] == "social_work_112"


def test_gender_plan_matches_the_gender_strategy_not_social_work():
    d = make_doc("Kế hoạch bình đẳng giới ... phát triển công tác xã hội", title="Kế hoạch về bình đẳng giới",
                 implements=["28/NQ-CP", "2232/QĐ-TTg"])
    assert programme_field(d)["programme"] == "gender_equality_28"


def test_no_match_for_another_field():
    d = make_doc("Kế hoạch phòng, chống thiên tai ... phát triển công tác xã hội", title="Kế hoạch phòng, chống thiên tai",
                 implements=["2232/QĐ-TTg"])
    assert programme_field(d)["programme"] is None


def test_no_match_for_social_work_day_decision():
    # mentions "công tác xã hội" but is not about the programme: a wrong match is worse than none
    d = make_doc("Về Ngày Công tác xã hội Việt Nam. Lấy ngày 25 tháng 3 hằng năm là Ngày Công tác xã hội.",
                 title="Quyết định về Ngày Công tác xã hội Việt Nam", implements=[], doc_number="1791/QĐ-TTg")
    assert programme_field(d)["programme"] is None


def test_seed_documents_programmes(seed_db):
    con = sqlite3.connect(str(seed_db))
    rows = con.execute("select substr(source_path, -24, 3), part, programme from documents "
                       "order by source_path, part").fetchall()
    con.close()
    got = {(r[0], r[1]): r[2] for r in rows}
    assert got == {("000", 0): "social_work_112", ("001", 0): "social_work_112", ("002", 0): "social_work_112",
                   ("003", 0): None, ("003", 1): None, ("003", 2): "social_work_112",
                   ("004", 0): "social_work_112"}


# ---- indicator scoring ------------------------------------------------------------------------
def test_scorer_picks_indicators_by_vocabulary():
    p = programmes.get_programme("social_work_112")
    m = programmes.score_indicator(
        p, "Tiếp tục đào tạo, bồi dưỡng và tập huấn kỹ năng cho 70% số cán bộ, viên chức công tác xã hội",
        head="số cán bộ, viên chức công tác xã hội")
    assert m.indicator == "staff_trained_pct"
    m = programmes.score_indicator(p, "tỷ lệ người có hoàn cảnh khó khăn được tư vấn tăng 20%",
                                   head="tỷ lệ người có hoàn cảnh", comparator="increase_by")
    assert m.indicator == "counselled_increase_pct"
    m = programmes.score_indicator(p, "100% người có hoàn cảnh khó khăn được tư vấn, hỗ trợ khi có nhu cầu",
                                   head="người có hoàn cảnh khó khăn", comparator="equal")
    assert m.indicator == "counselled_pct"


def test_scorer_low_confidence_is_other_with_best_candidate():
    p = programmes.get_programme("social_work_112")
    m = programmes.score_indicator(p, "100% cán bộ được phổ biến thông tin về bình đẳng giới", head="cán bộ được phổ biến")
    assert m.indicator == "other"
    assert m.best == "staff_trained_pct" and "staff_trained_pct" in m.note


def test_scorer_unit_must_match():
    p = programmes.get_programme("social_work_112")
    m = programmes.score_indicator(p, "đào tạo 400 cán bộ công tác xã hội", head="cán bộ", unit="người")
    assert m.indicator == "other"


def test_low_confidence_target_keeps_candidate_in_notes():
    text = "2. Mục tiêu cụ thể\n- 100% cán bộ được phổ biến thông tin về công tác xã hội."
    d = make_doc(text, programme="social_work_112", period_start=2021, period_end=2025)
    rows = list(targets.extract(d))
    assert [r.indicator for r in rows] == ["other"]
    assert "staff_trained_pct" in rows[0].notes


def test_bad_programme_file_is_reported(tmp_path):
    (tmp_path / "bad.yaml").write_text("code: x\ndecisions: [1/QĐ-TTg]\nindicators:\n  - code: a\n", encoding="utf-8")
    with pytest.raises(programmes.ProgrammeFileError):
        programmes.load_programmes(tmp_path)


# ---- a second programme needs no code ---------------------------------------------------------
OLDER_PLAN = """ỦY BAN NHÂN DÂN HUYỆN MINH HÓA
Số: 45/KH-UBND
KẾ HOẠCH
Thực hiện Chương trình hành động quốc gia về người cao tuổi giai đoạn 2021-2030 trên địa bàn huyện
Căn cứ Quyết định số 1579/QĐ-TTg ngày 05/10/2021 của Thủ tướng Chính phủ;
II. MỤC TIÊU
2. Mục tiêu cụ thể
a) Giai đoạn 2021 - 2025
- 100% người cao tuổi có thẻ bảo hiểm y tế.
- Phấn đấu 90% người cao tuổi được khám sức khỏe định kỳ.
- Có 40% số xã có câu lạc bộ liên thế hệ tự giúp nhau.
b) Giai đoạn 2026 - 2030
- Phấn đấu 100% người cao tuổi được khám sức khỏe định kỳ.
- Có 80% số xã có câu lạc bộ liên thế hệ tự giúp nhau.
"""


@pytest.fixture()
def two_programmes(tmp_path, monkeypatch) -> Path:
    folder = tmp_path / "programmes"
    folder.mkdir()
    # the bundled social-work programme and the small test programme: adding a file is all it takes
    for f in [ROOT / "corpora" / "programmes" / "social_work_112.yaml"] + list(TEST_PROGRAMMES.glob("*.yaml")):
        shutil.copy(f, folder / f.name)
    monkeypatch.setenv(programmes.ENV_VAR, str(folder))
    return folder


def test_second_programme_loads_from_folder():
    codes = [p.code for p in programmes.load_programmes(TEST_PROGRAMMES)]
    assert codes == ["older_people_1579"]


def test_second_programme_end_to_end(two_programmes, tmp_path):
    from chitieu.pipeline.compare import comparison_rows
    from chitieu.pipeline.run import extract_paths

    assert {p.code for p in programmes.load_programmes()} == {"social_work_112", "older_people_1579"}
    plan = tmp_path / "plans" / "older.txt"
    plan.parent.mkdir()
    plan.write_text(OLDER_PLAN, encoding="utf-8")
    db = tmp_path / "older.db"
    summary = extract_paths([str(plan.parent)], db)
    assert summary.errors == 0, summary.error_messages
    con = sqlite3.connect(str(db))
    assert con.execute("select programme from documents").fetchone()[0] == "older_people_1579"
    got = con.execute("select indicator, value, period_end from targets order by char_start").fetchall()
    nat = con.execute("select count(*) from national_targets where programme = 'older_people_1579'").fetchone()[0]
    con.close()
    assert got == [("elderly_health_insurance_pct", 100, 2025), ("elderly_health_checked_pct", 90, 2025),
                   ("elderly_clubs_communes_pct", 40, 2025), ("elderly_health_checked_pct", 100, 2030),
                   ("elderly_clubs_communes_pct", 80, 2030)]
    assert nat == 6
    cmp = {(r["indicator"], r["period_end"]): (r["national_value"], r["gap"], r["ambition"])
           for r in comparison_rows(db)}
    assert cmp == {("elderly_health_insurance_pct", 2025): (100, 0, "equal"),
                   ("elderly_health_checked_pct", 2025): (95, -5, "below"),
                   ("elderly_clubs_communes_pct", 2025): (50, -10, "below"),
                   ("elderly_health_checked_pct", 2030): (100, 0, "equal"),
                   ("elderly_clubs_communes_pct", 2030): (70, 10, "above")}


def test_several_cited_programmes_resolved_by_title(two_programmes):
    d = make_doc("...", implements=["112/QĐ-TTg", "1579/QĐ-TTg"],
                 title="Kế hoạch thực hiện Chương trình hành động quốc gia về người cao tuổi năm 2026")
    assert programme_field(d)["programme"] == "older_people_1579"
    d = make_doc("...", implements=["112/QĐ-TTg", "1579/QĐ-TTg"], title="Kế hoạch công tác năm 2026")
    assert programme_field(d)["programme"] is None


# ---- programme by vocabulary (news and summaries that cite no decision) ------------------------
# passages of public news pages (vanphong.langson.gov.vn node 67045; baobariavungtau.com.vn 2021-11;
# doanhnghieptiepthi.vn 2021-12), shortened
NEWS_INJURY = ("UBND tỉnh vừa ban hành Kế hoạch triển khai thực hiện Chương trình phòng, chống tai nạn, "
               "thương tích trẻ em giai đoạn 2021-2030. Kế hoạch đặt mục tiêu đến năm 2025 giảm tỷ lệ trẻ em bị "
               "tai nạn, thương tích xuống còn 500/100.000 trẻ; 50% trẻ em từ 6 - 16 tuổi biết bơi an toàn.")
NEWS_ELDERLY = ("Chương trình hành động quốc gia về người cao tuổi giai đoạn 2021-2030 đặt mục tiêu, đến năm 2025, "
                "có 95% người cao tuổi có thẻ bảo hiểm y tế, ít nhất 90% người cao tuổi được chăm sóc sức khỏe "
                "ban đầu kịp thời. Chương trình hành động quốc gia về người cao tuổi nhằm tăng cường sức khỏe.")


@pytest.mark.parametrize("text,code", [(NEWS_INJURY, "child_injury_1248"), (NEWS_ELDERLY, "older_people_1579")])
def test_news_without_citation_matched_by_vocabulary_with_evidence(text, code):
    d = make_doc(text, implements=[], title="Tin tức")
    got = programme_field(d)
    assert got["programme"] == code
    assert got["programme_evidence"].startswith("vocabulary score")
    assert "keyword mention" in got["programme_evidence"]


def test_one_passing_mention_is_not_enough():
    d = make_doc("Hội nghị tổng kết công tác năm 2025, trong đó có nội dung về bình đẳng giới và trẻ em.",
                 implements=[], title="Tin tức")
    got = programme_field(d)
    assert got["programme"] is None and got["programme_evidence"]


def test_evidence_names_the_rule():
    d = make_doc("Kế hoạch năm 2026", implements=["112/QĐ-TTg"], title="Kế hoạch năm 2026")
    assert programme_field(d)["programme_evidence"] == "cites 112/QĐ-TTg"
    d = make_doc("...", implements=[], title="Kế hoạch thực hiện chương trình phát triển công tác xã hội năm 2026")
    assert programme_field(d)["programme_evidence"].startswith("title names")


def test_indexed_scores_are_the_plain_sums():
    """The feature index and the per-phrase cache of score_indicator give the very matches of
    summing every indicator's weights feature by feature."""
    progs = programmes.load_programmes()
    phrases = [e.text for p in progs for i in p.indicators for e in i.examples][:300]
    phrases += ["giảm 5-10% số trẻ em bị tử vong và bị thương do tai nạn giao thông", "cán bộ", "", "100%"]
    units = sorted({i.unit for p in progs for i in p.indicators}) + ["người"]
    for p in progs:
        for phrase in phrases:
            fs = programmes.features(programmes._clip(phrase))
            for unit in units:
                for kind in ("level", "change"):
                    a = programmes._score(p, fs, unit, kind)
                    b = programmes._score_plain(p, fs, unit, kind)
                    assert (a.indicator, repr(a.score), a.best, repr(a.best_score), a.note) == \
                        (b.indicator, repr(b.score), b.best, repr(b.best_score), b.note), (p.code, phrase, unit)
