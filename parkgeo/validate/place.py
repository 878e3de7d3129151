"""Place: ``unknown_county``, ``outside_county`` (against ``counties``), ``in_protected_area``.

Containment is first tested with prepared county polygons in the common CRS (cheap, and true
for nearly every feature); only features not covered are cut with their county and the part
outside measured in the county's Gauss-Kruger CRS.
"""

from __future__ import annotations

import difflib

import numpy as np
import pandas as pd
import shapely

from ..i18n import tr_or
from ..units import m2_to_mu
from ._context import fmt_mu, fmt_mu_zh, fmt_share, overlay, polygonal_parts, project
from .topology import find_overlaps

__all__ = ["check_counties", "check_protected"]


def _county_polygons(counties):
    """``({name: position}, src, local, epsg)``: one polygon per county name.

    Rows that share a name (a county stored in pieces, exclaves) are one county: their
    polygons are unioned, so a feature in any piece lies in it.
    """
    rows = {}
    if "name" in counties.frame:
        for i, v in enumerate(counties.frame["name"]):
            if isinstance(v, str) and v.strip() and counties.measurable[i]:
                rows.setdefault(v, []).append(i)
    names = {name: k for k, name in enumerate(rows)}
    first = np.array([r[0] for r in rows.values()], dtype=int)
    src = counties.src[first].copy() if len(first) else np.empty(0, dtype=object)
    local = counties.local[first].copy() if len(first) else np.empty(0, dtype=object)
    epsg = counties.epsg[first].copy() if len(first) else np.empty(0, dtype=int)
    for k, r in enumerate(rows.values()):
        if len(r) > 1:
            src[k] = shapely.union_all(counties.src[r])
            local[k] = project(np.array([src[k]]), counties.common_crs, int(epsg[k]))[0]
    return names, src, local, epsg


def check_counties(layers, out, *, tolerance, keys=("zones", "parks")):
    """``unknown_county`` and ``outside_county`` for zones and parks (``keys``) against
    ``counties``."""
    counties = layers.get("counties")
    if counties is None:
        return
    names, county_src, county_local_own, county_epsg = _county_polygons(counties)
    if not names:
        out.note("the counties layer has no usable county names and polygons, so places were "
                 "not checked", "县(市、区)图层没有可用的名称和面,未检查所在县(市、区)")
        return
    known = list(names)
    # prepared once, reused by every feature of the county (shapely 2 prepares in place)
    shapely.prepare(county_src)
    for key in keys:
        lg = layers.get(key)
        if lg is None or "county" not in lg.frame:
            continue
        values = lg.frame["county"].to_numpy(dtype=object)
        # each distinct county name looked up once: its county's position, -1 when the
        # counties layer lacks it, -2 when empty (an empty county is a bad_value already)
        codes, distinct = pd.factorize(values)
        where = np.array([(names.get(v, -1) if isinstance(v, str) and v.strip() else -2)
                          for v in distinct] + [-2], dtype=int)[codes]
        close_to = {}
        for i in np.flatnonzero(where == -1):
            v = values[i]
            if v not in close_to:
                close_to[v] = difflib.get_close_matches(v, known, n=1, cutoff=0.5)
            close = close_to[v]
            hint = f" (did you mean '{close[0]}'?)" if close else ""
            hint_zh = f"(是否应为“{close[0]}”?)" if close else ""
            shown = ", ".join(known[:10]) + (" …" if len(known) > 10 else "")
            shown_zh = "、".join(known[:10]) + (" …" if len(known) > 10 else "")
            at = lg.src[i] if lg.measurable[i] else None
            out.add("unknown_county", lg.name, lg.ids[i],
                    f"county '{v}' is not in the counties layer{hint}; counties there: "
                    f"{shown}", field="county", at=at, at_crs=lg.common_crs,
                    message_zh=f"县(市、区)“{v}”不在县界图层中{hint_zh};该图层中的县(市、区):"
                               f"{shown_zh}")
        fi = np.flatnonzero((where >= 0) & lg.measurable)
        if not len(fi):
            continue
        ci = where[fi]
        covered = shapely.covers(county_src[ci], lg.src[fi])
        fi, ci = fi[~covered], ci[~covered]
        if not len(fi):
            continue
        # the feature's local CRS is its county's, so the county is projected into it
        county_local = np.empty(len(ci), dtype=object)
        for code in np.unique(lg.epsg[fi]):
            rows = np.flatnonzero(lg.epsg[fi] == code)
            same = county_epsg[ci[rows]] == code
            county_local[rows[same]] = county_local_own[ci[rows[same]]]
            if (~same).any():
                county_local[rows[~same]] = project(county_src[ci[rows[~same]]],
                                                    lg.common_crs, int(code))
        outside = overlay(shapely.difference, lg.local[fi], county_local)
        out_mu = m2_to_mu(shapely.area(outside))
        share = np.where(lg.area_mu[fi] > 0, out_mu / lg.area_mu[fi], 0.0)
        bad = np.flatnonzero(share > tolerance)
        if not len(bad):
            continue
        fi, ci, outside = fi[bad], ci[bad], polygonal_parts(outside[bad])
        where, where_zh = _where_outside(lg, fi, ci, known, county_src, outside)
        share, out_mu = share[bad], out_mu[bad]
        for k in range(len(fi)):
            i, c = int(fi[k]), int(ci[k])
            repaired = " (measured on a repaired copy)" if lg.repaired[i] else ""
            repaired_zh = "(量算其修复后的副本)" if lg.repaired[i] else ""
            out.add("outside_county", lg.name, lg.ids[i],
                    f"{fmt_share(share[k])} of the {lg.noun} ({fmt_mu(out_mu[k])} of "
                    f"{fmt_mu(lg.area_mu[i])}) lies outside {values[i]}{where[k]}{repaired}",
                    field="county", value=float(share[k] * 100), unit="%",
                    other=f"counties:{known[c]}", at=outside[k], at_crs=int(lg.epsg[i]),
                    geometry=outside[k], geometry_crs=int(lg.epsg[i]),
                    message_zh=f"该{lg.noun_zh}有 {fmt_share(share[k])}(共 "
                               f"{fmt_mu_zh(lg.area_mu[i])} 中的 {fmt_mu_zh(out_mu[k])})位于"
                               f"{values[i]}之外{where_zh[k]}{repaired_zh}")


