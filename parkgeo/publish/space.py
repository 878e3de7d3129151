"""The developable-space account (可开发空间核算表): GeoPackage, CSV and Excel, in one language.

The GeoPackage keeps the contract's field names (it is data for a GIS); the CSV and Excel
files are for people and speak Chinese by default, English with ``lang="en"``.
"""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd

from .._atomic import atomic_path, write_text_atomic
from ..errors import OutputError
from ..i18n import tr, words

__all__ = ["SPACE_COLUMNS", "CLASS_COLUMNS", "space_frames", "write_space_gpkg",
           "write_space_csv", "write_space_xlsx", "read_developable_land"]

#: the account's columns, headed in the table's ``space.column.`` words
SPACE_COLUMNS = ("layer", "id", "name", "county", "area_mu", "surveyed_mu", "uncovered_mu",
                 "uncovered_share", "class_mu", "excluded_mu", "developable_mu",
                 "developable_ha", "declared_mu", "difference_mu", "difference_share",
                 "overlap_mu", "epsg")
#: the class breakdown's columns, headed in the table's ``space.class_column.`` words
CLASS_COLUMNS = ("layer", "id", "dlbm", "dlmc", "area_mu", "area_ha", "developable_mu")


def space_frames(result, *, lang="zh"):
    """The account and the class breakdown as DataFrames with headings in ``lang``."""
    layers = words("space.layer.", lang)
    table = result.table[list(SPACE_COLUMNS)].copy()
    table["layer"] = table["layer"].map(lambda v: layers.get(v, v))
    for col in table.columns:
        if col.endswith(("_mu", "_ha")):
            table[col] = table[col].round(2)
        elif col.endswith("_share"):
            table[col] = table[col].replace([np.inf, -np.inf], np.nan).round(4)
    table = table.rename(columns={c: tr(f"space.column.{c}", lang) for c in SPACE_COLUMNS})
    classes = result.classes.assign(area_ha=result.classes["area_mu"] / 15.0)
    classes = classes[list(CLASS_COLUMNS)].copy()
    classes["layer"] = classes["layer"].map(lambda v: layers.get(v, v))
    for col in ("area_mu", "area_ha", "developable_mu"):
        classes[col] = classes[col].round(2)
    classes = classes.rename(columns={c: tr(f"space.class_column.{c}", lang)
                                      for c in CLASS_COLUMNS})
    return table, classes


def _geometries(result, dataset):
    """The features' polygons and their developable land, both in the zones' CRS."""
    crs = dataset["zones"].crs
    feats = []
    for key in ("zones", "parks"):
        frame = dataset.get(key)
        if frame is None:
            continue
        g = frame.geometry
        if g.crs is not None and crs is not None and not g.crs.equals(crs):
            g = g.to_crs(crs)
        feats.append(np.asarray(g.values, dtype=object))
    shapes = np.concatenate(feats) if feats else np.empty(0, dtype=object)
    land, owner = [], []
    for (layer, fid), (dev, _gaps, code) in result.geometry.items():
        if dev is None:
            continue
        land.append(gpd.GeoSeries([dev], crs=int(code)).to_crs(crs).iloc[0])
        owner.append((layer, fid))
    return shapes, land, owner, crs


def write_space_gpkg(result, dataset, path, *, overwrite=False):
    """Write ``space`` (one row per zone and park, its polygon), ``space_classes`` (table) and
    ``developable_land`` (each feature's developable land, dissolved) to a GeoPackage."""
    import pyogrio

    shapes, land, owner, crs = _geometries(result, dataset)
    table = result.table.replace([np.inf, -np.inf], np.nan)
    space = gpd.GeoDataFrame(table, geometry=shapes if len(shapes) == len(table) else None,
                             crs=crs)
    dev = gpd.GeoDataFrame({"layer": [o[0] for o in owner], "id": [o[1] for o in owner]},
                           geometry=land, crs=crs)
    with atomic_path(path, overwrite=overwrite) as tmp:
        pyogrio.write_dataframe(space, tmp, layer="space", driver="GPKG",
                                promote_to_multi=True)
        pyogrio.write_dataframe(pd.DataFrame(result.classes), tmp, layer="space_classes",
                                driver="GPKG")
        if len(dev):
            pyogrio.write_dataframe(dev, tmp, layer="developable_land", driver="GPKG",
                                    promote_to_multi=True)
    return path


