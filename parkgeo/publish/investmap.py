"""The investment-attraction map (招商地图, T7): platforms, their industries and their land.

One card per major platform — leading industry chains and featured industries (T1, GB/T 4754
divisions by name), indicators against T2–T4, developable space, contact fields where the data
has them, phone numbers and websites as links — in a side list that zooms the map to the
platform (on a phone: a sheet pulled up from the bottom; a platform tapped on the map opens its
card); plots for investors coloured by status; a filter by industry that shows which platforms
welcome it; on paper, the whole city and then a page per platform with its card and its map.
"""

from __future__ import annotations

import re

import geopandas as gpd
import pandas as pd
import shapely

from .._atomic import check_output, write_text_atomic
from ..i18n import strings, tr
from .basemaps import add_basemap
from .display import feature_collection, safe_json
from .elements import GeoLayer, add_controls, add_core, add_css, add_html, esc, new_map, page_html
from .style import PLOT_COLOURS
from .webmap import _fc, _value, prepare

__all__ = ["render_invest_map", "write_invest_map", "division_names", "platform_industries"]

def _divisions():
    from ..measure.common import divisions

    return divisions()


def division_names(lang="zh"):
    """GB/T 4754-2017 division code (``"C38"``) → name in ``lang``.

    Examples
    --------
    >>> division_names("zh")["C38"]
    '电气机械和器材制造业'
    """
    i = 0 if lang == "zh" else 1
    return {code: names[i] for code, names in _divisions().items()}


def platform_industries(res, scenario=None):
    """T1 per platform: ``{platform_id: (leading divisions, featured divisions)}``.

    The platform's value added is split over the GB/T 4754 divisions of its members (main zone
    and sub-zones), as :mod:`parkgeo.measure.targets` measures T1; divisions with at least the
    scenario's ``leading_share`` lead (two at most), other divisions with ``featured_share``
    are featured.
    """
    from ..measure.targets import division_shares, leading_and_featured
    from ..scenario import Scenario

    t = (scenario or Scenario()).targets
    from .webmap import zone_platforms

    zones, parks = res.zones, res.parks
    zp = zone_platforms(res)
    out = {}
    for _, prow in res.platforms.iterrows():
        pid = prow["platform_id"]
        z = zones[zones["zone_id"].map(lambda zid, pid=pid: zp.get(zid, (None,))[0] == pid)]
        p = parks[(parks["decision"] == "sub_zone") & (parks["platform_id"] == pid)]
        members = pd.DataFrame({
            "member_id": list(z["zone_id"]) + list(p["park_id"]),
            "industrial_va_100m": list(z.get("industrial_va_100m", pd.Series([None] * len(z))))
            + list(p.get("industrial_va_100m", pd.Series([None] * len(p)))),
            "industries": list(z.get("industries", pd.Series([""] * len(z))))
            + list(p.get("industries", pd.Series([""] * len(p)))),
        })
        shares, _ = division_shares(members)
        out[pid] = leading_and_featured(shares, t)
    return out


def _threshold_rows(s, t, c):
    """(label key, indicator key, threshold, is share, rule id): indicators against T2–T4."""
    return (
        ("f_developable_mu", "developable_mu", c.min_developable_mu, False, "R4"),
        ("f_industrial_va_100m", "industrial_va_100m", t.va_100m, False, "T4"),
        ("f_high_tech_va_share", "high_tech_va_share", t.high_tech_share, True, "T2"),
        ("f_rd_share", "rd_share", t.rd_share, True, "T2"),
        ("f_output_per_mu_10k", "output_per_mu_10k", t.output_per_mu_10k, False, "T3"),
        ("f_tax_per_mu_10k", "tax_per_mu_10k", t.tax_per_mu_10k, False, "T3"),
        ("f_firms_over_10bn", "firms_over_10bn", t.firms_over_10bn, False, "T4"),
        ("f_listed_firms", "listed_firms", t.listed_firms, False, "T4"),
    )


def _num(v, share=False):
    if v is None:
        return "—"
    if share:
        return f"{v * 100:.1f}%"
    return f"{v:,.0f}" if abs(v) >= 100 else f"{v:,.2f}".rstrip("0").rstrip(".")


