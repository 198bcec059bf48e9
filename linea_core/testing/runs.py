"""Running generated files and checking the values they compute against the stored ones.

Values are compared *in the process that computed them* (its environment may be an
Airflow or Ray venv without linea, and its values may be instances of classes the
generated code defines, which another process could not unpickle): the checking script
embeds :mod:`linea_core.pipeline.value_compare`'s source and prints a JSON report.
"""

from __future__ import annotations

import inspect
import json
import os
import pickle
import subprocess
import sys
import textwrap
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from linea_core.pipeline import value_compare


def run_command(
    args: Sequence[str | os.PathLike[str]],
    *,
    cwd: str | os.PathLike[str] | None = None,
    env: Mapping[str, str] | None = None,
    timeout: float = 600,
    check: bool = True,
    input: str | None = None,
) -> subprocess.CompletedProcess[str]:
    """Run ``args``; with ``check``, a non-zero exit is an AssertionError showing the
    command, its exit code, stdout and stderr (what a failing test needs to be read)."""
    command = [str(a) for a in args]
    done = subprocess.run(
        command,
        cwd=cwd,
        env=dict(env) if env is not None else None,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
        input=input,
    )
    if check and done.returncode != 0:
        raise AssertionError(
            f"command failed (exit {done.returncode}): {' '.join(command)}\n"
            f"--- stdout ---\n{done.stdout}\n--- stderr ---\n{done.stderr}"
        )
    return done


def compare_source() -> str:
    """The source of :mod:`linea_core.pipeline.value_compare`, to embed in scripts."""
    return inspect.getsource(value_compare)


def export_values(values: Mapping[str, Any], folder: Path) -> dict[str, Path]:
    """Pickle each value to ``folder/<index>.pkl``; name -> path (for :func:`check_values`)."""
    folder.mkdir(parents=True, exist_ok=True)
    paths = {}
    for index, (name, value) in enumerate(sorted(values.items())):
        path = folder / f"{index}.pkl"
        try:
            data = pickle.dumps(value)
        except Exception:
            import cloudpickle

            data = cloudpickle.dumps(value)
        path.write_bytes(data)
        paths[name] = path
    return paths


_CHECK_SCRIPT = """
import json, pickle, sys
{compare}

def _check(actual, expected_paths):
    report = {{}}
    for name, path in expected_paths.items():
        if name not in actual:
            report[name] = "missing: the run produced no value for it"
            continue
        with open(path, "rb") as stream:
            expected = pickle.load(stream)
        try:
            assert_same_value(actual[name], expected, name)
        except AssertionError as exc:
            report[name] = str(exc)
        else:
            report[name] = "ok"
    return report

{produce}

print("LINEA-CHECK " + json.dumps(_check(actual, {expected!r})))
"""


def _check_script(produce: str, expected: Mapping[str, Path]) -> str:
    source = compare_source().replace("from __future__ import annotations\n", "")
    return _CHECK_SCRIPT.format(
        compare=source,
        produce=textwrap.dedent(produce),
        expected={name: str(path) for name, path in expected.items()},
    )


def _report(done: subprocess.CompletedProcess[str]) -> dict[str, str]:
    for line in reversed(done.stdout.splitlines()):
        if line.startswith("LINEA-CHECK "):
            result: dict[str, str] = json.loads(line[len("LINEA-CHECK ") :])
            return result
    raise AssertionError(
        f"the checking script printed no report\n--- stdout ---\n{done.stdout}\n"
        f"--- stderr ---\n{done.stderr}"
    )


def check_values(
    produce: str,
    expected: Mapping[str, Path],
    *,
    python: str | os.PathLike[str] = sys.executable,
    cwd: str | os.PathLike[str] | None = None,
    env: Mapping[str, str] | None = None,
    timeout: float = 600,
) -> dict[str, str]:
    """Run ``produce`` (code binding ``actual``, a dict name -> value) with ``python``
    and compare each value with the pickled one in ``expected``. Returns name ->
    ``"ok"`` or the mismatch; a failing run is an AssertionError with its output."""
    done = run_command(
        [python, "-c", _check_script(produce, expected)], cwd=cwd, env=env, timeout=timeout
    )
    return _report(done)


def run_module_script(
    module_path: str | os.PathLike[str],
    arguments: Sequence[str] = (),
    *,
    expected: Mapping[str, Path],
    python: str | os.PathLike[str] = sys.executable,
    cwd: str | os.PathLike[str] | None = None,
    env: Mapping[str, str] | None = None,
    timeout: float = 600,
) -> dict[str, str]:
    """Run a generated ``<name>_module.py`` exactly as ``python <module> ARGS...`` would
    (``runpy`` with ``__name__ == "__main__"``, so its argparse flags are parsed) and
    compare the ``artifacts`` it computed with ``expected`` (see :func:`check_values`)."""
    path = str(Path(module_path).resolve())
    produce = f"""
import runpy, sys
sys.argv = [{path!r}, *{list(arguments)!r}]
sys.path.insert(0, {str(Path(path).parent)!r})
actual = runpy.run_path({path!r}, run_name="__main__")["artifacts"]
"""
    return check_values(produce, expected, python=python, cwd=cwd, env=env, timeout=timeout)


def assert_all_ok(report: Mapping[str, str]) -> None:
    """Fail listing every artifact whose value differs."""
    bad = {name: outcome for name, outcome in report.items() if outcome != "ok"}
    if bad:
        lines = "\n".join(f"  {name}: {outcome}" for name, outcome in sorted(bad.items()))
        raise AssertionError(f"artifact values differ from the stored ones:\n{lines}")
