"""The store's schema as SQLAlchemy 2 declarative models.

The schema itself is created and evolved by the alembic revisions in
``linea_core/store/migrations``; these models describe the same tables for
``alembic revision --autogenerate`` when the schema changes, and tests check both
the migrated schema and the columns named in :mod:`linea_core.store.queries` against
them. The store itself runs plain SQL through the driver (importing SQLAlchemy would
cost every traced run more than the run itself), so nothing imports this module at
run time.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    DateTime,
    ForeignKey,
    ForeignKeyConstraint,
    Index,
    Integer,
    MetaData,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

NAME_LENGTH = 255

# Explicit constraint names keep migrations portable (SQLite needs them for batch ops).
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


class SessionRow(Base):
    """One traced run: a script execution or a notebook kernel's lifetime."""

    __tablename__ = "sessions"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    name: Mapped[str | None] = mapped_column(String(NAME_LENGTH))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    python_version: Mapped[str | None] = mapped_column(String(64))
    working_dir: Mapped[str | None] = mapped_column(Text)
    entry_path: Mapped[str | None] = mapped_column(Text)
    # Bumped by every write of the session's blocks and nodes: recorded artifact code
    # computed from an older graph no longer matches it.
    graph_revision: Mapped[int] = mapped_column(Integer, server_default="0")


class BlockRow(Base):
    """A script or one notebook cell run, in execution order."""

    __tablename__ = "blocks"

    session_id: Mapped[str] = mapped_column(
        ForeignKey("sessions.id", ondelete="CASCADE"), primary_key=True
    )
    index: Mapped[int] = mapped_column(Integer, primary_key=True)
    source: Mapped[str] = mapped_column(Text)
    filename: Mapped[str] = mapped_column(Text)


class NodeRow(Base):
    """One executed top-level statement and the names it took from earlier nodes."""

    __tablename__ = "nodes"
    __table_args__ = (
        ForeignKeyConstraint(
            ["session_id", "block"],
            ["blocks.session_id", "blocks.index"],
            name="fk_nodes_block_blocks",
            ondelete="CASCADE",
        ),
    )

    session_id: Mapped[str] = mapped_column(
        ForeignKey("sessions.id", ondelete="CASCADE"), primary_key=True
    )
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    block: Mapped[int] = mapped_column(Integer)
    lineno: Mapped[int] = mapped_column(Integer)
    end_lineno: Mapped[int] = mapped_column(Integer)
    source: Mapped[str] = mapped_column(Text)
    kind: Mapped[str] = mapped_column(String(32))
    # [[producer_node_id, [name, ...], [via, ...]], ...]
    deps: Mapped[list[Any]] = mapped_column(JSON)
    # ["file_system", "db"]
    external_writes: Mapped[list[Any]] = mapped_column(JSON)
    note: Mapped[str] = mapped_column(Text, default="")


