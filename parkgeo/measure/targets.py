"""The 2020 targets of the plan, measured on a consolidation result (T1–T6, R3, R11).

Per major platform: T1 (leading chains and featured industries), T2 (high-tech and R&D
shares), T3 (output and tax per mu), T4 (value added, firms over 100亿元, listed firms).
City-wide: T5 (platforms with output over 1,000亿元). Per county: R3 (platform count), R11
(exit share) and T6 (large projects attracted).

Each check is one row of a tidy table with the figure, the threshold, the gap (how far short,
in the figure's unit; 0 when met) and a status ``met``, ``not met`` or ``no data``. A figure
built from incomplete data — a sub-zone without a tax figure, a project without a status — is
``no data`` unless the known part already meets an additive target (three listed firms are
three listed firms, whatever the others have); the detail says what is missing.
"""

from __future__ import annotations

import functools
import math
from dataclasses import dataclass, field

import pandas as pd

from ..scenario import Scenario
from .common import (
    DataProblem,
    division_of,
    pick,
    platform_members,
    problems_frame,
    result_of,
    split_codes,
)

__all__ = ["evaluate_targets", "TargetReport", "MET", "NOT_MET", "NO_DATA", "TARGET_COLUMNS",
           "large_projects", "target_readings"]

MET, NOT_MET, NO_DATA = "met", "not met", "no data"

TARGET_COLUMNS = ["scope", "id", "name", "target", "indicator", "figure", "comparison",
                  "threshold", "unit", "gap", "status", "detail"]


@dataclass(frozen=True)
class TargetReport:
    """The targets measured on one result.

    Attributes
    ----------
    table : DataFrame
        One row per check: ``scope`` (``platform``, ``county``, ``city``), ``id``, ``name``,
        ``target`` (``T1`` … ``T6``, ``R3``, ``R11``), ``indicator``, ``figure``,
        ``comparison`` (``>=`` or ``<=``), ``threshold``, ``unit``, ``gap``, ``status`` and
        ``detail``.
    readings : tuple of str
        The readings of the plan the checks used (thresholds, definitions), for reports.
    problems : DataFrame
        Rows of the ``projects`` layer that could not be counted for T6, with the reason.
    """

    table: pd.DataFrame = field(compare=False)
    readings: tuple = ()
    problems: pd.DataFrame = field(default=None, compare=False)

    def summary(self):
        """Counts of ``met`` / ``not met`` / ``no data`` per target (a DataFrame)."""
        counts = self.table.groupby(["target", "status"]).size().unstack(fill_value=0)
        for s in (MET, NOT_MET, NO_DATA):
            if s not in counts:
                counts[s] = 0
        return counts[[MET, NOT_MET, NO_DATA]]

    def status(self, scope, id, target, indicator=None):
        """The statuses of the checks matching ``scope``, ``id``, ``target`` (and indicator)."""
        t = self.table
        mask = (t["scope"] == scope) & (t["id"] == id) & (t["target"] == target)
        if indicator is not None:
            mask &= t["indicator"] == indicator
        return t.loc[mask, "status"].tolist()


def _check(rows, scope, id_, name, target, indicator, figure, op, threshold, unit, detail="",
           *, complete=True, additive=False):
    """Append one check; ``complete=False`` marks a figure built from incomplete data."""
    figure = float(figure) if figure is not None and not pd.isna(figure) else math.nan
    if math.isnan(figure):
        status, gap = NO_DATA, math.nan
    else:
        ok = figure >= threshold - 1e-9 if op == ">=" else figure <= threshold + 1e-9
        gap = 0.0 if ok else abs(threshold - figure)
        status = MET if ok else NOT_MET
        if not complete and not (additive and ok):
            status, gap = NO_DATA, math.nan
    rows.append({"scope": scope, "id": id_, "name": name, "target": target,
                 "indicator": indicator, "figure": figure, "comparison": op,
                 "threshold": float(threshold), "unit": unit, "gap": gap, "status": status,
                 "detail": detail})


def _missing_members(members, column):
    """Member ids of one platform lacking ``column``."""
    if column not in members:
        return list(members["member_id"])
    return list(members.loc[members[column].isna(), "member_id"])


