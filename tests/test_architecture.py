"""The layering in docs/architecture.md, enforced by the import-linter contracts.

The contracts live in pyproject.toml (``[tool.importlinter]``) and ``make lint`` runs
them; these tests run them too (so ``make test`` alone catches a broken layer), prove
that our own contract type really catches a plugin import, and keep the architecture
document's layer table and the contract's layers the same list.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

if sys.version_info >= (3, 11):
    import tomllib
else:  # pytest itself depends on tomli before 3.11
    import tomli as tomllib

ROOT = Path(__file__).resolve().parent.parent
LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")


def contracts() -> list[dict[str, object]]:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text())
    return config["tool"]["importlinter"]["contracts"]


def run_lint_imports(cwd: Path, config: Path | None = None) -> subprocess.CompletedProcess[str]:
    command = [str(LINT_IMPORTS), "--no-cache"]
    if config is not None:
        command += ["--config", str(config)]
    return subprocess.run(command, cwd=cwd, capture_output=True, text=True, timeout=300)


def test_the_import_contracts_hold() -> None:
    result = run_lint_imports(ROOT)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 broken" in result.stdout


def layer_names(contract_id: str) -> list[str]:
    [contract] = [c for c in contracts() if c.get("id") == contract_id]
    names: list[str] = []
    for layer in contract["layers"]:  # type: ignore[union-attr]
        for part in re.split(r"[|:]", str(layer)):
            names.append(part.strip().strip("()"))
    return names


def test_architecture_doc_lists_the_contract_layers() -> None:
    """Every layer of the contract that exists has a row in docs/architecture.md."""
    doc = (ROOT / "docs" / "architecture.md").read_text()
    rows = set(re.findall(r"^\| ([a-z_]+(?:\([a-z]+\))?) \|", doc, flags=re.MULTILINE))
    documented = {re.sub(r"\(.*\)", "", row) for row in rows}
    present = {
        name
        for name in layer_names("layers")
        if (ROOT / "linea_core" / name).is_dir() or (ROOT / "linea_core" / f"{name}.py").is_file()
    }
    missing = present - documented - {"__main__"}
    assert not missing, f"layers without a row in docs/architecture.md: {sorted(missing)}"


@pytest.fixture
def fake_project(tmp_path: Path) -> Path:
    """A tiny linea_core and a plugin distribution, to check our contract type."""
    core = tmp_path / "linea_core"
    (core / "store").mkdir(parents=True)
    (core / "__init__.py").write_text("")
    (core / "store" / "__init__.py").write_text("")
    plugin = tmp_path / "plugins" / "linea-oddname" / "oddname_writer"
    plugin.mkdir(parents=True)
    (plugin / "__init__.py").write_text("")
    tools = tmp_path / "tools"
    tools.mkdir()
    (tools / "__init__.py").write_text("")
    (tools / "import_contracts.py").write_text((ROOT / "tools" / "import_contracts.py").read_text())
    (tmp_path / "setup.cfg").write_text(
        "[importlinter]\n"
        "root_package = linea_core\n"
        "include_external_packages = True\n"
        "contract_types =\n"
        "    no_plugin_imports: tools.import_contracts.NoPluginImportsContract\n"
        "[importlinter:contract:plugins]\n"
        "name = core never imports a plugin package\n"
        "type = no_plugin_imports\n"
        "source = linea_core\n"
    )
    return tmp_path


@pytest.mark.parametrize(
    ("code", "package"),
    [
        ("import linea_airflow\n", "linea_airflow"),
        ("def later():\n    from linea_s3.backend import S3\n", "linea_s3"),
        ("import oddname_writer\n", "oddname_writer"),  # a plugins/ package of any name
    ],
)
def test_core_importing_a_plugin_breaks_the_contract(
    fake_project: Path, code: str, package: str
) -> None:
    (fake_project / "linea_core" / "store" / "backends.py").write_text(code)
    result = run_lint_imports(fake_project, fake_project / "setup.cfg")
    assert result.returncode == 1, result.stdout + result.stderr
    assert f"linea_core.store.backends imports plugin package {package}" in result.stdout


def test_core_importing_libraries_keeps_the_contract(fake_project: Path) -> None:
    (fake_project / "linea_core" / "store" / "backends.py").write_text(
        "import json\nimport pluggy\nimport linea_core.store\n"
    )
    result = run_lint_imports(fake_project, fake_project / "setup.cfg")
    assert result.returncode == 0, result.stdout + result.stderr
