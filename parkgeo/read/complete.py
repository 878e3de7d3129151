"""Approved areas taken from the national catalogue where a zone states none (R2).

A zone whose ``zone_id`` is a catalogue code, or whose normalised name matches exactly one row
of 《中国开发区审核公告目录》(2018年版), and that has no ``approved_area_ha``, takes the catalogue's
approved area (核准面积). Each such zone is reported (``approved_area_from_catalogue``, info):
nothing is filled in silently. Zones the catalogue does not know keep their problem.
"""

from __future__ import annotations

import numpy as np

from ..catalogue import SOURCE, find_zone
from .fields import Problem

__all__ = ["approved_areas_from_catalogue"]

_FIELD = "approved_area_ha"


def approved_areas_from_catalogue(frame, problems):
    """Fill the missing approved areas of ``zones`` from the catalogue.

    Parameters
    ----------
    frame : DataFrame
        The normalised ``zones`` layer (:func:`parkgeo.read.fields.normalise_layer`).
    problems : list of Problem
        Its problems; those an approved area from the catalogue resolves are dropped.

    Returns
    -------
    (DataFrame, list of Problem)
        The layer (a copy when anything was filled) and its problems, with one
        ``approved_area_from_catalogue`` (info) per zone filled.
    """
    if "zone_id" not in frame and "name" not in frame:
        return frame, problems
    whole_field_missing = _FIELD not in frame
    values = (np.full(len(frame), np.nan) if whole_field_missing
              else frame[_FIELD].to_numpy(dtype=float, na_value=np.nan).copy())
    empty_value = {p.id for p in problems if p.rule == "bad_value" and p.field == _FIELD
                   and p.message.startswith("required value is empty")}
    ids = frame["zone_id"].tolist() if "zone_id" in frame else [None] * len(frame)
    names = frame["name"].tolist() if "name" in frame else [None] * len(frame)
    filled, found = {}, []
    for i, (zid, name) in enumerate(zip(ids, names, strict=True)):
        label = str(zid) if zid is not None else f"#{i}"
        if not (whole_field_missing or label in empty_value) or np.isfinite(values[i]):
            continue
        match = find_zone(zid, name)
        area = match.row.get("approved_area_ha") if match.row else None
        if area is None:
            continue
        values[i] = area
        filled[label] = match
        how = (f"its code {match.row['code']}" if match.how == "code"
               else f"its name, as {match.row['code']} {match.row['name']}")
        how_zh = (f"按代码 {match.row['code']} 匹配" if match.how == "code"
                  else f"按名称匹配为 {match.row['code']} {match.row['name']}")
        found.append(Problem("approved_area_from_catalogue", "zones", label, _FIELD, "info",
                             f"no approved area given: took {area:,.2f} ha from {SOURCE} "
                             f"(matched by {how})",
                             f"未填写核准面积:取{SOURCE}中的 {area:,.2f} 公顷({how_zh})"))
    if not filled:
        return frame, problems
    out = frame.copy()
    out[_FIELD] = values
    kept = [p for p in problems if not (p.field == _FIELD and (
        (p.rule == "bad_value" and p.id in filled) or p.rule == "missing_field"))]
    if whole_field_missing:
        # the field was missing: every zone the catalogue does not know still lacks it
        for i, zid in enumerate(ids):
            label = str(zid) if zid is not None else f"#{i}"
            if label not in filled:
                kept.append(Problem("bad_value", "zones", label, _FIELD, "error",
                                    f"required value is empty (the layer has no '{_FIELD}' "
                                    f"field and {SOURCE} has no row for this zone)",
                                    f"必填值为空(图层中没有 {_FIELD} 字段,{SOURCE}中也没有"
                                    "该开发区)"))
    return out, kept + found
