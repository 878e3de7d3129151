"""What every check needs: each layer's geometries prepared once, and a collector of findings.

A layer's geometries are prepared in three coordinate systems:

- ``raw``: as read, in the layer's own CRS (for GEOS validity and messages in the user's units);
- ``src``: the measurable geometry (polygonal, repaired with ``make_valid`` where invalid) in the
  dataset's *common* CRS, so that one STRtree can hold features of every county;
- ``local``: the same geometry in the feature's county Gauss-Kruger CRS (grouped by EPSG code,
  one pyproj transform per group), where every area and distance is measured.

Findings are collected with their location in whatever CRS they were computed in and turned
into lon/lat (EPSG:4490) in one batch per CRS at the end.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from pyproj import CRS

from ..i18n import tr_or
from ..read.crs import GEOGRAPHIC_EPSG, reproject
from ..read.fields import ID_FIELD
from ..units import m2_to_mu
from .findings import RULES, Finding

#: layers whose features must be polygons
POLYGON_LAYERS = ("zones", "parks", "counties", "protected", "plots", "development_boundary")
#: the county field of each layer (for the measuring CRS); other layers use their own longitude
COUNTY_FIELD = {"zones": "county", "parks": "county", "counties": "name"}

_GK3_FIRST_EPSG, _GK3_FIRST_CM = 4534, 75


def gk_epsg_array(lon):
    """Vectorised :func:`parkgeo.read.crs.gk_epsg_for_lon` (0 where ``lon`` is NaN).

    The same formula, applied to a whole array at once: the per-feature call is the slow part
    at nation scale.
    """
    lon = np.asarray(lon, dtype=float)
    ok = np.isfinite(lon)
    zone = np.clip(np.round((np.where(ok, lon, _GK3_FIRST_CM) - _GK3_FIRST_CM) / 3.0), 0, 20)
    return np.where(ok, _GK3_FIRST_EPSG + zone.astype(int), 0)


def project(geoms, src_crs, dst_crs):
    """``geoms`` (a numpy array) from ``src_crs`` to ``dst_crs`` (EPSG code or CRS) with pyproj
    (:func:`parkgeo.read.crs.reproject`)."""
    return reproject(geoms, src_crs, dst_crs)


def fmt_mu(mu):
    """``1,234.5 mu`` (two decimals below 10 mu, so slivers and small overlaps read right)."""
    if mu < 10:
        return f"{mu:,.2f} mu"
    return f"{mu:,.1f} mu"


def fmt_mu_zh(mu):
    """:func:`fmt_mu` in Chinese: ``1,234.5 亩``."""
    return fmt_mu(mu)[:-2] + "亩"


def fmt_ha(ha):
    return f"{ha:,.2f} ha" if ha < 10 else f"{ha:,.1f} ha"


def fmt_ha_zh(ha):
    """:func:`fmt_ha` in Chinese: ``12.5 公顷``."""
    return fmt_ha(ha)[:-2] + "公顷"


def fmt_share(share):
    pct = share * 100
    if pct >= 10:
        return f"{pct:.0f}%"
    if pct >= 1:
        return f"{pct:.1f}%"
    return f"{pct:.2f}%"


@dataclass
class LayerGeoms:
    """One layer's geometries, prepared for measuring (see the module docstring)."""

    name: str
    frame: gpd.GeoDataFrame
    ids: np.ndarray
    names: np.ndarray
    raw: np.ndarray
    crs: CRS | None
    type_id: np.ndarray
    empty: np.ndarray
    valid: np.ndarray
    measurable: np.ndarray
    repaired: np.ndarray
    src: np.ndarray
    lon: np.ndarray
    lat: np.ndarray
    epsg: np.ndarray
    local: np.ndarray
    area_mu: np.ndarray
    common_crs: object = None
    #: the reader's :class:`~parkgeo.read.crs.GeometryFacts` of the layer, when it had them
    facts: object = field(default=None, repr=False)
    _lookup: dict | None = field(default=None, repr=False)

    def __len__(self):
        return len(self.ids)

    @property
    def noun(self):
        return tr_or(f"validate.noun.{self.name}", "en", "feature")

    def label(self, i):
        """``zone Z1 (嘉兴经济技术开发区)`` for messages."""
        name = self.names[i]
        return f"{self.noun} {self.ids[i]}" + (f" ({name})" if name else "")

    @property
    def noun_zh(self):
        return tr_or(f"validate.noun.{self.name}", "zh", "要素")

    def label_zh(self, i):
        """``开发区 Z1(嘉兴经济技术开发区)`` for Chinese messages."""
        name = self.names[i]
        return f"{self.noun_zh} {self.ids[i]}" + (f"({name})" if name else "")

    def index_of(self, feature_id):
        """Position of the first feature with id ``feature_id`` (``#n`` means position n)."""
        if feature_id is None:
            return None
        if self._lookup is None:
            self._lookup = {}
            for i, v in enumerate(self.ids):
                self._lookup.setdefault(v, i)
        i = self._lookup.get(str(feature_id))
        if i is None and str(feature_id).startswith("#"):
            try:
                i = int(str(feature_id)[1:])
            except ValueError:
                return None
            if not 0 <= i < len(self.ids):
                return None
        return i


