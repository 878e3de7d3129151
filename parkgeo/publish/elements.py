"""The folium elements both web maps are built from, and the offline page they end up in.

folium's ``GeoJson`` would put tooltip and popup fields into HTML without escaping them, and its
``Search`` plugin lists matches with ``innerHTML``; a park name is data, not markup, so these
elements build every label through the ``esc()`` of ``templates/parkgeo.js`` or
:func:`html.escape`, and embed data as JSON made safe for ``<script>`` (:func:`safe_json`).
"""

from __future__ import annotations

import itertools
import os
import re
import warnings
from pathlib import Path

import folium
from branca.element import Element, MacroElement
from folium.plugins import Fullscreen, MeasureControl, MiniMap, Search
from folium.template import Template

from .assets import OFFLINE_CSS, OFFLINE_JS, inline_assets
from .display import esc, safe_json
from .style import KIND_STYLE

__all__ = [
    "new_map", "GeoLayer", "SafeSearch", "LayerMiniMap", "add_core", "add_html", "add_css",
    "add_controls", "page_html", "SIZE_BUDGET_MB", "esc",
]

TEMPLATES = Path(__file__).parent / "templates"
#: maps larger than this many megabytes get a warning: slow on an intranet and in old browsers
SIZE_BUDGET_MB = 15.0


def new_map(bounds, *, base, title):
    """A folium Map with parkgeo's offline script set, fitted to ``bounds`` ((S, W), (N, E))."""
    fmap = folium.Map(tiles=None, control_scale=False, max_zoom=18, zoom_snap=0.5,
                      prefer_canvas=False)
    # instance attributes: only these scripts/styles are loaded; folium's Bootstrap, Font
    # Awesome and awesome-markers defaults are not used by parkgeo maps
    fmap.default_js = list(OFFLINE_JS)
    fmap.default_css = list(OFFLINE_CSS)
    fmap.get_root().title = title
    fmap.fit_bounds(bounds)
    fmap.add_child(MetricScale())
    return fmap


class MetricScale(MacroElement):
    """Leaflet's scale bar in metres only (folium's ``control_scale`` adds feet and miles)."""

    _template = Template("""
        {% macro script(this, kwargs) %}
        L.control.scale({imperial: false, position: "bottomleft"})
            .addTo({{ this._parent.get_name() }});
        {% endmacro %}
    """)


#: GeoLayer ids: a per-process prefix and a counter, unique on a page and ~10 characters
#: shorter than folium's 32-digit random ids, which every layer writes several times
_LAYER_IDS = itertools.count()
_LAYER_PREFIX = os.urandom(3).hex()


class GeoLayer(MacroElement):
    """A layer of compact features (:func:`~parkgeo.publish.display.feature_collection`),
    decoded, styled and labelled by ``PG`` (templates/parkgeo.js).

    ``data`` is the collection's JSON *text*, already made safe for ``<script>``.
    """

    _template = Template("""
        {% macro script(this, kwargs) %}
        var {{ this.get_name() }}_data = PG.decode({{ this.data }});
        var {{ this.get_name() }} = PG.add({{ this.get_name() }}_data, {{ this.interactive|tojson }}, {{ this._parent.get_name() }});
        {% endmacro %}
    """)  # noqa: E501

    @classmethod
    def _generate_id(cls):
        return f"{_LAYER_PREFIX}{next(_LAYER_IDS):x}"

    def __init__(self, data, *, interactive=True):
        super().__init__()
        self._name = "GeoLayer"
        self.data = data
        self.interactive = interactive


