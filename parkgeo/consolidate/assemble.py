"""The output layers of a consolidation, assembled from the solved county groups: zones and
parks with their decisions and reasons, platforms with their members (R14) and checks, and the
county report (R3, R11)."""

from __future__ import annotations

import logging

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from ..result import OUTPUT_LAYERS, ConsolidationResult
from .classify import per_mu
from .explain import LANGS, joined_reasons, r3_problem
from .reasons import _r4_note
from .summary import platform_checks, summarise_platforms

log = logging.getLogger("parkgeo.consolidate.integrate")


def _text(series):
    return series.astype(object).where(series.notna(), "").astype(str)


def _texts(series):
    """``_text(series).to_numpy()``: the column as a numpy array of str, a missing value as
    "". A column already of pandas' string dtype is taken as it is (converting it to objects
    and back to that dtype, as ``_text`` does, costs a few hundredths of a second per column
    of the nation's parks)."""
    if isinstance(series.dtype, pd.StringDtype):
        return series.to_numpy(dtype=object, na_value="")
    return _text(series).to_numpy()


def _num(frame, name):
    if name in frame:
        return pd.to_numeric(frame[name], errors="coerce").astype(float).fillna(0.0).to_numpy()
    return np.zeros(len(frame))


# ------------------------------------------------------------------------------------------
# assembling the output layers and the explanations
# ------------------------------------------------------------------------------------------


