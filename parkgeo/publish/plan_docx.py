"""The planner's formal deliverable as a Word document: the consolidation plan (整合方案).

``parkgeo report RESULT --out plan.docx`` writes, with python-docx: a title page; a table of
contents (a Word field, filled in when Word updates fields); the overview figures; the
consolidation map as a numbered figure with its caption; per county, what was decided and
against which rule (R3, R11); the platforms table; each platform's members with the reason each
joined (R6, R7, R9); the R4 and R11 checks; the 2020 targets (T1–T6); and appendix tables of
every park and every target check. Headings use Word's built-in heading styles (so a table of
contents, the navigation pane and outline view work) and every table is a real Word table whose
header row repeats on each page. Chinese by default, English with ``lang="en"``.
"""

from __future__ import annotations

import datetime as _dt
import io
import logging
import math
from pathlib import Path

import pandas as pd

from .._atomic import atomic_path
from ..i18n import WORDS, check_lang, tr
from .words import _kind, _value, label, report_readings, scenario_name
from .workbook import (
    _cell_value,
    _display,
    _display_frame,
    _number_format,
    excel_text,
    xml_safe,
)

__all__ = ["write_plan"]

log = logging.getLogger(__name__)


def _w(key, lang):
    """A word of the plan document (``plan.`` in :mod:`parkgeo.i18n`)."""
    return tr(f"plan.{key}", lang)


# ------------------------------------------------------------------------------------------------
# document helpers (python-docx)
# ------------------------------------------------------------------------------------------------


def _set_east_asian_font(style, name):
    """python-docx sets a font's Latin names only; the East Asian name is an attribute of the
    style's ``w:rFonts`` element, set here (no API for it)."""
    from docx.oxml.ns import qn

    rpr = style.element.get_or_add_rPr()
    rfonts = rpr.find(qn("w:rFonts"))
    if rfonts is None:
        rfonts = rpr.makeelement(qn("w:rFonts"), {})
        rpr.append(rfonts)
    rfonts.set(qn("w:eastAsia"), name)


def _repeat_header(row):
    """Mark a table row as a header row repeated on every page (``w:tblHeader``; python-docx
    has no API for it)."""
    from docx.oxml.ns import qn

    trpr = row._tr.get_or_add_trPr()
    el = trpr.makeelement(qn("w:tblHeader"), {qn("w:val"): "true"})
    trpr.append(el)


def _toc_field(paragraph, hint):
    """A TOC field over heading levels 1–2: Word fills it in when fields are updated. python-docx
    writes no fields, so the field's three ``w:fldChar`` runs are added here."""
    from docx.oxml.ns import qn

    def fld(kind):
        run = paragraph.add_run()
        el = run._r.makeelement(qn("w:fldChar"), {qn("w:fldCharType"): kind})
        run._r.append(el)
        return run

    fld("begin")
    instr = paragraph.add_run()
    t = instr._r.makeelement(qn("w:instrText"), {qn("xml:space"): "preserve"})
    t.text = 'TOC \\o "1-2" \\h \\z \\u'
    instr._r.append(t)
    fld("separate")
    paragraph.add_run(hint)
    fld("end")


def _new_document(lang):
    from docx import Document
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Cm, Pt

    doc = Document()
    sec = doc.sections[0]
    sec.page_height, sec.page_width = Cm(29.7), Cm(21.0)   # A4
    sec.left_margin = sec.right_margin = Cm(2.2)
    sec.top_margin = sec.bottom_margin = Cm(2.2)
    body_font, head_font = ("宋体", "黑体") if lang == "zh" else ("Calibri", "Calibri")
    normal = doc.styles["Normal"]
    normal.font.size = Pt(10.5)
    _set_east_asian_font(normal, body_font)
    for name in ("Title", "Heading 1", "Heading 2", "Heading 3", "Caption"):
        _set_east_asian_font(doc.styles[name], head_font)
    doc.styles["Caption"].paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER
    doc.styles["Caption"].font.size = Pt(9.5)
    return doc


def _caption(doc, text):
    return doc.add_paragraph(text, style="Caption")


