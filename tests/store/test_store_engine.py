"""Database URLs and engine settings."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from sqlalchemy import text

from linea_core.store.engine import create_store_engine, normalize_database_url
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


def test_postgres_scheme_opens_a_working_store(
    pg_url: str, open_store: Callable[[str], Store]
) -> None:
    heroku_style = pg_url.replace("postgresql://", "postgres://", 1)
    store = open_store(heroku_style)
    assert store.engine.dialect.driver == "psycopg"
    assert store.load_value(store.save_artifact("n", 41)) == 41


def test_sqlite_runs_in_wal_mode_with_busy_timeout(sqlite_url: str) -> None:
    engine = create_store_engine(sqlite_url)
    try:
        with engine.connect() as connection:
            assert connection.execute(text("PRAGMA journal_mode")).scalar() == "wal"
            assert connection.execute(text("PRAGMA busy_timeout")).scalar() >= 10_000
            assert connection.execute(text("PRAGMA synchronous")).scalar() == 1  # NORMAL
            assert connection.execute(text("PRAGMA foreign_keys")).scalar() == 1
    finally:
        engine.dispose()


def test_unsupported_database_is_refused() -> None:
    with pytest.raises(StoreError, match="SQLite or PostgreSQL"):
        create_store_engine("mysql://user@localhost/db")
