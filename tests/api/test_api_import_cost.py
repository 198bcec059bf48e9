"""Reaching the API functions must not load the database stack (import linea_core stays cheap)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

HEAVY = ("sqlalchemy", "alembic", "pydantic", "fsspec", "cloudpickle")


def _python(code: str, env: dict[str, str] | None = None, cwd: Path | None = None) -> str:
    """What ``python -c code`` prints in a fresh interpreter (it must succeed)."""
    command = [sys.executable, "-c", code]
    done = subprocess.run(command, capture_output=True, text=True, check=True, env=env, cwd=cwd)
    return done.stdout


def test_api_names_resolve_without_heavy_imports() -> None:
    probe = (
        "import sys, linea_core\n"
        "linea_core.save, linea_core.get, linea_core.delete, linea_core.artifact_store\n"
        "linea_core.LineaArtifact, linea_core.LineaArtifactStore, linea_core.file_system\n"
        f"print([m for m in {HEAVY!r} if m in sys.modules])\n"
    )
    out = _python(probe)
    assert out.strip() == "[]"


def test_store_package_is_cheap_until_used() -> None:
    probe = (
        "import sys, linea_core.store, linea_core.store.errors, linea_core.store.names\n"
        "print('sqlalchemy' in sys.modules)\n"
    )
    out = _python(probe)
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
        out = _python(probe, env)
        assert out.strip() == "[]"


def test_get_code_in_a_fresh_process_loads_plugins_but_not_their_heavy_parts(
    tmp_path: Path,
) -> None:
    """``lineapy.get(name).get_code()`` in a new process loads every plugin (core's
    built-ins through the same hooks as installed ones) but not what only other commands
    need: the pipeline model and templates (only for writing a pipeline) and click (only
    for the command line). The SCRIPT writer and installed writers stay registered."""
    script = tmp_path / "session.py"
    script.write_text(
        "import linea_core as lineapy\nx = sum(range(10))\ny = x * 2\nlineapy.save(y, 'y')\n"
    )
    env = {k: v for k, v in os.environ.items() if not k.startswith("LINEA_")}
    env["LINEA_HOME_DIR"] = str(tmp_path / "home")
    _python(f"import linea_core; linea_core.trace({str(script)!r})", env, tmp_path)
    probe = (
        "import json, sys\n"
        "import linea_core as lineapy\n"
        "from linea_core.context import current_context\n"
        "code = lineapy.get('y').get_code()\n"
        "lazy = ('click', 'linea_core.pipeline', 'jinja2', 'pydantic')\n"
        "loaded_by_get = [m for m in lazy if m in sys.modules]\n"
        "host = current_context().plugins\n"
        "print(json.dumps({'code': code, 'loaded_by_get': loaded_by_get,\n"
        "    'writers': sorted(host.pipeline_writers()),\n"
        "    'plugins': [p.name for p in host.plugins()],\n"
        "    'pipeline_after_asking_writers': 'linea_core.pipeline' in sys.modules}))\n"
    )
    out = _python(probe, env, tmp_path)
    found = json.loads(out.strip().splitlines()[-1])
    assert "y = x * 2" in found["code"]
    assert found["loaded_by_get"] == []
    assert "linea_core.writers.script" in found["plugins"]
    assert "SCRIPT" in found["writers"]
    # registering a writer never imports the pipeline model; only writing a pipeline does
    assert found["pipeline_after_asking_writers"] is False
