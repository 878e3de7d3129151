"""Statute: ``area_exceeds_approved`` and the national catalogue (R2), ``boundary_changed`` (R1).

R2: the measured area of a zone's four-boundary polygon, in its county's Gauss-Kruger CRS, must
not exceed its approved area (``approved_area_ha``) by more than the scenario's tolerance.

R2 against the national catalogue (《中国开发区审核公告目录》2018年版): a zone whose ``zone_id``
is a catalogue code, or whose normalised name matches exactly one catalogue row, and whose
``approved_area_ha`` differs from the catalogue's approved area by more than the R2 tolerance is
``approved_area_differs_from_catalogue``, both figures named: an error (found by its name
alone, a warning instead when ``validate.catalogue_name_severity = "warning"``). A code-shaped id
the catalogue lacks is ``unknown_catalogue_code``; a name matching several rows (and no code) is
``ambiguous_catalogue_name`` (warnings: the zone could not be checked).

R1: compared with a baseline dataset, a zone's statutory polygon must be the same: zones are
matched by ``zone_id``; a zone whose polygon moved by more than ``boundary_tolerance_m``
(Hausdorff distance) is reported with the symmetric-difference area and the distance; zones
added or removed are reported too. Parks new since the baseline are a warning (R12).
"""

from __future__ import annotations

import numpy as np
import shapely

from ..catalogue import SOURCE, find_zone
from ..units import MU_PER_HA, m2_to_mu
from ._context import (
    fmt_ha,
    fmt_ha_zh,
    fmt_mu,
    fmt_mu_zh,
    fmt_share,
    overlay,
    polygonal_parts,
    project,
)

__all__ = ["check_approved_area", "check_catalogue", "check_boundaries", "check_new_parks"]

#: GEOS densifies each segment into this fraction for the Hausdorff distance, so that a move
#: between vertices is seen, not only at them
HAUSDORFF_DENSIFY = 0.25


def check_approved_area(zones, out, *, tolerance):
    """R2: zones whose measured statutory area exceeds ``approved_area_ha`` × (1 + tolerance)."""
    if zones is None or "approved_area_ha" not in zones.frame:
        return
    approved_ha = zones.frame["approved_area_ha"].to_numpy(dtype=float, na_value=np.nan)
    measured_ha = zones.area_mu / MU_PER_HA
    ok = zones.measurable & np.isfinite(approved_ha) & (approved_ha > 0)
    over = np.flatnonzero(ok & (measured_ha > approved_ha * (1 + tolerance)))
    for i in over:
        m_ha, a_ha = float(measured_ha[i]), float(approved_ha[i])
        excess = m_ha / a_ha - 1
        repaired = " (measured on a repaired copy of the invalid polygon)" if \
            zones.repaired[i] else ""
        out.add("area_exceeds_approved", zones.name, zones.ids[i],
                f"measured statutory area {fmt_ha(m_ha)} ({fmt_mu(m_ha * MU_PER_HA)}) exceeds "
                f"the approved {fmt_ha(a_ha)} ({fmt_mu(a_ha * MU_PER_HA)}) by "
                f"{fmt_share(excess)} ({fmt_ha(m_ha - a_ha)}, {fmt_mu((m_ha - a_ha) * MU_PER_HA)}"
                f"; tolerance {fmt_share(tolerance)}), measured in EPSG:{zones.epsg[i]}"
                f"{repaired}", field="approved_area_ha", value=excess * 100, unit="%",
                at=zones.src[i], at_crs=zones.common_crs,
                message_zh=f"“四至”范围量算面积 {fmt_ha_zh(m_ha)}({fmt_mu_zh(m_ha * MU_PER_HA)})"
                           f"超出核准面积 {fmt_ha_zh(a_ha)}({fmt_mu_zh(a_ha * MU_PER_HA)})"
                           f"达 {fmt_share(excess)}({fmt_ha_zh(m_ha - a_ha)},"
                           f"{fmt_mu_zh((m_ha - a_ha) * MU_PER_HA)};允许误差 "
                           f"{fmt_share(tolerance)}),按 EPSG:{zones.epsg[i]} 量算"
                           + ("(量算其无效多边形修复后的副本)" if zones.repaired[i] else ""))


