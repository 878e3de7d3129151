"""Both maps in Debian's headless Chromium with every network request blocked."""

from __future__ import annotations

import warnings

import folium
import pytest
from browser.helpers import (
    MAP,
    chromium_missing_reason,
    map_at_rest,
    open_map,
    screenshot,
    settled,
    wait_until,
)
from publish_data import HOSTILE, make_result_layers, n_features

from parkgeo.publish.investmap import write_invest_map
from parkgeo.publish.webmap import write_map

pytestmark = [pytest.mark.browser]
_missing = chromium_missing_reason()
if _missing:
    pytest.skip(_missing, allow_module_level=True)

AREAS = "path.pg-main, path.pg-sub, path.pg-zone, path.pg-exit, path.pg-excluded"


@pytest.fixture(scope="module")
def maps(tmp_path_factory, published):
    """The shared pages (tests/browser/conftest.py) and the ones only this module reads."""
    folder = tmp_path_factory.mktemp("maps")
    plain, hostile = published["plain"], published["hostile"]
    out = {k: published[k] for k in ("map", "invest", "map_hostile")}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for name, src, fn, kw in (
            ("map_en", plain, write_map, {"lang": "en"}),
            ("invest_hostile", hostile, write_invest_map, {}),
            ("map_osm", plain, write_map, {"basemap": "osm"}),
            ("map_gaode", plain, write_map, {"basemap": "gaode"}),
        ):
            out[name] = fn(src, out=folder / f"{name}.html", **kw)
    out["folder"] = folder
    return out


def _clean(log):
    assert log.page_errors == []
    assert log.console_errors == []
    assert log.dialogs == []


@pytest.mark.parametrize("name", ["map", "map_en", "invest"])
def test_loads_offline_with_no_error(chromium, maps, name):
    with open_map(chromium, maps[name]) as (page, log):
        settled(page)
        assert page.evaluate("typeof window.L") == "object"
        assert page.evaluate("typeof L.Control.Search") == "function"
        assert page.evaluate("typeof L.Control.MiniMap") == "function"
        _clean(log)
        assert log.blocked == []  # --basemap none: not a single request leaves the file


def test_every_feature_of_the_data_is_drawn(chromium, maps):
    layers = make_result_layers()
    subs = int((layers["parks"]["decision"] == "sub_zone").sum())
    with open_map(chromium, maps["map"]) as (page, log):
        assert page.locator(AREAS).count() == n_features(layers)
        assert page.locator("path.pg-link").count() == subs
        assert page.locator("path.pg-county").count() == len(layers["counties"])
        _clean(log)


def test_tooltip_on_hover_and_popup_on_click(chromium, maps):
    with open_map(chromium, maps["map"]) as (page, log):
        exit_path = page.locator("path.pg-exit").first
        exit_path.hover()
        tip = page.locator(".leaflet-tooltip")
        tip.wait_for(timeout=5000)
        text = tip.inner_text()
        assert "新丰镇工业园区" in text and "退出" in text and "R10" in text
        page.locator("path.pg-main").first.click()
        popup = page.locator(".leaflet-popup-content")
        popup.wait_for(timeout=5000)
        assert "达标" in popup.inner_text() and "可开发空间" in popup.inner_text()
        _clean(log)


def test_hostile_names_run_nothing(chromium, maps):
    for name in ("map_hostile", "invest_hostile"):
        with open_map(chromium, maps[name]) as (page, log):
            page.locator(AREAS).first.hover()
            page.locator(".leaflet-tooltip").wait_for(timeout=5000)
            page.locator(AREAS).first.click()
            settled(page)
            assert page.evaluate("window.pwned") is None
            body = page.locator("body").inner_text()
            assert HOSTILE[0] in body  # shown as text
            assert page.locator("img[src='x']").count() == 0
            _clean(log)


def test_search_lists_hostile_names_as_text(chromium, maps):
    with open_map(chromium, maps["map_hostile"]) as (page, log):
        page.locator(".leaflet-control-search .search-button").click()
        page.locator(".leaflet-control-search input").press_sequentially("<img", delay=50)
        tips = page.locator(".search-tip")
        tips.first.wait_for(timeout=5000)
        assert tips.count() >= 1
        assert tips.first.inner_text().startswith("<img src=x")
        assert page.locator("img[src='x']").count() == 0
        assert page.evaluate("window.pwned") is None
        _clean(log)


