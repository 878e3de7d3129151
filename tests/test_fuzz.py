"""Property-based fuzzing of the front door: random files through reading, validation and integrate.

1. Random layers — field values that are text, NaN, negative, huge, Chinese booleans, empty;
   geometries that are invalid, empty, null, of the wrong type, unclosed, with Z; CRS declared,
   missing or wrong — go through :func:`read_dataset` and :func:`validate_dataset`. Never an
   unexpected exception: every outcome is a result or a documented :class:`ParkgeoError`, and
   every value that could not be understood is reported at its feature and field.
2. Random valid datasets written the messy way real offices write them (Chinese values, numbers
   as text, mixed CRS, multi-part and holed polygons, Z) go through read → validate → integrate →
   result GeoPackage: every park in is decided exactly once, and the zones' and parks' geometry
   in the result file is byte-for-byte (WKB) the geometry of the input file.
"""

from __future__ import annotations

import json
import math
import tempfile
import warnings
from pathlib import Path

import numpy as np
import pyogrio
import pytest
import shapely
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pyproj import Transformer

from parkgeo.errors import (
    CRSError,
    DatasetNotFoundError,
    InputError,
    NotADatasetError,
    ParkgeoError,
    SchemaError,
    ValidationFailedError,
)
from parkgeo.read import read_dataset
from parkgeo.read.fields import LAYERS
from parkgeo.validate import RULES, validate_dataset

X0, Y0 = 570_000.0, 3_400_000.0
TO_LONLAT = Transformer.from_crs(4549, 4490, always_xy=True)
FAST = settings(max_examples=40, deadline=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])

#: the errors reading may raise on purpose (errors.py); anything else is a bug
DOCUMENTED = (DatasetNotFoundError, NotADatasetError, SchemaError, CRSError, InputError)
NUMERIC = {f.name for layer in ("zones", "parks") for f in LAYERS[layer]
           if f.kind in ("real", "int", "share")}
REQUIRED_NUMERIC = {layer: [f.name for f in LAYERS[layer] if f.required
                            and f.kind in ("real", "int", "share")] for layer in LAYERS}

# ------------------------------------------------------------------------------ strategies

nasty_text = st.sampled_from([
    "about 1500", "NaN", "nan", "Infinity", "-inf", "", " ", "1,500", "１２００", "-5", "1e400",
    "1e15", "是", "否", "√", "null", "None", "N/A", "—", "<script>alert(1)</script>",
    "' OR 1=1 --", "\u202e\u0645", "C38;;C39", "约1500亩"])
numbers = st.one_of(
    st.floats(allow_nan=True, allow_infinity=True),
    st.floats(-1e6, 1e6),
    st.integers(-10**18, 10**18),
    st.sampled_from([0, 1, 1500, 1e15, -300, 0.5, 45]),
    nasty_text,
    st.none(),
)
booleans = st.one_of(st.booleans(), st.none(), st.integers(-2, 3), st.sampled_from(
    ["是", "否", "yes", "NO", "1", "0", "true", "False", "maybe", "", "√", "×", "有", "无"]))
codes = st.one_of(st.none(), nasty_text, st.sampled_from(
    ["C38", "C38;C39", "c3825", "C26、C30", "I65,C17", "C3", "ABC", "38", "C38；C39"]))
texts = st.one_of(st.none(), nasty_text, st.text(max_size=12),
                  st.sampled_from(["南湖区", "平湖市", "秀洲区", "凤桥镇工业园区"]))
levels = st.one_of(st.none(), nasty_text, st.sampled_from(
    ["national", "provincial", "国家级", "省级", "Provincial", "市级"]))
park_types = st.one_of(st.none(), nasty_text, st.sampled_from(
    ["town_park", "特色小镇", "镇(街道)工业园区", "other", "工业功能区", "unknown"]))
hazards = st.one_of(st.none(), nasty_text, st.sampled_from(["none", "无", "一般", "重大", "high"]))

GEOMETRY_KINDS = ["square", "square", "square", "multi", "hole", "bowtie", "empty", "null",
                  "point", "line", "collection", "z", "unclosed", "sliver", "far"]


