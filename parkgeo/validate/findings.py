"""Validation findings and the report that gathers them: JSON, GeoPackage, table and terminal text.

A :class:`Finding` is one problem at one place: a stable ``rule`` id (DATA-CONTRACT.md
"Validation findings"), the ``layer`` and feature ``id``, a ``severity`` (``error`` or
``warning``), a plain ``message`` with the measured numbers, and a location — a lon/lat point
(CGCS2000, EPSG:4490) and, where it makes sense, the offending geometry (the overlap, the part
outside the county, the moved edge), also in EPSG:4490.

A :class:`ValidationReport` holds every finding of one run, the counts by rule and severity,
and the settings used, and writes them out.
"""

from __future__ import annotations

import json
import math
from collections import Counter
from dataclasses import asdict, dataclass, replace
from dataclasses import field as _field

import numpy as np

from ..i18n import tr, tr_or

__all__ = ["Finding", "ValidationReport", "RuleInfo", "RULES", "FINDINGS_CRS"]

#: CRS of every finding's point and geometry: CGCS2000 geographic (lon/lat)
FINDINGS_CRS = "EPSG:4490"


@dataclass(frozen=True)
class RuleInfo:
    """What a rule id means: its severity, the policy rule behind it, and what to do (in English
    and, for the Chinese findings map, in Chinese)."""

    title: str
    severity: str
    policy: str | None
    todo: str = ""
    todo_zh: str = ""


#: every rule id ``parkgeo validate`` reports, in the order the terminal summary lists them
_RULES = {
    # schema (found while reading)
    "missing_layer": RuleInfo("a required layer is missing", "error", None),
    "empty_layer": RuleInfo("a required layer has no features", "error", None),
    "missing_field": RuleInfo("a required field is missing", "error", None),
    "missing_crs": RuleInfo("a layer declares no CRS", "error", None),
    "wrong_crs": RuleInfo("the declared CRS cannot be right for the coordinates", "error", None),
    "outside_measured_zones": RuleInfo(
        "features in degrees lie outside China's Gauss–Krüger zones (73–135°E)", "error", None),
    "join_unmatched": RuleInfo(
        "ids of a joined statistics table and of its layer do not match", "warning", None),
    "duplicate_id": RuleInfo("an id is used by more than one feature", "error", None),
    "bad_value": RuleInfo("a value has the wrong type or is out of range", "error", None),
    # geometry
    "empty_geometry": RuleInfo("a feature has no geometry", "error", None),
    "wrong_geometry_type": RuleInfo("a feature is not a polygon", "error", None),
    "invalid_geometry": RuleInfo("a polygon is invalid (GEOS)", "error", None),
    "sliver": RuleInfo(
        "a polygon or polygon part is smaller than the sliver limit", "warning", None),
    # topology
    "overlap": RuleInfo("two zones or parks overlap (land managed twice)", "error", "R13"),
    "invalid_coverage": RuleInfo(
        "counties do not tile cleanly (overlaps or edges that do not match)", "warning", None),
    # place
    "unknown_county": RuleInfo(
        "a feature names a county the counties layer does not have", "error", "R14"),
    "outside_county": RuleInfo("a feature lies partly outside the county it names", "error", "R14"),
    "in_protected_area": RuleInfo("a zone or park overlaps protected land", "error", None),
    # statute
    "area_exceeds_approved": RuleInfo(
        "a zone's measured statutory area exceeds its approved area", "error", "R2"),
    "boundary_changed": RuleInfo(
        "a zone's four boundaries differ from the baseline (moved, added or removed)", "error",
        "R1"),
    # developable space, from the land-use survey (R4)
    "developable_overstated": RuleInfo(
        "a declared developable_mu exceeds the developable land measured from the survey",
        "warning",
        "R4"),
    "landuse_overlap": RuleInfo(
        "land-use survey polygons overlap inside a zone or park", "error", "R4"),
    "landuse_gap": RuleInfo(
        "part of a zone or park has no land-use survey polygon", "warning", "R4"),
    "landuse_bad_code": RuleInfo(
        "a survey polygon's dlbm is not a GB/T 21010-2017 code", "error", "R4"),
    "park_added": RuleInfo("a park that is not in the baseline", "warning", "R12"),
    # the national catalogue 《中国开发区审核公告目录》(2018年版)
    "approved_area_differs_from_catalogue": RuleInfo(
        "a zone's approved area differs from the national catalogue's", "error", "R2"),
    "unknown_catalogue_code": RuleInfo(
        "a zone id shaped like a catalogue code is not in the national catalogue", "warning",
        "R2"),
    "ambiguous_catalogue_name": RuleInfo(
        "a zone's name matches several catalogue zones", "warning", "R2"),
    "approved_area_from_catalogue": RuleInfo(
        "a zone without an approved area took the national catalogue's", "info", "R2"),
    # industries written as words
    "industry_unrecognised": RuleInfo(
        "an industry term maps to no GB/T 4754-2017 code", "warning", "R7"),
}
# what to do about each, in English and Chinese: ``rule.todo.*`` in the one table of words
RULES = {rule: replace(info, todo=tr(f"rule.todo.{rule}", "en"),
                       todo_zh=tr(f"rule.todo.{rule}", "zh")) for rule, info in _RULES.items()}

