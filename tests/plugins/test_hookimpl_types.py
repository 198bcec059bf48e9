"""Every hook implementation of core's built-ins and of the plugins in this repository
annotates its arguments with a real type (the hookspec's, or a narrower one such as
``Callable[[ValueBackend], None]``), never ``Any``: then mypy, which ``make lint`` runs
over every plugin, checks each registered object against its protocol
(docs/hooks.md, "Types")."""

from __future__ import annotations

import importlib
import inspect
import re
import sys
from pathlib import Path

import pytest

from linea_core.plugins.host import BUILTIN_PLUGINS, HOOK_NAMES

if sys.version_info >= (3, 11):
    import tomllib
else:  # pytest itself depends on tomli before 3.11
    import tomli as tomllib

ROOT = Path(__file__).resolve().parents[2]


def plugin_modules() -> list[str]:
    modules = list(BUILTIN_PLUGINS)
    for pyproject in sorted(ROOT.glob("plugins/*/pyproject.toml")):
        project = tomllib.loads(pyproject.read_text())["project"]
        modules.extend(project.get("entry-points", {}).get("linea", {}).values())
    return modules


def untyped_arguments(module_name: str) -> list[str]:
    module = importlib.import_module(module_name)
    found = []
    for name in HOOK_NAMES:
        impl = getattr(module, name, None)
        if impl is None:
            continue
        annotations = inspect.get_annotations(impl)  # strings: `from __future__ import annotations`
        for argument in inspect.signature(impl).parameters:
            annotation = str(annotations.get(argument, "Any"))
            if re.search(r"\bAny\b", annotation):
                found.append(f"{module_name}.{name}({argument}: {annotation})")
    return found


def test_the_walk_finds_core_and_the_plugins() -> None:
    modules = plugin_modules()
    assert "linea_core.writers.script" in modules and len(modules) >= 9


@pytest.mark.parametrize("module_name", plugin_modules())
def test_hook_arguments_are_typed(module_name: str) -> None:
    assert untyped_arguments(module_name) == [], (
        "annotate as the hookspec does, e.g. register: Callable[[PipelineWriter], None]"
    )
