"""The artifact store: sessions and their graphs, stored values, versioned artifacts.

Write protocol of a save, in this order:

1. stream the value into its backend: the serializer writes straight into a fresh key
   (a temporary name renamed into place, or an atomic upload) while its bytes are
   hashed, so nothing but the value itself is ever in memory; a value backend (a
   model registry) is handed the value instead;
2. look for a recorded value with the same content at the same place (backend, root,
   serializer, hash) and check that its file is really there;
3. in ONE database transaction: reuse that value row, or repoint it at the fresh copy
   if its file was lost, or insert a row for the fresh copy; bump the name's version
   counter; insert the artifact row; commit. A fresh copy left unused is removed.

A crash before 3 commits leaves at most an unreferenced file (``linea artifacts gc``
removes it), never a row without its value. A delete removes rows in one transaction
and the value's file only after the last row referring to it is gone and that is
committed.
"""

from __future__ import annotations

import difflib
import errno
import logging
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import partial
from types import MappingProxyType
from typing import TYPE_CHECKING, Any, Protocol, TypeVar

from linea_core.builtins.storage import STORAGE_DIR_OPTION, new_key
from linea_core.graph.model import Block, ExternalState, Node, SessionGraph, SliceRoot
from linea_core.plugins.contracts import (
    AnyStorageBackend,
    Serializer,
    StorageBackend,
    StoredValue,
    ValueBackend,
)
from linea_core.store import graph_rows, queries
from linea_core.store.database import Connection, Database, Row, parse_database_url, to_json
from linea_core.store.errors import (
    ArtifactNotFoundError,
    InvalidArtifactNameError,
    SessionNotFoundError,
    StorageFallbackWarning,
    StoreError,
    StoreReadOnlyError,
    UnknownStorageBackendError,
    ValueMissingError,
)
from linea_core.store.migrate import upgrade_to_head
from linea_core.store.names import (
    display_name,
    normalize_name,
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
from linea_core.store.values import WrittenValue, read_value, type_name, write_value
from linea_core.support.secrets import mask_url
from linea_core.support.user_warnings import warn_user

if TYPE_CHECKING:
    from linea_core.config.options import Options

log = logging.getLogger(__name__)

T = TypeVar("T")

DEFAULT_STORAGE_BACKEND = "lineapy"


class PluginSource(Protocol):
    """The part of the plugin host the store needs (see ``linea_core.plugins``)."""

    def serializers(self) -> list[Serializer]: ...

    def storage_backends(self) -> Mapping[str, AnyStorageBackend]: ...


def open_store(options: Options, plugins: PluginSource) -> Store:
    """Open (creating or migrating if needed) the store the options point at."""
    return Store.open(
        options.database_url,
        artifact_storage_dir=str(options.artifact_storage_dir),
        storage_options=dict(options.storage_options or {}),
        serializers=plugins.serializers(),
        backends=plugins.storage_backends(),
        config=options.to_json_dict(),
    )


@dataclass(frozen=True)
class _Placed:
    """A value written by step 1 of a save, and what step 2 found about its content."""

    stored: StoredValue
    written: WrittenValue | None = None  # None: a value backend keeps it
    verified_id: int | None = None  # a recorded copy whose file was checked present
    lost_id: int | None = None  # a recorded copy whose file is gone


@dataclass(frozen=True)
class _SaveOutcome:
    record: ArtifactRecord
    ours_unused: bool


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
        backends: Mapping[str, AnyStorageBackend],
        storage_options: Mapping[str, Any] | None = None,
        config: Mapping[str, Any] | None = None,
    ) -> None:
        self._db = database
        self._storage_dir = artifact_storage_dir
        self._serializers = sorted(serializers, key=lambda s: (s.priority, s.name))
        self._backends = dict(backends)
        self._storage_options = dict(storage_options or {})
        self._config = MappingProxyType(dict(config or {}))

    @classmethod
    def open(
        cls,
        database_url: str,
        *,
        artifact_storage_dir: str,
        serializers: Sequence[Serializer],
        backends: Mapping[str, AnyStorageBackend],
        storage_options: Mapping[str, Any] | None = None,
        config: Mapping[str, Any] | None = None,
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
            config=config,
        )

    def set_config(self, config: Mapping[str, Any]) -> None:
        """Replace the configuration items value backends receive (``mlflow_tracking_uri``...).

        The database and storage location stay as opened: changing those opens another
        store (see :class:`~linea_core.context.LineaContext`).
        """
        self._config = MappingProxyType(dict(config))

    @property
    def database(self) -> Database:
        return self._db

    @property
    def storage_dir(self) -> str:
        return self._storage_dir

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
            connection.execute(queries.BUMP_GRAPH_REVISION, {"id": session_id})

        self._db.write(work)

    def load_graph(self, session_id: str) -> SessionGraph:
        return self.load_graph_revision(session_id)[0]

    def load_graph_revision(self, session_id: str) -> tuple[SessionGraph, int | None]:
        """The session's graph and its revision (see :meth:`record_code`).

        The revision is None when the graph was written to while it was read (a
        database without snapshot reads may then have mixed two revisions): code sliced
        from it must not be recorded.
        """
        key = {"session_id": session_id}
        with self._db.read() as connection:
            before = connection.first(queries.GRAPH_REVISION, {"id": session_id})
            if before is None:
                raise SessionNotFoundError(f"No recorded session with id {session_id!r}.")
            blocks = connection.all(queries.BLOCKS_OF_SESSION, key)
            nodes = connection.all(queries.NODES_OF_SESSION, key)
            after = connection.scalar(queries.GRAPH_REVISION, {"id": session_id})
        revision = int(after) if after == before["graph_revision"] else None
        graph = SessionGraph(
            session_id=session_id,
            blocks=[graph_rows.block_from_row(row) for row in blocks],
            nodes=graph_rows.nodes_from_rows(nodes),
        )
        return graph, revision

    def load_blocks(self, session_id: str) -> list[Block]:
        """The session's blocks alone (its code as run), without decoding its nodes."""
        with self._db.read() as connection:
            if connection.first(queries.GRAPH_REVISION, {"id": session_id}) is None:
                raise SessionNotFoundError(f"No recorded session with id {session_id!r}.")
            rows = connection.all(queries.BLOCKS_OF_SESSION, {"session_id": session_id})
        return [graph_rows.block_from_row(row) for row in rows]

    # -- artifact code, recorded once computed ------------------------------------

    def recorded_code(self, artifact_id: int, *, variant: str, engine: str) -> str | None:
        """The code recorded for an artifact, if it was sliced from the session graph as
        stored now by slicing code ``engine``; None otherwise (compute it again)."""
        with self._db.read() as connection:
            code = connection.scalar(
                queries.RECORDED_CODE,
                {"artifact_id": artifact_id, "variant": variant, "engine": engine},
            )
        return None if code is None else str(code)

    def record_code(
        self,
        session_id: str,
        codes: Mapping[int, str],
        *,
        variant: str,
        engine: str,
        revision: int | None,
    ) -> None:
        """Keep artifact id -> code, sliced from ``session_id``'s graph at ``revision``
        (None: the graph as stored now, for a caller that holds exactly that graph)."""
        if not codes:
            return

        def work(connection: Connection) -> None:
            stamp = revision
            if stamp is None:
                stamp = connection.scalar(queries.GRAPH_REVISION, {"id": session_id})
                if stamp is None:
                    return
            connection.executemany(
                queries.UPSERT_CODE,
                [
                    {
                        "artifact_id": artifact_id,
                        "variant": variant,
                        "engine": engine,
                        "graph_revision": int(stamp),
                        "code": code,
                    }
                    for artifact_id, code in codes.items()
                ],
            )

        self._db.write(work)

    def session_artifacts(self, session_id: str) -> list[ArtifactRecord]:
        """Every artifact version saved by one session, by name then version."""
        with self._db.read() as connection:
            rows = connection.all(queries.ARTIFACTS_OF_SESSION, {"session_id": session_id})
        return [queries.artifact_record(row) for row in rows]

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
        external = value if isinstance(value, ExternalState) else None
        placed = (
            None
            if external is not None
            else self._place(name, value, storage_backend, backend_options)
        )
        row_values = {
            "name": name,
            "session_id": session_id,
            "node_id": slice_root.save_node if slice_root is not None else None,
            "slice_root": graph_rows.slice_root_to_json(slice_root) if slice_root else None,
            "external_state": external.value if external is not None else None,
            "storage_backend": (
                placed.stored.backend if placed is not None else self.backend(storage_backend).name
            ),
            "metadata": dict(metadata or {}),
        }
        try:
            outcome = self._db.write(
                partial(
                    self._insert_artifact,
                    row_values=row_values,
                    session_name=session_name,
                    placed=placed,
                ),
            )
        except BaseException:
            if placed is not None:
                self._discard_if_unreferenced(placed.stored)
            raise
        if outcome.ours_unused and placed is not None:
            # The same bytes were already stored here; the fresh copy is not needed.
            self._discard_if_unreferenced(placed.stored)
        return outcome.record

    def _place(
        self,
        name: str,
        value: object,
        requested: str | None,
        backend_options: Mapping[str, Any] | None,
    ) -> _Placed:
        """Steps 1 and 2 of a save: write the value, then look for a recorded twin."""
        backend = self._choose_backend(value, requested)
        if isinstance(backend, ValueBackend):
            stored = backend.save(
                value,
                artifact_name=name,
                options=dict(backend_options or {}),
                config=self._config,
            )
            return _Placed(stored)
        options = self._backend_options(backend_options)
        written = self._guard_storage(
            lambda: write_value(value, backend, new_key, self._serializers, options),
            writing=True,
        )
        with self._db.read() as connection:
            twin = connection.first(queries.VALUE_BY_CONTENT, queries.content_key(written))
        if twin is None:
            return _Placed(written.stored, written)
        if self._present(backend, queries.value_record(twin), options):
            return _Placed(written.stored, written, verified_id=twin["id"])
        log.warning(
            "the recorded copy of a value at %s was missing; it now points at a fresh copy",
            twin["location"],
        )
        return _Placed(written.stored, written, lost_id=twin["id"])

    def _insert_artifact(
        self,
        connection: Connection,
        *,
        row_values: dict[str, Any],
        session_name: str | None,
        placed: _Placed | None,
    ) -> _SaveOutcome:
        now = queries.utcnow()
        value_row: Row | None = None
        ours_unused = False
        if placed is not None and placed.written is None:  # kept by a value backend
            value_id = queries.insert_value(connection, placed.stored, returning=True)
            value_row = connection.first(queries.LOCK_VALUE_BY_ID, {"id": value_id})
        elif placed is not None and placed.written is not None:
            written = placed.written
            value_row = queries.lock_value(connection, written)
            if value_row is not None and value_row["id"] == placed.lost_id:
                queries.repoint_value(connection, value_row["id"], written)
                value_row = queries.lock_value(connection, written)
            elif value_row is None:
                queries.insert_value(
                    connection,
                    written.stored,
                    serializer=written.serializer,
                    content_hash=written.content_hash,
                    size=written.size,
                )
                # On conflict nothing is inserted: a concurrent save stored the same
                # content a moment earlier, and its row (not ours) is the one to use.
                value_row = queries.lock_value(connection, written)
            assert value_row is not None
            ours_unused = value_row["location"] != written.stored.location
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
            ours_unused,
        )

    def get_artifact(self, name: str, version: object = None) -> ArtifactRecord:
        """One version of ``name`` (the latest when ``version`` is None or "latest")."""
        number = parse_get_version(version)
        name = _lookup_name(name)
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
                rows = connection.all(queries.ARTIFACTS_NAMED, {"name": _lookup_name(name)})
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
        name = _lookup_name(name)
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
        """Read back and deserialize an artifact's value, checking its size and hash."""
        if record.external_state is not None:
            return record.external_state
        value = record.value
        describe = f"artifact {display_name(record.name)} version {record.version}"
        if value is None:
            raise ValueMissingError(f"{describe.capitalize()} has no stored value.")
        backend = self._installed_backend(value.backend, describe)
        stored = queries.stored_value(value)
        if isinstance(backend, ValueBackend):
            return backend.load(stored, config=self._config)
        options = self._backend_options(None)
        try:
            stream = self._guard_storage(lambda: backend.open(stored, options=options))
        except FileNotFoundError as exc:
            raise ValueMissingError(
                f"The value of {describe} is missing from storage ({value.location!r} under "
                f"{mask_url(value.root or self._storage_dir)!r}). Check that "
                "artifact_storage_dir points at the storage used with this database."
            ) from exc
        with stream:
            return read_value(
                stream,
                serializer_name=value.serializer or "",
                serializers=self._serializers,
                content_hash=value.content_hash or "",
                size=value.size,
                describe=describe,
            )

    def storage_path(self, value: ValueRecord) -> str:
        """Where a value lives, for display (the backend resolves it on read)."""
        if value.backend == DEFAULT_STORAGE_BACKEND:
            root = value.root or mask_url(self._storage_dir)
            return f"{root.rstrip('/')}/{value.location}"
        return value.location

    def backend(self, name: str | None) -> AnyStorageBackend:
        """The storage backend called ``name`` (the built-in "lineapy" one for None)."""
        wanted = name or DEFAULT_STORAGE_BACKEND
        try:
            return self._backends[wanted]
        except KeyError:
            raise UnknownStorageBackendError(
                f"Unknown storage backend {display_name(wanted)}; available: "
                f"{', '.join(sorted(self._backends)) or 'none'}. Backends come from plugins "
                "(see `linea plugins list`)."
            ) from None

    def values(self) -> list[ValueRecord]:
        """Every stored-value row (for ``linea artifacts gc``)."""
        with self._db.read() as connection:
            return [queries.value_record(row) for row in connection.all(queries.ALL_VALUES)]

    def storage_backends(self) -> Mapping[str, AnyStorageBackend]:
        return MappingProxyType(self._backends)

    def backend_options(self) -> dict[str, Any]:
        """What byte backends receive as ``options`` when no per-save options are given."""
        return self._backend_options(None)

    # -- pipelines and the packages sessions imported -----------------------------

    def record_packages(self, session_id: str, packages: Iterable[PackageRecord]) -> None:
        """Remember distributions a session imported; a module already recorded keeps
        its first entry."""
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

    def _choose_backend(self, value: object, requested: str | None) -> AnyStorageBackend:
        """The backend for a save: the one asked for, or a value backend that claims it.

        A value backend that cannot keep the value (MLflow and a plain dict) hands it
        to linea's own storage, as LineaPy did, with a warning when it was asked for.
        """
        if requested is None:
            for candidate_name in sorted(self._backends):
                candidate = self._backends[candidate_name]
                if isinstance(candidate, ValueBackend) and candidate.is_default_for(
                    value, config=self._config
                ):
                    return candidate
            return self.backend(DEFAULT_STORAGE_BACKEND)
        backend = self.backend(requested)
        if isinstance(backend, ValueBackend) and not backend.accepts(value, config=self._config):
            warn_user(
                f"The storage backend {backend.name!r} cannot keep a value of type "
                f"{type_name(value)}; it was saved with linea's own storage "
                f"({DEFAULT_STORAGE_BACKEND!r}) instead.",
                StorageFallbackWarning,
            )
            return self.backend(DEFAULT_STORAGE_BACKEND)
        return backend

    def _installed_backend(self, name: str, describe: str) -> AnyStorageBackend:
        backend = self._backends.get(name)
        if backend is None:
            raise UnknownStorageBackendError(
                f"The value of {describe} is kept by the storage backend {name!r}, which no "
                f"installed plugin provides (available: "
                f"{', '.join(sorted(self._backends)) or 'none'}). Install the plugin that "
                "provides it."
            )
        return backend

    def _backend_options(self, extra: Mapping[str, Any] | None) -> dict[str, Any]:
        return {**self._storage_options, **(extra or {}), STORAGE_DIR_OPTION: self._storage_dir}

    def _present(
        self, backend: StorageBackend, value: ValueRecord, options: Mapping[str, Any]
    ) -> bool:
        """Whether a recorded value's file is where linea reads it, with its full size."""
        try:
            with backend.open(queries.stored_value(value), options=options) as stream:
                return bool(stream.seek(0, 2) == value.size or stream.tell() == value.size)
        except FileNotFoundError:
            return False

    def _guard_storage(self, operation: Callable[[], T], *, writing: bool = False) -> T:
        """Run a storage operation, turning permission and missing-package trouble into
        one line that says what to do."""
        try:
            return operation()
        except PermissionError as exc:
            where = mask_url(self._storage_dir)
            if writing:
                raise StoreReadOnlyError(
                    f"Cannot write to the artifact storage {where!r}: permission denied "
                    f"({exc.filename or exc}). It is read-only for you; point "
                    "artifact_storage_dir at a folder you can write to."
                ) from None
            raise StoreError(
                f"Cannot read from the artifact storage {where!r}: permission denied "
                f"({exc.filename or exc})."
            ) from None
        except FileNotFoundError as exc:
            if not writing:
                raise
            # Local folders are created as needed: only a missing bucket or container
            # of an object store ends up here.
            raise StoreError(
                f"Cannot write to the artifact storage {mask_url(self._storage_dir)!r}: "
                f"{exc.strerror or exc}. Create it, or point artifact_storage_dir at an "
                "existing location."
            ) from None
        except OSError as exc:
            if writing and exc.errno == errno.EROFS:
                raise StoreReadOnlyError(
                    f"Cannot write to the artifact storage {mask_url(self._storage_dir)!r}: "
                    "it is on a read-only file system. Point artifact_storage_dir at a "
                    "writable folder."
                ) from None
            raise

    def _discard_if_unreferenced(self, written: StoredValue) -> None:
        """Remove a value this process wrote, unless a committed row points at it.

        When the outcome of a commit is unknown (a connection lost mid-commit), the
        file stays: an orphan file is harmless (``linea artifacts gc`` finds it), a row
        without its file is not.
        """
        try:
            with self._db.read() as connection:
                referenced = connection.first(
                    queries.VALUE_AT_LOCATION,
                    {"backend": written.backend, "location": written.location},
                )
            if referenced is None:
                self._delete_stored(written)
        except Exception as exc:  # cleanup must not hide the original outcome
            log.warning("could not clean up unused value %s: %s", written.location, exc)

    def _remove_stored(self, value: ValueRecord) -> None:
        try:
            self._delete_stored(queries.stored_value(value))
        except FileNotFoundError:
            pass
        except Exception as exc:  # the rows are gone; a leftover file only wastes space
            log.warning("could not remove stored value %s: %s", value.location, exc)

    def _delete_stored(self, stored: StoredValue) -> None:
        backend = self._backends.get(stored.backend)
        if backend is None:
            raise UnknownStorageBackendError(f"backend {stored.backend!r} not installed")
        if isinstance(backend, ValueBackend):
            backend.delete(stored, config=self._config)
        else:
            backend.delete(stored, options=self._backend_options(None))

    def _not_found(self, name: str, version: int | None) -> ArtifactNotFoundError:
        versions = [record.version for record in self.list_artifacts(name)]
        if versions and version is not None:
            return ArtifactNotFoundError(
                f"Artifact {display_name(name)} has no version {version}; existing versions: "
                f"{_shorten_list(versions)}."
            )
        names = self.artifact_names()
        if not names:
            return ArtifactNotFoundError(
                f"No artifact named {display_name(name)}: the artifact store is empty. Save "
                "one with save(value, name)."
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
            f" Did you mean {', '.join(display_name(n) for n in close)}?"
            if close
            else f" The store has {len(names)} artifact name(s)."
        )
        return ArtifactNotFoundError(
            f"No artifact named {display_name(name)}.{hint} List them all with "
            "artifact_store() (or `linea artifacts list`)."
        )


def _lookup_name(name: object) -> str:
    """A name to look up, normalised as saved names are (see ``store.names``)."""
    if not isinstance(name, str):
        raise InvalidArtifactNameError(
            f"Artifact names are strings, got {type(name).__name__}: {display_name(name)}."
        )
    return normalize_name(name)


def _shorten_list(numbers: Sequence[int], limit: int = 20) -> str:
    if len(numbers) <= limit:
        return ", ".join(map(str, numbers))
    head = ", ".join(map(str, numbers[: limit // 2]))
    tail = ", ".join(map(str, numbers[-limit // 2 :]))
    return f"{head}, ... ({len(numbers) - limit} more), {tail}"
