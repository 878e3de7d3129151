"""Every word the maps show, in Chinese (default) and English.

One table, so a label added to a map without its translation fails the tests
(``tests/test_publish_i18n.py`` checks both columns are filled).
"""

from __future__ import annotations

from ..errors import InputError

__all__ = ["LANGS", "STRINGS", "strings", "check_lang", "target_labels"]

LANGS = ("zh", "en")

#: key -> (Chinese, English)
STRINGS = {
    # titles
    "title_map": ("重大平台整合图", "Major platform consolidation map"),
    "title_invest": ("招商地图", "Investment-attraction map"),
    # layers and legend
    "layer_counties": ("县(市、区)界", "County boundaries"),
    "layer_protected": ("生态红线/永久基本农田", "Protected land"),
    "layer_developable": ("可开发空间（土地调查核算）",
                          "Developable land (measured from the survey)"),
    "layer_exit": ("退出型园区", "Exit-type parks"),
    "layer_excluded": ("未纳入整合", "Not included"),
    "layer_other_zones": ("其他开发区", "Other development zones"),
    "layer_plots": ("招商地块", "Plots for investors"),
    "layer_platforms": ("重大平台", "Major platforms"),
    "group_other": ("其他图层", "Other layers"),
    "legend": ("图例", "Legend"),
    "legend_main": ("主平台(开发区“四至”范围)", "Main platform (zone's statutory boundary)"),
    "legend_sub": ("分区(分园)", "Sub-zone"),
    "legend_link": ("分区→主平台", "Sub-zone → main platform"),
    "legend_zone": ("开发区“四至”范围", "Development zone, statutory boundary"),
    "legend_exit": ("退出型园区", "Exit-type park"),
    "legend_excluded": ("未纳入整合(特色小镇等)", "Not included (e.g. characteristic town)"),
    "legend_county": ("县(市、区)界", "County boundary"),
    "legend_protected": ("保护区域", "Protected land"),
    "legend_developable": ("可开发空间（核算）", "Developable land (measured)"),
    "legend_platform_colours": ("颜色区分不同重大平台", "Colours tell major platforms apart"),
    # decisions
    "decision_sub_zone": ("分区(分园)", "Sub-zone"),
    "decision_exit": ("退出", "Exit"),
    "decision_excluded": ("未纳入", "Not included"),
    "decision_main": ("主平台", "Main platform"),
    "decision_zone": ("开发区", "Development zone"),
    # fields
    "f_name": ("名称", "Name"),
    "f_county": ("县(市、区)", "County"),
    "f_town": ("镇(街道)", "Town"),
    "f_decision": ("整合结果", "Decision"),
    "f_platform": ("所属重大平台", "Major platform"),
    "f_reason": ("依据", "Reason"),
    "f_level": ("级别", "Level"),
    "f_industries": ("产业", "Industries"),
    "f_n_sub_zones": ("分区数", "Sub-zones"),
    "f_developable_mu": ("可开发空间(亩)", "Developable space (mu)"),
    "f_industrial_va_100m": ("规上工业增加值(亿元)", "Industrial value added (100m yuan)"),
    "f_industrial_output_100m": ("规上工业总产值(亿元)", "Industrial output (100m yuan)"),
    "f_tax_100m": ("税收(亿元)", "Tax (100m yuan)"),
    "f_industrial_land_mu": ("工业用地(亩)", "Industrial land (mu)"),
    "f_high_tech_va_share": ("高新技术产业增加值占比", "High-tech share of value added"),
    "f_rd_share": ("研发投入占比", "R&D share"),
    "f_listed_firms": ("上市企业(家)", "Listed firms"),
    "f_firms_over_10bn": ("百亿企业(家)", "Firms over 10bn yuan"),
    "f_output_per_mu_10k": ("亩均产出(万元)", "Output per mu (10k yuan)"),
    "f_tax_per_mu_10k": ("亩均税收(万元)", "Tax per mu (10k yuan)"),
    "f_area_mu": ("面积(亩)", "Area (mu)"),
    "f_land_use": ("用途", "Land use"),
    "f_status": ("状态", "Status"),
    "f_price": ("价格(万元/亩)", "Price (10k yuan/mu)"),
    "f_kind": ("类型", "Kind"),
    "f_contact": ("联系人", "Contact"),
    "f_phone": ("电话", "Phone"),
    "f_website": ("网站", "Website"),
    "f_indicator": ("指标", "Indicator"),
    "f_value": ("数值", "Value"),
    "f_target": ("目标", "Target"),
    # targets
    "meets_R3": ("平台数量(R3)", "Platform count (R3)"),
    "meets_R4": ("万亩空间、80亿增加值(R4)", "10,000 mu and 8bn yuan floor (R4)"),
    "meets_T2": ("高新占比≥45%、研发≥3%(T2)", "High-tech ≥45%, R&D ≥3% (T2)"),
    "meets_T3": ("亩均产出≥500万、税收≥30万(T3)", "Per mu: output ≥5m, tax ≥300k yuan (T3)"),
    "meets_T4": ("增加值≥100亿、百亿企业≥1、上市≥3(T4)",
                 "Value added ≥10bn, ≥1 firm over 10bn, ≥3 listed (T4)"),
    "met": ("达标", "met"),
    "not_met": ("未达标", "not met"),
    "unknown": ("无数据", "no data"),
    "targets": ("目标达成", "Targets"),
    # summary panel
    "summary": ("整合概况", "Summary"),
    "s_platforms": ("重大平台", "Major platforms"),
    "s_sub_zones": ("分区(分园)", "Sub-zones"),
    "s_exits": ("退出园区", "Exits"),
    "s_county": ("县(市、区)", "County"),
    "s_quota": ("退出/R11要求", "Exits / R11 quota"),
    "s_floors": ("R4达标平台", "Platforms meeting R4"),
    "s_parks": ("园区", "Parks"),
    # plots
    "status_available": ("可出让", "Available"),
    "status_reserved": ("已预留", "Reserved"),
    "status_let": ("已出让", "Let"),
    "plots_legend": ("地块状态", "Plot status"),
    # investment map
    "industry_filter": ("按产业筛选", "Filter by industry"),
    "all_industries": ("全部产业", "All industries"),
    "platform_list": ("重大平台", "Major platforms"),
    "welcomes": ("欢迎以下产业落户", "Industries welcome"),
    "leading_chains": ("领跑产业链", "Leading industry chains"),
    "featured": ("特色产业", "Featured industries"),
    "developable": ("可开发空间", "Developable space"),
    "plots_available": ("可出让地块", "Plots available"),
    "mu": ("亩", "mu"),
    "zoom_to": ("在地图上查看", "Show on map"),
    "open_card": ("查看平台卡片", "Open its card"),
    "city_map": ("全市重大平台分布", "Major platforms across the city"),
    "no_match": ("没有平台欢迎该产业", "No platform lists this industry"),
    # validation findings map (parkgeo validate --html)
    "title_validate": ("数据校验问题图", "Validation findings"),
    "legend_park": ("园区", "Park"),
    "legend_finding_area": ("问题范围(重叠、越界、变动部分)",
                            "Offending area (overlap, part outside, moved part)"),
    "layer_zones": ("开发区“四至”范围", "Development zones (statutory boundary)"),
    "layer_parks": ("园区", "Parks"),
    "group_context": ("参考图层", "Reference layers"),
    "sev_error": ("错误", "error"),
    "sev_warning": ("警告", "warning"),
    "sev_info": ("提示", "info"),
    "v_rule": ("规则", "Rule"),
    "v_severity": ("严重程度", "Severity"),
    "v_layer": ("图层", "Layer"),
    "v_id": ("要素编号", "Feature id"),
    "v_field": ("字段", "Field"),
    "v_other": ("涉及要素", "Other feature"),
    "v_todo": ("处理建议", "What to do"),
    "v_errors": ("错误", "Errors"),
    "v_warnings": ("警告", "Warnings"),
    "v_policy": ("政策条款", "Policy"),
    "v_summary": ("校验概况", "Validation summary"),
    "v_dataset": ("数据", "Dataset"),
    "v_baseline": ("基准数据(R1“四至”)", "Baseline (R1 four boundaries)"),
    "v_checked": ("已检查", "Checked"),
    # the layers of a dataset, as the findings summary names them
    "data_layer_zones": ("开发区", "zones"),
    "data_layer_parks": ("园区", "parks"),
    "data_layer_counties": ("县(市、区)", "counties"),
    "data_layer_protected": ("保护区域", "protected land"),
    "data_layer_plots": ("地块", "plots"),
    "data_layer_projects": ("项目", "projects"),
    "data_layer_monitoring": ("季度监测", "monitoring"),
    "data_layer_towns": ("镇(街道)", "towns"),
    "data_layer_about": ("数据说明", "about"),
    "data_layer_landuse": ("土地利用现状(地类图斑)", "land-use survey"),
    "data_layer_development_boundary": ("城镇开发边界", "development boundary"),
    # the data contract's kinds of protected land
    "protected_ecological_redline": ("生态保护红线", "Ecological redline"),
    "protected_basic_farmland": ("永久基本农田", "Permanent basic farmland"),
    # Leaflet's own controls
    "zoom_in": ("放大", "Zoom in"),
    "zoom_out": ("缩小", "Zoom out"),
    "layers": ("图层", "Layers"),
    "minimap_show": ("显示鹰眼图", "Show minimap"),
    "minimap_hide": ("隐藏鹰眼图", "Hide minimap"),
    "search_cancel": ("取消", "Cancel"),
    "leaflet_title": ("Leaflet 开源地图库", "Leaflet, an open-source map library"),
    "v_scenario": ("情景", "Scenario"),
    "v_verdict_errors": ("数据违反规则,整合前请先修正错误",
                         "the data breaks rules; fix the errors before consolidating"),
    "v_verdict_warnings": ("没有错误;警告值得一看", "no errors; the warnings deserve a look"),
    "v_clean": ("没有发现问题:所有检查均通过", "No findings: every check passed"),
    "v_notes": ("备注", "Notes"),
    "v_unplaced": ("无位置的问题(不在图上)", "Findings without a location (not on the map)"),
    "v_on_feature": ("本要素的问题", "Findings on this feature"),
    "v_zoom_hint": ("点击规则可缩放至其问题", "Click a rule to zoom to its findings"),
    "search_id": ("搜索要素编号", "Search by feature id"),
    "g_schema": ("结构", "Schema"),
    "g_geometry": ("几何", "Geometry"),
    "g_topology": ("拓扑", "Topology"),
    "g_place": ("位置", "Place"),
    "g_statute": ("法定范围", "Statute"),
    # rule ids (parkgeo/validate/findings.py RULES; DATA-CONTRACT.md "Validation findings")
    "rule_missing_layer": ("缺少图层", "Missing layer"),
    "rule_empty_layer": ("空图层", "Empty layer"),
    "rule_missing_field": ("缺少字段", "Missing field"),
    "rule_missing_crs": ("未声明坐标系", "No CRS"),
    "rule_wrong_crs": ("坐标系错误", "Wrong CRS"),
    "rule_duplicate_id": ("编号重复", "Duplicate id"),
    "rule_outside_measured_zones": ("超出量算分带", "Outside the measured zones"),
    "rule_join_unmatched": ("统计表编号不匹配", "Join ids unmatched"),
    "rule_bad_value": ("属性值错误", "Bad value"),
    "rule_empty_geometry": ("空几何", "Empty geometry"),
    "rule_wrong_geometry_type": ("几何类型错误", "Not a polygon"),
    "rule_invalid_geometry": ("无效几何", "Invalid geometry"),
    "rule_sliver": ("碎片多边形", "Sliver"),
    "rule_overlap": ("范围重叠", "Overlap"),
    "rule_invalid_coverage": ("县界拼接不严", "Counties do not tile"),
    "rule_unknown_county": ("县名不在县界图层中", "Unknown county"),
    "rule_outside_county": ("超出所属县界", "Outside its county"),
    "rule_in_protected_area": ("占用保护区域", "In protected land"),
    "rule_area_exceeds_approved": ("面积超出批准面积", "Area over approved"),
    "rule_boundary_changed": ("“四至”范围变动", "Four boundaries changed"),
    "rule_park_added": ("新增园区", "Park added"),
    "rule_approved_area_differs_from_catalogue": ("核准面积与国家目录不符",
                                                  "Approved area differs from catalogue"),
    "rule_unknown_catalogue_code": ("目录中无此代码", "Code not in catalogue"),
    "rule_ambiguous_catalogue_name": ("名称对应多个目录条目",
                                      "Name matches several catalogue zones"),
    "rule_approved_area_from_catalogue": ("核准面积取自国家目录", "Approved area from catalogue"),
    "rule_industry_unrecognised": ("产业词语未识别", "Industry term not recognised"),
    "rule_developable_overstated": ("可开发空间填报偏大", "Developable space overstated"),
    "rule_landuse_overlap": ("地类图斑重叠", "Survey polygons overlap"),
    "rule_landuse_gap": ("地类图斑未覆盖", "Not covered by the survey"),
    "rule_landuse_bad_code": ("地类编码错误", "Bad land-class code"),
    # controls
    "search": ("搜索园区名称", "Search by name"),
    "search_none": ("未找到", "Not found"),
    "fullscreen": ("全屏", "Full screen"),
    "fullscreen_exit": ("退出全屏", "Exit full screen"),
    "generated": ("由 parkgeo 生成", "Made with parkgeo"),
}


