"""The planner's report of a consolidation result: an Excel workbook and an HTML report.

Both hold the same tables — platforms, parks and their decisions, counties before and after,
the 2020 targets, the quarterly monitoring and year-end ranking, project admission, and every
data problem found on the way — with Chinese headers by default (``lang="en"`` for English).
The HTML report adds the charts (matplotlib, with a CJK font from Debian's ``fonts-noto-cjk``)
and the consolidation map, all embedded, so the file works offline and can be mailed as is.

Workbook conventions: codes (zone, park, platform, project ids, GB/T 4754 codes) are text cells;
figures are number cells with their unit in the header; shares are number cells shown as
percentages; the header row is frozen and filterable.
"""

from __future__ import annotations

import base64
import datetime as _dt
import io
import json
import logging
import math
import unicodedata
import warnings
from pathlib import Path

import numpy as np
import pandas as pd

from .._atomic import atomic_path, check_output, write_text_atomic
from ..errors import InputError, OutputError
from ..measure.report import ReportData
from ..scenario import Scenario
from .display import esc

__all__ = ["ReportData", "build_report", "write_report", "write_workbook", "write_html",
           "write_table", "LABELS", "label", "scenario_name", "excel_text"]

log = logging.getLogger(__name__)

# ------------------------------------------------------------------------------------------------
# words: every header and value the report shows, in Chinese and English
# ------------------------------------------------------------------------------------------------

#: column -> (Chinese, English); units in brackets
LABELS = {
    "platform_id": ("平台编号", "Platform id"),
    "name": ("名称", "Name"),
    "county": ("县(市、区)", "County"),
    "main_zone_id": ("主平台开发区编号", "Main zone id"),
    "n_sub_zones": ("分区数", "Sub-zones"),
    "sub_zone_ids": ("分区(分园)编号", "Sub-zone ids"),
    "industries": ("产业代码(GB/T 4754)", "Industries (GB/T 4754)"),
    "developable_mu": ("可开发空间(亩)", "Developable space (mu)"),
    "industrial_va_100m": ("规上工业增加值(亿元)", "Industrial value added (100m yuan)"),
    "industrial_output_100m": ("规上工业总产值(亿元)", "Industrial output (100m yuan)"),
    "tax_100m": ("税收(亿元)", "Tax (100m yuan)"),
    "industrial_land_mu": ("工业用地(亩)", "Industrial land (mu)"),
    "high_tech_va_share": ("高新技术产业增加值占比", "High-tech share of value added"),
    "rd_share": ("R&D占比", "R&D share"),
    "listed_firms": ("上市企业(家)", "Listed firms"),
    "firms_over_10bn": ("百亿企业(家)", "Firms over 10bn yuan"),
    "output_per_mu_10k": ("亩均产出(万元/亩)", "Output per mu (10k yuan/mu)"),
    "tax_per_mu_10k": ("亩均税收(万元/亩)", "Tax per mu (10k yuan/mu)"),
    "meets_R3": ("符合R3", "Meets R3"),
    "meets_R4": ("符合R4", "Meets R4"),
    "meets_T2": ("达到T2", "Meets T2"),
    "meets_T3": ("达到T3", "Meets T3"),
    "meets_T4": ("达到T4", "Meets T4"),
    "park_id": ("园区编号", "Park id"),
    "town": ("镇(街道)", "Town"),
    "park_type": ("园区类型", "Park type"),
    "decision": ("整合结果", "Decision"),
    "reason": ("依据", "Reason"),
    # targets
    "scope": ("范围", "Scope"),
    "id": ("对象", "Id"),
    "target": ("目标", "Target"),
    "indicator": ("指标", "Indicator"),
    "figure": ("数值", "Figure"),
    "comparison": ("比较", "Comparison"),
    "threshold": ("目标值", "Threshold"),
    "unit": ("单位", "Unit"),
    "gap": ("差距", "Gap"),
    "status": ("状态", "Status"),
    "detail": ("说明", "Detail"),
    # counties
    "zones": ("开发区(个)", "Development zones"),
    "parks": ("园区(个,计入R11)", "Parks (counted for R11)"),
    "excluded": ("未纳入整合(个)", "Not included"),
    "before": ("整合前工业平台(个)", "Industrial platforms before"),
    "platforms": ("整合后重大平台(个)", "Major platforms after"),
    "sub_zone_count": ("分区(分园)(个)", "Sub-zones"),
    "exits": ("退出园区(个)", "Exits"),
    "quota": ("退出配额(个)", "Exit quota"),
    "exit_share": ("退出比例", "Exit share"),
    "R3": ("R3 平台数", "R3 platform count"),
    "R11": ("R11 退出配额", "R11 exit quota"),
    "large_projects": ("大项目(个)", "Large projects"),
    "T6": ("T6 大项目", "T6 large projects"),
    # ranking
    "rank": ("名次", "Rank"),
    "rank_min": ("最好名次(权重±20%)", "Best rank (weights ±20%)"),
    "rank_max": ("最差名次(权重±20%)", "Worst rank (weights ±20%)"),
    "score": ("综合得分", "Composite score"),
    "tax_per_mu": ("亩均税收(万元/亩)", "Tax per mu (10k yuan/mu)"),
    "va_per_mu": ("亩均增加值(万元/亩)", "Value added per mu (10k yuan/mu)"),
    "labour_productivity": ("全员劳动生产率(万元/人)", "Labour productivity (10k yuan/person)"),
    "va_per_energy": ("单位能耗增加值(万元/吨标煤)", "Value added per energy (10k yuan/tce)"),
    "va_per_emission": ("单位排放增加值(万元/吨)", "Value added per emission (10k yuan/t)"),
    "note": ("说明", "Note"),
    "weight": ("权重", "Weight"),
    "benchmark": ("基准值", "Benchmark"),
    # quarterly
    "period": ("季度", "Quarter"),
    "value": ("数值", "Value"),
    "qoq": ("环比", "QoQ change"),
    "yoy": ("同比", "YoY change"),
    "employees": ("从业人员(人)", "Employees"),
    "energy_tce": ("能耗(吨标煤)", "Energy (tce)"),
    "emissions_t": ("排放(吨)", "Emissions (t)"),
    "investment_100m": ("投资(亿元)", "Investment (100m yuan)"),
    # admission
    "project_id": ("项目编号", "Project id"),
    "project_type": ("项目类型", "Project type"),
    "investment_10k_yuan": ("总投资(万元)", "Investment (10k yuan)"),
    "land_mu": ("用地(亩)", "Land (mu)"),
    "platform_name": ("所在重大平台", "Platform"),
    "location": ("位置", "Location"),
    "investment_per_mu_10k": ("投资强度(万元/亩)", "Investment intensity (10k yuan/mu)"),
    "energy_tce_per_10k_output": ("单位产出能耗(吨标煤/万元)", "Energy per output (tce/10k yuan)"),
    "rules": ("规则", "Rules"),
    "admission": ("准入结论", "Decision"),
    "project_status": ("项目状态", "Project status"),
    "reasons": ("理由", "Reasons"),
    # problems
    "layer": ("图层", "Layer"),
    "row": ("行号", "Row"),
    "field": ("字段", "Field"),
    "rule": ("问题", "Problem"),
    "message": ("说明", "Message"),
    "action": ("处理", "Action"),
    "zone_id": ("开发区编号", "Zone id"),
    "geometry": ("位置(几何图形)", "Geometry"),
    "year": ("年份", "Year"),
    "expected_tax_10k_yuan": ("预计税收(万元)", "Expected tax (10k yuan)"),
    "expected_output_10k_yuan": ("预计产出(万元)", "Expected output (10k yuan)"),
}

