"""Plain-words reasons for every decision, each naming the rule ids behind it.

Planners read these in the ``reason`` column of ``parks`` and ``zones`` and in the
report, so they say what decided, with the figures that decided it:
``"R7: joins 嘉兴经济技术开发区 — 1.2 km, same division C38"``,
``"R11 quota: weakest remaining per-mu score in 南湖区 (0.42, 1st of 12 from the bottom)"``.
"""

from __future__ import annotations

import numpy as np

__all__ = [
    "km",
    "join_reason",
    "no_platform_reason",
    "unreachable_reason",
    "quota_reason",
    "r4_explanation",
]


def km(d):
    """A distance for people: ``0 km (adjacent)``, ``1.2 km``, ``14 km``."""
    if d <= 0.0005:
        return "0 km (adjacent)"
    if d < 10:
        return f"{d:.1f} km"
    return f"{d:.0f} km"


def _mu(x):
    return f"{x:,.0f} mu"


def _yi(x):
    return f"{x:,.1f} 亿元"


def join_reason(platform, distance_km, phrase, *, limit_km, zone=False, r8_county=None,
                via=None):
    """Reason of a sub-zone: ``R7: joins <platform> — 1.2 km, same division C38``.

    ``via``: in connected mode, the neighbouring sub-zone of the chain (beyond the limit).
    """
    how = ""
    if distance_km > limit_km + 1e-9:
        how = " through a chain of its sub-zones" + (f" (via {via})" if via else "")
    what = " as a sub-zone" if zone else ""
    text = f"R7: joins {platform}{what}{how} — {km(distance_km)}, {phrase}"
    if r8_county:
        text = f"R8: {r8_county} keeps no town parks of its own; " + text
    return text


def no_platform_reason(county, *, r8=False):
    """Exit reason in a county with no main platform (R6, R12)."""
    if r8:
        return (f"R8: {county} keeps no town parks of its own and has no main platform to take "
                "it (R6); R12: no park may stay outside a major platform")
    return (f"R6: {county} has no development zone to anchor a major platform; R12: no park "
            "may stay outside a major platform")


def unreachable_reason(options, *, limit_km, min_relatedness, wide_km, connected=False,
                       r8_county=None, zone=False):
    """Why no main platform can take a candidate (R7).

    Parameters
    ----------
    options : list of (platform name, distance km or None, relatedness, phrase, allowed)
        One entry per main platform of the county (distance None: beyond ``wide_km``).
    """
    parts = []
    for name, d, rel, phrase, allowed in options:
        if not allowed:
            parts.append(f"{name}: another county")
            continue
        where = f"more than {km(wide_km)}" if d is None else km(d)
        if rel < min_relatedness:
            far = d is None or d > limit_km
            parts.append(f"{name}: {where}, {'too far and ' if far else ''}industries not "
                         f"related enough ({phrase})")
        elif d is None or d > limit_km:
            parts.append(f"{name}: {where}, too far ({phrase})")
        else:
            parts.append(f"{name}: {where}, {phrase}, but no chain of sub-zones reaches it"
                         if connected else f"{name}: {where}, {phrase}")
    head = f"no main platform is both within {limit_km:g} km and related"
    text = "R7: " + head + (" — " + "; ".join(parts) if parts else "")
    if zone:
        text += "; stays as it is"
    if r8_county:
        text = f"R8: {r8_county} keeps no town parks of its own; " + text
    return text


def quota_reason(county, score, rank_from_bottom, n_remaining, quota, n_parks, weakest):
    """Exit reason of a park the R11 quota takes."""
    if weakest:
        return (f"R11 quota: weakest remaining per-mu score in {county} ({score:.2f}, "
                f"{_ordinal(rank_from_bottom)} lowest of {n_remaining}); {quota} of {n_parks} "
                "parks must exit")
    return (f"R11 quota: {quota} of {n_parks} parks in {county} must exit; per-mu score "
            f"{score:.2f} ({_ordinal(rank_from_bottom)} lowest of {n_remaining}) — weaker "
            "parks were kept because the R4 floors or the area ceilings need them")


