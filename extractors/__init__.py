"""Rule-based extractors, one module per kind of entity.

Each module registers itself here (no list to edit): importing ``extractors`` imports every
module of the package, whose decorators fill three registries.

- ``document_field(order)``: a function ``(doc) -> dict`` of document-level fields set on
  ``doc.meta`` (``DocumentMeta.update``: a name that is no field is an error; metadata first,
  order 10; programme matching later, order 50, …).
- ``table(name, record_type, uses=())``: a generator ``(doc) -> Iterable[record]`` whose records are
  stored as rows of table ``name``. ``record_type`` is a dataclass; its fields are the
  table's columns (``id`` and ``doc_id`` are added by the store). Every record carries
  ``quote``, ``char_start`` and ``char_end`` with ``doc.text[char_start:char_end] == quote``.
  ``uses`` names the layers the extractor reads (its dependencies).
- ``layer(name)``: a function ``(doc) -> value`` computed once per document on demand
  (``doc.layer(name)``) and shared by the extractors that declare it in ``uses``:
  ``agency_mentions`` (extractors/agencies.py) is read by ``agencies`` and ``reporting``.
- ``static_table(name)``: a function ``() -> list[dict]`` of rows that do not come from a
  document (the national programmes' targets), rewritten at every run.
- ``view(name)``: a function ``() -> str`` returning the SELECT of a view (``comparison``).

An extractor imports the model (``chitieu.pipeline``: ``Document``, numbers, evidence spans,
programmes, language data) and this registry, never another extractor (its own private
``_table_<entity>`` reader aside): what two share is model code or a layer. ``pipeline`` reaches
extractors only through these registries. ``tests/test_imports.py`` keeps it so.

Run one extractor alone::

    from chitieu.pipeline.run import load_document
    from chitieu.extractors import budgets
    doc = load_document("corpora/seeds/000_801adf126bd69574.txt")[0]
    for row in budgets.extract(doc): print(row)
"""
from __future__ import annotations

import importlib
import pkgutil
from dataclasses import dataclass
from typing import Any, Callable, Iterable

DocumentField = Callable[[Any], dict]
TableExtractor = Callable[[Any], Iterable[Any]]


@dataclass
class TableSpec:
    name: str
    record_type: type
    extract: TableExtractor
    uses: tuple[str, ...] = ()  # layers it reads (``LAYERS``)


DOCUMENT_FIELDS: list[tuple[int, str, DocumentField]] = []
TABLES: dict[str, TableSpec] = {}
STATIC_TABLES: dict[str, Callable[[], list[dict]]] = {}
VIEWS: dict[str, Callable[[], str]] = {}
LAYERS: dict[str, Callable[[Any], Any]] = {}


def document_field(order: int = 50):
    def deco(fn: DocumentField) -> DocumentField:
        DOCUMENT_FIELDS.append((order, f"{fn.__module__}.{fn.__name__}", fn))
        DOCUMENT_FIELDS.sort(key=lambda x: (x[0], x[1]))
        return fn

    return deco


def table(name: str, record_type: type, uses: tuple[str, ...] = ()):
    def deco(fn: TableExtractor) -> TableExtractor:
        TABLES[name] = TableSpec(name, record_type, fn, tuple(uses))
        return fn

    return deco


def layer(name: str):
    """Register ``fn(doc)`` as the per-document layer ``name`` (``Document.layer(name)``)."""
    def deco(fn: Callable[[Any], Any]) -> Callable[[Any], Any]:
        LAYERS[name] = fn
        return fn

    return deco


def static_table(name: str):
    def deco(fn):
        STATIC_TABLES[name] = fn
        return fn

    return deco


def view(name: str):
    def deco(fn):
        VIEWS[name] = fn
        return fn

    return deco


def _load_all() -> None:
    for mod in sorted(pkgutil.iter_modules(__path__), key=lambda m: m.name):
        if not mod.name.startswith("_"):
            importlib.import_module(f"{__name__}.{mod.name}")


_load_all()
