"""Static maps for reports: PNG and PDF with matplotlib, in the local projected CRS.

Drawn in the CGCS2000 3-degree Gauss-Kruger zone of the data (EPSG:4549 for Jiaxing), so the
scale bar measures true metres; with a legend, a north arrow and a CJK font (Debian's
``fonts-noto-cjk``; without it, Chinese labels fall back with a warning).
"""

from __future__ import annotations

import math
import warnings

from .._atomic import atomic_path, check_output
from ..i18n import strings, tr
from .display import local_epsg
from .result import drawable
from .style import KIND_STYLE, PLOT_COLOURS, lighter, platform_colours
from .webmap import zone_platforms

__all__ = ["write_static_map", "cjk_font", "figure"]

_CJK_NAMES = ("Noto Sans CJK SC", "Noto Sans CJK JP", "Noto Serif CJK SC", "Source Han Sans SC",
              "WenQuanYi Zen Hei", "WenQuanYi Micro Hei", "SimHei", "Microsoft YaHei",
              "PingFang SC")


def cjk_font():
    """Name of an installed font with Chinese glyphs, or None (with a warning).

    Fonts installed after matplotlib built its cache are found and registered too.
    """
    from matplotlib import font_manager as fm

    def find():
        have = {f.name for f in fm.fontManager.ttflist}
        return next((n for n in _CJK_NAMES if n in have), None)

    name = find()
    if name is None:
        for path in fm.findSystemFonts():
            if "CJK" in path or "wqy" in path.lower():
                try:
                    fm.fontManager.addfont(path)
                except (OSError, RuntimeError, ValueError):
                    continue
        name = find()
    if name is None:
        warnings.warn("no CJK font found: Chinese labels will show as boxes; install one "
                      "(Debian: apt-get install fonts-noto-cjk)", stacklevel=2)
    return name


def _nice_length(span):
    """A round scale-bar length (1, 2 or 5 × 10^k metres) near a fifth of ``span``."""
    target = span / 5
    k = 10 ** math.floor(math.log10(target))
    return max(m * k for m in (1, 2, 5) if m * k <= target)


def _scale_bar(ax, lang):
    from matplotlib.patches import Rectangle

    x0, x1 = ax.get_xlim()
    y0, y1 = ax.get_ylim()
    length = _nice_length(x1 - x0)
    x = x0 + (x1 - x0) * 0.05
    y = y0 + (y1 - y0) * 0.05
    h = (y1 - y0) * 0.012
    for i in range(2):
        ax.add_patch(Rectangle(
            (x + i * length / 2, y), length / 2, h, facecolor="black" if i == 0 else "white",
            edgecolor="black", linewidth=0.8, zorder=10))
    label = f"{length / 1000:g} km" if length >= 1000 else f"{length:g} m"
    ax.text(x + length / 2, y + h * 1.8, label, ha="center", va="bottom", fontsize=8, zorder=10)


def _north_arrow(ax, lang):
    ax.annotate(tr("static_map.north", lang), xy=(0.96, 0.98), xytext=(0.96, 0.84),
                xycoords="axes fraction", ha="center", va="center", fontsize=11,
                fontweight="bold", arrowprops={"facecolor": "black", "width": 4,
                                               "headwidth": 11, "headlength": 10})


