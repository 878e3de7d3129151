"""GeoPackages are read and written through pyogrio's Arrow path when pyarrow is installed.

The Arrow stream moves whole columns instead of one value at a time. These tests hold it to
the row reader and row writer it replaces: the same normalised dataset, the same bytes
written, and the row path wherever the Arrow one would differ.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pyogrio
import pytest
import shapely
from conftest import SAMPLE, make_parks, make_zones

import parkgeo._gpkg as gpkg
import parkgeo.read.dataset as dataset
from parkgeo.read import read_dataset

pytest.importorskip("pyarrow")


@pytest.fixture
def arrow_calls(monkeypatch):
    """Every ``use_arrow`` pyogrio was called with, for reading and for writing."""
    calls = {"read": [], "write": []}
    read, write = pyogrio.read_dataframe, pyogrio.write_dataframe

    def spy_read(*args, **kwargs):
        calls["read"].append(bool(kwargs.get("use_arrow")))
        return read(*args, **kwargs)

    def spy_write(*args, **kwargs):
        calls["write"].append(bool(kwargs.get("use_arrow")))
        return write(*args, **kwargs)

    monkeypatch.setattr(pyogrio, "read_dataframe", spy_read)
    monkeypatch.setattr(pyogrio, "write_dataframe", spy_write)
    return calls


def _messy_gpkg(path):
    """Zones and parks with what the two readers hand over differently: booleans, numbers
    and text with nulls, Chinese booleans, a date, a free extra field."""
    zones = make_zones()
    zones["main_platform"] = pd.array([True, None], dtype="boolean")
    zones["opened"] = pd.to_datetime(["2006-05-01", None])
    parks = make_parks()
    parks["conforms_to_plan"] = pd.array([True, None, False], dtype="boolean")
    parks["low_small_scattered"] = ["否", None, "是"]
    parks["developable_mu"] = [1200.0, np.nan, 300.0]
    parks["staff"] = pd.array([120, None, 7], dtype="Int64")
    parks["备注"] = ["甲", None, "乙"]
    zones.to_file(path, layer="zones", driver="GPKG")
    parks.to_file(path, layer="parks", driver="GPKG")
    return path


def _read_both(path, monkeypatch, arrow_calls):
    """The dataset read through Arrow, then through the row reader."""
    by_arrow = read_dataset(path, strict=False)
    assert arrow_calls["read"] and all(arrow_calls["read"]), "the Arrow path was not taken"
    with monkeypatch.context() as m:
        m.setattr(dataset, "_arrow", lambda path, kwargs: False)
        by_rows = read_dataset(path, strict=False)
    return by_arrow, by_rows


@pytest.mark.parametrize("which", ["sample", "messy"])
def test_the_arrow_reader_gives_the_dataset_the_row_reader_gives(which, tmp_path, monkeypatch,
                                                               arrow_calls):
    path = SAMPLE if which == "sample" else _messy_gpkg(tmp_path / "messy.gpkg")
    if not path.exists():
        pytest.skip("layers/jiaxing.gpkg is built by scripts/build_sample.py")
    by_arrow, by_rows = _read_both(path, monkeypatch, arrow_calls)
    assert sorted(by_arrow.layers) == sorted(by_rows.layers)
    for name, frame in by_rows.layers.items():
        got = by_arrow.layers[name]
        if isinstance(frame, gpd.GeoDataFrame):
            assert got.crs == frame.crs, name
            assert shapely.equals_exact(got.geometry.values, frame.geometry.values, 0).all(), \
                name
            got, frame = got.drop(columns=got.geometry.name), frame.drop(
                columns=frame.geometry.name)
        pd.testing.assert_frame_equal(pd.DataFrame(got), pd.DataFrame(frame), obj=name)
    assert [str(p) for p in by_arrow.problems] == [str(p) for p in by_rows.problems]


def test_a_messy_layer_keeps_its_nulls_and_chinese_booleans(tmp_path, arrow_calls):
    ds = read_dataset(_messy_gpkg(tmp_path / "messy.gpkg"), strict=False)
    parks = ds["parks"]
    assert parks["low_small_scattered"].tolist()[::2] == [False, True]
    assert parks["conforms_to_plan"].tolist()[::2] == [True, False]
    for col in ("low_small_scattered", "conforms_to_plan", "备注", "staff", "developable_mu"):
        assert parks[col].isna().tolist() == [False, True, False], col
    assert parks["备注"].tolist()[::2] == ["甲", "乙"]
    assert parks["staff"].tolist()[::2] == [120, 7]
    # a required value that is empty is a finding, whichever reader read it
    assert {(p.id, p.field) for p in ds.problems if p.rule == "bad_value"} == \
        {("P2", "conforms_to_plan"), ("P2", "developable_mu")}


def test_geometries_with_m_values_are_read_by_the_row_reader(arrow_calls):
    """The Arrow stream keeps M values, which the row reader drops (and the GeoPackage
    writer cannot take back): such a layer is read again row by row."""
    path = Path(__file__).parent / "data" / "bad" / "z_m_coordinates.gpkg"
    layers = [name for name, _ in pyogrio.list_layers(path)]
    with_m = [name for name in layers if shapely.has_m(
        pyogrio.read_dataframe(path, layer=name, use_arrow=True).geometry.array).any()]
    assert with_m, "the corpus file has no M values"
    arrow_calls["read"].clear()
    ds = read_dataset(path, strict=False)
    assert arrow_calls["read"].count(False) == len(with_m)  # read once more, by rows
    for name in with_m:
        assert not shapely.has_m(ds[name].geometry.array).any()
        assert shapely.has_z(ds[name].geometry.array).all()


def _tables(path):
    """Every table of a GeoPackage, with its schema (rows as SQLite holds them)."""
    with sqlite3.connect(path) as con:
        names = [r[0] for r in con.execute(
            "SELECT name FROM sqlite_master WHERE type='table' ORDER BY name")]
        return {n: list(con.execute(f'SELECT * FROM "{n}"')) for n in names}, \
            list(con.execute("SELECT type, name, sql FROM sqlite_master ORDER BY name"))


def test_the_arrow_writer_writes_the_tables_the_row_writer_writes(sample_result, tmp_path,
                                                                monkeypatch, arrow_calls):
    from parkgeo.result import write_result

    write_result(sample_result, tmp_path / "arrow.gpkg")
    assert arrow_calls["write"] and all(arrow_calls["write"]), "the Arrow path was not taken"
    with monkeypatch.context() as m:
        m.setattr(gpkg, "_arrow", lambda frame, kwargs: False)
        write_result(sample_result, tmp_path / "rows.gpkg")
    assert _tables(tmp_path / "arrow.gpkg") == _tables(tmp_path / "rows.gpkg")


def test_a_column_of_mixed_values_is_written_by_the_row_writer(tmp_path, arrow_calls):
    frame = gpd.GeoDataFrame({"name": ["甲", "乙"], "mixed": ["3", 4]},
                             geometry=[shapely.box(0, 0, 1, 1), shapely.box(1, 0, 2, 1)],
                             crs="EPSG:4549")
    gpkg.write_layer(frame, tmp_path / "x.gpkg", "x")
    gpkg.write_layer(frame[["name", "geometry"]], tmp_path / "x.gpkg", "y")
    assert arrow_calls["write"] == [False, True]
    back = pyogrio.read_dataframe(tmp_path / "x.gpkg", layer="x")
    assert back["name"].tolist() == ["甲", "乙"]
