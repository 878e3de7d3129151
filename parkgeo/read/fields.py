"""The layers and fields of the data contract, and how values in the wild are understood.

Field names arrive as contract names, Shapefile short aliases, common Chinese names (also cut
to the 10 bytes a GBK Shapefile keeps), the national catalogue's headers, or through the
scenario's ``[fields]`` mapping. Values such as ``level``, ``zone_type``, ``park_type`` and
``hazard`` may arrive in Chinese, booleans as ``是/否``, ``1/0`` or ``true/false``, numbers as
text, industries as codes, GB/T 4754-2017 names or broad terms (:mod:`parkgeo.industries`).
Nothing is repaired silently: a value that cannot be understood is left empty and reported as a
problem naming the layer, feature and field, with every accepted spelling.
"""

from __future__ import annotations

import math
import re
import unicodedata
from dataclasses import dataclass

import numpy as np
import pandas as pd

from ..catalogue import LEVEL_SPELLINGS, ZONE_KINDS, level_of, zone_kind
from ..industries import gbt4754, parse_industries

__all__ = [
    "Field",
    "LAYERS",
    "REQUIRED_LAYERS",
    "ID_FIELD",
    "SHORT_ALIASES",
    "CHINESE_ALIASES",
    "GBK_ALIASES",
    "gbk_truncate",
    "accepted_spellings",
    "Problem",
    "resolve_columns",
    "normalise_layer",
    "parse_bool",
    "parse_number",
]


@dataclass(frozen=True)
class Field:
    """One contract field: its type, whether it is required, and its allowed range."""

    name: str
    kind: str  # text | real | int | bool | enum | codes | share
    required: bool = False
    low: float | None = None
    high: float | None = None
    low_open: bool = False  # True: value must be > low
    choices: tuple[str, ...] = ()
    rule: str = ""  # the rule id the field serves


# Upper bounds that no real park reaches: a value above is a unit mistake, not data.
_MAX_MU = 1e7  # 6,667 km²
_MAX_100M = 1e5  # 10 trillion yuan
_MAX_COUNT = 1e5

INDICATORS = (
    Field("developable_mu", "real", True, 0, _MAX_MU, rule="R4"),
    Field("industrial_va_100m", "real", True, 0, _MAX_100M, rule="R4"),
    Field("industrial_output_100m", "real", False, 0, _MAX_100M, rule="T3"),
    Field("tax_100m", "real", False, 0, _MAX_100M, rule="T3"),
    Field("industrial_land_mu", "real", False, 0, _MAX_MU, low_open=True, rule="T3"),
    Field("high_tech_va_share", "share", False, 0, 1, rule="T2"),
    Field("rd_share", "share", False, 0, 1, rule="T2"),
    Field("listed_firms", "int", False, 0, _MAX_COUNT, rule="T4"),
    Field("firms_over_10bn", "int", False, 0, _MAX_COUNT, rule="T4"),
)

LEVELS = ("national", "provincial")
#: the catalogue's zone types (开发区类型) and parkgeo's other kinds (R6)
ZONE_TYPES = tuple(ZONE_KINDS)
PARK_TYPES = ("town_park", "characteristic_town", "provincial_park", "municipal_park", "other")
HAZARDS = ("none", "minor", "major")
PLOT_STATUS = ("available", "reserved", "let")
PROJECT_TYPES = ("new", "expansion")
PROJECT_STATUS = ("proposed", "signed")

