"""``parkgeo scenario``: print or write a commented scenario template."""

from __future__ import annotations

import logging

import click

from .options import overwrite_opt


@click.command("scenario")
@click.option("--out", default=None, metavar="FILE", help="Write the template to FILE.")
@click.option("--check", "check", default=None, metavar="FILE",
              help="Check a scenario file: unknown keys and bad values are errors.")
@overwrite_opt
def scenario(out, check, overwrite):
    """Print a commented scenario template: every setting, its default and rule id.

    \b
    Example:
        parkgeo scenario --out my-city.toml
        parkgeo scenario --check my-city.toml
    """
    from ..scenario import load_scenario, template

    if check:
        s = load_scenario(check)
        click.echo(f"{check}: ok — {s.name}"
                   + (f", {len(s.variant)} variant(s)" if s.variant else ""))
        return
    text = template()
    if out:
        from .._atomic import write_text_atomic

        write_text_atomic(out, text, overwrite=overwrite)
        logging.getLogger("parkgeo").info("wrote %s", out)
    else:
        click.echo(text)
