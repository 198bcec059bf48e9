"""Parameters of every type survive Argo's text-only parameters: a workflow run with its
defaults reproduces the stored value, one run with other values (as ``argo submit -p``)
computes what the traced code computes with them, and a value of the wrong type stops
the step with one line naming the parameter."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml
from argo_local import run_workflow

from linea_core.testing import LineaSandbox, assert_all_ok, check_values, export_values

CODE = """
import linea_core as lineapy
flag = True
sizes = [1, 2, (3, None)]
label = 'it\\'s "quoted"'
count = 3
ratio = 0.5
result = {"flag": flag, "sizes": sizes * count, "label": label, "scaled": count * ratio}
lineapy.save(result, "result")
"""
PARAMETERS = ["flag", "sizes", "label", "count", "ratio"]


def result(flag: bool, sizes: Any, label: str, count: int, ratio: float) -> dict[str, Any]:
    return {"flag": flag, "sizes": sizes * count, "label": label, "scaled": count * ratio}


@pytest.fixture
def workflow(
    linea_sandbox: LineaSandbox, request: pytest.FixtureRequest
) -> tuple[Path, dict[str, Any]]:
    linea_sandbox.trace(CODE)
    folder = linea_sandbox.to_pipeline(
        ["result"],
        framework="ARGO",
        pipeline_name="typed",
        input_parameters=PARAMETERS,
        pipeline_dag_config={"template": request.param},
    )
    manifest: dict[str, Any] = yaml.safe_load((folder / "typed_argo.yaml").read_text())
    return folder, manifest


def kept(results: dict[str, dict[str, Path]]) -> str:
    [path] = [
        p for outputs in results.values() for n, p in outputs.items() if n == "artifact-result"
    ]
    return f"""
import pickle
with open({str(path)!r}, "rb") as stream:
    actual = {{"result": pickle.load(stream)}}
"""


@pytest.mark.parametrize("workflow", ["script", "container"], indirect=True)
def test_parameters_of_every_type(
    workflow: tuple[Path, dict[str, Any]], linea_sandbox: LineaSandbox, tmp_path: Path
) -> None:
    folder, manifest = workflow
    defaults = {p["name"]: p["value"] for p in manifest["spec"]["arguments"]["parameters"]}
    assert defaults == {
        "count": "3",
        "flag": "true",
        "label": 'it\'s "quoted"',
        "ratio": "0.5",
        "sizes": "[1, 2, (3, None)]",
    }
    results = run_workflow(manifest, workdir=folder, scratch=tmp_path / "default")
    assert_all_ok(check_values(kept(results), linea_sandbox.stored_values(["result"])))

    other = {"flag": "false", "sizes": "(None,)", "label": "x'y\n\"z", "count": "2", "ratio": "1"}
    results = run_workflow(manifest, workdir=folder, scratch=tmp_path / "other", parameters=other)
    expected = export_values({"result": result(False, (None,), "x'y\n\"z", 2, 1.0)}, tmp_path / "e")
    assert_all_ok(check_values(kept(results), expected))


@pytest.mark.parametrize("workflow", ["script"], indirect=True)
def test_a_value_of_the_wrong_type_is_one_clear_line(
    workflow: tuple[Path, dict[str, Any]], tmp_path: Path
) -> None:
    folder, manifest = workflow
    with pytest.raises(AssertionError) as failed:
        run_workflow(manifest, workdir=folder, scratch=tmp_path, parameters={"count": "2.5"})
    assert "parameter count: expected an integer, got '2.5'" in str(failed.value)
