"""Trace a script with ``linea python`` and run every saved version's slice alone.

The soundness rule, checked end to end: a slice, run in a fresh interpreter with the
same inputs (the script's folder, its local modules and data, the same stdin),
recomputes the value the traced run saved. Both the traced run and each slice run in
their own process, so library state the script changes (the numpy and ``random``
generators, ``decimal``'s context, the recursion limit, pyplot's figures) never leaks
between them or into the test process.
"""

from __future__ import annotations

import ast
import os
import pickle
import shutil
import subprocess
import sys
import textwrap
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from test_corpus import runner

_VALUE_FILE = "__slice_value__.pickle"


@dataclass
class SliceCheck:
    """One saved version: its code and whether running it alone gave the saved value."""

    name: str
    version: int
    code: str
    problem: str | None  # None: sound

    def __str__(self) -> str:
        verdict = "sound" if self.problem is None else f"UNSOUND: {self.problem}"
        return f"{self.name} v{self.version}: {verdict}\n{textwrap.indent(self.code, '    ')}"


def _env(home: Path) -> dict[str, str]:
    env = dict(os.environ, LINEA_HOME_DIR=str(home), MPLBACKEND="Agg")
    env.pop("PYTHONPATH", None)
    return env


def _save_expressions(source: str) -> dict[str, str]:
    """artifact name -> the saved expression, read from the script's ``lineapy.save`` calls."""
    found = {}
    for node in ast.walk(ast.parse(source)):
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr == "save"
            and len(node.args) >= 2
            and isinstance(node.args[1], ast.Constant)
        ):
            found[node.args[1].value] = ast.unparse(node.args[0])
    return found


def check_script(
    tmp_path: Path,
    script: str,
    *,
    files: dict[str, str] | None = None,
    stdin: str = "",
) -> list[SliceCheck]:
    """Trace ``script`` (with ``files`` beside it) and check every saved version's slice."""
    source = textwrap.dedent(script).lstrip("\n")
    original = tmp_path / "case"
    original.mkdir()
    (original / "script.py").write_text(source)
    for name, text in (files or {}).items():
        (original / name).write_text(textwrap.dedent(text).lstrip("\n"))
    home = tmp_path / "home"
    traced = tmp_path / "traced"
    shutil.copytree(original, traced)
    dump = tmp_path / "artifacts.pickle"
    # one process traces (as ``linea python script.py``) and then reads the store
    tracer = (
        f"import pickle\nout_path = {str(dump)!r}\n"
        "from linea_core.cli.main import main\n"
        "try:\n"
        "    main(['python', 'script.py'])\n"
        "except SystemExit as exit:\n"
        "    if exit.code:\n"
        "        raise\n"
        "import linea_core as lineapy\n"
        "out = [(a.name, a.version, a.get_code(), a.get_value()) "
        "for a in lineapy.artifact_store()]\n"
        "pickle.dump(out, open(out_path, 'wb'))\n"
    )
    proc = subprocess.run(
        [sys.executable, "-c", tracer],
        cwd=traced,
        input=stdin,
        text=True,
        capture_output=True,
        env=_env(home),
        timeout=300,
    )
    assert proc.returncode == 0 and dump.exists(), f"the traced run failed:\n{proc.stderr}"
    saved: list[tuple[str, int, str, Any]] = pickle.loads(dump.read_bytes())
    exprs = _save_expressions(source)
    checks = []
    for name, version, code, value in saved:
        workdir = tmp_path / f"slice-{name}-{version}"
        shutil.copytree(original, workdir)
        program = (
            code
            + f"\nimport pickle as __p\n__p.dump(({exprs[name]}), open({_VALUE_FILE!r}, 'wb'))\n"
        )
        (workdir / "__slice__.py").write_text(program)
        proc = subprocess.run(
            [sys.executable, "__slice__.py"],
            cwd=workdir,
            input=stdin,
            text=True,
            capture_output=True,
            env=_env(tmp_path / "slice-home"),
            timeout=300,
        )
        problem: str | None
        if proc.returncode != 0:
            problem = f"raises when run alone:\n{proc.stderr[-2000:]}"
        else:
            got = pickle.loads((workdir / _VALUE_FILE).read_bytes())
            problem = runner.difference(runner.portable(got), runner.portable(value))
        checks.append(SliceCheck(name, version, code, problem))
    return checks


def assert_sound(tmp_path: Path, script: str, **kwargs: Any) -> dict[str, str]:
    """Every slice is sound; returns artifact name -> code of its latest version."""
    checks = check_script(tmp_path, script, **kwargs)
    assert checks, "the script saved nothing"
    unsound = [c for c in checks if c.problem is not None]
    assert not unsound, "\n\n".join(str(c) for c in unsound)
    return {c.name: c.code for c in sorted(checks, key=lambda c: c.version)}