def test_industry_filter_changes_what_is_shown(chromium, maps):
    with open_map(chromium, maps["invest"]) as (page, log):
        cards = page.locator(".pg-side .pg-card:not(.pg-hidden)")
        printed = page.locator(".pg-print-platform:not(.pg-hidden)")
        assert cards.count() == 2 and printed.count() == 2
        assert page.locator("path.pg-main").count() == 2
        page.select_option("#pg-filter", "C36")
        assert cards.count() == 1 and "平湖" in cards.first.inner_text()
        assert printed.count() == 1  # paper shows what the filter shows
        assert page.locator("path.pg-main").count() == 1
        page.select_option("#pg-filter", "")
        assert cards.count() == 2 and page.locator("path.pg-main").count() == 2
        _clean(log)


def test_side_list_zooms_to_platform(chromium, maps):
    with open_map(chromium, maps["invest"]) as (page, log):
        before = page.evaluate(f"{MAP}.getZoom()")
        page.locator(".pg-card .pg-zoom").nth(1).click()
        map_at_rest(page)
        after = page.evaluate(f"{MAP}.getZoom()")
        assert after > before
        _clean(log)


def test_screenshots_are_not_blank(chromium, maps):
    for name in ("map", "invest"):
        with open_map(chromium, maps[name]) as (page, log):
            settled(page)
            share = screenshot(page, maps["folder"] / f"{name}.png")
            assert share > 0.05, name


def test_tile_basemaps_only_ask_for_tiles(chromium, maps):
    for name, host in (("map_osm", "tile.openstreetmap.org"), ("map_gaode", "autonavi.com")):
        with open_map(chromium, maps[name]) as (page, log):
            # every tile asked for has failed (each is recorded before it is aborted)
            page.wait_for_function("() => { const t = [...document.querySelectorAll("
                                   "'img.leaflet-tile')]; return t.length > 0 && "
                                   "t.every(i => i.complete); }", timeout=5000)
            settled(page)
            assert log.page_errors == [] and log.dialogs == []
            assert log.blocked and all(host in u for u in log.blocked)
            assert page.locator(AREAS).count() == n_features(make_result_layers())


def test_default_folium_output_fails_offline_ours_does_not(chromium, maps, tmp_path):
    layers = make_result_layers()
    plain = folium.Map(tiles=None)
    for name in ("zones", "parks"):
        folium.GeoJson(layers[name].to_crs(4326).drop(columns=[]).to_json()).add_to(plain)
    plain_path = tmp_path / "plain.html"
    plain.save(str(plain_path))
    with open_map(chromium, plain_path, wait_leaflet=False) as (page, log):
        # the CDN scripts were blocked before the page's own script ran (and failed)
        wait_until(page, lambda: log.page_errors)
        settled(page)
        assert page.evaluate("typeof window.L") == "undefined"
        assert any("cdn" in u for u in log.blocked)
        assert log.page_errors  # "L is not defined"
    with open_map(chromium, maps["map"]) as (page, log):
        assert page.evaluate("typeof window.L") == "object"
        assert log.blocked == [] and log.page_errors == []


def test_the_offline_check_catches_a_planted_request(chromium, maps, tmp_path):
    """The check above (``log.blocked == []`` once the page has settled) fails for a page that
    asks the network for anything: our map with a remote script planted in its head, and an
    image its scripts add after load."""
    html = maps["map"].read_text(encoding="utf-8")
    planted = html.replace("<head>", '<head><script src="https://cdn.example.com/x.js"></script>',
                           1)
    planted = planted.replace("</body>", "<script>setTimeout(() => document.body.appendChild("
                              "Object.assign(new Image(), {src: 'http://tiles.example.com/0.png'}"
                              ")), 0);</script></body>", 1)
    assert planted.count("example.com") == 2
    path = tmp_path / "planted.html"
    path.write_text(planted, encoding="utf-8")
    with open_map(chromium, path) as (page, log):
        settled(page)
        assert sorted(log.blocked) == ["http://tiles.example.com/0.png",
                                       "https://cdn.example.com/x.js"]
        assert page.evaluate("typeof window.L") == "object"  # the map itself still works