#: values shown translated: (column, value) -> (Chinese, English)
VALUES = {
    "decision": {"sub_zone": ("分区(分园)", "sub-zone"), "exit": ("退出", "exit"),
                 "excluded": ("未纳入", "not included")},
    "admission": {"admit": ("准入", "admit"), "review": ("复核", "review"),
                  "reject": ("不予准入", "reject")},
    "status": {"met": ("达标", "met"), "not met": ("未达标", "not met"),
               "no data": ("无数据", "no data")},
    "project_status": {"proposed": ("拟引进", "proposed"), "signed": ("已签约", "signed")},
    "comparison": {">=": ("≥", "≥"), "<=": ("≤", "≤")},
    "scope": {"platform": ("平台", "platform"), "county": ("县(市、区)", "county"),
              "city": ("全市", "city")},
    "location": {"platform": ("重大平台内", "in a platform"),
                 "exit park": ("退出型园区", "exit park"),
                 "outside": ("重大平台外", "outside"), "unknown": ("未知", "unknown")},
    "project_type": {"new": ("新建", "new"), "expansion": ("扩建", "expansion")},
    "park_type": {"town_park": ("镇(街道)工业园区", "town park"),
                  "characteristic_town": ("特色小镇", "characteristic town"),
                  "provincial_park": ("省级园区", "provincial park"),
                  "municipal_park": ("市级园区", "municipal park"), "other": ("其他", "other")},
    "indicator": {
        "leading_chains": ("领跑产业链", "leading chains"),
        "featured_industries": ("特色产业", "featured industries"),
        "high_tech_va_share": ("高新技术产业增加值占比", "high-tech share"),
        "rd_share": ("R&D占比", "R&D share"),
        "output_per_mu_10k": ("亩均产出", "output per mu"),
        "tax_per_mu_10k": ("亩均税收", "tax per mu"),
        "industrial_va_100m": ("规上工业增加值", "industrial value added"),
        "firms_over_10bn": ("百亿企业", "firms over 10bn"),
        "listed_firms": ("上市企业", "listed firms"),
        "platforms_over_output": ("产值超千亿平台", "platforms with output over 100bn yuan"),
        "platforms_at_least": ("重大平台数(下限)", "platforms (at least)"),
        "platforms_at_most": ("重大平台数(上限)", "platforms (at most)"),
        "exit_share": ("退出比例", "exit share"),
        "large_projects": ("大项目", "large projects"),
        "industrial_output_100m": ("规上工业总产值", "industrial output"),
        "tax_100m": ("税收", "tax"),
        "industrial_land_mu": ("工业用地", "industrial land"),
        "employees": ("从业人员", "employees"),
        "energy_tce": ("能耗", "energy"),
        "emissions_t": ("排放", "emissions"),
        "investment_100m": ("投资", "investment"),
    },
    "unit": {"share": ("占比", "share"), "divisions": ("个行业大类", "divisions"),
             "firms": ("家", "firms"), "platforms": ("个", "platforms"),
             "projects": ("个", "projects"), "万元/mu": ("万元/亩", "10k yuan/mu"),
             "亿元": ("亿元", "100m yuan"), "mu": ("亩", "mu"), "persons": ("人", "persons"),
             "tce": ("吨标煤", "tce"), "t": ("吨", "t")},
}

#: page words: key -> (Chinese, English)
WORDS = {
    "title": ("重大平台整合与监测报告", "Major platforms: consolidation and monitoring report"),
    "source": ("数据", "Data"),
    "scenario": ("情景", "Scenario"),
    "generated": ("生成时间", "Generated"),
    "summary": ("概况", "Summary"),
    "map": ("整合图", "Consolidation map"),
    "parks": ("园区与整合结果", "Parks and decisions"),
    "targets": ("2020年目标(T1–T6)", "2020 targets (T1–T6)"),
    "counties": ("各县(市、区)整合前后", "Counties before and after"),
    "monitoring": ("季度监测", "Quarterly monitoring"),
    "ranking": ("年度综合排名", "Year-end composite ranking"),
    "admission": ("项目准入", "Project admission"),
    "problems": ("数据问题", "Data problems"),
    "readings": ("口径说明", "Readings of the plan used"),
    "platforms_sheet": ("重大平台", "platforms"),
    "parks_sheet": ("园区与整合结果", "parks & decisions"),
    "counties_sheet": ("县(市、区)", "counties"),
    "targets_sheet": ("目标", "targets"),
    "ranking_sheet": ("排名", "ranking"),
    "quarterly_sheet": ("季度监测", "quarterly"),
    "admission_sheet": ("项目准入", "admission"),
    "problems_sheet": ("数据问题", "data problems"),
    "about_sheet": ("说明", "about"),
    "no_monitoring": ("结果中没有季度监测表(monitoring),无法监测和排名。",
                      "The result has no monitoring table: no quarterly monitoring or ranking."),
    "no_projects": ("结果中没有项目表(projects),无法进行项目准入和T6统计。",
                    "The result has no projects layer: no admission and no T6 count."),
    "no_problems": ("未发现数据问题。", "No data problems found."),
    "n_platforms": ("重大平台", "major platforms"),
    "n_sub": ("分区(分园)", "sub-zones"),
    "n_exit": ("退出园区", "parks exiting"),
    "n_excluded": ("未纳入整合", "not included"),
    "targets_met": ("目标检查达标", "target checks met"),
    "targets_not": ("未达标", "not met"),
    "targets_nodata": ("无数据", "no data"),
    "chart_targets": ("各重大平台主要指标与2020年目标(虚线)",
                      "Platform indicators against the 2020 targets (dashed)"),
    "chart_counties": ("各县(市、区)整合前后平台数与退出配额",
                       "Counties: platforms before and after, exits against the quota"),
    "chart_trends": ("季度趋势", "Quarterly trends"),
    "chart_ranking": ("综合得分(括号内为权重±20%时的名次范围)",
                      "Composite score (rank range under ±20% weights)"),
    "before": ("整合前(开发区+园区)", "before (zones + parks)"),
    "after": ("整合后重大平台", "major platforms after"),
    "sub": ("分区(分园)", "sub-zones"),
    "exits": ("退出", "exits"),
    "quota": ("配额", "quota"),
    "no_data": ("无数据", "no data"),
    "year": ("年度", "Year"),
    "weights": ("权重与基准", "Weights and benchmarks"),
    "weights_source": ("权重来源", "Weights source"),
    "benchmark_how": ("基准", "Benchmark"),
    "latest": ("最新季度", "Latest quarter"),
    "admission_counts": ("准入 {admit} 个,复核 {review} 个,不予准入 {reject} 个",
                         "{admit} admitted, {review} to review, {reject} rejected"),
    "problems_note": ("以下每一行都被报告,没有数据被静默丢弃。",
                      "Every problem below is reported; nothing was dropped without a line."),
    "map_link": ("整合图(交互式,离线可用)", "Consolidation map (interactive, works offline)"),
    "map_static": ("整合图(静态)", "Consolidation map (static)"),
    "score_label": ("第{rank}名({lo}–{hi})", "#{rank} ({lo}–{hi})"),
    "median": ("全市中位数", "city median"),
    "mean": ("全市平均", "city mean"),
    "given": ("给定值", "given"),
    "more_rows": ("另有 {n} 行见Excel工作簿", "{n} more rows in the Excel workbook"),
    "printed": ("打印日期", "Printed"),
    "page_of": ("第 &P 页,共 &N 页", "Page &P of &N"),
}


#: data problems in Chinese: rule id -> (name, message used when the source gave one in English)
PROBLEM_RULES_ZH = {
    "missing_field": ("缺少字段", "缺少字段“{field}”"),
    "missing_value": ("缺少数值", "“{field}”为空"),
    "bad_value": ("数值无法识别", "“{field}”的值无法识别"),
    "unknown_platform": ("未知平台", "不是已知的重大平台"),
    "bad_period": ("季度格式错误", "“{field}”不是季度(应如2019Q1)"),
    "duplicate_period": ("季度重复", "该季度已给出"),
    "period_out_of_sequence": ("季度顺序错误", "季度顺序颠倒"),
    "negative_value": ("数值为负", "“{field}”为负数"),
    "missing_period": ("缺少季度", "首末季度之间缺少数据"),
    "no_rows": ("无监测数据", "该平台没有季度监测数据"),
    "no_county": ("无所属县(市、区)", "项目不在任何县(市、区)、开发区或园区内"),
    "no_geometry": ("无位置", "项目没有位置"),
    "unknown_code": ("产业代码无法识别", "“{field}”中有无法识别的产业代码"),
    "duplicate_id": ("编号重复", "编号重复"),
    "invalid_geometry": ("几何图形无效", "几何图形无效"),
}
#: the layers a data problem can come from, in Chinese
PROBLEM_LAYERS_ZH = {"monitoring": "季度监测表", "projects": "项目表", "zones": "开发区",
                     "parks": "园区", "platforms": "重大平台", "plots": "地块"}
#: what was done about a problem, in Chinese
PROBLEM_ACTIONS_ZH = {
    "row left out": "该行未采用", "value treated as missing": "该值按缺失处理",
    "indicator reported as no data": "该指标记为无数据", "quarter reported as no data":
    "该季度记为无数据", "kept, put in its place in the series": "保留,按季度顺序排列",
    "not monitored or ranked": "不参与监测和排名", "sent to review": "转入复核",
    "not counted for any county": "不计入任何县(市、区)",
    "counted as unknown (T6 'no data' unless met)": "按未知计(除已达标外T6记为无数据)",
}

def _has_cjk(text):
    return any(0x2E80 <= ord(ch) < 0xA000 for ch in str(text))


