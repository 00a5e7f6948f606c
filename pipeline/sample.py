"""Precision on your own corpus: a seeded random sample of rows, judged by their quote in context.

Recall needs gold for whole documents; precision needs only a judgement of each row. On a large
mixed folder (plans among news, decrees, encyclopedia pages) the honest figure is "of the rows
chitieu stored, how many are right", measured on a random sample:

    chitieu sample --db outputs/chitieu.db --n 200 --seed 1 --out sample.csv   # 1. draw a sheet
    # 2. fill the `verdict` column of sample.csv (ok / wrong) and, for wrong rows, `why`
    chitieu sample --db outputs/chitieu.db --score sample.csv                  # 3. precision ± 95 %

The draw is reproducible: the same database, ``--n`` and ``--seed`` give the same rows. Each sheet
line names its row by (table, file, char_start, char_end, value) so a sheet judged once can be
scored again after a re-run: rows that no longer exist are counted as gone, new rows as not
judged. Where gold files exist for some files (``--gold DIR``, the format of ``chitieu eval``),
their rows are judged against the gold automatically: a row is ``ok`` when its scorer key
(the same keys as ``chitieu eval``) is in the gold of its file, each gold record taking one row.

Library use::

    from chitieu.pipeline.sample import draw, score
    rows = draw("outputs/chitieu.db", n=200, seed=1)
    print(score(rows)["targets"])      # {'judged': .., 'ok': .., 'precision': .., 'low': .., 'high': ..}
"""
from __future__ import annotations

import csv
import math
import random
from collections import Counter, defaultdict
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Iterable

from chitieu.pipeline.export import atomic_write, open_database

TABLES = ("targets", "budgets")
CONTEXT = 160  # characters of text shown each side of the quote
VERDICTS = ("ok", "wrong")

# what a row shows of itself on the sheet: table -> columns joined as its "value"
_SHOWN = {
    "targets": ("indicator", "comparator", "value", "value_max", "unit", "period_start", "period_end"),
    "budgets": ("amount_vnd", "amount_max_vnd", "comparator", "per", "funding_source"),
    "agencies": ("name", "role"),
}


@dataclass
class Row:
    """One sheet line: a stored row, what it says, where it was read, and its verdict."""
    table: str
    file: str
    kind: str
    char_start: int
    char_end: int
    value: str
    quote: str
    context: str
    verdict: str = ""
    why: str = ""
    # the stored row's own values (not written to the sheet): what judging by gold compares
    row: dict = field(default_factory=dict, repr=False, compare=False, metadata={"sheet": False})

    @property
    def key(self) -> tuple:
        return (self.table, self.file, self.char_start, self.char_end, self.value)


def _value(table: str, r: dict) -> str:
    return " | ".join("" if r.get(c) is None else str(r[c]) for c in _SHOWN[table])


def _context(text: str, s: int, e: int) -> str:
    left = text[max(0, s - CONTEXT):s]
    right = text[e:e + CONTEXT]
    return (left + "[[" + text[s:e] + "]]" + right).replace("\n", " ⏎ ")


def all_rows(db: str | Path, tables: Iterable[str] = TABLES) -> list[Row]:
    """Every row of ``tables`` in a stable order (file, table, position): the population drawn from."""
    con = open_database(db)
    con.row_factory = lambda cur, r: dict(zip([c[0] for c in cur.description], r))
    try:
        docs = {d["doc_id"]: d for d in con.execute("select doc_id, source_path, kind, text from documents")}
        out: list[Row] = []
        for table in tables:
            if table not in _SHOWN:
                raise ValueError(f"cannot sample table {table!r} (one of {', '.join(_SHOWN)})")
            for r in con.execute(f"select * from [{table}]"):
                d = docs.get(r["doc_id"])
                if d is None:
                    continue
                s, e = r["char_start"], r["char_end"]
                out.append(Row(table, d["source_path"], d["kind"] or "", s, e, _value(table, r),
                               d["text"][s:e], _context(d["text"], s, e), row=r))
    finally:
        con.close()
    out.sort(key=lambda x: (x.file, x.table, x.char_start, x.char_end, x.value))
    return out


def draw(db: str | Path, n: int = 200, seed: int = 1, tables: Iterable[str] = TABLES) -> list[Row]:
    """A seeded uniform sample of ``n`` rows (all rows when there are fewer), in sheet order."""
    population = all_rows(db, tables)
    if n >= len(population):
        return population
    picked = sorted(random.Random(seed).sample(range(len(population)), n))
    return [population[i] for i in picked]


# ---- judging against gold ---------------------------------------------------------------------

