"""Review pages: every document gets a page with its spans marked at the right words, every text
escaped, each highlight saying what was read, and an index that sorts and filters offline."""
import html
import sqlite3

import pytest

from chitieu.pipeline.review import _spans, _without_overlaps, page_name, render_reviews


def test_review_pages(seed_db, tmp_path):
    pages = render_reviews(seed_db, tmp_path)
    con = sqlite3.connect(seed_db)
    assert len(pages) == con.execute("select count(*) from documents").fetchone()[0]
    assert (tmp_path / "index.html").exists()
    doc_id, text = con.execute(
        "select doc_id, text from documents where source_path like '%001_4e92dafdfbb2aef4%'").fetchone()
    spans = _without_overlaps(_spans(con, doc_id))  # the An Lão plan has no table: all in running text
    assert spans, "the An Lão plan has targets and agencies to show"
    assert all(a["end"] <= b["start"] for a, b in zip(spans, spans[1:]))  # no overlaps
    page = (tmp_path / f"{doc_id}.html").read_text(encoding="utf-8")
    first = spans[0]
    assert html.escape(text[first["start"]:first["end"]].split()[0]) in page
    assert html.escape(first["label"]) in page
    # every highlight's text is exactly the span of the document
    for s in spans:
        assert f">{html.escape(text[s['start']:s['end']])}<span class='lbl'>" in page
        # each highlight is an anchor named by its row id: <page>#<id> links to that row
        assert f"<mark id='{s['id']}' " in page
    shown = {s["id"] for s in spans}
    assert shown <= {r[0] for t in ("targets", "budgets", "agencies", "reporting")
                     for r in con.execute(f"select id from {t} where doc_id = ?", [doc_id])}


def test_seed_highlights_say_what_was_read(seed_db, tmp_path):
    render_reviews(seed_db, tmp_path)
    con = sqlite3.connect(seed_db)
    doc_id = con.execute("select doc_id from documents where source_path like '%001_4e92dafdfbb2aef4%'").fetchone()[0]
    page = (tmp_path / f"{doc_id}.html").read_text(encoding="utf-8")
    # An Lão: 50% of units with social-work staff by 2025 (gold), a lead agency
    assert "TARGET: staffing_units_pct ≥50 % 2021–2025" in page or "TARGET: staffing_units_pct ≥50 % 2025" in page
    assert "AGENCY: lead: " in page


# ---- a hand-made database with hostile text everywhere ----------------------------------------

HOSTILE = "<script>alert(1)</script>"


def hostile_db(path):
    con = sqlite3.connect(path)
    text = f"KẾ HOẠCH {HOSTILE}\nĐạt 90% số xã <img src=x onerror=alert(2)> vào năm 2030.\nKinh phí 500 triệu đồng/năm.\n" \
           "Sở Y tế chủ trì \"'><b>x</b>"
    q1 = "Đạt 90% số xã <img src=x onerror=alert(2)> vào năm 2030"
    q2 = "500 triệu đồng/năm"
    q3 = "Sở Y tế chủ trì \"'><b>x</b>"
    con.executescript("""
    create table documents (doc_id text primary key, source_path text, part int, doc_number text, title text,
        issuer text, admin_level text, locality text, province text, issued_date text, text text);
    create table targets (id text, doc_id text, indicator text, indicator_text text, value real, value_max real,
        unit text, comparator text, baseline_year int, period_start int, period_end int, section text, quote text,
        char_start int, char_end int, confidence real, notes text);
    create table budgets (id text, doc_id text, amount_vnd int, per text, activity text, quote text,
        char_start int, char_end int);
    create table agencies (id text, doc_id text, name text, role text, quote text, char_start int, char_end int);
    """)
    con.execute("insert into documents values (?,?,?,?,?,?,?,?,?,?,?)",
                ("d1", "plans/<img src=x onerror=alert(3)>.txt", 0, "<b>1</b>/KH", HOSTILE, "UBND <i>x</i>",
                 "province", "Đắk Nông", "Đắk Nông", "2026-01-02", text))
    con.execute("insert into documents values (?,?,?,?,?,?,?,?,?,?,?)",
                ("../../escape", "plans/b.txt", 0, "2/KH", "Kế hoạch Bắc Ninh", "UBND", "district", "An Lão",
                 None, None, "nothing"))
    s = text.index(q1)
    con.execute("insert into targets values (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
                ("t1", "d1", "<svg onload=alert(4)>", "số xã", 90, None, "%", "at_least", None, 2026, 2030,
                 "II.1", q1, s, s + len(q1), 0.9, "note <script>alert(5)</script>"))
    s = text.index(q2)
    con.execute("insert into budgets values (?,?,?,?,?,?,?,?)", ("b1", "d1", 500000000, "year", "<u>x</u>", q2, s,
                                                                  s + len(q2)))
    s = text.index(q3)
    con.execute("insert into agencies values (?,?,?,?,?,?,?)", ("a1", "d1", "Sở Y tế", "lead", q3, s, s + len(q3)))
    con.commit()
    con.close()
    return path


