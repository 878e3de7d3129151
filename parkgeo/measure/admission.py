"""Project admission (R12, R16, R17): admit, review or reject each proposed project, with reasons.

The checks, each naming its rule:

1. **Location** (R12, R16). A project outside every major platform (main zone + sub-zones) is
   rejected: no new industrial land outside the platforms. A project in an exit-type park is
   rejected: firms in exit parks get no support. Tested point-in-polygon (a polygon project by
   its largest overlap) in the CGCS2000 Gauss-Kruger zone of the project's longitude.
2. **Industry** (R17). A *new* project in one of the six high-energy-consuming industries
   (C25, C26, C30, C31, C32, D44) is rejected; a capacity *expansion* in a limited traditional
   industry goes to review. An unknown GB/T 4754 code sends the project to review.
3. **Standard land** (标准地, R17): investment intensity, tax per mu and output per mu at least,
   energy per 万元 of output at most the platform's thresholds (``scenario.admission``, with
   per-platform overrides). A figure short by more than ``review_margin`` (default 20%) is
   rejected; a smaller shortfall, or a figure that cannot be computed, goes to review.
   Expansions that take no new land (``land_mu`` empty or 0) skip the per-mu checks.

The standard-land defaults are parkgeo's defaults in the style of Zhejiang's county standard-land
control indicators (tax and output per mu equal the plan's T3 targets for main platforms;
investment intensity 300 万元/亩 and energy 0.05 tce per 万元 of output are parkgeo's
choices — set your county's published values in the scenario).

The decision is the strictest of the checks: ``reject`` over ``review`` over ``admit``.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd

from ..errors import CRSError, SchemaError
from .common import (
    DataProblem,
    code_problem,
    division_of,
    pick,
    problems_frame,
    result_of,
    split_codes,
)

__all__ = ["admit_projects", "Admission", "read_projects", "DECISIONS", "ADMISSION_COLUMNS"]

DECISIONS = ("admit", "review", "reject")
_SEVERITY = {"admit": 0, "review": 1, "reject": 2}

ADMISSION_COLUMNS = [
    "project_id", "name", "decision", "rules", "reasons", "project_type", "status",
    "industries", "investment_10k_yuan", "land_mu", "platform_id", "platform_name", "park_id",
    "location", "investment_per_mu_10k", "tax_per_mu_10k", "output_per_mu_10k",
    "energy_tce_per_10k_output",
]


@dataclass(frozen=True)
class Admission:
    """Admission decisions.

    Attributes
    ----------
    table : GeoDataFrame
        One row per project (:data:`ADMISSION_COLUMNS` and the project's geometry):
        ``location`` is ``platform``, ``exit park``, ``outside`` or ``unknown``; ``rules``
        the rule ids behind the decision (``;``-separated); ``reasons`` the plain reasons
        with the numbers.
    problems : DataFrame
        Problem lines for the ``projects`` layer (no geometry, unknown industry code, …).
    """

    table: gpd.GeoDataFrame = field(compare=False)
    problems: pd.DataFrame = field(compare=False)

    def counts(self):
        """``{decision: number of projects}``."""
        vc = self.table["decision"].value_counts()
        return {d: int(vc.get(d, 0)) for d in DECISIONS}


def read_projects(path, *, scenario=None):
    """Read a projects file: a GeoPackage with a ``projects`` layer, or any one-layer vector file.

    Fields are normalised to the data contract (aliases, Chinese names, the scenario's
    ``[fields.projects]``); values that cannot be understood are left empty and returned as
    problem lines.

    Returns
    -------
    (GeoDataFrame, list of DataProblem)
    """
    import pyogrio

    from ..errors import DatasetNotFoundError, NotADatasetError
    from ..read.fields import normalise_layer

    path = Path(path)
    if not path.exists():
        raise DatasetNotFoundError("projects file does not exist", path=path)
    try:
        names = [n for n, _ in pyogrio.list_layers(path)]
    except Exception as exc:  # pyogrio raises its own DataSourceError types
        raise NotADatasetError(f"not a vector file GDAL can read ({exc})", path=path) from None
    layer = "projects" if "projects" in names else (names[0] if len(names) == 1 else None)
    if layer is None:
        raise SchemaError(f"no 'projects' layer (layers: {', '.join(names)})", path=path)
    frame = gpd.read_file(path, layer=layer, engine="pyogrio")
    if not isinstance(frame, gpd.GeoDataFrame):
        raise SchemaError("the projects layer has no geometry (points or polygons expected)",
                          path=path, layer=layer)
    if frame.crs is None and frame.geometry.notna().any():
        raise CRSError("the layer has no CRS; declare it (e.g. save it as EPSG:4490)",
                       path=path, layer=layer)
    mapping = scenario.field_map("projects") if scenario is not None else {}
    frame, probs, _ = normalise_layer(frame, "projects", mapping=mapping, path=path)
    blocking = [p for p in probs if p.rule == "missing_field"]
    if blocking:
        p = blocking[0]
        raise SchemaError(p.message, path=path, layer=layer, field=p.field)
    out = []
    ids = frame["project_id"].astype(str).tolist() if "project_id" in frame else []
    for p in probs:
        row = ids.index(str(p.id)) + 1 if p.id is not None and str(p.id) in ids else None
        out.append(DataProblem("projects", row, p.id, p.field, p.rule, p.message,
                               "value treated as missing"))
    return frame, out


def _platform_areas(res):
    """Polygons of every platform (main zone + sub-zones) and of exit and excluded parks."""
    platforms = res.layer("platforms")
    zones, parks = res.layer("zones"), res.layer("parks")
    if platforms is None or zones is None or parks is None:
        raise SchemaError("admission needs the result of 'parkgeo integrate' (layers platforms, "
                          "zones and parks)", path=res.path)
    names = dict(zip(platforms["platform_id"].astype(str),
                     platforms.get("name", platforms["platform_id"]).astype(str), strict=False))
    main = dict(zip(platforms["main_zone_id"].astype(str), platforms["platform_id"].astype(str),
                    strict=True))
    z = zones[zones["zone_id"].astype(str).isin(main)]
    parts = [gpd.GeoDataFrame({"kind": "platform",
                               "platform_id": z["zone_id"].astype(str).map(main).to_numpy(),
                               "park_id": "", "area_name": z["name"].astype(str).to_numpy()},
                              geometry=z.geometry.to_numpy(), crs=zones.crs)]
    kinds = {"sub_zone": "platform", "exit": "exit park", "excluded": "outside"}
    p = parks[parks["decision"].isin(list(kinds))]
    parts.append(gpd.GeoDataFrame(
        {"kind": p["decision"].map(kinds).to_numpy(),
         "platform_id": np.where(p["decision"] == "sub_zone",
                                 p["platform_id"].astype(str), ""),
         "park_id": p["park_id"].astype(str).to_numpy(),
         "area_name": p["name"].astype(str).to_numpy()},
        geometry=p.geometry.to_numpy(), crs=parks.crs).to_crs(zones.crs))
    areas = pd.concat(parts, ignore_index=True)
    areas = areas[areas.geometry.notna() & ~areas.geometry.is_empty]
    return gpd.GeoDataFrame(areas, geometry="geometry", crs=zones.crs), names


def _locate(projects, areas):
    """``{projects index: (kind, platform_id, park_id, area_name, inside_share)}``.

    Each project is measured in the Gauss-Kruger zone of its own longitude; a point is inside
    an area it intersects (on the boundary counts as inside), a polygon belongs to the area it
    overlaps most.
    """
    from ..read.crs import gk_epsg_for_lon, lonlat_of

    ok = projects.geometry.notna() & ~projects.geometry.is_empty
    located = projects[ok]
    out = {}
    if located.empty:
        return out
    lon, _ = lonlat_of(located.geometry.values, located.crs)
    epsg = pd.Series([gk_epsg_for_lon(x) for x in lon], index=located.index)
    for code, idx in epsg.groupby(epsg).groups.items():
        pr = located.loc[idx].to_crs(code)
        ar = areas.to_crs(code)
        tree_hits = gpd.sjoin(pr[["geometry"]], ar, how="inner", predicate="intersects")
        for i, g in tree_hits.groupby(level=0):
            geom = pr.geometry.loc[i]
            if geom.geom_type in ("Point", "MultiPoint"):
                best = g.sort_values("kind", key=lambda k: k.map(
                    {"exit park": 0, "platform": 1, "outside": 2}), kind="stable").iloc[0]
                share = 1.0
            else:
                inter = ar.geometry.loc[g["index_right"]].intersection(geom).area.to_numpy()
                j = int(np.argmax(inter))
                best = g.iloc[j]
                share = float(inter[j] / geom.area) if geom.area > 0 else 1.0
            out[i] = (best["kind"], best["platform_id"], best["park_id"], best["area_name"],
                      share)
    return out


def _fmt(x):
    return f"{x:,.3g}" if abs(x) < 1 else f"{x:,.1f}".rstrip("0").rstrip(".")


def admit_projects(result, projects=None, *, scenario=None, lang="en"):
    """Decide admit / review / reject for each project (R12, R16, R17).

    Parameters
    ----------
    result : ConsolidationResult, str, Path, Dataset or dict
        The consolidation result (``platforms``, ``zones``, ``parks`` with ``decision``).
    projects : str, Path or GeoDataFrame, optional
        The projects (points or polygons with the fields of the ``projects`` layer). Default:
        the result's own ``projects`` layer.
    scenario : Scenario, optional
        ``scenario.admission``: industries and standard-land thresholds (per platform).
    lang : {"en", "zh"}
        Language of the ``reasons``.

    Returns
    -------
    Admission

    Examples
    --------
    >>> adm = admit_projects("out/result.gpkg", "new_projects.gpkg")   # doctest: +SKIP
    >>> adm.counts()                                                    # doctest: +SKIP
    {'admit': 12, 'review': 5, 'reject': 3}
    """
    res = result_of(result, scenario=scenario)
    scenario = scenario or res.scenario
    a = scenario.admission
    problems = []
    if projects is None:
        frame = res.layer("projects")
        if frame is None:
            raise SchemaError("no projects given and the result has no 'projects' layer",
                              path=res.path, layer="projects")
        problems += [p for p in res.read_problems if p.layer == "projects"]
    elif isinstance(projects, str | Path):
        frame, probs = read_projects(projects, scenario=scenario)
        problems += probs
    else:
        frame = projects
    if not isinstance(frame, gpd.GeoDataFrame):
        raise SchemaError("projects need a geometry (points or polygons)", layer="projects")
    for f in ("project_id", "industries", "investment_10k_yuan"):
        if f not in frame:
            raise SchemaError(f"required field '{f}' is missing", layer="projects", field=f)
    if frame.crs is None and frame.geometry.notna().any():
        raise CRSError("the projects layer has no CRS", layer="projects")
    frame = frame.reset_index(drop=True)
    areas, names = _platform_areas(res)
    where = _locate(frame, areas) if len(frame) else {}
    rows = []
    for pos, rec in frame.iterrows():
        row = pos + 1
        pid = str(rec["project_id"])
        checks = []  # (decision, rules, reason)

        def add(decision, rules, reason, checks=checks):
            checks.append((decision, rules, reason))

        # 1. location ----------------------------------------------------------------------
        geom = rec.geometry
        platform_id, park_id, location = "", "", "unknown"
        if geom is None or geom.is_empty:
            problems.append(DataProblem("projects", row, pid, "geometry", "no_geometry",
                                        "the project has no location", "sent to review"))
            add("review", ("R12", "R16"), pick(
                lang, "no location: whether it lies in a major platform cannot be checked",
                "无位置:无法判断是否位于重大平台内"))
        else:
            kind, plat, park, area_name, share = where.get(pos, ("outside", "", "", "", 1.0))
            location = kind
            if kind == "exit park":
                park_id = park
                add("reject", ("R16",), pick(
                    lang, f"in exit-type park {park} {area_name}: firms in exit parks get no "
                    "support and no new land",
                    f"位于退出型园区 {park} {area_name}:退出型园区企业不再享受扶持政策"))
            elif kind == "outside":
                park_id = park
                what = pick(lang, f" (in {park} {area_name}, not part of any platform)",
                            f"(位于 {park} {area_name},未纳入重大平台)") if park else ""
                add("reject", ("R12", "R16"), pick(
                    lang, f"outside every major platform{what}: no new industrial land "
                    "outside the platforms",
                    f"位于重大平台外{what}:重大平台以外不再配置产业用地增量指标"))
            else:
                platform_id, park_id = plat, park
                if share < 0.99:
                    add("review", ("R12", "R16"), pick(
                        lang, f"only {share:.0%} of the project's land lies in platform {plat}",
                        f"项目用地仅 {share:.0%} 位于平台 {plat} 内"))
        # 2. industry ----------------------------------------------------------------------
        codes = split_codes(rec.get("industries"))
        ptype = rec.get("project_type")
        ptype = ptype if isinstance(ptype, str) and ptype else None
        if not codes:
            problems.append(DataProblem("projects", row, pid, "industries", "missing_value",
                                        "no industry code", "sent to review"))
            add("review", ("R17",), pick(lang, "no industry code: the industry rules cannot "
                                            "be checked", "无产业代码:无法检查产业准入"))
        for code in codes:
            why = code_problem(code)
            if why is None and division_of(code) is None:
                why = f"'{code}' names only a section; a division (e.g. {code}38) is needed"
            if why:
                problems.append(DataProblem("projects", row, pid, "industries", "unknown_code",
                                            why, "sent to review"))
                add("review", ("R17",), pick(lang, "unknown industry code: ",
                                             "产业代码无法识别:") + why)
        high = [c for c in codes if _in(c, a.high_energy_industries)]
        trad = [c for c in codes if _in(c, a.traditional_industries)]
        if high and ptype == "new":
            add("reject", ("R17",), pick(
                lang, f"new project in a high-energy-consuming industry ({', '.join(high)}): "
                "banned", f"新上高耗能产业项目({', '.join(high)}):严禁"))
        if trad and ptype == "expansion":
            add("review", ("R17",), pick(
                lang, f"capacity expansion in a limited traditional industry ({', '.join(trad)})",
                f"传统行业产能扩张({', '.join(trad)}):严格限制"))
        if (high or trad) and ptype is None:
            limited = ", ".join(dict.fromkeys(high + trad))
            add("review", ("R17",), pick(
                lang, f"industry {limited} is limited but the project type (new/expansion) "
                "is not given", f"产业 {limited} 受限,但未注明项目类型(新建/扩建)"))
        # 3. standard land -----------------------------------------------------------------
        thr = scenario.thresholds(platform_id) if platform_id else scenario.thresholds(None)
        land = _f(rec.get("land_mu"))
        inv, tax, out_, energy = (_f(rec.get(k)) for k in (
            "investment_10k_yuan", "expected_tax_10k_yuan", "expected_output_10k_yuan",
            "energy_tce"))
        per_mu = {}
        no_land = not land > 0
        if no_land and ptype == "expansion":
            pass  # no new land: the per-mu standard-land figures do not apply
        else:
            for key, value, label, limit in (
                    ("investment_per_mu_10k", inv, pick(lang, "investment intensity", "投资强度"),
                     thr["min_investment_10k_per_mu"]),
                    ("tax_per_mu_10k", tax, pick(lang, "tax per mu", "亩均税收"),
                     thr["min_tax_10k_per_mu"]),
                    ("output_per_mu_10k", out_, pick(lang, "output per mu", "亩均产出"),
                     thr["min_output_10k_per_mu"])):
                if no_land or math.isnan(value):
                    missing = "land_mu" if no_land else {
                        "investment_per_mu_10k": "investment_10k_yuan",
                        "tax_per_mu_10k": "expected_tax_10k_yuan",
                        "output_per_mu_10k": "expected_output_10k_yuan"}[key]
                    zero = no_land and not math.isnan(land)
                    add("review", ("R17",), pick(
                        lang, f"{label} cannot be computed ({missing} is "
                        f"{'0' if zero else 'empty'})",
                        f"{label}无法计算({missing} {'为0' if zero else '为空'})"))
                    continue
                x = value / land
                per_mu[key] = x
                if x < limit:
                    short = 1 - x / limit
                    verdict = "reject" if short > a.review_margin else "review"
                    add(verdict, ("R17",), pick(
                        lang, f"{label} {_fmt(x)} 10k yuan/mu < {_fmt(limit)} ({short:.0%} short)",
                        f"{label} {_fmt(x)} 万元/亩 < {_fmt(limit)} (差 {short:.0%})"))
        if math.isnan(energy) or math.isnan(out_) or not out_ > 0:
            what = "energy_tce" if math.isnan(energy) else "expected_output_10k_yuan"
            add("review", ("R17",), pick(
                lang, f"energy per unit of output cannot be computed ({what} is empty or 0)",
                f"单位产出能耗无法计算({what} 为空或为0)"))
        else:
            e = energy / out_
            per_mu["energy_tce_per_10k_output"] = e
            limit = thr["max_energy_tce_per_10k_output"]
            if e > limit:
                over = e / limit - 1
                verdict = "reject" if over > a.review_margin else "review"
                add(verdict, ("R17",), pick(
                    lang, f"energy {_fmt(e)} tce per 10k yuan of output > {_fmt(limit)} "
                    f"({over:.0%} over)",
                    f"单位产出能耗 {_fmt(e)} 吨标煤/万元 > {_fmt(limit)}(超 {over:.0%})"))
        decision = max((c[0] for c in checks), key=_SEVERITY.get, default="admit")
        decisive = [c for c in checks if c[0] == decision] if decision != "admit" else []
        rules = sorted({r for c in decisive for r in c[1]}, key=lambda r: int(r[1:]))
        rows.append({
            "project_id": pid, "name": rec.get("name"), "project_type": ptype,
            "status": rec.get("status"), "industries": ";".join(codes),
            "investment_10k_yuan": inv, "land_mu": land, "platform_id": platform_id,
            "platform_name": names.get(platform_id, ""), "park_id": park_id,
            "location": location,
            **{k: per_mu.get(k, math.nan) for k in (
                "investment_per_mu_10k", "tax_per_mu_10k", "output_per_mu_10k",
                "energy_tce_per_10k_output")},
            "decision": decision, "rules": ";".join(rules),
            "reasons": "; ".join(f"{c[2]} ({', '.join(c[1])}, {_verdict(c[0], lang)})"
                                 for c in checks)
            or pick(lang, "meets every check", "符合全部准入条件"),
        })
    table = gpd.GeoDataFrame(pd.DataFrame(rows, columns=ADMISSION_COLUMNS),
                             geometry=frame.geometry.to_numpy(), crs=frame.crs)
    return Admission(table=table, problems=problems_frame(problems))


def _verdict(decision, lang):
    return pick(lang, decision, {"admit": "准入", "review": "复核", "reject": "不予准入"}[decision])


def _in(code, industries):
    """Whether ``code`` falls in one of ``industries`` (a listed code is a prefix of it)."""
    return any(code.startswith(i.upper()) for i in industries)


def _f(value):
    try:
        x = float(value)
    except (TypeError, ValueError):
        return math.nan
    return x if math.isfinite(x) else math.nan
