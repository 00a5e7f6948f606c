"""Issue 8: a run never dies on one file. Each reproduction of the issue is a test here:
values SQLite cannot hold, odd file names, a document twice in one file, an exception in any
stage, a failing insert, a file past its time budget, file identity by resolved path, copies,
pruning, interrupted runs, and the quadratic paths of ``clean``."""
import os
import shutil
import sqlite3
import time
from pathlib import Path

import pytest

from chitieu import extractors
from chitieu.pipeline import cli
from chitieu.pipeline.clean import clean
from chitieu.pipeline.run import TimeBudget, extract_paths
from chitieu.pipeline.store import Store

SEEDS = Path(__file__).resolve().parent.parent / "corpora" / "seeds"
GOOD = ["001_4e92dafdfbb2aef4", "004_7957dd705c424d21"]


def _rows(db, sql, args=()):
    con = sqlite3.connect(db)
    try:
        return con.execute(sql, args).fetchall()
    finally:
        con.close()


def _good(folder: Path, *names: str) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    for seed, name in zip(GOOD, names):
        shutil.copy(SEEDS / f"{seed}.txt", folder / name)


def _errors(db):
    return _rows(db, "select file, stage, message, exception from errors")


# a ~3 KB document on fewer than 4 lines (clean's block dedupe needs 4): motto, number line, one long line
_DOC = ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nSố: 12/KH-UBND\n"
        + "Kế hoạch thực hiện năm 2026: phấn đấu đạt 90% số hộ được hỗ trợ, giảm 5% tỷ lệ hộ nghèo. " * 32)


def test_a_folder_of_bad_inputs_between_good_plans(tmp_path):
    """The issue's test: every good plan stored, each bad input its errors row, nothing lost."""
    c = tmp_path / "c"
    _good(c, "a_good.txt", "z_good.txt")
    (c / "b_money.txt").write_text("KẾ HOẠCH\nKinh phí thực hiện: 10.000.000.000 tỷ đồng.\n", encoding="utf-8")
    (c / "c_percent.txt").write_text("KẾ HOẠCH\nPhấn đấu đạt 12345678901234567890% số hộ.\n", encoding="utf-8")
    (c / "d_digits.txt").write_text("KẾ HOẠCH\nPhấn đấu đạt " + "9" * 5000 + "% số hộ.\n", encoding="utf-8")
    (c / "e_twice.txt").write_text(_DOC + "\n" + _DOC, encoding="utf-8")
    with open(os.fsencode(c) + b"/f_\xe9\xff.txt", "wb") as f:
        f.write((SEEDS / "002_a56078c2bb1392fe.txt").read_bytes())
    db = tmp_path / "x.db"
    s = extract_paths([c], db)
    stored = {p for (p,) in _rows(db, "select source_path from documents")}
    # every file has its document stored, the bad values apart
    for name in ("a_good.txt", "z_good.txt", "b_money.txt", "c_percent.txt", "d_digits.txt", "e_twice.txt",
                 "f_\ufffd\ufffd.txt"):
        assert str(c / name) in stored, name
    assert s.files == 7 and s.documents == 7
    errs = _errors(db)
    money = [m for f, st, m, _ in errs if f.endswith("b_money.txt")]
    assert money and "10000000000000000000" in money[0] and "64-bit" in money[0]
    assert [st for f, st, m, _ in errs if f.endswith("b_money.txt")] == ["extract:budgets"]
    assert any(f.endswith("c_percent.txt") and "12345678901234567890" in m for f, st, m, _ in errs)
    assert not any(Path(f).name.startswith(("e_", "f_", "a_", "z_")) for f, *_ in errs)
    assert _rows(db, "pragma integrity_check") == [("ok",)]


def test_values_sqlite_cannot_hold_are_refused_in_one_place():
    from chitieu.pipeline.store import check_row

    assert check_row("t", {"a": 2 ** 63 - 1, "b": -(2 ** 63), "c": 1.5, "d": "x", "e": None}) == []
    bad = check_row("t", {"a": 2 ** 63, "b": float("inf"), "c": float("nan"), "d": 1.2345678901234567e19,
                          "e": "\udce9", "f": -(2 ** 63) - 1, "g": 9_007_199_254_740_992.0})
    assert [m.split(" =")[0] for m in bad] == ["t.a", "t.b", "t.c", "t.d", "t.e", "t.f"]


