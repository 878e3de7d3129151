"""Developable space (可开发空间, R4) measured from the land-use survey, not taken as declared.

Each zone's and park's polygon is overlaid with the ``landuse`` survey (三调 地类图斑): the land of
the classes the scenario counts as developable (``[space] developable_classes``, DLBM prefixes),
less the land of the excluded layers (``[space] excluded_layers``: basic farmland, ecological
red lines) and, with ``[space] within_boundary``, only inside the ``development_boundary``
layer (城镇开发边界). Every area is measured in the feature's county Gauss-Kruger CRS, as
everywhere in parkgeo.

This module lives in the validate stage because validation (``developable_overstated``, the
survey's overlaps and gaps) and consolidation (``[consolidate] developable``) both need it, and
both may import the validate stage; ``parkgeo space`` writes its table.

How it stays fast and flat in memory (see :mod:`parkgeo.read.landuse`): the survey is read one
tile at a time, only under the zones and parks, only its code column. Within a tile,
a survey polygon wholly inside a zone or park is taken as it is; one that crosses the feature's
edge or the tile's edge is cut (GEOS intersection), so land on a tile edge is counted once.
A survey without a spatial index is read once in ranges of features instead (nothing is cut at
range edges; overlaps are then found among the polygons of one range). What is kept between
tiles is small: per feature and class the summed areas, and per feature and tile the union of
its pieces (for the uncovered share and the developable land's outline). Each tile is measured
on its own, so the tiles can as well run on a dask.distributed cluster (``engine="dask"``).
"""

from __future__ import annotations

import contextlib
import re
from dataclasses import dataclass, field

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from pyproj import CRS

from ..errors import InputError
from ..i18n import tr_or
from ..read.landuse import (
    SURVEY_CODE,
    class_name,
    plan_tiles,
    read_tiles,
    survey_names,
    tile_box,
)
from ..units import m2_to_mu, mu_to_ha
from ._context import fmt_mu, fmt_mu_zh, fmt_share, overlay, polygonal_parts, prepare_layer, project

__all__ = ["SpaceResult", "measure_space", "check_space", "developable_mask"]

#: the layers whose features are measured
TARGET_LAYERS = ("zones", "parks")


@dataclass
class SpaceResult:
    """The measured developable space of every zone and park.

    Attributes
    ----------
    table : DataFrame
        One row per zone and park: ``layer``, ``id``, ``name``, ``county``, ``epsg`` (the
        measuring CRS), ``area_mu`` (the feature), ``surveyed_mu`` (covered by the survey),
        ``uncovered_mu``, ``uncovered_share``, ``overlap_mu`` (survey polygons overlapping
        each other inside it), ``class_mu`` (developable classes before exclusions),
        ``excluded_mu`` (developable classes taken out by excluded layers or the boundary),
        ``developable_mu``, ``developable_ha``, ``declared_mu``, ``difference_mu``
        (declared − measured) and ``difference_share`` (÷ measured).
    classes : DataFrame
        One row per feature and survey code: ``layer``, ``id``, ``dlbm``, ``dlmc``, ``area_mu``,
        ``developable_mu`` (0 for classes that do not count).
    geometry : dict
        ``{(layer, id): (developable land, gaps, EPSG code)}`` in the measuring CRS, when asked
        for (``keep_geometry``).
    bad_codes : dict
        ``{code: (count, [fid, …])}`` of survey codes that are not GB/T 21010 codes, among the
        polygons under the features.
    invalid : list of int
        Feature ids (fids) of invalid survey polygons under the features (measured repaired).
    overlaps : dict
        ``{(layer, id): [(fid, fid), …]}`` survey polygons overlapping each other in a feature.
    settings : dict
        The ``[space]`` settings used.
    tiles : int
        Tiles read.
    features_read : int
        Survey polygons read (a polygon on several tiles counts once per tile).
    notes : list of str
    """

    table: pd.DataFrame
    classes: pd.DataFrame
    geometry: dict = field(default_factory=dict)
    bad_codes: dict = field(default_factory=dict)
    invalid: list = field(default_factory=list)
    overlaps: dict = field(default_factory=dict)
    settings: dict = field(default_factory=dict)
    tiles: int = 0
    features_read: int = 0
    notes: list = field(default_factory=list)
    notes_zh: list = field(default_factory=list)


def developable_mask(codes, prefixes):
    """True where a survey code starts with one of ``prefixes`` (vectorised over distinct codes).

    >>> developable_mask(np.array(["0101", "0601", "1201K", None], dtype=object), ("01", "12"))
    array([ True, False,  True, False])
    """
    codes = np.asarray(codes, dtype=object)
    out = np.zeros(len(codes), dtype=bool)
    if not len(codes):
        return out
    pattern = re.compile("^(" + "|".join(re.escape(p) for p in prefixes) + ")") if prefixes \
        else None
    uniq, inv = np.unique(np.where(pd.isna(codes), "", codes).astype(str), return_inverse=True)
    hit = np.array([bool(pattern and u and pattern.match(u)) for u in uniq], dtype=bool)
    return hit[inv]


