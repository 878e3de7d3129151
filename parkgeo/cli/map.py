"""``parkgeo map``: the consolidation map as one offline HTML file (plus PNG/PDF)."""

from __future__ import annotations

import click

from .options import overwrite_opt

BASEMAP_CHOICES = ["none", "osm", "tianditu-vec", "tianditu-img", "gaode"]

result_arg = click.argument("result", type=click.Path(path_type=str))
out_opt = click.option("--out", required=True, metavar="FILE.html",
                       help="The HTML file to write (one self-contained file).")
basemap_opt = click.option(
    "--basemap", type=click.Choice(BASEMAP_CHOICES), default="none", show_default=True,
    help="Background tiles. 'none' needs no network at all; 'tianditu-*' need a key; "
         "'gaode' tiles are GCJ-02 (overlays are shifted to match, on the map only).")
lang_opt = click.option("--lang", type=click.Choice(["zh", "en"]), default="zh",
                        show_default=True, help="Language of every label on the map.")
title_opt = click.option("--title", default=None, help="Map title (default: by language).")
png_opt = click.option("--png", default=None, metavar="FILE",
                       help="Also write a static PNG (local projected CRS) for reports.")
pdf_opt = click.option("--pdf", default=None, metavar="FILE",
                       help="Also write a static PDF for reports.")
key_opt = click.option("--tianditu-key", default=None, metavar="KEY",
                       help="Tianditu key (else TIANDITU_KEY); it is visible in the HTML.")


def map_options(f):
    """Decorate a map command with the options both maps share."""
    for opt in (overwrite_opt, key_opt, pdf_opt, png_opt, title_opt, lang_opt, basemap_opt,
                out_opt, result_arg):
        f = opt(f)
    return f


def run_map(kind, result, out, basemap, lang, title, png, pdf, tianditu_key, overwrite,
            scenario=None, space=None):
    """Write the HTML map (and static maps) for ``kind`` ('map' or 'invest'); report each file.

    Warnings (size budget, Tianditu key, overlapping polygons) are printed as one line each.
    """
    import logging
    import warnings

    from .._atomic import check_output
    from ..publish.static import write_static_map

    log = logging.getLogger("parkgeo")
    for path in (out, png, pdf):
        if path:
            check_output(path, overwrite=overwrite)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        if kind == "map":
            from ..publish.webmap import write_map

            write_map(result, out=out, basemap=basemap, lang=lang, title=title,
                      tianditu_key=tianditu_key, overwrite=overwrite, space=space)
        else:
            from ..publish.investmap import write_invest_map

            write_invest_map(result, out=out, basemap=basemap, lang=lang, title=title,
                             tianditu_key=tianditu_key, scenario=scenario, overwrite=overwrite)
        log.info("wrote %s", out)
        if png or pdf:
            for path in write_static_map(result, png=png, pdf=pdf, kind=kind, lang=lang,
                                         title=title, overwrite=overwrite):
                log.info("wrote %s", path)
    for w in dict.fromkeys(str(w.message) for w in caught):
        log.warning(w)


@click.command("map")
@map_options
@click.option("--space", "space", default=None, metavar="SPACE.gpkg",
              type=click.Path(path_type=str),
              help="The GeoPackage 'parkgeo space --out' wrote: each zone's and park's "
                   "measured developable land is drawn as a layer you can toggle (R4).")
def map_cmd(result, out, basemap, lang, title, png, pdf, tianditu_key, overwrite, space):
    """Draw the consolidation: platforms, sub-zones, exits, R11 quotas (T7).

    \b
    RESULT is the GeoPackage written by 'parkgeo integrate'. The HTML works offline:
    Leaflet and every plugin are inside the file; only basemap tiles come from the network.

    \b
    Example:
        parkgeo map out/result.gpkg --out out/map.html --png out/map.png
        parkgeo map out/result.gpkg --out out/map-en.html --lang en --basemap osm
        parkgeo map out/result.gpkg --out out/map.html --space out/space.gpkg
    """
    run_map("map", result, out, basemap, lang, title, png, pdf, tianditu_key, overwrite,
            space=space)