def test_a_document_twice_in_one_file_is_kept_once_with_a_note(tmp_path):
    c = tmp_path / "c"
    c.mkdir()
    (c / "twice.txt").write_text(_DOC + "\n" + _DOC, encoding="utf-8")
    db = tmp_path / "x.db"
    s = extract_paths([c], db)
    assert s.errors == 0 and s.documents == 1
    (notes,), = _rows(db, "select notes from documents")
    assert "part 1 of the file repeats this document; stored once" in notes
    assert _rows(db, "select part from duplicates") == [(1,)]


def test_a_file_name_that_is_not_utf8_is_stored_losslessly(tmp_path):
    c = os.fsencode(tmp_path / "c")
    os.mkdir(c)
    name = c + b"/x_\xe9\xff.txt"
    with open(name, "wb") as f:
        f.write((SEEDS / "001_4e92dafdfbb2aef4.txt").read_bytes())
    db = tmp_path / "x.db"
    s = extract_paths([os.fsdecode(c)], db)
    assert s.errors == 0 and s.documents == 1
    (shown, raw), = _rows(db, "select source_path, source_path_bytes from sources")
    assert raw == name and shown.endswith("x_\ufffd\ufffd.txt")
    assert _rows(db, "select source_path from documents") == [(shown,)]
    again = extract_paths([os.fsdecode(c)], db)
    assert again.skipped == 1


def test_an_exception_in_any_stage_is_an_errors_row(tmp_path, monkeypatch):
    c = tmp_path / "c"
    _good(c, "a.txt", "b.txt")

    def boom(doc):
        raise RuntimeError("extractor bug")

    monkeypatch.setattr(extractors.TABLES["agencies"], "extract", boom)
    db = tmp_path / "x.db"
    s = extract_paths([c], db)
    assert s.documents == 2
    errs = _errors(db)
    assert len(errs) == 2 and all(st == "extract:agencies" and exc == "RuntimeError" and "extractor bug" in m
                                  for _, st, m, exc in errs)
    assert _rows(db, "select count(*) from targets")[0][0] > 0  # the other tables are stored
    assert _rows(db, "select count(*) from agencies")[0][0] == 0


def test_a_failing_insert_loses_only_its_file(tmp_path, monkeypatch):
    c = tmp_path / "c"
    _good(c, "a.txt", "b.txt")
    real = Store.replace_file

    def fail_for_b(self, source, *args, **kw):
        real(self, source, *args, **kw)  # writes, then fails: the savepoint must undo them
        if source["source_path"].endswith("b.txt"):
            raise sqlite3.IntegrityError("simulated")

    monkeypatch.setattr(Store, "replace_file", fail_for_b)
    db = tmp_path / "x.db"
    s = extract_paths([c], db)
    assert s.documents == 1
    assert [p for (p,) in _rows(db, "select source_path from documents")] == [str(c / "a.txt")]
    assert [(st, exc) for f, st, m, exc in _errors(db)] == [("store", "IntegrityError")]
    assert _rows(db, "select status from sources where source_path like '%b.txt'") == [("error",)]


def test_a_file_past_its_time_budget_is_an_errors_row(tmp_path, before_budgets):
    c = tmp_path / "c"
    _good(c, "a.txt", "b.txt")
    def slow_for_b(doc):
        if doc.source_path.endswith("b.txt"):
            time.sleep(30)

    before_budgets(slow_for_b)
    db = tmp_path / "x.db"
    t0 = time.monotonic()
    s = extract_paths([c], db, budget=TimeBudget(base=1.0, per_100kb=0.1))
    assert time.monotonic() - t0 < 15
    assert s.documents == 1
    (f, st, m, exc), = _errors(db)
    assert f.endswith("b.txt") and st == "extract:budgets" and "took longer than" in m and exc == "FileTimeout"


def test_identity_is_the_resolved_path(tmp_path, monkeypatch):
    c = tmp_path / "corpus"
    _good(c, "a.txt", "b.txt")
    db = tmp_path / "x.db"
    extract_paths([c.resolve()], db)
    monkeypatch.chdir(tmp_path)
    again = extract_paths(["corpus"], db)
    assert again.errors == 0 and again.skipped == 2
    assert cli.main(["extract", "./corpus/../corpus", "--db", str(db), "--no-progress"]) == 0
    # an edited file under another spelling replaces its rows
    f = c / "a.txt"
    f.write_text(f.read_text(encoding="utf-8") + "\nGhi chú: bản sửa.\n", encoding="utf-8")
    s = extract_paths(["corpus/a.txt"], db)
    assert s.errors == 0
    assert _rows(db, "select count(*) from documents")[0][0] == 2
    assert _rows(db, "select count(*) from documents where source_key = ?", [str(f.resolve())])[0][0] == 1


