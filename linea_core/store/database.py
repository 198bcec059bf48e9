"""The artifact database through its DB-API driver: URLs, pooled connections, transactions.

Every traced run opens the store, so this path is kept to the standard library
(``sqlite3``) on SQLite, and to psycopg itself on PostgreSQL: importing SQLAlchemy
alone costs several times a small script's whole run. SQLAlchemy and alembic are
loaded only to create or upgrade the schema (:mod:`linea_core.store.migrate`).

SQLite: WAL (readers never block the writer), ``busy_timeout`` (a waiting writer
sleeps inside SQLite instead of failing), ``synchronous=NORMAL`` (safe with WAL),
foreign keys on, and every write transaction starts with ``BEGIN IMMEDIATE``. The
last point is what keeps LineaPy's "database is locked" away: a deferred transaction
that reads and then writes must upgrade its lock, and SQLite refuses that upgrade
immediately (no busy wait) when another writer got there first. Taking the write
lock up front makes writers queue instead. Anything transient that still slips
through is retried with backoff by :meth:`Database.write`.

PostgreSQL: psycopg 3; an idle pooled connection is checked before reuse, and
transient serialization failures and deadlocks are retried.
"""

from __future__ import annotations

import json
import os
import re
import sqlite3
import threading
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from types import ModuleType
from typing import Any, Protocol, TypeVar
from urllib.parse import parse_qsl, quote, unquote

from linea_core.store.errors import StoreError, StoreReadOnlyError
from linea_core.support.retry import retry_transient
from linea_core.support.secrets import mask_url

T = TypeVar("T")

SQLITE_BUSY_TIMEOUT_MS = 30_000
# How long to wait for a PostgreSQL server to answer before saying it is unreachable.
PG_CONNECT_TIMEOUT_S = 10
# How long Database.write keeps retrying transient failures before giving up.
WRITE_RETRY_BUDGET_S = 120.0
# SQLSTATEs PostgreSQL uses for "try the transaction again".
_PG_RETRYABLE = frozenset({"40001", "40P01", "55P03"})
# Idle connections kept per database; more concurrent users simply open more.
_MAX_IDLE = 5
# SQLAlchemy's SQLite DATETIME text format: databases written by earlier versions of
# linea (through SQLAlchemy) and by this module read the same.
_SQLITE_TIME_FORMAT = "%Y-%m-%d %H:%M:%S.%f"


def normalize_database_url(url: str) -> str:
    """Accept the URL spellings users copy from other tools.

    ``postgres://`` (Heroku and friends) and bare ``postgresql://`` both mean
    psycopg 3, the driver linea talks to PostgreSQL with.
    """
    url = url.strip()
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


@dataclass(frozen=True)
class DatabaseURL:
    """A parsed ``database_url``: which database, and how to reach it."""

    url: str  # normalized (what SQLAlchemy/alembic are given when they are needed)
    dialect: str  # "sqlite" or "postgresql"
    target: str  # SQLite: file path, ":memory:" or a file: URI; PostgreSQL: libpq URI
    sqlite_uri: bool = False

    @property
    def is_memory(self) -> bool:
        return self.dialect == "sqlite" and (
            self.target == ":memory:" or "mode=memory" in self.target
        )

    def display(self) -> str:
        """The URL without its password, for messages."""
        return mask_url(self.url)


def parse_database_url(url: str) -> DatabaseURL:
    """Parse the SQLAlchemy-style URLs linea documents (``sqlite:///...``, ``postgresql://...``)."""
    normalized = normalize_database_url(url)
    scheme, sep, rest = normalized.partition("://")
    if not sep:
        raise StoreError(f"{url!r} is not a database URL (sqlite:///path or postgresql://...).")
    backend, _, driver = scheme.partition("+")
    if backend == "sqlite" and driver in ("", "pysqlite"):
        return _parse_sqlite(normalized, rest)
    if backend == "postgresql" and driver == "psycopg":
        return DatabaseURL(normalized, "postgresql", "postgresql://" + rest)
    if backend == "postgresql":
        raise StoreError(
            f"Unsupported PostgreSQL driver {driver!r} in {mask_url(normalized)!r}: linea "
            "talks to PostgreSQL through psycopg 3. Use postgresql://... (install it with "
            "pip install 'linea-core[postgres]')."
        )
    raise StoreError(
        f"Unsupported database {mask_url(normalized)!r}: linea stores artifacts in "
        "SQLite or PostgreSQL (sqlite:///path or postgresql://...)."
    )


