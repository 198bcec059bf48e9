"""Slicing: the statements of a session an artifact needs, pruned to what it uses.

``artifact_code``, ``execute_artifact`` and ``session_code`` live in
:mod:`linea_core.codegen` (a layer above this one) and are re-exported here lazily,
so callers have one place to import from without this package importing upwards at
import time.
"""

from __future__ import annotations

import importlib
from typing import Any

from linea_core.graph.model import SessionGraph, SliceRoot
from linea_core.slicing.closure import KeptNode, Slice, Slicer, ValueLoaderSource
from linea_core.slicing.errors import SliceExecutionError, SlicingError
from linea_core.slicing.linea_calls import LoaderCode

_FROM_CODEGEN = frozenset({"artifact_code", "execute_artifact", "session_code", "render_slice"})


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


def __getattr__(name: str) -> Any:
    if name in _FROM_CODEGEN:
        return getattr(importlib.import_module("linea_core.codegen"), name)
    raise AttributeError(f"module 'linea_core.slicing' has no attribute {name!r}")


__all__ = [
    "KeptNode",
    "LoaderCode",
    "Slice",
    "SliceExecutionError",
    "Slicer",
    "SlicingError",
    "ValueLoaderSource",
    "artifact_code",
    "execute_artifact",
    "render_slice",
    "session_code",
    "slice_nodes",
]
