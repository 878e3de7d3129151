"""Published HTML is safe: hostile text in every text field, through the real commands, in Chromium.

One dataset carries markup and script in every text field a user controls — ids, names,
counties, towns, free-text industries, contact name, phone and website, plot ids and land use,
project names, monitoring ids — and the consolidation's reasons repeat the zones' names. The
real commands publish it (``validate --html``, ``integrate`` then ``map``, ``invest-map`` with
``--basemap none`` and ``report --out .html``). Each page is opened in headless Chromium with
every request routed and recorded; every tooltip and popup is opened and every search box typed
into. Nothing may run (no dialog, no ``window.pwned``, no page error), no request may leave the
file, no link may carry a ``javascript:`` URL, and the hostile text must be shown as text.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path

import geopandas as gpd
import pytest
import shapely
from browser.helpers import chromium_missing_reason, open_map, settled
from click.testing import CliRunner

from parkgeo.cli.main import cli

pytestmark = [pytest.mark.browser]
_missing = chromium_missing_reason()
if _missing:
    pytest.skip(_missing, allow_module_level=True)

ROOT = Path(__file__).resolve().parents[2]
_spec = importlib.util.spec_from_file_location("make_bad_corpus",
                                               ROOT / "scripts" / "make_bad_corpus.py")
corpus = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(corpus)

#: each would run script, load something from the network or break out of its context if it
#: were written into the page as markup, into a script, an attribute or a URL
HOSTILE = [
    '<img src=x onerror="window.pwned=1;alert(1)">',
    "</script><script>window.pwned=2;alert(2)</script>",
    '"><svg onload="window.pwned=3">',
    "';window.pwned=4;//\\",
    '<iframe src="https://evil.example/frame"></iframe>',
    '<link rel="stylesheet" href="https://evil.example/s.css">',
    "javascript:window.pwned=7",
    '{{constructor.constructor("window.pwned=8")()}}',
    "\u2028\u2029</ScRiPt ><img src=x onerror=window.pwned=9>",
    '<a href="https://evil.example/a" onclick="window.pwned=10">link</a>',
    "<style>@import url(https://evil.example/i.css);</style>",
    "${window.pwned=12}`",
]


def hostile(text, k):
    return f"{text}{HOSTILE[k % len(HOSTILE)]}"


def hostile_layers():
    """The corpus' clean base dataset with hostile text in every text field."""
    layers = corpus.base_layers()
    zones, parks = layers["zones"].copy(), layers["parks"].copy()
    counties, plots = layers["counties"].copy(), layers["plots"].copy()
    county = {c: hostile(c, 7 + k) for k, c in enumerate(counties["name"])}
    zid = {z: hostile(z, k) for k, z in enumerate(zones["zone_id"])}
    zones["zone_id"] = zones["zone_id"].map(zid)
    zones["name"] = [hostile(n, k + 1) for k, n in enumerate(zones["name"])]
    zones["county"] = zones["county"].map(county)
    zones["industries_reported"] = [hostile("光机电、汽车零部件", 2), hostile("食品", 3)]
    zones["contact_name"] = [hostile(n, 4) for n in zones["contact_name"]]
    zones["contact_phone"] = [hostile("0573", 5), hostile("0573", 6)]
    zones["website"] = [HOSTILE[6], "https://evil.example/zone\"onmouseover=\"window.pwned=13"]
    parks["park_id"] = [hostile(p, k) for k, p in enumerate(parks["park_id"])]
    parks["name"] = [hostile(n, k + 2) for k, n in enumerate(parks["name"])]
    parks["county"] = parks["county"].map(county)
    parks["town"] = [hostile(t, k + 3) for k, t in enumerate(parks["town"])]
    parks["note"] = [hostile("备注", k + 4) for k in range(len(parks))]
    counties["name"] = counties["name"].map(county)
    plots["plot_id"] = [hostile(p, k + 5) for k, p in enumerate(plots["plot_id"])]
    plots["owner_id"] = plots["owner_id"].map(zid)
    plots["land_use"] = [hostile("工业用地", k + 6) for k in range(len(plots))]
    monitoring = corpus.monitoring_table()
    monitoring["platform_id"] = monitoring["platform_id"].map(zid)
    projects = corpus.projects_layer()
    projects["project_id"] = [hostile(p, k + 8) for k, p in enumerate(projects["project_id"])]
    projects["name"] = [hostile(n, k + 9) for k, n in enumerate(projects["name"])]
    return {"zones": zones, "parks": parks, "counties": counties, "plots": plots,
            "projects": projects}, monitoring


