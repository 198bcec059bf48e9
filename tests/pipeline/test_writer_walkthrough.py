"""docs/plugins.md's "Writing a pipeline writer" builds a plugin; build it from the page
and run its own tests, so the walkthrough stays true."""

from __future__ import annotations

import importlib
import re
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from linea_core.plugins.host import PluginHost
from linea_core.testing import LineaSandbox, linea_sandbox

DOC = (Path(__file__).resolve().parents[2] / "docs" / "plugins.md").read_text()
SECTION = DOC.split("## Writing a pipeline writer", 1)[1].split("\n## ", 1)[0]
MARKER = re.compile(r"^(?:# file: (\S+)|\{# file: (\S+) #\})\n")


def documented_files() -> dict[str, str]:
    files = {}
    for block in re.findall(r"```(?:python|jinja)\n(.*?)```", SECTION, flags=re.DOTALL):
        found = MARKER.match(block)
        if found:
            files[found.group(1) or found.group(2)] = block[found.end() :]
    return files


@pytest.fixture
def plugin_package(tmp_path: Path) -> Iterator[Path]:
    root = tmp_path / "linea-tasks"
    for name, text in documented_files().items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    (root / "linea_tasks" / "__init__.py").write_text("")
    sys.path.insert(0, str(root))
    try:
        yield root
    finally:
        sys.path.remove(str(root))
        for name in [m for m in sys.modules if m == "linea_tasks" or m.startswith("linea_tasks.")]:
            del sys.modules[name]


@pytest.fixture
def tasks_sandbox(plugin_package: Path, tmp_path: Path) -> Iterator[LineaSandbox]:
    plugin = importlib.import_module("linea_tasks.plugin")
    with linea_sandbox(tmp_path / "sandbox", plugins=PluginHost.with_builtins(plugin)) as box:
        yield box


def test_the_page_has_every_file_of_the_plugin() -> None:
    assert sorted(documented_files()) == [
        "linea_tasks/options.py",
        "linea_tasks/plugin.py",
        "linea_tasks/templates/tasks.py.j2",
        "tests/test_tasks_writer.py",
    ]


def test_the_documented_plugins_tests_pass(
    plugin_package: Path, tasks_sandbox: LineaSandbox, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tasks_sandbox.work)
    namespace: dict[str, object] = {"__name__": "test_tasks_writer"}
    source = (plugin_package / "tests" / "test_tasks_writer.py").read_text()
    exec(compile(source, "test_tasks_writer.py", "exec"), namespace)
    tests = [name for name in namespace if name.startswith("test_")]
    assert len(tests) == 2
    for name in tests:
        namespace[name](tasks_sandbox)  # type: ignore[operator]


@pytest.mark.parametrize("breakdown", ["artifact", "session", "pipeline"])
def test_the_documented_writer_runs_the_iris_pipeline(
    tasks_sandbox: LineaSandbox, breakdown: str
) -> None:
    from sources import DATA, IRIS_ARTIFACTS, IRIS_PARAMETERS, iris_code

    from linea_core.testing import assert_all_ok, check_values, run_command

    tasks_sandbox.write_files({"iris.csv": (DATA / "iris.csv").read_bytes()})
    tasks_sandbox.trace(iris_code())
    output = tasks_sandbox.to_pipeline(
        IRIS_ARTIFACTS,
        framework="tasks",
        pipeline_name="iris_pipeline",
        input_parameters=IRIS_PARAMETERS,
        pipeline_dag_config={"breakdown": breakdown, "data_location": "values"},
    )
    run_command(
        [sys.executable, output / "iris_pipeline_tasks.py", "--run-id", "run-1"],
        cwd=tasks_sandbox.work,
    )
    pipeline = tasks_sandbox.pipeline(
        IRIS_ARTIFACTS, pipeline_name="iris_pipeline", input_parameters=IRIS_PARAMETERS
    )
    graph = pipeline.task_graph(breakdown)
    where = {a: t.name for t in graph.tasks for a in t.artifacts}
    produce = f"""
import pickle
def load(task, name):
    with open({str(output / "values" / "run-1")!r} + f"/{{task}}/artifact-{{name}}.pickle", "rb") as f:
        return pickle.load(f)
actual = {{name: load(task, name) for name, task in {where!r}.items()}}
"""
    expected = tasks_sandbox.stored_values(IRIS_ARTIFACTS)
    assert_all_ok(check_values(produce, expected, cwd=tasks_sandbox.work))
