"""The bundled Jiaxing sample (layers/jiaxing.gpkg) keeps the promises of layers/README.md.

Everything is checked on the file itself, measured in EPSG:4549, against the reference data in
../shared/data — not against the builder's own bookkeeping.
"""

from __future__ import annotations

import importlib.util
import math
import re
import subprocess
import sys
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pyogrio
import pytest
import shapely

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "layers" / "jiaxing.gpkg"
README = ROOT / "layers" / "README.md"
BUILDER = ROOT / "scripts" / "build_sample.py"
SHARED = ROOT.parent / "shared" / "data"
LOCAL = 4549
MU_PER_M2 = 15 / 10000

JK = "嘉兴经济技术开发区(国际商务区)"
GQ = "嘉兴港区"
DISTRICTS = {"南湖区", "秀洲区", "嘉善县", "海盐县", "海宁市", "平湖市", "桐乡市"}
HIGH_ENERGY = ("C25", "C26", "C30", "C31", "C32", "D44")
TRADITIONAL = ("C17", "C18", "C19", "C22", "C26", "C30")

needs_shared = pytest.mark.skipif(not SHARED.is_dir(),
                                  reason=f"reference data not found at {SHARED}")


@pytest.fixture(scope="module")
def layers():
    return {name: gpd.read_file(SAMPLE, layer=name) for name, _ in pyogrio.list_layers(SAMPLE)}


@pytest.fixture(scope="module")
def local(layers):
    return {k: v.to_crs(LOCAL) for k, v in layers.items()
            if isinstance(v, gpd.GeoDataFrame) and v.crs is not None}


@pytest.fixture(scope="module")
def towns_csv():
    return pd.read_csv(SHARED / "jiaxing_towns_2019.csv")


@pytest.fixture(scope="module")
def facts_csv():
    return pd.read_csv(SHARED / "jiaxing_zones_facts.csv")


def readme_functional_towns():
    """The README's table of towns under the functional zones: {town: (district, county)}."""
    text = README.read_text(encoding="utf-8")
    section = text.split("## Towns under the functional zones", 1)[1].split("\n## ", 1)[0]
    rows = re.findall(r"^\| (\S+) \| (\S+) \| (\S+) \|$", section, flags=re.M)
    return {t: (d, c) for t, d, c in rows if t not in ("town",) and not t.startswith("---")}


def related(a, b):
    """R7 default reading: the code lists share a GB/T 4754 2-digit division."""
    return bool({c[:3] for c in a.split(";")} & {c[:3] for c in b.split(";")})


# ---------------------------------------------------------------- structure


def test_every_layer_is_in_cgcs2000_geographic(layers):
    spatial = {k: v for k, v in layers.items() if isinstance(v, gpd.GeoDataFrame)}
    assert set(spatial) >= {"counties", "zones", "parks", "protected", "plots", "projects"}
    for name, frame in spatial.items():
        # the land-use survey stays in the CRS a 三调 survey is delivered in
        assert frame.crs.to_epsg() == (4528 if name == "landuse" else 4490), name
    assert {"monitoring", "about", "towns", "landuse"} <= set(layers)


def test_landuse_survey_is_labelled_illustrative_and_supports_the_declared_figures(layers):
    """R4: the illustrative survey covers every zone and park and bears out developable_mu."""
    from parkgeo.read import read_dataset
    from parkgeo.validate.space import measure_space

    about = layers["about"].set_index("key")["value"]
    assert about["landuse"].startswith("ILLUSTRATIVE, NOT REAL")
    survey = layers["landuse"]
    assert (survey["source"].str.startswith("illustrative")).all()
    assert len(survey) >= 3000
    t = measure_space(read_dataset(SAMPLE)).table
    assert len(t) == len(layers["zones"]) + len(layers["parks"])
    assert t["uncovered_mu"].max() < 0.01
    # no feature declares more than 5% above what the survey measures (the validator's tolerance)
    assert (t["declared_mu"] <= t["developable_mu"] * 1.05).all()


def test_sample_stays_small():
    assert SAMPLE.stat().st_size < 3_000_000


def test_nine_counties_form_a_valid_coverage(layers):
    c = layers["counties"]
    assert len(c) == 9
    assert set(c["name"]) == DISTRICTS | {JK, GQ}
    assert c.geometry.is_valid.all()
    assert c.geometry.is_valid_coverage()
    assert shapely.is_empty(shapely.coverage_invalid_edges(c.geometry.values)).all()
    # no gaps: the union has no holes (the real districts have none either)
    union = c.union_all()
    assert all(len(p.interiors) == 0 for p in shapely.get_parts(union))


