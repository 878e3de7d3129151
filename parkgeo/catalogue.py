"""The national catalogue of development zones (《中国开发区审核公告目录》2018年版) and zone types.

The catalogue (NDRC, MOST, MLR, MOHURD, MOFCOM and GACC, 2018; 2,543 zones: 552 approved by
the State Council, codes ``G…``; 1,991 by provincial governments, codes ``S…``) ships with
parkgeo as ``parkgeo/data/china_zones_2018.csv``, built by ``scripts/build_package_data.py``
from the reference copy (see ``parkgeo/data/README.md``). Its approved area (核准面积, hectares)
is the figure R2 refers to.

This module finds a zone in it — by catalogue code, or by its normalised name — and reads the
catalogue's zone types (开发区类型), which R6 uses: by default customs special zones and
tourism resorts are not main platforms (``consolidate.not_main_zone_types``).

Examples
--------
>>> find_zone(zone_id="G331112").row["approved_area_ha"]
1100.0
>>> find_zone(name="海宁经济开发区(尖山新区)").row["code"]
'S337036'
>>> zone_kind("海关特殊监管区域"), zone_kind(None, "杭州之江国家旅游度假区")
('customs_special', 'tourism_resort')
"""

from __future__ import annotations

import functools
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

__all__ = [
    "CATALOGUE_CSV",
    "SOURCE",
    "CODE",
    "ZONE_KINDS",
    "LEVEL_SPELLINGS",
    "catalogue",
    "normalise_name",
    "is_catalogue_code",
    "Match",
    "find_zone",
    "search",
    "level_of",
    "zone_kind",
    "level_spellings_text",
    "ZONES_COLUMNS",
    "zones_table",
    "write_rows",
]

CATALOGUE_CSV = Path(__file__).resolve().parent / "data" / "china_zones_2018.csv"
#: how the catalogue is cited in messages and outputs
SOURCE = "《中国开发区审核公告目录》(2018年版)"
#: a catalogue code: G (State Council) or S (province), then 6 digits
CODE = re.compile(r"^[GS]\d{6}$")

#: level -> its accepted spellings (besides catalogue codes, whose prefix says the level)
LEVEL_SPELLINGS = {
    "national": ("national", "国家级", "国家", "国", "国务院", "国务院批准", "G"),
    "provincial": ("provincial", "省级", "省", "省政府", "省人民政府", "省政府批准", "自治区级",
                   "S"),
}

#: zone kind -> (Chinese name, accepted spellings). The first seven are the catalogue's
#: 开发区类型; ``tourism_resort`` is how parkgeo reads the catalogue's national tourism resorts
#: (其他类型开发区 named 旅游度假区); ``other`` is anything else.
ZONE_KINDS = {
    "economic_technological": ("经济技术开发区", (
        "经济技术开发区", "国家级经济技术开发区", "经开区",
        "economic and technological development zone")),
    "high_tech": ("高新技术产业开发区", ("高新技术产业开发区", "国家高新技术产业开发区", "高新区",
                                    "高新技术产业园区", "high-tech zone", "high_tech_zone")),
    "customs_special": ("海关特殊监管区域", ("海关特殊监管区域", "综合保税区", "保税区", "保税港区",
                                       "出口加工区", "保税物流园区", "跨境工业区",
                                       "customs special zone", "customs_special_zone")),
    "border_cooperation": ("边境/跨境经济合作区", ("边境/跨境经济合作区", "边境经济合作区",
                                             "跨境经济合作区", "边境合作区",
                                             "border economic cooperation zone")),
    "other_national": ("其他类型开发区", ("其他类型开发区", "其他类型")),
    "economic": ("经济开发区", ("经济开发区", "省级经济开发区", "economic development zone")),
    "industrial_park": ("工业园区", ("工业园区", "省级工业园区", "产业园区", "产业集聚区",
                                 "industrial park")),
    "tourism_resort": ("旅游度假区", ("旅游度假区", "国家旅游度假区", "省级旅游度假区", "度假区",
                                  "tourism resort", "resort")),
    "other": ("其他", ("其他", "其它", "other")),
}

# what a zone's name says about its kind, where its type does not (most specific first)
_NAME_KINDS = (
    ("customs_special", ("综合保税区", "保税港区", "保税区", "出口加工区", "保税物流园区",
                         "跨境工业区")),
    ("tourism_resort", ("旅游度假区",)),
    ("border_cooperation", ("边境经济合作区", "跨境经济合作区")),
)


def _key(text):
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", str(text))).lower()


