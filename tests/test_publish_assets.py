"""Offline assets: every script and style sheet of a map comes from installed files."""

from __future__ import annotations

import re

import folium
import pytest
from folium.plugins import Fullscreen, GroupedLayerControl, MeasureControl, MiniMap, Search

from parkgeo.errors import OutputError
from parkgeo.publish.assets import (
    OFFLINE_CSS,
    OFFLINE_JS,
    VENDOR_DIR,
    inline_assets,
    inline_css,
    inline_js,
    local_files,
    remote_urls,
)


@pytest.mark.parametrize("plugin", [Search, Fullscreen, MeasureControl, MiniMap,
                                    GroupedLayerControl])
def test_every_plugin_file_folium_references_has_a_local_copy(plugin):
    for _, url in list(plugin.default_js) + list(plugin.default_css):
        files = local_files(url)
        assert files, url
        assert all(f.is_file() and f.stat().st_size > 0 for f in files)


@pytest.mark.parametrize("name, url", OFFLINE_JS + OFFLINE_CSS + [
    ("jquery", "https://code.jquery.com/jquery-3.7.1.min.js"),
    ("bootstrap", "https://cdn.jsdelivr.net/npm/bootstrap@5.2.2/dist/js/bootstrap.bundle.min.js"),
    ("bootstrap_css", "https://cdn.jsdelivr.net/npm/bootstrap@5.2.2/dist/css/bootstrap.min.css"),
    ("fa", "https://cdn.jsdelivr.net/npm/@fortawesome/fontawesome-free@6.2.0/css/all.min.css"),
])
def test_core_libraries_come_from_python_packages(name, url):
    files = local_files(url)
    assert files
    assert all("site-packages" in str(f) or "dist-packages" in str(f) for f in files)


def test_unknown_remote_script_is_an_error_not_left_online():
    html = '<head><script src="https://cdn.example.com/x/unknown-lib.js"></script></head>'
    with pytest.raises(OutputError, match="unknown-lib.js"):
        inline_assets(html)


def test_local_relative_scripts_are_left_alone():
    html = '<script src="app.js"></script>'
    assert inline_assets(html) == html


def test_leaflet_css_images_become_data_uris():
    css = inline_css(local_files(OFFLINE_CSS[0][1])[0])
    assert "images/layers.png" not in css
    assert re.search(r'url\("data:image/png;base64,', css)


def test_font_awesome_fonts_embedded_as_woff2_only():
    url = "https://cdn.jsdelivr.net/npm/@fortawesome/fontawesome-free@6.2.0/css/all.min.css"
    css = inline_css(local_files(url)[0])
    assert "data:font/woff2;base64," in css
    assert ".ttf" not in css
    assert "../webfonts" not in css


def test_vendored_plugins_ship_their_licences():
    for folder in ("leaflet-search", "leaflet-fullscreen", "leaflet-measure", "leaflet-minimap",
                   "leaflet-groupedlayercontrol"):
        licences = list((VENDOR_DIR / folder).glob("LICENSE*")) + list(
            (VENDOR_DIR / folder).glob("license*"))
        assert licences, folder
        assert folder in (VENDOR_DIR / "README.md").read_text(encoding="utf-8")
    assert "MIT" in (VENDOR_DIR / "BOOTSTRAP-LICENSE.txt").read_text(encoding="utf-8")


def test_inlined_js_cannot_close_its_script_tag(tmp_path):
    f = tmp_path / "lib.js"
    f.write_text('var s = "</script><!-- x";', encoding="utf-8")
    out = inline_js(f)
    assert "</script" not in out.lower()
    assert "<!--" not in out


def test_folium_map_with_plugins_has_no_remote_script_or_style_left():
    m = folium.Map(tiles=None)
    m.default_js = list(OFFLINE_JS)
    m.default_css = list(OFFLINE_CSS)
    fg = folium.FeatureGroup(name="a").add_to(m)
    folium.GeoJson({"type": "FeatureCollection", "features": []}).add_to(fg)
    Fullscreen().add_to(m)
    MeasureControl().add_to(m)
    GroupedLayerControl({"g": [fg]}, exclusive_groups=False).add_to(m)
    raw = m.get_root().render()
    assert re.search(r'<script src="https://', raw)  # folium's own output is online
    html = inline_assets(raw)
    assert not re.search(r"<script[^>]+src=", html)
    assert not re.search(r"<link[^>]+stylesheet", html)
    assert "L.control.groupedLayers" in html and "L.Control.Measure" in html
    assert not [u for u in remote_urls(html) if u.endswith((".js", ".css"))]
