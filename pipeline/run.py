"""Run: the straight line from plan files to database rows.

    for each file:  ingest.read_file -> normalize -> clean -> split -> Document
                    -> document fields (metadata, programme) -> table extractors
    store.replace_file(...) in batches, one transaction per batch, one SAVEPOINT per file

Every stage of every file runs inside an error boundary: an exception, a value SQLite cannot
hold, or a spent time budget becomes an ``errors`` row (file, stage, message, exception type)
and the run goes on (README, "What becomes an error").

Library use::

    from chitieu.pipeline.run import extract_paths
    summary = extract_paths(["corpora/seeds"], "outputs/chitieu.db")
    print(summary.documents, summary.errors)
"""
from __future__ import annotations

import hashlib
import os
import signal
import sys
import threading
import time
import traceback
from collections import deque
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Callable, Iterable, Iterator

from chitieu import extractors
from chitieu.pipeline import __version__
from chitieu.pipeline.cache import use_rules
from chitieu.pipeline.clean import clean
from chitieu.pipeline.data import corpus_dir, corpus_files
from chitieu.pipeline.ingest import MAX_BYTES, Discovery, IngestError, discover_report, read_file
from chitieu.pipeline.normalize import normalize
from chitieu.pipeline.patterns import compile_all
from chitieu.pipeline.split import split_documents
from chitieu.pipeline.store import Store, check_row, display_path, path_columns, path_key, records_to_rows
from chitieu.pipeline.structure import Document

# the code that decides what is extracted, wherever it is installed (see rules_fingerprint)
PACKAGE_DIR = Path(__file__).resolve().parent
EXTRACTORS_DIR = Path(extractors.__file__).resolve().parent
BATCH_FILES = 50
BATCH_CHARS = 5_000_000


@dataclass
class FileResult:
    path: str
    sha1: str = ""
    chars: int = 0
    documents: list[dict] = field(default_factory=list)
    tables: dict[str, list[dict]] = field(default_factory=dict)
    duplicates: list[dict] = field(default_factory=list)  # parts repeating a document of this file
    errors: list[tuple[str, str, str]] = field(default_factory=list)  # (stage, message, exception type)
    stage: str = "ingest"  # the stage running now (named by an error that ends the file)
    source_format: str = ""  # txt, md, html, pdf, docx, … (pipeline.readers)

    def error(self, stage: str, message: str, exc: BaseException | None = None) -> None:
        self.errors.append((stage, message, type(exc).__name__ if exc is not None else ""))


@dataclass(frozen=True)
class TimeBudget:
    """How long one file may take: ``base`` seconds plus ``per_100kb`` seconds per 100 KB of its
    bytes. ``per_100kb <= 0`` turns the budget off."""

    base: float = 10.0
    per_100kb: float = 2.0

    def seconds(self, nbytes: int) -> float | None:
        if self.per_100kb <= 0:
            return None
        return self.base + self.per_100kb * nbytes / 100_000

    def describe(self) -> str:
        return f"{self.base:g} s + {self.per_100kb:g} s per 100 KB"


DEFAULT_BUDGET = TimeBudget()


class FileTimeout(BaseException):
    """Raised inside a file's processing when its time budget is spent. A BaseException so the
    per-stage boundaries (``except Exception``) do not swallow it."""


@dataclass
class RunSummary:
    run_id: int = 0
    files: int = 0
    skipped: int = 0
    documents: int = 0
    duplicates: int = 0
    pruned: int = 0
    errors: int = 0
    seconds: float = 0.0
    chars: int = 0
    error_messages: list[str] = field(default_factory=list)
    formats: dict[str, int] = field(default_factory=dict)  # files read per format
    discovery: Discovery = field(default_factory=Discovery)  # what the folders held besides plans

    def line(self) -> str:
        extra = "".join([f", {self.duplicates} copies stored once" if self.duplicates else "",
                         f", {self.pruned} files pruned" if self.pruned else ""])
        fmts = ", ".join(f"{k} {v}" for k, v in sorted(self.formats.items()))
        skipped = self.discovery.summary()
        return (f"{self.files} files ({self.skipped} unchanged{'; ' + fmts if fmts else ''}), "
                f"{self.documents} documents{extra}, {self.errors} errors, {self.seconds:.1f} s"
                + (f"; {skipped}" if skipped else ""))


