"""Data as it is delivered: File Geodatabases, ZIP archives, statistics tables joined by id,
and lon/lat layers that reach beyond China."""

from __future__ import annotations

import zipfile
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pyogrio
import pytest
import shapely

from parkgeo.errors import DatasetNotFoundError, NotADatasetError, SchemaError
from parkgeo.read import list_dataset_layers, read_dataset
from parkgeo.read.crs import check_declared_crs, outside_measured_zones
from parkgeo.read.dataset import _member_name
from parkgeo.scenario import ScenarioError, load_scenario, scenario_from_dict

BASE = Path(__file__).resolve().parent / "data" / "bad" / "base"
LAYERS = ("zones", "parks", "counties")


@pytest.fixture(scope="module")
def base():
    return {n: gpd.read_file(BASE / f"{n}.geojson") for n in LAYERS}


@pytest.fixture(scope="module")
def gdb(tmp_path_factory, base):
    """A File Geodatabase written by GDAL's OpenFileGDB driver; zones named 开发区."""
    path = tmp_path_factory.mktemp("gdb") / "园区.gdb"
    for name, frame in base.items():
        pyogrio.write_dataframe(frame, path, layer="开发区" if name == "zones" else name,
                                driver="OpenFileGDB")
    return path


def _zip(archive, files):
    with zipfile.ZipFile(archive, "w") as z:
        for arcname, path in files:
            z.write(path, arcname)
    return archive


def _same(a, b):
    cols = [c for c in a.columns if c != "geometry"]
    pd.testing.assert_frame_equal(a[cols].reset_index(drop=True), b[cols].reset_index(drop=True),
                                  check_dtype=False)
    assert shapely.equals(a.geometry.values, b.geometry.values).all()


MAPPED = scenario_from_dict({"layers": {"zones": "开发区"}})


def test_gdb_feature_class_mapped_to_its_layer(gdb, base):
    ds = read_dataset(gdb, scenario=MAPPED)
    assert set(LAYERS) <= set(ds.layers)
    assert ds.sources["zones"].driver == "OpenFileGDB"
    _same(ds["zones"], read_dataset(BASE)["zones"])
    assert ds["parks"]["park_id"].tolist() == base["parks"]["park_id"].tolist()


def test_gdb_without_mapping_says_how_to_map(gdb):
    ds = read_dataset(gdb, strict=False)
    missing = [p for p in ds.problems if p.rule == "missing_layer"]
    assert len(missing) == 1 and "开发区" in missing[0].message
    assert '[layers] zones = "…"' in missing[0].message


def test_mapping_to_a_layer_that_is_not_there(gdb):
    s = scenario_from_dict({"layers": {"zones": "开发区边界"}})
    ds = read_dataset(gdb, scenario=s, strict=False)
    (p,) = [p for p in ds.problems if p.rule == "missing_layer"]
    assert p.layer == "zones" and "'开发区边界'" in p.message and "开发区" in p.message


def test_zipped_gdb_reads_like_the_folder(gdb, tmp_path, base):
    archive = _zip(tmp_path / "园区.gdb.zip",
                   [(f"园区.gdb/{f.name}", f) for f in sorted(gdb.iterdir())])
    before = archive.read_bytes()
    ds = read_dataset(archive, scenario=MAPPED)
    assert ds.path == archive
    assert ds.sources["parks"].path.startswith(str(archive))
    assert ds["zones"]["zone_id"].tolist() == base["zones"]["zone_id"].tolist()
    assert archive.read_bytes() == before
    assert set(list_dataset_layers(archive)) == {"开发区", "parks", "counties"}


@pytest.mark.filterwarnings("ignore:Normalized/laundered field name")
def test_zip_of_shapefiles_in_a_subfolder(tmp_path, base):
    folder = tmp_path / "shp"
    folder.mkdir()
    for name, frame in base.items():
        pyogrio.write_dataframe(frame, folder / f"{name}.shp", encoding="GBK")
    archive = _zip(tmp_path / "园区数据.zip",
                   [(f"数据/{f.name}", f) for f in sorted(folder.iterdir())])
    # (long field names are cut to 10 characters in a Shapefile: read without refusing them)
    ds = read_dataset(archive, strict=False)
    assert ds.sources["parks"].encoding == "GBK"
    assert ds["parks"]["name"].tolist() == base["parks"]["name"].tolist()


