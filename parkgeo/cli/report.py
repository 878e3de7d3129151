"""``parkgeo report``: the planner's Excel workbook or HTML report of a result."""

from __future__ import annotations

import click

from .options import overwrite_opt, result_config_opt
from .rank import _year


class SharedReports(dict):
    """Report data measured once and shared by the ``report`` commands run in one process on
    the same result and options (the demo writes the workbook, the HTML report and the plan
    of one result): given as the click context's ``obj``, it maps ``(result, lang, period,
    weights, projects, config)`` to the :class:`~parkgeo.measure.report.ReportData` and the
    warnings its measuring gave, which each command repeats."""


@click.command("report")
@click.argument("result", type=click.Path(path_type=str))
@click.option("--out", required=True, metavar="FILE.xlsx|FILE.docx|FILE.html",
              help="The workbook (.xlsx), the Word plan document (.docx) or the HTML report "
                   "(.html, works offline).")
@click.option("--lang", type=click.Choice(["zh", "en"]), default="zh", show_default=True,
              help="Language of headers and labels.")
@click.option("--period", "year", default=None, metavar="YEAR", callback=_year,
              help="The ranking year (default: the latest year with a fourth quarter).")
@click.option("--weights", default=None, metavar="FILE.toml",
              type=click.Path(dir_okay=False, path_type=str),
              help="Ranking weights file (see 'parkgeo rank --help').")
@click.option("--projects", default=None, metavar="FILE",
              type=click.Path(dir_okay=False, path_type=str),
              help="Projects to admit (default: the result's own 'projects' layer).")
@result_config_opt
@overwrite_opt
def report(result, out, lang, year, weights, projects, config, overwrite):
    """Write the report of RESULT: platforms, parks and decisions, counties, targets, ranking,
    admission and data problems.

    \b
    FILE.xlsx: one sheet per table, codes as text, numbers with units in the headers,
    frozen header rows, set up to print (fit to one page wide, header rows repeated),
    native charts on the targets, ranking and monitoring sheets.
    FILE.docx: the consolidation plan (整合方案) as a Word document: title page, contents,
    overview, the consolidation map, each county's decisions, the platforms and their
    members with reasons, the R4/R11 checks, the 2020 targets, appendix tables.
    FILE.html: the same tables with charts (platform indicators against
    the targets, quarterly trends, the ranking, each county before and after) and the
    consolidation map, all inside the file.

    \b
    Examples:
        parkgeo report out/result.gpkg --out out/report.xlsx
        parkgeo report out/result.gpkg --out out/plan.docx
        parkgeo report out/result.gpkg --out out/report.html --lang en
    """
    import logging
    import warnings

    from ..publish.report import build_report, write_report
    from .options import result_config

    log = logging.getLogger("parkgeo")
    scenario = result_config(config)
    shared = click.get_current_context().find_object(SharedReports)
    key = (result, lang, year, weights, projects, config)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        if shared is not None and key not in shared:
            data = build_report(result, scenario=scenario, year=year, weights=weights,
                                projects=projects, lang=lang)
            shared[key] = (data, [str(w.message) for w in caught])
        data, measured = shared[key] if shared is not None else (result, [])
        write_report(data, out, lang=lang, scenario=scenario, year=year, weights=weights,
                     projects=projects, overwrite=overwrite)
    for w in dict.fromkeys([*measured, *(str(w.message) for w in caught)]):
        log.warning(w)
    log.info("wrote %s", out)
