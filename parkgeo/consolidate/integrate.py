"""Consolidation end to end: main platforms, classification, exact assignment, explanations.

:func:`integrate` runs the stages on a dataset and returns an
:class:`IntegrationResult`; :func:`write_result` writes it as the GeoPackage of
DATA-CONTRACT "Output of consolidation"; :func:`result_to_json` gives the report.

1. Main platforms per county (R3, R6) — :func:`parkgeo.consolidate.classify.choose_main_platforms`.
2. Characteristic towns ``excluded`` unless included (R7); R10 exits —
   :func:`parkgeo.consolidate.classify.classify_parks`.
3. Distances (STRtree, per-county Gauss-Kruger zone) and relatedness (GB/T 4754) —
   :mod:`parkgeo.consolidate.eligibility`, :mod:`parkgeo.consolidate.relatedness`.
4. One MILP per county (counties linked by allowed cross-county joining together),
   solved in parallel — :func:`parkgeo.consolidate.solver.solve_county`.
5. Platforms with summed indicators and rule/target checks; a reason for every park and zone,
   in English (``reason``) and Chinese (``reason_zh``) —
   :mod:`parkgeo.consolidate.explain`.
"""

from __future__ import annotations

import logging
import os
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from .._progress import progress
from ..errors import InputError
from ..read.crs import areas_mu, county_crs
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
from ..units import ha_to_mu, mu_to_ha
from .classify import (
    choose_main_platforms,
    classify_parks,
    park_scores,
    per_mu,
    zone_scores,
)
from .eligibility import DISTANCE_TOL_KM, LocalFrame, allowed_pairs, county_groups, near_pairs
from .explain import (
    LANGS,
    ceiling_reason,
    chain_reason,
    join_reason,
    joined_reasons,
    no_platform_reason,
    not_joined_reason,
    quota_reason,
    r3_problem,
    r4_explanation,
    unreachable_reason,
    zone_no_platform_reason,
)
from .problem import build_problem
from .relatedness import explain as explain_relation
from .solver import ObjectiveWeights, solve_county
from .summary import platform_checks, summarise_platforms

__all__ = ["IntegrationResult", "ConsolidationResult", "integrate", "integrate_variants",
           "check_valid",
           "write_result", "result_to_json", "result_summary", "result_text",
           "compare_results", "variant_paths", "variant_runs", "report_json_text",
           "PASS_THROUGH", "OUTPUT_LAYERS"]

log = logging.getLogger(__name__)

#: the result of :func:`integrate` (the name before :mod:`parkgeo.result` declared it)
IntegrationResult = ConsolidationResult
#: fewer county groups than this are worked in-process whatever ``jobs`` says
POOL_MIN_GROUPS = 32
#: explanations look this many times the distance limit around each park
WIDE_FACTOR = 4.0





# ------------------------------------------------------------------------------------------
# solving in parallel
# ------------------------------------------------------------------------------------------


#: the per-run arrays a county job reads: set in each worker by its initializer (with the
#: fork start method the worker inherits them without pickling)
_JOB: dict = {}


def _set_job(job):
    global _JOB
    _JOB = job


def _group_job(k):
    """Everything about county group ``k`` that needs no other group: its problem, its
    exact solution, the reasons of its candidates and the R4 notes of its platforms."""
    j = _JOB
    C, M, scenario = j["C"], j["M"], j["scenario"]
    c = scenario.consolidate
    pi, pj, pd_ = j["pairs"]
    sel = j["pair_by_group"][k]
    pairs = (pi[sel].astype(np.int64), pj[sel].astype(np.int64), pd_[sel])
    glinks = None
    if j["links"] is not None:
        lsel = j["link_by_group"][k]
        glinks = (j["links"].left[lsel], j["links"].right[lsel])
    b = build_problem(j["groups"][k], C, M, pairs, ci=j["cand_by_group"][k],
                      mj=j["main_by_group"][k], links=glinks, scenario=scenario,
                      weights=ObjectiveWeights())
    if b.problem is not None:
        b.solution = solve_county(b.problem, time_limit=c.time_limit_s, mip_gap=c.mip_gap)
    b.problem = None  # not needed past here: keep what goes back to the parent small
    sol = b.solution
    b.local = np.full(len(b.ci), -1, dtype=np.int64) if sol is None else sol.assignment
    b.reasons = _explain_group(b, C, M, scenario, j["limit"], j["wide"], j["functional"])
    b.notes = {}
    if sol is not None:
        assigned_ci = np.where(b.local >= 0, b.mj[np.maximum(b.local, 0)], -1)
        for jj, main in enumerate(b.mj):
            short_mu, short_va = float(sol.shortfall_mu[jj]), float(sol.shortfall_va_100m[jj])
            if short_mu > 0 or short_va > 0:
                b.notes[int(main)] = (short_mu, short_va, *(
                    _r4_note(int(main), b, C, M, assigned_ci, short_mu, short_va, j["limit"],
                             j["wide"], lang=lang) for lang in LANGS))
    return b


