r"""The seam between geometry and the optimiser: one county group's problem, as arrays.

Everything geometric (which park is near which main platform, and how far) is measured before,
in :mod:`parkgeo.consolidate.eligibility`; :func:`build_problem` turns those distances, the
candidates' industry codes and figures and the scenario into the arrays of a
:class:`~parkgeo.consolidate.solver.CountyProblem` — R7 relatedness and scope, R8 masks, the
connected-mode reach, the R11 quota and the R4 floors — so the optimiser can be used and
tested without the pipeline (as spopt's ``from_cost_matrix``)::

    candidates (parks, zones)      mains (main platforms)      pairs (i, j, km)
              \_______________________|_______________________/
                                 build_problem
                                       |
                    GroupProblem (eligible, quota, … , .problem)
                                       |
                        solver.solve_county(problem)

:func:`parkgeo.consolidate.integrate.integrate` builds one per county group, in a process pool.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from ..scenario import Scenario
from .classify import r11_quota
from .eligibility import DISTANCE_TOL_KM, allowed_pairs
from .relatedness import relatedness_matrix
from .solver import CountyProblem, CountySolution, ObjectiveWeights

__all__ = ["Candidates", "MainPlatforms", "GroupProblem", "build_problem", "allowed_matrix",
           "reachable", "CANDIDATE_FIELDS", "MAIN_FIELDS"]

def _column(name, values, n, dtype):
    """``values`` as a 1-d array of ``n`` values of ``dtype`` (a clear error otherwise)."""
    arr = np.asarray(values, dtype=dtype)
    if arr.ndim != 1 or (n is not None and len(arr) != n):
        raise ValueError(f"{name}: expected {n if n is not None else 'a'} value(s) in one "
                         f"dimension, got shape {arr.shape}")
    return arr


class _Columns:
    """Columns of one length, each coerced to its type (``_types()``) on construction; the
    optional ones left None get the class's neutral ``_defaults``."""

    _PREFIX = ""

    @classmethod
    def _types(cls):
        return _CANDIDATE_TYPES if cls is Candidates else _MAIN_TYPES

    def _defaults(self, n):
        return {}

    def __post_init__(self):
        n = len(np.asarray(self.county))
        defaults = self._defaults(n)
        for name, dtype in self._types().items():
            value = getattr(self, name)
            if value is None:
                value = defaults[name]
            object.__setattr__(self, name, _column(f"{self._PREFIX}.{name}", value, n, dtype))

    def __len__(self):
        return len(self.county)

    @classmethod
    def from_columns(cls, columns):
        """From a mapping (or DataFrame) of columns with the field names; others are ignored."""
        if isinstance(columns, cls):
            return columns
        return cls(**{name: columns[name] for name in cls._types() if name in columns})


@dataclass(frozen=True)
class Candidates(_Columns):
    """Every candidate of a consolidation — a park taking part, or a zone that is not a main
    platform — as columns of one length (row ``i`` is candidate ``i``).

    The eight optimisation fields are required; the descriptive ones (``kind`` … ``not_main_zh``)
    are what the reasons quote, and default to neutral values for a problem built by hand.
    Columns are coerced to arrays of their type on construction; columns of different lengths
    are refused (``ValueError``).
    """

    #: county of each candidate (text)
    county: np.ndarray
    #: GB/T 4754 industry codes (text, ``;``-separated)
    codes: np.ndarray
    #: per-mu score (R11: the weakest exit)
    score: np.ndarray
    #: developable land, mu (R4)
    dev: np.ndarray
    #: industrial value added, 亿元 (R4)
    va: np.ndarray
    #: area, mu (R2 area caps)
    area: np.ndarray
    #: counted for the R11 quota (a park; a zone is not)
    counted: np.ndarray
    #: must exit whatever the assignment (R9/R10)
    forced: np.ndarray
    #: "park" or "zone"
    kind: np.ndarray | None = None
    #: row of the candidate in its input layer (parks or zones)
    pos: np.ndarray | None = None
    #: park_id or zone_id, and name
    id: np.ndarray | None = None
    name: np.ndarray | None = None
    #: for a zone: why it is not a main platform (R6), per language ("" for a park)
    not_main_en: np.ndarray | None = None
    not_main_zh: np.ndarray | None = None

    _PREFIX = "candidates"

    def _defaults(self, n):
        ids = np.array([str(i) for i in range(n)], dtype=object)
        return {"kind": np.full(n, "park", dtype=object), "pos": np.arange(n), "id": ids,
                "name": ids, "not_main_en": np.full(n, "", dtype=object),
                "not_main_zh": np.full(n, "", dtype=object)}


