"""Agencies: every role form, list splitting, each alias kind, levels, and the seeds' annotated roles."""
from __future__ import annotations

from pathlib import Path

import pytest

from chitieu.extractors import agencies
from chitieu.pipeline.run import load_document
from chitieu.pipeline.structure import Document, DocumentMeta

SEEDS = Path(__file__).resolve().parent.parent / "corpora" / "seeds"

# (name, role) of every agency annotated in the seed gold, generic groups ("liên quan") left out
# Rows per seed (not collapsed). The partners after "phối hợp (với)" are `coordinate` everywhere
# (issue 11); the rows marked "partner" are the ones that convention adds to the seed gold.
SEED_AGENCIES = {
    "000": {("Sở Y tế", "lead"), ("Sở Nội vụ", "lead"), ("UBND các xã, phường", "lead"),
            ("UBND các xã, phường", "coordinate"),
            ("Sở Y tế", "coordinate")},  # partner; lead elsewhere in the file
    "001": {("Phòng Lao động - Thương binh và Xã hội", "focal"), ("Công an huyện", "lead")},
    "002": {("Sở Lao động - Thương binh và Xã hội", "lead"), ("Sở Kế hoạch và Đầu tư", "lead"),
            ("Sở Nội vụ", "coordinate"), ("Sở Giáo dục và Đào tạo", "lead"), ("Công an tỉnh", "lead"),
            ("Sở Tư pháp", "lead"), ("Sở Y tế", "lead"), ("Sở Thông tin và Truyền thông", "coordinate"),
            ("Báo Đắk Nông", "coordinate"), ("Đài Phát thanh và Truyền hình Đắk Nông", "coordinate"),
            ("Sở Lao động - Thương binh và Xã hội", "coordinate"),  # partner; lead elsewhere
            ("UBND các huyện, thành phố", "coordinate")},  # partner, not in the seed gold
    "003": {("Bộ Lao động - Thương binh và Xã hội", "lead"), ("Sở Lao động - Thương binh và Xã hội", "lead"),
            ("Sở Kế hoạch và Đầu tư", "lead"), ("Sở Tài chính", "coordinate"), ("Sở Nội vụ", "coordinate"),
            ("Sở Giáo dục và Đào tạo", "lead"), ("Công an tỉnh", "lead"), ("Sở Tư pháp", "coordinate"),
            ("Sở Y tế", "lead"), ("Sở Thông tin và Truyền thông", "coordinate"),
            ("Ủy ban Mặt trận Tổ quốc Việt Nam tỉnh", "coordinate"),
            ("Sở Lao động - Thương binh và Xã hội", "coordinate"),  # partner; lead elsewhere
            ("UBND các huyện, thành phố", "coordinate"),  # partner, not in the seed gold
            ("Ban Tuyên giáo Tỉnh ủy", "coordinate")},  # partner, not in the seed gold
    "004": {("Phòng Văn hóa - Xã hội", "lead"), ("Trung tâm dịch vụ sự nghiệp công", "lead"),
            ("Ủy ban Mặt trận Tổ quốc Việt Nam phường", "coordinate")},
}

PROVINCE = {"issuer": "UBND tỉnh Đắk Nông", "admin_level": "province"}
DISTRICT = {"issuer": "UBND huyện An Lão", "admin_level": "district"}


def make_doc(text: str, meta: dict | None = None) -> Document:
    d = Document("test.txt", 0, 0, len(text), text)
    d.meta.update(meta or PROVINCE)
    return d


def roles(text: str, meta: dict | None = None) -> set[tuple[str, str]]:
    return {(r.name, r.role) for r in agencies.extract(make_doc(text, meta))}


def seed_rows(prefix: str) -> list[agencies.Agency]:
    path = next(SEEDS.glob(f"{prefix}_*.txt"))
    return [r for d in load_document(path) for r in agencies.extract(d)]


def scored(name: str) -> str:
    """Names the way the gold compares them (case, Ủy ban nhân dân = UBND, tone marks)."""
    n = agencies.norm_key(name).replace("ủy ban nhân dân", "ubnd")
    return n.replace("-", " - ")


# ---- role forms ------------------------------------------------------------------------------
def test_field_labels_lead_and_coordinate_with_list_split():
    text = ("1.3. Cơ quan thực hiện:\n- Cơ quan chủ trì: Sở Y tế\n"
            "- Cơ quan phối hợp thực hiện: Các Sở, ngành liên quan, Ủy ban nhân dân các xã, phường.")
    assert roles(text) == {("Sở Y tế", "lead"), ("UBND các xã, phường", "coordinate")}


def test_field_label_with_slash_list():
    assert roles("- Cơ quan chủ trì: Sở Y tế/ Ủy ban nhân dân các xã, phường.") == {
        ("Sở Y tế", "lead"), ("UBND các xã, phường", "lead")}


def test_label_followed_by_no_agency_gives_nothing():
    text = ("- Cơ quan chủ trì: Theo chức năng nhiệm vụ được giao, các Sở, ngành tỉnh tham mưu UBND tỉnh "
            "chỉ đạo triển khai.")
    assert roles(text) == set()


def test_agency_colon_verb_and_the_partner_of_phoi_hop_coordinates():
    assert roles("7. Sở Tư pháp: Chủ trì, phối hợp với Sở Nội vụ tuyên truyền, phổ biến pháp luật.") == {
        ("Sở Tư pháp", "lead"), ("Sở Nội vụ", "coordinate")}
    assert roles("4. Sở Nội vụ: Phối hợp với Sở Lao động - Thương binh và Xã hội triển khai chế độ.") == {
        ("Sở Nội vụ", "coordinate"), ("Sở Lao động - Thương binh và Xã hội", "coordinate")}


def test_giao_agency_chu_tri_and_level_kept():
    assert roles("Đồng thời, giao Công an huyện chủ trì, phối hợp với các ban, ngành liên quan.", DISTRICT) == {
        ("Công an huyện", "lead")}


def test_numbered_heading_with_verb_on_next_line():
    text = ("IV. TỔ CHỨC THỰC HIỆN\n8. Sở Y tế\nChủ trì, phối hợp các sở, ban, ngành triển khai dịch vụ.\n"
            "9. Sở Tài chính\nCân đối, tham mưu bố trí kinh phí.")
    rows = list(agencies.extract(make_doc(text)))
    assert [(r.name, r.role) for r in rows] == [("Sở Y tế", "lead")]
    assert rows[0].task.startswith("Chủ trì, phối hợp")
    assert text[rows[0].char_start:rows[0].char_end] == rows[0].quote


