"""Reading a dataset: a GeoPackage, a File Geodatabase, or a folder (or ZIP) of vector files.

Everything about getting real-world files in lives here: formats (GeoPackage, ArcGIS File
Geodatabase ``.gdb`` or ``.gdb.zip``, Shapefile, GeoJSON, FlatGeobuf, CSV for tables, a ZIP of
any of them), layer names (``[layers]`` of a scenario), statistics tables joined by id
(``[join.LAYER]``, :mod:`parkgeo.read.join`), I/O engines (pyogrio by default, fiona as the
alternative), Shapefile encodings (``.cpg`` first, else UTF-8, else GB18030), CRS checks, and
field normalisation (:mod:`parkgeo.read.fields`). Files are only ever opened for reading.
"""

from __future__ import annotations

import contextlib
import contextvars
import logging
import re
import shutil
import tempfile
import warnings
import zipfile
from dataclasses import dataclass, field, replace
from pathlib import Path, PurePosixPath

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from ..errors import CRSError, DatasetNotFoundError, InputError, NotADatasetError, SchemaError
from .complete import approved_areas_from_catalogue
from .crs import (
    GeometryFacts,
    check_declared_crs,
    county_crs,
    geometry_facts,
    missing_crs_problem,
    outside_measured_zones,
)
from .fields import ID_FIELD, LAYERS, REQUIRED_LAYERS, TABLE_LAYERS, Problem, normalise_layer
from .landuse import LANDUSE_LAYER, find_landuse, open_landuse

__all__ = ["Dataset", "LayerSource", "read_dataset", "list_dataset_layers", "ENGINES",
           "prefetching", "FACT_LAYERS"]

log = logging.getLogger(__name__)

ENGINES = ("pyogrio", "fiona")
#: file suffixes a folder dataset may use, in order of preference
VECTOR_SUFFIXES = (".gpkg", ".shp", ".geojson", ".json", ".fgb", ".csv")
#: layers GDAL or QGIS keep in a GeoPackage that are not data
_SYSTEM_LAYERS = {"layer_styles"}
#: the side files of a Shapefile (without its .shp they are not a layer)
_SHAPEFILE_PARTS = (".prj", ".dbf", ".shx", ".cpg", ".qpj", ".sbn", ".sbx")
#: what a ZIP archive may hold, besides folders of VECTOR_SUFFIXES files
_READABLE = "a .gpkg, a .gdb, or .shp/.geojson/.fgb/.csv files named after the layers"


def _is_gdb(path):
    """An ArcGIS File Geodatabase: a folder named ``*.gdb``."""
    return path.suffix.lower() == ".gdb" and path.is_dir()


def _is_zip(path):
    return path.is_file() and path.suffix.lower() == ".zip"


def _member_name(info):
    """The name of a ZIP member; names written by Chinese Windows are GBK, not flagged UTF-8."""
    if info.flag_bits & 0x800:
        return info.filename
    try:
        # zipfile decodes unflagged names as cp437: undo that and read them as GB18030
        return info.filename.encode("cp437").decode("gb18030")
    except UnicodeError:
        return info.filename


@contextlib.contextmanager
def _unzipped(archive):
    """Extract ``archive`` into a temporary folder; yield the dataset inside it.

    The archive is only read. GDAL could read a ZIP through /vsizip/, but not a Shapefile's
    encoding checks (.cpg, UTF-8 or GB18030) nor a folder of layers: extracting keeps one
    reading path for every format.
    """
    try:
        zf = zipfile.ZipFile(archive)
    except (zipfile.BadZipFile, OSError) as exc:
        raise NotADatasetError(f"is not a readable ZIP archive ({exc}); copy it again",
                               path=archive) from None
    with tempfile.TemporaryDirectory(prefix="parkgeo-zip-") as tmp, zf:
        root = Path(tmp)
        try:
            for info in zf.infolist():
                parts = [p for p in PurePosixPath(_member_name(info).replace("\\", "/")).parts
                         if p not in ("..", "/", "")]
                if not parts or parts[0] == "__MACOSX":
                    continue
                target = root.joinpath(*parts)
                if info.is_dir():
                    target.mkdir(parents=True, exist_ok=True)
                    continue
                target.parent.mkdir(parents=True, exist_ok=True)
                with zf.open(info) as src, open(target, "wb") as dst:
                    shutil.copyfileobj(src, dst)
        except (zipfile.BadZipFile, RuntimeError, OSError, EOFError) as exc:
            # RuntimeError: encrypted members; BadZipFile/EOFError: truncated archive
            raise NotADatasetError(f"cannot be extracted ({exc}); copy or zip it again",
                                   path=archive) from None
        yield root, _find_dataset(root, archive)


