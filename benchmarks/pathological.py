"""Pathological inputs: does the cost stay linear in input size and line length?

    .venv/bin/python benchmarks/pathological.py [--sizes 64,128,256,512] [--only NAME,...]
                                                [--cap 60] [--profile]

Each generator of the catalogue builds one file of a given size (KB) that stresses one path of
the pipeline (the inputs of issue 8 and a few more). Each file runs the whole path —
``extract_paths`` from the file into a fresh SQLite database — at 4 sizes, and the benchmark
prints seconds, seconds per MB and the growth exponent (the slope of log time over log size:
1 is linear, 2 quadratic). The goal is every exponent <= 1.2. A file that takes longer than
``--cap`` seconds stops its generator (larger sizes would be slower still) and is marked ``>cap``.
``--profile`` prints, for each generator whose exponent is above 1.2, the functions that spent
the most time at its largest size (cProfile), to say which function is slow.

Not a timed test: the figures depend on the machine; run it by hand, never in a loop.
"""
from __future__ import annotations

import argparse
import cProfile
import math
import pstats
import sys
import tempfile
import time
from pathlib import Path
from typing import Callable

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from chitieu.pipeline.run import TimeBudget, extract_paths  # noqa: E402

SEEDS = sorted((ROOT / "corpora" / "seeds").glob("*.txt"))
PLAN = SEEDS[4].read_text(encoding="utf-8") if len(SEEDS) > 4 else SEEDS[0].read_text(encoding="utf-8")
_LINES = [ln for ln in PLAN.splitlines() if ln.strip()]
HEADER = "ỦY BAN NHÂN DÂN\nXÃ AN BÌNH\nCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nSố: 12/KH-UBND\nKẾ HOẠCH\n"


