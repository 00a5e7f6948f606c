"""Killed runs (issue 8): kill -9 at a random moment of ``chitieu extract``, then a re-run, gives
the same database as an uninterrupted run; the killed run is marked ``interrupted``; ``--jobs 2``
workers end with their parent."""
import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

SEEDS = Path(__file__).resolve().parent.parent / "corpora" / "seeds"

# tables the extraction writes (publish's search tables are rebuilt from them)
_SKIP = ("runs",)


def _corpus(folder: Path, copies: int) -> Path:
    """``copies`` distinct variants of each seed (one line added), plus one exact copy."""
    folder.mkdir()
    seeds = sorted(SEEDS.glob("*.txt"))
    for i in range(copies):
        for s in seeds:
            (folder / f"{i:03d}_{s.name}").write_text(
                s.read_text(encoding="utf-8") + f"\nGhi chú số {i}.\n", encoding="utf-8")
    (folder / "zz_copy.txt").write_bytes((folder / f"000_{seeds[0].name}").read_bytes())
    return folder


def _extract(corpus: Path, db: Path, *extra: str) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "chitieu.pipeline.cli", "extract", str(corpus), "--db", str(db),
                             "--no-progress", *extra], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)


def _snapshot(db: Path) -> dict:
    con = sqlite3.connect(db)
    names = [r[0] for r in con.execute("select name from sqlite_master where type = 'table' "
                                       "and name not like '%_fts%' and name not like 'sqlite_%'")]
    snap = {}
    for t in names:
        if t in _SKIP:
            continue
        cols = [c[1] for c in con.execute(f"pragma table_info([{t}])") if c[1] != "run_id"]
        snap[t] = sorted(map(repr, con.execute(f"select {', '.join(f'[{c}]' for c in cols)} from [{t}]")))
    con.close()
    return snap


def test_kill_9_then_rerun_gives_the_same_database(tmp_path):
    corpus = _corpus(tmp_path / "c", copies=11)  # 56 files: two batches (BATCH_FILES = 50)
    clean_db, killed_db = tmp_path / "clean.db", tmp_path / "killed.db"
    t0 = time.monotonic()
    p = _extract(corpus, clean_db)
    assert p.wait(timeout=300) == 0, p.stderr.read().decode()
    duration = time.monotonic() - t0
    seed = random.randrange(10 ** 6)
    moment = random.Random(seed).uniform(0.2, duration * 0.9)
    p = _extract(corpus, killed_db)
    time.sleep(moment)
    p.kill()
    p.wait()
    p = _extract(corpus, killed_db)
    assert p.wait(timeout=300) == 0, f"seed {seed}: " + p.stderr.read().decode()
    assert _snapshot(killed_db) == _snapshot(clean_db), f"killed at {moment:.2f} s of {duration:.2f} s (seed {seed})"
    con = sqlite3.connect(killed_db)
    statuses = [r[0] for r in con.execute("select status from runs order by run_id")]
    assert con.execute("pragma integrity_check").fetchone() == ("ok",)
    con.close()
    # the killed run, if it got as far as writing its row, is marked interrupted (or finished, when
    # the kill came after its last write, during publish)
    assert statuses[-1] == "finished" and None not in statuses


def _children(pid: int) -> list[int]:
    try:
        text = Path(f"/proc/{pid}/task/{pid}/children").read_text()
    except OSError:
        return []
    return [int(x) for x in text.split()]


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().split(")")[-1].split()[0]
    except OSError:
        return False
    return state != "Z"


@pytest.mark.skipif(not Path("/proc/self/task").exists(), reason="needs Linux /proc to find the workers")
def test_workers_end_with_their_parent(tmp_path):
    corpus = _corpus(tmp_path / "c", copies=12)
    p = _extract(corpus, tmp_path / "x.db", "--jobs", "2")
    workers: list[int] = []
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and p.poll() is None:
        workers = [c for c in _children(p.pid) if _alive(c)]
        if len(workers) >= 2:
            break
        time.sleep(0.05)
    if p.poll() is not None:
        pytest.skip("the run ended before its workers could be seen")
    os.kill(p.pid, signal.SIGKILL)
    p.wait()
    end = time.monotonic() + 5
    while time.monotonic() < end and any(_alive(w) for w in workers):
        time.sleep(0.05)
    assert not [w for w in workers if _alive(w)], "workers outlived their parent"