def _find_dataset(root, archive):
    """The dataset inside an extracted archive: one .gdb, one .gpkg, or one folder of layers."""
    gdbs = sorted(d for d in root.rglob("*") if _is_gdb(d))
    if len(gdbs) > 1:
        raise NotADatasetError(f"the ZIP archive holds {len(gdbs)} File Geodatabases ("
                               f"{', '.join(d.name for d in gdbs)}); zip one of them",
                               path=archive)
    if gdbs:
        return gdbs[0]
    files = [f for f in root.rglob("*") if f.is_file() and f.suffix.lower() in VECTOR_SUFFIXES
             and not f.name.startswith(".")]
    if len(files) == 1 and files[0].suffix.lower() == ".gpkg":
        return files[0]
    folders = sorted({f.parent for f in files})
    if not folders:
        held = sorted(f.name for f in root.rglob("*") if f.is_file())
        shown = ", ".join(held[:4]) + (" …" if len(held) > 4 else "") if held else "nothing"
        raise NotADatasetError(f"the ZIP archive holds nothing parkgeo can read ({shown}); "
                               f"it should hold {_READABLE}", path=archive)
    if len(folders) > 1:
        # prefer the one folder that holds the required layers
        full = [d for d in folders if all(any(f.parent == d and f.stem == name for f in files)
                                          for name in REQUIRED_LAYERS)]
        if len(full) != 1:
            names = ", ".join(str(d.relative_to(root)) or "." for d in folders)
            raise NotADatasetError(f"the ZIP archive holds vector files in several folders "
                                   f"({names}); zip the one folder of the dataset", path=archive)
        return full[0]
    return folders[0]


def _relocate(exc, root, archive):
    """The same error, naming the file inside the archive instead of the temporary copy."""
    def fix(text):
        return None if text is None else text.replace(str(root), str(archive))

    new = type(exc)(fix(exc.detail), path=fix(exc.path), layer=exc.layer, feature=exc.feature,
                    field=exc.field)
    return new


@dataclass(frozen=True)
class LayerSource:
    """Where one layer came from, and how it was read."""

    layer: str
    path: str
    driver: str
    features: int
    crs: str | None
    encoding: str | None = None
    encoding_how: str | None = None
    renamed: dict = field(default_factory=dict, hash=False, compare=False)

    def describe(self):
        """One line for the terminal: ``zones: zones.shp, 10 features, EPSG:4490, …``."""
        parts = [f"{self.layer}: {Path(self.path).name}", f"{self.features} features",
                 self.crs or "no CRS"]
        if self.encoding:
            parts.append(f"encoding {self.encoding} ({self.encoding_how})")
        if self.renamed:
            parts.append("fields " + ", ".join(f"{k}→{v}" for k, v in self.renamed.items()
                                               if k != v))
        return ", ".join(parts)


