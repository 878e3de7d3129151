"""A report's measurements: a consolidation result measured (targets, ranking, admission) and
gathered into the tables a report shows, with contract column names — the publishing stage
(:mod:`parkgeo.publish.report`) translates and lays them out."""

from __future__ import annotations

import math
from dataclasses import dataclass

import pandas as pd

from ..result import ConsolidationResult
from ..scenario import Scenario

__all__ = ["ReportData", "build_report"]


@dataclass
class ReportData:
    """Everything a report shows, as tables (contract column names; translated on output).

    Attributes
    ----------
    tables : dict
        ``{"platforms", "parks", "counties", "targets", "ranking", "quarterly", "admission",
        "problems"}`` → DataFrame (``ranking``, ``quarterly``, ``admission`` may be None).
    targets, ranking, admission :
        The library results behind the tables (:class:`~parkgeo.measure.TargetReport`,
        :class:`~parkgeo.measure.Ranking`, :class:`~parkgeo.measure.Admission`).
    result : ConsolidationResult
        The result measured (:func:`parkgeo.measure.common.result_of`).
    source : str
        Where the result came from.
    scenario : Scenario
    lang : str
        The language the explanations in the tables were written in.
    """

    tables: dict
    targets: object
    ranking: object
    admission: object
    result: ConsolidationResult
    source: str
    scenario: Scenario
    lang: str = "zh"


def build_report(result, *, scenario=None, year=None, weights=None, projects=None, lang="zh"):
    """Measure a consolidation result and gather the report's tables (problem lines as the
    measures wrote them; :func:`parkgeo.publish.report.build_report` words them in ``lang``).

    Parameters
    ----------
    result : ConsolidationResult, str, Path, Dataset or dict
        The consolidation result, its GeoPackage or its layers (see
        :func:`parkgeo.measure.common.result_of`).
    scenario : Scenario, optional
    year : int, optional
        The ranking year (default: the latest with a fourth quarter).
    weights : str, Path or dict, optional
        Ranking weights (see :func:`parkgeo.measure.ranking.load_weights`).
    projects : str, Path or GeoDataFrame, optional
        Projects to admit; default the result's ``projects`` layer.
    lang : {"zh", "en"}
        Language of the explanations in the tables (details, reasons, notes).

    Returns
    -------
    ReportData

    Examples
    --------
    >>> data = build_report("out/result.gpkg")                 # doctest: +SKIP
    >>> data.tables["counties"]                                # doctest: +SKIP
    """
    from .admission import admit_projects
    from .common import problems_frame, result_of
    from .ranking import rank_platforms
    from .targets import evaluate_targets

    res = result_of(result, scenario=scenario)
    # the thresholds and quotas the result was consolidated under, unless others are given
    scenario = scenario or res.scenario
    targets = evaluate_targets(res, scenario=scenario, lang=lang)
    ranking = None
    if res.layer("monitoring") is not None:
        ranking = rank_platforms(res, year=year, weights=weights, scenario=scenario,
                                 lang=lang)
    admission = None
    if projects is not None or res.layer("projects") is not None:
        admission = admit_projects(res, projects, scenario=scenario, lang=lang)
    tables = {
        "platforms": _platform_table(res),
        "parks": _park_table(res, lang),
        "counties": _county_table(res, targets, scenario),
        "targets": targets.table.drop(columns=["name"]),
        "ranking": ranking.table if ranking is not None else None,
        "quarterly": ranking.monitoring.changes() if ranking is not None else None,
        "admission": (pd.DataFrame(admission.table.drop(columns="geometry")).rename(
            columns={"decision": "admission", "status": "project_status"})
            if admission is not None else None),
    }
    problems = [targets.problems]
    if ranking is not None:
        problems.append(ranking.monitoring.problems)
    if admission is not None:
        problems.append(admission.problems)
    # problems the reader found in monitoring/projects that no measure reported
    problems.append(problems_frame(res.read_problems))
    frame = pd.concat([p for p in problems if p is not None and len(p)], ignore_index=True) \
        if any(p is not None and len(p) for p in problems) else problems_frame([])
    frame = frame.drop_duplicates(subset=["layer", "row", "id", "field", "rule"], keep="first")
    tables["problems"] = frame.reset_index(drop=True)
    return ReportData(tables=tables, targets=targets, ranking=ranking, admission=admission,
                      result=res, source=res.source, scenario=scenario,
                      lang=lang)


