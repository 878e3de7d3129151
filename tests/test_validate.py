"""parkgeo.validate: each rule planted in a tiny dataset built in code, the report, the CLI.

Geometry is laid out in EPSG:4549 metres (conftest ``X0``/``Y0``, near Jiaxing), so expected
areas follow from the sides of the squares: 1 mu = 10000/15 m².
"""

from __future__ import annotations

import json
import re

import geopandas as gpd
import numpy as np
import pyogrio
import pytest
import shapely
from click.testing import CliRunner
from conftest import X0, Y0, make_parks, make_zones, square
from pyproj import Transformer

from parkgeo.cli.main import cli
from parkgeo.read import read_dataset
from parkgeo.read.fields import SHORT_ALIASES
from parkgeo.scenario import Scenario, ValidateSettings
from parkgeo.units import M2_PER_MU
from parkgeo.validate import RULES, ValidationReport, validate_dataset, validate_path

# -- tiny datasets --------------------------------------------------------------------------------

def make_counties():
    """南湖区 around Z1/P1/P2, 平湖市 around Z2/P3: the two counties tile a 35 km × 10 km strip."""
    return gpd.GeoDataFrame(
        {"name": ["南湖区", "平湖市"]},
        geometry=[shapely.box(X0 - 5000, Y0 - 5000, X0 + 10_000, Y0 + 5000),
                  shapely.box(X0 + 10_000, Y0 - 5000, X0 + 30_000, Y0 + 5000)], crs=4549)


def make_protected():
    """One ecological redline, away from every zone and park."""
    return gpd.GeoDataFrame({"kind": ["ecological_redline"]},
                            geometry=[square(X0 + 6000, Y0, 1000)], crs=4549)


def write(path, **layers):
    for name, frame in layers.items():
        frame.to_file(path, layer=name, engine="pyogrio")
    return path


def dataset(tmp_path, name="data.gpkg", *, zones=None, parks=None, counties=True,
            protected=True, **extra):
    """Write a GeoPackage of the clean layers, with any layer replaced; return its path."""
    layers = {"zones": make_zones() if zones is None else zones,
              "parks": make_parks() if parks is None else parks}
    if counties is not False:
        layers["counties"] = make_counties() if counties is True else counties
    if protected is not False:
        layers["protected"] = make_protected() if protected is True else protected
    layers.update(extra)
    layers = {k: v for k, v in layers.items() if v is not None}
    return write(tmp_path / name, **layers)


def run(tmp_path, scenario=None, baseline=None, **layers):
    return validate_path(dataset(tmp_path, **layers), scenario=scenario, baseline=baseline)


def only(report, rule):
    found = report.by_rule(rule)
    assert len(found) == 1, [(f.rule, f.id, f.message) for f in report.findings]
    return found[0]


def number(text, unit):
    """The number written just before ``unit`` in ``text`` (thousands separators allowed)."""
    m = re.search(r"([\d,]+\.?\d*)\s*" + re.escape(unit), text)
    assert m, f"no number in {unit!r} in: {text}"
    return float(m.group(1).replace(",", ""))


def mu(m2):
    return m2 / M2_PER_MU


def lonlat(x, y):
    return Transformer.from_crs(4549, 4490, always_xy=True).transform(x, y)


# -- clean data ----------------------------------------------------------------------------------

def test_clean_tiny_dataset_has_no_findings(tmp_path):
    report = run(tmp_path)
    assert report.findings == ()
    assert not report.has_errors
    assert report.summary["errors"] == 0 and report.summary["warnings"] == 0
    assert report.layers["zones"] == 2 and report.layers["parks"] == 3


def test_bundled_sample_has_no_errors(sample_path):
    report = validate_path(sample_path)
    assert report.errors == [], report.text()
    assert report.layers.get("zones", 0) > 0 and report.layers.get("parks", 0) > 0


def test_validate_dataset_takes_a_dataset_read_in_code(tmp_path):
    """What a consolidation calls before it runs: read non-strict, validate, check has_errors."""
    path = dataset(tmp_path, zones=make_zones(approved_area_ha=[90.0, 150.0]))
    report = validate_dataset(read_dataset(path, strict=False), Scenario())
    assert report.has_errors
    assert [(f.rule, f.id) for f in report.errors] == [("area_exceeds_approved", "Z1")]


# -- schema (found while reading, reported as findings) -----------------------------------------

def test_missing_layer(tmp_path):
    path = write(tmp_path / "d.gpkg", zones=make_zones())
    f = only(validate_path(path), "missing_layer")
    assert (f.layer, f.severity) == ("parks", "error")
    assert "parks" in f.message and "zones" in f.message


def test_missing_field(tmp_path):
    f = only(run(tmp_path, zones=make_zones().drop(columns="approved_area_ha")), "missing_field")
    assert (f.layer, f.field, f.severity) == ("zones", "approved_area_ha", "error")


def test_bad_value_is_located_at_its_feature(tmp_path):
    report = run(tmp_path, parks=make_parks(developable_mu=[1200.0, -5.0, 800.0]))
    f = only(report, "bad_value")
    assert (f.layer, f.id, f.field, f.severity) == ("parks", "P2", "developable_mu", "error")
    assert "-5" in f.message
    # P2's square is 500 m at (X0 + 4000, Y0): the point lies on it
    lon, lat = lonlat(X0 + 4250, Y0 + 250)
    assert abs(f.x - lon) < 0.003 and abs(f.y - lat) < 0.003


