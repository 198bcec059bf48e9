"""What the DVC writer generates: snapshots of every file, and the declarations
`dvc repro` relies on to rerun only what changed.

Update the snapshots after an intended change with
``LINEA_UPDATE_SNAPSHOTS=1 pytest plugins/linea_dvc/tests/test_dvc_files.py``
and review the diff.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from linea_core.testing import LineaSandbox, assert_snapshot, pinned_versions
from linea_core.testing.examples import IRIS_ARTIFACTS, iris_pipeline

SNAPSHOTS = Path(__file__).parent / "snapshots"

CASES: dict[str, dict[str, Any]] = {
    "per_artifact": {},
    "per_session": {"breakdown": "session", "data_location": "outputs/values"},
    "one_stage": {"dag_flavor": "SingleStageAllSessions", "base_image": "python:3.12"},
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_generated_files_match_the_snapshot(linea_iris: LineaSandbox, case: str) -> None:
    pipeline = pinned_versions(
        iris_pipeline(linea_iris), {"pandas": "2.2.3", "scikit-learn": "1.5.2"}
    )
    files = linea_iris.render(pipeline, "DVC", CASES[case])
    assert_snapshot(files, SNAPSHOTS / case)


def test_stages_declare_what_they_read_and_write(linea_iris: LineaSandbox) -> None:
    files = linea_iris.render(iris_pipeline(linea_iris), "DVC")
    stages = yaml.safe_load(str(files["dvc.yaml"].content))["stages"]
    split = "split_samples_for_artifact_iris_model_and_downstream"
    assert list(stages) == ["iris_preprocessed", split, "iris_model", "iris_model_evaluation"]
    data = "iris_pipeline_data/dvc"
    assert stages["iris_preprocessed"]["params"] == ["url"]
    assert stages[split]["params"] == ["random_state", "test_size"]
    assert "params" not in stages["iris_model"]
    assert f"{data}/iris_preprocessed/df.pickle" in stages[split]["deps"]
    assert stages["iris_model_evaluation"]["deps"] == [
        "iris_pipeline_module.py",
        "task_iris_model_evaluation.py",
        f"{data}/iris_model/mod.pickle",
        f"{data}/{split}/split_samples.pickle",
    ]
    outs = [out for stage in stages.values() for out in stage["outs"]]
    assert len(outs) == len(set(outs))
    for artifact in IRIS_ARTIFACTS:
        assert f"{data}/{artifact}/artifact-{artifact}.pickle" in outs
    for name, stage in stages.items():
        assert stage["cmd"] == f"python task_{name}.py"
        assert f"task_{name}.py" in files
    params = yaml.safe_load(str(files["params.yaml"].content))
    assert params == {"random_state": 42, "test_size": 0.33, "url": "iris.csv"}
    docker = str(files["iris_pipeline_Dockerfile"].content)
    assert 'ENTRYPOINT ["dvc", "repro"]' in docker


def test_one_stage_for_everything(linea_iris: LineaSandbox) -> None:
    files = linea_iris.render(iris_pipeline(linea_iris), "DVC", {"breakdown": "pipeline"})
    stages = yaml.safe_load(str(files["dvc.yaml"].content))["stages"]
    assert list(stages) == ["iris_pipeline"]
    assert stages["iris_pipeline"]["params"] == ["random_state", "test_size", "url"]
    assert sorted(p for p in files if p.startswith("task_")) == ["task_iris_pipeline.py"]


def test_lineapy_flavors_are_accepted(linea_iris: LineaSandbox) -> None:
    files = linea_iris.render(iris_pipeline(linea_iris), "DVC", {"dag_flavor": "StagePerArtifact"})
    assert len(yaml.safe_load(str(files["dvc.yaml"].content))["stages"]) == 4
