"""Bring a database to the current schema when a store is opened.

Opening an up-to-date database (every run but the first) costs one query on the
store's own connection and imports neither SQLAlchemy nor alembic. Only a new or
older database goes through alembic.

Many processes may open the same fresh database at once (a pipeline's tasks, a test
suite under xdist). The upgrade therefore runs inside one write transaction that
first takes a database-wide lock: ``BEGIN IMMEDIATE`` on SQLite, a transaction-level
advisory lock on PostgreSQL. The first opener creates the schema; the others wait,
then find it at head and do nothing. Both engines have transactional DDL, so a
crashed upgrade leaves the database as it was.
"""

from __future__ import annotations

import random
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

from linea_core.store.database import (
    SQL,
    WRITE_RETRY_BUDGET_S,
    Connection,
    Database,
    is_transient,
)
from linea_core.store.errors import StoreError

if TYPE_CHECKING:
    from sqlalchemy.engine import Connection as SAConnection

# The newest revision in migrations/versions; a test keeps the two in step.
HEAD_REVISION = "0001"
MIGRATIONS_DIR = Path(__file__).parent / "migrations"
# Arbitrary constant identifying linea's migration lock among advisory locks.
_PG_MIGRATION_LOCK_KEY = 0x6C696E6561  # "linea"

_SQLITE_HAS_VERSION_TABLE = SQL(
    "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'alembic_version'"
)
# to_regclass resolves the name through search_path, as the SELECT below will.
_PG_HAS_VERSION_TABLE = SQL("SELECT 1 WHERE to_regclass('alembic_version') IS NOT NULL")
_VERSION = SQL("SELECT version_num FROM alembic_version")


def current_revision(connection: Connection) -> str | None:
    """The revision recorded in the database, or None for an empty database."""
    probe = _SQLITE_HAS_VERSION_TABLE if connection.dialect == "sqlite" else _PG_HAS_VERSION_TABLE
    if connection.first(probe) is None:
        return None
    return connection.scalar(_VERSION)


def upgrade_to_head(database: Database) -> None:
    """Apply missing migrations, safely under concurrent openers."""
    with database.read() as connection:
        if current_revision(connection) == HEAD_REVISION:
            return
    _upgrade(database)


def _upgrade(database: Database) -> None:
    from linea_core.store.engine import (
        WRITE_OPTION,
        create_migration_engine,
        dispose_migration_engine,
    )

    engine = create_migration_engine(database)
    try:
        deadline = time.monotonic() + WRITE_RETRY_BUDGET_S
        delay = 0.01
        while True:
            try:
                with engine.connect() as connection:
                    connection.execution_options(**{WRITE_OPTION: True})
                    with connection.begin():
                        _upgrade_locked(connection)
                return
            except Exception as exc:
                if not is_transient(exc) or time.monotonic() > deadline:
                    raise
            time.sleep(delay * (1 + random.random()))
            delay = min(delay * 2, 1.0)
    finally:
        dispose_migration_engine(engine, database)


def _sa_revision(connection: SAConnection) -> Any:
    from sqlalchemy import inspect, text

    if not inspect(connection).has_table("alembic_version"):
        return None
    return connection.execute(text("SELECT version_num FROM alembic_version")).scalar()


def _upgrade_locked(connection: SAConnection) -> None:
    from sqlalchemy import text

    if connection.dialect.name == "postgresql":
        connection.execute(
            text("SELECT pg_advisory_xact_lock(:key)"), {"key": _PG_MIGRATION_LOCK_KEY}
        )
    # Re-read under the lock: another process may have finished while we waited.
    found = _sa_revision(connection)
    if found == HEAD_REVISION:
        return
    from alembic import command
    from alembic.config import Config
    from alembic.script import ScriptDirectory

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    known = {script.revision for script in ScriptDirectory.from_config(config).walk_revisions()}
    if found is not None and found not in known:
        raise StoreError(
            f"The database schema is at revision {found!r}, which this version of linea does "
            "not know; it was probably written by a newer linea. Upgrade linea "
            "(pip install -U linea-core) or point database_url at another database."
        )
    config.attributes["connection"] = connection
    command.upgrade(config, "head")