@pytest.fixture(scope="module")
def pages(tmp_path_factory):
    """Every published HTML page of the hostile dataset, written by the real commands."""
    folder = tmp_path_factory.mktemp("hostile")
    layers, monitoring = hostile_layers()
    data = corpus.write_gpkg(folder / "hostile.gpkg", layers, table=monitoring)
    # a second copy with findings whose messages repeat hostile values and names
    bad = {k: v.copy() for k, v in layers.items()}
    bad["zones"]["level"] = bad["zones"]["level"].astype(object)
    bad["zones"].loc[0, "level"] = HOSTILE[0]
    bad["parks"].loc[1, "geometry"] = bad["parks"].geometry.iloc[0].buffer(50)  # overlap
    bad["parks"].loc[4, "geometry"] = shapely.box(569_000, 3_399_000, 569_400, 3_399_400)
    bad_data = corpus.write_gpkg(folder / "hostile-findings.gpkg", bad, table=monitoring)
    run = CliRunner()
    out = {}
    steps = [
        ("validate", ["validate", str(bad_data), "--html", str(folder / "findings.html")],
         (1,), "findings.html"),
        ("integrate", ["integrate", str(data), "--out", str(folder / "result.gpkg")],
         (0, 1), None),
        ("map", ["map", str(folder / "result.gpkg"), "--out", str(folder / "map.html"),
                 "--basemap", "none"], (0,), "map.html"),
        ("map-en", ["map", str(folder / "result.gpkg"), "--out", str(folder / "map-en.html"),
                    "--basemap", "none", "--lang", "en"], (0,), "map-en.html"),
        ("invest-map", ["invest-map", str(folder / "result.gpkg"), "--out",
                        str(folder / "invest.html"), "--basemap", "none"], (0,), "invest.html"),
        ("report", ["report", str(folder / "result.gpkg"), "--out",
                    str(folder / "report.html")], (0,), "report.html"),
    ]
    for name, argv, codes, html in steps:
        res = run.invoke(cli, argv)
        assert res.exit_code in codes, (name, res.output)
        if html:
            out[name] = folder / html
    out["result"] = folder / "result.gpkg"
    return out


def test_the_hostile_text_reaches_every_page(pages):
    """The test is only worth something if the hostile strings are really in the pages."""
    parks = gpd.read_file(pages["result"], layer="parks")
    assert any(HOSTILE[0] in r or HOSTILE[1] in r or HOSTILE[2] in r for r in parks["reason"])
    for name in ("findings", "map", "map-en", "invest-map", "report"):
        key = "validate" if name == "findings" else name
        text = pages[key].read_text(encoding="utf-8")
        assert "pwned" in text and "evil.example" in text, name


