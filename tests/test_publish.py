"""Publish: sqlite-utils' FTS layout kept by triggers (incremental, accent-folded, text indexed),
one transaction, bounded waits on locks, concurrent exports."""
from __future__ import annotations

import csv
import json
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
import sqlite_utils

from chitieu.pipeline import publish as publish_mod
from chitieu.pipeline.publish import DatabaseBusy, publish
from tests.test_datasette import copy_db, small_db

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def db(tmp_path):
    path = small_db(tmp_path / "plans.db")
    publish(path, tmp_path / "out")
    return path


def search(db: Path, table: str, q: str) -> list[str]:
    rows = sqlite_utils.Database(db)[table].search(q)
    return sorted(r.get("id") or r["doc_id"] for r in rows)


def cli_search(db: Path, table: str, q: str) -> list[str]:
    out = subprocess.run([sys.executable, "-m", "sqlite_utils", "search", str(db), table, q, "--csv"],
                         capture_output=True, text=True, check=True).stdout
    return sorted(r.get("id") or r["doc_id"] for r in csv.DictReader(out.splitlines()))


def test_sqlite_utils_search_finds_the_tables(db):
    assert sqlite_utils.Database(db)["targets"].detect_fts() == "targets_fts"
    for q in ("dak nong", "Dak Nong", "Đắk Nông", "đắk nông", "DAK NONG"):
        assert cli_search(db, "targets", q) == ["t1", "t2"], q  # the plan's place is indexed
    assert cli_search(db, "targets", "dak") == ["t1", "t2", "t5"]  # Đắk Nông and Đắk Lắk
    assert search(db, "agencies", "so y te") == ["a1", "a3"]
    assert search(db, "budgets", "đào tạo") == search(db, "budgets", "dao tao") == ["b1"]
    assert search(db, "documents", "an lao") == ["al"]


def test_document_text_is_indexed(tmp_path):
    path = small_db(tmp_path / "p.db")
    con = sqlite3.connect(path)
    con.execute("alter table documents add column text text")
    con.execute("update documents set text = 'Phát triển nghề công tác xã hội' where doc_id = 'bn'")
    con.commit()
    con.close()
    publish(path, tmp_path)
    assert search(path, "documents", "cong tac xa hoi") == ["bn"]  # in the text only, not the title
    assert search(path, "documents", "công tác xã hội") == ["bn"]


def test_triggers_keep_the_index_without_a_rebuild(db):
    con = sqlite3.connect(db)
    con.execute("insert into targets (id, doc_id, quote, indicator_text) values ('t9', 'al', 'Đạt 95% hộ nghèo', 'hộ nghèo')")
    con.execute("delete from targets where id = 't1'")
    con.execute("update targets set quote = 'đường giao thông' where id = 't4'")
    con.commit()
    con.close()
    assert search(db, "targets", "ho ngheo") == ["t9"]
    assert search(db, "targets", "an lao") == ["t3", "t9"]  # with its plan's place
    assert search(db, "targets", "dak nong") == ["t2"]
    assert search(db, "targets", "duong") == search(db, "targets", "đường") == ["t4"]
    assert search(db, "targets", "70") == []  # the old quote of t4 ("tập huấn cho 70% cán bộ") is gone


def test_a_moved_document_is_reindexed_on_publish(db, tmp_path):
    con = sqlite3.connect(db)
    con.execute("update documents set locality = 'Gia Nghĩa', province = 'Lâm Đồng' where doc_id = 'dn'")
    con.commit()
    con.close()
    publish(db, tmp_path)
    assert search(db, "targets", "lam dong") == ["t1", "t2"]
    assert search(db, "targets", "dak nong") == []
    assert search(db, "agencies", "gia nghia") == ["a1", "a2"]
    # the index stays consistent: deleting the rows afterwards removes exactly what was indexed
    con = sqlite3.connect(db)
    con.execute("delete from targets where doc_id = 'dn'")
    con.commit()
    assert con.execute("select count(*) from targets_fts_docsize").fetchone()[0] == 3
    con.close()
    assert search(db, "targets", "lam dong") == []


