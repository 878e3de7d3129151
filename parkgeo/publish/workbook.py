"""The report as an Excel workbook (openpyxl: one sheet per table, codes as text, units in the
headers, print set-up, native charts), and plain tables (CSV / JSON / GeoPackage) for the CLI."""

from __future__ import annotations

import datetime as _dt
import json
import math
from pathlib import Path

import numpy as np
import pandas as pd

from .._atomic import atomic_path, check_output, write_text_atomic
from ..errors import OutputError
from ..i18n import tr
from .words import (
    _PER_ROW_UNIT,
    VALUE_COLUMNS,
    _is_missing,
    _kind,
    _value,
    _word,
    label,
    report_readings,
    scenario_name,
)

# ------------------------------------------------------------------------------------------------
# output: workbook, HTML, and plain tables (CSV / JSON / GeoPackage) for the CLI
# ------------------------------------------------------------------------------------------------


def _sheet_tables(data, lang):
    """(key, sheet name, DataFrame or a note) in workbook order."""
    t = data.tables
    out = [
        ("platforms", _word("platforms_sheet", lang), t["platforms"]),
        ("parks", _word("parks_sheet", lang), t["parks"]),
        ("counties", _word("counties_sheet", lang), t["counties"]),
        ("targets", _word("targets_sheet", lang), t["targets"]),
        ("ranking", _word("ranking_sheet", lang), t["ranking"] if t["ranking"] is not None
         else _word("no_monitoring", lang)),
        ("quarterly", _word("quarterly_sheet", lang), t["quarterly"]
         if t["quarterly"] is not None else _word("no_monitoring", lang)),
        ("admission", _word("admission_sheet", lang), t["admission"]
         if t["admission"] is not None else _word("no_projects", lang)),
        ("problems", _word("problems_sheet", lang), t["problems"]),
    ]
    return out


def _display_frame(frame, lang):
    """Values translated (decisions, statuses …); columns unchanged."""
    out = frame.copy()
    for c in out.columns:
        if (c in VALUE_COLUMNS or c in ("R3", "R11", "T6")) and not pd.api.types.is_numeric_dtype(
                out[c]):
            out[c] = out[c].astype(object).map(lambda v, k=c: _value(k, v, lang))
    if "unit" in frame:
        out["unit"] = frame["unit"].map(lambda v: _value("unit", v, lang))
    if "scope" in frame and "id" in frame:  # the city-wide rows name no place: "city"
        city = (frame["scope"] == "city") & (frame["id"] == "city")
        out.loc[city, "id"] = tr("value.scope.city", lang)
    return out


def _text_width(text):
    """Display width of ``text`` in Excel column units: CJK and full-width characters count 2."""
    return sum(2 if ord(ch) > 0x2E80 else 1 for ch in str(text))


def excel_text(value, fmt):
    """``value`` as Excel shows it under number format ``fmt`` (the formats this workbook uses).

    openpyxl stores number formats but does not render them, so the few formats written here
    are rendered by hand to size the columns (no ``###`` in a column too narrow for a number).
    """
    if value is None:
        return ""
    if isinstance(value, str) or fmt == "@":
        return str(value)
    x = float(value)
    if fmt == "0.0%":
        return f"{x * 100:,.1f}%".replace(",", "")
    if fmt == "#,##0":
        return f"{x:,.0f}"
    if fmt == "#,##0.00":
        return f"{x:,.2f}"
    if fmt == "0":
        return f"{x:.0f}"
    if fmt == "0.0":
        return f"{x:.1f}"
    return f"{x:.10g}"  # General: up to 11 significant digits


#: widest column (Excel units); longer text wraps
MAX_WIDTH = 60
#: a header wraps over two or three lines rather than widening a narrow number column
HEADER_WIDTH = 14


def _fit_columns(ws, *, header_row=1):
    """Column widths from the longest formatted value (headers may wrap); header row height."""
    from math import ceil

    from openpyxl.styles import Alignment
    from openpyxl.utils import get_column_letter

    widths = {}
    for row in ws.iter_rows(min_row=header_row + 1):
        for cell in row:
            if cell.value is None:
                continue
            w = _text_width(excel_text(cell.value, cell.number_format))
            widths[cell.column] = max(widths.get(cell.column, 0), w)
    lines = 1
    for cell in ws[header_row]:
        data_w = widths.get(cell.column, 0)
        head_w = _text_width(cell.value or "")
        width = min(max(data_w, min(head_w, HEADER_WIDTH), 4) + 2, MAX_WIDTH)
        ws.column_dimensions[get_column_letter(cell.column)].width = width
        lines = max(lines, ceil(head_w * 1.1 / max(width - 1, 1)))
        if data_w > MAX_WIDTH - 2:
            for (c,) in ws.iter_rows(min_row=header_row + 1, min_col=cell.column,
                                     max_col=cell.column):
                c.alignment = Alignment(wrap_text=True, vertical="top")
    ws.row_dimensions[header_row].height = 15 * min(lines, 4) + 3


