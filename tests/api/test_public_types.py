"""The public API is typed where users meet it: in their editor and under mypy.

``linea_core`` and ``linea_core.annotations`` export their names lazily (a module
``__getattr__``), which type checkers cannot follow. ``linea_core/__init__.pyi`` (a stub)
and ``linea_core.annotations``' ``if TYPE_CHECKING:`` block import the same names for
them; this test keeps each in step with the lazy table.
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


def typed_imports(module: ModuleType) -> dict[str, str]:
    """Public name -> "module:attribute" as type checkers see it: the package's stub, or
    the imports under ``if TYPE_CHECKING:`` in its ``__init__.py``."""
    assert module.__file__ is not None
    source = Path(module.__file__)
    stub = source.with_suffix(".pyi")
    tree = ast.parse((stub if stub.exists() else source).read_text())
    statements = (
        tree.body
        if stub.exists()
        else [
            stmt
            for node in tree.body
            if isinstance(node, ast.If) and ast.unparse(node.test) == "TYPE_CHECKING"
            for stmt in node.body
        ]
    )
    found: dict[str, str] = {}
    for stmt in statements:
        if not isinstance(stmt, ast.ImportFrom):
            continue
        assert stmt.module is not None
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
    assert typed_imports(module) == lazy_targets(module)
    for name, target in lazy_targets(module).items():
        module_name, attribute = target.split(":")
        assert getattr(module, name) is getattr(importlib.import_module(module_name), attribute)
        assert name in module.__all__


def test_py_typed_marker_is_shipped() -> None:
    assert (Path(linea_core.__file__).parent / "py.typed").is_file()