_RULE_ORDER = {rule: i for i, rule in enumerate(RULES)}
_SEVERITY_ORDER = {"error": 0, "warning": 1, "info": 2}


@dataclass(frozen=True)
class Finding:
    """One validation finding.

    Attributes
    ----------
    rule : str
        Stable rule id (see :data:`RULES`).
    layer : str or None
        The layer of the feature.
    id : str or None
        The feature's id (``#n`` for the n-th feature, counting from 0, when it has none).
    severity : {"error", "warning", "info"}
        ``info`` says what parkgeo did for the user (a value taken from the catalogue).
    message : str
        Plain words with the measured numbers (English, as the terminal prints them).
    field : str or None
        The attribute concerned, if any.
    x, y : float or None
        Longitude and latitude (EPSG:4490) of a point at the problem.
    value : float or None
        The measured number that ranks findings of one rule ("worst first"), in ``unit``.
    unit : str or None
        ``mu``, ``m``, ``share`` … for ``value``.
    other : str or None
        The other feature involved, as ``layer:id`` (overlaps, protected land, county).
    geometry : shapely geometry or None
        The offending geometry (overlap, part outside, moved area), EPSG:4490.
    message_zh : str
        The same message in Chinese, with the same numbers (the findings map and reports show
        it when their language is Chinese).
    """

    rule: str
    layer: str | None
    id: str | None
    severity: str
    message: str
    field: str | None = None
    x: float | None = None
    y: float | None = None
    value: float | None = None
    unit: str | None = None
    other: str | None = None
    geometry: object = _field(default=None, compare=False, repr=False)
    message_zh: str = ""

    @property
    def policy(self):
        """The policy rule (RULES.md) behind this finding's rule id, e.g. ``R2``, or None."""
        info = RULES.get(self.rule)
        return info.policy if info else None

    def text(self, lang="zh"):
        """The message in ``lang`` (``zh`` or ``en``)."""
        return self.message_zh if lang == "zh" and self.message_zh else self.message

    def where(self, lang="en"):
        """``layer id`` as the terminal shows it (``parks P017``), with the field when the
        message does not name it (``parks P017, field 'hazard'``); ``lang="zh"``: the layer
        in Chinese (``园区 P017,字段 hazard``)."""
        if lang == "zh":
            layer = tr_or(f"validate.noun.{self.layer}", "zh", self.layer) if self.layer else None
            text = " ".join(p for p in (layer, self.id) if p) or "(数据集)"
            if self.field and self.field not in self.message_zh:
                text += f",字段 {self.field}"
            return text
        text = " ".join(p for p in (self.layer, self.id) if p) or "(dataset)"
        if self.field and self.field not in self.message:
            text += f", field '{self.field}'"
        return text

    def to_dict(self, *, geometry=True):
        """The finding as JSON-able data (geometry as a GeoJSON object, lon/lat)."""
        out = {k: v for k, v in asdict(self).items() if k != "geometry"}
        for k in ("x", "y", "value"):
            v = out[k]
            if v is not None:
                out[k] = None if not math.isfinite(v) else round(float(v), 7 if k != "value"
                                                                 else 4)
        out["policy"] = self.policy
        if geometry:
            out["geometry"] = _geojson(self.geometry)
        return out


