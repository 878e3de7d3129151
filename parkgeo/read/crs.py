"""Coordinate reference systems: the measuring CRS of each county, and CRS guesses for bare data.

Areas and distances are measured in the CGCS2000 3-degree Gauss-Kruger zone of the county's
longitude (EPSG:4534 for CM 75°E … EPSG:4554 for CM 135°E; Jiaxing: EPSG:4549), so data that
spans several zones — a province, the whole country — is measured per county in its own zone.
Never in degrees, never in Web Mercator. Every transform goes through pyproj (via geopandas).

Examples
--------
>>> gk_epsg_for_lon(120.75)
4549
>>> gk_epsg_for_lon(113.3)
4547
"""

from __future__ import annotations

import functools
import math
from dataclasses import dataclass

import numpy as np
import pandas as pd
import shapely
from pyproj import CRS, Transformer

from ..i18n import tr
from ..units import m2_to_mu

__all__ = [
    "GEOGRAPHIC_EPSG",
    "gk_epsg_for_lon",
    "guess_crs",
    "check_declared_crs",
    "lonlat_of",
    "GeometryFacts",
    "geometry_facts",
    "county_crs",
    "local_epsg",
    "areas_mu",
    "to_local",
    "reproject",
]

#: CGCS2000 geographic, the CRS parkgeo uses for lon/lat work
GEOGRAPHIC_EPSG = 4490
_GK3_FIRST_EPSG = 4534  # CGCS2000 / 3-degree Gauss-Kruger CM 75E
_GK3_FIRST_CM = 75
_GK3_ZONE_PREFIX_FIRST_EPSG = 4513  # CGCS2000 / 3-degree Gauss-Kruger zone 25
_GK6_ZONE_PREFIX_FIRST_EPSG = 4491  # CGCS2000 / Gauss-Kruger zone 13


def gk_epsg_for_lon(lon):
    """EPSG code of the CGCS2000 3-degree Gauss-Kruger zone (no zone prefix) for longitude ``lon``.

    Longitudes outside China's zones are clamped to the nearest zone (CM 75°E or 135°E).
    """
    cm = _GK3_FIRST_CM + 3 * round((float(lon) - _GK3_FIRST_CM) / 3.0)
    cm = min(max(cm, 75), 135)
    return _GK3_FIRST_EPSG + (cm - _GK3_FIRST_CM) // 3


def _ranges(bounds):
    minx, miny, maxx, maxy = bounds
    return minx, miny, maxx, maxy


def guess_crs(bounds, *, lang="en"):
    """Suggest the CRS of coordinates with no declared CRS, from their ranges.

    Parameters
    ----------
    bounds : tuple
        ``(minx, miny, maxx, maxy)`` of the layer.
    lang : {"en", "zh"}
        Language of the sentence.

    Returns
    -------
    (str or None, str)
        The suggested ``EPSG:code`` (None when no single code can be told) and a plain
        sentence explaining the guess.

    Examples
    --------
    >>> guess_crs((120.5, 30.5, 121.0, 30.9))[0]
    'EPSG:4490'
    >>> guess_crs((40_500_000, 3_380_000, 40_560_000, 3_420_000))[0]
    'EPSG:4528'
    """
    code, (case, *zone) = _guess_crs(bounds)
    return code, tr(f"crs.guess.{case}", lang, **({"zone": zone[0]} if zone else {}))


