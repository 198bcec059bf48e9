"""SQL for the store: statements and row conversions shared by the repository.

Kept apart from :mod:`linea_core.store.repository` so the repository reads as the
protocol (what happens in which transaction) and this module as the SQL it runs.
The statements are plain SQL that SQLite (3.35+) and PostgreSQL both accept
(``ON CONFLICT``, ``RETURNING``); the tables are the ones the alembic revisions
create, and a test checks every column named here against the models.
"""

from __future__ import annotations

import os
import platform
from datetime import datetime, timezone
from typing import Any

from linea_core.graph.model import ExternalState
from linea_core.plugins.contracts import StoredValue
from linea_core.store import graph_rows
from linea_core.store.database import SQL, Connection, Row, read_json, read_timestamp, to_json
from linea_core.store.names import VersionSelector
from linea_core.store.records import (
    ArtifactRecord,
    PackageRecord,
    PipelineRecord,
    SessionRecord,
    ValueRecord,
)
from linea_core.store.values import WrittenValue

SESSION_COLUMNS = (
    "id",
    "name",
    "created_at",
    "python_version",
    "working_dir",
    "entry_path",
    "graph_revision",
)
BLOCK_COLUMNS = ("session_id", "index", "source", "filename")
NODE_COLUMNS = (
    "session_id",
    "id",
    "block",
    "lineno",
    "end_lineno",
    "source",
    "kind",
    "deps",
    "external_writes",
    "note",
)
VALUE_COLUMNS = (
    "id",
    "content_hash",
    "serializer",
    "backend",
    "location",
    "backend_metadata",
    "size",
    "created_at",
    "root",
)
ARTIFACT_COLUMNS = (
    "id",
    "name",
    "version",
    "date_created",
    "session_id",
    "node_id",
    "slice_root",
    "value_id",
    "external_state",
    "storage_backend",
    "metadata",
)
ARTIFACT_CODE_COLUMNS = ("artifact_id", "variant", "engine", "graph_revision", "code")
SESSION_PACKAGE_COLUMNS = ("session_id", "module", "distribution", "version")
PIPELINE_COLUMNS = (
    "id",
    "name",
    "framework",
    "artifact_names",
    "dependencies",
    "created_at",
    "options",
)


def _q(name: str) -> str:
    # "index" and "metadata" are keywords somewhere; quoting every column is harmless.
    return f'"{name}"'


def _insert(table: str, columns: tuple[str, ...], tail: str = "") -> SQL:
    names = ", ".join(_q(c) for c in columns)
    values = ", ".join(f":{c}" for c in columns)
    return SQL(f"INSERT INTO {table} ({names}) VALUES ({values}){tail}")


_VALUE_SELECT = ", ".join(_q(c) for c in VALUE_COLUMNS)
_ARTIFACT_SELECT = (
    "SELECT "
    + ", ".join(f"a.{_q(c)}" for c in ARTIFACT_COLUMNS)
    + ", v.content_hash, v.serializer, v.backend, v.location, v.backend_metadata, v.size, v.root"
    " FROM artifacts a LEFT OUTER JOIN stored_values v ON a.value_id = v.id"
)

