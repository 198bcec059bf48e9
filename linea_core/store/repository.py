"""The artifact store: sessions and their graphs, stored values, versioned artifacts.

Write protocol of a save, in this order:

1. serialize the value in memory (nothing written if that fails);
2. unless identical bytes are already stored, write them to the storage backend
   under a fresh key (the backend writes a temporary name and renames it);
3. in ONE database transaction: find or insert the stored-value row, bump the name's
   version counter, insert the artifact row; commit.

A crash before 3 commits leaves at most an unreferenced file, never a row without
its value. A delete removes rows in one transaction and the value's file only after
the last row referring to it is gone and that is committed.
"""

from __future__ import annotations

import difflib
import hashlib
import logging
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import partial
from typing import TYPE_CHECKING, Any, Protocol

from linea_core.graph.model import Block, ExternalState, Node, SessionGraph, SliceRoot
from linea_core.plugins.contracts import Serializer, StorageBackend, StoredValue
from linea_core.store import graph_rows, queries
from linea_core.store.database import Connection, Database, parse_database_url, to_json
from linea_core.store.errors import (
    ArtifactNotFoundError,
    SessionNotFoundError,
    UnknownStorageBackendError,
    ValueMissingError,
)
from linea_core.store.migrate import upgrade_to_head
from linea_core.store.names import (
    parse_delete_version,
    parse_get_version,
    validate_artifact_name,
)
from linea_core.store.records import (
    ArtifactRecord,
    PackageRecord,
    PipelineRecord,
    SessionRecord,
    ValueRecord,
)
from linea_core.store.test_seams import pause_before_commit
from linea_core.store.values import SerializedValue, deserialize, serialize, storage_key

if TYPE_CHECKING:
    from linea_core.config.options import Options

log = logging.getLogger(__name__)

DEFAULT_STORAGE_BACKEND = "lineapy"
# Key under which backends find the configured artifact_storage_dir in their options.
STORAGE_DIR_OPTION = "artifact_storage_dir"


class PluginSource(Protocol):
    """The part of the plugin host the store needs (see ``linea_core.plugins``)."""

    def serializers(self) -> list[Serializer]: ...

    def storage_backends(self) -> dict[str, StorageBackend]: ...


def open_store(options: Options, plugins: PluginSource) -> Store:
    """Open (creating or migrating if needed) the store the options point at."""
    return Store.open(
        options.database_url,
        artifact_storage_dir=str(options.artifact_storage_dir),
        storage_options=dict(options.storage_options or {}),
        serializers=plugins.serializers(),
        backends=plugins.storage_backends(),
    )


class _ValueVanished(Exception):
    """The stored copy a save meant to reuse was deleted before the save committed."""


@dataclass(frozen=True)
class _SaveOutcome:
    record: ArtifactRecord
    our_write_unused: bool


