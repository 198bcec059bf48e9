"""Moving values through serializers and storage backends in one streaming pass.

A save streams the chosen serializer's output straight into the backend (a file, an
upload) through :class:`HashingWriter`, which hashes and counts the bytes as they go
by: no serialized copy of the value is ever held in memory, and there is no second
pass over the data to hash it. A load streams back through :class:`HashingReader`
and checks size and hash once the serializer has read the value, so a damaged or
truncated value file is reported instead of returned. Both hash large buffers on a
helper thread while the bytes move (see :mod:`linea_core.store.hashing_streams`).

The content hash is XXH3-128 (``xxh3-128:<hex>``): it runs at memory speed, which is
what lets a save cost about what writing the bytes costs, and a load about what
reading them costs. It identifies content for
deduplication and catches damage; it is not a defence against someone crafting a
collision, who would already need write access to the store to use one. Values
written by earlier versions of linea carry ``sha256:<hex>`` and are checked with it.

Serializers are tried in ascending priority; one that declines (``can_serialize``)
or raises while dumping hands the value to the next, and whatever it had written is
discarded by the backend. If none succeeds the save fails having written nothing.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, BinaryIO

from linea_core.plugins.contracts import Serializer, StorageBackend, StoredValue
from linea_core.store.errors import SerializationError, ValueMissingError
from linea_core.store.hashing_streams import HashingReader, HashingWriter
from linea_core.support.type_names import module_of_type


@dataclass(frozen=True)
class WrittenValue:
    """A value the serializer streamed into a backend, and what identifies its bytes."""

    stored: StoredValue
    serializer: str
    content_hash: str
    size: int


class _DumpFailed(Exception):
    """Raised inside ``fill`` so the backend discards its partial write."""


class _Attempt:
    """One serializer's try at a value: the ``fill`` a backend calls, and its outcome."""

    def __init__(self, serializer: Serializer, value: object) -> None:
        self._serializer = serializer
        self._value = value
        self.writer: HashingWriter | None = None
        self.failure: Exception | None = None

    def fill(self, stream: BinaryIO) -> None:
        self.writer = HashingWriter(stream)
        try:
            self._serializer.dump(self._value, self.writer)  # type: ignore[arg-type]
        except Exception as exc:
            if self.writer.storage_error is not None:
                raise  # the storage failed, not the serializer: no point trying another
            self.failure = exc
            raise _DumpFailed from exc
        finally:
            self.writer.close()


def write_value(
    value: object,
    backend: StorageBackend,
    key_factory: Callable[[], str],
    serializers: Sequence[Serializer],
    options: Mapping[str, Any],
) -> WrittenValue:
    """Serialize ``value`` into ``backend`` with the first serializer that succeeds."""
    tried: list[str] = []
    for serializer in serializers:
        try:
            if not serializer.can_serialize(value):
                tried.append(f"{serializer.name} (declined)")
                continue
        except Exception as exc:
            tried.append(f"{serializer.name} ({_describe(exc)})")
            continue
        attempt = _Attempt(serializer, value)
        try:
            stored = backend.write(key_factory(), attempt.fill, options=options)
        except Exception:
            if attempt.failure is None:
                raise  # the storage failed, not the serializer
            tried.append(f"{serializer.name} ({_describe(attempt.failure)})")
            continue
        assert attempt.writer is not None, f"backend {backend.name!r} never called fill()"
        return WrittenValue(
            stored, serializer.name, attempt.writer.content_hash, attempt.writer.size
        )
    attempts = "; ".join(tried) if tried else "no serializer is registered"
    raise SerializationError(
        f"Cannot save a value of type {type_name(value)}: no serializer could handle it "
        f"(tried: {attempts}). Nothing was saved. Save something that can be pickled "
        "instead (for example the data the object holds rather than an open handle, lock "
        "or generator), or install a plugin that registers a serializer for this type."
    )


def read_value(
    stream: BinaryIO,
    *,
    serializer_name: str,
    serializers: Sequence[Serializer],
    content_hash: str,
    size: int,
    describe: str,
) -> Any:
    """Deserialize from ``stream``, checking size and content hash in the same pass."""
    serializer = _find(serializer_name, serializers)
    algorithm, _, expected = content_hash.partition(":")
    reader = HashingReader(stream, algorithm)
    try:
        try:
            value = serializer.load(reader)  # type: ignore[arg-type]
            failure: Exception | None = None
        except Exception as exc:
            value, failure = None, exc
        try:
            reader.drain()
        except Exception:
            pass
    finally:
        reader.close()
    if reader.size != size:
        problem = (
            f"truncated or overwritten: it holds {reader.size} bytes where {size} were written"
        )
    elif reader.hexdigest() != expected:
        problem = "corrupted: its content hash differs from the one recorded when it was saved"
    else:
        problem = None
    if problem is not None:
        raise ValueMissingError(
            f"The stored value of {describe} is {problem}. Save the value again, or restore "
            "the file from a backup."
        ) from failure
    if failure is not None:
        raise failure
    return value


def _find(name: str, serializers: Sequence[Serializer]) -> Serializer:
    for serializer in serializers:
        if serializer.name == name:
            return serializer
    available = ", ".join(sorted(s.name for s in serializers)) or "none"
    raise SerializationError(
        f"This value was written by the serializer {name!r}, which is not "
        f"registered now (available: {available}). Install the plugin that provides it."
    )


def _describe(exc: BaseException) -> str:
    return f"{type(exc).__name__}: {exc}"


def type_name(value: object) -> str:
    kind = type(value)
    module = module_of_type(kind)
    return kind.__qualname__ if module == "builtins" else f"{module}.{kind.__qualname__}"
