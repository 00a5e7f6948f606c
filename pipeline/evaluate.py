"""Evaluate: compare an output database with hand-coded gold files.

A gold folder holds one JSON file per plan file (format: README, "The gold format"); its ``id``
is the stem of the plan file (``corpora/seeds/000_801adf126bd69574.txt`` ->
``000_801adf126bd69574``). Records are matched per source file, so the documents of one
file pool together. The matching rules live in ``corpora/eval/scoring.json`` and are the
project's reference scorer's:

- ``targets``: key (indicator, value rounded to 3 decimals, period_end); indicators other
  than the six main ones are pooled as ``other``; each occurrence counts;
- ``targets_main``: the same, only the six main indicators;
- ``targets_exact``: the targets key plus period_start, baseline_year and the comparator
  class (bare levels ``equal`` and ``at_least`` are one class);
- ``budgets``: key (amount_vnd as an integer, per); each occurrence counts;
- ``agencies``: key (normalized name, role), counted once per file with the strongest role
  (lead > focal > coordinate; gold files record it per document); unnamed groups
  ("các sở, ngành liên quan") are left out;
- ``meta``: the document fields doc_number, issued_date, admin_level, province, normalized
  (lower case, new-style tone marks, ``UBND``, no "tỉnh"/"thành phố" prefix, no spaces in
  numbers).

Besides these five figures, :func:`evaluate` gives each metadata field (``meta.province``…)
and each indicator (``targets.staffing_units_pct``…, ``targets.other``) separately, and the
misses (gold not found) and extras (found, not in gold) with their quotes.

Library use::

    from chitieu.pipeline.evaluate import evaluate
    ev = evaluate("outputs/chitieu.db", "tests/gold")
    print(ev.figures()["targets"])          # {'tp': .., 'pred': .., 'gold': .., 'P': .., 'R': .., 'F1': ..}
    for item in ev.misses: print(item.line())
"""
from __future__ import annotations

import json
import sqlite3
import unicodedata
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any, Iterable

import regex

from chitieu.pipeline.corpus import load_data
from chitieu.pipeline.data import corpus_path
from chitieu.pipeline.normalize import fold

RULES_FILE = corpus_path("eval/scoring.json")

CATEGORIES = ("targets", "targets_main", "targets_exact", "budgets", "agencies", "meta")


class GoldError(ValueError):
    """A gold file that does not follow the format (names the file and the place)."""


# ---- rules ---------------------------------------------------------------------------------

@dataclass(frozen=True)
class Rules:
    main_indicators: frozenset[str]
    meta_fields: tuple[str, ...]
    generic_marker: str
    old_tones: dict
    name_replacements: tuple[tuple[str, str], ...]
    province_prefix: Any
    old_tone_re: Any
    value_decimals: int
    role_rank: dict
    comparator_classes: dict

    def cmp_class(self, comparator: Any) -> Any:
        return self.comparator_classes.get(comparator, comparator)


@lru_cache(maxsize=4)
def load_rules(path: str | Path = RULES_FILE) -> Rules:
    data = load_data(path, "eval/scoring.json")
    old = data["old_tones"]
    return Rules(
        main_indicators=frozenset(data["main_indicators"]),
        meta_fields=tuple(data["meta_fields"]),
        generic_marker=data["generic_marker"],
        old_tones=old,
        name_replacements=tuple((a, b) for a, b in data["name_replacements"]),
        province_prefix=regex.compile(data["province_prefix"]),
        old_tone_re=regex.compile(r"(?<!q)(" + "|".join(regex.escape(k) for k in old) + r")(?!\w)"),
        value_decimals=int(data["value_decimals"]),
        role_rank=dict(data["role_rank"]),
        comparator_classes=dict(data["comparator_classes"]),
    )


def norm_name(s: Any, rules: Rules | None = None) -> str:
    """Lower-case, NFC, new-style tone marks, one dash style, ``ubnd`` for Ủy ban nhân dân."""
    rules = rules or load_rules()
    if not s:
        return ""
    s = unicodedata.normalize("NFC", str(s)).lower()
    s = rules.old_tone_re.sub(lambda m: rules.old_tones[m.group(1)], s)
    for a, b in rules.name_replacements:
        s = s.replace(a, b)
    s = regex.sub(r"[–—‐-]", "-", s)
    s = regex.sub(r"\s*-\s*", " - ", s)
    s = regex.sub(r"\s+", " ", s).strip(" .,;:")
    return s


def norm_meta(fld: str, v: Any, rules: Rules | None = None) -> str:
    rules = rules or load_rules()
    v = norm_name(str(v), rules)
    if fld == "province":
        v = rules.province_prefix.sub("", v)
    if fld == "doc_number":
        v = v.replace(" ", "")
    return v


