"""Colours and line styles shared by the web maps, the static maps and the QGIS styles.

One table, so a planner who opens the result in QGIS sees the same colours as on the web map.
"""

from __future__ import annotations

__all__ = ["PALETTE", "platform_colours", "KIND_STYLE", "PLOT_COLOURS", "SEVERITY_COLOURS",
           "lighter"]

#: qualitative palette for major platforms (ColorBrewer Set1/Dark2-like hues, readable on white
#: and on satellite imagery); platforms beyond its length reuse colours in order
PALETTE = (
    "#1f77b4", "#d95f02", "#2ca02c", "#7570b3", "#e7298a", "#8c564b", "#17becf",
    "#bcbd22", "#1b9e77", "#9467bd", "#e6ab02", "#a6761d", "#386cb0", "#f0027f",
)

#: style of each kind of feature: stroke colour, stroke width (px), dash pattern, fill colour,
#: fill opacity. ``None`` colour means "the platform's colour".
KIND_STYLE = {
    "main": {"color": None, "weight": 2.5, "dash": "6 3", "fill": None, "fill_opacity": 0.55},
    "sub": {"color": None, "weight": 1.5, "dash": None, "fill": None, "fill_opacity": 0.25},
    "zone": {"color": "#37474f", "weight": 2.0, "dash": "6 3", "fill": "#90a4ae",
             "fill_opacity": 0.25},
    "exit": {"color": "#c62828", "weight": 1.5, "dash": "4 3", "fill": "#9e9e9e",
             "fill_opacity": 0.45},
    "excluded": {"color": "#757575", "weight": 1.0, "dash": "1 4", "fill": "#ffffff",
                 "fill_opacity": 0.35},
    "county": {"color": "#212121", "weight": 1.5, "dash": "8 4 2 4", "fill": None,
               "fill_opacity": 0.0},
    "protected": {"color": "#2e7d32", "weight": 0.8, "dash": None, "fill": "#66bb6a",
                  "fill_opacity": 0.2},
    # the developable land measured from the land-use survey (``parkgeo map --space``)
    "developable": {"color": "#e65100", "weight": 0.6, "dash": None, "fill": "#ffb300",
                    "fill_opacity": 0.5},
    "link": {"color": None, "weight": 1.5, "dash": "3 4", "fill": None, "fill_opacity": 0.0},
    "plot": {"color": "#424242", "weight": 0.8, "dash": None, "fill": None, "fill_opacity": 0.7},
    # a park before consolidation (the findings map): no decision yet, so no decision colour
    "park": {"color": "#616161", "weight": 1.0, "dash": None, "fill": "#bdbdbd",
             "fill_opacity": 0.35},
}

#: validation findings by severity (the findings map): markers and the offending areas
SEVERITY_COLOURS = {"error": "#d32f2f", "warning": "#f57c00", "info": "#1976d2"}

#: plot fill by status (investment map)
PLOT_COLOURS = {"available": "#2e7d32", "reserved": "#f9a825", "let": "#9e9e9e"}


def platform_colours(platform_ids):
    """Map each platform id (in the given order) to a colour of :data:`PALETTE`.

    Examples
    --------
    >>> platform_colours(["P1", "P2"])
    {'P1': '#1f77b4', 'P2': '#d95f02'}
    """
    return {pid: PALETTE[i % len(PALETTE)] for i, pid in enumerate(platform_ids)}


def lighter(hex_colour, amount=0.5):
    """A colour mixed with white (``amount`` 0 = unchanged, 1 = white)."""
    h = hex_colour.lstrip("#")
    rgb = [int(h[i:i + 2], 16) for i in (0, 2, 4)]
    rgb = [round(c + (255 - c) * amount) for c in rgb]
    return "#" + "".join(f"{c:02x}" for c in rgb)
