"""Consolidation end to end (geometry, explanations, result GeoPackage, CLI)."""

from __future__ import annotations

import json
import math
import os
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pyogrio
import pytest
import shapely
import shapely.affinity
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from parkgeo.cli.main import cli
from parkgeo.consolidate.integrate import (
    check_valid,
    compare_results,
    integrate,
    integrate_variants,
    result_text,
    result_to_json,
    write_result,
)
from parkgeo.consolidate.relatedness import relatedness
from parkgeo.scenario import Scenario, scenario_from_dict

X0, Y0 = 570_000.0, 3_400_000.0  # EPSG:4549 near Jiaxing
ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "layers" / "jiaxing.gpkg"

# ---------------------------------------------------------------- tiny datasets built in code


def box_km(x, y, side):
    """A square ``side`` km wide with its lower-left corner ``(x, y)`` km from the origin."""
    return shapely.box(X0 + x * 1000, Y0 + y * 1000, X0 + (x + side) * 1000, Y0 + (y + side) * 1000)


def zone(zid, county="南湖区", x=0.0, y=0.0, side=1.0, *, level="national", industries="C38",
         dev=12000.0, va=100.0, **extra):
    row = {"zone_id": zid, "name": f"{zid}开发区", "county": county, "level": level,
           "approved_area_ha": side * side * 100 * 1.5, "industries": industries,
           "developable_mu": dev, "industrial_va_100m": va, "geometry": box_km(x, y, side)}
    row.update(extra)
    return row


def park(pid, county="南湖区", x=2.0, y=0.0, side=0.5, *, industries="C38", dev=500.0, va=5.0,
         tax=0.3, output=10.0, park_type="town_park", conforms=True, **extra):
    row = {"park_id": pid, "name": f"{pid}园区", "county": county, "town": f"{pid}镇",
           "park_type": park_type, "industries": industries, "conforms_to_plan": conforms,
           "hazard": "none", "developable_mu": dev, "industrial_va_100m": va, "tax_100m": tax,
           "industrial_output_100m": output, "geometry": box_km(x, y, side)}
    row.update(extra)
    return row


def _frame(rows, template, crs):
    if not rows:  # an empty layer still has the contract's fields
        cols = {k: pd.Series(dtype=object) for k in template if k != "geometry"}
        return gpd.GeoDataFrame(cols, geometry=gpd.GeoSeries([], crs=crs), crs=crs)
    return gpd.GeoDataFrame(rows, geometry="geometry", crs=crs)


def layers(zones, parks, crs=4549):
    return {"zones": _frame(zones, zone("x"), crs), "parks": _frame(parks, park("x"), crs)}


def scenario(**consolidate):
    county = consolidate.pop("county", None)
    data = {"consolidate": consolidate}
    if county:
        data["consolidate"]["county"] = county
    return scenario_from_dict(data)


def by_id(result, pid):
    return result.parks.set_index("park_id").loc[pid]


def zone_row(result, zid):
    return result.zones.set_index("zone_id").loc[zid]


# ---------------------------------------------------------------- hand-built counties


def test_adjacent_related_park_joins_unrelated_and_distant_exit():
    # zone at x 0..1 km; A at 2 km (1 km gap), same division C38; B 1 km away but I65;
    # C related but 8 km away
    data = layers([zone("Z1")], [park("A", x=2.0, industries="C3825"),
                                 park("B", x=0.0, y=2.0, industries="I65"),
                                 park("C", x=9.0, industries="C38")])
    r = integrate(data)
    a, b, c = by_id(r, "A"), by_id(r, "B"), by_id(r, "C")
    assert (a["decision"], a["platform_id"]) == ("sub_zone", "Z1")
    assert a["distance_km"] == pytest.approx(1.0, abs=1e-6)
    assert a["reason"] == "R7: joins Z1开发区 — 1.0 km, same division C38"
    assert b["decision"] == "exit" and b["platform_id"] == ""
    assert "R7" in b["reason"] and "not related enough" in b["reason"]
    assert c["decision"] == "exit"
    assert "8.0 km, too far" in c["reason"]
    assert r.exit_status == 0


def test_quota_takes_the_weakest_per_mu_score():
    # 4 related parks next to a zone that meets R4 alone: R11 ceil(0.3*4) = 2 exits,
    # the two with the lowest tax and output per mu
    taxes = {"A": 1.0, "B": 0.05, "C": 0.6, "D": 0.02}
    parks = [park(pid, x=2.0 + k, tax=t, output=40 * t) for k, (pid, t) in enumerate(taxes.items())]
    r = integrate(layers([zone("Z1")], parks))
    decisions = r.parks.set_index("park_id")["decision"].to_dict()
    assert decisions == {"A": "sub_zone", "B": "exit", "C": "sub_zone", "D": "exit"}
    assert by_id(r, "D")["reason"].startswith("R11 quota: weakest remaining per-mu score in 南湖区")
    assert "2 of 4 parks must exit" in by_id(r, "B")["reason"]
    row = r.counties.set_index("county").loc["南湖区"]
    assert (row["quota"], row["exits"], row["n_parks"]) == (2, 2, 4)


def test_floor_decides_which_parks_stay():
    # the zone holds 8,000 mu; the strong park adds 100 mu, the weak one 2,500 mu. R11 takes
    # one of the two: only keeping the weak one reaches R4's 10,000 mu
    zones = [zone("Z1", dev=8000.0, va=90.0)]
    parks = [park("STRONG", x=2.0, dev=100.0, tax=2.0, output=60.0),
             park("WEAK", x=3.0, dev=2500.0, tax=0.01, output=1.0)]
    r = integrate(layers(zones, parks))
    assert by_id(r, "WEAK")["decision"] == "sub_zone"
    assert by_id(r, "STRONG")["decision"] == "exit"
    assert "R4 floors" in by_id(r, "STRONG")["reason"]
    plat = r.platforms.set_index("platform_id").loc["Z1"]
    assert plat["developable_mu"] == pytest.approx(10500.0)
    assert bool(plat["meets_R4"])
    # without the floor the weak park is the one to go
    r = integrate(layers(zones, parks), scenario(min_developable_mu=0.0))
    assert by_id(r, "WEAK")["decision"] == "exit"


