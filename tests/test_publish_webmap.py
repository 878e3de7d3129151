"""The consolidation map, checked as HTML text (the browser tests run it)."""

from __future__ import annotations

import json
import os
import re
import warnings

import geopandas as gpd
import pytest
import shapely
from publish_data import HOSTILE, make_result_layers, n_features, write_result

from parkgeo.errors import InputError, OutputError, SchemaError
from parkgeo.i18n import WORDS
from parkgeo.publish.display import decode_geometry, safe_json, simplify_layers
from parkgeo.publish.elements import page_html
from parkgeo.publish.gcj02 import wgs84_to_gcj02
from parkgeo.publish.webmap import render_map, write_map
from parkgeo.result import load_result


@pytest.fixture(scope="module")
def result_gpkg(tmp_path_factory):
    """The result every test here reads (none writes to it), written once."""
    return write_result(tmp_path_factory.mktemp("webmap") / "result.gpkg")


@pytest.fixture
def hostile_gpkg(tmp_path):
    return write_result(tmp_path / "hostile.gpkg", hostile=True)


#: pages drawn with the default options, by result file: several tests read the same page
_DEFAULT_PAGES = {}


def _html(result, **kw):
    key = str(result) if not kw and isinstance(result, str | os.PathLike) else None
    if key in _DEFAULT_PAGES:
        return _DEFAULT_PAGES[key]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        html = page_html(render_map(result, **kw))
    if key is not None:
        _DEFAULT_PAGES[key] = html
    return html


def _features(html):
    """Every GeoJSON FeatureCollection embedded in the page, parsed."""
    out = []
    for m in re.finditer(r"var (geo_layer_\w+)_data = PG\.decode\((\{.*?\})\);\n", html):
        fc = json.loads(m.group(2))
        out.append({"features": [{"properties": p, "geometry": decode_geometry(g)}
                                 for p, g in fc["f"]]})
    return out


def _kinds(html):
    kinds = {}
    for fc in _features(html):
        for f in fc["features"]:
            kinds[f["properties"]["k"]] = kinds.get(f["properties"]["k"], 0) + 1
    return kinds


def test_every_zone_and_park_is_drawn_once_with_its_kind(result_gpkg):
    layers = make_result_layers()
    kinds = _kinds(_html(result_gpkg))
    drawn = sum(kinds.get(k, 0) for k in ("main", "sub", "zone", "exit", "excluded"))
    assert drawn == n_features(layers)
    parks = layers["parks"]
    assert kinds["exit"] == (parks["decision"] == "exit").sum()
    assert kinds["excluded"] == (parks["decision"] == "excluded").sum()
    assert kinds["sub"] == (parks["decision"] == "sub_zone").sum()
    assert kinds["main"] == len(layers["platforms"])
    # one line from each sub-zone to its main platform
    assert kinds["link"] == (parks["decision"] == "sub_zone").sum()


def test_sub_zones_share_their_platform_colour(result_gpkg):
    html = _html(result_gpkg)
    colour = {}
    for fc in _features(html):
        for f in fc["features"]:
            p = f["properties"]
            if p["k"] in ("main", "sub"):
                colour.setdefault(p["p"], set()).add(p["c"])
    assert set(colour) == {"Z1", "Z2"}
    assert all(len(c) == 1 for c in colour.values())
    assert colour["Z1"] != colour["Z2"]


def test_offline_with_no_basemap_has_no_remote_resource(result_gpkg):
    html = _html(result_gpkg)
    assert not re.search(r"<script[^>]+src=", html)
    assert not re.search(r"<link[^>]+href=", html)
    assert "tile.openstreetmap" not in html and "tianditu" not in html
    assert "L.tileLayer(" not in html.split("L.Control.MiniMap")[0].split("var map_")[-1]


def test_osm_basemap_is_the_only_remote_url(result_gpkg):
    html = _html(result_gpkg, basemap="osm")
    assert "https://tile.openstreetmap.org/{z}/{x}/{y}.png" in html
    assert not re.search(r"<script[^>]+src=", html)