@dataclass
class Dataset:
    """The layers of one dataset, normalised to the data contract.

    Attributes
    ----------
    path : Path
        The GeoPackage or folder.
    layers : dict
        ``{layer name: GeoDataFrame}`` (a DataFrame for tables such as ``monitoring``), fields
        renamed to contract names and converted to contract types; extra fields untouched;
        geometry and CRS as in the file.
    sources : dict
        ``{layer name: LayerSource}``.
    problems : list of Problem
        Schema problems found while reading (``missing_layer``, ``missing_field``,
        ``bad_value``, ``duplicate_id``, ``missing_crs``, ``wrong_crs``, ``empty_layer``).
    """

    path: Path
    layers: dict
    sources: dict
    problems: list
    _crs_by_county: dict | None = None
    #: the land-use survey, which is never read whole (:mod:`parkgeo.read.landuse`)
    landuse: object = None
    #: ``{layer: (frame, GeometryFacts or a Future of them)}`` (see :meth:`geometry_facts`)
    _facts: dict = field(default_factory=dict, repr=False)

    def __getitem__(self, name):
        return self.layers[name]

    def __contains__(self, name):
        return name in self.layers

    def get(self, name, default=None):
        """The layer ``name``, or ``default`` when the dataset has none."""
        return self.layers.get(name, default)

    @property
    def errors(self):
        """The error-severity problems."""
        return [p for p in self.problems if p.severity == "error"]

    @property
    def crs_by_county(self):
        """``{county: EPSG code}`` of each county's measuring CRS (see :func:`county_crs`)."""
        if self._crs_by_county is None:
            usable = {k: v for k, v in self.layers.items()
                      if isinstance(v, gpd.GeoDataFrame) and v.crs is not None}
            facts = {k: self.geometry_facts(k) for k in ("counties", "zones", "parks")
                     if k in usable}
            self._crs_by_county = county_crs(usable, facts=facts)
        return self._crs_by_county

    def geometry_facts(self, name):
        """The :class:`~parkgeo.read.crs.GeometryFacts` of polygon layer ``name`` (validity,
        representative points), worked out once; None for a layer without geometry or CRS.

        When the layer was read inside :func:`prefetching`, they were worked out in the
        background while the other layers were read.
        """
        frame = self.layers.get(name)
        if not isinstance(frame, gpd.GeoDataFrame) or frame.crs is None:
            return None
        held, facts = self._facts.get(name, (None, None))
        if held is frame and facts is not None:
            if not isinstance(facts, GeometryFacts):
                try:
                    facts = facts.result()
                except Exception:  # noqa: BLE001 — worked out again below, errors and all
                    facts = None
            if facts is not None:
                self._facts[name] = (frame, facts)
                return facts
        facts = geometry_facts(frame.geometry.values, frame.crs)
        self._facts[name] = (frame, facts)
        return facts

    def file_of(self, layer):
        """The file a layer was read from (the dataset path when unknown)."""
        src = self.sources.get(layer)
        if src is None and layer == "landuse" and self.landuse is not None:
            return self.landuse.path
        return src.path if src else str(self.path)

    def raise_for_problems(self):
        """Raise the first error problem as a :class:`SchemaError` or :class:`CRSError`.

        The message names the file, layer, feature and field and counts the other problems,
        pointing to ``parkgeo validate``.
        """
        errors = self.errors
        if not errors:
            return
        p = errors[0]
        more = ""
        if len(errors) > 1:
            more = (f" ({len(errors) - 1} more problem{'s' if len(errors) > 2 else ''}: "
                    f"run 'parkgeo validate {self.path}' to list them all)")
        cls = CRSError if p.rule in ("missing_crs", "wrong_crs") else SchemaError
        raise cls(p.message + more, path=self.file_of(p.layer), layer=p.layer, feature=p.id,
                  field=p.field)


#: the layers whose geometry facts are worth working out early (the ones every check measures)
FACT_LAYERS = ("counties", "zones", "parks")

#: the function :func:`read_dataset` hands each layer of FACT_LAYERS to as soon as it is read
_PREFETCH = contextvars.ContextVar("parkgeo_prefetch", default=None)


@contextlib.contextmanager
def prefetching(submit):
    """Within the block, :func:`read_dataset` passes the geometries of each layer of
    :data:`FACT_LAYERS` it has read to ``submit(name, geometries, crs)``, which returns a Future
    of their :class:`~parkgeo.read.crs.GeometryFacts` (or None): the validation starts its GEOS
    and PROJ work on the first layers, in other threads, while the next ones are read.
    """
    token = _PREFETCH.set(submit)
    try:
        yield
    finally:
        _PREFETCH.reset(token)