def _fill(unit: str, size: int, sep: str = "") -> str:
    """``unit`` repeated (joined by ``sep``) to about ``size`` bytes of UTF-8."""
    n = max(1, size // len((unit + sep).encode("utf-8")))
    return sep.join([unit] * n)


def _numbered(make: Callable[[int], str], size: int, sep: str) -> str:
    out, total, i = [], 0, 0
    while total < size:
        piece = make(i)
        out.append(piece)
        total += len(piece.encode("utf-8")) + len(sep)
        i += 1
    return sep.join(out)


# name -> (what it stresses, generator of about `size` bytes)
CATALOGUE: dict[str, tuple[str, Callable[[int], str]]] = {
    "condition_repeat": ("'đối với các đơn vị 10% cán bộ ' repeated on one line (targets' condition pattern)",
                         lambda n: HEADER + _fill("đối với các đơn vị 10% cán bộ ", n)),
    "pipe_debris_line": ("one line of '| a ' pipe debris not ending with a pipe (clean's table-row test)",
                         lambda n: HEADER + _fill("| a ", n) + "x\n"),
    "one_cell_table": ("a table written one cell per line, cells repeating (clean._dedupe_blocks)",
                       lambda n: HEADER + _numbered(lambda i: f"| {i} |\n| Sở Y tế |\n| đạt |", n, "\n")),
    "money_line": ("one line of money amounts (budgets)",
                   lambda n: HEADER + _numbered(lambda i: f"Kinh phí thực hiện nội dung {i}: {i + 1}.500 triệu đồng;",
                                                n, " ")),
    "targets_line": ("one line of targets (targets)",
                     lambda n: HEADER + _numbered(lambda i: f"phấn đấu đến năm 2030 đạt {i % 90 + 5}% số hộ nghèo;",
                                                  n, " ")),
    "plan_one_line": ("a real plan with its line breaks removed, repeated on one line (agencies, sentences)",
                      lambda n: HEADER + _fill(PLAN.replace("\n", " "), n, " ")),
    "distribution_blocks": ("many 'Nơi nhận' blocks between agency mentions (Document.in_distribution_list)",
                            lambda n: HEADER + _numbered(
                                lambda i: f"{i + 1}. Sở Y tế chủ trì, phối hợp với Sở Tài chính thực hiện nội dung {i}.\n"
                                          "Nơi nhận:\n- Sở Nội vụ;\n- Lưu: VT.", n, "\n")),
    "heading_storm": ("thousands of heading markers (structure's section tree)",
                      lambda n: HEADER + _numbered(lambda i: ("I. Mục tiêu", f"{i % 99 + 1}. Nội dung",
                                                              f"{i % 9 + 1}.{i % 9 + 1}. Chỉ tiêu", "a) Đạt 90% số hộ",
                                                              "- Sở Y tế chủ trì")[i % 5], n, "\n")),
    "wrapped_lines": ("lines broken mid-sentence, re-joined into one (clean._rejoin)",
                      lambda n: HEADER + "Mở đầu\n" + _numbered(lambda i: f"và tiếp tục nội dung số {i}", n, "\n")),
    "repeated_plan": ("a plan repeated many times in one file (clean's block dedupe, split)",
                      lambda n: _fill(PLAN, n, "\n")),
    "digit_runs": ("long runs of digits among words (numbers)",
                   lambda n: HEADER + _numbered(lambda i: f"đạt {'9' * 200}% số hộ {i};", n, " ")),
    "nbsp_zero_width": ("a plan sprinkled with NBSP and zero-width characters (normalize)",
                        lambda n: HEADER + _numbered(lambda i: f"{_LINES[i % len(_LINES)]} ({i})".replace(
                            " ", "\u00a0\u200b "), n, "\n")),
}


def run_one(text: str, cap: float, profile: bool = False) -> tuple[float, bool, str]:
    """Seconds of the whole path on one file holding ``text``; (seconds, capped, profile text)."""
    with tempfile.TemporaryDirectory(prefix="chitieu-patho-") as tmp:
        folder = Path(tmp) / "in"
        folder.mkdir()
        (folder / "input.txt").write_text(text, encoding="utf-8")
        prof = cProfile.Profile() if profile else None
        t0 = time.perf_counter()
        if prof:
            prof.enable()
        summary = extract_paths([folder], Path(tmp) / "x.db", budget=TimeBudget(base=cap, per_100kb=1e-9))
        if prof:
            prof.disable()
        seconds = time.perf_counter() - t0
        capped = any("took longer than" in m for m in summary.error_messages)
        return seconds, capped, _hot_spots(prof) if prof else ""


# frames that only pass the work on (a slow extractor shows in all of them)
_PASS_THROUGH = ("pipeline/run.py", "pipeline/store.py", "pipeline/__init__", "extractors/__init__")


def _hot_spots(prof: cProfile.Profile, n: int = 5) -> str:
    """The project's functions with the most time spent in them or below them (cumulative),
    without the frames that only pass the work on, then the functions with the most time of
    their own (C calls such as a regex search included)."""
    stats = pstats.Stats(prof).stats  # (file, line, name) -> (cc, nc, tottime, cumtime, callers)
    ours = [(v[3], k) for k, v in stats.items()
            if str(ROOT) in k[0] and "/.venv/" not in k[0] and not k[0].endswith(_PASS_THROUGH)]
    own = sorted(((v[2], k) for k, v in stats.items()), reverse=True)[:n]
    lines = [f"  {t:8.2f} s  {Path(k[0]).relative_to(ROOT) if str(ROOT) in k[0] else k[0]}:{k[1]} {k[2]}"
             for t, k in sorted(ours, reverse=True)[:n]]
    lines.append("  own time:")
    lines += [f"  {t:8.2f} s  {Path(k[0]).name}:{k[1]} {k[2]}" for t, k in own]
    return "\n".join(lines)


def exponent(sizes: list[int], seconds: list[float]) -> float | None:
    """Least-squares slope of log(seconds) over log(size)."""
    pts = [(math.log(s), math.log(max(t, 1e-4))) for s, t in zip(sizes, seconds)]
    if len(pts) < 2:
        return None
    mx = sum(x for x, _ in pts) / len(pts)
    my = sum(y for _, y in pts) / len(pts)
    den = sum((x - mx) ** 2 for x, _ in pts)
    return sum((x - mx) * (y - my) for x, y in pts) / den if den else None


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--sizes", default="64,128,256,512", help="sizes in KB, 4 by default (default 64,128,256,512)")
    ap.add_argument("--only", default="", help="comma-separated generator names")
    ap.add_argument("--cap", type=float, default=60.0, help="seconds after which a file stops its generator")
    ap.add_argument("--profile", action="store_true", help="profile the largest size of each slow generator")
    args = ap.parse_args(argv)
    sizes = [int(float(s) * 1024) for s in args.sizes.split(",")]
    names = [n for n in CATALOGUE if not args.only or n in args.only.split(",")]
    run_one(HEADER + PLAN, args.cap)  # warm-up: lexicons, gazetteer, models
    # the fixed cost of a run (database, rules fingerprint) is taken off every figure
    base = min(run_one(HEADER + "Nội dung.", args.cap)[0] for _ in range(3))
    print(f"fixed cost of a run: {base:.2f} s (subtracted)")
    print(f"{'generator':22} " + " ".join(f"{s // 1024:>7} KB" for s in sizes) + "    s/MB  exponent")
    slow = []
    for name in names:
        what, make = CATALOGUE[name]
        done_sizes, secs, cells = [], [], []
        for size in sizes:
            text = make(size)
            t, capped, _ = run_one(text, args.cap)
            if t < 2 and not capped:  # small figures are noisy on a shared machine: best of two
                t = min(t, run_one(text, args.cap)[0])
            real = len(text.encode("utf-8"))
            cells.append(f">{args.cap:.0f} s" if capped else f"{max(t - base, 0):7.2f} s")
            if capped:
                break
            done_sizes.append(real)
            secs.append(max(t - base, 1e-3))
        cells += ["" for _ in range(len(sizes) - len(cells))]
        exp = exponent(done_sizes, secs)
        per_mb = secs[-1] / (done_sizes[-1] / 1e6) if secs else float("nan")
        flag = "" if exp is not None and exp <= 1.2 and len(secs) == len(sizes) else "  <-- above 1.2" \
            if exp is None or exp > 1.2 else "  <-- capped"
        print(f"{name:22} " + " ".join(f"{c:>10}" for c in cells) +
              f" {per_mb:7.2f} {exp if exp is not None else float('nan'):9.2f}{flag}", flush=True)
        if flag:
            slow.append((name, make, sizes[len(secs) - 1] if secs else sizes[0]))
    if args.profile:
        for name, make, size in slow:
            _, _, report = run_one(make(size), args.cap, profile=True)
            print(f"\n{name} at {size // 1024} KB — {CATALOGUE[name][0]}; most time in:\n{report}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
