"""The map of validation findings (``parkgeo validate --html``), built with the published maps'
renderer (:mod:`parkgeo.publish`): one self-contained HTML file that works offline.

What it shows:

- the dataset's counties, zones (their four boundaries, dashed) and parks, as context in the
  consolidation map's style (:data:`parkgeo.publish.style.KIND_STYLE`);
- one marker per finding, coloured by severity and shaped by rule group (schema ■,
  geometry ◆, topology ●, place ▲, statute: a shield), and under it the offending geometry (the
  overlap, the part outside the county, the moved part, the sliver) as a highlighted area;
- tooltips and popups with the rule, layer, feature id, field, severity, the message and what
  to do (:data:`parkgeo.validate.findings.RULES`); a park's or zone's popup lists its findings;
- a legend by rule with counts, a layer control with one layer per rule (grouped by rule group),
  search by feature id, full screen, measure (mu in Chinese), scale and minimap, and a summary
  panel with the counts by rule and severity as the terminal prints them.

Labels are Chinese by default (``lang="en"`` for English); the messages, with their measured
numbers, are the JSON report's ``message_zh`` (Chinese) or ``message`` (English). No basemap
is loaded unless one is asked for (:mod:`parkgeo.publish.basemaps`; Gaode's GCJ-02 offset is
applied to every overlay).

The page is built from the consolidation map's parts (:mod:`parkgeo.publish.elements`: the
offline page, ``PG``, compact records and encoded geometry, search, measure, minimap); its own
script, ``PGV`` in ``publish/templates/findings.js``, draws the markers, areas and context.
Every value from the data reaches the page as JSON made safe for ``<script>`` (no ``</script>``,
no Jinja delimiters: branca compiles rendered scripts as templates a second time) and is escaped
by ``PG.esc`` when a label is built, or by :func:`~parkgeo.publish.elements.esc` in the panels.
"""

from __future__ import annotations

import contextlib
import math
import warnings
from pathlib import Path

import numpy as np
import shapely

from ..validate.findings import FINDINGS_CRS, RULES, areal_part

__all__ = ["build_findings_map", "render_findings_map", "write_findings_map", "RULE_GROUP",
           "GROUPS", "marker_svg"]

#: rule groups, in the order the legend and the layer control list them
GROUPS = ("schema", "geometry", "topology", "place", "statute")
#: the group of every rule id (RULES lists them in these groups)
RULE_GROUP = {
    "missing_layer": "schema", "empty_layer": "schema", "missing_field": "schema",
    "missing_crs": "schema", "wrong_crs": "schema", "duplicate_id": "schema",
    "outside_measured_zones": "schema", "join_unmatched": "schema",
    "bad_value": "schema",
    "empty_geometry": "geometry", "wrong_geometry_type": "geometry",
    "invalid_geometry": "geometry", "sliver": "geometry",
    "overlap": "topology", "invalid_coverage": "topology",
    "unknown_county": "place", "outside_county": "place", "in_protected_area": "place",
    "area_exceeds_approved": "statute", "boundary_changed": "statute", "park_added": "statute",
    "approved_area_differs_from_catalogue": "statute", "unknown_catalogue_code": "statute",
    "ambiguous_catalogue_name": "statute", "approved_area_from_catalogue": "statute",
    "industry_unrecognised": "schema",
    "developable_overstated": "statute", "landuse_overlap": "topology", "landuse_gap": "topology",
    "landuse_bad_code": "schema",
}
#: marker shape of each rule group, SVG in a 20 x 20 box
SHAPES = {
    "schema": '<rect x="3.5" y="3.5" width="13" height="13" rx="1"/>',
    "geometry": '<path d="M10 1.2 18.8 10 10 18.8 1.2 10Z"/>',
    "topology": '<circle cx="10" cy="10" r="7.6"/>',
    "place": '<path d="M10 1.6 18.8 17.6H1.2Z"/>',
    "statute": '<path d="M10 1.4 17.6 4.4V10c0 4.2-3.2 7.4-7.6 8.6C5.6 17.4 2.4 14.2 2.4 '
               '10V4.4Z"/>',
}
#: above this many zones and parks, only the ones a finding names are drawn for context
CONTEXT_LIMIT = 5000
#: counties drawn for orientation up to this many (China has 2,875: ~3 MB of page); above
#: it only those holding a finding
COUNTY_LIMIT = 5000
#: a layer with one of these findings has no coordinates to draw
_BAD_CRS = ("missing_crs", "wrong_crs", "outside_measured_zones")
#: the bounds shown when nothing can be placed (Jiaxing)
_DEFAULT_BOUNDS = [[30.2, 120.2], [31.1, 121.4]]
#: unplaced findings listed in the summary panel (the rest are counted)
_UNPLACED_LIMIT = 20