def test_heading_with_lost_numbers_and_verbs_that_are_no_role():
    text = ("1.7. Sở Văn hoá Thể thao và Du lịch\nChủ trì tổ chức các hoạt động tuyên truyền.\n"
            "1.8. Sở Thông tin và Truyền thông\nChỉ đạo các cơ quan báo chí tuyên truyền.")
    assert roles(text) == {("Sở Văn hóa, Thể thao và Du lịch", "lead")}


def test_tham_gia_is_no_role_but_tham_gia_phoi_hop_is():
    head = "3. Đề nghị Ủy ban MTTQ Việt Nam tỉnh và các tổ chức thành viên\n"
    assert roles(head + "- Trong phạm vi chức năng, nhiệm vụ của mình, tham gia tổ chức triển khai.") == set()
    assert roles(head + "- Trong phạm vi chức năng, nhiệm vụ của mình, tham gia phối hợp triển khai.") == {
        ("Ủy ban Mặt trận Tổ quốc Việt Nam tỉnh", "coordinate")}


def test_focal_forms():
    assert roles("UBND huyện giao Phòng LĐ-TB&XH làm cơ quan đầu mối, giúp UBND huyện theo dõi.", DISTRICT) == {
        ("Phòng Lao động - Thương binh và Xã hội", "focal")}
    assert roles("1. Sở LĐTBXH\n- Là cơ quan thường trực tham mưu cho UBND tỉnh.") == {
        ("Sở Lao động - Thương binh và Xã hội", "focal")}


def test_strongest_role_within_one_block():
    text = "5. Sở Giáo dục và Đào tạo\nChủ trì, phối hợp các sở triển khai. Phối hợp xây dựng tài liệu."
    assert roles(text) == {("Sở Giáo dục và Đào tạo", "lead")}


def test_roles_in_different_blocks_are_kept():
    text = ("1. Tuyên truyền\n1.1. Cơ quan thực hiện\n- Cơ quan chủ trì: Ủy ban nhân dân các xã, phường.\n"
            "2. Đào tạo\n2.1. Cơ quan thực hiện\n- Cơ quan phối hợp: Ủy ban nhân dân các xã, phường.")
    rows = list(agencies.extract(make_doc(text)))
    assert {(r.name, r.role) for r in rows} == {("UBND các xã, phường", "lead"), ("UBND các xã, phường", "coordinate")}
    assert {r.task for r in rows} == {"Tuyên truyền", "Đào tạo"}


def test_list_subject_one_row_per_member():
    text = ("9. Sở Thông tin và Truyền thông, Báo Đắk Nông, Đài Phát thanh và Truyền hình Đắk Nông phối hợp "
            "với các Sở đẩy mạnh tuyên truyền.")
    assert roles(text) == {("Sở Thông tin và Truyền thông", "coordinate"), ("Báo Đắk Nông", "coordinate"),
                           ("Đài Phát thanh và Truyền hình Đắk Nông", "coordinate")}


def test_implementing_agency_field_partners_coordinate():
    text = ("a) Hoạt động 1\n- Cơ quan thực hiện: Sở Nội vụ chủ trì, phối hợp với các sở, ban, ngành, "
            "Ủy ban nhân dân phường, xã, đặc khu, báo, đài và các đơn vị có liên quan.")
    assert roles(text) == {("Sở Nội vụ", "lead"), ("UBND phường, xã, đặc khu", "coordinate")}


def test_two_agencies_joined_by_va_inside_and_between_names():
    text = "- Cơ quan thực hiện: Sở Giáo dục và Đào tạo và Sở Y tế chủ trì, phối hợp với các sở."
    assert roles(text) == {("Sở Giáo dục và Đào tạo", "lead"), ("Sở Y tế", "lead")}


def test_distribution_list_is_ignored():
    assert roles("Cơ quan chủ trì: Sở Y tế\nNơi nhận:\n- Sở Tư pháp: chủ trì;") == {("Sở Y tế", "lead")}


def test_plan_annexed_after_a_decisions_distribution_list_is_read():
    text = ("Điều 3. Các Sở, ngành chịu trách nhiệm thi hành Quyết định này./.\n"
            "Nơi nhận:\n- Như Điều 3;\n- Sở Tài chính: phối hợp;\n- Lưu: VT.\nCHỦ TỊCH\nTrần Văn A\n"
            "KẾ HOẠCH\nBẢO VỆ NGUỒN NƯỚC NĂM 2026\nIV. TỔ CHỨC THỰC HIỆN\n"
            "1. Sở Xây dựng\n- Chủ trì rà soát các công trình cấp nước.\n"
            "2. Sở Nội vụ\n- Phối hợp bố trí cán bộ.\nNơi nhận:\n- Sở Tư pháp: chủ trì;")
    assert roles(text) == {("Sở Xây dựng", "lead"), ("Sở Nội vụ", "coordinate")}


def test_national_bodies_and_provinces_under_central_rule():
    text = ("3. Đài Tiếng nói Việt Nam, Thông tấn xã Việt Nam: Chủ trì đưa tin về chương trình.\n"
            "4. Ủy ban nhân dân các tỉnh, thành phố trực thuộc Trung ương\n"
            "Chủ trì xây dựng kế hoạch của địa phương.\n"
            "5. Đề nghị Ủy ban Trung ương Mặt trận Tổ quốc Việt Nam phối hợp giám sát.")
    d = make_doc(text, {"issuer": "Thủ tướng Chính phủ", "admin_level": "national"})
    got = {(r.name, r.role, r.level) for r in agencies.extract(d)}
    assert got == {("Đài Tiếng nói Việt Nam", "lead", "national"), ("Thông tấn xã Việt Nam", "lead", "national"),
                   ("UBND các tỉnh, thành phố", "lead", "province"),
                   ("Ủy ban Trung ương Mặt trận Tổ quốc Việt Nam", "coordinate", "national")}


def test_parenthesis_between_agency_and_role_verb():
    text = ("1. Giao Trung tâm Kiểm soát bệnh tật tỉnh (cơ quan thường trực Ban Chỉ đạo phòng dịch) "
            "chủ trì, phối hợp các đơn vị tổ chức tiêm phòng.\n"
            "2. Sở Nội vụ (cơ quan thường trực Hội đồng thi đua) tổng hợp kết quả.")
    # the standing body of a council is `focal` (issue 11), also when said in a parenthesis
    assert roles(text) == {("Trung tâm Kiểm soát bệnh tật tỉnh", "lead"), ("Sở Nội vụ", "focal")}


def test_generic_groups_are_not_stored():
    assert roles("3. Các Trường học trên địa bàn phường\nPhối hợp tổ chức tuyên truyền.") == set()


