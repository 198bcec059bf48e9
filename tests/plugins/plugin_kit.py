"""Helpers for plugin tests: plugin modules built in memory, real installed distributions."""

from __future__ import annotations

import importlib
import textwrap
from pathlib import Path
from types import ModuleType


def make_plugin(name: str, **hooks: object) -> ModuleType:
    """A plugin module object named ``name`` whose attributes are ``hooks``."""
    module = ModuleType(name)
    for attribute, value in hooks.items():
        setattr(module, attribute, value)
    return module


class SitePackages:
    """Installs tiny distributions (dist-info + modules) into a directory on sys.path.

    The host then finds them exactly as it finds pip
    installed ones; each test uses its own entry-point group so core's built-ins and
    other tests' plugins stay out of the way.
    """

    def __init__(self, root: Path, group: str) -> None:
        self.root = root
        self.group = group
        self.modules: list[str] = []

    def install(
        self,
        distribution: str,
        version: str,
        entry_points: dict[str, str],
        modules: dict[str, str] | None = None,
    ) -> None:
        for module_name, source in (modules or {}).items():
            path = self.root / (module_name.replace(".", "/") + ".py")
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(textwrap.dedent(source))
            self.modules.append(module_name)
        info = self.root / f"{distribution.replace('-', '_')}-{version}.dist-info"
        info.mkdir()
        (info / "METADATA").write_text(
            f"Metadata-Version: 2.1\nName: {distribution}\nVersion: {version}\n"
        )
        lines = [f"[{self.group}]"] + [
            f"{name} = {target}" for name, target in entry_points.items()
        ]
        (info / "entry_points.txt").write_text("\n".join(lines) + "\n")
        importlib.invalidate_caches()