def _sniff(path):
    """Refuse files that are clearly not vector datasets, with a message that says what they are."""
    try:
        with open(path, "rb") as fh:
            head = fh.read(16)
    except PermissionError:
        raise NotADatasetError("cannot be read: permission denied", path=path) from None
    except OSError as exc:
        raise NotADatasetError(f"cannot be read: {exc.strerror}", path=path) from None
    if not head:
        raise NotADatasetError("the file is empty (0 bytes)", path=path)
    suffix = path.suffix.lower()
    if head.startswith(b"PK\x03\x04"):
        raise NotADatasetError(
            "this is a ZIP archive, not a " + ("GeoPackage" if suffix == ".gpkg" else
                                              "vector dataset")
            + "; unzip it and pass the .gpkg file or the folder inside, or name it .zip "
            "(parkgeo reads ZIP archives)", path=path)
    if suffix == ".gpkg" and not head.startswith(b"SQLite format 3\x00"):
        raise NotADatasetError("is not a GeoPackage (no SQLite header); was it saved in "
                               "another format and renamed?", path=path)


def list_dataset_layers(path, *, engine="pyogrio"):
    """``{layer name: file path}`` of the layers a dataset holds (no data is read)."""
    path = Path(path)
    if not path.exists():
        raise DatasetNotFoundError("does not exist; pass a GeoPackage or a folder of vector "
                                   "files named after the layers (zones.shp, parks.geojson, …)",
                                   path=path)
    if _is_zip(path):
        with _unzipped(path) as (root, inner):
            try:
                inner_layers = list_dataset_layers(inner, engine=engine)
            except InputError as exc:
                raise _relocate(exc, root, path) from None
        return {k: v.replace(str(root), str(path)) for k, v in inner_layers.items()}
    if path.is_dir() and path.suffix.lower() == ".gdb":
        if not any(f.suffix.lower() == ".gdbtable" for f in path.iterdir()):
            raise NotADatasetError("the folder is named .gdb but is not a File Geodatabase (it "
                                   "holds no .gdbtable files); copy the whole .gdb folder as "
                                   "ArcGIS wrote it, or export the layers to a GeoPackage",
                                   path=path)
    elif path.is_dir():
        found = {}
        for f in sorted(path.iterdir()):
            if f.suffix.lower() in VECTOR_SUFFIXES and not f.name.startswith("."):
                current = found.get(f.stem)
                if current is None or (VECTOR_SUFFIXES.index(f.suffix.lower())
                                       < VECTOR_SUFFIXES.index(current.suffix.lower())):
                    found[f.stem] = f
        if not found:
            parts = sorted(f.name for f in path.iterdir()
                           if f.suffix.lower() in _SHAPEFILE_PARTS)
            if parts:
                shown = ", ".join(parts[:4]) + (" …" if len(parts) > 4 else "")
                raise NotADatasetError(
                    f"the folder holds only parts of Shapefiles ({shown}) but no .shp: copy "
                    "each layer's .shp with its .shx, .dbf, .prj and .cpg", path=path)
            gdbs = [f.name for f in path.iterdir() if _is_gdb(f)]
            if gdbs:
                raise NotADatasetError(f"the folder holds no vector files but a File "
                                       f"Geodatabase: pass {path / gdbs[0]}", path=path)
            raise NotADatasetError("the folder holds no vector files (.gpkg, .shp, .geojson, "
                                   ".fgb, .csv) named after the layers, nor a .gdb",
                                   path=path)
        return {k: str(v) for k, v in found.items()}
    if not path.is_dir():
        _sniff(path)
    try:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            if engine == "fiona":
                import fiona

                names = fiona.listlayers(str(path))
            else:
                import pyogrio

                names = [row[0] for row in pyogrio.list_layers(str(path))]
    except Exception as exc:  # GDAL's own errors vary by driver and version
        raise NotADatasetError(f"cannot be opened as a vector dataset "
                               f"(truncated or damaged?): {_gdal_message(exc)}; copy or "
                               "export it again", path=path) from None
    for message in dict.fromkeys(str(w.message) for w in caught):
        # e.g. GDAL dropping M values: one line naming the file, not a Python warning
        log.warning("%s: %s", path, message)
    if path.suffix.lower() in (".shp", ".geojson", ".json", ".fgb"):
        # a single file: its one layer is named after the file
        return {path.stem: str(path)}
    return {str(n): str(path) for n in names if n not in _SYSTEM_LAYERS}