@dataclass(frozen=True)
class MainPlatforms(_Columns):
    """Every main platform of a consolidation (its main zone's figures), as columns of one
    length; row ``j`` is main platform ``j``. Coerced and checked as :class:`Candidates`."""

    #: county of the platform (text)
    county: np.ndarray
    #: the main zone's GB/T 4754 codes (text)
    codes: np.ndarray
    #: the main zone's developable mu, value added (亿元) and area (mu): R4's starting point
    dev: np.ndarray
    va: np.ndarray
    area: np.ndarray
    #: the county's R2 area cap in mu (``inf``: none)
    cap_mu: np.ndarray
    #: row of the main zone in the zones layer, its zone_id and name
    zpos: np.ndarray | None = None
    zone_id: np.ndarray | None = None
    name: np.ndarray | None = None

    _PREFIX = "mains"

    def _defaults(self, n):
        ids = np.array([f"M{j}" for j in range(n)], dtype=object)
        return {"zpos": np.arange(n), "zone_id": ids, "name": ids}


_CANDIDATE_TYPES = {"county": object, "codes": object, "score": float, "dev": float, "va": float,
                    "area": float, "counted": bool, "forced": bool, "kind": object,
                    "pos": np.int64, "id": object, "name": object, "not_main_en": object,
                    "not_main_zh": object}
_MAIN_TYPES = {"county": object, "codes": object, "dev": float, "va": float, "area": float,
               "cap_mu": float, "zpos": np.int64, "zone_id": object, "name": object}

#: the fields a :class:`Candidates` must be given: county, GB/T 4754 codes (text), per-mu
#: score, developable mu, value added (亿元), area (mu), counted for R11 (a park), forced exit
CANDIDATE_FIELDS = ("county", "codes", "score", "dev", "va", "area", "counted", "forced")
#: the fields a :class:`MainPlatforms` must be given: county, codes, its main zone's
#: developable mu, value added and area, and the R2 area cap in mu (``inf`` for none)
MAIN_FIELDS = ("county", "codes", "dev", "va", "area", "cap_mu")


@dataclass
class GroupProblem:
    """One county group's problem and, once worked, its solution, reasons and R4 notes.

    ``ci`` and ``mj`` are the rows of the group's candidates and main platforms in the whole
    dataset's arrays; the matrices are ``(len(ci), len(mj))``.
    """

    #: the counties solved together (joined by allowed cross-county joining)
    group: tuple
    #: rows of the candidates and of the main platforms
    ci: np.ndarray
    mj: np.ndarray
    #: edge-to-edge distance, km (``inf`` beyond reach)
    dist: np.ndarray
    #: industry relatedness 0..1 (R7)
    rel: np.ndarray
    #: R7 scope and R8 masks allow the pair
    allowed: np.ndarray
    #: related enough (``rel >= min_relatedness``)
    related: np.ndarray
    #: may join (near, related, allowed; in connected mode reachable through a chain)
    eligible: np.ndarray
    #: R11 exits required per county of the group, and each candidate's county in the group
    quota: np.ndarray
    qgroup: np.ndarray
    #: connected mode: pairs of candidates within the limit of each other, local rows
    links: np.ndarray
    #: the solver's problem (None when the group has no candidate or no main platform)
    problem: CountyProblem | None = None
    solution: CountySolution | None = None
    #: per candidate, the local platform it joins (-1: none)
    local: np.ndarray | None = None
    #: per candidate, the main platform it joins as a row of the whole run's main platforms
    #: (-1: none), and its distance, km, to that platform or else to the nearest one it may
    #: join (NaN: none within reach)
    assigned: np.ndarray | None = None
    reach_km: np.ndarray | None = None
    #: reasons of the candidates, in each language
    reasons: object = None
    #: R4 notes by main row: (shortfall mu, shortfall 亿元, note en, note zh)
    notes: dict = field(default_factory=dict)


