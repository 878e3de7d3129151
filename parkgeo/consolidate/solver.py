"""The exact assignment of one county's parks to its main platforms (R4, R7, R11).

The solver sees arrays, not geometry: :func:`solve_county` takes a
:class:`CountyProblem` (eligibility, distances, relatedness, scores and
indicators of the county's candidate parks, and the floors and ceilings of its
main platforms) and returns a :class:`CountySolution`. Everything geometric
(which park is near which platform) is decided before, in
:mod:`parkgeo.consolidate.eligibility`.

The model (documented for users in ``docs/consolidation.md``)
-------------------------------------------------------------
Binary ``x[i, j] = 1`` when candidate ``i`` joins main platform ``j``; a
candidate with no ``x = 1`` exits (a park) or stays as it is (a zone that is not
a main platform). Variables exist only for eligible pairs (R7: near enough and
related enough; R8 masks are applied to the eligibility beforehand).

maximise   sum_ij value[i, j] * x[i, j]
           value[i, j] = w_keep + w_score * score[i] + w_rel * relatedness[i, j]
                         + w_near * max(0, 1 - distance[i, j] / limit)
subject to sum_j x[i, j] <= 1                                    each candidate decided once
           sum_{i counted in g} (1 - sum_j x[i, j]) >= quota[g]    R11 per county g (forced
                                                                    exits count)
           base_mu[j] + sum_i mu[i] x[i, j] >= floor_mu[j]         R4 developable space
           base_va[j] + sum_i va[i] x[i, j] >= floor_va[j]         R4 value added
           base_area[j] + sum_i area[i] x[i, j] <= cap[j]          optional ceiling (R2 reading)
           connected mode: single-commodity flow from each main zone, one unit to each of
           its sub-zones, along links shorter than the limit between parks of the same platform.

The R4 floors are hard. Only when no assignment reaches them (the hard model
is infeasible) is the problem solved again in two phases: first the smallest
total shortfall (each platform's shortfall in mu and 亿元 divided by its floor),
then the best objective among assignments with that shortfall (or, when a
``slack_penalty`` is given, one solve maximising the objective minus the penalty
times the normalised shortfall). A floor is therefore never relaxed while it can
be met.

Counties are solved one by one; counties the scenario lets parks cross between
(R7 scope) are solved together, with one R11 quota row per county
(``quota_group``).

Solved with HiGHS through :func:`scipy.optimize.milp`.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass, field

import numpy as np
from scipy import sparse
from scipy.optimize import Bounds, LinearConstraint, milp

from ..errors import SolverError

__all__ = [
    "ObjectiveWeights",
    "CountyProblem",
    "CountySolution",
    "assignment_values",
    "evaluate_assignment",
    "solve_county",
    "STATUS_NAMES",
]

#: scipy.optimize.milp status codes, named (spopt style: the status is checked and named)
STATUS_NAMES = {
    0: "optimal",
    1: "time_limit",
    2: "infeasible",
    3: "unbounded",
    4: "solver_error",
}

_SLACK_TOL = 1e-6


@dataclass(frozen=True)
class ObjectiveWeights:
    """Weights of the assignment objective (documented in ``docs/consolidation.md``).

    Parameters
    ----------
    keep : float
        Value of keeping any candidate rather than exiting it (must be > 0, so the
        solver exits no more parks than R11, the floors and the ceilings demand).
    score : float
        Weight of the candidate's per-mu strength score (keep the strongest parks).
    relatedness : float
        Weight of the industry relatedness to the platform joined (R7, in 0..1).
    proximity : float
        Weight of nearness, ``1 - distance / limit`` clipped at 0 (R7).
    """

    keep: float = 1.0
    score: float = 1.0
    relatedness: float = 0.2
    proximity: float = 0.1

    def __post_init__(self):
        for name in ("keep", "score", "relatedness", "proximity"):
            value = getattr(self, name)
            if not (isinstance(value, (int, float)) and math.isfinite(value) and value >= 0):
                raise ValueError(f"ObjectiveWeights.{name} must be a finite number >= 0, "
                                 f"got {value!r}")
        if self.keep <= 0:
            raise ValueError(f"ObjectiveWeights.keep must be > 0, got {self.keep!r}")


def _array(value, dtype, shape, name):
    arr = np.array(value, dtype=dtype, copy=True)
    if arr.shape != shape:
        raise ValueError(f"CountyProblem.{name}: expected shape {shape}, got {arr.shape}")
    if dtype is float and np.isnan(arr).any():
        raise ValueError(f"CountyProblem.{name}: contains NaN")
    arr.flags.writeable = False
    return arr


@dataclass(frozen=True)
class CountyProblem:
    """One county's assignment problem, as arrays (``n`` candidates, ``m`` main platforms).

    Candidates are the county's parks (rows of ``parks``) and the zones that are
    not main platforms. Arrays are copied and made read-only.

    Parameters
    ----------
    county : str
        Name of the county, for messages.
    eligible : (n, m) bool
        ``True`` where candidate ``i`` may join platform ``j`` (R7 distance and
        relatedness, R8 masks). In connected mode: related, and reachable through a
        chain of links.
    distance_km : (n, m) float
        Edge-to-edge distance from candidate to the platform's main zone, km.
    relatedness : (n, m) float
        Industry relatedness in 0..1 (R7).
    score : (n,) float
        Per-mu strength score of each candidate (>= 0).
    developable_mu, va_100m, area_mu : (n,) float
        Developable space (mu), above-scale industrial value added (亿元) and
        measured area (mu) of each candidate.
    counts_for_quota : (n,) bool
        ``True`` for rows of ``parks`` (the R11 base); ``False`` for zones.
    forced_exit : (n,) bool
        Candidates already out by R9/R10 (or with no platform to join): never
        assigned, and counted as exits towards the quota.
    quota : int or (g,) int
        Minimum number of exits among the counted candidates of each quota group (county),
        forced exits included (R11).
    base_developable_mu, base_va_100m, base_area_mu : (m,) float
        The main zone's own figures.
    floor_mu, floor_va_100m : (m,) float
        R4 floors (0 for none).
    area_cap_mu : (m,) float
        Ceiling on main zone + sub-zones area in mu (``inf`` for none).
    distance_limit_km : float
        The R7 distance limit (for the proximity term and connected mode).
    connected : bool
        Connected mode: every sub-zone reaches its main zone through a chain of
        parks of the same platform, each link within the limit.
    direct : (n, m) bool, optional
        Connected mode: candidate within the limit of the main zone itself (a
        chain may start there). Defaults to ``distance_km <= distance_limit_km``.
    links : (k, 2) int, optional
        Connected mode: unordered pairs of candidates within the limit of each other.
    weights : ObjectiveWeights
        Objective weights.
    quota_group : (n,) int, optional
        The county (0..g-1) whose quota each candidate counts for; all 0 by default.
    slack_penalty : float, optional
        When the floors cannot be met: penalty per unit of normalised shortfall in a single
        relaxed solve. ``None`` (default): minimise the shortfall first, then the objective.

    Examples
    --------
    >>> import numpy as np
    >>> p = CountyProblem.build("A", eligible=[[True], [True]], distance_km=[[0.5], [2.0]],
    ...     relatedness=[[1.0], [0.5]], score=[1.0, 0.2], developable_mu=[500, 800],
    ...     va_100m=[3, 1], quota=1)
    >>> solve_county(p).assignment.tolist()
    [0, -1]
    """

    county: str
    eligible: np.ndarray
    distance_km: np.ndarray
    relatedness: np.ndarray
    score: np.ndarray
    developable_mu: np.ndarray
    va_100m: np.ndarray
    area_mu: np.ndarray
    counts_for_quota: np.ndarray
    forced_exit: np.ndarray
    quota: np.ndarray
    base_developable_mu: np.ndarray
    base_va_100m: np.ndarray
    base_area_mu: np.ndarray
    floor_mu: np.ndarray
    floor_va_100m: np.ndarray
    area_cap_mu: np.ndarray
    distance_limit_km: float = 5.0
    connected: bool = False
    direct: np.ndarray | None = None
    links: np.ndarray | None = None
    weights: ObjectiveWeights = field(default_factory=ObjectiveWeights)
    quota_group: np.ndarray | None = None
    slack_penalty: float | None = None

    def __post_init__(self):
        elig = np.asarray(self.eligible)
        if elig.ndim != 2:
            raise ValueError(f"CountyProblem.eligible: expected a 2-d array, got shape "
                             f"{elig.shape}")
        n, m = elig.shape
        set_ = object.__setattr__
        set_(self, "eligible", _array(elig, bool, (n, m), "eligible"))
        for name in ("distance_km", "relatedness"):
            set_(self, name, _array(getattr(self, name), float, (n, m), name))
        for name in ("score", "developable_mu", "va_100m", "area_mu"):
            set_(self, name, _array(getattr(self, name), float, (n,), name))
        for name in ("counts_for_quota", "forced_exit"):
            set_(self, name, _array(getattr(self, name), bool, (n,), name))
        for name in ("base_developable_mu", "base_va_100m", "base_area_mu", "floor_mu",
                     "floor_va_100m", "area_cap_mu"):
            set_(self, name, _array(getattr(self, name), float, (m,), name))
        if self.distance_limit_km <= 0:
            raise ValueError("CountyProblem.distance_limit_km must be > 0")
        direct = self.direct
        if direct is None:
            direct = self.distance_km <= self.distance_limit_km
        set_(self, "direct", _array(direct, bool, (n, m), "direct"))
        links = np.zeros((0, 2), dtype=np.int64) if self.links is None else self.links
        links = np.array(links, dtype=np.int64).reshape(-1, 2)
        if links.size and (links.min() < 0 or links.max() >= n):
            raise ValueError("CountyProblem.links: candidate index out of range")
        links.flags.writeable = False
        set_(self, "links", links)
        quota = np.atleast_1d(np.array(self.quota, dtype=np.int64))
        if quota.ndim != 1:
            raise ValueError("CountyProblem.quota: expected an int or a 1-d array")
        group = np.zeros(n, dtype=np.int64) if self.quota_group is None else self.quota_group
        group = _array(group, np.int64, (n,), "quota_group")
        if n and (group.min() < 0 or group.max() >= len(quota)):
            raise ValueError(f"CountyProblem.quota_group: values must be 0..{len(quota) - 1}")
        counted = np.bincount(group[self.counts_for_quota], minlength=len(quota))
        if (quota < 0).any():
            raise ValueError(f"CountyProblem.quota must be >= 0, got {quota.tolist()}")
        if (quota > counted).any():
            raise ValueError(
                f"CountyProblem.quota {quota.tolist()} exceeds the {counted.tolist()} "
                "candidates that count for R11")
        quota.flags.writeable = False
        set_(self, "quota", quota)
        set_(self, "quota_group", group)
        if self.slack_penalty is not None and not self.slack_penalty > 0:
            raise ValueError(f"CountyProblem.slack_penalty must be > 0, got {self.slack_penalty}")
        for name in ("developable_mu", "va_100m", "area_mu", "score", "base_developable_mu",
                     "base_va_100m", "base_area_mu", "floor_mu", "floor_va_100m"):
            if (getattr(self, name) < 0).any():
                raise ValueError(f"CountyProblem.{name}: negative values")

    @property
    def n(self) -> int:
        """Number of candidates."""
        return self.eligible.shape[0]

    @property
    def m(self) -> int:
        """Number of main platforms."""
        return self.eligible.shape[1]

    @classmethod
    def build(cls, county, *, eligible, distance_km, relatedness, score, developable_mu,
              va_100m, area_mu=None, counts_for_quota=None, forced_exit=None, quota=0,
              base_developable_mu=None, base_va_100m=None, base_area_mu=None, floor_mu=None,
              floor_va_100m=None, area_cap_mu=None, **kwargs):
        """Build a problem with defaults for the optional arrays (no floors, no caps).

        Examples
        --------
        >>> p = CountyProblem.build("A", eligible=[[True]], distance_km=[[1.0]],
        ...     relatedness=[[1.0]], score=[0.5], developable_mu=[100], va_100m=[1])
        >>> p.n, p.m
        (1, 1)
        """
        elig = np.asarray(eligible, dtype=bool)
        n, m = elig.shape
        zeros_n, zeros_m = np.zeros(n), np.zeros(m)

        def pick(value, default):
            return default if value is None else value

        return cls(
            county=county, eligible=elig, distance_km=distance_km, relatedness=relatedness,
            score=score, developable_mu=developable_mu, va_100m=va_100m,
            area_mu=pick(area_mu, zeros_n),
            counts_for_quota=pick(counts_for_quota, np.ones(n, bool)),
            forced_exit=pick(forced_exit, np.zeros(n, bool)), quota=quota,
            base_developable_mu=pick(base_developable_mu, zeros_m),
            base_va_100m=pick(base_va_100m, zeros_m), base_area_mu=pick(base_area_mu, zeros_m),
            floor_mu=pick(floor_mu, zeros_m), floor_va_100m=pick(floor_va_100m, zeros_m),
            area_cap_mu=pick(area_cap_mu, np.full(m, np.inf)), **kwargs)

    def usable(self) -> np.ndarray:
        """(n, m) bool: pairs that get a variable (eligible and not forced out)."""
        return self.eligible & ~self.forced_exit[:, None]


@dataclass(frozen=True)
class CountySolution:
    """The solver's answer for one county.

    Attributes
    ----------
    county : str
    assignment : (n,) int
        Platform index joined by each candidate, ``-1`` for exit (or, for a zone, stays as it is).
    status : str
        ``optimal``, ``time_limit`` (best found, gap reported), or ``trivial`` (nothing to decide).
    objective : float
        Objective value of ``assignment`` (maximised); with a ``slack_penalty`` and relaxed
        floors, minus the penalty times the normalised shortfall.
    bound : float
        Best proven upper bound on the objective.
    gap : float
        Relative gap ``(bound - objective) / max(1, |objective|)``; 0 at proven optimality.
    floors_relaxed : bool
        ``True`` when no assignment reaches every R4 floor and the shortfall was minimised.
    shortfall_mu, shortfall_va_100m : (m,) float
        R4 shortfall of each platform under ``assignment`` (0 when met).
    exits : int
        Exits among the counted candidates, forced exits included.
    quota : (g,) int
    exits_by_group : (g,) int
        Exits in each quota group (county).
    seconds : float
        Wall-clock solver time.
    message : str
        The solver's own message for the last solve.
    """

    county: str
    assignment: np.ndarray
    status: str
    objective: float
    bound: float
    gap: float
    floors_relaxed: bool
    shortfall_mu: np.ndarray
    shortfall_va_100m: np.ndarray
    exits: int
    quota: np.ndarray
    seconds: float
    message: str = ""
    exits_by_group: np.ndarray | None = None

    @property
    def optimal(self) -> bool:
        """Whether the answer is proven optimal."""
        return self.status in ("optimal", "trivial")


def assignment_values(problem: CountyProblem) -> np.ndarray:
    """(n, m) objective value of each candidate-platform pair (see the module docstring).

    Examples
    --------
    >>> p = CountyProblem.build("A", eligible=[[True]], distance_km=[[0.0]],
    ...     relatedness=[[1.0]], score=[0.5], developable_mu=[1], va_100m=[1])
    >>> float(assignment_values(p)[0, 0])    # 1 + 0.5 + 0.2 + 0.1
    1.8
    """
    w = problem.weights
    near = np.clip(1.0 - problem.distance_km / problem.distance_limit_km, 0.0, 1.0)
    return (w.keep + w.score * problem.score[:, None] + w.relatedness * problem.relatedness
            + w.proximity * near)


def evaluate_assignment(problem: CountyProblem, assignment) -> dict:
    """Objective, exits, shortfalls and ceiling use of an assignment (no feasibility check).

    Returns a dict with ``objective``, ``exits``, ``shortfall_mu``, ``shortfall_va_100m``,
    ``shortfall`` (normalised total), ``area_mu`` (per platform, zone included),
    ``developable_mu`` and ``va_100m`` (per platform, zone included).
    """
    a = np.asarray(assignment, dtype=np.int64)
    kept = a >= 0
    values = assignment_values(problem)
    objective = float(values[np.flatnonzero(kept), a[kept]].sum()) if kept.any() else 0.0
    m = problem.m
    dev = problem.base_developable_mu + np.bincount(a[kept], problem.developable_mu[kept], m)
    va = problem.base_va_100m + np.bincount(a[kept], problem.va_100m[kept], m)
    area = problem.base_area_mu + np.bincount(a[kept], problem.area_mu[kept], m)
    short_mu = np.maximum(problem.floor_mu - dev, 0.0)
    short_va = np.maximum(problem.floor_va_100m - va, 0.0)
    out = problem.counts_for_quota & ~kept
    by_group = np.bincount(problem.quota_group[out], minlength=len(problem.quota))
    return {
        "objective": objective,
        "exits": int(out.sum()),
        "exits_by_group": by_group,
        "shortfall_mu": short_mu,
        "shortfall_va_100m": short_va,
        "shortfall": _normalised_shortfall(problem, short_mu, short_va),
        "developable_mu": dev,
        "va_100m": va,
        "area_mu": area,
    }


def _normalised_shortfall(problem, short_mu, short_va):
    total = 0.0
    for short, floor in ((short_mu, problem.floor_mu), (short_va, problem.floor_va_100m)):
        has = floor > 0
        total += float((short[has] / floor[has]).sum())
    return total


class _Model:
    """The MILP in scipy.optimize.milp's matrix form, built once per county."""

    def __init__(self, problem: CountyProblem):
        p = problem
        self.problem = p
        usable = p.usable()
        self.pairs = np.argwhere(usable)  # (k, 2): candidate, platform
        k = len(self.pairs)
        self.k = k
        values = assignment_values(p)
        self.values = values[self.pairs[:, 0], self.pairs[:, 1]] if k else np.zeros(0)
        pi, pj = (self.pairs[:, 0], self.pairs[:, 1]) if k else (np.zeros(0, int), np.zeros(0, int))
        var_of = np.full((p.n, p.m), -1, dtype=np.int64)
        var_of[pi, pj] = np.arange(k)
        self.var_of = var_of

        # flow variables (connected mode): one commodity per platform
        arcs_tail, arcs_head, arcs_plat = [], [], []
        if p.connected and k:
            links = p.links
            for j in range(p.m):
                ok = usable[:, j]
                src = np.flatnonzero(ok & p.direct[:, j])
                arcs_tail.append(np.full(len(src), -1))
                arcs_head.append(src)
                arcs_plat.append(np.full(len(src), j))
                if len(links):
                    both = ok[links[:, 0]] & ok[links[:, 1]]
                    a, b = links[both, 0], links[both, 1]
                    arcs_tail += [a, b]
                    arcs_head += [b, a]
                    arcs_plat += [np.full(len(a), j), np.full(len(b), j)]
        if arcs_tail:
            self.arc_tail = np.concatenate(arcs_tail).astype(np.int64)
            self.arc_head = np.concatenate(arcs_head).astype(np.int64)
            self.arc_plat = np.concatenate(arcs_plat).astype(np.int64)
        else:
            self.arc_tail = self.arc_head = self.arc_plat = np.zeros(0, dtype=np.int64)
        self.n_arcs = len(self.arc_tail)
        # slack variables: shortfall in mu and in 亿元 for each platform with a floor
        self.slack_mu = np.flatnonzero(p.floor_mu > 0)
        self.slack_va = np.flatnonzero(p.floor_va_100m > 0)

    # column layout: [x (k) | flow (n_arcs) | slack_mu | slack_va]
    def n_vars(self, relaxed):
        extra = len(self.slack_mu) + len(self.slack_va) if relaxed else 0
        return self.k + self.n_arcs + extra

    def constraints(self, relaxed):
        p, k = self.problem, self.k
        nv = self.n_vars(relaxed)
        rows, cols, vals, lo, hi = [], [], [], [], []
        r = 0

        def add(row_cols, row_vals, lower, upper):
            nonlocal r
            rows.append(np.full(len(row_cols), r))
            cols.append(np.asarray(row_cols, dtype=np.int64))
            vals.append(np.asarray(row_vals, dtype=float))
            lo.append(lower)
            hi.append(upper)
            r += 1

        pi, pj = self.pairs[:, 0], self.pairs[:, 1]
        xs = np.arange(k)
        # each candidate decided once
        for i in np.unique(pi):
            sel = xs[pi == i]
            if len(sel) > 1:
                add(sel, np.ones(len(sel)), -np.inf, 1.0)
        # R11, per county: kept counted candidates <= counted - quota
        counted_all = np.bincount(p.quota_group[p.counts_for_quota], minlength=len(p.quota))
        for g, q in enumerate(p.quota):
            sel = xs[p.counts_for_quota[pi] & (p.quota_group[pi] == g)]
            max_kept = int(counted_all[g] - q)
            if len(sel) > max_kept:
                add(sel, np.ones(len(sel)), -np.inf, float(max_kept))
        # R4 floors, with slack columns in the relaxed model
        slack_col = self.k + self.n_arcs
        slack_index = {}
        if relaxed:
            for name, idx in (("mu", self.slack_mu), ("va", self.slack_va)):
                for j in idx:
                    slack_index[name, int(j)] = slack_col
                    slack_col += 1
        for name, floor, base, amount in (
                ("mu", p.floor_mu, p.base_developable_mu, p.developable_mu),
                ("va", p.floor_va_100m, p.base_va_100m, p.va_100m)):
            for j in range(p.m):
                need = floor[j] - base[j]
                if floor[j] <= 0 or need <= 0:
                    continue
                sel = xs[pj == j]
                c, v = list(sel), list(amount[pi[sel]])
                if relaxed:
                    c.append(slack_index[name, j])
                    v.append(1.0)
                add(c, v, float(need), np.inf)
        # optional area ceilings
        for j in range(p.m):
            cap = p.area_cap_mu[j]
            if np.isfinite(cap):
                sel = xs[pj == j]
                if len(sel):
                    add(sel, p.area_mu[pi[sel]], -np.inf, float(max(cap - p.base_area_mu[j], 0.0)))
        # connected mode: flow conservation (a member without any arc in gets x = 0) and capacity
        if p.connected:
            flow0 = self.k
            for j in range(p.m):
                on_j = self.arc_plat == j
                members = np.flatnonzero(self.var_of[:, j] >= 0)
                cap = float(len(members))
                for i in members:
                    into = np.flatnonzero(on_j & (self.arc_head == i)) + flow0
                    out = np.flatnonzero(on_j & (self.arc_tail == i)) + flow0
                    c = np.concatenate([into, out, [self.var_of[i, j]]])
                    v = np.concatenate([np.ones(len(into)), -np.ones(len(out)), [-1.0]])
                    add(c, v, 0.0, 0.0)
            # an arc carries flow only into a park of the same platform
            for a in range(self.n_arcs):
                head_var = self.var_of[self.arc_head[a], self.arc_plat[a]]
                members = int((self.var_of[:, self.arc_plat[a]] >= 0).sum())
                add([flow0 + a, head_var], [1.0, -float(members)], -np.inf, 0.0)
        if not rows:
            return [], slack_index
        A = sparse.csr_array((np.concatenate(vals), (np.concatenate(rows), np.concatenate(cols))),
                             shape=(r, nv))
        return [LinearConstraint(A, np.array(lo), np.array(hi))], slack_index

    def bounds_and_integrality(self, relaxed):
        nv = self.n_vars(relaxed)
        upper = np.full(nv, np.inf)
        upper[: self.k] = 1.0
        integrality = np.zeros(nv, dtype=np.int64)
        integrality[: self.k] = 1
        return Bounds(np.zeros(nv), upper), integrality

    def decode(self, x):
        a = np.full(self.problem.n, -1, dtype=np.int64)
        if self.k:
            chosen = x[: self.k] > 0.5
            a[self.pairs[chosen, 0]] = self.pairs[chosen, 1]
        return a


