"""Start-up: what a run imports (no timing here; benchmarks/startup.py prints the figures)."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
HEAVY = ("pandas", "numpy", "spacy", "sqlite_utils", "pyarrow", "dask", "datasette")


def loaded_after(code: str, heavy: tuple[str, ...] = HEAVY) -> list[str]:
    """The ``heavy`` modules present in a fresh interpreter after running ``code``."""
    probe = code + f"\nimport json, sys\nprint(json.dumps([m for m in {heavy!r} if m in sys.modules]))"
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, cwd=ROOT, check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def test_importing_the_pipeline_loads_nothing_heavy():
    assert loaded_after("import chitieu.pipeline.run, chitieu.pipeline.store, chitieu.pipeline.publish\n"
                        "import chitieu.pipeline.export, chitieu.pipeline.cli\n"
                        "chitieu.pipeline.cli.build_parser()") == []


def test_extracting_a_file_loads_nothing_heavy(tmp_path):
    seed = ROOT / "corpora" / "seeds" / "004_7957dd705c424d21.txt"
    db = tmp_path / "x.db"
    code = (f"from chitieu.pipeline import cli\nrc = cli.main(['extract', {str(seed)!r}, '--db', {str(db)!r}, "
            f"'--no-progress'])\nassert rc == 0, rc")
    # numpy comes with underthesea's word segmenter, which scores indicator phrases (a run needs it)
    assert loaded_after(code, tuple(m for m in HEAVY if m != "numpy")) == []
    import sqlite3

    con = sqlite3.connect(db)
    assert con.execute("select count(*) from documents").fetchone()[0] == 1


def test_normalisation_rules_are_underthesea_s():
    """The maps read from underthesea's rules file are the ones its own module loads."""
    code = ("from chitieu.pipeline.normalize import _underthesea_rules\n"
            "c, t = _underthesea_rules()\nimport sys\nassert 'underthesea' not in sys.modules\n"
            "from underthesea.pipeline.text_normalize.text_normalizer import character_map, token_map\n"
            "assert c == character_map and t == token_map and len(t) > 1000\n")
    subprocess.run([sys.executable, "-c", code], cwd=ROOT, check=True)