def _coverage_note(missing, column, lang="en"):
    if not missing:
        return ""
    shown = ", ".join(missing[:5]) + (" …" if len(missing) > 5 else "")
    return pick(lang, f"no {column} for {len(missing)} member(s): {shown}",
                f"{len(missing)} 个开发区/园区缺少 {column}:{shown}")


def _join(*parts):
    return "; ".join(p for p in parts if p)


def division_shares(members):
    """Share of value added of each GB/T 4754 division across ``members``.

    Each member's value added is split equally over the divisions its ``industries`` name
    (parkgeo's reading: the data carries no per-industry value added). Codes naming only a
    section (``C``) go to ``"unattributed"``.

    Returns
    -------
    (Series, list)
        Shares sorted descending, and the member ids lacking value added or industries.
    """
    totals, missing = {}, []
    for mid, va, ind in zip(members["member_id"], members["industrial_va_100m"],
                            members["industries"], strict=False):
        codes = split_codes(ind)
        if pd.isna(va) or not codes:
            missing.append(mid)
            continue
        divs = list(dict.fromkeys(division_of(c) or "unattributed" for c in codes))
        for d in divs:
            totals[d] = totals.get(d, 0.0) + float(va) / len(divs)
    s = pd.Series(totals, dtype=float)
    total = s.sum()
    if total > 0:
        s = s / total
    return s.sort_values(ascending=False, kind="stable"), missing


def leading_and_featured(shares, t):
    """T1: the top divisions (at most two: the plan's "1–2") with ≥ ``leading_share`` lead;
    the other divisions with ≥ ``featured_share`` are featured."""
    ranked = [(d, s) for d, s in shares.items() if d != "unattributed"]
    leading = [d for d, s in ranked if s >= t.leading_share][:2]
    featured = [d for d, s in ranked if d not in leading and s >= t.featured_share]
    return leading, featured


def large_projects(layers, scenario):
    """T6: each project's county and whether it counts as a large project.

    Returns
    -------
    (DataFrame, list of DataProblem)
        ``project_id``, ``county``, ``large`` (True / False / NA when unknown), ``why``.
    """
    res = result_of(layers)
    t = scenario.targets
    projects = res.layer("projects")
    problems = []
    if projects is None:
        empty = pd.DataFrame({"project_id": [], "county": [], "why": []})
        empty["large"] = pd.array([], dtype="boolean")
        return empty, problems
    county = _project_counties(res, projects)
    rows = []
    for pos, (idx, rec) in enumerate(projects.iterrows(), start=1):
        pid = str(rec.get("project_id", f"#{pos}"))
        status = rec.get("status")
        inv = rec.get("investment_10k_yuan")
        year = rec.get("year")
        unknown = []
        if not (isinstance(status, str) and status):
            unknown.append("status")
        if pd.isna(inv):
            unknown.append("investment_10k_yuan")
        if pd.isna(year):
            unknown.append("year")
        # a project is surely not large when any known fact rules it out
        out = ((isinstance(status, str) and status != "signed")
               or (not pd.isna(inv) and float(inv) < t.t6_min_investment_10k)
               or (not pd.isna(year) and not t.t6_from_year <= int(year) <= t.t6_to_year))
        if out:
            large, why = False, ""
        elif unknown:
            large, why = pd.NA, "unknown " + ", ".join(unknown)
            for f in unknown:
                problems.append(DataProblem("projects", pos, pid, f, "missing_value",
                                            f"T6: {f} is empty, so it is unknown whether the "
                                            "project counts as a large project",
                                            "counted as unknown (T6 'no data' unless met)"))
        else:
            large, why = True, ""
        c = county.get(idx)
        if c is None and large is not False:
            problems.append(DataProblem("projects", pos, pid, "geometry", "no_county",
                                        "T6: the project lies in no county (no geometry, or "
                                        "outside every county, zone and park)",
                                        "not counted for any county"))
        rows.append({"project_id": pid, "county": c, "large": large, "why": why})
    frame = pd.DataFrame(rows, columns=["project_id", "county", "large", "why"])
    frame["large"] = frame["large"].astype("boolean")
    return frame, problems


