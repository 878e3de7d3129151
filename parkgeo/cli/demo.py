"""``parkgeo demo``: the whole pipeline on a bundled sample (Jiaxing, or Zhejiang)."""

from __future__ import annotations

import click


@click.command("demo")
@click.option("--out", default="maps", show_default=True, metavar="DIR",
              help="Folder for the maps, reports and result (created if missing).")
@click.option("--sample", type=click.Choice(["jiaxing", "zhejiang"]), default="jiaxing",
              show_default=True,
              help="The bundled sample: Jiaxing (layers/jiaxing.gpkg) or Zhejiang's 120 "
                   "catalogue zones (layers/zhejiang.gpkg).")
@click.option("--dataset", default=None, metavar="DATASET",
              help="Run on another dataset instead of the bundled sample.")
@click.option("--lang", type=click.Choice(["zh", "en"]), default="zh", show_default=True,
              help="Language of the maps and reports.")
def demo(out, sample, dataset, lang):
    """Run every stage on a bundled sample and list what was written.

    \b
    Runs, in order and showing each command: validate, integrate, map (HTML and PNG),
    invest-map, rank, admit and report (Excel, HTML and the Word plan). The Jiaxing
    sample's district boundaries, zone names, catalogue codes, approved areas and town
    names are real; every polygon of a zone or park and every figure is illustrative (see
    layers/README.md).

    \b
    The Zhejiang sample (--sample zhejiang) holds the national catalogue's 120 zones of
    Zhejiang with their real names, codes, levels, types, approved areas and industries,
    placed as approximate circles; its parks and figures are illustrative.

    \b
    Example:
        parkgeo demo --out maps/
        parkgeo demo --sample zhejiang --out maps-zj/
    """
    from .tour import run_demo

    written = run_demo(out, dataset=dataset, sample=sample, lang=lang)
    click.echo(click.style(f"\nparkgeo demo wrote {len(written)} files:", bold=True))
    for path in written:
        size = path.stat().st_size
        click.echo(f"  {path}  ({size / 1024:,.0f} KB)")
