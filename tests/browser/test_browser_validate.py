"""The validation findings map in Debian's headless Chromium with every network request blocked."""

from __future__ import annotations

import pytest
import shapely
from browser.helpers import browser, chromium_missing_reason, open_map, screenshot
from conftest import X0, Y0, make_parks, make_zones, square
from test_validate import dataset

from parkgeo.read import read_dataset
from parkgeo.validate import validate_dataset
from parkgeo.validate.webmap import write_findings_map

pytestmark = [pytest.mark.browser]
_missing = chromium_missing_reason()
if _missing:
    pytest.skip(_missing, allow_module_level=True)

HOSTILE = "<img src=x onerror=alert(1)>"

_MARKERS = """() => {
  const key = Object.keys(window).find(k => k.startsWith("map_") && window[k] instanceof L.Map);
  const map = window[key], found = [];
  map.eachLayer(l => { if (l instanceof L.CircleMarker) found.push(l); });
  window.__markers = found;
  return found.length;
}"""


@pytest.fixture(scope="module")
def findings_map(tmp_path_factory):
    """A map of three findings: a park inside a zone (named with markup), R2, a sliver."""
    folder = tmp_path_factory.mktemp("vmap")
    parks = make_parks(name=[HOSTILE, "余新镇工业园区", "新埭镇工业园区"])
    parks.loc[0, "geometry"] = square(X0 + 100, Y0 + 100, 300)
    parks.loc[2, "geometry"] = shapely.MultiPolygon([square(X0 + 22_000, Y0, 500),
                                                     square(X0 + 23_000, Y0, 10)])
    path = dataset(folder, zones=make_zones(approved_area_ha=[90.0, 150.0]), parks=parks)
    ds = read_dataset(path, strict=False)
    report = validate_dataset(ds)
    out = write_findings_map(report, folder / "findings.html", dataset=ds)
    return out, report


def test_findings_map_draws_every_finding_offline(findings_map, tmp_path):
    out, report = findings_map
    with browser() as b, open_map(b, out) as (page, log):
        assert page.evaluate(_MARKERS) == len(report.findings) == 3
        text = page.evaluate("""() => { const m = window.__markers.find(
            l => l.feature.properties.tip.indexOf("overlap") === 0);
            m.openPopup(); return document.querySelector(".leaflet-popup-content").innerText; }""")
        assert "overlap" in text and "inside the four boundaries of zone Z1" in text
        assert "decide which feature the land belongs to" in text
        drawn = screenshot(page, tmp_path / "findings.png")
        # the hostile park name is shown as text in the outlines' tooltips, never run
        assert log.page_errors == [] and log.dialogs == [] and log.blocked == []
        assert page.evaluate("() => document.querySelectorAll('img[src=x]').length") == 0
    assert drawn > 0.005  # something besides the background was drawn
