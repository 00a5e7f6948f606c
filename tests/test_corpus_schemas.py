"""The one loader of language data (pipeline/corpus.py): every file under corpora/ fits its
schema (corpora/lexicons/schemas.yaml), every key a schema declares is read by some code, and
each rule of the schema language rejects a bad file with a message naming the file and the key."""
from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from chitieu.pipeline import programmes
from chitieu.pipeline.corpus import (SCHEMAS, DataError, check, corpus_data, corpus_files_with_schema, load_data,
                                     schema_for, schemas)
from chitieu.pipeline.data import corpora_root

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.parametrize("relpath", corpus_files_with_schema())
def test_every_corpus_file_loads_through_the_loader(relpath):
    assert corpus_data(relpath)


def test_every_data_file_is_one_the_loader_reads():
    root = corpora_root()
    data = {p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file()
            and p.parts[len(root.parts)] != "seeds" and "__pycache__" not in p.parts
            and p.name != "__init__.py"}
    assert data - {SCHEMAS} == set(corpus_files_with_schema())
    for relpath in corpus_files_with_schema():
        schema_for(relpath)  # each has a schema


def _declared_keys(schema, out: set[str]) -> set[str]:
    if isinstance(schema, list):
        for s in schema:
            _declared_keys(s, out)
    elif isinstance(schema, dict):
        for k, s in schema.items():
            if k == "*" or k.startswith("$"):
                _declared_keys(s, out) if k != "$csv" else None
                continue
            if s != "note":  # text for the human reader ("_about", an area's "notes")
                out.add(k.rstrip("?"))
            _declared_keys(s, out)
    return out


def _modules() -> dict[str, str]:
    return {p.relative_to(ROOT).as_posix(): p.read_text(encoding="utf-8")
            for folder in ("extractors", "pipeline") for p in (ROOT / folder).rglob("*.py")}


def _readers(path: str, modules: dict[str, str]) -> list[str]:
    """The modules that load ``corpora/<path>`` (they name it) and those that import one of them."""
    direct = [m for m, src in modules.items() if f'"{path}"' in src
              and m not in ("pipeline/corpus.py", "pipeline/data.py")]  # (named in their docstrings)
    names = {m: (m.split("/")[0], m.split("/")[-1][:-3]) for m in direct}
    users = [m for m, src in modules.items() if m not in direct and any(
        f"chitieu.{pkg}.{mod}" in src or re.search(rf"from chitieu\.{pkg} import [^\n]*\b{mod}\b", src)
        for pkg, mod in names.values())]
    return direct + users


def test_every_declared_key_is_read_by_the_code_that_loads_its_file():
    """A key is read when a module that loads its file (or imports one that does) names it as a
    string ("key" or 'key'): a key no such code names is dead data and must be removed from the
    file and its schema. Keys typed ``note`` are text for the human reader."""
    modules = _modules()
    unread = {}
    for path, schema in schemas().items():
        readers = _readers(path, modules)
        assert readers, f"no module loads corpora/{path}"
        code = "\n".join(modules[m] for m in readers)
        missing = sorted(k for k in _declared_keys(schema, set()) if f'"{k}"' not in code and f"'{k}'" not in code)
        if missing:
            unread[path] = missing
    assert unread == {}


# ---- each rule rejects a bad file, naming the file and the key ----------------------------------
def _bad(tmp_path, name: str, content: str, schema: str, *words: str) -> None:
    f = tmp_path / name
    f.write_text(content, encoding="utf-8")
    with pytest.raises(DataError) as e:
        load_data(f, schema)
    msg = str(e.value)
    assert str(f) in msg, msg
    for w in words:
        assert w in msg, msg


# (schema, keys to the value set, the value, words the error names): one case per rule
_SET_CASES = [
    ("lexicons/reporting.yaml", ["frequencys"], {}, ["'frequencys'", "not in the schema"]),
    ("lexicons/targets.yaml", ["change", "markers"], "x", ["'change.markers'"]),
    ("lexicons/kinds.yaml", ["header_chars"], "400", ["'header_chars'", "expected int"]),
    ("lexicons/kinds.yaml", ["max_hits"], True, ["'max_hits'", "expected int"]),  # a bool is not a number
    ("lexicons/reporting.yaml", ["triggers"], "báo cáo", ["'triggers'", "expected a list"]),
    ("lexicons/money.yaml", ["multipliers", "vạn"], "10000", ["'multipliers.vạn'", "expected int"]),
]


