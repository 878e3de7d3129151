"""GeoPackages every client opens cleanly.

Every GeoPackage parkgeo writes goes through :func:`write_layer`, which asks GDAL for a
GeoPackage **1.2** file (GDAL's default is 1.4, which QGIS 3.22 and older GDAL open with the
warning "may only be partially supported"), and through :func:`pinned_time`, which stamps
``gpkg_contents.last_change`` with a valid DATETIME *with milliseconds* (Req 15 of the
GeoPackage standard, checked by GDAL's ``validate_gpkg.py``).

Set the environment variable ``PARKGEO_GPKG_VERSION`` (``1.0`` … ``1.4``) to ask for another
version.
"""

from __future__ import annotations

import contextlib
import functools
import os
import re
from pathlib import Path

__all__ = ["GPKG_VERSION", "gpkg_version", "write_layer", "pinned_time", "gpkg_datetime"]

#: the GeoPackage version written unless PARKGEO_GPKG_VERSION says otherwise
GPKG_VERSION = "1.2"
_VERSIONS = ("1.0", "1.1", "1.2", "1.3", "1.4")


def gpkg_version():
    """The version to write: ``PARKGEO_GPKG_VERSION`` when set to a known one, else 1.2."""
    asked = os.environ.get("PARKGEO_GPKG_VERSION", "").strip()
    return asked if asked in _VERSIONS else GPKG_VERSION


def write_layer(frame, path, layer, **kwargs):
    """Write one layer (a GeoDataFrame, or a DataFrame as an attribute table) into ``path``.

    The first layer creates the file with the GeoPackage version of :func:`gpkg_version`; later
    layers are added to it. ``kwargs`` go to :func:`pyogrio.write_dataframe`.
    """
    import pyogrio

    options = dict(kwargs.pop("dataset_options", None) or {})
    if not Path(path).exists():
        options.setdefault("VERSION", gpkg_version())
    pyogrio.write_dataframe(frame, path, layer=layer, driver="GPKG",
                            dataset_options=options or None, use_arrow=_arrow(frame, kwargs),
                            **kwargs)


@functools.cache
def arrow_available():
    """Whether pyarrow can be imported (pyogrio's Arrow path needs it; pandas imports it
    anyway when it is installed)."""
    try:
        import pyarrow  # noqa: F401
    except ImportError:
        return False
    return True


def _arrow(frame, kwargs):
    """Whether to write ``frame`` through GDAL's Arrow stream (pyogrio ``use_arrow``).

    The Arrow stream hands GDAL whole columns: a nation's 57,000 parks are written in half the
    CPU time, to the same tables (every row, field type and the schema compared). It is taken
    when pyarrow is installed and every text column holds only text and nulls; a column of
    mixed values (which pyogrio would turn into text its own way on each path) and the
    ``encoding`` option keep the row writer.
    """
    if "encoding" in kwargs or not arrow_available():
        return False
    import pandas as pd

    geometry = getattr(frame, "_geometry_column_name", None)
    for name, column in frame.items():
        if name != geometry and column.dtype == object and \
                pd.api.types.infer_dtype(column, skipna=True) not in ("string", "empty"):
            return False
    return True


def gpkg_datetime(value):
    """``value`` (a datetime, or ISO text) as a GeoPackage DATETIME, ``…T…:SS.SSSZ``."""
    if hasattr(value, "strftime"):
        return value.strftime("%Y-%m-%dT%H:%M:%S.") + f"{value.microsecond // 1000:03d}Z"
    text = str(value).strip().replace(" ", "T")
    m = re.fullmatch(r"(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2})?)(\.\d+)?Z?", text)
    if not m:
        raise ValueError(f"not a date and time: {value!r}")
    base = m.group(1) if m.group(2) else m.group(1) + ":00"
    ms = (m.group(3) or ".000")[1:4].ljust(3, "0")
    return f"{base}.{ms}Z"


@contextlib.contextmanager
def pinned_time(stamp):
    """Within the block GDAL stamps new GeoPackage tables with ``stamp`` (reproducible bytes).

    ``stamp`` is normalised to a DATETIME with milliseconds, as the standard requires.
    """
    import pyogrio

    pyogrio.set_gdal_config_options({"OGR_CURRENT_DATE": gpkg_datetime(stamp)})
    try:
        yield
    finally:
        pyogrio.set_gdal_config_options({"OGR_CURRENT_DATE": None})