def _run_groups(job, n_groups, jobs):
    """Run :func:`_group_job` for every county group; in a process pool when ``jobs > 1``."""
    jobs = available_cores() if jobs is None else int(jobs)
    out = []
    with progress("solving counties", n_groups) as advance:
        # a pool costs a fork per worker: only worth it beyond a few dozen county groups
        if jobs <= 1 or n_groups < POOL_MIN_GROUPS:
            _set_job(job)
            try:
                for k in range(n_groups):
                    out.append(_group_job(k))
                    advance()
            finally:
                _set_job({})
            return out
        import multiprocessing

        ctx = multiprocessing.get_context("fork") if hasattr(os, "fork") else None
        chunk = max(1, n_groups // (jobs * 8))
        with ProcessPoolExecutor(max_workers=min(jobs, n_groups), mp_context=ctx,
                                 initializer=_set_job, initargs=(job,)) as pool:
            for b in pool.map(_group_job, range(n_groups), chunksize=chunk):
                out.append(b)
                advance()
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


def _text(series):
    return series.astype(object).where(series.notna(), "").astype(str)


def _num(frame, name):
    if name in frame:
        return pd.to_numeric(frame[name], errors="coerce").astype(float).fillna(0.0).to_numpy()
    return np.zeros(len(frame))


def integrate(dataset, scenario=None, *, jobs=None, variant=None,
              check=False) -> ConsolidationResult:
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
    check : bool
        Apply the gate of ``parkgeo integrate`` first: data with validation errors (overlapping
        parks, a zone outside its county …) is refused with
        :class:`~parkgeo.errors.ValidationFailedError` (:func:`check_valid`). A path is then read
        with ``strict=False`` so that schema problems are findings too.

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
    table = tuple(c.related)

    zones = zones_in.copy()
    parks = parks_in.copy()
    zone_area = areas_mu(zones, crs_by_county).to_numpy()
    park_area = areas_mu(parks, crs_by_county).to_numpy()
    zscore = zone_scores(zones, zone_area)
    cls = classify_parks(parks, scenario)
    cross = tuple(tuple(p) for p in c.cross_county)

    # ---- geometry: every park and zone pair within reach, measured in each county's
    #      Gauss-Kruger zone (STRtree); nothing geometric happens after this block
    zone_geoms = zones.geometry
    if parks.crs is not None and zones.crs is not None and not parks.crs.equals(zones.crs):
        zone_geoms = zone_geoms.to_crs(parks.crs)
    park_take = np.flatnonzero((cls["status"] != "excluded").to_numpy())
    n_p, n_z = len(park_take), len(zones)
    # candidates 0..n_p-1 are parks taking part, n_p.. are all zones (main ones dropped later)
    all_geo = gpd.GeoDataFrame(
        {"county": np.concatenate([_text(parks["county"]).to_numpy()[park_take],
                                   _text(zones["county"]).to_numpy()])},
        geometry=np.concatenate([np.asarray(parks.geometry.values, dtype=object)[park_take],
                                 np.asarray(zone_geoms.values, dtype=object)]),
        crs=parks.crs)
    zones_geo = gpd.GeoDataFrame({"county": _text(zones["county"]).to_numpy()},
                                 geometry=np.asarray(zones.geometry.values, dtype=object),
                                 crs=zones.crs)
    all_lf, zones_lf = LocalFrame(all_geo, crs_by_county), LocalFrame(zones_geo, crs_by_county)
    to_zone = near_pairs(all_lf, zones_lf, wide, cross_county=cross, no_cross=functional)
    not_self = to_zone.left != to_zone.right + n_p
    to_zone_frame = pd.DataFrame({"i": to_zone.left[not_self], "z": to_zone.right[not_self],
                                  "d": to_zone.distance_km[not_self]})

    # ---- main platforms (R3, R6), knowing what each zone could reach (R4)
    reach = _zone_reach(zones, parks, park_take, cls, to_zone_frame, scenario, limit, cross,
                        functional)
    choice = choose_main_platforms(zones, zscore, scenario, reach=reach)
    is_main = choice["is_main"].to_numpy()
    main_pos = np.flatnonzero(is_main)
    mains = pd.DataFrame({
        "zpos": main_pos,
        "zone_id": _text(zones["zone_id"]).to_numpy()[main_pos],
        "name": _text(zones["name"]).to_numpy()[main_pos],
        "county": _text(zones["county"]).to_numpy()[main_pos],
        "codes": _text(zones["industries"]).to_numpy()[main_pos],
        "dev": _num(zones, "developable_mu")[main_pos],
        "va": _num(zones, "industrial_va_100m")[main_pos],
        "area": zone_area[main_pos],
    })
    mains["cap_mu"] = [ha_to_mu(v) if (v := scenario.area_cap_ha(cty)) is not None else np.inf
                       for cty in mains["county"]]

    # ---- candidates: parks taking part, and zones that are not main platforms
    zone_take = np.flatnonzero(~is_main)
    keep_rows = np.concatenate([np.arange(n_p), n_p + zone_take])  # rows of all_geo kept
    cand = pd.DataFrame({
        "kind": ["park"] * n_p + ["zone"] * len(zone_take),
        "pos": np.concatenate([park_take, zone_take]).astype(np.int64),
        "id": np.concatenate([_text(parks["park_id"]).to_numpy()[park_take],
                              _text(zones["zone_id"]).to_numpy()[zone_take]]),
        "name": np.concatenate([_text(parks["name"]).to_numpy()[park_take],
                                _text(zones["name"]).to_numpy()[zone_take]]),
        "county": all_geo["county"].to_numpy()[keep_rows],
        "codes": np.concatenate([_text(parks["industries"]).to_numpy()[park_take],
                                 _text(zones["industries"]).to_numpy()[zone_take]]),
        "dev": np.concatenate([_num(parks, "developable_mu")[park_take],
                               _num(zones, "developable_mu")[zone_take]]),
        "va": np.concatenate([_num(parks, "industrial_va_100m")[park_take],
                              _num(zones, "industrial_va_100m")[zone_take]]),
        "area": np.concatenate([park_area[park_take], zone_area[zone_take]]),
    })
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
    cand["score"] = park_scores(attrs, cand["area"].to_numpy(), scenario,
                                groups=cand["county"].to_numpy(),
                                reference_mask=cand["counted"].to_numpy()).to_numpy()
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
                           same=True)

    # ---- one problem per county (or group of counties linked by cross-county joining)
    C = {col: cand[col].to_numpy() for col in cand.columns}
    M = {col: mains[col].to_numpy() for col in mains.columns}
    all_counties = sorted(set(C["county"]) | set(M["county"]) | set(_text(parks["county"])))
    groups = county_groups(all_counties, cross, functional)
    group_of_county = {cty: k for k, g in enumerate(groups) for cty in g}
    cand_group = np.array([group_of_county[x] for x in C["county"]], dtype=np.int64)
    main_group = np.array([group_of_county[x] for x in M["county"]], dtype=np.int64)
    cand_by_group = _split(cand_group, len(groups))
    main_by_group = _split(main_group, len(groups))
    pi, pj, pd_ = (pair_frame[k].to_numpy() for k in ("i", "j", "d"))
    pair_by_group = _split(cand_group[pi.astype(np.int64)], len(groups))
    link_by_group = None
    if links is not None:
        link_by_group = _split(cand_group[links.left], len(groups))
    job = {
        "C": C, "M": M, "groups": groups, "cand_by_group": cand_by_group,
        "main_by_group": main_by_group, "pair_by_group": pair_by_group, "pairs": (pi, pj, pd_),
        "links": links, "link_by_group": link_by_group, "scenario": scenario, "limit": limit,
        "wide": wide, "functional": functional, "cross": cross, "table": table,
    }
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
    p_county = _text(parks["county"]).to_numpy()[prow]
    z_county = _text(zones["county"]).to_numpy()[zrow]
    ok &= allowed_pairs(p_county, z_county, cross, functional)
    codes_p = _text(parks["industries"]).to_numpy()[prow]
    codes_z = _text(zones["industries"]).to_numpy()[zrow]
    table = tuple(c.related)
    rel = np.array([explain_relation(a, b, table)[0]
                    for a, b in zip(codes_p, codes_z, strict=True)])
    ok &= rel >= c.min_relatedness - 1e-12
    dev = _num(parks, "developable_mu")[prow]
    va = _num(parks, "industrial_va_100m")[prow]
    add_dev = np.bincount(zrow[ok], dev[ok], minlength=len(zones))
    add_va = np.bincount(zrow[ok], va[ok], minlength=len(zones))
    reach["developable_mu"] += add_dev
    reach["industrial_va_100m"] += add_va
    return reach