def _tel(value):
    """A ``tel:`` link target from a phone number as written (digits and a leading +), or
    None when it has no digits."""
    text = str(value).strip()
    digits = re.sub(r"[^0-9]", "", text)
    if not digits:
        return None
    return "tel:" + ("+" if text.startswith("+") else "") + digits


#: a web address as written in the data: host, optional port, a path of the characters RFC 3986
#: allows (no quotes, spaces or angle brackets), with or without ``http(s)://``
_WEB = re.compile(r"(?i)^(https?://)?[a-z0-9-]+(\.[a-z0-9-]+)+(:\d+)?"
                  r"(/[a-z0-9._~:/?#\[\]@!$&'()*+,;=%-]*)?$")


def _web(value):
    """An ``https:`` (or ``http:``) link target from a website as written, or None: a bare host
    name gets ``https://``; any other scheme (``javascript:``, ``data:``), or a character a web
    address cannot hold, is never a link."""
    text = str(value).strip()
    m = _WEB.match(text)
    if not m:
        return None
    return text if m.group(1) else "https://" + text


def _contact(s, key, label, value):
    """One contact line; phone numbers and websites as links (every part escaped)."""
    href = _tel(value) if key == "contact_phone" else _web(value) if key == "website" else None
    shown = esc(value)
    if href:
        extra = ' target="_blank" rel="noopener noreferrer"' if key == "website" else ""
        shown = f'<a href="{esc(href)}"{extra}>{shown}</a>'
    return f'<div class="pg-contact">{esc(s[label])}: {shown}</div>'


def _card(s, rec, pid, industries, names, plots_mu, contact, scenario, lang):
    t, c = scenario.targets, scenario.consolidate
    leading, featured = industries
    sep = tr("invest.list_separator", lang)

    def ind_list(codes):
        return sep.join(esc(names.get(code, code)) for code in codes) or "—"
    rows = []
    for label, key, threshold, share, rule in _threshold_rows(s, t, c):
        v = rec["ind"].get(key)
        if v is None:
            mark = f'<span class="pg-unknown">{esc(s["unknown"])}</span>'
        elif v >= threshold:
            mark = '<span class="pg-met">✓</span>'
        else:
            mark = '<span class="pg-notmet">✗</span>'
        rows.append(f"<tr><th>{esc(s[label])}</th><td>{_num(v, share)}</td>"
                    f"<td>≥{_num(threshold, share)} ({rule})</td><td>{mark}</td></tr>")
    contact_rows = ""
    for key, label in (("contact_name", "f_contact"), ("contact_phone", "f_phone"),
                       ("website", "f_website")):
        value = contact.get(key)
        if value:
            contact_rows += _contact(s, key, label, value)
    dev = rec["ind"].get("developable_mu")
    return (
        f'<div class="pg-card" data-pid="{esc(pid)}" style="border-left-color:{rec["colour"]}">'
        f'<h2>{esc(rec["name"])}</h2><div>{esc(s["f_county"])}: {esc(rec["county"])}</div>'
        f'<div><b>{esc(s["leading_chains"])}</b>: {ind_list(leading)}</div>'
        f'<div><b>{esc(s["featured"])}</b>: {ind_list(featured)}</div>'
        f'<div><b>{esc(s["developable"])}</b>: {_num(dev)} {esc(s["mu"])} · '
        f'{esc(s["plots_available"])}: {_num(plots_mu)} {esc(s["mu"])}</div>'
        f'<table class="pg-table pg-ind"><tr><th>{esc(s["f_indicator"])}</th>'
        f'<td>{esc(s["f_value"])}</td><td>{esc(s["f_target"])}</td><td></td></tr>'
        f'{"".join(rows)}</table>{contact_rows}'
        f'<button type="button" class="pg-zoom">{esc(s["zoom_to"])}</button></div>')


