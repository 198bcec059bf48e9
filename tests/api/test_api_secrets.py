"""Secrets never appear in anything linea prints, logs or stores (the whole output is grepped)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

PASSWORD = "hunter2-db-password"
KEY = "AKIA-storage-key-4711"
SECRET = "storage-secret-0815-xyz"

SCRIPT = r"""
import logging, warnings
import linea_core as lineapy

print(lineapy.options)
print(repr(lineapy.options))
from linea_core.context import current_context
print(repr(current_context().options))
artifact = lineapy.save({"value": 1}, "model")
print(artifact.get_metadata())
print(lineapy.artifact_store().export)
try:
    lineapy.get("modle")
except Exception as exc:
    print("error:", exc)
try:
    lineapy.options.set("storage_options", "not a mapping")
except Exception as exc:
    print("error:", exc)
logging.getLogger("linea_core").debug("options: %r", current_context().options)
"""


@pytest.fixture
def secret_env(tmp_path: Path, pg_url: str) -> dict[str, str]:
    home = tmp_path / "home"
    home.mkdir()
    # trust authentication ignores the password, so the real server accepts this URL.
    user_url = pg_url.replace("postgresql://postgres@", f"postgresql://postgres:{PASSWORD}@")
    storage = f"memory://secrets-{os.getpid()}"
    (home / "linea_config.json").write_text(
        json.dumps(
            {
                "artifact_storage_dir": storage,
                "storage_options": {"key": KEY, "secret": SECRET},
                "logging_level": "DEBUG",
            }
        )
    )
    env = {k: v for k, v in os.environ.items() if not k.startswith("LINEA_")}
    env.update(LINEA_HOME_DIR=str(home), LINEA_DATABASE_URL=user_url)
    return env


def _run(args: list[str], env: dict[str, str], cwd: Path) -> str:
    proc = subprocess.run(args, env=env, cwd=cwd, capture_output=True, text=True)
    return proc.stdout + proc.stderr


def test_no_secret_in_output_logs_or_database(
    secret_env: dict[str, str], tmp_path: Path, pg_url: str
) -> None:
    linea = str(Path(sys.executable).with_name("linea"))
    outputs = [
        _run([sys.executable, "-c", SCRIPT], secret_env, tmp_path),
        _run([linea, "artifacts", "list", "--json"], secret_env, tmp_path),
        _run(
            [linea, "--logging-level", "DEBUG", "artifacts", "show", "model"], secret_env, tmp_path
        ),
        _run([linea, "artifacts", "show", "nothing-here"], secret_env, tmp_path),
        _run([linea, "artifacts", "gc"], secret_env, tmp_path),
    ]
    everything = "\n".join(outputs)
    assert "linea options" in everything and "***" in everything  # the runs did print
    home = Path(secret_env["LINEA_HOME_DIR"])
    logs = [p.read_text() for p in home.rglob("*.log")]
    import psycopg

    with psycopg.connect(pg_url) as connection:
        rows = connection.execute(
            "SELECT backend_metadata::text, root, location FROM stored_values "
            "UNION ALL SELECT metadata::text, name, storage_backend FROM artifacts"
        ).fetchall()
    stored = json.dumps(rows)
    for secret in (PASSWORD, KEY, SECRET):
        assert secret not in everything, secret
        assert all(secret not in log for log in logs), secret
        assert secret not in stored, secret
