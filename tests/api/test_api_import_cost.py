"""Reaching the API functions must not load the database stack (import linea_core stays cheap)."""

from __future__ import annotations

import subprocess
import sys

HEAVY = ("sqlalchemy", "alembic", "pydantic", "fsspec", "cloudpickle")


def test_api_names_resolve_without_heavy_imports() -> None:
    probe = (
        "import sys, linea_core\n"
        "linea_core.save, linea_core.get, linea_core.delete, linea_core.artifact_store\n"
        "linea_core.LineaArtifact, linea_core.LineaArtifactStore, linea_core.file_system\n"
        f"print([m for m in {HEAVY!r} if m in sys.modules])\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True
    ).stdout
    assert out.strip() == "[]"


def test_store_package_is_cheap_until_used() -> None:
    probe = (
        "import sys, linea_core.store, linea_core.store.errors, linea_core.store.names\n"
        "print('sqlalchemy' in sys.modules)\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True
    ).stdout
    assert out.strip() == "False"
