"""Who may join whom (R7): edge-to-edge distances and industry relatedness, as arrays.

Distances are measured in the CGCS2000 Gauss-Kruger zone of each county
(:mod:`parkgeo.read.crs`), never in degrees. Pairs are found with a shapely
STRtree (envelopes grown by the limit), so only features whose envelopes lie within
the limit of each other are ever measured. The output is plain arrays for
:mod:`parkgeo.consolidate.solver`.

Examples
--------
>>> import geopandas as gpd, shapely
>>> parks = gpd.GeoDataFrame({"county": ["A", "A"]}, crs=4549,
...     geometry=[shapely.box(500000, 3400000, 500500, 3400500),
...               shapely.box(509000, 3400000, 509500, 3400500)])
>>> zones = gpd.GeoDataFrame({"county": ["A"]}, crs=4549,
...     geometry=[shapely.box(501000, 3400000, 502000, 3401000)])
>>> pairs = near_pairs(LocalFrame(parks, {"A": 4549}), LocalFrame(zones, {"A": 4549}), 5.0)
>>> pairs.left.tolist(), pairs.right.tolist(), pairs.distance_km.round(2).tolist()
([0], [0], [0.5])
"""

from __future__ import annotations

import contextlib
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

import numpy as np
import pandas as pd
import shapely

from ..read.crs import local_epsg

__all__ = ["DISTANCE_TOL_KM", "LocalFrame", "Pairs", "allowed_pairs", "near_pairs",
           "county_groups", "project_local"]

#: R7's distance limit is compared with this tolerance (1 mm): a park exactly at the limit is
#: within it whatever CRS the data was stored in (a reprojection moves a vertex by ~1e-9 m
#: relative, which can put an exact 5.000 km at 5.0000000000007 km)
DISTANCE_TOL_KM = 1e-6


class LocalFrame:
    """A GeoDataFrame with a ``county`` column, projected county by county on demand.

    Each row is measured in its county's Gauss-Kruger zone (``crs_by_county``, else the
    zone of its own longitude). Projections are done once per zone and cached.
    """

    def __init__(self, frame, crs_by_county=None, *, projected=None):
        self.frame = frame
        self.county = frame["county"].astype(object).where(frame["county"].notna(), "") \
            .astype(str).to_numpy()
        self.epsg = local_epsg(frame, crs_by_county).to_numpy() if len(frame) else \
            np.zeros(0, dtype=int)
        self._home = {}
        if projected is not None:
            # the rows already projected into their own zones (:func:`project_local`): used
            # when they were given the same zones, so nothing is projected twice
            codes, geoms = projected
            if np.array_equal(np.asarray(codes), self.epsg):
                for code in np.unique(self.epsg):
                    if code != 0:
                        rows = np.flatnonzero(self.epsg == code)
                        self._home[int(code)] = (rows, geoms[rows])

    def __len__(self):
        return len(self.frame)

    def geometries(self, epsg, positions):
        """Geometries of rows ``positions`` (int array) in EPSG ``epsg``, as a shapely array."""
        positions = np.asarray(positions, dtype=np.int64)
        out = np.empty(len(positions), dtype=object)
        home = self.epsg[positions] == epsg
        if home.any():
            cached = self._home.get(epsg)
            if cached is None:
                rows = np.flatnonzero(self.epsg == epsg)
                cached = (rows, self._project(rows, epsg))
                self._home[epsg] = cached
            rows, geoms = cached
            out[home] = geoms[np.searchsorted(rows, positions[home])]
        if (~home).any():
            out[~home] = self._project(positions[~home], epsg)
        return out

    def _project(self, rows, epsg):
        sub = self.frame.geometry.iloc[rows]
        if sub.crs is not None and sub.crs.to_epsg() == int(epsg):
            return np.asarray(sub.values, dtype=object)
        return np.asarray(sub.to_crs(int(epsg)).values, dtype=object)


