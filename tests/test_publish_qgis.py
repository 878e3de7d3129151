"""QGIS default styles in the result GeoPackage's layer_styles table."""

from __future__ import annotations

import sqlite3
import xml.etree.ElementTree as ET

import geopandas as gpd
import pyogrio
import pytest
import shapely
from publish_data import make_result_layers, write_result

from parkgeo.publish.qgis import LABEL_SCALES, STYLE_COLUMNS, add_qgis_styles, link_lines
from parkgeo.publish.style import platform_colours


@pytest.fixture
def result_gpkg(tmp_path):
    return write_result(tmp_path / "result.gpkg")


def _rows(path):
    with sqlite3.connect(path) as con:
        cols = [r[1] for r in con.execute("PRAGMA table_info(layer_styles)")]
        rows = con.execute("SELECT * FROM layer_styles").fetchall()
        contents = dict(con.execute("SELECT table_name, data_type FROM gpkg_contents"))
    return cols, [dict(zip(cols, r, strict=False)) for r in rows], contents


def _rgb(hex_colour):
    h = hex_colour.lstrip("#")
    return ",".join(str(int(h[i:i + 2], 16)) for i in (0, 2, 4))


def test_layer_styles_table_in_qgis_schema(result_gpkg):
    styled = add_qgis_styles(result_gpkg)
    cols, rows, contents = _rows(result_gpkg)
    assert cols == ["id", *STYLE_COLUMNS]
    assert contents["layer_styles"] == "attributes"
    assert sorted(r["f_table_name"] for r in rows) == sorted(styled)
    assert set(styled) == {"zones", "parks", "platforms", "counties", "protected", "plots",
                           "links"}
    assert all(r["useAsDefault"] == 1 and r["f_geometry_column"] == "geom" for r in rows)
    for r in rows:
        root = ET.fromstring(r["styleQML"].split(">", 1)[1])
        assert root.tag == "qgis" and root.find("renderer-v2") is not None


def test_qml_uses_the_web_map_colours(result_gpkg):
    add_qgis_styles(result_gpkg)
    _, rows, _ = _rows(result_gpkg)
    qml = {r["f_table_name"]: r["styleQML"] for r in rows}
    colours = platform_colours(["Z1", "Z2"])
    root = ET.fromstring(qml["platforms"].split(">", 1)[1])
    cats = {c.get("value"): c.get("symbol") for c in root.iter("category")}
    syms = {s.get("name"): s for s in root.iter("symbol")}
    for pid, colour in colours.items():
        opts = {o.get("name"): o.get("value") for o in syms[cats[pid]].iter("Option")}
        assert opts["outline_color"].startswith(_rgb(colour))
    parks = ET.fromstring(qml["parks"].split(">", 1)[1])
    assert {c.get("value") for c in parks.iter("category")} >= {"exit", "excluded", "Z1", "Z2"}
    assert parks.find(".//text-style").get("fieldName") == "name"


def test_layers_untouched_and_rerun_replaces_styles(result_gpkg):
    before = gpd.read_file(result_gpkg, layer="parks")
    add_qgis_styles(result_gpkg)
    add_qgis_styles(result_gpkg, lang="en")
    _, rows, _ = _rows(result_gpkg)
    assert len(rows) == 7          # six layers and the links, each once
    assert "Exit-type park" in next(r["styleQML"] for r in rows if r["f_table_name"] == "parks")
    after = gpd.read_file(result_gpkg, layer="parks")
    assert before.equals(after)


def test_failure_leaves_the_original(result_gpkg, monkeypatch):
    import parkgeo.publish.qgis as qgis

    original = result_gpkg.read_bytes()

    def boom(*a, **k):
        raise OSError("disk full")

    monkeypatch.setattr(qgis, "_store_styles", boom)
    with pytest.raises(OSError, match="disk full"):
        add_qgis_styles(result_gpkg)
    assert result_gpkg.read_bytes() == original
    assert not list(result_gpkg.parent.glob(".result.gpkg.*"))


