"""The chitieu command: extract, export, exit codes."""
import csv
import shutil
from pathlib import Path

from chitieu.pipeline.cli import main

SEEDS = Path(__file__).resolve().parent.parent / "corpora" / "seeds"


def test_extract_then_export(tmp_path, capsys):
    db = tmp_path / "out" / "chitieu.db"
    assert main(["extract", str(SEEDS), "--db", str(db), "--no-progress"]) == 0
    out = capsys.readouterr().out
    assert "5 files" in out and "7 documents" in out and "0 errors" in out
    assert main(["export", "--db", str(db), "--out", str(tmp_path / "csv")]) == 0
    with (tmp_path / "csv" / "documents.csv").open(encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    assert len(rows) == 7 and "text" not in rows[0]
    assert {r["doc_number"] for r in rows} >= {"157/KH-UBND", "57/KH-UBND", "8994/KH-UBND"}
    assert (tmp_path / "csv" / "runs.csv").exists()


def test_export_with_bom_for_excel(tmp_path):
    db = tmp_path / "x.db"
    main(["extract", str(SEEDS / "001_4e92dafdfbb2aef4.txt"), "--db", str(db), "--no-progress"])
    main(["export", "--db", str(db), "--out", str(tmp_path), "--bom", "--with-text"])
    raw = (tmp_path / "documents.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    assert "An Lão" in raw.decode("utf-8-sig")
    assert "text" in raw.decode("utf-8-sig").splitlines()[0].split(",")


def test_failing_file_gives_nonzero_exit_and_stderr(tmp_path, capsys):
    corpus = tmp_path / "c"
    corpus.mkdir()
    shutil.copy(SEEDS / "001_4e92dafdfbb2aef4.txt", corpus / "ok.txt")
    (corpus / "bad.txt").write_bytes(b"\xff\xfe\xfd")
    code = main(["extract", str(corpus), "--db", str(tmp_path / "x.db"), "--no-progress"])
    captured = capsys.readouterr()
    assert code == 1
    assert "bad.txt" in captured.err and "1 errors" in captured.out and "1 documents" in captured.out


def test_export_of_missing_db_is_a_clear_error(tmp_path, capsys):
    assert main(["export", "--db", str(tmp_path / "none.db"), "--out", str(tmp_path)]) == 2
    assert "no such database" in capsys.readouterr().err


def test_every_command_has_a_help_line(capsys):
    import pytest

    with pytest.raises(SystemExit):
        main(["--help"])
    out = capsys.readouterr().out
    for name in ("extract", "export", "compare", "eval", "explain", "review"):
        line = next(ln for ln in out.splitlines() if ln.strip().startswith(name + " "))
        assert len(line.split()) > 1, f"{name} has no help line"
