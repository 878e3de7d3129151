"""The investment-attraction map, checked as HTML text."""

from __future__ import annotations

import csv
import json
import os
import re
import warnings

import pytest
from publish_data import HOSTILE, make_result_layers, write_result

from parkgeo.measure.common import DIVISIONS_CSV
from parkgeo.publish.elements import page_html
from parkgeo.publish.investmap import (
    division_names,
    platform_industries,
    render_invest_map,
    write_invest_map,
)
from parkgeo.result import load_result
from parkgeo.scenario import Scenario


@pytest.fixture(scope="module")
def result_gpkg(tmp_path_factory):
    """The result every test here reads (none writes to it), written once."""
    return write_result(tmp_path_factory.mktemp("invest") / "result.gpkg")


#: pages drawn with the default options, by result file: several tests read the same page
_DEFAULT_PAGES = {}


def _html(result, **kw):
    key = str(result) if not kw and isinstance(result, str | os.PathLike) else None
    if key in _DEFAULT_PAGES:
        return _DEFAULT_PAGES[key]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        html = page_html(render_invest_map(result, **kw))
    if key is not None:
        _DEFAULT_PAGES[key] = html
    return html


def _cards(html):
    return re.findall(r'<div class="pg-card" data-pid="([^"]*)"(.*?)</button></div>', html, re.S)