def problems_in(frame, lang):
    """The data problems table in ``lang``: in Chinese, layers, fields and problem names are
    translated, and a message or action its source gave only in English is replaced by the
    Chinese words for its rule (the English details stay in ``parkgeo rank``/``admit``)."""
    if lang != "zh" or frame is None or not len(frame):
        return frame
    out = frame.copy()
    fields = out["field"].astype(object)
    zh_field = [label(f, "zh") if isinstance(f, str) else f for f in fields]
    if "message" in out:
        out["message"] = [
            m if isinstance(m, str) and _has_cjk(m) else
            PROBLEM_RULES_ZH.get(r, ("", "数据问题"))[1].format(field=f or "")
            for m, r, f in zip(out["message"], out["rule"], zh_field, strict=True)]
    if "action" in out:
        out["action"] = [a if not isinstance(a, str) or _has_cjk(a) else
                         PROBLEM_ACTIONS_ZH.get(a, "见说明") for a in out["action"]]
    out["rule"] = [PROBLEM_RULES_ZH.get(r, (r, ""))[0] for r in out["rule"]]
    out["layer"] = [PROBLEM_LAYERS_ZH.get(v, v) for v in out["layer"]]
    out["field"] = zh_field
    return out


def _lang_index(lang):
    if lang not in ("zh", "en"):
        raise InputError(f"--lang must be 'zh' or 'en', got '{lang}'")
    return 0 if lang == "zh" else 1


def label(column, lang="zh"):
    """The header of ``column`` in ``lang`` (the column name itself when it has none)."""
    i = _lang_index(lang)
    if column in LABELS:
        return LABELS[column][i]
    if column.endswith("_ratio") and column[:-6] in LABELS:
        base = LABELS[column[:-6]][i].split("(")[0]
        return f"{base}÷基准" if i == 0 else f"{base} ÷ benchmark"
    return column


#: the default scenario's name in each language (a user's own scenario name is theirs: kept)
DEFAULT_SCENARIO_NAME = ("嘉兴市平台优化提升方案(2018)默认口径",
                         "Jiaxing 2018 platform plan (defaults)")


def scenario_name(scenario, lang="zh"):
    """The scenario's name in ``lang``: the default scenario's name translated, others kept."""
    name = str(scenario.name)
    en = Scenario().name
    if name.startswith(en):
        return DEFAULT_SCENARIO_NAME[_lang_index(lang)] + name[len(en):]
    return name


def _word(key, lang):
    return WORDS[key][_lang_index(lang)]


def _value(column, value, lang):
    table = VALUES.get("status" if column in ("R3", "R11", "T6") else column)
    if table and isinstance(value, str) and value in table:
        return table[value][_lang_index(lang)]
    return value


# ------------------------------------------------------------------------------------------------
# column kinds: how a value is written (text code, integer, number, share, boolean)
# ------------------------------------------------------------------------------------------------

TEXT_COLUMNS = {"platform_id", "main_zone_id", "sub_zone_ids", "industries", "park_id", "zone_id",
                "project_id", "id", "target", "rules", "period", "row_id"}
SHARE_COLUMNS = {"high_tech_va_share", "rd_share", "exit_share", "qoq", "yoy", "weight"}
INT_COLUMNS = {"n_sub_zones", "listed_firms", "firms_over_10bn", "rank", "rank_min", "rank_max",
               "zones", "parks", "excluded", "before", "platforms", "sub_zone_count", "exits",
               "quota", "large_projects", "row"}


#: columns whose unit is given per row by a ``unit`` column (targets, quarterly series)
_PER_ROW_UNIT = ("figure", "threshold", "gap", "value")


def _kind(column, frame):
    if column in TEXT_COLUMNS:
        return "text"
    if column in SHARE_COLUMNS:
        return "share"
    if column in INT_COLUMNS:
        return "int"
    if column == "score":
        return "score"
    s = frame[column]
    if pd.api.types.is_bool_dtype(s):
        return "bool"
    if pd.api.types.is_numeric_dtype(s):
        return "number"
    return "text"


def _is_missing(v):
    return v is None or v is pd.NA or (isinstance(v, float) and math.isnan(v))


def build_report(result, *, scenario=None, year=None, weights=None, projects=None, lang="zh"):
    """Measure a consolidation result and gather the report's tables, problem lines in ``lang``
    (:func:`parkgeo.measure.report.build_report`, worded for publishing).

    Examples
    --------
    >>> data = build_report("out/result.gpkg")                 # doctest: +SKIP
    >>> data.tables["counties"]                                # doctest: +SKIP
    """
    from ..measure.report import build_report as measure_report

    data = measure_report(result, scenario=scenario, year=year, weights=weights,
                          projects=projects, lang=lang)
    data.tables["problems"] = problems_in(data.tables["problems"], lang)
    return data


def weights_source(ranking, lang):
    """Where the ranking weights came from, in ``lang``."""
    from ..measure.ranking import WEIGHTS_SOURCE

    if ranking.weights_source == WEIGHTS_SOURCE and lang == "zh":
        return ("默认权重30/20/20/10/10/10:一个县(黄岩区,2022年)公布的亩均评价权重;"
                "未找到浙江省级权重")
    return ranking.weights_source


def report_readings(data, lang="zh"):
    """The readings of the plan behind the report (targets, ranking, admission), in ``lang``."""
    from ..measure.targets import target_readings

    s = data.scenario
    out = list(target_readings(s, lang))
    r, a = data.ranking, s.admission
    zh = lang == "zh"
    dev = {"declared": ("填报的可开发空间(developable_mu)", "the declared developable_mu"),
           "measured": ("按土地利用现状调查(三调)核算的可开发空间",
                        "the developable space measured from the land-use survey"),
           "lower": ("填报数与调查核算数中的较小者",
                     "the lower of the declared and the measured figure")}.get(
        s.consolidate.developable)
    if dev:
        out.append(f"R4 可开发空间:采用{dev[0]}。" if zh else
                   f"R4 developable space: {dev[1]}.")
    if r is not None:
        how = {"median": ("全市中位数", "city median"), "mean": ("全市平均", "city mean"),
               "given": ("给定值", "given")}.get(r.benchmark_how, (r.benchmark_how,) * 2)
        out.append(
            f"R15 {r.year}年综合排名:{weights_source(r, lang)};各指标除以基准({how[0]});"
            f"名次范围为各权重变动 ±{s.ranking.sensitivity:.0%} 时的名次。" if zh else
            f"R15 ranking {r.year}: {r.weights_source}; each indicator divided by the "
            f"{how[1]} benchmark; rank range under ±{s.ranking.sensitivity:.0%} weight changes.")
    codes_h, codes_t = ", ".join(a.high_energy_industries), ", ".join(a.traditional_industries)
    out.append(
        f"R17 项目准入:{codes_h} 新建项目不予准入;{codes_t} 扩能项目复核;标准地(parkgeo参照浙江"
        f"做法的默认值):投资强度 ≥ {a.min_investment_10k_per_mu:g}、亩均税收 ≥ "
        f"{a.min_tax_10k_per_mu:g}、亩均产出 ≥ {a.min_output_10k_per_mu:g} 万元/亩,单位产出能耗 ≤ "
        f"{a.max_energy_tce_per_10k_output:g} 吨标煤/万元;差距超过 {a.review_margin:.0%} 不予准入,"
        "否则复核。" if zh else
        f"R17 admission: new projects in {codes_h} rejected; expansions in {codes_t} reviewed; "
        f"standard land (parkgeo's Zhejiang-style defaults): investment ≥ "
        f"{a.min_investment_10k_per_mu:g}, tax ≥ {a.min_tax_10k_per_mu:g}, output ≥ "
        f"{a.min_output_10k_per_mu:g} 10k yuan/mu, energy ≤ {a.max_energy_tce_per_10k_output:g} "
        f"tce per 10k yuan of output; more than {a.review_margin:.0%} short → reject, "
        "less → review.")
    return out


# ------------------------------------------------------------------------------------------------
# output: workbook, HTML, and plain tables (CSV / JSON / GeoPackage) for the CLI
# ------------------------------------------------------------------------------------------------