def test_tianditu_needs_a_key(result_gpkg, monkeypatch):
    monkeypatch.delenv("TIANDITU_KEY", raising=False)
    with pytest.raises(InputError, match="Tianditu key"):
        render_map(result_gpkg, basemap="tianditu-vec")


def test_tianditu_key_warned_and_only_in_tile_urls(result_gpkg, monkeypatch):
    monkeypatch.setenv("TIANDITU_KEY", "k3y0000secret")
    with pytest.warns(UserWarning, match="visible|read it"):
        fmap = render_map(result_gpkg, basemap="tianditu-img", lang="en")
    html = page_html(fmap)
    urls = re.findall(r"https://t\{s\}\.tianditu\.gov\.cn/[^\"]+", html)
    assert urls and all(u.endswith("tk=k3y0000secret") for u in urls)
    assert html.count("k3y0000secret") == len(re.findall(r"tk=k3y0000secret", html))
    assert "eia_w" in html  # English annotation layer for --lang en


def test_gaode_shifts_overlays_but_not_the_data(result_gpkg):
    before = gpd.read_file(result_gpkg, layer="zones")
    plain = _features(_html(result_gpkg))
    shifted = _features(_html(result_gpkg, basemap="gaode"))
    after = gpd.read_file(result_gpkg, layer="zones")
    assert before.geometry.equals(after.geometry)
    p0 = shapely.geometry.shape(plain[1]["features"][0]["geometry"]).centroid
    p1 = shapely.geometry.shape(shifted[1]["features"][0]["geometry"]).centroid
    ex, ey = wgs84_to_gcj02(p0.x, p0.y)
    assert abs(p1.x - ex) < 2e-5 and abs(p1.y - ey) < 2e-5
    assert abs(p1.x - p0.x) > 1e-3


def test_english_map_shows_no_chinese_labels(result_gpkg):
    html = _html(result_gpkg, lang="en", title="Jiaxing")
    core = re.search(r"PG\.init\((\{.*?\}), ", html).group(1)
    labels = json.loads(core)
    assert labels["legend"] == "Legend"
    legend = re.search(r'<div class="pg-panel pg-legend".*?</div></div>', html, re.S).group(0)
    legend = legend.split("Colours tell")[0]  # what follows are platform names (data)
    for key, word in WORDS.items():
        if key.startswith("map.") and word["zh"] != word["en"]:
            assert word["zh"] not in legend
    assert "<title>Jiaxing</title>" in html


def test_hostile_names_are_escaped_everywhere(hostile_gpkg):
    html = _html(hostile_gpkg, title="<b>t</b>")
    for bad in HOSTILE:
        assert bad not in html
    assert "<img src=x" not in html
    assert "window.pwned=1</script>" not in html
    assert "&lt;img src=x onerror=alert(1)&gt;" in html  # legend, layer control, summary
    assert "\\u003cimg src=x" in html  # inside the embedded JSON
    assert "&lt;b&gt;t&lt;/b&gt;" in html


def test_safe_json_neutralises_script_breakers():
    text = safe_json({"a": "</script><!-- \u2028 & '"})
    assert "</" not in text and "<!--" not in text and "\u2028" not in text
    assert json.loads(text) == {"a": "</script><!-- \u2028 & '"}


def test_display_simplification_keeps_the_coverage_valid():
    layers = make_result_layers()
    areas = gpd.GeoSeries(list(layers["zones"].geometry) + list(layers["parks"].geometry),
                          crs=4549).to_crs(4326)
    before = sum(len(shapely.get_coordinates(g)) for g in areas)
    out = simplify_layers({"areas": areas})["areas"]
    after = sum(len(shapely.get_coordinates(g)) for g in out)
    assert after < before  # the wavy edge lost vertices
    assert shapely.coverage_is_valid(out.to_crs(4549).values)
    coords = shapely.get_coordinates(out.values)
    assert (abs(coords * 1e5 - (coords * 1e5).round()) < 1e-6).all()


def test_overlapping_polygons_are_simplified_with_a_warning():
    a = shapely.box(120.70, 30.70, 120.72, 30.72)
    b = shapely.box(120.71, 30.70, 120.73, 30.72)
    with pytest.warns(UserWarning, match="overlap"):
        simplify_layers({"areas": gpd.GeoSeries([a, b], crs=4326)})


