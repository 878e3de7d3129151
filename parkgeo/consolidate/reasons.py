"""Why each candidate joined, stayed or exited, and why a platform misses R4: the reasons of one
solved county group, in English and Chinese (:mod:`parkgeo.consolidate.explain` words them)."""

from __future__ import annotations

import numpy as np

from ..units import mu_to_ha
from .eligibility import DISTANCE_TOL_KM
from .explain import (
    LANGS,
    ceiling_reason,
    chain_reason,
    join_reason,
    no_platform_reason,
    not_joined_reason,
    quota_reason,
    r4_explanation,
    unreachable_reason,
    zone_no_platform_reason,
)
from .relatedness import explain as explain_relation


def _explain_group(b, C, M, scenario, limit, wide, functional):
    """The reasons (one array per language, aligned with ``b.ci``) of one county group's
    candidates; empty for a forced exit, which keeps its R10 reason from classify."""
    ci = b.ci
    out = {lang: np.full(len(ci), "", dtype=object) for lang in LANGS}
    for k, g in enumerate(ci):
        if C.forced[g]:
            continue
        for lang in LANGS:
            out[lang][k] = _candidate_reason(b, k, g, C, M, scenario, limit, wide, functional,
                                             lang)
    return out


def _candidate_reason(b, k, g, C, M, scenario, limit, wide, functional, lang):
    """The reason of candidate ``g`` (row ``k`` of its group) in ``lang``."""
    c = scenario.consolidate
    mj, local = b.mj, b.local
    table = tuple(c.related)
    names = M.name
    county = C.county[g]
    zone = C.kind[g] == "zone"
    r8 = county if (county in functional and not zone) else None
    if not len(mj) or not b.allowed[k].any():
        if zone:
            return zone_no_platform_reason(county, lang)
        ci = b.ci
        own = ci[(C.kind[ci] == "zone") & (C.county[ci] == county)]
        zones = [(str(C.name[z]), _strip_rule(str(getattr(C, f"not_main_{lang}")[z]), "R6"))
                 for z in own]
        return no_platform_reason(county, r8=bool(r8), zones=zones, lang=lang)
    j = local[k]
    if j >= 0:
        phrase = explain_relation(C.codes[g], M.codes[mj[j]], table, lang=lang)[1]
        d = float(b.dist[k, j])
        return join_reason(names[mj[j]], d, phrase, limit_km=limit, zone=zone, r8_county=r8,
                           via=_chain_neighbour(b, k, j, C) if d > limit + DISTANCE_TOL_KM
                           else None, lang=lang)
    if b.eligible[k].any():
        return _eligible_exit_reason(b, k, g, C, M, scenario, lang)
    options = []
    for jj in np.flatnonzero(b.allowed[k]):
        d = b.dist[k, jj]
        value, phrase = explain_relation(C.codes[g], M.codes[mj[jj]], table, lang=lang)
        options.append((names[mj[jj]], float(d) if np.isfinite(d) else None, value, phrase,
                        True))
    return unreachable_reason(options, limit_km=limit, min_relatedness=c.min_relatedness,
                              wide_km=wide, connected=c.connected, r8_county=r8, zone=zone,
                              lang=lang)


def _strip_rule(text, rule):
    """``R6: not a main platform (...)`` → ``not a main platform (...)`` (nested in a reason)."""
    for sep in (": ", "："):
        if text.startswith(rule + sep):
            return text[len(rule) + len(sep):]
    return text


def _chain_neighbour(b, k, j, C):
    """Connected mode: the linked member of the same platform nearest to its main zone."""
    links, local = b.links, b.local
    if not len(links):
        return None
    other = np.concatenate([links[links[:, 0] == k, 1], links[links[:, 1] == k, 0]])
    other = other[local[other] == j]
    if not len(other):
        return None
    best = other[np.argmin(b.dist[other, j])]
    return str(C.name[b.ci[best]])


def _eligible_exit_reason(b, k, g, C, M, scenario, lang="en"):
    """A candidate that could have joined but exits: R11 quota, an area ceiling, or a chain."""
    c = scenario.consolidate
    ci, mj, local = b.ci, b.mj, b.local
    county = C.county[g]
    in_c = C.county[ci] == county
    counted = C.counted[ci] & in_c
    quota = int(b.quota[b.group.index(county)])
    exits = int((counted & (local < 0)).sum())
    if C.kind[g] == "park" and exits <= quota:
        remaining = counted & ~C.forced[ci]
        scores = C.score[ci][remaining]
        my = C.score[g]
        rank = int((scores < my - 1e-12).sum()) + 1
        out_remaining = int((local[remaining] < 0).sum())
        sol = b.solution
        deciding = sol.deciding if sol is not None else ""
        cause = {"ceiling": "ceilings", "connected": "chain"}.get(deciding, "floors")
        return quota_reason(county, my, rank, int(remaining.sum()), quota, int(counted.sum()),
                            weakest=rank <= out_remaining, lang=lang, cause=cause)
    # not the quota: a ceiling or the connected-mode chain kept it out
    caps = []
    for jj in np.flatnonzero(b.eligible[k]):
        cap = M.cap_mu[mj[jj]]
        if np.isfinite(cap):
            used = M.area[mj[jj]] + C.area[ci][local == jj].sum()
            if used + C.area[g] > cap + 1e-6:
                caps.append((M.name[mj[jj]], mu_to_ha(cap)))
    zone = C.kind[g] == "zone"
    if caps:
        return ceiling_reason(caps, zone=zone, lang=lang)
    if c.connected:
        return chain_reason(c.distance_km, zone=zone, lang=lang)
    return not_joined_reason(zone=zone, lang=lang)


def _r4_note(k, b, C, M, assigned_ci, short_mu, short_va, limit, wide, lang="en",
             developable="declared"):
    """Why main platform ``k`` misses R4 (:func:`parkgeo.consolidate.explain.r4_explanation`).

    ``assigned_ci``: the main platform (global index, -1 for none) of each of the group's
    candidates, aligned with ``b.ci``; ``developable``: the ``[consolidate] developable``
    mode, named in the note when it is not the default.
    """
    jj = int(np.flatnonzero(b.mj == k)[0])
    unrelated, far, taken, r10 = [], [], [], []
    for a, g in enumerate(b.ci):
        if assigned_ci[a] == k or not b.allowed[a, jj]:
            continue
        d = b.dist[a, jj]
        name, item_mu, item_va = C.name[g], float(C.dev[g]), float(C.va[g])
        if C.forced[g]:
            if d <= limit + DISTANCE_TOL_KM and b.related[a, jj]:
                r10.append((name, item_mu, item_va))
        elif b.eligible[a, jj]:
            where = (M.name[assigned_ci[a]] if assigned_ci[a] >= 0 else
                     ("exit (R11)" if C.kind[g] == "park" else "stays as it is"))
            taken.append((name, where, item_mu, item_va))
        elif not b.related[a, jj]:
            if d <= limit + DISTANCE_TOL_KM:
                unrelated.append((name, float(d), item_mu, item_va))
        else:
            far.append((name, float(d) if np.isfinite(d) else None, item_mu, item_va))
    return r4_explanation(M.name[k], short_mu, short_va, limit_km=limit, wide_km=wide,
                          unrelated=unrelated, far=far, taken=taken, r10=r10, lang=lang,
                          developable=developable)