def _qml_of(path):
    _, rows, _ = _rows(path)
    return {r["f_table_name"]: ET.fromstring(r["styleQML"].split(">", 1)[1]) for r in rows}


def test_labels_only_from_a_sensible_scale(result_gpkg):
    add_qgis_styles(result_gpkg)
    qml = _qml_of(result_gpkg)
    shown_from = {}
    for layer, root in qml.items():
        rendering = root.find(".//labeling/settings/rendering")
        if rendering is None:
            continue
        if rendering.get("scaleVisibility") == "1":
            # QGIS: scaleMax is the most zoomed-out scale at which labels show
            shown_from[layer] = int(rendering.get("scaleMax"))
            assert int(rendering.get("scaleMin")) == 0
    # parks (small and many) only at county scale, platforms from a city-wide view
    assert shown_from["parks"] == LABEL_SCALES["parks"] <= 150_000
    assert shown_from["zones"] < shown_from["platforms"] <= 500_000
    assert shown_from["plots"] < shown_from["parks"]
    assert "counties" not in shown_from           # seven names: always readable


def test_every_spatial_layer_has_a_style_including_projects(tmp_path):
    layers = make_result_layers()
    z = layers["zones"]
    layers["projects"] = gpd.GeoDataFrame(
        {"project_id": ["J1"], "name": ["项目"]},
        geometry=[z.geometry.iloc[0].representative_point()], crs=z.crs)
    path = tmp_path / "r.gpkg"
    for layer, frame in layers.items():
        frame.to_file(path, layer=layer, driver="GPKG", engine="pyogrio")
    styled = add_qgis_styles(path)
    spatial = {name for name, geom in pyogrio.list_layers(path)
               if geom is not None and name != "layer_styles"}
    assert set(styled) == spatial and "projects" in spatial and "links" in spatial
    qml = _qml_of(path)
    assert qml["projects"].find(".//symbol").get("type") == "marker"
    assert qml["links"].find(".//symbol").get("type") == "line"


def test_links_join_each_sub_zone_to_its_main_zone(result_gpkg):
    add_qgis_styles(result_gpkg)
    links = gpd.read_file(result_gpkg, layer="links")
    zones = gpd.read_file(result_gpkg, layer="zones").set_index("zone_id")
    parks = gpd.read_file(result_gpkg, layer="parks").set_index("park_id")
    plats = gpd.read_file(result_gpkg, layer="platforms").set_index("platform_id")
    subs = parks[parks["decision"] == "sub_zone"]
    assert sorted(links["member_id"]) == sorted(subs.index)
    assert links.crs == zones.crs
    for _, link in links.iterrows():
        start, end = (shapely.Point(c) for c in (link.geometry.coords[0],
                                                  link.geometry.coords[-1]))
        assert parks.loc[link["member_id"]].geometry.contains(start)
        main = plats.loc[link["platform_id"], "main_zone_id"]
        assert link["main_zone_id"] == main
        assert zones.loc[main].geometry.contains(end)
    # the QGIS style colours each link like its platform
    qml = _qml_of(result_gpkg)["links"]
    assert {c.get("value") for c in qml.iter("category")} == set(plats.index)


def test_link_lines_include_zones_that_are_sub_zones():
    layers = make_result_layers()
    zones = layers["zones"].copy()
    zones["role"] = ["main_platform", "main_platform", "sub_zone"]
    plat_of_z1 = layers["platforms"].set_index("main_zone_id").loc["Z1", "platform_id"]
    zones["platform_id"] = [None, None, plat_of_z1]
    links = link_lines(zones, layers["parks"], layers["platforms"])
    z3 = links[links["member_id"] == "Z3"]
    assert len(z3) == 1 and z3["member_layer"].iloc[0] == "zones"
    assert z3["platform_id"].iloc[0] == plat_of_z1
