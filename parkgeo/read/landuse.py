"""The land-use survey (三调 地类图斑), read by extent so that memory stays flat as it grows.

A county's survey holds 100,000–500,000 polygons, a city's millions: the ``landuse`` layer is
never read whole. :func:`open_landuse` reads only its schema and extent (``pyogrio.read_info``)
and checks them; :func:`read_tiles` then reads the features under a grid of tiles covering only
the places asked about, one tile at a time, each with GDAL's spatial filter (a GeoPackage's
R-tree answers it without scanning the layer). A tile is sized from the layer's density so that
it holds about ``batch`` features, whatever the size of the survey.

Codes are the survey's 地类编码 (DLBM) after GB/T 21010-2017, with the working classes of the
third national land survey (``05H1``, ``08H2``) and its attribute suffixes (``0101K`` 可调整,
``1104A`` 养殖坑塘): :func:`normalise_codes` and :data:`SURVEY_CODE`.
"""

from __future__ import annotations

import math
import re
import warnings
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import shapely
from pyproj import CRS

from .crs import check_declared_crs, missing_crs_problem
from .fields import Problem, resolve_columns

__all__ = [
    "LANDUSE_LAYER",
    "LANDUSE_NAMES",
    "SURVEY_CODE",
    "CLASS_NAMES",
    "LanduseSource",
    "find_landuse",
    "open_landuse",
    "normalise_codes",
    "plan_tiles",
    "read_tiles",
    "survey_names",
    "has_spatial_index",
    "tile_box",
]

#: the contract name of the survey layer
LANDUSE_LAYER = "landuse"
#: names a survey layer arrives under: the contract name, the 三调 database's 地类图斑 layer
LANDUSE_NAMES = ("landuse", "dltb", "地类图斑")

#: one survey code: GB/T 21010-2017 first-level class 01–12, optionally its second-level
#: class (two digits) or a 三调 working class (``H1``, ``H2``), optionally one attribute
#: letter (``K`` adjustable, ``A`` aquaculture pond / main canal, ``G``, ``F``, ``X``)
SURVEY_CODE = re.compile(r"^(0[1-9]|1[0-2])(\d{2}|H[1-9])?[A-Z]?$")

#: names of the GB/T 21010-2017 classes and the 三调 working classes (for ``dlmc`` when absent)
CLASS_NAMES = {
    "01": "耕地", "0101": "水田", "0102": "水浇地", "0103": "旱地",
    "02": "园地", "0201": "果园", "0202": "茶园", "0203": "橡胶园", "0204": "其他园地",
    "03": "林地", "0301": "乔木林地", "0302": "竹林地", "0303": "红树林地", "0304": "森林沼泽",
    "0305": "灌木林地", "0306": "灌丛沼泽", "0307": "其他林地",
    "04": "草地", "0401": "天然牧草地", "0402": "沼泽草地", "0403": "人工牧草地",
    "0404": "其他草地",
    "05": "商服用地", "05H1": "商业服务业设施用地", "0508": "物流仓储用地",
    "06": "工矿仓储用地", "0601": "工业用地", "0602": "采矿用地", "0603": "盐田",
    "0604": "仓储用地",
    "07": "住宅用地", "0701": "城镇住宅用地", "0702": "农村宅基地",
    "08": "公共管理与公共服务用地", "08H1": "机关团体新闻出版用地", "08H2": "科教文卫用地",
    "0809": "公用设施用地", "0810": "公园与绿地",
    "09": "特殊用地",
    "10": "交通运输用地", "1001": "铁路用地", "1002": "轨道交通用地", "1003": "公路用地",
    "1004": "城镇村道路用地", "1005": "交通服务场站用地", "1006": "农村道路", "1007": "机场用地",
    "1008": "港口码头用地", "1009": "管道运输用地",
    "11": "水域及水利设施用地", "1101": "河流水面", "1102": "湖泊水面", "1103": "水库水面",
    "1104": "坑塘水面", "1105": "沿海滩涂", "1106": "内陆滩涂", "1107": "沟渠", "1108": "沼泽地",
    "1109": "水工建筑用地", "1110": "冰川及永久积雪",
    "12": "其他土地", "1201": "空闲地", "1202": "设施农用地", "1203": "田坎", "1204": "盐碱地",
    "1205": "沙地", "1206": "裸土地", "1207": "裸岩石砾地",
}


