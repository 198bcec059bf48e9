"""The scikit-learn pack: valid, exact, and what it saves.

Each scenario is traced twice, with and without the pack (a plugin host built from
core's built-ins, plus the pack or not): slices must be the same and reproduce the saved
values when run alone, and with the pack the scikit-learn statements must take no
run-time fingerprints. Fingerprints are counted at the engine's one seam for them
(``Walker.snapshot`` with digests; walks without digests only relate aliases), which is
the cost the pack exists to save.
"""

from __future__ import annotations

import pickle
import subprocess
import sys
import warnings
from collections.abc import Iterator
from pathlib import Path

import linea_annotations_sklearn.plugin as sklearn_pack
import numpy as np
import pytest

import linea_core as lineapy
import linea_core.builtins.annotation_packs as core_packs
import linea_core.builtins.serializers as core_serializers
import linea_core.builtins.storage as core_storage
from linea_core.capture import fingerprint
from linea_core.config.options import resolve_options
from linea_core.context import LineaContext, use_context
from linea_core.plugins.host import PluginHost

SETUP = """
import numpy as np
import linea_core as lineapy
from sklearn.datasets import make_classification
from sklearn.ensemble import GradientBoostingClassifier, RandomForestClassifier
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import accuracy_score
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import StandardScaler
X, y = make_classification(n_samples=300, n_features=6, random_state=0)
rng = np.random.RandomState(0)
"""

# Every statement here calls only scikit-learn, on names.
DESCRIBED = """
model = LogisticRegression(C=0.5)
fitted = model.fit(X, y)
scaler = StandardScaler(copy=False)
X_scaled = scaler.fit_transform(X)
again = LogisticRegression()
again.fit(X_scaled, y)
pred = again.predict(X_scaled)
accuracy = accuracy_score(y, pred)
model.set_params(C=2.0)
model.fit(X, y)
"""

# The hard cases: state shared with what an estimator was given.
SHARED = """
steps_scaler = StandardScaler()
steps_model = LogisticRegression()
steps = [("scale", steps_scaler), ("model", steps_model)]
pipe = Pipeline(steps)
pipe.fit(X, y)
forest = RandomForestClassifier(n_estimators=4, random_state=rng)
forest.fit(X, y)
noise = rng.normal(size=3)
init = LogisticRegression()
boosted = GradientBoostingClassifier(init=init, n_estimators=4)
boosted.fit(X, y)
"""

SAVES = """
lineapy.save(model, "model")
lineapy.save(fitted, "fitted")
lineapy.save(X, "X")
lineapy.save(accuracy, "accuracy")
lineapy.save(steps_scaler, "steps_scaler")
lineapy.save(noise, "noise")
lineapy.save(init, "init")
"""


def _host(with_pack: bool) -> PluginHost:
    modules = [core_packs, core_serializers, core_storage]
    return PluginHost.from_modules(*modules, *([sklearn_pack] if with_pack else []))