def _parse_sqlite(normalized: str, rest: str) -> DatabaseURL:
    # "sqlite://" is memory; "sqlite:///rel.db" relative; "sqlite:////abs.db" absolute.
    path_part, _, query = rest.partition("?")
    path = unquote(path_part[1:]) if path_part.startswith("/") else unquote(path_part)
    params = dict(parse_qsl(query))
    uri = params.pop("uri", "").lower() in ("true", "1")
    if not path or path == ":memory:":
        return DatabaseURL(normalized, "sqlite", ":memory:")
    if uri:
        target = path + (("?" + "&".join(f"{k}={v}" for k, v in params.items())) if params else "")
        return DatabaseURL(normalized, "sqlite", target, sqlite_uri=True)
    if params:
        raise StoreError(
            f"Unsupported SQLite URL parameter(s) {', '.join(sorted(params))} in {normalized!r}; "
            "linea sets timeouts and journaling itself (use ?uri=true for SQLite URI options)."
        )
    return DatabaseURL(normalized, "sqlite", os.path.abspath(os.path.expanduser(path)))


class SQL:
    """One statement, written once with ``:name`` parameters, rendered for each database.

    ``{for_update}`` becomes ``FOR UPDATE`` on PostgreSQL and nothing on SQLite, where
    ``BEGIN IMMEDIATE`` already holds the database's single write lock.
    """

    __slots__ = ("sqlite", "postgresql")

    def __init__(self, text: str) -> None:
        self.sqlite = text.format(for_update="")
        pg = text.format(for_update=" FOR UPDATE").replace("%", "%%")
        self.postgresql = re.sub(r"(?<![:\w]):([A-Za-z_]\w*)", r"%(\1)s", pg)

    def __repr__(self) -> str:
        return f"SQL({self.sqlite!r})"


Params = Mapping[str, Any]


class Row(Protocol):
    """A fetched row, read by column name (``sqlite3.Row`` and psycopg's ``dict_row``).

    Column values are whatever the database driver returns for the column's type; the
    store's record builders (:mod:`linea_core.store.queries`) turn them into typed records.
    """

    def __getitem__(self, column: str, /) -> Any: ...


class Connection:
    """A connection inside one transaction, with the few calls the store makes.

    Rows support ``row["column"]`` (``sqlite3.Row`` / psycopg ``dict_row``).
    """

    __slots__ = ("raw", "dialect")

    def __init__(self, raw: Any, dialect: str) -> None:
        self.raw = raw
        self.dialect = dialect

    def execute(self, statement: SQL, params: Params | None = None) -> Any:
        text = statement.sqlite if self.dialect == "sqlite" else statement.postgresql
        return self.raw.execute(text, params or {})

    def executemany(self, statement: SQL, rows: Sequence[Params]) -> None:
        if not rows:
            return
        if self.dialect == "sqlite":
            self.raw.executemany(statement.sqlite, rows)
        else:
            with self.raw.cursor() as cursor:
                cursor.executemany(statement.postgresql, rows)

    def first(self, statement: SQL, params: Params | None = None) -> Row | None:
        row: Row | None = self.execute(statement, params).fetchone()
        return row

    def all(self, statement: SQL, params: Params | None = None) -> list[Row]:
        return list(self.execute(statement, params).fetchall())

    def scalar(self, statement: SQL, params: Params | None = None) -> Any:
        row = self.execute(statement, params).fetchone()
        if row is None:
            return None
        return row[0] if self.dialect == "sqlite" else next(iter(row.values()))

    # -- values whose representation differs between the two databases ----------

    def timestamp(self, moment: datetime) -> Any:
        """A timezone-aware UTC time as this database stores it."""
        if self.dialect == "sqlite":
            return moment.astimezone(timezone.utc).strftime(_SQLITE_TIME_FORMAT)
        return moment


