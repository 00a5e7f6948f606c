"""The README's table examples ("How a file becomes rows" → "Tables") are what chitieu stores.

Each example is a file of tests/data/layouts/ (a plan title, then one table in one layout); the
README shows the file and the rows chitieu stores from it, between ``<!-- layout: NAME -->`` and
``<!-- /layout -->``. This test runs chitieu on the files and checks that the README shows both
exactly, so the README cannot drift from the code. After a deliberate change of the rules,
rewrite the README's examples with ``python -m tests.test_readme_layouts``.
"""
from __future__ import annotations

import sqlite3
import sys
from pathlib import Path

import pytest
import regex

ROOT = Path(__file__).resolve().parent.parent
LAYOUTS = ROOT / "tests" / "data" / "layouts"
README = ROOT / "README.md"
BLOCK = regex.compile(r"<!-- layout: (?P<name>[\w-]+) -->\n(?P<body>.*?)<!-- /layout -->", regex.S)

# the stored columns each kind of row shows (the rows of a file are of one kind)
COLUMNS = {
    "targets": ("table_row, table_col", "indicator_text", "comparator", "value", "unit", "period"),
    "budgets": ("activity", "amount_vnd", "per", "funding_source", "is_total"),
    "agencies": ("task", "name", "role"),
}
QUERIES = {
    "targets": "select table_row || ', ' || table_col, indicator_text, comparator, value, unit, "
               "period_start || '–' || period_end from targets where doc_id = ? order by table_row, table_col",
    "budgets": "select activity, amount_vnd, per, funding_source, is_total from budgets where doc_id = ? "
               "order by char_end, char_start",
    "agencies": "select task, name, role from agencies where doc_id = ? order by char_end, name",
}


def _cell(v) -> str:
    if isinstance(v, float) and v.is_integer():
        v = int(v)
    if isinstance(v, float):
        v = str(v).replace(".", ",")
    if isinstance(v, int) and v >= 10_000:
        v = f"{v:,}".replace(",", " ")
    return "NULL" if v is None else str(v).replace("|", "\\|")


def stored_rows(db: Path) -> dict[str, str]:
    """For each example file, the rows chitieu stored from it as a markdown table."""
    con = sqlite3.connect(db)
    out = {}
    for doc_id, path in con.execute("select doc_id, source_path from documents"):
        lines = []
        for kind, sql in QUERIES.items():
            rows = con.execute(sql, [doc_id]).fetchall()
            if not rows:
                continue
            lines += [f"`{kind}` rows:", "", "| " + " | ".join(COLUMNS[kind]) + " |",
                      "|" + "---|" * len(COLUMNS[kind])]
            lines += ["| " + " | ".join(_cell(v) for v in r) + " |" for r in rows]
            lines.append("")
        out[Path(path).stem] = "\n".join(lines) or "no rows\n"
    return out


def blocks(db: Path) -> dict[str, str]:
    """The README block of every example: its file, then its rows."""
    rows = stored_rows(db)
    return {p.stem: f"```text\n{p.read_text(encoding='utf-8').rstrip()}\n```\n\n{rows.get(p.stem, 'no rows')}"
            for p in sorted(LAYOUTS.glob("*.txt"))}


def run_chitieu(db: Path) -> Path:
    from chitieu.pipeline.run import extract_paths

    summary = extract_paths([str(LAYOUTS)], db)
    assert summary.errors == 0 and summary.documents == len(list(LAYOUTS.glob("*.txt"))), summary.error_messages
    return db


@pytest.fixture(scope="module")
def expected(tmp_path_factory) -> dict[str, str]:
    return blocks(run_chitieu(tmp_path_factory.mktemp("layouts") / "l.db"))


def test_every_example_is_in_the_readme(expected):
    shown = {m["name"] for m in BLOCK.finditer(README.read_text(encoding="utf-8"))}
    assert shown == set(expected), (sorted(set(expected) - shown), sorted(shown - set(expected)))


def test_the_readme_rows_are_what_chitieu_stores(expected):
    for m in BLOCK.finditer(README.read_text(encoding="utf-8")):
        assert m["body"].strip() == expected[m["name"]].strip(), (
            f"README example {m['name']} differs from what chitieu stores; after a deliberate change "
            f"run `python -m tests.test_readme_layouts`. Expected:\n{expected[m['name']]}")


def test_every_example_gives_rows(expected):
    assert not [name for name, body in expected.items() if body.endswith("no rows")]


def test_the_document_model_example_runs(monkeypatch):
    """The README's example of the model (a ``>>>`` session under "The document model") is true."""
    import doctest

    from chitieu.pipeline.run import load_document

    text = README.read_text(encoding="utf-8")
    section = text[text.index("### The document model"):text.index("### Tables")]
    (example,) = regex.findall(r"```python\n(>>> .*?)```", section, flags=regex.S)
    test = doctest.DocTestParser().get_doctest(example, {"load_document": load_document}, "README", "README.md", 0)
    monkeypatch.chdir(ROOT)  # the example's path is relative to the repository
    runner = doctest.DocTestRunner()
    runner.run(test)
    assert runner.failures == 0 and runner.tries >= 4


def rewrite_readme() -> None:
    """Write the current examples into the README's blocks (after a deliberate change of the rules)."""
    import tempfile

    with tempfile.TemporaryDirectory() as tmp:
        new = blocks(run_chitieu(Path(tmp) / "l.db"))
    text = README.read_text(encoding="utf-8")
    README.write_text(BLOCK.sub(lambda m: f"<!-- layout: {m['name']} -->\n{new[m['name']]}\n<!-- /layout -->",
                                text), encoding="utf-8")


if __name__ == "__main__":
    if sys.argv[1:] == ["--print"]:
        import tempfile

        with tempfile.TemporaryDirectory() as tmp:
            for name, body in blocks(run_chitieu(Path(tmp) / "l.db")).items():
                print(f"<!-- layout: {name} -->\n{body}\n<!-- /layout -->\n")
    else:
        rewrite_readme()

