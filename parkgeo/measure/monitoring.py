"""Quarterly monitoring of major platforms (R15): the ``monitoring`` table checked and shaped.

Each row of ``monitoring`` holds one platform's figures for one quarter (``period`` such as
``2019Q1``). Figures are per quarter, not year-to-date. Rows may name the platform
(``platform_id``) or a member (``zone_id`` / ``park_id``), in which case the members' figures
are added up per platform (shares weighted by value added).

Bad rows are reported, never dropped in silence: an unknown platform, a period that is not a
quarter, out of sequence or repeated, a negative or missing figure each give a problem line
with the row (1-based position in the layer) and the field, and the action taken.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from .common import DataProblem, pick, problems_frame, result_of

__all__ = ["INDICATORS", "check_monitoring", "MonitoringData", "parse_period"]

#: monitoring indicators: (unit, how a year is made of four quarters)
#: ``sum`` for flows, ``mean`` for stocks, ``weighted`` for value-added-weighted shares
INDICATORS = {
    "industrial_output_100m": ("亿元", "sum"),
    "industrial_va_100m": ("亿元", "sum"),
    "tax_100m": ("亿元", "sum"),
    "industrial_land_mu": ("mu", "mean"),
    "employees": ("persons", "mean"),
    "energy_tce": ("tce", "sum"),
    "emissions_t": ("t", "sum"),
    "rd_share": ("share", "weighted"),
    "high_tech_va_share": ("share", "weighted"),
    "investment_100m": ("亿元", "sum"),
    "large_projects": ("projects", "sum"),
}

#: Chinese names of the monitoring fields, for the problems' messages in Chinese
FIELD_ZH = {
    "industrial_output_100m": "规上工业总产值", "industrial_va_100m": "规上工业增加值",
    "tax_100m": "税收", "industrial_land_mu": "工业用地", "employees": "从业人员",
    "energy_tce": "能耗", "emissions_t": "排放", "rd_share": "R&D占比",
    "high_tech_va_share": "高新技术产业增加值占比", "investment_100m": "投资",
    "large_projects": "大项目", "platform_id": "平台编号", "zone_id": "开发区编号",
    "park_id": "园区编号", "period": "季度",
}


def _zh(field):
    return FIELD_ZH.get(field, field)


_PERIOD = re.compile(r"^\s*(\d{4})\s*[-_ ]?\s*[Qq]([1-4])\s*$")


def parse_period(text):
    """``(year, quarter)`` of a period such as ``2019Q1`` (also ``2019-Q1``, ``2019q1``); None
    when it is not one."""
    if not isinstance(text, str):
        if isinstance(text, float) and math.isnan(text):
            return None
        text = str(text)
    m = _PERIOD.match(text)
    return (int(m.group(1)), int(m.group(2))) if m else None


def _label(q):
    """``2019Q1`` from a quarter number ``year * 4 + quarter - 1``."""
    return f"{q // 4}Q{q % 4 + 1}"


@dataclass(frozen=True)
class MonitoringData:
    """The checked quarterly series.

    Attributes
    ----------
    wide : DataFrame
        One row per platform and quarter, on a complete run of quarters from each platform's
        first to its last (a quarter with no row is all NaN), indexed by ``platform_id`` and
        ``period``; one column per indicator.
    problems : DataFrame
        The problem lines (layer, row, id, field, rule, message, action).
    """

    wide: pd.DataFrame = field(compare=False)
    problems: pd.DataFrame = field(compare=False)

    @property
    def platforms(self):
        """The platform ids that have series."""
        return list(dict.fromkeys(self.wide.index.get_level_values("platform_id")))

    def changes(self):
        """Every indicator's value with its quarter-on-quarter and year-on-year change.

        Returns
        -------
        DataFrame
            ``platform_id``, ``period``, ``indicator``, ``unit``, ``value``, ``qoq`` and ``yoy``
            (relative changes: 0.05 is +5%; NaN where the earlier quarter is missing or 0).
        """
        out = []
        for pid, g in self.wide.groupby(level="platform_id", sort=False):
            g = g.droplevel("platform_id")
            for ind in INDICATORS:
                if ind not in g:
                    continue
                v = g[ind].astype(float)
                prev, last_year = v.shift(1), v.shift(4)
                qoq = (v - prev) / prev.where(prev != 0)
                yoy = (v - last_year) / last_year.where(last_year != 0)
                out.append(pd.DataFrame({"platform_id": pid, "period": g.index,
                                         "indicator": ind, "unit": INDICATORS[ind][0],
                                         "value": v.to_numpy(), "qoq": qoq.to_numpy(),
                                         "yoy": yoy.to_numpy()}))
        cols = ["platform_id", "period", "indicator", "unit", "value", "qoq", "yoy"]
        if not out:
            return pd.DataFrame(columns=cols)
        return pd.concat(out, ignore_index=True)[cols]

    def years(self):
        """The years with at least one quarter of data, ascending."""
        periods = self.wide.index.get_level_values("period")
        return sorted({int(p[:4]) for p in periods})

    def year_end(self, year):
        """Each platform's figures for ``year`` from its four quarters.

        Flows are summed, stocks (land, employees) averaged, shares weighted by the quarter's
        value added. A figure needs all four quarters; otherwise it is NaN and ``missing``
        names the quarters lacking.

        Returns
        -------
        (DataFrame, DataFrame)
            Figures indexed by ``platform_id`` (one column per indicator), and the missing
            figures: ``platform_id``, ``indicator``, ``reason``.
        """
        quarters = [f"{year}Q{q}" for q in range(1, 5)]
        rows, missing = {}, []
        for pid in self.platforms:
            g = self.wide.xs(pid, level="platform_id").reindex(quarters)
            rec = {}
            for ind, (_, how) in INDICATORS.items():
                if ind not in g:
                    rec[ind] = math.nan
                    missing.append((pid, ind, "no such field in the monitoring table"))
                    continue
                v = g[ind].astype(float)
                lacking = [q for q, x in v.items() if pd.isna(x)]
                if how == "weighted":
                    va = g["industrial_va_100m"].astype(float) if "industrial_va_100m" in g \
                        else pd.Series(np.nan, index=g.index)
                    lacking += [f"{q} value added" for q, x in va.items() if pd.isna(x)]
                if lacking:
                    rec[ind] = math.nan
                    missing.append((pid, ind, "no figure for " + ", ".join(lacking)))
                    continue
                if how == "sum":
                    rec[ind] = float(v.sum())
                elif how == "mean":
                    rec[ind] = float(v.mean())
                else:
                    rec[ind] = float((v * va).sum() / va.sum()) if va.sum() > 0 else float(
                        v.mean())
            rows[pid] = rec
        figures = pd.DataFrame.from_dict(rows, orient="index", columns=list(INDICATORS))
        figures.index.name = "platform_id"
        return figures, pd.DataFrame(missing, columns=["platform_id", "indicator", "reason"])


def _member_map(res):
    """``{zone_id or park_id: platform_id}`` from a result's platforms and parks."""
    out = {}
    platforms = res.layer("platforms")
    if platforms is not None and "main_zone_id" in platforms:
        out.update({str(z): str(p) for z, p in zip(platforms["main_zone_id"],
                                                  platforms["platform_id"], strict=False)})
    parks = res.layer("parks")
    if parks is not None and {"decision", "platform_id", "park_id"} <= set(parks.columns):
        subs = parks[parks["decision"] == "sub_zone"]
        out.update({str(k): str(p) for k, p in zip(subs["park_id"], subs["platform_id"],
                                                  strict=True)})
    return out


