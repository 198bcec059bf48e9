"""Comparing a recomputed artifact value with the stored one.

Used twice: the test kit (``linea_core.testing``) imports it, and the generated
``test_<pipeline>.py`` embeds this module's source, because generated code never
imports linea. So this module imports nothing from linea and only the standard
library at its top; numpy, pandas and scikit-learn are used when the values are theirs.

Equality is what a user would mean, not ``==``:

* floats (and numpy floating arrays, pandas frames and series) within a relative
  tolerance: a pipeline run on another machine may differ in the last bits;
* DataFrames/Series/Index with ``pandas.testing``; arrays by shape, dtype kind, values;
* fitted scikit-learn estimators by parameters, fitted attributes (``coef_``...) and
  predictions on sample input built from the features they were fitted on;
* containers element by element; other objects by ``==`` when their class defines it,
  else by class and attributes (``vars``).
"""

from __future__ import annotations

import math
from typing import Any

RELATIVE_TOLERANCE = 1e-7
ABSOLUTE_TOLERANCE = 1e-9


class ValueMismatch(AssertionError):
    """The values differ; the message says where (``value['a'][2]: 1.5 != 1.25``)."""


def assert_same_value(actual: Any, expected: Any, where: str = "value") -> None:
    """Raise :class:`ValueMismatch` unless ``actual`` is the same value as ``expected``."""
    _compare(actual, expected, where, depth=0)


def same_value(actual: Any, expected: Any) -> bool:
    try:
        assert_same_value(actual, expected)
    except ValueMismatch:
        return False
    return True


def _fail(where: str, message: str) -> None:
    raise ValueMismatch(f"{where}: {message}")


def _module_of(value: Any) -> str:
    # not linea's module_of_type: this file imports nothing from linea (see above)
    module = getattr(type(value), "__module__", None)
    return module.split(".")[0] if isinstance(module, str) else ""


def _compare(actual: Any, expected: Any, where: str, depth: int) -> None:
    if depth > 50:
        return  # a self-referencing structure: what was compared so far agreed
    if actual is expected:
        return
    kind = _module_of(expected)
    if kind == "pandas":
        _compare_pandas(actual, expected, where)
        return
    if kind == "numpy":
        _compare_numpy(actual, expected, where)
        return
    if _is_estimator(expected):
        _compare_estimator(actual, expected, where, depth)
        return
    if isinstance(expected, bool) or expected is None:
        if actual is not expected and actual != expected:
            _fail(where, f"{actual!r} != {expected!r}")
        return
    if isinstance(expected, float) and isinstance(actual, (int, float)):
        _compare_float(float(actual), expected, where)
        return
    if isinstance(expected, (int, str, bytes, complex)):
        if type(actual) is not type(expected) or actual != expected:
            _fail(where, f"{_short(actual)} != {_short(expected)}")
        return
    if type(actual) is not type(expected):
        _fail(where, f"a {type(actual).__name__} instead of a {type(expected).__name__}")
    if isinstance(expected, dict):
        if list(actual) != list(expected):
            _fail(where, f"keys {list(actual)!r} != {list(expected)!r}")
        for key in expected:
            _compare(actual[key], expected[key], f"{where}[{key!r}]", depth + 1)
        return
    if isinstance(expected, (list, tuple)):
        if len(actual) != len(expected):
            _fail(where, f"length {len(actual)} != {len(expected)}")
        for index, (a, e) in enumerate(zip(actual, expected, strict=True)):
            _compare(a, e, f"{where}[{index}]", depth + 1)
        return
    if isinstance(expected, (set, frozenset)):
        if actual != expected:
            _fail(where, f"{_short(actual)} != {_short(expected)}")
        return
    _compare_object(actual, expected, where, depth)


def _compare_float(actual: float, expected: float, where: str) -> None:
    if math.isnan(expected) and math.isnan(actual):
        return
    if not math.isclose(actual, expected, rel_tol=RELATIVE_TOLERANCE, abs_tol=ABSOLUTE_TOLERANCE):
        _fail(where, f"{actual!r} != {expected!r}")


def _compare_pandas(actual: Any, expected: Any, where: str) -> None:
    import pandas as pd  # type: ignore[import-untyped]
    import pandas.testing as pdt  # type: ignore[import-untyped]

    if type(actual) is not type(expected):
        _fail(where, f"a {type(actual).__name__} instead of a {type(expected).__name__}")
    options = {"check_exact": False, "rtol": RELATIVE_TOLERANCE, "atol": ABSOLUTE_TOLERANCE}
    try:
        if isinstance(expected, pd.DataFrame):
            pdt.assert_frame_equal(actual, expected, **options)
        elif isinstance(expected, pd.Series):
            pdt.assert_series_equal(actual, expected, **options)
        elif isinstance(expected, pd.Index):
            pdt.assert_index_equal(actual, expected, exact="equiv")
        elif actual != expected:
            _fail(where, f"{_short(actual)} != {_short(expected)}")
    except AssertionError as exc:
        if isinstance(exc, ValueMismatch):
            raise
        _fail(where, " ".join(str(exc).split()))