# ------------------------------------------------------------------------------------------
# assembling the output layers and the explanations
# ------------------------------------------------------------------------------------------


def _assemble(zones, parks, zone_area, park_area, zscore, choice, cls, M, C, built, scenario,
              layers, path, variant, limit, wide, functional):
    n_cand = len(C["kind"])
    assigned = np.full(n_cand, -1, dtype=np.int64)  # global main index
    cand_dist = np.full(n_cand, np.nan)
    reasons = {lang: np.array([""] * n_cand, dtype=object) for lang in LANGS}
    county_rows = []
    platform_group = {}
    solver_totals = {"problems": 0, "optimal": 0, "time_limit": 0, "worst_gap": 0.0,
                     "seconds": 0.0, "floors_relaxed": 0}
    park_county = _text(parks["county"]).to_numpy()
    excluded_by_county = pd.Series(cls["status"].to_numpy() == "excluded").groupby(
        park_county).sum().to_dict()
    zone_ids_by_county = {}
    for zid, cty in zip(M["zone_id"], M["county"], strict=True):
        zone_ids_by_county.setdefault(cty, []).append(zid)

    for bi, b in enumerate(built):
        ci, mj, sol = b.ci, b.mj, b.solution
        for j in mj:
            platform_group[int(j)] = bi
        local = b.local
        if sol is not None:
            solver_totals["problems"] += 1
            solver_totals["optimal"] += int(sol.optimal)
            solver_totals["time_limit"] += int(sol.status == "time_limit")
            solver_totals["worst_gap"] = max(solver_totals["worst_gap"], float(sol.gap))
            solver_totals["seconds"] += sol.seconds
            solver_totals["floors_relaxed"] += int(sol.floors_relaxed)
        joined = local >= 0
        assigned[ci[joined]] = mj[local[joined]]
        if len(mj):
            cand_dist[ci[joined]] = b.dist[np.flatnonzero(joined), local[joined]]
            # not joined: the distance to the nearest main platform it may join
            near = np.where(b.allowed, b.dist, np.inf).min(axis=1)
            rest = ~joined & np.isfinite(near)
            cand_dist[ci[rest]] = near[rest]
        for lang in LANGS:
            reasons[lang][ci] = b.reasons[lang]
        counted_all = C["counted"][ci].astype(bool)
        forced_all = C["forced"][ci].astype(bool)
        county_of = C["county"][ci]
        for gi, county in enumerate(b.group):
            in_c = county_of == county
            counted = counted_all & in_c
            exits = int((counted & ~joined).sum())
            plat_ids = zone_ids_by_county.get(county, [])
            rule = scenario.county(county)
            row = {
                "county": county,
                "n_parks": int(counted.sum()),
                "excluded": int(excluded_by_county.get(county, 0)),
                "r10_exits": int((forced_all & in_c).sum()),
                "quota": int(b.quota[gi]),
                "exits": exits,
                "sub_zones": int((joined & counted).sum()),
                "zones_joined": int((joined & in_c & ~counted_all).sum()),
                "platforms": len(plat_ids),
                "platform_ids": ";".join(plat_ids),
                "max_platforms": rule.max_platforms,
                # R3 bounds the platforms a county keeps; a county whose zones cannot anchor
                # one (R6) keeps none and breaks no rule by it (docs/consolidation.md)
                "meets_R3": len(plat_ids) <= rule.max_platforms,
                "meets_R11": exits >= int(b.quota[gi]),
                "solver_group": " + ".join(b.group),
                "status": (sol.status if sol is not None else
                           "no_candidates" if plat_ids else "no_platform"),
                **_level_columns(sol, b, gi),
                "objective": float(sol.objective) if sol is not None else 0.0,
                "bound": float(sol.bound) if sol is not None else 0.0,
                "gap": float(sol.gap) if sol is not None else 0.0,
                "floors_relaxed": bool(sol.floors_relaxed) if sol is not None else False,
                "seconds": float(sol.seconds) if sol is not None else 0.0,
                "r3_reason": rule.reason if rule.max_platforms > 2 else "",
            }
            county_rows.append(row)

    # ---- parks layer
    is_park = C["kind"] == "park"
    ppos, zpos_c = C["pos"][is_park], C["pos"][~is_park]
    pid_of = np.where(assigned >= 0, M["zone_id"][np.maximum(assigned, 0)] if len(M["zone_id"])
                      else "", "")
    decision = np.array(["excluded"] * len(parks), dtype=object)
    decision[ppos] = np.where(assigned[is_park] >= 0, "sub_zone", "exit")
    p_platform = np.array([""] * len(parks), dtype=object)
    p_platform[ppos] = pid_of[is_park]
    p_reason = {}
    for lang, col in zip(LANGS, ("reason", "reason_zh"), strict=True):
        p_reason[lang] = cls[col].to_numpy().astype(object).copy()
        own = reasons[lang][is_park]
        p_reason[lang][ppos] = np.where(own != "", own, p_reason[lang][ppos])
    p_score = np.full(len(parks), np.nan)
    p_score[ppos] = C["score"][is_park]
    p_dist = np.full(len(parks), np.nan)
    p_dist[ppos] = cand_dist[is_park]
    parks_out = parks.copy()
    parks_out["decision"] = decision
    parks_out["platform_id"] = p_platform
    parks_out["reason"] = p_reason["en"]
    parks_out["reason_zh"] = p_reason["zh"]
    parks_out["per_mu_score"] = p_score
    parks_out["distance_km"] = p_dist

    # ---- zones layer: its geometry untouched (R1)
    is_main = choice["is_main"].to_numpy()
    zone_role = np.where(is_main, "main_platform", "standalone").astype(object)
    z_platform = np.where(is_main, _text(zones["zone_id"]).to_numpy(), "").astype(object)
    zj = assigned[~is_park]
    zone_role[zpos_c[zj >= 0]] = "sub_zone"
    z_platform[zpos_c] = np.where(zj >= 0, pid_of[~is_park], z_platform[zpos_c])
    z_reason = {}
    for lang, col in zip(LANGS, ("reason", "reason_zh"), strict=True):
        z_reason[lang] = choice[col].to_numpy().astype(object).copy()
        z_reason[lang][zpos_c] = [joined_reasons(a, b, lang) for a, b in
                                  zip(z_reason[lang][zpos_c], reasons[lang][~is_park],
                                      strict=True)]
    zones_out = zones.copy()
    zones_out["role"] = zone_role
    zones_out["platform_id"] = z_platform
    zones_out["development_score"] = zscore.to_numpy()
    zones_out["reason"] = z_reason["en"]
    zones_out["reason_zh"] = z_reason["zh"]

    # ---- platforms layer and the R14 member table
    platforms, members = _platforms(zones, parks, zone_area, park_area, M, C, assigned,
                                    scenario, county_rows)
    r4_notes, problems, problems_zh = {}, [], []
    failing = np.flatnonzero(~platforms["meets_R4"].to_numpy(dtype=bool))
    rows = platforms[["platform_id", "county", "shortfall_R4_mu", "shortfall_R4_va_100m"]] \
        .to_dict("records")
    for k in failing:
        row = rows[k]
        short_mu, short_va = float(row["shortfall_R4_mu"]), float(row["shortfall_R4_va_100m"])
        b = built[platform_group[int(k)]]
        done = b.notes.get(int(k))
        if done is not None and np.isclose(done[0], short_mu) and np.isclose(done[1], short_va):
            (note, figures), (note_zh, _) = done[2], done[3]
        else:  # the platform table's shortfall differs from the solver's: explain its own
            assigned_ci = assigned[b.ci]
            note, figures = _r4_note(int(k), b, C, M, assigned_ci, short_mu, short_va, limit,
                                     wide)
            note_zh, _ = _r4_note(int(k), b, C, M, assigned_ci, short_mu, short_va, limit,
                                  wide, lang="zh")
        r4_notes[row["platform_id"]] = {"note": note, "note_zh": note_zh, **figures}
        problems.append(f"{row['county']}: {note}")
        problems_zh.append(f"{row['county']}：{note_zh}")
    for col, key in (("r4_note", "note"), ("r4_note_zh", "note_zh")):
        platforms[col] = [r4_notes.get(pid, {}).get(key, "") for pid in
                          platforms["platform_id"]]
    for row in county_rows:
        if not row["meets_R3"] and row["platforms"] > row["max_platforms"]:
            problems.append(r3_problem(row["county"], row["platforms"], row["max_platforms"]))
            problems_zh.append(r3_problem(row["county"], row["platforms"], row["max_platforms"],
                                          "zh"))
    counties = pd.DataFrame(county_rows)
    passthrough = {}
    for k, frame in layers.items():
        if frame is None or k in ("zones", "parks"):
            continue
        if k in OUTPUT_LAYERS:
            log.warning("input layer '%s' is not copied to the result: the result writes its "
                        "own '%s'", k, k)
            continue
        passthrough[k] = frame
    return IntegrationResult(
        zones=zones_out, parks=parks_out, platforms=platforms, members=members,
        counties=counties, layers=passthrough, scenario=scenario, variant=variant,
        input_path=path, exit_status=1 if problems else 0, problems=tuple(problems),
        solver=solver_totals, r4_notes=r4_notes, problems_zh=tuple(problems_zh))