#: opens every tooltip and popup (hover and click on every interactive shape and marker) and
#: returns what each showed, plus every markup-level sign of injection in the live document
_SWEEP = """async () => {
  const wait = ms => new Promise(r => setTimeout(r, ms));
  const shown = [];
  const els = Array.from(document.querySelectorAll('.leaflet-interactive'));
  for (const el of els) {
    const box = el.getBoundingClientRect();
    const at = {bubbles: true, cancelable: true, view: window,
                clientX: box.left + box.width / 2, clientY: box.top + box.height / 2};
    for (const type of ['mouseover', 'mousemove', 'mousedown', 'mouseup', 'click']) {
      el.dispatchEvent(new MouseEvent(type, at));
    }
    await wait(5);
    for (const p of document.querySelectorAll('.leaflet-popup-content, .leaflet-tooltip')) {
      shown.push(p.innerText);
    }
  }
  // shapes drawn on a canvas have no element: open their tooltips and popups through Leaflet
  const maps = window.L ? Object.values(window).filter(v => v instanceof L.Map) : [];
  let layers = 0;
  for (const map of maps) {
    const all = [];
    map.eachLayer(l => all.push(l));
    for (const l of all) {
      const at = l.getLatLng ? l.getLatLng() : (l.getBounds && l.getBounds().isValid()
                                                 ? l.getBounds().getCenter() : null);
      if (!at || l._url) continue;
      layers += 1;
      if (l.getTooltip && l.getTooltip()) l.openTooltip(at);
      if (l.getPopup && l.getPopup()) l.openPopup(at);
      else l.fire('click', {latlng: at, layer: l}, true);
      await wait(2);
      for (const p of document.querySelectorAll('.leaflet-popup-content, .leaflet-tooltip')) {
        shown.push(p.innerText);
      }
    }
  }
  const boxes = 'input[type=text], input[type=search], input:not([type])';
  for (const input of document.querySelectorAll(boxes)) {
    input.value = '<img src=x onerror=window.pwned=20>';
    input.dispatchEvent(new Event('input', {bubbles: true}));
    input.dispatchEvent(new KeyboardEvent('keyup', {bubbles: true, key: 'x'}));
  }
  await wait(300);
  const signs = [];
  for (const el of document.querySelectorAll('*')) {
    for (const a of el.attributes) {
      const v = a.value || '';
      if (a.name.startsWith('on') && /pwned/.test(v)) signs.push(el.tagName + ' ' + a.name);
      if ((a.name === 'href' || a.name === 'src' || a.name === 'action')
          && /^\\s*javascript:/i.test(v)) signs.push(el.tagName + ' ' + a.name + '=' + v);
      if (/evil\\.example/.test(v) && (a.name === 'href' || a.name === 'src')) {
        signs.push(el.tagName + ' ' + a.name + '=' + v);
      }
    }
    if ((el.tagName === 'IFRAME' && el.hasAttribute('src'))
        || (el.tagName === 'SCRIPT' && /pwned/.test(el.src || ''))) {
      signs.push(el.tagName);
    }
  }
  const pwned = window.pwned === undefined ? null : window.pwned;
  return {shown, signs, interactive: els.length + layers, pwned};
}"""


@pytest.mark.parametrize("name", ["validate", "map", "map-en", "invest-map", "report"])
def test_nothing_runs_and_nothing_leaves_the_file(chromium, pages, name):
    # the report holds its map in an <iframe srcdoc>: every frame is swept
    # (the page's load event waits for its frames)
    with open_map(chromium, pages[name], wait_leaflet=name != "report") as (page, log):
        found = []
        for frame in page.frames:
            frame.wait_for_function(
                "() => !window.L || !!document.querySelector('.leaflet-pane')", timeout=15_000)
            found.append(frame.evaluate(_SWEEP))
        for frame in page.frames:  # let any late error handler or load fire
            settled(frame)
        assert sum(f["interactive"] for f in found) > 0, "the sweep had nothing to open"
        assert [f["pwned"] for f in found] == [None] * len(found)
        assert [frame.evaluate("window.pwned") for frame in page.frames] == [None] * len(found)
        assert log.dialogs == []
        assert log.page_errors == [], log.page_errors
        assert [s for f in found for s in f["signs"]] == []
        assert log.blocked == [], f"requests left the file: {log.blocked}"
        body = "\n".join([frame.locator("body").inner_text() for frame in page.frames]
                         + [t for f in found for t in f["shown"]])
        # shown as text, never interpreted
        assert any(h in body for h in HOSTILE[:3]), body[:2000]
        for frame in page.frames:
            assert frame.locator("img[src='x']").count() == 0
            assert frame.locator("iframe[src]").count() == 0
