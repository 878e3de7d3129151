"""Topology: ``overlap`` between zones and parks, ``invalid_coverage`` of the counties layer.

Pairs are found with one shapely STRtree over zones and parks together (in the dataset's common
CRS); each candidate pair's intersection is then computed and measured in the left feature's
county Gauss-Kruger CRS, all pairs of one CRS in one vectorised call.
"""

from __future__ import annotations

import numpy as np
import shapely

from ..units import m2_to_mu
from ._context import fmt_mu, fmt_mu_zh, fmt_share, overlay, polygonal_parts, same_crs_pairs

__all__ = ["find_overlaps", "check_overlaps", "check_coverage", "coverage_invalid_edges"]

#: a feature covered to at least this share is said to lie *inside* the other
INSIDE_SHARE = 0.999


def find_overlaps(a, b, *, min_mu, same=False):
    """Pairs of features of ``a`` and ``b`` whose interiors overlap by at least ``min_mu``.

    Parameters
    ----------
    a, b : LayerGeoms
    min_mu : float
    same : bool
        ``a`` and ``b`` are the same layer: each pair is returned once, never a feature with
        itself.

    Returns
    -------
    (ia, ib, overlap geometries, overlap areas in mu, EPSG codes they are in)
    """
    ma = np.flatnonzero(a.measurable)
    mb = np.flatnonzero(b.measurable)
    empty = (np.empty(0, dtype=int), np.empty(0, dtype=int), np.empty(0, dtype=object),
             np.empty(0), np.empty(0, dtype=int))
    if not len(ma) or not len(mb):
        return empty
    tree = shapely.STRtree(b.src[mb])
    qa, qb = tree.query(a.src[ma], predicate="intersects")
    ia, ib = ma[qa], mb[qb]
    if same:
        keep = ia < ib
        ia, ib = ia[keep], ib[keep]
    if not len(ia):
        return empty
    left, right, codes = same_crs_pairs(a, ia, b, ib)
    inter = overlay(shapely.intersection, left, right)
    area = m2_to_mu(shapely.area(inter))
    keep = area >= max(min_mu, 1e-9)
    return ia[keep], ib[keep], inter[keep], area[keep], codes[keep]


def check_overlaps(layers, out, *, min_mu):
    """Report every overlap between two zones, two parks, or a zone and a park.

    A park that lies inside a zone's four boundaries is an overlap too: the land would be
    managed twice (by the zone and, as a sub-zone, by a platform).
    """
    zones, parks = layers.get("zones"), layers.get("parks")
    combos = []
    if zones is not None:
        combos.append((zones, zones, True))
    if parks is not None:
        combos.append((parks, parks, True))
    if zones is not None and parks is not None:
        # parks on the left: a park-zone finding belongs to the park (the zone is statutory)
        combos.append((parks, zones, False))
    for a, b, same in combos:
        ia, ib, geoms, area, codes = find_overlaps(a, b, min_mu=min_mu, same=same)
        geoms = polygonal_parts(geoms)
        for i, j, g, mu, code in zip(ia, ib, geoms, area, codes, strict=True):
            _report(out, a, int(i), b, int(j), g, float(mu), int(code))


def _report(out, a, i, b, j, geom, mu, code):
    share_a = mu / a.area_mu[i] if a.area_mu[i] > 0 else 0.0
    share_b = mu / b.area_mu[j] if b.area_mu[j] > 0 else 0.0
    # the finding goes to the feature that must change: a park rather than a zone, else the
    # one covered the most (the smaller)
    if a.name == b.name and share_b > share_a:
        a, i, b, j, share_a, share_b = b, j, a, i, share_b, share_a
    repaired = [lg.label(k) for lg, k in ((a, i), (b, j)) if lg.repaired[k]]
    repaired_zh = [lg.label_zh(k) for lg, k in ((a, i), (b, j)) if lg.repaired[k]]
    tail = tail_zh = ""
    if repaired:
        tail = f" (measured on a repaired copy of invalid {', '.join(repaired)})"
        tail_zh = f"(量算无效几何 {'、'.join(repaired_zh)} 修复后的副本)"
    if share_a >= INSIDE_SHARE:
        where = (f"the four boundaries of {b.label(j)}" if b.name == "zones" else b.label(j))
        why = ("statutory extents must not overlap" if a.name == b.name == "zones"
               else "its land would be managed twice")
        msg = f"the {a.noun} lies inside {where} ({fmt_mu(mu)}): {why}{tail}"
        where_zh = (f"{b.label_zh(j)}的“四至”范围" if b.name == "zones" else b.label_zh(j))
        why_zh = ("法定范围不得重叠" if a.name == b.name == "zones" else "其土地将被重复管理")
        msg_zh = f"该{a.noun_zh}位于{where_zh}之内({fmt_mu_zh(mu)}):{why_zh}{tail_zh}"
    else:
        msg = (f"overlaps {b.label(j)} by {fmt_mu(mu)} ({fmt_share(share_a)} of the {a.noun}, "
               f"{fmt_share(share_b)} of the other){tail}")
        msg_zh = (f"与{b.label_zh(j)}重叠 {fmt_mu_zh(mu)}(占该{a.noun_zh}的 {fmt_share(share_a)},"
                  f"占对方的 {fmt_share(share_b)}){tail_zh}")
    out.add("overlap", a.name, a.ids[i], msg, value=mu, unit="mu", message_zh=msg_zh,
            other=f"{b.name}:{b.ids[j]}", geometry=geom, geometry_crs=code)