def test_two_platforms_split_parks_by_industry():
    zones = [zone("Z1", x=0.0, industries="C38"),
             zone("Z2", x=6.0, level="provincial", industries="C26")]
    parks = [park("E1", x=2.0, industries="C3825"), park("E2", x=3.0, y=2.0, industries="C381"),
             park("K1", x=4.0, industries="C2614"), park("K2", x=4.0, y=2.0, industries="C26"),
             park("X", x=3.0, y=-2.0, industries="C38;C26", tax=2.0, output=50.0)]
    r = integrate(layers(zones, parks))
    got = r.parks.set_index("park_id")["platform_id"].to_dict()
    assert got["E1"] == "Z1" and got["K1"] == "Z2"
    # one exit for R11 (ceil(0.3*5) = 2 overall): whatever exits, nobody crosses industries
    for pid, plat in got.items():
        if plat:
            codes = by_id(r, pid)["industries"]
            other = "C26" if plat == "Z1" else "C38"
            assert relatedness(codes, zone_row(r, plat)["industries"]) >= 0.5
            assert pid == "X" or relatedness(codes, other) < 0.5
    assert set(r.platforms["platform_id"]) == {"Z1", "Z2"}


def test_r10_exits_and_characteristic_towns():
    parks = [park("OK", x=2.0),
             park("NC", x=3.0, conforms=False),
             park("HZ", x=4.0, hazard="major"),
             park("LSS", x=2.0, y=2.0, low_small_scattered=True),
             park("INC", x=3.0, y=2.0, compatible_with_surroundings=False),
             park("TOWN", x=4.0, y=2.0, park_type="characteristic_town")]
    r = integrate(layers([zone("Z1")], parks))
    assert by_id(r, "NC")["reason"] == "R10: does not conform to the planning layout"
    assert by_id(r, "HZ")["reason"] == "R10: major environmental or safety hazard"
    assert by_id(r, "LSS")["reason"] == "R10: industry is low, small and scattered"
    assert "低小散" in by_id(r, "LSS")["reason_zh"]
    assert by_id(r, "INC")["reason"] == "R10: at odds with its surroundings"
    town = by_id(r, "TOWN")
    assert town["decision"] == "excluded" and "characteristic town" in town["reason"]
    assert by_id(r, "OK")["decision"] == "sub_zone"
    row = r.counties.set_index("county").loc["南湖区"]
    # R11 base: 5 parks (the characteristic town is left out); 4 forced exits meet ceil(1.5)
    assert (row["n_parks"], row["quota"], row["r10_exits"], row["excluded"]) == (5, 2, 4, 1)
    # a county that includes its characteristic towns: the town takes part and can join
    s = scenario(county=[{"name": "南湖区", "include_characteristic_towns": True}])
    r = integrate(layers([zone("Z1")], parks), s)
    assert by_id(r, "TOWN")["decision"] == "sub_zone"
    assert r.counties.set_index("county").loc["南湖区", "n_parks"] == 6


def test_r8_functional_zone_parks_join_only_their_own_platform():
    fz = "嘉兴港区"
    zones = [zone("ZP", county="平湖市", x=0.0, industries="C26"),
             zone("ZG", county=fz, x=20.0, level="provincial", industries="C26")]
    parks = [park("G1", county=fz, x=21.5, industries="C26"),  # near its own zone
             park("G2", county=fz, x=1.5, industries="C26")]  # near 平湖's zone only
    s = scenario(cross_county=[[fz, "平湖市"]])
    r = integrate(layers(zones, parks), s)
    assert by_id(r, "G1")["platform_id"] == "ZG"
    assert by_id(r, "G1")["reason"].startswith(
        f"R8: {fz} keeps no town parks of its own; R7: joins")
    assert by_id(r, "G2")["decision"] == "exit"
    assert by_id(r, "G2")["reason"].startswith("R8:")


def test_cross_county_joining_only_where_allowed():
    zones = [zone("ZA", county="甲县", x=0.0)]
    parks = [park("B1", county="乙县", x=2.0)]
    r = integrate(layers(zones, parks))
    assert by_id(r, "B1")["decision"] == "exit"
    assert "乙县 has no development zone" in by_id(r, "B1")["reason"]
    # (one park alone would be taken by R11: ceil(0.3 * 1) = 1; the quota is set aside here)
    r = integrate(layers(zones, parks), scenario(cross_county=[["甲县", "乙县"]], exit_share=0.0))
    assert by_id(r, "B1")["platform_id"] == "ZA"
    # R14: the sub-zone keeps its own county and town; statistics stay attributable
    members = r.members.set_index("member_id")
    assert (members.loc["B1", "county"], members.loc["B1", "town"]) == ("乙县", "B1镇")
    assert by_id(r, "B1")["county"] == "乙县"


def test_county_without_zone_exits_every_park():
    r = integrate(layers([zone("Z1", county="甲县")], [park("P", county="乙县", x=30.0)]))
    p = by_id(r, "P")
    assert p["decision"] == "exit"
    assert p["reason"].startswith("R6: 乙县 has no development zone to anchor a major platform")
    assert r.counties.set_index("county").loc["乙县", "status"] == "no_platform"


def test_unreachable_floor_is_reported_with_its_cause_and_exit_1():
    # zone 6,000 mu / 50 亿元; one related park nearby (1,000 mu); a related park 7 km away
    # would bring 5,000 mu and 40 亿元; an unrelated park sits next door
    zones = [zone("Z1", dev=6000.0, va=50.0)]
    parks = [park("NEAR", x=2.0, dev=1000.0, va=5.0), park("FAR", x=8.0, dev=5000.0, va=40.0),
             park("OTHER", x=0.0, y=2.0, industries="I65", dev=300.0, va=1.0)]
    r = integrate(layers(zones, parks))
    assert r.exit_status == 1
    plat = r.platforms.set_index("platform_id").loc["Z1"]
    assert not plat["meets_R4"]
    assert plat["shortfall_R4_mu"] == pytest.approx(3000.0)
    assert plat["shortfall_R4_va_100m"] == pytest.approx(25.0)
    note = plat["r4_note"]
    assert "short by 3,000 mu and 25.0 亿元" in note
    assert "not industry-related" in note and "OTHER园区" in note
    assert "a limit of 7.0 km would bring 1 of them (5,000 mu, 40.0 亿元)" in note
    larger = r.r4_notes["Z1"]["larger_limit"]
    assert larger["distance_km"] == pytest.approx(7.0)
    assert r.problems and "R4" in r.problems[0]
    # the 8 km variant reaches it
    r8 = integrate(layers(zones, parks), scenario(distance_km=8.0))
    assert r8.exit_status == 0 and bool(r8.platforms["meets_R4"].iloc[0])


