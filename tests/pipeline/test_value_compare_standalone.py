"""Generated tests embed ``value_compare``'s source, and generated code never imports
linea: the module must run with linea absent (a linea import there broke every writer's
generated test in the pipelines' own environments)."""

from __future__ import annotations

import ast
import inspect

from linea_core.pipeline import value_compare


def test_value_compare_imports_only_outside_linea() -> None:
    tree = ast.parse(inspect.getsource(value_compare))
    imported: list[str] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            imported.extend(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            imported.append("." * node.level + (node.module or ""))
    assert imported, "the walk found no imports at all"
    assert [name for name in imported if name.startswith(("linea", "."))] == []


def test_value_compare_runs_as_a_standalone_module() -> None:
    namespace: dict[str, object] = {"__name__": "embedded"}
    exec(compile(inspect.getsource(value_compare), "embedded", "exec"), namespace)
    same_value = namespace["same_value"]
    assert callable(same_value)
    assert same_value([1.0, {"a": 2}], [1.0, {"a": 2}])
    assert not same_value([1.0], [2.0])
