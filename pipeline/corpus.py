"""The one loader of language data: every file under ``corpora/`` is read here and checked
against its schema (``corpora/lexicons/schemas.yaml``) before any code sees it.

    corpus_data("lexicons/money.yaml")            # parsed, validated, cached (treat as read-only)
    corpus_data("gazetteer/units.csv")            # a CSV: a tuple of row dicts
    corpus_data("lexicons/web_furniture.txt")     # a text file: its non-blank, non-"#" lines
    load_data(path, "programmes/*.yaml")          # a file elsewhere, checked by a named schema

A file that does not fit its schema, or holds a key the schema does not declare, raises
:class:`DataError` naming the file and the key path ("corpora/lexicons/kinds.yaml: key
'by_doc_type.plan': expected str, got int"). A value typed ``regex`` is a pattern the code compiles
(often only on first use: ``pipeline.patterns.lazy_compile``), so a bad one is found here, when its
file is loaded ("corpora/lexicons/kinds.yaml: key 'body_cues.news[3][0]': not a valid pattern:
missing ) at position 12"); a file's patterns that compiled once are not compiled again by later
processes (a marker in the data cache, ``pipeline.cache``, under the hash of those patterns). YAML is parsed with PyYAML's C loader where it is
built (``yaml.CSafeLoader``, about 8x faster than the pure-Python one; start-up counts for a
one-file run) and the validator is a few lines over the parsed data: no schema library to import.
"""
from __future__ import annotations

import csv
import io
import json
from fnmatch import fnmatchcase
from functools import lru_cache
from pathlib import Path
from typing import Any

import regex
import yaml

from chitieu.pipeline.data import corpora_root, corpus_path

SCHEMAS = "lexicons/schemas.yaml"
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_SCALARS = {"str": (str,), "note": (str,), "regex": (str,), "int": (int,), "float": (int, float), "bool": (bool,),
            "null": (type(None),)}


class DataError(ValueError):
    """A language-data file that does not fit its schema: names the file and the key."""


def parse_file(path: Path, error: type[Exception] = DataError) -> Any:
    """The parsed content of one data file, by its suffix (no schema check)."""
    try:
        text = path.read_text(encoding="utf-8")
        if path.suffix == ".json":
            return json.loads(text)
        if path.suffix in (".yaml", ".yml"):
            return yaml.load(text, Loader=_LOADER)
        if path.suffix == ".csv":
            return _csv_rows(text)
        lines = [ln.strip() for ln in text.splitlines() if ln.strip() and not ln.lstrip().startswith("#")]
        if path.suffix == ".tsv":  # rows of tab-separated cells, no header
            return [ln.split("\t") for ln in lines]
        return lines
    except (OSError, UnicodeDecodeError, ValueError, yaml.YAMLError) as e:
        raise error(f"{path}: cannot be read: {e}") from None


def _csv_rows(text: str) -> tuple[list[str], tuple[dict, ...]]:
    """(header, rows as dicts) as ``csv.DictReader`` gives them (blank lines skipped; a short row's
    missing cells None, a long row's extra cells under the key None), about 3x faster on the
    14,000-row gazetteer: ``DictReader`` builds each row in Python."""
    reader = csv.reader(io.StringIO(text))
    fields = next(reader, None) or []
    n = len(fields)
    rows = []
    for cells in reader:
        if not cells:
            continue
        row = dict(zip(fields, cells))
        if len(cells) > n:
            row[None] = cells[n:]
        elif len(cells) < n:
            row.update((f, None) for f in fields[len(cells):])
        rows.append(row)
    return fields, tuple(rows)


@lru_cache(maxsize=1)
def schemas() -> dict[str, Any]:
    """Path (or pattern with ``*``) -> schema, from ``corpora/lexicons/schemas.yaml``."""
    data = parse_file(corpus_path(SCHEMAS))
    if not isinstance(data, dict):
        raise DataError(f"{corpus_path(SCHEMAS)}: not a mapping of file -> schema")
    return data


def schema_for(relpath: str) -> Any:
    """The schema of ``corpora/<relpath>``: its own entry, else the first pattern that matches."""
    table = schemas()
    if relpath in table:
        return table[relpath]
    for pattern, schema in table.items():
        if "*" in pattern and fnmatchcase(relpath, pattern):
            return schema
    raise DataError(f"corpora/{relpath}: no schema for this file in corpora/{SCHEMAS}")


@lru_cache(maxsize=None)
def corpus_data(relpath: str) -> Any:
    """The parsed, validated file ``corpora/<relpath>`` (cached: treat it as read-only)."""
    return load_data(corpus_path(relpath), relpath, name=f"corpora/{relpath}")


def load_data(path: str | Path, schema: str, *, error: type[Exception] = DataError,
              name: str | None = None) -> Any:
    """Parse ``path`` and check it against the schema registered for ``schema`` (a corpus path
    or pattern: ``"programmes/*.yaml"``); ``error`` is the exception raised when it does not fit."""
    path = Path(path)
    data = parse_file(path, error)
    try:
        return check(data, schema_for(schema), name or str(path))
    except DataError as e:
        raise error(str(e)) from None


