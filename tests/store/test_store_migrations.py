"""The schema comes from the alembic revisions, which must match the models."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from alembic.autogenerate import compare_metadata
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import text

from linea_core.store.errors import StoreError
from linea_core.store.migrate import HEAD_REVISION, MIGRATIONS_DIR, current_revision
from linea_core.store.models import Base
from linea_core.store.repository import Store


def _script() -> ScriptDirectory:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    return ScriptDirectory.from_config(config)


def test_head_revision_constant_matches_the_scripts() -> None:
    assert _script().get_heads() == [HEAD_REVISION]


def test_migrated_schema_matches_the_models(store: Store) -> None:
    with store.engine.connect() as connection:
        assert current_revision(connection) == HEAD_REVISION
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        assert compare_metadata(context, Base.metadata) == []


def test_reopening_a_migrated_database_keeps_data(
    store: Store, open_store: Callable[[str], Store], database_url: str
) -> None:
    store.save_artifact("x", 1)
    assert open_store(database_url).get_artifact("x").version == 0


def test_database_from_a_newer_linea_is_refused(
    store: Store, open_store: Callable[[str], Store], database_url: str
) -> None:
    with store.engine.begin() as connection:
        connection.execute(text("UPDATE alembic_version SET version_num = 'ffff'"))
    with pytest.raises(StoreError, match="newer linea"):
        open_store(database_url)
