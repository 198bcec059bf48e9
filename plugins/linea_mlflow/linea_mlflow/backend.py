"""The "mlflow" storage backend: models saved with their flavour's ``log_model``.

Which backend a model goes to follows LineaPy's three documented cases: with
``mlflow_tracking_uri`` set, a model goes to MLflow unless
``default_ml_models_storage_backend`` is "lineapy"; ``save(..., storage_backend=NAME)``
always wins; values MLflow has no flavour for stay in linea's own storage. Keyword
arguments of ``save`` reach ``log_model`` (``registered_model_name``, ``pip_requirements``,
...); the model is registered under the artifact's name unless told otherwise, so it is
reachable as ``models:/<name>/<version>`` with MLflow's own API.

MLflow keeps its tracking and registry URIs (and, for subprocesses, the environment
variables ``MLFLOW_TRACKING_URI`` / ``MLFLOW_REGISTRY_URI``) as process-wide settings.
A save or load switches them to the URIs of the value and puts the user's settings back
afterwards, exactly as they were (unset included), so a notebook's own ``mlflow`` calls
are not redirected by linea. MLflow is imported only by a save or load that needs it.
"""

from __future__ import annotations

import importlib
import os
import re
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from typing import Any

from linea_core.errors import LineaError
from linea_core.plugins import StoredValue, mask_url
from linea_mlflow.flavours import FLAVOURS_BY_NAME, Flavour, flavour_of

NAME = "mlflow"
_TRACKING = "mlflow_tracking_uri"
_REGISTRY = "mlflow_registry_uri"
_DEFAULT_FOR_MODELS = "default_ml_models_storage_backend"
_UNSAFE = re.compile(r"[^A-Za-z0-9_.-]+")


class MLflowBackendError(LineaError):
    """A model cannot be saved to or loaded from MLflow; the message says what to do."""


class MLflowBackend:
    """linea's ``ValueBackend`` for MLflow (see the module docstring)."""

    name = NAME

    def accepts(self, value: Any, *, config: Mapping[str, Any]) -> bool:
        flavour = flavour_of(value)
        return flavour is not None and flavour.installed()

    def is_default_for(self, value: Any, *, config: Mapping[str, Any]) -> bool:
        if not config.get(_TRACKING):
            return False
        if str(config.get(_DEFAULT_FOR_MODELS) or NAME) != NAME:
            return False
        return self.accepts(value, config=config)

    def save(
        self,
        value: Any,
        *,
        artifact_name: str,
        options: Mapping[str, Any],
        config: Mapping[str, Any],
    ) -> StoredValue:
        flavour = flavour_of(value)
        if flavour is None:  # the store asks accepts() first
            raise MLflowBackendError(f"MLflow has no flavour for {type(value).__name__} values.")
        module = _flavour_module(flavour)
        arguments = dict(options)
        arguments.setdefault("registered_model_name", artifact_name)
        if "name" not in arguments and "artifact_path" not in arguments:
            arguments["name"] = _UNSAFE.sub("_", artifact_name).strip("_") or "model"
        with mlflow_settings(config.get(_TRACKING), config.get(_REGISTRY)) as (tracking, registry):
            info = module.log_model(**{flavour.model_argument: value}, **arguments)
        version = getattr(info, "registered_model_version", None)
        metadata = {
            "tracking_uri": mask_url(tracking),
            "registry_uri": mask_url(registry),
            "model_uri": info.model_uri,
            "model_flavor": flavour.name,
            "run_id": getattr(info, "run_id", None),
            "model_id": getattr(info, "model_id", None),
            "registered_model_name": arguments.get("registered_model_name"),
            "registered_model_version": None if version is None else int(version),
        }
        return StoredValue(NAME, info.model_uri, metadata=metadata, root=mask_url(tracking))

    def load(self, stored: StoredValue, *, config: Mapping[str, Any]) -> Any:
        metadata = stored.metadata
        flavour = FLAVOURS_BY_NAME.get(str(metadata.get("model_flavor")))
        if flavour is None:
            raise MLflowBackendError(
                f"This model was saved with the MLflow flavour {metadata.get('model_flavor')!r}, "
                "which this version of linea-mlflow does not know; upgrade linea-mlflow."
            )
        module = _flavour_module(flavour)
        tracking = _usable(str(metadata.get("tracking_uri") or ""), config.get(_TRACKING))
        registry = _usable(str(metadata.get("registry_uri") or ""), config.get(_REGISTRY))
        with mlflow_settings(tracking, registry):
            return module.load_model(stored.location)

    def delete(self, stored: StoredValue, *, config: Mapping[str, Any]) -> None:
        """Leave MLflow alone: its runs and registered versions are the user's records too.

        ``linea_mlflow.delete(..., delete_model_versions=True)`` also removes the
        registered model versions.
        """


def _flavour_module(flavour: Flavour) -> Any:
    try:
        return importlib.import_module(flavour.mlflow_module)
    except ImportError as exc:
        raise MLflowBackendError(
            f"Saving or loading a {flavour.name} model with MLflow needs MLflow and "
            f"{flavour.library}: pip install 'linea-mlflow[mlflow]' {flavour.library} "
            f"({exc})"
        ) from None


def _usable(recorded: str, configured: object) -> str | None:
    """The URI to use for a recorded (masked) one: the configured URI when it is the same
    place (it still has its password), else the recorded one."""
    if configured and mask_url(str(configured)) == recorded:
        return str(configured)
    return recorded or None


@contextmanager
def mlflow_settings(tracking: object, registry: object) -> Iterator[tuple[str, str]]:
    """Use these tracking/registry URIs (None: the user's current ones) inside the block;
    yields the URIs in force; restores MLflow's settings exactly afterwards."""
    import mlflow
    from mlflow.tracking._model_registry import utils as registry_state
    from mlflow.tracking._tracking_service import utils as tracking_state

    saved = (
        getattr(tracking_state, "_tracking_uri", None),
        getattr(registry_state, "_registry_uri", None),
        os.environ.get("MLFLOW_TRACKING_URI"),
        os.environ.get("MLFLOW_REGISTRY_URI"),
    )
    try:
        if tracking:
            mlflow.set_tracking_uri(str(tracking))
        if registry:
            mlflow.set_registry_uri(str(registry))
        elif tracking:
            mlflow.set_registry_uri(str(tracking))
        yield mlflow.get_tracking_uri(), mlflow.get_registry_uri()
    finally:
        if getattr(tracking_state, "_tracking_uri", None) != saved[0]:
            mlflow.set_tracking_uri(saved[0])
        registry_state._registry_uri = saved[1]
        for variable, before in (
            ("MLFLOW_TRACKING_URI", saved[2]),
            ("MLFLOW_REGISTRY_URI", saved[3]),
        ):
            if before is None:
                os.environ.pop(variable, None)
            else:
                os.environ[variable] = before
