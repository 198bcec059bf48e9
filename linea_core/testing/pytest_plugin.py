"""linea's pytest plugin (entry point ``pytest11``): the ``linea_sandbox`` fixture.

Loaded by pytest wherever linea-core is installed. It only defines fixtures: nothing
runs unless a test asks for one.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from linea_core.testing.sandbox import LineaSandbox
from linea_core.testing.sandbox import linea_sandbox as _sandbox


@pytest.fixture(name="linea_sandbox")
def linea_sandbox_fixture(tmp_path: Path) -> Iterator[LineaSandbox]:
    """A fresh linea under ``tmp_path`` (installed plugins, own store and working folder),
    current for the test; see :class:`linea_core.testing.LineaSandbox`."""
    with _sandbox(tmp_path / "linea") as sandbox:
        yield sandbox


@pytest.fixture(name="linea_iris", scope="module")
def linea_iris_fixture(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LineaSandbox]:
    """A sandbox holding LineaPy's iris tutorial artifacts (``iris.csv`` in its working
    folder), shared by the tests of a module: tracing takes seconds, and tests that only
    read the store and render pipelines need not repeat it. See
    :mod:`linea_core.testing.examples`."""
    from linea_core.testing.examples import iris_code, iris_csv

    with _sandbox(tmp_path_factory.mktemp("linea-iris")) as sandbox:
        sandbox.write_files({"iris.csv": iris_csv()})
        sandbox.trace(iris_code(), name="iris notebook")
        yield sandbox
