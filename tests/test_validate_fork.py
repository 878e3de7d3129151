"""The validation's forked processes change nothing in the report, and never hang.

A large dataset's counties' checks (coverage, containment) run in a forked process beside the
others, and a large counties layer's coverage is worked out in another while the other layers
are read; the findings come back through a pipe and are merged in the listed order. Here the
size limits are lowered so that a small dataset with many problems takes those paths.
"""

from __future__ import annotations

import logging
import signal
import threading

import pytest
from test_validate_threads import PLANTED, troubled  # noqa: F401 — the module's fixture

import parkgeo.validate as validate_pkg
from parkgeo.read import read_dataset
from parkgeo.validate import prefetch, validate_dataset, validate_path

pytestmark = pytest.mark.skipif(not hasattr(__import__("os"), "fork"),
                                reason="processes cannot be forked here")


@pytest.fixture(scope="module")
def expected(troubled):  # noqa: F811
    """The report worked out in this process alone, one thread."""
    return validate_path(troubled, jobs=1).to_json()


@pytest.fixture()
def no_hang():
    """Fail (instead of hanging) when a call waits on a child that never answers."""
    def expired(signum, frame):
        raise TimeoutError("the validation waited on a child process for 60 s")

    old = signal.signal(signal.SIGALRM, expired)
    signal.alarm(60)
    yield
    signal.alarm(0)
    signal.signal(signal.SIGALRM, old)


@pytest.fixture()
def forking(monkeypatch):
    """Fork for any size of data; count the children started."""
    started = {"counties": 0, "coverage": 0}
    monkeypatch.setattr(validate_pkg, "_FORK_MIN", 1)
    monkeypatch.setattr(validate_pkg, "_FORK_COUNTIES", 1)
    for cls, key in ((validate_pkg._CountiesBeside, "counties"),
                     (validate_pkg._CoverageBeside, "coverage")):
        def init(self, *args, _orig=cls.__init__, _key=key, **kwargs):
            started[_key] += 1
            _orig(self, *args, **kwargs)

        monkeypatch.setattr(cls, "__init__", init)
    return started


def _validated(path):
    with prefetch(jobs=2, catalogue=True):
        ds = read_dataset(path, strict=False)
        return validate_dataset(ds, jobs=2)


def test_findings_of_the_children_are_merged_in_order(troubled, expected, forking, no_hang):  # noqa: F811
    assert threading.active_count() == 1  # else nothing may fork, and this tests nothing
    report = _validated(troubled)
    assert forking == {"counties": 1, "coverage": 1}
    # the children's findings (coverage, outside_county, unknown_county) are among them
    assert report.to_json() == expected
    assert PLANTED <= {f.rule for f in report.findings}
    assert threading.active_count() == 1


def test_small_data_stays_in_this_process(troubled, expected, monkeypatch, no_hang):  # noqa: F811
    started = []
    for cls in (validate_pkg._CountiesBeside, validate_pkg._CoverageBeside):
        monkeypatch.setattr(cls, "__init__", lambda self, *a, **k: started.append(a))
    assert _validated(troubled).to_json() == expected
    assert started == []


def test_one_core_stays_in_this_process(troubled, expected, forking, no_hang):  # noqa: F811
    assert validate_path(troubled, jobs=1).to_json() == expected
    assert forking == {"counties": 0, "coverage": 0}


def _die(*args):
    import os

    os._exit(9)  # as a child killed by the system would: no answer, no exception


def test_a_child_that_dies_is_reported_not_waited_for(troubled, expected, forking, monkeypatch,  # noqa: F811
                                                      caplog, no_hang):
    monkeypatch.setattr(validate_pkg, "_counties_child", _die)
    monkeypatch.setattr(validate_pkg, "_coverage_child", _die)
    with caplog.at_level(logging.WARNING, logger="parkgeo"):
        report = _validated(troubled)
    assert forking == {"counties": 1, "coverage": 1}
    # both deaths are said, with the exit code, and their checks are run here instead
    deaths = [r.getMessage() for r in caplog.records if "without an answer" in r.getMessage()]
    assert len(deaths) == 2 and all("exit code 9" in m for m in deaths)
    assert report.to_json() == expected


def test_an_error_in_the_child_comes_out_of_this_process(troubled, forking, monkeypatch,  # noqa: F811
                                                         no_hang):
    # a failure the checks meet wherever they run: the same exception as without a child
    def broken(*args, **kwargs):
        raise ValueError("a county that cannot be checked")

    monkeypatch.setattr(validate_pkg, "_county_checks", broken)
    with pytest.raises(ValueError, match="a county that cannot be checked"):
        _validated(troubled)
    assert forking["counties"] == 1
    assert threading.active_count() == 1


def test_cli_exit_code_of_a_bug_in_the_child(troubled, forking, monkeypatch, no_hang):  # noqa: F811
    from click.testing import CliRunner

    from parkgeo.cli.main import cli

    def broken(*args, **kwargs):
        raise RuntimeError("a bug in the counties' checks")

    monkeypatch.setattr(validate_pkg, "_county_checks", broken)
    result = CliRunner().invoke(cli, ["-q", "validate", str(troubled)])
    assert forking["counties"] == 1
    assert result.exit_code == 3, result.output


def test_a_daemonic_process_validates_in_itself(troubled, expected, forking):  # noqa: F811
    # the validation gate of `parkgeo integrate` is a daemonic process, which may not fork
    import multiprocessing

    ctx = multiprocessing.get_context("fork")
    recv, send = ctx.Pipe(duplex=False)

    def child():
        send.send((_validated(troubled).to_json(), dict(forking)))

    proc = ctx.Process(target=child, daemon=True)
    proc.start()
    send.close()
    assert recv.poll(120)
    got, started = recv.recv()
    proc.join()
    assert got == expected
    assert started == {"counties": 0, "coverage": 0}
