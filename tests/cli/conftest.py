"""Each test starts without a current linea context (see ``fresh_context_scope``)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from linea_core.context import fresh_context_scope


@pytest.fixture(autouse=True)
def fresh_context(linea_home: Path) -> Iterator[None]:
    # Depends on linea_home so the context is created after LINEA_HOME_DIR is set.
    with fresh_context_scope():
        yield