def _scenario(scenario):
    from ..scenario import Scenario

    return scenario if scenario is not None else Scenario()


def _masks(dataset, targets, survey_crs, settings):
    """Per target, the part of it where developable land counts (survey CRS), or None = all."""
    n = len(targets)
    allowed = np.full(n, None, dtype=object)
    cut = []
    for name in settings.excluded_layers:
        frame = dataset.get(name)
        if isinstance(frame, gpd.GeoDataFrame) and len(frame) and frame.crs is not None:
            geoms = polygonal_parts(np.asarray(frame.geometry.values, dtype=object))
            geoms = geoms[pd.notna(geoms)]
            fix = ~shapely.is_valid(geoms)
            if fix.any():
                geoms[fix] = polygonal_parts(shapely.make_valid(geoms[fix]))
                geoms = geoms[pd.notna(geoms)]
            cut.append(project(geoms, frame.crs, survey_crs))
    keep = None
    if settings.within_boundary:
        frame = dataset.get("development_boundary")
        if not isinstance(frame, gpd.GeoDataFrame) or not len(frame) or frame.crs is None:
            raise InputError("[space] within_boundary = true needs a 'development_boundary' "
                             "layer (城镇开发边界, polygons with a CRS); add it to the dataset "
                             "or set within_boundary = false", path=dataset.path,
                             layer="development_boundary")
        geoms = polygonal_parts(np.asarray(frame.geometry.values, dtype=object))
        geoms = geoms[pd.notna(geoms)]
        fix = ~shapely.is_valid(geoms)
        if fix.any():
            geoms[fix] = polygonal_parts(shapely.make_valid(geoms[fix]))
            geoms = geoms[pd.notna(geoms)]
        keep = project(geoms, frame.crs, survey_crs)
    cut = np.concatenate(cut) if cut else np.empty(0, dtype=object)
    cut_tree = shapely.STRtree(cut) if len(cut) else None
    keep_tree = shapely.STRtree(keep) if keep is not None and len(keep) else None
    for i, g in enumerate(targets):
        if g is None:
            continue
        a = g
        changed = False
        if keep is not None:
            hits = keep_tree.query(g, predicate="intersects") if keep_tree is not None else []
            a = shapely.intersection(a, shapely.union_all(keep[hits])) if len(hits) else \
                shapely.Polygon()
            changed = True
        if cut_tree is not None:
            hits = cut_tree.query(g, predicate="intersects")
            if len(hits):
                a = shapely.difference(a, shapely.union_all(cut[hits]))
                changed = True
        if changed:
            allowed[i] = a
    return allowed


