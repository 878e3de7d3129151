"""Generate the bad-input corpus, ``tests/data/bad/``, and its manifest ``cases.toml``.

Every case is a complete dataset (``zones`` + ``parks`` + ``counties``) that is valid except for
the one problem planted in it, so a failure is about that problem and nothing else. The clean
base dataset (``base/``) integrates with exit status 0; it is also the input of the result-side
cases (``map``, ``invest-map``, ``report``, ``rank``, ``admit``), whose bad results (no
``platforms`` layer, not a result, truncated) are generated here too.

The manifest says, for each case: the input, which commands run it, their extra options, the
expected exit status and the words the message must contain (file, layer, feature, field and
the fix). ``tests/test_bad_inputs.py`` runs it; ``docs/robustness.md`` is written from it
(``--docs``).

Usage::

    .venv/bin/python scripts/make_bad_corpus.py            # regenerate tests/data/bad/
    .venv/bin/python scripts/make_bad_corpus.py --docs     # also rewrite docs/robustness.md

The output is deterministic: the same script writes the same files (GeoPackage timestamps
pinned, no spatial index, small SQLite pages so the folder stays small).
"""

from __future__ import annotations

import argparse
import json
import math
import shutil
import sqlite3
import struct
import sys
import zipfile
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pyogrio
import shapely

REPO = Path(__file__).resolve().parents[1]
OUT = REPO / "tests" / "data" / "bad"
DOCS = REPO / "docs" / "robustness.md"

EPSG = 4549  # CGCS2000 / 3-degree Gauss-Kruger CM 120E: the base data is stored in it
X0, Y0 = 570_000.0, 3_400_000.0  # near Jiaxing
FIXED_DATE = "2020-12-31T00:00:00.000Z"
SPACED = "园区 数据 2019"  # a folder name with spaces and Chinese characters

#: how each command is run; {input} the case's input, {out} a fresh output folder,
#: {projects} the projects file, {case} the case's folder
COMMANDS = {
    "validate": ["validate", "{input}", "--json", "{out}/findings.json"],
    "integrate": ["integrate", "{input}", "--out", "{out}/result.gpkg", "--json",
                  "{out}/report.json"],
    "map": ["map", "{input}", "--out", "{out}/map.html"],
    "invest-map": ["invest-map", "{input}", "--out", "{out}/invest.html"],
    "report": ["report", "{input}", "--out", "{out}/report.xlsx"],
    "rank": ["rank", "{input}", "--out", "{out}/ranking.csv"],
    "admit": ["admit", "{input}", "{projects}", "--out", "{out}/admission.csv"],
}
DATASET_COMMANDS = ("validate", "integrate")
RESULT_COMMANDS = ("map", "invest-map", "report", "rank", "admit")
ALL_COMMANDS = DATASET_COMMANDS + RESULT_COMMANDS


# ------------------------------------------------------------------------------------------
# the clean base dataset
# ------------------------------------------------------------------------------------------


def sq(x, y, side):
    """A square (metres, EPSG:4549) with its lower-left corner at (X0 + x, Y0 + y)."""
    return shapely.box(X0 + x, Y0 + y, X0 + x + side, Y0 + y + side)


def base_layers():
    """Two counties, each with one national zone and three parks; integrates with exit 0.

    Per county the zone and its two related, conforming parks reach R4 (≥ 10,000 mu, ≥ 80 亿元)
    and the third park does not conform to the plan (R10), which fills the R11 quota of 1.
    """
    zones = gpd.GeoDataFrame({
        "zone_id": ["Z1", "Z2"],
        "name": ["南湖示例经济开发区", "平湖示例经济开发区"],
        "county": ["南湖区", "平湖市"],
        "level": ["national", "national"],
        "approved_area_ha": [150.0, 150.0],
        "industries": ["C38;C39", "C36;C34"],
        "developable_mu": [9000.0, 9000.0],
        "industrial_va_100m": [70.0, 70.0],
        "industrial_output_100m": [400.0, 380.0],
        "tax_100m": [25.0, 22.0],
        "contact_name": ["招商局 王先生", "招商局 李女士"],
        "contact_phone": ["0573-0000-0001", "0573-0000-0002"],
    }, geometry=[sq(0, 0, 1000), sq(12_000, 0, 1000)], crs=EPSG)
    parks = gpd.GeoDataFrame({
        "park_id": ["P1", "P2", "P3", "P4", "P5", "P6"],
        "name": ["凤桥镇工业园区", "余新镇工业园区", "新丰镇工业园区",
                 "新埭镇工业园区", "林埭镇工业园区", "广陈镇工业园区"],
        "county": ["南湖区"] * 3 + ["平湖市"] * 3,
        "town": ["凤桥镇", "余新镇", "新丰镇", "新埭镇", "林埭镇", "广陈镇"],
        "park_type": ["town_park"] * 6,
        "industries": ["C38", "C39", "C17", "C36", "C34", "C30"],
        "conforms_to_plan": [True, True, False, True, True, False],
        "hazard": ["none"] * 6,
        "developable_mu": [1500.0, 800.0, 300.0, 1200.0, 900.0, 250.0],
        "industrial_va_100m": [9.0, 5.0, 1.0, 8.0, 6.0, 1.0],
    }, geometry=[sq(2000, 0, 500), sq(3000, 0, 500), sq(4000, 1000, 400),
                 sq(14_000, 0, 500), sq(15_000, 0, 500), sq(16_000, 1000, 400)], crs=EPSG)
    counties = gpd.GeoDataFrame(
        {"name": ["南湖区", "平湖市"]},
        geometry=[shapely.box(X0 - 2000, Y0 - 3000, X0 + 10_000, Y0 + 5000),
                  shapely.box(X0 + 10_000, Y0 - 3000, X0 + 22_000, Y0 + 5000)], crs=EPSG)
    plots = gpd.GeoDataFrame({
        "plot_id": ["L1", "L2"], "owner_id": ["Z1", "Z2"], "area_mu": [120.0, 90.0],
        "land_use": ["工业用地", "工业用地"], "status": ["available", "reserved"],
    }, geometry=[sq(100, 100, 300), sq(12_100, 100, 300)], crs=EPSG)
    return {"zones": zones, "parks": parks, "counties": counties, "plots": plots}


def monitoring_table():
    """Quarterly figures 2019Q1–2020Q4 for both platforms (R15), so ``rank`` has a year."""
    rows = []
    for k, pid in enumerate(("Z1", "Z2")):
        for year in (2019, 2020):
            for q in range(1, 5):
                f = 1 + 0.02 * q + 0.1 * (year - 2019) - 0.05 * k
                rows.append({
                    "platform_id": pid, "period": f"{year}Q{q}",
                    "industrial_output_100m": round(100 * f, 2),
                    "industrial_va_100m": round(21 * f, 2), "tax_100m": round(6 * f, 2),
                    "industrial_land_mu": 10_000, "employees": round(9000 * f),
                    "energy_tce": round(40_000 * f), "emissions_t": round(90_000 * f),
                    "rd_share": 0.03, "high_tech_va_share": 0.45,
                    "investment_100m": round(8 * f, 2), "large_projects": q % 2 + 1,
                })
    return pd.DataFrame(rows)


