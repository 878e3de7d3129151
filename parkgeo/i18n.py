"""Every word parkgeo shows people, in Chinese (the default) and English: one table.

Each entry is ``key -> {"zh": ..., "en": ...}``, always in that order. The key names where a
word is used: ``map.`` (the web maps, the findings map, QGIS styles), ``target.`` (the map
labels quoting a scenario's thresholds), ``invest.`` (the investment map's cards),
``static_map.`` and ``basemap.`` (the static map, the tile sources' credits), ``column.`` and
``value.`` (a report's headings and translated values), ``report.`` (the report's page words
and readings), ``problem.`` (a report's data problems), ``plan.`` (the Word plan), ``space.``
(the developable-space account), ``reason.`` (the words consolidation's reasons are built
from), ``industry.`` (how an industry term was read), ``cli.`` (words of the commands'
terminal output) and, for the earlier stages, ``crs.`` (how a layer's CRS was guessed),
``validate.``, ``geometry.`` and ``rule.`` (the words of validation findings and what to do
about them), ``monitoring.`` and ``admission.`` (the monitoring fields, admission verdicts).
Text with ``{name}`` fields is a template filled by :func:`tr`.

One table, so a word added without its translation fails the tests
(``tests/test_publish_i18n.py`` checks both languages are filled for every key). The shared
core: every stage may import it.

Examples
--------
>>> tr("map.decision_exit", "en")
'Exit'
>>> tr("report.more_rows", "zh", n=3)
'另有 3 行见Excel工作簿'
"""

from __future__ import annotations

from .errors import InputError

__all__ = ["LANGS", "WORDS", "check_lang", "tr", "tr_or", "words", "strings", "translated",
           "target_labels"]

#: the languages of every output: Chinese (the default) and English
LANGS = ("zh", "en")

