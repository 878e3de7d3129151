"""Every HTML output on a phone (390 x 844 CSS px, 3x, touch): the consolidation map, the
investment-attraction map, the validation findings map and the map inside report.html.

On first load the map covers at least half the screen; tapping a platform (or a finding) opens a
popup that no panel covers; every control is on screen and big enough to tap (44 px); the page
does not scroll sideways; pinch-zoom is allowed.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from browser.helpers import PHONE, chromium_missing_reason, map_at_rest, open_map, settled

from parkgeo.i18n import strings

pytestmark = [pytest.mark.browser]
_missing = chromium_missing_reason()
if _missing:
    pytest.skip(_missing, allow_module_level=True)

W, H = PHONE["viewport"]["width"], PHONE["viewport"]["height"]


@pytest.fixture(scope="module")
def outputs(published, findings_map, tiny_report_html):
    return {
        # the default maps of the tiny result (tests/browser/conftest.py)
        "map": published["map"],
        "invest": published["invest"],
        "findings": findings_map["zh"],
        # the tiny result with monitoring and projects (tests/conftest.py)
        "report": tiny_report_html,
    }


#: (x, y) of a point on screen where the page shows ``selector``'s element itself (not a panel
#: or another feature over it), searched on a grid over the element's box; null if none
_POINT_ON = """(sel) => {
  for (const el of document.querySelectorAll(sel)) {
    const r = el.getBoundingClientRect();
    for (let i = 1; i < 8; i++) for (let j = 1; j < 8; j++) {
      const x = r.left + r.width * i / 8, y = r.top + r.height * j / 8;
      if (x < 0 || y < 0 || x >= innerWidth || y >= innerHeight) continue;
      const hit = document.elementFromPoint(x, y);
      if (hit === el || el.contains(hit)) return [x, y];
    }
  }
  return null;
}"""

#: share of a grid of points over the screen where the map itself shows (no control or panel)
_MAP_SHARE = """() => {
  let n = 0, shown = 0;
  for (let x = 5; x < innerWidth; x += 10) for (let y = 5; y < innerHeight; y += 10) {
    n += 1;
    const hit = document.elementFromPoint(x, y);
    if (hit && hit.closest(".leaflet-container") && !hit.closest(
        ".leaflet-control, .leaflet-control-container .leaflet-control, .pg-panel")) shown += 1;
  }
  return shown / n;
}"""

#: every control, panel and button of the map: its box, whether it is inside the viewport, and
#: whether a tap target is at least 44 px both ways
_CONTROLS = """() => {
  const out = [];
  const sel = ".leaflet-control, .pg-panel, .pg-sheet";
  const tap = ".leaflet-bar a, .leaflet-control-layers-toggle, .search-button, " +
    ".leaflet-control-measure-toggle, button.pg-toggle, .pg-sheet";
  for (const el of document.querySelectorAll(sel + ", " + tap)) {
    const r = el.getBoundingClientRect(), st = getComputedStyle(el);
    if (r.width === 0 || r.height === 0 || st.visibility === "hidden") continue;
    if (el.closest(".leaflet-control-attribution")) continue;
    out.push({name: el.className.baseVal === undefined ? el.className : el.className.baseVal,
              text: (el.innerText || "").slice(0, 20),
              inside: r.left >= 0 && r.top >= 0 && r.right <= innerWidth + 0.5 &&
                      r.bottom <= innerHeight + 0.5,
              small: el.matches(tap) && (r.width < 44 || r.height < 44),
              box: [r.left, r.top, r.width, r.height]});
  }
  return out;
}"""

#: the centre of the open popup and what the page shows there
_POPUP_CENTRE = """() => {
  const w = document.querySelector(".leaflet-popup .leaflet-popup-content-wrapper");
  if (!w) return null;
  const r = w.getBoundingClientRect();
  const x = r.left + r.width / 2, y = r.top + r.height / 2;
  const hit = document.elementFromPoint(x, y);
  return {x, y, inPopup: !!(hit && hit.closest(".leaflet-popup")),
          hit: hit ? hit.className.toString() : null};
}"""

_NO_HSCROLL = """() => Math.max(document.documentElement.scrollWidth,
                                 document.body.scrollWidth) <= innerWidth"""


def _map_frame(page, name):
    """The frame holding the map: the report's map is the web map in an iframe."""
    if name != "report":
        return page.main_frame, (0.0, 0.0)
    page.wait_for_function("() => !!document.querySelector('iframe.map')")
    frame = page.locator("iframe.map").element_handle().content_frame()
    frame.wait_for_function("() => !!window.L && !!document.querySelector('.leaflet-pane')",
                            timeout=15_000)
    box = page.locator("iframe.map").bounding_box()
    return frame, (box["x"], box["y"])


def _settled(page, frame):
    """:func:`settled` for the page and, when the map is in a frame, the frame."""
    settled(page)
    if frame != page.main_frame:
        settled(frame)


def _open(chromium, outputs, name):
    return open_map(chromium, outputs[name], phone=True, wait_leaflet=name != "report",
                    fragment="#map" if name == "report" else "")


