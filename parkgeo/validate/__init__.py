"""Validate a dataset before anything is consolidated or published (``parkgeo validate``).

Every check runs in one pass and every finding is gathered (none stops the others), each with a
stable rule id (DATA-CONTRACT.md), the layer, the feature id, a severity, a plain message with
the measured numbers and a location. The checks:

- schema (found while reading): ``missing_layer``, ``empty_layer``, ``missing_field``,
  ``bad_value``, ``duplicate_id``, ``missing_crs``, ``wrong_crs``, ``outside_measured_zones``,
  ``join_unmatched``;
- geometry: ``empty_geometry``, ``wrong_geometry_type``, ``invalid_geometry`` (GEOS's reason and
  location), ``sliver``;
- topology: ``overlap`` (zone–zone, park–park, zone–park, a park inside a zone too),
  ``invalid_coverage`` (the counties layer does not tile);
- place: ``unknown_county``, ``outside_county``, ``in_protected_area``;
- statute: ``area_exceeds_approved`` (R2), ``approved_area_differs_from_catalogue`` (R2, against
  the national catalogue; ``unknown_catalogue_code`` and ``ambiguous_catalogue_name`` when the
  zone cannot be found), ``boundary_changed`` (R1, with a baseline), ``park_added`` (R12
  warning, with a baseline);
- read: ``approved_area_from_catalogue`` (info, a missing approved area taken from the
  catalogue), ``industry_unrecognised`` (warning, an industry term that maps to no code);
- developable space, with a ``landuse`` survey (R4): ``developable_overstated``,
  ``landuse_overlap``, ``landuse_gap``, ``landuse_bad_code``.

Areas and distances are measured in each county's CGCS2000 Gauss-Kruger CRS. Invalid geometries
are measured on a repaired copy (``make_valid``), never changed in the data, and every message
that rests on such a measurement says so. See ``docs/validation.md`` for every rule.
"""

from __future__ import annotations

import contextlib
import os
import sys
import threading
import types
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import replace
from pathlib import Path

import geopandas as gpd
import numpy as np
import shapely
from pyproj import CRS

from .._progress import progress
from ..read.dataset import FACT_LAYERS
from ._context import POLYGON_LAYERS, Collector, feature_ids, feature_names, prepare_layer
from .findings import FINDINGS_CRS, RULES, Finding, ValidationReport, sort_findings
from .geometry import check_geometry, check_slivers
from .place import check_counties, check_protected
from .statute import check_approved_area, check_boundaries, check_catalogue, check_new_parks
from .topology import check_coverage, check_overlaps, coverage_edges

__all__ = [
    "Finding",
    "ValidationReport",
    "RULES",
    "FINDINGS_CRS",
    "validate_dataset",
    "validate_path",
    "validate",
    "prefetch",
    "feature_ids",
    "feature_names",
]

#: read problems that make a layer's coordinates unusable for measuring
_CRS_RULES = ("missing_crs", "wrong_crs", "outside_measured_zones")
#: the fewest features :func:`prefetch` hands to a thread of its own (a layer of 60,000
#: parks goes to two threads, each working out the facts and projections of half of them)
_PIECE_MIN = 20_000


def _scenario(scenario):
    from ..scenario import Scenario, load_scenario

    if scenario is None:
        return Scenario()
    if isinstance(scenario, str | Path):
        return load_scenario(scenario)
    return scenario