def figure(result, *, kind="map", lang="zh", title=None):
    """A matplotlib Figure of the consolidation (``kind="map"``) or investment map (``"invest"``).

    The Figure is made directly, not through pyplot: it draws with Agg, and there is no pyplot
    window or figure number to close.

    Examples
    --------
    >>> fig = figure("out/result.gpkg", lang="en")    # doctest: +SKIP
    >>> fig.savefig("map.png")                         # doctest: +SKIP
    """
    import matplotlib
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.colors import to_rgba
    from matplotlib.figure import Figure
    from matplotlib.lines import Line2D
    from matplotlib.patches import Patch

    res = drawable(result)
    s = strings(lang, res.scenario)
    font = cjk_font()
    epsg = local_epsg(res.zones)
    rc = {"font.family": [font, "DejaVu Sans"] if font else ["DejaVu Sans"],
          "axes.unicode_minus": False}
    with matplotlib.rc_context(rc):
        # built on matplotlib's base canvas, which draws nothing: GeoDataFrame.plot redraws the
        # whole figure after every layer on a drawing canvas; the Agg canvas is attached once
        # every layer is in (not a pyplot figure: nothing to close)
        fig = Figure(figsize=(11, 8.5), dpi=150)
        ax = fig.subplots()
        handles = []

        def draw(frame, kind_name, colour=None, label=None, **over):
            if frame is None or not len(frame):
                return
            st = dict(KIND_STYLE[kind_name])
            edge = st["color"] or colour
            fill = st["fill"] or colour
            if kind_name == "sub":
                fill = lighter(colour, 0.5)
            dash = (0, tuple(float(x) for x in st["dash"].split())) if st["dash"] else "solid"
            face = to_rgba(fill, max(st["fill_opacity"], 0.35)) if st["fill_opacity"] > 0 \
                else "none"
            frame.to_crs(epsg).plot(ax=ax, facecolor=face, edgecolor=edge,
                                    linewidth=st["weight"] * 0.6, linestyle=dash, **over)
            if label:
                handles.append(Patch(facecolor=face, edgecolor=edge, linestyle=dash,
                                     label=label))

        parks, zones, plats = res.parks, res.zones, res.platforms
        colours = platform_colours(list(plats["platform_id"]))
        draw(res.layer("counties"), "county", label=s["legend_county"], zorder=1)
        draw(res.layer("protected"), "protected", label=s["legend_protected"], zorder=2)
        zp = zone_platforms(res)
        draw(zones[~zones["zone_id"].isin(set(zp))], "zone", label=s["legend_zone"], zorder=3)
        if kind == "map":
            draw(parks[parks["decision"] == "exit"], "exit", label=s["legend_exit"], zorder=3)
            draw(parks[parks["decision"] == "excluded"], "excluded",
                 label=s["legend_excluded"], zorder=3)
        for _, p in plats.iterrows():
            c = colours[p["platform_id"]]
            draw(parks[(parks["decision"] == "sub_zone")
                       & (parks["platform_id"] == p["platform_id"])], "sub", c, zorder=4)
            draw(zones[zones["zone_id"].map(
                lambda z, pid=p["platform_id"]: zp.get(z) == (pid, "sub"))], "sub", c, zorder=4)
            draw(zones[zones["zone_id"] == p["main_zone_id"]], "main", c,
                 label=p["name"] if len(plats) <= 12 else None, zorder=5)
        plots = res.layer("plots")
        if kind == "invest" and plots is not None and len(plots):
            plots = plots.to_crs(epsg)
            for status, col in PLOT_COLOURS.items():
                sel = plots[plots["status"] == status]
                if len(sel):
                    sel.plot(ax=ax, facecolor=col, edgecolor="#424242", linewidth=0.4, zorder=6)
                    handles.append(Patch(facecolor=col, edgecolor="#424242",
                                         label=s["status_" + status]))
        if kind == "map":
            handles.insert(0, Line2D([], [], color="#555", linestyle=(0, (3, 4)),
                                     label=s["legend_link"]))
            handles.insert(0, Patch(facecolor=lighter("#1f77b4", 0.5), edgecolor="#1f77b4",
                                    label=s["legend_sub"]))
            _links(ax, res, epsg, colours)
        ax.set_aspect("equal")
        ax.set_axis_off()
        x0, x1 = ax.get_xlim()
        y0, y1 = ax.get_ylim()
        pad = 0.08 * max(x1 - x0, y1 - y0)
        ax.set_xlim(x0 - pad, x1 + pad)
        ax.set_ylim(y0 - pad, y1 + pad)
        ax.set_title(title or s["title_map" if kind == "map" else "title_invest"], fontsize=15)
        _scale_bar(ax, lang)
        _north_arrow(ax, lang)
        ax.legend(handles=handles, loc="upper left", bbox_to_anchor=(1.0, 1.0), fontsize=8,
                  frameon=False, title=s["legend"])
        ax.text(0.0, -0.02, f"EPSG:{epsg} · {s['generated']}", transform=ax.transAxes,
                fontsize=7, color="#666", va="top")
        FigureCanvasAgg(fig)
        fig.tight_layout()
    return fig


def _links(ax, res, epsg, colours):
    """Sub-zone → main platform lines, as on the web map."""
    import shapely

    zones = res.zones.to_crs(epsg)
    parks = res.parks.to_crs(epsg)
    main = dict(zip(res.platforms["platform_id"], res.platforms["main_zone_id"], strict=False))
    zpt = {z: shapely.point_on_surface(g)
           for z, g in zip(zones["zone_id"], zones.geometry, strict=True)}
    for _, p in parks[parks["decision"] == "sub_zone"].iterrows():
        target = zpt.get(main.get(p["platform_id"]))
        if target is None:
            continue
        start = shapely.point_on_surface(p.geometry)
        ax.plot([start.x, target.x], [start.y, target.y], linestyle=(0, (3, 4)),
                color=colours.get(p["platform_id"], "#555"), linewidth=1, zorder=7)


def write_static_map(result, *, png=None, pdf=None, kind="map", lang="zh", title=None,
                     overwrite=False):
    """Write the map as PNG and/or PDF (each atomically); return the paths written.

    Examples
    --------
    >>> write_static_map("out/result.gpkg", png="out/map.png", pdf="out/map.pdf")  # doctest: +SKIP
    """
    from .charts import gc_paused, tight_bbox

    outs = [p for p in (png, pdf) if p]
    for p in outs:
        check_output(p, overwrite=overwrite)
    written = []
    with gc_paused():
        fig = figure(result, kind=kind, lang=lang, title=title)
        for path, fmt in ((png, "png"), (pdf, "pdf")):
            if not path:
                continue
            with atomic_path(path, overwrite=overwrite) as tmp:
                if fmt == "png":  # the box measured with the renderer that draws the PNG
                    fig.savefig(tmp, format=fmt, dpi=200, bbox_inches=tight_bbox(fig, 200))
                else:
                    fig.savefig(tmp, format=fmt, bbox_inches="tight")
            written.append(path)
    return written