def _project_counties(res, projects):
    """``{projects index: county}``: a ``county`` field, else the county (or zone/park) polygon."""
    import geopandas as gpd

    out = {}
    if "county" in projects.columns:
        for idx, c in projects["county"].items():
            if isinstance(c, str) and c.strip():
                out[idx] = c.strip()
    if not isinstance(projects, gpd.GeoDataFrame) or projects.crs is None:
        return out
    todo = projects[[i not in out for i in projects.index]]
    todo = todo[todo.geometry.notna() & ~todo.geometry.is_empty]
    for layer, name_field in (("counties", "name"), ("zones", "county"), ("parks", "county")):
        if todo.empty:
            break
        polys = res.layer(layer)
        if not isinstance(polys, gpd.GeoDataFrame) or name_field not in polys or polys.crs is None:
            continue
        # point-in-polygon is topological: any common CRS gives the same answer
        pts = todo.to_crs(polys.crs)
        pts = gpd.GeoDataFrame(geometry=pts.geometry.representative_point(), crs=polys.crs)
        hit = gpd.sjoin(pts, polys[[name_field, "geometry"]], how="inner", predicate="within")
        hit = hit[~hit.index.duplicated(keep="first")]
        for idx, c in hit[name_field].items():
            if isinstance(c, str):
                out[idx] = c
        todo = todo[[i not in out for i in todo.index]]
    return out