@contextlib.contextmanager
def _zone_map(jobs):
    """``map`` over Gauss-Kruger zones: in ``jobs`` threads (shapely and pyproj release
    Python's lock while they measure and project, so the zones' work shares the cores), in
    this thread for ``jobs`` of 1 or None. Results come back in the zones' order, and every
    thread has finished when the block ends (a process may fork after it)."""
    if not jobs or jobs <= 1:
        yield map
        return
    with ThreadPoolExecutor(max_workers=int(jobs), thread_name_prefix="parkgeo-zones") as pool:
        yield pool.map


def project_local(frame, crs_by_county=None, *, jobs=None):
    """Each row of ``frame`` in its county's Gauss-Kruger zone, as :func:`areas_mu` measures it.

    Returns ``(codes, geoms)``: the EPSG code of each row (0: none, the geometry is then None)
    and the projected geometries, one pyproj transform per zone (the zones in ``jobs``
    threads). Areas in mu are ``m2_to_mu(shapely.area(geoms))``; a :class:`LocalFrame` of the
    same rows takes ``(codes, geoms)`` as ``projected``.
    """
    n = len(frame)
    codes = local_epsg(frame, crs_by_county).to_numpy() if n else np.zeros(0, dtype=int)
    out = np.full(n, None, dtype=object)
    series = frame.geometry

    def one(code):
        rows = np.flatnonzero(codes == code)
        sub = series.iloc[rows]
        if sub.crs is not None and sub.crs.to_epsg() == int(code):
            return rows, np.asarray(sub.values, dtype=object)
        return rows, np.asarray(sub.to_crs(int(code)).values, dtype=object)

    with _zone_map(jobs) as zone_map:
        for rows, geoms in zone_map(one, [code for code in np.unique(codes) if code != 0]):
            out[rows] = geoms
    return codes, out


@dataclass(frozen=True)
class Pairs:
    """Pairs of rows within a distance: ``left[k]`` is near ``right[k]`` (positions)."""

    left: np.ndarray
    right: np.ndarray
    distance_km: np.ndarray

    def __len__(self):
        return len(self.left)


def allowed_pairs(lc, rc, cross=(), functional=()):
    """R7 scope and R8, element-wise: may a row of county ``lc`` join one of county ``rc``?

    Always within one county; across a county line only for a pair of counties in ``cross``
    (either order), and never when either side is an R8 functional zone (``functional``):
    its towns keep no parks of their own, and no park of another county joins its platform.

    Examples
    --------
    >>> allowed_pairs(np.array(["A", "A", "F"]), np.array(["A", "B", "A"]),
    ...               [("A", "B"), ("F", "A")], ["F"]).tolist()
    [True, True, False]
    """
    lc, rc = np.asarray(lc, dtype=object), np.asarray(rc, dtype=object)
    same = lc == rc
    if not cross:
        return same
    pairs = {(a, b) for a, b in cross} | {(b, a) for a, b in cross}
    functional = set(functional)
    extra = np.fromiter(((a, b) in pairs and a not in functional and b not in functional
                         for a, b in zip(lc, rc, strict=True)), dtype=bool, count=len(lc))
    return same | extra


