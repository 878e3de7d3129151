"""Consolidation end to end: main platforms, classification, exact assignment, explanations.

:func:`integrate` runs the stages on a dataset and returns a
:class:`~parkgeo.result.ConsolidationResult` (``IntegrationResult`` is the same type), which
writes itself as the GeoPackage of DATA-CONTRACT "Output of consolidation".

1. Main platforms per county (R3, R6) — :func:`parkgeo.consolidate.classify.choose_main_platforms`.
2. Characteristic towns ``excluded`` unless included (R7); R10 exits —
   :func:`parkgeo.consolidate.classify.classify_parks`.
3. Distances (STRtree, per-county Gauss-Kruger zone) and relatedness (GB/T 4754) —
   :mod:`parkgeo.consolidate.eligibility`, :mod:`parkgeo.consolidate.relatedness`.
4. One problem per county group (counties linked by allowed cross-county joining), built from
   arrays by :func:`parkgeo.consolidate.problem.build_problem` and solved exactly —
   :func:`parkgeo.consolidate.solver.solve_county` — each group a job of a process pool.
5. Reasons for every candidate and R4 notes — :mod:`parkgeo.consolidate.reasons`; the output
   layers (zones, parks, platforms with summed indicators and checks, members, county report)
   — :mod:`parkgeo.consolidate.assemble`.

The validation gate, scenario variants and their comparison are in
:mod:`parkgeo.consolidate.variants`; writing, JSON and the terminal summary in
:mod:`parkgeo.result`.
"""

from __future__ import annotations

import dataclasses
import logging
import os
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from .._progress import progress
from ..errors import InputError
from ..read.crs import county_crs
from ..result import (
    OUTPUT_LAYERS,
    PASS_THROUGH,
    ConsolidationResult,
    report_json_text,
    result_summary,
    result_text,
    result_to_json,
    write_result,
)
from ..scenario import Scenario
from ..units import ha_to_mu, m2_to_mu
from .assemble import _assemble, _num, _texts
from .classify import choose_main_platforms, classify_parks, park_scores, zone_scores
from .eligibility import (
    DISTANCE_TOL_KM,
    LocalFrame,
    allowed_pairs,
    county_groups,
    near_pairs,
    project_local,
)
from .explain import LANGS
from .problem import Candidates, MainPlatforms, build_problem
from .reasons import _explain_group, _r4_notes
from .relatedness import relatedness
from .solver import ObjectiveWeights, solve_county
from .variants import (
    GateBeside,
    check_valid,
    compare_results,
    variant_paths,
    variant_runs,
)

__all__ = ["IntegrationResult", "ConsolidationResult", "integrate", "integrate_variants",
           "check_valid", "GateBeside", "available_cores",
           "write_result", "result_to_json", "result_summary", "result_text",
           "compare_results", "variant_paths", "variant_runs", "report_json_text",
           "PASS_THROUGH", "OUTPUT_LAYERS"]

log = logging.getLogger(__name__)

#: the result of :func:`integrate` (the name before :mod:`parkgeo.result` declared it)
IntegrationResult = ConsolidationResult
#: fewer county groups than this are worked in-process whatever ``jobs`` says
POOL_MIN_GROUPS = 32
#: county groups per chunk of work shared between this process and its helpers (about 40 ms
#: of work on the nation-scale file: a chunk is one message back from a helper)
CHUNK_GROUPS = 64
#: explanations look this many times the distance limit around each park
WIDE_FACTOR = 4.0





# ------------------------------------------------------------------------------------------
# solving in parallel
# ------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class GroupJobs:
    """What every county group's job reads: the whole run's candidates, main platforms and
    pairs, and each group's rows in them."""

    C: Candidates
    M: MainPlatforms
    #: the counties of each group, and each group's candidate rows, main rows and pair rows
    groups: list
    cand_by_group: list
    main_by_group: list
    pair_by_group: list
    #: candidate row, main row and km of every pair within reach (R7 scope and R8 applied)
    pairs: tuple
    #: connected mode: candidate pairs within the limit (``near_pairs``), and their rows by group
    links: object
    link_by_group: list | None
    scenario: Scenario
    #: R7's distance limit and the wider radius the reasons look at, km
    limit: float
    wide: float
    #: R8's functional zones
    functional: frozenset


