"""The consolidation result as one object (parkgeo.result): written, read back whole, and every
figure downstream taken from it — the R11 quota (county_report) and the R4 floors (the scenario
stored in its run table), never from a default."""

from __future__ import annotations

import re

import pandas as pd
import pytest
from click.testing import CliRunner
from openpyxl import load_workbook

from parkgeo.cli.main import cli
from parkgeo.cli.report import SharedReports
from parkgeo.consolidate.integrate import integrate
from parkgeo.publish.report import ReportData, write_report
from parkgeo.publish.webmap import write_map
from parkgeo.read import read_dataset
from parkgeo.result import OUTPUT_FIELDS, OUTPUT_LAYERS, ConsolidationResult, load_result
from parkgeo.scenario import scenario_from_dict

# a scenario far from the defaults: R11 exit share 50% (default 30%), R4 floors 12,000 mu and
# 90 亿元 (default 10,000 mu and 80 亿元)
HALF = {"name": "half", "consolidate": {"exit_share": 0.5, "min_developable_mu": 12000.0,
                                        "min_va_100m": 90.0}}


@pytest.fixture(scope="module")
def half(sample_path, tmp_path_factory):
    result = integrate(read_dataset(sample_path), scenario_from_dict(HALF), jobs=1)
    folder = tmp_path_factory.mktemp("half")
    return result, result.write(folder / "half.gpkg"), folder


def test_quota_follows_the_stored_scenario(half):
    result, _, _ = half
    nh = result.r11_quota().set_index("county").loc["南湖区"]
    # R11: ⌈50% × 9⌉ = 5 (the default 30% would give 3)
    assert nh["n_parks"] == 9 and nh["quota"] == 5


def test_the_map_panel_gives_the_stored_quota_and_quotes_the_stored_floors(half):
    result, path, folder = half
    page = write_map(path, out=folder / "map.html").read_text(encoding="utf-8")
    row = re.search(r"<td>南湖区</td><td>\d+</td><td>(\d+)</td><td[^>]*>(\d+) / (\d+)</td>", page)
    assert row and row.group(1) == "9" and row.group(3) == "5"
    # R4 labels quote this scenario's floors, not the defaults
    assert "可开发空间≥12,000亩、增加值≥90亿元(R4)" in page
    assert "80亿" not in page and "10,000亩" not in page


def test_the_report_and_workbook_give_the_stored_quota(half):
    _, path, folder = half
    # the CLI without --config reads the result's own scenario; with a SharedReports context
    # object (as the demo runs it) its measurement is kept for the page and the plan below
    xlsx = folder / "report.xlsx"
    shared = SharedReports()
    run = CliRunner().invoke(cli, ["report", str(path), "--out", str(xlsx)], obj=shared)
    assert run.exit_code == 0, run.output
    ws = load_workbook(xlsx)["县(市、区)"]
    head = [c.value for c in ws[1]]
    nh = next(r for r in ws.iter_rows(min_row=2, values_only=True) if r[0] == "南湖区")
    assert nh[head.index("退出配额(个)")] == 5
    # the report read from the result file once, as write_report reads it (build_report of
    # the path, no other option), for the workbook, the page and the plan
    [(key, (data, _))] = [(k, v) for k, v in shared.items() if isinstance(k, tuple)]
    assert key[0] == str(path) and key[1:] == ("zh", None, None, None, None)
    assert isinstance(data, ReportData)
    assert data.result.scenario.consolidate.exit_share == 0.5
    html = write_report(data, folder / "report.html")
    counties = next(t for t in pd.read_html(html) if "退出配额(个)" in map(str, t.columns))
    assert counties.set_index("县(市、区)").loc["南湖区", "退出配额(个)"] == 5
    docx = write_report(data, folder / "plan.docx")
    from docx import Document

    text = "\n".join(p.text for p in Document(docx).paragraphs)
    assert "R11 各县(市、区)至少退出50%" in text and "可开发空间 ≥ 12,000亩" in text
    assert "至少退出30%" not in text


def test_load_result_gives_back_the_same_result(half):
    result, path, _ = half
    back = load_result(path)
    assert isinstance(back, ConsolidationResult)
    assert back.scenario.consolidate.exit_share == 0.5
    assert back.scenario.consolidate.min_developable_mu == 12000.0
    assert back.summary() == {**result.summary(), "objective": pytest.approx(
        result.summary()["objective"])}
    pd.testing.assert_frame_equal(back.r11_quota(), result.r11_quota(), check_dtype=False)
    assert len(back.members) == len(result.members) and set(back.layers) == set(result.layers)
    assert back.exit_status == result.exit_status and back.problems == result.problems
    js = back.to_json()
    assert js["scenario"]["toml"] == result.scenario.to_toml()
    assert [(c["county"], c["quota"], c["exits"]) for c in js["counties"]] == \
        [(c["county"], c["quota"], c["exits"]) for c in result.to_json()["counties"]]
    assert load_result(back) is back


def test_every_declared_layer_and_field_is_written(half):
    import pyogrio

    _, path, _ = half
    names = [n for n, _ in pyogrio.list_layers(path)]
    for layer in OUTPUT_LAYERS:
        assert layer in names
        cols = pyogrio.read_info(path, layer=layer)["fields"]
        missing = set(OUTPUT_FIELDS[layer]) - set(cols)
        assert not missing, (layer, missing)


def test_measure_and_publish_take_the_result_in_memory(half):
    from parkgeo.measure.targets import evaluate_targets
    from parkgeo.publish.webmap import render_map

    result, _, _ = half
    rep = evaluate_targets(result)
    r11 = rep.table[(rep.table["target"] == "R11") & (rep.table["id"] == "南湖区")]
    assert len(r11) and (r11["threshold"] == 0.5).all()
    html = render_map(result).get_root().render()
    assert "6 / 5" in html


def test_every_source_of_a_result_gives_the_stored_quota(half):
    """One coercer (load_result): the result in memory, its file and its layers read into a
    mapping all give the quota and thresholds the result stores — in the maps and in measure."""
    import geopandas as gpd
    import pyogrio

    from parkgeo import publish
    from parkgeo.measure.targets import evaluate_targets
    from parkgeo.publish.result import drawable

    result, path, _ = half
    layers = {name: gpd.read_file(path, layer=name) for name, _ in pyogrio.list_layers(path)}
    assert publish.load_result is load_result
    for source in (result, path, layers):
        res = load_result(source)
        assert isinstance(res, ConsolidationResult) and res.scenario.consolidate.exit_share == 0.5
        # the layer 'counties' is the county boundaries passed through, not the county report
        assert res.layer("counties") is res.layers["counties"]
        assert "quota" in res.layer("county_report") and "quota" not in res.layer("counties")
        for shown in (res, drawable(source)):
            nh = shown.r11_quota().set_index("county").loc["南湖区"]
            assert (nh["n_parks"], nh["quota"]) == (9, 5)
        table = evaluate_targets(source).table
        r11 = table[(table["target"] == "R11") & (table["id"] == "南湖区")]
        assert list(r11["threshold"]) == [0.5]
    assert drawable(path).zones.crs.to_epsg() == 4326
