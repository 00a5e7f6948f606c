"""The whole path into SQLite: documents, runs, errors, idempotent re-runs, replaced files."""
import shutil
import sqlite3
from pathlib import Path

from chitieu.pipeline.run import extract_paths

SEEDS = Path(__file__).resolve().parent.parent / "corpora" / "seeds"


def _rows(db, sql):
    con = sqlite3.connect(db)
    try:
        return con.execute(sql).fetchall()
    finally:
        con.close()


def _corpus(tmp_path, *seeds_as):
    """A corpus folder holding seed plans under new names: ("001_4e92dafdfbb2aef4", "a.txt"), …"""
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for seed, name in seeds_as:
        shutil.copy(SEEDS / f"{seed}.txt", corpus / name)
    return corpus


def _snapshot(db):
    con = sqlite3.connect(db)
    tables = [r[0] for r in con.execute("select name from sqlite_master where type='table' and name not in ('runs','errors')")]
    snap = {t: sorted(map(repr, con.execute(f"select * from [{t}]"))) for t in tables}
    con.close()
    return snap


def test_seeds_give_seven_documents(seed_db):
    rows = _rows(seed_db, "select source_path, part from documents order by source_path, part")
    assert len(rows) == 7
    assert [p for s, p in rows if s.endswith("003_8a09083248992581.txt")] == [0, 1, 2]


def test_document_text_is_the_stored_evidence(seed_db):
    for text, start, end in _rows(seed_db, "select text, char_start, char_end from documents"):
        assert len(text) == end - start
        assert text == text.strip()


def test_rerun_adds_nothing_and_changes_nothing(tmp_path):
    corpus = tmp_path / "corpus"
    shutil.copytree(SEEDS, corpus)
    db = tmp_path / "x.db"
    first = extract_paths([corpus], db)
    before = _snapshot(db)
    second = extract_paths([corpus], db)
    assert second.skipped == 5 and second.documents == first.documents == 7
    assert _snapshot(db) == before
    forced = extract_paths([corpus], db, force=True)
    assert forced.skipped == 0
    assert _snapshot(db) == before  # same text -> same ids and values
    assert _rows(db, "select count(*) from runs")[0][0] == 3


def test_changed_file_replaces_its_rows(tmp_path):
    corpus = _corpus(tmp_path, ("004_7957dd705c424d21", "plan.txt"))
    f = corpus / "plan.txt"
    db = tmp_path / "x.db"
    extract_paths([corpus], db)
    old_id = _rows(db, "select doc_id from documents")[0][0]
    f.write_text(f.read_text(encoding="utf-8").replace("Kim Trà", "Thủy Xuân"), encoding="utf-8")
    extract_paths([corpus], db)
    rows = _rows(db, "select doc_id, locality from documents")
    assert len(rows) == 1 and rows[0][0] != old_id and rows[0][1] == "Thủy Xuân"
    for table in [r[0] for r in _rows(db, "select name from sqlite_master where type='table'")]:
        cols = [c[1] for c in _rows(db, f"pragma table_info([{table}])")]
        if "doc_id" in cols and table != "documents":
            assert _rows(db, f"select count(*) from [{table}] where doc_id = '{old_id}'")[0][0] == 0, table


def test_bad_file_is_an_error_row_and_the_batch_goes_on(tmp_path):
    corpus = _corpus(tmp_path, ("001_4e92dafdfbb2aef4", "a.txt"))
    (corpus / "b.txt").write_bytes(b"K\xe1\xba\xbf ho\xff\xfe")
    (corpus / "c.txt").write_bytes(b"")
    db = tmp_path / "x.db"
    messages = []
    s = extract_paths([corpus], db, on_error=messages.append)
    assert s.errors == 2 and s.documents == 1
    errs = dict(_rows(db, "select file, message from errors"))
    assert any(k.endswith("b.txt") and "byte offset 7" in v for k, v in errs.items())
    assert any(k.endswith("c.txt") and "empty" in v for k, v in errs.items())
    assert any("b.txt" in m for m in messages)
    run = _rows(db, "select files, documents, errors from runs")[0]
    assert run == (3, 1, 2)


def test_a_broken_file_keeps_what_was_stored(tmp_path):
    corpus = _corpus(tmp_path, ("001_4e92dafdfbb2aef4", "a.txt"))
    f = corpus / "a.txt"
    db = tmp_path / "x.db"
    extract_paths([corpus], db)
    f.write_bytes(b"\xff broken now")
    s = extract_paths([corpus], db)
    assert s.errors == 1
    assert _rows(db, "select count(*) from documents")[0][0] == 1


def test_same_document_in_two_files_is_stored_once(tmp_path):
    corpus = _corpus(tmp_path, ("001_4e92dafdfbb2aef4", "a.txt"), ("001_4e92dafdfbb2aef4", "b.txt"))
    db = tmp_path / "x.db"
    s = extract_paths([corpus], db)
    assert _rows(db, "select count(*) from documents")[0][0] == 1
    # a copy is not an error (issue 8): it is recorded, naming both paths
    assert s.errors == 0 and s.duplicates == 1
    (copy, stored_in), = _rows(db, "select source_path, stored_in from duplicates")
    assert copy.endswith("b.txt") and stored_in.endswith("a.txt")


def test_parallel_jobs_give_the_same_database(tmp_path):
    corpus = tmp_path / "corpus"
    shutil.copytree(SEEDS, corpus)
    a, b = tmp_path / "a.db", tmp_path / "b.db"
    extract_paths([corpus], a, jobs=1)
    extract_paths([corpus], b, jobs=2)
    assert _snapshot(a) == _snapshot(b)
