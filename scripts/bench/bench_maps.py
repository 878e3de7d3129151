"""Benchmark the web maps at Zhejiang scale (≈90 counties, ≈3,000 parks).

Builds the synthetic province with ``scripts/bench/synth.py`` (real county polygons, synthetic
zones and parks), consolidates it with ``parkgeo.consolidate.integrate`` (or, with
``--no-integrate``, assigns parks by a simple rule only to get realistic layer sizes), and
renders the consolidation map. The baseline, in the same process: plain ``folium.GeoJson`` of the
same layers (counties, zones, parks with all their fields) with folium's defaults.

Prints, as ratios against the baseline: HTML size, and time to first render in headless
Chromium (navigation until every zone and park is drawn); then where the map's bytes go, per
component. Also checks that the display simplification broke no topology (the zones and parks
stay a valid coverage).

Usage::

    .venv/bin/python scripts/bench/bench_maps.py [--parks-per-county 33] [--no-integrate]
        [--save DIR]  # also keep the two HTML files
    .venv/bin/python scripts/bench/bench_maps.py --components MAP.html [MAP.html ...]
"""

from __future__ import annotations

import argparse
import json
import re
import statistics
import sys
import tempfile
import time
import warnings
from pathlib import Path

import geopandas as gpd
import pandas as pd
import shapely

ROOT = Path(__file__).resolve().parents[2]
sys.path[:0] = [str(ROOT), str(ROOT / "tests"), str(Path(__file__).parent)]

COUNTIES = ROOT.parent / "shared" / "data" / "china_counties_simplified.gpkg"
AREAS = "path.pg-main, path.pg-sub, path.pg-zone, path.pg-exit, path.pg-excluded"


def consolidated(layers, use_integrate):
    """The result layers: integrate's, or a simple nearest-zone rule when asked or unavailable."""
    if use_integrate:
        try:
            from parkgeo.consolidate.integrate import integrate
        except ImportError:
            use_integrate = False
    if use_integrate:
        res = integrate({k: v for k, v in layers.items() if k in ("zones", "parks", "counties")})
        out = {"zones": res.zones, "parks": res.parks, "platforms": res.platforms,
               "counties": layers["counties"]}
        return out, "integrate"
    zones, parks = layers["zones"].copy(), layers["parks"].copy()
    first = zones.groupby("county").head(1)
    # rule for rendering size only: every second park joins its county's first zone
    pid = parks["county"].map(dict(zip(first["county"], first["zone_id"], strict=False)))
    sub = (parks.index % 2 == 0) & pid.notna()
    parks["decision"] = ["sub_zone" if s else "exit" for s in sub]
    parks["platform_id"] = pid.where(sub, "")
    parks["reason"] = ["rule for the benchmark" for _ in sub]
    platforms = gpd.GeoDataFrame({
        "platform_id": first["zone_id"].values, "name": first["name"].values,
        "county": first["county"].values, "main_zone_id": first["zone_id"].values,
    }, geometry=first.geometry.values, crs=zones.crs)
    return {"zones": zones, "parks": parks, "platforms": platforms,
            "counties": layers["counties"]}, "simple rule"


def plain_folium(layers, *, offline=False):
    """The baseline: folium.GeoJson of the same layers, every field kept, folium's defaults.

    ``offline``: load only Leaflet and jQuery (inlinable), to time it in a browser with no
    network; the GeoJSON is the same.
    """
    import folium

    from parkgeo.publish.assets import OFFLINE_CSS, OFFLINE_JS

    m = folium.Map(tiles=None)
    if offline:
        m.default_js, m.default_css = list(OFFLINE_JS), list(OFFLINE_CSS)
    for name in ("counties", "zones", "parks"):
        frame = layers[name].to_crs(4326)
        frame = frame[[c for c in frame.columns
                       if c == "geometry" or frame[c].dtype.kind in "biufO"]]
        folium.GeoJson(frame.to_json(default=str), name=name).add_to(m)
    return m.get_root().render()


_INLINED = re.compile(r"<(script|style)>/\* ([^*]+?) \*/\n(.*?)</\1>", re.S)
_COLLECTION = re.compile(r"PG\.decode\((\{.*?\})\);\n")
_INIT = re.compile(r"PG\.init\((.*?)\);\n", re.S)


