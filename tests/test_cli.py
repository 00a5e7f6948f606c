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


# ---- extract --json ------------------------------------------------------------------------

def _one_json(out: str) -> dict:
    import json

    lines = [ln for ln in out.splitlines() if ln.strip()]
    assert len(lines) == 1, out  # one object, nothing else on stdout
    return json.loads(lines[0])


def test_extract_json_summary(tmp_path, capsys):
    import sqlite3

    db = tmp_path / "x.db"
    corpus = tmp_path / "c"
    corpus.mkdir()
    shutil.copy(SEEDS / "001_4e92dafdfbb2aef4.txt", corpus / "ok.txt")
    shutil.copy(SEEDS / "001_4e92dafdfbb2aef4.txt", corpus / "copy.txt")
    (corpus / "bad.txt").write_bytes(b"\xff\xfe\xfd")
    (corpus / "photo.jpg").write_bytes(b"\xff\xd8")
    assert main(["extract", str(corpus), "--db", str(db), "--no-progress", "--json"]) == 1
    captured = capsys.readouterr()
    s = _one_json(captured.out)
    assert "bad.txt" in captured.err and any("bad.txt" in m for m in s["error_messages"])
    assert (s["files"], s["unchanged"], s["documents"], s["duplicates"], s["errors"]) == (3, 0, 1, 1, 1)
    assert s["formats"] == {"txt": 2} and s["skipped_other_types"] == {".jpg": 1}
    assert s["written"] is True and s["db"] == str(db) and s["seconds"] >= 0 and s["run_id"] == 1
    con = sqlite3.connect(db)
    for table in ("documents", "targets", "budgets", "agencies", "errors", "duplicates"):
        assert s["rows"][table] == con.execute(f"select count(*) from {table}").fetchone()[0], table
    assert s["rows"]["targets"] > 0 and not any("_fts" in t for t in s["rows"])
    con.close()
    # a re-run: every file unchanged, said in the same object
    main(["extract", str(corpus), "--db", str(db), "--no-progress", "--json"])
    again = _one_json(capsys.readouterr().out)
    assert again["unchanged"] >= 2 and again["rows"]["targets"] == s["rows"]["targets"]


def test_extract_json_on_an_empty_folder(tmp_path, capsys):
    (tmp_path / "empty").mkdir()
    assert main(["extract", str(tmp_path / "empty"), "--db", str(tmp_path / "x.db"), "--json"]) == 2
    captured = capsys.readouterr()
    s = _one_json(captured.out)
    assert s["written"] is False and s["files"] == 0 and s["rows"] == {}
    assert "no plan files" in captured.err and not (tmp_path / "x.db").exists()


def test_extract_json_from_the_shell(tmp_path):
    """The installed command: stdout holds the JSON object alone, whatever goes to stderr."""
    import json
    import subprocess
    import sys

    r = subprocess.run([sys.executable, "-m", "chitieu.pipeline.cli", "extract", str(SEEDS / "001_4e92dafdfbb2aef4.txt"),
                        "--db", str(tmp_path / "x.db"), "--json"], capture_output=True, text=True, timeout=300)
    assert r.returncode == 0, r.stderr
    assert json.loads(r.stdout)["documents"] == 1


# ---- where metadata.json is written --------------------------------------------------------

def test_extract_writes_no_metadata_beside_a_database_elsewhere(tmp_path, capsys):
    db = tmp_path / "somewhere" / "plans.db"
    assert main(["extract", str(SEEDS / "001_4e92dafdfbb2aef4.txt"), "--db", str(db), "--no-progress"]) == 0
    assert sorted(p.name for p in db.parent.iterdir()) == ["plans.db"]
    # export writes it into its output folder, not beside the database
    assert main(["export", "--db", str(db), "--out", str(tmp_path / "csv")]) == 0
    assert (tmp_path / "csv" / "metadata.json").exists()
    assert not (db.parent / "metadata.json").exists()


def test_extract_writes_metadata_into_the_projects_outputs(tmp_path, monkeypatch, capsys):
    import json

    monkeypatch.chdir(tmp_path)
    assert main(["extract", str(SEEDS / "001_4e92dafdfbb2aef4.txt"), "--no-progress", "--json"]) == 0
    s = _one_json(capsys.readouterr().out)
    meta = tmp_path / "outputs" / "metadata.json"
    assert s["metadata"] == str(meta.resolve()) and (tmp_path / "outputs" / "chitieu.db").exists()
    assert "chitieu" in json.loads(meta.read_text(encoding="utf-8"))["databases"]
    # the same folder given by its absolute path is the same folder
    meta.unlink()
    main(["extract", str(SEEDS / "001_4e92dafdfbb2aef4.txt"), "--db", str(tmp_path / "outputs" / "b.db"),
          "--no-progress"])
    assert "b" in json.loads(meta.read_text(encoding="utf-8"))["databases"]


# ---- export --format parquet on a file that is not a database -----------------------------

def test_parquet_export_of_a_non_database_is_a_one_line_error(tmp_path, capsys):
    bad = tmp_path / "notes.db"
    bad.write_text("not a database", encoding="utf-8")
    # the same opener as CSV (export.open_database), before pyarrow is needed: installed or not
    assert main(["export", "--format", "parquet", "--db", str(bad), "--out", str(tmp_path / "o")]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "notes.db" in err and "not an SQLite database" in err
    assert not (tmp_path / "o").exists()
    assert main(["export", "--format", "parquet", "--db", str(tmp_path), "--out", str(tmp_path / "o")]) == 2
    assert "not a database file" in capsys.readouterr().err


def test_extract_json_with_a_file_name_that_is_not_utf8(tmp_path):
    """A name's undecodable bytes reach stdout as JSON escapes, not as an encoding error."""
    import json
    import os
    import subprocess
    import sys

    corpus = tmp_path / "c"
    corpus.mkdir()
    bad = os.fsdecode(bytes(corpus) + b"/k\xe1 ho\xe1ch.txt")  # Latin-1 bytes, not UTF-8
    with open(bad, "wb") as fh:
        fh.write(b"\xff\xfe\xfd")  # unreadable too: an error naming the file
    fifo = os.fsdecode(bytes(corpus) + b"/\xe1ng.txt")
    os.mkfifo(fifo)  # in a folder, not read: named in not_read
    r = subprocess.run([sys.executable, "-m", "chitieu.pipeline.cli", "extract", str(corpus),
                        "--db", str(tmp_path / "x.db"), "--json", "--no-progress"],
                       capture_output=True, timeout=300, env={**os.environ, "PYTHONIOENCODING": "utf-8"})
    assert r.returncode == 1, r.stderr.decode("utf-8", "replace")
    s = json.loads(r.stdout.decode("utf-8"))
    shown = {os.path.basename(bad), os.fsencode(os.path.basename(bad)).decode("utf-8", "replace")}
    assert s["errors"] == 1 and any(n in m for m in s["error_messages"] for n in shown), s["error_messages"]
    assert [os.fsencode(e["path"]) for e in s["not_read"]] == [os.fsencode(fifo)]  # the exact bytes, back
