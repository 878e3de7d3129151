"""The consolidation result: its layers and fields, one type, and the GeoPackage it is written as.

This is the output contract of ``parkgeo integrate`` (DATA-CONTRACT "Output of consolidation"),
declared here as :mod:`parkgeo.read.fields` declares the input. Every later stage (measure,
publish, the CLI) reads a result through :class:`ConsolidationResult` — in memory, read back
from its GeoPackage, or made from layers a notebook user holds, all by the one function
:func:`load_result` — so every figure, threshold and quota comes from the result and the
scenario stored in it, never from a default.

Layers written:

``zones``, ``parks``, ``platforms``
    Spatial layers (:data:`OUTPUT_FIELDS` lists the fields the result adds or guarantees).
``members``, ``county_report``, ``run``
    Tables: R14 members, the per-county R3/R11 figures, and the run (parkgeo version, the
    scenario as TOML, the input path, the unmet hard rules).
Any optional input layer (``counties``, ``protected``, ``plots``, ``monitoring``,
``projects`` …) is passed through unchanged.

Examples
--------
>>> from parkgeo.result import OUTPUT_LAYERS
>>> OUTPUT_LAYERS
('zones', 'parks', 'platforms', 'members', 'county_report', 'run')
"""

from __future__ import annotations

import json
import logging
import math
import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import tomllib

from . import __version__
from ._atomic import atomic_path, check_output
from ._gpkg import write_layer
from .errors import DatasetNotFoundError, NotADatasetError, SchemaError
from .scenario import Scenario, scenario_from_dict

__all__ = ["ConsolidationResult", "load_result", "write_result", "result_to_json",
           "result_summary", "result_text", "report_json_text", "scenario_of_run",
           "OUTPUT_LAYERS", "OUTPUT_FIELDS", "PASS_THROUGH", "DECISIONS", "ROLES"]

log = logging.getLogger(__name__)

#: layers the result writes itself (an input layer of the same name is not passed through)
OUTPUT_LAYERS = ("zones", "parks", "platforms", "members", "county_report", "run")
#: optional input layers copied unchanged into the result, for maps, rank, admit and report
#: (any other extra layer of the input is passed through too)
PASS_THROUGH = ("counties", "protected", "plots", "monitoring", "projects", "about")
#: a park's decision (R7, R10, R11)
DECISIONS = ("sub_zone", "exit", "excluded")
#: a zone's role (R3, R5, R6)
ROLES = ("main_platform", "sub_zone", "standalone")

#: layers drawn from the result when it is styled (not data of their own)
_DERIVED = ("layer_styles", "links")
#: the fields every result layer has (the input's own fields are kept besides)
OUTPUT_FIELDS = {
    "zones": ("zone_id", "name", "county", "role", "platform_id", "development_score",
              "reason", "reason_zh"),
    "parks": ("park_id", "name", "county", "decision", "platform_id", "reason", "reason_zh",
              "per_mu_score", "distance_km"),
    "platforms": ("platform_id", "name", "county", "main_zone_id", "n_sub_zones",
                  "developable_mu", "industrial_va_100m", "meets_R4"),
    "members": ("platform_id",),
    "county_report": ("county", "n_parks", "excluded", "r10_exits", "quota", "exits",
                      "sub_zones", "platforms", "max_platforms", "meets_R3", "meets_R11",
                      "status", "objective", "bound", "gap"),
    "run": ("parkgeo_version", "variant", "input_path", "scenario_toml", "exit_status",
            "problems", "problems_zh"),
}
#: the fields without which a file is not a consolidation result
REQUIRED_FIELDS = {
    "zones": ("zone_id", "name", "county"),
    "parks": ("park_id", "name", "county", "decision"),
    "platforms": ("platform_id", "name", "county", "main_zone_id"),
}


