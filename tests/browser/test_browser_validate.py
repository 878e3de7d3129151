"""The validation findings map in Debian's headless Chromium with every network request blocked.

Three findings are planted (a park inside a zone, with markup in its id and name; a zone over its
approved area, R2; a sliver part), and the page is driven as GIS staff would: markers, popups,
the layer control, the search box, the legend.
"""

from __future__ import annotations

import pytest
import shapely
from browser.helpers import (
    chromium_missing_reason,
    map_at_rest,
    open_map,
    screenshot,
    settled,
)
from conftest import X0, Y0, make_parks, make_zones, square
from test_validate import dataset

from parkgeo.i18n import strings
from parkgeo.publish.findings_map import write_findings_map
from parkgeo.read import read_dataset
from parkgeo.validate import RULES, validate_dataset

pytestmark = [pytest.mark.browser]
_missing = chromium_missing_reason()
if _missing:
    pytest.skip(_missing, allow_module_level=True)

HOSTILE = '<img src=x onerror="window.pwned=1;alert(1)">'
P1 = "P1" + HOSTILE

#: the page's map and, per rule, how many of its finding markers are on the map
_SHOWN = """() => {
  const key = Object.keys(window).find(k => k.startsWith("map_") && window[k] instanceof L.Map);
  const map = window[key], out = {};
  map.eachLayer(l => {
    if (l instanceof L.Marker && l.feature && l.feature.properties.r) {
      const r = l.feature.properties.r;
      out[r] = (out[r] || 0) + 1;
    }
  });
  return out;
}"""

#: open the popup of the finding (rule, feature id); return what the popup shows
_POPUP = """([rule, id]) => {
  const m = PGV.markers(rule).find(l => l.feature.properties.d === id);
  m.openPopup();
  const shown = document.querySelectorAll(".leaflet-popup-content");  // the last one opened
  return shown[shown.length - 1].innerText;
}"""


def write_findings_maps(folder):
    """Maps (Chinese and English) of three findings: a park inside a zone (its id and name hold
    markup), R2 on zone Z1, a sliver part of park P3; the ``findings_map`` fixture
    (tests/browser/conftest.py)."""
    parks = make_parks(name=[HOSTILE, "余新镇工业园区", "新埭镇工业园区"],
                       park_id=[P1, "P2", "P3"])
    parks.loc[0, "geometry"] = square(X0 + 100, Y0 + 100, 300)
    parks.loc[2, "geometry"] = shapely.MultiPolygon([square(X0 + 22_000, Y0, 500),
                                                     square(X0 + 23_000, Y0, 10)])
    path = dataset(folder, zones=make_zones(approved_area_ha=[90.0, 150.0]), parks=parks)
    ds = read_dataset(path, strict=False)
    report = validate_dataset(ds)
    assert sorted((f.rule, f.id) for f in report.findings) == [
        ("area_exceeds_approved", "Z1"), ("overlap", P1), ("sliver", "P3")]
    return {"zh": write_findings_map(report, folder / "findings.html", dataset=ds),
            "en": write_findings_map(report, folder / "findings-en.html", dataset=ds,
                                     lang="en"),
            "report": report}


def _clean(page, log):
    assert log.page_errors == [] and log.console_errors == []
    assert log.dialogs == [] and log.blocked == []
    assert page.evaluate("window.pwned") is None
    assert page.locator("img[src='x']").count() == 0


def test_every_finding_has_a_marker_offline(chromium, findings_map, tmp_path):
    report = findings_map["report"]
    with open_map(chromium, findings_map["zh"]) as (page, log):
        settled(page)
        assert page.evaluate(_SHOWN) == {r: sum(c.values())
                                         for r, c in report.summary["by_rule"].items()}
        # the overlap and the sliver drawn as highlighted areas; the context beneath them
        assert page.locator("path.pgv-area").count() == 2
        assert page.locator("path.pg-zone").count() == 2
        assert page.locator("path.pg-park").count() == 3
        drawn = screenshot(page, tmp_path / "findings.png")
        _clean(page, log)
    assert drawn > 0.05  # context, markers and panels drawn, not a blank page


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_popup_shows_the_right_finding(chromium, findings_map, lang):
    s = strings(lang)
    with open_map(chromium, findings_map[lang]) as (page, log):
        for f in findings_map["report"].findings:
            text = page.evaluate(_POPUP, [f.rule, f.id])
            todo = RULES[f.rule].todo_zh if lang == "zh" else RULES[f.rule].todo
            assert s["rule_" + f.rule] in text and f.rule in text
            assert f.id in text and s["sev_" + f.severity] in text
            assert s["data_layer_" + f.layer] in text       # the layer named in the map's language
            # the message in the map's language (message_zh in Chinese)
            assert f.text(lang) in text and todo in text
            assert (f.message_zh if lang == "zh" else f.message) in text
            if f.field:
                assert f.field in text
        _clean(page, log)


