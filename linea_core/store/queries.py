"""SQL for the store: statements and row conversions shared by the repository.

Kept apart from :mod:`linea_core.store.repository` so the repository reads as the
protocol (what happens in which transaction) and this module as the SQL it runs.
Locking notes: ``with_for_update`` renders ``FOR UPDATE`` on PostgreSQL and nothing on
SQLite, where ``BEGIN IMMEDIATE`` already holds the database's single write lock.
"""

from __future__ import annotations

import os
import platform
from datetime import datetime, timezone
from typing import Any

from sqlalchemy import delete, func, select, update
from sqlalchemy.engine import Connection, Row

from linea_core.graph.model import ExternalState
from linea_core.plugins.contracts import StoredValue
from linea_core.store import graph_rows
from linea_core.store.errors import StoreError
from linea_core.store.models import (
    ArtifactRow,
    ArtifactVersionCounterRow,
    SessionRow,
    StoredValueRow,
)
from linea_core.store.names import VersionSelector
from linea_core.store.records import ArtifactRecord, ValueRecord

ARTIFACTS = ArtifactRow.__table__
VALUES = StoredValueRow.__table__
COUNTERS = ArtifactVersionCounterRow.__table__
SESSIONS = SessionRow.__table__

_A, _V, _C, _S = ARTIFACTS, VALUES, COUNTERS, SESSIONS


class NoSuchArtifact(Exception):
    pass


def delete_artifact_rows(
    connection: Connection, *, name: str, selector: VersionSelector
) -> tuple[list[int], list[ValueRecord]]:
    query = select(_A.c.id, _A.c.version, _A.c.value_id).where(_A.c.name == name)
    if selector == "latest":
        query = query.order_by(_A.c.version.desc()).limit(1)
    elif selector != "all":
        query = query.where(_A.c.version == selector)
    rows = connection.execute(query.with_for_update()).all()
    if not rows:
        raise NoSuchArtifact
    connection.execute(delete(_A).where(_A.c.id.in_([row.id for row in rows])))
    orphans: list[ValueRecord] = []
    for value_id in sorted({row.value_id for row in rows if row.value_id is not None}):
        # Lock the value row first so a concurrent save reusing it either commits its
        # reference before we count, or finds the row gone and stores its own copy.
        value_row = connection.execute(
            select(_V).where(_V.c.id == value_id).with_for_update()
        ).first()
        if value_row is None:
            continue
        references = connection.execute(
            select(func.count()).select_from(_A).where(_A.c.value_id == value_id)
        ).scalar_one()
        if references == 0:
            connection.execute(delete(_V).where(_V.c.id == value_id))
            orphans.append(value_record(value_row))
    return sorted(row.version for row in rows), orphans


def ensure_session_row(
    connection: Connection,
    *,
    session_id: str,
    name: str | None = None,
    working_dir: str | None = None,
    entry_path: str | None = None,
) -> None:
    connection.execute(
        dialect_insert(connection, _S)
        .values(
            id=session_id,
            name=name,
            created_at=utcnow(),
            python_version=platform.python_version(),
            working_dir=working_dir if working_dir is not None else os.getcwd(),
            entry_path=entry_path,
        )
        .on_conflict_do_nothing()
    )
    if name is not None:
        connection.execute(
            update(_S)
            .where(_S.c.id == session_id, _S.c.name.is_distinct_from(name))
            .values(name=name)
        )


def next_version(connection: Connection, name: str) -> int:
    """Take the next version number for ``name``; the row lock serializes savers."""
    statement = (
        dialect_insert(connection, _C)
        .values(name=name, next_version=1)
        .on_conflict_do_update(
            index_elements=[_C.c.name], set_={"next_version": _C.c.next_version + 1}
        )
        .returning(_C.c.next_version)
    )
    return connection.execute(statement).scalar_one() - 1


def lock_value(
    connection: Connection, backend: str, serializer: str, sha256: str
) -> Row[Any] | None:
    return connection.execute(
        select(_V)
        .where(_V.c.backend == backend, _V.c.serializer == serializer, _V.c.sha256 == sha256)
        .with_for_update()
    ).first()


def dialect_insert(connection: Connection, table: Any) -> Any:
    """INSERT with ON CONFLICT support for the two databases linea runs on."""
    if connection.dialect.name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert
    elif connection.dialect.name == "sqlite":
        from sqlalchemy.dialects.sqlite import insert
    else:  # create_store_engine refuses other databases; this guards direct use
        raise StoreError(f"Unsupported database {connection.dialect.name!r}.")
    return insert(table)


def upsert(connection: Connection, table: Any) -> Any:
    """INSERT that overwrites every non-key column of a row whose key already exists."""
    statement = dialect_insert(connection, table)
    keys = [column.name for column in table.primary_key.columns]
    return statement.on_conflict_do_update(
        index_elements=keys,
        set_={
            column.name: statement.excluded[column.name]
            for column in table.columns
            if column.name not in keys
        },
    )


def artifact_query() -> Any:
    return select(
        _A,
        _V.c.sha256,
        _V.c.serializer,
        _V.c.backend,
        _V.c.location,
        _V.c.backend_metadata,
        _V.c.size,
    ).select_from(_A.outerjoin(_V, _A.c.value_id == _V.c.id))


def artifact_record(row: Row[Any]) -> ArtifactRecord:
    value = None
    if row.value_id is not None:
        value = ValueRecord(
            id=row.value_id,
            sha256=row.sha256,
            serializer=row.serializer,
            backend=row.backend,
            location=row.location,
            backend_metadata=row.backend_metadata or {},
            size=row.size,
        )
    return ArtifactRecord(
        id=row.id,
        name=row.name,
        version=row.version,
        date_created=aware(row.date_created),
        storage_backend=row.storage_backend,
        session_id=row.session_id,
        node_id=row.node_id,
        slice_root=graph_rows.slice_root_from_json(row.slice_root) if row.slice_root else None,
        value=value,
        external_state=ExternalState(row.external_state) if row.external_state else None,
        metadata=row._mapping["metadata"] or {},
    )


def value_record(row: Row[Any]) -> ValueRecord:
    return ValueRecord(
        id=row.id,
        sha256=row.sha256,
        serializer=row.serializer,
        backend=row.backend,
        location=row.location,
        backend_metadata=row.backend_metadata or {},
        size=row.size,
    )


def stored_value(value: ValueRecord) -> StoredValue:
    return StoredValue(
        backend=value.backend, location=value.location, metadata=value.backend_metadata
    )


def utcnow() -> datetime:
    return datetime.now(timezone.utc)


def aware(moment: datetime) -> datetime:
    """SQLite hands timestamps back without their zone; they were written as UTC."""
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=timezone.utc)
