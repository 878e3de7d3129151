"""``parkgeo catalogue``: search and export the national catalogue of development zones."""

from __future__ import annotations

import logging

import click

from .options import overwrite_opt

#: the columns of the table printed, headed in the table's ``cli.catalogue.`` words
_HEAD = ("code", "name", "province", "city_county", "level", "zone_type", "approved_area_ha",
         "industries")


@click.command("catalogue")
@click.argument("text", required=False)
@click.option("--province", default=None, metavar="P", help="Only this province (浙江 or 浙江省).")
@click.option("--level", default=None, metavar="L",
              help="Only this level: national/provincial, 国家级/省级, 国务院/省政府.")
@click.option("--out", default=None, metavar="FILE",
              help="Write the rows to FILE: .csv (the catalogue's columns) or .gpkg (a 'zones' "
                   "layer with the data contract's fields, ready to receive polygons).")
@click.option("--lang", type=click.Choice(["zh", "en"]), default="zh", show_default=True,
              help="Language of the table printed.")
@overwrite_opt
def catalogue(text, province, level, out, lang, overwrite):
    """Search the national catalogue of development zones (2018) and export rows.

    《中国开发区审核公告目录》(2018年版): 2,543 zones with code, name, level, type, approved
    area (R2) and leading industries. TEXT matches a code, a name or a city/county.

    \b
    Examples:
        parkgeo catalogue 嘉兴
        parkgeo catalogue --province 浙江 --level 国务院
        parkgeo catalogue --province 浙江 --out zhejiang-zones.gpkg
    """
    from ..catalogue import SOURCE, search, write_rows
    from ..errors import InputError
    from ..i18n import WORDS, tr

    try:
        rows = search(text, province=province, level=level)
    except ValueError as exc:
        raise InputError(f"--level: {exc}") from None
    if rows.empty:
        what = " ".join(x for x in (f"'{text}'" if text else "", f"province {province}"
                                    if province else "", f"level {level}" if level else "") if x)
        raise InputError(f"nothing in {SOURCE} matches {what or 'the search'}; try a shorter "
                         "text (a city name such as 嘉兴, or a code such as G331112)")
    if out:
        try:
            write_rows(rows, out, overwrite=overwrite)
        except ValueError as exc:
            raise InputError(f"--out: {exc}") from None
        logging.getLogger("parkgeo").info("wrote %d zone(s) of %s to %s", len(rows), SOURCE, out)
        return
    click.echo("\t".join(tr(f"cli.catalogue.{c}", lang) for c in _HEAD))
    for r in rows.itertuples(index=False):
        lv = tr(f"cli.level.{r.level}", lang) if f"cli.level.{r.level}" in WORDS else r.level
        area = "" if r.approved_area_ha != r.approved_area_ha else f"{r.approved_area_ha:g}"
        click.echo("\t".join((r.code, r.name, r.province, r.city_county, lv, r.zone_type, area,
                              r.industries_zh)))
    n = len(rows)
    click.echo(tr("cli.catalogue.total", lang, n=n, source=SOURCE), err=True)
