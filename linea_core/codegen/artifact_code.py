"""An artifact's code with LineaPy's ``get_code`` options, and running that code alone."""

from __future__ import annotations

import builtins
import linecache
from typing import Any

from linea_core.graph.model import SessionGraph, SliceRoot
from linea_core.slicing.closure import Slice, Slicer, ValueLoaderSource
from linea_core.slicing.errors import SliceExecutionError, SlicingError

from .render import render_slice


def artifact_code(
    graph: SessionGraph,
    root: SliceRoot,
    *,
    artifact_name: str,
    use_lineapy_serialization: bool = True,
    keep_lineapy_save: bool = False,
    include_non_slice_as_comment: bool = False,
    value_loader_source: ValueLoaderSource | None = None,
    slicer: Slicer | None = None,
) -> str:
    """The minimal code that recomputes the artifact saved at ``root``.

    With ``use_lineapy_serialization=False``, ``lineapy.get(NAME).get_value()`` is
    replaced by ``value_loader_source(NAME, version)`` (supplied by the store, which
    knows where values live); without a loader those calls stay. Pass a long-lived
    ``slicer`` to reuse parsed statements across calls on one session.
    """
    slicer = slicer if slicer is not None else Slicer(graph)
    piece = slicer.slice(
        root,
        artifact_name=artifact_name,
        keep_lineapy_save=keep_lineapy_save,
        value_loader_source=None if use_lineapy_serialization else value_loader_source,
    )
    return render_slice(graph, piece, include_non_slice_as_comment=include_non_slice_as_comment)


def execute_artifact(
    graph: SessionGraph,
    root: SliceRoot,
    artifact_name: str,
    *,
    slicer: Slicer | None = None,
) -> object:
    """Run the artifact's slice in a fresh namespace and return the value it produces.

    The value is the saved variable's (or expression's) value; for a value computed
    inside the save call, that expression's value; for ``file_system`` / ``db``
    artifacts, the :class:`~linea_core.graph.model.ExternalState` marker once the
    slice has redone the writes. Retained ``lineapy.get(...)`` lines work because
    the slice keeps the import of linea they use.
    """
    slicer = slicer if slicer is not None else Slicer(graph)
    piece = slicer.slice(root, artifact_name=artifact_name)
    if piece.missing:
        raise SliceExecutionError(
            f"the code of artifact {artifact_name!r} cannot reproduce its value: {piece.missing}"
        )
    code = render_slice(graph, piece)
    namespace = run_slice(code, artifact_name)
    return _value(piece, namespace)


def run_slice(code: str, artifact_name: str) -> dict[str, Any]:
    """Execute slice ``code`` as a ``__main__`` script; return its namespace.

    The code is registered with :mod:`linecache` under a per-artifact filename so a
    traceback from the slice shows the slice's lines.
    """
    filename = f"<linea slice of {artifact_name}>"
    linecache.cache[filename] = (len(code), None, code.splitlines(keepends=True), filename)
    namespace: dict[str, Any] = {"__name__": "__main__", "__builtins__": builtins}
    try:
        compiled = compile(code, filename, "exec")
    except SyntaxError as exc:
        raise SlicingError(
            f"the code generated for artifact {artifact_name!r} does not compile ({exc}); "
            "please report this with the artifact's session code"
        ) from exc
    try:
        exec(compiled, namespace)
    except Exception as exc:
        raise SliceExecutionError(
            f"running the code of artifact {artifact_name!r} on its own raised "
            f"{type(exc).__name__}: {exc}. The code is what get_code() returns; it runs in "
            "the current directory, so relative paths and changed input files matter"
        ) from exc
    return namespace


def _value(piece: Slice, namespace: dict[str, Any]) -> object:
    if piece.external_state is not None:
        return piece.external_state
    if piece.value_source is None:
        raise SlicingError(
            f"artifact {piece.artifact_name!r}: linea cannot tell which value of its save "
            "statement is the artifact's, so the slice ran but its value cannot be returned"
        )
    try:
        return eval(piece.value_source, namespace)
    except Exception as exc:
        raise SliceExecutionError(
            f"artifact {piece.artifact_name!r}: after its code ran, {piece.value_source!r} "
            f"could not be evaluated ({type(exc).__name__}: {exc})"
        ) from exc
