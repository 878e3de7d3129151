"""parkgeo: consolidate industrial parks into major platforms.

The package reads like the pipeline it implements (docs/architecture.md):

``parkgeo.read``         read layers, fields, encodings and CRS (DATA-CONTRACT)
``parkgeo.validate``     boundary and schema checks that GIS staff answer for (R1, R2, R12)
``parkgeo.consolidate``  classification and exact assignment of parks to platforms (R3-R11)
``parkgeo.measure``      targets, monitoring, ranking and project admission (T1-T6, R15-R17)
``parkgeo.publish``      web maps, static maps and reports (T7)

In a notebook, the steps are functions of the package itself, imported when first used (so
``import parkgeo`` stays cheap; docs/python.md walks through a session)::

    >>> import parkgeo
    >>> ds = parkgeo.read_dataset("layers/jiaxing.gpkg")             # doctest: +SKIP
    >>> report = parkgeo.validate(ds)                                  # doctest: +SKIP
    >>> result = parkgeo.integrate(ds)           # validated first  # doctest: +SKIP
    >>> parkgeo.evaluate_targets(result).table.head()                  # doctest: +SKIP
    >>> parkgeo.write_map(result, out="map.html")                      # doctest: +SKIP

Rule ids (``R1`` ... ``R17``, ``T1`` ... ``T7``) refer to the policy as numbered in
``docs/rules.md``.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING

__version__ = "0.1.0"

#: the notebook functions: name -> (module, attribute), imported on first use
_FACADE = {
    "read_dataset": ("parkgeo.read.dataset", "read_dataset"),
    "validate": ("parkgeo.validate", "validate"),
    "integrate": ("parkgeo.consolidate.integrate", "integrate"),
    "evaluate_targets": ("parkgeo.measure.targets", "evaluate_targets"),
    "rank": ("parkgeo.measure.ranking", "rank_platforms"),
    "admit": ("parkgeo.measure.admission", "admit_projects"),
    "write_map": ("parkgeo.publish.webmap", "write_map"),
    "write_invest_map": ("parkgeo.publish.investmap", "write_invest_map"),
    "write_report": ("parkgeo.publish.report", "write_report"),
    "load_result": ("parkgeo.result", "load_result"),
    "ConsolidationResult": ("parkgeo.result", "ConsolidationResult"),
    "Scenario": ("parkgeo.scenario", "Scenario"),
    "load_scenario": ("parkgeo.scenario", "load_scenario"),
}

__all__ = ["__version__", "read_dataset", "validate", "integrate", "evaluate_targets", "rank",
           "admit", "write_map", "write_invest_map", "write_report", "load_result",
           "ConsolidationResult", "Scenario", "load_scenario"]

if TYPE_CHECKING:  # what type checkers and editors see; nothing is imported at run time
    from .consolidate.integrate import integrate
    from .measure.admission import admit_projects as admit
    from .measure.ranking import rank_platforms as rank
    from .measure.targets import evaluate_targets
    from .publish.investmap import write_invest_map
    from .publish.report import write_report
    from .publish.webmap import write_map
    from .read.dataset import read_dataset
    from .result import ConsolidationResult, load_result
    from .scenario import Scenario, load_scenario
    from .validate import validate


def __getattr__(name):
    if name in _FACADE:
        module, attr = _FACADE[name]
        value = getattr(importlib.import_module(module), attr)
        if name != "validate":  # the package parkgeo.validate is itself the function
            globals()[name] = value
        else:
            value = importlib.import_module(module)
        return value
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def __dir__():
    return sorted(set(globals()) | set(_FACADE))
