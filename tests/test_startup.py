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
    code = (f"from chitieu.pipeline import cli, run\nrc = cli.main(['extract', {str(seed)!r}, '--db', {str(db)!r}, "
            f"'--no-progress'])\nassert rc == 0, rc\n"
            # one file: no warm-up, which would load what this file does not need
            f"assert run._warm is False")
    # underthesea (and its numpy) only for a file with an open-class count noun; this one has none
    assert loaded_after(code, HEAVY + ("underthesea",)) == []
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


def test_the_warm_up_does_not_load_the_word_segmenter():
    """warm() extracts its sample plan; underthesea loads only when a file needs a word segmented
    (the first word after a number with an open-class count noun), never for the warm-up."""
    assert loaded_after("from chitieu.pipeline import run\nrun.warm()\nassert run._warm",
                        ("underthesea", "numpy", "joblib")) == []


def test_patterns_compiled_on_first_use_match_as_compiled_ones():
    import regex

    from chitieu.pipeline.patterns import lazy_compile

    lazy = lazy_compile(r"(?<![\w])sở\s+(?P<area>y\s+tế)(?![\w])", regex.I)
    text = "Giao Sở Y tế chủ trì; sở  y tế phối hợp"
    eager = regex.compile(r"(?<![\w])sở\s+(?P<area>y\s+tế)(?![\w])", regex.I)
    assert [m.span("area") for m in lazy.finditer(text)] == [m.span("area") for m in eager.finditer(text)] == [(8, 12), (26, 30)]
    assert lazy.pattern == eager.pattern and lazy.flags == eager.flags and lazy.match(text) is None
