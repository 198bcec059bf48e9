"""The generated manifests pass the strict validation of :mod:`argo_local`, and that
validation catches what Argo would refuse: each mistake below, made to a generated
manifest, is reported (a validator that accepts everything would prove nothing)."""

from __future__ import annotations

import copy
from collections.abc import Callable
from typing import Any

import pytest
import yaml
from argo_local import InvalidWorkflow, validate

from linea_core.testing import LineaSandbox
from linea_core.testing.examples import iris_pipeline

SPLIT = "split-samples-for-artifact-iris-model-and-downstream"
CONFIGS: dict[str, dict[str, Any]] = {
    "artifact": {},
    "session": {"breakdown": "session", "service_account": "runner", "namespace": "ml"},
    "pipeline": {"breakdown": "pipeline", "workflow_name": "iris"},
    "containers": {"template": "container"},
}


@pytest.fixture(scope="module")
def manifest(linea_iris: LineaSandbox) -> dict[str, Any]:
    files = linea_iris.render(iris_pipeline(linea_iris), "ARGO")
    loaded: dict[str, Any] = yaml.safe_load(str(files["iris_pipeline_argo.yaml"].content))
    return loaded


@pytest.mark.parametrize("breakdown", sorted(CONFIGS))
def test_every_generated_manifest_is_valid(linea_iris: LineaSandbox, breakdown: str) -> None:
    files = linea_iris.render(iris_pipeline(linea_iris), "ARGO", CONFIGS[breakdown])
    validate(yaml.safe_load(str(files["iris_pipeline_argo.yaml"].content)))


def template(manifest: dict[str, Any], name: str) -> dict[str, Any]:
    found: dict[str, Any] = next(t for t in manifest["spec"]["templates"] if t["name"] == name)
    return found


def task(manifest: dict[str, Any], name: str) -> dict[str, Any]:
    dag = template(manifest, manifest["spec"]["entrypoint"])["dag"]["tasks"]
    found: dict[str, Any] = next(t for t in dag if t["name"] == name)
    return found


def _set(path: list[Any], value: Any) -> Callable[[dict[str, Any]], None]:
    def change(manifest: dict[str, Any]) -> None:
        target: Any = manifest
        for key in path[:-1]:
            target = target[key]
        target[path[-1]] = value

    return change


MISTAKES: list[tuple[str, Callable[[dict[str, Any]], None], str]] = [
    (
        "misspelt key",
        lambda m: template(m, "iris-model")["script"].update(imagePullPolcy="Never"),
        r"workflow\.spec\.templates\[\d\]\.script\.imagePullPolcy: not a field of Argo",
    ),
    (
        "wrong type",
        lambda m: template(m, "iris-model")["script"].update(command="python"),
        "not an Argo Workflow",
    ),
    (
        "unknown entrypoint",
        _set(["spec", "entrypoint"], "main"),
        "entrypoint 'main' is not a template",
    ),
    (
        "task calls a missing template",
        lambda m: task(m, "iris-model").update(template="iris-modle"),
        "task iris-model: template 'iris-modle' does not exist",
    ),
    (
        "depends on a missing task",
        lambda m: task(m, "iris-model").update(depends="iris-preprocessed && split"),
        "task iris-model: depends on 'split', not a task of the DAG",
    ),
    (
        "cycle",
        lambda m: task(m, "iris-preprocessed").update(depends="iris-model-evaluation"),
        "dependency cycle",
    ),
    (
        "underscore in a template name",
        lambda m: template(m, "iris-model").update(name="iris_model"),
        "template name 'iris_model' is not allowed by Argo",
    ),
    (
        "unknown workflow parameter",
        lambda m: task(m, "iris-preprocessed")["arguments"]["parameters"][0].update(
            value="{{workflow.parameters.uri}}"
        ),
        r"parameter url refers to \{\{workflow\.parameters\.uri\}\}, not a workflow parameter",
    ),
    (
        "parameter not given",
        lambda m: task(m, SPLIT)["arguments"]["parameters"].pop(),
        r"input parameters \['test_size'\] of split-samples.* not given",
    ),
    (
        "argument the template does not take",
        lambda m: task(m, "iris-model")["arguments"]["artifacts"].append(
            {"name": "df", "from": "{{tasks.iris-preprocessed.outputs.artifacts.df}}"}
        ),
        r"iris-model has no input artifacts \['df'\]",
    ),
    (
        "artifact from a task that is not upstream",
        lambda m: task(m, "iris-model").update(depends="iris-preprocessed"),
        f"artifact split_samples comes from '{SPLIT}', which is not upstream of it",
    ),
    (
        "artifact the upstream task does not output",
        lambda m: task(m, "iris-model-evaluation")["arguments"]["artifacts"][0].update(
            {"from": "{{tasks.iris-model.outputs.artifacts.model}}"}
        ),
        "iris-model declares no output artifact 'model'",
    ),
    (
        "script refers to an undeclared path",
        lambda m: template(m, "iris-model")["script"].update(
            source=template(m, "iris-model")["script"]["source"].replace(
                "outputs.artifacts.mod.path", "outputs.artifacts.model.path"
            )
        ),
        r"template iris-model: \{\{outputs\.artifacts\.model\.path\}\} refers to nothing",
    ),
    (
        "env refers to an undeclared parameter",
        lambda m: template(m, "iris-preprocessed")["script"]["env"][0].update(
            value="{{inputs.parameters.path}}"
        ),
        r"\{\{inputs\.parameters\.path\}\} refers to nothing in scope",
    ),
    (
        "relative artifact path",
        lambda m: template(m, "iris-model")["outputs"]["artifacts"][0].update(path="mod.pickle"),
        "artifact path 'mod.pickle' is not absolute",
    ),
    (
        "workflow name with capitals",
        _set(["metadata", "generateName"], "Iris-"),
        "workflow name 'Iris-' is not a Kubernetes name",
    ),
]


@pytest.mark.parametrize(
    ("change", "message"), [m[1:] for m in MISTAKES], ids=[m[0] for m in MISTAKES]
)
def test_validation_catches(
    manifest: dict[str, Any], change: Callable[[dict[str, Any]], None], message: str
) -> None:
    broken = copy.deepcopy(manifest)
    validate(broken)  # valid before the change
    change(broken)
    with pytest.raises(InvalidWorkflow, match=message):
        validate(broken)