def _level_columns(sol, b, gi):
    """The objective's levels for the county report (docs/consolidation.md)."""
    if sol is None:
        return {"r4_met": 0, "r4_shortfall": 0.0, "kept": 0, "kept_score": 0.0,
                "affinity": 0.0, "deciding_level": ""}
    lv = sol.levels
    return {"r4_met": int(lv["r4_met"]), "r4_shortfall": float(lv["r4_shortfall"]),
            "kept": int(lv["kept"]), "kept_score": float(lv["kept_score"]),
            "affinity": float(lv["affinity"]), "deciding_level": sol.deciding}


def _explain_group(b, C, M, scenario, limit, wide, functional):
    """The reasons (one array per language, aligned with ``b.ci``) of one county group's
    candidates; empty for a forced exit, which keeps its R10 reason from classify."""
    ci = b.ci
    out = {lang: np.full(len(ci), "", dtype=object) for lang in LANGS}
    for k, g in enumerate(ci):
        if C["forced"][g]:
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
    names = M["name"]
    county = C["county"][g]
    zone = C["kind"][g] == "zone"
    r8 = county if (county in functional and not zone) else None
    if not len(mj) or not b.allowed[k].any():
        if zone:
            return zone_no_platform_reason(county, lang)
        ci = b.ci
        own = ci[(C["kind"][ci] == "zone") & (C["county"][ci] == county)]
        zones = [(str(C["name"][z]), _strip_rule(str(C[f"not_main_{lang}"][z]), "R6"))
                 for z in own]
        return no_platform_reason(county, r8=bool(r8), zones=zones, lang=lang)
    j = local[k]
    if j >= 0:
        phrase = explain_relation(C["codes"][g], M["codes"][mj[j]], table, lang=lang)[1]
        d = float(b.dist[k, j])
        return join_reason(names[mj[j]], d, phrase, limit_km=limit, zone=zone, r8_county=r8,
                           via=_chain_neighbour(b, k, j, C) if d > limit + DISTANCE_TOL_KM
                           else None, lang=lang)
    if b.eligible[k].any():
        return _eligible_exit_reason(b, k, g, C, M, scenario, lang)
    options = []
    for jj in np.flatnonzero(b.allowed[k]):
        d = b.dist[k, jj]
        value, phrase = explain_relation(C["codes"][g], M["codes"][mj[jj]], table, lang=lang)
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
    return str(C["name"][b.ci[best]])


