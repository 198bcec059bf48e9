"""The generated DAGs run under real Airflow, 3 and 2.10, and reproduce the stored values.

One environment per Airflow version (uv-built, cached by the test kit), a fresh
AIRFLOW_HOME per test with a SQLite metadata database, the iris pipeline generated for
each task breakdown into one DAGs folder. Every DAG runs with its default parameters
and with all three overridden; the artifact values each run keeps are compared with
the values stored when the iris session was traced (the overridden run with a second
session traced on the same data subset and settings). Airflow starts slowly, so all
DAGs and runs of a version share one Python process (``dag.test()``); one extra run
goes through the command line, ``airflow dags test -c``, with the hand-off location
moved by the environment variable.

Run alone: ``pytest -m slow plugins/linea_airflow``.

Why these installs: Airflow publishes constraint files for reproducible installs, but
they live outside the package index this project may use. ``uv`` resolves
``apache-airflow==<version>`` plus the pipeline's own pinned requirements in seconds,
and the resolution is cached with the environment, keyed by those requirements.
Airflow 2.10.5 resolves with the same pandas/scikit-learn pins as Airflow 3.
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from linea_airflow import AIRFLOW_VERSION

from linea_core.pipeline import artifact_locations
from linea_core.testing import (
    LineaSandbox,
    TestEnv,
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

AIRFLOWS = {"3": f"apache-airflow=={AIRFLOW_VERSION}", "2.10": "apache-airflow==2.10.5"}

# pipeline name -> (pipeline_dag_config, which hand-off path it exercises)
DAGS = {
    "iris_by_artifact": {"breakdown": "artifact", "retries": 0},
    # an fsspec URL: the code path s3:// takes, on the local file system
    "iris_by_session": {
        "breakdown": "session",
        "retries": 0,
        "data_location": "file://{root}/session_values",
    },  # fmt: skip
    "iris_in_one": {"breakdown": "pipeline"},  # defaults: retries 2, location next to the DAG
}
OVERRIDE = {"test_size": 0.5, "random_state": 7}


@dataclass(frozen=True)
class Generated:
    sandbox: LineaSandbox
    dags: Path
    requirements: list[str]
    locations: dict[str, dict[str, tuple[str, str]]]  # pipeline -> artifact -> (task, key)
    expected: dict[str, Path]  # "<pipeline>/<default|override>/<artifact>" -> stored value
    override: dict[str, object]


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Generated]:
    root = tmp_path_factory.mktemp("airflow-run")
    with linea_sandbox(root) as sandbox:
        data = iris_csv().decode()
        subset = "".join(data.splitlines(keepends=True)[:121])  # header + 120 rows
        sandbox.write_files({"iris.csv": data, "iris_b.csv": subset})
        sandbox.trace(iris_code(), name="iris")
        sandbox.trace(
            iris_code(suffix="_b", **OVERRIDE).replace('url = "iris.csv"', 'url = "iris_b.csv"'),
            name="iris, other settings",
        )
        dags = sandbox.work / "dags"
        locations = {}
        for name, config in DAGS.items():
            config = {
                k: v.format(root=root) if isinstance(v, str) else v for k, v in config.items()
            }
            sandbox.to_pipeline(
                IRIS_ARTIFACTS,
                framework="AIRFLOW",
                pipeline_name=name,
                dependencies=IRIS_DEPENDENCIES,
                input_parameters=IRIS_PARAMETERS,
                output_dir=dags,
                pipeline_dag_config=config,
            )
            model = sandbox.pipeline(IRIS_ARTIFACTS, pipeline_name=name)
            locations[name] = artifact_locations(model.task_graph(config["breakdown"]).tasks)
        stored = sandbox.stored_values(IRIS_ARTIFACTS, root / "stored")
        stored_b = sandbox.stored_values([f"{a}_b" for a in IRIS_ARTIFACTS], root / "stored_b")
        expected = {}
        for name in DAGS:
            for artifact in IRIS_ARTIFACTS:
                expected[f"{name}/default/{artifact}"] = stored[artifact]
                expected[f"{name}/override/{artifact}"] = stored_b[f"{artifact}_b"]
        requirements = (dags / "iris_by_artifact_requirements.txt").read_text().split()
        yield Generated(
            sandbox,
            dags,
            requirements,
            locations,
            expected,
            {"url": str(sandbox.work / "iris_b.csv"), **OVERRIDE},
        )


def airflow_environ(env: TestEnv, home: Path, dags: Path) -> dict[str, str]:
    """Airflow configured by environment: its own home, our DAGs, no examples."""
    return env.environ(
        {
            "AIRFLOW_HOME": str(home),
            "AIRFLOW__CORE__DAGS_FOLDER": str(dags),
            "AIRFLOW__CORE__LOAD_EXAMPLES": "False",
            "AIRFLOW__CORE__DAGBAG_IMPORT_TIMEOUT": "300",
            "AIRFLOW__DATABASE__SQL_ALCHEMY_CONN": f"sqlite:///{home / 'airflow.db'}",
            "PYTHONDONTWRITEBYTECODE": "1",
        }
    )


def migrated_home(env: TestEnv, home: Path, dags: Path) -> dict[str, str]:
    """A fresh AIRFLOW_HOME whose SQLite database `airflow db migrate` created.

    Migrating takes half a minute, so it runs once per environment: the migrated
    database is kept in the cached environment (renamed into place, so concurrent
    tests never see half of it) and each test starts from a copy.
    """
    template = env.path / "linea-airflow-migrated.db"
    if not template.exists():
        scratch = Path(tempfile.mkdtemp(dir=env.path, prefix=".migrating-"))
        try:
            env.run(
                ["airflow", "db", "migrate"], env=airflow_environ(env, scratch, dags), timeout=900
            )
            os.replace(scratch / "airflow.db", template)
        finally:
            shutil.rmtree(scratch, ignore_errors=True)
    home.mkdir(parents=True)
    shutil.copyfile(template, home / "airflow.db")
    return airflow_environ(env, home, dags)


RUN_EVERY_DAG = """
import importlib.util, json, sys

