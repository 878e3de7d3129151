"""``parkgeo space``: developable space measured from the land-use survey (R4)."""

from __future__ import annotations

import click

from .options import config_opt, dataset_arg, encoding_opt, overwrite_opt, src_crs_opt


@click.command("space")
@dataset_arg
@click.option("--out", "out", required=True, metavar="FILE.gpkg",
              help="The account as a GeoPackage: 'space' (one row per zone and park), "
                   "'space_classes' (by land class), 'developable_land'.")
@click.option("--csv", "csv_out", default=None, metavar="FILE.csv",
              help="Also write the account (可开发空间核算表) as CSV.")
@click.option("--xlsx", "xlsx_out", default=None, metavar="FILE.xlsx",
              help="Also write the account and the class breakdown as an Excel workbook.")
@click.option("--lang", type=click.Choice(["zh", "en"]), default="zh", show_default=True,
              help="Language of the CSV and Excel headings and of the summary.")
@click.option("--batch", default=50_000, show_default=True, type=click.IntRange(min=1000),
              metavar="N", help="Survey polygons read at a time (bounds the memory used).")
@click.option("--engine", type=click.Choice(["pyogrio", "fiona", "dask"]), default="pyogrio",
              show_default=True,
              help="pyogrio or fiona: read the zones and parks with it and measure in this "
                   "process (the survey itself is always read by extent with pyogrio); dask: "
                   "measure the survey tile by tile on a dask.distributed cluster (the 'dask' "
                   "extra) — a local one of 2 workers, or --scheduler.")
@click.option("--scheduler", default=None, metavar="ADDRESS",
              help="With --engine dask: the scheduler's address (tcp://host:8786); the workers "
                   "must see DATASET at the same path.")
@config_opt
@encoding_opt
@src_crs_opt
@overwrite_opt
def space(dataset, out, csv_out, xlsx_out, lang, batch, engine, scheduler, config, encoding,
          src_crs, overwrite):
    """Measure each zone's and park's developable space from DATASET's land-use survey (R4).

    \b
    Overlays every zone and park with the 'landuse' layer (三调 地类图斑, class code in dlbm):
    the land of the developable classes ([space] developable_classes), less the excluded
    layers ([space] excluded_layers, default 'protected'), optionally only inside the
    'development_boundary' layer ([space] within_boundary). Areas in each county's
    Gauss-Kruger CRS, in mu and ha, with the breakdown by land class, the declared
    developable_mu and the difference; land the survey does not cover is reported, never
    counted.

    \b
    Exit status: 0 written, 2 unusable input (no landuse layer, no dlbm, no CRS).

    \b
    Examples:
        parkgeo space city.gpkg --out space.gpkg --xlsx 核算表.xlsx
        parkgeo space city.gpkg --out space.gpkg --csv space.csv --lang en
        parkgeo space province.gpkg --out space.gpkg --engine dask --scheduler tcp://10.0.0.5:8786
    """
    import logging

    from .._atomic import check_output
    from ..i18n import tr
    from ..publish.space import write_space_csv, write_space_gpkg, write_space_xlsx
    from ..validate.space import measure_space
    from .options import load_config, open_dataset

    if scheduler and engine != "dask":
        raise click.UsageError("--scheduler needs --engine dask")
    for path in (out, csv_out, xlsx_out):
        if path:
            check_output(path, overwrite=overwrite)
    scenario = load_config(config)
    ds = open_dataset(dataset, engine="pyogrio" if engine == "dask" else engine,
                      encoding=encoding, src_crs=src_crs, scenario=scenario)
    log = logging.getLogger("parkgeo")
    if ds.landuse is not None:
        log.info("read %s", ds.landuse.describe())
    result = measure_space(ds, scenario, batch=batch, keep_geometry=True,
                           engine="dask" if engine == "dask" else "local", scheduler=scheduler)
    for note in result.notes:
        log.info(note)
    write_space_gpkg(result, ds, out, overwrite=overwrite)
    written = [out]
    if csv_out:
        write_space_csv(result, csv_out, lang=lang, overwrite=overwrite)
        written.append(csv_out)
    if xlsx_out:
        write_space_xlsx(result, xlsx_out, lang=lang, overwrite=overwrite)
        written.append(xlsx_out)
    t = result.table
    click.echo(tr("cli.space.summary", lang, n=len(t),
                  measured=f"{t['developable_mu'].sum():,.0f}",
                  declared=f"{t['declared_mu'].sum():,.0f}",
                  partial=int((t["uncovered_mu"] > 0.01).sum())))
    tol = scenario.validate.developable_tolerance
    over = t[t["difference_share"] > tol].sort_values("difference_share", ascending=False)
    if len(over):
        click.echo(tr("cli.space.over", lang, n=len(over), tol=f"{tol:.0%}"))
        for r in over.head(10).itertuples(index=False):
            share = "∞" if r.difference_share == float("inf") else f"{r.difference_share:+.0%}"
            click.echo(tr("cli.space.over_row", lang, id=r.id, name=r.name,
                          declared=f"{r.declared_mu:,.0f}", measured=f"{r.developable_mu:,.0f}",
                          share=share))
        if len(over) > 10:
            click.echo(tr("cli.space.more", lang, n=len(over) - 10))
    for path in written:
        log.info("wrote %s", path)
