"""Reaching the API functions must not load the database stack (import linea_core stays cheap)."""

from __future__ import annotations

import os
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


def test_save_and_get_load_no_heavy_library(tmp_path: object) -> None:
    """A save into a new home and into an existing one, then a get: the traced-run path.

    SQLAlchemy/alembic (only for upgrading an older schema), pydantic, fsspec (only for
    remote storage), cloudpickle (only for values pickle refuses) and importlib.metadata
    (only for zipped installs) each cost as much as a small script's whole run.
    """
    probe = (
        "import sys, linea_core\n"
        "linea_core.save({'a': [1, 2]}, 'x')\n"
        "assert linea_core.get('x').get_value() == {'a': [1, 2]}\n"
        f"print([m for m in {(*HEAVY, 'importlib.metadata')!r} if m in sys.modules])\n"
    )
    env = {k: v for k, v in os.environ.items() if not k.startswith("LINEA_")}
    env["LINEA_HOME_DIR"] = str(tmp_path)
    for _ in range(2):  # new home, then existing home
        out = subprocess.run(
            [sys.executable, "-c", probe], capture_output=True, text=True, check=True, env=env
        ).stdout
        assert out.strip() == "[]"
