"""The consolidation map: zones, sub-zones, exits and platforms on one offline HTML page.

What it shows (T7, R3-R11): county boundaries; each zone's statutory four boundaries drawn as
such (dashed outline); sub-zones coloured by their major platform, the main platform in the
same hue but stronger, with a line from each sub-zone to its main platform; exit and excluded
parks styled apart; tooltips and popups (indicators, targets met or not); a legend; a layer
control grouped county → platform; search by name; full screen, measure, scale and minimap
controls; a summary panel with exits per county against the R11 quota.
"""

from __future__ import annotations

import contextlib
from pathlib import Path

import geopandas as gpd
import pandas as pd
import shapely

from .._atomic import check_output, write_text_atomic
from ..i18n import check_lang, strings, translated
from .basemaps import add_basemap, basemap
from .compact import Lexicon
from .display import feature_collection, round_coords, simplify_layers
from .elements import GeoLayer, add_controls, add_core, add_html, esc, new_map, page_html
from .result import INDICATORS, TARGETS, drawable
from .style import KIND_STYLE, platform_colours

__all__ = ["render_map", "write_map", "prepare"]

_PARK_IND = ("developable_mu", "industrial_va_100m")


def _value(v):
    """A JSON-ready scalar: NaN/None → None, numpy → Python."""
    if v is None:
        return None
    with contextlib.suppress(TypeError, ValueError):  # pd.isna of a list or array
        if pd.isna(v):
            return None
    if hasattr(v, "item"):
        v = v.item()
    if isinstance(v, float):
        return round(v, 4)
    return v


def platform_records(platforms, colours):
    """Per platform id: name, county, sub-zone count, indicators and target booleans."""
    out = {}
    for _, row in platforms.iterrows():
        pid = row["platform_id"]
        ind = {k: _value(row[k]) for k in INDICATORS if k in row.index}
        targets = {}
        for k in TARGETS:
            if k in row.index:
                v = _value(row[k])
                targets[k] = None if v is None else bool(v)
        out[pid] = {"name": row["name"], "county": row["county"],
                    "n_sub_zones": _value(row.get("n_sub_zones")), "ind": ind,
                    "targets": targets, "colour": colours[pid]}
    return out


def zone_platforms(res):
    """zone id → (platform id, ``"main"`` or ``"sub"``): main zones, and zones that the
    consolidation made sub-zones of a platform (``role == "sub_zone"``)."""
    out = {}
    known = set(res.platforms["platform_id"])
    zones = res.zones
    if "role" in zones and "platform_id" in zones:
        for zid, role, pid in zip(zones["zone_id"], zones["role"], zones["platform_id"],
                                  strict=True):
            if role == "sub_zone" and pid in known:
                out[zid] = (pid, "sub")
    for zid, pid in zip(res.platforms["main_zone_id"], res.platforms["platform_id"], strict=False):
        out[zid] = (pid, "main")
    return out


def _names(res):
    """The names other texts quote (counties, towns, zones, platforms), for the lexicon."""
    out = []
    for frame, cols in ((res.zones, ("name", "county")), (res.parks, ("county", "town")),
                        (res.platforms, ("name", "county")), (res.layer("counties"), ("name",))):
        if frame is None:
            continue
        for col in cols:
            if col in frame:
                out += [v for v in frame[col] if isinstance(v, str)]
    return out


