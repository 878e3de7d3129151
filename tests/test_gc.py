"""The collector's tuning for a long run (parkgeo/_gc.py): what it changes, and that it puts
everything back."""

from __future__ import annotations

import gc
import subprocess
import sys
import textwrap

import pytest

from parkgeo._gc import LONG_RUN_THRESHOLD, long_run


def test_long_run_freezes_what_is_alive_and_raises_the_threshold_then_restores_both():
    before_threshold, before_frozen = gc.get_threshold(), gc.get_freeze_count()
    with long_run() as keep:
        assert gc.get_threshold() == (LONG_RUN_THRESHOLD, *before_threshold[1:])
        frozen = gc.get_freeze_count()
        assert frozen > before_frozen  # the objects alive at entry (this test's, pytest's)
        data = [[k] for k in range(1000)]  # lists are tracked by the collector
        keep()
        assert gc.get_freeze_count() >= frozen + len(data)
    assert gc.get_threshold() == before_threshold
    if before_frozen == 0:
        assert gc.get_freeze_count() == 0
    else:  # what was frozen before stays frozen
        assert gc.get_freeze_count() >= before_frozen


def test_long_run_restores_the_collector_when_the_run_fails():
    before = gc.get_threshold()
    with pytest.raises(RuntimeError), long_run():
        raise RuntimeError("a failed run")
    assert gc.get_threshold() == before


def test_no_collection_at_exit_stops_the_collector_before_the_interpreter_exits(tmp_path):
    # atexit runs its functions last registered first: the one registered before
    # no_collection_at_exit runs after it, and sees the collector stopped
    script = textwrap.dedent("""
        import atexit, gc, sys
        atexit.register(lambda: print("enabled" if gc.isenabled() else "stopped",
                                      gc.get_freeze_count() > 0))
        from parkgeo._gc import no_collection_at_exit
        no_collection_at_exit()
        no_collection_at_exit()
        print("running", gc.isenabled())
    """)
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                         check=True).stdout.split()
    assert out == ["running", "True", "stopped", "True"]


@pytest.mark.parametrize(("command", "module", "name"), [
    ("validate", "parkgeo.validate", "validate_dataset"),
    ("integrate", "parkgeo.consolidate.integrate", "integrate_variants"),
])
def test_the_nation_scale_commands_run_tuned_and_give_the_collector_back(
        command, module, name, tmp_path, monkeypatch):
    # `parkgeo validate` and `parkgeo integrate` do their work with the collector tuned (at
    # nation scale the default thresholds cost them about as much as a check), and leave it
    # as they found it for whatever runs next in the process
    import importlib

    from click.testing import CliRunner
    from conftest import SAMPLE

    from parkgeo.cli.main import cli

    if not SAMPLE.exists():
        pytest.skip("layers/jiaxing.gpkg is built by scripts/build_sample.py")
    mod = importlib.import_module(module)
    real, seen = getattr(mod, name), []

    def spy(*args, **kwargs):
        seen.append(gc.get_threshold()[0])
        return real(*args, **kwargs)

    monkeypatch.setattr(mod, name, spy)
    before = gc.get_threshold()
    args = [command, str(SAMPLE)]
    if command == "integrate":
        args += ["--out", str(tmp_path / "r.gpkg"), "--jobs", "1"]
    res = CliRunner().invoke(cli, args)
    assert res.exit_code in (0, 1), res.output
    assert seen and seen[0] == LONG_RUN_THRESHOLD
    assert gc.get_threshold() == before
