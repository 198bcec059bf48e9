"""The generated pipelines compile with the real kfp and run with kfp's local runner,
reproducing the stored values.

A uv-built environment (cached by the test kit, keyed by its requirements) holds kfp
and the pipeline's pinned requirements; nothing else of linea. In one Python process
of that environment, with network connections refused, each generated ``_dag.py`` is
imported (importing contacts no server) and its ``main()`` compiles it: the YAML kfp's
compiler writes must be the very text linea wrote. Then linea's YAML is loaded
(``kfp.components.load_component_from_file``) and run by ``kfp.local`` with the
``SubprocessRunner`` (``use_venv=False``: each component runs in a subprocess of this
environment, which already has everything), with the default parameters and with
overridden ones; each artifact's value, a pipeline output, is compared with the value
stored when the session was traced (the overridden runs with sessions traced with
those settings).

Run alone: ``pytest -m slow plugins/linea_kubeflow``.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from linea_kubeflow import KFP_VERSION

from linea_core.testing import (
    LineaSandbox,
    assert_all_ok,
    cached_env,
    check_values,
    linea_sandbox,
)
from linea_core.testing.examples import (
    IRIS_ARTIFACTS,
    IRIS_DEPENDENCIES,
    IRIS_PARAMETERS,
    iris_code,
    iris_csv,
)

OVERRIDE = {"test_size": 0.5, "random_state": 7}
# pipeline -> (pipeline_dag_config, runs: label -> "default" or "override")
IRIS = {
    "iris_by_artifact": ({}, ["default", "override"]),
    "iris_by_session": ({"breakdown": "session"}, ["override"]),
    "iris_in_one": ({"breakdown": "pipeline", "pipeline_id": "iris-in-one"}, ["default"]),
}

# Two sessions, the second reading the first's artifact; a parameter of every type.
TOY_FIRST = """
import linea_core as lineapy
scale = {scale}
shift = {shift}
label = {label!r}
points = [(label, x * scale + shift) for x in range(5)]
lineapy.save(points, "points{suffix}")
"""
TOY_SECOND = """
import linea_core as lineapy
keep = {keep!r}
reverse = {reverse}
points = lineapy.get("points{suffix}").get_value()
picked = [points[i] for i in keep]
if reverse:
    picked = picked[::-1]
lineapy.save(picked, "picked{suffix}")
"""
# Variables named like the helpers of a component (its module alias, file handle and
# pickle) handed between components; no parameters.
CLASH = """
import linea_core as lineapy
stream = [1, 2, 3]
module = {"total": sum(stream)}
lineapy.save(module, "clash_total")
pickle = [x * module["total"] for x in stream]
lineapy.save(pickle, "clash_scaled")
"""
TOY_DEFAULT = {"scale": 3, "shift": 0.5, "label": "p", "keep": (1, 3), "reverse": True}
TOY_OVERRIDE = {"scale": 2, "shift": 1.0, "label": "q", "keep": (0, 2, 4), "reverse": False}


@dataclass(frozen=True)
class Generated:
    folder: Path  # every pipeline's files, and the data they read
    requirements: list[str]
    runs: dict[str, dict[str, dict[str, Any]]]  # pipeline -> label -> arguments
    expected: dict[str, Path]  # "<pipeline>/<label>/<artifact>" -> stored value


def toy_code(suffix: str, settings: dict[str, Any]) -> tuple[str, str]:
    return TOY_FIRST.format(suffix=suffix, **settings), TOY_SECOND.format(suffix=suffix, **settings)


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Generated]:
    root = tmp_path_factory.mktemp("kubeflow-run")
    with linea_sandbox(root) as sandbox:
        data = iris_csv().decode()
        subset = "".join(data.splitlines(keepends=True)[:121])  # header + 120 rows
        sandbox.write_files({"iris.csv": data, "iris_b.csv": subset})
        sandbox.trace(iris_code(), name="iris")
        sandbox.trace(
            iris_code(suffix="_b", **OVERRIDE).replace('url = "iris.csv"', 'url = "iris_b.csv"'),
            name="iris, other settings",
        )
        for suffix, settings in (("", TOY_DEFAULT), ("_b", TOY_OVERRIDE)):
            for number, code in enumerate(toy_code(suffix, settings)):
                sandbox.trace(code, name=f"toy{suffix} {number}")
        sandbox.trace(CLASH, name="clash")
        folder = sandbox.work / "kubeflow"
        for name, (config, _) in IRIS.items():
            sandbox.to_pipeline(
                IRIS_ARTIFACTS,
                framework="KUBEFLOW",
                pipeline_name=name,
                dependencies=IRIS_DEPENDENCIES,
                input_parameters=IRIS_PARAMETERS,
                output_dir=folder,
                pipeline_dag_config=config,
            )
        sandbox.to_pipeline(
            ["points", "picked"],
            framework="KUBEFLOW",
            pipeline_name="toy",
            input_parameters=sorted(TOY_DEFAULT),
            output_dir=folder,
        )
        sandbox.to_pipeline(
            ["clash_total", "clash_scaled"],
            framework="KUBEFLOW",
            pipeline_name="clash",
            output_dir=folder,
        )
        sandbox.write_files({"kubeflow/iris.csv": data})
        yield Generated(
            folder,
            (folder / "iris_by_artifact_requirements.txt").read_text().split(),
            *_runs_and_expected(sandbox, root, str(sandbox.work / "iris_b.csv")),
        )


def _runs_and_expected(
    sandbox: LineaSandbox, root: Path, subset: str
) -> tuple[dict[str, dict[str, dict[str, Any]]], dict[str, Path]]:
    stored = sandbox.stored_values(IRIS_ARTIFACTS, root / "stored")
    stored_b = sandbox.stored_values([f"{a}_b" for a in IRIS_ARTIFACTS], root / "stored_b")
    toy = sandbox.stored_values(["points_b", "picked_b"], root / "toy")
    runs: dict[str, dict[str, dict[str, Any]]] = {}
    expected = {}
    for name, (_, labels) in IRIS.items():
        arguments = {"default": {}, "override": {"url": subset, **OVERRIDE}}
        runs[name] = {label: arguments[label] for label in labels}
        for label in labels:
            for artifact in IRIS_ARTIFACTS:
                value = stored[artifact] if label == "default" else stored_b[f"{artifact}_b"]
                expected[f"{name}/{label}/{artifact}"] = value
    # The defaults are run by the iris pipelines. The toy runs through the file's own
    # `--local`, its parameters given as command-line flags (a literal as its source).
    flags = [
        *("--scale", "2", "--shift", "1.0", "--label", "q"),
        *("--keep", "(0, 2, 4)", "--reverse", "false"),
    ]
    runs["toy"] = {"override": {"argv": flags}}
    for artifact in ("points", "picked"):
        expected[f"toy/override/{artifact}"] = toy[f"{artifact}_b"]
    clash = sandbox.stored_values(["clash_total", "clash_scaled"], root / "clash")
    runs["clash"] = {"default": {}}
    for artifact, path in clash.items():
        expected[f"clash/default/{artifact}"] = path
    return runs, expected


RUN_EVERY_PIPELINE = """
import importlib.util, pickle, socket, warnings

