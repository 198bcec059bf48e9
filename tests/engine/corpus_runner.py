"""Run corpus scripts and slices in a fresh interpreter, and compare values across processes.

``test_corpus.py`` starts this file as a subprocess (``python corpus_runner.py JOBS OUT``):
a slice is only proven sound if it recomputes the value *alone*, with nothing left over
from the traced run (no namespace, no imported local module, no open file). The same
file is loaded in the test process for :func:`portable` and :func:`difference`, so both
sides turn values into comparable data by the same rules.

A job is a dict: ``mode`` ("script" runs a file as ``__main__``; "code" runs slice
text), ``path`` or ``code``, ``cwd``, ``exprs`` (artifact name -> expression evaluated
after the code ran, to read the saved value back), ``shim`` (run with a stand-in
``linea_core`` that records saves instead of the real one, for plain-Python runs).
"""

from __future__ import annotations

import builtins
import functools
import io
import math
import os
import pickle
import sys
import traceback
import types
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import cloudpickle


@dataclass(frozen=True)
class Ref:
    """Stands for a value that is compared by identity of kind and name, not by content.

    Modules, functions and classes cannot be compared by behaviour; generators, open
    files and plots are not data. Two runs agree on them when they agree on the name.
    """

    kind: str
    name: str


def _qualname(tp: type) -> str:
    return f"{tp.__module__.replace('__mp_main__', '__main__')}.{tp.__qualname__}"


def portable(value: Any) -> Any:
    """``value`` itself when it can cross a process boundary by pickle, else a :class:`Ref`."""
    if isinstance(value, types.ModuleType):
        return Ref("module", value.__name__)
    if isinstance(value, type):
        return Ref("class", value.__qualname__)
    if (
        isinstance(
            value,
            (types.FunctionType, types.BuiltinFunctionType, types.MethodType, functools.partial),
        )
        or type(value).__name__ == "_lru_cache_wrapper"
    ):
        return Ref("callable", getattr(value, "__qualname__", type(value).__qualname__))
    if type(value).__name__ in ("LineaArtifact", "_PlainArtifact"):
        return Ref("artifact", str(getattr(value, "name", "")))
    if type(value).__module__.startswith("matplotlib"):
        return Ref("opaque", _qualname(type(value)))
    if isinstance(value, (types.GeneratorType, io.IOBase)):
        return Ref("opaque", _qualname(type(value)))
    try:
        cloudpickle.dumps(value)
    except Exception:
        return Ref("opaque", _qualname(type(value)))
    return value


def transported(value: Any) -> Any:
    """``portable(value)`` as it looks after one pickle round trip.

    Values from the subprocess arrive pickled once; comparing them with live objects of
    the test process would compare a copy with an original (an exhausted iterator
    pickles as a fresh one over an empty list), so the live side makes the trip too.
    """
    value = portable(value)
    return value if isinstance(value, Ref) else cloudpickle.loads(cloudpickle.dumps(value))


def _float_same(a: float, b: float) -> bool:
    return a == b or (math.isnan(a) and math.isnan(b))


