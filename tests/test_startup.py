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


def test_derived_data_is_cached_on_disk_under_the_rules_fingerprint(tmp_path, monkeypatch):
    from chitieu.pipeline import cache
    from chitieu.pipeline.run import rules_fingerprint

    monkeypatch.setenv("CHITIEU_CACHE", str(tmp_path))
    built = []

    def build():
        built.append(1)
        return {("legacy", "an lao"): [("huyện", "An Lão", "Bình Định")]}

    first = cache.cached("t-units", build)
    (old := tmp_path / "t-units-000000000000.pickle").write_bytes(b"older rules")
    assert cache.cached("t-units", build) == first and len(built) == 1  # read back, not rebuilt
    assert (tmp_path / f"t-units-{rules_fingerprint()}.pickle").is_file() and old.is_file()
    (tmp_path / f"t-units-{rules_fingerprint()}.pickle").unlink()
    assert cache.cached("t-units", build) == first and len(built) == 2
    assert not old.exists()  # a new table removes the other rules versions' files
    assert [p.name for p in tmp_path.iterdir() if not p.name.endswith(".pickle")] == []  # no temp file left


def test_a_damaged_or_unwritable_cache_is_rebuilt_with_a_warning(tmp_path, monkeypatch, capsys):
    from chitieu.pipeline import cache
    from chitieu.pipeline.run import rules_fingerprint

    monkeypatch.setenv("CHITIEU_CACHE", str(tmp_path))
    monkeypatch.setattr(cache, "_warned", False)
    (tmp_path / f"t-bad-{rules_fingerprint()}.pickle").write_bytes(b"\x80\x05truncated")
    assert cache.cached("t-bad", lambda: frozenset({"gia lai"})) == frozenset({"gia lai"})
    assert "cannot read" in capsys.readouterr().err
    assert cache.cached("t-bad", lambda: None) == frozenset({"gia lai"})  # replaced by a good file
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    monkeypatch.setenv("CHITIEU_CACHE", str(blocker / "sub"))
    monkeypatch.setattr(cache, "_warned", False)
    assert cache.cached("t-x", lambda: (1, 2)) == (1, 2)
    assert "cannot write the data cache" in capsys.readouterr().err
    monkeypatch.setenv("CHITIEU_CACHE", "off")
    assert cache.cache_dir() is None and cache.cached("t-x", lambda: (3,)) == (3,)


def test_cached_gazetteer_tables_equal_freshly_built_ones(tmp_path, monkeypatch):
    """The tables read from the cache are the ones the loaders build (and the one-pass folding
    gives what fold()/norm_key() give name by name)."""
    code = ("from chitieu.pipeline import places\nfrom chitieu.extractors import agencies\n"
            "from chitieu.pipeline.corpus import corpus_data\n"
            "from chitieu.pipeline.normalize import fold\n"
            "assert places._units() == places._build_units()\n"
            "assert agencies._place_names() == agencies._build_place_names()\n"
            "rows = corpus_data('gazetteer/units.csv')\n"
            "assert all(places._units()[(r['structure'], fold(r['name']))] for r in rows)\n"
            "names = [r['short'] for r in corpus_data('gazetteer/provinces.csv')] + [r['name'] for r in rows]\n"
            "assert agencies._place_names() == frozenset(agencies.norm_key(n) for n in names)\n")
    env = {**__import__("os").environ, "CHITIEU_CACHE": str(tmp_path)}
    for _ in range(2):  # built and stored, then read from the file
        subprocess.run([sys.executable, "-c", code], cwd=ROOT, check=True, env=env)
    assert sorted(p.name.split("-")[0] for p in tmp_path.iterdir()) == ["agencies", "places"]


def test_csv_rows_are_those_of_dictreader():
    import csv
    import io

    from chitieu.pipeline.corpus import _csv_rows

    for text in ("a,b,c\n1,2,3\n\n4,5\n6,7,8,9\n", "a,b\n", "", "x,y\n\"q,\n r\",2\n"):
        reader = csv.DictReader(io.StringIO(text))
        assert _csv_rows(text) == (reader.fieldnames or [], tuple(reader))


def test_before_forking_workers_every_lazy_pattern_is_compiled():
    """--jobs warms the parent and then compiles every pattern the loaders made lazily, so the
    forked workers share them; the gazetteer's per-word alternations are among them."""
    code = ("from chitieu.pipeline import run, patterns\n"
            "from chitieu.extractors import agencies\n"
            "run.warm()\n"
            "g = agencies.gazetteer()\n"
            "assert len(g.fixed_by_first._compiled) < len(g.fixed_by_first._groups)\n"
            "patterns.compile_all()\n"
            "assert len(g.fixed_by_first._compiled) == len(g.fixed_by_first._groups)\n"
            "assert all(p._pattern is not None for p in patterns._MADE if isinstance(p, patterns.LazyPattern))\n")
    subprocess.run([sys.executable, "-c", code], cwd=ROOT, check=True)
