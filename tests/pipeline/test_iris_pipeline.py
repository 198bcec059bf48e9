"""The seed's iris pipeline: three artifacts of one session, dependencies, three parameters.

The generated module is run for real (``python iris_pipeline_module.py [--flags]``),
its values compared with the stored ones; the generated test file is run and passes.
"""

from __future__ import annotations

import ast
import importlib.metadata
import subprocess
import sys
from pathlib import Path

import pytest
from sources import IRIS_ARTIFACTS, IRIS_DEPENDENCIES, IRIS_PARAMETERS, iris_code

import linea_core as lineapy
from linea_core.context import use_context
from linea_core.pipeline import FunctionKind, ParameterType, Pipeline
from linea_core.store.database import SQL
from linea_core.testing import (
    LineaSandbox,
    assert_all_ok,
    assert_same_value,
    run_command,
    run_module_script,
)


def iris_pipeline(sandbox: LineaSandbox) -> Pipeline:
    return sandbox.pipeline(
        IRIS_ARTIFACTS,
        pipeline_name="iris_pipeline",
        dependencies=IRIS_DEPENDENCIES,
        input_parameters=IRIS_PARAMETERS,
    )


def test_shared_computation_is_factored_out_once_as_in_the_seed(iris: LineaSandbox) -> None:
    pipeline = iris_pipeline(iris)
    signatures = [(f.name, f.kind, f.arguments, f.outputs, f.artifacts) for f in pipeline.functions]
    assert signatures == [
        (
            "get_iris_preprocessed",
            FunctionKind.ARTIFACT,
            ("url",),
            ("df",),
            ("iris_preprocessed",),
        ),
        (
            "get_split_samples_for_artifact_iris_model_and_downstream",
            FunctionKind.COMMON,
            ("df", "random_state", "test_size"),
            ("split_samples",),
            (),
        ),
        (
            "get_iris_model",
            FunctionKind.ARTIFACT,
            ("split_samples",),
            ("mod",),
            ("iris_model",),
        ),
        (
            "get_iris_model_evaluation",
            FunctionKind.ARTIFACT,
            ("mod", "split_samples"),
            ("mod_eval_test",),
            ("iris_model_evaluation",),
        ),
    ]
    bodies = {f.name: f.body for f in pipeline.functions}
    assert bodies["get_split_samples_for_artifact_iris_model_and_downstream"] == (
        'X = df[["petal.length", "petal.width"]]\n'
        'y = df["variety_num"]\n'
        "split_samples = train_test_split(X, y, test_size=test_size, random_state=random_state)"
    )
    assert bodies["get_iris_model"] == (
        "X_train = split_samples[0]\n"
        "y_train = split_samples[2]\n"
        "mod = LogisticRegression()\n"
        "mod.fit(X_train, y_train)"
    )
    assert bodies["get_iris_model_evaluation"] == (
        "X_test = split_samples[1]\n"
        "y_test = split_samples[3]\n"
        "y_test_pred = mod.predict(X_test)\n"
        "mod_eval_test = classification_report(y_test, y_test_pred, digits=3)"
    )
    # The shared statements appear in exactly one function.
    for line in bodies["get_split_samples_for_artifact_iris_model_and_downstream"].splitlines():
        assert sum(line in body.splitlines() for body in bodies.values()) == 1
    # Plots and the training-set evaluation are gone, and so is matplotlib.
    assert "plt" not in "".join(bodies.values())
    assert pipeline.imports == (
        "import pandas as pd",
        "from sklearn.linear_model import LogisticRegression",
        "from sklearn.metrics import classification_report",
        "from sklearn.model_selection import train_test_split",
    )
    assert [(p.name, p.default, p.type) for p in pipeline.parameters] == [
        ("url", "iris.csv", ParameterType.STR),
        ("test_size", 0.33, ParameterType.FLOAT),
        ("random_state", 42, ParameterType.INT),
    ]
    [session] = pipeline.sessions
    assert session.function_name == "run_session_including_iris_preprocessed"
    assert session.name == "iris notebook"


def test_generated_module_runs_with_defaults_and_with_overridden_parameters(
    iris: LineaSandbox,
) -> None:
    output = iris.to_pipeline(
        IRIS_ARTIFACTS,
        pipeline_name="iris_pipeline",
        dependencies=IRIS_DEPENDENCIES,
        input_parameters=IRIS_PARAMETERS,
    )
    assert sorted(p.name for p in output.iterdir()) == [
        "iris_pipeline_Dockerfile",
        "iris_pipeline_module.py",
        "iris_pipeline_requirements.txt",
    ]
    module = output / "iris_pipeline_module.py"
    expected = iris.stored_values(IRIS_ARTIFACTS, iris.root / "defaults")
    assert_all_ok(run_module_script(module, expected=expected, cwd=iris.work))

    # Overridden parameters: compare with the same code traced with those literals.
    iris.trace(iris_code(suffix="_alt", test_size=0.5, random_state=7))
    alternative = iris.stored_values([f"{name}_alt" for name in IRIS_ARTIFACTS], iris.root / "alt")
    renamed = {name: alternative[f"{name}_alt"] for name in IRIS_ARTIFACTS}
    report = run_module_script(
        module, ["--test_size", "0.5", "--random_state", "7"], expected=renamed, cwd=iris.work
    )
    assert_all_ok(report)
    # ... and they really are different values from the defaults'.
    with use_context(iris.context):
        default_model = lineapy.get("iris_model").get_value()
        other_model = lineapy.get("iris_model_alt").get_value()
    with pytest.raises(AssertionError):
        assert_same_value(other_model, default_model)