#: key -> {"zh": Chinese, "en": English}
WORDS = {
    # maps (consolidation, investment, findings), QGIS styles: strings()
    "map.title_map": {"zh": "重大平台整合图", "en": "Major platform consolidation map"},
    "map.title_invest": {"zh": "招商地图", "en": "Investment-attraction map"},
    "map.layer_counties": {"zh": "县(市、区)界", "en": "County boundaries"},
    "map.layer_protected": {"zh": "生态红线/永久基本农田", "en": "Protected land"},
    "map.layer_developable": {
        "zh": "可开发空间（土地调查核算）",
        "en": "Developable land (measured from the survey)"},
    "map.layer_exit": {"zh": "退出型园区", "en": "Exit-type parks"},
    "map.layer_excluded": {"zh": "未纳入整合", "en": "Not included"},
    "map.layer_other_zones": {"zh": "其他开发区", "en": "Other development zones"},
    "map.layer_plots": {"zh": "招商地块", "en": "Plots for investors"},
    "map.layer_platforms": {"zh": "重大平台", "en": "Major platforms"},
    "map.group_other": {"zh": "其他图层", "en": "Other layers"},
    "map.legend": {"zh": "图例", "en": "Legend"},
    "map.legend_main": {
        "zh": "主平台(开发区“四至”范围)",
        "en": "Main platform (zone's statutory boundary)"},
    "map.legend_sub": {"zh": "分区(分园)", "en": "Sub-zone"},
    "map.legend_link": {"zh": "分区→主平台", "en": "Sub-zone → main platform"},
    "map.legend_zone": {"zh": "开发区“四至”范围", "en": "Development zone, statutory boundary"},
    "map.legend_exit": {"zh": "退出型园区", "en": "Exit-type park"},
    "map.legend_excluded": {
        "zh": "未纳入整合(特色小镇等)",
        "en": "Not included (e.g. characteristic town)"},
    "map.legend_county": {"zh": "县(市、区)界", "en": "County boundary"},
    "map.legend_protected": {"zh": "保护区域", "en": "Protected land"},
    "map.legend_developable": {"zh": "可开发空间（核算）", "en": "Developable land (measured)"},
    "map.legend_platform_colours": {
        "zh": "颜色区分不同重大平台",
        "en": "Colours tell major platforms apart"},
    "map.decision_sub_zone": {"zh": "分区(分园)", "en": "Sub-zone"},
    "map.decision_exit": {"zh": "退出", "en": "Exit"},
    "map.decision_excluded": {"zh": "未纳入", "en": "Not included"},
    "map.decision_main": {"zh": "主平台", "en": "Main platform"},
    "map.decision_zone": {"zh": "开发区", "en": "Development zone"},
    "map.f_name": {"zh": "名称", "en": "Name"},
    "map.f_county": {"zh": "县(市、区)", "en": "County"},
    "map.f_town": {"zh": "镇(街道)", "en": "Town"},
    "map.f_decision": {"zh": "整合结果", "en": "Decision"},
    "map.f_platform": {"zh": "所属重大平台", "en": "Major platform"},
    "map.f_reason": {"zh": "依据", "en": "Reason"},
    "map.f_level": {"zh": "级别", "en": "Level"},
    "map.f_industries": {"zh": "产业", "en": "Industries"},
    "map.f_n_sub_zones": {"zh": "分区数", "en": "Sub-zones"},
    "map.f_developable_mu": {"zh": "可开发空间(亩)", "en": "Developable space (mu)"},
    "map.f_industrial_va_100m": {
        "zh": "规上工业增加值(亿元)",
        "en": "Industrial value added (100m yuan)"},
    "map.f_industrial_output_100m": {
        "zh": "规上工业总产值(亿元)",
        "en": "Industrial output (100m yuan)"},
    "map.f_tax_100m": {"zh": "税收(亿元)", "en": "Tax (100m yuan)"},
    "map.f_industrial_land_mu": {"zh": "工业用地(亩)", "en": "Industrial land (mu)"},
    "map.f_high_tech_va_share": {
        "zh": "高新技术产业增加值占比",
        "en": "High-tech share of value added"},
    "map.f_rd_share": {"zh": "研发投入占比", "en": "R&D share"},
    "map.f_listed_firms": {"zh": "上市企业(家)", "en": "Listed firms"},
    "map.f_firms_over_10bn": {"zh": "百亿企业(家)", "en": "Firms over 10bn yuan"},
    "map.f_output_per_mu_10k": {"zh": "亩均产出(万元)", "en": "Output per mu (10k yuan)"},
    "map.f_tax_per_mu_10k": {"zh": "亩均税收(万元)", "en": "Tax per mu (10k yuan)"},
    "map.f_area_mu": {"zh": "面积(亩)", "en": "Area (mu)"},
    "map.f_land_use": {"zh": "用途", "en": "Land use"},
    "map.f_status": {"zh": "状态", "en": "Status"},
    "map.f_price": {"zh": "价格(万元/亩)", "en": "Price (10k yuan/mu)"},
    "map.f_kind": {"zh": "类型", "en": "Kind"},
    "map.f_contact": {"zh": "联系人", "en": "Contact"},
    "map.f_phone": {"zh": "电话", "en": "Phone"},
    "map.f_website": {"zh": "网站", "en": "Website"},
    "map.f_indicator": {"zh": "指标", "en": "Indicator"},
    "map.f_value": {"zh": "数值", "en": "Value"},
    "map.f_target": {"zh": "目标", "en": "Target"},
    "map.meets_R3": {"zh": "平台数量(R3)", "en": "Platform count (R3)"},
    "map.meets_R4": {"zh": "万亩空间、80亿增加值(R4)", "en": "10,000 mu and 8bn yuan floor (R4)"},
    "map.meets_T2": {"zh": "高新占比≥45%、研发≥3%(T2)", "en": "High-tech ≥45%, R&D ≥3% (T2)"},
    "map.meets_T3": {
        "zh": "亩均产出≥500万、税收≥30万(T3)",
        "en": "Per mu: output ≥5m, tax ≥300k yuan (T3)"},
    "map.meets_T4": {
        "zh": "增加值≥100亿、百亿企业≥1、上市≥3(T4)",
        "en": "Value added ≥10bn, ≥1 firm over 10bn, ≥3 listed (T4)"},
    "map.met": {"zh": "达标", "en": "met"},
    "map.not_met": {"zh": "未达标", "en": "not met"},
    "map.unknown": {"zh": "无数据", "en": "no data"},
    "map.targets": {"zh": "目标达成", "en": "Targets"},
    "map.summary": {"zh": "整合概况", "en": "Summary"},
    "map.s_platforms": {"zh": "重大平台", "en": "Major platforms"},
    "map.s_sub_zones": {"zh": "分区(分园)", "en": "Sub-zones"},
    "map.s_exits": {"zh": "退出园区", "en": "Exits"},
    "map.s_county": {"zh": "县(市、区)", "en": "County"},
    "map.s_quota": {"zh": "退出/R11要求", "en": "Exits / R11 quota"},
    "map.s_floors": {"zh": "R4达标平台", "en": "Platforms meeting R4"},
    "map.s_parks": {"zh": "园区", "en": "Parks"},
    "map.status_available": {"zh": "可出让", "en": "Available"},
    "map.status_reserved": {"zh": "已预留", "en": "Reserved"},
    "map.status_let": {"zh": "已出让", "en": "Let"},
    "map.plots_legend": {"zh": "地块状态", "en": "Plot status"},
    "map.industry_filter": {"zh": "按产业筛选", "en": "Filter by industry"},
    "map.all_industries": {"zh": "全部产业", "en": "All industries"},
    "map.platform_list": {"zh": "重大平台", "en": "Major platforms"},
    "map.welcomes": {"zh": "欢迎以下产业落户", "en": "Industries welcome"},
    "map.leading_chains": {"zh": "领跑产业链", "en": "Leading industry chains"},
    "map.featured": {"zh": "特色产业", "en": "Featured industries"},
    "map.developable": {"zh": "可开发空间", "en": "Developable space"},
    "map.plots_available": {"zh": "可出让地块", "en": "Plots available"},
    "map.mu": {"zh": "亩", "en": "mu"},
    "map.zoom_to": {"zh": "在地图上查看", "en": "Show on map"},
    "map.open_card": {"zh": "查看平台卡片", "en": "Open its card"},
    "map.city_map": {"zh": "全市重大平台分布", "en": "Major platforms across the city"},
    "map.no_match": {"zh": "没有平台欢迎该产业", "en": "No platform lists this industry"},
    "map.title_validate": {"zh": "数据校验问题图", "en": "Validation findings"},
    "map.legend_park": {"zh": "园区", "en": "Park"},
    "map.legend_finding_area": {
        "zh": "问题范围(重叠、越界、变动部分)",
        "en": "Offending area (overlap, part outside, moved part)"},
    "map.layer_zones": {"zh": "开发区“四至”范围", "en": "Development zones (statutory boundary)"},
    "map.layer_parks": {"zh": "园区", "en": "Parks"},
    "map.group_context": {"zh": "参考图层", "en": "Reference layers"},
    "map.sev_error": {"zh": "错误", "en": "error"},
    "map.sev_warning": {"zh": "警告", "en": "warning"},
    "map.sev_info": {"zh": "提示", "en": "info"},
    "map.v_rule": {"zh": "规则", "en": "Rule"},
    "map.v_severity": {"zh": "严重程度", "en": "Severity"},
    "map.v_layer": {"zh": "图层", "en": "Layer"},
    "map.v_id": {"zh": "要素编号", "en": "Feature id"},
    "map.v_field": {"zh": "字段", "en": "Field"},
    "map.v_other": {"zh": "涉及要素", "en": "Other feature"},
    "map.v_todo": {"zh": "处理建议", "en": "What to do"},
    "map.v_errors": {"zh": "错误", "en": "Errors"},
    "map.v_warnings": {"zh": "警告", "en": "Warnings"},
    "map.v_policy": {"zh": "政策条款", "en": "Policy"},
    "map.v_summary": {"zh": "校验概况", "en": "Validation summary"},
    "map.v_dataset": {"zh": "数据", "en": "Dataset"},
    "map.v_baseline": {"zh": "基准数据(R1“四至”)", "en": "Baseline (R1 four boundaries)"},
    "map.v_checked": {"zh": "已检查", "en": "Checked"},
    "map.data_layer_zones": {"zh": "开发区", "en": "zones"},
    "map.data_layer_parks": {"zh": "园区", "en": "parks"},
    "map.data_layer_counties": {"zh": "县(市、区)", "en": "counties"},
    "map.data_layer_protected": {"zh": "保护区域", "en": "protected land"},
    "map.data_layer_plots": {"zh": "地块", "en": "plots"},
    "map.data_layer_projects": {"zh": "项目", "en": "projects"},
    "map.data_layer_monitoring": {"zh": "季度监测", "en": "monitoring"},
    "map.data_layer_towns": {"zh": "镇(街道)", "en": "towns"},
    "map.data_layer_about": {"zh": "数据说明", "en": "about"},
    "map.data_layer_landuse": {"zh": "土地利用现状(地类图斑)", "en": "land-use survey"},
    "map.data_layer_development_boundary": {"zh": "城镇开发边界", "en": "development boundary"},
    "map.protected_ecological_redline": {"zh": "生态保护红线", "en": "Ecological redline"},
    "map.protected_basic_farmland": {"zh": "永久基本农田", "en": "Permanent basic farmland"},
    "map.zoom_in": {"zh": "放大", "en": "Zoom in"},
    "map.zoom_out": {"zh": "缩小", "en": "Zoom out"},
    "map.layers": {"zh": "图层", "en": "Layers"},
    "map.minimap_show": {"zh": "显示鹰眼图", "en": "Show minimap"},
    "map.minimap_hide": {"zh": "隐藏鹰眼图", "en": "Hide minimap"},
    "map.search_cancel": {"zh": "取消", "en": "Cancel"},
    "map.leaflet_title": {"zh": "Leaflet 开源地图库", "en": "Leaflet, an open-source map library"},
    "map.v_scenario": {"zh": "情景", "en": "Scenario"},
    "map.v_verdict_errors": {
        "zh": "数据违反规则,整合前请先修正错误",
        "en": "the data breaks rules; fix the errors before consolidating"},
    "map.v_verdict_warnings": {
        "zh": "没有错误;警告值得一看",
        "en": "no errors; the warnings deserve a look"},
    "map.v_clean": {"zh": "没有发现问题:所有检查均通过", "en": "No findings: every check passed"},
    "map.v_notes": {"zh": "备注", "en": "Notes"},
    "map.v_unplaced": {
        "zh": "无位置的问题(不在图上)",
        "en": "Findings without a location (not on the map)"},
    "map.v_on_feature": {"zh": "本要素的问题", "en": "Findings on this feature"},
    "map.v_zoom_hint": {
        "zh": "点击规则可缩放至其问题",
        "en": "Click a rule to zoom to its findings"},
    "map.search_id": {"zh": "搜索要素编号", "en": "Search by feature id"},
    "map.g_schema": {"zh": "结构", "en": "Schema"},
    "map.g_geometry": {"zh": "几何", "en": "Geometry"},
    "map.g_topology": {"zh": "拓扑", "en": "Topology"},
    "map.g_place": {"zh": "位置", "en": "Place"},
    "map.g_statute": {"zh": "法定范围", "en": "Statute"},
    "map.rule_missing_layer": {"zh": "缺少图层", "en": "Missing layer"},
    "map.rule_empty_layer": {"zh": "空图层", "en": "Empty layer"},
    "map.rule_missing_field": {"zh": "缺少字段", "en": "Missing field"},
    "map.rule_missing_crs": {"zh": "未声明坐标系", "en": "No CRS"},
    "map.rule_wrong_crs": {"zh": "坐标系错误", "en": "Wrong CRS"},
    "map.rule_duplicate_id": {"zh": "编号重复", "en": "Duplicate id"},
    "map.rule_outside_measured_zones": {"zh": "超出量算分带", "en": "Outside the measured zones"},
    "map.rule_join_unmatched": {"zh": "统计表编号不匹配", "en": "Join ids unmatched"},
    "map.rule_bad_value": {"zh": "属性值错误", "en": "Bad value"},
    "map.rule_empty_geometry": {"zh": "空几何", "en": "Empty geometry"},
    "map.rule_wrong_geometry_type": {"zh": "几何类型错误", "en": "Not a polygon"},
    "map.rule_invalid_geometry": {"zh": "无效几何", "en": "Invalid geometry"},
    "map.rule_sliver": {"zh": "碎片多边形", "en": "Sliver"},
    "map.rule_overlap": {"zh": "范围重叠", "en": "Overlap"},
    "map.rule_invalid_coverage": {"zh": "县界拼接不严", "en": "Counties do not tile"},
    "map.rule_unknown_county": {"zh": "县名不在县界图层中", "en": "Unknown county"},
    "map.rule_outside_county": {"zh": "超出所属县界", "en": "Outside its county"},
    "map.rule_in_protected_area": {"zh": "占用保护区域", "en": "In protected land"},
    "map.rule_area_exceeds_approved": {"zh": "面积超出批准面积", "en": "Area over approved"},
    "map.rule_boundary_changed": {"zh": "“四至”范围变动", "en": "Four boundaries changed"},
    "map.rule_park_added": {"zh": "新增园区", "en": "Park added"},
    "map.rule_approved_area_differs_from_catalogue": {
        "zh": "核准面积与国家目录不符",
        "en": "Approved area differs from catalogue"},
    "map.rule_unknown_catalogue_code": {"zh": "目录中无此代码", "en": "Code not in catalogue"},
    "map.rule_ambiguous_catalogue_name": {
        "zh": "名称对应多个目录条目",
        "en": "Name matches several catalogue zones"},
    "map.rule_approved_area_from_catalogue": {
        "zh": "核准面积取自国家目录",
        "en": "Approved area from catalogue"},
    "map.rule_industry_unrecognised": {
        "zh": "产业词语未识别",
        "en": "Industry term not recognised"},
    "map.rule_developable_overstated": {
        "zh": "可开发空间填报偏大",
        "en": "Developable space overstated"},
    "map.rule_landuse_overlap": {"zh": "地类图斑重叠", "en": "Survey polygons overlap"},
    "map.rule_landuse_gap": {"zh": "地类图斑未覆盖", "en": "Not covered by the survey"},
    "map.rule_landuse_bad_code": {"zh": "地类编码错误", "en": "Bad land-class code"},
    "map.search": {"zh": "搜索园区名称", "en": "Search by name"},
    "map.search_none": {"zh": "未找到", "en": "Not found"},
    "map.fullscreen": {"zh": "全屏", "en": "Full screen"},
    "map.fullscreen_exit": {"zh": "退出全屏", "en": "Exit full screen"},
    "map.generated": {"zh": "由 parkgeo 生成", "en": "Made with parkgeo"},
    "static_map.north": {"zh": "北", "en": "N"},
    "invest.list_separator": {"zh": "、", "en": ", "},
    "basemap.tianditu": {
        "zh": "© 天地图 国家地理信息公共服务平台",
        "en": "© Tianditu (National Platform for Common GeoSpatial Information Services)"},
    # the labels of the meets_* flags quoting a scenario's thresholds (strings(lang, scenario))
    "target.R4": {
        "zh": "可开发空间≥{mu}亩、增加值≥{va}亿元(R4)",
        "en": "Developable ≥ {mu} mu, value added ≥ {va_bn}bn yuan (R4)"},
    "target.T2": {
        "zh": "高新占比≥{high_tech}、研发≥{rd}(T2)",
        "en": "High-tech ≥ {high_tech}, R&D ≥ {rd} (T2)"},
    "target.T3": {
        "zh": "亩均产出≥{output}万元、税收≥{tax}万元(T3)",
        "en": "Per mu: output ≥ {output}, tax ≥ {tax} (10k yuan) (T3)"},
    "target.T4": {
        "zh": "增加值≥{va}亿元、百亿企业≥{firms}、上市≥{listed}(T4)",
        "en": "Value added ≥ {va_bn}bn yuan, ≥ {firms} firm over 10bn, ≥ {listed} listed (T4)"},

    # report: column headings (publish.words.label)
    "column.platform_id": {"zh": "平台编号", "en": "Platform id"},
    "column.name": {"zh": "名称", "en": "Name"},
    "column.county": {"zh": "县(市、区)", "en": "County"},
    "column.main_zone_id": {"zh": "主平台开发区编号", "en": "Main zone id"},
    "column.n_sub_zones": {"zh": "分区数", "en": "Sub-zones"},
    "column.sub_zone_ids": {"zh": "分区(分园)编号", "en": "Sub-zone ids"},
    "column.industries": {"zh": "产业代码(GB/T 4754)", "en": "Industries (GB/T 4754)"},
    "column.developable_mu": {"zh": "可开发空间(亩)", "en": "Developable space (mu)"},
    "column.industrial_va_100m": {
        "zh": "规上工业增加值(亿元)",
        "en": "Industrial value added (100m yuan)"},
    "column.industrial_output_100m": {
        "zh": "规上工业总产值(亿元)",
        "en": "Industrial output (100m yuan)"},
    "column.tax_100m": {"zh": "税收(亿元)", "en": "Tax (100m yuan)"},
    "column.industrial_land_mu": {"zh": "工业用地(亩)", "en": "Industrial land (mu)"},
    "column.high_tech_va_share": {
        "zh": "高新技术产业增加值占比",
        "en": "High-tech share of value added"},
    "column.rd_share": {"zh": "R&D占比", "en": "R&D share"},
    "column.listed_firms": {"zh": "上市企业(家)", "en": "Listed firms"},
    "column.firms_over_10bn": {"zh": "百亿企业(家)", "en": "Firms over 10bn yuan"},
    "column.output_per_mu_10k": {"zh": "亩均产出(万元/亩)", "en": "Output per mu (10k yuan/mu)"},
    "column.tax_per_mu_10k": {"zh": "亩均税收(万元/亩)", "en": "Tax per mu (10k yuan/mu)"},
    "column.meets_R3": {"zh": "符合R3", "en": "Meets R3"},
    "column.meets_R4": {"zh": "符合R4", "en": "Meets R4"},
    "column.meets_T2": {"zh": "达到T2", "en": "Meets T2"},
    "column.meets_T3": {"zh": "达到T3", "en": "Meets T3"},
    "column.meets_T4": {"zh": "达到T4", "en": "Meets T4"},
    "column.park_id": {"zh": "园区编号", "en": "Park id"},
    "column.town": {"zh": "镇(街道)", "en": "Town"},
    "column.park_type": {"zh": "园区类型", "en": "Park type"},
    "column.decision": {"zh": "整合结果", "en": "Decision"},
    "column.reason": {"zh": "依据", "en": "Reason"},
    "column.scope": {"zh": "范围", "en": "Scope"},
    "column.id": {"zh": "对象", "en": "Id"},
    "column.target": {"zh": "目标", "en": "Target"},
    "column.indicator": {"zh": "指标", "en": "Indicator"},
    "column.figure": {"zh": "数值", "en": "Figure"},
    "column.comparison": {"zh": "比较", "en": "Comparison"},
    "column.threshold": {"zh": "目标值", "en": "Threshold"},
    "column.unit": {"zh": "单位", "en": "Unit"},
    "column.gap": {"zh": "差距", "en": "Gap"},
    "column.status": {"zh": "状态", "en": "Status"},
    "column.detail": {"zh": "说明", "en": "Detail"},
    "column.zones": {"zh": "开发区(个)", "en": "Development zones"},
    "column.parks": {"zh": "园区(个,计入R11)", "en": "Parks (counted for R11)"},
    "column.excluded": {"zh": "未纳入整合(个)", "en": "Not included"},
    "column.before": {"zh": "整合前工业平台(个)", "en": "Industrial platforms before"},
    "column.platforms": {"zh": "整合后重大平台(个)", "en": "Major platforms after"},
    "column.sub_zone_count": {"zh": "分区(分园)(个)", "en": "Sub-zones"},
    "column.exits": {"zh": "退出园区(个)", "en": "Exits"},
    "column.quota": {"zh": "退出配额(个)", "en": "Exit quota"},
    "column.exit_share": {"zh": "退出比例", "en": "Exit share"},
    "column.R3": {"zh": "R3 平台数", "en": "R3 platform count"},
    "column.R11": {"zh": "R11 退出配额", "en": "R11 exit quota"},
    "column.large_projects": {"zh": "大项目(个)", "en": "Large projects"},
    "column.T6": {"zh": "T6 大项目", "en": "T6 large projects"},
    "column.rank": {"zh": "名次", "en": "Rank"},
    "column.rank_min": {"zh": "最好名次(权重±20%)", "en": "Best rank (weights ±20%)"},
    "column.rank_max": {"zh": "最差名次(权重±20%)", "en": "Worst rank (weights ±20%)"},
    "column.score": {"zh": "综合得分", "en": "Composite score"},
    "column.tax_per_mu": {"zh": "亩均税收(万元/亩)", "en": "Tax per mu (10k yuan/mu)"},
    "column.va_per_mu": {"zh": "亩均增加值(万元/亩)", "en": "Value added per mu (10k yuan/mu)"},
    "column.labour_productivity": {
        "zh": "全员劳动生产率(万元/人)",
        "en": "Labour productivity (10k yuan/person)"},
    "column.va_per_energy": {
        "zh": "单位能耗增加值(万元/吨标煤)",
        "en": "Value added per energy (10k yuan/tce)"},
    "column.va_per_emission": {
        "zh": "单位排放增加值(万元/吨)",
        "en": "Value added per emission (10k yuan/t)"},
    "column.note": {"zh": "说明", "en": "Note"},
    "column.weight": {"zh": "权重", "en": "Weight"},
    "column.benchmark": {"zh": "基准值", "en": "Benchmark"},
    "column.period": {"zh": "季度", "en": "Quarter"},
    "column.value": {"zh": "数值", "en": "Value"},
    "column.qoq": {"zh": "环比", "en": "QoQ change"},
    "column.yoy": {"zh": "同比", "en": "YoY change"},
    "column.employees": {"zh": "从业人员(人)", "en": "Employees"},
    "column.energy_tce": {"zh": "能耗(吨标煤)", "en": "Energy (tce)"},
    "column.emissions_t": {"zh": "排放(吨)", "en": "Emissions (t)"},
    "column.investment_100m": {"zh": "投资(亿元)", "en": "Investment (100m yuan)"},
    "column.project_id": {"zh": "项目编号", "en": "Project id"},
    "column.project_type": {"zh": "项目类型", "en": "Project type"},
    "column.investment_10k_yuan": {"zh": "总投资(万元)", "en": "Investment (10k yuan)"},
    "column.land_mu": {"zh": "用地(亩)", "en": "Land (mu)"},
    "column.platform_name": {"zh": "所在重大平台", "en": "Platform"},
    "column.location": {"zh": "位置", "en": "Location"},
    "column.investment_per_mu_10k": {
        "zh": "投资强度(万元/亩)",
        "en": "Investment intensity (10k yuan/mu)"},
    "column.energy_tce_per_10k_output": {
        "zh": "单位产出能耗(吨标煤/万元)",
        "en": "Energy per output (tce/10k yuan)"},
    "column.rules": {"zh": "规则", "en": "Rules"},
    "column.admission": {"zh": "准入结论", "en": "Decision"},
    "column.project_status": {"zh": "项目状态", "en": "Project status"},
    "column.reasons": {"zh": "理由", "en": "Reasons"},
    "column.layer": {"zh": "图层", "en": "Layer"},
    "column.row": {"zh": "行号", "en": "Row"},
    "column.field": {"zh": "字段", "en": "Field"},
    "column.rule": {"zh": "问题", "en": "Problem"},
    "column.message": {"zh": "说明", "en": "Message"},
    "column.action": {"zh": "处理", "en": "Action"},
    "column.zone_id": {"zh": "开发区编号", "en": "Zone id"},
    "column.geometry": {"zh": "位置(几何图形)", "en": "Geometry"},
    "column.year": {"zh": "年份", "en": "Year"},
    "column.expected_tax_10k_yuan": {"zh": "预计税收(万元)", "en": "Expected tax (10k yuan)"},
    "column.expected_output_10k_yuan": {"zh": "预计产出(万元)", "en": "Expected output (10k yuan)"},

    # report: values shown translated, per column
    "value.decision.sub_zone": {"zh": "分区(分园)", "en": "sub-zone"},
    "value.decision.exit": {"zh": "退出", "en": "exit"},
    "value.decision.excluded": {"zh": "未纳入", "en": "not included"},
    "value.admission.admit": {"zh": "准入", "en": "admit"},
    "value.admission.review": {"zh": "复核", "en": "review"},
    "value.admission.reject": {"zh": "不予准入", "en": "reject"},
    "value.status.met": {"zh": "达标", "en": "met"},
    "value.status.not met": {"zh": "未达标", "en": "not met"},
    "value.status.no data": {"zh": "无数据", "en": "no data"},
    "value.project_status.proposed": {"zh": "拟引进", "en": "proposed"},
    "value.project_status.signed": {"zh": "已签约", "en": "signed"},
    "value.comparison.>=": {"zh": "≥", "en": "≥"},
    "value.comparison.<=": {"zh": "≤", "en": "≤"},
    "value.scope.platform": {"zh": "平台", "en": "platform"},
    "value.scope.county": {"zh": "县(市、区)", "en": "county"},
    "value.scope.city": {"zh": "全市", "en": "city"},
    "value.location.platform": {"zh": "重大平台内", "en": "in a platform"},
    "value.location.exit park": {"zh": "退出型园区", "en": "exit park"},
    "value.location.outside": {"zh": "重大平台外", "en": "outside"},
    "value.location.unknown": {"zh": "未知", "en": "unknown"},
    "value.project_type.new": {"zh": "新建", "en": "new"},
    "value.project_type.expansion": {"zh": "扩建", "en": "expansion"},
    "value.park_type.town_park": {"zh": "镇(街道)工业园区", "en": "town park"},
    "value.park_type.characteristic_town": {"zh": "特色小镇", "en": "characteristic town"},
    "value.park_type.provincial_park": {"zh": "省级园区", "en": "provincial park"},
    "value.park_type.municipal_park": {"zh": "市级园区", "en": "municipal park"},
    "value.park_type.other": {"zh": "其他", "en": "other"},
    "value.indicator.leading_chains": {"zh": "领跑产业链", "en": "leading chains"},
    "value.indicator.featured_industries": {"zh": "特色产业", "en": "featured industries"},
    "value.indicator.high_tech_va_share": {"zh": "高新技术产业增加值占比", "en": "high-tech share"},
    "value.indicator.rd_share": {"zh": "R&D占比", "en": "R&D share"},
    "value.indicator.output_per_mu_10k": {"zh": "亩均产出", "en": "output per mu"},
    "value.indicator.tax_per_mu_10k": {"zh": "亩均税收", "en": "tax per mu"},
    "value.indicator.industrial_va_100m": {"zh": "规上工业增加值", "en": "industrial value added"},
    "value.indicator.firms_over_10bn": {"zh": "百亿企业", "en": "firms over 10bn"},
    "value.indicator.listed_firms": {"zh": "上市企业", "en": "listed firms"},
    "value.indicator.platforms_over_output": {
        "zh": "产值超千亿平台",
        "en": "platforms with output over 100bn yuan"},
    "value.indicator.platforms_at_least": {"zh": "重大平台数(下限)", "en": "platforms (at least)"},
    "value.indicator.platforms_at_most": {"zh": "重大平台数(上限)", "en": "platforms (at most)"},
    "value.indicator.exit_share": {"zh": "退出比例", "en": "exit share"},
    "value.indicator.large_projects": {"zh": "大项目", "en": "large projects"},
    "value.indicator.industrial_output_100m": {"zh": "规上工业总产值", "en": "industrial output"},
    "value.indicator.tax_100m": {"zh": "税收", "en": "tax"},
    "value.indicator.industrial_land_mu": {"zh": "工业用地", "en": "industrial land"},
    "value.indicator.employees": {"zh": "从业人员", "en": "employees"},
    "value.indicator.energy_tce": {"zh": "能耗", "en": "energy"},
    "value.indicator.emissions_t": {"zh": "排放", "en": "emissions"},
    "value.indicator.investment_100m": {"zh": "投资", "en": "investment"},
    "value.unit.share": {"zh": "占比", "en": "share"},
    "value.unit.divisions": {"zh": "个行业大类", "en": "divisions"},
    "value.unit.firms": {"zh": "家", "en": "firms"},
    "value.unit.platforms": {"zh": "个", "en": "platforms"},
    "value.unit.projects": {"zh": "个", "en": "projects"},
    "value.unit.万元/mu": {"zh": "万元/亩", "en": "10k yuan/mu"},
    "value.unit.亿元": {"zh": "亿元", "en": "100m yuan"},
    "value.unit.mu": {"zh": "亩", "en": "mu"},
    "value.unit.persons": {"zh": "人", "en": "persons"},
    "value.unit.tce": {"zh": "吨标煤", "en": "tce"},
    "value.unit.t": {"zh": "吨", "en": "t"},

    # report: page words (HTML, workbook, charts)
    "report.title": {
        "zh": "重大平台整合与监测报告",
        "en": "Major platforms: consolidation and monitoring report"},
    "report.source": {"zh": "数据", "en": "Data"},
    "report.scenario": {"zh": "情景", "en": "Scenario"},
    "report.generated": {"zh": "生成时间", "en": "Generated"},
    "report.summary": {"zh": "概况", "en": "Summary"},
    "report.map": {"zh": "整合图", "en": "Consolidation map"},
    "report.parks": {"zh": "园区与整合结果", "en": "Parks and decisions"},
    "report.targets": {"zh": "2020年目标(T1–T6)", "en": "2020 targets (T1–T6)"},
    "report.counties": {"zh": "各县(市、区)整合前后", "en": "Counties before and after"},
    "report.monitoring": {"zh": "季度监测", "en": "Quarterly monitoring"},
    "report.ranking": {"zh": "年度综合排名", "en": "Year-end composite ranking"},
    "report.admission": {"zh": "项目准入", "en": "Project admission"},
    "report.problems": {"zh": "数据问题", "en": "Data problems"},
    "report.readings": {"zh": "口径说明", "en": "Readings of the plan used"},
    "report.platforms_sheet": {"zh": "重大平台", "en": "platforms"},
    "report.parks_sheet": {"zh": "园区与整合结果", "en": "parks & decisions"},
    "report.counties_sheet": {"zh": "县(市、区)", "en": "counties"},
    "report.targets_sheet": {"zh": "目标", "en": "targets"},
    "report.ranking_sheet": {"zh": "排名", "en": "ranking"},
    "report.quarterly_sheet": {"zh": "季度监测", "en": "quarterly"},
    "report.admission_sheet": {"zh": "项目准入", "en": "admission"},
    "report.problems_sheet": {"zh": "数据问题", "en": "data problems"},
    "report.about_sheet": {"zh": "说明", "en": "about"},
    "report.no_monitoring": {
        "zh": "结果中没有季度监测表(monitoring),无法监测和排名。",
        "en": "The result has no monitoring table: no quarterly monitoring or ranking."},
    "report.no_projects": {
        "zh": "结果中没有项目表(projects),无法进行项目准入和T6统计。",
        "en": "The result has no projects layer: no admission and no T6 count."},
    "report.no_problems": {"zh": "未发现数据问题。", "en": "No data problems found."},
    "report.n_platforms": {"zh": "重大平台", "en": "major platforms"},
    "report.n_sub": {"zh": "分区(分园)", "en": "sub-zones"},
    "report.n_exit": {"zh": "退出园区", "en": "parks exiting"},
    "report.n_excluded": {"zh": "未纳入整合", "en": "not included"},
    "report.targets_met": {"zh": "目标检查达标", "en": "target checks met"},
    "report.targets_not": {"zh": "未达标", "en": "not met"},
    "report.targets_nodata": {"zh": "无数据", "en": "no data"},
    "report.chart_targets": {
        "zh": "各重大平台主要指标与2020年目标(虚线)",
        "en": "Platform indicators against the 2020 targets (dashed)"},
    "report.chart_counties": {
        "zh": "各县(市、区)整合前后平台数与退出配额",
        "en": "Counties: platforms before and after, exits against the quota"},
    "report.chart_trends": {"zh": "季度趋势", "en": "Quarterly trends"},
    "report.chart_ranking": {
        "zh": "综合得分(括号内为权重±20%时的名次范围)",
        "en": "Composite score (rank range under ±20% weights)"},
    "report.before": {"zh": "整合前(开发区+园区)", "en": "before (zones + parks)"},
    "report.after": {"zh": "整合后重大平台", "en": "major platforms after"},
    "report.sub": {"zh": "分区(分园)", "en": "sub-zones"},
    "report.exits": {"zh": "退出", "en": "exits"},
    "report.quota": {"zh": "配额", "en": "quota"},
    "report.no_data": {"zh": "无数据", "en": "no data"},
    "report.year": {"zh": "年度", "en": "Year"},
    "report.weights": {"zh": "权重与基准", "en": "Weights and benchmarks"},
    "report.weights_source": {"zh": "权重来源", "en": "Weights source"},
    "report.benchmark_how": {"zh": "基准", "en": "Benchmark"},
    "report.latest": {"zh": "最新季度", "en": "Latest quarter"},
    "report.admission_counts": {
        "zh": "准入 {admit} 个,复核 {review} 个,不予准入 {reject} 个",
        "en": "{admit} admitted, {review} to review, {reject} rejected"},
    "report.problems_note": {
        "zh": "以下每一行都被报告,没有数据被静默丢弃。",
        "en": "Every problem below is reported; nothing was dropped without a line."},
    "report.map_link": {
        "zh": "整合图(交互式,离线可用)",
        "en": "Consolidation map (interactive, works offline)"},
    "report.map_static": {"zh": "整合图(静态)", "en": "Consolidation map (static)"},
    "report.score_label": {"zh": "第{rank}名({lo}–{hi})", "en": "#{rank} ({lo}–{hi})"},
    "report.median": {"zh": "全市中位数", "en": "city median"},
    "report.mean": {"zh": "全市平均", "en": "city mean"},
    "report.given": {"zh": "给定值", "en": "given"},
    "report.more_rows": {
        "zh": "另有 {n} 行见Excel工作簿",
        "en": "{n} more rows in the Excel workbook"},
    "report.printed": {"zh": "打印日期", "en": "Printed"},
    "report.page_of": {"zh": "第 &P 页,共 &N 页", "en": "Page &P of &N"},
    "report.default_scenario": {
        "zh": "嘉兴市平台优化提升方案(2018)默认口径",
        "en": "Jiaxing 2018 platform plan (defaults)"},
    "report.ratio_of": {"zh": "{base}÷基准", "en": "{base} ÷ benchmark"},
    "report.yes": {"zh": "是", "en": "yes"},
    # the readings of the plan behind a report (publish.words.report_readings)
    "report.reading_developable": {
        "zh": "R4 可开发空间:采用{dev}。",
        "en": "R4 developable space: {dev}."},
    "report.reading_ranking": {
        "zh": ("R15 {year}年综合排名:{source};各指标除以基准({how});名次范围为各权重变动 "
               "±{sensitivity} 时的名次。"),
        "en": ("R15 ranking {year}: {source}; each indicator divided by the {how} benchmark; "
               "rank range under ±{sensitivity} weight changes.")},
    "report.reading_admission": {
        "zh": ("R17 项目准入:{high_energy} 新建项目不予准入;{traditional} 扩能项目复核;"
               "标准地(parkgeo参照浙江做法的默认值):投资强度 ≥ {investment}、亩均税收 ≥ {tax}、"
               "亩均产出 ≥ {output} 万元/亩,单位产出能耗 ≤ {energy} 吨标煤/万元;"
               "差距超过 {margin} 不予准入,否则复核。"),
        "en": ("R17 admission: new projects in {high_energy} rejected; expansions in "
               "{traditional} reviewed; standard land (parkgeo's Zhejiang-style defaults): "
               "investment ≥ {investment}, tax ≥ {tax}, output ≥ {output} 10k yuan/mu, "
               "energy ≤ {energy} tce per 10k yuan of output; more than {margin} short → "
               "reject, less → review.")},
    # the English is measure.ranking.WEIGHTS_SOURCE, word for word
    "report.default_weights_source": {
        "zh": ("默认权重30/20/20/10/10/10:一个县(黄岩区,2022年)公布的亩均评价权重;"
               "未找到浙江省级权重"),
        "en": ("default weights 30/20/20/10/10/10: one county's published per-mu evaluation "
               "weights (Huangyan District, 2022); Zhejiang's provincial weights were not "
               "found")},
    "report.no": {"zh": "否", "en": "no"},
    "report.developable_declared": {
        "zh": "填报的可开发空间",
        "en": "the declared developable space (developable_mu)"},
    "report.developable_measured": {
        "zh": "按土地利用现状调查(三调)核算的可开发空间",
        "en": "the developable space measured from the land-use survey"},
    "report.developable_lower": {
        "zh": "填报数与调查核算数中的较小者",
        "en": "the lower of the declared and the measured figure"},

    # report: data problems (the Chinese table; English shows what the source wrote)
    "problem.rule.missing_field": {"zh": "缺少字段", "en": "missing_field"},
    "problem.rule.missing_value": {"zh": "缺少数值", "en": "missing_value"},
    "problem.rule.bad_value": {"zh": "数值无法识别", "en": "bad_value"},
    "problem.rule.unknown_platform": {"zh": "未知平台", "en": "unknown_platform"},
    "problem.rule.bad_period": {"zh": "季度格式错误", "en": "bad_period"},
    "problem.rule.duplicate_period": {"zh": "季度重复", "en": "duplicate_period"},
    "problem.rule.period_out_of_sequence": {"zh": "季度顺序错误", "en": "period_out_of_sequence"},
    "problem.rule.negative_value": {"zh": "数值为负", "en": "negative_value"},
    "problem.rule.missing_period": {"zh": "缺少季度", "en": "missing_period"},
    "problem.rule.no_rows": {"zh": "无监测数据", "en": "no_rows"},
    "problem.rule.no_county": {"zh": "无所属县(市、区)", "en": "no_county"},
    "problem.rule.no_geometry": {"zh": "无位置", "en": "no_geometry"},
    "problem.rule.unknown_code": {"zh": "产业代码无法识别", "en": "unknown_code"},
    "problem.rule.duplicate_id": {"zh": "编号重复", "en": "duplicate_id"},
    "problem.rule.invalid_geometry": {"zh": "几何图形无效", "en": "invalid_geometry"},
    "problem.message.missing_field": {"zh": "缺少字段“{field}”", "en": "missing field '{field}'"},
    "problem.message.missing_value": {"zh": "“{field}”为空", "en": "'{field}' is empty"},
    "problem.message.bad_value": {
        "zh": "“{field}”的值无法识别",
        "en": "'{field}' cannot be read"},
    "problem.message.unknown_platform": {
        "zh": "不是已知的重大平台",
        "en": "not a known major platform"},
    "problem.message.bad_period": {
        "zh": "“{field}”不是季度(应如2019Q1)",
        "en": "'{field}' is not a quarter (e.g. 2019Q1)"},
    "problem.message.duplicate_period": {"zh": "该季度已给出", "en": "the quarter is given twice"},
    "problem.message.period_out_of_sequence": {
        "zh": "季度顺序颠倒",
        "en": "quarters out of order"},
    "problem.message.negative_value": {"zh": "“{field}”为负数", "en": "'{field}' is negative"},
    "problem.message.missing_period": {
        "zh": "首末季度之间缺少数据",
        "en": "quarters missing between the first and the last"},
    "problem.message.no_rows": {
        "zh": "该平台没有季度监测数据",
        "en": "no quarterly monitoring rows for the platform"},
    "problem.message.no_county": {
        "zh": "项目不在任何县(市、区)、开发区或园区内",
        "en": "the project is in no county, zone or park"},
    "problem.message.no_geometry": {"zh": "项目没有位置", "en": "the project has no location"},
    "problem.message.unknown_code": {
        "zh": "“{field}”中有无法识别的产业代码",
        "en": "an unknown industry code in '{field}'"},
    "problem.message.duplicate_id": {"zh": "编号重复", "en": "duplicate id"},
    "problem.message.invalid_geometry": {"zh": "几何图形无效", "en": "invalid geometry"},
    "problem.message.other": {"zh": "数据问题", "en": "data problem"},
    "problem.layer.monitoring": {"zh": "季度监测表", "en": "monitoring"},
    "problem.layer.projects": {"zh": "项目表", "en": "projects"},
    "problem.layer.zones": {"zh": "开发区", "en": "zones"},
    "problem.layer.parks": {"zh": "园区", "en": "parks"},
    "problem.layer.platforms": {"zh": "重大平台", "en": "platforms"},
    "problem.layer.plots": {"zh": "地块", "en": "plots"},
    "problem.action.row left out": {"zh": "该行未采用", "en": "row left out"},
    "problem.action.value treated as missing": {
        "zh": "该值按缺失处理",
        "en": "value treated as missing"},
    "problem.action.indicator reported as no data": {
        "zh": "该指标记为无数据",
        "en": "indicator reported as no data"},
    "problem.action.quarter reported as no data": {
        "zh": "该季度记为无数据",
        "en": "quarter reported as no data"},
    "problem.action.kept, put in its place in the series": {
        "zh": "保留,按季度顺序排列",
        "en": "kept, put in its place in the series"},
    "problem.action.not monitored or ranked": {
        "zh": "不参与监测和排名",
        "en": "not monitored or ranked"},
    "problem.action.sent to review": {"zh": "转入复核", "en": "sent to review"},
    "problem.action.not counted for any county": {
        "zh": "不计入任何县(市、区)",
        "en": "not counted for any county"},
    "problem.action.counted as unknown (T6 'no data' unless met)": {
        "zh": "按未知计(除已达标外T6记为无数据)",
        "en": "counted as unknown (T6 'no data' unless met)"},
    "problem.action.other": {"zh": "见说明", "en": "see the message"},

    # the consolidation plan (Word)
    "plan.title": {"zh": "重大平台整合方案", "en": "Major platform consolidation plan"},
    "plan.subtitle": {
        "zh": "工业平台优化提升——整合方案与2020年目标检查",
        "en": "Optimising the industrial platforms: consolidation and the 2020 targets"},
    "plan.source": {"zh": "数据", "en": "Data"},
    "plan.scenario": {"zh": "口径", "en": "Scenario"},
    "plan.date": {"zh": "编制日期", "en": "Date"},
    "plan.title_line": {"zh": "{what}:{value}", "en": "{what}: {value}"},
    "plan.by": {
        "zh": "由 parkgeo 生成,数据所示即结果所据",
        "en": "Written by parkgeo from the data shown"},
    "plan.toc": {"zh": "目录", "en": "Contents"},
    "plan.toc_hint": {
        "zh": "(右键单击此处并选择“更新域”以生成目录)",
        "en": "(In Word, right-click here and choose Update Field to build the contents)"},
    "plan.overview": {"zh": "一、概况", "en": "1. Overview"},
    "plan.overview_text": {
        "zh": ("全市 {counties} 个县(市、区)共有开发区 {zones} 个、园区 {parks} "
               "个。整合后设重大平台 {platforms} 个,{sub} "
               "个园区作为分区(分园)纳入重大平台,{exits} 个园区退出,{excluded} "
               "个未纳入整合。2020年目标检查 {checks} 项:达标 {met} 项,未达标 {not_met} 项,无数据 "
               "{no_data} 项。"),
        "en": ("The city's {counties} counties have {zones} development zones and {parks} parks. "
               "After consolidation there are {platforms} major platforms; {sub} parks join them "
               "as sub-zones, {exits} parks exit and {excluded} are not included. Of {checks} "
               "checks against the 2020 targets, {met} are met, {not_met} not met and {no_data} "
               "lack data.")},
    "plan.figures": {"zh": "主要数字", "en": "Key figures"},
    "plan.item": {"zh": "项目", "en": "Item"},
    "plan.count": {"zh": "数量", "en": "Count"},
    "plan.n_counties": {"zh": "县(市、区)", "en": "Counties"},
    "plan.n_zones": {"zh": "开发区", "en": "Development zones"},
    "plan.n_parks": {"zh": "园区", "en": "Parks"},
    "plan.n_platforms": {"zh": "重大平台", "en": "Major platforms"},
    "plan.n_sub": {"zh": "分区(分园)", "en": "Sub-zones"},
    "plan.n_exit": {"zh": "退出园区", "en": "Parks exiting"},
    "plan.n_excluded": {"zh": "未纳入整合", "en": "Not included"},
    "plan.map": {"zh": "二、整合图", "en": "2. Consolidation map"},
    "plan.figure_caption": {
        "zh": "图 {n}  重大平台整合图(主平台、分区及其连线、退出型园区)",
        "en": ("Figure {n}. The consolidation: main platforms, sub-zones with their links, "
               "exit-type parks")},
    "plan.no_map": {
        "zh": "无法绘制整合图:{why}",
        "en": "The consolidation map could not be drawn: {why}"},
    "plan.counties": {"zh": "三、各县(市、区)整合决定", "en": "3. Decisions by county"},
    "plan.county_text": {
        "zh": ("开发区 {zones} 个,计入退出比例的园区 {parks} 个。保留重大平台 {platforms} "
               "个(R3:{r3});分区(分园){sub} 个;退出 {exits} 个,退出配额 {quota} 个(R11 "
               "至少退出{share}:{r11})。"),
        "en": ("{zones} development zones and {parks} parks counted for the exit quota. "
               "{platforms} major platform(s) kept (R3: {r3}); {sub} sub-zones; {exits} exits "
               "against a quota of {quota} (R11, at least {share}: {r11}).")},
    "plan.platforms": {"zh": "四、重大平台", "en": "4. Major platforms"},
    "plan.members": {"zh": "五、各重大平台组成及依据", "en": "5. Members of each platform and why"},
    "plan.role": {"zh": "组成", "en": "Role"},
    "plan.member": {"zh": "名称", "en": "Member"},
    "plan.member_id": {"zh": "编号", "en": "Id"},
    "plan.why": {"zh": "依据", "en": "Reason"},
    "plan.main": {"zh": "主平台", "en": "main platform"},
    "plan.sub_zone": {"zh": "分区(分园)", "en": "sub-zone"},
    "plan.platform_text": {
        "zh": "{county};主平台 {main};分区(分园){n} 个。",
        "en": "{county}; main platform {main}; {n} sub-zone(s)."},
    "plan.checks": {"zh": "六、R4与R11检查", "en": "6. The R4 and R11 checks"},
    "plan.r4": {
        "zh": "R4 整合后规模:可开发空间 ≥ {mu}亩、规上工业增加值 ≥ {va}亿元",
        "en": ("R4 size after consolidation: developable space ≥ {mu} mu and industrial value "
               "added ≥ {bn} billion yuan")},
    "plan.r11": {
        "zh": "R11 各县(市、区)至少退出{share}的工业平台",
        "en": "R11 each county exits at least {share} of its industrial platforms"},
    "plan.shortfall_mu": {"zh": "可开发空间缺口(亩)", "en": "Shortfall in space (mu)"},
    "plan.shortfall_va": {"zh": "增加值缺口(亿元)", "en": "Shortfall in value added (100m yuan)"},
    "plan.r4_note": {"zh": "说明", "en": "Note"},
    "plan.targets": {"zh": "七、2020年目标", "en": "7. The 2020 targets"},
    "plan.targets_platform": {"zh": "各重大平台(T1–T4)", "en": "Per platform (T1–T4)"},
    "plan.targets_area": {
        "zh": "全市与各县(市、区)(T5、T6、R3、R11)",
        "en": "City and counties (T5, T6, R3, R11)"},
    "plan.readings": {"zh": "口径说明", "en": "Readings of the plan used"},
    "plan.appendix": {"zh": "附录", "en": "Appendix"},
    "plan.appendix_parks": {"zh": "附表1  园区与整合结果", "en": "Table A1. Parks and decisions"},
    "plan.appendix_targets": {"zh": "附表2  目标检查明细", "en": "Table A2. Every target check"},
    "plan.table_caption": {"zh": "表 {n}  {what}", "en": "Table {n}. {what}"},

    # the developable-space account (CSV, Excel)
    "space.column.layer": {"zh": "图层", "en": "layer"},
    "space.column.id": {"zh": "编号", "en": "id"},
    "space.column.name": {"zh": "名称", "en": "name"},
    "space.column.county": {"zh": "县(市、区)", "en": "county"},
    "space.column.area_mu": {"zh": "范围面积(亩)", "en": "area (mu)"},
    "space.column.surveyed_mu": {"zh": "调查覆盖面积(亩)", "en": "surveyed (mu)"},
    "space.column.uncovered_mu": {"zh": "未覆盖面积(亩)", "en": "not surveyed (mu)"},
    "space.column.uncovered_share": {"zh": "未覆盖比例", "en": "not surveyed (share)"},
    "space.column.class_mu": {"zh": "可开发地类面积(亩)", "en": "developable classes (mu)"},
    "space.column.excluded_mu": {"zh": "扣除面积(亩)", "en": "excluded (mu)"},
    "space.column.developable_mu": {"zh": "核算可开发空间(亩)", "en": "measured developable (mu)"},
    "space.column.developable_ha": {
        "zh": "核算可开发空间(公顷)",
        "en": "measured developable (ha)"},
    "space.column.declared_mu": {"zh": "填报可开发空间(亩)", "en": "declared developable (mu)"},
    "space.column.difference_mu": {
        "zh": "差额(亩,填报-核算)",
        "en": "difference (mu, declared − measured)"},
    "space.column.difference_share": {"zh": "差额比例", "en": "difference (share of measured)"},
    "space.column.overlap_mu": {"zh": "图斑重叠面积(亩)", "en": "survey overlaps (mu)"},
    "space.column.epsg": {"zh": "量算坐标系(EPSG)", "en": "measuring CRS (EPSG)"},
    "space.class_column.layer": {"zh": "图层", "en": "layer"},
    "space.class_column.id": {"zh": "编号", "en": "id"},
    "space.class_column.dlbm": {"zh": "地类编码", "en": "class code (DLBM)"},
    "space.class_column.dlmc": {"zh": "地类名称", "en": "class name"},
    "space.class_column.area_mu": {"zh": "面积(亩)", "en": "area (mu)"},
    "space.class_column.area_ha": {"zh": "面积(公顷)", "en": "area (ha)"},
    "space.class_column.developable_mu": {
        "zh": "计入可开发空间(亩)",
        "en": "counted as developable (mu)"},
    "space.layer.zones": {"zh": "开发区", "en": "zone"},
    "space.layer.parks": {"zh": "园区", "en": "park"},
    "space.sheet.account": {"zh": "可开发空间核算表", "en": "developable space"},
    "space.sheet.classes": {"zh": "地类构成", "en": "by class"},

    # consolidation reasons (consolidate.explain, consolidate.relatedness)
    "reason.separator": {"zh": "；", "en": "; "},
    "reason.kept_because.floors": {"zh": "R4下限需要", "en": "the R4 floors need them"},
    "reason.kept_because.ceilings": {
        "zh": "面积上限只容得下",
        "en": "the area ceilings leave room only for them"},
    "reason.kept_because.chain": {
        "zh": "分区链连通需要",
        "en": "their chains of sub-zones need them"},
    "reason.developable.measured": {
        "zh": "可开发空间按土地调查核算值计",
        "en": "developable space as measured from the land-use survey"},
    "reason.developable.lower": {
        "zh": "可开发空间按填报值与土地调查核算值中的较小者计",
        "en": "developable space as the lower of the declared and the measured figure"},
    "reason.level.national": {"zh": "国家级开发区", "en": "national"},
    "reason.level.provincial": {"zh": "省级开发区", "en": "provincial"},
    "reason.industry_level.section": {"zh": "门类", "en": "section"},
    "reason.industry_level.division": {"zh": "大类", "en": "division"},
    "reason.industry_level.group": {"zh": "中类", "en": "group"},
    "reason.industry_level.class": {"zh": "小类", "en": "class"},

    # terminal words of the commands
    "cli.level.national": {"zh": "国家级", "en": "national"},
    "cli.level.provincial": {"zh": "省级", "en": "provincial"},
    "cli.industries.none": {"zh": "(无)", "en": "(none)"},
    # how an industry term was read (parkgeo.industries.Term.how)
    "industry.how.code": {"zh": "代码", "en": "code"},
    "industry.how.name": {"zh": "国标名称", "en": "name"},
    "industry.how.synonym": {"zh": "同义词表", "en": "synonym"},
    "industry.how.partial": {"zh": "部分匹配", "en": "partial"},
    "industry.how.unrecognised": {"zh": "未识别", "en": "unrecognised"},
    "cli.industries.unrecognised": {
        "zh": "不是代码、国标名称或已知词语",
        "en": "no code, GB/T 4754-2017 name or known term"},
    "cli.industries.part_of": {"zh": "包含于 ", "en": "part of "},
    "cli.industries.total": {
        "zh": "{n} 个词语，{mapped} 个已对应国民经济行业分类代码",
        "en": "{n} term(s), {mapped} mapped to GB/T 4754-2017 codes"},
    "cli.catalogue.total": {"zh": "{n} 个开发区（{source}）", "en": "{n} zone(s) ({source})"},
    "cli.space.summary": {
        "zh": ("已核算 {n} 个开发区和园区:核算可开发空间合计 {measured} 亩,填报合计 {declared} 亩;"
               "{partial} 个未被调查图斑完全覆盖"),
        "en": ("measured {n} zones and parks: {measured} mu developable in total, {declared} mu "
               "declared; {partial} not wholly covered by the survey")},
    "cli.space.over": {
        "zh": "填报可开发空间超出核算值 {tol} 以上的 {n} 个:",
        "en": "{n} declare more than {tol} above the measured figure:"},
    "cli.space.over_row": {
        "zh": "  {id} {name}: 填报 {declared} 亩,核算 {measured} 亩({share})",
        "en": "  {id} {name}: declared {declared} mu, measured {measured} mu ({share})"},
    "cli.space.more": {"zh": "  …另有 {n} 个(见输出表)", "en": "  … and {n} more (in the outputs)"},
    "cli.catalogue.code": {"zh": "代码", "en": "code"},
    "cli.catalogue.name": {"zh": "名称", "en": "name"},
    "cli.catalogue.province": {"zh": "省份", "en": "province"},
    "cli.catalogue.city_county": {"zh": "市县", "en": "city/county"},
    "cli.catalogue.level": {"zh": "级别", "en": "level"},
    "cli.catalogue.zone_type": {"zh": "开发区类型", "en": "zone type"},
    "cli.catalogue.approved_area_ha": {"zh": "核准面积(公顷)", "en": "approved ha"},
    "cli.catalogue.industries": {"zh": "主导产业", "en": "industries"},
    # the quarterly monitoring table's fields, named in its problems (measure.monitoring); the
    # English messages name the field as it is written
    "monitoring.field.industrial_output_100m": {"zh": "规上工业总产值",
                                                "en": "industrial_output_100m"},
    "monitoring.field.industrial_va_100m": {"zh": "规上工业增加值", "en": "industrial_va_100m"},
    "monitoring.field.tax_100m": {"zh": "税收", "en": "tax_100m"},
    "monitoring.field.industrial_land_mu": {"zh": "工业用地", "en": "industrial_land_mu"},
    "monitoring.field.employees": {"zh": "从业人员", "en": "employees"},
    "monitoring.field.energy_tce": {"zh": "能耗", "en": "energy_tce"},
    "monitoring.field.emissions_t": {"zh": "排放", "en": "emissions_t"},
    "monitoring.field.rd_share": {"zh": "R&D占比", "en": "rd_share"},
    "monitoring.field.high_tech_va_share": {"zh": "高新技术产业增加值占比",
                                            "en": "high_tech_va_share"},
    "monitoring.field.investment_100m": {"zh": "投资", "en": "investment_100m"},
    "monitoring.field.large_projects": {"zh": "大项目", "en": "large_projects"},
    "monitoring.field.platform_id": {"zh": "平台编号", "en": "platform_id"},
    "monitoring.field.zone_id": {"zh": "开发区编号", "en": "zone_id"},
    "monitoring.field.park_id": {"zh": "园区编号", "en": "park_id"},
    "monitoring.field.period": {"zh": "季度", "en": "period"},
    # a project's admission decision, quoted in its reasons (measure.admission)
    "admission.verdict.admit": {"zh": "准入", "en": "admit"},
    "admission.verdict.review": {"zh": "复核", "en": "review"},
    "admission.verdict.reject": {"zh": "不予准入", "en": "reject"},
    # how a layer's coordinates were told, by case (read.crs.guess_crs)
    "crs.guess.none": {"zh": "该图层没有可供推断的坐标",
                       "en": "the layer has no coordinates to guess from"},
    "crs.guess.latlon": {
        "zh": "坐标看起来是 X、Y 互换的纬度/经度;请互换后声明 EPSG:4490 或 EPSG:4326",
        "en": "the coordinates look like latitude/longitude with X and Y swapped; swap them, "
              "then declare EPSG:4490 or EPSG:4326"},
    "crs.guess.china": {
        "zh": "坐标看起来是中国境内的经度/纬度:EPSG:4490(CGCS2000)或 EPSG:4326(WGS84)",
        "en": "the coordinates look like longitude/latitude in China: EPSG:4490 (CGCS2000) or "
              "EPSG:4326 (WGS84)"},
    "crs.guess.lonlat": {
        "zh": "坐标看起来是经度/纬度:EPSG:4326(WGS84)或 EPSG:4490(CGCS2000)",
        "en": "the coordinates look like longitude/latitude: EPSG:4326 (WGS84) or EPSG:4490 "
              "(CGCS2000)"},
    "crs.guess.gk3": {
        "zh": "横坐标以 {zone} 开头:带带号的 CGCS2000 3 度分带高斯-克吕格投影第 {zone} 带",
        "en": "the eastings start with {zone}: CGCS2000 3-degree Gauss-Kruger zone {zone} with "
              "the zone prefix"},
    "crs.guess.gk6": {
        "zh": "横坐标以 {zone} 开头:带带号的 CGCS2000 6 度分带高斯-克吕格投影第 {zone} 带",
        "en": "the eastings start with {zone}: CGCS2000 6-degree Gauss-Kruger zone {zone} with "
              "the zone prefix"},
    "crs.guess.gk": {
        "zh": "横坐标约为 500 千米且无带号:不带带号的 CGCS2000 3 度分带高斯-克吕格投影——数据位于"
              "东经 120° 附近(嘉兴)时为 EPSG:4549,否则按中央经线取 EPSG:4534–4554",
        "en": "the eastings are around 500 km with no zone prefix: a CGCS2000 3-degree "
              "Gauss-Kruger zone without prefix — EPSG:4549 if the data lies near 120°E "
              "(Jiaxing), otherwise EPSG:4534–4554 for your central meridian"},
    "crs.guess.gk_swapped": {
        "zh": "坐标看起来是 X、Y 互换(北坐标在前)的高斯-克吕格投影;请互换后声明该分带的 "
              "EPSG 代码",
        "en": "the coordinates look like Gauss-Kruger with X and Y swapped (northing first); "
              "swap them, then declare the zone's EPSG code"},
    "crs.guess.gk_prefix_swapped": {
        "zh": "坐标看起来是带带号且 X、Y 互换的高斯-克吕格投影;请互换后声明该分带的 "
              "EPSG 代码",
        "en": "the coordinates look like Gauss-Kruger with the zone prefix and X and Y "
              "swapped; swap them, then declare the zone's EPSG code"},
    "crs.guess.unknown": {"zh": "坐标范围与 parkgeo 能推断的任何坐标系都不符",
                          "en": "the coordinate ranges match no CRS parkgeo can guess"},
    # the layers' nouns in validation findings (validate); where no English message uses
    # the noun, its English is the layer's name, as the English findings show it
    "validate.noun.zones": {"zh": "开发区", "en": "zone"},
    "validate.noun.parks": {"zh": "园区", "en": "park"},
    "validate.noun.counties": {"zh": "县(市、区)", "en": "county"},
    "validate.noun.protected": {"zh": "保护区域", "en": "protected area"},
    "validate.noun.plots": {"zh": "地块", "en": "plot"},
    "validate.noun.development_boundary": {"zh": "城镇开发边界", "en": "development boundary"},
    "validate.noun.landuse": {"zh": "地类图斑", "en": "landuse"},
    "validate.noun.projects": {"zh": "项目", "en": "projects"},
    "validate.noun.monitoring": {"zh": "季度监测", "en": "monitoring"},
    "validate.noun.towns": {"zh": "镇(街道)", "en": "towns"},
    # the geometry types a polygon layer must not hold, the parts of a geometry collection
    # and GEOS's validity reasons (validate.geometry); GEOS's words are its own in English
    "geometry.type.point": {"zh": "点", "en": "a point"},
    "geometry.type.linestring": {"zh": "线", "en": "a line"},
    "geometry.type.linearring": {"zh": "环", "en": "a ring"},
    "geometry.type.multipoint": {"zh": "多点", "en": "a multi-point"},
    "geometry.type.multilinestring": {"zh": "多线", "en": "a multi-line"},
    "geometry.type.geometrycollection": {"zh": "几何集合", "en": "a geometry collection"},
    "geometry.part.point": {"zh": "点", "en": "point"},
    "geometry.part.linestring": {"zh": "线", "en": "linestring"},
    "geometry.part.linearring": {"zh": "环", "en": "linearring"},
    "geometry.part.polygon": {"zh": "面", "en": "polygon"},
    "geometry.reason.Self-intersection": {"zh": "自相交", "en": "Self-intersection"},
    "geometry.reason.Ring Self-intersection": {"zh": "环自相交", "en": "Ring Self-intersection"},
    "geometry.reason.Too few points in geometry component": {
        "zh": "几何部分的点数过少",
        "en": "Too few points in geometry component"},
    "geometry.reason.Hole lies outside shell": {
        "zh": "内环位于外环之外",
        "en": "Hole lies outside shell"},
    "geometry.reason.Nested holes": {"zh": "内环嵌套", "en": "Nested holes"},
    "geometry.reason.Interior is disconnected": {
        "zh": "内部不连通",
        "en": "Interior is disconnected"},
    "geometry.reason.Nested shells": {"zh": "外环嵌套", "en": "Nested shells"},
    "geometry.reason.Duplicate Rings": {"zh": "环重复", "en": "Duplicate Rings"},
    "geometry.reason.Invalid Coordinate": {"zh": "坐标无效", "en": "Invalid Coordinate"},
    "geometry.reason.Ring is not closed": {"zh": "环未闭合", "en": "Ring is not closed"},
    "geometry.reason.invalid": {"zh": "无效", "en": "invalid"},
    # the data contract's kinds of protected land (validate.place)
    "validate.protected_kind.ecological_redline": {
        "zh": "生态保护红线",
        "en": "ecological_redline"},
    "validate.protected_kind.basic_farmland": {"zh": "永久基本农田", "en": "basic_farmland"},
    # the developable figure R4 uses, [consolidate] developable (validate.space)
    "validate.figure.measured": {"zh": "量算", "en": "measured"},
    "validate.figure.declared": {"zh": "填报", "en": "declared"},
    "validate.figure.lower": {"zh": "两者中较小的", "en": "lower"},
    # what to do about a validation finding, by rule id (validate.findings.RULES)
    "rule.todo.missing_layer": {
        "zh": "在 GeoPackage 中加入该图层,或在文件夹中加入以该图层命名的文件",
        "en": "add the layer to the GeoPackage, or a file named after it to the folder"},
    "rule.todo.empty_layer": {
        "zh": "检查导出的文件是否正确;空图层无法整合",
        "en": "check that the right file was exported; an empty layer cannot be consolidated"},
    "rule.todo.missing_field": {
        "zh": "将字段改为约定的名称,或在情景文件的 [fields] 表中对应",
        "en": "rename the field to its contract name, or map it in the scenario's [fields] table"},
    "rule.todo.missing_crs": {
        "zh": "保存图层时一并保存坐标系(.prj),或使用 --src-crs EPSG:<代码>",
        "en": "save the layer with its CRS (.prj), or pass --src-crs EPSG:<code>"},
    "rule.todo.wrong_crs": {
        "zh": "在 GIS 中重新投影或重新指定坐标系(QGIS:“指定投影”)",
        "en": "reproject or re-declare the layer in your GIS (QGIS: 'Assign Projection')"},
    "rule.todo.outside_measured_zones": {
        "zh": "只保留中国境内的要素:在 GIS 中裁剪或选择",
        "en": "keep only the features in China: clip or select them in your GIS"},
    "rule.todo.join_unmatched": {
        "zh": "核对统计表与图层两边的编号",
        "en": "check the ids on both sides of the [join] table"},
    "rule.todo.duplicate_id": {
        "zh": "为每个要素设置唯一的编号",
        "en": "give every feature its own id"},
    "rule.todo.bad_value": {
        "zh": "在属性表中更正该值",
        "en": "correct the value in the attribute table"},
    "rule.todo.empty_geometry": {
        "zh": "绘制该要素的多边形,或删除该要素",
        "en": "draw the feature's polygon, or delete the feature"},
    "rule.todo.wrong_geometry_type": {
        "zh": "将点、线和几何集合替换为该要素的多边形",
        "en": "replace points, lines and collections with the feature's polygon"},
    "rule.todo.invalid_geometry": {
        "zh": "在所示位置修复(QGIS:“修复几何”,再检查结果)",
        "en": "repair it at the location given (QGIS: 'Fix Geometries', then check the result)"},
    "rule.todo.sliver": {
        "zh": "删除零碎部分,或将其并入相邻多边形",
        "en": "delete the stray part or merge it into its neighbour"},
    "rule.todo.overlap": {
        "zh": "确定重叠的土地归属哪个要素,并裁剪另一个",
        "en": "decide which feature the land belongs to and clip the other"},
    "rule.todo.invalid_coverage": {
        "zh": "使各县界相互吻合;“超出所属县界”的比例可能有偏差",
        "en": "snap the county boundaries to each other; 'outside_county' shares may be off"},
    "rule.todo.unknown_county": {
        "zh": "将县名改为县界图层中的名称",
        "en": "correct the county name to one in the counties layer"},
    "rule.todo.outside_county": {
        "zh": "更正县名或多边形",
        "en": "correct the county name or the polygon"},
    "rule.todo.in_protected_area": {
        "zh": "裁剪要素以避开保护区域,或核查保护区域图层",
        "en": "clip the feature to leave the protected land out, or check the protected layer"},
    "rule.todo.area_exceeds_approved": {
        "zh": "对照批复文件和批准面积核查“四至”范围",
        "en": "check the four boundaries against the approval documents and the approved area"},
    "rule.todo.boundary_changed": {
        "zh": "按基准数据恢复法定多边形;“四至”范围不得变动",
        "en": "restore the statutory polygon from the baseline; four boundaries never change"},
    "rule.todo.developable_overstated": {
        "zh": "对照土地利用现状调查核实填报的可开发空间,或检查 [space] 设置",
        "en": "check the declared figure against the land-use survey, or the [space] settings"},
    "rule.todo.landuse_overlap": {
        "zh": "修正地类图斑的拓扑(重叠)后重新导出",
        "en": "fix the survey's topology (QGIS: 'Check Validity' / topology checker) and export "
              "again"},
    "rule.todo.landuse_gap": {
        "zh": "补齐缺失的地类图斑,或核实调查范围是否覆盖全部区域",
        "en": "add the missing survey polygons, or check that the survey covers the whole area"},
    "rule.todo.landuse_bad_code": {
        "zh": "在地类图斑属性表中更正地类编码(如 0101、0601、05H1)",
        "en": "correct the code (e.g. 0101, 0601, 05H1) in the survey's attribute table"},
    "rule.todo.park_added": {
        "zh": "重大平台以外不得新设工业园区:请核实",
        "en": "no new industrial park may be set up outside the major platforms: confirm it"},
    "rule.todo.approved_area_differs_from_catalogue": {
        "zh": "采用目录中的核准面积,或改变该面积的后续批复",
        "en": "use the catalogue's approved area (核准面积), or the later approval that changed "
              "it"},
    "rule.todo.unknown_catalogue_code": {
        "zh": "核对代码(用“parkgeo catalogue 名称”查找)",
        "en": "check the code ('parkgeo catalogue NAME' finds it)"},
    "rule.todo.ambiguous_catalogue_name": {
        "zh": "以目录代码作为 zone_id,以便对照目录核查",
        "en": "use the catalogue code as zone_id so the zone can be checked against the catalogue"},
    "rule.todo.approved_area_from_catalogue": {
        "zh": "无需处理;如需自行填写,请在数据中加入 approved_area_ha",
        "en": "nothing to do; add approved_area_ha to the data to state it yourself"},
    "rule.todo.industry_unrecognised": {
        "zh": "改写为国民经济行业分类代码,或“parkgeo industries 词语”能识别的词语",
        "en": "write the term's GB/T 4754-2017 code, or a term 'parkgeo industries TERM' "
              "understands"},
}