@needs_shared
def test_counties_keep_the_real_district_outline(local):
    real = gpd.read_file(SHARED / "jiaxing_districts.geojson").to_crs(LOCAL).union_all()
    ours = local["counties"].union_all()
    # 25 m simplification moves the outline a little; nothing else may
    assert ours.symmetric_difference(real).area / real.area < 0.005


@needs_shared
def test_zones_are_the_ten_real_ones(layers, facts_csv):
    z = layers["zones"]
    assert len(z) == 10
    assert z["zone_id"].is_unique
    got = z.set_index("name")[["level", "county"]].sort_index()
    want = facts_csv.set_index("name")[["level", "county"]].sort_index()
    pd.testing.assert_frame_equal(got, want)
    assert z.set_index("name").at["嘉兴经济技术开发区", "county"] == JK
    assert z.set_index("name").at["浙江乍浦经济开发区(嘉兴港区)", "county"] == GQ


@needs_shared
def test_zones_carry_their_catalogue_codes_and_approved_areas(layers):
    """zone_id is the 2018 national catalogue's code and approved_area_ha its 核准面积 (R2);
    独山港 is not in the catalogue: its id and area are illustrative and say so."""
    cat = pd.read_csv(SHARED / "china_zones_2018.csv", dtype={"code": str}).set_index("code")
    z = layers["zones"].set_index("zone_id")
    in_cat = z[z.index.isin(cat.index)]
    assert len(in_cat) == 9
    assert (in_cat["approved_area_ha"] == cat.loc[in_cat.index, "approved_area_ha"]).all()
    assert in_cat.at["G331112", "name"] == "嘉兴经济技术开发区"
    assert in_cat.at["G331112", "approved_area_ha"] == 1100.0
    assert in_cat.at["G331114", "approved_area_ha"] == 1619.0
    assert in_cat.at["G332086", "approved_area_ha"] == 572.0
    assert all("catalogue" in src and "real" in src for src in in_cat["source"])
    (other,) = set(z.index) - set(cat.index)
    assert z.at[other, "name"] == "浙江独山港经济开发区"
    assert "illustrative (not in the 2018 national catalogue)" in z.at[other, "source"]


def test_zone_industries_match_the_reported_ones(layers):
    z = layers["zones"].set_index("name")
    pinghu = set(z.at["平湖经济技术开发区", "industries"].split(";"))
    assert {"C38", "C39", "C34", "C367", "C14"} <= pinghu
    assert {"C3825", "C39", "I65", "C34", "C35"} <= set(
        z.at["嘉兴秀洲高新技术产业开发区", "industries"].split(";"))
    assert "C26" in z.at["浙江乍浦经济开发区(嘉兴港区)", "industries"].split(";")
    codes = re.compile(r"^[A-T]\d{2,4}(;[A-T]\d{2,4})*$")
    assert layers["zones"]["industries"].str.match(codes).all()
    assert layers["parks"]["industries"].str.match(codes).all()


def test_zone_contacts_are_obvious_placeholders(layers):
    z = layers["zones"]
    assert z["contact_phone"].str.fullmatch(r"0573-0000-\d{4}").all()
    assert z["website"].str.endswith(".example.org").all()


@needs_shared
def test_parks_are_named_after_real_towns_in_their_county(layers, towns_csv):
    p = layers["parks"]
    assert 60 <= len(p) <= 90
    assert p["park_id"].is_unique
    assert all(re.fullmatch(r"P-[A-Z]{2}-\d\d", i) for i in p["park_id"])
    functional = readme_functional_towns()
    assert set(functional) == {"城南街道", "长水街道", "塘汇街道", "嘉北街道", "乍浦镇"}
    district_of = dict(zip(towns_csv["town"], towns_csv["county"], strict=True))
    for row in p.itertuples():
        assert row.town in district_of, row.park_id
        assert row.name.startswith(row.town), row.park_id
        county = functional[row.town][1] if row.town in functional else district_of[row.town]
        assert row.county == county, (row.park_id, row.town)
    for town, (district, _county) in functional.items():
        assert district_of[town] == district


@needs_shared
def test_towns_table_agrees_with_the_readme(layers, towns_csv):
    t = layers["towns"].set_index("town")
    assert set(t.index) == set(towns_csv["town"])
    functional = readme_functional_towns()
    for town, (district, county) in functional.items():
        assert t.at[town, "district"] == district
        assert t.at[town, "county"] == county
    others = t.drop(index=list(functional))
    assert (others["county"] == others["district"]).all()


