"""The printouts, as Chromium prints them to PDF (``page.pdf``) and pypdf reads them back.

report.html on paper: the static consolidation map where the interactive map is on screen, and
every column header of every table (wide tables come in column groups that each repeat the id
column). invest-map.html on paper: the whole city, then one page per platform with its card and
its map.
"""

from __future__ import annotations

import base64
import io
import re
import unicodedata
import warnings

import pandas as pd
import pytest
from browser.helpers import chromium_missing_reason, open_map, settled
from publish_data import write_result

from parkgeo.publish.investmap import write_invest_map

pytestmark = [pytest.mark.browser]
_missing = chromium_missing_reason()
if _missing:
    pytest.skip(_missing, allow_module_level=True)
pypdf = pytest.importorskip("pypdf")


def _pdf(chromium, html, out):
    with open_map(chromium, html, wait_leaflet=False) as (page, log):
        settled(page)
        headers = page.evaluate("""() => [...document.querySelectorAll(".scroll table")].map(
            t => [...t.querySelectorAll("thead th")].map(th => th.textContent))""")
        static = page.evaluate("""() => { const i = document.querySelector("img.map-print");
                                           return i ? i.getAttribute("src") : null; }""")
        page.pdf(path=str(out), prefer_css_page_size=True, print_background=True)
        assert log.page_errors == []
    return pypdf.PdfReader(str(out)), headers, static


def _flat(text):
    """Text as compared: NFKC (the PDF's CJK fonts map some characters to the Kangxi radicals
    block) and no white space (a cell's text may be split over runs)."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text))


def _images(reader):
    """(width, height) of every image drawn on every page."""
    out = []
    for page in reader.pages:
        xobjects = (page.get("/Resources") or {}).get("/XObject") or {}
        for ref in xobjects.values():
            obj = ref.get_object()
            if obj.get("/Subtype") == "/Image":
                out.append((int(obj["/Width"]), int(obj["/Height"])))
    return out


@pytest.fixture(scope="module")
def report_html(tmp_path_factory, tiny_report_html):
    """The tiny result's report.html (tests/conftest.py) and a folder for its printouts."""
    return tiny_report_html, tmp_path_factory.mktemp("print")


def test_printed_report_has_the_map_and_every_column(chromium, report_html):
    html, folder = report_html
    reader, headers, static = _pdf(chromium, html, folder / "report.pdf")
    # the static map, embedded in the page, is drawn on paper at its own size
    assert static and static.startswith("data:image/png;base64,")
    from PIL import Image

    size = Image.open(io.BytesIO(base64.b64decode(static.split(",", 1)[1]))).size
    assert size in _images(reader)
    # every header of every table is on paper, whole (headers do not wrap in print)
    text = _flat("".join(p.extract_text() for p in reader.pages))
    assert len(headers) >= 6
    missing = [(i, h) for i, table in enumerate(headers) for h in table if _flat(h) not in text]
    assert missing == []
    # printed landscape: wider than high
    box = reader.pages[0].mediabox
    assert float(box.width) > float(box.height)


def test_wide_tables_print_in_column_groups_repeating_the_id(chromium, report_html):
    """On paper no table is wider than the page, and a split table repeats its first column."""
    html, _ = report_html
    with open_map(chromium, html, wait_leaflet=False) as (page, _log):
        page.emulate_media(media="print")
        page.set_viewport_size({"width": 1047, "height": 740})  # A4 landscape less margins
        page.wait_for_function("() => matchMedia('print').matches && innerWidth === 1047")
        settled(page)  # laid out again for paper
        shown = page.evaluate("""() => [...document.querySelectorAll("table")]
          .filter(t => t.offsetParent !== null)
          .map(t => ({w: t.getBoundingClientRect().width,
                      first: t.querySelector("th") ? t.querySelector("th").textContent : "",
                      group: !!t.closest(".print-group")}))""")
        page_width = page.evaluate("() => document.documentElement.clientWidth")
    assert shown
    too_wide = [t for t in shown if t["w"] > page_width + 1]
    assert too_wide == []
    groups = [t for t in shown if t["group"]]
    assert groups, "the tiny report has a table wider than a page (the parks)"
    # consecutive groups of one table start with the same id column
    firsts = pd.Series([t["first"] for t in groups])
    assert firsts.value_counts().max() >= 2


@pytest.fixture(scope="module")
def invest_html(tmp_path_factory):
    folder = tmp_path_factory.mktemp("print-invest")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return write_invest_map(write_result(folder / "result.gpkg"),
                                out=folder / "invest.html"), folder


def test_printed_invest_map_city_then_a_page_per_platform(chromium, invest_html):
    from publish_data import make_result_layers

    html, folder = invest_html
    reader, _, _ = _pdf(chromium, html, folder / "invest.pdf")
    platforms = make_result_layers()["platforms"]
    assert len(reader.pages) == 1 + len(platforms)
    pages = [_flat(p.extract_text()) for p in reader.pages]
    # page 1: the whole city, every platform in its key
    for name in platforms["name"]:
        assert _flat(name) in pages[0]
    # then each platform's card on a page of its own, with its map (vector paths)
    for page_text, (_, row), page in zip(pages[1:], platforms.iterrows(), reader.pages[1:],
                                         strict=True):
        assert _flat(row["name"]) in page_text
        others = [n for n in platforms["name"] if n != row["name"]]
        assert not any(_flat(n) in page_text for n in others if _flat(n) not in
                       _flat(row["name"]))
        content = page.get_contents().get_data()
        assert content.count(b" re") + content.count(b" l") + content.count(b" c") > 10