def marker_svg(group, colour, size=20):
    """The marker of a rule group in ``colour`` (our own markup: no data in it)."""
    return (f'<svg width="{size}" height="{size}" viewBox="0 0 20 20"><g fill="{colour}" '
            f'stroke="#fff" stroke-width="1.6">{SHAPES.get(group, SHAPES["topology"])}</g></svg>')


# -- the page's script -------------------------------------------------------------------------

def _read_template(name):
    """A file of the published maps' templates: ``findings.js`` (``PGV``, the findings runtime
    on top of ``PG``) or ``findings.css``."""
    from .elements import TEMPLATES

    return (TEMPLATES / name).read_text(encoding="utf-8")


def _elements():
    """The folium elements of the findings map (imported when a map is built)."""
    from branca.element import Element, MacroElement
    from folium.template import Template

    from .display import safe_json

    class FindingsCore(Element):
        """``PGV`` (the findings runtime) and its data; serialised as is, never as a
        template, like ``PG``'s core."""

        def __init__(self, strings, rules, colours):
            super().__init__()
            self.strings, self.rules, self.colours = strings, rules, colours

        def render(self, **kwargs):
            return (f"{_read_template('findings.js')}\nPGV.init({safe_json(self.strings)}, "
                    f"{safe_json(self.rules)}, {safe_json(self.colours)}, "
                    f"{safe_json(SHAPES)});")

    class Start(MacroElement):
        """The areas' pane and the panels' rule links, before any layer is added."""

        _template = Template("""
            {% macro script(this, kwargs) %}
            PGV.start({{ this._parent.get_name() }});
            {% endmacro %}
        """)

    class RuleLayer(MacroElement):
        """One rule's markers and offending areas (JSON text, made safe for scripts)."""

        _template = Template("""
            {% macro script(this, kwargs) %}
            var {{ this.get_name() }} = PGV.rule({{ this.markers }}, PG.decode({{ this.areas }}), {{ this._parent.get_name() }});
            {% endmacro %}
        """)  # noqa: E501

        def __init__(self, markers, areas):
            super().__init__()
            self._name = "RuleLayer"
            self.markers, self.areas = markers, areas

    class ContextLayer(MacroElement):
        """Counties, zones or parks (compact features, decoded by ``PG.decode``)."""

        _template = Template("""
            {% macro script(this, kwargs) %}
            var {{ this.get_name() }}_data = PG.decode({{ this.data }});
            var {{ this.get_name() }} = PGV.context({{ this.get_name() }}_data, {{ this._parent.get_name() }});
            {% endmacro %}
        """)  # noqa: E501

        def __init__(self, data):
            super().__init__()
            self._name = "ContextLayer"
            self.data = data

    return FindingsCore, Start, RuleLayer, ContextLayer


# -- data --------------------------------------------------------------------------------------

def _lonlat(geoms, crs):
    """Polygonal parts of ``geoms`` in lon/lat (EPSG:4490); None where none lands on Earth."""
    import geopandas as gpd
    from pyproj.exceptions import CRSError, ProjError

    parts = np.array([areal_part(g) for g in geoms], dtype=object)
    if not len(parts):
        return parts
    try:
        out = np.asarray(gpd.GeoSeries(parts, crs=crs).to_crs(FINDINGS_CRS).values,
                         dtype=object)
    except (CRSError, ProjError, ValueError):  # a CRS pyproj cannot use: its findings say so
        return np.full(len(parts), None, dtype=object)
    return _on_earth(out)


