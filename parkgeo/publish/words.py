"""Every header and value a report shows, in Chinese and English, and how each column is
written (text code, integer, number, share, boolean)."""

from __future__ import annotations

import math

import pandas as pd

from ..errors import InputError
from ..scenario import Scenario

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
    dev = {"declared": ("填报的可开发空间", "the declared developable space (developable_mu)"),
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