def _known_platforms(res):
    platforms = res.layer("platforms")
    if platforms is not None and "platform_id" in platforms:
        return [str(p) for p in platforms["platform_id"]]
    zones = res.layer("zones")  # an input dataset: a platform is named by its main zone's id
    if zones is not None and "zone_id" in zones:
        return [str(z) for z in zones["zone_id"]]
    return None


def _text(v):
    if v is None or v is pd.NA or (isinstance(v, float) and math.isnan(v)):
        return None
    t = str(v).strip()
    return t or None


def check_monitoring(source, *, scenario=None, lang="en"):
    """Check the ``monitoring`` table of a result or dataset and shape it into series.

    Parameters
    ----------
    source : ConsolidationResult, str, Path, Dataset or dict
        A consolidation result (platform ids from ``platforms``; rows naming a member zone or
        sub-zone are credited to its platform) or an input dataset (platform ids are zone
        ids). Must have a ``monitoring`` layer.
    scenario : Scenario, optional
        Supplies field mappings when ``source`` is a path.
    lang : {"en", "zh"}
        Language of the problems' messages and actions.

    Returns
    -------
    MonitoringData

    Raises
    ------
    SchemaError
        No ``monitoring`` layer, or it has no ``period`` or platform field.

    Examples
    --------
    >>> mon = check_monitoring("out/result.gpkg")              # doctest: +SKIP
    >>> mon.changes().query("indicator == 'tax_100m'").head()  # doctest: +SKIP
    """
    from ..errors import SchemaError

    res = result_of(source, scenario=scenario)
    table = res.layer("monitoring")
    if table is None:
        raise SchemaError("layer 'monitoring' is missing: quarterly monitoring (R15) needs a "
                          "table with platform_id, period and the quarterly figures",
                          path=res.path, layer="monitoring")
    if "period" not in table:
        raise SchemaError("field 'period' is missing (expected quarters such as 2019Q1)",
                          path=res.path, layer="monitoring", field="period")
    id_cols = [c for c in ("platform_id", "zone_id", "park_id") if c in table]
    if not id_cols:
        raise SchemaError("monitoring rows need 'platform_id' (or 'zone_id'/'park_id')",
                          path=res.path, layer="monitoring", field="platform_id")
    problems = list(res.read_problems)
    problems = [p for p in problems if p.layer == "monitoring"]
    reported = {(p.row, p.field) for p in problems}

    def problem(row, pid, fld, rule, msg, action):
        # one line per cell: the reader may already have reported this one
        if row is not None:
            if (row, fld) in reported:
                return
            reported.add((row, fld))
        problems.append(DataProblem("monitoring", row, pid, fld, rule, msg, action))

    left_out = pick(lang, "row left out", "该行未采用")
    missing = pick(lang, "value treated as missing", "该值按缺失处理")
    known = _known_platforms(res)
    known_set = set(known) if known is not None else None
    members = _member_map(res)
    indicators = [c for c in INDICATORS if c in table]
    for c in INDICATORS:
        if c not in table:
            problem(None, None, c, "missing_field",
                    pick(lang, f"the monitoring table has no '{c}' field",
                         f"季度监测表没有“{_zh(c)}”字段"),
                    pick(lang, "indicator reported as no data", "该指标记为无数据"))

    recs = []
    last_q = {}
    seen = {}
    for pos, (_, r) in enumerate(table.iterrows(), start=1):
        pid, how = None, None
        for c in id_cols:
            v = _text(r[c])
            if v is not None:
                pid, how = v, c
                break
        if pid is None:
            problem(pos, None, id_cols[0], "missing_value",
                    pick(lang, "the row names no platform", "该行未填写平台"), left_out)
            continue
        if how == "platform_id":
            target = pid if known_set is None or pid in known_set else None
        else:
            target = members.get(pid) if members else (pid if known_set and pid in known_set
                                                       else None)
        if target is None:
            what = "major platform" if how == "platform_id" else \
                "main zone or sub-zone of a major platform"
            what_zh = "重大平台" if how == "platform_id" else "重大平台的主平台或分区"
            hint = f"; known platforms: {', '.join(known[:8])}" if known else ""
            hint_zh = f";已知平台:{'、'.join(known[:8])}" if known else ""
            problem(pos, pid, how, "unknown_platform",
                    pick(lang, f"'{pid}' is not a known {what}{hint}",
                         f"“{pid}”不是已知的{what_zh}{hint_zh}"), left_out)
            continue
        period = parse_period(r["period"])
        if period is None:
            problem(pos, target, "period", "bad_period",
                    pick(lang, f"'{r['period']}' is not a quarter such as 2019Q1",
                         f"“{r['period']}”不是季度(应如2019Q1)"), left_out)
            continue
        q = period[0] * 4 + period[1] - 1
        key = (target, q, pid)
        if key in seen:
            problem(pos, target, "period", "duplicate_period",
                    pick(lang, f"{_label(q)} of '{pid}' already given in row {seen[key]}",
                         f"“{pid}”的{_label(q)}已在第{seen[key]}行给出"), left_out)
            continue
        seen[key] = pos
        if target in last_q and q < last_q[target][0]:
            problem(pos, target, "period", "period_out_of_sequence",
                    pick(lang, f"{_label(q)} comes after {_label(last_q[target][0])} (row "
                         f"{last_q[target][1]})",
                         f"{_label(q)}排在{_label(last_q[target][0])}(第{last_q[target][1]}行)"
                         "之后"),
                    pick(lang, "kept, put in its place in the series", "保留,按季度顺序排列"))
        if target not in last_q or q > last_q[target][0]:
            last_q[target] = (q, pos)
        rec = {"platform_id": target, "q": q, "_row": pos}
        for c in indicators:
            x = pd.to_numeric(pd.Series([r[c]]), errors="coerce").iloc[0]
            if pd.isna(x):
                problem(pos, target, c, "missing_value",
                        pick(lang, f"no {c} for {_label(q)}", f"{_label(q)}缺少{_zh(c)}"), missing)
                x = math.nan
            elif x < 0:
                problem(pos, target, c, "negative_value",
                        pick(lang, f"{c} is negative ({x:g}) for {_label(q)}",
                             f"{_label(q)}的{_zh(c)}为负数({x:g})"), missing)
                x = math.nan
            rec[c] = float(x)
        recs.append(rec)

    wide = _assemble(recs, indicators)
    present = {}
    for r in recs:
        present.setdefault(r["platform_id"], set()).add(r["q"])
    for pid, qs in present.items():
        for q in range(min(qs), max(qs) + 1):
            if q not in qs:
                problem(None, pid, "period", "missing_period",
                        pick(lang, f"no row for {_label(q)} between the platform's first and "
                             "last quarter", f"首末季度之间缺少{_label(q)}的数据"),
                        pick(lang, "quarter reported as no data", "该季度记为无数据"))
    if res.layer("platforms") is not None:
        for pid in known:
            if pid not in present:
                problem(None, pid, "platform_id", "no_rows",
                        pick(lang, "the platform has no monitoring rows", "该平台没有季度监测数据"),
                        pick(lang, "not monitored or ranked", "不参与监测和排名"))
    frame = problems_frame(problems)
    frame = frame.sort_values(["row"], na_position="first", kind="stable").reset_index(drop=True)
    return MonitoringData(wide=wide, problems=frame)


