"""Benchmark: developable space of every zone and park against geopandas just reading the survey.

For each survey size, a synthetic city survey (``synth_landuse.py``: Voronoi mosaic, class
shares of a Jiaxing-plain county, 12 zones and 150 parks) is written once, then measured in
the same run, each step in its own fresh Python process so that its peak memory is its own:

- ``read``: ``geopandas.read_file(path, layer="landuse")`` (pyogrio), the whole layer;
- ``space``: :func:`parkgeo.validate.space.measure_space` — every zone and park, by class,
  with exclusions, cover and overlaps — reading the survey tile by tile.

Usage::

    python scripts/bench/bench_space.py --polygons 500000 2000000 --dir /tmp/bench_space

Prints one line per size and a Markdown table for docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent

READ = """
import json, resource, time
import geopandas as gpd
t = time.perf_counter()
frame = gpd.read_file({path!r}, layer="landuse", engine="pyogrio")
s = time.perf_counter() - t
print(json.dumps({{"seconds": s, "rows": len(frame),
                  "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}}))
"""

SPACE = """
import json, resource, time
from parkgeo.read import read_dataset
from parkgeo.validate.space import measure_space
t = time.perf_counter()
ds = read_dataset({path!r})
res = measure_space(ds, batch={batch})
s = time.perf_counter() - t
print(json.dumps({{"seconds": s, "features": len(res.table), "tiles": res.tiles,
                  "read": res.features_read,
                  "developable_mu": float(res.table.developable_mu.sum()),
                  "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}}))
"""

DASK = """
import json, resource, time
from distributed import Client, LocalCluster
from parkgeo.read import read_dataset
from parkgeo.validate.space import measure_space

def peak():
    import resource
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024

t0 = time.perf_counter()
with LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                  dashboard_address=None) as cluster, Client(cluster) as client:
    started = time.perf_counter() - t0
    t = time.perf_counter()
    ds = read_dataset({path!r})
    res = measure_space(ds, batch={batch}, engine="dask", scheduler=cluster.scheduler_address)
    s = time.perf_counter() - t
    workers = client.run(peak)
print(json.dumps({{"seconds": s, "cluster_start": started, "tiles": res.tiles,
                  "developable_mu": float(res.table.developable_mu.sum()),
                  "peak_mb": peak(), "worker_peak_mb": max(workers.values())}}))
"""

BASE = """
import json, resource
import geopandas, parkgeo.validate.space
print(json.dumps({"peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
"""


def _run(code):
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--polygons", type=int, nargs="+", default=[100_000])
    ap.add_argument("--dir", default="/tmp/bench_space")
    ap.add_argument("--batch", type=int, default=50_000)
    ap.add_argument("--repeat", type=int, default=1, help="runs of each step (best is kept)")
    ap.add_argument("--dask", action="store_true",
                    help="also measure on a local dask.distributed cluster of 2 workers")
    args = ap.parse_args()
    sys.path.insert(0, str(HERE))
    from synth_landuse import write_survey

    folder = Path(args.dir)
    folder.mkdir(parents=True, exist_ok=True)
    base = _run(BASE)
    rows = []
    for n in args.polygons:
        path = folder / f"survey_{n}.gpkg"
        if not path.exists():
            t = time.perf_counter()
            write_survey(path, n)
            print(f"generated {n:,} polygons in {time.perf_counter() - t:.0f} s", flush=True)
        reads, spaces = [], []
        for _ in range(args.repeat):
            reads.append(_run(READ.format(path=str(path))))
            spaces.append(_run(SPACE.format(path=str(path), batch=args.batch)))
        r = min(reads, key=lambda x: x["seconds"])
        s = min(spaces, key=lambda x: x["seconds"])
        ratio = s["seconds"] / r["seconds"]
        print(f"{n:>10,} polygons: read {r['seconds']:.1f} s / {r['peak_mb']:.0f} MB; space "
              f"{s['seconds']:.1f} s / {s['peak_mb']:.0f} MB ({ratio:.2f}× the read; "
              f"{s['tiles']} tiles, {s['read']:,} polygons read)", flush=True)
        rows.append((n, r, s, ratio))
        if args.dask:
            d = min((_run(DASK.format(path=str(path), batch=args.batch))
                     for _ in range(args.repeat)), key=lambda x: x["seconds"])
            same = "identical" if d["developable_mu"] == s["developable_mu"] else "DIFFERENT"
            print(f"{'':>10}  dask (2 local workers): {d['seconds']:.1f} s "
                  f"({d['seconds'] / r['seconds']:.2f}× the read; cluster start "
                  f"{d['cluster_start']:.1f} s not counted), client {d['peak_mb']:.0f} MB, "
                  f"largest worker {d['worker_peak_mb']:.0f} MB; total developable mu {same}",
                  flush=True)
    print(f"\nimports alone: {base['peak_mb']:.0f} MB\n")
    print("| survey polygons | geopandas read | its peak memory | parkgeo space (all zones and "
          "parks) | its peak memory | space ÷ read |")
    print("|---:|---:|---:|---:|---:|---:|")
    for n, r, s, ratio in rows:
        print(f"| {n:,} | {r['seconds']:.1f} s | {r['peak_mb']:.0f} MB | {s['seconds']:.1f} s | "
              f"{s['peak_mb']:.0f} MB | {ratio:.2f}× |")


if __name__ == "__main__":
    main()