def feature_ids(frame, layer):
    """Feature ids as text: the id field, else ``name``, else ``#n`` (as the reader does)."""
    id_field = ID_FIELD.get(layer)
    for col in (id_field, "name" if layer in ("protected",) else None):
        if col and col in frame:
            values = frame[col].astype(object).to_numpy().tolist()
            out = np.empty(len(values), dtype=object)
            # ids are text (the reader trimmed them): that case first
            out[:] = [text if (text := (v.strip() or None) if type(v) is str else _id_text(v))
                      is not None else f"#{i}" for i, v in enumerate(values)]
            return out
    out = np.empty(len(frame), dtype=object)
    out[:] = [f"#{i}" for i in range(len(frame))]
    return out


def _id_text(v):
    """An id value as text, None when empty (``3.0`` is ``3``)."""
    if v is None or (isinstance(v, float) and math.isnan(v)) or v is pd.NA:
        return None
    if isinstance(v, float) and v.is_integer():
        v = int(v)
    return str(v).strip() or None


def feature_names(frame, layer):
    n = len(frame)
    if layer in ("zones", "parks") and "name" in frame:
        return np.array([v if isinstance(v, str) and v.strip() else ""
                         for v in frame["name"].to_numpy(dtype=object).tolist()], dtype=object)
    if layer == "protected" and "kind" in frame:
        return np.array([v if isinstance(v, str) else ""
                         for v in frame["kind"].to_numpy(dtype=object).tolist()], dtype=object)
    return np.full(n, "", dtype=object)


def polygonal_parts(geoms):
    """The polygonal part of each geometry (collections, repaired geometries); None if none."""
    geoms = np.asarray(geoms, dtype=object)
    out = np.full(len(geoms), None, dtype=object)
    if not len(geoms):
        return out
    tid = shapely.get_type_id(geoms)
    out[np.isin(tid, (3, 6))] = geoms[np.isin(tid, (3, 6))]
    other = np.flatnonzero(~np.isin(tid, (-1, 3, 6)))
    if len(other):
        parts, idx = shapely.get_parts(geoms[other], return_index=True)
        keep = np.isin(shapely.get_type_id(parts), (3, 6))
        parts, idx = parts[keep], idx[keep]
        if len(parts):
            groups, starts = np.unique(idx, return_index=True)
            for j, polys in zip(groups, np.split(parts, starts[1:]), strict=True):
                merged = shapely.union_all(polys) if len(polys) > 1 else polys[0]
                if not shapely.is_empty(merged):
                    out[other[j]] = merged
    return out