LAYERS = {
    "zones": (
        Field("zone_id", "text", True),
        Field("name", "text", True),
        Field("county", "text", True),
        Field("level", "enum", True, choices=LEVELS, rule="R6"),
        Field("approved_area_ha", "real", True, 0, _MAX_MU / 15, low_open=True, rule="R2"),
        Field("industries", "codes", True, rule="R7"),
        Field("main_platform", "bool", False, rule="R6"),
        Field("zone_type", "enum", False, choices=ZONE_TYPES, rule="R6"),
        Field("approval_date", "text", False),
        *INDICATORS,
    ),
    "parks": (
        Field("park_id", "text", True),
        Field("name", "text", True),
        Field("county", "text", True),
        Field("town", "text", False, rule="R14"),
        Field("park_type", "enum", True, choices=PARK_TYPES, rule="R7"),
        Field("industries", "codes", True, rule="R7"),
        Field("conforms_to_plan", "bool", True, rule="R10"),
        Field("low_small_scattered", "bool", False, rule="R10"),
        Field("hazard", "enum", False, choices=HAZARDS, rule="R10"),
        Field("compatible_with_surroundings", "bool", False, rule="R10"),
        *INDICATORS,
    ),
    "counties": (Field("name", "text", True),),
    "protected": (Field("kind", "text", True),),
    "plots": (
        Field("plot_id", "text", True),
        Field("owner_id", "text", True),
        Field("area_mu", "real", True, 0, _MAX_MU, low_open=True),
        Field("land_use", "text", False),
        Field("status", "enum", True, choices=PLOT_STATUS, rule="T7"),
        Field("price_10k_yuan_per_mu", "real", False, 0, 1e6),
    ),
    "monitoring": (
        Field("platform_id", "text", False, rule="R15"),
        Field("zone_id", "text", False, rule="R15"),
        Field("park_id", "text", False, rule="R15"),
        Field("period", "text", True, rule="R15"),
        Field("industrial_output_100m", "real", False, 0, _MAX_100M),
        Field("industrial_va_100m", "real", False, 0, _MAX_100M),
        Field("tax_100m", "real", False, 0, _MAX_100M),
        Field("industrial_land_mu", "real", False, 0, _MAX_MU),
        Field("employees", "real", False, 0, 1e8),
        Field("energy_tce", "real", False, 0, 1e10),
        Field("emissions_t", "real", False, 0, 1e10),
        Field("rd_share", "share", False, 0, 1),
        Field("high_tech_va_share", "share", False, 0, 1),
        Field("investment_100m", "real", False, 0, _MAX_100M),
        Field("large_projects", "int", False, 0, _MAX_COUNT),
    ),
    "projects": (
        Field("project_id", "text", True),
        Field("name", "text", True),
        Field("industries", "codes", True, rule="R17"),
        Field("investment_10k_yuan", "real", True, 0, 1e9, rule="R17"),
        Field("land_mu", "real", False, 0, _MAX_MU, rule="R17"),
        Field("energy_tce", "real", False, 0, 1e10, rule="R17"),
        Field("expected_tax_10k_yuan", "real", False, 0, 1e9, rule="R17"),
        Field("expected_output_10k_yuan", "real", False, 0, 1e10, rule="R17"),
        Field("project_type", "enum", False, choices=PROJECT_TYPES, rule="R17"),
        Field("status", "enum", False, choices=PROJECT_STATUS, rule="T6"),
        Field("year", "int", False, 1949, 2100, rule="T6"),
    ),
    # the land-use survey (三调 地类图斑): read by extent, never whole (parkgeo.read.landuse)
    "landuse": (
        Field("dlbm", "text", True, rule="R4"),
        Field("dlmc", "text", False, rule="R4"),
    ),
    "development_boundary": (Field("name", "text", False, rule="R4"),),
}

REQUIRED_LAYERS = ("zones", "parks")
#: layers without geometry
TABLE_LAYERS = ("monitoring", "about")
#: the id field of each layer (used to name features in messages)
ID_FIELD = {
    "zones": "zone_id",
    "parks": "park_id",
    "counties": "name",
    "plots": "plot_id",
    "projects": "project_id",
}

SHORT_ALIASES = {
    "approved_area_ha": "appr_ha",
    "main_platform": "main_plat",
    "conforms_to_plan": "conforms",
    "low_small_scattered": "lss",
    "compatible_with_surroundings": "compatible",
    "developable_mu": "dev_mu",
    "industrial_va_100m": "va_100m",
    "industrial_output_100m": "out_100m",
    "industrial_land_mu": "land_mu",
    "high_tech_va_share": "hitech_sh",
    "listed_firms": "listed",
    "firms_over_10bn": "firms_10bn",
    # beyond the contract table: the other long names, cut to 10 characters as a Shapefile does
    "investment_10k_yuan": "invest_10k",
    "expected_tax_10k_yuan": "exp_tax",
    "expected_output_10k_yuan": "exp_output",
    "price_10k_yuan_per_mu": "price_10k",
    "project_type": "proj_type",
}