@functools.cache
def _kind_spellings():
    out = {}
    for kind, (_, spellings) in ZONE_KINDS.items():
        out[_key(kind)] = kind
        for s in spellings:
            out[_key(s)] = kind
    return out


def zone_kind(zone_type, name=None):
    """The kind of a zone (a key of :data:`ZONE_KINDS`) from its type and, failing that, its name.

    The type decides; where it is missing or only says "other" (其他类型开发区, 其他), a name
    ending in a kind (``…综合保税区``, ``…旅游度假区``) decides. None when neither says.

    >>> zone_kind("经开区"), zone_kind("其他类型开发区", "上海佘山国家旅游度假区")
    ('economic_technological', 'tourism_resort')
    """
    kind = None
    if zone_type is not None and not (isinstance(zone_type, float) and zone_type != zone_type):
        kind = _kind_spellings().get(_key(zone_type))
    if kind in (None, "other", "other_national") and name:
        n = normalise_name(name)
        for named, endings in _NAME_KINDS:
            if any(n.endswith(e) for e in endings):
                return named
    return kind


def level_of(value):
    """``national``/``provincial`` for a level in any accepted spelling or a catalogue code.

    >>> level_of("国务院"), level_of("省级"), level_of("S337036"), level_of("county")
    ('national', 'provincial', 'provincial', None)
    """
    if value is None:
        return None
    text = unicodedata.normalize("NFKC", str(value)).strip()
    if CODE.match(text.upper()):
        return "national" if text[0].upper() == "G" else "provincial"
    key = _key(text)
    for level, spellings in LEVEL_SPELLINGS.items():
        if key in {_key(s) for s in spellings}:
            return level
    return None


@functools.cache
def catalogue():
    """The catalogue as a DataFrame: one row per zone, with a ``key`` column (normalised name).

    Columns: ``code``, ``seq``, ``name``, ``province``, ``city_county``, ``level``
    (``national``/``provincial``), ``approved_by`` (国务院/省政府), ``zone_type``,
    ``approval_date`` (``YYYY.MM``), ``approved_area_ha``, ``industries_zh`` (主导产业 as
    published), and the matching keys ``key`` (the normalised name) and ``short_key`` (the same
    without the province).
    """
    import pandas as pd

    frame = pd.read_csv(CATALOGUE_CSV, dtype={"code": str, "seq": "Int64",
                                              "approval_date": str},
                        keep_default_na=False, na_values={"approved_area_ha": [""]})
    frame["key"] = [normalise_name(n, province=False) for n in frame["name"]]
    frame["short_key"] = [normalise_name(n) for n in frame["name"]]
    return frame


@functools.cache
def _provinces():
    """The catalogue's provinces, full (浙江省) and short (浙江), longest first."""
    import csv

    with open(CATALOGUE_CSV, encoding="utf-8", newline="") as fh:
        names = {r["province"] for r in csv.DictReader(fh)}
    short = {re.sub(r"(省|市|壮族自治区|回族自治区|维吾尔自治区|自治区|特别行政区)$", "", p)
             for p in names}
    return tuple(sorted(names | short, key=len, reverse=True))


def normalise_name(name, *, province=True):
    """A zone name for matching: NFKC, no spaces, no bracketed parts, no leading province.

    ``浙江海宁经济开发区`` and ``海宁经济开发区(尖山新区)`` both become ``海宁经济开发区``.
    With ``province=False`` the province stays (``北京经济技术开发区`` is a name of its own).

    >>> normalise_name(" 浙江 海宁经济开发区（尖山新区）")
    '海宁经济开发区'
    """
    text = _SPACES.sub("", unicodedata.normalize("NFKC", str(name)))
    text = _BRACKETED.sub("", text)
    return _without_province(text) if province else text


def _without_province(text):
    """A name normalised with ``province=False`` without its leading province."""
    # the longest province the name starts with that leaves more than two characters
    m = _province_prefix().match(text)
    return text[m.end():] if m else text


_SPACES = re.compile(r"\s+")
_BRACKETED = re.compile(r"\([^()]*\)")


@functools.cache
def _province_prefix():
    """A regex matching, at the start of a name, the first of :func:`_provinces` (longest
    first) that is followed by at least three more characters."""
    return re.compile("(?:" + "|".join(re.escape(p) for p in _provinces()) + ")(?=.{3})",
                      re.DOTALL)


def is_catalogue_code(value):
    """Whether ``value`` is shaped like a catalogue code (``G331112``, ``S337036``)."""
    return value is not None and bool(CODE.match(unicodedata.normalize("NFKC", str(value))
                                                 .strip().upper()))