@dataclass(frozen=True)
class ConsolidationResult:
    """The consolidation of one dataset under one scenario.

    Attributes
    ----------
    zones : GeoDataFrame
        The input zones, geometry untouched (R1), plus ``role`` (``main_platform``,
        ``sub_zone`` or ``standalone``), ``platform_id``, ``development_score``, ``reason``
        and ``reason_zh`` (the same reason in Chinese).
    parks : GeoDataFrame
        The input parks plus ``decision`` (``sub_zone``, ``exit``, ``excluded``),
        ``platform_id``, ``reason``, ``reason_zh``, ``per_mu_score`` and ``distance_km`` (edge
        to edge, to
        its platform, or for an exit to the nearest main platform it could have joined;
        empty beyond 4 times the limit).
    platforms : GeoDataFrame
        One row per major platform (see :mod:`parkgeo.consolidate.summary`).
    members : DataFrame
        R14: one row per member of each platform with its county, town and figures, so every
        figure stays attributable to platform and territory.
    counties : DataFrame
        Per county: R11 base, quota, exits, platforms, R3, solver status, objective, bound, gap.
    layers : dict
        The optional input layers, passed through unchanged.
    scenario : Scenario
    variant : str or None
    input_path : str
    exit_status : int
        0, or 1 when a hard rule is not met (R4 unreachable, R3 exceeded by forced platforms).
    problems : tuple of str
        One line per unmet hard rule.
    problems_zh : tuple of str
        The same lines in Chinese.
    solver : dict
        Totals: counties solved, optimal, worst gap, seconds (not written to the GeoPackage).
    path : str or None
        The GeoPackage the result was read from (None in memory).
    read_problems : tuple
        Values the reader could not understand in the optional ``monitoring`` and ``projects``
        layers when a measure read its input through :mod:`parkgeo.read` (each value was left
        empty; the measure lists them). Empty for a result written by ``parkgeo integrate``.

    A result made from a mapping of layers (:func:`load_result`) holds what the mapping holds:
    ``zones``, ``parks`` or ``platforms`` may then be None, ``members`` and ``counties`` empty.
    """

    zones: gpd.GeoDataFrame
    parks: gpd.GeoDataFrame
    platforms: gpd.GeoDataFrame
    members: pd.DataFrame
    counties: pd.DataFrame
    layers: dict = field(default_factory=dict)
    scenario: Scenario = field(default_factory=Scenario)
    variant: str | None = None
    input_path: str = ""
    exit_status: int = 0
    problems: tuple = ()
    solver: dict = field(default_factory=dict)
    r4_notes: dict = field(default_factory=dict)
    problems_zh: tuple = ()
    path: str | None = None
    read_problems: tuple = ()

    @property
    def source(self) -> str:
        """Where the result came from: its file, or ``<layers>`` for one made in memory."""
        return str(self.path) if self.path else "<layers>"

    def layer(self, name):
        """The layer ``name`` as the GeoPackage names it, or None when the result has none.

        ``zones``, ``parks``, ``platforms``, ``members`` and ``county_report`` are the result's
        own; any other name is a passed-through layer (``counties`` is the county boundaries,
        ``monitoring``, ``projects`` …).

        >>> empty = ConsolidationResult(None, None, None, pd.DataFrame(), pd.DataFrame())
        >>> empty.layer("county_report") is None, empty.layer("monitoring") is None
        (True, True)
        """
        if name in ("zones", "parks", "platforms"):
            return getattr(self, name)
        if name in ("members", "county_report"):
            frame = self.members if name == "members" else self.county_report
            # a table given no columns at all (a result made from a mapping) is no table
            return frame if frame is not None and len(frame.columns) else None
        return self.layers.get(name)

    @property
    def county_report(self) -> pd.DataFrame:
        """The per-county table as written to the ``county_report`` layer."""
        return self.counties.drop(columns=["seconds"], errors="ignore")

    def write(self, path, *, overwrite=False, styles=None) -> Path:
        """Write the result GeoPackage; see :func:`write_result`."""
        return write_result(self, path, overwrite=overwrite, styles=styles)

    def to_json(self) -> dict:
        """The JSON report; see :func:`result_to_json`."""
        return result_to_json(self)

    def summary(self) -> dict:
        """The headline figures; see :func:`result_summary`."""
        return result_summary(self)

    def text(self) -> str:
        """The terminal summary; see :func:`result_text`."""
        return result_text(self)

    def r11_quota(self) -> pd.DataFrame:
        """Per county: parks counted for R11 (not ``excluded``), exits, the quota, platforms.

        The quota is the one the consolidation computed under the result's own scenario and
        stored (``county_report.quota``), never a default share; a result without a county
        report (layers made by hand) gets ⌈share × parks⌉ with the share of its scenario.
        """
        cols = ["county", "n_parks", "exits", "quota", "platforms"]
        parks = self.parks if self.parks is not None else pd.DataFrame(
            columns=["county", "decision"])
        platforms = self.platforms if self.platforms is not None else pd.DataFrame(
            columns=["county"])
        counted = parks[parks["decision"] != "excluded"]
        share = self.scenario.consolidate.exit_share
        stored = {}
        report = self.layer("county_report")
        if report is not None and {"county", "quota"} <= set(report.columns):
            stored = {str(c): int(q) for c, q in zip(report["county"], report["quota"],
                                                     strict=True) if pd.notna(q)}
        rows = []
        for county in sorted(set(parks["county"]) | set(platforms["county"])):
            sub = counted[counted["county"] == county]
            n = len(sub)
            rows.append({
                "county": county,
                "n_parks": n,
                "exits": int((sub["decision"] == "exit").sum()),
                "quota": stored.get(str(county), math.ceil(round(share * n, 9))),
                "platforms": int((platforms["county"] == county).sum()),
            })
        return pd.DataFrame(rows, columns=cols)


