"""What the AIRFLOW writer generates: snapshots of every file, and properties every DAG
must have whatever the options (Airflow 3 and 2.10 both parse it, no fixed /tmp path).

Update the snapshots after an intended change with
``LINEA_UPDATE_SNAPSHOTS=1 pytest plugins/linea_airflow/tests/test_airflow_files.py``
and review the diff.
"""

from __future__ import annotations

import ast
from pathlib import Path
from typing import Any

import pytest

from linea_core.testing import LineaSandbox, assert_snapshot, pinned_versions
from linea_core.testing.examples import iris_pipeline

SNAPSHOTS = Path(__file__).parent / "snapshots"

CASES: dict[str, dict[str, Any]] = {
    "per_artifact": {},
    "per_session": {"breakdown": "session", "retries": 0},
    "one_task": {"breakdown": "pipeline", "dag_id": "iris.nightly"},
    "scheduled_s3": {
        "schedule": "0 3 * * *",
        "start_date": "2025-02-01T06:30:00",
        "catchup": True,
        "owner": "data-team",
        "retry_delay": "PT90S",
        "max_active_runs": 3,
        "tags": ["iris", "nightly"],
        "data_location": "s3://bucket/iris-runs",
        "base_image": "registry.example.com/airflow:3",
    },
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_generated_files_match_the_snapshot(linea_iris: LineaSandbox, case: str) -> None:
    pipeline = pinned_versions(
        iris_pipeline(linea_iris), {"pandas": "2.2.3", "scikit-learn": "1.5.2"}
    )
    files = linea_iris.render(pipeline, "AIRFLOW", CASES[case])
    assert sorted(files) == [
        "iris_pipeline_Dockerfile",
        "iris_pipeline_dag.py",
        "iris_pipeline_module.py",
        "iris_pipeline_requirements.txt",
    ]
    assert_snapshot(files, SNAPSHOTS / case)


@pytest.mark.parametrize("case", sorted(CASES))
def test_the_dag_is_written_for_airflow_3_and_2(linea_iris: LineaSandbox, case: str) -> None:
    text = str(
        linea_iris.render(iris_pipeline(linea_iris), "AIRFLOW", CASES[case])[
            "iris_pipeline_dag.py"
        ].content
    )
    tree = ast.parse(text)
    imported = {
        node.module for node in ast.walk(tree) if isinstance(node, ast.ImportFrom) and node.module
    }
    assert {"airflow.sdk", "airflow.providers.standard.operators.python"} <= imported
    for removed in ("days_ago", "schedule_interval", "/tmp", "airflow.utils.dates"):
        assert removed not in text
    # Parsing the DAG file must not import the pipeline's libraries (Airflow parses often).
    assert "import iris_pipeline_module" not in text
    assert not ({"pandas", "sklearn"} & imported)


@pytest.mark.parametrize("breakdown", ["artifact", "session", "pipeline"])
def test_airflow_s_run_id_keys_every_hand_off(linea_iris: LineaSandbox, breakdown: str) -> None:
    config = {"breakdown": breakdown}
    text = str(
        linea_iris.render(iris_pipeline(linea_iris), "AIRFLOW", config)[
            "iris_pipeline_dag.py"
        ].content
    )
    tasks = [
        node
        for node in ast.parse(text).body
        if isinstance(node, ast.FunctionDef) and node.name.startswith("task_")
    ]
    calls = [
        call
        for task in tasks
        for call in ast.walk(task)
        if isinstance(call, ast.Call)
        and isinstance(call.func, ast.Name)
        and call.func.id in ("load_value", "dump_value")
    ]
    assert tasks and calls
    for call in calls:
        run_id = call.args[0 if call.func.id == "load_value" else 1]  # type: ignore[attr-defined]
        assert isinstance(run_id, ast.Name) and run_id.id == "run_id"
    for task in tasks:  # run_id comes from Airflow's context, by argument name
        assert "run_id" in [a.arg for a in task.args.args]


def test_generate_test_adds_the_test_file_and_samples(linea_iris: LineaSandbox) -> None:
    files = linea_iris.render(iris_pipeline(linea_iris), "AIRFLOW", generate_test=True)
    assert "test_iris_pipeline.py" in files
    assert {p for p in files if p.startswith("sample_output/")} == {
        "sample_output/iris_preprocessed.pkl",
        "sample_output/iris_model.pkl",
        "sample_output/iris_model_evaluation.pkl",
    }


def test_to_pipeline_writes_the_files_lineapy_wrote(linea_iris: LineaSandbox) -> None:
    from linea_core.testing.examples import IRIS_ARTIFACTS, IRIS_DEPENDENCIES, IRIS_PARAMETERS

    output = linea_iris.to_pipeline(
        IRIS_ARTIFACTS,
        framework="AIRFLOW",
        pipeline_name="iris_pipeline",
        dependencies=IRIS_DEPENDENCIES,
        input_parameters=IRIS_PARAMETERS,
        output_dir="dags",
    )
    assert sorted(p.name for p in output.iterdir()) == [
        "iris_pipeline_Dockerfile",
        "iris_pipeline_dag.py",
        "iris_pipeline_module.py",
        "iris_pipeline_requirements.txt",
    ]