NAMES = ["map", "invest", "findings", "report"]
#: what a tap opens: a platform's main zone, or a finding's marker on the findings map
TAP = {"map": "path.pg-main", "invest": "path.pg-main", "findings": ".pgv-marker",
       "report": "path.pg-main"}


@pytest.mark.parametrize("name", NAMES)
def test_phone_map_fills_the_screen(chromium, outputs, name):
    with _open(chromium, outputs, name) as (page, log):
        frame, (dx, dy) = _map_frame(page, name)
        _settled(page, frame)
        if name == "report":
            # the report scrolls to its map: the frame covers at least half the screen and the
            # map inside the frame most of the frame
            box = page.locator("iframe.map").bounding_box()
            visible = max(0.0, min(box["y"] + box["height"], H) - max(box["y"], 0.0))
            assert visible * min(box["width"], W) >= 0.5 * W * H, box
            assert frame.evaluate(_MAP_SHARE) >= 0.5
        else:
            assert page.evaluate(_MAP_SHARE) >= 0.5
        assert page.evaluate(_NO_HSCROLL), "the page scrolls sideways on a phone"
        assert log.page_errors == [] and log.console_errors == []


@pytest.mark.parametrize("name", NAMES)
def test_phone_controls_on_screen_and_big_enough(chromium, outputs, name):
    with _open(chromium, outputs, name) as (page, _log):
        frame, _ = _map_frame(page, name)
        _settled(page, frame)
        controls = frame.evaluate(_CONTROLS)
        assert len(controls) >= 5
        off = [c for c in controls if not c["inside"]]
        small = [c for c in controls if c["small"]]
        assert off == [], f"controls off screen: {off}"
        assert small == [], f"tap targets under 44 px: {small}"
        viewport = frame.evaluate(
            "() => document.querySelector('meta[name=viewport]').getAttribute('content')")
        assert not re.search(r"maximum-scale|user-scalable\s*=\s*no", viewport), viewport


@pytest.mark.parametrize("name", NAMES)
def test_phone_tap_opens_a_popup_above_every_panel(chromium, outputs, name):
    with _open(chromium, outputs, name) as (page, log):
        frame, (dx, dy) = _map_frame(page, name)
        if name == "report":
            page.evaluate("() => document.querySelector('iframe.map').scrollIntoView()")
            frame, (dx, dy) = _map_frame(page, name)
        _settled(page, frame)
        # the panels, unfolded: the popup must still be above them
        for toggle in frame.locator("button.pg-toggle").all():
            if toggle.get_attribute("aria-expanded") == "false":
                toggle.tap()
        point = frame.evaluate(_POINT_ON, TAP[name])
        assert point is not None, f"no {TAP[name]} to tap on screen"
        page.touchscreen.tap(point[0] + dx, point[1] + dy)
        frame.wait_for_selector(".leaflet-popup", timeout=5000)
        map_at_rest(frame)  # the popup pans into view
        centre = frame.evaluate(_POPUP_CENTRE)
        assert centre["inPopup"], f"the popup's centre is covered by {centre['hit']}"
        assert log.page_errors == []


def test_phone_invest_map_card_from_the_map_and_back(chromium, outputs):
    s = strings("zh")
    with _open(chromium, outputs, "invest") as (page, log):
        side = page.locator("#pg-side")
        sheet = page.locator("#pg-sheet")
        # the list is a sheet pulled up from the bottom; the map above it
        assert side.bounding_box()["height"] <= 0.15 * H
        point = page.evaluate(_POINT_ON, "path.pg-main")
        page.touchscreen.tap(*point)
        page.wait_for_selector(".leaflet-popup .pg-card-open")
        map_at_rest(page)  # the popup pans into view
        page.locator(".leaflet-popup .pg-card-open").tap()
        assert sheet.get_attribute("aria-expanded") == "true"
        picked = page.locator(".pg-card.pg-picked")
        assert picked.count() == 1
        settled(page)  # the sheet slides up
        box = picked.bounding_box()
        assert 0 <= box["y"] < H, "the opened card is not on screen"
        assert side.bounding_box()["height"] >= 0.5 * H
        # the card's "show on map" lowers the sheet and shows the map
        button = picked.locator(".pg-zoom")
        assert button.inner_text() == s["zoom_to"]
        button.tap()
        map_at_rest(page)  # the sheet slides down, the map zooms
        assert sheet.get_attribute("aria-expanded") == "false"
        assert page.evaluate(_MAP_SHARE) >= 0.5
        # phone numbers and websites are links
        assert page.locator('.pg-card a[href^="tel:"]').count() >= 1
        assert page.locator('.pg-card a[href^="https:"]').count() >= 1
        assert log.page_errors == []