def evaluate_targets(result, *, scenario=None, lang="en"):
    """Measure the 2020 targets (T1–T6) and the county checks R3 and R11 on a result.

    Parameters
    ----------
    result : ConsolidationResult, str, Path, Dataset or dict
        The consolidation result: ``platforms``, ``zones``, ``parks`` (with ``decision`` and
        ``platform_id``), optionally ``counties`` and ``projects``.
    scenario : Scenario, optional
        Thresholds (``scenario.targets``, ``scenario.consolidate.exit_share``, per-county R3
        exceptions). Defaults to the plan's numbers.
    lang : {"en", "zh"}
        Language of the ``detail`` texts (and of :attr:`TargetReport.readings`).

    Returns
    -------
    TargetReport

    Examples
    --------
    >>> rep = evaluate_targets("out/result.gpkg")                      # doctest: +SKIP
    >>> rep.table.query("target == 'T3'")[["id", "indicator", "figure", "status"]]  # doctest: +SKIP
    """
    res = result_of(result, scenario=scenario)
    scenario = scenario or res.scenario
    t = scenario.targets
    platforms = res.layer("platforms")
    if platforms is None:
        from ..errors import SchemaError

        raise SchemaError("layer 'platforms' is missing: targets are measured on the result of "
                          "'parkgeo integrate'", path=res.path)
    members = platform_members(res)
    rows = []
    names = dict(zip(platforms["platform_id"].astype(str), platforms.get("name", platforms[
        "platform_id"]).astype(str), strict=False))

    def pf(rec, col):
        return float(rec[col]) if col in rec and not pd.isna(rec[col]) else math.nan

    for _, rec in platforms.iterrows():
        pid = str(rec["platform_id"])
        name = names[pid]
        m = members[members["platform_id"] == pid]
        has_members = len(m) > 0
        row = functools.partial(_check, rows, "platform", pid, name)

        # T1 ---------------------------------------------------------------------------------
        shares, missing = division_shares(m) if has_members else (pd.Series(dtype=float), [])
        top = ", ".join(f"{d} {s:.0%}" for d, s in shares.head(5).items())
        leading, featured = leading_and_featured(shares, t)
        complete = has_members and not missing
        note = _coverage_note(missing, pick(lang, "value added or industries", "增加值或产业代码"),
                              lang)
        if not has_members:
            note = pick(lang, "no member zones or parks found for the platform",
                        "未找到该平台的开发区或园区")
        none = pick(lang, "none", "无")
        n_lead = len(leading) if has_members and len(shares) else math.nan
        n_feat = len(featured) if has_members and len(shares) else math.nan
        row("T1", "leading_chains", n_lead, ">=", t.leading_chains, "divisions",
            _join(pick(lang, f"divisions ≥ {t.leading_share:.0%} of value added: ",
                       f"增加值占比 ≥ {t.leading_share:.0%} 的行业大类:")
                  + (", ".join(leading) or none),
                  pick(lang, "top: ", "前五:") + top if top else "", note),
            complete=complete)
        row("T1", "featured_industries", n_feat, ">=", t.featured_industries, "divisions",
            _join(pick(lang, f"other divisions ≥ {t.featured_share:.0%}: ",
                       f"其他占比 ≥ {t.featured_share:.0%} 的行业大类:")
                  + (", ".join(featured) or none), note), complete=complete)

        # T2 ---------------------------------------------------------------------------------
        for col, thr in (("high_tech_va_share", t.high_tech_share), ("rd_share", t.rd_share)):
            miss = _missing_members(m, col) if has_members else []
            fig = pf(rec, col)
            if has_members and len(miss) == len(m):
                fig = math.nan
            row("T2", col, fig, ">=", thr, "share", _join(
                pick(lang, "value-added-weighted over the platform's members",
                     "按开发区/园区增加值加权"), _coverage_note(miss, col, lang)),
                complete=not miss)

        # T3 ---------------------------------------------------------------------------------
        land = pf(rec, "industrial_land_mu")
        for col, per_mu_col, thr in (
                ("industrial_output_100m", "output_per_mu_10k", t.output_per_mu_10k),
                ("tax_100m", "tax_per_mu_10k", t.tax_per_mu_10k)):
            total = pf(rec, col)
            miss = _missing_members(m, col) if has_members else []
            if has_members and len(miss) == len(m):
                total = math.nan
            if land > 0:
                fig = total * 1e4 / land
                how = "" if math.isnan(total) else pick(
                    lang, f"{total:g} 100m yuan ÷ {land:,.0f} mu of industrial land",
                    f"{total:g} 亿元 ÷ 工业用地 {land:,.0f} 亩")
            else:  # no land figure: the platform layer's own per-mu figure, if it has one
                fig = math.nan if math.isnan(total) else pf(rec, per_mu_col)
                how = pick(lang, "no industrial land figure", "无工业用地数据")
            row("T3", per_mu_col, fig, ">=", thr, "万元/mu",
                _join(how, _coverage_note(miss, col, lang)), complete=not miss)

        # T4 ---------------------------------------------------------------------------------
        for col, thr, unit in (("industrial_va_100m", t.va_100m, "亿元"),
                               ("firms_over_10bn", t.firms_over_10bn, "firms"),
                               ("listed_firms", t.listed_firms, "firms")):
            miss = _missing_members(m, col) if has_members else []
            fig = pf(rec, col)
            if has_members and len(miss) == len(m):
                fig = math.nan
            row("T4", col, fig, ">=", thr, unit, _coverage_note(miss, col, lang),
                complete=not miss, additive=True)

    # T5 (city) ------------------------------------------------------------------------------
    big, unknown = [], []
    for _, rec in platforms.iterrows():
        pid = str(rec["platform_id"])
        out = rec.get("industrial_output_100m")
        m = members[members["platform_id"] == pid]
        partial = len(m) > 0 and m["industrial_output_100m"].isna().any()
        if pd.isna(out) or (len(m) and m["industrial_output_100m"].isna().all()):
            unknown.append(pid)
        elif float(out) >= t.t5_output_100m:
            big.append(pid)
        elif partial:
            unknown.append(pid)
    _check(rows, "city", "city", pick(lang, "city-wide", "全市"), "T5",
           "platforms_over_output", len(big), ">=", t.t5_platforms, "platforms",
           _join(pick(lang, f"output ≥ {t.t5_output_100m:,.0f} 100m yuan: ",
                      f"产值 ≥ {t.t5_output_100m:,.0f} 亿元:")
                 + (", ".join(big) or pick(lang, "none", "无")),
                 pick(lang, "output unknown or incomplete: ", "产值未知或不全:")
                 + ", ".join(unknown) if unknown else ""),
           complete=not unknown, additive=True)

    # per county: R3, R11, T6 ------------------------------------------------------------------
    counties = county_names(res)
    parks = res.layer("parks")
    zones = res.layer("zones")
    proj, problems = large_projects(res, scenario)
    share = scenario.consolidate.exit_share
    for county in counties:
        crow = functools.partial(_check, rows, "county", county, county)
        # R3
        n = int((platforms["county"] == county).sum()) if "county" in platforms else 0
        rule = scenario.county(county)
        crow("R3", "platforms_at_least", n, ">=", 1, "platforms",
             pick(lang, "each county keeps at least one major platform",
                  "每个县(市、区)至少保留一个重大平台"))
        crow("R3", "platforms_at_most", n, "<=", rule.max_platforms, "platforms",
             pick(lang, f"granted {rule.max_platforms}: {rule.reason}",
                  f"情景允许 {rule.max_platforms} 个:{rule.reason}") if rule.reason else
             pick(lang, f"at most {rule.max_platforms} without a stated reason",
                  f"未说明理由时最多 {rule.max_platforms} 个"))
        # R11
        if parks is None or "decision" not in parks or "county" not in parks:
            crow("R11", "exit_share", math.nan, ">=", share, "share",
                 pick(lang, "parks carry no decision: not a consolidation result",
                      "园区没有整合结果(decision)"))
        else:
            p = parks[parks["county"] == county]
            base = p[p["decision"] != "excluded"]
            exits = int((base["decision"] == "exit").sum())
            nb = len(base)
            if nb == 0:
                crow("R11", "exit_share", math.nan, ">=", share, "share",
                     pick(lang, "the county has no parks other than development zones",
                          "该县(市、区)除开发区外没有园区"))
            else:
                quota = math.ceil(round(share * nb, 9))
                fig = exits / nb
                detail = pick(lang, f"{exits} of {nb} parks exit; ",
                              f"{nb} 个园区中退出 {exits} 个;配额 ") + \
                    pick(lang, "quota ", "") + f"⌈{share:.0%} × {nb}⌉ = {quota}"
                # exits / n ≥ share ⟺ exits ≥ ⌈share × n⌉ (the check's tolerance absorbs rounding)
                crow("R11", "exit_share", fig, ">=", share, "share", detail)
        # T6
        national = zones is not None and "level" in zones and bool(
            ((zones["county"] == county) & (zones["level"] == "national")).any())
        need = t.t6_projects_national if national else t.t6_projects_other
        kind = pick(lang, "has a national zone", "有国家级开发区") if national else \
            pick(lang, "no national zone", "无国家级开发区")
        if res.layer("projects") is None:
            crow("T6", "large_projects", math.nan, ">=", need, "projects",
                 _join(kind, pick(lang, "no projects layer", "无项目表(projects)")))
            continue
        mine = proj[proj["county"] == county]
        known = int(mine["large"].fillna(False).sum())
        unsure = int(mine["large"].isna().sum())
        unplaced = int((proj["county"].isna() & proj["large"].fillna(True)).sum())
        detail = _join(kind, pick(
            lang, f"signed in {t.t6_from_year}–{t.t6_to_year} with investment ≥ "
                  f"{t.t6_min_investment_10k:,.0f} 10k yuan",
            f"{t.t6_from_year}–{t.t6_to_year}年签约且总投资 ≥ {t.t6_min_investment_10k:,.0f} 万元"),
            pick(lang, f"{unsure} project(s) of unknown size or status",
                 f"{unsure} 个项目规模或状态不明") if unsure else "",
            pick(lang, f"{unplaced} project(s) in no county",
                 f"{unplaced} 个项目不在任何县(市、区)内") if unplaced else "")
        crow("T6", "large_projects", known, ">=", need, "projects", detail,
             complete=not (unsure or unplaced), additive=True)

    table = pd.DataFrame(rows, columns=TARGET_COLUMNS)
    readings = target_readings(scenario, lang)
    return TargetReport(table=table, readings=readings, problems=problems_frame(problems))