# Common Chinese field names of town-office data. Only unambiguous ones: anything else goes
# through the scenario's [fields] mapping, which the error message suggests.
CHINESE_ALIASES = {
    "zone_id": ("开发区代码", "开发区编号", "园区代码", "代码"),
    "park_id": ("园区编号", "园区代码", "编号"),
    "name": ("园区名称", "开发区名称", "名称"),
    "county": ("所属县区", "县(市、区)", "县市区", "区县"),
    "town": ("所属镇街", "镇(街道)", "镇街道", "乡镇街道"),
    "level": ("级别", "开发区级别", "批准级别"),
    # the national catalogue gives 核准面积 in hectares
    "approved_area_ha": ("核准面积公顷", "核准面积(公顷)", "核准面积_公顷", "核准面积",
                         "国家核准面积"),
    "industries": ("主导产业代码", "产业代码", "行业代码", "主导产业"),
    "zone_type": ("开发区类型",),
    "approval_date": ("批准时间", "批准日期"),
    "park_type": ("园区类型",),
    "conforms_to_plan": ("符合规划", "是否符合规划"),
    "low_small_scattered": ("低小散", "是否低小散"),
    "hazard": ("安全隐患", "环境安全隐患", "隐患"),
    "compatible_with_surroundings": ("与周边协调", "是否与周边协调"),
    "developable_mu": ("可开发空间", "可开发空间亩", "可开发面积"),
    "industrial_va_100m": ("规上工业增加值", "工业增加值亿元"),
    "industrial_output_100m": ("规上工业总产值", "工业总产值亿元"),
    "tax_100m": ("税收", "税收亿元"),
    "industrial_land_mu": ("工业用地", "工业用地亩"),
    "high_tech_va_share": ("高新技术产业占比",),
    "rd_share": ("研发投入占比", "R&D占比"),
    "listed_firms": ("上市企业数",),
    "firms_over_10bn": ("百亿企业数",),
    # the survey's own field names; "地类编" and "地类名" are what is left of them when a
    # Shapefile written in UTF-8 cuts them at 10 bytes
    "dlbm": ("地类编码", "地类代码", "地类编", "DLBM", "DLDM"),
    "dlmc": ("地类名称", "地类名", "DLMC"),
}



def gbk_truncate(name, limit=10):
    """A field name as a GBK Shapefile keeps it: its first ``limit`` bytes in GBK.

    The dBase header holds 10 bytes per field name, so ``规上工业增加值`` (14 bytes) is stored as
    ``规上工业增``; a character cut in half is lost. Names that cannot be encoded in GBK, or that
    fit, are returned unchanged.

    >>> gbk_truncate("规上工业增加值"), gbk_truncate("核准面积(公顷)"), gbk_truncate("名称")
    ('规上工业增', '核准面积(', '名称')
    """
    try:
        raw = name.encode("gbk")
    except UnicodeEncodeError:
        return name
    return raw[:limit].decode("gbk", errors="ignore")


#: every Chinese alias as a GBK Shapefile stores it (computed, so it cannot drift from the list)
GBK_ALIASES = {
    field: tuple(dict.fromkeys(t for t in (gbk_truncate(a) for a in aliases) if t not in aliases))
    for field, aliases in CHINESE_ALIASES.items()
}

_TRUE = {"true", "t", "yes", "y", "1", "是", "对", "有", "√"}
_FALSE = {"false", "f", "no", "n", "0", "否", "不", "无", "×"}

_ENUM_VALUES = {
    "level": {s: level for level, spellings in LEVEL_SPELLINGS.items() for s in spellings},
    "zone_type": {s: kind for kind, (_, spellings) in ZONE_KINDS.items()
                  for s in (kind, *spellings)},
    "park_type": {
        "town_park": "town_park", "镇(街道)工业园区": "town_park", "镇街道工业园区": "town_park",
        "镇级工业园区": "town_park", "镇工业园区": "town_park", "街道工业园区": "town_park",
        "工业功能区": "town_park", "小微企业园": "town_park",
        "characteristic_town": "characteristic_town", "特色小镇": "characteristic_town",
        "省级特色小镇": "characteristic_town", "市级特色小镇": "characteristic_town",
        "provincial_park": "provincial_park", "省级园区": "provincial_park",
        "省级工业园区": "provincial_park",
        "municipal_park": "municipal_park", "市级园区": "municipal_park",
        "市级工业园区": "municipal_park",
        "other": "other", "其他": "other", "其它": "other",
    },
    "hazard": {
        "none": "none", "无": "none", "没有": "none", "no": "none",
        "minor": "minor", "一般": "minor", "较小": "minor", "轻微": "minor",
        "major": "major", "重大": "major", "较大": "major", "严重": "major",
    },
    "status": {
        "available": "available", "可供": "available", "待出让": "available", "可用": "available",
        "reserved": "reserved", "预留": "reserved", "储备": "reserved",
        "let": "let", "已出让": "let", "已供": "let",
        "proposed": "proposed", "拟建": "proposed", "洽谈": "proposed",
        "signed": "signed", "签约": "signed", "已签约": "signed",
    },
    "project_type": {
        "new": "new", "新建": "new", "新上": "new",
        "expansion": "expansion", "扩建": "expansion", "扩能": "expansion", "技改扩能": "expansion",
    },
}


