"""A third-party plugin (tests/plugins/third_party/linea-toyflow), pip-installed into a fresh venv.

This is the path every outside plugin takes: a distribution declaring an entry point in
the ``linea`` group, installed by pip, found by ``linea plugins list`` and then used.
linea-core itself is pip-installed (editable, from this checkout) into the venv too; its
dependencies are visible through a ``site.addsitedir`` line pointing at the test
interpreter's site-packages, so nothing is downloaded.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import sysconfig
from pathlib import Path

import pytest

from linea_core.plugins.host import PluginHost, PluginSelection

REPO = Path(__file__).resolve().parents[2]

# The package as a third party would publish it: its own pyproject and entry point.
PLUGIN_SOURCE = Path(__file__).resolve().parent / "third_party" / "linea-toyflow"

USE_PLUGIN = """
import io, json, os, sys
from pathlib import Path
import linea_core as lineapy
from linea_core.plugins.host import PluginHost

os.chdir(sys.argv[1])
lineapy.trace("import linea_core as lineapy\\nrows = [1, 2]\\nlineapy.save(rows, 'load')\\n"
              "total = sum(rows)\\nlineapy.save(total, 'train')\\n")
out = lineapy.to_pipeline(["load", "train"], framework="toyflow", pipeline_name="toy",
                          output_dir="toyout", pipeline_dag_config={"arrow": " => "})
host = PluginHost.installed()
serializer = next(s for s in host.serializers() if s.name == "toy-json")
stream = io.BytesIO()
serializer.dump({"rows": [1, 2]}, stream)
stream.seek(0)
print(json.dumps({
    "written": sorted(str(p) for p in Path(out).iterdir()),
    "text": (Path(out) / "toy_dag.txt").read_text(),
    "roundtrip": serializer.load(stream),
    "first_serializer": next(s.name for s in host.serializers() if s.can_serialize({"rows": [1, 2]})),
}))
"""


def run(args: list[str], env: dict[str, str], cwd: Path) -> subprocess.CompletedProcess[str]:
    result = subprocess.run(args, env=env, cwd=cwd, capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, f"{args} failed:\n{result.stdout}\n{result.stderr}"
    return result


@pytest.mark.slow
def test_pip_installed_plugin_is_listed_and_used(tmp_path: Path) -> None:
    # A copy, so the build's egg-info and caches never land in the repository.
    package = tmp_path / "linea-toyflow"
    shutil.copytree(
        PLUGIN_SOURCE, package, ignore=shutil.ignore_patterns("*.egg-info", "__pycache__", "build")
    )

    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True)
    python = venv / "bin" / "python"
    venv_site = subprocess.run(
        [str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout.strip()
    parent_site = sysconfig.get_paths()["purelib"]
    (Path(venv_site) / "_linea_test_parent.pth").write_text(
        f"import site; site.addsitedir({parent_site!r})\n"
    )
    env = {
        "PATH": os.environ["PATH"],
        "HOME": str(tmp_path),
        "LINEA_HOME_DIR": str(tmp_path / "linea_home"),
        "PIP_DISABLE_PIP_VERSION_CHECK": "1",
        "PIP_NO_INPUT": "1",
    }
    run(
        [sys.executable, "-m", "pip", "--python", str(python), "install", "--quiet",
         "--no-deps", "--no-build-isolation", "--no-index", "-e", str(REPO), str(package)],
        env, tmp_path,
    )  # fmt: skip
    linea = str(venv / "bin" / "linea")

    listed = run([linea, "plugins", "list", "--json"], env, tmp_path)
    plugins = {entry["name"]: entry for entry in json.loads(listed.stdout)}
    toy = plugins["toyflow"]
    assert toy["distribution"] == "linea-toyflow"
    assert toy["version"] == "0.3.1"
    assert toy["module"] == "linea_toyflow.plugin"
    assert toy["error"] is None
    assert toy["hooks"] == [
        "linea_register_commands",
        "linea_register_pipeline_writers",
        "linea_register_serializers",
    ]
    assert toy["provides"]["pipeline_writers"] == ["TOYFLOW"]
    assert toy["provides"]["serializers"] == ["toy-json"]
    assert toy["provides"]["commands"] == ["toyflow"]
    assert plugins["linea_core.writers.script"]["distribution"] == "linea-core"

    text = run([linea, "plugins", "list"], env, tmp_path).stdout
    assert "toyflow  (linea-toyflow 0.3.1)" in text
    assert "pipeline frameworks: TOYFLOW" in text

    greeted = run([linea, "toyflow", "world"], env, tmp_path)
    assert greeted.stdout.strip() == "toyflow says hello to world"

    used = run([str(python), "-c", USE_PLUGIN, str(tmp_path)], env, tmp_path)
    result = json.loads(used.stdout.strip().splitlines()[-1])
    assert result["written"] == ["toyout/toy_dag.txt"]
    assert result["text"] == "toyflow dag: load => train\n"
    assert result["roundtrip"] == {"rows": [1, 2]}
    assert result["first_serializer"] == "toy-json"  # priority 50 comes before pickle (100)

    # Installed only into the test venv: the outer environment does not see it.
    assert "toyflow" not in {info.name for info in PluginHost.from_entry_points().plugins()}
    assert "toyflow" not in {
        info.name for info in PluginHost.installed(selection=PluginSelection()).plugins()
    }
