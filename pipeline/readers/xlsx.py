"""Excel workbooks (.xlsx) with openpyxl: one document per workbook, annex tables as tables.

Each sheet in order: its name as a line, then each non-empty row as a ``| cell | cell |``
line (values as computed when last saved; whole numbers without ".0"; trailing empty cells
trimmed). A cell spanning a merge is read once.
"""
from __future__ import annotations

import io
import zipfile

from chitieu.pipeline.readers import Reading, ReaderError, ReadOptions, check_zip_size, table_line


def _cell(v) -> str:
    if v is None:
        return ""
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    return str(v)


def read(data: bytes, path: str, options: ReadOptions) -> Reading:
    import openpyxl

    check_zip_size(data)
    try:
        wb = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError) as e:
        raise ReaderError(f"not a readable .xlsx workbook ({type(e).__name__}: {e})") from None
    lines: list[str] = []
    try:
        for ws in wb.worksheets:
            rows = []
            for row in ws.iter_rows(values_only=True):
                cells = [_cell(v) for v in row]
                while cells and not cells[-1].strip():
                    cells.pop()
                if cells:
                    rows.append(cells)
            if rows:
                lines.append(ws.title)
                # a title written in the first cell of a row is a line, not a one-cell table
                lines.extend(r[0] if len(r) == 1 else table_line(r) for r in rows)
    finally:
        wb.close()
    return Reading("\n".join(lines), "xlsx", pages=None)