@dataclass(frozen=True)
class Problem:
    """A problem found while reading: the same shape as a validation finding."""

    rule: str
    layer: str
    id: str | None
    field: str | None
    severity: str
    message: str
    #: the same message in Chinese, with the same numbers (becomes the finding's ``message_zh``)
    message_zh: str = ""


def _norm(text):
    """Normalise a field name or value for matching: NFKC (full-width to half-width), trimmed."""
    return unicodedata.normalize("NFKC", str(text)).strip()


def _key(text):
    # U+FFFD: a GBK character cut in half by the Shapefile's 10 bytes, decoded as a replacement
    return (_norm(text).lower().replace(" ", "").replace("（", "(").replace("）", ")")
            .replace("\ufffd", ""))


def resolve_columns(columns, layer, mapping=None):
    """Map the columns of a source layer to contract names.

    Parameters
    ----------
    columns : list of str
        The source columns.
    layer : str
        The contract layer.
    mapping : dict, optional
        The scenario's ``[fields]`` mapping for this layer (contract name -> source name).

    Returns
    -------
    (dict, list of str)
        ``{source column: contract name}`` for the columns recognised, and the mapping
        entries that name a column the layer does not have.
    """
    # in the contract's order (not a set's), so the same columns always map the same way
    spec = list(dict.fromkeys(f.name for f in LAYERS.get(layer, ())))
    mapping = mapping or {}
    by_key = {}
    for c in columns:
        by_key.setdefault(_key(c), c)
    rename, unmatched = {}, []
    taken = set()
    for contract, source in mapping.items():
        if contract not in spec:
            continue
        col = by_key.get(_key(source))
        if col is None:
            unmatched.append(f"{contract} = \"{source}\"")
            continue
        rename[col] = contract
        taken.add(contract)
    for name in spec:
        if name in taken:
            continue
        candidates = [name, SHORT_ALIASES.get(name), *CHINESE_ALIASES.get(name, ()),
                      *GBK_ALIASES.get(name, ())]
        for cand in candidates:
            if cand is None:
                continue
            col = by_key.get(_key(cand))
            if col is not None and col not in rename:
                rename[col] = name
                taken.add(name)
                break
    return rename, unmatched


def parse_bool(value):
    """``True``/``False`` for a boolean in any of the accepted spellings, None if empty.

    Raises ValueError for anything else.

    >>> parse_bool("是"), parse_bool("0"), parse_bool(None)
    (True, False, None)
    """
    if value is None or (isinstance(value, float) and math.isnan(value)) or value is pd.NA:
        return None
    if isinstance(value, bool | np.bool_):
        return bool(value)
    if isinstance(value, int | np.integer | float | np.floating):
        if value in (0, 1):
            return bool(value)
        raise ValueError(value)
    text = _norm(value).lower()
    if text == "":
        return None
    if text in _TRUE:
        return True
    if text in _FALSE:
        return False
    raise ValueError(value)


_NUMBER = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$")


def parse_number(value):
    """A float for a number or numeric text (``"1,500"``, full-width digits), None if empty.

    Raises ValueError for text that is not a number (``"about 1500"``) and for NaN/inf text.

    >>> parse_number("1,500"), parse_number(" ２５ "), parse_number("")
    (1500.0, 25.0, None)
    """
    if value is None or value is pd.NA:
        return None
    if isinstance(value, bool | np.bool_):
        raise ValueError(value)
    if isinstance(value, int | np.integer):
        return float(value)
    if isinstance(value, float | np.floating):
        return None if math.isnan(value) else float(value)
    text = _norm(value).replace(",", "").replace("，", "")
    if text == "":
        return None
    if not _NUMBER.match(text):
        raise ValueError(value)
    return float(text)


def _text(value):
    if type(value) is str:  # the common case first: called for every distinct text value
        return value.strip() or None
    if value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value)):
        return None
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    text = str(value).strip()
    return text or None


