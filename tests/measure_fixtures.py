"""Tiny consolidation results built in code, for the measuring and report tests.

Three counties side by side in EPSG:4549 (10 km squares): 南湖区 (x 500–510 km), 海宁市
(510–520 km), 秀洲区 (520–530 km). Platform Z1 (national zone Z1 + sub-zones K1, K6) in 南湖区,
platform Z2 (provincial zone Z2 + sub-zones K3, K7, K8) in 海宁市, no platform in 秀洲区.
Every figure is chosen so the expected target results can be worked out by hand (see the
comments in tests/test_targets.py).
"""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

EPSG = 4549
X0, Y0 = 500_000.0, 3_400_000.0
NAN = np.nan

COUNTY_X = {"南湖区": 0.0, "海宁市": 10_000.0, "秀洲区": 20_000.0}

INDICATORS = ["industrial_va_100m", "industrial_output_100m", "tax_100m", "industrial_land_mu",
              "high_tech_va_share", "rd_share", "listed_firms", "firms_over_10bn",
              "developable_mu"]


def box(county, i, size=1000.0):
    """The i-th 1 km square (by default) of a county, in a row 1.5 km apart."""
    x = X0 + COUNTY_X[county] + 500 + 1500 * i
    return shapely.box(x, Y0 + 500, x + size, Y0 + 500 + size)


def _frame(rows, columns, geoms):
    return gpd.GeoDataFrame(pd.DataFrame(rows, columns=columns), geometry=geoms, crs=EPSG)


def tiny_result():
    """The layers of a tiny consolidation result (a dict of GeoDataFrames)."""
    zcols = ["zone_id", "name", "county", "level", "approved_area_ha", "industries", *INDICATORS]
    zones = _frame([
        ["Z1", "南湖高新区", "南湖区", "national", 100.0, "C38;C39",
         60, 900, 5, 10000, 0.5, 0.04, 2, 1, 8000],
        ["Z2", "海宁经开区", "海宁市", "provincial", 100.0, "C17",
         40, 300, 1, 8000, 0.2, 0.02, 1, 0, 6000],
    ], zcols, [box("南湖区", 0), box("海宁市", 0)])
    pcols = ["park_id", "name", "county", "park_type", "industries", *INDICATORS,
             "decision", "platform_id", "reason"]
    parks = _frame([
        ["K1", "大桥园", "南湖区", "town_park", "C26", 40, 300, 1, 5000, 0.3, 0.01, 1, 0, 3000,
         "sub_zone", "Z1", "R9"],
        ["K2", "余新园", "南湖区", "town_park", "C33", 2, 10, 0.1, 500, 0.0, 0.0, 0, 0, 100,
         "exit", "", "R10 low, small, scattered"],
        ["K6", "凤桥园", "南湖区", "town_park", "C39", 20, 200, 2, 5000, 0.6, 0.05, 0, 0, 2000,
         "sub_zone", "Z1", "R9"],
        ["K3", "长安园", "海宁市", "town_park", "C17;C18", 20, NAN, 0.5, 2000, NAN, 0.03, 3, 0,
         1500, "sub_zone", "Z2", "R9"],
        ["K4", "皮革小镇", "海宁市", "characteristic_town", "C19", 3, 20, 0.2, 300, 0.1, 0.01,
         0, 0, 100, "excluded", "", "R7 characteristic town not included"],
        ["K7", "许村园", "海宁市", "town_park", "C17", 5, 40, 0.3, 1000, 0.1, 0.02, NAN, 0, 500,
         "sub_zone", "Z2", "R9"],
        ["K8", "袁花园", "海宁市", "town_park", "C29", 5, 40, 0.2, 1000, 0.1, 0.02, 0, 0, 500,
         "sub_zone", "Z2", "R9"],
        ["K9", "丁桥园", "海宁市", "town_park", "C30", 1, 5, 0.05, 400, 0.0, 0.0, 0, 0, 50,
         "exit", "", "R11 quota"],
        ["K10", "王江泾园", "秀洲区", "town_park", "C17", 1, 5, 0.05, 400, 0.0, 0.0, 0, 0, 50,
         "exit", "", "R10"],
        ["K11", "油车港园", "秀洲区", "town_park", "C17", 1, 5, 0.05, 400, 0.0, 0.0, 0, 0, 50,
         "exit", "", "R10"],
    ], pcols, [box("南湖区", 1), box("南湖区", 2), box("南湖区", 3), box("海宁市", 1),
               box("海宁市", 2), box("海宁市", 3), box("海宁市", 4), box("海宁市", 5),
               box("秀洲区", 1), box("秀洲区", 2)])
    parks.insert(5, "conforms_to_plan", parks["decision"] != "exit")
    platforms = platforms_from(zones, parks)
    counties = _frame([[n] for n in COUNTY_X], ["name"],
                      [shapely.box(X0 + x, Y0, X0 + x + 10_000, Y0 + 10_000)
                       for x in COUNTY_X.values()])
    return {"zones": zones, "parks": parks, "platforms": platforms, "counties": counties}


