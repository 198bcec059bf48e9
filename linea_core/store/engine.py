"""Database engines tuned for many concurrent writers, and the write-transaction runner.

SQLite: WAL (readers never block the writer), ``busy_timeout`` (a waiting writer
sleeps inside SQLite instead of failing), ``synchronous=NORMAL`` (safe with WAL), and
every write transaction starts with ``BEGIN IMMEDIATE``. The last point is what keeps
LineaPy's "database is locked" away: a deferred transaction that reads and then
writes must upgrade its lock, and SQLite refuses that upgrade immediately (no busy
wait) when another writer got there first. Taking the write lock up front makes
writers queue instead. Anything transient that still slips through is retried with
backoff by :func:`run_write`.

PostgreSQL: psycopg 3; transient serialization failures and deadlocks are retried.
"""

from __future__ import annotations

import logging
import random
import sqlite3
import time
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import URL, Connection, make_url
from sqlalchemy.exc import DBAPIError, OperationalError

from linea_core.store.errors import StoreError

log = logging.getLogger(__name__)

T = TypeVar("T")

SQLITE_BUSY_TIMEOUT_MS = 30_000
# How long run_write keeps retrying transient failures before giving up.
WRITE_RETRY_BUDGET_S = 120.0
_WRITE_OPTION = "linea_write"
# SQLSTATEs PostgreSQL uses for "try the transaction again".
_PG_RETRYABLE = {"40001", "40P01", "55P03"}


def normalize_database_url(url: str) -> str:
    """Accept the URL spellings users copy from other tools.

    ``postgres://`` (Heroku and friends) is not a scheme SQLAlchemy knows, and bare
    ``postgresql://`` would pick psycopg2, which linea does not depend on; both go to
    psycopg 3. An explicit driver (``postgresql+psycopg2://``) is respected.
    """
    url = url.strip()
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


def create_store_engine(database_url: str) -> Engine:
    """Create the engine for ``database_url`` with linea's concurrency settings."""
    url = make_url(normalize_database_url(database_url))
    if url.get_backend_name() == "sqlite":
        return _create_sqlite_engine(url)
    if url.get_backend_name() != "postgresql":
        raise StoreError(
            f"Unsupported database {url.render_as_string(hide_password=True)!r}: linea "
            "stores artifacts in SQLite or PostgreSQL (sqlite:///path or postgresql://...)."
        )
    try:
        return create_engine(url, pool_pre_ping=True)
    except ModuleNotFoundError as exc:
        raise StoreError(
            f"The database driver for {url.render_as_string(hide_password=True)} is not "
            f"installed ({exc.name}). For PostgreSQL install the extra: "
            "pip install 'linea-core[postgres]'."
        ) from exc


def _create_sqlite_engine(url: URL) -> Engine:
    database = url.database
    if database and database != ":memory:" and not database.startswith("file:"):
        Path(database).expanduser().parent.mkdir(parents=True, exist_ok=True)
    engine = create_engine(url, connect_args={"timeout": SQLITE_BUSY_TIMEOUT_MS / 1000})

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: sqlite3.Connection, _record: object) -> None:
        # Let SQLAlchemy's "begin" event, not the driver, decide how transactions start.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        try:
            cursor.execute(f"PRAGMA busy_timeout = {SQLITE_BUSY_TIMEOUT_MS}")
            cursor.execute("PRAGMA foreign_keys = ON")
            _enable_wal(cursor)
            cursor.execute("PRAGMA synchronous = NORMAL")
        finally:
            cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Connection) -> None:
        if connection.get_execution_options().get(_WRITE_OPTION):
            connection.exec_driver_sql("BEGIN IMMEDIATE")
        else:
            connection.exec_driver_sql("BEGIN")

    return engine


def _enable_wal(cursor: sqlite3.Cursor) -> None:
    # Switching a fresh database to WAL needs an exclusive lock, and SQLite may refuse
    # that at once (no busy wait) while other processes are opening the same file.
    deadline = time.monotonic() + SQLITE_BUSY_TIMEOUT_MS / 1000
    delay = 0.005
    while True:
        try:
            cursor.execute("PRAGMA journal_mode = WAL")
            return
        except sqlite3.OperationalError as exc:
            if not _is_sqlite_busy(str(exc)) or time.monotonic() > deadline:
                raise
        time.sleep(delay * (1 + random.random()))
        delay = min(delay * 2, 0.25)


def _is_sqlite_busy(message: str) -> bool:
    message = message.lower()
    return "database is locked" in message or "database is busy" in message


def is_transient(exc: BaseException) -> bool:
    """True for failures that succeed when the same transaction is simply run again."""
    if isinstance(exc, OperationalError) and _is_sqlite_busy(str(exc.orig)):
        return True
    if isinstance(exc, DBAPIError):
        sqlstate = getattr(exc.orig, "sqlstate", None) or getattr(exc.orig, "pgcode", None)
        return sqlstate in _PG_RETRYABLE
    return False


def run_write(engine: Engine, work: Callable[[Connection], T]) -> T:
    """Run ``work(connection)`` in one write transaction, retrying transient failures.

    ``work`` must only touch the database (it may run more than once). On SQLite the
    transaction holds the write lock from its first statement.
    """
    deadline = time.monotonic() + WRITE_RETRY_BUDGET_S
    delay = 0.01
    attempt = 0
    while True:
        attempt += 1
        try:
            with engine.connect() as connection:
                connection.execution_options(**{_WRITE_OPTION: True})
                with connection.begin():
                    return work(connection)
        except DBAPIError as exc:
            if not is_transient(exc) or time.monotonic() > deadline:
                raise
            log.debug("transient database error (attempt %d), retrying: %s", attempt, exc)
        time.sleep(delay * (1 + random.random()))
        delay = min(delay * 2, 1.0)
