"""The report as one HTML page: the tables, the charts and the consolidation map inside the file,
set up to print."""

from __future__ import annotations

import datetime as _dt
import logging
import unicodedata

import pandas as pd

from .._atomic import write_text_atomic
from ..i18n import WORDS
from .charts import _png, chart_counties, chart_ranking, chart_targets, chart_trends, gc_paused
from .display import esc
from .words import (
    _PER_ROW_UNIT,
    _kind,
    _word,
    label,
    report_readings,
    scenario_name,
    weights_source,
)
from .workbook import _display, _display_frame

log = logging.getLogger("parkgeo.publish.report")

# ------------------------------------------------------------------------------------------------
# the HTML page
# ------------------------------------------------------------------------------------------------

_CSS = """
body{font-family:"Noto Sans CJK SC","Microsoft YaHei","PingFang SC",sans-serif;margin:0;
color:#212121;background:#fafafa}
main{max-width:1320px;margin:0 auto;padding:16px 24px 48px}
h1{font-size:24px;margin:8px 0 4px}h2{font-size:19px;margin:32px 0 8px;
border-bottom:2px solid #1565c0;padding-bottom:4px}
.meta{color:#616161;font-size:13px}
nav{font-size:13px;margin:8px 0}nav a{margin-right:12px;color:#1565c0}
.cards{display:flex;flex-wrap:wrap;gap:12px;margin:12px 0}
.card{background:#fff;border:1px solid #e0e0e0;border-radius:6px;padding:10px 16px;
min-width:120px}.card b{display:block;font-size:22px}
.scroll{overflow-x:auto;max-height:560px;overflow-y:auto;border:1px solid #e0e0e0;
background:#fff}
table{border-collapse:collapse;font-size:12.5px;width:100%}
th{position:sticky;top:0;background:#dde7f0;text-align:left;padding:5px 8px;
border-bottom:1px solid #b0bec5;white-space:nowrap}
td{padding:4px 8px;border-bottom:1px solid #eee;vertical-align:top}
td.s{white-space:nowrap}td.w{min-width:320px}td.m{min-width:150px}td.n{text-align:right;white-space:nowrap;font-variant-numeric:tabular-nums}
tr:nth-child(even) td{background:#f7f9fb}
.met{color:#2e7d32;font-weight:600}.not-met{color:#c62828;font-weight:600}
.no-data{color:#757575;font-style:italic}
.admit{color:#2e7d32;font-weight:600}.review{color:#ef6c00;font-weight:600}
.reject{color:#c62828;font-weight:600}
img.chart{max-width:100%;background:#fff;border:1px solid #e0e0e0;margin:8px 0}
iframe.map{width:100%;height:620px;border:1px solid #e0e0e0;background:#fff}
ul.readings li{margin:4px 0;font-size:13px}
.note{color:#616161;font-size:13px}
img.map-print,.print-group{display:none}
@media (max-width:640px){main{padding:8px 10px 32px}h1{font-size:20px}
iframe.map{height:80vh}.card{min-width:0;padding:8px 10px}nav a{display:inline-block;
line-height:32px}}
@page{size:A4 landscape;margin:10mm}
@media print{body{background:#fff}main{max-width:none;padding:0}
nav,.screen,iframe.map{display:none!important}
img.map-print{display:block;width:100%;max-height:175mm;object-fit:contain;
break-inside:avoid}
.print-group{display:block;margin:0 0 4mm}
.scroll{max-height:none;overflow:visible;border:none}
table{font-size:7pt}th{position:static;white-space:nowrap;padding:2px 3px}
td{padding:1px 3px}td.w,td.m{min-width:0}
thead{display:table-header-group}tr{break-inside:avoid}
img.chart{max-height:175mm;break-inside:avoid}
h2{break-after:avoid;page-break-before:auto}}
"""

_STATUS_CLASS = {"met": "met", "not met": "not-met", "no data": "no-data", "admit": "admit",
                 "review": "review", "reject": "reject"}