def _ordinal(k):
    if 10 <= k % 100 <= 20:
        return f"{k}th"
    return f"{k}{ {1: 'st', 2: 'nd', 3: 'rd'}.get(k % 10, 'th')}"


def r4_explanation(platform, short_mu, short_va, *, limit_km, wide_km, unrelated, far, taken,
                   r10):
    """What keeps a platform below the R4 floors, and what a larger distance limit would give.

    Parameters
    ----------
    platform : str
    short_mu, short_va : float
        Shortfalls in mu and 亿元.
    unrelated : list of (name, distance, mu, va)
        Candidates within the limit whose industries are not related enough.
    far : list of (name, distance or None, mu, va)
        Related candidates beyond the limit (distance None: beyond ``wide_km``).
    taken : list of (name, where, mu, va)
        Eligible candidates that went to another platform or exited (R11).
    r10 : list of (name, mu, va)
        Parks within reach that exited by R10.

    Returns
    -------
    (str, dict)
        The note, and the figures behind it (for the JSON report).
    """
    gaps = []
    if short_mu > 1e-6:
        gaps.append(_mu(short_mu))
    if short_va > 1e-6:
        gaps.append(_yi(short_va))
    parts = [f"R4: {platform} is short by {' and '.join(gaps)}"]
    if unrelated:
        mu = sum(u[2] for u in unrelated)
        names = ", ".join(u[0] for u in unrelated[:5]) + (" …" if len(unrelated) > 5 else "")
        parts.append(f"{len(unrelated)} park(s) within {km(limit_km)} are not industry-related "
                     f"({names}; {_mu(mu)})")
    if r10:
        mu = sum(r[1] for r in r10)
        parts.append(f"{len(r10)} park(s) within reach exit by R10 ({_mu(mu)})")
    if taken:
        mu = sum(t[2] for t in taken)
        parts.append(f"{len(taken)} eligible park(s) went elsewhere or exit by R11 ({_mu(mu)})")
    known = sorted((f for f in far if f[1] is not None), key=lambda f: f[1])
    larger = None
    if far:
        cum_mu = np.cumsum([f[2] for f in known]) if known else np.zeros(0)
        cum_va = np.cumsum([f[3] for f in known]) if known else np.zeros(0)
        enough = np.flatnonzero((cum_mu >= short_mu - 1e-6) & (cum_va >= short_va - 1e-6))
        if len(enough):
            k = int(enough[0])
            larger = {"distance_km": round(float(known[k][1]), 2), "parks": k + 1,
                      "developable_mu": float(cum_mu[k]), "industrial_va_100m": float(cum_va[k])}
            parts.append(f"{len(far)} related park(s) lie beyond {km(limit_km)}; a limit of "
                         f"{km(known[k][1])} would bring {k + 1} of them ({_mu(cum_mu[k])}, "
                         f"{_yi(cum_va[k])}) within reach — enough on paper, if R11 and the "
                         "other platforms leave them")
        else:
            tot_mu = float(cum_mu[-1]) if len(cum_mu) else 0.0
            tot_va = float(cum_va[-1]) if len(cum_va) else 0.0
            parts.append(f"{len(far)} related park(s) lie beyond {km(limit_km)}, but even within "
                         f"{km(wide_km)} they hold only {_mu(tot_mu)} and {_yi(tot_va)}: not "
                         "enough related space in reach")
    else:
        parts.append("no related park lies beyond the limit either: the county lacks the "
                     "related space")
    figures = {
        "shortfall_mu": float(short_mu), "shortfall_va_100m": float(short_va),
        "unrelated_within_limit": [{"name": n, "distance_km": round(d, 2), "developable_mu": m,
                                    "industrial_va_100m": v} for n, d, m, v in unrelated],
        "related_beyond_limit": [{"name": n, "distance_km": None if d is None else round(d, 2),
                                  "developable_mu": m, "industrial_va_100m": v}
                                 for n, d, m, v in far],
        "taken_elsewhere": [{"name": n, "where": w, "developable_mu": m, "industrial_va_100m": v}
                            for n, w, m, v in taken],
        "r10_exits_within_reach": [{"name": n, "developable_mu": m, "industrial_va_100m": v}
                                   for n, m, v in r10],
        "larger_limit": larger,
    }
    return "; ".join(parts), figures
