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

    if ranking.weights_source == WEIGHTS_SOURCE:
        return tr("report.default_weights_source", lang)
    return ranking.weights_source


def report_readings(data, lang="zh"):
    """The readings of the plan behind the report (targets, ranking, admission), in ``lang``."""
    from ..measure.targets import target_readings

    s = data.scenario
    out = list(target_readings(s, lang))
    r, a = data.ranking, s.admission
    mode = f"report.developable_{s.consolidate.developable}"
    if mode in WORDS:
        out.append(tr("report.reading_developable", lang, dev=tr(mode, lang)))
    if r is not None:
        how = _word(r.benchmark_how, lang) if f"report.{r.benchmark_how}" in WORDS \
            else r.benchmark_how
        out.append(tr("report.reading_ranking", lang, year=r.year, how=how,
                      source=weights_source(r, lang),
                      sensitivity=f"{s.ranking.sensitivity:.0%}"))
    out.append(tr("report.reading_admission", lang,
                  high_energy=", ".join(a.high_energy_industries),
                  traditional=", ".join(a.traditional_industries),
                  investment=f"{a.min_investment_10k_per_mu:g}",
                  tax=f"{a.min_tax_10k_per_mu:g}", output=f"{a.min_output_10k_per_mu:g}",
                  energy=f"{a.max_energy_tce_per_10k_output:g}",
                  margin=f"{a.review_margin:.0%}"))
    return out