# ---- aliases and canonical names -------------------------------------------------------------
@pytest.mark.parametrize("raw, canonical", [
    ("Sở LĐ-TB&XH", "Sở Lao động - Thương binh và Xã hội"),
    ("Sở LĐTBXH", "Sở Lao động - Thương binh và Xã hội"),
    ("Bộ LĐ-TBXH", "Bộ Lao động - Thương binh và Xã hội"),
    ("Sở Lao động – Thương binh và Xã hội", "Sở Lao động - Thương binh và Xã hội"),  # en dash
    ("Sở Lao động-Thương binh và  Xã hội", "Sở Lao động - Thương binh và Xã hội"),  # spacing
    ("Sở Lao động Thương binh và Xã hội", "Sở Lao động - Thương binh và Xã hội"),  # no dash
    ("Sở Lao động - Thương và Xã hội", "Sở Lao động - Thương binh và Xã hội"),  # source typo (seed 002)
    ("Phòng LĐ-TB&XH", "Phòng Lao động - Thương binh và Xã hội"),  # the district office stays a Phòng
    ("Sở KH&ĐT", "Sở Kế hoạch và Đầu tư"),
    ("Sở GD&ĐT", "Sở Giáo dục và Đào tạo"),
    ("Sở TT&TT", "Sở Thông tin và Truyền thông"),
    ("Sở Văn hoá Thể thao và Du lịch", "Sở Văn hóa, Thể thao và Du lịch"),  # old tone mark, no comma
    ("UBND tỉnh", "UBND tỉnh"),
    ("Uỷ ban nhân dân các xã, phường", "UBND các xã, phường"),
    ("Ủy ban nhân dân huyện An Lão", "UBND huyện An Lão"),  # the place as written (issue 11),
    ("Ủy ban MTTQ Việt Nam tỉnh", "Ủy ban Mặt trận Tổ quốc Việt Nam tỉnh"),
    ("UBMTTQ phường", "Ủy ban Mặt trận Tổ quốc Việt Nam phường"),
    ("Công an tỉnh Đắk Nông", "Công an tỉnh Đắk Nông"),
    ("Hội LHPN huyện", "Hội Liên hiệp Phụ nữ huyện"),
])
def test_alias_kinds(raw, canonical):
    assert agencies.canonical_name(raw) == canonical


def test_level_from_issuer_when_not_written():
    assert agencies.canonical_name("Công an", DocumentMeta(**DISTRICT)) == "Công an huyện"
    assert agencies.canonical_name("Công an", DocumentMeta(**PROVINCE)) == "Công an tỉnh"


def test_not_agencies():
    assert agencies.canonical_name("cơ sở y tế") is None  # a health facility
    assert agencies.canonical_name("ngành Lao động - Thương binh và Xã hội") is None


def test_successor_note_for_the_2025_reorganisation():
    rows = list(agencies.extract(make_doc("Cơ quan chủ trì: Sở Lao động - Thương binh và Xã hội.")))
    assert rows[0].successor == "Sở Nội vụ; Sở Y tế"
    data = agencies.alias_data()
    labour = next(a for a in data["areas"] if a["name"] == "Lao động - Thương binh và Xã hội")
    assert set(labour["successor"]) == {"Y tế", "Nội vụ"}


def test_every_successor_is_a_whole_area_name():
    rows = list(agencies.extract(make_doc("Cơ quan phối hợp: Sở Thông tin và Truyền thông.")))
    assert rows[0].successor == "Sở Khoa học và Công nghệ; Sở Văn hóa, Thể thao và Du lịch"
    data = agencies.alias_data()
    names = {a["name"] for a in data["areas"]}
    assert all(s in names for a in data["areas"] for s in a.get("successor") or [])


def test_levels_of_youth_unions_city_lists_and_unseen_names_ending_with_a_level():
    text = ("1. Huyện Đoàn: phối hợp tổ chức ngày hội.\n"
            "2. Ủy ban nhân dân các huyện, thị xã, thành phố: chủ trì rà soát đối tượng.\n"
            "3. Trung tâm Giám định y khoa tỉnh: chủ trì khám giám định.\n"
            "4. Trung tâm Bảo trợ xã hội: phối hợp tiếp nhận.")
    got = {(r.name, r.role, r.level) for r in agencies.extract(make_doc(text))}
    assert got == {("Huyện đoàn", "coordinate", "district"),
                   ("UBND các huyện, thị xã, thành phố", "lead", "district"),
                   ("Trung tâm Giám định y khoa tỉnh", "lead", "province"),
                   ("Trung tâm Bảo trợ xã hội", "coordinate", None)}


def test_responsibility_heading_written_as_trach_nhiem_cua():
    text = ("III. TỔ CHỨC THỰC HIỆN\n1. Trách nhiệm của Sở Xây dựng\n- Chủ trì thẩm định thiết kế nhà ở.\n"
            "2. Nhiệm vụ của Công an tỉnh\nPhối hợp bảo đảm an ninh khu tái định cư.\n"
            "3. Trách nhiệm của các sở, ngành\nPhối hợp thực hiện.")
    assert roles(text) == {("Sở Xây dựng", "lead"), ("Công an tỉnh", "coordinate")}


def test_unseen_names_of_a_known_shape():
    assert roles("Trung tâm Bảo trợ xã hội tỉnh chủ trì tổ chức.") == {("Trung tâm Bảo trợ xã hội tỉnh", "lead")}
    assert roles("Sở Xây dựng đăng tải thông điệp.") == set()


# ---- seeds -------------------------------------------------------------------------------------
@pytest.mark.parametrize("prefix", sorted(SEED_AGENCIES))
def test_seed_roles_match_gold(prefix):
    got = {(scored(r.name), r.role) for r in seed_rows(prefix)}
    want = {(scored(n), role) for n, role in SEED_AGENCIES[prefix]}
    assert got == want


def test_seed_000_heading_without_role_verb_is_not_annotated():
    names = {r.name for r in seed_rows("000")}
    assert not any("Văn hóa" in n for n in names)  # "1.7. Sở Văn hoá ..." / "Chỉ đạo ..."
    rows = [r for r in seed_rows("000") if r.name == "Sở Y tế" and r.role == "lead"]
    assert len(rows) == 4  # activities 1, 3, 4 and 6
    assert rows[0].task.startswith("Tuyên truyền nâng cao nhận thức")
    assert rows[0].quote == "Cơ quan chủ trì: Sở Y tế"


def test_seed_002_typo_keeps_raw_name():
    row = next(r for r in seed_rows("002") if r.name == "Sở Lao động - Thương binh và Xã hội")
    assert row.name_raw == "Sở Lao động - Thương và Xã hội" and row.role == "lead"