def measure_space(dataset, scenario=None, *, batch=50_000, keep_geometry=False,
                  overlap_min_mu=0.01, engine="local", scheduler=None):
    """Measure every zone's and park's developable space from the dataset's ``landuse`` survey.

    Parameters
    ----------
    dataset : Dataset
        Read with :func:`parkgeo.read.read_dataset`; its ``landuse`` is the survey's source.
    scenario : Scenario, optional
        Supplies ``[space]`` (the defaults when None).
    batch : int
        About this many survey polygons are read at a time (the memory bound).
    keep_geometry : bool
        Keep each feature's developable land and its gaps in the survey (``SpaceResult.geometry``).
    overlap_min_mu : float
        Survey overlaps smaller than this inside one feature are not listed pair by pair.
    engine : {"local", "dask"}
        Measure the tiles in this process, or on a dask.distributed cluster (the ``dask``
        extra): a local one of 2 worker processes, or the scheduler at ``scheduler``. The
        workers read the survey themselves, so its path must be the same for them. The
        figures are identical either way.
    scheduler : str, optional
        The address of a dask scheduler (``tcp://host:8786``) for ``engine="dask"``.

    Returns
    -------
    SpaceResult

    Raises
    ------
    InputError
        The dataset has no ``landuse`` layer, it cannot be measured (no ``dlbm``, no CRS), or
        ``within_boundary`` is set without a ``development_boundary`` layer.

    Examples
    --------
    >>> from parkgeo.read import read_dataset
    >>> ds = read_dataset("sample_with_landuse.gpkg")                     # doctest: +SKIP
    >>> res = measure_space(ds)                                           # doctest: +SKIP
    >>> res.table[["id", "developable_mu", "declared_mu", "difference_mu"]]   # doctest: +SKIP
    """
    s = _scenario(scenario)
    settings = s.space
    src = dataset.landuse
    if src is None:
        raise InputError("the dataset has no 'landuse' layer (the land-use survey, 地类图斑); "
                         "add it to measure developable space (docs/data-contract.md)",
                         path=dataset.path, layer="landuse")
    blocking = [p for p in dataset.problems if p.layer == "landuse" and p.severity == "error"]
    if blocking or src.crs is None or src.code_field is None:
        p = blocking[0] if blocking else None
        raise InputError(p.message if p else "the land-use layer cannot be measured",
                         path=src.path, layer="landuse", field=p.field if p else None)
    survey_crs = CRS.from_user_input(src.crs)
    crs_by_county = dataset.crs_by_county
    lgs = []
    for key in TARGET_LAYERS:
        frame = dataset.get(key)
        if not isinstance(frame, gpd.GeoDataFrame):
            continue
        bad = {p.layer for p in dataset.problems if p.rule in ("missing_crs", "wrong_crs")}
        lgs.append(prepare_layer(frame, key, common_crs=survey_crs, crs_by_county=crs_by_county,
                                 usable_crs=frame.crs is not None and key not in bad))
    layer_of = np.concatenate([[lg.name] * len(lg) for lg in lgs]) if lgs else np.empty(0)
    ids = np.concatenate([lg.ids for lg in lgs]) if lgs else np.empty(0, dtype=object)
    target_src = np.concatenate([lg.src for lg in lgs]) if lgs else np.empty(0, dtype=object)
    target_local = np.concatenate([lg.local for lg in lgs]) if lgs else np.empty(0, dtype=object)
    epsg = np.concatenate([lg.epsg for lg in lgs]) if lgs else np.empty(0, dtype=int)
    area_mu = np.concatenate([lg.area_mu for lg in lgs]) if lgs else np.empty(0)
    n = len(ids)
    usable = np.array([g is not None for g in target_src], dtype=bool)
    allowed = _masks(dataset, np.where(usable, target_src, None), survey_crs, settings)
    rows = np.flatnonzero(usable)
    boxes = shapely.bounds(target_src[rows]) if len(rows) else np.empty((0, 4))
    tiles = plan_tiles(src, boxes, batch=batch)
    ctx = _TileContext(
        src=src, survey_crs=survey_crs.to_wkt(), rows=rows, target_src=target_src,
        allowed=allowed, epsg=epsg, prefixes=tuple(settings.developable_classes),
        keep_geometry=keep_geometry, overlap_min_mu=overlap_min_mu,
        keys=[(str(a), str(b)) for a, b in zip(layer_of, ids, strict=True)],
        same_crs={int(c): CRS.from_epsg(int(c)).equals(survey_crs) for c in np.unique(epsg)
                  if c})
    sums = []  # per tile: DataFrame(t, dlbm, area_mu, class_mu, developable_mu)
    covered = np.zeros(n)
    overlap = np.zeros(n)
    unions = {}  # t -> [union of its pieces per tile] (local CRS)
    dev_unions = {}
    bad_codes, invalid, overlaps = {}, [], {}
    features_read = 0
    # every tile is measured on its own (here, or on a dask cluster) and the parts are added up
    # in tile order, so both ways give the same figures to the last digit
    for part in _parts(ctx, tiles, engine=engine, scheduler=scheduler):
        features_read += part["read"]
        if part["sums"] is not None:
            sums.append(part["sums"])
        for t, v in part["covered"].items():
            covered[t] += v
        for t, v in part["overlap"].items():
            overlap[t] += v
        for key, pairs in part["overlaps"].items():
            overlaps.setdefault(key, []).extend(pairs)
        for code, (count, fids) in part["bad_codes"].items():
            entry = bad_codes.setdefault(code, [0, []])
            entry[0] += count
            entry[1].extend(fids[:5 - len(entry[1])])
        invalid.extend(part["invalid"])
        for t, u in part["unions"].items():
            unions.setdefault(t, []).append(u)
        for t, u in part["dev_unions"].items():
            dev_unions.setdefault(t, []).append(u)
    classes = (pd.concat(sums, ignore_index=True) if sums else
               pd.DataFrame({"t": pd.Series(dtype=int), "dlbm": pd.Series(dtype=object),
                             "area_mu": pd.Series(dtype=float),
                             "class_mu": pd.Series(dtype=float),
                             "developable_mu": pd.Series(dtype=float)}))
    classes = classes.groupby(["t", "dlbm"], sort=True).sum().reset_index()
    # polygons that only touch a feature's edge leave rows of no area
    classes = classes[classes["area_mu"] > 1e-9].reset_index(drop=True)
    classes["dlmc"] = ""
    per_t = classes.groupby("t")[["class_mu", "developable_mu"]].sum()
    dev_mu = np.zeros(n)
    class_mu = np.zeros(n)
    dev_mu[per_t.index.to_numpy(dtype=int)] = per_t["developable_mu"].to_numpy()
    class_mu[per_t.index.to_numpy(dtype=int)] = per_t["class_mu"].to_numpy()
    covered = np.minimum(covered, np.where(np.isfinite(area_mu), area_mu, 0.0))
    # floating-point noise of cutting along shared edges (≈1e-10 mu) is no gap and no overlap
    overlap = np.where(overlap < 1e-6, 0.0, overlap)
    covered = np.where(area_mu - covered < 1e-6, area_mu, covered)
    frames = {lg.name: lg.frame for lg in lgs}
    declared = np.concatenate([_declared(frames[lg.name]) for lg in lgs]) if lgs else \
        np.empty(0)
    names_col = np.concatenate([lg.names for lg in lgs]) if lgs else np.empty(0, dtype=object)
    county = np.concatenate([_county(frames[lg.name]) for lg in lgs]) if lgs else \
        np.empty(0, dtype=object)
    nan = ~usable
    measured = np.where(nan, np.nan, dev_mu)
    with np.errstate(divide="ignore", invalid="ignore"):
        diff = declared - measured
        diff_share = np.where(measured > 0, diff / measured,
                              np.where(np.isclose(diff, 0), 0.0, np.inf))
        uncovered = np.where(nan, np.nan, np.maximum(area_mu - covered, 0.0))
        uncovered_share = np.where(area_mu > 0, uncovered / area_mu, np.nan)
    table = pd.DataFrame({
        "layer": layer_of, "id": ids, "name": names_col, "county": county,
        "epsg": epsg, "area_mu": area_mu, "surveyed_mu": np.where(nan, np.nan, covered),
        "uncovered_mu": uncovered, "uncovered_share": uncovered_share,
        "overlap_mu": np.where(nan, np.nan, overlap),
        "class_mu": np.where(nan, np.nan, class_mu),
        "excluded_mu": np.where(nan, np.nan, np.maximum(class_mu - dev_mu, 0.0)),
        "developable_mu": measured, "developable_ha": mu_to_ha(measured),
        "declared_mu": declared, "difference_mu": diff,
        "difference_share": np.where(np.isnan(declared) | nan, np.nan, diff_share),
    })
    cls = classes.assign(layer=layer_of[classes["t"].to_numpy(dtype=int)] if len(classes)
                         else [], id=ids[classes["t"].to_numpy(dtype=int)] if len(classes) else [])
    names_of = {c: class_name(c) for c in pd.unique(cls["dlbm"])}
    unknown = [c for c, v in names_of.items() if c and not v]
    if unknown:
        names_of.update(survey_names(src, unknown))
    cls["dlmc"] = cls["dlbm"].map(names_of).fillna("")
    cls = cls[["layer", "id", "dlbm", "dlmc", "area_mu", "developable_mu"]]
    geometry = {}
    if keep_geometry:
        for t in range(n):
            if not usable[t]:
                continue
            cover = shapely.union_all(unions.get(t, [])) if t in unions else shapely.Polygon()
            gaps = polygonal_parts(np.array([shapely.difference(target_local[t], cover)]))[0] \
                if uncovered[t] > 0 else None
            devg = shapely.union_all(dev_unions[t]) if t in dev_unions else None
            geometry[(str(layer_of[t]), str(ids[t]))] = (devg, gaps, int(epsg[t]))
    missing = [name for name in settings.excluded_layers if dataset.get(name) is None]
    notes = [f"[space] excluded_layers names '{name}', which the dataset does not have: "
             "nothing was excluded for it" for name in missing]
    notes_zh = [f"[space] excluded_layers 列出的图层 {name} 在数据中不存在:未据此扣除"
                for name in missing]
    if not ctx.same_crs or not all(ctx.same_crs.values()):
        notes.append(f"the land-use survey ({survey_crs.to_string()}) was cut in its own CRS and "
                     "each piece measured in its feature's Gauss-Kruger CRS")
        notes_zh.append(f"土地利用现状调查图斑({survey_crs.to_string()})在其自身坐标系中切分,"
                        "各部分按所属要素的高斯-克吕格投影量算面积")
    return SpaceResult(
        table=table, classes=cls.reset_index(drop=True), geometry=geometry,
        bad_codes={k: (v[0], v[1]) for k, v in bad_codes.items()}, invalid=sorted(set(invalid)),
        overlaps=overlaps,
        settings={"developable_classes": list(settings.developable_classes),
                  "excluded_layers": list(settings.excluded_layers),
                  "within_boundary": settings.within_boundary},
        tiles=len(tiles), features_read=features_read, notes=notes, notes_zh=notes_zh)


