"""Ingest: encodings, refusals with file and byte offset, discovery, legacy fonts."""
import codecs

import pytest

from pipeline.ingest import IngestError, decode, discover, read_file


def test_utf8_with_and_without_bom(tmp_path):
    a = tmp_path / "a.txt"
    b = tmp_path / "b.txt"
    a.write_bytes("Kế hoạch số 1/KH-UBND".encode("utf-8"))
    b.write_bytes(codecs.BOM_UTF8 + "Kế hoạch số 1/KH-UBND".encode("utf-8"))
    assert read_file(a).text == read_file(b).text == "Kế hoạch số 1/KH-UBND"


def test_utf16_with_bom(tmp_path):
    f = tmp_path / "u16.txt"
    f.write_bytes("Ủy ban nhân dân tỉnh Bắc Ninh".encode("utf-16"))  # Python writes a BOM
    assert read_file(f).text == "Ủy ban nhân dân tỉnh Bắc Ninh"


def test_invalid_utf8_names_file_and_byte_offset(tmp_path):
    f = tmp_path / "bad.txt"
    f.write_bytes("Kế hoạch ".encode("utf-8") + b"\xff\xfe\x00abc")
    with pytest.raises(IngestError) as e:
        read_file(f)
    assert "bad.txt" in str(e.value)
    assert "byte offset 13" in str(e.value)  # "Kế hoạch " is 13 bytes in UTF-8


def test_decode_never_replaces_bytes():
    with pytest.raises(IngestError):
        decode(b"abc\x80def", "x.txt")


def test_empty_file_is_an_error(tmp_path):
    f = tmp_path / "empty.txt"
    f.write_bytes(b"  \n\n")
    with pytest.raises(IngestError, match="empty"):
        read_file(f)


def test_discover_recurses_sorts_and_skips_other_files(tmp_path):
    (tmp_path / "b").mkdir()
    (tmp_path / "b" / "2.txt").write_text("x", encoding="utf-8")
    (tmp_path / "1.txt").write_text("x", encoding="utf-8")
    (tmp_path / "notes.md").write_text("x", encoding="utf-8")
    (tmp_path / "photo.jpg").write_bytes(b"x")
    found = [p.name for p in discover([tmp_path])]
    assert found == ["1.txt", "2.txt", "notes.md"]


def test_missing_path_is_an_error(tmp_path):
    with pytest.raises(IngestError, match="no such file"):
        list(discover([tmp_path / "nope"]))


def test_tcvn3_legacy_font_is_converted(tmp_path):
    f = tmp_path / "tcvn3.txt"
    f.write_text("KÕ ho¹ch thùc hiÖn ch­¬ng tr×nh ph¸t triÓn c«ng t¸c x· héi giai ®o¹n 2021 - 2025 "
                 "trªn ®Þa bµn tØnh. Céng hoµ x· héi chñ nghÜa ViÖt Nam", encoding="utf-8")
    src = read_file(f)
    assert src.legacy_encoding == "tcvn3"
    assert src.text.startswith("Kế hoạch thực hiện chương trình phát triển công tác xã hội")


def test_unicode_text_is_not_converted():
    from pipeline.ingest import convert_legacy

    text = "Đạt 90% số cơ quan, tổ chức thực hiện phân công, bố trí nhân sự làm công tác xã hội."
    assert convert_legacy(text) == (text, None)
