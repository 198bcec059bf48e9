"""Fork servers shared by the proof's tests (one of each kind per test process)."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))

from proof_client import Worker  # noqa: E402


@pytest.fixture(scope="session")
def runner() -> Iterator[Worker]:
    """Plain runs and slices: numpy preloaded, nothing of linea's."""
    worker = Worker("run")
    yield worker
    worker.close()


@pytest.fixture(scope="session")
def tracer() -> Iterator[Worker]:
    """Traced runs: linea preloaded, each run in a fresh linea home."""
    worker = Worker("trace")
    yield worker
    worker.close()
