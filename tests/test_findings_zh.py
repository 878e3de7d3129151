"""Every validation finding speaks Chinese too: ``message_zh``, written where the finding is
made from the same figures as the English ``message``, carried in the JSON, the GeoPackage
``findings`` layer and the Chinese findings map.

The findings come from the bad-input corpus (tests/data/bad) and from small datasets built with
the validation tests' helpers, together planting every rule id of ``RULES``.
"""

from __future__ import annotations

import json
import re
import warnings
from pathlib import Path

import geopandas as gpd
import pyogrio
import pytest
import shapely
import tomllib
from conftest import X0, Y0, make_parks, make_zones, square

from parkgeo.errors import ParkgeoError
from parkgeo.read.fields import _FALSE, _TRUE, LAYERS, SHORT_ALIASES
from parkgeo.scenario import load_scenario
from parkgeo.validate import RULES, ValidationReport, validate_dataset, validate_path

# the corpus is broken on purpose: GDAL's warnings about it are not the subject here
pytestmark = pytest.mark.filterwarnings("ignore::UserWarning:pyogrio",
                                        "ignore::RuntimeWarning:pyogrio")

BAD = Path(__file__).resolve().parent / "data" / "bad"

#: Latin words a Chinese message may carry besides the data's own words and the contract's
#: field and layer names: standards, CRS names and codes, the tool and its options
ZH_ALLOWED = {"GB", "T", "EPSG", "CGCS2000", "WGS84", "GIS", "parkgeo", "src", "crs", "catalogue",
              "industries", "fid", "fields", "layers", "join", "space", "consolidate",
              "within_boundary", "true", "false", "developable", "measured", "lower",
              "declared", "docs", "data", "contract", "md", "R", "G", "S", "x", "y", "X", "Y",
              "Z", "P", "mu", "ha"}
#: a Latin word: not the exponent of ``1e+15`` nor the letters inside ``C38`` or ``va_100m``
LATIN = re.compile(r"(?<![0-9A-Za-z_])[A-Za-z][A-Za-z0-9_]*")
CJK = re.compile(r"[\u4e00-\u9fff]")
NUMBER = re.compile(r"\d+(?:,\d{3})*(?:\.\d+)?")


def _corpus():
    """``(case, report)`` for every case of the bad-input corpus that opens as a dataset."""
    cases = tomllib.loads((BAD / "cases.toml").read_text(encoding="utf-8"))["case"]
    out = []
    for inp in dict.fromkeys(c.get("input", "") for c in cases):
        path = BAD / inp
        if "{" in inp or not path.exists():
            continue
        config = path / "join.toml" if path.is_dir() else None
        scenario = load_scenario(config) if config is not None and config.exists() else None
        try:
            out.append((inp, validate_path(path, scenario=scenario)))
        except ParkgeoError:
            continue  # not a dataset at all: a refusal on the terminal, no findings
    return out


def _write(path, **layers):
    for name, frame in layers.items():
        frame.to_file(path, layer=name, engine="pyogrio")
    return path


def _counties(east=10_000):
    return gpd.GeoDataFrame(
        {"name": ["南湖区", "平湖市"]},
        geometry=[shapely.box(X0 - 5000, Y0 - 5000, X0 + 10_000, Y0 + 5000),
                  shapely.box(X0 + east, Y0 - 5000, X0 + 30_000, Y0 + 5000)], crs=4549)


