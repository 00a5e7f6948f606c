"""Build corpora/gazetteer/*.csv from the vietnamadminunits package's offline dataset.

    pip install vietnamadminunits==1.0.4 && python scripts/build_gazetteer.py

The run-time pipeline reads only the CSV files written here (no package, no network):
- provinces.csv: every province in the 63-province structure (until 2025-06-30) and the
  34-province structure (from 2025-07-01), with the 2025 province each old one merged into;
- units.csv: districts of the old structure and communes/wards of both structures, with their
  province, for resolving "huyện An Lão", "phường Kim Trà".
"""
from __future__ import annotations

import csv
import json
import sqlite3
from pathlib import Path

import vietnamadminunits

OUT = Path(__file__).resolve().parent.parent / "corpora" / "gazetteer"
DATA = Path(vietnamadminunits.__file__).parent / "data"


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    con = sqlite3.connect(DATA / "dataset.db")
    conv = json.loads((DATA / "converter_2025.json").read_text(encoding="utf-8"))["DICT_PROVINCE"]
    old_to_new_key = {old: new for new, olds in conv.items() for old in olds}
    new_by_key = {k: (full, short) for full, short, k in con.execute(
        "select distinct province, provinceShort, provinceKey from admin_units")}
    provinces = []
    for full, short, key in con.execute(
            "select distinct province, provinceShort, provinceKey from admin_units_legacy order by provinceCode"):
        new_full, new_short = new_by_key[old_to_new_key[key]]
        provinces.append(("legacy", full, short, new_short))
    for full, short, key in con.execute(
            "select distinct province, provinceShort, provinceKey from admin_units order by provinceCode"):
        provinces.append(("2025", full, short, short))
    with (OUT / "provinces.csv").open("w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["structure", "name", "short", "province_2025"])
        w.writerows(provinces)
    units = set()
    for prov, dtype, dshort, wtype, wshort in con.execute(
            "select provinceShort, districtType, districtShort, wardType, wardShort from admin_units_legacy"):
        units.add(("legacy", prov, dtype.lower(), dshort, ""))
        if wshort:  # a few island districts have no wards
            units.add(("legacy", prov, (wtype or "xã").lower(), wshort, dshort))
    for prov, wtype, wshort in con.execute("select provinceShort, wardType, wardShort from admin_units"):
        units.add(("2025", prov, wtype.lower(), wshort, ""))
    with (OUT / "units.csv").open("w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["structure", "province", "type", "name", "district"])
        w.writerows(sorted(units))
    print(f"{len(provinces)} provinces, {len(units)} units -> {OUT}")


if __name__ == "__main__":
    main()
