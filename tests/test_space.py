"""Developable space measured from the land-use survey (R4): grid mosaics with exact answers.

The survey is a 10 × 10 grid of 100 m cells (each 10,000 m² = 15 mu) in EPSG:4549; columns
0–4 are paddy (0101, developable), 5 river (1101), 6–7 industry (0601), 8–9 vacant land (1201,
developable). Every expected figure below is worked out by hand from that grid.
"""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd
import pyogrio
import pytest
import shapely
from click.testing import CliRunner

from parkgeo.cli.main import cli
from parkgeo.errors import InputError, ScenarioError
from parkgeo.read import read_dataset
from parkgeo.read.landuse import normalise_codes, plan_tiles
from parkgeo.scenario import Scenario, scenario_from_dict
from parkgeo.validate import validate_dataset
from parkgeo.validate.space import developable_mask, measure_space

X0, Y0 = 500_000.0, 3_400_000.0
CELL_MU = 15.0  # 100 m × 100 m


def column_code(i):
    return "0101" if i <= 4 else "1101" if i == 5 else "0601" if i <= 7 else "1201"


def grid(extra=()):
    cells, codes, names = [], [], []
    for i in range(10):
        for j in range(10):
            cells.append(shapely.box(X0 + 100 * i, Y0 + 100 * j, X0 + 100 * i + 100,
                                     Y0 + 100 * j + 100))
            codes.append(column_code(i))
            names.append({"0101": "水田", "1101": "河流水面", "0601": "工业用地",
                          "1201": "空闲地"}[column_code(i)])
    for geom, code in extra:
        cells.append(geom)
        codes.append(code)
        names.append(None)
    return gpd.GeoDataFrame({"dlbm": codes, "dlmc": names}, geometry=cells, crs=4549)


def zones(declared=(300.0, 33.0)):
    return gpd.GeoDataFrame({
        "zone_id": ["Z1", "Z2"], "name": ["甲开发区", "乙开发区"], "county": ["南湖区", "南湖区"],
        "level": ["national", "provincial"], "approved_area_ha": [30.0, 10.0],
        "industries": ["C38", "C38"], "developable_mu": list(declared),
        "industrial_va_100m": [60.0, 50.0]},
        geometry=[shapely.box(X0, Y0, X0 + 500, Y0 + 500),
                  shapely.box(X0 + 450, Y0 + 500, X0 + 850, Y0 + 700)], crs=4549)


def parks(declared=20.0):
    return gpd.GeoDataFrame({
        "park_id": ["P1"], "name": ["丙园区"], "county": ["南湖区"], "park_type": ["town_park"],
        "industries": ["C38"], "conforms_to_plan": [True], "developable_mu": [declared],
        "industrial_va_100m": [5.0]},
        geometry=[shapely.box(X0 + 900, Y0 + 900, X0 + 1100, Y0 + 1000)], crs=4549)


def protected():
    return gpd.GeoDataFrame({"kind": ["basic_farmland"]},
                            geometry=[shapely.box(X0, Y0, X0 + 100, Y0 + 500)], crs=4549)


def boundary():
    return gpd.GeoDataFrame({"name": ["城镇开发边界"]},
                            geometry=[shapely.box(X0, Y0, X0 + 1000, Y0 + 300)], crs=4549)


def write(path, **layers):
    for name, frame in layers.items():
        pyogrio.write_dataframe(frame, path, layer=name, driver="GPKG",
                                append=path.exists())
    return path


@pytest.fixture(scope="module")
def city(tmp_path_factory):
    path = tmp_path_factory.mktemp("space") / "city.gpkg"
    return write(path, zones=zones(), parks=parks(), landuse=grid(), protected=protected(),
                 development_boundary=boundary())


def row(result, fid):
    return result.table.set_index("id").loc[fid]