def class_name(code):
    """The name of survey code ``code`` (its class's, without the attribute letter), or ''."""
    if not code:
        return ""
    base = code[:4] if len(code) >= 4 else code
    return CLASS_NAMES.get(base) or CLASS_NAMES.get(code[:2], "")


def normalise_codes(values):
    """Survey codes as clean text: full-width to half-width, trimmed, upper case.

    Numbers lose the leading zero in spreadsheets (``101.0`` for ``0101``): a whole number of
    three digits gets it back. Returns an object array (None for empty values).

    >>> normalise_codes(np.array(["0101", " ０１０２ ", 101.0, "05h1", None], dtype=object))
    array(['0101', '0102', '0101', '05H1', None], dtype=object)
    """
    import unicodedata

    import pandas as pd

    def one(v):
        if v is None or (isinstance(v, float) and math.isnan(v)):
            return None
        if isinstance(v, float | int | np.integer | np.floating) and not isinstance(v, bool):
            if not float(v).is_integer():
                return str(v)
            n = int(v)
            return f"{n:04d}" if n < 1000 else str(n)
        return unicodedata.normalize("NFKC", str(v)).strip().upper() or None

    # a survey repeats a few dozen codes millions of times: convert each distinct value once
    codes, uniq = pd.factorize(pd.Series(np.asarray(values, dtype=object)), use_na_sentinel=True)
    conv = np.array([one(u) for u in uniq] + [None], dtype=object)
    return conv[codes]


@dataclass(frozen=True)
class LanduseSource:
    """Where the survey is and what it holds; read from the layer's metadata only.

    Attributes
    ----------
    path : str
        The file.
    layer : str or None
        The layer inside a GeoPackage (None for a single-layer file).
    features : int
        Number of polygons.
    crs : pyproj.CRS or None
        The layer's CRS (``--src-crs`` when it declares none).
    bounds : tuple
        ``(minx, miny, maxx, maxy)`` in ``crs``.
    code_field, name_field : str or None
        The source columns holding ``dlbm`` and ``dlmc``.
    encoding : str or None
        The encoding of a Shapefile's attributes.
    """

    path: str
    layer: str | None
    features: int
    crs: object
    bounds: tuple
    code_field: str | None
    name_field: str | None = None
    encoding: str | None = None

    def describe(self):
        """One line for the terminal."""
        crs = self.crs.to_string() if self.crs is not None else "no CRS"
        fields = f", dlbm←{self.code_field}" if self.code_field not in (None, "dlbm") else ""
        return f"landuse: {Path(self.path).name}, {self.features:,} polygons, {crs}{fields}"


def find_landuse(found):
    """The name under which the survey layer is in ``found`` (``{layer: file}``), or None."""
    by_key = {str(k).strip().lower(): k for k in found}
    for name in LANDUSE_NAMES:
        if name in by_key:
            return by_key[name]
    return None


