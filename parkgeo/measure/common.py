"""What the measuring modules share: the result they measure, platform members, problem lines,
codes.

A *problem line* names the layer, the 1-based row (the feature's position in the layer), the
feature id where there is one, the field, a stable ``rule`` id, a plain message, and the
``action`` taken (``row left out``, ``value treated as missing`` …), so nothing is ever dropped
without a line saying so.
"""

from __future__ import annotations

import math
import re
from dataclasses import asdict, dataclass, replace
from pathlib import Path

import numpy as np
import pandas as pd

from ..errors import SchemaError
from ..industries import DIVISIONS_CSV, divisions, parse_industries
from ..result import ConsolidationResult, load_result

__all__ = [
    "DataProblem",
    "result_of",
    "problems_frame",
    "platform_members",
    "split_codes",
    "division_of",
    "code_problem",
    "divisions",
    "DIVISIONS_CSV",
    "pick",
]

PROBLEM_COLUMNS = ["layer", "row", "id", "field", "rule", "message", "action"]


@dataclass(frozen=True)
class DataProblem:
    """One problem in the data, with where it is and what was done about it."""

    layer: str
    row: int | None
    id: str | None
    field: str | None
    rule: str
    message: str
    action: str


def problems_frame(problems):
    """A DataFrame of :class:`DataProblem` (the columns of :data:`PROBLEM_COLUMNS`)."""
    rows = [asdict(p) for p in problems]
    frame = pd.DataFrame(rows, columns=PROBLEM_COLUMNS)
    frame["row"] = frame["row"].astype("Int64")
    return frame


# layers whose bad values are reported row by row instead of refusing the whole input
_REPORTED_LAYERS = ("monitoring", "projects")


def result_of(source, *, scenario=None) -> ConsolidationResult:
    """The consolidation result a measure works on.

    ``source`` is anything :func:`parkgeo.result.load_result` takes. A file written by
    ``parkgeo integrate`` (it has the ``run`` table) is read back with ``load_result``; any
    other file — an input dataset, whose monitoring rows name zones, or layers saved by hand —
    is read with :func:`parkgeo.read.read_dataset` (fields normalised to the data contract), as
    is a :class:`~parkgeo.read.Dataset` given in memory. Problems in its ``zones`` and ``parks``
    refuse the input (``SchemaError``: run ``parkgeo validate``); problems in ``monitoring``
    and ``projects`` become the result's ``read_problems``, as problem lines.
    """
    if isinstance(source, str | Path) and not _written_result(source):
        from ..read.dataset import read_dataset

        source = read_dataset(source, scenario=scenario, strict=False)
    if not isinstance(source, ConsolidationResult) and hasattr(source, "problems") \
            and hasattr(source, "layers"):
        return _from_dataset(source)
    return load_result(source)


def _written_result(path):
    """Whether ``path`` is a GeoPackage ``parkgeo integrate`` wrote (it has the ``run`` table)."""
    import pyogrio

    try:
        names = {str(n) for n, _ in pyogrio.list_layers(path)}
    except Exception:  # pyogrio raises DataSourceError and friends; the reader says why
        return False
    return {"zones", "parks", "platforms", "run"} <= names


def _from_dataset(ds):
    blocking = [p for p in ds.problems
                if p.severity == "error" and p.layer not in _REPORTED_LAYERS]
    if blocking:
        p = blocking[0]
        more = f" ({len(blocking) - 1} more; run 'parkgeo validate {ds.path}')" \
            if len(blocking) > 1 else " (run 'parkgeo validate' for the full list)"
        raise SchemaError(p.message + more, path=ds.path, layer=p.layer, feature=p.id,
                          field=p.field)
    out = []
    for p in ds.problems:
        if p.layer not in _REPORTED_LAYERS:
            continue
        frame = ds.layers.get(p.layer)
        row, fid = _row_of(frame, p.layer, p.id)
        out.append(DataProblem(p.layer, row, fid, p.field, p.rule, p.message,
                               "value treated as missing"))
    return replace(load_result(ds), read_problems=tuple(out))


def _row_of(frame, layer, fid):
    """1-based row and id of a reader problem id (``#3`` is the fourth row of a table)."""
    if fid is None:
        return None, None
    if isinstance(fid, str) and re.fullmatch(r"#\d+", fid):
        return int(fid[1:]) + 1, None
    id_field = {"projects": "project_id"}.get(layer)
    if frame is not None and id_field in getattr(frame, "columns", ()):
        hits = np.flatnonzero(frame[id_field].astype(str).to_numpy() == str(fid))
        if len(hits):
            return int(hits[0]) + 1, str(fid)
    return None, str(fid)


