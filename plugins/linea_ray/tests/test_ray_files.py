"""What the RAY writer generates: snapshots of every file, and properties every program
must have whatever the options (importing it starts nothing, values travel as object
references, never as files, and no ``ray.workflow``).

Update the snapshots after an intended change with
``LINEA_UPDATE_SNAPSHOTS=1 pytest plugins/linea_ray/tests/test_ray_files.py``
and review the diff.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from ray_examples import (
    SHOP_ARTIFACTS,
    SHOP_CONFIG,
    SHOP_DEPENDENCIES,
    SHOP_PARAMETERS,
    trace_shop,
)

from linea_core.testing import LineaSandbox, assert_snapshot, linea_sandbox, pinned_versions
from linea_core.testing.examples import iris_pipeline

SNAPSHOTS = Path(__file__).parent / "snapshots"
FILES = [
    "iris_pipeline_Dockerfile",
    "iris_pipeline_module.py",
    "iris_pipeline_ray.py",
    "iris_pipeline_requirements.txt",
]

CASES: dict[str, dict[str, Any]] = {
    "per_artifact": {},
    "per_session": {"breakdown": "session"},
    "one_task": {"breakdown": "pipeline"},
    "configured": {
        "runtime_env": {
            "working_dir": ".",
            "pip": ["scikit-learn==1.5.2"],
            "env_vars": {"OMP_NUM_THREADS": "1"},
            "excludes": ["*.pkl"],
        },
        "address": "ray://head:10001",
        "num_cpus": 0.5,
        "num_gpus": 1,
        "max_retries": -1,
        "copy_inputs": False,
        "base_image": "registry.example.com/ray:2",
    },
}


@pytest.fixture(scope="module")
def linea_shop(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LineaSandbox]:
    with linea_sandbox(tmp_path_factory.mktemp("linea-shop")) as sandbox:
        trace_shop(sandbox)
        yield sandbox


def shop_pipeline(sandbox: LineaSandbox) -> Any:
    return sandbox.pipeline(
        SHOP_ARTIFACTS,
        pipeline_name="shop",
        dependencies=SHOP_DEPENDENCIES,
        input_parameters=SHOP_PARAMETERS,
    )


@pytest.mark.parametrize("case", sorted(CASES))
def test_generated_files_match_the_snapshot(linea_iris: LineaSandbox, case: str) -> None:
    pipeline = pinned_versions(
        iris_pipeline(linea_iris), {"pandas": "2.2.3", "scikit-learn": "1.5.2"}
    )
    files = linea_iris.render(pipeline, "RAY", CASES[case])
    assert sorted(files) == FILES
    assert_snapshot(files, SNAPSHOTS / case)


@pytest.mark.parametrize("breakdown", ["artifact", "session"])
def test_ordering_without_a_value_snapshot(linea_shop: LineaSandbox, breakdown: str) -> None:
    """``run_label`` waits for ``raised`` (the user's dependency) through a done marker
    the upstream task returns besides its value (``num_returns=2``)."""
    pipeline = pinned_versions(shop_pipeline(linea_shop), {"pandas": "2.2.3"})
    files = linea_shop.render(pipeline, "RAY", {**SHOP_CONFIG, "breakdown": breakdown})
    assert_snapshot({"shop_ray.py": files["shop_ray.py"]}, SNAPSHOTS / f"shop_{breakdown}")


def _program(sandbox: LineaSandbox, pipeline: Any, config: dict[str, Any]) -> str:
    files = sandbox.render(pipeline, "RAY", config)
    return str(files[f"{pipeline.name}_ray.py"].content)


def _top_level_is_inert(tree: ast.Module) -> None:
    """Only imports, definitions, plain assignments and the __main__ guard at top level."""
    for node in tree.body:
        if isinstance(node, (ast.Import, ast.ImportFrom, ast.FunctionDef)):
            continue
        if isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant):
            continue  # the docstring
        if isinstance(node, ast.Assign):
            ast.literal_eval(node.value)  # a literal: RUNTIME_ENV, ADDRESS
            continue
        assert isinstance(node, ast.If), ast.dump(node)
        assert ast.unparse(node.test) == "__name__ == '__main__'"


@pytest.mark.parametrize("case", sorted(CASES))
def test_importing_the_program_starts_nothing(linea_iris: LineaSandbox, case: str) -> None:
    text = _program(linea_iris, iris_pipeline(linea_iris), CASES[case])
    tree = ast.parse(text)
    _top_level_is_inert(tree)
    decorators = [
        ast.unparse(d)
        for node in tree.body
        if isinstance(node, ast.FunctionDef)
        for d in node.decorator_list
    ]
    assert decorators and all(d.startswith("ray.remote") for d in decorators)
    # ray.init is called in init_ray only, and init_ray only by main.
    callers = {
        node.name
        for node in tree.body
        if isinstance(node, ast.FunctionDef)
        for call in ast.walk(node)
        if isinstance(call, ast.Call) and ast.unparse(call.func) in ("ray.init", "init_ray")
    }
    assert callers == {"init_ray", "main"}


@pytest.mark.parametrize("case", sorted(CASES))
def test_values_travel_through_the_object_store(linea_iris: LineaSandbox, case: str) -> None:
    text = _program(linea_iris, iris_pipeline(linea_iris), CASES[case])
    for absent in ("open(", "dump_value", "load_value", "workflow", "/tmp"):
        assert absent not in text
    assert not re.search(r"\bpickle\b", text)  # (cloudpickle ships the tasks' code)
    tree = ast.parse(text)
    run = next(n for n in tree.body if isinstance(n, ast.FunctionDef) and n.name == "run")
    gets = [
        c for c in ast.walk(run) if isinstance(c, ast.Call) and ast.unparse(c.func) == "ray.get"
    ]
    assert len(gets) == 1  # one ray.get, at the sink


def test_multiple_returns_and_done_markers(linea_shop: LineaSandbox) -> None:
    """Per artifact, ``run_label`` and ``total`` wait for ``raised_csv`` (which returns
    only a done marker: it writes a file) and for nothing it already waits for; per
    session, the first session's task returns a done marker besides its two values."""
    text = _program(linea_shop, shop_pipeline(linea_shop), {"breakdown": "artifact"})
    tree = ast.parse(text)
    remote = {
        node.name: ast.unparse(node.decorator_list[0])
        for node in tree.body
        if isinstance(node, ast.FunctionDef) and node.decorator_list
    }
    assert set(remote.values()) == {"ray.remote"}
    assert "prices_2 = task_raised.remote(rate=rate, prices=prices)" in text
    assert "raised_csv_done = task_raised_csv.remote(prices=prices_2)" in text
    assert "run_label = task_run_label.remote(_after_raised_csv=raised_csv_done)" in text
    assert "total = task_total.remote(_after_raised_csv=raised_csv_done)" in text
    assert "finished = [raised_csv_done]" in text
    text = _program(linea_shop, shop_pipeline(linea_shop), {"breakdown": "session"})
    assert "@ray.remote(num_returns=3)\ndef task_session_including_prices(rate):" in text
    assert "_after_session_including_prices=session_including_prices_done" in text


def test_copy_inputs_false_hands_values_over_as_they_are(linea_shop: LineaSandbox) -> None:
    copied = _program(linea_shop, shop_pipeline(linea_shop), {})
    assert "prices = _private(prices)" in copied
    plain = _program(linea_shop, shop_pipeline(linea_shop), {"copy_inputs": False})
    assert "_private" not in plain and "import copy" not in plain


def test_generate_test_adds_the_test_file_and_samples(linea_iris: LineaSandbox) -> None:
    files = linea_iris.render(iris_pipeline(linea_iris), "RAY", generate_test=True)
    assert "test_iris_pipeline.py" in files
    assert "ray==" in str(files["iris_pipeline_requirements.txt"].content)


def test_to_pipeline_writes_the_program(linea_iris: LineaSandbox) -> None:
    from linea_core.testing.examples import IRIS_ARTIFACTS, IRIS_DEPENDENCIES, IRIS_PARAMETERS

    output = linea_iris.to_pipeline(
        IRIS_ARTIFACTS,
        framework="RAY",
        pipeline_name="iris_pipeline",
        dependencies=IRIS_DEPENDENCIES,
        input_parameters=IRIS_PARAMETERS,
        output_dir="ray",
    )
    assert sorted(p.name for p in output.iterdir()) == FILES


def test_a_parameter_named_module_keeps_its_value(linea_sandbox: LineaSandbox) -> None:
    linea_sandbox.trace(
        "import linea_core as lineapy\nmodule = 3\ndoubled = module * 2\n"
        'lineapy.save(doubled, "doubled")\n'
    )
    pipeline = linea_sandbox.pipeline(["doubled"], pipeline_name="m", input_parameters=["module"])
    text = _program(linea_sandbox, pipeline, {})
    assert "def task_doubled(module):" in text
    assert "_module = _pipeline_module()" in text
    assert "doubled = _module.get_doubled(module=module)" in text
