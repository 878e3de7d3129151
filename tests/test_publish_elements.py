"""Page elements: data can never become a Jinja template (branca compiles each script again)."""

from __future__ import annotations

import json
import re
import warnings

import pytest
from publish_data import make_result_layers

from parkgeo.publish.compact import decode_text
from parkgeo.publish.elements import esc, page_html
from parkgeo.publish.investmap import render_invest_map
from parkgeo.publish.webmap import render_map

SECRET = "s3cr3t-value-of-the-build-machine"
JINJA = ("{{ 7*7 }}", "{% if true %}x{% endif %}", "{# hidden #}",
         "{{ cycler.__init__.__globals__.os.environ }}")


def _layers():
    layers = make_result_layers()
    parks, zones = layers["parks"], layers["zones"]
    parks.loc[0, "name"] = JINJA[0] + "园区"
    parks.loc[1, "reason"] = JINJA[1]
    parks.loc[2, "town"] = JINJA[2]
    parks.loc[3, "reason"] = JINJA[3]
    zones.loc[0, "contact_name"] = JINJA[3]
    zones.loc[2, "name"] = JINJA[0]
    parks.loc[6, "county"] = JINJA[1]  # a county of its own in the summary panel
    layers["platforms"].loc[0, "name"] = JINJA[3]  # legend, layer control, card
    layers["counties"].loc[0, "name"] = JINJA[1]
    layers["plots"].loc[0, "land_use"] = JINJA[0]
    return layers


@pytest.mark.parametrize("render", [render_map, render_invest_map])
def test_template_syntax_in_the_data_is_shown_not_run(render, monkeypatch):
    monkeypatch.setenv("PARKGEO_TEST_SECRET", SECRET)
    layers = _layers()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        html = page_html(render(layers))
    assert SECRET not in html
    assert "49园区" not in html
    for text in JINJA:
        assert text not in html  # escaped wherever it appears
    table = json.loads(re.search(r"PG\.init\(.*?, (\[.*?\])\);\n", html).group(1))
    shown = set()
    for m in re.finditer(r"var geo_layer_\w+_data = PG\.decode\((\{.*?\})\);\n", html):
        for props, _ in json.loads(m.group(1))["f"]:
            shown |= {decode_text(table, props[k]) for k in ("n", "t", "r") if k in props}
            shown.add(props.get("use"))
    if render is render_map:
        assert {JINJA[0] + "园区", JINJA[1], JINJA[2], JINJA[3]} <= shown
        summary = re.search(r'id="pg-summary".*?</table></div>', html, re.S).group(0)
        assert "&#123;% if true %&#125;x&#123;% endif %&#125;" in summary
        legend = re.search(r'id="pg-legend".*?</div></div>', html, re.S).group(0)
        assert "&#123;&#123; cycler" in legend
    else:
        assert JINJA[0] in shown  # the plot's land use
        assert "&#123;&#123; cycler" in html  # the contact and the name on the card


def test_esc_leaves_no_markup_and_no_template_syntax():
    assert esc(None) == ""
    out = esc("<b onclick='x'>{{ 7*7 }}{% x %}</b>")
    assert "<" not in out and "{" not in out and "}" not in out and "'" not in out


def test_every_page_escapes_with_the_one_esc():
    """``esc`` exists once (publish/display.py, Jinja braces neutralised): no other module
    defines an HTML escape or calls :func:`html.escape`, and every module using ``esc`` has
    that one."""
    import ast
    import importlib
    from pathlib import Path

    import parkgeo
    from parkgeo.publish import display

    root = Path(parkgeo.__file__).parent
    own = []
    for f in sorted(root.rglob("*.py")):
        if f == root / "publish" / "display.py":
            continue
        for node in ast.walk(ast.parse(f.read_text(encoding="utf-8"))):
            name = node.name.lower() if isinstance(node, ast.FunctionDef) else ""
            if "esc" in name.split("_") or "escape" in name:
                own.append(f"{f.relative_to(root)}: def {node.name}")
            if isinstance(node, ast.Attribute) and node.attr == "escape" and \
                    isinstance(node.value, ast.Name) and node.value.id == "html":
                own.append(f"{f.relative_to(root)}: html.escape")
    assert own == []
    users = [m for m in ("elements", "webmap", "investmap", "findings_map", "report_html")
             if hasattr(importlib.import_module(f"parkgeo.publish.{m}"), "esc")]
    assert {"elements", "webmap", "investmap", "report_html"} <= set(users)
    for m in users:
        assert importlib.import_module(f"parkgeo.publish.{m}").esc is display.esc, m


@pytest.mark.parametrize("render", [render_map, render_invest_map])
def test_pages_let_phones_pinch_zoom(render):
    """folium's viewport (``maximum-scale=1.0, user-scalable=no``) is replaced: one viewport
    meta, device width, no cap on zooming."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        html = page_html(render(_layers()))
    metas = re.findall(r'<meta name="viewport"[^>]*>', html)
    assert metas == ['<meta name="viewport" content="width=device-width, initial-scale=1" />']
    assert "user-scalable" not in html and "maximum-scale" not in html
