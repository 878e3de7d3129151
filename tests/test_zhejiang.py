"""The Zhejiang sample, ``layers/zhejiang.gpkg`` (scripts/build_zhejiang.py): the national
catalogue's 120 zones of Zhejiang with their real facts, placed approximately; it validates and
consolidates, and ``parkgeo demo --sample zhejiang`` runs on it."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pytest
from click.testing import CliRunner

from parkgeo.cli.main import cli
from parkgeo.cli.tour import SAMPLES, demo_steps, run_demo
from parkgeo.consolidate.integrate import integrate
from parkgeo.errors import InputError
from parkgeo.read import read_dataset
from parkgeo.validate import validate_dataset

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "layers" / "zhejiang.gpkg"
SHARED = ROOT.parent / "shared" / "data"
BUILDER = ROOT / "scripts" / "build_zhejiang.py"

pytestmark = pytest.mark.skipif(not SAMPLE.exists(), reason="layers/zhejiang.gpkg is missing")
needs_shared = pytest.mark.skipif(not SHARED.is_dir(),
                                  reason=f"reference data not found at {SHARED}")


@pytest.fixture(scope="module")
def layers():
    return {name: gpd.read_file(SAMPLE, layer=name)
            for name in ("zones", "parks", "counties", "projects")}


@pytest.fixture(scope="module")
def builder():
    spec = importlib.util.spec_from_file_location("build_zhejiang", BUILDER)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


def test_sample_is_small():
    assert SAMPLE.stat().st_size < 3 * 1024 * 1024


@needs_shared
def test_zones_carry_the_catalogue_facts(layers):
    cat = pd.read_csv(SHARED / "china_zones_2018.csv", dtype={"code": str})
    cat = cat[cat["province"] == "浙江省"].set_index("code")
    z = layers["zones"].set_index("zone_id")
    assert len(z) == 120 and sorted(z.index) == sorted(cat.index)
    for col, ours in (("name", "name"), ("level", "level"), ("zone_type", "zone_type"),
                      ("approved_area_ha", "approved_area_ha"), ("industries_zh", "industries_zh")):
        assert (z[ours] == cat.loc[z.index, col]).all(), col
    assert (z["level"] == "national").sum() == 38
    assert z.at["G331112", "approved_area_ha"] == 1100.0  # 嘉兴经济技术开发区


def test_every_feature_says_what_is_real_and_what_is_not(layers):
    z = layers["zones"]
    assert z["source"].str.contains("real, the 2018 national catalogue").all()
    assert z["source"].str.contains("boundary: approximate").all()
    assert layers["parks"]["source"].str.startswith("illustrative").all()
    assert layers["parks"]["name"].str.endswith("(示例)").all()
    about = pd.DataFrame(gpd.read_file(SAMPLE, layer="about")).set_index("key")["value"]
    assert "NOT the zones' real boundaries" in about["approximate"]
    assert "ILLUSTRATIVE" in about["illustrative"]


@needs_shared
def test_geocodes_in_another_province_or_county_are_moved(layers):
    issues = pd.read_csv(SHARED / "china_zones_2018_geocode_issues.csv", dtype={"code": str})
    bad = set(issues.loc[issues["province"] == "浙江省", "code"])
    assert len(bad) == 6
    z = layers["zones"].set_index("zone_id")
    counties = layers["counties"].set_index("name")
    for code in bad:
        assert "moved into" in z.at[code, "source"], code
        assert counties.at[z.at[code, "county"], "geometry"].contains(
            z.at[code, "geometry"].representative_point()), code
    # named counties the geocode missed, and districts redrawn in 2021
    assert z.at["S339054", "county"] == "诸暨市"  # 诸暨珍珠, geocoded in 东阳
    assert z.at["G331107", "county"] == "临平区"
    assert z.at["G332087", "county"] == "德清县"


def test_circles_hold_at_most_the_approved_area(layers):
    z = layers["zones"]
    local = z.to_crs(4549)
    measured_ha = local.area.to_numpy() / 1e4
    assert (measured_ha <= z["approved_area_ha"].to_numpy()).all()
    # most are full circles of 95% of the approved area
    assert ((measured_ha / z["approved_area_ha"].to_numpy()) > 0.93).mean() > 0.9


def test_industries_are_derived_codes_for_every_term(builder, layers):
    codes, unmapped = builder.codes_for("装备制造、汽车零配件、食品")
    assert codes == ["C34", "C35", "C36", "C14"] and unmapped == []
    assert builder.codes_for("在建")[0] == []
    assert builder.codes_for("量子玄学")[1] == ["量子玄学"]
    for text in layers["zones"]["industries_zh"]:
        assert builder.codes_for(text)[1] == [], text
    assert layers["zones"]["industries"].str.match(r"^[A-T](\d{2,4})?(;[A-T]\d{2,4})*$").all()


@pytest.fixture(scope="module")
def dataset():
    return read_dataset(SAMPLE)


def test_the_sample_validates_clean(dataset):
    report = validate_dataset(dataset)
    assert [f for f in report.findings if f.severity == "error"] == []


def test_the_sample_consolidates(dataset):
    r = integrate(dataset, jobs=1)
    assert r.exit_status in (0, 1)  # 1: some small counties cannot reach R4, reported
    assert len(r.platforms) >= 60
    assert sorted(r.parks["park_id"]) == sorted(dataset["parks"]["park_id"])
    assert set(r.parks["decision"]) <= {"sub_zone", "exit", "excluded"}
    assert r.platforms["meets_R4"].any() and not r.platforms["meets_R4"].all()


def test_demo_knows_the_zhejiang_sample(tmp_path):
    assert SAMPLES["zhejiang"][0] == SAMPLE
    steps = demo_steps(SAMPLE, tmp_path, stem="zhejiang")
    outputs = [f for s in steps for f in s.outputs]
    assert str(tmp_path / "zhejiang-result.gpkg") in outputs
    assert steps[0].args[:2] == ("validate", str(SAMPLE))
    assert all(str(SAMPLE) in s.args or str(tmp_path / "zhejiang-result.gpkg") in s.args
               for s in steps)
    with pytest.raises(InputError, match="unknown sample 'hainan'"):
        run_demo(tmp_path, sample="hainan")
    res = CliRunner().invoke(cli, ["demo", "--sample", "hainan", "--out", str(tmp_path)])
    assert res.exit_code == 2 and "hainan" in res.output
