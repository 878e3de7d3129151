"""``parkgeo rank``: quarterly monitoring and the year-end composite ranking (R15)."""

from __future__ import annotations

import click

from .options import overwrite_opt, result_config_opt


def _year(ctx, param, value):
    """``--period 2020`` (or ``2020Q4``: the year is taken) → 2020."""
    if value is None:
        return None
    text = str(value).strip()
    if len(text) >= 4 and text[:4].isdigit() and (len(text) == 4 or text[4:].upper() in (
            "Q1", "Q2", "Q3", "Q4")):
        return int(text[:4])
    raise click.BadParameter(f"expected a year such as 2020, got '{value}'")


@click.command("rank")
@click.argument("source", metavar="DATASET_OR_RESULT", type=click.Path(path_type=str))
@click.option("--period", "year", default=None, metavar="YEAR", callback=_year,
              help="The year to rank, e.g. 2020 (default: the latest year with a fourth quarter).")
@click.option("--weights", default=None, metavar="FILE.toml",
              type=click.Path(dir_okay=False, path_type=str),
              help="Weights file: a [weights] table (tax_per_mu, va_per_mu, labour_productivity, "
                   "va_per_energy, va_per_emission, rd_share) and optional [benchmarks].")
@click.option("--out", default=None, metavar="FILE.csv|FILE.json",
              help="Write the ranking: CSV (the ranking table) or JSON (ranking, weights, "
                   "benchmarks, sensitivity, quarterly series with QoQ/YoY, problems).")
@click.option("--series", default=None, metavar="FILE.csv",
              help="Also write every platform's quarterly series with QoQ and YoY changes.")
@result_config_opt
@overwrite_opt
def rank(source, year, weights, out, series, config, overwrite):
    """Monitor platforms quarter by quarter and rank them at year end (R15).

    \b
    Reads the 'monitoring' table of DATASET_OR_RESULT (a consolidation result, or a dataset
    whose monitoring rows name zones). The ranking uses Zhejiang's per-mu indicators (tax per
    mu, value added per mu, labour productivity, value added per energy and per emissions,
    R&D share), each divided by the city median, weighted 30/20/20/10/10/10 by default
    (one county's published weights, 黄岩 2022). The rank range shows how the ranking moves
    when each weight changes by ±20%. Platforms lacking a figure are listed, not ranked.
    Bad monitoring rows (unknown platform, period out of sequence, negative or missing
    figure) are reported with their row and field.

    \b
    Examples:
        parkgeo rank out/result.gpkg --period 2020
        parkgeo rank out/result.gpkg --weights my-weights.toml --out out/ranking.csv
    """
    import logging

    import pandas as pd

    from .._atomic import check_output
    from ..measure.ranking import INDICATORS, rank_platforms
    from ..publish.report import write_table
    from .options import result_config

    log = logging.getLogger("parkgeo")
    for path in (out, series):
        if path:
            check_output(path, overwrite=overwrite)
    scenario = result_config(config)
    r = rank_platforms(source, year=year, weights=weights, scenario=scenario)
    t = r.table
    click.echo(f"Year-end ranking {r.year} ({r.weights_source}; benchmark: {r.benchmark_how})")
    click.echo(f"{'rank':>4}  {'range':>7}  {'score':>7}  platform")
    for row in t.itertuples(index=False):
        if pd.isna(row.rank):
            click.echo(f"{'—':>4}  {'':>7}  {'':>7}  {row.platform_id} {row.name}: {row.note}")
        else:
            click.echo(f"{int(row.rank):>4}  {f'{row.rank_min}–{row.rank_max}':>7}  "
                       f"{row.score:7.1f}  {row.platform_id} {row.name}")
    problems = r.monitoring.problems
    if len(problems):
        log.warning("%d problem(s) in the monitoring table (each listed in --out FILE.json):",
                    len(problems))
        for p in problems.head(20).itertuples(index=False):
            where = "table" if pd.isna(p.row) else f"row {p.row}"
            log.warning("  monitoring %s, field '%s': %s (%s)", where, p.field, p.message,
                        p.action)
        if len(problems) > 20:
            log.warning("  … %d more", len(problems) - 20)
    if out:
        extra = {
            "year": r.year,
            "weights": r.weights.to_dict(),
            "weights_source": r.weights_source,
            "benchmark": r.benchmark_how,
            "benchmarks": {k: (None if v != v else v) for k, v in r.benchmarks.items()},
            "indicators": {k: {"unit": v[0], "how": v[1]} for k, v in INDICATORS.items()},
            "sensitivity": r.sensitivity,
            "missing": r.missing,
            "series": r.monitoring.changes(),
            "problems": problems,
        }
        write_table(t, out, overwrite=overwrite, extra=extra)
        log.info("wrote %s", out)
    if series:
        write_table(r.monitoring.changes(), series, overwrite=overwrite)
        log.info("wrote %s", series)