def test_zones_without_geometry(tmp_path):
    folder = tmp_path / "data"
    folder.mkdir()
    make_zones().drop(columns="geometry").to_csv(folder / "zones.csv", index=False)
    make_parks().to_file(folder / "parks.gpkg")
    f = only(validate_path(folder), "missing_field")
    assert (f.layer, f.field, f.severity) == ("zones", "geometry", "error")
    assert "zones.csv" in f.message


@pytest.mark.filterwarnings("ignore:'crs' was not provided")
def test_shapefiles_without_crs_are_measured_with_src_crs(tmp_path):
    folder = tmp_path / "shp"
    folder.mkdir()
    def short(frame):  # Shapefile field names: at most 10 characters, the contract's aliases
        return frame.rename(columns=SHORT_ALIASES)

    zones = short(make_zones(approved_area_ha=[90.0, 150.0]))
    zones.set_crs(None, allow_override=True).to_file(folder / "zones.shp")
    short(make_parks()).to_file(folder / "parks.shp")
    assert only(validate_path(folder), "missing_crs").layer == "zones"
    report = validate_path(folder, src_crs="EPSG:4549")
    assert [(f.rule, f.id) for f in report.findings] == [("area_exceeds_approved", "Z1")]


def test_duplicate_id(tmp_path):
    f = only(run(tmp_path, parks=make_parks(park_id=["P1", "P1", "P3"])), "duplicate_id")
    assert (f.layer, f.id, f.severity) == ("parks", "P1", "error")
    assert "2 features" in f.message


@pytest.mark.filterwarnings("ignore:'crs' was not provided")
def test_missing_crs_is_a_finding_and_the_layer_is_not_measured(tmp_path):
    zones = make_zones().set_crs(None, allow_override=True)
    zones["approved_area_ha"] = [10.0, 10.0]  # would break R2 if it were measured
    report = run(tmp_path, zones=zones)
    f = only(report, "missing_crs")
    assert (f.layer, f.severity) == ("zones", "error")
    assert "EPSG:4549" in f.message  # the reader's guess for eastings near 500 km
    assert report.by_rule("area_exceeds_approved") == []
    assert any("zones" in n and "CRS" in n for n in report.notes)


def test_wrong_crs_is_a_finding_and_the_layer_is_not_measured(tmp_path):
    # metres labelled as degrees
    zones = make_zones(approved_area_ha=[10.0, 10.0]).set_crs(4490, allow_override=True)
    report = run(tmp_path, zones=zones)
    f = only(report, "wrong_crs")
    assert (f.layer, f.severity) == ("zones", "error")
    assert "metres, not degrees" in f.message
    assert report.by_rule("area_exceeds_approved") == []


def test_empty_layer(tmp_path):
    f = only(run(tmp_path, parks=make_parks().iloc[:0]), "empty_layer")
    assert (f.layer, f.severity) == ("parks", "error")


# -- geometry -----------------------------------------------------------------------------------

def test_empty_geometry(tmp_path):
    parks = make_parks()
    parks.loc[1, "geometry"] = None
    f = only(run(tmp_path, parks=parks), "empty_geometry")
    assert (f.layer, f.id, f.severity) == ("parks", "P2", "error")


@pytest.mark.parametrize("geom, words", [
    (shapely.LineString([(X0 + 2000, Y0), (X0 + 2500, Y0 + 500)]), "a line"),
    (shapely.Point(X0 + 2000, Y0), "a point"),
    (shapely.GeometryCollection([square(X0 + 2000, Y0, 500),
                                 shapely.LineString([(X0, Y0 - 10), (X0 + 50, Y0 - 10)])]),
     "a geometry collection (1 polygon, 1 linestring)"),
])
def test_wrong_geometry_type(tmp_path, geom, words):
    parks = make_parks()
    parks.loc[0, "geometry"] = geom
    report = run(tmp_path, parks=parks)
    f = only(report, "wrong_geometry_type")
    assert (f.layer, f.id, f.severity) == ("parks", "P1", "error")
    assert words in f.message


def bowtie(x, y, side):
    """A self-intersecting square ('bowtie'): its edges cross at the centre."""
    return shapely.Polygon([(x, y), (x + side, y + side), (x + side, y), (x, y + side), (x, y)])


def test_invalid_geometry_reports_reason_and_location(tmp_path):
    zones = make_zones()
    zones.loc[0, "geometry"] = bowtie(X0, Y0, 1000)
    report = run(tmp_path, zones=zones)
    f = only(report, "invalid_geometry")
    assert (f.layer, f.id, f.severity) == ("zones", "Z1", "error")
    assert "Self-intersection" in f.message
    # GEOS names the crossing point, the square's centre, in the layer's coordinates ...
    assert number(f.message, ", y=") == pytest.approx(X0 + 500, abs=0.1)
    m = re.search(r"y=([\d.]+)", f.message)
    assert float(m.group(1)) == pytest.approx(Y0 + 500, abs=0.1)
    # ... and the finding's point is that crossing, in lon/lat
    lon, lat = lonlat(X0 + 500, Y0 + 500)
    assert f.x == pytest.approx(lon, abs=1e-7) and f.y == pytest.approx(lat, abs=1e-7)


def test_invalid_geometry_does_not_stop_the_other_checks(tmp_path):
    parks = make_parks()
    # a bowtie park lying inside zone Z1: the overlap is measured on the repaired copy
    parks.loc[0, "geometry"] = bowtie(X0 + 100, Y0 + 100, 400)
    report = run(tmp_path, parks=parks)
    assert only(report, "invalid_geometry").id == "P1"
    f = only(report, "overlap")
    assert (f.id, f.other) == ("P1", "zones:Z1")
    assert "repaired" in f.message
    # the bowtie's two triangles are each a quarter of the 400 m square
    assert number(f.message, "mu") == pytest.approx(mu(400 * 400 / 2), abs=0.1)


