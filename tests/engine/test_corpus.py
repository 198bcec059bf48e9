"""The corpus: scripts with the exact slice each saved artifact must get.

Each folder of tests/corpus holds ``script.py`` (and optionally ``prelude.py``, traced
first in the same linea home, for cases that load another session's artifact), any
data or local module it needs, ``expected/<artifact>.py`` with the exact expected
``get_code()``, and optionally ``variants.json``: lists of whole-line replacements
(e.g. another start value) under which every slice must still recompute what the
changed script computes, which is how "the slice runs on both branches" is checked.

Two tests per case:
- ``test_expected_slices_are_sound`` checks the corpus itself, without the engine: run
  plainly, every expected slice, alone in a fresh interpreter, recomputes the value
  the script saved (and the files it wrote, for ``lineapy.file_system``), also under
  each variant.
- ``test_engine_matches_corpus`` traces the case and checks every artifact's code is
  exactly the expected slice, each slice run alone reproduces the artifact's value,
  the engine's slice still runs under the variants, and the traced run ends with the
  same variables (and files) as a plain run.
"""

from __future__ import annotations

import ast
import difflib
import importlib.util
import json
import os
import pickle
import shutil
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

TESTS_DIR = Path(__file__).resolve().parents[1]
CORPUS_DIR = TESTS_DIR / "corpus"
DATA_DIR = TESTS_DIR / "data"
RUNNER_PATH = Path(__file__).resolve().with_name("corpus_runner.py")
REFERENCES = {"file_system", "db"}


def _load_runner() -> Any:
    """Load corpus_runner.py under the name its subprocess pickles values with."""
    if "corpus_runner" in sys.modules:
        return sys.modules["corpus_runner"]
    spec = importlib.util.spec_from_file_location("corpus_runner", RUNNER_PATH)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules["corpus_runner"] = module
    spec.loader.exec_module(module)
    return module


runner = _load_runner()


@dataclass(frozen=True)
class SavedArtifact:
    """One ``lineapy.save(expr, "name")`` found in a case's scripts."""

    name: str
    script: str
    expr: str | None  # None for lineapy.file_system / lineapy.db
    reference: str | None


@dataclass
class Case:
    name: str
    directory: Path
    scripts: list[str]
    artifacts: dict[str, SavedArtifact]
    expected: dict[str, str]
    variants: list[list[tuple[str, str]]] = field(default_factory=list)


def _saves_in(script: Path) -> list[SavedArtifact]:
    """The saves of a script, read from its AST: what each artifact's value is."""
    found = []
    for node in ast.walk(ast.parse(script.read_text())):
        if not (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr == "save"
            and isinstance(node.func.value, ast.Name)
            and node.func.value.id == "lineapy"
        ):
            continue
        value, name = node.args[0], node.args[1]
        assert isinstance(name, ast.Constant), f"{script}: artifact names must be literals"
        reference = None
        if (
            isinstance(value, ast.Attribute)
            and isinstance(value.value, ast.Name)
            and value.value.id == "lineapy"
            and value.attr in REFERENCES
        ):
            reference = value.attr
        expr = None if reference else ast.unparse(value)
        found.append(SavedArtifact(name.value, script.name, expr, reference))
    return found


def load_case(name: str) -> Case:
    directory = CORPUS_DIR / name
    scripts = [s for s in ("prelude.py", "script.py") if (directory / s).exists()]
    artifacts: dict[str, SavedArtifact] = {}
    for script in scripts:
        for saved in _saves_in(directory / script):
            assert saved.name not in artifacts, f"{name}: artifact {saved.name} saved twice"
            artifacts[saved.name] = saved
    expected = {p.stem: p.read_text() for p in sorted((directory / "expected").glob("*.py"))}
    assert set(expected) == set(artifacts), (
        f"{name}: expected/ holds {sorted(expected)} but the scripts save {sorted(artifacts)}"
    )
    variants_file = directory / "variants.json"
    variants = []
    if variants_file.exists():
        variants = [[tuple(pair) for pair in v] for v in json.loads(variants_file.read_text())]
    return Case(name, directory, scripts, artifacts, expected, variants)


