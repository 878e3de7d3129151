"""Compact feature records: the page's lexicon, lossless text and the map wired to it."""

from __future__ import annotations

import json
import re
import warnings

from hypothesis import given, settings
from hypothesis import strategies as st
from publish_data import HOSTILE, make_result_layers

from parkgeo.publish.compact import Lexicon, decode_indicators, decode_text, js_string
from parkgeo.publish.display import safe_json
from parkgeo.publish.elements import page_html
from parkgeo.publish.investmap import render_invest_map
from parkgeo.publish.webmap import render_map

NAMES = ["南湖区", "平湖市", "嘉兴经济技术开发区", "平湖经济技术开发区", "新丰镇", "新丰镇工业园区"]
# texts made of names, digits and punctuation (the shapes reasons take), and any text at all
texts = st.lists(st.sampled_from(list("南湖区平新丰镇 R7:,.;—0123456789()<>&{}%#'\"\\") + NAMES),
                 max_size=30).map("".join) | st.text(max_size=40)


@settings(max_examples=300, deadline=None)
@given(names=st.lists(st.sampled_from(NAMES) | st.text(min_size=1, max_size=6), max_size=8),
       values=st.lists(texts, min_size=1, max_size=6))
def test_every_text_decodes_to_itself(names, values):
    lex = Lexicon(names)
    encoded = [lex.text(v) for v in values]
    # through JSON, as the page carries it
    table = json.loads(safe_json(lex.table))
    encoded = json.loads(safe_json(encoded))
    assert [decode_text(table, e) for e in encoded] == values


def test_repeated_shapes_and_names_are_stored_once():
    lex = Lexicon(["南湖区", "嘉兴经济技术开发区"])
    reasons = [f"R7: joins 嘉兴经济技术开发区 — {d:.1f} km, same division C38"
               for d in (0.4, 1.2, 2.5, 3.3)]
    encoded = [lex.text(r) for r in reasons]
    templates = [e[0] for e in encoded]
    assert len(set(templates)) == 1  # one sentence shape
    assert lex.table.count("嘉兴经济技术开发区") == 1  # the name once, referred to
    assert lex.table[templates[0]] == ["R7: joins ", " — ", " km, same division C38"]
    assert [e[2] for e in encoded] == ["0.4", "1.2", "2.5", "3.3"]
    # a longer name wins over a name inside it
    lex = Lexicon(["新丰镇", "新丰镇工业园区"])
    assert decode_text(lex.table, lex.text("新丰镇工业园区")) == "新丰镇工业园区"
    assert lex.text("新丰镇工业园区") == lex.ref("新丰镇工业园区")
    assert lex.ref("南湖区") == lex.ref("南湖区") and lex.text(None) is None


def test_indicators_keep_keys_order_and_missing_values():
    lex = Lexicon()
    a = lex.indicators({"developable_mu": 1500.0, "industrial_va_100m": None})
    b = lex.indicators({"developable_mu": 80.5, "industrial_va_100m": 2.25})
    assert a[0] == b[0]  # one key list for both
    assert decode_indicators(lex.table, a) == {"developable_mu": 1500.0, "industrial_va_100m": None}
    assert list(decode_indicators(lex.table, b)) == ["developable_mu", "industrial_va_100m"]
    assert decode_indicators(lex.table, lex.indicators({})) == {}


def test_non_text_values_show_as_the_browser_would():
    assert js_string(5.0) == "5" and js_string(2.5) == "2.5" and js_string(7) == "7"
    assert js_string(True) == "true"
    lex = Lexicon()
    assert decode_text(lex.table, lex.text(12.0)) == "12"


def _page(fn, layers):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return page_html(fn(layers))


def _records(html):
    """(table, every feature's decoded text fields) from a page."""
    table = json.loads(re.search(r"PG\.init\(.*?, (\[.*?\])\);\n", html).group(1))
    out = []
    for m in re.finditer(r"var geo_layer_\w+_data = PG\.decode\((\{.*?\})\);\n", html):
        for props, _ in json.loads(m.group(1))["f"]:
            out.append({k: decode_text(table, props[k]) for k in ("n", "co", "t", "r")
                        if k in props} | {"k": props["k"]})
    return table, out


def test_map_records_decode_to_the_data():
    layers = make_result_layers(hostile=True)
    layers["parks"].loc[0, "reason"] = "R7: joins " + layers["zones"].loc[0, "name"] + \
        " — 0.4 km, same division C38"
    _, records = _records(_page(render_map, layers))
    parks = layers["parks"]
    drawn = {r["n"]: r for r in records if r["k"] in ("sub", "exit", "excluded")}
    assert set(drawn) == set(parks["name"])
    for row in parks.itertuples():
        rec = drawn[row.name]
        assert (rec["co"], rec["t"], rec["r"]) == (row.county, row.town, row.reason)
    zones = {r["n"]: r["co"] for r in records if r["k"] in ("main", "zone")}
    assert zones == dict(zip(layers["zones"]["name"], layers["zones"]["county"], strict=True))
    counties = {r["n"] for r in records if r["k"] == "county"}
    assert counties == set(layers["counties"]["name"])


def test_invest_map_records_decode_to_the_data():
    layers = make_result_layers()
    _, records = _records(_page(render_invest_map, layers))
    plots = sorted(r["n"] for r in records if r["k"] == "plot")
    assert plots == sorted(layers["plots"]["plot_id"])
    subs = {r["n"]: r["r"] for r in records if r["k"] == "sub"}
    parks = layers["parks"].set_index("name")
    assert subs and all(parks.loc[n, "reason"] == r for n, r in subs.items())


def test_hostile_text_in_the_table_stays_escaped():
    html = _page(render_map, make_result_layers(hostile=True))
    table = re.search(r"PG\.init\(.*?, (\[.*?\])\);\n", html).group(1)
    for bad in HOSTILE:
        assert bad not in table
    assert "\\u003cimg src=x" in table


def test_reasons_of_one_shape_cost_far_less_than_their_text():
    """A province's reasons are a few sentence shapes: the page grows by a fraction of them."""
    layers = make_result_layers()
    parks = layers["parks"]
    short = _page(render_map, layers)
    zone = layers["zones"].loc[0, "name"]
    reasons = [f"R7: no main platform is both within 5 km and related — {zone}: {d} km, "
               f"industries not related enough (same section C)" for d in (6.1, 7.4, 9.0, 12)]
    reasons += ["R10: does not conform to the planning layout"] * 3
    parks["reason"] = reasons
    long = _page(render_map, layers)
    added = sum(len(r.encode()) for r in reasons) - sum(
        len(r.encode()) for r in make_result_layers()["parks"]["reason"])
    grown = len(long.encode()) - len(short.encode())
    assert added > 500 and grown < added / 2


def test_chinese_map_shows_reason_zh_english_map_reason():
    layers = make_result_layers()
    parks = layers["parks"]
    parks["reason_zh"] = ["R7：并入嘉兴经济技术开发区——相距1.0公里", "", None,
                          "R7：特色小镇未纳入整合", "R7：并入平湖经济技术开发区",
                          "R10：不符合规划布局", "R11：退出名额"]
    for lang, expected in (
        ("zh", [zh if isinstance(zh, str) and zh else en
                for zh, en in zip(parks["reason_zh"], parks["reason"], strict=True)]),
        ("en", list(parks["reason"])),
    ):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            html = page_html(render_map(layers, lang=lang))
        _, records = _records(html)
        shown = {r["n"]: r["r"] for r in records if r["k"] in ("sub", "exit", "excluded")}
        assert [shown[n] for n in parks["name"]] == expected, lang