def _platform_table(res):
    p = res.layer("platforms")
    parks = res.layer("parks")
    frame = pd.DataFrame(p.drop(columns=p.geometry.name) if hasattr(p, "geometry") else p)
    if "sub_zone_ids" not in frame and parks is not None and \
            {"decision", "platform_id", "park_id"} <= set(parks.columns):
        subs = parks[parks["decision"] == "sub_zone"]
        ids = subs.groupby(subs["platform_id"].astype(str))["park_id"].apply(
            lambda s: ";".join(map(str, s)))
        frame["sub_zone_ids"] = frame["platform_id"].astype(str).map(ids).fillna("")
    order = ["platform_id", "name", "county", "main_zone_id", "n_sub_zones", "sub_zone_ids",
             "industries", "developable_mu", "industrial_va_100m", "industrial_output_100m",
             "tax_100m", "industrial_land_mu", "output_per_mu_10k", "tax_per_mu_10k",
             "high_tech_va_share", "rd_share", "listed_firms", "firms_over_10bn"]
    meets = sorted(c for c in frame.columns if c.startswith("meets_"))
    cols = [c for c in order if c in frame] + meets
    return frame[cols].reset_index(drop=True)


def _park_table(res, lang="zh"):
    p = res.layer("parks")
    frame = pd.DataFrame(p.drop(columns=p.geometry.name) if hasattr(p, "geometry") else p)
    if "reason" in frame or "reason_zh" in frame:
        frame["reason"] = _reasons(frame, lang)
    order = ["park_id", "name", "county", "town", "park_type", "industries", "decision",
             "platform_id", "reason", "developable_mu", "industrial_va_100m",
             "industrial_output_100m", "tax_100m", "industrial_land_mu"]
    frame = frame[[c for c in order if c in frame]]
    sort = [c for c in ("county", "decision", "platform_id", "park_id") if c in frame]
    return frame.sort_values(sort, kind="stable").reset_index(drop=True)


def _reasons(frame, lang):
    """The ``reason`` column in ``lang``: ``reason_zh`` in Chinese, row by row falling back to
    the English ``reason`` (results written before ``reason_zh`` existed have none)."""
    en = frame["reason"] if "reason" in frame else pd.Series("", index=frame.index)
    if lang != "zh" or "reason_zh" not in frame:
        return en
    zh = frame["reason_zh"].astype(object)
    has = zh.notna() & (zh.astype(str).str.strip() != "")
    return zh.where(has, en)


def _county_table(res, targets, scenario):
    from .targets import county_names

    zones, parks, platforms = res.layer("zones"), res.layer("parks"), res.layer("platforms")
    t = targets.table
    rows = []
    share = scenario.consolidate.exit_share
    # R11: the quota the consolidation computed and stored, per county (county_report)
    stored = {}
    report = res.layer("county_report")
    if report is not None and {"county", "quota"} <= set(report.columns):
        stored = {str(c): int(q) for c, q in zip(report["county"], report["quota"], strict=True)
                  if pd.notna(q)}
    for county in county_names(res):
        z = zones[zones["county"] == county] if zones is not None else []
        pk = parks[parks["county"] == county] if parks is not None else pd.DataFrame()
        dec = pk["decision"] if "decision" in pk else pd.Series(dtype=object)
        counted = int((dec != "excluded").sum())
        exits = int((dec == "exit").sum())

        def status(target, indicator=None, county=county):
            m = (t["scope"] == "county") & (t["id"] == county) & (t["target"] == target)
            if indicator:
                m &= t["indicator"] == indicator
            s = t.loc[m, "status"].tolist()
            if not s:
                return ""
            if "not met" in s:
                return "not met"
            return "no data" if "no data" in s else "met"

        t6 = t[(t["scope"] == "county") & (t["id"] == county) & (t["target"] == "T6")]
        rows.append({
            "county": county, "zones": len(z), "parks": counted,
            "excluded": int((dec == "excluded").sum()),
            "before": len(z) + counted,
            "platforms": int((platforms["county"] == county).sum()),
            "sub_zone_count": int((dec == "sub_zone").sum()),
            "exits": exits, "quota": stored.get(county, math.ceil(round(share * counted, 9))),
            "exit_share": exits / counted if counted else math.nan,
            "R3": status("R3"), "R11": status("R11"),
            "large_projects": t6["figure"].iloc[0] if len(t6) else math.nan,
            "T6": status("T6"),
        })
    frame = pd.DataFrame(rows)
    frame["large_projects"] = frame["large_projects"].astype("Float64").round().astype("Int64")
    return frame