def projects_layer():
    """Three projects: one in platform Z1, one in the exit park P3, one outside every platform."""
    return gpd.GeoDataFrame({
        "project_id": ["J1", "J2", "J3"],
        "name": ["光伏组件项目", "纺织项目", "化工项目"],
        "industries": ["C38", "C17", "C26"],
        "investment_10k_yuan": [50_000.0, 8000.0, 30_000.0],
        "land_mu": [100.0, 40.0, 80.0],
        "energy_tce": [2000.0, 900.0, 9000.0],
        "expected_tax_10k_yuan": [4000.0, 300.0, 2000.0],
        "expected_output_10k_yuan": [90_000.0, 6000.0, 40_000.0],
        "project_type": ["new", "new", "new"],
    }, geometry=[shapely.Point(X0 + 500, Y0 + 500), shapely.Point(X0 + 4200, Y0 + 1200),
                 shapely.Point(X0 + 7000, Y0 + 4000)], crs=EPSG)


# ------------------------------------------------------------------------------------------
# writers
# ------------------------------------------------------------------------------------------


def _reset(path):
    path = Path(path)
    if path.is_dir():
        shutil.rmtree(path)
    elif path.exists():
        path.unlink()


def write_geojson(folder, layers, *, table=None):
    """A folder of ``<layer>.geojson`` files (plus ``monitoring.csv`` when ``table`` is given)."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    for name, frame in layers.items():
        pyogrio.write_dataframe(frame, folder / f"{name}.geojson", driver="GeoJSON",
                                layer_options={"COORDINATE_PRECISION": 3, "WRITE_NAME": "NO"})
    if table is not None:
        table.to_csv(folder / "monitoring.csv", index=False)
    return folder


def write_geojson_text(folder, name, features, *, epsg=EPSG):
    """A GeoJSON file written by hand, for geometries no library writes (an unclosed ring)."""
    doc = {"type": "FeatureCollection",
           "crs": {"type": "name", "properties": {"name": f"urn:ogc:def:crs:EPSG::{epsg}"}},
           "features": features}
    (Path(folder) / f"{name}.geojson").write_text(json.dumps(doc, ensure_ascii=False, indent=1),
                                                 encoding="utf-8")


def features_of(frame):
    """GeoJSON features of a GeoDataFrame (properties as plain Python values)."""
    return json.loads(frame.to_json(drop_id=True))["features"]


def write_gpkg(path, layers, *, table=None):
    """A compact GeoPackage: no spatial index, 512-byte pages, pinned timestamps."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    pyogrio.set_gdal_config_options({"OGR_CURRENT_DATE": FIXED_DATE})
    try:
        for name, frame in layers.items():
            kwargs = {}
            types = set(frame.geometry.geom_type.dropna()) if isinstance(
                frame, gpd.GeoDataFrame) else set()
            if len(types) > 1:
                kwargs = {"promote_to_multi": False, "geometry_type": "Unknown"}
            pyogrio.write_dataframe(frame, path, layer=name, driver="GPKG",
                                    layer_options={"SPATIAL_INDEX": "NO"}, **kwargs)
        if table is not None:
            pyogrio.write_dataframe(table, path, layer="monitoring", driver="GPKG")
    finally:
        pyogrio.set_gdal_config_options({"OGR_CURRENT_DATE": None})
    compact_sqlite(path)
    return path


def compact_sqlite(path):
    """VACUUM with 512-byte pages: a two-layer GeoPackage shrinks from ~80 KB to ~20 KB."""
    con = sqlite3.connect(path)
    try:
        con.execute("PRAGMA page_size=512")
        con.execute("VACUUM")
    finally:
        con.close()


