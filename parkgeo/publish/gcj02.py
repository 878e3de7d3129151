"""WGS84 → GCJ-02, the offset coordinate system of Gaode (AMap) tiles.

GCJ-02 is not a geodetic datum: it is an obfuscation prescribed for Chinese maps, so no EPSG
code exists and pyproj/PROJ cannot do it. This is the widely published algorithm (the one in
``eviltransform``, ``prcoords`` and ``coordtransform``), vectorised with numpy. It is used only at
render time, on a copy of the display geometry, when the basemap is ``gaode``; no output data is
ever written in GCJ-02.

Outside mainland China the algorithm is the identity, as the published implementations do.
"""

from __future__ import annotations

import numpy as np
import shapely

__all__ = ["wgs84_to_gcj02", "shift_geometries", "out_of_china"]

_A = 6378245.0  # Krasovsky 1940 semi-major axis used by the algorithm
_EE = 0.00669342162296594323  # its first eccentricity squared


def out_of_china(lon, lat):
    """True where a WGS84 position lies outside the rectangle the algorithm shifts."""
    lon = np.asarray(lon, dtype=float)
    lat = np.asarray(lat, dtype=float)
    return (lon < 72.004) | (lon > 137.8347) | (lat < 0.8293) | (lat > 55.8271)


def _d_lat(x, y):
    ret = -100.0 + 2.0 * x + 3.0 * y + 0.2 * y * y + 0.1 * x * y + 0.2 * np.sqrt(np.abs(x))
    ret += (20.0 * np.sin(6.0 * x * np.pi) + 20.0 * np.sin(2.0 * x * np.pi)) * 2.0 / 3.0
    ret += (20.0 * np.sin(y * np.pi) + 40.0 * np.sin(y / 3.0 * np.pi)) * 2.0 / 3.0
    ret += (160.0 * np.sin(y / 12.0 * np.pi) + 320.0 * np.sin(y * np.pi / 30.0)) * 2.0 / 3.0
    return ret


def _d_lon(x, y):
    ret = 300.0 + x + 2.0 * y + 0.1 * x * x + 0.1 * x * y + 0.1 * np.sqrt(np.abs(x))
    ret += (20.0 * np.sin(6.0 * x * np.pi) + 20.0 * np.sin(2.0 * x * np.pi)) * 2.0 / 3.0
    ret += (20.0 * np.sin(x * np.pi) + 40.0 * np.sin(x / 3.0 * np.pi)) * 2.0 / 3.0
    ret += (150.0 * np.sin(x / 12.0 * np.pi) + 300.0 * np.sin(x / 30.0 * np.pi)) * 2.0 / 3.0
    return ret


def wgs84_to_gcj02(lon, lat):
    """Shift WGS84 longitudes/latitudes (degrees; scalars or arrays) to GCJ-02.

    Returns ``(lon, lat)`` as float arrays of the input's shape.

    Examples
    --------
    >>> lon, lat = wgs84_to_gcj02(120.75, 30.75)   # Jiaxing: shifted by some hundreds of metres
    >>> round(float(lon) - 120.75, 4), round(float(lat) - 30.75, 4)
    (0.0043, -0.0023)
    """
    lon = np.asarray(lon, dtype=float)
    lat = np.asarray(lat, dtype=float)
    x = lon - 105.0
    y = lat - 35.0
    rad_lat = lat / 180.0 * np.pi
    magic = 1.0 - _EE * np.sin(rad_lat) ** 2
    sqrt_magic = np.sqrt(magic)
    d_lat = (_d_lat(x, y) * 180.0) / ((_A * (1.0 - _EE)) / (magic * sqrt_magic) * np.pi)
    d_lon = (_d_lon(x, y) * 180.0) / (_A / sqrt_magic * np.cos(rad_lat) * np.pi)
    outside = out_of_china(lon, lat)
    return np.where(outside, lon, lon + d_lon), np.where(outside, lat, lat + d_lat)


def _shift_coords(coords):
    lon, lat = wgs84_to_gcj02(coords[:, 0], coords[:, 1])
    return np.column_stack([lon, lat])


def shift_geometries(geoms):
    """Shifted copies of WGS84 shapely geometries (array-like or GeoSeries) in GCJ-02.

    A GeoSeries comes back as a GeoSeries on the same index (its CRS label is kept: GCJ-02 has
    no CRS of its own, the frame is only used for drawing).
    """
    try:
        import geopandas as gpd
    except ImportError:  # pragma: no cover - geopandas is a dependency
        gpd = None
    if gpd is not None and isinstance(geoms, gpd.GeoSeries):
        return gpd.GeoSeries(shapely.transform(geoms.values, _shift_coords),
                             index=geoms.index, crs=geoms.crs)
    return shapely.transform(np.asarray(geoms, dtype=object), _shift_coords)