def _run_table(result):
    return pd.DataFrame([{
        "parkgeo_version": __version__,
        "variant": result.variant or "",
        "input_path": result.input_path,
        "scenario_toml": result.scenario.to_toml(),
        "exit_status": int(result.exit_status),
        "problems": "\n".join(result.problems),
        "problems_zh": "\n".join(result.problems_zh),
    }])


def write_result(result: ConsolidationResult, path, *, overwrite=False, styles=None):
    """Write the result GeoPackage (DATA-CONTRACT "Output of consolidation"), atomically.

    Layers: ``zones`` (geometry untouched, R1), ``parks``, ``platforms``, the optional input
    layers unchanged, and three tables: ``members`` (R14), ``county_report`` (per county:
    quota, exits, solver status, objective, bound, gap) and ``run`` (parkgeo version, the
    scenario as TOML, the input path). No timestamps: the same input and scenario give the
    same tables.

    Parameters
    ----------
    result : ConsolidationResult
    path : str or Path
        A ``.gpkg`` file.
    overwrite : bool
        Replace an existing file.
    styles : callable, optional
        Called with the temporary file and the result before it replaces ``path`` (the CLI passes
        :func:`parkgeo.publish.qgis.write_layer_styles`, so QGIS opens the result styled and
        the file still appears whole or not at all).

    Returns
    -------
    Path

    Examples
    --------
    >>> write_result(result, "out/result.gpkg", overwrite=True)     # doctest: +SKIP
    """
    import pyogrio

    path = check_output(path, overwrite=overwrite)
    county_report = result.counties.drop(columns=["seconds"], errors="ignore")
    # GeoPackage stamps each layer with the time of writing; a fixed stamp keeps the file
    # reproducible (same input and scenario, same bytes). The file is a fresh temporary one
    # that replaces ``path`` only once complete, so SQLite need not journal or sync each
    # transaction: the file is synced once, before the rename.
    pyogrio.set_gdal_config_options({"OGR_CURRENT_DATE": _FIXED_DATE, **_FAST_SQLITE})
    try:
        with atomic_path(path, overwrite=overwrite) as tmp:
            _write(result.zones, tmp, "zones")
            _write(result.parks, tmp, "parks")
            _write(result.platforms, tmp, "platforms")
            for name, frame in result.layers.items():
                _write(frame, tmp, name)
            for name, frame in (("members", result.members), ("county_report", county_report),
                                ("run", _run_table(result))):
                write_layer(_plain(frame), tmp, name)
            if styles is not None:
                styles(tmp, result)
            _fsync(tmp)
    finally:
        pyogrio.set_gdal_config_options({"OGR_CURRENT_DATE": None,
                                         **dict.fromkeys(_FAST_SQLITE)})
    return Path(path)


