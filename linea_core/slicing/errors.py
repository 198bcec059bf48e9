"""Errors raised while slicing a session graph or running a slice."""

from __future__ import annotations

from linea_core.errors import LineaError, LineaWarning


class SlicingError(LineaError):
    """The graph or slice root is inconsistent, so no slice can be computed.

    This points at a damaged or hand-built graph (a root naming a node that does not
    exist, a save statement that contains no save call), never at user code.
    """


class SliceExecutionError(LineaError):
    """Running an artifact's slice on its own raised; the original error is chained."""


class UnreproducibleSliceWarning(LineaWarning):
    """The artifact's code cannot reproduce its value; the code says why in a comment."""