class SafeSearch(Search):
    """folium's Search (leaflet-search) over several layers, listing matches as text."""

    _template = Template("""
        {% macro script(this, kwargs) %}
        var {{ this.get_name() }} = new L.Control.Search({
            layer: L.featureGroup([{% for l in this.layers %}{{ l.get_name() }},{% endfor %}]),
            propertyName: "n", marker: false, initial: false, collapsed: true,
            position: "topleft", zoom: 15,
            textPlaceholder: {{ this.placeholder|tojson }}, textErr: {{ this.err|tojson }},
            textCancel: {{ this.cancel|tojson }},
            buildTip: PG.searchTip,
            moveToLocation: function (latlng, title, map) {
                var l = latlng.layer;  // an area: its extent; a marker: its place
                if (l && l.getBounds) { map.fitBounds(l.getBounds(), {maxZoom: 15}); }
                else { map.setView(latlng, Math.max(map.getZoom(), 15)); }
            }
        });
        {{ this.get_name() }}.on("search:locationfound", function (e) {
            if (e.layer.openPopup) { e.layer.openPopup(); }
        });
        {{ this._parent.get_name() }}.addControl({{ this.get_name() }});
        {% endmacro %}
    """)

    def __init__(self, layers, *, placeholder, err, cancel="Cancel"):
        MacroElement.__init__(self)
        self._name = "SafeSearch"
        self.layers = list(layers)
        self.placeholder = placeholder
        self.err = err
        self.cancel = cancel

    def render(self, **kwargs):
        # skip Search.render (it checks a single ``layer``); JSCSSMixin adds the plugin files
        super(Search, self).render(**kwargs)


class LayerMiniMap(MiniMap):
    """folium's MiniMap showing the basemap's tiles, or, with no basemap, the county outlines."""

    _template = Template("""
        {% macro script(this, kwargs) %}
        {% if this.tiles %}
        var {{ this.get_name() }}_layer = L.tileLayer({{ this.tiles|tojson }},
            {{ this.tile_options|tojson }});
        {% else %}
        var {{ this.get_name() }}_layer = L.geoJSON({{ this.data_var }}, {
            style: {color: "#555", weight: 1, fillColor: "#bbb", fillOpacity: 0.3},
            interactive: false});
        {% endif %}
        var {{ this.get_name() }} = new L.Control.MiniMap({{ this.get_name() }}_layer, {
            toggleDisplay: true, position: "bottomright", zoomLevelOffset: -5,
            width: 140, height: 140, strings: {{ this.strings|tojson }}});
        {{ this._parent.get_name() }}.addControl({{ this.get_name() }});
        {% endmacro %}
    """)

    def __init__(self, *, tiles=None, tile_options=None, data_var=None, strings=None):
        MacroElement.__init__(self)
        self._name = "LayerMiniMap"
        self.strings = strings or {"hideText": "Hide minimap", "showText": "Show minimap"}
        self.tiles = tiles
        self.tile_options = tile_options or {}
        self.data_var = data_var


class _Core(Element):
    """``templates/parkgeo.js`` and ``PG.init(...)`` with the page's data.

    Serialised when the page renders, after every layer has put its text into the lexicon.
    """

    def __init__(self, js, strings, platforms, kinds, lexicon):
        super().__init__()
        self.js, self.strings, self.platforms, self.kinds = js, strings, platforms, kinds
        self.lexicon = lexicon

    def render(self, **kwargs):
        return (f"{self.js}\nPG.init({safe_json(self.strings)}, {safe_json(self.platforms)}, "
                f"{safe_json(self.kinds)}, {safe_json(self.lexicon.table)});")


def compact_platforms(platforms, lexicon):
    """Platform records as ``PG.init`` reads them: ``[name, county, sub-zones, colour,
    indicators, targets]`` (keys once, in the lexicon)."""
    return {pid: [lexicon.text(p["name"]), lexicon.ref(p["county"]), p["n_sub_zones"],
                  p["colour"], lexicon.indicators(p["ind"]), lexicon.indicators(p["targets"])]
            for pid, p in platforms.items()}


def add_core(fmap, strings, platforms, lexicon):
    """Add ``templates/parkgeo.js`` and its data (strings, platforms, kind styles, the page's
    :class:`~parkgeo.publish.compact.Lexicon`) to the page.

    Added to the figure's script before anything renders, so ``PG`` exists before any layer.
    """
    kinds = {k: {"color": v["color"], "weight": v["weight"], "dash": v["dash"],
                 "fill": v["fill"], "fill_opacity": v["fill_opacity"]}
             for k, v in KIND_STYLE.items()}
    js = (TEMPLATES / "parkgeo.js").read_text(encoding="utf-8")
    core = _Core(js, dict(strings), compact_platforms(platforms, lexicon), kinds, lexicon)
    fmap.get_root().script.add_child(core, name="parkgeo_core")
    add_css(fmap, (TEMPLATES / "parkgeo.css").read_text(encoding="utf-8"), name="parkgeo_css")


