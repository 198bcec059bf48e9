"""Every distribution in the repository builds (sdist, then a wheel from that sdist) and
installs into a fresh environment that has nothing but what the wheels declare.

An editable install hides packaging mistakes: a data file missing from package-data, a
dependency imported but not declared, an entry point naming a module that is not
shipped. This test is the user's ``pip install linea-core linea-airflow`` in miniature.
Dependencies come from the package index through uv's cache; nothing else is fetched.
"""

from __future__ import annotations

import configparser
import email.parser
import json
import os
import subprocess
import sys
import zipfile
from dataclasses import dataclass
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
UV = [sys.executable, "-m", "uv"]

# A user's script with two type errors, checked against the installed wheel: py.typed and
# the TYPE_CHECKING imports of the lazy names are what make these visible in an editor.
USER_SCRIPT = """\
import linea_core as lineapy

artifact = lineapy.save([1, 2, 3], 42)
reveal_type(lineapy.get)
reveal_type(artifact)
lineapy.delete("numbers", version=1.5)
"""


@dataclass(frozen=True)
class Built:
    source: Path
    sdist: Path
    wheel: Path

    def _read(self, suffix: str) -> str | None:
        with zipfile.ZipFile(self.wheel) as archive:
            for name in archive.namelist():
                if name.endswith(suffix) and name.count("/") == 1 and ".dist-info/" in name:
                    return archive.read(name).decode("utf-8")
        return None

    @property
    def name(self) -> str:
        metadata = self._read(".dist-info/METADATA")
        assert metadata is not None, f"{self.wheel.name} has no METADATA"
        return str(email.parser.Parser().parsestr(metadata)["Name"])

    @property
    def top_level(self) -> list[str]:
        """What the wheel installs at the top of site-packages (packages and modules)."""
        with zipfile.ZipFile(self.wheel) as archive:
            names = {
                path.split("/", 1)[0].removesuffix(".py")
                for path in archive.namelist()
                if not path.split("/", 1)[0].endswith((".dist-info", ".data", ".pth"))
            }
        return sorted(names)

    @property
    def untyped_packages(self) -> list[str]:
        """Top-level packages in the wheel without the ``py.typed`` marker (PEP 561)."""
        with zipfile.ZipFile(self.wheel) as archive:
            names = archive.namelist()
        packages = {path.split("/", 1)[0] for path in names if path.endswith("/__init__.py")}
        packages = {p for p in packages if f"{p}/__init__.py" in names}
        return sorted(p for p in packages if f"{p}/py.typed" not in names)

    @property
    def linea_plugins(self) -> list[str]:
        """The names this distribution registers in the ``linea`` entry-point group."""
        text = self._read(".dist-info/entry_points.txt")
        if text is None:
            return []
        parser = configparser.ConfigParser(delimiters=("=",))
        parser.optionxform = str  # type: ignore[assignment,method-assign]  # keep case
        parser.read_string(text)
        return sorted(parser["linea"]) if parser.has_section("linea") else []


def distributions() -> list[Path]:
    """The root project and every plugins/<dist>/ with a pyproject.toml."""
    return [REPO, *sorted(p.parent for p in (REPO / "plugins").glob("*/pyproject.toml"))]


def run(command: list[str], cwd: Path) -> subprocess.CompletedProcess[str]:
    # As a user's shell has it: the test suite's own plugin selection (LINEA_LOAD_PLUGINS)
    # would hide the very plugins this test installs.
    env = {
        key: value
        for key, value in os.environ.items()
        if key != "VIRTUAL_ENV" and (key == "LINEA_HOME_DIR" or not key.startswith("LINEA_"))
    }
    result = subprocess.run(
        command, cwd=cwd, env=env, capture_output=True, text=True, timeout=900, check=False
    )
    assert result.returncode == 0, (
        f"{' '.join(command)} failed ({result.returncode}):\n{result.stdout}\n{result.stderr}"
    )
    return result


def build(source: Path, out: Path) -> Built:
    # uv builds the sdist, then the wheel from the unpacked sdist: a file the sdist leaves
    # out is missing from the wheel too, and the checks below notice. Build dependencies
    # come from this venv (--no-build-isolation), so building needs no index.
    run(
        [*UV, "build", "--quiet", "--no-build-isolation", "--python", sys.executable,
         "--out-dir", str(out), str(source)],
        REPO,
    )  # fmt: skip
    sdists = sorted(out.glob("*.tar.gz"))
    wheels = sorted(out.glob("*.whl"))
    assert len(sdists) == 1 and len(wheels) == 1, f"{source}: built {sdists + wheels}"
    return Built(source, sdists[0], wheels[0])