def _svg_map(parts, *, label, context=(), over=()):
    """A small vector map for paper: ``parts`` are ``(geometries in EPSG:4326, fill, stroke,
    fill opacity)``, drawn with shapely's ``svg()`` in Web Mercator, north up, at their extent;
    ``context`` parts (same form) are drawn beneath, clipped to it, and ``over`` parts above.

    The printed investment map needs the whole city and each platform at their own extent, which
    a single on-screen Leaflet map cannot give on paper; our own markup, no data in it but the
    ``label`` (escaped).
    """
    def project(geoms):
        return gpd.GeoSeries([g for g in geoms if g is not None and not g.is_empty],
                             crs=4326).to_crs(3857)
    drawn = [(project(g), *rest) for g, *rest in parts]
    drawn = [d for d in drawn if len(d[0])]
    if not drawn:
        return ""
    minx, miny, maxx, maxy = gpd.GeoSeries(
        pd.concat([s for s, *_ in drawn], ignore_index=True), crs=3857).total_bounds
    pad = 0.06 * max(maxx - minx, maxy - miny, 1.0)
    minx, miny, maxx, maxy = minx - pad, miny - pad, maxx + pad, maxy + pad
    w, h = maxx - minx, maxy - miny
    def clip(extra):
        out = []
        for geoms, *rest in extra:
            series = project(geoms)
            if len(series):
                clipped = shapely.clip_by_rect(series.values, minx, miny, maxx, maxy)
                out.append((gpd.GeoSeries(clipped, crs=3857), *rest))
        return out
    # whole units of 1/2000 of the map: crisp on paper, short text
    unit = max(w, h) / 2000
    w, h = w / unit, h / unit
    groups = []
    for series, fill, stroke, opacity in clip(context) + drawn + clip(over):
        moved = shapely.set_precision(
            shapely.transform(series.values, lambda xy: (xy - [minx, miny]) / unit), 1.0)
        paths = "".join(g.svg(1.0, fill, opacity) for g in moved if not g.is_empty)
        groups.append(f'<g stroke="{stroke}">{paths.replace(".0,", ",").replace(".0 ", " ")}</g>')
    return (f'<svg class="pg-print-map" viewBox="0 0 {w:.0f} {h:.0f}" role="img" '
            f'aria-label="{esc(label)}" preserveAspectRatio="xMidYMid meet">'
            f'<g transform="matrix(1,0,0,-1,0,{h:.0f})">{"".join(groups)}</g></svg>')


_PRINT_CSS = """
.pg-print { display: none; }
@media print {
  @page { size: A4 portrait; margin: 12mm; }
  html, body { height: auto !important; overflow: visible !important; }
  .pg-side, .folium-map { display: none !important; }
  .pg-print { display: block; }
  .pg-print h1 { font-size: 18px; margin: 0 0 4mm; }
  .pg-print-map { display: block; width: 100%; height: 185mm; margin: 0 0 3mm; }
  .pg-print-map path { stroke: inherit; stroke-width: 0.7px;
    vector-effect: non-scaling-stroke; }
  .pg-print-keys { font-size: 11px; columns: 2; }
  .pg-print-keys span { display: inline-block; width: 10px; height: 10px;
    margin-right: 4px; }
  /* the key's swatches and the cards' colour bars are backgrounds and borders: printed even
     when the print dialog leaves background graphics out */
  .pg-print { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
  .pg-print-platform { break-before: page; }
  .pg-print-platform .pg-print-map { height: 120mm; }
  .pg-print .pg-card { border: 1px solid #999; border-left-width: 6px; font-size: 12px;
    box-sizing: border-box; max-width: 100%; }
  .pg-print .pg-zoom { display: none; }
}
"""


