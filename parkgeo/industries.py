"""Industries as they are written: GB/T 4754-2017 codes, names and the broad words of plans.

An ``industries`` value may hold codes (``C38;C3825``, ``38``), GB/T 4754-2017 names
(``计算机、通信和其他电子设备制造业``) or the broad words that catalogues and plans use
(``装备制造``, ``新材料``, ``生物医药``), separated by ``、，,；;`` or spaces. This module is
the one parser of such values: the reader turns every ``industries`` field into codes with it,
and
relatedness (R7), admission (R17) and the targets (T1) read codes through it.

Each term is matched, in this order:

1. **code** — a section letter and 2–4 digits, or 2–4 digits alone (the letter is the
   division's section);
2. **name** — a GB/T 4754-2017 name, exactly (after NFKC normalisation and removing spaces);
3. **synonym** — a row of the curated table of broad terms (``parkgeo/data/industry_terms.csv``,
   each row with its statistical basis);
4. **name** again, with the name's closing ``制造业``/``制造``/``业``/``加工业`` left out
   (``家具`` is ``家具制造业``, C21);
5. **partial name** — the term is made of known words (``汽车摩托车零配件`` = ``汽车`` +
   ``摩托车`` + …, found with an Aho–Corasick automaton over every name and synonym), or it is
   part of GB/T names (``阀门`` is in ``泵、阀门、压缩机及类似机械制造``, C344).

A term nothing matches is *unrecognised*: it is kept in :attr:`Parsed.unrecognised` for the
caller to report (``industry_unrecognised``), never dropped silently.

Examples
--------
>>> [(t.text, t.codes, t.how) for t in parse_industries("C38、装备制造").terms][0]
('C38', ('C38',), 'code')
>>> parse_industries("家具；纺织服装").codes
('C21', 'C17', 'C18')
>>> parse_industries("家具、在建").unrecognised
('在建',)
"""

from __future__ import annotations

import csv
import functools
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

__all__ = [
    "GBT4754_CSV",
    "TERMS_CSV",
    "DIVISIONS_CSV",
    "SEPARATORS",
    "Term",
    "Parsed",
    "gbt4754",
    "divisions",
    "broad_terms",
    "split_terms",
    "parse_industries",
    "to_codes",
    "section_of",
    "is_code",
]

_DATA = Path(__file__).resolve().parent / "data"
#: GB/T 4754-2017, all four levels with Chinese names (built by scripts/build_package_data.py)
GBT4754_CSV = _DATA / "gbt4754_2017.csv"
#: the English names of the 97 divisions (for maps and reports in English)
DIVISIONS_CSV = _DATA / "gbt4754_divisions.csv"
#: the curated table of broad terms -> codes, with the basis of each row
TERMS_CSV = _DATA / "industry_terms.csv"

#: what separates terms in an ``industries`` value
SEPARATORS = re.compile(r"[;；,，、\s]+")
_CODE = re.compile(r"^([A-T])?(\d{2,4})?$")

# GB/T 4754-2017: the divisions of each section, so codes written without their letter ("38")
# can be read. Sections are lettered A-T; divisions are numbered across sections.
_SECTION_DIVISIONS = (
    ("A", 1, 5), ("B", 6, 12), ("C", 13, 43), ("D", 44, 46), ("E", 47, 50), ("F", 51, 52),
    ("G", 53, 60), ("H", 61, 62), ("I", 63, 65), ("J", 66, 69), ("K", 70, 70), ("L", 71, 72),
    ("M", 73, 75), ("N", 76, 79), ("O", 80, 82), ("P", 83, 83), ("Q", 84, 85), ("R", 86, 90),
    ("S", 91, 96), ("T", 97, 97),
)
#: name endings left out for the loose name match (longest first)
_NAME_ENDINGS = ("加工业", "制造业", "制造", "业")
#: partial matches: a term may be part of at most this many GB/T names (after reduction to the
#: most general codes); more and the term is too vague to guess
_MAX_PARTIAL_CODES = 3


def section_of(division):
    """The section letter of a 2-digit division number (``38`` → ``"C"``), None if out of range.

    >>> section_of(38), section_of(65), section_of(99)
    ('C', 'I', None)
    """
    for letter, lo, hi in _SECTION_DIVISIONS:
        if lo <= division <= hi:
            return letter
    return None


