"""The user-facing functions, with LineaPy's signatures and behaviour.

Each call works on the current :class:`~linea_core.context.LineaContext` (its store),
so two contexts in one process never mix artifacts.
"""

from __future__ import annotations

from typing import Any

from linea_core.api.artifact import LineaArtifact
from linea_core.api.artifact_store import LineaArtifactStore
from linea_core.capture.runtime import active_session
from linea_core.context import current_context


def save(
    reference: object, name: str, storage_backend: str | None = None, **kwargs: Any
) -> LineaArtifact:
    """Save ``reference``'s value (and, when traced, the code behind it) as ``name``.

    Each save of a name creates the next version (0, 1, 2, ...). ``storage_backend``
    picks the backend keeping the value (default: linea's own files under
    ``artifact_storage_dir``); ``kwargs`` are passed to that backend as options,
    overriding the ``storage_options`` configuration item. Outside a traced session
    only the value is saved; ``get_code`` then explains how to trace.
    """
    from linea_core.store.names import validate_artifact_name

    validate_artifact_name(name)
    store = current_context().store
    session = active_session()
    if session is None:
        record = store.save_artifact(
            name, reference, storage_backend=storage_backend, backend_options=kwargs
        )
    else:
        session.flush(store)
        root = session.slice_root(reference, name)
        if root.missing:
            from linea_core.slicing.errors import UnreproducibleSliceWarning
            from linea_core.support.user_warnings import warn_user

            warn_user(
                f"artifact {name!r}: its code cannot reproduce the value: {root.missing}",
                UnreproducibleSliceWarning,
            )
        record = store.save_artifact(
            name,
            reference,
            storage_backend=storage_backend,
            session_id=session.session_id,
            session_name=session.name,
            slice_root=root,
            backend_options=kwargs,
        )
    return LineaArtifact(record, store)


def get(artifact_name: str, version: int | None = None) -> LineaArtifact:
    """The artifact saved as ``artifact_name``: the latest version, or ``version``.

    A missing name raises an error naming the closest existing names; list them all
    with :func:`artifact_store`.
    """
    store = current_context().store
    artifact = LineaArtifact(store.get_artifact(artifact_name, version), store)
    session = active_session()
    if session is not None:
        # the slice of what the statement computes reads this version, not the latest
        session.record_artifact_read(artifact_name, artifact.version)
    return artifact


def delete(artifact_name: str, version: int | str) -> None:
    """Delete one version (an int), the ``"latest"`` one, or ``"all"`` versions.

    Prints ``Deleted Artifact: NAME version: V`` for each version removed. A stored
    value is removed from storage only when no other artifact refers to it. Deleted
    version numbers are not reused by later saves.
    """
    store = current_context().store
    for number in store.delete_artifacts(artifact_name, version):
        print(f"Deleted Artifact: {artifact_name} version: {number}")


def artifact_store() -> LineaArtifactStore:
    """Every saved artifact version, printable and exportable (``.export``)."""
    store = current_context().store
    return LineaArtifactStore(store.list_artifacts(), store)


def reload() -> None:
    """Load plugins and annotation packs again, as LineaPy's ``reload()`` did.

    For a pack added with ``linea annotate add`` or a plugin installed while a notebook
    runs: the running session uses the new annotation packs from its next statement,
    and the store is reopened with the plugins found now.
    """
    current_context().reload()
    session = active_session()
    if session is not None:
        session.reload_annotations()
