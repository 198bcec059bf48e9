"""Core's serializers: numpy arrays and pandas objects natively, then pickle, then cloudpickle.

``numpy`` (priority 10) writes an array as a standard ``.npy`` file, streaming its
memory straight to storage and reading it straight back into a fresh array: no
pickled copy in between, and ``numpy.load(path)`` reads the file without linea.
``pandas`` (priority 20) pickles frames, series and indexes with protocol 5 and keeps
their column arrays out of band, so those too move as raw memory. Both recognise their
types by name and import numpy/pandas only for a value that is one (the user already
imported them to make it).

``pickle`` and ``cloudpickle`` claim every value (``can_serialize`` is True); a
serializer that fails to dump makes the store move on to the next one, which is how
lambdas, locally defined classes and anything defined in a script or notebook end up
with cloudpickle while ordinary data keeps the plain, dependency-free pickle format.
"""

from __future__ import annotations

import pickle
import struct
import sys
import types
from collections.abc import Callable
from typing import Any, BinaryIO

from linea_core.plugins import Serializer, hookimpl
from linea_core.support.type_names import module_of_type

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


# Slices of contiguous memory handed to the stream per call: few enough calls that
# their fixed cost (the store hashes each on a helper thread, and waits for it) is
# nothing, small enough that a stream which buffers or copies what it is given (an
# fsspec file, a read into bytes) holds a rounding error next to a large value.
_SLICE = 8 << 20
# Chunk of a non-contiguous array copied (by numpy's buffered iterator) per write.
_CHUNK = 1 << 20


def _is_type(value: Any, module_prefix: str, names: frozenset[str]) -> bool:
    kind = type(value)
    module = module_of_type(kind)
    return (module == module_prefix or module.startswith(module_prefix + ".")) and (
        kind.__name__ in names
    )


def _announce(stream: BinaryIO, nbytes: int) -> None:
    """Tell the store's stream how many bytes follow (a local file reserves them)."""
    reserve = getattr(stream, "reserve", None)
    if callable(reserve):
        reserve(nbytes)


def _read_exactly_into(stream: BinaryIO, view: memoryview) -> None:
    """Fill ``view`` from ``stream`` or raise: a short file is a damaged value."""
    filled = 0
    total = view.nbytes
    while filled < total:
        count = stream.readinto(view[filled : min(total, filled + _SLICE)])  # type: ignore[attr-defined]
        if not count:
            raise EOFError(f"the stored value ends after {filled} of {total} bytes")
        filled += count


class NumpySerializer:
    """numpy arrays as ``.npy`` files, moved as raw memory in both directions."""

    name = "numpy"
    priority = 10

    def can_serialize(self, value: Any) -> bool:
        # Exactly ndarray (not matrix, masked or other subclasses, which pickle keeps
        # whole), and no Python objects inside (.npy would need pickle for them).
        return _is_type(value, "numpy", frozenset({"ndarray"})) and not value.dtype.hasobject

    def dump(self, value: Any, stream: BinaryIO) -> None:
        import numpy
        from numpy.lib import format as npy

        header = npy.header_data_from_array_1_0(value)
        try:
            npy.write_array_header_1_0(stream, header)
        except ValueError:  # a header over 64 KiB (a very wide structured dtype)
            npy.write_array_header_2_0(stream, header)
        if value.size == 0:
            return
        _announce(stream, value.nbytes)
        if value.flags.c_contiguous or value.flags.f_contiguous:
            # Fortran order is written as the transpose's C order, as numpy does.
            raw = memoryview(value.T if header["fortran_order"] else value).cast("B")
            for start in range(0, raw.nbytes, _SLICE):
                stream.write(raw[start : start + _SLICE])
            return
        for chunk in numpy.nditer(
            value,
            flags=["external_loop", "buffered", "zerosize_ok"],
            buffersize=max(_CHUNK // max(value.itemsize, 1), 1),
            order="C",
        ):
            stream.write(numpy.ascontiguousarray(chunk).data.cast("B"))

    def load(self, stream: BinaryIO) -> Any:
        import numpy
        from numpy.lib import format as npy

        major, _minor = npy.read_magic(stream)
        if major == 1:
            shape, fortran_order, dtype = npy.read_array_header_1_0(stream)
        else:
            shape, fortran_order, dtype = npy.read_array_header_2_0(stream)
        if dtype.hasobject:
            raise ValueError("refusing an object array in a .npy value (it would need pickle)")
        array = numpy.empty(shape, dtype=dtype, order="F" if fortran_order else "C")
        if array.size:
            _read_exactly_into(stream, (array.T if fortran_order else array).data.cast("B"))
        return array


_PANDAS_TYPES = frozenset({"DataFrame", "Series", "Index", "RangeIndex", "MultiIndex"})
_PANDAS_MAGIC = b"LINEAPD\x01"
_U64 = struct.Struct("<Q")


class PandasSerializer:
    """pandas objects as a pickle (protocol 5) followed by their arrays, out of band.

    Layout: magic, the in-band pickle's length and bytes, then the number of buffers
    and each buffer's length and raw bytes. The in-band part holds the structure
    (and Python-object columns); numeric columns never pass through it.
    """

    name = "pandas"
    priority = 20

    def can_serialize(self, value: Any) -> bool:
        return _is_type(value, "pandas", _PANDAS_TYPES)

    def dump(self, value: Any, stream: BinaryIO) -> None:
        buffers: list[pickle.PickleBuffer] = []
        head = pickle.dumps(value, protocol=5, buffer_callback=buffers.append)
        stream.write(_PANDAS_MAGIC)
        stream.write(_U64.pack(len(head)))
        stream.write(head)
        stream.write(_U64.pack(len(buffers)))
        raws = [buffer.raw() for buffer in buffers]
        _announce(stream, sum(_U64.size + raw.nbytes for raw in raws))
        for raw in raws:
            stream.write(_U64.pack(raw.nbytes))
            for start in range(0, raw.nbytes, _SLICE):
                stream.write(raw[start : start + _SLICE])

    def load(self, stream: BinaryIO) -> Any:
        import numpy

        if stream.read(len(_PANDAS_MAGIC)) != _PANDAS_MAGIC:
            raise ValueError("not a linea pandas value (wrong magic bytes)")
        head = stream.read(_read_u64(stream))
        buffers = []
        for _ in range(_read_u64(stream)):
            # numpy.empty leaves memory untouched until the read fills it (a bytearray
            # would zero it first: one more pass over every byte).
            buffer = numpy.empty(_read_u64(stream), dtype=numpy.uint8)
            _read_exactly_into(stream, buffer.data)
            buffers.append(buffer)
        return pickle.loads(head, buffers=buffers)


def _read_u64(stream: BinaryIO) -> int:
    data = stream.read(_U64.size)
    if len(data) != _U64.size:
        raise EOFError("the stored value is truncated")
    return int(_U64.unpack(data)[0])


@hookimpl
def linea_register_serializers(register: Callable[[Serializer], None]) -> None:
    register(NumpySerializer())
    register(PandasSerializer())
    register(PickleSerializer())
    register(CloudpickleSerializer())