class Prepared:
    """Display-ready layers shared by both maps (one pass of simplification), and the page's
    :class:`~parkgeo.publish.compact.Lexicon` their records point into."""

    def __init__(self, res, *, gaode, lang="zh"):
        self.res = res
        self.lang = lang
        zones, parks = res.zones, res.parks
        areas = pd.concat([zones.geometry, parks.geometry], ignore_index=True)
        groups = {"areas": gpd.GeoSeries(areas, crs=4326)}
        for name in ("counties", "protected", "plots"):
            frame = res.layer(name)
            groups[name] = None if frame is None else frame.geometry
        shown = simplify_layers(groups, gaode=gaode)
        n = len(zones)
        self.zone_geoms = gpd.GeoSeries(shown["areas"].values[:n], crs=4326)
        self.park_geoms = gpd.GeoSeries(shown["areas"].values[n:], crs=4326)
        self.county_geoms = shown["counties"]
        self.protected_geoms = shown["protected"]
        self.plot_geoms = shown["plots"]
        pids = list(res.platforms["platform_id"])
        self.colours = platform_colours(pids)
        self.zone_platform = zone_platforms(res)
        self.platforms = platform_records(res.platforms, self.colours)
        self.lex = Lexicon(_names(res))
        allb = pd.concat([self.zone_geoms, self.park_geoms]).total_bounds
        self.bounds = [[float(allb[1]), float(allb[0])], [float(allb[3]), float(allb[2])]]

    def zones_of(self, pid):
        """Boolean mask of the zones drawn with platform ``pid`` (its main zone and sub-zones)."""
        zp = self.zone_platform
        return self.res.zones["zone_id"].map(lambda z: zp.get(z, (None, None))[0] == pid).values

    def _indicators(self, row):
        return self.lex.indicators({k: _value(row[k]) for k in _PARK_IND if k in row.index})

    def zone_props(self, row):
        """Compact record of a zone (see :mod:`parkgeo.publish.compact`)."""
        pid, kind = self.zone_platform.get(row["zone_id"], (None, "zone"))
        props = {"n": self.lex.text(row["name"]), "k": kind, "co": self.lex.ref(row["county"])}
        if pid is not None:
            props["p"] = pid
            props["c"] = self.colours[pid]
        else:
            props["i"] = self._indicators(row)
        return props

    def reason(self, row):
        """A park's reason in the map's language: ``reason_zh`` on a Chinese map where the
        result has it (``parkgeo integrate`` writes both), else ``reason``."""
        if self.lang == "zh":
            zh = row.get("reason_zh")
            if isinstance(zh, str) and zh.strip():
                return zh
        return row["reason"]

    def park_props(self, row):
        """Compact record of a park: name, kind, county, town, reason, platform or indicators."""
        decision = row["decision"]
        pid = row["platform_id"] if decision == "sub_zone" else ""
        kind = {"sub_zone": "sub", "exit": "exit", "excluded": "excluded"}[decision]
        props = {"n": self.lex.text(row["name"]), "k": kind, "co": self.lex.ref(row["county"])}
        if row["town"]:
            props["t"] = self.lex.ref(row["town"])
        reason = self.reason(row)
        if reason:
            props["r"] = self.lex.text(reason)
        if pid and pid in self.colours:
            props["p"] = pid
            props["c"] = self.colours[pid]
        else:
            props["i"] = self._indicators(row)
        return props

    def county_props(self, row):
        """Compact record of a county boundary."""
        return {"n": self.lex.text(row.get("name", "")), "k": "county"}


def prepare(result, *, basemap_name="none", lang="zh", tianditu_key=None):
    """Load a result and build the display layers (shared by both maps)."""
    check_lang(lang)
    base = basemap(basemap_name, lang=lang, tianditu_key=tianditu_key)
    res = drawable(result)
    return res, base, Prepared(res, gaode=base.gcj02, lang=lang)


def _swatch(kind, colour="#1f77b4"):
    st = KIND_STYLE[kind]
    stroke = st["color"] or colour
    fill = st["fill"] or colour
    dash = f' stroke-dasharray="{st["dash"]}"' if st["dash"] else ""
    if kind == "link":
        return (f'<svg width="22" height="14"><line x1="1" y1="7" x2="21" y2="7" '
                f'stroke="{stroke}" stroke-width="{st["weight"]}"{dash}/></svg>')
    return (f'<svg width="22" height="14"><rect x="1" y="1" width="20" height="12" '
            f'fill="{fill}" fill-opacity="{st["fill_opacity"]}" stroke="{stroke}" '
            f'stroke-width="{st["weight"]}"{dash}/></svg>')


