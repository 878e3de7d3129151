"""Quarterly monitoring (R15): bad rows reported with row and field, series, QoQ and YoY."""

from __future__ import annotations

import math

import pandas as pd
import pytest
from measure_fixtures import hand_layers, hand_monitoring, tiny_result, write_gpkg

from parkgeo.errors import SchemaError
from parkgeo.measure.monitoring import check_monitoring, parse_period


def problems_of(mon, rule):
    return mon.problems[mon.problems["rule"] == rule]


@pytest.mark.parametrize("text, expected", [
    ("2019Q1", (2019, 1)), ("2019-Q4", (2019, 4)), ("2020q2", (2020, 2)), (" 2020 Q3 ", (2020, 3)),
    ("2019Q5", None), ("2019", None), ("Q1 2019", None), (float("nan"), None)])
def test_parse_period(text, expected):
    assert parse_period(text) == expected


def test_clean_table_has_no_problems_and_complete_series():
    mon = check_monitoring(hand_layers())
    assert mon.problems.empty
    assert mon.platforms == ["A", "B", "C"]
    assert list(mon.wide.loc["A"].index) == ["2020Q1", "2020Q2", "2020Q3", "2020Q4"]


def test_each_bad_row_is_reported_with_its_row_and_field():
    m = hand_monitoring()
    bad = pd.DataFrame([
        {"platform_id": "ZZ", "period": "2020Q1", "tax_100m": 1.0},       # row 13
        {"platform_id": "A", "period": "2020Q5", "tax_100m": 1.0},        # row 14
        {"platform_id": "A", "period": "2020Q2", "tax_100m": 9.0},        # row 15: repeated
    ])
    m = pd.concat([m, bad], ignore_index=True)
    m.loc[1, "tax_100m"] = -0.5          # row 2 (A 2020Q2): negative
    m.loc[5, "employees"] = float("nan")  # row 6 (B 2020Q2): missing
    mon = check_monitoring(hand_layers(monitoring=m))
    p = mon.problems.set_index("rule")
    assert p.loc["unknown_platform", "row"] == 13 and p.loc["unknown_platform", "field"] == \
        "platform_id" and "ZZ" in p.loc["unknown_platform", "message"]
    assert p.loc["unknown_platform", "action"] == "row left out"
    assert p.loc["bad_period", "row"] == 14 and p.loc["bad_period", "field"] == "period"
    assert p.loc["duplicate_period", "row"] == 15 and "row 2" in p.loc["duplicate_period",
                                                                         "message"]
    assert p.loc["negative_value", "row"] == 2 and p.loc["negative_value", "field"] == "tax_100m"
    assert p.loc["missing_value", "row"] == 6 and p.loc["missing_value", "field"] == "employees"
    # the negative figure is treated as missing, not kept; the repeated row is not added
    assert math.isnan(mon.wide.loc[("A", "2020Q2"), "tax_100m"])
    assert mon.wide.loc[("A", "2020Q1"), "tax_100m"] == pytest.approx(1.0)
    assert "ZZ" not in mon.platforms


def test_period_out_of_sequence_is_kept_in_place_and_gaps_reported():
    m = hand_monitoring({"A": {"tax_100m": 4}})
    m = m.iloc[[0, 2, 1, 3]].reset_index(drop=True)   # Q1, Q3, Q2, Q4
    m = m.drop(index=3)                               # and no Q4 …
    extra = m.iloc[[0]].assign(period="2021Q2")       # … but a 2021Q2: 2020Q4–2021Q1 missing
    m = pd.concat([m, extra], ignore_index=True)
    mon = check_monitoring({"platforms": pd.DataFrame({"platform_id": ["A"],
                                                       "main_zone_id": ["A"]}),
                            "monitoring": m})
    seq = problems_of(mon, "period_out_of_sequence")
    assert list(seq["row"]) == [3] and "2020Q2" in seq["message"].iloc[0]
    missing = problems_of(mon, "missing_period")
    assert sorted(missing["message"].str.extract(r"(\d{4}Q\d)")[0]) == ["2020Q4", "2021Q1"]
    assert list(mon.wide.loc["A"].index) == ["2020Q1", "2020Q2", "2020Q3", "2020Q4", "2021Q1",
                                             "2021Q2"]


