"""The MLflow model flavours linea saves models with: one table entry per flavour.

A value belongs to a flavour when one of the flavour's classes is in its type's MRO,
compared by module and name: nothing is imported to decide, so saving a plain value
never pays for importing MLflow or a machine-learning library. More specific flavours
come first (an XGBoost model is also a scikit-learn estimator, and is saved with the
xgboost flavour, as LineaPy did). Adding a flavour is adding an entry here.
"""

from __future__ import annotations

import importlib.util
from dataclasses import dataclass


@dataclass(frozen=True)
class Flavour:
    """``mlflow.<module>.log_model(**{model_argument: value})`` and ``load_model`` for values
    that are instances of one of ``classes`` ("module:QualifiedName")."""

    name: str
    library: str
    classes: tuple[str, ...]
    model_argument: str

    @property
    def mlflow_module(self) -> str:
        return f"mlflow.{self.name}"

    def installed(self) -> bool:
        """Whether MLflow's module for this flavour can be imported (not importing it)."""
        return (
            importlib.util.find_spec("mlflow") is not None
            and importlib.util.find_spec(self.library) is not None
        )


FLAVOURS: tuple[Flavour, ...] = (
    Flavour(
        "xgboost", "xgboost", ("xgboost.core:Booster", "xgboost.sklearn:XGBModel"), "xgb_model"
    ),
    Flavour("prophet", "prophet", ("prophet.forecaster:Prophet",), "pr_model"),
    Flavour(
        "statsmodels",
        "statsmodels",
        ("statsmodels.base.wrapper:ResultsWrapper", "statsmodels.base.model:Results"),
        "statsmodels_model",
    ),
    Flavour("sklearn", "sklearn", ("sklearn.base:BaseEstimator",), "sk_model"),
)
FLAVOURS_BY_NAME = {flavour.name: flavour for flavour in FLAVOURS}


def flavour_of(value: object) -> Flavour | None:
    """The first flavour whose classes ``value`` is an instance of (None: not a model)."""
    try:
        mro = type(value).__mro__
    except AttributeError:  # pragma: no cover - every type has an MRO
        return None
    names = {f"{klass.__module__}:{klass.__qualname__}" for klass in mro}
    for flavour in FLAVOURS:
        if names.intersection(flavour.classes):
            return flavour
    return None
