"""Progress bars (rich) on a terminal; silence when output is piped or ``-q`` is given."""

from __future__ import annotations

import contextlib
import sys

__all__ = ["progress", "set_quiet"]

_QUIET = False


def set_quiet(quiet):
    """Turn progress bars off (``-q``) or back on."""
    global _QUIET
    _QUIET = bool(quiet)


@contextlib.contextmanager
def progress(description, total):
    """Yield an ``advance(n=1)`` callable; draws a bar only when stderr is a terminal.

    >>> with progress("solving counties", 3) as advance:
    ...     for _ in range(3):
    ...         advance()
    """
    if _QUIET or not sys.stderr.isatty():
        yield lambda n=1: None
        return
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeElapsedColumn

    with Progress("[progress.description]{task.description}", BarColumn(), MofNCompleteColumn(),
                  TimeElapsedColumn(), transient=True) as bar:
        task = bar.add_task(description, total=total)
        yield lambda n=1: bar.advance(task, n)
