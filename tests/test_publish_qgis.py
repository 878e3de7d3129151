"""QGIS default styles in the result GeoPackage's layer_styles table."""

from __future__ import annotations

import sqlite3
import xml.etree.ElementTree as ET

import geopandas as gpd
import pytest
from publish_data import write_result

from parkgeo.publish.qgis import STYLE_COLUMNS, add_qgis_styles
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
    assert set(styled) == {"zones", "parks", "platforms", "counties", "protected", "plots"}
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
    assert len(rows) == 6
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
