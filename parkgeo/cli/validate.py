"""``parkgeo validate``: every finding in a dataset, on the terminal, as JSON, GeoPackage, map."""

from __future__ import annotations

import logging

import click

from .map import BASEMAP_CHOICES
from .options import dataset_arg, json_opt, overwrite_opt, read_options


@click.command("validate")
@dataset_arg
@click.option("--baseline", default=None, metavar="DATASET", type=click.Path(path_type=str),
              help="Compare the zones' four boundaries with this dataset (R1).")
@read_options
@json_opt
@click.option("--gpkg", "gpkg_out", default=None, metavar="FILE",
              help="Write the findings as a GeoPackage (layers 'findings', 'findings_areas') "
                   "to open in QGIS beside the data.")
@click.option("--html", "html_out", default=None, metavar="FILE",
              help="Write a web map of the findings (one file; works offline).")
@click.option("--lang", type=click.Choice(["zh", "en"]), default="zh", show_default=True,
              help="Language of the --html map's labels.")
@click.option("--basemap", type=click.Choice(BASEMAP_CHOICES), default="none",
              show_default=True,
              help="Background tiles of the --html map. 'none' needs no network at all; "
                   "'tianditu-*' need a key; 'gaode' tiles are GCJ-02 (overlays are shifted "
                   "to match, on the map only).")
@click.option("--title", default=None, help="Title of the --html map (default: by language).")
@click.option("--tianditu-key", default=None, metavar="KEY",
              help="Tianditu key for --basemap tianditu-* (else TIANDITU_KEY); it is visible "
                   "in the HTML.")
@overwrite_opt
@click.option("--limit", default=10, show_default=True, metavar="N",
              type=click.IntRange(min=1), help="Findings listed per rule on the terminal.")
@click.pass_context
def validate(ctx, dataset, baseline, config, engine, encoding, src_crs, json_out, gpkg_out,
             html_out, lang, basemap, title, tianditu_key, overwrite, limit):
    """Check DATASET against the data contract and the statutory rules.

    \b
    Reports every finding with its rule id, layer, feature id, severity and measured numbers:
    schema, geometry (validity, slivers), overlaps between zones and parks, places (county,
    protected land), R2 approved area and, with --baseline, R1 four boundaries.

    \b
    Exit status: 0 no errors (warnings allowed), 1 errors found, 2 DATASET cannot be opened.

    \b
    Examples:
        parkgeo validate layers/jiaxing.gpkg
        parkgeo validate new.gpkg --baseline 2018.gpkg --gpkg findings.gpkg --json report.json
        parkgeo validate layers/jiaxing.gpkg --html findings.html --lang en --basemap osm
        parkgeo validate 园区.gdb.zip --config layers.toml    # a zipped File Geodatabase
    """
    from .._gc import long_run, no_collection_at_exit

    # one run over a possibly large dataset: fewer cyclic collections, none at exit
    no_collection_at_exit()
    with long_run():
        status = _run(ctx, dataset, baseline, config, engine, encoding, src_crs, json_out,
                      gpkg_out, html_out, lang, basemap, title, tianditu_key, overwrite, limit)
    ctx.exit(status)


def _run(ctx, dataset, baseline, config, engine, encoding, src_crs, json_out, gpkg_out,
         html_out, lang, basemap, title, tianditu_key, overwrite, limit):
    """The work of :func:`validate`: its exit status."""
    from .._atomic import check_output
    from ..validate import prefetch, validate_dataset
    from .options import load_config, open_dataset

    # refuse unwritable outputs before the work, not after it
    for out in (json_out if json_out != "-" else None, gpkg_out, html_out):
        if out:
            check_output(out, overwrite=overwrite)
    if html_out:  # a Tianditu basemap without a key is refused before the work, too
        import warnings

        from ..publish.basemaps import basemap as check_basemap

        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            check_basemap(basemap, lang=lang, tianditu_key=tianditu_key)
    scenario = load_config(config)
    opts = {"engine": engine, "encoding": encoding, "src_crs": src_crs, "strict": False,
            "scenario": scenario}
    # the checks' geometry work (and the catalogue's index) starts while the layers are read
    with prefetch(catalogue=scenario is None or scenario.validate.check_catalogue):
        ds = open_dataset(dataset, **opts)
        base = open_dataset(baseline, **opts) if baseline else None
        report = validate_dataset(ds, scenario, baseline=base)
    quiet = (ctx.obj or {}).get("quiet", False)
    text = report.text(limit=limit)
    if json_out == "-":
        click.echo(report.to_json())
        if not quiet:
            click.echo(text, err=True)
    elif not quiet or report.has_errors:
        click.echo(text)
    written = []
    if json_out and json_out != "-":
        report.write_json(json_out, overwrite=overwrite)
        written.append(json_out)
    if gpkg_out:
        report.write_gpkg(gpkg_out, overwrite=overwrite)
        written.append(gpkg_out)
    log = logging.getLogger("parkgeo")
    if html_out:
        import warnings

        from ..publish.findings_map import write_findings_map

        # the size budget and the Tianditu key warning, one line each
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            write_findings_map(report, html_out, dataset=ds, overwrite=overwrite, title=title,
                               basemap=basemap, lang=lang, tianditu_key=tianditu_key)
        for w in dict.fromkeys(str(w.message) for w in caught):
            log.warning(w)
        written.append(html_out)
    for path in written:
        log.info("wrote %s", path)
    return 1 if report.has_errors else 0
