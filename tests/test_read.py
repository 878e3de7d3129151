"""Reading datasets as the data contract says: formats, encodings, field names, values, CRS."""

from __future__ import annotations

import hashlib
import shutil

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import shapely
from click.testing import CliRunner
from conftest import X0, Y0, make_parks, make_zones, square

from parkgeo.cli.main import cli
from parkgeo.errors import CRSError, DatasetNotFoundError, NotADatasetError, SchemaError
from parkgeo.read import read_dataset
from parkgeo.read.fields import parse_bool, parse_number
from parkgeo.scenario import scenario_from_dict


def _hash(path):
    return hashlib.sha256(path.read_bytes()).hexdigest()


# -- formats -----------------------------------------------------------------------------------

@pytest.mark.parametrize("engine", ["pyogrio", "fiona"])
def test_geopackage_read_and_normalised(tiny_gpkg, engine):
    before = _hash(tiny_gpkg)
    ds = read_dataset(tiny_gpkg, engine=engine)
    assert set(ds.layers) == {"zones", "parks"}
    assert ds["zones"]["approved_area_ha"].dtype == "float64"
    assert ds["parks"]["conforms_to_plan"].tolist() == [True, False, True]
    assert ds.problems == []
    assert _hash(tiny_gpkg) == before  # opened read-only, untouched


@pytest.mark.parametrize("suffix,driver", [(".shp", "ESRI Shapefile"), (".geojson", "GeoJSON"),
                                           (".fgb", "FlatGeobuf")])
def test_folder_of_files(tmp_path, suffix, driver):
    zones = make_zones().rename(columns={"approved_area_ha": "appr_ha", "developable_mu": "dev_mu",
                                         "industrial_va_100m": "va_100m"})
    parks = make_parks().rename(columns={"conforms_to_plan": "conforms",
                                         "developable_mu": "dev_mu",
                                         "industrial_va_100m": "va_100m"})
    zones.to_file(tmp_path / f"zones{suffix}", driver=driver)
    parks.to_file(tmp_path / f"parks{suffix}", driver=driver)
    ds = read_dataset(tmp_path)
    assert ds.sources["zones"].driver == driver
    assert ds["zones"]["approved_area_ha"].tolist() == [150.0, 150.0]
    parks = ds["parks"].set_index("park_id").sort_index()  # FlatGeobuf reorders by its index
    assert parks["conforms_to_plan"].tolist() == [True, False, True]
    assert parks.loc["P1", "name"] == "凤桥镇工业园区"


def test_monitoring_as_csv_in_a_folder(tmp_path, zones, parks):
    zones.to_file(tmp_path / "zones.geojson")
    parks.to_file(tmp_path / "parks.geojson")
    pd.DataFrame({"platform_id": ["Z1"], "period": ["2019Q1"], "tax_100m": ["1.5"]}).to_csv(
        tmp_path / "monitoring.csv", index=False)
    ds = read_dataset(tmp_path)
    assert ds["monitoring"]["tax_100m"].tolist() == [1.5]


def test_extra_fields_pass_through(tmp_path):
    parks = make_parks(备注=["甲", "乙", "丙"], custom_score=[1, 2, 3])
    path = tmp_path / "d.gpkg"
    make_zones().to_file(path, layer="zones")
    parks.to_file(path, layer="parks")
    ds = read_dataset(path)
    assert ds["parks"]["备注"].tolist() == ["甲", "乙", "丙"]
    assert ds["parks"]["custom_score"].tolist() == [1, 2, 3]


# -- Shapefile encodings -----------------------------------------------------------------------

def _write_shapefiles(folder, encoding, cpg):
    zones = make_zones().rename(columns={"approved_area_ha": "appr_ha", "developable_mu": "dev_mu",
                                         "industrial_va_100m": "va_100m"})
    parks = make_parks().rename(columns={"conforms_to_plan": "conforms",
                                         "developable_mu": "dev_mu",
                                         "industrial_va_100m": "va_100m"})
    for name, frame in (("zones", zones), ("parks", parks)):
        frame.to_file(folder / f"{name}.shp", encoding=encoding)
        cpg_file = folder / f"{name}.cpg"
        if not cpg:
            cpg_file.unlink(missing_ok=True)
        else:
            assert cpg_file.exists()


