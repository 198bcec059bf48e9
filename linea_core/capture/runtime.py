"""The seam between running user code and the rest of linea.

``lineapy.save`` / ``lineapy.tag`` run *inside* user code that a
:class:`~linea_core.capture.session.TracingSession` is executing; they find that
session here. The session is held in a :class:`~contextvars.ContextVar` (never a
module global) so two sessions in one process, or in two threads, never see each
other.

This module stays tiny and import-cheap: the public API imports it on every
``save`` call, including when nothing is being traced.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from linea_core.capture.session import TracingSession

_ACTIVE: ContextVar[TracingSession | None] = ContextVar("linea_active_session", default=None)


def active_session() -> TracingSession | None:
    """The session whose code is running right now, or None when nothing is traced."""
    return _ACTIVE.get()


@contextmanager
def activated(session: TracingSession) -> Iterator[TracingSession]:
    """Make ``session`` the active one while its code runs (restored afterwards, nesting-safe)."""
    token = _ACTIVE.set(session)
    try:
        yield session
    finally:
        _ACTIVE.reset(token)


__all__ = ["active_session", "activated"]
