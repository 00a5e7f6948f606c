"""Places: resolve locality names to provinces with the offline gazetteer in corpora/gazetteer.

Part of the document model (language data used as a service): extractors ask it, they never
import each other for it.

Two structures are known: the 63 provinces (with districts) in force until 2025-06-30 and
the 34 provinces (no districts) from 2025-07-01. A name that exists in several provinces
("huyện An Lão": Bình Định and Hải Phòng) is never guessed: ``resolve`` returns no province
and says why in ``note``.

    >>> from chitieu.pipeline.places import resolve
    >>> resolve("huyện", "An Lão", structure="legacy").province is None
    True
"""
from __future__ import annotations

import unicodedata
from collections import defaultdict
from dataclasses import dataclass
from functools import lru_cache

from chitieu.pipeline.corpus import corpus_data
from chitieu.pipeline.cache import cached
from chitieu.pipeline.normalize import fold

MERGER_DATE = "2025-07-01"  # Resolution 202/2025/QH15: 34 provinces from this day

# unit types, as written in plans, by admin level (lower-case, without diacritics folding)
LEVEL_OF_TYPE = {
    "tỉnh": "province",
    "thành phố": None,  # province-level (Hà Nội, Huế …) or a district-level city: the gazetteer decides
    "huyện": "district", "quận": "district", "thị xã": "district",
    "xã": "commune", "phường": "commune", "thị trấn": "commune", "đặc khu": "commune",
}


@dataclass(frozen=True)
class Place:
    level: str | None  # province / district / commune
    name: str  # as in the gazetteer ("An Lão", "Kim Trà", "Bắc Ninh")
    province: str | None  # short province name in the structure used
    province_2025: str | None
    note: str | None = None


def structure_for(date_iso: str | None, year: int | None = None) -> str:
    """Which structure a document of this date (or year) uses."""
    if date_iso:
        return "2025" if date_iso >= MERGER_DATE else "legacy"
    if year:
        return "2025" if year >= 2026 else "legacy"
    return "legacy"


@lru_cache(maxsize=1)
def _provinces() -> dict[tuple[str, str], tuple[str, str]]:
    """(structure, folded short name) -> (short name, province_2025)."""
    out = {}
    for row in [*corpus_data("gazetteer/provinces.csv"), *corpus_data("gazetteer/provinces_former.csv")]:
        out[(row["structure"], fold(row["short"]))] = (row["short"], row["province_2025"])
    return out


@lru_cache(maxsize=1)
def _units() -> dict[tuple[str, str], list[tuple[str, str, str]]]:
    """(structure, folded name) -> [(type, short name, province)]; kept on disk between runs
    (``pipeline.cache``: reading units.csv and folding 14,000 names is a tenth of a one-file run)."""
    return cached("places-units", _build_units)


def _build_units() -> dict[tuple[str, str], list[tuple[str, str, str]]]:
    out: dict[tuple[str, str], list[tuple[str, str, str]]] = defaultdict(list)
    rows = corpus_data("gazetteer/units.csv")
    folded = _fold_lines([row["name"] for row in rows])
    one = {}.setdefault  # one object per distinct structure, type and province: a small cache file
    for row, key in zip(rows, folded, strict=True):
        s, t, p = (one(row[c], row[c]) for c in ("structure", "type", "province"))
        out[(s, key)].append((t, row["name"], p))
    return out


def _fold_lines(names: list[str]) -> list[str]:
    """``[fold(n) for n in names]`` in one pass over them joined by newlines (fold works
    character by character), with the combining marks dropped by one ``str.translate`` of the
    few distinct marks: 14,000 fold() calls were a tenth of a one-file run's start-up."""
    text = unicodedata.normalize("NFD", "\n".join(names).lower().replace("đ", "d"))
    marks = {ord(ch): None for ch in set(text) if unicodedata.category(ch) == "Mn"}
    return text.translate(marks).split("\n")


@lru_cache(maxsize=1)
def _cities() -> frozenset[str]:
    """Short names of provinces that are centrally-run cities ("Thành phố Huế")."""
    first: dict[str, str] = {}
    for row in corpus_data("gazetteer/provinces.csv"):
        first.setdefault(row["short"], row["name"])
    return frozenset(short for short, name in first.items() if name.lower().startswith("thành phố"))


def is_city(short: str) -> bool:
    """True for a province-level city: written "thành phố Huế", not "tỉnh Huế"."""
    return short in _cities()


def find_unit(name: str, structure: str) -> list[tuple[str, str, str]]:
    """[(type, short name, province)] of the districts/communes called ``name`` in a structure."""
    return _units().get((structure, fold(name)), [])


def province_2025(short: str | None) -> str | None:
    if not short:
        return None
    for structure in ("legacy", "2025"):
        hit = _provinces().get((structure, fold(short)))
        if hit:
            return hit[1]
    return None


def find_province(name: str, structure: str) -> tuple[str, str] | None:
    """(short, province_2025) when ``name`` is a province of that structure (or of the other one)."""
    key = fold(name)
    return _provinces().get((structure, key)) or _provinces().get(
        ("legacy" if structure == "2025" else "2025", key))


def resolve(unit_type: str | None, name: str, *, structure: str = "legacy",
            context_provinces: tuple[str, ...] = ()) -> Place:
    """Resolve "<type> <name>" (type may be None) to a Place.

    ``context_provinces``: provinces named elsewhere in the document; an ambiguous name whose
    candidates include exactly one of them is resolved to it (evidence, not a guess).
    """
    unit_type = (unit_type or "").lower().strip() or None
    level = LEVEL_OF_TYPE.get(unit_type) if unit_type else None
    if unit_type in (None, "tỉnh", "thành phố"):
        hit = find_province(name, structure)
        if hit:
            return Place("province", hit[0], hit[0], hit[1])
        if unit_type == "tỉnh":
            return Place("province", name, None, None, f"province '{name}' not in the gazetteer")
    candidates = find_unit(name, structure)
    if unit_type:
        candidates = [c for c in candidates if c[0] == unit_type]
    if not candidates:
        # a 2025 plan may still name a pre-merger district, an undated plan a post-merger ward
        other = "legacy" if structure == "2025" else "2025"
        candidates = [c for c in find_unit(name, other) if not unit_type or c[0] == unit_type]
    provinces = sorted({c[2] for c in candidates})
    if level is None and candidates:
        level = "district" if candidates[0][0] in ("huyện", "quận", "thị xã", "thành phố") else "commune"
    shown = candidates[0][1] if candidates else name
    if len(provinces) == 1:
        return Place(level, shown, provinces[0], province_2025(provinces[0]))
    if len(provinces) > 1:
        ctx = [p for p in provinces if fold(p) in {fold(c) for c in context_provinces}]
        if len(ctx) == 1:
            return Place(level, shown, ctx[0], province_2025(ctx[0]),
                         f"'{unit_type or ''} {name}' exists in {', '.join(provinces)}; {ctx[0]} is named in the text")
        return Place(level, shown, None, None,
                     f"ambiguous place: '{(unit_type + ' ') if unit_type else ''}{name}' exists in "
                     f"{len(provinces)} provinces ({', '.join(provinces)}); province left empty")
    return Place(level, name, None, None, f"place '{name}' not found in the gazetteer")
