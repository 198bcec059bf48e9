"""Core's serializers: pickle first, cloudpickle for what pickle refuses.

Both claim every value (``can_serialize`` is True); a serializer that then fails to
dump makes the store move on to the next one, which is how lambdas, locally defined
classes and interactively defined functions end up with cloudpickle while ordinary
data keeps the plain, dependency-free pickle format.
"""

from __future__ import annotations

import pickle
from collections.abc import Callable
from typing import Any, BinaryIO

from linea_core.plugins import Serializer, hookimpl

# Protocol 5 reads and writes on every Python linea supports (3.10+) and keeps large
# buffers (numpy arrays, bytes) efficient.
PICKLE_PROTOCOL = 5


class PickleSerializer:
    """The standard library's pickle."""

    name = "pickle"
    priority = 100

    def can_serialize(self, value: Any) -> bool:
        return True

    def dump(self, value: Any, stream: BinaryIO) -> None:
        pickle.dump(value, stream, protocol=PICKLE_PROTOCOL)

    def load(self, stream: BinaryIO) -> Any:
        return pickle.load(stream)


class CloudpickleSerializer:
    """cloudpickle: pickles functions and classes by value, not by import path."""

    name = "cloudpickle"
    priority = 200

    def can_serialize(self, value: Any) -> bool:
        return True

    def dump(self, value: Any, stream: BinaryIO) -> None:
        import cloudpickle

        cloudpickle.dump(value, stream, protocol=PICKLE_PROTOCOL)

    def load(self, stream: BinaryIO) -> Any:
        import cloudpickle

        return cloudpickle.load(stream)


@hookimpl
def linea_register_serializers(register: Callable[[Serializer], None]) -> None:
    register(PickleSerializer())
    register(CloudpickleSerializer())