def check_lang(lang):
    """Return ``lang`` if it is a supported language, else raise InputError naming the choices.

    Examples
    --------
    >>> check_lang("en")
    'en'
    """
    if lang not in LANGS:
        raise InputError(f"--lang must be one of {', '.join(LANGS)}; got '{lang}'")
    return lang


def tr(key, lang="zh", **fmt):
    """The word ``key`` in ``lang``; with keyword arguments, its ``{name}`` fields filled.

    A key missing from :data:`WORDS` raises ``KeyError``: every word has its entry.

    Examples
    --------
    >>> tr("plan.no_map", "en", why="no platforms")
    'The consolidation map could not be drawn: no platforms'
    """
    text = WORDS[key][check_lang(lang)]
    return text.format(**fmt) if fmt else text


def tr_or(key, lang, default):
    """The word ``key`` in ``lang``, or ``default`` when the table has no such key: a value
    parkgeo has no word for (a user's own field, layer or code) is shown as given.

    Examples
    --------
    >>> tr_or("monitoring.field.tax_100m", "zh", "tax_100m")
    '税收'
    >>> tr_or("monitoring.field.my_field", "zh", "my_field")
    'my_field'
    """
    check_lang(lang)
    return tr(key, lang) if key in WORDS else default


def words(prefix, lang="zh"):
    """Every word whose key starts with ``prefix``, in ``lang``, keyed by the rest of the key.

    Examples
    --------
    >>> words("space.layer.", "en")
    {'zones': 'zone', 'parks': 'park'}
    """
    check_lang(lang)
    n = len(prefix)
    return {k[n:]: v[lang] for k, v in WORDS.items() if k.startswith(prefix)}