def _geometry(kind, k):
    """A GeoJSON geometry dict (EPSG:4549 metres) of the given kind, in cell k of a grid."""
    x, y = X0 + 3000.0 * (k % 10), Y0 + 3000.0 * (k // 10)
    sq = shapely.box(x, y, x + 800, y + 800)
    if kind == "null":
        return None
    if kind == "empty":
        return {"type": "Polygon", "coordinates": []}
    if kind == "unclosed":
        ring = [list(c) for c in sq.exterior.coords][:-1]
        return {"type": "Polygon", "coordinates": [ring]}
    geom = {
        "square": sq,
        "multi": shapely.MultiPolygon([sq, shapely.box(x + 1000, y, x + 1500, y + 500)]),
        "hole": sq.difference(shapely.box(x + 200, y + 200, x + 400, y + 400)),
        "bowtie": shapely.Polygon([(x, y), (x + 800, y + 800), (x + 800, y), (x, y + 800)]),
        "point": sq.centroid,
        "line": sq.exterior,
        "collection": shapely.GeometryCollection([sq, shapely.Point(x - 10, y - 10)]),
        "z": shapely.force_3d(sq, 4.5),
        "sliver": shapely.box(x, y, x + 800, y + 0.5),
        "far": shapely.box(x + 9e6, y, x + 9e6 + 800, y + 800),
    }[kind]
    return shapely.geometry.mapping(geom)


@st.composite
def random_layers(draw):
    """(zones features, parks features, crs choice): anything a town office might send."""
    layers = {}
    k = 0
    for layer, n_max in (("zones", 4), ("parks", 7)):
        feats = []
        for _ in range(draw(st.integers(0, n_max))):
            props = {}
            for f in LAYERS[layer]:
                if draw(st.integers(0, 9)) == 0:
                    continue  # the field is absent from this feature
                if f.kind in ("real", "int", "share"):
                    props[f.name] = draw(numbers)
                elif f.kind == "bool":
                    props[f.name] = draw(booleans)
                elif f.kind == "codes":
                    props[f.name] = draw(codes)
                elif f.name == "level":
                    props[f.name] = draw(levels)
                elif f.name == "park_type":
                    props[f.name] = draw(park_types)
                elif f.name == "hazard":
                    props[f.name] = draw(hazards)
                else:
                    props[f.name] = draw(texts)
            if draw(st.booleans()):
                props["fid"] = draw(st.one_of(st.integers(0, 3), st.text(max_size=3)))
            feats.append({"type": "Feature", "properties": props,
                          "geometry": _geometry(draw(st.sampled_from(GEOMETRY_KINDS)), k)})
            k += 1
        layers[layer] = feats
    crs = draw(st.sampled_from(["EPSG:4549", "EPSG:4549", "lonlat", "none"]))
    return layers, crs


def _json_value(v):
    """GeoJSON cannot hold NaN or infinity: write them as the text an export would hold."""
    if isinstance(v, float) and not math.isfinite(v):
        return "NaN" if math.isnan(v) else ("Infinity" if v > 0 else "-Infinity")
    return v


def _to_lonlat(geom):
    """The same geometry dict in CGCS2000 lon/lat (EPSG:4490), unclosed rings and all."""
    def tr(c):
        if len(c) and isinstance(c[0], int | float):
            lon, lat = TO_LONLAT.transform(c[0], c[1])
            return [lon, lat, *c[2:]]
        return [tr(x) for x in c]

    if geom is None:
        return None
    if geom["type"] == "GeometryCollection":
        return {"type": "GeometryCollection",
                "geometries": [_to_lonlat(g) for g in geom["geometries"]]}
    return {"type": geom["type"], "coordinates": tr(geom["coordinates"])}


def write_layers(folder, layers, crs):
    """Write each layer as ``<layer>.geojson`` by hand (so any value and geometry can be held)."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    for name, feats in layers.items():
        out = []
        for f in feats:
            geom = _to_lonlat(f["geometry"]) if crs == "lonlat" else f["geometry"]
            out.append({"type": "Feature", "geometry": geom,
                        "properties": {k: _json_value(v) for k, v in f["properties"].items()}})
        doc = {"type": "FeatureCollection", "features": out}
        if crs == "EPSG:4549":
            doc["crs"] = {"type": "name", "properties": {"name": "urn:ogc:def:crs:EPSG::4549"}}
        elif crs == "lonlat":
            doc["crs"] = {"type": "name", "properties": {"name": "urn:ogc:def:crs:EPSG::4490"}}
        (folder / f"{name}.geojson").write_text(json.dumps(doc, ensure_ascii=False),
                                               encoding="utf-8")
    return folder


def _one_line(exc):
    text = str(exc)
    assert "\n" not in text, text
    assert "Traceback" not in text
    return text


# ------------------------------------------------------------------------------ 1. reading


@FAST
@given(random_layers())
def test_random_layers_give_a_result_or_a_documented_error(case):
    layers, crs = case
    with tempfile.TemporaryDirectory() as tmp:
        folder = write_layers(Path(tmp) / "data", layers, crs)
        try:
            ds = read_dataset(folder, strict=False)
        except DOCUMENTED as exc:
            # only a file that cannot be read at all may stop a non-strict read
            assert isinstance(exc, NotADatasetError), exc
            assert str(folder) in _one_line(exc)
            return
        report = validate_dataset(ds)
        for f in report.findings:
            assert f.rule in RULES, f.rule
            assert f.severity in ("error", "warning")
            assert f.layer is None or f.layer in ds.layers or f.rule == "missing_layer"
            assert "\n" not in f.message, f.message
        # a value that could not be understood is never dropped silently: it is reported at
        # its feature and field
        reported = {(p.layer, p.id, p.field) for p in ds.problems}
        missing_fields = {(p.layer, p.field) for p in ds.problems if p.rule == "missing_field"}
        for layer in ("zones", "parks"):
            frame = ds.layers.get(layer)
            if frame is None:
                continue
            id_field = "zone_id" if layer == "zones" else "park_id"
            for name in REQUIRED_NUMERIC[layer]:
                if name not in frame:  # reported, or the layer is empty (empty_layer says so)
                    assert (layer, name) in missing_fields or len(frame) == 0
                    continue
                values = frame[name].astype("float64").to_numpy()
                assert np.isfinite(values[~np.isnan(values)]).all()
                for i in np.flatnonzero(np.isnan(values)):
                    raw = frame[id_field].iloc[i] if id_field in frame else None
                    fid = raw if isinstance(raw, str) and raw else f"#{i}"
                    assert (layer, fid, name) in reported, (layer, fid, name, reported)
        # strict reading: a dataset without errors, or the first one raised on one line
        try:
            strict = read_dataset(folder, strict=True)
        except (SchemaError, CRSError) as exc:
            assert ds.errors, "strict read raised although the lenient read found no error"
            text = _one_line(exc)
            assert str(folder) in text, text
            assert exc.exit_code == 2
        else:
            assert not strict.errors


@FAST
@given(random_layers())
def test_integrate_refuses_or_decides_every_park(case):
    """The integrate command's gate: validation errors refuse (exit 2), else every park decided."""
    from parkgeo.consolidate.integrate import check_valid, integrate

    layers, crs = case
    with tempfile.TemporaryDirectory() as tmp:
        folder = write_layers(Path(tmp) / "data", layers, crs)
        try:
            ds = read_dataset(folder, strict=False)
            check_valid(ds)
        except ValidationFailedError as exc:
            assert exc.exit_code == 2 and exc.findings
            assert "parkgeo validate" in _one_line(exc)
            return
        except NotADatasetError as exc:
            _one_line(exc)
            return
        result = integrate(ds)
        assert len(result.parks) == len(ds["parks"])
        assert result.parks["decision"].isin(["sub_zone", "exit", "excluded"]).all()


# ------------------------------------------------------------------------------ 2. integrate

INDUSTRIES = ["C38", "C3825", "C39", "C36", "C26", "C17", "I65"]
LEVEL_SPELLINGS = {"national": ["national", "国家级"], "provincial": ["provincial", "省级"]}
TYPE_SPELLINGS = {"town_park": ["town_park", "镇(街道)工业园区"],
                  "characteristic_town": ["characteristic_town", "特色小镇"]}


def _num(draw, value):
    """A valid number written as a number, as text, or with a thousands separator."""
    how = draw(st.sampled_from(["number", "text", "comma"]))
    if how == "number":
        return value
    return f"{value:,.0f}" if how == "comma" else f"{value:g}"


@st.composite
def valid_datasets(draw):
    """A valid dataset, spelled the many ways the data contract accepts."""
    counties = ["南湖区", "平湖市", "海宁市"][: draw(st.integers(1, 3))]
    cells = iter(range(100))
    zones, parks = [], []
    for ci, county in enumerate(counties):
        for z in range(draw(st.integers(1, 2))):
            k = next(cells) + 30 * ci
            kind = draw(st.sampled_from(["square", "multi", "hole", "z"]))
            level = draw(st.sampled_from(["national", "provincial"]))
            zones.append({"type": "Feature", "geometry": _geometry(kind, k), "properties": {
                "zone_id": f"Z{ci}{z}", "name": f"{county}开发区{z}", "county": county,
                "level": draw(st.sampled_from(LEVEL_SPELLINGS[level])),
                "approved_area_ha": 200.0,
                "industries": draw(st.sampled_from(INDUSTRIES)),
                "developable_mu": _num(draw, float(draw(st.integers(2000, 12000)))),
                "industrial_va_100m": _num(draw, float(draw(st.integers(10, 120)))),
            }})
        for p in range(draw(st.integers(1 if ci == 0 else 0, 8))):
            k = next(cells) + 30 * ci
            kind = draw(st.sampled_from(["square", "square", "multi", "hole", "z"]))
            ptype = draw(st.sampled_from(["town_park", "town_park", "characteristic_town"]))
            parks.append({"type": "Feature", "geometry": _geometry(kind, k), "properties": {
                "park_id": f"P-{ci}-{p}", "name": f"{county}园区{p}", "county": county,
                "park_type": draw(st.sampled_from(TYPE_SPELLINGS[ptype])),
                "industries": draw(st.sampled_from(INDUSTRIES)),
                "conforms_to_plan": draw(st.sampled_from([True, False, "是", "否", 1, 0])),
                "hazard": draw(st.sampled_from(["none", "无", "一般", "重大", None])),
                "developable_mu": _num(draw, float(draw(st.integers(0, 4000)))),
                "industrial_va_100m": _num(draw, float(draw(st.integers(0, 40)))),
            }})
    crs = {"zones": draw(st.sampled_from(["EPSG:4549", "lonlat"])),
           "parks": draw(st.sampled_from(["EPSG:4549", "lonlat"]))}
    return {"zones": zones, "parks": parks}, crs


def _wkb(frame):
    return [None if g is None else shapely.to_wkb(g, output_dimension=3)
            for g in frame.geometry]


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(valid_datasets())
def test_every_park_in_is_decided_once_and_geometry_is_untouched(case):
    from parkgeo.consolidate.integrate import check_valid, integrate, result_to_json, write_result

    layers, crs = case
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "data"
        for name, feats in layers.items():
            write_layers(folder, {name: feats}, crs[name])
        ds = read_dataset(folder, strict=False)
        check_valid(ds)  # the generator writes valid data: a refusal here is a bug
        result = integrate(ds)
        out = write_result(result, Path(tmp) / "result.gpkg")
        parks_out = pyogrio.read_dataframe(out, layer="parks")
        zones_out = pyogrio.read_dataframe(out, layer="zones")
        platforms = pyogrio.read_dataframe(out, layer="platforms")
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # pyogrio's note on mixed-type JSON columns
            parks_in = pyogrio.read_dataframe(folder / "parks.geojson")
            zones_in = pyogrio.read_dataframe(folder / "zones.geojson")

    ids_in = sorted(f["properties"]["park_id"] for f in layers["parks"])
    # every park decided exactly once: the same ids, each once, each with one decision
    assert sorted(parks_out["park_id"]) == ids_in
    assert parks_out["decision"].isin(["sub_zone", "exit", "excluded"]).all()
    summary = result_to_json(result)["summary"]
    assert summary["parks"] == summary["parks_decided"] == len(ids_in)
    subs = parks_out[parks_out["decision"] == "sub_zone"]
    assert set(subs["platform_id"]) <= set(platforms["platform_id"])
    # the geometry written is the geometry read: zones (R1) and parks, byte for byte
    assert _wkb(zones_out) == _wkb(zones_in)
    assert _wkb(parks_out) == _wkb(parks_in)
    assert list(zones_out["zone_id"]) == [f["properties"]["zone_id"] for f in layers["zones"]]


def test_fuzz_helpers_write_what_they_are_given(tmp_path):
    """The hand-written GeoJSON holds the planted values and geometries (the fuzzing is real)."""
    feats = [{"type": "Feature", "properties": {"park_id": "P1", "developable_mu": float("nan")},
              "geometry": _geometry("unclosed", 0)},
             {"type": "Feature", "properties": {"park_id": "P2", "developable_mu": "约1500亩"},
              "geometry": _geometry("z", 1)}]
    write_layers(tmp_path, {"parks": feats}, "EPSG:4549")
    doc = json.loads((tmp_path / "parks.geojson").read_text(encoding="utf-8"))
    assert doc["features"][0]["properties"]["developable_mu"] == "NaN"
    ring = doc["features"][0]["geometry"]["coordinates"][0]
    assert ring[0] != ring[-1]
    assert len(doc["features"][1]["geometry"]["coordinates"][0][0]) == 3
    with pytest.raises(ParkgeoError):
        read_dataset(tmp_path, strict=True)  # no zones layer, bad values: refused
