"""The report's charts (matplotlib, embedded as data: URIs): platform indicators against the
targets, each county before and after, quarterly trends, the ranking."""

from __future__ import annotations

import base64
import contextlib
import functools
import gc
import io
import logging
import math
import warnings

import numpy as np

from ..i18n import tr
from .words import _value, _word

# ------------------------------------------------------------------------------------------------
# charts (matplotlib, embedded as data: URIs)
# ------------------------------------------------------------------------------------------------

log = logging.getLogger("parkgeo.publish.report")


def _chart_context(lang):
    """(rc params, lang for chart labels): English labels when no CJK font is installed."""
    from .static import cjk_font

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        font = cjk_font()
    if font is None and lang == "zh":
        warnings.warn("no CJK font found (Debian: apt-get install fonts-noto-cjk): the report's "
                      "charts use English labels and platform ids", stacklevel=3)
        lang = "en"
    elif font is None:
        for w in caught:
            log.debug("%s", w.message)
    rc = {"font.family": [font, "DejaVu Sans"] if font else ["DejaVu Sans"],
          "axes.unicode_minus": False, "font.size": 9}
    return rc, lang, font is not None


@contextlib.contextmanager
def gc_paused():
    """The cyclic garbage collector paused while a picture is drawn.

    matplotlib makes tens of thousands of short-lived objects per chart (ticks, texts,
    transforms, paths); every 700 of them the collector runs, and its fuller passes walk every
    long-lived object of the process too (the result's frames, the modules): a tenth or more of
    a chart's time. Paused, it runs at its next turn after the picture, on what is left."""
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was:
            gc.enable()


def _drawn_with_gc_paused(draw):
    """``draw`` run under :func:`gc_paused`."""

    @functools.wraps(draw)
    def wrapper(*args, **kwargs):
        with gc_paused():
            return draw(*args, **kwargs)

    return wrapper


def _fixed_labels(fig):
    """Fixed places for the panels' axis labels, which the charts leave empty: placed
    automatically, an empty label still has matplotlib measure every tick label of its axis
    and of the axes aligned with it, at the layout, at the tight box and at drawing (a third
    of a chart's text layouts). An empty label draws nothing and takes no room, wherever it
    is."""
    for ax in fig.axes:
        for axis, xy in ((ax.xaxis, (0.5, -0.1)), (ax.yaxis, (-0.1, 0.5))):
            if not axis.label.get_text():
                axis.set_label_coords(*xy)


def _tight(fig, narrow):
    """tight_layout below the figure's title (a column of panels leaves it less room)."""
    _fixed_labels(fig)
    fig.tight_layout(rect=(0, 0, 1, 1 - 0.45 / fig.get_figheight()) if narrow else None)


class Chart(str):
    """A chart as a PNG data: URI, with ``font_px``: its smallest text in image pixels (how
    small the text gets when a browser scales the image down is checked against it)."""

    font_px: float = 0.0


def tight_bbox(fig, dpi):
    """The figure's tight bounding box (inches, padded by ``savefig.pad_inches``), as
    ``savefig(bbox_inches="tight")`` finds it but without the extra draw of the whole figure
    that savefig makes first: text is laid out once for the box and once for the picture."""
    import matplotlib

    before = fig.dpi
    fig.set_dpi(dpi)  # text is measured at the resolution it is drawn at
    try:
        box = fig.get_tightbbox(fig.canvas.get_renderer())
    finally:
        fig.set_dpi(before)
    pad = matplotlib.rcParams["savefig.pad_inches"]
    return box.padded(pad, pad)


#: resolution of the report's charts: phone screens have 2-3 device pixels per CSS pixel
_DPI, _NARROW_DPI = 110, 160


def _png(fig, dpi=_DPI, narrow=False):
    import matplotlib.pyplot as plt
    from matplotlib.text import Text
    from PIL import Image

    dpi = _NARROW_DPI if narrow else dpi
    sizes = [x.get_fontsize() for x in fig.findobj(Text) if x.get_visible() and x.get_text()]
    buf = io.BytesIO()
    # an uncompressed TIFF, only read back here to be quantised and compressed once (a PNG
    # of compress level 0 still filters every row, and costs eight times as much)
    fig.savefig(buf, format="tiff", dpi=dpi, bbox_inches=tight_bbox(fig, dpi))
    plt.close(fig)
    # a chart has few colours: a 128-colour palette keeps it sharp at a third of the bytes;
    # zlib level 8 gives the same pixels as level 9 (optimize=True) in a third of the time,
    # for about 1.5 % more bytes (the Jiaxing report's nine pictures)
    with Image.open(io.BytesIO(buf.getvalue())) as img:
        small = io.BytesIO()
        img.convert("RGB").quantize(colors=128).save(small, format="png", compress_level=8)
    out = Chart("data:image/png;base64," + base64.b64encode(small.getvalue()).decode("ascii"))
    out.font_px = round(min(sizes, default=0.0) * dpi / 72, 2)
    return out


