"""Compact records in Chromium: what the page rebuilds is the data, to the character."""

from __future__ import annotations

import json
import random
import warnings

import geopandas as gpd
import pytest
import shapely
from browser.helpers import chromium_missing_reason, open_map
from publish_data import make_result_layers

from parkgeo.publish.compact import Lexicon
from parkgeo.publish.display import decode_geometry, encode_geometry, round_coords
from parkgeo.publish.investmap import write_invest_map
from parkgeo.publish.webmap import write_map

pytestmark = [pytest.mark.browser]
_missing = chromium_missing_reason()
if _missing:
    pytest.skip(_missing, allow_module_level=True)

ALL_PROPS = """() => {
  const out = [];
  PG.layers().forEach(g => g.eachLayer(l => out.push(l.feature.properties)));
  return out;
}"""


def _layers():
    layers = make_result_layers(hostile=True)
    zone = layers["zones"].loc[0, "name"]
    parks = layers["parks"]
    parks["reason"] = [
        f"R7: joins {zone} — 0.4 km, same division C38",
        f"R7: joins {zone} — 1.2 km, same division C39; {{{{ 7*7 }}}}",
        "R10: does not conform to the planning layout; industry is low, small and scattered "
        "(低小散); major environmental or safety hazard; at odds with its surroundings; 2,643 mu",
        "R7：特色小镇；南湖区不将特色小镇纳入整合（不计入R11）",
        f"R7: joins {parks.loc[4, 'county']} platform — 0 km (adjacent)",
        "",
        None,
    ]
    return layers


@pytest.fixture(scope="module")
def pages(tmp_path_factory):
    folder = tmp_path_factory.mktemp("compact")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return {"map": write_map(_layers(), out=folder / "map.html"),
                "invest": write_invest_map(_layers(), out=folder / "invest.html")}


def test_every_park_and_zone_is_rebuilt_as_in_the_data(chromium, pages):
    layers = _layers()
    with open_map(chromium, pages["map"]) as (page, log):
        props = page.evaluate(ALL_PROPS)
        assert log.page_errors == [] and log.dialogs == []
    parks = {p["n"]: p for p in props if p["k"] in ("sub", "exit", "excluded")}
    assert set(parks) == set(layers["parks"]["name"])
    for row in layers["parks"].itertuples():
        p = parks[row.name]
        assert p["co"] == row.county and p["t"] == row.town
        assert p.get("r") == (row.reason if isinstance(row.reason, str) and row.reason else None)
        if row.decision != "sub_zone":
            assert p["ind"] == {"developable_mu": row.developable_mu,
                                "industrial_va_100m": row.industrial_va_100m}
    zones = {p["n"]: p["co"] for p in props if p["k"] in ("main", "zone")}
    assert zones == dict(zip(layers["zones"]["name"], layers["zones"]["county"], strict=True))


def test_tooltip_and_popup_show_the_whole_reason(chromium, pages):
    layers = _layers()
    with open_map(chromium, pages["map"]) as (page, log):
        target = page.locator("path.pg-exit").first
        target.hover()
        tip = page.locator(".leaflet-tooltip")
        tip.wait_for(timeout=5000)
        exits = layers["parks"][layers["parks"]["decision"] == "exit"]
        shown = tip.inner_text()
        assert any(r and r in shown for r in exits["reason"]), shown
        # a long reason wraps inside the tooltip's box instead of running out of it
        box = tip.bounding_box()
        assert box["width"] <= 340 and box["height"] > 80
        assert page.evaluate("() => { const t = document.querySelector('.leaflet-tooltip');"
                             " return t.scrollWidth <= t.clientWidth + 1; }")
        target.click()
        popup = page.locator(".leaflet-popup-content")
        popup.wait_for(timeout=5000)
        assert any(r and r in popup.inner_text() for r in exits["reason"])
        assert page.evaluate("window.pwned") is None
        assert log.page_errors == [] and log.dialogs == []


def test_platform_records_are_rebuilt(chromium, pages):
    with open_map(chromium, pages["invest"]) as (page, log):
        info = page.evaluate("""() => ["Z1", "Z2"].map(pid => {
          const p = PG.platform(pid);
          return [pid, p.name, p.county, Object.keys(p.targets).length, p.ind.developable_mu];
        })""")
        assert log.page_errors == []
    plats = make_result_layers(hostile=True)["platforms"].set_index("platform_id")
    assert info == [[pid, plats.loc[pid, "name"], plats.loc[pid, "county"], 5,
                     plats.loc[pid, "developable_mu"]] for pid in ("Z1", "Z2")]


def test_the_browser_decoder_is_the_python_decoders_twin(chromium, pages):
    rng = random.Random(7)
    names = ["南湖区", "平湖市", "嘉兴经济技术开发区", "新丰镇", "<img src=x>", "{{ x }}"]
    alphabet = list("南湖区平新丰镇 R7C38:,.;—0123456789()<>&{}%#'\"\\/\u2028") + names
    texts = ["".join(rng.choice(alphabet) for _ in range(rng.randint(0, 25)))
             for _ in range(400)]
    lex = Lexicon(names)
    encoded = [lex.text(t) for t in texts]
    geoms = [shapely.MultiPoint([(120 + rng.random(), 30 + rng.random()) for _ in range(8)])
             .convex_hull for _ in range(20)]
    geoms = [g for g in round_coords(gpd.GeoSeries(geoms, crs=4326)) if g.geom_type == "Polygon"]
    with open_map(chromium, pages["map"]) as (page, log):
        decoded = page.evaluate(
            "([table, values]) => { PG.init(PG.strings(), {}, {}, table);"
            " return values.map(PG.text); }", [lex.table, encoded])
        coords = page.evaluate(
            "(gs) => PG.decode({f: gs.map(g => [{k: 'zone'}, g])}).features"
            ".map(f => f.geometry.coordinates)", [encode_geometry(g) for g in geoms])
        assert log.page_errors == []
    assert decoded == texts
    assert coords == [json.loads(json.dumps(decode_geometry(encode_geometry(g))["coordinates"]))
                      for g in geoms]
