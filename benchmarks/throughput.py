"""Throughput and memory of the whole path from files to database.

    .venv/bin/python benchmarks/throughput.py [--copies 200] [--jobs 1]

Builds a synthetic corpus from the bundled seed plans (each copy gets a unique line, so every
document is new), runs ``extract_paths`` in a fresh process per corpus size, and prints MB of
plan text per second per core and the peak resident memory. The design target is >= 1 MB/s
per core with memory flat in corpus size: compare the peak memory of the two sizes.
"""
from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SEEDS = sorted((ROOT / "corpora" / "seeds").glob("*.txt"))


def make_corpus(folder: Path, copies: int) -> int:
    folder.mkdir(parents=True, exist_ok=True)
    total = 0
    for i in range(copies):
        for seed in SEEDS:
            tag = f"Bản sao số {i} của {seed.stem}."
            data = seed.read_bytes().replace("Nơi nhận".encode(), f"({tag}) Nơi nhận".encode())
            data += f"\n{tag}\n".encode("utf-8")
            (folder / f"{i:05d}_{seed.name}").write_bytes(data)
            total += len(data)
    return total


def run_one(corpus: str, db: str, jobs: int) -> None:
    """Child process: extract and print seconds and peak RSS as JSON."""
    sys.path.insert(0, str(ROOT))
    from chitieu.pipeline.run import extract_paths

    t0 = time.perf_counter()
    s = extract_paths([corpus], db, jobs=jobs)
    secs = time.perf_counter() - t0
    rss_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    children_kb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    print(json.dumps({"seconds": secs, "documents": s.documents, "errors": s.errors,
                      "rss_mb": rss_kb / 1024, "children_rss_mb": children_kb / 1024}))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--copies", type=int, default=200, help="copies of the 5 seeds in the large corpus")
    ap.add_argument("--jobs", type=int, default=1)
    ap.add_argument("--child", nargs=3, help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.child:
        run_one(args.child[0], args.child[1], int(args.child[2]))
        return
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        figures = []
        print(f"{'copies':>7} {'files':>6} {'MB':>7} {'docs':>6} {'seconds':>8} {'MB/s':>6} {'MB/s/core':>9} {'peak RSS MB':>11}")
        for copies in (max(1, args.copies // 10), args.copies):
            corpus = tmp / f"c{copies}"
            size = make_corpus(corpus, copies)
            out = subprocess.run([sys.executable, __file__, "--child", str(corpus), str(tmp / f"c{copies}.db"),
                                  str(args.jobs)], capture_output=True, text=True, check=True)
            r = json.loads(out.stdout.strip().splitlines()[-1])
            mb = size / 1e6
            rss = max(r["rss_mb"], r["children_rss_mb"])
            print(f"{copies:>7} {copies * len(SEEDS):>6} {mb:>7.1f} {r['documents']:>6} {r['seconds']:>8.1f} "
                  f"{mb / r['seconds']:>6.2f} {mb / r['seconds'] / args.jobs:>9.2f} {rss:>11.0f}")
            figures.append((mb, r["seconds"], rss))
        (mb1, s1, rss1), (mb2, s2, rss2) = figures
        sustained = (mb2 - mb1) / (s2 - s1) / args.jobs
        print(f"sustained (large minus small run, start-up excluded): {sustained:.2f} MB/s per core; "
              f"peak RSS {rss1:.0f} -> {rss2:.0f} MB for {mb2 / mb1:.0f}x the text")
        print("target: >= 1.00 MB/s per core sustained; peak RSS flat in corpus size")


if __name__ == "__main__":
    main()
