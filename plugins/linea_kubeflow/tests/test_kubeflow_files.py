"""What the KUBEFLOW writer generates: snapshots of every file, and properties every
pipeline must have whatever the options: the compiled YAML is wired consistently, it
embeds exactly the component functions of the pipeline file, parameters keep their
types, and the file's module level contacts no server.

Update the snapshots after an intended change with
``LINEA_UPDATE_SNAPSHOTS=1 pytest plugins/linea_kubeflow/tests/test_kubeflow_files.py``
and review the diff.
"""

from __future__ import annotations

import ast
from pathlib import Path
from typing import Any

import pytest
import yaml

from linea_core.testing import LineaSandbox, assert_snapshot, pinned_versions
from linea_core.testing.examples import IRIS_ARTIFACTS, iris_pipeline

SNAPSHOTS = Path(__file__).parent / "snapshots"
FILES = [
    "iris_pipeline_Dockerfile",
    "iris_pipeline_dag.py",
    "iris_pipeline_module.py",
    "iris_pipeline_pipeline.yaml",
    "iris_pipeline_requirements.txt",
]
PREAMBLE = "\nimport kfp\nfrom kfp import dsl\nfrom kfp.dsl import *\nfrom typing import *\n\n"

CASES: dict[str, dict[str, Any]] = {
    "per_artifact": {},
    "per_session": {
        "breakdown": "session",
        "pipeline_root": "minio://mlpipeline/v2",
        "enable_caching": True,
    },
    "one_component": {
        "breakdown": "pipeline",
        "pipeline_id": "iris-nightly",
        "image": "registry.example.com/team/iris:1.0",
        "base_image": "python:3.12-slim",
        "host": "http://127.0.0.1:8888",
        "namespace": "team-a",
        "experiment": "nightly",
    },
}

# Two sessions: the second reads the first's artifact; parameters of every type.
TOY_FIRST = """
import linea_core as lineapy
scale = 3
shift = 0.5
label = "points"
points = [(label, x * scale + shift) for x in range(5)]
lineapy.save(points, "points")
"""
TOY_SECOND = """
import linea_core as lineapy
keep = (1, 3)
reverse = True
points = lineapy.get("points").get_value()
picked = [points[i] for i in keep]
if reverse:
    picked = picked[::-1]
lineapy.save(picked, "picked")
"""


def compiled(files: dict[str, Any], name: str = "iris_pipeline") -> dict[str, Any]:
    return dict(yaml.safe_load(str(files[f"{name}_pipeline.yaml"].content)))


@pytest.mark.parametrize("case", sorted(CASES))
def test_generated_files_match_the_snapshot(linea_iris: LineaSandbox, case: str) -> None:
    pipeline = pinned_versions(
        iris_pipeline(linea_iris), {"pandas": "2.2.3", "scikit-learn": "1.5.2"}
    )
    files = linea_iris.render(pipeline, "KUBEFLOW", CASES[case])
    assert sorted(files) == FILES
    assert_snapshot(files, SNAPSHOTS / case)


def assert_wired(spec: dict[str, Any]) -> None:
    """Every reference in a PipelineSpec names something that exists."""
    components = spec["components"]
    executors = spec["deploymentSpec"]["executors"]
    root = spec["root"]
    parameters = root.get("inputDefinitions", {}).get("parameters", {})
    tasks = root["dag"]["tasks"]
    for name, task in tasks.items():
        component = components[task["componentRef"]["name"]]
        assert component["executorLabel"] in executors
        assert task["taskInfo"]["name"] == name
        wanted = component.get("inputDefinitions", {})
        given = task.get("inputs", {})
        assert set(wanted.get("artifacts", {})) == set(given.get("artifacts", {}))
        assert set(wanted.get("parameters", {})) == set(given.get("parameters", {}))
        for source in given.get("parameters", {}).values():
            assert source["componentInputParameter"] in parameters
        for source in given.get("artifacts", {}).values():
            producer = source["taskOutputArtifact"]["producerTask"]
            assert producer in task["dependentTasks"]
            produced = components[tasks[producer]["componentRef"]["name"]]
            key = source["taskOutputArtifact"]["outputArtifactKey"]
            assert key in produced["outputDefinitions"]["artifacts"]
        for upstream in task.get("dependentTasks", []):
            assert upstream in tasks and upstream != name
    outputs = root["dag"].get("outputs", {}).get("artifacts", {})
    assert set(outputs) == set(root.get("outputDefinitions", {}).get("artifacts", {}))
    for selector in outputs.values():
        (only,) = selector["artifactSelectors"]
        produced = components[tasks[only["producerSubtask"]]["componentRef"]["name"]]
        assert only["outputArtifactKey"] in produced["outputDefinitions"]["artifacts"]


