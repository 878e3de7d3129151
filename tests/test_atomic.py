"""Outputs are written atomically: a run killed midway leaves the old output intact."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time

import pytest

from parkgeo._atomic import atomic_path, check_output, write_text_atomic
from parkgeo.errors import OutputError

WRITER = textwrap.dedent("""
    import signal, sys, time
    from parkgeo._atomic import atomic_path
    from parkgeo.cli.main import _install_signal_handlers
    _install_signal_handlers()
    target = sys.argv[1]
    with atomic_path(target, overwrite=True) as tmp:
        with open(tmp, "w", encoding="utf-8") as fh:
            for i in range(10_000):
                fh.write("new line %d\\n" % i)
                fh.flush()
                if i == 10:
                    print("writing", flush=True)
                time.sleep(0.01)
""")


def _run_and_kill(tmp_path, sig):
    target = tmp_path / "map.html"
    target.write_text("old output\n", encoding="utf-8")
    proc = subprocess.Popen([sys.executable, "-c", WRITER, str(target)], stdout=subprocess.PIPE,
                            text=True)
    assert proc.stdout.readline().strip() == "writing"
    time.sleep(0.1)
    proc.send_signal(sig)
    proc.wait(timeout=30)
    return target, proc.returncode


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGINT])
def test_interrupted_write_keeps_old_output_and_cleans_up(tmp_path, sig):
    target, code = _run_and_kill(tmp_path, sig)
    assert code != 0
    assert target.read_text(encoding="utf-8") == "old output\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["map.html"]  # no temp file left


def test_killed_write_keeps_old_output(tmp_path):
    target, code = _run_and_kill(tmp_path, signal.SIGKILL)
    assert code == -signal.SIGKILL
    assert target.read_text(encoding="utf-8") == "old output\n"
    leftovers = [p.name for p in tmp_path.iterdir() if p.name != "map.html"]
    # SIGKILL cannot be caught: at most a hidden temporary file remains, never a partial target
    assert all(name.startswith(".map.html.") and ".part" in name for name in leftovers)


def test_failure_inside_block_leaves_target_untouched(tmp_path):
    target = tmp_path / "out.json"
    target.write_text("{}", encoding="utf-8")
    with pytest.raises(RuntimeError):
        with atomic_path(target) as tmp:
            tmp.write_text('{"half": ', encoding="utf-8")
            raise RuntimeError("boom")
    assert target.read_text(encoding="utf-8") == "{}"
    assert [p.name for p in tmp_path.iterdir()] == ["out.json"]


def test_temp_file_keeps_suffix_and_lives_beside_target(tmp_path):
    with atomic_path(tmp_path / "result.gpkg") as tmp:
        assert tmp.parent == tmp_path and tmp.suffix == ".gpkg"
        tmp.write_bytes(b"x")
    assert (tmp_path / "result.gpkg").read_bytes() == b"x"


def test_existing_output_refused_without_overwrite(tmp_path):
    target = tmp_path / "a.html"
    target.write_text("keep", encoding="utf-8")
    with pytest.raises(OutputError, match="--overwrite"):
        write_text_atomic(target, "new", overwrite=False)
    assert target.read_text(encoding="utf-8") == "keep"
    write_text_atomic(target, "new", overwrite=True)
    assert target.read_text(encoding="utf-8") == "new"


def _lock(folder):
    """Make ``folder`` unwritable, even for root (chattr +i), or skip."""
    if os.geteuid() != 0:
        folder.chmod(0o500)
        return lambda: folder.chmod(0o700)
    done = subprocess.run(["chattr", "+i", str(folder)], capture_output=True)
    if done.returncode != 0:
        pytest.skip("running as root and the filesystem has no immutable flag")
    return lambda: subprocess.run(["chattr", "-i", str(folder)], check=True)


def test_missing_or_read_only_folder(tmp_path):
    with pytest.raises(OutputError, match="does not exist"):
        check_output(tmp_path / "nope" / "a.html")
    locked = tmp_path / "locked"
    locked.mkdir()
    unlock = _lock(locked)
    try:
        with pytest.raises(OutputError, match="not writable|cannot write"):
            write_text_atomic(locked / "a.html", "x")
    finally:
        unlock()
    assert list(locked.iterdir()) == []