def judge_by_gold(rows: list[Row], gold_dir: str | Path) -> int:
    """Fill ``verdict`` of the rows whose file has a gold file; return how many were judged.

    Keys are the scorer's (``chitieu eval``): targets by (indicator, value, period_end), budgets by
    (amount, per), agencies by (name, role); each gold record takes one row, in text order."""
    from chitieu.pipeline import evaluate as ev

    rules = ev.load_rules()
    gold, stems = ev.load_gold(gold_dir, rules)
    have = set(stems)
    left: dict[str, Counter] = {t: Counter(gold.counts[t]) for t in ("targets", "budgets", "agencies")}
    judged = 0
    for row in sorted(rows, key=lambda r: (r.file, r.char_start)):
        stem = Path(row.file).stem
        if stem not in have:
            continue
        full = (stem, *_scorer_key(row, rules, ev))
        if left[row.table][full] > 0:
            left[row.table][full] -= 1
            row.verdict, row.why = "ok", "in gold"
        else:
            row.verdict, row.why = "wrong", "not in gold"
        judged += 1
    return judged


def _scorer_key(row: Row, rules, ev) -> tuple:
    """The key ``chitieu eval`` matches the stored row by (its own values, not the sheet's text)."""
    r = row.row
    if row.table == "targets":
        return ev._target_key(rules, r["indicator"], r["value"], r["period_end"])[1]
    if row.table == "budgets":
        return (ev._amount(r["amount_vnd"]), r["per"])
    return (ev.norm_name(r["name"], rules), r["role"])


# ---- sheets -------------------------------------------------------------------------------------

FIELDS = [f.name for f in fields(Row) if f.metadata.get("sheet", True)]


def write_sheet(rows: list[Row], path: str | Path) -> Path:
    """The judging sheet as CSV (UTF-8 with BOM, so spreadsheet programs read Vietnamese)."""
    path = Path(path)
    with atomic_write(path, encoding="utf-8-sig") as fh:
        w = csv.DictWriter(fh, fieldnames=FIELDS)
        w.writeheader()
        for r in rows:
            w.writerow({f: getattr(r, f) for f in FIELDS})
    return path


def read_sheet(path: str | Path) -> list[Row]:
    """A judged sheet; a verdict other than ok/wrong/empty is an error naming the line."""
    rows = []
    with open(path, encoding="utf-8-sig", newline="") as fh:
        for i, d in enumerate(csv.DictReader(fh), start=2):
            missing = [f for f in FIELDS if f not in d]
            if missing:
                raise ValueError(f"{path}: not a chitieu sample sheet (no column {', '.join(missing)})")
            verdict = (d["verdict"] or "").strip().lower()
            if verdict not in ("", *VERDICTS):
                raise ValueError(f"{path}, line {i}: verdict {d['verdict']!r} is not ok, wrong or empty")
            rows.append(Row(d["table"], d["file"], d["kind"], int(d["char_start"]), int(d["char_end"]),
                            d["value"], d["quote"], d["context"], verdict, d["why"]))
    return rows


def carry_over(judged: list[Row], current: list[Row]) -> tuple[list[Row], int]:
    """The verdicts of an old sheet applied to the rows of the database now; also how many judged
    rows are gone (the rules changed and no longer store them)."""
    verdicts = {r.key: r for r in judged if r.verdict}
    out = []
    for r in current:
        old = verdicts.pop(r.key, None)
        if old is not None:
            r.verdict, r.why = old.verdict, old.why
        out.append(r)
    return out, len(verdicts)


# ---- figures ------------------------------------------------------------------------------------

def wilson(ok: int, n: int, z: float = 1.96) -> tuple[float, float]:
    """The Wilson score interval of a proportion (95 % by default); (0, 1) when nothing is judged."""
    if n == 0:
        return 0.0, 1.0
    p = ok / n
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / (1 + z * z / n)
    return max(0.0, centre - half), min(1.0, centre + half)


def score(rows: list[Row]) -> dict:
    """Precision per table, with its 95 % interval, and the same by document kind."""
    out: dict = {}
    groups: dict[tuple[str, str], list[Row]] = defaultdict(list)
    for r in rows:
        groups[(r.table, "")].append(r)
        groups[(r.table, r.kind or "unknown")].append(r)
    for (table, kind), rs in sorted(groups.items()):
        judged = [r for r in rs if r.verdict]
        ok = sum(r.verdict == "ok" for r in judged)
        low, high = wilson(ok, len(judged))
        fig = {"rows": len(rs), "judged": len(judged), "ok": ok,
               "precision": round(ok / len(judged), 3) if judged else None,
               "low": round(low, 3), "high": round(high, 3)}
        if kind:
            out.setdefault(table, {}).setdefault("by_kind", {})[kind] = fig
        else:
            out.setdefault(table, {}).update(fig)
    return out


def report(figures: dict, gone: int = 0) -> str:
    lines = []
    for table, fig in figures.items():
        p = "-" if fig["precision"] is None else f"{fig['precision']:.3f}"
        lines.append(f"{table:9s} precision {p}  (95% {fig['low']:.3f}–{fig['high']:.3f}; "
                     f"{fig['ok']} ok of {fig['judged']} judged, {fig['rows'] - fig['judged']} not judged)")
        for kind, k in fig.get("by_kind", {}).items():
            p = "-" if k["precision"] is None else f"{k['precision']:.3f}"
            lines.append(f"  {kind:12s} {p}  ({k['ok']} ok of {k['judged']} judged, {k['rows']} rows)")
    if gone:
        lines.append(f"{gone} judged rows of the sheet are no longer in the database")
    return "\n".join(lines)