_FIXED_DATE = "2000-01-01T00:00:00.000Z"
#: GDAL's SQLite settings while a temporary GeoPackage is written (no rollback journal, no sync
#: per transaction): a failed write leaves only a temporary file, which is removed
_FAST_SQLITE = {"OGR_SQLITE_JOURNAL": "OFF", "OGR_SQLITE_SYNCHRONOUS": "OFF"}


def _fsync(path):
    """Flush ``path`` to disk (before it is renamed over the output)."""
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _plain(frame):
    """A DataFrame pyogrio can write as an attribute table (object columns as text)."""
    out = pd.DataFrame(frame).copy()
    for col in out.columns:
        if out[col].dtype == object:
            out[col] = out[col].map(lambda v: None if v is None or (isinstance(v, float)
                                                                    and math.isnan(v)) else v)
    return out


def _write(frame, path, layer):
    # GeoPackage keeps 'fid' for its own feature ids: a source field of that name would fail
    # (text) or silently become the ids (numbers), so it is written as 'fid_source'
    reserved = {c: f"{c}_source" for c in frame.columns if str(c).lower() == "fid"}
    for col, new in reserved.items():
        log.warning("layer '%s': field '%s' is written as '%s' (GeoPackage reserves 'fid' for "
                    "feature ids)", layer, col, new)
    frame = frame.rename(columns=reserved) if reserved else frame
    if not isinstance(frame, gpd.GeoDataFrame):
        write_layer(_plain(frame), path, layer)
        return
    types = set(frame.geometry.geom_type.dropna())
    kwargs = {}
    if len(types) > 1:
        # keep every geometry exactly as it came in (R1): no promotion to multi-part
        kwargs = {"promote_to_multi": False, "geometry_type": "Unknown"}
    write_layer(frame, path, layer, **kwargs)


def _jsonable(value):
    if isinstance(value, (np.bool_, bool)):
        return bool(value)
    if isinstance(value, (np.integer,)):
        return int(value)
    if isinstance(value, (np.floating, float)):
        return None if not math.isfinite(value) else float(value)
    if value is pd.NA or value is None:
        return None
    return value


def _records(frame, columns=None):
    frame = pd.DataFrame(frame)
    if columns is not None:
        frame = frame[[c for c in columns if c in frame]]
    return [{k: _jsonable(v) for k, v in rec.items()} for rec in frame.to_dict("records")]


def result_to_json(result: ConsolidationResult) -> dict:
    """The JSON report: scenario, per-county and per-platform summaries, solver figures.

    Examples
    --------
    >>> import json
    >>> print(json.dumps(result_to_json(result), ensure_ascii=False)[:80])  # doctest: +SKIP
    """
    platforms = pd.DataFrame(result.platforms.drop(columns=result.platforms.geometry.name))
    plats = _records(platforms)
    for p in plats:
        note = result.r4_notes.get(p["platform_id"])
        if note:
            p["r4"] = {k: v for k, v in note.items()}
    return {
        "parkgeo_version": __version__,
        "input": result.input_path,
        "variant": result.variant,
        "exit_status": int(result.exit_status),
        "problems": list(result.problems),
        "problems_zh": list(result.problems_zh),
        "scenario": {"name": result.scenario.name, "source": result.scenario.source,
                     "toml": result.scenario.to_toml()},
        "summary": result_summary(result),
        "solver": {k: _jsonable(v) for k, v in result.solver.items()},
        "counties": _records(result.counties),
        "platforms": plats,
    }


