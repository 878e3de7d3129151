"""The exact assignment of one county's parks to its main platforms (R4, R7, R11).

The solver sees arrays, not geometry: :func:`solve_county` takes a
:class:`CountyProblem` (eligibility, distances, relatedness, scores and
indicators of the county's candidate parks, and the floors and ceilings of its
main platforms) and returns a :class:`CountySolution`. Everything geometric
(which park is near which platform) is decided before, in
:mod:`parkgeo.consolidate.eligibility`; :func:`parkgeo.consolidate.problem.build_problem`
is the seam between the two.

The model (documented for users in ``docs/consolidation.md``)
-------------------------------------------------------------
Binary ``x[i, j] = 1`` when candidate ``i`` joins main platform ``j``; a
candidate with no ``x = 1`` exits (a park) or stays as it is (a zone that is not
a main platform). Variables exist only for eligible pairs (R7: near enough and
related enough; R8 masks are applied to the eligibility beforehand).

Hard rules (level 1)::

    sum_j x[i, j] <= 1                                    each candidate decided once
    sum_{i counted in g} (1 - sum_j x[i, j]) >= quota[g]    R11 per county g (forced exits count)
    base_area[j] + sum_i area[i] x[i, j] <= cap[j]          optional ceiling (R2 reading)
    connected mode: single-commodity flow from each main zone, one unit to each of its
    sub-zones, along links shorter than the limit between parks of the same platform.

The objective is lexicographic, in this order of priorities (the plan's reading):

2. the number of platforms meeting R4 (``y[j] = 1`` forces both floors of ``j`` to hold),
   maximised — a floor that can be met is met;
3. the summed normalised R4 shortfall ``sum_j s_mu[j] / floor_mu[j] + s_va[j] / floor_va[j]``
   of the platforms that cannot, minimised;
4. the number of candidates kept, maximised (R9);
5. the kept candidates' summed per-mu score, maximised (R11: the weakest exit);
6. affinity, ``relatedness + max(0, 1 - distance / limit)`` summed over kept pairs, maximised:
   a tie-break only.

Levels 2–3 are solved as one objective and levels 4–5 as another, each pair with
weights separated by the data's own bounds (a platform's normalised shortfall is at
most 2, so a weight of ``2m + 1`` on the count of platforms meeting R4 puts any
count above any shortfall; a score sum is below ``1 + sum(score)``, so that weight on
the count of kept candidates puts any count above any score sum). Level 3 is
continuous and cannot be separated from level 4 by a weight, nor level 5 from level
6, so the three objectives are solved in sequence on one HiGHS model, each with the
previous optimum fixed as a constraint (to :data:`LEVEL_TOL`). When no floor binds,
no ceiling exists and the mode is not connected, the lexicographic optimum is known
in closed form (every eligible zone, and per county the strongest parks the quota
leaves, each with the platform of highest affinity); it is taken without a solve
when it meets every floor, which proves it optimal. Likewise for one platform whose
floors are out of reach even with every usable candidate (:func:`shortfall_closed_form`).

Counties are solved one by one; counties the scenario lets parks cross between
(R7 scope) are solved together, with one R11 quota row per county
(``quota_group``).

Solved with HiGHS through its own Python interface, :mod:`highspy` (one model per
county, modified in place between the levels).
"""

from __future__ import annotations

import math
import os
import sys
import time
from dataclasses import dataclass, field

import numpy as np

from ..errors import SolverError
from .eligibility import DISTANCE_TOL_KM

__all__ = [
    "ObjectiveWeights",
    "CountyProblem",
    "CountySolution",
    "LEVELS",
    "LEVEL_TOL",
    "affinity_values",
    "closed_form",
    "evaluate_assignment",
    "shortfall_closed_form",
    "level_values",
    "solve_county",
]

#: the objective's levels after the hard rules, in priority order (docs/consolidation.md)
LEVELS = ("r4_met", "r4_shortfall", "kept", "kept_score", "affinity")
#: absolute tolerance to which a level's optimum is fixed before the next level is solved
#: (and to which two assignments count as tied at a level)
LEVEL_TOL = 1e-6