def test_sliver_part_and_whole_sliver(tmp_path):
    parks = make_parks()
    # P1: its square plus a stray 20 m × 20 m part; P3: a 15 m × 15 m park
    parks.loc[0, "geometry"] = shapely.MultiPolygon([square(X0 + 2000, Y0, 500),
                                                     square(X0 + 3000, Y0, 20)])
    parks.loc[2, "geometry"] = square(X0 + 22_000, Y0, 15)
    report = run(tmp_path, parks=parks)
    found = {f.id: f for f in report.by_rule("sliver")}
    assert set(found) == {"P1", "P3"}
    assert all(f.severity == "warning" for f in found.values())
    assert number(found["P1"].message, "mu") == pytest.approx(mu(400), abs=0.01)
    assert "part 2 of 2" in found["P1"].message
    assert [f.id for f in report.by_rule("sliver")] == ["P3", "P1"]  # the tiniest first
    assert number(found["P3"].message, "mu") == pytest.approx(mu(225), abs=0.01)
    assert "whole park" in found["P3"].message
    assert not report.has_errors


def test_sliver_limit_comes_from_the_scenario(tmp_path):
    parks = make_parks()
    parks.loc[2, "geometry"] = square(X0 + 22_000, Y0, 15)  # 0.34 mu
    loose = Scenario(validate=ValidateSettings(sliver_mu=0.1))
    assert run(tmp_path, scenario=loose, parks=parks).by_rule("sliver") == []


# -- topology -----------------------------------------------------------------------------------

def test_overlap_between_two_parks(tmp_path):
    parks = make_parks()
    # P2 moved west so that it overlaps P1 by 100 m × 500 m
    parks.loc[1, "geometry"] = square(X0 + 2400, Y0, 500)
    f = only(run(tmp_path, parks=parks), "overlap")
    assert f.layer == "parks" and {f.id, f.other} == {"P1", "parks:P2"}
    assert f.severity == "error"
    assert number(f.message, "mu") == pytest.approx(mu(100 * 500), abs=0.05)
    assert f.value == pytest.approx(mu(100 * 500), rel=1e-6)
    assert "20%" in f.message  # of each 500 m square
    # the offending geometry is the overlap itself (in lon/lat)
    assert f.geometry is not None and f.geometry.geom_type in ("Polygon", "MultiPolygon")


def test_overlap_between_two_zones(tmp_path):
    zones = make_zones(county=["南湖区", "南湖区"])
    zones.loc[1, "geometry"] = square(X0 + 800, Y0 + 800, 1000)  # 200 m × 200 m shared
    f = only(run(tmp_path, zones=zones), "overlap")
    assert f.layer == "zones" and {f.id, f.other.split(":")[1]} == {"Z1", "Z2"}
    assert number(f.message, "mu") == pytest.approx(mu(200 * 200), abs=0.05)


def test_park_inside_a_zone_is_an_overlap(tmp_path):
    parks = make_parks()
    parks.loc[0, "geometry"] = square(X0 + 100, Y0 + 100, 300)
    f = only(run(tmp_path, parks=parks), "overlap")
    assert (f.layer, f.id, f.other, f.severity) == ("parks", "P1", "zones:Z1", "error")
    assert "inside the four boundaries of zone Z1" in f.message
    assert number(f.message, "mu") == pytest.approx(mu(300 * 300), abs=0.05)


def test_zone_and_park_partly_overlapping(tmp_path):
    parks = make_parks()
    parks.loc[0, "geometry"] = square(X0 + 900, Y0, 500)  # 100 m × 500 m inside Z1
    f = only(run(tmp_path, parks=parks), "overlap")
    assert (f.layer, f.id, f.other) == ("parks", "P1", "zones:Z1")
    assert number(f.message, "mu") == pytest.approx(mu(100 * 500), abs=0.05)


def test_touching_features_do_not_overlap(tmp_path):
    parks = make_parks()
    parks.loc[0, "geometry"] = square(X0 + 1000, Y0, 500)  # shares Z1's east edge
    parks.loc[1, "geometry"] = square(X0 + 1500, Y0, 500)  # shares P1's east edge
    assert run(tmp_path, parks=parks).by_rule("overlap") == []


def test_overlaps_are_listed_worst_first(tmp_path):
    parks = make_parks(county=["南湖区", "南湖区", "南湖区"])
    parks.loc[0, "geometry"] = square(X0 + 900, Y0, 500)     # 50,000 m² in Z1
    parks.loc[1, "geometry"] = square(X0 + 700, Y0 + 600, 500)  # 300 × 400 = 120,000 m²
    report = run(tmp_path, parks=parks)
    overlaps = report.by_rule("overlap")
    assert [f.id for f in overlaps] == ["P2", "P1"]
    text = report.text()
    assert text.index("parks P2") < text.index("parks P1")


def test_counties_that_do_not_tile_are_a_warning(tmp_path):
    counties = make_counties()
    counties.loc[1, "geometry"] = shapely.box(X0 + 9000, Y0 - 5000, X0 + 30_000, Y0 + 5000)
    report = run(tmp_path, counties=counties)
    found = {f.id: f for f in report.by_rule("invalid_coverage")}
    assert set(found) == {"南湖区", "平湖市"}
    assert all(f.severity == "warning" for f in found.values())
    # the two counties share a 1 km × 10 km strip
    assert "overlaps 平湖市 by" in found["南湖区"].message
    assert number(found["南湖区"].message, "mu;") == pytest.approx(mu(1000 * 10_000), abs=0.5)


