"""Plugin test fixtures; each test also starts without a current linea context."""

from __future__ import annotations

import sys
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from plugin_kit import SitePackages

from linea_core.context import fresh_context_scope


@pytest.fixture(autouse=True)
def fresh_context(linea_home: Path) -> Iterator[None]:
    # Depends on linea_home so the context is created after LINEA_HOME_DIR is set.
    with fresh_context_scope():
        yield


@pytest.fixture
def site(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[SitePackages]:
    root = tmp_path / "site-packages"
    root.mkdir()
    monkeypatch.syspath_prepend(str(root))
    packages = SitePackages(root, group=f"linea_test_{uuid.uuid4().hex[:8]}")
    yield packages
    for name in packages.modules:
        sys.modules.pop(name, None)
