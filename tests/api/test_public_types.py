"""The public API is typed where users meet it: in their editor and under mypy.

``linea_core`` and ``linea_core.annotations`` export their names lazily (a module
``__getattr__``), which type checkers cannot follow; an ``if TYPE_CHECKING:`` block
imports the same names for them. This test keeps the two in step;
``tests/packaging/test_distributions.py`` runs mypy on a user's script against the
installed wheel to show the signatures reach the user.
"""

from __future__ import annotations

import ast
import importlib
from pathlib import Path
from types import ModuleType

import pytest

import linea_core

LAZY_PACKAGES = ["linea_core", "linea_core.annotations"]


def type_checking_imports(module: ModuleType) -> dict[str, str]:
    """Public name -> "module:attribute" imported under ``if TYPE_CHECKING:``."""
    assert module.__file__ is not None
    tree = ast.parse(Path(module.__file__).read_text())
    found: dict[str, str] = {}
    for node in tree.body:
        if isinstance(node, ast.If) and ast.unparse(node.test) == "TYPE_CHECKING":
            for stmt in node.body:
                assert isinstance(stmt, ast.ImportFrom) and stmt.module is not None
                for alias in stmt.names:
                    # `import X as X`: the explicit re-export form mypy's strict mode wants
                    assert alias.asname == alias.name, ast.unparse(stmt)
                    found[alias.name] = f"{stmt.module}:{alias.name}"
    return found


def lazy_targets(module: ModuleType) -> dict[str, str]:
    table: dict[str, str] = module._LAZY
    return {name: target if ":" in target else f"{target}:{name}" for name, target in table.items()}


@pytest.mark.parametrize("package", LAZY_PACKAGES)
def test_type_checking_block_names_every_lazy_export(package: str) -> None:
    module = importlib.import_module(package)
    assert type_checking_imports(module) == lazy_targets(module)
    for name, target in lazy_targets(module).items():
        module_name, attribute = target.split(":")
        assert getattr(module, name) is getattr(importlib.import_module(module_name), attribute)
        assert name in module.__all__


def test_py_typed_marker_is_shipped() -> None:
    assert (Path(linea_core.__file__).parent / "py.typed").is_file()