@pytest.mark.parametrize("encoding,cpg,expected,how", [
    ("UTF-8", True, "UTF-8", "from .cpg"),
    ("UTF-8", False, "UTF-8", "no .cpg; valid UTF-8"),
    ("GBK", True, "GBK", "from .cpg"),
    ("GBK", False, "GB18030", "no .cpg; not valid UTF-8, read as GB18030"),
])
def test_shapefile_encodings(tmp_path, encoding, cpg, expected, how):
    _write_shapefiles(tmp_path, encoding, cpg)
    raw = (tmp_path / "parks.dbf").read_bytes()
    assert "凤桥镇".encode(encoding.lower()) in raw  # the file really is in that encoding
    ds = read_dataset(tmp_path)
    assert ds.sources["parks"].encoding.upper().replace("CP936", "GBK") == expected.upper()
    assert ds.sources["parks"].encoding_how == how
    assert ds["parks"]["name"].tolist() == ["凤桥镇工业园区", "余新镇工业园区", "新埭镇工业园区"]
    assert ds["zones"]["county"].tolist() == ["南湖区", "平湖市"]


def test_encoding_override(tmp_path):
    _write_shapefiles(tmp_path, "GBK", cpg=False)
    ds = read_dataset(tmp_path, encoding="GBK")
    assert ds.sources["parks"].encoding_how == "--encoding"
    assert ds["parks"]["town"].tolist()[0] == "凤桥镇"


# -- field names and values --------------------------------------------------------------------

def test_chinese_field_names_through_scenario_mapping(tmp_path):
    parks = make_parks().rename(columns={"name": "园区名字", "county": "所在区县"})
    path = tmp_path / "d.gpkg"
    make_zones().to_file(path, layer="zones")
    parks.to_file(path, layer="parks")
    with pytest.raises(SchemaError, match=r"field 'name'.*\[fields.parks\] name = "):
        read_dataset(path)
    scenario = scenario_from_dict({"fields": {"parks": {"name": "园区名字", "county": "所在区县"}}})
    ds = read_dataset(path, scenario=scenario)
    assert ds["parks"]["name"].tolist()[0] == "凤桥镇工业园区"
    assert ds.sources["parks"].renamed == {"园区名字": "name", "所在区县": "county"}


def test_common_chinese_field_names_and_values_understood(tmp_path):
    parks = make_parks(
        park_type=["镇(街道)工业园区", "特色小镇", "其他"],
        hazard=["无", "重大", "一般"],
        conforms_to_plan=["是", "否", "1"],
    ).rename(columns={"name": "园区名称", "town": "所属镇街", "developable_mu": "可开发空间"})
    zones = make_zones(level=["国家级", "省级"])
    path = tmp_path / "d.gpkg"
    zones.to_file(path, layer="zones")
    parks.to_file(path, layer="parks")
    ds = read_dataset(path)
    p = ds["parks"]
    assert p["park_type"].tolist() == ["town_park", "characteristic_town", "other"]
    assert p["hazard"].tolist() == ["none", "major", "minor"]
    assert p["conforms_to_plan"].tolist() == [True, False, True]
    assert p["developable_mu"].tolist() == [1200.0, 300.0, 800.0]
    assert ds["zones"]["level"].tolist() == ["national", "provincial"]


@pytest.mark.parametrize("text,expected", [("是", True), ("否", False), ("1", True), ("0", False),
                                           ("true", True), ("FALSE", False), ("Y", True),
                                           (1, True), (0.0, False), ("", None), (None, None)])
def test_parse_bool(text, expected):
    assert parse_bool(text) == expected


@pytest.mark.parametrize("text", ["maybe", "2", 3])
def test_parse_bool_refuses(text):
    with pytest.raises(ValueError):
        parse_bool(text)


@pytest.mark.parametrize("text,expected", [("1,500", 1500.0), ("１５００", 1500.0), (" 2.5 ", 2.5),
                                           ("1e3", 1000.0), (7, 7.0), ("", None)])
def test_parse_number(text, expected):
    assert parse_number(text) == expected


@pytest.mark.parametrize("text", ["about 1500", "1500亩", "nan", "inf", "--"])
def test_parse_number_refuses(text):
    with pytest.raises(ValueError):
        parse_number(text)


def test_number_as_text_is_a_problem_naming_everything(tmp_path):
    parks = make_parks(developable_mu=["1200", "about 1500", "800"])
    path = tmp_path / "d.gpkg"
    make_zones().to_file(path, layer="zones")
    parks.to_file(path, layer="parks")
    with pytest.raises(SchemaError) as info:
        read_dataset(path)
    msg = str(info.value)
    assert str(path) in msg and "layer 'parks'" in msg and "feature 'P2'" in msg
    assert "field 'developable_mu'" in msg and "'about 1500'" in msg and "a number (mu)" in msg
    ds = read_dataset(path, strict=False)
    assert ds["parks"]["developable_mu"].tolist()[0] == 1200.0
    assert np.isnan(ds["parks"]["developable_mu"].tolist()[1])  # never guessed


