"""Every bad input to a pipeline is one line that says what is wrong and what to do."""

from __future__ import annotations

import pytest
from click.testing import CliRunner
from sources import IRIS_ARTIFACTS

import linea_core as lineapy
from linea_core.cli.main import make_cli
from linea_core.context import use_context
from linea_core.errors import LineaError
from linea_core.pipeline import (
    DependencyCycleError,
    InputParameterError,
    PipelineConfigError,
    PipelineError,
    UnknownFrameworkError,
)
from linea_core.store.errors import ArtifactNotFoundError
from linea_core.testing import LineaSandbox


def one_line(error: BaseException) -> str:
    text = str(error)
    assert "\n" not in text, text
    return text


def fails(sandbox: LineaSandbox, kind: type[Exception], **arguments: object) -> str:
    arguments.setdefault("artifacts", IRIS_ARTIFACTS)
    with use_context(sandbox.context), sandbox.in_work(), pytest.raises(kind) as caught:
        lineapy.to_pipeline(output_dir=str(sandbox.root / "out"), **arguments)  # type: ignore[arg-type]
    assert not (sandbox.root / "out").exists(), "nothing is written for a bad request"
    return one_line(caught.value)


def test_unknown_artifact_suggests_the_closest_names(iris: LineaSandbox) -> None:
    message = fails(iris, ArtifactNotFoundError, artifacts=["iris_modle"])
    assert message.startswith("No artifact named 'iris_modle'. Did you mean 'iris_model'")


def test_unknown_version_lists_the_existing_ones(iris: LineaSandbox) -> None:
    message = fails(iris, ArtifactNotFoundError, artifacts=[("iris_model", 7)])
    assert message == "Artifact 'iris_model' has no version 7; existing versions: 0."


def test_malformed_artifact_entries(iris: LineaSandbox) -> None:
    assert "not the string 'iris_model'; write ['iris_model']" in fails(
        iris, PipelineError, artifacts="iris_model"
    )
    assert "neither an artifact name nor a (name, version) pair" in fails(
        iris, PipelineError, artifacts=[("iris_model", "latest")]
    )
    assert "needs at least one artifact" in fails(iris, PipelineError, artifacts=[])
    assert "listed more than once" in fails(
        iris, PipelineError, artifacts=["iris_model", ("iris_model", 0)]
    )


def test_non_literal_parameter_names_its_line(iris: LineaSandbox) -> None:
    message = fails(iris, InputParameterError, input_parameters=["split_samples"])
    assert message.startswith("input parameter 'split_samples' must only be assigned literals")
    assert "(line 26): split_samples = train_test_split(" in message
    assert "Remove 'split_samples' from input_parameters" in message


def test_parameter_assigned_different_literals_names_both_lines(iris: LineaSandbox) -> None:
    iris.trace(
        "import linea_core as lineapy\ntest_size = 0.5\nhalf = test_size * 2\n"
        "lineapy.save(half, 'half')\n",
        name="other",
    )
    message = fails(
        iris,
        InputParameterError,
        artifacts=[*IRIS_ARTIFACTS, "half"],
        input_parameters=["test_size"],
    )
    assert message.startswith("input parameter 'test_size' is ambiguous")
    assert "session 'iris notebook' (line 24): test_size = 0.33" in message
    assert "session 'other' (line 2): test_size = 0.5" in message


def test_the_same_literal_in_two_sessions_is_one_parameter(iris: LineaSandbox) -> None:
    iris.trace(
        "import linea_core as lineapy\ntest_size = 0.33\nhalf = test_size * 2\n"
        "lineapy.save(half, 'half')\n",
        name="other",
    )
    pipeline = iris.pipeline([*IRIS_ARTIFACTS, "half"], input_parameters=["test_size"])
    [parameter] = pipeline.parameters
    assert len(parameter.assigned_at) == 2
    assert [s.parameters for s in pipeline.sessions] == [("test_size",), ("test_size",)]


