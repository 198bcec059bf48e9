"""Helpers shared by the annotation tests: packs from YAML text, LineaPy's documented
example packs, and the table of real calls whose declared effects are checked.

Imported by name (``from annotation_kit import ...``), not from ``conftest``: a
``conftest`` module name is shared by every test folder, so which one an import finds
depends on what ran first.
"""

from __future__ import annotations

import collections
from collections.abc import Callable
from textwrap import dedent
from typing import TypeVar

import numpy as np
import pandas as pd
import pytest

from linea_core.annotations.loader import LoadedPack, parse_pack_text


def pack(text: str, name: str = "test") -> LoadedPack:
    """A validated pack from (indented) YAML text."""
    source = f"<{name}>"
    return LoadedPack(name, source, parse_pack_text(dedent(text), source))


# The examples of LineaPy's docs ("Annotating Third-Party APIs", "Annotate Packages" and
# the annotation_spec API reference), with their indentation restored.
PYPERCLIP = """\
# ./pyperclip.annotations.yaml
- module: pyperclip
  annotations:
    - criteria:
        function_names:
          - copy
          - paste
      side_effects:
        - mutated_value:
            self_ref: SELF_REF
"""

PANDAS_TO_CSV = """\
# pandas.annotations.yaml
- module: pandas.core.generic
  annotations:
    - criteria:
        class_instance: NDFrame
        class_method_names:
          - to_csv
      side_effects:
        - mutated_value:
            external_state: file_system
"""

PANDAS_TWO_ANNOTATIONS = """\
# pandas.annotations.yaml
- module: pandas.core.generic
  annotations:
    - criteria:
        class_instance: NDFrame
        class_method_names:
          - to_csv
      side_effects:
        - mutated_value:
            external_state: file_system
    - criteria:
        class_instance: NDFrame
        class_method_names:
          - to_json
      side_effects:
        - mutated_value:
            external_state: file_system
"""

PANDAS_CONDENSED = """\
# pandas.annotations.yaml
- module: pandas.core.generic
  annotations:
    - criteria:
        class_instance: NDFrame
        class_method_names:
          - to_csv
          - to_json
      side_effects:
        - mutated_value:
            external_state: file_system
"""

SKLEARN_FIT = """\
# sklearn.annotations.yaml
- module: sklearn.base
  annotations:
    - criteria:
        class_instance: BaseEstimator
        class_method_name: fit
      side_effects:
        - mutated_value:
            self_ref: SELF_REF
        - views:
            - self_ref: SELF_REF
            - result: RESULT
"""

JOBLIB_DUMP = """\
- module: joblib
  annotations:
    - criteria:
        function_name: dump
      side_effects:
        - mutated_value:
            external_state: file_system
"""

API_REFERENCE_CRITERIA = """\
- module: boto3
  annotations:
    - criteria:
        function_names:
          - upload_file
          - upload_fileobj
      side_effects:
        - mutated_value:
            external_state: file_system
- module: pandas
  annotations:
    - criteria:
        class_method_name: to_sql
        class_instance: DataFrame
      side_effects:
        - mutated_value:
            external_state: db
    - criteria:
        class_method_names:
          - to_csv
          - to_parquet
        class_instance: DataFrame
      side_effects:
        - mutated_value:
            external_state: file_system
    - criteria:
        keyword_arg_name: inplace
        keyword_arg_value: 1
        class_instance: DataFrame
      side_effects:
        - mutated_value:
            self_ref: SELF_REF
"""


# -- calls whose declared mutation is checked against what the call really does

