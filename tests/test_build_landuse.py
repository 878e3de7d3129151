"""scripts/build_landuse.py: an illustrative survey added to the sample, into another file."""

from __future__ import annotations

import hashlib
import subprocess
import sys
from pathlib import Path

import pyogrio
import pytest
from click.testing import CliRunner

from parkgeo.cli.main import cli
from parkgeo.read import read_dataset
from parkgeo.validate import validate_dataset
from parkgeo.validate.space import measure_space

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "layers" / "jiaxing.gpkg"
SCRIPT = ROOT / "scripts" / "build_landuse.py"


def _digest(path):
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    before = _digest(SAMPLE)
    out = tmp_path_factory.mktemp("landuse") / "jiaxing_landuse.gpkg"
    done = subprocess.run([sys.executable, str(SCRIPT), str(SAMPLE), str(out), "--cells",
                           "4000"], capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
    assert _digest(SAMPLE) == before  # the sample is never modified
    return out


def test_layers_copied_and_survey_labelled(built):
    src = {str(n) for n, _ in pyogrio.list_layers(SAMPLE)}
    out = {str(n) for n, _ in pyogrio.list_layers(built)}
    assert out == src | {"landuse"}
    about = pyogrio.read_dataframe(built, layer="about").set_index("key")["value"]
    assert about["landuse"].startswith("illustrative, not real")
    survey = pyogrio.read_info(built, layer="landuse")
    assert survey["crs"] == "EPSG:4528" and survey["features"] >= 3000
    zones_in = pyogrio.read_dataframe(SAMPLE, layer="zones")
    zones_out = pyogrio.read_dataframe(built, layer="zones")
    assert zones_out.geometry.equals(zones_in.geometry)


def test_survey_covers_every_feature_and_supports_the_declared_figures(built):
    ds = read_dataset(built)
    res = measure_space(ds)
    t = res.table
    assert len(t) == len(ds["zones"]) + len(ds["parks"])
    assert t["uncovered_share"].max() < 1e-6
    assert t["overlap_mu"].max() == 0
    assert (t["developable_mu"] > 0).all()
    assert not validate_dataset(ds).by_rule("landuse_bad_code")


def test_space_command_on_the_sample(built, tmp_path):
    xlsx = tmp_path / "核算表.xlsx"
    result = CliRunner().invoke(cli, ["space", str(built), "--out", str(tmp_path / "s.gpkg"),
                                      "--xlsx", str(xlsx)])
    assert result.exit_code == 0, result.output
    assert xlsx.exists()


def test_refuses_to_write_over_its_source(tmp_path):
    done = subprocess.run([sys.executable, str(SCRIPT), str(SAMPLE), str(SAMPLE)],
                          capture_output=True, text=True, check=False)
    assert done.returncode == 2 and "never modified" in done.stderr
