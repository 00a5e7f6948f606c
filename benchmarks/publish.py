"""Cost of `publish` (search indexes and views) on a database, as a run pays it at its end.

    .venv/bin/python benchmarks/publish.py DB [--old OLD_PUBLISH_PY]

On a copy of DB: the first publish (indexes created), a no-op publish (nothing changed), and a
publish after one file's rows were replaced — wall seconds and the peak RSS of the process so far.
``--old`` times another version of pipeline/publish.py (e.g. ``git show REV:pipeline/publish.py``)
on its own copy the same way, for a before/after in one run.
"""
from __future__ import annotations

import argparse
import importlib.util
import resource
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def touch_one_file(db: Path) -> int:
    """Replace one document's rows by themselves, as a re-extracted file does (delete + insert)."""
    con = sqlite3.connect(db)
    doc = con.execute("select doc_id from documents limit 1").fetchone()[0]
    n = 0
    with con:
        for t in ("targets", "budgets", "agencies", "documents"):
            key = "doc_id"
            cols = [r[1] for r in con.execute(f"pragma table_info([{t}])") if r[1] != "search_terms"]
            rows = con.execute(f"select {', '.join(cols)} from [{t}] where {key} = ?", [doc]).fetchall()
            con.execute(f"delete from [{t}] where {key} = ?", [doc])
            con.executemany(f"insert into [{t}] ({', '.join(cols)}) values ({', '.join('?' * len(cols))})", rows)
            n += len(rows)
    con.close()
    return n


def run_one(publish_py: Path, db: Path) -> None:
    spec = importlib.util.spec_from_file_location("publish_under_test", publish_py)
    mod = importlib.util.module_from_spec(spec)
    sys.path.insert(0, str(ROOT))
    spec.loader.exec_module(mod)
    out = db.parent / "meta"
    for label, before in (("first publish", None), ("no-op publish", None), ("after one file changed", touch_one_file)):
        if before:
            before(db)
        t0 = time.perf_counter()
        mod.publish(db, out)
        print(f"  {label:<24} {time.perf_counter() - t0:7.2f} s   peak RSS so far {rss_mb():5.0f} MB", flush=True)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("db")
    ap.add_argument("--old", help="another pipeline/publish.py to time the same way")
    ap.add_argument("--child", nargs=2, help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.child:
        run_one(Path(args.child[0]), Path(args.child[1]))
        return 0
    con = sqlite3.connect(args.db)
    counts = {t: con.execute(f"select count(*) from [{t}]").fetchone()[0] for t in ("documents", "targets", "agencies")}
    con.close()
    print("database:", ", ".join(f"{v} {k}" for k, v in counts.items()))
    for label, py in (("old", args.old), ("this", str(ROOT / "pipeline" / "publish.py"))):
        if not py:
            continue
        with tempfile.TemporaryDirectory() as tmp:
            copy = Path(tmp) / "chitieu.db"
            src = sqlite3.connect(args.db)
            dst = sqlite3.connect(copy)
            src.backup(dst)
            src.close()
            dst.close()
            # a database as a run leaves it before its first publish of this version
            con = sqlite3.connect(copy)
            for (name,) in con.execute("select name from sqlite_master where type = 'trigger'").fetchall():
                con.execute(f"drop trigger [{name}]")
            for (name,) in con.execute("select name from sqlite_master where name like '%_fts'").fetchall():
                con.execute(f"drop table if exists [{name}]")
            for (name,) in con.execute("select name from sqlite_master where type = 'index' "
                                       "and name like '%search_terms_pending'").fetchall():
                con.execute(f"drop index [{name}]")
            for t in ("documents", "targets", "budgets", "agencies", "reporting"):
                try:
                    con.execute(f"alter table [{t}] drop column search_terms")
                except sqlite3.OperationalError:
                    pass
            con.commit()
            con.close()
            print(f"{label} publish ({py}):", flush=True)
            subprocess.run([sys.executable, __file__, args.db, "--child", py, str(copy)], check=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
