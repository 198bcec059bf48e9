"""Slicing: the statements of a session an artifact needs, pruned to what it uses.

:func:`artifact_slices` is the API for tools that work on slices (refactoring several
artifacts into functions): per artifact, each kept statement's text and the names it
reads and binds. Turning a slice into text or running it (``artifact_code``, ``execute_artifact``,
``session_code``) is :mod:`linea_core.codegen`, the layer above this one.
"""

from __future__ import annotations

from linea_core.graph.model import SessionGraph, SliceRoot
from linea_core.slicing.artifact_slices import SliceStatement, artifact_slices
from linea_core.slicing.closure import KeptNode, Slice, Slicer, ValueLoaderSource
from linea_core.slicing.errors import (
    SliceExecutionError,
    SlicingError,
    UnreproducibleSliceWarning,
)
from linea_core.slicing.linea_calls import LoaderCode


def slice_nodes(
    graph: SessionGraph, root: SliceRoot, *, artifact_name: str = ""
) -> dict[int, frozenset[str]]:
    """Kept node id -> the names later statements of the slice need from it.

    Uses the default ``get_code`` options (save statement dropped); a value
    computed inside the save call keeps the save node, with no needed names.
    ``artifact_name`` only matters when one statement saves several artifacts.
    """
    piece = Slicer(graph).slice(root, artifact_name=artifact_name)
    return {node_id: kept.needed for node_id, kept in piece.kept.items()}


__all__ = [
    "KeptNode",
    "LoaderCode",
    "Slice",
    "SliceExecutionError",
    "SliceStatement",
    "Slicer",
    "SlicingError",
    "UnreproducibleSliceWarning",
    "ValueLoaderSource",
    "artifact_slices",
    "slice_nodes",
]
