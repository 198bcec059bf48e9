"""Errors the artifact store raises on purpose.

Every class derives from :class:`~linea_core.errors.LineaError`. The ones a user
causes by passing a bad argument also derive from ``ValueError`` (and lookups from
``LookupError``) because LineaPy documented ``ValueError`` for these cases and ported
code catches it.
"""

from __future__ import annotations

from linea_core.errors import LineaError, LineaWarning


class StoreError(LineaError):
    """The store could not do what was asked (database or storage trouble)."""


class StoreReadOnlyError(StoreError, PermissionError):
    """A write to a store (database or value storage) that this process may only read."""


class StorageFallbackWarning(LineaWarning):
    """The storage backend asked for cannot keep this value; linea's own storage did."""


class InvalidArtifactNameError(LineaError, ValueError):
    """An artifact name that could be confused with a path or is unprintable."""


class InvalidVersionError(LineaError, ValueError):
    """A version argument that is neither an integer nor one of the accepted words."""


class ArtifactNotFoundError(LineaError, LookupError, ValueError):
    """No artifact with that name (or no such version of it)."""


class SerializationError(LineaError, TypeError):
    """No registered serializer could turn the value into bytes."""


class UnknownStorageBackendError(LineaError, ValueError):
    """``storage_backend=`` names a backend no plugin registered."""


class ValueMissingError(StoreError):
    """An artifact row points at a stored value that cannot be read back."""


class SessionNotFoundError(LineaError, LookupError):
    """No recorded session with that id."""
