"""The launchers and `linea notebook` / `linea file`, run as a user runs them."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest
from notebook_kit import EXAMPLES, assert_runs_alone

import linea_core as lineapy

pytestmark = pytest.mark.slow
LINEA = str(Path(sys.executable).with_name("linea"))


def linea(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([LINEA, *args], cwd=cwd, capture_output=True, text=True, timeout=300)


def test_linea_ipython_loads_the_extension(tmp_path: Path) -> None:
    code = (
        "import linea_core as lineapy\nx = [1]\nx.append(2)\nprint(lineapy.save(x, 'x').get_code())"
    )
    done = linea("ipython", "--no-banner", "-c", code, cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert done.stdout == "x = [1]\nx.append(2)\n\n"


def test_linea_jupyter_kernels_trace_without_load_ext(tmp_path: Path) -> None:
    """`linea jupyter X` runs jupyter with a kernelspec whose kernels load linea; nbconvert
    executes a notebook through it exactly as `linea jupyter lab` kernels would run it."""
    cells = [
        "import linea_core as lineapy\nitems = [2, 1]",
        "items.sort()\nlineapy.save(items, 'items');",
    ]
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(c) for c in cells])
    nb.metadata["kernelspec"] = {
        "name": "python3",
        "display_name": "Python 3",
        "language": "python",
    }
    nbformat.write(nb, str(tmp_path / "plain.ipynb"))
    done = linea(
        "jupyter", "nbconvert", "--to", "notebook", "--execute", "plain.ipynb", cwd=tmp_path
    )
    assert done.returncode == 0, done.stderr
    assert lineapy.get("items").get_code() == "items = [2, 1]\nitems.sort()\n"
    # the user's own Jupyter data is untouched: the kernelspec lived in a temporary folder
    assert not list(tmp_path.glob("**/kernel.json"))
    kernels = linea("jupyter", "kernelspec", "list", "--json", cwd=tmp_path)
    spec = json.loads(kernels.stdout)["kernelspecs"]["python3"]["spec"]
    assert spec["argv"][-1] == "--ext=linea_core"
    notebook_help = linea("jupyter", "--", "notebook", "--help", cwd=tmp_path)
    assert notebook_help.returncode == 0 and "Jupyter Notebook" in notebook_help.stdout


def test_linea_notebook_prints_the_slice_of_an_expression(tmp_path: Path) -> None:
    work = tmp_path / "examples"
    shutil.copytree(EXAMPLES, work, ignore=shutil.ignore_patterns("*.py"))
    done = linea(
        "notebook", "iris_getting_started.ipynb", "scores", "df['sepal.width'] * 2", cwd=work
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout == lineapy.get("scores").get_code()
    assert done.stdout.endswith("scores = df['sepal.width'] * 2\n")
    assert "LinearRegression" not in done.stdout
    assert_runs_alone("scores", work)


def test_linea_file_prints_the_slice_of_an_expression(tmp_path: Path) -> None:
    (tmp_path / "script.py").write_text(
        "vals = [1, 2, 3]\nprint('noise')\nunused = 5\ntotal = sum(vals)\n"
    )
    done = linea("file", "script.py", "double_total", "total * 2", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert done.stdout == "noise\nvals = [1, 2, 3]\ntotal = sum(vals)\ndouble_total = total * 2\n"
    assert_runs_alone("double_total", tmp_path)
    bad = linea("file", "script.py", "x", "total +", cwd=tmp_path)
    assert bad.returncode != 0 and "is not a Python expression" in bad.stderr
