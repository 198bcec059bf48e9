"""Core's serializers: pickle first, cloudpickle for what pickle refuses.

Both claim every value (``can_serialize`` is True); a serializer that then fails to
dump makes the store move on to the next one, which is how lambdas, locally defined
classes and anything defined in a script or notebook end up with cloudpickle while
ordinary data keeps the plain, dependency-free pickle format.
"""

from __future__ import annotations

import pickle
import sys
import types
from collections.abc import Callable
from typing import Any, BinaryIO

from linea_core.plugins import Serializer, hookimpl

# Protocol 5 reads and writes on every Python linea supports (3.10+) and keeps large
# buffers (numpy arrays, bytes) efficient.
PICKLE_PROTOCOL = 5


class NotImportableError(pickle.PicklingError):
    """pickle would store a reference to a class or function that cannot be imported later."""


class _ImportablePickler(pickle.Pickler):
    """A pickler that refuses references another process could not resolve.

    Plain pickle stores classes and functions by ``module.qualname``. For code defined
    in a script or notebook (module ``__main__``) that reference resolves only inside
    the process that saved it, so the artifact would
    fail to load anywhere else. Refusing here hands such values to cloudpickle, which
    stores those definitions by value. Built-in types never reach this hook, so plain
    data pays nothing for the check.
    """

    def reducer_override(self, obj: Any) -> Any:
        if isinstance(obj, (type, types.FunctionType)) and not _importable(obj):
            raise NotImportableError(
                f"{obj.__module__}.{obj.__qualname__} is defined in {obj.__module__!r}, "
                "which another process cannot import"
            )
        return NotImplemented


def _importable(obj: type | types.FunctionType) -> bool:
    module_name = getattr(obj, "__module__", None)
    return bool(module_name) and module_name != "__main__" and module_name in sys.modules


class PickleSerializer:
    """The standard library's pickle, for values another process can load."""

    name = "pickle"
    priority = 100

    def can_serialize(self, value: Any) -> bool:
        return True

    def dump(self, value: Any, stream: BinaryIO) -> None:
        _ImportablePickler(stream, protocol=PICKLE_PROTOCOL).dump(value)

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