def check(data: Any, schema: Any, name: str) -> Any:
    """``data`` when it fits ``schema`` (a CSV's rows as a tuple of dicts); :class:`DataError` else."""
    if isinstance(schema, dict) and "$csv" in schema:
        fields, rows = data if isinstance(data, tuple) else ([], ())
        if list(fields) != list(schema["$csv"]):
            raise DataError(f"{name}: header {list(fields)} is not the expected columns {schema['$csv']}")
        for i, row in enumerate(rows, start=2):
            if None in row or None in row.values():
                raise DataError(f"{name}: line {i}: {len(fields)} columns expected")
        return rows
    patterns: list[tuple[str, str]] = []  # (key path, value) of every value typed regex
    if isinstance(schema, dict) and "$lines" in schema:
        _check(data, [schema["$lines"]], name, "", patterns)
    else:
        _check(data, schema, name, "", patterns)
    if patterns:
        _check_patterns(patterns, name)
    return data


def _check_patterns(patterns: list[tuple[str, str]], name: str) -> None:
    """Compile every pattern of a file (``regex`` syntax, no flags), naming the file and the key
    of the first that does not compile. Done once per set of patterns: later processes find a
    marker in the data cache under their hash (``pipeline.cache``; compiling a file's patterns
    costs 5-15 ms, a tenth of what compiling them on first use saved at start-up)."""
    import hashlib

    from chitieu.pipeline.cache import cached

    key = hashlib.sha1("\0".join(f"{p}\0{v}" for p, v in patterns).encode("utf-8")).hexdigest()[:16]
    if key in _PATTERNS_OK:
        return

    def compile_all() -> bool:
        for path, value in patterns:
            try:
                regex.compile(value)
            except regex.error as e:
                raise DataError(f"{name}: {_where(path)}: not a valid pattern: {e} ({value!r:.80})") from None
        return True

    cached("patterns-" + "".join(c if c.isalnum() else "_" for c in name.removeprefix("corpora/")), compile_all, key=key)
    _PATTERNS_OK.add(key)


_PATTERNS_OK: set[str] = set()  # hashes of the pattern sets that compiled, in this process


def _where(path: str) -> str:
    return f"key '{path}'" if path else "the top level"


def _check(value: Any, schema: Any, name: str, path: str, patterns: list[tuple[str, str]]) -> None:
    if isinstance(schema, str):
        kinds = schema.split("|")
        for k in kinds:
            if k not in _SCALARS:
                raise DataError(f"corpora/{SCHEMAS}: unknown type {k!r} in the schema of {name}")
        kind = next((k for k in kinds if isinstance(value, _SCALARS[k])
                     and not (k in ("int", "float") and isinstance(value, bool))), None)
        if kind is None:
            raise DataError(f"{name}: {_where(path)}: expected {schema}, got {type(value).__name__} {value!r:.60}")
        if kind == "regex":
            patterns.append((path, value))
        return
    if isinstance(schema, list):
        if not isinstance(value, list):
            raise DataError(f"{name}: {_where(path)}: expected a list, got {type(value).__name__}")
        for i, item in enumerate(value):
            _check(item, schema[0], name, f"{path}[{i}]", patterns)
        return
    if "$any_of" in schema:
        problems = []
        for option in schema["$any_of"]:
            try:
                _check(value, option, name, path, patterns)
                return
            except DataError as e:
                problems.append(str(e).split(": ", 1)[-1])
        raise DataError(f"{name}: {_where(path)}: fits none of its forms ({'; '.join(problems)})")
    if not isinstance(value, dict):
        raise DataError(f"{name}: {_where(path)}: expected a mapping, got {type(value).__name__}")
    declared = {k.rstrip("?"): (k.endswith("?"), s) for k, s in schema.items() if k != "*"}
    for key, (optional, sub) in declared.items():
        if key in value:
            _check(value[key], sub, name, f"{path}.{key}" if path else str(key), patterns)
        elif not optional:
            raise DataError(f"{name}: key '{path + '.' if path else ''}{key}' is missing")
    for key, v in value.items():
        if key in declared:
            continue
        where = f"{path}.{key}" if path else str(key)
        if "*" not in schema:
            raise DataError(f"{name}: key '{where}' is not in the schema (corpora/{SCHEMAS}): a typo, "
                            "or a key no code reads")
        if not isinstance(key, str):
            raise DataError(f"{name}: key '{where}': a name must be text, got {type(key).__name__}")
        _check(v, schema["*"], name, where, patterns)


def corpus_files_with_schema() -> list[str]:
    """Every data file under ``corpora/`` that the loader reads (all but the seed plans and the
    schema file itself), as corpus paths."""
    root = corpora_root()
    return sorted(p.relative_to(root).as_posix() for p in root.rglob("*")
                  if p.is_file() and p.suffix in (".yaml", ".yml", ".json", ".csv", ".tsv", ".txt")
                  and p.parts[len(root.parts)] != "seeds" and "__pycache__" not in p.parts
                  and p.relative_to(root).as_posix() != SCHEMAS)