def _norm(text):
    """NFKC (full-width to half-width), no spaces, full-width brackets as ASCII."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", str(text)))


@functools.cache
def gbt4754():
    """``{code: (level, name_zh)}`` of GB/T 4754-2017: 20 sections, 97 divisions, 473 groups,
    1,381 classes.

    >>> gbt4754()["C3825"]
    ('class', '光伏设备及元器件制造')
    """
    with open(GBT4754_CSV, encoding="utf-8", newline="") as fh:
        return {r["code"]: (r["level"], r["name_zh"]) for r in csv.DictReader(fh)}


@functools.cache
def divisions():
    """``{division code such as "C38": (name_zh, name_en)}`` of GB/T 4754-2017."""
    with open(DIVISIONS_CSV, encoding="utf-8", newline="") as fh:
        return {r["section"] + r["division"]: (r["name_zh"], r["name_en"])
                for r in csv.DictReader(fh)}


@functools.cache
def broad_terms():
    """``{normalised term: (codes, basis)}`` of the curated table (``industry_terms.csv``)."""
    with open(TERMS_CSV, encoding="utf-8", newline="") as fh:
        rows = csv.DictReader(line for line in fh if not line.startswith("#"))
        return {_norm(r["term"]): (tuple(r["codes"].split(";")), r["basis"]) for r in rows}


def is_code(term):
    """Whether ``term`` is shaped like a GB/T 4754 code (``C``, ``C38``, ``c3825``, ``38``)."""
    m = _CODE.match(_norm(term).upper())
    return bool(m and (m.group(1) or m.group(2)))


def _code_of(term):
    """The code written by ``term`` with its section letter (``"38"`` → ``"C38"``), or None."""
    m = _CODE.match(_norm(term).upper())
    if not m or not (m.group(1) or m.group(2)):
        return None
    letter, digits = m.group(1), m.group(2) or ""
    if letter is None:
        letter = section_of(int(digits[:2]))
        if letter is None:
            return None
    return letter + digits


@dataclass(frozen=True)
class Term:
    """One term of an ``industries`` value and what it became.

    Attributes
    ----------
    text : str
        The term as written.
    codes : tuple of str
        The GB/T 4754-2017 codes it maps to (empty when unrecognised).
    how : str
        ``code``, ``name``, ``synonym``, ``partial`` or ``unrecognised``.
    why : str
        The match in words: the GB/T name, the synonym row's basis, the parts found.
    """

    text: str
    codes: tuple
    how: str
    why: str

    def why_zh(self):
        """The reason in Chinese (for the CLI and the Chinese reports)."""
        from .i18n import tr

        return tr(f"industry.how.{self.how}", "zh")


@dataclass(frozen=True)
class Parsed:
    """An ``industries`` value parsed: its terms, their codes, the terms not understood."""

    text: str
    terms: tuple

    @property
    def codes(self):
        """Every code, in the order written, each once."""
        return tuple(dict.fromkeys(c for t in self.terms for c in t.codes))

    @property
    def unrecognised(self):
        """The terms that map to no code."""
        return tuple(t.text for t in self.terms if t.how == "unrecognised")

    @property
    def unknown_codes(self):
        """Code-shaped terms that GB/T 4754-2017 does not have (``C99``)."""
        table = gbt4754()
        return tuple(t.text for t in self.terms if t.how == "code"
                     and not all(c in table for c in t.codes))


@functools.cache
def _separator_names():
    """The GB/T names that contain a separator (``计算机、通信和其他电子设备制造业``), longest
    first."""
    return tuple(sorted({_norm(n) for _, n in gbt4754().values() if SEPARATORS.search(_norm(n))},
                        key=len, reverse=True))


@functools.cache
def _names_with_separators():
    """A regex of :func:`_separator_names`, longest first, so that such a name stays one term."""
    return re.compile("|".join(re.escape(n) for n in _separator_names()))


def split_terms(text):
    """The terms of an ``industries`` value, in order (``"装备制造、新材料"`` → two terms).

    A GB/T 4754-2017 name that itself holds a separator stays one term.

    >>> split_terms("装备制造、新材料; C38")
    ['装备制造', '新材料', 'C38']
    >>> split_terms("计算机、通信和其他电子设备制造业，家具")
    ['计算机、通信和其他电子设备制造业', '家具']
    """
    if text is None or (isinstance(text, float) and text != text):
        return []
    text = unicodedata.normalize("NFKC", str(text)).strip()
    if _first_chars().isdisjoint(text):  # no GB/T name with a separator can start in it
        return [t for t in SEPARATORS.split(text) if t]
    kept = []

    def hold(m):
        kept.append(m.group(0))
        return f"\x00{len(kept) - 1}\x00"

    text = _names_with_separators().sub(hold, text)
    terms = [t for t in SEPARATORS.split(text) if t]
    return [re.sub(r"\x00(\d+)\x00", lambda m: kept[int(m.group(1))], t) for t in terms]


@functools.cache
def _first_chars():
    """The first characters of the names :func:`_names_with_separators` matches."""
    return frozenset(n[0] for n in _separator_names())


@functools.cache
def _names():
    """``{normalised GB/T name: code}`` (the most general code when a name repeats)."""
    out = {}
    for code, (_, name) in gbt4754().items():
        key = _norm(name)
        if key not in out or len(code) < len(out[key]):
            out[key] = code
    return out


@functools.cache
def _stems():
    """``{name without its closing 制造业/制造/业: code}``; stems of one character are left out."""
    out = {}
    for key, code in _names().items():
        for ending in _NAME_ENDINGS:
            if key.endswith(ending) and len(key) - len(ending) >= 2:
                stem = key[: -len(ending)]
                if stem not in out or len(code) < len(out[stem]):
                    out[stem] = code
                break
    return out


@functools.cache
def _automaton():
    """An Aho–Corasick automaton over every synonym, and every name and stem of two characters
    or more (one-character synonyms such as 铝 are curated; one-character stems are not).

    pyahocorasick finds every known word inside a compound term in one pass.
    """
    import ahocorasick

    auto = ahocorasick.Automaton()
    words = {}
    for key, code in {**_names(), **_stems()}.items():
        words.setdefault(key, ((code,), f"GB/T {code} {gbt4754()[code][1]}"))
    for key, (codes, basis) in broad_terms().items():
        words[key] = (codes, basis)
    for key, value in words.items():
        if len(key) >= 2 or key in broad_terms():
            auto.add_word(key, (key, value))
    auto.make_automaton()
    return auto


def _reduce(codes):
    """Drop codes that another code of the set already covers (``C38`` covers ``C3825``)."""
    codes = sorted(set(codes), key=lambda c: (len(c), c))
    out = []
    for c in codes:
        if not any(c.startswith(k) for k in out):
            out.append(c)
    return out


def _partial(key):
    """The codes of a compound term from the known words inside it, or of the names it is in."""
    hits = [(end - len(word) + 1, end, word, value)
            for end, (word, value) in _automaton().iter(key)]
    # longest words first, then leftmost; keep those that do not overlap a word already taken
    hits.sort(key=lambda h: (-(h[1] - h[0]), h[0]))
    taken, used = [], set()
    for start, end, word, value in hits:
        span = set(range(start, end + 1))
        if span & used:
            continue
        used |= span
        taken.append((start, word, value))
    if taken:
        taken.sort()
        codes = tuple(dict.fromkeys(c for _, _, (cs, _) in taken for c in cs))
        return codes, " + ".join(w for _, w, _ in taken)
    if len(key) < 2:
        return (), ""
    inside = _reduce(code for name, code in _names().items() if key in name)
    if 0 < len(inside) <= _MAX_PARTIAL_CODES:
        table = gbt4754()
        return tuple(inside), "part of " + "; ".join(f"{c} {table[c][1]}" for c in inside)
    return (), ""


@functools.lru_cache(maxsize=8192)
def _term(text):
    key = _norm(text)
    code = _code_of(key)
    if code is not None:
        name = gbt4754().get(code)
        why = f"{code} {name[1]}" if name else f"GB/T 4754-2017 has no code {code}"
        return Term(text, (code,), "code", why)
    names = _names()
    if key in names:
        return Term(text, (names[key],), "name", f"GB/T {names[key]} {gbt4754()[names[key]][1]}")
    terms = broad_terms()
    if key in terms:
        codes, basis = terms[key]
        return Term(text, codes, "synonym", basis)
    stems = _stems()
    if key in stems:
        code = stems[key]
        return Term(text, (code,), "name", f"GB/T {code} {gbt4754()[code][1]}")
    codes, why = _partial(key)
    if codes:
        return Term(text, codes, "partial", why)
    return Term(text, (), "unrecognised", "no code, GB/T 4754-2017 name or known term")


@functools.lru_cache(maxsize=65536)
def parse_industries(text):
    """Parse an ``industries`` value into its terms and their GB/T 4754-2017 codes.

    Parameters
    ----------
    text : str or None
        Codes, GB/T names or broad terms separated by ``、，,；;`` or spaces.

    Returns
    -------
    Parsed
        ``.codes`` (every code once, in the order written), ``.terms`` (each with how it was
        matched and why) and ``.unrecognised`` (the terms that map to nothing).

    Examples
    --------
    >>> p = parse_industries("汽车及零部件、C3825")
    >>> p.codes
    ('C36', 'C3825')
    >>> [t.how for t in p.terms]
    ['synonym', 'code']
    """
    if isinstance(text, float) and text != text:
        text = None
    return Parsed("" if text is None else str(text),
                  tuple(_term(t) for t in split_terms(text)))


def to_codes(text):
    """The ``;``-joined codes of an ``industries`` value, or None when it has none.

    >>> to_codes("新能源汽车及零部件；家具")
    'C36;C384;C21'
    """
    codes = parse_industries(text).codes
    return ";".join(codes) or None
