"""Statistics kept apart from the shapes: a CSV or Excel table joined to a layer by id.

Planning offices keep boundaries in a GIS and figures (value added, tax, land) in a
spreadsheet. A scenario joins them::

    [join.parks]
    table = "园区统计.xlsx"     # .csv or .xlsx, relative to the scenario file
    on = "park_id"             # the id field; the table's column may use any alias of it
    sheet = "2020"             # optional: the Excel sheet (default: the first)
    table_on = "园区编码"        # optional: the table's id column, when named otherwise

Every feature takes the columns of the table row with its id (pandas does the reading and
the joining). Ids on one side only are reported, both ways (``join_unmatched`` warnings);
a table that uses one id twice cannot be joined and is refused (exit 2). The table is only
ever opened for reading.
"""

from __future__ import annotations

import logging
import math
from pathlib import Path

import pandas as pd

from ..errors import DatasetNotFoundError, NotADatasetError, SchemaError
from .fields import Problem, resolve_columns

__all__ = ["read_table", "join_table"]

log = logging.getLogger(__name__)

#: how many ids a join_unmatched message lists before "…"
_SHOW = 8


def read_table(path, *, sheet=None):
    """Read a CSV (UTF-8, else GB18030) or an Excel sheet as text columns."""
    path = Path(path)
    if not path.exists():
        raise DatasetNotFoundError("the join table does not exist; check [join] table in the "
                                   "scenario (a relative path is taken from the scenario's "
                                   "folder)", path=path)
    suffix = path.suffix.lower()
    try:
        if suffix in (".csv", ".txt"):
            try:
                return pd.read_csv(path, dtype=str, keep_default_na=False, na_values=[""],
                                   encoding="utf-8-sig")
            except UnicodeDecodeError:
                return pd.read_csv(path, dtype=str, keep_default_na=False, na_values=[""],
                                   encoding="gb18030")
        if suffix in (".xlsx", ".xlsm"):
            import openpyxl

            book = openpyxl.load_workbook(path, read_only=True)
            names = book.sheetnames
            book.close()
            if sheet is not None and str(sheet) not in names:
                raise SchemaError(f"the workbook has no sheet '{sheet}' (sheets: "
                                  f"{', '.join(names)})", path=path)
            return pd.read_excel(path, sheet_name=str(sheet) if sheet is not None else 0,
                                 dtype=str, engine="openpyxl")
    except (SchemaError, DatasetNotFoundError):
        raise
    except Exception as exc:  # pandas/openpyxl raise many kinds for a damaged file
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise NotADatasetError(f"cannot be read as a table ({first[:200]}); save it again as "
                               ".xlsx or UTF-8 .csv", path=path) from None
    raise NotADatasetError(f"a join table must be .csv or .xlsx, not '{suffix or 'no suffix'}' "
                           "(save .xls and .ods as .xlsx)", path=path)


def _key(value):
    """An id as text: ``12``, ``12.0`` and ``" 12 "`` are the same id; empty is None."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = str(value).strip()
    if text.endswith(".0") and text[:-2].lstrip("-").isdigit():
        text = text[:-2]
    return text or None


def _key_column(columns, on, layer, mapping, explicit=None):
    """The column among ``columns`` that holds contract field ``on`` (None when none does)."""
    if explicit is not None:
        return explicit if explicit in columns else None
    if on in columns:
        return on
    rename, _ = resolve_columns([c for c in columns if c != "geometry"], layer, mapping)
    return next((src for src, contract in rename.items() if contract == on), None)


def _listing(ids, zh=False):
    ids = sorted(ids)
    return ("、" if zh else ", ").join(ids[:_SHOW]) + (" …" if len(ids) > _SHOW else "")


def join_table(frame, layer, spec, *, mapping=None, path=None):
    """Join the table of ``spec`` (a :meth:`Scenario.join_for` dict) to ``frame``.

    Returns ``(frame, problems)``: the layer with the table's columns added (its own columns
    of the same name replaced), and ``join_unmatched`` warnings for ids on one side only.
    """
    table_path = Path(spec["table"])
    on = spec["on"]
    table = read_table(table_path, sheet=spec.get("sheet"))
    tcol = _key_column(list(table.columns), on, layer, mapping, spec.get("table_on"))
    if tcol is None:
        asked = spec.get("table_on") or on
        raise SchemaError(f"the table has no id column '{asked}' to join on (columns: "
                          f"{', '.join(map(str, table.columns))}); name it in [join.{layer}] "
                          "table_on", path=table_path, field=asked)
    lcol = _key_column(list(frame.columns), on, layer, mapping)
    if lcol is None:
        raise SchemaError(f"the layer has no field '{on}' to join the table "
                          f"{table_path.name} on", path=path, layer=layer, field=on)
    tkeys = table[tcol].map(_key)
    dup = tkeys[tkeys.notna() & tkeys.duplicated(keep=False)]
    if len(dup):
        first = dup.iloc[0]
        rows = [str(i + 2) for i in dup.index[dup == first]]  # spreadsheet row numbers
        more = dup.nunique() - 1
        raise SchemaError(
            f"id '{first}' appears in {len(rows)} rows (rows {', '.join(rows)})"
            + (f", and {more} more ids repeat" if more else "")
            + f"; each feature of '{layer}' takes one row — merge or remove the duplicates",
            path=table_path, field=tcol)
    table = table[tkeys.notna()].copy()
    table.index = tkeys[tkeys.notna()]
    lkeys = frame[lcol].map(_key)
    problems = []
    missing = set(lkeys.dropna()) - set(table.index)
    if missing:
        problems.append(Problem(
            "join_unmatched", layer, None, on, "warning",
            f"{len(missing)} feature{'s' if len(missing) > 1 else ''} of '{layer}' ha"
            f"{'ve' if len(missing) > 1 else 's'} no row in {table_path.name}: "
            f"{_listing(missing)}; {'their' if len(missing) > 1 else 'its'} statistics stay empty",
            f"图层“{layer}”有 {len(missing)} 个要素在 {table_path.name} 中没有对应的行:"
            f"{_listing(missing, zh=True)};其统计数据为空"))
    extra = set(table.index) - set(lkeys.dropna())
    if extra:
        problems.append(Problem(
            "join_unmatched", layer, None, on, "warning",
            f"{len(extra)} row{'s' if len(extra) > 1 else ''} of {table_path.name} match"
            f"{'' if len(extra) > 1 else 'es'} no feature of '{layer}': {_listing(extra)}; "
            "check the ids, or the rows belong to another layer",
            f"{table_path.name} 中有 {len(extra)} 行对应不到图层“{layer}”的要素:"
            f"{_listing(extra, zh=True)};请核对编号,或这些行属于另一个图层"))
    out = frame.copy()
    replaced = []
    for col in table.columns:
        if col == tcol:
            continue
        if col in out.columns and col != lcol:
            replaced.append(str(col))
        if col == lcol:
            continue
        out[col] = lkeys.map(table[col]).to_numpy()
    if replaced:
        log.warning("%s: layer '%s': fields %s taken from the join table %s", path, layer,
                    ", ".join(replaced), table_path.name)
    return out, problems
