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
5. Platforms with summed indicators and rule/target checks; a reason for every park and zone.
"""

from __future__ import annotations

import json
import logging
import math
import os
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from .. import __version__
from .._atomic import atomic_path, check_output
from .._progress import progress
from ..errors import InputError
from ..read.crs import areas_mu, county_crs
from ..scenario import Scenario
from ..units import ha_to_mu, mu_to_ha
from .classify import choose_main_platforms, classify_parks, park_scores, per_mu, r11_quota, \
    zone_scores
from .eligibility import LocalFrame, county_groups, near_pairs
from .explain import join_reason, no_platform_reason, quota_reason, r4_explanation, \
    unreachable_reason
from .relatedness import explain as explain_relation
from .relatedness import relatedness_matrix
from .solver import CountyProblem, ObjectiveWeights, solve_county
from .summary import platform_checks, summarise_platform

__all__ = ["IntegrationResult", "integrate", "integrate_variants", "check_valid",
           "write_result", "result_to_json", "result_text", "compare_results", "variant_paths",
           "variant_runs", "report_json_text",
           "PASS_THROUGH", "OUTPUT_LAYERS"]

log = logging.getLogger(__name__)

#: optional input layers copied unchanged into the result, for maps, rank, admit and report
#: (any other extra layer of the input is passed through too)
PASS_THROUGH = ("counties", "protected", "plots", "monitoring", "projects", "about")
#: layers the result writes itself (an input layer of the same name is not passed through)
OUTPUT_LAYERS = ("zones", "parks", "platforms", "members", "county_report", "run")
#: explanations look this many times the distance limit around each park
WIDE_FACTOR = 4.0


@dataclass(frozen=True)
class IntegrationResult:
    """The consolidation of one dataset under one scenario.

    Attributes
    ----------
    zones : GeoDataFrame
        The input zones, geometry untouched (R1), plus ``role`` (``main_platform``,
        ``sub_zone`` or ``standalone``), ``platform_id``, ``development_score``, ``reason``.
    parks : GeoDataFrame
        The input parks plus ``decision`` (``sub_zone``, ``exit``, ``excluded``),
        ``platform_id``, ``reason``, ``per_mu_score`` and ``distance_km`` (edge to edge, to
        its platform, or for an exit to the nearest main platform it could have joined;
        empty beyond 4 times the limit).
    platforms : GeoDataFrame
        One row per major platform (see :mod:`parkgeo.consolidate.summary`).
    members : DataFrame
        R14: one row per member of each platform with its county, town and figures, so every
        figure stays attributable to platform and territory.
    counties : DataFrame
        Per county: R11 base, quota, exits, platforms, R3, solver status, objective, bound, gap.
    layers : dict
        The optional input layers, passed through unchanged.
    scenario : Scenario
    variant : str or None
    input_path : str
    exit_status : int
        0, or 1 when a hard rule is not met (R4 unreachable, R3 exceeded by forced platforms).
    problems : tuple of str
        One line per unmet hard rule.
    solver : dict
        Totals: counties solved, optimal, worst gap, seconds (not written to the GeoPackage).
    """

    zones: gpd.GeoDataFrame
    parks: gpd.GeoDataFrame
    platforms: gpd.GeoDataFrame
    members: pd.DataFrame
    counties: pd.DataFrame
    layers: dict = field(default_factory=dict)
    scenario: Scenario = field(default_factory=Scenario)
    variant: str | None = None
    input_path: str = ""
    exit_status: int = 0
    problems: tuple = ()
    solver: dict = field(default_factory=dict)
    r4_notes: dict = field(default_factory=dict)


# ------------------------------------------------------------------------------------------
# solving in parallel
# ------------------------------------------------------------------------------------------


def _solve_one(args):
    problem, time_limit, mip_gap = args
    return solve_county(problem, time_limit=time_limit, mip_gap=mip_gap)


def _solve_all(problems, *, jobs, time_limit, mip_gap):
    """Solve every problem; in a process pool when ``jobs > 1`` (counties are independent)."""
    args = [(p, time_limit, mip_gap) for p in problems]
    out = []
    with progress("solving counties", len(args)) as advance:
        if jobs <= 1 or len(args) < 2:
            for a in args:
                out.append(_solve_one(a))
                advance()
            return out
        import multiprocessing

        ctx = multiprocessing.get_context("fork") if hasattr(os, "fork") else None
        chunk = max(1, len(args) // (jobs * 8))
        with ProcessPoolExecutor(max_workers=jobs, mp_context=ctx) as pool:
            for sol in pool.map(_solve_one, args, chunksize=chunk):
                out.append(sol)
                advance()
    return out


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


def _text(series):
    return series.astype(object).where(series.notna(), "").astype(str)


def _num(frame, name):
    if name in frame:
        return pd.to_numeric(frame[name], errors="coerce").astype(float).fillna(0.0).to_numpy()
    return np.zeros(len(frame))


def integrate(dataset, scenario=None, *, jobs=1, variant=None) -> IntegrationResult:
    """Consolidate a dataset's parks into major platforms (R3–R12).

    Parameters
    ----------
    dataset : Dataset, str, Path or dict
        A dataset read with :func:`parkgeo.read.read_dataset`, its path, or a dict of
        GeoDataFrames with contract field names (``zones`` and ``parks`` at least).
    scenario : Scenario, optional
        Settings; the policy's defaults without it.
    jobs : int
        Worker processes for the per-county solves.
    variant : str, optional
        Name of the scenario variant, for reports.

    Returns
    -------
    IntegrationResult

    Examples
    --------
    >>> from parkgeo.read import read_dataset
    >>> result = integrate(read_dataset("layers/jiaxing.gpkg"), jobs=2)   # doctest: +SKIP
    >>> result.platforms[["name", "n_sub_zones", "developable_mu", "meets_R4"]]  # doctest: +SKIP
    """
    scenario = scenario or Scenario()
    c = scenario.consolidate
    layers, path, crs_by_county = _layers_of(dataset)
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
    all_counties = sorted(set(cand["county"]) | set(mains["county"])
                          | set(_text(parks["county"])))
    groups = county_groups(all_counties, cross, functional)
    cand_by_county = cand.groupby("county").indices
    main_by_county = mains.groupby("county").indices
    weights = ObjectiveWeights(keep=1.0, score=1.0, relatedness=c.weight_affinity,
                               proximity=c.weight_affinity)
    built = []
    for group in groups:
        ci = np.concatenate([cand_by_county.get(g, np.zeros(0, int)) for g in group]).astype(int)
        mj = np.concatenate([main_by_county.get(g, np.zeros(0, int)) for g in group]).astype(int)
        ci.sort()
        mj.sort()
        built.append(_build_problem(group, ci, mj, cand, mains, pair_frame, links, scenario,
                                    weights, limit, functional, cross, table))
    todo = [b for b in built if b["problem"] is not None]
    solutions = _solve_all([b["problem"] for b in todo], jobs=jobs, time_limit=c.time_limit_s,
                           mip_gap=c.mip_gap)
    for b, sol in zip(todo, solutions):
        b["solution"] = sol

    return _assemble(zones, parks, zone_area, park_area, zscore, choice, cls, mains, cand,
                     built, scenario, layers, path, variant, limit, wide, functional)


def _zone_reach(zones, parks, park_take, cls, pairs, scenario, limit, cross, functional):
    """Developable space and value added each zone could reach with every related park
    within the limit (R10 exits left out): the R4 check of :func:`choose_main_platforms`."""
    c = scenario.consolidate
    n_p = len(park_take)
    reach = pd.DataFrame({"developable_mu": _num(zones, "developable_mu"),
                          "industrial_va_100m": _num(zones, "industrial_va_100m")},
                         index=zones.index)
    near = pairs[(pairs["i"] < n_p) & (pairs["d"] <= limit)]
    if not len(near):
        return reach
    prow = park_take[near["i"].to_numpy()]
    zrow = near["z"].to_numpy()
    ok = (cls["status"].to_numpy()[prow] != "exit")
    p_county = _text(parks["county"]).to_numpy()[prow]
    z_county = _text(zones["county"]).to_numpy()[zrow]
    allowed_pairs = {(a, b) for a, b in cross} | {(b, a) for a, b in cross}
    ok &= np.array([a == b or ((a, b) in allowed_pairs and a not in functional
                               and b not in functional) for a, b in zip(p_county, z_county)],
                   dtype=bool)
    codes_p = _text(parks["industries"]).to_numpy()[prow]
    codes_z = _text(zones["industries"]).to_numpy()[zrow]
    table = tuple(c.related)
    rel = np.array([explain_relation(a, b, table)[0] for a, b in zip(codes_p, codes_z)])
    ok &= rel >= c.min_relatedness - 1e-12
    dev = _num(parks, "developable_mu")[prow]
    va = _num(parks, "industrial_va_100m")[prow]
    add_dev = np.bincount(zrow[ok], dev[ok], minlength=len(zones))
    add_va = np.bincount(zrow[ok], va[ok], minlength=len(zones))
    reach["developable_mu"] += add_dev
    reach["industrial_va_100m"] += add_va
    return reach


def _build_problem(group, ci, mj, cand, mains, pair_frame, links, scenario, weights, limit,
                   functional, cross, table):
    """The arrays of one county group (no geometry past this point)."""
    c = scenario.consolidate
    n, m = len(ci), len(mj)
    out = {"group": group, "ci": ci, "mj": mj, "problem": None, "solution": None}
    local_i = {int(g): k for k, g in enumerate(ci)}
    local_j = {int(g): k for k, g in enumerate(mj)}
    dist = np.full((n, m), np.inf)
    if n and m:
        sel = pair_frame[pair_frame["i"].isin(ci) & pair_frame["j"].isin(mj)]
        if len(sel):
            dist[[local_i[int(i)] for i in sel["i"]], [local_j[int(j)] for j in sel["j"]]] = sel["d"]
    rel = relatedness_matrix(cand["codes"].to_numpy()[ci], mains["codes"].to_numpy()[mj], table) \
        if n and m else np.zeros((n, m))
    c_county = cand["county"].to_numpy()[ci]
    m_county = mains["county"].to_numpy()[mj]
    pairs_ok = {(a, b) for a, b in cross} | {(b, a) for a, b in cross}
    allowed = np.zeros((n, m), bool)
    for a in range(n):
        for b in range(m):
            same = c_county[a] == m_county[b]
            allowed[a, b] = same or ((c_county[a], m_county[b]) in pairs_ok
                                     and c_county[a] not in functional
                                     and m_county[b] not in functional)
    related = rel >= c.min_relatedness - 1e-12
    direct = allowed & related & (dist <= limit)
    local_links = np.zeros((0, 2), dtype=np.int64)
    if c.connected and links is not None and n:
        inside = np.isin(links.left, ci) & np.isin(links.right, ci)
        if inside.any():
            local_links = np.array([[local_i[int(a)], local_i[int(b)]] for a, b in
                                    zip(links.left[inside], links.right[inside])], dtype=np.int64)
        eligible = _reachable(direct, allowed & related, local_links)
    else:
        eligible = direct
    forced = cand["forced"].to_numpy()[ci]
    counted = cand["counted"].to_numpy()[ci]
    qgroup = np.array([group.index(cty) for cty in c_county], dtype=np.int64)
    quota = np.array([r11_quota(int((counted & (qgroup == g)).sum()), c.exit_share)
                      for g in range(len(group))], dtype=np.int64)
    out.update(dist=dist, rel=rel, allowed=allowed, related=related, eligible=eligible,
               quota=quota, qgroup=qgroup, links=local_links)
    if not m or not n:
        return out
    out["problem"] = CountyProblem(
        county=" + ".join(group), eligible=eligible, distance_km=np.where(np.isfinite(dist),
                                                                          dist, 1e6),
        relatedness=rel, score=cand["score"].to_numpy()[ci],
        developable_mu=cand["dev"].to_numpy()[ci], va_100m=cand["va"].to_numpy()[ci],
        area_mu=cand["area"].to_numpy()[ci], counts_for_quota=counted, forced_exit=forced,
        quota=quota, quota_group=qgroup, base_developable_mu=mains["dev"].to_numpy()[mj],
        base_va_100m=mains["va"].to_numpy()[mj], base_area_mu=mains["area"].to_numpy()[mj],
        floor_mu=np.full(m, c.min_developable_mu), floor_va_100m=np.full(m, c.min_va_100m),
        area_cap_mu=mains["cap_mu"].to_numpy()[mj], distance_limit_km=limit,
        connected=c.connected, direct=direct, links=local_links, weights=weights,
        slack_penalty=c.slack_penalty)
    return out


def _reachable(direct, usable, links):
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
        rows = np.concatenate([np.full(len(src), n), links[both, 0]]) if len(links) else \
            np.full(len(src), n)
        cols = np.concatenate([src, links[both, 1]]) if len(links) else src
        graph = coo_array((np.ones(len(rows)), (rows, cols)), shape=(n + 1, n + 1))
        order = breadth_first_order(graph, n, directed=False, return_predecessors=False)
        reach = order[order < n]
        out[reach, j] = True
    return out


# ------------------------------------------------------------------------------------------
# assembling the output layers and the explanations
# ------------------------------------------------------------------------------------------


def _assemble(zones, parks, zone_area, park_area, zscore, choice, cls, mains, cand, built,
              scenario, layers, path, variant, limit, wide, functional):
    c = scenario.consolidate
    n_cand = len(cand)
    assigned = np.full(n_cand, -1, dtype=np.int64)  # global main index
    cand_dist = np.full(n_cand, np.nan)
    reasons = [""] * n_cand
    county_rows = []
    r4_notes = {}
    problems = []
    platform_short = {}
    main_names = mains["name"].to_numpy()
    solver_totals = {"problems": 0, "optimal": 0, "time_limit": 0, "worst_gap": 0.0,
                     "seconds": 0.0, "floors_relaxed": 0}

    for b in built:
        ci, mj, sol = b["ci"], b["mj"], b["solution"]
        local = np.full(len(ci), -1) if sol is None else sol.assignment
        if sol is not None:
            solver_totals["problems"] += 1
            solver_totals["optimal"] += int(sol.optimal)
            solver_totals["time_limit"] += int(sol.status == "time_limit")
            solver_totals["worst_gap"] = max(solver_totals["worst_gap"], float(sol.gap))
            solver_totals["seconds"] += sol.seconds
            solver_totals["floors_relaxed"] += int(sol.floors_relaxed)
        for k, g in enumerate(ci):
            if local[k] >= 0:
                assigned[g] = mj[local[k]]
                cand_dist[g] = b["dist"][k, local[k]]
            elif len(mj):
                # not joined: the distance to the nearest main platform it may join
                d = np.where(b["allowed"][k], b["dist"][k], np.inf).min()
                cand_dist[g] = d if np.isfinite(d) else np.nan
        _explain_group(b, cand, mains, local, reasons, scenario, limit, wide, functional)
        # per-county report rows
        for gi, county in enumerate(b["group"]):
            in_c = np.flatnonzero(cand["county"].to_numpy()[ci] == county)
            counted = cand["counted"].to_numpy()[ci][in_c]
            exits = int((counted & (local[in_c] < 0)).sum())
            plat_ids = [mains.at[int(j), "zone_id"] for j in mj
                        if mains.at[int(j), "county"] == county]
            rule = scenario.county(county)
            n_excl = int(((cls["status"] == "excluded") & (_text(parks["county"]) == county)).sum())
            row = {
                "county": county,
                "n_parks": int(counted.sum()),
                "excluded": n_excl,
                "r10_exits": int((cand["forced"].to_numpy()[ci][in_c]).sum()),
                "quota": int(b["quota"][gi]),
                "exits": exits,
                "sub_zones": int(((local[in_c] >= 0) & counted).sum()),
                "zones_joined": int(((local[in_c] >= 0) & ~counted).sum()),
                "platforms": len(plat_ids),
                "platform_ids": ";".join(plat_ids),
                "max_platforms": rule.max_platforms,
                "meets_R3": 1 <= len(plat_ids) <= rule.max_platforms if plat_ids else False,
                "meets_R11": exits >= int(b["quota"][gi]),
                "solver_group": " + ".join(b["group"]),
                "status": sol.status if sol is not None else "no_platform",
                "objective": float(sol.objective) if sol is not None else 0.0,
                "bound": float(sol.bound) if sol is not None else 0.0,
                "gap": float(sol.gap) if sol is not None else 0.0,
                "floors_relaxed": bool(sol.floors_relaxed) if sol is not None else False,
                "seconds": float(sol.seconds) if sol is not None else 0.0,
            }
            if rule.max_platforms > 2 and rule.reason:
                row["r3_reason"] = rule.reason
            county_rows.append(row)
        if sol is not None:
            for k, j in enumerate(mj):
                platform_short[int(j)] = (float(sol.shortfall_mu[k]),
                                          float(sol.shortfall_va_100m[k]))

    # ---- parks layer
    parks_out = parks.copy()
    decision = np.array(["excluded"] * len(parks), dtype=object)
    p_reason = cls["reason"].to_numpy().astype(object).copy()
    p_platform = np.array([""] * len(parks), dtype=object)
    p_score = np.full(len(parks), np.nan)
    p_dist = np.full(len(parks), np.nan)
    zone_role = np.array(["main_platform" if x else "standalone" for x in choice["is_main"]],
                         dtype=object)
    z_platform = np.array([zid if is_main else "" for zid, is_main in
                           zip(_text(zones["zone_id"]), choice["is_main"])], dtype=object)
    z_reason = choice["reason"].to_numpy().astype(object).copy()
    for g in range(n_cand):
        pos = int(cand.at[g, "pos"])
        j = assigned[g]
        pid = mains.at[int(j), "zone_id"] if j >= 0 else ""
        if cand.at[g, "kind"] == "park":
            decision[pos] = "sub_zone" if j >= 0 else "exit"
            p_platform[pos] = pid
            if reasons[g]:
                p_reason[pos] = reasons[g]
            p_score[pos] = cand.at[g, "score"]
            p_dist[pos] = cand_dist[g]
        else:
            if j >= 0:
                zone_role[pos] = "sub_zone"
                z_platform[pos] = pid
            z_reason[pos] = f"{z_reason[pos]}; {reasons[g]}" if z_reason[pos] else reasons[g]
    parks_out["decision"] = decision
    parks_out["platform_id"] = p_platform
    parks_out["reason"] = p_reason
    parks_out["per_mu_score"] = p_score
    parks_out["distance_km"] = p_dist
    zones_out = zones.copy()
    zones_out["role"] = zone_role
    zones_out["platform_id"] = z_platform
    zones_out["development_score"] = zscore.to_numpy()
    zones_out["reason"] = z_reason

    # ---- platforms layer and the R14 member table
    platforms, members = _platforms(zones, parks, zone_area, park_area, mains, cand, assigned,
                                    scenario, county_rows)
    for k in range(len(mains)):
        pid = mains.at[k, "zone_id"]
        row = platforms.loc[platforms["platform_id"] == pid].iloc[0]
        if row["meets_R4"]:
            continue
        short_mu, short_va = float(row["shortfall_R4_mu"]), float(row["shortfall_R4_va_100m"])
        note, figures = _r4_note(k, built, cand, mains, assigned, short_mu, short_va, limit, wide)
        r4_notes[pid] = {"note": note, **figures}
        problems.append(f"{row['county']}: {note}")
    platforms["r4_note"] = [r4_notes.get(pid, {}).get("note", "") for pid in
                            platforms["platform_id"]]
    for row in county_rows:
        if not row["meets_R3"] and row["platforms"] > row["max_platforms"]:
            problems.append(f"{row['county']}: R3: {row['platforms']} main platforms are forced "
                            f"but the county may keep {row['max_platforms']}")
    counties = pd.DataFrame(county_rows)
    exit_status = 1 if problems else 0
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
        input_path=path, exit_status=exit_status, problems=tuple(problems),
        solver=solver_totals, r4_notes=r4_notes)


def _explain_group(b, cand, mains, local, reasons, scenario, limit, wide, functional):
    """Fill ``reasons`` for the candidates of one county group."""
    c = scenario.consolidate
    ci, mj, sol = b["ci"], b["mj"], b["solution"]
    names = mains["name"].to_numpy()
    codes_c = cand["codes"].to_numpy()
    codes_m = mains["codes"].to_numpy()
    table = tuple(c.related)
    counties = cand["county"].to_numpy()
    kinds = cand["kind"].to_numpy()
    forced = cand["forced"].to_numpy()
    for k, g in enumerate(ci):
        county = counties[g]
        r8 = county if (county in functional and kinds[g] == "park") else None
        zone = kinds[g] == "zone"
        if forced[g]:
            continue  # keeps its R10 reason from classify
        if not len(mj):
            reasons[g] = (no_platform_reason(county, r8=bool(r8)) if not zone else
                          f"stays as it is: {county} has no main platform to join (R6)")
            continue
        j = local[k]
        if j >= 0:
            phrase = explain_relation(codes_c[g], codes_m[mj[j]], table)[1]
            reasons[g] = join_reason(names[mj[j]], float(b["dist"][k, j]), phrase,
                                     limit_km=limit, zone=zone, r8_county=r8)
            continue
        if b["eligible"][k].any():
            reasons[g] = _eligible_exit_reason(b, k, g, cand, mains, sol, scenario)
            continue
        options = []
        for jj in range(len(mj)):
            d = b["dist"][k, jj]
            value, phrase = explain_relation(codes_c[g], codes_m[mj[jj]], table)
            options.append((names[mj[jj]], None if not np.isfinite(d) else float(d), value,
                            phrase, bool(b["allowed"][k, jj])))
        if not any(o[4] for o in options):
            reasons[g] = (no_platform_reason(county, r8=bool(r8)) if not zone else
                          f"stays as it is: {county} has no main platform to join (R6)")
            continue
        options = [o for o in options if o[4]]
        reasons[g] = unreachable_reason(options, limit_km=limit,
                                        min_relatedness=c.min_relatedness, wide_km=wide,
                                        connected=c.connected, r8_county=r8, zone=zone)


def _eligible_exit_reason(b, k, g, cand, mains, sol, scenario):
    """A candidate that could have joined but exits: R11 quota, an area ceiling, or a chain."""
    c = scenario.consolidate
    ci, mj = b["ci"], b["mj"]
    county = cand.at[g, "county"]
    if cand.at[g, "kind"] == "zone":
        return "stays as it is: joining would break an area ceiling or the R7 chain"
    gi = b["group"].index(county)
    in_c = np.flatnonzero((cand["county"].to_numpy()[ci] == county))
    counted = cand["counted"].to_numpy()[ci][in_c]
    forced = cand["forced"].to_numpy()[ci][in_c]
    local = sol.assignment
    quota = int(b["quota"][gi])
    exits = int((counted & (local[in_c] < 0)).sum())
    remaining = in_c[counted & ~forced]
    scores = cand["score"].to_numpy()[ci][remaining]
    my = cand.at[g, "score"]
    rank = int((scores < my - 1e-12).sum()) + 1
    out_remaining = int((local[remaining] < 0).sum())
    if exits <= quota:
        n_parks = int(counted.sum())
        return quota_reason(county, my, rank, len(remaining), quota, n_parks,
                            weakest=rank <= out_remaining)
    # not the quota: a ceiling or the connected-mode chain kept it out
    caps = []
    for jj in np.flatnonzero(b["eligible"][k]):
        cap = mains.at[int(mj[jj]), "cap_mu"]
        if np.isfinite(cap):
            used = mains.at[int(mj[jj]), "area"] + cand["area"].to_numpy()[ci][local == jj].sum()
            if used + cand.at[g, "area"] > cap + 1e-6:
                caps.append(f"{mains.at[int(mj[jj]), 'name']} would exceed its area ceiling of "
                            f"{mu_to_ha(cap):,.0f} ha")
    if caps:
        return "area ceiling (R2 reading): " + "; ".join(caps)
    if c.connected:
        return "R7 (connected mode): no chain of sub-zones within " \
               f"{c.distance_km:g} km links it to a main platform"
    return "exits: R11 quota and the R4 floors leave no better use"


def _r4_note(k, built, cand, mains, assigned, short_mu, short_va, limit, wide):
    """Why main platform ``k`` misses R4 (see :func:`parkgeo.consolidate.explain.r4_explanation`)."""
    b = next(b for b in built if k in set(b["mj"].tolist()))
    jj = int(np.flatnonzero(b["mj"] == k)[0])
    ci = b["ci"]
    unrelated, far, taken, r10 = [], [], [], []
    names = cand["name"].to_numpy()
    for a, g in enumerate(ci):
        if assigned[g] == k or not b["allowed"][a, jj]:
            continue
        d = b["dist"][a, jj]
        item_mu, item_va = float(cand.at[g, "dev"]), float(cand.at[g, "va"])
        if cand.at[g, "forced"]:
            if d <= limit and b["related"][a, jj]:
                r10.append((names[g], item_mu, item_va))
            continue
        if b["eligible"][a, jj]:
            where = (mains.at[int(assigned[g]), "name"] if assigned[g] >= 0 else
                     ("exit (R11)" if cand.at[g, "kind"] == "park" else "stays as it is"))
            taken.append((names[g], where, item_mu, item_va))
        elif not b["related"][a, jj]:
            if d <= limit:
                unrelated.append((names[g], float(d), item_mu, item_va))
        else:
            far.append((names[g], None if not np.isfinite(d) else float(d), item_mu, item_va))
    return r4_explanation(mains.at[k, "name"], short_mu, short_va, limit_km=limit, wide_km=wide,
                          unrelated=unrelated, far=far, taken=taken, r10=r10)


def _platforms(zones, parks, zone_area, park_area, mains, cand, assigned, scenario, county_rows):
    """The ``platforms`` GeoDataFrame and the R14 ``members`` table."""
    z_land = per_mu(zones, zone_area)["land_mu"].to_numpy()
    p_land = per_mu(parks, park_area)["land_mu"].to_numpy()
    r3 = {r["county"]: (r["platforms"], r["max_platforms"]) for r in county_rows}
    zone_geoms = np.asarray(zones.geometry.values, dtype=object)
    park_geoms = parks.geometry
    if parks.crs is not None and zones.crs is not None and not parks.crs.equals(zones.crs):
        park_geoms = park_geoms.to_crs(zones.crs)
    park_geoms = np.asarray(park_geoms.values, dtype=object)
    rows, geoms, member_rows = [], [], []
    member_cols = ("developable_mu", "industrial_va_100m", "industrial_output_100m", "tax_100m")
    for k in range(len(mains)):
        zpos = int(mains.at[k, "zpos"])
        subs = np.flatnonzero(assigned == k)
        sub_parks = cand["pos"].to_numpy()[subs][cand["kind"].to_numpy()[subs] == "park"]
        sub_zones = cand["pos"].to_numpy()[subs][cand["kind"].to_numpy()[subs] == "zone"]
        frames = [zones.iloc[[zpos]].drop(columns=zones.geometry.name)]
        land = [z_land[zpos]]
        area = [zone_area[zpos]]
        if len(sub_zones):
            frames.append(zones.iloc[sub_zones].drop(columns=zones.geometry.name))
            land += list(z_land[sub_zones])
            area += list(zone_area[sub_zones])
        if len(sub_parks):
            frames.append(parks.iloc[sub_parks].drop(columns=parks.geometry.name))
            land += list(p_land[sub_parks])
            area += list(park_area[sub_parks])
        members = pd.concat(frames, ignore_index=True)
        summary = summarise_platform(members, land, area)
        pid = mains.at[k, "zone_id"]
        county = mains.at[k, "county"]
        n_plat, max_plat = r3.get(county, (1, 2))
        row = {
            "platform_id": pid,
            "name": mains.at[k, "name"],
            "county": county,
            "main_zone_id": pid,
            "level": str(zones.iloc[zpos]["level"]),
            "n_sub_zones": int(len(subs)),
            "sub_zone_ids": ";".join(cand["id"].to_numpy()[subs].tolist()),
            "member_counties": ";".join(sorted(set(members["county"].astype(str)))),
            **summary,
            "area_cap_mu": mains.at[k, "cap_mu"] if np.isfinite(mains.at[k, "cap_mu"]) else np.nan,
            "meets_R3": bool(n_plat <= max_plat),
        }
        row.update(platform_checks(row, scenario))
        rows.append(row)
        parts = [zone_geoms[zpos], *zone_geoms[sub_zones], *park_geoms[sub_parks]]
        polys = shapely.get_parts(shapely.get_parts(np.array(parts, dtype=object)))
        polys = polys[shapely.get_type_id(polys) == 3]
        geoms.append(shapely.multipolygons(polys))
        # R14: every figure stays attributable to its territory
        for layer, frame, pos, role in (("zones", zones, [zpos], "main_zone"),
                                        ("zones", zones, sub_zones, "sub_zone"),
                                        ("parks", parks, sub_parks, "sub_zone")):
            for p in pos:
                rec = frame.iloc[int(p)]
                member_rows.append({
                    "platform_id": pid,
                    "member_id": str(rec["zone_id" if layer == "zones" else "park_id"]),
                    "member_layer": layer,
                    "role": role,
                    "name": str(rec["name"]),
                    "county": str(rec["county"]),
                    "town": str(rec["town"]) if layer == "parks" and "town" in frame and
                    pd.notna(rec["town"]) else "",
                    **{col: float(rec[col]) if col in frame and pd.notna(rec[col]) else np.nan
                       for col in member_cols},
                })
    platforms = gpd.GeoDataFrame(rows, geometry=geoms, crs=zones.crs)
    if not len(rows):
        platforms = gpd.GeoDataFrame({"platform_id": pd.Series(dtype=str)},
                                     geometry=gpd.GeoSeries([], crs=zones.crs), crs=zones.crs)
    for col in ("meets_T2", "meets_T3", "meets_T4"):
        if col in platforms:
            platforms[col] = platforms[col].astype("boolean")
    members = pd.DataFrame(member_rows, columns=["platform_id", "member_id", "member_layer",
                                                 "role", "name", "county", "town", *member_cols])
    return platforms, members


# ------------------------------------------------------------------------------------------
# output
# ------------------------------------------------------------------------------------------


def _run_table(result):
    return pd.DataFrame([{
        "parkgeo_version": __version__,
        "variant": result.variant or "",
        "input_path": result.input_path,
        "scenario_toml": result.scenario.to_toml(),
        "exit_status": int(result.exit_status),
        "problems": "\n".join(result.problems),
    }])


def write_result(result: IntegrationResult, path, *, overwrite=False):
    """Write the result GeoPackage (DATA-CONTRACT "Output of consolidation"), atomically.

    Layers: ``zones`` (geometry untouched, R1), ``parks``, ``platforms``, the optional input
    layers unchanged, and three tables: ``members`` (R14), ``county_report`` (per county:
    quota, exits, solver status, objective, bound, gap) and ``run`` (parkgeo version, the
    scenario as TOML, the input path). No timestamps: the same input and scenario give the
    same tables.

    Parameters
    ----------
    result : IntegrationResult
    path : str or Path
        A ``.gpkg`` file.
    overwrite : bool
        Replace an existing file.

    Returns
    -------
    Path

    Examples
    --------
    >>> write_result(result, "out/result.gpkg", overwrite=True)     # doctest: +SKIP
    """
    import pyogrio

    path = check_output(path, overwrite=overwrite)
    county_report = result.counties.drop(columns=["seconds"], errors="ignore")
    # GeoPackage stamps each layer with the time of writing; a fixed stamp keeps the file
    # reproducible (same input and scenario, same bytes)
    pyogrio.set_gdal_config_options({"OGR_CURRENT_DATE": _FIXED_DATE})
    try:
        with atomic_path(path, overwrite=overwrite) as tmp:
            _write(result.zones, tmp, "zones")
            _write(result.parks, tmp, "parks")
            _write(result.platforms, tmp, "platforms")
            for name, frame in result.layers.items():
                _write(frame, tmp, name)
            for name, frame in (("members", result.members), ("county_report", county_report),
                                ("run", _run_table(result))):
                pyogrio.write_dataframe(_plain(frame), tmp, layer=name, driver="GPKG")
    finally:
        pyogrio.set_gdal_config_options({"OGR_CURRENT_DATE": None})
    return Path(path)


_FIXED_DATE = "2000-01-01T00:00:00.000Z"


def _plain(frame):
    """A DataFrame pyogrio can write as an attribute table (object columns as text)."""
    out = pd.DataFrame(frame).copy()
    for col in out.columns:
        if out[col].dtype == object:
            out[col] = out[col].map(lambda v: None if v is None or (isinstance(v, float)
                                                                    and math.isnan(v)) else v)
    return out


def _write(frame, path, layer):
    import pyogrio

    if not isinstance(frame, gpd.GeoDataFrame):
        pyogrio.write_dataframe(_plain(frame), path, layer=layer, driver="GPKG")
        return
    types = set(frame.geometry.geom_type.dropna())
    kwargs = {}
    if len(types) > 1:
        # keep every geometry exactly as it came in (R1): no promotion to multi-part
        kwargs = {"promote_to_multi": False, "geometry_type": "Unknown"}
    pyogrio.write_dataframe(frame, path, layer=layer, driver="GPKG", **kwargs)


def _jsonable(value):
    if isinstance(value, (np.bool_, bool)):
        return bool(value)
    if isinstance(value, (np.integer,)):
        return int(value)
    if isinstance(value, (np.floating, float)):
        return None if not math.isfinite(value) else float(value)
    if value is pd.NA or value is None:
        return None
    return value


def _records(frame, columns=None):
    frame = pd.DataFrame(frame)
    if columns is not None:
        frame = frame[[c for c in columns if c in frame]]
    return [{k: _jsonable(v) for k, v in rec.items()} for rec in frame.to_dict("records")]


def result_to_json(result: IntegrationResult) -> dict:
    """The JSON report: scenario, per-county and per-platform summaries, solver figures.

    Examples
    --------
    >>> import json
    >>> print(json.dumps(result_to_json(result), ensure_ascii=False)[:80])  # doctest: +SKIP
    """
    platforms = pd.DataFrame(result.platforms.drop(columns=result.platforms.geometry.name))
    plats = _records(platforms)
    for p in plats:
        note = result.r4_notes.get(p["platform_id"])
        if note:
            p["r4"] = {k: v for k, v in note.items()}
    parks = result.parks
    decisions = parks["decision"].value_counts().to_dict() if len(parks) else {}
    return {
        "parkgeo_version": __version__,
        "input": result.input_path,
        "variant": result.variant,
        "exit_status": int(result.exit_status),
        "problems": list(result.problems),
        "scenario": {"name": result.scenario.name, "source": result.scenario.source,
                     "toml": result.scenario.to_toml()},
        "summary": {
            "counties": int(len(result.counties)),
            "platforms": int(len(result.platforms)),
            "platforms_meeting_R4": int(result.platforms["meets_R4"].sum())
            if len(result.platforms) else 0,
            "parks": int(len(parks)),
            "sub_zones": int(decisions.get("sub_zone", 0)),
            "exits": int(decisions.get("exit", 0)),
            "excluded": int(decisions.get("excluded", 0)),
            "zones_joined": int((result.zones["role"] == "sub_zone").sum()),
            "objective": float(result.counties["objective"].sum()) if len(result.counties)
            else 0.0,
        },
        "solver": {k: _jsonable(v) for k, v in result.solver.items()},
        "counties": _records(result.counties),
        "platforms": plats,
    }


def compare_results(results) -> pd.DataFrame:
    """One row per scenario variant: platforms, exits, floors met, objective (for planners).

    Examples
    --------
    >>> compare_results([five_km, eight_km])       # doctest: +SKIP
    """
    rows = []
    for r in results:
        rep = result_to_json(r)["summary"]
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


def report_json_text(payload):
    """The report as indented JSON text (Chinese kept readable)."""
    return json.dumps(payload, ensure_ascii=False, indent=2, sort_keys=False) + "\n"


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
    first = errors[0]
    where = ", ".join(x for x in (first.layer, f"feature '{first.id}'" if first.id else None)
                      if x)
    raise ValidationFailedError(
        f"{dataset.path}: the data has {len(errors)} validation error"
        f"{'s' if len(errors) != 1 else ''} (first: {first.rule} in {where}: {first.message}); "
        f"run 'parkgeo validate {dataset.path}' to list them, fix them, then integrate",
        findings=errors)


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


def integrate_variants(dataset, scenarios, *, jobs=1):
    """Consolidate under several scenarios: each file's ``[[variant]]`` list expanded.

    Parameters
    ----------
    dataset : Dataset, path or dict
    scenarios : list of (label or None, Scenario)
        Usually one per ``--config`` file (label = the file's name).
    jobs : int

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


def _width(text):
    import unicodedata

    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in str(text))


