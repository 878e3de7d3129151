"""Synthetic land-use surveys (三调 地类图斑 mosaics) for tests and benchmarks — illustrative data.

A survey is a mosaic of irregular polygons (Voronoi cells of seeded random points, via
``shapely.voronoi_polygons``, clipped to the extent) that tile the extent without gaps or
overlaps, each with a GB/T 21010-2017 code drawn with class shares like a county of the Jiaxing
plain (paddy, village homesteads, industry, ponds and canals). Cells are built block by block and
appended to the GeoPackage, so generating millions of polygons needs little memory.

The dataset also gets ``zones`` and ``parks`` (irregular polygons over the extent, with declared
``developable_mu``) so that ``parkgeo space`` and the benchmark run on it as on real data.

Usage::

    python scripts/bench/synth_landuse.py --polygons 500000 --out /tmp/survey.gpkg
"""

from __future__ import annotations

import argparse
import math
import time
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

#: class shares of the synthetic county (share of polygons), codes after GB/T 21010-2017 and the
#: third national land survey's working classes; names as in the survey's dlmc field
CLASS_SHARES = {
    "0101": ("水田", 0.26), "0102": ("水浇地", 0.03), "0103": ("旱地", 0.02),
    "0201": ("果园", 0.03), "0204": ("其他园地", 0.01),
    "0301": ("乔木林地", 0.04), "0307": ("其他林地", 0.02), "0404": ("其他草地", 0.02),
    "05H1": ("商业服务业设施用地", 0.02), "0601": ("工业用地", 0.09), "0604": ("仓储用地", 0.01),
    "0701": ("城镇住宅用地", 0.05), "0702": ("农村宅基地", 0.10),
    "08H2": ("科教文卫用地", 0.015), "0810": ("公园与绿地", 0.01),
    "1003": ("公路用地", 0.02), "1004": ("城镇村道路用地", 0.015), "1006": ("农村道路", 0.03),
    "1101": ("河流水面", 0.04), "1104": ("坑塘水面", 0.05), "1107": ("沟渠", 0.03),
    "1201": ("空闲地", 0.005), "1202": ("设施农用地", 0.02),
}

#: a city-sized extent in CGCS2000 / 3-degree Gauss-Kruger CM 120E (EPSG:4549), near Jiaxing
CITY_EXTENT = (470_000.0, 3_370_000.0, 540_000.0, 3_440_000.0)
CRS = "EPSG:4549"


def _codes(rng, n):
    codes = np.array(list(CLASS_SHARES), dtype=object)
    p = np.array([v[1] for v in CLASS_SHARES.values()], dtype=float)
    pick = rng.choice(len(codes), size=n, p=p / p.sum())
    names = np.array([v[0] for v in CLASS_SHARES.values()], dtype=object)
    return codes[pick], names[pick]


def mosaic_blocks(extent, polygons, *, seed=0, block=100_000):
    """Yield GeoDataFrames (``dlbm``, ``dlmc``, polygons) that together tile ``extent``.

    The extent is cut into square blocks holding about ``block`` cells; each block's cells are
    the Voronoi cells of its own random points, clipped to the block, so blocks meet edge to
    edge and the mosaic has no gaps or overlaps.
    """
    minx, miny, maxx, maxy = extent
    nb = max(1, math.ceil(polygons / block))
    nx = max(1, round(math.sqrt(nb)))
    ny = max(1, math.ceil(nb / nx))
    xs = np.linspace(minx, maxx, nx + 1)
    ys = np.linspace(miny, maxy, ny + 1)
    per = polygons // (nx * ny)
    extra = polygons - per * nx * ny
    rng = np.random.default_rng(seed)
    k = 0
    for i in range(nx):
        for j in range(ny):
            n = per + (1 if k < extra else 0)
            k += 1
            box = shapely.box(xs[i], ys[j], xs[i + 1], ys[j + 1])
            pts = np.column_stack([rng.uniform(xs[i], xs[i + 1], n),
                                   rng.uniform(ys[j], ys[j + 1], n)])
            cells = shapely.get_parts(shapely.voronoi_polygons(shapely.multipoints(pts),
                                                               extend_to=box))
            cells = shapely.intersection(cells, box)
            cells = cells[~shapely.is_empty(cells)]
            codes, names = _codes(rng, len(cells))
            yield gpd.GeoDataFrame({"dlbm": codes, "dlmc": names}, geometry=cells, crs=CRS)


