"""Shared fixtures: tiny datasets in the data contract, built in code."""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import pytest
import shapely
from hypothesis import settings

# no per-example time limit: the suite shares its cores (pytest-xdist, other jobs), and the
# property tests assert behaviour, not speed
settings.register_profile("parkgeo", deadline=None)
settings.load_profile("parkgeo")

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "layers" / "jiaxing.gpkg"

# EPSG:4549 (CGCS2000 / 3-degree GK CM 120E) coordinates near Jiaxing: x ≈ 570 km, y ≈ 3,400 km
X0, Y0 = 570_000.0, 3_400_000.0


#: the modules that take longest (wall time under pytest-xdist on 2 cores), handed to the workers
#: first so that the many short modules fill the end of the run instead of one long module
#: running alone on one worker; test_one_language.py first, as its setup runs the demo
#: (``demo_run``) that test_demo.py, handed out last, then only reads
FIRST = ("browser/test_one_language.py", "test_bad_inputs.py", "test_report.py",
         "test_interruption.py", "test_result.py", "test_integrate.py",
         "browser/test_browser_phone.py", "test_validate.py", "test_fuzz.py",
         "browser/test_browser_hostile.py", "browser/test_browser_maps.py", "test_plan_docx.py",
         "browser/test_browser_validate.py", "test_space.py")
LAST = ("test_demo.py",)


def pytest_collection_modifyitems(config, items):
    """Order the modules for ``--dist loadscope --no-loadscope-reorder`` (pyproject.toml):
    :data:`FIRST` in that order, then the others with the most tests first (what xdist's own
    reordering does), then :data:`LAST`; the tests inside a module keep their order."""
    import collections

    tests = Path(__file__).resolve().parent

    def module(item):
        try:
            return item.path.resolve().relative_to(tests).as_posix()
        except ValueError:
            return str(item.path)

    count = collections.Counter(module(item) for item in items)

    def rank(item):
        m = module(item)
        if m in FIRST:
            return (0, FIRST.index(m), m)
        if m in LAST:
            return (2, LAST.index(m), m)
        return (1, -count[m], m)

    items.sort(key=rank)  # stable: a module's tests stay in collection order


def square(x, y, side):
    """An axis-aligned square (metres, EPSG:4549) with its lower-left corner at (x, y)."""
    return shapely.box(x, y, x + side, y + side)


def make_zones(**overrides):
    """Two zones in two counties, as a contract-conforming GeoDataFrame in EPSG:4549."""
    data = {
        "zone_id": ["Z1", "Z2"],
        # illustrative names: a real name would be checked against the national catalogue (R2)
        "name": ["南湖示例经济开发区", "平湖示例经济开发区"],
        "county": ["南湖区", "平湖市"],
        "level": ["national", "provincial"],
        "approved_area_ha": [150.0, 150.0],
        "industries": ["C38;C39", "C36"],
        "developable_mu": [8000.0, 6000.0],
        "industrial_va_100m": [60.0, 50.0],
    }
    data.update(overrides)
    geoms = [square(X0, Y0, 1000), square(X0 + 20_000, Y0, 1000)]
    return gpd.GeoDataFrame(data, geometry=geoms, crs=4549)


def make_parks(**overrides):
    """Three parks, as a contract-conforming GeoDataFrame in EPSG:4549."""
    data = {
        "park_id": ["P1", "P2", "P3"],
        "name": ["凤桥镇工业园区", "余新镇工业园区", "新埭镇工业园区"],
        "county": ["南湖区", "南湖区", "平湖市"],
        "town": ["凤桥镇", "余新镇", "新埭镇"],
        "park_type": ["town_park", "town_park", "characteristic_town"],
        "industries": ["C38", "C17", "C36"],
        "conforms_to_plan": [True, False, True],
        "hazard": ["none", "major", "none"],
        "developable_mu": [1200.0, 300.0, 800.0],
        "industrial_va_100m": [8.0, 1.0, 5.0],
    }
    data.update(overrides)
    geoms = [square(X0 + 2000, Y0, 500), square(X0 + 4000, Y0, 500),
             square(X0 + 22_000, Y0, 500)]
    return gpd.GeoDataFrame(data, geometry=geoms, crs=4549)


@pytest.fixture
def zones():
    return make_zones()


@pytest.fixture
def parks():
    return make_parks()


@pytest.fixture
def tiny_gpkg(tmp_path, zones, parks):
    """A two-layer GeoPackage in the contract."""
    path = tmp_path / "tiny.gpkg"
    zones.to_file(path, layer="zones")
    parks.to_file(path, layer="parks")
    return path


@pytest.fixture(scope="session")
def sample_path():
    if not SAMPLE.exists():
        pytest.skip("layers/jiaxing.gpkg is built by scripts/build_sample.py")
    return SAMPLE


@pytest.fixture(scope="session")
def chromium():
    """Debian's headless Chromium, one per test session and worker (tests/browser/helpers.py);
    each test loads its page with ``open_map`` (into one tab per window size, left blank after)."""
    from browser.helpers import browser

    with browser() as b:
        yield b


@pytest.fixture(scope="session")
def sample_result():
    """The Jiaxing sample consolidated once per test session under the default scenario
    (a :class:`parkgeo.result.ConsolidationResult`); tests must not change it."""
    if not SAMPLE.exists():
        pytest.skip("layers/jiaxing.gpkg is built by scripts/build_sample.py")
    from parkgeo.consolidate.integrate import integrate
    from parkgeo.read import read_dataset

    return integrate(read_dataset(SAMPLE), jobs=1)


