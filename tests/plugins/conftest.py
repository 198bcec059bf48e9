"""Plugin test fixtures."""

from __future__ import annotations

import sys
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from plugin_kit import SitePackages


@pytest.fixture
def site(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[SitePackages]:
    root = tmp_path / "site-packages"
    root.mkdir()
    monkeypatch.syspath_prepend(str(root))
    packages = SitePackages(root, group=f"linea_test_{uuid.uuid4().hex[:8]}")
    yield packages
    for name in packages.modules:
        sys.modules.pop(name, None)
