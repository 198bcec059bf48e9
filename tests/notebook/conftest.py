"""Notebook tests run real kernels; each test gets a work folder with the data it reads."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from notebook_kit import NOTEBOOKS, ROOT


@pytest.fixture
def workdir(tmp_path: Path) -> Path:
    """A copy of the test notebooks next to ``data/iris.csv``, as a user's project folder."""
    work = tmp_path / "work"
    shutil.copytree(NOTEBOOKS, work)
    (work / "data").mkdir()
    shutil.copy(ROOT / "tests" / "data" / "iris.csv", work / "data" / "iris.csv")
    return work
