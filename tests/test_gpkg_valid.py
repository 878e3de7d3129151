"""Every GeoPackage parkgeo ships or writes passes GDAL's validator (validate_gpkg.py).

The validator comes from the ``gdal-utils`` wheel and runs with Debian's ``python3-gdal``
(both installed by ``scripts/install.sh``). Files are GeoPackage 1.2 unless
PARKGEO_GPKG_VERSION asks otherwise, and every DATETIME (``gpkg_contents.last_change``,
``layer_styles.update_time``) is valid, with milliseconds (Req 15).
"""

from __future__ import annotations

import importlib.util
import shutil
import sqlite3
import struct
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner

from parkgeo._gpkg import gpkg_datetime, gpkg_version
from parkgeo.cli.main import cli

REPO = Path(__file__).resolve().parents[1]
SAMPLES = sorted((REPO / "layers").glob("*.gpkg"))


def _validator():
    spec = importlib.util.find_spec("osgeo_utils")
    assert spec is not None, "gdal-utils is not installed (scripts/install.sh installs it)"
    script = Path(spec.submodule_search_locations[0]) / "samples" / "validate_gpkg.py"
    python = shutil.which("python3", path="/usr/bin:/usr/local/bin")
    assert python, "no system python3 to run validate_gpkg.py with python3-gdal"
    probe = subprocess.run([python, "-c", "import osgeo.ogr"], capture_output=True)
    assert probe.returncode == 0, "python3-gdal is not installed (scripts/install.sh lists it)"
    return python, script


@pytest.fixture(scope="module")
def validate_gpkg():
    python, script = _validator()

    def run(path):
        proc = subprocess.run([python, str(script), str(path)], capture_output=True, text=True)
        assert proc.returncode == 0, f"{path.name}: {proc.stdout}{proc.stderr}"
        return proc.stdout + proc.stderr

    return run


def _version(path):
    with open(path, "rb") as fh:
        head = fh.read(100)
    return head[68:72], struct.unpack(">I", head[60:64])[0]


@pytest.fixture(scope="module")
def written(tmp_path_factory):
    """The GeoPackages the commands write, from the Jiaxing sample."""
    out = tmp_path_factory.mktemp("gpkg")
    sample = REPO / "layers" / "jiaxing.gpkg"
    runner = CliRunner()
    result = out / "result.gpkg"
    steps = [
        ["integrate", str(sample), "--out", str(result)],
        ["validate", str(sample), "--gpkg", str(out / "findings.gpkg")],
        ["admit", str(result), str(sample), "--out", str(out / "admission.gpkg")],
    ]
    for args in steps:
        r = runner.invoke(cli, args)
        assert r.exit_code in (0, 1), r.output
    return {p.name: p for p in (result, out / "findings.gpkg", out / "admission.gpkg")}


@pytest.mark.parametrize("sample", SAMPLES, ids=[p.name for p in SAMPLES])
def test_bundled_samples_pass_gdal_validator(sample, validate_gpkg):
    validate_gpkg(sample)
    assert _version(sample) == (b"GPKG", 10200)


@pytest.mark.parametrize("name", ["result.gpkg", "findings.gpkg", "admission.gpkg"])
def test_written_geopackages_pass_gdal_validator(written, name, validate_gpkg):
    path = written[name]
    assert path.exists()
    validate_gpkg(path)
    assert _version(path) == (b"GPKG", 10200)  # GeoPackage 1.2, not GDAL's default 1.4


def test_result_datetimes_have_milliseconds_and_styles_a_default(written):
    with sqlite3.connect(written["result.gpkg"]) as con:
        stamps = [r[0] for r in con.execute("SELECT last_change FROM gpkg_contents")]
        ddl = con.execute("SELECT sql FROM sqlite_master WHERE name = 'layer_styles'").fetchone()
        times = [r[0] for r in con.execute("SELECT update_time FROM layer_styles")]
        con.execute("INSERT INTO layer_styles (f_table_name) VALUES ('x')")
        added = con.execute("SELECT update_time FROM layer_styles WHERE f_table_name = 'x'")
        added = added.fetchone()[0]
        con.rollback()
    assert stamps and all(s.endswith("Z") and len(s) == 24 for s in stamps)  # ….SSSZ
    assert '"update_time" DATETIME DEFAULT' in ddl[0]
    assert times and all(t == "2000-01-01T00:00:00.000Z" for t in times)
    # a row QGIS adds without a time gets one from the DEFAULT, in the standard's format
    assert added == gpkg_datetime(added)


def test_version_can_be_asked_for(tmp_path, monkeypatch, validate_gpkg):
    import geopandas as gpd
    import shapely

    from parkgeo._gpkg import write_layer

    monkeypatch.setenv("PARKGEO_GPKG_VERSION", "1.4")
    assert gpkg_version() == "1.4"
    frame = gpd.GeoDataFrame({"a": [1]}, geometry=[shapely.Point(120.7, 30.7)], crs=4490)
    write_layer(frame, tmp_path / "v14.gpkg", "x")
    assert _version(tmp_path / "v14.gpkg") == (b"GPKG", 10400)
    monkeypatch.setenv("PARKGEO_GPKG_VERSION", "9.9")  # unknown: the default
    assert gpkg_version() == "1.2"


@pytest.mark.parametrize("text, expected", [
    ("2020-12-31T00:00:00Z", "2020-12-31T00:00:00.000Z"),
    ("2020-12-31 08:30", "2020-12-31T08:30:00.000Z"),
    ("2020-12-31T08:30:05.1234Z", "2020-12-31T08:30:05.123Z"),
])
def test_gpkg_datetime(text, expected):
    assert gpkg_datetime(text) == expected
    with pytest.raises(ValueError):
        gpkg_datetime("31/12/2020")
