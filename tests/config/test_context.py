"""The session context: store opened lazily and reopened when its location changes."""

from __future__ import annotations

from pathlib import Path

import pytest

import linea_core
from linea_core.builtins import serializers as builtin_serializers
from linea_core.builtins import storage as builtin_storage
from linea_core.config.options import resolve_options
from linea_core.context import LineaContext, current_context, fresh_context_scope, use_context
from linea_core.plugins.host import PluginHost


@pytest.fixture
def context(tmp_path: Path) -> LineaContext:
    host = PluginHost.from_modules(builtin_serializers, builtin_storage)
    context = LineaContext(resolve_options({"home_dir": str(tmp_path / "home")}), plugins=host)
    yield context
    context.close()


def test_store_is_cached_until_its_location_changes(context: LineaContext, tmp_path: Path) -> None:
    first = context.store
    assert context.store is first
    context.set_option("logging_level", "DEBUG")  # unrelated to the store
    assert context.store is first
    context.set_option("database_url", f"sqlite:///{tmp_path / 'other.sqlite'}")
    assert context.store is not first


def test_switching_database_shows_that_databases_artifacts(
    context: LineaContext, tmp_path: Path
) -> None:
    home_db = context.options.database_url
    with use_context(context):
        linea_core.save([1, 2, 3], "numbers")
        linea_core.options.set("database_url", f"sqlite:///{tmp_path / 'second.sqlite'}")
        linea_core.options.set("artifact_storage_dir", str(tmp_path / "second_values"))
        assert len(linea_core.artifact_store()) == 0
        linea_core.save("other", "numbers")
        assert (tmp_path / "second.sqlite").exists()
        linea_core.options.set("database_url", home_db)
        linea_core.options.set("artifact_storage_dir", None)  # back to <home>/linea_pickles
        assert linea_core.get("numbers").get_value() == [1, 2, 3]


def test_fresh_context_scope_resolves_configuration_when_first_used(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    outer = current_context()
    with fresh_context_scope():
        monkeypatch.setenv("LINEA_HOME_DIR", str(tmp_path / "inner"))
        inner = current_context()
        assert inner is not outer
        assert inner.options.home_dir == tmp_path / "inner"
    assert current_context() is outer
