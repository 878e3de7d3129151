"""The validation's threads and early work change nothing in the report.

``validate_dataset`` runs independent checks side by side (``jobs``), and inside
``parkgeo.validate.prefetch()`` the reader hands each layer to other threads for its geometry
facts (validity, representative points, projections, the counties' coverage) while it reads the
next one. One dataset with many problems at once is validated every way; the reports must be
the same to the byte, and hold every planted problem.
"""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import shapely
from conftest import X0, Y0, make_parks, make_zones, square

from parkgeo.read import read_dataset
from parkgeo.read.crs import county_crs, geometry_facts, gk_epsg_for_lon
from parkgeo.validate import prefetch, validate_dataset, validate_path

#: every rule planted in the dataset below
PLANTED = {"overlap", "outside_county", "unknown_county", "invalid_coverage", "invalid_geometry",
           "sliver", "bad_value", "unknown_catalogue_code"}


@pytest.fixture(scope="module")
def troubled(tmp_path_factory):
    """A dataset of three counties (two overlapping), zones and parks with many problems."""
    path = tmp_path_factory.mktemp("threads") / "troubled.gpkg"
    counties = gpd.GeoDataFrame(
        {"name": ["南湖区", "平湖市", "海盐县"]},
        geometry=[shapely.box(X0 - 5000, Y0 - 5000, X0 + 10_000, Y0 + 5000),
                  shapely.box(X0 + 9000, Y0 - 5000, X0 + 30_000, Y0 + 5000),  # overlaps 南湖区
                  shapely.box(X0 + 30_000, Y0 - 5000, X0 + 45_000, Y0 + 5000)], crs=4549)
    zones = make_zones(zone_id=["G999999", "Z2"])  # a catalogue code the catalogue lacks
    parks = make_parks(park_id=["P1", "P2", "P3"], county=["南湖区", "南胡区", "平湖市"],
                       developable_mu=[1200.0, -5.0, 800.0])
    extra = []
    for k in range(40):  # parks in the third county, one a bow-tie, one with a sliver part
        x, y = X0 + 31_000 + (k % 8) * 1500, Y0 - 4000 + (k // 8) * 1500
        geom = square(x, y, 600)
        if k == 5:
            geom = shapely.Polygon([(x, y), (x + 600, y + 600), (x + 600, y), (x, y + 600)])
        if k == 9:
            geom = shapely.MultiPolygon([square(x, y, 600), square(x + 700, y, 10)])
        extra.append({"park_id": f"Q{k}", "name": f"示例园区{k}", "county": "海盐县",
                      "town": "示例镇", "park_type": "town_park", "industries": "C38",
                      "conforms_to_plan": True, "hazard": "none", "developable_mu": 100.0,
                      "industrial_va_100m": 1.0, "geometry": geom})
    parks = pd.concat([parks, gpd.GeoDataFrame(extra, crs=parks.crs)], ignore_index=True)
    # P1 overlaps P3's neighbour zone… and P3 straddles the two counties' shared border
    parks.loc[0, "geometry"] = square(X0 + 500, Y0 + 500, 800)  # overlaps zone Z1
    parks.loc[2, "geometry"] = square(X0 + 29_800, Y0, 500)  # partly in 海盐县
    for name, frame in (("counties", counties), ("zones", zones), ("parks", parks)):
        frame.to_file(path, layer=name, engine="pyogrio")
    return path


def test_threads_and_early_work_give_the_same_report(troubled):
    one_by_one = validate_path(troubled, jobs=1)  # no threads, nothing early
    rules = {f.rule for f in one_by_one.findings}
    assert PLANTED <= rules, sorted(rules)
    side_by_side = validate_dataset(read_dataset(troubled, strict=False))  # threads
    with prefetch():  # threads, and the geometry facts worked out while reading
        early = read_dataset(troubled, strict=False)
    assert early._facts, "the reader handed no layer to the early work"
    early_report = validate_dataset(early)
    expected = one_by_one.to_json()
    assert side_by_side.to_json() == expected
    assert early_report.to_json() == expected
    assert validate_path(troubled).to_json() == expected


def test_the_cli_reports_the_same_with_every_core(troubled, tmp_path):
    from click.testing import CliRunner

    from parkgeo.cli.main import cli

    result = CliRunner().invoke(cli, ["validate", str(troubled), "--json", "-"])
    assert result.exit_code == 1, result.output
    assert result.stdout.strip() == validate_path(troubled, jobs=1).to_json().strip()


def test_geometry_facts_match_what_each_stage_works_out():
    geoms = np.array([square(X0, Y0, 100), None, shapely.Polygon(),
                      shapely.Polygon([(X0, Y0), (X0 + 10, Y0 + 10), (X0 + 10, Y0),
                                       (X0, Y0 + 10)])], dtype=object)
    facts = geometry_facts(geoms, "EPSG:4549")
    assert facts.valid.tolist() == [True, True, True, False]
    assert np.isnan(facts.lon[1]) and np.isnan(facts.lon[2])
    assert 120 < facts.lon[0] < 121 and 30 < facts.lat[0] < 31


def test_county_crs_takes_the_median_longitude_of_each_county():
    """Counties absent from the counties layer take the median longitude of their features:
    the middle one, or the mean of the middle two (as numpy.median), per county."""
    rng = np.random.default_rng(0)
    lons = {"甲县": [110.4, 111.6, 110.9], "乙县": [112.0, 115.8, 112.2, 115.6],
            "丙县": list(rng.uniform(118.4, 119.6, 7))}
    rows = [(name, x) for name, xs in lons.items() for x in xs]
    rng.shuffle(rows)
    parks = gpd.GeoDataFrame({"county": [r[0] for r in rows]},
                             geometry=[shapely.box(x, 30, x + 0.01, 30.01) for _, x in rows],
                             crs=4490)
    got = county_crs({"parks": parks})
    facts = {"parks": geometry_facts(parks.geometry.values, parks.crs)}
    assert county_crs({"parks": parks}, facts=facts) == got
    for name, xs in lons.items():
        assert got[name] == gk_epsg_for_lon(float(np.median(np.asarray(xs) + 0.005)))
    # the mean of the middle two (113.9°E), in neither middle one's zone
    assert got["乙县"] == gk_epsg_for_lon(113.9) != gk_epsg_for_lon(112.2)
    assert got["乙县"] != gk_epsg_for_lon(115.6)


def _validation_threads():
    import threading

    return [t.name for t in threading.enumerate()
            if t.name.startswith(("parkgeo-", "ThreadPoolExecutor"))]


def test_no_validation_thread_outlives_its_call(troubled):
    # `parkgeo integrate` forks (the gate beside the consolidation, the county helpers): a
    # thread still inside PROJ or GEOS at that moment would leave the child a lock held forever
    from click.testing import CliRunner

    from parkgeo.cli.main import cli

    validate_path(troubled)
    assert _validation_threads() == []
    with prefetch():
        ds = read_dataset(troubled, strict=False)
    assert _validation_threads() == []
    assert validate_dataset(ds).to_json() == validate_path(troubled, jobs=1).to_json()
    assert CliRunner().invoke(cli, ["validate", str(troubled)]).exit_code == 1
    assert _validation_threads() == []


def test_layers_worked_out_in_pieces_give_the_same_report(troubled, monkeypatch):
    """A large layer's facts and projections are worked out in pieces, one thread each, and
    put together: with pieces of a few parks, the report is the same to the byte."""
    import parkgeo.validate as validate_pkg

    expected = validate_path(troubled, jobs=1).to_json()
    monkeypatch.setattr(validate_pkg, "_PIECE_MIN", 7)
    with prefetch(jobs=4):  # four threads: the 43 parks in four pieces
        ds = read_dataset(troubled, strict=False)
        facts = ds.geometry_facts("parks")
        whole = geometry_facts(np.asarray(ds["parks"].geometry.values, dtype=object),
                               ds["parks"].crs)
        assert facts.valid.tolist() == whole.valid.tolist()
        assert np.array_equal(facts.lon, whole.lon, equal_nan=True)
        codes, local = facts.local.result()
        assert len(codes) == len(local) == len(ds["parks"])
        report = validate_dataset(ds, jobs=4)
    assert report.to_json() == expected
    assert _validation_threads() == []