def _names(data, chart_lang, cjk):
    p = data.tables["platforms"]
    if cjk or chart_lang == "zh":
        return dict(zip(p["platform_id"].astype(str), p["name"].astype(str), strict=False))
    return {pid: pid for pid in p["platform_id"].astype(str)}


#: phone versions of the charts: a column of panels this many inches wide, no text under 8 pt
_NARROW_IN = 3.9
_NARROW_PT = 8


@_drawn_with_gc_paused
def chart_targets(data, lang, narrow=False):
    """Small multiples: each platform's figure against the target (dashed line); one column
    of panels when ``narrow`` (phones)."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    rc, clang, cjk = _chart_context(lang)
    names = _names(data, clang, cjk)
    t = data.tables["targets"]
    t = t[t["scope"] == "platform"]
    panels = [("T4", "industrial_va_100m"), ("T3", "output_per_mu_10k"),
              ("T3", "tax_per_mu_10k"), ("T2", "high_tech_va_share"), ("T2", "rd_share"),
              ("T4", "listed_firms")]
    pids = list(dict.fromkeys(t["id"]))
    with plt.rc_context(rc):
        small = _NARROW_PT if narrow else 7
        if narrow:
            fig, axes = plt.subplots(6, 1, squeeze=False, figsize=(
                _NARROW_IN, 6 * (0.8 + 0.24 * len(pids))))
        else:
            fig, axes = plt.subplots(2, 3, figsize=(12, 1.6 + 0.33 * len(pids) * 2),
                                     squeeze=False)
        for ax, (target, ind) in zip(axes.flat, panels, strict=False):
            sub = t[(t["target"] == target) & (t["indicator"] == ind)].set_index("id")
            sub = sub.reindex(pids)
            share = sub["unit"].eq("share").any()
            scale = 100.0 if share else 1.0
            y = np.arange(len(pids))
            vals = sub["figure"].to_numpy(dtype=float) * scale
            colours = [{"met": "#2e7d32", "not met": "#ef6c00"}.get(s, "#9e9e9e")
                       for s in sub["status"]]
            ax.barh(y, np.nan_to_num(vals), color=colours)
            thr = float(sub["threshold"].dropna().iloc[0]) * scale if sub["threshold"].notna(
            ).any() else None
            if thr is not None:
                ax.axvline(thr, color="#c62828", linestyle="--", linewidth=1)
            for yi, v, s in zip(y, vals, sub["status"], strict=False):
                txt = _word("no_data", clang) if s == "no data" else (
                    f"{v:.1f}%" if share else f"{v:,.0f}" if v >= 10 else f"{v:.2g}")
                ax.text(0 if math.isnan(v) or s == "no data" else v, yi, " " + txt,
                        va="center", fontsize=small, color="#333")
            ax.set_yticks(y, [names.get(p, p) for p in pids], fontsize=small)
            ax.invert_yaxis()
            ttl = tr(f"value.indicator.{ind}", clang)
            unit = {"industrial_va_100m": "亿元", "output_per_mu_10k": "万元/mu",
                    "tax_per_mu_10k": "万元/mu"}.get(ind)
            unit = _value("unit", unit, clang) if unit else "%" if share else ""
            ax.set_title(f"{target} {ttl}" + (f" ({unit})" if unit else ""), fontsize=9)
            ax.spines[["top", "right"]].set_visible(False)
            ax.tick_params(axis="x", labelsize=small)
        fig.suptitle(_word("chart_targets", clang), fontsize=11)
        _tight(fig, narrow)
        return _png(fig, narrow=narrow)


@_drawn_with_gc_paused
def chart_counties(data, lang, narrow=False):
    """Per county: industrial platforms before, major platforms and sub-zones after; exits
    against the R11 quota."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    rc, clang, cjk = _chart_context(lang)
    c = data.tables["counties"]
    labels = list(c["county"]) if cjk else [f"C{i + 1}" for i in range(len(c))]
    x = np.arange(len(c))
    with plt.rc_context(rc):
        small = _NARROW_PT if narrow else 7
        tick = _NARROW_PT if narrow else 8
        if narrow:
            fig, (a1, a2) = plt.subplots(2, 1, figsize=(_NARROW_IN, 7.6))
        else:
            fig, (a1, a2) = plt.subplots(1, 2, figsize=(12, 4.2))
        w = 0.27
        a1.bar(x - w, c["before"], w, label=_word("before", clang), color="#90a4ae")
        a1.bar(x, c["platforms"], w, label=_word("after", clang), color="#1565c0")
        a1.bar(x + w, c["sub_zone_count"], w, label=_word("sub", clang), color="#64b5f6")
        for xi, v in zip(x, c["platforms"], strict=False):
            a1.text(xi, v, str(v), ha="center", va="bottom", fontsize=small)
        a1.set_xticks(x, labels, rotation=30 if not narrow else 60, ha="right", fontsize=tick)
        a1.legend(fontsize=tick, frameon=False)
        a1.set_title(_word("before", clang) + " / " + _word("after", clang), fontsize=9)
        cols = ["#2e7d32" if e >= q else "#ef6c00"
                for e, q in zip(c["exits"], c["quota"], strict=True)]
        a2.bar(x, c["exits"], 0.5, color=cols, label=_word("exits", clang))
        a2.scatter(x, c["quota"], marker="_", s=400, color="#c62828", zorder=3,
                   label=_word("quota", clang) + " (R11)")
        a2.set_xticks(x, labels, rotation=30 if not narrow else 60, ha="right", fontsize=tick)
        a2.legend(fontsize=tick, frameon=False)
        a2.set_title(_word("exits", clang) + " / " + _word("quota", clang) + " (R11)",
                     fontsize=9)
        for ax in (a1, a2):
            ax.spines[["top", "right"]].set_visible(False)
            ax.yaxis.get_major_locator().set_params(integer=True)
            ax.tick_params(axis="y", labelsize=tick)
        fig.suptitle(_word("chart_counties", clang), fontsize=11)
        _tight(fig, narrow)
        return _png(fig, narrow=narrow)