def difference(a: Any, b: Any, path: str = "value", _seen: set | None = None) -> str | None:
    """None when ``a`` and ``b`` hold the same data, else where and how they first differ.

    Structural rather than ``==``: values come back from other processes (a class defined
    in a script is a different class object after unpickling) and numpy/pandas ``==`` is
    elementwise.
    """
    seen = _seen if _seen is not None else set()
    key = (id(a), id(b))
    if key in seen:
        return None
    seen.add(key)
    if isinstance(a, Ref) or isinstance(b, Ref):
        return None if a == b else f"{path}: {a!r} != {b!r}"
    if _qualname(type(a)) != _qualname(type(b)):
        return f"{path}: type {_qualname(type(a))} != {_qualname(type(b))}"
    module = type(a).__module__
    if module.startswith("numpy"):
        return _numpy_difference(a, b, path, seen)
    if module.startswith("pandas"):
        return _pandas_difference(a, b, path)
    if isinstance(a, float):
        return None if _float_same(a, b) else f"{path}: {a!r} != {b!r}"
    if isinstance(a, complex):
        same = _float_same(a.real, b.real) and _float_same(a.imag, b.imag)
        return None if same else f"{path}: {a!r} != {b!r}"
    if a is None or a is Ellipsis or isinstance(a, (int, str, bytes, bool, range)):
        return None if a == b else f"{path}: {a!r} != {b!r}"
    if isinstance(a, (list, tuple)):
        if len(a) != len(b):
            return f"{path}: length {len(a)} != {len(b)} ({_short(a)} vs {_short(b)})"
        for i, (x, y) in enumerate(zip(a, b, strict=True)):
            found = difference(x, y, f"{path}[{i}]", seen)
            if found:
                return found
        return None
    if isinstance(a, dict):
        found = difference(list(a), list(b), f"{path}.keys()", seen)
        if found:
            return found
        for k in a:
            found = difference(a[k], b[k], f"{path}[{k!r}]", seen)
            if found:
                return found
        return None
    if isinstance(a, (set, frozenset)):
        return None if a == b else f"{path}: {_short(a)} != {_short(b)}"
    if hasattr(a, "__dict__") and not isinstance(a, type):
        found = difference(vars(a), vars(b), f"{path}.__dict__", seen)
        if found:
            return found
        return _slots_difference(a, b, path, seen)
    if type(a).__eq__ is not object.__eq__:
        try:
            return None if bool(a == b) else f"{path}: {_short(a)} != {_short(b)}"
        except Exception:
            pass
    same = pickle.dumps(a) == pickle.dumps(b)
    return None if same else f"{path}: {_short(a)} != {_short(b)} (pickled state differs)"


def _slots_difference(a: Any, b: Any, path: str, seen: set) -> str | None:
    for cls in type(a).__mro__:
        for slot in getattr(cls, "__slots__", ()):
            if slot in ("__dict__", "__weakref__"):
                continue
            x, y = getattr(a, slot, Ref("unset", slot)), getattr(b, slot, Ref("unset", slot))
            found = difference(x, y, f"{path}.{slot}", seen)
            if found:
                return found
    return None


def _numpy_difference(a: Any, b: Any, path: str, seen: set) -> str | None:
    import numpy as np

    if isinstance(a, np.ndarray):
        if a.shape != b.shape or a.dtype != b.dtype:
            return f"{path}: array {a.shape}/{a.dtype} != {b.shape}/{b.dtype}"
        if a.dtype == object:
            for i, (x, y) in enumerate(zip(a.flat, b.flat, strict=True)):
                found = difference(portable(x), portable(y), f"{path}.flat[{i}]", seen)
                if found:
                    return found
            return None
        equal_nan = a.dtype.kind in "fc"
        same = np.array_equal(a, b, equal_nan=equal_nan)
        return None if same else f"{path}: arrays differ ({_short(a)} vs {_short(b)})"
    if isinstance(a, np.random.Generator):
        return difference(a.bit_generator.state, b.bit_generator.state, f"{path}.state", seen)
    if isinstance(a, np.generic):
        same = bool(a == b) or (a.dtype.kind in "fc" and bool(np.isnan(a) and np.isnan(b)))
        return None if same else f"{path}: {a!r} != {b!r}"
    same = pickle.dumps(a) == pickle.dumps(b)
    return None if same else f"{path}: {_short(a)} != {_short(b)}"


def _pandas_difference(a: Any, b: Any, path: str) -> str | None:
    import pandas as pd
    import pandas.testing as pdt

    try:
        if isinstance(a, pd.DataFrame):
            pdt.assert_frame_equal(a, b, check_exact=True)
        elif isinstance(a, pd.Series):
            pdt.assert_series_equal(a, b, check_exact=True)
        elif isinstance(a, pd.Index):
            pdt.assert_index_equal(a, b, exact=True)
        elif a != b and not (pd.isna(a) and pd.isna(b)):
            return f"{path}: {a!r} != {b!r}"
    except AssertionError as exc:
        return f"{path}: {exc}"
    return None


def _short(value: Any, limit: int = 160) -> str:
    text = repr(value)
    return text if len(text) <= limit else text[: limit - 3] + "..."