@pytest.fixture
def hostile_pages(tmp_path):
    db = hostile_db(tmp_path / "h.db")
    out = tmp_path / "review"
    pages = render_reviews(db, out)
    return out, pages


def test_hostile_titles_quotes_file_names_are_escaped(hostile_pages):
    out, pages = hostile_pages
    assert sorted(p.parent for p in pages) == [out, out]  # "../../escape" cannot write outside the folder
    page = (out / "d1.html").read_text(encoding="utf-8")
    index = (out / "index.html").read_text(encoding="utf-8")
    for doc in (page, index):
        for raw in ("<script>alert", "<img", "<svg", "<b>1</b>", "<i>x</i>", "<u>x</u>", "'><b>x</b>"):
            assert raw not in doc, raw
    assert "<script" not in page  # a review page runs no script at all
    assert index.count("<script>") == 1  # only the index's own sorting script
    assert html.escape(HOSTILE) in page and html.escape(HOSTILE) in index  # the title is shown, as text
    assert "&lt;img src=x onerror=alert(3)&gt;.txt" in page  # the file name too
    assert "&lt;svg onload=alert(4)&gt;" in page  # the label
    assert "note &lt;script&gt;alert(5)&lt;/script&gt;" in page  # the reason on hover


def test_each_highlight_says_what_was_read(hostile_pages):
    out, _ = hostile_pages
    page = (out / "d1.html").read_text(encoding="utf-8")
    assert "TARGET: &lt;svg onload=alert(4)&gt; ≥90 % 2026–2030" in page  # indicator, comparator, value, unit, period
    assert "BUDGET: 500 000 000 VND/year" in page  # amount and per
    assert "AGENCY: lead: Sở Y tế" in page  # role
    assert "title='section: II.1\ncomparator: at_least\nconfidence: 0.9" in page  # the reason on hover
    assert "3 rows shown" in page


def test_index_is_a_sortable_filterable_table_offline(hostile_pages):
    out, pages = hostile_pages
    index = (out / "index.html").read_text(encoding="utf-8")
    heads = ["Province", "Level", "Number", "Date", "Title", "File", "Targets", "Budgets", "Agencies"]
    assert "".join(f"<th data-num='{int(h in heads[-3:])}'>{h}</th>" for h in heads) in index
    assert "<input id='filter' type='search'" in index and "addEventListener('click'" in index
    row = index.split("<tbody>")[1].split("</tr>")[0]
    assert "<td>Đắk Nông</td><td>province</td><td>&lt;b&gt;1&lt;/b&gt;/KH</td><td>2026-01-02</td>" in row
    assert "data-v='1'>1</td>" in row
    assert f"href='{page_name('../../escape')}'" in index
    for p in pages + [out / "index.html"]:
        doc = p.read_text(encoding="utf-8")
        for remote in ("src=", "<link", "@import", "url("):  # nothing loaded from the network
            assert remote not in doc.replace("&lt;img src=x", ""), (p.name, remote)