def _on_earth(geoms):
    """``geoms`` with None where a coordinate is not a finite longitude/latitude."""
    geoms = np.asarray(geoms, dtype=object)
    if not len(geoms):
        return geoms
    with np.errstate(invalid="ignore"):
        b = shapely.bounds(geoms)
        ok = np.isfinite(b).all(axis=1) & (b[:, 0] >= -180) & (b[:, 2] <= 180) & \
            (b[:, 1] >= -90) & (b[:, 3] <= 90)
    out = geoms.copy()
    out[~ok] = None
    return out


def _text(value):
    """A field value as display text ('' for missing)."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    return str(value).strip()


class _Context:
    """The dataset's counties, zones and parks as display geometry and compact records."""

    def __init__(self, dataset, report, lex, points):
        import geopandas as gpd

        from ..validate import feature_ids, feature_names

        self.layers = {}  # key -> (geometries in lon/lat, records)
        if dataset is None:
            return
        bad = {f.layer for f in report.findings if f.rule in _BAD_CRS}
        named = {(f.layer, f.id) for f in report.findings}
        frames = {k: dataset.layers.get(k) for k in ("counties", "zones", "parks")}
        frames = {k: v for k, v in frames.items()
                  if isinstance(v, gpd.GeoDataFrame) and v.crs is not None and len(v)
                  and k not in bad}
        total = sum(len(frames[k]) for k in ("zones", "parks") if k in frames)
        for key, frame in frames.items():
            ids = feature_ids(frame, key)
            keep = np.ones(len(frame), dtype=bool)
            if key != "counties" and total > CONTEXT_LIMIT:
                keep = np.array([(key, i) in named for i in ids], dtype=bool)
            rows = np.flatnonzero(keep)
            geoms = _lonlat(np.asarray(frame.geometry.values, dtype=object)[rows], frame.crs)
            drawn = np.array([g is not None for g in geoms], dtype=bool)
            rows, geoms = rows[drawn], geoms[drawn]
            if key == "counties":
                names = [_text(v) for v in frame["name"]] if "name" in frame else \
                    [""] * len(frame)
                if len(rows) > COUNTY_LIMIT:
                    sel = self._holding(geoms, points, [names[r] for r in rows], named)
                    rows, geoms = rows[sel], geoms[sel]
                geoms = self._simplified(geoms)
                records = [{"k": "county", "n": lex.text(names[r] or ids[r])} for r in rows]
            else:
                names = feature_names(frame, key)
                county = [_text(v) for v in frame["county"]] if "county" in frame else \
                    [""] * len(frame)
                records = []
                for r in rows:
                    rec = {"k": key[:-1], "l": key, "d": ids[r],
                           "n": lex.text(f"{ids[r]} {names[r]}".strip())}
                    if county[r]:
                        rec["co"] = lex.ref(county[r])
                    records.append(rec)
            if len(rows):
                self.layers[key] = (geoms, records)

    @staticmethod
    def _holding(geoms, points, names, named):
        """Counties that hold a finding's point or are named by a finding (a country's worth of
        counties would make the page heavy for no gain)."""
        sel = np.array([("counties", n) in named for n in names], dtype=bool)
        if len(points):
            pts = shapely.points(np.asarray(points, dtype=float))
            # invalid counties: only the named ones are drawn
            with contextlib.suppress(shapely.errors.GEOSException):
                _, hit = shapely.STRtree(geoms).query(pts, predicate="intersects")
                sel[np.unique(hit)] = True
        return sel

    @staticmethod
    def _simplified(geoms):
        """County outlines simplified as the consolidation map simplifies them (shared edges
        moved once); as they are where the coverage cannot be simplified."""
        import geopandas as gpd

        from .display import simplify_layers

        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                shown = simplify_layers({"counties": gpd.GeoSeries(geoms, crs=FINDINGS_CRS)})
            return np.asarray(shown["counties"].values, dtype=object)
        except (shapely.errors.GEOSException, ValueError):
            return geoms


def _rule_order(report):
    """Rule ids of the report in RULES order (unknown ids last)."""
    order = {r: i for i, r in enumerate(RULES)}
    return sorted({f.rule for f in report.findings}, key=lambda r: (order.get(r, 99), r))


