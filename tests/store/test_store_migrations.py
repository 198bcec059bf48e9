"""The schema comes from the alembic revisions, which must match the models."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory

from linea_core.store.database import SQL
from linea_core.store.engine import create_migration_engine, dispose_migration_engine
from linea_core.store.errors import StoreError
from linea_core.store.migrate import HEAD_REVISION, MIGRATIONS_DIR, current_revision
from linea_core.store.models import Base
from linea_core.store.queries import (
    ARTIFACT_CODE_COLUMNS,
    ARTIFACT_COLUMNS,
    BLOCK_COLUMNS,
    NODE_COLUMNS,
    SESSION_COLUMNS,
    VALUE_COLUMNS,
)
from linea_core.store.repository import Store


def _script() -> ScriptDirectory:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    return ScriptDirectory.from_config(config)


def test_head_revision_constant_matches_the_scripts() -> None:
    assert _script().get_heads() == [HEAD_REVISION]


def test_migrated_schema_matches_the_models(store: Store) -> None:
    with store.database.read() as connection:
        assert current_revision(connection) == HEAD_REVISION
    engine = create_migration_engine(store.database)
    try:
        with engine.connect() as connection:
            context = MigrationContext.configure(connection, opts={"compare_type": True})
            assert compare_metadata(context, Base.metadata) == []
    finally:
        dispose_migration_engine(engine, store.database)


def test_the_stores_sql_names_the_models_columns() -> None:
    tables = Base.metadata.tables
    for table, columns in [
        ("sessions", SESSION_COLUMNS),
        ("blocks", BLOCK_COLUMNS),
        ("nodes", NODE_COLUMNS),
        ("stored_values", VALUE_COLUMNS),
        ("artifacts", ARTIFACT_COLUMNS),
        ("artifact_code", ARTIFACT_CODE_COLUMNS),
    ]:
        assert list(columns) == [column.name for column in tables[table].columns], table


def test_empty_database_has_no_revision(database_url: str, tmp_path: object) -> None:
    from linea_core.store.database import Database, parse_database_url

    if database_url.startswith("sqlite"):
        database = Database(parse_database_url(database_url))
        try:
            with database.read() as connection:
                assert current_revision(connection) is None
        finally:
            database.close()


def test_reopening_a_migrated_database_keeps_data(
    store: Store, open_store: Callable[[str], Store], database_url: str
) -> None:
    store.save_artifact("x", 1)
    assert open_store(database_url).get_artifact("x").version == 0


def test_database_from_a_newer_linea_is_refused(
    store: Store, open_store: Callable[[str], Store], database_url: str
) -> None:
    store.database.write(
        lambda connection: connection.execute(
            SQL("UPDATE alembic_version SET version_num = 'ffff'")
        )
    )
    with pytest.raises(StoreError, match="newer linea"):
        open_store(database_url)


@pytest.mark.parametrize("dialect", ["sqlite", "postgresql"])
def test_shipped_head_schema_is_what_alembic_renders(dialect: str) -> None:
    from linea_core.store import head_schema
    from linea_core.store.migrate import render_head_schema

    assert head_schema.REVISION == HEAD_REVISION
    shipped = head_schema.SQLITE if dialect == "sqlite" else head_schema.POSTGRESQL
    assert shipped == render_head_schema(dialect)


def test_new_database_from_shipped_schema_equals_one_built_by_alembic(tmp_path: Path) -> None:
    from linea_core.store import migrate
    from linea_core.store.database import Database, parse_database_url

    def schema(database: Database) -> list[tuple[str, str, str]]:
        with database.read() as connection:
            rows = connection.all(
                SQL("SELECT type, name, sql FROM sqlite_master ORDER BY type, name")
            )
        return [(row["type"], row["name"], " ".join((row["sql"] or "").split())) for row in rows]

    shipped = Database(parse_database_url(f"sqlite:///{tmp_path / 'shipped.db'}"))
    by_alembic = Database(parse_database_url(f"sqlite:///{tmp_path / 'alembic.db'}"))
    try:
        migrate.upgrade_to_head(shipped)
        migrate._upgrade(by_alembic)  # what a database at an older revision goes through
        assert schema(shipped) == schema(by_alembic)
        with by_alembic.read() as connection:
            assert current_revision(connection) == HEAD_REVISION
    finally:
        shipped.close()
        by_alembic.close()
