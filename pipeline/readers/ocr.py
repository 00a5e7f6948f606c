"""OCR of scanned PDFs (``--ocr``): pages rendered with pypdfium2, read by Tesseract
(Vietnamese data) through pytesseract. Optional: ``pip install -e '.[ocr]'`` and the
``tesseract-ocr-vie`` system package; without them the error says what is missing.
"""
from __future__ import annotations

import shutil

from chitieu.pipeline.readers import Reading, ReaderError

# rendering resolution: 300 dpi is what Tesseract is tuned for
DPI = 300
LANG = "vie"


def read_pdf(data: bytes, path: str, pages: int) -> Reading:
    try:
        import pypdfium2 as pdfium
        import pytesseract
    except ImportError as e:
        raise ReaderError(f"--ocr needs {e.name}: pip install -e '.[ocr]'") from None
    if not shutil.which("tesseract"):
        raise ReaderError("--ocr needs Tesseract: apt-get install tesseract-ocr-vie")
    if LANG not in pytesseract.get_languages(config=""):
        raise ReaderError("Tesseract has no Vietnamese data: apt-get install tesseract-ocr-vie")
    doc = pdfium.PdfDocument(data)
    texts = []
    try:
        for page in doc:
            image = page.render(scale=DPI / 72).to_pil().convert("L")
            texts.append(pytesseract.image_to_string(image, lang=LANG).strip())
    finally:
        doc.close()
    text = "\n".join(t for t in texts if t)
    if not text.strip():
        raise ReaderError("OCR found no text in the scanned PDF")
    return Reading(text, "pdf_ocr", pages=len(doc) if pages is None else pages,
                   notes=[f"text read by OCR (Tesseract, {LANG}); check numbers against the scan"])