def test_main_platform_choice_forced_forbidden_and_by_score():
    zones = [zone("NAT", x=0.0, main_platform=False),
             zone("P1", x=5.0, level="provincial", va=150.0),
             zone("P2", x=10.0, level="provincial", va=90.0),
             zone("P3", x=15.0, level="provincial", va=80.0, main_platform=True)]
    r = integrate(layers(zones, [park("A", x=30.0)]))
    roles = r.zones.set_index("zone_id")["role"].to_dict()
    # forced P3, then the best remaining provincial zone; the national one is forbidden
    assert roles["NAT"] != "main_platform"
    assert roles["P3"] == "main_platform" and roles["P1"] == "main_platform"
    assert roles["P2"] != "main_platform"  # it may join a platform nearby as a sub-zone
    assert "R3: 南湖区 keeps 2 major platforms" in zone_row(r, "P2")["reason"]
    assert "main_platform = false" in zone_row(r, "NAT")["reason"]


def test_small_provincial_zone_joins_instead_of_becoming_a_platform():
    zones = [zone("NAT", x=0.0), zone("SMALL", x=2.0, level="provincial", dev=1000.0, va=10.0,
                                      industries="C382")]
    r = integrate(layers(zones, [park("A", x=0.0, y=2.0)]))
    small = zone_row(r, "SMALL")
    assert small["role"] == "sub_zone" and small["platform_id"] == "NAT"
    assert "R6/R4: not a main platform" in small["reason"] and "joins NAT开发区 as a sub-zone" \
        in small["reason"]
    plat = r.platforms.set_index("platform_id").loc["NAT"]
    # the zone counts for nothing in R11: the lone park is the county's one exit
    assert by_id(r, "A")["reason"].startswith("R11 quota")
    assert plat["developable_mu"] == pytest.approx(12000 + 1000)
    # an unrelated small zone stays as it is
    zones[1]["industries"] = "I65"
    r = integrate(layers(zones, [park("A", x=0.0, y=2.0)]))
    assert zone_row(r, "SMALL")["role"] == "standalone"
    assert zone_row(r, "SMALL")["reason"].endswith("stays as it is")


def test_area_ceiling_is_never_exceeded():
    # zone 1 km² = 1,500 mu; parks 0.25 km² = 375 mu each; ceiling 170 ha = 2,550 mu
    parks = [park(f"P{k}", x=2.0 + k * 0.7, tax=1.0 - 0.1 * k) for k in range(5)]
    s = scenario(area_cap_ha=170.0, exit_share=0.0)
    r = integrate(layers([zone("Z1")], parks), s)
    plat = r.platforms.iloc[0]
    assert plat["area_mu"] <= 2550 + 1e-6
    assert plat["n_sub_zones"] == 2  # 1,500 + 2 x 375 = 2,250; a third would make 2,625
    out = r.parks[r.parks["decision"] == "exit"]
    assert all("area ceiling" in reason for reason in out["reason"])


def test_connected_mode_joins_through_a_chain():
    # B is 4 km from A, 7 km from the zone; A is 1 km from the zone
    parks = [park("A", x=2.0), park("B", x=6.5)]
    s = scenario(exit_share=0.0)
    assert by_id(integrate(layers([zone("Z1")], parks), s), "B")["decision"] == "exit"
    r = integrate(layers([zone("Z1")], parks), scenario(exit_share=0.0, connected=True))
    assert by_id(r, "B")["platform_id"] == "Z1"
    assert "through a chain of its sub-zones (via A园区)" in by_id(r, "B")["reason"]


def test_distances_are_measured_in_the_projected_crs():
    data = layers([zone("Z1")], [park("A", x=3.4)])
    geo = {k: v.to_crs(4490) for k, v in data.items()}
    a = by_id(integrate(data), "A")["distance_km"]
    b = by_id(integrate(geo), "A")["distance_km"]
    assert a == pytest.approx(2.4, abs=1e-6)
    assert b == pytest.approx(2.4, abs=0.01)  # same ground distance, measured in EPSG:4549


def test_parallel_jobs_give_the_same_result(monkeypatch):
    import parkgeo.consolidate.integrate as mod

    monkeypatch.setattr(mod, "POOL_MIN_GROUPS", 2)  # the pool, even for four counties
    zones, parks = [], []
    for k, cty in enumerate(["甲县", "乙县", "丙县", "丁县"]):
        zones.append(zone(f"Z{k}", county=cty, x=40.0 * k))
        parks += [park(f"P{k}{i}", county=cty, x=40.0 * k + 2 + i, tax=0.1 * (i + 1))
                  for i in range(4)]
    one = integrate(layers(zones, parks), jobs=1)
    # two and three processes share the county groups in chunks, whichever takes each
    for two in (integrate(layers(zones, parks), jobs=2), integrate(layers(zones, parks), jobs=3)):
        pd.testing.assert_frame_equal(one.parks.drop(columns="geometry"),
                                      two.parks.drop(columns="geometry"))
        assert one.counties["objective"].tolist() == two.counties["objective"].tolist()
        pd.testing.assert_frame_equal(one.platforms.drop(columns="geometry"),
                                      two.platforms.drop(columns="geometry"))
        pd.testing.assert_frame_equal(one.zones.drop(columns="geometry"),
                                      two.zones.drop(columns="geometry"))


# ---------------------------------------------------------------- the result GeoPackage