def _eligible_exit_reason(b, k, g, C, M, scenario, lang="en"):
    """A candidate that could have joined but exits: R11 quota, an area ceiling, or a chain."""
    c = scenario.consolidate
    ci, mj, local = b.ci, b.mj, b.local
    county = C["county"][g]
    in_c = C["county"][ci] == county
    counted = C["counted"][ci].astype(bool) & in_c
    quota = int(b.quota[b.group.index(county)])
    exits = int((counted & (local < 0)).sum())
    if C["kind"][g] == "park" and exits <= quota:
        remaining = counted & ~C["forced"][ci].astype(bool)
        scores = C["score"][ci][remaining]
        my = C["score"][g]
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
        cap = M["cap_mu"][mj[jj]]
        if np.isfinite(cap):
            used = M["area"][mj[jj]] + C["area"][ci][local == jj].sum()
            if used + C["area"][g] > cap + 1e-6:
                caps.append((M["name"][mj[jj]], mu_to_ha(cap)))
    zone = C["kind"][g] == "zone"
    if caps:
        return ceiling_reason(caps, zone=zone, lang=lang)
    if c.connected:
        return chain_reason(c.distance_km, zone=zone, lang=lang)
    return not_joined_reason(zone=zone, lang=lang)


def _r4_note(k, b, C, M, assigned_ci, short_mu, short_va, limit, wide, lang="en"):
    """Why main platform ``k`` misses R4 (:func:`parkgeo.consolidate.explain.r4_explanation`).

    ``assigned_ci``: the main platform (global index, -1 for none) of each of the group's
    candidates, aligned with ``b.ci``.
    """
    jj = int(np.flatnonzero(b.mj == k)[0])
    unrelated, far, taken, r10 = [], [], [], []
    for a, g in enumerate(b.ci):
        if assigned_ci[a] == k or not b.allowed[a, jj]:
            continue
        d = b.dist[a, jj]
        name, item_mu, item_va = C["name"][g], float(C["dev"][g]), float(C["va"][g])
        if C["forced"][g]:
            if d <= limit + DISTANCE_TOL_KM and b.related[a, jj]:
                r10.append((name, item_mu, item_va))
        elif b.eligible[a, jj]:
            where = (M["name"][assigned_ci[a]] if assigned_ci[a] >= 0 else
                     ("exit (R11)" if C["kind"][g] == "park" else "stays as it is"))
            taken.append((name, where, item_mu, item_va))
        elif not b.related[a, jj]:
            if d <= limit + DISTANCE_TOL_KM:
                unrelated.append((name, float(d), item_mu, item_va))
        else:
            far.append((name, float(d) if np.isfinite(d) else None, item_mu, item_va))
    return r4_explanation(M["name"][k], short_mu, short_va, limit_km=limit, wide_km=wide,
                          unrelated=unrelated, far=far, taken=taken, r10=r10, lang=lang)


