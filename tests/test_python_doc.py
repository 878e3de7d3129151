"""docs/python.md runs: its code blocks, executed in order, on the bundled sample."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PAGE = ROOT / "docs" / "python.md"


def blocks(text):
    return re.findall(r"```python\n(.*?)```", text, flags=re.S)


def test_the_page_has_a_session():
    code = blocks(PAGE.read_text(encoding="utf-8"))
    assert len(code) >= 5
    joined = "\n".join(code)
    for name in ("read_dataset", "validate", "integrate", "evaluate_targets", "rank", "admit",
                 "write_map", "write_invest_map", "write_report", "load_result"):
        assert f"parkgeo.{name}(" in joined, name


def test_the_notebook_session_runs(sample_path, tmp_path, monkeypatch):
    (tmp_path / "layers").mkdir()
    (tmp_path / "layers" / "jiaxing.gpkg").symlink_to(sample_path)
    (tmp_path / "out").mkdir()
    monkeypatch.chdir(tmp_path)
    namespace = {}
    for k, code in enumerate(blocks(PAGE.read_text(encoding="utf-8"))):
        try:
            exec(compile(code, f"docs/python.md block {k + 1}", "exec"), namespace)
        except Exception as exc:  # name the block that failed
            pytest.fail(f"docs/python.md block {k + 1}: {type(exc).__name__}: {exc}")
    for name in ("result.gpkg", "map.html", "invest.html", "report.xlsx"):
        assert (tmp_path / "out" / name).stat().st_size > 0, name


def test_import_parkgeo_is_cheap_and_lists_the_facade():
    import subprocess
    import sys

    code = ("import sys, parkgeo; assert 'geopandas' not in sys.modules; "
            "print(' '.join(n for n in dir(parkgeo) if not n.startswith('_')))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True).stdout.split()
    for name in ("read_dataset", "validate", "integrate", "evaluate_targets", "rank", "admit",
                 "write_map", "write_invest_map", "write_report", "load_result"):
        assert name in out


def test_integrate_check_refuses_overlapping_parks():
    from conftest import X0, Y0, make_parks, make_zones, square

    import parkgeo
    from parkgeo.errors import ValidationFailedError

    parks = make_parks()
    parks.loc[1, "geometry"] = square(X0 + 2100, Y0, 500)  # overlaps P1 by 80%
    data = {"zones": make_zones(), "parks": parks}
    with pytest.raises(ValidationFailedError, match="overlap"):
        parkgeo.integrate(data)  # checked by default, as `parkgeo integrate` checks
    with pytest.raises(ValidationFailedError, match="overlap"):
        parkgeo.integrate(data, check=True)
    assert len(parkgeo.integrate(data, check=False).platforms)  # the engine alone, on request
