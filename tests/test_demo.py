"""``parkgeo demo``: every stage runs on the bundled sample and writes its files."""

from __future__ import annotations

import json
import re

import docx
import geopandas as gpd
import openpyxl
from click.testing import CliRunner
from conftest import STALE

from parkgeo.cli.main import cli
from parkgeo.cli.tour import demo_steps


def test_demo_runs_every_stage_and_lists_its_files(demo_run, sample_path):
    out, result, _ = demo_run
    assert result.exit_code == 0, result.output
    expected = [f for step in demo_steps(sample_path, out) for f in step.outputs]
    # the sample has a land-use survey: the developable-space account is among the outputs
    assert len(expected) == 15
    for f in expected:
        assert f in result.output  # listed
        assert (out / f.rsplit("/", 1)[-1]).stat().st_size > 0
    for stage in ("validate", "space", "integrate", "map", "invest-map", "rank", "admit",
                  "report"):
        assert f"$ parkgeo {stage} " in result.output

    # R4: the account (可开发空间核算表) measures every zone and park, in Chinese by default
    book = openpyxl.load_workbook(out / "space.xlsx", read_only=True)
    assert book.sheetnames[0] == "可开发空间核算表"
    space = gpd.read_file(out / "space.gpkg", layer="space")
    zones_in = gpd.read_file(sample_path, layer="zones")
    assert len(space) == len(zones_in) + len(gpd.read_file(sample_path, layer="parks"))
    assert (space["developable_mu"] > 0).all()

    # the sample validates without errors and consolidates with every platform meeting R4; the
    # only findings allowed are approved areas that differ from the national catalogue's for
    # zones found by name (warnings: the sample's areas are illustrative)
    findings = json.loads((out / "validation.json").read_text(encoding="utf-8"))["findings"]
    assert [f for f in findings if f["severity"] != "warning"] == []
    assert {f["rule"] for f in findings} <= {"approved_area_differs_from_catalogue"}
    platforms = gpd.read_file(out / "jiaxing-result.gpkg", layer="platforms")
    assert len(platforms) >= 9 and platforms["meets_R4"].all()
    parks_in = gpd.read_file(sample_path, layer="parks")
    parks_out = gpd.read_file(out / "jiaxing-result.gpkg", layer="parks")
    assert sorted(parks_out["park_id"]) == sorted(parks_in["park_id"])
    assert set(parks_out["decision"]) <= {"sub_zone", "exit", "excluded"}

    # the published HTML works offline: no remote scripts or styles (basemap none)
    for page in ("consolidation-map.html", "invest-map.html", "validation.html"):
        html = (out / page).read_text(encoding="utf-8")
        assert not re.search(r"<(script|link)[^>]+(src|href)=[\"']https?://", html), page
    # the consolidation map draws the measured developable land of every zone and park (R4)
    html = (out / "consolidation-map.html").read_text(encoding="utf-8")
    assert html.count('"k":"developable"') == len(space)
    book = openpyxl.load_workbook(out / "report.xlsx", read_only=True)
    assert len(book.sheetnames) >= 5
    assert docx.Document(str(out / "plan.docx")).tables


def test_demo_replaces_the_outputs_of_an_earlier_demo(demo_run):
    # the folder held an earlier demo's map and report: the demo ran through and replaced them
    out, result, renames = demo_run
    assert result.exit_code == 0, result.output
    for name in ("consolidation-map.html", "report.html"):
        page = (out / name).read_bytes()
        assert page != STALE and page.lstrip().lower().startswith(b"<!doctype html")
        assert (out / name).resolve() in renames


def test_demo_language_reaches_the_space_account(tmp_path, sample_path):
    # the demo's space step carries its --lang, and the account is then written in it
    step = next(s for s in demo_steps(sample_path, tmp_path, lang="en") if s.args[0] == "space")
    assert step.args[step.args.index("--lang") + 1] == "en"
    xlsx = tmp_path / "space.xlsx"
    run = CliRunner().invoke(cli, ["space", str(sample_path), "--out", str(tmp_path / "s.gpkg"),
                                   "--xlsx", str(xlsx), "--lang", "en"])
    assert run.exit_code == 0, run.output
    book = openpyxl.load_workbook(xlsx, read_only=True)
    assert book.sheetnames[0] == "developable space"


def test_demo_without_a_survey_skips_the_account(tmp_path, sample_path):
    with_survey = [s.args[0] for s in demo_steps(sample_path, tmp_path)]
    without = [s.args[0] for s in demo_steps(sample_path, tmp_path, landuse=False)]
    assert "space" in with_survey and "space" not in without
    assert len(with_survey) == len(without) + 1


def test_demo_on_a_missing_dataset_is_exit_2(tmp_path):
    result = CliRunner().invoke(cli, ["demo", "--out", str(tmp_path), "--dataset",
                                      str(tmp_path / "none.gpkg")])
    assert result.exit_code == 2
    assert "none.gpkg" in result.output and "Traceback" not in result.output


def test_every_file_the_demo_writes_arrives_by_rename(demo_run):
    # (here, next to the other demo tests: this module runs on one worker, so the demo runs once)
    folder, res, renames = demo_run
    assert res.exit_code in (0, 1), res.output
    files = sorted(p.resolve() for p in folder.rglob("*") if p.is_file())
    assert len(files) >= 8
    bypassed = [str(p) for p in files if p not in renames]
    assert not bypassed, f"written without parkgeo/_atomic.py: {bypassed}"
