"""Every pipeline_dag_config error of the DVC writer, message by message."""

from __future__ import annotations

from typing import Any

import pytest

from linea_core.pipeline import PipelineConfigError
from linea_core.testing import LineaSandbox
from linea_core.testing.examples import iris_pipeline

INSIDE = (
    "DVC tracks stage outputs inside the project: use a folder relative to dvc.yaml, such as 'data'"
)
ERRORS: list[tuple[dict[str, Any], str]] = [
    (
        {"breakdwn": "session"},
        "unknown pipeline_dag_config key 'breakdwn' for DVC (did you mean 'breakdown'?); "
        "valid keys: base_image, breakdown, data_location",
    ),
    (
        {"breakdown": "stage"},
        "pipeline_dag_config['breakdown'] for DVC: Input should be 'artifact', 'session' or "
        "'pipeline' (got 'stage')",
    ),
    (
        {"data_location": "s3://bucket/values"},
        f"pipeline_dag_config['data_location'] for DVC: {INSIDE} (got 's3://bucket/values')",
    ),
    (
        {"data_location": "/srv/values"},
        f"pipeline_dag_config['data_location'] for DVC: {INSIDE} (got '/srv/values')",
    ),
    (
        {"data_location": "../values"},
        f"pipeline_dag_config['data_location'] for DVC: {INSIDE} (got '../values')",
    ),
    (
        {"base_image": 3.12},
        "pipeline_dag_config['base_image'] for DVC: Input should be a valid string (got 3.12)",
    ),
]


@pytest.mark.parametrize(("config", "message"), ERRORS, ids=[str(c) for c, _ in ERRORS])
def test_dvc_config_error(linea_iris: LineaSandbox, config: dict[str, Any], message: str) -> None:
    with pytest.raises(PipelineConfigError) as raised:
        linea_iris.render(iris_pipeline(linea_iris), "DVC", config)
    assert str(raised.value) == message