def check_coverage(counties, out):
    """Report counties whose boundaries do not match their neighbours' (GEOS coverage check).

    ``shapely.coverage_invalid_edges`` returns, for each polygon, the edges that overlap a
    neighbour or nearly but not exactly match one; those make ``outside_county`` shares
    unreliable along the border.
    """
    m = np.flatnonzero(counties.measurable & counties.valid)
    if len(m) < 2:
        return
    from ._context import project

    edges = _early_edges(counties, m)
    if edges is None:
        try:
            edges = coverage_invalid_edges(counties.src[m])
        except shapely.errors.GEOSException as exc:
            out.note(f"the counties coverage could not be checked: {exc}",
                     "无法检查县(市、区)图层的覆盖关系(几何计算失败)")
            return
    bad = np.flatnonzero(~shapely.is_empty(edges) & ~shapely.is_missing(edges))
    if not len(bad):
        return
    # how much each flagged county overlaps its neighbours, measured in its own CRS
    flagged = m[bad]
    ia, ib, _, area, _ = find_overlaps(_subset(counties, flagged), counties, min_mu=0.0)
    overlaps = {}
    for i, j, mu in zip(ia, ib, area, strict=True):
        if i != j:
            overlaps.setdefault(int(i), []).append((float(mu), int(j)))
    for k in bad:
        i = m[k]
        code = int(counties.epsg[i])
        local = project(np.array([edges[k]]), counties.common_crs, code)[0]
        length = float(shapely.length(local))
        near = sorted(overlaps.get(int(i), []), reverse=True)
        if near:
            names = ", ".join(f"{counties.ids[j]} by {fmt_mu(mu)}" for mu, j in near[:3])
            more = f" and {len(near) - 3} more" if len(near) > 3 else ""
            what = f"the county overlaps {names}{more}; "
            names_zh = "、".join(f"{counties.ids[j]}({fmt_mu_zh(mu)})" for mu, j in near[:3])
            more_zh = f"等 {len(near)} 个" if len(near) > 3 else ""
            what_zh = f"该县(市、区)与{names_zh}{more_zh}重叠;"
        else:
            what = what_zh = ""
        out.add("invalid_coverage", counties.name, counties.ids[i],
                f"{what}{length:,.0f} m of its boundary do not match the neighbouring counties' "
                f"edges exactly; 'outside_county' shares near them may be off",
                message_zh=f"{what_zh}其边界有 {length:,.0f} 米与相邻县(市、区)的边界不完全吻合;"
                           "附近“超出所属县界”的比例可能有偏差",
                value=length, unit="m", at=edges[k], at_crs=counties.common_crs)


def _early_edges(counties, m):
    """The invalid edges worked out while the dataset was read (:func:`coverage_edges`), when
    they were worked out from the very geometries checked here; else None."""
    early = getattr(counties.facts, "coverage", None)
    if early is not None and hasattr(early, "result"):
        try:
            early = early.result()
        except Exception:  # noqa: BLE001 — the check works them out itself, errors and all
            early = None
    if early is None:
        return None
    rows, edges = early
    if not np.array_equal(rows, m) or any(a is not b for a, b in
                                          zip(counties.src[m], counties.raw[m], strict=True)):
        return None  # measured in another CRS, or some polygons could not be measured
    return edges


def coverage_edges(geoms, valid):
    """``(rows, edges)`` of a counties layer's geometries as read: the positions of its valid
    polygons and their invalid edges (``GeometryFacts.coverage``, for :func:`check_coverage`);
    None when there are fewer than two or GEOS refuses them (the check then meets the error
    itself)."""
    geoms = np.asarray(geoms, dtype=object)
    type_id = shapely.get_type_id(geoms)
    empty = (type_id == -1) | np.asarray(shapely.is_empty(geoms), dtype=bool)
    rows = np.flatnonzero(np.isin(type_id, (3, 6)) & ~empty & valid)
    if len(rows) < 2:
        return None
    try:
        return rows, coverage_invalid_edges(geoms[rows])
    except shapely.errors.GEOSException:
        return None