def targets(extent, *, zones=12, parks=150, seed=1):
    """Irregular zones and parks over ``extent`` with the contract's fields (illustrative)."""
    rng = np.random.default_rng(seed)
    minx, miny, maxx, maxy = extent
    span = min(maxx - minx, maxy - miny)

    def blobs(n, radius):
        cx = rng.uniform(minx + radius, maxx - radius, n)
        cy = rng.uniform(miny + radius, maxy - radius, n)
        out = []
        for x, y in zip(cx, cy, strict=True):
            k = rng.integers(7, 13)
            ang = np.sort(rng.uniform(0, 2 * np.pi, k))
            r = radius * rng.uniform(0.6, 1.0, k)
            out.append(shapely.Polygon(np.column_stack([x + r * np.cos(ang),
                                                        y + r * np.sin(ang)])))
        return out

    zgeom = blobs(zones, span * 0.05)
    pgeom = blobs(parks, span * 0.012)
    counties = ["南湖区", "秀洲区", "嘉善县", "平湖市", "海盐县", "海宁市", "桐乡市"]
    base = {"industries": "C38;C39", "industrial_va_100m": 50.0}
    z = gpd.GeoDataFrame({
        "zone_id": [f"Z{i:03d}" for i in range(zones)],
        "name": [f"开发区{i}" for i in range(zones)],
        "county": [counties[i % len(counties)] for i in range(zones)],
        "level": ["provincial"] * zones,
        "approved_area_ha": [shapely.area(g) / 10_000 * 1.5 for g in zgeom],
        "developable_mu": [round(shapely.area(g) / 666.67 * 0.4) for g in zgeom],
        **{k: [v] * zones for k, v in base.items()}}, geometry=zgeom, crs=CRS)
    p = gpd.GeoDataFrame({
        "park_id": [f"P{i:04d}" for i in range(parks)],
        "name": [f"园区{i}" for i in range(parks)],
        "county": [counties[i % len(counties)] for i in range(parks)],
        "park_type": ["town_park"] * parks, "conforms_to_plan": [True] * parks,
        "developable_mu": [round(shapely.area(g) / 666.67 * 0.4) for g in pgeom],
        **{k: [v] * parks for k, v in base.items()}}, geometry=pgeom, crs=CRS)
    return z, p


def write_survey(out, polygons, *, extent=CITY_EXTENT, seed=0, zones=12, parks=150):
    """Write a dataset (zones, parks, landuse) with a ``polygons``-cell survey to ``out``."""
    import pyogrio

    out = Path(out)
    if out.exists():
        out.unlink()
    z, p = targets(extent, zones=zones, parks=parks, seed=seed + 1)
    pyogrio.write_dataframe(z, out, layer="zones", driver="GPKG")
    pyogrio.write_dataframe(p, out, layer="parks", driver="GPKG", append=True)
    n = 0
    for frame in mosaic_blocks(extent, polygons, seed=seed):
        frame.index = pd.RangeIndex(n, n + len(frame))
        pyogrio.write_dataframe(frame, out, layer="landuse", driver="GPKG", append=True,
                                promote_to_multi=False, geometry_type="Polygon")
        n += len(frame)
    return n


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--polygons", type=int, default=100_000)
    ap.add_argument("--out", required=True)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--zones", type=int, default=12)
    ap.add_argument("--parks", type=int, default=150)
    args = ap.parse_args()
    t = time.perf_counter()
    n = write_survey(args.out, args.polygons, seed=args.seed, zones=args.zones, parks=args.parks)
    print(f"wrote {args.out}: {n:,} survey polygons in {time.perf_counter() - t:.1f} s")


if __name__ == "__main__":
    main()
