"""Measure how many industry terms of the national catalogue parkgeo maps to GB/T 4754-2017 codes.

Splits every row's 主导产业 of 《中国开发区审核公告目录》(2018年版)
(``parkgeo/data/china_zones_2018.csv``) into terms exactly as ``parkgeo`` reads an
``industries`` field (:func:`parkgeo.industries.split_terms`), parses each with
:func:`parkgeo.industries.parse_industries`, and counts term occurrences and
distinct terms by how they matched (code, name, synonym, partial) or not at all. The figure is
published in docs/data-contract.md ("Industries").

Usage::

    .venv/bin/python scripts/industry_coverage.py [--unmapped N]
"""

from __future__ import annotations

import argparse
import csv
from collections import Counter

from parkgeo.catalogue import CATALOGUE_CSV
from parkgeo.industries import parse_industries

HOWS = ("code", "name", "synonym", "partial", "unrecognised")


def coverage():
    """``(occurrences by how, distinct terms by how, unmapped Counter)``."""
    occ, distinct, unmapped = Counter(), {h: set() for h in HOWS}, Counter()
    with open(CATALOGUE_CSV, encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh):
            for term in parse_industries(row["industries_zh"]).terms:
                occ[term.how] += 1
                distinct[term.how].add(term.text)
                if term.how == "unrecognised":
                    unmapped[term.text] += 1
    return occ, {h: len(v) for h, v in distinct.items()}, unmapped


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--unmapped", type=int, default=20, metavar="N",
                    help="list the N most frequent unmapped terms (default 20)")
    args = ap.parse_args(argv)
    occ, distinct, unmapped = coverage()
    total, n_distinct = sum(occ.values()), sum(distinct.values())
    mapped = total - occ["unrecognised"]
    print(f"term occurrences: {total}; mapped {mapped} ({mapped / total:.1%})")
    print(f"distinct terms:   {n_distinct}; mapped "
          f"{n_distinct - distinct['unrecognised']} "
          f"({(n_distinct - distinct['unrecognised']) / n_distinct:.1%})")
    print("| matched as | occurrences | distinct terms |")
    print("|---|---:|---:|")
    for h in HOWS:
        print(f"| {h} | {occ[h]} | {distinct[h]} |")
    print("most frequent unmapped: " + ", ".join(f"{t} ({n})"
                                                 for t, n in unmapped.most_common(args.unmapped)))


if __name__ == "__main__":
    main()