_MEMBER_FIELDS = ("developable_mu", "industrial_va_100m", "industrial_output_100m", "tax_100m",
                  "listed_firms", "firms_over_10bn", "high_tech_va_share", "rd_share")


def _member_table(frame, rows, area, land, platform, role, layer):
    """Member rows of one layer: ids, territory (R14), indicators, per-mu denominators."""
    id_col = "zone_id" if layer == "zones" else "park_id"
    out = {
        "platform": platform,
        "member_id": _text(frame[id_col]).to_numpy()[rows],
        "member_layer": np.full(len(rows), layer, dtype=object),
        "role": role,
        "name": _text(frame["name"]).to_numpy()[rows],
        "county": _text(frame["county"]).to_numpy()[rows],
        "town": (_text(frame["town"]).to_numpy()[rows] if "town" in frame
                 else np.full(len(rows), "", dtype=object)),
    }
    for col in _MEMBER_FIELDS:
        out[col] = (pd.to_numeric(frame[col], errors="coerce").to_numpy(dtype=float)[rows]
                    if col in frame else np.full(len(rows), np.nan))
    out["land_mu"] = land[rows]
    out["area_mu"] = area[rows]
    return pd.DataFrame(out)


def _platforms(zones, parks, zone_area, park_area, M, C, assigned, scenario, county_rows):
    """The ``platforms`` GeoDataFrame and the R14 ``members`` table."""
    z_land = per_mu(zones, zone_area)["land_mu"].to_numpy()
    p_land = per_mu(parks, park_area)["land_mu"].to_numpy()
    n_m = len(M["zone_id"])
    joined = np.flatnonzero(assigned >= 0)
    j_plat = assigned[joined]
    j_park = C["kind"][joined] == "park"
    sub_parks, sub_parks_plat = C["pos"][joined][j_park], j_plat[j_park]
    sub_zones, sub_zones_plat = C["pos"][joined][~j_park], j_plat[~j_park]
    members = pd.concat([
        _member_table(zones, M["zpos"], zone_area, z_land, np.arange(n_m), "main_zone", "zones"),
        _member_table(zones, sub_zones, zone_area, z_land, sub_zones_plat, "sub_zone", "zones"),
        _member_table(parks, sub_parks, park_area, p_land, sub_parks_plat, "sub_zone", "parks"),
    ], ignore_index=True).sort_values(["platform", "role"], kind="stable", ignore_index=True)
    summary = summarise_platforms(members, "platform").reindex(np.arange(n_m))
    n_sub = np.bincount(j_plat, minlength=n_m)
    sub_ids = pd.Series(C["id"][joined]).groupby(j_plat).agg(";".join).reindex(
        np.arange(n_m), fill_value="")
    member_counties = members.groupby("platform")["county"].agg(
        lambda x: ";".join(sorted(set(x)))).reindex(np.arange(n_m), fill_value="")
    r3 = {r["county"]: (r["platforms"], r["max_platforms"]) for r in county_rows}
    frame = pd.DataFrame({
        "platform_id": M["zone_id"],
        "name": M["name"],
        "county": M["county"],
        "main_zone_id": M["zone_id"],
        "level": _text(zones["level"]).to_numpy()[M["zpos"]] if n_m else [],
        "n_sub_zones": n_sub.astype(np.int64),
        "sub_zone_ids": sub_ids.to_numpy(),
        "member_counties": member_counties.to_numpy(),
    })
    for col in summary.columns:
        frame[col] = summary[col].to_numpy()
    frame["area_cap_mu"] = np.where(np.isfinite(M["cap_mu"]), M["cap_mu"], np.nan) if n_m \
        else []
    frame["meets_R3"] = [bool(r3.get(cty, (1, 2))[0] <= r3.get(cty, (1, 2))[1])
                         for cty in M["county"]]
    checks = platform_checks(frame, scenario)
    for col in checks.columns:
        frame[col] = checks[col].to_numpy() if col == "meets_R4" else checks[col].array

    # geometry: the main zone and its sub-zones as the parts of one MultiPolygon (for
    # display; the statutory extent stays the zone's own)
    park_geoms = parks.geometry
    if parks.crs is not None and zones.crs is not None and not parks.crs.equals(zones.crs):
        park_geoms = park_geoms.to_crs(zones.crs)
    geoms = np.concatenate([np.asarray(zones.geometry.values, dtype=object)[M["zpos"]],
                            np.asarray(zones.geometry.values, dtype=object)[sub_zones],
                            np.asarray(park_geoms.values, dtype=object)[sub_parks]])
    owner = np.concatenate([np.arange(n_m), sub_zones_plat, sub_parks_plat])
    parts, index = shapely.get_parts(geoms, return_index=True)
    polys = shapely.get_type_id(parts) == 3
    parts, part_owner = parts[polys], owner[index[polys]]
    order = np.argsort(part_owner, kind="stable")
    multi = np.empty(n_m, dtype=object)
    if n_m:
        multi[:] = shapely.multipolygons(parts[order], indices=part_owner[order], out=None) \
            if len(parts) else None
    platforms = gpd.GeoDataFrame(frame, geometry=list(multi) if n_m else [], crs=zones.crs)
    members["platform_id"] = M["zone_id"][members["platform"].to_numpy()] if n_m else ""
    members = members.drop(columns=["platform", "land_mu", "area_mu", "listed_firms",
                                    "firms_over_10bn", "high_tech_va_share", "rd_share"])
    members = members[["platform_id", *[c for c in members.columns if c != "platform_id"]]]
    return platforms, members