def available_cores():
    """The CPU cores this process may use (the default for ``jobs``)."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return max(1, os.cpu_count() or 1)


class _Inline:
    """Runs a task at once, in the calling thread: the executor when ``jobs`` is 1."""

    def submit(self, func, *args, **kwargs):
        future = Future()
        try:
            future.set_result(func(*args, **kwargs))
        except BaseException as exc:  # re-raised by result(), as a pool's future does
            future.set_exception(exc)
        return future

    def shutdown(self, wait=True):
        return None


def _executor(jobs):
    """Threads for the checks: shapely 2 and pyproj release the GIL, so GEOS and PROJ work of
    independent layers and checks runs on every core while Python builds the messages."""
    jobs = available_cores() if jobs is None else max(1, int(jobs))
    return _Inline() if jobs == 1 else ThreadPoolExecutor(max_workers=jobs,
                                                          thread_name_prefix="parkgeo-checks")


def _collected(check, first, *args, **kwargs):
    """Run ``check(first, collector, …)`` with a collector of its own; return the collector.

    Checks that run side by side each fill their own collector; they are merged in the order
    the checks are listed, so the report is the same whatever finishes first.
    """
    sub = Collector()
    check(first, sub, *args, **kwargs)
    return sub


@contextlib.contextmanager
def prefetch(jobs=None, *, catalogue=False):
    """Within the block, datasets read with :func:`parkgeo.read.read_dataset` start their
    validation's GEOS and PROJ work (validity, representative points, the counties' coverage)
    in other threads as soon as each of ``counties``, ``zones`` and ``parks`` is read.
    ``catalogue=True``: the national catalogue's index, which the R2 check against the
    catalogue looks zones up in, is built in another thread too, while the layers are read.

    Reading holds Python's lock and leaves the other cores idle; GEOS and PROJ do not need
    it. The report is the same with or without: :func:`validate_dataset` uses what was worked
    out early, and works out anything else itself. Does nothing with one core (``jobs=1``).
    Validate inside the block: leaving it waits for all the work handed out, so that no
    thread outlives it.

    Examples
    --------
    >>> from parkgeo.read import read_dataset
    >>> with prefetch():                                          # doctest: +SKIP
    ...     ds = read_dataset("layers/jiaxing.gpkg", strict=False)
    ...     report = validate_dataset(ds)
    """
    from ..read.dataset import prefetching

    cores = available_cores() if jobs is None else max(1, int(jobs))
    if cores < 2:
        yield
        return
    from ..read.crs import geometry_facts

    # more threads than cores: the pieces of a large layer, which the reader and the checks
    # wait on, should not queue behind the counties' coverage and projections
    pool = ThreadPoolExecutor(max_workers=2 * cores + 1, thread_name_prefix="parkgeo-prefetch")

    def settle(future, func, *args):
        try:
            future.set_result(func(*args))
        except BaseException as exc:  # re-raised to whoever waits on it
            future.set_exception(exc)

    def submit(name, geoms, crs):
        facts, local = Future(), Future()
        coverage = Future() if name == "counties" else None
        # a large layer in pieces, one thread each: row by row work, so the pieces put
        # together are what the whole layer gives
        count = 1 if coverage is not None else max(1, min(cores, len(geoms) // _PIECE_MIN))
        pieces = np.array_split(np.arange(len(geoms)), count)
        early_parts, local_parts = [None] * count, [None] * count
        lock = threading.Lock()
        waiting = {"facts": count, "local": count}

        def done(what, k, value, future, join):
            # the last piece to finish settles the layer's future (an exception: at once)
            with lock:
                if future.done():
                    return
                if isinstance(value, BaseException):
                    future.set_exception(value)
                    return
                (early_parts if what == "facts" else local_parts)[k] = value
                waiting[what] -= 1
                if waiting[what]:
                    return
                parts = early_parts if what == "facts" else local_parts
            settle(future, join, parts)

        def join_facts(parts):
            lon = None if any(f.lon is None for f in parts) else \
                np.concatenate([f.lon for f in parts])
            lat = None if lon is None else np.concatenate([f.lat for f in parts])
            return replace(parts[0], valid=np.concatenate([f.valid for f in parts]), lon=lon,
                           lat=lat, local=local, coverage=coverage)

        def join_local(parts):
            return (np.concatenate([c for c, _ in parts]),
                    np.concatenate([g for _, g in parts]))

        def work(k):
            # the facts first (the reader's CRS of each county waits on them), then the
            # projections, which only the preparation of the layer needs
            rows = geoms if count == 1 else geoms[pieces[k]]
            try:
                early = geometry_facts(rows, crs)
            except BaseException as exc:
                done("facts", k, exc, facts, join_facts)
                done("local", k, exc, local, join_local)
                return
            done("facts", k, early, facts, join_facts)
            try:
                value = _early_local(rows, crs, early)
            except BaseException as exc:
                value = exc
            done("local", k, value, local, join_local)

        def cover():
            # the counties' coverage, needed last, beside them (its facts started before it,
            # on another thread, so waiting on them here cannot hold up the pool)
            try:
                valid = facts.result().valid
            except BaseException as exc:
                coverage.set_exception(exc)
                return
            settle(coverage, coverage_edges, geoms, valid)

        # everything is queued here, while the pool takes work: never from inside a task,
        # which may run after the pool has been shut down
        for k in range(count):
            pool.submit(work, k)
        if coverage is not None:
            pool.submit(cover)
        return facts

    if catalogue:
        from ..catalogue import find_zone

        pool.submit(find_zone)  # builds the catalogue's index (cached), finds nothing
    try:
        with prefetching(submit):
            yield
    finally:
        # no thread outlives the block: one still inside PROJ or GEOS when the process forks
        # (the consolidation's gate and county helpers) would leave the child a lock held
        # forever. What was queued is finished (nothing cancelled: a reader or check may wait
        # on it, and the counties' coverage waits on their facts).
        pool.shutdown(wait=True)


def _early_local(geoms, crs, facts):
    """``(codes, geometries)``: each valid polygon in the Gauss-Kruger zone of its own
    representative point (see :func:`~parkgeo.validate._context.prepare_layer`)."""
    from ._context import gk_epsg_array, project

    geoms = np.asarray(geoms, dtype=object)
    codes = np.zeros(len(geoms), dtype=int)
    local = np.full(len(geoms), None, dtype=object)
    if facts.lon is None:
        return codes, local
    type_id = shapely.get_type_id(geoms)
    rows = np.isin(type_id, (3, 6)) & ~np.asarray(shapely.is_empty(geoms), dtype=bool) & \
        facts.valid
    codes[rows] = gk_epsg_array(facts.lon[rows])
    for code in np.unique(codes[codes != 0]):
        at = np.flatnonzero(codes == code)
        local[at] = project(geoms[at], crs, int(code))
    return codes, local


def _county_checks(prepared, *, tolerance):
    """The coverage of the counties layer, then zones and parks against it: one task, since
    all use the counties' geometries (prepared in place by the second).

    ``prepared``: ``{layer: Future of LayerGeoms}``. Each layer is waited for when it is
    needed: the zones are checked while the parks are still being prepared, the coverage
    (worked out early, in :func:`prefetch`) last.
    """
    layers = {name: prepared[name].result() for name in ("counties", "zones")
              if name in prepared}
    places = Collector()
    check_counties(layers, places, tolerance=tolerance, keys=("zones",))
    if "parks" in prepared:
        layers["parks"] = prepared["parks"].result()
    check_counties(layers, places, tolerance=tolerance, keys=("parks",))
    coverage = _collected(check_coverage, layers["counties"]) if "counties" in layers else \
        Collector()
    return coverage, places


def _prepare_all(dataset, *, crs_by_county, common_crs=None, out=None, what="the dataset",
                 pool=None, wait=True):
    """Prepare every polygon layer of ``dataset``; return (``{layer: LayerGeoms}``, common CRS).

    With ``pool`` (an executor) the layers are prepared side by side, largest first; with
    ``wait=False`` the first item is ``{layer: Future of LayerGeoms}``.
    """
    bad_crs = {p.layer for p in dataset.problems if p.rule in _CRS_RULES}
    frames = {name: frame for name, frame in dataset.layers.items()
              if name in POLYGON_LAYERS and isinstance(frame, gpd.GeoDataFrame)}
    if out is not None:
        for name in dataset.layers:
            if name in POLYGON_LAYERS and name not in frames:
                out.add("missing_field", name, None,
                        f"the layer has no geometry (it was read as a table from "
                        f"{Path(dataset.file_of(name)).name}); its features need polygons",
                        field="geometry",
                        message_zh=f"该图层没有几何(从 {Path(dataset.file_of(name)).name} "
                                   "读作属性表);其要素需要多边形")
    if common_crs is None:
        order = ["zones", "parks", "counties", "protected", "plots"]
        for name in order:
            frame = frames.get(name)
            if frame is not None and frame.crs is not None and name not in bad_crs:
                common_crs = CRS.from_user_input(frame.crs)
                break
    pool = pool or _Inline()
    facts_of = getattr(dataset, "geometry_facts", None)
    prepared = {}
    for name in sorted(frames, key=lambda n: -len(frames[n])):
        frame = frames[name]
        usable = frame.crs is not None and name not in bad_crs and common_crs is not None
        facts = facts_of(name) if facts_of is not None and name in FACT_LAYERS else None
        prepared[name] = pool.submit(prepare_layer, frame, name, common_crs=common_crs,
                                     crs_by_county=crs_by_county, usable_crs=usable,
                                     facts=facts)
    for name, frame in frames.items():
        usable = frame.crs is not None and name not in bad_crs and common_crs is not None
        if not usable and out is not None and len(frame):
            out.note(f"'{name}' in {what} was checked for geometry only: without a usable CRS "
                     "nothing in it can be measured (see missing_crs / wrong_crs)",
                     f"{what}的图层 {name} 只检查了几何:没有可用的坐标系,无法量算"
                     "(见坐标系缺失/坐标系错误)")
    if not wait:
        return {name: prepared[name] for name in frames}, common_crs
    return {name: prepared[name].result() for name in frames}, common_crs


def _problems(dataset, layers, out, *, prefix="", prefix_zh=""):
    """The reader's schema problems, each located at its feature when it has one."""
    for p in dataset.problems:
        lg = layers.get(p.layer)
        at, at_crs = None, None
        if lg is not None and p.id is not None:
            i = lg.index_of(p.id)
            if i is not None:
                if lg.measurable[i]:
                    at, at_crs = lg.src[i], lg.common_crs
                elif lg.crs is not None and p.layer not in {
                        q.layer for q in dataset.problems if q.rule in _CRS_RULES}:
                    at, at_crs = lg.raw[i], lg.crs
        out.add(p.rule, p.layer, p.id, prefix + p.message, severity=p.severity, field=p.field,
                at=at, at_crs=at_crs, message_zh=prefix_zh + p.message_zh)