def test_zone_geometry_is_written_byte_for_byte(tmp_path):
    multi = shapely.MultiPolygon([box_km(20, 0, 1), box_km(22, 0, 0.5)])
    zones = [zone("Z1"), zone("Z2", x=20.0, level="provincial", dev=500.0, va=1.0)]
    zones[1]["geometry"] = multi
    src = tmp_path / "in.gpkg"
    data = layers(zones, [park("A")])
    for name, frame in data.items():
        frame.to_file(src, layer=name, engine="pyogrio")
    from parkgeo.read import read_dataset

    r = integrate(read_dataset(src))
    out = write_result(r, tmp_path / "out.gpkg")
    before = pyogrio.read_dataframe(src, layer="zones")
    after = pyogrio.read_dataframe(out, layer="zones")
    assert [g.wkb for g in before.geometry] == [g.wkb for g in after.geometry]
    assert after.crs == before.crs


def test_result_layers_and_run_table(tmp_path):
    data = layers([zone("Z1")], [park("A"), park("B", x=3.0, conforms=False)])
    data["counties"] = gpd.GeoDataFrame({"name": ["南湖区"]}, geometry=[box_km(-5, -5, 20)],
                                        crs=4549)
    data["monitoring"] = pd.DataFrame({"platform_id": ["Z1"], "period": ["2019Q1"],
                                       "industrial_va_100m": [25.0]})
    s = scenario(distance_km=6.0)
    r = integrate(data, s)
    from parkgeo.publish.qgis import style_result

    # styled as 'parkgeo integrate' writes it
    path = write_result(r, tmp_path / "r.gpkg", styles=style_result)
    names = [row[0] for row in pyogrio.list_layers(path)]
    for name in ("zones", "parks", "platforms", "counties", "monitoring", "members",
                 "county_report", "run"):
        assert name in names
    mon = pyogrio.read_dataframe(path, layer="monitoring")
    assert mon["industrial_va_100m"].tolist() == [25.0]
    parks = pyogrio.read_dataframe(path, layer="parks")
    assert {"decision", "platform_id", "reason"} <= set(parks.columns)
    assert set(parks["decision"]) <= {"sub_zone", "exit", "excluded"}
    plats = pyogrio.read_dataframe(path, layer="platforms")
    for col in ("platform_id", "name", "county", "main_zone_id", "n_sub_zones", "meets_R3",
                "meets_R4", "meets_T2", "meets_T3", "meets_T4", "shortfall_R4_mu",
                "output_per_mu_10k", "tax_per_mu_10k"):
        assert col in plats.columns
    assert plats.geometry.iloc[0].geom_type == "MultiPolygon"
    # geometry = main zone + its sub-zone as parts, not a dissolved outline
    assert len(plats.geometry.iloc[0].geoms) == 2
    run = pyogrio.read_dataframe(path, layer="run", read_geometry=False)
    assert run["parkgeo_version"].iloc[0]
    again = scenario_from_dict(__import__("tomllib").loads(run["scenario_toml"].iloc[0]))
    assert again.consolidate.distance_km == 6.0
    assert "time" not in " ".join(run.columns)
    # QGIS opens it styled: one default style per map layer, colours matching the web map
    styles = pyogrio.read_dataframe(path, layer="layer_styles", read_geometry=False)
    assert {"zones", "parks", "platforms", "counties"} <= set(styles["f_table_name"])
    assert styles["useAsDefault"].all()
    assert all(qml.lstrip().startswith("<!DOCTYPE qgis") or "<qgis" in qml
               for qml in styles["styleQML"])
    # reproducible: the same input and scenario give the same bytes
    second = write_result(integrate(data, s), tmp_path / "r2.gpkg", styles=style_result)
    assert Path(path).read_bytes() == Path(second).read_bytes()


def test_existing_output_is_refused(tmp_path):
    r = integrate(layers([zone("Z1")], [park("A")]))
    write_result(r, tmp_path / "r.gpkg")
    from parkgeo.errors import OutputError

    with pytest.raises(OutputError, match="--overwrite"):
        write_result(r, tmp_path / "r.gpkg")
    write_result(r, tmp_path / "r.gpkg", overwrite=True)


def test_json_report_and_text():
    r = integrate(layers([zone("Z1", dev=6000.0, va=50.0)], [park("A")]))
    rep = result_to_json(r)
    json.dumps(rep, ensure_ascii=False)  # serialisable
    assert rep["exit_status"] == 1
    assert rep["summary"]["platforms"] == 1 and rep["summary"]["platforms_meeting_R4"] == 0
    assert rep["counties"][0]["status"] == "optimal"
    for key in ("objective", "bound", "gap"):
        assert key in rep["counties"][0]
    # the lone park is R11's one exit (R11 is never relaxed): short by the full 4,000 mu
    assert rep["platforms"][0]["r4"]["shortfall_mu"] == pytest.approx(10000 - 6000)
    assert rep["platforms"][0]["r4"]["taken_elsewhere"][0]["where"] == "exit (R11)"
    assert "distance_km = 5.0" in rep["scenario"]["toml"]
    text = result_text(r)
    assert "Hard rules not met" in text and "南湖区" in text


def test_variants_compare_5_and_8_km():
    s = scenario_from_dict({"variant": [{"name": "5 km"},
                                        {"name": "8 km", "consolidate": {"distance_km": 8.0}}]})
    zones = [zone("Z1", dev=6000.0, va=50.0)]
    parks = [park("NEAR", x=2.0, dev=1000.0), park("FAR", x=8.0, dev=5000.0, va=40.0)]
    results = integrate_variants(layers(zones, parks), [(None, s)])
    table = compare_results(results).set_index("variant")
    assert table.loc["5 km", "platforms_meeting_R4"] == 0
    assert table.loc["8 km", "platforms_meeting_R4"] == 1
    # R11 takes one of the two parks either way; at 8 km the far park, needed for R4, stays
    assert table.loc["8 km", "exits"] == 1 and table.loc["5 km", "exits"] == 1
    assert by_id(results[1], "FAR")["decision"] == "sub_zone"
    assert by_id(results[0], "NEAR")["decision"] == "sub_zone"
    assert table.loc["8 km", "distance_km"] == 8.0