@dataclass
class _TileContext:
    """What measuring one tile needs; plain data, so that it can be sent to dask workers."""

    src: object
    survey_crs: str
    rows: np.ndarray
    target_src: np.ndarray
    allowed: np.ndarray
    epsg: np.ndarray
    prefixes: tuple
    keep_geometry: bool
    overlap_min_mu: float
    keys: list
    same_crs: dict


def _parts(ctx, tiles, *, engine="local", scheduler=None):
    """The measured part of each tile, in tile order: here, or on a dask.distributed cluster.

    The cluster gets the same tiles and the same function, one task per tile, and each worker
    reads its tiles from the survey by extent (GDAL's spatial filter, the GeoPackage's R-tree).
    dask-geopandas is not used: its readers partition a layer by feature ranges and would make
    every worker read polygons far from any zone or park, and a spatial shuffle of the whole
    survey would cost more than the measuring; the tiles already are the spatial partitions.
    """
    if engine == "local":
        for tile in tiles:
            yield _measure_tile(ctx, tile)
        return
    if engine != "dask":
        raise InputError(f"unknown engine '{engine}'; expected 'local' or 'dask'")
    try:
        from distributed import Client, LocalCluster
    except ImportError:
        raise InputError("--engine dask needs the 'dask' extra: pip install 'parkgeo[dask]'"
                         ) from None
    import contextlib

    with contextlib.ExitStack() as stack:
        if scheduler:
            try:
                client = stack.enter_context(Client(scheduler, timeout="10s"))
            except OSError as exc:
                raise InputError(f"cannot reach the dask scheduler at {scheduler} ({exc}); "
                                 "start it, or leave out --scheduler to use this machine"
                                 ) from None
        else:
            cluster = stack.enter_context(LocalCluster(n_workers=2, threads_per_worker=1,
                                                       processes=True,
                                                       dashboard_address=None))
            client = stack.enter_context(Client(cluster))
        shared = client.scatter(ctx, broadcast=True)
        futures = client.map(_measure_tile, [shared] * len(tiles), tiles, pure=False)
        # in tile order: the sums are then added in the same order as on one machine
        for future in futures:
            yield future.result()
            future.release()