def test_hovering_a_marker_shows_its_finding(chromium, findings_map):
    sliver = findings_map["report"].by_rule("sliver")[0]
    with open_map(chromium, findings_map["zh"]) as (page, log):
        page.evaluate("() => PGV.zoomRule('sliver', Object.values(window).find("
                      "v => v instanceof L.Map))")
        page.locator(".leaflet-popup-close-button").click()
        page.locator(".leaflet-popup").wait_for(state="detached")
        map_at_rest(page)
        box = page.evaluate("() => { const r = PGV.markers('sliver')[0]._icon"
                            ".getBoundingClientRect(); return [r.x + r.width / 2, "
                            "r.y + r.height / 2]; }")
        page.mouse.move(*box)
        tip = page.locator(".leaflet-tooltip")
        tip.wait_for(timeout=5000)
        text = tip.inner_text()
        assert strings("zh")["rule_sliver"] in text and "sliver" in text
        assert f'{strings("zh")["data_layer_parks"]} P3' in text and sliver.message_zh in text
        assert sliver.message not in text
        _clean(page, log)


def test_a_rule_switched_off_hides_its_markers_and_areas(chromium, findings_map):
    with open_map(chromium, findings_map["zh"]) as (page, log):
        before = page.evaluate(_SHOWN)
        page.locator(".leaflet-control-layers").hover()
        box = page.locator(".leaflet-control-layers label", has_text="overlap").locator("input")
        assert box.is_checked()
        box.click()
        after = page.evaluate(_SHOWN)
        assert "overlap" not in after and after == {k: v for k, v in before.items()
                                                    if k != "overlap"}
        assert page.locator("path.pgv-area").count() == 1  # the sliver's
        box.click()
        assert page.evaluate(_SHOWN) == before
        assert page.locator("path.pgv-area").count() == 2
        _clean(page, log)


def test_search_by_feature_id_opens_the_finding(chromium, findings_map):
    with open_map(chromium, findings_map["zh"]) as (page, log):
        page.locator(".leaflet-control-search .search-button").click()
        page.locator(".leaflet-control-search input").press_sequentially("Z1", delay=50)
        tips = page.locator(".search-tip")
        name = strings("zh")["rule_area_exceeds_approved"]
        tips.filter(has_text=f"Z1 · {name}").wait_for(timeout=5000)
        assert f"Z1 · {name}" in tips.all_inner_texts()
        tips.filter(has_text=f"Z1 · {name}").click()
        page.locator(".leaflet-popup-content").wait_for(timeout=5000)
        map_at_rest(page)
        text = page.locator(".leaflet-popup-content").inner_text()
        assert name in text and "approved_area_ha" in text
        assert page.evaluate("() => Object.values(window).find(v => v instanceof L.Map)"
                             ".getZoom()") >= 15
        # markup typed into the box and markup in the ids are listed as text
        page.locator(".leaflet-control-search input").fill("")
        page.locator(".leaflet-control-search input").press_sequentially("P1<img", delay=50)
        # the list made again for the new text: no tip of the first search left
        page.wait_for_function("() => { const t = [...document.querySelectorAll('.search-tip')];"
                               " return t.length > 0 && !t.some(e => e.innerText.startsWith("
                               "'Z1 ')); }", timeout=5000)
        settled(page)
        assert tips.first.inner_text().startswith(P1)
        _clean(page, log)


def test_legend_row_zooms_to_its_rule(chromium, findings_map):
    with open_map(chromium, findings_map["zh"]) as (page, log):
        zoom = "() => Object.values(window).find(v => v instanceof L.Map).getZoom()"
        start = page.evaluate(zoom)
        page.locator('#pg-legend [data-pgv-rule="sliver"]').click()
        map_at_rest(page)
        assert page.evaluate(zoom) > start
        assert "P3" in page.locator(".leaflet-popup-content").inner_text()
        _clean(page, log)


def test_hostile_names_run_nothing(chromium, findings_map):
    """Every marker, area and context shape opened: the markup in the park's id and name is
    shown as text, nothing runs."""
    with open_map(chromium, findings_map["zh"]) as (page, log):
        shown = page.evaluate("""async () => {
          const map = Object.values(window).find(v => v instanceof L.Map), out = [];
          const all = [];
          map.eachLayer(l => { if (l.getPopup && l.getPopup()) all.push(l); });
          for (const l of all) {
            const at = l.getLatLng ? l.getLatLng() : l.getBounds().getCenter();
            l.openTooltip(at);
            l.openPopup(at);
            await new Promise(r => setTimeout(r, 5));
            document.querySelectorAll(".leaflet-popup-content, .leaflet-tooltip")
              .forEach(e => out.push(e.innerText));
          }
          return out;
        }""")
        settled(page)
        assert any(P1 in text for text in shown)  # the marker's popup and tooltip
        assert any(HOSTILE in text and "P2" not in text for text in shown)  # the park's name
        _clean(page, log)