def check_catalogue(zones, out, *, tolerance, exceptions=(), name_severity="warning"):
    """R2: zones whose approved area differs from the national catalogue's (and ids it lacks).

    A zone found by its catalogue code is an error; one found by its name alone has
    ``name_severity`` (the scenario's ``validate.catalogue_name_severity``). Zones listed in
    ``exceptions`` (``validate.catalogue_exceptions``: ids whose approved area a later approval
    changed) are not compared.
    """
    if zones is None or not len(zones):
        return
    frame = zones.frame
    ids = frame["zone_id"].tolist() if "zone_id" in frame else [None] * len(zones)
    names = frame["name"].tolist() if "name" in frame else [None] * len(zones)
    approved = (frame["approved_area_ha"].to_numpy(dtype=float, na_value=np.nan)
                if "approved_area_ha" in frame else np.full(len(zones), np.nan))
    for i in range(len(zones)):
        zid = ids[i] if isinstance(ids[i], str) else None
        name = names[i] if isinstance(names[i], str) else None
        if zid is not None and zid in exceptions:
            continue
        match = find_zone(zid, name)
        at = zones.src[i] if zones.measurable[i] else None
        if match.problem in ("unknown_code", "ambiguous_code"):
            out.add("unknown_catalogue_code", zones.name, zones.ids[i], match.message,
                    field="zone_id", at=at, at_crs=zones.common_crs,
                    message_zh=match.message_zh)
            continue
        if match.problem == "ambiguous_name":
            out.add("ambiguous_catalogue_name", zones.name, zones.ids[i], match.message,
                    field="name", at=at, at_crs=zones.common_crs,
                    message_zh=match.message_zh)
            continue
        if match.row is None:
            continue
        cat_ha, a_ha = match.row.get("approved_area_ha"), float(approved[i])
        if cat_ha is None or not np.isfinite(a_ha) or abs(a_ha - cat_ha) <= tolerance * cat_ha:
            continue
        how = "its code" if match.how == "code" else (
            "its name; use the code as zone_id to make this an error" if
            name_severity != "error" else "its name")
        how_zh = "按代码匹配" if match.how == "code" else (
            "按名称匹配;以代码作为 zone_id 可使其成为错误" if name_severity != "error"
            else "按名称匹配")
        out.add("approved_area_differs_from_catalogue", zones.name, zones.ids[i],
                f"approved_area_ha is {fmt_ha(a_ha)} but {SOURCE} gives {fmt_ha(cat_ha)} for "
                f"{match.row['code']} {match.row['name']} (matched by {how}); they differ by "
                f"{fmt_share(abs(a_ha / cat_ha - 1))} (tolerance {fmt_share(tolerance)})",
                field="approved_area_ha", value=abs(a_ha / cat_ha - 1) * 100, unit="%",
                at=at, at_crs=zones.common_crs,
                severity="error" if match.how == "code" else name_severity,
                message_zh=f"approved_area_ha 为 {fmt_ha_zh(a_ha)},但{SOURCE}中 "
                           f"{match.row['code']} {match.row['name']} 的核准面积为 "
                           f"{fmt_ha_zh(cat_ha)}({how_zh});相差 "
                           f"{fmt_share(abs(a_ha / cat_ha - 1))}(允许误差 {fmt_share(tolerance)})")


def _first_index(ids):
    """``{id: position of its first feature}``, leaving out features without an id (``#n``)."""
    out = {}
    for i, v in enumerate(ids):
        if not v.startswith("#"):
            out.setdefault(v, i)
    return out


