"""Regenerate linea_annotations_sklearn/sklearn.annotations.yaml from the installed scikit-learn.

    python plugins/linea_annotations_sklearn/tools/generate_pack.py

The pack is data, checked in; this script only saves typing the ~200 estimator classes
and keeps the rules below in one place. Names missing from another scikit-learn version
are harmless (the index skips them), so regenerate when a new release adds estimators.

Rules, and why (soundness first: a description replaces the run-time check):

* fit / partial_fit / set_params change the estimator and return it (a view of it);
  fit_transform / fit_predict change it and return new data; predict, transform, score
  and the other read-only methods change nothing.
* Estimators with a copy / copy_X / copy_x parameter may overwrite their input in place
  (copy=False); which one the object was built with is not visible at the call, so their
  fit/transform methods are declared to change the input, and transform's result to
  share its memory (sound; a slice of X may keep such a call it did not need).
* A constructor makes the estimator share state with what it keeps and may change when
  fitted: a numpy RandomState passed as random_state (fit draws from it), and estimators
  passed as estimator/init/regressor/... (GradientBoosting fits its `init` in place).
* Pipeline and FeatureUnion fit the estimators of their steps in place, and hold them
  inside lists of tuples, which no reference of the format can name. Described, fitting
  a pipeline would not count as a change of a step the user also holds in a variable.
  They are left to the run-time check, and so is FunctionTransformer, which runs the
  user's function.
"""

from __future__ import annotations

import importlib
import inspect
import sys
import warnings
from pathlib import Path

warnings.simplefilter("ignore")

import sklearn  # noqa: E402
import sklearn.base as base  # noqa: E402
from sklearn.utils import all_estimators  # noqa: E402

OUT = Path(__file__).resolve().parents[1] / "linea_annotations_sklearn" / "sklearn.annotations.yaml"
MIXINS = [
    "ClassifierMixin",
    "RegressorMixin",
    "ClusterMixin",
    "OutlierMixin",
    "BiclusterMixin",
    "DensityMixin",
    "OneToOneFeatureMixin",
    "ClassNamePrefixFeaturesOutMixin",
    "MultiOutputMixin",
]
LEFT_TO_RUN_TIME = {"Pipeline", "FeatureUnion", "FunctionTransformer"}
RETURNS_SELF = ["fit", "partial_fit", "set_params"]
CHANGES_SELF = ["fit_transform", "fit_predict"]
READ_ONLY = [
    "decision_function",
    "get_feature_names_out",
    "get_params",
    "inverse_transform",
    "predict",
    "predict_log_proba",
    "predict_proba",
    "score",
    "score_samples",
    "transform",
]
COPY_PARAMETERS = {"copy", "copy_X", "copy_x"}
INPUT_CHANGING = ["fit", "partial_fit", "fit_transform", "fit_predict"]
INPUT_RETURNING = ["transform", "inverse_transform", "fit_transform"]
KEPT_PARAMETERS = [
    "random_state",
    "estimator",
    "base_estimator",
    "init",
    "regressor",
    "final_estimator",
    "transformer",
]
METRICS = [
    "accuracy_score",
    "auc",
    "balanced_accuracy_score",
    "classification_report",
    "confusion_matrix",
    "explained_variance_score",
    "f1_score",
    "fbeta_score",
    "log_loss",
    "matthews_corrcoef",
    "mean_absolute_error",
    "mean_absolute_percentage_error",
    "mean_squared_error",
    "median_absolute_error",
    "precision_recall_curve",
    "precision_score",
    "r2_score",
    "recall_score",
    "roc_auc_score",
    "roc_curve",
]

SELF = "        - mutated_value:\n            self_ref: SELF_REF\n"
SELF_IS_RESULT = (
    "        - views:\n            - self_ref: SELF_REF\n            - result: RESULT\n"
)
INPUT = "        - mutated_value:\n            positional_argument_index: 0\n"
INPUT_IS_RESULT = (
    "        - views:\n            - positional_argument_index: 0\n            - result: RESULT\n"
)


def names(items: list[str], key: str) -> str:
    return f"        {key}:\n" + "".join(f"          - {item}\n" for item in items)


def rule(criteria: str, effects: str) -> str:
    side_effects = "      side_effects: []\n" if not effects else "      side_effects:\n" + effects
    return "    - criteria:\n" + criteria + side_effects


def method_rules(class_name: str) -> str:
    criteria = f"        class_instance: {class_name}\n"
    return (
        rule(criteria + names(RETURNS_SELF, "class_method_names"), SELF + SELF_IS_RESULT)
        + rule(criteria + names(CHANGES_SELF, "class_method_names"), SELF)
        + rule(criteria + names(READ_ONLY, "class_method_names"), "")
    )


def public_module(cls: type) -> str:
    parts = cls.__module__.split(".")
    for end in range(2, len(parts) + 1):
        candidate = ".".join(parts[:end])
        if getattr(importlib.import_module(candidate), cls.__name__, None) is cls:
            return candidate
    return cls.__module__


def main() -> int:
    estimators = [(n, c) for n, c in all_estimators() if n not in LEFT_TO_RUN_TIME]
    mixins = [getattr(base, name) for name in MIXINS]
    uncovered = [(n, c) for n, c in estimators if not any(issubclass(c, m) for m in mixins)]
    by_module: dict[str, list[tuple[str, type]]] = {}
    for name, cls in estimators:
        by_module.setdefault(public_module(cls), []).append((name, cls))

    out = [
        f"# scikit-learn {sklearn.__version__}: generated by tools/generate_pack.py, whose\n"
        "# docstring gives the rules and the reasons; edit the rules there.\n\n"
        "- module: sklearn.base\n  annotations:\n"
    ]
    out += [method_rules(mixin) for mixin in MIXINS]
    for module in sorted(by_module):
        classes = sorted(by_module[module])
        entry = [f"\n- module: {module}\n  annotations:\n"]
        plain: list[str] = []
        for name, cls in classes:
            parameters = inspect.signature(cls.__init__).parameters
            kept = [p for p in KEPT_PARAMETERS if p in parameters]
            if kept:
                refs = "".join(f"            - argument_keyword: {p}\n" for p in kept)
                entry.append(
                    rule(
                        f"        function_name: {name}\n",
                        "        - views:\n            - result: RESULT\n" + refs,
                    )
                )
            else:
                plain.append(name)
            if (name, cls) in uncovered:
                entry.append(method_rules(name))
            if COPY_PARAMETERS & set(parameters):
                criteria = f"        class_instance: {name}\n"
                entry.append(rule(criteria + names(INPUT_CHANGING, "class_method_names"), INPUT))
                entry.append(
                    rule(criteria + names(INPUT_RETURNING, "class_method_names"), INPUT_IS_RESULT)
                )
        if plain:
            entry.insert(1, rule(names(plain, "function_names"), ""))
        out += entry
    out.append(
        "\n- module: sklearn.model_selection\n  annotations:\n"
        + rule(
            "        function_name: train_test_split\n",
            "        - mutated_value:\n            argument_keyword: random_state\n",
        )
        + "\n- module: sklearn.metrics\n  annotations:\n"
        + rule(names(METRICS, "function_names"), "")
    )
    OUT.write_text("".join(out))
    print(f"wrote {OUT} ({len(estimators)} estimators)", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
