"""Turning values into bytes through the serializer plugins, and naming what is stored.

Serialization happens completely in memory before anything touches storage or the
database: if no serializer can handle a value, the save fails having written
nothing. Storage keys are derived from the content hash plus a random token, never
from the artifact name, so no name can reach the file system; the token makes every
write land at its own location, which lets a concurrent delete of identical bytes
never remove a file that a new row is about to point at.
"""

from __future__ import annotations

import hashlib
import io
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from linea_core.plugins.contracts import Serializer
from linea_core.store.errors import SerializationError


@dataclass(frozen=True)
class SerializedValue:
    serializer: str
    data: bytes
    sha256: str

    @property
    def size(self) -> int:
        return len(self.data)


def serialize(value: Any, serializers: Sequence[Serializer]) -> SerializedValue:
    """Serialize with the first serializer (ascending priority) that succeeds."""
    tried: list[str] = []
    for serializer in sorted(serializers, key=lambda s: s.priority):
        try:
            if not serializer.can_serialize(value):
                tried.append(f"{serializer.name} (declined)")
                continue
            buffer = io.BytesIO()
            serializer.dump(value, buffer)
        except Exception as exc:  # any failure means "try the next one"
            tried.append(f"{serializer.name} ({type(exc).__name__}: {exc})")
            continue
        data = buffer.getvalue()
        return SerializedValue(serializer.name, data, hashlib.sha256(data).hexdigest())
    attempts = "; ".join(tried) if tried else "no serializer is registered"
    raise SerializationError(
        f"Cannot save a value of type {_type_name(value)}: no serializer could handle it "
        f"(tried: {attempts}). Nothing was saved. Save something that can be pickled "
        "instead (for example the data the object holds rather than an open handle, lock "
        "or generator), or install a plugin that registers a serializer for this type."
    )


def deserialize(data: bytes, serializer_name: str, serializers: Sequence[Serializer]) -> Any:
    for serializer in serializers:
        if serializer.name == serializer_name:
            return serializer.load(io.BytesIO(data))
    available = ", ".join(sorted(s.name for s in serializers)) or "none"
    raise SerializationError(
        f"This value was written by the serializer {serializer_name!r}, which is not "
        f"registered now (available: {available}). Install the plugin that provides it."
    )


def storage_key(sha256: str) -> str:
    """A fresh storage key for bytes with this hash: ``ab/abcdef...-<token>``."""
    return f"{sha256[:2]}/{sha256}-{uuid.uuid4().hex[:16]}"


def _type_name(value: Any) -> str:
    kind = type(value)
    module = kind.__module__
    return kind.__qualname__ if module == "builtins" else f"{module}.{kind.__qualname__}"
