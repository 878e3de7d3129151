"""Add an illustrative land-use survey (``landuse``) to a sample dataset — illustrative, not real.

Reads a dataset GeoPackage (e.g. ``layers/jiaxing.gpkg``, built by ``scripts/build_sample.py``),
copies every layer unchanged into a new GeoPackage, and adds a ``landuse`` layer: a mosaic of
irregular polygons (Voronoi cells, seeded) over the zones' and parks' extent, in CGCS2000 /
3-degree Gauss-Kruger zone 40 with the zone prefix (EPSG:4528), as a real 三调 delivery would
be. Its codes are GB/T 21010-2017 classes; inside each zone and park the developable classes
cover about 1.1 times the feature's declared ``developable_mu`` (seeded, ± 5%), so that the
declared figures hold and the sample validates clean; the rest is industry, housing, roads and
water. Outside the features the land
is mostly paddy, homesteads, roads and water, with the class shares of the Jiaxing plain.

Nothing in this survey is real. The ``about`` table of the output says so.

The input is never modified; the output is written atomically.

Usage::

    python scripts/build_landuse.py layers/jiaxing.gpkg /tmp/jiaxing_landuse.gpkg [--cells N]
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pyogrio
import shapely

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from parkgeo._atomic import atomic_path  # noqa: E402
from parkgeo.read.landuse import CLASS_NAMES  # noqa: E402

SURVEY_CRS = "EPSG:4528"  # CGCS2000 / 3-degree Gauss-Kruger zone 40 (eastings prefixed 40…)
#: classes inside zones and parks: developable, and built/water/transport, with weights
INSIDE_DEVELOPABLE = {"0101": 0.55, "0102": 0.05, "0201": 0.1, "0301": 0.1, "0404": 0.05,
                      "1201": 0.1, "1202": 0.05}
INSIDE_OTHER = {"0601": 0.5, "0604": 0.08, "05H1": 0.07, "0702": 0.12, "1004": 0.08,
                "1101": 0.06, "1104": 0.05, "1107": 0.04}
#: outside the features: the Jiaxing plain's shares
OUTSIDE = {"0101": 0.4, "0102": 0.03, "0201": 0.04, "0301": 0.04, "0702": 0.14, "0701": 0.05,
           "0601": 0.06, "1003": 0.03, "1006": 0.04, "1101": 0.06, "1104": 0.07, "1107": 0.04,
           "1202": 0.04}


def _pick(rng, table, n):
    codes = np.array(list(table), dtype=object)
    p = np.array(list(table.values()), dtype=float)
    return codes[rng.choice(len(codes), size=n, p=p / p.sum())]


def build_landuse(zones, parks, *, cells=20_000, seed=2018, margin_m=2000.0):
    """The illustrative survey over ``zones`` and ``parks`` (a GeoDataFrame in EPSG:4528)."""
    rng = np.random.default_rng(seed)
    feats = pd.concat([zones[["developable_mu", "geometry"]], parks[["developable_mu",
                                                                      "geometry"]]],
                      ignore_index=True)
    feats = gpd.GeoDataFrame(feats, geometry="geometry", crs=zones.crs).to_crs(SURVEY_CRS)
    minx, miny, maxx, maxy = feats.total_bounds
    extent = shapely.box(minx - margin_m, miny - margin_m, maxx + margin_m, maxy + margin_m)
    # half the seeds fall inside the features, so that they are surveyed in detail
    inside_n = cells // 2
    pts_in = feats.sample_points(size=np.maximum(
        1, (inside_n * feats.area / feats.area.sum()).round().astype(int)), rng=rng)
    pts_in = shapely.get_parts(np.asarray(pts_in.values, dtype=object))
    b = extent.bounds
    pts_out = np.column_stack([rng.uniform(b[0], b[2], cells - len(pts_in)),
                               rng.uniform(b[1], b[3], cells - len(pts_in))])
    pts = np.concatenate([shapely.get_coordinates(pts_in), pts_out])
    polys = shapely.get_parts(shapely.voronoi_polygons(shapely.multipoints(pts),
                                                       extend_to=extent))
    polys = shapely.intersection(polys, extent)
    polys = polys[~shapely.is_empty(polys)]
    codes = _pick(rng, OUTSIDE, len(polys))
    # inside a feature: developable cells, in a seeded order, until their area inside the
    # feature reaches its declared developable_mu × a factor around 1.1 (a few features fall
    # below 1: their declared figure is then a little overstated, as in real data)
    tree = shapely.STRtree(np.asarray(feats.geometry.values, dtype=object))
    ci, fi = tree.query(polys, predicate="intersects")
    geoms = np.asarray(feats.geometry.values, dtype=object)
    inside_mu = shapely.area(shapely.intersection(polys[ci], geoms[fi])) / (10000.0 / 15.0)
    # a cell on the edge of two features belongs to the one it overlaps most
    order = np.lexsort((-inside_mu, ci))
    first = np.r_[True, ci[order][1:] != ci[order][:-1]]
    ci, fi, inside_mu = ci[order][first], fi[order][first], inside_mu[order][first]
    factor = rng.normal(1.1, 0.05, len(feats))
    target = feats["developable_mu"].fillna(0).to_numpy() * factor
    dev = np.zeros(len(ci), dtype=bool)
    for f in np.unique(fi):
        mine = rng.permutation(np.flatnonzero(fi == f))
        cum = np.cumsum(inside_mu[mine])
        dev[mine[cum - inside_mu[mine] < target[f]]] = True  # the cell crossing it too
    codes[ci[dev]] = _pick(rng, INSIDE_DEVELOPABLE, int(dev.sum()))
    codes[ci[~dev]] = _pick(rng, INSIDE_OTHER, int((~dev).sum()))
    names = np.array([CLASS_NAMES.get(c, "") for c in codes], dtype=object)
    return gpd.GeoDataFrame({"bsm": np.arange(1, len(polys) + 1), "dlbm": codes, "dlmc": names},
                            geometry=polys, crs=SURVEY_CRS)


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("source", help="the sample dataset (GeoPackage), read only")
    ap.add_argument("out", help="the GeoPackage to write: the source's layers plus 'landuse'")
    ap.add_argument("--cells", type=int, default=20_000, help="survey polygons (about)")
    ap.add_argument("--seed", type=int, default=2018)
    ap.add_argument("--overwrite", action="store_true")
    args = ap.parse_args(argv)
    src, out = Path(args.source), Path(args.out)
    if src.resolve() == out.resolve():
        ap.error("the output must be another file: the source is never modified")
    layers = [str(n) for n, _ in pyogrio.list_layers(src) if n not in ("landuse", "layer_styles")]
    frames = {n: pyogrio.read_dataframe(src, layer=n) for n in layers}
    survey = build_landuse(frames["zones"], frames["parks"], cells=args.cells, seed=args.seed)
    about = frames.get("about")
    note = pd.DataFrame({"key": ["landuse"], "value": [
        f"illustrative, not real: a synthetic land-use survey ({len(survey):,} polygons, "
        f"{SURVEY_CRS}) built by scripts/build_landuse.py (seed {args.seed}) from the zones' "
        "and parks' declared developable_mu"]})
    if about is not None:  # a survey the source already has is replaced, and so is its note
        about = about[about["key"] != "landuse"]
    frames["about"] = note if about is None else pd.concat([about, note], ignore_index=True)
    with atomic_path(out, overwrite=args.overwrite) as tmp:
        for name, frame in frames.items():
            pyogrio.write_dataframe(frame, tmp, layer=name, driver="GPKG")
        pyogrio.write_dataframe(survey, tmp, layer="landuse", driver="GPKG",
                                promote_to_multi=False, geometry_type="Polygon")
    print(f"wrote {out}: {', '.join(frames)} and landuse ({len(survey):,} polygons)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
