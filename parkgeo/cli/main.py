"""The ``parkgeo`` command group.

Commands are registered by name in :data:`COMMANDS` and imported only when run, so
``parkgeo --help`` is instant. Errors raised on purpose (:class:`~parkgeo.errors.ParkgeoError`)
become one line on stderr and their documented exit code; a traceback only with ``-v``.
"""

from __future__ import annotations

import contextlib
import importlib
import logging
import os
import sys

import click

from .. import __version__

#: command name -> "module:function" (lazy; each module holds one command)
COMMANDS = {
    "validate": "parkgeo.cli.validate:validate",
    "integrate": "parkgeo.cli.integrate:integrate",
    "map": "parkgeo.cli.map:map_cmd",
    "invest-map": "parkgeo.cli.invest_map:invest_map",
    "rank": "parkgeo.cli.rank:rank",
    "admit": "parkgeo.cli.admit:admit",
    "report": "parkgeo.cli.report:report",
    "scenario": "parkgeo.cli.scenario:scenario",
    "catalogue": "parkgeo.cli.catalogue:catalogue",
    "industries": "parkgeo.cli.industries:industries",
    "space": "parkgeo.cli.space:space",
    "demo": "parkgeo.cli.demo:demo",
}

#: exit code for a bug in parkgeo itself (DATA-CONTRACT's 0/1/2 are the data's)
EXIT_INTERNAL = 3


class LazyGroup(click.Group):
    """A click group that imports a command's module only when the command runs."""

    def list_commands(self, ctx):
        return [name for name in COMMANDS if self._available(name)] + sorted(self.commands)

    @staticmethod
    def _available(name):
        module = COMMANDS[name].split(":")[0]
        return importlib.util.find_spec(module) is not None

    def get_command(self, ctx, name):
        if name in self.commands:
            return self.commands[name]
        target = COMMANDS.get(name)
        if target is None or not self._available(name):
            return None
        module, attr = target.split(":")
        return getattr(importlib.import_module(module), attr)

    def invoke(self, ctx):
        from ..errors import ParkgeoError

        try:
            return super().invoke(ctx)
        except ParkgeoError as exc:
            if _verbosity() > 0:
                raise
            click.echo(f"parkgeo: error: {exc}", err=True)
            ctx.exit(exc.exit_code)
        except (click.exceptions.Exit, click.exceptions.Abort, click.ClickException):
            raise
        except BrokenPipeError:
            # the reader of our output went away (``parkgeo catalogue | head``): stop quietly
            sys.stdout = open(os.devnull, "w")  # Python's documented recipe
            ctx.exit(0)
        except KeyboardInterrupt:
            click.echo("parkgeo: interrupted; no output was left half-written", err=True)
            ctx.exit(130)
        except Exception as exc:  # a bug: say so plainly, traceback only with -v
            if _verbosity() > 0:
                raise
            click.echo(f"parkgeo: internal error: {type(exc).__name__}: {exc} "
                       "(run with -v for the traceback, and please report it)", err=True)
            ctx.exit(EXIT_INTERNAL)


_VERBOSITY = [0]


def _install_signal_handlers():
    """Turn SIGTERM (and SIGHUP) into an exception, so atomic writers remove their temp files."""
    import signal

    def _stop(signum, frame):
        raise SystemExit(128 + signum)

    for name in ("SIGTERM", "SIGHUP"):
        sig = getattr(signal, name, None)
        if sig is not None:
            # not possible outside the main thread (e.g. inside a test runner's worker)
            with contextlib.suppress(ValueError):
                signal.signal(sig, _stop)


def _verbosity():
    return _VERBOSITY[0]


class _Formatter(logging.Formatter):
    def format(self, record):
        msg = record.getMessage()
        if record.name == "py.warnings" and _verbosity() == 0:
            # a library's warning: its first line only, without the source location (-v: all)
            first = msg.strip().splitlines()[0] if msg.strip() else msg
            msg = first.split(": ", 2)[-1] if first.count(": ") >= 2 else first
        if record.levelno >= logging.WARNING:
            return f"parkgeo: {record.levelname.lower()}: {msg}"
        return msg


def _configure_logging(verbose, quiet):
    from .._progress import set_quiet

    level = logging.WARNING if quiet else (logging.DEBUG if verbose > 1 else logging.INFO)
    if quiet:
        level = logging.ERROR
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(_Formatter())
    root = logging.getLogger("parkgeo")
    root.handlers[:] = [handler]
    root.setLevel(level)
    root.propagate = False
    logging.captureWarnings(True)
    pyw = logging.getLogger("py.warnings")
    pyw.handlers[:] = [handler]
    pyw.setLevel(logging.ERROR if quiet else logging.WARNING)
    pyw.propagate = False
    set_quiet(quiet)


@click.group(cls=LazyGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, "--version", prog_name="parkgeo")
@click.option("-v", "--verbose", count=True, help="More detail; -v also shows tracebacks.")
@click.option("-q", "--quiet", is_flag=True, help="Only errors.")
@click.pass_context
def cli(ctx, verbose, quiet):
    """Consolidate industrial parks into major platforms (Jiaxing 2018 platform plan).

    \b
    Read development zones and town parks, validate the statutory constraints (R1, R2),
    consolidate parks into 1-2 major platforms per county with an exact optimizer (R3-R11),
    measure platforms against the 2020 targets (T1-T6), and publish maps and reports (T7).

    \b
    Example, the whole pipeline on the bundled Jiaxing sample:
        parkgeo demo --out maps/
    """
    _VERBOSITY[0] = verbose
    _configure_logging(verbose, quiet)
    _install_signal_handlers()
    ctx.ensure_object(dict)
    ctx.obj["verbose"] = verbose
    ctx.obj["quiet"] = quiet


def main():  # pragma: no cover - console entry point
    cli(prog_name="parkgeo")


if __name__ == "__main__":  # pragma: no cover
    main()
