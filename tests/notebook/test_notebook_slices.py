"""Real notebooks in real kernels: every slice exactly, and each one run alone in a new process.

Cells are sent to the kernel in the order a user ran them (out of order, repeated,
edited), so these tests hold the promise that a slice follows execution order.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from notebook_kit import assert_runs_alone, kernel, plain, run_alone, run_notebook

import linea_core as lineapy

pytestmark = pytest.mark.slow


def code(name: str, version: int | None = None) -> str:
    return lineapy.get(name, version).get_code()


def test_out_of_order_repeated_edited_and_deleted(workdir: Path) -> None:
    with kernel(workdir / "out_of_order.ipynb", workdir) as k:
        # scale = 10 (a cell further down the page) runs before the area is first computed
        k.run_all([0, 1, 2, 7, 4, 3, 4, 5, 6, 8, 9, 9, 9, 10, 11])
        # the summary cell edited (mean -> median) and run again, then saved again
        edited = 'summary = df.groupby("variety")["petal.area"].median()\nsummary'
        k.run(5, edited)
        k.run(6)
        failed = [run for run in k.runs if run.error]
        assert not failed, plain("\n".join(failed[0].error["traceback"]))

    assert code("area_by_variety", 0) == (
        "import pandas as pd\n"
        'df = pd.read_csv("data/iris.csv")\n'
        "scale = 10\n"
        'df["petal.area"] = df["petal.length"] * df["petal.width"] * scale\n'
        "scale = 2\n"
        'df["petal.area"] = df["petal.length"] * df["petal.width"] * scale\n'
        'summary = df.groupby("variety")["petal.area"].mean()\n'
    )
    assert code("area_by_variety", 1).endswith(
        'summary = df.groupby("variety")["petal.area"].median()\n'
    )
    assert code("counter") == "counter = 0\ncounter += 1\ncounter += 1\ncounter += 1\n"
    for name, version in [("area_by_variety", 0), ("area_by_variety", 1), ("counter", 0)]:
        assert_runs_alone(name, workdir, version)

    # the session code is what ran, cell after cell, in the order it ran
    session = lineapy.get("counter").get_session_code()
    sent = [run.source for run in k.runs if run.index != 0]
    assert session.startswith("\n".join(sent[: sent.index("counter = 0") + 1]))


def test_a_failing_cell_keeps_what_ran_before_the_error(workdir: Path) -> None:
    runs = run_notebook(workdir / "failing_cell.ipynb", workdir)
    assert runs[2].error["ename"] == "ZeroDivisionError"
    assert runs[4].error["ename"] == "NameError"  # `ratio = total / 0` bound nothing
    # the traceback shows the user's cell only, as without linea
    traceback = plain("\n".join(runs[2].error["traceback"]))
    assert "linea_core" not in traceback and "----> 3 ratio = total / 0" in traceback

    assert code("values") == "values = [1, 2, 3]\nvalues.append(4)\n"
    assert code("total") == "values = [1, 2, 3]\nvalues.append(4)\ntotal = sum(values)\n"
    assert code("values_again") == code("values")
    for name in ("values", "total", "values_again"):
        assert_runs_alone(name, workdir)
    assert lineapy.get("values").get_value() == [1, 2, 3, 4]


def test_loading_mid_session_warns_and_slices_name_what_is_missing(workdir: Path) -> None:
    runs = run_notebook(workdir / "mid_session.ipynb", workdir)
    load = runs[1].stderr
    assert "LineaNotebookWarning" in load and "(pd, mean, prices)" in load
    assert load.count("LineaNotebookWarning") == 1
    assert all("LineaNotebookWarning" not in run.stderr for run in runs[2:4])

    assert code("avg") == (
        "from statistics import mean\n"
        "# linea: defined before linea started tracing, not recreated here: prices\n"
        "factor = 2\n"
        "doubled = [p * factor for p in prices]\n"
        "avg = mean(doubled)\n"
    )
    assert "needs prices, defined before linea started tracing" in runs[4].stderr
    done = run_alone("avg", workdir)
    # running it fails, saying what is missing (not with a different value)
    assert done.returncode != 0 and "prices, defined before linea started tracing" in done.stderr

    # a name that an import recreates exactly is no problem: no warning, runs alone
    assert code("series") == (
        "import pandas as pd\nfactor = 2\nseries = pd.Series([1, 2, 3]) * factor\n"
    )
    assert "LineaNotebookWarning" not in runs[5].stderr
    assert_runs_alone("series", workdir)


def test_magics_and_shell_escapes_are_kept_and_named(workdir: Path) -> None:
    runs = run_notebook(workdir / "magics.ipynb", workdir)
    assert not [run for run in runs if run.error]
    assert runs[2].stdout.strip() == "hello from the shell"
    assert "hidden" not in "".join(run.stdout for run in runs)  # %%capture still captures

    # no magic is needed by a value that only uses plain code
    assert code("plain") == "plain = [1, 2, 3]\n"
    assert_runs_alone("plain", workdir)
    # the file a shell command wrote: the command is named where it ran
    assert code("numbers") == (
        "# linea: needs IPython, not plain Python:\n"
        "# %%writefile helper.py\n"
        "# def double(x):\n"
        "#     return 2 * x\n"
        "# linea: needs IPython, not plain Python: !echo 4,5,6 > numbers.csv\n"
        'numbers = open("numbers.csv").read().strip().split(",")\n'
    )
    # a function defined by %run: the slice says so and is never passed off as runnable
    answer = code("answer")
    assert answer.endswith(
        "# linea: needs IPython, not plain Python: %run helper.py\nanswer = double(21)\n"
    )
    assert "needs what IPython ran for" in runs[6].stderr and "%run helper.py" in runs[6].stderr
    done = run_alone("answer", workdir)
    assert done.returncode != 0 and "name 'double' is not defined" in done.stderr

    session = lineapy.get("visible").get_session_code()
    assert "%%writefile helper.py\ndef double(x):" in session
    assert "!echo 4,5,6 > numbers.csv\n" in session and "%time timed = sum(range(10))" in session
