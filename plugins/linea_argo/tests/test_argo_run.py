"""The generated workflows run, step by step, and reproduce the stored values.

No Kubernetes here: :mod:`argo_local` validates each manifest strictly and runs its DAG
in dependency order with the declared parameter and artifact wiring (see its
docstring). The iris pipeline is generated for each breakdown, and with container
templates (the steps file in the image) instead of script templates; every workflow runs with
its default parameters and with all three overridden (as ``argo submit -p``), and the
artifact values its steps output (``artifact-<name>``) are compared with the values
stored when the iris session was traced (the overridden run with a second session traced
on a data subset with those settings). The hera file is checked to be the same workflow
as the YAML, to submit nothing when imported, to print the workflow with other
parameters (which is run too) and to submit it to an Argo server's API on request.

Run alone: ``pytest -m slow plugins/linea_argo``.
"""

from __future__ import annotations

import json
import os
import sys
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, HTTPServer
from pathlib import Path
from typing import Any

import pytest
import yaml
from argo_local import run_workflow

from linea_core.testing import LineaSandbox, assert_all_ok, check_values, linea_sandbox, run_command
from linea_core.testing.examples import (
    IRIS_ARTIFACTS,
    IRIS_DEPENDENCIES,
    IRIS_PARAMETERS,
    iris_code,
    iris_csv,
)

CONFIGS: dict[str, dict[str, str]] = {
    "iris_by_artifact": {"breakdown": "artifact"},
    "iris_by_session": {"breakdown": "session"},
    "iris_in_one": {"breakdown": "pipeline"},
    "iris_containers": {"breakdown": "artifact", "template": "container"},
}
OVERRIDE = {"test_size": "0.5", "random_state": "7", "url": "iris_b.csv"}


@dataclass(frozen=True)
class Generated:
    sandbox: LineaSandbox
    folders: dict[str, Path]  # pipeline name -> its folder (the image's working directory)
    expected: dict[str, dict[str, Path]]  # "default" / "override" -> artifact -> stored value


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Generated]:
    root = tmp_path_factory.mktemp("argo-run")
    with linea_sandbox(root) as sandbox:
        data = iris_csv().decode()
        subset = "".join(data.splitlines(keepends=True)[:121])  # header + 120 rows
        sandbox.write_files({"iris.csv": data, "iris_b.csv": subset})
        sandbox.trace(iris_code(), name="iris")
        sandbox.trace(
            iris_code(suffix="_b", test_size=0.5, random_state=7).replace(
                'url = "iris.csv"', 'url = "iris_b.csv"'
            ),
            name="iris, other settings",
        )
        folders = {}
        for name, config in CONFIGS.items():
            folder = sandbox.to_pipeline(
                IRIS_ARTIFACTS,
                framework="ARGO",
                pipeline_name=name,
                dependencies=IRIS_DEPENDENCIES,
                input_parameters=IRIS_PARAMETERS,
                output_dir=name,
                pipeline_dag_config=config,
            )
            (folder / "iris.csv").write_text(data)  # the image's COPY . . brings the data
            (folder / "iris_b.csv").write_text(subset)
            folders[name] = folder
        stored = sandbox.stored_values(IRIS_ARTIFACTS, root / "stored")
        stored_b = sandbox.stored_values([f"{a}_b" for a in IRIS_ARTIFACTS], root / "stored_b")
        expected = {
            "default": stored,
            "override": {a: stored_b[f"{a}_b"] for a in IRIS_ARTIFACTS},
        }
        yield Generated(sandbox, folders, expected)


def manifest_of(folder: Path, name: str) -> dict[str, Any]:
    loaded: dict[str, Any] = yaml.safe_load((folder / f"{name}_argo.yaml").read_text())
    return loaded


def kept_values(manifest: dict[str, Any], results: dict[str, dict[str, Path]]) -> str:
    """Code binding ``actual`` to the artifacts' values the run's steps output."""
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


# Each configuration runs at least once; overridden parameters for most (the session
# breakdown's are run by the hera file test below). Every step starts a Python that
# imports pandas and scikit-learn, so the full cross product would only cost time.
RUNS = [
    ("iris_by_artifact", "default"),
    ("iris_by_artifact", "override"),
    ("iris_by_session", "default"),
    ("iris_in_one", "override"),
    ("iris_containers", "override"),
]


