"""Plain-Python code that reads a stored artifact value, for code that runs without linea.

``get_code(use_lineapy_serialization=False)`` and generated pipelines replace
``lineapy.get(NAME).get_value()`` with such code.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from linea_core.slicing import LoaderCode

if TYPE_CHECKING:
    from linea_core.store.repository import Store


def value_loader_code(store: Store, name: str, version: int | None) -> LoaderCode | None:
    """Plain-Python code that reads a stored value, for ``get_code(use_lineapy_serialization=False)``.

    Only values in linea's own file storage written by the built-in serializers can
    be read without linea; for anything else (other backends, missing artifacts)
    None keeps the ``lineapy.get(...)`` call in the code.
    """
    from linea_core.store.errors import ArtifactNotFoundError

    try:
        record = store.get_artifact(name, version)
    except ArtifactNotFoundError:
        return None
    value = record.value
    if value is None or value.backend != "lineapy" or value.serializer not in _LOADERS:
        return None
    module = _LOADERS[value.serializer]
    path = store.storage_path(value)
    if _URL.match(path):
        return LoaderCode(
            f"{module}.loads(fsspec.open({path!r}, 'rb').open().read())",
            setup=(f"import {module}", "import fsspec"),
        )
    return LoaderCode(
        f"{module}.loads(pathlib.Path({path!r}).read_bytes())",
        setup=(f"import {module}", "import pathlib"),
    )


_LOADERS = {"pickle": "pickle", "cloudpickle": "cloudpickle"}
_URL = re.compile(r"^[A-Za-z][A-Za-z0-9+.\-]*://")


def stored_value_reader(store: Store, name: str, version: int | None) -> LoaderCode | None:
    """``read_linea_value(path, serializer)`` for a value in linea's own storage, for
    generated pipelines (which embed :mod:`linea_core.codegen.value_reader`); None when
    the value is elsewhere (another backend) or in a format it cannot read."""
    from linea_core.codegen.value_reader import READABLE_SERIALIZERS
    from linea_core.store.errors import ArtifactNotFoundError

    try:
        record = store.get_artifact(name, version)
    except ArtifactNotFoundError:
        return None
    value = record.value
    if value is None or value.backend != "lineapy" or value.serializer not in READABLE_SERIALIZERS:
        return None
    path = store.storage_path(value)
    return LoaderCode(f"read_linea_value({path!r}, {value.serializer!r})")