INSERT_SESSION = _insert("sessions", SESSION_COLUMNS, " ON CONFLICT DO NOTHING")
RENAME_SESSION = SQL(
    "UPDATE sessions SET name = :name WHERE id = :id AND (name IS NULL OR name <> :name)"
)
SESSION_BY_ID = SQL(
    f"SELECT {', '.join(_q(c) for c in SESSION_COLUMNS)} FROM sessions WHERE id = :id"
)
# Every write of a session's graph bumps its revision in the same transaction, so
# recorded code stamped with an older revision stops matching (see ``artifact_code``).
BUMP_GRAPH_REVISION = SQL("UPDATE sessions SET graph_revision = graph_revision + 1 WHERE id = :id")
GRAPH_REVISION = SQL("SELECT graph_revision FROM sessions WHERE id = :id")
INSERT_BLOCK = _insert("blocks", BLOCK_COLUMNS, " ON CONFLICT DO NOTHING")
_NODE_KEYS = ("session_id", "id")
UPSERT_NODE = _insert(
    "nodes",
    NODE_COLUMNS,
    " ON CONFLICT (session_id, id) DO UPDATE SET "
    + ", ".join(f"{_q(c)} = excluded.{_q(c)}" for c in NODE_COLUMNS if c not in _NODE_KEYS),
)
BLOCKS_OF_SESSION = SQL(
    'SELECT "index", source, filename FROM blocks WHERE session_id = :session_id ORDER BY "index"'
)
NODES_OF_SESSION = SQL(
    f"SELECT {', '.join(_q(c) for c in NODE_COLUMNS)} FROM nodes "
    "WHERE session_id = :session_id ORDER BY id"
)
NEXT_VERSION = SQL(
    "INSERT INTO artifact_version_counters (name, next_version) VALUES (:name, 1) "
    "ON CONFLICT (name) DO UPDATE SET next_version = artifact_version_counters.next_version + 1 "
    "RETURNING next_version"
)
_SAME_PLACE_AND_CONTENT = (
    "WHERE backend = :backend AND root = :root AND serializer = :serializer "
    "AND content_hash = :content_hash"
)
VALUE_BY_CONTENT = SQL(f"SELECT {_VALUE_SELECT} FROM stored_values {_SAME_PLACE_AND_CONTENT}")
LOCK_VALUE_BY_CONTENT = SQL(
    f"SELECT {_VALUE_SELECT} FROM stored_values {_SAME_PLACE_AND_CONTENT}"
    + "{for_update}"  # not an f-string: SQL() fills it in per database
)
VALUE_AT_LOCATION = SQL(
    "SELECT id FROM stored_values WHERE backend = :backend AND location = :location"
)
REPOINT_VALUE = SQL(
    "UPDATE stored_values SET location = :location, root = :root, "
    "backend_metadata = :backend_metadata, size = :size WHERE id = :id"
)
ALL_VALUES = SQL(f"SELECT {_VALUE_SELECT} FROM stored_values ORDER BY id")
INSERT_VALUE_RETURNING = _insert("stored_values", VALUE_COLUMNS[1:], " RETURNING id")
INSERT_VALUE = _insert("stored_values", VALUE_COLUMNS[1:], " ON CONFLICT DO NOTHING")
INSERT_ARTIFACT = _insert("artifacts", ARTIFACT_COLUMNS[1:], " RETURNING id")
LATEST_ARTIFACT = SQL(f"{_ARTIFACT_SELECT} WHERE a.name = :name ORDER BY a.version DESC LIMIT 1")
ARTIFACT_VERSION = SQL(f"{_ARTIFACT_SELECT} WHERE a.name = :name AND a.version = :version")
ALL_ARTIFACTS = SQL(f"{_ARTIFACT_SELECT} ORDER BY a.name, a.version")
ARTIFACTS_NAMED = SQL(f"{_ARTIFACT_SELECT} WHERE a.name = :name ORDER BY a.name, a.version")
ARTIFACTS_OF_SESSION = SQL(
    f"{_ARTIFACT_SELECT} WHERE a.session_id = :session_id ORDER BY a.name, a.version"
)
ARTIFACT_NAMES = SQL("SELECT DISTINCT name FROM artifacts ORDER BY name")
_DELETE_TARGETS = "SELECT id, version, value_id FROM artifacts WHERE name = :name"
LOCK_LATEST_FOR_DELETE = SQL(_DELETE_TARGETS + " ORDER BY version DESC LIMIT 1{for_update}")
LOCK_VERSION_FOR_DELETE = SQL(_DELETE_TARGETS + " AND version = :version{for_update}")
LOCK_ALL_FOR_DELETE = SQL(_DELETE_TARGETS + "{for_update}")
DELETE_ARTIFACT = SQL("DELETE FROM artifacts WHERE id = :id")
LOCK_VALUE_BY_ID = SQL(f"SELECT {_VALUE_SELECT} FROM stored_values WHERE id = :id{{for_update}}")
VALUE_REFERENCES = SQL("SELECT count(*) FROM artifacts WHERE value_id = :id")
DELETE_VALUE = SQL("DELETE FROM stored_values WHERE id = :id")