@pytest.mark.slow
@pytest.mark.parametrize(("name", "label"), RUNS)
def test_the_workflow_runs_step_by_step_and_reproduces_the_stored_values(
    generated: Generated, name: str, label: str, tmp_path: Path
) -> None:
    folder = generated.folders[name]
    manifest = manifest_of(folder, name)
    results = run_workflow(
        manifest,
        workdir=folder,
        scratch=tmp_path,
        parameters=OVERRIDE if label == "override" else None,
    )
    tasks = manifest["spec"]["templates"][0]["dag"]["tasks"]
    assert list(results) == [t["name"] for t in tasks]  # already in dependency order
    expected = generated.expected[label]
    report = check_values(kept_values(manifest, results), expected, cwd=folder)
    assert sorted(report) == sorted(IRIS_ARTIFACTS)
    assert_all_ok(report)


def test_the_hera_file_is_the_yaml_and_submits_nothing_when_imported(
    generated: Generated, tmp_path: Path
) -> None:
    for name, folder in generated.folders.items():
        probe = f"""
import json, socket, sys
def refuse(*args, **kwargs):
    raise AssertionError("importing the workflow file opened a connection")
socket.socket.connect = refuse
socket.create_connection = refuse
sys.path.insert(0, {str(folder)!r})
import {name}_argo as workflow_file
print(json.dumps(workflow_file.workflow.to_dict()))
"""
        done = run_command([sys.executable, "-c", probe], cwd=tmp_path)
        built = json.loads(done.stdout)
        assert normalised(built) == normalised(manifest_of(folder, name))


def normalised(manifest: dict[str, Any]) -> dict[str, Any]:
    """Template order does not matter to Argo (hera lists the DAG last)."""
    copy = json.loads(json.dumps(manifest))
    copy["spec"]["templates"].sort(key=lambda t: t["name"])
    return copy


@pytest.mark.slow
def test_the_hera_file_prints_the_workflow_with_other_parameters_which_runs(
    generated: Generated, tmp_path: Path
) -> None:
    name = "iris_by_session"
    folder = generated.folders[name]
    flags = [part for key, value in OVERRIDE.items() for part in ("-p", f"{key}={value}")]
    printed = run_command([sys.executable, f"{name}_argo.py", *flags], cwd=folder).stdout
    manifest = yaml.safe_load(printed)
    arguments = {p["name"]: p["value"] for p in manifest["spec"]["arguments"]["parameters"]}
    assert arguments == OVERRIDE
    results = run_workflow(manifest, workdir=folder, scratch=tmp_path)
    report = check_values(
        kept_values(manifest, results), generated.expected["override"], cwd=folder
    )
    assert_all_ok(report)
    bad = run_command(
        [sys.executable, f"{name}_argo.py", "-p", "test_sise=0.5"], cwd=folder, check=False
    )
    assert bad.returncode != 0
    assert bad.stderr.strip().splitlines()[-1] == (
        "-p expects NAME=VALUE with NAME one of: random_state, test_size, url (got 'test_sise=0.5')"
    )


class _ArgoServer(BaseHTTPRequestHandler):
    """Argo server's create-workflow endpoint, recording what it receives."""

    received: list[tuple[str, str, dict[str, Any]]] = []

    def do_POST(self) -> None:  # noqa: N802 (http.server's name)
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        self.received.append((self.path, self.headers.get("Authorization", ""), body))
        workflow = json.loads(json.dumps(body["workflow"]))
        workflow["metadata"]["name"] = workflow["metadata"]["generateName"] + "abcde"
        data = json.dumps(workflow).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, format: str, *args: Any) -> None:
        pass


def test_submit_sends_the_workflow_to_the_argo_server(generated: Generated) -> None:
    name = "iris_by_artifact"
    folder = generated.folders[name]
    server = HTTPServer(("127.0.0.1", 0), _ArgoServer)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        environ = {
            **os.environ,
            "ARGO_SERVER": f"127.0.0.1:{server.server_port}",
            "ARGO_SECURE": "false",
            "ARGO_TOKEN": "secret-token",
        }
        done = run_command(
            [sys.executable, f"{name}_argo.py", "--submit", "-p", "test_size=0.5"],
            cwd=folder,
            env=environ,
        )
    finally:
        server.shutdown()
        server.server_close()
    assert done.stdout.strip() == "iris-by-artifact-abcde"
    [(path, authorization, body)] = _ArgoServer.received
    assert path == "/api/v1/workflows/argo"
    assert authorization == "Bearer secret-token"
    expected = manifest_of(folder, name)
    for parameter in expected["spec"]["arguments"]["parameters"]:
        if parameter["name"] == "test_size":
            parameter["value"] = "0.5"
    assert normalised(body["workflow"]) == normalised(expected)
