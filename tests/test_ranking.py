"""The year-end composite ranking (R15) on Zhejiang's per-mu indicators, worked by hand.

Hand example (tests/measure_fixtures.py, HAND_ANNUAL; 2020 figures, 万元 = 亿元 × 10⁴):

            tax/mu   VA/mu   VA/person   VA/tce   VA/t   R&D
    A         40      200       200        20     200   0.03
    B         20      300       150        15     300   0.05
    C         15       50       200        20     200   0.01
    median    20      200       200        20     200   0.03

    ratios A: 2, 1, 1, 1, 1, 1          → 0.3·2 + 0.2 + 0.2 + 0.1 + 0.1 + 0.1       = 1.3
           B: 1, 1.5, .75, .75, 1.5, 5/3 → .3 + .3 + .15 + .075 + .15 + .1667       = 1.14167
           C: .75, .25, 1, 1, 1, 1/3     → .225 + .05 + .2 + .1 + .1 + .0333        = 0.70833
    scores 130, 114.17, 70.83 → ranks A 1, B 2, C 3.
"""

from __future__ import annotations

import json
import math

import numpy as np
import pandas as pd
import pytest
from click.testing import CliRunner
from measure_fixtures import HAND_ANNUAL, hand_layers, hand_monitoring, tiny_result, write_gpkg

from parkgeo.cli.main import cli
from parkgeo.errors import ScenarioError
from parkgeo.measure.ranking import (
    INDICATORS,
    composite_scores,
    load_weights,
    rank_platforms,
    rank_table,
    ranks_of,
)
from parkgeo.scenario import scenario_from_dict


def by_id(ranking):
    return ranking.table.set_index("platform_id")


def test_hand_computed_ranking():
    r = rank_platforms(hand_layers())
    t = by_id(r)
    assert r.year == 2020
    assert t.loc["A", "score"] == pytest.approx(130.0)
    assert t.loc["B", "score"] == pytest.approx(100 * (0.3 + 0.3 + 0.15 + 0.075 + 0.15 + 0.5 / 3))
    assert t.loc["C", "score"] == pytest.approx(100 * (0.225 + 0.05 + 0.2 + 0.1 + 0.1 + 0.1 / 3))
    assert list(r.table["platform_id"]) == ["A", "B", "C"]
    assert list(r.table["rank"]) == [1, 2, 3]
    assert r.benchmarks.to_dict() == pytest.approx(
        {"tax_per_mu": 20, "va_per_mu": 200, "labour_productivity": 200, "va_per_energy": 20,
         "va_per_emission": 200, "rd_share": 0.03})
    assert t.loc["B", "va_per_mu_ratio"] == pytest.approx(1.5)
    assert r.weights.to_dict() == pytest.approx(
        {"tax_per_mu": 0.3, "va_per_mu": 0.2, "labour_productivity": 0.2, "va_per_energy": 0.1,
         "va_per_emission": 0.1, "rd_share": 0.1})
    assert "Huangyan" in r.weights_source


def test_composite_and_ties():
    assert composite_scores([[2.0, 1.0], [1.0, 3.0]], [3, 1], [1.0, 1.0]).tolist() == \
        pytest.approx([175.0, 150.0])
    assert ranks_of([70.0, 130.0, 70.0]).tolist() == [2, 1, 2]


