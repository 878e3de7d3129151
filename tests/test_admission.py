"""Project admission (R12, R16, R17): every rule, on the tiny result of measure_fixtures.

Default standard land (scenario.admission): investment ≥ 300, tax ≥ 30, output ≥ 500 万元/亩,
energy ≤ 0.05 tce per 万元 of output; more than 20% short → reject, less → review.
A "good" project below: 30,000 万元 on 100 mu (300/亩), tax 3,000 (30/亩), output 60,000
(600/亩), energy 200 tce (0.0033 tce/万元).
"""

from __future__ import annotations

import json

import geopandas as gpd
import pandas as pd
import pytest
import shapely
from click.testing import CliRunner
from measure_fixtures import box, point, projects_frame, tiny_result, write_gpkg

from parkgeo.cli.main import cli
from parkgeo.errors import SchemaError
from parkgeo.measure.admission import admit_projects
from parkgeo.scenario import scenario_from_dict

GOOD = dict(industries="C38", investment_10k_yuan=30000, land_mu=100, energy_tce=200,
            expected_tax_10k_yuan=3000, expected_output_10k_yuan=60000, project_type="new",
            status="proposed", year=2020)


def project(where, **over):
    rec = {"project_id": over.pop("project_id", "P"), "name": over.pop("name", "项目"), **GOOD,
           **over}
    cols = ["project_id", "name", "industries", "investment_10k_yuan", "land_mu", "energy_tce",
            "expected_tax_10k_yuan", "expected_output_10k_yuan", "project_type", "status",
            "year"]
    return [rec[c] for c in cols], where


def admit(*items, scenario=None, result=None):
    rows = [r for r, _ in items]
    geoms = [g for _, g in items]
    return admit_projects(result or tiny_result(), projects_frame(rows, geoms),
                          scenario=scenario)


def one(items, **kw):
    a = admit(items, **kw)
    return a.table.iloc[0], a


# where things are (see measure_fixtures): zone Z1 = 南湖区 square 0, sub-zones K1 = 1, K6 = 3,
# exit park K2 = 2; characteristic town K4 (excluded) = 海宁市 square 2; 秀洲区 square 0 is empty
IN_ZONE = point("南湖区", 0)
IN_SUB_ZONE = point("南湖区", 1)
IN_EXIT = point("南湖区", 2)
IN_EXCLUDED = point("海宁市", 2)
OUTSIDE = point("秀洲区", 0)


def test_good_project_in_a_platform_is_admitted():
    row, a = one(project(IN_ZONE))
    assert row["decision"] == "admit" and row["platform_id"] == "Z1"
    assert row["platform_name"] == "南湖高新区" and row["location"] == "platform"
    assert row["investment_per_mu_10k"] == pytest.approx(300)
    assert row["reasons"] == "meets every check" and a.problems.empty
    row, _ = one(project(IN_SUB_ZONE))
    assert row["decision"] == "admit" and row["platform_id"] == "Z1" and row["park_id"] == "K1"


@pytest.mark.parametrize("where, rules, words", [
    (OUTSIDE, "R12;R16", "outside every major platform"),
    (IN_EXCLUDED, "R12;R16", "K4"),
    (IN_EXIT, "R16", "exit-type park K2"),
])
def test_location_rules(where, rules, words):
    row, _ = one(project(where))
    assert row["decision"] == "reject" and row["rules"] == rules and words in row["reasons"]
    assert row["platform_id"] == ""


def test_point_on_the_boundary_counts_as_inside():
    b = box("南湖区", 0)
    row, _ = one(project(shapely.Point(b.bounds[0], b.bounds[1] + 10)))
    assert row["decision"] == "admit" and row["platform_id"] == "Z1"


def test_projects_in_another_crs_are_measured_in_the_projected_crs():
    frame = projects_frame([project(IN_ZONE)[0], project(OUTSIDE, project_id="Q")[0]],
                           [IN_ZONE, OUTSIDE]).to_crs(4490)
    a = admit_projects(tiny_result(), frame)
    assert a.table["decision"].tolist() == ["admit", "reject"]


