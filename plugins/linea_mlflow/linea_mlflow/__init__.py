"""linea-mlflow: keep linea's ML-model artifacts in MLflow.

``lineapy.save(model, "name")`` logs supported models (scikit-learn, XGBoost,
statsmodels, Prophet) with the flavour's ``log_model`` when ``mlflow_tracking_uri`` is
set; see the README's "Storing models in MLflow". :func:`delete` removes an artifact and,
when asked, its registered model versions.
"""

from __future__ import annotations

from typing import Any

__version__ = "0.1.0"


def delete(artifact_name: str, version: int | str, *, delete_model_versions: bool = False) -> None:
    """``lineapy.delete(artifact_name, version)``, and with ``delete_model_versions=True``
    also the MLflow model versions those artifact versions registered.

    Plain ``lineapy.delete`` leaves MLflow alone: a registered model is often used (and
    deployed) from MLflow itself.
    """
    import linea_core as lineapy

    registered: list[dict[str, Any]] = []
    if delete_model_versions:
        for artifact in _selected(artifact_name, version):
            entry = artifact.get_metadata().get("mlflow")
            if entry and entry.get("registered_model_version") is not None:
                registered.append(entry)
    lineapy.delete(artifact_name, version)
    if registered:
        from linea_core.context import current_context
        from linea_mlflow.backend import _usable, mlflow_settings

        options = current_context().options
        for entry in registered:
            tracking = _usable(entry["tracking_uri"] or "", options.mlflow_tracking_uri)
            registry = _usable(entry["registry_uri"] or "", options.mlflow_registry_uri)
            with mlflow_settings(tracking, registry):
                import mlflow

                mlflow.MlflowClient().delete_model_version(
                    entry["registered_model_name"], str(entry["registered_model_version"])
                )


def _selected(artifact_name: str, version: int | str) -> list[Any]:
    import linea_core as lineapy

    if version == "all":
        return [a for a in lineapy.artifact_store().artifacts if a.name == artifact_name]
    return [lineapy.get(artifact_name, None if version == "latest" else int(version))]
