"""Patterns in the language data fail when their file is loaded, not at first use; and the
per-process work a run does once (the rules fingerprint) is done once."""
import shutil
from pathlib import Path

import pytest
import regex
import yaml

from chitieu.pipeline import corpus
from chitieu.pipeline.corpus import DataError, load_data

ROOT = Path(__file__).resolve().parent.parent


def _broken_copy(tmp_path, relpath, edit):
    path = tmp_path / Path(relpath).name
    shutil.copy(ROOT / "corpora" / relpath, path)
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    edit(data)
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path


@pytest.mark.parametrize("relpath, edit, key", [
    ("lexicons/kinds.yaml", lambda d: d["body_cues"]["news"][0].__setitem__(0, r"(?<!\d)\d{1,2:(\d{2}"),
     "body_cues.news[0][0]"),
    ("agencies/roles.yaml", lambda d: d["labels"]["lead"].__setitem__(0, r"(?:cơ quan|đơn vị\s+chủ\s+trì"),
     "labels.lead[0]"),
    ("lexicons/body.yaml", lambda d: d.__setitem__("body_end", r"^\s*Nơi\s+nhận[:"), "body_end"),
    ("lexicons/money.yaml", lambda d: d.__setitem__("budget_after", r"*kinh phí"), "budget_after"),
])
def test_a_bad_pattern_in_a_data_file_fails_when_the_file_is_loaded(tmp_path, monkeypatch, relpath, edit, key):
    """The code compiles these patterns on first use (``lazy_compile``), long after loading; the
    loader compiles them first and names the file and the key of the bad one."""
    monkeypatch.setenv("CHITIEU_CACHE", str(tmp_path / "cache"))
    path = _broken_copy(tmp_path, relpath, edit)
    with pytest.raises(DataError, match=rf"{regex.escape(str(path))}: key '{regex.escape(key)}': not a valid pattern"):
        load_data(path, relpath)
    good = tmp_path / "good" / Path(relpath).name
    good.parent.mkdir()
    shutil.copy(ROOT / "corpora" / relpath, good)
    assert load_data(good, relpath) == corpus.corpus_data(relpath)


def test_a_file_s_patterns_are_compiled_once_across_processes(tmp_path, monkeypatch):
    """A later process finds the marker of the patterns that compiled (in the data cache, under
    their hash) and compiles none of them; a changed pattern is compiled again."""
    monkeypatch.setenv("CHITIEU_CACHE", str(tmp_path / "cache"))
    monkeypatch.setattr(corpus, "_PATTERNS_OK", set())
    path = tmp_path / "body.yaml"
    shutil.copy(ROOT / "corpora" / "lexicons" / "body.yaml", path)
    load_data(path, "lexicons/body.yaml")
    assert len(list((tmp_path / "cache").glob("patterns-*.pickle"))) == 1
    compiled = []
    real = regex.compile
    monkeypatch.setattr(corpus.regex, "compile", lambda *a, **k: compiled.append(a[0]) or real(*a, **k))
    monkeypatch.setattr(corpus, "_PATTERNS_OK", set())  # as in a new process
    load_data(path, "lexicons/body.yaml")
    assert compiled == []
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    data["annex_start"] += "|PHỤ LỤC"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    load_data(path, "lexicons/body.yaml")
    assert len(compiled) == 2


def test_a_run_hashes_the_rules_once(tmp_path, monkeypatch):
    """``extract_paths`` hashes the rule files for the runs table, and the data cache uses that
    fingerprint instead of hashing them again."""
    from chitieu.pipeline import cache, run

    calls = []
    real = run.rules_fingerprint
    monkeypatch.setattr(run, "rules_fingerprint", lambda: calls.append(1) or real())
    monkeypatch.setattr(cache, "_fingerprint", None)
    monkeypatch.setenv("CHITIEU_CACHE", str(tmp_path / "cache"))
    from chitieu.extractors import agencies
    from chitieu.pipeline import places

    monkeypatch.setattr(agencies, "_place_names", agencies._place_names.__wrapped__)  # load the tables again
    monkeypatch.setattr(places, "_units", places._units.__wrapped__)
    seed = sorted((ROOT / "corpora" / "seeds").glob("*.txt"))[0]
    run.extract_paths([str(seed)], str(tmp_path / "x.db"))
    assert len(calls) == 1
    assert list((tmp_path / "cache").glob(f"*-{cache._fingerprint}.pickle"))  # the cache used the run's hash