def test_every_seed_quote_matches_text():
    for path in sorted(SEEDS.glob("*.txt")):
        for d in load_document(path):
            for r in agencies.extract(d):
                assert d.text[r.char_start:r.char_end] == r.quote


def test_table_with_role_columns():
    text = ("PHỤ LỤC\n| STT | Nội dung nhiệm vụ | Cơ quan chủ trì | Cơ quan phối hợp | Thời gian |\n"
            "|---|---|---|---|---|\n"
            "| 1 | Tuyên truyền về công tác xã hội | Sở Y tế | Sở TT&TT, Báo Bắc Ninh, UBND các xã, phường | 2026 |\n"
            "| 2 | Đào tạo cán bộ | Sở Nội vụ | Các sở, ngành liên quan | Hằng năm |\n")
    rows = list(agencies.extract(make_doc(text)))
    assert {(r.name, r.role) for r in rows} == {
        ("Sở Y tế", "lead"), ("Sở Thông tin và Truyền thông", "coordinate"), ("Báo Bắc Ninh", "coordinate"),
        ("UBND các xã, phường", "coordinate"), ("Sở Nội vụ", "lead")}
    assert {r.task for r in rows if r.name == "Sở Nội vụ"} == {"Đào tạo cán bộ"}


def test_place_name_after_agency_and_duoc_giao():
    rows = list(agencies.extract(make_doc(
        "Sở Tư pháp Quảng Nam được giao chủ trì, phối hợp với các Sở, ban, ngành rà soát.")))
    assert [(r.name, r.name_raw, r.role) for r in rows] == [("Sở Tư pháp", "Sở Tư pháp Quảng Nam", "lead")]
    assert roles("Giao Sở Khoa học và Công nghệ chủ trì, phối hợp với các sở, ban, ngành nghiên cứu.") == {
        ("Sở Khoa học và Công nghệ", "lead")}


def test_lowercase_heads_inside_other_words():
    assert agencies.canonical_name("phòng Lao động - Thương binh và Xã hội") == "Phòng Lao động - Thương binh và Xã hội"
    assert roles("Các cơ sở Y tế phối hợp triển khai.") == set()
    assert roles("Đội ngũ cán bộ Tư pháp phối hợp triển khai.") == set()


def test_partners_on_a_bullet_under_an_implementing_agency_label():
    text = ("c) Hoạt động 3\n- Cơ quan thực hiện:\n\n+ Sở Văn hóa và Thể thao chủ trì, phối hợp với các sở, "
            "Ủy ban nhân dân phường, xã, đặc khu và các đơn vị có liên quan.\n")
    assert roles(text) == {("Sở Văn hóa và Thể thao", "lead"), ("UBND phường, xã, đặc khu", "coordinate")}
    # outside such a field too, the partner of "phối hợp với" coordinates
    assert roles("8. Sở Y tế: Chủ trì, phối hợp với Ủy ban nhân dân các xã triển khai.") == {
        ("Sở Y tế", "lead"), ("UBND các xã", "coordinate")}


def test_level_lists_stop_before_the_next_name():
    text = ("- Đơn vị chủ trì: Trung tâm Công tác xã hội tỉnh.\n"
            "- Đơn vị phối hợp: Hội Chữ thập đỏ tỉnh, Tỉnh đoàn, Hội Liên hiệp Phụ nữ tỉnh.")
    assert roles(text) == {("Trung tâm Công tác xã hội tỉnh", "lead"), ("Hội Chữ thập đỏ tỉnh", "coordinate"),
                           ("Tỉnh đoàn", "coordinate"), ("Hội Liên hiệp Phụ nữ tỉnh", "coordinate")}
    assert roles("Cơ quan phối hợp: UBND các xã, phường, thị trấn.") == {("UBND các xã, phường, thị trấn", "coordinate")}


def test_heading_listing_agencies_with_a_semicolon():
    text = ("II. NHIỆM VỤ\n5. Sở Tư pháp; Sở Văn hóa, Thể thao và Du lịch\n"
            "Chỉ đạo công tác tuyên truyền; phối hợp với Sở Y tế xây dựng chuyên mục.\n")
    assert roles(text) == {("Sở Tư pháp", "coordinate"), ("Sở Văn hóa, Thể thao và Du lịch", "coordinate"),
                           ("Sở Y tế", "coordinate")}


def test_merged_provincial_media_body_is_an_agency():
    text = ("II. NHIỆM VỤ\n4. Sở Văn hóa, Thể thao và Du lịch; Báo và Phát thanh, Truyền hình Hà Nam\n"
            "Chỉ đạo công tác tuyên truyền; phối hợp với Sở Y tế mở chuyên mục.\n")
    assert roles(text) == {("Sở Văn hóa, Thể thao và Du lịch", "coordinate"),
                           ("Báo và Phát thanh, Truyền hình Hà Nam", "coordinate"), ("Sở Y tế", "coordinate")}


# ---- issue 11: conventions settled (real sentences from public texts, sources in tests/realworld) --
def test_partner_of_phoi_hop_coordinates_in_a_decision_article():
    # Sơn La, QĐ 3605/QĐ-UBND 2014, Điều 2
    text = ("Điều 2. Giao Sở Y tế chủ trì, phối hợp với các sở, ban, ngành liên quan, UBND các huyện, "
            "thành phố tổ chức triển khai thực hiện Kế hoạch.")
    assert roles(text) == {("Sở Y tế", "lead"), ("UBND các huyện, thành phố", "coordinate")}


def test_a_bracket_explaining_a_word_is_no_subject_of_its_role_verb():
    # tests/realworld/docs/pl6_cantho_giamsat.txt: the bodies in the bracket explain "cấp thẩm quyền"
    text = ("a) Sở Tài chính chủ trì tổng hợp, tham mưu báo cáo cấp thẩm quyền (UBND thành phố, Bộ Nông nghiệp và "
            "Môi trường và các Bộ, cơ quan trung ương chủ trì dự án, tiểu dự án) việc triển khai Chương trình.")
    assert roles(text) == {("Sở Tài chính", "lead")}


