"""Packaging: the language data is found wherever chitieu is installed, the import names are
consistent, optional parts say how to get them, the wheel holds what a run needs.

The full check — the wheel installed in a fresh venv outside the checkout, run on the seeds and
scored — is `.ci/wheel` (too slow for the test suite: it installs every dependency).
"""
from __future__ import annotations

import importlib.util
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from chitieu.pipeline import data
from chitieu.pipeline.cli import main
from chitieu.pipeline.run import rules_fingerprint

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts"))
import namespace_imports  # noqa: E402


def test_data_comes_from_the_checkout_corpora():
    assert data.corpora_root() == ROOT / "corpora"
    assert data.corpus_path("lexicons/money.yaml") == ROOT / "corpora" / "lexicons" / "money.yaml"
    assert data.corpus_dir("programmes").is_dir()
    assert ROOT / "corpora" / "gazetteer" / "units.csv" in data.corpus_files("gazetteer")


def test_missing_data_names_the_file():
    with pytest.raises(data.DataNotFound, match=r"corpora/lexicons/nope\.yaml"):
        data.corpus_path("lexicons/nope.yaml")


def test_fingerprint_hashes_the_rule_data_wherever_it_lives(tmp_path, monkeypatch):
    before = rules_fingerprint()
    moved = tmp_path / "site" / "corpora"
    shutil.copytree(ROOT / "corpora", moved)
    monkeypatch.setattr(data, "corpora_root", lambda: moved)
    assert rules_fingerprint() == before  # same files under another folder: same rules
    (moved / "lexicons" / "money.yaml").write_text("# changed\n", encoding="utf-8")
    assert rules_fingerprint() != before


def test_import_names_are_all_moved_or_all_not():
    """No half-rename: with chitieu.pipeline in pyproject no source imports the bare names, and
    without it none imports chitieu.pipeline / chitieu.extractors."""
    import re

    moved = '"chitieu.pipeline" = "pipeline"' in (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    texts = {str(p.relative_to(ROOT)): p.read_text(encoding="utf-8") for p in namespace_imports.files()}
    if moved:
        stale = [name for name, t in texts.items() if namespace_imports.rewrite(t) != t]
        assert stale == [], f"run python3 scripts/namespace_imports.py ({stale})"
    else:
        new = re.compile(r'^\s*"?(?:from chitieu\.(?:pipeline|extractors)|from chitieu import (?:pipeline|extractors))', re.M)
        assert [name for name, t in texts.items() if new.search(t)] == []


def test_review_needs_no_optional_package(seed_db, tmp_path, monkeypatch):
    """The review pages are drawn by chitieu itself: spaCy is no dependency at all."""
    real = importlib.util.find_spec
    monkeypatch.setattr(importlib.util, "find_spec", lambda name, *a: None if name == "spacy" else real(name, *a))
    assert main(["review", "--db", str(seed_db), "--out", str(tmp_path / "r")]) == 0
    assert (tmp_path / "r" / "index.html").exists()
    assert "spacy" not in (ROOT / "pyproject.toml").read_text(encoding="utf-8")


def test_sqlite_utils_is_pinned_below_5():
    """sqlite-utils is no longer imported at run time (its command line still reads the database):
    pinned <5 so its FTS layout, which the search indexes follow, stays the one we test."""
    assert '"sqlite-utils>=3.37,<5"' in (ROOT / "pyproject.toml").read_text(encoding="utf-8")


def test_wheel_holds_the_language_data_not_the_seeds(tmp_path):
    p = subprocess.run([sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "-w", str(tmp_path), str(ROOT)],
                       capture_output=True, text=True, cwd=tmp_path)
    shutil.rmtree(ROOT / "build", ignore_errors=True)
    assert p.returncode == 0, p.stderr[-2000:]
    names = zipfile.ZipFile(next(tmp_path.glob("chitieu-*.whl"))).namelist()
    data_files = {n for n in names if n.startswith("chitieu/corpora/")}
    wanted = {f"chitieu/{f.relative_to(ROOT).as_posix()}" for f in (ROOT / "corpora").rglob("*")
              if f.is_file() and f.parts[-2] != "seeds" and "seeds" not in f.relative_to(ROOT).parts}
    assert wanted <= data_files
    assert not any("seeds/" in n for n in names)
    tops = {n.split("/")[0] for n in names if not n.startswith("chitieu-")}
    moved = '"chitieu.pipeline" = "pipeline"' in (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    assert tops == ({"chitieu"} if moved else {"chitieu", "pipeline", "extractors"})


def test_chitieu_load_is_the_typed_loader():
    import chitieu
    from chitieu.pipeline.load import load

    assert chitieu.load is load
