"""Throughput of `chitieu extract` on a realistic corpus, against two floors, and the ways to use cores.

    .venv/bin/python benchmarks/corpus.py --files 1000 [--files 10000] [--schedulers]

Builds a corpus of N distinct plan files from the bundled seeds — every copy gets its own
document number, issue date, place line and shifted target values, so no file duplicates
another's document and every row is new — then, in the same run and on the same text:

- ``chitieu extract`` under ``/usr/bin/time -v`` (CPU seconds of all its processes, peak RSS);
- the **regex floor**: one pass of one bare regular expression over every file (reading and
  decoding included): the least any scan of the text can cost;
- the **segmentation floor**: underthesea's ``word_tokenize`` over a sample of the text, scaled
  (what whole-document word segmentation would cost, which chitieu avoids).

It prints MB of text per CPU-second for each, the ratio of extract to each floor, the peak
RSS, and the wall time and peak RSS of a no-op re-run (every file unchanged). ``--schedulers`` also runs ``--jobs 1``, ``--jobs 2`` and ``--scheduler local:2`` on the
smallest corpus and prints their wall-clock rates side by side.

``--compare-jobs`` runs ``--jobs 1`` and ``--jobs N`` (N = the cores, at least 2) on the smallest
corpus, alternately, ``--repeat`` pairs, and prints for each run the wall and CPU seconds (all
processes), the load average before it, and for each pair the speed-up (wall) and the CPU
overhead of the workers. On a machine shared with other jobs the wall-clock speed-up measures
the others' load as much as chitieu: the CPU seconds say what the workers cost, and the
speed-up an idle machine would give is bounded by ``N × cpu(jobs 1) / cpu(jobs N)``.
"""
from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SEEDS = sorted((ROOT / "corpora" / "seeds").glob("*.txt"))
CHITIEU = Path(sys.executable).parent / "chitieu"
_NUMBER = re.compile(r"Số:\s*[^\n]*")
_PERCENT = re.compile(r"(\d{1,2})%")


def make_corpus(folder: Path, files: int) -> int:
    """N distinct files made from the seeds; returns their total size in bytes."""
    folder.mkdir(parents=True, exist_ok=True)
    texts = [s.read_text(encoding="utf-8") for s in SEEDS]
    total = 0
    for i in range(files):
        t = texts[i % len(texts)]
        t = _NUMBER.sub(f"Số: {1000 + i}/KH-UBND", t, count=1)
        shift = i % 9
        t = _PERCENT.sub(lambda m: f"{min(99, int(m[1]) + shift)}%", t)
        t += f"\nBản số {i}, lưu ngày {1 + i % 28} tháng {1 + i % 12} năm {2021 + i % 5}.\n"
        data = t.encode("utf-8")
        (folder / f"{i:06d}_{SEEDS[i % len(SEEDS)].name}").write_bytes(data)
        total += len(data)
    return total


def timed(cmd: list[str]) -> dict:
    """Run under /usr/bin/time -v: wall and CPU seconds (all processes), peak RSS in MB."""
    out = subprocess.run(["/usr/bin/time", "-v", *cmd], capture_output=True, text=True)
    if out.returncode not in (0, 1):
        raise RuntimeError(f"{' '.join(cmd)} failed: {out.stderr[-2000:]}")
    def field(name: str) -> float:
        m = re.search(rf"{re.escape(name)}:\s*([\d.:]+)", out.stderr)
        return float(m[1]) if m and ":" not in m[1] else 0.0
    wall = re.search(r"Elapsed \(wall clock\) time \(h:mm:ss or m:ss\): ([\d:.]+)", out.stderr)[1]
    parts = [float(x) for x in wall.split(":")]
    wall_s = sum(p * 60 ** k for k, p in enumerate(reversed(parts)))
    return {"wall": wall_s, "cpu": field("User time (seconds)") + field("System time (seconds)"),
            "rss_mb": field("Maximum resident set size (kbytes)") / 1024, "stdout": out.stdout}


def regex_floor(folder: Path) -> float:
    """CPU seconds of reading, decoding and one bare regex pass over every file."""
    pat = re.compile(r"\d+(?:[.,]\d+)*\s*%")
    t0 = time.process_time()
    n = 0
    for f in sorted(folder.iterdir()):
        n += len(pat.findall(f.read_bytes().decode("utf-8")))
    return time.process_time() - t0


def segmentation_floor(folder: Path, total_bytes: int, sample_bytes: int = 300_000) -> float:
    """CPU seconds word_tokenize would take on the whole corpus (measured on a sample, scaled)."""
    from underthesea import word_tokenize

    word_tokenize("khởi động")  # load the model outside the timing
    sample, size = [], 0
    for f in sorted(folder.iterdir()):
        t = f.read_text(encoding="utf-8")
        sample.append(t)
        size += len(t.encode("utf-8"))
        if size >= sample_bytes:
            break
    t0 = time.process_time()
    for t in sample:
        for line in t.splitlines():
            if line.strip():
                word_tokenize(line)
    return (time.process_time() - t0) * total_bytes / size


