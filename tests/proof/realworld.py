"""Real data-science scripts written by others, run under ``linea python``, slices checked.

tests/realworld/ holds the scripts verbatim (sources, commit and licences in
MANIFEST.json and LICENSES/). The manifest lists, per script, the variables to save:
values that two plain runs compute identically (a value drawn from an unseeded
generator can be reproduced by no slice). A harness appends
``lineapy.save(<name>, "<name>")`` for each to a staged copy, runs it with the real CLI
(``linea python script.py --slice NAME --export-slice FILE ...``), and then runs every
exported slice alone in a new process (a fork of a server that preloaded numpy, pandas,
matplotlib and scikit-learn, see :mod:`proof_worker`) and compares its value with the
stored artifact and with a plain run's.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

from proof_client import Worker, values

REALWORLD = Path(__file__).resolve().parents[1] / "realworld"
MANIFEST = REALWORLD / "MANIFEST.json"


@dataclass(frozen=True)
class Script:
    name: str
    source_path: str
    saves: tuple[str, ...]
    known_unsound: dict[str, str]

    @property
    def path(self) -> Path:
        return REALWORLD / f"{self.name}.py"


def load_manifest() -> list[Script]:
    data = json.loads(MANIFEST.read_text())
    return [
        Script(s["name"], s["path"], tuple(s["saves"]), dict(s.get("known_unsound", {})))
        for s in data["scripts"]
    ]


def harness(script: Script) -> str:
    """The script, verbatim, followed by the saves of its chosen variables."""
    lines = ["", "import linea_core as lineapy"]
    lines += [f'lineapy.save({name}, "{name}")' for name in script.saves]
    return script.path.read_text() + "\n".join(lines) + "\n"


def stage(script: Script, directory: Path) -> Path:
    """A private folder with the harnessed script and the data folder scripts read."""
    directory.mkdir(parents=True, exist_ok=True)
    if (REALWORLD / "data").is_dir():
        shutil.copytree(REALWORLD / "data", directory / "data", dirs_exist_ok=True)
    target = directory / f"{script.name}.py"
    target.write_text(harness(script))
    return target


@dataclass
class ScriptOutcome:
    script: str
    script_lines: int
    slice_lines: dict[str, int] = field(default_factory=dict)
    unsound: dict[str, str] = field(default_factory=dict)  # name -> why
    error: str | None = None


def linea_python(target: Path, names: tuple[str, ...], home: Path) -> tuple[int, str]:
    """``linea python`` on the staged script, exporting each slice to ``<name>.slice.py``."""
    command = [sys.executable, "-m", "linea_core", "python"]
    for name in names:
        command += ["--slice", name, "--export-slice", str(target.parent / f"{name}.slice.py")]
    env = dict(
        os.environ,
        LINEA_HOME_DIR=str(home),
        MPLBACKEND="Agg",
        OPENBLAS_NUM_THREADS="1",
        OMP_NUM_THREADS="1",
    )
    proc = subprocess.run(
        [*command, target.name],
        cwd=target.parent,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    return proc.returncode, proc.stderr[-4000:]


def check_script(script: Script, work: Path, runner: Worker, reader: Worker) -> ScriptOutcome:
    """Trace with the CLI, read the stored values back (``reader``: a trace-mode worker,
    linea preloaded), run the script plainly and every slice alone (``runner``)."""
    staged = stage(script, work / "traced")
    outcome = ScriptOutcome(script.name, len(script.path.read_text().splitlines()))
    home = work / "home"
    rc, stderr = linea_python(staged, script.saves, home)
    if rc != 0:
        outcome.error = f"linea python fails:\n{stderr}"
        return outcome
    (read,) = reader.run([{"kind": "stored", "home": str(home), "names": list(script.saves)}])
    stored = read.get("values", {})
    plain_dir = stage(script, work / "plain").parent
    (plain,) = runner.run(
        [{"kind": "run", "path": str(plain_dir / f"{script.name}.py"), "cwd": str(plain_dir)}],
        timeout=600,
    )
    if plain["error"]:
        outcome.error = f"the script fails as plain python:\n{plain['error']}"
        return outcome
    plain_saves = dict(plain["saves"])
    jobs = []
    for name in script.saves:
        code = (staged.parent / f"{name}.slice.py").read_text()
        outcome.slice_lines[name] = len(code.splitlines())
        slice_dir = stage(script, work / f"slice-{name}").parent
        jobs.append({"kind": "run", "code": code, "cwd": str(slice_dir), "exprs": {"value": name}})
    for name, result in zip(script.saves, runner.run(jobs, timeout=600), strict=True):
        stored_value = stored.get(name, values.Ref("unloadable", str(read.get("error"))))
        if isinstance(stored_value, values.Ref) and stored_value.kind == "unloadable":
            outcome.unsound[name] = f"the stored value cannot be loaded: {stored_value.name}"
            continue
        found = values.difference(stored_value, plain_saves[name], name)
        if found:
            outcome.unsound[name] = f"the traced run saved another value than plain python: {found}"
            continue
        if result["error"]:
            outcome.unsound[name] = f"the slice raises when run alone:\n{result['error']}"
            continue
        found = values.difference(result["values"]["value"], stored_value, name)
        if found:
            outcome.unsound[name] = f"the slice recomputes a different value: {found}"
    return outcome
