"""linea-mlflow without MLflow: flavour matching, the default-backend rules, the fallback.

These run here, in linea's own environment, where MLflow is not
installed: that is also the situation "linea-mlflow installed, MLflow not".
"""

from __future__ import annotations

import warnings
from pathlib import Path

import pytest
from linea_mlflow.backend import MLflowBackend
from linea_mlflow.flavours import FLAVOURS_BY_NAME, flavour_of
from sklearn.linear_model import LogisticRegression

import linea_core as lineapy
from linea_core.config.options import resolve_options
from linea_core.context import LineaContext, use_context

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[2]
FLAVOURS = ["sklearn", "xgboost", "statsmodels", "prophet"]
MLFLOW_ENV = [
    "mlflow==3.17.2",
    "scikit-learn",
    "xgboost",
    "statsmodels",
    "prophet",
    "numpy",
    "pandas",
]


def test_flavours_are_found_by_class_without_importing_mlflow() -> None:
    import sys

    assert flavour_of(LogisticRegression()) is FLAVOURS_BY_NAME["sklearn"]
    assert flavour_of({"a": 1}) is None and flavour_of(3) is None
    assert "mlflow" not in sys.modules


def test_without_mlflow_installed_models_stay_in_linea_storage(tmp_path: Path) -> None:
    """linea-mlflow installed, MLflow not: nothing breaks, the model is kept by linea."""
    assert not FLAVOURS_BY_NAME["sklearn"].installed()  # this environment has no MLflow
    options = resolve_options({"home_dir": str(tmp_path / "home")}, environ={})
    with use_context(LineaContext(options)) as context:
        lineapy.options.set("mlflow_tracking_uri", f"sqlite:///{tmp_path / 'mlflow.db'}")
        model = LogisticRegression()
        assert lineapy.save(model, "default").storage_backend == "lineapy"
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            forced = lineapy.save(model, "forced", storage_backend="mlflow")
        assert forced.storage_backend == "lineapy"
        assert any("cannot keep" in str(w.message) for w in caught)
        context.close()


@pytest.mark.parametrize(
    ("config", "expected"),
    [
        ({}, False),
        ({"mlflow_tracking_uri": "sqlite:///x.db"}, True),
        (
            {
                "mlflow_tracking_uri": "sqlite:///x.db",
                "default_ml_models_storage_backend": "mlflow",
            },
            True,
        ),
        (
            {
                "mlflow_tracking_uri": "sqlite:///x.db",
                "default_ml_models_storage_backend": "lineapy",
            },
            False,
        ),
    ],
)
def test_the_seeds_default_backend_rules(
    config: dict[str, str], expected: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Which backend a model goes to by default, given the flavour is installed."""
    monkeypatch.setattr(type(FLAVOURS_BY_NAME["sklearn"]), "installed", lambda self: True)
    backend = MLflowBackend()
    assert backend.is_default_for(LogisticRegression(), config=config) is expected
    assert backend.is_default_for({"not": "a model"}, config=config) is False