def _print_setup(ws, title, lang, *, header_rows=1):
    """A4, landscape where wide, fit to one page wide, header rows repeated, title and print
    date in the page header, page numbers in the footer."""
    total = sum((ws.column_dimensions[letter].width or 8.43) for letter in _used_letters(ws))
    ps = ws.page_setup
    ps.paperSize = ws.PAPERSIZE_A4
    ps.orientation = "landscape" if total > 95 else "portrait"
    ps.fitToWidth = 1
    ps.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_options.gridLines = False
    ws.page_margins.left = ws.page_margins.right = 0.4
    ws.page_margins.top = ws.page_margins.bottom = 0.75
    ws.page_margins.header = ws.page_margins.footer = 0.3
    if header_rows:
        ws.print_title_rows = f"1:{header_rows}"
    printed = _word("printed", lang)
    ws.oddHeader.left.text = title.replace("&", "&&")
    ws.oddHeader.center.text = "&A"
    ws.oddHeader.right.text = f"{printed} &D"
    ws.oddFooter.center.text = _word("page_of", lang)


def _used_letters(ws):
    from openpyxl.utils import get_column_letter

    return [get_column_letter(j) for j in range(1, ws.max_column + 1)]


def _add_charts(ws, key, frame, lang, sheets):
    """Native Excel charts (openpyxl.chart) under the ranking, targets and monitoring tables."""
    from openpyxl.chart import BarChart, LineChart, Reference
    from openpyxl.chart.series import SeriesLabel

    n = len(frame)
    anchor = f"A{n + 3}"
    cols = list(frame.columns)
    if key == "ranking" and {"score", "name"} <= set(cols) and frame["score"].notna().any():
        # rows down to the last scored one (the ranking lists unranked platforms last)
        ranked = int(np.flatnonzero(frame["score"].notna().to_numpy())[-1]) + 1
        ch = BarChart()
        ch.type = "bar"
        ch.title = f'R15 {label("score", lang)}'
        ch.legend = None
        sc, nm = cols.index("score") + 1, cols.index("name") + 1
        ch.add_data(Reference(ws, min_col=sc, min_row=1, max_row=ranked + 1), titles_from_data=True)
        ch.set_categories(Reference(ws, min_col=nm, min_row=2, max_row=ranked + 1))
        ch.x_axis.scaling.orientation = "maxMin"  # rank 1 on top
        ch.width, ch.height = 22, 3 + 0.7 * ranked
        ws.add_chart(ch, anchor)
    elif key == "targets" and "platforms" in sheets:
        pws, plat = sheets["platforms"]
        pcols = list(plat.columns)
        row = n + 3
        for ind, target in (("industrial_va_100m", "T4"), ("output_per_mu_10k", "T3"),
                            ("tax_per_mu_10k", "T3")):
            if ind not in pcols or "name" not in pcols or not len(plat):
                continue
            thr = frame[(frame["target"] == target) & (frame["indicator"] == ind)]["threshold"]
            ch = BarChart()
            ch.type = "bar"
            head = f"{target} {label(ind, lang)}"
            if thr.notna().any():
                ch.title = f"{head} — {label('threshold', lang)} ≥ {float(thr.dropna().iloc[0]):g}"
            else:
                ch.title = head
            ch.legend = None
            col = pcols.index(ind) + 1
            ch.add_data(Reference(pws, min_col=col, min_row=1, max_row=len(plat) + 1),
                        titles_from_data=True)
            ch.set_categories(Reference(pws, min_col=pcols.index("name") + 1, min_row=2,
                                        max_row=len(plat) + 1))
            ch.x_axis.scaling.orientation = "maxMin"
            ch.width, ch.height = 22, 3 + 0.6 * len(plat)
            ws.add_chart(ch, f"A{row}")
            row += int(ch.height * 2) + 2
    elif key == "quarterly" and {"platform_id", "indicator", "period", "value"} <= set(cols):
        ind = "industrial_output_100m"
        names = dict(zip(sheets["platforms"][1]["platform_id"].astype(str),
                         sheets["platforms"][1]["name"].astype(str), strict=False)) \
            if "platforms" in sheets else {}
        sel = frame.index[frame["indicator"] == ind]
        if not len(sel):
            return
        ch = LineChart()
        ch.title = f'{tr(f"value.indicator.{ind}", lang)} ({_value("unit", "亿元", lang)})'
        ch.y_axis.title = _value("unit", "亿元", lang)
        vc, pc = cols.index("value") + 1, cols.index("period") + 1
        first = None
        for pid, rows in frame.loc[sel].groupby("platform_id", sort=False).groups.items():
            pos = [frame.index.get_loc(i) for i in rows]
            if pos != list(range(pos[0], pos[0] + len(pos))):
                continue  # not one run of rows: a series needs a contiguous range
            ref = Reference(ws, min_col=vc, min_row=pos[0] + 2, max_row=pos[-1] + 2)
            ch.add_data(ref, titles_from_data=False)
            ch.series[-1].tx = SeriesLabel(v=names.get(str(pid), str(pid)))
            if first is None or len(pos) > first[1] - first[0] + 1:
                first = (pos[0] + 2, pos[-1] + 2)
        if first is None:
            return
        ch.set_categories(Reference(ws, min_col=pc, min_row=first[0], max_row=first[1]))
        ch.width, ch.height = 24, 11
        ws.add_chart(ch, anchor)