def test_sensitivity_rank_range_under_weight_changes():
    # P leads Q by one point; cutting the tax weight by 20% (others rescaled) swaps them:
    # P: .24·1.2 + .2·.7 + .5 = .928, Q: .24 + .2·.95 + .5 = .93 (before rescaling)
    values = pd.DataFrame({k: [1.0, 1.0, 0.5] for k in INDICATORS}, index=["P", "Q", "R"])
    values.loc["P", "tax_per_mu"], values.loc["P", "va_per_mu"] = 1.2, 0.7
    values.loc["Q", "va_per_mu"] = 0.95
    weights = {"tax_per_mu": 30, "va_per_mu": 20, "labour_productivity": 20,
               "va_per_energy": 10, "va_per_emission": 10, "rd_share": 10}
    table, bench, sens = rank_table(values, weights, {k: 1.0 for k in INDICATORS})
    assert table.loc["P", "score"] == pytest.approx(100.0)
    assert table.loc["Q", "score"] == pytest.approx(99.0)
    assert table.loc[["P", "Q", "R"], "rank"].tolist() == [1, 2, 3]
    assert table.loc["P", ["rank_min", "rank_max"]].tolist() == [1, 2]
    assert table.loc["Q", ["rank_min", "rank_max"]].tolist() == [1, 2]
    assert table.loc["R", ["rank_min", "rank_max"]].tolist() == [3, 3]
    cut = sens[(sens["indicator"] == "tax_per_mu") & np.isclose(sens["change"], -0.2)]
    assert cut.set_index("platform_id")["rank"].to_dict() == {"P": 2, "Q": 1, "R": 3}
    assert len(sens) == 6 * 2 * 3


def test_weights_file_overrides(tmp_path):
    f = tmp_path / "w.toml"
    f.write_text("[weights]\ntax_per_mu = 0\nva_per_mu = 0\nlabour_productivity = 0\n"
                 "va_per_energy = 0\nva_per_emission = 0\nrd_share = 1\n", encoding="utf-8")
    r = rank_platforms(hand_layers(), weights=f)
    # R&D alone: B 0.05 > A 0.03 > C 0.01; B's score is 100 × 0.05 / 0.03
    assert list(r.table["platform_id"]) == ["B", "A", "C"]
    assert by_id(r).loc["B", "score"] == pytest.approx(100 * 5 / 3)
    assert str(f) in r.weights_source


def test_weights_file_benchmarks(tmp_path):
    f = tmp_path / "w.toml"
    f.write_text("[weights]\nrd_share = 10\n[benchmarks]\ntax_per_mu = 40\n", encoding="utf-8")
    w, b = load_weights(f)
    assert w == {"rd_share": 10.0} and b == {"tax_per_mu": 40.0}
    r = rank_platforms(hand_layers(), weights=f)
    assert r.benchmarks["tax_per_mu"] == 40 and by_id(r).loc["A", "tax_per_mu_ratio"] == 1


@pytest.mark.parametrize("text, match", [
    ("[weights]\ntax_per_acre = 3\n", "unknown indicator 'weights.tax_per_acre'"),
    ("[weights]\ntax_per_mu = -1\n", "must be ≥ 0"),
    ("[weights]\ntax_per_mu = 'high'\n", "expected a number"),
    ("[weight]\ntax_per_mu = 1\n", "unknown key 'weight'"),
    ("[benchmarks]\ntax_per_mu = 1\n", "no \\[weights\\] table"),
    ("[weights]\ntax_per_mu = 1\n[benchmarks]\nrd_share = 0\n", "must be > 0"),
    ("weights = [", "not valid TOML"),
])
def test_bad_weights_file(tmp_path, text, match):
    f = tmp_path / "w.toml"
    f.write_text(text, encoding="utf-8")
    with pytest.raises(ScenarioError, match=match):
        load_weights(f)


def test_all_zero_weights_refused():
    with pytest.raises(ScenarioError, match="not all zero"):
        rank_platforms(hand_layers(), weights={k: 0 for k in INDICATORS})


def test_missing_indicator_is_reported_not_imputed():
    annual = {**HAND_ANNUAL, "D": dict(HAND_ANNUAL["A"])}
    m = hand_monitoring(annual)
    m.loc[(m["platform_id"] == "D") & (m["period"] == "2020Q3"), "emissions_t"] = float("nan")
    r = rank_platforms(hand_layers(annual, monitoring=m))
    d = by_id(r).loc["D"]
    assert pd.isna(d["rank"]) and math.isnan(d["score"])
    assert "va_per_emission" in d["note"] and "2020Q3" in d["note"]
    # the others are ranked exactly as without D (the benchmark is over ranked platforms)
    assert by_id(r).loc["A", "score"] == pytest.approx(130.0)
    assert list(r.table["platform_id"])[-1] == "D"
    assert ((r.missing["platform_id"] == "D") & (r.missing["indicator"] == "emissions_t")).any()
    assert ((r.monitoring.problems["field"] == "emissions_t")
            & (r.monitoring.problems["row"] == 15)).any()