def _where_outside(lg, fi, ci, known, county_src, parts):
    """For each outside part: ``, in 秀洲区`` (the county holding most of it) or ``, outside
    every county``; and the same in Chinese."""
    where = np.full(len(fi), ", outside every county of the counties layer", dtype=object)
    where_zh = np.full(len(fi), ",不在县界图层的任何县(市、区)内", dtype=object)
    ok = np.flatnonzero(np.array([p is not None for p in parts], dtype=bool))
    if not len(ok):
        return where, where_zh
    part_src = np.empty(len(fi), dtype=object)
    codes = lg.epsg[fi]
    for code in np.unique(codes[ok]):
        rows = ok[codes[ok] == code]
        part_src[rows] = project(parts[rows], int(code), lg.common_crs)
    tree = shapely.STRtree(county_src)
    qp, qc = tree.query(part_src[ok], predicate="intersects")
    qp = ok[qp]
    keep = qc != ci[qp]
    qp, qc = qp[keep], qc[keep]
    if not len(qp):
        return where, where_zh
    # only ranks the candidate counties of one small part against each other, so the common
    # CRS's units do for the comparison; nothing measured here is reported
    size = shapely.area(shapely.intersection(county_src[qc], part_src[qp]))
    order = np.lexsort((-size, qp))
    first = np.r_[True, qp[order][1:] != qp[order][:-1]]
    for k, c, a in zip(qp[order][first], qc[order][first], size[order][first], strict=True):
        if a > 0:
            where[k] = f", in {known[c]}"
            where_zh[k] = f",落在{known[c]}境内"
    return where, where_zh


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
        geoms = polygonal_parts(geoms)
        for i, j, g, mu, code in zip(ia, ib, geoms, area, codes, strict=True):
            share = mu / lg.area_mu[i] if lg.area_mu[i] > 0 else 0.0
            kind = protected.names[j]
            what = f"protected land {protected.ids[j]}" + (f" ({kind})" if kind else "")
            repaired = " (measured on a repaired copy)" if lg.repaired[i] or \
                protected.repaired[j] else ""
            kind_zh = tr_or(f"validate.protected_kind.{kind}", "zh", kind) if kind else ""
            what_zh = f"保护区域 {protected.ids[j]}" + (f"({kind_zh})" if kind_zh else "")
            repaired_zh = "(量算其修复后的副本)" if repaired else ""
            out.add("in_protected_area", lg.name, lg.ids[i],
                    f"overlaps {what} by {fmt_mu(mu)} ({fmt_share(share)} of the {lg.noun})"
                    f"{repaired}", value=float(mu), unit="mu",
                    other=f"protected:{protected.ids[j]}",
                    geometry=g, geometry_crs=int(code),
                    message_zh=f"与{what_zh}重叠 {fmt_mu_zh(mu)}(占该{lg.noun_zh}的 "
                               f"{fmt_share(share)}){repaired_zh}")