# data folders under corpora/ that decide what is extracted (not the input plans, not the
# Datasette descriptions or the scoring rules)
RULE_DATA = ("lexicons", "gazetteer", "agencies", "programmes")


def rules_fingerprint() -> str:
    """Hash of the code and data that decide what is extracted (not of the input corpora).

    Found where they are installed (a source checkout or a wheel: ``pipeline.data``), each file
    hashed under its name in the repository ("pipeline/run.py", "corpora/lexicons/money.yaml").
    """
    h = hashlib.sha1(__version__.encode())
    named = [(f"{folder}/{p.relative_to(base).as_posix()}", p)
             for folder, base in (("pipeline", PACKAGE_DIR), ("extractors", EXTRACTORS_DIR))
             for p in base.rglob("*.py")]
    named += [(f"corpora/{folder}/{p.relative_to(corpus_dir(folder)).as_posix()}", p)
              for folder in RULE_DATA for p in corpus_files(folder)]
    for name, p in sorted(named):
        if "__pycache__" not in p.parts:
            h.update(name.encode())
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
        doc.meta.update(fn(doc))
    return doc


def load_document(path: str | Path, *, ocr: bool = False) -> list[Document]:
    """Read one file and return its enriched Documents: handy for running one extractor alone."""
    src = read_file(path, ocr=ocr)
    return [enrich(d) for d in documents_from_text(src.path, src.text)]


def document_row(doc: Document, sha1: str, rules: str, source_format: str = "txt",
                 pages: int | None = None) -> dict:
    row = {
        "doc_id": doc.doc_id, "source_path": display_path(doc.source_path), "source_key": path_key(doc.source_path),
        "source_sha1": sha1, "part": doc.part,
        "char_start": doc.char_start, "char_end": doc.char_end, "text": doc.text, "extracted_with": rules,
        "source_format": source_format, "pages": pages,
    }
    row.update(doc.meta.row())
    return row


def process_file(path: str, rules: str, budget: TimeBudget = DEFAULT_BUDGET, read: dict | None = None) -> FileResult:
    """Everything for one file, in memory; never raises (errors are returned). ``read``: options
    for ``ingest.read_file`` (``ocr``, ``max_bytes``).

    The error boundary: each stage runs inside ``_process``'s own ``try`` (an extractor that fails
    loses only its table); anything else, and a spent time budget, ends the file here as one
    error naming the stage. A file that ran out of time keeps nothing (its old rows stay).
    """
    res = FileResult(path)
    try:
        with _time_limit(budget.seconds(_size(path))) as limit:
            _process(res, rules, limit, read or {})
    except FileTimeout:
        res.documents, res.tables, res.duplicates = [], {}, []
        res.error(res.stage, f"took longer than {limit.seconds:.1f} s (time budget {budget.describe()}); "
                             "not stored", FileTimeout())
    except Exception as e:  # noqa: BLE001 - the outermost boundary: the batch must go on
        res.documents, res.tables, res.duplicates = [], {}, []
        res.error(res.stage, f"{type(e).__name__}: {e}" + _where(e), e)
    return res


def _process(res: FileResult, rules: str, limit: "_Limit", read: dict) -> None:
    res.stage = "ingest"
    try:
        src = read_file(res.path, **read)
    except IngestError as e:
        res.error("ingest", e.message)
        return
    res.sha1 = src.raw_sha1
    res.source_format = src.source_format
    res.chars = len(src.text)
    res.stage = "split"
    docs = documents_from_text(src.path, src.text)
    limit.check()
    if not docs:
        res.error("split", "no document text left after cleaning")
        return
    docs = _drop_repeated_documents(res, docs)
    for doc in docs:
        res.stage = "metadata"
        _enrich_document(res, doc, src.legacy_encoding, src.notes)
        limit.check()
        for name, spec in extractors.TABLES.items():
            res.stage = f"extract:{name}"
            rows = _extract_table(res, doc, name, spec)
            limit.check()
            if rows:
                res.tables.setdefault(name, []).extend(rows)
        res.stage = "store"
        res.documents.append(_checked_document_row(res, doc, document_row(doc, src.raw_sha1, rules,
                                                                          src.source_format, src.pages)))
    if res.errors:  # a file with errors is retried next run
        for d in res.documents:
            d["extracted_with"] = ""