def validate_dataset(dataset, scenario=None, *, baseline=None, jobs=None):
    """Run every validation check on a dataset read with :func:`parkgeo.read.read_dataset`.

    Parameters
    ----------
    dataset : Dataset
        Read with ``strict=False`` so that its schema problems are reported here too.
    scenario : Scenario or path, optional
        Supplies ``[validate]``: the R2 tolerance, the sliver and overlap limits, the share a
        feature may lie outside its county, the R1 distance tolerance. Defaults when None.
    baseline : Dataset or path, optional
        The dataset the four boundaries are compared with (R1): ``boundary_changed`` for
        zones moved, added or removed, ``park_added`` (R12 warning) for new parks.
    jobs : int, optional
        Threads for the checks (default: every core this process may use); 1 runs them one
        after the other. The report is the same either way.

    Returns
    -------
    ValidationReport
        ``report.has_errors`` is True when any finding is an error.

    Examples
    --------
    >>> from parkgeo.read import read_dataset
    >>> from parkgeo.validate import validate_dataset
    >>> ds = read_dataset("layers/jiaxing.gpkg", strict=False)         # doctest: +SKIP
    >>> report = validate_dataset(ds)                                   # doctest: +SKIP
    >>> [(f.rule, f.id) for f in report.errors]                         # doctest: +SKIP
    []
    """
    s = _scenario(scenario)
    v = s.validate
    out = Collector()
    pool = _executor(jobs)
    try:
        with progress("validating", 9) as advance:
            prepared, common_crs = _prepare_all(dataset, crs_by_county=dataset.crs_by_county,
                                                out=out, pool=pool, wait=False)
            # the counties' checks (GEOS: the coverage, containment) run beside the others;
            # the counties' geometries are used by this task alone (prepared ones included).
            # Queued after the layers' preparation, which it waits on, so never before it.
            counties = pool.submit(_county_checks, prepared,
                                   tolerance=v.outside_county_tolerance)
            layers = {name: future.result() for name, future in prepared.items()}
            advance()
            _problems(dataset, layers, out)
            for lg in layers.values():
                check_geometry(lg, out)
            for key in ("zones", "parks"):
                if key in layers:
                    check_slivers(layers[key], out, sliver_mu=v.sliver_mu)
            advance()
            check_overlaps(layers, out, min_mu=v.overlap_min_mu)
            advance()
            rest = Collector()
            check_protected(layers, rest, min_mu=v.overlap_min_mu)
            check_approved_area(layers.get("zones"), rest, tolerance=v.area_tolerance)
            if v.check_catalogue:
                check_catalogue(layers.get("zones"), rest, tolerance=v.area_tolerance,
                                exceptions=v.catalogue_exceptions,
                                name_severity=v.catalogue_name_severity)
            coverage, places = counties.result()
            out.extend(coverage)
            advance()
            out.extend(places)
            advance()
            out.extend(rest)
            advance()
            advance()
            # R4: developable space measured from the land-use survey, when there is one
            if dataset.landuse is not None:  # the survey's module only when there is one
                from .space import check_space

                check_space(dataset, out, s, min_mu=v.overlap_min_mu)
            advance()
            baseline_path = None
            if baseline is not None:
                base_ds = baseline
                if isinstance(baseline, str | Path):
                    from ..read import read_dataset

                    base_ds = read_dataset(baseline, scenario=s, strict=False)
                baseline_path = str(base_ds.path)
                name = f"the baseline ({Path(base_ds.path).name})"
                _compare(dataset, base_ds, layers, common_crs, out,
                         tolerance_m=v.boundary_tolerance_m, name=name,
                         name_zh=f"基准数据({Path(base_ds.path).name})", pool=pool)
            advance()
    finally:
        pool.shutdown(wait=True)
    # a geometry the reader could not build is reported once, as the reader's invalid_geometry
    unreadable = {(p.layer, p.id) for p in dataset.problems if p.rule == "invalid_geometry"}
    findings = sort_findings(f for f in out.finish()
                             if not (f.rule == "empty_geometry" and (f.layer, f.id) in unreadable))
    counts = {name: len(frame) for name, frame in dataset.layers.items()
              if hasattr(frame, "__len__")}
    if dataset.landuse is not None:
        counts["landuse"] = dataset.landuse.features
    return ValidationReport(
        findings=tuple(findings), dataset=str(dataset.path), baseline=baseline_path,
        scenario=s.name, settings={
            "area_tolerance": v.area_tolerance, "sliver_mu": v.sliver_mu,
            "overlap_min_mu": v.overlap_min_mu,
            "outside_county_tolerance": v.outside_county_tolerance,
            "boundary_tolerance_m": v.boundary_tolerance_m,
            "check_catalogue": v.check_catalogue,
            "developable_tolerance": v.developable_tolerance,
            "developable_error": v.developable_error},
        layers=counts, notes=tuple(out.notes), notes_zh=tuple(out.notes_zh))


