"""Run: the straight line from plan files to database rows.

    for each file:  ingest.read_file -> normalize -> clean -> split -> Document
                    -> document fields (metadata, programme) -> table extractors
    store.replace_file(...) in batches, one transaction per batch

Library use::

    from pipeline.run import extract_paths
    summary = extract_paths(["corpora/seeds"], "outputs/chitieu.db")
    print(summary.documents, summary.errors)
"""
from __future__ import annotations

import hashlib
import sys
import time
import traceback
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Callable, Iterable, Iterator

import extractors
from pipeline import __version__
from pipeline.clean import clean
from pipeline.ingest import MAX_BYTES, Discovery, IngestError, discover_report, read_file
from pipeline.normalize import normalize
from pipeline.split import split_documents
from pipeline.store import Store, records_to_rows
from pipeline.structure import Document

ROOT = Path(__file__).resolve().parent.parent
BATCH_FILES = 50
BATCH_CHARS = 5_000_000


@dataclass
class FileResult:
    path: str
    sha1: str = ""
    chars: int = 0
    documents: list[dict] = field(default_factory=list)
    tables: dict[str, list[dict]] = field(default_factory=dict)
    errors: list[tuple[str, str]] = field(default_factory=list)  # (stage, message)
    source_format: str = ""


@dataclass
class RunSummary:
    run_id: int = 0
    files: int = 0
    skipped: int = 0
    documents: int = 0
    errors: int = 0
    seconds: float = 0.0
    chars: int = 0
    error_messages: list[str] = field(default_factory=list)
    formats: dict[str, int] = field(default_factory=dict)  # files read per format
    discovery: Discovery = field(default_factory=Discovery)

    def line(self) -> str:
        fmts = ", ".join(f"{k} {v}" for k, v in sorted(self.formats.items()))
        skipped = self.discovery.summary()
        return (f"{self.files} files ({self.skipped} unchanged{'; ' + fmts if fmts else ''}), "
                f"{self.documents} documents, {self.errors} errors, {self.seconds:.1f} s"
                + (f"; {skipped}" if skipped else ""))


# data folders under corpora/ that decide what is extracted (not the input plans, not the
# Datasette descriptions or the scoring rules)
RULE_DATA = ("lexicons", "gazetteer", "agencies", "programmes")


def rules_fingerprint() -> str:
    """Hash of the code and data that decide what is extracted (not of the input corpora)."""
    h = hashlib.sha1(__version__.encode())
    files = [p for folder in ("pipeline", "extractors") for p in (ROOT / folder).rglob("*.py")]
    files += [p for folder in RULE_DATA for p in (ROOT / "corpora" / folder).rglob("*") if p.is_file()]
    for p in sorted(files):
        if "__pycache__" not in p.parts:
            h.update(str(p.relative_to(ROOT)).encode())
            h.update(p.read_bytes())
    return h.hexdigest()[:12]


def documents_from_text(source_path: str, text: str) -> list[Document]:
    """Normalize, clean and split a decoded file text into Documents (no extraction yet)."""
    cleaned = clean(normalize(text))
    return [
        Document(source_path, p.index, p.start, p.end, cleaned[p.start:p.end])
        for p in split_documents(cleaned)
        if p.end > p.start
    ]


def enrich(doc: Document) -> Document:
    """Run the registered document-field functions (metadata, programme, …) in order."""
    for _, _, fn in extractors.DOCUMENT_FIELDS:
        doc.meta.update({k: v for k, v in fn(doc).items()})
    return doc


def load_document(path: str | Path, *, ocr: bool = False) -> list[Document]:
    """Read one file and return its enriched Documents: handy for running one extractor alone."""
    src = read_file(path, ocr=ocr)
    return [enrich(d) for d in documents_from_text(src.path, src.text)]


def document_row(doc: Document, sha1: str, rules: str, source_format: str = "txt",
                 pages: int | None = None) -> dict:
    row = {
        "doc_id": doc.doc_id, "source_path": doc.source_path, "source_sha1": sha1, "part": doc.part,
        "char_start": doc.char_start, "char_end": doc.char_end, "text": doc.text, "extracted_with": rules,
        "source_format": source_format, "pages": pages,
    }
    for k, v in doc.meta.items():
        if not k.startswith("_"):
            row[k] = v
    return row


def process_file(path: str, rules: str, read: dict | None = None) -> FileResult:
    """Everything for one file, in memory; never raises (errors are returned).

    ``read``: options for ``ingest.read_file`` (``ocr``, ``max_bytes``)."""
    res = FileResult(path)
    try:
        src = read_file(path, **(read or {}))
    except IngestError as e:
        res.errors.append(("ingest", e.message))
        return res
    res.sha1 = src.raw_sha1
    res.source_format = src.source_format
    res.chars = len(src.text)
    try:
        docs = documents_from_text(src.path, src.text)
    except Exception as e:  # a bug in clean/split must name the file, not stop the batch
        res.errors.append(("split", f"{type(e).__name__}: {e}"))
        return res
    if not docs:
        res.errors.append(("split", "no document text left after cleaning"))
        return res
    for doc in docs:
        try:
            enrich(doc)
        except Exception as e:
            res.errors.append(("metadata", f"part {doc.part}: {type(e).__name__}: {e}" + _where(e)))
        reading_notes = list(src.notes)
        if src.legacy_encoding:
            reading_notes.append(f"converted from the legacy {src.legacy_encoding.upper()} font encoding")
        if reading_notes:
            doc.meta["notes"] = "; ".join(x for x in (*reading_notes, doc.meta.get("notes")) if x)
        for name, spec in extractors.TABLES.items():
            try:
                rows = records_to_rows(doc.doc_id, name, spec.extract(doc))
            except Exception as e:
                res.errors.append((f"extract:{name}", f"part {doc.part}: {type(e).__name__}: {e}"
                                   + _where(e)))
                continue
            for r in rows:
                if doc.text[r["char_start"]:r["char_end"]] != r["quote"]:
                    res.errors.append((f"extract:{name}", f"part {doc.part}: quote does not match text at "
                                                          f"{r['char_start']}:{r['char_end']}"))
                    break
            else:
                res.tables.setdefault(name, []).extend(rows)
        res.documents.append(document_row(doc, src.raw_sha1, rules if not res.errors else "",
                                          src.source_format, src.pages))
    return res