def _compare_numpy(actual: Any, expected: Any, where: str) -> None:
    import numpy as np

    if isinstance(expected, np.generic) and not isinstance(actual, np.ndarray):
        _compare(actual.item() if hasattr(actual, "item") else actual, expected.item(), where, 1)
        return
    if not isinstance(actual, np.ndarray) or not isinstance(expected, np.ndarray):
        if actual != expected:
            _fail(where, f"{_short(actual)} != {_short(expected)}")
        return
    if actual.shape != expected.shape:
        _fail(where, f"shape {actual.shape} != {expected.shape}")
    if actual.dtype.kind != expected.dtype.kind:
        _fail(where, f"dtype {actual.dtype} != {expected.dtype}")
    if expected.dtype.kind in "fc":
        if not np.allclose(
            actual, expected, rtol=RELATIVE_TOLERANCE, atol=ABSOLUTE_TOLERANCE, equal_nan=True
        ):
            _fail(where, "arrays differ beyond the tolerance")
    elif expected.dtype.kind == "O":
        for index, (a, e) in enumerate(zip(actual.ravel(), expected.ravel(), strict=True)):
            _compare(a, e, f"{where}.flat[{index}]", 1)
    elif not np.array_equal(actual, expected):
        _fail(where, "arrays differ")


def _is_estimator(value: Any) -> bool:
    return callable(getattr(value, "get_params", None)) and callable(getattr(value, "fit", None))


def _compare_estimator(actual: Any, expected: Any, where: str, depth: int) -> None:
    if type(actual) is not type(expected):
        _fail(where, f"a {type(actual).__name__} instead of a {type(expected).__name__}")
    _compare(
        _plain_params(actual.get_params(deep=False)),
        _plain_params(expected.get_params(deep=False)),
        f"{where}.get_params()",
        depth + 1,
    )
    fitted = sorted(
        name
        for name in vars(expected)
        if name.endswith("_") and not name.startswith("_") and not name.endswith("__")
    )
    for name in fitted:
        if not hasattr(actual, name):
            _fail(where, f"is not fitted like the stored one (no {name})")
        _compare(getattr(actual, name), getattr(expected, name), f"{where}.{name}", depth + 1)
    sample = _sample_input(expected)
    if sample is None:
        return
    for method in ("predict_proba", "decision_function", "predict", "transform"):
        if callable(getattr(expected, method, None)):
            try:
                wanted = getattr(expected, method)(sample)
            except Exception:
                continue
            _compare(getattr(actual, method)(sample), wanted, f"{where}.{method}(sample)", 1)
            return


def _plain_params(params: dict[str, Any]) -> dict[str, Any]:
    """Nested estimators compared by their own parameters, not identity."""
    return {
        key: (
            (type(value).__name__, _plain_params(value.get_params(deep=False)))
            if _is_estimator(value)
            else value
        )
        for key, value in params.items()
    }


def _sample_input(estimator: Any) -> Any:
    """Deterministic sample rows shaped like what ``estimator`` was fitted on."""
    width = getattr(estimator, "n_features_in_", None)
    if not isinstance(width, int) or width <= 0:
        return None
    import numpy as np

    rows = np.random.default_rng(0).normal(size=(8, width))
    names = getattr(estimator, "feature_names_in_", None)
    if names is not None:
        import pandas as pd

        return pd.DataFrame(rows, columns=list(names))
    return rows


def _has_own_eq(value: Any) -> bool:
    return type(value).__eq__ is not object.__eq__  # type: ignore[comparison-overlap]


def _compare_object(actual: Any, expected: Any, where: str, depth: int) -> None:
    if _has_own_eq(expected):
        try:
            equal = actual == expected
        except Exception:
            equal = NotImplemented
        if isinstance(equal, bool):
            if not equal:
                _fail(where, f"{_short(actual)} != {_short(expected)}")
            return
    attributes = getattr(expected, "__dict__", None)
    if attributes is None:
        if actual != expected and _pickled(actual) != _pickled(expected):
            _fail(where, f"{_short(actual)} != {_short(expected)}")
        return
    _compare(vars(actual), attributes, f"vars({where})", depth + 1)


def _pickled(value: Any) -> bytes | None:
    import pickle

    try:
        return pickle.dumps(value)
    except Exception:
        return None


def _short(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 120 else text[:117] + "..."