def _refused(*args, **kwargs):
    raise OSError("network access during the test")

socket.socket.connect = _refused
socket.create_connection = _refused
# kfp warns that an image without "python" in its name may not match this environment:
# here the environment is the image's contents.
warnings.filterwarnings("ignore", message="You may be attemping", category=RuntimeWarning)

from kfp import components, local

local.init(runner=local.SubprocessRunner(use_venv=False), pipeline_root={pipeline_root!r})
actual = {{}}
for name, runs in {runs!r}.items():
    spec = importlib.util.spec_from_file_location(name + "_dag", {folder!r} + f"/{{name}}_dag.py")
    dag = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(dag)  # importing the pipeline file contacts no server
    recompiled = {scratch!r} + f"/{{name}}_kfp.yaml"
    dag.main(["--output", recompiled])
    with open(recompiled) as ours, open({folder!r} + f"/{{name}}_pipeline.yaml") as theirs:
        if ours.read() != theirs.read():
            raise SystemExit(f"kfp compiles {{name}}_dag.py to other YAML than linea wrote")
    try:  # no host configured: --submit stops before creating a client
        dag.main(["--output", recompiled, "--submit"])
    except SystemExit as stopped:
        if stopped.code != 2:
            raise
    else:
        raise SystemExit("--submit without a host went on")
    pipeline = components.load_component_from_file({folder!r} + f"/{{name}}_pipeline.yaml")
    for label, arguments in runs.items():
        if "argv" in arguments:  # python <name>_dag.py --local FLAGS...
            root = {pipeline_root!r} + "/" + name
            argv = ["--output", recompiled, "--local", "--local-root", root, *arguments["argv"]]
            paths = dag.main(argv)
        else:
            task = pipeline(**arguments)
            paths = {{output: artifact.path for output, artifact in task.outputs.items()}}
        for output, path in paths.items():
            with open(path, "rb") as stream:
                actual[f"{{name}}/{{label}}/{{output}}"] = pickle.load(stream)
"""


@pytest.mark.slow
def test_pipelines_compile_with_kfp_and_run_locally_reproducing_the_stored_values(
    generated: Generated, tmp_path: Path
) -> None:
    env = cached_env("kfp", [f"kfp=={KFP_VERSION}", *generated.requirements])
    produce = RUN_EVERY_PIPELINE.format(
        pipeline_root=str(tmp_path / "pipeline_root"),
        runs=generated.runs,
        folder=str(generated.folder),
        scratch=str(tmp_path),
    )
    report = check_values(
        produce,
        generated.expected,
        python=env.python,
        cwd=generated.folder,  # components import the module and read iris.csv from here
        env=env.environ({"PYTHONDONTWRITEBYTECODE": "1"}),
        timeout=1800,
    )
    assert sorted(report) == sorted(generated.expected)
    assert_all_ok(report)