#: open a main zone's popup centred on a panel (no auto-pan), so that the popup lies over the
#: panel; return the panel's box, the popup's box and its centre's element
_OVER_PANEL = """(sel) => {
  const key = Object.keys(window).find(k => k.startsWith("map_") && window[k] instanceof L.Map);
  const map = window[key];
  let l;
  map.eachLayer(x => { if (!l && x.feature && x.feature.properties.k === "main") l = x; });
  const panel = document.querySelector(sel).getBoundingClientRect();
  const c = map.getContainer().getBoundingClientRect();
  const ax = panel.left + panel.width / 2 - c.left, ay = panel.bottom - 4 - c.top;
  l.getPopup().options.autoPan = false;
  l.openPopup(map.containerPointToLatLng([ax, ay]));
  // then moved so that its centre is the panel's centre
  const box = () => document.querySelector(".leaflet-popup-content-wrapper")
    .getBoundingClientRect();
  const first = box();
  const dy = (panel.top + panel.bottom) / 2 - (first.top + first.bottom) / 2;
  l.getPopup().setLatLng(map.containerPointToLatLng([ax, ay + dy]));
  const w = box();
  const x = w.left + w.width / 2, y = w.top + w.height / 2;
  const hit = document.elementFromPoint(x, y);
  return {panel: [panel.left, panel.top, panel.right, panel.bottom],
          popup: [w.left, w.top, w.right, w.bottom],
          centreInPanel: x > panel.left && x < panel.right && y > panel.top && y < panel.bottom,
          inPopup: !!(hit && hit.closest(".leaflet-popup")),
          hit: hit ? hit.className.toString() : null};
}"""


@pytest.mark.parametrize("panel", ["#pg-legend", "#pg-summary"])
def test_desktop_popup_is_above_the_panels(chromium, outputs, panel):
    """A popup over the legend or the summary is not hidden by it (desktop)."""
    with open_map(chromium, outputs["map"], width=1280, height=800) as (page, log):
        settled(page)
        # the desktop layout: panels open, the legend on the right
        assert page.locator(".pg-panel.pg-folded").count() == 0
        assert page.locator("#pg-legend").bounding_box()["x"] > 640
        shown = page.evaluate(_OVER_PANEL, panel)
        assert shown["centreInPanel"], shown  # the popup does lie over the panel
        assert shown["inPopup"], f"the popup is under {shown['hit']}"
        assert log.page_errors == []


def test_report_charts_legible_on_a_phone(chromium, outputs):
    """Each chart on a phone is its narrow version, and draws its smallest text at 9 CSS px or
    more once scaled to the screen (desktop: the wide version)."""
    shown = """() => [...document.querySelectorAll("img.chart")].map(i => {
        const source = i.parentElement.querySelector("source");
        const narrow = !!source && i.currentSrc === source.srcset;
        return {alt: i.alt, narrow, shown: i.clientWidth, natural: i.naturalWidth,
                font: parseFloat(narrow ? i.dataset.fontPxNarrow : i.dataset.fontPx)};
      })"""
    with open_map(chromium, outputs["report"], phone=True, wait_leaflet=False) as (page, _):
        settled(page)
        charts = page.evaluate(shown)
        assert len(charts) >= 3
        for c in charts:
            assert c["narrow"], c
            assert c["shown"] <= W
            assert c["font"] * c["shown"] / c["natural"] >= 9, c
    with open_map(chromium, outputs["report"], wait_leaflet=False) as (page, _):
        settled(page)
        assert not any(c["narrow"] for c in page.evaluate(shown))


def test_no_pinch_zoom_block_in_any_output(outputs):
    for name, path in outputs.items():
        html = Path(path).read_text(encoding="utf-8")
        assert "user-scalable=no" not in html and "maximum-scale" not in html, name


#: a main zone's popup opened at its centre; then the map panned, zoomed and panned (animated):
#: after each, how far the popup's tip is from that centre on screen (x, y in px)
_ANCHOR = """() => {
  const key = Object.keys(window).find(k => k.startsWith("map_") && window[k] instanceof L.Map);
  const map = window[key];
  let l;
  map.eachLayer(x => { if (!l && x.feature && x.feature.properties.k === "main") l = x; });
  const ll = l.getBounds().getCenter();
  l.openPopup(ll);
  const off = () => {
    const tip = document.querySelector(".leaflet-popup-tip").getBoundingClientRect();
    const c = map.getContainer().getBoundingClientRect(), p = map.latLngToContainerPoint(ll);
    return [tip.left + tip.width / 2 - c.left - p.x, tip.bottom - c.top - p.y];
  };
  const out = [off()];
  map.panBy([120, 60], {animate: false});
  out.push(off());
  return new Promise(done => {
    map.once("zoomend", () => {
      out.push(off());
      map.once("moveend", () => done(out.concat([off()])));
      map.panBy([-200, 30]);
    });
    map.zoomIn(1);
  });
}"""


def test_popup_pane_follows_the_map(chromium, outputs):
    """The popups' own pane (above the panels) keeps each popup on its place as the map moves."""
    with open_map(chromium, outputs["map"]) as (page, log):
        settled(page)
        offsets = page.evaluate(_ANCHOR)
        assert len(offsets) == 4
        assert all(abs(dx) <= 2 and abs(dy) <= 2 for dx, dy in offsets), offsets
        assert log.page_errors == []