def components(html):
    """Bytes (UTF-8) of a parkgeo map page by component, in kB.

    Works on pages written by any parkgeo version whose layers are ``PG.decode({"f": [[record,
    geometry], ...]})``: records and geometry are measured as the page writes them.
    """
    size = len(html.encode())
    out = {"libraries (Leaflet, plugins; JS and CSS)": 0, "parkgeo.js and parkgeo.css": 0}
    for m in _INLINED.finditer(html):
        key = ("parkgeo.js and parkgeo.css" if "parkgeo" in m.group(2)
               else "libraries (Leaflet, plugins; JS and CSS)")
        out[key] += len(m.group(0).encode())
    start = html.find("/* parkgeo map runtime")
    init = _INIT.search(html)
    if start >= 0 and init:
        out["parkgeo.js and parkgeo.css"] += len(html[start:init.start()].encode())
        args = json.JSONDecoder()
        text, pos, parts = init.group(1), 0, []
        while pos < len(text):
            value, end = args.raw_decode(text, pos)
            parts.append(len(text[pos:end].encode()))
            pos = end + 2  # ", "
        out["labels, kind styles, platforms (PG.init)"] = sum(parts[:3])
        out["lexicon: shared names and sentence shapes"] = sum(parts[3:])
    geometry = records = 0
    for m in _COLLECTION.finditer(html):
        fc = m.group(1)
        for record, geom in json.loads(fc)["f"]:
            records += len(json.dumps(record, ensure_ascii=False, separators=(",", ":"))
                           .encode())
            geometry += len(json.dumps(geom, separators=(",", ":")).encode())
    out["feature records (text fields, indicators)"] = records
    out["geometry"] = geometry
    out["layer code, layer control, panels, page"] = size - sum(out.values())
    return {k: v / 1e3 for k, v in out.items()}, size / 1e6


def print_components(pages):
    """Print :func:`components` of ``{label: html}`` side by side."""
    parts = {label: components(html) for label, html in pages.items()}
    keys = list(next(iter(parts.values()))[0])
    print(f"{'kB':46}" + "".join(f"{label:>14}" for label in parts))
    for k in keys:
        print(f"{k:46}" + "".join(f"{p[0].get(k, 0):14.1f}" for p in parts.values()))
    print(f"{'total (MB)':46}" + "".join(f"{p[1]:14.3f}" for p in parts.values()))


def drawn_areas(html):
    """The zones and parks a map page draws, decoded from the page (WGS84 GeoSeries)."""
    from parkgeo.publish.display import decode_geometry

    geoms = []
    for m in _COLLECTION.finditer(html):
        for record, geom in json.loads(m.group(1))["f"]:
            if record.get("k") in ("main", "sub", "zone", "exit", "excluded"):
                geoms.append(shapely.geometry.shape(decode_geometry(geom)))
    return gpd.GeoSeries(geoms, crs=4326)