def _pad(text, width, right=False):
    text = str(text)
    fill = " " * max(0, width - _width(text))
    return fill + text if right else text + fill


def _table(header, rows, right=()):
    widths = [max([_width(h)] + [_width(r[k]) for r in rows]) for k, h in enumerate(header)]
    lines = ["  ".join(_pad(h, w, k in right) for k, (h, w) in enumerate(zip(header, widths)))]
    for r in rows:
        lines.append("  ".join(_pad(v, w, k in right) for k, (v, w) in enumerate(zip(r, widths))))
    return lines


def _yes(v):
    if v is pd.NA or v is None or (isinstance(v, float) and math.isnan(v)):
        return "n/a"
    return "yes" if bool(v) else "NO"


def result_text(result: IntegrationResult) -> str:
    """A summary for the terminal: counties, platforms, and every unmet hard rule.

    Examples
    --------
    >>> print(result_text(result))          # doctest: +SKIP
    """
    rep = result_to_json(result)["summary"]
    c = result.scenario.consolidate
    head = result.variant or result.scenario.name
    lines = [f"{head}: R7 limit {c.distance_km:g} km, relatedness ≥ {c.min_relatedness:g}, "
             f"R4 ≥ {c.min_developable_mu:,.0f} mu and {c.min_va_100m:g} 亿元, R11 ≥ "
             f"{c.exit_share:.0%}" + (", connected mode" if c.connected else ""),
             f"{rep['platforms']} major platforms ({rep['platforms_meeting_R4']} meet R4); "
             f"{rep['parks']} parks: {rep['sub_zones']} sub-zones, {rep['exits']} exit, "
             f"{rep['excluded']} excluded; {rep['zones_joined']} zone(s) joined a platform", ""]
    rows = []
    for r in result.counties.to_dict("records"):
        gap = "" if r["gap"] == 0 else f" gap {r['gap']:.2%}"
        rows.append((r["county"], r["n_parks"], r["r10_exits"], r["quota"], r["exits"],
                     r["sub_zones"], r["platforms"], ("yes" if r["meets_R3"] else "NO"),
                     f"{r['status']}{gap}"))
    lines += _table(("county", "parks", "R10 exits", "R11 quota", "exits", "sub-zones",
                     "platforms", "R3", "solver"), rows, right=range(1, 7))
    lines.append("")
    rows = []
    for p in result.platforms.to_dict("records"):
        rows.append((p["name"], p["county"], p["n_sub_zones"], f"{p['developable_mu']:,.0f}",
                     f"{p['industrial_va_100m']:,.1f}", _yes(p["meets_R4"]), _yes(p["meets_T2"]),
                     _yes(p["meets_T3"]), _yes(p["meets_T4"])))
    if rows:
        lines += _table(("platform", "county", "sub-zones", "developable mu", "VA 亿元", "R4",
                         "T2", "T3", "T4"), rows, right=(2, 3, 4))
    if result.problems:
        lines += ["", "Hard rules not met (the result is written; exit status 1):"]
        lines += [f"  - {p}" for p in result.problems]
    s = result.solver
    lines += ["", f"solver: {s.get('problems', 0)} county problem(s), {s.get('optimal', 0)} "
              f"proven optimal, worst gap {s.get('worst_gap', 0.0):.2%}"]
    return "\n".join(lines)