def _compare(dataset, base_ds, layers, common_crs, out, *, tolerance_m, name, name_zh,
             pool=None):
    """The R1/R12 comparison with the baseline dataset."""
    blocking = [p for p in base_ds.problems
              if p.layer in ("zones", "parks") and (p.rule in ("missing_layer", "missing_crs",
                                                               "wrong_crs")
                                                    or (p.rule == "missing_field"
                                                        and p.field in ("zone_id", "park_id")))]
    for p in blocking:
        if p.layer == "zones":
            out.add(p.rule, p.layer, p.id, f"{name}: {p.message}; the four boundaries (R1) "
                    "could not be compared", severity="error", field=p.field,
                    message_zh=f"{name_zh}:{p.message_zh};无法比较“四至”范围(R1)")
    base_layers, _ = _prepare_all(base_ds, crs_by_county=dataset.crs_by_county,
                                  common_crs=common_crs, what=name, pool=pool)
    if common_crs is None:
        out.note(f"the four boundaries were not compared with {name}: the dataset has no "
                 "usable CRS", f"未与 {name} 比对四至范围:本数据没有可用的坐标系")
        return
    if not any(p.layer == "zones" for p in blocking):
        check_boundaries(layers.get("zones"), base_layers.get("zones"), out,
                         tolerance_m=tolerance_m, baseline_name=name, baseline_name_zh=name_zh)
    if not any(p.layer == "parks" for p in blocking):
        check_new_parks(layers.get("parks"), base_layers.get("parks"), out, baseline_name=name,
                        baseline_name_zh=name_zh)


