"""Property-based harness (Hypothesis) that drives whole files through ``extract_paths`` into a
real SQLite database (issue 8). Each example is a folder: one untouched seed plan and 1–3
mutations of real plans (the seeds) — truncation, byte flips, huge numbers, odd file names,
repeated blocks, NBSP and zero-width characters, combining marks, long lines, pipe debris,
heading storms, a document written twice. Properties: the run finishes, the good plan is
stored, every file is accounted for (stored, recorded as a copy, or an ``errors`` row), every
row's evidence is exact, ``PRAGMA integrity_check`` is ok.

Short profile (the test suite): ``CHITIEU_FUZZ_EXAMPLES`` unset, 8 examples.
Long profile::

    CHITIEU_FUZZ_EXAMPLES=100000 .venv/bin/python -m pytest tests/test_fuzz.py -s

(prints a tally of files, documents and errors by stage at the end).
"""
import os
import sqlite3
import tempfile
import unicodedata
from collections import Counter
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from chitieu import extractors
from chitieu.pipeline.run import extract_paths

SEEDS = sorted((Path(__file__).resolve().parent.parent / "corpora" / "seeds").glob("*.txt"))
SEED_BYTES = [p.read_bytes() for p in SEEDS]
GOOD = SEED_BYTES[1]  # the smallest plan: stored untouched in every example
EXAMPLES = int(os.environ.get("CHITIEU_FUZZ_EXAMPLES", "8"))
TALLY: Counter = Counter()

HUGE = ["10.000.000.000 tỷ đồng", "12345678901234567890%", "9" * 4400 + "%", "1e400 đồng",
        "đạt " + "9" * 25 + ",5%", "Kinh phí: " + "9" * 400 + " triệu đồng", "-99999999999999999999 người",
        "0," + "0" * 30 + "1%"]
ODD_CHARS = ["\u00a0", "\u200b", "\u200c", "\u200d", "\ufeff", "\u0301", "\u0323", "\u0309", "\u2028", "\t", "\r"]


def _text(b: bytes) -> str:
    return b.decode("utf-8", "surrogateescape")


def _bytes(t: str) -> bytes:
    return t.encode("utf-8", "surrogateescape")


@st.composite
def mutation(draw, data: bytes) -> bytes:
    kind = draw(st.sampled_from(["truncate", "flip", "huge", "repeat", "odd_chars", "nfd", "long_line",
                                 "pipes", "headings", "twice", "none"]))
    pos = draw(st.integers(0, max(0, len(data) - 1)))
    if kind == "truncate":
        return data[:pos]
    if kind == "flip":
        out = bytearray(data)
        for _ in range(draw(st.integers(1, 8))):
            i = draw(st.integers(0, max(0, len(out) - 1)))
            if out:
                out[i] ^= draw(st.integers(1, 255))
        return bytes(out)
    t = _text(data)
    cut = len(_text(data[:pos]))
    if kind == "huge":
        return _bytes(t[:cut] + " " + draw(st.sampled_from(HUGE)) + " " + t[cut:])
    if kind == "repeat":
        n = draw(st.integers(20, 3000))
        return _bytes(t[:cut] + t[cut:cut + n] * draw(st.integers(2, 30)) + t[cut:])
    if kind == "odd_chars":
        chars = list(t)
        for _ in range(draw(st.integers(1, 200))):
            chars.insert(draw(st.integers(0, len(chars))), draw(st.sampled_from(ODD_CHARS)))
        return _bytes("".join(chars))
    if kind == "nfd":
        return _bytes(unicodedata.normalize("NFD", t))
    if kind == "long_line":
        return _bytes(t.replace("\n", " ") * draw(st.integers(1, 4)))
    if kind == "pipes":
        return _bytes(t[:cut] + "| a " * draw(st.integers(10, 8000)) + "x\n" + t[cut:])
    if kind == "headings":
        storm = "".join(draw(st.sampled_from(["I. ", "1. ", "1.1. ", "a) ", "- ", "+ ", "Điều 1. "])) + "\n"
                        for _ in range(draw(st.integers(10, 2000))))
        return _bytes(t[:cut] + storm + t[cut:])
    if kind == "twice":
        return data + b"\n" + data
    return data


NAMES = st.sampled_from([b"plan.txt", b"x_\xe9\xff.txt", b"K\xe1\xba\xbf ho\xe1\xba\xa1ch 12.txt", b"-rf.txt",
                         b" space .txt", b"a" * 200 + b".txt", b"Ke\xcc\x82\xcc\x81 hoa\xcc\xa3ch.txt",
                         b"\xff\xfe.txt", b"semi;colon'quote\".txt"])


@st.composite
def folder(draw):
    files = []
    for i in range(draw(st.integers(1, 3))):
        base = draw(st.sampled_from(SEED_BYTES))
        data = base
        for _ in range(draw(st.integers(1, 3))):
            data = draw(mutation(data))
        files.append((b"m%d_" % i + draw(NAMES), data))
    return files


def _check(root: bytes, db: str, files: list[bytes]) -> None:
    con = sqlite3.connect(db)
    try:
        assert con.execute("pragma integrity_check").fetchone() == ("ok",)
        assert con.execute("pragma foreign_key_check").fetchall() == []
        good = con.execute("select count(*) from documents where source_path like '%/000_good.txt'").fetchone()[0]
        assert good == 1, "the untouched plan is not stored"
        raw = {r[0] for r in con.execute("select source_path_bytes from sources")}
        for f in files:
            assert os.path.realpath(f) in raw, f"{f!r} is neither stored nor an errors row"
        texts = dict(con.execute("select doc_id, text from documents"))
        for table in extractors.TABLES:
            for doc_id, start, end, quote in con.execute(
                    f"select doc_id, char_start, char_end, quote from [{table}]"):
                assert texts[doc_id][start:end] == quote, (table, doc_id, start, end)
        TALLY["files"] += len(files) + 1
        TALLY["documents"] += len(texts)
        for stage, exc in con.execute("select stage, exception from errors"):
            TALLY[f"error {stage} {exc or 'refused'}"] += 1
    finally:
        con.close()


# the short profile is derandomized (the same examples every run: the suite stays deterministic);
# the long one explores new examples each time
@settings(max_examples=EXAMPLES, deadline=None, database=None, derandomize=EXAMPLES <= 8,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.large_base_example])
@given(folder())
def test_whole_files_reach_the_store_intact(files):
    with tempfile.TemporaryDirectory(prefix="chitieu-fuzz-") as tmp:
        root = os.fsencode(tmp) + b"/c"
        os.mkdir(root)
        with open(root + b"/000_good.txt", "wb") as f:
            f.write(GOOD)
        paths = []
        for name, data in files:
            path = root + b"/" + name
            if path in paths:
                continue
            with open(path, "wb") as f:
                f.write(data)
            paths.append(path)
        db = os.path.join(tmp, "x.db")
        summary = extract_paths([os.fsdecode(root)], db)  # must not raise
        assert summary.files == len(paths) + 1
        _check(root, db, [os.path.realpath(p) for p in paths])


def teardown_module(module):
    if EXAMPLES > 8:
        print("\nfuzz tally:", dict(sorted(TALLY.items())))
