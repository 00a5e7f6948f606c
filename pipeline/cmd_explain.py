"""`chitieu explain`: what every number of a document became, and why (see pipeline/explain.py)."""
from __future__ import annotations

import argparse
import json
import sys

from chitieu.pipeline.cli import command


def _configure(p: argparse.ArgumentParser) -> None:
    p.add_argument("file", help="one plan file, read as `chitieu extract` reads it")
    p.add_argument("--at", help="only the numbers whose line contains this text (or that are written so)")
    p.add_argument("--json", action="store_true", help="the decisions as one JSON object per document")


@command("explain", _configure)
def cmd_explain(args: argparse.Namespace) -> int:
    """Print, for every number of a document, whether it became a target or budget and why, or why not."""
    from chitieu.pipeline.explain import explain_file
    from chitieu.pipeline.ingest import IngestError

    try:
        results = explain_file(args.file, at=args.at)
    except (IngestError, FileNotFoundError, OSError) as e:
        print(f"error: {e}", file=sys.stderr)
        return 2
    return _print(args, results)  # a closed pipe (`| head`) is handled once, in cli.main


def _print(args: argparse.Namespace, results) -> int:
    found = 0
    for doc, decisions in results:
        found += len(decisions)
        if args.json:
            print(json.dumps({"file": args.file, "part": doc.part, "doc_id": doc.doc_id,
                              "decisions": [d.as_dict() for d in decisions]}, ensure_ascii=False))
            continue
        title = doc.meta.title or ""
        print(f"{args.file} part {doc.part} {doc.doc_id}  {title[:80]}")
        taken = sum(1 for d in decisions if d.taken)
        print(f"  {len(decisions)} numbers, {taken} taken")
        for d in decisions:
            print("  " + d.line().replace("\n", "\n  "))
    if args.at and not found:
        print(f"no number in a line containing {args.at!r}", file=sys.stderr)
        return 1
    return 0