TREND_INDICATORS = ("industrial_output_100m", "industrial_va_100m", "tax_100m",
                    "investment_100m")


@_drawn_with_gc_paused
def chart_trends(data, lang, narrow=False):
    """Quarterly lines of the main flows, one line per platform."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    rc, clang, cjk = _chart_context(lang)
    names = _names(data, clang, cjk)
    q = data.tables["quarterly"]
    periods = sorted(q["period"].unique())
    pids = list(dict.fromkeys(q["platform_id"]))
    cmap = plt.get_cmap("tab10" if len(pids) <= 10 else "tab20")
    with plt.rc_context(rc):
        small = _NARROW_PT if narrow else 7
        if narrow:
            fig, axes = plt.subplots(4, 1, figsize=(_NARROW_IN, 11), squeeze=False)
        else:
            fig, axes = plt.subplots(2, 2, figsize=(12, 7), squeeze=False)
        for ax, ind in zip(axes.flat, TREND_INDICATORS, strict=False):
            sub = q[q["indicator"] == ind]
            for k, pid in enumerate(pids):
                s = sub[sub["platform_id"] == pid].set_index("period")["value"].reindex(periods)
                ax.plot(range(len(periods)), s.to_numpy(dtype=float), marker="o", markersize=2,
                        linewidth=1.2, color=cmap(k % cmap.N), label=names.get(pid, pid))
            unit = _value("unit", "亿元", clang)
            ax.set_title(f'{tr(f"value.indicator.{ind}", clang)} ({unit})', fontsize=9)
            step = max(1, len(periods) // (4 if narrow else 8))
            ax.set_xticks(range(0, len(periods), step), periods[::step], fontsize=small,
                          rotation=30)
            ax.spines[["top", "right"]].set_visible(False)
            ax.tick_params(axis="y", labelsize=small)
        handles, labels = axes[0, 0].get_legend_handles_labels()
        if narrow:  # under the panels: a phone has no room beside them
            fig.legend(handles, labels, loc="upper center", bbox_to_anchor=(0.5, 0.0),
                       fontsize=_NARROW_PT, frameon=False, ncol=1)
        else:
            fig.legend(handles, labels, loc="center left", bbox_to_anchor=(1.0, 0.5),
                       fontsize=8, frameon=False)
        fig.suptitle(_word("chart_trends", clang), fontsize=11)
        _tight(fig, narrow)
        return _png(fig, narrow=narrow)


@_drawn_with_gc_paused
def chart_ranking(data, lang, narrow=False):
    """Composite score bars with each platform's rank and rank range."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    rc, clang, cjk = _chart_context(lang)
    names = _names(data, clang, cjk)
    r = data.tables["ranking"]
    r = r[r["rank"].notna()]
    with plt.rc_context(rc):
        fig, ax = plt.subplots(figsize=(_NARROW_IN if narrow else 10,
                                        1.2 + 0.38 * max(len(r), 1)))
        y = np.arange(len(r))
        ax.barh(y, r["score"].to_numpy(dtype=float), color="#1565c0")
        ax.axvline(100, color="#757575", linestyle=":", linewidth=1)
        for yi, (_, row) in zip(y, r.iterrows(), strict=False):
            ax.text(row["score"], yi, "  " + _word("score_label", clang).format(
                rank=int(row["rank"]), lo=int(row["rank_min"]), hi=int(row["rank_max"]))
                + f"  {row['score']:.1f}", va="center", fontsize=8)
        ax.set_yticks(y, [names.get(str(p), str(p)) for p in r["platform_id"]], fontsize=8)
        ax.invert_yaxis()
        ax.set_xlim(0, max(float(r["score"].max()) * 1.3 if len(r) else 1, 120))
        ax.spines[["top", "right"]].set_visible(False)
        ax.tick_params(axis="x", labelsize=8)
        ax.set_title(_word("chart_ranking", clang), fontsize=10, loc="left" if narrow else "center")
        _fixed_labels(fig)
        fig.tight_layout()
        return _png(fig, narrow=narrow)