def _measure_tile(ctx, tile):
    """Measure the survey polygons of one tile against every zone and park they meet."""
    survey_crs = CRS.from_wkt(ctx.survey_crs)
    rows, target_src, allowed, epsg = ctx.rows, ctx.target_src, ctx.allowed, ctx.epsg
    part = {"read": 0, "sums": None, "covered": {}, "overlap": {}, "overlaps": {},
            "bad_codes": {}, "invalid": [], "unions": {}, "dev_unions": {}}
    _, fids, codes, _, geoms = next(read_tiles(ctx.src, [tile]))
    part["read"] = len(fids)
    if not len(fids) or not pd.notna(geoms).any() or not len(rows):
        return part
    tree = shapely.STRtree(target_src[rows])
    shapely.prepare(target_src[rows])
    has_mask = np.array([a is not None for a in allowed], dtype=bool)
    q_in, q_t = tree.query(geoms, predicate="intersects")
    if not len(q_in):
        return part
    q_t = rows[q_t]
    # invalid survey polygons are measured on a repaired copy and listed (never changed)
    hit = np.unique(q_in)
    bad_geom = hit[~shapely.is_valid(geoms[hit])]
    if len(bad_geom):
        geoms = geoms.copy()
        geoms[bad_geom] = polygonal_parts(shapely.make_valid(geoms[bad_geom]))
        part["invalid"] = [int(f) for f in fids[bad_geom]]
        keep = pd.notna(geoms[q_in])
        q_in, q_t = q_in[keep], q_t[keep]
    code = codes[q_in]
    wrong = _bad_code_mask(code)
    for k in np.flatnonzero(wrong):
        entry = part["bad_codes"].setdefault(code[k] or "", [0, []])
        entry[0] += 1
        if len(entry[1]) < 5:
            entry[1].append(int(fids[q_in[k]]))
    g = geoms[q_in]
    extent = tile_box(tile)
    if extent is None:  # a range of features: each is read once, nothing to cut at tile edges
        in_tile = np.ones(len(g), dtype=bool)
    else:
        b = shapely.bounds(g)
        in_tile = (b[:, 0] >= extent[0]) & (b[:, 1] >= extent[1]) & \
            (b[:, 2] <= extent[2]) & (b[:, 3] <= extent[3])
    inside = in_tile & shapely.contains_properly(target_src[q_t], g)
    pieces = g.copy()
    cut = np.flatnonzero(~inside)
    if len(cut):
        clip_of = {}
        for t in np.unique(q_t[cut]):
            clip_of[t] = target_src[t] if extent is None else overlay(
                shapely.intersection, np.array([target_src[t]]),
                np.array([shapely.box(*extent)]))[0]
        clips = np.array([clip_of[t] for t in q_t[cut]], dtype=object)
        pieces[cut] = overlay(shapely.intersection, g[cut], clips)
    dev = developable_mask(code, ctx.prefixes) & ~wrong
    dev_pieces = np.where(dev, pieces, None)
    masked = np.flatnonzero(dev & has_mask[q_t])
    if len(masked):
        masks = np.array([allowed[t] for t in q_t[masked]], dtype=object)
        shapely.prepare(masks)
        within = shapely.contains_properly(masks, pieces[masked])
        m2 = masked[~within]
        if len(m2):
            dev_pieces[m2] = overlay(shapely.intersection, pieces[m2],
                                     np.array([allowed[t] for t in q_t[m2]], dtype=object))
    # to each feature's measuring CRS (nothing to do when the survey is already in it)
    codes_t = epsg[q_t]
    local = pieces.copy()
    local_dev = dev_pieces.copy()
    for c in np.unique(codes_t):
        if ctx.same_crs.get(int(c), False):
            continue
        sel = np.flatnonzero(codes_t == c)
        local[sel] = project(pieces[sel], survey_crs, int(c))
        dsel = sel[pd.notna(local_dev[sel])]
        if len(dsel):
            local_dev[dsel] = project(dev_pieces[dsel], survey_crs, int(c))
    a = m2_to_mu(shapely.area(local))
    d = np.where(pd.notna(local_dev), m2_to_mu(shapely.area(
        np.where(pd.notna(local_dev), local_dev, shapely.Polygon()))), 0.0)
    part["sums"] = (pd.DataFrame({"t": q_t, "dlbm": np.where(pd.isna(code), "", code),
                                  "area_mu": a, "class_mu": np.where(dev, a, 0.0),
                                  "developable_mu": d})
                    .groupby(["t", "dlbm"], sort=True).sum().reset_index())
    # per feature: the union of its pieces on this tile (cover, overlaps, outline)
    order = np.argsort(q_t, kind="stable")
    starts = np.flatnonzero(np.r_[True, q_t[order][1:] != q_t[order][:-1]])
    for grp in np.split(order, starts[1:]):
        t = int(q_t[grp[0]])
        u = _union(local[grp])
        ua = m2_to_mu(shapely.area(u))
        part["covered"][t] = ua
        extra = float(a[grp].sum() - ua)
        if extra > 1e-9:
            part["overlap"][t] = extra
            if extra >= ctx.overlap_min_mu:
                part["overlaps"][ctx.keys[t]] = _overlapping_pairs(local[grp],
                                                                   fids[q_in[grp]])
        if ctx.keep_geometry:
            part["unions"][t] = u
            dv = local_dev[grp]
            dv = dv[pd.notna(dv)]
            if len(dv):
                part["dev_unions"][t] = shapely.union_all(dv)
    return part