# -- place --------------------------------------------------------------------------------------

def test_outside_county_gives_the_share_and_where(tmp_path):
    parks = make_parks()
    # P2 straddles the border at X0 + 10 km: 300 m of its 500 m width lie in 平湖市
    parks.loc[1, "geometry"] = square(X0 + 9800, Y0, 500)
    f = only(run(tmp_path, parks=parks), "outside_county")
    assert (f.layer, f.id, f.field, f.severity) == ("parks", "P2", "county", "error")
    assert "60%" in f.message and "in 平湖市" in f.message
    assert number(f.message, "mu of") == pytest.approx(mu(300 * 500), abs=0.05)
    assert f.value == pytest.approx(60.0, abs=0.01)
    assert f.other == "counties:南湖区"


def test_outside_every_county(tmp_path):
    parks = make_parks()
    parks.loc[2, "geometry"] = square(X0 + 29_800, Y0, 500)  # 300 m beyond the strip's end
    f = only(run(tmp_path, parks=parks), "outside_county")
    assert f.id == "P3" and "outside every county" in f.message


def test_within_the_outside_tolerance_is_fine(tmp_path):
    parks = make_parks()
    parks.loc[1, "geometry"] = square(X0 + 9501, Y0, 500)  # 1 m of 500 m = 0.2% outside
    loose = Scenario(validate=ValidateSettings(outside_county_tolerance=0.01))
    assert run(tmp_path, scenario=loose, parks=parks).by_rule("outside_county") == []
    assert len(run(tmp_path, parks=parks).by_rule("outside_county")) == 1


def test_a_county_stored_in_two_pieces_is_one_county(tmp_path):
    counties = make_counties()
    # 南湖区 in two rows split at X0 + 2200: P1 (X0 + 2000 … 2500) lies across the split
    halves = gpd.GeoDataFrame(
        {"name": ["南湖区", "南湖区", "平湖市"]},
        geometry=[shapely.box(X0 - 5000, Y0 - 5000, X0 + 2200, Y0 + 5000),
                  shapely.box(X0 + 2200, Y0 - 5000, X0 + 10_000, Y0 + 5000),
                  counties.geometry.iloc[1]], crs=4549)
    assert run(tmp_path, counties=halves).findings == ()


def test_unknown_county(tmp_path):
    f = only(run(tmp_path, parks=make_parks(county=["南湖区", "南胡区", "平湖市"])),
             "unknown_county")
    assert (f.layer, f.id, f.field, f.severity) == ("parks", "P2", "county", "error")
    assert "'南胡区'" in f.message and "did you mean '南湖区'" in f.message


def test_in_protected_area(tmp_path):
    protected = make_protected()
    protected.loc[0, "geometry"] = square(X0 + 2250, Y0 - 500, 1000)  # covers P1's east half
    f = only(run(tmp_path, protected=protected), "in_protected_area")
    assert (f.layer, f.id, f.severity) == ("parks", "P1", "error")
    assert number(f.message, "mu") == pytest.approx(mu(250 * 500), abs=0.05)
    assert "ecological_redline" in f.message and "50%" in f.message


# -- statute ------------------------------------------------------------------------------------

def test_area_exceeds_approved_R2(tmp_path):
    # Z1 is 1000 m × 1000 m = 100 ha = 1,500 mu; approved 90 ha
    report = run(tmp_path, zones=make_zones(approved_area_ha=[90.0, 150.0]))
    f = only(report, "area_exceeds_approved")
    assert (f.layer, f.id, f.field, f.severity, f.policy) == (
        "zones", "Z1", "approved_area_ha", "error", "R2")
    assert number(f.message, "ha (1,500") == pytest.approx(100.0)
    assert "(1,500.0 mu)" in f.message and "90.0 ha (1,350.0 mu)" in f.message
    assert "11%" in f.message  # 100 / 90 - 1
    assert f.value == pytest.approx(100 / 90 * 100 - 100, rel=1e-3)


def test_area_within_the_R2_tolerance_is_fine(tmp_path):
    # 100 ha measured against 99.5 ha approved: 0.5% over, inside the 1% default
    assert run(tmp_path, zones=make_zones(approved_area_ha=[99.5, 150.0])).by_rule(
        "area_exceeds_approved") == []
    strict = Scenario(validate=ValidateSettings(area_tolerance=0.0))
    assert len(run(tmp_path, scenario=strict, zones=make_zones(
        approved_area_ha=[99.5, 150.0])).by_rule("area_exceeds_approved")) == 1


def test_areas_of_lonlat_data_are_measured_in_gauss_kruger(tmp_path):
    """The same zones in EPSG:4490 give the same R2 numbers (never measured in degrees)."""
    zones = make_zones(approved_area_ha=[90.0, 150.0]).to_crs(4490)
    parks = make_parks().to_crs(4490)
    f = only(run(tmp_path, zones=zones, parks=parks, counties=make_counties().to_crs(4490),
                 protected=False), "area_exceeds_approved")
    assert number(f.message, "ha (1,") == pytest.approx(100.0, abs=0.05)
    assert "EPSG:4549" in f.message


