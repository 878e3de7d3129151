"""The whole pipeline on a bundled sample (Jiaxing or Zhejiang): what ``parkgeo demo`` runs.

The demo runs the same commands a user would type, in order, and shows each command line
before its output, so it doubles as a tour: validate → space (when the dataset has a
land-use survey) → integrate → map → invest-map → rank → admit → report.

Examples
--------
>>> from parkgeo.cli.tour import run_demo            # doctest: +SKIP
>>> written = run_demo("maps/")                   # doctest: +SKIP
"""

from __future__ import annotations

import shlex
from dataclasses import dataclass
from pathlib import Path

import click

from ..errors import InputError, OutputError

__all__ = ["SAMPLE", "SAMPLES", "DemoStep", "demo_steps", "run_demo"]

_LAYERS = Path(__file__).resolve().parents[2] / "layers"
#: the bundled samples, next to the package in a source checkout, and the script building each
SAMPLES = {
    "jiaxing": (_LAYERS / "jiaxing.gpkg", "scripts/build_sample.py"),
    "zhejiang": (_LAYERS / "zhejiang.gpkg", "scripts/build_zhejiang.py"),
}
#: the default sample
SAMPLE = SAMPLES["jiaxing"][0]


@dataclass(frozen=True)
class DemoStep:
    """One command of the demo: its arguments and the files it writes."""

    title: str
    args: tuple
    outputs: tuple
    #: exit codes that do not stop the demo (1: the data breaks a rule, reported)
    ok_codes: tuple = (0,)


def has_landuse(dataset):
    """Whether ``dataset`` holds a land-use survey layer (``landuse``, ``dltb`` or 地类图斑)."""
    import pyogrio

    from ..read.landuse import LANDUSE_NAMES

    try:
        names = {str(n).lower() for n, _ in pyogrio.list_layers(dataset)}
    except (pyogrio.errors.DataSourceError, OSError):
        return False  # not a readable dataset: the demo's first command reports it
    return any(n.lower() in names for n in LANDUSE_NAMES)


def demo_steps(dataset, out, *, lang="zh", stem="jiaxing", landuse=None):
    """The demo's commands for ``dataset``, writing into folder ``out``.

    The result is named ``<stem>-result.gpkg`` (``jiaxing-result.gpkg`` by default). When the
    dataset has a land-use survey (``landuse``: None looks), the developable-space account
    (可开发空间核算表: ``space.gpkg`` and ``space.xlsx``) is measured after validation, and the
    consolidation map shows the measured developable land as a layer.
    """
    d, o = str(dataset), Path(out)
    if landuse is None:
        landuse = has_landuse(dataset)

    def p(name):
        return str(o / name)

    result = p(f"{stem}-result.gpkg")
    space = [DemoStep("Developable space measured from the land-use survey (R4): "
                      "the account (可开发空间核算表)",
                      ("space", d, "--out", p("space.gpkg"), "--xlsx", p("space.xlsx"),
                       "--lang", lang, "--overwrite"), (p("space.gpkg"), p("space.xlsx")))]
    return [
        DemoStep("Validate the boundary constraints (R1, R2, overlaps, counties, protected land)",
                 ("validate", d, "--json", p("validation.json"), "--html", p("validation.html"),
                  "--lang", lang, "--overwrite"), (p("validation.json"), p("validation.html")),
                 (0, 1)),
        *(space if landuse else []),
        DemoStep("Consolidate: classify parks, choose main platforms, assign sub-zones (R3-R11)",
                 ("integrate", d, "--out", result, "--json", p(f"{stem}-result.json"),
                  "--overwrite"), (result, p(f"{stem}-result.json")), (0, 1)),
        DemoStep("The consolidation map (offline HTML) and a static map",
                 ("map", result, "--out", p("consolidation-map.html"), "--lang", lang,
                  "--png", p("consolidation-map.png"), "--overwrite",
                  *(("--space", p("space.gpkg")) if landuse else ())),
                 (p("consolidation-map.html"), p("consolidation-map.png"))),
        DemoStep("The investment-attraction map (T7)",
                 ("invest-map", result, "--out", p("invest-map.html"), "--lang", lang,
                  "--overwrite"), (p("invest-map.html"),)),
        DemoStep("Quarterly monitoring and the year-end ranking (R15)",
                 ("rank", result, "--period", "2020", "--out", p("ranking.csv"),
                  "--series", p("monitoring-series.csv"), "--overwrite"),
                 (p("ranking.csv"), p("monitoring-series.csv"))),
        DemoStep("Project admission (R12, R16, R17)",
                 ("admit", result, d, "--out", p("admission.csv"), "--overwrite"),
                 (p("admission.csv"),)),
        DemoStep("The planner's report: Excel workbook and HTML",
                 ("report", result, "--out", p("report.xlsx"), "--lang", lang, "--overwrite"),
                 (p("report.xlsx"),)),
        DemoStep("", ("report", result, "--out", p("report.html"), "--lang", lang,
                      "--overwrite"), (p("report.html"),)),
        DemoStep("The consolidation plan (Word document)",
                 ("report", result, "--out", p("plan.docx"), "--lang", lang, "--overwrite"),
                 (p("plan.docx"),)),
    ]


def run_demo(out="maps", *, dataset=None, sample="jiaxing", lang="zh", echo=click.echo):
    """Run every stage on a bundled sample (or ``dataset``); return the files written.

    Parameters
    ----------
    out : str or Path
        The folder to write into (created if missing). Files from an earlier demo there are
        replaced.
    dataset : str or Path, optional
        Another dataset to run on (default: the bundled sample ``sample``).
    sample : {"jiaxing", "zhejiang"}
        The bundled sample: ``layers/jiaxing.gpkg`` (the default) or ``layers/zhejiang.gpkg``
        (Zhejiang's 120 catalogue zones).
    lang : {"zh", "en"}
        Language of the maps and reports.

    Returns
    -------
    list of Path
    """
    from .main import cli
    from .report import SharedReports

    if sample not in SAMPLES:
        raise InputError(f"unknown sample '{sample}'; expected one of {', '.join(SAMPLES)}")
    bundled, script = SAMPLES[sample]
    dataset = Path(dataset) if dataset is not None else bundled
    if not dataset.exists():
        raise InputError(f"the bundled sample is missing; run 'python {script}' in a source "
                         "checkout, or pass --dataset", path=dataset)
    stem = sample
    out = Path(out)
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise OutputError(f"{out}: cannot create the output folder ({exc.strerror})") from None
    written = []
    shared = SharedReports()  # the report's three formats measure the result once
    for step in demo_steps(dataset, out, lang=lang, stem=stem):
        if step.title:
            echo(click.style(f"\n== {step.title}", bold=True))
        echo(click.style("$ parkgeo " + shlex.join(step.args), fg="cyan"))
        try:
            code = cli.main(list(step.args), prog_name="parkgeo", standalone_mode=False,
                            obj=shared)
        except click.exceptions.Exit as exc:
            code = exc.exit_code
        code = code or 0
        if code not in step.ok_codes:
            raise click.ClickException(f"'parkgeo {step.args[0]}' failed with exit code {code}; "
                                       "the demo stops here")
        written.extend(Path(f) for f in step.outputs if Path(f).exists())
    return written