def _bad_code_mask(codes):
    """True where a code is empty or not a survey code (checked once per distinct code)."""
    inv, uniq = pd.factorize(pd.Series(codes, dtype=object), use_na_sentinel=True)
    bad = np.array([not SURVEY_CODE.match(str(u)) for u in uniq] + [True], dtype=bool)
    return bad[inv]


def _union(pieces):
    """The union of one feature's pieces on one tile.

    A survey is a coverage (polygons meeting edge to edge), and GEOS's coverage union is many
    times faster than a general union; it is used when it succeeds, gives a valid polygon and
    loses no area (so nothing overlapped). Otherwise — overlapping or badly noded polygons — the
    general union (``union_all``) measures what is really covered.
    """
    total = float(shapely.area(pieces).sum())
    with contextlib.suppress(shapely.errors.GEOSException):  # not a coverage: the general union
        u = shapely.coverage_union_all(pieces)
        if shapely.is_valid(u) and abs(shapely.area(u) - total) <= 1e-9 * max(total, 1.0):
            return u
    return shapely.union_all(pieces)


def _overlapping_pairs(pieces, fids, limit=5):
    """Up to ``limit`` pairs of survey fids whose pieces share area (interiors meet)."""
    tree = shapely.STRtree(pieces)
    a, b = tree.query(pieces, predicate="intersects")
    keep = a < b
    a, b = a[keep], b[keep]
    inner = shapely.relate_pattern(pieces[a], pieces[b], "T********")
    return [(int(fids[i]), int(fids[j])) for i, j in zip(a[inner][:limit], b[inner][:limit],
                                                          strict=True)]


