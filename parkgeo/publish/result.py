"""The consolidation result as the maps draw it: its layers in WGS84 (DATA-CONTRACT "Output of
consolidation", declared in :mod:`parkgeo.result`).

``zones``, ``parks`` and ``platforms`` are required; ``counties``, ``protected``, ``plots``,
``monitoring`` and ``projects`` are used when present. Maps accept a
:class:`~parkgeo.result.ConsolidationResult`, the path of the result GeoPackage, or a dict of
GeoDataFrames (a notebook user who has the layers in memory). Quotas, floors and labels come
from the result's own ``county_report`` and the scenario stored in its ``run`` table.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path

import geopandas as gpd
import pandas as pd

from ..errors import CRSError, DatasetNotFoundError, NotADatasetError, SchemaError
from ..result import DECISIONS, ConsolidationResult, scenario_of_run
from ..scenario import Scenario

__all__ = ["Result", "load_result", "REQUIRED", "INDICATORS", "TARGETS"]

REQUIRED = {
    "zones": ("zone_id", "name", "county"),
    "parks": ("park_id", "name", "county", "decision"),
    "platforms": ("platform_id", "name", "county", "main_zone_id"),
}
OPTIONAL = ("counties", "protected", "plots", "monitoring", "projects")
INDICATORS = (
    "developable_mu", "industrial_va_100m", "industrial_output_100m", "tax_100m",
    "industrial_land_mu", "high_tech_va_share", "rd_share", "listed_firms", "firms_over_10bn",
    "output_per_mu_10k", "tax_per_mu_10k",
)
TARGETS = ("meets_R3", "meets_R4", "meets_T2", "meets_T3", "meets_T4")


@dataclass(frozen=True)
class Result:
    """The layers of a consolidation result, in WGS84 (EPSG:4326) for display."""

    zones: gpd.GeoDataFrame
    parks: gpd.GeoDataFrame
    platforms: gpd.GeoDataFrame
    counties: gpd.GeoDataFrame | None = None
    protected: gpd.GeoDataFrame | None = None
    plots: gpd.GeoDataFrame | None = None
    source: str = "<layers>"
    source_crs: object = None
    #: the scenario the result was consolidated under (its ``run`` table), else the defaults
    scenario: Scenario = Scenario()
    #: the result's ``county_report`` (per county: R11 quota, exits …), when it has one
    county_report: pd.DataFrame | None = None

    def r11_quota(self):
        """Per county: parks counted for R11 (not ``excluded``), exits, and the quota.

        The quota is the one the result stores (``county_report.quota``, computed under the
        result's own scenario); a result without a county report gets ⌈share·n⌉ with the
        share of its stored scenario.
        """
        parks = self.parks
        counted = parks[parks["decision"] != "excluded"]
        share = self.scenario.consolidate.exit_share
        stored = {}
        cr = self.county_report
        if cr is not None and {"county", "quota"} <= set(cr.columns):
            stored = {str(c): int(q) for c, q in zip(cr["county"], cr["quota"], strict=True)
                      if pd.notna(q)}
        rows = []
        for county in sorted(set(parks["county"]) | set(self.platforms["county"])):
            sub = counted[counted["county"] == county]
            n = len(sub)
            rows.append({
                "county": county,
                "n_parks": n,
                "exits": int((sub["decision"] == "exit").sum()),
                "quota": stored.get(county, math.ceil(round(share * n, 9))),
                "platforms": int((self.platforms["county"] == county).sum()),
            })
        return pd.DataFrame(rows, columns=["county", "n_parks", "exits", "quota", "platforms"])


def _read_layers(path):
    from ..read.dataset import list_dataset_layers

    path = Path(path)
    if not path.exists():
        raise DatasetNotFoundError("result file not found; run `parkgeo integrate` first",
                                   path=path)
    # the reader's checks name what the file really is (a ZIP, a renamed CSV, a damaged file)
    names = list_dataset_layers(path)
    layers = {}
    for name in names:
        if name in REQUIRED or name in OPTIONAL or name in ("county_report", "run"):
            try:
                layers[name] = gpd.read_file(path, layer=name, engine="pyogrio")
            except Exception as exc:  # pyogrio raises DataSourceError and friends
                raise NotADatasetError(f"cannot read the layer (truncated or damaged?): {exc}",
                                       path=path, layer=name) from None
    return layers


def _text(series):
    return series.astype(object).where(series.notna(), "").astype(str)


def load_result(result, *, where=None):
    """Read a consolidation result from a GeoPackage path or a dict of GeoDataFrames.

    Checks the layers and fields the maps need and raises :class:`~parkgeo.errors.SchemaError`
    naming the file, layer and field when one is missing. Every spatial layer is returned in
    WGS84; ``source_crs`` keeps the CRS of ``zones`` for static maps.

    Examples
    --------
    >>> res = load_result("out/result.gpkg")          # doctest: +SKIP
    >>> res.r11_quota().head()                       # doctest: +SKIP
    """
    if isinstance(result, Result):
        return result
    if isinstance(result, ConsolidationResult):
        layers = {"zones": result.zones, "parks": result.parks, "platforms": result.platforms,
                  **result.layers, "county_report": result.county_report,
                  "scenario": result.scenario}
        source = where or result.path or "<result>"
    elif isinstance(result, dict):
        layers = dict(result)
        source = where or "<layers>"
    else:
        layers = _read_layers(result)
        source = str(result)
    for layer in REQUIRED:  # every layer first: an input dataset lacks 'platforms'
        if layer not in layers or layers[layer] is None:
            raise SchemaError("layer missing, so this is not a consolidation result; run "
                              "'parkgeo integrate DATASET --out RESULT.gpkg' and pass RESULT.gpkg",
                              path=source, layer=layer)
    for layer, fields in REQUIRED.items():
        frame = layers[layer]
        for field in fields:
            if field not in frame.columns:
                raise SchemaError("field missing from the consolidation result; write it again "
                                  "with 'parkgeo integrate'", path=source, layer=layer,
                                  field=field)
    out = {}
    source_crs = None
    for name in list(REQUIRED) + ["counties", "protected", "plots"]:
        frame = layers.get(name)
        if frame is None:
            out[name] = None
            continue
        if not isinstance(frame, gpd.GeoDataFrame) or frame.geometry.name not in frame:
            raise SchemaError("layer has no geometry", path=source, layer=name)
        if frame.crs is None:
            raise CRSError("layer has no CRS; declare it in the GeoPackage", path=source,
                           layer=name)
        if name == "zones":
            source_crs = frame.crs
        frame = frame[~(frame.geometry.isna() | frame.geometry.is_empty)]
        frame = frame.to_crs(4326).reset_index(drop=True)
        out[name] = frame
    parks = out["parks"].copy()
    bad = set(parks["decision"].dropna()) - set(DECISIONS)
    if bad:
        raise SchemaError(f"decision must be one of {', '.join(DECISIONS)}; found "
                          f"{', '.join(sorted(map(str, bad)))}", path=source, layer="parks",
                          field="decision")
    for col in ("platform_id", "reason", "town"):
        parks[col] = _text(parks[col]) if col in parks else ""
    for frame, cols in ((parks, ("park_id", "name", "county", "decision")),
                        (out["zones"], ("zone_id", "name", "county")),
                        (out["platforms"], ("platform_id", "name", "county", "main_zone_id"))):
        for col in cols:
            frame[col] = _text(frame[col])
    out["parks"] = parks
    plots = out["plots"]
    if plots is not None:
        for field in ("plot_id", "owner_id", "status"):
            if field not in plots.columns:
                raise SchemaError("field missing", path=source, layer="plots", field=field)
    scenario = layers.get("scenario")
    if not isinstance(scenario, Scenario):
        scenario = scenario_of_run(layers.get("run"), source=source) or Scenario()
    report = layers.get("county_report")
    return Result(source=source, source_crs=source_crs, scenario=scenario,
                  county_report=None if report is None else pd.DataFrame(report), **out)
