"""Options shared by several commands (one place, as in rasterio's ``rio``)."""

from __future__ import annotations

import click

__all__ = [
    "dataset_arg",
    "config_opt",
    "engine_opt",
    "encoding_opt",
    "src_crs_opt",
    "overwrite_opt",
    "json_opt",
    "read_options",
    "load_config",
    "result_config_opt",
    "result_config",
    "open_dataset",
]

dataset_arg = click.argument("dataset", type=click.Path(path_type=str))

config_opt = click.option(
    "--config", "config", type=click.Path(dir_okay=False, path_type=str), default=None,
    help="Scenario TOML file (see 'parkgeo scenario'); the policy's defaults without it.")

#: ``--config`` of the commands that read a consolidation result: the result's own scenario
#: (stored in its ``run`` table) unless a file is given
result_config_opt = click.option(
    "--config", "config", type=click.Path(dir_okay=False, path_type=str), default=None,
    help="Scenario TOML file (see 'parkgeo scenario'); without it, the scenario the result "
         "was consolidated under.")

engine_opt = click.option(
    "--engine", type=click.Choice(["pyogrio", "fiona"]), default="pyogrio", show_default=True,
    help="I/O engine used to read the layers.")

encoding_opt = click.option(
    "--encoding", default=None, metavar="NAME",
    help="Encoding of Shapefile attributes (e.g. GBK); default: .cpg, else UTF-8, else GB18030.")

src_crs_opt = click.option(
    "--src-crs", default=None, metavar="CRS",
    help="CRS of layers that declare none, or one their coordinates cannot be in "
         "(metres labelled as degrees), e.g. EPSG:4549.")

overwrite_opt = click.option(
    "--overwrite", is_flag=True, default=False, help="Replace output files that exist.")

json_opt = click.option(
    "--json", "json_out", default=None, metavar="FILE",
    help="Write the JSON report to FILE ('-' for standard output).")


def read_options(f):
    """Decorate a command with --config, --engine, --encoding and --src-crs."""
    for opt in (src_crs_opt, encoding_opt, engine_opt, config_opt):
        f = opt(f)
    return f


def result_config(config):
    """The scenario from ``--config``, or None: the result's own scenario then applies."""
    return load_config(config) if config else None


def load_config(config):
    """The scenario from ``--config`` (defaults when None)."""
    from ..scenario import load_scenario

    return load_scenario(config)


def open_dataset(dataset, *, config=None, engine="pyogrio", encoding=None, src_crs=None,
                 strict=True, scenario=None):
    """Read DATASET with the shared options; report how each Shapefile was decoded."""
    import logging

    from ..read import read_dataset

    if scenario is None:
        scenario = load_config(config)
    ds = read_dataset(dataset, scenario=scenario, engine=engine, encoding=encoding,
                      src_crs=src_crs, strict=strict)
    log = logging.getLogger("parkgeo")
    for src in ds.sources.values():
        if src.encoding:
            log.info("read %s", src.describe())
        else:
            log.debug("read %s", src.describe())
    for p in ds.problems:
        if p.rule == "join_unmatched":  # ids on one side of a [join] table only
            log.warning("%s, layer '%s': %s", ds.file_of(p.layer), p.layer, p.message)
    return ds