def read_timestamp(value: Any) -> datetime:
    """A stored time back as an aware UTC datetime (SQLite keeps UTC text without zone)."""
    moment = datetime.fromisoformat(value) if isinstance(value, str) else value
    if moment.tzinfo is None:
        return moment.replace(tzinfo=timezone.utc)
    return moment.astimezone(timezone.utc)  # PostgreSQL answers in the session's zone


def to_json(value: Any) -> str | None:
    return None if value is None else json.dumps(value)


def read_json(value: Any) -> Any:
    """JSON columns: text on SQLite, already decoded by psycopg on PostgreSQL."""
    return json.loads(value) if isinstance(value, (str, bytes)) else value


class Database:
    """One database: a small pool of DB-API connections and transaction runners.

    Thread-safe; a connection is used by one thread at a time. Connections inherited
    through ``fork`` are never reused by the child (SQLite and libpq forbid it).
    """

    def __init__(self, url: DatabaseURL) -> None:
        self.url = url
        self.dialect = url.dialect
        self._idle: list[Any] = []
        self._lock = threading.Lock()
        self._pid = os.getpid()
        # An in-memory SQLite database lives in its one connection: share it, in turn.
        self._memory_turn = threading.Lock() if url.is_memory else None

    @property
    def driver(self) -> ModuleType:
        """The DB-API module (``sqlite3`` or ``psycopg``), e.g. for its exception classes."""
        if self.dialect == "sqlite":
            return sqlite3
        import psycopg

        return psycopg

    @contextmanager
    def read(self) -> Iterator[Connection]:
        """A read-only transaction (one consistent snapshot for all its statements)."""
        try:
            with self._transaction(write=False) as connection:
                yield connection
        except sqlite3.DatabaseError as exc:
            raise translate_sqlite_error(exc, self.url) from None

    def write(self, work: Callable[[Connection], T]) -> T:
        """Run ``work(connection)`` in one write transaction, retrying transient failures.

        ``work`` must only touch the database (it may run more than once). On SQLite the
        transaction holds the write lock from its first statement.
        """

        def attempt() -> T:
            with self._transaction(write=True) as connection:
                return work(connection)

        try:
            return retry_transient(
                attempt, is_transient=is_transient, budget_s=WRITE_RETRY_BUDGET_S
            )
        except sqlite3.DatabaseError as exc:
            raise translate_sqlite_error(exc, self.url) from None

    def memory_connection(self) -> sqlite3.Connection:
        """The one connection of an in-memory database, lent raw to the schema upgrade.

        Its rows are plain tuples until :meth:`restore_memory_connection`.
        """
        assert self._memory_turn is not None, "only an in-memory database has one connection"
        with self._lock:
            raw: sqlite3.Connection | None = self._idle[0] if self._idle else None
        if raw is None:
            raw = self._connect()
            self._release(raw, True)
        raw.row_factory = None
        return raw

    def restore_memory_connection(self) -> None:
        with self._lock:
            for raw in self._idle:
                raw.row_factory = sqlite3.Row
                raw.execute("PRAGMA foreign_keys = ON")

    def close(self) -> None:
        """Close the idle connections; the database stays usable (it reconnects)."""
        with self._lock:
            idle, self._idle = self._idle, []
            ours = self._pid == os.getpid()
        if ours:
            for raw in idle:
                _close_quietly(raw)

    # -- internals ---------------------------------------------------------------

    @contextmanager
    def _transaction(self, *, write: bool) -> Iterator[Connection]:
        if self._memory_turn is not None:
            self._memory_turn.acquire()
        try:
            raw = self._acquire()
            finished = False
            try:
                if self.dialect == "sqlite":
                    raw.execute("BEGIN IMMEDIATE" if write else "BEGIN")
                yield Connection(raw, self.dialect)
                if self.dialect == "sqlite":
                    raw.execute("COMMIT" if write else "ROLLBACK")
                elif write:
                    raw.commit()
                else:
                    raw.rollback()
                finished = True
            finally:
                # An in-memory database lives only in its connection: always keep it.
                reusable = finished or _rollback_quietly(raw, self.dialect)
                self._release(raw, reusable or self._memory_turn is not None)
        finally:
            if self._memory_turn is not None:
                self._memory_turn.release()

    def _acquire(self) -> Any:
        with self._lock:
            if self._pid != os.getpid():  # forked: the parent's connections are not ours
                self._idle, self._pid = [], os.getpid()
            raw = self._idle.pop() if self._idle else None
        if raw is not None and self.dialect == "postgresql" and not _pg_alive(raw):
            _close_quietly(raw)
            raw = None
        return raw if raw is not None else self._connect()

    def _release(self, raw: Any, reusable: bool) -> None:
        with self._lock:
            if reusable and self._pid == os.getpid():
                if self._memory_turn is not None or len(self._idle) < _MAX_IDLE:
                    self._idle.append(raw)
                    return
        _close_quietly(raw)

    def _connect(self) -> Any:
        if self.dialect == "sqlite":
            raw = connect_sqlite(self.url)
            raw.row_factory = sqlite3.Row
            return raw
        return connect_postgresql(self.url, dict_rows=True)