def _place(f):
    """(lon, lat, offending area) of a finding in EPSG:4490; (None, None, area) if unplaced."""
    area = areal_part(f.geometry)
    if area is not None and _on_earth([area])[0] is None:
        area = None
    x, y = f.x, f.y
    if x is None or y is None or not (math.isfinite(x) and math.isfinite(y)) or \
            not (-180 <= x <= 180 and -90 <= y <= 90):
        x = y = None
        if area is not None:
            try:
                pt = shapely.point_on_surface(area)
            except shapely.errors.GEOSException:
                pt = shapely.centroid(area)
            if not pt.is_empty:
                x, y = pt.x, pt.y
    return x, y, area


def _name(s, rule):
    return s[f"rule_{rule}"] if f"rule_{rule}" in s else rule


def _label(s, rule, lang):
    """A rule's name and, unless the English name just spells it, its id (muted)."""
    from .elements import esc

    name = _name(s, rule)
    if lang == "en" and name.lower().replace(" ", "_") == rule:
        return f'<span class="pgv-name">{esc(name)}</span>'
    return f'<span class="pgv-name">{esc(name)}<span class="pgv-id">{esc(rule)}</span></span>'


def _todo(rule, lang):
    """What to do about a rule's findings, in ``lang`` (RULES)."""
    info = RULES.get(rule)
    if info is None:
        return ""
    return (info.todo_zh or info.todo) if lang == "zh" else info.todo


def _colour(counts):
    from .style import SEVERITY_COLOURS

    return SEVERITY_COLOURS["error" if counts.get("error") else "warning"]


def _legend_html(s, report, lang, kinds, has_areas):
    """The legend: severities and rule markers (by group, with counts, a click zooms to the
    rule's findings), the offending areas, the context layers drawn."""
    from .elements import esc
    from .style import SEVERITY_COLOURS
    from .webmap import _swatch

    summary = report.summary
    by_rule = summary["by_rule"]
    present = {"error": summary["errors"], "warning": summary["warnings"],
               "info": summary.get("infos", 0)}
    out = "".join(f'<div class="pg-key">{marker_svg("topology", c, 14)}{esc(s["sev_" + k])}'
                  f'</div>' for k, c in SEVERITY_COLOURS.items() if present.get(k))
    for group in GROUPS:
        rules = [r for r in by_rule if RULE_GROUP.get(r, "topology") == group]
        if not rules:
            continue
        out += f'<div class="pg-sub">{esc(s["g_" + group])}</div>'
        for r in rules:
            n = sum(by_rule[r].values())
            out += (f'<div class="pg-key pgv-rule" data-pgv-rule="{esc(r)}" '
                    f'title="{esc(s["v_zoom_hint"])}">'
                    f'{marker_svg(group, _colour(by_rule[r]), 16)}{_label(s, r, lang)}'
                    f'<span class="pgv-count">{n:,}</span></div>')
    keys = ""
    if has_areas:
        err = SEVERITY_COLOURS["error"]
        keys += (f'<div class="pg-key"><svg width="22" height="14"><rect x="1" y="1" '
                 f'width="20" height="12" fill="{err}" fill-opacity="0.45" stroke="{err}" '
                 f'stroke-width="2"/></svg>{esc(s["legend_finding_area"])}</div>')
    labels = {"county": "legend_county", "zone": "legend_zone", "park": "legend_park"}
    keys += "".join(f'<div class="pg-key">{_swatch(k)}{esc(s[labels[k]])}</div>'
                    for k in labels if k in kinds)
    if out and keys:
        keys = '<div class="pg-sub"></div>' + keys
    return (f'<div class="pg-panel pg-legend" id="pg-legend"><div class="pg-head">'
            f'{esc(s["legend"])}</div>{out}{keys}</div>')