def open_landuse(path, layer=None, *, mapping=None, src_crs=None, encoding=None):
    """Check the survey layer's schema and CRS without reading its features.

    Parameters
    ----------
    path : str or Path
        The GeoPackage or single-layer file.
    layer : str, optional
        The layer inside a GeoPackage.
    mapping : dict, optional
        The scenario's ``[fields.landuse]`` mapping (``dlbm = "地类编码"``).
    src_crs : str or CRS, optional
        The CRS to use when the layer declares none (``--src-crs``).
    encoding : str, optional
        Shapefile attribute encoding.

    Returns
    -------
    (LanduseSource, list of Problem)
        The problems: ``missing_field`` (no ``dlbm``), ``missing_crs``, ``wrong_crs``,
        ``empty_layer``.
    """
    import pyogrio

    kwargs = {"layer": layer} if layer is not None else {}
    if encoding:
        kwargs["encoding"] = encoding
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        info = pyogrio.read_info(str(path), force_feature_count=True, force_total_bounds=True,
                                 **kwargs)
    columns = [str(c) for c in info["fields"]]
    rename, unmatched = resolve_columns(columns, LANDUSE_LAYER, mapping)
    inverse = {v: k for k, v in rename.items()}
    problems = []
    for entry in unmatched:
        problems.append(Problem("missing_field", LANDUSE_LAYER, None, entry.split(" ")[0],
                                "error", f"the scenario maps {entry} but the layer has no "
                                "such field", f"情景文件对应了 {entry},但该图层没有这个字段"))
    code_field = inverse.get("dlbm")
    if code_field is None:
        shown = ", ".join(columns[:8]) + (" …" if len(columns) > 8 else "")
        problems.append(Problem(
            "missing_field", LANDUSE_LAYER, None, "dlbm", "error",
            "required field 'dlbm' (地类编码, the survey's land-class code) is missing"
            + (f"; fields in the layer: {shown} — map the one holding the code in the "
               "scenario file: [fields.landuse] dlbm = \"<its name>\"" if columns else ""),
            "缺少必需的字段 dlbm(地类编码)"
            + (f";图层中的字段:{'、'.join(columns[:8])}{' …' if len(columns) > 8 else ''}"
               "——请在情景文件中对应存放地类编码的字段:[fields.landuse] dlbm = \"<原字段名>\""
               if columns else "")))
    bounds = tuple(float(b) for b in (info.get("total_bounds") or (np.nan,) * 4))
    crs = CRS.from_user_input(info["crs"]) if info.get("crs") else None
    n = int(info.get("features") or 0)
    if not info.get("geometry_type"):
        problems.append(Problem("missing_field", LANDUSE_LAYER, None, "geometry", "error",
                                "the land-use layer has no geometry (was it exported as a "
                                "table?); the survey needs its polygons",
                                "地类图斑图层没有几何(是否导出成了属性表?);调查数据需要图斑多边形"))
        n = 0
    elif n == 0:
        problems.append(Problem("empty_layer", LANDUSE_LAYER, None, None, "error",
                                "the land-use layer has no features", "地类图斑图层没有要素"))
    elif crs is None:
        if src_crs is not None:
            crs = CRS.from_user_input(src_crs)
        else:
            problems.append(missing_crs_problem(LANDUSE_LAYER, bounds))
    if crs is not None and n:
        wrong = check_declared_crs(crs, bounds)
        if wrong:
            problems.append(Problem("wrong_crs", LANDUSE_LAYER, None, None, "error", wrong,
                                    check_declared_crs(crs, bounds, lang="zh")))
    src = LanduseSource(path=str(path), layer=layer, features=n, crs=crs, bounds=bounds,
                        code_field=code_field, name_field=inverse.get("dlmc"),
                        encoding=encoding or info.get("encoding"))
    return src, problems


