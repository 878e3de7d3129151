"""The national catalogue (《中国开发区审核公告目录》2018年版): package data, lookup, search,
export, the R2 checks of ``parkgeo validate`` against it, and the ``parkgeo catalogue`` command."""

from __future__ import annotations

import csv
import os
import re
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pytest
from click.testing import CliRunner
from conftest import X0, Y0, make_parks, make_zones, square

from parkgeo.catalogue import (
    CATALOGUE_CSV,
    find_zone,
    level_of,
    normalise_name,
    search,
    write_rows,
    zone_kind,
)
from parkgeo.cli.main import cli
from parkgeo.read import read_dataset
from parkgeo.scenario import Scenario, ValidateSettings
from parkgeo.validate import validate_path

# -- the package data ----------------------------------------------------------------------------


def test_package_data_holds_the_whole_catalogue():
    with open(CATALOGUE_CSV, encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    assert len(rows) == 2543
    levels = pd.Series([r["level"] for r in rows]).value_counts().to_dict()
    assert levels == {"provincial": 1991, "national": 552}
    # the code's prefix is the level: G national (国务院), S provincial (省政府)
    assert all(r["code"][0] == {"national": "G", "provincial": "S"}[r["level"]] for r in rows)
    assert {r["approved_by"] for r in rows} == {"国务院", "省政府"}
    # no geocodes: they are a third party's, approximate and unlicensed
    assert not {"lon_wgs84", "lat_wgs84"} & set(rows[0])


@pytest.mark.parametrize("code, name, area", [
    ("G331112", "嘉兴经济技术开发区", 1100.0),
    ("G331114", "平湖经济技术开发区", 1619.0),
    ("G332086", "嘉兴秀洲高新技术产业开发区", 572.0),
    ("S337036", "浙江海宁经济开发区", 582.66),
])
def test_real_approved_areas(code, name, area):
    m = find_zone(zone_id=code)
    assert (m.how, m.row["name"], m.row["approved_area_ha"]) == ("code", name, area)


def test_package_data_is_what_the_build_script_writes(tmp_path):
    import importlib.util

    root = CATALOGUE_CSV.parents[2]
    # the reference data beside the checkout, or where PARKGEO_REFERENCE_DATA says
    places = [root.parent / "shared" / "data"]
    if os.environ.get("PARKGEO_REFERENCE_DATA"):
        places.insert(0, Path(os.environ["PARKGEO_REFERENCE_DATA"]))
    shared = next((p for p in places if (p / "china_zones_2018.csv").exists()), None)
    if shared is None:
        pytest.skip("the reference data (../shared/data) is not on this machine")
    spec = importlib.util.spec_from_file_location("build_package_data",
                                                  root / "scripts" / "build_package_data.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    notes = mod.build(shared, tmp_path)
    assert any("S377018" in n for n in notes)
    for name in ("china_zones_2018.csv", "gbt4754_2017.csv"):
        assert (tmp_path / name).read_bytes() == (CATALOGUE_CSV.parent / name).read_bytes()


# -- lookup --------------------------------------------------------------------------------------


def test_name_matches_after_normalising():
    assert normalise_name("浙江 海宁经济开发区（尖山新区）") == "海宁经济开发区"
    m = find_zone(name="海宁经济开发区(尖山新区)")
    assert (m.how, m.row["code"]) == ("name", "S337036")
    # a province in the name stays when the name is a catalogue name as written
    assert find_zone(name="北京经济技术开发区").row["code"] == "G111001"


def test_name_matching_two_rows_is_ambiguous():
    m = find_zone(name="东乡经济开发区")
    assert m.row is None and m.problem == "ambiguous_name"
    assert "S367087" in m.message and "S627030" in m.message and "zone_id" in m.message


def test_unknown_code_and_the_code_used_twice():
    m = find_zone(zone_id="G999999", name="嘉兴经济技术开发区")
    assert m.row is None and m.problem == "unknown_code" and "G999999" in m.message
    assert find_zone(zone_id="S377018").problem == "ambiguous_code"
    # the name tells the catalogue's two S377018 apart
    linzi = find_zone(zone_id="S377018", name="山东临淄经济开发区")
    assert linzi.row["name"] == "山东临淄经济开发区"


def test_an_id_that_is_no_code_falls_back_to_the_name():
    assert find_zone(zone_id="ZJ-JX-04", name="嘉兴经济技术开发区").row["code"] == "G331112"
    assert find_zone(zone_id="ZJ-JX-06", name="浙江独山港经济开发区").row is None


@pytest.mark.parametrize("value, level", [
    ("国务院", "national"), ("国家级", "national"), ("national", "national"),
    ("G331112", "national"), ("省政府", "provincial"), ("省级", "provincial"),
    ("S337036", "provincial"), ("县级", None),
])
def test_levels_in_every_spelling(value, level):
    assert level_of(value) == level


@pytest.mark.parametrize("zone_type, name, kind", [
    ("海关特殊监管区域", "嘉兴综合保税区", "customs_special"),
    ("综合保税区", None, "customs_special"),
    ("其他类型开发区", "杭州之江国家旅游度假区", "tourism_resort"),
    (None, "宁波保税区", "customs_special"),
    ("经济技术开发区", "嘉兴经济技术开发区", "economic_technological"),
    ("边境/跨境经济合作区", None, "border_cooperation"),
    ("工业园区", None, "industrial_park"),
    ("其他类型开发区", "上海陆家嘴金融贸易区", "other_national"),
])
def test_zone_kinds(zone_type, name, kind):
    assert zone_kind(zone_type, name) == kind


# -- search and export ---------------------------------------------------------------------------


def test_search_by_text_province_and_level():
    jx = search("嘉兴")
    assert set(jx["code"]) >= {"G331112", "G332086", "G333060", "S339032"}
    zj = search(province="浙江")
    assert len(zj) == 120 and set(zj["province"]) == {"浙江省"}
    national = search(province="浙江省", level="国务院")
    assert set(national["level"]) == {"national"} and len(national) < len(zj)
    with pytest.raises(ValueError, match="国务院.*省政府"):
        search(level="county")


def test_zones_table_is_a_contract_layer_that_validates(tmp_path):
    rows = search("嘉兴", level="国家级")
    out = write_rows(rows, tmp_path / "zones.gpkg")
    z = gpd.read_file(out, layer="zones")
    assert z.crs.to_epsg() == 4490 and z.geometry.isna().all()
    assert z["zone_id"].tolist() == rows["code"].tolist()
    assert dict(zip(z["zone_id"], z["zone_type"], strict=True))["G333060"] == "customs_special"
    # draw the polygons, name the counties: then it is a dataset parkgeo reads and checks
    z = z.set_geometry([square(X0 + 3000 * i, Y0, 500) for i in range(len(z))], crs=4549)
    z["county"] = "南湖区"
    z["developable_mu"], z["industrial_va_100m"] = 100.0, 1.0
    path = tmp_path / "drawn.gpkg"
    z.to_file(path, layer="zones")
    make_parks().to_file(path, layer="parks")
    ds = read_dataset(path, strict=False)
    assert [p for p in ds.problems if p.layer == "zones" and p.severity == "error"] == []
    # the catalogue's free-text industries were read into codes
    assert ds["zones"].set_index("zone_id").loc["G331112", "industries"].startswith("C33;C34")
    report = validate_path(path)
    assert report.by_rule("approved_area_differs_from_catalogue") == []


def test_csv_export_keeps_the_catalogue_columns(tmp_path):
    out = write_rows(search("G331112"), tmp_path / "one.csv")
    back = pd.read_csv(out, encoding="utf-8-sig", dtype=str)
    assert back.loc[0, "code"] == "G331112"
    assert back.loc[0, "industries_zh"] == "装备制造、汽车零配件、食品"
    with pytest.raises(ValueError, match=r"\.csv or \.gpkg"):
        write_rows(search("G331112"), tmp_path / "one.txt")


# -- validate: R2 against the catalogue ----------------------------------------------------------


def _dataset(tmp_path, zones):
    path = tmp_path / "data.gpkg"
    zones.to_file(path, layer="zones")
    make_parks().to_file(path, layer="parks")
    return path


def _catalogue_zones(**overrides):
    """Z1 is 嘉兴经济技术开发区 (G331112, 1,100 ha); its polygon (100 ha) is well within."""
    data = {"zone_id": ["G331112", "Z2"], "name": ["嘉兴经济技术开发区", "平湖示例经济开发区"],
            "approved_area_ha": [1100.0, 150.0]}
    data.update(overrides)
    return make_zones(**data)


def test_approved_area_differing_from_the_catalogue_is_an_error(tmp_path):
    report = validate_path(_dataset(tmp_path, _catalogue_zones(approved_area_ha=[1242.0, 150.0])))
    [f] = report.by_rule("approved_area_differs_from_catalogue")
    assert (f.layer, f.id, f.field, f.severity) == ("zones", "G331112", "approved_area_ha", "error")
    assert "1,242.0 ha" in f.message and "1,100.0 ha" in f.message and "G331112" in f.message
    assert report.has_errors and f.x is not None  # located at the zone


def test_within_the_r2_tolerance_is_no_finding(tmp_path):
    report = validate_path(_dataset(tmp_path, _catalogue_zones(approved_area_ha=[1105.0, 150.0])))
    assert report.by_rule("approved_area_differs_from_catalogue") == []
    strict = Scenario(validate=ValidateSettings(area_tolerance=0.001))
    assert len(validate_path(_dataset(tmp_path, _catalogue_zones(
        approved_area_ha=[1105.0, 150.0])), scenario=strict).by_rule(
            "approved_area_differs_from_catalogue")) == 1


def test_matched_by_name_and_the_scenario_settings(tmp_path):
    zones = _catalogue_zones(zone_id=["ZJ-1", "Z2"], approved_area_ha=[1242.0, 150.0])
    path = _dataset(tmp_path, zones)
    # by name alone: an error, as by code (R2)
    [f] = validate_path(path).by_rule("approved_area_differs_from_catalogue")
    assert (f.id, f.severity) == ("ZJ-1", "error") and "matched by its name" in f.message
    assert "1,242.0 ha" in f.message and "1,100.0 ha" in f.message
    # a name may denote a zone after merges: the scenario can make it a warning
    lenient = Scenario(validate=ValidateSettings(catalogue_name_severity="warning"))
    [f] = validate_path(path, scenario=lenient).by_rule("approved_area_differs_from_catalogue")
    assert f.severity == "warning"
    later = Scenario(validate=ValidateSettings(catalogue_exceptions=("ZJ-1",)))
    assert validate_path(path, scenario=later).by_rule("approved_area_differs_from_catalogue") == []
    off = Scenario(validate=ValidateSettings(check_catalogue=False))
    assert validate_path(path, scenario=off).findings == ()


def test_the_name_severity_setting_is_checked():
    from parkgeo.errors import ScenarioError
    from parkgeo.scenario import scenario_from_dict

    with pytest.raises(ScenarioError, match="catalogue_name_severity"):
        scenario_from_dict({"validate": {"catalogue_name_severity": "fatal"}})


def test_missing_approved_area_is_taken_from_the_catalogue(tmp_path):
    zones = _catalogue_zones(approved_area_ha=[None, 150.0])
    report = validate_path(_dataset(tmp_path, zones))
    [f] = report.by_rule("approved_area_from_catalogue")
    assert (f.id, f.severity, f.field) == ("G331112", "info", "approved_area_ha")
    assert "1,100.00 ha" in f.message
    assert not report.has_errors and report.by_rule("bad_value") == []
    assert report.summary["infos"] == 1
    text = report.text()
    assert "Information (what parkgeo filled in):" in text
    assert re.search(r"approved_area_from_catalogue\s+-\s+-\s+1\s+R2", text)
    ds = read_dataset(_dataset(tmp_path, zones), strict=False)
    assert ds["zones"]["approved_area_ha"].tolist() == [1100.0, 150.0]


def test_a_missing_field_is_taken_where_the_catalogue_knows_the_zone(tmp_path):
    zones = _catalogue_zones().drop(columns="approved_area_ha")
    report = validate_path(_dataset(tmp_path, zones))
    assert [f.id for f in report.by_rule("approved_area_from_catalogue")] == ["G331112"]
    [bad] = report.by_rule("bad_value")  # Z2 is not in the catalogue: still missing
    assert (bad.id, bad.field) == ("Z2", "approved_area_ha") and "no row" in bad.message
    assert report.by_rule("missing_field") == []


def test_unknown_code_and_ambiguous_name_are_warnings(tmp_path):
    zones = _catalogue_zones(zone_id=["G999999", "Z2"],
                             name=["嘉兴经济技术开发区", "东乡经济开发区"])
    report = validate_path(_dataset(tmp_path, zones))
    [u] = report.by_rule("unknown_catalogue_code")
    [a] = report.by_rule("ambiguous_catalogue_name")
    assert (u.id, u.severity, a.id, a.severity) == ("G999999", "warning", "Z2", "warning")
    assert "G999999" in u.message and "S367087" in a.message


# -- the command ---------------------------------------------------------------------------------


def test_cli_prints_rows_in_chinese_by_default_and_english_on_request():
    r = CliRunner().invoke(cli, ["catalogue", "嘉兴", "--level", "国务院"])
    assert r.exit_code == 0, r.output
    lines = r.stdout.splitlines()
    assert lines[0].startswith("代码\t名称") and len(lines) == 4
    assert "G333060\t嘉兴综合保税区\t浙江省\t嘉兴\t国家级\t海关特殊监管区域\t298" in r.stdout
    en = CliRunner().invoke(cli, ["catalogue", "G331112", "--lang", "en"])
    assert en.stdout.splitlines()[0].startswith("code\tname") and "\tnational\t" in en.stdout


def test_cli_writes_a_zones_layer(tmp_path):
    out = tmp_path / "zj.gpkg"
    r = CliRunner().invoke(cli, ["catalogue", "--province", "浙江", "--out", str(out)])
    assert r.exit_code == 0, r.output
    assert len(gpd.read_file(out, layer="zones")) == 120
    again = CliRunner().invoke(cli, ["catalogue", "--province", "浙江", "--out", str(out)])
    assert again.exit_code == 2 and "--overwrite" in again.output


@pytest.mark.parametrize("args, words", [
    (["G999999"], "nothing in"),
    (["--level", "county"], "国务院"),
    (["嘉兴", "--out", "x.txt"], ".csv or .gpkg"),
])
def test_cli_bad_input_is_one_line_exit_2(args, words, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    r = CliRunner().invoke(cli, ["catalogue", *args])
    assert r.exit_code == 2
    assert words in r.output and len(r.output.strip().splitlines()) == 1
    assert "Traceback" not in r.output