actual = {{}}
for name, locations in {locations!r}.items():
    spec = importlib.util.spec_from_file_location(name + "_dag", {dags!r} + "/" + name + "_dag.py")
    dag_file = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(dag_file)
    for label, conf in (("default", {{}}), ("override", {override!r})):
        run = dag_file.dag.test(run_conf=conf)
        if str(run.state) not in ("success", "DagRunState.SUCCESS"):
            raise SystemExit(f"{{name}} with {{conf}} ended {{run.state}}")
        for artifact, (task, key) in locations.items():
            actual[f"{{name}}/{{label}}/{{artifact}}"] = dag_file.load_value(run.run_id, task, key)
        print("ran", name, label, run.run_id, file=sys.stderr)
"""


@pytest.mark.slow
@pytest.mark.parametrize("version", sorted(AIRFLOWS))
def test_every_dag_runs_on_airflow_and_reproduces_the_stored_values(
    generated: Generated, version: str, tmp_path: Path
) -> None:
    env = cached_env(f"airflow{version}", [AIRFLOWS[version], *generated.requirements, "fsspec"])
    environ = migrated_home(env, tmp_path / "airflow_home", generated.dags)
    produce = RUN_EVERY_DAG.format(
        locations=generated.locations, dags=str(generated.dags), override=generated.override
    )
    report = check_values(
        produce,
        generated.expected,
        python=env.python,
        cwd=generated.sandbox.work,
        env=environ,
        timeout=1800,
    )
    assert sorted(report) == sorted(generated.expected)
    assert_all_ok(report)


@pytest.mark.slow
def test_airflow_dags_test_command_with_conf(generated: Generated, tmp_path: Path) -> None:
    env = cached_env("airflow3", [AIRFLOWS["3"], *generated.requirements, "fsspec"])
    values = tmp_path / "cli_values"
    environ = migrated_home(env, tmp_path / "airflow_home", generated.dags)
    environ["IRIS_BY_ARTIFACT_DATA_LOCATION"] = str(values)
    done = env.run(
        ["airflow", "dags", "test", "iris_by_artifact_dag", "-c", json.dumps(generated.override)],
        cwd=generated.sandbox.work,
        env=environ,
        timeout=1800,
    )
    runs = [p for p in values.iterdir() if p.is_dir()]
    assert len(runs) == 1, f"one run expected under {values}:\n{done.stdout}\n{done.stderr}"
    locations = generated.locations["iris_by_artifact"]
    produce = f"""
import pickle
actual = {{}}
for artifact, (task, key) in {locations!r}.items():
    with open({str(runs[0])!r} + f"/{{task}}/{{key}}.pickle", "rb") as stream:
        actual[artifact] = pickle.load(stream)
"""
    expected = {a: generated.expected[f"iris_by_artifact/override/{a}"] for a in IRIS_ARTIFACTS}
    assert_all_ok(check_values(produce, expected, python=env.python, cwd=tmp_path))
