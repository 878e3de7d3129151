"""A web map of validation findings (``parkgeo validate --html``), self-contained and offline.

The page shows the dataset's zones and parks as grey outlines for orientation, the offending
geometries (overlaps, parts outside a county, moved boundaries, slivers) filled by severity, and
one marker per finding; clicking a marker or an area shows the finding. Built with folium, with
Leaflet inlined from the installed packages by :func:`parkgeo.publish.assets.inline_assets`, so
it opens with no internet. No basemap tiles are loaded.

Every text from the data (ids, names, messages) is escaped with :func:`html.escape` before it is
put in a popup, and the data is embedded as JSON made safe for ``<script>``.
"""

from __future__ import annotations

import html
import json

import numpy as np
import shapely

from .findings import FINDINGS_CRS, RULES

__all__ = ["render_findings_map", "write_findings_map"]

COLOURS = {"error": "#d62728", "warning": "#ff7f0e"}
#: above this many zones and parks, only those named by a finding are drawn for context
CONTEXT_LIMIT = 5000
#: counties are drawn for orientation up to this many (a province); not for the whole country
COUNTY_LIMIT = 300
#: decimals kept in degrees (1e-6° ≈ 0.1 m)
DECIMALS = 6

_JS_ESCAPES = {"<": "\\u003c", ">": "\\u003e", "&": "\\u0026", "'": "\\u0027",
               "\u2028": "\\u2028", "\u2029": "\\u2029",
               # branca compiles each rendered script as a Jinja template again: a "{{" or "{%"
               # from the data would run as Python at build time (JSON's braces never pair so)
               "{{": "{\\u007b", "{%": "{\\u0025", "{#": "{\\u0023"}


