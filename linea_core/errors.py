"""Errors a user can cause; every linea exception derives from LineaError."""


class LineaError(Exception):
    """Base class so callers can catch everything linea raises on purpose."""