def prepare_layer(frame, layer, *, common_crs, crs_by_county, usable_crs, facts=None):
    """Prepare one polygon layer's geometries (see :class:`LayerGeoms`).

    ``facts``: the layer's :class:`~parkgeo.read.crs.GeometryFacts` when the reader has them
    (validity and the representative points of the geometries as read are then not worked out
    again).
    """
    n = len(frame)
    raw = np.asarray(frame.geometry.values, dtype=object) if n else np.empty(0, dtype=object)
    crs = frame.crs
    type_id = shapely.get_type_id(raw) if n else np.empty(0, dtype=int)
    empty = (type_id == -1) | np.asarray(shapely.is_empty(raw), dtype=bool) if n else \
        np.empty(0, dtype=bool)
    polygonal = np.isin(type_id, (3, 6)) & ~empty
    if facts is not None and len(facts.valid) != n:
        facts = None
    valid = np.ones(n, dtype=bool)
    if polygonal.any():
        valid[polygonal] = facts.valid[polygonal] if facts is not None else \
            shapely.is_valid(raw[polygonal])
    meas = np.full(n, None, dtype=object)
    meas[polygonal & valid] = raw[polygonal & valid]
    repaired = np.zeros(n, dtype=bool)
    fix = (~empty) & ~(polygonal & valid)
    if fix.any():
        # invalid polygons and collections are measured on a repaired copy (never written back);
        # every message about such a feature says so
        fixed = polygonal_parts(shapely.make_valid(polygonal_parts(raw[fix])))
        fixed = np.where(pd.isna(fixed), None, fixed)
        ok = np.array([g is not None and not shapely.is_empty(g) for g in fixed], dtype=bool)
        where = np.flatnonzero(fix)
        meas[where[ok]] = fixed[ok]
        repaired[where[ok]] = True
    measurable = np.array([g is not None for g in meas], dtype=bool) if n else \
        np.empty(0, dtype=bool)
    if not usable_crs:
        measurable[:] = False
    src = np.full(n, None, dtype=object)
    lon = np.full(n, np.nan)
    lat = np.full(n, np.nan)
    epsg = np.zeros(n, dtype=int)
    local = np.full(n, None, dtype=object)
    area = np.full(n, np.nan)
    if measurable.any():
        m = np.flatnonzero(measurable)
        src[m] = project(meas[m], crs, common_crs)
        # the representative points of the geometries as read are the reader's; those of
        # repaired copies are worked out here
        as_read = np.zeros(len(m), dtype=bool)
        if facts is not None and facts.lon is not None:
            as_read = polygonal[m] & valid[m]
            lon[m[as_read]] = facts.lon[m[as_read]]
            lat[m[as_read]] = facts.lat[m[as_read]]
        rest = m[~as_read]
        if len(rest):
            pts = shapely.point_on_surface(meas[rest])
            geo = project(pts, crs, GEOGRAPHIC_EPSG)
            lon[rest] = shapely.get_x(geo)
            lat[rest] = shapely.get_y(geo)
        own = gk_epsg_array(lon[m])
        cf = COUNTY_FIELD.get(layer)
        if cf and cf in frame and crs_by_county:
            mapped = frame[cf].iloc[m].map(crs_by_county)
            codes = np.where(mapped.notna(), mapped.fillna(0).to_numpy(dtype=float), own)
            codes = codes.astype(int)
        else:
            codes = own
        # coordinates that do not transform to a place on Earth cannot be measured
        lost = codes == 0
        measurable[m[lost]] = False
        src[m[lost]] = None
        m, codes = m[~lost], codes[~lost]
        epsg[m] = codes
        early_codes, early_local = _early_local(facts, n)
        for code in np.unique(codes):
            rows = m[codes == code]
            if early_codes is not None:
                # projected early where the row's own zone is its county's (geometry as read)
                done = rows[(early_codes[rows] == code) & polygonal[rows] & valid[rows]]
                local[done] = early_local[done]
                rows = np.setdiff1d(rows, done, assume_unique=True)
            if len(rows):
                local[rows] = project(meas[rows], crs, int(code))
        area[m] = m2_to_mu(shapely.area(local[m]))
        # a transform that yields infinities (coordinates far outside the CRS's area)
        lost = m[~np.isfinite(area[m])]
        measurable[lost] = False
        src[lost] = local[lost] = None
    return LayerGeoms(
        name=layer, frame=frame, ids=feature_ids(frame, layer),
        names=feature_names(frame, layer), raw=raw,
        crs=crs, type_id=type_id, empty=empty, valid=valid, measurable=measurable,
        repaired=repaired, src=src, lon=lon, lat=lat, epsg=epsg, local=local, area_mu=area,
        common_crs=common_crs, facts=facts)


def _early_local(facts, n):
    """The early projections of :class:`~parkgeo.read.crs.GeometryFacts` (``local``), or
    ``(None, None)`` when there are none (or working them out failed: done here then)."""
    future = getattr(facts, "local", None)
    if future is None:
        return None, None
    try:
        codes, local = future.result()
    except Exception:  # noqa: BLE001 — projected here instead, meeting any error itself
        return None, None
    if len(codes) != n:
        return None, None
    return codes, local


def overlay(func, left, right):
    """``func(left, right)`` (a shapely set operation) pairwise, robust to GEOS failures.

    Vectorised first; when GEOS raises (a topology exception on nearly coincident edges), pair
    by pair, and a failing pair again on a 1 mm grid (``grid_size``, in the metres of the
    Gauss-Kruger CRS), which changes the measured areas by far less than any reported digit.
    """
    try:
        return func(left, right)
    except shapely.errors.GEOSException:
        out = np.empty(len(left), dtype=object)
        for k, (g1, g2) in enumerate(zip(left, right, strict=True)):
            try:
                out[k] = func(g1, g2)
            except shapely.errors.GEOSException:
                out[k] = func(g1, g2, grid_size=0.001)
        return out


def same_crs_pairs(a, ia, b, ib):
    """Geometries of pairs ``(a[ia], b[ib])`` in one CRS: the left feature's local CRS.

    Returns ``(left, right, epsg)`` arrays. Right features measured in another Gauss-Kruger zone
    (pairs across a zone border) are projected from the common CRS into the left one's.
    """
    left = a.local[ia]
    right = b.local[ib].copy()
    codes = a.epsg[ia]
    differ = np.flatnonzero(b.epsg[ib] != codes)
    if len(differ):
        common = a.common_crs
        for code in np.unique(codes[differ]):
            rows = differ[codes[differ] == code]
            right[rows] = project(b.src[ib[rows]], common, int(code))
    return left, right, codes


