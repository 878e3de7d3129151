"""What the measuring modules share: reading a result, platform members, problem lines, codes.

A *problem line* names the layer, the 1-based row (the feature's position in the layer), the
feature id where there is one, the field, a stable ``rule`` id, a plain message, and the
``action`` taken (``row left out``, ``value treated as missing`` …), so nothing is ever dropped
without a line saying so.
"""

from __future__ import annotations

import math
import re
from dataclasses import asdict, dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from ..errors import SchemaError
from ..industries import DIVISIONS_CSV, divisions, parse_industries
from ..result import scenario_of_run

__all__ = [
    "DataProblem",
    "Layers",
    "load_layers",
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


@dataclass
class Layers:
    """The layers of a consolidation result (or of an input dataset), and where they came from.

    Attributes
    ----------
    layers : dict
        ``{name: GeoDataFrame or DataFrame}``.
    path : str or None
        The file they were read from.
    read_problems : list of DataProblem
        Values the reader could not understand in the optional layers (``monitoring``,
        ``projects``): each was left empty, and is reported here.
    scenario : Scenario or None
        The scenario a consolidation result was made under (its ``run`` table); None for an
        input dataset. Measures default to it, so figures follow the result's own thresholds.
    """

    layers: dict
    path: str | None = None
    read_problems: list = None
    scenario: object = None

    def scenario_or(self, scenario):
        """``scenario`` when given, else the result's own, else the policy's defaults."""
        from ..scenario import Scenario

        return scenario or self.scenario or Scenario()

    def get(self, name):
        """The layer ``name`` or None."""
        return self.layers.get(name)

    def __contains__(self, name):
        return name in self.layers and self.layers[name] is not None


# layers whose bad values are reported row by row instead of refusing the whole input
_REPORTED_LAYERS = ("monitoring", "projects")


def load_layers(source, *, scenario=None):
    """The layers of ``source``: a :class:`~parkgeo.result.ConsolidationResult`, a path, a
    :class:`~parkgeo.read.Dataset` or a mapping.

    A path is read with :func:`parkgeo.read.read_dataset` (fields normalised to the data
    contract). Problems in ``zones`` and ``parks`` refuse the input (``SchemaError``: run
    ``parkgeo validate``); problems in ``monitoring`` and ``projects`` become problem lines.
    """
    from ..result import ConsolidationResult

    if isinstance(source, Layers):
        return source
    if isinstance(source, ConsolidationResult):
        layers = {"zones": source.zones, "parks": source.parks, "platforms": source.platforms,
                  **source.layers, "members": source.members,
                  "county_report": source.county_report}
        return Layers(layers, source.path, [], source.scenario)
    if isinstance(source, str | Path):
        from ..read.dataset import read_dataset

        ds = read_dataset(source, scenario=scenario, strict=False)
        return _from_dataset(ds)
    if hasattr(source, "layers") and hasattr(source, "problems"):
        return _from_dataset(source)
    if isinstance(source, dict):
        return Layers(dict(source), None, [], scenario_of_run(source.get("run")))
    raise TypeError(f"expected a ConsolidationResult, a path, a Dataset or a dict of layers, got "
                    f"{type(source).__name__}")


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
    return Layers(dict(ds.layers), str(ds.path), out,
                  scenario_of_run(ds.layers.get("run"), source=str(ds.path)))


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
    layers : Layers or dict
        Needs ``platforms`` (``platform_id``, ``main_zone_id``), ``zones`` and ``parks``
        (``decision``, ``platform_id``).

    Returns
    -------
    DataFrame
        ``platform_id``, ``member_id``, ``member_layer`` (``zones``/``parks``), ``county``,
        ``industries`` and the indicator fields (NaN where the member has none).
    """
    lay = load_layers(layers)
    platforms = lay.get("platforms")
    if platforms is None:
        raise SchemaError("layer 'platforms' is missing: pass the result of 'parkgeo integrate'",
                          path=lay.path)
    zones = lay.get("zones")
    parks = lay.get("parks")
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