def result_summary(result: ConsolidationResult) -> dict:
    """The headline figures of a result: platforms, parks decided, sub-zones, exits."""
    parks = result.parks
    decisions = parks["decision"].value_counts().to_dict() if len(parks) else {}
    return {
        "counties": int(len(result.counties)),
        "platforms": int(len(result.platforms)),
        "platforms_meeting_R4": int(result.platforms["meets_R4"].sum())
        if len(result.platforms) else 0,
        "parks": int(len(parks)),
        # every park in is decided exactly once (DATA-CONTRACT: nothing is lost)
        "parks_decided": int(parks["decision"].isin(("sub_zone", "exit", "excluded")).sum())
        if len(parks) else 0,
        "sub_zones": int(decisions.get("sub_zone", 0)),
        "exits": int(decisions.get("exit", 0)),
        "excluded": int(decisions.get("excluded", 0)),
        "zones_joined": int((result.zones["role"] == "sub_zone").sum()),
        "objective": float(result.counties["objective"].sum()) if len(result.counties)
        else 0.0,
    }


@lru_cache(maxsize=8192)
def _wide(ch):
    import unicodedata

    return unicodedata.east_asian_width(ch) in "WF"


def _width(text):
    """Columns ``text`` takes in a terminal (East Asian wide characters take two)."""
    text = str(text)
    if text.isascii():
        return len(text)
    return len(text) + sum(map(_wide, text))


def _table(header, rows, right=()):
    cells = [[str(v) for v in r] for r in (header, *rows)]
    sizes = [[_width(v) for v in r] for r in cells]
    widths = [max(col) for col in zip(*sizes, strict=True)]
    right = set(right)
    lines = []
    for r, w in zip(cells, sizes, strict=True):
        lines.append("  ".join(
            " " * (widths[k] - w[k]) + v if k in right else v + " " * (widths[k] - w[k])
            for k, v in enumerate(r)))
    return lines


def _yes(v):
    if v is pd.NA or v is None or (isinstance(v, float) and math.isnan(v)):
        return "n/a"
    return "yes" if bool(v) else "NO"


def _columns(frame, names):
    """``frame``'s columns ``names`` as lists of Python values (numpy scalars boxed)."""
    return [frame[name].tolist() for name in names]