class _Strings(dict):
    """The strings of one language; a missing key names itself so the gap is visible."""

    def __missing__(self, key):
        return key


def translated(strings, prefix, value):
    """``strings[prefix + value]`` when the strings have it, else ``value`` (a user's own code
    or name is shown as given)."""
    key = f"{prefix}{value}"
    return dict.get(strings, key, value) if isinstance(value, str) else value


def check_lang(lang):
    """Return ``lang`` if it is a supported language, else raise InputError naming the choices."""
    if lang not in LANGS:
        raise InputError(f"--lang must be one of {', '.join(LANGS)}; got '{lang}'")
    return lang


def _n(v):
    """``10000`` → ``10,000``; ``0.45`` stays ``0.45``."""
    return f"{v:,.0f}" if float(v) == int(v) else f"{v:,g}"


def _bn(v_100m):
    """亿元 (100 million yuan) in English: ``80`` → ``8bn yuan``."""
    return f"{v_100m / 10:,g}bn yuan"


def target_labels(scenario, lang="zh"):
    """The labels of the ``meets_*`` flags, quoting the thresholds of ``scenario``.

    A result consolidated with other floors is labelled with its own floors, never the
    defaults.

    Examples
    --------
    >>> from parkgeo.scenario import Scenario
    >>> target_labels(Scenario(), "en")["meets_R4"]
    'Developable ≥ 10,000 mu, value added ≥ 8bn yuan (R4)'
    """
    c, t = scenario.consolidate, scenario.targets
    if check_lang(lang) == "zh":
        return {
            "meets_R4": f"可开发空间≥{_n(c.min_developable_mu)}亩、"
                        f"增加值≥{_n(c.min_va_100m)}亿元(R4)",
            "meets_T2": f"高新占比≥{t.high_tech_share:.0%}、研发≥{t.rd_share:.0%}(T2)",
            "meets_T3": f"亩均产出≥{_n(t.output_per_mu_10k)}万元、"
                        f"税收≥{_n(t.tax_per_mu_10k)}万元(T3)",
            "meets_T4": f"增加值≥{_n(t.va_100m)}亿元、百亿企业≥{t.firms_over_10bn}、"
                        f"上市≥{t.listed_firms}(T4)",
        }
    return {
        "meets_R4": f"Developable ≥ {_n(c.min_developable_mu)} mu, value added ≥ "
                    f"{_bn(c.min_va_100m)} (R4)",
        "meets_T2": f"High-tech ≥ {t.high_tech_share:.0%}, R&D ≥ {t.rd_share:.0%} (T2)",
        "meets_T3": f"Per mu: output ≥ {_n(t.output_per_mu_10k)}, tax ≥ {_n(t.tax_per_mu_10k)} "
                    "(10k yuan) (T3)",
        "meets_T4": f"Value added ≥ {_bn(t.va_100m)}, ≥ {t.firms_over_10bn} firm over 10bn, "
                    f"≥ {t.listed_firms} listed (T4)",
    }


def strings(lang="zh", scenario=None):
    """All map strings in ``lang`` (``"zh"`` or ``"en"``); with ``scenario``, the target
    labels quote its thresholds (:func:`target_labels`).

    Examples
    --------
    >>> strings("en")["decision_exit"]
    'Exit'
    """
    i = LANGS.index(check_lang(lang))
    out = _Strings({k: v[i] for k, v in STRINGS.items()})
    if scenario is not None:
        out.update(target_labels(scenario, lang))
    return out
