"""Fixtures for store tests: real stores on SQLite and on PostgreSQL, built-in plugins."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from linea_core.builtins import serializers as builtin_serializers
from linea_core.builtins import storage as builtin_storage
from linea_core.plugins.host import PluginHost
from linea_core.store.repository import Store


@pytest.fixture
def plugins() -> PluginHost:
    """Core's serializers and local backend, registered through the real host."""
    return PluginHost.from_modules(builtin_serializers, builtin_storage)


@pytest.fixture
def storage_dir(tmp_path: Path) -> Path:
    return tmp_path / "values"


@pytest.fixture
def sqlite_url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'store' / 'db.sqlite'}"


@pytest.fixture
def open_store(plugins: PluginHost, storage_dir: Path) -> Iterator[Callable[[str], Store]]:
    opened: list[Store] = []

    def _open(url: str) -> Store:
        store = Store.open(
            url,
            artifact_storage_dir=str(storage_dir),
            serializers=plugins.serializers(),
            backends=plugins.storage_backends(),
        )
        opened.append(store)
        return store

    yield _open
    for store in opened:
        store.close()


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request: pytest.FixtureRequest, sqlite_url: str) -> str:
    """Each test using this runs against both supported databases."""
    if request.param == "sqlite":
        return sqlite_url
    return request.getfixturevalue("pg_url")


@pytest.fixture
def store(open_store: Callable[[str], Store], database_url: str) -> Store:
    return open_store(database_url)
