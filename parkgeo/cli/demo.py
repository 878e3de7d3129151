"""``parkgeo demo``: the whole pipeline on the bundled Jiaxing sample."""

from __future__ import annotations

import click


@click.command("demo")
@click.option("--out", default="maps", show_default=True, metavar="DIR",
              help="Folder for the maps, reports and result (created if missing).")
@click.option("--dataset", default=None, metavar="DATASET",
              help="Run on another dataset instead of the bundled sample.")
@click.option("--lang", type=click.Choice(["zh", "en"]), default="zh", show_default=True,
              help="Language of the maps and reports.")
def demo(out, dataset, lang):
    """Run every stage on the bundled Jiaxing sample and list what was written.

    \b
    Runs, in order and showing each command: validate, integrate, map (HTML and PNG),
    invest-map, rank, admit and report (Excel, HTML and the Word plan). The sample's district
    boundaries, zone names and town names are real; every polygon of a zone or park and
    every figure is illustrative (see layers/README.md).

    \b
    Example:
        parkgeo demo --out maps/
    """
    from ..demo import run_demo

    written = run_demo(out, dataset=dataset, lang=lang)
    click.echo(click.style(f"\nparkgeo demo wrote {len(written)} files:", bold=True))
    for path in written:
        size = path.stat().st_size
        click.echo(f"  {path}  ({size / 1024:,.0f} KB)")
