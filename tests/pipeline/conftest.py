"""Pipeline tests run in the test kit's sandbox (linea_core.testing), as plugins' do."""

from __future__ import annotations

import pytest
from sources import DATA, iris_code

from linea_core.testing import LineaSandbox


@pytest.fixture
def iris(linea_sandbox: LineaSandbox) -> LineaSandbox:
    """A sandbox whose store holds the seed's iris artifacts (one traced session)."""
    linea_sandbox.write_files({"iris.csv": (DATA / "iris.csv").read_bytes()})
    linea_sandbox.trace(iris_code(), name="iris notebook")
    return linea_sandbox