@pytest.mark.parametrize("schema, keys, value, words", _SET_CASES, ids=[".".join(c[1]) for c in _SET_CASES])
def test_a_value_the_schema_refuses_is_an_error(tmp_path, schema, keys, value, words):
    good = json.loads(json.dumps(corpus_data(schema)))
    at = good
    for k in keys[:-1]:
        at = at[k]
    at[keys[-1]] = value
    _bad(tmp_path, schema.split("/")[-1], json.dumps(good), schema, *words)


def test_missing_required_key_is_an_error(tmp_path):
    good = json.loads(json.dumps(corpus_data("lexicons/reporting.yaml")))
    del good["due"]
    _bad(tmp_path, "reporting.yaml", json.dumps(good), "lexicons/reporting.yaml", "'due'", "missing")


def test_wrong_list_item_is_an_error(tmp_path):
    good = json.loads(json.dumps(corpus_data("lexicons/reporting.yaml")))
    good["triggers"].append(3)
    _bad(tmp_path, "reporting.yaml", json.dumps(good), "lexicons/reporting.yaml",
         f"'triggers[{len(good['triggers']) - 1}]'", "expected str")


def test_mapping_expected_is_an_error(tmp_path):
    _bad(tmp_path, "kinds.yaml", "- a\n- b\n", "lexicons/kinds.yaml", "the top level", "expected a mapping")


def test_data_keys_must_be_text(tmp_path):
    # YAML reads a bare "yes" or 2025 as a bool or a number: a name must be quoted
    _bad(tmp_path, "tables.yaml", "roles: {2025: x}\n", "lexicons/tables.yaml", "'roles.2025'", "must be text")


def test_optional_key_may_be_absent_but_must_fit(tmp_path):
    good = json.loads(json.dumps(corpus_data("agencies/aliases.yaml")))
    good["areas"][0].pop("aliases", None)
    (tmp_path / "ok.yaml").write_text(json.dumps(good), encoding="utf-8")
    load_data(tmp_path / "ok.yaml", "agencies/aliases.yaml")
    good["areas"][0]["successor"] = "Nội vụ"
    _bad(tmp_path, "aliases.yaml", json.dumps(good), "agencies/aliases.yaml", "'areas[0].successor'", "expected a list")


def test_csv_header_must_be_the_declared_columns(tmp_path):
    _bad(tmp_path, "provinces.csv", "structure,name,short\nlegacy,Tỉnh A,A\n", "gazetteer/provinces.csv",
         "header", "province_2025")


def test_csv_row_with_a_missing_cell_is_an_error(tmp_path):
    _bad(tmp_path, "provinces.csv", "structure,name,short,province_2025\nlegacy,Tỉnh A,A\n",
         "gazetteer/provinces.csv", "line 2")


def test_text_lines_drop_blanks_and_comments(tmp_path):
    f = tmp_path / "web_furniture.txt"
    f.write_text("# a comment\n\nTrang chủ\n  In bài  \n", encoding="utf-8")
    assert load_data(f, "lexicons/web_furniture.txt") == ["Trang chủ", "In bài"]


def test_unreadable_yaml_names_the_file(tmp_path):
    _bad(tmp_path, "kinds.yaml", "head_lines: [1\n", "lexicons/kinds.yaml", "cannot be read")


def test_a_file_without_schema_is_an_error():
    with pytest.raises(DataError, match="no schema"):
        schema_for("lexicons/nothing.yaml")


def test_programme_file_errors_keep_their_own_type(tmp_path):
    (tmp_path / "bad.yaml").write_text("code: x\ndecisions: [1/QĐ-TTg]\nindicators: []\nkeyword: [a]\n",
                                       encoding="utf-8")
    with pytest.raises(programmes.ProgrammeFileError, match=r"bad\.yaml: key 'keyword' is not in the schema"):
        programmes.load_programmes(tmp_path)


def test_an_unknown_type_in_a_schema_is_an_error():
    with pytest.raises(DataError, match="unknown type 'strng'"):
        check({"a": "x"}, {"a": "strng"}, "x.yaml")


def test_yaml_is_parsed_with_the_c_loader_where_pyyaml_has_it():
    import yaml

    from chitieu.pipeline import corpus

    assert corpus._LOADER is (yaml.CSafeLoader if yaml.__with_libyaml__ else yaml.SafeLoader)
