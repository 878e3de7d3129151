"""Which developable figure R4 is checked with: declared, measured from the survey, or the lower.

``[consolidate] developable`` chooses: ``"declared"`` (the default) keeps the ``developable_mu``
the data gives; ``"measured"`` replaces it with the developable space measured from the
``landuse`` survey (:func:`parkgeo.validate.space.measure_space`); ``"lower"`` takes the
smaller of the two for each zone and park. The substitution happens once, on the zones and
parks, before any problem is built, so every later stage (scores, R4 floors, platform sums,
reasons) uses the chosen figure. Each zone and park keeps both figures and says which was used
(``developable_declared_mu``, ``developable_measured_mu``, ``developable_source``), and these
columns travel into the result.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from ..errors import InputError

__all__ = ["MODES", "choose_developable"]

MODES = ("declared", "measured", "lower")


def choose_developable(dataset, layers, scenario):
    """``layers`` with ``developable_mu`` of zones and parks as ``[consolidate] developable`` says.

    Parameters
    ----------
    dataset : Dataset, str, Path or dict
        The dataset as given to :func:`parkgeo.consolidate.integrate.integrate` (a path is read
        again for its survey; a dict of layers has none).
    layers : dict
        ``{layer: frame}`` with ``zones`` and ``parks``.
    scenario : Scenario

    Returns
    -------
    dict
        ``layers`` itself for ``"declared"``, else a copy with new zones and parks frames.

    Raises
    ------
    InputError
        ``measured`` or ``lower`` without a ``landuse`` layer to measure from.
    """
    mode = scenario.consolidate.developable
    if mode == "declared":
        return layers
    if isinstance(dataset, str | Path):
        from ..read import read_dataset

        dataset = read_dataset(dataset, scenario=scenario)
    if getattr(dataset, "landuse", None) is None:
        where = getattr(dataset, "path", None)
        raise InputError(f"[consolidate] developable = \"{mode}\" needs a 'landuse' layer (the "
                         "land-use survey) to measure developable space from; add it, or set "
                         "developable = \"declared\"", path=where, layer="landuse")
    from ..validate.space import measure_space

    table = measure_space(dataset, scenario).table
    out = dict(layers)
    for key in ("zones", "parks"):
        frame = layers[key].copy()
        ids = frame[{"zones": "zone_id", "parks": "park_id"}[key]].astype(str).to_numpy()
        mine = table[table["layer"] == key].drop_duplicates("id").set_index("id")
        measured = mine["developable_mu"].reindex(ids).to_numpy(dtype=float)
        uncovered = mine["uncovered_share"].reindex(ids).to_numpy(dtype=float)
        declared = pd.to_numeric(frame.get("developable_mu"), errors="coerce")
        declared = declared.to_numpy(dtype=float) if declared is not None else \
            np.full(len(frame), np.nan)
        if mode == "measured":
            use_measured = np.isfinite(measured)
        else:  # lower
            use_measured = np.isfinite(measured) & ~(declared <= measured)
        chosen = np.where(use_measured, measured, declared)
        source = np.where(use_measured, "measured", "declared").astype(object)
        partial = use_measured & (uncovered > 0.001)
        for i in np.flatnonzero(partial):
            source[i] = f"measured ({uncovered[i]:.0%} not surveyed)"
        for i in np.flatnonzero(~np.isfinite(measured)):
            source[i] = "declared (not measurable)"
        frame["developable_declared_mu"] = declared
        frame["developable_measured_mu"] = measured
        frame["developable_source"] = source
        frame["developable_mu"] = chosen
        out[key] = frame
    return out
