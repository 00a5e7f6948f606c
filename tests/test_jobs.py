"""--jobs: worker processes fed through an ordered, bounded window give the rows of one process."""
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from chitieu.pipeline import run
from chitieu.pipeline.run import default_jobs, extract_paths

ROOT = Path(__file__).resolve().parent.parent
SEEDS = sorted((ROOT / "corpora" / "seeds").glob("*.txt"))


def _snapshot(db):
    """Every table but runs, rows sorted, and the errors without their run ids."""
    con = sqlite3.connect(db)
    tables = [r[0] for r in con.execute("select name from sqlite_master where type='table' and name not in "
                                        "('runs', 'errors') and name not like '%_fts%'")]
    snap = {t: sorted(map(repr, con.execute(f"select * from [{t}]"))) for t in tables}
    snap["errors"] = sorted(con.execute("select file, stage, message from errors"))
    con.close()
    return snap


def _corpus(tmp_path, n):
    """n distinct files (each seed with its own closing line), one of them unreadable."""
    c = tmp_path / "c"
    c.mkdir()
    for i in range(n):
        text = SEEDS[i % len(SEEDS)].read_text(encoding="utf-8") + f"\nBản số {i}, lưu ngày {1 + i % 28}.\n"
        (c / f"{i:03d}.txt").write_text(text, encoding="utf-8")
    (c / "bad.txt").write_bytes(b"\xff broken")
    return c


def test_tasks_of_several_files_in_a_small_window_give_the_same_database(tmp_path, monkeypatch):
    """Files sent three at a time, one task in flight per worker (so results wait for the
    writer and arrive out of order from the workers): the same rows as one process."""
    corpus = _corpus(tmp_path, 13)
    a, b = tmp_path / "a.db", tmp_path / "b.db"
    s1 = extract_paths([corpus], a, jobs=1)
    monkeypatch.setattr(run, "_chunk_size", lambda files, jobs: 3)
    monkeypatch.setattr(run, "WINDOW_PER_WORKER", 1)
    s2 = extract_paths([corpus], b, jobs=2)
    assert (s1.documents, s1.errors) == (s2.documents, s2.errors) and s1.documents >= 13 and s1.errors == 1
    assert _snapshot(a) == _snapshot(b)


def test_chunks_are_small_for_small_runs():
    assert run._chunk_size(10, 2) == 1
    assert run._chunk_size(100_000, 2) == run.CHUNK_FILES


def test_default_jobs_is_the_cores_this_process_may_use(tmp_path):
    n = default_jobs(str(tmp_path / "no-cpu.max"))  # without a container's CPU quota
    expected = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    assert n == expected and n >= 1


@pytest.mark.skipif(not hasattr(os, "sched_setaffinity"), reason="needs os.sched_setaffinity (Linux)")
def test_default_jobs_follows_the_cpu_affinity():
    code = ("import os; os.sched_setaffinity(0, {sorted(os.sched_getaffinity(0))[0]})\n"
            "from chitieu.pipeline.run import default_jobs; print(default_jobs())")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "1"


def test_the_cli_defaults_to_one_worker_per_core():
    from chitieu.pipeline.cli import build_parser

    args = build_parser().parse_args(["extract", "x.txt"])
    assert args.jobs == 0  # extract_paths reads 0 as default_jobs()


def test_a_warm_parent_s_workers_start_warm():
    """warm() extracts its sample plan once: the programme, targets and agencies are found, so
    the data those extractors load on first use is loaded before the workers are forked."""
    docs = run.documents_from_text("<warm-up>", run.WARM_TEXT)
    assert len(docs) == 1
    doc = run.enrich(docs[0])
    assert doc.meta.programme
    from chitieu import extractors

    for name in ("targets", "agencies", "budgets"):
        assert list(extractors.TABLES[name].extract(doc)), name


