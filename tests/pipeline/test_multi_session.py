"""Artifacts of several sessions: ordered by dependencies, values handed across sessions."""

from __future__ import annotations

import sys

import pytest
from sources import DATA

from linea_core.pipeline import DependencyCycleError
from linea_core.testing import LineaSandbox, assert_all_ok, run_command, run_module_script

PREPARE = """
import pandas as pd
import linea_core as lineapy

lineapy.tag("prepare")
source = "iris.csv"
df = pd.read_csv(source)
df = df[df["variety"] != "Setosa"].reset_index(drop=True)
df["is_virginica"] = (df["variety"] == "Virginica").astype(int)
lineapy.save(df, "two_species")
summary = df.groupby("variety")["petal.length"].mean()
lineapy.save(summary, "petal_means")
"""

TRAIN = """
import linea_core as lineapy
from sklearn.linear_model import LogisticRegression

lineapy.tag("train")
data = lineapy.get("two_species").get_value()
C = {C}
model = LogisticRegression(C=C, max_iter=500)
model.fit(data[["petal.length", "petal.width"]], data["is_virginica"])
lineapy.save(model, "virginica_model{suffix}")
accuracy = model.score(data[["petal.length", "petal.width"]], data["is_virginica"])
lineapy.save(accuracy, "virginica_accuracy{suffix}")
"""

ARTIFACTS = ["virginica_model", "virginica_accuracy", "two_species", "petal_means"]


@pytest.fixture
def two_sessions(linea_sandbox: LineaSandbox) -> LineaSandbox:
    linea_sandbox.write_files({"iris.csv": (DATA / "iris.csv").read_bytes()})
    linea_sandbox.trace(PREPARE)
    linea_sandbox.trace(TRAIN.format(C=1.0, suffix=""))
    return linea_sandbox


def test_sessions_run_in_dependency_order_and_hand_artifacts_on(two_sessions: LineaSandbox) -> None:
    pipeline = two_sessions.pipeline(
        ARTIFACTS,
        pipeline_name="virginica",
        dependencies={"virginica_model": {"two_species"}},
        input_parameters=["source", "C"],
    )
    prepare, train = pipeline.sessions
    assert (prepare.name, train.name) == ("prepare", "train")
    assert prepare.artifacts == ("two_species", "petal_means")
    assert [(i.name, i.artifact) for i in train.inputs] == [("two_species", "two_species")]
    assert train.parameters == ("C",) and prepare.parameters == ("source",)
    # Both artifacts of the train session use `data`: read once, in a function of its own.
    shared = pipeline.function("get_data_for_artifact_virginica_model_and_downstream")
    assert (shared.inputs, shared.body, shared.outputs) == (
        ("two_species",),
        "data = two_species",
        ("data",),
    )
    assert pipeline.function("get_virginica_model").inputs == ("C", "data")[1:]
    assert [a.name for a in pipeline.artifacts] == [
        "two_species",
        "petal_means",
        "virginica_model",
        "virginica_accuracy",
    ]


def test_generated_module_recomputes_every_session(two_sessions: LineaSandbox) -> None:
    output = two_sessions.to_pipeline(
        ARTIFACTS,
        pipeline_name="virginica",
        dependencies={"virginica_model": {"two_species"}},
        input_parameters=["source", "C"],
        generate_test=True,
    )
    module = output / "virginica_module.py"
    tests = run_command(
        [
            sys.executable,
            "-m",
            "pytest",
            "-q",
            "-p",
            "no:cacheprovider",
            output / "test_virginica.py",
        ],
        cwd=two_sessions.work,
    )
    assert "5 passed" in tests.stdout  # 4 artifacts + the train session's shared `data`
    assert_all_ok(
        run_module_script(
            module, expected=two_sessions.stored_values(ARTIFACTS), cwd=two_sessions.work
        )
    )
    # C only changes the train session; the prepare session's values stay the stored ones.
    two_sessions.trace(TRAIN.format(C=0.05, suffix="_c005"))
    alt = two_sessions.stored_values(
        ["virginica_model_c005", "virginica_accuracy_c005", "two_species", "petal_means"],
        two_sessions.root / "alt",
    )
    expected = {
        "virginica_model": alt["virginica_model_c005"],
        "virginica_accuracy": alt["virginica_accuracy_c005"],
        "two_species": alt["two_species"],
        "petal_means": alt["petal_means"],
    }
    report = run_module_script(module, ["--C", "0.05"], expected=expected, cwd=two_sessions.work)
    assert_all_ok(report)