def _table(doc, frame, lang, *, columns=None, font_pt=8.5):
    """A Word table of ``frame`` (translated headers and values, numbers right-aligned)."""
    cols = list(columns or frame.columns)
    frame = frame[cols].reset_index(drop=True)
    shown = _display_frame(frame, lang)
    kinds = {c: _kind(c, frame) for c in cols}
    units = frame["unit"].tolist() if "unit" in frame else None
    formats = {}  # the number format of a column and kind, found once
    rows = []
    for i in range(len(frame)):
        cells = []
        for j, c in enumerate(cols):
            kind = kinds[c]
            if units is not None and c in ("figure", "threshold", "gap", "value"):
                kind = "share" if units[i] == "share" else "number"
            v = shown.iat[i, j]
            numeric = kind in ("number", "int", "share", "score")
            if kind == "bool":
                text = _cell_value(v, kind, lang) or ""
            elif numeric:
                x = _cell_value(v, kind, lang)
                if x is None:
                    text = ""
                else:
                    if (c, kind) not in formats:
                        formats[c, kind] = _number_format(kind, frame[c])
                    text = excel_text(x, formats[c, kind])
            else:
                text = _display(v, kind, lang)
            cells.append((xml_safe(str(text)), numeric))
        rows.append(cells)
    # a header may wrap after 4 CJK characters
    return _word_table(doc, [label(c, lang) for c in cols], rows, font_pt=font_pt,
                       header_fits=[label(c, lang)[:8] for c in cols], cleared_header=True)


def _word_table(doc, headers, rows, *, font_pt, header_fits, cleared_header=False):
    """A Word table: a bold header row repeated on every page, then ``rows`` of
    ``(text, right-aligned)`` cells, the columns as wide as :func:`_column_widths` finds.

    The header is made with python-docx's table API; the body rows are copies of one cell
    element per column and alignment, made once with python-docx's oxml classes, whose
    ``CT_R.text`` writes each text as ``Run.text`` does. python-docx's ``add_row`` and
    ``_Row.cells`` walk the whole grid at every call, which made a table of a few hundred
    rows take seconds; the XML written is the same.
    """
    from copy import deepcopy

    from docx.enum.table import WD_TABLE_ALIGNMENT
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml.table import CT_Tc
    from docx.shared import Pt

    table = doc.add_table(rows=1, cols=len(headers))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    head = table.rows[0]
    _repeat_header(head)
    for cell, h in zip(head.cells, headers, strict=True):
        if cleared_header:
            cell.text = ""
        run = cell.paragraphs[0].add_run(str(h))
        run.bold = True
        run.font.size = Pt(font_pt)
    texts = [[t] + [r[j][0] for r in rows] for j, t in enumerate(header_fits)]
    widths = _column_widths(doc, texts)
    table.autofit = False
    for j, width in enumerate(widths):
        table.columns[j].width = width  # the grid, which LibreOffice reads
        head.cells[j].width = width  # the cells, which Word reads

    def template(width, right):
        tc = CT_Tc.new()
        tc.width = width
        p = tc.p_lst[0]
        if right:
            p.get_or_add_pPr().jc_val = WD_ALIGN_PARAGRAPH.RIGHT
        p.add_r().get_or_add_rPr().sz_val = Pt(font_pt)
        return tc

    cells = [{right: template(w, right) for right in (False, True)} for w in widths]
    tbl = table._tbl
    for row in rows:
        tr = tbl.add_tr()
        for j, (text, right) in enumerate(row):
            tc = deepcopy(cells[j][right])
            if text:
                tc.p_lst[0].r_lst[0].text = text
            tr.append(tc)
    return table


def _column_widths(doc, texts):
    """Column widths in proportion to each column's longest text (CJK counts 2), filling the
    section's width: Word and LibreOffice otherwise split it evenly, squeezing the reasons."""
    from docx.shared import Emu

    sec = doc.sections[-1]
    usable = sec.page_width - sec.left_margin - sec.right_margin
    weights = []
    for col in texts:
        longest = max((sum(2 if ord(ch) > 0x2E80 else 1 for ch in str(t)) for t in col),
                      default=4)
        weights.append(min(max(longest, 4), 48) + 4)  # + the cell padding
    total = sum(weights)
    return [Emu(int(usable * w / total)) for w in weights]


def _landscape(doc):
    from docx.enum.section import WD_ORIENT, WD_SECTION

    sec = doc.add_section(WD_SECTION.NEW_PAGE)
    sec.orientation = WD_ORIENT.LANDSCAPE
    if sec.page_width < sec.page_height:
        sec.page_width, sec.page_height = sec.page_height, sec.page_width
    return sec


