"""Readers: one module per file format, each turning a file's bytes into plan text.

Every reader returns the same thing, a :class:`Reading`: the document's text with headings,
paragraphs and list items as lines and each table row as one ``| cell | cell |`` line, which
``normalize``/``clean``/``split`` take from there (so evidence offsets index that text,
whatever the format). Legacy font conversion is applied afterwards by ``pipeline.ingest``.

The registry maps a lower-case suffix to a :class:`Reader`; a reader's module is imported
only when a file of its format is read, so a missing optional library costs nothing until
then and is reported as an ``errors`` row saying what to install.
"""
from __future__ import annotations

import importlib
from dataclasses import dataclass, field


@dataclass
class Reading:
    text: str
    format: str  # txt, md, html, pdf, pdf_ocr, docx, doc, rtf, odt, xlsx
    pages: int | None = None
    notes: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class ReadOptions:
    ocr: bool = False  # run Tesseract on PDFs without a text layer


class ReaderError(Exception):
    """A file its format's reader cannot read; the message says why (and what to install)."""


@dataclass(frozen=True)
class Reader:
    format: str
    suffixes: tuple[str, ...]
    module: str  # pipeline.readers.<module> with read(data, path, options) -> Reading
    install: str  # what to install when the module's library is missing

    def read(self, data: bytes, path: str, options: ReadOptions) -> Reading:
        # readers import their library when first used: a missing one is named with its extra
        try:
            return importlib.import_module(f"{__name__}.{self.module}").read(data, path, options)
        except ImportError as e:
            raise ReaderError(f"cannot read .{self.format} files here: {e.name or e} is not installed "
                              f"({self.install})") from None
        except ReaderError:
            raise
        except (MemoryError, RecursionError) as e:
            raise ReaderError(f"{self.format} reader ran out of resources ({type(e).__name__})") from None
        except Exception as e:  # a damaged file can make any library raise anything: name it, go on
            raise ReaderError(f"damaged or unreadable .{self.format} file ({type(e).__name__}: {e})") from None


_BASE = "part of the base install: pip install -e ."
_OFFICE = "pip install -e '.[office]'"
READERS_LIST = (
    Reader("txt", (".txt",), "text", _BASE),
    Reader("md", (".md", ".markdown"), "text", _BASE),
    Reader("html", (".html", ".htm"), "html", _BASE),
    Reader("pdf", (".pdf",), "pdf", _BASE),
    Reader("docx", (".docx",), "docx", _BASE),
    Reader("doc", (".doc",), "doc", _BASE),
    Reader("rtf", (".rtf",), "rtf", _OFFICE),
    Reader("odt", (".odt",), "odt", _OFFICE),
    Reader("xlsx", (".xlsx",), "xlsx", _OFFICE),
)
READERS: dict[str, Reader] = {s: r for r in READERS_LIST for s in r.suffixes}
SUFFIXES: tuple[str, ...] = tuple(READERS)


def reader_for(suffix: str) -> Reader | None:
    return READERS.get(suffix.lower())


def table_line(cells: list[str]) -> str:
    """One table row as one line: ``| a | b |`` (cell whitespace collapsed, pipes escaped)."""
    return "| " + " | ".join(" ".join(c.split()).replace("|", "/") for c in cells) + " |"


def table_lines(rows: list[list[str]]) -> list[str]:
    """Rows as lines; rows whose cells are all empty are dropped, empty trailing cells kept."""
    return [table_line(r) for r in rows if any(c.strip() for c in r)]


# a ZIP-based document (DOCX, XLSX, ODT) whose parts expand past this is refused unread
MAX_UNZIPPED_BYTES = 500 * 1024 * 1024


def check_zip_size(data: bytes) -> None:
    """Refuse a ZIP package that would expand past ``MAX_UNZIPPED_BYTES`` (a "zip bomb")."""
    import io
    import zipfile

    try:
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            total = sum(i.file_size for i in z.infolist())
    except (zipfile.BadZipFile, OSError, ValueError):
        return  # not a ZIP: the format's reader says what it is
    if total > MAX_UNZIPPED_BYTES:
        raise ReaderError(f"package expands to {total / 1e6:.0f} MB (over {MAX_UNZIPPED_BYTES / 1e6:.0f} MB): "
                          f"not read")