def test_file_dependencies_between_sessions(linea_sandbox: LineaSandbox) -> None:
    """A session reading a file another wrote: only `dependencies` says so."""
    linea_sandbox.write_files({"iris.csv": (DATA / "iris.csv").read_bytes()})
    linea_sandbox.trace(
        """
import pandas as pd
import linea_core as lineapy
raw = pd.read_csv("iris.csv")
raw[raw["sepal.length"] > 5.0].to_csv("long.csv", index=False)
lineapy.save(lineapy.file_system, "long_csv")
"""
    )
    linea_sandbox.trace(
        """
import pandas as pd
import linea_core as lineapy
long = pd.read_csv("long.csv")
count = len(long)
lineapy.save(count, "long_count")
"""
    )
    output = linea_sandbox.to_pipeline(
        ["long_count", "long_csv"],
        pipeline_name="files",
        dependencies={"long_count": {"long_csv"}},
    )
    (linea_sandbox.work / "long.csv").unlink()
    report = run_module_script(
        output / "files_module.py",
        expected=linea_sandbox.stored_values(["long_count"]),
        cwd=linea_sandbox.work,
    )
    assert_all_ok(report)
    assert (linea_sandbox.work / "long.csv").exists()
    pipeline = linea_sandbox.pipeline(
        ["long_count", "long_csv"], dependencies={"long_count": {"long_csv"}}
    )
    assert [s.artifacts for s in pipeline.sessions] == [("long_csv",), ("long_count",)]
    assert pipeline.artifact("long_csv").variable is None
    graph = pipeline.task_graph("artifact")
    assert graph.task("long_count").upstream == ("long_csv",)
    # Per session: the file_system artifact has no value to keep (its session function
    # returns none for it), so its task names none.
    by_session = pipeline.task_graph("session").tasks
    assert [dict(t.artifacts) for t in by_session] == [
        {},
        {"long_count": "session_artifacts['long_count']"},
    ]
    # Without the dependency, the listed order is kept (and nothing ties them).
    plain = linea_sandbox.pipeline(["long_count", "long_csv"])
    assert [s.artifacts for s in plain.sessions] == [("long_count",), ("long_csv",)]


def test_a_cycle_between_sessions_is_an_error_naming_it(two_sessions: LineaSandbox) -> None:
    with pytest.raises(DependencyCycleError) as caught:
        two_sessions.pipeline(ARTIFACTS, dependencies={"petal_means": {"virginica_accuracy"}})
    message = str(caught.value)
    assert "\n" not in message
    assert "cycle" in message and "'prepare'" in message and "'train'" in message
    assert (
        "reads 'two_species'" in message
        and "'petal_means' depends on 'virginica_accuracy'" in message
    )


def test_session_breakdown_hands_artifacts_between_session_tasks(
    two_sessions: LineaSandbox,
) -> None:
    pipeline = two_sessions.pipeline(ARTIFACTS, input_parameters=["C"])
    graph = pipeline.task_graph("session")
    assert [t.name for t in graph.tasks] == [
        "session_including_two_species",
        "session_including_virginica_model",
    ]
    train = graph.tasks[1]
    assert train.upstream == ("session_including_two_species",)
    assert [(i.name, i.task, i.variable) for i in train.inputs] == [
        ("two_species", "session_including_two_species", "two_species")
    ]
    assert graph.tasks[0].outputs == ("two_species",)


def test_module_runs_with_plain_python(two_sessions: LineaSandbox) -> None:
    output = two_sessions.to_pipeline(ARTIFACTS, pipeline_name="virginica")
    done = run_command([sys.executable, output / "virginica_module.py"], cwd=two_sessions.work)
    assert "'virginica_accuracy':" in done.stdout