def write_shapefiles(folder, layers, *, encoding="UTF-8", cpg=True, prj=True):
    """A folder of Shapefiles, attributes in ``encoding``; drop ``.cpg``/``.prj`` to order."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    from parkgeo.read.fields import SHORT_ALIASES

    # names cut to 10 characters the way town offices' files have them: the contract's aliases
    short = {**SHORT_ALIASES, "contact_name": "contact", "contact_phone": "phone"}
    for name, frame in layers.items():
        target = folder / f"{name}.shp"
        frame = frame.rename(columns={c: short[c] for c in frame.columns if c in short})
        pyogrio.write_dataframe(frame, target, driver="ESRI Shapefile", encoding=encoding)
        if not cpg:
            target.with_suffix(".cpg").unlink(missing_ok=True)
        else:
            # GDAL writes the code page it was given; town offices' files say "GBK" or "936"
            target.with_suffix(".cpg").write_text(encoding, encoding="ascii")
        if not prj:
            target.with_suffix(".prj").unlink(missing_ok=True)
    return folder


def set_zm(path, layer, wkb_by_fid):
    """Store XYZM geometries in a GeoPackage layer by hand.

    pyogrio writes Z but not M (it rejects measured WKB), so the GeoPackage geometry blobs are
    built here: the 8-byte ``GP`` header without envelope, then ISO WKB, and the layer's
    geometry column is declared with z = m = 1 (GeoPackage 1.3, clause 2.1.3).
    """
    con = sqlite3.connect(path)
    try:
        srs = con.execute("SELECT srs_id FROM gpkg_geometry_columns WHERE table_name=?",
                          (layer,)).fetchone()[0]
        for fid, wkb in wkb_by_fid.items():
            blob = b"GP" + bytes([0, 0b00000001]) + struct.pack("<i", srs) + wkb
            con.execute(f'UPDATE "{layer}" SET geom=? WHERE fid=?', (blob, fid))
        con.execute("UPDATE gpkg_geometry_columns SET z=1, m=1 WHERE table_name=?", (layer,))
        con.commit()
    finally:
        con.close()


# ------------------------------------------------------------------------------------------
# the cases
# ------------------------------------------------------------------------------------------

CASES = []


def case(id, title, *, input=None, runs, out="fresh", projects="projects.geojson", note="",
         control=False):
    """Register a case: ``runs`` maps a command to (exit, words[, extra args]).

    ``control``: clean input, the baseline the bad cases differ from (not counted as bad).
    """
    entry = {"id": id, "title": title, "input": input if input is not None else id,
             "projects": projects, "out": out, "note": note, "control": control, "runs": {}}
    for cmd, spec in runs.items():
        entry["runs"][cmd] = {"exit": spec[0], "words": list(spec[1]),
                              "args": list(spec[2]) if len(spec) > 2 else []}
    CASES.append(entry)
    return entry


def dataset_runs(validate, integrate):
    return {"validate": validate, "integrate": integrate}


def with_parks(**changes):
    """The base layers with some park attributes changed: ``changes[field] = {index: value}``."""
    layers = base_layers()
    parks = layers["parks"].astype({c: object for c in changes if c in layers["parks"]})
    for field, values in changes.items():
        if field not in parks:
            parks[field] = None
        for i, v in values.items():
            parks.at[i, field] = v
    layers["parks"] = parks
    return layers


def build(out_dir):
    """Write every case's files into ``out_dir``; return the manifest entries."""
    CASES.clear()
    b = base_layers()

    # --- the control: clean data, every command succeeds ----------------------------------
    write_geojson(out_dir / "base", b, table=monitoring_table())
    write_geojson(out_dir, {"projects": projects_layer()})
    case("base", "Clean dataset (the control every other case differs from by one problem)",
         runs={"validate": (0, ["No findings"]), "integrate": (0, ["wrote", "result.gpkg"])},
         control=True)
    case("base_result", "Clean consolidation result", input="{result}",
         runs={c: (0, []) for c in RESULT_COMMANDS}, control=True)

    # --- CRS --------------------------------------------------------------------------------
    write_shapefiles(out_dir / "no_crs", b, prj=False)
    case("no_crs", "Shapefiles without .prj (no CRS)", runs=dataset_runs(
        (1, ["missing_crs", "zones: the layer has no CRS", "--src-crs EPSG:4549"]),
        (2, ["no_crs/counties.shp", "layer 'counties'", "no CRS", "--src-crs EPSG:4549",
             "3 more errors", "parkgeo validate"])))
    case("no_crs_declared", "Shapefiles without .prj, CRS declared with --src-crs",
         input="no_crs", runs=dataset_runs(
             (0, ["No findings"], ["--src-crs", "EPSG:4549"]),
             (0, ["wrote"], ["--src-crs", "EPSG:4549"])))

    wrong = {k: v.set_crs(4326, allow_override=True) for k, v in b.items()}
    write_geojson(out_dir / "projected_as_4326", wrong)
    case("projected_as_4326", "Projected coordinates (metres) labelled EPSG:4326",
         runs=dataset_runs((1, ["wrong_crs", "metres, not degrees", "EPSG:4549"]),
                           (2, ["counties.geojson", "layer 'counties'", "metres, not degrees",
                                "--src-crs EPSG:4549"])))
    case("projected_as_4326_declared", "Projected coordinates labelled EPSG:4326, the right "
         "CRS given with --src-crs", input="projected_as_4326", runs=dataset_runs(
             (0, ["No findings", "using --src-crs EPSG:4549"], ["--src-crs", "EPSG:4549"]),
             (0, ["wrote", "using --src-crs EPSG:4549"], ["--src-crs", "EPSG:4549"])))

    swapped = {}
    for k, v in b.items():
        ll = v.to_crs(4490)
        ll = ll.set_geometry(shapely.transform(ll.geometry.values, lambda c: c[:, ::-1]))
        swapped[k] = ll
    write_geojson(out_dir / "lonlat_swapped", swapped)
    case("lonlat_swapped", "Longitude and latitude swapped (EPSG:4490 declared)",
         runs=dataset_runs((1, ["wrong_crs", "swapped", "swap X and Y"]),
                           (2, ["counties.geojson", "layer 'counties'", "swapped",
                                "swap X and Y"])))

    # --- encodings --------------------------------------------------------------------------
    write_shapefiles(out_dir / "gbk_with_cpg", b, encoding="GBK")
    case("gbk_with_cpg", "GBK Shapefiles with a .cpg naming GBK",
         runs=dataset_runs((0, ["No findings", "GBK (from .cpg)"]),
                           (0, ["GBK (from .cpg)", "wrote"])))
    write_shapefiles(out_dir / "gbk_without_cpg", b, encoding="GBK", cpg=False)
    case("gbk_without_cpg", "GBK Shapefiles without a .cpg",
         runs=dataset_runs((0, ["No findings", "GB18030"]), (0, ["GB18030", "wrote"])))

    folder = out_dir / "prj_only"
    folder.mkdir(parents=True, exist_ok=True)
    crs_wkt = b["zones"].crs.to_wkt("WKT1_ESRI")
    for name in ("zones", "parks", "counties"):
        (folder / f"{name}.prj").write_text(crs_wkt, encoding="ascii")
    case("prj_only", "A folder holding only the .prj files of the Shapefiles",
         runs=dataset_runs((2, ["prj_only", ".prj", ".shp"]), (2, ["prj_only", ".prj", ".shp"])))

    # --- field names ----------------------------------------------------------------------
    zh = {"park_id": "园区序号", "name": "园区全称", "county": "所在区县", "town": "所在乡镇",
          "park_type": "园区性质", "industries": "主导产业门类", "conforms_to_plan": "符合规划布局",
          "hazard": "隐患等级", "developable_mu": "剩余可开发亩数",
          "industrial_va_100m": "规上增加值亿"}
    layers = base_layers()
    layers["parks"] = layers["parks"].rename(columns=zh)
    write_geojson(out_dir / "chinese_fields", layers)
    mapping = "[fields.parks]\n" + "".join(f'{k} = "{v}"\n' for k, v in zh.items())
    (out_dir / "chinese_fields" / "fields.toml").write_text(
        "# the scenario's field mapping: contract name = source name\n" + mapping,
        encoding="utf-8")
    case("chinese_fields", "Chinese field names that parkgeo does not know, no mapping",
         runs=dataset_runs(
             (1, ["missing_field", "park_id", "[fields.parks]"]),
             (2, ["parks.geojson", "layer 'parks'", "field 'park_id'", "[fields.parks]"])))
    case("chinese_fields_mapped", "Chinese field names mapped in the scenario's [fields]",
         input="chinese_fields", runs=dataset_runs(
             (0, ["No findings"], ["--config", "{case}/fields.toml"]),
             (0, ["wrote"], ["--config", "{case}/fields.toml"])))

    # --- ids and layers -------------------------------------------------------------------
    write_geojson(out_dir / "duplicate_ids", with_parks(park_id={1: "P1"}))
    case("duplicate_ids", "Two parks with the same park_id",
         runs=dataset_runs((1, ["duplicate_id", "P1"]),
                           (2, ["parks.geojson", "layer 'parks'", "'P1'", "park_id", "unique"])))

    layers = base_layers()
    folder = write_geojson(out_dir / "empty_layer", {k: v for k, v in layers.items()
                                                     if k != "parks"})
    write_geojson_text(folder, "parks", [])
    case("empty_layer", "The parks layer has no features",
         runs=dataset_runs((1, ["empty_layer", "parks"]),
                           (2, ["parks.geojson", "layer 'parks'", "no features"])))

    layers = base_layers()
    write_geojson(out_dir / "missing_layer", {k: v for k, v in layers.items() if k != "parks"})
    case("missing_layer", "No parks layer at all",
         runs=dataset_runs((1, ["missing_layer", "parks"]),
                           (2, ["missing_layer", "layer 'parks'", "is missing"])))

    layers = base_layers()
    layers["parks"] = layers["parks"].drop(columns=["conforms_to_plan"])
    write_geojson(out_dir / "missing_field", layers)
    case("missing_field", "A required field (conforms_to_plan) is missing",
         runs=dataset_runs((1, ["missing_field", "conforms_to_plan"]),
                           (2, ["parks.geojson", "layer 'parks'", "field 'conforms_to_plan'",
                                "is missing"])))

    # --- geometry -------------------------------------------------------------------------
    layers = base_layers()
    parks = layers["parks"].copy()
    parks.loc[1, "geometry"] = None
    write_gpkg(out_dir / "null_geometry.gpkg", {**layers, "parks": parks})
    case("null_geometry", "A park without geometry (NULL)", input="null_geometry.gpkg",
         runs=dataset_runs((1, ["empty_geometry", "P2"]),
                           (2, ["null_geometry.gpkg", "parks", "P2", "no geometry"])))

    parks = layers["parks"].copy()
    parks.loc[1, "geometry"] = shapely.Polygon()
    write_gpkg(out_dir / "empty_geometry.gpkg", {**layers, "parks": parks})
    case("empty_geometry", "A park whose polygon is empty", input="empty_geometry.gpkg",
         runs=dataset_runs((1, ["empty_geometry", "P2"]),
                           (2, ["empty_geometry.gpkg", "parks", "P2", "empty"])))

    parks = layers["parks"].copy()
    parks["geometry"] = parks.geometry.centroid
    write_geojson(out_dir / "points_for_polygons", {**layers, "parks": parks})
    case("points_for_polygons", "Parks stored as points", runs=dataset_runs(
        (1, ["wrong_geometry_type", "a point", "P1"]),
        (2, ["parks.geojson", "layer 'parks'", "feature 'P1'", "a point", "Polygon"])))

    parks = layers["parks"].copy()
    parks["geometry"] = parks.geometry.boundary
    write_geojson(out_dir / "lines_for_polygons", {**layers, "parks": parks})
    case("lines_for_polygons", "Parks stored as lines (their outlines)", runs=dataset_runs(
        (1, ["wrong_geometry_type", "a line", "P1"]),
        (2, ["parks.geojson", "layer 'parks'", "feature 'P1'", "a line", "Polygon"])))

    parks = layers["parks"].copy()
    g = parks.geometry.iloc[1]
    parks.loc[1, "geometry"] = shapely.GeometryCollection([g, shapely.Point(X0 + 3100, Y0 + 700)])
    write_geojson(out_dir / "geometry_collection", {**layers, "parks": parks})
    case("geometry_collection", "A park stored as a GeometryCollection (polygon + point)",
         runs=dataset_runs((1, ["wrong_geometry_type", "geometry collection", "P2"]),
                           (2, ["parks.geojson", "layer 'parks'", "feature 'P2'",
                                "geometry collection"])))

    path = write_gpkg(out_dir / "z_m_coordinates.gpkg", layers)
    zm = {}
    for fid, geom in enumerate(layers["zones"].geometry, start=1):
        coords = shapely.get_coordinates(geom)
        ring = ", ".join(f"{x} {y} 3.5 {k}" for k, (x, y) in enumerate(coords))
        zm[fid] = shapely.to_wkb(shapely.from_wkt(f"POLYGON ZM (({ring}))"), flavor="iso",
                                 byte_order=1)
    set_zm(path, "zones", zm)
    compact_sqlite(path)
    case("z_m_coordinates", "Zones with Z and M coordinates (XYZM)", input="z_m_coordinates.gpkg",
         runs=dataset_runs((0, ["No findings", "Measured (M)"]), (0, ["wrote", "Measured (M)"])),
         note="GDAL drops the M values while reading, with a warning naming the file; Z is kept "
              "and ignored for areas and distances")

    parks = layers["parks"].copy()
    x, y = X0 + 3000, Y0
    parks.loc[1, "geometry"] = shapely.Polygon([(x, y), (x + 500, y + 500), (x + 500, y),
                                                (x, y + 500), (x, y)])
    write_geojson(out_dir / "bowtie", {**layers, "parks": parks})
    case("bowtie", "A self-intersecting (bow-tie) park polygon", runs=dataset_runs(
        (1, ["invalid_geometry", "P2", "Self-intersection"]),
        (2, ["parks.geojson", "parks", "P2", "invalid_geometry"])))

    folder = write_geojson(out_dir / "ring_not_closed",
                           {k: v for k, v in layers.items() if k != "parks"})
    feats = features_of(layers["parks"])
    ring = feats[1]["geometry"]["coordinates"][0]
    feats[1]["geometry"]["coordinates"][0] = ring[:-1]  # drop the closing vertex
    write_geojson_text(folder, "parks", feats)
    case("ring_not_closed", "A park ring whose last vertex is not its first (GeoJSON by hand)",
         runs=dataset_runs((1, ["invalid_geometry", "P2", "close the ring"]),
                           (2, ["parks.geojson", "layer 'parks'", "feature 'P2'",
                                "close the ring"])))

    parks = layers["parks"].copy()
    n = 20_000
    cx, cy = X0 + 2250, Y0 + 250
    angles = [2 * math.pi * k / n for k in range(n)]
    parks.loc[0, "geometry"] = shapely.Polygon(
        [(round(cx + 250 * math.cos(a) * (1 + 0.02 * math.sin(40 * a)), 2),
          round(cy + 250 * math.sin(a) * (1 + 0.02 * math.sin(40 * a)), 2)) for a in angles])
    write_gpkg(out_dir / "vertices_20000.gpkg", {**layers, "parks": parks})
    case("vertices_20000", "A park polygon with 20,000 vertices", input="vertices_20000.gpkg",
         runs=dataset_runs((0, ["No findings"]), (0, ["wrote"])))

    parks = layers["parks"].copy()
    # 40 m squares (2.4 mu each, above the 1 mu sliver limit) 5 m apart
    cells = [shapely.box(X0 + 2000 + 45 * (k % 20), Y0 + 45 * (k // 20),
                         X0 + 2000 + 45 * (k % 20) + 40, Y0 + 45 * (k // 20) + 40)
             for k in range(500)]
    parks.loc[0, "geometry"] = shapely.MultiPolygon(cells)
    write_gpkg(out_dir / "multipolygon_500.gpkg", {**layers, "parks": parks})
    case("multipolygon_500", "A park that is a MultiPolygon of 500 parts",
         input="multipolygon_500.gpkg", runs=dataset_runs((0, ["No findings"]), (0, ["wrote"])))

    parks = layers["parks"].copy()
    outer = parks.geometry.iloc[0]
    holes = [shapely.box(X0 + 2100, Y0 + 100, X0 + 2200, Y0 + 200).exterior.coords,
             shapely.box(X0 + 2300, Y0 + 300, X0 + 2400, Y0 + 400).exterior.coords]
    parks.loc[0, "geometry"] = shapely.Polygon(outer.exterior.coords, holes)
    write_geojson(out_dir / "holes", {**layers, "parks": parks})
    case("holes", "A park polygon with two holes", runs=dataset_runs(
        (0, ["No findings"]), (0, ["wrote"])))

    parks = layers["parks"].copy()
    parks.loc[1, "geometry"] = shapely.box(X0 + 9800, Y0, X0 + 10_300, Y0 + 500)
    write_geojson(out_dir / "two_counties", {**layers, "parks": parks})
    case("two_counties", "A park spanning two counties", runs=dataset_runs(
        (1, ["outside_county", "P2", "平湖市"]),
        (2, ["parks", "P2", "outside_county"])))

    # --- values ---------------------------------------------------------------------------
    write_geojson(out_dir / "numbers_as_text", with_parks(
        developable_mu={0: "1,500", 1: "800", 2: " 300 ", 3: "１２００", 4: "900.0", 5: "250"}))
    case("numbers_as_text", "Numbers stored as text ('1,500', full-width digits)",
         runs=dataset_runs((0, ["No findings"]), (0, ["wrote"])))
    write_geojson(out_dir / "number_with_words", with_parks(developable_mu={1: "about 1500"}))
    case("number_with_words", "'about 1500' in developable_mu", runs=dataset_runs(
        (1, ["bad_value", "P2", "developable_mu", "about 1500"]),
        (2, ["parks.geojson", "layer 'parks'", "feature 'P2'", "field 'developable_mu'",
             "about 1500"])))
    write_geojson(out_dir / "nan_text", with_parks(industrial_va_100m={1: "NaN"}))
    case("nan_text", "'NaN' in industrial_va_100m", runs=dataset_runs(
        (1, ["bad_value", "P2", "industrial_va_100m"]),
        (2, ["parks.geojson", "feature 'P2'", "field 'industrial_va_100m'", "NaN"])))
    write_geojson(out_dir / "null_required", with_parks(developable_mu={1: None}))
    case("null_required", "An empty (null) required number", runs=dataset_runs(
        (1, ["bad_value", "P2", "developable_mu"]),
        (2, ["parks.geojson", "feature 'P2'", "field 'developable_mu'", "empty"])))
    write_geojson(out_dir / "negative", with_parks(developable_mu={1: -300.0}))
    case("negative", "A negative developable_mu", runs=dataset_runs(
        (1, ["bad_value", "P2", "developable_mu", "-300"]),
        (2, ["parks.geojson", "feature 'P2'", "field 'developable_mu'", "-300"])))
    write_geojson(out_dir / "absurdly_large", with_parks(industrial_va_100m={1: 1e15}))
    case("absurdly_large", "An absurdly large industrial_va_100m (1e15 亿元)", runs=dataset_runs(
        (1, ["bad_value", "P2", "industrial_va_100m", "implausibly large"]),
        (2, ["parks.geojson", "feature 'P2'", "field 'industrial_va_100m'", "unit"])))
    write_geojson(out_dir / "booleans_chinese", with_parks(
        conforms_to_plan={0: "是", 1: "是", 2: "否", 3: "是", 4: "是", 5: "否"}))
    case("booleans_chinese", "Booleans written 是/否", runs=dataset_runs(
        (0, ["No findings"]), (0, ["wrote"])))
    write_geojson(out_dir / "boolean_bad", with_parks(conforms_to_plan={1: "maybe"}))
    case("boolean_bad", "A boolean that is neither yes nor no ('maybe')", runs=dataset_runs(
        (1, ["bad_value", "P2", "conforms_to_plan", "maybe"]),
        (2, ["parks.geojson", "feature 'P2'", "field 'conforms_to_plan'", "是/否"])))

    layers = base_layers()
    layers["parks"] = layers["parks"].assign(fid=["A-01", "A-02", "A-03", "B-01", "B-02",
                                                  "B-03"])
    write_geojson(out_dir / "fid_field", layers)
    case("fid_field", "An extra text field named 'fid' (reserved in GeoPackage)",
         runs=dataset_runs((0, ["No findings"]), (0, ["wrote", "fid_source"])),
         note="the field is kept; in the result GeoPackage it is written as 'fid_source'")

    # --- files ----------------------------------------------------------------------------
    gpkg = write_gpkg(out_dir / "_base.gpkg", b)
    data = gpkg.read_bytes()
    (out_dir / "truncated.gpkg").write_bytes(data[: len(data) // 3])
    gpkg.unlink()
    generic = {"validate": 2, "integrate": 2, **{c: 2 for c in RESULT_COMMANDS}}
    case("truncated_gpkg", "A GeoPackage cut off at a third of its size",
         input="truncated.gpkg",
         runs={c: (e, ["truncated.gpkg", "truncated or damaged"]) for c, e in generic.items()})

    with zipfile.ZipFile(out_dir / "really_a_zip.gpkg", "w", zipfile.ZIP_DEFLATED) as z:
        for f in sorted((out_dir / "base").iterdir()):
            z.writestr(zinfo(f"base/{f.name}"), f.read_bytes())
    case("zip_as_gpkg", "A .gpkg that is really a ZIP archive", input="really_a_zip.gpkg",
         runs={c: (e, ["really_a_zip.gpkg", "ZIP archive", "unzip"]) for c, e in generic.items()})

    # --- formats as delivered: File Geodatabase, ZIP archives -----------------------------
    gdb = out_dir / "gdb" / "园区.gdb"
    write_gdb(gdb, {("开发区" if k == "zones" else k): v for k, v in b.items()})
    (out_dir / "gdb" / "layers.toml").write_text(
        "# the feature class that holds the zones has a Chinese name\n"
        "[layers]\nzones = \"开发区\"\n", encoding="utf-8")
    gdb_args = ["--config", "{case}/../layers.toml"]
    case("gdb", "An ArcGIS File Geodatabase, the zones feature class named 开发区 and mapped",
         input="gdb/园区.gdb", runs=dataset_runs((0, ["No findings"], gdb_args),
                                                 (0, ["wrote"], gdb_args)))
    case("gdb_unmapped", "A File Geodatabase whose zones feature class has another name",
         input="gdb/园区.gdb", runs=dataset_runs(
             (1, ["missing_layer", "开发区", "[layers] zones"]),
             (2, ["layer 'zones'", "is missing", "开发区", "[layers] zones"])))
    plain = write_gdb(out_dir / "_gdb" / "园区.gdb", b)
    zip_tree(out_dir / "园区.gdb.zip", plain, "园区.gdb")
    shutil.rmtree(plain.parent)
    case("gdb_zip", "A zipped File Geodatabase (.gdb.zip as ArcGIS users send it)",
         input="园区.gdb.zip", runs=dataset_runs((0, ["No findings"]), (0, ["wrote"])))
    shp = write_shapefiles(out_dir / "_shp", b, encoding="GBK")
    zip_tree(out_dir / "shapefiles.zip", shp, "园区数据")
    shutil.rmtree(shp)
    case("shapefile_zip", "A ZIP of GBK Shapefiles in a Chinese-named folder",
         input="shapefiles.zip", runs=dataset_runs((0, ["No findings", "GBK (from .cpg)"]),
                                                   (0, ["wrote", "GBK (from .cpg)"])))
    folder = out_dir / "not_a.gdb"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "说明.txt").write_text("导出失败\n", encoding="utf-8")
    case("not_a_gdb", "A folder named .gdb that is not a File Geodatabase",
         input="not_a.gdb", runs=dataset_runs(
             (2, ["not_a.gdb", "not a File Geodatabase", ".gdbtable"]),
             (2, ["not_a.gdb", "not a File Geodatabase", ".gdbtable"])))
    with zipfile.ZipFile(out_dir / "nothing.zip", "w") as z:
        z.writestr(zinfo("资料/说明.txt"), "园区边界见附件\n")
        z.writestr(zinfo("资料/边界.pdf"), b"%PDF-1.4\n")
    case("zip_nothing_readable", "A ZIP archive holding no vector data", input="nothing.zip",
         runs=dataset_runs((2, ["nothing.zip", "holds nothing parkgeo can read", ".gdb"]),
                           (2, ["nothing.zip", "holds nothing parkgeo can read", ".gdb"])))

    # --- statistics kept apart from the shapes: [join.parks] ------------------------------
    stats = ["developable_mu", "industrial_va_100m"]
    for name, rows in (("join_duplicate_ids", [0, 1, 1, 2, 3, 4, 5]),
                       ("join_unmatched", [0, 1, 3, 4, 5])):
        layers = base_layers()
        table = layers["parks"][["park_id", *stats]].iloc[rows].rename(
            columns={"park_id": "园区编码"})
        if name == "join_unmatched":
            extra = pd.DataFrame({"园区编码": ["P9"], "developable_mu": [100.0],
                                  "industrial_va_100m": [1.0]})
            table = pd.concat([table, extra], ignore_index=True)
            # P3 has no row: the table brings industrial_va_100m, the layer keeps the rest
            layers["parks"] = layers["parks"].drop(columns=["industrial_va_100m"])
            table = table.drop(columns=["developable_mu"])
        else:
            layers["parks"] = layers["parks"].drop(columns=stats)
        folder = write_geojson(out_dir / name, layers)
        table.to_csv(folder / "园区统计.csv", index=False, encoding="utf-8")
        (folder / "join.toml").write_text(
            "[join.parks]\ntable = \"园区统计.csv\"\non = \"park_id\"\n"
            "table_on = \"园区编码\"\n", encoding="utf-8")
    join_args = ["--config", "{case}/join.toml"]
    case("join_duplicate_ids", "A statistics table joined by park_id that lists P2 twice",
         runs=dataset_runs(
             (2, ["园区统计.csv", "field '园区编码'", "'P2'", "2 rows", "duplicates"], join_args),
             (2, ["园区统计.csv", "field '园区编码'", "'P2'", "2 rows", "duplicates"],
              join_args)))
    case("join_unmatched", "A statistics table without a row for P3 and with an unknown P9",
         runs=dataset_runs(
             (1, ["join_unmatched", "no row in 园区统计.csv: P3", "no feature of 'parks': P9",
                  "industrial_va_100m"], join_args),
             (2, ["parks.geojson", "layer 'parks'", "feature 'P3'", "industrial_va_100m"],
              join_args)),
         note="ids on one side only are warnings; P3 then lacks a required figure (an error)")

    # --- lon/lat data reaching beyond China -----------------------------------------------
    world = {k: v.to_crs(4326) for k, v in b.items()}
    far = gpd.GeoDataFrame(
        {"name": ["Fiji", "Greenland"]},
        geometry=[shapely.box(177.0, -18.0, 180.00000000000006, -16.0),
                  shapely.box(-73.0, 60.0, -12.0, 83.6)], crs=4326)
    world["counties"] = pd.concat([world["counties"], far], ignore_index=True)
    folder = out_dir / "lonlat_world"
    folder.mkdir(parents=True, exist_ok=True)
    for name, frame in world.items():
        write_geojson_text(folder, name, features_of(frame), epsg=4326)
    case("lonlat_world", "Lon/lat counties (EPSG:4326) reaching beyond China, like Natural "
         "Earth's countries", runs=dataset_runs(
             (1, ["outside_measured_zones", "in degrees", "Fiji", "Greenland", "73–135°E"]),
             (2, ["counties.geojson", "layer 'counties'", "in degrees", "Fiji", "73–135°E"])))

    (out_dir / "not_a_dataset.gpkg").write_text("zone_id,name\nZ1,南湖示例经济开发区\n",
                                                encoding="utf-8")
    case("csv_as_gpkg", "A CSV file renamed .gpkg", input="not_a_dataset.gpkg",
         runs={c: (e, ["not_a_dataset.gpkg", "not a GeoPackage"]) for c, e in generic.items()})

    case("does_not_exist", "A path that does not exist", input="no_such_dataset.gpkg",
         runs={c: (e, ["no_such_dataset.gpkg", "not found" if c in ("map", "invest-map")
                       else "does not exist"]) for c, e in generic.items()})

    folder = out_dir / SPACED
    write_gpkg(folder / "嘉兴 园区.gpkg", b)
    case("spaces_chinese_path", "A path with spaces and Chinese characters",
         input=f"{SPACED}/嘉兴 园区.gpkg", out="chinese",
         runs={"validate": (0, ["No findings"]), "integrate": (0, ["wrote", "输出 结果"])})
    case("spaces_chinese_out", "Result and outputs in a folder with spaces and Chinese characters",
         input="{result}", out="chinese", runs={c: (0, []) for c in RESULT_COMMANDS})

    # --- outputs --------------------------------------------------------------------------
    case("output_exists", "The output file exists already (no --overwrite)", input="base",
         out="exists", runs={
             "validate": (2, ["findings.json", "exists", "--overwrite"]),
             "integrate": (2, ["result.gpkg", "exists", "--overwrite"])})
    case("output_exists_result", "The output file exists already (no --overwrite)",
         input="{result}", out="exists",
         runs={c: (2, ["exists", "--overwrite"]) for c in RESULT_COMMANDS})
    case("readonly_out", "The output folder is read-only", input="base", out="readonly",
         runs={"validate": (2, ["findings.json", "not writable", "another folder"]),
               "integrate": (2, ["result.gpkg", "not writable", "another folder"])})
    case("readonly_out_result", "The output folder is read-only", input="{result}",
         out="readonly", runs={c: (2, ["not writable"]) for c in RESULT_COMMANDS})

    # --- bad results (the input of map, invest-map, report, rank, admit) -------------------
    result_path = make_result(out_dir)
    res = {name: pyogrio.read_dataframe(result_path, layer=name)
           for name in ("zones", "parks", "counties", "plots", "monitoring")}
    write_gpkg(out_dir / "result_no_platforms.gpkg", res)
    case("result_no_platforms", "A result GeoPackage without its platforms layer",
         input="result_no_platforms.gpkg",
         runs={c: (0, ["Year-end ranking"]) if c == "rank" else
               (2, ["result_no_platforms.gpkg", "platforms", "parkgeo integrate"])
               for c in RESULT_COMMANDS},
         note="rank reads the monitoring table of a result or of a dataset whose monitoring "
              "rows name zones, so it does not need the platforms layer")
    write_gpkg(out_dir / "not_a_result.gpkg", base_layers())
    case("not_a_result", "An input dataset (no monitoring) given where a result is expected",
         input="not_a_result.gpkg",
         runs={c: (2, ["not_a_result.gpkg", "monitoring", "R15"]) if c == "rank" else
               (2, ["not_a_result.gpkg", "platforms", "parkgeo integrate"])
               for c in RESULT_COMMANDS})
    data = result_path.read_bytes()
    (out_dir / "result_truncated.gpkg").write_bytes(data[: len(data) // 2])
    result_path.unlink()
    case("result_truncated", "A result GeoPackage cut off at half its size",
         input="result_truncated.gpkg",
         runs={c: (2, ["result_truncated.gpkg", "truncated or damaged"])
               for c in RESULT_COMMANDS})

    proj = projects_layer().drop(columns=["investment_10k_yuan"])
    write_geojson(out_dir / "projects_missing_field", {"projects": proj})
    case("projects_missing_field", "Projects without the required investment_10k_yuan",
         input="{result}", projects="projects_missing_field/projects.geojson",
         runs={"admit": (2, ["projects.geojson", "layer 'projects'", "investment_10k_yuan",
                             "add it"])})
    return CASES


def write_gdb(path, layers):
    """An ArcGIS File Geodatabase written by GDAL's OpenFileGDB driver."""
    _reset(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    for name, frame in layers.items():
        pyogrio.write_dataframe(frame, path, layer=name, driver="OpenFileGDB")
    return path


def zip_tree(archive, folder, arcname):
    """Zip ``folder`` as ``arcname/…`` with fixed dates (a byte-stable archive)."""
    with zipfile.ZipFile(archive, "w") as z:
        for f in sorted(Path(folder).rglob("*")):
            if f.is_file():
                z.writestr(zinfo(f"{arcname}/{f.relative_to(folder).as_posix()}"), f.read_bytes())


def zinfo(name):
    """A ZIP entry with a fixed date, so the archive is byte-stable."""
    info = zipfile.ZipInfo(name, date_time=(2020, 12, 31, 0, 0, 0))
    info.compress_type = zipfile.ZIP_DEFLATED
    return info


def make_result(out_dir):
    """Consolidate the base dataset (library call) into a temporary result GeoPackage."""
    from parkgeo.consolidate.integrate import integrate, write_result
    from parkgeo.read import read_dataset

    ds = read_dataset(out_dir / "base")
    result = integrate(ds)
    path = out_dir / "_result.gpkg"
    write_result(result, path, overwrite=True)
    compact_sqlite(path)
    return path


# ------------------------------------------------------------------------------------------
# manifest and docs
# ------------------------------------------------------------------------------------------


def manifest_text(cases):
    import tomli_w

    doc = {
        "about": ("The bad-input corpus: each case is a complete dataset (zones + parks), valid "
                  "except for one planted problem. Generated by scripts/make_bad_corpus.py; "
                  "run by tests/test_bad_inputs.py. {input} is the case's input, {out} a fresh "
                  "output folder, {projects} the projects file, {case} the case's folder, "
                  "{result} a result of 'parkgeo integrate' on base/."),
        "commands": {k: {"argv": v} for k, v in COMMANDS.items()},
        "case": cases,
    }
    return ("# Generated by scripts/make_bad_corpus.py — edit the script, not this file.\n"
            + tomli_w.dumps(doc, multiline_strings=False))


# ------------------------------------------------------------------------------------------
# running a case (shared by tests/test_bad_inputs.py and --docs)
# ------------------------------------------------------------------------------------------

#: output folder names by the case's ``out`` setting
OUT_FOLDERS = {"fresh": "out", "exists": "out", "readonly": "out-readonly",
               "chinese": "输出 结果"}


def load_manifest(corpus=OUT):
    """The manifest as a dict (``tomllib``)."""
    import tomllib

    with open(Path(corpus) / "cases.toml", "rb") as fh:
        return tomllib.load(fh)


def argv_for(manifest, case, command, *, corpus, out, result=None):
    """The command line of one run, placeholders filled in."""
    inp = case["input"]
    values = {
        "input": str(result) if inp == "{result}" else str(Path(corpus) / inp),
        "out": str(out),
        "projects": str(Path(corpus) / case["projects"]),
        "case": str(Path(corpus) / inp),
    }
    argv = [a.format(**values) for a in manifest["commands"][command]["argv"]]
    return argv + [a.format(**values) for a in case["runs"][command]["args"]]


def output_paths(argv, out):
    """The files a command line names inside the output folder."""
    return [Path(a) for a in argv if a.startswith(str(out) + "/")]


def prepare_out(case, argv, out):
    """Create the output folder the case asks for; return {path: bytes} of files planted in it.

    ``exists``: every output already exists (and must survive); ``readonly``: the folder is made
    read-only (chmod, and ``chattr +i`` when running as root, whom chmod does not stop); returns
    None when the folder cannot be made read-only here.
    """
    import os
    import subprocess

    out.mkdir(parents=True, exist_ok=True)
    planted = {}
    if case["out"] == "exists":
        for p in output_paths(argv, out):
            p.write_bytes(b"previous output, must survive\n")
            planted[p] = p.read_bytes()
    if case["out"] == "readonly":
        out.chmod(0o555)
        probe = out / ".probe"
        try:
            probe.touch()
        except OSError:
            return planted
        probe.unlink()
        done = subprocess.run(["chattr", "+i", str(out)], capture_output=True).returncode == 0
        if not done or os.access(out, os.W_OK) and _can_create(out):
            release_out(out)
            return None
    return planted


def _can_create(folder):
    try:
        (folder / ".probe").touch()
    except OSError:
        return False
    (folder / ".probe").unlink()
    return True


def release_out(out):
    """Undo :func:`prepare_out`'s read-only folder."""
    import contextlib
    import subprocess

    if out.exists():
        with contextlib.suppress(OSError, FileNotFoundError):
            subprocess.run(["chattr", "-i", str(out)], capture_output=True)
        out.chmod(0o755)


def invoke(argv):
    """Run ``parkgeo ARGV`` in-process with click's CliRunner; return (exit, stdout, stderr)."""
    from click.testing import CliRunner

    from parkgeo.cli.main import cli

    res = CliRunner().invoke(cli, argv, catch_exceptions=True)
    err = res.stderr
    if res.exception is not None and not isinstance(res.exception, SystemExit):
        import traceback

        err += "".join(traceback.format_exception(res.exception))
    return res.exit_code, res.stdout, err


def run_all(corpus=OUT):
    """Run every case of the manifest; yield (case, command, exit, stdout, stderr, handled).

    ``handled``: the exit status and the message words are the expected ones, no traceback.
    """
    import tempfile

    manifest = load_manifest(corpus)
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        result = work / "result.gpkg"
        code, _, err = invoke(["integrate", str(Path(corpus) / "base"), "--out", str(result)])
        if code != 0:
            raise SystemExit(f"the base dataset does not integrate: {err}")
        for c in manifest["case"]:
            for cmd, spec in c["runs"].items():
                out = work / c["id"] / cmd / OUT_FOLDERS[c["out"]]
                argv = argv_for(manifest, c, cmd, corpus=corpus, out=out, result=result)
                planted = prepare_out(c, argv, out)
                if planted is None:
                    continue
                try:
                    code, stdout, stderr = invoke(argv)
                finally:
                    release_out(out)
                text = (stdout + stderr).replace(str(work) + "/", "")
                text = text.replace(str(Path(corpus).resolve()) + "/", "tests/data/bad/")
                handled = (code == spec["exit"] and "Traceback" not in text
                           and all(w in text for w in spec["words"]))
                yield c, cmd, code, stdout.replace(str(work) + "/", ""), text, handled


def _message(code, cmd, text):
    """The line a user reads: the error, the first finding, or the warnings."""
    lines = [ln.strip() for ln in text.splitlines() if ln.strip()]
    if code == 2:
        return next((ln for ln in lines if ln.startswith("parkgeo: error:")), "")
    if code == 1 and cmd == "validate" and "Errors (worst first):" in lines:
        i = lines.index("Errors (worst first):")  # then "rule — n", the findings, "→ what to do"
        todo = next((ln for ln in lines[i + 2:] if ln.startswith("→")), "")
        return f"{lines[i + 1].split(' — ')[0]}: {lines[i + 2]} {todo}".strip()
    warned = [ln for ln in lines if ln.startswith("parkgeo: warning:")]
    return " ".join(warned[:2]) if warned else "—"


def _cell(text):
    return text.replace("|", "\\|").replace("\n", " ")


COUNT_LINE = "bad inputs tried / handled: {tried} / {handled}"


def write_docs(corpus=OUT, docs=DOCS, readme=REPO / "README.md"):
    """Run the corpus, write docs/robustness.md, and refresh the count line in the README."""
    import re

    manifest = load_manifest(corpus)
    rows, tried, handled = [], 0, 0
    for c, cmd, code, _, text, ok in run_all(corpus):
        if not c["control"]:
            tried += 1
            handled += ok
        rows.append((c, cmd, code, _message(code, cmd, text), ok))
    count = COUNT_LINE.format(tried=tried, handled=handled)
    out = [DOC_HEAD.format(count=count, n_cases=sum(not c["control"] for c in manifest["case"])),
           "| case | input | command | exit | what parkgeo says |", "|---|---|---|---|---|"]
    for c, cmd, code, msg, ok in rows:
        where = ("result of `integrate` on `base`" if c["input"] == "{result}"
                 else f"`{c['input']}`")
        title = c["title"] + (f" ({c['note']})" if c["note"] else "")
        flag = "" if ok else " **(unexpected)**"
        out.append(f"| {_cell(title)} | {_cell(where)} | `{cmd}` | {code}{flag} | "
                   f"{_cell(msg)} |")
    out.append(DOC_TAIL)
    docs.write_text("\n".join(out) + "\n", encoding="utf-8")
    if readme.exists():
        text = readme.read_text(encoding="utf-8")
        new = re.sub(r"bad inputs tried / handled: \d+ / \d+", count, text)
        if new != text:
            readme.write_text(new, encoding="utf-8")
    print(f"wrote {docs}: {count}")
    return tried, handled


DOC_HEAD = """# Robustness: what parkgeo does with bad input

GIS data from town offices is messy. parkgeo is tested against a corpus of real-world bad
input — {n_cases} cases, each a complete dataset (zones + parks) that is valid except for the one
problem planted in it — run through every command that reads it. The corpus is generated by
`scripts/make_bad_corpus.py` into `tests/data/bad/` with its manifest `cases.toml` (input,
commands, options, expected exit status, the words the message must contain), and
`tests/test_bad_inputs.py` checks every run: the exit status, the words, a one-line message for
exit 2, no traceback, the inputs byte-for-byte unchanged, and no output left behind on failure.

**{count}** (every run of a bad case through a command; the clean control runs are not counted).

Exit status: `0` done (the input is understood; a warning says what was done with it), `1` the
data breaks a rule (`validate` lists every finding; `integrate` still writes its result),
`2` the input cannot be used: one line naming the file, layer, feature and field and saying what
to do. Every command but `validate` refuses data with validation errors (exit 2) and names the
first, pointing to `parkgeo validate`.

This page is written by `scripts/make_bad_corpus.py --docs`, from the manifest and the actual
runs; paths are shown relative to the corpus folder, outputs as `out/…`.
"""

DOC_TAIL = """
## Nothing lost, nothing half-written

- Inputs are opened read-only; the corpus test hashes every input before and after each run.
- Every output (GeoPackage, HTML, Excel, CSV, JSON, PNG, PDF, TOML) is written to a hidden
  temporary file beside the target (`.NAME.XXXX.part.EXT`) and renamed into place only when
  complete (`parkgeo/_atomic.py`). `tests/test_interruption.py` proves it twice: every file
  that `parkgeo demo` and each command write arrives by such a rename, and real `integrate` and
  `map` processes killed while writing (SIGTERM and SIGKILL) leave the previous output intact,
  or none at all.
- On SIGTERM (and SIGHUP, Ctrl-C) parkgeo removes its temporary file and exits with status
  143 (130 for Ctrl-C). After a SIGKILL or a power cut nothing can clean up: the target is
  intact, and a hidden `.NAME.*.part.*` file may remain beside it; delete it.
- Every park in is decided exactly once: `parkgeo integrate` prints
  `parks in = parks decided: N = N`, and its JSON report holds `parks` and `parks_decided`.
  `tests/test_fuzz.py` checks it on random datasets, with the zones' and parks' geometry in
  the result file byte-for-byte (WKB) that of the input file.
- Outputs that exist are refused without `--overwrite`; the refusal comes before any work.

## Fuzzing

`tests/test_fuzz.py` (hypothesis) writes random layers — text, NaN, negative and huge numbers,
Chinese booleans, empty values in every field; invalid, empty, null, unclosed, Z, point, line
and collection geometries; declared, missing and wrong CRS — and reads and validates them:
every outcome is a dataset with findings or a documented error (`parkgeo/errors.py`), every
value that could not be understood is reported at its feature and field, and `integrate`
either refuses with exit 2 or decides every park.

## Published HTML is safe

`tests/browser/test_browser_hostile.py` puts markup and script (`<img onerror>`, `</script>`,
`javascript:` links, external `<iframe>`/stylesheets, Jinja `{{ }}`, line separators) into every
text field a user controls — ids, names, counties, towns, free-text industries, contacts and
website, plot ids and land use, project names — and publishes it with the real commands
(`validate --html`, `map`, `invest-map` with `--basemap none`, `report --out .html`). In headless
Chromium, with every tooltip and popup opened and every request recorded, nothing runs, no
request leaves the file and the hostile text is shown as text. (folium compiles rendered
scripts as Jinja templates a second time; data is escaped so that a `{{ … }}` in a name is
never evaluated.)
"""


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=OUT, help="corpus folder")
    parser.add_argument("--docs", action="store_true",
                        help="also run the corpus and write docs/robustness.md")
    args = parser.parse_args(argv)
    out_dir = args.out
    if out_dir.exists():
        for child in out_dir.iterdir():
            _reset(child)
    out_dir.mkdir(parents=True, exist_ok=True)
    cases = build(out_dir)
    (out_dir / "cases.toml").write_text(manifest_text(cases), encoding="utf-8")
    size = sum(f.stat().st_size for f in out_dir.rglob("*") if f.is_file())
    runs = sum(len(c["runs"]) for c in cases)
    print(f"wrote {len(cases)} cases, {runs} runs, {size / 1024:.0f} KB in {out_dir}")
    if args.docs:
        tried, handled = write_docs(out_dir)
        return 0 if tried == handled else 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
