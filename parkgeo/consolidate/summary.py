"""The ``platforms`` table: summed indicators, per-mu figures and the rule and target checks.

One row per major platform (main zone + sub-zones, R5), with a boolean column for
each rule or target checked (``meets_R3``, ``meets_R4``, ``meets_T2``, ``meets_T3``,
``meets_T4``) and the shortfall behind each. A target whose figures are missing for
every member is neither met nor failed: its ``meets_`` value is empty (NA).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..units import yi_to_wan

__all__ = ["SUM_FIELDS", "summarise_platforms", "platform_checks"]

#: indicators that add up over a platform's members
SUM_FIELDS = ("developable_mu", "industrial_va_100m", "industrial_output_100m", "tax_100m",
              "listed_firms", "firms_over_10bn")


def _col(frame, name):
    if name in frame:
        return pd.to_numeric(frame[name], errors="coerce").astype(float)
    return pd.Series(np.nan, index=frame.index, dtype=float)


def summarise_platforms(members, key="platform"):
    """Summed indicators of each platform from its member rows (main zone and sub-zones).

    Parameters
    ----------
    members : DataFrame
        One row per member: ``key``, the contract's indicator fields, ``land_mu`` (the
        per-mu denominator: ``industrial_land_mu`` or the measured area) and ``area_mu``.
    key : str
        The column naming the platform.

    Returns
    -------
    DataFrame
        Indexed by ``key``: sums (NaN where no member has the figure), the shares
        ``high_tech_va_share`` and ``rd_share`` weighted by each member's above-scale
        industrial value added (T2, the plan's reading), ``industrial_land_mu``, ``area_mu``
        and the per-mu figures in 万元 (``output_per_mu_10k``, ``tax_per_mu_10k``,
        ``va_per_mu_10k``, each over the members that report the figure).

    Examples
    --------
    >>> import pandas as pd
    >>> m = pd.DataFrame({"platform": ["A", "A"], "developable_mu": [8000, 3000],
    ...                   "industrial_va_100m": [60, 30], "tax_100m": [3.0, 0.0],
    ...                   "high_tech_va_share": [0.5, 0.2], "land_mu": [1000, 1000],
    ...                   "area_mu": [1200, 1100]})
    >>> s = summarise_platforms(m).loc["A"]
    >>> s["developable_mu"], s["industrial_va_100m"], s["tax_per_mu_10k"], s["high_tech_va_share"]
    (np.float64(11000.0), np.float64(90.0), np.float64(15.0), np.float64(0.4))

    Both T2 shares are weighted by value added, never by output:

    >>> m["rd_share"] = [0.05, 0.02]
    >>> m["industrial_output_100m"] = [100.0, 900.0]
    >>> float(summarise_platforms(m).loc["A", "rd_share"])    # (0.05·60 + 0.02·30) / 90
    0.04
    """
    g = members[key]
    out = pd.DataFrame(index=pd.Index(pd.unique(g), name=key))
    for name in SUM_FIELDS:
        out[name] = _col(members, name).groupby(g, sort=False).sum(min_count=1)
    va = _col(members, "industrial_va_100m")
    for name, weight in (("high_tech_va_share", va), ("rd_share", va)):
        share = _col(members, name)
        ok = share.notna() & weight.notna() & (weight > 0)
        num = (share * weight).where(ok).groupby(g, sort=False).sum(min_count=1)
        den = weight.where(ok).groupby(g, sort=False).sum(min_count=1)
        out[name] = num / den
    land = _col(members, "land_mu")
    out["industrial_land_mu"] = land.groupby(g, sort=False).sum(min_count=1)
    out["area_mu"] = _col(members, "area_mu").groupby(g, sort=False).sum()
    for name, column in (("output_per_mu_10k", "industrial_output_100m"),
                         ("tax_per_mu_10k", "tax_100m"), ("va_per_mu_10k", "industrial_va_100m")):
        values = _col(members, column)
        ok = values.notna() & land.notna() & (land > 0)
        num = yi_to_wan(values.where(ok)).groupby(g, sort=False).sum(min_count=1)
        den = land.where(ok).groupby(g, sort=False).sum(min_count=1)
        out[name] = num / den
    return out


def _at_least(values, threshold):
    """(meets as a nullable boolean Series, shortfall with NaN where the value is unknown)."""
    values = pd.Series(values, dtype=float)
    short = (float(threshold) - values).clip(lower=0.0)
    meets = pd.array(np.where(values.notna(), short <= 1e-9, False), dtype="boolean")
    meets[values.isna().to_numpy()] = pd.NA
    return pd.Series(meets, index=values.index), short


def _all(*flags):
    """Kleene AND: False if any is False, NA if any is unknown, else True."""
    out = flags[0]
    for f in flags[1:]:
        out = out & f
    return out


def platform_checks(frame, scenario):
    """The rule and target columns for a table of platform summaries.

    R4 (floors of the scenario), T2 (high-tech share, R&D share), T3 (output and tax per mu),
    T4 (value added, firms over 100亿元, listed firms). R3 is set by the caller, which knows
    each county's platform count.

    Returns
    -------
    DataFrame
        On ``frame``'s index: ``meets_R4`` (bool; an unknown figure fails), ``meets_T2``,
        ``meets_T3``, ``meets_T4`` (nullable booleans) and ``shortfall_<rule>_<figure>``.
    """
    c, t = scenario.consolidate, scenario.targets
    out = pd.DataFrame(index=frame.index)
    ok_mu, short_mu = _at_least(frame["developable_mu"].fillna(0.0), c.min_developable_mu)
    ok_va, short_va = _at_least(frame["industrial_va_100m"].fillna(0.0), c.min_va_100m)
    out["meets_R4"] = (ok_mu & ok_va).astype(bool)
    out["shortfall_R4_mu"] = short_mu
    out["shortfall_R4_va_100m"] = short_va
    ok_ht, out["shortfall_T2_high_tech_share"] = _at_least(frame["high_tech_va_share"],
                                                           t.high_tech_share)
    ok_rd, out["shortfall_T2_rd_share"] = _at_least(frame["rd_share"], t.rd_share)
    out["meets_T2"] = _all(ok_ht, ok_rd)
    ok_out, out["shortfall_T3_output_per_mu_10k"] = _at_least(frame["output_per_mu_10k"],
                                                               t.output_per_mu_10k)
    ok_tax, out["shortfall_T3_tax_per_mu_10k"] = _at_least(frame["tax_per_mu_10k"],
                                                           t.tax_per_mu_10k)
    out["meets_T3"] = _all(ok_out, ok_tax)
    ok_t4, out["shortfall_T4_va_100m"] = _at_least(frame["industrial_va_100m"], t.va_100m)
    ok_big, out["shortfall_T4_firms_over_10bn"] = _at_least(frame["firms_over_10bn"],
                                                            t.firms_over_10bn)
    ok_listed, out["shortfall_T4_listed_firms"] = _at_least(frame["listed_firms"],
                                                            t.listed_firms)
    out["meets_T4"] = _all(ok_t4, ok_big, ok_listed)
    order = ["meets_R4", "shortfall_R4_mu", "shortfall_R4_va_100m",
             "meets_T2", "shortfall_T2_high_tech_share", "shortfall_T2_rd_share",
             "meets_T3", "shortfall_T3_output_per_mu_10k", "shortfall_T3_tax_per_mu_10k",
             "meets_T4", "shortfall_T4_va_100m", "shortfall_T4_firms_over_10bn",
             "shortfall_T4_listed_firms"]
    return out[order]
