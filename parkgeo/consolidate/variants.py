"""Around :func:`~parkgeo.consolidate.integrate.integrate`: the validation gate of every command
but ``validate``, scenario variants and their output paths, and the comparison of variants."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from ..result import result_summary

# ------------------------------------------------------------------------------------------
# output
# ------------------------------------------------------------------------------------------


def compare_results(results) -> pd.DataFrame:
    """One row per scenario variant: platforms, exits, floors met, objective (for planners).

    Examples
    --------
    >>> compare_results([five_km, eight_km])       # doctest: +SKIP
    """
    rows = []
    for r in results:
        rep = result_summary(r)
        c = r.scenario.consolidate
        rows.append({
            "variant": r.variant or r.scenario.name,
            "distance_km": c.distance_km,
            "min_relatedness": c.min_relatedness,
            "platforms": rep["platforms"],
            "platforms_meeting_R4": rep["platforms_meeting_R4"],
            "sub_zones": rep["sub_zones"],
            "exits": rep["exits"],
            "excluded": rep["excluded"],
            "zones_joined": rep["zones_joined"],
            "objective": round(rep["objective"], 6),
            "exit_status": r.exit_status,
        })
    return pd.DataFrame(rows)


# ------------------------------------------------------------------------------------------
# several scenarios, validation gate, terminal summary
# ------------------------------------------------------------------------------------------


def check_valid(dataset, scenario=None):
    """Refuse data with validation errors (DATA-CONTRACT: every command but ``validate``).

    Parameters
    ----------
    dataset : Dataset
        Read with ``strict=False`` so schema problems are part of the validation.
    scenario : Scenario, optional

    Raises
    ------
    ValidationFailedError
        Exit code 2; the message counts the errors, names the first and points to
        ``parkgeo validate``.
    """
    from ..errors import ValidationFailedError
    from ..validate import validate_dataset

    report = validate_dataset(dataset, scenario)
    errors = [f for f in report.findings if f.severity == "error"]
    if not errors:
        return report
    from ..validate.findings import RULES

    first = errors[0]
    file_of = getattr(dataset, "file_of", None)
    where = ", ".join(x for x in (
        file_of(first.layer) if file_of and first.layer else str(dataset.path),
        f"layer '{first.layer}'" if first.layer else None,
        f"feature '{first.id}'" if first.id else None,
        f"field '{first.field}'" if getattr(first, "field", None) else None) if x)
    todo = RULES[first.rule].todo if first.rule in RULES else "fix it"
    more = (f"; {len(errors) - 1} more error{'s' if len(errors) > 2 else ''}"
            if len(errors) > 1 else "")
    raise ValidationFailedError(
        f"{where}: {first.message} [{first.rule}]{more} — {todo}; 'parkgeo validate "
        f"{dataset.path}' lists every finding; fix them, then integrate", findings=errors)


def _slug(name):
    import re

    slug = re.sub(r"[^\w.-]+", "_", str(name), flags=re.UNICODE).strip("_.")
    return slug or "variant"


def variant_paths(out, names):
    """Output path of each variant: ``out`` itself for one, ``<stem>.<variant>.gpkg`` for several.

    >>> [str(p) for p in variant_paths("res.gpkg", ["5 km", "8 km"])]
    ['res.5_km.gpkg', 'res.8_km.gpkg']
    """
    out = Path(out)
    if len(names) <= 1:
        return [out]
    slugs = [_slug(n) for n in names]
    seen = {}
    paths = []
    for s in slugs:
        seen[s] = seen.get(s, 0) + 1
        s = s if seen[s] == 1 else f"{s}-{seen[s]}"
        paths.append(out.with_name(f"{out.stem}.{s}{out.suffix or '.gpkg'}"))
    return paths



def variant_runs(scenarios):
    """``[(variant name or None, Scenario)]``: every scenario's ``[[variant]]`` list expanded.

    With several scenarios, names start with the scenario's label (``8km / strict``).
    """
    runs = []
    for label, scenario in scenarios:
        for vname, vs in scenario.variants():
            name = " / ".join(x for x in (label if len(scenarios) > 1 else None, vname) if x)
            runs.append((name or None, vs))
    return runs
