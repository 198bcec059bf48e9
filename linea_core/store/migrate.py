"""Bring a database to the current schema when a store is opened.

Many processes may open the same fresh database at once (a pipeline's tasks, a test
suite under xdist). The upgrade therefore runs inside one write transaction that
first takes a database-wide lock: ``BEGIN IMMEDIATE`` on SQLite, a transaction-level
advisory lock on PostgreSQL. The first opener creates the schema; the others wait,
then find it at head and do nothing. Both engines have transactional DDL, so a
crashed upgrade leaves the database as it was.

The common case (already at head) is checked with one query and does not import
alembic, which keeps ``linea`` commands quick.
"""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import Engine, inspect, text
from sqlalchemy.engine import Connection

from linea_core.store.engine import run_write
from linea_core.store.errors import StoreError

# The newest revision in migrations/versions; a test keeps the two in step.
HEAD_REVISION = "0001"
MIGRATIONS_DIR = Path(__file__).parent / "migrations"
# Arbitrary constant identifying linea's migration lock among advisory locks.
_PG_MIGRATION_LOCK_KEY = 0x6C696E6561  # "linea"


def current_revision(connection: Connection) -> str | None:
    """The revision recorded in the database, or None for an empty database."""
    if not inspect(connection).has_table("alembic_version"):
        return None
    return connection.execute(text("SELECT version_num FROM alembic_version")).scalar()


def upgrade_to_head(engine: Engine) -> None:
    """Apply missing migrations, safely under concurrent openers."""
    with engine.connect() as connection:
        if current_revision(connection) == HEAD_REVISION:
            return
    run_write(engine, _upgrade_locked)


def _upgrade_locked(connection: Connection) -> None:
    if connection.dialect.name == "postgresql":
        connection.execute(
            text("SELECT pg_advisory_xact_lock(:key)"), {"key": _PG_MIGRATION_LOCK_KEY}
        )
    # Re-read under the lock: another process may have finished while we waited.
    found = current_revision(connection)
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
