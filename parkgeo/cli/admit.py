"""``parkgeo admit``: project admission against the platforms and standard land (R12, R16, R17)."""

from __future__ import annotations

import click

from .options import overwrite_opt, result_config_opt


@click.command("admit")
@click.argument("result", type=click.Path(path_type=str))
@click.argument("projects", type=click.Path(path_type=str))
@click.option("--out", default=None, metavar="FILE.csv|FILE.gpkg|FILE.json",
              help="Write the decisions (GeoPackage keeps the project geometries).")
@result_config_opt
@overwrite_opt
def admit(result, projects, out, config, overwrite):
    """Decide admit, review or reject for each project in PROJECTS (R12, R16, R17).

    \b
    RESULT is the GeoPackage written by 'parkgeo integrate'; PROJECTS a vector file of
    points or polygons (a GeoPackage with a 'projects' layer, or any one-layer file) with
    project_id, name, industries, investment_10k_yuan, land_mu, energy_tce,
    expected_tax_10k_yuan, expected_output_10k_yuan and project_type (new/expansion).

    \b
    Outside every major platform → reject (R12, R16); in an exit-type park → reject (R16);
    a new project in C25, C26, C30, C31, C32 or D44 → reject (R17); an expansion in a
    limited traditional industry → review (R17); standard-land thresholds (investment
    intensity, tax and output per mu, energy per output; per platform in the scenario)
    → reject or review with the numbers.

    \b
    Examples:
        parkgeo admit out/result.gpkg new_projects.gpkg
        parkgeo admit out/result.gpkg new_projects.gpkg --out out/admission.csv
    """
    import logging

    from .._atomic import check_output
    from ..measure.admission import admit_projects
    from ..publish.report import write_table
    from .options import result_config

    log = logging.getLogger("parkgeo")
    if out:
        check_output(out, overwrite=overwrite)
    scenario = result_config(config)
    a = admit_projects(result, projects, scenario=scenario)
    for row in a.table.itertuples(index=False):
        click.echo(f"{row.decision:<7} {row.project_id} {row.name}"
                   + (f" — {row.reasons}" if row.decision != "admit" else ""))
    c = a.counts()
    click.echo(f"{c['admit']} admitted, {c['review']} to review, {c['reject']} rejected")
    for p in a.problems.itertuples(index=False):
        log.warning("projects row %s (%s), field '%s': %s (%s)", p.row, p.id, p.field,
                    p.message, p.action)
    if out:
        write_table(a.table, out, overwrite=overwrite, layer="admission",
                    extra={"counts": c, "problems": a.problems})
        log.info("wrote %s", out)