def _geojson(geom):
    if geom is None:
        return None
    import shapely

    if shapely.is_empty(geom):
        return None
    rounded = shapely.transform(geom, lambda c: np.round(c, 7))
    return json.loads(shapely.to_geojson(rounded))


def _count(findings):
    by_rule = {}
    for f in findings:
        entry = by_rule.setdefault(f.rule, {"error": 0, "warning": 0})
        entry[f.severity] = entry.get(f.severity, 0) + 1
    ordered = dict(sorted(by_rule.items(), key=lambda kv: _RULE_ORDER.get(kv[0], 99)))
    sev = Counter(f.severity for f in findings)
    return ordered, {"error": sev.get("error", 0), "warning": sev.get("warning", 0),
                     "info": sev.get("info", 0)}


#: rules whose worst findings have the smallest value (the tiniest sliver is surely one)
_SMALLEST_FIRST = {"sliver"}


def sort_findings(findings):
    """Errors first, then rules in :data:`RULES` order, then the worst first (by ``value``)."""
    def key(f):
        v = f.value if f.value is not None and math.isfinite(f.value) else -math.inf
        if f.rule in _SMALLEST_FIRST:
            v = -v if f.value is not None else -math.inf
        return (_SEVERITY_ORDER.get(f.severity, 2), _RULE_ORDER.get(f.rule, 99), -v,
                f.layer or "", f.id or "")

    return sorted(findings, key=key)