#: the run's :class:`GroupJobs`, set in each worker by its initializer (with the fork start
#: method the worker inherits it without pickling)
_JOB: GroupJobs | None = None


def _set_job(job):
    global _JOB
    _JOB = job


def _group_job(k):
    """Everything about county group ``k`` that needs no other group: its problem, its
    exact solution, the reasons of its candidates and the R4 notes of its platforms."""
    j = _JOB
    C, M, scenario = j.C, j.M, j.scenario
    c = scenario.consolidate
    pi, pj, pd_ = j.pairs
    sel = j.pair_by_group[k]
    pairs = (pi[sel].astype(np.int64), pj[sel].astype(np.int64), pd_[sel])
    glinks = None
    if j.links is not None:
        lsel = j.link_by_group[k]
        glinks = (j.links.left[lsel], j.links.right[lsel])
    b = build_problem(j.groups[k], C, M, pairs, ci=j.cand_by_group[k],
                      mj=j.main_by_group[k], links=glinks, scenario=scenario,
                      weights=ObjectiveWeights())
    if b.problem is not None:
        b.solution = solve_county(b.problem, time_limit=c.time_limit_s, mip_gap=c.mip_gap)
    b.problem = None  # not needed past here: keep what goes back to the parent small
    sol = b.solution
    b.local = np.full(len(b.ci), -1, dtype=np.int64) if sol is None else sol.assignment
    _placed(b)
    b.reasons = _explain_group(b, C, M, scenario, j.limit, j.wide, j.functional)
    b.notes = {}
    if sol is not None:
        assigned_ci = b.assigned
        for jj, main in enumerate(b.mj):
            short_mu, short_va = float(sol.shortfall_mu[jj]), float(sol.shortfall_va_100m[jj])
            if short_mu > 0 or short_va > 0:
                b.notes[int(main)] = (short_mu, short_va, *_r4_notes(
                    int(main), b, C, M, assigned_ci, short_mu, short_va, j.limit, j.wide,
                    developable=c.developable))
    return b


def _placed(b):
    """``b.assigned`` and ``b.reach_km`` of a solved county group (see
    :class:`~parkgeo.consolidate.problem.GroupProblem`), worked out with the group rather than
    by the process that assembles every group's result."""
    n = len(b.ci)
    b.assigned = np.full(n, -1, dtype=np.int64)
    b.reach_km = np.full(n, np.nan)
    if not len(b.mj):
        return
    joined = b.local >= 0
    b.assigned[joined] = b.mj[b.local[joined]]
    b.reach_km[joined] = b.dist[np.flatnonzero(joined), b.local[joined]]
    # not joined: the distance to the nearest main platform it may join
    near = np.where(b.allowed, b.dist, np.inf).min(axis=1)
    rest = ~joined & np.isfinite(near)
    b.reach_km[rest] = near[rest]


def _group_range(start, stop):
    """:func:`_group_job` for groups ``start`` to ``stop - 1``, in a helper process: what the
    parent needs back, without the arrays only the reasons used (less to pickle)."""
    out = []
    for k in range(start, stop):
        b = _group_job(k)
        # what only the group's own reasons and notes read: placed (``assigned``), worded
        b.rel = b.qgroup = b.links = b.local = None
        if b.solution is not None:
            # the solution's figures without its arrays (each small array costs as much to
            # pickle as a few dozen reasons)
            b.solution = dataclasses.replace(b.solution, assignment=None, shortfall_mu=None,
                                             shortfall_va_100m=None, quota=None,
                                             exits_by_group=None)
        out.append(b)
    return out


