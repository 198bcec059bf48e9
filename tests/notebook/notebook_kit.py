"""Running real .ipynb files in real kernels (nbclient + ipykernel), cells in any order.

A kernel is a separate process started from this interpreter's ``python3`` kernelspec,
with the test's environment (its own ``LINEA_HOME_DIR``), so what a notebook saves is
read back here from the same store.
"""

from __future__ import annotations

import copy
import os
import re
import subprocess
import sys
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import nbformat
from nbclient import NotebookClient

HERE = Path(__file__).resolve().parent
NOTEBOOKS = HERE / "notebooks"
ROOT = HERE.parent.parent
EXAMPLES = ROOT / "examples"
RUN_ALONE = HERE / "run_alone.py"


@dataclass
class Run:
    """One cell execution: which cell, the source sent, and what came back."""

    index: int
    source: str
    outputs: list[Any]

    @property
    def stdout(self) -> str:
        return "".join(o["text"] for o in self.outputs if o.get("name") == "stdout")

    @property
    def stderr(self) -> str:
        return "".join(o["text"] for o in self.outputs if o.get("name") == "stderr")

    @property
    def error(self) -> Any:
        return next((o for o in self.outputs if o["output_type"] == "error"), None)

    def data(self, mime: str) -> list[str]:
        return [o["data"][mime] for o in self.outputs if mime in o.get("data", {})]


@dataclass
class Kernel:
    """A started kernel running cells of one notebook, in whatever order the test says."""

    client: NotebookClient
    nb: Any
    runs: list[Run] = field(default_factory=list)

    def run(self, index: int, source: str | None = None) -> Run:
        """Execute cell ``index`` (with ``source`` instead of its own text: an edited cell)."""
        cell = copy.deepcopy(self.nb.cells[index])
        if source is not None:
            cell.source = source
        self.client.execute_cell(cell, index, store_history=True)
        run = Run(index, cell.source, list(cell.outputs))
        self.runs.append(run)
        return run

    def run_all(self, order: Iterable[int] | None = None) -> list[Run]:
        indexes = range(len(self.nb.cells)) if order is None else order
        return [self.run(i) for i in indexes if self.nb.cells[i].cell_type == "code"]

    def code(self, source: str) -> Run:
        """Run code that is not a cell of the notebook (still a real cell execution)."""
        cell = nbformat.v4.new_code_cell(source)
        self.nb.cells.append(cell)
        self.client.execute_cell(cell, len(self.nb.cells) - 1, store_history=True)
        run = Run(-1, source, list(cell.outputs))
        self.runs.append(run)
        return run

    def restart(self) -> None:
        from jupyter_core.utils import run_sync

        run_sync(self.client.km.restart_kernel)(now=True)
        run_sync(self.client.kc.wait_for_ready)(timeout=60)


@contextmanager
def kernel(
    notebook: Path, cwd: Path, *, extra_args: Sequence[str] = (), env: dict[str, str] | None = None
) -> Iterator[Kernel]:
    """Start a kernel for ``notebook`` in ``cwd``; stopped (by the client) afterwards."""
    nb = nbformat.read(str(notebook), as_version=4)
    client = NotebookClient(
        nb,
        kernel_name="python3",
        timeout=180,
        startup_timeout=120,
        allow_errors=True,
        resources={"metadata": {"path": str(cwd)}},
        extra_arguments=list(extra_args),
    )
    kernel_env = {**os.environ, "MPLBACKEND": "module://matplotlib_inline.backend_inline"}
    kernel_env.update(env or {})
    kernel_env.pop("PYTHONWARNINGS", None)
    with client.setup_kernel(env=kernel_env):
        yield Kernel(client, nb)


def run_notebook(notebook: Path, cwd: Path, order: Iterable[int] | None = None) -> list[Run]:
    with kernel(notebook, cwd) as k:
        return k.run_all(order)


def run_alone(name: str, cwd: Path, version: int | None = None) -> subprocess.CompletedProcess[str]:
    """Run artifact ``name``'s code in a fresh ``python`` and compare with the stored value."""
    args = [sys.executable, str(RUN_ALONE), name] + ([str(version)] if version is not None else [])
    return subprocess.run(args, cwd=cwd, capture_output=True, text=True, timeout=180)


def assert_runs_alone(name: str, cwd: Path, version: int | None = None) -> None:
    done = run_alone(name, cwd, version)
    assert done.returncode == 0 and done.stdout.strip().endswith("same value"), (
        f"the code of {name!r} did not reproduce its value on its own:\n"
        f"{done.stdout}\n{done.stderr}"
    )


_ANSI = re.compile(r"\x1b\[[0-9;]*m")


def plain(text: str) -> str:
    """Text without terminal colours (tracebacks come coloured)."""
    return _ANSI.sub("", text)