def test_division_table_has_the_97_divisions():
    with open(DIVISIONS_CSV, encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    assert len(rows) == 97
    assert [int(r["division"]) for r in rows] == list(range(1, 98))
    assert all(r["name_zh"] and r["name_en"] for r in rows)
    # sections as GB/T 4754-2017 numbers them: manufacturing is C13-C43
    assert {r["section"] for r in rows if 13 <= int(r["division"]) <= 43} == {"C"}
    names = division_names("zh")
    assert names["C39"] == "计算机、通信和其他电子设备制造业" and names["C36"] == "汽车制造业"


def test_one_card_per_platform_with_division_names(result_gpkg):
    html = _html(result_gpkg)
    cards = dict(_cards(html))
    assert set(cards) == {"Z1", "Z2"}
    # Z1: C38 and C39 lead (value added split over its members' divisions)
    assert "电气机械和器材制造业" in cards["Z1"]
    assert "计算机、通信和其他电子设备制造业" in cards["Z1"]
    assert "汽车制造业" in cards["Z2"]
    assert "C38" not in re.sub(r"\(C\d\d\)", "", cards["Z1"])  # names, not codes, on cards


def test_t1_follows_value_added_shares():
    res = load_result(make_result_layers())
    ind = platform_industries(res, Scenario())
    leading, featured = ind["Z2"]
    # Z2 (C36;C34, 60) + B1 (C36, 7): C36 = 37/67, C34 = 30/67 -> both lead
    assert leading == ["C36", "C34"] and featured == []


def test_cards_compare_indicators_with_targets(result_gpkg):
    cards = dict(_cards(_html(result_gpkg)))
    z1, z2 = cards["Z1"], cards["Z2"]
    # Z1 value added 84 < 100 (T4): not met; high-tech 52% >= 45% (T2): met
    assert re.search(r"84</td><td>≥100 \(T4\)</td><td><span class=\"pg-notmet\">", z1)
    assert re.search(r"52.0%</td><td>≥45.0% \(T2\)</td><td><span class=\"pg-met\">", z1)
    assert re.search(r"40.0%</td><td>≥45.0% \(T2\)</td><td><span class=\"pg-notmet\">", z2)


def test_thresholds_come_from_the_scenario(result_gpkg):
    from dataclasses import replace

    s = Scenario()
    s = replace(s, targets=replace(s.targets, va_100m=50.0))
    cards = dict(_cards(_html(result_gpkg, scenario=s)))
    assert re.search(r"84</td><td>≥50 \(T4\)</td><td><span class=\"pg-met\">", cards["Z1"])


def test_contacts_and_available_plots_on_cards(result_gpkg):
    cards = dict(_cards(_html(result_gpkg)))
    assert "0573-8000 0001" in cards["Z1"] and "https://example.org/z1" in cards["Z1"]
    # plots of Z1 and of its sub-zone A1: only L1 (120 mu) is available
    assert re.search(r"120 亩", cards["Z1"])
    assert re.search(r"150 亩", cards["Z2"])


def test_plots_coloured_by_status(result_gpkg):
    html = _html(result_gpkg)
    plots = []
    for m in re.finditer(r"var geo_layer_\w+_data = PG\.decode\((\{.*?\})\);\n", html):
        plots += [p for p, _ in json.loads(m.group(1))["f"] if p["k"] == "plot"]
    assert len(plots) == 4
    colours = {p["st"]: p["c"] for p in plots}
    assert len(set(colours.values())) == 3


def test_industry_filter_lists_the_welcome_divisions(result_gpkg):
    html = _html(result_gpkg)
    options = re.findall(r'<option value="([A-T]\d\d)">', html)
    assert options == sorted({"C38", "C39", "C36", "C34"})
    welcome = json.loads(re.search(r"welcome = (\{.*?\});", html).group(1))
    assert "C36" in welcome["Z2"] and "C36" not in welcome["Z1"]


def test_english_cards(result_gpkg):
    html = _html(result_gpkg, lang="en")
    assert "Manufacture of automobiles" in html and "Leading industry chains" in html
    assert "领跑产业链" not in html


def test_print_layout_present(result_gpkg):
    html = _html(result_gpkg)
    assert "@media print" in html


def test_hostile_values_escaped(tmp_path):
    path = write_result(tmp_path / "h.gpkg", hostile=True)
    html = _html(path)
    for bad in HOSTILE:
        assert bad not in html
    assert "&lt;img src=x onerror=alert(1)&gt;招商局" in html


def test_write_invest_map(result_gpkg, tmp_path):
    out = tmp_path / "invest.html"
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        write_invest_map(result_gpkg, out=out, lang="en")
    assert "Investment-attraction map" in out.read_text(encoding="utf-8")


def test_phone_numbers_and_websites_are_links(result_gpkg):
    cards = dict(_cards(_html(result_gpkg)))
    assert '<a href="tel:057380000001">0573-8000 0001</a>' in cards["Z1"]
    assert ('<a href="https://example.org/z1" target="_blank" rel="noopener noreferrer">'
            'https://example.org/z1</a>') in cards["Z1"]


@pytest.mark.parametrize(("key", "value", "href"), [
    ("contact_phone", "+86 573 8000-0001", "tel:+8657380000001"),
    ("contact_phone", "电话待定", None),
    ("website", "www.jxedz.gov.cn/zs", "https://www.jxedz.gov.cn/zs"),
    ("website", "http://example.org/a?b=1&c=2", "http://example.org/a?b=1&amp;c=2"),
    ("website", "javascript:alert(1)", None),
    ("website", 'https://x.org/"onmouseover="alert(1)', None),
    ("website", "https://x.org/<b>", None),
    ("website", "x.org/a b", None),
    ("website", "data:text/html,<script>", None),
])
def test_contact_link_targets(key, value, href):
    from parkgeo.i18n import strings
    from parkgeo.publish.investmap import _contact

    label = {"contact_phone": "f_phone", "website": "f_website"}[key]
    line = _contact(strings("zh"), key, label, value)
    links = re.findall(r'<a href="([^"]*)"', line)
    assert links == ([href] if href else [])
    assert "<script" not in line and 'onmouseover="' not in line


def test_print_pages_city_then_each_platform(result_gpkg):
    html = _html(result_gpkg)
    pages = re.findall(r'<section class="pg-print-platform" data-pid="[^"]*">(.*?)</section>',
                       html, re.S)
    names = list(make_result_layers()["platforms"]["name"])
    assert len(pages) == len(names)
    for page, name in zip(pages, names, strict=True):
        assert name in page and '<svg class="pg-print-map"' in page
    city = html[html.index('<div class="pg-print"'):html.index('<section class="pg-print')]
    assert city.count("<path") > len(names)