def write_report(result, out, *, lang="zh", scenario=None, year=None, weights=None,
                 projects=None, overwrite=False):
    """Write the report of a result as an Excel workbook (``.xlsx``), a Word plan document
    (``.docx``, see :mod:`parkgeo.publish.plan_docx`) or an HTML page (``.html``).

    Parameters
    ----------
    result : str, Path, Dataset, dict or ReportData
        The consolidation result (or a :class:`ReportData` already built).
    out : str or Path
        ``FILE.xlsx``, ``FILE.docx`` or ``FILE.html``; written atomically.
    lang : {"zh", "en"}
        Headers and labels in Chinese (default) or English.
    scenario, year, weights, projects :
        As in :func:`build_report`.
    overwrite : bool
        Replace ``out`` when it exists.

    Returns
    -------
    Path

    Examples
    --------
    >>> write_report("out/result.gpkg", "out/report.xlsx")               # doctest: +SKIP
    >>> write_report("out/result.gpkg", "out/report.html", lang="en")    # doctest: +SKIP
    """
    out = Path(out)
    _lang_index(lang)
    suffix = out.suffix.lower()
    if suffix not in (".xlsx", ".html", ".htm", ".docx"):
        raise OutputError(f"{out}: the report is written as .xlsx or .html, or the plan "
                          f"document as .docx, not '{out.suffix}'")
    check_output(out, overwrite=overwrite)
    data = result if isinstance(result, ReportData) else build_report(
        result, scenario=scenario, year=year, weights=weights, projects=projects, lang=lang)
    if suffix == ".xlsx":
        return write_workbook(data, out, lang=lang, overwrite=overwrite)
    if suffix == ".docx":
        from .plan_docx import write_plan

        return write_plan(data, out, lang=lang, overwrite=overwrite)
    return write_html(data, out, lang=lang, overwrite=overwrite)


def _sheet_tables(data, lang):
    """(key, sheet name, DataFrame or a note) in workbook order."""
    t = data.tables
    out = [
        ("platforms", _word("platforms_sheet", lang), t["platforms"]),
        ("parks", _word("parks_sheet", lang), t["parks"]),
        ("counties", _word("counties_sheet", lang), t["counties"]),
        ("targets", _word("targets_sheet", lang), t["targets"]),
        ("ranking", _word("ranking_sheet", lang), t["ranking"] if t["ranking"] is not None
         else _word("no_monitoring", lang)),
        ("quarterly", _word("quarterly_sheet", lang), t["quarterly"]
         if t["quarterly"] is not None else _word("no_monitoring", lang)),
        ("admission", _word("admission_sheet", lang), t["admission"]
         if t["admission"] is not None else _word("no_projects", lang)),
        ("problems", _word("problems_sheet", lang), t["problems"]),
    ]
    return out


def _display_frame(frame, lang):
    """Values translated (decisions, statuses …); columns unchanged."""
    out = frame.copy()
    for c in out.columns:
        if (c in VALUES or c in ("R3", "R11", "T6")) and not pd.api.types.is_numeric_dtype(
                out[c]):
            out[c] = out[c].astype(object).map(lambda v, k=c: _value(k, v, lang))
    if "unit" in frame:
        out["unit"] = frame["unit"].map(lambda v: _value("unit", v, lang))
    if "scope" in frame and "id" in frame:  # the city-wide rows name no place: "city"
        city = (frame["scope"] == "city") & (frame["id"] == "city")
        out.loc[city, "id"] = VALUES["scope"]["city"][_lang_index(lang)]
    return out


def _text_width(text):
    """Display width of ``text`` in Excel column units: CJK and full-width characters count 2."""
    return sum(2 if ord(ch) > 0x2E80 else 1 for ch in str(text))


def excel_text(value, fmt):
    """``value`` as Excel shows it under number format ``fmt`` (the formats this workbook uses).

    openpyxl stores number formats but does not render them, so the few formats written here
    are rendered by hand to size the columns (no ``###`` in a column too narrow for a number).
    """
    if value is None:
        return ""
    if isinstance(value, str) or fmt == "@":
        return str(value)
    x = float(value)
    if fmt == "0.0%":
        return f"{x * 100:,.1f}%".replace(",", "")
    if fmt == "#,##0":
        return f"{x:,.0f}"
    if fmt == "#,##0.00":
        return f"{x:,.2f}"
    if fmt == "0":
        return f"{x:.0f}"
    if fmt == "0.0":
        return f"{x:.1f}"
    return f"{x:.10g}"  # General: up to 11 significant digits


#: widest column (Excel units); longer text wraps
MAX_WIDTH = 60
#: a header wraps over two or three lines rather than widening a narrow number column
HEADER_WIDTH = 14


def _fit_columns(ws, *, header_row=1):
    """Column widths from the longest formatted value (headers may wrap); header row height."""
    from math import ceil

    from openpyxl.styles import Alignment
    from openpyxl.utils import get_column_letter

    widths = {}
    for row in ws.iter_rows(min_row=header_row + 1):
        for cell in row:
            if cell.value is None:
                continue
            w = _text_width(excel_text(cell.value, cell.number_format))
            widths[cell.column] = max(widths.get(cell.column, 0), w)
    lines = 1
    for cell in ws[header_row]:
        data_w = widths.get(cell.column, 0)
        head_w = _text_width(cell.value or "")
        width = min(max(data_w, min(head_w, HEADER_WIDTH), 4) + 2, MAX_WIDTH)
        ws.column_dimensions[get_column_letter(cell.column)].width = width
        lines = max(lines, ceil(head_w * 1.1 / max(width - 1, 1)))
        if data_w > MAX_WIDTH - 2:
            for (c,) in ws.iter_rows(min_row=header_row + 1, min_col=cell.column,
                                     max_col=cell.column):
                c.alignment = Alignment(wrap_text=True, vertical="top")
    ws.row_dimensions[header_row].height = 15 * min(lines, 4) + 3


def _print_setup(ws, title, lang, *, header_rows=1):
    """A4, landscape where wide, fit to one page wide, header rows repeated, title and print
    date in the page header, page numbers in the footer."""
    total = sum((ws.column_dimensions[letter].width or 8.43) for letter in _used_letters(ws))
    ps = ws.page_setup
    ps.paperSize = ws.PAPERSIZE_A4
    ps.orientation = "landscape" if total > 95 else "portrait"
    ps.fitToWidth = 1
    ps.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_options.gridLines = False
    ws.page_margins.left = ws.page_margins.right = 0.4
    ws.page_margins.top = ws.page_margins.bottom = 0.75
    ws.page_margins.header = ws.page_margins.footer = 0.3
    if header_rows:
        ws.print_title_rows = f"1:{header_rows}"
    printed = _word("printed", lang)
    ws.oddHeader.left.text = title.replace("&", "&&")
    ws.oddHeader.center.text = "&A"
    ws.oddHeader.right.text = f"{printed} &D"
    ws.oddFooter.center.text = _word("page_of", lang)


def _used_letters(ws):
    from openpyxl.utils import get_column_letter

    return [get_column_letter(j) for j in range(1, ws.max_column + 1)]


def _add_charts(ws, key, frame, lang, sheets):
    """Native Excel charts (openpyxl.chart) under the ranking, targets and monitoring tables."""
    from openpyxl.chart import BarChart, LineChart, Reference
    from openpyxl.chart.series import SeriesLabel

    n = len(frame)
    anchor = f"A{n + 3}"
    cols = list(frame.columns)
    if key == "ranking" and {"score", "name"} <= set(cols) and frame["score"].notna().any():
        # rows down to the last scored one (the ranking lists unranked platforms last)
        ranked = int(np.flatnonzero(frame["score"].notna().to_numpy())[-1]) + 1
        ch = BarChart()
        ch.type = "bar"
        ch.title = f'R15 {label("score", lang)}'
        ch.legend = None
        sc, nm = cols.index("score") + 1, cols.index("name") + 1
        ch.add_data(Reference(ws, min_col=sc, min_row=1, max_row=ranked + 1), titles_from_data=True)
        ch.set_categories(Reference(ws, min_col=nm, min_row=2, max_row=ranked + 1))
        ch.x_axis.scaling.orientation = "maxMin"  # rank 1 on top
        ch.width, ch.height = 22, 3 + 0.7 * ranked
        ws.add_chart(ch, anchor)
    elif key == "targets" and "platforms" in sheets:
        pws, plat = sheets["platforms"]
        pcols = list(plat.columns)
        row = n + 3
        for ind, target in (("industrial_va_100m", "T4"), ("output_per_mu_10k", "T3"),
                            ("tax_per_mu_10k", "T3")):
            if ind not in pcols or "name" not in pcols or not len(plat):
                continue
            thr = frame[(frame["target"] == target) & (frame["indicator"] == ind)]["threshold"]
            ch = BarChart()
            ch.type = "bar"
            head = f"{target} {label(ind, lang)}"
            if thr.notna().any():
                ch.title = f"{head} — {label('threshold', lang)} ≥ {float(thr.dropna().iloc[0]):g}"
            else:
                ch.title = head
            ch.legend = None
            col = pcols.index(ind) + 1
            ch.add_data(Reference(pws, min_col=col, min_row=1, max_row=len(plat) + 1),
                        titles_from_data=True)
            ch.set_categories(Reference(pws, min_col=pcols.index("name") + 1, min_row=2,
                                        max_row=len(plat) + 1))
            ch.x_axis.scaling.orientation = "maxMin"
            ch.width, ch.height = 22, 3 + 0.6 * len(plat)
            ws.add_chart(ch, f"A{row}")
            row += int(ch.height * 2) + 2
    elif key == "quarterly" and {"platform_id", "indicator", "period", "value"} <= set(cols):
        ind = "industrial_output_100m"
        names = dict(zip(sheets["platforms"][1]["platform_id"].astype(str),
                         sheets["platforms"][1]["name"].astype(str), strict=False)) \
            if "platforms" in sheets else {}
        sel = frame.index[frame["indicator"] == ind]
        if not len(sel):
            return
        ch = LineChart()
        ch.title = f'{VALUES["indicator"][ind][_lang_index(lang)]} ({_value("unit", "亿元", lang)})'
        ch.y_axis.title = _value("unit", "亿元", lang)
        vc, pc = cols.index("value") + 1, cols.index("period") + 1
        first = None
        for pid, rows in frame.loc[sel].groupby("platform_id", sort=False).groups.items():
            pos = [frame.index.get_loc(i) for i in rows]
            if pos != list(range(pos[0], pos[0] + len(pos))):
                continue  # not one run of rows: a series needs a contiguous range
            ref = Reference(ws, min_col=vc, min_row=pos[0] + 2, max_row=pos[-1] + 2)
            ch.add_data(ref, titles_from_data=False)
            ch.series[-1].tx = SeriesLabel(v=names.get(str(pid), str(pid)))
            if first is None or len(pos) > first[1] - first[0] + 1:
                first = (pos[0] + 2, pos[-1] + 2)
        if first is None:
            return
        ch.set_categories(Reference(ws, min_col=pc, min_row=first[0], max_row=first[1]))
        ch.width, ch.height = 24, 11
        ws.add_chart(ch, anchor)