def component_functions(text: str) -> dict[str, str]:
    """The ``@dsl.component`` functions of a pipeline file, from ``def`` to their end."""
    lines = text.splitlines()
    found = {}
    for node in ast.parse(text).body:
        if isinstance(node, ast.FunctionDef) and any(
            ast.unparse(d).startswith("dsl.component") for d in node.decorator_list
        ):
            found[node.name] = "\n".join(lines[node.lineno - 1 : node.end_lineno]) + "\n"
    return found


@pytest.mark.parametrize("breakdown", ["artifact", "session", "pipeline"])
def test_the_yaml_runs_the_functions_of_the_pipeline_file(
    linea_iris: LineaSandbox, breakdown: str
) -> None:
    files = linea_iris.render(iris_pipeline(linea_iris), "KUBEFLOW", {"breakdown": breakdown})
    spec = compiled(files)
    assert_wired(spec)
    functions = component_functions(str(files["iris_pipeline_dag.py"].content))
    embedded = {}
    for executor in spec["deploymentSpec"]["executors"].values():
        container = executor["container"]
        assert container["image"] == "iris-pipeline:latest"
        function = container["args"][container["args"].index("--function_to_execute") + 1]
        source = container["command"][-1]
        assert source.startswith(PREAMBLE)
        embedded[function] = source[len(PREAMBLE) :].removesuffix("\n")
    assert embedded == functions
    # Each artifact's value is an output of the pipeline.
    assert sorted(spec["root"]["outputDefinitions"]["artifacts"]) == sorted(IRIS_ARTIFACTS)
    assert spec["root"]["inputDefinitions"]["parameters"] == {
        "random_state": {
            "defaultValue": 42.0,
            "isOptional": True,
            "parameterType": "NUMBER_INTEGER",
        },  # fmt: skip
        "test_size": {
            "defaultValue": 0.33,
            "isOptional": True,
            "parameterType": "NUMBER_DOUBLE",
        },  # fmt: skip
        "url": {"defaultValue": "iris.csv", "isOptional": True, "parameterType": "STRING"},
    }


def test_components_per_artifact_hand_on_values_as_artifacts(linea_iris: LineaSandbox) -> None:
    spec = compiled(linea_iris.render(iris_pipeline(linea_iris), "KUBEFLOW"))
    tasks = spec["root"]["dag"]["tasks"]
    split = "split-samples-for-artifact-iris-model-and-downstream"
    assert sorted(tasks) == sorted(["iris-preprocessed", split, "iris-model", "iris-model-evaluation"])  # fmt: skip
    evaluation = tasks["iris-model-evaluation"]
    assert evaluation["dependentTasks"] == ["iris-model", split]
    assert evaluation["inputs"]["artifacts"] == {
        "input_mod": {
            "taskOutputArtifact": {
                "outputArtifactKey": "artifact_iris_model",
                "producerTask": "iris-model",
            }
        },  # fmt: skip
        "input_split_samples": {
            "taskOutputArtifact": {
                "outputArtifactKey": "output_split_samples",
                "producerTask": split,
            }
        },  # fmt: skip
    }
    # iris_model waits for iris_preprocessed (the user's dependencies) without a value.
    assert tasks["iris-model"]["dependentTasks"] == ["iris-preprocessed", split]
    assert all(task["cachingOptions"] == {} for task in tasks.values())


def test_module_level_of_the_pipeline_file_contacts_no_server(linea_iris: LineaSandbox) -> None:
    config = {"host": "http://127.0.0.1:8888"}
    text = str(
        linea_iris.render(iris_pipeline(linea_iris), "KUBEFLOW", config)[
            "iris_pipeline_dag.py"
        ].content  # fmt: skip
    )
    tree = ast.parse(text)
    main = next(n for n in tree.body if isinstance(n, ast.FunctionDef) and n.name == "main")
    clients = [n for n in ast.walk(tree) if isinstance(n, ast.Attribute) and n.attr == "Client"]
    assert clients and all(main.lineno <= n.lineno <= (main.end_lineno or 0) for n in clients), (
        "kfp.Client is only created by main(), when the file runs with --submit"
    )
    assert 'HOST = "http://127.0.0.1:8888"' in text
    # Components import the module at run time; the file itself never does.
    imported = {
        alias.name
        for node in tree.body
        if isinstance(node, ast.Import | ast.ImportFrom)
        for alias in node.names
    }
    assert "iris_pipeline_module" not in imported and "pandas" not in imported


