"""The command line never shows a traceback for what a researcher can cause: a file that is not
a database, a database locked by another process, a pipe closed by `head` (the libraries' own
tests are tests/test_export.py, test_publish.py, test_review.py)."""
from __future__ import annotations

from pathlib import Path

from chitieu.pipeline.cli import main


def test_cli_not_a_database_and_closed_pipe(tmp_path, seed_db, capsys):
    import subprocess
    import sys

    bad = tmp_path / "notes.db"
    bad.write_text("not a database", encoding="utf-8")
    for cmd in (["compare", "--db", str(bad)], ["export", "--db", str(bad), "--out", str(tmp_path / "o")]):
        assert main(cmd) == 2
        err = capsys.readouterr().err
        assert err.startswith("error: ") and "notes.db" in err and "Traceback" not in err
    chitieu = Path(sys.executable).parent / "chitieu"
    p = subprocess.run(f"{chitieu} compare --db {seed_db} | head -1", shell=True, capture_output=True, text=True)
    assert p.stdout.strip() and "Traceback" not in p.stderr and "BrokenPipe" not in p.stderr


def test_cli_locked_database_is_one_line(seed_db, tmp_path, monkeypatch, capsys):
    import sqlite3

    import chitieu.pipeline.publish as pub

    monkeypatch.setattr(pub, "BUSY_TIMEOUT", 0.3)
    holder = sqlite3.connect(seed_db, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    try:
        code = main(["export", "--db", str(seed_db), "--out", str(tmp_path / "x")])
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    err = capsys.readouterr().err
    assert code == 2 and err.startswith("error: ") and "Traceback" not in err
