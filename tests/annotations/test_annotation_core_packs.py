"""Core packs: each loads on its own, every name in them exists, they cost nothing for
libraries that are not imported, and what they declare matches what the calls do."""

from __future__ import annotations

import collections
import copy
import subprocess
import sys
from collections.abc import Callable
from typing import Any

import numpy as np
import pandas as pd
import pytest
from annotation_kit import over_call_cases

from linea_core.annotations.index import AnnotationIndex
from linea_core.annotations.loader import load_pack
from linea_core.builtins import annotation_packs
from linea_core.builtins.annotation_packs import CORE_PACKS, core_packs
from linea_core.plugins import AnnotationPack

pytestmark = pytest.mark.engine


def test_hook_registers_every_core_pack() -> None:
    registered: list[AnnotationPack] = []
    annotation_packs.linea_register_annotation_packs(registered.append)
    assert [pack.name for pack in registered] == list(CORE_PACKS)
    assert all(pack.path is not None and pack.path.is_file() for pack in registered)


@pytest.mark.parametrize("pack", core_packs(), ids=lambda pack: pack.name)
def test_each_core_pack_loads_on_its_own(pack: AnnotationPack) -> None:
    loaded = load_pack(pack)
    assert loaded.name == pack.name and loaded.entries
    index = AnnotationIndex.from_loaded([loaded])
    assert index.errors == []


def test_every_annotated_name_exists_in_the_installed_libraries() -> None:
    for name in ("numpy", "numpy.linalg", "pandas", "matplotlib.pyplot", "sklearn"):
        pytest.importorskip(name)
    import _csv  # noqa: F401
    import bisect  # noqa: F401
    import csv  # noqa: F401
    import glob  # noqa: F401
    import heapq  # noqa: F401
    import json  # noqa: F401
    import pickle  # noqa: F401
    import shutil  # noqa: F401
    import sqlite3  # noqa: F401
    import statistics  # noqa: F401
    import subprocess  # noqa: F401
    import tempfile  # noqa: F401

    import matplotlib.axes  # noqa: F401
    import matplotlib.figure  # noqa: F401
    import pandas.core.groupby.groupby  # noqa: F401
    import pandas.core.strings.accessor  # noqa: F401
    import pandas.core.window.rolling  # noqa: F401

    index = AnnotationIndex.from_packs(core_packs())
    assert index.unresolved() == []
    assert index.pending_modules() == []


def run_python(code: str) -> str:
    completed = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    return completed.stdout.strip()


def test_packs_for_libraries_not_imported_cost_nothing() -> None:
    out = run_python(
        "import sys\n"
        "from linea_core.annotations.index import AnnotationIndex\n"
        "from linea_core.builtins.annotation_packs import core_packs\n"
        "index = AnnotationIndex.from_packs(core_packs())\n"
        "assert index.effects_for([].append, (1,), {}) is not None\n"
        "print(sorted(m for m in ('numpy', 'pandas', 'matplotlib') if m in sys.modules))\n"
        "print('numpy' in index.pending_modules())\n"
    )
    assert out.splitlines() == ["[]", "True"]


def test_the_hot_path_modules_import_nothing_heavy() -> None:
    out = run_python(
        "import sys\n"
        "import linea_core.annotations.index, linea_core.annotations.effects\n"
        "print(sorted(m for m in ('pydantic', 'yaml', 'numpy', 'pandas') if m in sys.modules))\n"
    )
    assert out == "[]"


# -- declared behaviour matches real behaviour ---------------------------------------------


def snapshot(value: object) -> Any:
    if isinstance(value, np.ndarray):
        return ("ndarray", value.shape, value.tobytes())
    if isinstance(value, (pd.DataFrame, pd.Series)):
        return ("pandas", value.to_json(), str(value.dtypes))
    if isinstance(value, collections.defaultdict):
        return ("defaultdict", sorted(value.items()))
    return copy.deepcopy(value)


@over_call_cases
def test_declared_mutation_matches_what_the_call_does(
    make: Callable[[], object],
    method: str,
    args: tuple[object, ...],
    kwargs: dict[str, object],
    core_index: AnnotationIndex,
) -> None:
    value = make()
    bound = getattr(value, method)
    found = core_index.effects_for(bound, args, kwargs)
    assert found is not None, f"{type(value).__name__}.{method} should be described"
    before = snapshot(value)
    bound(*args, **kwargs)
    changed = snapshot(value) != before
    declared = any(ref.kind == "self" for ref in found.mutated)
    assert declared == changed, (
        f"{type(value).__name__}.{method}(*{args}, **{kwargs}): pack says "
        f"{'mutates' if declared else 'pure'}, call {'changed' if changed else 'kept'} it"
    )