_INVEST_JS = """
(function () {
  var map = %(map)s, layers = %(layers)s, bounds = %(bounds)s, welcome = %(welcome)s;
  var openCard = %(open_card)s;
  /* the side list narrows the map after Leaflet measured it: measure again, then fit */
  map.invalidateSize();
  map.fitBounds(%(all)s);
  var side = document.getElementById("pg-side"), sheet = document.getElementById("pg-sheet");
  var narrow = window.matchMedia("(max-width: 640px)");
  /* on a phone the list is a sheet over the bottom of the map, pulled up by its handle */
  function pull(up) {
    side.classList.toggle("pg-open", up);
    sheet.setAttribute("aria-expanded", up ? "true" : "false");
  }
  sheet.addEventListener("click", function () {
    pull(!side.classList.contains("pg-open"));
  });
  function show(pid, on) {
    var layer = layers[pid];
    if (!layer) { return; }
    if (on && !map.hasLayer(layer)) { map.addLayer(layer); }
    if (!on && map.hasLayer(layer)) { map.removeLayer(layer); }
  }
  var cards = document.querySelectorAll(".pg-side .pg-card"), byPid = {}, printed = {};
  /* the printed pages follow the filter too */
  document.querySelectorAll(".pg-print-platform").forEach(function (s) {
    printed[s.getAttribute("data-pid")] = s;
  });
  function filter(code) {
    var shown = 0;
    cards.forEach(function (card) {
      var pid = card.getAttribute("data-pid");
      var ok = !code || (welcome[pid] || []).indexOf(code) >= 0;
      card.classList.toggle("pg-hidden", !ok);
      if (printed[pid]) { printed[pid].classList.toggle("pg-hidden", !ok); }
      show(pid, ok);
      if (ok) { shown += 1; }
    });
    document.getElementById("pg-nomatch").style.display = shown ? "none" : "block";
  }
  document.getElementById("pg-filter").addEventListener("change", function (e) {
    filter(e.target.value);
  });
  /* a platform's card: marked, and scrolled into the list (on a phone the sheet is pulled up
     only when asked, so the map and its popup stay in sight) */
  function pick(pid, up) {
    var card = byPid[pid];
    if (!card) { return; }
    cards.forEach(function (c) { c.classList.toggle("pg-picked", c === card); });
    if (up) { pull(true); }
    if (!narrow.matches || up) { card.scrollIntoView({block: "nearest"}); }
  }
  cards.forEach(function (card) {
    var pid = card.getAttribute("data-pid");
    byPid[pid] = card;
    card.querySelector(".pg-zoom").addEventListener("click", function () {
      pull(false);
      var b = bounds[pid];
      if (b) { map.fitBounds(b, {maxZoom: 15}); }
      pick(pid, false);
    });
  });
  /* tapping a platform on the map opens its popup and marks its card; the popup has a
     button that opens the card */
  Object.keys(layers).forEach(function (pid) {
    layers[pid].on("popupopen", function () { pick(pid, false); });
  });
  PG.state.popupExtra = function (pid) {
    return '<button type="button" class="pg-card-open" data-pid="' + PG.esc(pid) + '">' +
      PG.esc(openCard) + "</button>";
  };
  map.getContainer().addEventListener("click", function (e) {
    var b = e.target.closest && e.target.closest(".pg-card-open");
    if (!b) { return; }
    map.closePopup();
    pick(b.getAttribute("data-pid"), true);
  }, true);  /* capture: Leaflet stops clicks in a popup from bubbling */
  PG.state.filter = filter;
})();
"""

_INVEST_CSS = """
.pg-side { position: fixed; top: 0; bottom: 0; left: 0; z-index: 1001; }
.folium-map { position: absolute !important; left: 360px !important; top: 0; bottom: 0;
  right: 0; width: auto !important; height: auto !important; }
@media (max-width: 640px) {
  .folium-map { left: 0 !important; bottom: 52px !important; }
  .pg-side { top: auto; right: 0; width: auto; height: 52px; overflow: hidden; padding: 0 8px;
    border-right: none; border-top: 1px solid #ccc; border-radius: 12px 12px 0 0;
    box-shadow: 0 -2px 8px rgba(0, 0, 0, 0.25); transition: height 0.2s; }
  .pg-side.pg-open { height: 85vh; overflow-y: auto; }
  .pg-sheet { display: block; position: sticky; top: 0; z-index: 1; width: 100%;
    min-height: 50px; margin: 0; border: none; background: #fafafa; font: inherit;
    font-size: 15px; font-weight: 700; text-align: center; cursor: pointer; }
  .pg-sheet::before { content: ""; display: block; width: 40px; height: 4px; margin: 0 auto 6px;
    border-radius: 2px; background: #bbb; }
  .pg-side h1 { font-size: 16px; }
  .pg-side select { min-height: 44px; font-size: 16px; }
  .pg-card button, .pg-card-open { min-height: 44px; min-width: 44px; padding: 0 14px;
    font-size: 14px; }
  .pg-card a { display: inline-block; min-height: 44px; line-height: 44px; }
  .pg-card .pg-ind { display: block; overflow-x: auto; }
}
"""


