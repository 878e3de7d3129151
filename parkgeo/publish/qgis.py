"""QGIS-ready results: the ``layer_styles`` table QGIS reads from a GeoPackage.

QGIS stores a layer's default style in a table named ``layer_styles`` inside the GeoPackage;
a GIS user who opens the result sees the layers already styled, in the web map's colours
(:mod:`parkgeo.publish.style`) and labelled by name. The QML written here is the minimal
subset QGIS 3 reads: a categorized or single-symbol renderer (fill, line or marker, by the
layer's geometry) and simple labels, each shown only from a sensible scale
(:data:`LABEL_SCALES`) so the city view is not cluttered. The sub-zone → main platform lines
the web map draws are written as a ``links`` layer.
"""

from __future__ import annotations

import datetime as _dt
import os
import re
import shutil
from functools import lru_cache
from xml.sax.saxutils import quoteattr

import numpy as np
import pandas as pd

from .._atomic import atomic_path
from .._gpkg import gpkg_datetime
from ..errors import DatasetNotFoundError
from ..i18n import strings
from .style import KIND_STYLE, PLOT_COLOURS, lighter, platform_colours

__all__ = ["add_qgis_styles", "layer_qml", "link_lines", "STYLE_COLUMNS", "LABEL_SCALES"]

#: labels are drawn only when zoomed in beyond 1:N (a county fills the screen at about
#: 1:150,000, the whole city at about 1:500,000); 0 = at every scale
LABEL_SCALES = {"counties": 0, "platforms": 400_000, "zones": 250_000, "parks": 100_000,
                "plots": 20_000, "projects": 50_000}

#: the columns of QGIS's layer_styles table, in QGIS's order
STYLE_COLUMNS = ("f_table_catalog", "f_table_schema", "f_table_name", "f_geometry_column",
                 "styleName", "styleQML", "styleSLD", "useAsDefault", "description", "owner",
                 "ui", "update_time")

_DASH = {None: "solid", "6 3": "dash", "4 3": "dash", "3 4": "dash", "1 4": "dot",
         "8 4 2 4": "dash dot"}


_NEEDS_QUOTING = re.compile(r'[&<>"\n\r\t]')


def _attr(text):
    """``text`` as a quoted XML attribute value, as :func:`xml.sax.saxutils.quoteattr` writes
    it (text with nothing to escape is only quoted: the common case, done without it)."""
    return quoteattr(text) if _NEEDS_QUOTING.search(text) else f'"{text}"'


def _texts(column):
    """A column's values as a list of ``str`` (as ``Series.astype(str)`` gives them)."""
    return column.astype(str).to_numpy().tolist()


def _rgba(hex_colour, alpha=1.0):
    h = hex_colour.lstrip("#")
    r, g, b = (int(h[i:i + 2], 16) for i in (0, 2, 4))
    return f"{r},{g},{b},{round(alpha * 255)}"


def _symbol(name, kind, colour=None, fill=None):
    return _symbol_body(kind, colour, fill).replace("\0", name, 1)


@lru_cache(maxsize=1024)
def _symbol_body(kind, colour, fill):
    """A fill symbol with a placeholder for its name: a result of thousands of platforms has
    one category each but only a palette's worth of distinct symbols."""
    name = "\0"
    st = KIND_STYLE[kind]
    stroke = st["color"] or colour
    fill = fill or st["fill"] or colour
    brush = "solid" if st["fill_opacity"] > 0 else "no"
    opts = {
        "color": _rgba(fill or "#ffffff", st["fill_opacity"]),
        "style": brush,
        "outline_color": _rgba(stroke),
        "outline_style": _DASH.get(st["dash"], "dash"),
        "outline_width": f"{st['weight'] * 0.26:.2f}",
        "outline_width_unit": "MM",
        "joinstyle": "miter",
    }
    options = "".join(f'<Option name="{k}" type="QString" value="{v}"/>' for k, v in opts.items())
    return (f'<symbol type="fill" name="{name}" alpha="1" clip_to_extent="1" force_rhr="0">'
            f'<layer class="SimpleFill" enabled="1" locked="0" pass="0">'
            f'<Option type="Map">{options}</Option></layer></symbol>')


def _line_symbol(name, kind, colour=None):
    return _line_symbol_body(kind, colour).replace("\0", name, 1)


