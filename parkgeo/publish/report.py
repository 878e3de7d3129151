"""The planner's report of a consolidation result: an Excel workbook and an HTML report.

Both hold the same tables — platforms, parks and their decisions, counties before and after,
the 2020 targets, the quarterly monitoring and year-end ranking, project admission, and every
data problem found on the way — with Chinese headers by default (``lang="en"`` for English).
The HTML report adds the charts (matplotlib, with a CJK font from Debian's ``fonts-noto-cjk``)
and the consolidation map, all embedded, so the file works offline and can be mailed as is.

Workbook conventions: codes (zone, park, platform, project ids, GB/T 4754 codes) are text cells;
figures are number cells with their unit in the header; shares are number cells shown as
percentages; the header row is frozen and filterable.
"""

from __future__ import annotations

from pathlib import Path

from .._atomic import check_output
from ..errors import OutputError
from ..i18n import check_lang
from ..measure.report import ReportData
from .charts import Chart, chart_counties, chart_ranking, chart_targets, chart_trends
from .report_html import html_table, render_html, write_html
from .words import (
    label,
    problems_in,
    report_readings,
    scenario_name,
    weights_source,
)
from .workbook import excel_text, write_table, write_workbook, xml_safe

__all__ = ["ReportData", "build_report", "write_report", "write_workbook", "write_html",
           "write_table", "label", "scenario_name", "excel_text", "render_html",
           "html_table", "xml_safe", "Chart", "chart_counties", "chart_ranking",
           "chart_targets", "chart_trends", "problems_in", "report_readings",
           "weights_source"]


def build_report(result, *, scenario=None, year=None, weights=None, projects=None, lang="zh"):
    """Measure a consolidation result and gather the report's tables, problem lines in ``lang``
    (:func:`parkgeo.measure.report.build_report`, worded for publishing).

    Examples
    --------
    >>> data = build_report("out/result.gpkg")                 # doctest: +SKIP
    >>> data.tables["counties"]                                # doctest: +SKIP
    """
    from ..measure.report import build_report as measure_report

    data = measure_report(result, scenario=scenario, year=year, weights=weights,
                          projects=projects, lang=lang)
    data.tables["problems"] = problems_in(data.tables["problems"], lang)
    return data


def write_report(result, out, *, lang="zh", scenario=None, year=None, weights=None,
                 projects=None, overwrite=False):
    """Write the report of a result as an Excel workbook (``.xlsx``), a Word plan document
    (``.docx``, see :mod:`parkgeo.publish.plan_docx`) or an HTML page (``.html``).

    Parameters
    ----------
    result : ConsolidationResult, str, Path, Dataset, dict or ReportData
        The consolidation result (or a :class:`ReportData` already built).
    out : str or Path
        ``FILE.xlsx``, ``FILE.docx`` or ``FILE.html``; written atomically.
    lang : {"zh", "en"}
        Headers and labels in Chinese (default) or English.
    scenario, year, weights, projects :
        As in :func:`build_report`.
    overwrite : bool
        Replace ``out`` when it exists.

    Returns
    -------
    Path

    Examples
    --------
    >>> write_report("out/result.gpkg", "out/report.xlsx")               # doctest: +SKIP
    >>> write_report("out/result.gpkg", "out/report.html", lang="en")    # doctest: +SKIP
    """
    out = Path(out)
    check_lang(lang)
    suffix = out.suffix.lower()
    if suffix not in (".xlsx", ".html", ".htm", ".docx"):
        raise OutputError(f"{out}: the report is written as .xlsx or .html, or the plan "
                          f"document as .docx, not '{out.suffix}'")
    check_output(out, overwrite=overwrite)
    data = result if isinstance(result, ReportData) else build_report(
        result, scenario=scenario, year=year, weights=weights, projects=projects, lang=lang)
    if suffix == ".xlsx":
        return write_workbook(data, out, lang=lang, overwrite=overwrite)
    if suffix == ".docx":
        from .plan_docx import write_plan

        return write_plan(data, out, lang=lang, overwrite=overwrite)
    return write_html(data, out, lang=lang, overwrite=overwrite)