def test_hand_computed_areas(city):
    res = measure_space(read_dataset(city), Scenario(), keep_geometry=True)
    z1, z2, p1 = row(res, "Z1"), row(res, "Z2"), row(res, "P1")
    # Z1: 25 paddy cells = 375 mu, less column 0 (protected basic farmland, 5 cells = 75 mu)
    assert z1.area_mu == pytest.approx(375.0)
    assert z1.class_mu == pytest.approx(375.0)
    assert z1.excluded_mu == pytest.approx(75.0)
    assert z1.developable_mu == pytest.approx(300.0)
    assert z1.developable_ha == pytest.approx(20.0)
    assert z1.uncovered_mu == pytest.approx(0.0)
    # Z2: 400 m × 200 m; half a paddy and half a vacant column count: 100 m × 200 m = 30 mu
    assert z2.area_mu == pytest.approx(120.0)
    assert z2.developable_mu == pytest.approx(30.0)
    assert z2.difference_mu == pytest.approx(3.0)
    assert z2.difference_share == pytest.approx(0.1)
    # P1 lies half outside the survey: 15 mu surveyed (vacant), 15 mu not surveyed
    assert p1.area_mu == pytest.approx(30.0)
    assert p1.surveyed_mu == pytest.approx(15.0)
    assert p1.uncovered_mu == pytest.approx(15.0)
    assert p1.uncovered_share == pytest.approx(0.5)
    assert p1.developable_mu == pytest.approx(15.0)
    by = res.classes.set_index(["id", "dlbm"])
    assert by.loc[("Z2", "1101"), "area_mu"] == pytest.approx(30.0)
    assert by.loc[("Z2", "0601"), "area_mu"] == pytest.approx(60.0)
    assert by.loc[("Z2", "0601"), "developable_mu"] == 0
    assert by.loc[("Z2", "0101"), "dlmc"] == "水田"
    # the developable land kept for the map covers exactly the counted area
    dev, gaps, code = res.geometry[("parks", "P1")]
    assert code == 4549
    assert shapely.area(gaps) == pytest.approx(15.0 * 10_000 / 15)


def test_within_boundary_and_no_exclusions(city):
    s = scenario_from_dict({"space": {"within_boundary": True}})
    res = measure_space(read_dataset(city), s)
    # boundary: rows 0–2 only; Z1 = columns 1–4 × rows 0–2 = 12 cells
    assert row(res, "Z1").developable_mu == pytest.approx(12 * CELL_MU)
    assert row(res, "Z2").developable_mu == pytest.approx(0.0)
    s = scenario_from_dict({"space": {"excluded_layers": []}})
    assert row(measure_space(read_dataset(city), s), "Z1").developable_mu == \
        pytest.approx(375.0)
    s = scenario_from_dict({"space": {"excluded_layers": ["protected", "redline"]}})
    res = measure_space(read_dataset(city), s)
    assert row(res, "Z1").developable_mu == pytest.approx(300.0)
    assert any("'redline'" in n for n in res.notes)


def test_small_tiles_give_the_same_answer(city):
    ds = read_dataset(city)
    big = measure_space(ds, Scenario())
    small = measure_space(ds, Scenario(), batch=3)
    assert small.tiles > 4 * big.tiles
    cols = ["area_mu", "surveyed_mu", "uncovered_mu", "developable_mu", "excluded_mu"]
    np.testing.assert_allclose(small.table[cols].to_numpy(), big.table[cols].to_numpy(),
                               atol=1e-6)
    assert small.table["overlap_mu"].max() == 0


def test_survey_in_another_crs(tmp_path):
    lu = grid().to_crs(4490)
    path = write(tmp_path / "geo.gpkg", zones=zones(), parks=parks(), landuse=lu)
    res = measure_space(read_dataset(path), Scenario())
    # cut in degrees, measured in Gauss-Kruger: the same areas to well under a square metre
    assert row(res, "Z2").developable_mu == pytest.approx(30.0, abs=1e-3)
    assert row(res, "P1").uncovered_share == pytest.approx(0.5, abs=1e-4)
    assert any("EPSG:4490" in n for n in res.notes)


