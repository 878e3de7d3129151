"""GB/T 4754-2017 prefix relatedness and the user's related-industries table (R7)."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from parkgeo.consolidate.relatedness import (
    code_relatedness,
    explain,
    normalise_table,
    parse_codes,
    relatedness,
    relatedness_matrix,
)
from parkgeo.scenario import RelatedPair


@pytest.mark.parametrize(
    ("a", "b", "expected"),
    [
        ("C3825", "C3825", 1.0),  # same class
        ("C3825", "C3824", 0.75),  # same group C382
        ("C3825", "C382", 0.75),
        ("C3825", "C3811", 0.5),  # same division C38
        ("C38", "C3825", 0.5),
        ("C38", "C38", 0.5),  # a division code says no more than the division
        ("C3825", "C26", 0.25),  # both manufacturing
        ("C", "C38", 0.25),
        ("C3825", "I65", 0.0),
        ("C31", "C13", 0.25),  # a shared digit in another place is no prefix
        ("C3825", "C3925", 0.25),  # one shared digit is not a division
    ],
)
def test_prefix_levels(a, b, expected):
    assert code_relatedness(a, b) == expected
    assert code_relatedness(b, a) == expected


def test_lists_take_the_best_pair():
    assert relatedness("C26;C3825", "I65;C382") == 0.75
    assert relatedness("I65", "C38;C39") == 0.0
    assert relatedness("", "C38") == 0.0
    assert relatedness(None, "C38") == 0.0


def test_codes_without_section_letter_are_read_from_their_division():
    assert parse_codes("38") == (("C", "38"),)
    assert parse_codes("65;4411") == (("I", "65"), ("D", "4411"))
    assert relatedness("3825", "C382") == 0.75


def test_separators_and_case():
    assert parse_codes("c38；C39, i65") == (("C", "38"), ("C", "39"), ("I", "65"))
    assert parse_codes("C38;;C38") == (("C", "38"),)


def test_unreadable_items_are_skipped():
    assert parse_codes("C38;steel;Z99") == (("C", "38"),)


def test_user_table_adds_relations_by_prefix():
    table = [RelatedPair("C38", "C39", 0.8)]
    assert relatedness("C38", "C39") == 0.25
    assert relatedness("C38", "C39", table) == 0.8
    assert relatedness("C3825", "C391", table) == 0.8  # entries apply to longer codes
    assert relatedness("C391", "C3825", table) == 0.8  # symmetric
    assert relatedness("C", "C39", table) == 0.25  # a code shorter than the entry does not match
    # the better of prefix and table counts
    assert relatedness("C3825", "C3825", [("C38", "C38", 0.1)]) == 1.0


def test_explain_names_the_shared_level():
    assert explain("C3825;C26", "C382") == (0.75, "same group C382")
    assert explain("C38", "C3825") == (0.5, "same division C38")
    assert explain("C38", "C39", [("C38", "C39", 0.8)])[1].startswith("related industries C38–C39")
    assert explain("I65", "C38") == (0.0, "no shared industry")


def test_bad_table_entries_are_refused():
    with pytest.raises(ValueError, match="not GB/T 4754"):
        normalise_table([("steel", "C38", 0.5)])
    with pytest.raises(ValueError, match="0..1"):
        normalise_table([("C38", "C39", 1.5)])


def test_matrix_matches_pairwise():
    rows = ["C38", "I65;C3825", "C26", None]
    cols = ["C3825", "C39", "I651"]
    mat = relatedness_matrix(rows, cols)
    assert mat.shape == (4, 3)
    for i, r in enumerate(rows):
        for j, c in enumerate(cols):
            assert mat[i, j] == relatedness(r, c)
    assert relatedness_matrix([], ["C38"]).shape == (0, 1)


codes = st.builds(
    lambda letter, digits: letter + digits,
    st.sampled_from("CI"),
    st.sampled_from(["", "26", "38", "39", "382", "391", "3825", "3824", "651"]),
).filter(lambda c: c[0] != "I" or not c[1:] or c[1:].startswith("6"))


@given(st.lists(codes, min_size=1, max_size=3), st.lists(codes, min_size=1, max_size=3))
def test_relatedness_is_symmetric_and_bounded(a, b):
    ta, tb = ";".join(a), ";".join(b)
    r = relatedness(ta, tb)
    assert r == relatedness(tb, ta)
    assert r in (0.0, 0.25, 0.5, 0.75, 1.0)
    # adding a code never lowers the relatedness
    assert relatedness(ta + ";C3825", tb) >= r
    assert np.isclose(relatedness_matrix([ta], [tb])[0, 0], r)


_CODES = ["C", "C3", "C38", "C382", "C3825", "C3826", "C39", "C391", "C3911", "I65", "I651",
          "C26", "C2611", "家具", "装备制造", ""]


@given(st.lists(st.lists(st.sampled_from(_CODES), min_size=1, max_size=3).map(";".join),
                min_size=1, max_size=6),
       st.lists(st.lists(st.sampled_from(_CODES), min_size=1, max_size=3).map(";".join),
                min_size=1, max_size=3))
def test_relatedness_matrix_is_the_best_pair_of_every_two_code_lists(rows, cols):
    # the matrix (from each list's prefixes, R7) agrees with the pair-by-pair relatedness
    # that the reasons quote, for every two code lists, codes of any depth and broad terms
    want = [[relatedness(a, b) for b in cols] for a in rows]
    assert relatedness_matrix(rows, cols).tolist() == want


def _pairwise_reference(a_text, b_text):
    """R7 by the module's table, pair by pair: the first pair (in list order) at the deepest
    shared level, and the prefix it shares."""
    best = (0.0, "no shared industry")
    names = {4: "class", 3: "group", 2: "division", 0: "section"}
    values = {4: 1.0, 3: 0.75, 2: 0.5, 0: 0.25}
    for la, da in parse_codes(a_text):
        for lb, db in parse_codes(b_text):
            if la != lb:
                continue
            shared = 0
            while shared < min(len(da), len(db)) and da[shared] == db[shared]:
                shared += 1
            shared = shared if shared >= 2 else 0
            if values[shared] > best[0]:
                best = (values[shared], f"same {names[shared]} {la + da[:shared]}")
    return best


@given(st.lists(st.sampled_from(_CODES), min_size=1, max_size=4).map(";".join),
       st.lists(st.sampled_from(_CODES), min_size=1, max_size=3).map(";".join))
def test_explain_names_the_first_best_pair(a, b):
    # R7 reasons quote the pair explain() finds from the lists' prefixes: the same value and
    # shared prefix as the pair-by-pair search, for codes of any depth and broad terms
    assert explain(a, b) == _pairwise_reference(a, b)