@dataclass(frozen=True)
class ValidationReport:
    """Every finding of one validation run, with the settings used.

    Attributes
    ----------
    findings : tuple of Finding
        Sorted: errors first, by rule, worst first.
    dataset : str or None
        The dataset validated.
    baseline : str or None
        The baseline dataset the four boundaries were compared with (R1), if any.
    scenario : str
        The scenario's name (its settings are in ``settings``).
    settings : dict
        The ``[validate]`` settings used (tolerances, sliver and overlap limits).
    layers : dict
        ``{layer: number of features checked}``.
    notes : tuple of str
        Checks that could not run, and how measurements were taken.
    notes_zh : tuple of str
        The same notes in Chinese.

    Examples
    --------
    >>> from parkgeo.validate import validate_path
    >>> report = validate_path("layers/jiaxing.gpkg")        # doctest: +SKIP
    >>> report.has_errors, report.summary["errors"]          # doctest: +SKIP
    (False, 0)
    >>> print(report.text())                                 # doctest: +SKIP
    """

    findings: tuple = ()
    dataset: str | None = None
    baseline: str | None = None
    scenario: str = ""
    settings: dict = _field(default_factory=dict, compare=False, hash=False)
    layers: dict = _field(default_factory=dict, compare=False, hash=False)
    notes: tuple = ()
    notes_zh: tuple = ()

    # -- views ------------------------------------------------------------------------------
    @property
    def has_errors(self):
        """True when any finding has severity ``error`` (the command exits 1)."""
        return any(f.severity == "error" for f in self.findings)

    @property
    def errors(self):
        """The error findings."""
        return [f for f in self.findings if f.severity == "error"]

    @property
    def warnings(self):
        """The warning findings."""
        return [f for f in self.findings if f.severity == "warning"]

    def by_rule(self, rule):
        """The findings of one rule id."""
        return [f for f in self.findings if f.rule == rule]

    @property
    def summary(self):
        """Counts by severity and by rule, and what was checked with which settings."""
        by_rule, by_sev = _count(self.findings)
        return {
            "errors": by_sev["error"],
            "warnings": by_sev["warning"],
            "infos": by_sev["info"],
            "by_rule": by_rule,
            "dataset": self.dataset,
            "baseline": self.baseline,
            "scenario": self.scenario,
            "settings": dict(self.settings),
            "layers": dict(self.layers),
            "notes": list(self.notes),
            "notes_zh": list(self.notes_zh),
            "crs": FINDINGS_CRS,
        }

    # -- outputs ----------------------------------------------------------------------------
    def to_dict(self, *, geometry=True):
        """``{"findings": [...], "summary": {...}}`` as in DATA-CONTRACT.md."""
        return {"findings": [f.to_dict(geometry=geometry) for f in self.findings],
                "summary": self.summary}

    def to_json(self, *, indent=2, geometry=True):
        """The report as JSON text (non-ASCII kept as is, so Chinese names stay readable)."""
        return json.dumps(self.to_dict(geometry=geometry), ensure_ascii=False, indent=indent)

    def write_json(self, path, *, overwrite=False):
        """Write :meth:`to_json` to ``path`` atomically."""
        from .._atomic import write_text_atomic

        return write_text_atomic(path, self.to_json() + "\n", overwrite=overwrite)

    def to_frame(self, *, geometry="point"):
        """The findings as a GeoDataFrame in EPSG:4490.

        Parameters
        ----------
        geometry : {"point", "area"}
            ``point``: one row per finding at its location point. ``area``: only the findings
            that carry an offending geometry, with that geometry (polygons as MultiPolygon).
        """
        import geopandas as gpd
        import shapely

        cols = ["rule", "severity", "layer", "id", "field", "message", "message_zh", "value",
                "unit",
                "other", "policy", "x", "y"]
        rows = []
        geoms = []
        for f in self.findings:
            if geometry == "area":
                g = areal_part(f.geometry)
                if g is None:
                    continue
                geoms.append(g)
            else:
                ok = f.x is not None and f.y is not None and math.isfinite(f.x) and \
                    math.isfinite(f.y)
                geoms.append(shapely.Point(f.x, f.y) if ok else None)
            d = f.to_dict(geometry=False)
            rows.append([d[c] for c in cols])
        import pandas as pd

        frame = pd.DataFrame(rows, columns=cols)
        for c in ("value", "x", "y"):
            frame[c] = pd.to_numeric(frame[c], errors="coerce").astype("float64")
        return gpd.GeoDataFrame(frame, geometry=gpd.GeoSeries(geoms, dtype="geometry")
                                if geoms else gpd.GeoSeries([], dtype="geometry"),
                                crs=FINDINGS_CRS)

    def write_gpkg(self, path, *, overwrite=False):
        """Write the findings as a GeoPackage to open in QGIS beside the data.

        Two layers, both EPSG:4490: ``findings`` (a point per finding, every attribute) and
        ``findings_areas`` (the offending geometries — overlaps, parts outside a county,
        moved boundaries, slivers — as MultiPolygons).
        """
        from .._atomic import atomic_path
        from .._gpkg import write_layer

        points = self.to_frame(geometry="point")
        areas = self.to_frame(geometry="area")
        with atomic_path(path, overwrite=overwrite) as tmp:
            write_layer(points, tmp, "findings", geometry_type="Point")
            write_layer(areas, tmp, "findings_areas", geometry_type="MultiPolygon")
        return path

    def text(self, *, limit=10, hints=True):
        """A summary to read on a terminal: counts by rule and severity, worst offenders first.

        Parameters
        ----------
        limit : int
            At most this many findings are listed per rule (the rest are counted).
        hints : bool
            Add what to do for each rule found.
        """
        lines = []
        title = f"parkgeo validate {self.dataset or ''}".rstrip()
        lines.append(title)
        if self.baseline:
            lines.append(f"  baseline (R1 four boundaries): {self.baseline}")
        checked = ", ".join(f"{k} {v:,}" for k, v in self.layers.items())
        if checked:
            lines.append(f"  checked: {checked}")
        s = self.settings
        if s:
            lines.append(f"  scenario: {self.scenario}; R2 tolerance "
                         f"{s.get('area_tolerance', 0):.1%}, sliver < {s.get('sliver_mu', 0):g} mu,"
                         f" overlaps ≥ {s.get('overlap_min_mu', 0):g} mu")
        for note in self.notes:
            lines.append(f"  note: {note}")
        lines.append("")
        by_rule, by_sev = _count(self.findings)
        if not self.findings:
            lines.append("No findings: every check passed.")
            return "\n".join(lines)
        e, w = by_sev["error"], by_sev["warning"]
        verdict = (f"{e:,} error{'s' if e != 1 else ''}, {w:,} warning{'s' if w != 1 else ''}"
                   + (" — the data breaks rules; fix the errors before consolidating"
                      if e else " — no errors; the warnings deserve a look" if w
                      else " — every check passed"))
        lines.append(verdict)
        lines.append("")
        # the count table
        width = max(len("rule"), *(len(r) for r in by_rule))
        # an info column only when parkgeo filled something in
        has_info = by_sev["info"] > 0
        info_head = f"  {'info':>4}" if has_info else ""
        lines.append(f"  {'rule':<{width}}  {'errors':>6}  {'warnings':>8}{info_head}  policy")
        for rule, counts in by_rule.items():
            info = RULES.get(rule)
            pol = info.policy if info and info.policy else ""
            info_cell = f"  {_n(counts.get('info', 0)):>4}" if has_info else ""
            lines.append(f"  {rule:<{width}}  {_n(counts['error']):>6}  {_n(counts['warning']):>8}"
                         f"{info_cell}  {pol}")
        # the findings, worst first, by rule
        for sev, heading in (("error", "Errors (worst first):"), ("warning", "Warnings:"),
                             ("info", "Information (what parkgeo filled in):")):
            group = [f for f in self.findings if f.severity == sev]
            if not group:
                continue
            lines.append("")
            lines.append(heading)
            seen_rules = []
            for f in group:
                if f.rule not in seen_rules:
                    seen_rules.append(f.rule)
            for rule in seen_rules:
                these = [f for f in group if f.rule == rule]
                info = RULES.get(rule)
                head = f"  {rule}" + (f" ({info.policy})" if info and info.policy else "")
                lines.append(head + f" — {len(these):,}")
                for f in these[:limit]:
                    lines.append(f"    {f.where()}: {f.message}")
                if len(these) > limit:
                    lines.append(f"    … and {len(these) - limit:,} more (all of them in --json "
                                 "or --gpkg)")
                if hints and info:
                    lines.append(f"    → {info.todo}")
        return "\n".join(lines)


def _n(count):
    return f"{count:,}" if count else "-"


def areal_part(geom):
    """The polygonal part of ``geom`` as a MultiPolygon, or None."""
    if geom is None:
        return None
    import shapely

    if shapely.is_empty(geom):
        return None
    tid = shapely.get_type_id(geom)
    if tid == 6:
        return geom
    if tid == 3:
        return shapely.MultiPolygon([geom])
    parts = [p for p in shapely.get_parts(geom) if shapely.get_type_id(p) in (3, 6)]
    polys = []
    for p in parts:
        polys.extend(shapely.get_parts(p) if shapely.get_type_id(p) == 6 else [p])
    return shapely.MultiPolygon(polys) if polys else None