def write_workbook(data, out, *, lang="zh", overwrite=False):
    """Write the report tables as an Excel workbook (one sheet per table), atomically.

    Every sheet prints: column widths from the longest formatted value (so no ``###``), A4,
    landscape where wide, fit to one page wide, the header row repeated on every page and
    frozen on screen, the title, sheet and print date in the page header. The ranking, targets
    and monitoring sheets carry native Excel charts.
    """
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill

    title = _word("title", lang)
    wb = Workbook()
    about = wb.active
    about.title = _word("about_sheet", lang)
    about.append([title])
    about["A1"].font = Font(bold=True, size=14)
    about.append([_word("source", lang), xml_safe(data.source)])
    about.append([_word("scenario", lang), scenario_name(data.scenario, lang)])
    about.append([_word("generated", lang), _dt.datetime.now().strftime("%Y-%m-%d %H:%M")])
    about.append([])
    about.append([_word("readings", lang)])
    about.cell(row=about.max_row, column=1).font = Font(bold=True)
    for r in report_readings(data, lang):
        rule, _, text = r.partition(":") if ":" in r[:12] else ("", "", r)
        about.append([rule, text.strip()])
        about.cell(row=about.max_row, column=2).alignment = Alignment(wrap_text=True,
                                                                      vertical="top")
    about.column_dimensions["A"].width = 18
    about.column_dimensions["B"].width = 90
    _print_setup(about, title, lang, header_rows=0)
    header_fill = PatternFill("solid", fgColor="DDE7F0")
    sheets = {}
    for key, name, frame in _sheet_tables(data, lang):
        ws = wb.create_sheet(_sheet_name(name))
        if isinstance(frame, str):
            ws.append([frame])
            ws.column_dimensions["A"].width = 80
            _print_setup(ws, title, lang, header_rows=0)
            continue
        shown = _display_frame(frame, lang)
        cols = list(frame.columns)
        kinds = {c: _kind(c, frame) for c in cols}
        ws.append([label(c, lang) for c in cols])
        for cell in ws[1]:
            cell.font = Font(bold=True)
            cell.fill = header_fill
            cell.alignment = Alignment(wrap_text=True, vertical="top")
        unit_col = frame["unit"].tolist() if "unit" in frame else None
        formats = {c: _number_format(kinds[c], frame[c]) for c in cols}
        for i in range(len(frame)):
            values = []
            for c in cols:
                v = shown.iat[i, cols.index(c)]
                values.append(_cell_value(v, kinds[c], lang))
            ws.append(values)
            r = ws.max_row
            for j, c in enumerate(cols, start=1):
                cell = ws.cell(row=r, column=j)
                fmt = formats[c]
                if unit_col is not None and c in _PER_ROW_UNIT:
                    fmt = "0.0%" if unit_col[i] == "share" else "#,##0.00"
                if fmt:
                    cell.number_format = fmt
        _fit_columns(ws)
        ws.freeze_panes = "B2" if kinds.get(cols[0]) == "text" and len(cols) > 4 else "A2"
        if len(frame):
            ws.auto_filter.ref = ws.dimensions
        _print_setup(ws, title, lang)
        sheets[key] = (ws, frame)
        _add_charts(ws, key, frame, lang, sheets)
    with atomic_path(out, overwrite=overwrite) as tmp:
        wb.save(tmp)
    return Path(out)


def _sheet_name(name):
    bad = '[]:*?/\\'
    return "".join("_" if ch in bad else ch for ch in name)[:31]


def _number_format(kind, values=None):
    """Excel number format: whole numbers without decimals, others with two."""
    if kind == "number" and values is not None:
        x = pd.to_numeric(values, errors="coerce").dropna()
        return "#,##0" if len(x) and np.allclose(x, np.round(x)) else "#,##0.00"
    return {"text": "@", "share": "0.0%", "int": "0", "number": "#,##0.00",
            "score": "0.0"}.get(kind)


def xml_safe(text):
    """``text`` without the control characters XML (so xlsx and docx) cannot hold, each
    replaced by U+FFFD so the reader sees that something was there."""
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    return ILLEGAL_CHARACTERS_RE.sub("\ufffd", text)


def _cell_value(v, kind, lang):
    if _is_missing(v):
        return None
    if kind == "text":
        if isinstance(v, float) and v.is_integer():
            v = int(v)
        return xml_safe(str(v))
    if kind == "bool" or isinstance(v, bool | np.bool_):
        return ("是" if v else "否") if lang == "zh" else ("yes" if v else "no")
    if kind in ("int", "number", "share", "score"):
        try:
            x = float(v)
        except (TypeError, ValueError):
            return str(v)
        if not math.isfinite(x):
            return None
        return int(round(x)) if kind == "int" else x
    return xml_safe(v if isinstance(v, str) else str(v))


def _display(v, kind, lang="zh"):
    """A value as the HTML tables show it."""
    if _is_missing(v):
        return ""
    if kind == "bool" or isinstance(v, bool | np.bool_):
        return ("是" if v else "否") if lang == "zh" else ("yes" if v else "no")
    if kind == "text" or isinstance(v, str):
        if isinstance(v, float) and v.is_integer():
            return str(int(v))
        return str(v)
    try:
        x = float(v)
    except (TypeError, ValueError):
        return str(v)
    if not math.isfinite(x):
        return ""
    if kind == "share":
        return f"{x:.1%}"
    if kind == "int":
        return f"{int(round(x)):,}"
    if kind == "score":
        return f"{x:.1f}"
    if abs(x) >= 100:
        return f"{x:,.0f}"
    if abs(x) >= 1:
        return f"{x:,.2f}".rstrip("0").rstrip(".")
    return f"{x:.3g}"


def write_table(frame, out, *, overwrite=False, extra=None, layer="table"):
    """Write one table as CSV (UTF-8 with BOM, opens in Excel), JSON or GeoPackage, atomically.

    ``extra`` (a dict of DataFrames or plain values) goes into the JSON document beside the
    table's ``records``; a GeoPackage needs a GeoDataFrame.
    """
    out = Path(out)
    suffix = out.suffix.lower()
    if suffix not in (".csv", ".json", ".gpkg"):
        raise OutputError(f"{out}: expected a .csv, .json or .gpkg file, not '{out.suffix}'")
    check_output(out, overwrite=overwrite)
    plain = pd.DataFrame(frame.drop(columns=frame.geometry.name)) \
        if hasattr(frame, "geometry") and frame.geometry.name in frame else pd.DataFrame(frame)
    if suffix == ".csv":
        return write_text_atomic(out, "\ufeff" + plain.to_csv(index=False), overwrite=overwrite)
    if suffix == ".json":
        doc = {"records": _records(plain)}
        for k, v in (extra or {}).items():
            doc[k] = _records(v) if isinstance(v, pd.DataFrame) else v
        return write_text_atomic(out, json.dumps(doc, ensure_ascii=False, indent=1,
                                                 default=_json_default), overwrite=overwrite)
    import geopandas as gpd

    from .._gpkg import write_layer

    if not isinstance(frame, gpd.GeoDataFrame):
        raise OutputError(f"{out}: a GeoPackage needs geometries; write .csv or .json instead")
    with atomic_path(out, overwrite=overwrite) as tmp:
        write_layer(frame, tmp, layer)
    return out