def validate_path(path, *, scenario=None, baseline=None, engine="pyogrio", encoding=None,
                  src_crs=None, jobs=None):
    """Read a dataset (and a baseline) and validate it: :func:`validate_dataset` from a path.

    Parameters
    ----------
    path : str or Path
        A GeoPackage, or a folder of vector files named after the layers.
    scenario : Scenario or path, optional
        A :class:`~parkgeo.scenario.Scenario` or a scenario TOML file.
    baseline : str or Path or Dataset, optional
        The dataset to compare the four boundaries with (R1).
    engine, encoding, src_crs
        As in :func:`parkgeo.read.read_dataset`, for the dataset and the baseline.
    jobs : int, optional
        Threads (default: every core this process may use); see :func:`validate_dataset`.

    Returns
    -------
    ValidationReport

    Raises
    ------
    DatasetNotFoundError, NotADatasetError
        The dataset or the baseline cannot be opened at all (everything else is a finding).

    Examples
    --------
    >>> report = validate_path("layers/jiaxing.gpkg")          # doctest: +SKIP
    >>> report.summary["errors"]                               # doctest: +SKIP
    0
    """
    from ..read import read_dataset

    s = _scenario(scenario)
    with prefetch(jobs, catalogue=s.validate.check_catalogue):
        ds = read_dataset(path, scenario=s, engine=engine, encoding=encoding, src_crs=src_crs,
                          strict=False)
        base = baseline
        if isinstance(baseline, str | Path):
            base = read_dataset(baseline, scenario=s, engine=engine, encoding=encoding,
                                src_crs=src_crs, strict=False)
        return validate_dataset(ds, s, baseline=base, jobs=jobs)


def validate(dataset, scenario=None, *, baseline=None):
    """Validate a dataset given as a path or as a :class:`~parkgeo.read.Dataset`.

    What ``parkgeo validate`` checks (R1, R2, R12, overlaps, counties, protected land): a path
    goes to :func:`validate_path`, a Dataset to :func:`validate_dataset`.

    Examples
    --------
    >>> import parkgeo
    >>> report = parkgeo.validate("layers/jiaxing.gpkg")      # doctest: +SKIP
    >>> report.has_errors                                      # doctest: +SKIP
    False
    """
    if isinstance(dataset, str | Path):
        return validate_path(dataset, scenario=scenario, baseline=baseline)
    return validate_dataset(dataset, scenario, baseline=baseline)


class _CallablePackage(types.ModuleType):
    """``parkgeo.validate`` is this package and, called, :func:`validate`: the import system
    binds the package to ``parkgeo.validate`` once it is imported, so the notebook function of
    the same name must be the package itself."""

    def __call__(self, dataset, scenario=None, *, baseline=None):
        return validate(dataset, scenario, baseline=baseline)


sys.modules[__name__].__class__ = _CallablePackage
