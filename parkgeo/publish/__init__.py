"""Publishing: the consolidation map, the investment-attraction map (T7), static maps, QGIS styles.

Web maps are single HTML files that work offline (:mod:`.assets`), escape every value from the
data, and draw simplified, topology-preserving geometry (:mod:`.display`).

``render_map``/``write_map`` (:mod:`.webmap`), ``render_invest_map``/``write_invest_map``
(:mod:`.investmap`), ``write_static_map`` (:mod:`.static`) and ``add_qgis_styles``
(:mod:`.qgis`) are imported lazily, so importing this package stays cheap. ``load_result`` is
:func:`parkgeo.result.load_result`, the one way from a path or layers to a result.
"""

from __future__ import annotations

import importlib

__all__ = ["render_map", "write_map", "render_invest_map", "write_invest_map",
           "write_static_map", "add_qgis_styles", "load_result"]

_WHERE = {"render_map": "webmap", "write_map": "webmap", "render_invest_map": "investmap",
          "write_invest_map": "investmap", "write_static_map": "static",
          "add_qgis_styles": "qgis", "load_result": "result"}


def __getattr__(name):
    if name in _WHERE:
        return getattr(importlib.import_module(f".{_WHERE[name]}", __name__), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
