"""Tiny consolidation results (the output GeoPackage of `parkgeo integrate`), built in code.

Used by the publishing tests, the browser tests and scripts/screenshots.py. Two counties near
Jiaxing in EPSG:4549; zones and parks tile a strip without gaps, so the display simplification
can be checked for topology.
"""

from __future__ import annotations

import geopandas as gpd
import shapely

X0, Y0 = 570_000.0, 3_400_000.0
HOSTILE = ("<img src=x onerror=alert(1)>", "</script><script>window.pwned=1</script>")


def _wavy_box(x, y, w, h, n=40, amp=6.0):
    """A rectangle whose top edge wiggles, so simplification has vertices to remove."""
    import math

    top = [(x + w * i / n, y + h + amp * math.sin(math.pi * 7 * i / n)) for i in range(n + 1)]
    return shapely.Polygon([(x, y), (x + w, y)] + top[::-1])


def _grid_cell(i, j, side=1000.0):
    return shapely.box(X0 + i * side, Y0 + j * side, X0 + (i + 1) * side, Y0 + (j + 1) * side)


def make_result_layers(*, hostile=False, with_optional=True, contacts=True):
    """The layers of a small consolidation result, as GeoDataFrames in EPSG:4549.

    County A (west): zone Z1 is the main zone of platform PA; parks A1, A2 are its sub-zones,
    A3 exits, A4 is an excluded characteristic town. County B (east): zone Z2 is the main zone
    of PB with sub-zone B1; B2 and B3 exit; zone Z3 is not a main platform.
    """
    name = (lambda i, s: HOSTILE[i % 2] + s) if hostile else (lambda i, s: s)
    zones = gpd.GeoDataFrame({
        "zone_id": ["Z1", "Z2", "Z3"],
        "name": [name(0, "嘉兴经济技术开发区"), name(1, "平湖经济技术开发区"),
                 name(0, "独山港经济开发区")],
        "county": [name(1, "南湖区"), "平湖市", "平湖市"],
        "level": ["national", "national", "provincial"],
        "approved_area_ha": [150.0, 150.0, 150.0],
        "industries": ["C38;C39", "C36;C34", "C26"],
        "developable_mu": [9000.0, 7000.0, 2000.0],
        "industrial_va_100m": [70.0, 60.0, 10.0],
        "contact_name": [name(0, "招商局 王先生"), "李女士", ""] if contacts else [""] * 3,
        "contact_phone": ["0573-8000 0001", "0573-8000 0002", ""] if contacts else [""] * 3,
        "website": ["https://example.org/z1", "", ""] if contacts else [""] * 3,
    }, geometry=[_grid_cell(0, 0), _grid_cell(6, 0), _grid_cell(9, 0)], crs=4549)
    # parks: a row of cells sharing edges with each other and with the zones' neighbours
    parks = gpd.GeoDataFrame({
        "park_id": ["A1", "A2", "A3", "A4", "B1", "B2", "B3"],
        "name": [name(1, "凤桥镇工业园区"), "余新镇工业园区", name(0, "新丰镇工业园区"),
                 "云澜湾特色小镇", "新埭镇工业园区", "林埭镇工业园区", "广陈镇工业园区"],
        "county": [name(1, "南湖区")] * 4 + ["平湖市"] * 3,
        "town": ["凤桥镇", "余新镇", "新丰镇", "七星街道", "新埭镇", "林埭镇", "广陈镇"],
        "park_type": ["town_park"] * 3 + ["characteristic_town"] + ["town_park"] * 3,
        "industries": ["C38", "C39", "C17", "R87", "C36", "C30", "C18"],
        "conforms_to_plan": [True, True, False, True, True, False, True],
        "developable_mu": [1500.0, 800.0, 200.0, 100.0, 1200.0, 300.0, 150.0],
        "industrial_va_100m": [9.0, 5.0, 1.0, 0.5, 7.0, 1.5, 0.8],
        "decision": ["sub_zone", "sub_zone", "exit", "excluded", "sub_zone", "exit", "exit"],
        "platform_id": ["Z1", "Z1", "", "", "Z2", "", ""],
        "reason": ["R7 related (C38), 1.0 km; R9", "R7 related (C39); R9",
                   name(1, "R10 does not conform to plan"), "R7 characteristic town not included",
                   "R7 related (C36); R9", "R10 does not conform to plan", "R11 quota"],
    }, geometry=[_wavy_box(X0 + 1000, Y0, 1000, 1000), _grid_cell(2, 0), _grid_cell(3, 0),
                 _grid_cell(4, 0), _grid_cell(7, 0), _grid_cell(8, 0), _grid_cell(10, 0)],
        crs=4549)
    # the zone Z1's neighbour A1 wiggles on its top edge only, so shared edges stay straight
    plat_rows = []
    for pid, zid, county, subs in (("Z1", "Z1", name(1, "南湖区"), ["A1", "A2"]),
                                   ("Z2", "Z2", "平湖市", ["B1"])):
        z = zones[zones["zone_id"] == zid].iloc[0]
        p = parks[parks["park_id"].isin(subs)]
        geom = shapely.MultiPolygon(
            [g for g in [z.geometry, *p.geometry] for g in getattr(g, "geoms", [g])])
        plat_rows.append({
            "platform_id": pid, "name": z["name"], "county": county, "main_zone_id": zid,
            "n_sub_zones": len(subs),
            "developable_mu": z["developable_mu"] + p["developable_mu"].sum(),
            "industrial_va_100m": z["industrial_va_100m"] + p["industrial_va_100m"].sum(),
            "industrial_output_100m": 420.0 if pid == "Z1" else 300.0,
            "tax_100m": 30.0 if pid == "Z1" else 18.0,
            "industrial_land_mu": 8000.0,
            "high_tech_va_share": 0.52 if pid == "Z1" else 0.40,
            "rd_share": 0.031 if pid == "Z1" else 0.025,
            "listed_firms": 5 if pid == "Z1" else 2,
            "firms_over_10bn": 1 if pid == "Z1" else 0,
            "output_per_mu_10k": 525.0 if pid == "Z1" else 375.0,
            "tax_per_mu_10k": 37.5 if pid == "Z1" else 22.5,
            "meets_R3": True, "meets_R4": pid == "Z1", "meets_T2": pid == "Z1",
            "meets_T3": pid == "Z1", "meets_T4": pid == "Z1",
            "geometry": geom,
        })
    platforms = gpd.GeoDataFrame(plat_rows, geometry="geometry", crs=4549)
    layers = {"zones": zones, "parks": parks, "platforms": platforms}
    if with_optional:
        layers["counties"] = gpd.GeoDataFrame(
            {"name": [name(1, "南湖区"), "平湖市"]},
            geometry=[shapely.box(X0 - 500, Y0 - 500, X0 + 5500, Y0 + 1500),
                      shapely.box(X0 + 5500, Y0 - 500, X0 + 11500, Y0 + 1500)], crs=4549)
        layers["protected"] = gpd.GeoDataFrame(
            {"kind": ["ecological_redline"]},
            geometry=[shapely.box(X0 + 5000, Y0 + 1200, X0 + 6000, Y0 + 1450)], crs=4549)
        layers["plots"] = gpd.GeoDataFrame({
            "plot_id": ["L1", "L2", "L3", "L4"],
            "owner_id": ["Z1", "Z1", "A1", "Z2"],
            "area_mu": [120.0, 80.0, 60.0, 150.0],
            "land_use": [name(0, "工业用地"), "工业用地", "仓储用地", "工业用地"],
            "status": ["available", "reserved", "let", "available"],
            "price_10k_yuan_per_mu": [45.0, 40.0, None, 38.0],
        }, geometry=[shapely.box(X0 + 100, Y0 + 100, X0 + 400, Y0 + 400),
                     shapely.box(X0 + 500, Y0 + 100, X0 + 800, Y0 + 400),
                     shapely.box(X0 + 1100, Y0 + 100, X0 + 1400, Y0 + 400),
                     shapely.box(X0 + 6100, Y0 + 100, X0 + 6500, Y0 + 500)], crs=4549)
    return layers


def write_result(path, **kwargs):
    """Write :func:`make_result_layers` to a GeoPackage at ``path``; return the path."""
    for layer, frame in make_result_layers(**kwargs).items():
        frame.to_file(path, layer=layer, driver="GPKG", engine="pyogrio")
    return path


def n_features(layers):
    """Rows of the drawn polygon layers (zones + parks), the count a map must draw."""
    return len(layers["zones"]) + len(layers["parks"])

