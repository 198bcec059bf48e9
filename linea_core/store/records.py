"""Plain read-only views of store rows handed to the API layer.

The API never sees SQLAlchemy objects: records are detached, immutable snapshots,
so an artifact object stays valid after its database connection is gone.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from linea_core.graph.model import ExternalState, SliceRoot


@dataclass(frozen=True)
class ValueRecord:
    """Where and how one stored value's bytes are kept."""

    id: int
    content_hash: str | None  # "algorithm:hex"; None for values a value backend keeps
    serializer: str | None  # None for values a value backend keeps
    backend: str
    location: str
    backend_metadata: Mapping[str, Any]
    size: int
    root: str = ""  # where it was written ("" before linea recorded it)


@dataclass(frozen=True)
class ArtifactRecord:
    """One version of a named artifact."""

    id: int
    name: str
    version: int
    date_created: datetime  # timezone-aware, UTC
    storage_backend: str
    session_id: str | None = None
    node_id: int | None = None
    slice_root: SliceRoot | None = None
    value: ValueRecord | None = None
    external_state: ExternalState | None = None
    metadata: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class SessionRecord:
    """What is known about the run that produced a graph."""

    id: str
    name: str | None
    created_at: datetime
    python_version: str | None
    working_dir: str | None
    entry_path: str | None


@dataclass(frozen=True)
class PackageRecord:
    """A top-level module a session imported; ``distribution`` None: not installed."""

    module: str
    distribution: str | None
    version: str | None


@dataclass(frozen=True)
class PipelineRecord:
    """A stored pipeline definition: artifacts as ``(name, version or None)``."""

    id: int
    name: str
    framework: str
    artifacts: tuple[tuple[str, int | None], ...]
    dependencies: Mapping[str, tuple[str, ...]]
    options: Mapping[str, Any]
    created_at: datetime  # timezone-aware, UTC