def _safe_json(obj):
    """JSON text safe inside ``<script>`` (no ``</script>``, ``<!--``, line separators)."""
    text = json.dumps(obj, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
    for ch, rep in _JS_ESCAPES.items():
        text = text.replace(ch, rep)
    return text


def _esc(value):
    text = html.escape("" if value is None else str(value), quote=True)
    # braces as entities: branca renders elements as Jinja templates (see _JS_ESCAPES)
    return text.replace("{", "&#123;").replace("}", "&#125;")


def _popup(f):
    rows = [("rule", f.rule + (f" ({f.policy})" if f.policy else "")), ("severity", f.severity),
            ("layer", f.layer), ("id", f.id), ("field", f.field), ("other", f.other)]
    cells = "".join(f"<tr><th>{_esc(k)}</th><td>{_esc(v)}</td></tr>" for k, v in rows if v)
    todo = RULES[f.rule].todo if f.rule in RULES else ""
    return (f"<table class='pgv'>{cells}</table><p class='pgv'>{_esc(f.message)}</p>"
            + (f"<p class='pgv'><i>→ {_esc(todo)}</i></p>" if todo else ""))


def _geojson(geom):
    rounded = shapely.transform(geom, lambda c: np.round(c, DECIMALS))
    return json.loads(shapely.to_geojson(rounded))


def _context(dataset, report):
    """GeoJSON features of the zones and parks (outlines), in lon/lat."""
    if dataset is None:
        return []
    import geopandas as gpd

    named = {(f.layer, f.id) for f in report.findings}
    total = sum(len(dataset.layers[k]) for k in ("zones", "parks") if k in dataset.layers)
    feats = []
    counties = dataset.layers.get("counties")
    if isinstance(counties, gpd.GeoDataFrame) and counties.crs is not None and \
            0 < len(counties) <= COUNTY_LIMIT:
        try:
            geo = counties.geometry.to_crs(FINDINGS_CRS)
        except Exception:  # a wrong CRS: its findings say so
            geo = gpd.GeoSeries([])
        names = counties["name"].astype(str).to_numpy() if "name" in counties else \
            [""] * len(counties)
        for g, n in zip(geo.values, names, strict=False):
            if g is not None and not g.is_empty:
                feats.append({"type": "Feature", "geometry": _geojson(g),
                              "properties": {"kind": "counties", "tip": _esc(n)}})
    for key, id_field in (("zones", "zone_id"), ("parks", "park_id")):
        frame = dataset.layers.get(key)
        if not isinstance(frame, gpd.GeoDataFrame) or frame.crs is None or not len(frame):
            continue
        ids = frame[id_field].astype(str).to_numpy() if id_field in frame else \
            np.array([f"#{i}" for i in range(len(frame))])
        keep = np.ones(len(frame), dtype=bool)
        if total > CONTEXT_LIMIT:
            keep = np.array([(key, i) in named for i in ids], dtype=bool)
        keep &= frame.geometry.notna().to_numpy() & ~frame.geometry.is_empty.to_numpy()
        sub = frame[keep]
        if not len(sub):
            continue
        try:
            geo = sub.geometry.to_crs(FINDINGS_CRS)
        except Exception:  # a layer whose CRS is wrong cannot be drawn; its findings say so
            continue
        names = sub["name"].astype(str).to_numpy() if "name" in sub else [""] * len(sub)
        for g, i, n in zip(geo.values, ids[keep], names, strict=True):
            if g is None or g.is_empty:
                continue
            feats.append({"type": "Feature", "geometry": _geojson(g),
                          "properties": {"kind": key,
                                         "tip": _esc(f"{key[:-1]} {i}" + (f" {n}" if n else ""))}})
    return feats


def render_findings_map(report, *, dataset=None, title=None):
    """The findings as a self-contained offline HTML page (a string).

    Parameters
    ----------
    report : ValidationReport
    dataset : Dataset, optional
        Its zones and parks are drawn as grey outlines for orientation.
    title : str, optional

    Examples
    --------
    >>> html_text = render_findings_map(report, dataset=ds)     # doctest: +SKIP
    """
    import folium
    from branca.element import Element, MacroElement
    from folium.template import Template

    from ..publish.assets import OFFLINE_CSS, OFFLINE_JS, inline_assets

    points, areas = [], []
    for f in report.findings:
        props = {"severity": f.severity, "popup": _popup(f),
                 "tip": _esc(f"{f.rule}: {f.where()}")}
        if f.geometry is not None and not shapely.is_empty(f.geometry) and \
                shapely.get_type_id(f.geometry) in (3, 6, 7):
            areas.append({"type": "Feature", "geometry": _geojson(f.geometry),
                          "properties": props})
        if f.x is not None and f.y is not None:
            points.append({"type": "Feature", "properties": props,
                           "geometry": {"type": "Point",
                                        "coordinates": [round(f.x, DECIMALS),
                                                        round(f.y, DECIMALS)]}})
    context = _context(dataset, report)
    xy = [p["geometry"]["coordinates"] for p in points]
    for feat in context:
        b = shapely.bounds(shapely.geometry.shape(feat["geometry"]))
        xy += [[b[0], b[1]], [b[2], b[3]]]
    if xy:
        arr = np.asarray(xy, dtype=float)
        bounds = [[float(arr[:, 1].min()), float(arr[:, 0].min())],
                  [float(arr[:, 1].max()), float(arr[:, 0].max())]]
    else:
        bounds = [[30.2, 120.2], [31.1, 121.4]]  # Jiaxing, when there is nothing to show
    fmap = folium.Map(tiles=None, max_zoom=19, prefer_canvas=True)
    fmap.default_js = list(OFFLINE_JS)
    fmap.default_css = list(OFFLINE_CSS)
    page_title = title or f"parkgeo validate — {report.dataset or ''}"
    fmap.get_root().title = _esc(page_title)  # the template does not escape it
    fmap.fit_bounds(bounds)

    class _Findings(MacroElement):
        _template = Template("""
            {% macro script(this, kwargs) %}
            (function(map) {
              var colours = {{ this.colours }};
              var ctx = L.geoJSON({{ this.context }}, {
                style: function(f) { var k = f.properties.kind, z = k === "zones";
                  if (k === "counties") { return {color: "#bbb", weight: 2, fill: false}; }
                  return {color: z ? "#555" : "#999", weight: z ? 1.5 : 1,
                          dashArray: z ? "4 3" : null, fill: false}; },
                onEachFeature: function(f, l) { l.bindTooltip(f.properties.tip); }
              }).addTo(map);
              var areas = L.geoJSON({{ this.areas }}, {
                style: function(f) { var c = colours[f.properties.severity] || "#333";
                  return {color: c, weight: 1, fillColor: c, fillOpacity: 0.45}; },
                onEachFeature: function(f, l) { l.bindPopup(f.properties.popup, {maxWidth: 420});
                  l.bindTooltip(f.properties.tip); }
              }).addTo(map);
              var pts = L.geoJSON({{ this.points }}, {
                pointToLayer: function(f, ll) { var c = colours[f.properties.severity] || "#333";
                  return L.circleMarker(ll, {radius: 6, color: "#fff", weight: 1.5, fillColor: c,
                                             fillOpacity: 0.95}); },
                onEachFeature: function(f, l) { l.bindPopup(f.properties.popup, {maxWidth: 420});
                  l.bindTooltip(f.properties.tip); }
              }).addTo(map);
              L.control.layers(null, {{ this.names }}.reduce(function(o, n, i) {
                o[n] = [ctx, areas, pts][i]; return o; }, {}), {collapsed: false}).addTo(map);
              L.control.scale({imperial: false}).addTo(map);
            })({{ this._parent.get_name() }});
            {% endmacro %}
        """)

        def __init__(self):
            super().__init__()
            self._name = "Findings"
            self.colours = _safe_json(COLOURS)
            self.context = _safe_json({"type": "FeatureCollection", "features": context})
            self.areas = _safe_json({"type": "FeatureCollection", "features": areas})
            self.points = _safe_json({"type": "FeatureCollection", "features": points})
            self.names = _safe_json(["counties, zones (dashed) and parks", "offending areas",
                                     "findings"])

    fmap.add_child(_Findings())
    summary = report.summary
    legend = (
        "<div class='pgv-legend'><b>" + _esc(page_title) + "</b><br>"
        + f"<span style='color:{COLOURS['error']}'>●</span> {summary['errors']:,} errors &nbsp; "
        + f"<span style='color:{COLOURS['warning']}'>●</span> {summary['warnings']:,} warnings"
        + "".join(f"<br>{_esc(rule)}: {sum(c.values()):,}"
                  for rule, c in summary["by_rule"].items())
        + "</div>")
    style = ("<style>.pgv-legend{position:absolute;bottom:24px;right:10px;z-index:1000;"
             "background:#fff;padding:6px 9px;border-radius:4px;font:12px sans-serif;"
             "box-shadow:0 1px 4px rgba(0,0,0,.3)}table.pgv th{text-align:left;padding-right:8px}"
             "p.pgv{margin:6px 0 0;max-width:400px}"
             ".leaflet-container.leaflet-container{background:#f4f4f0}</style>")
    fmap.get_root().header.add_child(Element(style))
    fmap.get_root().html.add_child(Element(legend))
    return inline_assets(fmap.get_root().render())


def write_findings_map(report, path, *, dataset=None, overwrite=False, title=None):
    """Write :func:`render_findings_map` to ``path`` atomically; return the path."""
    from .._atomic import write_text_atomic

    text = render_findings_map(report, dataset=dataset, title=title)
    return write_text_atomic(path, text, overwrite=overwrite)