def test_a_worker_that_dies_inside_a_task_of_several_files_loses_only_its_file(tmp_path, monkeypatch, before_budgets):
    """A death ends the whole task (three files here): the files before the culprit are retried
    alone and stored, the culprit is an errors row, the rest go on in a fresh pool."""
    import multiprocessing

    if multiprocessing.get_start_method() != "fork":
        pytest.skip("needs forked workers to inherit the patched extractor")
    c = tmp_path / "c"
    c.mkdir()
    for i in range(8):
        text = SEEDS[0].read_text(encoding="utf-8") + f"\nBản số {i}.\n"
        (c / f"{i}.txt").write_text(text, encoding="utf-8")
    def crash_on_4(doc):
        if doc.source_path.endswith("4.txt"):
            os._exit(9)

    before_budgets(crash_on_4)
    monkeypatch.setattr(run, "_chunk_size", lambda files, jobs: 3)
    db = tmp_path / "x.db"
    s = extract_paths([c], db, jobs=2)
    con = sqlite3.connect(db)
    stored = sorted(Path(p).name for (p,) in con.execute("select source_path from documents"))
    errors = con.execute("select file, exception from errors").fetchall()
    con.close()
    assert stored == [f"{i}.txt" for i in range(8) if i != 4] and s.documents == 7
    assert len(errors) == 1 and errors[0][0].endswith("4.txt") and errors[0][1] == "BrokenProcessPool"


def test_loading_happens_before_the_first_file_and_outside_its_budget(tmp_path, monkeypatch):
    """In one process, warm() runs before the first file (so the loading of data files, patterns
    and models is not counted in that file's time budget); a no-op re-run does not warm."""
    corpus = _corpus(tmp_path, 2)
    seen = []
    real = run.process_file

    def probe(path, *a, **k):
        seen.append(run._warm)
        return real(path, *a, **k)

    monkeypatch.setattr(run, "_warm", False)
    monkeypatch.setattr(run, "process_file", probe)
    extract_paths([corpus], tmp_path / "x.db", jobs=1)
    assert seen and all(seen)
    n = len(seen)
    (corpus / "bad.txt").unlink()
    monkeypatch.setattr(run, "_warm", False)
    s = extract_paths([corpus], tmp_path / "x.db", jobs=1)  # every file unchanged
    assert s.skipped == 2 and len(seen) == n and run._warm is False


@pytest.mark.parametrize("content, expected", [("max 100000\n", None), ("200000 100000\n", 2),
                                               ("150000 100000\n", 2), ("50000 100000\n", 1), ("junk\n", None)])
def test_a_container_s_cpu_quota_bounds_the_default(tmp_path, content, expected):
    f = tmp_path / "cpu.max"
    f.write_text(content)
    assert run._cpu_quota(str(f)) == expected
    cores = run.default_jobs(str(tmp_path / "absent"))
    assert run.default_jobs(str(f)) == (min(cores, expected) if expected else cores)


def test_a_slow_file_at_the_head_does_not_stop_the_other_workers(tmp_path, monkeypatch, before_budgets):
    """While the first file takes 2 s, the other worker goes on with the next files (their results
    wait, in order, up to BUFFER_PER_WORKER tasks); the database is that of one process."""
    import multiprocessing
    import time

    if multiprocessing.get_start_method() != "fork":
        pytest.skip("needs forked workers to inherit the patched extractor")
    corpus = _corpus(tmp_path, 12)
    (corpus / "bad.txt").unlink()
    stamps = tmp_path / "stamps"
    stamps.mkdir()
    def slow_first(doc):
        name = Path(doc.source_path).name
        if name == "000.txt":
            time.sleep(2)
        (stamps / name).write_text(repr(time.time()))

    a = tmp_path / "a.db"
    extract_paths([corpus], a, jobs=1)
    before_budgets(slow_first)
    monkeypatch.setattr(run, "_chunk_size", lambda files, jobs: 1)
    monkeypatch.setattr(run, "WINDOW_PER_WORKER", 1)
    b = tmp_path / "b.db"
    extract_paths([corpus], b, jobs=2)
    done = {p.name: float(p.read_text()) for p in stamps.iterdir() if p.suffix == ".txt"}
    before_head = [n for n, t in done.items() if t < done["000.txt"]]
    assert len(before_head) >= 3, before_head  # the old window (taken only at the head) allowed 1
    assert _snapshot(a) == _snapshot(b)
