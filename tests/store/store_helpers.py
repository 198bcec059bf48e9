"""Helpers shared by the store tests (imported by module name; tests/store is on sys.path)."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from linea_core.plugins import StoredValue


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


class RegistryBackend:
    """A value backend in the manner of a model registry: keeps the objects themselves."""

    def __init__(self, name: str = "registry", kinds: tuple[type, ...] = (complex,)) -> None:
        self.name = name
        self.kinds = kinds
        self.models: dict[str, Any] = {}
        self.calls: list[dict[str, Any]] = []

    def accepts(self, value: Any, *, config: Mapping[str, Any]) -> bool:
        return isinstance(value, self.kinds)

    def is_default_for(self, value: Any, *, config: Mapping[str, Any]) -> bool:
        return self.accepts(value, config=config) and bool(config.get("mlflow_tracking_uri"))

    def save(
        self,
        value: Any,
        *,
        artifact_name: str,
        options: Mapping[str, Any],
        config: Mapping[str, Any],
    ) -> StoredValue:
        uri = f"models:/{artifact_name}/{len(self.models) + 1}"
        self.models[uri] = value
        self.calls.append(dict(options))
        return StoredValue(
            self.name,
            uri,
            metadata={"model_uri": uri, "options": dict(options)},
            root=str(config.get("mlflow_tracking_uri") or ""),
        )

    def load(self, stored: StoredValue, *, config: Mapping[str, Any]) -> Any:
        return self.models[stored.location]

    def delete(self, stored: StoredValue, *, config: Mapping[str, Any]) -> None:
        self.models.pop(stored.location, None)
