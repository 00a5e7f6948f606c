"""Word 97-2003 documents (.doc) through a maintained external reader, the best one installed.

1. LibreOffice headless (``soffice``): converts to .docx in a temporary folder, then the
   .docx reader reads it, so tables stay rows and Word numbering is kept;
2. ``antiword`` (text, tables as ``|`` rows);
3. ``catdoc`` (text only).

None installed: an error naming the packages to install. Every external run has a timeout
and its own temporary folder (and LibreOffice its own profile, so runs never interfere).
"""
from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path

from chitieu.pipeline.readers import Reading, ReaderError, ReadOptions, table_line

TIMEOUT_SECONDS = 120
INSTALL = ("no .doc reader installed: apt-get install libreoffice-writer-nogui (best), antiword or catdoc; "
           "or save the file as .docx")


def read(data: bytes, path: str, options: ReadOptions) -> Reading:
    if not data.startswith(b"\xd0\xcf\x11\xe0"):
        raise ReaderError("not a Word 97-2003 .doc file (no OLE2 signature)")
    with tempfile.TemporaryDirectory(prefix="chitieu-doc-") as tmp:
        src = Path(tmp) / "in.doc"
        src.write_bytes(data)
        soffice = shutil.which("soffice") or shutil.which("libreoffice")
        if soffice:
            return _via_libreoffice(soffice, src, Path(tmp), options)
        if shutil.which("antiword"):
            return Reading(_antiword(_run(["antiword", "-m", "UTF-8.txt", "-w", "0", str(src)])), "doc")
        if shutil.which("catdoc"):
            return Reading(_run(["catdoc", "-d", "utf-8", "-w", str(src)]), "doc")
    raise ReaderError(INSTALL)


def _run(cmd: list[str]) -> str:
    try:
        out = subprocess.run(cmd, capture_output=True, timeout=TIMEOUT_SECONDS)
    except subprocess.TimeoutExpired:
        raise ReaderError(f"{cmd[0]} took longer than {TIMEOUT_SECONDS} s") from None
    if out.returncode != 0:
        msg = out.stderr.decode("utf-8", "replace").strip().splitlines()
        raise ReaderError(f"{cmd[0]} could not read it: {msg[-1] if msg else f'exit {out.returncode}'}")
    return out.stdout.decode("utf-8", "replace")


def _via_libreoffice(soffice: str, src: Path, tmp: Path, options: ReadOptions) -> Reading:
    from chitieu.pipeline.readers import docx

    _run([soffice, f"-env:UserInstallation=file://{tmp / 'profile'}", "--headless", "--convert-to", "docx",
          "--outdir", str(tmp), str(src)])
    out = tmp / "in.docx"
    if not out.exists():
        raise ReaderError("LibreOffice could not convert it (damaged or password-protected .doc?)")
    reading = docx.read(out.read_bytes(), str(src), options)
    return Reading(reading.text, "doc", reading.pages, [*reading.notes])


def _antiword(text: str) -> str:
    """antiword draws table rows as ``|a |b |``: rewritten as ``| a | b |`` lines."""
    lines = []
    for ln in text.splitlines():
        s = ln.strip()
        if s.startswith("|") and s.endswith("|") and s.count("|") >= 3:
            lines.append(table_line(s[1:-1].split("|")))
        else:
            lines.append(ln)
    return "\n".join(lines)