def _gdal_message(exc):
    text = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    # SQLite quotes the statement that failed and GDAL repeats the reason: keep the reason once
    text = re.sub(r"sqlite3_\w+\(.*\) failed: ", "", text)
    return "; ".join(dict.fromkeys(p.strip() for p in text.split(";") if p.strip()))[:300]


def _detect_encoding(shp):
    """Encoding of a Shapefile's attributes: ``.cpg`` first, else UTF-8, else GB18030."""
    cpg = shp.with_suffix(".cpg")
    if not cpg.exists():
        cpg = next((p for p in shp.parent.glob(shp.stem + ".*") if p.suffix.lower() == ".cpg"),
                   cpg)
    if cpg.exists():
        name = cpg.read_text(encoding="ascii", errors="replace").strip()
        if name:
            aliases = {"936": "GBK", "cp936": "GBK", "65001": "UTF-8", "utf8": "UTF-8"}
            return aliases.get(name.lower(), name), "from .cpg"
    dbf = next((p for p in shp.parent.glob(shp.stem + ".*") if p.suffix.lower() == ".dbf"), None)
    if dbf is None:
        return None, None
    data = dbf.read_bytes()
    if len(data) < 32:
        return "UTF-8", "no .cpg; empty attribute table"
    header_len = int.from_bytes(data[8:10], "little")
    body = data[32:header_len] + data[header_len:]  # field names and records
    try:
        body.decode("utf-8")
        return "UTF-8", "no .cpg; valid UTF-8"
    except UnicodeDecodeError:
        return "GB18030", "no .cpg; not valid UTF-8, read as GB18030"


def _read_layer(path, layer, *, engine, encoding, single_file, source=None):
    """Read one layer into a (Geo)DataFrame; return (frame, driver, encoding, how).

    ``source`` is the layer's name in the file when it differs from the contract name
    ``layer`` (``[layers]``).
    """
    p = Path(path)
    enc, how = None, None
    kwargs = {}
    if p.suffix.lower() == ".shp":
        if encoding:
            enc, how = encoding, "--encoding"
        else:
            enc, how = _detect_encoding(p)
        if enc:
            kwargs["encoding"] = enc
    if p.suffix.lower() == ".csv":
        try:
            frame = pd.read_csv(p, dtype=str, keep_default_na=False, na_values=[""],
                                encoding=encoding or "utf-8-sig")
        except UnicodeDecodeError:
            frame = pd.read_csv(p, dtype=str, keep_default_na=False, na_values=[""],
                                encoding="gb18030")
            enc, how = "GB18030", "not valid UTF-8, read as GB18030"
        return frame, "CSV", enc, how
    if not (single_file or p.suffix.lower() in (".shp", ".geojson", ".json", ".fgb")):
        kwargs["layer"] = source or layer
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # GDAL notes are re-raised below as our own messages
        try:
            if engine == "fiona":
                frame = gpd.read_file(p, engine="fiona", **kwargs)
            else:
                import pyogrio

                frame = None
                if _arrow(p, kwargs):
                    try:
                        frame = pyogrio.read_dataframe(p, use_arrow=True, **kwargs)
                        if isinstance(frame, gpd.GeoDataFrame) and \
                                shapely.has_m(frame.geometry.array).any():
                            frame = None  # M values: the row reader drops them, as before
                    except Exception:  # noqa: BLE001 - the row reader below says what is wrong
                        # what the Arrow stream cannot carry (e.g. XYZM geometries) or a damaged
                        # file: the row reader reads it, or raises the error users are told
                        frame = None
                if frame is None:
                    frame = pyogrio.read_dataframe(p, **kwargs)
        except shapely.errors.GEOSException:
            # a geometry GEOS cannot build (a ring that does not close): read the layer with
            # that feature's geometry empty and report it in read_dataset; never repair it
            frame = _read_unbuildable(p, kwargs)
        except Exception as exc:  # GDAL errors have no stable hierarchy across drivers
            raise NotADatasetError(f"cannot read the layer (truncated or damaged?): "
                                   f"{_gdal_message(exc)}", path=p, layer=layer) from None
    driver = {".gpkg": "GPKG", ".shp": "ESRI Shapefile", ".geojson": "GeoJSON",
              ".json": "GeoJSON", ".fgb": "FlatGeobuf",
              ".gdb": "OpenFileGDB"}.get(p.suffix.lower(), p.suffix)
    if not isinstance(frame, gpd.GeoDataFrame) or frame.geometry.isna().all() and \
            layer in TABLE_LAYERS:
        frame = pd.DataFrame(frame.drop(columns="geometry", errors="ignore"))
    return frame, driver, enc, how