# -- artifact code recorded once computed ---------------------------------------------
# Only code sliced from the session graph as it is now (same revision) by the same
# slicing engine counts.
RECORDED_CODE = SQL(
    "SELECT c.code FROM artifact_code c JOIN artifacts a ON a.id = c.artifact_id "
    "JOIN sessions s ON s.id = a.session_id WHERE c.artifact_id = :artifact_id "
    "AND c.variant = :variant AND c.engine = :engine AND c.graph_revision = s.graph_revision"
)
UPSERT_CODE = _insert(
    "artifact_code",
    ARTIFACT_CODE_COLUMNS,
    " ON CONFLICT (artifact_id, variant) DO UPDATE SET engine = excluded.engine, "
    "graph_revision = excluded.graph_revision, code = excluded.code",
)

# -- pipelines and the packages sessions imported --------------------------------------
INSERT_SESSION_PACKAGE = _insert(
    "session_packages", SESSION_PACKAGE_COLUMNS, " ON CONFLICT DO NOTHING"
)
PACKAGES_OF_SESSION = SQL(
    "SELECT module, distribution, version FROM session_packages "
    "WHERE session_id = :session_id ORDER BY module"
)
_PIPELINE_SELECT = "SELECT " + ", ".join(_q(c) for c in PIPELINE_COLUMNS) + " FROM pipelines"
INSERT_PIPELINE = _insert("pipelines", PIPELINE_COLUMNS[1:], " RETURNING id")
LATEST_PIPELINE = SQL(f"{_PIPELINE_SELECT} WHERE name = :name ORDER BY id DESC LIMIT 1")
LATEST_PIPELINES = SQL(
    f"{_PIPELINE_SELECT} WHERE id IN (SELECT max(id) FROM pipelines GROUP BY name) ORDER BY name"
)
DELETE_PIPELINE = SQL("DELETE FROM pipelines WHERE name = :name")


class NoSuchArtifact(Exception):
    pass


def delete_artifact_rows(
    connection: Connection, *, name: str, selector: VersionSelector
) -> tuple[list[int], list[ValueRecord]]:
    if selector == "latest":
        rows = connection.all(LOCK_LATEST_FOR_DELETE, {"name": name})
    elif selector == "all":
        rows = connection.all(LOCK_ALL_FOR_DELETE, {"name": name})
    else:
        rows = connection.all(LOCK_VERSION_FOR_DELETE, {"name": name, "version": selector})
    if not rows:
        raise NoSuchArtifact
    connection.executemany(DELETE_ARTIFACT, [{"id": row["id"]} for row in rows])
    orphans: list[ValueRecord] = []
    for value_id in sorted({row["value_id"] for row in rows if row["value_id"] is not None}):
        # Lock the value row first so a concurrent save reusing it either commits its
        # reference before we count, or finds the row gone and stores its own copy.
        value_row = connection.first(LOCK_VALUE_BY_ID, {"id": value_id})
        if value_row is None:
            continue
        if connection.scalar(VALUE_REFERENCES, {"id": value_id}) == 0:
            connection.execute(DELETE_VALUE, {"id": value_id})
            orphans.append(value_record(value_row))
    return sorted(row["version"] for row in rows), orphans


def ensure_session_row(
    connection: Connection,
    *,
    session_id: str,
    name: str | None = None,
    working_dir: str | None = None,
    entry_path: str | None = None,
) -> None:
    connection.execute(
        INSERT_SESSION,
        {
            "id": session_id,
            "name": name,
            "created_at": connection.timestamp(utcnow()),
            "python_version": platform.python_version(),
            "working_dir": working_dir if working_dir is not None else os.getcwd(),
            "entry_path": entry_path,
            "graph_revision": 0,
        },
    )
    if name is not None:
        connection.execute(RENAME_SESSION, {"id": session_id, "name": name})


def next_version(connection: Connection, name: str) -> int:
    """Take the next version number for ``name``; the row lock serializes savers."""
    return int(connection.scalar(NEXT_VERSION, {"name": name})) - 1