class Store:
    """Repository over one database and the configured value storage.

    Thread-safe and cheap to share within a context; every method runs its own
    short transaction. Use :meth:`open` (or :func:`open_store`) rather than the
    constructor, which assumes an already migrated database.
    """

    def __init__(
        self,
        database: Database,
        *,
        artifact_storage_dir: str,
        serializers: Sequence[Serializer],
        backends: Mapping[str, StorageBackend],
        storage_options: Mapping[str, Any] | None = None,
    ) -> None:
        self._db = database
        self._storage_dir = artifact_storage_dir
        self._serializers = sorted(serializers, key=lambda s: s.priority)
        self._backends = dict(backends)
        self._storage_options = dict(storage_options or {})

    @classmethod
    def open(
        cls,
        database_url: str,
        *,
        artifact_storage_dir: str,
        serializers: Sequence[Serializer],
        backends: Mapping[str, StorageBackend],
        storage_options: Mapping[str, Any] | None = None,
    ) -> Store:
        database = Database(parse_database_url(database_url))
        try:
            upgrade_to_head(database)
        except BaseException:
            database.close()
            raise
        return cls(
            database,
            artifact_storage_dir=artifact_storage_dir,
            serializers=serializers,
            backends=backends,
            storage_options=storage_options,
        )

    @property
    def database(self) -> Database:
        return self._db

    def close(self) -> None:
        self._db.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    # -- sessions and graphs -------------------------------------------------

    def ensure_session(
        self,
        session_id: str,
        *,
        name: str | None = None,
        working_dir: str | None = None,
        entry_path: str | None = None,
    ) -> None:
        """Record a session (idempotent); a given ``name`` replaces the stored one."""
        self._db.write(
            partial(
                queries.ensure_session_row,
                session_id=session_id,
                name=name,
                working_dir=working_dir,
                entry_path=entry_path,
            ),
        )

    def append_graph(self, session_id: str, blocks: Sequence[Block], nodes: Sequence[Node]) -> None:
        """Persist new blocks and nodes of a session in one transaction.

        Blocks are immutable: re-sending one is ignored. A node sent again replaces
        the stored one: ``save()`` flushes a provisional node for the statement still
        running, and its final version (complete dependencies) follows in a later
        flush. Either way a flush that failed half-way can simply be repeated.
        """

        def work(connection: Connection) -> None:
            queries.ensure_session_row(connection, session_id=session_id)
            connection.executemany(
                queries.INSERT_BLOCK,
                [graph_rows.block_to_row(session_id, block) for block in blocks],
            )
            connection.executemany(
                queries.UPSERT_NODE,
                [graph_rows.node_to_row(session_id, node) for node in nodes],
            )

        self._db.write(work)

    def load_graph(self, session_id: str) -> SessionGraph:
        key = {"session_id": session_id}
        with self._db.read() as connection:
            if connection.first(queries.SESSION_BY_ID, {"id": session_id}) is None:
                raise SessionNotFoundError(f"No recorded session with id {session_id!r}.")
            blocks = connection.all(queries.BLOCKS_OF_SESSION, key)
            nodes = connection.all(queries.NODES_OF_SESSION, key)
        return SessionGraph(
            session_id=session_id,
            blocks=[graph_rows.block_from_row(row) for row in blocks],
            nodes=graph_rows.nodes_from_rows(nodes),
        )

    def session_info(self, session_id: str) -> SessionRecord:
        with self._db.read() as connection:
            row = connection.first(queries.SESSION_BY_ID, {"id": session_id})
        if row is None:
            raise SessionNotFoundError(f"No recorded session with id {session_id!r}.")
        return queries.session_record(row)

    # -- artifacts -----------------------------------------------------------

    def save_artifact(
        self,
        name: str,
        value: object,
        *,
        storage_backend: str | None = None,
        session_id: str | None = None,
        session_name: str | None = None,
        slice_root: SliceRoot | None = None,
        metadata: Mapping[str, Any] | None = None,
        backend_options: Mapping[str, Any] | None = None,
    ) -> ArtifactRecord:
        """Store ``value`` as the next version of ``name`` (see the module docstring).

        ``value`` may be an :class:`ExternalState` member (``file_system``/``db``):
        then only the row is stored and loading it gives the member back.
        """
        name = validate_artifact_name(name)
        backend = self.backend(storage_backend)
        options = self._backend_options(backend_options)
        external = value if isinstance(value, ExternalState) else None
        payload = None if external is not None else serialize(value, self._serializers)
        written: StoredValue | None = None
        if payload is not None and not self._has_value(backend.name, payload):
            written = self._write_value(backend, payload, options)
        row_values = {
            "name": name,
            "session_id": session_id,
            "node_id": slice_root.save_node if slice_root is not None else None,
            "slice_root": graph_rows.slice_root_to_json(slice_root) if slice_root else None,
            "external_state": external.value if external is not None else None,
            "storage_backend": backend.name,
            "metadata": dict(metadata or {}),
        }
        while True:
            try:
                outcome = self._db.write(
                    partial(
                        self._insert_artifact,
                        row_values=row_values,
                        session_name=session_name,
                        backend_name=backend.name,
                        payload=payload,
                        written=written,
                    ),
                )
            except _ValueVanished:
                assert payload is not None
                written = self._write_value(backend, payload, options)
                continue
            except BaseException:
                if written is not None:
                    self._discard_if_unreferenced(backend, written, options)
                raise
            break
        if outcome.our_write_unused and written is not None:
            # Another save stored the same bytes first; ours is a duplicate nobody uses.
            self._discard_if_unreferenced(backend, written, options)
        return outcome.record

    def _insert_artifact(
        self,
        connection: Connection,
        *,
        row_values: dict[str, Any],
        session_name: str | None,
        backend_name: str,
        payload: SerializedValue | None,
        written: StoredValue | None,
    ) -> _SaveOutcome:
        now = queries.utcnow()
        value_row: Any = None
        our_write_unused = False
        if payload is not None:
            value_row = queries.lock_value(
                connection, backend_name, payload.serializer, payload.sha256
            )
            if value_row is None:
                if written is None:
                    raise _ValueVanished
                queries.insert_value(
                    connection,
                    sha256=payload.sha256,
                    serializer=payload.serializer,
                    backend=backend_name,
                    written=written,
                    size=payload.size,
                )
                # On conflict nothing is inserted: a concurrent save stored the same
                # content a moment earlier, and its row (not ours) is the one to use.
                value_row = queries.lock_value(
                    connection, backend_name, payload.serializer, payload.sha256
                )
                assert value_row is not None
            our_write_unused = written is not None and value_row["location"] != written.location
        if row_values["session_id"] is not None:
            queries.ensure_session_row(
                connection, session_id=row_values["session_id"], name=session_name
            )
        version = queries.next_version(connection, row_values["name"])
        artifact_id = connection.scalar(
            queries.INSERT_ARTIFACT,
            {
                **row_values,
                "slice_root": to_json(row_values["slice_root"]),
                "metadata": to_json(row_values["metadata"]),
                "version": version,
                "date_created": connection.timestamp(now),
                "value_id": value_row["id"] if value_row is not None else None,
            },
        )
        pause_before_commit()
        return _SaveOutcome(
            ArtifactRecord(
                id=artifact_id,
                name=row_values["name"],
                version=version,
                date_created=now,
                storage_backend=row_values["storage_backend"],
                session_id=row_values["session_id"],
                node_id=row_values["node_id"],
                slice_root=(
                    graph_rows.slice_root_from_json(row_values["slice_root"])
                    if row_values["slice_root"]
                    else None
                ),
                value=queries.value_record(value_row) if value_row is not None else None,
                external_state=(
                    ExternalState(row_values["external_state"])
                    if row_values["external_state"]
                    else None
                ),
                metadata=row_values["metadata"],
            ),
            our_write_unused,
        )

    def get_artifact(self, name: str, version: object = None) -> ArtifactRecord:
        """One version of ``name`` (the latest when ``version`` is None or "latest")."""
        number = parse_get_version(version)
        with self._db.read() as connection:
            if number is None:
                row = connection.first(queries.LATEST_ARTIFACT, {"name": name})
            else:
                row = connection.first(queries.ARTIFACT_VERSION, {"name": name, "version": number})
        if row is None:
            raise self._not_found(name, number)
        return queries.artifact_record(row)

    def list_artifacts(self, name: str | None = None) -> list[ArtifactRecord]:
        """All artifacts (or all versions of ``name``), by name then version."""
        with self._db.read() as connection:
            if name is None:
                rows = connection.all(queries.ALL_ARTIFACTS)
            else:
                rows = connection.all(queries.ARTIFACTS_NAMED, {"name": name})
        return [queries.artifact_record(row) for row in rows]

    def artifact_names(self) -> list[str]:
        with self._db.read() as connection:
            return [row["name"] for row in connection.all(queries.ARTIFACT_NAMES)]

    def delete_artifacts(self, name: str, version: object) -> list[int]:
        """Delete one version, the latest, or all versions of ``name``.

        Returns the deleted version numbers in ascending order. Stored values no
        longer referenced by any artifact are removed from storage after the commit.
        Version numbers are never handed out again (see ArtifactVersionCounterRow).
        """
        selector = parse_delete_version(version)
        try:
            versions, orphans = self._db.write(
                partial(queries.delete_artifact_rows, name=name, selector=selector)
            )
        except queries.NoSuchArtifact:
            raise self._not_found(name, selector if isinstance(selector, int) else None) from None
        for orphan in orphans:
            self._remove_stored(orphan)
        return versions

    def load_value(self, record: ArtifactRecord) -> Any:
        """Read back and deserialize an artifact's value, checking its content hash."""
        if record.external_state is not None:
            return record.external_state
        stored = record.value
        if stored is None:
            raise ValueMissingError(
                f"Artifact {record.name!r} version {record.version} has no stored value."
            )
        backend = self._backends.get(stored.backend)
        if backend is None:
            raise UnknownStorageBackendError(
                f"The value of artifact {record.name!r} version {record.version} is kept by "
                f"the storage backend {stored.backend!r}, which no installed plugin provides "
                f"(available: {', '.join(sorted(self._backends)) or 'none'}). Install the "
                "plugin that provides it."
            )
        try:
            data = backend.read(queries.stored_value(stored), options=self._backend_options(None))
        except FileNotFoundError as exc:
            raise ValueMissingError(
                f"The value of artifact {record.name!r} version {record.version} is missing "
                f"from storage ({stored.location!r} under {self._storage_dir!r}). Check that "
                "artifact_storage_dir points at the storage used with this database."
            ) from exc
        if hashlib.sha256(data).hexdigest() != stored.sha256:
            raise ValueMissingError(
                f"The stored value of artifact {record.name!r} version {record.version} is "
                f"corrupted (content hash mismatch at {stored.location!r})."
            )
        return deserialize(data, stored.serializer, self._serializers)

    def storage_path(self, value: ValueRecord) -> str:
        """Where a value lives, for display (the backend resolves it on read)."""
        if value.backend == DEFAULT_STORAGE_BACKEND:
            return f"{self._storage_dir.rstrip('/')}/{value.location}"
        return value.location

    def backend(self, name: str | None) -> StorageBackend:
        """The storage backend called ``name`` (the built-in "lineapy" one for None)."""
        wanted = name or DEFAULT_STORAGE_BACKEND
        try:
            return self._backends[wanted]
        except KeyError:
            raise UnknownStorageBackendError(
                f"Unknown storage backend {wanted!r}; available: "
                f"{', '.join(sorted(self._backends)) or 'none'}. Backends come from plugins "
                "(see `linea plugins list`)."
            ) from None

    # -- pipelines and the packages sessions imported -----------------------------

    def record_packages(self, session_id: str, packages: Sequence[Any]) -> None:
        """Remember distributions a session imported (objects with ``module``,
        ``distribution``, ``version``); a module already recorded keeps its first entry."""
        rows = [
            {
                "session_id": session_id,
                "module": package.module,
                "distribution": package.distribution,
                "version": package.version,
            }
            for package in packages
        ]
        if not rows:
            return

        def work(connection: Connection) -> None:
            queries.ensure_session_row(connection, session_id=session_id)
            connection.executemany(queries.INSERT_SESSION_PACKAGE, rows)

        self._db.write(work)

    def session_packages(self, session_id: str) -> list[PackageRecord]:
        with self._db.read() as connection:
            rows = connection.all(queries.PACKAGES_OF_SESSION, {"session_id": session_id})
        return [queries.package_record(row) for row in rows]

    def save_pipeline(
        self,
        name: str,
        *,
        framework: str,
        artifacts: Sequence[tuple[str, int | None]],
        dependencies: Mapping[str, Sequence[str]],
        options: Mapping[str, Any],
    ) -> PipelineRecord:
        """Store a pipeline definition; it replaces (shadows) any earlier one of ``name``."""
        now = queries.utcnow()
        values = {
            "name": name,
            "framework": framework,
            "artifact_names": to_json([[a, v] for a, v in artifacts]),
            "dependencies": to_json({k: sorted(v) for k, v in dependencies.items()}),
            "options": to_json(dict(options)),
        }

        def work(connection: Connection) -> int:
            return int(
                connection.scalar(
                    queries.INSERT_PIPELINE, {**values, "created_at": connection.timestamp(now)}
                )
            )

        pipeline_id = self._db.write(work)
        return PipelineRecord(
            id=pipeline_id,
            name=name,
            framework=framework,
            artifacts=tuple((a, v) for a, v in artifacts),
            dependencies={k: tuple(sorted(v)) for k, v in dependencies.items()},
            options=dict(options),
            created_at=now,
        )

    def get_pipeline(self, name: str) -> PipelineRecord | None:
        """The newest definition stored under ``name``, or None."""
        with self._db.read() as connection:
            row = connection.first(queries.LATEST_PIPELINE, {"name": name})
        return queries.pipeline_record(row) if row is not None else None

    def list_pipelines(self) -> list[PipelineRecord]:
        """The newest definition of every pipeline name, by name."""
        with self._db.read() as connection:
            rows = connection.all(queries.LATEST_PIPELINES)
        return [queries.pipeline_record(row) for row in rows]

    def delete_pipeline(self, name: str) -> bool:
        """Remove every definition stored under ``name``; False if there was none."""

        def work(connection: Connection) -> int:
            return int(connection.execute(queries.DELETE_PIPELINE, {"name": name}).rowcount or 0)

        return self._db.write(work) > 0

    # -- internals ---------------------------------------------------------------

    def _backend_options(self, extra: Mapping[str, Any] | None) -> dict[str, Any]:
        return {**self._storage_options, **(extra or {}), STORAGE_DIR_OPTION: self._storage_dir}

    def _has_value(self, backend_name: str, payload: SerializedValue) -> bool:
        with self._db.read() as connection:
            found = connection.first(
                queries.VALUE_BY_CONTENT,
                {
                    "backend": backend_name,
                    "serializer": payload.serializer,
                    "sha256": payload.sha256,
                },
            )
        return found is not None

    def _write_value(
        self, backend: StorageBackend, payload: SerializedValue, options: Mapping[str, Any]
    ) -> StoredValue:
        return backend.write(storage_key(payload.sha256), payload.data, options=options)

    def _discard_if_unreferenced(
        self, backend: StorageBackend, written: StoredValue, options: Mapping[str, Any]
    ) -> None:
        """Remove a file this process wrote, unless a committed row points at it.

        When the outcome of a commit is unknown (a connection lost mid-commit), the
        file stays: an orphan file is harmless, a row without its file is not.
        """
        try:
            with self._db.read() as connection:
                referenced = connection.first(
                    queries.VALUE_AT_LOCATION,
                    {"backend": written.backend, "location": written.location},
                )
            if referenced is None:
                backend.delete(written, options=options)
        except Exception as exc:  # cleanup must not hide the original outcome
            log.warning("could not clean up unused value file %s: %s", written.location, exc)

    def _remove_stored(self, value: ValueRecord) -> None:
        backend = self._backends.get(value.backend)
        try:
            if backend is None:
                raise UnknownStorageBackendError(f"backend {value.backend!r} not installed")
            backend.delete(queries.stored_value(value), options=self._backend_options(None))
        except FileNotFoundError:
            pass
        except Exception as exc:  # the rows are gone; a leftover file only wastes space
            log.warning("could not remove stored value %s: %s", value.location, exc)

    def _not_found(self, name: str, version: int | None) -> ArtifactNotFoundError:
        versions = [record.version for record in self.list_artifacts(name)]
        if versions and version is not None:
            return ArtifactNotFoundError(
                f"Artifact {name!r} has no version {version}; existing versions: "
                f"{', '.join(map(str, versions))}."
            )
        names = self.artifact_names()
        if not names:
            return ArtifactNotFoundError(
                f"No artifact named {name!r}: the artifact store is empty. Save one with "
                "save(value, name)."
            )
        # Compare case-insensitively: "Model" for "model" is the commonest slip.
        by_folded: dict[str, list[str]] = {}
        for existing in names:
            by_folded.setdefault(existing.casefold(), []).append(existing)
        close = [
            existing
            for folded in difflib.get_close_matches(
                name.casefold(), list(by_folded), n=3, cutoff=0.6
            )
            for existing in by_folded[folded]
        ]
        hint = (
            f" Did you mean {', '.join(repr(n) for n in close)}?"
            if close
            else f" The store has {len(names)} artifact name(s)."
        )
        return ArtifactNotFoundError(
            f"No artifact named {name!r}.{hint} List them all with artifact_store() "
            "(or `linea artifacts list`)."
        )
