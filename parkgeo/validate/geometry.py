"""Geometry checks: ``empty_geometry``, ``wrong_geometry_type``, ``invalid_geometry``, ``sliver``.

Validity is GEOS's (``shapely.is_valid_reason``), reported with its reason and the location it
names, in the layer's own coordinates so the user finds it in their GIS. Slivers are measured in
each feature's county Gauss-Kruger CRS, part by part.
"""

from __future__ import annotations

import re

import numpy as np
import shapely

from ..i18n import tr_or
from ..units import m2_to_mu
from ._context import fmt_mu, fmt_mu_zh

__all__ = ["check_geometry", "check_slivers"]

_REASON = re.compile(r"^(?P<what>[^\[]+?)\s*\[(?P<x>[-+0-9.eE]+)\s+(?P<y>[-+0-9.eE]+)[^\]]*\]")


def _coords(x, y, crs):
    if crs is not None and crs.is_geographic:
        return f"x={x:.6f}, y={y:.6f}"
    return f"x={x:.1f}, y={y:.1f}"



def _crs_name(crs, zh=False):
    if crs is None:
        return "图层坐标" if zh else "layer coordinates"
    code = crs.to_epsg()
    return f"EPSG:{code}" if code else crs.name


def check_geometry(lg, out):
    """Report empty, non-polygon and invalid geometries of one polygon layer."""
    noun = lg.noun
    for i in np.flatnonzero(lg.empty):
        what = "no geometry" if lg.type_id[i] == -1 else "an empty geometry"
        what_zh = "没有几何" if lg.type_id[i] == -1 else "几何为空"
        out.add("empty_geometry", lg.name, lg.ids[i],
                f"the {noun} has {what}; it cannot be placed, measured or mapped",
                message_zh=f"该{lg.noun_zh}{what_zh},无法定位、量算或制图")
    wrong = np.flatnonzero(~lg.empty & ~np.isin(lg.type_id, (3, 6)))
    for i in wrong:
        tid = int(lg.type_id[i])
        type_key = f"geometry.type.{shapely.GeometryType(tid).name.lower()}"
        what = tr_or(type_key, "en", "not a polygon")
        detail = detail_zh = ""
        if tid == 7:
            kinds = {}
            for part in shapely.get_parts(lg.raw[i]):
                name = part.geom_type.replace("Multi", "").lower()
                kinds[name] = kinds.get(name, 0) + 1
            detail = " (" + ", ".join(f"{v} {k}{'s' if v > 1 else ''}" for k, v in
                                      kinds.items()) + ")"
            detail_zh = "(" + "、".join(f"{tr_or(f'geometry.part.{k}', 'zh', k)} {v} 个" for k, v in
                                       kinds.items()) + ")"
        tail = ("; its polygon parts are measured in the other checks" if lg.repaired[i]
                else "; it is left out of the area checks")
        tail_zh = (";其中的面部分参与其他检查的量算" if lg.repaired[i]
                   else ";不参与面积检查")
        out.add("wrong_geometry_type", lg.name, lg.ids[i],
                f"the {noun} is {what}{detail}, expected a Polygon or MultiPolygon{tail}",
                at=lg.raw[i], at_crs=lg.crs,
                message_zh=f"该{lg.noun_zh}是{tr_or(type_key, 'zh', '非面要素')}{detail_zh},"
                           f"应为面或多面{tail_zh}")
    bad = np.flatnonzero(~lg.valid)
    if len(bad):
        reasons = shapely.is_valid_reason(lg.raw[bad])
        for i, reason in zip(bad, reasons, strict=True):
            at, where, where_zh = lg.raw[i], "", ""
            m = _REASON.match(reason or "")
            what = reason or "invalid"
            if m:
                x, y = float(m.group("x")), float(m.group("y"))
                what = m.group("what")
                at = shapely.Point(x, y)
                where = f" at {_coords(x, y, lg.crs)} ({_crs_name(lg.crs)})"
                where_zh = f",位置 {_coords(x, y, lg.crs)}({_crs_name(lg.crs, zh=True)})"
            tail = ("; the other checks measure a repaired copy (make_valid), the data is "
                    "not changed" if lg.repaired[i] else "; it is left out of the other checks")
            tail_zh = (";其他检查量算其修复后的副本,数据本身不改动"
                       if lg.repaired[i] else ";不参与其他检查")
            reason_zh = tr_or(f"geometry.reason.{what.strip()}", "zh", "几何无效")
            out.add("invalid_geometry", lg.name, lg.ids[i],
                    f"invalid polygon (GEOS: {what}){where}{tail}",
                    message_zh=f"多边形无效({reason_zh}){where_zh}"
                               f"{tail_zh}",
                    at=at, at_crs=lg.crs if lg.crs is not None else None,
                    geometry=None)