@dataclass(frozen=True)
class Match:
    """The catalogue row of a zone, or why there is none.

    Attributes
    ----------
    row : dict or None
        The catalogue row (its columns as keys) when exactly one row matches.
    how : str or None
        ``code`` or ``name``: what matched.
    problem : str or None
        ``unknown_code`` (a code-shaped id the catalogue lacks), ``ambiguous_name`` (the name
        matches several rows), or None.
    message : str
        Plain words for a problem.
    """

    row: dict | None
    how: str | None = None
    problem: str | None = None
    message: str = ""
    #: the same in Chinese
    message_zh: str = ""


def find_zone(zone_id=None, name=None):
    """The catalogue row of a zone: by its code when ``zone_id`` is one, else by its name.

    Parameters
    ----------
    zone_id : str, optional
        A catalogue code matches that row; an id shaped like a code (``G``/``S`` and 6 digits)
        that the catalogue lacks is the problem ``unknown_code``.
    name : str, optional
        Compared after :func:`normalise_name`; used when ``zone_id`` is not a code. Two or more
        rows with that name are the problem ``ambiguous_name``.

    Returns
    -------
    Match
    """
    by_code, by_key, by_short = _indexes()
    if zone_id is not None and is_catalogue_code(zone_id):
        code = unicodedata.normalize("NFKC", str(zone_id)).strip().upper()
        rows = by_code.get(code, [])
        if len(rows) > 1 and name is not None:
            # the catalogue uses S377018 twice: the name tells the two apart
            named = [r for r in rows if r["short_key"] == normalise_name(name)]
            rows = named or rows
        if len(rows) == 1:
            return Match(_row(rows[0]), "code")
        if len(rows) > 1:
            names = "、".join(r["name"] for r in rows)
            return Match(None, "code", "ambiguous_code",
                         f"the catalogue uses code {code} for {len(rows)} zones ({names}); "
                         "give the zone's catalogue name to tell them apart",
                         f"目录中代码 {code} 对应 {len(rows)} 个开发区({names});"
                         "请填写该开发区在目录中的名称以便区分")
        return Match(None, "code", "unknown_code",
                     f"'{zone_id}' is shaped like a catalogue code but {SOURCE} has no zone "
                     f"{code}; check the code (parkgeo catalogue lists them)",
                     f"“{zone_id}”形如目录代码,但{SOURCE}中没有代码为 {code} 的开发区;"
                     "请核对代码(用“parkgeo catalogue”列出目录)")
    if name is None or (isinstance(name, float) and name != name) or not str(name).strip():
        return Match(None)
    # the name as written first; then without its province (浙江海宁… is 海宁…)
    key = normalise_name(name, province=False)
    rows = by_key.get(key) or by_short.get(_without_province(key), [])
    if len(rows) == 1:
        return Match(_row(rows[0]), "name")
    if len(rows) > 1:
        listed = "、".join(f"{r['code']} {r['name']}" for r in rows)
        return Match(None, "name", "ambiguous_name",
                     f"the name '{name}' matches {len(rows)} catalogue zones ({listed}); "
                     "use the catalogue code as zone_id",
                     f"名称“{name}”对应目录中的 {len(rows)} 个开发区({listed});"
                     "请以目录代码作为 zone_id")
    return Match(None)


@functools.cache
def _indexes():
    """``({code: rows}, {key: rows}, {short_key: rows})`` of the catalogue, rows as dicts."""
    by_code, by_key, by_short = {}, {}, {}
    frame = catalogue()
    columns = list(frame.columns)
    # the rows as dicts of Python values, as DataFrame.to_dict("records") gives them (faster)
    records = [dict(zip(columns, row, strict=True))
               for row in zip(*(frame[c].tolist() for c in columns), strict=True)]
    for r in records:
        by_code.setdefault(r["code"], []).append(r)
        by_key.setdefault(r["key"], []).append(r)
        by_short.setdefault(r["short_key"], []).append(r)
    return by_code, by_key, by_short


def _row(record):
    row = {k: v for k, v in record.items() if k not in ("key", "short_key")}
    area = row.get("approved_area_ha")
    row["approved_area_ha"] = None if area is None or area != area else float(area)
    return row