@lru_cache(maxsize=1024)
def _line_symbol_body(kind, colour):
    name = "\0"
    st = KIND_STYLE[kind]
    opts = {"line_color": _rgba(st["color"] or colour or "#555555"),
            "line_style": _DASH.get(st["dash"], "dash"),
            "line_width": f"{st['weight'] * 0.26:.2f}", "line_width_unit": "MM",
            "capstyle": "round"}
    options = "".join(f'<Option name="{k}" type="QString" value="{v}"/>' for k, v in opts.items())
    return (f'<symbol type="line" name="{name}" alpha="1" clip_to_extent="1" force_rhr="0">'
            f'<layer class="SimpleLine" enabled="1" locked="0" pass="0">'
            f'<Option type="Map">{options}</Option></layer></symbol>')


def _marker_symbol(name, fill, stroke="#ffffff", size=2.6):
    opts = {"name": "circle", "color": _rgba(fill), "outline_color": _rgba(stroke),
            "outline_width": "0.3", "outline_width_unit": "MM", "size": f"{size}",
            "size_unit": "MM"}
    options = "".join(f'<Option name="{k}" type="QString" value="{v}"/>' for k, v in opts.items())
    return (f'<symbol type="marker" name="{name}" alpha="1" clip_to_extent="1" force_rhr="0">'
            f'<layer class="SimpleMarker" enabled="1" locked="0" pass="0">'
            f'<Option type="Map">{options}</Option></layer></symbol>')


def _labels(field="name", max_scale=0):
    """Simple labels on ``field``, drawn when zoomed in beyond 1:``max_scale`` (0: always).

    QGIS writes the most zoomed-out scale of a label as ``scaleMax`` and the most zoomed-in as
    ``scaleMin`` (0 = no limit).
    """
    vis = (f'scaleVisibility="1" scaleMin="0" scaleMax="{int(max_scale)}"' if max_scale
           else 'scaleVisibility="0"')
    return ('<labeling type="simple"><settings calloutType="simple">'
            f'<text-style fieldName={_attr(field)} fontSize="9" fontSizeUnit="Point" '
            'textColor="33,33,33,255" fontFamily="Noto Sans CJK SC" isExpression="0"/>'
            '<text-buffer bufferDraw="1" bufferSize="0.8" bufferSizeUnits="MM" '
            'bufferColor="255,255,255,255"/>'
            '<placement placement="1" priority="5"/>'
            f'<rendering obstacle="1" {vis}/></settings></labeling>')


def _qml(renderer, labels=""):
    return ("<!DOCTYPE qgis PUBLIC 'http://mrcc.com/qgis.dtd' 'SYSTEM'>"
            '<qgis version="3.28.0" styleCategories="Symbology|Labeling">'
            f"{renderer}{labels}</qgis>")


def _single(kind, colour=None):
    return (f'<renderer-v2 type="singleSymbol" symbollevels="0" forceraster="0" '
            f'enableorderby="0"><symbols>{_symbol("0", kind, colour)}</symbols></renderer-v2>')


def _categorized(attr, categories, *, default=None):
    """``categories``: (value, label, kind, colour, fill); ``default``: (label, kind)."""
    cats, syms = [], []
    for i, (value, label, kind, colour, fill) in enumerate(categories):
        cats.append(f'<category symbol="{i}" value={_attr(str(value))} '
                    f'label={_attr(str(label))} render="true"/>')
        syms.append(_symbol(str(i), kind, colour, fill))
    if default is not None:
        i = len(categories)
        cats.append(f'<category symbol="{i}" value="" label={_attr(default[0])} '
                    'render="true"/>')
        syms.append(_symbol(str(i), default[1]))
    return (f'<renderer-v2 type="categorizedSymbol" attr={_attr(attr)} symbollevels="0" '
            f'forceraster="0" enableorderby="0"><categories>{"".join(cats)}</categories>'
            f'<symbols>{"".join(syms)}</symbols></renderer-v2>')


def _scaled(layer, field="name"):
    return _labels(field, LABEL_SCALES.get(layer, 0))


