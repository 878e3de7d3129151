"""Display geometry: encoded polylines decode to the rounded vertices exactly."""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pytest
import shapely

from parkgeo.publish.display import decode_geometry, encode_geometry, round_coords

ring = [(120.71234, 30.70001), (120.72, 30.7), (120.72, 30.71999), (120.70999, 30.72)]
hole = [(120.713, 30.703), (120.716, 30.703), (120.716, 30.706)]
SHAPES = {
    "polygon_with_hole": shapely.Polygon(ring, [hole]),
    "multipolygon": shapely.MultiPolygon([shapely.Polygon(ring),
                                          shapely.box(-73.99, 40.7, -73.98, 40.71)]),
    "line": shapely.LineString([(120.7, 30.7), (120.70001, 30.69999), (135.1, 53.5)]),
    "far_west_south": shapely.box(-179.99999, -89.9, -179.5, -89.5),
}


@pytest.mark.parametrize("name", SHAPES)
def test_encoded_geometry_decodes_to_the_rounded_vertices(name):
    geom = round_coords(gpd.GeoSeries([SHAPES[name]], crs=4326)).iloc[0]
    back = shapely.geometry.shape(decode_geometry(encode_geometry(geom)))
    assert back.geom_type == geom.geom_type
    assert np.array_equal(shapely.get_coordinates(back), shapely.get_coordinates(geom))
    assert shapely.equals_exact(back, geom, tolerance=0)


def test_encoding_is_a_few_characters_a_vertex():
    wavy = shapely.Polygon([(120.7 + i * 1e-4, 30.7 + (i % 3) * 2e-5) for i in range(200)]
                           + [(120.72, 30.69), (120.7, 30.69)])
    enc = encode_geometry(round_coords(gpd.GeoSeries([wavy], crs=4326)).iloc[0])
    n = len(shapely.get_coordinates(wavy))
    assert len(enc["c"][0]) < 5 * n
    assert all(63 <= ord(ch) <= 126 for ch in enc["c"][0])  # no quote, '<' or '&' to escape
