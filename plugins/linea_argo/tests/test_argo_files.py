"""What the ARGO writer generates: snapshots of every file, and the properties every
workflow must have whatever the options (the hera file and the YAML are one workflow,
names Argo accepts, every value a step receives wired as an artifact).

Update the snapshots after an intended change with
``LINEA_UPDATE_SNAPSHOTS=1 pytest plugins/linea_argo/tests/test_argo_files.py``
and review the diff.
"""

from __future__ import annotations

import ast
from pathlib import Path
from typing import Any

import pytest
import yaml

from linea_core.testing import LineaSandbox, assert_snapshot, pinned_versions
from linea_core.testing.examples import iris_pipeline

SNAPSHOTS = Path(__file__).parent / "snapshots"

CASES: dict[str, dict[str, Any]] = {
    "per_artifact": {},
    "per_session": {"breakdown": "session", "namespace": "ml", "service_account": "runner"},
    "containers": {"template": "container", "image": "iris:2"},
    "one_step": {
        "dag_flavor": "StepPerPipeline",
        "image": "registry.example.com/team/iris:1.0",
        "image_pull_policy": "Always",
        "workflow_name": "iris-nightly",
        "host": "https://argo.example.com:2746",
        "verify_ssl": False,
        "base_image": "python:3.12",
    },
}
FILES = [
    "iris_pipeline_Dockerfile",
    "iris_pipeline_argo.py",
    "iris_pipeline_argo.yaml",
    "iris_pipeline_module.py",
    "iris_pipeline_requirements.txt",
]


@pytest.mark.parametrize("case", sorted(CASES))
def test_generated_files_match_the_snapshot(linea_iris: LineaSandbox, case: str) -> None:
    pipeline = pinned_versions(
        iris_pipeline(linea_iris), {"pandas": "2.2.3", "scikit-learn": "1.5.2"}
    )
    files = linea_iris.render(pipeline, "ARGO", CASES[case])
    steps = ["iris_pipeline_argo_steps.py"] if case == "containers" else []
    assert sorted(files) == sorted(FILES + steps)
    assert_snapshot(files, SNAPSHOTS / case)


def manifest(files: dict[str, Any]) -> dict[str, Any]:
    loaded: dict[str, Any] = yaml.safe_load(str(files["iris_pipeline_argo.yaml"].content))
    return loaded


def test_each_step_receives_its_values_as_artifacts_wired_from_upstream(
    linea_iris: LineaSandbox,
) -> None:
    files = linea_iris.render(iris_pipeline(linea_iris), "ARGO")
    spec = manifest(files)["spec"]
    split = "split-samples-for-artifact-iris-model-and-downstream"
    [dag] = [t for t in spec["templates"] if t["name"] == spec["entrypoint"]]
    tasks = {task["name"]: task for task in dag["dag"]["tasks"]}
    assert list(tasks) == ["iris-preprocessed", split, "iris-model", "iris-model-evaluation"]
    assert tasks["iris-model-evaluation"]["arguments"]["artifacts"] == [
        {"name": "mod", "from": "{{tasks.iris-model.outputs.artifacts.mod}}"},
        {"name": "split_samples", "from": f"{{{{tasks.{split}.outputs.artifacts.split_samples}}}}"},
    ]
    assert tasks[split]["arguments"]["parameters"] == [
        {"name": "random_state", "value": "{{workflow.parameters.random_state}}"},
        {"name": "test_size", "value": "{{workflow.parameters.test_size}}"},
    ]
    assert spec["arguments"]["parameters"] == [
        {"name": "random_state", "value": "42"},
        {"name": "test_size", "value": "0.33"},
        {"name": "url", "value": "iris.csv"},
    ]
    templates = {t["name"]: t for t in spec["templates"]}
    kept = [
        artifact["name"]
        for template in templates.values()
        for artifact in template.get("outputs", {}).get("artifacts", [])
        if artifact["name"].startswith("artifact-")
    ]
    assert sorted(kept) == [
        "artifact-iris_model",
        "artifact-iris_model_evaluation",
        "artifact-iris_preprocessed",
    ]
    # Parameter values reach the script through the environment, never its source.
    script = templates[split]["script"]
    assert "{{inputs.parameters" not in script["source"]
    assert {"name": "LINEA_PARAM_test_size", "value": "{{inputs.parameters.test_size}}"} in script[
        "env"
    ]


@pytest.mark.parametrize("case", sorted(CASES))
def test_the_workflow_file_uses_hera_s_current_api_and_submits_on_request_only(
    linea_iris: LineaSandbox, case: str
) -> None:
    text = str(
        linea_iris.render(iris_pipeline(linea_iris), "ARGO", CASES[case])[
            "iris_pipeline_argo.py"
        ].content
    )
    tree = ast.parse(text)
    imported = {
        node.module for node in ast.walk(tree) if isinstance(node, ast.ImportFrom) and node.module
    }
    assert imported == {"hera.workflows"}
    # hera 4's names (LineaPy's output) are gone.
    for removed in ("hera.task", "hera.workflow_service", "from hera import", "WorkflowService("):
        assert removed not in text
    # Nothing at module level calls create(): only main() does, behind --submit.
    top_level_calls = [
        node
        for statement in tree.body
        if not isinstance(statement, (ast.FunctionDef, ast.If))
        for node in ast.walk(statement)
        if isinstance(node, ast.Attribute) and node.attr in ("create", "submit")
    ]
    assert top_level_calls == []
