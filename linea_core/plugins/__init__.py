"""Linea's public plugin API.

A plugin is any module reachable through an entry point in the ``linea`` group that
implements one or more hooks from :mod:`linea_core.plugins.hookspecs`, decorated with
:data:`hookimpl`. Everything a plugin may rely on is re-exported here; anything else
in ``linea_core`` is internal and may change without notice.
"""

from linea_core.plugins.contracts import (
    AnnotationPack,
    CollectableStorage,
    PipelineWriter,
    Serializer,
    StorageBackend,
    StorageEntry,
    StoredValue,
    ValueBackend,
)
from linea_core.plugins.hookspecs import hookimpl

# Masking as core masks (options, logs, errors): plugins that show URLs or options use these
# so a secret is hidden the same way everywhere.
from linea_core.support.secrets import mask_text, mask_url, secret_strings

__all__ = [
    "AnnotationPack",
    "CollectableStorage",
    "PipelineWriter",
    "Serializer",
    "StorageBackend",
    "StorageEntry",
    "StoredValue",
    "ValueBackend",
    "hookimpl",
    "mask_text",
    "mask_url",
    "secret_strings",
]
