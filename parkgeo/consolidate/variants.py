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


def check_valid(dataset, scenario=None, *, jobs=None):
    """Refuse data with validation errors (DATA-CONTRACT: every command but ``validate``).

    Parameters
    ----------
    dataset : Dataset
        Read with ``strict=False`` so schema problems are part of the validation.
    scenario : Scenario, optional
    jobs : int, optional
        Threads for the checks (:func:`parkgeo.validate.validate_dataset`).

    Raises
    ------
    ValidationFailedError
        Exit code 2; the message counts the errors, names the first and points to
        ``parkgeo validate``.
    """
    from ..errors import ValidationFailedError
    from ..validate import validate_dataset

    report = validate_dataset(dataset, scenario, jobs=jobs)
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


class GateBeside:
    """The validation gate (:func:`check_valid`) running in a forked process of its own while
    this one consolidates: on a machine with two cores or more the gate costs no time when
    the data passes it.

    :meth:`wait` returns when the data passed, and raises what :func:`check_valid` raises
    otherwise (the same :class:`~parkgeo.errors.ValidationFailedError`, or, for any other
    failure, :func:`check_valid` is run again in this process so that its own error comes out).
    Where processes cannot be forked the gate simply runs in :meth:`wait`.

    Examples
    --------
    >>> gate = GateBeside(dataset, scenario)       # doctest: +SKIP
    >>> result = integrate(dataset, scenario)      # doctest: +SKIP
    >>> gate.wait()                                # doctest: +SKIP
    """

    def __init__(self, dataset, scenario=None):
        import multiprocessing
        import os

        self.dataset, self.scenario = dataset, scenario
        self._proc = self._conn = None
        if not hasattr(os, "fork"):
            return
        ctx = multiprocessing.get_context("fork")
        self._conn, send = ctx.Pipe(duplex=False)
        # forked: the child shares the dataset already in memory, nothing is pickled to it
        self._proc = ctx.Process(target=_gate_child, args=(dataset, scenario, send),
                                 daemon=True, name="parkgeo-validation-gate")
        self._proc.start()
        send.close()

    def wait(self):
        """Return when the data passed the gate; raise its error otherwise."""
        from ..errors import ValidationFailedError

        if self._proc is None:
            check_valid(self.dataset, self.scenario)
            return
        try:
            message = self._conn.recv()
        except EOFError:  # the process died without a word
            message = ("error",)
        finally:
            self._conn.close()
            self._proc.join()
            self._proc = None
        if message[0] == "ok":
            return
        if message[0] == "failed":
            raise ValidationFailedError(message[1], findings=message[2])
        check_valid(self.dataset, self.scenario)  # raises the gate's own error here

    def cancel(self):
        """Stop the gate (the run is being abandoned)."""
        if self._proc is not None:
            self._proc.terminate()
            self._proc.join()
            self._conn.close()
            self._proc = None


def _gate_child(dataset, scenario, conn):
    """:func:`check_valid` in the forked gate process; the answer goes back through ``conn``."""
    from .._progress import set_quiet
    from ..errors import ValidationFailedError

    set_quiet(True)  # the terminal's progress bars are the consolidation's
    try:
        # one thread: PROJ objects made in the parent are not safe to use from new threads of
        # a forked child (a child crashed in pyproj now and then when they were), and the
        # consolidation beside it has the other core anyway
        check_valid(dataset, scenario, jobs=1)
        answer = ("ok",)
    except ValidationFailedError as exc:
        answer = ("failed", str(exc), exc.findings)
    except Exception:  # the parent runs the gate again to raise this error itself
        answer = ("error",)
    try:
        conn.send(answer)
    except Exception:  # findings that cannot be sent: the parent runs the gate itself
        conn.send(("error",))
    conn.close()


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
