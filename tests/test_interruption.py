"""Nothing lost, nothing half-written: real runs killed midway, and every output written atomically.

A ``parkgeo integrate`` on the bundled sample and a ``parkgeo map`` are started as real processes
and killed (SIGTERM, then SIGKILL) while the temporary ``.part`` file beside the target is being
written: the previous output must be intact, or there must be none at all. And every file any
command writes must arrive by a rename from such a temporary file (parkgeo/_atomic.py).
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from parkgeo.cli.main import cli

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "layers" / "jiaxing.gpkg"
OLD = b"the previous output, which must survive\n"

pytestmark = pytest.mark.skipif(not SAMPLE.exists(), reason="layers/jiaxing.gpkg is missing")

#: a real ``parkgeo`` whose text outputs are written slowly (half, a pause, the rest), as on a
#: slow network drive, so a signal can be delivered while the file is half-written
SLOW_TEXT = """
import os, pathlib, sys, time
_write_text = pathlib.Path.write_text
def slow_write_text(self, data, encoding=None, errors=None, newline=None):
    if ".part" not in self.name:
        return _write_text(self, data, encoding=encoding, errors=errors, newline=newline)
    with open(self, "w", encoding=encoding, errors=errors, newline=newline) as fh:
        fh.write(data[: len(data) // 2])
        fh.flush()
        time.sleep(60)
        fh.write(data[len(data) // 2:])
    return len(data)
pathlib.Path.write_text = slow_write_text
from parkgeo.cli.main import cli
cli(sys.argv[1:], prog_name="parkgeo")
"""


#: seconds between two looks for the temporary file: short beside the time a GeoPackage takes
#: to write, and it leaves the CPU to the process being watched (2 cores, shared)
POLL = 0.002


def _parts(folder):
    return [n for n in os.listdir(folder) if ".part" in n]


def _written_part(folder):
    """The name of a temporary file holding some bytes already, or None.

    (``atomic_path`` reserves the name with an empty file and removes it before the writer
    creates it again, so a name may come and go between listing and looking.)
    """
    for name in _parts(folder):
        try:
            if (folder / name).stat().st_size > 0:
                return name
        except FileNotFoundError:
            continue
    return None


def _run_and_kill(argv, folder, sig, *, prefix=None, attempts=5):
    """Start parkgeo, wait for a non-empty ``.part`` file in ``folder``, send ``sig``.

    Returns (returncode, stderr, part name seen). Retries when the run finished before a
    temporary file was seen (a fast machine); fails after ``attempts``.
    """
    prefix = prefix or [sys.executable, "-m", "parkgeo.cli.main"]
    for _ in range(attempts):
        proc = subprocess.Popen(prefix + argv, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                                text=True, cwd=folder)
        seen = None
        deadline = time.monotonic() + 300
        while proc.poll() is None and time.monotonic() < deadline:
            seen = _written_part(folder)
            if seen:
                proc.send_signal(sig)
                break
            time.sleep(POLL)
        _, err = proc.communicate(timeout=120)
        if seen:
            return proc.returncode, err, seen
    pytest.fail(f"no temporary file was ever seen in {attempts} runs of {argv}")


def _check_after_kill(folder, target, sig, had_old, code, err, seen):
    if had_old:
        assert target.read_bytes() == OLD, "the previous output was replaced by a partial one"
    else:
        assert not target.exists(), "a partial output was left under the target's name"
    left = _parts(folder)
    if sig == signal.SIGTERM:
        assert code == 128 + signal.SIGTERM
        assert "Traceback" not in err, err
        assert left == [], f"SIGTERM left temporary files behind: {left}"
    else:
        assert code == -signal.SIGKILL
        # nothing can clean up after SIGKILL: at most the hidden temporary file stays
        assert all(n.startswith(".") for n in left), left
    assert seen.startswith("." + target.name)
    # only the target (if it existed) and hidden temporary files are in the folder
    visible = [n for n in os.listdir(folder) if not n.startswith(".")]
    assert visible == ([target.name] if had_old else [])


@pytest.mark.slow
@pytest.mark.parametrize("had_old", [True, False], ids=["old-output", "no-output"])
@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGKILL], ids=["SIGTERM", "SIGKILL"])
def test_integrate_killed_while_writing(tmp_path, sig, had_old):
    target = tmp_path / "result.gpkg"
    if had_old:
        target.write_bytes(OLD)
    code, err, seen = _run_and_kill(
        ["integrate", str(SAMPLE), "--out", str(target), "--overwrite"], tmp_path, sig)
    _check_after_kill(tmp_path, target, sig, had_old, code, err, seen)


@pytest.mark.slow
@pytest.mark.parametrize("had_old", [True, False], ids=["old-output", "no-output"])
@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGKILL], ids=["SIGTERM", "SIGKILL"])
def test_map_killed_while_half_written(tmp_path, sample_result_gpkg, sig, had_old):
    target = tmp_path / "map.html"
    if had_old:
        target.write_bytes(OLD)
    code, err, seen = _run_and_kill(
        ["map", str(sample_result_gpkg), "--out", str(target), "--overwrite"], tmp_path, sig,
        prefix=[sys.executable, "-c", SLOW_TEXT])
    _check_after_kill(tmp_path, target, sig, had_old, code, err, seen)


def test_the_slow_writer_really_writes_half(tmp_path):
    """The instrumented writer leaves a half-written .part while it pauses (a kill is midway)."""
    target = tmp_path / "scenario.toml"
    proc = subprocess.Popen([sys.executable, "-c", SLOW_TEXT, "scenario", "--out", str(target)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd=tmp_path)
    try:
        deadline = time.monotonic() + 120
        part = None
        while time.monotonic() < deadline and part is None:
            name = _written_part(tmp_path)
            part = tmp_path / name if name else None
            time.sleep(POLL)
        assert part is not None
        text = part.read_text(encoding="utf-8")
        assert 0 < len(text) and not target.exists()
    finally:
        proc.kill()
        proc.wait()
    ref = CliRunner().invoke(cli, ["scenario"]).output
    assert len(text) < len(ref)  # half of it: the pause is in the middle of the write


# --------------------------------------------------------------------- every output is atomic


@pytest.fixture
def renames(monkeypatch):
    """Record every rename of a temporary ``.part`` file onto its target."""
    done = []
    real = os.replace

    def replace(src, dst, *a, **k):
        real(src, dst, *a, **k)
        if ".part" in Path(src).name:
            done.append(Path(dst).resolve())

    monkeypatch.setattr(os, "replace", replace)
    return done


def _written(folder):
    return sorted(p.resolve() for p in Path(folder).rglob("*") if p.is_file())


# the report's three formats (.xlsx, .html, .docx) are written by the demo, whose every file is
# checked to arrive by rename in tests/test_demo.py (the demo runs these same commands)
@pytest.mark.parametrize("argv", [
    ["validate", "{sample}", "--json", "{out}/f.json", "--gpkg", "{out}/f.gpkg",
     "--html", "{out}/f.html"],
    ["integrate", "{sample}", "--out", "{out}/r.gpkg", "--json", "{out}/r.json"],
    ["map", "{result}", "--out", "{out}/m.html", "--png", "{out}/m.png", "--pdf", "{out}/m.pdf"],
    ["invest-map", "{result}", "--out", "{out}/i.html"],
    ["rank", "{result}", "--out", "{out}/rank.json", "--series", "{out}/s.csv"],
    ["admit", "{result}", "{sample}", "--out", "{out}/a.gpkg"],
    ["admit", "{result}", "{sample}", "--out", "{out}/a.json"],
    ["scenario", "--out", "{out}/s.toml"],
], ids=lambda a: "-".join([a[0]] + [Path(x).suffix[1:] for x in a if x.startswith("{out}")]))
def test_every_command_writes_through_a_rename(tmp_path, sample_result_gpkg, renames, argv):
    out = tmp_path / "out"
    out.mkdir()
    args = [a.format(sample=SAMPLE, result=sample_result_gpkg, out=out) for a in argv]
    res = CliRunner().invoke(cli, args)
    assert res.exit_code in (0, 1), res.output
    files = _written(out)
    expected = [Path(a).resolve() for a in args if a.startswith(str(out))]
    assert sorted(expected) == files
    assert all(p in renames for p in files), [str(p) for p in files if p not in renames]