def html_table(frame, lang, *, max_rows=None):
    """An HTML table of ``frame``: translated headers and values, every value escaped."""
    if frame is None:
        return ""
    shown = _display_frame(frame, lang)
    cols = list(frame.columns)
    kinds = {c: _kind(c, frame) for c in cols}
    units = frame["unit"].tolist() if "unit" in frame else None
    head = [f"<th>{esc(label(c, lang))}</th>" for c in cols]
    widths = [_em(label(c, lang)) for c in cols]  # headers do not wrap on paper
    body = []
    n = len(frame) if max_rows is None else min(len(frame), max_rows)
    for i in range(n):
        cells = []
        for j, c in enumerate(cols):
            kind = kinds[c]
            if units is not None and c in _PER_ROW_UNIT:
                kind = "share" if units[i] == "share" else "number"
            text = _display(shown.iat[i, j], kind, lang)
            raw = frame.iat[i, j]
            cls = []
            if kind in ("int", "number", "share", "score"):
                cls.append("n")
            if c in ("status", "admission", "R3", "R11", "T6") and isinstance(raw, str):
                cls.append(_STATUS_CLASS.get(raw, ""))
            if len(text) <= 14:
                cls.append("s")
            elif len(text) > 40:
                cls.append("w")
            elif kind == "text":
                cls.append("m")
            attr = f' class="{" ".join(x for x in cls if x)}"' if any(cls) else ""
            cells.append(f"<td{attr}>{esc(text)}</td>")
            widths[j] = max(widths[j], min(_em(text), _PRINT_WRAP_EM))
        body.append(cells)
    more = ""
    if n < len(frame):
        more = f'<p class="note">{esc(_word("more_rows", lang).format(n=len(frame) - n))}</p>'
    groups = _print_groups(cols, widths)
    whole = (f'<div class="scroll{" screen" if len(groups) > 1 else ""}"><table><thead><tr>'
             f'{"".join(head)}</tr></thead><tbody>'
             + "".join("<tr>" + "".join(r) + "</tr>" for r in body) + "</tbody></table></div>")
    if len(groups) > 1:
        # on paper: the table in column groups a page wide, each repeating the id column
        whole += "".join(
            f'<div class="print-group"><table><thead><tr>{"".join(head[j] for j in g)}</tr>'
            f"</thead><tbody>"
            + "".join("<tr>" + "".join(r[j] for j in g) + "</tr>" for r in body)
            + "</tbody></table></div>" for g in groups)
    return whole + more


#: printed tables: a landscape A4 page (277 mm between margins) in em of the 7 pt print font,
#: and the width past which a cell's text wraps on paper
_PRINT_PAGE_EM = 105.0
_PRINT_WRAP_EM = 16.0


def _em(text):
    """Width of a text in em: wide (CJK) characters 1, others about half."""
    return sum(1.0 if unicodedata.east_asian_width(ch) in "WF" else 0.56 for ch in str(text))


def _print_groups(cols, widths):
    """Column indices of each printed part of a table: all of them when the table fits a page
    across, else groups that do, each starting with the id column (and the name, if any)."""
    pad = 1.3  # a cell's padding, in em
    need = [w + pad for w in widths]
    if sum(need) <= _PRINT_PAGE_EM:
        return [list(range(len(cols)))]
    keys = [0] + [j for j, c in enumerate(cols) if c == "name" and j != 0]
    room = _PRINT_PAGE_EM - sum(need[j] for j in keys)
    groups, current, used = [], [], 0.0
    for j in range(len(cols)):
        if j in keys:
            continue
        if current and used + need[j] > room:
            groups.append(keys + current)
            current, used = [], 0.0
        current.append(j)
        used += need[j]
    if current:
        groups.append(keys + current)
    return groups


def _img(uri, alt):
    return f'<img class="chart" src="{esc(uri)}" alt="{esc(alt)}">'


def _chart(draw, data, lang, alt):
    """A chart for every screen: the wide version, and on a phone (up to 640 CSS px) the
    narrow one, whose text stays legible there; ``data-font-px`` attributes give each version's
    smallest text in image pixels."""
    wide, narrow = draw(data, lang), draw(data, lang, narrow=True)
    return (f'<picture><source media="(max-width: 640px)" srcset="{esc(narrow)}">'
            f'<img class="chart" src="{esc(wide)}" alt="{esc(alt)}" '
            f'data-font-px="{wide.font_px}" data-font-px-narrow="{narrow.font_px}"></picture>')


def _static_map(data, lang):
    """The static consolidation map (:func:`parkgeo.publish.static.figure`) as a data: URI,
    or None when it cannot be drawn."""
    try:
        from .static import figure

        with gc_paused():
            return _png(figure(data.result, kind="map", lang=lang), dpi=150)
    except Exception as exc:  # the report still stands without the static map; say so
        log.warning("no static consolidation map in the report: %s", exc)
        return None


def _map_html(data, lang):
    """The consolidation map: the interactive web map in an iframe (srcdoc) on screen and the
    static map on paper (a printed page cannot hold a web map); the static map alone when the
    web map cannot be drawn."""
    static = _static_map(data, lang)
    try:
        from .elements import page_html
        from .webmap import render_map
    except ImportError:
        render_map = None
    if render_map is not None:
        try:
            fmap = render_map(data.result, lang=lang)
            doc = page_html(fmap)
            printed = (f'<img class="map-print" src="{esc(static)}" '
                       f'alt="{esc(_word("map_static", lang))}">' if static else "")
            return (f'<iframe class="map" title="{esc(_word("map", lang))}" '
                    f'srcdoc="{esc(doc)}"></iframe>{printed}'
                    f'<p class="note screen">{esc(_word("map_link", lang))}</p>')
        except Exception as exc:  # the report still stands without the web map; say so
            log.warning("the interactive map could not be drawn (%s); using a static map", exc)
    if static is None:
        log.warning("no consolidation map in the report")
        return ""
    return _img(static, _word("map_static", lang))


