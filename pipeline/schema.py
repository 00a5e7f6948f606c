"""The database's tables and columns, in one place.

Which columns exist is decided by code, never written twice:

- one table per extractor record dataclass (``@table("targets", Target)`` in ``extractors/``):
  ``id``, ``doc_id`` and the record's fields, in order (``store.record_columns``);
- the store's own tables: ``store.DOCUMENT_COLUMNS``, ``RUN_COLUMNS``, ``ERROR_COLUMNS``,
  ``SOURCE_COLUMNS``, ``DUPLICATE_COLUMNS``;
- the static tables and views the extractors register (``national_targets``, ``comparison``,
  ``document_agencies``) and the views ``publish`` adds for browsing (``plan_*``, ``document_list``).

What each column means is data, ``corpora/publish/metadata.yaml``, from which ``publish`` makes
Datasette's metadata. :func:`columns` builds an empty database exactly as a run does and reads
its columns; :func:`drift` names every column without a description and every description of a
column that does not exist. ``tests/test_schema.py`` holds these, the README's column tables and
the review pages' layers to the same columns, so none of them can drift from the dataclasses.
"""
from __future__ import annotations

import dataclasses
import sqlite3
import tempfile
from functools import lru_cache
from pathlib import Path

EVIDENCE = ("quote", "char_start", "char_end")  # the fields that make a record's row checkable at its source


@lru_cache(maxsize=1)
def _columns() -> tuple[tuple[str, tuple[str, ...]], ...]:
    from chitieu.pipeline.publish import publish
    from chitieu.pipeline.store import Store

    with tempfile.TemporaryDirectory(prefix="chitieu-schema-") as tmp:
        db = Path(tmp) / "schema.db"
        store = Store(db)
        store.write_static_tables()
        store.close()
        publish(db)  # the browsing views
        con = sqlite3.connect(db)
        try:
            names = [r[0] for r in con.execute(
                "select name from sqlite_master where type in ('table', 'view') and name not like 'sqlite_%' "
                "and name not like '%_fts%' order by type, name")]
            return tuple((n, tuple(r[1] for r in con.execute(f"pragma table_info([{n}])"))) for n in names)
        finally:
            con.close()


def columns() -> dict[str, list[str]]:
    """table or view -> its columns, in order, as every run creates them."""
    return {name: list(cols) for name, cols in _columns()}


def record_tables() -> dict[str, type]:
    """table -> record dataclass of every registered extractor table."""
    from chitieu import extractors

    return {name: spec.record_type for name, spec in extractors.TABLES.items()}


def evidence_tables() -> list[str]:
    """The extractor tables whose rows carry their evidence (quote, char_start, char_end): the
    layers of the review pages."""
    return [name for name, rec in record_tables().items()
            if set(EVIDENCE) <= {f.name for f in dataclasses.fields(rec)}]


def descriptions() -> dict[str, dict[str, str]]:
    """table or view -> {column: description} from ``corpora/publish/metadata.yaml``, for every
    table and view the spec describes (views as ``publish`` describes them)."""
    from chitieu.pipeline.publish import column_descriptions, load_spec

    spec = load_spec()
    names = list(spec.get("tables", {})) + [v["name"] for key in ("place_views", "list_views")
                                            for v in spec.get(key, {}).values()]
    return {n: column_descriptions(spec, n)[1] for n in names}


def drift(actual: dict[str, list[str]] | None = None) -> list[str]:
    """Every disagreement between the columns (of a fresh database, or ``actual``) and their
    descriptions: a table or column without a description, a description of a table or column
    that does not exist, an empty description. Empty when they agree."""
    actual = columns() if actual is None else actual
    described = descriptions()
    problems = []
    for name, cols in actual.items():
        if name not in described:
            problems.append(f"{name}: table without a description in corpora/publish/metadata.yaml")
            continue
        problems += [f"{name}.{c}: column without a description" for c in cols if c not in described[name]]
        problems += [f"{name}.{c}: described, but the database has no such column"
                     for c in described[name] if c not in cols]
        problems += [f"{name}.{c}: empty description" for c in cols if c in described[name]
                     and not str(described[name][c] or "").strip()]
    problems += [f"{name}: described, but the database has no such table or view"
                 for name in described if name not in actual]
    return problems
