"""Build the format fixtures under tests/data/formats/ from the seed plans (corpora/seeds).

    python scripts/make_format_fixtures.py        # needs python-docx, openpyxl, pypdfium2, Pillow
                                                  # and LibreOffice (soffice) for PDF/DOC/ODT/RTF

The generated files are committed: tests and CI need neither this script nor LibreOffice.
Layout of tests/data/formats/:

    plan.{md,html,docx,pdf,doc,odt,rtf}   seed 004 in each format (twin: corpora/seeds/004_*.txt)
    plan_libreoffice.html                 plan.docx saved as HTML by LibreOffice
    library.{docx,pdf}                    seed 000 (metadata table as a Word table, budgets)
    portal.html, library.html             seed 001 as a provincial portal page (menus, footer)
                                          and seed 000 as a legal-library page (metadata table,
                                          related documents)
    annex.xlsx                            an annex table of targets (one document per workbook)
    scanned/plan_scan.pdf                 plan.pdf rendered to images and back (no text layer)
    legacy/                               seed 001 in TCVN3, VNI, VISCII (8-bit bytes), VNI saved
                                          as Unicode, Windows-1258; a DOCX and a PDF typed in .VnTime
    bad/                                  truncated, password-protected and 0-byte PDFs, a DOCX that
                                          is a renamed ZIP of something else, an HTML page without
                                          body text
"""
from __future__ import annotations

import html
import io
import shutil
import subprocess
import sys
import tempfile
import unicodedata
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "corpora" / "seeds"
OUT = ROOT / "tests" / "data" / "formats"
PLAN = "004_7957dd705c424d21"
NEWS = "001_4e92dafdfbb2aef4"
LIBRARY = "000_801adf126bd69574"  # scraped from a legal library: metadata table, budgets