def is_generic(name: Any, rules: Rules | None = None) -> bool:
    """Unnamed groups ("các sở, ngành liên quan") are not scored."""
    rules = rules or load_rules()
    return rules.generic_marker in norm_name(name, rules)


def num(v: Any, rules: Rules | None = None) -> Any:
    """A value as the scorer compares it: a float rounded to 3 decimals (None stays None).

    A value that is not a number is kept as written: it then matches no gold value and shows
    as an extra instead of stopping the evaluation."""
    if v is None:
        return None
    rules = rules or load_rules()
    try:
        return round(float(v), rules.value_decimals)
    except (TypeError, ValueError):
        return str(v)


# ---- scores --------------------------------------------------------------------------------

@dataclass
class Score:
    tp: int
    pred: int
    gold: int
    P: float
    R: float
    F1: float

    def as_dict(self) -> dict:
        return {"tp": self.tp, "pred": self.pred, "gold": self.gold,
                "P": round(self.P, 3), "R": round(self.R, 3), "F1": round(self.F1, 3)}


def prf(gold: Counter, pred: Counter) -> Score:
    """Precision, recall, F1 of two multisets (an empty prediction of an empty gold is perfect)."""
    tp = sum((gold & pred).values())
    n_pred, n_gold = sum(pred.values()), sum(gold.values())
    P = tp / n_pred if n_pred else (1.0 if not n_gold else 0.0)
    R = tp / n_gold if n_gold else 1.0
    F = 2 * P * R / (P + R) if P + R else 0.0
    return Score(tp, n_pred, n_gold, P, R, F)


# ---- records -------------------------------------------------------------------------------

@dataclass
class Item:
    """One gold or predicted record: its category, file, match key and where it comes from."""
    category: str
    file: str
    key: tuple
    quote: str | None = None
    document: str | None = None  # doc_number (gold) or doc_id (database)
    kind: str = ""               # "miss" or "extra" once classified

    def as_dict(self) -> dict:
        return {"kind": self.kind, "category": self.category, "file": self.file,
                "key": list(self.key), "quote": self.quote, "document": self.document}

    def line(self) -> str:
        label = "MISS " if self.kind == "miss" else "EXTRA" if self.kind == "extra" else "     "
        key = " | ".join("-" if k is None else f"{k:g}" if isinstance(k, float) else str(k) for k in self.key)
        q = f'  "{self.quote}"' if self.quote else ""
        return f"  {label} {self.category:12s} {self.file}  {key}{q}"


@dataclass
class Side:
    """The records of one side (gold or database), by category, with the items behind each key."""
    counts: dict[str, Counter] = field(default_factory=lambda: {c: Counter() for c in CATEGORIES})
    items: dict[str, dict[tuple, list[Item]]] = field(
        default_factory=lambda: {c: defaultdict(list) for c in CATEGORIES})

    def add(self, category: str, file: str, key: tuple, quote: str | None, document: str | None,
            once: bool = False) -> None:
        full = (file, *key)
        if once:
            self.counts[category][full] = 1
        else:
            self.counts[category][full] += 1
        self.items[category][full].append(Item(category, file, key, quote, document))

    def add_agencies(self, file: str, mentions: list[tuple[str, str, str | None, str | None]],
                     rank: dict) -> None:
        """Agency mentions (name, role, quote, document) of one file or document: each name once,
        with its strongest role; a key already present (another document) is kept."""
        best: dict[str, tuple] = {}
        for name, role, quote, document in mentions:
            if name not in best or rank.get(role, 0) > rank.get(best[name][0], 0):
                best[name] = (role, quote, document)
        for name, (role, quote, document) in best.items():
            self.add("agencies", file, (name, role), quote, document, once=True)


def _amount(v: Any) -> Any:
    """An amount as the scorer compares it (an integer); one that is not a number is kept as written
    (it matches nothing and shows as an extra)."""
    try:
        return int(v)
    except (TypeError, ValueError):
        return v


def _target_key(rules: Rules, indicator: Any, value: Any, period_end: Any) -> tuple[str, tuple]:
    ind = indicator if indicator in rules.main_indicators else "other"
    return ind, (ind, num(value, rules), period_end)


def _add_target(side: Side, rules: Rules, file: str, t: dict, document: str | None) -> None:
    ind, key = _target_key(rules, t.get("indicator"), t.get("value"), t.get("period_end"))
    side.add("targets", file, key, t.get("quote"), document)
    if ind in rules.main_indicators:
        side.add("targets_main", file, key, t.get("quote"), document)
    exact = key + (t.get("period_start"), t.get("baseline_year"), rules.cmp_class(t.get("comparator")))
    side.add("targets_exact", file, exact, t.get("quote"), document)