def _summary_html(s, report, unplaced, lang):
    from .elements import esc

    summary = report.summary
    e, w = summary["errors"], summary["warnings"]
    out = [f'<div class="pg-panel pg-summary pgv-summary" id="pg-summary"><div class="pg-head">'
           f'{esc(s["v_summary"])}</div>']
    if report.dataset:
        out.append(f'<div>{esc(s["v_dataset"])}: {esc(Path(report.dataset).name)}</div>')
    if report.baseline:
        out.append(f'<div>{esc(s["v_baseline"])}: {esc(Path(report.baseline).name)}</div>')
    if report.layers:
        from ..i18n import translated

        checked = " · ".join(f"{esc(translated(s, 'data_layer_', k))} {v:,}"
                             for k, v in report.layers.items())
        out.append(f'<div>{esc(s["v_checked"])}: {checked}</div>')
    if not report.findings:
        out.append(f'<div class="pgv-verdict pg-met"><b>{esc(s["v_clean"])}</b></div>')
    else:
        verdict = s["v_verdict_errors"] if e else s["v_verdict_warnings"]
        out.append(f'<div class="pgv-verdict"><b class="{"pg-short" if e else ""}">'
                   f'{esc(s["v_errors"])} {e:,}</b> · <b class="{"pgv-warn" if w else ""}">'
                   f'{esc(s["v_warnings"])} {w:,}</b> — {esc(verdict)}</div>')
        rows = "".join(
            f'<tr class="pgv-rule" data-pgv-rule="{esc(r)}" title="{esc(s["v_zoom_hint"])}">'
            f'<td>{_label(s, r, lang)}</td><td>{_count(c.get("error", 0))}</td>'
            f'<td>{_count(c.get("warning", 0))}</td>'
            f'<td>{esc(RULES[r].policy or "") if r in RULES else ""}</td></tr>'
            for r, c in summary["by_rule"].items())
        out.append(f'<table><tr><th>{esc(s["v_rule"])}</th><th>{esc(s["v_errors"])}</th>'
                   f'<th>{esc(s["v_warnings"])}</th><th>{esc(s["v_policy"])}</th></tr>'
                   f'{rows}</table>')
    if unplaced:
        items = "".join(
            f'<li><b>{esc(_name(s, f.rule))}</b> {esc(f.where(lang))}: {esc(f.text(lang))}</li>'
            for f in unplaced[:_UNPLACED_LIMIT])
        if len(unplaced) > _UNPLACED_LIMIT:
            items += f"<li>… (+{len(unplaced) - _UNPLACED_LIMIT:,})</li>"
        out.append(f'<div class="pg-sub">{esc(s["v_unplaced"])}</div>'
                   f'<ul class="pgv-list">{items}</ul>')
    shown = report.notes_zh if lang == "zh" else report.notes
    if shown:
        notes = "".join(f"<li>{esc(n)}</li>" for n in shown)
        out.append(f'<div class="pg-sub">{esc(s["v_notes"])}</div>'
                   f'<ul class="pgv-list">{notes}</ul>')
    return "".join(out) + "</div>"


def _count(n):
    return f"{n:,}" if n else "-"


def _bounds(xy):
    """((S, W), (N, E)) of lon/lat pairs, widened to at least ~1 km."""
    if not len(xy):
        return _DEFAULT_BOUNDS
    arr = np.asarray(xy, dtype=float)
    w, s = arr.min(axis=0)
    e, n = arr.max(axis=0)
    pad_x, pad_y = max(0.0, (0.01 - (e - w)) / 2), max(0.0, (0.01 - (n - s)) / 2)
    return [[float(s - pad_y), float(w - pad_x)], [float(n + pad_y), float(e + pad_x)]]


# -- the map -----------------------------------------------------------------------------------

