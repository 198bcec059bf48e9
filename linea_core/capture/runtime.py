"""The seam between running user code and the rest of linea.

``lineapy.save`` / ``lineapy.tag`` run *inside* user code that a tracing session is
executing; they find that session here. The session is held in a
:class:`~contextvars.ContextVar` (never a module global) so two sessions in one
process, or in two threads, never see each other.

This module is the bottom of the capture package: it knows the active session only
through the :class:`ActiveSession` protocol, so nothing here imports the session (the
session imports this module, never the reverse). It stays tiny and import-cheap: the
public API imports it on every ``save`` call, including when nothing is being traced.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import TYPE_CHECKING, Any, Protocol

if TYPE_CHECKING:
    from linea_core.graph.model import SessionGraph, SliceRoot


class PathObserver(Protocol):
    """Receives the paths the process opened, listed or changed (see ``capture.external``)."""

    def on_paths(self, paths: Iterable[tuple[Any, bool | None]], event: str) -> None: ...

    def on_input(self) -> None:
        """``input()`` was called (it consumes standard input)."""


class ActiveSession(Protocol):
    """What code running inside a traced statement may ask of its session."""

    session_id: str
    name: str | None

    @property
    def graph(self) -> SessionGraph: ...

    @property
    def external(self) -> PathObserver: ...

    def flush(self, store: Any) -> None: ...

    def slice_root(self, reference: object, name: str | None = None) -> SliceRoot: ...

    def record_artifact_read(self, name: str, version: int) -> None: ...

    def reload_annotations(self) -> None: ...


_ACTIVE: ContextVar[ActiveSession | None] = ContextVar("linea_active_session", default=None)


def active_session() -> ActiveSession | None:
    """The session whose code is running right now, or None when nothing is traced."""
    return _ACTIVE.get()


@contextmanager
def activated(session: ActiveSession) -> Iterator[ActiveSession]:
    """Make ``session`` the active one while its code runs (restored afterwards, nesting-safe)."""
    token = _ACTIVE.set(session)
    try:
        yield session
    finally:
        _ACTIVE.reset(token)


__all__ = ["ActiveSession", "PathObserver", "active_session", "activated"]