def _data_version_after(db: Path, action) -> tuple[int, int]:
    watcher = sqlite3.connect(db)
    before = watcher.execute("pragma data_version").fetchone()[0]
    action()
    after = watcher.execute("pragma data_version").fetchone()[0]
    watcher.close()
    return before, after


def test_a_second_publish_changes_nothing(db, tmp_path):
    before, after = _data_version_after(db, lambda: publish(db, tmp_path))
    assert before == after  # not one page of the database was written


def test_a_seed_rerun_touches_no_index(seed_db, tmp_path):
    from chitieu.pipeline.run import extract_paths

    db = copy_db(seed_db, tmp_path / "chitieu.db")
    publish(db, tmp_path)
    con = sqlite3.connect(db)
    fts = {t: con.execute(f"select count(*) from {t}_fts_docsize").fetchone()[0]
           for t in ("targets", "budgets", "agencies", "reporting", "documents")}
    assert fts["targets"] == con.execute("select count(*) from targets").fetchone()[0] > 0
    con.close()
    summary = extract_paths([str(ROOT / "corpora" / "seeds")], db)
    assert summary.skipped == summary.files == 5  # every file unchanged
    before, after = _data_version_after(db, lambda: publish(db, tmp_path))
    assert before == after


def test_publish_is_one_transaction(db, tmp_path, monkeypatch):
    con = sqlite3.connect(db)
    con.execute("drop table targets_fts")  # publish will have to rebuild it
    con.commit()
    con.close()

    def killed(*a, **k):
        raise KeyboardInterrupt("killed after the index was rebuilt")

    monkeypatch.setattr(publish_mod, "refresh_places", killed)
    with pytest.raises(KeyboardInterrupt):
        publish(db, tmp_path)
    con = sqlite3.connect(db)
    names = {r[0] for r in con.execute("select name from sqlite_master")}
    con.close()
    assert "targets_fts" not in names and "budgets_fts" in names  # rolled back: as it was before
    monkeypatch.undo()
    publish(db, tmp_path)
    assert search(db, "targets", "dak nong") == ["t1", "t2"]


def test_a_held_lock_gives_a_clear_message(db, tmp_path):
    holder = sqlite3.connect(db, isolation_level=None)
    holder.execute("begin immediate")
    holder.execute("insert into targets (id, doc_id, quote) values ('tx', 'dn', 'x')")
    try:
        with pytest.raises(DatabaseBusy, match="locked by another process.*waited 0.3 s") as e:
            publish(db, tmp_path, busy_timeout=0.3)
        assert str(db) in str(e.value)
    finally:
        holder.execute("commit")
        holder.close()
    publish(db, tmp_path, busy_timeout=0.3)  # works once the lock is released


def test_concurrent_exports(seed_db, tmp_path):
    db = copy_db(seed_db, tmp_path / "chitieu.db")
    out = tmp_path / "out"
    code = ("import sys; from chitieu.pipeline.cli import main; "
            f"sys.exit(main(['export', '--db', {str(db)!r}, '--out', {str(out)!r}]))")
    for _ in range(3):
        procs = [subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                  text=True, cwd=ROOT) for _ in range(2)]
        for p in procs:
            _, err = p.communicate(timeout=120)
            assert p.returncode == 0, err
    con = sqlite3.connect(db)
    n = con.execute("select count(*) from targets").fetchone()[0]
    assert con.execute("select count(*) from targets_fts_docsize").fetchone()[0] == n
    con.close()
    with (out / "targets.csv").open(encoding="utf-8") as fh:
        assert len(list(csv.DictReader(fh))) == n
    json.loads((out / "metadata.json").read_text(encoding="utf-8"))
    assert not list(out.glob(".*.tmp"))