class StoredValueRow(Base):
    """A value kept by a storage backend, shared by every artifact with the same content.

    ``(backend, root, serializer, content_hash)`` is unique: saving identical bytes to
    the same place again links the new artifact to the existing row (once its file is
    verified to be there) instead of keeping a second copy. ``root`` records where
    the value was written, so a later change of ``artifact_storage_dir`` does not lose
    it. Values kept by a value backend (a model registry) have no serializer and no
    content hash, and are never shared.
    """

    __tablename__ = "stored_values"
    __table_args__ = (
        Index(
            "uq_stored_values_place", "backend", "root", "serializer", "content_hash", unique=True
        ),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    content_hash: Mapped[str | None] = mapped_column(String(80))
    serializer: Mapped[str | None] = mapped_column(String(64))
    backend: Mapped[str] = mapped_column(String(64))
    location: Mapped[str] = mapped_column(Text)
    backend_metadata: Mapped[dict[str, Any]] = mapped_column(JSON)
    size: Mapped[int] = mapped_column(BigInteger)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    root: Mapped[str] = mapped_column(Text, server_default="")


class ArtifactVersionCounterRow(Base):
    """The next version number per artifact name.

    Bumped in the same transaction that inserts the artifact, so concurrent saves to
    one name queue on this row and get consecutive numbers. It is never decremented:
    deleting the latest version does not make its number available again, so a
    ``(name, version)`` pair recorded anywhere (a pipeline, a log) never silently
    comes to mean a different value.
    """

    __tablename__ = "artifact_version_counters"

    name: Mapped[str] = mapped_column(String(NAME_LENGTH), primary_key=True)
    next_version: Mapped[int] = mapped_column(Integer)


class ArtifactRow(Base):
    """A named, versioned value and (when traced) the graph position that made it."""

    __tablename__ = "artifacts"
    __table_args__ = (UniqueConstraint("name", "version", name="uq_artifacts_name_version"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    name: Mapped[str] = mapped_column(String(NAME_LENGTH))
    version: Mapped[int] = mapped_column(Integer)
    date_created: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    session_id: Mapped[str | None] = mapped_column(
        ForeignKey("sessions.id", ondelete="SET NULL"), index=True
    )
    node_id: Mapped[int | None] = mapped_column(Integer)
    # {"save_node": int, "edges": [[producer, [names], [via]], ...], "value_in_save": bool,
    #  "site": [node, line, column, run, armed] (optional), "missing": str (optional)}
    slice_root: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    value_id: Mapped[int | None] = mapped_column(
        ForeignKey("stored_values.id", ondelete="RESTRICT"), index=True
    )
    # "file_system" / "db" when the artifact stands for external state, not a value
    external_state: Mapped[str | None] = mapped_column(String(32))
    storage_backend: Mapped[str] = mapped_column(String(64))
    metadata_: Mapped[dict[str, Any]] = mapped_column("metadata", JSON)


class ArtifactCodeRow(Base):
    """An artifact's code as ``get_code()`` returns it, computed once and kept.

    ``variant`` names the ``get_code`` options it was rendered with, ``engine`` the
    slicing code that produced it, ``graph_revision`` the session graph it was sliced
    from (see ``SessionRow.graph_revision``); a row that does not match all three is
    ignored and the code computed again.
    """

    __tablename__ = "artifact_code"

    artifact_id: Mapped[int] = mapped_column(
        ForeignKey("artifacts.id", ondelete="CASCADE"), primary_key=True
    )
    variant: Mapped[str] = mapped_column(String(64), primary_key=True)
    engine: Mapped[str] = mapped_column(String(80))
    graph_revision: Mapped[int] = mapped_column(Integer)
    code: Mapped[str] = mapped_column(Text)


class SessionPackageRow(Base):
    """A top-level module a session imported and the distribution/version it came from.

    ``distribution`` is NULL for a module no installed distribution provides (a local
    file next to the script). Generated pipelines pin their requirements with these.
    """

    __tablename__ = "session_packages"

    session_id: Mapped[str] = mapped_column(
        ForeignKey("sessions.id", ondelete="CASCADE"), primary_key=True
    )
    module: Mapped[str] = mapped_column(String(NAME_LENGTH), primary_key=True)
    distribution: Mapped[str | None] = mapped_column(String(NAME_LENGTH))
    version: Mapped[str | None] = mapped_column(String(128))


class PipelineRow(Base):
    """A stored pipeline definition (``create_pipeline``); the newest row of a name wins."""

    __tablename__ = "pipelines"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    name: Mapped[str] = mapped_column(String(NAME_LENGTH))
    framework: Mapped[str] = mapped_column(String(64))
    artifact_names: Mapped[list[Any]] = mapped_column(JSON)
    # {"task": ["prerequisite", ...]}
    dependencies: Mapped[dict[str, Any]] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    # {"input_parameters": [...], "reuse_pre_computed_artifacts": [...], ...}
    options: Mapped[dict[str, Any] | None] = mapped_column(JSON)


Index("ix_nodes_session_block", NodeRow.session_id, NodeRow.block)
Index("ix_pipelines_name", PipelineRow.name)
