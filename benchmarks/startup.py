"""Start-up cost: `chitieu extract` of one small file into a new database, and what it imports.

    .venv/bin/python benchmarks/startup.py [--repeat 3]

Prints, for the best of ``--repeat`` runs, wall and CPU seconds and peak RSS (``/usr/bin/time -v``)
of ``chitieu extract corpora/seeds/004_7957dd705c424d21.txt --db NEW.db``, with Python's bytecode
cached as on an installed machine (``pip install`` and a first run write ``.pyc`` files; this
sandbox sets PYTHONDONTWRITEBYTECODE, so the runs use a PYTHONPYCACHEPREFIX in a temporary
folder, filled by one run that is not counted, which also fills the data cache of
``pipeline/cache.py``, in a temporary folder too); then once with an empty data cache (the first
run of a rules version) and once without cached bytecode (every module compiled from source:
~0.1 s more); then the heaviest
imports of the same command (``python -X importtime``, cumulative milliseconds of top-level
packages), which heavy packages a run loads, and (``--first-use``, in a fresh process) the CPU
of each step of the run the first time and again: what each extractor loads on first use.
"""
from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "corpora" / "seeds" / "004_7957dd705c424d21.txt"
CHITIEU = Path(sys.executable).parent / "chitieu"
HEAVY = ("pandas", "numpy", "spacy", "sqlite_utils", "underthesea", "joblib", "yaml", "pyarrow", "dask")


def cached_bytecode_env(folder: Path, data_cache: Path) -> dict[str, str]:
    """The environment with bytecode written to and read from ``folder``, derived data
    (``pipeline/cache.py``) in ``data_cache``."""
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    env["PYTHONPYCACHEPREFIX"] = str(folder)
    env["CHITIEU_CACHE"] = str(data_cache)
    return env


def no_bytecode_env(data_cache: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPYCACHEPREFIX"}
    env["PYTHONDONTWRITEBYTECODE"] = "1"
    env["CHITIEU_CACHE"] = str(data_cache)
    return env


def timed(db: Path, env: dict[str, str]) -> tuple[float, float, float]:
    out = subprocess.run(["/usr/bin/time", "-v", str(CHITIEU), "extract", str(SEED), "--db", str(db), "--no-progress"],
                         capture_output=True, text=True, check=True, env=env)
    def num(name):
        return float(re.search(rf"{re.escape(name)}:\s*([\d.]+)", out.stderr)[1])
    wall = re.search(r"Elapsed \(wall clock\).*?: ([\d:.]+)", out.stderr)[1].split(":")
    wall_s = sum(float(p) * 60 ** k for k, p in enumerate(reversed(wall)))
    return wall_s, num("User time (seconds)") + num("System time (seconds)"), num("Maximum resident set size (kbytes)") / 1024


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--first-use", action="store_true", help="only the first-use table (in this process)")
    args = ap.parse_args()
    if args.first_use:
        first_use()
        return 0
    with tempfile.TemporaryDirectory() as tmp:
        data = Path(tmp) / "data-cache"
        env = cached_bytecode_env(Path(tmp) / "pycache", data)
        timed(Path(tmp) / "prime.db", env)  # writes the bytecode and the data cache
        runs = [timed(Path(tmp) / f"x{i}.db", env) for i in range(args.repeat)]
        wall, cpu, rss = min(runs)
        print(f"extract 1 file ({SEED.stat().st_size / 1024:.1f} KB), new database, best of {args.repeat}: "
              f"wall {wall:.2f} s, CPU {cpu:.2f} s, peak RSS {rss:.0f} MB")
        wall, cpu, rss = timed(Path(tmp) / "first.db", cached_bytecode_env(Path(tmp) / "pycache", Path(tmp) / "empty"))
        print(f"  first run of a rules version (empty data cache, written): "
              f"wall {wall:.2f} s, CPU {cpu:.2f} s, peak RSS {rss:.0f} MB")
        wall, cpu, rss = timed(Path(tmp) / "src.db", no_bytecode_env(data))
        print(f"  without cached bytecode (modules compiled from source): "
              f"wall {wall:.2f} s, CPU {cpu:.2f} s, peak RSS {rss:.0f} MB")
        code = ("import sys, chitieu.pipeline.cli\n"
                f"chitieu.pipeline.cli.main(['extract', {str(SEED)!r}, '--db', {str(Path(tmp) / 'imp.db')!r}, '--no-progress'])\n"
                f"print('loaded:', ' '.join(m for m in {HEAVY!r} if m in sys.modules) or 'none of ' + ' '.join({HEAVY!r}))")
        out = subprocess.run([sys.executable, "-X", "importtime", "-c", code], capture_output=True, text=True,
                             cwd=ROOT, check=True, env=env)
        first = subprocess.run([sys.executable, __file__, "--first-use"], capture_output=True, text=True, cwd=ROOT,
                               check=True, env=env)
    top: dict[str, int] = {}
    for line in out.stderr.splitlines():
        m = re.match(r"import time:\s+\d+ \|\s+(\d+) \|( *)(\S+)", line)
        if m and len(m[2]) <= 1:  # top-level imports only (indent of one space)
            top[m[3]] = top.get(m[3], 0) + int(m[1])
    print("heaviest top-level imports (cumulative ms):")
    for name, us in sorted(top.items(), key=lambda kv: -kv[1])[:10]:
        print(f"  {us / 1000:7.1f}  {name}")
    print(out.stdout.strip().splitlines()[-1])
    print(first.stdout.rstrip())
    return 0


def first_use() -> None:
    """In this (fresh) process: the CPU of each step of a one-file run, the first time and again
    on the same document; the difference is what that step loads or compiles on first use."""
    import time

    t = time.process_time()

    def lap() -> float:
        nonlocal t
        now = time.process_time()
        t, spent = now, now - t
        return spent

    from chitieu import extractors  # noqa: F401 (imports every extractor)

    imports = lap()
    from chitieu.pipeline import run
    from chitieu.pipeline.ingest import read_file

    imports += lap()
    rows = [("import chitieu.pipeline.run (all extractors)", imports, 0.0)]
    src = read_file(SEED)
    docs = run.documents_from_text(src.path, src.text)
    rows.append(("read, normalize, clean, split", lap(), 0.0))
    steps = [(f"field {name}", lambda doc, fn=fn: doc.meta.update(fn(doc))) for _, name, fn in extractors.DOCUMENT_FIELDS]
    steps += [(f"extract {name}", lambda doc, spec=spec: run.records_to_rows(doc.doc_id, spec.name, spec.extract(doc)))
              for name, spec in extractors.TABLES.items()]
    for label, step in steps:
        first = 0.0
        for doc in docs:
            lap()
            step(doc)
            first += lap()
        again = 0.0
        for doc in docs:
            step(doc)
            again += lap()
        rows.append((label, first, again))
    print("first use, CPU seconds in one process (first call - second call = loading/compiling):")
    for label, first, again in rows:
        print(f"  {label:<52} {first:6.3f}  again {again:6.3f}  first use {first - again:6.3f}")
    print(f"  {'total':<52} {sum(r[1] for r in rows):6.3f}")


if __name__ == "__main__":
    sys.exit(main())
