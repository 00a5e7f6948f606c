"""Schema facts in one place: the record dataclasses (and the store's column lists) decide which
columns exist; the descriptions (corpora/publish/metadata.yaml, hence Datasette's metadata), the
README's column tables and the review pages' layers are held to them here."""
from __future__ import annotations

import dataclasses
import hashlib
import json
import sqlite3
from pathlib import Path

import regex

from chitieu.pipeline import review, schema
from chitieu.pipeline.publish import publish
from chitieu.pipeline.store import DOCUMENT_COLUMNS, DUPLICATE_COLUMNS, ERROR_COLUMNS, RUN_COLUMNS, SOURCE_COLUMNS

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")


def _db_columns(db: Path) -> dict[str, list[str]]:
    con = sqlite3.connect(db)
    try:
        names = [r[0] for r in con.execute(
            "select name from sqlite_master where type in ('table', 'view') and name not like 'sqlite_%' "
            "and name not like '%_fts%'")]
        return {n: [r[1] for r in con.execute(f"pragma table_info([{n}])")] for n in names}
    finally:
        con.close()


def test_columns_come_from_the_record_dataclasses():
    cols = schema.columns()
    records = schema.record_tables()
    assert {"targets", "budgets", "agencies", "reporting"} <= set(records)
    for table, rec in records.items():
        assert cols[table] == ["id", "doc_id"] + [f.name for f in dataclasses.fields(rec)], table
    for table, declared in (("documents", DOCUMENT_COLUMNS), ("runs", RUN_COLUMNS), ("errors", ERROR_COLUMNS),
                            ("sources", SOURCE_COLUMNS), ("duplicates", DUPLICATE_COLUMNS)):
        assert cols[table] == list(declared), table
    assert "text" not in cols["document_list"] and "text" in cols["documents"]


def test_every_column_is_described_and_every_description_is_a_column():
    assert schema.drift() == []


def test_drift_is_caught_both_ways():
    cols = schema.columns()
    cols["targets"] = cols["targets"] + ["new_field"]  # a field added to Target, not described
    cols["budgets"] = [c for c in cols["budgets"] if c != "per"]  # a field removed, still described
    cols["a_new_table"] = ["id"]
    problems = schema.drift(cols)
    assert "targets.new_field: column without a description" in problems
    assert "budgets.per: described, but the database has no such column" in problems
    assert any(p.startswith("a_new_table: table without a description") for p in problems)


def test_the_seed_database_and_its_datasette_metadata_agree(seed_db, tmp_path):
    """Columns a run adds (document fields) are described too; metadata.json describes exactly the
    columns the database has (runs without Datasette)."""
    db = tmp_path / "chitieu.db"
    with sqlite3.connect(seed_db) as a, sqlite3.connect(db) as b:
        a.backup(b)
    a.close()
    b.close()
    meta = json.loads(publish(db, tmp_path / "out").read_text(encoding="utf-8"))
    actual = _db_columns(db)
    assert schema.drift(actual) == []
    tables = meta["databases"]["chitieu"]["tables"]
    for name, cols in actual.items():
        assert list(tables[name]["columns"]) == [c for c in cols], name  # same columns, database order
        assert all(tables[name]["columns"].values()), name
    assert tables["documents"]["hidden"] is True and "text" not in tables["document_list"]["columns"]
    assert tables["document_list"]["fts_table"] == "documents_fts" and tables["document_list"]["fts_pk"] == "search_rowid"
    # the descriptions' block hidden and the descriptions made tooltips, by metadata.json alone
    from urllib.parse import unquote

    assert "dl.column-descriptions { display: none; }" in unquote(meta["extra_css_urls"][0])
    assert meta["extra_css_urls"][0].startswith("data:text/css,")
    assert meta["extra_js_urls"][0].startswith("data:text/javascript,")