def _records(frame):
    return json.loads(frame.to_json(orient="records", force_ascii=False, date_format="iso"))


def _json_default(v):
    if isinstance(v, np.integer):
        return int(v)
    if isinstance(v, np.floating):
        return None if math.isnan(v) else float(v)
    if isinstance(v, pd.Series):
        return v.to_dict()
    return str(v)


# ------------------------------------------------------------------------------------------------
# charts (matplotlib, embedded as data: URIs)
# ------------------------------------------------------------------------------------------------


def _chart_context(lang):
    """(rc params, lang for chart labels): English labels when no CJK font is installed."""
    from .static import cjk_font

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        font = cjk_font()
    if font is None and lang == "zh":
        warnings.warn("no CJK font found (Debian: apt-get install fonts-noto-cjk): the report's "
                      "charts use English labels and platform ids", stacklevel=3)
        lang = "en"
    elif font is None:
        for w in caught:
            log.debug("%s", w.message)
    rc = {"font.family": [font, "DejaVu Sans"] if font else ["DejaVu Sans"],
          "axes.unicode_minus": False, "font.size": 9}
    return rc, lang, font is not None


def _tight(fig, narrow):
    """tight_layout below the figure's title (a column of panels leaves it less room)."""
    fig.tight_layout(rect=(0, 0, 1, 1 - 0.45 / fig.get_figheight()) if narrow else None)


class Chart(str):
    """A chart as a PNG data: URI, with ``font_px``: its smallest text in image pixels (how
    small the text gets when a browser scales the image down is checked against it)."""

    font_px: float = 0.0


def _png(fig, dpi=110, narrow=False):
    import matplotlib.pyplot as plt
    from matplotlib.text import Text
    from PIL import Image

    dpi = 160 if narrow else dpi  # phone screens have 2-3 device pixels per CSS pixel
    sizes = [x.get_fontsize() for x in fig.findobj(Text) if x.get_visible() and x.get_text()]
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=dpi, bbox_inches="tight")
    plt.close(fig)
    # a chart has few colours: a 128-colour palette keeps it sharp at a third of the bytes
    with Image.open(io.BytesIO(buf.getvalue())) as img:
        small = io.BytesIO()
        img.convert("RGB").quantize(colors=128).save(small, format="png", optimize=True)
    out = Chart("data:image/png;base64," + base64.b64encode(small.getvalue()).decode("ascii"))
    out.font_px = round(min(sizes, default=0.0) * dpi / 72, 2)
    return out


def _names(data, chart_lang, cjk):
    p = data.tables["platforms"]
    if cjk or chart_lang == "zh":
        return dict(zip(p["platform_id"].astype(str), p["name"].astype(str), strict=False))
    return {pid: pid for pid in p["platform_id"].astype(str)}


#: phone versions of the charts: a column of panels this many inches wide, no text under 8 pt
_NARROW_IN = 3.9
_NARROW_PT = 8


def chart_targets(data, lang, narrow=False):
    """Small multiples: each platform's figure against the target (dashed line); one column
    of panels when ``narrow`` (phones)."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    rc, clang, cjk = _chart_context(lang)
    names = _names(data, clang, cjk)
    t = data.tables["targets"]
    t = t[t["scope"] == "platform"]
    panels = [("T4", "industrial_va_100m"), ("T3", "output_per_mu_10k"),
              ("T3", "tax_per_mu_10k"), ("T2", "high_tech_va_share"), ("T2", "rd_share"),
              ("T4", "listed_firms")]
    pids = list(dict.fromkeys(t["id"]))
    with plt.rc_context(rc):
        small = _NARROW_PT if narrow else 7
        if narrow:
            fig, axes = plt.subplots(6, 1, squeeze=False, figsize=(
                _NARROW_IN, 6 * (0.8 + 0.24 * len(pids))))
        else:
            fig, axes = plt.subplots(2, 3, figsize=(12, 1.6 + 0.33 * len(pids) * 2),
                                     squeeze=False)
        for ax, (target, ind) in zip(axes.flat, panels, strict=False):
            sub = t[(t["target"] == target) & (t["indicator"] == ind)].set_index("id")
            sub = sub.reindex(pids)
            share = sub["unit"].eq("share").any()
            scale = 100.0 if share else 1.0
            y = np.arange(len(pids))
            vals = sub["figure"].to_numpy(dtype=float) * scale
            colours = [{"met": "#2e7d32", "not met": "#ef6c00"}.get(s, "#9e9e9e")
                       for s in sub["status"]]
            ax.barh(y, np.nan_to_num(vals), color=colours)
            thr = float(sub["threshold"].dropna().iloc[0]) * scale if sub["threshold"].notna(
            ).any() else None
            if thr is not None:
                ax.axvline(thr, color="#c62828", linestyle="--", linewidth=1)
            for yi, v, s in zip(y, vals, sub["status"], strict=False):
                txt = _word("no_data", clang) if s == "no data" else (
                    f"{v:.1f}%" if share else f"{v:,.0f}" if v >= 10 else f"{v:.2g}")
                ax.text(0 if math.isnan(v) or s == "no data" else v, yi, " " + txt,
                        va="center", fontsize=small, color="#333")
            ax.set_yticks(y, [names.get(p, p) for p in pids], fontsize=small)
            ax.invert_yaxis()
            ttl = VALUES["indicator"][ind][0 if clang == "zh" else 1]
            unit = {"industrial_va_100m": "亿元", "output_per_mu_10k": "万元/亩",
                    "tax_per_mu_10k": "万元/亩"}.get(ind, "%" if share else "")
            if clang == "en":
                unit = {"亿元": "100m yuan", "万元/亩": "10k yuan/mu"}.get(unit, unit)
            ax.set_title(f"{target} {ttl}" + (f" ({unit})" if unit else ""), fontsize=9)
            ax.spines[["top", "right"]].set_visible(False)
            ax.tick_params(axis="x", labelsize=small)
        fig.suptitle(_word("chart_targets", clang), fontsize=11)
        _tight(fig, narrow)
        return _png(fig, narrow=narrow)


def chart_counties(data, lang, narrow=False):
    """Per county: industrial platforms before, major platforms and sub-zones after; exits
    against the R11 quota."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    rc, clang, cjk = _chart_context(lang)
    c = data.tables["counties"]
    labels = list(c["county"]) if cjk else [f"C{i + 1}" for i in range(len(c))]
    x = np.arange(len(c))
    with plt.rc_context(rc):
        small = _NARROW_PT if narrow else 7
        tick = _NARROW_PT if narrow else 8
        if narrow:
            fig, (a1, a2) = plt.subplots(2, 1, figsize=(_NARROW_IN, 7.6))
        else:
            fig, (a1, a2) = plt.subplots(1, 2, figsize=(12, 4.2))
        w = 0.27
        a1.bar(x - w, c["before"], w, label=_word("before", clang), color="#90a4ae")
        a1.bar(x, c["platforms"], w, label=_word("after", clang), color="#1565c0")
        a1.bar(x + w, c["sub_zone_count"], w, label=_word("sub", clang), color="#64b5f6")
        for xi, v in zip(x, c["platforms"], strict=False):
            a1.text(xi, v, str(v), ha="center", va="bottom", fontsize=small)
        a1.set_xticks(x, labels, rotation=30 if not narrow else 60, ha="right", fontsize=tick)
        a1.legend(fontsize=tick, frameon=False)
        a1.set_title(_word("before", clang) + " / " + _word("after", clang), fontsize=9)
        cols = ["#2e7d32" if e >= q else "#ef6c00"
                for e, q in zip(c["exits"], c["quota"], strict=True)]
        a2.bar(x, c["exits"], 0.5, color=cols, label=_word("exits", clang))
        a2.scatter(x, c["quota"], marker="_", s=400, color="#c62828", zorder=3,
                   label=_word("quota", clang) + " (R11)")
        a2.set_xticks(x, labels, rotation=30 if not narrow else 60, ha="right", fontsize=tick)
        a2.legend(fontsize=tick, frameon=False)
        a2.set_title(_word("exits", clang) + " / " + _word("quota", clang) + " (R11)",
                     fontsize=9)
        for ax in (a1, a2):
            ax.spines[["top", "right"]].set_visible(False)
            ax.yaxis.get_major_locator().set_params(integer=True)
            ax.tick_params(axis="y", labelsize=tick)
        fig.suptitle(_word("chart_counties", clang), fontsize=11)
        _tight(fig, narrow)
        return _png(fig, narrow=narrow)


TREND_INDICATORS = ("industrial_output_100m", "industrial_va_100m", "tax_100m",
                    "investment_100m")