def _declared(frame):
    if "developable_mu" in frame:
        return pd.to_numeric(frame["developable_mu"], errors="coerce").to_numpy(dtype=float)
    return np.full(len(frame), np.nan)


def _county(frame):
    if "county" in frame:
        return frame["county"].astype(object).where(frame["county"].notna(), "").to_numpy()
    return np.full(len(frame), "", dtype=object)


# ------------------------------------------------------------------------------------------
# findings
# ------------------------------------------------------------------------------------------


def _noun(layer):
    return tr_or(f"validate.noun.{layer}", "en", "feature")


def _noun_zh(layer):
    return tr_or(f"validate.noun.{layer}", "zh", "要素")


def check_space(dataset, out, scenario=None, *, min_mu=0.01, result=None):
    """Findings from the survey: ``developable_overstated`` (R4), ``landuse_overlap``,
    ``landuse_gap``, ``landuse_bad_code``, ``invalid_geometry`` (survey polygons).

    Returns the :class:`SpaceResult` (None when the survey cannot be measured: the reader's
    problems say why).
    """
    s = _scenario(scenario)
    if dataset.landuse is None:
        return None
    if any(p.layer == "landuse" and p.severity == "error" for p in dataset.problems):
        out.note("developable space was not measured: the land-use layer has errors "
                 "(see its findings)", "未核算可开发空间:土地利用现状图层有错误(见相关问题)")
        return None
    if result is None:
        try:
            result = measure_space(dataset, s, keep_geometry=True, overlap_min_mu=min_mu)
        except InputError as exc:
            out.add("missing_layer", "development_boundary", None, exc.detail,
                    severity="error",
                    message_zh="[space] within_boundary = true 需要 development_boundary 图层"
                               "(城镇开发边界,带坐标系的多边形);请在数据中加入该图层,"
                               "或设置 within_boundary = false")
            return None
    tol, err = s.validate.developable_tolerance, s.validate.developable_error
    table = result.table
    by_feature = {}
    for key, grp in result.classes.groupby(["layer", "id"], sort=False):
        by_feature[key] = grp
    for row in table.itertuples(index=False):
        key = (row.layer, row.id)
        dev_geom, gaps, code = result.geometry.get(key, (None, None, None))
        label = f"{_noun(row.layer)} {row.id}" + (f" ({row.name})" if row.name else "")
        label_zh = f"{_noun_zh(row.layer)} {row.id}" + (f"({row.name})" if row.name else "")
        if not np.isfinite(row.developable_mu):
            continue
        if row.uncovered_mu >= min_mu and row.uncovered_mu > 0:
            whole = row.surveyed_mu <= 0
            out.add("landuse_gap", row.layer, row.id,
                    (f"the land-use survey does not cover {label} at all"
                     if whole else
                     f"{fmt_share(row.uncovered_share)} of {label} ({fmt_mu(row.uncovered_mu)} of "
                     f"{fmt_mu(row.area_mu)}) has no survey polygon")
                    + "; that land is counted neither as developable nor as not "
                    "(measured: " + fmt_mu(row.developable_mu) + " on the surveyed part)",
                    value=float(row.uncovered_mu), unit="mu", other="landuse",
                    geometry=gaps, geometry_crs=code,
                    message_zh=(f"土地利用现状调查完全未覆盖{label_zh}" if whole else
                                f"{label_zh}有 {fmt_share(row.uncovered_share)}(共 "
                                f"{fmt_mu_zh(row.area_mu)} 中的 {fmt_mu_zh(row.uncovered_mu)})"
                                "没有地类图斑")
                    + ";这部分土地既不计为可开发,也不计为不可开发(已调查部分量算为 "
                    + fmt_mu_zh(row.developable_mu) + ")")
        if row.overlap_mu >= min_mu:
            pairs = result.overlaps.get(key, [])
            shown = ", ".join(f"fids {a} and {b}" for a, b in pairs[:3])
            shown_zh = "、".join(f"fid {a} 与 {b}" for a, b in pairs[:3])
            out.add("landuse_overlap", "landuse", None,
                    f"survey polygons overlap by {fmt_mu(row.overlap_mu)} inside {label}"
                    + (f" (e.g. {shown})" if shown else "")
                    + "; the overlapping land is counted under the class of each polygon",
                    value=float(row.overlap_mu), unit="mu", other=f"{row.layer}:{row.id}",
                    at=dev_geom if dev_geom is not None else gaps, at_crs=code,
                    message_zh=f"{label_zh}内的地类图斑重叠 {fmt_mu_zh(row.overlap_mu)}"
                    + (f"(如 {shown_zh})" if shown_zh else "")
                    + ";重叠的土地按每个图斑的地类分别计入")
        declared = row.declared_mu
        if not np.isfinite(declared) or declared <= row.developable_mu:
            continue
        share = row.difference_share
        if share <= tol:
            continue
        severity = "error" if share > err else "warning"
        grp = by_feature.get(key)
        why = _difference_classes(grp, row)
        why_zh = _difference_classes(grp, row, zh=True)
        if s.consolidate.developable != "declared":
            # R4 is not checked with the declared figure: the finding informs, it does not block
            severity = "warning"
            why += (f"; R4 uses the {s.consolidate.developable} figure "
                    f"([consolidate] developable = \"{s.consolidate.developable}\")")
            figure_zh = tr_or(f"validate.figure.{s.consolidate.developable}", "zh", "量算")
            why_zh += (f";R4 采用{figure_zh}数"
                       f"([consolidate] developable = \"{s.consolidate.developable}\")")
        share_text = "∞" if not np.isfinite(share) else f"{share * 100:.0f}%"
        out.add("developable_overstated", row.layer, row.id,
                f"{label} declares {fmt_mu(declared)} developable (developable_mu) but the "
                f"land-use survey gives {fmt_mu(row.developable_mu)}: {share_text} more "
                f"(tolerance {tol * 100:g}%, error above {err * 100:g}%){why}",
                severity=severity, field="developable_mu", value=float(row.difference_mu),
                unit="mu", other="landuse", geometry=dev_geom, geometry_crs=code,
                at=dev_geom if dev_geom is not None else None, at_crs=code,
                message_zh=f"{label_zh}填报可开发空间 {fmt_mu_zh(declared)}(developable_mu),"
                           f"但土地利用现状调查量算为 {fmt_mu_zh(row.developable_mu)}:多出 "
                           f"{share_text}(允许误差 {tol * 100:g}%,超过 {err * 100:g}% 为错误)"
                           f"{why_zh}")
    for code, (count, fids) in sorted(result.bad_codes.items(), key=lambda kv: -kv[1][0]):
        what = f"'{code}'" if code else "an empty code"
        out.add("landuse_bad_code", "landuse", f"#{fids[0]}" if fids else None,
                f"{count:,} survey polygon{'s' if count > 1 else ''} under the zones and parks "
                f"ha{'ve' if count > 1 else 's'} {what} in dlbm, which is not a GB/T 21010-2017 "
                f"code (e.g. fid {', '.join(str(f) for f in fids)}); "
                f"{'they are' if count > 1 else 'it is'} not counted as developable",
                field="dlbm", value=float(count), unit="polygons",
                message_zh=f"开发区和园区范围内有 {count:,} 个地类图斑的 dlbm 为"
                           + (f"“{code}”" if code else "空值")
                           + f",不是国土调查地类编码(GB/T 21010-2017)(如 fid "
                           f"{'、'.join(str(f) for f in fids)});不计为可开发")
    if result.invalid:
        shown = ", ".join(str(f) for f in result.invalid[:5])
        out.add("invalid_geometry", "landuse", f"#{result.invalid[0]}",
                f"{len(result.invalid):,} survey polygon(s) under the zones and parks are invalid "
                f"(fid {shown}{' …' if len(result.invalid) > 5 else ''}); they were measured on "
                "a repaired copy", severity="warning",
                message_zh=f"开发区和园区范围内有 {len(result.invalid):,} 个地类图斑几何无效(fid "
                           f"{'、'.join(str(f) for f in result.invalid[:5])}"
                           f"{' …' if len(result.invalid) > 5 else ''});已按修复后的副本量算")
    for note, note_zh in zip(result.notes, result.notes_zh, strict=True):
        out.note(note, note_zh)
    return result


def _difference_classes(grp, row, top=3, zh=False):
    """``; not counted: 0601 工业用地 3,000 mu, …`` — the land that makes the difference
    (``zh``: in Chinese)."""
    parts = []
    mu = fmt_mu_zh if zh else fmt_mu
    if grp is not None and len(grp):
        other = grp.assign(rest=grp["area_mu"] - grp["developable_mu"])
        other = other[other["rest"] > 0.005].sort_values("rest", ascending=False)
        for r in other.head(top).itertuples(index=False):
            counted = r.developable_mu > 0
            excluded = ("(扣除图层或位于边界之外)" if zh else
                        " (excluded layers or outside the boundary)")
            parts.append(f"{r.dlbm} {r.dlmc} {mu(r.rest)}" + (excluded if counted else ""))
    if row.uncovered_mu > 0.005:
        parts.append(f"未调查 {mu(row.uncovered_mu)}" if zh else
                     f"not surveyed {mu(row.uncovered_mu)}")
    if zh:
        return (";未计入的土地:" + "、".join(parts)) if parts else ""
    return ("; land not counted: " + ", ".join(parts)) if parts else ""