def legend_html(s, kinds, platforms):
    """The legend panel: one key per kind drawn, then the platform colours (escaped names)."""
    labels = {"main": "legend_main", "sub": "legend_sub", "link": "legend_link",
              "zone": "legend_zone", "exit": "legend_exit", "excluded": "legend_excluded",
              "county": "legend_county", "protected": "legend_protected",
              "developable": "legend_developable"}
    keys = "".join(f'<div class="pg-key">{_swatch(k)}{esc(s[labels[k]])}</div>'
                   for k in labels if k in kinds)
    plats = ""
    items = list(platforms.values())
    if items:
        shown = items[:20]
        plats = f'<div class="pg-sub">{esc(s["legend_platform_colours"])}</div>' + "".join(
            f'<div class="pg-key">{_swatch("main", p["colour"])}{esc(p["name"])}</div>'
            for p in shown)
        if len(items) > len(shown):
            plats += f"<div>… (+{len(items) - len(shown)})</div>"
    return (f'<div class="pg-panel pg-legend" id="pg-legend"><div class="pg-head">'
            f'{esc(s["legend"])}</div>{keys}{plats}</div>')


def summary_html(s, res):
    """Summary panel: platforms, sub-zones and exits; exits per county against R11; R4 floors."""
    quota = res.r11_quota()
    parks = res.parks
    n_sub = int((parks["decision"] == "sub_zone").sum())
    n_exit = int((parks["decision"] == "exit").sum())
    n_plat = len(res.platforms)
    r4 = ""
    if "meets_R4" in res.platforms:
        ok = int(res.platforms["meets_R4"].fillna(False).astype(bool).sum())
        r4 = f'<div>{esc(s["s_floors"])}: <b>{ok}</b> / {n_plat}</div>'
    rows = "".join(
        f'<tr><td>{esc(r.county)}</td><td>{r.platforms}</td><td>{r.n_parks}</td>'
        f'<td class="{"pg-short" if r.exits < r.quota else ""}">{r.exits} / {r.quota}</td></tr>'
        for r in quota.itertuples())
    return (f'<div class="pg-panel pg-summary" id="pg-summary"><div class="pg-head">'
            f'{esc(s["summary"])}</div>'
            f'<div>{esc(s["s_platforms"])}: <b>{n_plat}</b> · {esc(s["s_sub_zones"])}: '
            f'<b>{n_sub}</b> · {esc(s["s_exits"])}: <b>{n_exit}</b></div>{r4}'
            f'<table><tr><th>{esc(s["s_county"])}</th><th>{esc(s["s_platforms"])}</th>'
            f'<th>{esc(s["s_parks"])}</th><th>{esc(s["s_quota"])}</th></tr>{rows}</table></div>')


def _links(prep):
    """Lines from each sub-zone to its main platform's zone (on display geometry)."""
    res = prep.res
    zone_pt = {}
    for zid, g in zip(res.zones["zone_id"], prep.zone_geoms.values, strict=False):
        if g is not None and not g.is_empty:
            zone_pt[zid] = shapely.point_on_surface(g)
    main_zone = dict(zip(res.platforms["platform_id"], res.platforms["main_zone_id"], strict=False))
    lines, props = [], []
    subs = [(row["platform_id"], g) for (_, row), g in zip(res.parks.iterrows(),
                                                          prep.park_geoms.values, strict=False)
            if row["decision"] == "sub_zone"]
    subs += [(prep.zone_platform[z][0], g) for z, g in zip(res.zones["zone_id"],
                                                          prep.zone_geoms.values, strict=False)
             if prep.zone_platform.get(z, (None, None))[1] == "sub"]
    for pid, g in subs:
        if g is None or g.is_empty:
            continue
        target = zone_pt.get(main_zone.get(pid))
        if target is None:
            continue
        start = shapely.point_on_surface(g)
        lines.append(shapely.LineString([start, target]))
        # links are not interactive: colour only, no name (it would only add bytes)
        props.append({"k": "link", "c": prep.colours[pid], "_p": pid})
    # on the same 1e-5 degree grid as the areas they join
    return round_coords(gpd.GeoSeries(lines, crs=4326)), props


