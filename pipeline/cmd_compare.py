"""``chitieu compare --db FILE``: local targets against the national programme, as a table."""
from __future__ import annotations

import argparse
import sys

from chitieu.pipeline.cli import DEFAULT_DB, command


def _cfg(p: argparse.ArgumentParser) -> None:
    p.add_argument("--db", default=DEFAULT_DB, help=f"SQLite database (default {DEFAULT_DB})")
    p.add_argument("--indicator", help="only this indicator code")
    p.add_argument("--province", help="only this province (as stored in documents.province)")
    p.add_argument("--all-columns", action="store_true", help="every column of the view (quote included)")


@command("compare", _cfg)
def cmd_compare(args: argparse.Namespace) -> int:
    """Print the comparison of local targets with the national programme targets."""
    from chitieu.pipeline.compare import comparison_rows, format_table, summary

    try:
        rows = comparison_rows(args.db)
    except (FileNotFoundError, LookupError) as e:
        print(f"error: {e}", file=sys.stderr)
        return 2
    if args.indicator:
        rows = [r for r in rows if r["indicator"] == args.indicator]
    if args.province:
        rows = [r for r in rows if (r["province"] or "").lower() == args.province.lower()]
    if not rows:
        print("no local target with a national counterpart")
        return 0
    columns = list(rows[0].keys()) if args.all_columns else None
    print(format_table(rows, columns))
    print()
    print(summary(rows))
    return 0
