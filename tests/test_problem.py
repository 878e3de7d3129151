"""The optimiser without the pipeline: build_problem turns arrays into a county problem (R4, R7,
R8, R11) that solve_county solves — no geometry, no GeoDataFrame."""

from __future__ import annotations

import doctest

import numpy as np
import pytest

import parkgeo.consolidate.problem as problem_mod
from parkgeo.consolidate.problem import (
    CANDIDATE_FIELDS,
    MAIN_FIELDS,
    Candidates,
    MainPlatforms,
    build_problem,
)
from parkgeo.consolidate.solver import solve_county
from parkgeo.scenario import scenario_from_dict


def candidates(n, county="A", codes="C38"):
    return {"county": np.array([county] * n), "codes": np.array([codes] * n),
            "score": np.linspace(1.0, 0.1, n), "dev": np.full(n, 600.0),
            "va": np.full(n, 5.0), "area": np.full(n, 300.0), "counted": np.ones(n, bool),
            "forced": np.zeros(n, bool)}


def mains(county="A", dev=9000.0, va=70.0):
    return {"county": np.array([county]), "codes": np.array(["C38"]), "dev": np.array([dev]),
            "va": np.array([va]), "area": np.array([3000.0]), "cap_mu": np.array([np.inf])}


def pairs(km):
    km = np.asarray(km, float)
    return np.arange(len(km)), np.zeros(len(km), np.int64), km


def test_the_docstring_example_runs():
    assert doctest.testmod(problem_mod).failed == 0


def test_fields_are_declared():
    assert set(CANDIDATE_FIELDS) <= set(candidates(1)) and set(MAIN_FIELDS) <= set(mains())


def test_distance_limit_and_quota_follow_the_scenario():
    c = candidates(6)
    km = [1.0, 2.0, 4.0, 6.0, 7.0, 9.0]
    five = build_problem(["A"], c, mains(), pairs(km))
    # R7: 5 km by default; R11: ⌈30% × 6⌉ = 2
    assert five.eligible[:, 0].tolist() == [True, True, True, False, False, False]
    assert five.quota.tolist() == [2]
    eight = build_problem(["A"], c, mains(), pairs(km), scenario=scenario_from_dict(
        {"consolidate": {"distance_km": 8.0, "exit_share": 0.5}}))
    assert eight.eligible[:, 0].tolist() == [True, True, True, True, True, False]
    assert eight.quota.tolist() == [3]


def test_the_solution_meets_r4_and_r11():
    c = candidates(6)
    b = build_problem(["A"], c, mains(dev=9000.0, va=70.0), pairs([1, 1, 1, 1, 1, 1]))
    sol = solve_county(b.problem)
    joined = sol.assignment >= 0
    assert (~joined).sum() >= b.quota[0]  # R11
    assert 9000 + c["dev"][joined].sum() >= 10_000 and 70 + c["va"][joined].sum() >= 80  # R4


def test_unrelated_and_other_county_candidates_cannot_join():
    c = candidates(2)
    c["codes"] = np.array(["C38", "A01"])      # farming is not related to C38 (R7)
    b = build_problem(["A"], c, mains(), pairs([1.0, 1.0]))
    assert b.eligible[:, 0].tolist() == [True, False]
    c = candidates(1, county="B")
    b = build_problem(["A", "B"], c, mains(county="A"), pairs([1.0]))
    assert not b.allowed.any() and not b.eligible.any()  # R7 scope: no cross-county by default


def test_no_main_platform_gives_no_problem():
    m = {k: v[:0] for k, v in mains().items()}
    b = build_problem(["A"], candidates(2), m, (np.zeros(0, int), np.zeros(0, int),
                                                np.zeros(0)))
    assert b.problem is None and b.eligible.shape == (2, 0)


def test_typed_columns_give_the_same_problem_as_a_mapping():
    c, m = candidates(4), mains()
    km = pairs([1.0, 2.0, 6.0, 3.0])
    typed = build_problem(["A"], Candidates(**c), MainPlatforms(**m), km)
    plain = build_problem(["A"], c, m, km)
    assert np.array_equal(typed.eligible, plain.eligible)
    assert np.array_equal(typed.problem.score, plain.problem.score)
    assert typed.quota.tolist() == plain.quota.tolist()


def test_typed_columns_are_coerced_and_defaulted():
    c = Candidates(**{**candidates(3), "counted": [1, 0, 1], "dev": ["600", "1", "2"]})
    assert c.counted.dtype == bool and c.counted.tolist() == [True, False, True]
    assert c.dev.dtype == float and c.dev.tolist() == [600.0, 1.0, 2.0]
    # descriptive columns a hand-built problem does not need get neutral values
    assert c.kind.tolist() == ["park"] * 3 and c.pos.tolist() == [0, 1, 2]
    assert c.name.tolist() == c.id.tolist() and c.not_main_zh.tolist() == [""] * 3
    m = MainPlatforms(**mains())
    assert len(m) == 1 and m.zone_id.tolist() == m.name.tolist() == ["M0"]
    assert Candidates.from_columns(c) is c


@pytest.mark.parametrize("field", CANDIDATE_FIELDS)
def test_a_column_of_another_length_is_refused_by_name(field):
    c = candidates(3)
    c[field] = c[field][:2]
    if field == "county":  # the county column sets the length: every other one is then wrong
        with pytest.raises(ValueError, match=r"candidates\.codes: expected 2"):
            Candidates(**c)
        return
    with pytest.raises(ValueError, match=rf"candidates\.{field}: expected 3 value"):
        Candidates(**c)


def test_a_mapping_without_a_required_field_is_refused():
    c = candidates(2)
    del c["score"]
    with pytest.raises(TypeError, match="score"):
        build_problem(["A"], c, mains(), pairs([1.0, 1.0]))


@pytest.mark.parametrize("connected", [False, True])
def test_the_problem_built_matches_the_checked_constructor(connected):
    # build_problem skips CountyProblem's coercions: its arrays must be exactly what the
    # checked constructor makes of the same fields (types, shapes, values, read-only)
    import dataclasses

    from parkgeo.consolidate.solver import CountyProblem

    scenario = scenario_from_dict({"consolidate": {"connected": connected, "distance_km": 5,
                                                   "min_developable_mu": 10000}})
    b = build_problem(["A"], candidates(4), mains(), pairs([1.0, 2.5, 4.0, 9.0]),
                      links=(np.array([0, 1]), np.array([1, 2])), scenario=scenario)
    built = b.problem
    checked = CountyProblem(**{f.name: getattr(built, f.name)
                               for f in dataclasses.fields(CountyProblem)})
    for f in dataclasses.fields(CountyProblem):
        got, want = getattr(built, f.name), getattr(checked, f.name)
        if isinstance(want, np.ndarray):
            assert got.dtype == want.dtype and got.shape == want.shape, f.name
            assert np.array_equal(got, want), f.name
            assert not got.flags.writeable, f.name
        else:
            assert got == want and type(got) is type(want), f.name
    # the checks data can fail still hold on this path (R4 figures)
    bad = candidates(4)
    bad["dev"] = np.array([1.0, -1.0, 1.0, 1.0])
    with pytest.raises(ValueError, match="negative"):
        build_problem(["A"], bad, mains(), pairs([1.0, 2.5, 4.0, 9.0]))