CASES: list[tuple[str, Callable[[], object], str, tuple[object, ...], dict[str, object]]] = [
    ("list", lambda: [3, 1, 2], "append", (4,), {}),
    ("list", lambda: [3, 1, 2], "sort", (), {}),
    ("list", lambda: [3, 1, 2], "copy", (), {}),
    ("list", lambda: [3, 1, 2], "index", (1,), {}),
    ("list", lambda: [3, 1, 2], "pop", (), {}),
    ("list", lambda: [3, 1, 2], "__iadd__", ([5],), {}),
    ("dict", lambda: {"a": 1}, "update", ({"b": 2},), {}),
    ("dict", lambda: {"a": 1}, "get", ("a",), {}),
    ("dict", lambda: {"a": 1}, "setdefault", ("c", 3), {}),
    ("dict", lambda: {"a": 1}, "copy", (), {}),
    ("set", lambda: {1, 2}, "add", (3,), {}),
    ("set", lambda: {1, 2}, "union", ({3},), {}),
    ("set", lambda: {1, 2}, "intersection_update", ({1},), {}),
    ("bytearray", lambda: bytearray(b"ab"), "extend", (b"c",), {}),
    ("bytearray", lambda: bytearray(b"ab"), "decode", (), {}),
    ("deque", lambda: collections.deque([1, 2]), "rotate", (1,), {}),
    ("deque", lambda: collections.deque([1, 2]), "count", (1,), {}),
    ("Counter", lambda: collections.Counter("aab"), "update", ("c",), {}),
    ("Counter", lambda: collections.Counter("aab"), "most_common", (1,), {}),
    ("OrderedDict", lambda: collections.OrderedDict(a=1, b=2), "move_to_end", ("a",), {}),
    ("defaultdict", lambda: collections.defaultdict(list), "__getitem__", ("new",), {}),
]


def _array() -> object:
    return np.array([3.0, 1.0, 2.0])


def _frame() -> object:
    return pd.DataFrame({"a": [2.0, None, 1.0, 1.0], "b": ["x", "y", "z", "z"]})


CASES += [
    ("ndarray", _array, "sort", (), {}),
    ("ndarray", _array, "fill", (0.0,), {}),
    ("ndarray", _array, "sum", (), {}),
    ("ndarray", _array, "astype", (int,), {}),
    ("ndarray", _array, "__iadd__", (1.0,), {}),
    ("ndarray", _array, "clip", (0.0, 1.0), {}),
    ("DataFrame", _frame, "dropna", (), {}),
    ("DataFrame", _frame, "dropna", (), {"inplace": True}),
    ("DataFrame", _frame, "fillna", (0,), {}),
    ("DataFrame", _frame, "fillna", (0,), {"inplace": True}),
    ("DataFrame", _frame, "sort_values", ("a",), {}),
    ("DataFrame", _frame, "sort_values", ("a",), {"inplace": True}),
    ("DataFrame", _frame, "drop_duplicates", (), {}),
    ("DataFrame", _frame, "drop_duplicates", (), {"inplace": True}),
    ("DataFrame", _frame, "insert", (0, "c", 1), {}),
    ("DataFrame", _frame, "pop", ("b",), {}),
    ("DataFrame", _frame, "head", (1,), {}),
    ("DataFrame", _frame, "describe", (), {}),
    ("DataFrame", _frame, "__setitem__", ("c", 1), {}),
    ("DataFrame", _frame, "query", ("a > 1",), {}),
]


_Test = TypeVar("_Test", bound=Callable[..., None])

_CASE_PARAMETERS = pytest.mark.parametrize(
    ("make", "method", "args", "kwargs"),
    [case[1:] for case in CASES],
    ids=[
        f"{label}.{method}{'-' + '-'.join(kw) if kw else ''}" for label, _, method, _, kw in CASES
    ],
)
# pandas deprecates ``inplace=``: the cases call it on purpose, the packs must describe it.
_INPLACE_DEPRECATED = pytest.mark.filterwarnings("ignore:The inplace keyword")


def over_call_cases(test: _Test) -> _Test:
    """Parametrize ``test`` over :data:`CASES` (``make``, ``method``, ``args``, ``kwargs``)."""
    return _INPLACE_DEPRECATED(_CASE_PARAMETERS(test))