def _map_png(data, lang):
    """The static consolidation map as PNG bytes (the figure :mod:`parkgeo.publish.static`
    draws), or the reason it could not be drawn."""
    import matplotlib.pyplot as plt

    from .charts import gc_paused
    from .static import figure

    with gc_paused():
        try:
            fig = figure(data.result, kind="map", lang=lang)
        except Exception as exc:  # the plan stands without its map; it says why in its place
            log.warning("no consolidation map in the plan: %s", exc)
            return None, str(exc)
        buf = io.BytesIO()
        fig.savefig(buf, format="png", dpi=170, bbox_inches="tight")
        plt.close(fig)
    return buf.getvalue(), None


# ------------------------------------------------------------------------------------------------
# the plan
# ------------------------------------------------------------------------------------------------


def _yes_no(v, lang):
    if v is None or (isinstance(v, float) and math.isnan(v)) or v is pd.NA:
        return ""
    return tr("report.yes" if bool(v) else "report.no", lang)


def _status(value, lang):
    key = f"value.status.{value}"
    return tr(key, lang) if key in WORDS else (value or "")


def build_plan(data, lang="zh"):
    """The plan as a python-docx ``Document`` (see :func:`write_plan`)."""
    from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
    from docx.shared import Cm, Pt

    t = data.tables
    doc = _new_document(lang)
    doc.core_properties.title = _w("title", lang)
    doc.core_properties.subject = _w("subtitle", lang)
    doc.core_properties.author = "parkgeo"
    doc.core_properties.language = "zh-CN" if lang == "zh" else "en"

    # title page ----------------------------------------------------------------------------
    for _ in range(6):
        doc.add_paragraph()
    doc.add_paragraph(_w("title", lang), style="Title").alignment = WD_ALIGN_PARAGRAPH.CENTER
    sub = doc.add_paragraph(_w("subtitle", lang))
    sub.alignment = WD_ALIGN_PARAGRAPH.CENTER
    sub.runs[0].font.size = Pt(14)
    for _ in range(8):
        doc.add_paragraph()
    today = _dt.date.today().isoformat()
    for key, value in (("source", Path(data.source).name), ("scenario",
                       scenario_name(data.scenario, lang)), ("date", today)):
        p = doc.add_paragraph(xml_safe(_w("title_line", lang).format(what=_w(key, lang),
                                                                     value=value)))
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    p = doc.add_paragraph(_w("by", lang))
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    p.runs[0].font.size = Pt(9)
    p.add_run().add_break(WD_BREAK.PAGE)

    # contents ------------------------------------------------------------------------------
    head = doc.add_paragraph()
    run = head.add_run(_w("toc", lang))
    run.bold = True
    run.font.size = Pt(16)
    _toc_field(doc.add_paragraph(), _w("toc_hint", lang))
    doc.add_paragraph().add_run().add_break(WD_BREAK.PAGE)

    # 1 overview ----------------------------------------------------------------------------
    parks, plats, counties = t["parks"], t["platforms"], t["counties"]
    dec = parks["decision"] if "decision" in parks else pd.Series(dtype=object)
    status = t["targets"]["status"]
    zones = data.result.zones
    figures = {"counties": len(counties), "zones": 0 if zones is None else len(zones),
               "parks": len(parks), "platforms": len(plats),
               "sub": int((dec == "sub_zone").sum()), "exits": int((dec == "exit").sum()),
               "excluded": int((dec == "excluded").sum()), "checks": len(status),
               "met": int((status == "met").sum()), "not_met": int((status == "not met").sum()),
               "no_data": int((status == "no data").sum())}
    doc.add_heading(_w("overview", lang), level=1)
    doc.add_paragraph(_w("overview_text", lang).format(**figures))
    doc.add_heading(_w("figures", lang), level=2)
    n_table = 1
    _caption(doc, _w("table_caption", lang).format(n=n_table, what=_w("figures", lang)))
    keyfig = pd.DataFrame({"item": [_w(k, lang) for k in (
        "n_counties", "n_zones", "n_parks", "n_platforms", "n_sub", "n_exit", "n_excluded")],
        "count": [figures[k] for k in ("counties", "zones", "parks", "platforms", "sub",
                                       "exits", "excluded")]})
    _plain_table(doc, keyfig, [_w("item", lang), _w("count", lang)], numeric=[1])

    # 2 map ---------------------------------------------------------------------------------
    doc.add_heading(_w("map", lang), level=1)
    png, why = _map_png(data, lang)
    if png is not None:
        doc.add_picture(io.BytesIO(png), width=Cm(16.5))
        doc.paragraphs[-1].alignment = WD_ALIGN_PARAGRAPH.CENTER
        _caption(doc, _w("figure_caption", lang).format(n=1))
    else:
        doc.add_paragraph(_w("no_map", lang).format(why=why))

    # the floors and the exit share the result was consolidated under
    cs = data.scenario.consolidate
    share = f"{cs.exit_share:.0%}"

    # 3 per county --------------------------------------------------------------------------
    doc.add_heading(_w("counties", lang), level=1)
    park_cols = [c for c in ("park_id", "name", "decision", "platform_id", "reason")
                 if c in parks]
    for _, c in counties.iterrows():
        doc.add_heading(xml_safe(str(c["county"])), level=2)
        doc.add_paragraph(_w("county_text", lang).format(
            zones=c["zones"], parks=c["parks"], platforms=c["platforms"],
            sub=c["sub_zone_count"], exits=c["exits"], quota=c["quota"],
            r3=_status(c["R3"], lang), r11=_status(c["R11"], lang), share=share))
        sub = parks[parks["county"] == c["county"]]
        if len(sub):
            _table(doc, sub, lang, columns=park_cols)

    # 4 platforms ---------------------------------------------------------------------------
    doc.add_heading(_w("platforms", lang), level=1)
    n_table += 1
    _caption(doc, _w("table_caption", lang).format(n=n_table, what=_w("n_platforms", lang)))
    plat_cols = [c for c in ("name", "county", "n_sub_zones", "developable_mu",
                             "industrial_va_100m", "industrial_output_100m",
                             "output_per_mu_10k", "tax_per_mu_10k", "meets_R4", "meets_T2",
                             "meets_T3", "meets_T4") if c in plats]
    _table(doc, plats, lang, columns=plat_cols, font_pt=8)

    # 5 members -----------------------------------------------------------------------------
    doc.add_heading(_w("members", lang), level=1)
    zone_reason = {}
    zone_name = {}
    if zones is not None:
        zr = zones.get("reason_zh") if lang == "zh" and "reason_zh" in zones else \
            zones.get("reason")
        if zr is not None:
            zone_reason = dict(zip(zones["zone_id"].astype(str), zr.fillna("").astype(str),
                                   strict=False))
        zone_name = dict(zip(zones["zone_id"].astype(str), zones["name"].astype(str),
                             strict=False))
    for _, p in plats.iterrows():
        pid = str(p["platform_id"])
        main = str(p.get("main_zone_id", pid))
        doc.add_heading(xml_safe(str(p["name"])), level=2)
        members = parks[(parks["decision"] == "sub_zone") & (parks["platform_id"].astype(str)
                                                             == pid)]
        doc.add_paragraph(xml_safe(_w("platform_text", lang).format(
            county=p["county"], main=zone_name.get(main, main), n=len(members))))
        rows = [[main, zone_name.get(main, main), _w("main", lang), zone_reason.get(main, "")]]
        rows += [[str(m["park_id"]), str(m["name"]), _w("sub_zone", lang), str(m["reason"])]
                 for _, m in members.iterrows()]
        _plain_table(doc, pd.DataFrame(rows), [_w(k, lang) for k in (
            "member_id", "member", "role", "why")])

    # 6 R4 and R11 --------------------------------------------------------------------------
    doc.add_heading(_w("checks", lang), level=1)
    doc.add_heading(_w("r4", lang).format(mu=f"{cs.min_developable_mu:,g}",
                                          va=f"{cs.min_va_100m:g}",
                                          bn=f"{cs.min_va_100m / 10:g}"), level=2)
    layer = data.result.platforms
    notes = {}
    if layer is not None:
        col = "r4_note_zh" if lang == "zh" and "r4_note_zh" in layer else "r4_note"
        short = {k: layer[k] for k in ("shortfall_R4_mu", "shortfall_R4_va_100m")
                 if k in layer}
        for i, pid in enumerate(layer["platform_id"].astype(str)):
            notes[pid] = ([float(s.iloc[i]) if pd.notna(s.iloc[i]) else 0.0
                           for s in short.values()],
                          str(layer[col].iloc[i]) if col in layer and pd.notna(
                              layer[col].iloc[i]) else "")
    r4_rows = []
    for _, p in plats.iterrows():
        sf, note = notes.get(str(p["platform_id"]), ([], ""))
        r4_rows.append([str(p["name"]), _num(p.get("developable_mu"), "#,##0"),
                        _num(p.get("industrial_va_100m"), "#,##0.00"),
                        _yes_no(p.get("meets_R4"), lang),
                        _num(sf[0] if sf else None, "#,##0"),
                        _num(sf[1] if len(sf) > 1 else None, "#,##0.00"), note])
    _plain_table(doc, pd.DataFrame(r4_rows), [
        label("name", lang), label("developable_mu", lang), label("industrial_va_100m", lang),
        label("meets_R4", lang), _w("shortfall_mu", lang), _w("shortfall_va", lang),
        _w("r4_note", lang)], numeric=[1, 2, 4, 5])
    doc.add_heading(_w("r11", lang).format(share=share), level=2)
    _table(doc, counties, lang, columns=[c for c in (
        "county", "parks", "exits", "quota", "exit_share", "R11") if c in counties])

    # 7 targets -----------------------------------------------------------------------------
    doc.add_heading(_w("targets", lang), level=1)
    targets = t["targets"]
    names = dict(zip(plats["platform_id"].astype(str), plats["name"].astype(str),
                     strict=False))
    doc.add_heading(_w("targets_platform", lang), level=2)
    tp = targets[targets["scope"] == "platform"]
    if len(tp):
        matrix = tp.assign(key=tp["target"] + " " + tp["indicator"].map(
            lambda k: _value("indicator", k, lang)))
        grid = matrix.pivot_table(index="id", columns="key", values="status",
                                  aggfunc="first", sort=False)
        rows = [[names.get(str(i), str(i))] + [_status(v, lang) for v in grid.loc[i]]
                for i in grid.index]
        _plain_table(doc, pd.DataFrame(rows), [label("name", lang)] + list(grid.columns),
                     font_pt=7)
    doc.add_heading(_w("targets_area", lang), level=2)
    ta = targets[targets["scope"] != "platform"]
    if len(ta):
        _table(doc, ta, lang, columns=[c for c in (
            "scope", "id", "target", "indicator", "figure", "threshold", "unit", "status")
            if c in ta])
    doc.add_heading(_w("readings", lang), level=2)
    for r in report_readings(data, lang):
        doc.add_paragraph(xml_safe(r), style="List Bullet")

    # appendix (landscape) ------------------------------------------------------------------
    _landscape(doc)
    doc.add_heading(_w("appendix", lang), level=1)
    doc.add_heading(_w("appendix_parks", lang), level=2)
    _table(doc, parks, lang, font_pt=7)
    doc.add_heading(_w("appendix_targets", lang), level=2)
    _table(doc, targets, lang, font_pt=7)
    return doc


