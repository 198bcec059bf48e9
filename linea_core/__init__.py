"""Linea: turn notebook and script work into production assets.

The public API mirrors LineaPy's, so ``import linea_core as lineapy`` is all a port
needs. Implementations are imported on first use to keep ``import linea_core`` cheap;
``__init__.pyi`` names them for type checkers and editors (a test keeps the two in step).
"""

from __future__ import annotations

import importlib
from typing import Any

__version__ = "0.1.0"

# public name -> "module:attribute"
_LAZY: dict[str, str] = {
    "save": "linea_core.api.functions:save",
    "get": "linea_core.api.functions:get",
    "delete": "linea_core.api.functions:delete",
    "artifact_store": "linea_core.api.functions:artifact_store",
    "reload": "linea_core.api.functions:reload",
    "tag": "linea_core.api.tracing:tag",
    "trace": "linea_core.api.tracing:trace",
    "file_system": "linea_core.api.tracing:file_system",
    "db": "linea_core.api.tracing:db",
    "options": "linea_core.api.options:options",
    "LineaArtifact": "linea_core.api.artifact:LineaArtifact",
    "LineaArtifactStore": "linea_core.api.artifact_store:LineaArtifactStore",
    "to_pipeline": "linea_core.api.pipelines:to_pipeline",
    "create_pipeline": "linea_core.api.pipelines:create_pipeline",
    "get_pipeline": "linea_core.api.pipelines:get_pipeline",
    "get_function": "linea_core.api.pipelines:get_function",
    "get_module": "linea_core.api.pipelines:get_module",
    "get_module_definition": "linea_core.api.pipelines:get_module_definition",
    "LineaPipeline": "linea_core.api.pipelines:LineaPipeline",
    "visualize": "linea_core.notebook.pictures:visualize",
    # IPython finds these on the module named by ``%load_ext linea_core``
    "load_ipython_extension": "linea_core.notebook:load_ipython_extension",
    "unload_ipython_extension": "linea_core.notebook:unload_ipython_extension",
}

__all__ = sorted([*_LAZY, "__version__"])


def __getattr__(name: str) -> Any:
    try:
        target = _LAZY[name]
    except KeyError:
        raise AttributeError(f"module 'linea_core' has no attribute {name!r}") from None
    module_name, attr = target.split(":")
    value = getattr(importlib.import_module(module_name), attr)
    globals()[name] = value  # later lookups skip this function
    return value


def __dir__() -> list[str]:
    return __all__