def test_summary_counts_exits_against_the_r11_quota(result_gpkg):
    res = load_result(result_gpkg)
    q = res.r11_quota().set_index("county")
    # county A: 3 counted parks (A4 excluded), 1 exit, quota ceil(0.9) = 1
    assert q.loc["南湖区", "n_parks"] == 3 and q.loc["南湖区", "quota"] == 1
    # county B: 3 parks, 2 exits, quota 1
    assert q.loc["平湖市", "exits"] == 2
    html = _html(result_gpkg)
    summary = re.search(r'id="pg-summary".*?</table></div>', html, re.S).group(0)
    assert "1 / 1" in summary and "2 / 1" in summary
    assert "R4" in summary and "<b>1</b> / 2" in summary


def test_short_quota_is_marked(tmp_path):
    layers = make_result_layers()
    parks = layers["parks"]
    parks.loc[parks["park_id"] == "A3", "decision"] = "sub_zone"
    parks.loc[parks["park_id"] == "A3", "platform_id"] = "Z1"
    html = _html(layers)
    assert 'class="pg-short">0 / 1' in html


def test_layer_control_groups_platforms_by_county(result_gpkg):
    html = _html(result_gpkg)
    control = re.findall(r"L\.control\.groupedLayers\(\s*null,\s*(\{.*?\}),\s*\{", html, re.S)
    text = control[-1].encode("ascii").decode("unicode_escape")  # folium writes \\uXXXX
    assert text.index('"南湖区"') < text.index('"嘉兴经济技术开发区"')
    assert '"平湖市"' in text and '"平湖经济技术开发区"' in text


def test_optional_layers_may_be_missing(tmp_path):
    path = write_result(tmp_path / "bare.gpkg", with_optional=False)
    html = _html(path)
    assert "pg-legend" in html
    assert "county" not in _kinds(html)


def test_missing_required_layer_or_field_names_it(tmp_path):
    layers = make_result_layers()
    del layers["platforms"]
    with pytest.raises(SchemaError, match="platforms"):
        render_map(layers)
    layers = make_result_layers()
    layers["parks"] = layers["parks"].drop(columns="decision")
    with pytest.raises(SchemaError, match="parks.*decision"):
        render_map(layers)


def test_bad_decision_value_is_refused():
    layers = make_result_layers()
    layers["parks"].loc[0, "decision"] = "maybe"
    with pytest.raises(SchemaError, match="maybe"):
        render_map(layers)


def test_unknown_basemap_and_language_are_input_errors(result_gpkg):
    with pytest.raises(InputError, match="basemap"):
        render_map(result_gpkg, basemap="google")
    with pytest.raises(InputError, match="lang"):
        render_map(result_gpkg, lang="fr")


def test_write_map_refuses_existing_output_and_is_complete(result_gpkg, tmp_path):
    out = tmp_path / "map.html"
    out.write_text("old", encoding="utf-8")
    with pytest.raises(OutputError, match="exists"):
        write_map(result_gpkg, out=out)
    assert out.read_text(encoding="utf-8") == "old"
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        write_map(result_gpkg, out=out, overwrite=True)
    text = out.read_text(encoding="utf-8")
    assert text.startswith("<!DOCTYPE html>") and text.rstrip().endswith("</html>")
    assert not list(tmp_path.glob(".map.html.*"))


def test_size_budget_warning(result_gpkg):
    fmap = render_map(result_gpkg)
    with pytest.warns(UserWarning, match="MB budget"):
        page_html(fmap, size_budget_mb=0.01)


def test_zone_made_sub_zone_is_drawn_with_its_platform():
    layers = make_result_layers()
    zones = layers["zones"]
    zones["role"] = ["main_platform", "main_platform", "sub_zone"]
    zones["platform_id"] = ["Z1", "Z2", "Z2"]
    kinds = _kinds(_html(layers))
    assert kinds["sub"] == 4 and "zone" not in kinds  # Z3 joins Z2 as a sub-zone
    assert kinds["link"] == 4