def _guess_crs(bounds):
    """:func:`guess_crs` as ``(code, (case, *arguments))``."""
    minx, miny, maxx, maxy = _ranges(bounds)
    if not all(map(math.isfinite, (minx, miny, maxx, maxy))):
        return None, ("none",)
    if 3 <= minx and maxx <= 54 and 73 <= miny and maxy <= 136:
        return None, ("latlon",)
    if -180 <= minx and maxx <= 180 and -90 <= miny and maxy <= 90:
        if 3 <= miny and maxy <= 54 and 73 <= minx and maxx <= 136:
            return "EPSG:4490", ("china",)
        return "EPSG:4326", ("lonlat",)
    # 3-degree or 6-degree Gauss-Kruger with the zone number in front of the easting (40xxxxxx)
    if 13e6 <= minx and maxx < 46e6 and 0 <= miny and maxy <= 6.5e6:
        zone = int(minx // 1e6)
        if zone == int(maxx // 1e6):
            if 25 <= zone <= 45:
                return f"EPSG:{_GK3_ZONE_PREFIX_FIRST_EPSG + zone - 25}", ("gk3", zone)
            if 13 <= zone <= 23:
                return f"EPSG:{_GK6_ZONE_PREFIX_FIRST_EPSG + zone - 13}", ("gk6", zone)
    # Gauss-Kruger without prefix: false easting 500 km
    if 0 <= minx and maxx <= 1e6 and 1e6 <= miny and maxy <= 6.5e6:
        return "EPSG:4549", ("gk",)
    if 0 <= miny and maxy <= 1e6 and 1e6 <= minx and maxx <= 6.5e6:
        return None, ("gk_swapped",)
    if 13e6 <= miny and maxy < 46e6 and 0 <= minx and maxx <= 6.5e6:
        return None, ("gk_prefix_swapped",)
    return None, ("unknown",)


def check_declared_crs(crs, bounds, *, lang="en"):
    """Return a plain sentence when the declared ``crs`` cannot be right for ``bounds``, else None.

    Catches the usual mistakes: projected coordinates labelled with a geographic CRS, and
    longitude/latitude swapped. ``lang="zh"``: the sentence in Chinese.
    """
    if crs is None:
        return None
    crs = CRS.from_user_input(crs)
    minx, miny, maxx, maxy = _ranges(bounds)
    if not all(map(math.isfinite, (minx, miny, maxx, maxy))):
        return None
    if crs.is_geographic:
        # swapped first: a latitude above 90 is China's longitude, not metres
        if 3 <= minx and maxx <= 54 and 73 <= miny and maxy <= 136 and not (
                73 <= minx and maxx <= 136):
            if lang == "zh":
                return (f"坐标系声明为 {crs.to_string()},但 X 范围为 {minx:.2f}–{maxx:.2f}、"
                        f"Y 范围为 {miny:.2f}–{maxy:.2f}:经度和纬度似乎互换了;请在 GIS 中互换 X、Y "
                        "后重新保存图层")
            return (f"the CRS says {crs.to_string()} but X runs {minx:.2f}–{maxx:.2f} and Y "
                    f"{miny:.2f}–{maxy:.2f}: longitude and latitude look swapped; swap X and "
                    "Y in your GIS and save the layer again")
        # a whole-world layer reaches ±180 with rounding noise (Natural Earth: 180.00000000000006)
        if max(abs(minx), abs(maxx)) > 180 + _DEG_EPS or max(abs(miny), abs(maxy)) > 90 + _DEG_EPS:
            guess, why = guess_crs(bounds, lang=lang)
            if lang == "zh":
                hint = f";{why}" + (f"——如果是,请用 --src-crs {guess} 改用该坐标系"
                                    if guess else "")
                return (f"坐标系声明为 {crs.to_string()}(度),但坐标达到 x={maxx:,.0f}、"
                        f"y={maxy:,.0f},这是米而不是度{hint}")
            hint = f"; {why}" + (f" — if so, pass --src-crs {guess} to use it instead"
                                 if guess else "")
            return (f"the CRS says {crs.to_string()} (degrees) but the coordinates reach "
                    f"x={maxx:,.0f}, y={maxy:,.0f}, which are metres, not degrees{hint}")
    return None


#: slack on ±180/±90 for coordinates in degrees (floating-point noise of world layers)
_DEG_EPS = 1e-6
#: longitudes the CGCS2000 3-degree Gauss-Kruger zones cover (CM 75°E … 135°E, ±1.5°), with
#: half a degree of slack in the west, where China's border runs at 73.50°E
GK_LON_RANGE = (73.0, 136.5)
#: latitudes of China with a margin: beyond them a feature is not in China's zones
_CHINA_LAT_RANGE = (0.0, 56.0)
#: how many features an outside_measured_zones message names
_NAMED = 6


def outside_measured_zones(frame, id_field=None, *, lang="en"):
    """A sentence naming the features of a layer in degrees that lie outside China's zones.

    parkgeo measures in the CGCS2000 3-degree Gauss-Kruger zones (central meridians 75–135°E);
    a feature reaching beyond 73–136.5°E or outside China's latitudes cannot be measured
    there. Returns None when every feature lies inside. ``lang="zh"``: the sentence in Chinese.
    """
    geoms = frame.geometry.values
    ok = ~(pd.isna(geoms) | shapely.is_empty(geoms))
    if not ok.any():
        return None
    b = shapely.bounds(geoms[ok])
    lo, hi = GK_LON_RANGE
    out = ((b[:, 0] < lo) | (b[:, 2] > hi) | (b[:, 1] < _CHINA_LAT_RANGE[0])
           | (b[:, 3] > _CHINA_LAT_RANGE[1]))
    if not out.any():
        return None
    rows = frame[ok][out]
    label_field = next((f for f in (id_field, "name", "NAME", "name_zh", "NAME_ZH", "ADMIN")
                        if f and f in rows.columns), None)
    if label_field is not None:
        labels = [str(v) for v in rows[label_field]]
    else:
        labels = [f"#{i}" for i in np.flatnonzero(ok)[out]]
    shown = ", ".join(labels[:_NAMED]) + (f" and {len(labels) - _NAMED} more"
                                           if len(labels) > _NAMED else "")
    if lang == "zh":
        shown = "、".join(labels[:_NAMED]) + (f" 等 {len(labels)} 个" if len(labels) > _NAMED
                                              else "")
        crs = frame.crs.to_string() if frame.crs is not None else "度"
        return (f"该图层以度为单位({crs}),但 {int(ok.sum())} 个要素中有 {len(labels)} 个位于 "
                f"parkgeo 量算所用的高斯-克吕格分带(东经 73–135°,中国)之外:{shown};"
                "请只保留中国境内的要素(在 GIS 中裁剪或选择)")
    crs = frame.crs.to_string() if frame.crs is not None else "degrees"
    return (f"the layer is in degrees ({crs}), but {len(labels)} of {int(ok.sum())} features lie "
            f"outside the Gauss–Krüger zones parkgeo measures in (73–135°E, China): {shown}; "
            "keep only the features in China (clip or select them in your GIS)")


def lonlat_of(geoms, crs):
    """Longitude/latitude (CGCS2000) of a representative point of each geometry.

    Returns two numpy arrays; NaN for missing or empty geometries.
    """
    geoms = np.asarray(geoms, dtype=object)
    pts = shapely.point_on_surface(geoms)
    if crs is not None:
        pts = reproject(pts, crs, GEOGRAPHIC_EPSG)
    x = shapely.get_x(pts)
    y = shapely.get_y(pts)
    return np.asarray(x, dtype=float), np.asarray(y, dtype=float)


@functools.lru_cache(maxsize=256)
def _crs_of(value):
    """``CRS.from_user_input`` of an EPSG code or a CRS string, built once per value."""
    return CRS.from_user_input(value)


@functools.lru_cache(maxsize=256)
def _transformer(src, dst):
    """The pyproj transformer ``GeoSeries.to_crs`` uses from ``src`` to ``dst`` (both CRS),
    made once (pyproj gives each thread its own copy of the transformation)."""
    return Transformer.from_crs(src, dst, always_xy=True)


def reproject(geoms, src_crs, dst_crs):
    """``geoms`` (a numpy array of geometries) from ``src_crs`` to ``dst_crs`` (EPSG codes,
    strings or CRS): the coordinates ``GeoSeries(geoms, crs=src_crs).to_crs(dst_crs)`` gives,
    to the bit, with one pyproj call on all of them and no GeoSeries around them.

    Returns ``geoms`` itself when the two CRS are equal.

    >>> import shapely
    >>> p = reproject(np.array([shapely.Point(120, 30)]), 4490, 4549)[0]
    >>> round(p.x), round(p.y)
    (500000, 3320113)
    """
    geoms = np.asarray(geoms, dtype=object)
    src = src_crs if isinstance(src_crs, CRS) else _crs_of(
        int(src_crs) if isinstance(src_crs, np.integer) else src_crs)
    dst = dst_crs if isinstance(dst_crs, CRS) else _crs_of(
        int(dst_crs) if isinstance(dst_crs, np.integer) else dst_crs)
    if len(geoms) == 0 or src == dst:
        return geoms
    if shapely.has_z(geoms).any():  # rare: let geopandas carry the z coordinates along
        import geopandas as gpd

        return np.asarray(gpd.GeoSeries(geoms, crs=src).to_crs(dst).values, dtype=object)
    xy = shapely.get_coordinates(geoms)
    x, y = _transformer(src, dst).transform(xy[:, 0], xy[:, 1])
    xy[:, 0], xy[:, 1] = x, y
    return shapely.set_coordinates(geoms.copy(), xy)


@dataclass(frozen=True)
class GeometryFacts:
    """What the later stages ask of every polygon layer's geometries, worked out once.

    Attributes
    ----------
    valid : numpy.ndarray
        GEOS validity of each polygonal, non-empty geometry; True for every other row.
    lon, lat : numpy.ndarray or None
        A representative point of each non-empty geometry in lon/lat (:func:`lonlat_of`); NaN
        for missing and empty ones. None when GEOS or PROJ refused the layer's geometries
        (each stage then works them out itself, as it would without facts).
    coverage : Future or None
        For the counties layer, of ``(rows, edges)``: the positions of the valid polygons and
        ``shapely.coverage_invalid_edges`` of them, worked out early for
        :mod:`parkgeo.validate`'s coverage check; None otherwise.
    local : Future or None
        Of ``(codes, geometries)``: each valid polygon projected to the Gauss-Kruger zone of
        its own representative point (``codes``, 0 where not projected), worked out early by
        :mod:`parkgeo.validate`, which uses a row's projection when the row is measured in
        that zone.
    """

    valid: np.ndarray
    lon: np.ndarray | None
    lat: np.ndarray | None
    coverage: object = None
    local: object = None


def geometry_facts(geoms, crs):
    """The :class:`GeometryFacts` of a layer's geometries (an array) in ``crs``: GEOS and PROJ
    work, no Python per row.

    >>> import shapely
    >>> f = geometry_facts(np.array([shapely.box(120, 30, 121, 31), None]), "EPSG:4490")
    >>> f.valid.tolist(), f.lon[0], bool(np.isnan(f.lon[1]))
    ([True, True], 120.5, True)
    """
    geoms = np.asarray(geoms, dtype=object)
    n = len(geoms)
    type_id = shapely.get_type_id(geoms)
    empty = (type_id == -1) | np.asarray(shapely.is_empty(geoms), dtype=bool)
    polygonal = np.isin(type_id, (3, 6)) & ~empty
    valid = np.ones(n, dtype=bool)
    if polygonal.any():
        valid[polygonal] = shapely.is_valid(geoms[polygonal])
    lon = lat = None
    if crs is not None:
        try:
            lon, lat = np.full(n, np.nan), np.full(n, np.nan)
            if (~empty).any():
                lon[~empty], lat[~empty] = lonlat_of(geoms[~empty], crs)
        except Exception:  # noqa: BLE001 — whoever needs the points meets the error itself
            lon = lat = None
    return GeometryFacts(valid=valid, lon=lon, lat=lat)


def county_crs(layers, *, county_field="county", facts=None):
    """The measuring CRS (EPSG code) of every county named in ``layers``.

    Taken from the ``counties`` layer's polygon where there is one, else from the median
    longitude of the county's zones and parks.

    Parameters
    ----------
    layers : mapping of str to GeoDataFrame
        At least ``zones`` or ``parks``; ``counties`` is used when present.
    facts : mapping of str to GeometryFacts, optional
        The layers' representative points, when already worked out (:func:`geometry_facts`).

    Returns
    -------
    dict
        ``{county name: EPSG code}``.
    """
    facts = facts or {}

    def lon_of(key, frame, ok):
        known = facts.get(key)
        if known is not None and known.lon is not None and len(known.lon) == len(frame):
            return known.lon[np.asarray(ok)]
        return lonlat_of(frame.geometry.values[np.asarray(ok)], frame.crs)[0]

    out = {}
    counties = layers.get("counties")
    if counties is not None and len(counties) and "name" in counties and counties.crs is not None:
        ok = ~counties.geometry.isna() & ~counties.geometry.is_empty
        lon = lon_of("counties", counties, ok)
        for name, x in zip(counties["name"][ok], lon, strict=True):
            if isinstance(name, str) and math.isfinite(x):
                out.setdefault(name, gk_epsg_for_lon(x))
    names, lons = [], []
    for key in ("zones", "parks"):
        frame = layers.get(key)
        if frame is None or not len(frame) or county_field not in frame or frame.crs is None:
            continue
        ok = ~frame.geometry.isna() & ~frame.geometry.is_empty  # isna: notna() warns on empties
        names.append(frame[county_field][ok].to_numpy(dtype=object))
        lons.append(np.asarray(lon_of(key, frame, ok), dtype=float))
    if names:
        # the median longitude of each county's features, all counties at once: sorted by
        # county (in order of first appearance) and longitude, the middle one or two of each
        name, lon = np.concatenate(names), np.concatenate(lons)
        keep = np.isfinite(lon) & np.array([isinstance(v, str) for v in name], dtype=bool)
        codes, distinct = pd.factorize(name[keep])
        lon = lon[keep]
        order = np.lexsort((lon, codes))
        lon = lon[order]
        counts = np.bincount(codes, minlength=len(distinct))
        starts = np.cumsum(counts) - counts
        lo = lon[starts + (counts - 1) // 2]
        hi = lon[starts + counts // 2]
        median = np.where(counts % 2 == 1, hi, (lo + hi) / 2)  # as numpy.median computes it
        for county, x in zip(distinct, median, strict=True):
            if county not in out:
                out[county] = gk_epsg_for_lon(float(x))
    return out


def local_epsg(frame, crs_by_county=None, *, county_field="county"):
    """EPSG code of the measuring CRS of each row of ``frame`` (a Series on its index).

    Rows whose county has an entry in ``crs_by_county`` use it; the others use the zone of
    their own longitude.
    """
    crs_by_county = crs_by_county or {}
    codes = np.zeros(len(frame), dtype=int)
    todo = np.ones(len(frame), dtype=bool)
    if county_field in frame:
        mapped = frame[county_field].map(crs_by_county)
        known = mapped.notna().to_numpy()
        codes[known] = mapped[known].astype(int).to_numpy()
        todo = ~known
    if todo.any():  # the zone of each remaining row's own longitude
        lon, _ = lonlat_of(frame.geometry.values[todo], frame.crs)
        codes[todo] = [gk_epsg_for_lon(x) if math.isfinite(x) else 0 for x in lon]
    return pd.Series(codes, index=frame.index, name="epsg")


def to_local(frame, epsg):
    """``frame`` reprojected (pyproj, via geopandas) to EPSG ``epsg``."""
    return frame.to_crs(epsg)


def areas_mu(frame, crs_by_county=None, *, county_field="county"):
    """Area of each feature in mu, each measured in its county's Gauss-Kruger zone.

    Returns a float Series on ``frame``'s index (NaN for missing geometries).

    Examples
    --------
    >>> import geopandas as gpd, shapely
    >>> sq = shapely.box(500000, 3400000, 501000, 3401000)   # 1 km² in EPSG:4549
    >>> g = gpd.GeoDataFrame({"county": ["a"]}, geometry=[sq], crs=4549)
    >>> round(float(areas_mu(g).iloc[0]))
    1500
    """
    out = pd.Series(np.nan, index=frame.index, name="area_mu", dtype=float)
    if not len(frame):
        return out
    codes = local_epsg(frame, crs_by_county, county_field=county_field)
    for code in codes.unique():
        if code == 0:
            continue
        rows = codes.index[codes == code]
        sub = frame.loc[rows]
        if sub.crs is not None and sub.crs.to_epsg() == int(code):
            projected = sub.geometry
        else:
            projected = sub.geometry.to_crs(int(code))
        out.loc[rows] = m2_to_mu(projected.area.to_numpy())
    return out


def missing_crs_problem(layer, bounds):
    """The ``missing_crs`` error of a layer without a CRS, with the CRS its coordinates suggest.

    >>> missing_crs_problem("zones", (500000, 3400000, 510000, 3410000)).rule
    'missing_crs'
    """
    from .fields import Problem

    guess, why = guess_crs(bounds)
    fix = f"declare it with --src-crs {guess}" if guess else \
        "declare it with --src-crs EPSG:<code>"
    fix_zh = f"请用 --src-crs {guess} 声明" if guess else "请用 --src-crs EPSG:<代码> 声明"
    return Problem("missing_crs", layer, None, None, "error",
                   f"the layer has no CRS; {why} — {fix}",
                   f"该图层没有坐标系;{guess_crs(bounds, lang='zh')[1]}——{fix_zh}")
