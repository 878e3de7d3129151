"""The 2020 targets (T1–T6) and the county checks R3 and R11, on tiny results built in code.

The expected figures are worked out by hand from tests/measure_fixtures.py:

platform Z1 = zone Z1 (VA 60, C38;C39) + K1 (VA 40, C26) + K6 (VA 20, C39): VA 120;
  T1 shares C39 50/120, C26 40/120, C38 30/120 → leading C39, C26; featured C38 only.
  T2 high-tech (60·0.5 + 40·0.3 + 20·0.6)/120 = 0.45 (exactly the target), R&D 3.8/120.
  T3 output 1400 亿元 ÷ 20,000 mu = 700 万元/mu; tax 8 亿元 ÷ 20,000 mu = 4 万元/mu.
platform Z2 = zone Z2 (VA 40, C17) + K3 (VA 20, C17;C18; no output, no high-tech share)
  + K7 (VA 5, C17; no listed-firm count) + K8 (VA 5, C29): VA 70;
  T1 C17 55/70, C18 10/70, C29 5/70; R&D 1.6/70; tax 2 亿元 ÷ 12,000 mu; listed ≥ 1+3.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from measure_fixtures import platforms_from, point, projects_frame, tiny_result

from parkgeo.errors import SchemaError
from parkgeo.measure.targets import MET, NO_DATA, NOT_MET, evaluate_targets, target_readings
from parkgeo.scenario import scenario_from_dict


def row(report, scope, id_, target, indicator):
    t = report.table
    hit = t[(t["scope"] == scope) & (t["id"] == id_) & (t["target"] == target)
            & (t["indicator"] == indicator)]
    assert len(hit) == 1, (scope, id_, target, indicator)
    return hit.iloc[0]


@pytest.fixture
def result():
    return tiny_result()


@pytest.fixture
def report(result):
    return evaluate_targets(result)


def test_t1_leading_chains_and_featured_industries(report):
    z1_lead = row(report, "platform", "Z1", "T1", "leading_chains")
    assert z1_lead["figure"] == 2 and z1_lead["status"] == MET
    assert "C39, C26" in z1_lead["detail"]
    z1_feat = row(report, "platform", "Z1", "T1", "featured_industries")
    assert z1_feat["figure"] == 1 and z1_feat["status"] == NOT_MET and z1_feat["gap"] == 1
    assert "C38" in z1_feat["detail"]
    z2_lead = row(report, "platform", "Z2", "T1", "leading_chains")
    assert z2_lead["figure"] == 1 and z2_lead["status"] == MET
    assert "C17 79%" in z2_lead["detail"]


def test_t1_at_most_two_divisions_lead(result):
    # three divisions of 1/3 each: two lead (the plan's "1–2"), the third is featured
    zones = result["zones"].copy()
    zones.loc[zones["zone_id"] == "Z1", "industries"] = "C38;C39;C40"
    result["zones"] = zones
    parks = result["parks"].copy()
    parks.loc[parks["park_id"].isin(["K1", "K6"]), "decision"] = "exit"
    result["parks"] = parks
    result["platforms"] = platforms_from(zones, parks)
    rep = evaluate_targets(result)
    assert row(rep, "platform", "Z1", "T1", "leading_chains")["figure"] == 2
    assert row(rep, "platform", "Z1", "T1", "featured_industries")["figure"] == 1


def test_t2_boundary_is_met_and_missing_member_is_no_data(report):
    ht = row(report, "platform", "Z1", "T2", "high_tech_va_share")
    assert ht["figure"] == pytest.approx(0.45) and ht["status"] == MET
    rd = row(report, "platform", "Z1", "T2", "rd_share")
    assert rd["figure"] == pytest.approx(3.8 / 120) and rd["status"] == MET
    # K3 has no high-tech share: the VA-weighted share of the others is shown, not passed
    z2 = row(report, "platform", "Z2", "T2", "high_tech_va_share")
    assert z2["status"] == NO_DATA and math.isnan(z2["gap"]) and "K3" in z2["detail"]
    z2rd = row(report, "platform", "Z2", "T2", "rd_share")
    assert z2rd["status"] == NOT_MET
    assert z2rd["gap"] == pytest.approx(0.03 - 1.6 / 70)


def test_t3_per_mu_output_and_tax(report):
    out = row(report, "platform", "Z1", "T3", "output_per_mu_10k")
    assert out["figure"] == pytest.approx(700) and out["status"] == MET
    tax = row(report, "platform", "Z1", "T3", "tax_per_mu_10k")
    assert tax["figure"] == pytest.approx(4) and tax["status"] == NOT_MET
    assert tax["gap"] == pytest.approx(26)
    # K3 has no output figure: Z2's output per mu is no data, its tax per mu is measured
    assert row(report, "platform", "Z2", "T3", "output_per_mu_10k")["status"] == NO_DATA
    z2tax = row(report, "platform", "Z2", "T3", "tax_per_mu_10k")
    assert z2tax["figure"] == pytest.approx(2e4 / 12000) and z2tax["status"] == NOT_MET


def test_t4_additive_targets_pass_on_a_known_part_only_when_already_met(result, report):
    assert row(report, "platform", "Z1", "T4", "industrial_va_100m")["status"] == MET
    assert row(report, "platform", "Z1", "T4", "firms_over_10bn")["status"] == MET
    va = row(report, "platform", "Z2", "T4", "industrial_va_100m")
    assert va["status"] == NOT_MET and va["gap"] == pytest.approx(30)
    # K7's listed-firm count is missing, but Z2 + K3 already have 4 ≥ 3
    listed = row(report, "platform", "Z2", "T4", "listed_firms")
    assert listed["status"] == MET and "K7" in listed["detail"]
    # without K3's 3 listed firms the known part (1) is short: no data, not "not met"
    parks = result["parks"].copy()
    parks.loc[parks["park_id"] == "K3", "listed_firms"] = np.nan
    result["parks"] = parks
    result["platforms"] = platforms_from(result["zones"], parks)
    rep = evaluate_targets(result)
    assert row(rep, "platform", "Z2", "T4", "listed_firms")["status"] == NO_DATA


def test_missing_everywhere_is_no_data_even_when_the_platform_layer_says_zero(result):
    # the consolidation sums with NaN skipped, so a platform whose members all lack tax
    # carries tax 0: that must not read as a measured 0 万元/mu
    parks = result["parks"].copy()
    zones = result["zones"].copy()
    parks.loc[parks["platform_id"] == "Z1", "tax_100m"] = np.nan
    zones.loc[zones["zone_id"] == "Z1", "tax_100m"] = np.nan
    result["parks"], result["zones"] = parks, zones
    result["platforms"] = platforms_from(zones, parks)
    assert result["platforms"].loc[0, "tax_100m"] == 0
    rep = evaluate_targets(result)
    tax = row(rep, "platform", "Z1", "T3", "tax_per_mu_10k")
    assert tax["status"] == NO_DATA and math.isnan(tax["figure"])


def test_t5_city_wide(result, report):
    # Z2's output is incomplete (K3), so fewer than 3 known platforms is no data
    t5 = row(report, "city", "city", "T5", "platforms_over_output")
    assert t5["figure"] == 1 and t5["status"] == NO_DATA and "Z2" in t5["detail"]
    parks = result["parks"].copy()
    parks.loc[parks["park_id"] == "K3", "industrial_output_100m"] = 100
    result["parks"] = parks
    result["platforms"] = platforms_from(result["zones"], parks)
    assert row(evaluate_targets(result), "city", "city", "T5",
               "platforms_over_output")["status"] == NOT_MET
    one = scenario_from_dict({"targets": {"t5_platforms": 1}})
    assert row(evaluate_targets(result, scenario=one), "city", "city", "T5",
               "platforms_over_output")["status"] == MET


def test_r3_platform_count_per_county(result, report):
    assert row(report, "county", "秀洲区", "R3", "platforms_at_least")["status"] == NOT_MET
    assert row(report, "county", "南湖区", "R3", "platforms_at_most")["status"] == MET
    # three platforms in 南湖区: not met without a reason, met when the scenario grants 3
    extra = result["platforms"].iloc[[0, 0]].copy()
    extra["platform_id"] = ["Z1b", "Z1c"]
    result["platforms"] = pd.concat([result["platforms"], extra], ignore_index=True)
    most = row(evaluate_targets(result), "county", "南湖区", "R3", "platforms_at_most")
    assert most["figure"] == 3 and most["status"] == NOT_MET
    granted = scenario_from_dict({"consolidate": {"county": [
        {"name": "南湖区", "max_platforms": 3, "reason": "湘家荡 is a separate platform"}]}})
    most = row(evaluate_targets(result, scenario=granted), "county", "南湖区", "R3",
               "platforms_at_most")
    assert most["status"] == MET and "湘家荡" in most["detail"]


def test_r11_exit_share_counts_parks_not_excluded_towns(report):
    nh = row(report, "county", "南湖区", "R11", "exit_share")
    assert nh["status"] == MET and nh["figure"] == pytest.approx(1 / 3)
    hn = row(report, "county", "海宁市", "R11", "exit_share")
    # K4 (characteristic town, excluded) does not count: 1 exit of 4 parks, quota ⌈1.2⌉ = 2
    assert hn["status"] == NOT_MET and "1 of 4" in hn["detail"] and "= 2" in hn["detail"]
    assert hn["gap"] == pytest.approx(0.05)


def test_r11_exactly_thirty_percent_is_met(result):
    # 0.3 × 10 is 3.0000000000000004 in floating point: 3 exits of 10 must still meet
    parks = result["parks"]
    template = parks[parks["park_id"] == "K10"]
    extra = pd.concat([template] * 10, ignore_index=True)
    extra["park_id"] = [f"X{i}" for i in range(10)]
    extra["county"] = "嘉善县"
    extra["decision"] = ["exit"] * 3 + ["sub_zone"] * 7
    result["parks"] = pd.concat([parks, extra], ignore_index=True)
    r11 = row(evaluate_targets(result), "county", "嘉善县", "R11", "exit_share")
    assert r11["status"] == MET and r11["gap"] == 0 and "= 3" in r11["detail"]


def test_t6_large_projects_per_county(result):
    result["projects"] = projects_frame([
        ["J1", "signed big", "C38", 20000, 50, 10, 100, 1000, "new", "signed", 2019],
        ["J2", "too small", "C38", 5000, 50, 10, 100, 1000, "new", "signed", 2019],
        ["J3", "not signed", "C38", 50000, 50, 10, 100, 1000, "new", "proposed", 2019],
        ["J4", "too late", "C38", 12000, 50, 10, 100, 1000, "new", "signed", 2021],
        ["J5", "at threshold", "C17", 10000, 50, 10, 100, 1000, "new", "signed", 2020],
        ["J6", "status unknown", "C17", 30000, 50, 10, 100, 1000, "new", None, 2019],
    ], [point("南湖区", 0), point("南湖区", 0), point("南湖区", 0), point("南湖区", 0),
        point("海宁市", 0), point("秀洲区", 1)])
    s = scenario_from_dict({"targets": {"t6_projects_national": 2, "t6_projects_other": 1}})
    rep = evaluate_targets(result, scenario=s)
    nh = row(rep, "county", "南湖区", "T6", "large_projects")
    assert nh["figure"] == 1 and nh["threshold"] == 2 and nh["status"] == NOT_MET
    assert "national" in nh["detail"]
    hn = row(rep, "county", "海宁市", "T6", "large_projects")
    assert hn["figure"] == 1 and hn["threshold"] == 1 and hn["status"] == MET
    xz = row(rep, "county", "秀洲区", "T6", "large_projects")
    assert xz["status"] == NO_DATA and "unknown" in xz["detail"]
    # the unknown status is a problem line naming the row and field
    p = rep.problems
    assert ((p["row"] == 6) & (p["field"] == "status") & (p["id"] == "J6")).any()


def test_t6_project_outside_every_county_is_reported(result):
    far = point("秀洲区", 0)
    far = type(far)(far.x + 100_000, far.y)
    result["projects"] = projects_frame(
        [["J9", "nowhere", "C38", 20000, 50, 10, 100, 1000, "new", "signed", 2019]], [far])
    rep = evaluate_targets(result)
    assert ((rep.problems["id"] == "J9") & (rep.problems["rule"] == "no_county")).any()
    # it could belong to any county that is short, so none of them can be called not met
    assert row(rep, "county", "海宁市", "T6", "large_projects")["status"] == NO_DATA


def test_no_projects_layer_is_no_data(report):
    t6 = report.table[report.table["target"] == "T6"]
    assert len(t6) == 3 and set(t6["status"]) == {NO_DATA}
    assert t6["detail"].str.contains("no projects layer").all()


def test_every_status_is_one_of_three_and_summary_counts_them(report):
    assert set(report.table["status"]) <= {MET, NOT_MET, NO_DATA}
    summary = report.summary()
    assert summary.loc["T2", NO_DATA] == 1 and summary.loc["R11", NOT_MET] == 1
    assert int(summary.to_numpy().sum()) == len(report.table)


def test_not_a_result_is_refused(result):
    del result["platforms"]
    with pytest.raises(SchemaError, match="platforms"):
        evaluate_targets(result)


def test_readings_name_the_thresholds_in_both_languages():
    s = scenario_from_dict({"targets": {"t6_min_investment_10k": 50000.0}})
    assert any("50,000" in r and "parkgeo's reading" in r for r in target_readings(s))
    assert any("50,000" in r and "大项目" in r for r in target_readings(s, "zh"))


def test_a_zone_that_joins_a_platform_counts_as_its_member():
    """R5: a development zone that is not a main platform may join one like a park."""
    from parkgeo.measure.common import platform_members

    layers = tiny_result()
    zones = layers["zones"]
    extra = zones.iloc[[0]].copy()
    extra["zone_id"], extra["name"], extra["developable_mu"] = "Z3", "南湖小区", 1234.0
    zones = pd.concat([zones, extra], ignore_index=True)
    zones["role"] = ["main_platform", "main_platform", "sub_zone"]
    zones["platform_id"] = ["Z1", "Z2", "Z1"]
    layers["zones"] = zones
    members = platform_members(layers)
    z1 = members[members["platform_id"] == "Z1"]
    assert set(z1["member_id"]) == {"Z1", "Z3", "K1", "K6"}
    assert z1.loc[z1["member_id"] == "Z3", "developable_mu"].item() == 1234.0
    assert (members["member_id"] == "Z3").sum() == 1
