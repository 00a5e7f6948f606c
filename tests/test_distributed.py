"""Extraction on a Dask cluster (a LocalCluster here) gives the very rows of a local run."""
from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

pytest.importorskip("distributed", reason="the dask extra is not installed")

from chitieu.pipeline.cli import main  # noqa: E402
from chitieu.pipeline.distributed import SchedulerError, check_scheduler  # noqa: E402
from chitieu.pipeline.run import extract_paths  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "corpora" / "seeds"


def dump(db: Path) -> dict:
    con = sqlite3.connect(db)
    names = [n for (n,) in con.execute("select name from sqlite_master where type = 'table' "
                                       "and name not in ('runs') and name not like '%fts%' order by name")]
    out = {}
    for n in names:
        cols = [r[1] for r in con.execute(f"pragma table_info([{n}])") if r[1] != "run_id"]
        out[n] = sorted(map(repr, con.execute(f"select {', '.join(f'[{c}]' for c in cols)} from [{n}]")))
    con.close()
    return out


def test_local_cluster_gives_the_rows_of_a_local_run(tmp_path):
    local, dask = tmp_path / "local.db", tmp_path / "dask.db"
    a = extract_paths([SEEDS], local)
    b = extract_paths([SEEDS], dask, scheduler="local:2")
    assert (a.files, a.documents, a.errors) == (b.files, b.documents, b.errors) == (5, 7, 0)
    assert dump(local) == dump(dask)
    again = extract_paths([SEEDS], dask, scheduler="local:2")  # unchanged files are skipped, not re-sent
    assert again.skipped == 5 and dump(local) == dump(dask)


@pytest.mark.parametrize("bad", ["local:0", "local:x", "myhost:8786"])
def test_bad_scheduler_is_a_clear_error_before_anything_is_written(bad, tmp_path, capsys):
    with pytest.raises(SchedulerError):
        check_scheduler(bad)
    assert main(["extract", str(SEEDS), "--db", str(tmp_path / "x.db"), "--scheduler", bad]) == 2
    assert "--scheduler" in capsys.readouterr().err
    assert not (tmp_path / "x.db").exists()
