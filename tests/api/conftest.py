"""Each API test runs in a fresh linea context resolved from its own LINEA_HOME_DIR."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from linea_core.context import fresh_context_scope


@pytest.fixture(autouse=True)
def fresh_context(linea_home: Path) -> Iterator[None]:
    with fresh_context_scope():
        yield


@pytest.fixture
def storage_dir(linea_home: Path) -> Path:
    """Where the default configuration keeps values."""
    return linea_home / "linea_pickles"
