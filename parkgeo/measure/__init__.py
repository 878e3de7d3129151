"""Measuring major platforms: 2020 targets, quarterly monitoring, year-end ranking, admission.

``targets``     T1–T6 per platform, county and city, plus the county checks R3 and R11
``monitoring``  the quarterly ``monitoring`` table checked, as time series with QoQ/YoY (R15)
``ranking``     the year-end composite ranking on Zhejiang's per-mu indicators (R15)
``admission``   project admission: location (R12, R16), industry and standard land (R17)

Every function takes the consolidation result — a
:class:`~parkgeo.result.ConsolidationResult`, the path of its GeoPackage, a mapping of layer
name to (Geo)DataFrame, or a :class:`~parkgeo.read.Dataset` (``rank`` measures an input dataset
too), all made one result by :func:`parkgeo.measure.common.result_of` — and returns tables.
Thresholds default to the scenario the result stores. Missing data is reported as ``no data``
or as a problem line, never passed silently.
"""

from __future__ import annotations

__all__ = [
    "evaluate_targets",
    "TargetReport",
    "check_monitoring",
    "MonitoringData",
    "rank_platforms",
    "Ranking",
    "admit_projects",
    "Admission",
]

_LAZY = {
    "evaluate_targets": "targets",
    "TargetReport": "targets",
    "check_monitoring": "monitoring",
    "MonitoringData": "monitoring",
    "rank_platforms": "ranking",
    "Ranking": "ranking",
    "admit_projects": "admission",
    "Admission": "admission",
}


def __getattr__(name):
    # lazy: `parkgeo rank --help` must not import geopandas
    if name in _LAZY:
        import importlib

        return getattr(importlib.import_module(f".{_LAZY[name]}", __name__), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