def _fc(geoms, frame, fn, mask=None):
    rows = list(frame.iterrows())
    sel = [i for i, (_, r) in enumerate(rows) if mask is None or mask(r)]
    return feature_collection(gpd.GeoSeries([geoms.values[i] for i in sel], crs=4326),
                              [fn(rows[i][1]) for i in sel]), len(sel)


def _layer_name(name, taken):
    """Layer-control label: escaped (the control sets innerHTML) and unique."""
    label = esc(name)
    while label in taken:
        label += " "
    taken.add(label)
    return label


def _developable_layer(space, prep, s, gaode, taken):
    """The measured developable land (``parkgeo space``'s GeoPackage) as a feature group.

    Coverage-simplified at 5 m like the other areas (the land of two features never overlaps);
    drawn without pointer events, so that the parks' tooltips and popups under it still work.
    """
    import folium

    from .space import read_developable_land

    land = read_developable_land(space) if isinstance(space, str | Path) else space
    if not len(land):
        return None
    shown = simplify_layers({"developable": land.geometry.reset_index(drop=True)}, gaode=gaode)
    props = [{"n": str(r.get("name") or r["id"]), "k": "developable", "id": str(r["id"]),
              "m": None if pd.isna(r.get("developable_mu")) else round(float(
                  r["developable_mu"]), 1)} for _, r in land.iterrows()]
    fg = folium.FeatureGroup(name=_layer_name(s["layer_developable"], taken))
    fg.add_child(GeoLayer(feature_collection(shown["developable"], props), interactive=False))
    return fg


