"""Issue 9, point 4: no private reach-through, and an explicit public API everywhere.

Every module of the packages declares ``__all__``, and no module imports an underscore name
from another module (a name private to a module stays private to it).
"""
import ast
from pathlib import Path

import pytest

from support import ROOT

PACKAGES = ("common", "derive", "check", "numeric", "report", "bench")
MODULES = sorted(p for pkg in PACKAGES for p in (ROOT / pkg).rglob("*.py"))


def _rel(p: Path) -> str:
    return p.relative_to(ROOT).as_posix()


@pytest.mark.parametrize("path", MODULES, ids=_rel)
def test_every_module_declares_its_public_names(path):
    tree = ast.parse(path.read_bytes())
    names = {t.id for node in tree.body if isinstance(node, ast.Assign) for t in node.targets
             if isinstance(t, ast.Name)}
    names |= {node.target.id for node in tree.body if isinstance(node, ast.AnnAssign)
              and isinstance(node.target, ast.Name)}
    assert "__all__" in names, f"{_rel(path)} has no __all__"


@pytest.mark.parametrize("path", MODULES, ids=_rel)
def test_no_module_imports_a_private_name_from_another(path):
    tree = ast.parse(path.read_bytes())
    private = [f"{node.module}.{a.name}" for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)
               for a in node.names if a.name.startswith("_") and not a.name.startswith("__")]
    assert not private, f"{_rel(path)} imports private names: {private}"
