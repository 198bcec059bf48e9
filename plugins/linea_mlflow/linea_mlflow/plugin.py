"""linea plugin: the "mlflow" storage backend (see :mod:`linea_mlflow.backend`).

Registering it costs nothing: MLflow is imported by the first save or load that sends
a model to it, never by this module.
"""

from __future__ import annotations

from collections.abc import Callable

from linea_core.plugins import ValueBackend, hookimpl


@hookimpl
def linea_register_storage_backends(register: Callable[[ValueBackend], None]) -> None:
    from linea_mlflow.backend import MLflowBackend

    register(MLflowBackend())
