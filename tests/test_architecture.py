"""The layering in docs/architecture.md, enforced: imports only go down the stack.

Every ``linea_core`` import is checked, including the ones deferred inside functions
(a lazy import is still a dependency), so a newcomer can trust the folder names.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "linea_core"

# Lowest first. A module may import its own layer and any layer listed before it.
LAYERS: list[str] = [
    "errors",
    "support",
    "graph",
    "syntax",
    "config",
    "plugins",
    "builtins",
    "store",
    "context",
    "annotations",
    "capture",
    "slicing",
    "codegen",
    "drawing",
    "pipeline",
    "writers",
    "api",
    "notebook",
    "cli",
    "testing",
    "__main__",
]
RANK = {name: rank for rank, name in enumerate(LAYERS)}


def layer_of(path: Path) -> str:
    relative = path.relative_to(PACKAGE)
    return relative.parts[0].removesuffix(".py")


def _registration_strings(tree: ast.AST) -> set[int]:
    """Ids of the strings in a ``BUILTIN_PLUGINS = (...)`` assignment.

    The plugin host registers core's built-in plugins by module name, as it loads
    installed plugins by entry point: it never imports their code, they implement hooks
    it calls. Those names are registrations, not dependencies (each named module's own
    imports are still checked).
    """
    found: set[int] = set()
    for node in ast.walk(tree):
        targets = []
        if isinstance(node, ast.Assign):
            targets = node.targets
        elif isinstance(node, ast.AnnAssign):
            targets = [node.target]
        if any(isinstance(t, ast.Name) and t.id == "BUILTIN_PLUGINS" for t in targets):
            assert node.value is not None
            found |= {id(sub) for sub in ast.walk(node.value) if isinstance(sub, ast.Constant)}
    return found


def linea_imports(path: Path) -> set[str]:
    """The layers a module imports, lazily or not (``linea_core.X...`` -> ``X``)."""
    found: set[str] = set()
    tree = ast.parse(path.read_text(), str(path))
    registrations = _registration_strings(tree)
    for node in ast.walk(tree):
        modules: list[str] = []
        if isinstance(node, ast.Import):
            modules = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            modules = [node.module]
        elif (
            isinstance(node, ast.Constant)
            and isinstance(node.value, str)
            and id(node) not in registrations
        ):
            # "linea_core.x.y:attr" strings feed importlib in lazy registries.
            text = node.value.split(":")[0]
            if text.startswith("linea_core.") and " " not in text:
                modules = [text]
        for module in modules:
            parts = module.split(".")
            if parts[0] == "linea_core" and len(parts) > 1:
                found.add(parts[1])
    return found


MODULES = sorted(p for p in PACKAGE.rglob("*.py") if "migrations" not in p.parts)


def test_every_top_level_module_has_a_layer() -> None:
    unknown = {layer_of(p) for p in MODULES} - set(LAYERS) - {"__init__"}
    assert not unknown, f"add these to LAYERS and docs/architecture.md: {sorted(unknown)}"


@pytest.mark.parametrize("path", MODULES, ids=lambda p: str(p.relative_to(PACKAGE)))
def test_imports_only_go_down(path: Path) -> None:
    layer = layer_of(path)
    if layer == "__init__":  # the package's public facade re-exports from every layer
        return
    upward = sorted(
        target for target in linea_imports(path) if target in RANK and RANK[target] > RANK[layer]
    )
    assert not upward, f"{layer} must not import from the layers above it: {upward}"


@pytest.mark.parametrize("path", MODULES, ids=lambda p: str(p.relative_to(PACKAGE)))
def test_core_never_imports_a_plugin(path: Path) -> None:
    """Plugins depend on core, never the reverse: core finds them only through entry points."""
    plugin_imports = set()
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        names = []
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names = [node.module]
        plugin_imports |= {
            n for n in names if n.startswith("linea_") and not n.startswith("linea_core")
        }
    assert not plugin_imports, f"core imports plugin packages: {sorted(plugin_imports)}"


def test_builtin_plugins_are_plugin_modules() -> None:
    """Each module the host registers by name exists and implements linea hooks."""
    import importlib

    from linea_core.plugins.host import BUILTIN_PLUGINS, HOOK_NAMES

    for name in BUILTIN_PLUGINS:
        module = importlib.import_module(name)
        hooks = [hook for hook in HOOK_NAMES if callable(getattr(module, hook, None))]
        assert hooks, f"{name} is listed in BUILTIN_PLUGINS but implements no linea hook"