def platforms_from(zones, parks):
    """The ``platforms`` layer as consolidation writes it: sums (NaN skipped) and VA weights."""
    rows, geoms = [], []
    for _, z in zones.iterrows():
        subs = parks[(parks["decision"] == "sub_zone") & (parks["platform_id"] == z["zone_id"])]
        m = pd.concat([zones[zones["zone_id"] == z["zone_id"]], subs])
        rec = {"platform_id": z["zone_id"], "name": z["name"], "county": z["county"],
               "main_zone_id": z["zone_id"], "n_sub_zones": len(subs)}
        for c in ("developable_mu", "industrial_va_100m", "industrial_output_100m", "tax_100m",
                  "industrial_land_mu", "listed_firms", "firms_over_10bn"):
            rec[c] = float(m[c].sum(skipna=True))
        for c in ("high_tech_va_share", "rd_share"):
            ok = m[c].notna()
            va = m.loc[ok, "industrial_va_100m"]
            rec[c] = float((m.loc[ok, c] * va).sum() / va.sum()) if va.sum() else NAN
        rec["industries"] = ";".join(dict.fromkeys(";".join(m["industries"]).split(";")))
        rec["output_per_mu_10k"] = rec["industrial_output_100m"] * 1e4 / rec["industrial_land_mu"]
        rec["tax_per_mu_10k"] = rec["tax_100m"] * 1e4 / rec["industrial_land_mu"]
        rows.append(rec)
        geoms.append(shapely.union_all(m.geometry.values))
    return gpd.GeoDataFrame(pd.DataFrame(rows), geometry=geoms, crs=EPSG)


def point(county, i, dx=500.0, dy=500.0):
    """A point inside the i-th square of a county (see :func:`box`)."""
    b = box(county, i)
    return shapely.Point(b.bounds[0] + dx, b.bounds[1] + dy)


def projects_frame(rows, geoms, crs=EPSG):
    """A ``projects`` layer from rows of the contract fields."""
    cols = ["project_id", "name", "industries", "investment_10k_yuan", "land_mu", "energy_tce",
            "expected_tax_10k_yuan", "expected_output_10k_yuan", "project_type", "status", "year"]
    return gpd.GeoDataFrame(pd.DataFrame(rows, columns=cols), geometry=geoms, crs=crs)


#: quarterly figures that add up (flows) or average (stocks) to the year: see ``quarters``
FLOWS = ("industrial_output_100m", "industrial_va_100m", "tax_100m", "energy_tce", "emissions_t",
         "investment_100m", "large_projects")


def quarters(platform_id, year, annual):
    """Four quarterly rows whose year-end figures are ``annual`` (flows split in four equal
    parts, stocks and shares the same every quarter)."""
    rows = []
    for q in range(1, 5):
        rec = {"platform_id": platform_id, "period": f"{year}Q{q}"}
        for k, v in annual.items():
            rec[k] = v / 4 if k in FLOWS else v
        rows.append(rec)
    return rows


#: the hand-worked ranking example of tests/test_ranking.py (annual figures for 2020)
HAND_ANNUAL = {
    "A": dict(tax_100m=4, industrial_va_100m=20, industrial_land_mu=1000, employees=1000,
              energy_tce=10000, emissions_t=1000, rd_share=0.03),
    "B": dict(tax_100m=2, industrial_va_100m=30, industrial_land_mu=1000, employees=2000,
              energy_tce=20000, emissions_t=1000, rd_share=0.05),
    "C": dict(tax_100m=3, industrial_va_100m=10, industrial_land_mu=2000, employees=500,
              energy_tce=5000, emissions_t=500, rd_share=0.01),
}
_OTHER = dict(industrial_output_100m=40, high_tech_va_share=0.5, investment_100m=8,
              large_projects=4)


def hand_monitoring(annual=None, year=2020):
    """A monitoring table for the platforms of ``annual`` (default :data:`HAND_ANNUAL`)."""
    annual = HAND_ANNUAL if annual is None else annual
    rows = []
    for pid, a in annual.items():
        rows += quarters(pid, year, {**_OTHER, **a})
    return pd.DataFrame(rows)


def hand_layers(annual=None, monitoring=None):
    """Layers with just ``platforms`` (ids A, B, C …) and ``monitoring`` — enough to rank."""
    annual = HAND_ANNUAL if annual is None else annual
    platforms = pd.DataFrame({"platform_id": list(annual), "name": [f"平台{p}" for p in annual],
                              "main_zone_id": list(annual)})
    return {"platforms": platforms,
            "monitoring": hand_monitoring(annual) if monitoring is None else monitoring}


def write_gpkg(layers, path):
    """Write layers (GeoDataFrames, or DataFrames as attribute tables) to a GeoPackage."""
    import pyogrio

    for name, frame in layers.items():
        if isinstance(frame, gpd.GeoDataFrame):
            frame.to_file(path, layer=name, driver="GPKG", engine="pyogrio")
        else:
            pyogrio.write_dataframe(pd.DataFrame(frame), path, layer=name, driver="GPKG")
    return path