def layer_qml(layer, frames, lang="zh", geometry_type=None):
    """QML text styling ``layer`` of a result, given the result's frames (for platform ids).

    ``geometry_type`` (as pyogrio reports it) picks a fill, line or marker symbol for layers
    parkgeo does not know; every spatial layer gets a style.
    """
    s = strings(lang)
    plats = frames["platforms"]
    ids = _texts(plats["platform_id"])
    colours = platform_colours(ids)
    names = dict(zip(ids, _texts(plats["name"]), strict=False))
    if layer == "platforms":
        return _qml(_categorized("platform_id", [
            (pid, names[pid], "main", c, None) for pid, c in colours.items()]),
            _scaled(layer))
    if layer == "zones":
        mains = dict(zip(_texts(plats["main_zone_id"]), ids, strict=True))
        cats = [(zid, f'{s["decision_main"]}: {names[pid]}', "main", colours[pid], None)
                for zid, pid in mains.items()]
        return _qml(_categorized("zone_id", cats, default=(s["legend_zone"], "zone")),
                    _scaled(layer))
    if layer == "parks":
        expr = "CASE WHEN \"decision\" = 'sub_zone' THEN \"platform_id\" ELSE \"decision\" END"
        cats = [(pid, f'{s["legend_sub"]}: {names[pid]}', "sub", c, lighter(c, 0.3))
                for pid, c in colours.items()]
        cats += [("exit", s["legend_exit"], "exit", None, None),
                 ("excluded", s["legend_excluded"], "excluded", None, None)]
        return _qml(_categorized(expr, cats), _scaled(layer))
    if layer == "counties":
        return _qml(_single("county"), _scaled(layer))
    if layer == "protected":
        return _qml(_single("protected"))
    if layer == "plots":
        cats = [(st, s["status_" + st], "plot", "#424242", col)
                for st, col in PLOT_COLOURS.items()]
        return _qml(_categorized("status", cats), _scaled(layer, "plot_id"))
    if layer == "links":
        cats = "".join(f'<category symbol="{i}" value={_attr(pid)} '
                       f'label={_attr(s["legend_link"] + ": " + names[pid])} render="true"/>'
                       for i, pid in enumerate(colours))
        syms = "".join(_line_symbol(str(i), "link", c) for i, c in enumerate(colours.values()))
        return _qml(f'<renderer-v2 type="categorizedSymbol" attr="platform_id" symbollevels="0" '
                    f'forceraster="0" enableorderby="0"><categories>{cats}</categories>'
                    f'<symbols>{syms}</symbols></renderer-v2>')
    kind = (geometry_type or "").lower()
    if layer == "projects" or "point" in kind:
        sym = (_marker_symbol("0", "#6a1b9a") if "point" in kind or not kind
               else _symbol("0", "plot", fill="#ce93d8"))
        return _qml(f'<renderer-v2 type="singleSymbol" symbollevels="0" forceraster="0" '
                    f'enableorderby="0"><symbols>{sym}</symbols></renderer-v2>',
                    _scaled("projects") if layer == "projects" else "")
    if "line" in kind:
        return _qml(f'<renderer-v2 type="singleSymbol" symbollevels="0" forceraster="0" '
                    f'enableorderby="0"><symbols>{_line_symbol("0", "county")}</symbols>'
                    '</renderer-v2>')
    return _qml(_single("zone"))


def add_qgis_styles(result_gpkg, *, lang="zh"):
    """Write QGIS default styles for the result's layers into its ``layer_styles`` table.

    The GeoPackage is rewritten atomically: a copy is styled, then renamed over the original,
    so a failure leaves the original untouched. An existing ``layer_styles`` table is replaced.
    Returns the list of layers styled.

    Examples
    --------
    >>> add_qgis_styles("out/result.gpkg")       # doctest: +SKIP
    ['zones', 'parks', 'platforms', 'counties', 'links']
    """
    from pathlib import Path

    path = Path(result_gpkg)
    if not path.exists():
        raise DatasetNotFoundError("result file not found", path=path)
    with atomic_path(path, overwrite=True) as tmp:
        shutil.copyfile(path, tmp)
        styled = write_layer_styles(tmp, lang=lang)
        fd = os.open(tmp, os.O_RDONLY)
        try:
            os.fsync(fd)  # complete on disk before it replaces the original
        finally:
            os.close(fd)
    return styled


