"""Search indexes across `chitieu extract` runs: a no-op re-run leaves every index as it was,
a changed file re-indexes only its own rows, and the folded search finds the new text."""
from __future__ import annotations

import hashlib
import shutil
import sqlite3
from pathlib import Path

from pipeline.cli import main

ROOT = Path(__file__).resolve().parent.parent
SEEDS = sorted((ROOT / "corpora" / "seeds").glob("*.txt"))[:2]
TABLES = ("documents", "targets", "budgets", "agencies")


def index_state(db: Path) -> dict[str, str]:
    """A digest of each index's stored segments (what a rebuild or an update rewrites)."""
    con = sqlite3.connect(db)
    out = {}
    for t in TABLES:
        h = hashlib.sha1()
        for row in con.execute(f"select id, block from {t}_fts_data order by id"):
            h.update(repr(row).encode())
        out[t] = h.hexdigest()
    con.close()
    return out


def match(db: Path, table: str, query: str) -> int:
    con = sqlite3.connect(db)
    try:
        return con.execute(f"select count(*) from {table}_fts where {table}_fts match ?", [query]).fetchone()[0]
    finally:
        con.close()


def test_noop_rerun_touches_no_index_and_a_change_reindexes(tmp_path):
    corpus = tmp_path / "plans"
    corpus.mkdir()
    for s in SEEDS:
        shutil.copy(s, corpus / s.name)
    db = tmp_path / "chitieu.db"
    args = ["extract", str(corpus), "--db", str(db), "--no-progress"]
    assert main(args) == 0
    first = index_state(db)
    assert main(args) == 0  # nothing changed
    assert index_state(db) == first
    assert match(db, "documents", "xyzzyquan") == 0
    # one file changes: a new word in its text, with a đ, is found folded and as written
    f = corpus / SEEDS[0].name
    f.write_text(f.read_text(encoding="utf-8") + "\nGhi chú: xyzzyquan Đồng Xoài.\n", encoding="utf-8")
    assert main(args) == 0
    assert match(db, "documents", "xyzzyquan") == 1
    assert match(db, "documents", '"xyzzyquan" "dong" "xoai"') == match(db, "documents", '"xyzzyquan" "đồng"') == 1
    con = sqlite3.connect(db)
    for t in TABLES:
        assert con.execute(f"select count(*) from {t} where search_terms is null").fetchone()[0] == 0, t
        # the index holds exactly the table's rows
        n = con.execute(f"select count(*) from {t}").fetchone()[0]
        assert con.execute(f"select count(*) from {t}_fts").fetchone()[0] == n, t
        con.execute(f"insert into {t}_fts ({t}_fts) values ('integrity-check')")
    con.close()
