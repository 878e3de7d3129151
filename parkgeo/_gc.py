"""Python's cyclic garbage collector tuned for a command's one long run over a large dataset.

A nation-scale run keeps a few hundred thousand container objects alive (the imported
libraries, the dataset, the per-county results) and creates millions of short-lived ones. With
the collector's default thresholds every 700 allocations start a collection, and each of the
oldest generation's walks every live object again: measured with ``gc.callbacks`` in a
``parkgeo integrate`` of the whole country, 0.6-0.8 s of the command's process in one
process, 1.4 s when it forks helpers (the walks then copy the pages the helpers share), and
0.4-0.6 s more in the collections the interpreter runs while it exits; tuned, 0.2-0.3 s and
none. Nothing here changes what is computed; it
only changes when the collector looks for cycles. The tuning is the standard library's own
(:func:`gc.freeze`, :func:`gc.set_threshold`), as its documentation recommends for a process
that forks helpers: objects frozen before the fork are not walked, so neither the helpers nor
this process copy their pages to update the collector's bookkeeping.
"""

from __future__ import annotations

import atexit
import contextlib
import gc

__all__ = ["long_run", "no_collection_at_exit"]

#: allocations between two collections of the youngest generation during a long run (the
#: default is 700): fewer, larger collections; a cycle still never lives long
LONG_RUN_THRESHOLD = 50_000

_AT_EXIT = [False]


@contextlib.contextmanager
def long_run():
    """Inside: what is alive now is frozen (never walked again), and the youngest generation
    is collected every :data:`LONG_RUN_THRESHOLD` allocations. Restored on the way out (the
    frozen objects unfrozen, unless some were frozen before).

    Yields a function that freezes what is alive at the time it is called (say, once a
    dataset is read and will live to the end of the run).

    Examples
    --------
    >>> with long_run() as keep:
    ...     data = [[k] for k in range(10)]
    ...     keep()
    """
    old, frozen = gc.get_threshold(), gc.get_freeze_count()
    gc.freeze()
    gc.set_threshold(LONG_RUN_THRESHOLD, *old[1:])
    try:
        yield gc.freeze
    finally:
        gc.set_threshold(*old)
        if not frozen:  # what the caller froze before stays frozen
            gc.unfreeze()


def _stop_collecting():
    gc.disable()
    gc.freeze()


def no_collection_at_exit():
    """When the process exits, skip the interpreter's last cyclic collections (the memory goes
    back to the system with the process anyway). Registered with :mod:`atexit`, which runs
    before those collections; once per process, however often it is called."""
    if not _AT_EXIT[0]:
        _AT_EXIT[0] = True
        atexit.register(_stop_collecting)