def test_module_is_a_formatted_script_without_linea_and_with_typed_flags(
    iris: LineaSandbox,
) -> None:
    output = iris.to_pipeline(
        IRIS_ARTIFACTS,
        pipeline_name="iris_pipeline",
        dependencies=IRIS_DEPENDENCIES,
        input_parameters=IRIS_PARAMETERS,
    )
    source = (output / "iris_pipeline_module.py").read_text()
    imported = {
        alias.name.split(".")[0]
        for node in ast.walk(ast.parse(source))
        if isinstance(node, ast.Import)
        for alias in node.names
    } | {
        node.module.split(".")[0]
        for node in ast.walk(ast.parse(source))
        if isinstance(node, ast.ImportFrom) and node.module
    }
    assert imported == {"argparse", "copy", "pandas", "sklearn"}
    assert "lineapy" not in source and "linea_core" not in source
    ruff = Path(sys.executable).with_name("ruff")
    check = subprocess.run(
        [str(ruff), "format", "--check", "--isolated", "--line-length", "88", "-"],
        input=source,
        capture_output=True,
        text=True,
    )
    assert check.returncode == 0, check.stdout + check.stderr
    usage = run_command([sys.executable, str(output / "iris_pipeline_module.py"), "--help"])
    for flag in ("--random_state RANDOM_STATE", "--test_size TEST_SIZE", "--url URL"):
        assert flag in usage.stdout
    wrong = run_command(
        [sys.executable, str(output / "iris_pipeline_module.py"), "--random_state", "x"],
        check=False,
    )
    assert wrong.returncode == 2 and "invalid int value: 'x'" in wrong.stderr


def test_requirements_are_the_imported_distributions_pinned_as_traced(iris: LineaSandbox) -> None:
    output = iris.to_pipeline(IRIS_ARTIFACTS, pipeline_name="iris_pipeline")
    lines = (output / "iris_pipeline_requirements.txt").read_text().splitlines()
    assert lines == [
        f"pandas=={importlib.metadata.version('pandas')}",
        f"scikit-learn=={importlib.metadata.version('scikit-learn')}",
    ]
    dockerfile = (output / "iris_pipeline_Dockerfile").read_text()
    version = f"{sys.version_info.major}.{sys.version_info.minor}"
    assert f"FROM python:{version}-slim" in dockerfile
    assert "RUN pip install --no-cache-dir -r iris_pipeline_requirements.txt" in dockerfile
    assert 'ENTRYPOINT ["python", "iris_pipeline_module.py"]' in dockerfile


def test_versions_come_from_the_traced_session_not_the_current_environment(
    iris: LineaSandbox,
) -> None:
    [record] = [r for r in iris.store.list_artifacts() if r.name == "iris_model"]
    packages = {
        p.module: (p.distribution, p.version)
        for p in iris.store.session_packages(record.session_id)
    }
    assert packages["sklearn"] == ("scikit-learn", importlib.metadata.version("scikit-learn"))
    assert packages["matplotlib"][0] == "matplotlib"
    assert "linea_core" in packages  # recorded; never a requirement (never imported)
    # Pretend the session was traced with another scikit-learn: that version is pinned.
    update = SQL("UPDATE session_packages SET version = '0.24.2' WHERE module = 'sklearn'")
    iris.store.database.write(lambda connection: connection.execute(update))
    pipeline = iris.pipeline(IRIS_ARTIFACTS)
    assert [r.pin for r in pipeline.requirements][1] == "scikit-learn==0.24.2"


def test_generated_test_file_passes_out_of_the_box(iris: LineaSandbox) -> None:
    output = iris.to_pipeline(
        IRIS_ARTIFACTS,
        pipeline_name="iris_pipeline",
        dependencies=IRIS_DEPENDENCIES,
        input_parameters=IRIS_PARAMETERS,
        generate_test=True,
    )
    assert sorted(p.name for p in (output / "sample_output").iterdir()) == [
        "iris_model.pkl",
        "iris_model_evaluation.pkl",
        "iris_preprocessed.pkl",
    ]
    done = run_command(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", str(output / "test_iris_pipeline.py")],
        cwd=iris.work,
    )  # fmt: skip
    assert "4 passed" in done.stdout
    # A wrong stored value makes the test fail for real (no warning-only scaffold).
    import pickle

    (output / "sample_output" / "iris_model_evaluation.pkl").write_bytes(pickle.dumps("nope"))
    failed = run_command(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", str(output / "test_iris_pipeline.py")],
        cwd=iris.work,
        check=False,
    )  # fmt: skip
    assert failed.returncode == 1 and "1 failed, 3 passed" in failed.stdout
    assert "iris_model_evaluation" in failed.stdout


def test_get_function_gives_the_stored_values(iris: LineaSandbox) -> None:
    with use_context(iris.context), iris.in_work():
        run = lineapy.get_function(IRIS_ARTIFACTS, input_parameters=IRIS_PARAMETERS)
        values = run()
        assert sorted(values) == sorted(IRIS_ARTIFACTS)
        for name in IRIS_ARTIFACTS:
            assert_same_value(values[name], lineapy.get(name).get_value(), name)
        smaller = run(test_size=0.5, random_state=7)
        assert len(smaller["iris_model_evaluation"]) > 0
        assert smaller["iris_model_evaluation"] != values["iris_model_evaluation"]
        definition = lineapy.get_module_definition(IRIS_ARTIFACTS, input_parameters=IRIS_PARAMETERS)
        module = lineapy.get_module(IRIS_ARTIFACTS, input_parameters=IRIS_PARAMETERS)
    assert 'def run_all_sessions(random_state=42, test_size=0.33, url="iris.csv"):' in definition
    assert callable(module.get_iris_model) and callable(module.run_all_sessions)