def test_every_feature_says_what_is_real(layers):
    for name, frame in layers.items():
        if name == "about":
            continue
        assert "source" in frame.columns, name
        assert frame["source"].notna().all() and (frame["source"].str.len() > 0).all(), name
    zones = layers["zones"]["source"]
    assert zones.str.contains("real").all() and zones.str.contains("illustrative").all()
    about = dict(zip(layers["about"]["key"], layers["about"]["value"], strict=True))
    assert {"title", "built_by", "sources", "licence", "illustrative"} <= set(about)
    assert "ILLUSTRATIVE" in about["illustrative"]


# ---------------------------------------------------------------- geometry


def test_zones_and_parks_do_not_overlap(local):
    both = pd.concat([local["zones"].assign(fid=local["zones"]["zone_id"]),
                      local["parks"].assign(fid=local["parks"]["park_id"])], ignore_index=True)
    assert both.geometry.is_valid.all()
    left, right = shapely.STRtree(both.geometry.values).query(both.geometry.values,
                                                              predicate="intersects")
    assert (left == right).all()


def test_zones_and_parks_lie_in_their_county_and_out_of_protected_land(local):
    counties = dict(zip(local["counties"]["name"], local["counties"].geometry, strict=True))
    for key in ("zones", "parks"):
        for row in local[key].itertuples():
            assert counties[row.county].contains(row.geometry), (key, row.county)
    prot = local["protected"]
    assert 4 <= len(prot) <= 8
    assert set(prot["kind"]) == {"ecological_redline", "basic_farmland"}
    for key in ("zones", "parks"):
        hits, _ = shapely.STRtree(prot.geometry.values).query(local[key].geometry.values,
                                                              predicate="intersects")
        assert len(hits) == 0, key


def test_zone_areas_are_within_their_approved_area(local):
    z = local["zones"]
    measured_ha = z.area.to_numpy() / 1e4
    assert (measured_ha <= z["approved_area_ha"].to_numpy()).all()
    # the catalogue's figures are real; the illustrative 独山港 keeps "a few %" margin
    illustrative = (z["zone_id"] == "JX-DSG").to_numpy()
    assert (z["approved_area_ha"].to_numpy()[illustrative]
            <= measured_ha[illustrative] * 1.10).all()
    assert (measured_ha >= 200).all()  # a few km² each


def test_park_sizes(local):
    mu = local["parks"].area.to_numpy() * MU_PER_M2
    # two sub-zones are drawn larger (PARK_AREA_MU) so that R4 holds on surveyed land
    assert mu.min() >= 300 and mu.max() <= 4000


def test_plots_lie_in_their_owner(local):
    pl = local["plots"]
    assert 40 <= len(pl) <= 80
    owners = {**dict(zip(local["zones"]["zone_id"], local["zones"].geometry, strict=True)),
              **dict(zip(local["parks"]["park_id"], local["parks"].geometry, strict=True))}
    for row in pl.itertuples():
        assert owners[row.owner_id].contains(row.geometry), row.plot_id
        assert math.isclose(row.area_mu, row.geometry.area * MU_PER_M2, rel_tol=0.01)
    assert set(pl["status"]) == {"available", "reserved", "let"}
    left, right = shapely.STRtree(pl.geometry.values).query(pl.geometry.values,
                                                            predicate="intersects")
    assert (left == right).all()


# ---------------------------------------------------------------- deliberate cases


def _distances_to_own_zones(local):
    """Edge-to-edge distance (m) of every park to the nearest zone of its own county."""
    z, p = local["zones"], local["parks"]
    out = np.full(len(p), np.inf)
    nearest = np.full(len(p), -1)
    for i, row in enumerate(p.itertuples()):
        same = np.flatnonzero(z["county"].to_numpy() == row.county)
        if len(same):
            d = shapely.distance(row.geometry, z.geometry.values[same])
            out[i], nearest[i] = d.min(), same[int(np.argmin(d))]
    return out, nearest


def _r10(p):
    return ((~p["conforms_to_plan"]) | p["low_small_scattered"] | (p["hazard"] == "major")
            | (~p["compatible_with_surroundings"]))


def test_r10_cases_in_every_county(layers):
    p = layers["parks"]
    for county, cp in p.groupby("county"):
        assert (~cp["conforms_to_plan"]).any(), county
        assert cp["low_small_scattered"].any(), county
    assert (p["hazard"] == "major").sum() >= 3
    assert (~p["compatible_with_surroundings"]).sum() >= 2
    assert set(p["hazard"]) == {"none", "minor", "major"}


def test_r7_characteristic_towns_and_park_types(layers):
    p = layers["parks"]
    types = p["park_type"].value_counts()
    assert 4 <= types.get("characteristic_town", 0) <= 6
    assert 1 <= sum(types.get(t, 0) for t in ("provincial_park", "municipal_park", "other")) <= 2
    assert types["town_park"] > len(p) / 2