def test_a_body_others_belong_to_or_are_advised_to_is_no_subject():
    # tests/realworld/docs/tbl5_sonla_254.txt: "trực thuộc UBND tỉnh; UBND các huyện …" — the ";" opens
    # a subject of its own
    text = ("1. Các sở, ban, ngành trực thuộc UBND tỉnh; UBND các huyện, thành phố chủ trì tổ chức tuyên truyền, "
            "tập huấn đến toàn thể cán bộ.")
    assert roles(text) == {("UBND các huyện, thành phố", "lead")}
    # tests/realworld/docs/pl6_dongnai_matuy.txt: the body advised is no partner
    text = "a) Công an tỉnh chủ trì, tham mưu Ủy ban nhân dân tỉnh phối hợp Bộ Quốc phòng triển khai Tiểu dự án 1."
    assert ("UBND tỉnh", "coordinate") not in roles(text)
    # a partner list goes on over ";"
    text = "Sở Y tế chủ trì, phối hợp với Sở Tài chính; UBND các huyện, thành phố triển khai Kế hoạch."
    assert roles(text) == {("Sở Y tế", "lead"), ("Sở Tài chính", "coordinate"),
                           ("UBND các huyện, thành phố", "coordinate")}


def test_partner_without_voi_and_partner_named_through_a_person_title():
    # Côn Đảo (Bà Rịa - Vũng Tàu), Công văn 1150/UBND-VP 2021
    text = ("1. Phòng Văn hóa và Thông tin chủ trì, phối hợp Ban Tuyên giáo Huyện ủy và các cơ quan, đơn vị "
            "có liên quan, tham mưu Ủy ban nhân dân huyện hướng dẫn công tác tuyên truyền.")
    assert roles(text) == {("Phòng Văn hóa và Thông tin", "lead"), ("Ban Tuyên giáo Huyện ủy", "coordinate")}
    # Vĩnh Long, QĐ 29/QĐ-UBND 2011, Điều 2: "Chủ tịch" before the partner
    text = ("Điều 2. Giám đốc Sở Lao động - Thương binh và Xã hội chủ trì, phối hợp với thủ trưởng các sở, ban, "
            "ngành, đoàn thể tỉnh, Chủ tịch Uỷ ban nhân dân các huyện, thành phố triển khai thực hiện Quyết định này.")
    assert roles(text) == {("Sở Lao động - Thương binh và Xã hội", "lead"),
                           ("UBND các huyện, thành phố", "coordinate")}


def test_focal_and_lead_in_one_clause_keep_lead_and_a_standing_body_is_focal():
    # Quảng Trị, news of a plan on access to law
    text = ("Để tổ chức thực hiện Kế hoạch có hiệu quả, Ủy ban nhân dân tỉnh giao cho Sở Tư pháp là đơn vị "
            "đầu mối, chủ trì phối hợp với các sở, ngành liên quan tham mưu.")
    rows = agencies.extract(make_doc(text))
    assert {(r.name, r.role) for r in rows} == {("Sở Tư pháp", "lead")}
    assert roles("3. Sở Y tế - cơ quan thường trực Ban Chỉ đạo tỉnh: tổng hợp, báo cáo kết quả.") == {
        ("Sở Y tế", "focal")}


def test_document_agencies_view_keeps_the_strongest_role():
    import sqlite3
    con = sqlite3.connect(":memory:")
    con.execute("create table agencies (id integer primary key, doc_id, name, role, level, successor, section, "
                "task, quote, char_start, char_end)")
    rows = [("d1", "Sở Y tế", "coordinate", 50), ("d1", "Sở Y tế", "focal", 90), ("d1", "Sở Y tế", "lead", 120),
            ("d1", "Sở Nội vụ", "coordinate", 10), ("d1", "Sở Nội vụ", "focal", 200), ("d2", "Sở Y tế", "coordinate", 5)]
    con.executemany("insert into agencies (doc_id, name, role, quote, char_start) values (?, ?, ?, 'q', ?)", rows)
    con.execute(f"create view document_agencies as {agencies.document_agencies_view()}")
    got = con.execute("select doc_id, name, role, char_start, n_rows from document_agencies order by 1, 2").fetchall()
    assert got == [("d1", "Sở Nội vụ", "focal", 200, 2), ("d1", "Sở Y tế", "lead", 120, 3),
                   ("d2", "Sở Y tế", "coordinate", 5, 1)]
    from chitieu.extractors import VIEWS
    assert "document_agencies" in VIEWS


def test_headless_lists():
    assert roles("Các Sở: Tư pháp, Nội vụ phối hợp triển khai kế hoạch.") == {
        ("Sở Tư pháp", "coordinate"), ("Sở Nội vụ", "coordinate")}
    assert roles("Giao các Sở Y tế, Giáo dục và Đào tạo phối hợp tổ chức tuyên truyền.") == {
        ("Sở Y tế", "coordinate"), ("Sở Giáo dục và Đào tạo", "coordinate")}
    # Quảng Trị, QĐ 2177/QĐ-UBND 2014: an area with a comma inside; executing a decision is no role
    text = ("Chánh Văn phòng UBND tỉnh, Giám đốc các Sở, ngành: Tư pháp, Lao động, Thương binh và Xã hội, Y tế, "
            "Tài chính, Công an tỉnh, Đài Phát thanh Truyền hình tỉnh, Báo Quảng Trị và Thủ trưởng các cơ quan có "
            "liên quan chịu trách nhiệm thi hành Quyết định này.")
    names = [m.name for m in agencies.find_mentions(text) if not m.generic]
    assert names[:5] == ["Văn phòng UBND tỉnh", "Sở Tư pháp", "Sở Lao động - Thương binh và Xã hội", "Sở Y tế",
                         "Sở Tài chính"]
    assert roles(text) == set()
    # a capitalised word that is no area of the head ends the list
    assert [m.name for m in agencies.find_mentions("các Sở: Tư pháp, Hà Nội") if not m.generic] == ["Sở Tư pháp"]


def test_names_with_commas():
    assert roles("Trung tâm Văn hóa, Thông tin và Thể thao huyện phối hợp tuyên truyền kế hoạch.") == {
        ("Trung tâm Văn hóa - Thông tin và Thể thao huyện", "coordinate")}
    assert roles("Ban Quản lý các khu công nghiệp tỉnh chủ trì, phối hợp với Liên đoàn Lao động tỉnh khảo sát "
                 "nhu cầu nhà ở của người lao động.") == {
        ("Ban Quản lý các khu công nghiệp tỉnh", "lead"), ("Liên đoàn Lao động tỉnh", "coordinate")}


def test_place_as_written_and_bare_mentions_of_the_same_body():
    assert roles("Giao UBND tỉnh Gia Lai chủ trì tổ chức thực hiện.") == {("UBND tỉnh Gia Lai", "lead")}
    # the same body written without its place in the same document takes the written name
    text = "1. UBND huyện An Lão chủ trì tổng kết.\n2. Công an huyện chủ trì, phối hợp với UBND huyện báo cáo."
    assert roles(text) == {("UBND huyện An Lão", "lead"), ("Công an huyện", "lead"),
                           ("UBND huyện An Lão", "coordinate")}
    # a capitalised word that is no known place is not a place
    assert agencies.canonical_name("UBND tỉnh Phê duyệt") == "UBND tỉnh"