def _num(value, fmt):
    if value is None or (isinstance(value, float) and math.isnan(value)) or value is pd.NA:
        return ""
    return excel_text(float(value), fmt)


def _plain_table(doc, frame, headers, *, numeric=(), font_pt=8.5):
    """A Word table of already formatted cells under ``headers``."""
    rows = [[("" if v is None else xml_safe(str(v)), j in numeric) for j, v in enumerate(row)]
            for row in frame.itertuples(index=False)]
    return _word_table(doc, headers, rows, font_pt=font_pt,
                       header_fits=[str(h)[:8] for h in headers])


def write_plan(data, out, *, lang="zh", overwrite=False):
    """Write the consolidation plan (``.docx``) of a report's data, atomically.

    Parameters
    ----------
    data : ReportData
        From :func:`parkgeo.publish.report.build_report`.
    out : str or Path
    lang : {"zh", "en"}
    overwrite : bool

    Returns
    -------
    Path

    Examples
    --------
    >>> from parkgeo.publish.report import build_report
    >>> write_plan(build_report("out/result.gpkg"), "out/plan.docx")    # doctest: +SKIP
    """
    check_lang(lang)
    doc = build_plan(data, lang)
    with atomic_path(out, overwrite=overwrite) as tmp:
        doc.save(str(tmp))
    return Path(out)
