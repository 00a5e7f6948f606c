"""Datasette on a published database: metadata, facets, search with and without diacritics."""
from __future__ import annotations

import asyncio
import json
import sqlite3
from pathlib import Path

import pytest
import regex

from chitieu.pipeline.normalize import fold
from chitieu.pipeline.publish import publish

datasette_app = pytest.importorskip("datasette.app")


def copy_db(src: Path, dst: Path) -> Path:
    """A private copy (publish adds indexes and views; the session's seed database stays as built)."""
    with sqlite3.connect(src) as a, sqlite3.connect(dst) as b:
        a.backup(b)
    a.close()
    b.close()
    return dst


def query(db: Path, metadata: Path, *paths: str, html: bool = False) -> list:
    """GET each path from an in-process Datasette; return the JSON bodies (the pages with ``html``)."""
    async def run():
        ds = datasette_app.Datasette(files=[str(db)], metadata=json.loads(metadata.read_text(encoding="utf-8")))
        await ds.invoke_startup()
        out = []
        for p in paths:
            r = await ds.client.get(p)
            assert r.status_code == 200, (p, r.text[:500])
            out.append(r.text if html else r.json())
        return out

    return asyncio.run(run())


def rows_of(con: sqlite3.Connection, sql: str, params=()) -> list[dict]:
    cur = con.execute(sql, params)
    cols = [c[0] for c in cur.description]
    return [dict(zip(cols, r)) for r in cur]


def facet_counts(body: dict, column: str) -> dict:
    return {r["value"]: r["count"] for r in body["facet_results"][column]["results"]}


# ---- a small hand-made database: every expected row is known ----------------------------------

def small_db(path: Path) -> Path:
    con = sqlite3.connect(path)
    con.executescript("""
    create table documents (doc_id text primary key, source_path text, doc_number text, admin_level text,
                            locality text, province text, period_end integer, title text, issuer text);
    create table targets (id text primary key, doc_id text, indicator text, indicator_text text, value real,
                          unit text, period_end integer, quote text, char_start integer, char_end integer);
    create table agencies (id text primary key, doc_id text, name text, name_raw text, role text, task text,
                           quote text, char_start integer, char_end integer);
    create table budgets (id text primary key, doc_id text, amount_vnd integer, per text, activity text,
                          quote text, char_start integer, char_end integer);
    insert into documents values
      ('dn', 'a/002.txt', null, 'province', 'Đắk Nông', 'Đắk Nông', 2030, 'Kế hoạch tỉnh Đắk Nông', 'UBND tỉnh Đắk Nông'),
      ('al', 'a/001.txt', '57/KH-UBND', 'district', 'An Lão', 'Hải Phòng', 2025, 'Kế hoạch huyện An Lão', 'UBND huyện An Lão'),
      ('bn', 'a/000.txt', '157/KH-UBND', 'province', 'Bắc Ninh', 'Bắc Ninh', 2030, 'Kế hoạch tỉnh Bắc Ninh', 'UBND tỉnh Bắc Ninh');
    insert into targets values
      ('t1', 'dn', 'children_supported_pct', 'trẻ em có hoàn cảnh đặc biệt', 90, '%', 2030, 'Bảo đảm ít nhất 90% trẻ em', 0, 10),
      ('t2', 'dn', 'staffing_units_pct', 'cơ quan bố trí nhân sự', 60, '%', 2025, 'Đạt 60% số cơ quan', 0, 10),
      ('t3', 'al', 'children_supported_pct', 'trẻ em', 85, '%', 2025, 'Bảo đảm ít nhất 85% trẻ em', 0, 10),
      ('t4', 'bn', 'staff_trained_pct', 'cán bộ được tập huấn', 70, '%', 2030, 'tập huấn cho 70% cán bộ', 0, 10),
      ('t5', 'bn', 'other', 'người đắk lắk', 2, 'người', 2030, 'đào tạo 2 người ở Đắk Lắk', 0, 10);
    insert into agencies values
      ('a1', 'dn', 'Sở Y tế', 'Sở Y tế', 'lead', 'tập huấn', 'Cơ quan chủ trì: Sở Y tế', 0, 10),
      ('a2', 'dn', 'Sở Nội vụ', 'Sở Nội vụ', 'coordinate', null, 'phối hợp: Sở Nội vụ', 0, 10),
      ('a3', 'bn', 'Sở Y tế', 'Sở Y tế', 'lead', null, 'Sở Y tế chủ trì', 0, 10),
      ('a4', 'al', 'Phòng Lao động - Thương binh và Xã hội', 'Phòng LĐTBXH', 'focal', null, 'Phòng LĐTBXH làm đầu mối', 0, 10);
    insert into budgets values
      ('b1', 'bn', 100000000, 'year', 'đào tạo', 'bình quân 100 triệu đồng/năm', 0, 10),
      ('b2', 'bn', 500000000, 'period', null, 'cả giai đoạn 500 triệu đồng', 0, 10);
    """)
    con.commit()
    con.close()
    return path