def test_each_county_is_measured_in_its_own_zone(tmp_path):
    """A zone near 113.3°E (Guangzhou) is measured in EPSG:4547 (CM 114°E), not in 4549."""
    gz = shapely.box(113.30, 23.10, 113.31, 23.11)  # ~1.02 km × 1.11 km
    zones = gpd.GeoDataFrame(
        {"zone_id": ["G1"], "name": ["广州开发区"], "county": ["黄埔区"], "level": ["national"],
         "approved_area_ha": [10.0], "industries": ["C39"], "developable_mu": [100.0],
         "industrial_va_100m": [1.0]}, geometry=[gz], crs=4490)
    parks = make_parks().to_crs(4490)
    f = only(run(tmp_path, zones=zones, parks=parks, counties=False, protected=False),
             "area_exceeds_approved")
    assert "EPSG:4547" in f.message
    expected_ha = gpd.GeoSeries([gz], crs=4490).to_crs(4547).area.iloc[0] / 10_000
    assert number(f.message, "ha (") == pytest.approx(expected_ha, abs=0.05)


# -- R1 against a baseline ------------------------------------------------------------------------

@pytest.fixture
def baseline(tmp_path):
    return dataset(tmp_path, "baseline.gpkg")


def test_unchanged_zones_have_no_boundary_findings(tmp_path, baseline):
    report = run(tmp_path, baseline=baseline)
    assert report.findings == ()
    assert report.baseline == str(baseline)


def test_moved_zone_R1(tmp_path, baseline):
    zones = make_zones()
    zones.loc[0, "geometry"] = square(X0 + 100, Y0, 1000)  # 100 m east
    report = run(tmp_path, baseline=baseline, zones=zones)
    f = only(report, "boundary_changed")
    assert (f.layer, f.id, f.severity, f.policy) == ("zones", "Z1", "error", "R1")
    assert "moved" in f.message
    # two 100 m × 1000 m strips differ; the farthest point moved 100 m
    assert number(f.message, "mu differ") == pytest.approx(mu(2 * 100 * 1000), abs=0.1)
    assert number(f.message, "m (Hausdorff") == pytest.approx(100.0, abs=0.1)
    assert f.geometry is not None


def test_zone_moved_less_than_the_tolerance_is_unchanged(tmp_path, baseline):
    zones = make_zones()
    zones.loc[0, "geometry"] = square(X0 + 0.2, Y0, 1000)  # 0.2 m < 0.5 m default
    assert run(tmp_path, baseline=baseline, zones=zones).by_rule("boundary_changed") == []


def test_added_zone_R1(tmp_path, baseline):
    zones = make_zones()
    extra = make_zones().iloc[[0]].copy()
    extra["zone_id"] = ["Z3"]
    extra["geometry"] = [square(X0 + 6000, Y0 + 2000, 500)]
    zones = gpd.GeoDataFrame(gpd.pd.concat([zones, extra], ignore_index=True), crs=4549)
    f = only(run(tmp_path, baseline=baseline, zones=zones), "boundary_changed")
    assert (f.id, f.severity) == ("Z3", "error")
    assert "added" in f.message
    assert number(f.message, "mu)") == pytest.approx(mu(500 * 500), abs=0.05)


def test_removed_zone_R1(tmp_path, baseline):
    f = only(run(tmp_path, baseline=baseline, zones=make_zones().iloc[[0]]),
             "boundary_changed")
    assert (f.id, f.severity) == ("Z2", "error")
    assert "removed" in f.message
    assert number(f.message, "mu):") == pytest.approx(mu(1000 * 1000), abs=0.1)
    lon, lat = lonlat(X0 + 20_500, Y0 + 500)  # located at the removed zone
    assert abs(f.x - lon) < 0.01 and abs(f.y - lat) < 0.01


def test_changed_zone_id_is_named(tmp_path, baseline):
    report = run(tmp_path, baseline=baseline, zones=make_zones(zone_id=["Z1", "Z9"]))
    found = {f.id: f for f in report.by_rule("boundary_changed")}
    assert set(found) == {"Z9", "Z2"}
    assert "baseline zone Z2" in found["Z9"].message
    assert "now zone Z9" in found["Z2"].message


def test_new_park_is_an_R12_warning(tmp_path, baseline):
    parks = make_parks(park_id=["P1", "P2", "P4"])
    report = run(tmp_path, baseline=baseline, parks=parks)
    f = only(report, "park_added")
    assert (f.id, f.severity, f.policy) == ("P4", "warning", "R12")
    assert not report.has_errors


def test_baseline_without_zones_is_an_error_finding(tmp_path):
    base = write(tmp_path / "base.gpkg", parks=make_parks())
    report = run(tmp_path, baseline=base)
    f = only(report, "missing_layer")
    assert f.layer == "zones" and "baseline" in f.message and f.severity == "error"


# -- the report ---------------------------------------------------------------------------------

@pytest.fixture
def messy(tmp_path):
    """Two errors and one warning: an R2 excess, a park inside a zone, a sliver part."""
    parks = make_parks()
    parks.loc[0, "geometry"] = square(X0 + 100, Y0 + 100, 300)
    parks.loc[2, "geometry"] = shapely.MultiPolygon([square(X0 + 22_000, Y0, 500),
                                                     square(X0 + 23_000, Y0, 10)])
    return dataset(tmp_path, "messy.gpkg", zones=make_zones(approved_area_ha=[90.0, 150.0]),
                   parks=parks)


def test_summary_counts_by_rule_and_severity(messy):
    report = validate_path(messy)
    s = report.summary
    assert (s["errors"], s["warnings"]) == (2, 1)
    assert s["by_rule"] == {"sliver": {"error": 0, "warning": 1},
                            "overlap": {"error": 1, "warning": 0},
                            "area_exceeds_approved": {"error": 1, "warning": 0}}
    assert s["settings"]["area_tolerance"] == Scenario().validate.area_tolerance
    assert report.has_errors
    assert [f.severity for f in report.findings] == ["error", "error", "warning"]