def test_role_label_on_its_own_line_above_a_list():
    text = ("a) Rà soát, hoàn thiện chính sách trợ giúp xã hội\n- Cơ quan chủ trì: Sở Y tế.\n- Cơ quan phối hợp:\n"
            "+ Sở Tư pháp;\n+ Sở Nội vụ, Sở Tài chính;\n\n+ Ủy ban nhân dân các xã, phường.\n"
            "- Thời gian thực hiện: hằng năm.")
    assert roles(text) == {("Sở Y tế", "lead"), ("Sở Tư pháp", "coordinate"), ("Sở Nội vụ", "coordinate"),
                           ("Sở Tài chính", "coordinate"), ("UBND các xã, phường", "coordinate")}


def test_role_label_line_gives_its_role_to_the_list_lines_under_it_only():
    """The label reaches down over blank lines and lines that open with a named list, and stops at
    the first other line (a sentence, or a line of unnamed groups only)."""
    text = ("Cơ quan phối hợp:\n\n- Sở Tư pháp;\n\n\n- Sở Nội vụ.\n"
            "Các đơn vị báo cáo kết quả.\n- Sở Tài chính.\n"
            "2. Đơn vị chủ trì:\n- Các sở, ngành liên quan;\n- Sở Xây dựng.")
    got = roles(text)
    assert ("Sở Tư pháp", "coordinate") in got and ("Sở Nội vụ", "coordinate") in got
    assert not any(name in ("Sở Tài chính", "Sở Xây dựng") for name, _ in got)


def test_bank_branch_written_before_the_level_word():
    text = ("6. Ngân hàng Chính sách xã hội chi nhánh tỉnh: Phối hợp với Sở Lao động - Thương binh và Xã hội "
            "bố trí nguồn vốn cho vay giải quyết việc làm.")
    assert roles(text) == {("Ngân hàng Chính sách xã hội tỉnh", "coordinate"),
                           ("Sở Lao động - Thương binh và Xã hội", "coordinate")}


def test_agency_work_is_linear_in_line_length(monkeypatch):
    """No step re-reads a line from its start for each list: the characters folded while
    extracting grow in proportion to the text (one 'shadow' of the whole document), and the
    distribution-list test is a binary search."""
    unit = ("Sở Y tế chủ trì, phối hợp với Sở Tài chính, UBND các huyện tổ chức thực hiện; "
            "Cơ quan thực hiện: Sở Nội vụ chủ trì, phối hợp với Công an tỉnh. ")
    folded = []
    real = agencies.shadow
    monkeypatch.setattr(agencies, "shadow", lambda s: (folded.append(len(s)), real(s))[1])
    work = []
    for n in (50, 400):
        folded.clear()
        text = "KẾ HOẠCH\n" + unit * n + "\nNơi nhận:\n- Sở Y tế;\n"
        list(agencies.extract(make_doc(text)))
        work.append(sum(folded) / len(text))
    assert work[1] <= work[0] * 1.2
    doc = make_doc("".join(f"Sở Y tế chủ trì.\nNơi nhận:\n- Sở Nội vụ;\nKẾ HOẠCH {i}\n" for i in range(300)))
    ranges = doc.distribution_lists
    assert len(ranges) == 300 and doc.body_end == len(doc.text)
    for s, e in ranges[::37]:
        assert doc.in_distribution_list(s) and doc.in_distribution_list(e - 1)
        assert not doc.in_distribution_list(e)


def test_a_body_written_once_with_its_level_names_its_bare_mentions():
    # Tây Ninh, news of a provincial directive on loans to households that left poverty
    text = ("UBND tỉnh giao Chi nhánh Ngân hàng Chính sách xã hội tỉnh hướng dẫn hồ sơ vay vốn; phối hợp kiểm tra.\n"
            "Chi nhánh Ngân hàng Chính sách xã hội phối hợp với Sở Thông tin và Truyền thông, Báo Tây Ninh, "
            "Đài Phát thanh Truyền hình tỉnh, UBND các huyện, thành phố đưa tin, tuyên truyền.")
    assert roles(text) == {("Ngân hàng Chính sách xã hội tỉnh", "coordinate"),
                           ("Sở Thông tin và Truyền thông", "coordinate"), ("Báo Tây Ninh", "coordinate"),
                           ("Đài Phát thanh Truyền hình tỉnh", "coordinate"),
                           ("UBND các huyện, thành phố", "coordinate")}
    # two levels written: the bare name is ambiguous and stays
    text2 = text.replace("tỉnh hướng dẫn", "tỉnh hướng dẫn; Ngân hàng Chính sách xã hội huyện hỗ trợ")
    fuller = agencies._fuller_names(agencies.find_mentions(text2))
    assert "Ngân hàng Chính sách xã hội" not in fuller and fuller["UBND"] == "UBND tỉnh"
    assert agencies._fuller_names(agencies.find_mentions(text))["Ngân hàng Chính sách xã hội"] == \
        "Ngân hàng Chính sách xã hội tỉnh"


def test_later_clause_of_an_assignment_and_past_partners():
    # Tây Ninh: the bank is given a task, then "; Phối hợp …" in the same sentence
    text = ("UBND tỉnh giao Chi nhánh Ngân hàng Chính sách xã hội tỉnh hướng dẫn hồ sơ vay vốn, quy trình và thủ "
            "tục cho vay; Phối hợp các Sở, ngành liên quan xây dựng kế hoạch nguồn vốn hàng năm.")
    assert roles(text) == {("Ngân hàng Chính sách xã hội tỉnh", "coordinate")}
    # the clause belongs to the assigned agency only within its sentence
    assert roles("Giao Sở Y tế tổng hợp kết quả; phối hợp kiểm tra.\nPhối hợp với Sở Tư pháp thực hiện; chủ trì kiểm tra.") == {
        ("Sở Y tế", "coordinate"), ("Sở Tư pháp", "coordinate")}
    # a partner in a report of the past is no role
    assert roles("Năm 2024, Sở Y tế đã phối hợp với Sở Tư pháp tổ chức 12 lớp tập huấn.") == set()


