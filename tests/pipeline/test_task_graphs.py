"""Task graphs: what writers render. Running the tasks as an orchestrator would (each
task alone, values handed over only through the declared inputs and outputs)
reproduces every artifact, for each breakdown and both ways of handing values over."""

from __future__ import annotations

import importlib.util
import sys
import types
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from sources import IRIS_ARTIFACTS, IRIS_DEPENDENCIES, IRIS_PARAMETERS

from linea_core.pipeline import HANDOFF_IMPORTS, Pipeline, TaskBreakdown, default_handoff
from linea_core.pipeline.files import module_file, write_files
from linea_core.testing import LineaSandbox, assert_same_value


def load_module(pipeline: Pipeline, folder: Path) -> types.ModuleType:
    [path] = write_files([module_file(pipeline)], folder)
    spec = importlib.util.spec_from_file_location(f"{pipeline.module_name}_{id(folder)}", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def run_tasks(
    pipeline: Pipeline,
    breakdown: TaskBreakdown,
    module: types.ModuleType,
    store: Callable[[str, str, Any], None],
    load: Callable[[str, str], Any],
    parameters: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """Run each task in its own namespace, in the graph's order; return artifact values."""
    values = {p.name: p.default for p in pipeline.parameters}
    values.update(parameters or {})
    done: set[str] = set()
    artifacts: dict[str, Any] = {}
    for task in pipeline.task_graph(breakdown).tasks:
        assert set(task.upstream) <= done, f"{task.name} runs before {task.upstream}"
        namespace: dict[str, Any] = {"module": module}
        namespace.update({name: values[name] for name in task.parameters})
        for item in task.inputs:
            assert item.task in task.upstream
            namespace[item.name] = load(item.task, item.variable)
        exec(task.code("module"), namespace)
        for name in task.outputs:
            store(task.name, name, namespace[name])
        for artifact, expression in task.artifacts.items():
            artifacts[artifact] = eval(expression, namespace)
        done.add(task.name)
    return artifacts


@pytest.fixture
def iris_model(iris: LineaSandbox) -> Pipeline:
    return iris.pipeline(
        IRIS_ARTIFACTS,
        pipeline_name="iris_pipeline",
        dependencies=IRIS_DEPENDENCIES,
        input_parameters=IRIS_PARAMETERS,
    )


def test_per_artifact_tasks_match_the_seed(iris_model: Pipeline) -> None:
    graph = iris_model.task_graph(TaskBreakdown.ARTIFACT)
    shared = "split_samples_for_artifact_iris_model_and_downstream"
    assert [t.name for t in graph.tasks] == [
        "iris_preprocessed",
        shared,
        "iris_model",
        "iris_model_evaluation",
    ]
    assert dict(graph.edges) == {
        "iris_preprocessed": frozenset(),
        shared: frozenset({"iris_preprocessed"}),
        "iris_model": frozenset({shared, "iris_preprocessed"}),
        "iris_model_evaluation": frozenset({shared, "iris_model"}),
    }
    assert graph.sinks == ("iris_model_evaluation",)
    split = graph.task(shared)
    assert split.parameters == ("random_state", "test_size")
    assert [(i.name, i.task, i.variable) for i in split.inputs] == [
        ("df", "iris_preprocessed", "df")
    ]
    assert split.outputs == ("split_samples",)
    assert dict(split.artifacts) == {}
    assert split.code("m") == (
        "split_samples = m.get_split_samples_for_artifact_iris_model_and_downstream("
        "df=df, random_state=random_state, test_size=test_size)"
    )
    assert dict(graph.task("iris_model").artifacts) == {"iris_model": "mod"}


@pytest.mark.parametrize("breakdown", list(TaskBreakdown))
def test_tasks_reproduce_the_artifacts_in_process(
    iris: LineaSandbox, iris_model: Pipeline, breakdown: TaskBreakdown
) -> None:
    module = load_module(iris_model, iris.root / "module")
    kept: dict[tuple[str, str], Any] = {}
    with iris.in_work():
        values = run_tasks(
            iris_model,
            breakdown,
            module,
            lambda task, name, value: kept.__setitem__((task, name), value),
            lambda task, name: kept[(task, name)],
        )
    assert sorted(values) == sorted(IRIS_ARTIFACTS)
    for name in IRIS_ARTIFACTS:
        assert_same_value(values[name], iris.store.load_value(iris.store.get_artifact(name)), name)


def test_tasks_reproduce_the_artifacts_through_pickled_hand_off(
    iris: LineaSandbox, iris_model: Pipeline, monkeypatch: pytest.MonkeyPatch
) -> None:
    handoff = default_handoff("iris_pipeline", "values")
    assert not handoff.needs_fsspec
    helpers: dict[str, Any] = {"__file__": str(iris.root / "dag.py")}
    exec("\n".join(HANDOFF_IMPORTS) + "\n" + handoff.source(), helpers)
    module = load_module(iris_model, iris.root / "module")
    with iris.in_work():
        values = run_tasks(
            iris_model,
            TaskBreakdown.ARTIFACT,
            module,
            lambda task, name, value: helpers["dump_value"](value, "run:1+x", task, name),
            lambda task, name: helpers["load_value"]("run:1+x", task, name),
        )
    stored = iris.root / "values" / "run_1_x"
    assert sorted(p.name for p in stored.iterdir()) == [
        "iris_model",
        "iris_preprocessed",
        "split_samples_for_artifact_iris_model_and_downstream",
    ]
    for name in IRIS_ARTIFACTS:
        assert_same_value(values[name], iris.store.load_value(iris.store.get_artifact(name)), name)
    # The location can be moved when the pipeline runs.
    monkeypatch.setenv(handoff.env_var, str(iris.root / "elsewhere"))
    moved: dict[str, Any] = {"__file__": str(iris.root / "dag.py")}
    exec("\n".join(HANDOFF_IMPORTS) + "\n" + handoff.source(), moved)
    moved["dump_value"]([1, 2], "r", "t", "v")
    assert moved["load_value"]("r", "t", "v") == [1, 2]
    assert (iris.root / "elsewhere" / "r" / "t" / "v.pickle").exists()
    moved["clear_values"]("r")
    assert not (iris.root / "elsewhere" / "r").exists()


def test_session_and_pipeline_breakdowns(iris_model: Pipeline) -> None:
    [session] = iris_model.task_graph("session").tasks
    assert session.name == "session_including_iris_preprocessed"
    assert session.parameters == ("random_state", "test_size", "url")
    assert session.code("m") == (
        "session_artifacts = m.run_session_including_iris_preprocessed("
        "random_state=random_state, test_size=test_size, url=url)"
    )
    [single] = iris_model.task_graph("pipeline").tasks
    assert single.name == "iris_pipeline"
    assert dict(single.artifacts) == {
        name: f"pipeline_artifacts[{name!r}]" for name in IRIS_ARTIFACTS
    }


def test_overridden_parameters_reach_the_tasks(iris: LineaSandbox, iris_model: Pipeline) -> None:
    module = load_module(iris_model, iris.root / "module")
    kept: dict[tuple[str, str], Any] = {}
    with iris.in_work():
        values = run_tasks(
            iris_model,
            TaskBreakdown.ARTIFACT,
            module,
            lambda task, name, value: kept.__setitem__((task, name), value),
            lambda task, name: kept[(task, name)],
            {"test_size": 0.5},
        )
        expected = module.run_all_sessions(test_size=0.5)
    for name in IRIS_ARTIFACTS:
        assert_same_value(values[name], expected[name], name)
    assert "support" in values["iris_model_evaluation"]
    assert sys.modules.get(module.__name__) is None  # loaded without registering it