def test_r7_near_far_related_unrelated(layers, local):
    z, p = local["zones"], local["parks"]
    dist, nearest = _distances_to_own_zones(local)
    rel = np.array([related(row.industries, z["industries"].iloc[j]) if j >= 0 else False
                    for row, j in zip(p.itertuples(), nearest, strict=True)])
    near = dist <= 5000
    assert (~near).sum() >= 5  # parks beyond 5 km of every zone
    assert (near & rel).sum() >= 10
    assert (near & ~rel).sum() >= 3  # near but unrelated
    assert (~near & rel).sum() >= 3  # related but too far
    for county in set(p["county"]):
        mask = (p["county"] == county).to_numpy() & (p["park_type"] != "characteristic_town")
        assert (mask & near & rel & ~_r10(p).to_numpy()).any(), county


def test_r8_parks_in_the_functional_zones(local):
    z, p = local["zones"], local["parks"]
    dist, nearest = _distances_to_own_zones(local)
    for county in (JK, GQ):
        idx = np.flatnonzero((p["county"] == county).to_numpy())
        assert len(idx) >= 3, county
        rel = [related(p["industries"].iloc[i], z["industries"].iloc[nearest[i]]) for i in idx]
        ok = ~_r10(p).to_numpy()[idx]
        near_ok = [r and o and dist[i] <= 5000 for r, o, i in zip(rel, ok, idx, strict=True)]
        assert any(near_ok), county
        assert not all(rel), county


def test_r4_is_reachable_under_the_r11_quota(local):
    """A simple consolidation — R10 parks exit, ⌈0.3·n⌉ exit in all, each zone takes the related
    parks within 5 km with the most developable space — reaches R4 for every zone."""
    z, p = local["zones"], local["parks"]
    dist, nearest = _distances_to_own_zones(local)
    r10 = _r10(p).to_numpy()
    for county in sorted(set(z["county"])):
        mask = (p["county"] == county).to_numpy() & (p["park_type"] != "characteristic_town"
                                                     ).to_numpy()
        n = int(mask.sum())
        keep = n - max(math.ceil(0.3 * n - 1e-9), int((mask & r10).sum()))
        used = 0
        for j in np.flatnonzero(z["county"].to_numpy() == county):
            cand = [i for i in np.flatnonzero(mask & ~r10)
                    if nearest[i] == j and dist[i] <= 5000
                    and related(p["industries"].iloc[i], z["industries"].iloc[j])]
            cand.sort(key=lambda i: -p["developable_mu"].iloc[i])
            dev, va = z["developable_mu"].iloc[j], z["industrial_va_100m"].iloc[j]
            for i in cand:
                if (dev >= 10000 and va >= 80) or used >= keep:
                    break
                dev += p["developable_mu"].iloc[i]
                va += p["industrial_va_100m"].iloc[i]
                used += 1
            assert dev >= 10000 and va >= 80, (z["name"].iloc[j], dev, va)
        assert used <= keep, county


def test_projects_cover_every_admission_case(layers, local):
    pr = layers["projects"]
    assert 25 <= len(pr) <= 40
    assert pr["project_id"].is_unique
    assert set(pr["project_type"]) == {"new", "expansion"}
    assert set(pr["status"]) == {"proposed", "signed"}
    assert pr["year"].between(2018, 2020).all()
    assert pr["industries"].str.fullmatch(r"[A-T]\d{2,4}").all()
    code2 = pr["industries"].str[:3]
    assert code2.isin(HIGH_ENERGY).sum() >= 4
    assert ((pr["project_type"] == "expansion") & code2.isin(TRADITIONAL)).sum() >= 3
    tax_per_mu = pr["expected_tax_10k_yuan"] / pr["land_mu"]
    assert (tax_per_mu < 15).sum() >= 3 and (tax_per_mu >= 30).sum() >= 10
    # outside every zone and park / inside an exit-type park
    lp = local["projects"]
    footprint = pd.concat([local["zones"].geometry, local["parks"].geometry], ignore_index=True)
    hit, _ = shapely.STRtree(footprint.values).query(lp.geometry.values, predicate="intersects")
    assert len(lp) - len(set(hit)) >= 3
    exit_parks = local["parks"][_r10(local["parks"])]
    hit, _ = shapely.STRtree(exit_parks.geometry.values).query(lp.geometry.values,
                                                               predicate="intersects")
    assert len(set(hit)) >= 2