# ---- assignments, responsibilities and reported events (issue 11; roles.yaml) ----------------
def test_an_assignment_without_a_role_verb_is_lead():
    # Sơn Tịnh news; Hậu Giang letter 25/UBND-KGVX (a person title before the agency)
    assert roles("UBND huyện giao Phòng Lao động - Thương binh và Xã hội theo dõi, hướng dẫn các xã.") == {
        ("Phòng Lao động - Thương binh và Xã hội", "lead")}
    assert roles("2. Giao Giám đốc Sở Thông tin và Truyền thông căn cứ tình hình thực tế, hướng dẫn các cơ quan "
                 "báo chí. Giao Giám đốc Sở Tài chính phối hợp thẩm định kinh phí.") == {
        ("Sở Thông tin và Truyền thông", "lead"), ("Sở Tài chính", "coordinate")}
    # a role verb of the assigned agency's clause decides (Bình Định letter 4672/UBND-VX)
    assert roles("Chủ tịch UBND tỉnh giao thủ trưởng các cơ quan, đơn vị liên quan, UBND các huyện, thị xã, thành "
                 "phố trong tỉnh theo chức năng có trách nhiệm phối hợp chặt chẽ với Sở Y tế.") == {
        ("UBND các huyện, thị xã, thành phố", "coordinate"), ("Sở Y tế", "coordinate")}
    # the role verb given elsewhere in the sentence wins over the assignment (Tây Ninh)
    assert roles("UBND tỉnh giao Chi nhánh Ngân hàng Chính sách xã hội tỉnh hướng dẫn hồ sơ vay vốn; Phối hợp "
                 "các Sở, ngành liên quan xây dựng kế hoạch.") == {("Ngân hàng Chính sách xã hội tỉnh", "coordinate")}


def test_the_clauses_and_items_of_an_assignment_are_lead():
    # Đà Nẵng news: the subjects of the later clauses of a "yêu cầu" sentence
    text = ("Theo đó, UBND TP yêu cầu lồng ghép tổ chức lễ phát động; UBND các quận, huyện tổ chức lễ phát động "
            "vào cuối tháng 5; UBND các xã, phường xây dựng kế hoạch tổ chức các hoạt động.")
    assert roles(text) == {("UBND các quận, huyện", "lead"), ("UBND các xã, phường", "lead")}
    # Bình Phước decision: the items under "Điều 2. Giao:"
    text = ("Điều 2. Giao:\na) Sở Kế hoạch và Đầu tư căn cứ Đề án được phê duyệt đưa vào chỉ tiêu hàng năm.\n"
            "b) Sở Tài chính chủ trì, phối hợp với Sở Kế hoạch và Đầu tư bố trí nguồn kinh phí.\n"
            "Điều 3. Quyết định này có hiệu lực kể từ ngày ký.\nSở Tư pháp kiểm tra việc thi hành.")
    assert roles(text) == {("Sở Kế hoạch và Đầu tư", "lead"), ("Sở Tài chính", "lead"),
                           ("Sở Kế hoạch và Đầu tư", "coordinate")}  # item b: its partner (another block)


def test_requests_execution_clauses_and_other_uses_of_the_words_give_no_role():
    # seed 002: "đề nghị" is a request, "chỉ đạo" no role
    assert roles("Đề nghị Ủy ban Mặt trận Tổ quốc Việt Nam tỉnh chỉ đạo các cấp cơ sở đẩy mạnh tuyên truyền.") == set()
    assert roles("Chánh Văn phòng UBND tỉnh; Giám đốc Sở Y tế chịu trách nhiệm thi hành Quyết định này.") == set()
    assert roles("Theo đề nghị của Sở Y tế tại Tờ trình số 496/TTr-SYT, UBND tỉnh ban hành kế hoạch.") == set()
    assert roles("Các cơ quan báo chí thảo luận tại cuộc họp giao ban Sở Thông tin và Truyền thông chủ trì.") == {
        ("Sở Thông tin và Truyền thông", "lead")}


def test_a_responsibility_is_lead():
    # Bộ Lao động decision 2010; Quảng Bình decision (the name wrapped after "Điều 2.")
    assert roles("Điều 3. Cục Bảo trợ xã hội chịu trách nhiệm đôn đốc, giám sát việc triển khai.") == {
        ("Cục Bảo trợ xã hội", "lead")}
    assert roles("Điều 2. Sở\nNội vụ, Sở Tư pháp có trách nhiệm lập danh sách đăng ký tài khoản.") == {
        ("Sở Nội vụ", "lead"), ("Sở Tư pháp", "lead")}


def test_a_role_in_a_reported_event_is_none():
    assert roles("Ngày 30-11, Bộ Lao động - Thương binh và Xã hội phối hợp với Sở Y tế tổ chức Hội thảo trực tuyến.") == set()
    assert roles("Sáng 15.4, tại hội trường Tỉnh uỷ, Ngân hàng Chính sách xã hội tỉnh phối hợp với Sở Nội vụ tổ "
                 "chức lễ phát động.") == set()
    assert roles("Từ đầu năm đến nay, Sở Lao động - Thương binh và Xã hội thường xuyên phối hợp với Sở Y tế.") == set()
    # a dated assignment is a duty
    assert roles("Ngày 9/8, UBND tỉnh giao Sở Y tế chủ trì triển khai Kế hoạch.") == {("Sở Y tế", "lead")}


def test_the_agency_mentions_layer_is_computed_once_and_declared():
    from chitieu import extractors
    from chitieu.extractors import reporting

    doc = make_doc("Sở Y tế chủ trì, phối hợp với Sở Tư pháp. Định kỳ hằng năm báo cáo về Sở Y tế.")
    layer = doc.layer("agency_mentions")
    assert doc.layer("agency_mentions") is layer
    list(agencies.extract(doc))
    list(reporting.extract(doc))
    assert doc.layer("agency_mentions") is layer and [m.name for m in layer.body] == ["Sở Y tế", "Sở Tư pháp", "Sở Y tế"]
    assert not hasattr(reporting, "find_mentions") and not hasattr(reporting, "group_lists")
    assert extractors.TABLES["reporting"].uses == ("agency_mentions",) == extractors.TABLES["agencies"].uses
    for spec in extractors.TABLES.values():
        assert set(spec.uses) <= set(extractors.LAYERS), spec.name


def test_role_word_in_a_heading_above_a_list():
    text = ("IV. TỔ CHỨC THỰC HIỆN\n2. Phối hợp thực hiện:\n- Sở Tư pháp;\n- Sở Nội vụ.\n"
            "3. Các đơn vị phối hợp:\n+ Sở Tài chính\n+ Công an tỉnh\n4. Chủ trì\n- Sở Y tế\n")
    assert roles(text) == {("Sở Tư pháp", "coordinate"), ("Sở Nội vụ", "coordinate"), ("Sở Tài chính", "coordinate"),
                           ("Công an tỉnh", "coordinate"), ("Sở Y tế", "lead")}