def test_parameter_the_code_does_not_assign(iris: LineaSandbox) -> None:
    message = fails(iris, InputParameterError, input_parameters=["learning_rate"])
    assert message.startswith("input parameter 'learning_rate' is not assigned in the code")
    assert "iris_preprocessed, iris_model, iris_model_evaluation" in message
    assert "must be variable names" in fails(iris, InputParameterError, input_parameters=["a b"])


def test_dependency_cycle_names_the_cycle(iris: LineaSandbox) -> None:
    message = fails(
        iris,
        DependencyCycleError,
        dependencies={"iris_model": {"iris_preprocessed"}, "iris_preprocessed": {"iris_model"}},
    )
    assert message.startswith("dependencies form a cycle: ")
    assert "iris_model -> iris_preprocessed -> iris_model" in message or (
        "iris_preprocessed -> iris_model -> iris_preprocessed" in message
    )


def test_dependency_on_an_artifact_outside_the_pipeline(iris: LineaSandbox) -> None:
    message = fails(iris, PipelineError, dependencies={"iris_model": {"raw_data"}})
    assert message.startswith("dependencies name 'raw_data', which is not one of the pipeline's")


def test_dependency_against_the_code_order_is_a_cycle_of_tasks(iris: LineaSandbox) -> None:
    pipeline = iris.pipeline(IRIS_ARTIFACTS, dependencies={"iris_preprocessed": {"iris_model"}})
    with pytest.raises(DependencyCycleError) as caught:
        pipeline.task_graph("artifact")
    assert "the pipeline's tasks form a cycle" in one_line(caught.value)


def test_unknown_framework_lists_the_installed_ones(iris: LineaSandbox) -> None:
    message = fails(iris, UnknownFrameworkError, framework="AIRFLOWW")
    assert message.startswith(
        "No pipeline writer for framework 'AIRFLOWW'; installed frameworks: SCRIPT."
    )
    assert "pip install linea-airfloww" in message


def test_unknown_dag_config_key_lists_the_valid_ones(iris: LineaSandbox) -> None:
    message = fails(iris, PipelineConfigError, pipeline_dag_config={"base_imag": "python:3.12"})
    assert message == (
        "unknown pipeline_dag_config key 'base_imag' for SCRIPT (did you mean 'base_image'?); "
        "valid keys: base_image"
    )
    message = fails(iris, PipelineConfigError, pipeline_dag_config={"base_image": 3})
    assert message.startswith("pipeline_dag_config['base_image'] for SCRIPT: ")
    assert "(got 3)" in message


def test_artifact_without_code_cannot_make_a_pipeline(linea_sandbox: LineaSandbox) -> None:
    with use_context(linea_sandbox.context):
        lineapy.save(3, "three")
    message = fails(linea_sandbox, PipelineError, artifacts=["three"])
    assert "was saved outside a traced session" in message


def test_reuse_of_an_artifact_of_no_pipeline_session(iris: LineaSandbox) -> None:
    iris.trace("import linea_core as lineapy\nx = 1\nlineapy.save(x, 'x')\n")
    message = fails(iris, PipelineError, reuse_pre_computed_artifacts=["x"])
    assert "reuse_pre_computed_artifacts: 'x' is not computed by the code" in message


def test_cli_reports_errors_in_one_line(iris: LineaSandbox) -> None:
    cli = make_cli(iris.context.plugins)
    runner = CliRunner()
    environment = {"LINEA_HOME_DIR": str(iris.home)}
    result = runner.invoke(cli, ["pipeline", "create", "p", "iris_modle"], env=environment)
    assert result.exit_code == 1
    assert result.stderr.startswith("Error: No artifact named 'iris_modle'.")
    result = runner.invoke(cli, ["pipeline", "show", "nope"], env=environment)
    assert result.exit_code == 1
    assert "No pipeline named 'nope' (no pipeline is stored)" in result.stderr


def test_every_pipeline_error_is_a_linea_error_and_a_value_error() -> None:
    for kind in (
        PipelineError,
        InputParameterError,
        DependencyCycleError,
        UnknownFrameworkError,
        PipelineConfigError,
    ):
        assert issubclass(kind, LineaError) and issubclass(kind, ValueError)
