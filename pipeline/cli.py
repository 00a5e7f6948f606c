"""The ``chitieu`` command: a thin shell over the library.

    chitieu extract PATH... [--db FILE] [--jobs N] [--force] [--prune] [--time-budget S] [--json]
    chitieu export [--db FILE] [--out DIR] [--bom] [--with-text] [--format csv|parquet]

Other subcommands (compare, eval, …) register themselves in ``COMMANDS``.
"""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Callable

DEFAULT_DB = "outputs/chitieu.db"
DEFAULT_OUT = "outputs"

# name -> (configure parser, run) ; modules add their own subcommands here
COMMANDS: dict[str, tuple[Callable[[argparse.ArgumentParser], None], Callable[[argparse.Namespace], int]]] = {}


def command(name: str, configure: Callable[[argparse.ArgumentParser], None]):
    def deco(fn):
        COMMANDS[name] = (configure, fn)
        return fn

    return deco


def _cfg_extract(p: argparse.ArgumentParser) -> None:
    p.add_argument("paths", nargs="+", help="plan files (.txt .md .html .pdf .docx .doc .rtf .odt .xlsx) "
                                            "or folders (searched recursively)")
    p.add_argument("--db", default=DEFAULT_DB, help=f"SQLite database to write (default {DEFAULT_DB})")
    p.add_argument("--jobs", type=int, default=0, help="worker processes (default 0: one per CPU core this process may use)")
    p.add_argument("--force", action="store_true", help="re-extract files that are unchanged")
    p.add_argument("--no-progress", action="store_true", help="no progress bar even on a terminal")
    p.add_argument("--scheduler", help="run on a Dask cluster: tcp://HOST:8786, or local:N for N local workers")
    p.add_argument("--prune", action="store_true",
                   help="remove the rows of files stored from under PATH that are no longer there")
    p.add_argument("--time-budget", type=float, default=None, metavar="S",
                   help="seconds per 100 KB a file may take, on top of a 10 s constant (default 2; 0: no limit); "
                        "a file past its budget is an errors row")
    p.add_argument("--ocr", action="store_true",
                   help="read scanned PDFs with Tesseract (pip install -e '.[ocr]' and tesseract-ocr-vie)")
    p.add_argument("--max-size", type=float, default=50, metavar="MB",
                   help="files larger than this are an error, not read (default 50 MB)")
    p.add_argument("--json", action="store_true",
                   help="print the run's summary as one JSON object (progress and errors stay on stderr)")


def _print_error(msg: str) -> None:
    """An error line on stderr; through tqdm when a progress bar is drawn, so it does not cut it."""
    if sys.stderr.isatty():
        from tqdm import tqdm

        tqdm.write(f"error: {msg}", file=sys.stderr)
    else:
        print(f"error: {msg}", file=sys.stderr)


@command("extract", _cfg_extract)
def cmd_extract(args: argparse.Namespace) -> int:
    """Read plan files (txt, md, html, pdf, docx, …) and store their rows in the database."""
    from chitieu.pipeline.run import DEFAULT_BUDGET, TimeBudget, extract_paths, main_progress

    from chitieu.pipeline.distributed import SchedulerError

    budget = DEFAULT_BUDGET if args.time_budget is None else TimeBudget(DEFAULT_BUDGET.base, args.time_budget)
    try:
        summary = extract_paths(
            args.paths, args.db, jobs=args.jobs, force=args.force, prune=args.prune, budget=budget,
            scheduler=args.scheduler, progress=None if args.no_progress else main_progress,
            on_error=_print_error,
            ocr=args.ocr, max_bytes=int(args.max_size * 1024 * 1024),
        )
    except SchedulerError as e:
        print(f"error: {e}", file=sys.stderr)
        return 2
    for w in summary.discovery.warnings():
        print(f"warning: {w}", file=sys.stderr)
    if not summary.discovery.files:
        print(f"warning: no plan files found in {' '.join(args.paths)}"
              f" ({summary.discovery.summary() or 'nothing readable'}); {args.db} not written", file=sys.stderr)
        if args.json:
            print(_json_line(summary_json(summary, args.db, written=False)))
        return 2
    from chitieu.pipeline.publish import publish

    metadata = publish(args.db, metadata_folder(args.db))
    if args.json:
        print(_json_line(summary_json(summary, args.db, metadata=metadata)))
    else:
        print(f"chitieu extract: {summary.line()} -> {args.db}")
    return 1 if summary.errors else 0


def _json_line(obj) -> str:
    """One JSON line, UTF-8 printable: a file name's undecodable bytes (lone surrogates) are written
    as JSON's own \\uDCxx escapes, which read back to the same string."""
    return json.dumps(obj, ensure_ascii=False).encode("utf-8", "backslashreplace").decode("utf-8")


def metadata_folder(db: str | Path) -> Path | None:
    """Where ``extract`` writes Datasette's metadata.json: beside the database when it is in the
    project's ``outputs/`` folder (the default database's folder, under the current directory),
    nowhere otherwise (``chitieu export --out DIR`` writes it where asked)."""
    folder = Path(db).resolve().parent
    return folder if folder == Path(DEFAULT_OUT).resolve() else None