def test_json_shape(messy):
    data = json.loads(validate_path(messy).to_json())
    assert set(data) == {"findings", "summary"}
    assert len(data["findings"]) == 3
    keys = {"rule", "layer", "id", "severity", "message", "field", "x", "y", "geometry"}
    assert all(keys <= set(f) for f in data["findings"])
    overlap = next(f for f in data["findings"] if f["rule"] == "overlap")
    assert overlap["geometry"]["type"] == "Polygon"
    assert 120 < overlap["x"] < 121.5 and 30 < overlap["y"] < 31.5


def test_frame_and_gpkg(messy, tmp_path):
    report = validate_path(messy)
    frame = report.to_frame()
    assert list(frame["rule"]) == [f.rule for f in report.findings]
    assert frame.crs.to_epsg() == 4490
    out = report.write_gpkg(tmp_path / "findings.gpkg")
    layers = dict(pyogrio.list_layers(out))
    assert layers == {"findings": "Point", "findings_areas": "MultiPolygon"}
    points = gpd.read_file(out, layer="findings")
    areas = gpd.read_file(out, layer="findings_areas")
    assert len(points) == 3 and set(points["rule"]) == {"sliver", "overlap",
                                                         "area_exceeds_approved"}
    assert set(areas["rule"]) == {"sliver", "overlap"}  # R2 has no offending geometry
    # the overlap polygon is the planted 300 m square, measured back in EPSG:4549
    ov = areas[areas["rule"] == "overlap"].to_crs(4549).area.iloc[0]
    assert ov == pytest.approx(300 * 300, rel=1e-4)


def test_gpkg_of_a_clean_report_has_empty_layers(tmp_path):
    out = ValidationReport().write_gpkg(tmp_path / "none.gpkg")
    assert len(gpd.read_file(out, layer="findings")) == 0


def test_text_lists_counts_and_hints(messy):
    text = validate_path(messy).text()
    assert "2 errors, 1 warning" in text
    assert re.search(r"overlap\s+1\s+-", text)
    assert re.search(r"sliver\s+-\s+1", text)
    assert RULES["area_exceeds_approved"].todo in text
    assert text.index("Errors") < text.index("Warnings")


def test_text_names_the_field_of_a_bad_value(tmp_path):
    report = run(tmp_path, parks=make_parks(hazard=["none", "big", "none"]))
    assert ("parks P2, field 'hazard': expected one of none (无, 没有, no), "
            "minor (一般, 较小, 轻微), major (重大, 较大, 严重); found 'big'") in report.text()


def test_text_limits_long_lists(tmp_path):
    # 12 parks, each inside zone Z1
    n = 12
    parks = make_parks(park_id=["P1", "P2", "P3"])
    rows = gpd.pd.concat([parks.iloc[[0]]] * n, ignore_index=True)
    rows["park_id"] = [f"Q{i}" for i in range(n)]
    rows["geometry"] = [square(X0 + 10 + 80 * i, Y0 + 10, 50) for i in range(n)]
    report = run(tmp_path, parks=gpd.GeoDataFrame(rows, crs=4549))
    assert len(report.by_rule("overlap")) == n
    assert "… and 2 more" in report.text(limit=10)


# -- the command line ---------------------------------------------------------------------------

def invoke(*args):
    return CliRunner().invoke(cli, ["validate", *map(str, args)], catch_exceptions=False)


def test_cli_exit_0_on_clean_data(tmp_path):
    result = invoke(dataset(tmp_path))
    assert result.exit_code == 0, result.output
    assert "No findings" in result.output


def test_cli_exit_1_on_errors_and_writes_everything(messy, tmp_path):
    js, gp, ht = tmp_path / "r.json", tmp_path / "r.gpkg", tmp_path / "r.html"
    result = invoke(messy, "--json", js, "--gpkg", gp, "--html", ht)
    assert result.exit_code == 1, result.output
    assert "2 errors, 1 warning" in result.output
    data = json.loads(js.read_text(encoding="utf-8"))
    assert data["summary"]["errors"] == 2
    assert set(dict(pyogrio.list_layers(gp))) == {"findings", "findings_areas"}
    assert "overlap" in ht.read_text(encoding="utf-8")


def test_cli_json_to_stdout(messy):
    result = CliRunner().invoke(cli, ["validate", str(messy), "--json", "-"])
    assert result.exit_code == 1
    data = json.loads(result.stdout)
    assert set(data) == {"findings", "summary"}


@pytest.mark.parametrize("make", [
    lambda p: p / "missing.gpkg",
    lambda p: (p / "text.gpkg").write_text("not a geopackage") and p / "text.gpkg",
])
def test_cli_exit_2_when_the_input_cannot_be_opened(tmp_path, make):
    path = make(tmp_path)
    result = CliRunner().invoke(cli, ["validate", str(path)])
    assert result.exit_code == 2
    assert str(path.name) in result.output
    assert "Traceback" not in result.output


def test_cli_exit_1_not_2_for_a_missing_layer(tmp_path):
    path = write(tmp_path / "d.gpkg", zones=make_zones())
    result = invoke(path)
    assert result.exit_code == 1
    assert "missing_layer" in result.output


def test_cli_refuses_to_overwrite(messy, tmp_path):
    out = tmp_path / "r.json"
    out.write_text("keep")
    result = CliRunner().invoke(cli, ["validate", str(messy), "--json", str(out)])
    assert result.exit_code == 2 and "--overwrite" in result.output
    assert out.read_text() == "keep"
    assert invoke(messy, "--json", out, "--overwrite").exit_code == 1
    assert json.loads(out.read_text(encoding="utf-8"))["summary"]["errors"] == 2