def test_a_copy_under_another_name_is_stored_once_and_skipped_on_reruns(tmp_path):
    c = tmp_path / "c"
    _good(c, "a.txt")
    shutil.copy(c / "a.txt", c / "copy of a.txt")
    db = tmp_path / "x.db"
    assert cli.main(["extract", str(c), "--db", str(db), "--no-progress"]) == 0
    assert _rows(db, "select count(*) from documents")[0][0] == 1
    (copy, stored_in), = _rows(db, "select source_path, stored_in from duplicates")
    assert copy.endswith("copy of a.txt") and stored_in.endswith("/a.txt")
    again = extract_paths([c], db)
    assert again.skipped == 2 and again.errors == 0
    # the original goes away: the copy takes over on the next run
    (c / "a.txt").unlink()
    s = extract_paths([c], db, prune=True)
    assert s.pruned == 1
    s = extract_paths([c], db)
    assert [p for (p,) in _rows(db, "select source_path from documents")] == [str(c / "copy of a.txt")]


def test_prune_removes_files_no_longer_present(tmp_path):
    c = tmp_path / "c"
    _good(c, "a.txt", "b.txt")
    other = tmp_path / "other"
    other.mkdir()
    shutil.copy(SEEDS / "002_a56078c2bb1392fe.txt", other / "o.txt")
    db = tmp_path / "x.db"
    extract_paths([c, other], db)
    (c / "b.txt").unlink()
    s = extract_paths([c], db)
    assert _rows(db, "select count(*) from documents")[0][0] == 3  # without --prune rows stay
    s = extract_paths([c], db, prune=True)
    assert s.pruned == 1 and "1 files pruned" in s.line()
    paths = sorted(p for (p,) in _rows(db, "select source_path from documents"))
    assert paths == [str(c / "a.txt"), str(other / "o.txt")]  # outside the given path: kept
    for table in extractors.TABLES:
        assert _rows(db, f"select count(*) from [{table}] where doc_id not in (select doc_id from documents)") \
            == [(0,)]
    assert extract_paths([tmp_path / "unmounted"], db, prune=True).pruned == 0


def test_an_unfinished_run_is_marked_interrupted(tmp_path):
    c = tmp_path / "c"
    _good(c, "a.txt")
    db = tmp_path / "x.db"
    store = Store(db)
    with store.transaction():
        store.db.execute("insert into runs (started, pid) values ('2026-01-01T00:00:00+00:00', 999999999)")
    store.close()
    extract_paths([c], db)
    assert _rows(db, "select run_id, finished is null, status from runs") == [(1, 1, "interrupted"),
                                                                             (2, 0, "finished")]


@pytest.mark.parametrize("name,text,limit", [
    ("pipe debris line (256 KB)", "| a " * 64_000 + "x", 5.0),
    ("one-cell-per-line table (16,000 rows)",
     "\n".join(f"| {i} |\n| Sở Y tế |\n| đạt |" for i in range(16_000 // 3)) + "\n" +
     "\n".join(f"| {i} |" for i in range(16_000)), 5.0),
    ("hard-wrapped lines re-joined (20,000)", "Mở đầu\n" + "\n".join(f"và tiếp tục {i}" for i in range(20_000)),
     5.0),
])
def test_clean_is_not_quadratic(name, text, limit):
    """Were 7.5 s (64 KB pipe line) and 98 s (16,000 rows); bounds are loose on a shared machine."""
    t0 = time.perf_counter()
    clean(text)
    assert time.perf_counter() - t0 < limit, name


def test_a_worker_that_dies_loses_only_its_file(tmp_path, before_budgets):
    """--jobs: a worker killed on one file (out of memory, a crash in C) is an errors row for that
    file; the other files are stored. (Workers are forked, so they inherit the patch.)"""
    import multiprocessing

    if multiprocessing.get_start_method() != "fork":
        pytest.skip("needs forked workers to inherit the patched extractor")
    c = tmp_path / "c"
    c.mkdir()
    for i in range(6):
        (c / f"{i}.txt").write_text((SEEDS / f"{GOOD[0]}.txt").read_text(encoding="utf-8") + f"\nGhi chú {i}.\n",
                                    encoding="utf-8")

    def crash_on_3(doc):
        if doc.source_path.endswith("3.txt"):
            os._exit(9)

    before_budgets(crash_on_3)
    db = tmp_path / "x.db"
    s = extract_paths([c], db, jobs=2)
    assert s.documents == 5
    (f, st, m, exc), = _errors(db)
    assert f.endswith("3.txt") and "worker process died" in m and exc == "BrokenProcessPool"
