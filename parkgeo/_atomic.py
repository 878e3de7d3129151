"""Outputs written atomically: a temporary file beside the target, renamed into place.

A run that fails or is killed midway leaves the previous output intact (or none
at all), never a half-written file. Every writer in parkgeo goes through
:func:`atomic_path`.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path

from .errors import OutputError

__all__ = ["atomic_path", "check_output", "write_text_atomic", "write_bytes_atomic"]


def check_output(path, *, overwrite=False):
    """Refuse an output that exists (unless ``overwrite``) or whose folder is not writable.

    Returns the path as a :class:`~pathlib.Path`.
    """
    path = Path(path)
    if path.exists() and not overwrite:
        raise OutputError(f"{path}: output exists; pass --overwrite to replace it")
    if path.is_dir():
        raise OutputError(f"{path}: output is a folder, expected a file path")
    folder = path.parent if str(path.parent) else Path(".")
    if not folder.exists():
        raise OutputError(f"{path}: folder '{folder}' does not exist; create it first")
    if not os.access(folder, os.W_OK | os.X_OK):
        raise OutputError(f"{path}: folder '{folder}' is not writable; write the output to "
                          "another folder")
    return path


@contextlib.contextmanager
def atomic_path(path, *, overwrite=True):
    """Yield a temporary path beside ``path``; rename it onto ``path`` when the block succeeds.

    The temporary file keeps the target's suffix, so format drivers that look
    at the extension (GeoPackage, xlsx) work on it. On any exception the
    temporary file is removed and the target is left as it was.

    Examples
    --------
    >>> with atomic_path("out.gpkg") as tmp:        # doctest: +SKIP
    ...     frame.to_file(tmp, layer="parks")
    """
    path = check_output(path, overwrite=overwrite)
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".part" + path.suffix,
                                   dir=path.parent)
    except OSError as exc:
        raise OutputError(f"{path}: cannot write in folder '{path.parent}' ({exc.strerror}); "
                          "write the output to another folder") from None
    os.close(fd)
    os.unlink(tmp)  # drivers such as GPKG want to create the file themselves
    tmp = Path(tmp)
    try:
        yield tmp
        if not tmp.exists():
            raise OutputError(f"{path}: nothing was written")
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            tmp.unlink()
        # GDAL may leave journal files beside a GeoPackage
        for extra in (tmp.with_name(tmp.name + "-journal"), tmp.with_name(tmp.name + "-wal"),
                      tmp.with_name(tmp.name + "-shm")):
            with contextlib.suppress(OSError):
                extra.unlink()
        raise


def write_text_atomic(path, text, *, overwrite=True, encoding="utf-8"):
    """Write ``text`` to ``path`` atomically."""
    with atomic_path(path, overwrite=overwrite) as tmp:
        tmp.write_text(text, encoding=encoding)
    return Path(path)


def write_bytes_atomic(path, data, *, overwrite=True):
    """Write ``data`` to ``path`` atomically."""
    with atomic_path(path, overwrite=overwrite) as tmp:
        tmp.write_bytes(data)
    return Path(path)
