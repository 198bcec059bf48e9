"""linea-mlflow's scenarios, run inside the MLflow test environment (see test_mlflow_backend.py).

Usage: python mlflow_scenarios.py WORK_DIR FLAVOUR...   (run with WORK_DIR as the current
directory; LINEA_HOME_DIR and MLFLOW_DISABLE_TELEMETRY set by the caller). Each check
raises AssertionError with what differed; the last line printed is a JSON report.
"""

from __future__ import annotations

import json
import subprocess
import sys
import warnings
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

import linea_core as lineapy


def sklearn_model() -> tuple[Any, Any]:
    from sklearn.datasets import make_classification
    from sklearn.linear_model import LogisticRegression

    X, y = make_classification(n_samples=60, n_features=4, random_state=0)
    return LogisticRegression().fit(X, y), X


def xgboost_model() -> tuple[Any, Any]:
    from sklearn.datasets import make_classification
    from xgboost import XGBClassifier

    X, y = make_classification(n_samples=60, n_features=4, random_state=0)
    return XGBClassifier(n_estimators=3, max_depth=2).fit(X, y), X


def statsmodels_model() -> tuple[Any, Any]:
    import statsmodels.api as sm

    rng = np.random.default_rng(0)
    X = sm.add_constant(rng.normal(size=(40, 2)))
    y = X @ np.array([1.0, 2.0, -1.0]) + rng.normal(scale=0.1, size=40)
    return sm.OLS(y, X).fit(), X


def prophet_model() -> tuple[Any, Any]:
    from prophet import Prophet

    history = pd.DataFrame(
        {"ds": pd.date_range("2024-01-01", periods=30), "y": np.arange(30.0) % 7}
    )
    model = Prophet(uncertainty_samples=0, daily_seasonality=False, yearly_seasonality=False)
    model.fit(history, iter=50)
    return model, history[["ds"]]


MODELS = {
    "sklearn": sklearn_model,
    "xgboost": xgboost_model,
    "statsmodels": statsmodels_model,
    "prophet": prophet_model,
}
REQUIREMENTS = {
    "sklearn": ["scikit-learn"],
    "xgboost": ["xgboost"],
    "statsmodels": ["statsmodels"],
    "prophet": ["prophet"],
}


def predictions(model: Any, X: Any) -> list[float]:
    out = model.predict(X)
    if isinstance(out, pd.DataFrame):
        out = out["yhat"]
    return [round(float(v), 6) for v in np.asarray(out).ravel()]


def backend_of(artifact: Any) -> str:
    return str(artifact.get_metadata()["lineapy"]["storage_backend"])


def check(condition: bool, message: str) -> None:
    if not condition:
        raise AssertionError(message)