def build_findings_map(report, *, dataset=None, title=None, basemap="none", lang="zh",
                       tianditu_key=None):
    """The findings map as a folium Map (see the module docstring for what it shows).

    Parameters are those of :func:`render_findings_map`.

    Examples
    --------
    >>> fmap = build_findings_map(report, dataset=ds, lang="en")   # doctest: +SKIP
    """
    import folium
    import geopandas as gpd
    from folium.plugins import GroupedLayerControl

    from ..i18n import check_lang, strings
    from .basemaps import add_basemap
    from .basemaps import basemap as get_basemap
    from .compact import Lexicon
    from .display import feature_collection, round_coords, safe_json
    from .elements import add_controls, add_core, add_css, add_html, esc, new_map
    from .gcj02 import shift_geometries, wgs84_to_gcj02
    from .style import SEVERITY_COLOURS

    check_lang(lang)
    base = get_basemap(basemap, lang=lang, tianditu_key=tianditu_key)
    s = strings(lang)
    FindingsCore, Start, RuleLayer, ContextLayer = _elements()

    names = []
    if dataset is not None:
        for key, cols in (("counties", ("name",)), ("zones", ("name", "county")),
                          ("parks", ("name", "county", "town"))):
            frame = dataset.layers.get(key)
            for col in cols:
                if frame is not None and col in getattr(frame, "columns", ()):
                    names += [v for v in frame[col] if isinstance(v, str)]
    lex = Lexicon(names)

    def display(geoms):
        """Rounded to the maps' 1e-5 degree grid, shifted to GCJ-02 for Gaode."""
        series = gpd.GeoSeries(list(geoms), crs=FINDINGS_CRS)
        if base.gcj02:
            series = shift_geometries(series)
        return round_coords(series)

    # the findings, rule by rule: a marker each, and the offending area where there is one
    placed, unplaced = {}, []
    for f in report.findings:
        x, y, area = _place(f)
        if x is None:
            unplaced.append(f)
            continue
        placed.setdefault(f.rule, []).append((f, x, y, area))
    points = [(x, y) for items in placed.values() for _, x, y, _ in items]
    context = _Context(dataset, report, lex, points)

    xy = list(points)
    for key in ("zones", "parks"):
        if key in context.layers:
            b = shapely.bounds(context.layers[key][0])
            xy += [p for row in b for p in ((row[0], row[1]), (row[2], row[3]))]
    if not any(k in context.layers for k in ("zones", "parks")) and "counties" in \
            context.layers and not points:
        b = shapely.bounds(context.layers["counties"][0])
        xy += [p for row in b for p in ((row[0], row[1]), (row[2], row[3]))]
    bounds = _bounds(xy)
    if base.gcj02:
        sw = wgs84_to_gcj02(bounds[0][1], bounds[0][0])
        ne = wgs84_to_gcj02(bounds[1][1], bounds[1][0])
        bounds = [[float(sw[1]), float(sw[0])], [float(ne[1]), float(ne[0])]]

    if title is None:
        title = s["title_validate"]
        if report.dataset:
            title += f" — {Path(report.dataset).name}"
    fmap = new_map(bounds, base=base, title=esc(title))
    add_basemap(fmap, base)
    add_core(fmap, s, {}, lex)
    rules = {r: {"name": _name(s, r), "g": RULE_GROUP.get(r, "topology"),
                 "policy": RULES[r].policy if r in RULES else None, "todo": _todo(r, lang)}
             for r in _rule_order(report)}
    fmap.get_root().script.add_child(FindingsCore(dict(s), rules, SEVERITY_COLOURS),
                                     name="parkgeo_findings")
    add_css(fmap, _read_template("findings.css"), name="pgv_css")
    fmap.add_child(Start())

    # context first (drawn below), then one layer per rule
    ctx_groups, kinds, search, minimap_var = [], set(), [], None
    for key, label in (("counties", "layer_counties"), ("zones", "layer_zones"),
                       ("parks", "layer_parks")):
        if key not in context.layers:
            continue
        geoms, records = context.layers[key]
        fg = folium.FeatureGroup(name=esc(s[label]))
        layer = ContextLayer(feature_collection(display(geoms), records))
        fg.add_child(layer)
        fg.add_to(fmap)
        ctx_groups.append(fg)
        kinds.add({"counties": "county", "zones": "zone", "parks": "park"}[key])
        if key == "counties":
            minimap_var = layer.get_name() + "_data"
        else:
            search.append(layer)

    by_rule = report.summary["by_rule"]
    rule_groups = {g: [] for g in GROUPS}
    has_areas = False
    for rule in _rule_order(report):
        items = placed.get(rule, [])
        if not items:  # listed in the summary panel: nothing to switch on or off
            continue
        group = RULE_GROUP.get(rule, "topology")
        counts = by_rule.get(rule, {})
        label = (f'{marker_svg(group, _colour(counts), 14)} {_label(s, rule, lang)} '
                 f'({sum(counts.values()):,})')
        fg = folium.FeatureGroup(name=label)
        xs = np.array([x for _, x, _, _ in items], dtype=float)
        ys = np.array([y for _, _, y, _ in items], dtype=float)
        if base.gcj02 and len(xs):
            xs, ys = wgs84_to_gcj02(xs, ys)
        markers, areas, area_props, seen = [], [], [], {}
        for j, ((f, _, _, area), x, y) in enumerate(zip(items, xs, ys, strict=True)):
            search_label = f"{f.id or f.layer or rule} · {_name(s, rule)}"
            seen[search_label] = seen.get(search_label, 0) + 1
            if seen[search_label] > 1:
                search_label += f" ({seen[search_label]})"
            rec = {"n": lex.text(search_label), "r": f.rule, "s": f.severity,
                   "m": lex.text(f.text(lang))}
            for k, v in (("l", f.layer), ("d", f.id), ("f", f.field), ("o", f.other)):
                if v:
                    rec[k] = v
            markers.append([rec, round(float(x), 6), round(float(y), 6)])
            if area is not None:
                areas.append(area)
                area_props.append({"j": j})
        has_areas = has_areas or bool(areas)
        area_data = feature_collection(display(areas), area_props) if areas else '{"f":[]}'
        layer = RuleLayer(safe_json(markers), area_data)
        fg.add_child(layer)
        fg.add_to(fmap)
        search.append(layer)
        rule_groups[group].append(fg)

    groups = {esc(s["g_" + g]): fgs for g, fgs in rule_groups.items() if fgs}
    if ctx_groups:
        groups[esc(s["group_context"])] = ctx_groups
    if groups:
        GroupedLayerControl(groups, exclusive_groups=False, collapsed=True).add_to(fmap)
    add_controls(fmap, {**s, "search": s["search_id"]}, lang=lang, search_layers=search,
                 base=base, minimap_data_var=minimap_var)
    add_html(fmap, f'<div class="pg-panel pg-title" id="pg-title">{esc(title)}</div>',
             name="pg_title")
    add_html(fmap, _legend_html(s, report, lang, kinds, has_areas), name="pg_legend")
    add_html(fmap, _summary_html(s, report, unplaced, lang), name="pg_summary")
    return fmap


