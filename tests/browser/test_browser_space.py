"""The consolidation map's layer of measured developable land (``parkgeo map --space``, R4)."""

from __future__ import annotations

import warnings

import pytest
from browser.helpers import chromium_missing_reason, open_map
from space_data import OWNERS, write_space

from parkgeo.i18n import strings
from parkgeo.publish.webmap import write_map

pytestmark = [pytest.mark.browser]
_missing = chromium_missing_reason()
if _missing:
    pytest.skip(_missing, allow_module_level=True)

LAND = "path.pg-developable"


@pytest.fixture(scope="module")
def maps(tmp_path_factory, published):
    """Maps of the hostile tiny result with a hostile layer of developable land, and without
    (tests/browser/conftest.py)."""
    folder = tmp_path_factory.mktemp("space_maps")
    result = published["hostile"]
    space = write_space(folder / "space.gpkg", hostile=True)
    out = {"none": published["map_hostile"]}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for lang in ("zh", "en"):
            out[lang] = write_map(result, out=folder / f"map_{lang}.html", lang=lang,
                                  space=space)
    return out


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_layer_is_drawn_listed_and_toggles(chromium, maps, lang):
    label = strings(lang)["layer_developable"]
    with open_map(chromium, maps[lang]) as (page, log):
        assert page.locator(LAND).count() == len(OWNERS)
        assert strings(lang)["legend_developable"] in page.locator("#pg-legend").inner_text()
        page.locator(".leaflet-control-layers").hover()
        box = page.locator(".leaflet-control-layers label", has_text=label).locator("input")
        assert box.count() == 1 and box.is_checked()
        box.click()
        assert page.locator(LAND).count() == 0
        box.click()
        assert page.locator(LAND).count() == len(OWNERS)
        # hostile names in the space file stay text: nothing ran, nothing was injected
        assert page.evaluate("typeof window.pwned") == "undefined"
        assert page.locator("img[src=x]").count() == 0
        assert log.page_errors == [] and log.console_errors == [] and log.dialogs == []
        assert log.blocked == []


def test_without_space_there_is_no_such_layer(chromium, maps):
    with open_map(chromium, maps["none"]) as (page, log):
        assert page.locator(LAND).count() == 0
        control = page.locator(".leaflet-control-layers").text_content()
        assert strings("zh")["layer_exit"] in control  # the control is there, listing layers
        assert strings("zh")["layer_developable"] not in control
        assert log.page_errors == []
