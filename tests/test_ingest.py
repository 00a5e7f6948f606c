"""Ingest: encodings, refusals with file and byte offset, discovery, legacy fonts."""
import codecs

import pytest

from chitieu.pipeline.ingest import IngestError, decode, discover, read_file


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
    from chitieu.pipeline.ingest import convert_legacy

    text = "Đạt 90% số cơ quan, tổ chức thực hiện phân công, bố trí nhân sự làm công tác xã hội."
    assert convert_legacy(text) == (text, None)


# ---- legacy encodings (fixtures built by scripts/make_format_fixtures.py from seed 001) ----

from pathlib import Path  # noqa: E402

LEGACY = Path(__file__).parent / "data" / "formats" / "legacy"
NEWS = (Path(__file__).parent.parent / "corpora" / "seeds" / "001_4e92dafdfbb2aef4.txt").read_text(encoding="utf-8")


@pytest.mark.parametrize("name, note, expected", [
    ("news_cp1258.txt", "Windows-1258", NEWS),
    ("news_vni_8bit.txt", "8-bit VNI", NEWS),
    # TCVN3 writes accented capitals in a separate font with the small letters' codes
    ("news_tcvn3_8bit.txt", "8-bit TCVN3", NEWS.lower()),
    # VISCII has no en dash: the fixture writes a hyphen
    ("news_viscii_8bit.txt", "8-bit VISCII", NEWS.replace("–", "-")),
    ("news_nul.txt", "dropped 1 NUL character", NEWS),
])
def test_8bit_legacy_and_windows_1258_bytes_are_decoded_with_a_note(name, note, expected):
    src = read_file(LEGACY / name)
    text = src.text.lower() if "TCVN3" in note else src.text
    assert text.strip() == expected.strip()
    assert any(note in n for n in src.notes), src.notes


def test_vni_saved_as_unicode_is_converted():
    # VNI's â ê ô are Latin-1 letters too: the old "any Vietnamese letter" check let it through
    src = read_file(LEGACY / "news_vni_unicode.txt")
    assert src.legacy_encoding == "vni"
    assert src.text.strip() == NEWS.strip()


@pytest.mark.parametrize("name", ["news_vntime.docx", "news_vntime.doc"])
def test_legacy_font_inside_word_files_is_converted(name):
    if name.endswith(".doc"):
        import shutil

        if not any(shutil.which(x) for x in ("soffice", "libreoffice", "antiword", "catdoc")):
            pytest.skip("no .doc reader installed (libreoffice-writer-nogui, antiword or catdoc)")
    src = read_file(LEGACY / name)
    assert src.legacy_encoding == "tcvn3"
    assert src.text.strip().lower() == NEWS.strip().lower()


def test_legacy_font_inside_a_pdf_is_converted():
    src = read_file(LEGACY / "news_vntime.pdf")
    assert src.legacy_encoding == "tcvn3"
    # Unavoidable in this fixture: TCVN3's "ư" is the soft-hyphen code, which a PDF renderer
    # without the .VnTime font does not draw, so it is not in the text layer ("Chơng").
    assert src.text.startswith("An Lão, ban hành Chơng trình phát triển công tác xã hội")
    # (and, as in every TCVN3 fixture, accented capitals are small letters: "đạt 50%")
    assert "đạt 50% số cơ quan, tổ chức, trờng học" in " ".join(src.text.split())


def test_many_nuls_are_binary_content(tmp_path):
    f = tmp_path / "bin.txt"
    f.write_bytes(b"Ke hoach\x00\x00\x00 so 1\x00\x00")
    with pytest.raises(IngestError, match="binary content"):
        read_file(f)


def test_short_invalid_utf8_is_not_guessed_as_a_legacy_encoding(tmp_path):
    f = tmp_path / "short.txt"
    f.write_bytes("Kế hoạch ".encode("utf-8") + b"\xe9t\xe9 ")
    with pytest.raises(IngestError, match="not valid UTF-8"):
        read_file(f)


# ---- discovery: special files, size cap, other types ----------------------------------------

import os  # noqa: E402
import socket  # noqa: E402
import sqlite3  # noqa: E402

from chitieu.pipeline.ingest import discover_report  # noqa: E402
from chitieu.pipeline.run import extract_paths  # noqa: E402

GOOD = (Path(__file__).parent.parent / "corpora" / "seeds" / "004_7957dd705c424d21.txt").read_bytes()


def test_folders_count_other_types_and_report_special_entries(tmp_path):
    (tmp_path / "plan.TXT").write_bytes(GOOD)
    (tmp_path / "Plan.Docx").write_bytes(b"x")  # suffixes are matched case-insensitively
    for n in ("a.jpg", "b.jpg", "c.zip"):
        (tmp_path / n).write_bytes(b"x")
    (tmp_path / ".DS_Store").write_bytes(b"x")
    os.mkfifo(tmp_path / "pipe.txt")
    os.symlink(tmp_path / "gone.txt", tmp_path / "dangling.txt")
    sock = socket.socket(socket.AF_UNIX)
    sock.bind(str(tmp_path / "s.sock"))
    try:
        rep = discover_report([tmp_path])
    finally:
        sock.close()
    assert sorted(p.name for p in rep.files) == ["Plan.Docx", "plan.TXT"]
    assert "skipped 3 files of other types: .jpg 2, .zip 1" in rep.summary()
    kinds = {Path(p).name: k for p, k in rep.special}
    assert kinds == {"pipe.txt": "FIFO", "dangling.txt": "dangling symbolic link", "s.sock": "socket"}
    assert "not read 3 non-regular entries" in rep.summary()


def test_explicit_fifo_and_device_are_refused_without_reading(tmp_path):
    fifo = tmp_path / "p.txt"
    os.mkfifo(fifo)
    with pytest.raises(IngestError, match=r"not a regular file \(FIFO\)"):
        read_file(fifo)  # would block forever if opened
    with pytest.raises(IngestError, match="not a regular file"):
        read_file("/dev/zero")


def test_size_cap_is_an_error_row_and_the_run_goes_on(tmp_path):
    (tmp_path / "big.txt").write_bytes(GOOD * 20)
    (tmp_path / "ok.txt").write_bytes(GOOD)
    db = tmp_path / "x.db"
    summary = extract_paths([tmp_path], db, max_bytes=len(GOOD) * 2)
    assert summary.documents == 1
    (msg,) = [m for (m,) in sqlite3.connect(db).execute("select message from errors")]
    assert msg.startswith("file too large") and "--max-size" in msg


def test_unsupported_type_by_name_is_an_error_row(tmp_path):
    (tmp_path / "ok.txt").write_bytes(GOOD)
    (tmp_path / "photo.jpg").write_bytes(b"x")
    summary = extract_paths([tmp_path / "ok.txt", tmp_path / "photo.jpg"], tmp_path / "x.db")
    assert summary.documents == 1
    assert any("unsupported file type '.jpg'" in m for m in summary.error_messages)


def test_empty_folder_or_missing_path_creates_no_database_and_exits_non_zero(tmp_path, capsys):
    from chitieu.pipeline.cli import main

    (tmp_path / "empty").mkdir()
    (tmp_path / "pics").mkdir()
    (tmp_path / "pics" / "a.jpg").write_bytes(b"x")
    for target in ("empty", "pics", "missing"):
        db = tmp_path / f"{target}.db"
        assert main(["extract", str(tmp_path / target), "--db", str(db), "--no-progress"]) == 2
        assert not db.exists()
    err = capsys.readouterr().err
    assert "no plan files found" in err and "skipped 1 file of other types: .jpg 1" in err
    assert "no such file or folder" in err
