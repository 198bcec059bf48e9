"""The artifact store: schema (SQLAlchemy models, alembic migrations) and the repository API.

Importing this package is cheap. Opening a store and using it talks to the database
driver directly (:mod:`linea_core.store.database`); SQLAlchemy and alembic are loaded
only to upgrade a database written by an older linea.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from linea_core.config.options import Options
    from linea_core.store.repository import PluginSource, Store

__all__ = ["Store", "open_store"]


def open_store(options: Options, plugins: PluginSource) -> Store:
    """Open the store described by ``options``, migrating the database if needed."""
    from linea_core.store.repository import open_store as _open

    return _open(options, plugins)


def __getattr__(name: str) -> Any:
    if name in ("Store", "PluginSource"):
        return getattr(importlib.import_module("linea_core.store.repository"), name)
    raise AttributeError(f"module 'linea_core.store' has no attribute {name!r}")
