"""Database URLs, connection settings and the cheap open of an up-to-date database."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
from collections.abc import Callable
from pathlib import Path

import pytest

from linea_core.store.database import (
    SQL,
    Database,
    is_transient,
    normalize_database_url,
    parse_database_url,
)
from linea_core.store.errors import StoreError
from linea_core.store.repository import Store


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ("postgres://u:p@h:5432/db", "postgresql+psycopg://u:p@h:5432/db"),
        ("postgresql://u@h/db", "postgresql+psycopg://u@h/db"),
        ("  postgres://h/db ", "postgresql+psycopg://h/db"),
        ("postgresql+psycopg2://h/db", "postgresql+psycopg2://h/db"),
        ("postgresql+psycopg://h/db", "postgresql+psycopg://h/db"),
        ("sqlite:////tmp/x.sqlite", "sqlite:////tmp/x.sqlite"),
    ],
)
def test_normalize_database_url(given: str, expected: str) -> None:
    assert normalize_database_url(given) == expected


def test_sqlite_urls_are_read_as_sqlalchemy_reads_them(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    assert parse_database_url("sqlite:////abs/db.sqlite").target == "/abs/db.sqlite"
    assert parse_database_url("sqlite:///rel/db.sqlite").target == str(tmp_path / "rel/db.sqlite")
    assert parse_database_url("sqlite:////tmp/a%20b.db").target == "/tmp/a b.db"
    assert parse_database_url("sqlite+pysqlite:////x.db").target == "/x.db"
    for memory in ("sqlite://", "sqlite:///:memory:"):
        assert parse_database_url(memory).is_memory
    uri = parse_database_url("sqlite:///file:x.db?mode=ro&uri=true")
    assert (uri.target, uri.sqlite_uri) == ("file:x.db?mode=ro", True)
    with pytest.raises(StoreError, match="Unsupported SQLite URL parameter"):
        parse_database_url("sqlite:////x.db?timeout=3")


def test_postgres_url_goes_to_libpq_and_hides_the_password() -> None:
    url = parse_database_url("postgres://u:secret@h:5432/db?sslmode=disable")
    assert url.target == "postgresql://u:secret@h:5432/db?sslmode=disable"
    assert "secret" not in url.display()


def test_postgres_scheme_opens_a_working_store(
    pg_url: str, open_store: Callable[[str], Store]
) -> None:
    heroku_style = pg_url.replace("postgresql://", "postgres://", 1)
    store = open_store(heroku_style)
    assert store.database.dialect == "postgresql"
    assert store.load_value(store.save_artifact("n", 41)) == 41


def test_sqlite_runs_in_wal_mode_with_busy_timeout(sqlite_url: str) -> None:
    database = Database(parse_database_url(sqlite_url))
    try:
        with database.read() as connection:
            assert connection.scalar(SQL("PRAGMA journal_mode")) == "wal"
            assert connection.scalar(SQL("PRAGMA busy_timeout")) >= 10_000
            assert connection.scalar(SQL("PRAGMA synchronous")) == 1  # NORMAL
            assert connection.scalar(SQL("PRAGMA foreign_keys")) == 1
    finally:
        database.close()


@pytest.mark.parametrize(
    "url", ["mysql://user@localhost/db", "postgresql+psycopg2://h/db", "not a url"]
)
def test_unsupported_database_is_refused(url: str) -> None:
    with pytest.raises(StoreError, match="Unsupported|not a database URL"):
        parse_database_url(url)


def test_write_transaction_takes_the_lock_up_front(sqlite_url: str) -> None:
    """A second writer waits for the first one instead of failing on a lock upgrade."""
    database = Database(parse_database_url(sqlite_url))
    database.write(lambda c: c.execute(SQL("CREATE TABLE t (n INTEGER)")))
    inside, release = threading.Event(), threading.Event()

    def slow_writer(connection: object) -> None:
        inside.set()
        release.wait(10)
        database_conn = connection
        database_conn.execute(SQL("INSERT INTO t VALUES (1)"))  # type: ignore[attr-defined]

    thread = threading.Thread(target=database.write, args=(slow_writer,))
    thread.start()
    assert inside.wait(10)
    # The lock is held although the first writer has not written anything yet.
    other = Database(parse_database_url(sqlite_url))
    raw = other._connect()  # a plain connection with the same settings, no retries
    raw.execute("PRAGMA busy_timeout = 0")
    with pytest.raises(other.driver.OperationalError) as info:
        raw.execute("BEGIN IMMEDIATE")
    assert is_transient(info.value)
    raw.close()
    release.set()
    thread.join(10)
    with database.read() as connection:
        assert connection.scalar(SQL("SELECT count(*) FROM t")) == 1
    database.close()


def test_failed_transaction_is_rolled_back_and_the_connection_reused(sqlite_url: str) -> None:
    database = Database(parse_database_url(sqlite_url))
    database.write(lambda c: c.execute(SQL("CREATE TABLE t (n INTEGER UNIQUE)")))

    def insert_twice(connection: object) -> None:
        connection.execute(SQL("INSERT INTO t VALUES (1)"))  # type: ignore[attr-defined]
        connection.execute(SQL("INSERT INTO t VALUES (1)"))  # type: ignore[attr-defined]

    with pytest.raises(database.driver.IntegrityError):
        database.write(insert_twice)
    with database.read() as connection:
        assert connection.scalar(SQL("SELECT count(*) FROM t")) == 0
    database.close()


def test_in_memory_sqlite_store_works(plugins: object, storage_dir: Path) -> None:
    store = Store.open(
        "sqlite://",
        artifact_storage_dir=str(storage_dir),
        serializers=plugins.serializers(),  # type: ignore[attr-defined]
        backends=plugins.storage_backends(),  # type: ignore[attr-defined]
    )
    try:
        store.save_artifact("m", [1])
        assert store.load_value(store.get_artifact("m")) == [1]
    finally:
        store.close()


def test_forked_child_never_reuses_the_parents_connections(
    sqlite_url: str, open_store: Callable[[str], Store]
) -> None:
    store = open_store(sqlite_url)
    store.save_artifact("before", 1)  # leaves a pooled connection behind
    pid = os.fork()
    if pid == 0:  # child: must open its own connection and see the data
        try:
            ok = store.get_artifact("before").version == 0
            store.save_artifact("child", 2)
        except BaseException:
            ok = False
        os._exit(0 if ok else 1)
    _, status = os.waitpid(pid, 0)
    assert os.waitstatus_to_exitcode(status) == 0
    assert store.load_value(store.get_artifact("child")) == 2
    assert store.load_value(store.get_artifact("before")) == 1


def test_opening_a_store_imports_no_sqlalchemy(sqlite_url: str, tmp_path: Path) -> None:
    """Only upgrading an older schema needs SQLAlchemy and alembic."""
    snippet = (
        "import sys\n"
        "from linea_core.plugins.host import PluginHost\n"
        "from linea_core.store.repository import Store\n"
        "host = PluginHost.installed()\n"
        "store = Store.open(sys.argv[1], artifact_storage_dir=sys.argv[2],\n"
        "    serializers=host.serializers(), backends=host.storage_backends())\n"
        "store.load_value(store.save_artifact('x', [1]))\n"
        "print(sorted(m for m in ('sqlalchemy', 'alembic', 'mako', 'fsspec', 'pydantic')"
        " if m in sys.modules))\n"
    )

    def run() -> str:
        args = [sys.executable, "-c", snippet, sqlite_url, str(tmp_path / "values")]
        proc = subprocess.run(args, capture_output=True, text=True, check=True)
        return proc.stdout.strip()

    assert run() == "[]"  # a new database gets the shipped head schema
    assert run() == "[]"  # an up-to-date one is checked with one query