def test_findings(tmp_path):
    lu = grid([(shapely.box(X0, Y0 + 400, X0 + 100, Y0 + 500), "0601")])  # on cell (0, 4)
    lu.loc[85, "dlbm"] = "9999"  # cell (8, 5), half inside Z2
    path = write(tmp_path / "bad.gpkg", zones=zones(declared=(300.0, 40.0)),
                 parks=parks(declared=16.0), landuse=lu)
    report = validate_dataset(read_dataset(path, strict=False))
    over = {f.id: f for f in report.by_rule("developable_overstated")}
    assert set(over) == {"Z2", "P1"}
    # P1: 16 declared, 15 measured (+6.7%): a warning
    assert over["P1"].severity == "warning"
    assert "16.0 mu" in over["P1"].message and "15.0 mu" in over["P1"].message
    assert "not surveyed 15.0 mu" in over["P1"].message
    # Z2: 40 declared, 30 − 7.5 (the bad code is not counted) = 22.5 measured: an error
    assert over["Z2"].severity == "error"
    assert "22.5 mu" in over["Z2"].message
    assert "0601 工业用地 60.0 mu" in over["Z2"].message
    assert "1101 河流水面 30.0 mu" in over["Z2"].message
    assert over["Z2"].field == "developable_mu"
    (ov,) = report.by_rule("landuse_overlap")
    assert ov.other == "zones:Z1" and ov.value == pytest.approx(CELL_MU)
    assert "fids 5 and 101" in ov.message  # GeoPackage fids count from 1
    (bad,) = report.by_rule("landuse_bad_code")
    assert "'9999'" in bad.message and bad.field == "dlbm" and bad.severity == "error"
    (gap,) = report.by_rule("landuse_gap")
    assert gap.id == "P1" and "50%" in gap.message and gap.geometry is not None
    assert report.layers["landuse"] == 101


def test_overstated_thresholds(city):
    # declared 300 = measured: nothing; 330 (+10%): warning; 400 (+33%): error
    for declared, expected in ((300.0, None), (330.0, "warning"), (400.0, "error")):
        ds = read_dataset(city)
        ds.layers["zones"] = ds.layers["zones"].assign(developable_mu=[declared, 30.0])
        found = [f for f in validate_dataset(ds).by_rule("developable_overstated")
                 if f.id == "Z1"]
        assert [f.severity for f in found] == ([expected] if expected else [])
    # R4 checked with the measured (or lower) figure: an overstated declaration only informs
    s = scenario_from_dict({"consolidate": {"developable": "lower"}})
    ds = read_dataset(city)
    ds.layers["zones"] = ds.layers["zones"].assign(developable_mu=[400.0, 30.0])
    (f,) = [f for f in validate_dataset(ds, s).by_rule("developable_overstated") if f.id == "Z1"]
    assert f.severity == "warning" and 'developable = "lower"' in f.message
    s = scenario_from_dict({"validate": {"developable_tolerance": 0.15}})
    ds = read_dataset(city)
    ds.layers["zones"] = ds.layers["zones"].assign(developable_mu=[330.0, 30.0])
    assert not [f for f in validate_dataset(ds, s).by_rule("developable_overstated")
                if f.id == "Z1"]


@pytest.mark.parametrize("field", ["DLBM", "地类编码", "地类编\ufffd", "地类编"])
def test_code_field_aliases(tmp_path, field):
    lu = grid().rename(columns={"dlbm": field})
    path = write(tmp_path / "a.gpkg", zones=zones(), parks=parks(), landuse=lu)
    ds = read_dataset(path)
    assert ds.landuse.code_field == field
    assert row(measure_space(ds), "Z2").developable_mu == pytest.approx(30.0)


def test_gbk_shapefile_without_cpg(tmp_path):
    """A county's DLTB.shp: GBK, Chinese field names, no .cpg, in a folder dataset."""
    zones().to_file(tmp_path / "zones.gpkg")
    parks().to_file(tmp_path / "parks.gpkg")
    lu = grid().rename(columns={"dlbm": "地类编码", "dlmc": "地类名称"})
    pyogrio.write_dataframe(lu, tmp_path / "DLTB.shp", encoding="GBK")
    (tmp_path / "DLTB.cpg").unlink(missing_ok=True)
    ds = read_dataset(tmp_path)
    assert ds.landuse.code_field == "地类编码" and ds.landuse.encoding == "GB18030"
    res = measure_space(ds)
    assert row(res, "Z2").developable_mu == pytest.approx(30.0)
    z1 = res.classes[res.classes["id"] == "Z1"]
    assert list(z1["dlbm"]) == ["0101"]  # the river column only touches Z1's edge
    # no spatial index (.qix): read once in ranges of features, with the same figures
    ranged = measure_space(ds, batch=7)
    assert ranged.tiles == 15 and ranged.features_read == 100
    cols = ["area_mu", "surveyed_mu", "uncovered_mu", "developable_mu"]
    np.testing.assert_allclose(ranged.table[cols].to_numpy(), res.table[cols].to_numpy(),
                               atol=1e-6)