def _assemble(recs, indicators):
    """Platform × quarter table on a complete run of quarters (members added up)."""
    cols = list(INDICATORS)
    if not recs:
        idx = pd.MultiIndex.from_arrays([[], []], names=["platform_id", "period"])
        return pd.DataFrame(columns=cols, index=idx, dtype=float)
    df = pd.DataFrame(recs)
    for c in cols:
        if c not in df:
            df[c] = math.nan
    parts = []
    for pid, g in df.groupby("platform_id", sort=False):
        rows = {}
        for q, gq in g.groupby("q"):
            rows[q] = _combine(gq)
        qs = range(min(rows), max(rows) + 1)
        part = pd.DataFrame([rows.get(q, {c: math.nan for c in cols}) for q in qs],
                            columns=cols)
        part.index = pd.MultiIndex.from_product([[pid], [_label(q) for q in qs]],
                                                names=["platform_id", "period"])
        parts.append(part)
    return pd.concat(parts)


def _combine(g):
    """One quarter of a platform from one or more member rows (NaN if any member lacks it)."""
    if len(g) == 1:
        return {c: g[c].iloc[0] for c in INDICATORS}
    out = {}
    va = g["industrial_va_100m"]
    for c, (_, how) in INDICATORS.items():
        v = g[c]
        if v.isna().any():
            out[c] = math.nan
        elif how == "weighted":
            out[c] = float((v * va).sum() / va.sum()) if va.notna().all() and va.sum() > 0 \
                else math.nan
        else:
            out[c] = float(v.sum())
    return out