def main(work: Path, flavours: list[str]) -> dict[str, Any]:
    import mlflow

    report: dict[str, Any] = {}
    tracking = f"sqlite:///{work / 'mlflow.db'}"
    other = f"sqlite:///{work / 'other.db'}"
    lineapy.options.set("mlflow_tracking_uri", tracking)
    for flavour in flavours:
        model, X = MODELS[flavour]()
        expected = predictions(model, X)
        req = {"pip_requirements": REQUIREMENTS[flavour]}
        name = f"{flavour}_model"

        # The seed's three cases (default_ml_models_storage_backend unset = "mlflow").
        cases = {}
        for default in (None, "mlflow", "lineapy"):
            if default is not None:
                lineapy.options.set("default_ml_models_storage_backend", default)
            cases[str(default)] = [
                backend_of(lineapy.save(model, name, **req)),
                backend_of(lineapy.save(model, name, storage_backend="mlflow", **req)),
                backend_of(lineapy.save(model, name, storage_backend="lineapy")),
            ]
        lineapy.options.set("default_ml_models_storage_backend", "mlflow")
        check(
            cases
            == {
                "None": ["mlflow", "mlflow", "lineapy"],
                "mlflow": ["mlflow", "mlflow", "lineapy"],
                "lineapy": ["lineapy", "mlflow", "lineapy"],
            },
            f"{flavour}: backends chosen {cases}",
        )
        check(mlflow.active_run() is None, f"{flavour}: a run was left active")

        # Extra keyword arguments reach log_model; MLflow's own API reaches the model.
        registered = f"clf_{flavour}"
        artifact = lineapy.save(
            model, name, storage_backend="mlflow", registered_model_name=registered, **req
        )
        metadata = artifact.get_metadata()
        entry = metadata["mlflow"]
        check(entry["model_flavor"] == flavour, f"{flavour}: metadata {entry}")
        check(entry["tracking_uri"] == tracking, f"{flavour}: tracking {entry}")
        check(entry["registered_model_name"] == registered, f"{flavour}: {entry}")
        check(metadata["lineapy"]["storage_backend"] == "mlflow", f"{flavour}: {metadata}")
        mlflow.set_tracking_uri(tracking)
        client = mlflow.MlflowClient()
        [version] = client.search_model_versions(f"name='{registered}'")
        flavour_module = getattr(mlflow, flavour)
        through_mlflow = flavour_module.load_model(f"models:/{registered}/{version.version}")
        check(predictions(through_mlflow, X) == expected, f"{flavour}: MLflow's own load differs")

        # get_value() loads from where it was saved, even when MLflow and linea now
        # point elsewhere, and leaves the user's MLflow settings as they were.
        mlflow.set_tracking_uri(other)
        lineapy.options.set("mlflow_tracking_uri", other)
        loaded = lineapy.get(name).get_value()
        check(predictions(loaded, X) == expected, f"{flavour}: get_value() differs")
        check(mlflow.get_tracking_uri() == other, f"{flavour}: tracking URI not restored")
        lineapy.options.set("mlflow_tracking_uri", tracking)
        mlflow.set_tracking_uri(tracking)

        # delete: linea's record goes, MLflow's registry stays unless asked.
        lineapy.delete(name, "latest")
        check(
            len(client.search_model_versions(f"name='{registered}'")) == 1,
            f"{flavour}: delete touched the registry",
        )
        again = lineapy.save(
            model, name, storage_backend="mlflow", registered_model_name=registered, **req
        )
        import linea_mlflow

        linea_mlflow.delete(name, again.version, delete_model_versions=True)
        left = [v.version for v in client.search_model_versions(f"name='{registered}'")]
        check(left == [version.version], f"{flavour}: registry after delete {left}")
        report[flavour] = {"cases": cases, "model_uri": entry["model_uri"]}

    # Anything MLflow has no flavour for stays in linea's storage.
    check(backend_of(lineapy.save({"a": 1}, "plain")) == "lineapy", "plain value went to MLflow")
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        forced = lineapy.save([1, 2], "forced", storage_backend="mlflow")
    check(backend_of(forced) == "lineapy", "a list was sent to MLflow")
    check(any("cannot keep" in str(w.message) for w in caught), "no fallback warning")
    report["fallback"] = "lineapy"
    return report


LAZY_IMPORT = """
import sys
import linea_core as lineapy
lineapy.options.set("mlflow_tracking_uri", sys.argv[1])
lineapy.save({"plain": 1}, "plain_value")
lineapy.get("plain_value").get_value()
print("mlflow" in sys.modules)
"""


def mlflow_imported_by_plain_saves(work: Path) -> bool:
    done = subprocess.run(
        [sys.executable, "-c", LAZY_IMPORT, f"sqlite:///{work / 'lazy.db'}"],
        capture_output=True,
        text=True,
        check=True,
    )
    return done.stdout.strip() == "True"


if __name__ == "__main__":
    work_dir = Path(sys.argv[1])
    result = main(work_dir, sys.argv[2:])
    result["mlflow_imported_by_plain_saves"] = mlflow_imported_by_plain_saves(work_dir)
    print(json.dumps(result))
