"""CPU cost per MB of each stage of the path, on a folder of plan files (in this process).

    .venv/bin/python benchmarks/stages.py FOLDER [--files N]

Runs the stages one after the other over the same files, timing each with ``time.process_time``
(everything is warmed first on one file, so start-up is not counted), and prints, for each,
CPU seconds, MB of text per CPU-second and its share of the whole. The stages are those of
``pipeline.run._process`` and ``_write``: reading (bytes to text, legacy-encoding check),
normalize, clean, split, each document-field function and each extractor (with
``records_to_rows``: row ids and the storability check), then writing the rows to a new
database. Use it to see which stage to make cheaper, and ``benchmarks/corpus.py`` for the
whole command (with start-up, several processes and the floors).
"""
from __future__ import annotations

import argparse
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("folder", type=Path)
    ap.add_argument("--files", type=int, default=0, help="only the first N files (default all)")
    args = ap.parse_args()
    from chitieu import extractors
    from chitieu.pipeline import run
    from chitieu.pipeline.clean import clean
    from chitieu.pipeline.ingest import read_file
    from chitieu.pipeline.normalize import normalize
    from chitieu.pipeline.split import split_documents
    from chitieu.pipeline.store import Store
    from chitieu.pipeline.structure import Document

    files = sorted(p for p in args.folder.rglob("*") if p.is_file())
    files = files[:args.files] if args.files else files
    run.process_file(str(files[0]), "warm")  # load data and compile patterns outside the timing
    cost: dict[str, float] = defaultdict(float)
    total_bytes = 0
    results = []

    def timed(stage: str, fn, *a):
        t0 = time.process_time()
        out = fn(*a)
        cost[stage] += time.process_time() - t0
        return out

    for f in files:
        src = timed("read (bytes to text)", read_file, f)
        total_bytes += len(src.text.encode("utf-8"))
        text = timed("normalize", normalize, src.text)
        text = timed("clean", clean, text)
        parts = timed("split", split_documents, text)
        for p in parts:
            doc = Document(src.path, p.index, p.start, p.end, text[p.start:p.end])
            for _, name, fn in extractors.DOCUMENT_FIELDS:
                doc.meta.update(timed(f"field {name.rsplit('.', 2)[-2]}", fn, doc))
            for name, spec in extractors.TABLES.items():
                timed(f"extract {name}", lambda: run.records_to_rows(doc.doc_id, name, spec.extract(doc)))
        results.append(run.process_file(str(f), "bench"))
    with tempfile.TemporaryDirectory() as tmp:
        store = Store(Path(tmp) / "x.db")
        summary = run.RunSummary()
        t0 = time.process_time()
        for i in range(0, len(results), run.BATCH_FILES):
            run._write(store, results[i:i + run.BATCH_FILES], "bench", summary, lambda *a: None)
        cost["write (SQLite, search indexes)"] += time.process_time() - t0
        store.close()
    mb = total_bytes / 1e6
    whole = sum(cost.values())
    print(f"{len(files)} files, {mb:.1f} MB of text; CPU seconds per stage (one process, warm):")
    print(f"  {'stage':<34} {'cpu s':>7} {'MB/cpu-s':>9} {'share':>6}")
    for stage, s in sorted(cost.items(), key=lambda kv: -kv[1]):
        print(f"  {stage:<34} {s:>7.2f} {mb / s if s else float('inf'):>9.1f} {s / whole:>6.1%}")
    print(f"  {'all':<34} {whole:>7.2f} {mb / whole:>9.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
