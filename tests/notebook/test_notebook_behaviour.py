"""The notebook with the extension behaves as without it, and sessions start over cleanly."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import nbformat
import pytest
from notebook_kit import EXAMPLES, assert_runs_alone, kernel, plain, run_notebook

import linea_core as lineapy

pytestmark = pytest.mark.slow

# What a user does in notebooks, cell by cell; run with and without the extension.
HABITS = [
    "import pandas as pd\nimport matplotlib.pyplot as plt\n%matplotlib inline",
    "df = pd.DataFrame({'a': [1, 2, 3], 'b': [4.0, 5.5, 6.25]})\ndf",
    "df.a.sum()",
    "_ * 10",
    "print(_i)\nprint(__)\nOut[2].shape",
    "df.b.max();",
    "from IPython.display import display, Markdown\ndisplay(Markdown('**bold**'))\ndisplay(df.head(1))\nprint('printed')",
    "x = 1\ny = x / 0\nz = 2",
    "import helper_module\nhelper_module.fail()",
    "raise KeyboardInterrupt",
    "%time total = df.a.sum() + 1",
    "%%time\nsquares = [i * i for i in range(100)]\nlen(squares)",
    "%%capture captured\nprint('swallowed')\nsecret = 42",
    "captured.stdout, secret",
    "!echo from the shell",
    "plt.plot(df.a, df.b)\nplt.title('a vs b')\nplt.show()",
    "%run helper_module.py\nran_value",
    "%load_ext autoreload\n%autoreload 2",
    "def f(n):\n    return n + 1\n[f(i) for i in range(3)]",
    "class Point:\n    def __init__(self, x):\n        self.x = x\n    def __repr__(self):\n        return f'Point({self.x})'\nPoint(3)",
    "'a string as the last expression'",
    "del x\nx",
]
HELPER = "ran_value = 'from %run'\n\n\ndef fail():\n    raise ValueError('raised in a module')\n"
# IPython prints 3 significant digits: 999.7 ns comes out as "1e+03 ns".
_TIMES = re.compile(r"\d+(\.\d+)?(e[+-]?\d+)? ?(ns|µs|μs|us|ms|s)\b")
_ADDRESS = re.compile(r"0x[0-9a-f]+")


def normalised(outputs: list[dict]) -> list[dict]:
    """Outputs with timings and object addresses blanked (they differ on every run)."""
    out = []
    for output in outputs:
        item = dict(output)
        item.pop("execution_count", None)
        if "text" in item:
            item["text"] = _ADDRESS.sub("0x", _TIMES.sub("T", item["text"]))
        if "traceback" in item:
            item["traceback"] = [_ADDRESS.sub("0x", line) for line in item["traceback"]]
        if "data" in item:
            item["data"] = {
                k: _ADDRESS.sub("0x", v) if isinstance(v, str) else v
                for k, v in item["data"].items()
            }
        item.pop("metadata", None) if not item.get("metadata") else None
        out.append(item)
    return out


def write_habits(folder: Path, *, with_extension: bool) -> Path:
    first = "%load_ext linea_core" if with_extension else "pass"
    nb = nbformat.v4.new_notebook(
        cells=[nbformat.v4.new_code_cell(c) for c in [first, *HABITS]],
        metadata={
            "kernelspec": {"name": "python3", "language": "python", "display_name": "Python 3"}
        },
    )
    path = folder / ("with.ipynb" if with_extension else "without.ipynb")
    nbformat.write(nb, str(path))
    (folder / "helper_module.py").write_text(HELPER)
    return path


def test_outputs_are_the_same_with_and_without_the_extension(tmp_path: Path) -> None:
    runs = {}
    for flag in (True, False):  # same folder: tracebacks name the same files
        runs[flag] = run_notebook(write_habits(tmp_path, with_extension=flag), tmp_path)
    traced, plain_runs = runs[True][1:], runs[False][1:]
    for with_ext, without in zip(traced, plain_runs, strict=True):
        assert normalised(with_ext.outputs) == normalised(without.outputs), with_ext.source
    # and the habits did what they do: results, errors, interrupts, captures
    by_source = {run.source: run for run in traced}
    assert by_source["_ * 10"].data("text/plain") == ["np.int64(60)"]
    assert by_source["df.b.max();"].outputs == []
    assert by_source["x = 1\ny = x / 0\nz = 2"].error["ename"] == "ZeroDivisionError"
    assert by_source["raise KeyboardInterrupt"].error["ename"] == "KeyboardInterrupt"
    module_error = plain(
        "\n".join(by_source["import helper_module\nhelper_module.fail()"].error["traceback"])
    )
    assert "raised in a module" in module_error and "linea_core" not in module_error
    assert by_source["captured.stdout, secret"].data("text/plain") == ["('swallowed\\n', 42)"]
    assert by_source["del x\nx"].error["ename"] == "NameError"


def test_iris_getting_started_notebook(tmp_path: Path) -> None:
    work = tmp_path / "examples"
    shutil.copytree(EXAMPLES, work, ignore=shutil.ignore_patterns("*.py"))
    runs = run_notebook(work / "iris_getting_started.ipynb", work)
    assert not [run for run in runs if run.error]
    code = lineapy.get("iris_model").get_code()
    assert code == (
        "import pandas as pd\n"
        "from sklearn.linear_model import LinearRegression\n"
        'df = pd.read_csv("data/iris.csv")\n'
        'color_map = {"Setosa": "green", "Versicolor": "blue", "Virginica": "red"}\n'
        'df["variety_color"] = df["variety"].map(color_map)\n'
        'df["d_versicolor"] = df["variety"].apply(lambda x: 1 if x == "Versicolor" else 0)\n'
        'df["d_virginica"] = df["variety"].apply(lambda x: 1 if x == "Virginica" else 0)\n'
        "mod = LinearRegression()\n"
        "mod.fit(\n"
        '    X=df[["petal.width", "d_versicolor", "d_virginica"]],\n'
        '    y=df["sepal.width"],\n'
        ")\n"
    )
    printed = next(run for run in runs if run.source == "print(artifact.get_code())")
    assert printed.stdout == code + "\n"
    assert_runs_alone("iris_model", work)
    # the session code is every cell as it ran (after the %load_ext cell), up to the
    # cell printing it
    cells = [run.source for run in runs[1:]]
    printing = cells.index("print(artifact.get_session_code())")
    shown = next(run for run in runs if run.source == cells[printing]).stdout
    assert shown == "\n".join(cells[: printing + 1]) + "\n"
    # the picture cell shows an SVG naming the artifact
    svg = next(run for run in runs if run.source == "artifact.visualize()").data("image/svg+xml")
    assert svg and "iris_model" in svg[0] and "LinearRegression()" in svg[0]


def test_kernel_restart_and_a_new_database_start_new_sessions(tmp_path: Path) -> None:
    notebook = tmp_path / "sessions.ipynb"
    nbformat.write(nbformat.v4.new_notebook(cells=[]), str(notebook))
    other_db = tmp_path / "other.sqlite"
    with kernel(notebook, tmp_path) as k:
        k.code("%load_ext linea_core")
        k.code("import linea_core as lineapy\na = [1]\nlineapy.save(a, 'a');")
        k.restart()
        k.code("%load_ext linea_core")
        k.code("import linea_core as lineapy\nb = [2]\nlineapy.save(b, 'b');")
        k.code(f"lineapy.options.set('database_url', 'sqlite:///{other_db}')")
        k.code("c = b + [3]\nlineapy.save(c, 'c');")
        errors = [run for run in k.runs if run.error]
        assert not errors, plain("\n".join(errors[0].error["traceback"]))
    first, second = lineapy.get("a"), lineapy.get("b")
    session_of = lambda artifact: artifact.get_metadata()["lineapy"]["session_id"]  # noqa: E731
    assert session_of(first) != session_of(second)
    assert (
        first.get_session_code() == "import linea_core as lineapy\na = [1]\nlineapy.save(a, 'a');"
    )
    assert second.get_code() == "b = [2]\n"
    # after the database moved, the next cell is a new session in the new database;
    # what existed before is named, not silently assumed
    from linea_core.context import LineaContext, use_context

    with use_context(LineaContext()):
        lineapy.options.set("database_url", f"sqlite:///{other_db}")
        moved = lineapy.get("c")
        assert moved.get_code() == (
            "# linea: defined before linea started tracing, not recreated here: b\nc = b + [3]\n"
        )
        assert session_of(moved) != session_of(second)


def test_extension_enabled_for_everyone_by_configuration(tmp_path: Path) -> None:
    """``c.InteractiveShellApp.extensions = ["linea_core"]``: cells traced without %load_ext."""
    profile = tmp_path / "ipython" / "profile_default"
    profile.mkdir(parents=True)
    (profile / "ipython_kernel_config.py").write_text(
        'c.InteractiveShellApp.extensions = ["linea_core"]\n'
    )
    notebook = tmp_path / "admin.ipynb"
    nbformat.write(nbformat.v4.new_notebook(cells=[]), str(notebook))
    with kernel(notebook, tmp_path, env={"IPYTHONDIR": str(tmp_path / "ipython")}) as k:
        k.code("import linea_core as lineapy\nitems = [3, 1, 2]\nprint('noise')")
        k.code("items.sort()\nlineapy.save(items, 'items');")
    assert lineapy.get("items").get_code() == "items = [3, 1, 2]\nitems.sort()\n"
    assert_runs_alone("items", tmp_path)
