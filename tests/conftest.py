"""Shared fixtures: every test gets its own linea home; PostgreSQL is real, never mocked."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

PG_ADMIN_URL = os.environ.get("LINEA_TEST_PG_URL", "postgresql://postgres@127.0.0.1:5432/test")


@pytest.fixture(autouse=True)
def linea_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """Isolate every test from the user's ~/.linea, from LINEA_* variables, from the
    plugins installed next to linea-core, and from the linea context (options,
    plugins, open store) of any other test."""
    from linea_core.context import fresh_context_scope

    for key in list(os.environ):
        if key.startswith("LINEA_"):
            monkeypatch.delenv(key)
    home = tmp_path / "linea_home"
    monkeypatch.setenv("LINEA_HOME_DIR", str(home))
    # Core's tests see core's built-ins only, whichever plugins are installed next to it
    # (plugins are tested by their own suites, and by tests that install them on purpose).
    monkeypatch.setenv("LINEA_LOAD_PLUGINS", "")
    with fresh_context_scope():
        yield home


@pytest.fixture
def pg_url() -> Iterator[str]:
    """A fresh PostgreSQL database for one test, dropped afterwards.

    A missing server is a failure, not a skip: the shared-store behaviour is a
    requirement and CI must notice when it cannot be checked.
    """
    import psycopg

    name = f"linea_test_{uuid.uuid4().hex[:12]}"
    admin = PG_ADMIN_URL.replace("postgresql://", "postgresql://", 1)
    try:
        conn = psycopg.connect(admin, autocommit=True)
    except psycopg.OperationalError as exc:  # pragma: no cover - depends on the machine
        pytest.fail(
            f"PostgreSQL is not reachable at {admin}: {exc}. Start it with "
            "`pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start`."
        )
    with conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    base = admin.rsplit("/", 1)[0]
    try:
        yield f"{base}/{name}"
    finally:
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture
def memory_root() -> Iterator[str]:
    """A fresh ``memory://`` folder (fsspec's in-memory filesystem), removed afterwards:
    a storage location reached through fsspec, as S3 is, without a server."""
    import fsspec

    root = f"memory://linea-{uuid.uuid4().hex}"
    yield root
    memory = fsspec.filesystem("memory")
    if memory.exists(root):
        memory.rm(root, recursive=True)