def write_workbook(data, out, *, lang="zh", overwrite=False):
    """Write the report tables as an Excel workbook (one sheet per table), atomically.

    Every sheet prints: column widths from the longest formatted value (so no ``###``), A4,
    landscape where wide, fit to one page wide, the header row repeated on every page and
    frozen on screen, the title, sheet and print date in the page header. The ranking, targets
    and monitoring sheets carry native Excel charts.
    """
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill

    title = _word("title", lang)
    wb = Workbook()
    about = wb.active
    about.title = _word("about_sheet", lang)
    about.append([title])
    about["A1"].font = Font(bold=True, size=14)
    about.append([_word("source", lang), xml_safe(data.source)])
    about.append([_word("scenario", lang), scenario_name(data.scenario, lang)])
    about.append([_word("generated", lang), _dt.datetime.now().strftime("%Y-%m-%d %H:%M")])
    about.append([])
    about.append([_word("readings", lang)])
    about.cell(row=about.max_row, column=1).font = Font(bold=True)
    for r in report_readings(data, lang):
        rule, _, text = r.partition(":") if ":" in r[:12] else ("", "", r)
        about.append([rule, text.strip()])
        about.cell(row=about.max_row, column=2).alignment = Alignment(wrap_text=True,
                                                                      vertical="top")
    about.column_dimensions["A"].width = 18
    about.column_dimensions["B"].width = 90
    _print_setup(about, title, lang, header_rows=0)
    header_fill = PatternFill("solid", fgColor="DDE7F0")
    sheets = {}
    for key, name, frame in _sheet_tables(data, lang):
        ws = wb.create_sheet(_sheet_name(name))
        if isinstance(frame, str):
            ws.append([frame])
            ws.column_dimensions["A"].width = 80
            _print_setup(ws, title, lang, header_rows=0)
            continue
        shown = _display_frame(frame, lang)
        cols = list(frame.columns)
        kinds = {c: _kind(c, frame) for c in cols}
        ws.append([label(c, lang) for c in cols])
        for cell in ws[1]:
            cell.font = Font(bold=True)
            cell.fill = header_fill
            cell.alignment = Alignment(wrap_text=True, vertical="top")
        unit_col = frame["unit"].tolist() if "unit" in frame else None
        formats = {c: _number_format(kinds[c], frame[c]) for c in cols}
        for i in range(len(frame)):
            values = []
            for c in cols:
                v = shown.iat[i, cols.index(c)]
                values.append(_cell_value(v, kinds[c], lang))
            ws.append(values)
            r = ws.max_row
            for j, c in enumerate(cols, start=1):
                cell = ws.cell(row=r, column=j)
                fmt = formats[c]
                if unit_col is not None and c in _PER_ROW_UNIT:
                    fmt = "0.0%" if unit_col[i] == "share" else "#,##0.00"
                if fmt:
                    cell.number_format = fmt
        _fit_columns(ws)
        ws.freeze_panes = "B2" if kinds.get(cols[0]) == "text" and len(cols) > 4 else "A2"
        if len(frame):
            ws.auto_filter.ref = ws.dimensions
        _print_setup(ws, title, lang)
        sheets[key] = (ws, frame)
        _add_charts(ws, key, frame, lang, sheets)
    with atomic_path(out, overwrite=overwrite) as tmp:
        wb.save(tmp)
    return Path(out)