@pytest.mark.parametrize("field,value,words", [
    ("developable_mu", -5.0, "≥ 0"),
    ("developable_mu", 5e9, "implausibly large"),
    ("high_tech_va_share", 45.0, "divide by 100"),
    ("listed_firms", 2.5, "whole number"),
])
def test_out_of_range_values(tmp_path, field, value, words):
    values = {"developable_mu": [1200.0, 300.0, 800.0], "high_tech_va_share": [0.5, 0.5, 0.5],
              "listed_firms": [1, 1, 1]}[field]
    values = list(values)
    values[0] = value
    path = tmp_path / "d.gpkg"
    make_zones().to_file(path, layer="zones")
    make_parks(**{field: values}).to_file(path, layer="parks")
    ds = read_dataset(path, strict=False)
    (problem,) = [p for p in ds.problems if p.field == field]
    assert (problem.rule, problem.id, problem.severity) == ("bad_value", "P1", "error")
    assert words in problem.message


def test_duplicate_ids(tmp_path):
    path = tmp_path / "d.gpkg"
    make_zones().to_file(path, layer="zones")
    make_parks(park_id=["P1", "P1", "P3"]).to_file(path, layer="parks")
    ds = read_dataset(path, strict=False)
    assert [(p.rule, p.id) for p in ds.problems] == [("duplicate_id", "P1")]


# -- bad input: one line naming file, layer, feature, field -------------------------------------

def test_path_that_does_not_exist(tmp_path):
    with pytest.raises(DatasetNotFoundError, match="does not exist"):
        read_dataset(tmp_path / "nope.gpkg")


def test_file_that_is_not_a_vector_dataset(tmp_path):
    path = tmp_path / "notes.gpkg"
    path.write_text("hello, this is text", encoding="utf-8")
    with pytest.raises(NotADatasetError, match="not a GeoPackage"):
        read_dataset(path)


