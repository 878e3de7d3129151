"""The report's tables speak the report's language, data problems included."""

from __future__ import annotations

import re

import pandas as pd
from measure_fixtures import HAND_ANNUAL, hand_monitoring, point, projects_frame, tiny_result

from parkgeo.publish.report import build_report, scenario_name
from parkgeo.scenario import Scenario

LATIN_WORD = re.compile(r"[A-Za-z]{2,}")


def layers():
    res = tiny_result()
    m = hand_monitoring({"Z1": HAND_ANNUAL["A"]})           # Z2 has no monitoring rows
    m = pd.concat([m, pd.DataFrame([{"platform_id": "NOPE", "period": "2020Q5",
                                     "tax_100m": -1.0}])], ignore_index=True)
    res["monitoring"] = m
    res["projects"] = projects_frame([
        ["J1", "电子信息项目", "C39", 30000, 100, 200, 3000, 60000, "new", "signed", None],
        ["J3", "无位置项目", "C38", 30000, 100, 200, 3000, 60000, "new", "proposed", 2020],
    ], [point("南湖区", 0), None])
    return res


def test_data_problems_in_chinese():
    data = build_report(layers(), lang="zh")
    prob = data.tables["problems"]
    assert len(prob) >= 3
    assert "无监测数据" in set(prob["rule"])                      # no_rows, for Z2
    assert {"季度监测表", "项目表"} <= set(prob["layer"])
    ids = {"NOPE", "Z1", "Z2", "J1", "J3"}
    for col in ("layer", "field", "rule", "message", "action"):
        for v in prob[col].dropna():
            words = set(LATIN_WORD.findall(str(v))) - ids
            assert not words, (col, v)


def test_data_problems_in_english_keep_their_rule_ids():
    prob = build_report(layers(), lang="en").tables["problems"]
    assert "no_rows" in set(prob["rule"]) and "monitoring" in set(prob["layer"])
    row = prob[prob["rule"] == "no_rows"].iloc[0]
    assert row["message"] == "the platform has no monitoring rows"


def test_city_rows_and_scenario_name_translated():
    data = build_report(layers(), lang="zh")
    s = Scenario()
    assert scenario_name(s, "zh") == "嘉兴市平台优化提升方案(2018)默认口径"
    assert scenario_name(s, "en") == s.name
    from parkgeo.publish.workbook import _display_frame

    shown = _display_frame(data.tables["targets"], "zh")
    city = data.tables["targets"]["scope"] == "city"
    assert city.any() and set(shown.loc[city, "id"]) == {"全市"}
