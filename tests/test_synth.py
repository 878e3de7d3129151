"""The synthetic dataset generator (scripts/bench/synth.py), on one province."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pyogrio
import pytest
import shapely

from parkgeo.errors import InputError, OutputError
from parkgeo.read.crs import areas_mu
from parkgeo.read.fields import LAYERS

ROOT = Path(__file__).resolve().parents[1]
SYNTH = ROOT / "scripts" / "bench" / "synth.py"
COUNTIES = ROOT.parent / "shared" / "data" / "china_counties_simplified.gpkg"

pytestmark = pytest.mark.skipif(not COUNTIES.exists(), reason=f"{COUNTIES} not found")


def _load():
    spec = importlib.util.spec_from_file_location("synth", SYNTH)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


synth = _load()


@pytest.fixture(scope="module")
def zhejiang():
    return synth.read_counties(COUNTIES, province="浙江省")


@pytest.fixture(scope="module")
def clean(zhejiang):
    return synth.build_synthetic(zhejiang, seed=0, parks_per_county=20, clean=True)


def required(layer):
    return [f.name for f in LAYERS[layer] if f.required]


def test_counts(clean, zhejiang):
    c, z, p = clean["counties"], clean["zones"], clean["parks"]
    assert set(clean) == {"counties", "zones", "parks"}  # clean: no planted table
    assert len(c) == len(zhejiang) == 90
    per_county = z.groupby("county").size().reindex(c["name"], fill_value=0)
    assert per_county.between(1, 2).all()
    assert 0.15 < (per_county == 2).mean() < 0.6
    parks = p.groupby("county").size().reindex(c["name"], fill_value=0)
    assert parks.between(16, 24).all()  # 80–120% of 20
    assert abs(len(p) - 20 * 90) < 0.1 * 20 * 90
    national = (z["level"] == "national").sum()
    assert 5 <= national <= 45


def test_fields_follow_the_contract(clean):
    for layer in ("counties", "zones", "parks"):
        frame = clean[layer]
        assert set(required(layer)) <= set(frame.columns), layer
        assert frame.crs.to_epsg() == 4490
        assert frame["source"].str.contains("synthetic").all()
    z, p = clean["zones"], clean["parks"]
    assert z["zone_id"].is_unique and p["park_id"].is_unique
    assert clean["counties"]["name"].is_unique
    assert set(z["level"]) == {"national", "provincial"}
    assert set(p["park_type"]) <= {"town_park", "characteristic_town", "provincial_park",
                                   "municipal_park", "other"}
    assert set(p["hazard"]) <= {"none", "minor", "major"}
    for frame in (z, p):
        assert frame["industries"].str.fullmatch(r"[A-T]\d{2,4}(;[A-T]\d{2,4})*").all()
        assert (frame["developable_mu"] >= 0).all() and (frame["industrial_va_100m"] >= 0).all()
        assert frame["high_tech_va_share"].between(0, 1).all()
    assert p["conforms_to_plan"].dtype == bool


def test_parks_and_zones_lie_in_their_county(clean):
    county = dict(zip(clean["counties"]["name"], clean["counties"].geometry, strict=True))
    for layer in ("zones", "parks"):
        frame = clean[layer]
        homes = np.array([county[n] for n in frame["county"]], dtype=object)
        assert shapely.contains(homes, frame.geometry.values).all(), layer


def test_nothing_overlaps(clean):
    both = np.concatenate([clean["zones"].geometry.values, clean["parks"].geometry.values])
    assert shapely.is_valid(both).all()
    left, right = shapely.STRtree(both).query(both, predicate="intersects")
    assert (left == right).all()


def test_zones_stay_within_their_approved_area(clean):
    z = clean["zones"]
    measured_ha = areas_mu(z).to_numpy() / 15
    assert (measured_ha <= z["approved_area_ha"].to_numpy()).all()


def test_parks_are_park_sized(clean):
    mu = areas_mu(clean["parks"]).to_numpy()
    assert mu.max() <= 3000
    assert np.median(mu) > 300


def test_same_seed_same_data_other_seed_other_data(zhejiang, clean):
    again = synth.build_synthetic(zhejiang, seed=0, parks_per_county=20, clean=True)
    for layer in ("zones", "parks"):
        pd.testing.assert_frame_equal(pd.DataFrame(again[layer].drop(columns="geometry")),
                                      pd.DataFrame(clean[layer].drop(columns="geometry")))
        assert shapely.equals_exact(again[layer].geometry.values,
                                    clean[layer].geometry.values, tolerance=0).all()
    other = synth.build_synthetic(zhejiang, seed=1, parks_per_county=20, clean=True)
    assert not shapely.equals_exact(
        other["zones"].geometry.values[:10], clean["zones"].geometry.values[:10], tolerance=0
    ).all()


def test_province_filter_and_parks_per_county():
    few = synth.build_synthetic(COUNTIES, province="宁夏回族自治区", parks_per_county=5,
                                clean=True)
    assert (few["counties"]["province"] == "宁夏回族自治区").all()
    per = few["parks"].groupby("county").size()
    assert per.between(4, 6).all()
    with pytest.raises(InputError, match="no county has province '火星省'"):
        synth.build_synthetic(COUNTIES, province="火星省")


def test_repeated_district_names_get_their_city_then_province():
    frame = pd.DataFrame({
        "province": ["北京市", "吉林省", "浙江省", "甲省", "乙省"],
        "city": ["北京市", "长春市", "嘉兴市", "某市", "某市"],
        "district": ["朝阳区", "朝阳区", "南湖区", "城区", "城区"],
    })
    names = list(synth._county_names(frame))
    assert names == ["北京市朝阳区", "长春市朝阳区", "南湖区", "甲省某市城区", "乙省某市城区"]


def test_planted_problems_are_listed_and_found_by_the_validator(zhejiang, tmp_path):
    from parkgeo.validate import validate_path

    layers = synth.build_synthetic(zhejiang, seed=3, parks_per_county=20)
    planted = layers["planted"]
    assert set(planted["rule"]) == {"overlap", "outside_county", "invalid_geometry",
                                    "area_exceeds_approved"}
    out = synth.write_dataset(layers, tmp_path / "zj.gpkg")
    assert "planted" in {name for name, _ in pyogrio.list_layers(out)}
    report = validate_path(out)
    found = {(f.rule, f.id) for f in report.errors}
    for row in planted.itertuples():
        assert (row.rule, row.id) in found, row

    clean = synth.build_synthetic(zhejiang, seed=3, parks_per_county=20, clean=True)
    report = validate_path(synth.write_dataset(clean, tmp_path / "clean.gpkg"))
    assert not report.has_errors, [(f.rule, f.id) for f in report.errors][:5]


def test_write_dataset_refuses_to_overwrite(clean, tmp_path):
    path = synth.write_dataset(clean, tmp_path / "a.gpkg")
    back = gpd.read_file(path, layer="parks")
    assert len(back) == len(clean["parks"])
    with pytest.raises(OutputError, match="exists"):
        synth.write_dataset(clean, path)
    synth.write_dataset(clean, path, overwrite=True)


def test_cli(tmp_path, capsys):
    out = tmp_path / "nx.gpkg"
    code = synth.main(["--out", str(out), "--counties", str(COUNTIES), "--province",
                       "宁夏回族自治区", "--parks-per-county", "3", "--clean"])
    assert code == 0 and out.exists()
    assert "wrote" in capsys.readouterr().out
    assert synth.main(["--out", str(out), "--counties", str(COUNTIES), "--province",
                       "宁夏回族自治区"]) == 2  # exists, no --overwrite
    assert "--overwrite" in capsys.readouterr().err
    assert synth.main(["--out", str(tmp_path / "x.gpkg"), "--counties", str(COUNTIES),
                       "--province", "火星省"]) == 2
    assert "火星省" in capsys.readouterr().err