def render_findings_map(report, *, dataset=None, title=None, basemap="none", lang="zh",
                        tianditu_key=None):
    """The findings as a self-contained offline HTML page (a string).

    Parameters
    ----------
    report : ValidationReport
    dataset : Dataset, optional
        The dataset validated: its counties, zones and parks are drawn for context (only the
        features a finding names when there are more than 5,000 zones and parks).
    title : str, optional
        Default: "数据校验问题图 — <file>" (by language).
    basemap : {"none", "osm", "tianditu-vec", "tianditu-img", "gaode"}
        ``none`` (the default) needs no network at all.
    lang : {"zh", "en"}
        Language of every label and of the findings' messages.
    tianditu_key : str, optional
        Tianditu key (else ``TIANDITU_KEY``); visible in the HTML.

    Examples
    --------
    >>> from parkgeo.read import read_dataset
    >>> from parkgeo.validate import validate_dataset
    >>> ds = read_dataset("layers/jiaxing.gpkg", strict=False)          # doctest: +SKIP
    >>> html_text = render_findings_map(validate_dataset(ds), dataset=ds) # doctest: +SKIP
    """
    from .elements import page_html

    return page_html(build_findings_map(report, dataset=dataset, title=title, basemap=basemap,
                                        lang=lang, tianditu_key=tianditu_key))


def write_findings_map(report, path, *, dataset=None, overwrite=False, title=None,
                       basemap="none", lang="zh", tianditu_key=None):
    """Write :func:`render_findings_map` to ``path`` atomically; return the path.

    Refuses an existing file unless ``overwrite`` (before anything is drawn).

    Examples
    --------
    >>> write_findings_map(report, "findings.html", dataset=ds, lang="en")   # doctest: +SKIP
    """
    from .._atomic import check_output, write_text_atomic

    check_output(path, overwrite=overwrite)
    text = render_findings_map(report, dataset=dataset, title=title, basemap=basemap,
                               lang=lang, tianditu_key=tianditu_key)
    return write_text_atomic(path, text, overwrite=overwrite)