CASE_NAMES = sorted(p.parent.name for p in CORPUS_DIR.glob("*/script.py"))


# --- staging and running -------------------------------------------------------------


def stage(case: Case, root: Path) -> Path:
    """A private copy of the case (and the shared data) so runs never see each other's files."""
    target = root / "tests" / "corpus" / case.name
    shutil.copytree(case.directory, target, ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copytree(DATA_DIR, root / "tests" / "data", dirs_exist_ok=True)
    return target


def snapshot(directory: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(directory)): p.read_bytes()
        for p in sorted(directory.rglob("*"))
        if p.is_file() and "__pycache__" not in p.parts
    }


def written(before: dict[str, bytes], after: dict[str, bytes]) -> dict[str, bytes]:
    """Files a run created or changed."""
    return {k: v for k, v in after.items() if before.get(k) != v}


def run_in_fresh_interpreter(
    jobs: list[dict[str, Any]], workdir: Path, prior: dict[str, bytes] | None = None
) -> list[dict[str, Any]]:
    """Run jobs one after another in one new interpreter, each in its own namespace."""
    workdir.mkdir(parents=True, exist_ok=True)
    jobs_file, out_file = workdir / "jobs.pickle", workdir / "results.pickle"
    jobs_file.write_bytes(pickle.dumps({"jobs": jobs, "prior": prior or {}}))
    env = dict(os.environ, MPLBACKEND="Agg")
    proc = subprocess.run(
        [sys.executable, str(RUNNER_PATH), str(jobs_file), str(out_file)],
        capture_output=True,
        text=True,
        env=env,
        timeout=900,
    )
    assert proc.returncode == 0 and out_file.exists(), f"runner failed:\n{proc.stderr}"
    import cloudpickle

    return cloudpickle.loads(out_file.read_bytes())


def apply_variant(text: str, variant: list[tuple[str, str]]) -> str:
    lines = text.splitlines(keepends=True)
    for old, new in variant:
        lines = [line.replace(old, new, 1) if line.strip() == old else line for line in lines]
    return "".join(lines)


@dataclass
class PlainRun:
    saved: dict[str, Any]  # artifact -> value at save time
    finals: dict[str, dict[str, Any]]  # script -> final variables
    files: dict[str, bytes]  # files the scripts wrote
    prior: dict[str, bytes]  # pickled saves, for slices that lineapy.get them


def plain_run(case: Case, root: Path, variant: list[tuple[str, str]] | None = None) -> PlainRun:
    """Run the case's scripts as plain Python (a recording stand-in for linea_core)."""
    staged = stage(case, root / "plain")
    for script in case.scripts:
        if variant:
            path = staged / script
            path.write_text(apply_variant(path.read_text(), variant))
    before = snapshot(staged)
    jobs = [
        {"mode": "script", "path": str(staged / s), "cwd": str(staged), "shim": True, "final": True}
        for s in case.scripts
    ]
    results = run_in_fresh_interpreter(jobs, root / "plain-run")
    saved: dict[str, Any] = {}
    finals: dict[str, dict[str, Any]] = {}
    for script, result in zip(case.scripts, results, strict=True):
        assert result["error"] is None, (
            f"{case.name}/{script} fails as plain Python:\n{result['error']}"
        )
        saved.update(result["saved"])
        finals[script] = result["final"]
    import cloudpickle

    prior = {name: cloudpickle.dumps(value) for name, value in saved.items()}
    return PlainRun(saved, finals, written(before, snapshot(staged)), prior)


@dataclass
class SliceRun:
    value: Any = None
    files: dict[str, bytes] = field(default_factory=dict)
    error: str | None = None