def _run(c, constraints, bounds, integrality, time_limit, mip_gap):
    options = {"time_limit": float(time_limit), "mip_rel_gap": float(mip_gap), "disp": False}
    return milp(c=c, integrality=integrality, bounds=bounds, constraints=constraints,
                options=options)


def _has_solution(res):
    return res.x is not None and res.status in (0, 1)


def solve_county(problem: CountyProblem, *, time_limit: float = 60.0,
                 mip_gap: float = 0.0) -> CountySolution:
    """Assign one county's candidates to its main platforms, exactly (HiGHS MILP).

    Parameters
    ----------
    problem : CountyProblem
    time_limit : float
        Seconds per solver call. When it runs out, the best assignment found is
        returned with status ``time_limit`` and its gap.
    mip_gap : float
        Relative optimality gap at which HiGHS stops (0 = prove optimality).

    Returns
    -------
    CountySolution

    Raises
    ------
    SolverError
        When HiGHS ends without any assignment (the relaxed model always has one,
        so this means a solver failure or a time limit too short to find one);
        the message names the status.

    Examples
    --------
    A park 1 km from the platform and related joins; the quota (1 exit of 2)
    takes the weaker one:

    >>> p = CountyProblem.build("A", eligible=[[True], [True]], distance_km=[[1.0], [1.0]],
    ...     relatedness=[[1.0], [1.0]], score=[0.9, 0.1], developable_mu=[10, 10],
    ...     va_100m=[1, 1], quota=1)
    >>> s = solve_county(p)
    >>> s.status, s.assignment.tolist(), s.exits
    ('optimal', [0, -1], 1)
    """
    start = time.perf_counter()
    p = problem
    model = _Model(p)
    if model.k == 0:
        a = np.full(p.n, -1, dtype=np.int64)
        return _solution(p, a, "trivial", None, start, "nothing to decide")

    # phase A: floors hard
    cons, _ = model.constraints(relaxed=False)
    bounds, integ = model.bounds_and_integrality(relaxed=False)
    c = np.concatenate([-model.values, np.zeros(model.n_arcs)])
    res = _run(c, cons, bounds, integ, time_limit, mip_gap)
    if _has_solution(res):
        return _solution(p, model.decode(res.x), STATUS_NAMES[res.status], res, start,
                         res.message)
    if res.status not in (1, 2):
        raise SolverError(f"{p.county}: HiGHS ended with status '{STATUS_NAMES.get(res.status)}' "
                          f"({res.message}); no assignment")

    # floors unreachable: relax them with slack columns
    cons, slack_index = model.constraints(relaxed=True)
    bounds, integ = model.bounds_and_integrality(relaxed=True)
    nv = model.n_vars(relaxed=True)
    c_slack = np.zeros(nv)
    for (name, j), col in slack_index.items():
        floor = p.floor_mu[j] if name == "mu" else p.floor_va_100m[j]
        c_slack[col] = 1.0 / floor
    c_value = np.concatenate([-model.values, np.zeros(nv - model.k)])
    if p.slack_penalty is not None:
        # one solve: objective minus the penalised normalised shortfall
        res_p = _run(c_value + p.slack_penalty * c_slack, cons, bounds, integ, time_limit,
                     mip_gap)
        if not _has_solution(res_p):
            raise SolverError(f"{p.county}: HiGHS ended with status "
                              f"'{STATUS_NAMES.get(res_p.status)}' on the relaxed R4 model "
                              f"({res_p.message})")
        return _solution(p, model.decode(res_p.x), STATUS_NAMES[res_p.status], res_p, start,
                         res_p.message, relaxed=True)

    # phase B: the smallest normalised shortfall
    res_b = _run(c_slack, cons, bounds, integ, time_limit, mip_gap)
    if not _has_solution(res_b):
        raise SolverError(f"{p.county}: HiGHS ended with status '{STATUS_NAMES.get(res_b.status)}' "
                          f"while minimising the R4 shortfall ({res_b.message})")
    best_short = float(c_slack @ res_b.x)
    if best_short <= _SLACK_TOL:
        # the hard model ran out of time before finding a feasible point; the
        # relaxed one found an assignment meeting the floors
        return _solution(p, model.decode(res_b.x), "time_limit", None, start, res_b.message)

    # phase C: the best objective at that shortfall
    limit = LinearConstraint(sparse.csr_array(c_slack.reshape(1, -1)), -np.inf,
                             best_short * (1 + 1e-7) + 1e-9)
    res_c = _run(c_value, [*cons, limit], bounds, integ, time_limit, mip_gap)
    if not _has_solution(res_c):
        return _solution(p, model.decode(res_b.x), "time_limit", None, start, res_c.message,
                         relaxed=True)
    status = STATUS_NAMES[res_c.status] if res_b.status == 0 else "time_limit"
    return _solution(p, model.decode(res_c.x), status, res_c, start, res_c.message,
                     relaxed=True)


