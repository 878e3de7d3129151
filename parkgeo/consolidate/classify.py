"""Before the optimizer: main platforms (R3, R6), rule exits (R9, R10), characteristic towns (R7).

Everything here works on the attribute tables; geometry is only used through the
measured areas passed in.

Scores (documented for users in ``docs/consolidation.md``)
-----------------------------------------------------------
*Per-mu score of a park* (the objective keeps the strongest parks; R11 exits the
weakest)::

    score = w_tax * r(tax per mu) + w_output * r(output per mu) + w_dev * r(developable mu)

where ``r(x) = min(x / median, 3)`` and the median is taken over the county's
parks that take part (Zhejiang's per-mu evaluation, 亩均论英雄, divides each
indicator by a benchmark the same way); weights from the scenario
(``weight_tax_per_mu`` 0.4, ``weight_output_per_mu`` 0.3, ``weight_developable``
0.3). Per-mu figures divide by ``industrial_land_mu``, or the measured area when
it is missing. A missing figure scores 0.

*Development score of a zone* (R6 "发展水平较高的省级开发区")::

    0.4 * r(value added) + 0.2 * r(output per mu) + 0.2 * r(tax per mu) + 0.2 * r(developable mu)

with medians over all zones of the dataset (so zones of different counties are
compared on one scale).
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from ..catalogue import zone_kind
from ..units import yi_to_wan
from .explain import (
    LANGS,
    R10_TESTS,
    flagged_not_main_reason,
    forced_main_reason,
    main_reason,
    r3_forced_note,
    r3_not_main_reason,
    r4_reach_reason,
    r10_reason,
    town_reason,
    weak_zone_reason,
    zone_type_not_main_reason,
)

__all__ = [
    "ZONE_SCORE_WEIGHTS",
    "SCORE_CAP",
    "per_mu",
    "ratio_to_median",
    "park_scores",
    "zone_scores",
    "choose_main_platforms",
    "classify_parks",
    "r11_quota",
]

#: weights of the zone development score (R6), documented in docs/consolidation.md
ZONE_SCORE_WEIGHTS = {"va": 0.4, "output_per_mu": 0.2, "tax_per_mu": 0.2, "developable": 0.2}
#: an indicator counts at most this many times its median (one outlier must not decide alone)
SCORE_CAP = 3.0


def _num(frame, column):
    if column in frame:
        return pd.to_numeric(frame[column], errors="coerce").astype(float)
    return pd.Series(np.nan, index=frame.index, dtype=float)


def per_mu(frame, area_mu):
    """Per-mu figures of each row: a DataFrame with ``land_mu``, ``output_per_mu_10k``,
    ``tax_per_mu_10k`` and ``va_per_mu_10k`` (万元 per mu).

    The denominator is ``industrial_land_mu`` where given, else the measured area.

    Examples
    --------
    >>> import pandas as pd
    >>> f = pd.DataFrame({"tax_100m": [0.6], "industrial_output_100m": [10.0],
    ...                   "industrial_va_100m": [2.0], "industrial_land_mu": [200.0]})
    >>> per_mu(f, pd.Series([999.0])).iloc[0].tolist()
    [200.0, 500.0, 30.0, 100.0]
    """
    land = _num(frame, "industrial_land_mu")
    area = pd.Series(np.asarray(area_mu, dtype=float), index=frame.index)
    land = land.where(land > 0, area)
    land = land.where(land > 0)
    out = pd.DataFrame(index=frame.index)
    out["land_mu"] = land
    out["output_per_mu_10k"] = yi_to_wan(_num(frame, "industrial_output_100m")) / land
    out["tax_per_mu_10k"] = yi_to_wan(_num(frame, "tax_100m")) / land
    out["va_per_mu_10k"] = yi_to_wan(_num(frame, "industrial_va_100m")) / land
    return out


def ratio_to_median(values):
    """``min(value / median, SCORE_CAP)`` over the positive values; missing values give 0.

    >>> ratio_to_median([1.0, 2.0, 2.0, 4.0, None, 100.0]).tolist()
    [0.5, 1.0, 1.0, 2.0, 0.0, 3.0]
    """
    values = pd.Series(values, dtype=float)
    med = values.where(values > 0).median()
    if not med > 0:
        return pd.Series(0.0, index=values.index)
    return (values / med).clip(upper=SCORE_CAP).fillna(0.0)


def park_scores(frame, area_mu, scenario, *, groups, reference_mask=None):
    """Per-mu score of each row (parks, or zones taking part as candidates).

    Parameters
    ----------
    frame : DataFrame
        Rows with the indicator fields.
    area_mu : array-like
        Measured area of each row, mu.
    scenario : Scenario
    groups : array-like
        The county of each row (medians are per county).
    reference_mask : array-like of bool, optional
        Rows whose values form the medians (default: all).

    Returns
    -------
    Series
    """
    c = scenario.consolidate
    pm = per_mu(frame, area_mu)
    groups = pd.Series(np.asarray(groups), index=frame.index)
    mask = pd.Series(True, index=frame.index) if reference_mask is None else pd.Series(
        np.asarray(reference_mask, dtype=bool), index=frame.index)
    parts = {
        "tax": (c.weight_tax_per_mu, pm["tax_per_mu_10k"]),
        "output": (c.weight_output_per_mu, pm["output_per_mu_10k"]),
        "developable": (c.weight_developable, _num(frame, "developable_mu")),
    }
    score = pd.Series(0.0, index=frame.index)
    for weight, values in parts.values():
        ref = values.where(mask)
        med = ref.where(ref > 0).groupby(groups).median()
        m = groups.map(med)
        score += weight * (values / m).where(m > 0).clip(upper=SCORE_CAP).fillna(0.0)
    return score.rename("score")


def zone_scores(zones, area_mu):
    """Development score of each zone (R6), on one scale for the whole dataset."""
    pm = per_mu(zones, area_mu)
    w = ZONE_SCORE_WEIGHTS
    score = (w["va"] * ratio_to_median(_num(zones, "industrial_va_100m"))
             + w["output_per_mu"] * ratio_to_median(pm["output_per_mu_10k"])
             + w["tax_per_mu"] * ratio_to_median(pm["tax_per_mu_10k"])
             + w["developable"] * ratio_to_median(_num(zones, "developable_mu")))
    return score.rename("development_score")


def _flag(value):
    """True/False for a boolean-ish value, None when missing."""
    if value is None or value is pd.NA:
        return None
    if isinstance(value, float) and math.isnan(value):
        return None
    return bool(value)


def choose_main_platforms(zones, dev_score, scenario, reach=None):
    """Pick each county's main platforms (R3, R6).

    National zones first, then provincial zones by development score, up to the county's
    ``max_platforms``; ``main_platform = true`` (or the county's ``main_zones``) forces a
    zone in, ``main_platform = false`` keeps it out, and so does a ``zone_type`` (or, where the
    type is missing or "other", a name such as ``…综合保税区``) listed in the scenario's
    ``not_main_zone_types`` (customs special zones and tourism resorts by default). A
    provincial zone needs a development
    score of at least ``min_main_score_share`` times the county's best. With ``reach`` and
    ``main_needs_r4_reach`` (default), a provincial zone beyond the county's first platform
    must be able to reach the R4 floors with every related park within the distance limit
    (otherwise it would be a major platform in name only; it may join one instead).

    Parameters
    ----------
    zones : DataFrame
    dev_score : array-like
        Development score of each zone (:func:`zone_scores`).
    scenario : Scenario
    reach : DataFrame, optional
        On ``zones``' index: ``developable_mu`` and ``industrial_va_100m`` the zone could
        reach with every related park within the limit (its own figures included).

    Returns
    -------
    DataFrame
        On ``zones``' index: ``is_main`` (bool), ``rank`` (1 = best in county), ``reason``
        (English) and ``reason_zh`` (Chinese).
    """
    c = scenario.consolidate
    n_all = len(zones)
    is_main = np.zeros(n_all, dtype=bool)
    rank = np.zeros(n_all, dtype=np.int64)
    texts = {lang: np.array([""] * n_all, dtype=object) for lang in LANGS}
    score = np.asarray(dev_score, dtype=float)
    zone_id = zones["zone_id"].astype(str).to_numpy()
    level = zones["level"].astype(object).to_numpy()
    counties = zones["county"].astype(str).to_numpy()
    flags = ([_flag(v) for v in zones["main_platform"]] if "main_platform" in zones
             else [None] * n_all)
    # R6 (parkgeo's reading): zone types that are not industrial platforms
    not_main = {zone_kind(k) for k in c.not_main_zone_types}
    types = zones["zone_type"].tolist() if "zone_type" in zones else [None] * n_all
    names = zones["name"].tolist() if "name" in zones else [None] * n_all
    kinds = [zone_kind(t, n if isinstance(n, str) else None) for t, n in zip(types, names,
                                                                             strict=True)]
    kept_out = [k in not_main for k in kinds]
    if reach is not None:
        reach_mu = reach["developable_mu"].to_numpy(dtype=float)
        reach_va = reach["industrial_va_100m"].to_numpy(dtype=float)
    by_county = pd.Series(np.arange(n_all)).groupby(counties, sort=True).indices

    def say(builder, *args, i, **kw):
        # every reason in every language, from the same figures
        for lang, out in texts.items():
            out[i] = builder(*args, lang=lang, **kw)

    for county, rows in by_county.items():
        rule = scenario.county(county)
        limit = rule.max_platforms
        rows = rows.tolist()
        order = sorted(rows, key=lambda i: (level[i] != "national", -score[i], zone_id[i]))
        n = len(order)
        for k, i in enumerate(sorted(rows, key=lambda i: (-score[i], zone_id[i]))):
            rank[i] = k + 1
        forced = [i for i in order if flags[i] is True or zone_id[i] in rule.main_zones]
        best = max((score[i] for i in order if flags[i] is not False and not kept_out[i]),
                   default=0.0)
        chosen = list(forced)
        for i in forced:
            say(forced_main_reason, "data" if flags[i] is True else "scenario", county, i=i)
        for i in order:
            if i in chosen:
                continue
            standing = (score[i], int(rank[i]), n)
            if flags[i] is False:
                say(flagged_not_main_reason, i=i)
                continue
            if kept_out[i]:
                say(zone_type_not_main_reason, kinds[i], i=i)
                continue
            if len(chosen) >= limit:
                extra = rule.reason if limit > 2 and rule.reason else ""
                say(r3_not_main_reason, county, limit, extra, level[i], standing, i=i)
                continue
            if level[i] != "national" and score[i] < c.min_main_score_share * best:
                say(weak_zone_reason, standing, county, c.min_main_score_share, i=i)
                continue
            if (level[i] != "national" and chosen and reach is not None
                    and c.main_needs_r4_reach
                    and (reach_mu[i] < c.min_developable_mu or reach_va[i] < c.min_va_100m)):
                say(r4_reach_reason, level[i], standing, county, i=i,
                    distance_km=c.distance_km, reach_mu=reach_mu[i], reach_va=reach_va[i],
                    floor_mu=c.min_developable_mu, floor_va=c.min_va_100m)
                continue
            chosen.append(i)
            say(main_reason, level[i], standing, county, i=i)
        is_main[chosen] = True
        if len(forced) > limit:
            for i in forced:
                for lang, out in texts.items():
                    out[i] += r3_forced_note(county, limit, len(forced), lang)
    return pd.DataFrame({"is_main": is_main, "rank": rank, "reason": texts["en"],
                         "reason_zh": texts["zh"]}, index=zones.index)


def classify_parks(parks, scenario):
    """Pre-classify parks: ``excluded`` characteristic towns (R7), R10 exits, candidates.

    Returns
    -------
    DataFrame
        On ``parks``' index: ``status`` (``excluded``, ``exit`` or ``candidate``) and
        ``reason`` / ``reason_zh`` (English / Chinese; empty for candidates, whom the
        optimizer decides).

    Examples
    --------
    >>> import pandas as pd
    >>> from parkgeo.scenario import Scenario
    >>> p = pd.DataFrame({"county": ["A", "A", "A"], "park_type": ["town_park",
    ...     "characteristic_town", "town_park"], "conforms_to_plan": [True, True, False],
    ...     "hazard": ["none", "none", "major"]})
    >>> classify_parks(p, Scenario())["status"].tolist()
    ['candidate', 'excluded', 'exit']
    """
    n = len(parks)
    county = parks["county"].astype(object).where(parks["county"].notna(), "").astype(str)
    include = {c: scenario.includes_characteristic_towns(c) for c in pd.unique(county)}
    town = (parks["park_type"] == "characteristic_town").fillna(False).to_numpy(dtype=bool) \
        & ~county.map(include).to_numpy(dtype=bool)
    # the R10 tests each park fails, one bit per test (in R10_TESTS order)
    failed = np.zeros(n, dtype=np.int64)
    for bit, (field, bad, *_) in enumerate(R10_TESTS):
        if field not in parks:
            continue
        values = parks[field]
        if field == "hazard":
            hit = (values.astype(object) == bad).to_numpy(dtype=bool)
        else:
            hit = (values.astype("boolean") == bad).fillna(False).to_numpy(dtype=bool)
        failed |= hit.astype(np.int64) << bit
    status = np.array(["candidate"] * n, dtype=object)
    texts = {lang: np.array([""] * n, dtype=object) for lang in LANGS}
    names = county.tolist()
    said = {}  # the same few reasons recur: each worded once
    for k in np.flatnonzero(town).tolist():
        status[k] = "excluded"
        for lang, out in texts.items():
            key = ("town", names[k], lang)
            if key not in said:
                said[key] = town_reason(names[k], lang)
            out[k] = said[key]
    exits = np.flatnonzero(~town & (failed != 0))
    for k, bits in zip(exits.tolist(), failed[exits].tolist(), strict=True):
        status[k] = "exit"
        for lang, out in texts.items():
            key = ("r10", bits, lang)
            if key not in said:
                said[key] = r10_reason([t[0] for b, t in enumerate(R10_TESTS) if bits >> b & 1],
                                       lang)
            out[k] = said[key]
    return pd.DataFrame({"status": status, "reason": texts["en"], "reason_zh": texts["zh"]},
                        index=parks.index)


def r11_quota(n, share):
    """⌈share · n⌉ exits (R11), robust to floating error (0.3 · 10 is 3, not 4).

    >>> r11_quota(10, 0.3), r11_quota(7, 0.3), r11_quota(0, 0.3)
    (3, 3, 0)
    """
    return int(math.ceil(round(share * n, 9)))