def result_text(result: ConsolidationResult) -> str:
    """A summary for the terminal: counties, platforms, and every unmet hard rule.

    Examples
    --------
    >>> print(result_text(result))          # doctest: +SKIP
    """
    rep = result_summary(result)
    c = result.scenario.consolidate
    head = result.variant or result.scenario.name
    lines = [f"{head}: R7 limit {c.distance_km:g} km, relatedness ≥ {c.min_relatedness:g}, "
             f"R4 ≥ {c.min_developable_mu:,.0f} mu and {c.min_va_100m:g} 亿元, R11 ≥ "
             f"{c.exit_share:.0%}" + (", connected mode" if c.connected else ""),
             f"{rep['platforms']} major platforms ({rep['platforms_meeting_R4']} meet R4); "
             f"parks in = parks decided: {rep['parks']} = {rep['parks_decided']}"
             + ("" if rep["parks"] == rep["parks_decided"] else " — NOT every park was decided")
             + f"; {rep['sub_zones']} sub-zones, {rep['exits']} exit, "
             f"{rep['excluded']} excluded; {rep['zones_joined']} zone(s) joined a platform", ""]
    # the columns as lists of Python values (what to_dict("records") gives, without a dict
    # per row)
    cc = _columns(result.counties, ("county", "n_parks", "r10_exits", "quota", "exits",
                                    "sub_zones", "platforms", "meets_R3", "status", "gap"))
    rows = [(county, n_parks, r10, quota, exits, sub_zones, platforms,
             ("yes" if meets_r3 else "NO"), f"{status}{'' if gap == 0 else f' gap {gap:.2%}'}")
            for county, n_parks, r10, quota, exits, sub_zones, platforms, meets_r3, status, gap
            in zip(*cc, strict=True)]
    lines += _table(("county", "parks", "R10 exits", "R11 quota", "exits", "sub-zones",
                     "platforms", "R3", "solver"), rows, right=range(1, 7))
    lines.append("")
    pc = _columns(result.platforms, ("name", "county", "n_sub_zones", "developable_mu",
                                     "industrial_va_100m", "meets_R4", "meets_T2", "meets_T3",
                                     "meets_T4"))
    rows = [(name, county, n_sub, f"{mu:,.0f}", f"{va:,.1f}", _yes(r4), _yes(t2), _yes(t3),
             _yes(t4))
            for name, county, n_sub, mu, va, r4, t2, t3, t4 in zip(*pc, strict=True)]
    if rows:
        lines += _table(("platform", "county", "sub-zones", "developable mu", "VA 亿元", "R4",
                         "T2", "T3", "T4"), rows, right=(2, 3, 4))
    if result.problems:
        lines += ["", "Hard rules not met (the result is written; exit status 1):"]
        lines += [f"  - {p}" for p in result.problems]
    s = result.solver
    lines += ["", f"solver: {s.get('problems', 0)} county problem(s), {s.get('optimal', 0)} "
              f"proven optimal, worst gap {s.get('worst_gap', 0.0):.2%}"]
    return "\n".join(lines)


# ------------------------------------------------------------------------------------------
# reading a result back
# ------------------------------------------------------------------------------------------


def scenario_of_run(run, *, source=None) -> Scenario | None:
    """The scenario stored in a result's ``run`` table (its ``scenario_toml``), or None.

    >>> import pandas as pd
    >>> run = pd.DataFrame({"scenario_toml": ["[consolidate]\\nexit_share = 0.5\\n"]})
    >>> s = scenario_of_run(run)
    >>> s.consolidate.exit_share
    0.5
    """
    if run is None or "scenario_toml" not in getattr(run, "columns", ()) or not len(run):
        return None
    text = run["scenario_toml"].iloc[0]
    if not isinstance(text, str) or not text.strip():
        return None
    try:
        return scenario_from_dict(tomllib.loads(text), source=source)
    except (tomllib.TOMLDecodeError, ValueError) as exc:
        raise SchemaError(f"the stored scenario cannot be read: {exc}", path=source, layer="run",
                          field="scenario_toml") from None


def _first(run, col, default=""):
    if run is None or col not in run.columns or not len(run):
        return default
    v = run[col].iloc[0]
    return default if v is None or (isinstance(v, float) and math.isnan(v)) else v