def _assemble(zones, parks, zone_area, park_area, zscore, choice, cls, M, C, built, scenario,
              layers, path, variant, limit, wide, functional):
    n_cand = len(C.kind)
    assigned = np.full(n_cand, -1, dtype=np.int64)  # global main index
    cand_dist = np.full(n_cand, np.nan)
    reasons = {lang: np.array([""] * n_cand, dtype=object) for lang in LANGS}
    county_rows = []
    platform_group = {}
    solver_totals = {"problems": 0, "optimal": 0, "time_limit": 0, "worst_gap": 0.0,
                     "seconds": 0.0, "floors_relaxed": 0}
    park_county = _texts(parks["county"])
    excluded_by_county = pd.Series(cls["status"].to_numpy() == "excluded").groupby(
        park_county).sum().to_dict()
    zone_ids_by_county = {}
    for zid, cty in zip(M.zone_id, M.county, strict=True):
        zone_ids_by_county.setdefault(cty, []).append(zid)

    for bi, b in enumerate(built):
        sol = b.solution
        for j in b.mj.tolist():
            platform_group[j] = bi
        if sol is not None:
            solver_totals["problems"] += 1
            solver_totals["optimal"] += int(sol.optimal)
            solver_totals["time_limit"] += int(sol.status == "time_limit")
            solver_totals["worst_gap"] = max(solver_totals["worst_gap"], float(sol.gap))
            solver_totals["seconds"] += sol.seconds
            solver_totals["floors_relaxed"] += int(sol.floors_relaxed)
    if built:
        # each candidate is in exactly one group: every group's rows placed at once
        ci_all = np.concatenate([b.ci for b in built])
        assigned[ci_all] = np.concatenate([b.assigned for b in built])
        cand_dist[ci_all] = np.concatenate([b.reach_km for b in built])
        for lang in LANGS:
            reasons[lang][ci_all] = np.concatenate([b.reasons[lang] for b in built])

    # per county, in one pass over every candidate (each county's candidates are all in its
    # group): parks counted for R11, R10 exits, exits, sub-zones, zones joined
    joined_all = assigned >= 0
    counted_all, forced_all = C.counted.astype(bool), C.forced.astype(bool)
    tally = pd.DataFrame({"county": C.county, "n_parks": counted_all, "r10_exits": forced_all,
                          "exits": counted_all & ~joined_all,
                          "sub_zones": joined_all & counted_all,
                          "zones_joined": joined_all & ~counted_all}).groupby(
        "county", sort=False).sum().to_dict("index")
    none = dict.fromkeys(("n_parks", "r10_exits", "exits", "sub_zones", "zones_joined"), 0)
    for b in built:
        sol = b.solution
        for gi, county in enumerate(b.group):
            t = tally.get(county, none)
            exits = int(t["exits"])
            plat_ids = zone_ids_by_county.get(county, [])
            rule = scenario.county(county)
            row = {
                "county": county,
                "n_parks": int(t["n_parks"]),
                "excluded": int(excluded_by_county.get(county, 0)),
                "r10_exits": int(t["r10_exits"]),
                "quota": int(b.quota[gi]),
                "exits": exits,
                "sub_zones": int(t["sub_zones"]),
                "zones_joined": int(t["zones_joined"]),
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
    is_park = C.kind == "park"
    ppos, zpos_c = C.pos[is_park], C.pos[~is_park]
    pid_of = np.where(assigned >= 0, M.zone_id[np.maximum(assigned, 0)] if len(M.zone_id)
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
    p_score[ppos] = C.score[is_park]
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
    z_platform = np.where(is_main, _texts(zones["zone_id"]), "").astype(object)
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
        if done is not None and _close(done[0], short_mu) and _close(done[1], short_va):
            (note, figures), (note_zh, _) = done[2], done[3]
        else:  # the platform table's shortfall differs from the solver's: explain its own
            assigned_ci = assigned[b.ci]
            mode = scenario.consolidate.developable
            note, figures = _r4_note(int(k), b, C, M, assigned_ci, short_mu, short_va, limit,
                                     wide, developable=mode)
            note_zh, _ = _r4_note(int(k), b, C, M, assigned_ci, short_mu, short_va, limit,
                                  wide, lang="zh", developable=mode)
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
    return ConsolidationResult(
        zones=zones_out, parks=parks_out, platforms=platforms, members=members,
        counties=counties, layers=passthrough, scenario=scenario, variant=variant,
        input_path=path, exit_status=1 if problems else 0, problems=tuple(problems),
        solver=solver_totals, r4_notes=r4_notes, problems_zh=tuple(problems_zh))


def _close(a, b):
    """``np.isclose(a, b)`` for two floats (its default tolerances), without numpy's per-call
    cost: ``|a - b| <= 1e-8 + 1e-5 |b|``, equal infinities close, NaN never."""
    return a == b or abs(a - b) <= 1e-08 + 1e-05 * abs(b)


def _level_columns(sol, b, gi):
    """The objective's levels for the county report (docs/consolidation.md)."""
    if sol is None:
        return {"r4_met": 0, "r4_shortfall": 0.0, "kept": 0, "kept_score": 0.0,
                "affinity": 0.0, "deciding_level": ""}
    lv = sol.levels
    return {"r4_met": int(lv["r4_met"]), "r4_shortfall": float(lv["r4_shortfall"]),
            "kept": int(lv["kept"]), "kept_score": float(lv["kept_score"]),
            "affinity": float(lv["affinity"]), "deciding_level": sol.deciding}



def _joined_by(owner, values, n, join):
    """``join(values of owner k)`` for k in 0..n-1, in their order (``""`` for none)."""
    owner = np.asarray(owner, dtype=np.int64)
    order = np.argsort(owner, kind="stable")
    bounds = np.searchsorted(owner[order], np.arange(n + 1)).tolist()
    values = np.asarray(values, dtype=object)[order].tolist()
    return [join(values[a:b]) if b > a else "" for a, b in zip(bounds[:-1], bounds[1:],
                                                                strict=True)]


_MEMBER_FIELDS = ("developable_mu", "industrial_va_100m", "industrial_output_100m", "tax_100m",
                  "listed_firms", "firms_over_10bn", "high_tech_va_share", "rd_share")


def _member_table(frame, rows, area, land, platform, role, layer):
    """Member rows of one layer: ids, territory (R14), indicators, per-mu denominators."""
    id_col = "zone_id" if layer == "zones" else "park_id"
    # only the members' rows of each text column are converted (a few thousand of the nation's
    # 57,000 parks)
    out = {
        "platform": platform,
        "member_id": _texts(frame[id_col].iloc[rows]),
        "member_layer": np.full(len(rows), layer, dtype=object),
        "role": role,
        "name": _texts(frame["name"].iloc[rows]),
        "county": _texts(frame["county"].iloc[rows]),
        "town": (_texts(frame["town"].iloc[rows]) if "town" in frame
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
    n_m = len(M.zone_id)
    joined = np.flatnonzero(assigned >= 0)
    j_plat = assigned[joined]
    j_park = C.kind[joined] == "park"
    sub_parks, sub_parks_plat = C.pos[joined][j_park], j_plat[j_park]
    sub_zones, sub_zones_plat = C.pos[joined][~j_park], j_plat[~j_park]
    members = pd.concat([
        _member_table(zones, M.zpos, zone_area, z_land, np.arange(n_m), "main_zone", "zones"),
        _member_table(zones, sub_zones, zone_area, z_land, sub_zones_plat, "sub_zone", "zones"),
        _member_table(parks, sub_parks, park_area, p_land, sub_parks_plat, "sub_zone", "parks"),
    ], ignore_index=True).sort_values(["platform", "role"], kind="stable", ignore_index=True)
    summary = summarise_platforms(members, "platform").reindex(np.arange(n_m))
    n_sub = np.bincount(j_plat, minlength=n_m)
    # per platform, in one pass over the rows sorted by platform (a pandas groupby with a
    # Python join per group costs ~0.1 ms a platform)
    sub_ids = pd.Series(_joined_by(j_plat, C.id[joined], n_m, ";".join))
    member_counties = pd.Series(_joined_by(members["platform"].to_numpy(),
                                           members["county"].to_numpy(), n_m,
                                           lambda x: ";".join(sorted(set(x)))))
    r3 = {r["county"]: (r["platforms"], r["max_platforms"]) for r in county_rows}
    frame = pd.DataFrame({
        "platform_id": M.zone_id,
        "name": M.name,
        "county": M.county,
        "main_zone_id": M.zone_id,
        "level": _texts(zones["level"])[M.zpos] if n_m else [],
        "n_sub_zones": n_sub.astype(np.int64),
        "sub_zone_ids": sub_ids.to_numpy(),
        "member_counties": member_counties.to_numpy(),
    })
    for col in summary.columns:
        frame[col] = summary[col].to_numpy()
    frame["area_cap_mu"] = np.where(np.isfinite(M.cap_mu), M.cap_mu, np.nan) if n_m \
        else []
    frame["meets_R3"] = [bool(r3.get(cty, (1, 2))[0] <= r3.get(cty, (1, 2))[1])
                         for cty in M.county]
    checks = platform_checks(frame, scenario)
    for col in checks.columns:
        frame[col] = checks[col].to_numpy() if col == "meets_R4" else checks[col].array

    # geometry: the main zone and its sub-zones as the parts of one MultiPolygon (for
    # display; the statutory extent stays the zone's own)
    park_geoms = parks.geometry
    if parks.crs is not None and zones.crs is not None and not parks.crs.equals(zones.crs):
        park_geoms = park_geoms.to_crs(zones.crs)
    geoms = np.concatenate([np.asarray(zones.geometry.values, dtype=object)[M.zpos],
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
    members["platform_id"] = M.zone_id[members["platform"].to_numpy()] if n_m else ""
    members = members.drop(columns=["platform", "land_mu", "area_mu", "listed_firms",
                                    "firms_over_10bn", "high_tech_va_share", "rd_share"])
    members = members[["platform_id", *[c for c in members.columns if c != "platform_id"]]]
    return platforms, members
