"""Build parkgeo's package data from the reference data: the national zone catalogue and GB/T 4754.

Writes, from ``../shared/data`` (see its README for sources and licences):

* ``parkgeo/data/china_zones_2018.csv`` — 《中国开发区审核公告目录》(2018年版), the national
  catalogue of development zones (NDRC et al., 2018): all 2,543 rows with code, name,
  province, city/county, level, approving body, zone type, approval date, approved area
  (hectares) and 主导产业 as published. The third-party geocodes of the reference copy are
  left out: they are approximate, sometimes wrong, and carry no licence;
* ``parkgeo/data/gbt4754_2017.csv`` — GB/T 4754-2017 (国民经济行业分类), all four levels (20
  sections, 97 divisions, 473 groups, 1,381 classes) with their Chinese names.

Both are copied field by field (no value edited) and checked on the way: row counts, unique
codes (the catalogue's one known duplicate, S377018, is kept and reported), and levels.

Usage::

    .venv/bin/python scripts/build_package_data.py [--shared ../shared/data] [--out parkgeo/data]
"""

from __future__ import annotations

import argparse
import csv
import sys
from collections import Counter
from pathlib import Path

from parkgeo._atomic import write_text_atomic

REPO = Path(__file__).resolve().parents[1]
DEFAULT_SHARED = REPO.parent / "shared" / "data"
OUT = REPO / "parkgeo" / "data"

CATALOGUE_COLUMNS = ["code", "seq", "name", "province", "city_county", "level", "approved_by",
                     "zone_type", "approval_date", "approved_area_ha", "industries_zh"]
GBT_COLUMNS = ["code", "level", "name_zh"]
#: expected sizes, from the reference data's README
N_ZONES = 2543
GBT_LEVELS = {"section": 20, "division": 97, "group": 473, "class": 1381}


def _read(path):
    with open(path, encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def _csv_text(rows, columns):
    import io

    buf = io.StringIO()
    w = csv.DictWriter(buf, fieldnames=columns, lineterminator="\n", extrasaction="ignore")
    w.writeheader()
    w.writerows(rows)
    return buf.getvalue()


def build(shared, out=OUT):
    """Write both tables into ``out``; return what was checked (SystemExit on a failure)."""
    notes = []
    zones = _read(shared / "china_zones_2018.csv")
    if len(zones) != N_ZONES:
        sys.exit(f"china_zones_2018.csv: expected {N_ZONES} rows, found {len(zones)}")
    missing = [c for c in CATALOGUE_COLUMNS if c not in zones[0]]
    if missing:
        sys.exit(f"china_zones_2018.csv: columns missing: {', '.join(missing)}")
    bad_level = [z["code"] for z in zones if z["level"] not in ("national", "provincial")
                 or z["code"][:1] != {"national": "G", "provincial": "S"}.get(z["level"])]
    if bad_level:
        sys.exit(f"china_zones_2018.csv: level and code prefix disagree: {bad_level[:5]}")
    dup = [c for c, n in Counter(z["code"] for z in zones).items() if n > 1]
    notes.append(f"catalogue: {len(zones)} rows, codes used twice: {', '.join(dup) or 'none'}")
    gbt = _read(shared / "gbt4754_2017.csv")
    counts = Counter(r["level"] for r in gbt)
    if dict(counts) != GBT_LEVELS:
        sys.exit(f"gbt4754_2017.csv: expected {GBT_LEVELS}, found {dict(counts)}")
    if len({r["code"] for r in gbt}) != len(gbt):
        sys.exit("gbt4754_2017.csv: codes are not unique")
    notes.append("GB/T 4754-2017: " + ", ".join(f"{n} {k}" for k, n in counts.items()))
    out = Path(out)
    write_text_atomic(out / "china_zones_2018.csv", _csv_text(zones, CATALOGUE_COLUMNS),
                      overwrite=True)
    write_text_atomic(out / "gbt4754_2017.csv", _csv_text(gbt, GBT_COLUMNS), overwrite=True)
    return notes


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--shared", type=Path, default=DEFAULT_SHARED,
                    help="the reference data folder (default: ../shared/data)")
    ap.add_argument("--out", type=Path, default=OUT,
                    help="the folder to write into (default: parkgeo/data)")
    args = ap.parse_args(argv)
    for line in build(args.shared, args.out):
        print(line)
    print(f"wrote {args.out / 'china_zones_2018.csv'} and {args.out / 'gbt4754_2017.csv'}")


if __name__ == "__main__":
    main()