# ------------------------------------------------------------------------------------------
# output
# ------------------------------------------------------------------------------------------


def compare_results(results) -> pd.DataFrame:
    """One row per scenario variant: platforms, exits, floors met, objective (for planners).

    Examples
    --------
    >>> compare_results([five_km, eight_km])       # doctest: +SKIP
    """
    rows = []
    for r in results:
        rep = result_summary(r)
        c = r.scenario.consolidate
        rows.append({
            "variant": r.variant or r.scenario.name,
            "distance_km": c.distance_km,
            "min_relatedness": c.min_relatedness,
            "platforms": rep["platforms"],
            "platforms_meeting_R4": rep["platforms_meeting_R4"],
            "sub_zones": rep["sub_zones"],
            "exits": rep["exits"],
            "excluded": rep["excluded"],
            "zones_joined": rep["zones_joined"],
            "objective": round(rep["objective"], 6),
            "exit_status": r.exit_status,
        })
    return pd.DataFrame(rows)


# ------------------------------------------------------------------------------------------
# several scenarios, validation gate, terminal summary
# ------------------------------------------------------------------------------------------


def check_valid(dataset, scenario=None):
    """Refuse data with validation errors (DATA-CONTRACT: every command but ``validate``).

    Parameters
    ----------
    dataset : Dataset
        Read with ``strict=False`` so schema problems are part of the validation.
    scenario : Scenario, optional

    Raises
    ------
    ValidationFailedError
        Exit code 2; the message counts the errors, names the first and points to
        ``parkgeo validate``.
    """
    from ..errors import ValidationFailedError
    from ..validate import validate_dataset

    report = validate_dataset(dataset, scenario)
    errors = [f for f in report.findings if f.severity == "error"]
    if not errors:
        return report
    from ..validate.findings import RULES

    first = errors[0]
    file_of = getattr(dataset, "file_of", None)
    where = ", ".join(x for x in (
        file_of(first.layer) if file_of and first.layer else str(dataset.path),
        f"layer '{first.layer}'" if first.layer else None,
        f"feature '{first.id}'" if first.id else None,
        f"field '{first.field}'" if getattr(first, "field", None) else None) if x)
    todo = RULES[first.rule].todo if first.rule in RULES else "fix it"
    more = (f"; {len(errors) - 1} more error{'s' if len(errors) > 2 else ''}"
            if len(errors) > 1 else "")
    raise ValidationFailedError(
        f"{where}: {first.message} [{first.rule}]{more} — {todo}; 'parkgeo validate "
        f"{dataset.path}' lists every finding; fix them, then integrate", findings=errors)


