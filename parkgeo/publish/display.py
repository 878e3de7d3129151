"""Display geometry: simplified with topology kept, shifted for Gaode, rounded, encoded compactly.

Only the copy drawn on a map is changed; the result GeoPackage is never touched.
"""

from __future__ import annotations

import html
import json
import warnings

import geopandas as gpd
import numpy as np
import polyline
import shapely

from .gcj02 import shift_geometries

__all__ = [
    "local_epsg",
    "simplify_layers",
    "round_coords",
    "safe_json",
    "feature_collection",
    "encode_geometry",
    "decode_geometry",
    "DECIMALS",
    "TOLERANCE_M",
]

#: decimals kept in WGS84 degrees: 1e-5° ≈ 1.1 m, about 2 screen pixels at zoom 18 (the maps'
#: maximum zoom) in Zhejiang; more would only add bytes, 1e-4° (11 m) would show at zoom 15 and
#: deeper. templates/parkgeo.js decodes the polylines with the same factor (1e5).
DECIMALS = 5
#: simplification tolerance in metres, per layer
TOLERANCE_M = {"areas": 2.0, "counties": 25.0, "protected": 5.0, "plots": 1.0,
               "developable": 5.0}


def local_epsg(frame):
    """EPSG code of the CGCS2000 3-degree Gauss-Kruger zone at the centre of a WGS84 frame."""
    minx, miny, maxx, maxy = frame.total_bounds
    lon = (minx + maxx) / 2
    try:
        from ..read.crs import gk_epsg_for_lon
    except ImportError:
        # same formula as parkgeo.read.crs: CM 75E is EPSG:4534, one code per 3 degrees
        return int(4534 + round((lon - 75.0) / 3.0))
    return int(gk_epsg_for_lon(lon))


_WHAT = {"areas": "zones and parks", "counties": "county boundaries",
         "protected": "protected areas", "plots": "plots",
         "developable": "developable land (--space)"}


def _simplify_coverage(geoms, tolerance, epsg, what):
    """Coverage-simplify a WGS84 GeoSeries in the projected CRS ``epsg``; back to WGS84.

    ``shapely.coverage_simplify`` moves each shared edge once, so neighbours stay gap- and
    overlap-free. It needs a valid coverage; where polygons overlap (bad input), each is
    simplified on its own with a warning.
    """
    if len(geoms) == 0:
        return geoms
    projected = geoms.to_crs(epsg)
    values = projected.values
    polys = np.array([g for g in values])
    if shapely.coverage_is_valid(polys):
        simple = shapely.coverage_simplify(polys, tolerance, simplify_boundary=True)
    else:
        warnings.warn(f"{_WHAT.get(what, what)} overlap one another, so they were simplified "
                      "one by one "
                      "for display: shared edges may show hairline gaps when zoomed in "
                      "(run `parkgeo validate` to find the overlaps)", stacklevel=3)
        simple = shapely.simplify(polys, tolerance, preserve_topology=True)
    simple = shapely.make_valid(simple)
    return gpd.GeoSeries(simple, index=geoms.index, crs=epsg).to_crs(4326)


def simplify_layers(layers, *, gaode=False, epsg=None):
    """Simplify, shift (Gaode) and round a dict of WGS84 GeoSeries for display.

    ``layers`` maps a group name (``areas``: zones and parks, one coverage; ``counties``;
    ``protected``; ``plots``) to a GeoSeries. Returns the same keys with display geometry.
    """
    if epsg is None:
        some = next(s for s in layers.values() if s is not None and len(s))
        epsg = local_epsg(gpd.GeoDataFrame(geometry=some))
    out = {}
    for name, geoms in layers.items():
        if geoms is None:
            out[name] = None
            continue
        geoms = _simplify_coverage(geoms, TOLERANCE_M.get(name, 2.0), epsg, name)
        if gaode:
            geoms = shift_geometries(geoms)
        out[name] = round_coords(geoms)
    return out


def round_coords(geoms, decimals=DECIMALS):
    """Coordinates rounded to ``decimals``.

    Shared vertices round alike, so shared edges stay shared.
    """
    return gpd.GeoSeries(
        shapely.transform(geoms.values, lambda c: np.round(c, decimals)),
        index=geoms.index, crs=geoms.crs)


_JS_ESCAPES = {"<": "\\u003c", ">": "\\u003e", "&": "\\u0026", "'": "\\u0027",
               "\u2028": "\\u2028", "\u2029": "\\u2029",
               # branca compiles every element's rendered script as a Jinja template again: a
               # "{{" or "{%" from the data would run at build time. JSON's own braces never
               # form these pairs, so each one found is inside a string and escaped there.
               "{{": "{\\u007b", "{%": "{\\u0025", "{#": "{\\u0023"}