def _enrich_document(res: FileResult, doc: Document, legacy: str | None, reading_notes=()) -> None:
    try:
        enrich(doc)
    except Exception as e:  # noqa: BLE001 - one stage's failure is an errors row
        res.error("metadata", f"part {doc.part}: {type(e).__name__}: {e}" + _where(e), e)
    notes = [*reading_notes, doc.meta.notes]  # what the reader noticed (NUL dropped, …) first
    if legacy:
        notes.insert(0, f"converted from the legacy {legacy.upper()} font encoding")
    notes += doc.meta.repeats
    doc.meta.notes = "; ".join(x for x in notes if x) or None


def _extract_table(res: FileResult, doc: Document, name: str, spec) -> list[dict]:
    """One extractor on one document: its rows with exact evidence and storable values."""
    stage = f"extract:{name}"
    try:
        rows = records_to_rows(doc.doc_id, name, spec.extract(doc))
    except Exception as e:  # noqa: BLE001
        res.error(stage, f"part {doc.part}: {type(e).__name__}: {e}" + _where(e), e)
        return []
    finally:
        for st, message in doc.problems:  # what the extractor reported it could not read
            res.error(st, f"part {doc.part}: {message}")
        doc.problems.clear()
    for r in rows:
        if doc.text[r["char_start"]:r["char_end"]] != r["quote"]:
            res.error(stage, f"part {doc.part}: quote does not match text at {r['char_start']}:{r['char_end']}")
            return []
    good = []
    for r in rows:
        problems = check_row(name, r)
        for p in problems:
            res.error(stage, f"part {doc.part}: {p}; row not stored (quote: {r.get('quote', '')[:80]!r})")
        if not problems:
            good.append(r)
    return good


def _checked_document_row(res: FileResult, doc: Document, row: dict) -> dict:
    """A document row whose unstorable values are NULL (the document itself is kept)."""
    if not check_row("documents", row):  # the common case: one check of the whole row
        return row
    for k, v in list(row.items()):
        problems = check_row("documents", {k: v})
        if problems:
            res.error("metadata", f"part {doc.part}: {problems[0]}; stored as NULL")
            row[k] = None
    return row


def _drop_repeated_documents(res: FileResult, docs: list[Document]) -> list[Document]:
    """A document written twice in one file (same text, so same ``doc_id``) is kept once: the
    first copy, with a note; the repeat is a ``duplicates`` row."""
    first: dict[str, Document] = {}
    kept = []
    for doc in docs:
        orig = first.get(doc.doc_id)
        if orig is None:
            first[doc.doc_id] = doc
            kept.append(doc)
            continue
        orig.meta.repeats.append(f"part {doc.part} of the file repeats this document; stored once")
        res.duplicates.append({"part": doc.part, "doc_id": doc.doc_id, "stored_in": display_path(res.path)})
    return kept


def _size(path: str) -> int:
    try:
        return os.stat(path).st_size
    except OSError:
        return 0


class _Limit:
    """A file's deadline. Enforced by SIGALRM on the main thread (it interrupts a long regex
    too); elsewhere checked between stages."""

    def __init__(self, seconds: float | None):
        self.seconds = seconds or 0.0
        self.deadline = time.monotonic() + seconds if seconds else None

    def check(self) -> None:
        if self.deadline is not None and time.monotonic() > self.deadline:
            raise FileTimeout()


@contextmanager
def _time_limit(seconds: float | None):
    limit = _Limit(seconds)
    use_alarm = (seconds and hasattr(signal, "setitimer")
                 and threading.current_thread() is threading.main_thread())
    if not use_alarm:
        yield limit
        return

    def on_alarm(signum, frame):
        raise FileTimeout()

    old = signal.signal(signal.SIGALRM, on_alarm)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield limit
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, old)


def _where(e: Exception) -> str:
    tb = traceback.extract_tb(e.__traceback__)
    if not tb:
        return ""
    last = tb[-1]
    return f" (at {Path(last.filename).name}:{last.lineno})"