def run_slices(
    case: Case,
    codes: dict[str, str],
    root: Path,
    *,
    shim_prior: dict[str, bytes] | None,
) -> dict[str, SliceRun]:
    """Run each slice alone (fresh namespace, own copy of the case) in one new interpreter."""
    jobs, dirs = [], {}
    for i, (artifact, code) in enumerate(codes.items()):
        staged = stage(case, root / f"slice-{i}")
        dirs[artifact] = (staged, snapshot(staged))
        saved = case.artifacts[artifact]
        exprs = {artifact: saved.expr} if saved.expr is not None else {}
        jobs.append(
            {
                "mode": "code",
                "code": code,
                "cwd": str(staged),
                "exprs": exprs,
                "shim": shim_prior is not None,
            }
        )
    results = run_in_fresh_interpreter(jobs, root / "slices-run", prior=shim_prior)
    runs = {}
    for (artifact, (staged, before)), result in zip(dirs.items(), results, strict=True):
        runs[artifact] = SliceRun(
            value=result["values"].get(artifact),
            files=written(before, snapshot(staged)),
            error=result["error"],
        )
    return runs


def check_slice_run(
    case: Case, artifact: str, run: SliceRun, value: Any, files: dict[str, bytes]
) -> str | None:
    """None when the slice's run recomputed ``value`` (or rewrote ``files``), else why not."""
    if run.error:
        return f"raises when run alone:\n{run.error}"
    if case.artifacts[artifact].reference:
        if run.files != files:
            return (
                f"writes {sorted(run.files)} but the script wrote {sorted(files)}"
                if set(run.files) != set(files)
                else f"writes different contents to {[k for k in files if run.files[k] != files[k]]}"
            )
        return None
    found = runner.difference(run.value, value)
    return f"recomputes a different value: {found}" if found else None


def code_diff(expected: str, got: str, name: str) -> str:
    return "".join(
        difflib.unified_diff(
            expected.splitlines(keepends=True),
            got.splitlines(keepends=True),
            f"expected/{name}.py",
            "get_code()",
        )
    )


# --- the corpus itself is sound --------------------------------------------------------


# Not an engine test (no tracing or slicing runs): it checks the corpus's own text, which
# is the same on every Python, so it runs once, on the main Python, not on each other one.
@pytest.mark.parametrize("case_name", CASE_NAMES)
def test_expected_slices_are_sound(case_name: str, tmp_path: Path) -> None:
    case = load_case(case_name)
    problems = []
    for index, variant in enumerate([None, *case.variants]):
        label = f" under variant {variant}" if variant else ""
        plain = plain_run(case, tmp_path / f"plain-{index}", variant)
        codes = {a: apply_variant(c, variant) if variant else c for a, c in case.expected.items()}
        runs = run_slices(case, codes, tmp_path / f"slices-{index}", shim_prior=plain.prior)
        for artifact, run in runs.items():
            problem = check_slice_run(case, artifact, run, plain.saved.get(artifact), plain.files)
            if problem:
                problems.append(f"expected/{artifact}.py{label} {problem}")
    assert not problems, f"corpus case {case_name}:\n" + "\n".join(problems)


# --- the engine reproduces the corpus -----------------------------------------------------


@pytest.fixture
def isolated_imports(tmp_path: Path) -> Iterator[None]:
    """Forget modules a traced script imported from its folder (local modules are per case)."""
    yield
    for name, module in list(sys.modules.items()):
        origin = getattr(module, "__file__", None)
        if origin and Path(origin).resolve().is_relative_to(tmp_path.resolve()):
            del sys.modules[name]


