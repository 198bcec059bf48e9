"""Every pipeline_dag_config error of the AIRFLOW writer, message by message, and
LineaPy's older keys still accepted."""

from __future__ import annotations

import datetime
from typing import Any

import pytest

from linea_core.pipeline import PipelineConfigError, TaskBreakdown
from linea_core.testing import LineaSandbox
from linea_core.testing.examples import iris_pipeline

ERRORS: list[tuple[dict[str, Any], str]] = [
    (
        {"shedule": "@daily"},
        "unknown pipeline_dag_config key 'shedule' for AIRFLOW (did you mean 'schedule'?); "
        "valid keys: base_image, breakdown, catchup, dag_id, data_location, max_active_runs, "
        "owner, retries, retry_delay, schedule, start_date, tags",
    ),
    (
        {"breakdown": "task"},
        "pipeline_dag_config['breakdown'] for AIRFLOW: Input should be 'artifact', 'session' "
        "or 'pipeline' (got 'task')",
    ),
    (
        {"schedule": "every day"},
        "pipeline_dag_config['schedule'] for AIRFLOW: expected a cron expression of 5 fields "
        "such as '0 3 * * *', or one of @once, @continuous, @hourly, @daily, @weekly, "
        "@monthly, @quarterly, @yearly, @annually (got 'every day')",
    ),
    (
        {"dag_id": "my dag"},
        "pipeline_dag_config['dag_id'] for AIRFLOW: a DAG id may hold letters, digits, '_', "
        "'.' and '-' only (got 'my dag')",
    ),
    (
        {"retries": -1},
        "pipeline_dag_config['retries'] for AIRFLOW: Input should be greater than or equal "
        "to 0 (got -1)",
    ),
    (
        {"max_active_runs": 0},
        "pipeline_dag_config['max_active_runs'] for AIRFLOW: Input should be greater than or "
        "equal to 1 (got 0)",
    ),
    (
        {"catchup": True},
        "pipeline_dag_config for AIRFLOW: catchup runs every interval since start_date: set "
        "start_date too (e.g. '2025-01-01')",
    ),
    (
        {"start_date": "yesterday"},
        "pipeline_dag_config['start_date'] for AIRFLOW: Input should be a valid date or "
        "datetime, input is too short (got 'yesterday')",
    ),
    (
        {"tags": ["ok", ""]},
        "pipeline_dag_config['tags'] for AIRFLOW: each tag must be 1 to 100 characters long "
        "(got ['ok', ''])",
    ),
    (
        {"retry_delay": "soon"},
        "pipeline_dag_config['retry_delay'] for AIRFLOW: Input should be a valid timedelta, "
        "invalid digit in duration (got 'soon')",
    ),
    (
        {"owner": 3},
        "pipeline_dag_config['owner'] for AIRFLOW: Input should be a valid string (got 3)",
    ),
    (
        {"data_location": ["s3://a"]},
        "pipeline_dag_config['data_location'] for AIRFLOW: Input should be a valid string "
        "(got ['s3://a'])",
    ),
]


@pytest.mark.parametrize(("config", "message"), ERRORS, ids=[str(c) for c, _ in ERRORS])
def test_airflow_config_error(
    linea_iris: LineaSandbox, config: dict[str, Any], message: str
) -> None:
    with pytest.raises(PipelineConfigError) as raised:
        linea_iris.render(iris_pipeline(linea_iris), "AIRFLOW", config)
    assert str(raised.value) == message
    assert "\n" not in str(raised.value)


def test_to_pipeline_rejects_a_bad_key_before_writing_anything(linea_iris: LineaSandbox) -> None:
    from linea_core.testing.examples import IRIS_ARTIFACTS

    with pytest.raises(PipelineConfigError, match="unknown pipeline_dag_config key 'retry'"):
        linea_iris.to_pipeline(
            IRIS_ARTIFACTS,
            framework="AIRFLOW",
            output_dir="never",
            pipeline_dag_config={"retry": 1},
        )
    assert not (linea_iris.work / "never").exists()


def test_lineapy_s_keys_still_work() -> None:
    from linea_airflow.options import AirflowOptions

    from linea_core.pipeline.options import validate_options

    options: Any = validate_options(
        AirflowOptions,
        {"schedule_interval": "*/15 * * * *", "dag_flavor": "PythonOperatorPerSession"},
        "AIRFLOW",
    )
    assert options.schedule == "*/15 * * * *"
    assert options.breakdown is TaskBreakdown.SESSION


def test_defaults() -> None:
    from linea_airflow.options import AirflowOptions

    from linea_core.pipeline.options import validate_options

    options: Any = validate_options(AirflowOptions, {}, "AIRFLOW")
    assert (options.breakdown, options.schedule, options.catchup) == ("artifact", None, False)
    assert (options.owner, options.retries, options.max_active_runs) == ("airflow", 2, 1)
    assert options.retry_delay == datetime.timedelta(minutes=5)
    assert options.start_date == datetime.date(2024, 1, 1)