def test_cli_baseline(tmp_path, baseline):
    zones = make_zones()
    zones.loc[0, "geometry"] = square(X0 + 100, Y0, 1000)
    result = invoke(dataset(tmp_path, zones=zones), "--baseline", baseline)
    assert result.exit_code == 1
    assert "boundary_changed" in result.output and "Hausdorff" in result.output


# -- the findings map (--html) -------------------------------------------------------------------

def page_data(html):
    """What a findings map carries, decoded as the page's script decodes it.

    Returns ``{"markers": {rule: [(record, lon, lat)]}, "areas": {rule: [(record, geojson)]},
    "context": {kind: [record]}}`` with every text decoded from the page's lexicon.
    """
    from parkgeo.publish.compact import decode_text
    from parkgeo.publish.display import decode_geometry

    table = json.loads(re.search(r"PG\.init\(.*?, (\[.*?\])\);\n", html).group(1))
    out = {"markers": {}, "areas": {}, "context": {}}
    for m in re.finditer(r"PGV\.rule\((.*?), PG\.decode\((.*?)\), \w+\);\n", html):
        markers = json.loads(m.group(1))
        for rec, _, _ in markers:
            rec["m"] = decode_text(table, rec["m"])
            rec["n"] = decode_text(table, rec["n"])
        rule = markers[0][0]["r"]
        out["markers"][rule] = markers
        out["areas"][rule] = [(markers[props["j"]][0], decode_geometry(geom))
                              for props, geom in json.loads(m.group(2))["f"]]
    for m in re.finditer(r"var \w+_data = PG\.decode\((.*)\);\n\s*var \w+ = PGV\.context", html):
        for props, _ in json.loads(m.group(1))["f"]:
            props["n"] = decode_text(table, props["n"])
            if "co" in props:
                props["co"] = decode_text(table, props["co"])
            out["context"].setdefault(props["k"], []).append(props)
    return out


def test_html_map_has_a_marker_per_finding_and_the_offending_areas(messy, tmp_path):
    out = tmp_path / "map.html"
    assert invoke(messy, "--html", out).exit_code == 1
    report = validate_path(messy)
    data = page_data(out.read_text(encoding="utf-8"))
    shown = sorted((rec["r"], rec["l"], rec["d"], rec["s"], rec["m"], lon, lat)
                   for markers in data["markers"].values() for rec, lon, lat in markers)
    # the Chinese map (the default) shows the Chinese messages
    assert shown == sorted((f.rule, f.layer, f.id, f.severity, f.message_zh, round(f.x, 6),
                            round(f.y, 6)) for f in report.findings)
    # the overlap (park P1, a 300 m square inside zone Z1) drawn where it is, at its size
    (rec, geom), = data["areas"]["overlap"]
    assert rec["d"] == "P1" and rec["o"] == "zones:Z1"
    drawn = gpd.GeoSeries([shapely.geometry.shape(geom)], crs=4490).to_crs(4549)
    assert drawn.area.iloc[0] == pytest.approx(300 * 300, rel=0.02)
    assert drawn.iloc[0].centroid.distance(shapely.Point(X0 + 250, Y0 + 250)) < 3
    (rec, geom), = data["areas"]["sliver"]
    assert rec["d"] == "P3" and rec["s"] == "warning"
    assert data["areas"]["area_exceeds_approved"] == []  # R2 has a place, no area


def test_html_map_draws_the_dataset_as_context(messy, tmp_path, monkeypatch):
    import parkgeo.publish.findings_map as webmap

    out = tmp_path / "map.html"
    invoke(messy, "--html", out)
    ctx = page_data(out.read_text(encoding="utf-8"))["context"]
    assert sorted(c["n"] for c in ctx["county"]) == ["南湖区", "平湖市"]
    assert [(c["l"], c["d"], c["n"], c["co"]) for c in ctx["zone"]] == [
        ("zones", "Z1", "Z1 南湖示例经济开发区", "南湖区"),
        ("zones", "Z2", "Z2 平湖示例经济开发区", "平湖市")]
    assert [c["d"] for c in ctx["park"]] == ["P1", "P2", "P3"]
    # above the limit, only the features a finding names are drawn
    monkeypatch.setattr(webmap, "CONTEXT_LIMIT", 4)
    monkeypatch.setattr(webmap, "COUNTY_LIMIT", 1)
    out2 = tmp_path / "map2.html"
    invoke(messy, "--html", out2)
    ctx = page_data(out2.read_text(encoding="utf-8"))["context"]
    assert [c["d"] for c in ctx["zone"]] == ["Z1"]
    assert [c["d"] for c in ctx["park"]] == ["P1", "P3"]
    # and only the counties holding a finding (南湖区: Z1 and P1; 平湖市: the sliver of P3)
    assert sorted(c["n"] for c in ctx["county"]) == ["南湖区", "平湖市"]