def _planted(folder):
    """Small datasets planting the rules the corpus does not: ``(name, report)``."""
    out = []
    # geometry, topology, place and R2: a sliver part, two parks overlapping, a park inside a
    # zone, a misspelt county, counties that overlap, protected land under a park, an excess
    parks = make_parks(county=["南湖区", "南湖区", "平胡市"])
    parks.loc[0, "geometry"] = shapely.MultiPolygon([square(X0 + 2000, Y0, 500),
                                                     square(X0 + 3000, Y0, 20)])
    parks.loc[1, "geometry"] = square(X0 + 2400, Y0, 500)
    zones = make_zones(approved_area_ha=[90.0, 150.0])
    protected = gpd.GeoDataFrame({"kind": ["basic_farmland"]},
                                 geometry=[square(X0 + 2250, Y0 - 500, 1000)], crs=4549)
    path = _write(folder / "planted.gpkg", zones=zones, parks=parks, counties=_counties(9000),
                  protected=protected)
    out.append(("planted", validate_path(path)))
    # outside its county (a park across the border)
    parks = make_parks()
    parks.loc[1, "geometry"] = square(X0 + 9800, Y0, 500)
    path = _write(folder / "outside.gpkg", zones=make_zones(), parks=parks, counties=_counties())
    out.append(("outside", validate_path(path)))
    # R1 and R12 against a baseline: Z1 moved, Z2 removed, Z3 added, P4 new
    base = _write(folder / "baseline.gpkg", zones=make_zones(), parks=make_parks())
    zones = make_zones(zone_id=["Z1", "Z3"])
    zones.loc[0, "geometry"] = square(X0 + 100, Y0, 1000)
    zones.loc[1, "geometry"] = square(X0 + 26_000, Y0 + 2000, 500)
    path = _write(folder / "changed.gpkg", zones=zones,
                  parks=make_parks(park_id=["P1", "P2", "P4"]))
    out.append(("changed", validate_path(path, baseline=base)))
    # the national catalogue: a code it lacks, a name it holds twice, an area it contradicts,
    # and an approved area taken from it; industries written as unknown words
    zones = make_zones(zone_id=["G999999", "Z2"], name=["嘉兴经济技术开发区", "东乡经济开发区"])
    path = _write(folder / "catalogue.gpkg", zones=zones,
                  parks=make_parks(industries=["C38、在建", "纺织", "绿色水工"]))
    out.append(("catalogue", validate_path(path)))
    for k, area in enumerate((1242.0, None)):
        zones = make_zones(zone_id=["G331112", "Z2"], name=["嘉兴经济技术开发区", "平湖示例"],
                           approved_area_ha=[area, 150.0])
        path = _write(folder / f"catalogue{k}.gpkg", zones=zones, parks=make_parks())
        out.append((f"catalogue{k}", validate_path(path)))
    return out


def _space(folder):
    """The land-use survey's rules (R4): the developable-space test's planted grid."""
    import test_space as ts

    from parkgeo.read import read_dataset

    lu = ts.grid([(shapely.box(ts.X0, ts.Y0 + 400, ts.X0 + 100, ts.Y0 + 500), "0601")])
    lu.loc[85, "dlbm"] = "9999"
    path = ts.write(folder / "space.gpkg", zones=ts.zones(declared=(300.0, 40.0)),
                    parks=ts.parks(declared=16.0), landuse=lu)
    return [("space", validate_dataset(read_dataset(path, strict=False)))]


@pytest.fixture(scope="module")
def reports(tmp_path_factory):
    folder = tmp_path_factory.mktemp("zh")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return _corpus() + _planted(folder) + _space(folder)


@pytest.fixture(scope="module")
def findings(reports):
    return [(name, f) for name, report in reports for f in report.findings]


def _report_words(report):
    """Latin words of the files a report names (the dataset and the baseline)."""
    return {w for p in (report.dataset, report.baseline) if p for w in LATIN.findall(Path(p).name)}


def _data_words(name):
    """Latin words of the data's own values and file names (ids, names, codes as written)."""
    words = set(LATIN.findall(name))
    path = BAD / name
    files = [path] if path.is_file() else sorted(path.iterdir()) if path.is_dir() else []
    for file in files:
        words.update(LATIN.findall(file.name))
        if file.suffix.lower() not in (".gpkg", ".geojson", ".csv", ".shp"):
            continue
        try:
            layers = [n for n, _ in pyogrio.list_layers(file)]
        except Exception:  # a deliberately broken file of the corpus: no words to take
            continue
        for layer in layers:
            try:
                frame = pyogrio.read_dataframe(file, layer=layer, read_geometry=False)
            except Exception:  # as above
                continue
            words.update(map(str, frame.columns))
            for col in frame.columns:
                for v in frame[col].dropna().astype(str).unique()[:200]:
                    words.update(LATIN.findall(v))
    return words


