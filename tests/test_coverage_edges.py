"""The counties' coverage check (``invalid_coverage``) gives GEOS's answer for every county.

``parkgeo.validate.topology.coverage_invalid_edges`` runs GEOS only on the polygons that are
not matched all round by their neighbours; every polygon's invalid edges must be exactly
``shapely.coverage_invalid_edges`` of the whole layer. Compared here, to the byte, on seeded
random tilings with every kind of fault a coverage can have: moved vertices (gaps, overlaps),
a neighbour's edge split in two (vertices that do not match), duplicated polygons, a polygon
drawn the other way round, a hole filled by another polygon, repeated points, multipolygons.
"""

from __future__ import annotations

import numpy as np
import pytest
import shapely

from parkgeo.validate.topology import _fully_matched, coverage_invalid_edges


def _tiling(rng, n=7):
    """An n×n grid of unit cells with shared corners, with faults planted at random."""
    xs = np.arange(n + 1, dtype=float)
    cells = []
    for i in range(n):
        for j in range(n):
            ring = [(xs[i], xs[j]), (xs[i + 1], xs[j]), (xs[i + 1], xs[j + 1]),
                    (xs[i], xs[j + 1])]
            cells.append(ring)
    geoms = [shapely.Polygon(r) for r in cells]
    k = len(geoms)
    for c in rng.choice(k, 3, replace=False):  # a vertex moved: gaps and overlaps
        ring = list(cells[c])
        v = int(rng.integers(4))
        ring[v] = (ring[v][0] + rng.normal(0, 0.05), ring[v][1] + rng.normal(0, 0.05))
        geoms[c] = shapely.Polygon(ring)
    c = int(rng.integers(k))  # an edge split by an extra vertex its neighbour lacks
    r = cells[c]
    geoms[c] = shapely.Polygon([r[0], ((r[0][0] + r[1][0]) / 2, r[0][1]), *r[1:]])
    c = int(rng.integers(k))  # drawn the other way round (still valid)
    geoms[c] = shapely.Polygon(cells[c][::-1])
    c = int(rng.integers(k))  # a repeated point
    r = cells[c]
    geoms[c] = shapely.Polygon([r[0], r[0], *r[1:]])
    if rng.random() < 0.5:  # two cells as one multipolygon (and the second cell left out)
        a, b = rng.choice(k, 2, replace=False)
        geoms[a] = shapely.MultiPolygon([shapely.Polygon(cells[a]), shapely.Polygon(cells[b])])
        geoms[b] = None
    # a cell with a hole filled exactly by another polygon
    x, y = n + 1.0, 0.0
    outer = [(x, y), (x + 2, y), (x + 2, y + 2), (x, y + 2)]
    hole = [(x + 0.5, y + 0.5), (x + 1.5, y + 0.5), (x + 1.5, y + 1.5), (x + 0.5, y + 1.5)]
    geoms += [shapely.Polygon(outer, [hole]), shapely.Polygon(hole)]
    geoms = [g for g in geoms if g is not None and shapely.is_valid(g)]
    if rng.random() < 0.5:  # a duplicate
        geoms.append(shapely.Polygon(shapely.get_exterior_ring(geoms[int(rng.integers(3))])))
    # a polygon alone and its copy drawn the other way round: every segment shared by
    # exactly one other polygon, but with the interior on the same side
    alone = [(x + 4, y), (x + 5, y), (x + 5, y + 1), (x + 4, y + 1)]
    geoms += [shapely.Polygon(alone), shapely.Polygon(alone[::-1])]
    return np.array(geoms, dtype=object)


@pytest.mark.parametrize("seed", range(40))
def test_same_invalid_edges_as_geos_everywhere(seed):
    geoms = _tiling(np.random.default_rng(seed))
    assert _fully_matched(geoms).any() and not _fully_matched(geoms).all()
    expected = shapely.coverage_invalid_edges(geoms)
    got = coverage_invalid_edges(geoms)
    assert shapely.to_wkb(got).tolist() == shapely.to_wkb(expected).tolist()


def test_only_polygons_matched_all_round_skip_geos():
    geoms = _tiling(np.random.default_rng(1), n=9)
    matched = _fully_matched(geoms)
    # inner cells of a clean grid are matched all round; the border cells never are
    assert matched.sum() > len(geoms) // 3
    border = [k for k, g in enumerate(geoms) if shapely.get_type_id(g) == 3
              and min(shapely.bounds(g)[:2]) == 0.0]
    assert not matched[border].any()
    # a matched polygon has no invalid edge in GEOS's own check
    assert shapely.is_empty(shapely.coverage_invalid_edges(geoms)[matched]).all()


def test_duplicate_and_same_way_round_are_left_to_geos():
    a = shapely.box(0, 0, 1, 1)
    b = shapely.box(1, 0, 2, 1)
    assert _fully_matched(np.array([a, b], dtype=object)).tolist() == [False, False]
    copy = shapely.Polygon(list(a.exterior.coords)[::-1])  # same interior side
    same_way = np.array([a, copy], dtype=object)
    assert _fully_matched(same_way).tolist() == [False, False]
    assert not shapely.is_empty(coverage_invalid_edges(same_way)).any()
    inner = [shapely.box(x, y, x + 1, y + 1) for x in range(3) for y in range(3)]
    grid = np.array(inner, dtype=object)
    assert _fully_matched(grid)[4]  # the middle cell
    twice = np.array([*inner, inner[4]], dtype=object)  # the middle cell twice
    assert not _fully_matched(twice)[[4, 9]].any()
    got = coverage_invalid_edges(twice)
    assert shapely.to_wkb(got).tolist() == \
        shapely.to_wkb(shapely.coverage_invalid_edges(twice)).tolist()
    assert not shapely.is_empty(got[4])
