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

__all__ = ["SUM_FIELDS", "summarise_platform", "platform_checks"]

#: indicators that add up over a platform's members
SUM_FIELDS = ("developable_mu", "industrial_va_100m", "industrial_output_100m", "tax_100m",
              "listed_firms", "firms_over_10bn")


def _col(frame, name):
    if name in frame:
        return pd.to_numeric(frame[name], errors="coerce").astype(float)
    return pd.Series(np.nan, index=frame.index, dtype=float)


def _sum(values):
    """Sum of the known values; NaN when none is known."""
    return float(values.sum()) if values.notna().any() else np.nan


def _weighted_share(share, weight):
    ok = share.notna() & weight.notna() & (weight > 0)
    if not ok.any():
        return np.nan
    return float((share[ok] * weight[ok]).sum() / weight[ok].sum())


def summarise_platform(members, land_mu, area_mu):
    """Summed indicators of one platform's members (main zone first).

    Parameters
    ----------
    members : DataFrame
        The member rows with the contract's indicator fields.
    land_mu : array-like
        Each member's per-mu denominator (``industrial_land_mu`` or measured area).
    area_mu : array-like
        Each member's measured area, mu.

    Returns
    -------
    dict
        Sums (NaN where no member has the figure), the value-added-weighted
        ``high_tech_va_share``, the output-weighted ``rd_share`` (value added where output
        is missing), ``industrial_land_mu``, ``area_mu`` and the per-mu figures in 万元.

    Examples
    --------
    >>> import pandas as pd
    >>> m = pd.DataFrame({"developable_mu": [8000, 3000], "industrial_va_100m": [60, 30],
    ...                   "tax_100m": [3.0, 0.0], "high_tech_va_share": [0.5, 0.2]})
    >>> s = summarise_platform(m, [1000, 1000], [1200, 1100])
    >>> s["developable_mu"], s["industrial_va_100m"], s["tax_per_mu_10k"], s["high_tech_va_share"]
    (11000.0, 90.0, 15.0, 0.4)
    """
    out = {name: _sum(_col(members, name)) for name in SUM_FIELDS}
    va = _col(members, "industrial_va_100m")
    output = _col(members, "industrial_output_100m")
    out["high_tech_va_share"] = _weighted_share(_col(members, "high_tech_va_share"), va)
    out["rd_share"] = _weighted_share(_col(members, "rd_share"), output.fillna(va))
    land = pd.Series(np.asarray(land_mu, dtype=float), index=members.index)
    out["industrial_land_mu"] = _sum(land)
    out["area_mu"] = float(np.nansum(np.asarray(area_mu, dtype=float)))
    for name, column in (("output_per_mu_10k", "industrial_output_100m"),
                         ("tax_per_mu_10k", "tax_100m"), ("va_per_mu_10k", "industrial_va_100m")):
        values = _col(members, column)
        ok = values.notna() & land.notna() & (land > 0)
        out[name] = (float(yi_to_wan(values[ok].sum()) / land[ok].sum()) if ok.any() else np.nan)
    return out


def _at_least(value, threshold):
    """(meets, shortfall): NA and NaN when the value is unknown."""
    if value is None or not np.isfinite(value):
        return pd.NA, np.nan
    short = max(0.0, float(threshold) - float(value))
    return bool(short <= 1e-9), short


def _all(*flags):
    if any(f is pd.NA for f in flags):
        return pd.NA if all(f is not False for f in flags) else False
    return all(flags)


def platform_checks(row, scenario):
    """The rule and target columns for one platform's summary ``row`` (a dict).

    R4 (floors of the scenario), T2 (high-tech share, R&D share), T3 (output and tax per mu),
    T4 (value added, firms over 100亿元, listed firms). R3 is set by the caller, which knows
    the county's platform count.
    """
    c, t = scenario.consolidate, scenario.targets
    out = {}
    ok_mu, short_mu = _at_least(row["developable_mu"], c.min_developable_mu)
    ok_va, short_va = _at_least(row["industrial_va_100m"], c.min_va_100m)
    out["meets_R4"] = bool(_all(ok_mu, ok_va) is True)
    out["shortfall_R4_mu"] = 0.0 if short_mu != short_mu else short_mu
    out["shortfall_R4_va_100m"] = 0.0 if short_va != short_va else short_va
    ok_ht, short_ht = _at_least(row["high_tech_va_share"], t.high_tech_share)
    ok_rd, short_rd = _at_least(row["rd_share"], t.rd_share)
    out["meets_T2"] = _all(ok_ht, ok_rd)
    out["shortfall_T2_high_tech_share"] = short_ht
    out["shortfall_T2_rd_share"] = short_rd
    ok_out, short_out = _at_least(row["output_per_mu_10k"], t.output_per_mu_10k)
    ok_tax, short_tax = _at_least(row["tax_per_mu_10k"], t.tax_per_mu_10k)
    out["meets_T3"] = _all(ok_out, ok_tax)
    out["shortfall_T3_output_per_mu_10k"] = short_out
    out["shortfall_T3_tax_per_mu_10k"] = short_tax
    ok_t4va, short_t4va = _at_least(row["industrial_va_100m"], t.va_100m)
    ok_big, short_big = _at_least(row["firms_over_10bn"], t.firms_over_10bn)
    ok_listed, short_listed = _at_least(row["listed_firms"], t.listed_firms)
    out["meets_T4"] = _all(ok_t4va, ok_big, ok_listed)
    out["shortfall_T4_va_100m"] = short_t4va
    out["shortfall_T4_firms_over_10bn"] = short_big
    out["shortfall_T4_listed_firms"] = short_listed
    return out
