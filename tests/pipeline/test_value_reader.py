"""Generated code reads stored values without linea: every built-in format round-trips."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import linea_core as lineapy
from linea_core.codegen.value_reader import READABLE_SERIALIZERS, read_linea_value, reader_source
from linea_core.context import use_context
from linea_core.testing import LineaSandbox, assert_same_value

VALUES = {
    "pickle": {"a": [1, 2.5, "x"], "b": (None, True)},
    "cloudpickle": lambda x: x + 1,
    "numpy": np.arange(12, dtype=np.float64).reshape(3, 4).T,
    "pandas": pd.DataFrame({"n": [1, 2, 3], "s": ["a", "b", None], "f": [0.5, np.nan, 2.0]}),
}


@pytest.mark.parametrize("serializer", sorted(READABLE_SERIALIZERS))
def test_each_builtin_format_is_read_back(linea_sandbox: LineaSandbox, serializer: str) -> None:
    value = VALUES[serializer]
    with use_context(linea_sandbox.context):
        record = lineapy.save(value, f"v_{serializer}")
        stored = linea_sandbox.store.get_artifact(record.name)
    assert stored.value is not None and stored.value.serializer == serializer
    read = read_linea_value(linea_sandbox.store.storage_path(stored.value), serializer)
    if serializer == "cloudpickle":
        assert read(41) == 42
    else:
        assert_same_value(read, value)
    if serializer == "pandas":
        read.loc[0, "n"] = 7  # writable, as the user's DataFrame was
        assert read.loc[0, "n"] == 7


def test_the_embedded_source_is_self_contained() -> None:
    namespace: dict[str, object] = {}
    exec(reader_source(), namespace)
    assert callable(namespace["read_linea_value"])
    assert "linea_core" not in reader_source()