def _arrow(path, kwargs):
    """Whether to read ``path`` through GDAL's Arrow stream (pyogrio ``use_arrow``).

    The Arrow path hands pyogrio whole columns instead of one value at a time: a nation's
    57,000 parks read in less than half the time. It is taken for GeoPackages and FlatGeobuf
    (UTF-8 by definition, so no ``encoding`` applies) when pyarrow is installed; Shapefiles
    (GBK, ``.cpg``) and GeoJSON keep the row reader, whose decoding we control. The two readers
    give the same frame except that a boolean column with nulls comes as objects
    (``True``/``None``) instead of floats (``1.0``/``NaN``); the field rules read both alike.
    Whatever the Arrow stream cannot carry, and geometries with M values (which the Arrow
    stream keeps and the row reader drops), are read again by the row reader.
    """
    from .._gpkg import arrow_available

    return "encoding" not in kwargs and path.suffix.lower() in (".gpkg", ".fgb") and \
        arrow_available()


def _read_unbuildable(path, kwargs):
    """Read a layer some of whose geometries GEOS cannot build; list them in ``attrs``."""
    import pyogrio
    import pyogrio.raw

    attrs = pyogrio.read_dataframe(path, read_geometry=False, **kwargs)
    meta, _, wkb, _ = pyogrio.raw.read(path, columns=[], **kwargs)
    geoms = shapely.from_wkb(wkb, on_invalid="ignore")
    bad = {}
    for i in np.flatnonzero(pd.isna(geoms) & pd.notna(wkb)):
        try:
            shapely.from_wkb(wkb[i])
        except shapely.errors.GEOSException as exc:
            bad[int(i)] = str(exc).split(": ", 1)[-1]
    frame = gpd.GeoDataFrame(attrs, geometry=geoms, crs=meta["crs"])
    frame.attrs["unbuildable"] = bad
    return frame