def test_doc_id_is_described_as_the_hash_of_the_text():
    from chitieu.pipeline.structure import Document

    text = "KẾ HOẠCH\nĐạt 90% số xã."
    assert Document("a.txt", 0, 0, len(text), text).doc_id == hashlib.sha1(text.encode("utf-8")).hexdigest()[:16]
    assert Document("b.txt", 3, 5, 5 + len(text), text).doc_id == Document("a.txt", 0, 0, len(text), text).doc_id
    described = schema.descriptions()["documents"]["doc_id"]
    assert "text" in described and "file" not in described and "part" not in described


# ---- the README's column tables ----------------------------------------------------------------

def _section(heading: str) -> str:
    """The README text under a heading line (up to the next heading of the same or a higher level)."""
    m = regex.search(rf"^(#+) {regex.escape(heading)}[^\n]*\n", README, regex.M)
    assert m, f"README has no heading {heading!r}"
    level = len(m.group(1))
    end = regex.compile(rf"^#{{1,{level}}} ", regex.M).search(README, m.end())
    return README[m.end():end.start() if end else len(README)]


def _table_columns(text: str) -> list[str]:
    """The column names of the first `| column | meaning |` table of a section (backticked names of
    each row's first cell)."""
    rows, started = [], False
    for line in text.splitlines():
        if line.startswith("| column |"):
            started = True
            continue
        if started:
            if not line.startswith("|"):
                break
            if line.startswith("|---"):
                continue
            rows += regex.findall(r"`([a-z_0-9]+)`", line.split("|")[1])
    assert rows, "no column table"
    return rows


def test_readme_column_tables_name_every_column():
    cols = schema.columns()
    for heading, table in (("`documents`", "documents"), ("The `targets` table", "targets"),
                           ("`agencies`", "agencies"), ("`budgets`", "budgets"), ("`reporting`", "reporting")):
        named = _table_columns(_section(heading))
        assert len(named) == len(set(named)), (table, "a column named twice")
        # id and doc_id of the extracted tables are described once, above their tables
        expected = set(cols[table]) - ({"id", "doc_id"} if table in schema.record_tables() else set())
        assert set(named) - {"id", "doc_id"} == expected - {"id", "doc_id"}, (
            table, "missing from the README:", sorted(expected - set(named)),
            "not in the database:", sorted(set(named) - set(cols[table])))


def test_readme_paragraphs_name_every_column():
    cols = schema.columns()
    # one passage per table, from "`runs` has one row" to the next table's
    parts = regex.split(r"(?=`(?:runs|errors|sources|duplicates)` has one row)",
                        _section("`runs`, `errors`, `sources`, `duplicates`"))
    passages = {regex.match(r"`(\w+)`", p).group(1): p for p in parts if p.startswith("`")}
    for table in ("runs", "errors", "sources", "duplicates"):
        named = set(regex.findall(r"`([a-z_0-9]+)`", passages[table]))
        assert set(cols[table]) <= named, (table, sorted(set(cols[table]) - named))
    national = regex.search(r"\*\*`national_targets`\*\*[^\n]*(?:\n(?!\n)[^\n]*)*", README).group(0)
    assert set(cols["national_targets"]) <= set(regex.findall(r"`([a-z_0-9]+)`", national))
    comparison = regex.search(r"The `comparison` view[^\n]*(?:\n(?!\n)[^\n]*)*", README).group(0)
    assert set(cols["comparison"]) <= set(regex.findall(r"`([a-z_0-9]+)`", comparison))


# ---- the review pages ----------------------------------------------------------------------------

def test_review_pages_show_every_table_of_evidence_rows():
    tables = schema.evidence_tables()
    assert set(review.layers()) == set(tables) and set(tables) >= {"targets", "budgets", "agencies", "reporting"}
    fields = {f.name for rec in schema.record_tables().values() for f in dataclasses.fields(rec)} | {"id"}
    assert set(review.REASON_COLUMNS) <= fields, set(review.REASON_COLUMNS) - fields
    docs = set(schema.columns()["documents"])
    for col, _, is_count in review.INDEX_COLUMNS:
        assert (col in tables) if is_count else (col in docs or col == "file"), col
