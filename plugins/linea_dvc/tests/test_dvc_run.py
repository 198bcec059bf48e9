"""The generated DVC pipeline runs under real DVC and reruns only what a change affects.

A uv-built environment (cached by the test kit) with DVC and the generated
requirements; the pipeline is written into a fresh git repository (DVC analytics off,
the environment's bin first on PATH), `dvc repro` runs it, and the artifact values its
stages output are compared with the values stored when the iris session was traced.
Then ``test_size`` changes in params.yaml: the stage reading the data must be skipped,
the others rerun, and the new values must equal those of a session traced with that
setting.

Run alone: ``pytest -m slow plugins/linea_dvc``.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from linea_core.pipeline import artifact_locations
from linea_core.testing import (
    LineaSandbox,
    TestEnv,
    assert_all_ok,
    cached_env,
    check_values,
)
from linea_core.testing.examples import (
    IRIS_ARTIFACTS,
    IRIS_DEPENDENCIES,
    IRIS_PARAMETERS,
    iris_code,
    iris_csv,
)

SPLIT = "split_samples_for_artifact_iris_model_and_downstream"


def dvc_env(requirements: list[str]) -> TestEnv:
    return cached_env("dvc", requirements)


def dvc_environ(env: TestEnv, home: Path) -> dict[str, str]:
    return env.environ(
        {
            "DVC_NO_ANALYTICS": "1",
            "HOME": str(home),  # DVC's and git's global config stay out of the test
            "GIT_AUTHOR_NAME": "linea",
            "GIT_AUTHOR_EMAIL": "linea@example.com",
            "GIT_COMMITTER_NAME": "linea",
            "GIT_COMMITTER_EMAIL": "linea@example.com",
        }
    )


def new_repository(env: TestEnv, folder: Path, environ: dict[str, str]) -> None:
    env.run(["git", "init", "--quiet"], cwd=folder, env=environ)
    env.run(["dvc", "init", "--quiet"], cwd=folder, env=environ)
    env.run(["dvc", "config", "core.analytics", "false"], cwd=folder, env=environ)


def ran_stages(output: str) -> tuple[list[str], list[str]]:
    """(stages run, stages skipped) as `dvc repro` reports them."""
    ran = re.findall(r"Running stage '([^']+)'", output)
    skipped = re.findall(r"Stage '([^']+)' didn't change, skipping", output)
    return ran, skipped


def artifact_values(folder: Path, locations: dict[str, tuple[str, str]], data: str) -> str:
    return f"""
import pickle
actual = {{}}
for artifact, (task, key) in {locations!r}.items():
    with open({str(folder / data / "dvc")!r} + f"/{{task}}/{{key}}.pickle", "rb") as stream:
        actual[artifact] = pickle.load(stream)
"""


@pytest.fixture
def iris_sessions(linea_sandbox: LineaSandbox) -> LineaSandbox:
    """The iris session traced twice: as in the tutorial and with test_size=0.5."""
    linea_sandbox.write_files({"iris.csv": iris_csv()})
    linea_sandbox.trace(iris_code(), name="iris")
    linea_sandbox.trace(iris_code(suffix="_half", test_size=0.5), name="iris, half test")
    return linea_sandbox


def write_pipeline(sandbox: LineaSandbox, name: str, config: dict[str, object]) -> Path:
    folder = sandbox.to_pipeline(
        IRIS_ARTIFACTS,
        framework="DVC",
        pipeline_name=name,
        dependencies=IRIS_DEPENDENCIES,
        input_parameters=IRIS_PARAMETERS,
        output_dir=name,
        pipeline_dag_config=config,
    )
    (folder / "iris.csv").write_bytes(iris_csv())
    return folder


@pytest.mark.slow
def test_dvc_repro_runs_the_stages_and_reruns_only_what_a_parameter_affects(
    iris_sessions: LineaSandbox, tmp_path: Path
) -> None:
    sandbox = iris_sessions
    folder = write_pipeline(sandbox, "iris_stages", {})
    env = dvc_env((folder / "iris_stages_requirements.txt").read_text().split())
    environ = dvc_environ(env, tmp_path / "home")
    new_repository(env, folder, environ)
    model = sandbox.pipeline(IRIS_ARTIFACTS, pipeline_name="iris_stages")
    locations = artifact_locations(model.task_graph("artifact").tasks)
    produce = artifact_values(folder, locations, "iris_stages_data")

    first = env.run(["dvc", "repro"], cwd=folder, env=environ).stdout
    ran, skipped = ran_stages(first)
    assert ran == ["iris_preprocessed", SPLIT, "iris_model", "iris_model_evaluation"]
    assert skipped == []
    expected = sandbox.stored_values(IRIS_ARTIFACTS, tmp_path / "expected")
    assert_all_ok(check_values(produce, expected, python=env.python, cwd=folder))

    # Nothing changed: nothing runs.
    again = env.run(["dvc", "repro"], cwd=folder, env=environ).stdout
    assert ran_stages(again) == ([], ["iris_preprocessed", SPLIT, "iris_model", "iris_model_evaluation"])  # fmt: skip

    # A new test_size: the data is not read again, everything after the split reruns.
    params = yaml.safe_load((folder / "params.yaml").read_text())
    params["test_size"] = 0.5
    (folder / "params.yaml").write_text(yaml.safe_dump(params))
    changed = env.run(["dvc", "repro"], cwd=folder, env=environ).stdout
    assert ran_stages(changed) == ([SPLIT, "iris_model", "iris_model_evaluation"], ["iris_preprocessed"])  # fmt: skip
    half = sandbox.stored_values([f"{a}_half" for a in IRIS_ARTIFACTS], tmp_path / "half")
    expected_half = {a: half[f"{a}_half"] for a in IRIS_ARTIFACTS}
    assert_all_ok(check_values(produce, expected_half, python=env.python, cwd=folder))

    status = env.run(["dvc", "status"], cwd=folder, env=environ).stdout
    assert "Data and pipelines are up to date" in status


@pytest.mark.slow
def test_dvc_repro_with_one_stage_for_the_whole_pipeline(
    iris_sessions: LineaSandbox, tmp_path: Path
) -> None:
    sandbox = iris_sessions
    folder = write_pipeline(sandbox, "iris_one", {"breakdown": "pipeline", "data_location": "out"})
    env = dvc_env((folder / "iris_one_requirements.txt").read_text().split())
    environ = dvc_environ(env, tmp_path / "home")
    new_repository(env, folder, environ)
    model = sandbox.pipeline(IRIS_ARTIFACTS, pipeline_name="iris_one")
    locations = artifact_locations(model.task_graph("pipeline").tasks)

    done = env.run(["dvc", "repro"], cwd=folder, env=environ).stdout
    assert ran_stages(done) == (["iris_one"], [])
    expected = sandbox.stored_values(IRIS_ARTIFACTS, tmp_path / "expected")
    produce = artifact_values(folder, locations, "out")
    assert_all_ok(check_values(produce, expected, python=env.python, cwd=folder))
    # DVC keeps the stage outputs out of git.
    for task, key in locations.values():
        env.run(["git", "check-ignore", "--quiet", f"out/dvc/{task}/{key}.pickle"], cwd=folder, env=environ)  # fmt: skip
