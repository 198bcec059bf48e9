"""Import-linter contract types of our own (registered in pyproject.toml).

``no_plugin_imports``: core finds plugins only through entry points, so no module of
``linea_core`` may import a plugin package: any top-level package named ``linea_*``
other than ``linea_core`` (the naming rule for linea plugins), and any package that a
distribution under ``plugins/`` provides, whatever its name. New plugins are covered
without editing the contract.
"""

from __future__ import annotations

from pathlib import Path

from grimp import ImportGraph
from importlinter import Contract, ContractCheck, fields, output

REPO = Path(__file__).resolve().parent.parent


def plugin_packages(plugins_dir: Path = REPO / "plugins") -> set[str]:
    """Top-level import packages provided by the distributions under ``plugins/``."""
    found: set[str] = set()
    if not plugins_dir.is_dir():
        return found
    for distribution in plugins_dir.iterdir():
        for root in (distribution, distribution / "src"):
            if not root.is_dir():
                continue
            for candidate in root.iterdir():
                if (candidate / "__init__.py").is_file() and candidate.name != "tests":
                    found.add(candidate.name)
    return found


class NoPluginImportsContract(Contract):
    """``source`` (a package) imports no plugin package, directly or not."""

    type_name = "no_plugin_imports"

    source = fields.StringField()
    prefix = fields.StringField(default="linea_")

    def check(self, graph: ImportGraph, verbose: bool) -> ContractCheck:
        source = str(self.source)
        prefix = str(self.prefix)
        plugins = plugin_packages()
        forbidden = sorted(
            module
            for module in graph.modules
            if "." not in module
            and module != source
            and (module.startswith(prefix) or module in plugins)
        )
        violations: list[tuple[str, str, int | None]] = []
        for target in forbidden:
            for importer in sorted(graph.find_modules_that_directly_import(target)):
                if importer == source or importer.startswith(source + "."):
                    for details in graph.get_import_details(importer=importer, imported=target):
                        violations.append((importer, target, details.get("line_number")))
                    if not graph.get_import_details(importer=importer, imported=target):
                        violations.append((importer, target, None))
        return ContractCheck(kept=not violations, metadata={"violations": violations})

    def render_broken_contract(self, check: ContractCheck) -> None:
        for importer, target, line in check.metadata["violations"]:
            where = f" (l. {line})" if line else ""
            output.print_error(f"{importer} imports plugin package {target}{where}")
        output.new_line()
        output.print(
            "Core finds plugins through the 'linea' entry-point group only; move the "
            "code that needs the plugin into the plugin."
        )