def link_lines(zones, parks, platforms):
    """The sub-zone → main platform lines the web map draws, as a GeoDataFrame.

    One straight line per sub-zone (a park with ``decision = sub_zone``, or a zone with
    ``role = sub_zone``) from a point inside it to a point inside its platform's main zone, in
    the CRS of ``zones``. Columns: ``platform_id``, ``member_id``, ``member_layer`` (``parks``
    or ``zones``), ``main_zone_id``.

    Examples
    --------
    >>> link_lines(zones, parks, platforms).head()       # doctest: +SKIP
    """
    import geopandas as gpd
    import shapely

    crs = zones.crs
    parks = parks.to_crs(crs) if parks.crs is not None and crs is not None else parks
    main = dict(zip(platforms["platform_id"].astype(str), platforms["main_zone_id"].astype(str),
                    strict=False))
    zgeoms = np.asarray(zones.geometry.values, dtype=object)
    zok = ~(shapely.is_missing(zgeoms) | shapely.is_empty(zgeoms))
    anchor = dict(zip(zones["zone_id"].astype(str).to_numpy()[zok],
                      shapely.point_on_surface(zgeoms[zok]), strict=True))
    layer, mid, pid, geoms = [], [], [], []
    for name, flag, value, id_col in (("parks", "decision", "sub_zone", "park_id"),
                                      ("zones", "role", "sub_zone", "zone_id")):
        frame = parks if name == "parks" else zones
        if {flag, "platform_id"} <= set(frame.columns):
            subs = (frame[flag] == value).to_numpy()
            layer += [name] * int(subs.sum())
            mid += [str(i) for i in frame[id_col].to_numpy()[subs]]
            pid += [str(p) for p in frame["platform_id"].to_numpy()[subs]]
            geoms.append(np.asarray(frame.geometry.values, dtype=object)[subs])
    geoms = np.concatenate(geoms) if geoms else np.zeros(0, dtype=object)
    targets = np.array([anchor.get(main.get(p, "")) for p in pid] + [None], dtype=object)[:-1]
    ok = ~(shapely.is_missing(targets) | shapely.is_missing(geoms))
    ok[ok] = ~shapely.is_empty(geoms[ok])
    keep = np.flatnonzero(ok)
    starts = shapely.point_on_surface(geoms[keep])
    ends = targets[keep]
    if shapely.has_z(starts).any() or shapely.has_z(ends).any():
        lines = [shapely.LineString([a, b]) for a, b in zip(starts, ends, strict=True)]
    else:  # one vectorised call: a line from each member to its main zone
        coords = np.stack([shapely.get_coordinates(starts), shapely.get_coordinates(ends)],
                          axis=1)
        lines = list(shapely.linestrings(coords.reshape(-1, 2),
                                         indices=np.repeat(np.arange(len(keep)), 2))) \
            if len(keep) else []
    frame = pd.DataFrame({"platform_id": [pid[k] for k in keep],
                          "member_id": [mid[k] for k in keep],
                          "member_layer": [layer[k] for k in keep],
                          "main_zone_id": [main[pid[k]] for k in keep]},
                         columns=["platform_id", "member_id", "member_layer", "main_zone_id"])
    return gpd.GeoDataFrame(frame, geometry=gpd.GeoSeries(lines, crs=crs), crs=crs)


def write_link_layer(gpkg, frames=None):
    """Write (or replace) the ``links`` layer of the result GeoPackage ``gpkg`` in place.

    ``frames``: the ``zones``, ``parks`` and ``platforms`` just written, when the writer has
    them in memory (else they are read back from ``gpkg``).
    """
    import geopandas as gpd
    import pyogrio

    frames = frames or {}
    read = {name: frames[name] if name in frames else
            gpd.read_file(gpkg, layer=name, engine="pyogrio")
            for name in ("zones", "parks", "platforms")}
    links = link_lines(read["zones"], read["parks"], read["platforms"])
    pyogrio.write_dataframe(links, gpkg, layer="links", driver="GPKG",
                            geometry_type="LineString", layer_options={"OVERWRITE": "YES"})
    return len(links)


def style_result(gpkg, result=None):
    """Style a consolidation result being written (the ``styles`` hook of
    :func:`parkgeo.result.write_result`): the links layer and a style for every layer, from
    the result's frames in memory, stamped with a fixed time so that the same input and
    scenario give the same file."""
    import datetime as dt

    frames = None if result is None else {
        "zones": result.zones, "parks": result.parks, "platforms": result.platforms}
    return write_layer_styles(gpkg, update_time=dt.datetime(2000, 1, 1), frames=frames)


