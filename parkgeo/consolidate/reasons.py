"""Why each candidate joined, stayed or exited, and why a platform misses R4: the reasons of one
solved county group, in English and Chinese (:mod:`parkgeo.consolidate.explain` words them)."""

from __future__ import annotations

import math
from functools import lru_cache

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
    r4_explanations,
    unreachable_reason,
    zone_no_platform_reason,
)
from .relatedness import _explain_cached, _key, normalise_table, phrase


def _explain_group(b, C, M, scenario, limit, wide, functional):
    """The reasons (one array per language, aligned with ``b.ci``) of one county group's
    candidates; empty for a forced exit, which keeps its R10 reason from classify."""
    ci = b.ci
    out = {lang: np.full(len(ci), "", dtype=object) for lang in LANGS}
    view = _GroupView(b, C, M, scenario)
    for k, g in enumerate(ci.tolist()):
        if view.forced[k]:
            continue
        for lang in LANGS:
            out[lang][k] = _candidate_reason(b, k, g, C, M, scenario, limit, wide, functional,
                                             lang, view)
    return out


class _GroupView:
    """One county group's arrays as Python lists, and the relations and R6 notes its reasons
    quote, each worked out once for all its candidates and both languages (a group's reasons
    are a few dozen small lookups each: numpy's per-call cost would dominate them)."""

    def __init__(self, b, C, M, scenario):
        ci, mj = b.ci, b.mj
        self.b, self.C = b, C
        self.table = normalise_table(tuple(scenario.consolidate.related))
        self.forced = C.forced[ci].astype(bool).tolist()
        self.county = C.county[ci].tolist()
        self.zone = (C.kind[ci] == "zone").tolist()
        self.codes = [_key(x) for x in C.codes[ci].tolist()]
        self.m = len(mj)
        self.names = M.name[mj].tolist()
        self.main_codes = [_key(x) for x in M.codes[mj].tolist()]
        allowed = b.allowed.tolist()
        self.allowed = [[jj for jj, ok in enumerate(row) if ok] for row in allowed]
        self.eligible = b.eligible.any(axis=1).tolist() if self.m else [False] * len(ci)
        self.dist = b.dist.tolist()
        self.local = b.local.tolist()
        self._own = {}

    def relation(self, k, jj, lang):
        """(relatedness, phrase in ``lang``) of candidate ``k`` and main platform ``jj``."""
        return _relation_words(self.codes[k], self.main_codes[jj], self.table, lang)

    def own_zones(self, county, lang):
        """The zones of ``county`` in the group and why none is a main platform (R6)."""
        hit = self._own.get((county, lang))
        if hit is None:
            C, ci = self.C, self.b.ci
            own = ci[(C.kind[ci] == "zone") & (C.county[ci] == county)]
            hit = self._own[(county, lang)] = [
                (str(C.name[z]), _strip_rule(str(getattr(C, f"not_main_{lang}")[z]), "R6"))
                for z in own]
        return hit


def _relation_words(codes, main_codes, table, lang):
    """(relatedness, phrase in ``lang``) of two code lists: the relation as
    :func:`~parkgeo.consolidate.relatedness.relatedness_matrix` found it for the problem
    (kept once per process for each distinct pair), in the words of ``lang``."""
    value, why = _explain_cached(codes, main_codes, table)
    return value, _phrase(why, lang)


@lru_cache(maxsize=4096)
def _phrase(why, lang):
    """:func:`~parkgeo.consolidate.relatedness.phrase`, once per process for each relation
    (a few hundred distinct ones: a level and a code prefix)."""
    return phrase(why, lang)


def _candidate_reason(b, k, g, C, M, scenario, limit, wide, functional, lang, view=None):
    """The reason of candidate ``g`` (row ``k`` of its group) in ``lang``."""
    c = scenario.consolidate
    v = view if view is not None else _GroupView(b, C, M, scenario)
    county = v.county[k]
    zone = v.zone[k]
    r8 = county if (county in functional and not zone) else None
    if not v.m or not v.allowed[k]:
        if zone:
            return zone_no_platform_reason(county, lang)
        return no_platform_reason(county, r8=bool(r8), zones=v.own_zones(county, lang),
                                  lang=lang)
    j = v.local[k]
    if j >= 0:
        d = v.dist[k][j]
        return join_reason(v.names[j], d, v.relation(k, j, lang)[1], limit_km=limit, zone=zone,
                           r8_county=r8,
                           via=_chain_neighbour(b, k, j, C) if d > limit + DISTANCE_TOL_KM
                           else None, lang=lang)
    if v.eligible[k]:
        return _eligible_exit_reason(b, k, g, C, M, scenario, lang)
    options = []
    for jj in v.allowed[k]:
        d = v.dist[k][jj]
        value, words = v.relation(k, jj, lang)
        options.append((v.names[jj], d if math.isfinite(d) else None, value, words, True))
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
    return _r4_notes(k, b, C, M, assigned_ci, short_mu, short_va, limit, wide,
                     langs=(lang,), developable=developable)[0]


def _r4_notes(k, b, C, M, assigned_ci, short_mu, short_va, limit, wide, langs=LANGS,
              developable="declared"):
    """:func:`_r4_note` in each of ``langs``, the candidates sorted once."""
    jj = b.mj.tolist().index(k)
    ci = b.ci
    # the group's candidates that are not on platform k but may join it (R7 scope, R8), sorted
    # into what keeps each from it; a group has a few dozen candidates, so plain lists
    assigned = np.asarray(assigned_ci).tolist()
    allowed, d = b.allowed[:, jj].tolist(), b.dist[:, jj].tolist()
    related, eligible = b.related[:, jj].tolist(), b.eligible[:, jj].tolist()
    forced, kind = C.forced[ci].astype(bool).tolist(), C.kind[ci].tolist()
    name = C.name[ci].tolist()
    mu, va = C.dev[ci].astype(float).tolist(), C.va[ci].astype(float).tolist()
    within = limit + DISTANCE_TOL_KM
    unrelated, far, taken, r10 = [], [], [], []
    for a in range(len(assigned)):
        if assigned[a] == k or not allowed[a]:
            continue
        if forced[a]:
            if d[a] <= within and related[a]:
                r10.append((name[a], mu[a], va[a]))
        elif eligible[a]:
            where = (M.name[assigned[a]] if assigned[a] >= 0 else
                     ("exit (R11)" if kind[a] == "park" else "stays as it is"))
            taken.append((name[a], where, mu[a], va[a]))
        elif not related[a]:
            if d[a] <= within:
                unrelated.append((name[a], d[a], mu[a], va[a]))
        else:
            far.append((name[a], d[a] if math.isfinite(d[a]) else None, mu[a], va[a]))
    return r4_explanations(M.name[k], short_mu, short_va, limit_km=limit, wide_km=wide,
                           unrelated=unrelated, far=far, taken=taken, r10=r10, langs=langs,
                           developable=developable)