#: contract field and layer names and their short aliases, and the spellings of true and false
#: the reader accepts, which messages name as they are written in the data
CONTRACT_WORDS = ({f.name for fs in LAYERS.values() for f in fs} | set(LAYERS)
                  | set(SHORT_ALIASES.values()) | set(_TRUE) | set(_FALSE)
                  | {w for fs in LAYERS.values() for f in fs for c in f.choices or ()
                     for w in LATIN.findall(str(c))}
                  | {"landuse", "dlbm", "dlmc", "geometry", "development_boundary", "name",
                     "approved_area_ha", "platform_id", "zone_id", "park_id"})


#: codes: feature ids (Z1, P4), catalogue codes (G331112), GB/T 4754 codes (C38), rule ids (R12)
CODE = re.compile(r"^[A-Z]\d+$")


def english_words(text, allowed):
    """Latin words in ``text`` that are not codes, field names or words of the data."""
    return sorted({w for w in LATIN.findall(text)
                   if w not in allowed and w not in ZH_ALLOWED and w not in CONTRACT_WORDS
                   and not CODE.match(w)})


def test_every_rule_id_is_planted(findings):
    assert {f.rule for _, f in findings} == set(RULES)


def test_every_finding_has_a_chinese_message_without_english_words(reports):
    leaks = {}
    count = 0
    for name, report in reports:
        words = _data_words(name) | _report_words(report)
        for f in report.findings:
            count += 1
            assert f.message_zh and CJK.search(f.message_zh), (name, f.rule, f.message)
            extra = english_words(f.message_zh, words)
            if extra:
                leaks[(name, f.rule)] = (extra, f.message_zh)
    assert leaks == {}
    assert count >= len(RULES)


def test_the_checker_sees_english():
    assert english_words("该图层没有坐标系;the layer lacks its CRS", set()) == [
        "CRS", "its", "lacks", "layer", "the"]
    assert english_words("园区 P1 的 industries 为 C38(dev_mu 1e+15)", set()) == []


def test_the_chinese_message_carries_the_english_message_numbers(findings):
    # the same figures: every number of the English message is in the Chinese one (the
    # Chinese may add none of its own but the unit words)
    missing = {}
    for name, f in findings:
        en = set(NUMBER.findall(f.message))
        zh = set(NUMBER.findall(f.message_zh))
        if en - zh:
            missing[(name, f.rule, f.id)] = (sorted(en - zh), f.message, f.message_zh)
    assert missing == {}


def test_the_rule_ids_are_chinese_everywhere_in_the_json_and_the_gpkg(reports, tmp_path):
    name, report = next((n, r) for n, r in reports if n == "planted")
    data = json.loads(report.to_json())
    assert [d["message_zh"] for d in data["findings"]] == [f.message_zh for f in report.findings]
    path = report.write_gpkg(tmp_path / "findings.gpkg")
    layer = pyogrio.read_dataframe(path, layer="findings", read_geometry=False)
    assert layer["message_zh"].tolist() == [f.message_zh for f in report.findings]
    assert layer["message"].tolist() == [f.message for f in report.findings]


def test_the_findings_map_shows_the_messages_in_its_language(reports, tmp_path):
    from test_validate import page_data

    from parkgeo.publish.findings_map import render_findings_map

    findings = tuple(f for _, r in reports for f in r.findings)
    report = ValidationReport(findings=findings, dataset="all.gpkg")
    for lang, attr in (("zh", "message_zh"), ("en", "message")):
        html = render_findings_map(report, lang=lang)
        data = page_data(html)
        shown = sorted(rec["m"] for markers in data["markers"].values()
                       for rec, _, _ in markers)
        placed = sorted(getattr(f, attr) for f in findings if f.x is not None)
        assert shown == placed
        summary = re.search(r'id="pg-summary".*', html, re.S).group(0)
        from parkgeo.publish.elements import esc

        unplaced = [f for f in findings if f.x is None]
        assert unplaced and esc(getattr(unplaced[0], attr)) in summary