def compare_jobs(tmp: Path, corpus: Path, repeat: int) -> None:
    """Paired runs of --jobs 1 and --jobs N, alternated (see the module docstring)."""
    from chitieu.pipeline.run import default_jobs

    n = max(2, default_jobs())
    mb = sum(f.stat().st_size for f in corpus.iterdir()) / 1e6
    files = sum(1 for _ in corpus.iterdir())
    print(f"\n--jobs 1 and --jobs {n}, {files} files ({mb:.1f} MB), {repeat} pairs, alternated:")
    print(f"  {'run':<12} {'wall s':>7} {'cpu s':>7} {'MB/s':>6} {'MB/cpu-s':>8} {'peak RSS MB':>11} {'load before':>11}")
    pairs = []
    for i in range(repeat):
        pair = {}
        for jobs in ((1, n) if i % 2 == 0 else (n, 1)):
            db = tmp / f"j{jobs}-{i}.db"
            load = os.getloadavg()[0]
            r = timed([str(CHITIEU), "extract", str(corpus), "--db", str(db), "--no-progress", "--jobs", str(jobs)])
            pair[jobs] = r
            print(f"  --jobs {jobs:<5} {r['wall']:>7.1f} {r['cpu']:>7.1f} {mb / r['wall']:>6.2f} {mb / r['cpu']:>8.2f} "
                  f"{r['rss_mb']:>11.0f} {load:>11.2f}")
        pairs.append(pair)
    for i, p in enumerate(pairs):
        print(f"  pair {i + 1}: --jobs {n} is {p[1]['wall'] / p[n]['wall']:.2f}x the speed of --jobs 1 (wall); "
              f"CPU {p[n]['cpu'] / p[1]['cpu']:.2f}x; idle-machine bound {n * p[1]['cpu'] / p[n]['cpu']:.2f}x")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--files", type=int, action="append", help="corpus sizes (default 1000)")
    ap.add_argument("--jobs", type=int, default=1, help="--jobs of the main extract runs (default 1)")
    ap.add_argument("--schedulers", action="store_true", help="also compare --jobs 1, --jobs 2, --scheduler local:2")
    ap.add_argument("--compare-jobs", action="store_true", help="paired runs of --jobs 1 and --jobs N (CPU and wall)")
    ap.add_argument("--repeat", type=int, default=2, help="pairs of runs for --compare-jobs (default 2)")
    ap.add_argument("--no-floors", action="store_true", help="only the comparisons (skip the main table)")
    args = ap.parse_args()
    sizes = args.files or [1000]
    print(f"machine: {os.cpu_count()} cores; python {sys.version.split()[0]}; extract --jobs {args.jobs}; "
          f"load average {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    if not args.no_floors:
        print(f"{'files':>7} {'MB':>7} {'extract s':>9} {'cpu s':>7} {'MB/cpu-s':>8} {'regex MB/s':>10} "
              f"{'x regex':>7} {'segm MB/s':>9} {'x segm':>6} {'peak RSS MB':>11} {'no-op s':>7} {'no-op MB':>8}")
    tmp = Path(tempfile.mkdtemp(prefix="chitieu-bench-"))
    try:
        for n in sizes:
            corpus = tmp / f"c{n}"
            size = make_corpus(corpus, n)
            if args.no_floors:
                continue
            mb = size / 1e6
            r = timed([str(CHITIEU), "extract", str(corpus), "--db", str(tmp / f"c{n}.db"), "--no-progress",
                       "--jobs", str(args.jobs)])
            again = timed([str(CHITIEU), "extract", str(corpus), "--db", str(tmp / f"c{n}.db"), "--no-progress",
                           "--jobs", str(args.jobs)])  # a no-op re-run: every file unchanged
            rx = regex_floor(corpus)
            seg = segmentation_floor(corpus, size)
            rate = mb / r["cpu"]
            print(f"{n:>7} {mb:>7.1f} {r['wall']:>9.1f} {r['cpu']:>7.1f} {rate:>8.2f} {mb / rx:>10.1f} "
                  f"{(mb / rx) / rate:>7.1f} {mb / seg:>9.2f} {(mb / seg) / rate:>6.2f} {r['rss_mb']:>11.0f} {again['wall']:>7.1f} {again['rss_mb']:>8.0f}")
        if args.schedulers:
            n = sizes[0]
            corpus = tmp / f"c{n}"
            mb = sum(f.stat().st_size for f in corpus.iterdir()) / 1e6
            print(f"\nways to use the cores, {n} files ({mb:.1f} MB), wall-clock:")
            for label, extra in (("--jobs 1", ["--jobs", "1"]), ("--jobs 2", ["--jobs", "2"]),
                                 ("--scheduler local:2", ["--scheduler", "local:2"])):
                db = tmp / f"s{label.replace(' ', '').replace(':', '')}.db"
                r = timed([str(CHITIEU), "extract", str(corpus), "--db", str(db), "--no-progress", *extra])
                print(f"  {label:<20} {r['wall']:>7.1f} s  {mb / r['wall']:>6.2f} MB/s  CPU {r['cpu']:.1f} s  "
                      f"peak RSS {r['rss_mb']:.0f} MB")
        if args.compare_jobs:
            compare_jobs(tmp, tmp / f"c{sizes[0]}", args.repeat)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
