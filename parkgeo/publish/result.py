"""The consolidation result as the maps draw it (DATA-CONTRACT "Output of consolidation",
declared in :mod:`parkgeo.result`).

Maps take a :class:`~parkgeo.result.ConsolidationResult`, the path of the result GeoPackage or
a mapping of layers (a notebook user who has the layers in memory), all made a result by
:func:`parkgeo.result.load_result`. :func:`drawable` checks what the maps need — ``zones``,
``parks`` and ``platforms``; ``counties``, ``protected`` and ``plots`` when present — and gives
the same result with those layers in WGS84. Quotas, floors and labels come from the result's
own ``county_report`` and the scenario stored in its ``run`` table.
"""

from __future__ import annotations

import os
from dataclasses import replace
from pathlib import Path

import geopandas as gpd

from ..errors import CRSError, SchemaError
from ..result import DECISIONS, REQUIRED_FIELDS, ConsolidationResult, load_result

__all__ = ["drawable", "load_result", "REQUIRED", "SHOWN", "INDICATORS", "TARGETS"]

#: the layers and fields a map cannot be drawn without
REQUIRED = REQUIRED_FIELDS
#: the optional layers the maps draw when the result has them
SHOWN = ("counties", "protected", "plots")
INDICATORS = (
    "developable_mu", "industrial_va_100m", "industrial_output_100m", "tax_100m",
    "industrial_land_mu", "high_tech_va_share", "rd_share", "listed_firms", "firms_over_10bn",
    "output_per_mu_10k", "tax_per_mu_10k",
)
TARGETS = ("meets_R3", "meets_R4", "meets_T2", "meets_T3", "meets_T4")


def _text(series):
    return series.astype(object).where(series.notna(), "").astype(str)


def drawable(source) -> ConsolidationResult:
    """The result of ``source`` (see :func:`~parkgeo.result.load_result`) ready to draw.

    Checks the layers and fields the maps need and raises
    :class:`~parkgeo.errors.SchemaError` naming the file, layer and field when one is missing.
    ``zones``, ``parks``, ``platforms`` and the optional ``counties``, ``protected`` and
    ``plots`` come back in WGS84 (EPSG:4326) without empty geometries, their names and ids as
    text; everything else (scenario, county report …) is the result's own.

    Examples
    --------
    >>> res = drawable("out/result.gpkg")          # doctest: +SKIP
    >>> res.zones.crs.to_epsg(), res.r11_quota().head()   # doctest: +SKIP
    """
    if isinstance(source, str | os.PathLike) and Path(source).exists():
        from ..read.dataset import list_dataset_layers

        # the reader's checks name what the file really is (a ZIP, a renamed CSV, a damaged file)
        list_dataset_layers(source)
    res = load_result(source)
    where = res.source
    for layer in REQUIRED:  # every layer first: an input dataset lacks 'platforms'
        if res.layer(layer) is None:
            raise SchemaError("layer missing, so this is not a consolidation result; run "
                              "'parkgeo integrate DATASET --out RESULT.gpkg' and pass RESULT.gpkg",
                              path=where, layer=layer)
    for layer, fields in REQUIRED.items():
        frame = res.layer(layer)
        for field in fields:
            if field not in frame.columns:
                raise SchemaError("field missing from the consolidation result; write it again "
                                  "with 'parkgeo integrate'", path=where, layer=layer,
                                  field=field)
    out = {}
    for name in (*REQUIRED, *SHOWN):
        frame = res.layer(name)
        if frame is None:
            continue
        if not isinstance(frame, gpd.GeoDataFrame) or frame.geometry.name not in frame:
            raise SchemaError("layer has no geometry", path=where, layer=name)
        if frame.crs is None:
            raise CRSError("layer has no CRS; declare it in the GeoPackage", path=where,
                           layer=name)
        frame = frame[~(frame.geometry.isna() | frame.geometry.is_empty)]
        out[name] = frame.to_crs(4326).reset_index(drop=True)
    parks = out["parks"]
    bad = set(parks["decision"].dropna()) - set(DECISIONS)
    if bad:
        raise SchemaError(f"decision must be one of {', '.join(DECISIONS)}; found "
                          f"{', '.join(sorted(map(str, bad)))}", path=where, layer="parks",
                          field="decision")
    for col in ("platform_id", "reason", "town"):
        parks[col] = _text(parks[col]) if col in parks else ""
    for name, cols in REQUIRED.items():
        for col in cols:
            out[name][col] = _text(out[name][col])
    plots = out.get("plots")
    if plots is not None:
        for field in ("plot_id", "owner_id", "status"):
            if field not in plots.columns:
                raise SchemaError("field missing", path=where, layer="plots", field=field)
    shown = {k: v for k, v in out.items() if k in SHOWN}
    return replace(res, zones=out["zones"], parks=parks, platforms=out["platforms"],
                   layers={**res.layers, **shown})