def normalise_layer(frame, layer, *, mapping=None, path=None):
    """Rename and convert the contract fields of one layer; collect every problem.

    Extra fields pass through untouched. Values that cannot be understood are left empty
    (None/NaN) and reported.

    Returns
    -------
    (DataFrame, list of Problem, dict)
        The normalised frame (a copy), the problems, and ``{source column: contract name}``.
    """
    spec = LAYERS.get(layer)
    if spec is None:
        return frame, [], {}
    rename, unmatched = resolve_columns([c for c in frame.columns if c != "geometry"],
                                        layer, mapping)
    problems = []
    for entry in unmatched:
        problems.append(Problem("missing_field", layer, None, entry.split(" ")[0], "error",
                                f"the scenario maps {entry} but the layer has no such field",
                                f"情景文件对应了 {entry},但该图层没有这个字段"))
    # a source column whose own name is a contract name but that another column was mapped to
    clash = [c for c in frame.columns if c in rename.values() and c not in rename]
    out = frame.rename(columns={c: f"{c}_source" for c in clash}).rename(columns=rename)
    id_field = ID_FIELD.get(layer)
    ids = _ids(out, id_field)
    present = set(out.columns)
    for f in spec:
        if f.name not in present:
            if f.required:
                unmapped = [c for c in frame.columns if c != "geometry" and c not in rename]
                problems.append(Problem(
                    "missing_field", layer, None, f.name, "error",
                    _missing_message(f, layer, unmapped),
                    _missing_message(f, layer, unmapped, zh=True)))
            continue
        values, probs = _convert(out[f.name], f, layer, ids)
        out[f.name] = values
        problems.extend(probs)
    if layer == "monitoring" and not ({"platform_id", "zone_id", "park_id"} & present):
        problems.append(Problem("missing_field", layer, None, "platform_id", "error",
                                "monitoring rows need 'platform_id' (or 'zone_id'/'park_id') "
                                "naming the platform they measure",
                                "季度监测的每一行需要 platform_id(或 zone_id/park_id)"
                                "注明所监测的平台"))
    return out, problems, rename


def _ids(frame, id_field):
    if id_field and id_field in frame:
        # ids are text: that case first
        return [((v.strip() if type(v) is str else _text(v)) or f"#{i}")
                for i, v in enumerate(frame[id_field].to_numpy(dtype=object).tolist())]
    return [f"#{i}" for i in range(len(frame))]


#: value types :func:`distinct_values` groups by equality without merging values that convert
#: differently (``True == 1 == 1.0`` and ``0.0 == -0.0`` would: those columns go value by value)
_DISTINCT_KINDS = ("string", "integer", "boolean", "empty")


def distinct_values(raw):
    """``(codes, uniques)`` of the object array ``raw``: ``raw == uniques[codes]``.

    Town-office tables repeat the same few texts (counties, types, industries) thousands of
    times: converting each distinct value once and mapping back by ``codes`` replaces a Python
    call per row with one per distinct value (:func:`pandas.factorize`). Missing values (None,
    NaN, ``pd.NA``) get one entry per kind. Returns None when the values mix types that compare
    equal but convert differently; the caller then goes value by value.
    """
    if pd.api.types.infer_dtype(raw, skipna=True) not in _DISTINCT_KINDS:
        return None
    codes, uniques = pd.factorize(raw)
    uniques = list(uniques)
    missing = np.flatnonzero(codes < 0)
    if len(missing):
        kinds = {}
        for i in missing:
            v = raw[i]
            k = kinds.get(type(v))
            if k is None:
                k = kinds[type(v)] = len(uniques)
                uniques.append(v)
            codes[i] = k
    return codes, uniques


def _distinct_text(series):
    """:func:`distinct_values` of a text column (the pandas string dtypes: text or missing),
    factorised by pandas without going through Python objects; None for other columns."""
    if not isinstance(series.dtype, pd.StringDtype):
        return None
    codes, uniques = pd.factorize(series)
    uniques = list(uniques.to_numpy(dtype=object))
    missing = codes < 0
    if missing.any():
        # one entry for the missing value, as the column holds it
        codes = np.where(missing, len(uniques), codes)
        uniques.append(series[missing].iloc[0])
    return codes, uniques


def _table(items):
    """An object array of ``items`` (numpy would make a list of tuples a 2-D array)."""
    out = np.empty(len(items), dtype=object)
    out[:] = items
    return out


