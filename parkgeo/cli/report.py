"""``parkgeo report``: the planner's Excel workbook or HTML report of a result."""

from __future__ import annotations

import click

from .options import overwrite_opt, result_config_opt
from .rank import _year


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

    from ..publish.report import write_report
    from .options import result_config

    log = logging.getLogger("parkgeo")
    scenario = result_config(config)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        write_report(result, out, lang=lang, scenario=scenario, year=year, weights=weights,
                     projects=projects, overwrite=overwrite)
    for w in dict.fromkeys(str(w.message) for w in caught):
        log.warning(w)
    log.info("wrote %s", out)