def allowed_matrix(c_county, m_county, cross, functional):
    """(n, m) bool: R7 scope — same county, or a pair of counties the scenario allows (never
    for an R8 functional zone)."""
    n, m = len(c_county), len(m_county)
    return allowed_pairs(np.repeat(c_county, m), np.tile(m_county, n), cross,
                         functional).reshape(n, m)


def build_problem(group, candidates, mains, pairs, *, ci=None, mj=None, links=None,
                  scenario=None, weights=None) -> GroupProblem:
    """The arrays of one county group's assignment problem (no geometry past this point).

    Parameters
    ----------
    group : sequence of str
        The counties solved together (one county, or counties joined by ``cross_county``).
    candidates : Candidates, or a mapping of str to array
        Every candidate (of the group, or of the whole dataset with ``ci`` selecting the
        group's rows); a mapping needs the :data:`CANDIDATE_FIELDS`.
    mains : MainPlatforms, or a mapping of str to array
        Every main platform (``mj`` selects the group's rows); a mapping needs the
        :data:`MAIN_FIELDS`.
    pairs : (i, j, km) arrays
        Candidate row, main row and edge-to-edge distance of every pair within reach (as
        :func:`parkgeo.consolidate.eligibility.near_pairs` measures them); rows are those of
        ``candidates`` and ``mains``.
    ci, mj : int arrays, optional
        Sorted rows of the group's candidates and main platforms (all rows by default).
    links : (left, right) arrays, optional
        Connected mode: candidate rows within the limit of each other.
    scenario : Scenario, optional
        Supplies R7 (distance, relatedness, related pairs, cross-county scope), R8, R11 and
        R4; the policy's defaults without it.
    weights : ObjectiveWeights, optional

    Returns
    -------
    GroupProblem
        ``.problem`` is the :class:`~parkgeo.consolidate.solver.CountyProblem` to solve
        (None when the group has no candidate or no main platform).

    Examples
    --------
    Two parks near one main platform of 9,000 mu; the R4 floor is 10,000 mu:

    >>> import numpy as np
    >>> from parkgeo.consolidate.solver import solve_county
    >>> parks = {"county": np.array(["A", "A"]), "codes": np.array(["C38", "C17"]),
    ...          "score": np.array([1.0, 0.5]), "dev": np.array([1500.0, 800.0]),
    ...          "va": np.array([10.0, 2.0]), "area": np.array([900.0, 500.0]),
    ...          "counted": np.array([True, True]), "forced": np.array([False, False])}
    >>> main = {"county": np.array(["A"]), "codes": np.array(["C38;C39"]),
    ...         "dev": np.array([9000.0]), "va": np.array([75.0]), "area": np.array([3000.0]),
    ...         "cap_mu": np.array([np.inf])}
    >>> b = build_problem(["A"], parks, main, (np.array([0, 1]), np.array([0, 0]),
    ...                                        np.array([1.0, 2.0])))
    >>> b.eligible.ravel().tolist(), b.quota.tolist()     # C17 is not related to C38 (R7)
    ([True, False], [1])
    >>> solve_county(b.problem).assignment.tolist()       # the related park joins, R4 met
    [0, -1]
    """
    group = tuple(group)
    candidates = Candidates.from_columns(candidates)
    mains = MainPlatforms.from_columns(mains)
    scenario = scenario or Scenario()
    weights = weights or ObjectiveWeights()
    ci = np.arange(len(candidates)) if ci is None else np.asarray(ci)
    mj = np.arange(len(mains)) if mj is None else np.asarray(mj)
    c = scenario.consolidate
    limit = float(c.distance_km)
    functional = set(c.functional_zones)
    cross = tuple(tuple(p) for p in c.cross_county)
    table = tuple(c.related)
    n, m = len(ci), len(mj)
    dist = np.full((n, m), np.inf)
    pi, pj, pdist = pairs
    if len(pi):
        # near_pairs returns only pairs R7/R8 allow, so both ends lie in this group
        row, col = np.searchsorted(ci, pi), np.searchsorted(mj, pj)
        if not (len(mj) and (col < m).all() and (mj[np.minimum(col, m - 1)] == pj).all()
                and (ci[np.minimum(row, n - 1)] == pi).all()):
            raise RuntimeError(f"{' + '.join(group)}: a candidate-platform pair crosses the "
                               "county group (R7 scope)")
        dist[row, col] = pdist
    rel = relatedness_matrix(candidates.codes[ci], mains.codes[mj], table) if n and m \
        else np.zeros((n, m))
    c_county = candidates.county[ci]
    m_county = mains.county[mj]
    # one county (the usual group): every pair lies within it, so R7 scope allows them all
    one = len(group) == 1 and (c_county == group[0]).all() and (m_county == group[0]).all()
    allowed = np.ones((n, m), bool) if one else allowed_matrix(c_county, m_county, cross,
                                                                functional)
    related = rel >= c.min_relatedness - 1e-12
    direct = allowed & related & (dist <= limit + DISTANCE_TOL_KM)
    local_links = np.zeros((0, 2), dtype=np.int64)
    if c.connected and links is not None and n:
        left, right = links
        inside = np.isin(right, ci)
        local_links = np.stack([np.searchsorted(ci, left[inside]),
                                np.searchsorted(ci, right[inside])], axis=1).astype(np.int64)
        eligible = reachable(direct, allowed & related, local_links)
    else:
        eligible = direct
    forced = candidates.forced[ci]
    counted = candidates.counted[ci]
    if one:
        qgroup = np.zeros(n, dtype=np.int64)
        quota = np.array([r11_quota(int(counted.sum()), c.exit_share)], dtype=np.int64)
    else:
        qgroup = np.array([group.index(cty) for cty in c_county], dtype=np.int64)
        quota = np.array([r11_quota(int((counted & (qgroup == g)).sum()), c.exit_share)
                          for g in range(len(group))], dtype=np.int64)
    out = GroupProblem(group=tuple(group), ci=ci, mj=mj, dist=dist, rel=rel, allowed=allowed,
                       related=related, eligible=eligible, quota=quota, qgroup=qgroup,
                       links=local_links)
    if not m or not n:
        return out
    # every array below is of the type and shape CountyProblem checks for (Candidates and
    # MainPlatforms coerced them), so its checks are skipped
    out.problem = CountyProblem._from_arrays(
        county=" + ".join(group), eligible=eligible,
        distance_km=np.where(np.isfinite(dist), dist, 1e6), relatedness=rel,
        score=candidates.score[ci], developable_mu=candidates.dev[ci],
        va_100m=candidates.va[ci], area_mu=candidates.area[ci], counts_for_quota=counted,
        forced_exit=forced, quota=quota,
        quota_group=qgroup, base_developable_mu=mains.dev[mj], base_va_100m=mains.va[mj],
        base_area_mu=mains.area[mj], floor_mu=np.full(m, float(c.min_developable_mu)),
        floor_va_100m=np.full(m, float(c.min_va_100m)), area_cap_mu=mains.cap_mu[mj],
        distance_limit_km=limit, connected=bool(c.connected), direct=direct,
        links=local_links, weights=weights)
    return out


def reachable(direct, usable, links):
    """Connected mode: candidates reachable from each main zone through usable candidates."""
    from scipy.sparse import coo_array
    from scipy.sparse.csgraph import breadth_first_order

    n, m = direct.shape
    out = np.zeros((n, m), bool)
    for j in range(m):
        ok = usable[:, j]
        # node n is the main zone; edges: main-candidate (direct), candidate-candidate (links)
        src = np.flatnonzero(direct[:, j] & ok)
        both = ok[links[:, 0]] & ok[links[:, 1]] if len(links) else np.zeros(0, bool)
        rows = np.concatenate([np.full(len(src), n), links[both, 0]])
        cols = np.concatenate([src, links[both, 1]])
        graph = coo_array((np.ones(len(rows)), (rows, cols)), shape=(n + 1, n + 1))
        order = breadth_first_order(graph, n, directed=False, return_predecessors=False)
        out[order[order < n], j] = True
    return out