def load_result(source) -> ConsolidationResult:
    """The consolidation result of ``source``: the one way every stage takes a result.

    ``source`` may be

    - a :class:`ConsolidationResult`, returned as it is;
    - the path of a result GeoPackage, read back as the :class:`ConsolidationResult` that wrote
      it: scenario (from the ``run`` table), county report, members, every passed-through
      layer, exit status and unmet hard rules; the layers keep the CRS they were written in;
    - a mapping of layer name to (Geo)DataFrame, as a notebook user holds layers in memory
      (the names of the GeoPackage: ``zones``, ``parks``, ``platforms``, ``members``,
      ``county_report``, ``run``, any other layer passed through); it may hold only the
      layers a measure needs, and each stage checks for the layers it draws on;
    - a dataset read by :func:`parkgeo.read.read_dataset` (its layers, as a mapping).

    Raises
    ------
    DatasetNotFoundError, NotADatasetError, SchemaError
        The file is missing, unreadable, or not a consolidation result (the message names
        the file, layer and field).

    Examples
    --------
    >>> res = load_result("out/result.gpkg")                 # doctest: +SKIP
    >>> res.scenario.consolidate.exit_share, res.r11_quota()  # doctest: +SKIP
    >>> load_result({"zones": zones, "parks": parks, "platforms": platforms})  # doctest: +SKIP
    """
    if isinstance(source, ConsolidationResult):
        return source
    if isinstance(source, Mapping):
        return _from_layers(source)
    if hasattr(source, "layers") and hasattr(source, "problems") and hasattr(source, "path"):
        # a parkgeo.read.Dataset: recognised by its shape, as the shared core imports no stage
        return _from_layers(source.layers, path=str(source.path))
    if not isinstance(source, str | os.PathLike):
        raise TypeError(f"expected a ConsolidationResult, the path of a result GeoPackage, a "
                        f"mapping of layers or a Dataset, got {type(source).__name__}")
    import pyogrio

    path = Path(source)
    if not path.exists():
        raise DatasetNotFoundError("result file not found; run `parkgeo integrate` first",
                                   path=path)
    try:
        names = [str(n) for n, _ in pyogrio.list_layers(path)]
    except Exception as exc:  # pyogrio raises DataSourceError and friends
        raise NotADatasetError(f"not a GeoPackage ({exc})", path=path) from None
    frames = {}
    for name in names:
        if name in _DERIVED:  # QGIS styles and the links drawn from the result
            continue
        try:
            frames[name] = gpd.read_file(path, layer=name, engine="pyogrio")
        except Exception as exc:  # pyogrio raises DataSourceError and friends
            raise NotADatasetError(f"cannot read the layer (truncated or damaged?): {exc}",
                                   path=path, layer=name) from None
    for layer in REQUIRED_FIELDS:  # every layer first: an input dataset lacks 'platforms'
        if layer not in frames:
            raise SchemaError("layer missing, so this is not a consolidation result; run "
                              "'parkgeo integrate DATASET --out RESULT.gpkg' and pass RESULT.gpkg",
                              path=path, layer=layer)
    for layer, fields in REQUIRED_FIELDS.items():
        for f in fields:
            if f not in frames[layer].columns:
                raise SchemaError("field missing from the consolidation result; write it again "
                                  "with 'parkgeo integrate'", path=path, layer=layer, field=f)
    return _from_layers(frames, path=str(path))


def _from_layers(layers, *, path=None):
    """A :class:`ConsolidationResult` of layers by name (the ``run`` table gives the scenario,
    variant, input path, exit status and unmet hard rules)."""
    frames = {str(k): v for k, v in layers.items() if v is not None and k not in _DERIVED}
    run = frames.pop("run", None)
    members = frames.pop("members", None)
    report = frames.pop("county_report", None)
    zones, parks, platforms = (frames.pop(k, None) for k in ("zones", "parks", "platforms"))
    problems = str(_first(run, "problems") or "")
    problems_zh = str(_first(run, "problems_zh") or "")
    return ConsolidationResult(
        zones=zones, parks=parks, platforms=platforms,
        members=pd.DataFrame() if members is None else pd.DataFrame(members),
        counties=pd.DataFrame() if report is None else pd.DataFrame(report),
        layers={k: v for k, v in frames.items() if k not in OUTPUT_LAYERS},
        scenario=scenario_of_run(run, source=path) or Scenario(),
        variant=str(_first(run, "variant") or "") or None,
        input_path=str(_first(run, "input_path")), exit_status=int(_first(run, "exit_status", 0)),
        problems=tuple(x for x in problems.split("\n") if x),
        problems_zh=tuple(x for x in problems_zh.split("\n") if x), path=path)


def report_json_text(payload):
    """The report as indented JSON text (Chinese kept readable)."""
    return json.dumps(payload, ensure_ascii=False, indent=2, sort_keys=False) + "\n"
