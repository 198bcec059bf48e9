"""One name for each concept: every warning linea or one of its plugins emits is a
LineaWarning, and no two public classes in linea_core or the plugins share a name (two
``ExternalState`` classes once meant two things, and an import alias hid which one a
module had)."""

from __future__ import annotations

import importlib
import inspect
import pkgutil
from collections import defaultdict
from pathlib import Path
from types import ModuleType

import linea_core
from linea_core.errors import LineaError, LineaWarning

ROOT = Path(__file__).resolve().parent.parent


def plugin_packages() -> list[ModuleType]:
    """The package of every plugin distribution in plugins/ (each installed in the venv)."""
    return [
        importlib.import_module(init.parent.name)
        for init in sorted(ROOT.glob("plugins/*/*/__init__.py"))
        if init.parent.name not in {"tests", "test"}
    ]


def linea_modules() -> list[ModuleType]:
    modules = []
    for package in [linea_core, *plugin_packages()]:
        modules.append(package)
        for info in pkgutil.walk_packages(package.__path__, package.__name__ + "."):
            if info.name.endswith("__main__") or ".migrations." in info.name:
                continue  # running them is their import; migrations are alembic's scripts
            modules.append(importlib.import_module(info.name))
    return modules


def test_the_walk_reaches_core_and_every_plugin() -> None:
    names = {module.__name__ for module in linea_modules()}
    assert {"linea_core.capture.session", "linea_core.errors"} <= names
    plugins = {path.parent.name for path in ROOT.glob("plugins/*/*/__init__.py")} - {"tests"}
    assert len(plugins) >= 5 and plugins <= names


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


def source_files() -> list[Path]:
    return [
        path
        for package in [linea_core, *plugin_packages()]
        for path in Path(package.__path__[0]).rglob("*.py")
    ]


# The notebook repeats IPython's own "To exit: use 'exit'..." warning exactly as IPython
# gives it (a plain UserWarning), so a notebook behaves the same with linea loaded.
NOT_LINEAS = {("tracer.py", "To exit: use 'exit', 'quit', or Ctrl-D.")}


def test_every_warning_call_names_its_category() -> None:
    """``warnings.warn(message)`` without a category is a bare UserWarning that no
    ``LineaWarning`` filter catches; every call in core and the plugins names one."""
    import ast

    bare = []
    for path in source_files():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)):
                continue
            func = node.func
            if not (isinstance(func.value, ast.Name) and func.value.id == "warnings"):
                continue
            if func.attr not in {"warn", "warn_explicit"}:
                continue
            has_category = len(node.args) >= 2 or any(k.arg == "category" for k in node.keywords)
            first = node.args[0] if node.args else None
            message = first.value if isinstance(first, ast.Constant) else None
            if not has_category and (path.name, message) not in NOT_LINEAS:
                bare.append(f"{path}:{node.lineno}")
    assert len(source_files()) > 100
    assert bare == [], f"give these warnings a LineaWarning category: {bare}"
