"""Alembic environment for linea's store.

Linea runs migrations itself when a store is opened (see
:mod:`linea_core.store.migrate`) and passes its own connection, already inside the
transaction that serializes concurrent openers, through ``config.attributes``.
Developers creating a new revision run alembic with ``-x url=DATABASE_URL``::

    alembic -c linea_core/store/migrations/alembic.ini -x url=sqlite:///dev.sqlite \
        revision --autogenerate -m "add column"
"""

from __future__ import annotations

from alembic import context
from sqlalchemy.engine import Connection

from linea_core.store.database import Database, parse_database_url
from linea_core.store.engine import create_migration_engine, dispose_migration_engine
from linea_core.store.models import Base

config = context.config
target_metadata = Base.metadata


def _run(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


connection = config.attributes.get("connection")
if connection is not None:
    _run(connection)
elif context.is_offline_mode():
    # linea_core.store.migrate.render_head_schema passes the URL as an attribute.
    offline_url = (
        config.attributes.get("offline_url") or context.get_x_argument(as_dictionary=True)["url"]
    )
    context.configure(url=offline_url, target_metadata=target_metadata)
    with context.begin_transaction():
        context.run_migrations()
else:
    url = context.get_x_argument(as_dictionary=True).get("url") or config.get_main_option(
        "sqlalchemy.url"
    )
    if not url:
        raise SystemExit("pass the database with: alembic -x url=DATABASE_URL ...")
    database = Database(parse_database_url(url))
    engine = create_migration_engine(database)
    with engine.connect() as conn:
        _run(conn)
        conn.commit()
    dispose_migration_engine(engine, database)
