"""The README's two commands are the ones CI and users run, and its tour names real commands."""

import re
from pathlib import Path

from click.testing import CliRunner

from parkgeo.cli.main import cli

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text(encoding="utf-8")


def _bash_blocks():
    return re.findall(r"```bash\n(.*?)```", README, flags=re.S)


def test_the_two_commands_come_first_and_ci_runs_the_second():
    install, tests = (b.strip() for b in _bash_blocks()[:2])
    assert install == "bash scripts/install.sh && .venv/bin/parkgeo demo --out maps/"
    assert tests == ".venv/bin/python -m pytest"
    ci = [line.strip() for line in (ROOT / ".ci" / "run").read_text().splitlines()
          if line.strip() and not line.startswith("#")]
    assert ci[-1] == tests
    assert "bash scripts/install.sh" in ci


def test_every_command_of_the_tour_exists_with_an_example():
    names = set(re.findall(r"^\| `parkgeo ([a-z-]+)", README, flags=re.M))
    assert {"validate", "integrate", "map", "invest-map", "rank", "admit", "report",
            "scenario", "demo"} <= names
    runner = CliRunner()
    listed = runner.invoke(cli, ["--help"]).output
    for name in names:
        assert name in listed
        help_text = runner.invoke(cli, [name, "--help"]).output
        assert "Example" in help_text, name