def add_css(fmap, css, *, name):
    """Add a style sheet (our own text) to the page head."""
    fmap.get_root().header.add_child(Element(f"<style>{css}</style>"), name=name)


def add_html(fmap, markup, *, name):
    """Add markup to the page body (callers escape every data value in it)."""
    fmap.get_root().html.add_child(Element(markup), name=name)


class LeafletStrings(MacroElement):
    """Leaflet's own words in the page's language: the zoom buttons' and the layer switch's
    titles and the attribution's link (Leaflet has no locale option, so the controls it has
    built are retitled once every control is on the map)."""

    _template = Template("""
        {% macro script(this, kwargs) %}
        (function (map, s) {
            if (map.attributionControl) {
                map.attributionControl.setPrefix('<a href="https://leafletjs.com" title="' +
                    s.leaflet + '">Leaflet</a>');
            }
            setTimeout(function () {
                [[".leaflet-control-zoom-in", s.zoom_in],
                 [".leaflet-control-zoom-out", s.zoom_out],
                 [".leaflet-control-layers-toggle", s.layers]].forEach(function (c) {
                    map.getContainer().querySelectorAll(c[0]).forEach(function (a) {
                        a.title = c[1];
                        a.setAttribute("aria-label", c[1]);
                    });
                });
            }, 0);
        })({{ this._parent.get_name() }}, {{ this.words|tojson }});
        {% endmacro %}
    """)

    def __init__(self, strings):
        MacroElement.__init__(self)
        self._name = "LeafletStrings"
        # escaped here: the attribution prefix is set as HTML
        self.words = {k: esc(strings[k]) for k in ("zoom_in", "zoom_out", "layers")}
        self.words["leaflet"] = esc(strings["leaflet_title"])


def add_controls(fmap, strings, *, lang, search_layers, base, minimap_data_var):
    """Search, full screen, measure (in mu for Chinese), minimap and scale controls, and
    Leaflet's own controls retitled in ``lang``."""
    fmap.add_child(LeafletStrings(strings))
    if search_layers:
        fmap.add_child(SafeSearch(search_layers, placeholder=strings["search"],
                                  err=strings["search_none"], cancel=strings["search_cancel"]))
    Fullscreen(position="topleft", title=strings["fullscreen"],
               title_cancel=strings["fullscreen_exit"]).add_to(fmap)
    MeasureControl(position="topleft", primary_length_unit="meters",
                   secondary_length_unit="kilometers", primary_area_unit="mu",
                   secondary_area_unit="hectares",
                   localization="cn" if lang == "zh" else "en",
                   units={"mu": {"factor": 15 / 10000, "display": strings["mu"],
                                 "decimals": 1}}).add_to(fmap)
    minimap = {"hideText": strings["minimap_hide"], "showText": strings["minimap_show"]}
    if base.layers:
        url, attribution, subdomains = base.layers[0]
        options = {"attribution": attribution}
        if subdomains:
            options["subdomains"] = subdomains
        fmap.add_child(LayerMiniMap(tiles=url, tile_options=options, strings=minimap))
    elif minimap_data_var:
        fmap.add_child(LayerMiniMap(data_var=minimap_data_var, strings=minimap))


#: the page's viewport: phone width, pinch-zoom allowed (a map is read by zooming in)
VIEWPORT = '<meta name="viewport" content="width=device-width, initial-scale=1" />'
#: folium's Map template hard-codes ``maximum-scale=1.0, user-scalable=no``, with no option
_FOLIUM_VIEWPORT = re.compile(r'<meta name="viewport"[^>]*>')


def page_html(fmap, *, size_budget_mb=SIZE_BUDGET_MB):
    """Render ``fmap`` to one self-contained HTML string (scripts and styles inlined), with a
    viewport that lets phones pinch-zoom."""
    text = inline_assets(fmap.get_root().render())
    text, n = _FOLIUM_VIEWPORT.subn(VIEWPORT, text, count=1)
    if n == 0:
        text = text.replace("<head>", "<head>" + VIEWPORT, 1)
    size_mb = len(text.encode("utf-8")) / 1e6
    if size_mb > size_budget_mb:
        warnings.warn(f"the map is {size_mb:.1f} MB, over the {size_budget_mb:g} MB budget: it "
                      "will load slowly; drop optional layers (protected, plots) or split the "
                      "map by county", stacklevel=3)
    return text