def _missing_message(f, layer, unmapped, zh=False):
    if zh:
        hint = ""
        if unmapped:
            shown = "、".join(unmapped[:8]) + (" …" if len(unmapped) > 8 else "")
            hint = (f";图层中未识别的字段:{shown}——如果其中之一就是 {f.name},请在情景文件中"
                    f"对应:[fields.{layer}] {f.name} = \"<原字段名>\"")
        alias = SHORT_ALIASES.get(f.name)
        alias_text = f"(或其简称 {alias})" if alias else ""
        if not hint:
            hint = ";请在图层中加入该字段(docs/data-contract.md 列出全部字段)"
        return f"缺少必需的字段 {f.name}{alias_text}{hint}"
    hint = ""
    if unmapped:
        shown = ", ".join(unmapped[:8]) + (" …" if len(unmapped) > 8 else "")
        hint = (f"; unrecognised fields in the layer: {shown} — if one of them is '{f.name}', "
                f"map it in the scenario file: [fields.{layer}] {f.name} = \"<its name>\"")
    alias = SHORT_ALIASES.get(f.name)
    alias_text = f" (or its short alias '{alias}')" if alias else ""
    if not hint:
        hint = "; add it to the layer (docs/data-contract.md lists every field)"
    return f"required field '{f.name}'{alias_text} is missing{hint}"


def _describe(value):
    """A value for a one-line message: text quoted as written, control characters escaped.

    >>> print(_describe("0\\n"), _describe("高新区"), _describe(3.5))
    '0\\n' '高新区' 3.5
    """
    if not isinstance(value, str):
        return repr(value)
    return "'" + "".join(c if c.isprintable() else repr(c)[1:-1] for c in value) + "'"


def _bad(text, text_zh):
    """A ``bad_value`` error in English and in Chinese, as :func:`_convert_value` returns it."""
    return ("bad_value", "error", text, text_zh)


def accepted_spellings(field, zh=False):
    """Every spelling a value of the enum ``field`` may take, for messages (``zh``: for a
    Chinese message).

    >>> print(accepted_spellings("hazard"))
    none (无, 没有, no), minor (一般, 较小, 轻微), major (重大, 较大, 严重)
    """
    table = _ENUM_VALUES.get(field, {})
    spec = next((f for fs in LAYERS.values() for f in fs if f.name == field), None)
    choices = spec.choices if spec is not None else tuple(dict.fromkeys(table.values()))
    parts = []
    for c in choices:
        others = [k for k, v in table.items() if v == c and k != c]
        if zh:
            parts.append(f"{c}({'、'.join(others)})" if others else c)
        else:
            parts.append(f"{c} ({', '.join(others)})" if others else c)
    if zh:
        text = ";".join(parts)
        if field == "level":
            text += ";或目录代码(G… 国家级,S… 省级)"
        return text
    text = ", ".join(parts)
    if field == "level":
        text += ", or a catalogue code (G… national, S… provincial)"
    return text


def _industries(v, t):
    """Industries as written -> ``(codes, None)`` or ``(codes, warning)``: one parser for all."""
    parsed = parse_industries(t)
    value = ";".join(parsed.codes) or None
    notes, notes_zh = [], []
    if parsed.unrecognised:
        terms = "、".join(parsed.unrecognised)
        notes.append(f"{_describe(terms)} in {_describe(v)} maps to no GB/T 4754-2017 code (not "
                     "a code, a GB/T name or a known term) and is left out; write its code, or "
                     "see how terms are read with 'parkgeo industries TERM'")
        notes_zh.append(f"“{v}”中的“{terms}”对应不到国民经济行业分类(GB/T 4754-2017)代码"
                        "(既不是代码、行业名称,也不是已知词语),已略去;请写出其代码,"
                        "或用“parkgeo industries 词语”查看词语的识别方式")
    table = gbt4754()
    unknown = [c for t_ in parsed.terms if t_.how == "code" for c in t_.codes if c not in table]
    if unknown:
        notes.append(f"GB/T 4754-2017 has no code {', '.join(unknown)} (kept as written)")
        notes_zh.append(f"国民经济行业分类(GB/T 4754-2017)中没有代码 {'、'.join(unknown)}"
                        "(按原样保留)")
    return value, (("industry_unrecognised", "warning", "; ".join(notes), ";".join(notes_zh))
                   if notes else None)