def check_boundaries(zones, base, out, *, tolerance_m, baseline_name="the baseline",
                     baseline_name_zh="基准数据"):
    """R1: zones moved, added or removed since the baseline ``base`` (both LayerGeoms)."""
    if zones is None or base is None:
        return
    if "zone_id" not in zones.frame or "zone_id" not in base.frame:
        out.note("the four boundaries were not compared with the baseline: 'zone_id' is "
                 "missing in " + ("the dataset" if "zone_id" not in zones.frame else
                                  baseline_name),
                 "未与基准数据比对四至范围:" + ("本数据" if "zone_id" not in zones.frame else
                                              baseline_name) + "缺少 zone_id 字段")
        return
    now = _first_index(zones.ids)
    before = _first_index(base.ids)
    common = [k for k in now if k in before]
    added = [k for k in now if k not in before]
    removed = [k for k in before if k not in now]
    # moved: compare the measurable polygons in the current zone's local CRS
    pairs = [(now[k], before[k]) for k in common
             if zones.measurable[now[k]] and base.measurable[before[k]]]
    if pairs:
        ia = np.array([p[0] for p in pairs])
        ib = np.array([p[1] for p in pairs])
        codes = zones.epsg[ia]
        right = base.local[ib].copy()
        differ = np.flatnonzero(base.epsg[ib] != codes)
        for code in np.unique(codes[differ]):
            rows = differ[codes[differ] == code]
            right[rows] = project(base.src[ib[rows]], base.common_crs, int(code))
        left = zones.local[ia]
        same = shapely.equals_exact(left, right, tolerance=0.0)
        changed = np.flatnonzero(~same)
        if len(changed):
            dist = shapely.hausdorff_distance(left[changed], right[changed],
                                              densify=HAUSDORFF_DENSIFY)
            moved = changed[dist > tolerance_m]
            dist = dist[dist > tolerance_m]
            if len(moved):
                sym = overlay(shapely.symmetric_difference, left[moved], right[moved])
                sym_mu = m2_to_mu(shapely.area(sym))
                sym = polygonal_parts(sym)
                for k, d, g, mu in zip(moved, dist, sym, sym_mu, strict=True):
                    i, j = int(ia[k]), int(ib[k])
                    delta = zones.area_mu[i] - base.area_mu[j]
                    if abs(delta) < 0.01:
                        area = f"area unchanged at {fmt_mu(zones.area_mu[i])}"
                        area_zh = f"面积不变,仍为 {fmt_mu_zh(zones.area_mu[i])}"
                    else:
                        area = (f"area {fmt_mu(base.area_mu[j])} → {fmt_mu(zones.area_mu[i])} "
                                f"({'+' if delta > 0 else '−'}{fmt_mu(abs(delta))})")
                        area_zh = (f"面积 {fmt_mu_zh(base.area_mu[j])} → "
                                   f"{fmt_mu_zh(zones.area_mu[i])}"
                                   f"({'+' if delta > 0 else '−'}{fmt_mu_zh(abs(delta))})")
                    out.add("boundary_changed", zones.name, zones.ids[i],
                            f"four boundaries moved since {baseline_name}: {fmt_mu(mu)} differ "
                            f"(symmetric difference), the boundary moved by up to {d:,.1f} m "
                            f"(Hausdorff distance); {area}",
                            message_zh=f"“四至”范围与{baseline_name_zh}相比发生变动:相差 "
                                       f"{fmt_mu_zh(mu)}(对称差),边界最大移动 {d:,.1f} 米"
                                       f"(豪斯多夫距离);{area_zh}",
                            value=float(mu), unit="mu", other=f"baseline:{base.ids[j]}",
                            geometry=g,
                            geometry_crs=int(codes[k]))
    # a zone whose polygon is the same as a removed zone's: the id was changed
    renamed = _renamed(zones, [now[k] for k in added], base, [before[k] for k in removed])
    for k in added:
        i = now[k]
        size = f" ({fmt_mu(zones.area_mu[i])})" if zones.measurable[i] else ""
        hint = (f"; its polygon is that of baseline zone {renamed[i]}: was the id changed?"
                if i in renamed else "")
        size_zh = f"({fmt_mu_zh(zones.area_mu[i])})" if zones.measurable[i] else ""
        hint_zh = (f";其多边形与基准数据中的开发区 {renamed[i]} 相同:是否改了编号?"
                   if i in renamed else "")
        out.add("boundary_changed", zones.name, zones.ids[i],
                f"zone added since {baseline_name}{size}: no statutory extent may be added in "
                f"a consolidation{hint}", value=float(zones.area_mu[i]) if zones.measurable[i]
                else None, unit="mu",
                geometry=zones.local[i] if zones.measurable[i] else None,
                geometry_crs=int(zones.epsg[i]),
                message_zh=f"与{baseline_name_zh}相比新增的开发区{size_zh}:整合中不得新增法定范围"
                           f"{hint_zh}")
    renamed_back = {v: k for k, v in renamed.items()}
    for k in removed:
        j = before[k]
        size = f" (it had {fmt_mu(base.area_mu[j])})" if base.measurable[j] else ""
        hint = (f"; its polygon is now zone {zones.ids[renamed_back[k]]}: was the id changed?"
                if k in renamed_back else "")
        size_zh = f"(原为 {fmt_mu_zh(base.area_mu[j])})" if base.measurable[j] else ""
        hint_zh = (f";其多边形现为开发区 {zones.ids[renamed_back[k]]}:是否改了编号?"
                   if k in renamed_back else "")
        out.add("boundary_changed", zones.name, base.ids[j],
                f"zone removed since {baseline_name}{size}: a development zone's four "
                f"boundaries may not be dropped{hint}",
                value=float(base.area_mu[j]) if base.measurable[j] else None, unit="mu",
                geometry=base.local[j] if base.measurable[j] else None,
                geometry_crs=int(base.epsg[j]),
                message_zh=f"与{baseline_name_zh}相比被删除的开发区{size_zh}:开发区的“四至”范围不得取消"
                           f"{hint_zh}")


def _renamed(zones, added, base, removed):
    """``{added position: removed baseline id}`` for added zones equal to a removed one."""
    out = {}
    cands = [j for j in removed if base.measurable[j]]
    if not cands:
        return out
    tree = shapely.STRtree(base.src[cands])
    for i in added:
        if not zones.measurable[i]:
            continue
        for q in tree.query(zones.src[i], predicate="intersects"):
            j = cands[int(q)]
            if shapely.equals(zones.src[i], base.src[j]):
                out[i] = base.ids[j]
                break
    return out


def check_new_parks(parks, base, out, *, baseline_name="the baseline",
                    baseline_name_zh="基准数据"):
    """R12 (warning): parks that are not in the baseline."""
    if parks is None or base is None or "park_id" not in parks.frame or \
            "park_id" not in base.frame:
        return
    before = set(base.ids)
    for i, v in enumerate(parks.ids):
        if v.startswith("#") or v in before:
            continue
        size = f" ({fmt_mu(parks.area_mu[i])})" if parks.measurable[i] else ""
        out.add("park_added", parks.name, v,
                f"park not in {baseline_name}{size}: R12 allows no new industrial park outside "
                "the major platforms", value=float(parks.area_mu[i]) if parks.measurable[i]
                else None, unit="mu", at=parks.src[i] if parks.measurable[i] else None,
                at_crs=parks.common_crs,
                message_zh=f"{baseline_name_zh}中没有的园区"
                           + (f"({fmt_mu_zh(parks.area_mu[i])})" if parks.measurable[i] else "")
                           + ":R12 规定重大平台以外不得新设工业园区")
