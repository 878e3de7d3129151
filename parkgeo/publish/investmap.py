"""The investment-attraction map (招商地图, T7): platforms, their industries and their land.

One card per major platform — leading industry chains and featured industries (T1, GB/T 4754
divisions by name), indicators against T2–T4, developable space, contact fields where the data
has them — in a side list that zooms the map to the platform; plots for investors coloured by
status; a filter by industry that shows which platforms welcome it; a print layout that puts
the cards on paper before the map.
"""

from __future__ import annotations

import geopandas as gpd
import pandas as pd

from .._atomic import check_output, write_text_atomic
from .basemaps import add_basemap
from .display import feature_collection, safe_json
from .elements import GeoLayer, add_controls, add_core, add_css, add_html, esc, new_map, page_html
from .i18n import strings
from .style import PLOT_COLOURS
from .webmap import _fc, _value, prepare

__all__ = ["render_invest_map", "write_invest_map", "division_names", "platform_industries"]

def _divisions():
    from ..measure._common import divisions

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
    from ..measure.targets import _leading_and_featured, division_shares
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
        out[pid] = _leading_and_featured(shares, t)
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


def _card(s, rec, pid, industries, names, plots_mu, contact, scenario, lang):
    t, c = scenario.targets, scenario.consolidate
    leading, featured = industries
    sep = "、" if lang == "zh" else ", "

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
            contact_rows += f"<div>{esc(s[label])}: {esc(value)}</div>"
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


_INVEST_JS = """
(function () {
  var map = %(map)s, layers = %(layers)s, bounds = %(bounds)s, welcome = %(welcome)s;
  /* the side list narrows the map after Leaflet measured it: measure again, then fit */
  map.invalidateSize();
  map.fitBounds(%(all)s);
  function show(pid, on) {
    var layer = layers[pid];
    if (!layer) { return; }
    if (on && !map.hasLayer(layer)) { map.addLayer(layer); }
    if (!on && map.hasLayer(layer)) { map.removeLayer(layer); }
  }
  var cards = document.querySelectorAll(".pg-card");
  function filter(code) {
    var shown = 0;
    cards.forEach(function (card) {
      var pid = card.getAttribute("data-pid");
      var ok = !code || (welcome[pid] || []).indexOf(code) >= 0;
      card.classList.toggle("pg-hidden", !ok);
      show(pid, ok);
      if (ok) { shown += 1; }
    });
    document.getElementById("pg-nomatch").style.display = shown ? "none" : "block";
  }
  document.getElementById("pg-filter").addEventListener("change", function (e) {
    filter(e.target.value);
  });
  cards.forEach(function (card) {
    card.querySelector(".pg-zoom").addEventListener("click", function () {
      var b = bounds[card.getAttribute("data-pid")];
      if (b) { map.fitBounds(b, {maxZoom: 15}); }
    });
  });
  PG.state.filter = filter;
})();
"""

_INVEST_CSS = """
.pg-side { position: fixed; top: 0; bottom: 0; left: 0; }
.folium-map { position: absolute !important; left: 360px !important; top: 0; bottom: 0;
  right: 0; width: auto !important; height: auto !important; }
@media print {
  .pg-side { position: static; }
  .folium-map { position: relative !important; left: 0 !important; height: 160mm !important;
    width: 100% !important; page-break-before: always; }
}
"""


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

    from ..scenario import Scenario

    scenario = scenario or Scenario()
    res, base, prep = prepare(result, basemap_name=basemap, lang=lang,
                              tianditu_key=tianditu_key)
    s = strings(lang)
    title = title or s["title_invest"]
    names = division_names(lang)
    fmap = new_map(prep.bounds, base=base, title=title)
    add_basemap(fmap, base)
    add_core(fmap, s, prep.platforms, prep.lex)
    add_css(fmap, _INVEST_CSS, name="pg_invest_css")
    minimap_var = None
    if res.counties is not None and len(res.counties):
        data, _ = _fc(prep.county_geoms, res.counties, prep.county_props)
        layer = GeoLayer(data)
        fmap.add_child(layer)
        minimap_var = layer.get_name() + "_data"

    industries = platform_industries(res, scenario)
    zones, parks = res.zones, res.parks
    plots = res.plots
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
    side = (f'<div class="pg-side" id="pg-side"><h1>{esc(title)}</h1>'
            f'<label class="pg-filter">{esc(s["industry_filter"])}'
            f'<select id="pg-filter"><option value="">{esc(s["all_industries"])}</option>'
            f'{options}</select></label>'
            f'<div class="pg-nomatch" id="pg-nomatch">{esc(s["no_match"])}</div>'
            f'<div class="pg-legend-inline">{esc(s["plots_legend"])}: {plot_keys}</div>'
            f'{"".join(cards)}<div class="pg-unknown">{esc(s["generated"])}</div></div>')
    add_html(fmap, side, name="pg_side")

    class _InvestScript(MacroElement):
        _template = Template("{% macro script(this, kwargs) %}{{ this.js }}{% endmacro %}")

        def __init__(self, js):
            super().__init__()
            self.js = js

    layers_js = "{" + ",".join(f"{safe_json(pid)}:{name}" for pid, name in layer_names.items()) \
        + "}"
    fmap.add_child(_InvestScript(_INVEST_JS % {
        "map": fmap.get_name(), "layers": layers_js, "bounds": safe_json(bounds),
        "welcome": safe_json(welcome), "all": safe_json(prep.bounds)}))
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