def search(text=None, *, province=None, level=None):
    """Catalogue rows whose code, name or city/county contains ``text``.

    Parameters
    ----------
    text : str, optional
        Matched against the code, the name (also normalised) and ``city_county``.
    province : str, optional
        ``浙江``, ``浙江省``: rows of that province.
    level : str, optional
        Any spelling :func:`level_of` accepts (``国务院``, ``省级``, ``national`` …).

    Returns
    -------
    DataFrame
        The matching rows in catalogue order (without the ``key`` column).

    Raises
    ------
    ValueError
        ``level`` is not a level (the message lists every accepted spelling).

    Examples
    --------
    >>> search("嘉兴", level="国务院")["code"].tolist()
    ['G331112', 'G332086', 'G333060']
    """
    cat = catalogue()
    mask = cat["code"].notna()
    if text:
        t = unicodedata.normalize("NFKC", str(text)).strip()
        k = normalise_name(t) or t
        mask &= (cat["code"].str.upper() == t.upper()) | cat["name"].str.contains(t, regex=False) \
            | cat["short_key"].str.contains(k, regex=False) \
            | cat["city_county"].str.contains(t, regex=False)
    if province:
        p = re.sub(r"\s+", "", unicodedata.normalize("NFKC", str(province)))
        mask &= cat["province"].str.contains(p, regex=False) | cat["province"].map(
            lambda v: p.startswith(v))
    if level:
        lv = level_of(level)
        if lv is None:
            raise ValueError(f"level '{level}' is not a level; expected {level_spellings_text()}")
        mask &= cat["level"] == lv
    return cat[mask].drop(columns=["key", "short_key"]).reset_index(drop=True)


def level_spellings_text():
    """Every accepted spelling of a level, for messages."""
    parts = [f"{lv} ({', '.join(s for s in sp if s != lv)})" for lv, sp in LEVEL_SPELLINGS.items()]
    return " or ".join(parts) + ", or a catalogue code (G… national, S… provincial)"


#: the contract fields of a ``zones`` layer made from catalogue rows, and where each comes from
ZONES_COLUMNS = {
    "zone_id": "code", "name": "name", "county": "city_county", "level": "level",
    "zone_type": "zone_type", "approved_area_ha": "approved_area_ha",
    "industries": "industries_zh", "approval_date": "approval_date", "province": "province",
}


def zones_table(rows):
    """A ``zones`` attribute table (data contract names) from catalogue rows, ready for polygons.

    ``county`` is the catalogue's city/county column as published (``嘉兴``, ``嘉兴秀洲``): set it
    to the county-level unit your ``counties`` layer names. ``industries`` keeps the catalogue's
    主导产业 text, which parkgeo reads (:mod:`parkgeo.industries`). The indicator fields
    (``developable_mu``, ``industrial_va_100m``) are left empty for you to fill.

    Examples
    --------
    >>> zones_table(search("G331112")).loc[0, ["zone_id", "approved_area_ha"]].tolist()
    ['G331112', 1100.0]
    """
    import pandas as pd

    out = pd.DataFrame({k: rows[v].to_numpy() for k, v in ZONES_COLUMNS.items()})
    out["zone_type"] = [zone_kind(t, n) or t for t, n in zip(rows["zone_type"], rows["name"],
                                                             strict=True)]
    out["developable_mu"] = float("nan")
    out["industrial_va_100m"] = float("nan")
    out["source"] = SOURCE
    return out


def write_rows(rows, path, *, overwrite=False):
    """Write catalogue rows to ``path``: ``.csv`` (the catalogue's columns, UTF-8 with a BOM so
    that Excel reads the Chinese) or ``.gpkg`` (a ``zones`` layer of :func:`zones_table`, empty
    MultiPolygons in EPSG:4490 ready to be drawn). Written atomically.

    Raises
    ------
    ValueError
        ``path`` ends in neither ``.csv`` nor ``.gpkg``.
    """
    from ._atomic import atomic_path, write_text_atomic

    suffix = Path(path).suffix.lower()
    if suffix == ".csv":
        return write_text_atomic(path, rows.to_csv(index=False, lineterminator="\n"),
                                 overwrite=overwrite, encoding="utf-8-sig")
    if suffix == ".gpkg":
        import geopandas as gpd

        frame = gpd.GeoDataFrame(zones_table(rows), geometry=[None] * len(rows),
                                 crs="EPSG:4490")
        with atomic_path(path, overwrite=overwrite) as tmp:
            frame.to_file(tmp, layer="zones", driver="GPKG", engine="pyogrio",
                          geometry_type="MultiPolygon")
        return Path(path)
    raise ValueError(f"{path}: expected a .csv or .gpkg file name")
