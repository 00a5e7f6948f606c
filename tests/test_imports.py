"""The layering of the code, kept by its imports (issue 10: "extractors import only the model").

Read from the source (``ast``, every import statement, also those inside functions):

- an extractor module (``extractors/*.py``) imports the model (``chitieu.pipeline…``), the registry
  (``chitieu.extractors``: ``table``, ``layer``, …) and its own private table reader
  (``targets`` ↔ ``_table_targets``), never another extractor module: what two extractors share
  belongs to the model (numbers, evidence spans, programmes, clauses) or to a registered layer
  (``doc.layer("agency_mentions")``);
- a pipeline module (``pipeline/**/*.py``) reaches extractors only through the registry
  (``from chitieu import extractors``; ``extractors.TABLES`` …), never by importing an extractor
  module, and only the modules of ``REGISTRY_USERS`` do that.

The exceptions are named below with their reason; a new one needs a reason here.
"""
from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
EXTRACTORS = ROOT / "extractors"
PIPELINE = ROOT / "pipeline"
EXTRACTOR_MODULES = {p.stem for p in EXTRACTORS.glob("*.py") if p.stem != "__init__"}

# (importer, imported) pairs of extractor modules allowed beyond the rules, and why
EXCEPTIONS: dict[tuple[str, str], str] = {}

# pipeline modules that may import the registry, and why
REGISTRY_USERS = {
    "run": "the run path: runs every registered document field and table extractor",
    "store": "creates the tables and views of the registered record types",
    "schema": "describes the registered tables (chitieu schema)",
    "explain": "runs the registered tables named in explain.yaml and asks their modules why they left a number",
    "structure": "Document.layer computes a registered layer (extractors.layer) on demand",
}


def _imports(path: Path, package: str) -> list[tuple[str, int]]:
    """Every module an import statement of ``path`` names, absolute, with its line; for
    ``from P import n`` both ``P`` and ``P.n`` (``n`` may be a submodule)."""
    out = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
        if isinstance(node, ast.Import):
            out += [(a.name, node.lineno) for a in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:  # relative: resolve against the module's package
                parts = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join(parts + ([base] if base else []))
            out.append((base, node.lineno))
            out += [(f"{base}.{a.name}", node.lineno) for a in node.names]
    # importlib.import_module("chitieu.extractors.x") with a literal name counts too
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Call) and getattr(node.func, "attr", "") == "import_module" and node.args \
                and isinstance(node.args[0], ast.Constant) and isinstance(node.args[0].value, str):
            out.append((node.args[0].value, node.lineno))
    return out


def _extractor_module(name: str) -> str | None:
    """The extractor module ``name`` names (``chitieu.extractors.budgets`` -> ``budgets``), else None."""
    parts = name.split(".")
    if parts[:2] == ["chitieu", "extractors"] and len(parts) >= 3 and parts[2] in EXTRACTOR_MODULES:
        return parts[2]
    return None


def _same_entity(a: str, b: str) -> bool:
    """An extractor and its private table reader: ``budgets`` and ``_table_budgets``."""
    return a == f"_table_{b}" or b == f"_table_{a}"


def extractor_violations() -> list[str]:
    bad = []
    for path in sorted(EXTRACTORS.glob("*.py")):
        me = path.stem
        for name, line in _imports(path, "chitieu.extractors"):
            other = _extractor_module(name)
            if other is None or other == me or _same_entity(me, other) or (me, other) in EXCEPTIONS:
                continue
            bad.append(f"extractors/{path.name}:{line} imports extractor module {other!r}")
    return sorted(set(bad))


def pipeline_violations() -> list[str]:
    bad = []
    for path in sorted(PIPELINE.rglob("*.py")):
        rel = path.relative_to(PIPELINE)
        package = ".".join(["chitieu", "pipeline", *rel.parent.parts])
        names = _imports(path, package)
        for name, line in names:
            other = _extractor_module(name)
            if other is not None:
                bad.append(f"pipeline/{rel}:{line} imports extractor module {other!r} (use the registry)")
        if any(n == "chitieu.extractors" for n, _ in names) and path.stem not in REGISTRY_USERS:
            bad.append(f"pipeline/{rel} uses the registry but is not in REGISTRY_USERS")
    return list(dict.fromkeys(bad))


def test_extractors_import_only_the_model_and_the_registry():
    assert extractor_violations() == []


def test_pipeline_reaches_extractors_only_through_the_registry():
    assert pipeline_violations() == []


def test_exceptions_are_still_needed():
    """An exception that no import uses any more is removed, not left behind."""
    used = set()
    for path in EXTRACTORS.glob("*.py"):
        used |= {(path.stem, m) for n, _ in _imports(path, "chitieu.extractors") if (m := _extractor_module(n))}
    assert set(EXCEPTIONS) <= used, set(EXCEPTIONS) - used
    registry = {path.stem for path in PIPELINE.rglob("*.py")
                if any(n == "chitieu.extractors" for n, _ in _imports(path, "chitieu.pipeline"))}
    assert set(REGISTRY_USERS) <= registry, set(REGISTRY_USERS) - registry


def _on(check, **folder: Path) -> list[str]:
    """``check()`` run over another folder (``EXTRACTORS=`` or ``PIPELINE=``)."""
    (name, path), = folder.items()
    old, globals()[name] = globals()[name], path
    try:
        return check()
    finally:
        globals()[name] = old


def test_the_check_catches_a_cross_import(tmp_path):
    """The rules fail on the imports they forbid (the test can fail)."""
    fake = tmp_path / "extractors"
    fake.mkdir()
    (fake / "reporting.py").write_text("from chitieu.extractors.agencies import sentence_end\n"
                                       "def f():\n    from chitieu.extractors import budgets as B\n")
    (fake / "_table_budgets.py").write_text("from chitieu.extractors import budgets\n")
    assert _on(extractor_violations, EXTRACTORS=fake) == [
        "extractors/reporting.py:1 imports extractor module 'agencies'",
        "extractors/reporting.py:3 imports extractor module 'budgets'"]  # _table_budgets -> budgets: its own
    pipe = tmp_path / "pipeline"
    pipe.mkdir()
    (pipe / "compare.py").write_text("from chitieu.extractors.programmes import national_rows\n"
                                     "from chitieu import extractors\n")
    assert _on(pipeline_violations, PIPELINE=pipe) == [
        "pipeline/compare.py:1 imports extractor module 'programmes' (use the registry)",
        "pipeline/compare.py uses the registry but is not in REGISTRY_USERS"]
