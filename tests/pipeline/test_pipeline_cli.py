"""``linea pipeline create | list | show | write`` against a real store."""

from __future__ import annotations

import json

from click.testing import CliRunner, Result
from sources import IRIS_ARTIFACTS

from linea_core.cli.main import make_cli
from linea_core.testing import LineaSandbox


def run(sandbox: LineaSandbox, *args: str) -> Result:
    cli = make_cli(sandbox.context.plugins)
    with sandbox.in_work():
        return CliRunner().invoke(
            cli, ["--home-dir", str(sandbox.home), "pipeline", *args], catch_exceptions=False
        )


def test_create_list_show_write(iris: LineaSandbox) -> None:
    created = run(
        iris,
        "create",
        "iris_pipeline",
        *IRIS_ARTIFACTS,
        "-d",
        "iris_model:iris_preprocessed",
        "-d",
        "iris_model_evaluation:iris_model",
        "-p",
        "test_size",
        "-p",
        "url",
        "--config",
        "base_image=python:3.12-slim",
    )
    assert created.exit_code == 0, created.output
    assert created.output == "Created pipeline iris_pipeline (SCRIPT).\n"

    listed = run(iris, "list")
    assert listed.output == (
        "iris_pipeline  (SCRIPT): iris_preprocessed, iris_model, iris_model_evaluation\n"
    )
    [entry] = json.loads(run(iris, "list", "--json").output)
    assert entry["dependencies"] == {
        "iris_model": ["iris_preprocessed"],
        "iris_model_evaluation": ["iris_model"],
    }
    assert entry["options"]["input_parameters"] == ["test_size", "url"]

    shown = run(iris, "show", "iris_pipeline").output
    assert "  get_split_samples_for_artifact_iris_model_and_downstream(df, test_size)" in shown
    assert "  test_size: float = 0.33" in shown
    assert (
        "  iris_model  after iris_preprocessed, split_samples_for_artifact_iris_model_and_downstream"
        in shown
    )
    assert "scikit-learn==" in shown
    code = run(iris, "show", "iris_pipeline", "--code").output
    assert code.startswith('"""Run the iris_pipeline pipeline')

    written = run(iris, "write", "iris_pipeline", "-o", "out", "--generate-test")
    assert written.exit_code == 0, written.output
    assert "Generated module file: out/iris_pipeline_module.py" in written.output
    dockerfile = (iris.work / "out" / "iris_pipeline_Dockerfile").read_text()
    assert "FROM python:3.12-slim" in dockerfile
    assert (iris.work / "out" / "test_iris_pipeline.py").exists()

    other = run(iris, "write", "iris_pipeline", "-o", "out2", "--config", "base_image=debian")
    assert other.exit_code == 0
    assert "FROM debian" in (iris.work / "out2" / "iris_pipeline_Dockerfile").read_text()


def test_versions_and_bad_arguments(iris: LineaSandbox) -> None:
    pinned = run(iris, "create", "pinned", "iris_model@0")
    assert pinned.exit_code == 0
    assert "pinned  (SCRIPT): iris_model@0" in run(iris, "list").output
    bad = run(iris, "create", "p", "iris_model", "-d", "iris_model")
    assert bad.exit_code == 2 and "write ARTIFACT:NEEDED" in bad.output
    config = run(iris, "create", "p", "iris_model", "--config", "nope=1")
    assert config.exit_code == 1
    assert "unknown pipeline_dag_config key 'nope' for SCRIPT" in config.output