@dataclass
class _Pending:
    rule: str
    layer: str | None
    id: str | None
    severity: str
    message: str
    field: str | None
    value: float | None
    unit: str | None
    other: str | None
    at: object  # a geometry whose representative point locates the finding
    at_crs: object
    geometry: object  # offending geometry, or None
    geometry_crs: object
    message_zh: str = ""


@dataclass
class Collector:
    """Gathers findings with their locations; :meth:`finish` turns them into lon/lat Findings."""

    pending: list = field(default_factory=list)
    notes: list = field(default_factory=list)
    notes_zh: list = field(default_factory=list)

    def add(self, rule, layer, id, message, *, severity=None, field=None, value=None,
            unit=None, other=None, at=None, at_crs=None, geometry=None, geometry_crs=None,
            message_zh=""):
        """Add one finding. ``at``/``geometry`` are in ``at_crs``/``geometry_crs``;
        ``message_zh`` is ``message`` in Chinese, from the same figures."""
        if severity is None:
            severity = RULES[rule].severity if rule in RULES else "error"
        if at is None and geometry is not None:
            at, at_crs = geometry, geometry_crs
        self.pending.append(_Pending(rule, layer, None if id is None else str(id), severity,
                                     message, field, value, unit, other, at, at_crs, geometry,
                                     geometry_crs, message_zh))

    def extend(self, other):
        """Add everything ``other`` (another Collector) gathered, in its order."""
        self.pending.extend(other.pending)
        for text, text_zh in zip(other.notes, other.notes_zh, strict=True):
            self.note(text, text_zh)

    def note(self, text, text_zh):
        """A check that could not run, or how a measurement was taken, in both languages."""
        if text not in self.notes:
            self.notes.append(text)
            self.notes_zh.append(text_zh)

    def finish(self):
        """The findings, each located in lon/lat (EPSG:4490)."""
        n = len(self.pending)
        xs = np.full(n, np.nan)
        ys = np.full(n, np.nan)
        geoms = np.full(n, None, dtype=object)
        # one batch per CRS: representative points, then offending geometries
        names = {}  # CRS objects and EPSG codes are hashable: name each once
        for attr, crs_attr in (("at", "at_crs"), ("geometry", "geometry_crs")):
            groups = {}
            for k, p in enumerate(self.pending):
                g = getattr(p, attr)
                crs = getattr(p, crs_attr)
                if g is None or crs is None:
                    continue
                key = names.get(crs)
                if key is None:
                    key = names[crs] = CRS.from_user_input(crs).to_string()
                groups.setdefault(key, []).append(k)
            for key, rows in groups.items():
                rows = np.asarray(rows)
                gs = np.array([getattr(self.pending[k], attr) for k in rows], dtype=object)
                if attr == "at":
                    pts = _representative_points(gs)
                    geo = project(pts, key, GEOGRAPHIC_EPSG)
                    # an empty geometry has no location (GEOS refuses get_x on an empty point)
                    ok = ~shapely.is_empty(geo) & ~shapely.is_missing(geo)
                    xs[rows[ok]] = shapely.get_x(geo[ok])
                    ys[rows[ok]] = shapely.get_y(geo[ok])
                else:
                    geoms[rows] = project(gs, key, GEOGRAPHIC_EPSG)
        out = []
        for k, p in enumerate(self.pending):
            x = float(xs[k]) if math.isfinite(xs[k]) else None
            y = float(ys[k]) if math.isfinite(ys[k]) else None
            out.append(Finding(rule=p.rule, layer=p.layer, id=p.id, severity=p.severity,
                               message=p.message, field=p.field, x=x, y=y,
                               value=None if p.value is None else float(p.value), unit=p.unit,
                               other=p.other, geometry=geoms[k], message_zh=p.message_zh))
        return out


def _representative_points(geoms):
    """A point on each geometry; a point on its boundary where GEOS refuses (invalid input)."""
    out = np.full(len(geoms), None, dtype=object)
    tid = shapely.get_type_id(geoms)
    is_point = tid == 0
    out[is_point] = geoms[is_point]
    rest = np.flatnonzero(~is_point & (tid >= 0))
    if len(rest):
        try:
            out[rest] = shapely.point_on_surface(geoms[rest])
        except shapely.errors.GEOSException:
            for k in rest:
                try:
                    out[k] = shapely.point_on_surface(geoms[k])
                except shapely.errors.GEOSException:
                    out[k] = shapely.get_point(shapely.get_exterior_ring(geoms[k]), 0) \
                        if shapely.get_type_id(geoms[k]) == 3 else shapely.centroid(geoms[k])
    return out