def pick(lang, en, zh):
    """``zh`` when ``lang`` is ``"zh"``, else ``en``: messages in the report's language."""
    return zh if lang == "zh" else en


# ------------------------------------------------------------------------------------------------
# platform members
# ------------------------------------------------------------------------------------------------

MEMBER_FIELDS = ("industrial_va_100m", "industrial_output_100m", "tax_100m", "industrial_land_mu",
                 "high_tech_va_share", "rd_share", "listed_firms", "firms_over_10bn",
                 "developable_mu")


def platform_members(layers):
    """One row per member of each major platform: its main zone and its sub-zones.

    Parameters
    ----------
    layers : ConsolidationResult, str, Path or dict
        The result (:func:`result_of`); needs ``platforms`` (``platform_id``,
        ``main_zone_id``), ``zones`` and ``parks`` (``decision``, ``platform_id``).

    Returns
    -------
    DataFrame
        ``platform_id``, ``member_id``, ``member_layer`` (``zones``/``parks``), ``county``,
        ``industries`` and the indicator fields (NaN where the member has none).
    """
    res = result_of(layers)
    platforms = res.platforms
    if platforms is None:
        raise SchemaError("layer 'platforms' is missing: pass the result of 'parkgeo integrate'",
                          path=res.path)
    zones = res.zones
    parks = res.parks
    rows = []
    cols = ["county", "industries", *MEMBER_FIELDS]

    def take(frame, idx, pid, mid, layer):
        rec = {"platform_id": pid, "member_id": mid, "member_layer": layer}
        for c in cols:
            rec[c] = frame.at[idx, c] if c in frame.columns else np.nan
        rows.append(rec)

    zone_index = {}
    if zones is not None and "zone_id" in zones:
        zone_index = {str(z): i for i, z in zip(zones.index, zones["zone_id"], strict=False)}
    for pid, main in zip(platforms["platform_id"].astype(str), platforms["main_zone_id"],
                         strict=True):
        i = zone_index.get(str(main))
        if i is not None:
            take(zones, i, pid, str(main), "zones")
    if zones is not None and {"role", "platform_id", "zone_id"} <= set(zones.columns):
        # development zones that are not main platforms may join one like a park (R5)
        joined = zones[zones["role"] == "sub_zone"]
        for i, pid, mid in zip(joined.index, joined["platform_id"].astype(str),
                               joined["zone_id"].astype(str), strict=False):
            take(joined, i, pid, mid, "zones")
    if parks is not None and {"decision", "platform_id", "park_id"} <= set(parks.columns):
        subs = parks[parks["decision"] == "sub_zone"]
        for i, pid, mid in zip(subs.index, subs["platform_id"].astype(str),
                               subs["park_id"].astype(str), strict=False):
            take(subs, i, pid, mid, "parks")
    frame = pd.DataFrame(rows, columns=["platform_id", "member_id", "member_layer", *cols])
    for c in MEMBER_FIELDS:
        frame[c] = pd.to_numeric(frame[c], errors="coerce").astype(float)
    return frame


# ------------------------------------------------------------------------------------------------
# GB/T 4754-2017 codes
# ------------------------------------------------------------------------------------------------

# GB/T 4754-2017 is loaded once, by parkgeo.industries (the classification is in no Python
# package): the divisions with their English names, and the one parser of industries values.
_CODE = re.compile(r"^([A-T])(\d{2,4})?$")


def split_codes(text):
    """The codes of an ``industries`` value (``"C38;装备制造"`` → ``["C38", "C33", …]``).

    Read by :func:`parkgeo.industries.parse_industries`; a term that maps to no code is kept as
    written, so that the caller reports it (:func:`code_problem`) instead of losing it.
    """
    if text is None or (isinstance(text, float) and math.isnan(text)) or text is pd.NA:
        return []
    out = []
    for term in parse_industries(text).terms:
        out.extend(term.codes or (term.text,))
    return list(dict.fromkeys(out))


def division_of(code):
    """The 2-digit division of a code (``"C3825"`` → ``"C38"``); None for a bare section."""
    m = _CODE.match(code)
    if not m or not m.group(2):
        return None
    return m.group(1) + m.group(2)[:2]


def code_problem(code):
    """Why ``code`` is not a GB/T 4754-2017 code, or None when it is one.

    >>> code_problem("C3825") is None, code_problem("C99")
    (True, "'C99': GB/T 4754-2017 has no division C99")
    """
    m = _CODE.match(code)
    if not m:
        return f"'{code}' is not a GB/T 4754-2017 code (a section letter A–T and 2–4 digits)"
    div = division_of(code)
    if div is not None and div not in divisions():
        return f"'{code}': GB/T 4754-2017 has no division {div}"
    return None
