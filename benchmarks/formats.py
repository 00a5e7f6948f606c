"""Speed of reading each format, beside its library alone and the whole extract.

    .venv/bin/python benchmarks/formats.py [--repeat 5]

For the committed fixtures (tests/data/formats: plan.pdf, plan.docx, library.html) prints
pages per second (PDF) or MB per second of file (DOCX, HTML) for

* library:  the reading library alone (pdfplumber text of every page; python-docx
            paragraphs; lxml parse and text) - the floor any reader pays;
* reading:  ``ingest.read_file`` (our reader: tables, furniture, numbering, legacy check);
* extract:  ``run.process_file`` (reading plus normalize, clean, split and every extractor).

The design goal (issue 9): for born-digital PDFs the whole extract stays within 2x of the
library alone. One run, no loops: compare figures of the same run only.
"""
from __future__ import annotations

import argparse
import io
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
DATA = ROOT / "tests" / "data" / "formats"


def library_pdf(data: bytes) -> None:
    import pdfplumber

    with pdfplumber.open(io.BytesIO(data)) as pdf:
        for page in pdf.pages:
            page.extract_text()


def library_docx(data: bytes) -> None:
    import docx

    d = docx.Document(io.BytesIO(data))
    "\n".join(p.text for p in d.paragraphs)


def library_html(data: bytes) -> None:
    import lxml.html

    lxml.html.document_fromstring(data).text_content()


def timed(fn, repeat: int) -> float:
    best = float("inf")
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - t0)
    return best


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--repeat", type=int, default=5, help="runs of each measure (the best is kept)")
    args = ap.parse_args()
    from chitieu.pipeline.ingest import read_file
    from chitieu.pipeline.run import process_file

    cases = [("plan.pdf", library_pdf), ("plan.docx", library_docx), ("library.html", library_html)]
    print(f"{'file':<14}{'unit':>10}{'library':>12}{'reading':>12}{'extract':>12}{'extract/library':>17}")
    for name, library in cases:
        path = DATA / name
        data = path.read_bytes()
        src = read_file(path)
        if name.endswith(".pdf"):
            amount, unit = src.pages, "pages/s"
        else:
            amount, unit = len(data) / 1e6, "MB/s"
        t_lib = timed(lambda: library(data), args.repeat)
        t_read = timed(lambda: read_file(path), args.repeat)
        t_all = timed(lambda: process_file(str(path), "bench"), args.repeat)
        print(f"{name:<14}{unit:>10}{amount / t_lib:>12.1f}{amount / t_read:>12.1f}{amount / t_all:>12.1f}"
              f"{t_all / t_lib:>16.2f}x")


if __name__ == "__main__":
    main()