@pytest.fixture(scope="session")
def sample_result_gpkg(sample_result, tmp_path_factory):
    """:func:`sample_result` written once, as ``parkgeo integrate`` writes it (styled)."""
    from parkgeo.publish.qgis import style_result

    return sample_result.write(tmp_path_factory.mktemp("sample") / "result.gpkg",
                               styles=style_result)


def once_per_run(tmp_path_factory, name, build):
    """``build(folder)`` run once per test run, however many pytest-xdist workers ask for it.

    A session fixture runs once per worker; with this, the first worker to ask builds ``name``
    into a folder beside the workers' own base folders, under a lock, and the others wait for it
    and read what it returned (``build`` returns a JSON value). Without xdist it just builds.
    """
    import fcntl
    import json
    import os
    import shutil

    base = tmp_path_factory.getbasetemp()
    if os.environ.get("PYTEST_XDIST_WORKER"):
        base = base.parent  # the run's folder, shared by every worker
    done = base / f"{name}.json"
    with open(base / f"{name}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if done.exists():
            return json.loads(done.read_text(encoding="utf-8"))
        folder = base / name
        shutil.rmtree(folder, ignore_errors=True)  # a build that failed in another worker
        folder.mkdir()
        value = build(folder)
        done.write_text(json.dumps(value), encoding="utf-8")
        return value


@pytest.fixture(scope="session")
def tiny_report_html(tmp_path_factory):
    """report.html of the tiny result (tests/measure_fixtures.py) with a year of monitoring for
    both platforms and two located projects, written once per test run (its charts and static
    map take seconds to draw); read in Chromium by the phone and print tests."""

    def build(folder):
        import warnings

        from measure_fixtures import (
            HAND_ANNUAL,
            hand_monitoring,
            point,
            projects_frame,
            tiny_result,
            write_gpkg,
        )

        from parkgeo.publish.report import write_report

        res = tiny_result()
        res["monitoring"] = hand_monitoring({"Z1": HAND_ANNUAL["A"], "Z2": HAND_ANNUAL["B"]})
        res["projects"] = projects_frame([
            ["J1", "电子信息项目", "C39", 30000, 100, 200, 3000, 60000, "new", "signed", 2019],
            ["J2", "化工项目", "C26", 30000, 100, 200, 3000, 60000, "new", "proposed", 2020],
        ], [point("南湖区", 0), point("海宁市", 0)])
        src = str(write_gpkg(res, folder / "result.gpkg"))
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return str(write_report(src, folder / "report.html"))

    return Path(once_per_run(tmp_path_factory, "tiny-report", build))


@pytest.fixture(scope="session")
def published(tmp_path_factory):
    """Pages read by more than one browser test module, written once per test run: the tiny
    result of tests/publish_data.py, plain and with hostile text in every field,
    and the consolidation and investment-attraction maps published from it as the commands do
    by default (offline, Chinese): ``plain`` and ``hostile`` GeoPackages, ``map``, ``invest``
    and ``map_hostile`` pages. Read by the maps, phone and space tests; none may change them."""

    def build(folder):
        import warnings

        from publish_data import write_result

        from parkgeo.publish.investmap import write_invest_map
        from parkgeo.publish.webmap import write_map

        plain = write_result(folder / "result.gpkg")
        hostile = write_result(folder / "hostile.gpkg", hostile=True)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            out = {"map": write_map(plain, out=folder / "map.html"),
                   "invest": write_invest_map(plain, out=folder / "invest.html"),
                   "map_hostile": write_map(hostile, out=folder / "map_hostile.html")}
        return {"plain": str(plain), "hostile": str(hostile)} | {k: str(v) for k, v in out.items()}

    return {k: Path(v) for k, v in once_per_run(tmp_path_factory, "published", build).items()}


@pytest.fixture(scope="session")
def findings_map(tmp_path_factory):
    """The findings maps of tests/browser/test_browser_validate.py (and the validation report
    they show), read there and by the phone tests."""
    from test_browser_validate import write_findings_maps

    return write_findings_maps(tmp_path_factory.mktemp("vmap"))


#: outputs of an earlier demo in the folder the session's demo writes into (it must replace them)
STALE = b"<!-- an earlier demo's output -->"


@pytest.fixture(scope="session")
def demo_run(tmp_path_factory):
    """``parkgeo demo`` run once per test run (its tests are in tests/test_demo.py; its Chinese
    outputs are also read by tests/browser/test_one_language.py), into a folder that already
    holds two outputs of an earlier demo; every rename of a ``.part`` file onto its target is
    recorded (parkgeo/_atomic.py). Returns ``(folder, run, renames)``, ``run`` with the CLI's
    ``exit_code`` and ``output``."""
    if not SAMPLE.exists():
        pytest.skip("layers/jiaxing.gpkg is built by scripts/build_sample.py")
    from types import SimpleNamespace

    def build(folder):
        import os

        from click.testing import CliRunner

        from parkgeo.cli.main import cli

        out = folder / "maps"
        out.mkdir()
        for name in ("consolidation-map.html", "report.html"):
            (out / name).write_bytes(STALE)
        renames = []
        real = os.replace

        def replace(src, dst, *a, **k):
            real(src, dst, *a, **k)
            if ".part" in Path(src).name:
                renames.append(str(Path(dst).resolve()))

        with pytest.MonkeyPatch.context() as mp:
            mp.setattr(os, "replace", replace)
            result = CliRunner().invoke(cli, ["demo", "--out", str(out)])
        return {"out": str(out), "exit_code": result.exit_code, "output": result.output,
                "renames": renames}

    got = once_per_run(tmp_path_factory, "demo", build)
    run = SimpleNamespace(exit_code=got["exit_code"], output=got["output"])
    return Path(got["out"]), run, [Path(p) for p in got["renames"]]