@pytest.fixture(scope="module")
def small(tmp_path_factory):
    d = tmp_path_factory.mktemp("small")
    db = small_db(d / "plans.db")
    return db, publish(db, d / "out")


def ids(body: dict) -> list[str]:
    return sorted(r["id"] if "id" in r else r["doc_id"] for r in body["rows"])


def test_search_with_and_without_diacritics(small):
    db, meta = small
    b = query(db, meta,
              "/plans/targets.json?_shape=objects&_search=dak+nong",
              "/plans/targets.json?_shape=objects&_search=%C4%90%E1%BA%AFk+N%C3%B4ng",  # Đắk Nông
              "/plans/plan_targets.json?_shape=objects&_search=DAK+NONG",
              "/plans/targets.json?_shape=objects&_search=tre+em",
              "/plans/targets.json?_shape=objects&_search=tr%E1%BA%BB+em",  # trẻ em
              "/plans/targets.json?_shape=objects&_search=dak",
              "/plans/plan_agencies.json?_shape=objects&_search=so+y+te",
              "/plans/budgets.json?_shape=objects&_search=dao+tao",
              "/plans/documents.json?_shape=objects&_search=an+lao")
    assert ids(b[0]) == ids(b[1]) == ids(b[2]) == ["t1", "t2"]  # the place of the plan is indexed
    assert ids(b[3]) == ids(b[4]) == ["t1", "t3"]
    assert ids(b[5]) == ["t1", "t2", "t5"]  # "đắk" folds to "dak": Đắk Nông and Đắk Lắk
    assert ids(b[6]) == ["a1", "a3"]
    assert ids(b[7]) == ["b1"]
    assert ids(b[8]) == ["al"]


def test_facets(small):
    db, meta = small
    by_province, by_role, docs = query(
        db, meta,
        "/plans/plan_targets.json?_shape=objects&_facet=province&_facet=indicator",
        "/plans/plan_agencies.json?_shape=objects&_facet=role",
        "/plans/documents.json?_shape=objects")
    assert facet_counts(by_province, "province") == {"Đắk Nông": 2, "Hải Phòng": 1, "Bắc Ninh": 2}
    assert facet_counts(by_province, "indicator")["children_supported_pct"] == 2
    assert facet_counts(by_role, "role") == {"lead": 2, "coordinate": 1, "focal": 1}
    # facets configured in metadata.json, without asking
    assert {"province", "admin_level", "period_end"} <= set(docs["facet_results"])
    assert facet_counts(docs, "admin_level") == {"province": 2, "district": 1}
    # a facet and a search together: lead agencies of plans of Đắk Nông
    (body,) = query(db, meta, "/plans/plan_agencies.json?_shape=objects&_search=dak+nong&role=lead")
    assert ids(body) == ["a1"]


def test_metadata_describes_every_column(small):
    db, meta = small
    m = json.loads(meta.read_text(encoding="utf-8"))
    assert m["title"] and m["source"] and "MIT" in m["license"]
    tables = m["databases"]["plans"]["tables"]
    con = sqlite3.connect(db)
    names = [r[0] for r in con.execute("select name from sqlite_master where type in ('table','view') "
                                       "and name not like '%fts%'")]
    assert {"documents", "targets", "agencies", "budgets", "plan_targets", "plan_agencies", "plan_budgets"} <= set(names)
    assert "plan_reporting" not in names  # no reporting table, no view
    for name in names:
        cols = [r[1] for r in con.execute(f"pragma table_info([{name}])")]
        assert set(tables[name]["columns"]) == set(cols), name
        assert all(tables[name]["columns"].values()), name
    assert "[VND" in tables["budgets"]["columns"]["amount_vnd"]
    assert tables["targets_fts"] == {"hidden": True}