def chart_trends(data, lang, narrow=False):
    """Quarterly lines of the main flows, one line per platform."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    rc, clang, cjk = _chart_context(lang)
    names = _names(data, clang, cjk)
    q = data.tables["quarterly"]
    periods = sorted(q["period"].unique())
    pids = list(dict.fromkeys(q["platform_id"]))
    cmap = plt.get_cmap("tab10" if len(pids) <= 10 else "tab20")
    with plt.rc_context(rc):
        small = _NARROW_PT if narrow else 7
        if narrow:
            fig, axes = plt.subplots(4, 1, figsize=(_NARROW_IN, 11), squeeze=False)
        else:
            fig, axes = plt.subplots(2, 2, figsize=(12, 7), squeeze=False)
        for ax, ind in zip(axes.flat, TREND_INDICATORS, strict=False):
            sub = q[q["indicator"] == ind]
            for k, pid in enumerate(pids):
                s = sub[sub["platform_id"] == pid].set_index("period")["value"].reindex(periods)
                ax.plot(range(len(periods)), s.to_numpy(dtype=float), marker="o", markersize=2,
                        linewidth=1.2, color=cmap(k % cmap.N), label=names.get(pid, pid))
            unit = "亿元" if clang == "zh" else "100m yuan"
            ax.set_title(f'{VALUES["indicator"][ind][0 if clang == "zh" else 1]} ({unit})',
                         fontsize=9)
            step = max(1, len(periods) // (4 if narrow else 8))
            ax.set_xticks(range(0, len(periods), step), periods[::step], fontsize=small,
                          rotation=30)
            ax.spines[["top", "right"]].set_visible(False)
            ax.tick_params(axis="y", labelsize=small)
        handles, labels = axes[0, 0].get_legend_handles_labels()
        if narrow:  # under the panels: a phone has no room beside them
            fig.legend(handles, labels, loc="upper center", bbox_to_anchor=(0.5, 0.0),
                       fontsize=_NARROW_PT, frameon=False, ncol=1)
        else:
            fig.legend(handles, labels, loc="center left", bbox_to_anchor=(1.0, 0.5),
                       fontsize=8, frameon=False)
        fig.suptitle(_word("chart_trends", clang), fontsize=11)
        _tight(fig, narrow)
        return _png(fig, narrow=narrow)


def chart_ranking(data, lang, narrow=False):
    """Composite score bars with each platform's rank and rank range."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    rc, clang, cjk = _chart_context(lang)
    names = _names(data, clang, cjk)
    r = data.tables["ranking"]
    r = r[r["rank"].notna()]
    with plt.rc_context(rc):
        fig, ax = plt.subplots(figsize=(_NARROW_IN if narrow else 10,
                                        1.2 + 0.38 * max(len(r), 1)))
        y = np.arange(len(r))
        ax.barh(y, r["score"].to_numpy(dtype=float), color="#1565c0")
        ax.axvline(100, color="#757575", linestyle=":", linewidth=1)
        for yi, (_, row) in zip(y, r.iterrows(), strict=False):
            ax.text(row["score"], yi, "  " + _word("score_label", clang).format(
                rank=int(row["rank"]), lo=int(row["rank_min"]), hi=int(row["rank_max"]))
                + f"  {row['score']:.1f}", va="center", fontsize=8)
        ax.set_yticks(y, [names.get(str(p), str(p)) for p in r["platform_id"]], fontsize=8)
        ax.invert_yaxis()
        ax.set_xlim(0, max(float(r["score"].max()) * 1.3 if len(r) else 1, 120))
        ax.spines[["top", "right"]].set_visible(False)
        ax.tick_params(axis="x", labelsize=8)
        ax.set_title(_word("chart_ranking", clang), fontsize=10, loc="left" if narrow else "center")
        fig.tight_layout()
        return _png(fig, narrow=narrow)


# ------------------------------------------------------------------------------------------------
# the HTML page
# ------------------------------------------------------------------------------------------------

_CSS = """
body{font-family:"Noto Sans CJK SC","Microsoft YaHei","PingFang SC",sans-serif;margin:0;
color:#212121;background:#fafafa}
main{max-width:1320px;margin:0 auto;padding:16px 24px 48px}
h1{font-size:24px;margin:8px 0 4px}h2{font-size:19px;margin:32px 0 8px;
border-bottom:2px solid #1565c0;padding-bottom:4px}
.meta{color:#616161;font-size:13px}
nav{font-size:13px;margin:8px 0}nav a{margin-right:12px;color:#1565c0}
.cards{display:flex;flex-wrap:wrap;gap:12px;margin:12px 0}
.card{background:#fff;border:1px solid #e0e0e0;border-radius:6px;padding:10px 16px;
min-width:120px}.card b{display:block;font-size:22px}
.scroll{overflow-x:auto;max-height:560px;overflow-y:auto;border:1px solid #e0e0e0;
background:#fff}
table{border-collapse:collapse;font-size:12.5px;width:100%}
th{position:sticky;top:0;background:#dde7f0;text-align:left;padding:5px 8px;
border-bottom:1px solid #b0bec5;white-space:nowrap}
td{padding:4px 8px;border-bottom:1px solid #eee;vertical-align:top}
td.s{white-space:nowrap}td.w{min-width:320px}td.m{min-width:150px}td.n{text-align:right;white-space:nowrap;font-variant-numeric:tabular-nums}
tr:nth-child(even) td{background:#f7f9fb}
.met{color:#2e7d32;font-weight:600}.not-met{color:#c62828;font-weight:600}
.no-data{color:#757575;font-style:italic}
.admit{color:#2e7d32;font-weight:600}.review{color:#ef6c00;font-weight:600}
.reject{color:#c62828;font-weight:600}
img.chart{max-width:100%;background:#fff;border:1px solid #e0e0e0;margin:8px 0}
iframe.map{width:100%;height:620px;border:1px solid #e0e0e0;background:#fff}
ul.readings li{margin:4px 0;font-size:13px}
.note{color:#616161;font-size:13px}
img.map-print,.print-group{display:none}
@media (max-width:640px){main{padding:8px 10px 32px}h1{font-size:20px}
iframe.map{height:80vh}.card{min-width:0;padding:8px 10px}nav a{display:inline-block;
line-height:32px}}
@page{size:A4 landscape;margin:10mm}
@media print{body{background:#fff}main{max-width:none;padding:0}
nav,.screen,iframe.map{display:none!important}
img.map-print{display:block;width:100%;max-height:175mm;object-fit:contain;
break-inside:avoid}
.print-group{display:block;margin:0 0 4mm}
.scroll{max-height:none;overflow:visible;border:none}
table{font-size:7pt}th{position:static;white-space:nowrap;padding:2px 3px}
td{padding:1px 3px}td.w,td.m{min-width:0}
thead{display:table-header-group}tr{break-inside:avoid}
img.chart{max-height:175mm;break-inside:avoid}
h2{break-after:avoid;page-break-before:auto}}
"""

_STATUS_CLASS = {"met": "met", "not met": "not-met", "no data": "no-data", "admit": "admit",
                 "review": "review", "reject": "reject"}


def html_table(frame, lang, *, max_rows=None):
    """An HTML table of ``frame``: translated headers and values, every value escaped."""
    if frame is None:
        return ""
    shown = _display_frame(frame, lang)
    cols = list(frame.columns)
    kinds = {c: _kind(c, frame) for c in cols}
    units = frame["unit"].tolist() if "unit" in frame else None
    head = [f"<th>{esc(label(c, lang))}</th>" for c in cols]
    widths = [_em(label(c, lang)) for c in cols]  # headers do not wrap on paper
    body = []
    n = len(frame) if max_rows is None else min(len(frame), max_rows)
    for i in range(n):
        cells = []
        for j, c in enumerate(cols):
            kind = kinds[c]
            if units is not None and c in _PER_ROW_UNIT:
                kind = "share" if units[i] == "share" else "number"
            text = _display(shown.iat[i, j], kind, lang)
            raw = frame.iat[i, j]
            cls = []
            if kind in ("int", "number", "share", "score"):
                cls.append("n")
            if c in ("status", "admission", "R3", "R11", "T6") and isinstance(raw, str):
                cls.append(_STATUS_CLASS.get(raw, ""))
            if len(text) <= 14:
                cls.append("s")
            elif len(text) > 40:
                cls.append("w")
            elif kind == "text":
                cls.append("m")
            attr = f' class="{" ".join(x for x in cls if x)}"' if any(cls) else ""
            cells.append(f"<td{attr}>{esc(text)}</td>")
            widths[j] = max(widths[j], min(_em(text), _PRINT_WRAP_EM))
        body.append(cells)
    more = ""
    if n < len(frame):
        more = f'<p class="note">{esc(_word("more_rows", lang).format(n=len(frame) - n))}</p>'
    groups = _print_groups(cols, widths)
    whole = (f'<div class="scroll{" screen" if len(groups) > 1 else ""}"><table><thead><tr>'
             f'{"".join(head)}</tr></thead><tbody>'
             + "".join("<tr>" + "".join(r) + "</tr>" for r in body) + "</tbody></table></div>")
    if len(groups) > 1:
        # on paper: the table in column groups a page wide, each repeating the id column
        whole += "".join(
            f'<div class="print-group"><table><thead><tr>{"".join(head[j] for j in g)}</tr>'
            f"</thead><tbody>"
            + "".join("<tr>" + "".join(r[j] for j in g) + "</tr>" for r in body)
            + "</tbody></table></div>" for g in groups)
    return whole + more


