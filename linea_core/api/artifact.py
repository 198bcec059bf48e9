"""``LineaArtifact``: what ``save`` returns and ``get`` finds.

An artifact object is a snapshot of one stored version plus a handle on the store it
came from; reading its value or code goes back to that store, so it stays right even
if the current configuration later points somewhere else.
"""

from __future__ import annotations

from datetime import datetime
from functools import partial
from typing import TYPE_CHECKING, Any

from linea_core.errors import LineaError

if TYPE_CHECKING:
    from linea_core.graph.model import SessionGraph, SliceRoot
    from linea_core.store.records import ArtifactRecord
    from linea_core.store.repository import Store

TRACE_HINT = (
    "Run the code under linea to record it: `linea python script.py` for a script, or "
    "`%load_ext linea_core` at the top of a notebook."
)


class CodeNotRecordedError(LineaError):
    """The artifact was saved outside a traced session, so there is no code to show."""


class LineaArtifact:
    """One saved version of a named value, with the code that produced it."""

    def __init__(
        self, record: ArtifactRecord, store: Store, *, graph: SessionGraph | None = None
    ) -> None:
        self._record = record
        self._store = store
        # The graph up to the artifact's save never changes once stored, so it is
        # loaded once per artifact object (or handed over by the session that made
        # it), not once per get_code()/execute() call.
        self._graph = graph
        # The stored graph's revision when this object loaded it (None: not loaded
        # here, or written to while read): code sliced from it is recorded with it.
        self._revision: int | None = None

    @property
    def name(self) -> str:
        """The name the artifact was saved under."""
        return self._record.name

    @property
    def version(self) -> int:
        """The version number: 0 for the first save of a name, then 1, 2, ..."""
        return self._record.version

    @property
    def _version(self) -> int:
        # LineaPy exposed the version as ``_version`` too; ported code reads it.
        return self._record.version

    @property
    def date_created(self) -> datetime:
        """When it was saved, as a naive local time (as LineaPy reported it)."""
        return local_naive(self._record.date_created)

    @property
    def storage_backend(self) -> str:
        return self._record.storage_backend

    def get_value(self) -> object:
        """The saved value, read back from storage.

        For artifacts saved from ``file_system`` or ``db`` this is that marker object.
        """
        return self._store.load_value(self._record)

    def get_metadata(self, lineapy_only: bool = False) -> dict[str, Any]:
        """Storage metadata: ``{"lineapy": {...}}`` plus the backend's own entry.

        With ``lineapy_only=True`` only linea's part is returned, whatever backend
        keeps the value (as in LineaPy).
        """
        record = self._record
        value = record.value
        linea: dict[str, Any] = {
            "artifact_id": record.id,
            "name": record.name,
            "version": record.version,
            "session_id": record.session_id,
            "node_id": record.node_id,
            "date_created": self.date_created,
            "storage_backend": record.storage_backend,
            "storage_path": self._store.storage_path(value) if value else None,
            "serializer": value.serializer if value else None,
            "content_hash": value.content_hash if value else None,
            "size": value.size if value else None,
            "external_state": record.external_state.value if record.external_state else None,
            "metadata": dict(record.metadata),
        }
        metadata: dict[str, Any] = {"lineapy": linea}
        if not lineapy_only and value is not None and value.backend != "lineapy":
            metadata[value.backend] = dict(value.backend_metadata)
        return metadata

    def get_code(
        self,
        use_lineapy_serialization: bool = True,
        keep_lineapy_save: bool = False,
        include_non_slice_as_comment: bool = False,
    ) -> str:
        """The minimal code that recomputes this artifact's value.

        Computed once and kept in the store (see :mod:`linea_core.api.recorded_code`):
        later calls, in any process, read it back in one query.
        """
        from linea_core.api import recorded_code

        kept = (
            recorded_code.variant(keep_lineapy_save, include_non_slice_as_comment)
            if use_lineapy_serialization
            else None  # names where values are stored now: always computed afresh
        )
        if kept is not None and self._live_graph() is None and self._record.slice_root:
            engine = recorded_code.engine_key()
            code = self._store.recorded_code(self._record.id, variant=kept, engine=engine)
            if code is not None:
                return code
        from linea_core.codegen import artifact_code
        from linea_core.codegen.value_loaders import value_loader_code

        loaded = self._graph is None and self._live_graph() is None
        graph, root = self._graph_and_root()
        code = artifact_code(
            graph,
            root,
            artifact_name=self.name,
            use_lineapy_serialization=use_lineapy_serialization,
            keep_lineapy_save=keep_lineapy_save,
            include_non_slice_as_comment=include_non_slice_as_comment,
            value_loader_source=partial(value_loader_code, self._store),
        )
        if kept is not None and loaded and self._revision is not None:
            self._record_code(code, kept)
        return code

    def _record_code(self, code: str, kept: str) -> None:
        """Keep code just sliced from the stored graph; a store that refuses is no error."""
        from linea_core.api import recorded_code

        assert self._record.session_id is not None
        try:
            self._store.record_code(
                self._record.session_id,
                {self._record.id: code},
                variant=kept,
                engine=recorded_code.engine_key(),
                revision=self._revision,
            )
        except Exception as exc:  # read-only or busy: the code is computed next time
            recorded_code.log.debug("linea could not record artifact code: %s", exc)

    def get_session_code(self, use_lineapy_serialization: bool = True) -> str:
        """All code the session ran, block after block, as it was written.

        ``use_lineapy_serialization`` is accepted for LineaPy compatibility; the
        session code is returned exactly as recorded.
        """
        from linea_core.codegen import session_code
        from linea_core.graph.model import SessionGraph

        self._check_traced()
        graph = self._live_graph() or self._graph
        if graph is None:
            # The session's code is its blocks: its nodes need not be read at all.
            assert self._record.session_id is not None
            blocks = self._store.load_blocks(self._record.session_id)
            graph = SessionGraph(session_id=self._record.session_id, blocks=blocks)
        return session_code(graph)

    def execute(self) -> object:
        """Run the artifact's code slice in a fresh namespace and return the value."""
        from linea_core.codegen import execute_artifact

        graph, root = self._graph_and_root()
        return execute_artifact(graph, root, self.name)

    def visualize(self, path: str | None = None) -> None:
        """Draw this artifact's lineage: its slice highlighted inside the session's graph.

        With ``path`` the picture is written there as SVG, PNG or PDF (by the
        extension); without, it is displayed inline (in a notebook). Needs graphviz.
        """
        from linea_core.drawing import ArtifactMark, artifact_picture, to_file

        graph, root = self._graph_and_root()
        picture = artifact_picture(graph, ArtifactMark(self.name, self.version, root))
        if path is not None:
            to_file(picture, path)
            return
        from linea_core.drawing import to_svg

        show_svg(to_svg(picture))

    def _check_traced(self) -> None:
        record = self._record
        if record.session_id is None or record.slice_root is None:
            raise CodeNotRecordedError(
                f"Artifact {record.name!r} version {record.version} was saved outside a traced "
                f"session, so linea has its value but no code. {TRACE_HINT}"
            )

    def _live_graph(self) -> SessionGraph | None:
        """The graph of the session running right now, if it saved this artifact and
        its save statement has finished (while it runs, only the store holds its
        provisional node)."""
        from linea_core.capture.runtime import active_session

        live = active_session()
        record = self._record
        if (
            live is not None
            and record.slice_root is not None
            and live.session_id == record.session_id
            and len(live.graph.nodes) > record.slice_root.save_node
        ):
            return live.graph
        return None

    def _graph_and_root(self) -> tuple[SessionGraph, SliceRoot]:
        self._check_traced()
        record = self._record
        assert record.session_id is not None and record.slice_root is not None
        live = self._live_graph()
        if live is not None:
            return live, record.slice_root
        if self._graph is None:
            self._graph, self._revision = self._store.load_graph_revision(record.session_id)
        return self._graph, record.slice_root

    def __repr__(self) -> str:
        return f"LineaArtifact(name={self.name!r}, _version={self.version})"

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, LineaArtifact):
            return NotImplemented
        return self._record.id == other._record.id and self._store is other._store

    def __hash__(self) -> int:
        return hash((self._record.id, self.name, self.version))


def show_svg(svg: str) -> None:
    """Display SVG inline in IPython/Jupyter; elsewhere say how to get a file instead."""
    import sys

    ipython = sys.modules.get("IPython")
    shell = ipython.get_ipython() if ipython is not None else None
    if shell is None:
        raise LineaError(
            "there is no notebook to show the picture in; pass a path to write it to a file "
            "instead, e.g. visualize('lineage.svg') (or .png, .pdf)."
        )
    from IPython.display import SVG, display

    display(SVG(svg))


def local_naive(moment: datetime) -> datetime:
    """An aware timestamp as naive local time, the form LineaPy printed and returned."""
    return moment.astimezone().replace(tzinfo=None)