def test_survey_layer_named_dltb(tmp_path):
    path = write(tmp_path / "d.gpkg", zones=zones(), parks=parks(), DLTB=grid())
    assert read_dataset(path).landuse.layer == "DLTB"


def test_missing_code_field(tmp_path):
    lu = grid().drop(columns=["dlbm"]).rename(columns={"dlmc": "TBBH"})
    path = write(tmp_path / "m.gpkg", zones=zones(), parks=parks(), landuse=lu)
    report = validate_dataset(read_dataset(path, strict=False))
    (f,) = [f for f in report.by_rule("missing_field") if f.layer == "landuse"]
    assert "dlbm" in f.message and "TBBH" in f.message
    result = CliRunner().invoke(cli, ["space", str(path), "--out", str(tmp_path / "o.gpkg")])
    assert result.exit_code == 2
    assert "layer 'landuse'" in result.output and "dlbm" in result.output
    assert "Traceback" not in result.output
    assert not (tmp_path / "o.gpkg").exists()


@pytest.mark.filterwarnings("ignore:.crs. was not provided")
def test_survey_without_crs(tmp_path):
    path = write(tmp_path / "c.gpkg", zones=zones(), parks=parks(),
                 landuse=grid().set_crs(None, allow_override=True))
    report = validate_dataset(read_dataset(path, strict=False))
    (f,) = [f for f in report.by_rule("missing_crs") if f.layer == "landuse"]
    assert "--src-crs EPSG:4549" in f.message
    assert any("not measured" in n for n in report.notes)
    result = CliRunner().invoke(cli, ["space", str(path), "--out", str(tmp_path / "o.gpkg")])
    assert result.exit_code == 2 and "no CRS" in result.output
    result = CliRunner().invoke(cli, ["space", str(path), "--out", str(tmp_path / "o.gpkg"),
                                      "--src-crs", "EPSG:4549"])
    assert result.exit_code == 0, result.output


def test_survey_without_geometry(tmp_path):
    zones().to_file(tmp_path / "zones.gpkg")
    parks().to_file(tmp_path / "parks.gpkg")
    pd.DataFrame(grid().drop(columns="geometry")).to_csv(tmp_path / "landuse.csv", index=False)
    report = validate_dataset(read_dataset(tmp_path, strict=False))
    (f,) = [f for f in report.by_rule("missing_field") if f.layer == "landuse"]
    assert "no geometry" in f.message
    result = CliRunner().invoke(cli, ["space", str(tmp_path), "--out", str(tmp_path / "o.gpkg")])
    assert result.exit_code == 2 and "no geometry" in result.output


def test_survey_labelled_in_degrees(tmp_path):
    path = write(tmp_path / "w.gpkg", zones=zones(), parks=parks(),
                 landuse=grid().set_crs(4490, allow_override=True))
    report = validate_dataset(read_dataset(path, strict=False))
    (f,) = [f for f in report.by_rule("wrong_crs") if f.layer == "landuse"]
    assert "metres, not degrees" in f.message


def test_no_landuse_layer(tmp_path):
    path = write(tmp_path / "n.gpkg", zones=zones(), parks=parks())
    with pytest.raises(InputError, match="no 'landuse' layer"):
        measure_space(read_dataset(path))
    assert not validate_dataset(read_dataset(path)).by_rule("developable_overstated")


def test_boundary_required_when_asked(tmp_path):
    path = write(tmp_path / "b.gpkg", zones=zones(), parks=parks(), landuse=grid())
    s = scenario_from_dict({"space": {"within_boundary": True}})
    with pytest.raises(InputError, match="development_boundary"):
        measure_space(read_dataset(path), s)


