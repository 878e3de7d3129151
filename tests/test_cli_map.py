"""`parkgeo map` and `parkgeo invest-map`: exit codes, messages, outputs."""

from __future__ import annotations

import pytest
from click.testing import CliRunner
from publish_data import make_result_layers, write_result

from parkgeo.cli.main import cli


@pytest.fixture
def result_gpkg(tmp_path):
    return write_result(tmp_path / "result.gpkg")


def run(*args, env=None):
    return CliRunner().invoke(cli, [str(a) for a in args], env=env)


@pytest.mark.parametrize("command", ["map", "invest-map"])
def test_writes_html_png_pdf(command, result_gpkg, tmp_path):
    out, png, pdf = tmp_path / "m.html", tmp_path / "m.png", tmp_path / "m.pdf"
    r = run(command, result_gpkg, "--out", out, "--png", png, "--pdf", pdf, "--lang", "en",
            "--title", "Test map")
    assert r.exit_code == 0, r.output
    assert "<title>Test map</title>" in out.read_text(encoding="utf-8")
    assert png.stat().st_size > 10_000 and pdf.read_bytes().startswith(b"%PDF")


@pytest.mark.parametrize("command", ["map", "invest-map"])
def test_existing_output_exit_2_and_untouched(command, result_gpkg, tmp_path):
    out = tmp_path / "m.html"
    out.write_text("old", encoding="utf-8")
    r = run(command, result_gpkg, "--out", out)
    assert r.exit_code == 2
    assert "exists" in r.output and "--overwrite" in r.output
    assert out.read_text(encoding="utf-8") == "old"
    assert run(command, result_gpkg, "--out", out, "--overwrite").exit_code == 0


def test_missing_result_exit_2_one_line(tmp_path):
    r = run("map", tmp_path / "nope.gpkg", "--out", tmp_path / "m.html")
    assert r.exit_code == 2
    assert "nope.gpkg" in r.output and "Traceback" not in r.output
    assert not (tmp_path / "m.html").exists()


def test_not_a_result_names_the_layer(tmp_path):
    path = tmp_path / "input.gpkg"
    layers = make_result_layers()
    for name in ("zones", "parks"):  # an input dataset, not a consolidation result
        layers[name].to_file(path, layer=name)
    r = run("map", path, "--out", tmp_path / "m.html")
    assert r.exit_code == 2 and "platforms" in r.output
    assert not (tmp_path / "m.html").exists()


def test_static_output_exists_refused_before_any_work(result_gpkg, tmp_path):
    png = tmp_path / "m.png"
    png.write_bytes(b"old")
    r = run("map", result_gpkg, "--out", tmp_path / "m.html", "--png", png)
    assert r.exit_code == 2
    assert not (tmp_path / "m.html").exists()


def test_bad_choice_is_usage_error(result_gpkg, tmp_path):
    r = run("map", result_gpkg, "--out", tmp_path / "m.html", "--basemap", "google")
    assert r.exit_code == 2 and "basemap" in r.output


def test_tianditu_without_key_exit_2(result_gpkg, tmp_path):
    r = run("invest-map", result_gpkg, "--out", tmp_path / "m.html", "--basemap",
            "tianditu-vec", env={"TIANDITU_KEY": ""})
    assert r.exit_code == 2 and "TIANDITU_KEY" in r.output


def test_tianditu_key_warning_printed(result_gpkg, tmp_path):
    r = run("map", result_gpkg, "--out", tmp_path / "m.html", "--basemap", "tianditu-vec",
            "--tianditu-key", "abc123")
    assert r.exit_code == 0
    assert "warning" in r.output and "key" in r.output
    assert "abc123" in (tmp_path / "m.html").read_text(encoding="utf-8")


def test_space_layer_and_a_file_without_it(result_gpkg, tmp_path):
    """R4: --space draws the measured developable land; a file without it is exit 2."""
    from space_data import OWNERS, write_space

    space = write_space(tmp_path / "space.gpkg")
    out = tmp_path / "m.html"
    r = run("map", result_gpkg, "--out", out, "--space", space)
    assert r.exit_code == 0, r.output
    assert out.read_text(encoding="utf-8").count('"k":"developable"') == len(OWNERS)
    r = run("map", result_gpkg, "--out", tmp_path / "x.html", "--space", result_gpkg)
    assert r.exit_code == 2
    assert "result.gpkg" in r.output and "developable_land" in r.output
    assert "Traceback" not in r.output and not (tmp_path / "x.html").exists()
