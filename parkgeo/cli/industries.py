"""``parkgeo industries``: how industry terms are read into GB/T 4754-2017 codes."""

from __future__ import annotations

import click


@click.command("industries")
@click.argument("text", nargs=-1, required=True)
@click.option("--lang", type=click.Choice(["zh", "en"]), default="zh", show_default=True,
              help="Language of the output.")
def industries(text, lang):
    """Show how industry terms become GB/T 4754-2017 codes (R7, R17, T1).

    Each TEXT is an 'industries' value: codes, GB/T 4754-2017 names or broad terms separated
    by 、，,；; or spaces. Every term is printed with the codes it became and why: code, exact
    GB/T name, synonym (the curated table, with its basis) or partial name.

    \b
    Examples:
        parkgeo industries 装备制造、生物医药、信息技术
        parkgeo industries "汽车及零部件；C3825" 纺织服装 --lang en
    """
    from ..i18n import tr
    from ..industries import gbt4754, parse_industries

    table = gbt4754()
    n_terms = n_mapped = 0
    for value in text:
        for term in parse_industries(value).terms:
            n_terms += 1
            known = [c for c in term.codes if c in table]
            n_mapped += bool(known) and len(known) == len(term.codes)
            codes = ";".join(term.codes) or tr("cli.industries.none", lang)
            how = tr(f"industry.how.{term.how}", lang)
            names = ""
            if known and len(known) <= 4:
                names = " (" + "; ".join(table[c][1] for c in known) + ")"
            why = term.why
            if lang == "zh":
                why = (tr("cli.industries.unrecognised", lang) if term.how == "unrecognised"
                       else why.replace(tr("cli.industries.part_of", "en"),
                                        tr("cli.industries.part_of", lang)))
            click.echo(f"{term.text}\t→ {codes}{names}\t[{how}] {why}")
    click.echo(tr("cli.industries.total", lang, n=n_terms, mapped=n_mapped), err=True)