def test_zip_holding_one_geopackage(tmp_path, base):
    gpkg = tmp_path / "jx.gpkg"
    for name, frame in base.items():
        pyogrio.write_dataframe(frame, gpkg, layer=name)
    ds = read_dataset(_zip(tmp_path / "jx.zip", [("jx.gpkg", gpkg)]))
    assert set(LAYERS) <= set(ds.layers)


def test_zip_member_names_written_by_chinese_windows():
    class Info:  # a member without the UTF-8 flag, decoded by zipfile as cp437
        flag_bits = 0
        filename = "园区数据/zones.shp".encode("gbk").decode("cp437")

    assert _member_name(Info) == "园区数据/zones.shp"
    Info.flag_bits = 0x800
    Info.filename = "园区/zones.shp"
    assert _member_name(Info) == "园区/zones.shp"


def test_zip_with_layers_in_two_folders(tmp_path):
    files = [(f"{d}/{n}.geojson", BASE / f"{n}.geojson") for d in ("a", "b") for n in ("zones",)]
    with pytest.raises(NotADatasetError, match="several folders"):
        read_dataset(_zip(tmp_path / "two.zip", files))


def test_damaged_layer_in_a_zip_is_named_by_the_archive(tmp_path):
    bad = tmp_path / "zones.geojson"
    bad.write_text('{"type": "FeatureCollection", "features": [', encoding="utf-8")
    archive = _zip(tmp_path / "d.zip", [("zones.geojson", bad),
                                        ("parks.geojson", BASE / "parks.geojson")])
    with pytest.raises(NotADatasetError) as err:
        read_dataset(archive)
    assert str(archive) in str(err.value) and "parkgeo-zip-" not in str(err.value)


def test_not_a_zip_named_zip(tmp_path):
    fake = tmp_path / "data.zip"
    fake.write_text("not a zip", encoding="utf-8")
    with pytest.raises(NotADatasetError, match="not a readable ZIP archive"):
        read_dataset(fake)


# --------------------------------------------------------------------------- [join.LAYER]


@pytest.fixture
def stats_dataset(tmp_path, base):
    """The base parks without their figures, which live in an Excel sheet."""
    folder = tmp_path / "ds"
    folder.mkdir()
    parks = base["parks"].drop(columns=["developable_mu", "industrial_va_100m"])
    for name, frame in {**base, "parks": parks}.items():
        pyogrio.write_dataframe(frame, folder / f"{name}.geojson")
    table = base["parks"][["park_id", "developable_mu", "industrial_va_100m"]].rename(
        columns={"park_id": "园区编码"})
    with pd.ExcelWriter(folder / "园区统计.xlsx") as xl:
        pd.DataFrame({"说明": ["封面"]}).to_excel(xl, sheet_name="说明", index=False)
        table.iloc[::-1].to_excel(xl, sheet_name="2020", index=False)
    return folder


def _scenario(folder, **join):
    toml = folder / "s.toml"
    lines = ["[join.parks]"] + [f'{k} = "{v}"' for k, v in join.items()]
    toml.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return load_scenario(toml)


def test_join_excel_sheet_by_id(stats_dataset, base):
    s = _scenario(stats_dataset, table="园区统计.xlsx", on="park_id", sheet="2020",
                  table_on="园区编码")
    before = (stats_dataset / "园区统计.xlsx").read_bytes()
    ds = read_dataset(stats_dataset, scenario=s)
    parks = ds["parks"].set_index("park_id")
    expected = base["parks"].set_index("park_id")
    assert parks.loc[expected.index, "developable_mu"].tolist() == \
        expected["developable_mu"].tolist()
    assert parks.loc[expected.index, "industrial_va_100m"].tolist() == \
        expected["industrial_va_100m"].tolist()
    assert not [p for p in ds.problems if p.rule == "join_unmatched"]
    assert (stats_dataset / "园区统计.xlsx").read_bytes() == before


def test_join_finds_the_id_column_by_its_alias(stats_dataset, base):
    table = base["parks"][["park_id", "developable_mu", "industrial_va_100m"]]
    table.rename(columns={"park_id": "园区编号"}).to_csv(stats_dataset / "t.csv", index=False)
    s = _scenario(stats_dataset, table="t.csv", on="park_id")
    ds = read_dataset(stats_dataset, scenario=s)
    assert ds["parks"]["developable_mu"].notna().all()