def connect_sqlite(url: DatabaseURL) -> sqlite3.Connection:
    """A SQLite connection with linea's settings; transactions are begun explicitly.

    A database file this process may not write (a shared, mounted archive) is opened
    read-only, and immutable when its folder is read-only too (SQLite could not
    create the WAL's shared-memory file there): every read works, and a write fails
    with :class:`StoreReadOnlyError`.
    """
    target, uri, read_only = url.target, url.sqlite_uri, False
    if not url.sqlite_uri and not url.is_memory:
        folder = Path(url.target).parent
        if os.path.exists(url.target) and not os.access(url.target, os.W_OK):
            read_only = True
        elif folder.is_dir() and not os.access(folder, os.W_OK) and os.path.exists(url.target):
            read_only = True
        else:
            folder.mkdir(parents=True, exist_ok=True)
        if read_only:
            immutable = "&immutable=1" if not os.access(folder, os.W_OK) else ""
            target, uri = f"file:{quote(url.target)}?mode=ro{immutable}", True
    try:
        raw = sqlite3.connect(
            target,
            timeout=SQLITE_BUSY_TIMEOUT_MS / 1000,
            isolation_level=None,
            check_same_thread=False,
            uri=uri,
        )
    except sqlite3.DatabaseError as exc:
        raise translate_sqlite_error(exc, url) from None
    try:
        prepare_sqlite(raw, read_only=read_only)
    except sqlite3.DatabaseError as exc:
        raw.close()
        raise translate_sqlite_error(exc, url) from None
    except BaseException:
        raw.close()
        raise
    return raw


def translate_sqlite_error(exc: sqlite3.DatabaseError, url: DatabaseURL) -> Exception:
    """A SQLite failure the user can act on as one line; anything else unchanged."""
    message = str(exc).lower()
    where = url.target
    if "file is not a database" in message or "file is encrypted" in message:
        return StoreError(
            f"{where} is not a SQLite database (or it is encrypted or damaged beyond "
            "reading). Point database_url at a linea database, or move this file away and "
            "a new one is created."
        )
    if "malformed" in message or "disk image" in message:
        return StoreError(
            f"The SQLite database {where} is damaged ({exc}). Restore it from a backup, or "
            f"recover what is left with `sqlite3 {where} .recover | sqlite3 new.sqlite`."
        )
    if "readonly database" in message or "read-only" in message:
        return StoreReadOnlyError(
            f"The artifact database {where} is read-only: it can be read but not changed. "
            "Point database_url at a database you can write to in order to save or delete."
        )
    if "unable to open database file" in message:
        return StoreError(
            f"Cannot open the SQLite database {where}: check that its folder exists and is "
            "readable (and writable, to save)."
        )
    return exc


