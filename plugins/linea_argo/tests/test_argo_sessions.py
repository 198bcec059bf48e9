"""Artifacts of two sessions in one workflow: the second session's steps receive the first
session's value as an artifact wired across sessions, for every breakdown and both
kinds of template, and reproduce the stored values (light code: no pandas, so these
run in seconds)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml
from argo_local import run_workflow

from linea_core.testing import LineaSandbox, assert_all_ok, check_values, export_values

PREPARE = """
import linea_core as lineapy
base = 10
numbers = [base, base + 1, base + 2]
lineapy.save(numbers, "numbers")
labels = {n: str(n) for n in numbers}
lineapy.save(labels, "labels")
"""
TOTAL = """
import linea_core as lineapy
numbers = lineapy.get("numbers").get_value()
factor = 2
scaled = [n * factor for n in numbers]
lineapy.save(scaled, "scaled")
total = sum(scaled)
lineapy.save(total, "total")
"""
ARTIFACTS = ["numbers", "labels", "scaled", "total"]


@pytest.fixture(scope="module")
def sessions(tmp_path_factory: pytest.TempPathFactory) -> Any:
    from linea_core.testing import linea_sandbox

    with linea_sandbox(tmp_path_factory.mktemp("argo-sessions")) as sandbox:
        sandbox.trace(PREPARE, name="prepare")
        sandbox.trace(TOTAL, name="total")
        yield sandbox


def kept(results: dict[str, dict[str, Path]]) -> str:
    paths = {
        name[len("artifact-") :]: str(path)
        for outputs in results.values()
        for name, path in outputs.items()
        if name.startswith("artifact-")
    }
    return f"""
import pickle
actual = {{}}
for artifact, path in {paths!r}.items():
    with open(path, "rb") as stream:
        actual[artifact] = pickle.load(stream)
"""


@pytest.mark.parametrize("template", ["script", "container"])
@pytest.mark.parametrize("breakdown", ["artifact", "session", "pipeline"])
def test_two_sessions_in_one_workflow(
    sessions: LineaSandbox, breakdown: str, template: str, tmp_path: Path
) -> None:
    name = f"numbers_{breakdown}_{template}"
    folder = sessions.to_pipeline(
        ARTIFACTS,
        framework="ARGO",
        pipeline_name=name,
        dependencies={"scaled": {"numbers"}},
        input_parameters=["base", "factor"],
        output_dir=tmp_path / "pipeline",
        pipeline_dag_config={"breakdown": breakdown, "template": template},
    )
    manifest: dict[str, Any] = yaml.safe_load((folder / f"{name}_argo.yaml").read_text())
    tasks = manifest["spec"]["templates"][0]["dag"]["tasks"]
    if breakdown == "session":
        prepare, total = tasks
        assert total["depends"] == prepare["name"]
        [wired] = total["arguments"]["artifacts"]
        assert wired["from"].startswith(f"{{{{tasks.{prepare['name']}.outputs.artifacts.")
    results = run_workflow(manifest, workdir=folder, scratch=tmp_path / "default")
    report = check_values(kept(results), sessions.stored_values(ARTIFACTS, tmp_path / "stored"))
    assert sorted(report) == sorted(ARTIFACTS)
    assert_all_ok(report)

    other = run_workflow(
        manifest,
        workdir=folder,
        scratch=tmp_path / "other",
        parameters={"base": "1", "factor": "3"},
    )
    expected = export_values(
        {
            "numbers": [1, 2, 3],
            "labels": {1: "1", 2: "2", 3: "3"},
            "scaled": [3, 6, 9],
            "total": 18,
        },
        tmp_path / "expected",
    )
    assert_all_ok(check_values(kept(other), expected))


def test_names_argo_cannot_take_are_one_clear_error(linea_sandbox: LineaSandbox) -> None:
    from linea_core.pipeline import PipelineError

    linea_sandbox.trace(
        "import linea_core as lineapy\nmenge = 3\nmaße = [menge] * 2\n"
        "lineapy.save(maße, 'sizes')\ndoubled = [m * 2 for m in maße]\n"
        "lineapy.save(doubled, 'doubled')\n"
    )
    pipeline = linea_sandbox.pipeline(["sizes", "doubled"], input_parameters=["menge"])
    with pytest.raises(PipelineError) as raised:
        linea_sandbox.render(pipeline, "ARGO")
    assert str(raised.value) == (
        "Argo allows only ASCII letters, digits, '_' and '-' in parameter and artifact names: "
        "rename the variable 'maße' in the traced code"
    )