def test_truncated_geopackage(tiny_gpkg, tmp_path):
    data = tiny_gpkg.read_bytes()
    cut = tmp_path / "cut.gpkg"
    cut.write_bytes(data[: len(data) // 3])
    with pytest.raises(NotADatasetError, match="truncated or damaged"):
        read_dataset(cut)


def test_geopackage_that_is_a_zip(tiny_gpkg, tmp_path):
    archive = shutil.make_archive(str(tmp_path / "bundle"), "zip", tiny_gpkg.parent,
                                  tiny_gpkg.name)
    fake = tmp_path / "bundle.gpkg"
    shutil.move(archive, fake)
    with pytest.raises(NotADatasetError, match="ZIP archive.*unzip"):
        read_dataset(fake)


def test_missing_layer(tmp_path, zones):
    path = tmp_path / "d.gpkg"
    zones.to_file(path, layer="zones")
    with pytest.raises(SchemaError, match="layer 'parks': required layer 'parks' is missing"):
        read_dataset(path)


def test_missing_required_field(tmp_path, zones):
    path = tmp_path / "d.gpkg"
    zones.to_file(path, layer="zones")
    make_parks().drop(columns="conforms_to_plan").to_file(path, layer="parks")
    with pytest.raises(SchemaError, match=r"field 'conforms_to_plan'.*short alias 'conforms'"):
        read_dataset(path)


def test_no_crs_suggests_one(tmp_path):
    zones = make_zones().set_crs(None, allow_override=True)
    parks = make_parks().set_crs(None, allow_override=True)
    path = tmp_path / "d.gpkg"
    zones.to_file(path, layer="zones")
    parks.to_file(path, layer="parks")
    with pytest.raises(CRSError, match=r"no CRS.*--src-crs EPSG:4549"):
        read_dataset(path)
    ds = read_dataset(path, src_crs="EPSG:4549")
    assert ds["zones"].crs.to_epsg() == 4549


@pytest.mark.parametrize("bounds,expected", [
    ((120.5, 30.5, 121.0, 30.9), "EPSG:4490"),
    ((570_000, 3_390_000, 590_000, 3_420_000), "EPSG:4549"),
    ((40_570_000, 3_390_000, 40_590_000, 3_420_000), "EPSG:4528"),
    ((30.5, 120.5, 30.9, 121.0), None),  # lat/lon swapped
])
def test_crs_guess(bounds, expected):
    from parkgeo.read.crs import guess_crs

    guess, why = guess_crs(bounds)
    assert guess == expected
    if expected is None:
        assert "swapped" in why


def test_projected_coordinates_labelled_as_degrees(tmp_path):
    zones = make_zones().set_crs(4326, allow_override=True)
    parks = make_parks().set_crs(4326, allow_override=True)
    path = tmp_path / "d.gpkg"
    zones.to_file(path, layer="zones")
    parks.to_file(path, layer="parks")
    with pytest.raises(CRSError, match=r"metres, not degrees.*--src-crs EPSG:4549"):
        read_dataset(path)


def test_lon_lat_swapped(tmp_path):
    zones = make_zones().to_crs(4490)
    parks = make_parks().to_crs(4490)
    swap = lambda g: shapely.transform(g, lambda xy: xy[:, ::-1])  # noqa: E731
    zones = zones.set_geometry(swap(zones.geometry.values))
    parks = parks.set_geometry(swap(parks.geometry.values))
    path = tmp_path / "d.gpkg"
    zones.to_file(path, layer="zones")
    parks.to_file(path, layer="parks")
    with pytest.raises(CRSError, match="swapped"):
        read_dataset(path)


# -- measuring CRS ------------------------------------------------------------------------------

def test_measured_per_county_in_its_own_gauss_kruger_zone():
    """A 1 km² square in Jiaxing (CM 120E) and one in Urumqi (CM 87E) are both 1,500 mu."""
    from parkgeo.read.crs import areas_mu, county_crs

    jx = gpd.GeoSeries([square(500_000, 3_400_000, 1000)], crs=4549).to_crs(4490)
    ur = gpd.GeoSeries([square(500_000, 4_850_000, 1000)], crs=4538).to_crs(4490)
    frame = gpd.GeoDataFrame({"county": ["南湖区", "天山区"]},
                             geometry=[jx.iloc[0], ur.iloc[0]], crs=4490)
    crs = county_crs({"parks": frame})
    assert crs == {"南湖区": 4549, "天山区": 4538}
    assert areas_mu(frame, crs).round(3).tolist() == [1500.0, 1500.0]
    # measured in one zone for both, the far county's area would be off by several percent
    wrong = frame.to_crs(4549).area.iloc[1] / (10000 / 15)
    assert abs(wrong - 1500) > 15


def test_dataset_crs_by_county_from_counties_layer(tmp_path, zones, parks):
    counties = gpd.GeoDataFrame({"name": ["南湖区", "平湖市"]},
                                geometry=[square(X0 - 5000, Y0 - 5000, 15000),
                                          square(X0 + 15000, Y0 - 5000, 15000)], crs=4549)
    path = tmp_path / "d.gpkg"
    zones.to_file(path, layer="zones")
    parks.to_file(path, layer="parks")
    counties.to_file(path, layer="counties")
    ds = read_dataset(path)
    assert ds.crs_by_county == {"南湖区": 4549, "平湖市": 4549}


# -- the command line refuses bad input with one line and exit 2 --------------------------------

def test_cli_bad_input_one_line_exit_2(tmp_path):
    path = tmp_path / "d.gpkg"
    make_zones().to_file(path, layer="zones")
    make_parks(developable_mu=["1200", "about 1500", "800"]).to_file(path, layer="parks")
    import click

    from parkgeo.cli.options import open_dataset

    @click.command()
    @click.argument("dataset")
    def probe(dataset):
        open_dataset(dataset)

    cli.add_command(probe, "probe-read")
    try:
        result = CliRunner().invoke(cli, ["probe-read", str(path)])
    finally:
        cli.commands.pop("probe-read", None)
    assert result.exit_code == 2
    lines = [line for line in result.output.splitlines() if line.strip()]
    assert len(lines) == 1 and lines[0].startswith("parkgeo: error: ")
    assert "Traceback" not in result.output


def test_an_id_with_a_line_break_is_named_on_one_line():
    """An id read from the data may hold a line break or characters that do not print: the
    message naming it stays one line, the characters written as escapes."""
    from parkgeo.errors import SchemaError

    exc = SchemaError("required value is empty", path="/data/parks.geojson", layer="parks",
                      feature="P1\n\U000835ec高新", field="name\r")
    text = str(exc)
    assert "\n" not in text and "\r" not in text
    assert "feature 'P1\\n\\U000835ec高新'" in text and "field 'name\\r'" in text