def _table_rows(db: str | Path) -> dict[str, int]:
    """Rows of each table of the database (search-index aids left out)."""
    from chitieu.pipeline.export import open_database

    con = open_database(db)
    try:
        names = [r[0] for r in con.execute(
            "select name from sqlite_master where type = 'table' and name not like 'sqlite_%' "
            "and name not like '%_fts%' order by name")]
        return {n: con.execute(f"select count(*) from [{n}]").fetchone()[0] for n in names}
    finally:
        con.close()


def summary_json(summary, db: str | Path, *, written: bool = True, metadata: Path | None = None) -> dict:
    """``extract --json``: the run's summary line as one object. ``rows``: rows of each table in
    the database after the run (the whole database, not only this run's files)."""
    d = summary.discovery
    return {
        "db": str(db), "written": written, "run_id": summary.run_id,
        "files": summary.files, "unchanged": summary.skipped, "formats": dict(sorted(summary.formats.items())),
        "documents": summary.documents, "duplicates": summary.duplicates, "pruned": summary.pruned,
        "errors": summary.errors, "error_messages": list(summary.error_messages),
        "seconds": round(summary.seconds, 3),
        "skipped_other_types": dict(sorted(d.other_types.items())),
        "not_read": [{"path": p, "kind": k} for p, k in d.special],
        "rows": _table_rows(db) if written else {},
        "metadata": str(metadata) if metadata else None,
    }


def _cfg_export(p: argparse.ArgumentParser) -> None:
    p.add_argument("--db", default=DEFAULT_DB)
    p.add_argument("--out", default=DEFAULT_OUT, help=f"folder for the CSV files (default {DEFAULT_OUT})")
    p.add_argument("--bom", action="store_true", help="write a UTF-8 BOM so Excel reads Vietnamese correctly")
    p.add_argument("--with-text", action="store_true", help="include documents.text in documents.csv")
    p.add_argument("--format", choices=("csv", "parquet"), default="csv",
                   help="csv (default) or parquet: one typed .parquet file per table and view "
                        "(needs pyarrow: pip install 'chitieu[parquet]')")


@command("export", _cfg_export)
def cmd_export(args: argparse.Namespace) -> int:
    """Write one CSV (or Parquet file) per table and view, and metadata.json for Datasette."""
    from chitieu.pipeline.export import MissingExtra, export_csv, export_parquet

    problems: list[str] = []
    try:
        if args.format == "parquet":
            paths = export_parquet(args.db, args.out, with_text=args.with_text, problems=problems)
        else:
            paths = export_csv(args.db, args.out, bom=args.bom, with_text=args.with_text, problems=problems)
    except (FileNotFoundError, MissingExtra) as e:
        print(f"error: {e}", file=sys.stderr)
        return 2
    from chitieu.pipeline.publish import publish

    meta = publish(args.db, args.out)
    paths.append(meta)
    for p in problems:
        print(f"error: {p}", file=sys.stderr)
    print(f"chitieu export: {len(paths)} files -> {args.out}: " + ", ".join(p.name for p in paths))
    return 1 if problems else 0


def _load_plugins() -> None:
    """Import pipeline modules that add subcommands (compare, eval, …)."""
    import importlib
    import pkgutil

    from chitieu import pipeline

    for mod in pkgutil.iter_modules(pipeline.__path__):
        if mod.name.startswith("cmd_"):
            importlib.import_module(f"{pipeline.__name__}.{mod.name}")  # under any package name


def build_parser() -> argparse.ArgumentParser:
    _load_plugins()
    parser = argparse.ArgumentParser(prog="chitieu", description="Extract commitments from Vietnamese plan texts.")
    from chitieu.pipeline import __version__

    parser.add_argument("--version", action="version", version=f"chitieu {__version__}")
    sub = parser.add_subparsers(dest="command", required=True)
    for name, (configure, _) in COMMANDS.items():
        sp = sub.add_parser(name, help=(COMMANDS[name][1].__doc__ or "").strip().split("\n")[0] or None)
        configure(sp)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    import sqlite3

    from chitieu.pipeline.export import UnusableDatabase

    try:
        return COMMANDS[args.command][1](args)
    except BrokenPipeError:  # `chitieu compare | head`: the reader has what it wanted
        import os

        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
    except UnusableDatabase as e:  # not a database, damaged, or locked by another process too long
        print(f"error: {e}", file=sys.stderr)
        return 2
    except sqlite3.DatabaseError as e:  # "file is not a database", a damaged file: name it, no traceback
        print(f"error: {getattr(args, 'db', '')}: not a usable chitieu database ({e})", file=sys.stderr)
        return 2


if __name__ == "__main__":  # `python -m chitieu.pipeline.cli`: run the imported module, where
    from chitieu.pipeline.cli import main as _main  # the subcommands registered themselves

    sys.exit(_main())
