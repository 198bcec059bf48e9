"""One name for each concept: every warning linea emits is a LineaWarning, and no two
public classes in linea_core share a name (two ``ExternalState`` classes once meant two
things, and an import alias hid which one a module had)."""

from __future__ import annotations

import importlib
import inspect
import pkgutil
from collections import defaultdict
from types import ModuleType

import linea_core
from linea_core.errors import LineaError, LineaWarning


def linea_modules() -> list[ModuleType]:
    modules = []
    for info in pkgutil.walk_packages(linea_core.__path__, "linea_core."):
        if info.name.endswith("__main__") or ".migrations." in info.name:
            continue  # running them is their import; migrations are alembic's scripts
        modules.append(importlib.import_module(info.name))
    return modules


def defined_classes() -> list[type]:
    return [
        value
        for module in linea_modules()
        for value in vars(module).values()
        if inspect.isclass(value) and value.__module__ == module.__name__
    ]


def test_every_warning_class_is_a_linea_warning() -> None:
    warnings = [cls for cls in defined_classes() if issubclass(cls, Warning)]
    assert len(warnings) >= 5  # the walk found the modules
    strays = [
        f"{cls.__module__}.{cls.__qualname__}"
        for cls in warnings
        if not issubclass(cls, LineaWarning)
    ]
    assert strays == [], f"derive these from linea_core.errors.LineaWarning: {strays}"
    assert issubclass(LineaWarning, UserWarning) and not issubclass(LineaWarning, LineaError)


def test_public_class_names_are_unique() -> None:
    where: dict[str, list[str]] = defaultdict(list)
    for cls in defined_classes():
        if not cls.__name__.startswith("_"):
            where[cls.__name__].append(cls.__module__)
    assert {name: mods for name, mods in where.items() if len(mods) > 1} == {}