def check_slivers(lg, out, *, sliver_mu):
    """Report polygons and polygon parts smaller than ``sliver_mu`` (measured per county CRS)."""
    m = np.flatnonzero(lg.measurable)
    if not len(m) or sliver_mu <= 0:
        return
    geoms = lg.local[m]
    # a polygon is its own one part, measured already: only multipolygons are taken apart
    multi = np.flatnonzero(shapely.get_type_id(geoms) != 3)
    single_small = np.flatnonzero(lg.area_mu[m] < sliver_mu)
    single_small = single_small[~np.isin(single_small, multi)]
    parts, idx = shapely.get_parts(geoms[multi], return_index=True)
    part_mu = m2_to_mu(shapely.area(parts))
    multi_small = np.flatnonzero(part_mu < sliver_mu)
    if not len(single_small) and not len(multi_small):
        return
    n_parts = np.ones(len(m), dtype=int)
    n_parts[multi] = np.bincount(idx, minlength=len(multi))
    # the part's number within its feature (1-based), for the message
    starts = np.r_[0, np.cumsum(n_parts[multi])[:-1]]
    position = np.arange(len(parts)) - starts[idx] + 1
    # every small part, in the order of the features and of their parts
    feature = np.r_[single_small, multi[idx[multi_small]]]
    order = np.lexsort((np.r_[np.ones(len(single_small), dtype=int), position[multi_small]],
                        feature))
    small = [(int(feature[o]), *((1, geoms[feature[o]], lg.area_mu[m[feature[o]]])
                                 if o < len(single_small) else
                                 (position[multi_small[o - len(single_small)]],
                                  parts[multi_small[o - len(single_small)]],
                                  part_mu[multi_small[o - len(single_small)]])))
             for o in order]
    noun = lg.noun
    for j, part_no, part, mu in small:
        i = m[j]
        size = fmt_mu(mu)
        repaired = " (measured on a repaired copy)" if lg.repaired[i] else ""
        size_zh = fmt_mu_zh(mu)
        repaired_zh = "(量算其修复后的副本)" if lg.repaired[i] else ""
        if n_parts[j] == 1:
            msg = (f"the whole {noun} is {size}, below the sliver limit of {sliver_mu:g} mu"
                   f"{repaired}: a stray polygon or a unit mistake?")
            msg_zh = (f"整个{lg.noun_zh}仅 {size_zh},小于碎片下限 {sliver_mu:g} 亩{repaired_zh}:"
                      "是零散多边形还是单位有误?")
        else:
            msg = (f"part {part_no} of {n_parts[j]} is {size}, below the sliver limit "
                   f"of {sliver_mu:g} mu (the {noun} totals {fmt_mu(lg.area_mu[i])}){repaired}")
            msg_zh = (f"第 {part_no} 部分(共 {n_parts[j]} 部分)仅 {size_zh},"
                      f"小于碎片下限 {sliver_mu:g} 亩(该{lg.noun_zh}合计 "
                      f"{fmt_mu_zh(lg.area_mu[i])}){repaired_zh}")
        out.add("sliver", lg.name, lg.ids[i], msg, value=float(mu), unit="mu",
                message_zh=msg_zh, geometry=part, geometry_crs=int(lg.epsg[i]))
