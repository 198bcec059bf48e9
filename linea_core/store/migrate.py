"""Bring a database to the current schema when a store is opened.

Opening an up-to-date database (every run but the first) costs one query on the
store's own connection and imports neither SQLAlchemy nor alembic. A new, empty
database gets the head schema from :mod:`linea_core.store.head_schema`: the exact
statements alembic would run, rendered from the revisions ahead of time (a test
renders them again and compares). Only a database at an older revision goes
through alembic itself.

Many processes may open the same fresh database at once (a pipeline's tasks, a test
suite under xdist). The upgrade therefore runs inside one write transaction that
first takes a database-wide lock: ``BEGIN IMMEDIATE`` on SQLite, a transaction-level
advisory lock on PostgreSQL. The first opener creates the schema; the others wait,
then find it at head and do nothing. Both engines have transactional DDL, so a
crashed upgrade leaves the database as it was.
"""

from __future__ import annotations

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
from linea_core.support.retry import retry_transient

if TYPE_CHECKING:
    from sqlalchemy.engine import Connection as SAConnection

# The newest revision in migrations/versions; a test keeps the two in step.
HEAD_REVISION = "0004"
MIGRATIONS_DIR = Path(__file__).parent / "migrations"
# Arbitrary constant identifying linea's migration lock among advisory locks.
_PG_MIGRATION_LOCK_KEY = 0x6C696E6561  # "linea"

_SQLITE_HAS_VERSION_TABLE = SQL(
    "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'alembic_version'"
)
# A plain catalog query (an MVCC read, so it sees a table another opener committed
# while this one waited for the lock; to_regclass may answer from a stale cache), of
# the tables visible through search_path, as the SELECT below resolves its name.
_PG_HAS_VERSION_TABLE = SQL(
    "SELECT 1 FROM pg_catalog.pg_class c WHERE c.relname = 'alembic_version' "
    "AND c.relkind IN ('r', 'p') AND pg_catalog.pg_table_is_visible(c.oid)"
)
_VERSION = SQL("SELECT version_num FROM alembic_version")
_PG_LOCK = SQL("SELECT pg_advisory_xact_lock(:key)")


def current_revision(connection: Connection) -> str | None:
    """The revision recorded in the database, or None for an empty database."""
    probe = _SQLITE_HAS_VERSION_TABLE if connection.dialect == "sqlite" else _PG_HAS_VERSION_TABLE
    if connection.first(probe) is None:
        return None
    revision: str | None = connection.scalar(_VERSION)
    return revision


def upgrade_to_head(database: Database) -> None:
    """Apply missing migrations, safely under concurrent openers."""
    with database.read() as connection:
        found = current_revision(connection)
    if found == HEAD_REVISION:
        return
    if found is None and database.write(_create_if_empty):
        return
    _upgrade(database)


def _create_if_empty(connection: Connection) -> bool:
    """Create the head schema in an empty database; False if it needs alembic after all."""
    from linea_core.store import head_schema

    if connection.dialect == "postgresql":
        connection.execute(_PG_LOCK, {"key": _PG_MIGRATION_LOCK_KEY})
    # Re-read under the lock: another process may have created it while we waited.
    found = current_revision(connection)
    if found is not None:
        return found == HEAD_REVISION
    assert head_schema.REVISION == HEAD_REVISION, "run: python -m linea_core.store.migrate"
    statements = head_schema.SQLITE if connection.dialect == "sqlite" else head_schema.POSTGRESQL
    for statement in statements:
        cursor = connection.raw.execute(statement)
        if cursor.description is not None:  # the RETURNING of the version stamp
            cursor.fetchall()
    return True


def _upgrade(database: Database) -> None:
    from linea_core.store.engine import (
        WRITE_OPTION,
        create_migration_engine,
        dispose_migration_engine,
    )

    engine = create_migration_engine(database)
    try:

        def attempt() -> None:
            with engine.connect() as connection:
                connection.execution_options(**{WRITE_OPTION: True})
                with connection.begin():
                    _upgrade_locked(connection)

        retry_transient(attempt, is_transient=is_transient, budget_s=WRITE_RETRY_BUDGET_S)
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
    if connection.dialect.name == "sqlite":
        broken = connection.execute(text("PRAGMA foreign_key_check")).fetchall()
        if broken:
            raise StoreError(
                f"Upgrading the database schema broke {len(broken)} reference(s) "
                f"(first: {tuple(broken[0])}); the upgrade was rolled back."
            )


def render_head_schema(dialect: str) -> tuple[str, ...]:
    """The statements alembic runs to bring an empty ``dialect`` database to head."""
    import io

    from alembic import command
    from alembic.config import Config

    buffer = io.StringIO()
    config = Config(output_buffer=buffer)
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    config.attributes["offline_url"] = {
        "sqlite": "sqlite://",
        "postgresql": "postgresql+psycopg://",
    }[dialect]
    command.upgrade(config, "head", sql=True)
    statements = []
    for chunk in buffer.getvalue().split(";\n"):
        lines = [line.rstrip() for line in chunk.strip().splitlines()]
        text = "\n".join(line for line in lines if line and not line.startswith("--"))
        if text and text not in ("BEGIN", "COMMIT"):
            statements.append(text)
    return tuple(statements)


def render_head_schema_module() -> str:
    """The source of :mod:`linea_core.store.head_schema` for the current revisions."""
    lines = [
        '"""The schema at the head revision as plain SQL, to create a new database quickly.',
        "",
        "Generated from the alembic revisions (alembic's offline mode); do not edit. After",
        "adding a revision run ``python -m linea_core.store.migrate > "
        "linea_core/store/head_schema.py``",
        "(then ``ruff format`` it); a test fails until the two agree.",
        '"""',
        "",
        f"REVISION = {HEAD_REVISION!r}",
    ]
    for name, dialect in (("SQLITE", "sqlite"), ("POSTGRESQL", "postgresql")):
        lines += ["", f"{name}: tuple[str, ...] = ("]
        lines += [f"    {statement!r}," for statement in render_head_schema(dialect)]
        lines.append(")")
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    print(render_head_schema_module(), end="")
