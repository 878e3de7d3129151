"""Field names and values in the wild: the catalogue's headers, Chinese names cut to 10 bytes by a
GBK Shapefile, levels and zone types in every spelling, and messages listing them all."""

from __future__ import annotations

import warnings

import pytest
from conftest import make_parks, make_zones

from parkgeo.read import read_dataset
from parkgeo.read.fields import (
    CHINESE_ALIASES,
    GBK_ALIASES,
    LAYERS,
    accepted_spellings,
    gbk_truncate,
    resolve_columns,
)
from parkgeo.validate import validate_path

CATALOGUE_HEADERS = {"开发区名称": "name", "代码": "zone_id", "批准级别": "level",
                     "核准面积": "approved_area_ha", "核准面积_公顷": "approved_area_ha",
                     "主导产业": "industries", "开发区类型": "zone_type",
                     "批准时间": "approval_date"}


@pytest.mark.parametrize("header, field", CATALOGUE_HEADERS.items())
def test_catalogue_headers_are_aliases(header, field):
    rename, _ = resolve_columns([header], "zones")
    assert rename == {header: field}


def test_gbk_truncation_is_the_shapefile_s():
    assert gbk_truncate("规上工业增加值") == "规上工业增"  # 14 bytes -> 10
    assert gbk_truncate("核准面积(公顷)") == "核准面积("  # a character cut in half is lost
    assert gbk_truncate("开发区名称") == "开发区名称"  # exactly 10 bytes
    assert len(gbk_truncate("高新技术产业占比").encode("gbk")) <= 10


def test_every_long_chinese_alias_has_its_cut_form_and_none_is_ambiguous():
    for field, aliases in CHINESE_ALIASES.items():
        for alias in aliases:
            cut = gbk_truncate(alias)
            assert cut in (*aliases, *GBK_ALIASES[field]), alias
    for layer, spec in LAYERS.items():
        names = {f.name for f in spec}
        owner = {}
        for field in names:
            for cut in GBK_ALIASES.get(field, ()):
                assert owner.setdefault(cut, field) == field, (layer, cut)


def test_a_gbk_shapefile_with_chinese_field_names_reads(tmp_path):
    zones = make_zones(level=["国务院", "省政府"], industries=["装备制造、新材料", "汽车及零部件"],
                       zone_type=["经济技术开发区", "海关特殊监管区域"])
    zones = zones.rename(columns={"name": "开发区名称", "level": "批准级别",
                                  "approved_area_ha": "核准面积(公顷)", "industries": "主导产业",
                                  "zone_type": "开发区类型", "industrial_va_100m": "规上工业增加值",
                                  "developable_mu": "可开发空间亩"})
    folder = tmp_path / "shp"
    folder.mkdir()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # GDAL says it cut the names: that is the point
        zones.to_file(folder / "zones.shp", encoding="GBK", engine="pyogrio")
        make_parks().to_file(folder / "parks.shp", encoding="GBK", engine="pyogrio")
    ds = read_dataset(folder, strict=False)
    z = ds["zones"]
    assert [p for p in ds.problems if p.layer == "zones"] == []
    assert z["level"].tolist() == ["national", "provincial"]
    assert z["zone_type"].tolist() == ["economic_technological", "customs_special"]
    assert z["approved_area_ha"].tolist() == [150.0, 150.0]
    assert z["industrial_va_100m"].tolist() == [60.0, 50.0]
    assert z["industries"].tolist()[1] == "C36"
    renamed = ds.sources["zones"].renamed
    assert renamed["规上工业增"] == "industrial_va_100m"
    assert renamed["核准面积("] == "approved_area_ha"


@pytest.mark.parametrize("value, level", [
    ("国务院", "national"), ("国家级", "national"), ("national", "national"),
    ("G331112", "national"), ("省政府", "provincial"), ("省级", "provincial"),
    ("provincial", "provincial"), ("S337036", "provincial"),
])
def test_levels_in_every_spelling_are_read(tmp_path, value, level):
    path = tmp_path / "d.gpkg"
    make_zones(level=[value, "national"]).to_file(path, layer="zones")
    make_parks().to_file(path, layer="parks")
    assert read_dataset(path)["zones"]["level"].tolist() == [level, "national"]


def test_a_bad_level_lists_every_accepted_spelling(tmp_path):
    path = tmp_path / "d.gpkg"
    make_zones(level=["县级", "national"]).to_file(path, layer="zones")
    make_parks().to_file(path, layer="parks")
    [f] = validate_path(path).by_rule("bad_value")
    assert (f.id, f.field) == ("Z1", "level") and "'县级'" in f.message
    for spelling in ("national", "国家级", "国务院", "provincial", "省级", "省政府", "G…", "S…"):
        assert spelling in f.message


def test_a_bad_zone_type_lists_every_accepted_spelling(tmp_path):
    path = tmp_path / "d.gpkg"
    make_zones(zone_type=["综合保税区", "火星基地"]).to_file(path, layer="zones")
    make_parks().to_file(path, layer="parks")
    [f] = validate_path(path).by_rule("bad_value")
    assert (f.id, f.field) == ("Z2", "zone_type")
    assert "海关特殊监管区域" in f.message and "旅游度假区" in f.message and "火星基地" in f.message


def test_every_enum_message_names_each_choice_and_its_spellings():
    for field in ("level", "zone_type", "park_type", "hazard", "status", "project_type"):
        text = accepted_spellings(field)
        spec = next(f for fs in LAYERS.values() for f in fs if f.name == field)
        assert all(c in text for c in spec.choices), field
    assert "镇(街道)工业园区" in accepted_spellings("park_type")