#: printed tables: a landscape A4 page (277 mm between margins) in em of the 7 pt print font,
#: and the width past which a cell's text wraps on paper
_PRINT_PAGE_EM = 105.0
_PRINT_WRAP_EM = 16.0


def _em(text):
    """Width of a text in em: wide (CJK) characters 1, others about half."""
    return sum(1.0 if unicodedata.east_asian_width(ch) in "WF" else 0.56 for ch in str(text))


def _print_groups(cols, widths):
    """Column indices of each printed part of a table: all of them when the table fits a page
    across, else groups that do, each starting with the id column (and the name, if any)."""
    pad = 1.3  # a cell's padding, in em
    need = [w + pad for w in widths]
    if sum(need) <= _PRINT_PAGE_EM:
        return [list(range(len(cols)))]
    keys = [0] + [j for j, c in enumerate(cols) if c == "name" and j != 0]
    room = _PRINT_PAGE_EM - sum(need[j] for j in keys)
    groups, current, used = [], [], 0.0
    for j in range(len(cols)):
        if j in keys:
            continue
        if current and used + need[j] > room:
            groups.append(keys + current)
            current, used = [], 0.0
        current.append(j)
        used += need[j]
    if current:
        groups.append(keys + current)
    return groups


def _img(uri, alt):
    return f'<img class="chart" src="{esc(uri)}" alt="{esc(alt)}">'


def _chart(draw, data, lang, alt):
    """A chart for every screen: the wide version, and on a phone (up to 640 CSS px) the
    narrow one, whose text stays legible there; ``data-font-px`` attributes give each version's
    smallest text in image pixels."""
    wide, narrow = draw(data, lang), draw(data, lang, narrow=True)
    return (f'<picture><source media="(max-width: 640px)" srcset="{esc(narrow)}">'
            f'<img class="chart" src="{esc(wide)}" alt="{esc(alt)}" '
            f'data-font-px="{wide.font_px}" data-font-px-narrow="{narrow.font_px}"></picture>')


def _static_map(data, lang):
    """The static consolidation map (:func:`parkgeo.publish.static.figure`) as a data: URI,
    or None when it cannot be drawn."""
    try:
        from .static import figure

        return _png(figure(data.layers.layers, kind="map", lang=lang), dpi=150)
    except Exception as exc:  # the report still stands without the static map; say so
        log.warning("no static consolidation map in the report: %s", exc)
        return None


def _map_html(data, lang):
    """The consolidation map: the interactive web map in an iframe (srcdoc) on screen and the
    static map on paper (a printed page cannot hold a web map); the static map alone when the
    web map cannot be drawn."""
    static = _static_map(data, lang)
    try:
        from .elements import page_html
        from .webmap import render_map
    except ImportError:
        render_map = None
    if render_map is not None:
        try:
            fmap = render_map(data.layers.layers, lang=lang)
            doc = page_html(fmap)
            printed = (f'<img class="map-print" src="{esc(static)}" '
                       f'alt="{esc(_word("map_static", lang))}">' if static else "")
            return (f'<iframe class="map" title="{esc(_word("map", lang))}" '
                    f'srcdoc="{esc(doc)}"></iframe>{printed}'
                    f'<p class="note screen">{esc(_word("map_link", lang))}</p>')
        except Exception as exc:  # the report still stands without the web map; say so
            log.warning("the interactive map could not be drawn (%s); using a static map", exc)
    if static is None:
        log.warning("no consolidation map in the report")
        return ""
    return _img(static, _word("map_static", lang))


def render_html(data, lang="zh"):
    """The report as one self-contained HTML page (charts and map embedded)."""
    t = data.tables
    w = lambda k: esc(_word(k, lang))  # noqa: E731
    parks = t["parks"]
    dec = parks["decision"] if "decision" in parks else pd.Series(dtype=object)
    status = t["targets"]["status"]
    sections = []
    toc = []

    def section(key, body):
        toc.append(f'<a href="#{key}">{w(key)}</a>')
        sections.append(f'<section id="{key}"><h2>{w(key)}</h2>{body}</section>')

    cards = [(len(t["platforms"]), "n_platforms"), (int((dec == "sub_zone").sum()), "n_sub"),
             (int((dec == "exit").sum()), "n_exit"), (int((dec == "excluded").sum()),
                                                      "n_excluded"),
             (int((status == "met").sum()), "targets_met"),
             (int((status == "not met").sum()), "targets_not"),
             (int((status == "no data").sum()), "targets_nodata")]
    section("summary", '<div class="cards">' + "".join(
        f'<div class="card"><b>{n}</b>{w(k)}</div>' for n, k in cards) + "</div>"
        + html_table(t["platforms"], lang))
    section("map", _map_html(data, lang))
    section("parks", html_table(t["parks"], lang))
    section("targets", _chart(chart_targets, data, lang, _word("chart_targets", lang))
            + html_table(t["targets"], lang))
    section("counties", _chart(chart_counties, data, lang, _word("chart_counties", lang))
            + html_table(t["counties"], lang))
    if data.ranking is not None:
        q = t["quarterly"]
        latest = q.dropna(subset=["value"])
        if len(latest):
            last = latest["period"].max()
            latest = latest[latest["period"] == last].drop(columns=["period"])
            body = (_chart(chart_trends, data, lang, _word("chart_trends", lang))
                    + f"<p><b>{w('latest')}: {esc(last)}</b></p>" + html_table(latest, lang))
        else:
            body = f'<p class="note">{w("no_monitoring")}</p>'
        section("monitoring", body)
        r = data.ranking
        wt = pd.DataFrame({"indicator": list(r.weights.index), "weight": r.weights.to_numpy(),
                           "benchmark": r.benchmarks.reindex(r.weights.index).to_numpy()})
        wt["indicator"] = [label(k, lang) for k in wt["indicator"]]
        how = _word(r.benchmark_how, lang) if r.benchmark_how in WORDS else r.benchmark_how
        body = (f"<p><b>{w('year')}: {r.year}</b> · {w('benchmark_how')}: {esc(how)}</p>"
                + (_chart(chart_ranking, data, lang, _word("chart_ranking", lang))
                   if t["ranking"]["rank"].notna().any() else "")
                + html_table(t["ranking"], lang)
                + f"<h3>{w('weights')}</h3>" + html_table(wt, lang)
                + f'<p class="note">{w("weights_source")}: {esc(weights_source(r, lang))}</p>')
        section("ranking", body)
    else:
        section("monitoring", f'<p class="note">{w("no_monitoring")}</p>')
    if data.admission is not None:
        counts = data.admission.counts()
        section("admission", f"<p><b>{esc(_word('admission_counts', lang).format(**counts))}"
                f"</b></p>" + html_table(t["admission"], lang))
    else:
        section("admission", f'<p class="note">{w("no_projects")}</p>')
    prob = t["problems"]
    section("problems", (f'<p class="note">{w("problems_note")}</p>'
                         + html_table(prob, lang, max_rows=500)) if len(prob)
            else f'<p class="note">{w("no_problems")}</p>')
    section("readings", '<ul class="readings">' + "".join(
        f"<li>{esc(r)}</li>" for r in report_readings(data, lang)) + "</ul>")
    now = _dt.datetime.now().strftime("%Y-%m-%d %H:%M")
    return (
        f'<!DOCTYPE html><html lang="{"zh-CN" if lang == "zh" else "en"}"><head>'
        f'<meta charset="utf-8"><meta name="viewport" content="width=device-width,'
        f'initial-scale=1"><title>{w("title")}</title><style>{_CSS}</style></head><body><main>'
        f"<h1>{w('title')}</h1>"
        f'<p class="meta">{w("source")}: {esc(data.source)} · {w("scenario")}: '
        f'{esc(scenario_name(data.scenario, lang))} · {w("generated")}: {esc(now)}</p>'
        f'<nav>{"".join(toc)}</nav>' + "".join(sections) + "</main></body></html>")


def write_html(data, out, *, lang="zh", overwrite=False):
    """Write the HTML report atomically."""
    return write_text_atomic(out, render_html(data, lang), overwrite=overwrite)