@pytest.fixture
def count_fingerprints() -> Iterator[list[int]]:
    counter = [0]
    original = fingerprint.Walker.snapshot

    def counting(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        if kwargs.get("digest", True):  # digest=False walks only relate aliases
            counter[0] += 1
        return original(self, *args, **kwargs)

    fingerprint.Walker.snapshot = counting  # type: ignore[method-assign]
    try:
        yield counter
    finally:
        fingerprint.Walker.snapshot = original  # type: ignore[method-assign]


def _trace(code: str, home: Path, with_pack: bool) -> dict[str, lineapy.LineaArtifact]:
    options = resolve_options({"home_dir": str(home)}, environ={})
    with use_context(LineaContext(options, plugins=_host(with_pack))):
        return dict(lineapy.trace(code).artifacts)


def test_the_pack_is_valid_and_matches_this_scikit_learn() -> None:
    from linea_core.annotations.index import AnnotationIndex

    with warnings.catch_warnings():
        warnings.simplefilter("error")  # a malformed pack would be a warning
        index = AnnotationIndex.from_packs(_host(True).annotation_packs(), cache_dir=None)
    assert index.errors == []
    import sklearn.ensemble  # noqa: F401  (resolve the pack's modules)
    import sklearn.linear_model
    import sklearn.metrics  # noqa: F401

    model = sklearn.linear_model.LogisticRegression()
    assert index.effects_for(model.fit, (np.zeros((2, 2)), [0, 1]), {}) is not None
    # Only methods that the mixins declare for their subclasses may be "not defined".
    missing = [entry for entry in index.unresolved() if "not defined on the class" not in entry]
    assert missing == []


def test_sklearn_statements_need_no_fingerprints_with_the_pack(
    tmp_path: Path, count_fingerprints: list[int]
) -> None:
    counts = {}
    for with_pack in (False, True):
        for part, code in (("setup", SETUP), ("all", SETUP + DESCRIBED)):
            count_fingerprints[0] = 0
            _trace(code, tmp_path / f"{part}-{with_pack}", with_pack)
            counts[(part, with_pack)] = count_fingerprints[0]
    without = counts[("all", False)] - counts[("setup", False)]
    with_pack = counts[("all", True)] - counts[("setup", True)]
    assert without >= 10  # each statement was checked at run time
    assert with_pack == 0, counts


@pytest.mark.parametrize("with_pack", [True, False], ids=["pack", "no-pack"])
def test_slices_are_exact_with_and_without_the_pack(tmp_path: Path, with_pack: bool) -> None:
    artifacts = _trace(SETUP + DESCRIBED + SHARED + SAVES, tmp_path / "home", with_pack)
    computed = _run_slices({name: a.get_code() for name, a in artifacts.items()}, tmp_path)
    for name, artifact in artifacts.items():
        _assert_same(computed[name], artifact.get_value(), name)
    assert "pipe.fit(X, y)" in artifacts["steps_scaler"].get_code()
    assert "forest.fit(X, y)" in artifacts["noise"].get_code()
    assert "boosted.fit(X, y)" in artifacts["init"].get_code()
    # StandardScaler(copy=False) scales X in place, so the refit model depends on it...
    model_code = artifacts["model"].get_code()
    assert "X_scaled = scaler.fit_transform(X)" in model_code
    # ...and on nothing else: exact, not merely sound
    for unrelated in ("again", "pipe", "forest", "boosted", "accuracy"):
        assert unrelated not in model_code


def test_both_hosts_give_the_same_slices(tmp_path: Path) -> None:
    code = SETUP + DESCRIBED + SHARED + SAVES
    with_pack = _trace(code, tmp_path / "a", True)
    without = _trace(code, tmp_path / "b", False)
    for name in with_pack:
        assert with_pack[name].get_code() == without[name].get_code(), name


RUNNER = """
import pickle, sys
results = {}
for name, path in zip(sys.argv[1::2], sys.argv[2::2]):
    namespace = {"__name__": "__main__"}
    exec(compile(open(path).read(), path, "exec"), namespace)
    results[name] = namespace[name]
sys.stdout.buffer.write(pickle.dumps(results))
"""


def _run_slices(slices: dict[str, str], folder: Path) -> dict[str, object]:
    """Run each slice on its own (a fresh namespace each, in one fresh interpreter, with
    linea's import removed: a slice must not need linea) and return what each computes."""
    args: list[str] = []
    for name, code in slices.items():
        script = folder / f"slice_{name}.py"
        script.write_text(code.replace("import linea_core as lineapy\n", ""))
        args += [name, str(script)]
    done = subprocess.run([sys.executable, "-c", RUNNER, *args], capture_output=True, timeout=300)
    assert done.returncode == 0, done.stderr.decode()
    return pickle.loads(done.stdout)  # type: ignore[no-any-return]


def _assert_same(actual: object, expected: object, name: str) -> None:
    if hasattr(expected, "get_params"):
        assert type(actual) is type(expected)
        assert _fitted_state(actual) == _fitted_state(expected), name
    elif isinstance(expected, np.ndarray):
        assert isinstance(actual, np.ndarray) and np.array_equal(actual, expected), name
    else:
        assert actual == expected, name


def _fitted_state(estimator: object) -> dict[str, object]:
    state = {}
    for key, value in vars(estimator).items():
        if key.endswith("_") and not key.startswith("_"):
            state[key] = value.tolist() if isinstance(value, np.ndarray) else repr(value)
    state["params"] = repr(estimator.get_params())  # type: ignore[attr-defined]
    return state


# X is big (>= readonly.BIG_BYTES): without the pack, a statement calling scikit-learn on
# it is proved read-only under a profiler hook (Vetting) instead of fingerprinted.
BIG_FIT = """
import numpy as np
from sklearn.linear_model import LogisticRegression
X = np.random.default_rng(0).normal(size=(30_000, 20))
y = (X[:, 0] > 0).astype(int)
model = LogisticRegression(max_iter=20)
model.fit(X, y)
"""


def test_a_fit_on_big_data_is_handled_by_its_annotation(
    tmp_path: Path, count_fingerprints: list[int], monkeypatch: pytest.MonkeyPatch
) -> None:
    """What makes the pack pay: ``model.fit(X, y)`` is described by the pack before it
    runs, so the statement runs plainly, with neither fingerprints nor the read-only
    proof's profiler hook (both cost in proportion to the data or to the calls made)."""
    from linea_core.capture import readonly
    from linea_core.capture.execution import StatementExecutor

    assert np.random.default_rng(0).normal(size=(30_000, 20)).nbytes >= readonly.BIG_BYTES
    vetted = [0]
    enter, prepare, run = (
        readonly.Vetting.__enter__,
        StatementExecutor._prepare,
        StatementExecutor.run,
    )
    # per statement: (fingerprints, runs under the proof's hook, callables the packs describe)
    seen: dict[str, tuple[int, int, list[str]]] = {}
    described: list[str] = []

    def counting_enter(self: readonly.Vetting) -> readonly.Vetting:
        vetted[0] += 1
        return enter(self)

    def recording_prepare(self, statement, facts, code):  # type: ignore[no-untyped-def]
        plan = prepare(self, statement, facts, code)
        described.extend(type(call.func).__name__ for call in plan.resolved if call.effects)
        return plan

    def counting_run(self, statement, code, filename):  # type: ignore[no-untyped-def]
        count_fingerprints[0] = vetted[0] = 0
        described.clear()
        run(self, statement, code, filename)
        seen[statement.source] = (count_fingerprints[0], vetted[0], list(described))

    monkeypatch.setattr(readonly.Vetting, "__enter__", counting_enter)
    monkeypatch.setattr(StatementExecutor, "_prepare", recording_prepare)
    monkeypatch.setattr(StatementExecutor, "run", counting_run)
    fit = "model.fit(X, y)"
    _trace(BIG_FIT, tmp_path / "with-pack", True)
    assert seen[fit] == (0, 0, ["method"])  # the bound LogisticRegression.fit, from the pack
    _trace(BIG_FIT, tmp_path / "without", False)
    fingerprints, vettings, calls = seen[fit]
    assert calls == []  # nothing describes it: it is checked at run time...
    assert fingerprints + vettings > 0  # ...by fingerprints, or by the proof's hook