def coverage_invalid_edges(geoms):
    """``shapely.coverage_invalid_edges(geoms)`` (valid polygons), the same for every polygon,
    with GEOS run only on the polygons it could find fault with and their neighbours.

    GEOS validates each polygon against the polygons whose envelopes meet its own, and a
    segment that exactly one other polygon shares, traversed the other way round (interior
    on the other side), is matched there and never tested again: a polygon all of whose
    segments are matched so has no invalid edges (LINESTRING EMPTY). Most counties of a clean
    layer are such, and finding them takes one pass over all segments
    (:func:`_fully_matched`), against GEOS's matching of every polygon with all its
    neighbours. GEOS then validates the others among their neighbours — the same neighbours
    as in the whole layer, so the same result (shapely has no call that validates only some
    polygons of a coverage).
    """
    geoms = np.asarray(geoms, dtype=object)
    todo = np.flatnonzero(~_fully_matched(geoms))
    if len(todo) == len(geoms):
        return shapely.coverage_invalid_edges(geoms)
    edges = np.full(len(geoms), None, dtype=object)
    edges[:] = [shapely.LineString()] * len(geoms)
    if len(todo):
        _, near = shapely.STRtree(geoms).query(geoms[todo])
        sub = np.union1d(todo, near)  # in the layer's order: the same input, a subset of it
        found = shapely.coverage_invalid_edges(geoms[sub])
        edges[todo] = found[np.searchsorted(sub, todo)]
    return edges


def _fully_matched(geoms):
    """For each valid polygon of ``geoms``: is every segment of its rings shared, exactly and
    with the opposite orientation, by exactly one other polygon (and by no third)?

    As GEOS's ``CoveragePolygonValidator`` orients segments (interior on the right; then
    from the smaller to the larger point, x before y): a pair of one forward and one
    reversed segment is a match. Anything else — a segment alone (the layer's outer border),
    shared by three, or the same way round, a repeated point, coordinates that are not
    finite — leaves its polygon to GEOS. Exact comparisons of the coordinates; the hash only
    groups candidates, and a group mixing segments is left to GEOS as a whole.
    """
    n = len(geoms)
    no = np.zeros(n, dtype=bool)
    if n < 2:
        return no
    parts, part_of = shapely.get_parts(geoms, return_index=True)
    rings, ring_part = shapely.get_rings(parts, return_index=True)
    coords, coord_ring = shapely.get_coordinates(rings, return_index=True)
    if not len(coords) or not np.isfinite(coords).all():
        return no
    shell = np.ones(len(rings), dtype=bool)
    shell[1:] = ring_part[1:] != ring_part[:-1]  # a part's exterior ring comes first
    interior_on_right = shell != shapely.is_ccw(rings)
    # points as complex numbers: numpy compares them as GEOS compares points (x, then y);
    # adding 0.0 turns -0.0 into 0.0, which compares equal and must hash the same
    pts = coords.view(np.complex128).ravel() + 0.0
    seg = np.flatnonzero(coord_ring[1:] == coord_ring[:-1])  # a segment ends in the same ring
    ring = coord_ring[seg]
    owner = part_of[ring_part[ring]]
    flip = ~interior_on_right[ring]
    start = np.where(flip, pts[seg + 1], pts[seg])
    end = np.where(flip, pts[seg], pts[seg + 1])
    forward = start < end
    lo = np.where(forward, start, end)
    hi = np.where(forward, end, start)
    key = np.empty((len(seg), 2), dtype=np.complex128)
    key[:, 0], key[:, 1] = lo, hi
    words = key.view(np.uint64)
    h = _mix(words[:, 0])
    for w in range(1, 4):
        h = _mix(h ^ words[:, w])
    # sort hash and position in one array: the low bits carry the position
    bits = np.uint64(max(1, int(len(seg)).bit_length()))
    packed = np.sort((h >> bits << bits) | np.arange(len(seg), dtype=np.uint64))
    order = (packed & ((np.uint64(1) << bits) - np.uint64(1))).astype(np.intp)
    group = packed >> bits
    first = np.ones(len(seg), dtype=bool)
    first[1:] = group[1:] != group[:-1]
    starts = np.flatnonzero(first)
    size = np.diff(np.append(starts, len(seg)))
    gid = np.cumsum(first) - 1
    lo, hi, forward, owner_o = lo[order], hi[order], forward[order], owner[order]
    lead = starts[gid]
    differs = (lo != lo[lead]) | (hi != hi[lead])
    mixed = np.bincount(gid, weights=differs, minlength=len(starts)) > 0
    pair = starts[(size == 2) & ~mixed]
    good = pair[(forward[pair] != forward[pair + 1]) & (owner_o[pair] != owner_o[pair + 1])]
    matched = np.zeros(len(seg), dtype=bool)
    matched[good] = matched[good + 1] = True
    ok = np.ones(n, dtype=bool)
    ok[owner_o[~matched]] = False
    ok[owner[start == end]] = False  # a repeated point: left to GEOS, which drops it
    return ok


def _mix(x):
    """SplitMix64's finaliser on an array of uint64 (round coordinates, such as whole metres,
    differ only in their high bits: every bit of the input must reach every bit of the hash)."""
    x = (x ^ (x >> np.uint64(30))) * np.uint64(0xBF58476D1CE4E5B9)
    x = (x ^ (x >> np.uint64(27))) * np.uint64(0x94D049BB133111EB)
    return x ^ (x >> np.uint64(31))


def _subset(lg, rows):
    """A view of ``lg`` with only the features at ``rows`` measurable (positions unchanged)."""
    from dataclasses import replace

    keep = np.zeros(len(lg), dtype=bool)
    keep[rows] = True
    return replace(lg, measurable=lg.measurable & keep)
