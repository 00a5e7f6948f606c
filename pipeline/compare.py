"""Compare local targets with the national programme they implement.

The ``comparison`` view (registered by ``extractors.programmes``; programme files: ``pipeline.programmes``) has one row per local
target whose indicator has a national target for the phase holding the local target's year
(a local 2026 target is compared with the national 2026-2030 phase)::

    doc_id, doc_number, locality, province, admin_level, programme, indicator, period_end,
    local_value, local_comparator, national_value, national_period_end, gap, ambition,
    target_id, quote

``gap`` is local - national; ``ambition`` is ``above`` / ``equal`` / ``below`` (for national
targets that are ceilings, ``at_most``/``less_than``/``decrease_by``, a lower local value is
``above``). Documents of the national level are left out.

Library use::

    from chitieu.pipeline.compare import comparison_frame, format_table
    df = comparison_frame("outputs/chitieu.db")
    print(format_table(df))
"""
from __future__ import annotations

import sqlite3
from pathlib import Path

COMPARISON_SQL = """
SELECT
  t.doc_id AS doc_id,
  d.doc_number AS doc_number,
  d.locality AS locality,
  d.province AS province,
  d.admin_level AS admin_level,
  d.programme AS programme,
  t.indicator AS indicator,
  t.period_end AS period_end,
  t.value AS local_value,
  t.comparator AS local_comparator,
  n.value AS national_value,
  n.period_end AS national_period_end,
  ROUND(t.value - n.value, 3) AS gap,
  CASE
    WHEN t.value = n.value THEN 'equal'
    WHEN (n.comparator IN ('at_most', 'less_than', 'decrease_by')) = (t.value < n.value) THEN 'above'
    ELSE 'below'
  END AS ambition,
  t.id AS target_id,
  t.quote AS quote
FROM targets t
JOIN documents d ON d.doc_id = t.doc_id
JOIN national_targets n
  ON n.programme = d.programme
 AND n.indicator = t.indicator
 AND t.period_end BETWEEN n.period_start AND n.period_end
WHERE t.value IS NOT NULL
  AND COALESCE(d.admin_level, '') <> 'national'
ORDER BY d.province, d.locality, d.doc_number, t.doc_id, t.indicator, t.period_end, t.char_start
"""

# the same columns, no rows: the view when no programme file defines a national target
EMPTY_COMPARISON_SQL = """
SELECT t.doc_id AS doc_id, d.doc_number AS doc_number, d.locality AS locality, d.province AS province,
  d.admin_level AS admin_level, d.programme AS programme, t.indicator AS indicator, t.period_end AS period_end,
  t.value AS local_value, t.comparator AS local_comparator, NULL AS national_value, NULL AS national_period_end,
  NULL AS gap, NULL AS ambition, t.id AS target_id, t.quote AS quote
FROM targets t JOIN documents d ON d.doc_id = t.doc_id
WHERE 0
"""

COLUMNS_SHORT = ["province", "locality", "admin_level", "doc_number", "indicator", "period_end", "local_value",
                 "local_comparator", "national_value", "national_period_end", "gap", "ambition"]


def comparison_rows(db_path: str | Path) -> list[dict]:
    """Rows of the ``comparison`` view as dicts (FileNotFoundError without a database,
    ``pipeline.export.UnusableDatabase`` for a file that is not one)."""
    from chitieu.pipeline.export import open_database

    con = open_database(db_path)
    con.row_factory = sqlite3.Row
    try:
        names = {r[0] for r in con.execute("select name from sqlite_master where type in ('table','view')")}
        if "comparison" in names:
            cur = con.execute("select * from comparison")
        elif {"targets", "documents", "national_targets"} <= names:
            cur = con.execute(COMPARISON_SQL)
        else:
            raise LookupError(f"{db_path}: no comparison view nor targets/national_targets tables")
        return [dict(r) for r in cur]
    finally:
        con.close()


def comparison_frame(db_path: str | Path):
    """The comparison as a pandas DataFrame."""
    import pandas as pd

    return pd.DataFrame(comparison_rows(db_path))


def _fmt(v) -> str:
    if v is None:
        return "-"
    if isinstance(v, float):
        return f"{v:g}"
    return str(v)


def format_table(rows: list[dict], columns: list[str] | None = None, max_width: int = 28) -> str:
    """A plain-text table for a terminal (one line per row, columns padded)."""
    columns = columns or COLUMNS_SHORT
    if hasattr(rows, "to_dict"):
        rows = rows.to_dict("records")
    cells = [[_fmt(r.get(c))[:max_width] for c in columns] for r in rows]
    widths = [max([len(c)] + [len(row[i]) for row in cells]) for i, c in enumerate(columns)]
    lines = ["  ".join(c.ljust(w) for c, w in zip(columns, widths)).rstrip(),
             "  ".join("-" * w for w in widths)]
    for row in cells:
        lines.append("  ".join(v.ljust(w) for v, w in zip(row, widths)).rstrip())
    return "\n".join(lines)


def counts(rows: list[dict]) -> dict:
    """How many local targets (in how many documents) are above, equal to, below the national ones."""
    by = {"above": 0, "equal": 0, "below": 0}
    for r in rows:
        by[r["ambition"]] = by.get(r["ambition"], 0) + 1
    return {"targets": len(rows), "documents": len({r["doc_id"] for r in rows}), **by}


def summary(rows: list[dict]) -> str:
    """One line: how many local targets are above, equal to, below the national ones."""
    c = counts(rows)
    return (f"{c['targets']} local targets in {c['documents']} documents compared: "
            f"{c['above']} above, {c['equal']} equal, {c['below']} below the national target")