def content_key(written: WrittenValue) -> dict[str, Any]:
    """The columns deduplication is keyed on, for a value just written."""
    return {
        "backend": written.stored.backend,
        "root": written.stored.root,
        "serializer": written.serializer,
        "content_hash": written.content_hash,
    }


def lock_value(connection: Connection, written: WrittenValue) -> Row | None:
    return connection.first(LOCK_VALUE_BY_CONTENT, content_key(written))


def artifact_record(row: Row) -> ArtifactRecord:
    value = value_record(row, id_column="value_id") if row["value_id"] is not None else None
    slice_root = read_json(row["slice_root"])
    return ArtifactRecord(
        id=row["id"],
        name=row["name"],
        version=row["version"],
        date_created=read_timestamp(row["date_created"]),
        storage_backend=row["storage_backend"],
        session_id=row["session_id"],
        node_id=row["node_id"],
        slice_root=graph_rows.slice_root_from_json(slice_root) if slice_root else None,
        value=value,
        external_state=ExternalState(row["external_state"]) if row["external_state"] else None,
        metadata=read_json(row["metadata"]) or {},
    )


def value_record(row: Row, *, id_column: str = "id") -> ValueRecord:
    """The value's columns of ``row`` (a value row, or an artifact row joined with its
    value, where the value's id is ``value_id``)."""
    return ValueRecord(
        id=row[id_column],
        content_hash=row["content_hash"],
        serializer=row["serializer"],
        backend=row["backend"],
        location=row["location"],
        backend_metadata=read_json(row["backend_metadata"]) or {},
        size=row["size"],
        root=row["root"],
    )


def session_record(row: Row) -> SessionRecord:
    return SessionRecord(
        id=row["id"],
        name=row["name"],
        created_at=read_timestamp(row["created_at"]),
        python_version=row["python_version"],
        working_dir=row["working_dir"],
        entry_path=row["entry_path"],
    )


def insert_value(
    connection: Connection,
    stored: StoredValue,
    *,
    serializer: str | None = None,
    content_hash: str | None = None,
    size: int = 0,
    returning: bool = False,
) -> int | None:
    """Insert a stored-value row.

    With ``returning`` the new id comes back (for values never shared); without it an
    identical row already recorded wins and nothing is inserted.
    """
    params = {
        "content_hash": content_hash,
        "serializer": serializer,
        "backend": stored.backend,
        "location": stored.location,
        "backend_metadata": to_json(dict(stored.metadata)),
        "size": size,
        "created_at": connection.timestamp(utcnow()),
        "root": stored.root,
    }
    if returning:
        return int(connection.scalar(INSERT_VALUE_RETURNING, params))
    connection.execute(INSERT_VALUE, params)
    return None


def repoint_value(connection: Connection, value_id: int, written: WrittenValue) -> None:
    """Make a recorded value whose file was lost point at a fresh copy of the same bytes."""
    connection.execute(
        REPOINT_VALUE,
        {
            "id": value_id,
            "location": written.stored.location,
            "root": written.stored.root,
            "backend_metadata": to_json(dict(written.stored.metadata)),
            "size": written.size,
        },
    )


def stored_value(value: ValueRecord) -> StoredValue:
    return StoredValue(
        backend=value.backend,
        location=value.location,
        metadata=value.backend_metadata,
        root=value.root,
    )


def utcnow() -> datetime:
    return datetime.now(timezone.utc)


def pipeline_record(row: Row) -> PipelineRecord:
    artifacts = read_json(row["artifact_names"]) or []
    return PipelineRecord(
        id=row["id"],
        name=row["name"],
        framework=row["framework"],
        artifacts=tuple(
            (item[0], item[1]) if isinstance(item, list) else (item, None) for item in artifacts
        ),
        dependencies={
            key: tuple(value) for key, value in (read_json(row["dependencies"]) or {}).items()
        },
        options=read_json(row["options"]) or {},
        created_at=read_timestamp(row["created_at"]),
    )


def package_record(row: Row) -> PackageRecord:
    return PackageRecord(
        module=row["module"], distribution=row["distribution"], version=row["version"]
    )