def county_names(res):
    names = []
    for layer, col in (("counties", "name"), ("zones", "county"), ("parks", "county"),
                       ("platforms", "county")):
        frame = res.layer(layer)
        if frame is not None and col in frame:
            names += [c for c in frame[col].tolist() if isinstance(c, str) and c]
    return list(dict.fromkeys(names))


def target_readings(scenario=None, lang="en"):
    """The readings of the plan the target checks use, one sentence per rule, for reports.

    >>> target_readings(lang="zh")[2]
    'T3:规上工业亩均产出 ≥ 500 万元/亩,亩均税收 ≥ 30 万元/亩(按工业用地计)。'
    """
    s = scenario or Scenario()
    t, c = s.targets, s.consolidate
    if lang == "zh":
        return (
            f"T1:平台增加值按GB/T 4754行业大类分摊(每个开发区/园区的增加值在其所列大类间平均分摊);"
            f"占比 ≥ {t.leading_share:.0%} 的大类为领跑产业链(最多两个,即方案的“1~2个”),其他占比 ≥ "
            f"{t.featured_share:.0%} 的大类为特色产业(parkgeo的口径);目标分别 ≥ {t.leading_chains}"
            f" 个和 ≥ {t.featured_industries} 个。",
            f"T2:高新技术产业增加值占比 ≥ {t.high_tech_share:.0%},R&D占比 ≥ {t.rd_share:.0%},"
            "按增加值加权。",
            f"T3:规上工业亩均产出 ≥ {t.output_per_mu_10k:g} 万元/亩,亩均税收 ≥ "
            f"{t.tax_per_mu_10k:g} 万元/亩(按工业用地计)。",
            f"T4:规上工业增加值 ≥ {t.va_100m:g} 亿元,百亿企业 ≥ {t.firms_over_10bn} 家,上市企业 ≥ "
            f"{t.listed_firms} 家。",
            f"T5:全市产值超 {t.t5_output_100m:,.0f} 亿元的重大平台 ≥ {t.t5_platforms} 个。",
            f"R3:每个县(市、区)1~{c.max_platforms} 个重大平台;情景中说明理由的,最多 "
            f"{c.max_platforms_limit} 个。",
            f"R11:每个县(市、区)至少退出 ⌈{c.exit_share:.0%} × 园区数⌉ 个园区"
            "(未纳入整合的特色小镇不计)。",
            f"T6:大项目指 {t.t6_from_year}–{t.t6_to_year} 年签约、总投资 ≥ "
            f"{t.t6_min_investment_10k:,.0f} 万元的项目(parkgeo的口径:方案未界定“大项目”);有国家级"
            f"开发区的县 ≥ {t.t6_projects_national} 个,其他 ≥ {t.t6_projects_other} 个。",
            "数据不全时结果为“无数据”,除非已知部分已达到可累加的目标。",
        )
    return (
        f"T1: a platform's value added is split over GB/T 4754 divisions (each member's equally "
        f"over the divisions it lists); a leading chain is a division with ≥ {t.leading_share:.0%}"
        f" of it (at most two, the plan's 1–2), a featured industry another division with ≥ "
        f"{t.featured_share:.0%} (parkgeo's reading); targets ≥ {t.leading_chains} and "
        f"≥ {t.featured_industries}.",
        f"T2: high-tech share ≥ {t.high_tech_share:.0%}, R&D share ≥ {t.rd_share:.0%}, "
        "value-added-weighted over the platform's members.",
        f"T3: output ≥ {t.output_per_mu_10k:g} 10k yuan/mu and tax ≥ {t.tax_per_mu_10k:g} "
        "10k yuan/mu "
        "of industrial land.",
        f"T4: value added ≥ {t.va_100m:g} 100m yuan, ≥ {t.firms_over_10bn} firm(s) with revenue "
        "over 10bn yuan, "
        f"≥ {t.listed_firms} listed firms.",
        f"T5: ≥ {t.t5_platforms} platforms with output ≥ {t.t5_output_100m:,.0f} 100m yuan "
        "city-wide.",
        f"R3: 1–{c.max_platforms} platforms per county; up to {c.max_platforms_limit} where the "
        "scenario grants it with a reason.",
        f"R11: at least ⌈{c.exit_share:.0%} × n⌉ of a county's parks exit (characteristic towns "
        "left out of the consolidation do not count).",
        f"T6: a large project is signed in {t.t6_from_year}–{t.t6_to_year} with investment ≥ "
        f"{t.t6_min_investment_10k:,.0f} 10k yuan (parkgeo's reading: the plan does not define "
        f"'large'); ≥ {t.t6_projects_national} in a county with a national zone, else "
        f"≥ {t.t6_projects_other}.",
        "A figure built from incomplete data is 'no data' unless its known part already meets "
        "an additive target.",
    )