def test_parameters_of_every_type_and_sessions_wired_by_artifact(
    linea_sandbox: LineaSandbox,
) -> None:
    linea_sandbox.trace(TOY_FIRST, name="first")
    linea_sandbox.trace(TOY_SECOND, name="second")
    pipeline = linea_sandbox.pipeline(
        ["points", "picked"],
        pipeline_name="toy",
        input_parameters=["scale", "shift", "label", "keep", "reverse"],
    )
    for breakdown in ("artifact", "session"):
        files = linea_sandbox.render(pipeline, "KUBEFLOW", {"breakdown": breakdown})
        spec = compiled(files, "toy")
        assert_wired(spec)
        types = {
            name: (p["parameterType"], p["defaultValue"])
            for name, p in spec["root"]["inputDefinitions"]["parameters"].items()
        }
        assert types == {
            "scale": ("NUMBER_INTEGER", 3.0),
            "shift": ("NUMBER_DOUBLE", 0.5),
            "label": ("STRING", "points"),
            "keep": ("STRING", "(1, 3)"),  # a Python literal, as its source
            "reverse": ("BOOLEAN", True),
        }
        dag = str(files["toy_dag.py"].content)
        assert "keep = ast.literal_eval(keep)" in dag
        signature = next(
            n for n in ast.parse(dag).body if isinstance(n, ast.FunctionDef) and n.name == "toy"
        )
        assert ast.unparse(signature.args) == (
            "keep: str='(1, 3)', label: str='points', reverse: bool=True, scale: int=3, "
            "shift: float=0.5"
        )
        tasks = spec["root"]["dag"]["tasks"]
        (consumer,) = [t for t in tasks.values() if "dependentTasks" in t]
        (source,) = consumer["inputs"]["artifacts"].values()
        assert source["taskOutputArtifact"]["producerTask"] == consumer["dependentTasks"][0]


def test_to_pipeline_writes_the_files(linea_iris: LineaSandbox) -> None:
    from linea_core.testing.examples import IRIS_DEPENDENCIES, IRIS_PARAMETERS

    output = linea_iris.to_pipeline(
        IRIS_ARTIFACTS,
        framework="KUBEFLOW",
        pipeline_name="iris_pipeline",
        dependencies=IRIS_DEPENDENCIES,
        input_parameters=IRIS_PARAMETERS,
        output_dir="kubeflow",
        generate_test=True,
    )
    names = sorted(p.name for p in output.iterdir())
    assert names == sorted([*FILES, "sample_output", "test_iris_pipeline.py"])


def test_helpers_of_a_component_step_aside_for_the_user_s_names(
    linea_sandbox: LineaSandbox,
) -> None:
    linea_sandbox.trace(
        "import linea_core as lineapy\n"
        "stream = [1, 2, 3]\n"
        "module = {'total': sum(stream)}\n"
        "lineapy.save(module, 'clash_total')\n"
        "pickle = [x * module['total'] for x in stream]\n"
        "lineapy.save(pickle, 'clash_scaled')\n"
    )
    pipeline = linea_sandbox.pipeline(["clash_total", "clash_scaled"], pipeline_name="clash")
    files = linea_sandbox.render(pipeline, "KUBEFLOW")
    text = str(files["clash_dag.py"].content)
    assert "import pickle as pickle_2" in text
    assert "import clash_module as module_2" in text
    for function in component_functions(text):
        tree = ast.parse(component_functions(text)[function])
        helpers = {"module_2", "pickle_2", "stream_2"}
        assigned = {
            target.id
            for node in ast.walk(tree)
            if isinstance(node, ast.Assign)
            for target in ast.walk(node)
            if isinstance(target, ast.Name) and isinstance(target.ctx, ast.Store)
        }
        assert not (assigned & helpers), function
    spec = compiled(files, "clash")
    assert_wired(spec)
    assert "inputDefinitions" not in spec["root"]  # no parameters
