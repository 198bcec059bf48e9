"""``linea python`` behaves like ``python`` for the script, then prints or exports slices.

Run as real subprocesses: exit statuses, stderr tracebacks and ``sys.path[0]`` are only
faithful in a fresh interpreter.
"""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

pytestmark = pytest.mark.engine

LINEA = [sys.executable, "-m", "linea_core"]


def run(
    args: list[str], cwd: Path, command: list[str] | None = None
) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ)
    env.pop("PYTHONPATH", None)
    return subprocess.run(
        (command or LINEA) + args,
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def write(path: Path, code: str) -> Path:
    path.write_text(textwrap.dedent(code).lstrip("\n"))
    return path


SCRIPT = """
import os
import sys
import linea_core as lineapy
from helper_for_cli import double
print("argv", sys.argv[1:], __name__, __file__ == os.path.abspath(sys.argv[0]))
print("path0", sys.path[0])
values = [double(i) for i in range(4)]
noise = print("noise")
result = sum(values)
lineapy.save(result, "result")
if "boom" in sys.argv:
    def explode():
        raise ValueError("bad value")
    explode()
if "exit" in sys.argv:
    sys.exit(3)
if "exitmsg" in sys.argv:
    sys.exit("leaving")
print("done", file=sys.stderr)
"""


@pytest.fixture
def project(tmp_path: Path) -> Path:
    folder = tmp_path / "proj"
    folder.mkdir()
    write(folder / "helper_for_cli.py", "def double(x):\n    return 2 * x\n")
    write(folder / "script.py", SCRIPT)
    return folder


def test_same_output_and_status_as_python(project: Path) -> None:
    for extra in ([], ["a", "--flag"], ["exit"], ["exitmsg"]):
        plain = run(["script.py", *extra], project, command=[sys.executable])
        traced = run(["python", "script.py", *extra], project)
        assert traced.stdout == plain.stdout, extra
        assert traced.stderr == plain.stderr, extra
        assert traced.returncode == plain.returncode, extra


def test_script_sees_its_arguments_path_and_name(project: Path) -> None:
    traced = run(["python", "script.py", "a", "--flag"], project)
    assert traced.returncode == 0, traced.stderr
    assert "argv ['a', '--flag'] __main__ True" in traced.stdout
    assert f"path0 {project.resolve()}" in traced.stdout


def test_uncaught_exception_shows_only_user_frames(project: Path) -> None:
    plain = run(["script.py", "boom"], project, command=[sys.executable])
    traced = run(["python", "script.py", "boom"], project)
    assert traced.returncode == 1 == plain.returncode
    assert traced.stderr == plain.stderr
    assert "linea_core" not in traced.stderr
    assert traced.stderr.rstrip().endswith("ValueError: bad value")


def test_slice_is_printed_after_the_run(project: Path) -> None:
    traced = run(["python", "--slice", "result", "script.py"], project)
    assert traced.returncode == 0, traced.stderr
    expected_slice = (
        "from helper_for_cli import double\nvalues = [double(i) for i in range(4)]\n"
        "result = sum(values)\n"
    )
    assert traced.stdout.endswith(expected_slice)


def test_export_slice_writes_a_file(project: Path) -> None:
    traced = run(["python", "--slice", "result", "--export-slice", "out", "script.py"], project)
    assert traced.returncode == 0, traced.stderr
    exported = (project / "out.py").read_text()
    assert exported.endswith("result = sum(values)\n")
    rerun = run(["out.py"], project, command=[sys.executable])
    assert rerun.returncode == 0, rerun.stderr


def test_unknown_slice_name_is_a_clear_error(project: Path) -> None:
    traced = run(["python", "--slice", "nope", "script.py"], project)
    assert traced.returncode == 1
    assert "saved no artifact named 'nope'" in traced.stderr
    assert "result" in traced.stderr


def test_mismatched_export_and_slice_counts_are_refused_before_running(project: Path) -> None:
    traced = run(["python", "--export-slice", "a", "script.py"], project)
    assert traced.returncode == 2
    assert "noise" not in traced.stdout


def test_print_source_and_graph(project: Path) -> None:
    traced = run(["python", "--print-source", "--print-graph", "script.py"], project)
    assert traced.returncode == 0, traced.stderr
    assert "values = [double(i) for i in range(4)]" in traced.stdout
    assert "artifact_save" in traced.stdout
    assert "result = sum(values)   <- " in traced.stdout


def test_missing_script_behaves_like_python(tmp_path: Path) -> None:
    plain = run(["absent.py"], tmp_path, command=[sys.executable])
    traced = run(["python", "absent.py"], tmp_path)
    assert traced.returncode == plain.returncode == 2
    assert "can't open file" in traced.stderr


def test_syntax_error_is_reported_like_python(tmp_path: Path) -> None:
    write(tmp_path / "bad.py", "print('never')\nx = = 2\n")
    plain = run(["bad.py"], tmp_path, command=[sys.executable])
    traced = run(["python", "bad.py"], tmp_path)
    assert traced.returncode == plain.returncode == 1
    assert traced.stdout == "" == plain.stdout
    assert traced.stderr.splitlines()[-1] == plain.stderr.splitlines()[-1]
    assert "linea_core" not in traced.stderr