def _run_groups(job, n_groups, jobs):
    """Run :func:`_group_job` for every county group; with ``jobs > 1`` this process and
    ``jobs - 1`` forked helpers share the groups.

    The groups are cut into chunks of :data:`CHUNK_GROUPS` (smaller for a small run). The
    helpers take chunks from the end (they are submitted last chunk first) and this process
    from the start; before each of its chunks this process cancels the helpers' future for
    it, and stops where a helper has already taken one. So the split follows what each
    process actually gets done — the validation gate shares the cores at first, other
    programs may too — rather than a fixed share; a helper's results come back pickled, one
    message per chunk."""
    jobs = available_cores() if jobs is None else int(jobs)
    out = []
    with progress("solving counties", n_groups) as advance:
        # a helper costs a fork and the pickling of its results: only worth it beyond a few
        # dozen county groups
        if jobs <= 1 or n_groups < POOL_MIN_GROUPS or not hasattr(os, "fork"):
            _set_job(job)
            try:
                for k in range(n_groups):
                    out.append(_group_job(k))
                    advance()
            finally:
                _set_job(None)
            return out
        import multiprocessing

        ctx = multiprocessing.get_context("fork")
        helpers = min(jobs, n_groups) - 1
        # at least eight chunks a process, so that a small run is shared too
        size = max(1, min(CHUNK_GROUPS, n_groups // (8 * (helpers + 1))))
        bounds = list(range(0, n_groups, size)) + [n_groups]
        chunks = list(zip(bounds[:-1], bounds[1:], strict=True))
        parts = [None] * len(chunks)
        with ProcessPoolExecutor(max_workers=helpers, mp_context=ctx, initializer=_set_job,
                                 initargs=(job,)) as pool:
            futures = {c: pool.submit(_group_range, *chunks[c])
                       for c in reversed(range(len(chunks)))}
            _set_job(job)
            try:
                for c, (a, b) in enumerate(chunks):
                    if not futures[c].cancel():
                        break  # a helper has this chunk, and every one after it
                    del futures[c]
                    parts[c] = []
                    for k in range(a, b):
                        parts[c].append(_group_job(k))
                        advance()
            except BaseException:
                for f in futures.values():
                    f.cancel()  # what no helper has started yet is not started
                raise
            finally:
                _set_job(None)
            for c, f in sorted(futures.items()):
                parts[c] = f.result()
                advance(len(parts[c]))
    for part in parts:
        out.extend(part)
    return out


def available_cores():
    """The CPU cores this process may use (the default for ``jobs``)."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return max(1, os.cpu_count() or 1)


# ------------------------------------------------------------------------------------------
# the main function
# ------------------------------------------------------------------------------------------


def _layers_of(dataset):
    if isinstance(dataset, (str, Path)):
        from ..read import read_dataset

        dataset = read_dataset(dataset)
    if hasattr(dataset, "layers"):
        layers = dict(dataset.layers)
        path = str(getattr(dataset, "path", ""))
        crs = getattr(dataset, "crs_by_county", None)
    elif isinstance(dataset, dict):
        layers, path, crs = dict(dataset), "<layers>", None
    else:
        raise TypeError(f"expected a Dataset, a path or a dict of layers, got "
                        f"{type(dataset).__name__}")
    for name in ("zones", "parks"):
        if name not in layers or layers[name] is None:
            raise InputError(f"layer '{name}' is missing", path=path, layer=name)
    if crs is None:
        crs = county_crs({k: v for k, v in layers.items()
                          if isinstance(v, gpd.GeoDataFrame) and v.crs is not None})
    return layers, path, crs


def _checked(dataset, scenario):
    """``dataset`` as a Dataset that passed :func:`check_valid` (a path or mapping is read or
    wrapped first)."""
    from ..read import Dataset, read_dataset

    if isinstance(dataset, (str, Path)):
        dataset = read_dataset(dataset, scenario=scenario, strict=False)
    elif isinstance(dataset, dict):
        dataset = Dataset(path=Path("<layers>"), layers=dict(dataset), sources={}, problems=[])
    check_valid(dataset, scenario)
    return dataset


def integrate(dataset, scenario=None, *, jobs=None, variant=None,
              check=True) -> ConsolidationResult:
    """Consolidate a dataset's parks into major platforms (R3–R12).

    Parameters
    ----------
    dataset : Dataset, str, Path or dict
        A dataset read with :func:`parkgeo.read.read_dataset`, its path, or a dict of
        GeoDataFrames with contract field names (``zones`` and ``parks`` at least).
    scenario : Scenario, optional
        Settings; the policy's defaults without it.
    jobs : int, optional
        Worker processes for the per-county work (problems, solves, reasons); all the cores
        this process may use by default.
    variant : str, optional
        Name of the scenario variant, for reports.
    check : bool, default True
        Apply the gate of ``parkgeo integrate`` first, as the command does: data with
        validation errors (overlapping parks, a zone outside its county …) is refused with
        :class:`~parkgeo.errors.ValidationFailedError` (:func:`check_valid`). A path is then read
        with ``strict=False`` so that schema problems are findings too. ``check=False``
        consolidates the data as it is (already validated, or to study the engine alone).

    Returns
    -------
    ConsolidationResult

    Examples
    --------
    >>> from parkgeo.read import read_dataset
    >>> result = integrate(read_dataset("layers/jiaxing.gpkg"), jobs=2)   # doctest: +SKIP
    >>> result.platforms[["name", "n_sub_zones", "developable_mu", "meets_R4"]]  # doctest: +SKIP
    """
    scenario = scenario or Scenario()
    c = scenario.consolidate
    if check:
        dataset = _checked(dataset, scenario)
    layers, path, crs_by_county = _layers_of(dataset)
    # R4: the developable figure chosen by [consolidate] developable (declared/measured/lower)
    from .developable import choose_developable

    layers = choose_developable(dataset, layers, scenario)
    zones_in, parks_in = layers["zones"], layers["parks"]
    limit = float(c.distance_km)
    wide = max(limit * WIDE_FACTOR, limit + 1.0)
    functional = set(c.functional_zones)

    zones = zones_in.copy()
    parks = parks_in.copy()
    # every zone and park projected once into its county's zone: areas (as areas_mu measures
    # them) and, below, distances
    # the geometric work of each Gauss-Kruger zone in threads, as many as cores
    threads = available_cores() if jobs is None else int(jobs)
    zone_local = project_local(zones, crs_by_county, jobs=threads)
    park_local = project_local(parks, crs_by_county, jobs=threads)
    zone_area = m2_to_mu(shapely.area(zone_local[1]))
    park_area = m2_to_mu(shapely.area(park_local[1]))
    zscore = zone_scores(zones, zone_area)
    cls = classify_parks(parks, scenario)
    cross = tuple(tuple(p) for p in c.cross_county)

    # ---- geometry: every park and zone pair within reach, measured in each county's
    #      Gauss-Kruger zone (STRtree); nothing geometric happens after this block
    zone_geoms = zones.geometry
    same_crs = not (parks.crs is not None and zones.crs is not None
                    and not parks.crs.equals(zones.crs))
    if not same_crs:
        zone_geoms = zone_geoms.to_crs(parks.crs)
    park_take = np.flatnonzero((cls["status"] != "excluded").to_numpy())
    n_p, n_z = len(park_take), len(zones)
    # candidates 0..n_p-1 are parks taking part, n_p.. are all zones (main ones dropped later)
    all_county = np.concatenate([_texts(parks["county"])[park_take], _texts(zones["county"])])
    all_geo = gpd.GeoDataFrame(
        {"county": all_county},
        geometry=np.concatenate([np.asarray(parks.geometry.values, dtype=object)[park_take],
                                 np.asarray(zone_geoms.values, dtype=object)]),
        crs=parks.crs)
    zones_geo = gpd.GeoDataFrame({"county": _texts(zones["county"])},
                                 geometry=np.asarray(zones.geometry.values, dtype=object),
                                 crs=zones.crs)
    all_lf = LocalFrame(all_geo, crs_by_county, projected=(
        np.concatenate([park_local[0][park_take], zone_local[0]]),
        np.concatenate([park_local[1][park_take], zone_local[1]])) if same_crs else None)
    zones_lf = LocalFrame(zones_geo, crs_by_county, projected=zone_local)
    to_zone = near_pairs(all_lf, zones_lf, wide, cross_county=cross, no_cross=functional,
                         jobs=threads)
    not_self = to_zone.left != to_zone.right + n_p
    to_zone_frame = pd.DataFrame({"i": to_zone.left[not_self], "z": to_zone.right[not_self],
                                  "d": to_zone.distance_km[not_self]})

    # ---- main platforms (R3, R6), knowing what each zone could reach (R4)
    reach = _zone_reach(zones, parks, park_take, cls, to_zone_frame, scenario, limit, cross,
                        functional)
    choice = choose_main_platforms(zones, zscore, scenario, reach=reach)
    is_main = choice["is_main"].to_numpy()
    main_pos = np.flatnonzero(is_main)
    # plain arrays (a DataFrame would turn each text column into pandas' string dtype and
    # back)
    mains = {
        "zpos": main_pos,
        "zone_id": _texts(zones["zone_id"])[main_pos],
        "name": _texts(zones["name"])[main_pos],
        "county": _texts(zones["county"])[main_pos],
        "codes": _texts(zones["industries"])[main_pos],
        "dev": _num(zones, "developable_mu")[main_pos],
        "va": _num(zones, "industrial_va_100m")[main_pos],
        "area": zone_area[main_pos],
    }
    mains["cap_mu"] = np.array([ha_to_mu(v) if (v := scenario.area_cap_ha(cty)) is not None
                                else np.inf for cty in mains["county"]], dtype=float)

    # ---- candidates: parks taking part, and zones that are not main platforms
    zone_take = np.flatnonzero(~is_main)
    keep_rows = np.concatenate([np.arange(n_p), n_p + zone_take])  # rows of all_geo kept
    cand = {
        "kind": np.array(["park"] * n_p + ["zone"] * len(zone_take), dtype=object),
        "pos": np.concatenate([park_take, zone_take]).astype(np.int64),
        "id": np.concatenate([_texts(parks["park_id"])[park_take],
                              _texts(zones["zone_id"])[zone_take]]),
        "name": np.concatenate([_texts(parks["name"])[park_take],
                                _texts(zones["name"])[zone_take]]),
        "county": all_county[keep_rows],
        "codes": np.concatenate([_texts(parks["industries"])[park_take],
                                 _texts(zones["industries"])[zone_take]]),
        "dev": np.concatenate([_num(parks, "developable_mu")[park_take],
                               _num(zones, "developable_mu")[zone_take]]),
        "va": np.concatenate([_num(parks, "industrial_va_100m")[park_take],
                              _num(zones, "industrial_va_100m")[zone_take]]),
        "area": np.concatenate([park_area[park_take], zone_area[zone_take]]),
    }
    cand["counted"] = cand["kind"] == "park"
    # why a zone candidate is not a main platform (R6), for the reasons of its county's parks
    for lang, col in zip(LANGS, ("reason", "reason_zh"), strict=True):
        cand[f"not_main_{lang}"] = np.concatenate([
            np.full(n_p, "", dtype=object),
            choice[col].to_numpy().astype(object)[zone_take]])
    cand["forced"] = np.concatenate([(cls["status"].to_numpy()[park_take] == "exit"),
                                     np.zeros(len(zone_take), bool)])
    attrs = pd.concat([parks.iloc[park_take].drop(columns=parks.geometry.name),
                       zones.iloc[zone_take].drop(columns=zones.geometry.name)],
                      ignore_index=True)
    cand["score"] = park_scores(attrs, cand["area"], scenario, groups=cand["county"],
                                reference_mask=cand["counted"]).to_numpy()
    # candidate -> main pairs, re-indexed
    row_to_cand = np.full(n_p + n_z, -1)
    row_to_cand[keep_rows] = np.arange(len(keep_rows))
    zone_to_main = np.full(n_z, -1)
    zone_to_main[main_pos] = np.arange(len(main_pos))
    pf = to_zone_frame.assign(i=row_to_cand[to_zone_frame["i"].to_numpy()],
                              j=zone_to_main[to_zone_frame["z"].to_numpy()])
    pair_frame = pf[(pf["i"] >= 0) & (pf["j"] >= 0)][["i", "j", "d"]]
    links = None
    if c.connected:
        cand_geo = all_geo.iloc[keep_rows].reset_index(drop=True)
        cand_lf = LocalFrame(cand_geo, crs_by_county)
        links = near_pairs(cand_lf, cand_lf, limit, cross_county=cross, no_cross=functional,
                           same=True, jobs=threads)

    # ---- one problem per county (or group of counties linked by cross-county joining)
    C = Candidates.from_columns(cand)
    M = MainPlatforms.from_columns(mains)
    all_counties = sorted(set(C.county) | set(M.county) | set(_texts(parks["county"]).tolist()))
    groups = county_groups(all_counties, cross, functional)
    group_of_county = {cty: k for k, g in enumerate(groups) for cty in g}
    cand_group = np.array([group_of_county[x] for x in C.county], dtype=np.int64)
    main_group = np.array([group_of_county[x] for x in M.county], dtype=np.int64)
    cand_by_group = _split(cand_group, len(groups))
    main_by_group = _split(main_group, len(groups))
    pi, pj, pd_ = (pair_frame[k].to_numpy() for k in ("i", "j", "d"))
    pair_by_group = _split(cand_group[pi.astype(np.int64)], len(groups))
    link_by_group = None
    if links is not None:
        link_by_group = _split(cand_group[links.left], len(groups))
    job = GroupJobs(C=C, M=M, groups=groups, cand_by_group=cand_by_group,
                    main_by_group=main_by_group, pair_by_group=pair_by_group,
                    pairs=(pi, pj, pd_), links=links, link_by_group=link_by_group,
                    scenario=scenario, limit=limit, wide=wide,
                    functional=frozenset(functional))
    built = _run_groups(job, len(groups), jobs)
    return _assemble(zones, parks, zone_area, park_area, zscore, choice, cls, M, C, built,
                     scenario, layers, path, variant, limit, wide, functional)


def _split(labels, n):
    """Positions of each label 0..n-1 (sorted), in one pass."""
    order = np.argsort(labels, kind="stable")
    bounds = np.searchsorted(labels[order], np.arange(n + 1))
    return [order[bounds[k]:bounds[k + 1]] for k in range(n)]


def _zone_reach(zones, parks, park_take, cls, pairs, scenario, limit, cross, functional):
    """Developable space and value added each zone could reach with every related park
    within the limit (R10 exits left out): the R4 check of :func:`choose_main_platforms`."""
    c = scenario.consolidate
    n_p = len(park_take)
    reach = pd.DataFrame({"developable_mu": _num(zones, "developable_mu"),
                          "industrial_va_100m": _num(zones, "industrial_va_100m")},
                         index=zones.index)
    near = pairs[(pairs["i"] < n_p) & (pairs["d"] <= limit + DISTANCE_TOL_KM)]
    if not len(near):
        return reach
    prow = park_take[near["i"].to_numpy()]
    zrow = near["z"].to_numpy()
    ok = (cls["status"].to_numpy()[prow] != "exit")
    p_county = _texts(parks["county"])[prow]
    z_county = _texts(zones["county"])[zrow]
    ok &= allowed_pairs(p_county, z_county, cross, functional)
    codes_p = _texts(parks["industries"])[prow]
    codes_z = _texts(zones["industries"])[zrow]
    table = tuple(c.related)
    rel = np.array([relatedness(a, b, table) for a, b in zip(codes_p, codes_z, strict=True)])
    ok &= rel >= c.min_relatedness - 1e-12
    dev = _num(parks, "developable_mu")[prow]
    va = _num(parks, "industrial_va_100m")[prow]
    add_dev = np.bincount(zrow[ok], dev[ok], minlength=len(zones))
    add_va = np.bincount(zrow[ok], va[ok], minlength=len(zones))
    reach["developable_mu"] += add_dev
    reach["industrial_va_100m"] += add_va
    return reach


def integrate_variants(dataset, scenarios, *, jobs=None, check=True):
    """Consolidate under several scenarios: each file's ``[[variant]]`` list expanded.

    Parameters
    ----------
    dataset : Dataset, path or dict
    scenarios : list of (label or None, Scenario)
        Usually one per ``--config`` file (label = the file's name).
    jobs : int, optional
        Worker processes (all cores by default).
    check : bool, default True
        Apply the gate of ``parkgeo integrate`` once, under the first scenario, before any
        variant (see :func:`integrate`).

    Returns
    -------
    list of IntegrationResult
        One per variant, ``result.variant`` naming it.

    Examples
    --------
    >>> from parkgeo.scenario import load_scenario
    >>> results = integrate_variants(ds, [("5-vs-8", load_scenario("cmp.toml"))])  # doctest: +SKIP
    >>> compare_results(results)                                                # doctest: +SKIP
    """
    if check and scenarios:
        dataset = _checked(dataset, scenarios[0][1])
    return [integrate(dataset, s, jobs=jobs, variant=name, check=False)
            for name, s in variant_runs(scenarios)]


