"""Agency roles read from tables: decision steps over ``doc.tables`` (``pipeline.tables``).

In a task table ("Nội dung | Cơ quan chủ trì | Cơ quan phối hợp | Thời gian"), every agency named in
a cell of a lead column is ``lead``, of a coordinating column ``coordinate``, of a focal column
("Cơ quan đầu mối") ``focal``; the names of a cell are split as in running text (commas,
semicolons, "và"), and unnamed groups ("các sở, ngành liên quan") give no row. The task is the row's
label cell; the quote runs from the label to the agency's cell (the cell alone when that is far).
A role table is read wherever it stands, an annex after the distribution list included: a
distribution list holds no table with role columns.
"""
from __future__ import annotations

from typing import Any, Callable, Iterator

_ROLES = ("lead", "coordinate", "focal")


def table_hits(doc: Any, folded: str, find_mentions: Callable, make_hit: Callable) -> Iterator[Any]:
    """``make_hit(mention, role, block, offset, qs, qe, task)`` for every agency of a role column."""
    for table in doc.tables:
        cols = [c for c in table.columns if c.role in _ROLES]
        if not cols:
            continue
        for row in table.rows:
            lab = table.label(row)
            task = lab.flat or None if lab is not None else None
            for col in cols:
                cell = row.cells[col.index]
                if cell.end <= cell.start:
                    continue
                qs = lab.start if lab is not None and lab.start < cell.start and cell.end - lab.start <= 400 else cell.start
                for m in find_mentions(doc.text[cell.start:cell.end], doc.meta, folded[cell.start:cell.end]):
                    if m.generic:
                        continue
                    yield make_hit(m, cell.start, col.role, ("row", row.start), qs, cell.end, task)