def near_pairs(left: LocalFrame, right: LocalFrame, limit_km: float, *, cross_county=(),
               no_cross=(), same=False, jobs=None) -> Pairs:
    """Pairs of ``left`` and ``right`` rows of one county within ``limit_km`` edge to edge.

    Parameters
    ----------
    left, right : LocalFrame
    limit_km : float
        The distance limit (R7), km; compared with :data:`DISTANCE_TOL_KM`.
    cross_county : iterable of (str, str)
        Pairs of counties whose rows may pair across the county line (R7 scope).
    no_cross : iterable of str
        R8 functional zones: their rows never pair across the county line, on either side.
    same : bool
        ``left`` and ``right`` are the same frame: return each unordered pair once, no
        self-pairs.
    jobs : int, optional
        Threads measuring the Gauss-Kruger zones side by side (one: in this thread); the
        pairs are the same and in the same order.

    Returns
    -------
    Pairs
        Distances measured in the Gauss-Kruger zone of the left row's county.
    """
    limit_m = (float(limit_km) + DISTANCE_TOL_KM) * 1000.0
    out_l, out_r, out_d = [], [], []
    no_cross = set(no_cross)
    cross = tuple((a, b) for a, b in cross_county if a not in no_cross and b not in no_cross)
    partners = {}
    for a, b in cross:
        partners.setdefault(a, set()).add(b)
        partners.setdefault(b, set()).add(a)
    right_county = pd.Index(right.county)

    def one(code):
        lpos = np.flatnonzero(left.epsg == code)
        counties = set(left.county[lpos])
        for c in list(counties):
            counties |= partners.get(c, set())
        rpos = np.flatnonzero(right_county.isin(list(counties)))
        if not len(rpos):
            return None
        lgeom = left.geometries(code, lpos)
        rgeom = right.geometries(code, rpos)
        # candidates by envelope (each left envelope grown by the limit), then one distance per
        # candidate pair: the distance is needed anyway, so no separate "dwithin" test
        tree = shapely.STRtree(rgeom)
        b = shapely.bounds(lgeom)
        li, ri = tree.query(shapely.box(b[:, 0] - limit_m, b[:, 1] - limit_m,
                                        b[:, 2] + limit_m, b[:, 3] + limit_m))
        dist = shapely.distance(lgeom[li], rgeom[ri])
        near = dist <= limit_m
        li, ri, dist = li[near], ri[near], dist[near]
        gl, gr = lpos[li], rpos[ri]
        lc, rc = left.county[gl], right.county[gr]
        keep = allowed_pairs(lc, rc, cross, no_cross)
        if same:
            keep &= gl < gr
        return gl[keep], gr[keep], dist[keep] / 1000.0

    # a thread per zone at a time: each projects and caches only its own zone's geometries
    # (LocalFrame keeps them by zone), so no two threads write the same entry
    with _zone_map(jobs) as zone_map:
        for found in zone_map(one, np.unique(left.epsg).tolist()):
            if found is not None:
                out_l.append(found[0])
                out_r.append(found[1])
                out_d.append(found[2])
    if not out_l:
        empty = np.zeros(0, dtype=np.int64)
        return Pairs(empty, empty.copy(), np.zeros(0))
    return Pairs(np.concatenate(out_l).astype(np.int64), np.concatenate(out_r).astype(np.int64),
                 np.concatenate(out_d).astype(float))


def county_groups(counties, cross_county=(), no_cross=()):
    """Counties that must be solved together (linked by allowed cross-county joining).

    R8 functional zones (``no_cross``) are never linked. Returns a list of sorted tuples
    of county names; a county with no partner is alone.

    Examples
    --------
    >>> county_groups(["A", "B", "C", "D"], [("A", "B"), ("B", "C")])
    [('A', 'B', 'C'), ('D',)]
    """
    names = list(dict.fromkeys(counties))
    index = {c: k for k, c in enumerate(names)}
    links = [(index[a], index[b]) for a, b in cross_county if a in index and b in index
             and a not in no_cross and b not in no_cross]
    if not links:
        return sorted((name,) for name in names)
    # imported only when counties are linked: scipy.sparse costs a few tenths of a second
    from scipy.sparse import coo_array
    from scipy.sparse.csgraph import connected_components

    rows = np.array([a for a, _ in links], dtype=np.int64)
    cols = np.array([b for _, b in links], dtype=np.int64)
    graph = coo_array((np.ones(len(links)), (rows, cols)), shape=(len(names), len(names)))
    _, label = connected_components(graph, directed=False)
    groups = {}
    for name, lab in zip(names, label, strict=True):
        groups.setdefault(lab, []).append(name)
    return sorted(tuple(sorted(g)) for g in groups.values())