def read_dataset(path, *, scenario=None, engine="pyogrio", encoding=None, src_crs=None,
                 layers=None, strict=True):
    """Read a dataset and normalise it to the data contract.

    Parameters
    ----------
    path : str or Path
        A GeoPackage, or a folder of vector files named after the layers
        (``zones.shp``, ``parks.geojson``, ``monitoring.csv`` …).
    scenario : Scenario, optional
        Supplies the ``[fields]`` mappings.
    engine : {"pyogrio", "fiona"}
        The I/O engine.
    encoding : str, optional
        Overrides the encoding of Shapefile attributes (default: ``.cpg``, else UTF-8, else
        GB18030).
    src_crs : str, optional
        The CRS of layers that declare none (e.g. ``"EPSG:4549"``).
    layers : iterable of str, optional
        Read only these layers (plus the required ones).
    strict : bool
        Raise the first schema problem (:meth:`Dataset.raise_for_problems`). With
        ``strict=False`` problems are returned in ``Dataset.problems`` for
        :func:`parkgeo.validate.validate_dataset` to report.

    Returns
    -------
    Dataset

    Raises
    ------
    DatasetNotFoundError, NotADatasetError
        The path does not exist, or is not a readable vector dataset.
    SchemaError, CRSError
        With ``strict=True``: a missing layer or field, a bad value, no CRS.

    Examples
    --------
    >>> ds = read_dataset("layers/jiaxing.gpkg")               # doctest: +SKIP
    >>> ds["parks"][["park_id", "county", "developable_mu"]].head()   # doctest: +SKIP
    """
    if engine not in ENGINES:
        raise InputError(f"unknown engine '{engine}'; expected one of {', '.join(ENGINES)}")
    path = Path(path)
    if _is_zip(path):
        with _unzipped(path) as (root, inner):
            try:
                ds = read_dataset(inner, scenario=scenario, engine=engine, encoding=encoding,
                                  src_crs=src_crs, layers=layers, strict=False)
            except InputError as exc:
                raise _relocate(exc, root, path) from None
        ds.path = path
        ds.sources = {k: replace(v, path=v.path.replace(str(root), str(path)))
                      for k, v in ds.sources.items()}
        if strict:
            ds.raise_for_problems()
        return ds
    found = list_dataset_layers(path, engine=engine)
    source_layer, unmapped = {}, []
    if scenario is not None and scenario.layers:
        # [layers]: a contract layer held by a layer or feature class of another name
        for contract, name in scenario.layers.items():
            if name in found and contract != name:
                found[contract] = found.pop(name)
                source_layer[contract] = name
            elif name not in found and contract not in found:
                have = ", ".join(sorted(found)) or "none"
                unmapped.append(Problem(
                    "missing_layer", contract, None, None, "error",
                    f"the scenario's [layers] names '{name}' for layer '{contract}', but the "
                    f"dataset has no such layer (layers found: {have})",
                    f"情景文件的 [layers] 将“{name}”指定为图层“{contract}”,但数据中没有该图层"
                    f"(已有图层:{have_zh(found)})"))
    single_file = path.is_file() and path.suffix.lower() != ".gpkg"
    mapping_of = (lambda layer: scenario.field_map(layer)) if scenario is not None else (
        lambda layer: {})
    wanted = list(found) if layers is None else [n for n in found if n in set(layers)
                                                 or n in REQUIRED_LAYERS]
    problems, out, sources, facts_of = unmapped, {}, {}, {}
    landuse = None
    survey = find_landuse(found)
    if survey is not None:
        # the survey can hold millions of polygons: only its schema and extent are read here
        wanted = [n for n in wanted if n != survey]
        if layers is None or LANDUSE_LAYER in set(layers) or survey in set(layers):
            file = Path(found[survey])
            enc = encoding
            if enc is None and file.suffix.lower() == ".shp":
                enc, _ = _detect_encoding(file)  # .cpg, else UTF-8, else GB18030
            landuse, probs = open_landuse(
                file, survey if file.suffix.lower() == ".gpkg" else None,
                mapping=mapping_of(LANDUSE_LAYER), src_crs=src_crs, encoding=enc)
            problems.extend(probs)
    for name in REQUIRED_LAYERS:
        if name not in found and not any(p.layer == name for p in problems):
            have = ", ".join(sorted(found)) or "none"
            hint = ("" if not found else "; if it has another name, map it in a scenario: "
                    f"[layers] {name} = \"…\"")
            hint_zh = ("" if not found else ";如果它用了别的名称,请在情景文件中对应:"
                       f"[layers] {name} = \"…\"")
            problems.append(Problem("missing_layer", name, None, None, "error",
                                    f"required layer '{name}' is missing (layers found: "
                                    f"{have}){hint}",
                                    f"缺少必需的图层“{name}”(已有图层:{have_zh(found)})"
                                    f"{hint_zh}"))
    declared = None
    if src_crs is not None:
        from pyproj import CRS
        from pyproj.exceptions import CRSError as ProjCRSError

        try:
            declared = CRS.from_user_input(src_crs)
        except ProjCRSError:
            raise CRSError(f"--src-crs '{src_crs}' is not a CRS pyproj knows; use an EPSG code "
                           "such as EPSG:4549") from None
    for name in wanted:
        file = found[name]
        frame, driver, enc, how = _read_layer(file, name, engine=engine, encoding=encoding,
                                              single_file=single_file,
                                              source=source_layer.get(name))
        unbuildable = frame.attrs.pop("unbuildable", {})
        is_spatial = isinstance(frame, gpd.GeoDataFrame)
        if is_spatial and len(frame) and name not in TABLE_LAYERS:
            bounds = tuple(frame.total_bounds)
            if frame.crs is None:
                if declared is not None:
                    frame = frame.set_crs(declared)
                else:
                    problems.append(missing_crs_problem(name, bounds))
            wrong = check_declared_crs(frame.crs, bounds) if frame.crs is not None else None
            if wrong and declared is not None:
                # the user says which CRS the coordinates are in: say what was replaced
                log.warning("%s, layer '%s': %s; using --src-crs %s", file, name,
                            wrong.split(";")[0], src_crs)
                frame = frame.set_crs(declared, allow_override=True)
                wrong = check_declared_crs(frame.crs, bounds)
            if wrong:
                problems.append(Problem("wrong_crs", name, None, None, "error", wrong,
                                        check_declared_crs(frame.crs, bounds, lang="zh")))
            elif frame.crs is not None and frame.crs.is_geographic:
                outside = outside_measured_zones(frame, ID_FIELD.get(name))
                if outside:
                    problems.append(Problem(
                        "outside_measured_zones", name, None, None, "error", outside,
                        outside_measured_zones(frame, ID_FIELD.get(name), lang="zh")))
        spec = scenario.join_for(name) if scenario is not None else None
        if spec is not None:
            from .join import join_table

            frame, probs = join_table(frame, name, spec, mapping=mapping_of(name), path=file)
            problems.extend(probs)
        prefetch = _PREFETCH.get()
        early = None
        if prefetch is not None and name in FACT_LAYERS and is_spatial and frame.crs is not None:
            # the geometry is final here: the checks' work on it starts while the fields are
            # normalised and the next layers read
            early = prefetch(name, np.asarray(frame.geometry.values, dtype=object), frame.crs)
        if name in LAYERS:
            frame, probs, renamed = normalise_layer(frame, name, mapping=mapping_of(name),
                                                    path=file)
            if name == "zones":
                frame, probs = approved_areas_from_catalogue(frame, probs)
            if name in REQUIRED_LAYERS and len(frame) == 0:
                # an empty export often has no fields either: empty_layer alone says what to do
                probs = [p for p in probs if p.rule != "missing_field"]
            problems.extend(probs)
            problems.extend(_duplicates(frame, name))
        else:
            renamed = {}
        id_field = ID_FIELD.get(name)
        for i, why in unbuildable.items():
            fid = frame[id_field].iloc[i] if id_field in frame else None
            problems.append(Problem(
                "invalid_geometry", name, f"#{i}" if pd.isna(fid) else str(fid), None, "error",
                f"the geometry cannot be read ({why}); it is left empty — fix it in your GIS "
                "(e.g. close the ring) and save the layer again",
                "无法读取该几何,已按空几何处理——请在 GIS 中修复(如闭合环)后重新保存图层"))
        if name in REQUIRED_LAYERS and len(frame) == 0:
            problems.append(Problem("empty_layer", name, None, None, "error",
                                    f"layer '{name}' has no features",
                                    f"图层“{name}”没有要素"))
        out[name] = frame
        if early is not None:
            facts_of[name] = (frame, early)
        crs = frame.crs.to_string() if is_spatial and frame.crs is not None else None
        sources[name] = LayerSource(name, file, driver, len(frame), crs, enc, how,
                                    {k: v for k, v in renamed.items() if k != v})
    for name in (scenario.join if scenario is not None else {}):
        if name not in out and (layers is None or name in set(layers)):
            problems.append(Problem(
                "missing_layer", name, None, None, "error",
                f"the scenario's [join.{name}] joins a table to layer '{name}', which the "
                f"dataset does not have (layers found: {', '.join(sorted(found)) or 'none'})",
                f"情景文件的 [join.{name}] 将统计表连接到图层“{name}”,但数据中没有该图层"
                f"(已有图层:{have_zh(found)})"))
    ds = Dataset(path=path, layers=out, sources=sources, problems=problems, landuse=landuse,
                 _facts=facts_of)
    if strict:
        ds.raise_for_problems()
    return ds


def have_zh(found):
    """The layers found, for a Chinese message (``无`` when there are none)."""
    return "、".join(sorted(found)) or "无"


def _duplicates(frame, layer):
    id_field = ID_FIELD.get(layer)
    if not id_field or id_field not in frame or layer == "counties":
        return []
    ids = frame[id_field]
    dup = ids[ids.notna() & ids.duplicated(keep=False)]
    out = []
    for value, count in dup.value_counts(sort=False).items():
        out.append(Problem("duplicate_id", layer, str(value), id_field, "error",
                           f"id '{value}' is used by {count} features; ids must be unique",
                           f"编号“{value}”被 {count} 个要素使用;编号必须唯一"))
    return out

