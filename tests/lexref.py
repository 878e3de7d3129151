"""A brute-force reference of the per-county decision, written from docs/consolidation.md alone.

It shares no code with parkgeo/consolidate/solver.py: it enumerates every assignment of a
small county (each candidate exits or joins one platform), keeps those that obey the hard
rules, computes the objective's levels as the docs state them, and returns the best
levels in lexicographic order, with every assignment that reaches them (ties at every level).
"""

from __future__ import annotations

import itertools

import numpy as np

TOL = 1e-6
#: (name, sign): the docs' order of priorities after the hard rules; +1 maximised, -1 minimised
ORDER = (("r4_met", 1), ("r4_shortfall", -1), ("kept", 1), ("kept_score", 1), ("affinity", 1))


def all_assignments(p):
    """(K, n) int array of every assignment over usable pairs (-1 = out)."""
    usable = np.asarray(p.eligible) & ~np.asarray(p.forced_exit)[:, None]
    options = [[-1] + [int(j) for j in np.flatnonzero(usable[i])] for i in range(p.n)]
    return np.array(list(itertools.product(*options)), dtype=np.int64).reshape(-1, p.n)


def connected(p, a):
    """Every member of a platform reaches its main zone through same-platform links."""
    adj = {i: set() for i in range(p.n)}
    for u, v in np.asarray(p.links).reshape(-1, 2):
        adj[int(u)].add(int(v))
        adj[int(v)].add(int(u))
    for j in range(p.m):
        members = {i for i in range(p.n) if a[i] == j}
        seen = {i for i in members if p.direct[i, j]}
        stack = list(seen)
        while stack:
            u = stack.pop()
            for w in adj[u]:
                if w in members and w not in seen:
                    seen.add(w)
                    stack.append(w)
        if seen != members:
            return False
    return True


def evaluate(p, A):
    """Feasibility and levels of each row of ``A`` (vectorised over assignments)."""
    A = np.atleast_2d(A)
    K = len(A)
    kept = A >= 0
    onehot = [(A == j) for j in range(p.m)]
    floor_mu, floor_va = np.asarray(p.floor_mu), np.asarray(p.floor_va_100m)
    dev = np.stack([p.base_developable_mu[j] + (onehot[j] * p.developable_mu).sum(1)
                    for j in range(p.m)], 1)
    va = np.stack([p.base_va_100m[j] + (onehot[j] * p.va_100m).sum(1) for j in range(p.m)], 1)
    area = np.stack([(onehot[j] * p.area_mu).sum(1) for j in range(p.m)], 1)
    ok = np.ones(K, bool)
    for j in range(p.m):  # ceilings: zone + sub-zones <= cap
        if np.isfinite(p.area_cap_mu[j]):
            ok &= p.base_area_mu[j] + area[:, j] <= max(p.area_cap_mu[j], p.base_area_mu[j]) + 1e-9
    counted = np.asarray(p.counts_for_quota)
    for g, q in enumerate(np.atleast_1d(p.quota)):
        in_g = counted & (np.asarray(p.quota_group) == g)
        ok &= (~kept[:, in_g]).sum(1) >= q
    short_mu = np.maximum(floor_mu - dev, 0.0)
    short_va = np.maximum(floor_va - va, 0.0)
    norm = np.zeros(K)
    for j in range(p.m):
        if floor_mu[j] > 0:
            norm += short_mu[:, j] / floor_mu[j]
        if floor_va[j] > 0:
            norm += short_va[:, j] / floor_va[j]
    near = np.clip(1.0 - np.asarray(p.distance_km) / p.distance_limit_km, 0, 1)
    aff_pair = np.asarray(p.relatedness) + near
    rows = np.arange(p.n)
    aff = np.where(kept, aff_pair[rows, np.maximum(A, 0)], 0.0).sum(1)
    levels = {
        "r4_met": ((short_mu <= 0) & (short_va <= 0)).sum(1),
        "r4_shortfall": norm,
        "kept": kept.sum(1),
        "kept_score": np.where(kept, p.score, 0.0).sum(1),
        "affinity": aff,
    }
    if p.connected:
        ok &= np.array([connected(p, a) for a in A], dtype=bool)
    return ok, levels


def better(x, y):
    """+1 when level vector ``x`` is lexicographically better than ``y``, -1 worse, 0 tied."""
    for name, sign in ORDER:
        d = (x[name] - y[name]) * sign
        if d > TOL:
            return 1
        if d < -TOL:
            return -1
    return 0


def reference(p):
    """(best levels, optimal assignments) by enumeration."""
    A = all_assignments(p)
    ok, lv = evaluate(p, A)
    A = A[ok]
    lv = {k: v[ok] for k, v in lv.items()}
    mask = np.ones(len(A), bool)
    for name, sign in ORDER:  # filter level by level: keep the best within TOL
        vals = lv[name][mask] * sign
        best = vals.max()
        mask[np.flatnonzero(mask)[vals < best - TOL]] = False
    best_row = int(np.flatnonzero(mask)[0])
    return {k: float(v[best_row]) for k, v in lv.items()}, A[mask]
