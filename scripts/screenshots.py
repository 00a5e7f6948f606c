"""Regenerate the README's pictures (docs/images/) from the bundled seeds.

    .venv/bin/python scripts/screenshots.py            # needs the test extra and Chromium

1. ``chitieu extract corpora/seeds`` into ``outputs/chitieu.db``, ``chitieu export`` (CSVs and
   ``outputs/metadata.json``) and ``chitieu review`` (``outputs/review/``);
2. ``heatmap.png``: the notebook ``notebooks/compare_provinces.ipynb`` run headless (nbclient) on
   that database; its first heatmap figure, as the notebook drew it;
3. ``review.png``: the review page of the shortest plan with targets, in headless Chromium;
4. ``datasette_search.png`` and ``datasette_documents.png``: ``datasette outputs/chitieu.db
   --metadata outputs/metadata.json -p 8799`` started here, two searches shot in Chromium, the
   server stopped.

Every command is printed as it runs. Pictures are reduced to a 256-colour palette (Pillow) so
each stays well under 200 KB.
"""
from __future__ import annotations

import argparse
import base64
import os
import shutil
import sqlite3
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
WINDOW = "1280,900"


def run(cmd: list[str], **kw) -> None:
    print("$", " ".join(cmd), flush=True)
    subprocess.run(cmd, check=True, cwd=ROOT, **kw)


def chitieu(*args: str) -> None:
    run([sys.executable, "-m", "chitieu.pipeline.cli", *args])


def shoot(chromium: str, url: str, out: Path, window: str = WINDOW) -> None:
    run([chromium, "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars",
         f"--screenshot={out}", f"--window-size={window}", url],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, timeout=120)
    shrink(out)


def shrink(path: Path) -> None:
    """A 256-colour palette PNG: text and flat colours stay sharp, the file a third of the size."""
    from PIL import Image

    with Image.open(path) as im:
        small = im.convert("RGB").quantize(colors=256, method=Image.Quantize.MEDIANCUT)
    small.save(path, optimize=True)
    print(f"  {path.relative_to(ROOT)}: {path.stat().st_size // 1024} KB")


def heatmap(db: Path, out: Path) -> None:
    import nbclient
    import nbformat

    notebook = ROOT / "notebooks" / "compare_provinces.ipynb"
    print(f"$ CHITIEU_DB={db.relative_to(ROOT)} jupyter nbconvert --execute {notebook.relative_to(ROOT)}"
          "   (here: nbclient)", flush=True)
    os.environ["CHITIEU_DB"] = str(db)
    nb = nbformat.read(notebook, as_version=4)
    nbclient.NotebookClient(nb, kernel_name="python3", timeout=300,
                            resources={"metadata": {"path": str(notebook.parent)}}).execute()
    cell = next(c for c in nb.cells if c.cell_type == "code" and 'frame("comparison")' in c.source)
    pngs = [o["data"]["image/png"] for o in cell.outputs if "image/png" in o.get("data", {})]
    if not pngs:
        raise SystemExit("the notebook drew no heatmap (is the comparison empty?)")
    out.write_bytes(base64.b64decode(pngs[-1]))  # the latest phase
    shrink(out)


def review_page(db: Path) -> str:
    """The page of the shortest document that has targets (a whole plan on one screen)."""
    con = sqlite3.connect(db)
    try:
        (doc_id,) = con.execute("select doc_id from documents where doc_id in (select doc_id from targets) "
                                "order by length(text) limit 1").fetchone()
    finally:
        con.close()
    from chitieu.pipeline.review import page_name

    return page_name(doc_id)


def datasette(chromium: str, db: Path, metadata: Path, port: int, images: Path) -> None:
    cmd = [str(Path(sys.executable).parent / "datasette"), str(db.relative_to(ROOT)),
           "--metadata", str(metadata.relative_to(ROOT)), "-p", str(port)]
    print("$", " ".join(cmd), "&", flush=True)
    server = subprocess.Popen(cmd, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        base = f"http://127.0.0.1:{port}"
        for _ in range(60):
            try:
                urllib.request.urlopen(base + "/-/versions.json", timeout=1)
                break
            except OSError:
                time.sleep(0.5)
        else:
            raise SystemExit(f"datasette did not answer on port {port}")
        name = db.stem
        # a search without diacritics, faceted by province and indicator (configured in metadata.json)
        cols = "".join(f"&_col={c}" for c in ("locality", "province", "doc_number", "indicator", "value", "unit",
                                               "comparator", "period_end", "quote"))
        shoot(chromium, f"{base}/{name}/plan_targets?_search=cong+tac+xa+hoi&_sort=province{cols}",
              images / "datasette_search.png", "1280,1100")
        # the documents, listed without their text; "dak nong" finds Đắk Nông
        cols = "".join(f"&_col={c}" for c in ("title", "doc_number", "issued_date", "admin_level", "locality",
                                               "province", "kind", "programme"))
        shoot(chromium, f"{base}/{name}/document_list?_search=dak+nong{cols}", images / "datasette_documents.png",
              "1280,1000")
    finally:
        print(f"$ kill {server.pid}", flush=True)
        server.terminate()
        server.wait(timeout=30)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--db", default="outputs/chitieu.db")
    ap.add_argument("--images", default="docs/images")
    ap.add_argument("--port", type=int, default=8799)
    ap.add_argument("--chromium", default=next((c for c in ("chromium", "chromium-browser", "google-chrome")
                                                if shutil.which(c)), None))
    args = ap.parse_args()
    if not args.chromium:
        raise SystemExit("no Chromium found (apt-get install chromium): needed for the screenshots")
    db, images = ROOT / args.db, ROOT / args.images
    images.mkdir(parents=True, exist_ok=True)
    chitieu("extract", "corpora/seeds", "--db", args.db, "--no-progress", "--force")
    chitieu("export", "--db", args.db, "--out", str(Path(args.db).parent))
    chitieu("review", "--db", args.db, "--out", str(Path(args.db).parent / "review"))
    heatmap(db, images / "heatmap.png")
    page = db.parent / "review" / review_page(db)
    shoot(args.chromium, page.as_uri(), images / "review.png")
    datasette(args.chromium, db, db.parent / "metadata.json", args.port, images)
    return 0


if __name__ == "__main__":
    sys.exit(main())
