"""Basemaps: none (fully offline), OpenStreetMap, Tianditu (vector/imagery) and Gaode.

Tianditu needs a key, from ``--tianditu-key`` or the ``TIANDITU_KEY`` environment variable. A
browser fetches tiles with the key in the URL, so the key is visible to anyone who opens the
HTML: use a key restricted to the publishing domain. The key is written into the tile URLs
and nowhere else. Gaode tiles are in GCJ-02: the maps shift their overlays to match
(:mod:`parkgeo.publish.gcj02`).
"""

from __future__ import annotations

import os
import warnings
from dataclasses import dataclass

import folium

from ..errors import InputError
from ..i18n import tr

__all__ = ["BASEMAPS", "Basemap", "basemap", "add_basemap"]

BASEMAPS = ("none", "osm", "tianditu-vec", "tianditu-img", "gaode")

_TDT = ("https://t{s}.tianditu.gov.cn/{layer}_w/wmts?SERVICE=WMTS&REQUEST=GetTile&VERSION=1.0.0"
        "&LAYER={layer}&STYLE=default&TILEMATRIXSET=w&FORMAT=tiles"
        "&TILEMATRIX={z}&TILEROW={y}&TILECOL={x}&tk=")


@dataclass(frozen=True)
class Basemap:
    """A basemap: its tile layers (template URL, attribution, subdomains) and datum."""

    name: str
    layers: tuple = ()
    gcj02: bool = False

    @property
    def offline(self):
        return not self.layers


def basemap(name="none", *, lang="zh", tianditu_key=None):
    """Describe basemap ``name``; raise InputError for an unknown name or a missing Tianditu key.

    Examples
    --------
    >>> basemap("none").offline
    True
    >>> basemap("gaode").gcj02
    True
    """
    if name not in BASEMAPS:
        raise InputError(f"--basemap must be one of {', '.join(BASEMAPS)}; got '{name}'")
    if name == "none":
        return Basemap(name)
    if name == "osm":
        return Basemap(name, (("https://tile.openstreetmap.org/{z}/{x}/{y}.png",
                               '© <a href="https://www.openstreetmap.org/copyright">'
                               "OpenStreetMap</a> contributors", None),))
    if name == "gaode":
        glang = "zh_cn" if lang == "zh" else "en"
        return Basemap(name, ((f"https://webrd0{{s}}.is.autonavi.com/appmaptile?lang={glang}"
                               "&size=1&scale=1&style=8&x={x}&y={y}&z={z}",
                               "© 高德地图 AutoNavi (GCJ-02)", "1234"),), gcj02=True)
    key = tianditu_key or os.environ.get("TIANDITU_KEY")
    if not key:
        raise InputError(f"--basemap {name} needs a Tianditu key: pass --tianditu-key KEY or "
                         "set TIANDITU_KEY (get one at the Tianditu developer console), or use "
                         "--basemap none")
    warnings.warn("the Tianditu key is written into the tile URLs of the HTML, where anyone who "
                  "opens the map can read it; use a key restricted to the publishing domain",
                  stacklevel=2)
    base, note = ("vec", "cva" if lang == "zh" else "eva") if name == "tianditu-vec" else (
        "img", "cia" if lang == "zh" else "eia")
    return Basemap(name, tuple((_TDT.replace("{layer}", layer) + key, tr("basemap.tianditu", lang),
                                "01234567") for layer in (base, note)))


def add_basemap(fmap, base):
    """Add ``base``'s tile layers to a folium map (no control entry: there is one basemap)."""
    for i, (url, attribution, subdomains) in enumerate(base.layers):
        kwargs = {"subdomains": subdomains} if subdomains else {}
        folium.TileLayer(url, attr=attribution, name=f"{base.name}-{i}", overlay=(i > 0),
                         control=False, max_zoom=18, **kwargs).add_to(fmap)
    return fmap