def test_cli_writes_the_account(city, tmp_path):
    out, csv, xlsx = tmp_path / "s.gpkg", tmp_path / "s.csv", tmp_path / "s.xlsx"
    result = CliRunner().invoke(cli, ["space", str(city), "--out", str(out), "--csv", str(csv),
                                      "--xlsx", str(xlsx)])
    assert result.exit_code == 0, result.output
    assert "已核算 3 个开发区和园区" in result.output
    # Z2 declares 33 mu, the survey gives 30: listed (+10%); Z1 and P1 are within 5%
    assert "Z2 乙开发区: 填报 33 亩,核算 30 亩(+10%)" in result.output
    assert "P1 丙园区" in result.output  # 20 declared, 15 measured (+33%)
    assert "Z1 甲开发区" not in result.output
    space = gpd.read_file(out, layer="space").set_index("id")
    assert space.loc["Z1", "developable_mu"] == pytest.approx(300.0)
    land = gpd.read_file(out, layer="developable_land").set_index("id")
    assert land.to_crs(4549).area["Z1"] == pytest.approx(300.0 * 10_000 / 15)
    table = pd.read_csv(csv, encoding="utf-8-sig")
    assert "核算可开发空间(亩)" in table.columns
    sheets = pd.read_excel(xlsx, sheet_name=None)
    assert set(sheets) == {"可开发空间核算表", "地类构成"}
    en = tmp_path / "en.csv"
    result = CliRunner().invoke(cli, ["space", str(city), "--out", str(tmp_path / "e.gpkg"),
                                      "--csv", str(en), "--lang", "en"])
    assert result.exit_code == 0
    assert "measured developable (mu)" in pd.read_csv(en, encoding="utf-8-sig").columns


def test_scenario_settings():
    s = Scenario()
    assert s.space.excluded_layers == ("protected",) and s.space.within_boundary is False
    assert "0601" not in s.space.developable_classes
    with pytest.raises(ScenarioError, match="space.developable_classes"):
        scenario_from_dict({"space": {"developable_classes": ["farmland"]}})
    with pytest.raises(ScenarioError, match="consolidate.developable"):
        scenario_from_dict({"consolidate": {"developable": "guessed"}})


def test_codes_and_masks():
    codes = normalise_codes(np.array(["０１０１", 1201.0, "05h1", ""], dtype=object))
    assert list(codes) == ["0101", "1201", "05H1", None]
    assert list(developable_mask(codes, Scenario().space.developable_classes)) == \
        [True, True, False, False]


def test_tiles_cover_only_the_features():
    class Src:
        path = "survey.gpkg"
        features = 1_000_000
        bounds = (0.0, 0.0, 100_000.0, 100_000.0)

    tiles = plan_tiles(Src, [(0, 0, 1000, 1000), (90_000, 90_000, 91_000, 91_000)],
                       batch=1000)
    # 100 polygons per km²: 1,000 per tile is a 3.16 km tile; two corners need 2 tiles
    assert len(tiles) == 2


@pytest.mark.parametrize("mode", ["declared", "measured", "lower"])
def test_consolidation_uses_the_chosen_figure(city, mode):
    from parkgeo.consolidate.integrate import integrate

    ds = read_dataset(city)
    # Z1 declares 300 (measured 300), Z2 declares 33 (measured 30), P1 20 (measured 15)
    ds.layers["zones"] = ds.layers["zones"].assign(developable_mu=[280.0, 33.0])
    s = scenario_from_dict({"consolidate": {"developable": mode}})
    result = integrate(ds, s, check=False)  # the city's zones lie on farmland
    z = result.zones.set_index("zone_id")
    expected = {"declared": (280.0, 33.0), "measured": (300.0, 30.0),
                "lower": (280.0, 30.0)}[mode]
    assert z.loc["Z1", "developable_mu"] == pytest.approx(expected[0])
    assert z.loc["Z2", "developable_mu"] == pytest.approx(expected[1])
    plat = result.platforms.set_index("main_zone_id")
    assert plat.loc["Z1", "developable_mu"] >= expected[0] - 1e-6
    if mode == "declared":
        assert "developable_source" not in result.zones
    else:
        assert z.loc["Z2", "developable_source"] == "measured"
        assert z.loc["Z1", "developable_source"] == ("measured" if mode == "measured"
                                                     else "declared")
        p = result.parks.set_index("park_id")
        assert p.loc["P1", "developable_source"] == "measured (50% not surveyed)"
        assert p.loc["P1", "developable_declared_mu"] == pytest.approx(20.0)