def _print_pages(res, prep, s, title, cards):
    """What paper shows instead of the screen: the whole city (platforms coloured, county
    outlines, a key), then one page per platform with its card and its map."""
    parks = res.parks
    counties = list(prep.county_geoms) if prep.county_geoms is not None else []
    city = [(counties, "none", "#666", 1)]
    context = [(counties, "none", "#888", 1)]
    plot_parts = []
    plots = res.layer("plots")
    if plots is not None and len(plots) and prep.plot_geoms is not None:
        for status, colour in PLOT_COLOURS.items():
            mask = (plots["status"] == status).values
            plot_parts.append((list(prep.plot_geoms[mask]), colour, "#333", 0.9))
    keys = []
    per = []
    for (_, prow), card in zip(res.platforms.iterrows(), cards, strict=True):
        pid = prow["platform_id"]
        colour = prep.colours[pid]
        zmask = prep.zones_of(pid)
        pmask = ((parks["decision"] == "sub_zone") & (parks["platform_id"] == pid)).values
        zones, subs = list(prep.zone_geoms[zmask]), list(prep.park_geoms[pmask])
        city += [(zones, colour, colour, 0.8), (subs, colour, colour, 0.45)]
        keys.append(f'<div><span style="background:{colour}"></span>{esc(prow["name"])}</div>')
        own = _svg_map([(zones, colour, colour, 0.8), (subs, colour, colour, 0.45)],
                       label=prow["name"], context=context, over=plot_parts)
        per.append(f'<section class="pg-print-platform" data-pid="{esc(pid)}">{card}{own}'
                   f'</section>')
    return (f'<div class="pg-print" id="pg-print"><h1>{esc(title)}</h1>'
            f'{_svg_map(city, label=s["city_map"])}<div class="pg-print-keys">{"".join(keys)}'
            f'</div>{"".join(per)}</div>')