def test_polygon_project_partly_outside_goes_to_review():
    b = box("南湖区", 0)   # 1 km square; this 500 m wide project has 300 m inside it
    poly = shapely.box(b.bounds[0] + 700, b.bounds[1], b.bounds[0] + 1200, b.bounds[1] + 200)
    row, _ = one(project(poly))
    assert row["decision"] == "review" and "60%" in row["reasons"]
    inside = shapely.box(b.bounds[0] + 10, b.bounds[1] + 10, b.bounds[0] + 300,
                         b.bounds[1] + 300)
    assert one(project(inside))[0]["decision"] == "admit"


@pytest.mark.parametrize("industries, ptype, decision", [
    ("C2614", "new", "reject"),       # chemicals: high-energy, new → banned
    ("D44", "new", "reject"),
    ("C25;C38", "new", "reject"),     # any high-energy code is enough
    ("C31", "expansion", "admit"),    # high-energy expansion: not banned, not limited
    ("C17", "expansion", "review"),   # textiles: limited traditional industry
    ("C26", "expansion", "review"),   # both lists: an expansion is reviewed, not banned
    ("C17", "new", "admit"),
    ("C30", None, "review"),          # limited industry, type unknown
])
def test_industry_rules(industries, ptype, decision):
    row, _ = one(project(IN_ZONE, industries=industries, project_type=ptype))
    assert row["decision"] == decision
    if decision != "admit":
        assert row["rules"] == "R17"


@pytest.mark.parametrize("field, value, decision, words", [
    ("investment_10k_yuan", 25000, "review", "investment intensity 250"),   # 17% short
    ("investment_10k_yuan", 20000, "reject", "investment intensity 200"),   # 33% short
    ("expected_tax_10k_yuan", 2500, "review", "tax per mu 25"),
    ("expected_tax_10k_yuan", 1000, "reject", "tax per mu 10"),
    ("expected_output_10k_yuan", 45000, "review", "output per mu 450"),
    ("expected_output_10k_yuan", 30000, "reject", "output per mu 300"),
    ("energy_tce", 3300, "review", "energy 0.055"),                          # 10% over
    ("energy_tce", 6000, "reject", "energy 0.1"),                            # 100% over
    ("land_mu", None, "review", "land_mu is empty"),
    ("expected_tax_10k_yuan", None, "review", "expected_tax_10k_yuan is empty"),
    ("energy_tce", None, "review", "energy per unit of output cannot be computed"),
])
def test_standard_land(field, value, decision, words):
    row, _ = one(project(IN_ZONE, **{field: value}))
    assert row["decision"] == decision and row["rules"] == "R17", row["reasons"]
    assert words in row["reasons"]


def test_expansion_without_new_land_skips_the_per_mu_checks():
    row, _ = one(project(IN_ZONE, project_type="expansion", land_mu=0))
    assert row["decision"] == "admit" and pd.isna(row["investment_per_mu_10k"])


def test_per_platform_thresholds_override_the_defaults():
    s = scenario_from_dict({"admission": {"platform": [
        {"platform_id": "Z1", "min_investment_10k_per_mu": 400.0}]}})
    row, _ = one(project(IN_ZONE), scenario=s)        # 300 of 400: 25% short → reject
    assert row["decision"] == "reject" and "< 400" in row["reasons"]
    assert admit(project(point("海宁市", 0)), scenario=s).table.iloc[0]["decision"] == "admit"