def test_a_later_clause_opened_by_an_introductory_phrase():
    # Gia Lai news: "…; đồng thời phối hợp với …" is the assigned agency's own role
    text = ("Chủ tịch UBND tỉnh giao Sở Lao động - Thương binh và Xã hội khẩn trương rà soát số lao động về tỉnh; "
            "đồng thời phối hợp với Sở Nông nghiệp và Phát triển nông thôn nắm thông tin thị trường lao động.")
    assert roles(text) == {("Sở Lao động - Thương binh và Xã hội", "coordinate"),
                           ("Sở Nông nghiệp và Phát triển nông thôn", "coordinate")}


def test_a_named_person_who_chairs_is_no_agency_role():
    # a caption: the person chairs (a meeting); the agency is only part of his title
    assert roles("Đồng chí Nguyễn Văn Hà, Phó Bí thư Huyện ủy, Chủ tịch UBND huyện chủ trì") == set()
    assert roles("Ông Võ Hồng Thảo, Chủ tịch UBND thành phố chủ trì hội nghị.") == set()
    # an assignment that names the person's office stays a duty
    assert roles("Giao Chủ tịch UBND các xã, thị trấn chủ trì triển khai Kế hoạch.") == {("UBND các xã, thị trấn", "lead")}


# ---- the layer reads unnamed groups near names only: the same lists as reading them everywhere ----
def _lists_naming_agencies(doc: Document, mentions: list) -> list[list]:
    limit = doc.body_end
    body = [m for m in mentions if m.start < limit and not doc.in_distribution_list(m.start)]
    return [lst.items for lst in agencies.group_lists(doc.text, body) if lst.named]


def _same_lists_as_every_group(doc: Document) -> None:
    layer = doc.layer("agency_mentions")
    every = agencies.find_mentions(doc.text, doc.meta, layer.folded)  # every group of the text
    assert [lst.items for lst in layer.lists if lst.named] == _lists_naming_agencies(doc, every), doc.source_path


@pytest.mark.parametrize("text", [
    "Sở Y tế,\ncác sở, ngành liên quan và\nSở Tư pháp phối hợp thực hiện.",  # a list over three lines
    "Giao các\nsở, ngành và Sở Y tế chủ trì.",  # an opener at a line end: its group runs on
    "Sở Nội vụ, Giám\nđốc Sở Y tế và các\n\nđơn vị có liên quan phối hợp.",  # a title cut by a line end
    "Các cơ quan, đơn vị;\ncác sở, ban, ngành\n, Sở Tư pháp và các địa phương\nvà các hội, đoàn thể.",
    "- Sở Y tế: chủ trì;\n- các sở, ngành: phối hợp;\ncác cấp, các ngành\nthực hiện.\nSở Tư pháp\n\n, các ban",
    "các Sở Y tế các cấp tham gia, các ngành và Sở Tư pháp",  # a group over a name hides the groups in it
])
def test_groups_near_names_give_the_lists_of_every_group(text):
    _same_lists_as_every_group(make_doc(text))


def test_groups_near_names_give_the_lists_of_every_group_on_random_texts():
    import random

    rnd = random.Random(12)
    parts = ["Sở Y tế", "Sở Tư pháp", "UBND các xã", "Báo Đắk Nông", "các sở", "ngành", "các cơ quan",
             "đơn vị", "thủ trưởng các", "Giám đốc", "hội", "các cấp", "cơ sở", "xã hội", "liên quan",
             "tham gia", "chủ trì", "phối hợp với", "và", "cùng", ",", ";", ":", "/", "&", "-", ".",
             "\n", "\n\n", " ", "\t", "1.", "a)", "các", "những", "Chủ tịch"]
    for _ in range(400):
        text = " ".join(rnd.choice(parts) for _ in range(rnd.randint(5, 60)))
        _same_lists_as_every_group(make_doc(text))


@pytest.mark.parametrize("folder", [SEEDS, Path(__file__).resolve().parent / "realworld" / "docs"])
def test_groups_near_names_give_the_lists_of_every_group_on_real_plans(folder):
    for path in sorted(folder.glob("*.txt")):
        for doc in load_document(path):
            _same_lists_as_every_group(doc)
def test_a_partner_named_after_các_is_still_a_partner():
    # pl8a_hcm_quyche: "Phối hợp với các Phòng Lao động - Thương binh và Xã hội quận - huyện kiểm tra …": the
    # plural of a named body is that body, a partner; an unnamed group after "các" stays unscored
    assert roles("8. Phối hợp với các Phòng Lao động - Thương binh và Xã hội quận - huyện kiểm tra việc thực hiện "
                 "chính sách tại các phường - xã, thị trấn.") == {("Phòng Lao động - Thương binh và Xã hội", "coordinate")}
    assert roles("Sở Y tế chủ trì, phối hợp với các sở, ngành liên quan triển khai kế hoạch.") == {("Sở Y tế", "lead")}


def test_a_markdown_heading_names_the_agencies_of_its_body():
    # pl8a_daknong_vienthong: "## Sở …" / "## Đề nghị các Sở: …" headings of a PDF converted to markdown, the role
    # verb opening the body below, as under "1. Sở …"
    assert roles("# TỔ CHỨC THỰC HIỆN\n\n## Sở Thông tin và Truyền thông (Giao Phòng Bưu chính Viễn thông)\n\n"
                 "- Chủ trì, phối hợp với các cơ quan, đơn vị có liên quan thực hiện kế hoạch này.\n") == {
        ("Sở Thông tin và Truyền thông", "lead")}
    assert roles("# TỔ CHỨC THỰC HIỆN\n\n## Đề nghị các Sở: Giao thông Vận tải, Xây dựng, Công thương\n\n"
                 "Chủ trì, phối hợp với Sở Thông tin và Truyền thông thực hiện chỉ đạo.\n") == {
        ("Sở Giao thông vận tải", "lead"), ("Sở Xây dựng", "lead"), ("Sở Công Thương", "lead"),
        ("Sở Thông tin và Truyền thông", "coordinate")}


def test_the_public_telecom_fund_is_a_named_national_body():
    # pl8a_daknong_vienthong: "Phối hợp với Quỹ dịch vụ viễn thông công ích, doanh nghiệp viễn thông …"
    assert roles("* Phối hợp với Quỹ dịch vụ viễn thông công ích, doanh nghiệp viễn thông và các cơ quan đơn vị liên "
                 "quan triển khai hiệu quả chương trình cung cấp dịch viễn thông công ích.") == {
        ("Quỹ Dịch vụ viễn thông công ích", "coordinate")}