class _Strings(dict):
    """The map words of one language; a missing key names itself so the gap is visible."""

    def __missing__(self, key):
        return key


def translated(strings, prefix, value):
    """``strings[prefix + value]`` when the strings have it, else ``value`` (a user's own code
    or name is shown as given)."""
    key = f"{prefix}{value}"
    return dict.get(strings, key, value) if isinstance(value, str) else value


def _n(v):
    """``10000`` → ``10,000``; ``0.45`` stays ``0.45``."""
    return f"{v:,.0f}" if float(v) == int(v) else f"{v:,g}"


def _bn(v_100m):
    """亿元 (100 million yuan) as billions: ``80`` → ``8``."""
    return f"{v_100m / 10:,g}"


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
    return {
        "meets_R4": tr("target.R4", lang, mu=_n(c.min_developable_mu),
                       va=_n(c.min_va_100m), va_bn=_bn(c.min_va_100m)),
        "meets_T2": tr("target.T2", lang, high_tech=f"{t.high_tech_share:.0%}",
                       rd=f"{t.rd_share:.0%}"),
        "meets_T3": tr("target.T3", lang, output=_n(t.output_per_mu_10k),
                       tax=_n(t.tax_per_mu_10k)),
        "meets_T4": tr("target.T4", lang, va=_n(t.va_100m), va_bn=_bn(t.va_100m),
                       firms=t.firms_over_10bn, listed=t.listed_firms),
    }


def strings(lang="zh", scenario=None):
    """The map words (``map.`` keys) in ``lang`` (``"zh"`` or ``"en"``); with ``scenario``, the
    target labels quote its thresholds (:func:`target_labels`).

    Examples
    --------
    >>> strings("en")["decision_exit"]
    'Exit'
    """
    out = _Strings(words("map.", lang))
    if scenario is not None:
        out.update(target_labels(scenario, lang))
    return out