def render_html(data, lang="zh"):
    """The report as one self-contained HTML page (charts and map embedded)."""
    t = data.tables
    w = lambda k: esc(_word(k, lang))  # noqa: E731
    parks = t["parks"]
    dec = parks["decision"] if "decision" in parks else pd.Series(dtype=object)
    status = t["targets"]["status"]
    sections = []
    toc = []

    def section(key, body):
        toc.append(f'<a href="#{key}">{w(key)}</a>')
        sections.append(f'<section id="{key}"><h2>{w(key)}</h2>{body}</section>')

    cards = [(len(t["platforms"]), "n_platforms"), (int((dec == "sub_zone").sum()), "n_sub"),
             (int((dec == "exit").sum()), "n_exit"), (int((dec == "excluded").sum()),
                                                      "n_excluded"),
             (int((status == "met").sum()), "targets_met"),
             (int((status == "not met").sum()), "targets_not"),
             (int((status == "no data").sum()), "targets_nodata")]
    section("summary", '<div class="cards">' + "".join(
        f'<div class="card"><b>{n}</b>{w(k)}</div>' for n, k in cards) + "</div>"
        + html_table(t["platforms"], lang))
    section("map", _map_html(data, lang))
    section("parks", html_table(t["parks"], lang))
    section("targets", _chart(chart_targets, data, lang, _word("chart_targets", lang))
            + html_table(t["targets"], lang))
    section("counties", _chart(chart_counties, data, lang, _word("chart_counties", lang))
            + html_table(t["counties"], lang))
    if data.ranking is not None:
        q = t["quarterly"]
        latest = q.dropna(subset=["value"])
        if len(latest):
            last = latest["period"].max()
            latest = latest[latest["period"] == last].drop(columns=["period"])
            body = (_chart(chart_trends, data, lang, _word("chart_trends", lang))
                    + f"<p><b>{w('latest')}: {esc(last)}</b></p>" + html_table(latest, lang))
        else:
            body = f'<p class="note">{w("no_monitoring")}</p>'
        section("monitoring", body)
        r = data.ranking
        wt = pd.DataFrame({"indicator": list(r.weights.index), "weight": r.weights.to_numpy(),
                           "benchmark": r.benchmarks.reindex(r.weights.index).to_numpy()})
        wt["indicator"] = [label(k, lang) for k in wt["indicator"]]
        how = _word(r.benchmark_how, lang) if f"report.{r.benchmark_how}" in WORDS \
            else r.benchmark_how
        body = (f"<p><b>{w('year')}: {r.year}</b> · {w('benchmark_how')}: {esc(how)}</p>"
                + (_chart(chart_ranking, data, lang, _word("chart_ranking", lang))
                   if t["ranking"]["rank"].notna().any() else "")
                + html_table(t["ranking"], lang)
                + f"<h3>{w('weights')}</h3>" + html_table(wt, lang)
                + f'<p class="note">{w("weights_source")}: {esc(weights_source(r, lang))}</p>')
        section("ranking", body)
    else:
        section("monitoring", f'<p class="note">{w("no_monitoring")}</p>')
    if data.admission is not None:
        counts = data.admission.counts()
        section("admission", f"<p><b>{esc(_word('admission_counts', lang).format(**counts))}"
                f"</b></p>" + html_table(t["admission"], lang))
    else:
        section("admission", f'<p class="note">{w("no_projects")}</p>')
    prob = t["problems"]
    section("problems", (f'<p class="note">{w("problems_note")}</p>'
                         + html_table(prob, lang, max_rows=500)) if len(prob)
            else f'<p class="note">{w("no_problems")}</p>')
    section("readings", '<ul class="readings">' + "".join(
        f"<li>{esc(r)}</li>" for r in report_readings(data, lang)) + "</ul>")
    now = _dt.datetime.now().strftime("%Y-%m-%d %H:%M")
    return (
        f'<!DOCTYPE html><html lang="{"zh-CN" if lang == "zh" else "en"}"><head>'
        f'<meta charset="utf-8"><meta name="viewport" content="width=device-width,'
        f'initial-scale=1"><title>{w("title")}</title><style>{_CSS}</style></head><body><main>'
        f"<h1>{w('title')}</h1>"
        f'<p class="meta">{w("source")}: {esc(data.source)} · {w("scenario")}: '
        f'{esc(scenario_name(data.scenario, lang))} · {w("generated")}: {esc(now)}</p>'
        f'<nav>{"".join(toc)}</nav>' + "".join(sections) + "</main></body></html>")


def write_html(data, out, *, lang="zh", overwrite=False):
    """Write the HTML report atomically."""
    return write_text_atomic(out, render_html(data, lang), overwrite=overwrite)
