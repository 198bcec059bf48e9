"""Reading a value from linea's own storage without linea, for generated code.

Generated pipelines never import linea, yet ``reuse_pre_computed_artifacts`` and
``lineapy.get(...)`` of artifacts outside the pipeline read stored values. The function
below is embedded (its source, via :func:`reader_source`) into the generated module: it
knows the formats of core's built-in serializers. It must import nothing from linea and
only the standard library at its top; a test round-trips every built-in serializer
through it, so a format change cannot go unnoticed.
"""

from __future__ import annotations

import inspect

#: Serializers whose files :func:`read_linea_value` reads.
READABLE_SERIALIZERS = frozenset({"pickle", "cloudpickle", "numpy", "pandas"})


def read_linea_value(path: str, serializer: str) -> object:
    """The value linea stored at ``path`` (a file or an fsspec URL) with ``serializer``."""
    import pickle
    import struct

    if "://" in path:
        import fsspec

        stream = fsspec.open(path, "rb").open()
    else:
        stream = open(path, "rb")
    with stream:
        if serializer == "numpy":
            import numpy

            return numpy.load(stream, allow_pickle=False)
        if serializer == "pandas":
            # linea's pandas format: magic, pickle (protocol 5) length and bytes, then
            # the out-of-band buffers, each as length and bytes.
            if stream.read(8) != b"LINEAPD\x01":
                raise ValueError(f"{path} is not a value in linea's pandas format")

            def length() -> int:
                return int(struct.unpack("<Q", stream.read(8))[0])

            head = stream.read(length())
            buffers = [bytearray(stream.read(length())) for _ in range(length())]
            return pickle.loads(head, buffers=buffers)
        if serializer == "cloudpickle":
            import cloudpickle

            return cloudpickle.load(stream)
        return pickle.load(stream)


def reader_source() -> str:
    """The source of :func:`read_linea_value`, to embed in generated code."""
    return inspect.getsource(read_linea_value)