def plan_tiles(src, boxes, *, batch=50_000):
    """Tiles (``minx, miny, maxx, maxy`` in the survey's CRS) covering ``boxes``.

    For a survey without a spatial index (a Shapefile without ``.qix``, GeoJSON), ranges of
    ``batch`` features instead: ``("range", first, count)``.

    The grid is laid over the boxes' total extent with square tiles holding about ``batch``
    survey polygons at the layer's mean density; only tiles that meet a box are kept. Tiles do
    not overlap (they share edges), so land cut along tile edges is counted once.
    """
    boxes = np.asarray(boxes, dtype=float).reshape(-1, 4)
    ok = np.isfinite(boxes).all(axis=1)
    boxes = boxes[ok]
    if not len(boxes) or src.features == 0:
        return []
    if not has_spatial_index(src):
        # without a spatial index every extent read would scan the whole file: read it once,
        # in ranges of features instead ("range", first, count) — each polygon exactly once
        step = max(int(batch), 1)
        return [("range", k, min(step, src.features - k)) for k in range(0, src.features, step)]
    minx, miny = boxes[:, 0].min(), boxes[:, 1].min()
    maxx, maxy = boxes[:, 2].max(), boxes[:, 3].max()
    lminx, lminy, lmaxx, lmaxy = src.bounds
    layer_area = max((lmaxx - lminx) * (lmaxy - lminy), 1e-12)
    density = src.features / layer_area
    side = math.sqrt(max(batch, 1) / density) if density > 0 else max(maxx - minx, maxy - miny)
    side = max(side, 1e-9)
    nx = max(1, math.ceil((maxx - minx) / side))
    ny = max(1, math.ceil((maxy - miny) / side))
    xs = np.linspace(minx, maxx, nx + 1)
    ys = np.linspace(miny, maxy, ny + 1)
    gx, gy = np.meshgrid(np.arange(nx), np.arange(ny), indexing="ij")
    gx, gy = gx.ravel(), gy.ravel()
    tiles = shapely.box(xs[gx], ys[gy], xs[gx + 1], ys[gy + 1])
    tree = shapely.STRtree(shapely.box(*boxes.T))
    hit = np.unique(tree.query(tiles, predicate="intersects")[0])
    return [(float(xs[gx[k]]), float(ys[gy[k]]), float(xs[gx[k] + 1]), float(ys[gy[k] + 1]))
            for k in hit]


def has_spatial_index(src):
    """Whether GDAL can answer an extent query on the survey without scanning it: a GeoPackage
    (R-tree) or FlatGeobuf, or a Shapefile with its ``.qix``/``.sbn`` index."""
    path = Path(src.path)
    suffix = path.suffix.lower()
    if suffix in (".gpkg", ".fgb"):
        return True
    if suffix == ".shp":
        return any(p.suffix.lower() in (".qix", ".sbn")
                   for p in path.parent.glob(path.stem + ".*"))
    return False


def tile_box(tile):
    """The extent of a tile, or None for a range of features (which needs no cutting)."""
    return None if tile[0] == "range" else tile


def read_tiles(src, tiles):
    """Yield ``(tile, fids, codes, None, geometries)`` for each tile, one tile at a time.

    ``geometries`` are shapely polygons in the survey's CRS; ``codes`` are normalised
    (:func:`normalise_codes`). Only the code column is read. A polygon whose extent meets
    several tiles is returned with each.
    """
    import pyogrio.raw

    # only the code: names come from GB/T 21010 (survey_names for codes it does not know), and
    # a text column read for every polygon would cost a third more time
    columns = [src.code_field] if src.code_field else []
    kwargs = {"layer": src.layer} if src.layer is not None else {}
    if src.encoding and Path(src.path).suffix.lower() == ".shp":
        kwargs["encoding"] = src.encoding
    for tile in tiles:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            if tile[0] == "range":
                where = {"skip_features": tile[1], "max_features": tile[2]}
            else:
                where = {"bbox": tile}
            _, fids, wkb, data = pyogrio.raw.read(src.path, columns=columns, return_fids=True,
                                                  **where, **kwargs)
        geoms = shapely.from_wkb(wkb, on_invalid="ignore")
        codes = normalise_codes(data[0]) if src.code_field else np.full(len(fids), None)
        yield tile, np.asarray(fids), codes, None, geoms


def survey_names(src, codes):
    """``{code: dlmc}`` from the survey itself for ``codes`` (one feature read per code)."""
    import pyogrio

    out = {}
    if not src.name_field or not src.code_field:
        return out
    kwargs = {"layer": src.layer} if src.layer is not None else {}
    for code in codes[:50]:
        literal = str(code).replace("'", "''")
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            try:
                frame = pyogrio.read_dataframe(
                    src.path, columns=[src.name_field], read_geometry=False, max_features=1,
                    where=f"\"{src.code_field}\" = '{literal}'", **kwargs)
            except Exception:  # a driver without SQL filters: the name stays empty
                continue
        if len(frame) and isinstance(frame.iloc[0, 0], str):
            out[code] = frame.iloc[0, 0].strip()
    return out
