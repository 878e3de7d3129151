"""WGS84 → GCJ-02 against the published reference implementation (prcoords)."""

from __future__ import annotations

import numpy as np
import pytest
import shapely
from pyproj import Geod

from parkgeo.publish.gcj02 import out_of_china, shift_geometries, wgs84_to_gcj02

prcoords = pytest.importorskip("prcoords",
                               reason="install the test extra: pip install -e '.[test]'")
GEOD = Geod(ellps="WGS84")


def _reference(lon, lat):
    c = prcoords.wgs_gcj(prcoords.Coords(lat, lon), True)
    return c.lon, c.lat


@pytest.mark.parametrize("lon, lat", [
    (120.755, 30.746), (121.34, 30.52), (116.397, 39.908), (113.264, 23.129),
    (87.617, 43.793), (126.63, 45.75), (109.5, 18.25), (104.06, 30.67),
])
def test_matches_reference_within_a_metre(lon, lat):
    glon, glat = wgs84_to_gcj02(lon, lat)
    rlon, rlat = _reference(lon, lat)
    _, _, dist = GEOD.inv(float(glon), float(glat), rlon, rlat)
    assert dist < 1.0
    # and the shift itself is real (hundreds of metres), so the test can fail
    _, _, shift = GEOD.inv(lon, lat, float(glon), float(glat))
    assert 50 < shift < 1000


def test_vectorised_over_a_grid_of_zhejiang():
    lon, lat = np.meshgrid(np.linspace(118.0, 123.0, 21), np.linspace(27.0, 31.2, 17))
    glon, glat = wgs84_to_gcj02(lon.ravel(), lat.ravel())
    ref = np.array([_reference(a, b) for a, b in zip(lon.ravel(), lat.ravel(), strict=False)])
    _, _, dist = GEOD.inv(glon, glat, ref[:, 0], ref[:, 1])
    assert dist.max() < 1.0


def test_outside_china_is_unchanged():
    lon, lat = wgs84_to_gcj02([2.35, -74.0], [48.85, 40.7])
    assert np.allclose(lon, [2.35, -74.0]) and np.allclose(lat, [48.85, 40.7])
    assert out_of_china(2.35, 48.85) and not out_of_china(120.7, 30.7)


def test_shift_geometries_moves_every_vertex_and_keeps_shape():
    poly = shapely.box(120.70, 30.70, 120.71, 30.71)
    (shifted,) = shift_geometries([poly])
    src = shapely.get_coordinates(poly)
    dst = shapely.get_coordinates(shifted)
    expect = np.column_stack(wgs84_to_gcj02(src[:, 0], src[:, 1]))
    assert np.allclose(dst, expect)
    assert shifted.is_valid and abs(shifted.area - poly.area) / poly.area < 1e-2