def test_join_reports_unmatched_ids_on_both_sides(stats_dataset, base):
    table = base["parks"][["park_id", "developable_mu", "industrial_va_100m"]].iloc[1:]
    table = pd.concat([table, pd.DataFrame({"park_id": ["P9", "P10"], "developable_mu": [1, 2],
                                            "industrial_va_100m": [1, 2]})])
    table.to_csv(stats_dataset / "t.csv", index=False)
    s = _scenario(stats_dataset, table="t.csv", on="park_id")
    ds = read_dataset(stats_dataset, scenario=s, strict=False)
    msgs = [p.message for p in ds.problems if p.rule == "join_unmatched"]
    assert len(msgs) == 2
    assert any("1 feature of 'parks' has no row in t.csv: P1" in m for m in msgs)
    assert any("2 rows of t.csv match no feature of 'parks': P10, P9" in m for m in msgs)
    p1 = ds["parks"].set_index("park_id").loc["P1"]
    assert pd.isna(p1["developable_mu"])


def test_join_refuses_duplicate_ids(stats_dataset, base):
    table = base["parks"][["park_id", "developable_mu"]]
    pd.concat([table, table.iloc[[2]]]).to_csv(stats_dataset / "t.csv", index=False)
    s = _scenario(stats_dataset, table="t.csv", on="park_id")
    with pytest.raises(SchemaError, match=r"id 'P3' appears in 2 rows \(rows 4, 8\)") as err:
        read_dataset(stats_dataset, scenario=s)
    assert err.value.path.endswith("t.csv") and err.value.field == "park_id"


@pytest.mark.parametrize("join, error, match", [
    ({"table": "nope.xlsx", "on": "park_id"}, DatasetNotFoundError, "does not exist"),
    ({"table": "园区统计.xlsx", "on": "park_id", "sheet": "2019"}, SchemaError,
     "no sheet '2019' .sheets: 说明, 2020"),
    ({"table": "园区统计.xlsx", "on": "park_id", "sheet": "2020", "table_on": "编号"},
     SchemaError, "no id column '编号'"),
    ({"table": "s.toml", "on": "park_id"}, NotADatasetError, "must be .csv or .xlsx"),
])
def test_join_table_problems_are_named(stats_dataset, join, error, match):
    s = _scenario(stats_dataset, **join)
    with pytest.raises(error, match=match):
        read_dataset(stats_dataset, scenario=s)


def test_join_to_a_layer_the_dataset_lacks(stats_dataset):
    toml = stats_dataset / "s.toml"
    toml.write_text('[join.plots]\ntable = "t.csv"\non = "plot_id"\n', encoding="utf-8")
    ds = read_dataset(stats_dataset, scenario=load_scenario(toml), strict=False)
    (p,) = [p for p in ds.problems if p.layer == "plots"]
    assert p.rule == "missing_layer" and "[join.plots]" in p.message


@pytest.mark.parametrize("data, match", [
    ({"join": {"parks": {"table": "x.csv"}}}, "join.parks.on: required"),
    ({"join": {"parks": {"table": "x.csv", "on": "park_id", "key": "y"}}},
     "unknown key 'join.parks.key'"),
    ({"join": ["x.csv"]}, r"\[join\] must hold one table per layer"),
    ({"layers": {"zones": 3}}, r"\[layers\] must be a table"),
])
def test_scenario_checks_layers_and_join(data, match):
    with pytest.raises(ScenarioError, match=match):
        scenario_from_dict(data)


# --------------------------------------------------------------------------- lon/lat worlds


def test_whole_world_in_degrees_is_not_called_metres():
    # Natural Earth's countries reach 180.00000000000006 with rounding noise
    assert check_declared_crs("EPSG:4326", (-180.0, -90.0, 180.00000000000006, 83.6)) is None
    wrong = check_declared_crs("EPSG:4326", (500_000.0, 3_300_000.0, 600_000.0, 3_400_000.0))
    assert "metres, not degrees" in wrong


def test_features_outside_the_measured_zones_are_named():
    frame = gpd.GeoDataFrame(
        {"name": ["嘉兴", "Fiji", "Chile"]},
        geometry=[shapely.box(120.7, 30.7, 120.8, 30.8),
                  shapely.box(177.0, -18.0, 180.00000000000006, -16.0),
                  shapely.box(-75.0, -55.0, -67.0, -17.0)], crs=4326)
    text = outside_measured_zones(frame)
    assert "in degrees (EPSG:4326)" in text and "2 of 3 features" in text
    assert "Fiji, Chile" in text and "73–135°E" in text and "嘉兴" not in text
    assert outside_measured_zones(frame.iloc[:1]) is None
    unnamed = frame.drop(columns=["name"])
    assert "#1, #2" in outside_measured_zones(unnamed)
