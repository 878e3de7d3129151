"""The year-end composite ranking of major platforms (R15) on Zhejiang's per-mu indicators.

Zhejiang's per-mu evaluation (亩均论英雄, 浙政发〔2018〕5号) scores on six indicators: tax per
mu, value added per mu, labour productivity, value added per unit of energy, value added per
unit of emissions, and R&D share. Each platform's figure is divided by a benchmark (default
the city median over the ranked platforms) and the ratios are weighted::

    score = 100 × Σ w_k · (x_k / b_k) / Σ w_k

so a platform at the benchmark on every indicator scores 100. The default weights
30/20/20/10/10/10 are one county's published weights (黄岩, 2022); Zhejiang's provincial
weights were not found. A weights file overrides them. The ranking's sensitivity to the
weights is shown as each platform's rank range when every weight in turn moves by ±20% (the
others rescaled so the total stays the same).

A platform lacking any of the six figures for the year is not ranked, and the table says
which figure is missing and why: nothing is imputed.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd
import tomllib

from ..errors import ScenarioError
from ..scenario import Scenario
from .common import pick, result_of
from .monitoring import MonitoringData, check_monitoring

__all__ = ["INDICATORS", "WEIGHTS_SOURCE", "Ranking", "rank_platforms", "composite_scores",
           "ranks_of", "indicator_values", "load_weights", "default_weights"]

#: the six indicators: (unit, how computed, Chinese name)
INDICATORS = {
    "tax_per_mu": ("万元/mu", "tax ÷ industrial land", "亩均税收"),
    "va_per_mu": ("万元/mu", "value added ÷ industrial land", "亩均增加值"),
    "labour_productivity": ("万元/person", "value added ÷ employees", "全员劳动生产率"),
    "va_per_energy": ("万元/tce", "value added ÷ energy use", "单位能耗增加值"),
    "va_per_emission": ("万元/t", "value added ÷ emissions", "单位排放增加值"),
    "rd_share": ("share", "R&D spending share", "研发经费占比"),
}

WEIGHTS_SOURCE = ("default weights 30/20/20/10/10/10: one county's published per-mu evaluation "
                  "weights (Huangyan District, 2022); Zhejiang's provincial weights were not found")


def default_weights(scenario=None):
    """The weights of ``scenario.ranking`` as a Series over :data:`INDICATORS`."""
    r = (scenario or Scenario()).ranking
    return pd.Series({k: float(getattr(r, k)) for k in INDICATORS}, dtype=float)


def load_weights(path):
    """Read a weights file (TOML) for the ranking.

    The file holds a ``[weights]`` table (any of the six indicator names; the others keep
    their defaults) and optionally a ``[benchmarks]`` table of fixed benchmark values in the
    indicators' units (instead of the city median)::

        [weights]
        tax_per_mu = 40
        rd_share = 0

        [benchmarks]
        tax_per_mu = 25.0

    Weights are relative (30/20/… and 0.3/0.2/… are the same).

    Returns
    -------
    (dict, dict)
        ``{indicator: weight}`` and ``{indicator: benchmark}``.

    Raises
    ------
    ScenarioError
        Missing file, bad TOML, unknown key, negative or all-zero weights, benchmark ≤ 0.
    """
    path = Path(path)
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ScenarioError(f"{path}: weights file does not exist") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ScenarioError(f"{path}: cannot read the weights file ({exc})") from None
    except tomllib.TOMLDecodeError as exc:
        raise ScenarioError(f"{path}: not valid TOML: {exc}") from None
    unknown = set(data) - {"weights", "benchmarks"}
    if unknown:
        raise ScenarioError(f"{path}: unknown key '{sorted(unknown)[0]}' (expected [weights] "
                            "and optionally [benchmarks])")
    out = []
    for table in ("weights", "benchmarks"):
        values = data.get(table, {})
        if not isinstance(values, dict):
            raise ScenarioError(f"{path}: '{table}' must be a table")
        checked = {}
        for k, v in values.items():
            if k not in INDICATORS:
                raise ScenarioError(f"{path}: unknown indicator '{table}.{k}' (expected one of "
                                    f"{', '.join(INDICATORS)})")
            if isinstance(v, bool) or not isinstance(v, int | float) or not math.isfinite(v):
                raise ScenarioError(f"{path}: {table}.{k}: expected a number, got {v!r}")
            if table == "weights" and v < 0:
                raise ScenarioError(f"{path}: weights.{k}: must be ≥ 0, got {v}")
            if table == "benchmarks" and v <= 0:
                raise ScenarioError(f"{path}: benchmarks.{k}: must be > 0, got {v}")
            checked[k] = float(v)
        out.append(checked)
    if "weights" not in data:
        raise ScenarioError(f"{path}: no [weights] table")
    return out[0], out[1]


def indicator_values(figures, reasons=None):
    """The six ranking indicators from a year's figures (see :meth:`MonitoringData.year_end`).

    ``reasons`` maps ``(platform_id, field)`` to why a figure is missing, for the messages.

    Returns
    -------
    (DataFrame, list)
        Values indexed like ``figures`` (one column per indicator), and
        ``(platform_id, indicator, reason)`` for each value that cannot be computed.
    """
    f = figures

    def ratio(num, den, scale=1e4):
        n = f[num] if num in f else pd.Series(np.nan, index=f.index)
        d = f[den] if den in f else pd.Series(np.nan, index=f.index)
        return n * scale / d.where(d > 0)

    values = pd.DataFrame({
        "tax_per_mu": ratio("tax_100m", "industrial_land_mu"),
        "va_per_mu": ratio("industrial_va_100m", "industrial_land_mu"),
        "labour_productivity": ratio("industrial_va_100m", "employees"),
        "va_per_energy": ratio("industrial_va_100m", "energy_tce"),
        "va_per_emission": ratio("industrial_va_100m", "emissions_t"),
        "rd_share": f["rd_share"] if "rd_share" in f else pd.Series(np.nan, index=f.index),
    }, index=f.index)
    parts = {"tax_per_mu": ("tax_100m", "industrial_land_mu"),
             "va_per_mu": ("industrial_va_100m", "industrial_land_mu"),
             "labour_productivity": ("industrial_va_100m", "employees"),
             "va_per_energy": ("industrial_va_100m", "energy_tce"),
             "va_per_emission": ("industrial_va_100m", "emissions_t"),
             "rd_share": ("rd_share",)}
    missing = []
    for pid in values.index:
        for ind, cols in parts.items():
            if not pd.isna(values.at[pid, ind]):
                continue
            why = []
            for c in cols:
                x = f.at[pid, c] if c in f else math.nan
                if pd.isna(x):
                    why.append(f"{c}: {(reasons or {}).get((pid, c), 'missing')}")
                elif c != cols[0] and x <= 0:
                    why.append(f"{c} is {x:g}")
            missing.append((pid, ind, ", ".join(why) or "cannot be computed"))
    return values, missing


def composite_scores(values, weights, benchmarks):
    """Composite scores: ``100 × Σ w_k · (x_k / b_k) / Σ w_k``.

    Parameters
    ----------
    values : array (n, k)
    weights : array (k,)
    benchmarks : array (k,)

    Examples
    --------
    >>> composite_scores([[2.0, 1.0], [1.0, 3.0]], [3, 1], [1.0, 1.0]).round(2).tolist()
    [175.0, 150.0]
    """
    v = np.asarray(values, dtype=float)
    w = np.asarray(weights, dtype=float)
    b = np.asarray(benchmarks, dtype=float)
    return 100.0 * (v / b) @ w / w.sum()


def ranks_of(scores):
    """Ranks, 1 for the highest score; equal scores share the better rank.

    >>> ranks_of([70.0, 130.0, 70.0]).tolist()
    [2, 1, 2]
    """
    s = pd.Series(np.round(np.asarray(scores, dtype=float), 9))
    return s.rank(ascending=False, method="min").astype(int).to_numpy()


@dataclass(frozen=True)
class Ranking:
    """The year-end ranking.

    Attributes
    ----------
    year : int
    table : DataFrame
        One row per platform, ranked first (by rank), then the unranked: ``platform_id``,
        ``name``, ``rank``, ``rank_min``, ``rank_max``, ``score``, ``note`` (why a platform
        is not ranked), the six indicator values and their ratios to the benchmark
        (``<indicator>_ratio``).
    weights : Series
        The weights used, normalised to sum 1.
    benchmarks : Series
        The benchmark of each indicator.
    benchmark_how : str
        ``median``, ``mean`` or ``given`` (from the weights file).
    sensitivity : DataFrame
        ``indicator``, ``change`` (e.g. -0.2), ``platform_id``, ``rank``: the ranks with each
        weight moved in turn.
    missing : DataFrame
        ``platform_id``, ``indicator``, ``reason`` for every figure the ranking lacks.
    monitoring : MonitoringData
        The checked quarterly series (time series, QoQ/YoY, problem lines).
    weights_source : str
        Where the weights came from.
    """

    year: int
    table: pd.DataFrame = field(compare=False)
    weights: pd.Series = field(compare=False)
    benchmarks: pd.Series = field(compare=False)
    benchmark_how: str = "median"
    sensitivity: pd.DataFrame = field(default=None, compare=False)
    missing: pd.DataFrame = field(default=None, compare=False)
    monitoring: MonitoringData = field(default=None, compare=False)
    weights_source: str = WEIGHTS_SOURCE


def rank_table(values, weights, benchmarks=None, *, how="median", spread=0.2):
    """Rank platforms from their indicator values (the core, free of any I/O).

    Parameters
    ----------
    values : DataFrame
        Indexed by platform id, one column per indicator of :data:`INDICATORS`; rows with any
        NaN are not ranked.
    weights : Series or dict
        Indicator weights (relative).
    benchmarks : dict, optional
        Fixed benchmarks; the others are the ``how`` (median or mean) over ranked platforms.
    spread : float
        Each weight in turn is multiplied by ``1 ± spread``, the others rescaled to keep the
        total; the rank range is over these runs and the base.

    Returns
    -------
    (DataFrame, Series, DataFrame)
        Per platform ``score``, ``rank``, ``rank_min``, ``rank_max`` and ``<ind>_ratio``; the
        benchmarks; the sensitivity runs.
    """
    w = pd.Series(weights, dtype=float).reindex(list(INDICATORS)).fillna(0.0)
    if (w < 0).any() or w.sum() <= 0:
        raise ScenarioError("ranking weights must be ≥ 0 and not all zero")
    complete = values[list(INDICATORS)].notna().all(axis=1)
    ranked = values.loc[complete, list(INDICATORS)].astype(float)
    given = dict(benchmarks or {})
    bench = {}
    for k in INDICATORS:
        if k in given:
            bench[k] = given[k]
        elif len(ranked):
            bench[k] = float(ranked[k].median() if how == "median" else ranked[k].mean())
        else:
            bench[k] = math.nan
    bench = pd.Series(bench, dtype=float)
    out = pd.DataFrame(index=values.index)
    for k in INDICATORS:
        out[f"{k}_ratio"] = values[k] / bench[k] if bench[k] > 0 else math.nan
    runs = []
    if len(ranked):
        usable = bench > 0  # a zero benchmark (every platform at 0) carries no information
        wu = w.where(usable, 0.0)
        if wu.sum() <= 0:
            raise ScenarioError("no indicator with a positive weight has a positive benchmark")
        X, B = ranked.to_numpy(), bench.where(usable, 1.0).to_numpy()
        base = composite_scores(X, wu.to_numpy(), B)
        base_rank = ranks_of(base)
        out.loc[ranked.index, "score"] = base
        out.loc[ranked.index, "rank"] = base_rank
        lo, hi = base_rank.copy(), base_rank.copy()
        for j, k in enumerate(INDICATORS):
            if wu.iloc[j] == 0:
                continue
            for d in (-spread, spread):
                w2 = wu.to_numpy().copy()
                w2[j] *= 1 + d
                w2 *= wu.sum() / w2.sum()
                r = ranks_of(composite_scores(X, w2, B))
                lo, hi = np.minimum(lo, r), np.maximum(hi, r)
                runs += [(k, d, pid, int(x)) for pid, x in zip(ranked.index, r, strict=False)]
        out.loc[ranked.index, "rank_min"] = lo
        out.loc[ranked.index, "rank_max"] = hi
    for c in ("score", "rank", "rank_min", "rank_max"):
        if c not in out:
            out[c] = math.nan
    for c in ("rank", "rank_min", "rank_max"):
        out[c] = out[c].astype("Int64")
    sens = pd.DataFrame(runs, columns=["indicator", "change", "platform_id", "rank"])
    return out, bench, sens


def rank_platforms(source, *, year=None, weights=None, benchmarks=None, scenario=None,
                   lang="en"):
    """Quarterly monitoring and the year-end composite ranking (R15).

    Parameters
    ----------
    source : ConsolidationResult, str, Path, Dataset or dict
        A consolidation result or a dataset with a ``monitoring`` table.
    year : int, optional
        The year to rank; default the latest year with a fourth quarter in the data.
    weights : dict or str or Path, optional
        ``{indicator: weight}`` (the others keep their defaults), or a weights file (TOML, see
        :func:`load_weights`). Default: ``scenario.ranking``.
    benchmarks : dict, optional
        Fixed benchmark values; default the city median (``scenario.ranking.benchmark``).
    scenario : Scenario, optional
    lang : {"en", "zh"}
        Language of the ``note`` of unranked platforms.

    Returns
    -------
    Ranking

    Examples
    --------
    >>> r = rank_platforms("out/result.gpkg", year=2020)                   # doctest: +SKIP
    >>> r.table[["platform_id", "rank", "rank_min", "rank_max", "score"]]  # doctest: +SKIP
    """
    res = result_of(source, scenario=scenario)
    scenario = scenario or res.scenario
    mon = check_monitoring(res, lang=lang)
    w = default_weights(scenario)
    source_note = WEIGHTS_SOURCE
    if _is_custom(scenario):
        source_note = f"weights from the scenario {scenario.source or ''}".strip()
    bench_given = dict(benchmarks or {})
    if isinstance(weights, str | Path):
        file_w, file_b = load_weights(weights)
        w.update(pd.Series(file_w, dtype=float))
        bench_given = {**file_b, **bench_given}
        source_note = f"weights from {weights}"
    elif weights:
        unknown = set(weights) - set(INDICATORS)
        if unknown:
            raise ScenarioError(f"unknown ranking indicator '{sorted(unknown)[0]}' (expected one "
                                f"of {', '.join(INDICATORS)})")
        w.update(pd.Series(weights, dtype=float))
        source_note = "weights given by the caller"
    years = mon.years()
    if year is None:
        q4 = [int(p[:4]) for p in mon.wide.index.get_level_values("period") if p.endswith("Q4")]
        year = max(q4) if q4 else (max(years) if years else None)
    if year is None:
        raise ScenarioError("the monitoring table has no usable rows to rank")
    figures, missing = mon.year_end(year)
    # platforms of the result with no monitoring rows at all
    platforms = res.layer("platforms")
    zones = res.layer("zones")
    names = {}
    if zones is not None and {"zone_id", "name"} <= set(zones.columns):
        # an input dataset: a platform is named after its main zone
        names = dict(zip(zones["zone_id"].astype(str), zones["name"].astype(str), strict=True))
    if platforms is not None and "platform_id" in platforms:
        names = dict(zip(platforms["platform_id"].astype(str),
                         platforms.get("name", platforms["platform_id"]).astype(str), strict=True))
        for pid in names:
            if pid not in figures.index:
                figures.loc[pid] = math.nan
                missing = pd.concat([missing, pd.DataFrame(
                    [(pid, "all", pick(lang, "no monitoring rows", "无季度监测数据"))],
                    columns=missing.columns)],
                    ignore_index=True)
    reasons = {(pid, ind): r for pid, ind, r in missing.itertuples(index=False)}
    values, why = indicator_values(figures, reasons)
    table, bench, sens = rank_table(values, w, bench_given, how=scenario.ranking.benchmark,
                                    spread=scenario.ranking.sensitivity)
    notes = {}
    for pid, ind, reason in why:
        notes.setdefault(pid, []).append(f"{ind} ({reason})")
    for pid, ind, reason in missing.itertuples(index=False):
        if ind == "all":
            notes[pid] = [reason]
    table.insert(0, "name", [names.get(p, p) for p in table.index])
    for k in INDICATORS:
        table[k] = values[k]
    table["note"] = ["" if not pd.isna(table.at[p, "rank"]) else
                     pick(lang, "not ranked: ", "未排名:") + "; ".join(notes.get(p, ["no figures"]))
                     for p in table.index]
    table.index.name = "platform_id"
    table = table.reset_index()
    table = table.sort_values(["rank", "platform_id"], na_position="last", kind="stable")
    cols = ["platform_id", "name", "rank", "rank_min", "rank_max", "score", "note", *INDICATORS,
            *[f"{k}_ratio" for k in INDICATORS]]
    how = "given" if len(bench_given) == len(INDICATORS) else scenario.ranking.benchmark
    return Ranking(year=int(year), table=table[cols].reset_index(drop=True),
                   weights=w / w.sum(), benchmarks=bench, benchmark_how=how,
                   sensitivity=sens, missing=missing, monitoring=mon,
                   weights_source=source_note)


def _is_custom(scenario):
    from ..scenario import RankingSettings

    d = RankingSettings()
    return any(getattr(scenario.ranking, k) != getattr(d, k) for k in INDICATORS)
