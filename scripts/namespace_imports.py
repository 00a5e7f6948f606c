"""Move the installed import names under the distribution: ``pipeline`` -> ``chitieu.pipeline``,
``extractors`` -> ``chitieu.extractors`` (README "Packaging": why, and when to run this).

The folders stay where the design puts them (``pipeline/``, ``extractors/``, ``corpora/`` at the
top level); only the import statements and the packaging table change:

- ``from pipeline.x import y``      -> ``from chitieu.pipeline.x import y`` (also ``extractors``)
- ``import pipeline.x as m``        -> ``import chitieu.pipeline.x as m``
- ``import extractors``             -> ``from chitieu import extractors``
- ``"-m", "pipeline.cli"``          -> ``"-m", "chitieu.pipeline.cli"``
- pyproject.toml: packages ``chitieu.pipeline`` / ``chitieu.extractors`` mapped to the folders,
  entry point ``chitieu.pipeline.cli:main``.

Idempotent: run it again after merging a branch written with the old names. Code, tests, scripts,
benchmarks, notebooks, the README's examples and docstrings are rewritten. ``--check`` only lists
what would change (exit 1 if anything would).

    python3 scripts/namespace_imports.py [--check]
    .venv/bin/pip install -q -e '.[test]'   # the entry point moved: reinstall once
"""
from __future__ import annotations

import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
NAMES = "pipeline|extractors"
# a statement at the start of a line, or of a JSON string (a notebook cell's source line)
_LEAD = r'^(\s*"?)'
RULES = [
    (re.compile(_LEAD + rf"from ({NAMES})(?=[.\s])", re.M), r"\1from chitieu.\2"),
    (re.compile(_LEAD + rf"import ({NAMES})((?:\.\w+)*) as ", re.M), r"\1import chitieu.\2\3 as "),
    (re.compile(_LEAD + rf"import ({NAMES})(?=\s*(?:$|\\n|#))", re.M), r"\1from chitieu import \2"),
    (re.compile(rf'"-m", "({NAMES})\.'), r'"-m", "chitieu.\1.'),
    (re.compile(rf"`from ({NAMES})(?=[.\s])"), r"`from chitieu.\1"),  # inline code in prose
]
# left for a person: `import pipeline.x` binds the name `pipeline`, which no longer exists
UNSAFE = re.compile(_LEAD + rf"import ({NAMES})\.\w+(?!.* as )", re.M)

PYPROJECT_OLD = 'packages = ["pipeline", "pipeline.readers", "extractors", "chitieu", "chitieu.corpora"]'
PYPROJECT_NEW = ('packages = ["chitieu", "chitieu.pipeline", "chitieu.pipeline.readers", "chitieu.extractors",\n'
                 '            "chitieu.corpora"]')
PYPROJECT_DIR_OLD = '[tool.setuptools.package-dir]\n"chitieu.corpora" = "corpora"\n'
PYPROJECT_DIR_NEW = ('[tool.setuptools.package-dir]\n"chitieu.pipeline" = "pipeline"\n'
                     '"chitieu.extractors" = "extractors"\n"chitieu.corpora" = "corpora"\n')
ENTRY_OLD, ENTRY_NEW = 'chitieu = "pipeline.cli:main"', 'chitieu = "chitieu.pipeline.cli:main"'


def files() -> list[Path]:
    out = [p for d in ("pipeline", "extractors", "chitieu", "tests", "scripts", "benchmarks")
           for p in (ROOT / d).rglob("*.py") if "realworld" not in p.parts and p.name != Path(__file__).name]
    out += sorted((ROOT / "notebooks").glob("*.ipynb")) + [ROOT / "README.md"]
    out += [p for p in (ROOT / "docs").glob("*.md")] if (ROOT / "docs").is_dir() else []
    return sorted(out)


def rewrite(text: str) -> str:
    for rx, repl in RULES:
        text = rx.sub(repl, text)
    return text


def rewrite_pyproject(text: str) -> str:
    if '"chitieu.pipeline" = "pipeline"' in text:  # already moved
        return text
    text = text.replace(PYPROJECT_OLD, PYPROJECT_NEW).replace(ENTRY_OLD, ENTRY_NEW)
    if '"chitieu.pipeline" = "pipeline"' not in text:
        text = text.replace(PYPROJECT_DIR_OLD, PYPROJECT_DIR_NEW)
    return text


def main(argv: list[str]) -> int:
    check = "--check" in argv
    changed, unsafe = [], []
    targets = [(p, rewrite) for p in files()] + [(ROOT / "pyproject.toml", rewrite_pyproject)]
    for path, fn in targets:
        old = path.read_text(encoding="utf-8")
        new = fn(old)
        unsafe += [f"{path.relative_to(ROOT)}: {m.group(0).strip()}" for m in UNSAFE.finditer(new)]
        if new != old:
            changed.append(str(path.relative_to(ROOT)))
            if not check:
                path.write_text(new, encoding="utf-8")
    if path.name == "pyproject.toml" and ENTRY_NEW not in (ROOT / "pyproject.toml").read_text(encoding="utf-8") and not check:
        unsafe.append("pyproject.toml: the packaging table is not the one this script knows; edit it by hand")
    print(("would change" if check else "changed") + f" {len(changed)} files" + (": " + ", ".join(changed) if changed else ""))
    for u in unsafe:
        print(f"fix by hand (`import x.y` without `as`): {u}", file=sys.stderr)
    return 1 if unsafe or (check and changed) else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