def default_jobs(cpu_max: str = "/sys/fs/cgroup/cpu.max") -> int:
    """The CLI's ``--jobs`` default: the cores this process may run on (its CPU affinity where
    the OS tells it, e.g. under ``taskset`` or a container's cpuset; else the machine's count),
    fewer when a CPU quota allows fewer (a container started with ``--cpus 2``: cgroup v2
    ``cpu.max``), since more workers than that only share the quota."""
    try:
        cores = max(1, len(os.sched_getaffinity(0)))
    except (AttributeError, OSError):  # not Linux
        cores = max(1, os.cpu_count() or 1)
    quota = _cpu_quota(cpu_max)
    return min(cores, quota) if quota else cores


def _cpu_quota(path: str) -> int | None:
    """Whole CPUs a cgroup v2 quota allows ("200000 100000" -> 2, "150000 100000" -> 2), or None
    where there is no quota ("max ...") or no such file."""
    try:
        with open(path, encoding="ascii") as fh:
            limit, period = fh.read().split()[:2]
        if limit == "max":
            return None
        return max(1, -(-int(limit) // int(period)))  # rounded up: 1.5 CPUs keep 2 workers busy
    except (OSError, ValueError):
        return None


# A short plan in the shape of the real ones (programme, targets, budget, agencies, reporting):
# extracting it once loads everything the extractors load on first use (data files, compiled
# patterns, the gazetteer, the indicator segmenter).
WARM_TEXT = """ỦY BAN NHÂN DÂN
TỈNH THÁI BÌNH
Số: 12/KH-UBND
Thái Bình, ngày 15 tháng 3 năm 2024

KẾ HOẠCH
Thực hiện Chương trình phát triển công tác xã hội trên địa bàn tỉnh giai đoạn 2024-2025

Căn cứ Quyết định số 112/2021/QĐ-TTg ngày 22 tháng 01 năm 2021 của Thủ tướng Chính phủ;

I. MỤC TIÊU
- Đạt 70% số cơ sở trợ giúp xã hội có nhân viên công tác xã hội.
- Phấn đấu đến năm 2025, tỷ lệ hộ nghèo giảm còn dưới 2%; 100% xã có cộng tác viên.

II. KINH PHÍ
Tổng kinh phí thực hiện Kế hoạch là 1.500 triệu đồng từ ngân sách tỉnh.

III. TỔ CHỨC THỰC HIỆN
1. Sở Lao động - Thương binh và Xã hội chủ trì, phối hợp với Sở Y tế, Ủy ban nhân dân các huyện
triển khai Kế hoạch; báo cáo kết quả về Ủy ban nhân dân tỉnh trước ngày 15 tháng 12 hằng năm.

Nơi nhận:
- Như trên;
- Lưu: VT.

TM. ỦY BAN NHÂN DÂN
CHỦ TỊCH
Nguyễn Văn A
"""
_warm = False


def warm() -> None:
    """Load what extraction loads on first use, once per process, by extracting ``WARM_TEXT``
    (nothing is stored; ~2 ms beyond the loading itself). Called before the first file, so the
    loading is not counted in that file's time budget, and before the workers of ``--jobs`` are
    forked, so they start warm and share those pages instead of each loading them; a worker that
    is not forked (another start method) warms itself once, in its initializer."""
    global _warm
    if _warm:
        return
    _warm = True
    try:
        for doc in documents_from_text("<warm-up>", WARM_TEXT):
            enrich(doc)
            for spec in extractors.TABLES.values():
                records_to_rows(doc.doc_id, spec.name, spec.extract(doc))
                doc.problems.clear()
    except Exception as e:  # noqa: BLE001 - each file meeting the same fault reports it as an errors row
        print(f"warning: warm-up extraction failed ({type(e).__name__}: {e}{_where(e)}); "
              "workers load the extractors' data on first use", file=sys.stderr)


def _results(files: list[str], rules: str, jobs: int, budget: TimeBudget,
             scheduler: str | None = None, read: dict | None = None) -> Iterator[FileResult]:
    if scheduler:
        from chitieu.pipeline.distributed import dask_results

        yield from dask_results(files, rules, scheduler, budget, read)
        return
    if jobs <= 1 or len(files) < 4:
        if len(files) > 1:
            # loading is not the first file's work: it stays out of that file's time budget. A
            # one-file run skips it: it would load what that file may not need (the extractors
            # compile most patterns on first use), and loading is ~0.3 s of its 10 s budget
            warm()
        for f in files:
            yield process_file(f, rules, budget, read)
        return
    from concurrent.futures.process import BrokenProcessPool  # (multiprocessing: only for --jobs)

    done = 0
    while done < len(files):
        try:
            for res in _pooled(files[done:], rules, jobs, budget, read):
                done += 1
                yield res
        except BrokenProcessPool:
            # a worker died (killed, out of memory, a crash in C code): the first file without a
            # result is retried alone, in a fresh worker, to tell whether it is the cause
            yield _alone(files[done], rules, budget, read)
            done += 1


# Files go to the workers in tasks of up to CHUNK_FILES (one pickling round trip each), at most
# WINDOW_PER_WORKER tasks per worker not yet finished: enough that no worker waits for the next
# task. Results are taken in file order; finished tasks waiting behind a slow one (a large or
# hard file at the head) may pile up to BUFFER_PER_WORKER tasks per worker, so the other workers
# go on meanwhile, and memory stays a few MB whatever the corpus size.
CHUNK_FILES = 4
WINDOW_PER_WORKER = 3
BUFFER_PER_WORKER = 16


def _chunk_size(files: int, jobs: int) -> int:
    """Smaller tasks for small runs, so the last tasks do not leave a core idle for long."""
    return max(1, min(CHUNK_FILES, files // (jobs * 16)))


def _pooled(files: list[str], rules: str, jobs: int, budget: TimeBudget,
            read: dict | None = None) -> Iterator[FileResult]:
    """Results of ``files`` in their order, from ``jobs`` worker processes: an ordered, bounded
    window of tasks (see WINDOW_PER_WORKER, BUFFER_PER_WORKER)."""
    import multiprocessing
    from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait

    context = multiprocessing.get_context()
    if context.get_start_method() == "fork":
        warm()  # the workers inherit the loaded data
        compile_all()  # and every pattern (the extractors compile most on first use)
    size = _chunk_size(len(files), jobs)
    tasks = (files[i:i + size] for i in range(0, len(files), size))
    pool = ProcessPoolExecutor(max_workers=jobs, mp_context=context, initializer=_worker_init,
                               initargs=(os.getpid(),))
    window: deque = deque()  # futures in file order: finished ones waiting for the head, then running ones
    try:
        while True:
            unfinished = [f for f in window if not f.done()]
            while (len(unfinished) < jobs * WINDOW_PER_WORKER and len(window) < jobs * BUFFER_PER_WORKER
                   and (task := next(tasks, None)) is not None):
                window.append(pool.submit(_process_files, task, rules, budget, read))
                unfinished.append(window[-1])
            if not window:
                return
            if window[0].done():
                yield from window.popleft().result()  # raises BrokenProcessPool if its worker died
            else:
                wait(unfinished, return_when=FIRST_COMPLETED)
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


def _process_files(files: list[str], rules: str, budget: TimeBudget, read: dict | None) -> list[FileResult]:
    """A worker's task: several files, one round trip."""
    return [process_file(f, rules, budget, read) for f in files]


def _alone(path: str, rules: str, budget: TimeBudget, read: dict | None = None) -> FileResult:
    from concurrent.futures import ProcessPoolExecutor
    from concurrent.futures.process import BrokenProcessPool

    try:
        with ProcessPoolExecutor(max_workers=1, initializer=_worker_init, initargs=(os.getpid(),)) as pool:
            return pool.submit(process_file, path, rules, budget, read).result()
    except BrokenProcessPool as e:
        res = FileResult(path)
        res.error(res.stage, "the worker process died while processing this file (killed, out of memory "
                             "or a crash outside Python); not stored", e)
        return res


def _worker_init(parent: int) -> None:
    """A worker ends with its parent: the kernel kills it (Linux PR_SET_PDEATHSIG) and, elsewhere,
    a watchdog thread notices the parent is gone within half a second. Then it warms up (a no-op
    in a worker forked from a warm parent)."""
    try:
        import ctypes

        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass
    if os.getppid() != parent:
        os._exit(1)

    def watch() -> None:
        while True:
            time.sleep(0.5)
            if os.getppid() != parent:
                os._exit(1)

    threading.Thread(target=watch, daemon=True, name="parent-watchdog").start()
    warm()


def extract_paths(paths: Iterable[str | Path], db_path: str | Path, *, jobs: int = 1,
                  progress: Callable[[Iterable], Iterable] | None = None,
                  on_error: Callable[[str], None] | None = None, force: bool = False,
                  prune: bool = False, budget: TimeBudget = DEFAULT_BUDGET,
                  scheduler: str | None = None, ocr: bool = False, max_bytes: int = MAX_BYTES) -> RunSummary:
    """Extract every plan file under ``paths`` into the database at ``db_path``.

    ``jobs``: worker processes (0 or less: one per core, ``default_jobs()``; 1: in this process);
    ``prune`` removes the rows of files stored from under ``paths`` that are no longer there;
    ``budget`` bounds the time of each file (see ``TimeBudget``); with ``scheduler`` the files
    are extracted on a Dask cluster (see pipeline/distributed.py); ``ocr`` reads scanned PDFs
    with Tesseract; a file over ``max_bytes`` is an error. When the paths hold nothing to read,
    no database is created or opened (the problems with named paths are still reported through
    ``on_error`` and counted).
    """
    t0 = time.perf_counter()
    if jobs <= 0:
        jobs = default_jobs()
    if scheduler:
        from chitieu.pipeline.distributed import check_scheduler

        check_scheduler(scheduler)  # a wrong address fails before the database is touched
    summary = RunSummary()
    summary.discovery = found = discover_report(paths)
    if not found.files:  # nothing to read: report the named paths' problems, create no database
        for path, message in found.errors:
            summary.errors += 1
            summary.error_messages.append(f"{display_path(str(path))}: [ingest] {message}")
            if on_error:
                on_error(summary.error_messages[-1])
        return summary
    read = {"ocr": ocr, "max_bytes": max_bytes}
    store = Store(db_path)
    rules = rules_fingerprint()
    use_rules(rules)  # the data cache names its files with it: hashed once per process
    started = datetime.now(timezone.utc).isoformat(timespec="seconds")
    paths = [str(p) for p in paths]
    summary.run_id = run_id = store.start_run(
        {"started": started, "pid": os.getpid(), "version": __version__, "rules": rules,
         "paths": "\n".join(display_path(p) for p in paths)})

    def report(file: str, stage: str, message: str, exception: str = "") -> None:
        summary.errors += 1
        msg = f"{display_path(file)}: [{stage}] {display_path(message)}"
        summary.error_messages.append(msg)
        store.add_error(run_id, file, stage, message, exception)
        if on_error:
            on_error(msg)

    with store.transaction():
        for path, message in found.errors:
            report(str(path), "ingest", message)
    files = [str(f) for f in found.files]
    summary.files = len(files)
    if prune:
        summary.pruned = _prune(store, paths, files)
    todo = _to_extract(store, files, rules, force, summary)
    results = _results(todo, rules, jobs, budget, scheduler, read)
    if progress:
        results = progress(results, total=len(todo))
    _write_in_batches(store, results, rules, summary, report)
    store.write_static_tables()
    summary.seconds = time.perf_counter() - t0
    store.finish_run(run_id, {
        "finished": datetime.now(timezone.utc).isoformat(timespec="seconds"), "status": "finished",
        "files": summary.files, "skipped": summary.skipped, "documents": summary.documents,
        "errors": summary.errors, "pruned": summary.pruned, "seconds": round(summary.seconds, 3),
        "formats": ", ".join(f"{k} {v}" for k, v in sorted(summary.formats.items()))})
    store.close()
    return summary


def _to_extract(store: Store, files: list[str], rules: str, force: bool, summary: RunSummary) -> list[str]:
    """The files to extract: all with ``force``, else those not stored unchanged (same bytes, same
    rules; the skipped ones and their documents are counted in ``summary``)."""
    todo = []
    for f in files:
        if not force and _unchanged(store, f, rules):
            summary.skipped += 1
            summary.documents += len(store.doc_ids_of(path_key(f)))
        else:
            todo.append(f)
    return todo


def _write_in_batches(store: Store, results: Iterable[FileResult], rules: str, summary: RunSummary,
                      report) -> None:
    """Write results as they come, one transaction per batch of up to BATCH_FILES files or
    BATCH_CHARS characters of text."""
    batch: list[FileResult] = []
    batch_chars = 0
    for res in results:
        batch.append(res)
        batch_chars += res.chars
        if len(batch) >= BATCH_FILES or batch_chars >= BATCH_CHARS:
            _write(store, batch, rules, summary, report)
            batch, batch_chars = [], 0
    if batch:
        _write(store, batch, rules, summary, report)


def _under(key: str, root: str) -> bool:
    return key == root or key.startswith(root.rstrip(os.sep) + os.sep)


def _prune(store: Store, paths: list[str], files: list[str]) -> int:
    """Delete the rows of stored files under ``paths`` that are no longer present. A path that
    does not exist at all prunes nothing (an unmounted disk must not empty the database)."""
    roots = [path_key(p) for p in paths if os.path.exists(p)]
    present = {path_key(f) for f in files}
    gone = sorted(k for k in store.stored_keys() if k not in present and any(_under(k, r) for r in roots))
    with store.transaction():
        for key in gone:
            store.delete_file_rows(key)
    return len(gone)


def _unchanged(store: Store, path: str, rules: str) -> bool:
    """Stored (or recorded as a copy) from these very bytes with these rules? A file never stored
    is not read here."""
    state = store.source_state(path_key(path))
    if state is None or state["extracted_with"] != rules or state["status"] not in ("stored", "duplicate"):
        return False
    try:
        sha1 = hashlib.sha1(Path(path).read_bytes()).hexdigest()
    except OSError:
        return False
    return state["source_sha1"] == sha1


def _write(store: Store, batch: list[FileResult], rules: str, summary: RunSummary, report) -> None:
    """One transaction per batch, one SAVEPOINT per file: a file whose rows fail to insert is
    rolled back alone and becomes an ``errors`` row; the others are committed."""
    with store.transaction():
        for res in batch:
            summary.chars += res.chars
            if res.source_format:
                summary.formats[res.source_format] = summary.formats.get(res.source_format, 0) + 1
            try:
                with store.file_savepoint():
                    _write_file(store, res, rules, summary)
            except Exception as e:  # noqa: BLE001 - the store's error boundary
                res.error("store", f"{type(e).__name__}: {e}; nothing of this file was stored", e)
                store.mark_failed(_source_row(res, ""))
            for stage, message, exc in res.errors:
                report(res.path, stage, message, exc)


def _source_row(res: FileResult, rules: str) -> dict:
    return {**path_columns(res.path), "source_sha1": res.sha1, "extracted_with": rules}


def _write_file(store: Store, res: FileResult, rules: str, summary: RunSummary) -> None:
    """Store one file's result: documents already held by another file are recorded as copies."""
    key = path_key(res.path)
    shown = display_path(res.path)
    if not res.documents:
        if res.errors:
            store.mark_failed(_source_row(res, ""))
        return
    docs, copies = [], []
    for d in res.documents:
        owner = store.owner_of(d["doc_id"])
        if owner is not None and owner[0] != key:
            copies.append({"part": d["part"], "doc_id": d["doc_id"], "stored_in": owner[1]})
            continue
        d.update(source_path=shown, source_key=key)
        docs.append(d)
    kept = {d["doc_id"] for d in docs}
    tables = {k: [r for r in v if r["doc_id"] in kept] for k, v in res.tables.items()}
    dups = [{"id": f"{key}#{c['part']}", "source_key": key, "source_path": shown, **c}
            for c in res.duplicates + copies]
    status = "error" if res.errors else ("stored" if docs else "duplicate")
    store.replace_file(_source_row(res, "" if res.errors else rules), docs, tables, dups, status)
    summary.documents += len(docs)
    summary.duplicates += len(copies)


def main_progress(iterable, total):
    """tqdm progress bar on a terminal, plain iteration otherwise."""
    if not sys.stderr.isatty():
        return iterable
    from tqdm import tqdm

    return tqdm(iterable, total=total, unit="file", file=sys.stderr)