def test_default_year_is_latest_with_a_fourth_quarter():
    m = pd.concat([hand_monitoring(year=2019), hand_monitoring(year=2020),
                   hand_monitoring(year=2021).query("period == '2021Q1'")], ignore_index=True)
    assert rank_platforms(hand_layers(monitoring=m)).year == 2020
    assert rank_platforms(hand_layers(monitoring=m), year=2019).year == 2019


def test_scenario_weights_and_mean_benchmark():
    s = scenario_from_dict({"ranking": {"benchmark": "mean"}})
    r = rank_platforms(hand_layers(), scenario=s)
    assert r.benchmarks["tax_per_mu"] == pytest.approx(25.0)
    assert r.benchmark_how == "mean"


@pytest.fixture
def result_gpkg(tmp_path):
    layers = tiny_result()
    layers["monitoring"] = hand_monitoring({"Z1": HAND_ANNUAL["A"], "Z2": HAND_ANNUAL["B"]})
    return str(write_gpkg(layers, tmp_path / "result.gpkg"))


def test_cli_rank_writes_csv_and_json(result_gpkg, tmp_path):
    out = tmp_path / "ranking.csv"
    res = CliRunner().invoke(cli, ["rank", result_gpkg, "--period", "2020", "--out", str(out)])
    assert res.exit_code == 0, res.output
    assert "Z1" in res.output and "Z2" in res.output
    table = pd.read_csv(out, encoding="utf-8-sig", dtype={"platform_id": str})
    assert list(table["platform_id"]) == ["Z1", "Z2"] or list(table["platform_id"]) == \
        ["Z2", "Z1"]
    assert {"rank", "rank_min", "rank_max", "score", "tax_per_mu"} <= set(table.columns)
    js = tmp_path / "ranking.json"
    res = CliRunner().invoke(cli, ["rank", result_gpkg, "--out", str(js)])
    assert res.exit_code == 0, res.output
    doc = json.loads(js.read_text(encoding="utf-8"))
    assert doc["year"] == 2020 and len(doc["records"]) == 2
    series = pd.DataFrame(doc["series"])
    assert {"qoq", "yoy", "period", "indicator"} <= set(series.columns)
    assert set(doc["weights"]) == set(INDICATORS)
    # an existing output is refused without --overwrite
    res = CliRunner().invoke(cli, ["rank", result_gpkg, "--out", str(js)])
    assert res.exit_code == 2 and "--overwrite" in res.output


@pytest.mark.parametrize("args, message", [
    (["--period", "twenty"], "expected a year"),
    (["--weights", "missing.toml"], "does not exist"),
    (["--out", "ranking.xlsx"], ".csv, .json"),
])
def test_cli_rank_bad_options(result_gpkg, tmp_path, monkeypatch, args, message):
    monkeypatch.chdir(tmp_path)
    res = CliRunner().invoke(cli, ["rank", result_gpkg, *args])
    assert res.exit_code == 2 and message in res.output


def test_cli_rank_without_monitoring_is_exit_2(tmp_path):
    path = str(write_gpkg(tiny_result(), tmp_path / "r.gpkg"))
    res = CliRunner().invoke(cli, ["rank", path])
    assert res.exit_code == 2 and "monitoring" in res.output


def test_a_dataset_without_platforms_ranks_its_zones():
    res = tiny_result()
    m = hand_monitoring({"Z1": HAND_ANNUAL["A"], "Z2": HAND_ANNUAL["B"], "K1": HAND_ANNUAL["C"]})
    r = rank_platforms({"zones": res["zones"], "parks": res["parks"], "monitoring": m})
    assert list(r.table["platform_id"]) == ["Z1", "Z2"]
    assert list(r.table["name"]) == ["南湖高新区", "海宁经开区"]
    unknown = r.monitoring.problems[r.monitoring.problems["rule"] == "unknown_platform"]
    assert len(unknown) == 4 and set(unknown["id"]) == {"K1"}