def test_no_geometry_and_unknown_code_are_reported_with_row_and_field():
    a = admit(project(IN_ZONE, project_id="OK"),
              project(None, project_id="NOGEO"),
              project(IN_ZONE, project_id="BADCODE", industries="C99;C38"),
              project(IN_ZONE, project_id="SECTION", industries="C"))
    t = a.table.set_index("project_id")
    assert t.loc["NOGEO", "decision"] == "review" and t.loc["NOGEO", "location"] == "unknown"
    assert t.loc["BADCODE", "decision"] == "review" and "C99" in t.loc["BADCODE", "reasons"]
    assert t.loc["SECTION", "decision"] == "review"
    p = a.problems
    assert ((p["row"] == 2) & (p["field"] == "geometry") & (p["id"] == "NOGEO")).any()
    assert ((p["row"] == 3) & (p["field"] == "industries") & (p["rule"] == "unknown_code")).any()
    assert ((p["row"] == 4) & (p["field"] == "industries")).any()
    assert a.counts() == {"admit": 1, "review": 3, "reject": 0}


def test_reject_outranks_review_and_all_reasons_are_kept():
    row, _ = one(project(OUTSIDE, industries="C17", project_type="expansion",
                         investment_10k_yuan=28000))
    assert row["decision"] == "reject" and row["rules"] == "R12;R16"
    assert "limited traditional industry" in row["reasons"] and "investment" in row["reasons"]


def test_projects_from_the_result_layer_and_missing_layer():
    res = tiny_result()
    with pytest.raises(SchemaError, match="projects"):
        admit_projects(res)
    rows, geoms = zip(project(IN_ZONE), project(OUTSIDE, project_id="Q"), strict=True)
    res["projects"] = projects_frame(list(rows), list(geoms))
    assert admit_projects(res).counts() == {"admit": 1, "review": 0, "reject": 1}


@pytest.fixture
def files(tmp_path):
    result = str(write_gpkg(tiny_result(), tmp_path / "result.gpkg"))
    rows, geoms = zip(project(IN_ZONE, project_id="A1"), project(IN_EXIT, project_id="A2"),
                      strict=True)
    frame = projects_frame(list(rows), list(geoms)).to_crs(4490)
    # short Shapefile-style aliases must be understood
    frame = frame.rename(columns={"investment_10k_yuan": "invest_10k",
                                  "expected_tax_10k_yuan": "exp_tax"})
    projects = tmp_path / "new_projects.geojson"
    frame.to_file(projects, driver="GeoJSON", engine="pyogrio")
    return result, str(projects), tmp_path


@pytest.mark.parametrize("suffix", ["csv", "json", "gpkg"])
def test_cli_admit(files, suffix):
    result, projects, tmp = files
    out = tmp / f"admission.{suffix}"
    res = CliRunner().invoke(cli, ["admit", result, projects, "--out", str(out)])
    assert res.exit_code == 0, res.output
    assert "1 admitted, 0 to review, 1 rejected" in res.output
    if suffix == "csv":
        t = pd.read_csv(out, encoding="utf-8-sig")
    elif suffix == "json":
        doc = json.loads(out.read_text(encoding="utf-8"))
        t = pd.DataFrame(doc["records"])
        assert doc["counts"]["reject"] == 1
    else:
        t = gpd.read_file(out, layer="admission")
        assert t.crs.to_epsg() == 4490 and t.geometry.notna().all()
    assert t.set_index("project_id")["decision"].to_dict() == {"A1": "admit", "A2": "reject"}


@pytest.mark.filterwarnings("ignore:'crs' was not provided")
def test_cli_admit_bad_input(files):
    result, projects, tmp = files
    bare = gpd.read_file(projects).set_crs(None, allow_override=True)
    nocrs = tmp / "nocrs.gpkg"
    bare.to_file(nocrs, driver="GPKG", engine="pyogrio")
    res = CliRunner().invoke(cli, ["admit", result, str(nocrs)])
    assert res.exit_code == 2 and "no CRS" in res.output and "Traceback" not in res.output
    res = CliRunner().invoke(cli, ["admit", result, str(tmp / "missing.gpkg")])
    assert res.exit_code == 2 and "does not exist" in res.output
    res = CliRunner().invoke(cli, ["admit", result, projects, "--out", str(tmp / "a.xlsx")])
    assert res.exit_code == 2 and ".csv, .json or .gpkg" in res.output
    assert not (tmp / "a.xlsx").exists()
