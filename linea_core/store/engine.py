"""The SQLAlchemy engine alembic runs migrations on, built over linea's own connections.

Only schema creation and upgrades use SQLAlchemy (everything else talks to the driver
directly, see :mod:`linea_core.store.database`), so this module is imported only when
a database is new or behind. Its connections come from the same connect functions as
the store's, with the same SQLite settings, and a write transaction starts with
``BEGIN IMMEDIATE`` exactly like :meth:`Database.write`.
"""

from __future__ import annotations

import sqlite3

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import Connection
from sqlalchemy.pool import NullPool, StaticPool

from linea_core.store.database import Database, connect_postgresql, connect_sqlite

WRITE_OPTION = "linea_write"


def create_migration_engine(database: Database) -> Engine:
    """An engine over ``database`` whose ``linea_write`` connections take the write lock.

    Dispose it with :func:`dispose_migration_engine` (an in-memory SQLite database is
    borrowed from ``database``, whose only copy lives in that connection).
    """
    url = database.url
    if url.dialect == "postgresql":
        return create_engine(
            "postgresql+psycopg://",
            creator=lambda: connect_postgresql(url, dict_rows=False),
            poolclass=NullPool,
        )
    if url.is_memory:
        raw = database.memory_connection()
        engine = create_engine("sqlite://", creator=lambda: raw, poolclass=StaticPool)
    else:
        engine = create_engine("sqlite://", creator=lambda: connect_sqlite(url), poolclass=NullPool)

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: sqlite3.Connection, _record: object) -> None:
        # Let the "begin" event below, not the driver, decide how transactions start.
        dbapi_connection.isolation_level = None
        dbapi_connection.row_factory = None
        # A revision that rebuilds a table (SQLite's ALTER cannot change constraints)
        # drops the old copy; referencing rows must not veto that. Checked after.
        dbapi_connection.execute("PRAGMA foreign_keys = OFF")

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Connection) -> None:
        if connection.get_execution_options().get(WRITE_OPTION):
            connection.exec_driver_sql("BEGIN IMMEDIATE")
        else:
            connection.exec_driver_sql("BEGIN")

    return engine


def dispose_migration_engine(engine: Engine, database: Database) -> None:
    if database.url.is_memory:
        database.restore_memory_connection()  # the borrowed connection stays open
    else:
        engine.dispose()