def _require(obj: dict, keys: Iterable[str], where: str) -> None:
    missing = [k for k in keys if k not in obj]
    if missing:
        raise GoldError(f"{where}: missing {', '.join(missing)}")


def load_gold(gold_dir: str | Path, rules: Rules | None = None) -> tuple[Side, list[str]]:
    """Read every ``*.json`` of a gold folder; return the gold side and the file stems."""
    rules = rules or load_rules()
    gdir = Path(gold_dir)
    if not gdir.is_dir():
        raise FileNotFoundError(f"{gdir}: no such gold folder")
    files = sorted(gdir.glob("*.json"))
    if not files:
        raise FileNotFoundError(f"{gdir}: no gold .json files")
    side, stems = Side(), []
    for f in files:
        try:
            g = json.loads(f.read_text(encoding="utf-8"))
        except json.JSONDecodeError as e:
            raise GoldError(f"{f}: not valid JSON: {e}") from e
        _require(g, ("id", "documents"), str(f))
        stem = g["id"]
        stems.append(stem)
        for i, d in enumerate(g["documents"]):
            where = f"{f.name}: documents[{i}]"
            _require(d, ("targets", "budgets", "agencies"), where)
            doc = d.get("doc_number")
            for j, t in enumerate(d["targets"]):
                _require(t, ("indicator", "value", "period_end"), f"{where}.targets[{j}]")
                _add_target(side, rules, stem, t, doc)
            for j, b in enumerate(d["budgets"]):
                _require(b, ("amount_vnd", "per"), f"{where}.budgets[{j}]")
                try:
                    amount = int(b["amount_vnd"])
                except (TypeError, ValueError) as e:
                    raise GoldError(f"{where}.budgets[{j}]: amount_vnd is not a number: {b['amount_vnd']!r}") from e
                side.add("budgets", stem, (amount, b["per"]), b.get("quote"), doc)
            for j, a in enumerate(d["agencies"]):
                _require(a, ("name", "role"), f"{where}.agencies[{j}]")
            side.add_agencies(stem, [(norm_name(a["name"], rules), a["role"], a.get("quote"), doc)
                                     for a in d["agencies"] if not is_generic(a["name"], rules)],
                              rules.role_rank)
            for fld in rules.meta_fields:
                if d.get(fld) is not None:
                    side.add("meta", stem, (fld, norm_meta(fld, d[fld], rules)), str(d[fld]), doc)
    return side, stems


def _rows(con: sqlite3.Connection, table: str) -> list[dict]:
    """All rows of a table as dicts; an absent table has no rows."""
    exists = con.execute("select 1 from sqlite_master where type in ('table','view') and name = ?",
                         [table]).fetchone()
    if not exists:
        return []
    cur = con.execute(f"select * from [{table}]")
    cols = [c[0] for c in cur.description]
    return [dict(zip(cols, r)) for r in cur]


def load_db(db_path: str | Path, stems: Iterable[str], rules: Rules | None = None
            ) -> tuple[Side, list[str]]:
    """Read the database side for the given file stems; also return the stems it holds."""
    rules = rules or load_rules()
    db_path = Path(db_path)
    if not db_path.is_file():
        raise FileNotFoundError(f"{db_path}: no such database")
    wanted = set(stems)
    con = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True)
    try:
        docs = _rows(con, "documents")
        stem_of = {d["doc_id"]: Path(d["source_path"]).stem for d in docs}
        side = Side()
        for t in _rows(con, "targets"):
            stem = stem_of.get(t.get("doc_id"))
            if stem not in wanted:
                continue
            _add_target(side, rules, stem, t, t.get("doc_id"))
        for b in _rows(con, "budgets"):
            stem = stem_of.get(b.get("doc_id"))
            if stem not in wanted:
                continue
            key = (_amount(b.get("amount_vnd")), b.get("per"))
            side.add("budgets", stem, key, b.get("quote"), b.get("doc_id"))
        by_file: dict[str, list] = defaultdict(list)
        for a in _rows(con, "agencies"):
            stem = stem_of.get(a.get("doc_id"))
            if stem in wanted and not is_generic(a.get("name"), rules):
                by_file[stem].append((norm_name(a.get("name"), rules), a.get("role"), a.get("quote"),
                                      a.get("doc_id")))
        for stem, mentions in by_file.items():
            side.add_agencies(stem, mentions, rules.role_rank)
        for d in docs:
            stem = stem_of[d["doc_id"]]
            if stem not in wanted:
                continue
            for fld in rules.meta_fields:
                if d.get(fld) is not None:
                    side.add("meta", stem, (fld, norm_meta(fld, d[fld], rules)), str(d[fld]), d["doc_id"])
    finally:
        con.close()
    return side, sorted(set(stem_of.values()))