def render_map(result, *, basemap="none", lang="zh", title=None, tianditu_key=None,
               space=None):
    """Build the consolidation map of a result GeoPackage (or dict of layers) as a folium Map.

    Parameters
    ----------
    result : ConsolidationResult, str, Path or dict
        The consolidation result (``zones``, ``parks``, ``platforms`` and optional layers).
    basemap : {"none", "osm", "tianditu-vec", "tianditu-img", "gaode"}
        ``none`` needs no network at all.
    lang : {"zh", "en"}
    title : str, optional
    tianditu_key : str, optional
        Tianditu key (else ``TIANDITU_KEY``); visible in the HTML.
    space : str, Path or GeoDataFrame, optional
        The GeoPackage ``parkgeo space --out`` wrote (or its ``developable_land`` as read by
        :func:`parkgeo.publish.space.read_developable_land`): each zone's and park's measured
        developable land is drawn as a layer the layer control toggles (R4).

    Returns
    -------
    folium.Map
        Render it with :func:`write_map` (which inlines every script) or ``_repr_html_``.

    Examples
    --------
    >>> m = render_map("out/result.gpkg", lang="en")       # doctest: +SKIP
    >>> write_map("out/result.gpkg", out="out/map.html")   # doctest: +SKIP
    """
    import folium
    from folium.plugins import GroupedLayerControl

    res, base, prep = prepare(result, basemap_name=basemap, lang=lang,
                              tianditu_key=tianditu_key)
    s = strings(lang, res.scenario)
    title = title or s["title_map"]
    fmap = new_map(prep.bounds, base=base, title=title)
    add_basemap(fmap, base)
    add_core(fmap, s, prep.platforms, prep.lex)
    kinds = set()
    groups = {}
    other = []
    taken = set()
    minimap_var = None

    counties, protected = res.layer("counties"), res.layer("protected")
    if counties is not None and len(counties):
        fg = folium.FeatureGroup(name=_layer_name(s["layer_counties"], taken))
        data, _ = _fc(prep.county_geoms, counties, prep.county_props)
        layer = GeoLayer(data, interactive=True)
        fg.add_child(layer)
        fg.add_to(fmap)
        other.append(fg)
        kinds.add("county")
        minimap_var = layer.get_name() + "_data"
    if protected is not None and len(protected):
        fg = folium.FeatureGroup(name=_layer_name(s["layer_protected"], taken))
        data, _ = _fc(prep.protected_geoms, protected,
                      lambda r: {"n": s["legend_protected"], "k": "protected",
                                 "kind": translated(s, "protected_", r.get("kind", ""))})
        fg.add_child(GeoLayer(data))
        fg.add_to(fmap)
        other.append(fg)
        kinds.add("protected")

    search = []
    zones, parks = res.zones, res.parks
    links, link_props = _links(prep)
    for _, prow in res.platforms.iterrows():
        pid = prow["platform_id"]
        fg = folium.FeatureGroup(name=_layer_name(prow["name"], taken))
        zmask = prep.zones_of(pid)
        pmask = (parks["decision"] == "sub_zone") & (parks["platform_id"] == pid)
        data_z = feature_collection(prep.zone_geoms[zmask].reset_index(drop=True),
                                    [prep.zone_props(r) for _, r in zones[zmask].iterrows()])
        data_p = feature_collection(prep.park_geoms[pmask.values].reset_index(drop=True),
                                    [prep.park_props(r) for _, r in parks[pmask].iterrows()])
        lmask = [p["_p"] == pid for p in link_props]
        data_l = feature_collection(links[lmask].reset_index(drop=True),
                                    [{"k": p["k"], "c": p["c"]}
                                     for p, m in zip(link_props, lmask, strict=False) if m])
        for data in (data_z, data_p):
            layer = GeoLayer(data)
            fg.add_child(layer)
            search.append(layer)
        fg.add_child(GeoLayer(data_l, interactive=False))
        fg.add_to(fmap)
        groups.setdefault(esc(prow["county"]), []).append(fg)
        kinds.update({"main", "sub", "link"})
    main_ids = set(prep.zone_platform)
    named_pids = set(res.platforms["platform_id"])
    for key, frame, geoms, mask, fn in (
        ("layer_other_zones", zones, prep.zone_geoms,
         lambda r: r["zone_id"] not in main_ids, prep.zone_props),
        ("layer_exit", parks, prep.park_geoms, lambda r: r["decision"] == "exit",
         prep.park_props),
        ("layer_excluded", parks, prep.park_geoms, lambda r: r["decision"] == "excluded",
         prep.park_props),
        ("legend_sub", parks, prep.park_geoms,
         lambda r: r["decision"] == "sub_zone" and r["platform_id"] not in named_pids,
         prep.park_props),
    ):
        data, n = _fc(geoms, frame, fn, mask)
        if n == 0:
            continue
        fg = folium.FeatureGroup(name=_layer_name(s[key], taken))
        layer = GeoLayer(data)
        fg.add_child(layer)
        fg.add_to(fmap)
        other.append(fg)
        search.append(layer)
        kinds.add({"layer_other_zones": "zone", "layer_exit": "exit",
                   "layer_excluded": "excluded", "legend_sub": "sub"}[key])

    if space is not None:
        fg = _developable_layer(space, prep, s, base.gcj02, taken)
        if fg is not None:
            fg.add_to(fmap)
            other.append(fg)
            kinds.add("developable")

    if other:
        groups[esc(s["group_other"])] = other
    GroupedLayerControl(groups, exclusive_groups=False, collapsed=True).add_to(fmap)
    add_controls(fmap, s, lang=lang, search_layers=search, base=base,
                 minimap_data_var=minimap_var)
    add_html(fmap, f'<div class="pg-panel pg-title" id="pg-title">{esc(title)}</div>',
             name="pg_title")
    add_html(fmap, legend_html(s, kinds, prep.platforms), name="pg_legend")
    add_html(fmap, summary_html(s, res), name="pg_summary")
    return fmap


def write_map(result, *, out, basemap="none", lang="zh", title=None, tianditu_key=None,
              overwrite=False, space=None):
    """Write the consolidation map as one offline HTML file (atomically).

    Returns the output path. Warns when the file is over the size budget.

    Examples
    --------
    >>> write_map("out/result.gpkg", out="out/map.html", lang="en")   # doctest: +SKIP
    """
    check_output(out, overwrite=overwrite)
    fmap = render_map(result, basemap=basemap, lang=lang, title=title,
                      tianditu_key=tianditu_key, space=space)
    return write_text_atomic(out, page_html(fmap), overwrite=overwrite)