def render_invest_map(result, *, basemap="none", lang="zh", title=None, tianditu_key=None,
                      scenario=None):
    """Build the investment-attraction map of a consolidation result as a folium Map.

    Parameters are those of :func:`parkgeo.publish.webmap.render_map`; ``scenario`` supplies
    the T1–T4 thresholds shown on the cards (the plan's numbers by default).

    Examples
    --------
    >>> m = render_invest_map("out/result.gpkg", lang="en")            # doctest: +SKIP
    >>> write_invest_map("out/result.gpkg", out="out/invest.html")     # doctest: +SKIP
    """
    import folium
    from branca.element import MacroElement
    from folium.template import Template


    res, base, prep = prepare(result, basemap_name=basemap, lang=lang,
                              tianditu_key=tianditu_key)
    # the thresholds the result was consolidated under, unless the caller gives others
    scenario = scenario or res.scenario
    s = strings(lang, scenario)
    title = title or s["title_invest"]
    names = division_names(lang)
    fmap = new_map(prep.bounds, base=base, title=title)
    add_basemap(fmap, base)
    add_core(fmap, s, prep.platforms, prep.lex)
    add_css(fmap, _INVEST_CSS, name="pg_invest_css")
    minimap_var = None
    counties = res.layer("counties")
    if counties is not None and len(counties):
        data, _ = _fc(prep.county_geoms, counties, prep.county_props)
        layer = GeoLayer(data)
        fmap.add_child(layer)
        minimap_var = layer.get_name() + "_data"

    industries = platform_industries(res, scenario)
    zones, parks = res.zones, res.parks
    plots = res.layer("plots")
    layer_names, bounds, welcome, cards, search = {}, {}, {}, [], []
    owners = {}  # zone/park id -> platform id, for the plots' owner_id
    for zid, (pid, _) in prep.zone_platform.items():
        owners[zid] = pid
    for _, prk in parks[parks["decision"] == "sub_zone"].iterrows():
        owners[prk["park_id"]] = prk["platform_id"]
    for _, prow in res.platforms.iterrows():
        pid = prow["platform_id"]
        zmask = prep.zones_of(pid)
        pmask = ((parks["decision"] == "sub_zone") & (parks["platform_id"] == pid)).values
        geoms = pd.concat([prep.zone_geoms[zmask], prep.park_geoms[pmask]], ignore_index=True)
        props = ([prep.zone_props(r) for _, r in zones[zmask].iterrows()]
                 + [prep.park_props(r) for _, r in parks[pmask].iterrows()])
        fg = folium.FeatureGroup(name=esc(prow["name"]))
        layer = GeoLayer(feature_collection(gpd.GeoSeries(geoms, crs=4326), props))
        fg.add_child(layer)
        search.append(layer)
        fg.add_to(fmap)
        layer_names[pid] = fg.get_name()
        b = geoms.total_bounds
        bounds[pid] = [[float(b[1]), float(b[0])], [float(b[3]), float(b[2])]]
        leading, featured = industries[pid]
        welcome[pid] = list(leading) + list(featured)
        contact = {}
        zrow = zones[zones["zone_id"] == prow["main_zone_id"]]
        for key in ("contact_name", "contact_phone", "website"):
            if key in zrow and len(zrow):
                value = _value(zrow.iloc[0][key])
                if value not in (None, ""):
                    contact[key] = value
        plots_mu = None
        if plots is not None and "area_mu" in plots:
            mine = plots["owner_id"].astype(str).map(owners.get) == pid
            avail = mine & (plots["status"] == "available")
            plots_mu = float(plots.loc[avail, "area_mu"].fillna(0).sum())
        cards.append(_card(s, prep.platforms[pid], pid, industries[pid], names, plots_mu,
                           contact, scenario, lang))

    if plots is not None and len(plots):
        def plot_props(r):
            return {"n": prep.lex.text(r["plot_id"]), "k": "plot", "st": r["status"],
                    "c": PLOT_COLOURS.get(r["status"], "#777"),
                    "area": _value(r.get("area_mu")), "use": _value(r.get("land_use")) or "",
                    "price": _value(r.get("price_10k_yuan_per_mu"))}
        data, _ = _fc(prep.plot_geoms, plots, plot_props)
        fg = folium.FeatureGroup(name=esc(s["layer_plots"]))
        fg.add_child(GeoLayer(data))
        fg.add_to(fmap)

    add_controls(fmap, s, lang=lang, search_layers=search, base=base,
                 minimap_data_var=minimap_var)
    codes = sorted({c for w in welcome.values() for c in w})
    options = "".join(f'<option value="{esc(c)}">{esc(names.get(c, c))} ({esc(c)})</option>'
                      for c in codes)
    plot_keys = "".join(
        f'<span class="pg-key"><svg width="14" height="10"><rect width="14" height="10" '
        f'fill="{col}"/></svg> {esc(s["status_" + st])}</span> '
        for st, col in PLOT_COLOURS.items())
    side = (f'<div class="pg-side" id="pg-side"><button type="button" class="pg-sheet" '
            f'id="pg-sheet" aria-expanded="false">{esc(s["platform_list"])} '
            f'({len(cards)})</button><h1>{esc(title)}</h1>'
            f'<label class="pg-filter">{esc(s["industry_filter"])}'
            f'<select id="pg-filter"><option value="">{esc(s["all_industries"])}</option>'
            f'{options}</select></label>'
            f'<div class="pg-nomatch" id="pg-nomatch">{esc(s["no_match"])}</div>'
            f'<div class="pg-legend-inline">{esc(s["plots_legend"])}: {plot_keys}</div>'
            f'{"".join(cards)}<div class="pg-unknown">{esc(s["generated"])}</div></div>')
    add_html(fmap, side, name="pg_side")
    add_css(fmap, _PRINT_CSS, name="pg_print_css")
    add_html(fmap, _print_pages(res, prep, s, title, cards), name="pg_print")

    class _InvestScript(MacroElement):
        _template = Template("{% macro script(this, kwargs) %}{{ this.js }}{% endmacro %}")

        def __init__(self, js):
            super().__init__()
            self.js = js

    layers_js = "{" + ",".join(f"{safe_json(pid)}:{name}" for pid, name in layer_names.items()) \
        + "}"
    fmap.add_child(_InvestScript(_INVEST_JS % {
        "map": fmap.get_name(), "layers": layers_js, "bounds": safe_json(bounds),
        "welcome": safe_json(welcome), "all": safe_json(prep.bounds),
        "open_card": safe_json(s["open_card"])}))
    return fmap


def write_invest_map(result, *, out, basemap="none", lang="zh", title=None, tianditu_key=None,
                     scenario=None, overwrite=False):
    """Write the investment-attraction map as one offline HTML file (atomically).

    Examples
    --------
    >>> write_invest_map("out/result.gpkg", out="out/invest.html")   # doctest: +SKIP
    """
    check_output(out, overwrite=overwrite)
    fmap = render_invest_map(result, basemap=basemap, lang=lang, title=title,
                             tianditu_key=tianditu_key, scenario=scenario)
    return write_text_atomic(out, page_html(fmap), overwrite=overwrite)
