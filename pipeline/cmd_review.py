"""`chitieu review`: HTML pages with every extracted span highlighted (see pipeline/review.py)."""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

from chitieu.pipeline.cli import DEFAULT_DB, command


def _configure(p: argparse.ArgumentParser) -> None:
    p.add_argument("--db", default=DEFAULT_DB)
    p.add_argument("--out", default="outputs/review", help="folder for the HTML pages (default outputs/review)")


@command("review", _configure)
def cmd_review(args: argparse.Namespace) -> int:
    """Write one HTML review page per document with its extracted spans highlighted."""
    from chitieu.pipeline.review import render_reviews

    if not Path(args.db).exists():
        print(f"error: {args.db}: no such database (run `chitieu extract` first)", file=sys.stderr)
        return 2
    pages = render_reviews(args.db, args.out)
    print(f"chitieu review: {len(pages)} pages -> {Path(args.out) / 'index.html'}")
    return 0
