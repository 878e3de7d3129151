"""``parkgeo invest-map``: the investment-attraction map (招商地图, T7)."""

from __future__ import annotations

import click

from .map import map_options, run_map
from .options import result_config_opt


@click.command("invest-map")
@map_options
@result_config_opt
def invest_map(result, out, basemap, lang, title, png, pdf, tianditu_key, overwrite, config):
    """Publish platforms, their industries and land for investors (T1-T4, T7).

    \b
    One card per major platform (leading chains and featured industries by GB/T 4754
    division name, indicators against T2-T4, developable space, contacts), plots coloured
    by status, a filter by industry, and a print layout. Works offline like 'parkgeo map'.

    \b
    Example:
        parkgeo invest-map out/result.gpkg --out out/invest.html
        parkgeo invest-map out/result.gpkg --out out/invest-en.html --lang en --pdf out/invest.pdf
    """
    from .options import result_config

    scenario = result_config(config)
    run_map("invest", result, out, basemap, lang, title, png, pdf, tianditu_key, overwrite,
            scenario=scenario)