def _convert_value(v, f):
    """Convert one value of field ``f``: ``(value, None)`` or ``(empty, message)``.

    The message is a ``(rule, severity, text, text in Chinese)`` tuple.
    """
    empty = np.nan if f.kind in ("real", "int", "share") else None
    if f.kind in ("text", "codes"):
        t = _text(v)
        if t is None:
            return None, (_bad("required value is empty", "必填值为空") if f.required else None)
        if f.kind == "codes":
            return _industries(v, t)
        return t, None
    if f.kind == "bool":
        try:
            b = parse_bool(v)
        except ValueError:
            return None, _bad(
                f"expected a boolean (true/false, 1/0, 是/否) — accepted: true "
                f"({', '.join(sorted(_TRUE))}), false ({', '.join(sorted(_FALSE))}); "
                f"found {_describe(v)}",
                f"应为是/否(true/false、1/0、是/否)——可用的写法:是"
                f"({'、'.join(sorted(_TRUE))}),否({'、'.join(sorted(_FALSE))});实际为“{v}”")
        if b is None and f.required:
            return None, _bad("required value is empty; expected true/false, 1/0 or 是/否",
                              "必填值为空;应为 true/false、1/0 或 是/否")
        return b, None
    if f.kind == "enum":
        t = _text(v)
        if t is None:
            return None, (_bad(f"required value is empty; expected one of "
                               f"{accepted_spellings(f.name)}",
                               f"必填值为空;应为以下之一:{accepted_spellings(f.name, zh=True)}")
                          if f.required else None)
        table = _ENUM_VALUES.get(f.name, {})
        key = _key(t)
        val = table.get(key) or table.get(_norm(t)) or (key if key in f.choices else None)
        if val is None and f.name == "level":
            val = level_of(t)
        if val is None and f.name == "zone_type":
            val = zone_kind(t)
        if val is None or val not in f.choices:
            return None, _bad(f"expected one of {accepted_spellings(f.name)}; found {_describe(v)}",
                              f"应为以下之一:{accepted_spellings(f.name, zh=True)};实际为“{v}”")
        return val, None
    # real, int, share
    try:
        x = parse_number(v)
    except ValueError:
        return empty, _bad(f"expected a number{_unit(f.name)}, found {_describe(v)}",
                           f"应为数值{_unit_zh(f.name)},实际为“{v}”")
    if x is None:
        return empty, (_bad(f"required value is empty; expected a number{_unit(f.name)}",
                            f"必填值为空;应为数值{_unit_zh(f.name)}")
                       if f.required else None)
    if not math.isfinite(x):
        return empty, _bad(f"expected a finite number, found {_describe(v)}",
                           f"应为有限数值,实际为“{v}”")
    msg = _range_message(f, x)
    if msg:
        return empty, _bad(msg, _range_message(f, x, zh=True))
    if f.kind == "int" and not float(x).is_integer():
        return empty, _bad(f"expected a whole number, found {_describe(v)}",
                           f"应为整数,实际为“{v}”")
    return x, None


