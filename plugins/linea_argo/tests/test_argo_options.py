"""Every pipeline_dag_config error of the ARGO writer, message by message, and
LineaPy's keys still accepted."""

from __future__ import annotations

from typing import Any

import pytest

from linea_core.pipeline import PipelineConfigError, TaskBreakdown
from linea_core.testing import LineaSandbox
from linea_core.testing.examples import iris_pipeline

IMAGE = (
    "not an image reference: expected [registry/]name[:tag][@sha256:digest] with a "
    "lowercase name, such as registry.example.com/team/iris:1.0"
)
ERRORS: list[tuple[dict[str, Any], str]] = [
    (
        {"namespce": "ml"},
        "unknown pipeline_dag_config key 'namespce' for ARGO (did you mean 'namespace'?); "
        "valid keys: base_image, breakdown, host, image, image_pull_policy, namespace, "
        "service_account, template, token, verify_ssl, workflow_name",
    ),
    (
        {"breakdown": "step"},
        "pipeline_dag_config['breakdown'] for ARGO: Input should be 'artifact', 'session' or "
        "'pipeline' (got 'step')",
    ),
    (
        {"template": "pod"},
        "pipeline_dag_config['template'] for ARGO: Input should be 'script' or 'container' "
        "(got 'pod')",
    ),
    (
        {"image": "Iris Pipeline"},
        f"pipeline_dag_config['image'] for ARGO: {IMAGE} (got 'Iris Pipeline')",
    ),
    (
        {"base_image": "python:3.12 slim"},
        f"pipeline_dag_config['base_image'] for ARGO: {IMAGE} (got 'python:3.12 slim')",
    ),
    (
        {"image_pull_policy": "never"},
        "pipeline_dag_config['image_pull_policy'] for ARGO: Input should be 'Always', "
        "'IfNotPresent' or 'Never' (got 'never')",
    ),
    (
        {"namespace": "ML_Team"},
        "pipeline_dag_config['namespace'] for ARGO: a namespace is at most 63 lowercase "
        "letters, digits and '-', starting and ending with a letter or digit (got 'ML_Team')",
    ),
    (
        {"workflow_name": "iris-"},
        "pipeline_dag_config['workflow_name'] for ARGO: a workflow name is at most 57 "
        "lowercase letters, digits and '-', starting and ending with a letter or digit "
        "(got 'iris-')",
    ),
    (
        {"workflow_name": "w" * 58},
        "pipeline_dag_config['workflow_name'] for ARGO: a workflow name is at most 57 "
        "lowercase letters, digits and '-', starting and ending with a letter or digit "
        f"(got '{'w' * 58}')",
    ),
    (
        {"service_account": "Runner"},
        "pipeline_dag_config['service_account'] for ARGO: a service account name is "
        "lowercase letters, digits, '-' and '.', starting and ending with a letter or digit "
        "(got 'Runner')",
    ),
    (
        {"host": "localhost:2746"},
        "pipeline_dag_config['host'] for ARGO: expected the Argo server's URL with its "
        "scheme, such as https://localhost:2746 (got 'localhost:2746')",
    ),
    (
        {"verify_ssl": "sometimes"},
        "pipeline_dag_config['verify_ssl'] for ARGO: Input should be a valid boolean, unable "
        "to interpret input (got 'sometimes')",
    ),
    (
        {"token": "Bearer abc"},
        "pipeline_dag_config['token'] for ARGO: tokens are never written into generated "
        "files: set the environment variable ARGO_TOKEN where you submit the workflow "
        "(got 'Bearer abc')",
    ),
]


@pytest.mark.parametrize(("config", "message"), ERRORS, ids=[str(c)[:40] for c, _ in ERRORS])
def test_argo_config_error(linea_iris: LineaSandbox, config: dict[str, Any], message: str) -> None:
    with pytest.raises(PipelineConfigError) as raised:
        linea_iris.render(iris_pipeline(linea_iris), "ARGO", config)
    assert str(raised.value) == message
    assert "\n" not in str(raised.value)


def test_to_pipeline_rejects_a_bad_key_before_writing_anything(linea_iris: LineaSandbox) -> None:
    from linea_core.testing.examples import IRIS_ARTIFACTS

    with pytest.raises(PipelineConfigError, match="unknown pipeline_dag_config key 'img'"):
        linea_iris.to_pipeline(
            IRIS_ARTIFACTS, framework="ARGO", output_dir="never", pipeline_dag_config={"img": "x"}
        )
    assert not (linea_iris.work / "never").exists()


def test_lineapy_s_keys_still_work() -> None:
    from linea_argo.options import ArgoOptions

    from linea_core.pipeline.options import validate_options

    options: Any = validate_options(
        ArgoOptions,
        {
            "dag_flavor": "StepPerSession",
            "image": "argo_pipeline:latest",
            "image_pull_policy": "Never",
            "namespace": "argo",
            "workflow_name": "iris-nightly",
            "service_account": "argo-runner",
            "host": "https://localhost:2746",
            "verify_ssl": False,
        },
        "ARGO",
    )
    assert options.breakdown is TaskBreakdown.SESSION
    assert (options.image, options.image_pull_policy) == ("argo_pipeline:latest", "Never")
    assert (options.workflow_name, options.verify_ssl) == ("iris-nightly", False)


def test_defaults() -> None:
    from linea_argo.options import ArgoOptions

    from linea_core.pipeline.options import validate_options

    options: Any = validate_options(ArgoOptions, {}, "ARGO")
    assert (options.breakdown, options.namespace, options.image) == ("artifact", "argo", None)
    assert (options.image_pull_policy, options.host, options.verify_ssl) == (
        "IfNotPresent",
        None,
        True,
    )
