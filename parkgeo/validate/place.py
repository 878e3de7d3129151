"""Place: ``unknown_county``, ``outside_county`` (against ``counties``), ``in_protected_area``.

Containment is first tested with prepared county polygons in the common CRS (cheap, and true
for nearly every feature); only features not covered are cut with their county and the part
outside measured in the county's Gauss-Kruger CRS.
"""

from __future__ import annotations

import difflib

import numpy as np
import shapely

from ..units import m2_to_mu
from ._context import fmt_mu, fmt_share, polygonal_parts, project
from .topology import find_overlaps

__all__ = ["check_counties", "check_protected"]


def _county_names(counties):
    names = {}
    if "name" not in counties.frame:
        return names
    for i, v in enumerate(counties.frame["name"]):
        if isinstance(v, str) and v.strip() and v not in names:
            names[v] = i
    return names


def check_counties(layers, out, *, tolerance):
    """``unknown_county`` and ``outside_county`` for zones and parks against ``counties``."""
    counties = layers.get("counties")
    if counties is None:
        return
    names = _county_names(counties)
    if not names:
        out.note("the counties layer has no county names, so places were not checked")
        return
    known = list(names)
    county_src = counties.src
    # prepared once, reused by every feature of the county (shapely 2 prepares in place)
    shapely.prepare(county_src[counties.measurable])
    for key in ("zones", "parks"):
        lg = layers.get(key)
        if lg is None or "county" not in lg.frame:
            continue
        values = lg.frame["county"].to_numpy(dtype=object)
        rows_known = []
        for i, v in enumerate(values):
            if not isinstance(v, str) or not v.strip():
                continue  # an empty county is a bad_value already
            if v not in names:
                close = difflib.get_close_matches(v, known, n=1, cutoff=0.5)
                hint = f" (did you mean '{close[0]}'?)" if close else ""
                shown = ", ".join(known[:10]) + (" …" if len(known) > 10 else "")
                at = lg.src[i] if lg.measurable[i] else None
                out.add("unknown_county", lg.name, lg.ids[i],
                        f"county '{v}' is not in the counties layer{hint}; counties there: "
                        f"{shown}", field="county", at=at, at_crs=lg.common_crs)
                continue
            c = names[v]
            if lg.measurable[i] and counties.measurable[c]:
                rows_known.append((i, c))
        if not rows_known:
            continue
        fi = np.array([r[0] for r in rows_known])
        ci = np.array([r[1] for r in rows_known])
        covered = shapely.covers(county_src[ci], lg.src[fi])
        fi, ci = fi[~covered], ci[~covered]
        if not len(fi):
            continue
        # the feature's local CRS is its county's, so the county is projected into it
        county_local = np.empty(len(ci), dtype=object)
        for code in np.unique(lg.epsg[fi]):
            rows = np.flatnonzero(lg.epsg[fi] == code)
            same = counties.epsg[ci[rows]] == code
            county_local[rows[same]] = counties.local[ci[rows[same]]]
            if (~same).any():
                county_local[rows[~same]] = project(county_src[ci[rows[~same]]],
                                                    lg.common_crs, int(code))
        outside = shapely.difference(lg.local[fi], county_local)
        out_mu = m2_to_mu(shapely.area(outside))
        share = np.where(lg.area_mu[fi] > 0, out_mu / lg.area_mu[fi], 0.0)
        bad = np.flatnonzero(share > tolerance)
        if not len(bad):
            continue
        tree = shapely.STRtree(county_src[counties.measurable])
        tree_rows = np.flatnonzero(counties.measurable)
        for k in bad:
            i, c = int(fi[k]), int(ci[k])
            part = polygonal_parts(np.array([outside[k]]))[0]
            where = _where_outside(lg, i, c, counties, tree, tree_rows, part)
            repaired = " (measured on a repaired copy)" if lg.repaired[i] else ""
            out.add("outside_county", lg.name, lg.ids[i],
                    f"{fmt_share(share[k])} of the {lg.noun} ({fmt_mu(out_mu[k])} of "
                    f"{fmt_mu(lg.area_mu[i])}) lies outside {values[i]}{where}{repaired}",
                    field="county", value=float(share[k] * 100), unit="%",
                    other=f"counties:{counties.ids[c]}", at=part, at_crs=int(lg.epsg[i]),
                    geometry=part, geometry_crs=int(lg.epsg[i]))


def _where_outside(lg, i, c, counties, tree, tree_rows, part):
    """``, in 秀洲区`` — the county holding most of the outside part — or ``, outside every county``."""
    if part is None:
        return ""
    part_src = project(np.array([part]), int(lg.epsg[i]), lg.common_crs)[0]
    hits = tree_rows[tree.query(part_src, predicate="intersects")]
    hits = hits[hits != c]
    if not len(hits):
        return ", outside every county of the counties layer"
    shares = shapely.area(shapely.intersection(counties.src[hits], part_src))
    best = hits[int(np.argmax(shares))]
    if shares.max() <= 0:
        return ", outside every county of the counties layer"
    return f", in {counties.ids[best]}"


def check_protected(layers, out, *, min_mu):
    """``in_protected_area``: zones and parks overlapping protected land by at least ``min_mu``."""
    protected = layers.get("protected")
    if protected is None:
        return
    for key in ("zones", "parks"):
        lg = layers.get(key)
        if lg is None:
            continue
        ia, ib, geoms, area, codes = find_overlaps(lg, protected, min_mu=min_mu)
        for i, j, g, mu, code in zip(ia, ib, geoms, area, codes):
            share = mu / lg.area_mu[i] if lg.area_mu[i] > 0 else 0.0
            kind = protected.names[j]
            what = f"protected land {protected.ids[j]}" + (f" ({kind})" if kind else "")
            repaired = " (measured on a repaired copy)" if lg.repaired[i] or \
                protected.repaired[j] else ""
            out.add("in_protected_area", lg.name, lg.ids[i],
                    f"overlaps {what} by {fmt_mu(mu)} ({fmt_share(share)} of the {lg.noun})"
                    f"{repaired}", value=float(mu), unit="mu",
                    other=f"protected:{protected.ids[j]}",
                    geometry=polygonal_parts(np.array([g]))[0], geometry_crs=int(code))