# ---------------------------------------------------------------- properties on random datasets

INDUSTRIES = ["C38", "C3825", "C381", "C26", "C2614", "I65", "C17"]


@st.composite
def random_datasets(draw):
    n_counties = draw(st.integers(1, 3))
    zones, parks = [], []
    for k in range(n_counties):
        cty = f"县{k}"
        n_z = draw(st.integers(1, 2))
        for z in range(n_z):
            zones.append(zone(f"Z{k}{z}", county=cty, x=50.0 * k + 8.0 * z,
                              level=draw(st.sampled_from(["national", "provincial"])),
                              industries=draw(st.sampled_from(INDUSTRIES)),
                              dev=float(draw(st.integers(2000, 12000))),
                              va=float(draw(st.integers(20, 120)))))
        for p in range(draw(st.integers(0, 7))):
            parks.append(park(f"P{k}{p}", county=cty,
                              x=50.0 * k + draw(st.floats(-6, 18)), y=draw(st.floats(-6, 6)),
                              side=0.4, industries=draw(st.sampled_from(INDUSTRIES)),
                              dev=float(draw(st.integers(0, 4000))),
                              va=float(draw(st.integers(0, 40))),
                              tax=draw(st.floats(0, 2)), conforms=draw(st.booleans())
                              or draw(st.booleans())))
    # parks must not overlap each other for a valid dataset; nudge them apart vertically
    for i, p in enumerate(parks):
        p["geometry"] = shapely.affinity.translate(p["geometry"], 0, i * 10.0)
    cap = draw(st.sampled_from([None, 300.0, 800.0]))
    return layers(zones, parks), cap


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(random_datasets(), st.sampled_from([3.0, 5.0]))
def test_random_datasets_keep_every_rule(case, limit):
    data, cap = case
    s = scenario(distance_km=limit, area_cap_ha=cap)
    r = integrate(data, s, check=False)  # random data: the engine alone, unvalidated
    parks = r.parks
    # every park decided once
    assert len(parks) == len(data["parks"])
    assert set(parks["decision"]) <= {"sub_zone", "exit", "excluded"}
    assert ((parks["decision"] == "sub_zone") == (parks["platform_id"] != "")).all()
    assert parks["reason"].map(bool).all()
    zones = data["zones"].set_index("zone_id")
    for _, p in parks[parks["decision"] == "sub_zone"].iterrows():
        z = zones.loc[p["platform_id"]]
        # within the distance limit (independently measured: the data is in EPSG:4549)
        assert shapely.distance(p.geometry, z.geometry) / 1000 <= limit + 1e-6
        assert relatedness(p["industries"], z["industries"]) >= 0.5
        assert z["county"] == p["county"]
    # R11 quota per county
    for _, sub in parks.groupby("county"):
        counted = sub[sub["decision"] != "excluded"]
        assert (counted["decision"] == "exit").sum() >= math.ceil(round(0.3 * len(counted), 9))
    # area ceilings
    if cap is not None:  # a main zone larger than the ceiling takes no sub-zone at all
        for _, plat in r.platforms.iterrows():
            if plat["n_sub_zones"]:
                assert plat["area_mu"] <= cap * 15 + 1e-6
    # zones' geometry unchanged (R1)
    assert all(a.wkb == b.wkb for a, b in zip(data["zones"].geometry, r.zones.geometry,
                                             strict=True))
    # solver status reported for every county with a platform
    assert r.counties["status"].isin(["optimal", "trivial", "no_platform", "no_candidates"]).all()


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(random_datasets())
def test_feasible_dataset_is_never_reported_infeasible(case):
    data, _ = case
    # floors every main zone meets on its own: the instance is feasible by construction
    s = scenario(min_developable_mu=1000.0, min_va_100m=10.0)
    r = integrate(data, s, check=False)  # random data: the engine alone, unvalidated
    assert r.exit_status == 0
    assert r.platforms["meets_R4"].all()
    assert not r.counties["floors_relaxed"].any()


# ---------------------------------------------------------------- the command line


def write_dataset(path, data):
    for name, frame in data.items():
        frame.to_file(path, layer=name, engine="pyogrio")
    return path


@pytest.fixture
def small_gpkg(tmp_path):
    return write_dataset(tmp_path / "small.gpkg",
                         layers([zone("Z1")], [park("A"), park("B", x=3.0, industries="I65")]))


def test_cli_writes_result_and_report(tmp_path, small_gpkg):
    out, rep = tmp_path / "r.gpkg", tmp_path / "r.json"
    res = CliRunner().invoke(cli, ["integrate", str(small_gpkg), "--out", str(out), "--json",
                                   str(rep)])
    assert res.exit_code == 0, res.output
    assert out.exists() and rep.exists()
    data = json.loads(rep.read_text(encoding="utf-8"))
    assert data["summary"]["sub_zones"] == 1
    assert "Z1开发区" in res.output
    # refuses to overwrite
    res = CliRunner().invoke(cli, ["integrate", str(small_gpkg), "--out", str(out)])
    assert res.exit_code == 2
    assert "--overwrite" in res.output


def test_cli_json_to_stdout(tmp_path, small_gpkg):
    res = CliRunner().invoke(cli, ["integrate", str(small_gpkg), "--out",
                                   str(tmp_path / "r.gpkg"), "--json", "-"])
    assert res.exit_code == 0
    assert json.loads(res.stdout)["exit_status"] == 0


def test_cli_exit_1_when_r4_cannot_be_met(tmp_path):
    src = write_dataset(tmp_path / "in.gpkg", layers([zone("Z1", dev=2000.0)], [park("A")]))
    out = tmp_path / "r.gpkg"
    res = CliRunner().invoke(cli, ["integrate", str(src), "--out", str(out)])
    assert res.exit_code == 1
    assert out.exists()  # the result is still written
    assert "R4" in res.output and "short by" in res.output