ISSUER = ("ỦY BAN NHÂN DÂN\nPHƯỜNG KIM TRÀ", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc")


def seed(name: str) -> str:
    return (SEEDS / f"{name}.txt").read_text(encoding="utf-8")


def lines_of(text: str) -> list[str]:
    return [ln for ln in text.splitlines() if ln.strip()]


# ---- Markdown ------------------------------------------------------------------------------

def make_md(text: str) -> str:
    out = []
    for ln in lines_of(text):
        if ln[:2] in ("I.", "II", "IV", "V.") and ln.split(".")[0].isupper() and "." in ln[:5]:
            out.append(f"## {ln}")
        elif ln == "KẾ HOẠCH":
            out.append(f"# {ln}")
        else:
            out.append(ln)
    return "\n\n".join(out) + "\n"


# ---- HTML ----------------------------------------------------------------------------------

def _html_blocks(text: str) -> str:
    parts, in_list, in_table = [], False, False
    for ln in lines_of(text):
        e = html.escape(ln)
        cells = [c.strip() for c in ln.strip().strip("|").split("|")]
        if ln.startswith("| ") and ln.endswith(" |") and len(cells) >= 2:
            if not in_table:
                parts.append('<table class="metadata">')
                in_table = True
            parts.append("<tr>" + "".join(f"<td>{html.escape(c)}</td>" for c in cells) + "</tr>")
            continue
        if in_table:
            parts.append("</table>")
            in_table = False
        if ln.startswith("- "):
            if not in_list:
                parts.append("<ul class=\"noidung-list\">")
                in_list = True
            parts.append(f"  <li>{e}</li>")
            continue
        if in_list:
            parts.append("</ul>")
            in_list = False
        if ln.split(" ")[0].rstrip(".") in ("I", "II", "III", "IV", "V"):
            parts.append(f"<h2>{e}</h2>")
        elif ln == "KẾ HOẠCH":
            parts.append(f"<h1 style=\"text-align:center\">{e}</h1>")
        else:
            parts.append(f"<p>{e}</p>")
    if in_list:
        parts.append("</ul>")
    return "\n".join(parts)


MENU = """<nav class="main-menu"><ul>
  <li><a href="/">Trang chủ</a></li><li><a href="/gioi-thieu">Giới thiệu</a></li>
  <li><a href="/tin-tuc">Tin tức - Sự kiện</a></li><li><a href="/van-ban">Văn bản chỉ đạo điều hành</a></li>
  <li><a href="/lien-he">Liên hệ</a></li></ul></nav>"""


def make_portal(text: str) -> str:
    return f"""<!DOCTYPE html>
<html lang="vi"><head><meta charset="utf-8"><title>Cổng thông tin điện tử huyện</title>
<script>window.dataLayer = window.dataLayer || []; function gtag(){{dataLayer.push(arguments);}}</script>
<style>.header{{background:#c00}} .menu li{{display:inline}}</style></head>
<body>
<div class="header"><img src="/logo.png" alt="logo"> CỔNG THÔNG TIN ĐIỆN TỬ HUYỆN AN LÃO</div>
{MENU}
<div class="breadcrumb"><a href="/">Trang chủ</a> » <a href="/tin-tuc">Tin tức</a></div>
<div class="container"><div class="col-main"><div class="news-detail">
{_html_blocks(text)}
</div>
<div class="share-tools"><a href="#">Chia sẻ Facebook</a> <a href="#">In bài</a></div>
<div class="tin-khac"><h3>Tin khác</h3><ul><li><a href="/t/1">Hội nghị tổng kết năm 2020</a></li>
<li><a href="/t/2">Kế hoạch số 12/KH-UBND về phòng chống dịch</a></li></ul></div></div>
<div class="sidebar"><h3>Liên kết website</h3><ul><li><a href="https://chinhphu.vn">Chính phủ</a></li></ul>
<p>Lượt truy cập: 1.234.567</p></div></div>
<footer><p>Bản quyền thuộc UBND huyện An Lão. Địa chỉ: thị trấn An Lão. Điện thoại: 0225 3871 234</p></footer>
</body></html>
"""


def make_library(text: str) -> str:
    """The seed as a legal library shows it: its metadata table (the seed's "| Số hiệu | … |"
    lines) above the full text, a related-documents box, menus and a footer."""
    return f"""<!DOCTYPE html>
<html><head><meta http-equiv="Content-Type" content="text/html; charset=utf-8">
<title>Kế hoạch thực hiện Chương trình phát triển công tác xã hội phường Kim Trà năm 2026</title></head>
<body><div id="header"><div class="search-box"><form><input name="q"><button>Tìm kiếm</button></form></div></div>
{MENU}
<div class="content-doc">
<div class="tab-toanvan">
{_html_blocks(text)}
</div>
<div class="related-docs"><h3>Văn bản liên quan</h3><ul>
<li><a href="/vb/1">Quyết định 112/QĐ-TTg năm 2021 phê duyệt Chương trình phát triển công tác xã hội</a></li>
<li><a href="/vb/2">Nghị định 110/2024/NĐ-CP về công tác xã hội</a></li></ul></div>
</div>
<div class="footer">Thư viện văn bản pháp luật. Mọi quyền được bảo lưu.</div>
<script>trackPage("vb-45");</script></body></html>
"""


# ---- DOCX (python-docx) ----------------------------------------------------------------------

_ROMAN = ["I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X"]


def _add_numbering(document) -> str:
    """A multi-level list like Word's "I. / 1. / -" outline; returns its numId."""
    from docx.oxml import parse_xml

    ns = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
    root = document.part.numbering_part.element
    abstract = parse_xml(
        f'<w:abstractNum {ns} w:abstractNumId="90"><w:multiLevelType w:val="multilevel"/>'
        '<w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="upperRoman"/><w:lvlText w:val="%1."/></w:lvl>'
        '<w:lvl w:ilvl="1"><w:start w:val="1"/><w:numFmt w:val="decimal"/><w:lvlText w:val="%2."/></w:lvl>'
        '<w:lvl w:ilvl="2"><w:start w:val="1"/><w:numFmt w:val="bullet"/><w:lvlText w:val="-"/></w:lvl>'
        '</w:abstractNum>')
    first_num = root.find("{http://schemas.openxmlformats.org/wordprocessingml/2006/main}num")
    if first_num is not None:
        first_num.addprevious(abstract)
    else:
        root.append(abstract)
    root.append(parse_xml(f'<w:num {ns} w:numId="90"><w:abstractNumId w:val="90"/></w:num>'))
    return "90"


def _number(paragraph, num_id: str, level: int) -> None:
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    ppr = paragraph._p.get_or_add_pPr()
    num_pr = OxmlElement("w:numPr")
    ilvl = OxmlElement("w:ilvl")
    ilvl.set(qn("w:val"), str(level))
    nid = OxmlElement("w:numId")
    nid.set(qn("w:val"), num_id)
    num_pr.append(ilvl)
    num_pr.append(nid)
    ppr.append(num_pr)


def _page_number_field(paragraph) -> None:
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    run = paragraph.add_run()
    for kind, text in (("begin", None), (None, "PAGE"), ("end", None)):
        if kind:
            el = OxmlElement("w:fldChar")
            el.set(qn("w:fldCharType"), kind)
        else:
            el = OxmlElement("w:instrText")
            el.text = text
        run._r.append(el)


def make_docx(text: str, path: Path, *, header_table: bool = True, font: str | None = None,
              numbering: bool = True) -> None:
    """The seed as Word writes a plan: issuer | motto table, numbered headings, running
    header and page-number footer, a landscape annex section."""
    import docx
    from docx.enum.section import WD_ORIENT
    from docx.shared import Pt

    d = docx.Document()
    style = d.styles["Normal"]
    style.font.name = font or "Times New Roman"
    style.font.size = Pt(13)
    sec = d.sections[0]
    sec.header.paragraphs[0].text = "Kế hoạch phát triển công tác xã hội năm 2026"
    _page_number_field(sec.footer.paragraphs[0])
    if header_table:
        t = d.add_table(rows=1, cols=2)
        for cell, value in zip(t.rows[0].cells, ISSUER):
            cell.text = value
    num_id = _add_numbering(d) if numbering else None
    counters = [0, 0]
    rows: list[list[str]] = []
    for ln in lines_of(text) + [""]:
        cells = [c.strip() for c in ln.strip().strip("|").split("|")]
        if ln.startswith("| ") and ln.endswith(" |") and len(cells) >= 2:
            rows.append(cells)  # a "| a | b |" line of the seed: a row of a real Word table
            continue
        if rows:
            t = d.add_table(rows=len(rows), cols=max(len(r) for r in rows))
            t.style = "Table Grid"
            for r, row in enumerate(rows):
                for c, v in enumerate(row):
                    t.cell(r, c).text = v
            rows = []
        if not ln:
            continue
        head, _, rest = ln.partition(" ")
        level = None
        if num_id and head.endswith(".") and head[:-1] in _ROMAN and _ROMAN.index(head[:-1]) == counters[0]:
            level, counters = 0, [counters[0] + 1, 0]
        elif num_id and head.endswith(".") and head[:-1].isdigit() and int(head[:-1]) == counters[1] + 1 \
                and counters[0]:
            level, counters[1] = 1, counters[1] + 1
        elif num_id and head == "-" and rest:
            level = 2
        p = d.add_paragraph(rest if level is not None else ln)
        if level is not None:
            _number(p, num_id, level)
    if header_table:  # a landscape annex with a table, as plans attach them
        new = d.add_section()
        new.orientation = WD_ORIENT.LANDSCAPE
        new.page_width, new.page_height = sec.page_height, sec.page_width
        d.add_paragraph("Phụ lục: Phân công thực hiện")
        t = d.add_table(rows=3, cols=3)
        t.style = "Table Grid"  # ruled, as annex tables are
        for r, row in enumerate([("STT", "Nhiệm vụ", "Thời gian"),
                                 ("1", "Tổ chức tuyên truyền công tác xã hội", "Quý II/2026"),
                                 ("2", "Rà soát cơ sở thực hành công tác xã hội", "Quý III/2026")]):
            for c, v in enumerate(row):
                t.cell(r, c).text = v
    d.save(path)


# ---- LibreOffice conversions ------------------------------------------------------------------

def soffice(src: Path, fmt: str, out_dir: Path, extra: str = "") -> Path:
    exe = shutil.which("soffice") or shutil.which("libreoffice")
    if not exe:
        sys.exit("LibreOffice (soffice) is needed: apt-get install libreoffice-writer-nogui")
    with tempfile.TemporaryDirectory() as profile:
        subprocess.run([exe, f"-env:UserInstallation=file://{profile}", "--headless", "--convert-to",
                        fmt + extra, "--outdir", str(out_dir), str(src)], check=True, capture_output=True,
                       timeout=180)
    return out_dir / f"{src.stem}.{fmt}"


def make_scan(pdf: Path, out: Path) -> None:
    """Render the first two pages (the targets) to grey images and save the images as a PDF: no text layer."""
    import pypdfium2 as pdfium

    doc = pdfium.PdfDocument(str(pdf))
    images = [doc[i].render(scale=150 / 72).to_pil().convert("L") for i in range(min(2, len(doc)))]
    images[0].save(out, "PDF", resolution=150, save_all=True, append_images=images[1:], quality=60)


# ---- legacy encodings ---------------------------------------------------------------------------

def to_legacy(text: str, encoding: str) -> str:
    """Unicode text as it looks typed in a legacy font (viparse's own tables, reversed).

    TCVN3 keeps capitals with diacritics in a separate font (.VnTimeH) whose codes are the
    small letters'; such capitals are written as small letters here, as they would read."""
    from viparse.normalize.encodings import CHARMAPS

    rev: dict[str, str] = {}
    for src, dst in CHARMAPS[encoding].pairs:
        rev.setdefault(dst, src)
    out = []
    for ch in unicodedata.normalize("NFC", text):
        s = rev.get(ch, ch)
        if encoding == "tcvn3" and not ch.isascii() and ch.isupper():
            s = rev.get(ch.lower(), s)
        out.append(s)
    return "".join(out)


def to_cp1258(text: str) -> bytes:
    """Windows-1258 bytes: precomposed where the code page has the letter, else base + tone mark."""
    out = bytearray()
    for ch in unicodedata.normalize("NFC", text):
        try:
            out += ch.encode("cp1258")
        except UnicodeEncodeError:
            base, *marks = unicodedata.normalize("NFD", ch)
            comp = unicodedata.normalize("NFC", base + "".join(m for m in marks if m in "\u0302\u0306\u031b"))
            tone = "".join(m for m in marks if m not in "\u0302\u0306\u031b")
            out += comp.encode("cp1258") + tone.encode("cp1258")
    return bytes(out)


def make_legacy(out: Path) -> None:
    text = seed(NEWS)
    (out / "news_tcvn3_8bit.txt").write_bytes(to_legacy(text, "tcvn3").encode("cp1252"))
    (out / "news_vni_8bit.txt").write_bytes(to_legacy(text, "vni").encode("cp1252"))
    # VISCII has no en dash: written as a hyphen
    (out / "news_viscii_8bit.txt").write_bytes(to_legacy(text.replace("–", "-"), "viscii").encode("latin-1"))
    (out / "news_vni_unicode.txt").write_text(to_legacy(text, "vni"), encoding="utf-8")
    (out / "news_cp1258.txt").write_bytes(to_cp1258(text))
    with_nul = text.encode("utf-8")
    cut = with_nul.index(b"\n") + 1
    (out / "news_nul.txt").write_bytes(with_nul[:cut] + b"\x00" + with_nul[cut:])
    make_docx(to_legacy(text, "tcvn3"), out / "news_vntime.docx", header_table=False, font=".VnTime",
              numbering=False)
    soffice(out / "news_vntime.docx", "pdf", out)
    soffice(out / "news_vntime.docx", "doc", out)


# ---- bad files ----------------------------------------------------------------------------------

def make_bad(plan_pdf: Path, out: Path) -> None:
    data = plan_pdf.read_bytes()
    (out / "truncated.pdf").write_bytes(data[: len(data) // 3])
    (out / "empty.pdf").write_bytes(b"")
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("photos/readme.txt", "Ảnh hội nghị")
    (out / "renamed_zip.docx").write_bytes(buf.getvalue())
    (out / "no_body.html").write_text(
        f"<html><head><title>Trang chủ</title><script>var x=1;</script></head><body>{MENU}"
        "<div class=\"footer\">Bản quyền</div></body></html>", encoding="utf-8")
    with tempfile.TemporaryDirectory() as tmp:
        src = Path(tmp) / "password.docx"
        make_docx("Tài liệu mật.\nĐạt 90% số xã.", src, header_table=False, numbering=False)
        opts = (':writer_pdf_Export:{"EncryptFile":{"type":"boolean","value":"true"},'
                '"DocumentOpenPassword":{"type":"string","value":"matkhau"}}')
        soffice(src, "pdf", out, opts)


def make_xlsx(path: Path) -> None:
    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Phụ lục"
    ws.append(["PHỤ LỤC: CHỈ TIÊU PHÁT TRIỂN CÔNG TÁC XÃ HỘI NĂM 2026"])
    ws.append(["STT", "Chỉ tiêu", "Đơn vị", "Kế hoạch năm 2026"])
    ws.append([1, "Tỷ lệ cơ quan, tổ chức bố trí nhân sự làm công tác xã hội", "%", 70])
    ws.append([2, "Tỷ lệ cán bộ được tập huấn kỹ năng công tác xã hội", "%", 60])
    ws2 = wb.create_sheet("Kinh phí")
    ws2.append(["Nguồn", "Số tiền (triệu đồng)"])
    ws2.append(["Ngân sách địa phương", 150])
    wb.save(path)


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    for sub in ("scanned", "legacy", "bad"):
        (OUT / sub).mkdir(exist_ok=True)
    plan = seed(PLAN)
    (OUT / "plan.md").write_text(make_md(plan), encoding="utf-8")
    (OUT / "portal.html").write_text(make_portal(seed(NEWS)), encoding="utf-8")
    (OUT / "library.html").write_text(make_library(seed(LIBRARY)), encoding="utf-8")
    make_docx(plan, OUT / "plan.docx")
    # the legal-library seed (metadata table, budgets) as Word and PDF too
    make_docx(seed(LIBRARY), OUT / "library.docx", header_table=False)
    soffice(OUT / "library.docx", "pdf", OUT)
    for fmt in ("pdf", "doc", "odt", "rtf"):
        soffice(OUT / "plan.docx", fmt, OUT)
    # HTML as a real producer writes it (LibreOffice's "Save as HTML": nested <ol type="I">)
    soffice(OUT / "plan.docx", "html", OUT).rename(OUT / "plan_libreoffice.html")
    make_xlsx(OUT / "annex.xlsx")
    make_scan(OUT / "plan.pdf", OUT / "scanned" / "plan_scan.pdf")
    make_legacy(OUT / "legacy")
    make_bad(OUT / "plan.pdf", OUT / "bad")
    total = sum(p.stat().st_size for p in OUT.rglob("*") if p.is_file())
    print(f"fixtures in {OUT}: {total / 1e6:.2f} MB")


if __name__ == "__main__":
    main()