def _where(e: Exception) -> str:
    tb = traceback.extract_tb(e.__traceback__)
    if not tb:
        return ""
    last = tb[-1]
    return f" (at {Path(last.filename).name}:{last.lineno})"


def _results(files: list[str], rules: str, jobs: int, read: dict | None = None) -> Iterator[FileResult]:
    if jobs <= 1 or len(files) < 4:
        for f in files:
            yield process_file(f, rules, read)
        return
    with ProcessPoolExecutor(max_workers=jobs) as pool:
        # map with chunks keeps the order and bounds what is in flight per chunk
        yield from pool.map(process_file, files, [rules] * len(files), [read] * len(files), chunksize=8)


def extract_paths(paths: Iterable[str | Path], db_path: str | Path, *, jobs: int = 1,
                  progress: Callable[[Iterable], Iterable] | None = None,
                  on_error: Callable[[str], None] | None = None, force: bool = False,
                  ocr: bool = False, max_bytes: int = MAX_BYTES) -> RunSummary:
    """Extract every plan file under ``paths`` into the database at ``db_path``.

    When the paths hold nothing to read, no database is created or opened (the problems
    with named paths are still reported through ``on_error`` and counted)."""
    t0 = time.perf_counter()
    summary = RunSummary()
    summary.discovery = found = discover_report(paths)
    if not found.files:  # nothing to read: report the named paths' problems, create no database
        for path, message in found.errors:
            summary.errors += 1
            summary.error_messages.append(f"{path}: [ingest] {message}")
            if on_error:
                on_error(summary.error_messages[-1])
        return summary
    read = {"ocr": ocr, "max_bytes": max_bytes}
    store = Store(db_path)
    rules = rules_fingerprint()
    started = datetime.now(timezone.utc).isoformat(timespec="seconds")
    paths = [str(p) for p in paths]
    summary.run_id = run_id = store.start_run(
        {"started": started, "version": __version__, "rules": rules, "paths": "\n".join(paths)})

    def report(file: str, stage: str, message: str) -> None:
        summary.errors += 1
        msg = f"{file}: [{stage}] {message}"
        summary.error_messages.append(msg)
        store.add_error(run_id, file, stage, message)
        if on_error:
            on_error(msg)

    with store.transaction():
        for path, message in found.errors:
            report(path, "ingest", message)
    files = [str(f) for f in found.files]
    summary.files = len(files)
    todo = []
    for f in files:
        if not force and _unchanged(store, f, rules):
            summary.skipped += 1
            summary.documents += len(store.doc_ids_of(f))
        else:
            todo.append(f)

    results = _results(todo, rules, jobs, read)
    if progress:
        results = progress(results, total=len(todo))
    batch: list[FileResult] = []
    batch_chars = 0
    for res in results:
        batch.append(res)
        batch_chars += res.chars
        if len(batch) >= BATCH_FILES or batch_chars >= BATCH_CHARS:
            _write(store, batch, summary, report)
            batch, batch_chars = [], 0
    if batch:
        _write(store, batch, summary, report)
    store.write_static_tables()
    summary.seconds = time.perf_counter() - t0
    store.finish_run(run_id, {
        "finished": datetime.now(timezone.utc).isoformat(timespec="seconds"), "files": summary.files,
        "skipped": summary.skipped, "documents": summary.documents, "errors": summary.errors,
        "seconds": round(summary.seconds, 3),
        "formats": ", ".join(f"{k} {v}" for k, v in sorted(summary.formats.items()))})
    store.close()
    return summary


def _unchanged(store: Store, path: str, rules: str) -> bool:
    """Stored from these very bytes with these rules? A file never stored is not read here."""
    shas, rules_seen = store.file_state(path)
    if len(shas) != 1 or rules_seen != {rules}:
        return False
    try:
        sha1 = hashlib.sha1(Path(path).read_bytes()).hexdigest()
    except OSError:
        return False
    return shas == {sha1}


def _write(store: Store, batch: list[FileResult], summary: RunSummary, report) -> None:
    with store.transaction():
        for res in batch:
            summary.chars += res.chars
            if res.source_format:
                summary.formats[res.source_format] = summary.formats.get(res.source_format, 0) + 1
            docs = []
            for d in res.documents:
                owner = store.owner_of(d["doc_id"])
                if owner is not None and owner != res.path:
                    res.errors.append(("store", f"part {d['part']} duplicates a document already stored "
                                                f"from {owner} (doc_id {d['doc_id']}); not stored twice"))
                    continue
                docs.append(d)
            kept = {d["doc_id"] for d in docs}
            tables = {k: [r for r in v if r["doc_id"] in kept] for k, v in res.tables.items()}
            if docs or not res.errors:
                store.replace_file(res.path, docs, tables)
            summary.documents += len(docs)
            for stage, message in res.errors:
                report(res.path, stage, message)


def main_progress(iterable, total):
    """tqdm progress bar on a terminal, plain iteration otherwise."""
    if not sys.stderr.isatty():
        return iterable
    from tqdm import tqdm

    return tqdm(iterable, total=total, unit="file", file=sys.stderr)