def test_cli_refuses_data_with_validation_errors(tmp_path):
    # two parks overlapping: a validation error
    src = write_dataset(tmp_path / "bad.gpkg",
                        layers([zone("Z1")], [park("A", x=2.0), park("B", x=2.1)]))
    out = tmp_path / "r.gpkg"
    res = CliRunner().invoke(cli, ["integrate", str(src), "--out", str(out)])
    assert res.exit_code == 2
    assert "parkgeo validate" in res.output and "overlap" in res.output
    assert not out.exists()


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_cli_refuses_invalid_data_whether_the_gate_runs_first_or_beside(tmp_path, jobs):
    # --jobs 1: the gate runs before the consolidation; --jobs 2: in its own process beside it.
    # Either way the same refusal, naming the first error, and no result written
    src = write_dataset(tmp_path / "bad.gpkg",
                        layers([zone("Z1")], [park("A", x=2.0), park("B", x=2.1)]))
    out = tmp_path / f"r{jobs}.gpkg"
    res = CliRunner().invoke(cli, ["integrate", str(src), "--out", str(out), "--jobs", jobs])
    assert res.exit_code == 2
    assert "parkgeo validate" in res.output and "overlap" in res.output
    assert not out.exists()


def test_gate_beside_raises_what_check_valid_raises(tmp_path):
    from parkgeo.consolidate.variants import GateBeside
    from parkgeo.errors import ValidationFailedError
    from parkgeo.read import read_dataset

    src = write_dataset(tmp_path / "bad.gpkg",
                        layers([zone("Z1")], [park("A", x=2.0), park("B", x=2.1)]))
    ds = read_dataset(src, strict=False)
    with pytest.raises(ValidationFailedError) as here:
        check_valid(ds)
    gate = GateBeside(ds)
    with pytest.raises(ValidationFailedError) as beside:
        gate.wait()
    assert str(beside.value) == str(here.value)
    assert [(f.rule, f.layer, f.id) for f in beside.value.findings] == \
        [(f.rule, f.layer, f.id) for f in here.value.findings]
    # data that passes: wait() returns
    GateBeside(read_dataset(write_dataset(tmp_path / "ok.gpkg", layers([zone("Z1")],
                                                                   [park("A")])),
                            strict=False)).wait()


def test_gate_beside_reraises_other_failures_from_this_process(tmp_path, monkeypatch):
    # a failure of the gate process that is not a validation error is raised again here,
    # as check_valid itself raises it (not swallowed, not a generic error)
    from parkgeo.consolidate import variants
    from parkgeo.read import read_dataset

    ds = read_dataset(write_dataset(tmp_path / "ok.gpkg", layers([zone("Z1")], [park("A")])),
                      strict=False)

    def broken(dataset, scenario=None, *, jobs=None):
        raise KeyError("broken gate")

    monkeypatch.setattr(variants, "check_valid", broken)
    gate = variants.GateBeside(ds)
    with pytest.raises(KeyError, match="broken gate"):
        gate.wait()


@pytest.mark.skipif(not hasattr(os, "fork"), reason="the gate runs beside only where it forks")
def test_the_gate_process_checks_in_one_thread(tmp_path, monkeypatch):
    # PROJ objects made in the parent crashed a forked gate now and then when its checks ran
    # in new threads: the gate's process validates in its own thread only
    from parkgeo.consolidate import variants
    from parkgeo.errors import ValidationFailedError
    from parkgeo.read import read_dataset

    ds = read_dataset(write_dataset(tmp_path / "ok.gpkg", layers([zone("Z1")], [park("A")])),
                      strict=False)

    def threads_asked(dataset, scenario=None, *, jobs=None):
        raise ValidationFailedError(f"jobs={jobs}", findings=[])

    monkeypatch.setattr(variants, "check_valid", threads_asked)
    with pytest.raises(ValidationFailedError, match="^jobs=1$"):
        variants.GateBeside(ds).wait()


def test_cli_bad_options(tmp_path, small_gpkg):
    res = CliRunner().invoke(cli, ["integrate", str(small_gpkg), "--out", str(tmp_path / "r.shp")])
    assert res.exit_code == 2 and ".gpkg" in res.output
    res = CliRunner().invoke(cli, ["integrate", str(tmp_path / "missing.gpkg"), "--out",
                                   str(tmp_path / "r.gpkg")])
    assert res.exit_code == 2 and "does not exist" in res.output
    bad = tmp_path / "bad.toml"
    bad.write_text("[consolidate]\ndistance_kms = 8\n", encoding="utf-8")
    res = CliRunner().invoke(cli, ["integrate", str(small_gpkg), "--out", str(tmp_path / "r.gpkg"),
                                   "--config", str(bad)])
    assert res.exit_code == 2 and "distance_kms" in res.output


def test_cli_compares_several_configs(tmp_path, small_gpkg):
    five, eight = tmp_path / "5km.toml", tmp_path / "8km.toml"
    five.write_text("[consolidate]\ndistance_km = 5.0\n", encoding="utf-8")
    eight.write_text("[consolidate]\ndistance_km = 8.0\n", encoding="utf-8")
    out = tmp_path / "cmp.gpkg"
    res = CliRunner().invoke(cli, ["integrate", str(small_gpkg), "--out", str(out), "--config",
                                   str(five), "--config", str(eight), "--jobs", "2"])
    assert res.exit_code == 0, res.output
    assert (tmp_path / "cmp.5km.gpkg").exists() and (tmp_path / "cmp.8km.gpkg").exists()
    table = pd.read_csv(tmp_path / "cmp.comparison.csv")
    assert table["distance_km"].tolist() == [5.0, 8.0]


def test_integrate_help_is_there():
    res = CliRunner().invoke(cli, ["integrate", "--help"])
    assert res.exit_code == 0 and "--jobs" in res.output and "Example" in res.output


# ---------------------------------------------------------------- the bundled sample


# sample_result: the sample consolidated once per session (tests/conftest.py)


def test_sample_every_platform_meets_r4(sample_result):
    r = sample_result
    assert r.exit_status == 0, r.problems
    assert len(r.platforms) >= 7
    assert r.platforms["meets_R4"].all()
    assert (r.platforms["developable_mu"] >= 10000).all()
    assert (r.platforms["industrial_va_100m"] >= 80).all()
    assert r.counties["meets_R3"].all() and r.counties["meets_R11"].all()
    assert (r.counties["status"] == "optimal").all()


