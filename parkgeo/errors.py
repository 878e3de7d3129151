"""The error hierarchy of parkgeo.

Raising is for input that cannot be used at all; problems *in* the data are
returned as findings (see :mod:`parkgeo.validate`). Every message names the
file, layer, feature and field where they are known, says what was expected,
what was found, and what to do.
"""

from __future__ import annotations

__all__ = [
    "ParkgeoError",
    "InputError",
    "DatasetNotFoundError",
    "NotADatasetError",
    "SchemaError",
    "CRSError",
    "ScenarioError",
    "OutputError",
    "ValidationFailedError",
    "SolverError",
]


class ParkgeoError(Exception):
    """Base class of every error parkgeo raises on purpose."""

    #: exit code the command line uses for this error (DATA-CONTRACT "Exit codes")
    exit_code = 2


class InputError(ParkgeoError, ValueError):
    """Input that cannot be used: wrong file, layer, field or value."""

    def __init__(self, message, *, path=None, layer=None, feature=None, field=None):
        self.path = None if path is None else str(path)
        self.layer = layer
        self.feature = feature
        self.field = field
        self.detail = message
        super().__init__(_locate(message, self.path, layer, feature, field))


class DatasetNotFoundError(InputError, FileNotFoundError):
    """The dataset path does not exist."""


class NotADatasetError(InputError):
    """The path exists but is not a readable vector dataset."""


class SchemaError(InputError):
    """A layer or field is missing, or a value has the wrong type."""


class CRSError(InputError):
    """A layer has no CRS, or one that cannot be used."""


class ScenarioError(ParkgeoError, ValueError):
    """A scenario (TOML) file has an unknown key or a bad value."""


class OutputError(ParkgeoError, OSError):
    """An output cannot be written (exists without --overwrite, folder not writable)."""


class ValidationFailedError(ParkgeoError):
    """The data has validation errors; the command refuses to go on."""

    def __init__(self, message, findings=None):
        self.findings = findings
        super().__init__(message)


class SolverError(ParkgeoError, RuntimeError):
    """The optimization solver failed in a way that is not a property of the data."""

    exit_code = 1


def _locate(message, path, layer, feature, field):
    """Prefix ``message`` with where the problem is: ``file, layer, feature, field: message``."""
    where = []
    if path:
        where.append(str(path))
    if layer:
        where.append(f"layer '{layer}'")
    if feature is not None:
        where.append(f"feature '{_printable(feature)}'")
    if field:
        where.append(f"field '{_printable(field)}'")
    if not where:
        return message
    return ", ".join(where) + ": " + message


def _printable(value):
    """``value`` as text on one line: characters that do not print (a line break in an id read
    from the data) written as escapes (``\\n``).

    >>> _printable("P\\nX")
    'P\\\\nX'
    """
    return "".join(c if c.isprintable() else repr(c)[1:-1] for c in str(value))