def write_layer_styles(gpkg, *, lang="zh", update_time=None, frames=None):
    """Write the ``links`` layer and the ``layer_styles`` table into ``gpkg`` in place (a file
    being written): a style for every spatial layer.

    ``update_time`` (a naive UTC datetime) defaults to now; the consolidation writer passes a
    fixed time so that its output is reproducible. ``frames``: the ``zones``, ``parks`` and
    ``platforms`` layers in memory, when the caller has them (they are read back otherwise).
    Returns the list of layers styled.
    """
    import geopandas as gpd
    import pyogrio

    info = {name: geom for name, geom in pyogrio.list_layers(gpkg)}
    given = frames or {}
    if {"zones", "parks", "platforms"} <= set(info):
        write_link_layer(gpkg, given)
        info = {name: geom for name, geom in pyogrio.list_layers(gpkg)}
    frames = {"platforms": pd.DataFrame(given["platforms"]) if "platforms" in given else
              gpd.read_file(gpkg, layer="platforms", engine="pyogrio", ignore_geometry=True)}
    now = update_time or _dt.datetime.now(_dt.timezone.utc).replace(tzinfo=None)
    known = ["zones", "parks", "platforms", "counties", "protected", "plots", "projects",
             "links"]
    order = [n for n in known if n in info] + sorted(n for n in info if n not in known)
    rows = []
    for layer in order:
        if info[layer] is None or layer == "layer_styles":
            continue
        qml = layer_qml(layer, frames, lang, geometry_type=info[layer])
        geom_col = pyogrio.read_info(gpkg, layer=layer).get("geometry_name") or "geom"
        rows.append({"f_table_catalog": "", "f_table_schema": "", "f_table_name": layer,
                     "f_geometry_column": geom_col, "styleName": f"parkgeo {layer}",
                     "styleQML": qml, "styleSLD": "", "useAsDefault": True,
                     "description": "parkgeo: same colours as the web map",
                     "owner": "", "ui": "", "update_time": gpkg_datetime(now)})
    table = pd.DataFrame(rows, columns=list(STYLE_COLUMNS))
    _store_styles(gpkg, table, gpkg_datetime(now))
    return list(table["f_table_name"])


# The table as QGIS itself creates it, with update_time a DATETIME whose DEFAULT is the time of
# insertion. Written with sqlite3 because GDAL (through pyogrio) cannot declare a column default.
_STYLES_DDL = (
    'CREATE TABLE "layer_styles" ("id" INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL, '
    '"f_table_catalog" TEXT, "f_table_schema" TEXT, "f_table_name" TEXT, '
    '"f_geometry_column" TEXT, "styleName" TEXT, "styleQML" TEXT, "styleSLD" TEXT, '
    '"useAsDefault" BOOLEAN, "description" TEXT, "owner" TEXT, "ui" TEXT, '
    "\"update_time\" DATETIME DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')))")


def _store_styles(gpkg, table, stamp):
    """Replace ``layer_styles`` in ``gpkg`` by ``table``, registered as an attribute table."""
    import sqlite3

    con = sqlite3.connect(gpkg)
    try:
        # ``gpkg`` is a temporary file that replaces the output once complete (and is synced
        # then): no sync per transaction; the journal stays in memory so a failure rolls back
        con.execute("PRAGMA synchronous = OFF")
        con.execute("PRAGMA journal_mode = MEMORY")
        with con:
            con.execute('DROP TABLE IF EXISTS "layer_styles"')
            con.execute("DELETE FROM gpkg_contents WHERE lower(table_name) = 'layer_styles'")
            con.execute(_STYLES_DDL)
            cols = ", ".join(f'"{c}"' for c in STYLE_COLUMNS)
            marks = ", ".join("?" for _ in STYLE_COLUMNS)
            con.executemany(f'INSERT INTO "layer_styles" ({cols}) VALUES ({marks})',
                            [tuple(r) for r in table.itertuples(index=False)])
            con.execute("INSERT INTO gpkg_contents (table_name, data_type, identifier, "
                        "description, last_change) VALUES ('layer_styles', 'attributes', "
                        "'layer_styles', 'QGIS default styles', ?)", (stamp,))
            has_counts = con.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND "
                                     "name = 'gpkg_ogr_contents'").fetchone()
            if has_counts:
                # GDAL's feature-count cache: keep it true for the new table
                con.execute("DELETE FROM gpkg_ogr_contents WHERE "
                            "lower(table_name) = 'layer_styles'")
                con.execute("INSERT INTO gpkg_ogr_contents (table_name, feature_count) "
                            "VALUES ('layer_styles', ?)", (len(table),))
    finally:
        con.close()