def test_sample_respects_r8(sample_result):
    r = sample_result
    s = Scenario()
    zones = r.zones.set_index("zone_id")
    for fz in s.consolidate.functional_zones:
        in_fz = r.parks[r.parks["county"] == fz]
        assert len(in_fz), f"the sample has parks in {fz}"
        for _, p in in_fz.iterrows():
            assert p["decision"] in ("sub_zone", "exit")
            if p["decision"] == "sub_zone":
                assert zones.loc[p["platform_id"], "county"] == fz


def test_sample_result_reads_plausibly(sample_result):
    r = sample_result
    # one or two platforms per county; sub-zones near and related to their platform
    counts = r.platforms.groupby("county").size()
    assert counts.between(1, 2).all()
    subs = r.parks[r.parks["decision"] == "sub_zone"]
    assert (subs["distance_km"] <= 5.0 + 1e-9).all()
    zones = r.zones.set_index("zone_id")
    for _, p in subs.iterrows():
        assert relatedness(p["industries"], zones.loc[p["platform_id"], "industries"]) >= 0.5
    # parks flagged by R10 all exit, with an R10 reason
    flagged = r.parks[r.parks["reason"].str.startswith("R10")]
    assert len(flagged) and (flagged["decision"] == "exit").all()


# ---------------------------------------------------------------- engine correctness


def test_r8_cross_county_pair_changes_nothing_on_the_sample(sample_result):
    # R8: a functional zone's platform takes no park of another county and its towns keep
    # none: allowing the pair (functional zone, 南湖区) changes no decision and no distance
    from parkgeo.read import read_dataset

    plain = sample_result  # the sample under the default scenario
    paired = integrate(read_dataset(SAMPLE),
                       scenario(cross_county=[["嘉兴经济技术开发区(国际商务区)", "南湖区"]]))
    assert paired.exit_status == plain.exit_status == 0
    cols = ["park_id", "decision", "platform_id", "reason", "distance_km"]
    pd.testing.assert_frame_equal(pd.DataFrame(paired.parks[cols]), pd.DataFrame(plain.parks[cols]))
    pd.testing.assert_series_equal(paired.platforms["developable_mu"],
                                   plain.platforms["developable_mu"])


def test_r8_pair_never_reaches_another_platforms_column():
    # a county whose parks could reach a functional zone's main platform: R8 forbids it
    fz = "嘉兴港区"
    zones = [zone("ZA", county="甲县", x=0.0), zone("ZF", county=fz, x=10.0),
             zone("ZB", county="甲县", x=30.0, level="provincial")]
    parks = [park("P1", county="甲县", x=8.6), park("P2", county="甲县", x=1.5),
             park("P3", county="甲县", x=31.5)]
    r = integrate(layers(zones, parks), scenario(cross_county=[["甲县", fz]], exit_share=0.0))
    assert by_id(r, "P1")["decision"] == "exit"      # only ZF (R8) is within reach
    assert by_id(r, "P2")["platform_id"] == "ZA"
    assert by_id(r, "P3")["platform_id"] == "ZB"
    assert by_id(r, "P2")["distance_km"] == pytest.approx(0.5)


def test_a_floor_that_can_be_met_is_met():
    # ZA national (2,000 mu, 20 亿), ZB provincial (9,000 mu, 85 亿); P (1,000 mu, 5 亿) is
    # 1 km from ZA and 2 km from ZB; two more parks exit by R10 (they count for R11)
    zones = [zone("ZA", x=0.0, dev=2000.0, va=20.0),
             zone("ZB", x=4.0, level="provincial", dev=9000.0, va=85.0, main_platform=True)]
    parks = [park("P", x=2.0, side=1.0, dev=1000.0, va=5.0),
             park("X1", x=50.0, conforms=False), park("X2", x=60.0, conforms=False)]
    r = integrate(layers(zones, parks))
    assert by_id(r, "P")["platform_id"] == "ZB"
    plat = r.platforms.set_index("platform_id")
    assert bool(plat.loc["ZB", "meets_R4"]) and not bool(plat.loc["ZA", "meets_R4"])
    assert r.exit_status == 1
    note = plat.loc["ZA", "r4_note"]
    assert "8,000 mu" in note and "lacks" not in plat.loc["ZB", "r4_note"]


def test_r11_takes_the_weakest_park_not_the_farthest():
    # Z1 meets R4 alone; WEAK (adjacent, same class) scores a little below STRONG (4.9 km,
    # same division); quota 1 of 2: WEAK exits, and its reason says it was the weakest
    zones = [zone("Z1", industries="C3825", dev=20000.0, va=200.0)]
    common = dict(dev=500.0, va=5.0, output=10.0)
    parks = [park("WEAK", x=1.0, industries="C3825", tax=0.2964, **common),
             park("STRONG", x=5.9, industries="C3811", tax=0.3036, **common)]
    r = integrate(layers(zones, parks))
    weak, strong = by_id(r, "WEAK"), by_id(r, "STRONG")
    assert weak["per_mu_score"] < strong["per_mu_score"]
    assert weak["decision"] == "exit" and strong["platform_id"] == "Z1"
    assert weak["reason"].startswith("R11 quota: weakest remaining per-mu score")
    assert "kept because" not in weak["reason"]


@pytest.mark.parametrize("epsg", [4549, 4490])
def test_the_distance_limit_does_not_depend_on_the_storage_crs(epsg):
    # a park exactly 5.000 km edge to edge from its zone joins, whatever CRS stores the data
    zones = [zone("Z1", dev=20000.0, va=200.0)]
    parks = [park("EDGE", x=6.0), park("FAR", x=6.001, y=0.6)]
    data = {k: v.to_crs(epsg) for k, v in layers(zones, parks).items()}
    r = integrate(data, scenario(exit_share=0.0))
    assert by_id(r, "EDGE")["platform_id"] == "Z1"
    far = by_id(r, "FAR")
    assert far["decision"] == "exit"
    assert "5.001 km, too far" in far["reason"] and "5.0 km, too far" not in far["reason"]