def prepare_sqlite(raw: sqlite3.Connection, *, read_only: bool = False) -> None:
    """Apply linea's per-connection SQLite settings (see the module docstring).

    A read-only connection keeps the journal mode the file has: switching it to WAL
    is a write, and reading never needs one.
    """
    cursor = raw.cursor()
    try:
        cursor.execute(f"PRAGMA busy_timeout = {SQLITE_BUSY_TIMEOUT_MS}")
        cursor.execute("PRAGMA foreign_keys = ON")
        if read_only:
            cursor.execute("SELECT count(*) FROM sqlite_master").fetchone()
            return
        _enable_wal(cursor)
        cursor.execute("PRAGMA synchronous = NORMAL")
    finally:
        cursor.close()


def connect_postgresql(url: DatabaseURL, *, dict_rows: bool) -> Any:
    try:
        import psycopg
    except ModuleNotFoundError as exc:
        raise StoreError(
            f"The database driver for {url.display()} is not installed ({exc.name}). For "
            "PostgreSQL install the extra: pip install 'linea-core[postgres]'."
        ) from exc
    kwargs: dict[str, Any] = {"connect_timeout": PG_CONNECT_TIMEOUT_S}
    if dict_rows:
        from psycopg.rows import dict_row

        kwargs["row_factory"] = dict_row
    try:
        return psycopg.connect(url.target, **kwargs)
    except psycopg.OperationalError as exc:
        reason = " ".join(str(exc).split()) or type(exc).__name__
        raise StoreError(
            f"Cannot connect to the database {url.display()}: {mask_url(reason)[:300]}. Check "
            "that the server is running and reachable and that database_url is right."
        ) from None


def _enable_wal(cursor: sqlite3.Cursor) -> None:
    # Switching a fresh database to WAL needs an exclusive lock, and SQLite may refuse
    # that at once (no busy wait) while other processes are opening the same file.
    retry_transient(
        lambda: cursor.execute("PRAGMA journal_mode = WAL"),
        is_transient=lambda exc: (
            isinstance(exc, sqlite3.OperationalError) and _is_sqlite_busy(str(exc))
        ),
        budget_s=SQLITE_BUSY_TIMEOUT_MS / 1000,
        first_delay_s=0.005,
        max_delay_s=0.25,
    )


def _is_sqlite_busy(message: str) -> bool:
    message = message.lower()
    return "database is locked" in message or "database is busy" in message


def is_transient(exc: BaseException) -> bool:
    """True for failures that succeed when the same transaction is simply run again.

    Accepts the driver's own exceptions and SQLAlchemy's wrappers of them (``.orig``),
    which the schema upgrade sees.
    """
    exc = getattr(exc, "orig", None) or exc
    if isinstance(exc, sqlite3.OperationalError):
        return _is_sqlite_busy(str(exc))
    sqlstate = getattr(exc, "sqlstate", None) or getattr(exc, "pgcode", None)
    return sqlstate in _PG_RETRYABLE


def _pg_alive(raw: Any) -> bool:
    """Pre-ping a pooled PostgreSQL connection (the server may have dropped it)."""
    if raw.closed or getattr(raw, "broken", False):
        return False
    try:
        raw.execute("SELECT 1")
    except Exception:
        return False
    return True


def _rollback_quietly(raw: Any, dialect: str) -> bool:
    """Roll back; True when the connection is fit to be reused afterwards."""
    try:
        if dialect == "sqlite":
            if raw.in_transaction:
                raw.execute("ROLLBACK")
        else:
            raw.rollback()
    except Exception:
        return False
    return True


def _close_quietly(raw: Any) -> None:
    try:
        raw.close()
    except Exception:
        pass