def test_t6_is_met_in_some_counties_and_not_in_others(layers):
    pr = layers["projects"]
    z = layers["zones"]
    national = set(z.loc[z["level"] == "national", "county"])
    large = pr[(pr["status"] == "signed") & (pr["investment_10k_yuan"] >= 10000)]
    counts = large.groupby("county").size().reindex(sorted(set(layers["counties"]["name"])),
                                                    fill_value=0)
    need = pd.Series({c: 20 if c in national else 15 for c in counts.index})
    met = counts >= need
    assert met.any() and not met.all()


def test_monitoring_is_quarterly_and_not_cumulative(layers):
    m = layers["monitoring"]
    zones = set(layers["zones"]["zone_id"])
    periods = [f"{y}Q{q}" for y in (2019, 2020) for q in range(1, 5)]
    assert set(m["platform_id"]) <= zones
    # the four national zones (catalogue codes G…) are monitored
    assert {"G331114", "G332086", "G331113", "G331112"} <= set(m["platform_id"])
    for pid, g in m.groupby("platform_id"):
        assert list(g.sort_values("period")["period"]) == periods, pid
        out = g.set_index("period")["industrial_output_100m"]
        # quarterly: the fourth quarter is not the sum of the year so far
        assert out["2019Q4"] < out[["2019Q1", "2019Q2", "2019Q3"]].sum()
        # seasonality, and the 2020 first-quarter dip
        assert out["2019Q1"] < out["2019Q4"] and out["2020Q1"] < out["2019Q1"]
        assert out[periods[4:]].sum() > out[periods[:4]].sum() * 0.95
    assert (m[["rd_share", "high_tech_va_share"]] <= 1).all().all()


# ---------------------------------------------------------------- the builder


def _load_builder():
    spec = importlib.util.spec_from_file_location("build_sample", BUILDER)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up while it loads
    spec.loader.exec_module(module)
    return module


def test_builder_verification_catches_broken_data(layers):
    b = _load_builder()
    assert b.verify(layers) == []
    broken = {k: v.copy() for k, v in layers.items()}
    parks = broken["parks"]
    parks.loc[parks.index[1], "geometry"] = parks.geometry.iloc[0]  # an overlap
    zones = broken["zones"]
    zones.loc[zones.index[0], "approved_area_ha"] = 1.0  # R2
    problems = b.verify(broken)
    assert any("overlap" in p for p in problems)
    assert any("approved" in p and zones.at[zones.index[0], "zone_id"] in p for p in problems)


def _read_all(path):
    out = {}
    for name, _ in pyogrio.list_layers(path):
        frame = gpd.read_file(path, layer=name)
        out[name] = frame
    return out


def _assert_same(a, b, *, tol=0.0, hint=""):
    assert set(a) == set(b), hint
    for name in a:
        fa, fb = a[name], b[name]
        if isinstance(fa, gpd.GeoDataFrame):
            pd.testing.assert_frame_equal(pd.DataFrame(fa.drop(columns="geometry")),
                                          pd.DataFrame(fb.drop(columns="geometry")),
                                          obj=f"{name}{hint}")
            same = shapely.equals_exact(fa.geometry.values, fb.geometry.values, tolerance=tol)
            assert same.all(), f"{name}: geometries differ{hint}"
        else:
            pd.testing.assert_frame_equal(fa, fb, obj=f"{name}{hint}")


@needs_shared
def test_builder_is_deterministic_and_matches_the_committed_sample(tmp_path):
    runs = []
    for k in range(2):
        out = tmp_path / f"run{k}.gpkg"
        done = subprocess.run([sys.executable, str(BUILDER), "--shared", str(SHARED), "--out",
                               str(out)], capture_output=True, text=True, timeout=300)
        assert done.returncode == 0, done.stderr
        runs.append(out)
    # byte for byte the same file (so the same layers, rows and geometries: no need to read
    # both back and compare them)
    assert runs[0].read_bytes() == runs[1].read_bytes()
    first = _read_all(runs[0])
    # the committed sample is what the builder makes (rebuild it after changing the script)
    _assert_same(first, _read_all(SAMPLE), tol=1e-9,
                 hint=" (layers/jiaxing.gpkg is out of date: run scripts/build_sample.py)")


def test_builder_refuses_a_missing_shared_folder(tmp_path):
    done = subprocess.run([sys.executable, str(BUILDER), "--shared", str(tmp_path / "nope"),
                           "--out", str(tmp_path / "x.gpkg")], capture_output=True, text=True,
                          timeout=120)
    assert done.returncode == 2
    assert "nope" in done.stderr and "--shared" in done.stderr
    assert not (tmp_path / "x.gpkg").exists()
