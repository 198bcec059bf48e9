"""Linea: turn notebook and script work into production assets.

The public API mirrors LineaPy's, so ``import linea_core as lineapy`` is all a port
needs. Implementations are imported on first use to keep ``import linea_core`` cheap.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # what editors and type checkers see; a test keeps it in step with _LAZY
    from linea_core.api.artifact import LineaArtifact as LineaArtifact
    from linea_core.api.artifact_store import LineaArtifactStore as LineaArtifactStore
    from linea_core.api.functions import artifact_store as artifact_store
    from linea_core.api.functions import delete as delete
    from linea_core.api.functions import get as get
    from linea_core.api.functions import save as save
    from linea_core.api.options import options as options
    from linea_core.api.tracing import db as db
    from linea_core.api.tracing import file_system as file_system
    from linea_core.api.tracing import tag as tag
    from linea_core.api.tracing import trace as trace
    from linea_core.notebook import load_ipython_extension as load_ipython_extension
    from linea_core.notebook import unload_ipython_extension as unload_ipython_extension
    from linea_core.notebook.pictures import visualize as visualize

__version__ = "0.1.0"

# public name -> "module:attribute"
_LAZY: dict[str, str] = {
    "save": "linea_core.api.functions:save",
    "get": "linea_core.api.functions:get",
    "delete": "linea_core.api.functions:delete",
    "artifact_store": "linea_core.api.functions:artifact_store",
    "tag": "linea_core.api.tracing:tag",
    "trace": "linea_core.api.tracing:trace",
    "file_system": "linea_core.api.tracing:file_system",
    "db": "linea_core.api.tracing:db",
    "options": "linea_core.api.options:options",
    "LineaArtifact": "linea_core.api.artifact:LineaArtifact",
    "LineaArtifactStore": "linea_core.api.artifact_store:LineaArtifactStore",
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
