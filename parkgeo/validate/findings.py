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
from dataclasses import asdict, dataclass
from dataclasses import field as _field

import numpy as np

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
    todo: str
    todo_zh: str = ""


#: every rule id ``parkgeo validate`` reports, in the order the terminal summary lists them
RULES = {
    # schema (found while reading)
    "missing_layer": RuleInfo(
        "a required layer is missing", "error", None,
        "add the layer to the GeoPackage, or a file named after it to the folder",
        todo_zh="在 GeoPackage 中加入该图层,或在文件夹中加入以该图层命名的文件"),
    "empty_layer": RuleInfo(
        "a required layer has no features", "error", None,
        "check that the right file was exported; an empty layer cannot be consolidated",
        todo_zh="检查导出的文件是否正确;空图层无法整合"),
    "missing_field": RuleInfo(
        "a required field is missing", "error", None,
        "rename the field to its contract name, or map it in the scenario's [fields] table",
        todo_zh="将字段改为约定的名称,或在情景文件的 [fields] 表中对应"),
    "missing_crs": RuleInfo(
        "a layer declares no CRS", "error", None,
        "save the layer with its CRS (.prj), or pass --src-crs EPSG:<code>",
        todo_zh="保存图层时一并保存坐标系(.prj),或使用 --src-crs EPSG:<代码>"),
    "wrong_crs": RuleInfo(
        "the declared CRS cannot be right for the coordinates", "error", None,
        "reproject or re-declare the layer in your GIS (QGIS: 'Assign Projection')",
        todo_zh="在 GIS 中重新投影或重新指定坐标系(QGIS:“指定投影”)"),
    "outside_measured_zones": RuleInfo(
        "features in degrees lie outside China's Gauss–Krüger zones (73–135°E)", "error", None,
        "keep only the features in China: clip or select them in your GIS",
        todo_zh="只保留中国境内的要素:在 GIS 中裁剪或选择"),
    "join_unmatched": RuleInfo(
        "ids of a joined statistics table and of its layer do not match", "warning", None,
        "check the ids on both sides of the [join] table",
        todo_zh="核对统计表与图层两边的编号"),
    "duplicate_id": RuleInfo(
        "an id is used by more than one feature", "error", None,
        "give every feature its own id",
        todo_zh="为每个要素设置唯一的编号"),
    "bad_value": RuleInfo(
        "a value has the wrong type or is out of range", "error", None,
        "correct the value in the attribute table",
        todo_zh="在属性表中更正该值"),
    # geometry
    "empty_geometry": RuleInfo(
        "a feature has no geometry", "error", None,
        "draw the feature's polygon, or delete the feature",
        todo_zh="绘制该要素的多边形,或删除该要素"),
    "wrong_geometry_type": RuleInfo(
        "a feature is not a polygon", "error", None,
        "replace points, lines and collections with the feature's polygon",
        todo_zh="将点、线和几何集合替换为该要素的多边形"),
    "invalid_geometry": RuleInfo(
        "a polygon is invalid (GEOS)", "error", None,
        "repair it at the location given (QGIS: 'Fix Geometries', then check the result)",
        todo_zh="在所示位置修复(QGIS:“修复几何”,再检查结果)"),
    "sliver": RuleInfo(
        "a polygon or polygon part is smaller than the sliver limit", "warning", None,
        "delete the stray part or merge it into its neighbour",
        todo_zh="删除零碎部分,或将其并入相邻多边形"),
    # topology
    "overlap": RuleInfo(
        "two zones or parks overlap (land managed twice)", "error", "R13",
        "decide which feature the land belongs to and clip the other",
        todo_zh="确定重叠的土地归属哪个要素,并裁剪另一个"),
    "invalid_coverage": RuleInfo(
        "counties do not tile cleanly (overlaps or edges that do not match)", "warning", None,
        "snap the county boundaries to each other; 'outside_county' shares may be off",
        todo_zh="使各县界相互吻合;“超出所属县界”的比例可能有偏差"),
    # place
    "unknown_county": RuleInfo(
        "a feature names a county the counties layer does not have", "error", "R14",
        "correct the county name to one in the counties layer",
        todo_zh="将县名改为县界图层中的名称"),
    "outside_county": RuleInfo(
        "a feature lies partly outside the county it names", "error", "R14",
        "correct the county name or the polygon",
        todo_zh="更正县名或多边形"),
    "in_protected_area": RuleInfo(
        "a zone or park overlaps protected land", "error", None,
        "clip the feature to leave the protected land out, or check the protected layer",
        todo_zh="裁剪要素以避开保护区域,或核查保护区域图层"),
    # statute
    "area_exceeds_approved": RuleInfo(
        "a zone's measured statutory area exceeds its approved area", "error", "R2",
        "check the four boundaries against the approval documents and the approved area",
        todo_zh="对照批复文件和批准面积核查“四至”范围"),
    "boundary_changed": RuleInfo(
        "a zone's four boundaries differ from the baseline (moved, added or removed)", "error",
        "R1", "restore the statutory polygon from the baseline; four boundaries never change",
        todo_zh="按基准数据恢复法定多边形;“四至”范围不得变动"),
    # developable space, from the land-use survey (R4)
    "developable_overstated": RuleInfo(
        "a declared developable_mu exceeds the developable land measured from the survey",
        "warning",
        "R4", "check the declared figure against the land-use survey, or the [space] settings",
        todo_zh="对照土地利用现状调查核实填报的可开发空间,或检查 [space] 设置"),
    "landuse_overlap": RuleInfo(
        "land-use survey polygons overlap inside a zone or park", "error", "R4",
        "fix the survey's topology (QGIS: 'Check Validity' / topology checker) and export again",
        todo_zh="修正地类图斑的拓扑(重叠)后重新导出"),
    "landuse_gap": RuleInfo(
        "part of a zone or park has no land-use survey polygon", "warning", "R4",
        "add the missing survey polygons, or check that the survey covers the whole area",
        todo_zh="补齐缺失的地类图斑,或核实调查范围是否覆盖全部区域"),
    "landuse_bad_code": RuleInfo(
        "a survey polygon's dlbm is not a GB/T 21010-2017 code", "error", "R4",
        "correct the code (e.g. 0101, 0601, 05H1) in the survey's attribute table",
        todo_zh="在地类图斑属性表中更正地类编码(如 0101、0601、05H1)"),
    "park_added": RuleInfo(
        "a park that is not in the baseline", "warning", "R12",
        "no new industrial park may be set up outside the major platforms: confirm it",
        todo_zh="重大平台以外不得新设工业园区:请核实"),
    # the national catalogue 《中国开发区审核公告目录》(2018年版)
    "approved_area_differs_from_catalogue": RuleInfo(
        "a zone's approved area differs from the national catalogue's", "error", "R2",
        "use the catalogue's approved area (核准面积), or the later approval that changed it",
        todo_zh="采用目录中的核准面积,或改变该面积的后续批复"),
    "unknown_catalogue_code": RuleInfo(
        "a zone id shaped like a catalogue code is not in the national catalogue", "warning",
        "R2", "check the code ('parkgeo catalogue NAME' finds it)",
        todo_zh="核对代码(用“parkgeo catalogue 名称”查找)"),
    "ambiguous_catalogue_name": RuleInfo(
        "a zone's name matches several catalogue zones", "warning", "R2",
        "use the catalogue code as zone_id so the zone can be checked against the catalogue",
        todo_zh="以目录代码作为 zone_id,以便对照目录核查"),
    "approved_area_from_catalogue": RuleInfo(
        "a zone without an approved area took the national catalogue's", "info", "R2",
        "nothing to do; add approved_area_ha to the data to state it yourself",
        todo_zh="无需处理;如需自行填写,请在数据中加入 approved_area_ha"),
    # industries written as words
    "industry_unrecognised": RuleInfo(
        "an industry term maps to no GB/T 4754-2017 code", "warning", "R7",
        "write the term's GB/T 4754-2017 code, or a term 'parkgeo industries TERM' understands",
        todo_zh="改写为国民经济行业分类代码,或“parkgeo industries 词语”能识别的词语"),
}

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
            from ._context import NOUN_ZH

            layer = NOUN_ZH.get(self.layer, self.layer) if self.layer else None
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
