"""Validation speed at nation scale: ``validate_path`` against geopandas just reading the file.

Builds the synthetic nation-scale dataset (``synth.py``: the 2,875 real county polygons, 1–2 zones
and ~20 parks in each, a few planted problems), writes it to a temporary GeoPackage, then in the
same process times

- the baseline: ``geopandas.read_file`` of every layer of the file, and
- ``parkgeo.validate.validate_path`` of the file (reading, normalising and every check),

a few times each, alternating, and prints the medians and their ratio. The goal is validation
within 10× the read time. It also checks that every planted problem was found.

With ``--processes FILE`` it measures what a user waits for instead: whole processes, alternating
A B A B, on an existing dataset — ``python -c "import geopandas; read zones; read parks"`` (the
read process) against ``parkgeo -q validate FILE`` with default options (and, with ``--against
DIR``, the same command run from another checkout's ``parkgeo`` package) — and prints each
one's median wall time and user + system CPU time, and the ratio to the read process (goal
≤ 1.5×).

Usage::

    .venv/bin/python scripts/bench/bench_validate.py [--province 浙江省] [--repeat 3] [--seed 0]
        [--parks-per-county 20] [--profile]
    .venv/bin/python scripts/bench/bench_validate.py --processes china.gpkg [--repeat 5]
        [--against /path/to/other/checkout]
"""

from __future__ import annotations

import argparse
import os
import platform
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import geopandas as gpd
import pyogrio

sys.path.insert(0, str(Path(__file__).resolve().parent))

from synth import DEFAULT_COUNTIES, build_synthetic, read_counties, write_dataset  # noqa: E402

from parkgeo.validate import validate_path  # noqa: E402

GOAL = 10.0
#: whole processes: validate within this many times the read process
PROCESS_GOAL = 1.5
REPO = Path(__file__).resolve().parents[2]
#: the read process: import geopandas and read the two layers every command reads
READ_PROCESS = ("import sys, geopandas as gpd\n"
                "for layer in ('zones', 'parks'):\n"
                "    gpd.read_file(sys.argv[1], layer=layer)\n")


def machine():
    """``2 cores, AMD EPYC, 23.4 GiB RAM`` (nproc, /proc/cpuinfo, /proc/meminfo)."""
    cpu = platform.processor() or "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    ram = ""
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal"):
                ram = f", {int(line.split()[1]) / 1024 ** 2:.1f} GiB RAM"
    except OSError:
        pass
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    return f"{cores} cores, {cpu}{ram}, Python {platform.python_version()}"


def read_all(path):
    """The baseline: geopandas reads every layer of the file."""
    for name in pyogrio.list_layers(path)[:, 0]:
        gpd.read_file(path, layer=name)


