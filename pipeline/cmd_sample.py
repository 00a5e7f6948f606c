"""``chitieu sample``: draw a seeded random sample of rows to judge, and score a judged sheet.

    chitieu sample --db DB --n 200 --seed 1 --out sample.csv [--judged old.csv] [--gold DIR]
    chitieu sample --db DB --score sample.csv [--json]

The method and the sheet's columns: ``pipeline/sample.py`` and the README ("Precision on a mixed
corpus").
"""
from __future__ import annotations

import argparse
import json
import sys

from chitieu.pipeline.cli import DEFAULT_DB, command


def _configure(p: argparse.ArgumentParser) -> None:
    p.add_argument("--db", default=DEFAULT_DB, help=f"database to sample (default {DEFAULT_DB})")
    p.add_argument("--n", type=int, default=200, help="rows to draw (default 200; all when fewer)")
    p.add_argument("--seed", type=int, default=1, help="random seed: the same seed draws the same rows")
    p.add_argument("--tables", default="targets,budgets", help="tables to draw from (default targets,budgets)")
    p.add_argument("--out", help="write the judging sheet (CSV) here")
    p.add_argument("--judged", help="a sheet judged before: its verdicts are carried over to the rows drawn")
    p.add_argument("--gold", help="gold folder (chitieu eval format): rows of files with gold are judged by it")
    p.add_argument("--score", metavar="SHEET", help="score a judged sheet instead of drawing")
    p.add_argument("--json", action="store_true", help="print the figures as one JSON object")


@command("sample", _configure)
def cmd_sample(args: argparse.Namespace) -> int:
    """Draw a random sample of rows to judge by hand, or score a judged sheet (precision, 95 percent interval)."""
    from chitieu.pipeline import sample as S
    from chitieu.pipeline.evaluate import GoldError

    tables = [t.strip() for t in args.tables.split(",") if t.strip()]
    gone = 0
    try:
        if args.score:
            rows = S.read_sheet(args.score)
            present = {r.key for r in S.all_rows(args.db, sorted({r.table for r in rows}) or tables)}
            gone = sum(r.key not in present for r in rows)
            rows = [r for r in rows if r.key in present]
        else:
            rows = S.draw(args.db, n=args.n, seed=args.seed, tables=tables)
            if args.judged:
                rows, _ = S.carry_over(S.read_sheet(args.judged), rows)
            if args.gold:
                S.judge_by_gold(rows, args.gold)
            if args.out:
                S.write_sheet(rows, args.out)
    except (FileNotFoundError, ValueError, GoldError) as e:
        print(f"error: {e}", file=sys.stderr)
        return 2
    figures = S.score(rows)
    if args.json:
        print(json.dumps({"tables": figures, "gone": gone}, ensure_ascii=False))
    else:
        print(S.report(figures, gone))
        if args.out:
            print(f"sheet: {args.out} ({len(rows)} rows; fill `verdict` with ok or wrong)")
    return 0