def test_platform_without_rows_is_reported():
    layers = hand_layers()
    layers["platforms"] = pd.concat([layers["platforms"], pd.DataFrame(
        {"platform_id": ["D"], "name": ["平台D"], "main_zone_id": ["D"]})], ignore_index=True)
    mon = check_monitoring(layers)
    assert list(problems_of(mon, "no_rows")["id"]) == ["D"]


def test_qoq_and_yoy():
    rows = [{"platform_id": "A", "period": p, "tax_100m": v} for p, v in [
        ("2019Q1", 10), ("2019Q2", 12), ("2019Q3", 9), ("2019Q4", 10), ("2020Q1", 15),
        ("2020Q2", 0), ("2020Q3", 6)]]
    mon = check_monitoring({"platforms": pd.DataFrame({"platform_id": ["A"],
                                                       "main_zone_id": ["A"]}),
                            "monitoring": pd.DataFrame(rows)})
    ch = mon.changes()
    tax = ch[ch["indicator"] == "tax_100m"].set_index("period")
    assert tax.loc["2019Q2", "qoq"] == pytest.approx(0.2)
    assert math.isnan(tax.loc["2019Q1", "qoq"]) and math.isnan(tax.loc["2019Q4", "yoy"])
    assert tax.loc["2020Q1", "qoq"] == pytest.approx(0.5)
    assert tax.loc["2020Q1", "yoy"] == pytest.approx(0.5)
    assert tax.loc["2020Q2", "yoy"] == pytest.approx(-1.0)
    assert math.isnan(tax.loc["2020Q3", "qoq"])       # from 0: no relative change
    assert tax.loc["2020Q3", "yoy"] == pytest.approx(-1 / 3)


def test_year_end_needs_four_quarters():
    m = hand_monitoring()
    m = m[~((m["platform_id"] == "C") & (m["period"] == "2020Q3"))]
    mon = check_monitoring(hand_layers(monitoring=m))
    fig, missing = mon.year_end(2020)
    assert fig.loc["A", "tax_100m"] == pytest.approx(4)            # summed
    assert fig.loc["A", "industrial_land_mu"] == pytest.approx(1000)  # averaged
    assert math.isnan(fig.loc["C", "tax_100m"])
    reasons = missing[missing["platform_id"] == "C"].set_index("indicator")["reason"]
    assert "2020Q3" in reasons["tax_100m"]


def test_member_rows_are_added_up_per_platform():
    res = tiny_result()
    rows = []
    for pid, va, share in (("Z1", 6.0, 0.5), ("K1", 4.0, 0.0)):   # zone Z1 and sub-zone K1
        key = "zone_id" if pid.startswith("Z") else "park_id"
        rows.append({key: pid, "period": "2020Q1", "industrial_va_100m": va,
                     "rd_share": share})
    rows.append({"park_id": "K2", "period": "2020Q1", "industrial_va_100m": 1.0})  # exit park
    res["monitoring"] = pd.DataFrame(rows)
    mon = check_monitoring(res)
    assert mon.wide.loc[("Z1", "2020Q1"), "industrial_va_100m"] == pytest.approx(10)
    assert mon.wide.loc[("Z1", "2020Q1"), "rd_share"] == pytest.approx(0.3)
    unknown = problems_of(mon, "unknown_platform")
    assert list(unknown["row"]) == [3] and list(unknown["field"]) == ["park_id"]


def test_read_from_a_geopackage_reports_reader_problems_once(tmp_path):
    layers = tiny_result()
    m = hand_monitoring({"Z1": {"tax_100m": 4.0}, "Z2": {"tax_100m": 2.0}})
    m.loc[2, "tax_100m"] = -1.0
    m.loc[3, "period"] = "2020Q9"
    layers["monitoring"] = m
    path = write_gpkg(layers, tmp_path / "result.gpkg")
    mon = check_monitoring(path)
    neg = mon.problems[(mon.problems["row"] == 3) & (mon.problems["field"] == "tax_100m")]
    assert len(neg) == 1 and "-1" in neg["message"].iloc[0]
    assert ((mon.problems["row"] == 4) & (mon.problems["rule"] == "bad_period")).any()


def test_no_monitoring_layer_is_refused():
    with pytest.raises(SchemaError, match="monitoring"):
        check_monitoring(tiny_result())