@pytest.mark.parametrize("mode", ["declared", "measured", "lower"])
def test_r4_notes_name_the_developable_figure(city, mode):
    """R4: a platform below the floor says which developable figure the floor was checked with."""
    from parkgeo.consolidate.integrate import integrate

    s = scenario_from_dict({"consolidate": {"developable": mode,
                                            "min_developable_mu": 1_000_000}})
    plat = integrate(read_dataset(city), s, check=False).platforms
    assert len(plat) and not plat["meets_R4"].any()
    en = {"measured": "developable space as measured from the land-use survey",
          "lower": "developable space as the lower of the declared and the measured figure"}
    zh = {"measured": "可开发空间按土地调查核算值计",
          "lower": "可开发空间按填报值与土地调查核算值中的较小者计"}
    for note, note_zh in zip(plat["r4_note"], plat["r4_note_zh"], strict=True):
        assert note.startswith("R4: ") and note_zh.startswith("R4：")
        if mode == "declared":
            assert "[consolidate] developable" not in note + note_zh
        else:
            assert f'{en[mode]}, [consolidate] developable = "{mode}"' in note
            assert f'（{zh[mode]}，[consolidate] developable = "{mode}"）' in note_zh


def test_measured_needs_a_survey(tmp_path):
    from parkgeo.consolidate.integrate import integrate

    path = write(tmp_path / "n.gpkg", zones=zones(), parks=parks())
    s = scenario_from_dict({"consolidate": {"developable": "measured"}})
    with pytest.raises(InputError, match="needs a 'landuse' layer"):
        integrate(read_dataset(path), s)


def test_report_says_which_figure():
    from types import SimpleNamespace

    from parkgeo.publish.report import report_readings

    for mode, zh, en in (("measured", "调查(三调)核算", "measured from the land-use survey"),
                         ("lower", "较小者", "the lower of")):
        s = scenario_from_dict({"consolidate": {"developable": mode}})
        data = SimpleNamespace(scenario=s, ranking=None)
        assert any(zh in line for line in report_readings(data, "zh"))
        assert any(en in line for line in report_readings(data, "en"))


@pytest.fixture(scope="module")
def dask_cluster():
    distributed = pytest.importorskip("distributed")
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                  dashboard_address=None) as cluster:
        yield cluster


def test_dask_cluster_gives_identical_figures(city, dask_cluster):
    ds = read_dataset(city)
    local = measure_space(ds, Scenario(), batch=3, keep_geometry=True)
    remote = measure_space(ds, Scenario(), batch=3, keep_geometry=True, engine="dask",
                           scheduler=dask_cluster.scheduler_address)
    assert remote.tiles == local.tiles > 4
    pd.testing.assert_frame_equal(remote.table, local.table, check_exact=True)
    pd.testing.assert_frame_equal(remote.classes, local.classes, check_exact=True)
    for key, (dev, _gaps, code) in local.geometry.items():
        assert shapely.equals(remote.geometry[key][0], dev) or dev is None
        assert remote.geometry[key][2] == code


def test_cli_dask_engine(city, tmp_path, dask_cluster):
    csv_local, csv_dask = tmp_path / "l.csv", tmp_path / "d.csv"
    CliRunner().invoke(cli, ["space", str(city), "--out", str(tmp_path / "l.gpkg"), "--csv",
                             str(csv_local)])
    result = CliRunner().invoke(cli, ["space", str(city), "--out", str(tmp_path / "d.gpkg"),
                                      "--csv", str(csv_dask), "--engine", "dask", "--scheduler",
                                      dask_cluster.scheduler_address])
    assert result.exit_code == 0, result.output
    assert csv_dask.read_bytes() == csv_local.read_bytes()
    result = CliRunner().invoke(cli, ["space", str(city), "--out", str(tmp_path / "x.gpkg"),
                                      "--scheduler", dask_cluster.scheduler_address])
    assert result.exit_code == 2 and "--scheduler needs --engine dask" in result.output


def test_invalid_survey_polygon_is_measured_repaired(tmp_path):
    lu = grid()
    x, y = X0 + 200, Y0 + 200  # cell (2, 2), inside Z1, drawn as a bow-tie
    lu.loc[22, "geometry"] = shapely.Polygon([(x, y), (x + 100, y + 100), (x + 100, y),
                                              (x, y + 100)])
    path = write(tmp_path / "i.gpkg", zones=zones(), parks=parks(), landuse=lu)
    report = validate_dataset(read_dataset(path, strict=False))
    (f,) = [f for f in report.by_rule("invalid_geometry") if f.layer == "landuse"]
    assert f.severity == "warning" and "fid 23" in f.message and "repaired" in f.message
    # the repaired bow-tie is two triangles: half the cell, the other half a gap in Z1
    (gap,) = [g for g in report.by_rule("landuse_gap") if g.id == "Z1"]
    assert gap.value == pytest.approx(CELL_MU / 2)
