"""Every pipeline_dag_config error of the KUBEFLOW writer, message by message, and
LineaPy's older keys still accepted."""

from __future__ import annotations

from typing import Any

import pytest

from linea_core.pipeline import PipelineConfigError, TaskBreakdown
from linea_core.testing import LineaSandbox
from linea_core.testing.examples import iris_pipeline

KEYS = (
    "valid keys: base_image, breakdown, enable_caching, experiment, host, image, namespace, "
    "pipeline_id, pipeline_root"
)
PIPELINE_NAME = (
    "a Kubeflow pipeline name holds lower-case letters, digits and '-', starts with a "
    "letter or digit and has at most 128 characters"
)
IMAGE = "expected an image reference such as 'registry.example.com/team/iris:1.0'"
HOST = "expected the URL of the Kubeflow Pipelines API, http(s)://..."
ERRORS: list[tuple[dict[str, Any], str]] = [
    (
        {"breakdwn": "session"},
        f"unknown pipeline_dag_config key 'breakdwn' for KUBEFLOW (did you mean 'breakdown'?); {KEYS}",  # fmt: skip
    ),
    (
        {"images": "iris:1"},
        f"unknown pipeline_dag_config key 'images' for KUBEFLOW (did you mean 'image'?); {KEYS}",  # fmt: skip
    ),
    (
        {"breakdown": "component"},
        "pipeline_dag_config['breakdown'] for KUBEFLOW: Input should be 'artifact', 'session' "
        "or 'pipeline' (got 'component')",
    ),
    (
        {"dag_flavor": "ComponentTask"},
        "pipeline_dag_config['dag_flavor'] for KUBEFLOW: Input should be 'artifact', 'session' "
        "or 'pipeline' (got 'ComponentTask')",
    ),
    (
        {"pipeline_id": "Iris_Pipeline"},
        f"pipeline_dag_config['pipeline_id'] for KUBEFLOW: {PIPELINE_NAME} (got 'Iris_Pipeline')",
    ),
    (
        {"pipeline_id": "-iris"},
        f"pipeline_dag_config['pipeline_id'] for KUBEFLOW: {PIPELINE_NAME} (got '-iris')",
    ),
    (
        {"image": "Iris Pipeline"},
        f"pipeline_dag_config['image'] for KUBEFLOW: {IMAGE} (got 'Iris Pipeline')",
    ),
    (
        {"image": 3},
        "pipeline_dag_config['image'] for KUBEFLOW: Input should be a valid string (got 3)",
    ),
    (
        {"base_image": "python 3.11"},
        f"pipeline_dag_config['base_image'] for KUBEFLOW: {IMAGE} (got 'python 3.11')",
    ),
    (
        {"host": "localhost:8080"},
        f"pipeline_dag_config['host'] for KUBEFLOW: {HOST} (got 'localhost:8080')",
    ),
    (
        {"host": "ftp://kfp"},
        f"pipeline_dag_config['host'] for KUBEFLOW: {HOST} (got 'ftp://kfp')",
    ),
    (
        {"namespace": "Team_A"},
        "pipeline_dag_config['namespace'] for KUBEFLOW: a Kubernetes namespace holds "
        "lower-case letters, digits and '-' (at most 63 characters) (got 'Team_A')",
    ),
    (
        {"experiment": "  "},
        "pipeline_dag_config['experiment'] for KUBEFLOW: an experiment name cannot be empty "
        "(got '  ')",
    ),
    (
        {"pipeline_root": "/tmp/root"},
        "pipeline_dag_config['pipeline_root'] for KUBEFLOW: expected an object store URL "
        "Kubeflow writes to, such as 's3://bucket/pipelines', 'gs://...' or 'minio://...' "
        "(got '/tmp/root')",
    ),
    (
        {"enable_caching": "sometimes"},
        "pipeline_dag_config['enable_caching'] for KUBEFLOW: Input should be a valid boolean, "
        "unable to interpret input (got 'sometimes')",
    ),
]


@pytest.mark.parametrize(("config", "message"), ERRORS, ids=[str(c) for c, _ in ERRORS])
def test_kubeflow_config_error(
    linea_iris: LineaSandbox, config: dict[str, Any], message: str
) -> None:
    with pytest.raises(PipelineConfigError) as raised:
        linea_iris.render(iris_pipeline(linea_iris), "KUBEFLOW", config)
    assert str(raised.value) == message
    assert "\n" not in str(raised.value)


def test_to_pipeline_rejects_a_bad_key_before_writing_anything(linea_iris: LineaSandbox) -> None:
    from linea_core.testing.examples import IRIS_ARTIFACTS

    with pytest.raises(PipelineConfigError, match="unknown pipeline_dag_config key 'hots'"):
        linea_iris.to_pipeline(
            IRIS_ARTIFACTS,
            framework="KUBEFLOW",
            output_dir="never",
            pipeline_dag_config={"hots": "http://kfp"},
        )
    assert not (linea_iris.work / "never").exists()


@pytest.mark.parametrize(
    ("flavor", "breakdown"),
    [
        ("ComponentArtifact", TaskBreakdown.ARTIFACT),
        ("ComponentSession", TaskBreakdown.SESSION),
        ("session", TaskBreakdown.SESSION),
    ],
)
def test_lineapy_s_flavors_still_work(flavor: str, breakdown: TaskBreakdown) -> None:
    from linea_kubeflow.options import KubeflowOptions

    from linea_core.pipeline.options import validate_options

    options: Any = validate_options(KubeflowOptions, {"dag_flavor": flavor}, "KUBEFLOW")
    assert options.breakdown is breakdown


def test_values_that_are_accepted() -> None:
    from linea_kubeflow.options import KubeflowOptions

    from linea_core.pipeline.options import validate_options

    config = {
        "image": "registry.example.com:5000/team/iris:1.0",
        "base_image": "python:3.12-slim",
        "host": "http://127.0.0.1:8888/pipeline",
        "pipeline_root": "minio://mlpipeline/v2",
        "namespace": "team-a",
        "pipeline_id": "iris-nightly",
        "experiment": "nightly runs",
        "enable_caching": True,
    }
    options: Any = validate_options(KubeflowOptions, config, "KUBEFLOW")
    assert {key: getattr(options, key) for key in config} == config
    defaults: Any = validate_options(KubeflowOptions, {}, "KUBEFLOW")
    assert defaults.breakdown is TaskBreakdown.ARTIFACT
    assert (defaults.image, defaults.host, defaults.enable_caching) == (None, None, False)


def test_the_readme_lists_every_key() -> None:
    import re
    from pathlib import Path

    from linea_kubeflow.options import KubeflowOptions

    readme = (Path(__file__).parents[3] / "README.md").read_text()
    section = readme.split("#### Pipelines on Kubeflow", 1)[1].split("\n#### ", 1)[0]
    rows = [line for line in section.splitlines() if line.startswith("| `")]
    documented = {key for row in rows for key in re.findall(r"`(\w+)`", row.split("|")[1])}
    assert documented == set(KubeflowOptions.model_fields)
