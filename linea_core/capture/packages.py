"""Which distributions (and versions) a traced session's imports came from.

Generated pipelines pin their requirements to the versions the user's code actually
ran with, so the versions are recorded while the session is traced, when the session
writes its graph (:meth:`~linea_core.capture.session.TracingSession.flush`), not when
a pipeline is generated months later in another environment.

Finding the distribution of a module must stay cheap (it happens in traced runs):
``importlib.metadata.packages_distributions()`` reads every installed distribution's
file list (about half a second on a data-science environment), so the lookup first
tries the distribution named like the module (``pandas``), and only for the others
(``sklearn`` -> ``scikit-learn``) reads the metadata folders next to the module itself,
``top_level.txt`` before ``RECORD``.
"""

from __future__ import annotations

import ast
import importlib.metadata
import sys
from collections.abc import Iterable, Sequence
from pathlib import Path

from linea_core.graph.model import Node
from linea_core.store.records import PackageRecord

STDLIB_MODULES = frozenset(sys.stdlib_module_names) | frozenset(sys.builtin_module_names)


def imported_modules(source: str) -> set[str]:
    """Top-level module names the import statements in ``source`` import (relative ones excluded)."""
    if "import" not in source:
        return set()
    try:
        tree = ast.parse(source)
    except (SyntaxError, ValueError):
        return set()
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            found.add(node.module.split(".")[0])
    return found


def is_standard_library(module: str) -> bool:
    return module in STDLIB_MODULES or module == "__future__"


def _normalized(name: str) -> str:
    return name.replace("-", "_").replace(".", "_").lower()


def distribution_of(module: str) -> PackageRecord:
    """The installed distribution providing top-level ``module`` and its version."""
    try:
        dist = importlib.metadata.distribution(module)
    except importlib.metadata.PackageNotFoundError:
        dist = None
    except Exception:  # a broken METADATA file: look the other way
        dist = None
    if dist is not None and _provides(dist, module):
        return PackageRecord(module, dist.metadata["Name"] or module, dist.version)
    found = _search_next_to(module)
    if found is not None:
        return PackageRecord(module, found.metadata["Name"], found.version)
    return PackageRecord(module, None, None)


def _provides(dist: importlib.metadata.Distribution, module: str) -> bool:
    """Whether ``dist`` (found by name) really ships ``module``; cheap checks first."""
    if _normalized(dist.metadata["Name"] or "") == _normalized(module):
        return True
    top_level = dist.read_text("top_level.txt")
    return top_level is not None and module in top_level.split()


def _module_folder(module: str) -> Path | None:
    loaded = sys.modules.get(module)
    location = getattr(loaded, "__file__", None)
    if location is None:
        paths = list(getattr(loaded, "__path__", []) or [])
        location = paths[0] if paths else None
        if location is None:
            return None
        return Path(location).parent
    path = Path(location)
    return path.parent.parent if path.name == "__init__.py" else path.parent


def _search_next_to(module: str) -> importlib.metadata.Distribution | None:
    folder = _module_folder(module)
    if folder is None or not folder.is_dir():
        return None
    try:
        infos = sorted(p for p in folder.iterdir() if p.name.endswith(".dist-info"))
    except OSError:
        return None
    without_top_level = []
    for info in infos:
        top_level = info / "top_level.txt"
        if top_level.is_file():
            if module in top_level.read_text(errors="replace").split():
                return importlib.metadata.Distribution.at(info)
        else:
            without_top_level.append(info)
    prefixes = (f"{module}/", f"{module}.py,", f"{module}.")
    for info in without_top_level:
        record = info / "RECORD"
        try:
            with open(record, encoding="utf-8", errors="replace") as stream:
                if any(line.startswith(prefixes) for line in stream):
                    return importlib.metadata.Distribution.at(info)
        except OSError:
            continue
    return None


class PackageRecorder:
    """Remembers what one session already recorded so each flush only looks at new imports."""

    def __init__(self) -> None:
        self._seen: set[str] = set()
        self._scanned = 0

    def new_packages(self, sources: Iterable[str]) -> list[PackageRecord]:
        """Packages imported by ``sources`` (node sources since the last call) not yet seen."""
        found: list[PackageRecord] = []
        for source in sources:
            for module in sorted(imported_modules(source)):
                if module in self._seen:
                    continue
                self._seen.add(module)
                if is_standard_library(module) or module.startswith("_"):
                    continue
                found.append(distribution_of(module))
        return found

    def scan(self, nodes: Sequence[Node]) -> list[PackageRecord]:
        """``new_packages`` of the nodes appended since the previous ``scan``."""
        start, self._scanned = self._scanned, len(nodes)
        return self.new_packages(node.source for node in nodes[start:])


def environment_label() -> str:
    """``"3.11"``: the running Python's major.minor (pipelines' Docker base images)."""
    return f"{sys.version_info.major}.{sys.version_info.minor}"


__all__ = [
    "PackageRecorder",
    "distribution_of",
    "environment_label",
    "imported_modules",
    "is_standard_library",
]
