"""A report's headers and values in Chinese or English (the words are in the one table,
:mod:`parkgeo.i18n`), and how each column is written (text code, integer, number, share,
boolean)."""

from __future__ import annotations

import math

import pandas as pd

from ..i18n import WORDS, check_lang, tr
from ..scenario import Scenario

# ------------------------------------------------------------------------------------------------
# words: every header and value the report shows, from the one table (parkgeo.i18n: column.,
# value., report., problem.)
# ------------------------------------------------------------------------------------------------

#: the columns whose values are shown translated (``value.<column>.<value>`` in the table)
VALUE_COLUMNS = frozenset(k.split(".")[1] for k in WORDS if k.startswith("value."))


def _has_cjk(text):
    return any(0x2E80 <= ord(ch) < 0xA000 for ch in str(text))


def problems_in(frame, lang):
    """The data problems table in ``lang``: in Chinese, layers, fields and problem names are
    translated, and a message or action its source gave only in English is replaced by the
    Chinese words for its rule (the English details stay in ``parkgeo rank``/``admit``)."""
    if lang != "zh" or frame is None or not len(frame):
        return frame

    def zh(kind, key, default):
        k = f"problem.{kind}.{key}"
        return WORDS[k]["zh"] if k in WORDS else default

    out = frame.copy()
    fields = out["field"].astype(object)
    zh_field = [label(f, "zh") if isinstance(f, str) else f for f in fields]
    if "message" in out:
        out["message"] = [
            m if isinstance(m, str) and _has_cjk(m) else
            zh("message", r, tr("problem.message.other")).format(field=f or "")
            for m, r, f in zip(out["message"], out["rule"], zh_field, strict=True)]
    if "action" in out:
        out["action"] = [a if not isinstance(a, str) or _has_cjk(a) else
                         zh("action", a, tr("problem.action.other")) for a in out["action"]]
    out["rule"] = [zh("rule", r, r) for r in out["rule"]]
    out["layer"] = [zh("layer", v, v) for v in out["layer"]]
    out["field"] = zh_field
    return out


def label(column, lang="zh"):
    """The header of ``column`` in ``lang`` (the column name itself when it has none)."""
    check_lang(lang)
    if f"column.{column}" in WORDS:
        return tr(f"column.{column}", lang)
    if column.endswith("_ratio") and f"column.{column[:-6]}" in WORDS:
        return tr("report.ratio_of", lang, base=tr(f"column.{column[:-6]}", lang).split("(")[0])
    return column


def scenario_name(scenario, lang="zh"):
    """The scenario's name in ``lang``: the default scenario's name translated, others kept."""
    name = str(scenario.name)
    en = Scenario().name
    if name.startswith(en):
        return tr("report.default_scenario", lang) + name[len(en):]
    return name


def _word(key, lang):
    return tr(f"report.{key}", lang)


def _value(column, value, lang):
    check_lang(lang)
    key = f"value.{'status' if column in ('R3', 'R11', 'T6') else column}.{value}"
    if isinstance(value, str) and key in WORDS:
        return tr(key, lang)
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
    mode = f"report.developable_{s.consolidate.developable}"
    dev = tr(mode, lang) if mode in WORDS else None
    if dev:
        out.append(f"R4 可开发空间:采用{dev}。" if zh else f"R4 developable space: {dev}.")
    if r is not None:
        how = _word(r.benchmark_how, lang) if f"report.{r.benchmark_how}" in WORDS \
            else r.benchmark_how
        out.append(
            f"R15 {r.year}年综合排名:{weights_source(r, lang)};各指标除以基准({how});"
            f"名次范围为各权重变动 ±{s.ranking.sensitivity:.0%} 时的名次。" if zh else
            f"R15 ranking {r.year}: {r.weights_source}; each indicator divided by the "
            f"{how} benchmark; rank range under ±{s.ranking.sensitivity:.0%} weight changes.")
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