def time_to_render(html_path, n_expected, selector):
    from browser.helpers import browser, open_map

    with browser() as b:
        start = time.perf_counter()
        with open_map(b, html_path, wait_leaflet=False) as (page, log):
            page.wait_for_function(
                f"() => document.querySelectorAll({selector!r}).length >= {n_expected}",
                timeout=120_000)
            seconds = time.perf_counter() - start
            assert not log.page_errors, log.page_errors
    return seconds


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--parks-per-county", type=int, default=33)
    ap.add_argument("--no-integrate", action="store_true")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--repeat", type=int, default=3,
                    help="browser renders of each page (median reported)")
    ap.add_argument("--save", type=Path, help="folder to keep ours.html and plain.html in")
    ap.add_argument("--components", nargs="+", type=Path, metavar="MAP.html",
                    help="only print where the bytes of these map pages go")
    args = ap.parse_args(argv)
    if args.components:
        print_components({p.stem: p.read_text(encoding="utf-8") for p in args.components})
        return

    from synth import build_synthetic

    from parkgeo.publish.assets import inline_assets
    from parkgeo.publish.display import local_epsg
    from parkgeo.publish.elements import page_html
    from parkgeo.publish.result import drawable
    from parkgeo.publish.webmap import render_map

    t0 = time.perf_counter()
    data = build_synthetic(str(COUNTIES), province="浙江省", clean=True,
                           parks_per_county=args.parks_per_county, seed=args.seed)
    print(f"synthetic Zhejiang: {len(data['counties'])} counties, {len(data['zones'])} zones, "
          f"{len(data['parks'])} parks ({time.perf_counter() - t0:.1f} s)")
    t0 = time.perf_counter()
    layers, how = consolidated(data, not args.no_integrate)
    print(f"consolidated by {how}: {len(layers['platforms'])} platforms "
          f"({time.perf_counter() - t0:.1f} s)")

    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        t0 = time.perf_counter()
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            ours = page_html(render_map(layers))
        build_s = time.perf_counter() - t0
        for w in caught:
            print(f"  warning: {w.message}")
        t0 = time.perf_counter()
        plain = plain_folium(layers)
        plain_build_s = time.perf_counter() - t0
        # the baseline's scripts come from CDNs this machine cannot reach: inline them too so
        # the browser can time it (its size is reported as folium writes it)
        (tmp / "plain.html").write_text(inline_assets(plain_folium(layers, offline=True)),
                                        encoding="utf-8")
        (tmp / "ours.html").write_text(ours, encoding="utf-8")
        if args.save:
            args.save.mkdir(parents=True, exist_ok=True)
            (args.save / "ours.html").write_text(ours, encoding="utf-8")
            (args.save / "plain.html").write_text(plain, encoding="utf-8")
        ours_mb = len(ours.encode()) / 1e6
        plain_mb = len(plain.encode()) / 1e6
        n_areas = len(layers["zones"]) + len(layers["parks"])
        n_plain = n_areas + len(layers["counties"])
        ours_runs, plain_runs = [], []
        for _ in range(args.repeat):  # alternating, so both see the same machine load
            ours_runs.append(time_to_render(tmp / "ours.html", n_areas, AREAS))
            plain_runs.append(time_to_render(tmp / "plain.html", n_plain,
                                             "path.leaflet-interactive"))
        ours_s, plain_s = statistics.median(ours_runs), statistics.median(plain_runs)

    # topology: the zones and parks as the page draws them (decoded from its polylines) are
    # still a valid coverage
    res = drawable(layers)
    areas = gpd.GeoSeries(pd.concat([res.zones.geometry, res.parks.geometry],
                                    ignore_index=True), crs=4326)
    epsg = local_epsg(res.zones)
    valid_in = shapely.coverage_is_valid(areas.to_crs(epsg).values)
    shown = drawn_areas(ours)
    valid_out = shapely.coverage_is_valid(shown.to_crs(epsg).values)
    invalid = int((~shown.is_valid).sum())
    assert len(shown) == n_areas, (len(shown), n_areas)

    print()
    print(f"{'':28}{'parkgeo':>12}{'plain folium':>14}{'ratio':>8}")
    print(f"{'HTML size (MB)':28}{ours_mb:12.2f}{plain_mb:14.2f}{ours_mb / plain_mb:8.2f}")
    print(f"{'build in Python (s)':28}{build_s:12.2f}{plain_build_s:14.2f}"
          f"{build_s / plain_build_s:8.2f}")
    print(f"{'first render, Chromium (s)':28}{ours_s:12.2f}{plain_s:14.2f}"
          f"{ours_s / plain_s:8.2f}")
    print(f"  (median of {args.repeat}; parkgeo runs: "
          f"{', '.join(f'{x:.2f}' for x in ours_runs)}; plain: "
          f"{', '.join(f'{x:.2f}' for x in plain_runs)})")
    print()
    print_components({"parkgeo map": ours})
    print()
    print(f"coverage valid in the data / as drawn: {valid_in}/{valid_out}; "
          f"invalid drawn polygons: {invalid}")
    print(f"goals: size ≤ 30% of plain -> {'met' if ours_mb / plain_mb <= 0.30 else 'NOT met'}; "
          f"render ≤ 3 s -> {'met' if ours_s <= 3 else 'NOT met'}")


if __name__ == "__main__":
    main()
