"""Core's built-in plugin.

Registered through the ``linea`` entry-point group exactly like an outside plugin, so
the built-ins exercise the same hooks, the same failure isolation and the same
``linea plugins list`` output as third-party code.
"""

from linea_core.builtins.annotation_packs import linea_register_annotation_packs
from linea_core.builtins.serializers import linea_register_serializers
from linea_core.builtins.storage import linea_register_storage_backends

__all__ = [
    "linea_register_annotation_packs",
    "linea_register_serializers",
    "linea_register_storage_backends",
]