def esc(value):
    """HTML-escape a value from the data (``None`` → empty): the one escape of every page parkgeo
    publishes (maps, findings map, report).

    Braces become character references too: branca compiles the page's markup and scripts as
    Jinja templates, so a ``{{ ... }}`` from the data would otherwise run at build time.

    Examples
    --------
    >>> esc("<b>{{ 7*7 }}</b>")
    '&lt;b&gt;&#123;&#123; 7*7 &#125;&#125;&lt;/b&gt;'
    """
    text = html.escape("" if value is None else str(value), quote=True)
    return text.replace("{", "&#123;").replace("}", "&#125;")


def safe_json(obj):
    """JSON text safe to place inside ``<script>`` of a folium page: no ``</script>``, ``<!--``,
    line separators, or Jinja delimiters (``{{``, ``{%``, ``{#``).

    Examples
    --------
    >>> safe_json({"n": "</script><!--"})
    '{"n":"\\\\u003c/script\\\\u003e\\\\u003c!--"}'
    >>> safe_json({"n": "{{ 7*7 }}"})
    '{"n":"{\\\\u007b 7*7 }}"}'
    """
    text = json.dumps(obj, ensure_ascii=False, separators=(",", ":"), allow_nan=False,
                      default=_json_default)
    for ch, rep in _JS_ESCAPES.items():
        text = text.replace(ch, rep)
    return text


def _json_default(value):
    if isinstance(value, (np.integer,)):
        return int(value)
    if isinstance(value, (np.floating,)):
        return None if np.isnan(value) else float(value)
    if isinstance(value, (np.bool_,)):
        return bool(value)
    return str(value)


def _ring(coords):
    """A ring or line as an encoded polyline (Google's format, 1e-5 degrees, latitude first)."""
    return polyline.encode(np.asarray(coords)[:, :2].tolist(), DECIMALS, geojson=True)


def encode_geometry(geom):
    """Compact display geometry: ``{"t": "P"|"M"|"L", "c": ...}``, each ring an encoded polyline.

    GeoJSON spends ~24 bytes a vertex on decimal text; Google's encoded polyline format
    (written by the ``polyline`` package, read by ``PG.decode`` in templates/parkgeo.js) writes
    the differences between neighbouring vertices in 1e-5 degrees as 5-bit groups, ~4-5
    characters a vertex. Vertices are already on the 1e-5 grid (:func:`round_coords`), so
    nothing moves.
    """
    kind = geom.geom_type
    if kind == "Polygon":
        return {"t": "P", "c": [_ring(r.coords) for r in (geom.exterior, *geom.interiors)]}
    if kind == "MultiPolygon":
        return {"t": "M", "c": [[_ring(r.coords) for r in (p.exterior, *p.interiors)]
                                for p in geom.geoms]}
    if kind == "LineString":
        return {"t": "L", "c": _ring(geom.coords)}
    if kind == "GeometryCollection":
        polys = [g for g in geom.geoms if g.geom_type in ("Polygon", "MultiPolygon")]
        return encode_geometry(shapely.union_all(polys)) if polys else None
    raise ValueError(f"cannot draw a {kind}")


def decode_geometry(enc):
    """GeoJSON geometry (dict) from :func:`encode_geometry`'s output (the JS decoder's twin)."""
    def ring(text):
        return [list(c) for c in polyline.decode(text, DECIMALS, geojson=True)]
    if enc["t"] == "P":
        return {"type": "Polygon", "coordinates": [ring(r) for r in enc["c"]]}
    if enc["t"] == "M":
        return {"type": "MultiPolygon", "coordinates": [[ring(r) for r in p] for p in enc["c"]]}
    return {"type": "LineString", "coordinates": ring(enc["c"])}


def feature_collection(geoms, properties):
    """Compact feature collection text for ``PG.decode``.

    ``{"f": [[record, geometry], ...]}``: each record a feature's properties, its text fields
    possibly pointing into the page's lexicon (:mod:`parkgeo.publish.compact`); geometry as
    :func:`encode_geometry` writes it.
    """
    parts = []
    for props, geom in zip(properties, geoms.values, strict=False):
        if geom is None or geom.is_empty:
            continue
        enc = encode_geometry(geom)
        if enc is None:
            continue
        parts.append("[" + safe_json(props) + "," + safe_json(enc) + "]")
    return '{"f":[' + ",".join(parts) + "]}"