# ---- evaluation ----------------------------------------------------------------------------

def _overlap(a: str | None, b: str | None) -> bool:
    if not a or not b:
        return False
    fa, fb = fold(a), fold(b)
    return fa in fb or fb in fa


def _unmatched(mine: list[Item], other: list[Item], n: int) -> list[Item]:
    """The ``n`` items of ``mine`` left over after pairing with ``other`` (quotes that overlap first)."""
    free = list(other)
    left = []
    for it in mine:
        j = next((k for k, o in enumerate(free) if _overlap(it.quote, o.quote)), None)
        if j is None:
            left.append(it)
        else:
            free.pop(j)
    paired = [it for it in mine if all(it is not x for x in left)]
    return (left + paired)[:n]


@dataclass
class Evaluation:
    scores: dict[str, Score]
    misses: list[Item]
    extras: list[Item]
    gold_files: list[str]
    db_files: list[str]

    @property
    def files_without_documents(self) -> list[str]:
        """Gold files with no document in the database (everything in them counts as missed)."""
        have = set(self.db_files)
        return [s for s in self.gold_files if s not in have]

    def figures(self) -> dict:
        """The figures as one JSON-able dict: the five scorer categories first, then by field."""
        return {k: s.as_dict() for k, s in self.scores.items()}

    def as_dict(self, verbose: bool = False) -> dict:
        out = self.figures()
        if verbose:
            out["misses"] = [m.as_dict() for m in self.misses]
            out["extras"] = [e.as_dict() for e in self.extras]
            out["files_without_documents"] = self.files_without_documents
        return out

    def report(self, verbose: bool = False) -> str:
        """The figures as text: one line per category (as the reference scorer prints them), then
        one line per metadata field and per indicator; with ``verbose`` every miss and extra."""
        width = max(len(k) for k in self.scores if k not in CATEGORIES)
        lines = []
        for k, v in self.scores.items():
            figures = (f"P={v.P:.3f} R={v.R:.3f} F1={v.F1:.3f}  "
                       f"(tp {v.tp}, pred {v.pred}, gold {v.gold})")
            if k in CATEGORIES:
                lines.append(f"{k:13s} {figures}")
            else:
                if lines[-1].split()[0] in CATEGORIES:
                    lines.append("by field:")
                lines.append(f"  {k:{width}s} {figures}")
        for s in self.files_without_documents:
            lines.append(f"warning: no document of gold file {s} in the database")
        if verbose:
            for cat in CATEGORIES:
                lines.extend(m.line() for m in self.misses if m.category == cat)
                lines.extend(e.line() for e in self.extras if e.category == cat)
        return "\n".join(lines)


def compare(gold: Side, pred: Side, rules: Rules | None = None) -> tuple[dict[str, Score], list[Item], list[Item]]:
    rules = rules or load_rules()
    scores: dict[str, Score] = {}
    for cat in CATEGORIES:
        scores[cat] = prf(gold.counts[cat], pred.counts[cat])
    # by field: metadata fields and indicators (keys are (file, field-or-indicator, ...))
    for fld in rules.meta_fields:
        sub = lambda c: Counter({k: v for k, v in c.items() if k[1] == fld})  # noqa: E731
        scores[f"meta.{fld}"] = prf(sub(gold.counts["meta"]), sub(pred.counts["meta"]))
    for ind in sorted(rules.main_indicators) + ["other"]:
        sub = lambda c: Counter({k: v for k, v in c.items() if k[1] == ind})  # noqa: E731
        scores[f"targets.{ind}"] = prf(sub(gold.counts["targets"]), sub(pred.counts["targets"]))
    misses, extras = [], []
    for cat in CATEGORIES:
        if cat in ("targets_main", "targets_exact"):  # the same records as in targets
            continue
        g, p = gold.counts[cat], pred.counts[cat]
        for key, n in sorted((g - p).items(), key=lambda kv: str(kv[0])):
            for it in _unmatched(gold.items[cat][key], pred.items[cat].get(key, []), n):
                it.kind = "miss"
                misses.append(it)
        for key, n in sorted((p - g).items(), key=lambda kv: str(kv[0])):
            for it in _unmatched(pred.items[cat][key], gold.items[cat].get(key, []), n):
                it.kind = "extra"
                extras.append(it)
    return scores, misses, extras


def evaluate(db_path: str | Path, gold_dir: str | Path) -> Evaluation:
    """Compare a chitieu database with a folder of gold JSON files."""
    rules = load_rules()
    gold, stems = load_gold(gold_dir, rules)
    pred, db_files = load_db(db_path, stems, rules)
    scores, misses, extras = compare(gold, pred, rules)
    return Evaluation(scores, misses, extras, stems, db_files)
