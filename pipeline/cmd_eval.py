"""``chitieu eval``: precision, recall and F1 of a database against hand-coded gold files.

    chitieu eval --db outputs/chitieu.db --gold tests/gold [--verbose] [--json]
"""
from __future__ import annotations

import argparse
import json
import sys

from chitieu.pipeline.cli import DEFAULT_DB, command


def _configure(p: argparse.ArgumentParser) -> None:
    p.add_argument("--db", default=DEFAULT_DB, help=f"database to evaluate (default {DEFAULT_DB})")
    p.add_argument("--gold", required=True, help="folder of gold JSON files (format: README, \"The gold format\")")
    p.add_argument("--verbose", "-v", action="store_true", help="also list every miss and extra with its quote")
    p.add_argument("--json", action="store_true", help="print the figures as one JSON object")


@command("eval", _configure)
def cmd_eval(args: argparse.Namespace) -> int:
    """Compare a database with hand-coded gold files: precision, recall, F1 per field."""
    from chitieu.pipeline.evaluate import GoldError, evaluate

    try:
        ev = evaluate(args.db, args.gold)
    except (FileNotFoundError, GoldError) as e:
        print(f"error: {e}", file=sys.stderr)
        return 2
    if args.json:
        print(json.dumps(ev.as_dict(verbose=args.verbose), ensure_ascii=False))
    else:
        print(ev.report(verbose=args.verbose))
    return 0
