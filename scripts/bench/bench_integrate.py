"""Consolidation speed at nation scale, with spopt's max-p heuristic as the reference point.

1. Builds the synthetic nation-scale dataset (``synth.py``: the 2,875 real county polygons, 1–2
   zones and ~20 parks in each, no planted problems) and writes it to a temporary GeoPackage.
2. Runs ``parkgeo integrate`` end to end on it — read, consolidate (every county an exact MILP,
   ``--jobs`` worker processes), write the result GeoPackage — in a fresh process, and reports
   the time of each stage, the peak memory (resident set size of the process and of its pool
   workers) and the solver figures: counties solved, proven optimal, worst gap.
3. Times, in this process, geopandas reading the same file (the baseline every parkgeo
   benchmark states its ratio against).
4. Takes one province (default 浙江省) and times, on the same in-memory layers, parkgeo's
   consolidation and spopt's ``MaxPHeuristic`` grouping every zone and park into regions of
   contiguous units (units within the distance limit of each other) with at least 10,000 mu
   of developable space — the reference point for "grouping adjacent areas under a floor".
   Max-p solves a different, looser problem (no anchors, no industry relatedness, no R11
   quota), and a heuristic one; the ratio says what exactness costs, or saves.

Goal: the whole country in ≤ 60 s on a 2-core machine, every county at proven optimality or
with its gap reported.

Usage::

    .venv/bin/python scripts/bench/bench_integrate.py [--jobs 2] [--province 浙江省]
        [--maxp-construction 3] [--maxp-sa 1] [--skip-maxp] [--seed 0]

    # whole processes only, as a user runs them: the read process and `parkgeo -q integrate`
    # with default options (and another version's package), alternating, medians
    .venv/bin/python scripts/bench/bench_integrate.py --paired china.gpkg --rounds 5
        [--previous /path/to/other/checkout]
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
import warnings
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from synth import DEFAULT_COUNTIES, build_synthetic, read_counties, write_dataset  # noqa: E402

GOAL_S = 60.0


def child(path, out, jobs, connected=False):
    """Stage timings and peak memory of one end-to-end run (runs in its own process)."""
    t0 = time.perf_counter()
    from parkgeo.consolidate.integrate import integrate, write_result
    from parkgeo.read import read_dataset
    from parkgeo.scenario import scenario_from_dict

    t_import = time.perf_counter() - t0
    t = time.perf_counter()
    ds = read_dataset(path)
    t_read = time.perf_counter() - t
    t = time.perf_counter()
    result = integrate(ds, scenario_from_dict({"consolidate": {"connected": connected}}),
                       jobs=jobs)
    t_int = time.perf_counter() - t
    t = time.perf_counter()
    write_result(result, out, overwrite=True)
    t_write = time.perf_counter() - t
    kib = 1024.0
    print(json.dumps({
        "import_s": t_import, "read_s": t_read, "integrate_s": t_int, "write_s": t_write,
        "total_s": time.perf_counter() - t0,
        "peak_rss_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / kib,
        "peak_rss_workers_mib": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / kib,
        "solver": result.solver, "platforms": len(result.platforms),
        "platforms_meeting_R4": int(result.platforms["meets_R4"].sum()),
        "parks": len(result.parks), "counties": len(result.counties),
        "statuses": result.counties["status"].value_counts().to_dict(),
    }))


def read_baseline(path):
    import geopandas as gpd
    import pyogrio

    t = time.perf_counter()
    for name in pyogrio.list_layers(path)[:, 0]:
        gpd.read_file(path, layer=name)
    return time.perf_counter() - t


def province_reference(counties, province, seed, parks_per_county, construction, sa, skip_maxp):
    """parkgeo vs spopt MaxPHeuristic on one province's in-memory layers."""
    import geopandas as gpd
    import pandas as pd

    from parkgeo.consolidate.integrate import integrate
    from parkgeo.scenario import Scenario

    layers = build_synthetic(read_counties(counties, province=province), seed=seed,
                             parks_per_county=parks_per_county, clean=True)
    n_units = len(layers["zones"]) + len(layers["parks"])
    t = time.perf_counter()
    result = integrate(layers, Scenario())
    t_parkgeo = time.perf_counter() - t
    out = {"province": province, "units": n_units, "parkgeo_s": t_parkgeo,
           "parkgeo_platforms": len(result.platforms),
           "parkgeo_optimal": int(result.solver["optimal"]),
           "parkgeo_problems": int(result.solver["problems"])}
    if skip_maxp:
        return out
    from libpysal.weights import fuzzy_contiguity
    from spopt.region import MaxPHeuristic

    cols = ["developable_mu", "industrial_va_100m", "geometry"]
    units = gpd.GeoDataFrame(pd.concat([layers["zones"][cols], layers["parks"][cols]],
                                       ignore_index=True), geometry="geometry",
                             crs=layers["zones"].crs)
    limit_m = Scenario().consolidate.distance_km * 1000.0
    t = time.perf_counter()
    # the same projected CRS parkgeo measures in (CGCS2000 Gauss-Kruger of the province)
    from parkgeo.read.crs import gk_epsg_for_lon, lonlat_of

    lon, _ = lonlat_of(units.geometry.values, units.crs)
    units = units.to_crs(gk_epsg_for_lon(float(pd.Series(lon).median())))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # libpysal warns about islands; max-p links them
        w = fuzzy_contiguity(units, buffering=True, buffer=limit_m / 2)
        model = MaxPHeuristic(units, w, ["industrial_va_100m"], "developable_mu", 10000.0,
                              top_n=2, max_iterations_construction=construction,
                              max_iterations_sa=sa)
        model.solve()
    out.update(maxp_s=time.perf_counter() - t, maxp_regions=int(model.p),
               maxp_construction=construction, maxp_sa=sa)
    return out