def _slug(name):
    import re

    slug = re.sub(r"[^\w.-]+", "_", str(name), flags=re.UNICODE).strip("_.")
    return slug or "variant"


def variant_paths(out, names):
    """Output path of each variant: ``out`` itself for one, ``<stem>.<variant>.gpkg`` for several.

    >>> [str(p) for p in variant_paths("res.gpkg", ["5 km", "8 km"])]
    ['res.5_km.gpkg', 'res.8_km.gpkg']
    """
    out = Path(out)
    if len(names) <= 1:
        return [out]
    slugs = [_slug(n) for n in names]
    seen = {}
    paths = []
    for s in slugs:
        seen[s] = seen.get(s, 0) + 1
        s = s if seen[s] == 1 else f"{s}-{seen[s]}"
        paths.append(out.with_name(f"{out.stem}.{s}{out.suffix or '.gpkg'}"))
    return paths


def integrate_variants(dataset, scenarios, *, jobs=None):
    """Consolidate under several scenarios: each file's ``[[variant]]`` list expanded.

    Parameters
    ----------
    dataset : Dataset, path or dict
    scenarios : list of (label or None, Scenario)
        Usually one per ``--config`` file (label = the file's name).
    jobs : int, optional
        Worker processes (all cores by default).

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
    return [integrate(dataset, s, jobs=jobs, variant=name) for name, s in variant_runs(scenarios)]


def variant_runs(scenarios):
    """``[(variant name or None, Scenario)]``: every scenario's ``[[variant]]`` list expanded.

    With several scenarios, names start with the scenario's label (``8km / strict``).
    """
    runs = []
    for label, scenario in scenarios:
        for vname, vs in scenario.variants():
            name = " / ".join(x for x in (label if len(scenarios) > 1 else None, vname) if x)
            runs.append((name or None, vs))
    return runs