def test_publish_again_is_stable(small, tmp_path):
    db, meta = small
    db2 = copy_db(db, tmp_path / "plans.db")
    first = publish(db2, tmp_path).read_text(encoding="utf-8")
    con = sqlite3.connect(db2)
    con.execute("delete from targets where id = 't2'")
    con.commit()
    con.close()
    assert publish(db2, tmp_path).read_text(encoding="utf-8") == first
    (body,) = query(db2, tmp_path / "metadata.json", "/plans/targets.json?_shape=objects&_search=dak+nong")
    assert ids(body) == ["t1"]  # the index follows the table


def test_publish_without_database(tmp_path):
    with pytest.raises(FileNotFoundError):
        publish(tmp_path / "none.db", tmp_path)
    assert not (tmp_path / "none.db").exists()


# ---- the bundled corpus ----------------------------------------------------------------------

def _words_in(words: list[str], *texts) -> bool:
    hay = " ".join(fold(t) for t in texts if t)
    return all(regex.search(rf"(?<!\w){regex.escape(w)}(?!\w)", hay) for w in words)


def test_seed_corpus(seed_db, tmp_path, caplog):
    db = copy_db(seed_db, tmp_path / "chitieu.db")
    with caplog.at_level("WARNING", logger="chitieu.publish"):
        meta = publish(db, tmp_path / "out")
    # every table and column of the real database is described in corpora/publish/metadata.yaml
    assert not [r.getMessage() for r in caplog.records if "description" in r.getMessage()]
    con = sqlite3.connect(db)
    tables = {r[0] for r in con.execute("select name from sqlite_master")}
    docs = rows_of(con, "select * from documents")
    levels = {}
    for d in docs:
        levels[d["admin_level"]] = levels.get(d["admin_level"], 0) + 1
    dak_nong = [d["doc_id"] for d in docs if Path(d["source_path"]).stem == "002_a56078c2bb1392fe"]
    facets, search = query(db, meta, "/chitieu/documents.json?_shape=objects&_facet=admin_level",
                           "/chitieu/documents.json?_shape=objects&_search=dak+nong")
    assert facet_counts(facets, "admin_level") == {k: v for k, v in levels.items() if k}
    assert {"province", "commune"} <= set(levels)  # the bundled corpus has plans of several levels
    assert [r["doc_id"] for r in search["rows"]] == dak_nong

    # agencies: lead roles per agency, and "so y te" finds Sở Y tế
    agencies = rows_of(con, "select * from plan_agencies") if "agencies" in tables else []
    if agencies:
        roles, health = query(db, meta, "/chitieu/plan_agencies.json?_shape=objects&_facet=role",
                              "/chitieu/agencies.json?_shape=objects&_search=so+y+te&_size=max")
        expected = {}
        for a in agencies:
            expected[a["role"]] = expected.get(a["role"], 0) + 1
        assert facet_counts(roles, "role") == expected
        want = sorted(a["id"] for a in agencies if _words_in(["so", "y", "te"], a.get("quote"), a.get("name"),
                                                            a.get("task"), a["locality"], a["province"]))
        assert any(a["name"] == "Sở Y tế" for a in agencies if a["id"] in want)
        assert ids(health) == want

    # targets: faceted by province, searched without diacritics ("trẻ em" = children)
    targets = rows_of(con, "select t.*, d.locality, d.province from targets t join documents d using (doc_id)") \
        if "targets" in tables else []
    if not targets:
        pytest.skip("no targets extracted yet")
    by_province, children = query(db, meta, "/chitieu/plan_targets.json?_shape=objects&_facet=province&_size=max",
                                  "/chitieu/targets.json?_shape=objects&_search=tre+em&_size=max")
    expected = {}
    for t in targets:
        if t["province"]:
            expected[t["province"]] = expected.get(t["province"], 0) + 1
    assert facet_counts(by_province, "province") == expected
    want = sorted(t["id"] for t in targets
                  if _words_in(["tre", "em"], t.get("quote"), t.get("indicator_text"), t["locality"], t["province"]))
    assert want, "the seeds have targets about children (trẻ em)"
    assert ids(children) == want


# ---- documents without their text; descriptions as tooltips ----------------------------------