def test_a_county_whose_zone_may_not_anchor_says_so():
    zones = [zone("Z1", county="甲县", main_platform=False)]
    r = integrate(layers(zones, [park("P", county="甲县")]))
    reason = by_id(r, "P")["reason"]
    assert "has no development zone" not in reason
    assert reason.startswith("R6: none of 甲县's development zones may anchor a major platform")
    assert "Z1开发区" in reason and "main_platform = false" in reason
    zh = by_id(r, "P")["reason_zh"]
    assert "Z1开发区" in zh and "均不能作为重大平台的主平台" in zh


def test_county_statuses_name_what_happened():
    # 甲县: a platform and no parks; 乙县: parks and no zone; neither breaks R3
    zones = [zone("Z1", county="甲县")]
    parks = [park("P", county="乙县", x=30.0)]
    r = integrate(layers(zones, parks))
    c = r.counties.set_index("county")
    assert c.loc["甲县", "status"] == "no_candidates"
    assert c.loc["乙县", "status"] == "no_platform"
    assert c["meets_R3"].all()
    assert r.exit_status == 0 and not r.problems


def test_relaxed_floors_are_reported_in_the_levels_even_when_nothing_is_decided():
    # the only park is unrelated: nothing to decide, and the floor is out of reach
    zones = [zone("Z1", dev=2000.0, va=20.0)]
    r = integrate(layers(zones, [park("P", industries="A01")]))
    row = r.counties.set_index("county").loc["南湖区"]
    assert row["status"] == "trivial" and bool(row["floors_relaxed"])
    assert row["r4_met"] == 0 and row["r4_shortfall"] == pytest.approx(0.8 + 0.75)
    assert row["kept"] == 0 and row["objective"] == 0.0


def test_scenario_template_and_weights_have_one_source_of_truth():
    from parkgeo.consolidate.solver import ObjectiveWeights
    from parkgeo.scenario import template

    text = template()
    assert "take part unless a county says otherwise" not in text
    assert "include_characteristic_towns = false" in text
    assert "weight_affinity" not in text and "slack_penalty" not in text
    # an older scenario that still sets the retired keys loads, with a warning
    s = scenario_from_dict({"consolidate": {"weight_affinity": 0.05, "slack_penalty": 1000.0}})
    assert s == Scenario(source=None) or s.consolidate == Scenario().consolidate
    w = ObjectiveWeights()
    assert (w.relatedness, w.proximity) == (1.0, 1.0)
    doc = (ROOT / "docs" / "consolidation.md").read_text(encoding="utf-8")
    assert "relatedness + nearness" in doc


def _reference_county(seed):
    """A random county drawn as geometry, and its problem rebuilt independently of the
    pipeline: distances measured here with shapely, relatedness from GB/T 4754 prefixes."""
    import numpy as np

    rng = np.random.default_rng(seed)
    codes = ["C38", "C3825", "C3811", "C39", "C26", "A01"]
    m = int(rng.integers(1, 3))
    zones_ = [zone(f"Z{j}", x=12.0 * j, side=1.0, level="provincial", main_platform=True,
                   industries=str(rng.choice(codes[:4])),
                   dev=float(rng.integers(2000, 9000)), va=float(rng.integers(20, 70)))
              for j in range(m)]
    n = int(rng.integers(2, 9))
    parks_ = []
    for i in range(n):
        side = 0.4
        while True:  # parks apart from each other and from the zones (valid data)
            x, y = rng.uniform(-5, 12.0 * (m - 1) + 6), rng.uniform(-6, 6)
            geom = box_km(x, y, side)
            others = [r["geometry"] for r in zones_ + parks_]
            if all(shapely.distance(geom, g) > 50 for g in others):
                break
        parks_.append(park(f"P{i}", x=x, y=y, side=side, industries=str(rng.choice(codes)),
                           dev=float(rng.integers(0, 4000)), va=float(rng.integers(0, 40)),
                           tax=round(float(rng.uniform(0, 1)), 2),
                           output=round(float(rng.uniform(1, 20)), 1),
                           conforms=bool(rng.random() > 0.15)))
    return layers(zones_, parks_), zones_, parks_


@pytest.mark.parametrize("seed", range(80))
def test_integrate_agrees_with_a_brute_force_reference(seed):
    # geometry -> decision: integrate's assignment of each random county reaches the
    # lexicographic optimum a brute-force enumeration finds on arrays built independently
    import numpy as np
    from lexref import better, evaluate, reference

    from parkgeo.consolidate.solver import CountyProblem

    data, zones_, parks_ = _reference_county(seed)
    r = integrate(data, jobs=1)
    res = r.parks.set_index("park_id")
    m, n = len(zones_), len(parks_)
    dist = np.array([[shapely.distance(p["geometry"], z["geometry"]) / 1000 for z in zones_]
                     for p in parks_])
    rel = np.array([[relatedness(p["industries"], z["industries"]) for z in zones_]
                    for p in parks_])
    forced = np.array([not p["conforms_to_plan"] for p in parks_])
    eligible = (dist <= 5.0 + 1e-6) & (rel >= 0.5)
    score = np.nan_to_num(res.loc[[p["park_id"] for p in parks_], "per_mu_score"].to_numpy(
        dtype=float))
    problem = CountyProblem.build(
        "南湖区", eligible=eligible, distance_km=dist, relatedness=rel, score=score,
        developable_mu=[p["developable_mu"] for p in parks_],
        va_100m=[p["industrial_va_100m"] for p in parks_], forced_exit=forced,
        quota=math.ceil(round(0.3 * n, 9)),
        base_developable_mu=[z["developable_mu"] for z in zones_],
        base_va_100m=[z["industrial_va_100m"] for z in zones_], floor_mu=[10000.0] * m,
        floor_va_100m=[80.0] * m)
    zid = [z["zone_id"] for z in zones_]
    got = np.array([zid.index(res.loc[p["park_id"], "platform_id"])
                    if res.loc[p["park_id"], "decision"] == "sub_zone" else -1
                    for p in parks_])
    best, _ = reference(problem)
    ok, lv = evaluate(problem, got)
    assert ok[0]
    assert better({k: float(v[0]) for k, v in lv.items()}, best) == 0
