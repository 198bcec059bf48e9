"""linea-mlflow against a real MLflow: a local SQLite tracking store and model registry.

MLflow (pinned to 3.17.2) and the four flavours' libraries are heavy, so they live in a
cached uv environment of their own (linea's test kit ``cached_env``), with linea-core and
linea-mlflow installed editable; the scenarios (mlflow_scenarios.py) run there in a
subprocess. ``MLFLOW_DISABLE_TELEMETRY=true`` keeps MLflow from reporting usage.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

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


@pytest.mark.slow
def test_models_of_every_flavour_in_a_real_tracking_store_and_registry(tmp_path: Path) -> None:
    from linea_core.testing import cached_env

    env = cached_env("linea-mlflow", MLFLOW_ENV, editable=[REPO, REPO / "plugins" / "linea_mlflow"])
    variables = {
        "MLFLOW_DISABLE_TELEMETRY": "true",
        "LINEA_HOME_DIR": str(tmp_path / "linea_home"),
    }
    variables.update({k: "" for k in os.environ if k.startswith("MLFLOW_") and k not in variables})
    done = env.run(
        [env.python, HERE / "mlflow_scenarios.py", tmp_path, *FLAVOURS],
        cwd=tmp_path,
        env=variables,
    )
    report = json.loads(done.stdout.strip().splitlines()[-1])
    assert sorted(k for k in report if k in FLAVOURS) == sorted(FLAVOURS)
    for flavour in FLAVOURS:
        assert report[flavour]["model_uri"].startswith("models:/")
    assert report["fallback"] == "lineapy"
    assert report["mlflow_imported_by_plain_saves"] is False
