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