def _sheet_name(name):
    bad = '[]:*?/\\'
    return "".join("_" if ch in bad else ch for ch in name)[:31]


def _number_format(kind, values=None):
    """Excel number format: whole numbers without decimals, others with two."""
    if kind == "number" and values is not None:
        x = pd.to_numeric(values, errors="coerce").dropna()
        return "#,##0" if len(x) and np.allclose(x, np.round(x)) else "#,##0.00"
    return {"text": "@", "share": "0.0%", "int": "0", "number": "#,##0.00",
            "score": "0.0"}.get(kind)


def xml_safe(text):
    """``text`` without the control characters XML (so xlsx and docx) cannot hold, each
    replaced by U+FFFD so the reader sees that something was there."""
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    return ILLEGAL_CHARACTERS_RE.sub("\ufffd", text)


def _cell_value(v, kind, lang):
    if _is_missing(v):
        return None
    if kind == "text":
        if isinstance(v, float) and v.is_integer():
            v = int(v)
        return xml_safe(str(v))
    if kind == "bool" or isinstance(v, bool | np.bool_):
        return tr("report.yes" if v else "report.no", lang)
    if kind in ("int", "number", "share", "score"):
        try:
            x = float(v)
        except (TypeError, ValueError):
            return str(v)
        if not math.isfinite(x):
            return None
        return int(round(x)) if kind == "int" else x
    return xml_safe(v if isinstance(v, str) else str(v))


def _display(v, kind, lang="zh"):
    """A value as the HTML tables show it."""
    if _is_missing(v):
        return ""
    if kind == "bool" or isinstance(v, bool | np.bool_):
        return tr("report.yes" if v else "report.no", lang)
    if kind == "text" or isinstance(v, str):
        if isinstance(v, float) and v.is_integer():
            return str(int(v))
        return str(v)
    try:
        x = float(v)
    except (TypeError, ValueError):
        return str(v)
    if not math.isfinite(x):
        return ""
    if kind == "share":
        return f"{x:.1%}"
    if kind == "int":
        return f"{int(round(x)):,}"
    if kind == "score":
        return f"{x:.1f}"
    if abs(x) >= 100:
        return f"{x:,.0f}"
    if abs(x) >= 1:
        return f"{x:,.2f}".rstrip("0").rstrip(".")
    return f"{x:.3g}"


def write_table(frame, out, *, overwrite=False, extra=None, layer="table"):
    """Write one table as CSV (UTF-8 with BOM, opens in Excel), JSON or GeoPackage, atomically.

    ``extra`` (a dict of DataFrames or plain values) goes into the JSON document beside the
    table's ``records``; a GeoPackage needs a GeoDataFrame.
    """
    out = Path(out)
    suffix = out.suffix.lower()
    if suffix not in (".csv", ".json", ".gpkg"):
        raise OutputError(f"{out}: expected a .csv, .json or .gpkg file, not '{out.suffix}'")
    check_output(out, overwrite=overwrite)
    plain = pd.DataFrame(frame.drop(columns=frame.geometry.name)) \
        if hasattr(frame, "geometry") and frame.geometry.name in frame else pd.DataFrame(frame)
    if suffix == ".csv":
        return write_text_atomic(out, "\ufeff" + plain.to_csv(index=False), overwrite=overwrite)
    if suffix == ".json":
        doc = {"records": _records(plain)}
        for k, v in (extra or {}).items():
            doc[k] = _records(v) if isinstance(v, pd.DataFrame) else v
        return write_text_atomic(out, json.dumps(doc, ensure_ascii=False, indent=1,
                                                 default=_json_default), overwrite=overwrite)
    import geopandas as gpd

    from .._gpkg import write_layer

    if not isinstance(frame, gpd.GeoDataFrame):
        raise OutputError(f"{out}: a GeoPackage needs geometries; write .csv or .json instead")
    with atomic_path(out, overwrite=overwrite) as tmp:
        write_layer(frame, tmp, layer)
    return out


def _records(frame):
    return json.loads(frame.to_json(orient="records", force_ascii=False, date_format="iso"))


def _json_default(v):
    if isinstance(v, np.integer):
        return int(v)
    if isinstance(v, np.floating):
        return None if math.isnan(v) else float(v)
    if isinstance(v, pd.Series):
        return v.to_dict()
    return str(v)