def write_space_csv(result, path, *, lang="zh", overwrite=False):
    """The account as CSV (UTF-8 with BOM, opens in Excel), headings in ``lang``."""
    table, _ = space_frames(result, lang=lang)
    return write_text_atomic(path, "\ufeff" + table.to_csv(index=False), overwrite=overwrite)


def write_space_xlsx(result, path, *, lang="zh", overwrite=False):
    """The account and the class breakdown as two sheets of an Excel workbook (openpyxl)."""
    if not str(path).lower().endswith(".xlsx"):
        raise OutputError(f"{path}: expected an .xlsx file")
    table, classes = space_frames(result, lang=lang)
    names = (tr("space.sheet.account", lang), tr("space.sheet.classes", lang))
    with atomic_path(path, overwrite=overwrite) as tmp:
        with pd.ExcelWriter(tmp, engine="openpyxl") as xw:
            table.to_excel(xw, sheet_name=names[0], index=False)
            classes.to_excel(xw, sheet_name=names[1], index=False)
            for ws in xw.book.worksheets:
                ws.freeze_panes = "A2"
                for col in ws.columns:
                    width = max(len(str(c.value or "")) for c in col[:200])
                    ws.column_dimensions[col[0].column_letter].width = min(max(width, 8) + 2, 40)
    return path


def read_developable_land(path):
    """The measured developable land of each zone and park, from a ``parkgeo space`` GeoPackage.

    Reads its ``developable_land`` layer (``layer``, ``id``, the dissolved developable land) and
    adds each feature's ``name`` and measured ``developable_mu`` from its ``space`` layer.
    Returns a GeoDataFrame in WGS84 (EPSG:4326), for the consolidation map's overlay.

    Raises
    ------
    InputError
        The file, the layer or its fields are missing, or it has no CRS.
    """
    import pyogrio

    from ..errors import InputError

    try:
        names = {str(n) for n, _ in pyogrio.list_layers(path)}
    except (pyogrio.errors.DataSourceError, OSError):
        raise InputError("not a GeoPackage written by 'parkgeo space' (cannot be read)",
                         path=path) from None
    if "developable_land" not in names:
        raise InputError("no 'developable_land' layer: pass the GeoPackage 'parkgeo space "
                         "--out' wrote", path=path, layer="developable_land")
    land = gpd.read_file(path, layer="developable_land", engine="pyogrio")
    for col in ("layer", "id"):
        if col not in land:
            raise InputError("missing field", path=path, layer="developable_land", field=col)
    if land.crs is None:
        raise InputError("the layer has no CRS", path=path, layer="developable_land")
    land["id"] = land["id"].astype(str)
    land["name"], land["developable_mu"] = "", np.nan
    if "space" in names:
        table = pyogrio.read_dataframe(path, layer="space", read_geometry=False,
                                       columns=["layer", "id", "name", "developable_mu"])
        table["id"] = table["id"].astype(str)
        info = table.set_index(["layer", "id"])
        keys = list(zip(land["layer"], land["id"], strict=True))
        known = [k in info.index for k in keys]
        land["name"] = [str(info.at[k, "name"]) if ok and pd.notna(info.at[k, "name"]) else ""
                        for k, ok in zip(keys, known, strict=True)]
        land["developable_mu"] = [float(info.at[k, "developable_mu"]) if ok else np.nan
                                  for k, ok in zip(keys, known, strict=True)]
    land = land[~(land.geometry.isna() | land.geometry.is_empty)]
    return land.to_crs(4326).reset_index(drop=True)