class _Reference:
    """Stand-in for ``lineapy.file_system`` / ``lineapy.db`` in plain-Python runs."""

    def __init__(self, name: str) -> None:
        self.name = name

    def __repr__(self) -> str:
        return f"<reference {self.name}>"


class _PlainArtifact:
    def __init__(self, name: str, payload: bytes) -> None:
        self.name = name
        self._payload = payload

    def get_value(self) -> Any:
        return cloudpickle.loads(self._payload)


def make_shim(store: dict[str, bytes], log: list[str]) -> types.ModuleType:
    """A ``linea_core`` that runs scripts as plain Python would: save snapshots, get reads them.

    ``store`` maps artifact name -> the value pickled at the moment of the save (a later
    mutation of the object must not change what was saved); ``log`` lists the names saved.
    """
    shim = types.ModuleType("linea_core")
    file_system, db = _Reference("file_system"), _Reference("db")

    def save(value: Any, name: str) -> None:
        if isinstance(value, _Reference):
            store[name] = cloudpickle.dumps(value.name)
        else:
            store[name] = cloudpickle.dumps(value)
        log.append(name)

    def get(name: str, version: int | None = None) -> _PlainArtifact:
        if name not in store:
            raise KeyError(f"artifact {name!r} was not saved by an earlier plain run")
        return _PlainArtifact(name, store[name])

    shim.save = save  # type: ignore[attr-defined]
    shim.get = get  # type: ignore[attr-defined]
    shim.file_system = file_system  # type: ignore[attr-defined]
    shim.db = db  # type: ignore[attr-defined]
    return shim


def _forget_local_modules(root: Path) -> None:
    """Drop modules imported from ``root`` so the next job imports its own fresh copy."""
    for name, module in list(sys.modules.items()):
        origin = getattr(module, "__file__", None)
        if origin and Path(origin).resolve().is_relative_to(root):
            del sys.modules[name]


def run_job(job: dict[str, Any], shim_store: dict[str, bytes]) -> dict[str, Any]:
    """Run one script or slice in a fresh namespace; report values, saves, or the error."""
    cwd = Path(job["cwd"]).resolve()
    os.chdir(cwd)
    sys.path[0] = str(cwd)
    saved_names: list[str] = []
    if job.get("shim"):
        sys.modules["linea_core"] = make_shim(shim_store, saved_names)
    namespace: dict[str, Any] = {"__name__": "__main__", "__builtins__": builtins}
    result: dict[str, Any] = {"error": None, "values": {}, "final": {}}
    try:
        if job["mode"] == "script":
            path = str(Path(job["path"]).resolve())
            namespace["__file__"] = path
            sys.argv = [path]
            source = Path(path).read_text()
            code = compile(source, path, "exec")
        else:
            code = compile(job["code"], "<slice>", "exec")
        exec(code, namespace)
        for artifact, expr in job.get("exprs", {}).items():
            result["values"][artifact] = portable(eval(expr, namespace))
        if job.get("final"):
            result["final"] = {
                k: portable(v) for k, v in namespace.items() if not k.startswith("__")
            }
    except BaseException:  # noqa: BLE001 - report anything the user code raised
        result["error"] = traceback.format_exc()
    result["saved"] = {name: portable(cloudpickle.loads(shim_store[name])) for name in saved_names}
    _forget_local_modules(cwd)
    return result


def main(argv: list[str]) -> int:
    jobs_path, out_path = Path(argv[1]), Path(argv[2])
    payload = pickle.loads(jobs_path.read_bytes())
    shim_store: dict[str, bytes] = dict(payload.get("prior", {}))
    sys.path.insert(0, "")
    results = [run_job(job, shim_store) for job in payload["jobs"]]
    out_path.write_bytes(cloudpickle.dumps(results))
    return 0


if __name__ == "__main__":
    # Import this file under its module name, so values it pickles (Ref) unpickle in the
    # test process, which loads the same file as ``corpus_runner``.
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    import corpus_runner

    sys.exit(corpus_runner.main(sys.argv))