def test_every_plugin_package_is_marked_typed() -> None:
    """Each plugin package has ``py.typed`` and its pyproject ships it (the slow test
    below checks the built wheels; this catches a new plugin without building)."""
    if sys.version_info >= (3, 11):
        import tomllib
    else:  # pytest itself depends on tomli before 3.11
        import tomli as tomllib

    missing = []
    for source in distributions()[1:]:
        setuptools = tomllib.loads((source / "pyproject.toml").read_text())["tool"]["setuptools"]
        for package in setuptools["packages"]:
            shipped = setuptools.get("package-data", {}).get(package, [])
            if not (source / package / "py.typed").is_file() or "py.typed" not in shipped:
                missing.append(f"{source.name}/{package}")
    assert len(distributions()) >= 6
    assert missing == [], (
        f"add an empty py.typed to {missing} and list it in [tool.setuptools.package-data]"
    )


@pytest.mark.slow
def test_every_distribution_builds_and_installs_into_a_fresh_environment(tmp_path: Path) -> None:
    built = [build(source, tmp_path / "dist" / source.name) for source in distributions()]
    names = [b.name for b in built]
    assert names[0] == "linea-core"
    assert len(set(names)) == len(names), f"two distributions share a name: {names}"

    venv = tmp_path / "venv"
    run([*UV, "venv", "--quiet", "--python", sys.executable, str(venv)], tmp_path)
    python = venv / "bin" / "python"
    run(
        [*UV, "pip", "install", "--quiet", "--python", str(python), *(str(b.wheel) for b in built)],
        tmp_path,
    )

    untyped = {b.name: b.untyped_packages for b in built if b.untyped_packages}
    assert untyped == {}, f"wheels whose packages lack py.typed: {untyped}"

    modules = sorted({module for b in built for module in b.top_level})
    assert "linea_core" in modules
    probe = (
        "import importlib, importlib.resources, sys\n"
        "for name in sys.argv[1:]:\n"
        "    importlib.import_module(name)\n"
        "assert importlib.resources.files('linea_core').joinpath('py.typed').is_file()\n"
        "import linea_core as lineapy\n"
        "print(lineapy.save.__module__)\n"
    )
    imported = run([str(python), "-c", probe, *modules], tmp_path)
    assert imported.stdout.strip() == "linea_core.api.functions"

    listed = run([str(venv / "bin" / "linea"), "plugins", "list", "--json"], tmp_path)
    plugins = {entry["name"]: entry for entry in json.loads(listed.stdout)}
    for b in built:
        for plugin in b.linea_plugins:
            assert plugin in plugins, f"{b.name}'s plugin {plugin!r} is not listed: {plugins}"
            entry = plugins[plugin]
            assert entry["distribution"] == b.name
            assert entry["error"] is None, f"{b.name}'s plugin {plugin!r}: {entry['error']}"
    core_backends = {
        backend
        for entry in plugins.values()
        if entry["distribution"] == "linea-core"
        for backend in entry["provides"]["storage_backends"]
    }
    assert "lineapy" in core_backends  # core's built-ins load from the installed wheel too
    assert run([str(venv / "bin" / "linea"), "plugins", "list"], tmp_path).stdout.strip()

    check_users_types(python, tmp_path / "user")


def check_users_types(python: Path, folder: Path) -> None:
    """mypy (this venv's) on a user's script, finding linea_core in the fresh venv."""
    folder.mkdir()
    (folder / "user_script.py").write_text(USER_SCRIPT)
    result = subprocess.run(
        [sys.executable, "-m", "mypy", "--python-executable", str(python), "--no-incremental",
         "--cache-dir", str(folder / ".cache"), "user_script.py"],
        cwd=folder, capture_output=True, text=True, timeout=600, check=False,
    )  # fmt: skip
    out = result.stdout
    assert result.returncode == 1, out + result.stderr
    assert 'Argument 2 to "save" has incompatible type "int"; expected "str"' in out, out
    assert 'Argument "version" to "delete" has incompatible type "float"' in out, out
    assert "def (artifact_name: str, version: int | None =) -> linea_core.api.artifact" in out, out
    assert 'Revealed type is "linea_core.api.artifact.LineaArtifact"' in out, out
    assert "Found 2 errors in 1 file" in out, out
