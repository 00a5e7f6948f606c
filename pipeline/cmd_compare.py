"""``chitieu compare --db FILE``: local targets against the national programme, as a table or JSON."""
from __future__ import annotations

import argparse
import json
import os
import sys

from chitieu.pipeline.cli import DEFAULT_DB, command


def _cfg(p: argparse.ArgumentParser) -> None:
    p.add_argument("--db", default=DEFAULT_DB, help=f"SQLite database (default {DEFAULT_DB})")
    p.add_argument("--indicator", help="only this indicator code")
    p.add_argument("--province", help="only this province; accents and case optional ('dak nong' = 'Đắk Nông')")
    p.add_argument("--all-columns", action="store_true", help="every column of the view (quote included)")
    p.add_argument("--json", action="store_true", help="print the rows and the counts as one JSON object")


def select(rows: list[dict], indicator: str | None = None, province: str | None = None) -> list[dict]:
    """The rows of one indicator and/or one province (province folded as search folds it)."""
    from chitieu.pipeline.normalize import fold

    if indicator:
        rows = [r for r in rows if r["indicator"] == indicator]
    if province:
        want = " ".join(fold(province).split())
        rows = [r for r in rows if " ".join(fold(r["province"] or "").split()) == want]
    return rows


def _print(text: str) -> int:
    """Print to stdout; when the reader has gone (``chitieu compare | head``), stop quietly."""
    try:
        print(text)
        sys.stdout.flush()
    except BrokenPipeError:
        # Python's advice: point stdout at devnull so the interpreter's own flush at exit cannot fail
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 1
    return 0


@command("compare", _cfg)
def cmd_compare(args: argparse.Namespace) -> int:
    """Print the comparison of local targets with the national programme targets."""
    from chitieu.pipeline.compare import comparison_rows, counts, format_table, summary
    from chitieu.pipeline.export import UnusableDatabase

    try:
        rows = comparison_rows(args.db)
    except (FileNotFoundError, LookupError, UnusableDatabase) as e:
        print(f"error: {e}", file=sys.stderr)
        return 2
    rows = select(rows, args.indicator, args.province)
    if args.json:
        return _print(json.dumps({"rows": rows, **counts(rows)}, ensure_ascii=False))
    if not rows:
        return _print("no local target with a national counterpart")
    columns = list(rows[0].keys()) if args.all_columns else None
    return _print(format_table(rows, columns) + "\n\n" + summary(rows))