@pytest.mark.engine
@pytest.mark.parametrize("case_name", CASE_NAMES)
def test_engine_matches_corpus(
    case_name: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, isolated_imports: None
) -> None:
    import linea_core

    case = load_case(case_name)
    monkeypatch.setenv("MPLBACKEND", "Agg")
    staged = stage(case, tmp_path / "traced")
    monkeypatch.chdir(staged)
    monkeypatch.syspath_prepend(str(staged))
    before = snapshot(staged)
    traced_values: dict[str, dict[str, Any]] = {}
    artifacts: dict[str, Any] = {}
    for script in case.scripts:
        result = linea_core.trace(staged / script)
        traced_values[script] = result.values
        artifacts.update(result.artifacts)
    traced_files = written(before, snapshot(staged))
    monkeypatch.chdir(tmp_path)

    problems: list[str] = []
    if set(artifacts) != set(case.artifacts):
        problems.append(
            f"artifacts {sorted(artifacts)} != saved by the scripts {sorted(case.artifacts)}"
        )
    names = sorted(set(artifacts) & set(case.artifacts))

    codes: dict[str, str] = {}
    for name in list(names):
        try:
            codes[name] = artifacts[name].get_code()
        except Exception as exc:
            problems.append(f"{name}: get_code() raises {exc!r}")
            names.remove(name)
    mismatched = {n for n in names if codes[n] != case.expected[n]}
    for name in sorted(mismatched):
        problems.append(
            f"{name}: get_code() is not the expected slice\n"
            + code_diff(case.expected[name], codes[name], name)
        )

    plain = plain_run(case, tmp_path / "plain")
    for script in case.scripts:
        problem = compare_namespaces(plain.finals[script], traced_values[script])
        if problem:
            problems.append(f"{script}: traced run ends differently from plain python: {problem}")
    if plain.files != traced_files:
        problems.append(
            f"traced run wrote {sorted(traced_files)}, plain python wrote {sorted(plain.files)}"
        )

    # What each slice must recompute: the stored value (or, if it cannot be loaded, which
    # is reported, the value plain Python saved) and, for file_system, the files written.
    values: dict[str, Any] = {}
    for name in names:
        if case.artifacts[name].reference:
            continue
        try:
            values[name] = runner.portable(artifacts[name].get_value())
        except Exception as exc:
            problems.append(f"{name}: get_value() raises {exc!r}")
            values[name] = plain.saved.get(name)
    expected_runs = run_slices(
        case, {n: case.expected[n] for n in names}, tmp_path / "expected", shim_prior=None
    )
    for name, run in expected_runs.items():
        problem = check_slice_run(case, name, run, values.get(name), traced_files)
        if problem:
            problems.append(f"{name}: expected slice vs artifact value: {problem}")
    if mismatched:
        engine_runs = run_slices(
            case, {n: codes[n] for n in mismatched}, tmp_path / "engine", shim_prior=None
        )
        for name, run in engine_runs.items():
            problem = check_slice_run(case, name, run, values.get(name), traced_files)
            verdict = f"UNSOUND, {problem}" if problem else "sound but not the expected text"
            problems.append(f"{name}: the engine's slice run alone is {verdict}")

    for index, variant in enumerate(case.variants):
        variant_plain = plain_run(case, tmp_path / f"variant-{index}", variant)
        runs = run_slices(
            case,
            {n: apply_variant(codes[n], variant) for n in names},
            tmp_path / f"variant-slices-{index}",
            shim_prior=variant_plain.prior,
        )
        for name, run in runs.items():
            problem = check_slice_run(
                case, name, run, variant_plain.saved.get(name), variant_plain.files
            )
            if problem:
                problems.append(f"{name}: the engine's slice under variant {variant} {problem}")

    assert not problems, f"corpus case {case_name}:\n" + "\n\n".join(problems)


def compare_namespaces(plain: dict[str, Any], traced: dict[str, Any]) -> str | None:
    traced = {k: runner.transported(v) for k, v in traced.items() if not k.startswith("__")}
    if set(plain) != set(traced):
        return (
            f"variables only in plain run: {sorted(set(plain) - set(traced))}, "
            f"only in traced run: {sorted(set(traced) - set(plain))}"
        )
    for name in sorted(plain):
        found = runner.difference(traced[name], plain[name], name)
        if found:
            return found
    return None