def _solution(p, assignment, status, res, start, message, *, relaxed=False):
    """Package an assignment with the solver's figures (objective maximised, bound >= objective).

    With a ``slack_penalty`` and relaxed floors, objective and bound are those of the
    penalised model (value minus penalty times normalised shortfall).
    """
    ev = evaluate_assignment(p, assignment)
    objective = ev["objective"]
    if relaxed and p.slack_penalty is not None:
        objective -= p.slack_penalty * ev["shortfall"]
    if status == "trivial" or res is None:
        bound = objective if status in ("optimal", "trivial") else np.inf
    else:
        bound = max(-float(res.mip_dual_bound), objective)
    gap = (bound - objective) / max(1.0, abs(objective)) if np.isfinite(bound) else np.inf
    if gap < 1e-9:
        gap = 0.0
    relaxed = relaxed or ev["shortfall"] > _SLACK_TOL
    return CountySolution(
        county=p.county, assignment=assignment, status=status, objective=objective,
        bound=float(bound), gap=float(gap), floors_relaxed=relaxed,
        shortfall_mu=ev["shortfall_mu"], shortfall_va_100m=ev["shortfall_va_100m"],
        exits=ev["exits"], quota=p.quota, seconds=time.perf_counter() - start,
        message=str(message), exits_by_group=ev["exits_by_group"])
