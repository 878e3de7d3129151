"""The pipeline's direction, read from the import graph (docs/architecture.md).

read → validate → consolidate → measure → publish → cli: a stage imports only earlier stages and
the shared core (the top-level modules of ``parkgeo``); the shared core imports no stage (the
package's ``__init__``, the notebook facade, names every stage's functions lazily); no
private name (leading underscore) of one stage is imported by another. Every import counts,
lazy ones inside functions included.
"""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1] / "parkgeo"
ORDER = {"read": 1, "validate": 2, "consolidate": 3, "measure": 4, "publish": 5, "cli": 6}


def _private(name):
    return name.startswith("_") and not name.startswith("__")


def imports(root=PACKAGE):
    """``(file, its package parts, imported module parts, imported names)`` for every import of
    a parkgeo module inside ``root``."""
    for path in sorted(root.rglob("*.py")):
        rel = path.relative_to(root).parts
        pkg = list(rel[:-1])
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom):
                if node.level:
                    base = pkg[: len(pkg) - (node.level - 1)]
                    mod = base + (node.module.split(".") if node.module else [])
                elif (node.module or "").split(".")[0] == "parkgeo":
                    mod = node.module.split(".")[1:]
                else:
                    continue
                names = [a.name for a in node.names]
                if not node.module:  # from . import x: x is a module
                    yield "/".join(rel), pkg, mod + names[:1], names[1:]
                    continue
                yield "/".join(rel), pkg, mod, names
            elif isinstance(node, ast.Import):
                for a in node.names:
                    if a.name.split(".")[0] == "parkgeo":
                        yield "/".join(rel), pkg, a.name.split(".")[1:], []


def violations(root=PACKAGE):
    out = []
    for where, pkg, mod, names in imports(root):
        src = pkg[0] if pkg and pkg[0] in ORDER else None
        dst = mod[0] if mod and mod[0] in ORDER else None
        if dst is None:
            continue  # the shared core: anyone may import it, its private helpers included
        if where == "__init__.py":
            continue  # the notebook facade: the top of the package, above every stage
        if src is None:
            out.append(f"{where}: the shared core imports the stage {'.'.join(mod)}")
        elif ORDER[dst] > ORDER[src]:
            out.append(f"{where}: imports {'.'.join(mod)}, a later stage")
        if src != dst:
            private = [m for m in mod if _private(m)] + [n for n in names if _private(n)]
            if private:
                out.append(f"{where}: imports private {', '.join(private)} of "
                           f"{'.'.join(mod)}")
    return out


def test_stages_only_look_back():
    assert violations() == []


def test_the_checker_sees_forward_and_private_imports(tmp_path):
    # the rule, shown failing on a package that breaks it three ways
    (tmp_path / "validate").mkdir()
    (tmp_path / "publish").mkdir()
    (tmp_path / "validate" / "webmap.py").write_text(
        "from ..publish.webmap import _swatch\n", encoding="utf-8")
    (tmp_path / "publish" / "report.py").write_text(
        "def f():\n    from parkgeo.measure.targets import _county_names\n", encoding="utf-8")
    (tmp_path / "demo.py").write_text("from .cli.main import cli\n", encoding="utf-8")
    found = violations(tmp_path)
    assert any("validate/webmap.py: imports publish.webmap, a later stage" in v for v in found)
    assert any("validate/webmap.py: imports private _swatch" in v for v in found)
    assert any("publish/report.py: imports private _county_names" in v for v in found)
    assert any("demo.py: the shared core imports the stage cli.main" in v for v in found)
