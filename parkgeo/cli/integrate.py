"""``parkgeo integrate``: consolidate parks into major platforms (R3–R12), a result per scenario."""

from __future__ import annotations

import logging

import click

from .options import dataset_arg, encoding_opt, engine_opt, json_opt, overwrite_opt, src_crs_opt


@click.command("integrate")
@dataset_arg
@click.option("--out", required=True, metavar="RESULT.gpkg", type=click.Path(path_type=str),
              help="The result GeoPackage (with several scenarios: RESULT.<variant>.gpkg each, "
                   "plus RESULT.comparison.csv).")
@click.option("--config", "configs", multiple=True, metavar="FILE",
              type=click.Path(dir_okay=False, path_type=str),
              help="Scenario TOML file; repeat to compare scenarios. Its [[variant]] list, if "
                   "any, gives one result per variant. Default: the policy's defaults.")
@json_opt
@click.option("--jobs", default=None, metavar="N", type=click.IntRange(min=1),
              help="Processes for the per-county work (problems, solves, reasons); with more "
                   "than one, the validation gate also runs in a process of its own beside the "
                   "consolidation. Default: every core this process may use.")
@overwrite_opt
@engine_opt
@encoding_opt
@src_crs_opt
@click.pass_context
def integrate(ctx, dataset, out, configs, json_out, jobs, overwrite, engine, encoding, src_crs):
    """Consolidate DATASET's parks into major platforms and explain every decision.

    \b
    Per county: main platforms (R3, R6), exits by rule (R10), characteristic towns (R7),
    then an exact optimization (HiGHS) assigning each remaining park to a related main
    platform within the distance limit (R7) or the exit list, meeting the R11 quota and
    the R4 floors. Every park gets a reason naming its rule ids.

    \b
    Exit status: 0 done; 1 a hard rule cannot be met (the result is still written and the
    report says why); 2 unusable input or data with validation errors.

    \b
    Examples:
        parkgeo integrate layers/jiaxing.gpkg --out out/result.gpkg --json out/report.json
        parkgeo integrate layers/jiaxing.gpkg --out out/cmp.gpkg --config 5km.toml --config 8km.toml
    """
    from .._gc import long_run, no_collection_at_exit

    # one long run over a large dataset: fewer cyclic collections (from the imports on), none
    # at exit
    no_collection_at_exit()
    with long_run() as keep:
        ctx.exit(_run(ctx, dataset, out, configs, json_out, jobs, overwrite, engine, encoding,
                      src_crs, keep))


def _run(ctx, dataset, out, configs, json_out, jobs, overwrite, engine, encoding, src_crs, keep):
    """The work of :func:`integrate`: its exit status."""
    from pathlib import Path

    from .._atomic import check_output, write_text_atomic
    from ..consolidate.integrate import (
        GateBeside,
        available_cores,
        check_valid,
        compare_results,
        integrate_variants,
        report_json_text,
        result_text,
        result_to_json,
        variant_paths,
        variant_runs,
        write_result,
    )
    from ..errors import InputError
    from ..publish.qgis import style_result
    from ..scenario import load_scenario
    from ..validate import prefetch
    from .options import open_dataset

    if not out.lower().endswith(".gpkg"):
        raise InputError(f"--out '{out}': the result is a GeoPackage; give a path ending in .gpkg")
    scenarios = [(Path(c).stem, load_scenario(c)) for c in configs] or [(None, load_scenario(None))]
    runs = variant_runs(scenarios)
    paths = variant_paths(out, [name for name, _ in runs])
    comparison_path = Path(out).with_name(Path(out).stem + ".comparison.csv") \
        if len(runs) > 1 else None
    # refuse existing or unwritable outputs before the work, not after it
    for p in [*paths, comparison_path, json_out if json_out != "-" else None]:
        if p:
            check_output(p, overwrite=overwrite)

    first = scenarios[0][1]
    cores = jobs or available_cores()
    # the geometry work of the gate and of each county's measuring CRS (validity,
    # representative points, the counties' coverage) starts in other threads while the
    # layers are read, as in ``parkgeo validate``; every thread is done when the block ends,
    # before the gate and the county helpers are forked
    with prefetch(jobs=cores):
        ds = open_dataset(dataset, engine=engine, encoding=encoding, src_crs=src_crs,
                          strict=False, scenario=first)
    ds.crs_by_county  # noqa: B018 - worked out once, here, for this process and its forks
    keep()  # the dataset lives to the end of the run: its objects are not walked again
    if cores > 1:
        # the validation gate runs in a process of its own beside the consolidation (whose
        # result is discarded if the data fails it); the per-county work shares the cores
        gate = GateBeside(ds, first)
        try:
            results = integrate_variants(ds, scenarios, jobs=cores, check=False)
        except Exception:
            gate.wait()  # data that fails the gate is reported as such, as if it ran first
            raise
        except BaseException:
            gate.cancel()
            raise
        gate.wait()
    else:
        check_valid(ds, first)
        results = integrate_variants(ds, scenarios, jobs=cores, check=False)

    quiet = (ctx.obj or {}).get("quiet", False)
    echo_err = json_out == "-"
    status = 0
    for result, path in zip(results, paths, strict=True):
        # QGIS opens the result already styled like the web map
        write_result(result, path, overwrite=overwrite, styles=style_result)
        status = max(status, result.exit_status)
        if not quiet or result.exit_status:
            click.echo(result_text(result), err=echo_err)
            click.echo("", err=echo_err)
        logging.getLogger("parkgeo").info("wrote %s", path)
    payload = None
    if json_out:
        payload = result_to_json(results[0]) if len(results) == 1 else {
            "variants": [result_to_json(r) for r in results],
            "comparison": compare_results(results).to_dict("records"),
        }
    if comparison_path is not None:
        table = compare_results(results)
        write_text_atomic(comparison_path, table.to_csv(index=False), overwrite=overwrite)
        if not quiet:
            click.echo(table.to_string(index=False), err=echo_err)
        logging.getLogger("parkgeo").info("wrote %s", comparison_path)
    if json_out == "-":
        click.echo(report_json_text(payload), nl=False)
    elif json_out:
        write_text_atomic(json_out, report_json_text(payload), overwrite=overwrite)
        logging.getLogger("parkgeo").info("wrote %s", json_out)
    return status