def test_documents_listed_without_their_text(seed_db, tmp_path):
    db = copy_db(seed_db, tmp_path / "chitieu.db")
    meta = publish(db, tmp_path / "out")
    con = sqlite3.connect(db)
    texts = dict(con.execute("select doc_id, text from documents"))
    dak_nong = [d for (d,) in con.execute("select doc_id from documents where locality = 'Đắk Nông'")]
    con.close()
    listing, found, full, database = query(
        db, meta, "/chitieu/document_list.json?_shape=objects&_size=max",
        "/chitieu/document_list.json?_shape=objects&_search=dak+nong",
        "/chitieu/documents.json?_shape=objects&_size=max", "/chitieu.json")
    assert len(listing["rows"]) == len(texts) and "text" not in listing["rows"][0]
    assert {"title", "province", "doc_number", "kind"} <= set(listing["rows"][0])
    assert [r["doc_id"] for r in found["rows"]] == dak_nong  # the search covers the view
    # the table keeps the text (every quote's evidence), reachable by its URL
    assert {r["doc_id"]: r["text"] for r in full["rows"]} == texts
    hidden = {t["name"]: t["hidden"] for t in database["tables"]}
    assert hidden["documents"] is True and hidden["targets"] is False and hidden["documents_fts"] is True
    assert "document_list" in [v["name"] for v in database["views"]]
    # the facets of documents apply to the view
    (faceted,) = query(db, meta, "/chitieu/document_list.json?_shape=objects")
    assert {"province", "admin_level"} <= set(faceted["facet_results"])


def test_column_descriptions_are_tooltips_not_a_block(seed_db, tmp_path):
    db = copy_db(seed_db, tmp_path / "chitieu.db")
    meta = publish(db, tmp_path / "out")
    (page,) = query(db, meta, "/chitieu/targets", html=True)
    m = json.loads(meta.read_text(encoding="utf-8"))
    described = m["databases"]["chitieu"]["tables"]["targets"]["columns"]
    # each header carries its description, which the page's script turns into its tooltip (title)
    import html as html_mod

    assert f'data-column-description="{html_mod.escape(described["period_end"])}"' in page
    assert 'data-column="period_end"' in page
    # the block Datasette 0.65 prints above the rows is hidden by the stylesheet metadata.json adds
    from urllib.parse import unquote

    css = [unquote(u) for u in m["extra_css_urls"]]
    js = [unquote(u) for u in m["extra_js_urls"]]
    assert any("dl.column-descriptions" in c and "display: none" in c for c in css)
    assert any("th.title = th.dataset.columnDescription" in j for j in js)
    for u in m["extra_css_urls"] + m["extra_js_urls"]:
        assert html_mod.escape(u) in page  # linked from the page's head, served by nothing: offline


def test_tooltips_and_no_description_block_in_a_browser(seed_db, tmp_path):
    """The page Datasette renders, opened in headless Chromium (optional) with no network: the
    description block is not displayed and each described header has its description as title."""
    import shutil
    import subprocess

    chromium = next((shutil.which(n) for n in ("chromium", "chromium-browser", "google-chrome") if shutil.which(n)),
                    None)
    if chromium is None:
        msg = "Chromium not installed (apt-get install chromium): browser test of the Datasette tooltips skipped"
        print(msg)
        pytest.skip(msg)
    db = copy_db(seed_db, tmp_path / "chitieu.db")
    meta = publish(db, tmp_path / "out")
    (page,) = query(db, meta, "/chitieu/targets", html=True)
    probe = ("<script>window.addEventListener('load', function () {"
             " var dl = document.querySelector('dl.column-descriptions');"
             " var th = document.querySelector('th[data-column=\"period_end\"]');"
             " document.body.insertAdjacentHTML('beforeend', '<pre id=\"probe\">' + JSON.stringify("
             "{block: dl ? getComputedStyle(dl).display : 'absent', title: th.title}) + '</pre>'); });</script>")
    html_file = tmp_path / "targets.html"
    html_file.write_text(page.replace("</body>", probe + "</body>"), encoding="utf-8")
    cmd = [chromium, "--headless", "--no-sandbox", "--disable-gpu", "--proxy-server=127.0.0.1:9",
           "--proxy-bypass-list=<-loopback>", f"--user-data-dir={tmp_path / 'profile'}", "--dump-dom",
           html_file.as_uri()]
    dom = subprocess.run(cmd, capture_output=True, text=True, timeout=120, check=True).stdout
    import html as html_mod

    got = json.loads(html_mod.unescape(dom.rsplit('<pre id="probe">', 1)[1].split("</pre>")[0]))
    described = json.loads(meta.read_text(encoding="utf-8"))["databases"]["chitieu"]["tables"]["targets"]["columns"]
    assert got == {"block": "none", "title": described["period_end"]}