def _convert(series, f, layer, ids):
    """Convert one column to the field's type; return (values, problems).

    Numeric columns are checked vectorised; other columns value by value, once per distinct
    value (town-office tables repeat the same texts many times).
    """
    numeric_field = f.kind in ("real", "int", "share")
    if f.kind == "bool" and series.dtype == np.bool_:  # a boolean column: nothing to convert
        return series.astype("boolean").rename(f.name), []
    if numeric_field and pd.api.types.is_numeric_dtype(series.dtype) and \
            not pd.api.types.is_bool_dtype(series.dtype):
        x = series.astype("float64").to_numpy()
        with np.errstate(invalid="ignore"):
            ok = np.isfinite(x)
            if f.low is not None:
                ok &= (x > f.low) if f.low_open else (x >= f.low)
            if f.high is not None:
                ok &= x <= f.high
            if f.kind == "int":
                ok &= np.floor(x) == x
        if not f.required:
            ok |= np.isnan(x)
        values = np.where(ok, x, np.nan)
        errors = {int(i): _convert_value(x[i], f)[1] for i in np.flatnonzero(~ok)}
    elif f.kind == "text" and isinstance(series.dtype, pd.StringDtype):
        # ids and names of a text column (text or missing): trimmed in one pass; a missing
        # value is empty, as _convert_value makes it
        values = [(v.strip() or None) if type(v) is str else None
                  for v in series.to_numpy(dtype=object).tolist()]
        errors = {}
        if f.required:
            empty = _bad("required value is empty", "必填值为空")
            blank = np.flatnonzero(np.equal(_table(values), None))
            errors = {int(i): empty for i in blank}
    elif f.kind == "text":
        # ids and names: nearly as many distinct values as rows, and trimming is all it takes
        empty = _bad("required value is empty", "必填值为空") if f.required else None
        values, errors = [], {}
        for i, v in enumerate(series.to_numpy(dtype=object).tolist()):
            if type(v) is str:
                t = v.strip() or None
                msg = None if t else empty
            else:
                t, msg = _convert_value(v, f)
            values.append(t)
            if msg:
                errors[i] = msg
    else:
        grouped = _distinct_text(series)
        if grouped is None:
            raw = series.to_numpy(dtype=object)
            grouped = distinct_values(raw)
        if grouped is not None:
            codes, uniques = grouped
            hits = [_convert_value(u, f) for u in uniques]
            values = _table([h[0] for h in hits])[codes]
            msgs = _table([h[1] for h in hits])
            bad = np.flatnonzero(np.array([bool(h[1]) for h in hits], dtype=bool)[codes])
            errors = {int(i): msgs[codes[i]] for i in bad}
        else:
            cache, values, errors = {}, [], {}
            for i, v in enumerate(raw.tolist()):
                # NaN never equals itself and lists are unhashable: convert those every time
                key = v if isinstance(v, str | int | bool | None) else None
                hit = cache.get(key) if key is not None else None
                if hit is None:
                    hit = _convert_value(v, f)
                    if key is not None:
                        cache[key] = hit
                values.append(hit[0])
                if hit[1]:
                    errors[i] = hit[1]
    problems = [Problem(msg[0], layer, ids[i], f.name, msg[1], msg[2], msg[3])
                for i, msg in sorted(errors.items()) if msg]
    if numeric_field:
        result = pd.Series(values, index=series.index, dtype="float64", name=f.name)
        if f.kind == "int":
            result = result.astype("Int64")
    elif f.kind == "bool":
        result = pd.Series(values, index=series.index, dtype="boolean", name=f.name)
    else:
        result = pd.Series(values, index=series.index, dtype=object, name=f.name)
    return result, problems


def _unit(name):
    if name.endswith("_mu"):
        return " (mu)"
    if name.endswith("_ha"):
        return " (hectares)"
    if name.endswith("_100m"):
        return " (亿元)"
    if name.endswith("_10k_yuan") or "_10k_" in name:
        return " (万元)"
    if name.endswith("_share"):
        return " (a share between 0 and 1)"
    return ""


def _unit_zh(name):
    """:func:`_unit` in Chinese."""
    for end, unit in (("_mu", "(亩)"), ("_ha", "(公顷)"), ("_100m", "(亿元)"),
                      ("_share", "(0 到 1 之间的比例)")):
        if name.endswith(end):
            return unit
    if name.endswith("_10k_yuan") or "_10k_" in name:
        return "(万元)"
    return ""


def _range_message(f, x, zh=False):
    if zh:
        return _range_message_zh(f, x)
    if f.low is not None and (x < f.low or (f.low_open and x <= f.low)):
        sign = ">" if f.low_open else "≥"
        return f"expected a number {sign} {f.low:g}{_unit(f.name)}, found {x:g}"
    if f.high is not None and x > f.high:
        if f.kind == "share" and x <= 100:
            return (f"expected a share between 0 and 1, found {x:g}; if it is a percentage, "
                    f"divide by 100 ({x / 100:g})")
        return (f"{x:g}{_unit(f.name)} is implausibly large (more than {f.high:g}); "
                "check the unit")
    return None


def _range_message_zh(f, x):
    """:func:`_range_message` in Chinese."""
    if f.low is not None and (x < f.low or (f.low_open and x <= f.low)):
        sign = ">" if f.low_open else "≥"
        return f"应为 {sign} {f.low:g}{_unit_zh(f.name)} 的数值,实际为 {x:g}"
    if f.high is not None and x > f.high:
        if f.kind == "share" and x <= 100:
            return (f"应为 0 到 1 之间的比例,实际为 {x:g};如果是百分数,请除以 100"
                    f"({x / 100:g})")
        return f"{x:g}{_unit_zh(f.name)} 大得不合常理(超过 {f.high:g});请检查单位"
    return None
