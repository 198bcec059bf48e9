"""Helpers shared by the store tests (imported by module name; tests/store is on sys.path)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path


def stored_files(storage_dir: Path) -> list[Path]:
    """Every value file under its final name (hidden temporaries excluded)."""
    if not storage_dir.exists():
        return []
    return sorted(
        path for path in storage_dir.rglob("*") if path.is_file() and not path.name.startswith(".")
    )


def temporary_files(storage_dir: Path) -> list[Path]:
    if not storage_dir.exists():
        return []
    return sorted(p for p in storage_dir.rglob(".tmp-*") if p.is_file())


def linea_env(home: Path, database_url: str, **extra: str) -> dict[str, str]:
    """The environment of a child process using ``home`` and ``database_url``."""
    env = {key: value for key, value in os.environ.items() if not key.startswith("LINEA_")}
    env.update(LINEA_HOME_DIR=str(home), LINEA_DATABASE_URL=database_url, **extra)
    return env


def spawn(snippet: str, env: dict[str, str], *args: str) -> subprocess.Popen[str]:
    """Run a python snippet in a fresh interpreter (the real multi-process situation)."""
    return subprocess.Popen(
        [sys.executable, "-c", snippet, *args],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