def test_html_map_escapes_data_and_works_offline(tmp_path):
    from parkgeo.publish.assets import remote_urls

    parks = make_parks(name=["<script>alert(1)</script>", "余新镇工业园区", "{{ 7*7 }}园区"],
                       park_id=["P1<b>", "P2", "P3"])
    parks.loc[0, "geometry"] = square(X0 + 100, Y0 + 100, 300)
    out = tmp_path / "map.html"
    data = dataset(tmp_path, name="{{ 6*7 }}.gpkg", parks=parks)
    result = invoke(data, "--html", out, "--title", "<i>检查</i>")
    assert result.exit_code == 1
    text = out.read_text(encoding="utf-8")
    assert "<script>alert(1)" not in text and "P1<b>" not in text and "<i>检查" not in text
    # data travels as JSON made safe for <script>, escaped by PG.esc when shown
    assert "\\u003cscript\\u003ealert(1)" in text and "P1\\u003cb\\u003e" in text
    assert "<title>&lt;i&gt;检查&lt;/i&gt;</title>" in text
    # Jinja syntax stays text: in the data (JSON) and in the summary panel (the file name)
    assert "49园区" not in text and "{\\u007b 7*7 }}园区" in text
    assert "42" not in re.search(r'id="pg-summary".*?</div>', text, re.S).group(0)
    assert "&#123;&#123; 6*7 &#125;&#125;.gpkg" in text
    assert page_data(text)["markers"]["overlap"][0][0]["d"] == "P1<b>"
    assert [u for u in remote_urls(text) if u.endswith((".js", ".css"))] == []
    assert not any("tile" in u or "tianditu" in u or "autonavi" in u for u in remote_urls(text))


def test_html_map_language(messy, tmp_path):
    from parkgeo.i18n import strings

    zh, en = tmp_path / "zh.html", tmp_path / "en.html"
    invoke(messy, "--html", zh)
    invoke(messy, "--html", en, "--lang", "en")
    zh, en = zh.read_text(encoding="utf-8"), en.read_text(encoding="utf-8")
    legend = re.compile(r'id="pg-legend".*?</div></div>', re.S)
    assert strings("zh")["rule_overlap"] in legend.search(zh).group(0)
    assert strings("en")["rule_area_exceeds_approved"] in legend.search(en).group(0)
    assert "<title>数据校验问题图 — messy.gpkg</title>" in zh
    assert "<title>Validation findings — messy.gpkg</title>" in en
    assert RULES["overlap"].todo_zh in zh and RULES["overlap"].todo not in zh
    assert RULES["overlap"].todo in en and not re.search(r"[\u4e00-\u9fff]", legend.search(
        en).group(0))
    assert CliRunner().invoke(cli, ["validate", str(messy), "--html", str(tmp_path / "x.html"),
                                    "--lang", "fr"]).exit_code == 2


def test_html_map_basemaps(messy, tmp_path, monkeypatch):
    monkeypatch.delenv("TIANDITU_KEY", raising=False)
    osm = tmp_path / "osm.html"
    invoke(messy, "--html", osm, "--basemap", "osm")
    assert "https://tile.openstreetmap.org/{z}/{x}/{y}.png" in osm.read_text(encoding="utf-8")
    # a Tianditu basemap without a key is refused before anything is written
    js = tmp_path / "r.json"
    result = CliRunner().invoke(cli, ["validate", str(messy), "--json", str(js), "--html",
                                      str(tmp_path / "t.html"), "--basemap", "tianditu-vec"])
    assert result.exit_code == 2 and "--tianditu-key" in result.output
    assert not js.exists() and not (tmp_path / "t.html").exists()
    tdt = tmp_path / "tdt.html"
    result = invoke(messy, "--html", tdt, "--basemap", "tianditu-img", "--tianditu-key", "k3y")
    assert result.exit_code == 1 and "tk=k3y" in tdt.read_text(encoding="utf-8")
    # Gaode tiles are GCJ-02: the markers move with them (by some hundred metres in Zhejiang)
    gaode = tmp_path / "gaode.html"
    invoke(messy, "--html", gaode, "--basemap", "gaode")
    plain = page_data(osm.read_text(encoding="utf-8"))["markers"]["overlap"][0]
    moved = page_data(gaode.read_text(encoding="utf-8"))["markers"]["overlap"][0]
    assert 0.002 < moved[1] - plain[1] < 0.008 and -0.005 < moved[2] - plain[2] < 0


def test_html_map_lists_findings_without_a_location(tmp_path):
    from parkgeo.publish.elements import esc

    path = write(tmp_path / "d.gpkg", zones=make_zones())
    out = tmp_path / "map.html"
    assert invoke(path, "--html", out).exit_code == 1
    text = out.read_text(encoding="utf-8")
    summary = re.search(r'id="pg-summary".*', text, re.S).group(0)
    assert "无位置的问题" in summary and "缺少图层" in summary
    assert esc(only(validate_path(path), "missing_layer").message_zh) in summary
    assert "missing_layer" not in page_data(text)["markers"]


def test_every_rule_has_a_map_name_a_group_and_what_to_do_in_chinese():
    from parkgeo.i18n import WORDS
    from parkgeo.publish.findings_map import GROUPS, RULE_GROUP

    for rule, info in RULES.items():
        assert f"map.rule_{rule}" in WORDS, rule
        assert RULE_GROUP[rule] in GROUPS, rule
        assert re.search(r"[\u4e00-\u9fff]", info.todo_zh), rule


def test_overlay_falls_back_pair_by_pair_then_to_a_grid():
    """A GEOS topology exception on one pair does not lose the others."""
    from parkgeo.validate._context import overlay

    left = np.array([square(0, 0, 10), square(0, 0, 2)], dtype=object)
    right = np.array([square(5, 0, 10), square(1, 0, 2)], dtype=object)

    def fragile(a, b, grid_size=None):
        if isinstance(a, np.ndarray) or (shapely.area(a) == 4 and grid_size is None):
            raise shapely.errors.GEOSException("TopologyException: side location conflict")
        return shapely.intersection(a, b, grid_size=grid_size)

    out = overlay(fragile, left, right)
    assert [shapely.area(g) for g in out] == [50.0, 2.0]