def _run(argv, env=None):
    """Wall and CPU (user + system) seconds of one child process."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t = time.perf_counter()
    done = subprocess.run(argv, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                          text=True)
    wall = time.perf_counter() - t
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode not in (0, 1):  # 1: the data breaks rules, still a full validation
        raise SystemExit(f"{' '.join(argv)} failed ({done.returncode}): {done.stderr}")
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu


def processes(path, repeat, against=None):
    """Whole processes, alternating: the read process, ``parkgeo validate`` (and the same from
    another checkout); medians and ratios. Returns 0."""
    parkgeo = [sys.executable, "-c", "import sys; from parkgeo.cli.main import cli; "
               "sys.exit(cli())", "-q", "validate", str(path)]
    runs = {"read process": ([sys.executable, "-c", READ_PROCESS, str(path)], None),
            "parkgeo validate": (parkgeo, {**os.environ, "PYTHONPATH": str(REPO)})}
    if against:
        runs["parkgeo validate (--against)"] = (parkgeo, {**os.environ,
                                                          "PYTHONPATH": str(against)})
    times = {name: [] for name in runs}
    for argv, env in runs.values():  # warm the file cache and the imports
        _run(argv, env)
    for _ in range(repeat):
        for name, (argv, env) in runs.items():
            times[name].append(_run(argv, env))
    base = statistics.median(w for w, _ in times["read process"])
    for name, rows in times.items():
        wall = statistics.median(w for w, _ in rows)
        cpu = statistics.median(c for _, c in rows)
        print(f"{name:<30} wall {wall:5.2f} s (runs: "
              + ", ".join(f"{w:.2f}" for w, _ in rows) + f"), CPU {cpu:5.2f} s, "
              f"{wall / base:.2f}× the read process")
    ratio = statistics.median(w for w, _ in times["parkgeo validate"]) / base
    print(f"goal ≤ {PROCESS_GOAL:g}× the read process: " + ("met" if ratio <= PROCESS_GOAL
                                                           else "NOT met"))
    with open("/proc/loadavg") as fh:
        print(f"load average: {fh.read().split()[0]}")
    return 0


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--counties", type=Path, default=DEFAULT_COUNTIES)
    ap.add_argument("--province", help="one province only (default: the whole country)")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--parks-per-county", type=int, default=20)
    ap.add_argument("--repeat", type=int, default=3, help="timed runs of each (median)")
    ap.add_argument("--profile", action="store_true", help="print a cProfile of one validation")
    ap.add_argument("--processes", type=Path, metavar="FILE",
                    help="time whole processes on this dataset instead (see above)")
    ap.add_argument("--against", type=Path, metavar="DIR",
                    help="with --processes: also time the parkgeo package of this checkout")
    args = ap.parse_args(argv)

    print(f"machine: {machine()}")
    if args.processes:
        return processes(args.processes, args.repeat, args.against)
    t = time.perf_counter()
    layers = build_synthetic(read_counties(args.counties, province=args.province),
                             seed=args.seed, parks_per_county=args.parks_per_county)
    planted = layers.get("planted")
    sizes = ", ".join(f"{k} {len(v):,}" for k, v in layers.items())
    print(f"dataset: {sizes} (built in {time.perf_counter() - t:.1f} s)")
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "synthetic.gpkg"
        write_dataset(layers, path)
        print(f"file: {path.stat().st_size / 1e6:.1f} MB GeoPackage")
        read_all(path)  # warm the file cache and imports for both
        report = validate_path(path)
        reads, validations = [], []
        for _ in range(args.repeat):
            t = time.perf_counter()
            read_all(path)
            reads.append(time.perf_counter() - t)
            t = time.perf_counter()
            report = validate_path(path)
            validations.append(time.perf_counter() - t)
        if args.profile:
            import cProfile
            import pstats

            prof = cProfile.Profile()
            prof.enable()
            validate_path(path)
            prof.disable()
            pstats.Stats(prof).sort_stats("cumulative").print_stats(30)
    r, v = statistics.median(reads), statistics.median(validations)
    print(f"geopandas.read_file, all layers: {r:.2f} s (median of {args.repeat}: "
          + ", ".join(f"{x:.2f}" for x in reads) + ")")
    print(f"validate_path:                   {v:.2f} s (median of {args.repeat}: "
          + ", ".join(f"{x:.2f}" for x in validations) + ")")
    print(f"ratio: {v / r:.1f}× the read time (goal ≤ {GOAL:g}×) — "
          + ("met" if v / r <= GOAL else "NOT met"))
    s = report.summary
    print(f"findings: {s['errors']} errors, {s['warnings']} warnings: "
          + ", ".join(f"{k} {sum(c.values())}" for k, c in s["by_rule"].items()))
    missed = 0
    if planted is not None:
        found = {(f.layer, f.id, f.rule) for f in report.findings}
        for row in planted.itertuples():
            ok = (row.layer, row.id, row.rule) in found
            missed += not ok
            print(f"  planted {row.rule:<22} {row.layer} {row.id}: "
                  + ("found" if ok else "MISSED"))
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main())