@dataclass(frozen=True)
class ObjectiveWeights:
    """Weights inside level 6 of the objective, affinity (documented in ``docs/consolidation.md``).

    Affinity only breaks ties between assignments equal on every other level: which of two
    platforms a park joins, or which of two equally scored parks stays.

    Parameters
    ----------
    relatedness : float
        Weight of the industry relatedness to the platform joined (R7, in 0..1).
    proximity : float
        Weight of nearness, ``1 - distance / limit`` clipped at 0 (R7).
    """

    relatedness: float = 1.0
    proximity: float = 1.0

    def __post_init__(self):
        for name in ("relatedness", "proximity"):
            value = getattr(self, name)
            if not (isinstance(value, (int, float)) and math.isfinite(value) and value >= 0):
                raise ValueError(f"ObjectiveWeights.{name} must be a finite number >= 0, "
                                 f"got {value!r}")


def _array(value, dtype, shape, name):
    arr = np.array(value, dtype=dtype, copy=True)
    if arr.shape != shape:
        raise ValueError(f"CountyProblem.{name}: expected shape {shape}, got {arr.shape}")
    if dtype is float and np.isnan(arr).any():
        raise ValueError(f"CountyProblem.{name}: contains NaN")
    arr.flags.writeable = False
    return arr


#: CountyProblem's figures that must be >= 0
_NON_NEGATIVE = ("developable_mu", "va_100m", "area_mu", "score", "base_developable_mu",
                 "base_va_100m", "base_area_mu", "floor_mu", "floor_va_100m")


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
        Weights inside the affinity level (the tie-break).
    quota_group : (n,) int, optional
        The county (0..g-1) whose quota each candidate counts for; all 0 by default.

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
            direct = self.distance_km <= self.distance_limit_km + DISTANCE_TOL_KM
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
        for name in _NON_NEGATIVE:
            if (getattr(self, name) < 0).any():
                raise ValueError(f"CountyProblem.{name}: negative values")

    @classmethod
    def _from_arrays(cls, **fields):
        """A problem from arrays already of their types and shapes, as
        :func:`parkgeo.consolidate.problem.build_problem` makes them: read-only copies
        without the checks and coercions of the constructor (which cost more than the
        solve of a small county). Every field must be given."""
        self = object.__new__(cls)
        set_ = object.__setattr__
        for name, value in fields.items():
            if isinstance(value, np.ndarray):
                value = value.copy()
                value.flags.writeable = False
            set_(self, name, value)
        if self.distance_limit_km <= 0:
            raise ValueError("CountyProblem.distance_limit_km must be > 0")
        # the constructor's value checks that data can fail (NaN or negative figures), in one
        # pass over the figures together
        figures = np.concatenate([fields[name] for name in _NON_NEGATIVE])
        if np.isnan(figures).any() or (figures < 0).any():
            for name in _NON_NEGATIVE:
                if np.isnan(fields[name]).any():
                    raise ValueError(f"CountyProblem.{name}: contains NaN")
                if (fields[name] < 0).any():
                    raise ValueError(f"CountyProblem.{name}: negative values")
        return self

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
        ``optimal`` (every level proven optimal), ``time_limit`` (best found, gap reported) or
        ``trivial`` (no candidate may join any platform: nothing to decide).
    levels : dict
        The assignment's value at each level of the objective (:data:`LEVELS`): ``r4_met``
        platforms meeting R4, normalised ``r4_shortfall``, ``kept`` candidates, their summed
        per-mu score ``kept_score`` and their ``affinity``.
    objective : float
        Levels 4 and 5 as one figure, ``kept + kept_score``: the value of the assignment that
        the R11 decisions rest on.
    bound : float
        Upper bound on ``objective`` implied by the worst gap (equal to it at proven
        optimality).
    gap : float
        The largest relative gap ``(bound - value) / max(1, |value|)`` of any level solved;
        0 at proven optimality.
    floors_relaxed : bool
        ``True`` when the assignment leaves an R4 floor unmet (no assignment meets them all).
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
        How the answer was reached (``closed form``, or HiGHS's status per level solved).
    deciding : str
        The lowest level whose optimum differs from what the closed form (every eligible
        zone and the strongest parks the quota leaves, each with its platform of highest
        affinity) would give: ``""`` when the closed form is the answer, else one of
        :data:`LEVELS` or ``ceiling`` / ``connected`` (a hard rule).
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
    levels: dict = field(default_factory=dict)
    deciding: str = ""

    @property
    def optimal(self) -> bool:
        """Whether the answer is proven optimal."""
        return self.status in ("optimal", "trivial")


def affinity_values(problem: CountyProblem) -> np.ndarray:
    """(n, m) affinity of each candidate-platform pair: level 6 of the objective, the tie-break.

    ``relatedness * w_rel + max(0, 1 - distance / limit) * w_near`` (both weights 1 by default).

    Examples
    --------
    >>> p = CountyProblem.build("A", eligible=[[True]], distance_km=[[1.0]],
    ...     relatedness=[[0.5]], score=[0.5], developable_mu=[1], va_100m=[1])
    >>> float(affinity_values(p)[0, 0])    # 0.5 + (1 - 1/5)
    1.3
    """
    w = problem.weights
    near = np.clip(1.0 - problem.distance_km / problem.distance_limit_km, 0.0, 1.0)
    return w.relatedness * problem.relatedness + w.proximity * near


def _normalised_shortfall(problem, short_mu, short_va):
    total = 0.0
    for short, floor in ((short_mu, problem.floor_mu), (short_va, problem.floor_va_100m)):
        has = floor > 0
        total += float((short[has] / floor[has]).sum())
    return total


def level_values(problem: CountyProblem, assignment) -> dict:
    """The value of an assignment at each level of the objective (:data:`LEVELS`)."""
    return {k: v for k, v in evaluate_assignment(problem, assignment).items() if k in LEVELS}


def evaluate_assignment(problem: CountyProblem, assignment) -> dict:
    """Levels, exits, shortfalls and ceiling use of an assignment (no feasibility check).

    Returns a dict with the :data:`LEVELS` (``r4_met``, ``r4_shortfall``, ``kept``,
    ``kept_score``, ``affinity``), ``objective`` (``kept + kept_score``), ``exits``,
    ``exits_by_group``, ``shortfall_mu``, ``shortfall_va_100m``, and per platform (zone
    included) ``area_mu``, ``developable_mu`` and ``va_100m``.
    """
    a = np.asarray(assignment, dtype=np.int64)
    kept = a >= 0
    idx = np.flatnonzero(kept)
    m = problem.m
    dev = problem.base_developable_mu + np.bincount(a[kept], problem.developable_mu[kept], m)
    va = problem.base_va_100m + np.bincount(a[kept], problem.va_100m[kept], m)
    area = problem.base_area_mu + np.bincount(a[kept], problem.area_mu[kept], m)
    short_mu = np.maximum(problem.floor_mu - dev, 0.0)
    short_va = np.maximum(problem.floor_va_100m - va, 0.0)
    out = problem.counts_for_quota & ~kept
    by_group = np.bincount(problem.quota_group[out], minlength=len(problem.quota))
    n_kept = int(kept.sum())
    score = float(problem.score[idx].sum())
    return {
        "r4_met": int(((short_mu <= 0) & (short_va <= 0)).sum()),
        "r4_shortfall": _normalised_shortfall(problem, short_mu, short_va),
        "kept": n_kept,
        "kept_score": score,
        "affinity": float(affinity_values(problem)[idx, a[kept]].sum()) if n_kept else 0.0,
        "objective": n_kept + score,
        "exits": int(out.sum()),
        "exits_by_group": by_group,
        "shortfall_mu": short_mu,
        "shortfall_va_100m": short_va,
        "developable_mu": dev,
        "va_100m": va,
        "area_mu": area,
    }


def closed_form(problem: CountyProblem) -> np.ndarray:
    """The lexicographic optimum when no floor, ceiling or chain constrains it.

    Every usable zone is kept; in each county the strongest usable parks the R11 quota leaves
    (ties broken by affinity, then by position) are kept; each kept candidate joins its
    platform of highest affinity (ties: the lower index). It is the optimum of the whole
    problem whenever it meets every floor and there is neither a ceiling nor connected mode.
    """
    p = problem
    usable = p.usable()
    aff = np.where(usable, affinity_values(p), -np.inf)
    best_j = np.argmax(aff, axis=1)
    best_aff = aff[np.arange(p.n), best_j] if p.m else np.zeros(p.n)
    can = usable.any(axis=1)
    a = np.full(p.n, -1, dtype=np.int64)
    zones = can & ~p.counts_for_quota
    a[zones] = best_j[zones]
    # strongest first; equal scores: higher affinity first; then lower position
    take = _fill_quota(p, can, (-best_aff, -p.score))
    a[take] = best_j[take]
    return a


def _fill_quota(p, usable_rows, keys):
    """Counted candidates kept in each county: as many of ``usable_rows`` as its R11 quota
    leaves, ordered by ``keys`` (arrays, last one primary, as :func:`numpy.lexsort`)."""
    counted_all = np.bincount(p.quota_group[p.counts_for_quota], minlength=len(p.quota))
    out = []
    for g, q in enumerate(p.quota):
        cand = np.flatnonzero(usable_rows & p.counts_for_quota & (p.quota_group == g))
        room = int(counted_all[g] - q)
        if room <= 0 or not len(cand):
            continue
        order = np.lexsort((cand, *(k[cand] for k in keys)))
        out.append(cand[order[:room]])
    return np.concatenate(out) if out else np.zeros(0, dtype=np.int64)


def _keeps_all(p, assignment, usable):
    """Whether ``assignment`` keeps every usable candidate, each of which has one platform."""
    can = usable.any(axis=1)
    return bool((usable.sum(axis=1) <= 1).all() and (assignment[can] >= 0).all())


def shortfall_closed_form(problem: CountyProblem):
    """The lexicographic optimum of one platform whose every floor is out of reach, or None.

    With one platform, no ceiling and no chain, when even every usable candidate together
    leaves each of the platform's floors unmet, the normalised shortfall is a constant minus
    ``sum_i w_i x_i`` with ``w_i = developable_mu_i / floor_mu + va_i / floor_va``: level 3
    is then a choice of the largest ``w`` under the quota (every usable zone kept, ``w >= 0``),
    level 4 is met by filling the quota, and levels 5 and 6 order equal ``w`` — so the
    optimum is the strongest parks by ``(w, score, affinity)``. ``None`` when a floor is
    within reach (a MILP decides then).
    """
    p = problem
    if p.m != 1 or p.connected or np.isfinite(p.area_cap_mu).any():
        return None
    usable = p.usable()[:, 0]
    w = np.zeros(p.n)
    for floor, base, amount in ((p.floor_mu[0], p.base_developable_mu[0], p.developable_mu),
                                (p.floor_va_100m[0], p.base_va_100m[0], p.va_100m)):
        if floor <= 0:
            continue
        if base + amount[usable].sum() >= floor - LEVEL_TOL:
            return None
        w += amount / floor
    aff = affinity_values(p)[:, 0]
    a = np.full(p.n, -1, dtype=np.int64)
    a[usable & ~p.counts_for_quota] = 0
    a[_fill_quota(p, usable, (-aff, -p.score, -w))] = 0
    return a


class _Model:
    """The MILP as one HiGHS model: built once per county, its objective changed per level."""

    def __init__(self, problem: CountyProblem):
        p = problem
        self.problem = p
        usable = p.usable()
        self.pairs = np.argwhere(usable)  # (k, 2): candidate, platform
        k = len(self.pairs)
        self.k = k
        pi, pj = self.pairs[:, 0], self.pairs[:, 1]
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
        # R4 per platform with a floor that the main zone alone does not meet: y (meets R4),
        # slack in mu and in 亿元
        need_mu = np.maximum(p.floor_mu - p.base_developable_mu, 0.0)
        need_va = np.maximum(p.floor_va_100m - p.base_va_100m, 0.0)
        self.need = {"mu": np.where(p.floor_mu > 0, need_mu, 0.0),
                     "va": np.where(p.floor_va_100m > 0, need_va, 0.0)}
        self.floor = {"mu": p.floor_mu, "va": p.floor_va_100m}
        self.amount = {"mu": p.developable_mu, "va": p.va_100m}
        self.r4 = np.flatnonzero((self.need["mu"] > 0) | (self.need["va"] > 0))
        col = k + self.n_arcs
        self.y_col = {int(j): col + t for t, j in enumerate(self.r4)}
        col += len(self.r4)
        self.s_col = {}
        for name in ("mu", "va"):
            for j in self.r4:
                if self.need[name][j] > 0:
                    self.s_col[name, int(j)] = col
                    col += 1
        self.n_vars = col

    def build(self, time_limit, mip_gap):
        """A HiGHS instance holding the hard rules (level 1) and the R4 rows."""
        import highspy

        p, k = self.problem, self.k
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
        order = np.argsort(pi, kind="stable")
        cuts = np.flatnonzero(np.diff(pi[order])) + 1
        for sel in np.split(xs[order], cuts):
            if len(sel) > 1:
                add(sel, np.ones(len(sel)), -np.inf, 1.0)
        # R11, per county: kept counted candidates <= counted - quota
        counted_all = np.bincount(p.quota_group[p.counts_for_quota], minlength=len(p.quota))
        for g, q in enumerate(p.quota):
            sel = xs[p.counts_for_quota[pi] & (p.quota_group[pi] == g)]
            max_kept = int(counted_all[g] - q)
            if len(sel) > max_kept:
                add(sel, np.ones(len(sel)), -np.inf, float(max_kept))
        # R4: amount + slack >= need; slack <= need * (1 - y)  (y = 1: the floor holds)
        for name in ("mu", "va"):
            need = self.need[name]
            for j in self.r4:
                if need[j] <= 0:
                    continue
                sel = xs[pj == j]
                s = self.s_col[name, int(j)]
                add(np.concatenate([sel, [s]]),
                    np.concatenate([self.amount[name][pi[sel]], [1.0]]), float(need[j]), np.inf)
                add([s, self.y_col[int(j)]], [1.0, float(need[j])], -np.inf, float(need[j]))
        # optional area ceilings
        for j in range(p.m):
            cap = p.area_cap_mu[j]
            if np.isfinite(cap):
                sel = xs[pj == j]
                if len(sel):
                    add(sel, p.area_mu[pi[sel]], -np.inf, float(max(cap - p.base_area_mu[j], 0.0)))
        # connected mode: flow conservation (a member without any arc in gets x = 0) and capacity
        if p.connected:
            flow0 = k
            for j in range(p.m):
                on_j = self.arc_plat == j
                members = np.flatnonzero(self.var_of[:, j] >= 0)
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

        nv = self.n_vars
        upper = np.full(nv, np.inf)
        upper[:k] = 1.0
        for col in self.y_col.values():
            upper[col] = 1.0
        integer = np.zeros(nv, dtype=bool)
        integer[:k] = True
        integer[list(self.y_col.values())] = True

        h = _new_highs()
        h.setOptionValue("time_limit", float(time_limit))
        h.setOptionValue("mip_rel_gap", float(mip_gap))
        h.setOptionValue("mip_abs_gap", LEVEL_TOL / 10)
        h.setOptionValue("random_seed", 0)
        h.setOptionValue("threads", 1)
        inf = highspy.kHighsInf
        h.addVars(nv, np.zeros(nv), np.where(np.isfinite(upper), upper, inf))
        h.changeColsIntegrality(
            int(integer.sum()), np.flatnonzero(integer).astype(np.int32),
            np.full(int(integer.sum()), highspy.HighsVarType.kInteger))
        if rows:
            # rows were added in order, each with distinct columns: that is CSR already
            starts = np.concatenate([[0], np.cumsum([len(c) for c in cols])[:-1]])
            low = np.where(np.isfinite(lo), lo, -inf)
            high = np.where(np.isfinite(hi), hi, inf)
            index = np.concatenate(cols).astype(np.int32)
            h.addRows(r, low, high, len(index), starts.astype(np.int32), index,
                      np.concatenate(vals))
        return h

    def objectives(self):
        """Coefficients (to maximise) of the three solved objectives: levels 2–3, 4–5, 6."""
        p, k = self.problem, self.k
        pi, pj = self.pairs[:, 0], self.pairs[:, 1]
        c23 = np.zeros(self.n_vars)
        for col in self.y_col.values():
            c23[col] = 2.0 * p.m + 1.0
        for (name, j), col in self.s_col.items():
            c23[col] = -1.0 / self.floor[name][j]
        c45 = np.zeros(self.n_vars)
        w4 = 1.0 + float(p.score[np.unique(pi)].sum())
        c45[:k] = w4 + p.score[pi]
        c6 = np.zeros(self.n_vars)
        c6[:k] = affinity_values(p)[pi, pj]
        return c23, c45, c6

    def decode(self, x):
        a = np.full(self.problem.n, -1, dtype=np.int64)
        if self.k:
            chosen = np.asarray(x[: self.k]) > 0.5
            a[self.pairs[chosen, 0]] = self.pairs[chosen, 1]
        return a


_OPTIMAL, _TIME, _SOLVE_ERROR = "Optimal", "Time limit reached", "Solve error"
_BANNER_SWALLOWED = False


def _new_highs():
    """A silent HiGHS instance.

    HiGHS writes its banner to the process's standard output when the first instance is
    built, before any option can silence it; parkgeo's standard output may carry a report
    (``--json -``), so that first construction runs with file descriptor 1 pointed at
    ``os.devnull`` (by hand: no library option reaches the banner).
    """
    import highspy

    global _BANNER_SWALLOWED
    if _BANNER_SWALLOWED:
        h = highspy.Highs()
    else:
        sys.stdout.flush()
        saved = os.dup(1)
        try:
            with open(os.devnull, "wb") as null:
                os.dup2(null.fileno(), 1)
                h = highspy.Highs()
        finally:
            os.dup2(saved, 1)
            os.close(saved)
        _BANNER_SWALLOWED = True
    h.silent()
    return h


def _maximise(h, c):
    """Solve ``max c·x`` on the model in place; returns (x or None, status, bound, value).

    No start solution is passed: HiGHS 1.16 can report a given start as optimal on a
    modified model without searching, so each level is searched from scratch.
    """
    nv = len(c)
    h.changeColsCost(nv, np.arange(nv, dtype=np.int32), -np.asarray(c, dtype=float))
    h.run()
    status = h.modelStatusToString(h.getModelStatus())
    if status == _SOLVE_ERROR:
        # HiGHS's own check after presolve can reject an optimum it postsolved by 1e-6 (seen
        # when a level's optimum is held as a row with small floor-normalised coefficients):
        # the same level searched without presolve is exact
        h.setOptionValue("presolve", "off")
        try:
            h.run()
        finally:
            h.setOptionValue("presolve", "choose")
        status = h.modelStatusToString(h.getModelStatus())
    info = h.getInfo()
    x = None
    if info.primal_solution_status == 2:  # feasible
        x = np.asarray(h.getSolution().col_value)
    bound = -float(info.mip_dual_bound) if np.isfinite(info.mip_dual_bound) else np.inf
    value = -float(info.objective_function_value) if x is not None else -np.inf
    return x, status, bound, value


def _fix(h, c, value, tol, *, at_least=True):
    """Add the row ``c·x >= value - tol`` (a level's optimum held while the next is solved)."""
    import highspy

    nz = np.flatnonzero(c)
    lo, hi = (value - tol, highspy.kHighsInf) if at_least else (-highspy.kHighsInf, value + tol)
    h.addRow(lo, hi, len(nz), nz.astype(np.int32), np.asarray(c)[nz])


def solve_county(problem: CountyProblem, *, time_limit: float = 60.0,
                 mip_gap: float = 0.0) -> CountySolution:
    """Assign one county's candidates to its main platforms, lexicographically optimal.

    Parameters
    ----------
    problem : CountyProblem
    time_limit : float
        Seconds per level solved. When it runs out, the best assignment found is returned
        with status ``time_limit`` and its gap.
    mip_gap : float
        Relative optimality gap at which HiGHS stops each level (0 = prove optimality).

    Returns
    -------
    CountySolution

    Raises
    ------
    SolverError
        When HiGHS ends without any assignment (the model always has one — every candidate
        out — so this means a solver failure); the message names the status.

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
    usable = p.usable()
    if not usable.any():
        a = np.full(p.n, -1, dtype=np.int64)
        return _solution(p, a, "trivial", start, "nothing to decide", 0.0, "")

    greedy = closed_form(p)
    simple = not p.connected and not np.isfinite(p.area_cap_mu).any()
    ev = evaluate_assignment(p, greedy)
    meets_all = ev["r4_met"] == p.m
    if simple and meets_all:
        return _solution(p, greedy, "optimal", start, "closed form", 0.0, "")
    if simple and _keeps_all(p, greedy, usable):
        # every usable candidate is kept, each with its only usable platform: no other
        # assignment reaches more of any floor, keeps more, or keeps stronger candidates
        return _solution(p, greedy, "optimal", start, "closed form (all kept)", 0.0, "")
    if simple and p.m == 1:
        short = shortfall_closed_form(p)
        if short is not None:
            deciding = "" if np.array_equal(short, greedy) else "r4_shortfall"
            return _solution(p, short, "optimal", start, "closed form (R4 out of reach)", 0.0,
                             deciding)

    model = _Model(p)
    h = model.build(time_limit, mip_gap)
    c23, c45, c6 = model.objectives()
    status, gap, messages, best = "optimal", 0.0, [], None
    for level, c in (("r4", c23), ("keep", c45), ("affinity", c6)):
        if level == "r4" and not model.r4.size:
            continue
        x, text, bound, value = _maximise(h, c)
        messages.append(f"{level}: {text}")
        if x is None:
            if best is None:
                raise SolverError(f"{p.county}: HiGHS ended with '{text}' and no assignment "
                                  f"(objective level {level})")
            status = "time_limit"
            gap = np.inf
            break
        a = model.decode(x)
        if text != _OPTIMAL:
            status = "time_limit"
        if np.isfinite(bound):
            gap = max(gap, max(bound - value, 0.0) / max(1.0, abs(value)))
        else:
            gap = np.inf
        best = a
        if status != "optimal":
            break
        _fix(h, c, value, LEVEL_TOL)
    deciding = _deciding(p, best, greedy, simple)
    return _solution(p, best, status, start, "; ".join(messages), gap if gap > 1e-9 else 0.0,
                     deciding)


def _deciding(p, best, greedy, simple):
    """The first level at which the optimum departs from the closed form."""
    if np.array_equal(best, greedy):
        return ""
    lv_best, lv_greedy = level_values(p, best), level_values(p, greedy)
    if (lv_best["r4_met"] != lv_greedy["r4_met"]
            or lv_best["r4_shortfall"] < lv_greedy["r4_shortfall"] - LEVEL_TOL):
        return "r4_met" if lv_best["r4_met"] != lv_greedy["r4_met"] else "r4_shortfall"
    if not simple:
        return "ceiling" if np.isfinite(p.area_cap_mu).any() else "connected"
    for name in ("kept", "kept_score", "affinity"):
        if abs(lv_best[name] - lv_greedy[name]) > LEVEL_TOL:
            return name
    return ""


def _solution(p, assignment, status, start, message, gap, deciding):
    """Package an assignment with its levels; the bound is the one the worst gap implies."""
    ev = evaluate_assignment(p, assignment)
    objective = ev["objective"]
    bound = objective + gap * max(1.0, abs(objective)) if np.isfinite(gap) else np.inf
    return CountySolution(
        county=p.county, assignment=assignment, status=status, objective=float(objective),
        bound=float(bound), gap=float(gap), floors_relaxed=bool(ev["r4_shortfall"] > 0),
        shortfall_mu=ev["shortfall_mu"], shortfall_va_100m=ev["shortfall_va_100m"],
        exits=ev["exits"], quota=p.quota, seconds=time.perf_counter() - start,
        message=str(message), exits_by_group=ev["exits_by_group"],
        levels={k: ev[k] for k in LEVELS}, deciding=deciding)