READ_PROCESS = ("import sys, geopandas as gpd\n"
                "for layer in ('zones', 'parks'):\n"
                "    gpd.read_file(sys.argv[1], layer=layer)\n")


def _timed(cmd, env=None, cwd=None):
    """Wall and CPU (user + system, the process and its children) of one command, seconds."""
    import os

    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t = time.perf_counter()
    # run from a neutral folder: ``python -m`` puts the working folder first on sys.path
    run = subprocess.run(cmd, capture_output=True, text=True, check=False, cwd=cwd,
                         env={**os.environ, **(env or {})})
    wall = time.perf_counter() - t
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if run.returncode not in (0, 1):  # 1: a hard rule not met, the result still written
        raise RuntimeError(f"{' '.join(map(str, cmd))} failed:\n{run.stderr}")
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu


def paired(dataset, rounds, previous=None):
    """Whole processes as a user runs them, alternating in each round: the read process
    (geopandas reads the zones and parks), ``parkgeo -q integrate DATASET`` with default
    options, and, with ``previous`` (a folder holding another version's ``parkgeo``
    package), that version's ``parkgeo -q integrate``. Prints every run and the medians."""
    import os
    import statistics

    dataset = Path(dataset).resolve()
    exe = [sys.executable, "-m", "parkgeo.cli.main"]
    here = str(Path(__file__).resolve().parents[2])
    kinds = {"read": ([sys.executable, "-c", READ_PROCESS, str(dataset)], None),
             "integrate": ([*exe, "-q", "integrate", str(dataset)], here)}
    if previous:
        kinds["previous integrate"] = ([*exe, "-q", "integrate", str(dataset)],
                                       str(Path(previous).resolve()))
    times = {k: [] for k in kinds}
    with tempfile.TemporaryDirectory() as tmp:
        for r in range(rounds):
            for kind, (cmd, path) in kinds.items():
                if kind != "read":
                    cmd = [*cmd, "--out", str(Path(tmp) / "out.gpkg"), "--overwrite"]
                env = {"PYTHONPATH": path} if path else None
                wall, cpu = _timed(cmd, env, cwd=tmp)
                load = os.getloadavg()[0]
                times[kind].append((wall, cpu))
                print(f"round {r + 1} {kind}: {wall:.2f} s wall, {cpu:.2f} s CPU "
                      f"(load average {load:.1f})", flush=True)
    med = {k: (statistics.median(w for w, _ in v), statistics.median(c for _, c in v))
           for k, v in times.items()}
    base = med["read"][0]
    for kind, (wall, cpu) in med.items():
        print(f"median {kind}: {wall:.2f} s wall ({wall / base:.1f}x the read), {cpu:.2f} s CPU")
    return med


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--counties", type=Path, default=DEFAULT_COUNTIES)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--parks-per-county", type=int, default=20)
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--province", default="浙江省")
    ap.add_argument("--maxp-construction", type=int, default=3,
                    help="max-p construction iterations (spopt's default is 99)")
    ap.add_argument("--maxp-sa", type=int, default=1,
                    help="max-p simulated-annealing iterations (spopt's default is 10)")
    ap.add_argument("--skip-maxp", action="store_true")
    ap.add_argument("--connected", action="store_true",
                    help="consolidate in connected mode (flow constraints)")
    ap.add_argument("--paired", type=Path, metavar="DATASET",
                    help="only time whole processes on DATASET: the read process and "
                         "`parkgeo -q integrate` with default options, alternating")
    ap.add_argument("--rounds", type=int, default=5, help="--paired: rounds (median taken)")
    ap.add_argument("--previous", type=Path, metavar="DIR",
                    help="--paired: also time the parkgeo package found in DIR (another "
                         "version checked out there)")
    ap.add_argument("--child", nargs=2, metavar=("DATASET", "OUT"), help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args.child:
        child(args.child[0], args.child[1], args.jobs, args.connected)
        return 0
    if args.paired:
        from bench_validate import machine

        print(f"machine: {machine()}")
        paired(args.paired, args.rounds, args.previous)
        return 0

    from bench_validate import machine

    print(f"machine: {machine()}")
    with tempfile.TemporaryDirectory() as tmp:
        src, out = Path(tmp) / "china.gpkg", Path(tmp) / "result.gpkg"
        t = time.perf_counter()
        layers = build_synthetic(read_counties(args.counties), seed=args.seed,
                                 parks_per_county=args.parks_per_county, clean=True)
        write_dataset(layers, src)
        print(f"synthetic nation: {len(layers['counties'])} counties, {len(layers['zones'])} "
              f"zones, {len(layers['parks'])} parks (built in {time.perf_counter() - t:.1f} s)")
        del layers
        extra = ["--connected"] if args.connected else []
        run = subprocess.run([sys.executable, __file__, "--jobs", str(args.jobs), *extra,
                              "--child", str(src), str(out)], capture_output=True, text=True,
                             check=False)
        if run.returncode != 0:
            print(run.stderr, file=sys.stderr)
            return 1
        fig = json.loads(run.stdout.strip().splitlines()[-1])
        base = read_baseline(src)
    s = fig["solver"]
    mode = ", connected mode" if args.connected else ""
    print(f"parkgeo integrate, end to end (--jobs {args.jobs}{mode}), fresh process:")
    print(f"  import {fig['import_s']:.1f} s, read {fig['read_s']:.1f} s, consolidate "
          f"{fig['integrate_s']:.1f} s, write {fig['write_s']:.1f} s: total {fig['total_s']:.1f} s")
    print(f"  peak memory: {fig['peak_rss_mib']:.0f} MiB (main process), "
          f"{fig['peak_rss_workers_mib']:.0f} MiB (largest worker)")
    print(f"  {fig['counties']} counties: {s['problems']} solved, {s['optimal']} proven optimal, "
          f"{s['time_limit']} at the time limit, worst gap {s['worst_gap']:.2%}; "
          f"{s['floors_relaxed']} with R4 out of reach (relaxed); statuses {fig['statuses']}")
    print(f"  {fig['platforms']} platforms, {fig['platforms_meeting_R4']} meeting R4; "
          f"solver time summed over counties {s['seconds']:.1f} s")
    print(f"baseline: geopandas reads the file in {base:.2f} s; end to end = "
          f"{fig['total_s'] / base:.1f}x the read")
    print(f"goal: {fig['total_s']:.1f} s / {GOAL_S:.0f} s = {fig['total_s'] / GOAL_S:.2f} "
          f"({'met' if fig['total_s'] <= GOAL_S else 'NOT met'})")
    ref = province_reference(args.counties, args.province, args.seed, args.parks_per_county,
                             args.maxp_construction, args.maxp_sa, args.skip_maxp)
    print(f"{ref['province']}: {ref['units']} zones and parks; parkgeo consolidates in "
          f"{ref['parkgeo_s']:.2f} s ({ref['parkgeo_platforms']} platforms, "
          f"{ref['parkgeo_optimal']}/{ref['parkgeo_problems']} counties proven optimal)")
    if "maxp_s" in ref:
        print(f"  spopt MaxPHeuristic (floor 10,000 mu developable, units within "
              f"{5:g} km linked; {ref['maxp_construction']} construction / {ref['maxp_sa']} "
              f"annealing iterations): {ref['maxp_s']:.1f} s, {ref['maxp_regions']} regions")
        print(f"  ratio MaxPHeuristic / parkgeo: {ref['maxp_s'] / ref['parkgeo_s']:.0f}x")
    return 0


if __name__ == "__main__":
    sys.exit(main())
