"""Industry relatedness from GB/T 4754-2017 codes (R7 "产业关联度较高").

A code is a section letter followed by 2, 3 or 4 digits: ``C`` (manufacturing),
``C38`` (division: electrical machinery), ``C382`` (group), ``C3825`` (class).
Two codes are related by the longest prefix they share:

=============  =====  ===================
shared prefix  value  example
=============  =====  ===================
class          1.0    C3825 / C3825
group          0.75   C3825 / C382, C3824
division       0.5    C3825 / C38, C3811
section        0.25   C3825 / C26
none           0.0    C3825 / I65
=============  =====  ===================

A park lists several codes (``C38;C39``); a park and a platform are as related
as their best pair. Values are read by the one industries parser
(:func:`parkgeo.industries.parse_industries`), so GB/T names and broad terms
(``装备制造``) relate through the codes they map to. A user table
(``[[consolidate.related]]`` in the scenario) adds relations the codes cannot
show, e.g. ``C38`` ~ ``C39`` with strength 0.8; a table entry applies to every
code that starts with it, and the better of the prefix value and the table value
counts.

Examples
--------
>>> code_relatedness("C3825", "C382")
0.75
>>> relatedness("C38;C26", "C3825")
0.5
>>> relatedness("C38", "C39", table=[("C38", "C39", 0.8)])
0.8
>>> explain("C3825;C26", "C382")
(0.75, 'same group C382')
>>> explain("C3825;C26", "C382", lang="zh")
(0.75, '同属C382中类')
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np

from ..i18n import check_lang, tr
from ..industries import parse_industries

__all__ = [
    "LEVEL_VALUES",
    "parse_codes",
    "code_relatedness",
    "relatedness",
    "explain",
    "phrase",
    "relatedness_matrix",
    "normalise_table",
]

#: relatedness by the deepest shared level (R7; the scenario's ``min_relatedness`` is compared
#: to it)
LEVEL_VALUES = {"class": 1.0, "group": 0.75, "division": 0.5, "section": 0.25}
_LEVEL_OF_DIGITS = {4: "class", 3: "group", 2: "division", 0: "section"}

@lru_cache(maxsize=65536)
def parse_codes(text) -> tuple[tuple[str, str], ...]:
    """Parse an ``industries`` value into ``(section letter, digits)`` pairs.

    The value goes through :func:`parkgeo.industries.parse_industries`: codes without a letter
    get it from their division, names and broad terms become their codes. Terms that map to
    nothing are skipped here (the reader reports them as ``industry_unrecognised``).

    Examples
    --------
    >>> parse_codes("C38; c3825;39")
    (('C', '38'), ('C', '3825'), ('C', '39'))
    >>> parse_codes("家具")
    (('C', '21'),)
    """
    if text is None or (isinstance(text, float) and text != text):
        return ()
    return tuple(dict.fromkeys((c[0], c[1:]) for c in parse_industries(text).codes))


def _pair_level(a, b):
    """Deepest shared level of two parsed codes, as (value, level name, shared prefix) or None."""
    (la, da), (lb, db) = a, b
    if la != lb:
        return None
    shared = 0
    for x, y in zip(da, db, strict=False):  # codes of different depth
        if x != y:
            break
        shared += 1
    if shared < 2:
        shared = 0  # a single shared digit is not a division
    level = _LEVEL_OF_DIGITS[shared]
    return LEVEL_VALUES[level], level, la + da[:shared]


def code_relatedness(a, b) -> float:
    """Relatedness of two single codes (see the module table).

    Examples
    --------
    >>> code_relatedness("C38", "C3825"), code_relatedness("C26", "I65")
    (0.5, 0.0)
    """
    pa, pb = parse_codes(a), parse_codes(b)
    if not pa or not pb:
        return 0.0
    hit = _pair_level(pa[0], pb[0])
    return hit[0] if hit else 0.0


def normalise_table(table) -> tuple[tuple[tuple[str, str], tuple[str, str], float], ...]:
    """The user's relation table as parsed ``(code, code, strength)`` triples.

    Accepts :class:`parkgeo.scenario.RelatedPair` objects or ``(a, b, strength)`` tuples.
    """
    out = []
    for entry in table or ():
        if hasattr(entry, "a"):
            a, b, s = entry.a, entry.b, entry.strength
        else:
            a, b, s = entry
        pa, pb = parse_codes(a), parse_codes(b)
        if not pa or not pb:
            raise ValueError(f"related-industries table: '{a}' ~ '{b}' are not GB/T 4754 codes")
        if not 0 <= float(s) <= 1:
            raise ValueError(f"related-industries table: strength of {a} ~ {b} must be 0..1, "
                             f"got {s}")
        out.append((pa[0], pb[0], float(s)))
    return tuple(out)


def _starts(code, entry):
    return code[0] == entry[0] and code[1].startswith(entry[1])


def _table_value(a, b, table):
    best = None
    for ea, eb, s in table:
        if (_starts(a, ea) and _starts(b, eb)) or (_starts(a, eb) and _starts(b, ea)):
            if best is None or s > best[0]:
                best = (s, ea[0] + ea[1], eb[0] + eb[1])
    return best


@lru_cache(maxsize=262144)
def _explain_cached(a_text, b_text, table):
    """(value, why): ``why`` is ``("none",)``, ``("level", level, prefix)`` or
    ``("table", code, code, strength)``; worded by :func:`phrase`."""
    if not table:
        return _explain_levels(a_text, b_text)
    best = (0.0, ("none",))
    for a in parse_codes(a_text):
        for b in parse_codes(b_text):
            hit = _pair_level(a, b)
            if hit and hit[0] > best[0]:
                best = (hit[0], ("level", hit[1], hit[2]))
            if table:
                t = _table_value(a, b, table)
                if t and t[0] > best[0]:
                    best = (t[0], ("table", t[1], t[2], t[0]))
    return best


def phrase(why, lang="en") -> str:
    """The words for a relation found by :func:`explain`, in English or Chinese.

    Examples
    --------
    >>> phrase(("level", "division", "C38")), phrase(("level", "division", "C38"), "zh")
    ('same division C38', '同属C38大类')
    >>> phrase(("table", "C38", "C39", 0.8), "zh")
    'C38与C39为关联产业（情景关联表，关联度0.8）'
    """
    check_lang(lang)
    kind = why[0]
    if kind == "level":
        _, level, prefix = why
        if lang == "en":
            return f"same {level} {prefix}"
        # sharing only the section (e.g. all manufacturing) is the weakest tie: said so
        only = "仅" if level == "section" else ""
        # the GB/T 4754 level names: 门类 section, 大类 division, 中类 group, 小类 class
        return f"{only}同属{prefix}{tr(f'reason.industry_level.{level}', lang)}"
    if kind == "table":
        _, a, b, s = why
        return (f"related industries {a}–{b} (scenario table, {s:g})" if lang == "en"
                else f"{a}与{b}为关联产业（情景关联表，关联度{s:g}）")
    return "no shared industry" if lang == "en" else "无共同产业"


def explain(codes_a, codes_b, table=(), lang="en") -> tuple[float, str]:
    """Relatedness of two code lists and a plain phrase saying why (``lang``: en or zh).

    Examples
    --------
    >>> explain("C38", "C3825")
    (0.5, 'same division C38')
    >>> explain("I65", "C38")
    (0.0, 'no shared industry')
    >>> explain("C3825", "C3825", lang="zh")
    (1.0, '同属C3825小类')
    """
    value, why = _explain_cached(_key(codes_a), _key(codes_b), normalise_table(table))
    return value, phrase(why, lang)


def relatedness(codes_a, codes_b, table=()) -> float:
    """Relatedness (0..1) of two ``;``-separated code lists: their best pair.

    Examples
    --------
    >>> relatedness("C26;C38", "C382")
    0.5
    """
    return _explain_cached(_key(codes_a), _key(codes_b), normalise_table(table))[0]


def _key(codes):
    if codes is None or (isinstance(codes, float) and codes != codes):
        return ""
    return str(codes)


def relatedness_matrix(rows, cols, table=()) -> np.ndarray:
    """(len(rows), len(cols)) relatedness of every row code list to every column code list.

    Each distinct pair of code lists is worked out once (and remembered for the process).

    Examples
    --------
    >>> relatedness_matrix(["C38", "I65"], ["C3825", "C39"]).tolist()
    [[0.5, 0.25], [0.0, 0.0]]
    """
    table = normalise_table(table)
    rows = [_key(r) for r in rows]
    cols = [_key(c) for c in cols]
    # each pair's explanation is kept, not only its value: a consolidation's reasons quote
    # the same pairs afterwards
    return np.array([[_explain_cached(a, b, table)[0] for b in cols] for a in rows],
                    dtype=float).reshape(len(rows), len(cols))


@lru_cache(maxsize=65536)
def _prefixes(text):
    """The codes of ``text`` cut at each level: (sections, divisions, groups, classes), sets
    of the prefixes its codes reach (``C3825`` reaches ``C38``, ``C382`` and ``C3825``)."""
    codes = parse_codes(text)
    return (frozenset(letter for letter, _ in codes),
            *(frozenset(letter + digits[:k] for letter, digits in codes if len(digits) >= k)
              for k in (2, 3, 4)))


_LEVELS_DEEPEST_FIRST = ((3, "class", 4), (2, "group", 3), (1, "division", 2), (0, "section", 0))


def _explain_levels(a_text, b_text):
    """:func:`_explain_cached` without a user table, from the code lists' prefix sets rather
    than every pair of codes: the deepest level at which both lists reach a same prefix, and
    the prefix of the first code of ``a_text`` (in its order) that reaches a shared one —
    the pair the pairwise search keeps, since it keeps only a strictly better value."""
    pa, pb = _prefixes(a_text), _prefixes(b_text)
    for index, level, digits in _LEVELS_DEEPEST_FIRST:
        mine, theirs = pa[index], pb[index]
        if not mine.isdisjoint(theirs):
            # a prefix of a's own codes is in ``mine``: shared when ``theirs`` has it
            for letter, code in parse_codes(a_text):
                prefix = letter + code[:digits]
                if (digits == 0 or len(code) >= digits) and prefix in theirs:
                    return LEVEL_VALUES[level], ("level", level, prefix)
    return (0.0, ("none",))
