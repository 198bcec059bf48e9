"""Fixtures of linea-airflow's tests: the seed's iris session traced in a sandbox."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from linea_core.pipeline import Pipeline
from linea_core.testing import LineaSandbox, linea_sandbox
from linea_core.testing.examples import (
    IRIS_ARTIFACTS,
    IRIS_DEPENDENCIES,
    IRIS_PARAMETERS,
    iris_code,
    iris_csv,
)


@pytest.fixture(scope="module")
def iris(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LineaSandbox]:
    """A sandbox (installed plugins: linea-airflow among them) holding the iris artifacts,
    shared by a module's tests (tracing takes seconds; the tests only read the store)."""
    with linea_sandbox(tmp_path_factory.mktemp("airflow-iris")) as sandbox:
        sandbox.write_files({"iris.csv": iris_csv()})
        sandbox.trace(iris_code(), name="iris notebook")
        yield sandbox


def iris_pipeline(sandbox: LineaSandbox, name: str = "iris_pipeline") -> Pipeline:
    return sandbox.pipeline(
        IRIS_ARTIFACTS,
        pipeline_name=name,
        dependencies=IRIS_DEPENDENCIES,
        input_parameters=IRIS_PARAMETERS,
    )
